"""Safe outputs (issue 17): no formulas from user text, atomic writes, no writes through links, a
checked manifest, stale files removed."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ import _safe_io
from xiangxi_econ._safe_io import ManifestWarning
from xiangxi_econ.exceptions import ReportError
from xiangxi_econ.face import report
from xiangxi_econ.face.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example_prefecture.csv"
PNG = b"\x89PNG\r\n\x1a\n fake"
links = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")


@pytest.fixture(scope="module")
def analysis():
    return xe.analyse(n_draws=500, seed=0)


def _fake_charts(monkeypatch, names=("tourism",)):
    """Charts take seconds to draw and are not what these tests are about."""
    monkeypatch.setattr(report, "_charts", lambda *a, **k: {n: PNG for n in names})


def _own_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)).replace(os.sep, "/") for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------------------- formulas

def test_csv_cells_that_start_a_formula_are_neutralised():
    """OWASP's rule: = + - @ tab CR at the start of a text cell get a leading quote; numbers stay."""
    frame = pd.DataFrame({"name": ["=SUM(A1:A9)", "+1", "-2 pp", "@cmd", "\tx", "\rx", "GDP", None],
                          "value": [-1.5, 2.0, -3.0, 0.0, 1.0, 1.0, 1.0, float("nan")],
                          "=col": [1, -2, 3, 4, 5, 6, 7, 8]})
    safe = _safe_io.csv_safe(frame)
    assert safe["name"].tolist()[:7] == ["'=SUM(A1:A9)", "'+1", "'-2 pp", "'@cmd", "'\tx", "'\rx", "GDP"]
    assert pd.isna(safe["name"].iloc[7])
    assert list(safe.columns) == ["name", "value", "'=col"]
    pd.testing.assert_series_equal(safe["value"], frame["value"])  # negative numbers stay numbers
    assert safe["'=col"].tolist() == [1, -2, 3, 4, 5, 6, 7, 8]
    assert frame["name"].iloc[0] == "=SUM(A1:A9)"  # the caller's frame is not changed


