r"""A target series' predictive distribution as of any year, from its reference class.

One job: turn a short annual history (values by year with their statistical segments) and the
series' reference class (:mod:`xiangxi_econ.probability.series_classes`) into a :class:`Marginal` — the
distribution of one scalar :math:`y` per horizon (average log growth, pp pace, or logit pace per
year) of the form

.. math:: y_h = c_h + \sigma_{c,h} Z + R_h,

with :math:`Z` the common (national) shock shared by every target and :math:`R_h` the series' own
error, held as a sorted quantile grid (:data:`GRID`) so that quantiles, probabilities and joint
probabilities are computed without simulation (:mod:`xiangxi_econ.probability.engine`). Everything uses values
of years :math:`\le` ``as_of_year`` only, and estimates whose outcomes fall in ``as_of_year`` or
earlier.

Levels (money, counts, per-capita income, arrivals)
---------------------------------------------------
Let :math:`f_t` be the national factor's annual log growth (China, embedded context) and
:math:`\bar f_L` the mean of its last :math:`L` known values up to the origin :math:`o`. The
region's deviation :math:`D` is its own log growth minus the factor's over the same years, summed
over the comparable intervals (both ends in one statistical segment) within the last ``window``
years, divided by the :math:`n` years they cover (a break is bridged by growth rates, never by a
level ratio across it). The average log growth to :math:`o + h` is

.. math::

    c_h = \bar f_{L_h} + \beta_h D, \qquad
    \operatorname{Var} R_h = v_h + \beta_h^2 s^2 / n \;(+\, s^2/h + \tau^2 \text{ outside the GDP class})

* :math:`L_h` and :math:`\sigma_{c,h}` come from the factor's own past forecast errors
  :math:`e = \operatorname{mean}(f_{o'+1..o'+h}) - \bar f_L(o')` over vintages :math:`o' + h \le o`
  (one :math:`L` for all horizons, of smallest mean squared error summed over them;
  :math:`\sigma_{c,h}` its root mean square, bias
  included, times :math:`\sqrt{1 + 1/n_{\rm eff}}` for :math:`n_{\rm eff} = 3nh/(2h^2+1)` effective
  errors behind :math:`n` overlapping ones); the common shock is normal. A horizon longer than the
  context's vintages reach keeps the spread of the longest that has them; a class factor with fewer
  than :data:`MIN_VINTAGES` one-year vintages gives way to nominal GDP; with none at all the GDP
  panel's common variance of the same vintage is used. The result says which.
* GDP class: :math:`\beta_h` and :math:`v_h` are the panel's within-vintage persistence and
  idiosyncratic variance (``forecast_priors*.json``, by vintage).
* Other level classes: :math:`\beta_h` is borrowed from the GDP panel (said in the class), and
  :math:`s^2` pools the series' own deviations with the class default :math:`s_0` with
  :data:`~xiangxi_econ.probability.series_classes.PSEUDO_OBS` pseudo-observations,
  :math:`s^2 = (\sum_k n_k (d_k - D)^2 + \nu s_0^2)/(K - 1 + \nu)`; :math:`\tau` is the class's
  persistent deviation spread. A short history (small :math:`n`) widens the spread.

Shares (percent)
----------------
* ``trending_share``: as of 2020 or later, the prefecture census class
  (:mod:`xiangxi_econ.probability.reference_shares`: the logit moves from the series' own pace toward the
  2010–2020 norm of 314 prefectures, with their error spread). Before 2020 (that class used outcomes
  of 2020): the logit :math:`\lambda = \ln(x/(100-x))` moves at its own pace
  :math:`\dot\lambda` (comparable intervals, last ``2 * window`` years), undamped (UN World
  Urbanization Prospects); the step spread in pp, pooled with the class default, is carried to the
  logit scale at the current level (:math:`d\lambda/dx = 100/(x(100-x))`):
  :math:`\operatorname{Var} R_h = (s^2/h + s^2/k)\,\lambda'(x_o)^2`, :math:`k` the years of pace.
* ``slow_share`` and ``share``: own pace in pp, damped by the calibrated :math:`\phi`
  (:func:`~xiangxi_econ.probability.priors.share_params`), clipped to the limits.
* ``noisy_share``: no pace: :math:`c_h = (\bar x - x_o)/h` (the mean of the last values in the
  segment), :math:`\operatorname{Var}(h\,R_h) = s^2 (1 + 1/m)` for :math:`m` values.

References
----------
Stock, J. H. and Watson, M. W. (2016), *Handbook of Macroeconomics* 2A. Efron, B. and Morris, C.
(1975), JASA 70. United Nations (2019), *World Urbanization Prospects 2018: Methodology*.
Gneiting, T. and Raftery, A. (2007), JASA 102.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from .series_classes import PSEUDO_OBS, SeriesClass

__all__ = ["GRID", "MIN_VINTAGES", "CommonFactor", "Marginal", "common_factor", "growth_marginal", "marginal",
           "marginal_from_predictive"]

GRID = 101
"""Points of each residual quantile grid."""
MIN_VINTAGES = 3
"""Fewest past vintages of the national factor for its own error spread."""
FACTOR_WINDOWS = (1, 2, 3, 5, 8)
"""Candidate lengths :math:`L` of the recent mean of the national factor [years]."""
_NORMAL_GRID = special.ndtri((np.arange(GRID) + 0.5) / GRID)


@dataclass(frozen=True)
class CommonFactor:
    """The national factor's centre and spread for horizons ``h`` (arrays over h).

    Attributes
    ----------
    series : str
        Context series used (China).
    centre, sigma : ndarray
        :math:`\\bar f_{L_h}` and :math:`\\sigma_{c,h}` [log points per year].
    dof : ndarray
        Degrees of freedom of the Student-t common shock.
    window : ndarray of int
        :math:`L_h` [years].
    n_vintages : ndarray of int
        Past vintages behind :math:`\\sigma_{c,h}` (0: the panel's common variance is used).
    growth : Series
        The factor's annual log growth up to the origin.
    note : str
    """

    series: str
    centre: np.ndarray
    sigma: np.ndarray
    dof: np.ndarray
    window: np.ndarray
    n_vintages: np.ndarray
    growth: pd.Series
    note: str = ""


@dataclass(frozen=True)
class Marginal:
    """One target series' predictive distribution at horizons 1..H from its origin.

    Attributes
    ----------
    transform : {'log', 'pp', 'logit'}
        How :math:`y` maps to a value: ``log`` :math:`x_o e^{h y}`; ``pp``
        :math:`\\mathrm{clip}(x_o + h y)`; ``logit`` :math:`100\\,\\mathrm{expit}(\\lambda_o + h y)`.
    base : float
        :math:`x_o`, the last value at or before ``as_of_year`` [unit].
    origin : int
        Its year.
    centre, sigma_common, dof : ndarray, shape (H,)
    resid : ndarray, shape (H, GRID)
        Sorted quantile grid of :math:`R_h` [unit of y].
    limits : (float, float)
        Bounds of the value (shares: 0-100).
    series_class : str
    model : str
        What was used, in words.
    years_used : tuple of int
    note : str
        Breaks bridged, short histories, fallbacks.
    details : dict
    """

    transform: str
    base: float
    origin: int
    centre: np.ndarray
    sigma_common: np.ndarray
    dof: np.ndarray
    resid: np.ndarray
    limits: tuple[float, float]
    series_class: str
    model: str
    years_used: tuple[int, ...]
    note: str = ""
    details: dict = field(default_factory=dict)

    @property
    def horizon(self) -> int:
        return int(len(self.centre))


# --------------------------------------------------------------------------- the national factor
def _factor_growth(series: str, as_of_year: int) -> pd.Series:
    from ..data.context import national_growth

    g = national_growth(series, as_of_year=int(as_of_year))
    return g.dropna()


def _recent_mean(g: pd.Series, upto: int, L: int) -> float:
    v = g[g.index <= upto].to_numpy(float)
    return float(v[-L:].mean()) if v.size >= L else float("nan")


def _past_errors(g: pd.Series, as_of_year: int, H: int) -> list[dict[int, np.ndarray]]:
    r"""Per horizon h = 1..H, per candidate window L: the factor's past errors
    :math:`\operatorname{mean}(f_{o+1..o+h}) - \bar f_L(o)` over vintages :math:`o + h \le` ``as_of_year``
    (windows with fewer than :data:`MIN_VINTAGES` of them dropped)."""
    years = np.asarray(g.index, dtype=int)
    out = []
    for h in range(1, H + 1):
        errs: dict[int, list[float]] = {L: [] for L in FACTOR_WINDOWS}
        for o in years[years + h <= as_of_year]:
            fut = g[(g.index > o) & (g.index <= o + h)]
            if len(fut) < max(1, (h + 1) // 2):
                continue
            realised = float(fut.mean())
            for L in FACTOR_WINDOWS:
                m = _recent_mean(g, int(o), L)
                if np.isfinite(m):
                    errs[L].append(realised - m)
        out.append({L: np.asarray(e) for L, e in errs.items() if len(e) >= MIN_VINTAGES})
    return out


def _best_window(per_h: list[dict[int, np.ndarray]], n_years: int) -> int:
    """One window for every horizon (a path, not a window per year): the L of least mean squared error
    summed over the horizons, each on the vintages all candidate windows have."""
    scores: dict[int, float] = {}
    for usable in per_h:
        if usable:
            n_common = min(len(e) for e in usable.values())
            for L, e in usable.items():
                scores[L] = scores.get(L, 0.0) + float(np.mean(e[-n_common:] ** 2))
    counted = [L for L in scores if all(L in u for u in per_h if u)]
    return min(counted, key=lambda k: (scores[k], k)) if counted else min(5, n_years)


def _fill_spread(sigma: np.ndarray, nv: np.ndarray, panel_var: np.ndarray | None, series: str,
                 as_of_year: int) -> tuple[np.ndarray, str]:
    """Spreads of horizons without national vintages: the longest horizon that has them, else the panel."""
    known, missing = np.flatnonzero(nv > 0), np.flatnonzero(nv == 0)
    if not len(missing):
        return sigma, ""
    if len(known):
        for hi in missing:
            sigma[hi] = sigma[known[known < hi][-1]] if (known < hi).any() else sigma[known[0]]
        return sigma, ("common spread for h=" + ", ".join(str(h + 1) for h in missing)
                       + f" held at h={int(known.max()) + 1}'s (no longer national vintages)")
    if panel_var is None:
        raise ValueError(f"national factor {series}: fewer than {MIN_VINTAGES} past vintages up to {as_of_year} "
                         "and no panel variance to fall back on")
    H = len(sigma)
    return (np.sqrt(np.asarray(panel_var, dtype=float)[np.minimum(np.arange(H), len(panel_var) - 1)]),
            "common spread from the GDP panel (too few national vintages)")


def _vintages_at_h1(g: pd.Series, as_of_year: int) -> int:
    """Past one-year-ahead vintages of the factor with a known previous value."""
    years = np.asarray(g.index, dtype=int)
    return int(sum(1 for o in years[:-1] if o + 1 <= as_of_year and (years == o + 1).any()))


def common_factor(series: str, as_of_year: int, horizon: int, panel_var: np.ndarray | None = None,
                  fallback: str = "gdp_nominal") -> CommonFactor:
    """Centre and spread of the national factor (:func:`_common_factor`), computed once per set of
    arguments: every target of a simulation asks for the same factor, and the answer depends only on
    them and the embedded context. The arrays of the result are read-only."""
    key = None if panel_var is None else tuple(float(x) for x in np.asarray(panel_var, dtype=float).ravel())
    return _common_factor_cached(str(series), int(as_of_year), int(horizon), key, str(fallback))


@functools.lru_cache(maxsize=512)
def _common_factor_cached(series: str, as_of_year: int, horizon: int, panel_var: tuple[float, ...] | None,
                          fallback: str) -> CommonFactor:
    cf = _common_factor(series, as_of_year, horizon, None if panel_var is None else np.asarray(panel_var), fallback)
    for name in ("centre", "sigma", "dof", "window", "n_vintages"):
        getattr(cf, name).setflags(write=False)
    return cf


def _common_factor(series: str, as_of_year: int, horizon: int, panel_var: np.ndarray | None = None,
                   fallback: str = "gdp_nominal") -> CommonFactor:
    """Centre and spread of the national factor for horizons 1..``horizon`` as of ``as_of_year``.

    Parameters
    ----------
    series : str
        Context series of China (:func:`~xiangxi_econ.data.context.national_growth`); when it has fewer
        than two annual growths up to ``as_of_year``, ``fallback`` is used and the note says so.
    as_of_year : int
    horizon : int
        Largest horizon H [years].
    panel_var : ndarray, shape (H,), optional
        Common variance of the GDP panel's vintage [(log points per year)^2], used for a horizon
        with fewer than :data:`MIN_VINTAGES` past vintages of the factor.

    Returns
    -------
    CommonFactor
    """
    note = ""
    g = _factor_growth(series, as_of_year)
    if _vintages_at_h1(g, as_of_year) < MIN_VINTAGES and series != fallback:
        note = (f"China's {series.replace('_', ' ')} has too few years up to {as_of_year} for its own error "
                "spread: nominal GDP used")
        series = fallback
        g = _factor_growth(series, as_of_year)
    if len(g) == 0:
        raise ValueError(f"no national growth of {series} known up to {as_of_year}: the embedded context starts "
                         "later; the forecast cannot be centred")
    H = int(horizon)
    per_h = _past_errors(g, int(as_of_year), H)
    best = _best_window(per_h, len(g))
    centre = np.full(H, _recent_mean(g, int(as_of_year), int(min(best, len(g)))))
    sigma, nv = np.full(H, np.nan), np.zeros(H, dtype=int)
    for hi, usable in enumerate(per_h):
        if best in usable:
            e = usable[best]
            nv[hi] = len(e)
            # root mean squared past error (bias included), widened for the few overlapping errors behind
            # it: n_eff = 3nh / (2h^2 + 1) independent errors (Bartlett), predictive variance x (1 + 1/n_eff)
            n_eff = 3 * nv[hi] * (hi + 1) / (2 * (hi + 1) ** 2 + 1)
            sigma[hi] = math.sqrt(float(np.mean(e ** 2)) * (1 + 1 / n_eff))
    sigma, extra = _fill_spread(sigma, nv, panel_var, series, int(as_of_year))
    note = "; ".join(filter(None, [note, extra]))
    window = np.full(H, best, dtype=int)
    dof = np.full(H, np.inf)
    return CommonFactor(series=series, centre=centre, sigma=sigma, dof=dof, window=window, n_vintages=nv,
                        growth=g, note=note)


# --------------------------------------------------------------------------- histories
def comparable_intervals(years: np.ndarray, values: np.ndarray, segments: np.ndarray, as_of_year: int,
                         lookback: int) -> pd.DataFrame:
    """Consecutive pairs of values in one statistical segment, ending within ``lookback`` years of
    the origin: ``start, end, v0, v1, span`` (a pair across a break is never formed)."""
    keep = (years <= as_of_year) & np.isfinite(values)
    y, v, s = years[keep], values[keep], segments[keep]
    if len(y) < 2:
        return pd.DataFrame(columns=["start", "end", "v0", "v1", "span"])
    same = s[1:] == s[:-1]
    out = pd.DataFrame({"start": y[:-1], "end": y[1:], "v0": v[:-1], "v1": v[1:]})[same]
    out["span"] = out["end"] - out["start"]
    origin = int(y[-1])
    return out[out["end"] > origin - lookback].reset_index(drop=True)


def _grid(sd: np.ndarray) -> np.ndarray:
    return np.asarray(sd, dtype=float)[:, None] * _NORMAL_GRID[None, :]


# --------------------------------------------------------------------------- levels
def _factor_over(f: pd.Series, start: int, end: int) -> float:
    """The factor's log growth from ``start`` to ``end``: its mean over the known years times the span."""
    inside = f[(f.index > start) & (f.index <= end)]
    return float(inside.mean() * (end - start)) if len(inside) else float("nan")


def marginal_from_predictive(pred: Any, row: int, transform: str, base: float, origin: int, cls_name: str,
                             model: str, years_used: tuple[int, ...], note: str = "",
                             details: dict | None = None) -> Marginal:
    """Row ``row`` of a factor-model :class:`~xiangxi_econ.probability.factor.Predictive` (horizons 1..H)
    as a :class:`Marginal`: the engine (:class:`~xiangxi_econ.probability.engine.TargetSet`) then gives its
    quantiles, probabilities and joint draws with the common shock shared."""
    limits = (0.0, math.inf) if transform == "log" else (-100.0, math.inf)
    return Marginal(transform=transform, base=float(base), origin=int(origin),
                    centre=np.asarray(pred.centre[row], float), sigma_common=np.asarray(pred.sigma_common[row], float),
                    dof=np.asarray(pred.common_dof[row], float), resid=np.asarray(pred.resid[row], float),
                    limits=limits, series_class=cls_name, model=model, years_used=years_used, note=note,
                    details=dict(details or {}))


def _gdp_factors(ref: Any, as_of_year: int) -> tuple[pd.Series, pd.Series]:
    """The vintage's panel factors (nominal, real) up to the vintage, continued by China's growth
    (offset to the panel's scale, :func:`~xiangxi_econ.probability.factor.splice_factor`) to ``as_of_year``."""
    from ..data.context import national_growth
    from .factor import splice_factor

    nominal = splice_factor(ref.factor, national_growth("gdp_nominal", as_of_year=as_of_year), ref.vintage)
    real = splice_factor(ref.real_factor, national_growth("gdp_real_growth", as_of_year=as_of_year), ref.vintage)
    return nominal, real


def _gdp_marginal(years: np.ndarray, values: np.ndarray, segments: np.ndarray, cls: SeriesClass, as_of_year: int,
                  H: int) -> Marginal | None:
    """The GDP class from the city-panel factor model of the latest vintage <= ``as_of_year``
    (:func:`~xiangxi_econ.probability.factor.load_reference_gdp`): the region's deviations are taken from the
    panel's own common factor (the median prefecture's growth) up to the vintage, continued by China's
    nominal and real growth after it with the offset of their last five common years
    (:func:`~xiangxi_econ.probability.factor.splice_factor`), so they are on the scale the vintage's
    slopes, intercepts and residual grids were fitted on; the centre follows the vintage's rule; the
    common spread is the panel's. A forecast as of the vintage itself is the panel path for that
    region. ``None`` before the first vintage (the caller then uses the priors of the same vintage)."""
    from .factor import FactorModelError, load_reference_gdp, predictive_from_reference

    try:
        ref = load_reference_gdp(as_of_year)
    except FactorModelError:
        return None
    keep = (years <= as_of_year) & np.isfinite(values)
    y, v, seg = years[keep], values[keep], segments[keep]
    breaks = tuple(int(b) for b, prev, cur in zip(y[1:], seg[:-1], seg[1:], strict=True) if cur != prev)
    origin = int(y[-1])
    history = pd.Series(v, index=y, name="series")
    nominal, real = _gdp_factors(ref, as_of_year)
    try:
        pred = predictive_from_reference(ref, history, list(range(1, H + 1)), origin=origin, factor=nominal,
                                         real_factor=real, break_years=breaks)  # the series' own breaks
    except FactorModelError:
        return None
    n = int(pred.n_usable[0])
    notes = [f"GDP panel vintage {ref.vintage}; {n} usable annual deviation(s) from the panel's common growth"
             + (f" (China's growth after {ref.vintage})" if as_of_year > ref.vintage else "")]
    if breaks:
        notes.append(f"break(s) in {', '.join(map(str, breaks))} bridged: the annual change into a break year "
                     "is not used")
    used = tuple(int(t) for t in y[y > origin - ref.lookback])
    return marginal_from_predictive(
        pred, 0, "log", float(np.exp(pred.base_log[0])), origin, cls.name,
        f"panel common factor ({'/'.join(sorted(set(ref.centre_rule)))} rule) + pooled deviation, "
        f"GDP panel vintage {ref.vintage} (resampled residuals)", used, "; ".join(notes),
        {"vintage": ref.vintage, "usable_steps": n, "centre_rule": list(ref.centre_rule),
         "factor_window": np.asarray(ref.factor_window).tolist(),
         "sigma_common": np.asarray(pred.sigma_common[0]).tolist(), "centre": np.asarray(pred.centre[0]).tolist()})


def gdp_panel_marginal(years: Any, values: Any, segments: Any, peers: pd.DataFrame, as_of_year: int,
                       horizon: int) -> Marginal:
    """The GDP class fitted on the user's panel (``peers``: long ``region, year, value`` levels) as of
    ``as_of_year`` (:func:`~xiangxi_econ.probability.factor.fit_factor_model`, the full panel path): the
    series' deviations from the peers' common factor, pooled with their slopes and residuals."""
    from .factor import fit_factor_model, predictive_from_reference, reference_from_model, to_wide

    need = {"region", "year", "value"}
    if not isinstance(peers, pd.DataFrame) or not need <= set(peers.columns):
        raise ValueError(f"peers: expected a long DataFrame with columns {sorted(need)} (levels by region and year)")
    y = np.asarray(years, dtype=int)
    v = np.asarray(values, dtype=float)
    s = np.asarray(segments, dtype=int)
    keep = (y <= int(as_of_year)) & np.isfinite(v)
    y, v, s = y[keep], v[keep], s[keep]
    wide = to_wide(peers[peers["year"] <= int(as_of_year)])
    origin = int(min(int(as_of_year), int(wide.columns.max())))
    ref = reference_from_model(fit_factor_model(wide, origin))
    breaks = tuple(int(b) for b, prev, cur in zip(y[1:], s[:-1], s[1:], strict=True) if cur != prev)
    pred = predictive_from_reference(ref, pd.Series(v, index=y), list(range(1, int(horizon) + 1)), origin=int(y[-1]),
                                     break_years=breaks)
    n = int(pred.n_usable[0])
    return marginal_from_predictive(
        pred, 0, "log", float(np.exp(pred.base_log[0])), int(y[-1]), "gdp",
        f"peers' common factor + pooled deviation, fitted on {len(wide)} peer regions as of {origin}",
        tuple(int(t) for t in y[y > int(y[-1]) - ref.lookback]),
        f"{n} usable annual deviation(s) from the peers' common growth",
        {"vintage": origin, "usable_steps": n, "fitted_on": f"{len(wide)} peer regions"})


GROWTH_HORIZONS = (5, 4, 3, 2, 1)
"""Longest horizons tried, in order, when a growth model is fitted on ``peers`` [years]."""


_GROWTH_FITS: dict[tuple[int, str], tuple[Any, str]] = {}
"""Real-growth models fitted on peers, by (as-of year, digest of the peer rows used); the last 8."""


def _growth_reference(peers: pd.DataFrame | None, as_of_year: int) -> tuple[Any, str]:
    """The real-growth vintage: fitted on ``peers`` as of ``as_of_year`` (the longest horizons that have
    enough past vintages), else the shipped one of the latest vintage <= ``as_of_year``."""
    from .factor import (
        FactorModelError,
        fit_factor_model,
        growth_levels,
        load_reference_gdp,
        reference_from_model,
    )

    if peers is None:
        return load_reference_gdp(as_of_year, kind="gdp_growth"), "the shipped city panel"
    need = {"region", "year", "value"}
    if not isinstance(peers, pd.DataFrame) or not need <= set(peers.columns):
        raise ValueError(f"peers: expected a long DataFrame with columns {sorted(need)} (annual real growth in "
                         "percent by region and year)")
    cut = peers.loc[peers["year"] <= as_of_year, ["region", "year", "value"]]
    # the fit depends only on these rows: one fit per (as-of year, content), so many one-region calls
    # on the same peers (a backtest) screen and fit the panel once
    digest = hashlib.blake2b(pd.util.hash_pandas_object(cut, index=False).to_numpy().tobytes(),
                             digest_size=16).hexdigest()
    key = (int(as_of_year), digest)
    if key in _GROWTH_FITS:
        return _GROWTH_FITS[key]
    wide = cut.pivot_table(index="region", columns="year", values="value", aggfunc="first")
    levels = growth_levels(wide)
    last: FactorModelError | None = None
    for H in GROWTH_HORIZONS:
        try:
            model = fit_factor_model(levels, int(as_of_year), horizons=range(1, H + 1), break_years=(),
                                     min_regions=min(20, max(3, len(levels) // 2)))
        except FactorModelError as exc:
            last = exc
            continue
        if len(_GROWTH_FITS) >= 8:
            _GROWTH_FITS.pop(next(iter(_GROWTH_FITS)))
        _GROWTH_FITS[key] = (reference_from_model(model), f"{len(levels)} peer regions")
        return _GROWTH_FITS[key]
    assert last is not None
    raise last


def growth_marginal(years: Any, values_pct: Any, as_of_year: int, horizon: int,
                    peers: pd.DataFrame | None = None, series_class: str = "gdp_growth") -> Marginal:
    r"""The predictive :class:`Marginal` of a region's average annual real growth over the next
    1..``horizon`` years, from its annual real growth rates (the factor model's real side).

    .. math:: y_{o,h} = \frac1h \sum_{t=o+1}^{o+h} \ln(1 + \rho_t/100) = \bar r_o(L_h) + a_{h,n} + b_{h,n} D_o(n)
        + \sigma_c(h) Z + R_{h,n}

    the model of :mod:`~xiangxi_econ.probability.factor` on the real level index
    (:func:`~xiangxi_econ.probability.factor.growth_levels`): :math:`\bar r` the recent common real growth
    (the cities' median), :math:`D` the region's recent deviation from it, slopes, intercepts and
    residual grids pooled over the peers' past vintages. The value is the average growth in percent,
    :math:`100(e^{y} - 1)` (engine transform ``growth``): a target "average annual growth >= g %"
    over h years is met when :math:`y \ge \ln(1 + g/100)`.

    This is the hook for plan rows of kind growth (``calibration.target_marginal``): pass the row's
    history of annual real growth [%] and the years from the last known rate to the target year.

    Parameters
    ----------
    years, values_pct : array_like
        Years and annual real growth [%] (7.5 for 7.5 %); values after ``as_of_year`` are ignored.
    as_of_year : int
    horizon : int
        Years from the last rate at or before ``as_of_year`` [years].
    peers : DataFrame, optional
        Long ``region, year, value`` of peer regions' annual real growth [%]: the model is fitted on
        them as of ``as_of_year`` (the full panel path). Default: the shipped vintage of the city
        panel (``reference_gdp.json``, section ``growth_vintages``), the panel's common growth
        continued by China's real growth after the vintage.

    Raises
    ------
    ValueError
        No rate at or before ``as_of_year``; ``FactorModelError`` (a ``ValueError``) before the first
        vintage, with the reason.
    """
    from ..data.context import national_growth
    from .factor import predictive_from_reference, splice_factor

    y = np.asarray(years, dtype=int)
    v = np.asarray(values_pct, dtype=float)
    keep = (y <= int(as_of_year)) & np.isfinite(v)
    if not keep.any():
        raise ValueError(f"growth: no rate at or before {as_of_year}")
    if (v[keep] <= -100).any():
        raise ValueError("growth: rates must be above -100 %; expected percent (7.5 for 7.5 %)")
    y, v = y[keep], v[keep]
    ref, source = _growth_reference(peers, int(as_of_year))
    factor = None
    if peers is None and int(as_of_year) > ref.vintage:
        factor = splice_factor(ref.factor, national_growth("gdp_real_growth", as_of_year=int(as_of_year)),
                               ref.vintage)
    origin = int(y[-1])
    pred = predictive_from_reference(ref, _rate_levels(y, v), list(range(1, int(horizon) + 1)), origin=origin,
                                     factor=factor, break_years=())
    n = int(pred.n_usable[0])
    note = (f"real growth vintage {ref.vintage} fitted on {source}; {n} usable annual deviation(s) from the common "
            "real growth" + (f" (China's real growth after {ref.vintage})" if factor is not None else ""))
    if n < ref.window:  # a short history: say what stands in for the missing years
        note += ("; no usable own deviation: forecast from the peers alone (their common growth and pooled "
                 "residuals)" if n == 0 else
                 f"; short history ({n} of {ref.window} years): the peers' slope and residuals for {n} year(s)")
    return marginal_from_predictive(
        pred, 0, "growth", float(v[-1]), origin, series_class,
        f"common real growth ({'/'.join(sorted(set(ref.centre_rule)))} rule) + pooled deviation, "
        f"real-growth vintage {ref.vintage}", tuple(int(t) for t in y[y > origin - ref.lookback]), note,
        {"vintage": ref.vintage, "usable_steps": n, "fitted_on": source,
         "factor_window": np.asarray(ref.factor_window).tolist()})


def growth_predictive(peers: pd.DataFrame, as_of_year: int, regions: Any = None) -> Any:
    r"""One-year predictive of real growth for many regions at once, as of ``as_of_year`` (the batch
    path of :func:`growth_marginal` with ``peers``: one fit, one screening, every region).

    Parameters
    ----------
    peers : DataFrame
        Long ``region, year, value`` annual real growth [%]; rows after ``as_of_year`` are ignored.
    as_of_year : int
    regions : sequence, optional
        Regions to forecast (default: every region of ``peers`` with a rate at or before
        ``as_of_year``); each needs at least one rate.

    Returns
    -------
    (Predictive, ReferenceGDP)
        :class:`~xiangxi_econ.probability.factor.Predictive` with one row per region (horizon
        :math:`o - \text{last rate} + 1` for a region whose last rate is before the as-of year),
        :math:`P(g \ge T) = 1 - F(\ln(1 + T/100))`, the same numbers as one :func:`growth_marginal`
        call per region; and the fitted vintage.
    """
    from .factor import growth_levels, predictive_from_reference

    ref, _ = _growth_reference(peers, int(as_of_year))
    cut = peers.loc[peers["year"] <= int(as_of_year)]
    wide = cut.pivot_table(index="region", columns="year", values="value", aggfunc="first")
    if regions is not None:
        wide = wide.reindex(list(regions))
    empty = wide.index[wide.isna().all(axis=1)]
    if len(empty):
        raise ValueError(f"growth_predictive: no rate at or before {as_of_year} for {list(empty)[:5]}")
    levels = growth_levels(wide)
    return predictive_from_reference(ref, levels, [1], origin=int(as_of_year), break_years=()), ref


def _rate_levels(years: np.ndarray, pct: np.ndarray) -> pd.Series:
    """A real level index from annual rates by year (:func:`~xiangxi_econ.probability.factor.growth_levels`)."""
    from .factor import growth_levels

    frame = pd.DataFrame([pct], columns=[int(t) for t in years], index=["series"])
    return growth_levels(frame).iloc[0]


def _level_marginal(years, values, segments, cls: SeriesClass, as_of_year: int, H: int, window: int,
                    priors: Any) -> Marginal:
    from .priors import variance_h

    if cls.name == "gdp":
        m = _gdp_marginal(years, values, segments, cls, as_of_year, H)
        if m is not None:
            return m
    if priors is None:
        raise ValueError(f"class '{cls.name}' as of {as_of_year}: no vintage of the GDP panel's priors or reference "
                         "class uses only outcomes up to then")

    iv = comparable_intervals(years, values, segments, as_of_year, 2 * window)
    keep = (years <= as_of_year) & np.isfinite(values)
    origin, base = int(years[keep][-1]), float(values[keep][-1])
    hs = np.arange(1, H + 1)
    panel_var = variance_h(priors.var_common, hs)
    cf = common_factor(cls.factor or "gdp_nominal", as_of_year, H, panel_var, cls.fallback_factor)
    f = cf.growth
    notes = [cf.note] if cf.note else []
    if len(iv):
        own = np.log(iv["v1"].to_numpy(float) / iv["v0"].to_numpy(float))
        fac = np.array([_factor_over(f, int(a), int(b)) for a, b in zip(iv["start"], iv["end"], strict=True)])
        ok = np.isfinite(fac)
        span = iv["span"].to_numpy(float)[ok]
        dev_total = (own - fac)[ok]
        n = float(span.sum())
        D = float(dev_total.sum() / n) if n > 0 else 0.0
        d_k = dev_total / np.where(span > 0, span, 1)
        K = int(ok.sum())
        if K < len(iv):
            notes.append("intervals without national data left out of the deviation")
    else:
        n, D, K, d_k, span = 0.0, 0.0, 0, np.zeros(0), np.zeros(0)
    beta = priors.beta_h(hs) if n > 0 else np.zeros(H)
    s2 = (float(np.sum(span * (d_k - D) ** 2)) + PSEUDO_OBS * cls.annual_sd ** 2) / (max(K - 1, 0) + PSEUDO_OBS)
    if cls.name == "gdp":
        var_r = variance_h(priors.var_idio_peers, hs) + (beta ** 2 * s2 / n if n > 0 else 0.0)
        model = "national factor + GDP-panel persistence and spread (by vintage), log-normal mixture"
    else:
        var_r = s2 / hs + cls.drift_sd ** 2 + (beta ** 2 * s2 / n if n > 0 else s2)
        model = f"national factor ({cf.series}) + own deviation, class '{cls.name}'"
    centre = cf.centre + beta * D
    breaks = int(len(np.unique(segments[keep]))) - 1
    if breaks > 0 and n > 0:
        notes.append(f"{breaks} statistical break(s) bridged by growth within each segment")
    if n == 0:
        notes.append("no comparable interval: centre at the national factor, spread of a series without history")
    used = sorted(set(iv["start"].astype(int)) | set(iv["end"].astype(int))) or [origin]
    return Marginal(transform="log", base=base, origin=origin, centre=centre, sigma_common=cf.sigma,
                    dof=cf.dof, resid=_grid(np.sqrt(var_r)), limits=(0.0, math.inf), series_class=cls.name,
                    model=model, years_used=tuple(int(y) for y in used), note="; ".join(notes),
                    details={"deviation": D, "years_of_deviation": n, "factor_series": cf.series,
                             "factor_window": cf.window.tolist(), "factor_centre": cf.centre.tolist(),
                             "sigma_common": cf.sigma.tolist(), "persistence": np.asarray(beta).tolist(),
                             "sd_resid": np.sqrt(var_r).tolist(), "own_sd": math.sqrt(s2),
                             "factor_vintages": cf.n_vintages.tolist()})


# --------------------------------------------------------------------------- shares
def _pace_and_spread(iv: pd.DataFrame, conv, s0: float) -> tuple[float, float, float]:
    """Pace over the comparable intervals (converted by ``conv``) and pooled step variance [pp^2]."""
    span = iv["span"].to_numpy(float)
    k = float(span.sum())
    moves = conv(iv["v1"].to_numpy(float)) - conv(iv["v0"].to_numpy(float))
    pace = float(moves.sum() / k)
    steps_pp = (iv["v1"].to_numpy(float) - iv["v0"].to_numpy(float)) / span
    dbar_pp = float(np.sum(steps_pp * span) / k)
    ss = float(np.sum(span * (steps_pp - dbar_pp) ** 2))
    s2 = (ss + PSEUDO_OBS * s0 ** 2) / (max(len(iv) - 1, 0) + PSEUDO_OBS)
    return pace, s2, k


def _share_marginal(years, values, segments, cls: SeriesClass, as_of_year: int, H: int, window: int,
                    priors: Any, limits: tuple[float, float]) -> Marginal:
    iv = comparable_intervals(years, values, segments, as_of_year, 2 * window)
    keep = (years <= as_of_year) & np.isfinite(values)
    origin, base = int(years[keep][-1]), float(values[keep][-1])
    hs = np.arange(1, H + 1, dtype=float)
    lo, hi = limits
    zero = np.zeros(H)
    notes = []
    if cls.kind == "noisy_share":
        seg = segments[keep][-1]
        same = (segments[keep] == seg)
        recent = values[keep][same][-window:]
        m = len(recent)
        mean = float(recent.mean())
        own = float(np.sum((recent - mean) ** 2))
        s2 = (own + PSEUDO_OBS * cls.annual_sd ** 2) / (max(m - 1, 0) + PSEUDO_OBS)
        centre = (mean - base) / hs
        sd = np.sqrt(s2 * (1 + 1 / m)) / hs
        return Marginal("pp", base, origin, centre, zero, np.full(H, np.inf), _grid(sd), limits, cls.name,
                        f"no trend, mean of the last {m} values in the segment",
                        tuple(int(y) for y in years[keep][same][-window:]),
                        details={"mean": mean, "own_sd": math.sqrt(s2)})
    if len(iv) == 0:
        if cls.kind == "trending_share":
            raise ValueError("fewer than two comparable values (one statistical segment) to give the pace a "
                             "trending share needs")
        # no own pace: no change, the class's step spread, and a pace as uncertain as one step
        s0 = float(priors.share.get("volatility_pp", {}).get("slow" if cls.kind == "slow_share" else "medium",
                                                             cls.annual_sd))
        sd = np.sqrt(s0 ** 2 / hs + s0 ** 2)
        return Marginal("pp", base, origin, zero, zero, np.full(H, np.inf), _grid(sd), limits, cls.name,
                        "one value: no change, the class's step spread", (origin,),
                        "one value only: no own pace", details={"step_sd_pp": s0})
    used = tuple(sorted(set(iv["start"].astype(int)) | set(iv["end"].astype(int))))
    if origin not in used:
        notes.append(f"pace from {used[0]}-{used[-1]} (same basis), level from {origin} (after a break)")
    if cls.kind == "trending_share" and lo <= 0 < base < 100 and hi >= 100:
        from .reference_shares import trending_share_class, trending_share_forecast

        try:
            urban = trending_share_class(as_of_year)
        except ValueError:
            urban = None
        if urban is not None:
            pace_pp, s2, k = _pace_and_spread(iv, lambda x: x, cls.annual_sd)
            c_pp, sd_pp = trending_share_forecast(base, pace_pp, hs, urban)
            return Marginal("pp", base, origin, (c_pp - base) / hs, zero, np.full(H, np.inf), _grid(sd_pp / hs),
                            limits, cls.name, "logit of the share moving from its own pace toward the prefectures' "
                            "2010-2020 norm (UN urban-rural growth difference), census-estimated spread", used,
                            "; ".join(notes), details={"pace_pp": pace_pp, "years_of_pace": k,
                                                       "class": urban.describe()})
        def logit(x):
            x = np.clip(np.asarray(x, dtype=float), 1e-6, 100 - 1e-6)
            return np.log(x / (100 - x))
        pace, s2, k = _pace_and_spread(iv, logit, cls.annual_sd)
        slope = 100.0 / (base * (100.0 - base))
        sd = np.sqrt(s2 / hs + s2 / k) * slope
        return Marginal("logit", base, origin, np.full(H, pace), zero, np.full(H, np.inf), _grid(sd), limits,
                        cls.name, "logit of the share at its own pace (UN urban-rural growth difference), undamped",
                        used, "; ".join(notes),
                        details={"logit_pace": pace, "step_sd_pp": math.sqrt(s2), "years_of_pace": k})
    volatility = "slow" if cls.kind == "slow_share" else "medium"
    share = priors.share
    s0 = float(share.get("volatility_pp", {}).get(volatility, cls.annual_sd))
    damping = float(share.get("damping", {}).get(volatility, 1.0))
    pace, s2, k = _pace_and_spread(iv, lambda x: x, s0)
    sd = np.sqrt(s2 / hs + s2 / k)
    return Marginal("pp", base, origin, np.full(H, damping * pace), zero, np.full(H, np.inf), _grid(sd), limits,
                    cls.name, f"own pace in pp, damping {damping:.2f} ({volatility} class)", used, "; ".join(notes),
                    details={"pace_pp": pace, "damping": damping, "step_sd_pp": math.sqrt(s2), "years_of_pace": k})


def marginal(years: Any, values: Any, segments: Any, cls: SeriesClass, as_of_year: int, horizon: int,
             priors: Any, window: int = 5, limits: tuple[float, float] = (0.0, 100.0)) -> Marginal:
    """The predictive :class:`Marginal` of a series at horizons 1..``horizon`` from its last value.

    Parameters
    ----------
    years, values, segments : array_like
        The series by year, with the statistical segment of each value
        (:func:`~xiangxi_econ.rules.windows.segment`); values after ``as_of_year`` are ignored.
    cls : SeriesClass
    as_of_year : int
        Information year.
    horizon : int
        Years after the last value at or before ``as_of_year`` [years].
    priors : ForecastPriors
        The GDP panel's priors of the vintage (:func:`~xiangxi_econ.probability.priors.load_priors` with
        ``as_of_year``).
    window : int
        Years of history behind a deviation (levels); shares look back ``2 * window``.
    limits : (float, float)
        Bounds of a share or rate [unit].
    """
    y = np.asarray(years, dtype=int)
    v = np.asarray(values, dtype=float)
    s = np.asarray(segments, dtype=int)
    order = np.argsort(y)
    y, v, s = y[order], v[order], s[order]
    if int(horizon) < 1:
        raise ValueError(f"horizon must be at least one year; got {horizon}")
    if not ((y <= as_of_year) & np.isfinite(v)).any():
        raise ValueError(f"no value at or before {as_of_year}")
    if cls.kind == "level":
        if (v[np.isfinite(v)] <= 0).any():
            raise ValueError("levels must be positive")
        return _level_marginal(y, v, s, cls, int(as_of_year), int(horizon), int(window), priors)
    return _share_marginal(y, v, s, cls, int(as_of_year), int(horizon), int(window), priors, limits)
