r"""Predictive distribution of an annual series: one region's forecast, its fans and scores.

With ``series_class=`` the forecast is the plan engine's for a series of that reference class
(:mod:`~xiangxi_econ.probability.series_classes`, :mod:`~xiangxi_econ.probability.target_models`:
China's growth as the common factor, the series' deviation pooled with its class) — the distribution
:func:`~xiangxi_econ.simulate` gives a target of that class. Without it, the single-series
deceleration model of :mod:`~xiangxi_econ.probability.priors`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .._display import ResultBase, charts, num
from .priors import (
    KINDS,
    PATH_QUANTILES,
    PERCENT_UNITS,
    PINBALL_QUANTILES,
    ForecastPriors,
    level_params,
    load_priors,
    reliability_from_panel,
    share_params,
    variance_h,
    year_effect_common_variance,
)

__all__ = ["Forecast", "PanelBacktest", "backtest_panel", "forecast"]

def _check_index(series: pd.Series) -> np.ndarray:
    if not isinstance(series, pd.Series):
        raise TypeError(f"series: expected a pandas Series of values indexed by year, e.g. "
                        f"pd.Series(values, index=range(2016, 2021)); got {type(series).__name__}")
    idx = series.index
    if isinstance(idx, pd.DatetimeIndex | pd.PeriodIndex):
        raise ValueError(f"series: index is {type(idx).__name__}; expected integer years "
                         "(use series.index = series.index.year)")
    try:
        years = np.asarray(idx, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"series: index {list(idx[:3])!r}... is not numeric; expected integer years") from None
    if len(years) and not np.all(years == np.round(years)):
        bad = years[years != np.round(years)][:3].tolist()
        raise ValueError(f"series: index holds non-integer years {bad}; expected one value per calendar year")
    years = years.astype(int)
    if len(np.unique(years)) != len(years):
        dup = sorted({int(y) for y in years if (years == y).sum() > 1})
        raise ValueError(f"series: duplicate years {dup}; expected one value per year")
    if np.any(np.diff(years) < 0):
        raise ValueError("series: index is not sorted; expected increasing years (use series.sort_index())")
    return years


def _infer_kind(series: pd.Series, kind: str | None) -> str:
    if kind is None:
        unit = str(series.attrs.get("unit", "")).strip().lower()
        return "share" if unit in PERCENT_UNITS else "level"
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r}: expected one of {KINDS} (or None for 'level')")
    return kind


def _select(series: pd.Series, years: np.ndarray, as_of_year: int | None, to_year: int,
            window: int) -> tuple[np.ndarray, np.ndarray]:
    """Years and values used: the window before the origin, extended to one earlier point."""
    values = np.asarray(series, dtype=float)
    if as_of_year is None:
        as_of_year = int(years[-1])
    if as_of_year < years[0]:
        raise ValueError(f"as_of_year={as_of_year} is before the first observation ({years[0]}); "
                         "expected a year the series covers")
    if to_year <= as_of_year:
        raise ValueError(f"to_year={to_year} must be after as_of_year={as_of_year}")
    keep = years <= as_of_year
    years, values = years[keep], values[keep]
    finite = np.isfinite(values)
    if finite.sum() < 2:
        raise ValueError(f"series: {int(finite.sum())} value(s) at or before as_of_year={as_of_year}; "
                         "expected at least 2 to compute a growth rate")
    origin = years[finite][-1]
    in_window = (years >= origin - window) & (years <= origin)
    missing = years[in_window & ~finite]
    if len(missing):
        raise ValueError(f"series: missing values (NaN) in {missing.tolist()} inside the window "
                         f"{origin - window}-{origin} used for the forecast; fill or drop them")
    used = in_window & finite
    if used.sum() < 2:
        used[np.flatnonzero(finite & ~in_window)[-1]] = True
    return years[used], values[used]


# --------------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False, repr=False)
class Forecast(ResultBase):
    """Predictive distribution of one annual series at ``to_year`` (from :func:`forecast`).

    Attributes
    ----------
    kind : str
        ``"level"``, ``"share"`` or ``"rate"``.
    origin_year, to_year, as_of_year : int
        Last observation used, target year, information cut-off.
    horizon : int
        ``to_year - origin_year`` [years].
    base_value : float
        Value at ``origin_year`` [series unit].
    years_used : tuple of int
        Years of the observations used.
    own_rate : float
        Levels: own average log growth over the used span [log points per year]; shares: own pace
        [pp per year].
    centre_rate : float
        Levels: mean average log growth to ``to_year`` [log points per year]; shares: damped pace
        [pp per year].
    sd : float
        Levels: sd of the average log growth [log points per year]; shares: sd of the value at
        ``to_year`` before clipping [pp].
    weight : float
        Shrink weight on the own deviation from peers (1 without peers) [1].
    draws : numpy.ndarray
        ``n_draws`` simulated values at ``to_year`` [series unit].
    history : pandas.Series
        The series as given, up to ``as_of_year`` (drawn under the fan).
    unit : str
        ``series.attrs['unit']`` where given.
    model : str
        Model description.
    details : dict
        Variance components and peer statistics.
    priors : ForecastPriors
    """

    kind: str
    origin_year: int
    to_year: int
    as_of_year: int
    horizon: int
    base_value: float
    years_used: tuple[int, ...]
    own_rate: float
    centre_rate: float
    sd: float
    weight: float
    draws: np.ndarray
    model: str
    details: Mapping[str, Any]
    priors: ForecastPriors
    name: str = ""
    seed: int = 0
    _z: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _path_mu: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _path_sd: np.ndarray = field(default_factory=lambda: np.zeros(0))
    history: pd.Series | None = None
    unit: str = ""
    _marginal: Any = None

    def _transform(self, x: np.ndarray) -> np.ndarray:
        if self.kind == "level":
            return np.exp(x)
        return np.clip(x, 0.0, 100.0)

    def marginal(self) -> Any:
        """This forecast as the probability engine's :class:`~xiangxi_econ.probability.target_models.Marginal`:
        normal before the monotone map (``log`` for levels, ``pp`` clipped to 0-100 otherwise), no
        common shock of its own."""
        from scipy import special

        from .target_models import GRID, Marginal

        if self._marginal is not None:
            return self._marginal
        h = np.arange(1, self.horizon + 1, dtype=float)
        grid = special.ndtri((np.arange(GRID) + 0.5) / GRID)
        if self.kind == "level":
            centre = (self._path_mu - math.log(self.base_value)) / h
            transform, limits = "log", (0.0, math.inf)
        else:
            centre = (self._path_mu - self.base_value) / h
            transform, limits = "pp", (0.0, 100.0)
        return Marginal(transform=transform, base=float(self.base_value), origin=int(self.origin_year),
                        centre=np.asarray(centre, float), sigma_common=np.zeros(self.horizon),
                        dof=np.full(self.horizon, np.inf), resid=(self._path_sd / h)[:, None] * grid[None, :],
                        limits=limits, series_class="forecast", model=self.model, years_used=self.years_used)

    def _targets(self, h: np.ndarray, thresholds: Any = None, at_most: Any = None) -> Any:
        from .engine import TargetSet

        m = self.marginal()
        n = len(h)
        thr = np.full(n, np.nan) if thresholds is None else np.broadcast_to(np.asarray(thresholds, float), (n,))
        side = np.zeros(n, bool) if at_most is None else np.broadcast_to(np.asarray(at_most, bool), (n,))
        return TargetSet.from_marginals([str(self.name)] * n, [m] * n, h, thr, side)

    def quantiles(self, qs: Any = PATH_QUANTILES) -> pd.Series:
        """Quantiles of the value at ``to_year`` [series unit], indexed by q, exact (the normal quantiles
        mapped through the monotone transform by the probability engine)."""
        qs = np.atleast_1d(np.asarray(qs, dtype=float))
        if np.any((qs <= 0) | (qs >= 1)):
            raise ValueError(f"qs={qs.tolist()}: expected probabilities strictly between 0 and 1")
        values = self._targets(np.array([self.horizon])).quantiles(qs)[0]
        return pd.Series(values, index=pd.Index(qs, name="quantile"), name=self.to_year)

    def probability(self, x: float, bound: str = "at_least") -> float:
        """Probability that the value at ``to_year`` is at or above (``"at_least"``) or at or below
        (``"at_most"``) ``x`` [fraction], exact (the probability engine)."""
        if bound not in ("at_least", "at_most"):
            raise ValueError(f"bound={bound!r}: expected 'at_least' or 'at_most'")
        x = float(x)
        if not math.isfinite(x):
            raise ValueError(f"x={x!r}: expected a finite value in the series' unit")
        ts = self._targets(np.array([self.horizon]), [x], [bound == "at_most"])
        return float(ts.probability()[0])

    def path_quantiles(self, qs: Any = PATH_QUANTILES) -> pd.DataFrame:
        """Quantiles [series unit] for every year from ``origin_year`` to ``to_year`` (rows) and each q
        (columns); the origin row is the observed value, the last row equals :meth:`quantiles`."""
        qs = np.atleast_1d(np.asarray(qs, dtype=float))
        h = np.arange(1, self.horizon + 1)
        out = self._targets(h).quantiles(qs)
        years = np.arange(self.origin_year + 1, self.to_year + 1)
        frame = pd.DataFrame(out, index=pd.Index(years, name="year"), columns=qs)
        first = pd.DataFrame([[self.base_value] * len(qs)], index=pd.Index([self.origin_year], name="year"),
                             columns=qs)
        return pd.concat([first, frame])

    def _frame(self) -> pd.DataFrame:
        """Path quantiles in long form: ``year, quantile, value``."""
        return (self.path_quantiles().rename_axis(columns="quantile").stack().rename("value").reset_index())

    def _plot(self, ax: Any = None, observed: pd.Series | None = None) -> Any:
        """Fan chart (:func:`xiangxi_econ.face.plotting.plot_forecast`); returns the Axes."""
        plot_forecast = charts().plot_forecast

        return plot_forecast(self, ax=ax, observed=observed)

    def _summary(self, lang: str = "en") -> str:
        """Reproducible text: model, data used, priors with their provenance, quantiles."""
        unit = "log points/yr" if self.kind == "level" else "pp/yr"
        prov = self.priors.provenance
        q = self.quantiles()
        if self._marginal is not None:
            from .series_classes import CLASSES

            cls = CLASSES.get(self._marginal.series_class)
            source = f"Reference class '{self._marginal.series_class}': {cls.estimated_on if cls else ''}"
        else:
            source = (f"Priors: {prov.get('script', '?')} on {prov.get('panel', '?')}, "
                      f"origins {prov.get('origins', '?')}, window {self.priors.window_years} years")
        lines = [
            f"Forecast of {self.name or 'series'} ({self.kind}) for {self.to_year}, as of {self.as_of_year}",
            f"Model: {self.model}",
            f"Data used: {len(self.years_used)} points, years {', '.join(map(str, self.years_used))}; "
            f"origin {self.origin_year} value {num(self.base_value)}; horizon {self.horizon} years",
            f"Own rate {self.own_rate:.4f} {unit}; centre {self.centre_rate:.4f} {unit}; "
            f"sd {self.sd:.4f} {'log points/yr' if self.kind == 'level' else 'pp'}; shrink weight {self.weight:.3f}",
            "Variance parts: " + ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                                           for k, v in self.details.items()),
            source,
            f"Draws: {len(self.draws)}, seed {self.seed}",
            "",
            "Quantiles at " + str(self.to_year) + ": "
            + ", ".join(f"q{int(round(k * 100)):02d}={num(v)}" for k, v in q.items()),
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        q = self.quantiles((0.05, 0.5, 0.95)).to_numpy()
        return (f"Forecast({self.name or 'series'}, {self.kind}, {self.origin_year}->{self.to_year}: "
                f"median {num(q[1])}, 90% [{num(q[0])}, {num(q[2])}])")

    def _repr_html_(self) -> str:
        import html

        table = self.path_quantiles().to_html(border=0, float_format=num)
        return f"<pre>{html.escape(self.summary())}</pre>{table}"


# --------------------------------------------------------------------------- peers
def _peer_stats(peers: pd.DataFrame, first_year: int, origin_year: int, window: int, horizon: int,
                priors: ForecastPriors) -> dict[str, Any]:
    """Peers' mean growth, reliability and year-effect common variance, data <= origin_year only."""
    need = {"region", "year", "value"}
    if not isinstance(peers, pd.DataFrame) or not need <= set(peers.columns):
        raise ValueError(f"peers: expected a DataFrame with columns {sorted(need)}")
    p = peers[peers["year"] <= origin_year]
    wide = p.pivot_table(index="region", columns="year", values="value", aggfunc="first")
    if (wide <= 0).any().any():
        raise ValueError("peers: values must be positive levels")
    cols = list(range(first_year, origin_year + 1))
    block = wide.reindex(columns=cols).dropna()
    if len(block) < 3:
        raise ValueError(f"peers: {len(block)} regions with values in every year {first_year}-{origin_year}; "
                         "expected at least 3")
    logs = np.log(block.to_numpy())
    span = origin_year - first_year
    m = float(np.mean((logs[:, -1] - logs[:, 0]) / span))
    rel, tau2, s2 = reliability_from_panel(logs)
    if not np.isfinite(rel):
        rel = priors.reliability_ref
    year_effects = np.log(wide).diff(axis=1).mean(axis=0)
    vc = year_effect_common_variance(year_effects, window, horizon, float(priors.drift_h(horizon)))
    return {"m_peers": m, "reliability": rel, "tau2": tau2, "s2": s2, "var_common_peers": vc,
            "n_peers": len(block)}


