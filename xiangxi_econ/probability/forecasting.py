r"""Predictive distribution of an annual series: one region's forecast through the class engine.

:func:`forecast` places the series in a reference class (:mod:`~xiangxi_econ.probability.series_classes`),
inferred from its name, ``attrs['unit']`` and kind unless ``series_class=`` is given, and builds the
class's :class:`~xiangxi_econ.probability.target_models.Marginal` — the distribution
:func:`~xiangxi_econ.simulate` gives a plan target of that class: for GDP, the prefecture panel's
factor model of the latest vintage (its pooled deviation slopes, residual grids and common-factor
errors, shipped in ``reference_gdp.json``), so one region is forecast as the panel path would;
``peers=`` (a long ``region, year, value`` frame) fits the model on the user's panel instead. A
series of annual real growth rates (``gdp_growth``) is forecast as a growth rate through the model's
real side (:func:`~xiangxi_econ.probability.target_models.growth_marginal`). Quantiles and
probabilities come from the one engine (:class:`~xiangxi_econ.probability.engine.TargetSet`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .._display import ResultBase, charts, num
from .priors import PATH_QUANTILES, PERCENT_UNITS, load_priors

__all__ = ["Forecast", "forecast", "infer_series_class"]

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
        ``"level"``, ``"share"`` or ``"growth"`` (average annual growth [%] from the origin).
    series_class : str
        The reference class used (:mod:`~xiangxi_econ.probability.series_classes`).
    class_reason : str
        Why: given by ``series_class=``, or what in the name, unit and kind chose it.
    origin_year, to_year, as_of_year : int
        Last observation used, target year, information cut-off.
    horizon : int
        ``to_year - origin_year`` [years].
    base_value : float
        Value at ``origin_year`` [series unit].
    years_used : tuple of int
        Years of the observations behind the series' own part of the forecast.
    own_rate : float
        Levels: own average log growth over the window [log points per year]; shares: own pace [pp
        per year]; growth: mean of the rates used [%].
    centre_rate : float
        Centre :math:`c_H` of the engine's scalar at ``to_year`` (average log growth, pp pace or
        logit pace per year).
    sd : float
        sd of that scalar (common and own parts) [its unit].
    draws : numpy.ndarray
        ``n_draws`` simulated values at ``to_year`` [series unit] (the engine's draws).
    model : str
    details : dict
    history : pandas.Series
        The series as given, up to ``as_of_year`` (drawn under the fan).
    unit : str
        ``series.attrs['unit']`` where given.
    """

    kind: str
    series_class: str
    class_reason: str
    origin_year: int
    to_year: int
    as_of_year: int
    horizon: int
    base_value: float
    years_used: tuple[int, ...]
    own_rate: float
    centre_rate: float
    sd: float
    draws: np.ndarray
    model: str
    details: Mapping[str, Any]
    name: str = ""
    seed: int = 0
    history: pd.Series | None = None
    unit: str = ""
    _marginal: Any = None
    note: str = ""

    def marginal(self) -> Any:
        """This forecast as the probability engine's :class:`~xiangxi_econ.probability.target_models.Marginal`."""
        return self._marginal

    def _targets(self, h: np.ndarray, thresholds: Any = None, at_most: Any = None) -> Any:
        from .engine import TargetSet

        m = self.marginal()
        n = len(h)
        thr = np.full(n, np.nan) if thresholds is None else np.broadcast_to(np.asarray(thresholds, float), (n,))
        side = np.zeros(n, bool) if at_most is None else np.broadcast_to(np.asarray(at_most, bool), (n,))
        return TargetSet.from_marginals([str(self.name)] * n, [m] * n, h, thr, side)

    def quantiles(self, qs: Any = PATH_QUANTILES) -> pd.Series:
        """Quantiles of the value at ``to_year`` [series unit], indexed by q, exact (the engine's
        quadrature over the common shock)."""
        qs = np.atleast_1d(np.asarray(qs, dtype=float))
        if np.any((qs <= 0) | (qs >= 1)):
            raise ValueError(f"qs={qs.tolist()}: expected probabilities strictly between 0 and 1")
        values = self._targets(np.array([self.horizon])).quantiles(qs)[0]
        return pd.Series(values, index=pd.Index(qs, name="quantile"), name=self.to_year)

    def probability(self, x: float, bound: str = "at_least") -> float:
        """Probability that the value at ``to_year`` is at or above (``"at_least"``) or at or below
        (``"at_most"``) ``x`` [fraction], exact (the probability engine). For ``kind="growth"``, ``x`` is
        the average annual growth from the origin to ``to_year`` [%]."""
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
        """Reproducible text: class and why, model, data used, quantiles."""
        from .series_classes import CLASSES

        cls = CLASSES.get(self.series_class)
        q = self.quantiles()
        what = "average annual growth [%] from the origin" if self.kind == "growth" else self.kind
        lines = [
            f"Forecast of {self.name or 'series'} ({what}) for {self.to_year}, as of {self.as_of_year}",
            f"Reference class '{self.series_class}': {self.class_reason}",
            f"Model: {self.model}",
            f"Data used: {len(self.years_used)} points, years {', '.join(map(str, self.years_used))}; "
            f"origin {self.origin_year} value {num(self.base_value)}; horizon {self.horizon} years",
            f"Own rate {self.own_rate:.4f}; centre {self.centre_rate:.4f}; sd {self.sd:.4f} (engine scale)",
        ]
        if self.note:
            lines.append(f"Note: {self.note}")
        if cls is not None:
            lines.append(f"Estimated on: {cls.estimated_on}")
        lines += [f"Draws: {len(self.draws)}, seed {self.seed}", "",
                  "Quantiles at " + str(self.to_year) + ": "
                  + ", ".join(f"q{int(round(k * 100)):02d}={num(v)}" for k, v in q.items())]
        return "\n".join(lines)

    def __repr__(self) -> str:
        q = self.quantiles((0.05, 0.5, 0.95)).to_numpy()
        return (f"Forecast({self.name or 'series'}, {self.series_class}, {self.origin_year}->{self.to_year}: "
                f"median {num(q[1])}, 90% [{num(q[0])}, {num(q[2])}])")

    def _repr_html_(self) -> str:
        import html

        table = self.path_quantiles().to_html(border=0, float_format=num)
        return f"<pre>{html.escape(self.summary())}</pre>{table}"


