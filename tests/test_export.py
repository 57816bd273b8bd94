"""IAMC round trips and Excel sheets."""

from __future__ import annotations

import pandas as pd
import pytest

import xiangxi_econ as xe


@pytest.fixture(scope="module")
def plan():
    return xe.load_plan()


def test_iamc_round_trip_scenarios(plan, tmp_path):
    s = xe.scenarios(plan, "plan", "trend", end_year=2030)
    frame = xe.to_iamc(s)
    path = tmp_path / "scen.csv"
    frame.to_csv(path, index=False, encoding="utf-8")
    back = xe.io.read_iamc(path)
    pd.testing.assert_frame_equal(back, frame)
    paths = xe.io.scenarios_from_iamc(back).sort_values(["scenario", "indicator_id", "year"]).reset_index(drop=True)
    orig = s.to_frame()[["scenario", "indicator_id", "year", "value", "unit"]].sort_values(
        ["scenario", "indicator_id", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(paths, orig, check_exact=False, rtol=1e-15)


def test_iamc_plan_and_history(plan):
    frame = xe.to_iamc(plan)
    assert set(frame["scenario"]) == {"baseline", "target", "history"}
    gdp = frame[(frame["variable"] == "gdp") & (frame["scenario"] == "target")]
    assert gdp["value"].tolist() == [1000.0] and gdp["year"].tolist() == [2025] and gdp["unit"].tolist() == ["亿元"]


def test_iamc_wide_layout_and_errors(tmp_path):
    wide = pd.DataFrame({"Model": ["m"], "Scenario": ["s"], "Region": ["r"], "Variable": ["v"], "Unit": ["u"],
                         "2020": [1.0], "2025": [2.0]})
    long = xe.io.read_iamc(wide)
    assert long["year"].tolist() == [2020, 2025] and long["value"].tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="missing IAMC column"):
        xe.io.read_iamc(pd.DataFrame({"model": ["m"]}))
    bad = wide.assign(**{"2025": ["x"]})
    with pytest.raises(ValueError, match="column 'value'"):
        xe.io.read_iamc(bad)
    with pytest.raises(TypeError, match="expected a Plan or a ScenarioSet"):
        xe.to_iamc(42)


def test_excel_sheet_formats(plan, tmp_path):
    from openpyxl import load_workbook

    path = xe.assess(plan).to_excel(tmp_path / "a.xlsx")
    ws = load_workbook(path).active
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    col = header.index("required_rate") + 1
    assert ws.cell(2, col).number_format == "0.00%"
    ids = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert "gdp" in ids
    row = ids.index("gdp") + 2
    assert ws.cell(row, col).value == pytest.approx((1000 / 725.11) ** 0.2 - 1)
    # a value printed in percent stays a plain number
    base_col = header.index("base_value") + 1
    assert ws.cell(ids.index("urbanisation_rate") + 2, base_col).number_format == "General"


def test_write_excel_several_sheets(tmp_path):
    from openpyxl import load_workbook

    path = xe.write_excel({"a/b": pd.DataFrame({"x": [1]}), "a?b": pd.DataFrame({"y": [2]})}, tmp_path / "w.xlsx")
    assert load_workbook(path).sheetnames == ["ab", "ab_2"]


def test_write_excel_formats_filters_and_colours(tmp_path):
    """pp, ratio, percent and rounded formats follow the column key; verdict cells are coloured by
    tone (xiangxi_econ.face._report_html.TONES: on_track good, not_met bad); headers can be human."""
    from openpyxl import load_workbook

    from xiangxi_econ.face.export import FILLS

    frame = pd.DataFrame({"verdict": ["on_track", "not_met"], "required_rate": [0.0664, 0.05],
                          "required_pace_pp": [1.0, -0.5], "ratio": [1.054211, 0.3], "q50": [1016.572592, 2.0],
                          "base_value": [725.11, 50.0]})
    path = xe.write_excel({"s": frame}, tmp_path / "f.xlsx", headers={"s": {"ratio": "historical / required"}})
    ws = load_workbook(path)["s"]
    header = [c.value for c in ws[1]]
    assert header[3] == "historical / required" and header[0] == "verdict"
    assert ws.auto_filter.ref == "A1:F3"
    formats = {h: ws.cell(2, j).number_format for j, h in enumerate(header, start=1)}
    assert formats["required_rate"] == "0.00%" and formats["historical / required"] == "0.00"
    assert formats["required_pace_pp"].startswith('+0.00" pp"') and formats["q50"] == "#,##0.00"
    assert formats["base_value"] == "General"  # printed plan values stay as printed
    assert ws.cell(2, 1).fill.fgColor.rgb.endswith(FILLS["good"])
    assert ws.cell(3, 1).fill.fgColor.rgb.endswith(FILLS["bad"])


def test_write_excel_stores_text_as_text(tmp_path):
    """A name starting with '=' (or an error code such as '#N/A') is stored as text, never as a
    formula or an error value; control characters a workbook cannot hold do not stop the write."""
    from openpyxl import load_workbook

    frame = pd.DataFrame({"=name": ["=SUM(A1:A9)", "#N/A", "+1", "bell\x07", "plain"], "value": [-1.5, 2, 3, 4, 5]})
    path = xe.write_excel({"s": frame}, tmp_path / "t.xlsx", headers={"s": {"value": "@value"}})
    ws = load_workbook(path)["s"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type in ("f", "e")] == []
    assert [c.value for c in ws["A"]] == ["=name", "=SUM(A1:A9)", "#N/A", "+1", "bell\ufffd", "plain"]
    assert ws["B1"].value == "@value" and ws["B2"].value == -1.5 and ws["B2"].data_type == "n"


def test_write_excel_replaces_atomically(tmp_path, monkeypatch):
    from openpyxl import Workbook

    path = xe.write_excel({"s": pd.DataFrame({"x": [1]})}, tmp_path / "w.xlsx")
    before = path.read_bytes()

    def broken(self, fh):
        fh.write(b"PK half")
        raise RuntimeError("interrupted")

    monkeypatch.setattr(Workbook, "save", broken)
    with pytest.raises(RuntimeError, match="interrupted"):
        xe.write_excel({"s": pd.DataFrame({"x": [2]})}, path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["w.xlsx"]