# --------------------------------------------------------------------------- API
def forecast(series: pd.Series, to_year: int, as_of_year: int | None = None, kind: str | None = None,
             peers: pd.DataFrame | None = None, priors: Any = None, n_draws: int = 20000, seed: int = 0,
             limits: tuple[float, float] | None = None, volatility: str = "medium",
             window: int | None = None, series_class: str | None = None) -> Forecast:
    """Predictive distribution of an annual series at ``to_year``.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by integer calendar year, sorted, gaps allowed [levels: any positive unit;
        shares and rates: percent, 0–100].
    to_year : int
        Target calendar year.
    as_of_year : int, optional
        Information cut-off: only observations with year <= ``as_of_year`` are used (default: the
        last year). The origin is the last non-missing observation at or before it.
    kind : {'level', 'share', 'rate'}, optional
        ``None`` means ``'share'`` when ``series.attrs['unit']`` is a percent unit (``%``,
        ``percent``, ``pct``, ``pp``) and ``'level'`` otherwise: pass ``kind`` for shares.
    peers : pandas.DataFrame, optional
        Long ``region, year, value`` levels of comparable regions: own growth is shrunk toward
        their mean (levels only); their year effects give a common-shock variance.
    priors : ForecastPriors, dict or str, optional
        Calibrated priors; default the shipped ``forecast_priors.json``.
    n_draws : int
        Number of draws [1].
    seed : int
        Seed of the standard normal draws; same seed, same result.
    limits : (float, float), optional
        Bounds for shares and rates [percent]; default (0, 100). Values outside raise.
    volatility : {'slow', 'medium', 'fast'}
        Class default of the annual step spread for shares and rates (life expectancy, schooling
        years, forest cover: ``'slow'``).
    window : int, optional
        Past window [years]; default the priors' window (5).
    series_class : str, optional
        A reference class of :mod:`xiangxi_econ.probability.series_classes` (``"gdp"``, ``"income"``,
        ``"tourism"``, ``"fiscal"``, ``"retail"``, ``"level"``, ``"trending_share"``, ``"slow_share"``,
        ``"noisy_share"``, ``"share"``): the forecast is then the plan engine's for a Chinese region's
        series of that kind — China's growth from the embedded context as the common factor, the
        series' deviation pooled with its class (:mod:`xiangxi_econ.probability.target_models`) — the same
        distribution :func:`~xiangxi_econ.simulate` gives a target of that class. Without it the
        model is the GDP-panel deceleration model above (named in the result); ``peers`` and
        ``priors`` apply to that model only.

    Returns
    -------
    Forecast

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([400.0, 430.0, 460.0, 490.0, 512.0], index=range(2011, 2016))
    >>> fc = forecast(s, 2020)
    >>> fc.horizon, fc.years_used
    (5, (2011, 2012, 2013, 2014, 2015))
    >>> 0 < fc.probability(700.0) < 1
    True
    """
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or not 1 <= int(n_draws) <= 10_000_000:
        raise ValueError(f"n_draws must be an integer from 1 to 10,000,000; got {n_draws!r}")
    if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer; got {seed!r}")
    if window is not None and (isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1):
        raise ValueError(f"window must be a positive integer number of years; got {window!r}")
    if isinstance(to_year, bool) or not float(to_year).is_integer():
        raise ValueError(f"to_year must be a whole calendar year; got {to_year!r}")
    try:  # priors by vintage: a forecast as of t uses priors from outcomes up to t only
        pri: ForecastPriors | None = load_priors(priors, as_of_year=as_of_year if priors is None else None)
        vintage_error: ValueError | None = None
    except ValueError as exc:
        pri, vintage_error = None, exc
    window = (pri.window_years if pri is not None else 5) if window is None else int(window)
    years_all = _check_index(series)
    kind = _infer_kind(series, kind)
    to_year = int(to_year)
    years, values = _select(series, years_all, as_of_year, to_year, window)
    if pri is None:
        raise vintage_error if vintage_error is not None else ValueError("no priors")
    if series_class is not None:
        return _class_forecast(series, years_all, to_year, as_of_year, series_class, pri, int(n_draws), int(seed),
                               window, limits)
    as_of = int(years_all[-1]) if as_of_year is None else int(as_of_year)
    _check_values(values, years, kind, limits)
    origin = int(years[-1])
    h = to_year - origin
    hs = np.arange(1, h + 1)
    z = np.random.default_rng(seed).standard_normal(int(n_draws))
    if kind == "level":
        g_own = float(np.log(values[-1] / values[0]) / (years[-1] - years[0]))
        stats: dict[str, Any] = {}
        if peers is not None:
            stats = _peer_stats(peers, int(years[0]), origin, window, h, pri)
        centre, sd, weight = level_params(np.full(h, g_own), hs, pri, stats.get("m_peers"), stats.get("reliability"),
                                          stats.get("var_common_peers"))
        path_mu = math.log(values[-1]) + hs * centre
        path_sd = hs * sd
        details: dict[str, Any] = {"var_common": float(variance_h(pri.var_common, h)),
                   "var_idio": float(variance_h(pri.var_idio_peers if peers is not None else pri.var_idio_alone, h)),
                   "drift": float(pri.drift_h(h)), "drift_se": float(pri.drift_se_h(h))}
        details.update({k: (float(v) if isinstance(v, (int, float, np.floating)) else v) for k, v in stats.items()})
        model = ("calibrated deceleration with common shocks, log-normal"
                 + (", empirical-Bayes shrinkage to peers" if peers is not None else ", no peers"))
        own, c_end, sd_end, w_end = g_own, float(centre[-1]), float(sd[-1]), float(np.atleast_1d(weight)[-1])
    else:
        pace, sd_pp, step_sd, damping = share_params(values, years, hs, pri, volatility)
        path_mu = values[-1] + hs * pace
        path_sd = sd_pp
        details = {"step_sd_pp": step_sd, "damping": damping, "volatility": volatility}
        model = "damped pace in percentage points, normal steps, clipped to 0-100"
        own = float((values[-1] - values[0]) / (years[-1] - years[0]))
        c_end, sd_end, w_end = pace, float(sd_pp[-1]), 1.0
    fc = Forecast(kind=kind, origin_year=origin, to_year=to_year, as_of_year=as_of, horizon=h,
                  base_value=float(values[-1]), years_used=tuple(int(y) for y in years), own_rate=own,
                  centre_rate=c_end, sd=sd_end, weight=w_end, draws=np.zeros(0), model=model, details=details,
                  priors=pri, name=str(series.name or ""), seed=seed, _z=z, _path_mu=np.asarray(path_mu, float),
                  _path_sd=np.asarray(path_sd, float), history=series[series.index <= as_of].copy(),
                  unit=str(series.attrs.get("unit", "")))
    object.__setattr__(fc, "draws", fc._transform(path_mu[-1] + path_sd[-1] * z))
    return fc


