"""Tests of xiangxi_econ.results.models: the structural identities.

Where the numbers come from (STYLE.md):

* hand computations from the plan, with the clause cited; the hand formula is written out in the
  test with the ``math`` module (never the code under test), and the printed rounding of the brief
  or the plan is checked with a tolerance of half a unit in the last printed digit;
* round trips: solve for a rate, project with it, and recover the target to 1e-10 (relative
  where the quantity is a level, absolute for shares in percent, which are O(1-100));
* slow oracles: element-by-element Python loops against the vectorised solvers;
* bad input: the error names the argument and the value.

Hypothesis is derandomised and keeps no example database.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xiangxi_econ as xe
from xiangxi_econ.maths.growth import PercentLikeRateWarning
from xiangxi_econ.maths.prices import nominal_rate
from xiangxi_econ.results.models import (
    CNY_PER_USD_2020,
    MONEY_UNITS,
    SECTORS,
    ProductivityModel,
    RDIntensityModel,
    SectorStructure,
    ShareOfGDPModel,
    TourismModel,
    TourismPaths,
    UrbanisationModel,
    implied_revenue,
    implied_spending,
    logistic_rate,
    urgd,
)

HYP = settings(derandomize=True, database=None, deadline=None, max_examples=100)
ROUND_TRIP = 1e-10

GDP_2020 = 725.11  # 专栏2 序号1 (亿元, current prices)
GDP_2025 = 1000.0  # 专栏2 序号1 target
# 第一章 第一节 (13.8﹕31.5﹕54.7 -> 15.4﹕28.2﹕56.4)
SHARES_2020 = {"primary": 15.4, "secondary": 28.2, "tertiary": 56.4}
MANUF_2020 = 14.8  # 专栏2 序号3


def _g_nominal() -> float:
    """Nominal GDP growth 725.11 -> 1000 亿元 over 2020-2025, by hand."""
    return math.pow(GDP_2025 / GDP_2020, 1 / 5) - 1


@pytest.fixture(scope="module")
def plan():
    return xe.load_plan()


@pytest.fixture()
def structure() -> SectorStructure:
    return SectorStructure(GDP_2020, {**SHARES_2020, "manufacturing": MANUF_2020})


# ======================================================================================
# Hand values from the plan
# ======================================================================================

class TestHandValues:
    def test_sector_structure_from_plan_2020(self, plan):
        # 第一章 第一节: 三次产业结构 ... 调整为2020年的15.4﹕28.2﹕56.4; 专栏2 序号1 GDP 725.11, 序号3 制造业 14.8%
        s = SectorStructure.from_plan(plan, 2020)
        assert s.gdp == GDP_2020  # exact: copied from the table
        assert s.shares == {**SHARES_2020, "manufacturing": MANUF_2020}
        assert s.sources["manufacturing"] == "专栏2 序号3"  # the 专栏2 row is preferred
        assert s.year == 2020

    def test_sector_structure_from_plan_2015(self, plan):
        # 第一章 第一节: 2015年的13.8﹕31.5﹕54.7; 专栏1 序号1 GDP 517
        s = SectorStructure.from_plan(plan, 2015)
        assert s.gdp == 517.0
        assert s.shares == {"primary": 13.8, "secondary": 31.5, "tertiary": 54.7}  # no manufacturing row for 2015

    def test_value_added_is_gdp_times_share(self, structure):
        # 725.11 × 15.4 / 100 = 111.66694 亿元; tolerance 1e-9 relative (float arithmetic only)
        va = structure.value_added
        for k in SECTORS:
            assert va[k] == pytest.approx(GDP_2020 * SHARES_2020[k] / 100, rel=1e-9)
        assert va["manufacturing"] == pytest.approx(GDP_2020 * MANUF_2020 / 100, rel=1e-9)
        assert sum(va[k] for k in SECTORS) == pytest.approx(GDP_2020, rel=1e-12)

    def test_manufacturing_30pct_target(self, structure):
        # 专栏2 序号3: 14.8% -> 30% by 2025; (1+g)(s*/s0)^(1/n) - 1 with g from 725.11 -> 1000
        hand = (1 + _g_nominal()) * math.pow(30 / 14.8, 1 / 5) - 1
        got = structure.required_sector_rate("manufacturing", 30, _g_nominal(), 5)
        assert got == pytest.approx(hand, abs=1e-12)
        assert got == pytest.approx(0.2283, abs=5e-5)  # printed in the docstring as 22.83%

    def test_real_gdp_rate_with_inflation(self, structure):
        # The plan's 7% GDP growth is real (专栏2 序号1 note); shares are current-price shares,
        # so with 1% inflation the nominal rate is 1.07 × 1.01 - 1 = 8.07%.
        hand = 1.07 * 1.01 * math.pow(60 / 56.4, 1 / 5) - 1
        got = structure.required_sector_rate("tertiary", 60, 0.07, 5, inflation=0.01)
        assert got == pytest.approx(hand, abs=1e-12)
        same = structure.required_sector_rate("tertiary", 60, nominal_rate(0.07, 0.01), 5)
        assert got == pytest.approx(same, abs=1e-15)

    def test_tourism_spending_per_visitor(self, plan):
        # 第一章 第一节: 5490万人次, 461亿元 -> 461e8 元 / 5490e4 visits = 839.71 元 (2 d.p.)
        t = TourismModel.from_plan(plan)
        assert t.arrivals == 5490.0 and t.revenue == pytest.approx(461.0, rel=1e-12)
        assert t.spending == pytest.approx(461e8 / 5490e4, rel=1e-12)
        assert t.spending == pytest.approx(839.71, abs=0.005)

    def test_implied_revenue_units(self):
        # 第二章 第三节 prints 1.2亿人次 = 12000万人次; 12000万人次 × 1200元 = 1.44e11 元 = 1440亿元
        assert implied_revenue(12000, 1200) == pytest.approx(1440.0, rel=1e-12)
        assert implied_spending(1000, 12000) == pytest.approx(1e11 / 1.2e8, rel=1e-12)  # 833.33 元

    def test_tourism_paths_to_targets(self):
        # 第二章 第三节: 1.2亿人次 and 1000亿元 by 2025; spending target 1200 元 (illustrative)
        t = TourismModel.from_revenue(5490, 461)
        p = t.paths_to_targets(12000, 1200, 1000, 5)
        assert p.arrivals_rate == pytest.approx(math.pow(12000 / 5490, 0.2) - 1, abs=1e-12)  # 16.93%
        assert p.spending_rate == pytest.approx(math.pow(1200 / (461e4 / 5490), 0.2) - 1, abs=1e-12)  # 7.40%
        assert p.revenue_rate == pytest.approx(math.pow(1000 / 461, 0.2) - 1, abs=1e-12)  # 16.75%
        assert p.implied_revenue == pytest.approx(1440.0, rel=1e-12)
        assert p.revenue_gap == pytest.approx(440.0, rel=1e-12)
        rates = (round(p.arrivals_rate, 4), round(p.spending_rate, 4), round(p.revenue_rate, 4))
        assert rates == (0.1693, 0.074, 0.1675)

    def test_tourism_targets_imply_falling_spending(self):
        # 1000亿元 / 12000万人次 = 833.33 元 < 839.71 元: spending per visit falls 0.15% a year
        p = TourismModel.from_revenue(5490, 461).paths_to_targets(12000, None, 1000, 5)
        assert p.spending_target == pytest.approx(1e4 * 1000 / 12000, rel=1e-12)
        assert p.spending_rate == pytest.approx(math.pow((1e4 / 12) / (461e4 / 5490), 0.2) - 1, abs=1e-12)
        assert p.spending_rate == pytest.approx(-0.0015, abs=5e-5)
        assert p.revenue_gap == pytest.approx(0.0, abs=1e-9)

    def test_rd_intensity(self, plan):
        # 专栏1 序号10 / 第一章: R&D 1.2% of GDP in 2020; GDP 725.11 -> R&D 8.70亿元 (2 d.p.)
        rd = RDIntensityModel.from_plan(plan)
        assert (rd.intensity_pct, rd.gdp) == (1.2, GDP_2020)
        assert rd.rd_spending == pytest.approx(1.2 * 725.11 / 100, rel=1e-12)
        assert rd.rd_spending == pytest.approx(8.70, abs=0.005)

    def test_rd_required_rate_for_2pct(self):
        # 第九章 第五节: 2% by 2025. Hand: (2/1.2)^(1/5) × 1.0664 - 1 = 0.181109. The brief prints
        # 18.12%, but the hand value rounds to 18.11% (it is 0.1811 at 4 d.p.); tolerance 5e-6
        # is half a unit in the 5th decimal of the hand value 0.18111.
        got = RDIntensityModel(1.2, GDP_2020).required_rd_rate(2.0, 0.0664, 5)
        assert got == pytest.approx(math.pow(2 / 1.2, 0.2) * 1.0664 - 1, abs=1e-12)
        assert got == pytest.approx(0.18111, abs=5e-6)

    def test_rd_intensity_after_12pct(self):
        # 专栏2 序号9: R&D spending +12% a year; 1.2 × (1.12/1.0664)^5 = 1.533%
        got = RDIntensityModel(1.2, GDP_2020).intensity_after(0.12, 0.0664, 5)
        assert got == pytest.approx(1.2 * math.pow(1.12 / 1.0664, 5), abs=1e-12)
        assert got == pytest.approx(1.533, abs=5e-4)

    def test_urbanisation_population(self, plan):
        # 第一章 第一节: 城镇化率 50%, 城镇人口 128万 -> resident population 128 / 0.5 = 256万
        m = UrbanisationModel.from_plan(plan)
        assert m.rate_pct == 50.0
        assert m.total_population == pytest.approx(256.0, rel=1e-12)
        assert m.urban_population == pytest.approx(128.0, rel=1e-12)

    def test_urgd_2015_2020(self):
        # 专栏1 序号8: 41.1% (2015) -> 50% (2020). Hand: (logit(0.5) - logit(0.411)) / 5, with
        # logit(0.411) = ln(0.411/0.589) = -0.359833, gives 0.0719666. The brief prints 0.071963;
        # recomputed by hand it is 0.071967 (6 d.p.): tolerance 5e-7.
        hand = (math.log(0.5 / 0.5) - math.log(0.411 / 0.589)) / 5
        got = urgd(41.1, 50.0, 5)
        assert got == pytest.approx(hand, abs=1e-14)
        assert got == pytest.approx(0.071967, abs=5e-7)

    def test_urgd_continued_to_2025(self):
        # The 2015-2020 URGD continued from 50% for five years: 58.9% (1 d.p.), above the 55% target
        u = (math.log(0.5 / 0.5) - math.log(0.411 / 0.589)) / 5
        hand = 100 / (1 + math.exp(-(0 + 5 * u)))
        got = UrbanisationModel(50.0).rate_after(u, 5)
        assert got == pytest.approx(hand, abs=1e-12)
        assert got == pytest.approx(58.9, abs=0.05)

    def test_urgd_for_55pct(self):
        # 专栏2 序号8: 55% by 2025 needs URGD logit(0.55)/5 = 0.0401 (4 d.p.)
        got = UrbanisationModel(50.0).required_urgd(55.0, 5)
        assert got == pytest.approx(math.log(0.55 / 0.45) / 5, abs=1e-14)
        assert got == pytest.approx(0.0401, abs=5e-5)

    def test_productivity_employment(self, plan):
        # 专栏2 序号1-2: 725.11亿元 / 3.7万元/人 = 195.98万人; 1000 / 5.2 = 192.31万人 (2 d.p.)
        m = ProductivityModel.from_plan(plan)
        assert (m.productivity, m.gdp) == (3.7, GDP_2020)
        assert m.employment == pytest.approx(725.11e8 / 3.7e4 / 1e4, rel=1e-12)
        assert m.employment == pytest.approx(195.98, abs=0.005)
        assert m.implied_employment(1000, 5.2) == pytest.approx(192.31, abs=0.005)

    def test_employment_must_fall(self):
        # ((1000/5.2)/(725.11/3.7))^(1/5) - 1 = -0.377%: employment falls 0.38% a year (2 d.p.)
        got = ProductivityModel(3.7, GDP_2020).employment_rate_for_targets(1000, 5.2, 5)
        assert got == pytest.approx(math.pow((1000 / 5.2) / (725.11 / 3.7), 0.2) - 1, abs=1e-12)
        assert got == pytest.approx(-0.0038, abs=5e-5)

    def test_productivity_rate_identity(self):
        # (1 + g_Y) / (1 + g_E) - 1
        got = ProductivityModel.required_productivity_rate(0.07, -0.0038)
        assert got == pytest.approx(1.07 / 0.9962 - 1, abs=1e-15)

    def test_trade_dependence(self, plan):
        # 专栏1 序号6: trade 1.65亿美元 (2020); × 6.8976 CNY/USD (NBS 2020 communiqué) / 725.11亿元
        # = 1.570% (3 d.p.). (专栏2 序号6 prints 1.5%, computed by the plan on another basis.)
        m = ShareOfGDPModel.from_plan(plan, "trade_total_usd", exchange_rate=CNY_PER_USD_2020)
        assert (m.numerator, m.numerator_unit, m.exchange_rate) == (1.65, "亿美元", 6.8976)
        assert m.share_pct == pytest.approx(100 * 1.65 * 6.8976 / 725.11, rel=1e-12)
        assert m.share_pct == pytest.approx(1.570, abs=5e-4)

    def test_trade_dependence_2025(self):
        # 第九章 第四节: trade +10% a year; GDP 725.11 -> 1000: 1.65 × 1.1^5 × 6.8976 / 1000 = 1.833%
        m = ShareOfGDPModel(1.65, GDP_2020, "亿美元", exchange_rate=CNY_PER_USD_2020)
        hand = 100 * 1.65 * 1.1**5 * 6.8976 / 1000
        assert m.share_after(0.10, _g_nominal(), 5) == pytest.approx(hand, rel=1e-12)
        assert m.share(1.65 * 1.1**5, 1000) == pytest.approx(hand, rel=1e-12)
        assert hand == pytest.approx(1.833, abs=5e-4)

    def test_local_fiscal_revenue_share(self, plan):
        # 专栏2 序号7: local fiscal revenue 4.98% of GDP (2020) -> 5.5% (2025)
        m = ShareOfGDPModel.from_plan(plan, "local_fiscal_revenue_gdp_share")
        assert m.share_pct == pytest.approx(4.98, rel=1e-12)
        hand = math.pow(5.5 / 4.98, 0.2) * (1 + _g_nominal()) - 1
        got = m.required_numerator_rate(5.5, _g_nominal(), 5)
        assert got == pytest.approx(hand, abs=1e-12)
        assert got == pytest.approx(0.0878, abs=5e-5)

    def test_exchange_rate_constant(self):
        # NBS 2020 statistical communiqué: 全年人民币平均汇率为1美元兑6.8976元人民币
        assert CNY_PER_USD_2020 == 6.8976

    def test_money_units_match_unit_registry(self):
        # MONEY_UNITS restates data/units.csv (scale / 1e8); one truth
        table = xe.io.default_units().table
        for unit, (currency, per_yi) in MONEY_UNITS.items():
            assert table.loc[unit, "base_unit"] == currency
            assert table.loc[unit, "scale"] / 1e8 == pytest.approx(per_yi, rel=1e-15)


# ======================================================================================
# Round trips: solve, project, recover the target to 1e-10
# ======================================================================================

class TestRoundTrips:
    def test_sectors_all_shares(self, structure):
        targets = {"primary": 12.0, "secondary": 32.0, "tertiary": 56.0, "manufacturing": 20.0}
        rates = structure.required_rates_for_shares(targets, _g_nominal(), 5)
        path = structure.project(rates, 5)
        last = path.iloc[-1]
        for k, v in targets.items():
            assert last[f"{k}_share_pct"] == pytest.approx(v, abs=ROUND_TRIP)
        # target shares sum to 100, so total GDP grows at exactly the GDP rate: 1000 in 2025
        assert last["gdp"] == pytest.approx(GDP_2025, rel=ROUND_TRIP)
        # year by year the total's growth drifts (sectors grow at different rates); over the period
        # its average is the GDP rate
        assert math.pow(last["gdp"] / GDP_2020, 1 / 5) - 1 == pytest.approx(_g_nominal(), abs=ROUND_TRIP)

    def test_sectors_real_rate_with_inflation(self, structure):
        targets = {"primary": 13.0, "secondary": 30.0, "tertiary": 57.0}
        rates = structure.required_rates_for_shares(targets, 0.07, 5, inflation=0.01)
        last = structure.project(rates, 5).iloc[-1]
        for k, v in targets.items():
            assert last[f"{k}_share_pct"] == pytest.approx(v, abs=ROUND_TRIP)
        assert last["gdp"] == pytest.approx(GDP_2020 * (1.07 * 1.01) ** 5, rel=ROUND_TRIP)

    def test_single_sector_rate_matches_structure(self, structure):
        targets = {"primary": 12.0, "secondary": 32.0, "tertiary": 56.0}
        rates = structure.required_rates_for_shares(targets, 0.08, 5)
        for k, v in targets.items():
            assert structure.required_sector_rate(k, v, 0.08, 5) == pytest.approx(rates[k], abs=1e-15)

    def test_sectors_rounded_shares_are_rescaled(self):
        # printed shares sum to 100.05 (within 0.1): the model rescales, and the round trip holds
        s = SectorStructure(500.0, {"primary": 10.05, "secondary": 40.0, "tertiary": 50.0})
        assert sum(s.value_added.values()) == pytest.approx(500.0, rel=1e-14)
        targets = {"primary": 8.0, "secondary": 42.0, "tertiary": 50.0}
        last = s.project(s.required_rates_for_shares(targets, 0.05, 4), 4).iloc[-1]
        for k, v in targets.items():
            assert last[f"{k}_share_pct"] == pytest.approx(v, abs=ROUND_TRIP)

    @HYP
    @given(p=st.floats(1, 40), sec=st.floats(1, 50), g=st.floats(-0.05, 0.15), n=st.integers(2, 15))
    def test_sectors_property(self, p, sec, g, n):
        structure = SectorStructure(GDP_2020, SHARES_2020)
        targets = {"primary": p, "secondary": sec, "tertiary": 100.0 - p - sec}
        last = structure.project(structure.required_rates_for_shares(targets, g, n), n).iloc[-1]
        for k, v in targets.items():
            assert last[f"{k}_share_pct"] == pytest.approx(v, abs=ROUND_TRIP)

    def test_tourism_spending(self):
        t = TourismModel.from_revenue(5490, 461)
        g_s = t.required_spending_rate(1000, 0.10, 5)
        assert t.project(0.10, g_s, 5)["revenue"].iloc[-1] == pytest.approx(1000, rel=ROUND_TRIP)

    def test_tourism_arrivals(self):
        t = TourismModel.from_revenue(5490, 461)
        g_a = t.required_arrivals_rate(1000, 0.03, 5)
        assert t.project(g_a, 0.03, 5)["revenue"].iloc[-1] == pytest.approx(1000, rel=ROUND_TRIP)

    def test_tourism_paths(self):
        t = TourismModel.from_revenue(5490, 461)
        p = t.paths_to_targets(12000, None, 1000, 5)
        last = t.project(p.arrivals_rate, p.spending_rate, 5).iloc[-1]
        assert last["arrivals"] == pytest.approx(12000, rel=ROUND_TRIP)
        assert last["revenue"] == pytest.approx(1000, rel=ROUND_TRIP)

    @HYP
    @given(target=st.floats(200, 2000), g_a=st.floats(-0.1, 0.4), n=st.integers(4, 20))
    def test_tourism_property(self, target, g_a, n):
        t = TourismModel.from_revenue(5490, 461)
        g_s = t.required_spending_rate(target, g_a, n)
        assert t.project(g_a, g_s, n)["revenue"].iloc[-1] == pytest.approx(target, rel=ROUND_TRIP)

    def test_rd(self):
        rd = RDIntensityModel(1.2, GDP_2020)
        g_d = rd.required_rd_rate(2.0, _g_nominal(), 5)
        last = rd.project(g_d, _g_nominal(), 5).iloc[-1]
        assert last["intensity_pct"] == pytest.approx(2.0, abs=ROUND_TRIP)
        assert last["gdp"] == pytest.approx(GDP_2025, rel=ROUND_TRIP)

    def test_rd_with_inflation(self):
        rd = RDIntensityModel(1.2, GDP_2020)
        g_d = rd.required_rd_rate(2.0, 0.07, 5, inflation=0.01)
        assert rd.intensity_after(g_d, 0.07, 5, inflation=0.01) == pytest.approx(2.0, abs=ROUND_TRIP)
        last = rd.project(g_d, 0.07, 5, inflation=0.01).iloc[-1]
        assert last["intensity_pct"] == pytest.approx(2.0, abs=ROUND_TRIP)

    def test_rd_project_agrees_with_intensity_after(self):
        rd = RDIntensityModel(1.2, GDP_2020)
        path = rd.project(0.12, 0.0664, 5)
        after = rd.intensity_after(0.12, 0.0664, np.arange(6))
        assert path["intensity_pct"].to_numpy() == pytest.approx(after, abs=ROUND_TRIP)

    def test_urbanisation_logistic(self):
        m = UrbanisationModel(50.0)
        u = m.required_urgd(55.0, 5)
        assert m.logistic_path(u, 5)["rate_pct"].iloc[-1] == pytest.approx(55.0, abs=ROUND_TRIP)

    def test_urbanisation_linear(self):
        m = UrbanisationModel(50.0)
        v = m.required_pace_pp(55.0, 5)
        assert m.linear_path(v, 5)["rate_pct"].iloc[-1] == pytest.approx(55.0, abs=ROUND_TRIP)

    @HYP
    @given(p0=st.floats(0.5, 99.5), p1=st.floats(0.5, 99.5), n=st.integers(1, 40))
    def test_urgd_property(self, p0, p1, n):
        assert logistic_rate(p0, urgd(p0, p1, n), n) == pytest.approx(p1, abs=ROUND_TRIP)

    def test_urban_population(self):
        m = UrbanisationModel.from_urban_population(50.0, 128.0)
        path = m.project_population(0.004, 5, urgd=m.required_urgd(55.0, 5))
        last = path.iloc[-1]
        assert last["rate_pct"] == pytest.approx(55.0, abs=ROUND_TRIP)
        assert last["total_population"] == pytest.approx(256 * 1.004**5, rel=ROUND_TRIP)
        assert last["urban_population"] == pytest.approx(256 * 1.004**5 * 0.55, rel=ROUND_TRIP)
        assert (path["urban_population"] + path["rural_population"]).to_numpy() == pytest.approx(
            path["total_population"].to_numpy(), rel=1e-14)

    def test_productivity(self):
        m = ProductivityModel(3.7, GDP_2020)
        g_e = m.employment_rate_for_targets(1000, 5.2, 5)
        g_p = m.required_productivity_rate(_g_nominal(), g_e)
        last = m.project(g_p, g_e, 5).iloc[-1]
        assert last["gdp"] == pytest.approx(1000, rel=ROUND_TRIP)
        assert last["productivity"] == pytest.approx(5.2, rel=ROUND_TRIP)
        assert last["employment"] == pytest.approx(1000 / 5.2, rel=ROUND_TRIP)

    def test_productivity_for_gdp_target(self):
        m = ProductivityModel(3.7, GDP_2020)
        g_p = m.required_productivity_rate_for_gdp(1000, -0.01, 5)
        assert m.project(g_p, -0.01, 5)["gdp"].iloc[-1] == pytest.approx(1000, rel=ROUND_TRIP)
        g_e = m.required_employment_rate(_g_nominal(), g_p)
        assert g_e == pytest.approx(-0.01, abs=1e-14)

    @pytest.mark.parametrize("model, target", [
        (ShareOfGDPModel(1.65, GDP_2020, "亿美元", exchange_rate=CNY_PER_USD_2020), 1.72),  # 专栏2 序号6
        (ShareOfGDPModel.from_share(4.98, GDP_2020), 5.5),  # 专栏2 序号7
    ])
    def test_share_of_gdp(self, model, target):
        g_n = model.required_numerator_rate(target, _g_nominal(), 5)
        assert model.share_after(g_n, _g_nominal(), 5) == pytest.approx(target, abs=ROUND_TRIP)
        last = model.project(g_n, _g_nominal(), 5).iloc[-1]
        assert last["share_pct"] == pytest.approx(target, abs=ROUND_TRIP)
        assert model.share(last["numerator"], last["gdp"]) == pytest.approx(target, abs=ROUND_TRIP)


# ======================================================================================
# Vectorised solvers against element-by-element loops
# ======================================================================================

class TestVectorised:
    rng = np.random.default_rng(20210414)  # seeded: the plan's print date

    def test_sector_rate(self, structure):
        targets = self.rng.uniform(5, 40, 12)
        g = self.rng.uniform(0.0, 0.1, 12)
        got = structure.required_sector_rate("secondary", targets, g, 5)
        # oracle: plain-math formula (1+g)(s*/s0)^(1/5) - 1 with s0 = 28.2 (第一章: 2020 secondary share)
        slow = [(1 + r) * (t / 28.2) ** (1 / 5) - 1 for t, r in zip(targets, g, strict=True)]
        assert isinstance(got, np.ndarray) and got == pytest.approx(slow, abs=1e-12)

    def test_rates_for_shares_frame(self, structure):
        g = np.array([0.05, 0.07])
        got = structure.required_rates_for_shares(SHARES_2020 | {"manufacturing": 20.0}, g, 5)
        assert list(got.columns) == ["primary", "secondary", "tertiary", "manufacturing"]
        assert got["primary"].to_numpy() == pytest.approx(g, abs=1e-15)  # an unchanged share grows with GDP

    def test_tourism_and_rd_and_urbanisation(self):
        t = TourismModel.from_revenue(5490, 461)
        rev = self.rng.uniform(500, 1500, 10)
        got = t.required_spending_rate(rev, 0.1, 5)
        # oracles in plain math: (R*/R0)^(1/5) / 1.1 - 1; (s*/1.2)^(1/5) × 1.07 - 1; logit difference / 5
        assert got == pytest.approx([(r / 461) ** 0.2 / 1.1 - 1 for r in rev], abs=1e-12)
        rd = RDIntensityModel(1.2, GDP_2020)
        it = self.rng.uniform(0.5, 4, 10)
        assert rd.required_rd_rate(it, 0.07, 5) == pytest.approx([(x / 1.2) ** 0.2 * 1.07 - 1 for x in it], abs=1e-12)
        m = UrbanisationModel(50.0)
        p = self.rng.uniform(30, 90, 10)
        logit = [math.log(x / (100 - x)) for x in p]
        assert m.required_urgd(p, 5) == pytest.approx([(lg - 0.0) / 5 for lg in logit], abs=1e-12)
        p2 = t.paths_to_targets(np.array([12000.0, 10000.0]), 1200, 1000, 5)
        assert p2.arrivals_rate.shape == (2,) and len(p2.to_frame()) == 2

    def test_scalar_inputs_give_floats(self, structure):
        assert type(structure.required_sector_rate("primary", 12, 0.07, 5)) is float
        assert type(RDIntensityModel(1.2, GDP_2020).required_rd_rate(2, 0.07, 5)) is float
        assert type(UrbanisationModel(50.0).required_urgd(55, 5)) is float
        assert type(ProductivityModel(3.7, GDP_2020).employment_rate_for_targets(1000, 5.2, 5)) is float


# ======================================================================================
# Bad input
# ======================================================================================

class TestBadInput:
    def test_share_above_100(self):
        with pytest.raises(ValueError, match=r"shares\['primary'\] must be between 0 and 100 \[%\]; got 115.4"):
            SectorStructure(GDP_2020, {"primary": 115.4, "secondary": 28.2, "tertiary": 56.4})

    def test_shares_do_not_sum_to_100(self):
        with pytest.raises(ValueError, match=r"shares sum to 101.3, expected 100 within 0.1"):
            SectorStructure(GDP_2020, {"primary": 15.4, "secondary": 29.5, "tertiary": 56.4})

    def test_tolerance_argument(self):
        s = SectorStructure(GDP_2020, {"primary": 15.4, "secondary": 29.5, "tertiary": 56.4}, tolerance_pp=1.5)
        assert sum(s.normalised_shares[k] for k in SECTORS) == pytest.approx(100, abs=1e-12)
        with pytest.raises(ValueError, match=r"shares sum to 100.3, expected 100 within 0.2"):
            SectorStructure(GDP_2020, {"primary": 15.4, "secondary": 28.5, "tertiary": 56.4}, tolerance_pp=0.2)

    def test_target_shares_must_sum_to_100(self, structure):
        with pytest.raises(ValueError, match=r"target_shares sum to 102, expected 100 within 0.1"):
            structure.required_rates_for_shares({"primary": 12, "secondary": 30, "tertiary": 60}, 0.07, 5)

    def test_target_share_above_100(self, structure):
        with pytest.raises(ValueError, match=r"target_share must be above 0 and at most 100 \[%\]; got 120"):
            structure.required_sector_rate("primary", 120, 0.07, 5)

    def test_manufacturing_above_secondary(self):
        with pytest.raises(ValueError, match=r"'manufacturing'\] is 30, above shares\['secondary'\] 28.2"):
            SectorStructure(GDP_2020, {**SHARES_2020, "manufacturing": 30})

    def test_projection_manufacturing_overtakes_secondary(self, structure):
        with pytest.raises(ValueError, match=r"manufacturing value added .* would exceed secondary"):
            structure.project({"primary": 0.03, "secondary": 0.0, "tertiary": 0.07, "manufacturing": 0.2}, 10)

    def test_sector_rates_missing_or_unknown(self, structure):
        with pytest.raises(ValueError, match="missing 'tertiary'"):
            structure.project({"primary": 0.03, "secondary": 0.05}, 5)
        with pytest.raises(ValueError, match="'mining'"):
            structure.project({"primary": 0.03, "secondary": 0.05, "tertiary": 0.05, "mining": 0.1}, 5)
        with pytest.raises(ValueError, match="sector must be one of"):
            SectorStructure(GDP_2020, SHARES_2020).required_sector_rate("manufacturing", 20, 0.07, 5)

    @pytest.mark.parametrize("build, message", [
        (lambda: SectorStructure(-725.11, SHARES_2020), r"gdp must be positive \[亿元\]; got -725.11"),
        (lambda: TourismModel(-5490, 839.71), r"arrivals must be positive \[万人次\]; got -5490"),
        (lambda: TourismModel(5490, 0), r"spending must be positive \[元\]; got 0"),
        (lambda: RDIntensityModel(1.2, 0), r"gdp must be positive \[亿元\]; got 0"),
        (lambda: RDIntensityModel(-1.2, 725.11), r"intensity_pct must be above 0 and at most 100"),
        (lambda: ProductivityModel(-3.7, 725.11), r"productivity must be positive \[万元/人\]; got -3.7"),
        (lambda: ShareOfGDPModel(-1.0, 725.11), r"numerator must be positive \[亿元\]; got -1"),
        (lambda: UrbanisationModel(50.0, -256.0), r"total_population must be positive \[万人\]; got -256"),
    ])
    def test_negative_or_zero_component(self, build, message):
        with pytest.raises(ValueError, match=message):
            build()

    def test_negative_target_names_argument(self):
        t = TourismModel.from_revenue(5490, 461)
        with pytest.raises(ValueError, match=r"revenue_target must be .*; got -1"):
            t.required_spending_rate(-1, 0.1, 5)
        with pytest.raises(ValueError, match=r"arrivals must be .*; got -5 at position 1"):
            implied_revenue(np.array([1.0, -5.0]), 800)

    def test_usd_without_exchange_rate(self, plan):
        with pytest.raises(ValueError, match=r"numerator_unit is '亿美元' \(USD\) but exchange_rate is None"):
            ShareOfGDPModel(1.65, GDP_2020, "亿美元")
        with pytest.raises(ValueError, match=r"exchange_rate is None"):
            ShareOfGDPModel.from_plan(plan, "trade_total_usd")

    def test_exchange_rate_refused_for_cny(self):
        with pytest.raises(ValueError, match=r"exchange_rate is only used for a USD numerator"):
            ShareOfGDPModel(36.1, GDP_2020, "亿元", exchange_rate=6.9)

    def test_unknown_unit(self):
        with pytest.raises(ValueError, match=r"numerator_unit must be one of .*; got 'USD'"):
            ShareOfGDPModel(1.65, GDP_2020, "USD", exchange_rate=6.9)

    @pytest.mark.parametrize("value", [0.0, 100.0, -3.0, 101.0])
    def test_urbanisation_rate_bounds(self, value):
        with pytest.raises(ValueError, match=rf"rate_pct must be strictly between 0 and 100 \[%\]; got {value:g}"):
            UrbanisationModel(value)

    def test_urgd_rates_bounds(self):
        msg = r"end_rate must be strictly between 0 and 100 \[%\]; got 100 at position 1"
        with pytest.raises(ValueError, match=msg):
            urgd(50.0, np.array([60.0, 100.0]), 5)
        with pytest.raises(ValueError, match=r"target_rate must be strictly between 0 and 100 \[%\]; got 100"):
            UrbanisationModel(50.0).required_urgd(100.0, 5)

    def test_linear_path_cannot_pass_100(self):
        with pytest.raises(ValueError, match=r"takes the rate to 100% in year 2020 \+ 25"):
            UrbanisationModel(50.0, year=2020).linear_path(2.0, 30)
        # the logistic path at the 2015-2020 URGD stays below 100% for a century
        assert UrbanisationModel(50.0).logistic_path(0.072, 100)["rate_pct"].max() < 100

    def test_project_needs_one_path(self):
        m = UrbanisationModel.from_urban_population(50.0, 128.0)
        with pytest.raises(ValueError, match="exactly one of urgd"):
            m.project(5)
        with pytest.raises(ValueError, match="total_population"):
            UrbanisationModel(50.0).project_population(0.01, 5, urgd=0.04)

    def test_percent_passed_as_rate_warns(self):
        with pytest.warns(PercentLikeRateWarning, match="gdp_rate looks like a percent"):
            RDIntensityModel(1.2, GDP_2020).required_rd_rate(2.0, 6.64, 5)
        with pytest.raises(ValueError, match=r"sector_rates\['primary'\] must be >= -1"):
            SectorStructure(GDP_2020, SHARES_2020).project({"primary": -2, "secondary": 0, "tertiary": 0}, 5)

    def test_bad_years(self):
        with pytest.raises(ValueError, match=r"years must be positive \[years\]; got 0"):
            RDIntensityModel(1.2, GDP_2020).required_rd_rate(2.0, 0.07, 0)
        with pytest.raises(ValueError, match="whole number of years"):
            TourismModel(5490, 839.71).project(0.1, 0.0, 2.5)

    def test_missing_plan_year(self, plan):
        with pytest.raises(KeyError, match="no 2019 level of series 'rd_intensity'"):
            RDIntensityModel.from_plan(plan, 2019)


# ======================================================================================
# Frames, display, package
# ======================================================================================

class TestFramesAndDisplay:
    def test_projection_frames_are_tidy_with_units(self, plan):
        frames = {
            "sectors": SectorStructure.from_plan(plan).project(
                {"primary": 0.03, "secondary": 0.08, "tertiary": 0.07, "manufacturing": 0.1}, 5),
            "tourism": TourismModel.from_plan(plan).project(0.15, 0.01, 5),
            "rd": RDIntensityModel.from_plan(plan).project(0.12, 0.0664, 5),
            "urbanisation": UrbanisationModel.from_plan(plan).project(5, urgd=0.04, total_rate=0.0),
            "productivity": ProductivityModel.from_plan(plan).project(0.07, 0.0, 5),
            "share": ShareOfGDPModel.from_share(4.98, GDP_2020, year=2020).project(0.08, 0.0664, 5),
        }
        for name, frame in frames.items():
            assert list(frame["year"]) == list(range(2020, 2026)), name
            assert set(frame.columns) == set(frame.attrs["units"]), name

    def test_base_year_row_is_the_base(self, plan):
        t = TourismModel.from_plan(plan)
        row = t.project(0.1, 0.1, 3).iloc[0]
        assert (row["arrivals"], row["spending"], row["revenue"]) == pytest.approx((5490, t.spending, 461), rel=1e-15)

    @pytest.mark.parametrize("make", [
        lambda p: SectorStructure.from_plan(p),
        lambda p: TourismModel.from_plan(p),
        lambda p: RDIntensityModel.from_plan(p),
        lambda p: UrbanisationModel.from_plan(p),
        lambda p: ProductivityModel.from_plan(p),
        lambda p: ShareOfGDPModel.from_plan(p, "trade_total_usd", exchange_rate=CNY_PER_USD_2020),
        lambda p: TourismModel.from_plan(p).paths_to_targets(12000, None, 1000, 5),
    ])
    def test_display(self, plan, make):
        obj = make(plan)
        text = str(obj)
        assert text == obj.summary() == str(make(plan))  # same input, same text
        assert repr(obj) == f"<{type(obj).__name__}: {text.splitlines()[0]}>"  # one line
        assert "object at 0x" not in text
        assert "<table" in obj._repr_html_()
        assert isinstance(obj.to_frame(), pd.DataFrame)

    def test_tourism_paths_is_result_object(self):
        assert isinstance(TourismModel(5490, 839.71).paths_to_targets(12000, 1200, 1000, 5), TourismPaths)

    def test_models_are_frozen(self):
        m = RDIntensityModel(1.2, GDP_2020)
        with pytest.raises(AttributeError):
            m.gdp = 1.0  # type: ignore[misc]

    def test_import_is_light(self):
        code = ("import sys, xiangxi_econ.results.models; "
                "print(','.join(m for m in ('pandas', 'scipy', 'matplotlib', 'statsmodels') if m in sys.modules))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == ""

    def test_models_never_load_plotting_or_statsmodels(self):
        code = ("import sys; import xiangxi_econ.results.models.sectors, xiangxi_econ.results.models.tourism, "
                "xiangxi_econ.results.models.rd, xiangxi_econ.results.models.urbanisation, "
                "xiangxi_econ.results.models.ratios; "
                "print(','.join(m for m in ('matplotlib', 'statsmodels', 'scipy') if m in sys.modules))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == ""

    def test_unknown_attribute(self):
        import xiangxi_econ.results.models as models

        with pytest.raises(AttributeError, match="no attribute 'Nope'"):
            models.Nope  # noqa: B018