# --------------------------------------------------------------------------- class inference
GDP_BREAK_YEARS: tuple[int, ...] = (2004, 2008, 2013, 2018, 2023)
"""China's economic-census years: the annual change into them is not a GDP series' history unless
``series.attrs['breaks']`` says otherwise (a census revises the level, not the growth)."""
_GROWTH_WORDS = ("growth", "增长", "增速")
_GDP_WORDS = ("gdp", "生产总值", "地区生产总值")


def infer_series_class(series: pd.Series, kind: str | None = None) -> tuple[str, str]:
    """The reference class of a series and why, from its name, ``attrs['unit']`` and ``kind``.

    In order: a name listed in :data:`~xiangxi_econ.probability.series_classes.SERIES_CLASS` takes its
    class (``gdp`` -> ``gdp``, ``urbanisation_rate`` -> ``trending_share``); a percent series whose
    name says growth (``growth``, 增长, 增速) is ``gdp_growth`` (annual real growth [%]); a level whose
    name says GDP (``gdp``, 生产总值) is ``gdp``; other percent series (or ``kind`` ``share``/``rate``)
    are ``share``; anything else ``level``.

    Returns
    -------
    (str, str)
        The class name and the reason in words.
    """
    from .series_classes import SERIES_CLASS

    name = str(series.name or "")
    key = name.strip().lower()
    unit = str(series.attrs.get("unit", "")).strip()
    percent = unit.lower() in PERCENT_UNITS or kind in ("share", "rate")
    described = f"named '{name}'" + (f" in {unit}" if unit else ", no unit") + (f", kind {kind}" if kind else "")
    if key in SERIES_CLASS:
        return SERIES_CLASS[key], f"inferred: {described}; the name is a known '{SERIES_CLASS[key]}' series"
    if percent and any(w in key for w in _GROWTH_WORDS):
        return "gdp_growth", f"inferred: {described}; a growth rate in percent"
    if not percent and any(w in key for w in _GDP_WORDS):
        return "gdp", f"inferred: {described}; a GDP level"
    if percent:
        return "share", f"inferred: {described}; a percent series without a class of its own"
    return "level", f"inferred: {described}; a level without a class of its own (pass series_class=)"


def _segments(series: pd.Series, years: np.ndarray, cls_name: str) -> np.ndarray:
    """Statistical segment of each year: a new one starts at each break year (``attrs['breaks']``,
    else the census years for the GDP class, else none)."""
    breaks = series.attrs.get("breaks")
    if breaks is None:
        breaks = GDP_BREAK_YEARS if cls_name == "gdp" else ()
    b = np.asarray(sorted(int(v) for v in breaks), dtype=int)
    return (years[:, None] >= b[None, :]).sum(axis=1) if len(b) else np.zeros(len(years), dtype=int)


