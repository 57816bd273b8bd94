"""Calibrated probabilities of a plan's targets and their backtest against outcomes.

Hand references: Xiangxi GDP 705.71 (2019, census-revised, 2025 bulletin's series) and 725.11 (2020,
专栏2 序号1); fiscal revenue 32.2亿元 (2010) -> 78.4亿元 (2015) (2016 work report) and the 13th-plan
target 120 (专栏1 序号3) with outcome 133.6.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import xiangxi_econ as xe
from xiangxi_econ.probability.calibration import target_forecasts, target_history


@pytest.fixture(scope="module")
def bt(plan):
    return xe.backtest(plan, n_draws=20_000)


def _row(plan, ident):
    t = xe.targets_table(plan)
    ind = plan.indicators.set_index("indicator_id")
    r = t[t["indicator_id"] == ident].assign(base_unit=ind.loc[ident, "base_unit"], scale=ind.loc[ident, "scale"])
    return r


def test_history_stays_in_one_statistical_segment(plan):
    """GDP as of 2020: only 2019 and 2020 lie after the 2019 census revision."""
    row = next(_row(plan, "gdp").itertuples())
    h = target_history(plan, row, 2020)
    assert h.to_dict() == {2019: pytest.approx(705.7136, rel=1e-9), 2020: 725.11}


def test_data_after_the_information_year_never_change_a_forecast(plan):
    """Leakage: dropping every observation after 2020 leaves the as-of-2020 forecasts unchanged."""
    rows = _row(plan, "gdp")
    full = target_forecasts(plan, rows, 2020)
    obs = plan.observations
    cut = type(obs)(obs.table[obs.table["year"] <= 2020].reset_index(drop=True), obs.breaks, obs.units)
    import dataclasses

    early = dataclasses.replace(plan, observations=cut)
    again = target_forecasts(early, rows, 2020)
    assert full["probability"].iloc[0] == again["probability"].iloc[0]
    assert full["q50"].iloc[0] == again["q50"].iloc[0]


def test_scores_are_the_published_formulas(bt):
    """Brier = mean (p - y)^2 and log score = -mean[y ln p + (1-y) ln(1-p)], recomputed from the rows."""
    t = bt.to_frame()
    t = t[t["scored"]]
    p, y = t["probability"].to_numpy(float), t["met"].to_numpy(float)
    s = bt.scores().set_index("plan").loc["all"]
    assert s["brier_model"] == pytest.approx(np.mean((p - y) ** 2), abs=1e-15)
    pc = np.clip(p, 0.001, 0.999)
    assert s["log_model"] == pytest.approx(-np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc)), abs=1e-12)
    assert s["coverage90"] == pytest.approx(t["in90"].mean(), abs=1e-15)


def test_a_break_excludes_a_row_only_when_it_could_flip_it(bt):
    """13th-plan GDP 2015 -> 2020 spans the 2019 census revision, which cannot flip 725.11 against
    1000: scored, with the caveat naming the revision of the outcome. Forest cover 2025 (60.35 against
    73 after a change of method, 21% apart, within the 25% default): not scored, with the reason."""
    t = bt.to_frame().set_index("indicator_id")
    assert t.loc["t13_gdp", "scored"] and "census revision of 2019" in t.loc["t13_gdp", "caveat"]
    assert not t.loc["forest_cover", "scored"] and "not comparable" in t.loc["forest_cover", "reason"]


def test_trend_baseline_closed_form(bt):
    """Fiscal revenue as of 2015: trend g = (78.4/32.2)**(1/5) - 1; P(>= 120 in 2020) under log-normal
    steps with 0.03 a year: sf((ln(120/78.4) - 5 ln(1+g)) / (0.03 √5))."""
    t = bt.to_frame().set_index("indicator_id").loc["t13_fiscal_revenue_total"]
    g = (78.4 / 32.2) ** 0.2 - 1
    assert t["trend_pace"] == pytest.approx(g, abs=1e-12)
    z = (math.log(120 / 78.4) - 5 * math.log1p(g)) / (0.03 * math.sqrt(5))
    assert t["p_trend"] == pytest.approx(norm.sf(z), abs=1e-12)
    assert t["met"] == 1.0 and t["outcome"] == 133.6


def test_intervals_contain_the_2025_outcomes(bt):
    """GDP 889.5 and income 24783 lie in the 90% intervals made as of 2020 and are scored; tourism
    revenue (729 against 1000: a definition change would have to exceed 37% to flip it) is scored."""
    t = bt.to_frame().set_index("indicator_id")
    for ident in ("gdp", "disposable_income_per_capita"):
        assert t.loc[ident, "in90"] and t.loc[ident, "scored"], ident
    assert t.loc["tourism_revenue_ch2", "scored"]


def test_enough_rows_are_scored(bt):
    """The issue's floor: at least 8 targets of the 13th plan and 6 of the 14th are scored."""
    s = bt.scores().set_index("plan")
    assert s.loc["2015-2020", "n"] >= 8 and s.loc["2020-2025", "n"] >= 6


