"""Tests of xiangxi_econ.probability.forecasting (the one forecaster) and of the deceleration baseline
(xiangxi_econ.probability.deceleration, which the benchmarks score beside it).

Where the numbers come from (STYLE.md): the class engine built by hand from its parts (the same
marginal and engine the plan simulation uses), a synthetic factor process simulated in the test
(growth-rate targets), synthetic data from a known process with priors set to the truth (the
baseline), and a re-derivation of the shipped priors by the calibration script.
Monte Carlo tolerances are stated at each call as
multiples of the binomial or sample-quantile standard error. Randomness is seeded; hypothesis is
derandomised and keeps no example database.
"""

from __future__ import annotations

import importlib.util
import json
import math
import pathlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangxi_econ.probability.deceleration import backtest_panel
from xiangxi_econ.probability.forecasting import Forecast, forecast, infer_series_class
from xiangxi_econ.probability.priors import load_priors

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "prefecture_gdp_panel_1990_2018.csv"
HYP = settings(derandomize=True, database=None, deadline=None, max_examples=12)
SEED = 20210414  # the plan's print date


def truth_priors(sigma: float, window: int = 5, horizons: int = 5) -> dict:
    """Priors equal to the truth for a random walk with drift in logs, annual step sd ``sigma``
    [log points], no common shock: future average minus the own k-year average is
    N(0, sigma^2/h + sigma^2/k), i.e. v_a = sigma^2, v_p = sigma^2/k, v_t = 0."""
    var = {"annual": sigma**2, "persistent": sigma**2 / window, "trend": 0.0}
    return {"window_years": window, "horizons": list(range(1, horizons + 1)),
            "level": {"beta": [1.0] * horizons, "reliability_ref": 1.0, "drift": [0.0] * horizons,
                      "drift_se": [0.0] * horizons, "drift_in_centre": True,
                      "var_common": {"annual": 0.0, "persistent": 0.0, "trend": 0.0},
                      "var_idio_peers": var, "var_idio_alone": var},
            "share": {"damping": {"slow": 1.0, "medium": 1.0, "fast": 1.0},
                      "volatility_pp": {"slow": 0.3, "medium": 1.0, "fast": 3.0}},
            "provenance": {"script": "tests/test_forecast.py", "panel": "synthetic"}}