def _hostile_plan(tmp_path: Path) -> Path:
    rows = list(csv.reader(EXAMPLE.open(encoding="utf-8")))
    header = rows[0]
    rows[1][header.index("name_en")] = '=HYPERLINK("http://example.invalid","x")'
    rows[1][header.index("name_zh")] = "@SUM(1+1)"
    rows[2][header.index("name_en")] = "+cmd|' /C calc'!A0"
    path = tmp_path / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _formula_cells(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_report_of_a_plan_with_formula_names_writes_no_formula(tmp_path, monkeypatch):
    """The workbook keeps '=HYPERLINK(…)' as text (no cell of type 'f'); every CSV neutralises it."""
    _fake_charts(monkeypatch)
    plan = xe.read_plan(_hostile_plan(tmp_path))
    out = tmp_path / "out"
    xe.build_report(out, plan=plan, n_draws=500)
    assert _formula_cells(out / "assessment.xlsx") == []
    from openpyxl import load_workbook

    texts = {c.value for ws in load_workbook(out / "assessment.xlsx") for row in ws.iter_rows() for c in row}
    assert '=HYPERLINK("http://example.invalid","x")' in texts  # shown as written
    raw = (out / "assessment.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and "'+cmd" in raw
    for path in out.glob("*.csv"):
        for row in csv.reader(path.read_text(encoding="utf-8-sig").splitlines()):
            assert not any(cell.startswith(_safe_io.CSV_TRIGGERS) and not _is_number(cell) for cell in row), path


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_assess_csv_neutralises_formulas_and_keeps_numbers(tmp_path):
    plan = _hostile_plan(tmp_path)
    target = tmp_path / "a.csv"
    assert main(["assess", "--plan", str(plan), "--csv", str(target)]) == 0
    raw = target.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw and "'+cmd" in raw
    back = pd.read_csv(target)
    expected = xe.assess(xe.read_plan(plan)).to_frame()
    numeric = [c for c in expected.columns if pd.api.types.is_float_dtype(expected[c])]
    assert numeric
    for col in numeric:  # numbers, negative ones included, are written as numbers
        pd.testing.assert_series_equal(back[col], expected[col].reset_index(drop=True), check_names=False)


# ---------------------------------------------------------------------------- atomic writes

def test_a_writer_failing_half_way_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "t.csv"
    target.write_bytes(b"old")

    def half(fh):
        fh.write(b"new and incompl")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        _safe_io.atomic_write(target, half)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["t.csv"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_atomic_write_gives_ordinary_permissions(tmp_path):
    """The temporary file is private (0600); the result has the usual mode, or the old file's."""
    mask = os.umask(0o022)
    try:
        new = _safe_io.write_text(tmp_path / "new.txt", "x")
        assert new.stat().st_mode & 0o777 == 0o644
        old = tmp_path / "old.txt"
        old.write_text("x")
        old.chmod(0o640)
        _safe_io.write_text(old, "y")
        assert old.stat().st_mode & 0o777 == 0o640 and old.read_text() == "y"
    finally:
        os.umask(mask)


def test_an_interrupted_report_leaves_the_previous_files_whole(tmp_path, monkeypatch, analysis):
    """The workbook save fails half-way: the previous workbook is intact, no temporary file stays,
    and the run can be repeated without --force."""
    from openpyxl import Workbook

    _fake_charts(monkeypatch)
    out = tmp_path / "out"
    xe.build_report(out, analysis=analysis)
    before = {n: (out / n).read_bytes() for n in _own_files(out)}

    def broken_save(self, fh):
        fh.write(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(ReportError, match="assessment.xlsx.*No space left"):
        xe.build_report(out, analysis=analysis)
    assert (out / "assessment.xlsx").read_bytes() == before["assessment.xlsx"]
    assert (out / "report.html").read_bytes() == before["report.html"]
    assert _own_files(out) == set(before)  # no temporary file left
    monkeypatch.undo()
    _fake_charts(monkeypatch)
    xe.build_report(out, analysis=analysis)  # a repeat needs no --force


# ---------------------------------------------------------------------------- links

@links
def test_a_dangling_link_in_the_folder_is_refused_even_with_force(tmp_path, analysis):
    outside = tmp_path / "outside.html"
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").symlink_to(outside)
    for force in (False, True):
        with pytest.raises(ReportError, match=r"report\.html is a symbolic link .*outside\.html.*expected a file"):
            xe.build_report(out, analysis=analysis, force=force)
    assert not outside.exists()
    assert sorted(os.listdir(out)) == ["report.html"]  # nothing written


@links
def test_a_charts_link_to_another_folder_is_refused(tmp_path, analysis):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "charts").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ReportError, match="charts is a symbolic link.*folder for the chart images"):
        xe.build_report(out, analysis=analysis, force=True)
    assert os.listdir(elsewhere) == []


@links
def test_a_forged_manifest_does_not_open_a_linked_file(tmp_path, analysis):
    """The manifest claims report.html, which is a link to someone's file: refused, file untouched."""
    victim = tmp_path / "victim.html"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").symlink_to(victim)
    (out / report.MANIFEST).write_text(json.dumps({"files": ["report.html"]}), encoding="utf-8")
    with pytest.raises(ReportError, match="report.html is a symbolic link"):
        xe.build_report(out, analysis=analysis)
    assert victim.read_text(encoding="utf-8") == "precious"


@links
def test_a_linked_manifest_is_refused(tmp_path, analysis):
    elsewhere = tmp_path / "list.json"
    elsewhere.write_text('{"files": []}', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / report.MANIFEST).symlink_to(elsewhere)
    with pytest.raises(ReportError, match="xiangxi-econ-report.json is a symbolic link.*manifest"):
        xe.build_report(out, analysis=analysis, force=True)
    assert elsewhere.read_text(encoding="utf-8") == '{"files": []}'


@links
def test_assess_csv_refuses_a_link(tmp_path, capsys):
    outside = tmp_path / "outside.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(outside)
    assert main(["assess", "--csv", str(link)]) == 2
    err = capsys.readouterr().err
    assert "link.csv is a symbolic link" in err and "Traceback" not in err
    assert not outside.exists()
    outside.write_text("mine", encoding="utf-8")  # a link to an existing file: refused as a link too
    assert main(["assess", "--csv", str(link)]) == 2
    assert "symbolic link" in capsys.readouterr().err and outside.read_text(encoding="utf-8") == "mine"


@links
def test_atomic_write_refuses_a_link(tmp_path):
    (tmp_path / "x").symlink_to(tmp_path / "y")
    with pytest.raises(ReportError, match="x is a symbolic link"):
        _safe_io.write_text(tmp_path / "x", "z")
    assert not (tmp_path / "y").exists()


# ---------------------------------------------------------------------------- manifest

@pytest.mark.parametrize("content", [
    '{"files": "report.html.bak"}',  # a string: membership by substring would match report.html
    '["report.html"]',
    '{"files": ["../report.html"]}',
    '{"files": ["/etc/passwd"]}',
    '{"files": ["charts/../report.html"]}',
    '{"files": ["sub/report.html"]}',
    '{"files": ["charts\\\\x.png"]}',
    '{"files": [1]}',
    "not json",
    "[" * 100_000,
    '{"files": ["report.html"], "sha256": ["' + "0" * 64 + '"]}',  # digests not keyed by name
    '{"files": ["report.html"], "sha256": {"report.html": "' + "0" * 64 + '"}}',  # not a list
    '{"files": ["report.html"], "sha256": {"report.html": ["' + "0" * 63 + '"]}}',  # 63 digits
    '{"files": ["report.html"], "sha256": {"report.html": ["' + "A" * 64 + '"]}}',  # upper case
    '{"files": ["report.html"], "sha256": {"data.csv": ["' + "0" * 64 + '"]}}',  # a name not listed
])
def test_a_bad_manifest_is_ignored_with_a_warning(tmp_path, content):
    path = tmp_path / "m.json"
    path.write_text(content, encoding="utf-8")
    with pytest.warns(ManifestWarning, match=r"m\.json: manifest ignored because .*expected a JSON object"):
        assert _safe_io.read_manifest(path) == {}


def test_a_good_manifest_is_read(tmp_path):
    """Names with the digests recorded; a name of an older manifest (no digests) has none."""
    one, two, three = "1" * 64, "2" * 64, "3" * 64
    path = tmp_path / "m.json"
    _safe_io.write_manifest(path, {"report.html": one, "charts/a.png": [three, two]})
    assert _safe_io.read_manifest(path) == {"charts/a.png": frozenset({two, three}), "report.html": frozenset({one})}
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "files": ["charts/a.png", "report.html"], "sha256": {"charts/a.png": [two, three], "report.html": [one]}}
    path.write_text('{"files": ["report.html", "report.html"]}', encoding="utf-8")
    assert _safe_io.read_manifest(path) == {"report.html": frozenset()}
    assert _safe_io.read_manifest(tmp_path / "missing.json") == {}


def test_a_string_manifest_does_not_claim_report_html(tmp_path, analysis):
    """{"files": "report.html.bak"} matched report.html by substring; now it is ignored."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("mine", encoding="utf-8")
    (out / report.MANIFEST).write_text('{"files": "report.html.bak"}', encoding="utf-8")
    with pytest.warns(ManifestWarning), pytest.raises(ReportError, match="report.html exists and was not written"):
        xe.build_report(out, analysis=analysis)
    assert (out / "report.html").read_text(encoding="utf-8") == "mine"


def test_a_folder_where_a_file_goes_is_named(tmp_path, analysis):
    out = tmp_path / "out"
    (out / "assessment.xlsx").mkdir(parents=True)
    with pytest.raises(ReportError, match="assessment.xlsx is not a regular file; expected a file"):
        xe.build_report(out, analysis=analysis, force=True)


# ---------------------------------------------------------------------------- stale files

def test_files_of_a_previous_run_are_removed_and_only_those(tmp_path, monkeypatch, analysis):
    out = tmp_path / "out"
    _fake_charts(monkeypatch, ("outcome_gdp", "fan_gdp"))
    xe.build_report(out, analysis=analysis)
    (out / "charts" / "mine.png").write_bytes(b"user's")
    (out / "notes.txt").write_text("user's", encoding="utf-8")
    manifest = json.loads((out / report.MANIFEST).read_text(encoding="utf-8"))
    # a manifest naming a file of a kind the tool never writes, with its true digest, does not get it removed
    manifest["files"].append("notes.txt")
    manifest["sha256"]["notes.txt"] = [_safe_io.sha256_of(out / "notes.txt")]
    (out / report.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    _fake_charts(monkeypatch, ("fan_gdp",))  # a plan without the outcome chart
    result = xe.build_report(out, analysis=analysis)
    assert result.removed == [Path("charts/outcome_gdp.png")]
    assert not (out / "charts" / "outcome_gdp.png").exists()
    assert (out / "charts" / "fan_gdp.png").read_bytes() == PNG
    assert (out / "charts" / "mine.png").read_bytes() == b"user's"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "user's"
    manifest = json.loads((out / report.MANIFEST).read_text(encoding="utf-8"))["files"]
    assert manifest == sorted(str(f).replace(os.sep, "/") for f in result.files)
    assert "Removed 1 file(s)" in result.summary


# ---------------------------------------------------------------------------- digests in the manifest

def _manifest(folder: Path) -> dict:
    return json.loads((folder / report.MANIFEST).read_text(encoding="utf-8"))


@pytest.mark.parametrize("forged", [
    {"files": ["data.csv"]},  # a manifest of the older format: names only
    {"files": ["data.csv"], "sha256": {"data.csv": ["0" * 64]}},  # a digest of some other content
])
def test_a_forged_manifest_does_not_remove_a_users_file(tmp_path, monkeypatch, analysis, forged):
    """data.csv is of a kind the tool writes (.csv) and not written by this run: listed by name in a
    manifest, it used to be removed as stale. Only a file holding content the tool wrote is its own."""
    _fake_charts(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    (out / "data.csv").write_text("year,value\n2020,1\n", encoding="utf-8")
    (out / report.MANIFEST).write_text(json.dumps(forged), encoding="utf-8")
    result = xe.build_report(out, analysis=analysis)
    assert (out / "data.csv").read_text(encoding="utf-8") == "year,value\n2020,1\n"
    assert result.removed == [] and "data.csv" not in _manifest(out)["files"]


def test_a_forged_manifest_does_not_let_a_users_file_be_overwritten(tmp_path, monkeypatch, analysis):
    _fake_charts(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("mine", encoding="utf-8")
    (out / report.MANIFEST).write_text('{"files": ["report.html"]}', encoding="utf-8")
    with pytest.raises(ReportError, match="report.html exists and was not written by xiangxi-econ.*--force"):
        xe.build_report(out, analysis=analysis)
    assert (out / "report.html").read_text(encoding="utf-8") == "mine"
    assert sorted(os.listdir(out)) == sorted(["report.html", report.MANIFEST])  # nothing written


def test_the_manifest_records_the_digest_of_every_file_written(tmp_path, monkeypatch, analysis):
    """Digests recomputed here with hashlib from the files on disk."""
    import hashlib

    _fake_charts(monkeypatch, ("fan_gdp", "tourism"))
    out = tmp_path / "out"
    result = xe.build_report(out, analysis=analysis)
    manifest = _manifest(out)
    names = sorted(str(f).replace(os.sep, "/") for f in result.files)
    assert manifest["files"] == names
    assert manifest["sha256"] == {n: [hashlib.sha256((out / n).read_bytes()).hexdigest()] for n in names}


def test_a_file_changed_since_the_build_is_the_users(tmp_path, monkeypatch, analysis):
    """An edited report.html is not overwritten without --force; an edited stale chart is not removed."""
    _fake_charts(monkeypatch, ("outcome_gdp", "fan_gdp"))
    out = tmp_path / "out"
    xe.build_report(out, analysis=analysis)
    (out / "report.html").write_text("my notes on the report", encoding="utf-8")
    (out / "charts" / "outcome_gdp.png").write_bytes(b"my own chart")
    _fake_charts(monkeypatch, ("fan_gdp",))
    with pytest.raises(ReportError, match="report.html exists and was not written by xiangxi-econ"):
        xe.build_report(out, analysis=analysis)
    assert (out / "report.html").read_text(encoding="utf-8") == "my notes on the report"
    result = xe.build_report(out, analysis=analysis, force=True)
    assert (out / "report.html").read_text(encoding="utf-8") != "my notes on the report"
    assert result.removed == [] and (out / "charts" / "outcome_gdp.png").read_bytes() == b"my own chart"


def test_an_old_manifest_without_digests_claims_nothing(tmp_path, monkeypatch, analysis):
    """A folder written by an older version (names only): its files are not the tool's, so the next
    build needs --force to overwrite them (README: never overwrites a file it did not create unless
    given --force) and removes none of them."""
    _fake_charts(monkeypatch, ("outcome_gdp", "fan_gdp"))
    out = tmp_path / "out"
    xe.build_report(out, analysis=analysis)
    (out / report.MANIFEST).write_text(json.dumps({"files": _manifest(out)["files"]}), encoding="utf-8")
    old_chart = (out / "charts" / "outcome_gdp.png").read_bytes()
    _fake_charts(monkeypatch, ("fan_gdp",))
    with pytest.raises(ReportError, match="was not written by xiangxi-econ.*--force"):
        xe.build_report(out, analysis=analysis)
    result = xe.build_report(out, analysis=analysis, force=True)
    assert result.removed == [] and (out / "charts" / "outcome_gdp.png").read_bytes() == old_chart
    assert "charts/outcome_gdp.png" not in _manifest(out)["files"]
    (out / "charts" / "outcome_gdp.png").unlink()  # a name the tool may write, and not its own: in the way
    xe.build_report(out, analysis=analysis)  # the files of the new manifest are its own again


# ---------------------------------------------------------------------------- temporary files and kills

def test_only_the_tools_own_temporary_files_are_removed(tmp_path):
    """``.<name>.<8 of mkstemp's characters>.tmp`` of a name the tool writes goes; anything else stays."""
    (tmp_path / "charts").mkdir()
    ours = [".report.html.ab_d1234.tmp", ".assessment.xlsx.zz9y8x7w.tmp", "charts/.fan_gdp.png.k2j4_x9a.tmp",
            f".{report.MANIFEST}.q1w2e3r4.tmp"]
    theirs = [".notes.txt.abcd1234.tmp",  # a name the tool does not write
              ".report.html.backup.tmp",  # not 8 random characters
              ".report.html.ABCD1234.tmp",  # mkstemp uses lower case
              "report.html.abcd1234.tmp",  # not hidden
              "charts/.report.html.abcd1234.tmp"]  # report.html is not written in charts/
    for name in ours + theirs:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / ".evaluation.csv.abcd1234.tmp").mkdir()  # a folder
    names = ["report.html", "assessment.xlsx", "charts/fan_gdp.png", report.MANIFEST, "evaluation.csv"]
    if sys.platform != "win32":
        (tmp_path / "elsewhere").write_bytes(b"keep")
        (tmp_path / ".scenarios.csv.abcd1234.tmp").symlink_to(tmp_path / "elsewhere")  # a link
        names.append("scenarios.csv")
    assert _safe_io.remove_temporaries(tmp_path, names) == sorted(ours)
    assert all((tmp_path / name).exists() for name in theirs)
    assert (tmp_path / ".evaluation.csv.abcd1234.tmp").is_dir()
    assert (tmp_path / "elsewhere").read_bytes() == b"keep" or sys.platform == "win32"


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_a_second_run_into_a_folder_being_written_is_refused(tmp_path, analysis):
    out = tmp_path / "out"
    out.mkdir()
    with _safe_io.folder_lock(out), pytest.raises(ReportError, match="being written by another xiangxi-econ run"):
        xe.build_report(out, analysis=analysis)
    assert os.listdir(out) == []


