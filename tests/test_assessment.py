"""Assessment, historical pace, track record and progress evaluation against values computed by
hand from the plan's printed numbers (clause cited at each test; tolerances stated)."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from scipy.optimize import brentq

import xiangxi_econ as xe


@pytest.fixture(scope="module")
def plan():
    return xe.load_plan()


@pytest.fixture(scope="module")
def table(plan):
    return xe.assess(plan).to_frame().set_index("indicator_id")


# --------------------------------------------------------------------------- historical pace

def test_gdp_historical_pace_nominal_vs_reported_real(plan):
    """专栏1 序号1: 517 (2015) -> 725.11 (2020), reported 6% (real). By hand:
    (725.11/517)**(1/5) - 1 = exp(ln(1.402534)/5) - 1 = 0.070 0 (7.0% nominal)."""
    hp = xe.historical_pace(plan).to_frame().set_index("series_id")
    gdp = hp.loc["gdp"]
    assert gdp["computed_rate"] == pytest.approx(0.07001, abs=5e-5)
    assert gdp["reported_rate"] == pytest.approx(0.06, abs=1e-12)
    assert gdp["reported_basis"] == "comparable" and gdp["levels_basis"] == "current"
    assert gdp["flag"]
    assert "real" in gdp["explanation"]
    # implied deflator (1.07/1.06 - 1) = 0.94%, printed to one decimal
    assert "0.9%" in gdp["explanation"]


def test_urbanisation_historical_pace_pp(plan):
    """专栏1 序号8: 41.1 (2015) -> 50 (2020): (50 - 41.1)/5 = 1.78 pp a year."""
    hp = xe.historical_pace(plan).to_frame().set_index("series_id")
    assert hp.loc["urbanisation_rate", "computed_pace_pp"] == pytest.approx(1.78, abs=1e-12)


def test_tourism_total_growth_is_annualised(plan):
    """第一章 第一节: arrivals and revenue grew 62.3% and 112.4% over 2015-2020:
    1.623**(1/5) - 1 = 0.10170, 2.124**(1/5) - 1 = 0.16256."""
    hp = xe.historical_pace(plan).to_frame().set_index("series_id")
    assert hp.loc["tourism_arrivals", "reported_rate"] == pytest.approx(1.623 ** 0.2 - 1, abs=1e-12)
    assert hp.loc["tourism_arrivals", "reported_rate"] == pytest.approx(0.1017, abs=5e-5)
    assert hp.loc["tourism_revenue", "reported_rate"] == pytest.approx(0.1626, abs=5e-5)


def test_every_table_13th_row_with_two_levels_is_checked(plan):
    """Each 专栏1 row with a 2015 value and a 2020 outcome gets a computed rate."""
    hp = xe.historical_pace(plan).to_frame().set_index("series_id")
    for series in ("gdp", "fiscal_revenue_total", "fixed_asset_investment", "retail_sales", "trade_total_usd",
                   "disposable_income_per_capita", "invention_patents_per_10k", "urbanisation_rate"):
        assert not np.isnan(hp.loc[series, "computed_rate"]), series


# --------------------------------------------------------------------------- assessment

def test_gdp_required_nominal_rate(table):
    """专栏2 序号1: 725.11 -> 1000 亿元 in 5 years: (1000/725.11)**0.2 - 1 = 0.06640 (6.64%), nominal;
    compared with the nominal 2015-2020 pace 7.00%: ratio 1.054 -> on track."""
    gdp = table.loc["gdp"]
    assert gdp["required_rate"] == pytest.approx(0.0664, abs=5e-5)
    assert gdp["historical_rate"] == pytest.approx(0.0700, abs=5e-5)
    assert gdp["historical_basis"] == "current" and gdp["price_basis"] == "current"
    assert gdp["ratio"] == pytest.approx(0.07001 / 0.06640, abs=1e-3)
    assert gdp["verdict"] == "on_track"
    assert gdp["attribute"] == "anticipatory"


def test_urbanisation_required_vs_historical(table):
    """专栏2 序号8: 50 -> 55%: 1.0 pp a year required; 2015-2020 pace 1.78 pp (ratio 1.78)."""
    u = table.loc["urbanisation_rate"]
    assert u["required_pace_pp"] == pytest.approx(1.0, abs=1e-12)
    assert u["historical_pace_pp"] == pytest.approx(1.78, abs=1e-12)
    assert np.isnan(u["required_rate"])
    assert u["verdict"] == "on_track"
    # projection at the historical pace: 50 + 5 * 1.78 = 58.9; covers (58.9-50)/(55-50) = 1.78
    assert u["projected_value"] == pytest.approx(58.9, abs=1e-9)
    assert u["covered_share"] == pytest.approx(1.78, abs=1e-9)


def test_tourism_arrivals(table):
    """第二章 第三节 突破1.2亿人次 from 5490万人次 (第一章): (12000/5490)**0.2 - 1 = 0.16929 required;
    historical 1.623**0.2 - 1 = 0.10170; ratio 0.6007 -> fair progress (UNSD 0.5-0.95)."""
    t = table.loc["tourism_arrivals_ch2"]
    assert t["base_value"] == pytest.approx(0.549, abs=1e-12)  # 5490万 in the target's unit, 亿人次
    assert t["required_rate"] == pytest.approx(0.16929, abs=5e-5)
    assert t["historical_rate"] == pytest.approx(0.10170, abs=5e-5)
    assert t["ratio"] == pytest.approx(0.6007, abs=5e-4)
    assert t["verdict"] == "fair_progress"
    # P = (1.623 - 1)/(12000/5490 - 1) = 0.5254
    assert t["covered_share"] == pytest.approx(0.623 / (12000 / 5490 - 1), abs=1e-9)


def test_tourism_revenue(table):
    """1000亿元 from 461亿元: (1000/461)**0.2 - 1 = 0.16751; historical 0.16256; ratio 0.9705."""
    t = table.loc["tourism_revenue_ch2"]
    assert t["required_rate"] == pytest.approx(0.16751, abs=5e-5)
    assert t["ratio"] == pytest.approx(0.9705, abs=5e-4)
    assert t["verdict"] == "on_track"


@pytest.mark.parametrize("method,expected", [
    ("unsd2020", "fair_progress"),      # 0.6007 in [0.5, 0.95)
    ("eurostat", "moderate_progress"),  # 0.6007 in [0.60, 0.95)
    ("unsd2023", "fair_progress"),      # P = 0.5254 in [0.10, 0.95)
])
def test_methods_classify_tourism_arrivals(plan, method, expected):
    a = xe.assess(plan, method=method).to_frame().set_index("indicator_id")
    assert a.loc["tourism_arrivals_ch2", "verdict"] == expected
    assert (a["verdict_method"] == method).all()


def test_cumulative_investment_matches_independent_solve(table):
    """第十三章 第二节: 完成投资3000亿元以上 over 2021-2025, from the 2020 flow 450.1亿元 (第一章).
    Independent solve with scipy's brentq of sum_{t=1..5} 450.1 (1+g)^t = 3000."""
    g = brentq(lambda g: sum(450.1 * (1 + g) ** t for t in range(1, 6)) - 3000, -0.5, 1.0, xtol=1e-14)
    row = table.loc["fixed_asset_investment_total_2021_2025"]
    assert row["base_flow"] == pytest.approx(450.1)
    assert row["required_rate"] == pytest.approx(g, abs=1e-10)


