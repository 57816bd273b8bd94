"""Mid-term and end-of-plan evaluation (时序进度) against hand computations (values cited at each test)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import xiangxi_econ as xe

# --------------------------------------------------------------------------- mid-term evaluation

def test_progress_level_and_pp(plan):
    """Hand example: GDP 725.11 -> 1000; observed 900 in 2023 (3 of 5 years, 60% of time).
    Completion (900-725.11)/(1000-725.11) = 0.6362 -> in line (0.54 <= c < 0.66);
    remaining (1000/900)**(1/2) - 1 = 5.41% a year.
    Urbanisation 50 -> 55; 52 in 2023: completion 0.4 < 0.54 -> lagging; remaining 1.5 pp a year.
    (as_of_year=2023: the embedded 2025 outcomes are later than this review.)"""
    ev = xe.evaluate_progress(plan, {"gdp": {2022: 850, 2023: 900}, "urbanisation_rate": {2023: 52.0}},
                              as_of_year=2023)
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
    with pytest.raises(xe.UnknownIndicatorError, match="no indicator 'nope'"):
        xe.evaluate_progress(plan, {"nope": {2022: 1}})
    with pytest.raises(TypeError, match="observed must be"):
        xe.evaluate_progress(plan, [1, 2])




def test_progress_ceilings_gaps_and_empty(tmp_path, write_csv):
    """A cap (at most 120, base 100) observed at 130 is breached, never 'ahead'; a quota of 10 used
    up by 12 is breached; growth targets need every year; no observations give an empty table."""
    write_csv(tmp_path / "indicators.csv",
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


# --------------------------------------------------------------------------- end-of-plan evaluation (终期评估)

@pytest.fixture(scope="module")
def final(plan):
    return xe.evaluate_progress(plan)


def test_end_of_plan_gdp_by_hand(final):
    """2025 bulletin: GDP 889.5亿元 against 1000 (专栏2 序号1, base 725.11): missed;
    (889.5 - 725.11)/(1000 - 725.11) = 0.59802 of the distance; (889.5/725.11)**(1/5) - 1 = 4.171% a
    year nominal against (1000/725.11)**(1/5) - 1 = 6.640% required (both current prices).
    (The issue text rounds the achieved rate to 4.18%; the formula gives 4.1714%.)"""
    t = final.to_frame().set_index("indicator_id")
    g = t.loc["gdp"]
    assert (g["status"], g["latest_year"], g["latest_value"]) == ("not_met", 2025, 889.5)
    assert g["completion"] == pytest.approx((889.5 - 725.11) / (1000 - 725.11), abs=1e-12)
    assert g["achieved_rate"] == pytest.approx((889.5 / 725.11) ** 0.2 - 1, abs=1e-12)
    assert round(g["achieved_rate"], 4) == 0.0417
    assert g["required_rate"] == pytest.approx((1000 / 725.11) ** 0.2 - 1, abs=1e-12)
    assert g["delivery_ratio"] == pytest.approx(((889.5 / 725.11) ** 0.2 - 1) / ((1000 / 725.11) ** 0.2 - 1),
                                                abs=1e-12)
    assert g["latest_grade"] == "A" and "2025" in g["latest_source"]


def test_end_of_plan_urbanisation_income_and_labels(final):
    """Urbanisation 55.24% against 55% (专栏2 序号8): met (达到), 1.048 pp a year against 1.0.
    Income 24783元 against 26500 (base 18154): missed (未达到), (24783-18154)/(26500-18154) = 0.7943."""
    t = final.to_frame().set_index("indicator_id")
    u = t.loc["urbanisation_rate"]
    assert (u["status"], u["status_zh"]) == ("met", "达到")
    assert u["achieved_pace_pp"] == pytest.approx((55.24 - 50) / 5, abs=1e-12)
    inc = t.loc["disposable_income_per_capita"]
    assert (inc["status"], inc["status_zh"]) == ("not_met", "未达到")
    assert inc["completion"] == pytest.approx((24783 - 18154) / (26500 - 18154), abs=1e-12)


def test_forest_cover_is_not_comparable_across_the_method_change(final):
    """70.24% (old method) against 60.35% (2025, land-survey method): a change of method, not a miss,
    and no completion is computed across it (never '-358% done')."""
    t = final.to_frame().set_index("indicator_id")
    f = t.loc["forest_cover"]
    assert f["status"] == "not_comparable" and "method" in f["reason"]
    assert math.isnan(f["completion"]) and math.isnan(f["achieved_pace_pp"])
    assert f["attribute"] == "binding"


def test_tourism_outcome_in_the_targets_unit_and_baseline_conflict(final):
    """Arrivals target 1.2亿人次 (第二章): the published 2025 figure in 万人次 is converted through the
    unit registry (1亿 = 10^4万); the plan's 2020 baseline 5490万 differs from the published 4206.2万
    (the plan's looks like 2019). Arrivals were counted as before (no source documents a change), so the
    target is judged: 6467.27万 / 1.2亿 = 53.9%, missed; completion (0.6467 - 0.549) / (1.2 - 0.549) = 15.0%.
    Revenue changed definition in 2020: 729 against 1000 is missed on the current definition, and only
    a change of +37% (1000/729 - 1) could flip it, more than the 25% taken as plausible."""
    t = final.to_frame().set_index("indicator_id")
    a = t.loc["tourism_arrivals_ch2"]
    obs = xe.load_observations().series("tourism_arrivals")
    assert a["latest_value"] == pytest.approx(obs[2025] / 1e4, rel=1e-12)
    assert a["latest_value"] / 1.2 == pytest.approx(6467.27 / 12000, rel=1e-12)
    assert "4206.2" in a["baseline_note"]
    assert a["status"] == "not_met"
    assert a["completion"] == pytest.approx((0.646727 - 0.549) / (1.2 - 0.549), rel=1e-9)
    r = t.loc["tourism_revenue_ch2"]
    assert r["status"] == "not_met" and r["flip_size"] == pytest.approx(1000 / 729 - 1, rel=1e-12)
    assert "definition in 2020" in r["caveat"] and "+37%" in r["caveat"]
    assert math.isnan(r["completion"])


def test_targets_without_outcome_are_listed_with_a_reason(final):
    m = final.missing.set_index("indicator_id")
    assert "not published at prefecture level" in m.loc["rd_intensity", "reason"]
    assert "every year" in m.loc["fixed_asset_investment_total_2021_2025", "reason"]
    assert len(final.missing) + len(final.table) == len(xe.targets_table(xe.load_plan()))


def test_targets_stated_twice_are_counted_once(final):
    """Urbanisation (专栏2 and chapter 8) and forest cover (专栏2 and chapter 2) are printed twice."""
    assert int(final.table["stated_twice"].sum()) == 2
    t = final.to_frame()   # one row per target, the other statement named
    assert not t["stated_twice"].any() and int(final.counts().to_numpy().sum()) == len(t)
    assert "forest_cover_ch2" in t.set_index("indicator_id").loc["forest_cover", "also_stated_as"]
    assert "counted once" in final.summary() and "只计一次" in final.summary("zh")


def test_exceeded_and_ceiling_words(tmp_path, write_csv):
    """Exceeded (超额完成) when the outcome passes the target by more than 5% of the distance:
    100 -> 120 reached 125 (125 > 120 + 0.05 * 20 = 121); 120.5 is met (达到)."""
    write_csv(tmp_path / "indicators.csv",
              ["indicator_id", "name_zh", "name_en", "kind", "unit", "base_year", "base_value", "target_year",
               "target_value", "source"],
              [["a", "甲", "A", "level", "亿元", "2020", "100", "2025", "120", "t"]])
    plan = xe.read_plan(tmp_path / "indicators.csv")
    big = xe.evaluate_progress(plan, {"a": {2025: 125}}).to_frame().iloc[0]
    assert (big["status"], big["status_zh"]) == ("exceeded", "超额完成")
    just = xe.evaluate_progress(plan, {"a": {2025: 120.5}}).to_frame().iloc[0]
    assert just["status"] == "met"


def test_bad_outcomes_are_refused_with_the_reason(plan):
    with pytest.raises(ValueError, match="looks like a fraction"):
        xe.evaluate_progress(plan, {"urbanisation_rate": {2025: 0.53}})
    with pytest.raises(ValueError, match="times the baseline 725.11 亿元.*did you mean 889.5"):
        xe.evaluate_progress(plan, {"gdp": {2025: 889.5e8}})
    with pytest.raises(ValueError, match="outside the plan period 2021-2025"):
        xe.evaluate_progress(plan, {"gdp": {2030: 1000}})


def test_user_plan_with_its_own_observations_file(tmp_path, write_csv):
    """A user's folder with observations.csv: 500 (2025) -> 610 in 2030 against 700: (610-500)/200 = 0.55."""
    write_csv(tmp_path / "indicators.csv",
              ["indicator_id", "name_zh", "name_en", "kind", "unit", "price_basis", "base_year", "base_value",
               "target_year", "target_value", "source"],
              [["gdp", "地区生产总值", "GDP", "level", "亿元", "current", "2025", "500", "2030", "700", "t1"]])
    write_csv(tmp_path / "observations.csv", ["series_id", "year", "value", "unit", "source"],
              [["gdp", "2028", "580", "亿元", "bulletin 2028"], ["gdp", "2030", "610", "亿元", "bulletin 2030"]])
    plan = xe.read_plan(tmp_path)
    assert len(plan.observations.table) == 2
    row = xe.evaluate_progress(plan).to_frame().iloc[0]
    assert (row["latest_year"], row["status"]) == (2030, "not_met")
    assert row["completion"] == pytest.approx(0.55, abs=1e-12)
    assert xe.load_plan().observations.table["origin"].eq("embedded").all()


def test_cli_evaluate(capsys, tmp_path):
    from xiangxi_econ.face.cli import main

    assert main(["evaluate", "--csv", str(tmp_path / "ev.csv")]) == 0
    out = capsys.readouterr().out
    assert "missed" in out and "Two plans" in out
    assert main(["evaluate", "--lang", "zh"]) == 0
    assert "未达到" in capsys.readouterr().out
    assert main(["evaluate", "--observations", str(tmp_path / "none.csv")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_falling_and_capped_growth_targets(tmp_path, write_csv):
    """A growth target of -3% a year (a fall) met by falls of 4% a year: factor 0.96**5 = 0.8154 <=
    0.97**5 = 0.8587 -> met. An 'at most 8%' average growth observed at 5, 5, 5, 5, 12: average
    (1.05**4 * 1.12)**(1/5) - 1 = 6.37% <= 8% -> met, though the last year alone is above 8%."""
    write_csv(tmp_path / "indicators.csv",
              ["indicator_id", "name_zh", "name_en", "kind", "unit", "base_year", "base_value", "target_year",
               "target_value", "bound", "direction", "source"],
              [["fall", "下降", "Fall", "growth", "%", "2020", "", "2025", "-3", "exact", "decrease", "t"],
               ["cap", "上限", "Cap", "growth", "%", "2020", "", "2025", "8", "at_most", "increase", "t"]])
    plan = xe.read_plan(tmp_path / "indicators.csv")
    t = xe.evaluate_progress(plan, {"fall": {y: -4 for y in range(2021, 2026)},
                                    "cap": {2021: 5, 2022: 5, 2023: 5, 2024: 5, 2025: 12}}).to_frame()
    t = t.set_index("indicator_id")
    assert t.loc["fall", "status"] in ("met", "exceeded")
    assert t.loc["cap", "status"] in ("met", "exceeded")
    assert t.loc["cap", "latest_value"] == pytest.approx(1.05 ** 4 * 1.12, rel=1e-12)


# Issue 15's table, worked by hand from the 2025 bulletin (湘西自治州2025年统计公报) and the plan text;
# each figure's formula and source row in the comment; rel 1e-9 unless stated.
HAND = [
    ("gdp", "not_met", 889.5),                                    # bulletin: 889.5 < 1000 (专栏2 序号1)
    ("disposable_income_per_capita", "not_met", 24783.0),         # bulletin: 24783 < 26500 (专栏2)
    ("urbanisation_rate", "met", 55.24),                          # bulletin: 55.24 >= 55 (专栏2)
    ("tourism_arrivals_ch2", "not_met", 6467.27 / 1e4),           # 6467.27万人次 = 0.6467亿 < 1.2亿 (第二章)
    ("tourism_revenue_ch2", "not_met", 729.0),                    # 729 < 1000 (第二章), definition caveat
    # 729亿 / 6467.27万 = 1127元 < 1200, derived across the 2020 tourism-revenue definition break (the plan's
    # 2020 revenue 461亿 is on the old basis, published 388.8): 1200/1127.2 - 1 = 6.5% < 25% (DEFAULT_BREAK_SIZE)
    ("tourism_spending_per_visitor", "not_comparable", 729e8 / 6467.27e4),
    ("high_tech_va_share_gdp", "not_met", 53.42 / 889.5 * 100),   # 53.42 / 889.5 = 6.0% < 12%
    ("manufacturing_va_share", "not_met", 15.5),                  # bound: industry 15.5% < 30% (专栏2)
    ("manufacturing_va_share_ch5", "not_met", 15.5),              # bound: industry 15.5% < 20% (第五章)
    ("trade_dependence", "exceeded", 16.2 / 889.5 * 100),         # 16.2 / 889.5 = 1.82% >= 1.72 (专栏2)
    ("trade_total_growth", "not_met", ((16.2 / (0.015 * 725.11)) ** 0.2 - 1) * 100),  # 8.29% a year < 10%
    ("forest_cover", "not_comparable", 60.35),                    # land-survey method: 73/60.35 - 1 = 21% < 25%
    ("local_fiscal_revenue_gdp_share", "not_comparable", 79.9 / 889.5 * 100),  # 8.98% or tax 37.9/889.5 4.26%
]


@pytest.mark.parametrize(("ident", "status", "value"), HAND)
def test_the_record_answers_issue_15_table(final, ident, status, value):
    t = final.table.set_index("indicator_id")
    assert t.loc[ident, "status"] == status
    assert t.loc[ident, "latest_value"] == pytest.approx(value, rel=1e-9)


def test_fourteenth_plan_judged_on_ten_targets_two_met(final):
    t = final.to_frame()
    judged = t[t["status"].isin(("met", "exceeded", "not_met"))]
    assert len(judged) == 10 and int(judged["status"].isin(("met", "exceeded")).sum()) == 2
    assert t["indicator_id"].is_unique and "urbanisation_rate_ch8" not in set(t["indicator_id"])
    urb = t.set_index("indicator_id").loc["urbanisation_rate"]
    assert "urbanisation_rate_ch8" in urb["also_stated_as"] and "re-base" in urb["caveat"] or "rebase" in urb["caveat"]


def test_printed_real_growth_is_judged_on_published_rates(final):
    """GDP's 7% a year (real, 专栏2): published 8.7, 3.8, 2.6, (2024 missing), 4.2. 2024 would have needed
    1.07**5 / (1.087 × 1.038 × 1.026 × 1.042) - 1 = 16.27%, above the fastest year on record (9.2%, 2015)."""
    g = final.table.set_index("indicator_id").loc["gdp"]
    needed = 1.07 ** 5 / (1.087 * 1.038 * 1.026 * 1.042) - 1
    assert g["stated_rate_status"] == "not_met"
    assert f"{needed:.1%}" in g["stated_rate_note"] and "9.2%" in g["stated_rate_note"]


def test_derived_outcomes_carry_formula_and_inputs_in_both_languages(final):
    t = final.table.set_index("indicator_id")
    s = t.loc["tourism_spending_per_visitor"]
    assert s["outcome_method"] == "identity" and "729" in s["outcome_formula"] and "6,467" in s["outcome_formula"]
    assert "恒等式" in s["outcome_formula_zh"]
    m = t.loc["manufacturing_va_share"]
    assert m["outcome_method"] == "bound" and "industry_va_share" in m["outcome_formula"]
    assert np.isnan(m["achieved_pace_pp"]) and np.isnan(m["delivery_ratio"])   # a bound is not the outcome


def test_the_plausible_break_size_decides():
    """With 40% taken as the plausible size of the tourism definition change, 729 against 1000 (flip
    +37%) could be flipped: not comparable; with the default 25% it is missed."""
    wide = xe.evaluate_progress(xe.load_plan(), break_size=0.40)
    assert wide.table.set_index("indicator_id").loc["tourism_revenue_ch2", "status"] == "not_comparable"


# --- reviews that hold their own rules (issue 22) -------------------------------------------------------

@pytest.mark.parametrize("as_of", [2021, 2022, 2023, 2024, 2025])
def test_completion_absent_whenever_the_caveat_forbids_it(plan, as_of):
    """Property over the embedded plan: wherever a change of definition or method lies between base and
    outcome (the caveat says no completion or pace can be computed across it), completion, achieved pace
    and delivery ratio are NaN, and no mid-term status (ahead / in line / lagging) rests on them."""
    t = xe.evaluate_progress(plan, as_of_year=as_of).to_frame()
    forbids = t["caveat"].str.contains("no completion or pace", regex=False) | \
        t["caveat"].str.contains("different statistical bases", regex=False)
    assert forbids.any() or as_of < 2021   # tourism revenue's 2020 definition break is in every year's record
    for col in ("completion", "achieved_rate", "achieved_pace_pp", "delivery_ratio", "remaining_rate"):
        assert t.loc[forbids, col].isna().all(), (as_of, col)
    assert not t.loc[forbids, "status"].isin(("ahead", "in_line", "lagging")).any()


def test_mid_term_tourism_revenue_has_no_completion(plan):
    """Issue 22: at a 2023 mid-term tourism revenue showed 34% completion ((645 - 461)/(1000 - 461)) beside a
    caveat saying none can be computed across the 2020 definition break: now no completion, not comparable."""
    r = xe.evaluate_progress(plan, as_of_year=2023).to_frame().set_index("indicator_id").loc["tourism_revenue_ch2"]
    assert np.isnan(r["completion"]) and r["status"] == "not_comparable"
    assert "no completion or pace" in r["caveat"] and "游客总花费" in r["caveat"]


def test_spending_per_visitor_carries_its_inputs_break(final):
    """Spending per visitor = revenue / arrivals (729亿 / 6467.27万 = 1127.2元); the plan's 2020 revenue
    461亿 is on the old definition (published 388.8), so the comparison with 1200 crosses the 2020 break.
    Flip size 1200 / 1127.21 - 1 = 6.457% by hand, under the 25% rule: not comparable, with the caveat."""
    r = final.table.set_index("indicator_id").loc["tourism_spending_per_visitor"]
    assert r["flip_size"] == pytest.approx(1200 / (729e8 / 6467.27e4) - 1, rel=1e-9)
    assert r["status"] == "not_comparable"
    assert r["caveat"].startswith("derived from tourism_revenue") and "6.5% margin" in r["caveat"]
    assert "旅游" in r["caveat_zh"]


def test_rebased_outcome_says_how_far_the_base_moved(plan):
    """Urbanisation 55.24 >= 55 is met across the 2020 census re-base. The embedded record holds no 2020
    figure on the census basis: the caveat says so. With the census figure given (issue 22 quotes 50.72), it
    says 50.72 against the plan's 50 = +0.72 pp (by hand)."""
    t = xe.evaluate_progress(plan).to_frame().set_index("indicator_id")
    assert t.loc["urbanisation_rate", "status"] == "met"
    assert "how far the base moved is not known" in t.loc["urbanisation_rate", "caveat"]
    import dataclasses

    obs = plan.observations
    row = obs.table[(obs.table["series_id"] == "urbanisation_rate") & (obs.table["year"] == 2025)].copy()
    scale = float(row["value_base_units"].iloc[0] / row["value"].iloc[0])
    row[["year", "value", "value_base_units"]] = [2020, 50.72, 50.72 * scale]
    row["preferred"] = True
    patched = dataclasses.replace(obs, table=pd.concat([obs.table, row], ignore_index=True))
    other = dataclasses.replace(plan, observations=patched)
    r = xe.evaluate_progress(other).to_frame().set_index("indicator_id").loc["urbanisation_rate"]
    assert r["status"] == "met"
    assert "put 2020 at 50.72% rather than the plan's 50%" in r["caveat"] and "+0.72 pp" in r["caveat"]


def test_pace_from_an_abnormal_base_is_flagged(plan):
    """A 15th-plan style review based in 2020 on the published figures: tourism revenue from 388.8亿元
    (2020, the COVID trough) grows (729/388.8)**(1/5) - 1 = 13.4% a year; the pace carries a note that 2020
    lay far below its trend. GDP's 2020 (725.1 against about 747 on its trend, -3%) is not flagged."""
    from xiangxi_econ.rules.historical import ABNORMAL_DIP, abnormal_base

    ab = abnormal_base(plan, ["tourism_revenue", "tourism_arrivals", "gdp"], 2020).set_index("series_id")
    assert ab.loc["tourism_revenue", "abnormal"] and ab.loc["tourism_arrivals", "abnormal"]
    assert not ab.loc["gdp", "abnormal"]
    # tourism revenue 2020 against the log-linear trend of 2021, 2023, 2024, 2025 (same basis), by numpy
    years, vals = np.array([2021, 2023, 2024, 2025]), np.array([528, 645, 691.3, 729.0])
    slope, icpt = np.polyfit(years, np.log(vals), 1)
    assert ab.loc["tourism_revenue", "dip"] == pytest.approx(388.8 / np.exp(icpt + slope * 2020) - 1, rel=1e-9)
    assert ab.loc["tourism_revenue", "dip"] < -ABNORMAL_DIP
    assert "abnormal base: in 2020" in ab.loc["tourism_revenue", "note"]
    # the plan's own 2020 arrivals 5490万 (not the published trough 4206.2万) is not flagged
    given = abnormal_base(plan, ["tourism_arrivals"], [2020], [5490e4])
    assert not given["abnormal"].iloc[0]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"observed": {"gdp": 900}}, r"observed\['gdp'\] = 900: expected a dict \{year: value\}"),
    ({"as_of_year": float("nan")}, "as_of_year = nan: expected a whole calendar year"),
    ({"as_of_year": 2023.5}, "as_of_year = 2023.5"),
    ({"as_of_year": "2023"}, "as_of_year = '2023'"),
    ({"band": -0.1}, "band = -0.1"),
])
def test_bad_arguments_name_themselves(plan, kwargs, match):
    """Issue 23: raw AttributeError / silent NaN become a UserValueError naming the argument."""
    from xiangxi_econ.exceptions import UserValueError

    with pytest.raises(UserValueError, match=match):
        xe.evaluate_progress(plan, **kwargs)