#: Builds the report of data/example_prefecture.csv (fast) into argv[1] in language argv[2] (seed 0
#: for en, 1 for zh, so probabilities.csv differs too), and SIGKILLs itself at argv[3]: "workbook"
#: half-way through saving the workbook, "replace:<file>" just before <file> is renamed into place
#: (the manifest's first rename is the claim before the pass of renames), "none" never.
KILL_DRIVER = '''
import os, signal, sys, warnings
warnings.simplefilter("ignore")
import xiangxi_econ as xe
from xiangxi_econ.face import report

out, lang, kill_at, example = sys.argv[1:5]
charts = {"fan_gdp": b"PNG fan " + lang.encode()}
if lang == "en":
    charts["tourism"] = b"PNG tourism"
report._charts = lambda *a, **k: dict(charts)

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if kill_at == "workbook":
    from openpyxl import Workbook

    def save(self, fh):
        fh.write(b"PK\\x03\\x04 half a workbook")
        fh.flush()
        die()

    Workbook.save = save
elif kill_at.startswith("replace:"):
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if os.path.basename(dst) == kill_at[len("replace:"):]:
            die()
        return real(src, dst, *args, **kwargs)

    os.replace = replace
plan = xe.read_plan(example)
xe.build_report(out, analysis=xe.analyse(plan, lang=lang, n_draws=300, seed=int(lang == "zh")))
'''