def test_surface_water_already_met(table):
    """专栏2 序号22: 100% -> 100% (持平)."""
    assert table.loc["surface_water_class3_share", "verdict"] == "already_met"


def test_qualitative_targets_listed_with_reason(table):
    """专栏2 序号19: 完成省下达任务 — kept, not assessed, with the reason."""
    row = table.loc["energy_intensity_reduction"]
    assert row["verdict"] == "not_assessable"
    assert "完成省下达任务" in row["reason"]


def test_every_numeric_target_is_covered(plan, table):
    ind = plan.indicators
    targets = ind[ind["target_value"].notna() & (ind["origin"] != "table_13th")]
    assert set(targets["indicator_id"]) <= set(table.index)
    assert table["verdict"].ne("").all()
    unjudged = table[table["verdict"].isin(["not_assessable", "no_history", "not_comparable"])]
    assert (unjudged["reason"] != "").all(), unjudged.loc[unjudged["reason"] == "", "verdict"]


def test_summary_is_reproducible_and_bilingual(plan):
    a = xe.assess(plan)
    assert a.summary() == xe.assess(plan).summary()
    assert "Gross regional product" in a.summary()
    assert "地区生产总值" in a.summary(lang="zh")
    assert "<table" in a._repr_html_()
    assert "unsd2020" in a.summary()


