"""The common-factor model (:mod:`xiangxi_econ.probability.factor`): no leakage, calibration on a known process,
joint probabilities against the bivariate normal, history length and the baseline rule by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from xiangxi_econ.probability.engine import TargetSet
from xiangxi_econ.probability.factor import (
    FactorModelError,
    fit_factor_model,
    pinball_loss,
    random_walk_median_quantiles,
)
from xiangxi_econ.probability.target_models import marginal_from_predictive


def target_set(model, histories: pd.DataFrame, horizon: int, thresholds) -> TargetSet:
    """The fitted model's predictive distributions of ``histories`` at ``horizon`` as the one engine's
    targets (levels met at or above ``thresholds``)."""
    pred = model.predictive(histories, list(range(1, horizon + 1)))
    ms = [marginal_from_predictive(pred, j, "log", float(np.exp(pred.base_log[j])), model.origin, "gdp", "factor",
                                   ()) for j in range(len(pred.series))]
    n = len(ms)
    return TargetSet.from_marginals([str(s) for s in pred.series], ms, [horizon] * n,
                                    np.broadcast_to(np.asarray(thresholds, float), (n,)), [False] * n)

PANEL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "prefecture_gdp_panel_1990_2018.csv"


def synthetic_panel(n_regions: int = 200, first: int = 1960, last: int = 2019, mu: float = 0.08,
                    s_c: float = 0.02, s_i: float = 0.04, s_alpha: float = 0.01, seed: int = 0) -> pd.DataFrame:
    """Levels from g_it = f_t + alpha_i + e_it with f_t ~ N(mu, s_c), alpha_i ~ N(0, s_alpha),
    e_it ~ N(0, s_i) [log points per year]; regions x years, level 100 in the first year."""
    rng = np.random.default_rng(seed)
    years = np.arange(first, last + 1)
    f = rng.normal(mu, s_c, len(years))
    alpha = rng.normal(0.0, s_alpha, n_regions)
    g = f[None, :] + alpha[:, None] + rng.normal(0.0, s_i, (n_regions, len(years)))
    g[:, 0] = 0.0
    levels = 100.0 * np.exp(np.cumsum(g, axis=1))
    return pd.DataFrame(levels, index=[f"r{i:03d}" for i in range(n_regions)], columns=years)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return synthetic_panel()


# --------------------------------------------------------------------------- leakage
def test_no_value_after_the_origin_changes_a_forecast() -> None:
    """Property: for any origin, any cell (and any national value, and any real-growth value) after
    it, any new value (or a missing one), the model's quantiles and seeded draws (fitted with and
    without the real growth that bridges breaks and adds the real-plus-deflator centres) and the
    baseline's quantiles are unchanged."""
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    small = synthetic_panel(n_regions=30, first=1990, last=2018, seed=3)
    national = {y: 0.07 for y in range(2012, 2019)}  # the panel median before 2012
    kw: dict[str, Any] = dict(min_regions=10, horizons=(1, 2, 3), break_years=(2004, 2008), max_vintages=6)
    real0 = np.log(small).diff(axis=1) - 0.02
    cache: dict[int, tuple[np.ndarray, ...]] = {}

    def outputs(data: pd.DataFrame, o: int, nat: dict[int, float], real: pd.DataFrame) -> tuple[np.ndarray, ...]:
        m = fit_factor_model(data, o, national=nat, **kw)
        mr = fit_factor_model(data, o, real_growth=real, **kw)
        seeded = next(target_set(m, data.iloc[:4], 3, np.nan).draws(50, seed=7))
        return (m.quantiles(data, (1, 2, 3)), seeded,
                mr.quantiles(data, (1, 2, 3)), mr.factor_centre,
                random_walk_median_quantiles(data, o, (1, 2)).to_numpy())

    @hypothesis.settings(max_examples=25, deadline=None, derandomize=True)
    @hypothesis.given(origin=st.integers(2006, 2016), row=st.integers(0, 29), data=st.data(),
                      value=st.one_of(st.just(np.nan), st.floats(1e-3, 1e6)))
    def check(origin: int, row: int, data, value: float) -> None:
        year = data.draw(st.integers(origin + 1, 2018))
        if origin not in cache:
            cache[origin] = outputs(small, origin, national, real0)
        changed = small.copy()
        changed.iloc[row, changed.columns.get_loc(year)] = value
        real = real0.copy()
        real.iloc[row, real.columns.get_loc(year)] = -0.4
        nat = {**national, year: -0.3}
        for new, old in zip(outputs(changed, origin, nat, real), cache[origin], strict=True):
            np.testing.assert_array_equal(new, old)

    check()


