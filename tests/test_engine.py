"""The one probability engine (probability.engine) and the class models (probability.target_models).

References are computed independently: scipy's normal and bivariate-normal CDFs for the closed forms,
hand arithmetic for the trend of a share, Monte Carlo from numpy for the synthetic calibration.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from xiangxi_econ.probability.engine import TargetSet
from xiangxi_econ.probability.priors import load_priors
from xiangxi_econ.probability.series_classes import CLASSES
from xiangxi_econ.probability.target_models import GRID, Marginal, marginal

_Z = stats.norm.ppf((np.arange(GRID) + 0.5) / GRID)


def _normal(centre: float, s_c: float, sd: float, base: float = 100.0, h: int = 1,
            transform: str = "log", limits=(0.0, np.inf)) -> Marginal:
    return Marginal(transform=transform, base=base, origin=2020, centre=np.full(h, centre),
                    sigma_common=np.full(h, s_c), dof=np.full(h, np.inf), resid=np.tile(sd * _Z, (h, 1)),
                    limits=limits, series_class="test", model="test", years_used=(2020,))


def test_marginal_probability_is_the_normal_closed_form():
    """y = 0.05 + 0.02 Z + 0.03 E: P(100 e^y >= 104) = sf((ln 1.04 - 0.05) / sqrt(0.02^2 + 0.03^2))."""
    ts = TargetSet.from_marginals(["a"], [_normal(0.05, 0.02, 0.03)], [1], [104.0], [False])
    ref = stats.norm.sf((np.log(1.04) - 0.05) / np.hypot(0.02, 0.03))
    assert ts.probability()[0] == pytest.approx(ref, abs=2e-4)


def test_joint_probability_of_two_targets_sharing_the_factor():
    """Two targets sharing the common shock: P(both met) is the bivariate normal orthant with
    correlation s_c^2 / sqrt((s_c^2 + sd1^2)(s_c^2 + sd2^2)) (scipy), not the product."""
    m1, m2 = _normal(0.05, 0.03, 0.02), _normal(0.04, 0.03, 0.04)
    ts = TargetSet.from_marginals(["a", "b"], [m1, m2], [1, 1], [100 * np.exp(0.045), 100 * np.exp(0.03)],
                                  [False, False])
    v1, v2 = 0.03 ** 2 + 0.02 ** 2, 0.03 ** 2 + 0.04 ** 2
    cov = [[v1, 0.03 ** 2], [0.03 ** 2, v2]]
    # P(y1 >= .045, y2 >= .03) = P(-y1 <= -.045, -y2 <= -.03)
    ref = stats.multivariate_normal(mean=[-0.05, -0.04], cov=cov).cdf([-0.045, -0.03])
    joint = ts.joint_probability()
    assert joint == pytest.approx(ref, abs=1e-3)
    p = ts.probability()
    assert joint > p.prod() + 0.01  # shared shock: positively dependent


def test_draws_agree_with_the_closed_form_and_share_the_shock():
    m1, m2 = _normal(0.05, 0.03, 0.02), _normal(0.04, 0.03, 0.04)
    ts = TargetSet.from_marginals(["a", "b"], [m1, m2], [1, 1], [104.0, 103.0], [False, False])
    vals = np.concatenate(list(ts.draws(200_000, seed=1, chunk_size=50_000)), axis=1)
    met = ts.met(vals)
    se = np.sqrt(0.25 / 200_000)
    assert met.mean(axis=1) == pytest.approx(ts.probability(), abs=4 * se)
    assert met.all(axis=0).mean() == pytest.approx(ts.joint_probability(), abs=4 * se)
    again = np.concatenate(list(ts.draws(200_000, seed=1, chunk_size=8192)), axis=1)
    assert np.array_equal(vals, again)  # chunking never changes the draws


def test_at_most_is_the_other_side():
    """An at-most target is met with probability 1 - P(at least): a one-token flip of the side fails."""
    m = _normal(0.05, 0.02, 0.03)
    up = TargetSet.from_marginals(["a"], [m], [1], [104.0], [False]).probability()[0]
    down = TargetSet.from_marginals(["a"], [m], [1], [104.0], [True]).probability()[0]
    assert down == pytest.approx(1 - up, abs=1e-12)
    assert down < 0.5 < up


def test_synthetic_calibration_with_a_common_factor():
    """A known process y = c + s_c Z + sd E for 40 series and 500 replications: the 90% intervals cover
    90% of the outcomes within Monte Carlo error (3 standard errors)."""
    rng = np.random.default_rng(7)
    n_series, reps = 40, 500
    c = rng.normal(0.05, 0.01, n_series)
    sd = rng.uniform(0.01, 0.05, n_series)
    ms = [_normal(float(c[i]), 0.02, float(sd[i])) for i in range(n_series)]
    ts = TargetSet.from_marginals([str(i) for i in range(n_series)], ms, [1] * n_series,
                                  np.full(n_series, np.nan), np.zeros(n_series, bool))
    q = ts.quantiles([0.05, 0.95])
    z = rng.standard_normal(reps)
    y = c[:, None] + 0.02 * z[None, :] + sd[:, None] * rng.standard_normal((n_series, reps))
    x = 100 * np.exp(y)
    inside = (x >= q[:, [0]]) & (x <= q[:, [1]])
    # the replications are independent (one common shock each), the series within one are not: the
    # Monte Carlo error is that of the mean of the 500 per-replication coverages
    per_rep = inside.mean(axis=0)
    se = per_rep.std(ddof=1) / np.sqrt(reps)
    assert abs(per_rep.mean() - 0.90) <= 4 * se
    assert se < 0.02  # the check has teeth: a 50% or 99% interval would fail it


def test_limits_are_honoured():
    """A share clipped at 100: quantiles never pass it, and a target above it is never met."""
    m = _normal(1.5, 0.0, 2.0, base=98.0, h=5, transform="pp", limits=(0.0, 100.0))
    ts = TargetSet.from_marginals(["s", "t"], [m, m], [5, 5], [100.5, 99.0], [False, False])
    q = ts.quantiles([0.05, 0.5, 0.95])
    assert (q <= 100.0).all()
    p = ts.probability()
    assert p[0] == 0.0 and 0 < p[1] < 1


def test_a_steady_share_keeps_its_trend():
    """Urbanisation-like share at 50 rising +1 pp a year 2015-2020, as of 2020: the 2025 median keeps
    most of the trend (>= 53.5; the trend continued gives 55), not flat at 50."""
    years = np.arange(2015, 2021)
    values = 45.0 + (years - 2015).astype(float)
    m = marginal(years, values, np.zeros(len(years), int), CLASSES["trending_share"], 2020, 5,
                 load_priors(as_of_year=2020))
    ts = TargetSet.from_marginals(["u"], [m], [5], [np.nan], [False])
    assert ts.quantiles([0.5])[0, 0] >= 53.5


def _level(years, values, cls="income", as_of=2020, h=5):
    return marginal(np.asarray(years), np.asarray(values, float), np.zeros(len(years), int), CLASSES[cls], as_of, h,
                    load_priors(as_of_year=as_of))


def test_a_shorter_history_widens_the_spread():
    """Income tracking China's income growth + 1 point a year, seen for one year or for five: the pooled
    deviation spread (s0^2 with one interval, 2 s0^2 / 6 with five equal ones) and the b^2 s^2 / n term
    make the one-year history the wider."""
    from xiangxi_econ.data.context import national_growth

    f = national_growth("disposable_income_growth", as_of_year=2020)
    years = list(range(2015, 2021))
    values = [100.0]
    for y in years[1:]:
        values.append(values[-1] * np.exp(f[y] + 0.01))
    short = _level(years[-2:], values[-2:])
    long = _level(years, values)
    assert long.details["deviation"] == pytest.approx(0.01, abs=1e-12)
    assert short.details["sd_resid"][-1] > long.details["sd_resid"][-1]


def test_values_after_the_information_year_never_change_a_marginal():
    """Leakage (property over random futures): appending any values after 2020 changes nothing."""
    years = list(range(2015, 2021))
    values = [100.0, 107.0, 115.0, 121.0, 130.0, 138.0]
    base = _level(years, values)
    rng = np.random.default_rng(3)
    for _ in range(5):
        fut = list(rng.uniform(50, 300, 5))
        other = _level(years + list(range(2021, 2026)), values + fut)
        assert np.array_equal(base.centre, other.centre) and np.array_equal(base.resid, other.resid)
        assert base.base == other.base and base.origin == other.origin


def test_gdp_class_is_never_used_silently_for_income():
    """Income's class names its own factor and says what it borrows from the GDP panel."""
    inc = CLASSES["income"]
    assert inc.factor == "disposable_income_growth" and "borrowed from the prefecture GDP panel" in inc.estimated_on
    assert "300 prefecture-level cities" in CLASSES["gdp"].estimated_on


