r"""National (common) growth factor model for annual log levels of many regions.

One job: from a panel of regions' annual levels (e.g. prefecture nominal GDP) up to an origin year
:math:`o`, give each series' distribution :math:`h = 1..H` years ahead, with the common (national)
shock shared by every series so that joint statements are right. Everything a forecast as of
:math:`o` uses comes from data of years :math:`\le o`: the panel is cut at :math:`o` before anything
is computed, and every estimated number comes from past vintages whose outcomes fall in
:math:`o` or earlier.

Model
-----
Log levels :math:`\ell_{it} = \ln x_{it}`; annual growth :math:`g_{it} = \ell_{it} - \ell_{i,t-1}`
[log points per year]. A static one-factor decomposition (Stock & Watson 2002, 2016, with the
factor estimated by a robust cross-sectional statistic rather than principal components):

.. math:: g_{it} = f_t + d_{it}, \qquad f_t = \operatorname{median}_i g_{it}

over the regions with a usable :math:`g_{it}` (at least ``min_regions``), or the external
``national`` series where it is given (it takes precedence year by year).

The target is the average log growth over :math:`h` years,
:math:`y_{i,o,h} = (\ell_{i,o+h} - \ell_{io})/h`, split into the realised common part
:math:`C_{o,h}` (the cross-sectional median of :math:`y_{\cdot,o,h}`, or the mean of ``national``
over :math:`o+1..o+h` when it covers every year) and the region's future deviation
:math:`z_{i,o,h} = y_{i,o,h} - C_{o,h}`. The forecast is

.. math::

    \hat y_{i,o,h} = \underbrace{\bar f_o(L_h)}_{\text{recent common growth}}
        + \underbrace{a_{h,n} + b_{h,n} D_{i,o}(n)}_{\text{pooled deviation}}, \qquad
    y_{i,o,h} = \hat y_{i,o,h} + \sigma_c(h)\, Z + R_{i,h,n}

* :math:`\bar f_o` is the recent common growth, the best of a set of candidate rules by the mean
  squared factor error :math:`e_{o',h} = C_{o',h} - \bar f_{o'}` over past vintages
  :math:`o' + h \le o` on which every candidate is known (nested: chosen as of :math:`o` from data
  :math:`\le o`). Candidates: the mean of the last :math:`L` factor values (``"nominal"``,
  :math:`L` in ``factor_windows``) and, when the panel's real growth is given, the mean of the last
  :math:`L` common real growth values plus the mean of the last :math:`K` (``deflator_window``)
  common deflator values (``"real+deflator"``: real growth is persistent, the deflator reverts to
  its mean, see :func:`price_factors`). :math:`L_h` and the rule are stored per horizon.
* :math:`D_{i,o}(n)` is the mean of region :math:`i`'s last :math:`n` usable deviations
  :math:`d_{it}`, :math:`t \le o`, within ``2 * window`` years; :math:`n \le` ``window`` counts them.
  :math:`a_{h,n}, b_{h,n}` are the pooled least-squares intercept and slope of :math:`z` on
  :math:`D(n)` over past vintages (all regions; every region with :math:`m` usable steps also
  serves, truncated, for every :math:`n < m`). The slope is the empirical-Bayes shrinkage factor of
  Efron & Morris (1975): it falls with shorter (noisier) histories, so a region with one usable year
  is pulled almost entirely to what all regions did. :math:`n = 0` (no usable step): :math:`b = 0`.
* :math:`Z` is the common shock, one per draw, shared by every series and horizon;
  :math:`\sigma_c(h)^2` is the mean of the chosen rule's squared factor errors over all past
  vintages where it is known (the last ``common_vintages`` of them if given; bias included in the
  spread, not in the centre). ``common_tails="normal"`` (the default): :math:`Z \sim N(0, 1)`;
  ``"student"``: :math:`Z` is Student t with :math:`\nu_h = \max(n_{\rm eff}, 2)` degrees of freedom,
  :math:`n_{\rm eff} = 3nh/(2h^2+1)` for :math:`n` overlapping :math:`h`-year errors. On the city
  panel the Student tails widened the 5-year 90% interval by a factor 1.7 for a worse pinball
  loss in every origin group (``benchmarks/bench_panel_factor.py``), hence the normal default.
* :math:`R_{i,h,n}` is the idiosyncratic error: drawn uniformly from ``grid_size`` quantiles of the
  pooled past residuals :math:`z - a_{h,n} - b_{h,n}D(n)` (resampled residuals). Their spread is
  forced non-increasing in :math:`n` (a grid is widened about its median when a shorter history
  would otherwise look more precise), so the spread grows for a short usable history, e.g. one or
  two years since a statistical break.

The deviations and residuals use the last ``max_vintages`` past vintages :math:`o'` with :math:`o'+h \le o` (the
dispersion of Chinese city growth fell by a factor 3 between the 1990s and the 2010s: older vintages
would widen every interval). With fewer than ``min_vintages`` of them the fit refuses with
:class:`FactorModelError` saying why.

The predictive distribution of :math:`y` is a mixture of ``grid_size`` shifted copies of the common
shock's distribution :math:`F` (normal or Student t) with scale :math:`\sigma_c(h)`:

.. math:: P(y \le u) = \frac{1}{M}\sum_{k=1}^{M} F\!\left(\frac{u - \hat y - r_k}{\sigma_c(h)}\right),

so quantiles, probabilities and the joint probability that several series all exceed thresholds
(conditionally independent given :math:`Z`, integrated over :math:`Z`) are computed without
simulation. Level at the target year: :math:`x_{i,o+h} = x_{io}\exp(h\,y_{i,o,h})`.

Screening
---------
A value whose log change from the previous year exceeds ``max_abs_step`` (0.5: a factor 1.65 up or
0.61 down) is a unit slip or a boundary change and is set to missing (both steps around it drop).
Annual changes into a statistical-break year (economic-census revisions 2004, 2008, 2013, 2018 by
default) are not used as history: neither in the factor nor in the deviations, unless the panel's
real growth is given (``real_growth``): then a break year's nominal step is bridged as the region's
real growth plus that year's common deflator :math:`\pi_t` (a census revision moves the level, not
the growth at comparable prices), so histories keep their length across a break. Outcomes are scored
as published (a census revision inside the forecast window is part of the forecast error, which the
spread learns from past vintages).

Units: growth in log points per year; levels in the panel's unit.

References
----------
Stock, J. H. and Watson, M. W. (2002), "Forecasting using principal components from a large number
of predictors", JASA 97; (2016), "Dynamic factor models, factor-augmented vector autoregressions,
and structural vector autoregressions in macroeconomics", Handbook of Macroeconomics 2A.
Efron, B. and Morris, C. (1975), "Data analysis using Stein's estimator and its generalizations",
JASA 70. Gneiting, T. and Raftery, A. E. (2007), "Strictly proper scoring rules, prediction, and
estimation", JASA 102 (pinball / quantile score). Tashman, L. (2000), "Out-of-sample tests of
forecasting accuracy: an analysis and review", IJF 16 (rolling origins).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

import numpy as np
import pandas as pd
from scipy import special

__all__ = [
    "CENSUS_BREAK_YEARS",
    "DEFAULT_QUANTILES",
    "MAX_ABS_LOG_STEP",
    "FactorModel",
    "FactorModelError",
    "Predictive",
    "ReferenceGDP",
    "annual_log_growth",
    "common_factor",
    "fit_factor_model",
    "growth_levels",
    "pinball_loss",
    "price_factors",
    "load_reference_gdp",
    "predictive_from_reference",
    "random_walk_median_quantiles",
    "read_reference_gdp",
    "reference_from_model",
    "reference_record",
    "screen_levels",
    "splice_factor",
    "to_wide",
]

CENSUS_BREAK_YEARS: tuple[int, ...] = (2004, 2008, 2013, 2018)
"""Years of China's economic-census level revisions: the annual change into them is not history."""
MAX_ABS_LOG_STEP = 0.5
"""A value more than this away from the previous year's in log points is a unit slip [log points]."""
DEFAULT_QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
DEFLATOR_WINDOW = 8
"""Years in the common deflator's mean of the real-plus-deflator centre (about two price cycles)."""
BREAK_DEFLATOR_TOL = 0.1
"""A region whose implied deflator is further than this from the year's median has a level break [log points]."""