# --------------------------------------------------------------------------- calibration
def test_coverage_matches_nominal_on_a_known_factor_process(panel: pd.DataFrame) -> None:
    """On g_it = f_t + alpha_i + e_it (200 regions, 60 years), the 50% and 90% intervals one year
    ahead cover their nominal share within Monte Carlo error. Origins one year apart have
    independent outcomes' common shocks; the error is estimated from the spread of per-origin
    coverage (the common shock makes regions of one origin move together)."""
    cov50, cov90 = [], []
    for o in range(1985, 2019):
        m = fit_factor_model(panel, o, horizons=(1,), common_tails="normal", break_years=())
        q = m.quantiles(panel, 1, (0.05, 0.25, 0.75, 0.95), log=True)[:, 0, :]
        y = np.log(panel[o + 1].to_numpy())
        cov50.append(np.mean((y >= q[:, 1]) & (y <= q[:, 2])))
        cov90.append(np.mean((y >= q[:, 0]) & (y <= q[:, 3])))
    for cov, nominal in ((np.array(cov50), 0.5), (np.array(cov90), 0.9)):
        se = cov.std(ddof=1) / np.sqrt(len(cov))
        assert abs(cov.mean() - nominal) < 3 * se + 0.01, (nominal, cov.mean(), se)


def test_joint_probability_of_two_series_sharing_the_factor(panel: pd.DataFrame) -> None:
    """Two series forecast together share the common shock: the joint exceedance probability from
    the engine's draws matches its integral over the common shock (``TargetSet.joint_probability``) and the bivariate
    normal with covariance sigma_c^2 (scipy) within Monte Carlo error, and is far from the product
    of the marginals that independent shocks would give."""
    m = fit_factor_model(panel, 2014, horizons=(1, 2, 3, 4, 5), common_tails="normal", break_years=())
    two = panel.iloc[:2]
    h = 5
    pred = m.predictive(two, h)
    med = np.exp(pred.to_log_level(pred.centre))[:, 0]
    thresholds = med * np.array([0.97, 1.02])
    n = 400_000
    ts = target_set(m, two, h, thresholds)
    d = next(ts.draws(n, seed=11, chunk_size=n))
    p_draws = float(np.mean((d[0] >= thresholds[0]) & (d[1] >= thresholds[1])))
    se = np.sqrt(p_draws * (1 - p_draws) / n)
    p_int = ts.joint_probability()
    assert abs(p_draws - p_int) < 4 * se + 1e-3
    # bivariate normal on log levels: var = h^2 (sigma_c^2 + var r), cov = h^2 sigma_c^2
    sc2 = pred.sigma_common[0, 0] ** 2
    vr = pred.resid[:, 0, :].var(axis=-1)
    mean = pred.to_log_level(pred.centre + pred.resid.mean(axis=-1))[:, 0]
    cov = h ** 2 * np.array([[sc2 + vr[0], sc2], [sc2, sc2 + vr[1]]])
    lt = np.log(thresholds)
    p_bvn = float(stats.multivariate_normal(mean=-mean, cov=cov).cdf(-lt))  # P(X1 >= t1, X2 >= t2)
    assert abs(p_draws - p_bvn) < 4 * se + 5e-3, (p_draws, p_bvn)
    marg = ts.probability()
    assert abs(p_bvn - marg.prod()) > 5 * (4 * se + 5e-3)
    # the true process: sigma_c^2 = s_c^2 (1/h + 1/L) for a factor mean over L years, var r ~ s_i^2/h
    assert 0.5 < sc2 / (0.02 ** 2 * (1 / h + 1 / m.factor_window[h - 1])) < 2.0


def test_a_shorter_history_gives_a_wider_spread(panel: pd.DataFrame) -> None:
    """All else equal (same region, same last level, same origin), a history of 1 usable year has a
    wider 90% interval than one of 5, and none at all a wider one still, at every horizon."""
    m = fit_factor_model(panel, 2010, break_years=())
    full = panel.loc[["r005"], 2000:2010]
    widths = []
    for first in (2000, 2008, 2009, 2010):
        q = m.quantiles(full.loc[:, first:], probs=(0.05, 0.95), log=True)[0]
        widths.append(q[:, 1] - q[:, 0])
    assert np.all(widths[1] >= widths[0]) and np.all(widths[2] > widths[0])
    assert np.all(widths[3] >= widths[2])