def rw_panel(n_regions: int, years: range, sigma: float, drift: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    steps = drift + sigma * rng.standard_normal((n_regions, len(years) - 1))
    logs = np.log(100.0) + np.concatenate([np.zeros((n_regions, 1)), np.cumsum(steps, axis=1)], axis=1)
    return pd.DataFrame({"region": np.repeat(np.arange(n_regions), len(years)),
                         "year": np.tile(np.asarray(years), n_regions), "value": np.exp(logs).ravel()})


GDP = pd.Series([418.9, 450.0, 480.2, 512.0, 540.1, 575.55], index=range(2013, 2019), name="gdp")
GDP.attrs["unit"] = "亿元"


# --------------------------------------------------------------------------- leakage
@HYP
@given(st.lists(st.floats(1.0, 1e4), min_size=1, max_size=6), st.integers(1, 8))
def test_data_after_as_of_never_changes_the_forecast(later, gap):
    """Values after as_of_year (any size) leave draws and summary unchanged."""
    base = GDP.copy()
    extra = pd.Series(later, index=range(2018 + gap, 2018 + gap + len(later)))
    longer = pd.concat([base, extra]).rename(base.name)
    longer.attrs = dict(base.attrs)
    a = forecast(base, 2025, as_of_year=2018, n_draws=500)
    b = forecast(longer, 2025, as_of_year=2018, n_draws=500)
    np.testing.assert_array_equal(a.draws, b.draws)  # exact: same data, same seed
    assert a.summary() == b.summary()


# --------------------------------------------------------------------------- calibration
def test_calibration_on_random_walk_with_drift_and_true_priors():
    """4000 random walks in logs (sigma 0.05, drift 0.08), window 5, horizon 5, priors = truth.

    The 90% and 50% intervals are exact, so each coverage is binomial: SE = sqrt(p(1-p)/4000) =
    0.0047 (90%) and 0.0079 (50%); tolerance 4 SE."""
    panel = rw_panel(4000, range(2000, 2011), sigma=0.05, drift=0.08, seed=SEED)
    bt = backtest_panel(panel, [2005], horizon=5, window=5, priors=truth_priors(0.05), use_peers=False)
    pooled = bt.scores().iloc[-1]
    assert abs(pooled.coverage90 - 0.90) <= 4 * math.sqrt(0.9 * 0.1 / 4000)
    assert abs(pooled.coverage50 - 0.50) <= 4 * math.sqrt(0.5 * 0.5 / 4000)


def test_backtest_panel_small_synthetic_panel():
    """60 regions x 3 origins from a common-shock process; shipped priors. Coverage near nominal is
    loose here (180 correlated forecasts): 90% within 0.75-1.0. The baseline is the random-walk-median
    rule: its pinball for one region is recomputed by hand from random_walk_median_quantiles."""
    from xiangxi_econ.probability.factor import random_walk_median_quantiles

    panel = rw_panel(60, range(1994, 2016), sigma=0.04, drift=0.10, seed=SEED)
    bt = backtest_panel(panel, [2005, 2007, 2009], horizon=5, window=5)
    sc = bt.scores()
    assert {"coverage50", "coverage90", "pinball", "log_score", "baseline_coverage90",
            "baseline_pinball"} <= set(sc.columns)
    assert list(sc.origin_year) == ["2005", "2007", "2009", "all"]
    pooled = sc.iloc[-1]
    assert 0.75 <= pooled.coverage90 <= 1.0
    assert pooled.baseline_pinball != pooled.pinball
    row = bt.table[bt.table["origin_year"] == 2009].iloc[0]
    probs = tuple(float(q) for q in np.round(np.arange(0.05, 0.951, 0.05), 2))
    q = random_walk_median_quantiles(panel, 2009, [5], probs)[5].loc[row.region].to_numpy(float)
    e = row.outcome_log - q
    hand = np.mean(np.maximum(np.array(probs) * e, (np.array(probs) - 1) * e))
    assert row.baseline_pinball == pytest.approx(hand, abs=1e-12)
    assert "PanelBacktest(" in repr(bt) and "origin" in bt.summary()


def test_backtest_speed_300_regions_5_origins():
    import time

    panel = rw_panel(300, range(1995, 2019), sigma=0.04, drift=0.10, seed=SEED)
    t0 = time.perf_counter()
    backtest_panel(panel, range(2008, 2013), horizon=5, window=5)
    assert time.perf_counter() - t0 < 10.0  # the brief asks well under 30 s


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("series, kwargs, message", [
    (pd.Series([1.0, 2.0], index=pd.to_datetime(["2017-01-01", "2018-01-01"])), {}, "DatetimeIndex"),
    (pd.Series([1.0, 2.0], index=[2017.5, 2018.0]), {}, "non-integer years"),
    (pd.Series([1.0, 2.0, 3.0], index=[2018, 2016, 2017]), {}, "not sorted"),
    (pd.Series([1.0, 2.0, 3.0], index=[2016, 2017, 2017]), {}, r"duplicate years \[2017\]"),
    (pd.Series([1.0, 0.0, 3.0], index=[2016, 2017, 2018], name="gdp"), {}, r"non-positive values in \[2017\]"),
    (pd.Series([1.0, np.nan, 3.0], index=[2016, 2017, 2018]), {}, r"missing values \(NaN\) in \[2017\]"),
    (pd.Series([1.0, 2.0], index=[2017, 2018]), {"as_of_year": 2010}, "as_of_year=2010 is before"),
    (pd.Series([1.0, 2.0], index=[2017, 2018]), {"to_year": 2018}, "to_year=2018 must be after"),
    (pd.Series([40.0, 140.0], index=[2017, 2018]), {"kind": "share"}, r"outside 0.0-100.0 in \[2018\]"),
    (pd.Series([1.0, 2.0], index=[2017, 2018]), {"as_of_year": 2017}, "1 value"),
    (pd.Series([1.0, 2.0], index=[2017, 2018]), {"series_class": "gpd"}, "series_class='gpd'"),
    (pd.Series([1.0, 2.0], index=[2017, 2018]), {"series_class": "income", "peers": pd.DataFrame()}, "peers"),
])
def test_bad_input_names_the_argument(series, kwargs, message):
    kwargs = {"to_year": 2025, **kwargs}
    with pytest.raises(ValueError, match=message):
        forecast(series, **kwargs)


# --------------------------------------------------------------------------- shipped priors
def _assert_close(a, b, path="priors"):
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for key in a:
            _assert_close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, abs=1e-9, rel=0), path  # same code, same data: only float noise
    else:
        assert a == b, path