# ----------------------------------------------------------------- draws on the y scale, bound sides
def test_draws_y_are_the_plain_normal_stream_and_meet_on_the_right_side():
    """All-normal targets: draws_y is, block by block, centre + s_c z + sd e with z and e the first
    standard normals of SeedSequence(seed, spawn_key=(block,)) (no uniforms drawn), for any chunk size;
    met_y counts y >= u for an at-least target and y <= u for an at-most one, so their Monte Carlo
    shares match scipy's closed forms within 4 standard errors (P = sf(z) and cdf(z))."""
    from xiangxi_econ.probability.engine import BLOCK

    ms = [_normal(0.05, 0.02, 0.03), _normal(0.05, 0.02, 0.03)]
    ts = TargetSet.from_marginals(["up", "down"], ms, [1, 1], [104.0, 104.0], [False, True])
    n = 3 * BLOCK + 17
    y = np.concatenate(list(ts.draws_y(n, seed=5, chunk_size=BLOCK)), axis=1)
    y2 = np.concatenate(list(ts.draws_y(n, seed=5, chunk_size=4 * BLOCK)), axis=1)
    assert np.array_equal(y, y2)
    ref = []
    for b in range(-(-n // BLOCK)):
        k = min(BLOCK, n - b * BLOCK)
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(5, spawn_key=(b,))))
        z = rng.standard_normal(k)
        e = rng.standard_normal((2, k))
        ref.append(0.05 + 0.02 * z[None, :] + 0.03 * e)
    assert np.allclose(y, np.concatenate(ref, axis=1), rtol=0, atol=1e-15)
    share = ts.met_y(y).mean(axis=1)
    p = stats.norm.sf((np.log(1.04) - 0.05) / np.hypot(0.02, 0.03))
    se = np.sqrt(p * (1 - p) / n)
    assert share[0] == pytest.approx(p, abs=4 * se)
    assert share[1] == pytest.approx(1 - p, abs=4 * se)
    assert np.array_equal(ts.met_y(y), ts.met(ts.value(y)))


