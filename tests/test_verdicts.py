"""Verdict methods: boundary tables for every published method, the at-most rule and the growth ratio.

Cut-offs come from the published notes quoted in ``../shared/METHODS.md``:
UN SDG Progress Chart 2020-2022 (CR >= 0.95 on track; 0.5-0.95 fair; -0.1-0.5 limited; < -0.1
deterioration), Eurostat / Open SDG (>= 95% significant; 60-95% moderate; 0-60% insufficient; < 0
moving away), UN SDG Progress Chart 2023 (P >= 0.95 on track; 0.10-0.95 fair; < 0.10 stagnation).
Each cut-off is tested at the value itself (the category above it: the notes say "or more") and one
ulp below it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.rules.verdicts import classify, growth_ratio, lower_is_better, meets

BELOW = np.nextafter  # one floating-point step below a cut-off: np.nextafter(c, -inf)

TABLES = {
    "unsd2020": [(0.95, "on_track"), (float(BELOW(0.95, -np.inf)), "fair_progress"), (0.5, "fair_progress"),
                 (float(BELOW(0.5, -np.inf)), "limited_progress"), (-0.1, "limited_progress"),
                 (float(BELOW(-0.1, -np.inf)), "deterioration"), (5.0, "on_track"), (-3.0, "deterioration")],
    "eurostat": [(0.95, "significant_progress"), (float(BELOW(0.95, -np.inf)), "moderate_progress"),
                 (0.60, "moderate_progress"), (float(BELOW(0.60, -np.inf)), "insufficient_progress"),
                 (0.0, "insufficient_progress"), (float(BELOW(0.0, -np.inf)), "moving_away")],
    "unsd2023": [(0.95, "on_track"), (float(BELOW(0.95, -np.inf)), "fair_progress"), (0.10, "fair_progress"),
                 (float(BELOW(0.10, -np.inf)), "stagnation_or_regression"), (-1.0, "stagnation_or_regression")],
}


@pytest.mark.parametrize("method", sorted(TABLES))
def test_boundary_table(method):
    values, expected = zip(*TABLES[method], strict=True)
    assert classify(list(values), method).tolist() == list(expected)


def test_nan_has_no_verdict():
    assert classify([np.nan]).tolist() == [""]


def test_unknown_method_is_named():
    with pytest.raises(ValueError, match="eurostat"):
        classify([1.0], "oecd")


def test_lower_is_better_and_meets_honour_at_most():
    """An at-most bound makes lower better even when the direction says increase (a quota on
    something allowed to grow); 5.2 <= 5.3 meets, 5.4 does not."""
    assert lower_is_better(["at_most"], ["increase"]).tolist() == [True]
    # the bound is the truth: "at least 93%" is met from above whatever the direction says
    assert lower_is_better(["at_least"], ["decrease"]).tolist() == [False]
    assert lower_is_better(["exact"], ["increase"]).tolist() == [False]
    assert meets([5.2, 5.4, 5.3], [5.3] * 3, ["at_most"] * 3, ["increase"] * 3).tolist() == [True, False, True]
    assert meets([np.nan], [5.3], ["at_least"], ["increase"]).tolist() == [False]


def test_growth_ratio_against_direction_is_nan():
    """A required pace pointing against the desired direction has no ratio (the baseline decides)."""
    r = growth_ratio([0.05, 0.05, -0.02], [0.04, -0.01, -0.04], ["increase", "increase", "decrease"])
    assert r[0] == pytest.approx(1.25, abs=1e-15) and np.isnan(r[1]) and r[2] == pytest.approx(0.5, abs=1e-15)


# --------------------------------------------------------------------------- inside assess

def _plan(tmp_path, rows, history):
    ind = pd.DataFrame(rows, columns=["indicator_id", "name_zh", "name_en", "kind", "unit", "price_basis",
                                      "base_year", "base_value", "target_year", "target_value", "bound",
                                      "direction", "source"])
    ind.to_csv(tmp_path / "indicators.csv", index=False)
    pd.DataFrame(history, columns=["series_id", "year", "start_year", "measure", "value", "unit", "price_basis",
                                   "source", "quote"]).to_csv(tmp_path / "history.csv", index=False)
    return xe.read_plan(tmp_path)


def test_at_most_target_with_direction_increase_inside_assess(tmp_path):
    """Construction land quota: 100 (2020) at most 120 (2025), direction derived from the bound (a file
    saying 'increase' beside 'at_most' is refused at the door: the bound is the truth). Historical
    growth 10 -> 100 ... take 80 (2015) -> 100 (2020): 4.56% a year, projecting 125.0 > 120.
    Required (120/100)**0.2 - 1 = 3.71%; the ratio 1.23 alone would say 'on track', but for a
    ceiling faster growth is worse: the projection breaches the cap, so the verdict is off track."""
    plan = _plan(tmp_path, [["land", "新增建设用地", "New land", "level", "万亩", "na", 2020, 100, 2025, 120,
                              "at_most", "", "t"]],
                 [["land", 2015, "", "level", 80, "万亩", "na", "h", "80"]])
    row = xe.assess(plan).to_frame().set_index("indicator_id").loc["land"]
    assert row["historical_rate"] == pytest.approx(1.25 ** 0.2 - 1, abs=1e-12)
    assert row["required_rate"] == pytest.approx(1.2 ** 0.2 - 1, abs=1e-12)
    assert row["projected_value"] == pytest.approx(125.0, abs=1e-9)
    assert row["verdict"] != "on_track"


def test_levels_at_comparable_prices_are_not_compared_with_a_current_price_target(tmp_path):
    """GDP levels printed at comparable (2015) prices, the target at current prices: the computed
    rate (110/100)**0.2 - 1 is real and must not stand in for the nominal required rate; with no
    rate on the target's basis the verdict is not_comparable, and inflation= converts."""
    plan = _plan(tmp_path, [["gdp", "地区生产总值", "GDP", "level", "亿元", "current", 2020, 110, 2025, 150,
                             "", "increase", "t"]],
                 [["gdp", 2015, "", "level", 100, "亿元", "comparable", "h", "100"],
                  ["gdp", 2020, "", "level", 110, "亿元", "comparable", "h", "110"],
                  ["gdp", 2020, 2015, "avg_annual_growth_pct", 1.92, "%", "comparable", "h", "1.92"]])
    row = xe.assess(plan).to_frame().set_index("indicator_id").loc["gdp"]
    assert np.isnan(row["historical_rate"]) and row["verdict"] == "not_comparable"
    converted = xe.assess(plan, inflation=0.02).to_frame().set_index("indicator_id").loc["gdp"]
    assert converted["historical_rate"] == pytest.approx(1.0192 * 1.02 - 1, abs=1e-12)


