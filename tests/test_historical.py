"""Historical pace over the plan's history window against hand computations from the printed levels
(clause cited at each test; tolerances stated)."""

from __future__ import annotations

import numpy as np
import pytest

import xiangxi_econ as xe

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




def test_a_window_across_a_statistical_break_is_flagged(plan):
    """GDP 2015 -> 2020 spans the 2019 census revision (2018 605.05 -> 2019 705.71, +17%, shared data
    README trap 3): the rate is kept (the plan's own figures) but flagged, and the assessment gives
    no verdict on it. A break in the window's last year (urbanisation re-based on the 2020 census) is
    not flagged: the plan's own 2020 figure was printed before the new basis was published."""
    hp = xe.historical_pace(plan).to_frame().set_index("series_id")
    assert "census revision in 2019" in hp.loc["gdp", "break_note"]
    assert hp.loc["urbanisation_rate", "break_note"] == ""
    assert hp.loc["fiscal_revenue_total", "break_note"] == ""
    a = xe.assess(plan).to_frame().set_index("indicator_id")
    assert "census revision" in a.loc["gdp", "reason"] and a.loc["gdp", "verdict"] == "not_comparable"