def test_bad_arguments(plan):
    with pytest.raises(ValueError, match="method must be one of"):
        xe.assess(plan, method="oecd")
    with pytest.raises(ValueError, match="inflation must be a fraction"):
        xe.assess(plan, inflation=2.0)
    with pytest.raises(ValueError, match="lang must be"):
        xe.assess(plan, lang="fr")


def _write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def test_real_rate_needs_inflation_to_compare(tmp_path):
    """A current-price level target whose only history is a real rate is not compared silently."""
    _write(tmp_path / "indicators.csv",
           ["indicator_id", "name_zh", "name_en", "kind", "unit", "price_basis", "base_year", "base_value",
            "target_year", "target_value", "source"],
           [["va", "增加值", "Value added", "level", "亿元", "current", "2020", "100", "2025", "150", "t1"]])
    _write(tmp_path / "history.csv",
           ["series_id", "year", "start_year", "measure", "value", "unit", "price_basis", "source", "quote"],
           [["va", "2020", "2015", "avg_annual_growth_pct", "6", "%", "comparable", "t1", "6"]])
    plan = xe.read_plan(tmp_path)
    row = xe.assess(plan).to_frame().iloc[0]
    assert row["verdict"] == "not_comparable"
    assert "inflation" in row["reason"]
    # with 2% inflation: (1.06)(1.02) - 1 = 0.0812 nominal vs (150/100)**0.2 - 1 = 0.08447;
    # ratio 0.9613 >= 0.95 -> on track
    row = xe.assess(plan, inflation=0.02).to_frame().iloc[0]
    assert row["historical_rate"] == pytest.approx(1.06 * 1.02 - 1, abs=1e-12)
    assert row["ratio"] == pytest.approx((1.06 * 1.02 - 1) / (1.5 ** 0.2 - 1), abs=1e-12)
    assert row["verdict"] == "on_track"


# --------------------------------------------------------------------------- track record

def test_track_record_gdp(plan):
    """专栏1 序号1: 2020 target 800 from 517 needed (800/517)**0.2 - 1 = 9.12% a year; 725.11 was
    reached (7.00%), not met; the 14th plan asks 6.64% nominal."""
    tr = xe.track_record(plan).to_frame().set_index("indicator_id")
    gdp = tr.loc["t13_gdp"]
    assert gdp["required_rate"] == pytest.approx((800 / 517) ** 0.2 - 1, abs=1e-12)
    assert gdp["achieved_rate"] == pytest.approx((725.11 / 517) ** 0.2 - 1, abs=1e-12)
    assert gdp["met"] is False or gdp["met"] == False  # noqa: E712
    assert gdp["new_indicator_id"] == "gdp"
    assert gdp["new_required_rate"] == pytest.approx((1000 / 725.11) ** 0.2 - 1, abs=1e-12)


def test_track_record_ceiling_and_cumulative(plan):
    """专栏1 序号21: new construction land 7.23 against a 12.6 quota (a ceiling): met.
    序号16: urban new jobs 11.92 (2016-2020 total) against 10: met."""
    tr = xe.track_record(plan).to_frame().set_index("indicator_id")
    assert bool(tr.loc["t13_new_construction_land", "met"]) is True
    jobs = tr.loc["t13_urban_new_jobs"]
    assert bool(jobs["met"]) is True
    # achieved: sum_{t=1..5} 2.59 (1+g)^t = 11.92, solved independently
    g = brentq(lambda g: sum(2.59 * (1 + g) ** t for t in range(1, 6)) - 11.92, -0.9, 1.0, xtol=1e-14)
    assert jobs["achieved_rate"] == pytest.approx(g, abs=1e-10)