Histories = Union[pd.DataFrame, pd.Series, Mapping[Any, pd.Series]]


class FactorModelError(ValueError):
    """The factor model cannot be fitted or applied: the message names the origin, the horizon and
    what is missing (e.g. too few past vintages with outcomes up to the origin)."""


# --------------------------------------------------------------------------- panel helpers
def to_wide(panel: pd.DataFrame, region: str = "region", year: str = "year", value: str = "value") -> pd.DataFrame:
    """A regions x years frame of positive levels (float, integer year columns, NaN for missing).

    ``panel`` is either already wide (integer-like year columns) or long with columns ``region``,
    ``year`` and ``value``. Non-positive values become missing.
    """
    if {region, year, value} <= set(panel.columns):
        wide = panel.pivot_table(index=region, columns=year, values=value, aggfunc="first")
    else:
        wide = panel.copy()
    try:
        wide.columns = pd.Index([int(c) for c in wide.columns])
    except (TypeError, ValueError) as exc:
        raise FactorModelError(
            f"panel: expected year columns or long columns '{region}', '{year}', '{value}'; "
            f"got columns {list(panel.columns)[:6]}") from exc
    wide = wide.sort_index(axis=1).astype(float)
    return wide.where(wide > 0)


def screen_levels(wide: pd.DataFrame, max_abs_step: float = MAX_ABS_LOG_STEP) -> pd.DataFrame:
    """Set to missing every value whose log change from the previous year exceeds ``max_abs_step``.

    The value after the jump is dropped, so a one-year unit slip loses both steps around it and a
    permanent boundary change loses one. Uses only years t-1 and t for the value of year t.
    """
    logs = np.log(wide)
    bad = logs.diff(axis=1).abs() > max_abs_step
    return wide.mask(bad)


def annual_log_growth(wide: pd.DataFrame, break_years: Sequence[int] = CENSUS_BREAK_YEARS,
                      max_abs_step: float = MAX_ABS_LOG_STEP) -> pd.DataFrame:
    """Screened annual log growth :math:`g_{it} = \\ln x_{it} - \\ln x_{i,t-1}` [log points per year].

    Missing where either year is missing, where a value is a unit slip (:func:`screen_levels`), where
    the years are not consecutive columns, and in ``break_years`` (the change into a break year).
    """
    logs = np.log(screen_levels(wide, max_abs_step))
    years = np.asarray(logs.columns, dtype=int)
    steps = logs.diff(axis=1)
    consecutive = np.r_[False, np.diff(years) == 1]
    drop = ~consecutive | np.isin(years, np.asarray(break_years, dtype=int))
    steps.loc[:, drop] = np.nan
    return steps


def _national_series(national: Mapping[int, float] | pd.Series | None) -> pd.Series:
    if national is None:
        return pd.Series(dtype=float)
    s = pd.Series(national, dtype=float)
    s.index = pd.Index([int(y) for y in s.index])
    return s.dropna().sort_index()


def common_factor(steps: pd.DataFrame, national: Mapping[int, float] | pd.Series | None = None,
                  min_regions: int = 20) -> pd.Series:
    """The common factor :math:`f_t` by year [log points per year].

    The cross-sectional median of ``steps`` in year t over regions with a value, when at least
    ``min_regions`` have one; the ``national`` annual log growth where given (it wins); else NaN.
    """
    counts = steps.notna().sum(axis=0)
    med = steps.median(axis=0, skipna=True).where(counts >= min_regions)
    f = med.astype(float)
    nat = _national_series(national)
    if len(nat):
        f = f.reindex(f.index.union(nat.index))
        f.loc[nat.index] = nat.to_numpy()
    f.index = pd.Index([int(y) for y in f.index])
    return f.sort_index()


def pinball_loss(y: Any, q: Any, probs: Sequence[float] = DEFAULT_QUANTILES) -> np.ndarray:
    """Pinball (quantile) loss averaged over ``probs`` (Gneiting & Raftery 2007).

    ``y`` has shape (...), ``q`` shape (..., len(probs)); returns shape (...) in the unit of ``y``
    (log points when both are log levels): :math:`\\frac{1}{K}\\sum_k \\max(p_k e_k, (p_k - 1) e_k)`,
    :math:`e_k = y - q_k`.
    """
    p = np.asarray(probs, dtype=float)
    e = np.asarray(y, dtype=float)[..., None] - np.asarray(q, dtype=float)
    return np.maximum(p * e, (p - 1.0) * e).mean(axis=-1)


# --------------------------------------------------------------------------- baseline
def random_walk_median_quantiles(panel: pd.DataFrame, origin: int, horizons: Sequence[int] = (1, 2, 3, 4, 5),
                                 probs: Sequence[float] = DEFAULT_QUANTILES, window: int = 5,
                                 max_abs_step: float = MAX_ABS_LOG_STEP) -> pd.DataFrame:
    """Baseline rule: random walk with the cross-sectional median drift and its own past errors.

    As of ``origin`` :math:`o`, drift :math:`\\delta_o = \\operatorname{median}_i
    (\\ell_{io} - \\ell_{i,o-w})/w` over regions with both values (:math:`w` = ``window``) [log
    points per year]; the log level :math:`h` years ahead is
    :math:`\\ell_{io} + h\\delta_o + Q_h(p)` where :math:`Q_h` are the empirical quantiles (numpy's
    linear interpolation) of the rule's own errors
    :math:`\\ell_{i,o'+h} - \\ell_{io'} - h\\delta_{o'}` pooled over all regions and all past
    vintages :math:`o'` with :math:`o' + h \\le o` (and :math:`o' - w` in the panel).

    Unit slips are screened (:func:`screen_levels`); statistical breaks are not (a plain rule).

    Returns
    -------
    DataFrame
        Index: regions with a value in ``origin``; columns: MultiIndex (horizon, prob); values: log
        levels.
    """
    wide = screen_levels(to_wide(panel), max_abs_step)
    wide = wide.loc[:, wide.columns <= origin]
    logs = np.log(wide)
    years = list(logs.columns)

    def drift(o: int) -> float:
        if o not in years or o - window not in years:
            return float("nan")
        return float(np.nanmedian((logs[o] - logs[o - window]).to_numpy()) / window)

    if origin not in years:
        raise FactorModelError(f"random_walk_median_quantiles: no data for origin {origin}")
    d_o = drift(origin)
    if not np.isfinite(d_o):
        raise FactorModelError(f"random_walk_median_quantiles: origin {origin} needs values in {origin - window}")
    base = logs[origin].dropna()
    cols = {}
    for h in horizons:
        errs = []
        for o in years:
            if o + h > origin:
                continue
            d = drift(o)
            if np.isfinite(d):
                e = (logs[o + h] - logs[o]).to_numpy() - h * d
                errs.append(e[np.isfinite(e)])
        pool = np.concatenate(errs) if errs else np.empty(0)
        if pool.size == 0:
            raise FactorModelError(
                f"random_walk_median_quantiles: origin {origin}, horizon {h}: no past vintage with outcome "
                f"<= {origin} and {window} years of history before it")
        qs = np.quantile(pool, probs)
        for p, qv in zip(probs, qs, strict=True):
            cols[(int(h), float(p))] = base.to_numpy() + h * d_o + qv
    out = pd.DataFrame(cols, index=base.index)
    out.columns = pd.MultiIndex.from_tuples(list(cols), names=["horizon", "prob"])
    return out


