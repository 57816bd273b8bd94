"""read_plan: valid files load; every kind of bad file raises one clear error naming the
file, the 1-based row (header = row 1), the column and what was expected; the file is never
modified."""

from __future__ import annotations

import csv
import hashlib

import pytest

import xiangxi_econ as xe
from xiangxi_econ.data.plan_io import PlanFileError

HEADER = ["indicator_id", "name_zh", "name_en", "kind", "unit", "base_year", "base_value",
          "target_year", "target_value", "bound", "source"]
ROWS = [
    ["gdp", "地区生产总值", "GDP", "level", "亿元", "2020", "400", "2025", "560", "at_least", "table row 1"],
    ["urban_rate", "常住人口城镇化率", "Urbanisation rate", "share", "%", "2020", "45", "2025", "50", "", "ch 8"],
    ["jobs", "城镇新增就业", "New urban jobs", "cumulative", "万人", "", "", "2025", "8", "", "ch 11"],
    ["pension", "基本养老保险参保率", "Pension coverage", "qualitative", "%", "", "", "", "", "", "table row 16"],
]


def write_plan(path, rows=None, header=None, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header or HEADER)
        writer.writerows(rows if rows is not None else ROWS)
    return path


def with_cell(row_index, column, value):
    rows = [list(r) for r in ROWS]
    rows[row_index][HEADER.index(column)] = value
    return rows


def test_valid_minimal_plan_loads_with_defaults(tmp_path):
    path = write_plan(tmp_path / "plan.csv")
    plan = xe.read_plan(path)
    ind = plan.indicators.set_index("indicator_id")
    assert list(ind.index) == ["gdp", "urban_rate", "jobs", "pension"]
    # defaults documented in the data README: series_id <- indicator_id, price basis from unit,
    # bound 'exact' when a target is given, direction from the sign of target - base
    assert ind.loc["gdp", "series_id"] == "gdp"
    assert ind.loc["gdp", "price_basis"] == "current"
    assert ind.loc["urban_rate", "price_basis"] == "na"
    assert ind.loc["urban_rate", "bound"] == "exact"
    assert ind.loc["gdp", "bound"] == "at_least"
    assert ind.loc["gdp", "direction"] == "increase"
    # scale from units.csv: 亿元 = 1e8 yuan
    assert ind.loc["gdp", "scale"] == 1e8
    # base values become level observations in the history
    obs = plan.series("gdp")
    assert obs["value"].tolist() == [400.0]
    assert obs["value_base_units"].tolist() == [400.0 * 1e8]


