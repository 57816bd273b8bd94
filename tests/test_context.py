"""Tests of the embedded national and provincial context (``xiangxi_econ.data.context``).

Where the numbers come from: the compilation ``data/context_sources.csv`` (each value with its
quote), the documents it names (quoted again here where a test uses them), and hand arithmetic.
"""

from __future__ import annotations

import csv
import importlib.util
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xiangxi_econ.data.context as ctx
from xiangxi_econ.data.context import SERIES_KIND, load_context, national_growth
from xiangxi_econ.exceptions import UnknownIndicatorError

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "context_sources.csv"
SHIPPED = ROOT / "xiangxi_econ" / "data" / "context.csv"


def _builder():
    spec = importlib.util.spec_from_file_location("build_context", ROOT / "data" / "build_context.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


@pytest.fixture(scope="module")
def build():
    return _builder()


@pytest.fixture(scope="module")
def source_rows() -> list[dict[str, str]]:
    with open(SOURCES, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- provenance


def test_every_value_is_printed_in_its_quote(build, source_rows):
    for i, row in enumerate(source_rows, start=2):
        prefix = build.GLUED_PREFIX.get((row["region"], row["series"], int(row["year"])), "")
        assert build.in_quote(row["value"], row["quote"], prefix), f"row {i}: {row['value']} not in its quote"
        assert row["source"].strip() and row["quote"].strip(), f"row {i}: source and quote are required"


def test_in_quote_refuses_a_number_inside_a_longer_one(build):
    assert build.in_quote("6.9", "比上年增长6.9%")
    assert not build.in_quote("6.9", "比上年增长6.95%")
    assert not build.in_quote("53231.0", "地区生产总值253231.0 亿元")
    assert build.in_quote("53231.0", "地区生产总值253231.0 亿元", prefix="2")
    assert not build.in_quote("5.0", "增长15.0%")


def test_builder_reproduces_the_shipped_csv_byte_for_byte(build):
    text = build.render(build.derive(build.read_sources(SOURCES)))
    assert text.encode("utf-8") == SHIPPED.read_bytes()
    assert build.render(build.derive(build.read_sources(SOURCES))) == text  # twice, same bytes


def test_shipped_values_are_the_printed_numbers_in_canonical_units(build, source_rows):
    shipped = load_context()
    for row in source_rows:
        got = shipped[(shipped["region"] == row["region"]) & (shipped["series"] == row["series"])
                      & (shipped["year"] == int(row["year"])) & (shipped["vintage"] == row["vintage"])]
        assert len(got) == 1
        factor = build.UNIT_SCALE[row["unit"]][1]
        assert got["value"].iloc[0] == pytest.approx(float(row["value"]) * factor, rel=1e-12)
        assert got["quote"].iloc[0] == row["quote"]


def test_table_is_tidy_one_row_per_key_and_complete():
    df = load_context()
    assert tuple(df.columns) == ctx.CONTEXT_COLUMNS
    assert not df.duplicated(["region", "series", "year", "vintage"]).any()
    required = [c for c in ctx.CONTEXT_COLUMNS if c != "note"]
    assert not df[required].isna().any().any()
    assert (df[required].astype(str).apply(lambda c: c.str.strip() != "")).all().all()
    assert df["year"].between(2000, 2025).all()
    assert set(df["region"]) <= set(ctx.REGIONS) and set(df["series"]) <= set(SERIES_KIND)
    assert set(df["vintage"]) <= set(ctx.VINTAGES)


@pytest.mark.parametrize("series, unit, basis", [("gdp_nominal", "亿元", "current"),
                                                 ("gdp_real_growth", "%", "comparable"),
                                                 ("disposable_income", "元", "current"),
                                                 ("disposable_income_growth", "%", "current"),
                                                 ("disposable_income_rural", "元", "current"),
                                                 ("urbanisation_rate", "%", "na"),
                                                 ("domestic_tourism_trips", "亿人次", "na")])
def test_each_series_has_one_unit_and_price_basis(series, unit, basis):
    df = load_context(series=series)
    assert set(df["unit"]) == {unit} and set(df["price_basis"]) == {basis}


@pytest.mark.parametrize("column, value, message", [
    ("value", "676709", "not printed in the quote"),
    ("unit", "千元", "is not one of"),
    ("unit", "元", "does not convert to 亿元"),
    ("vintage", "estimate", "is not one of"),
    ("price_basis", "comparable", "gdp_nominal is current"),
    ("year", "1999", "not a year in 2000-2025"),
    ("source", " ", "empty"),
    ("value", "6.8e5", "not a plain decimal"),
])
def test_builder_names_the_row_and_column_of_a_bad_row(build, source_rows, column, value, message):
    rows = [dict(r) for r in source_rows]
    i = next(n for n, r in enumerate(rows) if (r["series"], r["year"]) == ("gdp_nominal", "2015"))
    rows[i][column] = value
    with pytest.raises(build.ContextSourceError, match=rf"row {i + 2}, column '{column}': .*{message}"):
        build.derive(rows)


def test_builder_refuses_a_second_row_for_a_key(build, source_rows):
    rows = [dict(r) for r in source_rows] + [dict(source_rows[0])]
    with pytest.raises(build.ContextSourceError, match=r"second row for .* \(first at row 2\)"):
        build.derive(rows)


# --------------------------------------------------------------------------- spot checks by hand


@pytest.mark.parametrize("year, urban, total, rate", [
    # NBS 2015 communiqué: 年末全国大陆总人口137462万人 ... 城镇常住人口77116万人 ... 常住人口城镇化率为56.10%
    (2015, 77116, 137462, 56.10),
    # NBS 2016 communiqué: 138271万人, 城镇常住人口79298万人, 57.35%
    (2016, 79298, 138271, 57.35),
])
def test_urbanisation_rate_is_urban_over_total_population(year, urban, total, rate):
    df = load_context("china").set_index(["series", "year"])["value"]
    assert df[("urban_population", year)] == urban and df[("total_population", year)] == total
    assert df[("urbanisation_rate", year)] == rate
    # printed to 2 decimals: agreement within half a unit of the last digit
    assert 100 * urban / total == pytest.approx(rate, abs=0.005)


def test_urbanisation_2021_from_urban_and_rural_population():
    # 上海证券报 2023-02-17 on NBS data: 城镇常住人口91425万人, 乡村常住人口49835万人, 城镇化率64.72%
    df = load_context("china").set_index(["series", "year"])["value"]
    urban, rural = df[("urban_population", 2021)], df[("rural_population", 2021)]
    assert 100 * urban / (urban + rural) == pytest.approx(df[("urbanisation_rate", 2021)], abs=0.005)


def test_hunan_2024_gdp_is_the_sum_of_its_three_sectors():
    # Hunan 2024 bulletin, 一、综合: 第一产业增加值4899.7亿元, 第二产业增加值19534.6亿元, 第三产业增加值28796.7亿元.
    # Their sum settles the PDF text "地区生产总值253231.0" (footnote marker 2 glued to 53231.0).
    value = load_context("hunan", "gdp_nominal").set_index("year")["value"][2024]
    assert round(4899.7 + 19534.6 + 28796.7, 1) == value == 53231.0


def test_conversions_from_printed_units():
    df = load_context().set_index(["region", "series", "year"])["value"]
    assert df[("china", "domestic_tourism_spending", 2023)] == 49100  # 4.91万亿元 × 10000
    assert df[("hunan", "gdp_nominal", 2025)] == 55300  # 5.53万亿元 × 10000 (work report, rounded)


def test_nominal_gdp_growth_by_hand():
    g = national_growth("gdp_nominal")
    # 2018 over 2017, NBS first releases: 900309 / 827122
    assert g[2018] == pytest.approx(math.log(900309 / 827122), abs=1e-12)
    # 2016 first release over the 2015 *final* figure (最终核实 689052 supersedes the first release 676708)
    assert g[2016] == pytest.approx(math.log(744127 / 689052), abs=1e-12)
    # 2013 first release (568845) over the 2012 final figure (最终核实 519470, NBS notice of 2014-01-08)
    assert g[2013] == pytest.approx(math.log(568845 / 519470), abs=1e-12)
    # 2006 (first release 209407) over 2004 revised by the 1st economic census (159878): no 2005 level,
    # annualised over the two years; both on the census basis, so a number, not NaN
    assert g[2006] == pytest.approx(math.log(209407 / 159878) / 2, abs=1e-12)
    # nominal growth above real growth in 2016 (6.7%): a positive GDP deflator, as NBS prices rose
    assert g[2016] > math.log1p(0.067)


@pytest.mark.parametrize("region, year", [("china", 2009), ("china", 2014), ("china", 2019), ("china", 2024),
                                          ("hunan", 2019), ("hunan", 2024)])
def test_level_growth_across_an_economic_census_is_nan(region, year):
    # 2019's first release (990865) is on the 4th-census basis, 2018's (900309) is not: ln ratio 9.6%
    # would mix the revision with growth (the 2019 communiqué's real growth is 6.1%)
    g = national_growth("gdp_nominal", region=region)
    assert year in g.index and math.isnan(g[year])
    assert not math.isnan(national_growth("gdp_real_growth", region=region)[year])


def test_real_growth_is_log_of_one_plus_the_printed_rate():
    g = national_growth("gdp_real_growth")
    assert g[2020] == pytest.approx(math.log(1.023), abs=1e-12)  # 2020 communiqué: 比上年增长2.3%
    assert g[2015] == pytest.approx(math.log(1.069), abs=1e-12)  # final and first release agree: 6.9%
    h = national_growth("gdp_real_growth", region="hunan")
    assert h[2021] == pytest.approx(math.log(1.077), abs=1e-12)  # 同比增长7.7%


# --------------------------------------------------------------------------- no look-ahead

GROWABLE = sorted(s for s, k in SERIES_KIND.items() if k != "share")


@settings(max_examples=60, deadline=None)
@given(series=st.sampled_from(GROWABLE), region=st.sampled_from(ctx.REGIONS), t=st.integers(1995, 2030))
def test_as_of_year_never_uses_a_later_year(series, region, t):
    full = national_growth(series, region=region)
    cut = national_growth(series, as_of_year=t, region=region)
    assert (cut.index <= t).all()
    # each g_t reads only years <= t, so the cut series is the full one up to t
    pd.testing.assert_series_equal(cut, full[full.index <= t])


@pytest.mark.parametrize("series", ["gdp_nominal", "gdp_real_growth", "disposable_income", "disposable_income_growth"])
def test_a_poisoned_future_changes_nothing(monkeypatch, series):
    before = national_growth(series, as_of_year=2018)
    clean_full = national_growth(series)
    real = ctx._read()
    poison = real[real["year"] > 2018].assign(value=1e12)
    monkeypatch.setattr(ctx, "_read", lambda: pd.concat([real[real["year"] <= 2018], poison], ignore_index=True))
    after = national_growth(series, as_of_year=2018)
    pd.testing.assert_series_equal(before, after)
    assert not national_growth(series).equals(clean_full)  # the poison is visible without the cut


def test_growth_before_any_data_is_empty():
    g = national_growth("gdp_nominal", as_of_year=2003)
    assert g.empty and g.name == "china_gdp_nominal_log_growth" and g.index.name == "year"  # 2000 alone
    assert national_growth("disposable_income", as_of_year=2013).empty  # first year of the integrated survey


# --------------------------------------------------------------------------- errors


def test_unknown_series_names_the_choices():
    with pytest.raises(UnknownIndicatorError, match=r"no series 'gdp' in the embedded context; choose one of "
                                                    r"gdp_nominal, gdp_real_growth"):
        national_growth("gdp")
    with pytest.raises(KeyError):
        load_context(series="tourism")


def test_unknown_region_names_the_choices():
    with pytest.raises(UnknownIndicatorError, match=r"no region 'xiangxi' .* choose one of china, hunan"):
        load_context("xiangxi")


def test_share_series_has_no_growth_rate():
    with pytest.raises(ValueError, match=r"urbanisation_rate is a share .* percentage points"):
        national_growth("urbanisation_rate")


@pytest.mark.parametrize("bad", ["2019", 2019.0, True])
def test_as_of_year_must_be_an_integer(bad):
    with pytest.raises(TypeError, match="as_of_year must be an integer year"):
        national_growth(as_of_year=bad)


def test_load_context_returns_a_copy():
    df = load_context("china")
    df.loc[:, "value"] = 0.0
    assert load_context("china")["value"].gt(0).all()


# --------------------------------------------------------------------------- income, census revisions, coverage


@pytest.mark.parametrize("series", ["disposable_income", "disposable_income_urban", "disposable_income_rural"])
def test_printed_nominal_income_growth_matches_the_printed_levels(series):
    # Two independent prints of each release: the level (元) and 比上年名义增长 r (%, one decimal). Where
    # both years' levels are in the file, 100 (L_t / L_{t-1} - 1) rounds to r: within half a unit of the
    # last printed digit (0.05 pp) plus 1e-9. A mistyped level or rate would break it.
    levels = load_context("china", series).set_index("year")["value"]
    rates = load_context("china", f"{series}_growth").set_index("year")["value"]
    checked = [t for t in rates.index if t - 1 in levels.index and t in levels.index]
    assert len(checked) >= 9  # 2016-2025 at least
    for t in checked:
        assert 100 * (levels[t] / levels[t - 1] - 1) == pytest.approx(rates[t], abs=0.05 + 1e-9), t


def test_income_log_growth_by_hand():
    # NBS: 2019 全国居民人均可支配收入30733元; 2018 28228元 (both quoted in data/context_sources.csv)
    g = national_growth("disposable_income", as_of_year=2020)
    assert g[2019] == pytest.approx(math.log(30733 / 28228), abs=1e-12)
    assert g.index.max() == 2020 and 2021 not in g.index
    # printed as a rate: 比上年名义增长8.9% -> ln(1.089)
    assert national_growth("disposable_income_growth")[2019] == pytest.approx(math.log(1.089), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(t=st.integers(2010, 2026))
def test_income_growth_as_of_a_year_reads_no_later_year(t):
    g = national_growth("disposable_income", as_of_year=t)
    assert (g.index <= t).all()
    levels = load_context("china", "disposable_income").query("year <= @t").set_index("year")["value"]
    # recomputed here from the levels up to t alone: consecutive-year log differences
    for year in g.index:
        prev = levels.index[levels.index < year].max()
        assert g[year] == pytest.approx((math.log(levels[year]) - math.log(levels[prev])) / (year - prev), abs=1e-12)


def test_census_revision_bridges_a_break_and_a_first_release_does_not():
    g = national_growth("gdp_nominal")
    # 2000 (89404, first basis) to 2004 revised by the 1st economic census (159878): bases differ -> NaN
    assert math.isnan(g[2004])
    # 2009 initial revision (340507, 2nd-census basis) over the 2008 first release (300670): NaN
    assert math.isnan(g[2009])
    # 2008 first release over the 2007 final figure (257306), both before the 2nd census: a number
    assert g[2008] == pytest.approx(math.log(300670 / 257306), abs=1e-12)
    # a census revision of the year before a break would bridge it: 2004 on the 1st-census basis
    bridged = ctx._basis(pd.Index([2004, 2006]), pd.Series(["census_revision", "first_release"]),
                         ctx.LEVEL_BREAKS["gdp_nominal"])
    assert bridged.iloc[0] == bridged.iloc[1] == 1


@pytest.mark.parametrize("series, years", [
    ("disposable_income", {2013, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025}),
    ("disposable_income_urban", set(range(2015, 2026))),
    ("disposable_income_rural", set(range(2015, 2026))),
    ("gdp_nominal", {2000, 2004, 2006, 2007, 2008, 2009, 2010, 2011, 2012} | set(range(2013, 2026))),
    ("gdp_real_growth", {2006, 2007, 2008, 2009, 2010, 2011, 2012}),
])
def test_coverage_of_the_added_years(series, years):
    assert years <= set(load_context("china", series)["year"])


@pytest.mark.parametrize("year", [2018, 2019, 2022, 2023, 2024])
def test_urbanisation_is_urban_over_urban_plus_rural(year):
    # Each release prints 城镇常住人口, 乡村常住人口 and 城镇化率 separately; the rate, printed to two
    # decimals, is urban / (urban + rural) within half a unit of its last digit, and the two parts sum
    # to the printed total (年末全国人口 / 大陆总人口) exactly.
    df = load_context("china").set_index(["series", "year"])["value"]
    urban, rural = df[("urban_population", year)], df[("rural_population", year)]
    assert urban + rural == df[("total_population", year)]
    assert 100 * urban / (urban + rural) == pytest.approx(df[("urbanisation_rate", year)], abs=0.005 + 1e-9)