# --------------------------------------------------------------------------- mid-term evaluation

def test_progress_level_and_pp(plan):
    """Hand example: GDP 725.11 -> 1000; observed 900 in 2023 (3 of 5 years, 60% of time).
    Completion (900-725.11)/(1000-725.11) = 0.6362 -> in line (0.54 <= c < 0.66);
    remaining (1000/900)**(1/2) - 1 = 5.41% a year.
    Urbanisation 50 -> 55; 52 in 2023: completion 0.4 < 0.54 -> lagging; remaining 1.5 pp a year."""
    ev = xe.evaluate_progress(plan, {"gdp": {2022: 850, 2023: 900}, "urbanisation_rate": {2023: 52.0}})
    t = ev.to_frame().set_index("indicator_id")
    assert t.loc["gdp", "completion"] == pytest.approx((900 - 725.11) / (1000 - 725.11), abs=1e-12)
    assert t.loc["gdp", "time_share"] == pytest.approx(0.6)
    assert t.loc["gdp", "status"] == "in_line"
    assert t.loc["gdp", "remaining_rate"] == pytest.approx(math.sqrt(1000 / 900) - 1, abs=1e-12)
    assert t.loc["urbanisation_rate", "status"] == "lagging"
    assert t.loc["urbanisation_rate", "remaining_pace_pp"] == pytest.approx(1.5, abs=1e-12)
    assert t.loc["urbanisation_rate", "status_zh"] == "滞后"


def test_progress_growth_and_cumulative_and_end(plan):
    """Trade growth target 10% a year (第九章 第四节): observed 12%, 11%, 15% for 2021-2023.
    Factor 1.12*1.11*1.15 = 1.42968; completion (1.42968-1)/(1.1**5-1) = 0.7038 >= 0.66 -> ahead;
    catch-up (1.1**5/1.42968)**(1/2) - 1 = 2.33%.
    Jobs 2021-2025 total 10万 (第十一章): flows 2.5, 2.6 by 2022 -> 51%, 40% of time -> ahead.
    End of period: urbanisation 55.2 in 2025 -> met."""
    trade = plan.indicators.loc[plan.indicators["kind"] == "growth"]
    trade_id = trade.loc[trade["series_id"].str.contains("trade"), "indicator_id"].iloc[0]
    ev = xe.evaluate_progress(plan, {trade_id: {2021: 12, 2022: 11, 2023: 15},
                                     "urban_new_jobs_total_2021_2025": {2021: 2.5, 2022: 2.6},
                                     "urbanisation_rate": {2025: 55.2}})
    t = ev.to_frame().set_index("indicator_id")
    factor = 1.12 * 1.11 * 1.15
    assert t.loc[trade_id, "completion"] == pytest.approx((factor - 1) / (1.1 ** 5 - 1), abs=1e-12)
    assert t.loc[trade_id, "remaining_rate"] == pytest.approx((1.1 ** 5 / factor) ** 0.5 - 1, abs=1e-12)
    assert t.loc[trade_id, "status"] == "ahead"
    jobs = t.loc["urban_new_jobs_total_2021_2025"]
    assert jobs["completion"] == pytest.approx(0.51)
    assert jobs["remaining_flow"] == pytest.approx((10 - 5.1) / 3)
    assert t.loc["urbanisation_rate", "status"] == "met"


def test_progress_bad_input(plan):
    with pytest.raises(ValueError, match="unknown indicator_id"):
        xe.evaluate_progress(plan, {"nope": {2022: 1}})
    with pytest.raises(TypeError, match="observed must be"):
        xe.evaluate_progress(plan, [1, 2])