# --------------------------------------------------------------------------- API
#: The longest forecast the library makes [years after the last value]: as far as :func:`xiangxi_econ.simulate`.
MAX_HORIZON = 50


def _check_args(n_draws: Any, seed: Any, window: Any, to_year: Any) -> None:
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or not 1 <= int(n_draws) <= 10_000_000:
        raise ValueError(f"n_draws must be an integer from 1 to 10,000,000; got {n_draws!r}")
    if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer; got {seed!r}")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be a positive integer number of years; got {window!r}")
    if isinstance(to_year, bool) or not float(to_year).is_integer():
        raise ValueError(f"to_year must be a whole calendar year; got {to_year!r}")


def forecast(series: pd.Series, to_year: int, as_of_year: int | None = None, series_class: str | None = None,
             peers: pd.DataFrame | None = None, kind: str | None = None, n_draws: int = 20000, seed: int = 0,
             limits: tuple[float, float] | None = None, window: int = 5) -> Forecast:
    """Predictive distribution of an annual series at ``to_year``, from its reference class.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by integer calendar year, sorted, gaps allowed [levels: any positive unit;
        shares: percent 0–100; ``gdp_growth``: annual real growth in percent, 7.5 for 7.5 %]. Its
        name, ``attrs['unit']`` and ``attrs['breaks']`` (years whose annual change is a statistical
        break) are read.
    to_year : int
        Target calendar year.
    as_of_year : int, optional
        Information cut-off: only observations with year <= ``as_of_year`` are used (default: the
        last year). The origin is the last non-missing observation at or before it.
    series_class : str, optional
        A class of :mod:`xiangxi_econ.probability.series_classes` (``"gdp"``, ``"gdp_growth"``,
        ``"income"``, ``"tourism"``, ``"fiscal"``, ``"retail"``, ``"level"``, ``"trending_share"``,
        ``"slow_share"``, ``"noisy_share"``, ``"share"``). Default: inferred
        (:func:`infer_series_class`); the result says which and why.
    peers : pandas.DataFrame, optional
        Long ``region, year, value`` frame of comparable regions (``gdp``: levels; ``gdp_growth``:
        annual real growth [%]): the factor model is fitted on them as of ``as_of_year`` (the full
        panel path) instead of the shipped city-panel vintage. Other classes ignore it (an error).
    kind : {'level', 'share', 'rate'}, optional
        A hint for the class inference only.
    n_draws : int
        Number of draws kept in ``draws`` [1].
    seed : int
        Seed of the draws; same seed, same result. Quantiles and probabilities are exact.
    limits : (float, float), optional
        Bounds for shares [percent]; default (0, 100).
    window : int
        Years of history behind a deviation [years].

    Returns
    -------
    Forecast

    Raises
    ------
    ValueError
        Bad input (named), or a forecast as of a year before the earliest vintage of the class (the
        message gives the reason).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([400.0, 430.0, 460.0, 490.0, 512.0], index=range(2011, 2016), name="gdp")
    >>> s.attrs["unit"] = "亿元"
    >>> fc = forecast(s, 2020)
    >>> fc.series_class, fc.horizon
    ('gdp', 5)
    >>> 0 < fc.probability(700.0) < 1
    True
    """
    from .series_classes import CLASSES

    _check_args(n_draws, seed, window, to_year)
    years_all = _check_index(series)
    if not np.isfinite(pd.to_numeric(series, errors="coerce").to_numpy(float)).any():
        raise ValueError(f"series: no value to forecast from (length {len(series)}, none a finite number); "
                         "expected annual values indexed by year")
    to_year = int(to_year)
    last = int(years_all[np.isfinite(pd.to_numeric(series, errors="coerce").to_numpy(float))].max())
    if to_year - last > MAX_HORIZON:
        raise ValueError(f"to_year={to_year}: {to_year - last} years after the last value ({last}); the reference "
                         f"classes are estimated on horizons of a few years and the library forecasts at most "
                         f"{MAX_HORIZON} years ahead")
    _select(series, years_all, as_of_year, to_year, int(window))
    if series_class is None:
        name, reason = infer_series_class(series, kind)
    else:
        name, reason = series_class, "given (series_class=)"
    if name not in CLASSES:
        raise ValueError(f"series_class={name!r}: expected one of {sorted(CLASSES)}")
    if peers is not None and name not in ("gdp", "gdp_growth"):
        raise ValueError(f"peers: only the 'gdp' and 'gdp_growth' classes take a panel of peers; the class is {name!r}")
    return _class_forecast(series, years_all, to_year, as_of_year, name, reason, peers, int(n_draws), int(seed),
                           int(window), limits)


