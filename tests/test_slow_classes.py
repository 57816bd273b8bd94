"""Slow shares and slow quantities known from one value (or one value after a break): the class pace
from China's own figure, a spread that fits the kind, the previous segment's changes as evidence of
volatility, and a coverage rate near its ceiling that cannot fall for want of pace.

Every expected number below is computed by hand from the published national figures quoted in
:data:`xiangxi_econ.probability.ratio_models.NATIONAL_SLOW` and the rule's formula, not read from the code."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from xiangxi_econ.probability.ratio_models import ratio_marginal


def _logit(p):
    return np.log(p / (100 - p))


def test_forest_cover_after_its_break_by_hand():
    """Forest cover 70.24 (2016, 2018, old method), 60.35 (2025, new method). Pace: China's forest cover
    21.63% (8th inventory, 2013) -> 22.96% (9th, 2018) on the logit scale / 5. Step spread: assumed
    0.02 logit with 2 pseudo-years, pooled with the old segment's one change (0 over 2 years) measured
    from that pace: tau^2 = (2 * 0.02^2 + (0 - 2c)^2) / (2 + 2). sd at h = 5: sqrt(5 tau^2 + (5c/2)^2).
    Tolerance 1e-10 (closed form)."""
    c = (_logit(22.96) - _logit(21.63)) / 5
    tau2 = (2 * 0.02 ** 2 + (2 * c) ** 2) / 4
    sd5 = np.sqrt(5 * tau2 + (5 * c / 2) ** 2)
    m = ratio_marginal([2016, 2018, 2025], [70.24, 70.24, 60.35], [0, 0, 1], "slow_share", 2025, 5,
                       series_id="forest_cover")
    assert m.centre[4] == pytest.approx(c, rel=1e-10)
    assert m.details["sd_h"][4] == pytest.approx(sd5, rel=1e-10)
    # the 90% band of 2030 in pp: well under 1 pp a year of width per side
    lo, hi = (100 / (1 + np.exp(-(_logit(60.35) + 5 * c + z * sd5))) for z in stats.norm.ppf([0.05, 0.95]))
    assert 0 < hi - lo < 10 and lo < 60.35 < hi
    assert "assumed" in m.details["spread_source"] and "across the break" in m.details["spread_source"]


def test_the_previous_segment_changes_the_spread():
    """A volatile old segment (70 -> 74 -> 70 over 2 + 2 years) must widen the band against a flat one:
    its squared changes enter tau^2 (one-token changes in the pooling fail this)."""
    flat = ratio_marginal([2016, 2018, 2020, 2025], [70, 70, 70, 60], [0, 0, 0, 1], "slow_share", 2025, 5,
                          series_id="forest_cover")
    wild = ratio_marginal([2016, 2018, 2020, 2025], [70, 74, 70, 60], [0, 0, 0, 1], "slow_share", 2025, 5,
                          series_id="forest_cover")
    assert wild.details["sd_h"][4] > 1.5 * flat.details["sd_h"][4]
    assert wild.centre[4] == flat.centre[4]  # the break's jump is never a pace


def test_pension_coverage_near_its_ceiling_cannot_fall():
    """96% coverage (2020): the logit scale with the coverage class pace (China's internet penetration
    45.8% in 2013 -> 59.6% in 2018, a stated proxy) keeps every quantile below 100 and the median above 96."""
    c = (_logit(59.6) - _logit(45.8)) / 5
    m = ratio_marginal([2020], [96.0], [0], "slow_share", 2020, 5, series_id="pension_insurance_coverage")
    assert m.centre[4] == pytest.approx(c, rel=1e-10) and c > 0
    med = 100 / (1 + np.exp(-(_logit(96.0) + 5 * m.centre[4])))
    assert 96.0 < med < 100.0


def test_life_expectancy_from_one_value_takes_chinas_pace():
    """Life expectancy 75.0 (2015): China's 74.83 (2010 census) -> 76.34 (2015 1% survey), log pace / 5;
    the 2020 median 75 exp(5 c); assumed step 0.005: sd5 = sqrt(5 * 0.005^2 + (5c/2)^2)."""
    c = np.log(76.34 / 74.83) / 5
    m = ratio_marginal([2015], [75.0], [0], "slow_quantity", 2015, 5, limits=(0, 150),
                       series_id="life_expectancy")
    assert m.centre[4] == pytest.approx(c, rel=1e-10)
    assert m.details["sd_h"][4] == pytest.approx(np.sqrt(5 * 0.005 ** 2 + (5 * c / 2) ** 2), rel=1e-10)


def test_no_national_figure_after_the_information_year_is_used():
    """As of 2012 internet penetration's class pace is 2007-2012 (16.0 -> 42.1), not a later pair."""
    m = ratio_marginal([2012], [30.0], [0], "slow_share", 2012, 3, series_id="internet_penetration")
    assert m.centre[0] == pytest.approx((_logit(42.1) - _logit(16.0)) / 5, rel=1e-10)