def test_scores_of_a_hand_made_table():
    """Two targets, P = 0.5 and 1.0, both met: Brier ((0.5-1)^2 + 0^2)/2 = 0.125; log score
    -(ln 0.5 + ln 0.999)/2 = 0.34707 (p clipped to 0.999); trend P = 0 and 0: Brier 1."""
    import pandas as pd

    table = pd.DataFrame({"plan": ["p", "p"], "scored": [True, True], "met": [1.0, 1.0],
                          "probability": [0.5, 1.0], "p_trend": [0.0, 0.0], "p_verdict": [1.0, 0.5],
                          "in50": [True, False], "in90": [True, True], "pinball_pct": [1.0, 3.0],
                          "pinball_pct_trend": [2.0, 2.0], "p_rw_median": [np.nan, 1.0]})
    from xiangxi_econ.probability.backtesting import Backtest

    s = Backtest(table).scores().set_index("plan").loc["all"]
    assert s["brier_model"] == pytest.approx(0.125, abs=1e-15)
    assert s["log_model"] == pytest.approx(-(math.log(0.5) + math.log(0.999)) / 2, abs=1e-12)
    assert s["brier_trend"] == pytest.approx(1.0, abs=1e-15)
    assert s["brier_verdict"] == pytest.approx(0.125, abs=1e-15)
    assert (s["coverage50"], s["coverage90"], s["pinball_pct"]) == (0.5, 1.0, 2.0)
    # a baseline with no probability for a row is scored on the rows it has: n = 1, Brier 0
    assert (s["n_rw_median"], s["brier_rw_median"]) == (1, 0.0)


def test_backtest_display_and_chart(bt):
    assert "Brier" in bt.summary() and "Brier" in repr(bt)
    import matplotlib

    matplotlib.use("Agg")
    ax = bt.plot()
    assert len(ax.collections) == 2


def test_each_forecast_uses_priors_it_could_have_seen():
    """Priors by vintage: as of 2015 the 2015 file (outcomes up to 2015), as of 2016-2017 still that one,
    as of 2018 or later the main file (outcomes up to 2018); before 2015 no shipped vintage exists."""
    from xiangxi_econ.probability.priors import load_priors

    for year in range(2015, 2026):
        last = load_priors(as_of_year=year).provenance["last_outcome_year"]
        assert last <= year and (year < 2018 or last == 2018), (year, last)
    with pytest.raises(ValueError, match="2015"):
        load_priors(as_of_year=2014)


# ------------------------------------------------------------------- edges that one token could flip
def _stub_plan(breaks):
    import types

    return types.SimpleNamespace(observations=types.SimpleNamespace(breaks=pd.DataFrame(breaks)))


def _stub_rows(**kw):
    base = dict(series_id="s", as_of_year=2015, target_year=2020, outcome_year=2020, target_value=100.0,
                outcome=95.0, reason="", outcome_status="", outcome_method="")
    base.update(kw)
    return pd.DataFrame([base])


