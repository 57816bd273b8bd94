"""The outside view of a growth target (:mod:`xiangxi_econ.probability.outside_view`).

References used here: counts by hand on a tiny synthetic table; a synthetic panel with a known common
(national) shock, where the truth is the data-generating process and the Monte Carlo error is the
cluster-robust (by year) standard error of the mean forecast error, computed in the test; the normal
CDF of scipy for the true probabilities; a re-run of the build script for the shipped file. The
targets are those of Li, Liu, Weng and Zhou (2019), "Target setting in tournaments: theory and
evidence from China", Economic Journal 129 (skipped when the shared data are absent).
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from xiangxi_econ.exceptions import UserValueError
from xiangxi_econ.probability.outside_view import (
    CITATION,
    FactorGrowthForecaster,
    TargetAwareForecaster,
    backtest_outside_view,
    gap_bin,
    outside_view,
    reference_table,
    target_rows,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
JSON_PATH = ROOT / "xiangxi_econ" / "data" / "reference_targets.json"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_reference_targets",
                                                  ROOT / "data" / "build_reference_targets.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# --------------------------------------------------------------------------- reference class by hand
def _tiny():
    """Five targets of three cities. Gaps (target - last year's growth), by hand:
    A 2004: 10 - 9.5 = +0.5, met (10.2 >= 10); A 2005: 11 - 10.2 = +0.8, missed (10.9 < 11);
    B 2004: 8 - 11 = -3.0, met (12 >= 8); B 2005: 9 - 12 = -3.0, met (9 >= 9: equal meets);
    C 2005: 12 - 7 = +5.0, missed (8 < 12); C 2004 missed (8.5 < 9) but has no growth for 2003: not
    counted in the reference table."""
    targets = pd.DataFrame({
        "city_code": ["A", "A", "B", "B", "C", "C"],
        "year": [2004, 2005, 2004, 2005, 2004, 2005],
        "city_target_pct": [10.0, 11.0, 8.0, 9.0, 9.0, 12.0],
        "province_target_pct": [9.0, 9.0, 8.0, 8.0, 9.0, 9.0],
        "real_growth_pct": [10.2, 10.9, 12.0, 9.0, 8.5, 8.0],
    })
    growth = pd.DataFrame({"region": ["A", "A", "B", "B", "C"], "year": [2003, 2004, 2003, 2004, 2004],
                           "value": [9.5, 10.2, 11.0, 12.0, 7.0]})
    return targets, growth


def test_gaps_and_met_by_hand():
    rows = target_rows(*_tiny()).set_index(["city_code", "year"])
    assert rows.loc[("A", 2004), "gap_last_pp"] == pytest.approx(0.5, abs=1e-12)
    assert rows.loc[("B", 2005), "gap_last_pp"] == pytest.approx(-3.0, abs=1e-12)
    assert rows.loc[("C", 2005), "gap_province_pp"] == pytest.approx(3.0, abs=1e-12)
    assert math.isnan(rows.loc[("C", 2004), "gap_last_pp"])
    assert rows["met"].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 0.0]


def test_reference_counts_by_hand():
    """Bins [0, 1) (index 5 of the default edges) holds A 2004 (met) and A 2005 (missed); [-3, -2)
    (index 2) holds B 2004 and B 2005, both met; >= 4 (index 8) holds C 2005, missed."""
    table = reference_table(target_rows(*_tiny()))
    cells = table[["bin", "year", "n", "n_met"]].itertuples(index=False)
    got = {(int(b), int(y)): (int(n), int(m)) for b, y, n, m in cells}
    assert got == {(2, 2004): (1, 1), (2, 2005): (1, 1), (5, 2004): (1, 1), (5, 2005): (1, 0), (8, 2005): (1, 0)}
    ov = outside_view(10.0, 9.6, table=table)  # gap 0.4 -> [0, 1)
    assert (ov.bin, ov.n, ov.n_met, ov.share_met) == ("[0, 1)", 2, 1, 0.5)
    assert ov.citation == CITATION and "Li, Liu, Weng and Zhou (2019)" in ov.summary()
    only_2005 = outside_view(6.0, 9.0, years=[2005], table=table)  # gap -3 -> [-3, -2): left-closed
    assert (only_2005.bin, only_2005.n, only_2005.n_met) == ("[-3, -2)", 1, 1)
    empty = outside_view(1.0, 9.0, table=table)  # gap -8: no target there
    assert empty.n == 0 and math.isnan(empty.share_met) and "nothing" in empty.summary()
    assert "外部视角" in ov.summary("zh")
    frame = ov.to_frame()
    assert frame["n"].tolist() == [1, 1, 2] and frame["year"].tolist() == [2004, 2005, "all"]


def test_bin_edges_are_left_closed():
    assert gap_bin([-4.0, -4.0001, 0.0, 3.999, 4.0]).tolist() == [1, 0, 5, 7, 8]


def test_wilson_interval_by_hand():
    """Wilson (1927), z = 1.6449, 1 of 2: centre (0.5 + z^2/4) / (1 + z^2/2) = 0.5, half-width
    z sqrt(0.125 + z^2/16) / (1 + z^2/2) = 0.4035 (computed by hand here)."""
    z = 1.6448536269514722
    half = z * math.sqrt(0.125 + z * z / 16) / (1 + z * z / 2)
    ov = outside_view(10.0, 9.6, table=reference_table(target_rows(*_tiny())))
    assert ov.interval_90 == pytest.approx((0.5 - half, 0.5 + half), abs=1e-12)


def test_bad_input_names_the_argument():
    with pytest.raises(UserValueError, match="target_pct"):
        outside_view("ten", 9.0)
    with pytest.raises(UserValueError, match="recent_growth_pct"):
        outside_view(10.0, float("nan"))
    with pytest.raises(UserValueError, match="years"):
        outside_view(10.0, 9.0, years=[2012])
    targets, growth = _tiny()
    with pytest.raises(UserValueError, match="real_growth_pct"):
        target_rows(targets.drop(columns="real_growth_pct"), growth)
    bad = targets.astype({"city_target_pct": object})
    bad.loc[2, "city_target_pct"] = "8%"
    with pytest.raises(UserValueError, match=r"city_target_pct.*row 3"):
        target_rows(bad, growth)


def test_the_shipped_table_loads_and_every_year_is_at_most_2008():
    data = json.loads(JSON_PATH.read_text(encoding="utf-8"))
    assert max(data["years"]) <= 2008 and data["citation"] == CITATION
    assert sum(c[2] for c in data["counts"]) == data["n_counted"] <= data["n_targets"]
    assert all(0 <= c[3] <= c[2] for c in data["counts"])


# --------------------------------------------------------------------------- synthetic common shock
MU, SIGMA_C, SIGMA_A, SIGMA_E = 9.0, 1.5, 1.0, 1.5
N_CITIES, FIRST, LAST = 30, 1990, 2024


def _synthetic(seed: int = 20240521):
    """g_it = f_t + a_i + e_it [%]: a national shock f_t ~ N(9, 1.5^2) shared by every city, a city
    level a_i ~ N(0, 1), e_it ~ N(0, 1.5^2); targets T_it = 9 + a_i + N(0, 1.5^2), 2000-2024. The true
    P(g >= T) given the past is 1 - Phi((T - 9 - a_i) / sqrt(1.5^2 + 1.5^2))."""
    rng = np.random.default_rng(seed)
    years = np.arange(FIRST, LAST + 1)
    f = MU + SIGMA_C * rng.standard_normal(years.size)
    a = SIGMA_A * rng.standard_normal(N_CITIES)
    g = f[None, :] + a[:, None] + SIGMA_E * rng.standard_normal((N_CITIES, years.size))
    growth = pd.DataFrame({"region": np.repeat(np.arange(N_CITIES), years.size), "year": np.tile(years, N_CITIES),
                           "value": g.ravel()})
    parts = []
    for y in range(2000, LAST + 1):
        t = MU + a + rng.normal(0.0, 1.5, N_CITIES)
        parts.append(pd.DataFrame({"city_code": np.arange(N_CITIES), "year": y, "city_target_pct": t,
                                   "province_target_pct": MU, "real_growth_pct": g[:, y - FIRST]}))
    return pd.concat(parts, ignore_index=True), growth, a


def _clustered(err: pd.Series, year: pd.Series) -> tuple[float, float]:
    """Mean of ``err`` and its cluster-robust standard error with years as clusters (Liang and Zeger
    1986): every city of a year shares the national shock, so errors within a year are not independent."""
    sums = err.groupby(year).sum()
    return float(err.mean()), float(np.sqrt((sums ** 2).sum()) / len(err))


@pytest.fixture(scope="module")
def synthetic_backtest():
    targets, growth, a = _synthetic()
    bt = backtest_outside_view(targets, growth, years=range(2001, LAST + 1))
    rows = bt.rows.copy()
    rows["p_true"] = 1 - norm.cdf((rows["city_target_pct"] - MU - a[rows["city_code"].to_numpy()])
                                  / math.hypot(SIGMA_C, SIGMA_E))
    return bt, rows


def test_backtest_on_a_common_shock_is_calibrated_within_monte_carlo_error(synthetic_backtest):
    """Calibration in the large and in each half of the forecasts (P < 0.5, P >= 0.5): the mean of
    P - met lies within 3 cluster-robust standard errors of 0 (the error computed here, from the
    synthetic outcomes). A forecaster 0.25 too high fails the same check (the test has power)."""
    bt, r = synthetic_backtest
    err = r["p_model"] - r["met"].astype(float)
    for part in (slice(None), r["p_model"] < 0.5, r["p_model"] >= 0.5):
        mean, se = _clustered(err[part], r.loc[part, "year"])
        assert abs(mean) <= 3 * se, (mean, se)
    biased = (r["p_model"] + 0.25).clip(0, 1) - r["met"].astype(float)
    mean, se = _clustered(biased, r["year"])
    assert abs(mean) > 3 * se
    # the baselines saw only earlier years: the base rate of 2001 is the share met in 2000
    first = r[r["year"] == 2001]["p_base_rate"].iloc[0]
    targets, growth, _ = _synthetic()
    t2000 = targets[targets["year"] == 2000]
    assert first == pytest.approx(float((t2000["real_growth_pct"] >= t2000["city_target_pct"]).mean()), abs=1e-12)


def test_backtest_probabilities_track_the_truth(synthetic_backtest):
    """Against the true conditional probability of the process: correlation above 0.8 and a mean
    absolute difference below 0.15 (the model learns a_i from at most 5 years and the national
    level from 1-3 years, so it cannot match the truth exactly; 0.11 and 0.9 measured at seed 20240521)."""
    _, r = synthetic_backtest
    assert np.corrcoef(r["p_model"], r["p_true"])[0, 1] > 0.8
    assert (r["p_model"] - r["p_true"]).abs().mean() < 0.15


def test_scores_are_brier_by_hand(synthetic_backtest):
    bt, r = synthetic_backtest
    s = bt.scores().set_index("year")
    one = r[r["year"] == 2010]
    by_hand = sum((p - float(m)) ** 2 for p, m in zip(one["p_model"], one["met"], strict=True)) / len(one)
    assert s.loc[2010, "brier_model"] == pytest.approx(by_hand, abs=1e-12)
    assert s.loc["all", "n"] == len(r)
    cal = bt.calibration()
    assert cal["n"].sum() == len(r)


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=-5.0, max_value=30.0), st.floats(min_value=0.0, max_value=10.0),
       st.sampled_from([0, 7, 19]))
def test_raising_a_target_never_raises_its_probability(target, step, city):
    fc = _FORECASTER
    hist = _PEERS[_PEERS["region"] == city].set_index("year")["value"]
    peers = _PEERS
    pred = fc(hist[hist.index <= 2014], 2015, 2014, peers)
    assert pred.probability(target + step) <= pred.probability(target) + 1e-12


_FORECASTER = FactorGrowthForecaster()
_PEERS = _synthetic()[1]


def test_forecaster_refuses_more_than_one_year_ahead():
    hist = _PEERS[_PEERS["region"] == 0].set_index("year")["value"]
    with pytest.raises(ValueError, match="one year ahead"):
        _FORECASTER(hist, 2016, 2014, _PEERS)


def test_forecaster_never_reads_the_future():
    """The same forecast with every value after the as-of year replaced by nonsense."""
    hist = _PEERS[_PEERS["region"] == 3].set_index("year")["value"]
    p1 = _FORECASTER(hist, 2015, 2014, _PEERS).probability(9.0)
    peers2 = _PEERS.assign(value=np.where(_PEERS["year"] > 2014, 99.0, _PEERS["value"]))
    hist2 = hist.where(hist.index <= 2014, -50.0)
    p2 = FactorGrowthForecaster()(hist2, 2015, 2014, peers2).probability(9.0)
    assert p1 == pytest.approx(p2, abs=1e-12)


# --------------------------------------------------------------------------- shipped file from the shared data
@pytest.mark.skipif(not (SHARED / "city_growth_targets_2003_2008.csv").exists()
                    or not (SHARED / "prefecture_gdp_panel_1990_2018.csv").exists(),
                    reason="shared data (../shared/data) absent")
def test_the_build_script_re_derives_the_shipped_file():
    mod = _build_module()
    data = mod.build(*mod.read_inputs())
    assert mod.dumps(data) == JSON_PATH.read_text(encoding="utf-8")
    # the data README: met in 82-92% of cases in 2003-2007 and in 50% in 2008
    met = {int(y): m / n for y, (n, m) in data["met_by_year_all_targets"].items()}
    assert met[2008] == pytest.approx(0.50, abs=0.01)
    assert all(0.82 <= met[y] <= 0.92 for y in range(2003, 2008))
    assert data["n_targets"] == 1454


# --------------------------------------------------------------------------- the target-aware forecast
DELTA, SIGMA_T = 1.5, 1.0


def _target_setting(seed: int = 7):
    """The panel of :func:`_synthetic` (g_it = f_t + a_i + e_it) with known target setting: a city targets
    what it expects less a margin, T_it = 9 + a_i - 1.5 + N(0, 1^2), 1998-2024, its province 9. True
    P(g >= T | T, a_i) = 1 - Phi((T - 9 - a_i) / sqrt(1.5^2 + 1.5^2)) (f_t and e_it unknown at the
    as-of year). The national "growth minus target" of year t is the mean over cities of g - T."""
    targets, growth, a = _synthetic()
    rng = np.random.default_rng(seed)
    g = growth.pivot(index="region", columns="year", values="value")
    parts = []
    for y in range(1998, LAST + 1):
        t = MU + a - DELTA + SIGMA_T * rng.standard_normal(N_CITIES)
        parts.append(pd.DataFrame({"city_code": np.arange(N_CITIES), "year": y, "city_target_pct": t,
                                   "province_target_pct": MU, "real_growth_pct": g[y].to_numpy()}))
    targets = pd.concat(parts, ignore_index=True)
    shocks = (targets["real_growth_pct"] - targets["city_target_pct"]).groupby(targets["year"]).mean()
    return targets, growth, a, shocks


@pytest.fixture(scope="module")
def target_aware_backtest():
    targets, growth, a, shocks = _target_setting()
    fc = TargetAwareForecaster(targets, shocks)
    bt = backtest_outside_view(targets, growth, years=range(2001, LAST + 1), forecaster=fc)
    rows = bt.rows.copy()
    rows["p_true"] = 1 - norm.cdf((rows["city_target_pct"] - MU - a[rows["city_code"].to_numpy()])
                                  / math.hypot(SIGMA_C, SIGMA_E))
    return bt, rows, fc, targets, growth, shocks


def test_target_aware_is_calibrated_on_a_known_common_shock_and_target_setting(target_aware_backtest):
    """Calibration in the large and in each half (P < 0.8, P >= 0.8; the true mean P is about 0.76): the
    mean of P - met within 3 cluster-robust (by year) standard errors of 0, the error computed here from the
    synthetic outcomes; a forecast 0.2 too high fails the same check (power). And it tracks the true
    probability of the process (mean absolute difference below 0.12: the engine learns a_i from a short
    history and sigma_c from a few years, so it cannot match exactly)."""
    _, r, *_ = target_aware_backtest
    err = r["p_model"] - r["met"].astype(float)
    for part in (slice(None), r["p_model"] < 0.8, r["p_model"] >= 0.8):
        mean, se = _clustered(err[part], r.loc[part, "year"])
        assert abs(mean) <= 3 * se, (mean, se)
    mean, se = _clustered((r["p_model"] + 0.2).clip(0, 1) - r["met"].astype(float), r["year"])
    assert abs(mean) > 3 * se
    assert (r["p_model"] - r["p_true"]).abs().mean() < 0.12


def test_target_aware_reads_no_year_at_or_after_the_target_year(target_aware_backtest):
    """No look-ahead: every outcome of years >= Y, every target of years > Y, every growth rate of years >= Y
    and every national shock of years >= Y replaced by nonsense; the probabilities of year Y are unchanged."""
    _, _, _, targets, growth, shocks = target_aware_backtest
    Y = 2012
    t2 = targets.copy()
    t2.loc[t2["year"] >= Y, "real_growth_pct"] = -40.0
    t2.loc[t2["year"] > Y, ["city_target_pct", "province_target_pct"]] = 55.0
    g2 = growth.assign(value=np.where(growth["year"] >= Y, 80.0, growth["value"]))
    s2 = shocks.where(shocks.index < Y, 30.0)
    for city in (0, 11, 23):
        hist = growth[(growth["region"] == city)].set_index("year")["value"].rename(city)
        tgt = float(targets[(targets["city_code"] == city) & (targets["year"] == Y)]["city_target_pct"].iloc[0])
        p1 = TargetAwareForecaster(targets, shocks)(hist[hist.index < Y], Y, Y - 1,
                                                    growth[growth["year"] < Y]).probability(tgt)
        hist2 = g2[g2["region"] == city].set_index("year")["value"].rename(city)
        p2 = TargetAwareForecaster(t2, s2)(hist2, Y, Y - 1, g2).probability(tgt)
        assert p1 == pytest.approx(p2, abs=1e-12)
        assert 0.0 < p1 < 1.0


_TA = _target_setting()
_TA_FC = TargetAwareForecaster(_TA[0], _TA[3])


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=-5.0, max_value=30.0), st.floats(min_value=0.0, max_value=10.0),
       st.sampled_from([0, 7, 19]), st.sampled_from([2001, 2010, 2024]))
def test_target_aware_never_rises_with_the_target(target, step, city, year):
    growth = _TA[1]
    hist = growth[growth["region"] == city].set_index("year")["value"].rename(city)
    pred = _TA_FC(hist[hist.index < year], year, year - 1, growth[growth["year"] < year])
    assert pred.probability(target + step) <= pred.probability(target) + 1e-12


def test_lad_fit_by_hand():
    """Median regression of a line through 5 points with one outlier: y = 1 + 2x exactly on four points
    (x = 0, 1, 2, 3) and y = 100 at x = 4; LAD goes through the four (Koenker and Bassett 1978). A negative
    slope is set to 0: then the intercept is the median of y. Tolerance 1e-4: QuantReg solves by iteratively
    reweighted least squares, which stops near the vertex, not on it."""
    from xiangxi_econ.probability.outside_view import _lad_nonnegative

    x = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    a, b = _lad_nonnegative(np.array([1.0, 3.0, 5.0, 7.0, 100.0]), x)
    assert a == pytest.approx(1.0, abs=1e-4) and b[0] == pytest.approx(2.0, abs=1e-4)
    a, b = _lad_nonnegative(np.array([9.0, 7.0, 5.0, 3.0, 1.0]), x)
    assert b[0] == 0.0 and a == pytest.approx(5.0, abs=1e-4)


def test_province_growth_and_national_shock_by_hand():
    """Province 43 with two cities: 2001 growth (100*10 + 300*6)/400 = 7.0 % (weights: 2000 GDP); target 8:
    shock -1.0; province 13 one city 12 % vs 9: +3.0; the national shock of 2001 = mean(-1, 3) = 1.0."""
    from xiangxi_econ.probability.outside_view import national_shocks, province_real_growth

    panel = pd.DataFrame({"city_code": [430100, 430100, 430200, 430200, 130100, 130100],
                          "year": [2000, 2001, 2000, 2001, 2000, 2001],
                          "gdp_100m_cny": [100.0, 110.0, 300.0, 318.0, 50.0, 56.0],
                          "gdp_real_growth_pct": [9.0, 10.0, 5.0, 6.0, 11.0, 12.0]})
    pg = province_real_growth(panel).set_index(["province_code", "year"])
    assert pg.loc[(43, 2001), "growth_pct"] == pytest.approx(7.0, abs=1e-12)
    assert (43, 2000) not in pg.index  # no 1999 weights
    s = national_shocks(pd.DataFrame({"province_code": [43, 13], "year": [2001, 2001],
                                      "province_target_pct": [8.0, 9.0]}), pg.reset_index())
    assert s.loc[2001] == pytest.approx(1.0, abs=1e-12)
