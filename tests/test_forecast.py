"""Tests of xiangxi_econ.probability.forecasting.

Where the numbers come from (STYLE.md): closed forms of the normal / log-normal model
(scipy.stats), synthetic data from a known process with priors set to the truth, and a re-derivation
of the shipped priors by the calibration script. Monte Carlo tolerances are stated at each call as
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
from scipy import stats

from xiangxi_econ.probability.forecasting import Forecast, backtest_panel, forecast
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


# --------------------------------------------------------------------------- leakage
@HYP
@given(st.lists(st.floats(1.0, 1e4), min_size=1, max_size=6), st.integers(1, 8))
def test_data_after_as_of_never_changes_the_forecast(later, gap):
    """Values after as_of_year (any size) leave draws and summary unchanged."""
    base = GDP.copy()
    extra = pd.Series(later, index=range(2018 + gap, 2018 + gap + len(later)))
    longer = pd.concat([base, extra]).rename(base.name)
    a = forecast(base, 2025, as_of_year=2018, n_draws=500)
    b = forecast(longer, 2025, as_of_year=2018, n_draws=500)
    np.testing.assert_array_equal(a.draws, b.draws)  # exact: same data, same seed
    assert a.summary() == b.summary()


# --------------------------------------------------------------------------- closed forms
def test_level_quantiles_and_probability_match_lognormal():
    """With the normal log-growth model, x_T is log-normal with s = h*sd, scale = x_o exp(h*centre)."""
    n = 20000
    fc = forecast(GDP, 2023, n_draws=n, seed=SEED)
    h = fc.horizon
    dist = stats.lognorm(s=h * fc.sd, scale=fc.base_value * math.exp(h * fc.centre_rate))
    qs = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    got = fc.quantiles(qs).to_numpy()
    zq = stats.norm.ppf(qs)
    # compare in standard-normal units; 4 standard errors of a sample quantile, sqrt(q(1-q)/n)/phi(z_q)
    z_got = (np.log(got) - math.log(dist.median())) / (h * fc.sd)
    tol = 4 * np.sqrt(qs * (1 - qs) / n) / stats.norm.pdf(zq)
    assert np.all(np.abs(z_got - zq) <= tol)
    for x in (600.0, 800.0, 1000.0):
        p = dist.sf(x)
        assert abs(fc.probability(x) - p) <= 4 * math.sqrt(p * (1 - p) / n) + 1e-12  # 4 binomial SE
        assert abs(fc.probability(x, "at_most") - dist.cdf(x)) <= 4 * math.sqrt(p * (1 - p) / n) + 1e-12
    # path quantiles end at the draws' quantiles and start at the observed value
    pq = fc.path_quantiles()
    assert pq.index[0] == 2018 and pq.index[-1] == 2023
    np.testing.assert_allclose(pq.iloc[0].to_numpy(), 575.55, rtol=1e-12)
    np.testing.assert_allclose(pq.iloc[-1].to_numpy(), fc.quantiles().to_numpy(), rtol=1e-9)


def test_same_seed_same_result_and_displays():
    a, b = forecast(GDP, 2025, seed=3), forecast(GDP, 2025, seed=3)
    np.testing.assert_array_equal(a.draws, b.draws)
    assert a.summary() == b.summary() and "\n" not in repr(a) and "<pre>" in a._repr_html_()
    assert "calibrate_priors.py" in a.summary()
    assert set(a.to_frame().columns) == {"year", "quantile", "value"}
    assert isinstance(a, Forecast) and not np.array_equal(a.draws, forecast(GDP, 2025, seed=4).draws)


def test_rule_centre_without_peers_is_own_growth_plus_drift():
    """Hand computation: own average log growth ln(575.55/418.9)/5 plus the (zero) shipped drift."""
    fc = forecast(GDP, 2023)
    assert fc.own_rate == pytest.approx(math.log(575.55 / 418.9) / 5, abs=1e-12)
    assert fc.centre_rate == pytest.approx(fc.own_rate + float(load_priors().drift_h(5)), abs=1e-12)


def test_gaps_use_the_actual_span():
    """2010 and 2018 only: span 8 years, rate ln(x18/x10)/8."""
    s = pd.Series([300.0, 575.55], index=[2010, 2018])
    fc = forecast(s, 2023)
    assert fc.years_used == (2010, 2018)
    assert fc.own_rate == pytest.approx(math.log(575.55 / 300.0) / 8, abs=1e-12)


def test_peers_shrink_toward_their_mean():
    peers = rw_panel(40, range(2010, 2019), sigma=0.03, drift=0.05, seed=SEED)
    fast = pd.Series(100.0 * np.exp(0.15 * np.arange(6)), index=range(2013, 2019))
    fc = forecast(fast, 2023, peers=peers)
    m = fc.details["m_peers"]
    assert 0.0 <= fc.weight <= 1.0
    assert m < fc.centre_rate < fc.own_rate  # centre between peers' mean and own rate (zero drift)


def test_slow_share_spread_is_in_points_not_percent_of_level():
    """Life expectancy 77 years rising 0.3/yr, class 'slow' (0.3 pp/yr): 90% band for 5 years ahead
    is a few years wide, far below 3%/yr of the level (about +-20 years)."""
    s = pd.Series([76.1, 76.4, 76.7, 77.0], index=range(2015, 2019))
    fc = forecast(s, 2023, kind="rate", volatility="slow")
    lo, hi = fc.quantiles((0.05, 0.95))
    assert hi - lo < 5.0 and fc.quantiles((0.5,)).iloc[0] == pytest.approx(78.5, abs=0.1)


def test_share_draws_stay_within_bounds():
    s = pd.Series([97.0, 98.5, 99.5], index=range(2016, 2019))
    fc = forecast(s, 2028, kind="share", volatility="fast")
    assert fc.draws.min() >= 0.0 and fc.draws.max() <= 100.0 and fc.probability(100.0) > 0.1


def test_unit_hint_makes_a_share():
    s = pd.Series([40.0, 41.0, 42.0], index=range(2016, 2019))
    s.attrs["unit"] = "%"
    assert forecast(s, 2020).kind == "share"


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


def test_single_series_forecasts_agree_with_the_batch_path():
    """forecast() and backtest_panel() share level_params: the 90% interval of 300 series from
    forecast() (2000 draws each) covers like the closed form; binomial SE sqrt(.09/300) = 0.017,
    plus Monte Carlo quantile noise: tolerance 0.07."""
    panel = rw_panel(300, range(2000, 2011), sigma=0.05, drift=0.08, seed=SEED + 1)
    pri = truth_priors(0.05)
    hits = []
    for _, g in panel.groupby("region"):
        s = g.set_index("year")["value"]
        fc = forecast(s, 2010, as_of_year=2005, priors=pri, n_draws=2000, seed=1)
        lo, hi = fc.quantiles((0.05, 0.95))
        hits.append(lo <= s.loc[2010] <= hi)
    assert abs(np.mean(hits) - 0.90) <= 0.07


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
    (pd.Series([1.0, 0.0, 3.0], index=[2016, 2017, 2018]), {}, r"non-positive values in \[2017\]"),
    (pd.Series([1.0, np.nan, 3.0], index=[2016, 2017, 2018]), {}, r"missing values \(NaN\) in \[2017\]"),
    (pd.Series([1.0, 2.0], index=[2017, 2018]), {"as_of_year": 2010}, "as_of_year=2010 is before"),
    (pd.Series([1.0, 2.0], index=[2017, 2018]), {"to_year": 2018}, "to_year=2018 must be after"),
    (pd.Series([40.0, 140.0], index=[2017, 2018]), {"kind": "share"}, r"outside 0.0-100.0 in \[2018\]"),
    (pd.Series([1.0, 2.0], index=[2017, 2018]), {"as_of_year": 2017}, "1 value"),
    (pd.Series([1.0, 2.0], index=[2017, 2018]), {"kind": "stock"}, "kind='stock'"),
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
    fc = forecast(s[s.index != 2019], 2025, as_of_year=2020, series_class="gdp")
    q = fc.quantiles((0.05, 0.5, 0.95))
    assert fc.model.startswith("reference class 'gdp'")
    assert q.iloc[1] == pytest.approx(sim["q50"], rel=0.02)
    with pytest.raises(ValueError, match="series_class"):
        forecast(s, 2025, series_class="gpd")
