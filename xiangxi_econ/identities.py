r"""Growth arithmetic of accounting identities, vectorised.

Two identities carry most of a plan's links between indicators:

* a **product** :math:`Y = A \times B` (tourism revenue = arrivals × spending per visitor;
  GDP = labour productivity × employment), whose growth factors multiply,
  :math:`1 + g_Y = (1 + g_A)(1 + g_B)`;
* a **ratio** :math:`S = N / D` (R&D intensity = R&D spending / GDP; a sector's share of GDP;
  fiscal revenue or trade as a share of GDP), whose growth factors divide,
  :math:`1 + g_S = (1 + g_N)/(1 + g_D)`.

Every function takes scalars, numpy arrays or pandas objects and returns the same kind (a float
for scalars; pandas keeps its labels), checked like :mod:`xiangxi_econ.growth`: rates are fractions
per year and must exceed -1 where they divide; levels and shares are positive, in any consistent
unit.

References
----------
Any national-accounts growth-decomposition text, e.g. OECD (2001), *Measuring Productivity*,
ch. 2 (growth of products and ratios of indices).
"""

from __future__ import annotations

import numpy as np

from ._checks import check_positive, check_rate, check_years, prepare


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