@pytest.mark.parametrize("year, blocked", [(2014, False), (2015, False), (2016, True), (2020, True), (2021, False)])
def test_a_break_counts_only_between_the_information_year_and_the_outcome(year, blocked):
    """A definition change of size 10% dated ``year``, outcome 95 against target 100 (|100/95 - 1| =
    5.3% <= 10%: the break could flip it). It blocks the row exactly when the information year 2015 <
    year <= the outcome year 2020: a break dated in the information year is in the data the forecast saw,
    one after the outcome does not touch it."""
    from xiangxi_econ.probability.backtesting import _unscored_reasons

    plan = _stub_plan({"series_id": ["s"], "year": [year], "kind": ["definition"], "size": [0.10]})
    reasons, _ = _unscored_reasons(plan, _stub_rows())
    assert bool(reasons[0]) is blocked


def test_a_break_too_small_to_flip_the_outcome_is_a_caveat():
    """Outcome 80 against 100 (25% away) and a 10% definition change in 2017: scored, with a caveat."""
    from xiangxi_econ.probability.backtesting import _unscored_reasons

    plan = _stub_plan({"series_id": ["s"], "year": [2017], "kind": ["definition"], "size": [0.10]})
    reasons, caveats = _unscored_reasons(plan, _stub_rows(outcome=80.0))
    assert reasons[0] == "" and "2017" in caveats[0]


def test_a_bound_derived_for_an_outcome_is_never_scored(bt):
    """Manufacturing's share 2025 is known only as a bound (manufacturing <= industry = 15.5%): the rows
    are not scored, and their reason says why."""
    t = bt.to_frame()
    rows = t[t["series_id"] == "manufacturing_va_share"]
    assert len(rows) and not rows["scored"].any()
    assert rows["reason"].str.contains("bound derived").all()


def test_verdict_baseline_uses_the_required_pace_target_minus_base(bt):
    """Urbanisation 2020-2025 (专栏2): base 50.0, target 55 in 5 years, required 1.0 pp a year; the trend
    pace up to 2020 in its segment is (50.0 - 41.1) / 5 = 1.78 pp a year (2015 and 2020 printed in
    the plan), ratio 1.78 >= 1: on track, so p_verdict = 1 (with target + base, 21 pp a year would be
    required and the verdict would fall)."""
    t = bt.to_frame().set_index(["plan", "indicator_id"])
    r = t.loc[("2020-2025", "urbanisation_rate")]
    assert r["trend_pace"] == pytest.approx((50.0 - 41.1) / 5, rel=1e-9)
    assert r["p_verdict"] == 1.0


def test_pinball_losses_are_the_published_formula(bt):
    """Pinball loss of quantile q for outcome o: max(q (o - x_q), (q - 1)(o - x_q)), averaged over
    q = 0.05, 0.25, 0.5, 0.75, 0.95 and divided by |target| x 100 (Gneiting & Raftery 2007, eq. 40)."""
    t = bt.to_frame()
    t = t[t["scored"]]
    qs = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    qv = t[["q05", "q25", "q50", "q75", "q95"]].to_numpy(float)
    e = t["outcome"].to_numpy(float)[:, None] - qv
    hand = np.array([[max(q * x, (q - 1) * x) for q, x in zip(qs, row, strict=True)] for row in e]).mean(axis=1)
    assert np.allclose(t["pinball_pct"], hand / np.abs(t["target_value"].to_numpy(float)) * 100, rtol=1e-12)


def test_an_outcome_on_the_interval_edge_is_covered():
    """Coverage counts an outcome equal to q05 or q95 (closed interval [q05, q95])."""
    from xiangxi_econ.probability.backtesting import _score_rows

    rows = pd.DataFrame({"outcome": [90.0, 110.0], "target_value": [100.0, 100.0], "bound": ["at_least"] * 2,
                         "direction": ["increase"] * 2})
    fc = pd.DataFrame({"indicator_id": ["a", "b"], "q05": [90.0, 80.0], "q25": [95.0, 95.0],
                       "q50": [100.0, 100.0], "q75": [105.0, 105.0], "q95": [120.0, 110.0]})
    out = _score_rows(rows, fc)
    assert out["in90"].tolist() == [True, True] and out["in50"].tolist() == [False, False]


