r"""Urbanisation: the urban share of the resident population, on a linear or a logistic path.

With urban population :math:`U`, rural population :math:`R` and urbanisation rate
:math:`p = U/(U+R)` (here in percent, :math:`100\,p`), the UN's urban–rural growth difference is

.. math::

    \mathrm{URGD} = r_U - r_R = \frac{d}{dt}\ln\frac{U}{R} = \frac{d}{dt}\,\mathrm{logit}(p),
    \qquad \mathrm{logit}(p) = \ln\frac{p}{1 - p}.

A constant URGD makes :math:`\mathrm{logit}(p)` linear in time, i.e. :math:`p` follows a logistic
curve that never reaches 100%:

.. math::

    p_t = \frac{1}{1 + e^{-(\mathrm{logit}(p_0) + \mathrm{URGD}\cdot t)}}, \qquad
    \mathrm{URGD} = \frac{\mathrm{logit}(p_T) - \mathrm{logit}(p_0)}{T}.

The plan's own language is linear (提高…个百分点): :math:`p_t = p_0 + v t` with :math:`v` in
percentage points per year, which can run past 100% if carried far enough.

Xiangxi: 41.1% in 2015 and 50% in 2020 (专栏1 序号8) give URGD
:math:`(\mathrm{logit}(0.5) - \mathrm{logit}(0.411))/5 = 0.071967`; continued, it reaches
58.9% in 2025, above the 55% target of 专栏2 序号8, which needs URGD 0.0401. Urban population
128 万 (第一章 第一节) at 50% means a resident population of 256 万.

References
----------
.. [1] United Nations (1974), *Manual VIII: Methods for Projections of Urban and Rural
   Population*, Population Studies No. 55, ST/ESA/SER.A/55: the urban–rural growth difference
   and its logistic projection.
.. [2] United Nations, Department of Economic and Social Affairs, Population Division (2019),
   *World Urbanization Prospects: The 2018 Revision — Methodology*, ESA/P/WP.252: projection of
   the proportion urban by extrapolating the URGD.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...maths.growth import pace_pp as _pace_pp
from ._common import (
    ArrayLike,
    ComponentDisplay,
    _check_between,
    _check_rates,
    _float_or_array,
    _frame,
    _plan_level,
    _positive,
    _scalar,
    _steps,
)

if TYPE_CHECKING:  # pragma: no cover
    from ...data.plan import Plan

__all__ = ["UrbanisationModel", "logistic_rate", "urgd"]


def _rate(name: str, value: Any) -> np.ndarray:
    """An urbanisation rate strictly between 0 and 100 [%] as an array (NaN passes)."""
    _check_between(name, value, "%", 0, 100)
    return np.asarray(value, dtype=float)


def _logit_pct(p: np.ndarray) -> np.ndarray:
    """logit of a percentage: ln(p / (100 - p))."""
    return np.log(p) - np.log(100.0 - p)


def _expit_pct(x: np.ndarray) -> np.ndarray:
    """Inverse of :func:`_logit_pct`, in percent; stable for large |x| (tanh form)."""
    return 50.0 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


def urgd(start_rate: ArrayLike, end_rate: ArrayLike, years: ArrayLike) -> ArrayLike:
    r"""Urban–rural growth difference between two urbanisation rates.

    .. math:: \mathrm{URGD} = \frac{\mathrm{logit}(p_T) - \mathrm{logit}(p_0)}{T}

    Parameters
    ----------
    start_rate, end_rate : float or array_like
        Urbanisation rates, strictly between 0 and 100 [%].
    years : float or array_like
        Time between them, > 0 [years].

    Returns
    -------
    float or numpy.ndarray
        URGD: urban minus rural exponential growth rate [per year, continuous].

    Raises
    ------
    ValueError
        If a rate is not strictly between 0 and 100, or ``years`` is not positive.

    References
    ----------
    UN (1974) *Manual VIII*; UN DESA *World Urbanization Prospects* methodology (module
    references).

    Examples
    --------
    专栏1 序号8: 41.1% (2015) to 50% (2020):

    >>> round(urgd(41.1, 50.0, 5), 6)
    0.071967
    """
    p0, p1 = _rate("start_rate", start_rate), _rate("end_rate", end_rate)
    _check_between("years", years, "years", 0, np.inf)
    return _float_or_array((_logit_pct(p1) - _logit_pct(p0)) / np.asarray(years, dtype=float))


def logistic_rate(start_rate: ArrayLike, urgd: ArrayLike, years: ArrayLike) -> ArrayLike:
    r"""Urbanisation rate after ``years`` at a constant URGD (a logistic path).

    .. math:: p_t = 100 \,/\, \left(1 + e^{-(\mathrm{logit}(p_0) + \mathrm{URGD}\,t)}\right)

    Parameters
    ----------
    start_rate : float or array_like
        Rate at the start, strictly between 0 and 100 [%].
    urgd : float or array_like
        Urban–rural growth difference [per year, continuous].
    years : float or array_like
        Horizon, >= 0 [years].

    Returns
    -------
    float or numpy.ndarray
        Urbanisation rate [%]. Below 100 mathematically; in floating point it rounds to 100
        once :math:`\mathrm{logit}(p_0) + \mathrm{URGD}\,t` passes about 37.

    Examples
    --------
    >>> round(logistic_rate(50.0, 0.071967, 5), 1)
    58.9
    """
    p0 = _rate("start_rate", start_rate)
    _check_between("years", years, "years", 0, np.inf, lo_open=False)
    u = np.asarray(urgd, dtype=float)
    return _float_or_array(_expit_pct(_logit_pct(p0) + u * np.asarray(years, dtype=float)))


@dataclass(frozen=True, repr=False)
class UrbanisationModel(ComponentDisplay):
    r"""Urbanisation rate, with the resident population when known.

    .. math:: p = 100\,U / N, \qquad U = N p / 100, \qquad R = N - U

    Parameters
    ----------
    rate_pct : float
        Urbanisation rate (常住人口城镇化率) in the base year, strictly between 0 and 100 [%].
    total_population : float, optional
        Resident population in the base year, > 0 [万人]; needed for urban population.
    year, sources : optional
        Base year [calendar year] (without it, projection frames count years after the base year)
        and where each component came from; :meth:`from_plan` fills both.

    Attributes
    ----------
    urban_population, rural_population : float or None
        Urban and rural resident population in the base year [万人]; None without
        ``total_population``.

    References
    ----------
    UN (1974) *Manual VIII*; UN DESA *World Urbanization Prospects* methodology (module
    references).

    Examples
    --------
    >>> m = UrbanisationModel.from_urban_population(50.0, 128.0)
    >>> m.total_population
    256.0
    >>> round(m.required_urgd(55.0, 5), 4)
    0.0401
    >>> round(m.rate_after(m.urgd(41.1, 50.0, 5), 5), 1)
    58.9
    >>> UrbanisationModel(100.0)
    Traceback (most recent call last):
    ...
    ValueError: rate_pct must be strictly between 0 and 100 [%]; got 100
    """

    rate_pct: float
    total_population: float | None = None
    year: int | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        p = _scalar("rate_pct", self.rate_pct, "%")
        _rate("rate_pct", p)
        object.__setattr__(self, "rate_pct", p)
        if self.total_population is not None:
            object.__setattr__(self, "total_population",
                               _positive("total_population", self.total_population, "万人"))
        object.__setattr__(self, "sources", dict(self.sources))

    urgd = staticmethod(urgd)

    @property
    def urban_population(self) -> float | None:
        """Urban resident population in the base year [万人], or None."""
        return None if self.total_population is None else self.total_population * self.rate_pct / 100.0

    @property
    def rural_population(self) -> float | None:
        """Rural resident population in the base year [万人], or None."""
        urban = self.urban_population
        return None if self.total_population is None or urban is None else self.total_population - urban

    @classmethod
    def from_urban_population(cls, rate_pct: float, urban_population: float, year: int | None = None,
                              sources: Mapping[str, str] | None = None) -> UrbanisationModel:
        """A model from the rate [%] and the urban population [万人]: total = urban × 100 / rate."""
        p = _scalar("rate_pct", rate_pct, "%")
        _rate("rate_pct", p)
        u = _positive("urban_population", urban_population, "万人")
        return cls(p, u * 100.0 / p, year, dict(sources or {}))

    @classmethod
    def from_plan(cls, plan: Plan, year: int | None = None) -> UrbanisationModel:
        """Rate (``urbanisation_rate``) and, when the plan has it, urban population
        (``urban_population``) in ``year``.

        Examples
        --------
        >>> import xiangxi_econ as xe
        >>> plan = xe.load_plan()
        >>> UrbanisationModel.from_plan(plan).total_population
        256.0
        >>> UrbanisationModel.from_plan(plan, 2015).rate_pct
        41.1
        """
        year = plan.periods.base_year if year is None else year
        p, p_src = _plan_level(plan, "urbanisation_rate", year, "percent", 1.0)
        try:
            u, u_src = _plan_level(plan, "urban_population", year, "person", 1e4)
        except KeyError:
            return cls(p, None, year, {"rate_pct": p_src})
        return cls.from_urban_population(p, u, year, {"rate_pct": p_src, "urban_population": u_src})

    # ---------------------------------------------------------------- solvers
    def rate_after(self, urgd: ArrayLike, years: ArrayLike) -> ArrayLike:
        r"""Rate after ``years`` at a constant URGD from the base year (logistic).

        Parameters
        ----------
        urgd : float or array_like
            Urban–rural growth difference [per year, continuous].
        years : float or array_like
            Horizon, >= 0 [years].

        Returns
        -------
        float or numpy.ndarray
            Urbanisation rate [%].
        """
        return logistic_rate(self.rate_pct, urgd, years)

    def required_urgd(self, target_rate: ArrayLike, years: ArrayLike) -> ArrayLike:
        r"""URGD that takes the rate from the base year to ``target_rate`` in ``years``.

        .. math:: \mathrm{URGD} = \frac{\mathrm{logit}(p^*) - \mathrm{logit}(p_0)}{n}

        Parameters
        ----------
        target_rate : float or array_like
            Target, strictly between 0 and 100 [%].
        years : float or array_like
            Horizon, > 0 [years].

        Returns
        -------
        float or numpy.ndarray
            Required URGD [per year, continuous].

        Examples
        --------
        >>> UrbanisationModel(50.0).required_urgd(np.array([55.0, 60.0]), 5).round(4)
        array([0.0401, 0.0811])
        """
        return urgd(self.rate_pct, _rate("target_rate", target_rate), years)

    def required_pace_pp(self, target_rate: ArrayLike, years: ArrayLike) -> ArrayLike:
        r"""Linear pace that takes the rate to ``target_rate``, :math:`(p^* - p_0)/n`.

        Parameters
        ----------
        target_rate : float or array_like
            Target, strictly between 0 and 100 [%].
        years : float or array_like
            Horizon, > 0 [years].

        Returns
        -------
        float or numpy.ndarray
            Pace [percentage points per year].

        Examples
        --------
        >>> UrbanisationModel(50.0).required_pace_pp(55.0, 5)
        1.0
        """
        _rate("target_rate", target_rate)
        return _float_or_array(_pace_pp(self.rate_pct, target_rate, years))

    # ---------------------------------------------------------------- paths
    def linear_path(self, pace_pp: float, years: int) -> pd.DataFrame:
        r"""Rate by year at a constant pace, :math:`p_k = p_0 + v k`.

        Parameters
        ----------
        pace_pp : float
            Change per year [percentage points per year].
        years : int
            Number of years after the base year, whole, >= 0 [years].

        Returns
        -------
        pandas.DataFrame
            Columns ``year, rate_pct``.

        Raises
        ------
        ValueError
            If the path would reach 0 or 100% (the message names the year): use
            :meth:`logistic_path`.

        Examples
        --------
        >>> UrbanisationModel(50.0, year=2020).linear_path(1.0, 2)
           year  rate_pct
        0  2020      50.0
        1  2021      51.0
        2  2022      52.0
        """
        v = _scalar("pace_pp", pace_pp, "percentage points per year")
        k = _steps(years)
        p = self.rate_pct + v * k
        bad = (p <= 0) | (p >= 100)
        if np.any(bad):
            i = int(np.argmax(bad))
            raise ValueError(f"pace_pp {v:g} takes the rate to {p[i]:g}% in year {self._year_text()} + {i}; "
                             "a rate must stay "
                             f"strictly between 0 and 100 [%]: shorten the horizon or use logistic_path")
        return _frame(self.year, k, {"rate_pct": p}, {"rate_pct": "%"}, path="linear")

    def logistic_path(self, urgd: float, years: int) -> pd.DataFrame:
        r"""Rate by year at a constant URGD, bounded below 100%.

        .. math:: p_k = 100 / \left(1 + e^{-(\mathrm{logit}(p_0) + \mathrm{URGD}\,k)}\right)

        Parameters
        ----------
        urgd : float
            Urban–rural growth difference [per year, continuous].
        years : int
            Number of years after the base year, whole, >= 0 [years].

        Returns
        -------
        pandas.DataFrame
            Columns ``year, rate_pct``.

        Examples
        --------
        >>> UrbanisationModel(50.0, year=2020).logistic_path(0.071967, 5).round(2)
           year  rate_pct
        0  2020     50.00
        1  2021     51.80
        2  2022     53.59
        3  2023     55.38
        4  2024     57.15
        5  2025     58.90
        """
        u = _scalar("urgd", urgd, "per year")
        k = _steps(years)
        return _frame(self.year, k, {"rate_pct": logistic_rate(self.rate_pct, u, k)}, {"rate_pct": "%"},
                      path="logistic")

    def project(self, years: int, *, urgd: float | None = None, pace_pp: float | None = None,
                total_rate: float | None = None) -> pd.DataFrame:
        r"""Rate by year on a logistic (``urgd``) or linear (``pace_pp``) path, and, with
        ``total_rate``, total, urban and rural population.

        .. math:: N_k = N_0 (1 + g_N)^k, \quad U_k = N_k p_k / 100, \quad R_k = N_k - U_k

        Parameters
        ----------
        years : int
            Number of years after the base year, whole, >= 0 [years].
        urgd : float, optional
            Urban–rural growth difference for a logistic path [per year, continuous].
        pace_pp : float, optional
            Pace for a linear path [percentage points per year]. Give exactly one of ``urgd``
            and ``pace_pp``.
        total_rate : float, optional
            Growth of the resident population [fraction per year]; needs ``total_population``.

        Returns
        -------
        pandas.DataFrame
            Columns ``year, rate_pct`` and, with ``total_rate``, ``total_population,
            urban_population, rural_population`` [万人].
        """
        if (urgd is None) == (pace_pp is None):
            raise ValueError("give exactly one of urgd (logistic path) [per year] and pace_pp (linear path) "
                             f"[percentage points per year]; got {'both' if urgd is not None else 'neither'}")
        path = self.logistic_path(urgd, years) if urgd is not None else self.linear_path(pace_pp, years)  # type: ignore[arg-type]
        if total_rate is None:
            return path
        if self.total_population is None:
            raise ValueError("total_rate needs the base-year total_population [万人]; this model has none "
                             "(build it with total_population=... or from_urban_population)")
        g = _scalar("total_rate", total_rate, "fraction per year")
        _check_rates(total_rate=g)
        k = (path["year"].to_numpy() - (self.year or 0)).astype(float)
        total = self.total_population * (1 + g) ** k
        urban = total * path["rate_pct"].to_numpy() / 100.0
        return _frame(self.year, k, {"rate_pct": path["rate_pct"], "total_population": total,
                                     "urban_population": urban, "rural_population": total - urban},
                      {"rate_pct": "%", "total_population": "万人", "urban_population": "万人",
                       "rural_population": "万人"}, path=path.attrs["path"])

    def project_population(self, total_rate: float, years: int, *, urgd: float | None = None,
                           pace_pp: float | None = None) -> pd.DataFrame:
        r"""Total, urban and rural population by year (see :meth:`project`).

        Parameters
        ----------
        total_rate : float
            Growth of the resident population [fraction per year].
        years : int
            Number of years after the base year, whole, >= 0 [years].
        urgd, pace_pp : float, optional
            The path of the rate: exactly one of them.

        Returns
        -------
        pandas.DataFrame
            Columns ``year, rate_pct, total_population, urban_population, rural_population``
            [%, 万人].

        Examples
        --------
        Population constant at 256 万, rate 50% -> 55% on the logistic path:

        >>> m = UrbanisationModel.from_urban_population(50.0, 128.0, 2020)
        >>> last = m.project_population(0.0, 5, urgd=m.required_urgd(55.0, 5)).iloc[-1].round(2)
        >>> last[["year", "rate_pct", "total_population"]].to_dict()
        {'year': 2025.0, 'rate_pct': 55.0, 'total_population': 256.0}
        >>> last[["urban_population", "rural_population"]].to_dict()
        {'urban_population': 140.8, 'rural_population': 115.2}
        """
        return self.project(years, urgd=urgd, pace_pp=pace_pp, total_rate=total_rate)

    # ---------------------------------------------------------------- display
    def _rows(self) -> list[tuple[str, float, str]]:
        rows = [("urbanisation rate", self.rate_pct, "%")]
        if self.total_population is not None:
            rows += [("total population", float(self.total_population), "万人"),
                     ("urban population", float(self.urban_population or 0.0), "万人"),
                     ("rural population", float(self.rural_population or 0.0), "万人")]
        return rows

    def _headline(self) -> str:
        return f"Urbanisation rate = urban / resident population × 100 ({self._year_text()})"
