r"""Nominal and real: converting rates and levels between price bases.

Chinese plan statistics mix two price bases. The National Bureau of Statistics
reports growth of GDP and of value added at *comparable prices* (real), while GDP
*levels* are at *current prices* (nominal). A plan's GDP growth target (7% a year)
is therefore real, and its GDP level target (1000 亿元) nominal; linking the two
needs a deflator. The rate that takes Xiangxi's GDP from 725.11 to 1000 亿元 in five
years is 6.64% a year *nominal*; next to the plan's 7% *real* it implies prices
falling by about 0.34% a year. This module does those conversions and refuses
(:class:`PriceBasisError`) to compare the two bases without an assumption.

Price basis strings, as in the plan files: ``'current'`` (current prices, nominal),
``'comparable'`` (comparable / constant prices, real), ``'na'`` (not a money amount).

Equations
---------
With nominal rate :math:`n`, real rate :math:`r` and inflation (growth of the
deflator) :math:`\pi`, all fractions per year (exact Fisher relation):

.. math::

    1 + n &= (1 + r)(1 + \pi) \\
    \text{real level}_t &= \text{nominal level}_t \cdot D_0 / D_t
        = \text{nominal level}_t / (1 + \pi)^{t}

where :math:`D_t` is a deflator index with value :math:`D_0` (usually 100) in the
price base year and :math:`t` counts years after that base year.

References
----------
.. [1] National Bureau of Statistics of China: GDP growth rates are computed at
   comparable prices, GDP levels are at current prices (see ``shared/METHODS.md``,
   "Price basis", confidence [V]).
.. [2] I. Fisher, *The Theory of Interest*, Macmillan, 1930: the relation
   :math:`1+n = (1+r)(1+\pi)` between nominal and real rates.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_positive, check_rate, check_years, prepare
from ..exceptions import PriceBasisError
from ..schema import PRICE_BASES
from .growth import Values

__all__ = [
    "PRICE_BASES",
    "PriceBasisError",
    "check_same_basis",
    "convert_rate",
    "deflate",
    "implied_deflator_rate",
    "inflate",
    "nominal_rate",
    "real_rate",
]

_BASIS_WORDS = {
    "current": "current prices (nominal)",
    "comparable": "comparable prices (real)",
    "na": "no price basis (not a money amount)",
}


def _check_divisor(prep: Any, name: str) -> None:
    """``1 + name`` is a divisor: it must be > 0, i.e. ``name`` > -1."""
    arr = prep.arrays[name].reshape(prep.raw_shapes[name])
    if np.any(arr == -1):
        raise ValueError(f"{name} must be > -1 [fraction per year]: 1 + {name} is a divisor; got -1")


def nominal_rate(real_rate: Values, inflation: Values) -> Values:
    r"""Nominal growth rate from a real rate and inflation.

    .. math:: n = (1 + r)(1 + \pi) - 1

    Parameters
    ----------
    real_rate : float, ndarray, Series or DataFrame
        Growth at comparable prices, >= -1 [fraction per year].
    inflation : float, ndarray, Series or DataFrame
        Growth of the price deflator, >= -1 [fraction per year].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Growth at current prices [fraction per year].

    Raises
    ------
    ValueError
        If a rate is below -1 or the shapes or labels do not fit. A rate with
        ``|rate| > 1`` warns :class:`~xiangxi_econ.maths.growth.PercentLikeRateWarning`.

    References
    ----------
    Fisher relation; NBS price-basis convention (module references).

    Examples
    --------
    The plan's 7% real GDP growth with 2% inflation:

    >>> print(f"{nominal_rate(0.07, 0.02):.2%}")
    9.14%
    """
    prep = prepare(real_rate=real_rate, inflation=inflation)
    check_rate(prep, "real_rate")
    check_rate(prep, "inflation")
    return prep.wrap((1.0 + prep["real_rate"]) * (1.0 + prep["inflation"]) - 1.0)


def real_rate(nominal_rate: Values, inflation: Values) -> Values:
    r"""Real growth rate from a nominal rate and inflation.

    .. math:: r = \frac{1 + n}{1 + \pi} - 1

    Parameters
    ----------
    nominal_rate : float, ndarray, Series or DataFrame
        Growth at current prices, >= -1 [fraction per year].
    inflation : float, ndarray, Series or DataFrame
        Growth of the price deflator, > -1 [fraction per year].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Growth at comparable prices [fraction per year].

    Raises
    ------
    ValueError
        If a rate is below -1, ``inflation`` is -1, or the shapes or labels do not
        fit.

    References
    ----------
    Fisher relation; NBS price-basis convention (module references).

    Examples
    --------
    Xiangxi GDP grew 7.0% a year at current prices over 2015-2020 (517 to 725.11
    亿元, 专栏1 序号1); with 1% inflation that is 5.94% real:

    >>> print(f"{real_rate(0.07, 0.01):.2%}")
    5.94%
    """
    prep = prepare(nominal_rate=nominal_rate, inflation=inflation)
    check_rate(prep, "nominal_rate")
    check_rate(prep, "inflation")
    _check_divisor(prep, "inflation")
    return prep.wrap((1.0 + prep["nominal_rate"]) / (1.0 + prep["inflation"]) - 1.0)


def implied_deflator_rate(nominal_rate: Values, real_rate: Values) -> Values:
    r"""Inflation (deflator growth) implied by a nominal and a real rate.

    .. math:: \pi = \frac{1 + n}{1 + r} - 1

    Parameters
    ----------
    nominal_rate : float, ndarray, Series or DataFrame
        Growth at current prices, >= -1 [fraction per year].
    real_rate : float, ndarray, Series or DataFrame
        Growth at comparable prices, > -1 [fraction per year].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Implied deflator growth [fraction per year].

    Raises
    ------
    ValueError
        If a rate is below -1, ``real_rate`` is -1, or the shapes or labels do not
        fit.

    References
    ----------
    Fisher relation; NBS price-basis convention (module references).

    Examples
    --------
    专栏2 序号1: the GDP level target (725.11 to 1000 亿元, current prices) needs
    6.64% a year nominal; the plan's growth target is 7% real. Together they imply
    a falling GDP deflator:

    >>> from xiangxi_econ.maths.growth import required_rate
    >>> print(f"{implied_deflator_rate(required_rate(725.11, 1000, 5), 0.07):.2%}")
    -0.34%
    """
    prep = prepare(nominal_rate=nominal_rate, real_rate=real_rate)
    check_rate(prep, "nominal_rate")
    check_rate(prep, "real_rate")
    _check_divisor(prep, "real_rate")
    return prep.wrap((1.0 + prep["nominal_rate"]) / (1.0 + prep["real_rate"]) - 1.0)


def _price_factor(
    level: Values,
    deflator: Values | None,
    inflation: Values | None,
    years: Values | None,
    deflator_base: float,
) -> tuple[Any, Any]:
    """Return (prepared arguments, price factor P_t / P_0) for deflate/inflate."""
    if (deflator is None) == (inflation is None):
        raise ValueError(
            "give exactly one of deflator (a price index) or inflation (an assumed "
            "rate, with years); got "
            + ("both" if deflator is not None else "neither")
        )
    if deflator is not None:
        if years is not None:
            raise ValueError(
                "years is only used with inflation; a deflator index already gives each "
                "year's prices"
            )
        prep = prepare(level=level, deflator=deflator)
        check_positive(prep, "deflator", "a price index")
        base = float(deflator_base)
        if not base > 0:
            raise ValueError(f"deflator_base must be positive [index points]; got {deflator_base!r}")
        return prep, prep["deflator"] / base
    if years is None:
        raise ValueError(
            "years is required with inflation: the number of years between the price "
            "base year and each level [years]"
        )
    prep = prepare(level=level, inflation=inflation, years=years)
    check_rate(prep, "inflation", stacklevel=4)
    _check_divisor(prep, "inflation")
    check_years(prep, allow_zero=True)
    return prep, np.power(1.0 + prep["inflation"], prep["years"])


def deflate(
    level: Values,
    *,
    deflator: Values | None = None,
    inflation: Values | None = None,
    years: Values | None = None,
    deflator_base: float = 100.0,
) -> Values:
    r"""Convert current-price (nominal) levels to comparable (real) prices.

    .. math::

        \text{real}_t = \text{nominal}_t \, \frac{D_0}{D_t}
        \quad\text{or}\quad
        \text{real}_t = \frac{\text{nominal}_t}{(1 + \pi)^{t}}

    Give either a deflator index ``deflator`` (:math:`D_t`, equal to
    ``deflator_base`` in the price base year) or an inflation assumption
    ``inflation`` with ``years`` after the base year.

    Parameters
    ----------
    level : float, ndarray, Series or DataFrame
        Levels at current prices [money unit, e.g. 亿元].
    deflator : float, ndarray, Series or DataFrame, optional
        Price index for each level, > 0. A Series indexed by year broadcasts over
        the year columns of a wide DataFrame [index points, base year =
        ``deflator_base``].
    inflation : float, ndarray, Series or DataFrame, optional
        Assumed deflator growth, > -1 [fraction per year].
    years : float, ndarray, Series or DataFrame, optional
        Years after the price base year, >= 0; required with ``inflation``
        [years].
    deflator_base : float, default 100
        Value of the deflator in the price base year [index points].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Levels at the base year's prices [same money unit].

    Raises
    ------
    ValueError
        If both or neither of ``deflator`` and ``inflation`` are given, ``years``
        is missing with ``inflation``, the deflator is <= 0, or the shapes or labels
        do not fit.

    References
    ----------
    NBS price-basis convention (module references).

    Examples
    --------
    >>> round(deflate(1000.0, inflation=0.02, years=5), 2)
    905.73
    >>> deflate(np.array([100.0, 110.0]), deflator=np.array([100.0, 104.0]))
    array([100.        , 105.76923077])
    """
    prep, factor = _price_factor(level, deflator, inflation, years, deflator_base)
    return prep.wrap(prep["level"] / factor)


def inflate(
    level: Values,
    *,
    deflator: Values | None = None,
    inflation: Values | None = None,
    years: Values | None = None,
    deflator_base: float = 100.0,
) -> Values:
    r"""Convert comparable-price (real) levels to current (nominal) prices.

    The inverse of :func:`deflate`:

    .. math::

        \text{nominal}_t = \text{real}_t \, \frac{D_t}{D_0}
        \quad\text{or}\quad
        \text{nominal}_t = \text{real}_t \, (1 + \pi)^{t}

    Parameters
    ----------
    level : float, ndarray, Series or DataFrame
        Levels at the base year's prices [money unit, e.g. 亿元].
    deflator, inflation, years, deflator_base
        As in :func:`deflate`: a price index [index points], or an assumed deflator growth
        [fraction per year] over ``years`` [years].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Levels at current prices [same money unit].

    Raises
    ------
    ValueError
        As :func:`deflate`.

    References
    ----------
    NBS price-basis convention (module references).

    Examples
    --------
    A real path at the plan's 7% from 725.11 亿元, in current prices with 1%
    inflation:

    >>> from xiangxi_econ.maths.growth import project
    >>> round(inflate(project(725.11, 0.07, 5), inflation=0.01, years=5), 1)
    1068.9
    """
    prep, factor = _price_factor(level, deflator, inflation, years, deflator_base)
    return prep.wrap(prep["level"] * factor)


def _check_basis_name(name: str, value: Any) -> str:
    if value not in PRICE_BASES:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, PRICE_BASES))}; got {value!r}")
    return value


def check_same_basis(
    level_basis: str,
    rate_basis: str,
    *,
    inflation: Values | None = None,
    deflator: Values | None = None,
) -> None:
    """Refuse to combine a level and a rate on different price bases without an
    assumption that links them.

    Passes silently when the bases are equal, or when one is ``'current'`` and the
    other ``'comparable'`` and an ``inflation`` or ``deflator`` assumption is given.
    Raises :class:`PriceBasisError` otherwise.

    Parameters
    ----------
    level_basis : {'current', 'comparable', 'na'}
        Price basis of the levels (a GDP level is ``'current'``).
    rate_basis : {'current', 'comparable', 'na'}
        Price basis of the growth rate (a GDP growth rate is ``'comparable'``).
    inflation : float, ndarray, Series or DataFrame, optional
        Inflation assumption that links the two bases [fraction per year].
    deflator : float, ndarray, Series or DataFrame, optional
        Deflator index that links the two bases [index points].

    Raises
    ------
    PriceBasisError
        Nominal against real without ``inflation`` or ``deflator``; or ``'na'``
        against a price basis (a price basis applies only to money amounts).
    ValueError
        If a basis is not one of ``'current'``, ``'comparable'``, ``'na'``.

    References
    ----------
    NBS price-basis convention (module references).

    Examples
    --------
    >>> check_same_basis("current", "current")
    >>> check_same_basis("current", "comparable", inflation=0.01)
    >>> check_same_basis("current", "comparable")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    xiangxi_econ.exceptions.PriceBasisError: level_basis is 'current' ...
    """
    _check_basis_name("level_basis", level_basis)
    _check_basis_name("rate_basis", rate_basis)
    linked = inflation is not None or deflator is not None
    error = _basis_mismatch("level_basis", level_basis, "rate_basis", rate_basis, linked)
    if error is not None:
        raise error


def _basis_mismatch(
    a_name: str, a: str, b_name: str, b: str, linked: bool
) -> PriceBasisError | None:
    """The error for combining bases ``a`` and ``b``, or None when allowed."""
    if a == b:
        return None
    head = (
        f"{a_name} is {a!r} ({_BASIS_WORDS[a]}) but {b_name} is {b!r} ({_BASIS_WORDS[b]})"
    )
    if "na" in (a, b):
        return PriceBasisError(
            f"{head}; a price basis applies only to money amounts, so one of the two is "
            f"mislabelled"
        )
    if linked:
        return None
    return PriceBasisError(
        f"{head}: a real rate cannot be compared with or applied to a nominal level "
        f"path without a price assumption. Give inflation=... [fraction per year] (then "
        f"convert with nominal_rate/real_rate or convert_rate), or put the levels on the "
        f"rate's basis with deflate/inflate and a deflator index"
    )


def convert_rate(
    rate: Values,
    from_basis: str,
    to_basis: str,
    *,
    inflation: Values | None = None,
) -> Values:
    r"""Express a growth rate on another price basis.

    ``'comparable'`` to ``'current'`` applies :func:`nominal_rate`, ``'current'`` to
    ``'comparable'`` applies :func:`real_rate`; the same basis returns the rate
    unchanged (and ignores ``inflation``).

    .. math:: n = (1 + r)(1 + \pi) - 1, \qquad r = \frac{1 + n}{1 + \pi} - 1

    Parameters
    ----------
    rate : float, ndarray, Series or DataFrame
        Growth rate on ``from_basis`` [fraction per year].
    from_basis, to_basis : {'current', 'comparable', 'na'}
        Price basis of ``rate`` and the basis wanted.
    inflation : float, ndarray, Series or DataFrame, optional
        Deflator growth; required when the bases differ [fraction per year].

    Returns
    -------
    float, ndarray, Series or DataFrame
        Growth rate on ``to_basis`` [fraction per year].

    Raises
    ------
    PriceBasisError
        If the bases differ and ``inflation`` is missing, or one basis is ``'na'``
        and the other is not.

    References
    ----------
    Fisher relation; NBS price-basis convention (module references).

    Examples
    --------
    To project the current-price GDP level at the plan's real 7%, first make the
    rate nominal:

    >>> print(f"{convert_rate(0.07, 'comparable', 'current', inflation=0.01):.2%}")
    8.07%
    """
    _check_basis_name("from_basis", from_basis)
    _check_basis_name("to_basis", to_basis)
    if from_basis == to_basis:
        prep = prepare(rate=rate)
        check_rate(prep, "rate")
        return prep.wrap(prep["rate"])
    error = _basis_mismatch("from_basis", from_basis, "to_basis", to_basis, inflation is not None)
    if error is not None:
        raise error
    if from_basis == "comparable":
        prep = prepare(rate=rate, inflation=inflation)
        check_rate(prep, "rate")
        check_rate(prep, "inflation")
        return prep.wrap((1.0 + prep["rate"]) * (1.0 + prep["inflation"]) - 1.0)
    prep = prepare(rate=rate, inflation=inflation)
    check_rate(prep, "rate")
    check_rate(prep, "inflation")
    _check_divisor(prep, "inflation")
    return prep.wrap((1.0 + prep["rate"]) / (1.0 + prep["inflation"]) - 1.0)