# --------------------------------------------------------------------------- model
@dataclass(frozen=True)
class Predictive:
    """Predictive distributions of the average log growth for each (series, horizon).

    Attributes (arrays of shape (n_series, n_horizons) unless noted)
    ----------
    series : list
        Series labels, in row order.
    horizons : ndarray, shape (n_horizons,)
        Years after the origin [years].
    base_log : ndarray, shape (n_series,)
        Log level of the last usable observation at or before the origin.
    span : ndarray of int
        Years from that observation to the target year [years] (= horizon when it is the origin).
    centre : ndarray
        :math:`\\hat y`, centre of the average log growth [log points per year].
    sigma_common : ndarray
        :math:`\\sigma_c` of the shared shock [log points per year].
    resid : ndarray, shape (n_series, n_horizons, M)
        Sorted idiosyncratic residual grid :math:`r_k` [log points per year].
    n_usable : ndarray of int, shape (n_series,)
        Usable annual steps behind the deviation (0..window).
    common_dof : ndarray
        Degrees of freedom of the Student-t common shock (inf: normal).
    key : ndarray of int
        Index of the (horizon, usable steps) parameter set: equal keys, equal shape of
        :math:`y - \\hat y`.
    """

    series: list
    horizons: np.ndarray
    base_log: np.ndarray
    span: np.ndarray
    centre: np.ndarray
    sigma_common: np.ndarray
    resid: np.ndarray
    n_usable: np.ndarray
    common_dof: np.ndarray
    key: np.ndarray

    def _common_cdf(self, z: np.ndarray) -> np.ndarray:
        dof = self.common_dof.reshape(self.common_dof.shape + (1,) * (z.ndim - self.common_dof.ndim))
        return np.where(np.isfinite(dof), special.stdtr(np.where(np.isfinite(dof), dof, 1.0), z), special.ndtr(z))

    def common_quantile(self, v: Any) -> np.ndarray:
        """Standardised common shock :math:`Z = F^{-1}(v)` for probabilities ``v`` (1-d), shape
        (n_series, n_horizons, len(v)): normal, or Student t with ``common_dof`` degrees of freedom."""
        v = np.asarray(v, dtype=float)
        dof = self.common_dof[..., None]
        t = special.stdtrit(np.where(np.isfinite(dof), dof, 1.0), v)
        return np.where(np.isfinite(dof), t, special.ndtri(v))

    def cdf_growth(self, u: Any) -> np.ndarray:
        """:math:`P(y \\le u)` for average log growth ``u`` broadcast to (n_series, n_horizons)."""
        u = np.broadcast_to(np.asarray(u, dtype=float), self.centre.shape)
        z = (u[..., None] - self.centre[..., None] - self.resid) / self.sigma_common[..., None]
        return self._common_cdf(z).mean(axis=-1)

    def quantiles_growth(self, probs: Sequence[float]) -> np.ndarray:
        """Quantiles of the average log growth, shape (n_series, n_horizons, n_probs), by bisection
        on the mixture CDF [log points per year]. The shape of :math:`y - \\hat y` depends only on
        (horizon, usable steps), so each distinct shape is inverted once."""
        p = np.asarray(probs, dtype=float)
        keys, first, inverse = np.unique(self.key.ravel(), return_index=True, return_inverse=True)
        r = self.resid.reshape(-1, self.resid.shape[-1])[first]  # (K, M)
        s = self.sigma_common.ravel()[first]
        dof = self.common_dof.ravel()[first]
        fin = np.isfinite(dof)
        zmax = np.where(fin, special.stdtrit(np.where(fin, dof, 1.0), 1 - 1e-9), 6.0)
        lo = np.repeat((r[:, 0] - zmax * s)[:, None], p.size, axis=1)
        hi = np.repeat((r[:, -1] + zmax * s)[:, None], p.size, axis=1)
        dof3 = np.where(fin, dof, 1.0)[:, None, None]
        fin3 = fin[:, None, None]
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            z = (mid[..., None] - r[:, None, :]) / s[:, None, None]
            cdf = np.where(fin3, special.stdtr(dof3, z), special.ndtr(z)).mean(axis=-1)
            below = cdf < p
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
        offset = 0.5 * (lo + hi)
        return self.centre[..., None] + offset[inverse].reshape(self.centre.shape + p.shape)

    def to_log_level(self, growth: np.ndarray) -> np.ndarray:
        """Log level at the target year from average growth of shape (n_series, n_horizons, ...)."""
        extra = (None,) * (growth.ndim - 2)
        return self.base_log[(slice(None), None) + extra] + self.span[(...,) + extra] * growth