def test_plan_with_another_base_year(tmp_path):
    """A 15th-plan style file: base 2025, target 2030, history 2020 -> 2025. Historical pace is
    measured up to each target's base year: (500/400)**0.2 - 1 = 4.56% against
    (700/500)**0.2 - 1 = 6.96% required."""
    _write(tmp_path / "indicators.csv",
           ["indicator_id", "name_zh", "name_en", "kind", "unit", "price_basis", "base_year", "base_value",
            "target_year", "target_value", "source"],
           [["gdp", "地区生产总值", "GDP", "level", "亿元", "current", "2025", "500", "2030", "700", "t1"],
            ["jobs", "新增就业", "New jobs", "cumulative", "万人", "na", "", "", "2030", "8", "c11"]])
    _write(tmp_path / "history.csv",
           ["series_id", "year", "start_year", "measure", "value", "unit", "price_basis", "source", "quote"],
           [["gdp", "2020", "", "level", "400", "亿元", "current", "y", "400"],
            ["jobs", "2025", "", "level", "2.5", "万人", "na", "y", "2.5"],
            ["jobs", "2020", "", "level", "2.0", "万人", "na", "y", "2.0"]])
    plan = xe.read_plan(tmp_path)
    t = xe.assess(plan, start_year=2020).to_frame().set_index("indicator_id")
    assert t.loc["gdp", "historical_rate"] == pytest.approx(1.25 ** 0.2 - 1, abs=1e-12)
    assert t.loc["gdp", "required_rate"] == pytest.approx(1.4 ** 0.2 - 1, abs=1e-12)
    assert t.loc["gdp", "historical_from"] == "levels 2020-2025"
    # the jobs total (no base year given) takes the plan's base year 2025: 5 years, flow 2.5;
    # 8 < 5 × 2.5, so the total is reached even with shrinking flows -> on track, with the reason
    jobs = t.loc["jobs"]
    assert jobs["years"] == 5
    g = brentq(lambda g: sum(2.5 * (1 + g) ** k for k in range(1, 6)) - 8, -0.9, 1.0, xtol=1e-14)
    assert jobs["required_rate"] == pytest.approx(g, abs=1e-10)
    assert jobs["verdict"] == "on_track" and "reached even if" in jobs["reason"]
    with pytest.raises(ValueError, match="start_year must be before"):
        xe.assess(plan, start_year=2025)


def test_progress_ceilings_gaps_and_empty(tmp_path):
    """A cap (at most 120, base 100) observed at 130 is breached, never 'ahead'; a quota of 10 used
    up by 12 is breached; growth targets need every year; no observations give an empty table."""
    _write(tmp_path / "indicators.csv",
           ["indicator_id", "name_zh", "name_en", "kind", "unit", "base_year", "base_value", "target_year",
            "target_value", "bound", "source"],
           [["cap", "上限", "Cap", "level", "万亩", "2020", "100", "2025", "120", "at_most", "t"],
            ["quota", "配额", "Quota", "cumulative", "万亩", "", "", "2025", "10", "at_most", "t"],
            ["g", "增速", "Growth", "growth", "%", "", "", "2025", "10", "at_least", "t"]])
    plan = xe.read_plan(tmp_path / "indicators.csv")
    ev = xe.evaluate_progress(plan, {"cap": {2023: 130}, "quota": {2021: 5, 2022: 7}}).to_frame()
    t = ev.set_index("indicator_id")
    assert t.loc["cap", "status"] == "breached"
    assert t.loc["quota", "status"] == "breached" and t.loc["quota", "latest_value"] == 12
    ok = xe.evaluate_progress(plan, {"cap": {2023: 110}}).to_frame().set_index("indicator_id")
    assert ok.loc["cap", "status"] == "within_ceiling"
    end = xe.evaluate_progress(plan, {"cap": {2025: 118}}).to_frame().set_index("indicator_id")
    assert end.loc["cap", "status"] == "met"
    with pytest.raises(ValueError, match="missing 2022"):
        xe.evaluate_progress(plan, {"g": {2021: 10, 2023: 10}})
    empty = xe.evaluate_progress(plan, {})
    assert len(empty.to_frame()) == 0 and "completion" in empty.to_frame().columns
