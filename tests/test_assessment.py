"""Assessment against values computed by hand from the plan's printed numbers (clause cited at each
test; tolerances stated)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

import xiangxi_econ as xe

# --------------------------------------------------------------------------- assessment

def test_gdp_required_nominal_rate(table):
    """专栏2 序号1: 725.11 -> 1000 亿元 in 5 years: (1000/725.11)**0.2 - 1 = 0.06640 (6.64%), nominal;
    the nominal 2015-2020 pace from the printed levels is 7.00% (ratio 1.054), but 517 (2015) and
    725.11 (2020) straddle the 2019 economic-census revision (+17% in one year, 2025 bulletin's
    series): the rate is shown, and no verdict rests on it."""
    gdp = table.loc["gdp"]
    assert gdp["required_rate"] == pytest.approx(0.0664, abs=5e-5)
    assert gdp["price_basis"] == "current" and gdp["historical_rate"] == pytest.approx(0.0700, abs=5e-5)
    assert gdp["verdict"] == "not_comparable" and "census revision" in gdp["reason"]
    assert gdp["attribute"] == "anticipatory"
    # the 7.0% from the printed levels stays visible in the historical pace
    hp = xe.historical_pace(xe.load_plan()).to_frame().set_index("series_id")
    assert hp.loc["gdp", "computed_rate"] == pytest.approx(0.0700, abs=5e-5)


def test_gdp_with_an_inflation_assumption_uses_the_reported_real_rate():
    """The reported 6% real (专栏1 序号1) plus 1% inflation: 1.06 × 1.01 - 1 = 7.06% nominal, against
    6.64% required: ratio 1.063 >= 0.95 -> on track; the real rate is not cut by the level revision."""
    gdp = xe.assess(xe.load_plan(), inflation=0.01).to_frame().set_index("indicator_id").loc["gdp"]
    assert gdp["historical_rate"] == pytest.approx(1.06 * 1.01 - 1, abs=1e-12)
    assert gdp["ratio"] == pytest.approx((1.06 * 1.01 - 1) / ((1000 / 725.11) ** 0.2 - 1), abs=1e-12)
    assert gdp["verdict"] == "on_track"


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




def test_real_rate_needs_inflation_to_compare(tmp_path, write_csv):
    """A current-price level target whose only history is a real rate is not compared silently."""
    write_csv(tmp_path / "indicators.csv",
           ["indicator_id", "name_zh", "name_en", "kind", "unit", "price_basis", "base_year", "base_value",
            "target_year", "target_value", "source"],
           [["va", "增加值", "Value added", "level", "亿元", "current", "2020", "100", "2025", "150", "t1"]])
    write_csv(tmp_path / "history.csv",
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


def test_plan_with_another_base_year(tmp_path, write_csv):
    """A 15th-plan style file: base 2025, target 2030, history 2020 -> 2025. Historical pace is
    measured up to each target's base year: (500/400)**0.2 - 1 = 4.56% against
    (700/500)**0.2 - 1 = 6.96% required."""
    write_csv(tmp_path / "indicators.csv",
           ["indicator_id", "name_zh", "name_en", "kind", "unit", "price_basis", "base_year", "base_value",
            "target_year", "target_value", "source"],
           [["gdp", "地区生产总值", "GDP", "level", "亿元", "current", "2025", "500", "2030", "700", "t1"],
            ["jobs", "新增就业", "New jobs", "cumulative", "万人", "na", "", "", "2030", "8", "c11"]])
    write_csv(tmp_path / "history.csv",
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




def test_forest_cover_baseline_conflict_is_carried_into_the_verdict(table):
    """2020 forest cover is printed three times: 70.24 (专栏2 序号23, used), 72%以上 (专栏1 序号26) and
    70%以上 (第一章). The verdict's reason names the values passed over; 725.11 vs 725.1 (GDP) is one
    figure printed with different rounding, not a conflict."""
    reason = table.loc["forest_cover", "reason"]
    assert "baseline conflict" in reason and "72%以上" in reason and "专栏1 序号26" in reason
    assert "baseline conflict" not in table.loc["gdp", "reason"]


def test_doubling_the_previous_total_is_a_numeric_target(plan):
    """第二章 第三节: 招商引资到位资金较“十三五”翻一番; 第一章 第一节: 2016-2020 total 446亿元.
    翻一番 = double, so the 2021-2025 total must reach at least 2 × 446 = 892亿元 (not printed, derived)."""
    t = xe.targets_table(plan).set_index("indicator_id")
    row = t.loc["investment_attracted_ch2"]
    assert (row["kind"], row["target_value"], row["bound"]) == ("cumulative", 892.0, "at_least")
    assert "翻一番" in row["target_note"] and "446" in row["target_note"]
    assert t.loc["investment_attracted_ch9", "stated_twice"]
