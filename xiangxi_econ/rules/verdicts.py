"""Verdict categories for "is this target on track?", after published methods.

Each method maps a progress measure to categories with fixed cut-offs:

``unsd2020`` (default)
    UN Statistics Division, *SDG Progress Chart* technical notes 2020-2022: the growth ratio
    :math:`CR = g_a / g_r` of the actual (historical) to the required annual pace.
    on track :math:`CR \\ge 0.95`; fair progress (acceleration needed) :math:`0.5 \\le CR < 0.95`;
    limited or no progress :math:`-0.1 \\le CR < 0.5`; deterioration :math:`CR < -0.1`.
``eurostat``
    Eurostat SDG monitoring report / Statistics Canada (Open SDG ``ProgressMeasure``): the same
    ratio with cut-offs 0.95 / 0.60 / 0: significant progress, moderate progress, insufficient
    progress, movement away from the target.
``unsd2023``
    UN Statistics Division, *SDG Progress Chart 2023* technical note: the projection measure
    :math:`P = (\\hat x_T - x_b)/(x^* - x_b)`, the share of the required distance that the
    historical pace covers by the target year. on track :math:`P \\ge 0.95`; fair progress
    :math:`0.10 \\le P < 0.95`; stagnation or regression :math:`P < 0.10`.

Before any ratio, a target whose baseline already satisfies it is reported as ``already_met``.
Rows that cannot be judged get ``no_history`` (no historical pace on the target's basis),
``not_comparable`` (price bases differ and no inflation assumption was given) or
``not_assessable`` (no numeric target or baseline).

References
----------
UN Statistics Division (2022). *The Sustainable Development Goals Report: Progress Chart 2022,
Technical Note*. UN Statistics Division (2023). *SDG Progress Chart 2023 Technical Note*.
Eurostat (2023). *Sustainable development in the European Union — Monitoring report*, Annex II.
Open SDG, ``sdg/ProgressMeasure.py`` (Statistics Canada implementation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import i18n as _i18n
from .meaning import lower_is_better, meets

__all__ = ["VerdictMethod", "METHODS", "DEFAULT_METHOD", "VERDICT_METHODS", "VERDICT_CODES", "LABELS",
           "get_method", "classify", "lower_is_better", "meets", "growth_ratio", "label"]


@dataclass(frozen=True)
class VerdictMethod:
    """A published classification: measure, cut-offs (descending) and category names."""

    name: str
    measure: str  # "ratio" or "covered_share"
    cutoffs: tuple[float, ...]
    categories: tuple[str, ...]  # len(cutoffs) + 1, best first
    reference: str


METHODS: dict[str, VerdictMethod] = {
    "unsd2020": VerdictMethod(
        "unsd2020", "ratio", (0.95, 0.5, -0.1),
        ("on_track", "fair_progress", "limited_progress", "deterioration"),
        "UN Statistics Division, SDG Progress Chart technical notes 2020-2022 (CR = g_a / g_r)"),
    "eurostat": VerdictMethod(
        "eurostat", "ratio", (0.95, 0.60, 0.0),
        ("significant_progress", "moderate_progress", "insufficient_progress", "moving_away"),
        "Eurostat SDG monitoring / Statistics Canada Open SDG ProgressMeasure (ratio of observed to required CAGR)"),
    "unsd2023": VerdictMethod(
        "unsd2023", "covered_share", (0.95, 0.10),
        ("on_track", "fair_progress", "stagnation_or_regression"),
        "UN Statistics Division, SDG Progress Chart 2023 technical note (projection P)"),
}

DEFAULT_METHOD = "unsd2020"

#: Public alias of :data:`METHODS`.
VERDICT_METHODS = METHODS

#: Every verdict code, in the order of severity used by displays.
VERDICT_CODES = ("already_met", "on_track", "fair_progress", "limited_progress", "deterioration",
                 "significant_progress", "moderate_progress", "insufficient_progress", "moving_away",
                 "stagnation_or_regression", "no_history", "not_comparable", "not_assessable")

#: Plain-language labels of every verdict code, English and Chinese (from :data:`xiangxi_econ.i18n.LABELS`).
LABELS: dict[str, tuple[str, str]] = {code: _i18n.LABELS[code] for code in VERDICT_CODES}


def get_method(method: str) -> VerdictMethod:
    """The :class:`VerdictMethod` called ``method``; ``ValueError`` listing the choices otherwise."""
    try:
        return METHODS[method]
    except KeyError:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}") from None


def classify(measure, method: str = DEFAULT_METHOD) -> np.ndarray:
    """Category codes for an array of progress measures (ratio or covered share).

    Parameters
    ----------
    measure : array_like
        The method's measure (``CR`` for ratio methods, ``P`` for ``unsd2023``) [dimensionless].
        NaN gives an empty string.
    method : str
        One of ``unsd2020`` (default), ``eurostat``, ``unsd2023``.

    Returns
    -------
    numpy.ndarray of str

    Examples
    --------
    >>> classify([1.0, 0.7, 0.0, -0.5]).tolist()
    ['on_track', 'fair_progress', 'limited_progress', 'deterioration']
    >>> classify([0.7], "eurostat").tolist()
    ['moderate_progress']
    """
    spec = get_method(method)
    values = np.asarray(measure, dtype=float)
    conditions = [values >= cut for cut in spec.cutoffs]
    conditions.append(values < spec.cutoffs[-1])
    return np.select(conditions, list(spec.categories), default="")


def growth_ratio(actual, required, direction=None) -> np.ndarray:
    """Growth ratio :math:`CR = g_a / g_r`, NaN where it carries no meaning.

    Parameters
    ----------
    actual, required : array_like
        Actual (historical) and required pace, in the same measure [fraction or pp per year].
    direction : array_like of str, optional
        Desired direction (``increase``/``decrease``/``maintain``). Where the required pace is zero
        or points against the desired direction (the target is already behind the baseline), the
        ratio is NaN: the target is met or not by the baseline alone.

    Examples
    --------
    >>> growth_ratio([0.07, 0.05], [0.0664, -0.01], ["increase", "increase"]).round(3).tolist()
    [1.054, nan]
    """
    a = np.asarray(actual, dtype=float)
    r = np.asarray(required, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = a / r
    bad = ~np.isfinite(ratio)
    if direction is not None:
        d = np.asarray(direction, dtype=object)
        bad |= ((d == "increase") & (r < 0)) | ((d == "decrease") & (r > 0))
    return np.where(bad, np.nan, ratio)


def label(code: str, lang: str = "en") -> str:
    """Plain-language label of a verdict code in English (``en``) or Chinese (``zh``)."""
    return _i18n.label(code, lang)