def test_quantiles_of_a_normal_target_are_the_closed_form():
    """y ~ N(0.05, 0.02^2 + 0.03^2): the median of 100 e^y is 100 e^0.05 and q95 = 100 e^(0.05 + 1.645 s)."""
    ts = TargetSet.from_marginals(["a"], [_normal(0.05, 0.02, 0.03)], [1], [104.0], [False])
    q = ts.quantiles([0.5, 0.95])[0]
    s = np.hypot(0.02, 0.03)
    assert q[0] == pytest.approx(100 * np.exp(0.05), rel=1e-9)
    assert q[1] == pytest.approx(100 * np.exp(0.05 + stats.norm.ppf(0.95) * s), rel=1e-9)


@pytest.mark.parametrize("h", [1, 3])
def test_a_logit_share_target_is_the_normal_closed_form(h):
    """A share on the logit scale from 40%: 100 expit(logit(0.4) + h y) >= 45 when
    y >= (logit(0.45) - logit(0.4)) / h, so P = sf((u - 0.01) / s) with y ~ N(0.01, 0.02^2 + 0.03^2)
    (scipy; the engine's quadrature to 2e-4). The median value is 100 expit(logit(0.4) + h × 0.01)."""
    m = _normal(0.01, 0.02, 0.03, base=40.0, h=h, transform="logit", limits=(0.0, 100.0))
    ts = TargetSet.from_marginals(["s"], [m], [h], [45.0], [False])
    s = np.hypot(0.02, 0.03)
    lam0 = np.log(0.4 / 0.6)
    u = (np.log(0.45 / 0.55) - lam0) / h
    assert ts.probability()[0] == pytest.approx(stats.norm.sf((u - 0.01) / s), abs=2e-4)
    assert ts.quantiles([0.5])[0][0] == pytest.approx(100 / (1 + np.exp(-(lam0 + h * 0.01))), rel=1e-6)