@pytest.mark.parametrize("kind, conv", [("level", np.log), ("share", lambda x: x)])
def test_random_walk_median_by_hand(monkeypatch, kind, conv):
    """The random-walk-median baseline on a made-up series 2009-2015 as of 2015 (only changes within
    2010-2015 count): steps = diff of conv(values) / diff(years); centre conv(v_2015) + h * median(steps),
    sd = std(steps, ddof=1) * sqrt(h), h = 2020 - 2015; P(met) = sf((conv(target) - centre) / sd) for an
    at-least target (scipy). conv = log for levels, identity for shares."""
    from xiangxi_econ.probability import backtesting

    years = np.array([2009, 2010, 2011, 2012, 2013, 2015])
    values = np.array([50.0, 10.0, 11.0, 12.5, 13.0, 15.0])
    monkeypatch.setattr(backtesting, "series_segments", lambda plan, r, as_of: (years, values, np.zeros(6, int)))
    rows = pd.DataFrame([{"as_of_year": 2015, "target_year": 2020, "target_value": 20.0, "kind": kind,
                          "base_unit": "CNY" if kind == "level" else "percent", "bound": "at_least",
                          "direction": "increase"}])
    p = backtesting._random_walk_median(None, rows)["p_rw_median"].iloc[0]
    y, v = years[1:], values[1:]
    steps = np.diff(conv(v)) / np.diff(y)
    centre = conv(15.0) + 5 * np.median(steps)
    sd = np.std(steps, ddof=1) * np.sqrt(5)
    assert p == pytest.approx(norm.sf((conv(20.0) - centre) / sd), rel=1e-12)


def test_random_walk_median_needs_two_changes(monkeypatch):
    """Two comparable changes are enough (one is not: no spread)."""
    from xiangxi_econ.probability import backtesting

    rows = pd.DataFrame([{"as_of_year": 2015, "target_year": 2020, "target_value": 20.0, "kind": "share",
                          "base_unit": "percent", "bound": "at_least", "direction": "increase"}])
    monkeypatch.setattr(backtesting, "series_segments",
                        lambda plan, r, as_of: (np.array([2013, 2014, 2015]), np.array([10.0, 12.0, 13.0]),
                                                np.zeros(3, int)))
    assert np.isfinite(backtesting._random_walk_median(None, rows)["p_rw_median"].iloc[0])
    monkeypatch.setattr(backtesting, "series_segments",
                        lambda plan, r, as_of: (np.array([2014, 2015]), np.array([12.0, 13.0]), np.zeros(2, int)))
    assert np.isnan(backtesting._random_walk_median(None, rows)["p_rw_median"].iloc[0])


def test_backtest_summary_speaks_the_language_asked_for():
    """The backtest's summary heads in the language asked for (kills ``lang == "zh"`` -> ``!=``)."""
    import xiangxi_econ as xe

    bt = xe.backtest(xe.load_plan())
    assert bt.summary(lang="zh").startswith("事前概率与实际结果（回测）")
    assert bt.summary(lang="en").startswith("Ex-ante probabilities against outcomes (backtest)")


def test_the_verdict_baseline_gives_no_probability_where_there_is_no_pace():
    """The UN verdict as a probability: on track (or met at the base) 1, fair progress 0.5, otherwise 0;
    a row without a historical pace has no verdict and so no probability (not a confident 0), and is
    left out of that baseline's Brier score."""
    import xiangxi_econ as xe

    bt = xe.backtest(xe.load_plan())
    t = bt.table
    no_pace = t["trend_pace"].isna() & ~t["p_verdict"].eq(1.0)
    assert no_pace.any() and t.loc[no_pace, "p_verdict"].isna().all()
    assert set(t["p_verdict"].dropna().unique()) <= {0.0, 0.5, 1.0}
    s = bt.scores().set_index("plan")
    scored = t[t["scored"]]
    assert int(s.loc["all", "n_verdict"]) == int(scored["p_verdict"].notna().sum())