@dataclass(frozen=True)
class FactorModel:
    """A fitted common-factor model as of ``origin`` (see the module notes for the equations).

    Build with :func:`fit_factor_model`. Arrays are indexed by horizon position (``horizons``) and
    number of usable steps ``n = 0..window``.

    Attributes
    ----------
    origin : int
    horizons : tuple of int
        Fitted horizons 1..H [years].
    window : int
        Most usable steps in a deviation :math:`D(n)` [years].
    factor : Series
        :math:`f_t` for years <= origin [log points per year].
    factor_window : ndarray of int, shape (H,)
        Chosen :math:`L_h` [years].
    factor_centre : ndarray, shape (H,)
        :math:`\\bar f_o(L_h)` [log points per year].
    sigma_common : ndarray, shape (H,)
        :math:`\\sigma_c(h)` [log points per year].
    intercept, slope : ndarray, shape (H, window + 1)
        :math:`a_{h,n}` [log points per year] and :math:`b_{h,n}` [1].
    resid : ndarray, shape (H, window + 1, M)
        Sorted quantile grids of past residuals [log points per year].
    n_vintages : ndarray of int, shape (H,)
        Past vintages used per horizon.
    break_years, max_abs_step, lookback :
        Screening used for histories.
    info : dict
        Diagnostics (vintages used, factor errors, regression sizes).
    """

    origin: int
    horizons: tuple[int, ...]
    window: int
    factor: pd.Series
    factor_window: np.ndarray
    factor_centre: np.ndarray
    sigma_common: np.ndarray
    common_dof: np.ndarray
    intercept: np.ndarray
    slope: np.ndarray
    resid: np.ndarray
    n_vintages: np.ndarray
    break_years: tuple[int, ...]
    max_abs_step: float
    lookback: int
    info: Mapping[str, Any] = field(default_factory=dict)
    centre_rule: tuple[str, ...] = ()
    deflator_window: int = DEFLATOR_WINDOW

    # -- preparing histories
    @staticmethod
    def _histories_frame(histories: Histories, origin: int) -> pd.DataFrame:
        if isinstance(histories, pd.Series):
            wide = histories.to_frame().T
        elif isinstance(histories, pd.DataFrame):
            wide = histories
        else:
            wide = pd.DataFrame({k: v for k, v in histories.items()}).T
        wide = to_wide(wide)
        return wide.loc[:, wide.columns <= origin]

    def _histories(self, histories: Histories) -> pd.DataFrame:
        return self._histories_frame(histories, self.origin)

    def predictive(self, histories: Histories, horizons: Sequence[int] | int | None = None) -> Predictive:
        """Predictive distributions for ``histories`` at ``horizons`` years after the origin.

        Parameters
        ----------
        histories : DataFrame (series x years), Series (one series by year) or mapping of Series
            Positive levels; values after the origin are ignored. Screened like the panel (unit
            slips, changes into ``break_years``); pass a series cut at its own break to use only
            the segment after it.
        horizons : int or sequence of int, optional
            Years after the origin (default: all fitted horizons). A series whose last usable value
            is before the origin is forecast over the longer span, which must be fitted.
        """
        wide = self._histories(histories)
        hs = np.atleast_1d(np.asarray(self.horizons if horizons is None else horizons, dtype=int))
        logs = np.log(screen_levels(wide, self.max_abs_step))
        lv = logs.to_numpy()
        has = np.isfinite(lv)
        if not has.any(axis=1).all():
            missing = list(logs.index[~has.any(axis=1)])[:5]
            raise FactorModelError(f"factor model as of {self.origin}: no usable level at or before the "
                                   f"origin for {missing}")
        last_col = lv.shape[1] - 1 - np.argmax(has[:, ::-1], axis=1)
        last_year = np.asarray(logs.columns, dtype=int)[last_col]
        base_log = lv[np.arange(len(lv)), last_col]
        span = (self.origin - last_year)[:, None] + hs[None, :]
        fitted = np.asarray(self.horizons)
        if (span < 1).any() or (span > fitted.max()).any():
            bad = int(span.max()) if (span > fitted.max()).any() else int(span.min())
            raise FactorModelError(
                f"factor model as of {self.origin}: a span of {bad} years from the last observation is outside "
                f"the fitted horizons {fitted.min()}..{fitted.max()} (refit with more horizons; none is "
                "extrapolated)")
        steps = annual_log_growth(wide, self.break_years, self.max_abs_step)
        dev = (steps - self.factor.reindex(steps.columns)).to_numpy()
        # the deviation window ends at each series' last observation
        D = np.zeros(len(wide))
        n = np.zeros(len(wide), dtype=int)
        cols = np.asarray(steps.columns, dtype=int)
        for j, ly in enumerate(last_year):
            sel = (cols <= ly) & (cols > ly - self.lookback)
            vals = dev[j, sel]
            vals = vals[np.isfinite(vals)][-self.window:]
            n[j] = vals.size
            D[j] = vals.mean() if vals.size else 0.0
        hi = span - 1  # horizon index (fitted horizons are 1..H)
        centre = self.factor_centre[hi] + self.intercept[hi, n[:, None]] + self.slope[hi, n[:, None]] * D[:, None]
        return Predictive(series=list(wide.index), horizons=hs, base_log=base_log, span=span,
                          centre=centre, sigma_common=self.sigma_common[hi],
                          resid=self.resid[hi, n[:, None]], n_usable=n, common_dof=self.common_dof[hi],
                          key=hi * (self.window + 1) + n[:, None])

    def quantiles(self, histories: Histories, horizons: Sequence[int] | int | None = None,
                  probs: Sequence[float] = DEFAULT_QUANTILES, log: bool = False) -> np.ndarray:
        """Quantiles of the level at origin + h, shape (n_series, n_horizons, n_probs) (log levels
        with ``log=True``). Exact for the normal-mixture predictive (no simulation)."""
        pred = self.predictive(histories, horizons)
        q = pred.to_log_level(pred.quantiles_growth(probs))
        return q if log else np.exp(q)


# --------------------------------------------------------------------------- fitting
def _last_n_mean(block: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: mean of the last ``n`` finite values of ``block`` and whether there are n of them."""
    avail = np.isfinite(block)
    rank = np.cumsum(avail[:, ::-1], axis=1)[:, ::-1]  # finite values at or after the column
    take = avail & (rank <= n)
    cnt = take.sum(axis=1)
    s = np.where(take, block, 0.0).sum(axis=1)
    ok = cnt == n
    return np.where(ok, s / np.maximum(cnt, 1), np.nan), ok


_Row = tuple[int, np.ndarray, float, np.ndarray]


def _vintage_rows(lx: np.ndarray, years: np.ndarray, cand: np.ndarray, cy: np.ndarray, nat: pd.Series,
                  origin: int, h: int, min_regions: int) -> list[_Row]:
    """Past vintages o' (o' + h <= origin): (o', outcomes y, realised common growth C, candidate centres as of o').

    ``cand`` has shape (n_candidates, len(cy)): each candidate rule's centre as of year ``cy``."""
    col = {int(y): j for j, y in enumerate(years)}
    ccol = {int(y): j for j, y in enumerate(cy)}
    nan = np.full(cand.shape[0], np.nan)
    rows = []
    for o in years:
        if o + h > origin or o + h not in col:
            continue
        y = (lx[:, col[o + h]] - lx[:, col[o]]) / h
        ok = np.isfinite(y)
        if ok.sum() < min_regions:
            continue
        win = np.arange(o + 1, o + h + 1)
        C = float(nat.loc[win].mean()) if len(nat) and np.isin(win, nat.index).all() else float(np.median(y[ok]))
        fm = cand[:, ccol[int(o)]] if int(o) in ccol else nan
        rows.append((int(o), y, C, fm))
    return rows


def _common_vintages(rows: list[_Row], n_candidates: int, min_vintages: int) -> tuple[list[int], list[_Row]]:
    """Centre candidates (positions) and the vintages on which all of them are known. Candidates known on
    fewer than ``min_vintages`` vintages are dropped; then, while fewer than ``min_vintages`` vintages are
    common to all, the candidate known on the fewest vintages (the one needing the longest history) is."""
    known = np.array([[bool(np.isfinite(r[3][j])) for j in range(n_candidates)] for r in rows]).reshape(
        len(rows), n_candidates)
    counts = known.sum(axis=0)
    Ls = [j for j in range(n_candidates) if counts[j] >= min_vintages]
    common = [r for r, k in zip(rows, known, strict=True) if k[Ls].all()] if Ls else []
    while Ls and len(common) < min_vintages and len(Ls) > 1:
        Ls.remove(min(Ls, key=lambda j: (counts[j], -j)))
        common = [r for r, k in zip(rows, known, strict=True) if k[Ls].all()]
    return Ls, common


def _trailing_means(values: np.ndarray, L: int, min_count: int | None = None) -> np.ndarray:
    """Per position t: mean of the last ``L`` finite values at or before t; with fewer than ``L`` of
    them, the mean of those there are when at least ``min_count`` (default ``L``), else NaN."""
    need = L if min_count is None else min(int(min_count), L)
    fin = np.isfinite(values)
    c = np.r_[0.0, np.cumsum(np.where(fin, values, 0.0))]
    k = np.r_[0, np.cumsum(fin)]
    out = np.full(values.size, np.nan)
    idx = np.flatnonzero(fin)
    for t in range(values.size):
        cnt = int(k[t + 1])
        if cnt < need:
            continue
        m = min(cnt, L)
        first = int(idx[cnt - m])  # position of the m-th last finite value
        out[t] = (c[t + 1] - c[first]) / m
    return out