def test_quantiles_of_a_skewed_residual_come_from_its_grid():
    """No common shock and a skewed residual (exponential quantiles less their median): the median of
    y is the centre plus the grid's median, the mean of its two middle points (the grid's points sit at
    probabilities (i + 1/2)/GRID); the value's median is 100 e^(that) (to 1e-6, the bisection's
    tolerance)."""
    grid = stats.expon.ppf((np.arange(GRID) + 0.5) / GRID) * 0.02 - 0.02 * np.log(2)
    m = Marginal(transform="log", base=100.0, origin=2020, centre=np.array([0.03]), sigma_common=np.array([0.0]),
                 dof=np.array([np.inf]), resid=grid[None, :], limits=(0.0, np.inf), series_class="test",
                 model="test", years_used=(2020,))
    ts = TargetSet.from_marginals(["k"], [m], [1], [104.0], [False])
    k = GRID // 2
    median_y = 0.03 + (0.5 * (grid[k - 1] + grid[k]) if GRID % 2 == 0 else grid[k])
    assert ts.quantiles([0.5])[0][0] == pytest.approx(100 * np.exp(median_y), rel=1e-6)


def test_a_five_year_total_is_inverted_like_a_sum_of_flows():
    """A total of five annual flows 100 e^(t y), t = 1..5, at least 560: the y where the sum is 560 is
    found here with scipy's brentq, and P = sf((y* - 0.02) / s)."""
    from scipy import optimize

    m = _normal(0.02, 0.01, 0.02, base=100.0, h=5, transform="total")
    ts = TargetSet.from_marginals(["t"], [m], [5], [560.0], [False])
    y_star = optimize.brentq(lambda y: sum(100 * np.exp(t * y) for t in range(1, 6)) - 560.0, -0.5, 0.5)
    assert ts.probability()[0] == pytest.approx(stats.norm.sf((y_star - 0.02) / np.hypot(0.01, 0.02)), abs=2e-4)


def test_a_growth_target_reads_y_as_log_growth():
    """Growth in percent is 100 (e^y - 1): P(growth >= 7%) = sf((ln 1.07 - 0.06) / s)."""
    m = _normal(0.06, 0.01, 0.01, base=7.0, h=1, transform="growth", limits=(-100.0, np.inf))
    ts = TargetSet.from_marginals(["g"], [m], [1], [7.0], [False])
    ref = stats.norm.sf((np.log1p(0.07) - 0.06) / np.hypot(0.01, 0.01))
    assert ts.probability()[0] == pytest.approx(ref, abs=2e-4)
    assert ts.quantiles([0.5])[0][0] == pytest.approx(100 * np.expm1(0.06), rel=1e-6)


def test_memory_estimate_and_unknown_ids():
    """Six float64 arrays of one chunk: 6 × 8 × 10 targets × 65,536 draws bytes (by hand); an id that was
    not simulated is named, not silently dropped."""
    from xiangxi_econ.probability.engine import memory_estimate

    assert memory_estimate(10, 10**6, 65_536) == 6 * 8 * 10 * 65_536
    assert memory_estimate(10, 1_000, 65_536) == 6 * 8 * 10 * 1_000
    ts = TargetSet.from_marginals(["a"], [_normal(0.05, 0.02, 0.03)], [1], [104.0], [False])
    with pytest.raises(KeyError, match="nope"):
        ts.joint_probability(["a", "nope"])
