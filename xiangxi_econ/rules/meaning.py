r"""What a target means: one vectorised home for pace, met, bound side, remaining pace and completion.

Every module that needs to know whether a value meets a target, which side of a target counts as
success, how fast a target requires a value to move, what pace is still needed, or how much of the
distance has been covered asks this module. Nothing else types a compound-rate formula or a met
comparison (a test greps for them).

For a target :math:`x^*` with baseline :math:`x_b`, latest value :math:`x_t`, and :math:`n` years:

* pace by kind — levels and counts grow geometrically, :math:`(x_1/x_0)^{1/n} - 1`
  (:func:`xiangxi_econ.maths.growth.required_rate`, NBS 水平法); shares and rates move in percentage
  points, :math:`(x_1 - x_0)/n`; five-year totals grow at the 累计法 rate
  (:func:`xiangxi_econ.maths.growth.required_rate_cumulative`);
* bound side — the bound is the truth: a value meets an "at most" target (以内, 以下, 控制在), or a
  target without a one-sided bound whose desired direction is down (unemployment, energy intensity),
  when :math:`x \le x^*`, an "at least" target (以上, 不低于) and any other when
  :math:`x \ge x^*` (:func:`lower_is_better`, :func:`meets`);
* completion (水平法 share of the distance) :math:`c = (x_t - x_b)/(x^* - x_b)`, the same in pp for
  shares; for average-growth targets the cumulated factor
  :math:`c = (\prod_i (1+g_i) - 1)/((1+g^*)^H - 1)`;
* remaining pace — the pace from the latest value to the target in the years left, by kind.

References
----------
UN Statistics Division (2022), *SDG Progress Chart technical note* (required and actual compound
annual growth); National Bureau of Statistics of China, average growth by the level method (水平法)
and the cumulative method (累计法); NDRC mid-term evaluation practice (completion against time
elapsed).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..maths.growth import cagr, project, required_rate_cumulative
from ..schema import PP_KINDS

__all__ = ["GEOMETRIC", "lower_is_better", "bound_side", "meets", "share_meeting", "pace", "annualise",
           "cumulated_factor", "projected", "remaining_pace", "completion", "is_ceiling", "MET_TOLERANCE"]

#: Kinds whose pace is a compound rate [fraction per year].
GEOMETRIC = ("level", "count")
#: Base units measured additively, like shares (not compounded): ages and durations (years of
#: schooling, life expectancy move by years a year, not by a growth rate).
ADDITIVE_BASE_UNITS = frozenset({"year"})


def moves_additively(kind: Any, base_unit: Any) -> np.ndarray:
    """Whether each target moves by a constant change (pp or units a year) rather than a rate:
    shares and rates, and quantities in an additive unit (:data:`ADDITIVE_BASE_UNITS`).

    >>> moves_additively(["share", "level", "level"], ["%", "year", "CNY"]).tolist()
    [True, True, False]
    """
    kind = np.atleast_1d(np.asarray(kind, dtype=str))
    unit = np.broadcast_to(np.asarray(base_unit, dtype=object), kind.shape)
    return np.isin(kind, PP_KINDS) | np.isin(unit.astype(str), list(ADDITIVE_BASE_UNITS))

MET_TOLERANCE = 1e-9
"""Tolerance for equality in :func:`meets` [unit of the target]."""


def lower_is_better(bound: Any, direction: Any) -> np.ndarray:
    """Whether reaching a target means staying at or below it: an "at most" bound (以内, 以下), or,
    for a target without a one-sided bound (about, exact), an indicator whose desired direction is
    down (unemployment, energy intensity). An "at least" bound is never lower-is-better, whatever the
    direction column says: the bound is the truth.

    Parameters
    ----------
    bound, direction : array_like of str
        The indicator rows' ``bound`` and ``direction`` columns.

    Examples
    --------
    >>> lower_is_better(["at_most", "at_least", "exact", "at_least"], ["decrease", "increase", "decrease",
    ...                  "decrease"]).tolist()
    [True, False, True, False]
    """
    b = np.asarray(bound, dtype=object)
    d = np.asarray(direction, dtype=object)
    b, d = np.broadcast_arrays(b, d)
    # the bound is the truth: "at least 93%" from 95% is met at 96 whatever the direction says;
    # only a target without a one-sided bound (about, exact) takes its side from the direction
    return np.asarray(np.where(b == "at_least", False, (b == "at_most") | (d == "decrease")), dtype=bool)


def bound_side(bound: Any, direction: Any) -> np.ndarray:
    """Which side of the target is success: ``+1`` when a value must be at least the target,
    ``-1`` when it must be at most the target (see :func:`lower_is_better`).

    Examples
    --------
    >>> bound_side(["at_most", "at_least"], ["increase", "increase"]).tolist()
    [-1, 1]
    """
    return np.where(lower_is_better(bound, direction), -1, 1)


def meets(value: Any, target: Any, bound: Any, direction: Any, tol: float = MET_TOLERANCE) -> np.ndarray:
    """Whether ``value`` satisfies ``target``: at or below it when lower is better (see
    :func:`lower_is_better`), at or above it otherwise; NaN never meets.

    Parameters
    ----------
    value : array_like
        Values; the last axis lines up with ``target`` [unit of the target].
    target : array_like
        Targets [unit].
    bound, direction : array_like of str
        One per target.
    tol : float
        Tolerance for equality [unit].

    Examples
    --------
    >>> meets([5.2, 5.4], [5.3, 5.3], ["at_most", "at_most"], ["decrease", "decrease"]).tolist()
    [True, False]
    """
    v = np.asarray(value, dtype=float)
    t = np.asarray(target, dtype=float)
    side = bound_side(bound, direction)
    with np.errstate(invalid="ignore"):
        ok = (side * (v - t)) >= -tol
    return np.asarray(ok & ~np.isnan(v) & ~np.isnan(t), dtype=bool)


def share_meeting(draws: Any, target: Any, bound: Any, direction: Any) -> np.ndarray:
    """Share of draws (axis 0) that meet each target: the Monte Carlo probability of meeting it.

    Parameters
    ----------
    draws : array_like, shape (n_draws, n_targets)
        Simulated values [unit of each target].
    target, bound, direction : array_like, shape (n_targets,)

    Returns
    -------
    numpy.ndarray, shape (n_targets,)
        Probability [fraction].

    Examples
    --------
    >>> share_meeting([[1.0, 1.0], [3.0, 3.0]], [2.0, 2.0], ["at_least", "at_most"], ["increase", "decrease"]).tolist()
    [0.5, 0.5]
    """
    return meets(draws, target, bound, direction).mean(axis=0)


def _geometric(start: np.ndarray, end: np.ndarray, years: np.ndarray) -> np.ndarray:
    out = np.full(np.broadcast(start, end, years).shape, np.nan)
    s, e, n = np.broadcast_arrays(start, end, years)
    ok = (s > 0) & (e > 0) & (n > 0)
    if ok.any():
        out[ok] = cagr(s[ok], e[ok], n[ok])
    return out


def pace(kind: Any, start: Any, end: Any, years: Any) -> tuple[np.ndarray, np.ndarray]:
    """The pace that takes ``start`` to ``end`` in ``years``, by kind.

    Parameters
    ----------
    kind : array of str
        ``level``, ``count``, ``cumulative``, ``share``, ``rate`` (others give NaN).
    start, end : array of float
        Start and end values [unit]; for ``cumulative`` the start-year annual flow and the total.
    years : array of float
        Length [years].

    Returns
    -------
    rate : ndarray
        :math:`(x_1/x_0)^{1/n} - 1` for levels and counts, the 累计法 rate for totals [fraction per
        year]; NaN for a zero or negative level.
    pace_pp : ndarray
        :math:`(x_1 - x_0)/n` for shares and rates [pp per year].

    Examples
    --------
    GDP 725.11 to 1000 亿元 in five years, urbanisation 50% to 55%:

    >>> rate, pp = pace(["level", "share"], [725.11, 50], [1000, 55], [5, 5])
    >>> round(float(rate[0]), 4), float(pp[1])
    (0.0664, 1.0)
    """
    kind = np.atleast_1d(np.asarray(kind, dtype=str))
    start, end, years = (np.broadcast_to(np.asarray(a, dtype=float), kind.shape) for a in (start, end, years))
    rate = np.full(kind.shape, np.nan)
    geometric = np.isin(kind, GEOMETRIC)
    rate[geometric] = _geometric(start[geometric], end[geometric], years[geometric])
    cumulative = (kind == "cumulative") & (start > 0) & (end > 0) & (years > 0)
    if cumulative.any():
        rate[cumulative] = np.asarray(required_rate_cumulative(start[cumulative], end[cumulative],
                                                               years[cumulative]).rate, dtype=float)
    pp = np.isin(kind, PP_KINDS)
    pace_pp = np.full(kind.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        pace_pp[pp] = (end[pp] - start[pp]) / years[pp]
    return rate, pace_pp


def annualise(factor: Any, years: Any) -> np.ndarray:
    """The annual rate of a cumulated growth factor: :math:`F^{1/n} - 1` [fraction per year].

    >>> round(float(annualise(1.07 ** 5, 5)), 6)
    0.07
    """
    return _geometric(np.ones_like(np.asarray(factor, dtype=float)), np.asarray(factor, dtype=float),
                      np.asarray(years, dtype=float))


def cumulated_factor(rates_pct: Any) -> float:
    """Cumulated growth factor of annual rates in percent: :math:`\\prod_i (1 + g_i/100)`.

    >>> round(cumulated_factor([10, 10]), 4)
    1.21
    """
    return float(np.prod(1 + np.asarray(rates_pct, dtype=float) / 100))


def projected(kind: Any, base: Any, rate: Any, pace_pp: Any, years: Any) -> np.ndarray:
    """Value after ``years`` at a pace, by kind: :math:`x_b (1+g)^n` for levels and counts,
    :math:`x_b + n p` for shares and rates, NaN otherwise [unit].

    >>> projected(["level", "share"], [100, 50], [0.1, np.nan], [np.nan, 1.0], [2, 5]).round(2).tolist()
    [121.0, 55.0]
    """
    kind = np.atleast_1d(np.asarray(kind, dtype=str))
    base, rate, pp, years = (np.broadcast_to(np.asarray(a, dtype=float), kind.shape)
                             for a in (base, rate, pace_pp, years))
    out = np.full(kind.shape, np.nan)
    geo = np.isin(kind, GEOMETRIC) & ~np.isnan(rate) & (rate > -1)
    if geo.any():
        out[geo] = project(base[geo], rate[geo], years[geo])
    add = np.isin(kind, PP_KINDS)
    out[add] = base[add] + pp[add] * years[add]
    return out


def remaining_pace(kind: Any, latest: Any, target: Any, years_left: Any) -> tuple[np.ndarray, np.ndarray]:
    """The pace still needed from the latest value to the target in the years left, by kind
    (:func:`pace` from ``latest`` to ``target``); NaN when no year is left.

    Returns
    -------
    rate : ndarray
        [fraction per year] for levels and counts.
    pace_pp : ndarray
        [pp per year] for shares and rates.

    Examples
    --------
    >>> rate, pp = remaining_pace(["level", "share"], [855.9, 54.8], [1000, 55], [1, 1])
    >>> round(float(rate[0]), 4), round(float(pp[1]), 2)
    (0.1684, 0.2)
    """
    left = np.asarray(years_left, dtype=float)
    kind = np.atleast_1d(np.asarray(kind, dtype=str))
    return pace(np.where(kind == "cumulative", "", kind), latest, target, np.where(left > 0, left, np.nan))


def completion(kind: Any, base: Any, latest: Any, target: Any) -> np.ndarray:
    """Share of the distance from baseline to target covered (水平法), :math:`(x_t - x_b)/(x^* - x_b)`
    [fraction]; NaN where the target equals the baseline or the baseline is unknown.

    >>> completion(["level"], [725.11], [889.5], [1000]).round(3).tolist()
    [0.598]
    """
    b, x, t = (np.asarray(a, dtype=float) for a in (base, latest, target))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = (x - b) / (t - b)
    return np.where(np.isfinite(c), c, np.nan)


def is_ceiling(kind: Any, bound: Any, base: Any, target: Any) -> np.ndarray:
    """An "at most" target on something allowed to grow (a quota, a cap above the baseline, or any
    at-most five-year total): staying under it is the whole test, with no completion share.

    >>> is_ceiling(["cumulative", "level", "level"], ["at_most"] * 3, [np.nan, 5, 5], [12.6, 4, 6]).tolist()
    [True, False, True]
    """
    k = np.asarray(kind, dtype=str)
    b = np.asarray(base, dtype=float)
    t = np.asarray(target, dtype=float)
    at_most = np.asarray(bound, dtype=object) == "at_most"
    with np.errstate(invalid="ignore"):
        return at_most & (k != "growth") & ((k == "cumulative") | np.isnan(b) | (b <= t))