def _fit_deviations(vint: list[_Row], dev: np.ndarray, years: np.ndarray, window: int, lookback: int,
                    grid_size: int, min_regions: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Pooled regressions of the future deviation on the mean of the last n usable past deviations,
    n = 0..window: intercepts, slopes, residual quantile grids (spread non-increasing in n), sizes."""
    xs: list[list[np.ndarray]] = [[] for _ in range(window + 1)]
    zs: list[list[np.ndarray]] = [[] for _ in range(window + 1)]
    for o, y, C, _ in vint:
        block = dev[:, (years <= o) & (years > o - lookback)]
        zf = y - C
        fin = np.isfinite(zf)
        xs[0].append(np.zeros(int(fin.sum())))
        zs[0].append(zf[fin])
        for n in range(1, window + 1):
            D, ok = _last_n_mean(block, n)
            ok &= fin
            xs[n].append(D[ok])
            zs[n].append(zf[ok])
    levels = (np.arange(grid_size) + 0.5) / grid_size
    a = np.zeros(window + 1)
    b = np.zeros(window + 1)
    grid = np.zeros((window + 1, grid_size))
    sds = np.zeros(window + 1)
    sizes = []
    for n in range(window + 1):
        x = np.concatenate(xs[n])
        z = np.concatenate(zs[n])
        sizes.append(int(z.size))
        if z.size < 2 * min_regions:
            # too few regions with n usable steps: the parameters of n - 1
            a[n], b[n], grid[n], sds[n] = a[n - 1], b[n - 1], grid[n - 1], sds[n - 1]
            continue
        if n > 0 and np.var(x) > 0:
            b[n] = float(np.cov(x, z, bias=True)[0, 1] / np.var(x))
        a[n] = float(z.mean() - b[n] * x.mean())
        e = z - a[n] - b[n] * x
        grid[n] = np.quantile(e, levels)
        sds[n] = float(e.std())
    # a shorter history never looks more precise than a longer one
    for n in range(window - 1, -1, -1):
        if 0 < sds[n] < sds[n + 1]:
            med = np.median(grid[n])
            grid[n] = med + (grid[n] - med) * (sds[n + 1] / sds[n])
            sds[n] = sds[n + 1]
    return a, b, grid, sizes


def price_factors(wide: pd.DataFrame, real_growth: pd.DataFrame, max_abs_step: float = MAX_ABS_LOG_STEP,
                  min_regions: int = 20, tol: float = BREAK_DEFLATOR_TOL) -> tuple[pd.Series, pd.Series]:
    """Common real growth :math:`r_t` and common deflator growth :math:`\\pi_t` by year [log points per year].

    :math:`r_t = \\operatorname{median}_i \\rho_{it}` with :math:`\\rho_{it}` the real (comparable-price)
    log growth; the implied deflator is :math:`p_{it} = g^{raw}_{it} - \\rho_{it}` with the slip-screened
    nominal step :math:`g^{raw}` (break years included), and :math:`\\pi_t` is the median of
    :math:`p_{it}` over the regions without a level break that year, i.e. within ``tol`` of the
    year's median implied deflator (a census revision moves the nominal level, not the real growth).
    NaN where fewer than ``min_regions`` regions have the values.
    """
    raw = annual_log_growth(wide, (), max_abs_step)
    real = real_growth.reindex(index=raw.index, columns=raw.columns).astype(float)
    imp = raw - real
    med = imp.median(axis=0, skipna=True)
    clean = imp.where((imp - med).abs() <= tol)
    pi = clean.median(axis=0, skipna=True).where(clean.notna().sum(axis=0) >= min_regions)
    r = real.median(axis=0, skipna=True).where(real.notna().sum(axis=0) >= min_regions)
    return r.astype(float), pi.astype(float)


def _real_panel(real_growth: pd.DataFrame | None, origin: int) -> pd.DataFrame | None:
    if real_growth is None:
        return None
    real = real_growth.copy()
    try:
        real.columns = pd.Index([int(c) for c in real.columns])
    except (TypeError, ValueError) as exc:
        raise FactorModelError(
            f"real_growth: expected integer year columns, got {list(real_growth.columns)[:6]}") from exc
    return real.loc[:, real.columns <= origin].astype(float)


def fit_factor_model(panel: pd.DataFrame, origin: int, *, national: Mapping[int, float] | pd.Series | None = None,
                     real_growth: pd.DataFrame | None = None,
                     horizons: Sequence[int] = (1, 2, 3, 4, 5), window: int = 5,
                     factor_windows: Sequence[int] = (1, 2, 3, 4, 5, 6, 8), deflator_window: int = DEFLATOR_WINDOW,
                     max_vintages: int = 10, common_vintages: int | None = None, common_tails: str = "normal",
                     min_vintages: int = 3, break_years: Sequence[int] = CENSUS_BREAK_YEARS,
                     max_abs_step: float = MAX_ABS_LOG_STEP, grid_size: int = 100,
                     min_regions: int = 20) -> FactorModel:
    """Fit the common-factor model as of ``origin`` on a panel of levels (only years <= origin used).

    Parameters
    ----------
    panel : DataFrame
        Regions x years of positive levels, or long ``region, year, value`` (see :func:`to_wide`).
    origin : int
        The forecast origin :math:`o`; every value after it is discarded before anything else.
    national : mapping or Series, optional
        Annual log growth of the national aggregate by year [log points per year]; used as
        :math:`f_t` where given and, when it covers a whole outcome window, as its realised common
        growth.
    real_growth : DataFrame, optional
        Regions x years real (comparable-price) log growth :math:`\\rho_{it} = \\ln(1 + \\text{pct}/100)`
        [log points per year], same region labels as ``panel``. When given, the changes into
        ``break_years`` are bridged (:math:`\\rho_{it} + \\pi_t`, see :func:`price_factors`) instead of
        dropped, and the real-plus-deflator centres join the candidates.
    horizons : sequence of int
        Horizons to fit, must be 1..H [years].
    window : int
        Most usable annual steps in a region's deviation [years].
    factor_windows : sequence of int
        Candidate :math:`L` for the recent common (or common real) growth [years].
    deflator_window : int
        :math:`K`, years of the common deflator's mean in the real-plus-deflator centre [years].
    max_vintages, min_vintages : int
        Most recent past vintages used per horizon for the deviations and residuals, and the fewest
        accepted.
    common_vintages : int, optional
        Most recent past vintages for the centre choice and :math:`\\sigma_c` (default: all).
    common_tails : {"student", "normal"}
        Distribution of the common shock.
    break_years, max_abs_step :
        Screening (see :func:`annual_log_growth`).
    grid_size : int
        Points :math:`M` of each residual quantile grid.
    min_regions : int
        Fewest regions for a cross-sectional median (factor, realised common growth).

    Raises
    ------
    FactorModelError
        When a horizon has fewer than ``min_vintages`` past vintages with outcomes <= origin.
    """
    hs = tuple(int(h) for h in horizons)
    if hs != tuple(range(1, len(hs) + 1)):
        raise FactorModelError(f"horizons must be 1..H, got {hs}")
    if common_tails not in ("student", "normal"):
        raise FactorModelError(f"common_tails must be 'student' or 'normal', got {common_tails!r}")
    wide = to_wide(panel)
    wide = wide.loc[:, wide.columns <= origin]
    if wide.shape[1] == 0 or wide.columns.max() < origin:
        raise FactorModelError(f"factor model as of {origin}: the panel has no data for {origin}")
    logs = np.log(screen_levels(wide, max_abs_step))
    steps = annual_log_growth(wide, break_years, max_abs_step)
    years = np.asarray(steps.columns, dtype=int)
    real = _real_panel(real_growth, origin)
    if real is not None:
        r_ser, pi_ser = price_factors(wide, real, max_abs_step, min_regions)
        brk = np.isin(years, np.asarray(break_years, dtype=int))
        rr = real.reindex(index=steps.index, columns=steps.columns).to_numpy()
        bridged = steps.to_numpy().copy()
        bridged[:, brk] = rr[:, brk] + pi_ser.to_numpy()[brk]
        steps = pd.DataFrame(bridged, index=steps.index, columns=steps.columns)
    nat = _national_series(national)
    f_years = sorted(set(years) | set(nat.index[nat.index <= origin]))
    f_ser = common_factor(steps, national, min_regions).reindex(f_years)
    f_ser = f_ser[f_ser.index <= origin]
    fy = np.asarray(f_ser.index, dtype=int)
    fv = f_ser.to_numpy(dtype=float)
    dev = (steps - f_ser.reindex(years).to_numpy()).to_numpy()
    L_all = sorted(set(int(v) for v in factor_windows))
    # candidate centres as of every year: (rule, L) -> trailing means
    rules: list[tuple[str, int]] = [("nominal", L) for L in L_all]
    cand = [_trailing_means(fv, L) for L in L_all]
    if real is not None:
        rv = r_ser.reindex(fy).to_numpy(dtype=float)
        pv = pi_ser.reindex(fy).to_numpy(dtype=float)
        pk = _trailing_means(pv, int(deflator_window), min_count=3)
        for L in L_all:
            rules.append(("real+deflator", L))
            cand.append(_trailing_means(rv, L) + pk)
    C_all = np.vstack(cand)
    lx = logs.to_numpy()
    lookback = 2 * window
    H = len(hs)
    factor_window = np.zeros(H, dtype=int)
    factor_centre = np.zeros(H)
    sigma_common = np.zeros(H)
    common_dof = np.full(H, np.inf)
    centre_rule: list[str] = []
    intercept = np.zeros((H, window + 1))
    slope = np.zeros((H, window + 1))
    resid = np.zeros((H, window + 1, grid_size))
    n_vint = np.zeros(H, dtype=int)
    info: dict[str, Any] = {"vintages": {}, "factor_errors": {}, "n_obs": {}, "centre_mse": {}}
    if real is not None:
        info["real_factor"] = r_ser[r_ser.index <= origin]
        info["deflator"] = pi_ser[pi_ser.index <= origin]

    for hi, h in enumerate(hs):
        rows = _vintage_rows(lx, years, C_all, fy, nat, origin, h, min_regions)
        Ls, common = _common_vintages(rows, len(rules), min_vintages)
        cvint = common if common_vintages is None else common[-common_vintages:]
        vint = rows[-max_vintages:]
        if not Ls or len(cvint) < min_vintages or len(vint) < min_vintages:
            raise FactorModelError(
                f"factor model as of {origin}, horizon {h}: {len(cvint)} past vintages with an outcome in "
                f"{origin} or earlier and a known common factor before them, {min_vintages} needed (first "
                f"panel year {years.min()}); use a later origin or a longer panel")
        errs = np.array([[r[2] - r[3][j] for j in Ls] for r in cvint])
        mse = (errs ** 2).mean(axis=0)
        best = int(np.argmin(mse))
        rule, L = rules[Ls[best]]
        centre_rule.append(rule)
        factor_window[hi] = L
        factor_centre[hi] = float(C_all[Ls[best], -1])
        if not np.isfinite(factor_centre[hi]):
            raise FactorModelError(f"factor model as of {origin}, horizon {h}: the chosen centre ({rule}, L={L}) "
                                   f"is not known at the origin")
        # the spread of the chosen rule's errors on every past vintage where it is known
        known = [r for r in rows if np.isfinite(r[3][Ls[best]])]
        known = known if common_vintages is None else known[-common_vintages:]
        e_best = np.array([r[2] - r[3][Ls[best]] for r in known])
        sigma_common[hi] = max(float(np.sqrt((e_best ** 2).mean())), 1e-6)
        # effective number of past factor errors: windows of h years overlap; for a mean of squared
        # h-year sums the variance inflates by about (2h^2 + 1) / 3h (Bartlett), so n_eff = 3nh / (2h^2 + 1)
        n_eff = 3 * len(known) * h / (2 * h * h + 1)
        common_dof[hi] = max(n_eff, 2.0) if common_tails == "student" else np.inf
        n_vint[hi] = len(vint)
        info["vintages"][h] = [r[0] for r in vint]
        info["factor_errors"][h] = dict(zip([r[0] for r in known], e_best.round(5).tolist(), strict=True))
        info["centre_mse"][h] = {f"{rules[j][0]} L={rules[j][1]}": float(v) for j, v in zip(Ls, mse, strict=True)}
        intercept[hi], slope[hi], resid[hi], n_obs = _fit_deviations(vint, dev, years, window, lookback,
                                                                     grid_size, min_regions)
        info["n_obs"][h] = n_obs
    return FactorModel(origin=int(origin), horizons=hs, window=int(window), factor=f_ser,
                       factor_window=factor_window, factor_centre=factor_centre, sigma_common=sigma_common,
                       common_dof=common_dof,
                       intercept=intercept, slope=slope, resid=resid, n_vintages=n_vint,
                       break_years=tuple(int(y) for y in break_years), max_abs_step=float(max_abs_step),
                       lookback=lookback, info=info, centre_rule=tuple(centre_rule),
                       deflator_window=int(deflator_window))


# --------------------------------------------------------------------------- shipped reference class
REFERENCE_GDP_FILE = "reference_gdp.json"
REFERENCE_FILE_NAME = REFERENCE_GDP_FILE
"""The GDP reference class by vintage, shipped in ``xiangxi_econ/data`` (built by
``data/build_reference_gdp.py`` from the prefecture city panel)."""


@dataclass(frozen=True)
class ReferenceGDP:
    """One vintage of the GDP reference class: the factor model fitted as of ``vintage`` on the
    prefecture city panel, with only outcomes <= ``vintage`` (see the module notes for the symbols).

    Arrays are indexed by horizon position (``horizons`` = 1..H) and usable steps ``n = 0..window``.

    Attributes
    ----------
    vintage : int
        The origin of the fit: every number comes from panel years <= it.
    horizons : tuple of int
        1..H [years].
    window, lookback : int
        Most usable steps in a deviation, and the years searched for them [years].
    centre_rule : tuple of str
        Per horizon, ``"nominal"`` (mean of the last :math:`L_h` factor values) or
        ``"real+deflator"`` (mean of the last :math:`L_h` common real growth values plus the mean of
        the last ``deflator_window`` common deflator values).
    factor_window : ndarray of int, shape (H,)
        :math:`L_h` [years].
    deflator_window : int
        :math:`K` [years].
    factor_centre, sigma_common, common_dof : ndarray, shape (H,)
        The panel's centre :math:`\\bar f` as of the vintage and :math:`\\sigma_c(h)` [log points per
        year]; degrees of freedom of the common shock (inf: normal).
    intercept, slope : ndarray, shape (H, window + 1)
        :math:`a_{h,n}` [log points per year], :math:`b_{h,n}` [1].
    resid : ndarray, shape (H, window + 1, M)
        Residual quantile grids at the midpoint levels :math:`(k + 1/2)/M` [log points per year].
    n_vintages : ndarray of int, shape (H,)
        Past vintages behind the deviations and residuals.
    factor, real_factor, deflator : Series
        The panel's common nominal growth :math:`f_t`, real growth :math:`r_t` and deflator
        :math:`\\pi_t` by year <= vintage [log points per year].
    break_years : tuple of int
        Years whose annual change is not history (unless bridged).
    max_abs_step : float
        Unit-slip screen [log points].
    """

    vintage: int
    horizons: tuple[int, ...]
    window: int
    lookback: int
    centre_rule: tuple[str, ...]
    factor_window: np.ndarray
    deflator_window: int
    factor_centre: np.ndarray
    sigma_common: np.ndarray
    common_dof: np.ndarray
    intercept: np.ndarray
    slope: np.ndarray
    resid: np.ndarray
    n_vintages: np.ndarray
    factor: pd.Series
    real_factor: pd.Series
    deflator: pd.Series
    break_years: tuple[int, ...]
    max_abs_step: float

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> ReferenceGDP:
        """From one vintage record of ``reference_gdp.json`` (``null`` degrees of freedom: normal)."""
        def ser(d: Mapping[str, Any]) -> pd.Series:
            s = pd.Series({int(k): float(v) for k, v in d.items()}, dtype=float)
            return s.sort_index()

        dof = np.array([np.inf if v is None else float(v) for v in rec["common_dof"]])
        return cls(vintage=int(rec["origin"]), horizons=tuple(int(h) for h in rec["horizons"]),
                   window=int(rec["window"]), lookback=int(rec["lookback"]),
                   centre_rule=tuple(str(r) for r in rec["centre_rule"]),
                   factor_window=np.asarray(rec["factor_window"], dtype=int),
                   deflator_window=int(rec["deflator_window"]),
                   factor_centre=np.asarray(rec["factor_centre"], dtype=float),
                   sigma_common=np.asarray(rec["sigma_common"], dtype=float), common_dof=dof,
                   intercept=np.asarray(rec["intercept"], dtype=float), slope=np.asarray(rec["slope"], dtype=float),
                   resid=np.asarray(rec["resid"], dtype=float), n_vintages=np.asarray(rec["n_vintages"], dtype=int),
                   factor=ser(rec["factor"]), real_factor=ser(rec["real_factor"]), deflator=ser(rec["deflator"]),
                   break_years=tuple(int(y) for y in rec["break_years"]), max_abs_step=float(rec["max_abs_step"]))


def reference_record(model: FactorModel) -> dict[str, Any]:
    """A fitted model as one JSON-ready vintage record (the inverse of :meth:`ReferenceGDP.from_record`);
    infinite degrees of freedom become ``None``, missing factor years are left out."""
    real_factor = model.info.get("real_factor")
    deflator = model.info.get("deflator")
    def ser(s: pd.Series | None) -> dict[str, float]:
        if s is None:
            return {}
        s = s.dropna()
        return {str(int(k)): float(v) for k, v in s.items()}

    return {
        "origin": int(model.origin), "horizons": [int(h) for h in model.horizons], "window": int(model.window),
        "lookback": int(model.lookback), "centre_rule": list(model.centre_rule),
        "factor_window": [int(v) for v in model.factor_window], "deflator_window": int(model.deflator_window),
        "factor_centre": model.factor_centre.tolist(), "sigma_common": model.sigma_common.tolist(),
        "common_dof": [None if not np.isfinite(v) else float(v) for v in model.common_dof],
        "intercept": model.intercept.tolist(), "slope": model.slope.tolist(), "resid": model.resid.tolist(),
        "n_vintages": [int(v) for v in model.n_vintages], "factor": ser(model.factor),
        "real_factor": ser(real_factor), "deflator": ser(deflator),
        "break_years": [int(y) for y in model.break_years], "max_abs_step": float(model.max_abs_step),
    }


@functools.lru_cache(maxsize=1)
def _shipped_reference() -> dict[str, Any]:
    """The shipped file, parsed once per process (it is read-only package data)."""
    import json
    from importlib import resources

    text = resources.files("xiangxi_econ").joinpath("data").joinpath(REFERENCE_GDP_FILE).read_text("utf-8")
    return json.loads(text)


def read_reference_gdp(path: Any = None) -> dict[str, Any]:
    """The whole reference file as a dict (metadata and ``vintages``); ``path`` defaults to the
    shipped ``xiangxi_econ/data/reference_gdp.json``."""
    import json

    if path is None:
        return _shipped_reference()
    else:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    data = json.loads(text)
    if "vintages" not in data or not data["vintages"]:
        raise FactorModelError(f"{REFERENCE_GDP_FILE}: no 'vintages' in the file")
    return data


REFERENCE_SECTIONS = {"gdp": "vintages", "gdp_growth": "growth_vintages"}
"""Sections of ``reference_gdp.json``: nominal GDP levels, and annual real GDP growth (the real side)."""


def load_reference_gdp(as_of_year: int, path: Any = None, kind: str = "gdp") -> ReferenceGDP:
    """The latest vintage of the GDP reference class whose origin is <= ``as_of_year``.

    ``kind="gdp"``: the model of nominal GDP levels; ``kind="gdp_growth"``: the same model on the
    real level index of the cities' annual real growth (:func:`growth_levels`), so that its average
    log growth over h years is the average real log growth.

    A forecast made as of year :math:`t` may only use parameters estimated from outcomes <= t; the
    vintage returned has origin :math:`v \\le t` and every number in it comes from panel years <= v.

    Raises
    ------
    FactorModelError
        When ``as_of_year`` is before the first vintage (the message names it and why there is none
        earlier).
    """
    if kind not in REFERENCE_SECTIONS:
        raise FactorModelError(f"load_reference_gdp: kind={kind!r}, expected one of {sorted(REFERENCE_SECTIONS)}")
    data = read_reference_gdp(path)
    section = data.get(REFERENCE_SECTIONS[kind]) or {}
    if not section:
        raise FactorModelError(f"load_reference_gdp: {REFERENCE_FILE_NAME}: no '{REFERENCE_SECTIONS[kind]}' in the "
                               "file (rebuild it with data/build_reference_gdp.py)")
    years = sorted(int(k) for k in section)
    t = int(as_of_year)
    usable = [v for v in years if v <= t]
    if not usable:
        reason = data.get("first_vintage_reason" if kind == "gdp" else "first_growth_vintage_reason",
                          "no earlier vintage was built")
        raise FactorModelError(
            f"load_reference_gdp: as_of_year={t} is before the first vintage {years[0]} of the "
            f"{'GDP' if kind == 'gdp' else 'real GDP growth'} reference class: {reason}")
    return ReferenceGDP.from_record(section[str(usable[-1])])


def reference_from_model(model: FactorModel) -> ReferenceGDP:
    """A fitted model as a :class:`ReferenceGDP` vintage (what the shipped file holds for the city
    panel), so a user's own panel (``peers``) and the shipped reference go through one path."""
    return ReferenceGDP.from_record(reference_record(model))


