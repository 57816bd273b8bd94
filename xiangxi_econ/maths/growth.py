r"""Growth mathematics for plan targets: pure, vectorised functions.

Every function takes scalars, numpy arrays, pandas Series or DataFrames and returns
the same shape: a Python ``float`` for scalars, an ``ndarray`` for arrays, and a
Series/DataFrame with the input's index (and columns) for pandas objects. Arguments
are combined with numpy broadcasting; pandas arguments must carry identical labels
(a Series whose index matches a DataFrame's rows is applied row by row, one whose
index matches its columns column by column). NaN propagates; it is never an error.

Units, as everywhere in xiangxi_econ: ``rate`` is a fraction per year (0.07 = 7%),
``_pp`` marks percentage points, levels are in the indicator's own unit.

Equations
---------
With base value :math:`x_b`, end value :math:`x_e`, horizon :math:`n` years and
rate :math:`g`:

.. math::

    g_{\mathrm{cagr}} &= (x_e / x_b)^{1/n} - 1
        && \text{average annual growth, level method (水平法)} \\
    \hat x_n &= x_b (1+g)^n && \text{compound projection} \\
    v_{\mathrm{pp}} &= (x_e - x_b) / n && \text{pace of a share [pp/year]} \\
    g_{t \to t'} &= (x_{t'} / x_t)^{1/(t'-t)} - 1
        && \text{annualised rate between observations} \\
    C(g) &= \sum_{t=1}^{n} x_0 (1+g)^t = x_0 (1+g) \frac{(1+g)^n - 1}{g}
        && \text{five-year total, cumulative method (累计法)}

The required rate for a level target is :math:`g_{\mathrm{cagr}}` with the target as
:math:`x_e`; for a cumulative target it is the root of :math:`C(g) = \text{total}`.

References
----------
.. [1] UN Statistics Division, *SDG Progress Chart, Technical Note* (2020-2022
   editions): actual and required compound annual growth rates,
   :math:`(x_t/x_b)^{1/(t-b)} - 1` and :math:`(x^*/x_b)^{1/H} - 1`.
.. [2] National Bureau of Statistics of China, statistical practice on average
   growth rates (平均增长速度): the level method (水平法, geometric mean of the end
   level over the base level) and the cumulative method (累计法, also 代数平均法 or
   方程法, comparing the sum of the period's annual levels with the base level);
   fixed-asset investment uses the cumulative method, other indicators the level
   method. Text reproduced in 《统计工作实务》 (2010), "平均增长速度"; see
   ``shared/METHODS.md`` (confidence [S]: secondary reproduction of the NBS text).
.. [3] pyam (IAMC), ``pyam.timeseries.growth_rate`` and
   ``IamDataFrame.compute.growth_rate``: the annualised rate between consecutive
   data points, stamped at the start year; :func:`growth_rates` matches it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from .._checks import PercentLikeRateWarning, check_positive, check_rate, check_years, describe_position, label, prepare
from .._display import ResultBase
from ..exceptions import SolverConvergenceWarning

__all__ = [
    "SolverConvergenceWarning",
    "CumulativeRateResult",
    "PercentLikeRateWarning",
    "cagr",
    "cumulative_total",
    "growth_rates",
    "pace_pp",
    "project",
    "project_path",
    "project_pp",
    "required_rate",
    "required_rate_cumulative",
]

Values: TypeAlias = float | np.ndarray | pd.Series | pd.DataFrame
"""A scalar, ndarray, Series or DataFrame; results come back in the same form."""


def _geometric_rate(prep, lo: str, hi: str) -> Any:
    check_positive(prep, lo, "a geometric growth rate")
    check_positive(prep, hi, "a geometric growth rate")
    check_years(prep)
    with np.errstate(divide="ignore", invalid="ignore"):
        # expm1(log(.)/n) rather than (.)**(1/n) - 1: no cancellation for small rates
        out = np.expm1(np.log(prep[hi] / prep[lo]) / prep["years"])
    return prep.wrap(out)


def cagr(start: Values, end: Values, years: Values) -> Values:
    r"""Compound annual growth rate between two levels (level method, 水平法).

    .. math:: g = \left(\frac{\mathrm{end}}{\mathrm{start}}\right)^{1/\mathrm{years}} - 1

    Parameters
    ----------
    start : float, ndarray, Series or DataFrame
        Level at the start of the period; must be positive (NaN allowed)
        [indicator's unit].
    end : float, ndarray, Series or DataFrame
        Level at the end of the period, same unit as ``start``; must be positive
        [indicator's unit].
    years : float, ndarray, Series or DataFrame
        Length of the period, > 0; need not be whole [years].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Average annual growth rate [fraction per year], shaped like the inputs.

    Raises
    ------
    ValueError
        If ``start`` or ``end`` has a value <= 0, if ``years`` <= 0, or if the
        arguments' shapes or labels do not fit together.

    See Also
    --------
    required_rate : the same formula with a target as the end level.
    growth_rates : rates between consecutive columns of a wide panel.

    References
    ----------
    UN Statistics Division, SDG Progress Chart technical note (actual CAGR); NBS
    水平法 (see the module references).

    Examples
    --------
    Xiangxi GDP, 517 亿元 in 2015 to 725.11 亿元 in 2020 (专栏1 序号1), current prices:

    >>> round(cagr(517, 725.11, 5), 4)
    0.07
    >>> cagr(np.array([100.0, 100.0]), np.array([121.0, 81.0]), 2)
    array([ 0.1, -0.1])
    """
    return _geometric_rate(prepare(start=start, end=end, years=years), "start", "end")


def required_rate(base: Values, target: Values, years: Values) -> Values:
    r"""Average annual growth rate needed to go from ``base`` to ``target``.

    .. math:: g_r = \left(\frac{\mathrm{target}}{\mathrm{base}}\right)^{1/\mathrm{years}} - 1

    Parameters
    ----------
    base : float, ndarray, Series or DataFrame
        Level in the base year; must be positive [indicator's unit].
    target : float, ndarray, Series or DataFrame
        Target level, same unit and price basis as ``base``; must be positive
        [indicator's unit].
    years : float, ndarray, Series or DataFrame
        Years from the base year to the target year, > 0 [years].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Required rate [fraction per year]. It has the price basis of the levels:
        from current-price levels it is a nominal rate (see
        :mod:`xiangxi_econ.maths.prices`).

    Raises
    ------
    ValueError
        If ``base`` or ``target`` has a value <= 0, if ``years`` <= 0, or if the
        shapes or labels do not fit together.

    References
    ----------
    UN Statistics Division, SDG Progress Chart technical note (required CAGR); NBS
    水平法 (see the module references).

    Examples
    --------
    专栏2 序号1: GDP 725.11 亿元 (2020) to 1000 亿元 (2025), current prices, needs
    6.64% a year nominal:

    >>> print(f"{required_rate(725.11, 1000, 5):.2%}")
    6.64%
    >>> s = pd.Series([461.0, 50.0], index=["tourism_revenue", "other"])
    >>> required_rate(s, pd.Series([1000.0, 50.0], index=s.index), 5).round(4)
    tourism_revenue    0.1675
    other              0.0000
    dtype: float64
    """
    return _geometric_rate(prepare(base=base, target=target, years=years), "base", "target")


def project(base: Values, rate: Values, years: Values) -> Values:
    r"""Level after ``years`` of compound growth at ``rate``.

    .. math:: \hat x = \mathrm{base} \, (1 + \mathrm{rate})^{\mathrm{years}}

    Parameters
    ----------
    base : float, ndarray, Series or DataFrame
        Level in the base year. Not required to be positive: projection is a
        multiplication [indicator's unit].
    rate : float, ndarray, Series or DataFrame
        Growth rate, >= -1; a value with ``|rate| > 1`` warns
        :class:`PercentLikeRateWarning` [fraction per year].
    years : float, ndarray, Series or DataFrame
        Horizon, >= 0 (0 returns ``base``) [years].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Projected level [indicator's unit].

    Raises
    ------
    ValueError
        If ``rate`` < -1, ``years`` < 0, or the shapes or labels do not fit.

    References
    ----------
    UN Statistics Division, SDG Progress Chart technical note (projection at the
    historical pace).

    Examples
    --------
    >>> round(project(725.11, 0.07, 5), 2)
    1017.0
    >>> project(np.array([100.0, 200.0]), 0.1, 2)
    array([121., 242.])
    """
    prep = prepare(base=base, rate=rate, years=years)
    check_rate(prep, "rate")
    check_years(prep, allow_zero=True)
    return prep.wrap(prep["base"] * np.power(1.0 + prep["rate"], prep["years"]))


def project_path(
    base: float | np.ndarray | pd.Series,
    rate: float | np.ndarray | pd.Series,
    years: int,
    *,
    start_year: int | None = None,
) -> np.ndarray | pd.Series | pd.DataFrame:
    r"""Compound growth path for years ``0, 1, ..., years``.

    .. math:: \hat x_k = \mathrm{base} \, (1 + \mathrm{rate})^k, \quad k = 0, \dots, n

    The year axis is added last, so a path is laid out like the wide panels that
    :func:`growth_rates` reads (rows = series, columns = years):

    ============================  ==============================================
    ``base`` / ``rate``            result
    ============================  ==============================================
    scalars                        ndarray of shape ``(years + 1,)``; a Series
                                   indexed by year when ``start_year`` is given
    ndarray of shape ``S``         ndarray of shape ``S + (years + 1,)``
    Series (one row per series)    DataFrame: the Series' index as rows, one
                                   column per year
    ============================  ==============================================

    Columns (or the Series index) are the calendar years ``start_year + k`` when
    ``start_year`` is given, otherwise the offsets ``k``; the axis is named
    ``"year"`` or ``"years_ahead"``. ``start_year`` has no effect on ndarray output.

    Parameters
    ----------
    base : float, ndarray or Series
        Level in year 0 [indicator's unit].
    rate : float, ndarray or Series
        Growth rate, >= -1, broadcast against ``base`` [fraction per year].
    years : int
        Number of years to project, a whole number >= 0 [years].
    start_year : int, optional
        Calendar year of ``base``, used to label the year axis [calendar year].

    Returns
    -------
    ndarray, Series or DataFrame
        Levels for years 0..``years`` [indicator's unit].

    Raises
    ------
    TypeError
        If ``base`` or ``rate`` is a DataFrame (stack it to a Series first), or
        ``years`` is not a single whole number.
    ValueError
        If ``rate`` < -1, ``years`` < 0, or the shapes or labels do not fit.

    Examples
    --------
    >>> project_path(100.0, 0.1, 3).round(6)
    array([100. , 110. , 121. , 133.1])
    >>> base = pd.Series([725.11, 50.0], index=["gdp", "x"])
    >>> project_path(base, 0.07, 2, start_year=2020).round(1)
    year   2020   2021   2022
    gdp   725.1  775.9  830.2
    x      50.0   53.5   57.2
    """
    for name, value in (("base", base), ("rate", rate)):
        if isinstance(value, pd.DataFrame):
            raise TypeError(
                f"project_path takes a scalar, ndarray or Series for {name}, not a "
                f"DataFrame; stack it to a Series first (e.g. {name}.stack())"
            )
    n = _whole_scalar_years(years)
    prep = prepare(base=base, rate=rate)
    check_rate(prep, "rate")
    steps = np.arange(n + 1, dtype=float)
    b = np.broadcast_to(prep["base"], prep.shape)
    g = np.broadcast_to(prep["rate"], prep.shape)
    path = b[..., None] * np.power(1.0 + g[..., None], steps)
    labels = pd.Index(
        steps.astype(int) + (start_year if start_year is not None else 0),
        name="year" if start_year is not None else "years_ahead",
    )
    if prep.template is not None:
        return pd.DataFrame(path, index=prep.template.index, columns=labels)
    if prep.all_scalar and start_year is not None:
        return pd.Series(path, index=labels)
    return path


def _whole_scalar_years(years: Any, name: str = "years") -> int:
    arr = np.asarray(years)
    if arr.ndim != 0 or not np.issubdtype(arr.dtype, np.number) or np.issubdtype(
        arr.dtype, np.complexfloating
    ):
        raise TypeError(f"{name} must be a single whole number of years; got {years!r:.60}")
    value = float(arr)
    if not np.isfinite(value) or value != round(value):
        raise ValueError(f"{name} must be a whole number of years; got {value:g}")
    if value < 0:
        raise ValueError(f"{name} must be zero or positive [years]; got {value:g}")
    return int(value)


def pace_pp(start: Values, end: Values, years: Values) -> Values:
    r"""Average change of a share or rate in percentage points per year.

    .. math:: v = \frac{\mathrm{end} - \mathrm{start}}{\mathrm{years}}

    Shares (urbanisation, a sector's share of GDP) move in percentage points, not
    by compound growth. Give both values in percent (55 for 55%).

    Parameters
    ----------
    start : float, ndarray, Series or DataFrame
        Value at the start of the period [%].
    end : float, ndarray, Series or DataFrame
        Value at the end of the period [%].
    years : float, ndarray, Series or DataFrame
        Length of the period, > 0 [years].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Pace [percentage points per year].

    Raises
    ------
    ValueError
        If ``years`` <= 0 or the shapes or labels do not fit.

    References
    ----------
    NBS practice for share targets (累计提高…个百分点, shared/METHODS.md,
    时序进度); UN ESCAP progress assessment (distance covered).

    Examples
    --------
    Urbanisation 41.1% (2015) to 50% (2020), 专栏1 序号8:

    >>> round(pace_pp(41.1, 50.0, 5), 2)
    1.78
    """
    prep = prepare(start=start, end=end, years=years)
    check_years(prep)
    return prep.wrap((prep["end"] - prep["start"]) / prep["years"])


def project_pp(base: Values, pace_pp: Values, years: Values) -> Values:
    r"""Value of a share after ``years`` at a constant pace in percentage points.

    .. math:: \hat x = \mathrm{base} + v \cdot \mathrm{years}

    Parameters
    ----------
    base : float, ndarray, Series or DataFrame
        Value in the base year [%].
    pace_pp : float, ndarray, Series or DataFrame
        Change per year [percentage points per year].
    years : float, ndarray, Series or DataFrame
        Horizon, >= 0 [years].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Projected value [%]. Not clipped to [0, 100].

    Raises
    ------
    ValueError
        If ``years`` < 0 or the shapes or labels do not fit.

    References
    ----------
    German Sustainable Development Strategy (linear continuation of the average
    change), see shared/METHODS.md.

    Examples
    --------
    >>> round(project_pp(50.0, 1.0, 5), 6)
    55.0
    """
    prep = prepare(base=base, pace_pp=pace_pp, years=years)
    check_years(prep, allow_zero=True)
    return prep.wrap(prep["base"] + prep["pace_pp"] * prep["years"])


def growth_rates(
    frame: np.ndarray | pd.Series | pd.DataFrame,
    years: Any = None,
    *,
    allow_negative: bool = False,
) -> np.ndarray | pd.Series | pd.DataFrame:
    r"""Annualised growth rate between consecutive years of a wide panel.

    .. math:: g_{i,t_k} = \left(\frac{x_{i,t_{k+1}}}{x_{i,t_k}}\right)^{1/(t_{k+1}-t_k)} - 1

    Year gaps may be uneven. Each rate is stamped at the *start* year of its
    interval, as in pyam's ``compute.growth_rate``; the last year has no rate.
    Unsorted years are sorted first. A NaN level makes the two rates next to it NaN
    (pyam, working on long data, would skip the missing year instead).

    Parameters
    ----------
    frame : DataFrame, Series or ndarray
        Levels, rows = series and columns = years (DataFrame or 2-D ndarray), or one
        series indexed by year (Series or 1-D ndarray) [indicator's unit].
    years : array-like, optional
        The years of the columns; required for an ndarray, otherwise read from the
        DataFrame's columns or the Series' index [calendar year].
    allow_negative : bool, default False
        Accept rows that are negative throughout (the ratio of two negative levels
        is positive), as pyam does. Rows that cross zero are always an error.

    Returns
    -------
    DataFrame, Series or ndarray
        Rates, one column fewer than ``frame``; pandas output keeps the index and
        labels columns with the start years [fraction per year].

    Raises
    ------
    ValueError
        If a level is <= 0 (or a row crosses zero with ``allow_negative``), fewer
        than two years are given, years repeat or are not numbers, or ``years``
        does not match the number of columns.

    References
    ----------
    pyam ``pyam.timeseries.growth_rate``; UN Statistics Division CAGR (module
    references).

    Examples
    --------
    >>> panel = pd.DataFrame([[100.0, 110.0, 133.1]], index=["gdp"],
    ...                      columns=[2015, 2016, 2018])
    >>> growth_rates(panel).round(6)
         2015  2016
    gdp   0.1   0.1
    """
    arr, yrs, labels, original = _panel(frame, years)
    if arr.shape[-1] < 2:
        raise ValueError(
            f"frame needs at least two years (columns) for a growth rate; got {arr.shape[-1]}"
        )
    _check_panel_sign(arr, original, allow_negative)
    order = np.argsort(yrs, kind="stable")
    yrs, arr, labels = yrs[order], arr[..., order], labels[order]
    dup = np.diff(yrs) == 0
    if np.any(dup):
        raise ValueError(f"years must not repeat; {yrs[1:][dup][0]:g} appears twice")
    with np.errstate(divide="ignore", invalid="ignore"):
        # the whole computation is one array expression over all rows and intervals
        out = (arr[..., 1:] / arr[..., :-1]) ** (1.0 / np.diff(yrs)) - 1.0
    if isinstance(original, pd.DataFrame):
        return pd.DataFrame(out, index=original.index, columns=labels[:-1])
    if isinstance(original, pd.Series):
        return pd.Series(out, index=labels[:-1])
    return out


def _panel(frame: Any, years: Any) -> tuple[np.ndarray, np.ndarray, pd.Index, Any]:
    if isinstance(frame, pd.DataFrame):
        labels = frame.columns
    elif isinstance(frame, pd.Series):
        labels = frame.index
    else:
        labels = None
    try:
        arr = (
            frame.to_numpy(dtype=float)
            if labels is not None
            else np.asarray(frame, dtype=float)
        )
    except (TypeError, ValueError) as exc:
        raise TypeError(f"frame must hold numbers ({exc})") from None
    if arr.ndim not in (1, 2):
        raise ValueError(f"frame must be 1-D or 2-D (rows = series, columns = years); got shape {arr.shape}")
    if years is None:
        if labels is None:
            raise ValueError("years is required when frame is an ndarray (it has no year labels)")
        source = "frame.columns" if isinstance(frame, pd.DataFrame) else "frame.index"
        try:
            yrs = np.asarray(pd.to_numeric(np.asarray(labels)), dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"{source} must be years (numbers) to compute growth rates; got "
                f"{list(labels)[:5]!r}; pass years=... explicitly"
            ) from None
    else:
        yrs = np.asarray(years, dtype=float).ravel()
        if yrs.shape[0] != arr.shape[-1]:
            raise ValueError(
                f"years has {yrs.shape[0]} values but frame has {arr.shape[-1]} "
                f"year columns (frame shape {arr.shape})"
            )
        if labels is None:
            labels = pd.Index(np.asarray(years).ravel())
    if not np.all(np.isfinite(yrs)):
        raise ValueError("years must be finite numbers")
    return arr, yrs, pd.Index(labels), frame


def _check_panel_sign(arr: np.ndarray, original: Any, allow_negative: bool) -> None:
    unsorted = arr  # checked before sorting: positions are in the caller's column order
    bad = unsorted == 0 if allow_negative else unsorted <= 0
    if np.any(bad):
        flat = int(np.argmax(bad.ravel()))
        value = unsorted.ravel()[flat]
        need = "non-zero" if allow_negative else "positive"
        hint = "; pass allow_negative=True for series that are negative throughout" if value < 0 else ""
        raise ValueError(
            f"frame must be {need} for a geometric growth rate; got "
            f"{value:g}{describe_position(unsorted, flat, original)}{hint}"
        )
    if allow_negative:
        rows = unsorted.reshape(-1, unsorted.shape[-1])
        crosses = (rows > 0).any(axis=1) & (rows < 0).any(axis=1)
        if np.any(crosses):
            i = int(np.argmax(crosses))
            name = f" ({label(original.index[i])!r})" if isinstance(original, pd.DataFrame) else ""
            raise ValueError(
                f"frame row {i}{name} crosses zero (it has positive and negative "
                f"levels); no geometric growth rate exists"
            )


def cumulative_total(base_flow: Values, rate: Values, years: Values) -> Values:
    r"""Sum of ``years`` annual flows growing at ``rate`` from ``base_flow``.

    .. math::

        C = \sum_{t=1}^{n} b (1+g)^t = b (1+g) \frac{(1+g)^n - 1}{g},
        \qquad C = n b \text{ at } g = 0

    The base year's own flow :math:`b` is *not* in the sum: a 14th-plan five-year
    total covers 2021-2025 with 2020 as base. Computed as
    :math:`b (1+g)\,\mathrm{expm1}(n\,\mathrm{log1p}(g))/g`, exact near :math:`g = 0`.

    Parameters
    ----------
    base_flow : float, ndarray, Series or DataFrame
        Annual flow in the base year [indicator's unit per year].
    rate : float, ndarray, Series or DataFrame
        Growth rate of the flow, >= -1 [fraction per year].
    years : float, ndarray, Series or DataFrame
        Number of years summed, a whole number > 0 [years].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Total over the period [indicator's unit].

    Raises
    ------
    ValueError
        If ``rate`` < -1, ``years`` is not a whole number > 0, or the shapes or
        labels do not fit.

    References
    ----------
    NBS 累计法 (方程式法), see the module references.

    Examples
    --------
    >>> round(cumulative_total(100.0, 0.1, 2), 6)
    231.0
    >>> cumulative_total(100.0, 0.0, 5)
    500.0
    """
    prep = prepare(base_flow=base_flow, rate=rate, years=years)
    check_rate(prep, "rate")
    check_years(prep, whole=True)
    return prep.wrap(_cumulative_total(prep["base_flow"], prep["rate"], prep["years"]))


def _cumulative_total(b: np.ndarray, g: np.ndarray, n: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.expm1(n * np.log1p(g)) / g
    ratio = np.where(g == 0, n, ratio)
    return b * (1.0 + g) * ratio


@dataclass(frozen=True, repr=False)
class CumulativeRateResult(ResultBase):
    """Result of :func:`required_rate_cumulative`.

    ``str()``, ``repr()`` and the notebook display show :meth:`summary`;
    :meth:`to_frame` gives one row per element.

    Attributes
    ----------
    rate : float, ndarray, Series or DataFrame
        Growth rate of the annual flow that makes the period's total reach the
        target; NaN only where an input was NaN or infinite [fraction per year].
    converged : bool, ndarray, Series or DataFrame
        Whether the solver reached ``xtol``; False where an input was NaN or
        infinite.
    iterations : int, ndarray, Series or DataFrame
        Iterations used (0 where an input was NaN or infinite).
    method : str
        ``"newton"`` (vectorised safeguarded Newton) or ``"brentq"`` (scipy,
        one call per element).
    """

    rate: Any
    converged: Any
    iterations: Any
    method: str

    @property
    def all_converged(self) -> bool:
        """True when every element with finite inputs converged."""
        rate = np.asarray(self.rate, dtype=float)
        return bool(np.all(np.asarray(self.converged) | np.isnan(rate)))

    def _frame(self) -> pd.DataFrame:
        """One row per element: ``rate`` [fraction per year], ``converged``,
        ``iterations``; indexed by the input's labels (stacked for a DataFrame)."""
        columns = {"rate": self.rate, "converged": self.converged, "iterations": self.iterations}
        if isinstance(self.rate, pd.DataFrame):
            index = pd.MultiIndex.from_product([self.rate.index, self.rate.columns])
            return pd.DataFrame({k: v.to_numpy().ravel() for k, v in columns.items()}, index=index)
        if isinstance(self.rate, pd.Series):
            return pd.DataFrame(columns)
        return pd.DataFrame({k: np.ravel(v) for k, v in columns.items()})

    def _summary(self, lang: str = "en") -> str:
        """Plain-text summary (the same text every time for the same inputs)."""
        title = f"Cumulative-method rate (累计法), solver {self.method}"
        if np.ndim(self.rate) == 0:
            return (
                f"{title}\nrate = {self.rate:.6%} a year [{self.rate:.10g} fraction per year], "
                f"converged={self.converged}, iterations={self.iterations}"
            )
        rate = np.asarray(self.rate, dtype=float)
        conv = np.asarray(self.converged)
        nan = np.isnan(rate)
        return (
            f"{title}\n{rate.size} elements, shape {rate.shape}: {int(conv.sum())} converged, "
            f"{int((~conv & ~nan).sum())} not converged, {int(nan.sum())} with NaN or infinite input; "
            f"iterations max {int(np.max(np.asarray(self.iterations), initial=0))}\n\n"
            f"{self.to_frame().to_string(max_rows=20)}"
        )


def _cumulative_bracket(q: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bracket for u = log(1+g) with q = total / (n * base_flow).

    Mean of the n terms (1+g)^t >= their geometric mean (1+g)^((n+1)/2), so the
    root is at most u_hi = 2 log(q)/(n+1); each term is at most max(1+g, (1+g)^n),
    so the root is at least log(q)/n (q >= 1) or log(q) (q < 1). For n = 1 the two
    bounds coincide with the root.
    """
    log_q = np.log(q)
    u_lo = np.where(q >= 1, log_q / n, log_q)
    u_hi = 2.0 * log_q / (n + 1.0)
    return u_lo, u_hi


def required_rate_cumulative(
    base_flow: Values,
    total: Values,
    years: Values,
    *,
    method: Literal["newton", "brentq"] = "newton",
    xtol: float = 1e-12,
    maxiter: int = 100,
) -> CumulativeRateResult:
    r"""Growth rate at which the period's annual flows add up to ``total`` (累计法).

    Solves for :math:`g`

    .. math:: \sum_{t=1}^{n} b (1+g)^t = \mathrm{total}

    where :math:`b` is the base year's flow (not part of the sum). With
    :math:`b > 0` and total > 0 the left side rises strictly from 0 (at
    :math:`g = -1`) to infinity, so there is exactly one root above -1.

    ``method="newton"`` (default) works on all elements at once in numpy: Newton's
    method on :math:`\psi(u) = \log \sum_t e^{tu} - \log(\mathrm{total}/b)` with
    :math:`u = \log(1+g)`, started at the upper bound of the bracket
    :math:`[\log q / n \text{ or } \log q,\ 2\log q/(n+1)]`, :math:`q =
    \mathrm{total}/(n b)`, and held inside it by bisection. :math:`\psi` is convex and
    increasing, so the iterates fall monotonically onto the root; 3-6 iterations
    are typical. ``method="brentq"`` calls :func:`scipy.optimize.brentq` on the
    same bracket once per element in a Python loop: a slow, independent reference.

    Parameters
    ----------
    base_flow : float, ndarray, Series or DataFrame
        Annual flow in the base year, > 0 [indicator's unit per year].
    total : float, ndarray, Series or DataFrame
        Target sum of the flows over years 1..n, > 0 [indicator's unit].
    years : float, ndarray, Series or DataFrame
        Number of years summed, a whole number > 0 [years].
    method : {"newton", "brentq"}
        Vectorised Newton (default) or scipy's brentq element by element.
    xtol : float
        Absolute tolerance on the rate [fraction per year].
    maxiter : int
        Maximum iterations per element.

    Returns
    -------
    CumulativeRateResult
        ``rate``, ``converged``, ``iterations`` shaped like the inputs, and
        ``method``. If an element does not converge a :class:`SolverConvergenceWarning`
        is issued and its ``rate`` holds the last iterate (never a silent NaN).

    Raises
    ------
    ValueError
        If ``base_flow`` or ``total`` has a value <= 0 (the root cannot be
        bracketed), ``years`` is not a whole number > 0, or the shapes or labels do
        not fit.

    References
    ----------
    NBS 累计法 / 方程式法 (module references); QuantEcon ``optimize`` results
    (root, converged, iterations).

    Examples
    --------
    A flow of 100 growing 10% a year sums to 110 + 121 = 231 over two years:

    >>> res = required_rate_cumulative(100.0, 231.0, 2)
    >>> round(res.rate, 10), res.converged
    (0.1, True)
    >>> print(res)
    Cumulative-method rate (累计法), solver newton
    rate = 10.000000% a year [0.1 fraction per year], converged=True, iterations=3
    >>> required_rate_cumulative(100.0, 500.0, 5).rate
    0.0
    """
    if method not in ("newton", "brentq"):
        raise ValueError(f"method must be 'newton' or 'brentq'; got {method!r}")
    prep = prepare(base_flow=base_flow, total=total, years=years)
    check_positive(prep, "base_flow", "a cumulative growth rate")
    check_positive(
        prep,
        "total",
        "a cumulative growth rate (the sum of positive flows is positive for every "
        "rate above -1, so a total <= 0 cannot be bracketed)",
    )
    check_years(prep, whole=True)
    b = np.broadcast_to(prep["base_flow"], prep.shape).ravel()
    total_ = np.broadcast_to(prep["total"], prep.shape).ravel()
    n = np.broadcast_to(prep["years"], prep.shape).ravel()
    valid = np.isfinite(b) & np.isfinite(total_) & np.isfinite(n)
    with np.errstate(over="ignore"):
        overflow = valid & ~np.isfinite(total_ / (n * b))
    if np.any(overflow):
        i = int(np.argmax(overflow))
        raise ValueError(
            f"total / base_flow overflows at position {i} (total={total_[i]:g}, "
            f"base_flow={b[i]:g}); rescale the two to a common unit"
        )
    solve = _newton_cumulative if method == "newton" else _brentq_cumulative
    rate = np.full(b.shape, np.nan)
    converged = np.zeros(b.shape, dtype=bool)
    iterations = np.zeros(b.shape, dtype=int)
    if np.any(valid):
        r, c, it = solve(b[valid], total_[valid], n[valid], xtol, maxiter)
        rate[valid], converged[valid], iterations[valid] = r, c, it
    n_fail = int(np.count_nonzero(valid & ~converged))
    if n_fail:
        warnings.warn(
            f"required_rate_cumulative: {n_fail} element(s) did not converge to "
            f"xtol={xtol:g} in maxiter={maxiter} iterations; see result.converged",
            SolverConvergenceWarning,
            stacklevel=2,
        )
    shape = prep.shape
    return CumulativeRateResult(
        rate=prep.wrap(rate.reshape(shape)),
        converged=prep.wrap(converged.reshape(shape), dtype=bool),
        iterations=prep.wrap(iterations.reshape(shape), dtype=int),
        method=method,
    )


def _log_sum_terms(u: np.ndarray, n: np.ndarray, n_max: int) -> tuple[np.ndarray, np.ndarray]:
    """log of S(u) = sum_{t=1..n} e^{tu} and d log S / du, overflow-safe.

    Terms are scaled by the largest, e^{m} with m = max(u, n u); the loop runs over
    the n terms of the sum and is vectorised over elements.
    """
    m = np.maximum(u, n * u)
    s = np.zeros_like(u)
    ts = np.zeros_like(u)
    for t in range(1, n_max + 1):
        term = np.where(t <= n, np.exp(t * u - m), 0.0)
        s += term
        ts += t * term
    return m + np.log(s), ts / s


def _newton_cumulative(
    b: np.ndarray, total: np.ndarray, n: np.ndarray, xtol: float, maxiter: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q = total / (n * b)
    log_target = np.log(total / b)
    lo, hi = _cumulative_bracket(q, n)
    margin = 1e-9 * (1.0 + np.abs(lo) + np.abs(hi))
    lo, hi = lo - margin, hi + margin
    u = 2.0 * np.log(q) / (n + 1.0)  # upper bound: psi(u) >= 0, Newton falls monotonically
    n_max = int(n.max())
    converged = np.zeros(u.shape, dtype=bool)
    iterations = np.zeros(u.shape, dtype=int)
    for _ in range(maxiter):
        active = ~converged
        if not np.any(active):
            break
        ua = u[active]
        log_s, dlog_s = _log_sum_terms(ua, n[active], n_max)
        psi = log_s - log_target[active]
        lo_a = np.where(psi < 0, ua, lo[active])
        hi_a = np.where(psi > 0, ua, hi[active])
        step = np.where(psi == 0, ua, ua - psi / dlog_s)
        outside = (step < lo_a) | (step > hi_a)
        new = np.where(outside, 0.5 * (lo_a + hi_a), step)
        done = (np.abs(np.expm1(new) - np.expm1(ua)) <= xtol) | (psi == 0)
        u[active], lo[active], hi[active] = new, lo_a, hi_a
        iterations[active] += 1
        converged[active] = done
    return np.expm1(u), converged, iterations


def _brentq_cumulative(
    b: np.ndarray, total: np.ndarray, n: np.ndarray, xtol: float, maxiter: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from scipy.optimize import brentq  # lazy: keep `import xiangxi_econ` light

    q = total / (n * b)
    lo, hi = _cumulative_bracket(q, n)
    # widen by a factor on 1+g so the signs at the ends are strict despite rounding
    g_lo, g_hi = np.expm1(lo - 1e-3), np.expm1(hi + 1e-3)
    rate = np.empty(b.shape)
    converged = np.empty(b.shape, dtype=bool)
    iterations = np.empty(b.shape, dtype=int)

    def excess(g: float, bi: float, ti: float, ni: float) -> float:
        """Relative excess of the sum of flows over the total, C(g)/total - 1."""
        flows = _cumulative_total(np.asarray(bi), np.asarray(g), np.asarray(ni))
        return float(flows) / ti - 1.0

    for i in range(b.size):  # reference method: one scalar solve per element
        root, info = brentq(
            excess, g_lo[i], g_hi[i], args=(b[i], total[i], n[i]),
            xtol=xtol, maxiter=maxiter, full_output=True, disp=False,
        )
        rate[i], converged[i], iterations[i] = root, info.converged, info.iterations
    return rate, converged, iterations