def _own_rate(years: np.ndarray, values: np.ndarray, kind: str) -> float:
    """Own average log growth [log points per year] or pace [pp per year] over the years given."""
    if len(years) < 2:
        return float("nan")
    span = float(years[-1] - years[0])
    if kind == "level":
        return float(np.log(values[-1] / values[0]) / span)
    return float((values[-1] - values[0]) / span)


def _class_forecast(series: pd.Series, years_all: np.ndarray, to_year: int, as_of_year: int | None, name: str,
                    pri: ForecastPriors, n_draws: int, seed: int, window: int,
                    limits: tuple[float, float] | None) -> Forecast:
    """:func:`forecast` through a reference class: the plan engine's marginal, its draws and summary."""
    from .engine import TargetSet
    from .series_classes import CLASSES
    from .target_models import marginal

    if name not in CLASSES:
        raise ValueError(f"series_class={name!r}: expected one of {sorted(CLASSES)}")
    cls = CLASSES[name]
    values_all = np.asarray(series, dtype=float)
    as_of = int(years_all[-1]) if as_of_year is None else int(as_of_year)
    keep = (years_all <= as_of) & np.isfinite(values_all)
    years, values = years_all[keep], values_all[keep]
    kind = "level" if cls.kind == "level" else "share"
    _check_values(values, years, kind, limits)
    origin = int(years[-1])
    h = int(to_year) - origin
    m = marginal(years, values, np.zeros(len(years), dtype=int), cls, as_of, h, pri, window=window,
                 limits=limits if limits is not None else (0.0, 100.0))
    ts = TargetSet.from_marginals([str(series.name or "series")], [m], [h], [np.nan], [False])
    draws = next(ts.draws(n_draws, seed, chunk_size=max(n_draws, 1)))[0]
    sd = float(np.sqrt(m.sigma_common[-1] ** 2 + np.var(m.resid[-1])))
    return Forecast(kind=kind, origin_year=origin, to_year=int(to_year), as_of_year=as_of, horizon=h,
                    base_value=float(values[-1]), years_used=m.years_used,
                    own_rate=_own_rate(years[years >= years[-1] - window], values[years >= years[-1] - window], kind),
                    centre_rate=float(m.centre[-1]), sd=sd, weight=float(np.atleast_1d(
                        m.details.get("persistence", [1.0]))[-1]), draws=draws,
                    model=f"reference class '{name}': {m.model}", details=dict(m.details),
                    priors=pri, name=str(series.name or ""), seed=seed, history=series[series.index <= as_of].copy(),
                    unit=str(series.attrs.get("unit", "")), _marginal=m)


