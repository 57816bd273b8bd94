r"""Growth arithmetic of accounting identities, vectorised.

Two identities carry most of a plan's links between indicators:

* a **product** :math:`Y = A \times B` (tourism revenue = arrivals × spending per visitor;
  GDP = labour productivity × employment), whose growth factors multiply,
  :math:`1 + g_Y = (1 + g_A)(1 + g_B)`;
* a **ratio** :math:`S = N / D` (R&D intensity = R&D spending / GDP; a sector's share of GDP;
  fiscal revenue or trade as a share of GDP), whose growth factors divide,
  :math:`1 + g_S = (1 + g_N)/(1 + g_D)`.

Every function takes scalars, numpy arrays or pandas objects and returns the same kind (a float
for scalars; pandas keeps its labels), checked like :mod:`xiangxi_econ.maths.growth`: rates are fractions
per year and must exceed -1 where they divide; levels and shares are positive, in any consistent
unit.

References
----------
Any national-accounts growth-decomposition text, e.g. OECD (2001), *Measuring Productivity*,
ch. 2 (growth of products and ratios of indices).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_positive, check_rate, check_years, prepare


def _rates(**named):
    """Prepare rate arguments: above -1 (a fall of 100% a year), percent-like values warned about."""
    prep = prepare(**named)
    for name in named:
        check_rate(prep, name, stacklevel=4)
        arr = prep[name]
        if np.any(arr <= -1):
            raise ValueError(f"{name} must be above -1 [fraction per year]: a factor (1 + {name}) of zero or "
                             f"less has no growth arithmetic; got {float(arr[arr <= -1].flat[0])!r}")
    return prep


def _levels_and_rate(base_name, base, target_name, target, years, rate_name, rate):
    prep = prepare(**{base_name: base, target_name: target, "years": years, rate_name: rate})
    check_positive(prep, base_name, "a growth rate")
    check_positive(prep, target_name, "a growth rate")
    check_years(prep)
    _rates(**{rate_name: rate})
    return prep


def product_rate(rate_a, rate_b):
    r"""Growth of a product :math:`Y = A B`.

    .. math:: g_Y = (1 + g_A)(1 + g_B) - 1

    Parameters
    ----------
    rate_a, rate_b : float or array_like
        Growth rates of the two factors [fraction per year].

    Returns
    -------
    float or numpy.ndarray
        Growth rate of the product [fraction per year].

    Examples
    --------
    >>> round(product_rate(0.10, 0.05), 6)
    0.155
    """
    prep = _rates(rate_a=rate_a, rate_b=rate_b)
    return prep.wrap((1 + prep["rate_a"]) * (1 + prep["rate_b"]) - 1)


def ratio_rate(rate_numerator, rate_denominator):
    r"""Growth of a ratio :math:`S = N / D`.

    .. math:: g_S = \frac{1 + g_N}{1 + g_D} - 1

    Parameters
    ----------
    rate_numerator, rate_denominator : float or array_like
        Growth rates of numerator and denominator [fraction per year].

    Examples
    --------
    >>> round(ratio_rate(0.12, 0.0664), 6)
    0.050263
    """
    prep = _rates(rate_numerator=rate_numerator, rate_denominator=rate_denominator)
    return prep.wrap((1 + prep["rate_numerator"]) / (1 + prep["rate_denominator"]) - 1)


def factor_rate_for_product(product_base, product_target, years, rate_other):
    r"""Growth one factor of :math:`Y = A B` needs for :math:`Y` to reach a target, the other factor
    growing at ``rate_other``.

    .. math:: g_A = \frac{(Y^*/Y_0)^{1/n}}{1 + g_B} - 1

    Parameters
    ----------
    product_base, product_target : float or array_like
        :math:`Y_0` and :math:`Y^*` [unit of Y], positive.
    years : float or array_like
        Horizon :math:`n` [years].
    rate_other : float or array_like
        Growth of the other factor [fraction per year].

    Examples
    --------
    >>> # tourism revenue 461 -> 1000 亿元 with arrivals growing 16.93% a year: spending per visitor
    >>> round(factor_rate_for_product(461, 1000, 5, 0.169289), 4)
    -0.0015
    """
    prep = _levels_and_rate("product_base", product_base, "product_target", product_target, years,
                            "rate_other", rate_other)
    need = (prep["product_target"] / prep["product_base"]) ** (1 / prep["years"])
    return prep.wrap(need / (1 + prep["rate_other"]) - 1)


def numerator_rate_for_ratio(ratio_base, ratio_target, years, rate_denominator):
    r"""Growth the numerator of :math:`S = N/D` needs for :math:`S` to reach a target.

    .. math:: g_N = (S^*/S_0)^{1/n} (1 + g_D) - 1

    Examples
    --------
    >>> # R&D intensity 1.2% -> 2% in 5 years with nominal GDP growing 6.64% a year
    >>> round(numerator_rate_for_ratio(1.2, 2.0, 5, 0.0664), 4)
    0.1812
    """
    prep = _levels_and_rate("ratio_base", ratio_base, "ratio_target", ratio_target, years,
                            "rate_denominator", rate_denominator)
    need = (prep["ratio_target"] / prep["ratio_base"]) ** (1 / prep["years"])
    return prep.wrap(need * (1 + prep["rate_denominator"]) - 1)


def denominator_rate_for_ratio(ratio_base, ratio_target, years, rate_numerator):
    r"""Growth the denominator of :math:`S = N/D` needs for :math:`S` to reach a target.

    .. math:: g_D = \frac{1 + g_N}{(S^*/S_0)^{1/n}} - 1
    """
    prep = _levels_and_rate("ratio_base", ratio_base, "ratio_target", ratio_target, years,
                            "rate_numerator", rate_numerator)
    need = (prep["ratio_target"] / prep["ratio_base"]) ** (1 / prep["years"])
    return prep.wrap((1 + prep["rate_numerator"]) / need - 1)


def ratio_after(ratio_base, years, rate_numerator, rate_denominator):
    r"""Value of :math:`S = N/D` after ``years`` of steady growth of both parts.

    .. math:: S_n = S_0 \left(\frac{1 + g_N}{1 + g_D}\right)^n

    Examples
    --------
    >>> # R&D spending +12% a year (专栏2 序号9) and nominal GDP +6.64%: intensity 1.2% -> 1.53%
    >>> round(ratio_after(1.2, 5, 0.12, 0.0664), 3)
    1.533
    """
    prep = prepare(ratio_base=ratio_base, years=years, rate_numerator=rate_numerator,
                   rate_denominator=rate_denominator)
    check_positive(prep, "ratio_base", "a ratio")
    check_years(prep, allow_zero=True)
    _rates(rate_numerator=rate_numerator, rate_denominator=rate_denominator)
    factor = (1 + prep["rate_numerator"]) / (1 + prep["rate_denominator"])
    return prep.wrap(prep["ratio_base"] * factor ** prep["years"])


# ============================================================================ declared identities

@dataclass(frozen=True)
class Identity:
    r"""An accounting identity between series of a plan, keyed by ``series_id``.

    ``form`` is one of

    * ``"product"``: :math:`Y = \prod_i X_i` (in base units);
    * ``"ratio"``: :math:`Y = k\,N/D` with :math:`k = 100` for a share in percent;
    * ``"sum"``: :math:`\sum_i X_i = 100` (shares that add up to the whole).

    Values are converted through the unit registry (``units.csv``): each part from its ``units``
    entry to base units, the result back to the result's unit. Money amounts in different
    currencies need an explicit exchange rate.

    Attributes
    ----------
    name : str
    form : {"product", "ratio", "sum"}
    result : str
        ``series_id`` of the left-hand side (empty for ``sum``).
    parts : tuple of str
        ``series_id`` of each factor, of numerator and denominator, or of each addend.
    units : dict
        The printed unit of every series in the identity, as the plan states it.
    description : str
    description_zh : str
        The same in Chinese.
    """

    name: str
    form: str
    result: str
    parts: tuple[str, ...]
    units: Mapping[str, str]
    description: str = ""
    description_zh: str = ""

    @property
    def series(self) -> tuple[str, ...]:
        """Every series the identity links (result first)."""
        return ((self.result,) if self.result else ()) + self.parts

    def evaluate(self, values: Mapping[str, Any], units: Any, exchange_rate: float | None = None,
                 value_units: Mapping[str, str] | None = None, result_unit: str | None = None) -> Any:
        """The result from the parts, in the result's unit.

        Parameters
        ----------
        values : mapping of series_id to float or array
            Each part in its unit of :attr:`units` (or of ``value_units``) [that unit].
        units : UnitRegistry
            The registry of the values' units (``plan.units``; :func:`xiangxi_econ.io.default_units`).
        exchange_rate : float, optional
            CNY per USD, when the parts are money in different currencies [CNY/USD].
        value_units : mapping of series_id to str, optional
            Units of the given values where they differ from :attr:`units` (``亿人次`` ...).
        result_unit : str, optional
            Unit of the result; default ``units[result]``.

        Returns
        -------
        float or ndarray
            The result [``units[result]``]; for a ``sum`` identity, the total [%].

        Examples
        --------
        >>> from xiangxi_econ.data.plan_io import default_units
        >>> round(IDENTITIES["tourism_revenue"].evaluate(
        ...     {"tourism_arrivals": 12000, "tourism_spending_per_visitor": 1200}, default_units()), 6)  # 亿元
        1440.0
        """
        registry = _registry(units)
        unit_of = {**self.units, **dict(value_units or {})}
        if result_unit is not None:
            unit_of[self.result] = result_unit
        base = [np.asarray(values[p], dtype=float) * registry.scale(unit_of[p]) for p in self.parts]
        bases = [registry.base_unit(unit_of[p]) for p in self.parts]
        if self.form == "sum":
            return _scalar_or_array(sum(base))
        if self.form == "product":
            out = base[0]
            for b in base[1:]:
                out = out * b
        else:
            num, den = base
            num = num * _currency_factor(bases[0], bases[1], exchange_rate, self.name)
            out = num / den
        out = out / registry.scale(unit_of[self.result])
        if self.form == "ratio" and unit_of[self.result] == "%":
            out = out * 100.0
        return _scalar_or_array(out)

    def solve(self, part: str, values: Mapping[str, Any], units: Any, exchange_rate: float | None = None,
              value_units: Mapping[str, str] | None = None, part_unit: str | None = None) -> Any:
        """One part of a product or ratio identity from the result and the other parts.

        Parameters
        ----------
        part : str
            The ``series_id`` to solve for.
        values : mapping of series_id to float or array
            The result and the other parts, in their units [unit].
        value_units : mapping, optional
            Units of the given values where they differ from :attr:`units`.
        part_unit : str, optional
            Unit of the answer; default ``units[part]``.

        Examples
        --------
        >>> from xiangxi_econ.data.plan_io import default_units
        >>> round(IDENTITIES["tourism_revenue"].solve("tourism_spending_per_visitor",
        ...       {"tourism_revenue": 461, "tourism_arrivals": 5490}, default_units()), 2)   # 元 per visit
        839.71
        """
        if self.form == "sum" or part not in self.parts:
            raise ValueError(f"identity '{self.name}' cannot be solved for {part!r}; parts: {', '.join(self.parts)}")
        unit_of = {**self.units, **dict(value_units or {})}
        if part_unit is not None:
            unit_of[part] = part_unit
        ones = {p: (1.0 if p == part else values[p]) for p in self.parts}
        unit_one = self.evaluate(ones, units, exchange_rate, unit_of, unit_of[self.result])
        result = np.asarray(values[self.result], dtype=float)
        if self.form == "ratio" and part == self.parts[1]:   # denominator: D = k N / Y
            return _scalar_or_array(np.asarray(unit_one, dtype=float) / result)
        return _scalar_or_array(result / np.asarray(unit_one, dtype=float))


def _scalar_or_array(x: Any) -> Any:
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def _currency_factor(num_base: str, den_base: str, exchange_rate: float | None, name: str) -> float:
    if num_base == den_base or {num_base, den_base} - {"CNY", "USD"}:
        return 1.0
    if exchange_rate is None or not exchange_rate > 0:
        raise ValueError(f"identity '{name}' divides {num_base} by {den_base}: pass exchange_rate [CNY per USD]; "
                         f"got {exchange_rate!r}")
    return exchange_rate if num_base == "USD" else 1.0 / exchange_rate


def _registry(units: Any) -> Any:
    """The unit registry handed in: Maths takes unit scales as an argument, it reads no unit table."""
    if units is None or not hasattr(units, "scale"):
        raise TypeError("units: pass the unit registry of the values (plan.units, or xe.io.default_units() for "
                        f"the package's units); got {units!r}")
    return units


#: The identities the library knows, keyed by name. A user's plan written with these
#: ``series_id``s gets every identity check (see ``xiangxi_econ/data/README.md``).
IDENTITIES: dict[str, Identity] = {i.name: i for i in (
    Identity("tourism_revenue", "product", "tourism_revenue", ("tourism_arrivals", "tourism_spending_per_visitor"),
             {"tourism_revenue": "亿元", "tourism_arrivals": "万人次", "tourism_spending_per_visitor": "元"},
             "tourism revenue = tourist arrivals × spending per visit",
             "旅游收入 = 接待游客人次 × 人均花费"),
    Identity("rd_intensity", "ratio", "rd_intensity", ("rd_expenditure", "gdp"),
             {"rd_intensity": "%", "rd_expenditure": "亿元", "gdp": "亿元"},
             "R&D intensity = R&D spending / GDP × 100",
             "研发经费投入强度 = 研发经费支出 / 地区生产总值 × 100"),
    Identity("labour_productivity", "ratio", "labour_productivity", ("gdp", "employment"),
             {"labour_productivity": "万元/人", "gdp": "亿元", "employment": "万人"},
             "labour productivity = GDP / employment",
             "全员劳动生产率 = 地区生产总值 / 从业人员"),
    Identity("local_fiscal_revenue_gdp_share", "ratio", "local_fiscal_revenue_gdp_share",
             ("local_fiscal_revenue", "gdp"),
             {"local_fiscal_revenue_gdp_share": "%", "local_fiscal_revenue": "亿元", "gdp": "亿元"},
             "local fiscal revenue as a share of GDP",
             "地方财政收入占地区生产总值比重"),
    Identity("trade_dependence", "ratio", "trade_dependence", ("trade_total_usd", "gdp"),
             {"trade_dependence": "%", "trade_total_usd": "亿美元", "gdp": "亿元"},
             "trade (USD, at an exchange rate) as a share of GDP",
             "进出口总额（美元，按汇率折算）占地区生产总值比重"),
    Identity("trade_dependence_cny", "ratio", "trade_dependence", ("trade_total_cny", "gdp"),
             {"trade_dependence": "%", "trade_total_cny": "亿元", "gdp": "亿元"},
             "trade (in yuan, as the bulletins print it) as a share of GDP",
             "进出口总额（人民币，按公报口径）占地区生产总值比重"),
    Identity("high_tech_va_share_gdp", "ratio", "high_tech_va_share_gdp", ("high_tech_va", "gdp"),
             {"high_tech_va_share_gdp": "%", "high_tech_va": "亿元", "gdp": "亿元"},
             "high-tech industry value added as a share of GDP",
             "高新技术产业增加值占地区生产总值比重"),
    Identity("tax_revenue_gdp_share", "ratio", "local_fiscal_revenue_gdp_share", ("tax_revenue", "gdp"),
             {"local_fiscal_revenue_gdp_share": "%", "tax_revenue": "亿元", "gdp": "亿元"},
             "tax revenue (税收收入) as a share of GDP: another reading of a fiscal revenue share",
             "税收收入占地区生产总值比重：财政收入占比的另一种口径"),
    Identity("sector_shares", "sum", "", ("primary_sector_share", "secondary_sector_share", "tertiary_sector_share"),
             {"primary_sector_share": "%", "secondary_sector_share": "%", "tertiary_sector_share": "%"},
             "the three sectors' shares of GDP add up to 100%",
             "三次产业占地区生产总值比重之和为100%"),
)}

#: A part cannot exceed its whole: each share on the left is at most the share on the right, in the same
#: year (manufacturing is part of industry, industry part of the secondary sector).
PART_OF: dict[str, str] = {
    "manufacturing_va_share": "industry_va_share",
    "industry_va_share": "secondary_sector_share",
}