def growth_levels(growth_pct: pd.DataFrame) -> pd.DataFrame:
    """Regions x years real level index from annual real growth in percent [index, first year = 1].

    :math:`\\ell_{it} = \\sum_{s \\le t} \\ln(1 + \\rho_{is}/100)`, starting at 0 in the year before a
    region's first rate; a year without its rate has no level (so the steps into and out of it are
    missing and no step is invented), later years keep the sum of the known rates. The annual log
    growth of the index is the real log growth, so the factor model on it is the model of real
    growth (its average log growth over h years is the average real log growth).

    Raises
    ------
    FactorModelError
        When a rate is at or below -100 % (no level index).
    """
    pct = growth_pct.copy()
    pct.columns = pd.Index([int(c) for c in pct.columns])
    pct = pct.sort_index(axis=1).astype(float)
    if (pct <= -100).any().any():
        raise FactorModelError("growth_levels: a growth rate at or below -100 % has no level index; expected "
                               "annual growth in percent (7.5 for 7.5 %)")
    full = np.arange(int(pct.columns.min()) - 1, int(pct.columns.max()) + 1)
    pct = pct.reindex(columns=full)
    rho = np.log1p(pct.to_numpy() / 100.0)
    known = np.isfinite(rho)
    started = np.cumsum(known, axis=1) > 0
    logs = np.cumsum(np.where(known, rho, 0.0), axis=1)
    first = np.argmax(known, axis=1)  # the base year (level 0) is the year before the first rate
    has_base = np.zeros_like(known)
    rows = np.flatnonzero(known.any(axis=1))
    has_base[rows, np.maximum(first[rows] - 1, 0)] = first[rows] > 0
    ok = (known & started) | has_base
    return pd.DataFrame(np.where(ok, np.exp(logs), np.nan), index=pct.index, columns=full)


