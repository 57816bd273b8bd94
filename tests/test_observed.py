"""Observed data (xiangxi_econ.data.observed): the embedded observations and breaks, reading a user's
file, breaks refusing rates, and the plan's printed figures beside the published ones.

Where the expected numbers come from is said in each test: a clause of a published source (quoted
in observations.csv and in ../shared/data), the plan's own tables, or hand arithmetic."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import os
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.data.observed import (
    KEY,
    assign_segments,
    check_no_break,
    combine_with_plan_history,
    load_observations,
    read_observations,
    same_figure,
    segment_window,
)
from xiangxi_econ.data.plan_io import default_units
from xiangxi_econ.exceptions import PlanFileError, StatisticalBreakError, UnknownIndicatorError
from xiangxi_econ.schema import GRADES, OBSERVATION_MEASURES, STATUSES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "xiangxi_econ" / "data"
SHARED_CSV = ROOT.parent / "shared" / "data" / "xiangxi_observations_sources.csv"


@pytest.fixture(scope="module")
def obs():
    return load_observations()


@pytest.fixture(scope="module")
def raw():
    """The committed file as text cells, exactly as shipped."""
    return pd.read_csv(DATA / "observations.csv", dtype=str, keep_default_na=False)


# --------------------------------------------------------------------------- numbers in quotes

_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(billion|million)?")
_CONVERTED = re.compile(r"converted: (?P<num>\d+(?:\.\d+)?)(?: (?P<word>billion|million))? "
                        r"(?:(?P<op>[×÷]) (?P<factor>\d+)|rounded) = (?P<value>-?\d+(?:\.\d+)?) (?P<unit>[^\s;]+)")


def printed_numbers(quote: str) -> list[tuple[Decimal, str]]:
    """Numbers in a quote, thousands separators removed ("15,442" -> 15442), with an English scale
    word following them ("60.505 billion")."""
    return [(Decimal(m.group(1).replace(",", "")), m.group(2) or "") for m in _NUMBER.finditer(quote)]


def decimals(text: str) -> int:
    exponent = Decimal(text).normalize().as_tuple().exponent
    return max(0, -exponent)


def apply_conversion(number: Decimal, op: str | None, factor: str | None, value_text: str) -> Decimal:
    """The arithmetic of a conversion note, rounded to the printed decimals of the value."""
    result = number if op is None else number * Decimal(factor) if op == "×" else number / Decimal(factor)
    return result.quantize(Decimal(1).scaleb(-decimals(value_text)))


def test_conversion_arithmetic_by_hand():
    # English "billion" = 10 亿 (1e9 / 1e8): the provincial English site's "GDP: 60.505 billion CNY (2018)"
    assert apply_conversion(Decimal("60.505"), "×", "10", "605.05") == Decimal("605.05")
    # CSMAR prints value added in 万元: 1794200 万元 = 179.42 亿元 (1 亿 = 10000 万)
    assert apply_conversion(Decimal("1794200.0000"), "÷", "10000", "179.42") == Decimal("179.42")
    # "Population: 2.6495 million (2018)" = 264.95 万人 (1 million = 100 万)
    assert apply_conversion(Decimal("2.6495"), "×", "100", "264.95") == Decimal("264.95")
    # "207.71 million USD" = 2.0771 亿美元 (1 亿 = 100 million)
    assert apply_conversion(Decimal("207.71"), "÷", "100", "2.0771") == Decimal("2.0771")
    # a figure printed with four decimals and stored with two is a rounding: 26691.1342 -> 26691.13
    assert apply_conversion(Decimal("26691.1342"), None, None, "26691.13") == Decimal("26691.13")
    # thousands separators: "Inbound tourists: 218,700" holds the number 218700
    assert printed_numbers("Inbound tourists: 218,700 (2018)")[0] == (Decimal(218700), "")


def test_every_value_is_printed_in_its_quote(raw):
    """Each value is a number of its quoted clause, or a conversion of one documented in ``note``
    (``converted: <printed> <op> <factor> = <value> <unit>``) whose arithmetic holds."""
    for row in raw.itertuples():
        numbers = printed_numbers(row.quote)
        value = Decimal(row.value)
        match = _CONVERTED.search(row.note)
        where = f"{row.series_id} {row.year} {row.value} ({row.source[:60]})"
        if match is None:
            assert abs(value) in [n for n, _ in numbers], f"{where}: {row.value} not in quote {row.quote[:120]!r}"
            if value < 0:  # a fall is printed as 下降 x or -x
                assert "下降" in row.quote or f"-{abs(value)}" in row.quote, where
            continue
        printed = (Decimal(match["num"]), match["word"] or "")
        assert printed in numbers, f"{where}: converted from {printed}, which the quote does not print"
        assert match["unit"] == row.unit, where
        assert Decimal(match["value"]) == value, where
        assert apply_conversion(printed[0], match["op"], match["factor"], row.value) == value, where


def test_converted_rows_are_documented(raw):
    # the rows the shared README calls conversions: English billions and CSMAR's 万元 value added
    csmar_va = raw[raw["source"].str.contains("CSMAR") & raw["series_id"].str.endswith("_sector_va")]
    assert len(csmar_va) == 15  # 2017-2021 x primary/secondary/tertiary
    assert csmar_va["note"].str.contains("÷ 10000").all()
    gdp_2018_en = raw[(raw["series_id"] == "gdp") & (raw["year"] == "2018") & raw["quote"].str.contains("billion")]
    assert gdp_2018_en["note"].tolist() == ["converted: 60.505 billion × 10 = 605.05 亿元; "
                                            "compiler's remark: 60.505 billion CNY"]


# --------------------------------------------------------------------------- file contract

def test_no_grade_d_and_allowed_values(raw):
    assert not raw["series_id"].str.contains("UNRELIABLE").any()
    assert set(raw["grade"]) <= set(GRADES) and "D" not in set(raw["grade"])
    assert set(raw["status"]) <= set(STATUSES)
    assert set(raw["measure"]) <= set(OBSERVATION_MEASURES)
    # the 2020 GDP figure 645.7 of the [UNRELIABLE] article is not shipped
    assert not ((raw["series_id"] == "gdp") & (raw["value"] == "645.7")).any()


def test_every_unit_is_registered(raw):
    units = default_units()
    assert all(u in units for u in raw["unit"].unique())


def test_one_preferred_row_per_key(obs):
    counts = obs.table.groupby(KEY)["preferred"].sum()
    assert (counts == 1).all(), counts[counts != 1]


def test_counts_of_the_build(raw):
    # 190 compiled rows - 1 grade D - 4 not annual (two half-year figures, the 2011-2015 investment total,
    # the undated "森林覆盖率稳定在60%以上") = 185, + tax revenue printed in the bulletin's fiscal clause = 186
    assert len(raw) == 186
    breaks = pd.read_csv(DATA / "breaks.csv", dtype=str, keep_default_na=False)
    assert len(breaks) == 14


def test_committed_segments_match_the_breaks(raw, obs):
    # the shipped segment column is what the shipped breaks give (reading recomputes it)
    recomputed = assign_segments(raw["series_id"], raw["year"].astype(int), obs.breaks)
    assert raw["segment"].astype(int).tolist() == recomputed.tolist()
    gdp = raw[(raw["series_id"] == "gdp") & (raw["measure"] == "level")]
    assert gdp.loc[gdp["year"] == "2018", "segment"].unique().tolist() == ["0"]
    assert gdp.loc[gdp["year"] == "2019", "segment"].unique().tolist() == ["1"]


@pytest.mark.skipif(not SHARED_CSV.exists(), reason="../shared/data/xiangxi_observations_sources.csv is not "
                                                     "next to the project; the rebuild cannot be checked")
def test_committed_files_are_reproducible():
    """Re-running the build script's derivation in memory gives the shipped bytes."""
    spec = importlib.util.spec_from_file_location("build_observations", ROOT / "data" / "build_observations.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    rows, breaks, excluded = build.derive(build.read_shared(SHARED_CSV))
    assert build.render(rows, build.OBS_COLUMNS) == (DATA / "observations.csv").read_text(encoding="utf-8")
    assert build.render(breaks, build.BREAK_COLUMNS) == (DATA / "breaks.csv").read_text(encoding="utf-8")
    assert excluded["grade_D"] == 1
    assert sum(excluded["out_of_scope"].values()) == 4


# --------------------------------------------------------------------------- hand references

def test_published_2025_figures(obs):
    # 2025 bulletin: "全州实现生产总值（GDP）889.5 亿元", "城镇化率55.24%", "全州居民人均可支配收入 24783元"
    assert obs.series("gdp")[2025] == 889.5
    assert obs.series("urbanisation_rate")[2025] == 55.24
    assert obs.series("disposable_income_per_capita")[2025] == 24783
    assert obs.latest("gdp")["grade"] == "A"
    # press conference 2025-11-03: GDP 2020 "725.1亿元" (grade A-) beats CSMAR's 725.11 (B+)
    assert obs.latest("gdp", up_to_year=2020)["value"] == 725.1


def test_2015_gdp_has_two_versions_and_the_plans_is_marked(obs):
    t = obs.table
    gdp15 = t[(t["series_id"] == "gdp") & (t["year"] == 2015) & (t["measure"] == "level")]
    incl = gdp15[gdp15["version"] == "incl_relocated_tobacco"]
    excl = gdp15[gdp15["version"] == "excl_relocated_tobacco"]
    # 2015 bulletin: "生产总值为512亿元 ... (不含新增卷烟易地生产指标生产总值为497.2亿元)"; work report 511.9
    assert sorted(incl["value"]) == [511.9, 512.0]
    assert sorted(excl["value"]) == [497.19, 497.2]
    assert incl["used_by_plan"].all() and not excl["used_by_plan"].any()
    # default series follows the plan's version; the other is one argument away
    assert obs.series("gdp")[2015] == 511.9  # grade A (2016 work report) over B
    assert obs.series("gdp", version="excl_relocated_tobacco")[2015] == 497.19  # more digits, same grade
    assert obs.series("gdp", version="excl_relocated_tobacco")[2025] == 889.5


def test_2017_final_beats_the_january_estimate(obs):
    # shared README trap 2: 585 is a 预计 estimate of January 2018, 575.55 the final figure
    assert obs.series("gdp")[2017] == 575.55
    all_2017 = obs.series("gdp", preferred_only=False).loc[[2017]]
    assert sorted(all_2017) == [575.55, 585.0]


def test_series_converts_to_one_unit(obs):
    # press conference: rural income "1.12万元" (2020) = 11200 元; the series' unit is 元 (5 of 7 rows)
    rural = obs.series("rural_disposable_income_per_capita")
    assert rural.attrs["unit"] == "元"
    assert rural[2020] == pytest.approx(11200, rel=1e-12)


def test_unknown_series_suggests_the_close_ones(obs):
    with pytest.raises(UnknownIndicatorError, match="did you mean gdp"):
        obs.series("gpd")


# --------------------------------------------------------------------------- breaks

def test_gdp_rate_across_the_census_revision_is_refused(obs):
    with pytest.raises(StatisticalBreakError) as info:
        check_no_break(obs, "gdp", 2015, 2025)
    message = str(info.value)
    assert "2019" in message and "census" in message and "2019-2025" in message
    # the shared README, trap 3: 2018 605.05 -> 2019 705.71 is the 4th economic census revision
    assert segment_window(obs, "gdp", 2015, 2025) == (2019, 2025)
    assert check_no_break(obs, "gdp", 2019, 2025).empty
    found = check_no_break(obs, "gdp", 2015, 2025, allow=True)
    assert found[["year", "kind"]].values.tolist() == [[2019, "census_revision"]]


def test_forest_cover_method_change(obs):
    # 70.24% (2018, old method) vs 60.35% (2025, land-survey method): shared README trap 5
    with pytest.raises(StatisticalBreakError, match="method"):
        check_no_break(obs, "forest_cover", 2018, 2025)
    assert obs.segment_of("forest_cover", 2018) == 0
    assert obs.segment_of("forest_cover", 2025) == 1


def test_tourism_definition_change(obs):
    # from 2020 on revenue is 游客总花费: shared README trap 4
    with pytest.raises(StatisticalBreakError, match="definition"):
        check_no_break(obs, "tourism_revenue", 2019, 2021)
    # arrivals are counted as before: no public source documents a change, so there is no break
    assert check_no_break(obs, "tourism_arrivals", 2019, 2021).empty


def test_population_rebase_and_breaks_between(obs):
    # resident population 264.95万 (2018) vs 236.06万 (2025): the 2020 census re-base
    b = obs.breaks_between("resident_population", 2018, 2025)
    assert b[["year", "kind"]].values.tolist() == [[2020, "rebase"]]
    assert obs.breaks_between("resident_population", 2020, 2025).empty  # 2020 starts the new segment


def test_break_of_an_unknown_series(obs):
    with pytest.raises(UnknownIndicatorError):
        check_no_break(obs, "no_such_series", 2015, 2020)


# --------------------------------------------------------------------------- reading a user's file

GOOD = [["series_id", "year", "value", "unit", "source", "measure", "status"],
        ["gdp", "2025", "900", "亿元", "my estimate", "", ""],
        ["gdp", "2026", "-1.5", "%", "my forecast", "growth_pct", "preliminary"],
        ["my_share", "2024", "45", "%", "survey", "", ""]]


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def fingerprint(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest(), os.stat(path).st_mtime_ns


def test_valid_user_file_and_its_defaults(tmp_path):
    path = write(tmp_path / "mine.csv", GOOD)
    before = fingerprint(path)
    mine = read_observations(path)
    assert fingerprint(path) == before
    t = mine.table.set_index(["series_id", "year"])
    # defaults documented in read_observations: level, final, price basis current for money, na otherwise
    assert t.loc[("gdp", 2025), "measure"] == "level"
    assert t.loc[("gdp", 2025), "status"] == "final"
    assert t.loc[("gdp", 2025), "price_basis"] == "current"
    assert t.loc[("my_share", 2024), "price_basis"] == "na"
    assert t.loc[("gdp", 2025), "value_base_units"] == 900 * 1e8  # 亿元 = 1e8 CNY (units.csv)
    assert t.loc[("gdp", 2026), "value"] == -1.5  # a growth rate may be negative
    assert set(mine.table["origin"]) == {"user"}
    assert mine.segment_of("gdp", 2025) == 1  # embedded breaks apply by default


def with_cell(row, column, value):
    rows = [list(r) for r in GOOD]
    rows[row - 1][GOOD[0].index(column)] = value  # row is 1-based, header = row 1
    return rows


BAD_FILES = [
    # (rows, row, column, fragment of the message)
    (with_cell(2, "unit", "亿圆"), 2, "unit", "unknown unit"),
    (with_cell(3, "value", "4.2%"), 3, "value", "not a number"),
    (with_cell(2, "year", "20x5"), 2, "year", "not a number"),
    (with_cell(4, "year", "1850"), 4, "year", "plausible year"),
    (with_cell(3, "status", "estimate"), 3, "status", "final, preliminary, lower_bound"),
    (with_cell(4, "value", "120"), 4, "value", "outside 0-100"),
    (with_cell(2, "value", "-900"), 2, "value", "negative level"),
    (GOOD + [["gdp", "2025", "901", "亿元", "another", "level", ""]], 5, "value",
     "conflicting duplicate observation of gdp 2025 (level): 900 亿元 on row 2 and 901 亿元 on row 5"),
    (with_cell(2, "series_id", "GDP 2025"), 2, "series_id", "not a valid identifier"),
    ([r[:3] + r[4:] for r in GOOD], 1, None, "missing column(s) unit"),
]


@pytest.mark.parametrize("rows, row, column, fragment", BAD_FILES)
def test_bad_user_file_gives_one_clear_error(tmp_path, rows, row, column, fragment):
    path = write(tmp_path / "bad.csv", rows)
    before = fingerprint(path)
    with pytest.raises(PlanFileError) as info:
        read_observations(path)
    err = info.value
    assert err.row == row and f"row {row}" in str(err)
    assert err.column == column
    if column is not None:
        assert f"column '{column}'" in str(err)
    assert str(path) in str(err) and fragment in str(err)
    assert fingerprint(path) == before


def test_grade_d_is_refused(tmp_path):
    rows = [GOOD[0] + ["grade"], GOOD[1] + ["D"]]
    with pytest.raises(PlanFileError, match="one of A, A-, B\\+, B, C") as info:
        read_observations(write(tmp_path / "d.csv", rows))
    assert (info.value.row, info.value.column) == (2, "grade")


# --------------------------------------------------------------------------- merged

def test_merged_user_rows_override_and_add(tmp_path, obs):
    mine = read_observations(write(tmp_path / "mine.csv", GOOD))
    both = obs.merged(mine)
    # the user's 900 replaces the bulletin's 889.5 for gdp 2025; the other years are untouched
    assert both.series("gdp")[2025] == 900
    assert both.series("gdp")[2024] == 855.9
    assert both.series("my_share")[2024] == 45
    assert len(both.table) == len(obs.table) - 1 + 3  # one embedded 2025 GDP row replaced, three added
    assert set(both.table["origin"]) == {"embedded", "user"}
    assert both.table.groupby(KEY)["preferred"].sum().eq(1).all()
    assert len(obs.table) == 186  # the original is unchanged


# --------------------------------------------------------------------------- plan vs published

def test_same_figure_rule():
    # within the rounding of the printed digits: 725.1 is 725.11 printed with one decimal
    assert same_figure(725.11, 1e8, 725.1, 1e8)
    # 1.12万元 (press conference) is 11242元 (plan, rural income 2020) rounded to 0.01万
    assert same_figure(1.12, 1e4, 11242, 1)
    # 517 (plan, 2015) is not 511.9 (2016 work report)
    assert not same_figure(517, 1e8, 511.9, 1e8)


@pytest.fixture(scope="module")
def combined(obs):
    return combine_with_plan_history(xe.load_plan().history, obs)


def test_gdp_2020_appears_once(combined):
    # the plan prints 725.11 (专栏2, 专栏1) and 725.1 (第一章); the press conference 725.1: one figure
    rows = combined[(combined["series_id"] == "gdp") & (combined["year"] == 2020)]
    assert rows[["value", "origin"]].values.tolist() == [[725.11, "plan"]]
    assert "published: 725.1亿元 (grade A-" in rows["confirmed_by"].iloc[0]
    assert rows["conflict"].iloc[0] == ""


def test_tourism_arrivals_2020_conflict_is_kept_and_explained(combined):
    # plan: 5490万人次 for 2020; press conference 2025-11-03: 4206.2万人次 (shared README trap 4)
    rows = combined[(combined["series_id"] == "tourism_arrivals") & (combined["year"] == 2020)]
    assert sorted(rows["origin"]) == ["plan", "published"]
    assert sorted(rows["value"]) == [4206.2, 5490.0]
    for text in rows["conflict"]:
        assert "plan prints 5490万人次 for 2020" in text and "4206.2万人次" in text and "2019" in text


def test_income_printed_in_another_unit_is_the_same_figure(combined):
    # plan 2020 rural income 11242元 (第一章); press conference "1.12万元": same figure, one row
    rows = combined[(combined["series_id"] == "rural_disposable_income_per_capita") & (combined["year"] == 2020)]
    assert rows["origin"].tolist() == ["plan"]


# --------------------------------------------------------------------------- display

def test_displays_are_reproducible(obs):
    assert obs.summary() == load_observations().summary()
    assert "\n" not in repr(obs) and repr(obs).startswith("<Observations: 186 rows")
    assert "<table" in obs._repr_html_()
    assert "gdp 2019 census_revision" in obs.summary()