def _run_driver(tmp_path: Path, out: Path, lang: str, kill_at: str = "none") -> int:
    import subprocess

    driver = tmp_path / "driver.py"
    driver.write_text(KILL_DRIVER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(driver), str(out), lang, kill_at, str(EXAMPLE)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, -9), done.stderr
    return done.returncode


def _temporaries(folder: Path) -> list[str]:
    """Files named as the tool's temporary files: ``.<name>.<mkstemp's 8 characters>.tmp``."""
    import re

    pattern = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp")
    return sorted(n for n in _own_files(folder) if pattern.fullmatch(n.rsplit("/", 1)[-1]))


def _consistent(folder: Path) -> None:
    """Every file in the folder is listed in the manifest with the SHA-256 of its content (hashlib)."""
    import hashlib

    manifest = _manifest(folder)
    files = _own_files(folder) - {report.MANIFEST}
    assert files == set(manifest["files"])
    assert all(hashlib.sha256((folder / n).read_bytes()).hexdigest() in manifest["sha256"][n] for n in files)


needs_sigkill = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@needs_sigkill
@pytest.mark.parametrize("kill_at", ["workbook", f"replace:{report.MANIFEST}"])
def test_a_build_killed_before_publishing_leaves_the_previous_set_whole(tmp_path, kill_at):
    """Killed while writing the workbook, or with every file written but none renamed yet: the
    previous build's files are all as they were (probabilities.csv and assessment.xlsx of one run),
    and the next build removes the temporary files the kill left, only those, without --force."""
    out = tmp_path / "out"
    assert _run_driver(tmp_path, out, "en") == 0
    before = {n: (out / n).read_bytes() for n in _own_files(out)}
    assert _run_driver(tmp_path, out, "zh", kill_at) == -9
    left = _temporaries(out)
    assert left  # the kill left temporary files (what the next build must clean)
    assert {n: (out / n).read_bytes() for n in before} == before
    assert _own_files(out) == set(before) | set(left)
    decoys = [".notes.txt.abcd1234.tmp", ".report.html.backup.tmp"]
    for name in decoys:
        (out / name).write_bytes(b"user's")
    assert _run_driver(tmp_path, out, "zh") == 0
    assert _temporaries(out) == [".notes.txt.abcd1234.tmp"]  # the decoy of a name the tool does not write
    assert all((out / name).read_bytes() == b"user's" for name in decoys)
    for name in decoys:
        (out / name).unlink()
    _consistent(out)
    assert (out / "probabilities.csv").read_bytes() != before["probabilities.csv"]  # the zh run (seed 1)
    assert not (out / "charts" / "tourism.png").exists()  # the en run's chart, stale, removed


@needs_sigkill
def test_a_build_killed_during_the_renames_is_completed_by_the_next_without_force(tmp_path):
    """Killed in the pass of renames (report.html is renamed last): files of both runs, all claimed
    in the manifest, so the next build replaces them without --force and leaves one consistent set."""
    out = tmp_path / "out"
    assert _run_driver(tmp_path, out, "en") == 0
    before = (out / "report.html").read_bytes()
    assert _run_driver(tmp_path, out, "zh", "replace:report.html") == -9
    assert (out / "report.html").read_bytes() == before
    assert _run_driver(tmp_path, out, "zh") == 0
    assert _temporaries(out) == []
    _consistent(out)
    assert "lang='zh-CN'" in (out / "report.html").read_text(encoding="utf-8")
