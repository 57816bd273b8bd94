"""Whether two printed figures are the same number (725.11 and 725.1 亿元 are; 5490 and 4206.2 are not).

Numbers in, booleans out: the figures and their scales to base units are arguments.
"""

from __future__ import annotations

import decimal

import numpy as np

__all__ = ["same_figure", "same_figures"]


def _decimals(value: float) -> int:
    exponent = decimal.Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


def same_figure(value_a: float, scale_a: float, value_b: float, scale_b: float) -> bool:
    """Whether two printed figures are the same number.

    Equal in base units within a relative 1e-6, or within half a unit of the last printed digit of
    the less precise one (725.11 and 725.1 亿元; 1.12 万元 and 11242 元).

    Parameters
    ----------
    value_a, value_b : float
        The values as printed [their units].
    scale_a, scale_b : float
        Base units per unit of each [e.g. 1e8 CNY per 亿元].

    Examples
    --------
    >>> same_figure(725.11, 1e8, 725.1, 1e8), same_figure(5490, 1e4, 4206.2, 1e4)
    (True, False)
    """
    a, b = value_a * scale_a, value_b * scale_b
    if abs(a - b) <= 1e-6 * max(abs(a), abs(b)):
        return True
    tolerance = max(0.5 * 10.0 ** -_decimals(value_a) * scale_a, 0.5 * 10.0 ** -_decimals(value_b) * scale_b)
    return abs(a - b) <= tolerance * (1 + 1e-9)


def _decimals_array(values: np.ndarray) -> np.ndarray:
    """:func:`_decimals` of each value (computed once per distinct value); 0 for NaN and infinity."""
    v = np.asarray(values, dtype="float64")
    distinct, inverse = np.unique(v, return_inverse=True)
    digits = np.array([_decimals(x) if np.isfinite(x) else 0 for x in distinct], dtype="float64")
    return digits[inverse].reshape(v.shape)


def same_figures(value_a, scale_a, value_b, scale_b) -> np.ndarray:
    """:func:`same_figure` element by element, for arrays that broadcast together.

    Parameters
    ----------
    value_a, value_b : array_like of float
        The values as printed [their units].
    scale_a, scale_b : array_like of float
        Base units per unit of each [e.g. 1e8 CNY per 亿元].

    Returns
    -------
    numpy.ndarray of bool
        False where a value is NaN. A zero value is compared like any other (no division by it).

    Examples
    --------
    >>> same_figures([725.11, 5490], [1e8, 1e4], [725.1, 4206.2], [1e8, 1e4]).tolist()
    [True, False]
    """
    va, vb = np.asarray(value_a, dtype="float64"), np.asarray(value_b, dtype="float64")
    sa, sb = np.asarray(scale_a, dtype="float64"), np.asarray(scale_b, dtype="float64")
    a, b = va * sa, vb * sb
    gap = np.abs(a - b)
    with np.errstate(invalid="ignore"):
        tolerance = np.maximum(0.5 * 10.0 ** -_decimals_array(va) * sa, 0.5 * 10.0 ** -_decimals_array(vb) * sb)
        return (gap <= 1e-6 * np.maximum(np.abs(a), np.abs(b))) | (gap <= tolerance * (1 + 1e-9))
