"""Mid-term and end-of-plan evaluation (时序进度) against hand computations (values cited at each test)."""

from __future__ import annotations

import math

import pytest

import xiangxi_econ as xe

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