def splice_factor(panel: pd.Series, national: Mapping[int, float] | pd.Series | None, vintage: int,
                  overlap: int = 5) -> pd.Series:
    """The panel's common factor up to ``vintage``, continued after it by a national series.

    .. math:: \\tilde f_t = f_t \\;(t \\le v), \\qquad \\tilde f_t = n_t + \\bar\\Delta \\;(t > v),
        \\quad \\bar\\Delta = \\operatorname{mean}_{t \\in T}(f_t - n_t)

    with :math:`T` the last ``overlap`` years <= :math:`v` where both are known. The deviations
    and the centre of a stored vintage were estimated against the panel's factor (the median
    prefecture), not against China's aggregate, which grew at a different pace; the offset keeps a
    region's deviation on the scale the slopes were fitted on [log points per year].
    """
    f = _national_series(panel)
    f = f[f.index <= int(vintage)]
    nat = _national_series(national)
    later = nat[nat.index > int(vintage)]
    if len(later) == 0:
        return f
    both = (f - nat).dropna()
    both = both[both.index <= int(vintage)].tail(int(overlap))
    offset = float(both.mean()) if len(both) else 0.0
    return pd.concat([f, later + offset]).sort_index()


def _series_arg(s: Mapping[int, float] | pd.Series | None) -> pd.Series | None:
    return None if s is None else _national_series(s)