# --------------------------------------------------------------------------- baseline and errors
def test_baseline_rule_on_a_hand_made_panel() -> None:
    """Three regions, log levels below, window 2, origin 2004. By hand:
    drift(2002) = median(0.10, 0.20, 0.05) = 0.10, drift(2003) = median(0.10, 0.15, 0.15) = 0.15,
    drift(2004) = median(0.10, 0.15, 0.10) = 0.10.
    h=1 errors: vintage 2002: A 0.3-0.2-0.1 = 0, B 0.5-0.4-0.1 = 0, C 0.3-0.1-0.1 = 0.1; vintage 2003:
    A 0.4-0.3-0.15 = -0.05, B 0.7-0.5-0.15 = 0.05, C 0.3-0.3-0.15 = -0.15. Sorted pool
    (-0.15, -0.05, 0, 0, 0.05, 0.1); linear quantiles at position 5p: q05 = -0.125, q25 = -0.0375,
    q50 = 0, q75 = 0.0375, q95 = 0.0875. Region A, h=1: 0.4 + 0.1 + q.
    h=2 errors (vintage 2002 only): A 0.4-0.2-0.2 = 0, B 0.7-0.4-0.2 = 0.1, C 0.3-0.1-0.2 = 0;
    q50 = 0, q95 = 0.09 (position 1.9). Region B, h=2: 0.7 + 0.2 + q."""
    logs = pd.DataFrame({"A": [0.0, 0.1, 0.2, 0.3, 0.4], "B": [0.0, 0.2, 0.4, 0.5, 0.7],
                         "C": [0.0, 0.0, 0.1, 0.3, 0.3]}, index=range(2000, 2005)).T
    q = random_walk_median_quantiles(np.exp(logs), 2004, (1, 2), window=2)
    np.testing.assert_allclose(q.loc["A", 1].to_numpy(), 0.5 + np.array([-0.125, -0.0375, 0, 0.0375, 0.0875]),
                               atol=1e-12)
    np.testing.assert_allclose(q.loc["B", 2].to_numpy()[[2, 4]], [0.9, 0.99], atol=1e-12)
    with pytest.raises(FactorModelError, match="no past vintage"):
        random_walk_median_quantiles(np.exp(logs), 2003, (2,), window=2)


def test_too_early_an_origin_is_refused_with_the_reason(panel: pd.DataFrame) -> None:
    with pytest.raises(FactorModelError, match=r"as of 1963, horizon 1: .*past vintages"):
        fit_factor_model(panel, 1963, break_years=())
    m = fit_factor_model(panel, 1990, break_years=())
    with pytest.raises(FactorModelError, match="outside the fitted horizons"):
        m.quantiles(panel.iloc[:2], 6)


def test_pinball_loss_by_hand() -> None:
    # y = 1, quantiles (0, 1, 2) at p = (0.1, 0.5, 0.9): losses 0.1*1, 0, (0.9-1)*(-1) = 0.1 -> mean 0.2/3
    assert pinball_loss(1.0, [0.0, 1.0, 2.0], (0.1, 0.5, 0.9)) == pytest.approx(0.2 / 3)


def test_breaks_and_unit_slips_are_not_history(panel: pd.DataFrame) -> None:
    """A unit slip in the history (x10000) or a jump into a break year leaves the forecast as if
    the step were simply missing."""
    m = fit_factor_model(panel, 2010, break_years=(2008,))
    one = panel.loc[["r001"], 2000:2010].copy()
    slipped = one.copy()
    slipped[2006] *= 1e4
    gap = one.copy()
    gap[2006] = np.nan
    np.testing.assert_allclose(m.quantiles(slipped), m.quantiles(gap))
    jumped = one.copy()
    jumped.loc[:, 2008:] *= 1.3
    pj = m.predictive(jumped)
    p0 = m.predictive(one)
    np.testing.assert_allclose(pj.centre, p0.centre)
    assert pj.n_usable[0] == p0.n_usable[0] == 5


def test_a_break_year_is_bridged_by_real_growth_plus_the_common_deflator(panel: pd.DataFrame) -> None:
    """Real growth = nominal - 0.02 everywhere (a uniform 2-point deflator), and a census-like level
    jump x1.3 in 2008 for 29 of 60 regions. By hand: the year's median implied deflator is 0.02
    (31 regions unjumped), the jumped ones' is 0.02 + ln 1.3 = 0.282, more than 0.1 away, so the
    common deflator pi_2008 is the median over the unjumped: 0.02. Bridged (real + 0.02 = the
    unjumped nominal step), the 2008 factor is the median nominal growth of the unjumped panel."""
    from xiangxi_econ.probability.factor import price_factors

    sub = panel.loc[:, 1990:2012].iloc[:60]
    steps = np.log(sub).diff(axis=1)
    real = steps - 0.02
    jumped = sub.copy()
    jumped.iloc[:29, jumped.columns.get_loc(2008):] *= 1.3  # 29 of 60: the median stays unjumped
    r, pi = price_factors(jumped, real, min_regions=10)
    assert pi[2008] == pytest.approx(0.02, abs=1e-12)
    assert pi[2005] == pytest.approx(0.02, abs=1e-12)
    m = fit_factor_model(jumped, 2012, real_growth=real, break_years=(2008,), min_regions=10, horizons=(1,))
    assert m.factor[2008] == pytest.approx(float(np.median(steps[2008])), abs=1e-12)


@pytest.mark.skipif(not PANEL.exists(), reason="city panel not available")
def test_city_panel_fits_and_spreads_grow_with_the_horizon() -> None:
    raw = pd.read_csv(PANEL, dtype={"city_code": str})
    wide = raw.pivot(index="city_code", columns="year", values="gdp_100m_cny")
    m = fit_factor_model(wide, 2012)
    q = m.quantiles(wide.iloc[:50], probs=(0.05, 0.95), log=True)
    width = np.median(q[:, :, 1] - q[:, :, 0], axis=0)
    assert np.all(np.diff(width) > 0)