def test_folder_with_history(tmp_path):
    write_plan(tmp_path / "indicators.csv")
    with open(tmp_path / "history.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["series_id", "year", "start_year", "measure", "value", "unit", "price_basis", "source"])
        w.writerow(["gdp", "2015", "", "level", "300", "亿元", "current", "review"])
        w.writerow(["gdp", "2020", "2015", "avg_annual_growth_pct", "6", "%", "comparable", "review"])
    plan = xe.read_plan(tmp_path)
    gdp = plan.series("gdp")
    assert sorted(gdp["measure"]) == ["avg_annual_growth_pct", "level", "level"]


def assert_error(path, row, column, *fragments):
    with pytest.raises(PlanFileError) as info:
        xe.read_plan(path)
    err = info.value
    message = str(err)
    assert str(path) in message
    assert err.row == row
    if row is not None:
        assert f"row {row}" in message
    assert err.column == column
    if column is not None:
        assert f"column '{column}'" in message
    for fragment in fragments:
        assert fragment in message, message
    return err


# one bad cell in an otherwise valid file: ROWS[index] is file row index + 2 (the header is row 1)
@pytest.mark.parametrize("index, column, value, fragments", [
    pytest.param(0, "target_value", "about 560", ("'about 560' is not a number", "expected a number"),
                 id="non-numeric-value"),
    pytest.param(1, "target_value", "50%", ("without the % sign",), id="percent-sign-gets-a-hint"),
    pytest.param(1, "kind", "ratio", ("unknown value 'ratio'", "level, share, rate"), id="unknown-kind"),
    pytest.param(0, "unit", "bn yuan", ("unknown unit 'bn yuan'", "units.csv"), id="unknown-unit"),
    pytest.param(0, "target_year", "2020", ("not after base year 2020",), id="target-year-not-after-base-year"),
    pytest.param(3, "indicator_id", "gdp", ("duplicate indicator_id 'gdp'", "row 2"), id="duplicate-ids"),
    pytest.param(0, "base_value", "-400", ("negative value -400", "'level'"), id="negative-level"),
    pytest.param(1, "target_value", "105", ("share 105 is outside 0-100",), id="share-above-100"),
    pytest.param(0, "base_year", "20", ("not a plausible year",), id="bad-year"),
    pytest.param(0, "indicator_id", "地区生产总值", ("not a valid identifier",), id="bad-identifier"),
    pytest.param(2, "target_value", "", ("needs base_value or target_value",), id="numeric-row-without-numbers"),
])
def test_bad_cell(tmp_path, index, column, value, fragments):
    path = write_plan(tmp_path / "p.csv", with_cell(index, column, value))
    assert_error(path, index + 2, column, *fragments)


def test_missing_column(tmp_path):
    header = [h for h in HEADER if h != "unit"]
    rows = [[c for h, c in zip(HEADER, r, strict=True) if h != "unit"] for r in ROWS]
    path = write_plan(tmp_path / "p.csv", rows, header)
    assert_error(path, 1, None, "missing column(s) unit")


def test_unknown_unit_accepted_when_registered(tmp_path):
    import pandas as pd

    path = write_plan(tmp_path / "p.csv", with_cell(0, "unit", "十亿元"))
    extra = pd.DataFrame({"unit": ["十亿元"], "unit_en": ["billion CNY"], "base_unit": ["CNY"], "scale": [1e9]})
    plan = xe.read_plan(path, units=extra)
    assert plan.indicator("gdp")["scale"] == 1e9


def test_empty_file(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("", encoding="utf-8")
    assert_error(path, None, None, "file is empty")


def test_header_only(tmp_path):
    path = write_plan(tmp_path / "p.csv", rows=[])
    assert_error(path, None, None, "no data rows")


def test_wrong_encoding(tmp_path):
    path = write_plan(tmp_path / "p.csv", encoding="gb18030")
    err = assert_error(path, 2, None, "not UTF-8", "GB18030")
    assert "0x" in str(err)


def test_missing_file(tmp_path):
    assert_error(tmp_path / "nope.csv", None, None, "file not found")


def test_ragged_row(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1] = rows[1][:-2]
    path = write_plan(tmp_path / "p.csv", rows)
    assert_error(path, 3, None, "has 9 cells but the header has 11")


@pytest.mark.parametrize("bad", [
    ("target_value", "abc"), ("kind", "ratio"), ("unit", "bn"), ("base_value", "-1"),
])
def test_file_is_never_modified(tmp_path, bad):
    path = write_plan(tmp_path / "p.csv", with_cell(0, *bad))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    with pytest.raises(PlanFileError):
        xe.read_plan(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert path.stat().st_mtime_ns == mtime


def test_embedded_plan_round_trips_through_read_plan(tmp_path):
    """The embedded files are themselves valid plan files in the public format."""
    from importlib import resources

    data = resources.files("xiangxi_econ") / "data"
    with resources.as_file(data / "indicators.csv") as ind, resources.as_file(data / "history.csv") as hist:
        other = xe.read_plan(ind, history=hist)
    embedded = xe.load_plan()
    assert other.indicators.drop(columns=[]).equals(embedded.indicators)


def test_example_prefecture_file_loads():
    """The example shipped in data/ is a valid plan in the public format."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "example_prefecture.csv"
    plan = xe.read_plan(path)
    assert len(plan.indicators) == 6
    assert plan.indicator("unemployment_rate_urban_surveyed")["direction"] == "decrease"