def test_cut_offs_inside_assess_unsd_and_eurostat(tmp_path):
    """Required (121/100)**(1/2) - 1 = 10% a year; 2015 levels 100/(1+g)**5 give historical rates
    g = 9.6%, 9.2% and 5.5%, ratios 0.96, 0.92 and 0.55: on track / fair / fair (unsd2020: >= 0.95,
    >= 0.5) and significant / moderate / insufficient (eurostat: >= 0.95, >= 0.60). A cut-off moved to
    0.90 or 0.50 changes the second or third row."""
    rows, hist = [], []
    for ident, g in (("a", 0.096), ("b", 0.092), ("c", 0.055)):
        rows.append([ident, ident, ident, "level", "亿元", "current", 2020, 100, 2022, 121, "", "increase", "t"])
        hist.append([ident, 2015, "", "level", repr(100 / (1 + g) ** 5), "亿元", "current", "h", "x"])
    plan = _plan(tmp_path, rows, hist)
    un = xe.assess(plan, start_year=2015).to_frame().set_index("indicator_id")
    eu = xe.assess(plan, "eurostat", start_year=2015).to_frame().set_index("indicator_id")
    assert un["ratio"].tolist() == pytest.approx([0.96, 0.92, 0.55], abs=1e-12)
    assert un["verdict"].tolist() == ["on_track", "fair_progress", "fair_progress"]
    assert eu["verdict"].tolist() == ["significant_progress", "moderate_progress", "insufficient_progress"]
