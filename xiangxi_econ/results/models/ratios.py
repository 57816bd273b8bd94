r"""GDP as a product and shares of GDP: labour productivity and ratio-to-GDP indicators.

Two identities of the plan's main-indicator table (专栏2):

.. math::

    Y &= P \times E
        && \text{GDP [亿元] = labour productivity [万元/人] × employment [万人]} \\
    s &= 100 \, \frac{N \cdot x}{Y}
        && \text{share of GDP [\%] of a numerator } N \text{ (in USD: times } x
           \text{ [CNY per USD])}

Their growth arithmetic comes from :mod:`xiangxi_econ.maths.identities`: the growth factors of a
product multiply, those of a ratio divide,

.. math::

    1 + g_Y = (1 + g_P)(1 + g_E), \qquad 1 + g_s = \frac{1 + g_N}{1 + g_Y}.

Price basis. GDP and productivity levels are at current prices; a rate that moves a current-price
level is nominal. A share of GDP is a current-price ratio, so the GDP growth it needs is nominal:
give a real GDP rate together with ``inflation`` (the GDP deflator's growth) and it is converted
with :func:`xiangxi_econ.maths.prices.nominal_rate`.

References
----------
.. [1] OECD (2001), *Measuring Productivity — OECD Manual*, ch. 2 and 5: labour productivity as
   output per person employed, and the growth of products and ratios of indices.
.. [2] National Bureau of Statistics of China, 全员劳动生产率 = GDP / 全部就业人员年平均人数
   (overall labour productivity: GDP per employed person).
.. [3] National Bureau of Statistics of China, 《中华人民共和国2020年国民经济和社会发展统计公报》
   (2021-02-28): 2020 annual average exchange rate 1 USD = 6.8976 CNY (全年人民币平均汇率为
   1美元兑6.8976元人民币).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...maths.growth import required_rate
from ...maths.identities import numerator_rate_for_ratio, ratio_after, ratio_rate
from ._common import (
    ArrayLike,
    ComponentDisplay,
    _check_between,
    _check_rates,
    _compound,
    _factor_rate,
    _float_or_array,
    _frame,
    _gdp_nominal,
    _plan_level,
    _plan_levels,
    _positive,
    _scalar,
    _steps,
)

if TYPE_CHECKING:  # pragma: no cover
    from ...data.plan import Plan

__all__ = ["CNY_PER_USD_2020", "MONEY_UNITS", "ProductivityModel", "ShareOfGDPModel"]


#: 2020 annual average exchange rate [CNY per USD], NBS 2020 statistical communiqué (module
#: reference [3]). Never applied silently: pass it as ``exchange_rate=CNY_PER_USD_2020``.
CNY_PER_USD_2020 = 6.8976

#: Money units a numerator may be given in: unit -> (currency, value of one unit in 亿 of that
#: currency). Consistent with ``xiangxi_econ/data/units.csv`` (scale / 1e8); the tests check it.
MONEY_UNITS: dict[str, tuple[str, float]] = {
    "万亿元": ("CNY", 1e4),
    "亿元": ("CNY", 1.0),
    "万元": ("CNY", 1e-4),
    "元": ("CNY", 1e-8),
    "亿美元": ("USD", 1.0),
    "万美元": ("USD", 1e-4),
}


@dataclass(frozen=True, repr=False)
class ProductivityModel(ComponentDisplay):
    r"""GDP as labour productivity times employment.

    .. math::

        Y = P \cdot E, \qquad E\,[\text{万人}] = \frac{Y\,[\text{亿元}]}{P\,[\text{万元/人}]}

    (1 亿元 = 10\ :sup:`4` 万元 and 1 万人 = 10\ :sup:`4` persons, so the scale factors cancel.)
    Growth: :math:`1 + g_Y = (1 + g_P)(1 + g_E)`. Productivity and GDP must be on one price
    basis; the plan's levels are at current prices, so rates that move them are nominal, while
    the plan's printed 7% productivity growth is real (see ``plan.indicator('labour_productivity')``).

    Parameters
    ----------
    productivity : float
        Labour productivity (全员劳动生产率) in the base year, > 0 [万元/人, current prices].
    gdp : float
        GDP in the base year, > 0 [亿元, current prices].
    year, sources : optional
        Base year [calendar year] (without it, projection frames count years after the base year)
        and where each component came from; :meth:`from_plan` fills both.

    Attributes
    ----------
    employment : float
        Implied employment in the base year [万人].

    References
    ----------
    OECD (2001), *Measuring Productivity*, ch. 5; NBS definition of 全员劳动生产率 (module
    references).

    Examples
    --------
    专栏2 序号1-2: productivity 3.7 万元/人 and GDP 725.11 亿元 in 2020, 5.2 and 1000 in 2025:

    >>> m = ProductivityModel(productivity=3.7, gdp=725.11)
    >>> round(m.employment, 2)
    195.98
    >>> round(m.implied_employment(1000, 5.2), 2)
    192.31
    >>> print(f"{m.employment_rate_for_targets(1000, 5.2, 5):.2%}")
    -0.38%
    """

    productivity: float
    gdp: float
    year: int | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "productivity", _positive("productivity", self.productivity, "万元/人"))
        object.__setattr__(self, "gdp", _positive("gdp", self.gdp, "亿元"))
        object.__setattr__(self, "sources", dict(self.sources))

    @property
    def employment(self) -> float:
        """Employment implied by GDP and productivity in the base year [万人]."""
        return self.gdp / self.productivity

    @staticmethod
    def implied_employment(gdp: ArrayLike, productivity: ArrayLike) -> ArrayLike:
        r"""Employment that GDP and productivity imply, :math:`E = Y / P`.

        Parameters
        ----------
        gdp : float or array_like
            GDP, > 0 [亿元].
        productivity : float or array_like
            Labour productivity, > 0, same price basis [万元/人].

        Returns
        -------
        float or numpy.ndarray
            Employment [万人].

        Raises
        ------
        ValueError
            If a value is not positive (the message names the argument and value).

        Examples
        --------
        >>> ProductivityModel.implied_employment(np.array([725.11, 1000.0]), np.array([3.7, 5.2])).round(2)
        array([195.98, 192.31])
        """
        _check_between("gdp", gdp, "亿元", 0, np.inf)
        _check_between("productivity", productivity, "万元/人", 0, np.inf)
        out = np.asarray(gdp, dtype=float) / np.asarray(productivity, dtype=float)
        return float(out) if np.ndim(out) == 0 else out

    @staticmethod
    def required_productivity_rate(gdp_rate: ArrayLike, employment_rate: ArrayLike) -> ArrayLike:
        r"""Productivity growth that GDP growth needs, given employment growth.

        .. math:: g_P = \frac{1 + g_Y}{1 + g_E} - 1

        Parameters
        ----------
        gdp_rate : float or array_like
            GDP growth [fraction per year].
        employment_rate : float or array_like
            Employment growth [fraction per year].

        Returns
        -------
        float or numpy.ndarray
            Productivity growth on the price basis of ``gdp_rate`` [fraction per year].

        Examples
        --------
        The plan's 7% real GDP growth with employment falling 0.38% a year:

        >>> print(f"{ProductivityModel.required_productivity_rate(0.07, -0.0038):.2%}")
        7.41%
        """
        _check_rates(gdp_rate=gdp_rate, employment_rate=employment_rate)
        return ratio_rate(gdp_rate, employment_rate)

    @staticmethod
    def required_employment_rate(gdp_rate: ArrayLike, productivity_rate: ArrayLike) -> ArrayLike:
        r"""Employment growth that GDP growth needs, given productivity growth.

        .. math:: g_E = \frac{1 + g_Y}{1 + g_P} - 1

        Parameters
        ----------
        gdp_rate, productivity_rate : float or array_like
            Growth of GDP and of productivity, one price basis [fraction per year].

        Returns
        -------
        float or numpy.ndarray
            Employment growth [fraction per year].

        Examples
        --------
        >>> print(f"{ProductivityModel.required_employment_rate(0.07, 0.07):.2%}")
        0.00%
        """
        _check_rates(gdp_rate=gdp_rate, productivity_rate=productivity_rate)
        return ratio_rate(gdp_rate, productivity_rate)

    def employment_rate_for_targets(self, gdp_target: ArrayLike, productivity_target: ArrayLike,
                                    years: ArrayLike) -> ArrayLike:
        r"""Employment growth implied by a GDP target and a productivity target.

        .. math:: g_E = \left(\frac{Y^*/P^*}{Y_0/P_0}\right)^{1/n} - 1

        Parameters
        ----------
        gdp_target : float or array_like
            GDP target, > 0 [亿元, current prices].
        productivity_target : float or array_like
            Productivity target, > 0 [万元/人, current prices].
        years : float or array_like
            Horizon, > 0 [years].

        Returns
        -------
        float or numpy.ndarray
            Employment growth [fraction per year].

        Examples
        --------
        >>> m = ProductivityModel(3.7, 725.11)
        >>> print(f"{m.employment_rate_for_targets(1000, 5.2, 5):.3%}")
        -0.377%
        """
        target = self.implied_employment(gdp_target, productivity_target)
        _check_between("years", years, "years", 0, np.inf)
        return _float_or_array(required_rate(self.employment, target, years))

    def required_productivity_rate_for_gdp(self, gdp_target: ArrayLike, employment_rate: ArrayLike,
                                           years: ArrayLike) -> ArrayLike:
        r"""Productivity growth that takes GDP to ``gdp_target``, employment growing at
        ``employment_rate``.

        .. math:: g_P = \frac{(Y^*/Y_0)^{1/n}}{1 + g_E} - 1

        Parameters
        ----------
        gdp_target : float or array_like
            GDP target, > 0 [亿元, current prices].
        employment_rate : float or array_like
            Employment growth [fraction per year].
        years : float or array_like
            Horizon, > 0 [years].

        Returns
        -------
        float or numpy.ndarray
            Nominal productivity growth [fraction per year].

        Examples
        --------
        >>> m = ProductivityModel(3.7, 725.11)
        >>> print(f"{m.required_productivity_rate_for_gdp(1000, 0.0, 5):.2%}")
        6.64%
        """
        return _factor_rate(self.gdp, "gdp_target", gdp_target, "亿元", years, employment_rate=employment_rate)

    def project(self, productivity_rate: float, employment_rate: float, years: int) -> pd.DataFrame:
        r"""Path of productivity, employment and GDP.

        .. math:: P_k = P_0 (1+g_P)^k, \quad E_k = E_0 (1+g_E)^k, \quad Y_k = P_k E_k

        Parameters
        ----------
        productivity_rate : float
            Productivity growth, nominal [fraction per year].
        employment_rate : float
            Employment growth [fraction per year].
        years : int
            Number of years after the base year, whole, >= 0 [years].

        Returns
        -------
        pandas.DataFrame
            Columns ``year, productivity, employment, gdp``; units in ``frame.attrs['units']``
            (万元/人, 万人, 亿元).

        Examples
        --------
        >>> ProductivityModel(3.7, 725.11, year=2020).project(0.07, 0.0, 2).round(3)
           year  productivity  employment     gdp
        0  2020         3.700     195.976  725.11
        1  2021         3.959     195.976  775.868
        2  2022         4.236     195.976  830.179
        """
        k, (p, e) = _compound(years, productivity_rate=(self.productivity, productivity_rate),
                              employment_rate=(self.employment, employment_rate))
        return _frame(self.year, k, {"productivity": p, "employment": e, "gdp": p * e},
                      {"productivity": "万元/人 (current prices)", "employment": "万人",
                       "gdp": "亿元 (current prices)"})

    @classmethod
    def from_plan(cls, plan: Plan, year: int | None = None) -> ProductivityModel:
        """Base-year productivity (``labour_productivity``) and GDP (``gdp``) from a plan.

        Examples
        --------
        >>> import xiangxi_econ as xe
        >>> ProductivityModel.from_plan(xe.load_plan()).sources["productivity"]
        '专栏2 序号2'
        """
        year, v, sources = _plan_levels(plan, year, {"productivity": ("labour_productivity", "CNY_per_person", 1e4),
                                                     "gdp": ("gdp", "CNY", 1e8)})
        return cls(v["productivity"], v["gdp"], year, sources)

    # ---------------------------------------------------------------- display
    def _rows(self) -> list[tuple[str, float, str]]:
        return [("productivity", self.productivity, "万元/人"), ("employment", self.employment, "万人"),
                ("gdp", self.gdp, "亿元")]

    def _headline(self) -> str:
        return f"GDP = labour productivity × employment ({self._year_text()}, current prices)"


# ============================================================================ share of GDP

@dataclass(frozen=True, repr=False)
class ShareOfGDPModel(ComponentDisplay):
    r"""A numerator as a share of GDP (trade dependence, fiscal revenue ratio ...).

    .. math::

        s\,[\%] = 100\,\frac{N \cdot m \cdot x}{Y}, \qquad
        1 + g_s = \frac{1 + g_N}{1 + g_Y}

    with :math:`N` in ``numerator_unit``, :math:`m` that unit in 亿 of its currency, :math:`x`
    the exchange rate [CNY per USD] for a USD numerator (1 for CNY) and :math:`Y` GDP [亿元].
    Projections hold the exchange rate fixed, so ``numerator_rate`` is growth in the numerator's
    own currency; to add an exchange-rate path, combine rates with
    :func:`xiangxi_econ.maths.identities.product_rate`.

    Parameters
    ----------
    numerator : float
        Numerator in the base year, > 0 [``numerator_unit``].
    gdp : float
        GDP in the base year, > 0 [亿元, current prices].
    numerator_unit : str, default '亿元'
        One of :data:`MONEY_UNITS` (亿元, 万亿元, 万元, 元, 亿美元, 万美元).
    exchange_rate : float, optional
        Exchange rate, > 0 [CNY per USD]. Required for a USD numerator and refused for a CNY one:
        it is never assumed. :data:`CNY_PER_USD_2020` = 6.8976 is the 2020 annual average
        reported in the NBS 2020 statistical communiqué.
    name : str, default 'numerator'
        What the numerator is, for display.
    year, sources : optional
        Base year [calendar year] (without it, projection frames count years after the base year)
        and where each component came from; :meth:`from_plan` fills both.

    Raises
    ------
    ValueError
        If a level is not positive, the unit is unknown, or ``exchange_rate`` is missing for a USD
        numerator (or given for a CNY one).

    References
    ----------
    Ratio identity: OECD (2001), *Measuring Productivity*, ch. 2; exchange rate: NBS 2020
    statistical communiqué (module references).

    Examples
    --------
    Trade 1.65 亿美元 (专栏1 序号6) and GDP 725.11 亿元 in 2020, at 6.8976 CNY/USD:

    >>> trade = ShareOfGDPModel(1.65, 725.11, "亿美元", exchange_rate=CNY_PER_USD_2020, name="trade")
    >>> print(f"{trade.share_pct:.3f}%")
    1.570%
    >>> print(f"{trade.share_after(0.10, required_rate(725.11, 1000, 5), 5):.3f}%")
    1.833%
    >>> ShareOfGDPModel(1.65, 725.11, "亿美元")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: numerator_unit is '亿美元' (USD) but exchange_rate is None: ...
    """

    numerator: float
    gdp: float
    numerator_unit: str = "亿元"
    exchange_rate: float | None = None
    name: str = "numerator"
    year: int | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.numerator_unit not in MONEY_UNITS:
            raise ValueError(f"numerator_unit must be one of {', '.join(MONEY_UNITS)}; got {self.numerator_unit!r}")
        object.__setattr__(self, "numerator", _positive("numerator", self.numerator, self.numerator_unit))
        object.__setattr__(self, "gdp", _positive("gdp", self.gdp, "亿元"))
        if self.currency == "USD":
            if self.exchange_rate is None:
                raise ValueError(
                    f"numerator_unit is {self.numerator_unit!r} (USD) but exchange_rate is None: a USD "
                    f"numerator needs an explicit exchange_rate [CNY per USD], e.g. "
                    f"exchange_rate=CNY_PER_USD_2020 ({CNY_PER_USD_2020}, the 2020 annual average in the "
                    f"NBS 2020 statistical communiqué)")
            object.__setattr__(self, "exchange_rate", _positive("exchange_rate", self.exchange_rate, "CNY per USD"))
        elif self.exchange_rate is not None:
            raise ValueError(f"exchange_rate is only used for a USD numerator; numerator_unit is "
                             f"{self.numerator_unit!r} (CNY), so leave exchange_rate=None; got {self.exchange_rate!r}")
        object.__setattr__(self, "sources", dict(self.sources))

    @property
    def currency(self) -> str:
        """``'CNY'`` or ``'USD'``, from ``numerator_unit``."""
        return MONEY_UNITS[self.numerator_unit][0]

    @property
    def _to_yi_yuan(self) -> float:
        """Factor from ``numerator_unit`` to 亿元 (including the exchange rate)."""
        fx = self.exchange_rate if self.currency == "USD" and self.exchange_rate is not None else 1.0
        return MONEY_UNITS[self.numerator_unit][1] * fx

    @property
    def numerator_yi_yuan(self) -> float:
        """Numerator in the base year in 亿元 [亿元]."""
        return self.numerator * self._to_yi_yuan

    @property
    def share_pct(self) -> float:
        """Share of GDP in the base year [%]."""
        return 100.0 * self.numerator_yi_yuan / self.gdp

    def share(self, numerator: ArrayLike, gdp: ArrayLike) -> ArrayLike:
        r"""Share of GDP of ``numerator`` at the model's unit and exchange rate.

        .. math:: s = 100 \, N m x / Y

        Parameters
        ----------
        numerator : float or array_like
            Numerator, >= 0 [``numerator_unit``].
        gdp : float or array_like
            GDP, > 0 [亿元].

        Returns
        -------
        float or numpy.ndarray
            Share [%].

        Examples
        --------
        >>> trade = ShareOfGDPModel(1.65, 725.11, "亿美元", exchange_rate=6.8976)
        >>> print(f"{trade.share(1.65 * 1.1**5, 1000):.3f}%")
        1.833%
        """
        _check_between("numerator", numerator, self.numerator_unit, 0, np.inf, lo_open=False)
        _check_between("gdp", gdp, "亿元", 0, np.inf)
        out = 100.0 * np.asarray(numerator, dtype=float) * self._to_yi_yuan / np.asarray(gdp, dtype=float)
        return float(out) if np.ndim(out) == 0 else out

    def required_numerator_rate(self, target_share: ArrayLike, gdp_rate: ArrayLike, years: ArrayLike, *,
                                inflation: ArrayLike | None = None) -> ArrayLike:
        r"""Growth of the numerator that takes the share to ``target_share``.

        .. math:: g_N = (s^*/s_0)^{1/n}\,(1 + g_Y) - 1

        Parameters
        ----------
        target_share : float or array_like
            Target share, above 0 and at most 100 [%].
        gdp_rate : float or array_like
            GDP growth [fraction per year]: nominal (current prices) when ``inflation`` is None,
            real (comparable prices) when ``inflation`` is given.
        years : float or array_like
            Horizon, > 0 [years].
        inflation : float or array_like, optional
            GDP deflator growth, turning a real ``gdp_rate`` into the nominal one a current-price
            share needs [fraction per year].

        Returns
        -------
        float or numpy.ndarray
            Growth of the numerator in its own currency, at current prices [fraction per year].

        Examples
        --------
        专栏2 序号7: local fiscal revenue 4.98% of GDP (2020) to 5.5% (2025), GDP 725.11 -> 1000:

        >>> fiscal = ShareOfGDPModel.from_share(4.98, 725.11, name="local fiscal revenue")
        >>> print(f"{fiscal.required_numerator_rate(5.5, required_rate(725.11, 1000, 5), 5):.2%}")
        8.78%
        """
        _check_between("target_share", target_share, "%", 0, 100, hi_open=False)
        _check_between("years", years, "years", 0, np.inf)
        return numerator_rate_for_ratio(self.share_pct, target_share, years, _gdp_nominal(gdp_rate, inflation))

    def share_after(self, numerator_rate: ArrayLike, gdp_rate: ArrayLike, years: ArrayLike, *,
                    inflation: ArrayLike | None = None) -> ArrayLike:
        r"""Share after ``years`` of steady growth of numerator and GDP.

        .. math:: s_n = s_0 \left(\frac{1 + g_N}{1 + g_Y}\right)^n

        Parameters
        ----------
        numerator_rate : float or array_like
            Growth of the numerator in its own currency [fraction per year].
        gdp_rate : float or array_like
            GDP growth, nominal unless ``inflation`` is given [fraction per year].
        years : float or array_like
            Horizon, >= 0 [years].
        inflation : float or array_like, optional
            GDP deflator growth [fraction per year].

        Returns
        -------
        float or numpy.ndarray
            Share [%].

        Examples
        --------
        >>> fiscal = ShareOfGDPModel.from_share(4.98, 725.11)
        >>> round(fiscal.share_after(0.08, 0.0664, 5), 3)
        5.306
        """
        _check_rates(numerator_rate=numerator_rate)
        _check_between("years", years, "years", 0, np.inf, lo_open=False)
        return ratio_after(self.share_pct, years, numerator_rate, _gdp_nominal(gdp_rate, inflation))

    def project(self, numerator_rate: float, gdp_rate: float, years: int, *,
                inflation: float | None = None) -> pd.DataFrame:
        r"""Path of GDP, the numerator and the share.

        .. math:: N_k = N_0 (1 + g_N)^k, \quad Y_k = Y_0 (1 + g_Y)^k, \quad s_k = 100 N_k m x / Y_k

        Parameters
        ----------
        numerator_rate : float
            Growth of the numerator in its own currency [fraction per year].
        gdp_rate : float
            GDP growth, nominal unless ``inflation`` is given [fraction per year].
        years : int
            Number of years after the base year, whole, >= 0 [years].
        inflation : float, optional
            GDP deflator growth [fraction per year].

        Returns
        -------
        pandas.DataFrame
            Columns ``year, gdp, numerator, numerator_yi_yuan, share_pct``; units in
            ``frame.attrs['units']``.

        Examples
        --------
        >>> trade = ShareOfGDPModel(1.65, 725.11, "亿美元", exchange_rate=6.8976, year=2020)
        >>> trade.project(0.10, required_rate(725.11, 1000, 5), 5).iloc[-1].round(4).to_dict()
        {'year': 2025.0, 'gdp': 1000.0, 'numerator': 2.6573, 'numerator_yi_yuan': 18.3293, 'share_pct': 1.8329}
        """
        g_n = _scalar("numerator_rate", numerator_rate, "fraction per year")
        _check_rates(numerator_rate=g_n)
        g_y = _scalar("gdp_rate", _gdp_nominal(gdp_rate, inflation), "fraction per year")
        k = _steps(years)
        num = self.numerator * (1 + g_n) ** k
        y = self.gdp * (1 + g_y) ** k
        num_cny = num * self._to_yi_yuan
        fx = "" if self.currency == "CNY" else f" at {self.exchange_rate:g} CNY per USD"
        return _frame(self.year, k, {"gdp": y, "numerator": num, "numerator_yi_yuan": num_cny,
                                     "share_pct": 100.0 * num_cny / y},
                      {"gdp": "亿元 (current prices)", "numerator": self.numerator_unit,
                       "numerator_yi_yuan": f"亿元{fx}", "share_pct": "% of GDP"}, name=self.name)

    @classmethod
    def from_share(cls, share_pct: float, gdp: float, *, name: str = "numerator", year: int | None = None,
                   sources: Mapping[str, str] | None = None) -> ShareOfGDPModel:
        """A CNY numerator given by its share of GDP: ``numerator = share_pct × gdp / 100`` [亿元].

        Parameters
        ----------
        share_pct : float
            Share, above 0 and at most 100 [%].
        gdp : float
            GDP, > 0 [亿元, current prices].

        Examples
        --------
        >>> round(ShareOfGDPModel.from_share(4.98, 725.11).numerator, 2)
        36.11
        """
        s = _scalar("share_pct", share_pct, "%")
        _check_between("share_pct", s, "%", 0, 100, hi_open=False)
        y = _positive("gdp", gdp, "亿元")
        return cls(s * y / 100.0, y, "亿元", None, name, year, dict(sources or {}))

    @classmethod
    def from_plan(cls, plan: Plan, series_id: str, year: int | None = None, *,
                  exchange_rate: float | None = None, name: str | None = None) -> ShareOfGDPModel:
        """A share-of-GDP model from a plan's ``series_id`` and ``gdp`` levels in ``year``.

        A series in percent (``local_fiscal_revenue_gdp_share``) is read as the share itself
        (:meth:`from_share`); a money series (``trade_total_usd`` in 亿美元,
        ``local_fiscal_revenue`` in 亿元) as the numerator. A USD series needs ``exchange_rate``.

        The Xiangxi plan's two fiscal figures do not agree: 专栏2 序号7 prints local fiscal revenue
        at 4.98% of GDP, while 第一章 第一节 prints 64.47 亿元, which is 8.89% of 725.11 亿元
        (probably a wider revenue concept). Use the share series to work with the 专栏2 target.

        Examples
        --------
        >>> import xiangxi_econ as xe
        >>> plan = xe.load_plan()
        >>> m = ShareOfGDPModel.from_plan(plan, "trade_total_usd", exchange_rate=CNY_PER_USD_2020)
        >>> m.numerator, m.numerator_unit, round(m.share_pct, 3)
        (1.65, '亿美元', 1.57)
        >>> round(ShareOfGDPModel.from_plan(plan, "local_fiscal_revenue_gdp_share").share_pct, 2)
        4.98
        """
        year = plan.periods.base_year if year is None else year
        from ...data.observations import preferred_levels

        gdp, gdp_src = _plan_level(plan, "gdp", year, "CNY", 1e8)
        best = preferred_levels(plan.history)
        units = best.loc[(best["series_id"] == series_id) & (best["year"] == year), "base_unit"].unique()
        if "percent" in units:
            label = name or f"numerator of {series_id}"
            s, src = _plan_level(plan, series_id, year, "percent", 1.0)
            return cls.from_share(s, gdp, name=label, year=year, sources={series_id: src, "gdp": gdp_src})
        for base, unit in (("CNY", "亿元"), ("USD", "亿美元")):
            if base in units:
                v, src = _plan_level(plan, series_id, year, base, 1e8)
                return cls(v, gdp, unit, exchange_rate, name or series_id, year, {series_id: src, "gdp": gdp_src})
        raise KeyError(f"the plan has no {year} level of series '{series_id}' in percent, 亿元 or 亿美元")

    # ---------------------------------------------------------------- display
    def _rows(self) -> list[tuple[str, float, str]]:
        rows = [(self.name, self.numerator, self.numerator_unit)]
        if self.currency == "USD":
            rows += [("exchange rate", float(self.exchange_rate or np.nan), "CNY per USD"),
                     (f"{self.name} in CNY", self.numerator_yi_yuan, "亿元")]
        return rows + [("gdp", self.gdp, "亿元"), ("share", self.share_pct, "% of GDP")]

    def _headline(self) -> str:
        return f"{self.name} as a share of GDP ({self._year_text()}, current prices)"
