r"""GDP and its structure: the three sectors' value added and their shares of GDP.

China's GDP is split without remainder into the value added of the primary, secondary and
tertiary sectors (三次产业), so the three shares sum to 100%; manufacturing is part of the
secondary sector (which also holds mining, utilities and construction).

.. math::

    Y = V_1 + V_2 + V_3, \qquad s_i = 100\,\frac{V_i}{Y}, \qquad
    s_{\text{manuf}} \le s_2

Each sector's value added grows at its own nominal rate; total GDP growth is implied:

.. math::

    V_{i,k} = V_{i,0}\,(1 + g_i)^k, \qquad Y_k = \sum_i V_{i,k}.

A share target :math:`s_i^*` after :math:`n` years with GDP growing at :math:`g` needs the
sector to grow at (the ratio identity of :func:`xiangxi_econ.maths.identities.numerator_rate_for_ratio`)

.. math:: g_i = (1 + g)\,(s_i^*/s_{i,0})^{1/n} - 1.

Shares are **current-price shares** (value added at current prices over GDP at current prices),
so the rates that move them are nominal. The plan's GDP growth target (7%) is real; pass it as
``gdp_rate`` with ``inflation`` (the GDP deflator's growth) and it becomes the nominal rate the
shares need (:func:`xiangxi_econ.maths.prices.nominal_rate`). The sector rates returned are nominal;
to compare one with a real value-added growth figure deflate it with that sector's own deflator
(:func:`xiangxi_econ.maths.prices.real_rate`).

Printed shares are rounded (15.4 : 28.2 : 56.4) and may sum to 100 only within a tolerance;
the model then works with the shares rescaled to sum to exactly 100, so that the base-year
value added sums to the base-year GDP.

References
----------
.. [1] National Bureau of Statistics of China, 《三次产业划分规定》 (2012, revised 2018): the
   primary, secondary (mining, manufacturing, utilities, construction) and tertiary sectors.
.. [2] United Nations et al. (2009), *System of National Accounts 2008*, ch. 6 and 16: GDP by
   the production approach as the sum of value added.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...maths.identities import numerator_rate_for_ratio
from ._common import (
    ArrayLike,
    ComponentDisplay,
    _check_between,
    _check_rates,
    _frame,
    _gdp_nominal,
    _plan_level,
    _positive,
    _scalar,
    _steps,
)

if TYPE_CHECKING:  # pragma: no cover
    from ...data.plan import Plan

__all__ = ["SECTORS", "SectorStructure"]

#: The three sectors whose shares sum to 100%.
SECTORS = ("primary", "secondary", "tertiary")
_ALL = SECTORS + ("manufacturing",)

_PLAN_SERIES = {
    "primary": "primary_sector_share",
    "secondary": "secondary_sector_share",
    "tertiary": "tertiary_sector_share",
    "manufacturing": "manufacturing_va_share",
}


def _validate_shares(shares: Any, tolerance_pp: float, name: str) -> dict[str, float]:
    """Check a share mapping; return it as a dict of floats (keys in canonical order)."""
    if isinstance(shares, pd.Series):
        shares = shares.to_dict()
    if not isinstance(shares, Mapping):
        raise TypeError(f"{name} must be a dict or Series with keys {', '.join(SECTORS)} "
                        f"(and optionally 'manufacturing') [%]; got {type(shares).__name__}")
    unknown = [k for k in shares if k not in _ALL]
    if unknown:
        raise ValueError(f"{name} has unknown key {unknown[0]!r}; expected {', '.join(_ALL)}")
    missing = [s for s in SECTORS if s not in shares]
    if missing:
        raise ValueError(f"{name} is missing {', '.join(repr(m) for m in missing)}; the three sectors "
                         f"{', '.join(SECTORS)} are all needed (their shares sum to 100)")
    out = {}
    for key in _ALL:
        if key in shares:
            value = _scalar(f"{name}[{key!r}]", shares[key], "%")
            _check_between(f"{name}[{key!r}]", value, "%", 0, 100, lo_open=False, hi_open=False)
            out[key] = value
    total = sum(out[s] for s in SECTORS)
    if abs(total - 100.0) > tolerance_pp:
        parts = " + ".join(f"{s} {out[s]:g}" for s in SECTORS)
        raise ValueError(f"{name} sum to {round(total, 10):g}, expected 100 within "
                         f"{tolerance_pp:g} ({parts})")
    if "manufacturing" in out and out["manufacturing"] > out["secondary"]:
        raise ValueError(f"{name}['manufacturing'] is {out['manufacturing']:g}, above {name}['secondary'] "
                         f"{out['secondary']:g}; manufacturing is part of the secondary sector")
    return out


def _normalised(shares: Mapping[str, float]) -> dict[str, float]:
    """Shares rescaled so that the three sectors sum to exactly 100 (manufacturing alike)."""
    factor = 100.0 / sum(shares[s] for s in SECTORS)
    return {k: v * factor for k, v in shares.items()}


@dataclass(frozen=True, repr=False)
class SectorStructure(ComponentDisplay):
    r"""GDP and its sector shares in a base year.

    .. math:: Y = \sum_{i \in \{1,2,3\}} V_i, \qquad s_i = 100\,V_i / Y, \qquad
              \sum_i s_i = 100, \qquad s_{\text{manuf}} \le s_2

    Shares are current-price shares of GDP (see the module docstring).

    Parameters
    ----------
    gdp : float
        GDP in the base year, > 0 [亿元, current prices].
    shares : dict or pandas.Series
        Shares of GDP with keys ``'primary'``, ``'secondary'``, ``'tertiary'`` and optionally
        ``'manufacturing'`` (part of secondary), each between 0 and 100 [%]. Stored as a dict.
    year : int, optional
        Base year [calendar year]; without it, projection frames count years after the base year.
    tolerance_pp : float, default 0.1
        How far the three shares may sum from 100 (printed rounding) [percentage points].
    sources : dict, optional
        Where each component came from (filled by :meth:`from_plan`).

    Raises
    ------
    ValueError
        If ``gdp`` is not positive, a share is outside 0-100, the three shares do not sum to 100
        within ``tolerance_pp`` (the message gives the sum), or manufacturing exceeds secondary.

    References
    ----------
    NBS 《三次产业划分规定》; SNA 2008 (module references).

    Examples
    --------
    Xiangxi 2020 (第一章 第一节, 专栏2 序号1 and 序号3):

    >>> s = SectorStructure(725.11, {"primary": 15.4, "secondary": 28.2, "tertiary": 56.4,
    ...                              "manufacturing": 14.8})
    >>> {k: round(v, 2) for k, v in s.value_added.items()}
    {'primary': 111.67, 'secondary': 204.48, 'tertiary': 408.96, 'manufacturing': 107.32}

    The 30% manufacturing share of 专栏2 序号3 by 2025, GDP 725.11 -> 1000 亿元 (6.64% nominal):

    >>> print(f"{s.required_sector_rate('manufacturing', 30, 0.0664, 5):.2%}")
    22.83%
    >>> SectorStructure(725.11, {"primary": 15.4, "secondary": 29.5, "tertiary": 56.4})
    Traceback (most recent call last):
    ...
    ValueError: shares sum to 101.3, expected 100 within 0.1 (primary 15.4 + secondary 29.5 + tertiary 56.4)
    """

    gdp: float
    shares: Mapping[str, float]
    year: int | None = None
    tolerance_pp: float = 0.1
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "gdp", _positive("gdp", self.gdp, "亿元"))
        tol = _scalar("tolerance_pp", self.tolerance_pp, "percentage points")
        if tol < 0:
            raise ValueError(f"tolerance_pp must be zero or positive [percentage points]; got {tol:g}")
        object.__setattr__(self, "tolerance_pp", tol)
        object.__setattr__(self, "shares", _validate_shares(self.shares, tol, "shares"))
        object.__setattr__(self, "sources", dict(self.sources))

    # ---------------------------------------------------------------- components
    @property
    def sectors(self) -> tuple[str, ...]:
        """The modelled sectors: the three, plus ``'manufacturing'`` when its share is given."""
        return tuple(k for k in _ALL if k in self.shares)

    @property
    def normalised_shares(self) -> dict[str, float]:
        """Shares rescaled so that the three sectors sum to exactly 100 [%]."""
        return _normalised(self.shares)

    @property
    def value_added(self) -> dict[str, float]:
        """Value added of each sector in the base year, ``gdp × share / 100`` [亿元]."""
        return {k: self.gdp * v / 100.0 for k, v in self.normalised_shares.items()}

    def _sector(self, sector: str) -> str:
        if sector not in self.shares:
            extra = "" if sector != "manufacturing" else " (this structure has no manufacturing share)"
            raise ValueError(f"sector must be one of {', '.join(self.sectors)}; got {sector!r}{extra}")
        return sector

    # ---------------------------------------------------------------- projection
    def project(self, sector_rates: Mapping[str, float] | pd.Series, years: int) -> pd.DataFrame:
        r"""Value added, shares and total GDP by year, each sector growing at its own rate.

        .. math:: V_{i,k} = V_{i,0}(1+g_i)^k, \quad Y_k = \sum_{i=1}^{3} V_{i,k},
                  \quad s_{i,k} = 100\,V_{i,k}/Y_k

        Parameters
        ----------
        sector_rates : dict or pandas.Series
            Nominal growth of each sector's value added, keys ``'primary'``, ``'secondary'``,
            ``'tertiary'`` and, optionally, ``'manufacturing'`` (then the structure must have a
            manufacturing share) [fraction per year].
        years : int
            Number of years after the base year, whole, >= 0 [years].

        Returns
        -------
        pandas.DataFrame
            Columns ``year, gdp, gdp_rate, <sector>_va ..., <sector>_share_pct ...``; ``gdp_rate``
            is the implied nominal growth of the total over the previous year (NaN in the base
            year). Units in ``frame.attrs['units']`` (亿元 current prices, %, fraction per year).

        Raises
        ------
        ValueError
            If a sector rate is missing or unknown, below -1, or manufacturing value added would
            exceed secondary value added in some year.

        Examples
        --------
        >>> s = SectorStructure(725.11, {"primary": 15.4, "secondary": 28.2, "tertiary": 56.4}, year=2020)
        >>> path = s.project({"primary": 0.03, "secondary": 0.08, "tertiary": 0.08}, 5)
        >>> path[["year", "gdp", "primary_share_pct"]].iloc[[0, -1]].round(2)
           year      gdp  primary_share_pct
        0  2020   725.11              15.40
        5  2025  1030.80              12.56
        """
        if isinstance(sector_rates, pd.Series):
            sector_rates = sector_rates.to_dict()
        if not isinstance(sector_rates, Mapping):
            raise TypeError(f"sector_rates must be a dict or Series keyed by sector; got {type(sector_rates).__name__}")
        unknown = [k for k in sector_rates if k not in self.shares]
        if unknown:
            raise ValueError(f"sector_rates has key {unknown[0]!r}, which is not a sector of this structure "
                             f"({', '.join(self.sectors)})")
        missing = [s for s in SECTORS if s not in sector_rates]
        if missing:
            raise ValueError(f"sector_rates is missing {', '.join(repr(m) for m in missing)} [fraction per year]")
        names = [k for k in _ALL if k in sector_rates]
        rates = {k: _scalar(f"sector_rates[{k!r}]", sector_rates[k], "fraction per year") for k in names}
        named: dict[str, Any] = {f"sector_rates[{k!r}]": v for k, v in rates.items()}
        _check_rates(**named)
        k = _steps(years)
        base = np.array([self.value_added[n] for n in names])
        g = np.array([rates[n] for n in names])
        levels = base[None, :] * (1.0 + g[None, :]) ** k[:, None]  # (years + 1, sectors)
        gdp = levels[:, :3].sum(axis=1)
        shares = 100.0 * levels / gdp[:, None]
        if "manufacturing" in names:
            over = levels[:, 3] > levels[:, 1] * (1 + 1e-12)
            if np.any(over):
                i = int(np.argmax(over))
                raise ValueError(
                    f"manufacturing value added ({levels[i, 3]:.6g} 亿元) would exceed secondary value added "
                    f"({levels[i, 1]:.6g} 亿元) in year {self._year_text()} + {i}; manufacturing is part of the "
                    f"secondary sector: lower sector_rates['manufacturing'] or raise sector_rates['secondary']")
        gdp_rate = np.concatenate([[np.nan], gdp[1:] / gdp[:-1] - 1.0])
        cols: dict[str, Any] = {"gdp": gdp, "gdp_rate": gdp_rate}
        units = {"gdp": "亿元 (current prices)", "gdp_rate": "fraction per year (nominal)"}
        for j, n in enumerate(names):
            cols[f"{n}_va"] = levels[:, j]
            units[f"{n}_va"] = "亿元 (current prices)"
        for j, n in enumerate(names):
            cols[f"{n}_share_pct"] = shares[:, j]
            units[f"{n}_share_pct"] = "% of GDP (current prices)"
        return _frame(self.year, k, cols, units)

    # ---------------------------------------------------------------- solvers
    def required_sector_rate(self, sector: str, target_share: ArrayLike, gdp_rate: ArrayLike,
                             years: ArrayLike, *, inflation: ArrayLike | None = None) -> ArrayLike:
        r"""Nominal growth of one sector's value added that takes its share to ``target_share``.

        .. math:: g_i = (1 + g)\,(s_i^*/s_{i,0})^{1/n} - 1

        with :math:`g` the nominal GDP rate (:math:`(1+r)(1+\pi)-1` when ``inflation`` is given).

        Parameters
        ----------
        sector : {'primary', 'secondary', 'tertiary', 'manufacturing'}
            The sector.
        target_share : float or array_like
            Target share, above 0 and at most 100 [% of GDP, current prices].
        gdp_rate : float or array_like
            GDP growth [fraction per year]: nominal when ``inflation`` is None, real (comparable
            prices) when ``inflation`` is given.
        years : float or array_like
            Horizon, > 0 [years].
        inflation : float or array_like, optional
            GDP deflator growth [fraction per year].

        Returns
        -------
        float or numpy.ndarray
            Nominal growth of the sector's value added [fraction per year].

        Examples
        --------
        The plan's 7% real growth with 1% inflation, tertiary share 56.4% -> 60%:

        >>> s = SectorStructure(725.11, {"primary": 15.4, "secondary": 28.2, "tertiary": 56.4})
        >>> print(f"{s.required_sector_rate('tertiary', 60, 0.07, 5, inflation=0.01):.2%}")
        9.42%
        >>> s.required_sector_rate("primary", np.array([15.4, 12.0]), 0.0664, 5).round(4)
        array([0.0664, 0.0145])
        """
        sector = self._sector(sector)
        _check_between("target_share", target_share, "%", 0, 100, hi_open=False)
        _check_between("years", years, "years", 0, np.inf)
        if self.shares[sector] == 0:
            raise ValueError(f"shares[{sector!r}] is 0 in {self._year_text()}: no growth rate can raise a zero share")
        g = _gdp_nominal(gdp_rate, inflation)
        return numerator_rate_for_ratio(self.normalised_shares[sector], target_share, years, g)

    def required_rates_for_shares(self, target_shares: Mapping[str, float] | pd.Series, gdp_rate: ArrayLike,
                                  years: ArrayLike, *, inflation: ArrayLike | None = None
                                  ) -> pd.Series | pd.DataFrame:
        r"""Nominal growth of every sector that reaches a whole target structure.

        .. math:: g_i = (1 + g)\,(s_i^*/s_{i,0})^{1/n} - 1, \quad i = 1, 2, 3\ (\text{and manufacturing})

        Because the target shares sum to 100, the sectors growing at these rates bring total GDP
        to :math:`Y_0 (1+g)^n` in year :math:`n` — an average of :math:`g` a year; the annual
        rates in between vary as the faster sectors gain weight.

        Parameters
        ----------
        target_shares : dict or pandas.Series
            Target shares, keys as in ``shares``; the three sectors must sum to 100 within
            ``tolerance_pp`` (they are then rescaled to exactly 100), manufacturing at most
            secondary [%].
        gdp_rate, years, inflation
            As in :meth:`required_sector_rate`.

        Returns
        -------
        pandas.Series or pandas.DataFrame
            One nominal rate per sector [fraction per year]: a Series indexed by sector for scalar
            ``gdp_rate`` and ``years``, otherwise a DataFrame with one column per sector.

        Raises
        ------
        ValueError
            If the targets do not sum to 100 within the tolerance (the message gives the sum), a
            target is outside 0-100 or zero, or a key is unknown or missing.

        Examples
        --------
        >>> s = SectorStructure(725.11, {"primary": 15.4, "secondary": 28.2, "tertiary": 56.4})
        >>> s.required_rates_for_shares({"primary": 12, "secondary": 30, "tertiary": 58}, 0.0664, 5).round(4)
        primary      0.0145
        secondary    0.0797
        tertiary     0.0724
        Name: rate, dtype: float64
        """
        targets = _normalised(_validate_shares(target_shares, self.tolerance_pp, "target_shares"))
        _check_between("years", years, "years", 0, np.inf)
        for key, value in targets.items():
            self._sector(key)
            if value <= 0:
                raise ValueError(f"target_shares[{key!r}] must be above 0 for a growth rate [%]; got {value:g}")
            if self.shares[key] == 0:
                raise ValueError(f"shares[{key!r}] is 0 in {self._year_text()}: no growth rate can raise a zero share")
        g = _gdp_nominal(gdp_rate, inflation)
        base = self.normalised_shares
        rates = {k: numerator_rate_for_ratio(base[k], v, years, g) for k, v in targets.items()}
        if all(np.ndim(v) == 0 for v in rates.values()):
            return pd.Series(rates, name="rate", dtype=float)
        shape = np.broadcast_shapes(*(np.shape(v) for v in rates.values()))
        return pd.DataFrame({k: np.broadcast_to(v, shape).ravel() for k, v in rates.items()})

    # ---------------------------------------------------------------- plan
    @classmethod
    def from_plan(cls, plan: Plan, year: int | None = None, *, tolerance_pp: float = 0.1) -> SectorStructure:
        """GDP and sector shares in ``year`` from a plan (one value per series, 专栏2 first).

        Reads ``gdp`` and ``primary/secondary/tertiary_sector_share``, and
        ``manufacturing_va_share`` when the plan has it for ``year``.

        Examples
        --------
        >>> import xiangxi_econ as xe
        >>> plan = xe.load_plan()
        >>> s = SectorStructure.from_plan(plan)
        >>> s.gdp, s.shares
        (725.11, {'primary': 15.4, 'secondary': 28.2, 'tertiary': 56.4, 'manufacturing': 14.8})
        >>> SectorStructure.from_plan(plan, 2015).shares
        {'primary': 13.8, 'secondary': 31.5, 'tertiary': 54.7}
        """
        year = plan.periods.base_year if year is None else year
        gdp, gdp_src = _plan_level(plan, "gdp", year, "CNY", 1e8)
        shares, sources = {}, {"gdp": gdp_src}
        for key, series in _PLAN_SERIES.items():
            try:
                shares[key], sources[key] = _plan_level(plan, series, year, "percent", 1.0)
            except KeyError:
                if key == "manufacturing":
                    continue
                raise
        return cls(gdp, shares, year, tolerance_pp, sources)

    # ---------------------------------------------------------------- display
    def _rows(self) -> list[tuple[str, float, str]]:
        rows = [("gdp", self.gdp, "亿元")]
        va = self.value_added
        rows += [(f"{k} value added", va[k], "亿元") for k in self.sectors]
        rows += [(f"{k} share", self.shares[k], "% of GDP") for k in self.sectors]
        return rows

    def _headline(self) -> str:
        return f"GDP = primary + secondary + tertiary value added ({self._year_text()}, current prices)"

    def _notes(self) -> list[str]:
        return ["  (manufacturing is part of secondary)"] if "manufacturing" in self.shares else []