def _check_values(values: np.ndarray, years: np.ndarray, kind: str, limits: tuple[float, float] | None) -> None:
    if kind == "level":
        bad = years[values <= 0]
        if len(bad):
            raise ValueError(f"series: non-positive values in {bad.tolist()} for kind='level'; "
                             "expected positive levels (use kind='rate' for quantities that can be zero)")
        return
    lo, hi = limits if limits is not None else (0.0, 100.0)
    bad = years[(values < lo) | (values > hi)]
    if len(bad):
        raise ValueError(f"series: values outside {lo}-{hi} in {bad.tolist()} for kind={kind!r}; "
                         "expected percent (0-100), not fractions or levels")


# --------------------------------------------------------------------------- panel backtest
@dataclass(frozen=True, eq=False, repr=False)
class PanelBacktest(ResultBase):
    """Rolling-origin backtest of level forecasts on a panel (from :func:`backtest_panel`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per region and origin: ``region, origin_year, outcome_year, outcome_log,
        centre_log, sd_log, pit, in50, in90, pinball, log_score`` and ``baseline_in50,
        baseline_in90, baseline_pinball`` of the random-walk-median rule [log levels in log points;
        pinball in log points; log score in nats].
    horizon, window : int
        [years].
    n_skipped : int
        Region-origins without the values needed (missing or screened out).
    """

    table: pd.DataFrame
    horizon: int
    window: int
    n_skipped: int = 0

    def scores(self) -> pd.DataFrame:
        """Coverage of the 50% and 90% central intervals [fraction], mean pinball loss over
        quantiles 0.05..0.95 [log points], mean log score [nats], for the model and the baseline,
        per origin and pooled (``origin_year == 'all'``)."""
        cols = {"n": ("pit", "size"), "coverage50": ("in50", "mean"), "coverage90": ("in90", "mean"),
                "pinball": ("pinball", "mean"), "log_score": ("log_score", "mean"),
                "baseline_coverage50": ("baseline_in50", "mean"), "baseline_coverage90": ("baseline_in90", "mean"),
                "baseline_pinball": ("baseline_pinball", "mean")}
        per = self.table.groupby("origin_year").agg(**cols)
        per.index = per.index.astype(str)
        pooled = self.table.assign(origin_year="all").groupby("origin_year").agg(**cols)
        return pd.concat([per, pooled]).reset_index()

    def _frame(self) -> pd.DataFrame:
        return self.scores()

    def _summary(self, lang: str = "en") -> str:
        s = self.scores().set_index("origin_year")
        lines = [f"Rolling-origin backtest: horizon {self.horizon}, window {self.window}, "
                 f"{len(self.table)} forecasts, {self.n_skipped} skipped", "",
                 "origin    n  cov50  cov90  pinball  | base cov50  cov90  pinball"]
        for o, r in s.iterrows():
            base = f"{r.baseline_coverage50:.3f}  {r.baseline_coverage90:.3f}  {r.baseline_pinball:.4f}"
            model = f"{r.coverage50:.3f}  {r.coverage90:.3f}  {r.pinball:.4f}"
            lines.append(f"{o:>6} {int(r.n):4d}  {model}   |      {base}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        s = self.scores().iloc[-1]
        return (f"PanelBacktest({int(s.n)} forecasts, h={self.horizon}: cov50 {s.coverage50:.2f}, "
                f"cov90 {s.coverage90:.2f}, pinball {s.pinball:.4f} vs baseline {s.baseline_pinball:.4f})")


def _normal_scores(y: np.ndarray, mu: np.ndarray, sd: np.ndarray) -> dict[str, np.ndarray]:
    """PIT, interval hits, pinball loss averaged over :data:`PINBALL_QUANTILES`, log score."""
    from scipy.special import ndtr, ndtri

    zq = ndtri(np.asarray(PINBALL_QUANTILES))
    u = (y - mu) / sd
    pit = ndtr(u)
    qv = mu[:, None] + sd[:, None] * zq[None, :]
    err = y[:, None] - qv
    qs = np.asarray(PINBALL_QUANTILES)[None, :]
    pinball = np.maximum(qs * err, (qs - 1) * err).mean(axis=1)
    log_score = 0.5 * u**2 + np.log(sd) + 0.5 * math.log(2 * math.pi)
    return {"pit": pit, "in50": (pit >= 0.25) & (pit <= 0.75), "in90": (pit >= 0.05) & (pit <= 0.95),
            "pinball": pinball, "log_score": log_score}


def _baseline_scores(panel: pd.DataFrame, origin: int, horizon: int, window: int, regions: pd.Index,
                     y: np.ndarray) -> dict[str, np.ndarray]:
    """Interval hits and pinball loss of the random-walk-median rule at the same quantiles (NaN when the
    panel has no past vintage for it)."""
    from .factor import FactorModelError, random_walk_median_quantiles

    probs = tuple(float(q) for q in PINBALL_QUANTILES)
    try:
        q = random_walk_median_quantiles(panel, origin, [horizon], probs, window=window)[horizon]
    except FactorModelError:
        nan = np.full(len(y), np.nan)
        return {"in50": nan, "in90": nan, "pinball": nan}
    qv = q.reindex(regions).to_numpy(float)
    err = y[:, None] - qv
    p = np.asarray(probs)[None, :]
    pinball = np.maximum(p * err, (p - 1) * err).mean(axis=1)
    col = {round(v, 2): j for j, v in enumerate(probs)}
    in50 = (y >= qv[:, col[0.25]]) & (y <= qv[:, col[0.75]])
    in90 = (y >= qv[:, col[0.05]]) & (y <= qv[:, col[0.95]])
    bad = ~np.isfinite(qv).all(axis=1)
    return {"in50": np.where(bad, np.nan, in50), "in90": np.where(bad, np.nan, in90),
            "pinball": np.where(bad, np.nan, pinball)}


def _panel_wide(panel: pd.DataFrame) -> pd.DataFrame:
    need = {"region", "year", "value"}
    if not isinstance(panel, pd.DataFrame) or not need <= set(panel.columns):
        raise ValueError(f"panel: expected a DataFrame with columns {sorted(need)}")
    if panel.duplicated(["region", "year"]).any():
        raise ValueError("panel: duplicate region-year rows; expected one value per region and year")
    wide = panel.pivot(index="region", columns="year", values="value").astype(float)
    if (wide <= 0).any().any():
        raise ValueError("panel: non-positive values; expected positive levels")
    years = np.asarray(wide.columns, dtype=int)
    full = np.arange(years.min(), years.max() + 1)
    return wide.reindex(columns=full)


def backtest_panel(panel: pd.DataFrame, origins: Any, horizon: int = 5, window: int = 5, priors: Any = None,
                   use_peers: bool = True) -> PanelBacktest:
    """Rolling-origin backtest over a long panel of levels, vectorised across regions.

    For each origin year :math:`o` and region with values at :math:`o-k`, :math:`o` (and every
    year between, for the reliability) and :math:`o+h`, the forecast of :math:`\\ln x_{o+h}` uses
    data up to :math:`o` only: :math:`N(\\ln x_o + h\\,\\mu,\\; (h\\sigma)^2)` with :math:`\\mu,
    \\sigma` from :func:`level_params`. With ``use_peers`` the peers are the other regions of the
    panel at the same origin (leave-one-out mean, reliability and year-effect common variance from
    data <= o). The baseline is the random-walk-median rule
    (:func:`~xiangxi_econ.probability.factor.random_walk_median_quantiles`: drift the cross-sectional median of
    the last ``window`` years' growth, spread the empirical quantiles of the rule's own past errors
    with outcomes <= o), scored on the same quantiles; where the panel holds no past vintage for the
    rule (fewer than ``window + horizon`` years before the origin) the baseline is NaN for that origin.
    Scores are on log levels (relative errors), so large regions do not dominate.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long ``region, year, value`` [positive levels]; missing values absent or NaN.
    origins : iterable of int
        Origin years.
    horizon, window : int
        [years].
    priors : optional
        As in :func:`forecast`.
    use_peers : bool
        Shrink toward the panel's other regions (default) or treat each region alone.
    """
    pri = load_priors(priors)
    wide = _panel_wide(panel)
    logs = np.log(wide.to_numpy())
    col = {int(y): j for j, y in enumerate(wide.columns)}
    year_effects = pd.Series(np.nanmean(np.diff(logs, axis=1), axis=0), index=wide.columns[1:])
    frames, skipped = [], 0
    for o in (int(v) for v in origins):
        if o - window not in col or o + horizon not in col:
            raise ValueError(f"origins: {o} needs years {o - window} and {o + horizon} in the panel")
        past = logs[:, col[o - window]:col[o] + 1]
        y = logs[:, col[o + horizon]]
        ok = np.isfinite(past).all(axis=1) & np.isfinite(y)
        skipped += int((~ok).sum())
        past, y = past[ok], y[ok]
        g = (past[:, -1] - past[:, 0]) / window
        if use_peers:
            n = len(g)
            m = (g.sum() - g) / (n - 1)
            rel, _, _ = reliability_from_panel(past)
            ye = year_effects.loc[:o]
            vc = year_effect_common_variance(ye, window, horizon, float(pri.drift_h(horizon)))
            centre, sd, _ = level_params(g, horizon, pri, m, rel, vc)
        else:
            centre, sd, _ = level_params(g, horizon, pri)
        mu = past[:, -1] + horizon * centre
        sdl = horizon * np.broadcast_to(sd, mu.shape)
        model = _normal_scores(y, mu, sdl)
        base = _baseline_scores(panel, o, horizon, window, wide.index[ok], y)
        frame = pd.DataFrame({"region": wide.index[ok], "origin_year": o, "outcome_year": o + horizon,
                              "outcome_log": y, "centre_log": mu, "sd_log": sdl, **model})
        for key, val in base.items():
            frame["baseline_" + key] = val
        frames.append(frame)
    return PanelBacktest(table=pd.concat(frames, ignore_index=True), horizon=horizon, window=window,
                         n_skipped=skipped)