@pytest.mark.skipif(not SHARED.exists(), reason="shared panel not available")
def test_priors_file_is_rederived_by_the_script():
    spec = importlib.util.spec_from_file_location("calibrate_priors", ROOT / "benchmarks" / "calibrate_priors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    derived = json.loads(module.to_json(module.estimate_priors(module.read_panel())))
    committed = json.loads((ROOT / "xiangxi_econ" / "data" / "forecast_priors.json").read_text(encoding="utf-8"))
    _assert_close(derived, committed)
    assert committed["provenance"]["last_outcome_year"] <= 2018


def test_a_series_class_gives_the_plan_engines_distribution(plan):
    """forecast(series_class=...) and simulate give the same distribution for the same series: Xiangxi
    GDP as of 2020 for 2025 through the GDP class, against the simulation's closed-form quantiles."""
    import xiangxi_econ as xe
    from xiangxi_econ.probability.calibration import series_segments

    row = xe.targets_table(plan).set_index("indicator_id").loc["gdp"]
    ind = plan.indicators.set_index("indicator_id").loc["gdp"]
    years, values, seg = series_segments(plan, pd.Series({"series_id": "gdp", "base_unit": ind["base_unit"],
                                                          "scale": ind["scale"]}), 2020)
    assert seg[-1] == 1 and row["target_year"] == 2025
    sim = xe.simulate(plan, n_draws=8192).table.set_index("indicator_id").loc["gdp"]
    # the engine bridges the 2019 break by dropping the step into it: a series cut at the break, with
    # the steps before it, is the same history for the class model
    s = pd.Series(values, index=years, name="gdp")
    s.attrs["breaks"] = [2019]  # the plan's break: the engine's segments
    fc = forecast(s[s.index != 2019], 2025, as_of_year=2020, series_class="gdp")
    q = fc.quantiles((0.05, 0.5, 0.95))
    assert fc.model.startswith("reference class 'gdp'")
    assert q.iloc[1] == pytest.approx(sim["q50"], rel=0.02)
    with pytest.raises(ValueError, match="series_class"):
        forecast(s, 2025, series_class="gpd")


# --------------------------------------------------------------------------- one forecaster
def test_default_forecast_is_the_class_engine_for_a_gdp_series():
    """A Series named ``gdp`` in 亿元 is the ``gdp`` class: the default forecast equals the class engine
    built by hand from its parts (the GDP class's marginal with the census break years as segments,
    read by the one engine) — same quantiles and probability to 1e-12, same seeded draws — and the
    result says which class and why."""
    from xiangxi_econ.probability.engine import TargetSet
    from xiangxi_econ.probability.series_classes import CLASSES
    from xiangxi_econ.probability.target_models import marginal

    fc = forecast(GDP, 2023, n_draws=4096, seed=SEED)
    assert fc.series_class == "gdp" and "named 'gdp' in 亿元" in fc.class_reason
    assert "Reference class 'gdp'" in fc.summary()
    years = np.asarray(GDP.index, dtype=int)
    segments = (years[:, None] >= np.array([2004, 2008, 2013, 2018, 2023])[None, :]).sum(axis=1)
    m = marginal(years, GDP.to_numpy(), segments, CLASSES["gdp"], 2018, 5, load_priors(as_of_year=2018))
    ts = TargetSet.from_marginals(["gdp"], [m], [5], [700.0], [False])
    qs = (0.05, 0.25, 0.5, 0.75, 0.95)
    np.testing.assert_allclose(fc.quantiles(qs).to_numpy(), ts.quantiles(qs)[0], rtol=1e-12)
    assert fc.probability(700.0) == pytest.approx(float(ts.probability()[0]), abs=1e-12)
    np.testing.assert_array_equal(fc.draws, next(ts.draws(4096, SEED, chunk_size=4096))[0])
    given = forecast(GDP, 2023, n_draws=4096, seed=SEED, series_class="gdp")
    np.testing.assert_array_equal(given.draws, fc.draws)
    assert given.class_reason == "given (series_class=)"


@pytest.mark.parametrize("name, unit, kind, expected", [
    ("gdp", "亿元", None, "gdp"), ("urbanisation_rate", "%", None, "trending_share"),
    ("city_gdp", "亿元", None, "gdp"), ("real_gdp_growth", "%", None, "gdp_growth"),
    ("rd_spending", "亿元", None, "level"), ("good_days", "%", None, "share"), ("x", "", "share", "share"),
])
def test_class_inference_from_name_unit_and_kind(name, unit, kind, expected):
    """The documented order of infer_series_class, case by case."""
    s = pd.Series([1.0, 2.0], index=[2017, 2018], name=name)
    s.attrs["unit"] = unit
    assert infer_series_class(s, kind)[0] == expected


def test_same_seed_same_result_and_displays():
    a, b = forecast(GDP, 2025, seed=3), forecast(GDP, 2025, seed=3)
    np.testing.assert_array_equal(a.draws, b.draws)
    assert a.summary() == b.summary() and "\n" not in repr(a) and "<pre>" in a._repr_html_()
    assert set(a.to_frame().columns) == {"year", "quantile", "value"}
    assert isinstance(a, Forecast) and not np.array_equal(a.draws, forecast(GDP, 2025, seed=4).draws)


def test_share_draws_stay_within_bounds():
    s = pd.Series([97.0, 98.5, 99.5], index=range(2016, 2019), name="coverage")
    s.attrs["unit"] = "%"
    fc = forecast(s, 2028)
    assert fc.series_class == "share"
    assert fc.draws.min() >= 0.0 and fc.draws.max() <= 100.0 and fc.quantiles((0.95,)).iloc[0] <= 100.0


# --------------------------------------------------------------------------- growth-rate targets
def factor_growth_panel(n: int = 300, first: int = 1990, last: int = 2015, mu: float = 0.08, s_c: float = 0.003,
                        tau: float = 0.01, sigma: float = 0.02, seed: int = 5) -> tuple[pd.DataFrame, np.ndarray]:
    """Annual real growth [%] of ``n`` regions from g_it = f_t + alpha_i + e_it [log points]:
    f_t ~ N(mu, s_c), alpha_i ~ N(0, tau), e_it ~ N(0, sigma); long ``region, year, value``, and the f_t."""
    rng = np.random.default_rng(seed)
    years = np.arange(first, last + 1)
    f = rng.normal(mu, s_c, len(years))
    g = f[None, :] + rng.normal(0, tau, n)[:, None] + rng.normal(0, sigma, (n, len(years)))
    frame = pd.DataFrame({"region": np.repeat([f"r{i:03d}" for i in range(n)], len(years)),
                          "year": np.tile(years, n), "value": (100 * np.expm1(g)).ravel()})
    return frame, f


def test_growth_target_round_trip_on_a_synthetic_factor_process():
    """P(growth in 2015 >= target) as of 2014 from the region's rates with every region as peers,
    against the truth simulated from the process (known mu, s_c, tau, sigma): given its last n = 5
    deviations D from the common factor, alpha | D ~ N(b D, b sigma^2 / n), b = tau^2 / (tau^2 +
    sigma^2 / n) (normal-normal conjugacy), and g = f + alpha + e. Tolerance: 4 Monte Carlo SE of the
    truth (400,000 draws) plus 0.02 for what the forecaster cannot know (mu from a few past factor
    values, s_c / sqrt(L) <= 0.003 log points, at most 0.4 x 0.003 / 0.021 = 0.06 of a density
    height... in P about 0.02 at one sd), checked at five targets across the distribution."""
    panel, f = factor_growth_panel()
    mu, s_c, tau, sigma, n = 0.08, 0.003, 0.01, 0.02, 5
    past = panel[panel.year <= 2014]
    region = "r007"
    own = past[past.region == region].set_index("year")["value"].rename("real_gdp_growth")
    own.attrs["unit"] = "%"
    fc = forecast(own, 2015, as_of_year=2014, peers=past)
    assert fc.series_class == "gdp_growth" and fc.kind == "growth"
    wide = np.log1p(past.pivot(index="region", columns="year", values="value") / 100)
    fhat = wide.median(axis=0)  # the common factor the forecaster sees
    D = float((wide.loc[region] - fhat).iloc[-n:].mean())
    b = tau ** 2 / (tau ** 2 + sigma ** 2 / n)
    rng = np.random.default_rng(SEED)
    draws = 400_000
    g = (rng.normal(mu, s_c, draws) + rng.normal(b * D, math.sqrt(b * sigma ** 2 / n), draws)
         + rng.normal(0, sigma, draws))
    pct = 100 * np.expm1(g)
    for target in np.quantile(pct, [0.1, 0.3, 0.5, 0.7, 0.9]):
        truth = float(np.mean(pct >= target))
        se = math.sqrt(truth * (1 - truth) / draws)
        assert abs(fc.probability(float(target)) - truth) < 4 * se + 0.02, (target, truth)


@HYP
@given(st.floats(-5.0, 20.0), st.floats(0.0, 5.0), st.integers(1, 5))
def test_raising_a_growth_target_never_raises_its_probability(target, step, h):
    """Monotone: P(average growth >= t) is non-increasing in t, for every horizon (shipped vintage)."""
    s = pd.Series([9.5, 9.0, 8.6, 8.1, 7.9, 7.5, 7.2], index=range(2012, 2019), name="gdp_growth")
    s.attrs["unit"] = "%"
    fc = forecast(s, 2018 + h, n_draws=10)
    assert fc.probability(target + step) <= fc.probability(target) + 1e-12


def test_growth_forecast_before_the_earliest_vintage_is_refused_with_the_reason():
    """The shipped real-growth vintages start in 1998 (the panel's rates start in 1995 and a vintage needs
    three past one-year vintages); as of 1997 the forecast refuses and says so. With peers, a panel
    too short for three past vintages refuses too."""
    s = pd.Series([10.5, 9.8, 9.1], index=range(1995, 1998), name="gdp_growth")
    s.attrs["unit"] = "%"
    with pytest.raises(ValueError, match="before the first vintage 1998.*real growth starts in 1995"):
        forecast(s, 1998)
    assert 0 < forecast(pd.concat([s, pd.Series([8.0], index=[1998])]).rename("gdp_growth"), 1999,
                        series_class="gdp_growth").probability(8.0) < 1
    panel, _ = factor_growth_panel(n=40, first=2010, last=2012)
    with pytest.raises(ValueError, match="past vintages"):
        forecast(s.set_axis([2010, 2011, 2012]), 2013, series_class="gdp_growth", peers=panel)


def test_growth_forecast_from_one_rate_uses_the_peers_and_says_so():
    """A region with one rate before the as-of year (a new city in the panel) is forecast with the
    peers' pooled one-year deviation, not refused; the truth of the process (normal-normal conjugacy as
    above with n = 1: alpha | D ~ N(b D, b sigma^2), b = tau^2 / (tau^2 + sigma^2)) within 4 Monte Carlo
    SE plus 0.02 at the median target; the note names the short history."""
    panel, _ = factor_growth_panel()
    mu, s_c, tau, sigma = 0.08, 0.003, 0.01, 0.02
    past = panel[panel.year <= 2014]
    one = past[(past.region == "r011") & (past.year == 2014)].set_index("year")["value"].rename("gdp_growth")
    fc = forecast(one, 2015, as_of_year=2014, series_class="gdp_growth", peers=past)
    assert "short history (1 of" in fc.note
    fhat = np.log1p(past.pivot(index="region", columns="year", values="value") / 100).median(axis=0)
    D = float(np.log1p(one.iloc[0] / 100) - fhat[2014])
    b = tau ** 2 / (tau ** 2 + sigma ** 2)
    rng = np.random.default_rng(SEED)
    g = rng.normal(mu, s_c, 400_000) + rng.normal(b * D, math.sqrt(b * sigma ** 2), 400_000) \
        + rng.normal(0, sigma, 400_000)
    pct = 100 * np.expm1(g)
    target = float(np.median(pct))
    truth = float(np.mean(pct >= target))
    assert abs(fc.probability(target) - truth) < 4 * math.sqrt(truth * (1 - truth) / 400_000) + 0.02
    with pytest.raises(ValueError, match="series: no value to forecast from"):
        forecast(one.iloc[:0], 2015, as_of_year=2014, series_class="gdp_growth", peers=past)


def test_batch_growth_predictive_equals_one_forecast_per_region():
    """The batch path (one fit, every region) against ``forecast`` one region at a time: P(g >= t) equal
    within 1e-3 (forecast integrates the common shock by quadrature, the batch path by the exact
    mixture CDF: the difference is the quadrature error)."""
    from xiangxi_econ.probability.target_models import growth_predictive

    panel, _ = factor_growth_panel(n=60)
    past = panel[panel.year <= 2014]
    pred, _ = growth_predictive(past, 2014)
    for region in ("r000", "r017", "r042"):
        own = past[past.region == region].set_index("year")["value"].rename("gdp_growth")
        fc = forecast(own, 2015, as_of_year=2014, series_class="gdp_growth", peers=past)
        row = pred.series.index(region)
        for t in (6.0, 8.0, 10.0):
            batch = 1 - float(pred.cdf_growth(np.log1p(t / 100))[row, 0])
            assert fc.probability(t) == pytest.approx(batch, abs=1e-3)