def predictive_from_reference(ref: ReferenceGDP, histories: Histories, horizons: Sequence[int] | int | None = None,
                              *, origin: int | None = None, factor: Mapping[int, float] | pd.Series | None = None,
                              real_factor: Mapping[int, float] | pd.Series | None = None,
                              centre: float | Sequence[float] | None = None,
                              sigma_common: float | Sequence[float] | None = None,
                              break_years: Sequence[int] | None = None) -> Predictive:
    """:class:`Predictive` for arbitrary series from a stored vintage of the GDP reference class.

    .. math:: \\hat y_{i,o,h} = \\bar f_o(h) + a_{h,n} + b_{h,n} D_{i,o}(n), \\qquad
        y = \\hat y + \\sigma_c(h) Z + R_{h,n}

    with :math:`a, b, R` and (unless given) :math:`\\sigma_c` from ``ref``.

    Parameters
    ----------
    ref : ReferenceGDP
        From :func:`load_reference_gdp` (take the vintage <= the forecast origin).
    histories : DataFrame (series x years), Series or mapping of Series
        Positive levels (e.g. nominal GDP); values after ``origin`` are ignored.
    horizons : int or sequence of int, optional
        Years after ``origin`` (default ``ref.horizons``). Beyond the stored H (5) the h = H
        parameters are used: the distribution of the *average* growth stays the 5-year one, so the
        spread of the log level grows in proportion to the span (``span * y``). This assumes that
        average-growth errors do not shrink beyond five years, which is what the panel shows from
        h = 1 to 5 (common errors are persistent regimes, not independent annual shocks); it is
        wider than a random walk's :math:`\\sqrt{h}` and deliberately so.
    origin : int, optional
        Forecast origin :math:`o` (default ``ref.vintage``); may be later than the vintage.
    factor : Series or mapping year -> value, optional
        Common (national) annual nominal log growth by year [log points per year], e.g. China's
        nominal GDP :math:`\\ln(Y_t / Y_{t-1})`. It gives the deviations :math:`d_{it} = g_{it} - f_t`
        and the centre by the stored rule (mean of its last :math:`L_h` values <= ``origin``, or,
        for ``"real+deflator"``, the mean of the last :math:`L_h` values of ``real_factor`` plus the
        mean of the last :math:`K` values of ``factor - real_factor``). Default: the panel's own
        factor stored in ``ref`` (it ends at the vintage) and the panel's centre ``ref.factor_centre``.
    real_factor : Series or mapping, optional
        National real log growth [log points per year]; needed with ``factor`` when a horizon's rule
        is ``"real+deflator"`` (else give ``centre``).
    centre : float or sequence (per horizon), optional
        :math:`\\bar f_o(h)` supplied by the caller [log points per year]; overrides the rule.
    sigma_common : float or sequence (per horizon), optional
        :math:`\\sigma_c(h)` supplied by the caller [log points per year]; default the stored one
        (the spread of the panel factor's past errors).
    break_years : sequence of int, optional
        Break years of the histories (default the panel's, ``ref.break_years``).

    Raises
    ------
    FactorModelError
        When the centre cannot be formed from the series given (too few values before ``origin``,
        ``real_factor`` missing for a ``"real+deflator"`` horizon), or a history has no level.
    """
    o = ref.vintage if origin is None else int(origin)
    hs = np.atleast_1d(np.asarray(ref.horizons if horizons is None else horizons, dtype=int))
    if (hs < 1).any():
        raise FactorModelError(f"predictive_from_reference: horizons must be >= 1, got {hs.tolist()}")
    f = ref.factor if factor is None else _series_arg(factor)
    r = ref.real_factor if factor is None else _series_arg(real_factor)
    assert f is not None
    f = f[f.index <= o]
    H = len(ref.horizons)
    fc = np.zeros(H)
    for hi in range(H):
        L = int(ref.factor_window[hi])
        if centre is not None:
            fc[hi] = np.broadcast_to(np.asarray(centre, dtype=float), (H,))[hi]
            continue
        if factor is None:  # the panel's own centre as of the vintage (its series end there)
            fc[hi] = ref.factor_centre[hi]
            continue
        if ref.centre_rule[hi] == "nominal":
            vals = f.dropna().to_numpy()
            if vals.size < L:
                raise FactorModelError(f"predictive_from_reference: horizon {hi + 1} needs the last {L} factor "
                                       f"values up to {o}, got {vals.size}")
            fc[hi] = vals[-L:].mean()
        else:
            if r is None:
                raise FactorModelError(
                    f"predictive_from_reference: horizon {hi + 1} uses the rule 'real+deflator': give real_factor "
                    "(national real log growth) with factor, or give centre")
            rr = r[r.index <= o].dropna()
            defl = (f - r).dropna()
            defl = defl[defl.index <= o]
            K = int(ref.deflator_window)
            if rr.size < L or defl.size < min(3, K):
                raise FactorModelError(
                    f"predictive_from_reference: horizon {hi + 1} needs the last {L} real growth values and at "
                    f"least {min(3, K)} deflator values up to {o}; got {rr.size} and {defl.size}")
            fc[hi] = rr.to_numpy()[-L:].mean() + defl.to_numpy()[-K:].mean()
    sc = ref.sigma_common if sigma_common is None else np.broadcast_to(np.asarray(sigma_common, dtype=float), (H,))
    # extend to the longest span needed with the h = H parameters (see ``horizons``)
    wide = FactorModel._histories_frame(histories, o)
    logs = np.log(screen_levels(wide, ref.max_abs_step))
    has = np.isfinite(logs.to_numpy())
    last = np.where(has.any(axis=1), np.asarray(logs.columns, dtype=int)[
        has.shape[1] - 1 - np.argmax(has[:, ::-1], axis=1)], o) if has.size else np.full(len(wide), o)
    need = int(max(H, int(hs.max()) + int((o - np.min(last)) if len(last) else 0)))
    idx = np.minimum(np.arange(need), H - 1)
    model = FactorModel(origin=o, horizons=tuple(range(1, need + 1)), window=ref.window, factor=f,
                        factor_window=ref.factor_window[idx], factor_centre=fc[idx], sigma_common=np.asarray(sc)[idx],
                        common_dof=ref.common_dof[idx], intercept=ref.intercept[idx], slope=ref.slope[idx],
                        resid=ref.resid[idx], n_vintages=ref.n_vintages[idx],
                        break_years=ref.break_years if break_years is None else tuple(int(y) for y in break_years),
                        max_abs_step=ref.max_abs_step, lookback=ref.lookback,
                        centre_rule=tuple(ref.centre_rule[i] for i in idx), deflator_window=ref.deflator_window)
    return model.predictive(wide, [int(h) for h in hs])