def _own_rate(years: np.ndarray, values: np.ndarray, kind: str) -> float:
    """Own average log growth [log points per year], pace [pp per year] or mean rate [%] over the years given."""
    if kind == "growth":
        return float(np.mean(values)) if len(values) else float("nan")
    if len(years) < 2:
        return float("nan")
    span = float(years[-1] - years[0])
    if kind == "level":
        return float(np.log(values[-1] / values[0]) / span)
    return float((values[-1] - values[0]) / span)


def _class_marginal(series: pd.Series, years: np.ndarray, values: np.ndarray, name: str, as_of: int, h: int,
                    peers: pd.DataFrame | None, window: int, limits: tuple[float, float] | None) -> Any:
    """The class's :class:`~xiangxi_econ.probability.target_models.Marginal` for horizons 1..h."""
    from .factor import FactorModelError
    from .series_classes import CLASSES
    from .target_models import gdp_panel_marginal, growth_marginal, marginal

    try:
        if name == "gdp_growth":
            return growth_marginal(years, values, as_of, h, peers=peers)
        segments = _segments(series, years, name)
        if peers is not None:
            return gdp_panel_marginal(years, values, segments, peers, as_of, h)
        try:  # the GDP class reads the panel's vintages; its priors are only a fallback
            pri = load_priors(as_of_year=as_of)
        except ValueError:
            if name != "gdp":
                raise
            pri = None
        return marginal(years, values, segments, CLASSES[name], as_of, h, pri, window=window,
                        limits=limits if limits is not None else (0.0, 100.0))
    except FactorModelError as exc:
        raise ValueError(f"forecast as of {as_of}, class '{name}': {exc}") from None


def _class_forecast(series: pd.Series, years_all: np.ndarray, to_year: int, as_of_year: int | None, name: str,
                    reason: str, peers: pd.DataFrame | None, n_draws: int, seed: int, window: int,
                    limits: tuple[float, float] | None) -> Forecast:
    """:func:`forecast` through a reference class: the engine's marginal, its draws and summary."""
    from .engine import TargetSet
    from .series_classes import CLASSES

    cls = CLASSES[name]
    values_all = np.asarray(series, dtype=float)
    as_of = int(years_all[-1]) if as_of_year is None else int(as_of_year)
    keep = (years_all <= as_of) & np.isfinite(values_all)
    years, values = years_all[keep], values_all[keep]
    kind = {"level": "level", "growth": "growth"}.get(cls.kind, "share")
    _check_values(values, years, kind, limits)
    origin = int(years[-1])
    h = int(to_year) - origin
    m = _class_marginal(series, years, values, name, as_of, h, peers, window, limits)
    ts = TargetSet.from_marginals([str(series.name or "series")], [m], [h], [np.nan], [False])
    draws = next(ts.draws(n_draws, seed, chunk_size=max(n_draws, 1)))[0]
    sd = float(np.sqrt(m.sigma_common[-1] ** 2 + np.var(m.resid[-1])))
    recent = years >= years[-1] - window
    return Forecast(kind=kind, series_class=name, class_reason=reason, origin_year=origin, to_year=int(to_year),
                    as_of_year=as_of, horizon=h, base_value=float(values[-1]), years_used=m.years_used,
                    own_rate=_own_rate(years[recent], values[recent], kind), centre_rate=float(m.centre[-1]), sd=sd,
                    draws=draws, model=f"reference class '{name}': {m.model}", details=dict(m.details),
                    name=str(series.name or ""), seed=seed, history=series[series.index <= as_of].copy(),
                    unit=str(series.attrs.get("unit", "")), _marginal=m, note=m.note)


def _check_values(values: np.ndarray, years: np.ndarray, kind: str, limits: tuple[float, float] | None) -> None:
    if kind == "level":
        bad = years[values <= 0]
        if len(bad):
            raise ValueError(f"series: non-positive values in {bad.tolist()} for a level class; "
                             "expected positive levels (pass series_class= for a share or a growth rate)")
        return
    if kind == "growth":
        bad = years[values <= -100]
        if len(bad):
            raise ValueError(f"series: growth rates at or below -100 % in {bad.tolist()}; expected annual growth in "
                             "percent (7.5 for 7.5 %)")
        return
    lo, hi = limits if limits is not None else (0.0, 100.0)
    bad = years[(values < lo) | (values > hi)]
    if len(bad):
        raise ValueError(f"series: values outside {lo}-{hi} in {bad.tolist()} for a share class; "
                         "expected percent (0-100), not fractions or levels")
