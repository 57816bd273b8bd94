r"""Tourism revenue as arrivals times spending per visitor.

.. math::

    R\,[\text{亿元}] = \frac{A\,[\text{万人次}] \times S\,[\text{元}]}{10^4}

(:math:`A` in 万人次 is :math:`10^4 A` visits; :math:`10^4 A \cdot S` 元 is
:math:`A \cdot S / 10^4` 亿元, since 1 亿元 = :math:`10^8` 元.) Growth factors multiply,
:math:`1 + g_R = (1 + g_A)(1 + g_S)`, so a revenue target and the growth of one factor fix the
growth the other needs (:func:`xiangxi_econ.maths.identities.factor_rate_for_product`).

Xiangxi 2020 (第一章 第一节): more than 5490 万人次 and more than 461 亿元, so spending is
461e8 / 5490e4 = 839.71 元 per visit. The plan's note warns that these may be pre-pandemic (2019)
figures. Targets for 2025 (第二章 第三节): 1.2 亿人次 (12000 万人次) and 1000 亿元 — together they
imply 833.33 元 per visit, a little *less* than in 2020.

Revenue and spending are at current prices; their rates are nominal.

References
----------
.. [1] United Nations and UN World Tourism Organization (2010), *International Recommendations
   for Tourism Statistics 2008*, ch. 2 and 4: visitors and trips (人次 counts trips), tourism
   expenditure, and expenditure per trip as total expenditure over trips.
.. [2] OECD (2001), *Measuring Productivity*, ch. 2: growth of a product of indices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..._display import ResultBase
from ...data.plan_io import default_units
from ...maths.growth import required_rate
from ...maths.identities import IDENTITIES
from ._common import (
    ArrayLike,
    ComponentDisplay,
    _check_between,
    _compound,
    _factor_rate,
    _float_or_array,
    _frame,
    _plan_levels,
    _positive,
)

if TYPE_CHECKING:  # pragma: no cover
    from ...data.plan import Plan

__all__ = ["TourismModel", "TourismPaths", "implied_revenue", "implied_spending"]

_IDENTITY = IDENTITIES["tourism_revenue"]
_UNITS = {"tourism_arrivals": "万人次", "tourism_spending_per_visitor": "元", "tourism_revenue": "亿元"}


def _revenue(arrivals: Any, spending: Any) -> Any:
    """亿元 from 万人次 and 元, through the declared identity and the unit registry."""
    return _IDENTITY.evaluate({"tourism_arrivals": arrivals, "tourism_spending_per_visitor": spending}, default_units(),
                              value_units=_UNITS, result_unit="亿元")


def _spending_per_visit(revenue: Any, arrivals: Any) -> Any:
    """元 per visit from 亿元 and 万人次: the identity solved for spending (revenue / arrivals)."""
    return _IDENTITY.solve("tourism_spending_per_visitor", {"tourism_revenue": revenue, "tourism_arrivals": arrivals},
                           default_units(),
                           value_units=_UNITS, part_unit="元")


def implied_revenue(arrivals: ArrayLike, spending: ArrayLike) -> ArrayLike:
    r"""Revenue from arrivals and spending per visitor, :math:`R = A S / 10^4`.

    Parameters
    ----------
    arrivals : float or array_like
        Tourist arrivals, >= 0 [万人次].
    spending : float or array_like
        Spending per visitor (per visit), >= 0 [元].

    Returns
    -------
    float or numpy.ndarray
        Revenue [亿元].

    Examples
    --------
    1.2 亿人次 = 12000 万人次 at 1200 元 each:

    >>> implied_revenue(12000, 1200)
    1440.0
    """
    _check_between("arrivals", arrivals, "万人次", 0, np.inf, lo_open=False)
    _check_between("spending", spending, "元", 0, np.inf, lo_open=False)
    return _float_or_array(_revenue(arrivals, spending))


def implied_spending(revenue: ArrayLike, arrivals: ArrayLike) -> ArrayLike:
    r"""Spending per visitor from revenue and arrivals, :math:`S = 10^4 R / A`.

    Parameters
    ----------
    revenue : float or array_like
        Revenue, >= 0 [亿元].
    arrivals : float or array_like
        Arrivals, > 0 [万人次].

    Returns
    -------
    float or numpy.ndarray
        Spending per visitor [元].

    Examples
    --------
    >>> round(implied_spending(461, 5490), 2)
    839.71
    """
    _check_between("revenue", revenue, "亿元", 0, np.inf, lo_open=False)
    _check_between("arrivals", arrivals, "万人次", 0, np.inf)
    return _float_or_array(_spending_per_visit(revenue, arrivals))


@dataclass(frozen=True, repr=False)
class TourismPaths(ResultBase):
    """Growth each tourism target needs, from :meth:`TourismModel.paths_to_targets`.

    Attributes
    ----------
    years : float
        Horizon [years].
    arrivals_target, spending_target, revenue_target : float or numpy.ndarray
        The targets [万人次, 元, 亿元]; ``spending_target`` is the spending the arrivals and
        revenue targets imply when none was given.
    arrivals_rate, spending_rate, revenue_rate : float or numpy.ndarray
        Growth from the base year to each target [fraction per year].
    implied_revenue : float or numpy.ndarray
        Revenue if the arrivals and spending targets are both met [亿元].
    revenue_gap : float or numpy.ndarray
        ``implied_revenue - revenue_target``; negative when meeting the arrivals and spending
        targets would not be enough for the revenue target [亿元].
    """

    years: Any
    arrivals_target: Any
    spending_target: Any
    revenue_target: Any
    arrivals_rate: Any
    spending_rate: Any
    revenue_rate: Any
    implied_revenue: Any
    revenue_gap: Any

    _fields = ("arrivals_target", "spending_target", "revenue_target", "arrivals_rate", "spending_rate",
               "revenue_rate", "implied_revenue", "revenue_gap")

    def _frame(self) -> pd.DataFrame:
        """One row per element (one row for scalar targets), one column per attribute
        (targets in 万人次, 元, 亿元; rates in fraction per year)."""
        values = np.broadcast_arrays(*(np.asarray(getattr(self, f), dtype=float) for f in self._fields))
        return pd.DataFrame({f: np.ravel(v) for f, v in zip(self._fields, values, strict=True)})

    def _summary(self, lang: str = "en") -> str:
        """Plain text: the required rates and the implied revenue."""
        head = f"Tourism targets over {np.ravel(self.years)[0]:g} years: required growth"
        if any(np.ndim(getattr(self, f)) for f in self._fields):
            return f"{head}\n\n{self.to_frame().to_string(max_rows=20)}"
        lines = [head, "",
                 f"  arrivals              {self.arrivals_target:>12,.6g} 万人次  {self.arrivals_rate:>8.2%} a year",
                 f"  spending per visitor  {self.spending_target:>12,.6g} 元      {self.spending_rate:>8.2%} a year",
                 f"  revenue               {self.revenue_target:>12,.6g} 亿元    {self.revenue_rate:>8.2%} a year",
                 f"  implied revenue       {self.implied_revenue:>12,.6g} 亿元    (arrivals × spending targets; "
                 f"gap {self.revenue_gap:+,.6g} 亿元)"]
        return "\n".join(lines)


@dataclass(frozen=True, repr=False)
class TourismModel(ComponentDisplay):
    r"""Tourism revenue = arrivals × spending per visitor.

    .. math:: R\,[\text{亿元}] = A\,[\text{万人次}] \cdot S\,[\text{元}] / 10^4,
              \qquad 1 + g_R = (1 + g_A)(1 + g_S)

    Parameters
    ----------
    arrivals : float
        Tourist arrivals (visits) in the base year, > 0 [万人次].
    spending : float
        Spending per visitor (per visit) in the base year, > 0 [元, current prices].
    year, sources : optional
        Base year [calendar year] (without it, projection frames count years after the base year)
        and where each component came from; :meth:`from_plan` fills both.

    Attributes
    ----------
    revenue : float
        Tourism revenue in the base year [亿元, current prices].

    References
    ----------
    UN/UNWTO, *International Recommendations for Tourism Statistics 2008* (module references).

    Examples
    --------
    >>> t = TourismModel.from_revenue(arrivals=5490, revenue=461)
    >>> round(t.spending, 2)
    839.71
    >>> print(f"{t.required_spending_rate(1000, t.required_arrivals_rate(1000, 0.0, 5), 5):.2%}")
    0.00%
    """

    arrivals: float
    spending: float
    year: int | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "arrivals", _positive("arrivals", self.arrivals, "万人次"))
        object.__setattr__(self, "spending", _positive("spending", self.spending, "元"))
        object.__setattr__(self, "sources", dict(self.sources))

    implied_revenue = staticmethod(implied_revenue)
    implied_spending = staticmethod(implied_spending)

    @property
    def revenue(self) -> float:
        """Revenue in the base year [亿元]."""
        return float(_revenue(self.arrivals, self.spending))

    @classmethod
    def from_revenue(cls, arrivals: float, revenue: float, year: int | None = None,
                     sources: Mapping[str, str] | None = None) -> TourismModel:
        """A model from arrivals [万人次] and revenue [亿元]; spending = 1e4 × revenue / arrivals [元]."""
        a = _positive("arrivals", arrivals, "万人次")
        r = _positive("revenue", revenue, "亿元")
        return cls(a, float(_spending_per_visit(r, a)), year, dict(sources or {}))

    @classmethod
    def from_plan(cls, plan: Plan, year: int | None = None) -> TourismModel:
        """Arrivals (``tourism_arrivals``) and revenue (``tourism_revenue``) in ``year`` from a plan.

        Examples
        --------
        >>> import xiangxi_econ as xe
        >>> t = TourismModel.from_plan(xe.load_plan())
        >>> t.arrivals, t.revenue, round(t.spending, 2)
        (5490.0, 461.0, 839.71)
        """
        year, v, sources = _plan_levels(plan, year, {"arrivals": ("tourism_arrivals", "person_visit", 1e4),
                                                     "revenue": ("tourism_revenue", "CNY", 1e8)})
        return cls.from_revenue(v["arrivals"], v["revenue"], year, sources)

    # ---------------------------------------------------------------- projection
    def project(self, arrivals_rate: float, spending_rate: float, years: int) -> pd.DataFrame:
        r"""Path of arrivals, spending per visitor and revenue.

        .. math:: A_k = A_0(1+g_A)^k, \quad S_k = S_0(1+g_S)^k, \quad R_k = A_k S_k / 10^4

        Parameters
        ----------
        arrivals_rate : float
            Growth of arrivals [fraction per year].
        spending_rate : float
            Nominal growth of spending per visitor [fraction per year].
        years : int
            Number of years after the base year, whole, >= 0 [years].

        Returns
        -------
        pandas.DataFrame
            Columns ``year, arrivals, spending, revenue``; units in ``frame.attrs['units']``
            (万人次, 元, 亿元).

        Examples
        --------
        >>> TourismModel.from_revenue(5490, 461, 2020).project(0.1, 0.0, 2).round(2)
           year  arrivals  spending  revenue
        0  2020    5490.0    839.71   461.00
        1  2021    6039.0    839.71   507.10
        2  2022    6642.9    839.71   557.81
        """
        k, (a, s) = _compound(years, arrivals_rate=(self.arrivals, arrivals_rate),
                              spending_rate=(self.spending, spending_rate))
        return _frame(self.year, k, {"arrivals": a, "spending": s, "revenue": _revenue(a, s)},
                      {"arrivals": "万人次", "spending": "元 per visit (current prices)",
                       "revenue": "亿元 (current prices)"})

    # ---------------------------------------------------------------- solvers
    def required_spending_rate(self, revenue_target: ArrayLike, arrivals_rate: ArrayLike,
                               years: ArrayLike) -> ArrayLike:
        r"""Growth of spending per visitor that takes revenue to ``revenue_target``.

        .. math:: g_S = \frac{(R^*/R_0)^{1/n}}{1 + g_A} - 1

        Parameters
        ----------
        revenue_target : float or array_like
            Revenue target, > 0 [亿元].
        arrivals_rate : float or array_like
            Growth of arrivals [fraction per year].
        years : float or array_like
            Horizon, > 0 [years].

        Returns
        -------
        float or numpy.ndarray
            Nominal growth of spending per visitor [fraction per year].

        Examples
        --------
        1000 亿元 by 2025 (第二章 第三节) with arrivals growing 10% a year:

        >>> t = TourismModel.from_revenue(5490, 461)
        >>> print(f"{t.required_spending_rate(1000, 0.10, 5):.2%}")
        6.14%
        """
        return _factor_rate(self.revenue, "revenue_target", revenue_target, "亿元", years, arrivals_rate=arrivals_rate)

    def required_arrivals_rate(self, revenue_target: ArrayLike, spending_rate: ArrayLike,
                               years: ArrayLike) -> ArrayLike:
        r"""Growth of arrivals that takes revenue to ``revenue_target``.

        .. math:: g_A = \frac{(R^*/R_0)^{1/n}}{1 + g_S} - 1

        Parameters
        ----------
        revenue_target : float or array_like
            Revenue target, > 0 [亿元].
        spending_rate : float or array_like
            Nominal growth of spending per visitor [fraction per year].
        years : float or array_like
            Horizon, > 0 [years].

        Returns
        -------
        float or numpy.ndarray
            Growth of arrivals [fraction per year].

        Examples
        --------
        >>> t = TourismModel.from_revenue(5490, 461)
        >>> t.required_arrivals_rate(1000, np.array([0.0, 0.03]), 5).round(4)
        array([0.1675, 0.1335])
        """
        return _factor_rate(self.revenue, "revenue_target", revenue_target, "亿元", years, spending_rate=spending_rate)

    def paths_to_targets(self, arrivals_target: ArrayLike, spending_target: ArrayLike | None,
                         revenue_target: ArrayLike, years: ArrayLike) -> TourismPaths:
        r"""Growth each of the three targets needs, and the revenue the first two imply.

        .. math::

            g_A = (A^*/A_0)^{1/n} - 1, \quad g_S = (S^*/S_0)^{1/n} - 1, \quad
            g_R = (R^*/R_0)^{1/n} - 1, \quad \hat R = A^* S^* / 10^4

        Parameters
        ----------
        arrivals_target : float or array_like
            Arrivals target, > 0 [万人次] (1.2 亿人次 = 12000 万人次).
        spending_target : float or array_like or None
            Spending-per-visitor target, > 0 [元]. None: the spending the arrivals and revenue
            targets imply, :math:`10^4 R^*/A^*`.
        revenue_target : float or array_like
            Revenue target, > 0 [亿元].
        years : float or array_like
            Horizon, > 0 [years].

        Returns
        -------
        TourismPaths
            Required rates, implied revenue and the gap to the revenue target.

        Examples
        --------
        第二章 第三节: 1.2 亿人次 and 1000 亿元 by 2025, and (say) 1200 元 per visit:

        >>> t = TourismModel.from_revenue(5490, 461)
        >>> p = t.paths_to_targets(12000, 1200, 1000, 5)
        >>> print(f"{p.arrivals_rate:.2%} {p.spending_rate:.2%} {p.revenue_rate:.2%} {p.implied_revenue:g}")
        16.93% 7.40% 16.75% 1440
        >>> p = t.paths_to_targets(12000, None, 1000, 5)
        >>> print(f"{p.spending_target:.2f} 元, {p.spending_rate:.2%} a year")
        833.33 元, -0.15% a year
        """
        _check_between("arrivals_target", arrivals_target, "万人次", 0, np.inf)
        _check_between("revenue_target", revenue_target, "亿元", 0, np.inf)
        _check_between("years", years, "years", 0, np.inf)
        if spending_target is not None:
            _check_between("spending_target", spending_target, "元", 0, np.inf)
        else:
            spending_target = implied_spending(revenue_target, arrivals_target)
        revenue = implied_revenue(arrivals_target, spending_target)
        return TourismPaths(
            years=_float_or_array(years),
            arrivals_target=_float_or_array(arrivals_target),
            spending_target=_float_or_array(spending_target),
            revenue_target=_float_or_array(revenue_target),
            arrivals_rate=_float_or_array(required_rate(self.arrivals, arrivals_target, years)),
            spending_rate=_float_or_array(required_rate(self.spending, spending_target, years)),
            revenue_rate=_float_or_array(required_rate(self.revenue, revenue_target, years)),
            implied_revenue=revenue,
            revenue_gap=_float_or_array(np.asarray(revenue) - np.asarray(revenue_target, dtype=float)),
        )

    # ---------------------------------------------------------------- display
    def _rows(self) -> list[tuple[str, float, str]]:
        return [("arrivals", self.arrivals, "万人次"), ("spending per visitor", self.spending, "元"),
                ("revenue", self.revenue, "亿元")]

    def _headline(self) -> str:
        return f"Tourism revenue = arrivals × spending per visitor ({self._year_text()}, current prices)"
