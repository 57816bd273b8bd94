"""The report command end to end, and its refusals."""

from __future__ import annotations

import csv
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.face.cli import main


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables = 0
        self.images = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables += 1
        if tag == "img":
            self.images.append(dict(attrs).get("src", ""))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["report", "--out", str(out), "--draws", "4000", "--seed", "3"]) == 0
    return out


def test_files_written(report_dir):
    for name in ("report.html", "assessment.xlsx", "assessment.csv", "consistency.csv", "track_record.csv",
                 "probabilities.csv", "scenarios.csv", "historical_pace.csv"):
        assert (report_dir / name).is_file(), name
    assert (report_dir / "charts" / "tourism.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_is_self_contained_and_holds_the_tables(report_dir):
    parser = _Tables()
    parser.feed((report_dir / "report.html").read_text(encoding="utf-8"))
    text = " ".join(parser.text)
    assert parser.tables >= 3
    assert parser.images and all(src.startswith("data:image/png;base64,") for src in parser.images)
    assert "Gross regional product" in text and "1,440亿元" in text
    assert "Contradictions between targets" in text


def test_xlsx_opens_with_the_tables(report_dir):
    from openpyxl import load_workbook

    wb = load_workbook(report_dir / "assessment.xlsx")
    assert {"assessment", "consistency", "track_record", "probabilities", "scenarios"} <= set(wb.sheetnames)
    ws = wb["assessment"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert "required_rate" in header and "verdict" in header
    frame = pd.read_excel(report_dir / "assessment.xlsx", sheet_name="assessment")
    gdp = frame.set_index("indicator_id").loc["gdp"]
    assert gdp["required_rate"] == pytest.approx((1000 / 725.11) ** 0.2 - 1)


def test_csv_matches_the_library(report_dir):
    import xiangxi_econ as xe

    frame = pd.read_csv(report_dir / "assessment.csv")
    expected = xe.assess(xe.load_plan()).to_frame()
    assert frame["indicator_id"].tolist() == expected["indicator_id"].tolist()


def test_rerun_into_own_folder_is_allowed(report_dir):
    assert main(["report", "--out", str(report_dir), "--draws", "1000"]) == 0


def test_manifest_lists_exactly_the_files_and_no_temporary_file_stays(report_dir):
    import json

    from xiangxi_econ.face.report import MANIFEST

    files = {str(p.relative_to(report_dir)).replace("\\", "/") for p in report_dir.rglob("*") if p.is_file()}
    listed = json.loads((report_dir / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert files == {MANIFEST, *listed} and listed == sorted(listed)


def test_existing_foreign_file_is_not_overwritten(tmp_path, capsys):
    (tmp_path / "report.html").write_text("mine", encoding="utf-8")
    assert main(["report", "--out", str(tmp_path), "--draws", "1000"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err and "Traceback" not in err
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "assessment.csv").exists()
    assert main(["report", "--out", str(tmp_path), "--draws", "1000", "--force"]) == 0
    assert (tmp_path / "report.html").read_text(encoding="utf-8") != "mine"


def test_bad_plan_file(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    with open(bad, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["indicator_id", "name_zh", "name_en", "kind", "unit", "base_year", "base_value", "target_year",
                    "target_value", "source"])
        w.writerow(["gdp", "地区生产总值", "GDP", "level", "亿元", "2020", "abc", "2025", "560", "t1"])
    out = tmp_path / "out"
    assert main(["report", "--out", str(out), "--plan", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "row 2" in err and "base_value" in err
    assert not out.exists() or not any(out.iterdir())


def test_unwritable_out(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    assert main(["report", "--out", str(target)]) == 2
    assert "expected a folder" in capsys.readouterr().err
    assert main(["report", "--out", str(target / "sub")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_bad_draws_is_a_usage_error():
    out = subprocess.run([sys.executable, "-m", "xiangxi_econ", "report", "--out", "x", "--draws", "0"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "positive whole number" in out.stderr and "Traceback" not in out.stderr


def test_own_plan_file_report(tmp_path):
    """A user's plan without the Xiangxi identities still gives a report."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "data" / "example_prefecture.csv"
    assert main(["report", "--out", str(tmp_path / "r"), "--plan", str(example), "--draws", "1000"]) == 0
    assert (tmp_path / "r" / "report.html").is_file()


def test_workbook_opens_on_a_summary_and_ends_with_notes(report_dir):
    from openpyxl import load_workbook

    wb = load_workbook(report_dir / "assessment.xlsx")
    assert wb.sheetnames[0] == "summary" and wb.sheetnames[-1] == "notes"
    ws = wb["summary"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["indicator", "unit"] and ws.auto_filter.ref
    names = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert names[0] == "Gross regional product"  # headline order: gdp first (_report_html.HEADLINE_SERIES)
    notes = " ".join(str(c.value) for row in wb["notes"].iter_rows() for c in row)
    assert "on track" in notes and "≥ 0.95" in notes  # the unsd2020 cut-off (verdicts.METHODS)
    assert "gdp 2019" in notes  # the GDP census-revision break (observations' breaks.csv)


def test_csvs_carry_a_byte_order_mark(report_dir):
    """Excel on Chinese Windows reads a CSV as UTF-8 only with the BOM."""
    for name in ("assessment.csv", "evaluation.csv", "consistency.csv"):
        assert (report_dir / name).read_bytes()[:3] == b"\xef\xbb\xbf", name
    assert pd.read_csv(report_dir / "assessment.csv", encoding="utf-8-sig").columns[0] == "indicator_id"


EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example_prefecture.csv"


def _user_plan_folder(tmp_path, meta=None):
    import json
    import shutil

    folder = tmp_path / "myplan"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "indicators.csv")
    shutil.copy(EXAMPLE.with_name("example_prefecture_history.csv"), folder / "history.csv")
    if meta is not None:
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


def test_meta_json_in_a_plan_folder_is_read(tmp_path):
    import xiangxi_econ as xe

    meta = {"title": "某州“十四五”规划纲要", "title_en": "Some Prefecture 14th Plan", "issuer": "某州人民政府",
            "date": "2021-03-01", "region": "Some Prefecture"}
    plan = xe.read_plan(_user_plan_folder(tmp_path, meta))
    assert {k: plan.meta[k] for k in meta} == meta
    assert set(xe.to_iamc(plan)["region"]) == {"Some Prefecture"}  # iamc takes the region from meta.json


def test_bad_meta_json_names_the_file(tmp_path):
    import xiangxi_econ as xe

    folder = _user_plan_folder(tmp_path)
    (folder / "meta.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(xe.PlanFileError, match="meta.json.*JSON object"):
        xe.read_plan(folder)


def test_a_users_report_never_names_xiangxi(tmp_path):
    """Without meta.json the folder name is the title and region; --title and --region override."""
    import xiangxi_econ as xe

    folder = _user_plan_folder(tmp_path)
    assert set(xe.to_iamc(xe.read_plan(folder))["region"]) == {"myplan"}
    out = tmp_path / "r"
    assert main(["report", "--out", str(out), "--plan", str(folder), "--draws", "1000", "--title", "Plan of Elsewhere",
                 "--region", "Elsewhere"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<title>Plan of Elsewhere</title>" in page and "Elsewhere" in page
    text = page.replace("xiangxi_econ", "")  # the tool's own name may appear
    assert "Xiangxi" not in text and "湘西" not in text
    for csv_name in ("assessment.csv", "evaluation.csv"):
        assert "湘西" not in (out / csv_name).read_text(encoding="utf-8-sig")


def test_example_plan_reads_its_history_beside_it():
    """data/example_prefecture_history.csv: gdp 290 (2015) -> 400 (2020) grows (400/290)**0.2 - 1 = 6.64%."""
    import xiangxi_econ as xe

    plan = xe.read_plan(EXAMPLE)
    pace = xe.historical_pace(plan).to_frame().set_index("series_id")
    assert pace.loc["gdp", "computed_rate"] == pytest.approx((400 / 290) ** 0.2 - 1)
    assert pace.loc["urbanisation_rate", "computed_pace_pp"] == pytest.approx(0.8)


def test_validate_warns_about_history_rows_no_indicator_uses(tmp_path, capsys):
    history = tmp_path / "h.csv"
    history.write_text("series_id,year,start_year,measure,value,value_text,unit,price_basis,source,quote\n"
                       "resident_population,2020,,level,250,,万人,na,x,x\n"
                       "gdp,2020,,level,400,,亿元,current,x,x\n", encoding="utf-8")
    assert main(["validate", str(EXAMPLE), "--history", str(history)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("valid plan file, 6 indicator rows")
    assert out[1].startswith("warning:") and "1 history row(s)" in out[1] and "resident_population" in out[1]
    assert main(["validate", str(EXAMPLE), "--history", str(EXAMPLE.with_name("example_prefecture_history.csv"))]) == 0
    assert "warning" not in capsys.readouterr().out


def test_chinese_report_speaks_chinese(tmp_path):
    """--lang zh: html lang, section titles, verdicts and finding explanations from i18n."""
    from xiangxi_econ.i18n import FINDING_TEXT

    out = tmp_path / "zh"
    assert main(["report", "--out", str(out), "--draws", "1000", "--lang", "zh"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<html lang='zh-CN'>" in page
    for words in ("主要目标", "主要发现", "目标之间的矛盾", "方法与定义", "进展顺利", "未达到",
                  FINDING_TEXT["tourism_identity"][1]):
        assert words in page, words
    assert "Contradictions between targets" not in page and "Headline targets" not in page


def test_report_scores_its_own_probabilities_and_looks_ahead(report_dir):
    """Methods says how the engine's ex-ante probabilities scored, with n per plan and the Brier
    scores recomputed here from the backtest rows; the plan period being over, the outlook to 2030
    starts at the latest published figures (2025) with its charts."""
    import numpy as np

    import xiangxi_econ as xe

    page = (report_dir / "report.html").read_text(encoding="utf-8")
    bt = xe.backtest(xe.load_plan())
    t = bt.table[bt.table["scored"]]
    for plan_label, g in t.groupby("plan"):
        brier = np.mean((g["probability"] - g["met"]) ** 2)
        assert f"{plan_label}: {len(g)} targets, Brier {brier:.3f}" in page
    assert "indicative only" in page
    assert "Outlook 2025-2030" in page
    assert (report_dir / "charts" / "outlook_gdp.png").exists()


def test_an_empty_out_is_refused_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    """Path("") is the current folder: --out '' wrote the report there. Refused, naming the argument."""
    import xiangxi_econ as xe
    from xiangxi_econ.exceptions import ReportError

    monkeypatch.chdir(tmp_path)
    assert main(["report", "--out", "", "--draws", "1000"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err and "empty" in err and "Traceback" not in err
    for empty in ("", " ", b""):  # (Path("") is Path("."): the current folder asked for explicitly)
        with pytest.raises(ReportError, match=r"out_dir \(--out\) is .*an empty path"):
            xe.build_report(empty, n_draws=500)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ issue 22: a report a department head reads
@pytest.fixture(scope="module")
def small_analysis():
    return xe.analyse(xe.load_plan(), n_draws=2000, seed=1)


def test_lang_has_one_home_the_analysis(tmp_path, small_analysis):
    """The report is written in the analysis's language; a different ``lang`` beside it is refused
    with both named, never silently mixed (labels in one language, names in the other)."""
    with pytest.raises(ValueError, match="lang='zh' but the analysis was made in 'en'"):
        xe.build_report(tmp_path / "a", analysis=small_analysis, lang="zh")
    assert not (tmp_path / "a" / "report.html").exists()
    xe.build_report(tmp_path / "b", analysis=small_analysis, lang="en")  # the same: accepted
    page = (tmp_path / "b" / "report.html").read_text(encoding="utf-8")
    assert "<html lang='en'>" in page


def test_numbers_by_unit_and_probabilities_with_their_as_of_year(small_analysis):
    """亿元 with one decimal, shares in % with two at most, rates with one (issue 22's 542.8223 beside
    1,368.11 and 1.8212%); the headline probability says it is the ex-ante one as of the base year
    (2020, the 14th plan's base: plan.periods)."""
    from xiangxi_econ.face._report_html import fmt_rate, fmt_value, headline_frame, headline_table

    assert fmt_value(542.8223, "亿元") == "542.8亿元"  # by hand: 542.8223 to one decimal
    assert fmt_value(1368.11, "亿元") == "1,368.1亿元"
    assert fmt_value(1.8212, "%") == "1.82%"
    assert fmt_rate(0.018212) == "1.8%"
    head = headline_table(headline_frame(small_analysis, "en"), "en")
    assert "P(met), ex ante as of 2020" in head


def test_probability_table_shows_each_rows_spread_source_and_the_joint_count(small_analysis):
    """The spread column names the row's class and what its spread was estimated on (or that it is
    assumed), never the trend engine's "default 0.03 log points" beside a calibrated row; the
    methods section says "N of M binding targets", M counting every binding target with a number in
    the plan's indicators (5 in the embedded plan: unemployment, schooling, good-air days, surface
    water, forest cover)."""
    from xiangxi_econ.face._report_html import engine_methods, scenarios_section

    html = str(scenarios_section(small_analysis, {}, "en"))
    t = small_analysis.simulation.table
    calibrated = t[t["probability_model"] == "calibrated forecast"]
    assert len(calibrated) and "default: 0.03 log points" not in html
    assert "estimated on the 300-city GDP panel by vintage" in html
    ind = small_analysis.plan.indicators
    m = int(((ind["attribute"] == "binding") & ind["target_value"].notna()).sum())
    assert m == 5
    n = int(t["attribute"].eq("binding").sum())
    text_ = " ".join(engine_methods(small_analysis.simulation, "en"))
    assert f"all {n} of the {m} binding targets" in text_


def test_spread_column_degrades_without_spread_source():
    """A simulation table from before the per-row spread_source: the trend engine's words, as before."""
    from types import SimpleNamespace

    from xiangxi_econ.face._report_html import spread_text

    row = SimpleNamespace(volatility_source="default: 0.03 log points")
    assert spread_text(row, "en") == "default: 0.03 log points"
    row = SimpleNamespace(spread_source="assumed: class default 3.0 a year", series_class="noisy_share")
    assert spread_text(row, "zh") == "波动性比重：假设值"
