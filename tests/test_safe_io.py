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
])
def test_a_bad_manifest_is_ignored_with_a_warning(tmp_path, content):
    path = tmp_path / "m.json"
    path.write_text(content, encoding="utf-8")
    with pytest.warns(ManifestWarning, match=r"m\.json: manifest ignored because .*expected a JSON object"):
        assert _safe_io.read_manifest(path) == []


def test_a_good_manifest_is_read():
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "m.json")
        _safe_io.write_manifest(path, ["report.html", "charts/a.png", "report.html"])
        assert _safe_io.read_manifest(path) == ["charts/a.png", "report.html"]
        assert _safe_io.read_manifest(Path(folder, "missing.json")) == []


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
    listed = json.loads((out / report.MANIFEST).read_text(encoding="utf-8"))["files"]
    # a manifest naming a file of a kind the tool never writes does not get it removed
    (out / report.MANIFEST).write_text(json.dumps({"files": [*listed, "notes.txt"]}), encoding="utf-8")

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
