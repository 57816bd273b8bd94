"""Axes, input frames and the guards every chart shares: new axes, result objects to frames,
integer year ticks, legends in the chart's font, and the guard that keeps user text out of
matplotlib's mathtext.

matplotlib is imported inside the functions, so importing this module does not load it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import _fonts

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes


def _pyplot() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, or the Axes of a new constrained-layout figure of ``figsize`` [inches]."""
    if ax is not None:
        return ax
    _fig, new = _pyplot().subplots(figsize=figsize, layout="constrained")
    return new


def _missing(value: Any) -> bool:
    """Whether ``value`` is a missing scalar (None, NaN, NA); False for anything pandas cannot test."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _maybe_frame(obj: Any, what: str) -> pd.DataFrame | None:
    """:func:`_as_frame`, or None for None."""
    return None if obj is None else _as_frame(obj, what)


def _as_frame(obj: Any, what: str) -> pd.DataFrame:
    """A DataFrame from a DataFrame or a result object with ``to_frame()`` / ``frame``."""
    if isinstance(obj, pd.DataFrame):
        return obj
    if hasattr(obj, "to_frame"):
        return obj.to_frame()
    if isinstance(getattr(obj, "frame", None), pd.DataFrame):
        return obj.frame
    raise TypeError(f"{what} must be a pandas DataFrame or an object with to_frame(); got {type(obj).__name__}")


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """``ValueError`` naming ``what``, the missing columns and the columns it has."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}; it has {list(frame.columns)}")


def _integer_years(ax: Axes) -> None:
    """Year ticks on whole years only (1, 2, 5 or 10 apart)."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def _compatible_basis(a: Any, b: Any) -> bool:
    """False only when both are money price bases and they differ (current vs comparable)."""
    money = ("current", "comparable")
    return not (a in money and b in money and a != b)


def _legend(ax: Axes, lang: str, size: float | str | None = None, **kwargs: Any) -> Any:
    """``ax.legend(**kwargs)`` in the chart's font (the CJK font for Chinese labels)."""
    prop = _fonts.font_properties(lang, size)
    if prop is not None:
        kwargs["prop"] = prop
    return ax.legend(**kwargs)


def _wrap(text: str, width: int) -> str:
    """``text`` wrapped at ``width`` characters (text without spaces stays on one line)."""
    return "\n".join(textwrap.wrap(text, width)) or text


def _with_gaps(years: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``years, values`` with a NaN put in every missing year, so a line stops at a gap instead of
    joining the years on either side as if the years between had been observed.

    >>> _with_gaps(np.array([2015, 2016, 2019]), np.array([1.0, 2.0, 5.0]))
    (array([2015, 2016, 2017, 2019]), array([ 1.,  2., nan,  5.]))
    """
    order = np.argsort(years, kind="stable")
    years, values = years[order], values[order]
    gap = np.flatnonzero(np.diff(years) > 1)
    return np.insert(years, gap + 1, years[gap] + 1), np.insert(values, gap + 1, np.nan)


def _plain_text(fn: Any) -> Any:
    """Draw ``fn``'s chart with every text it writes taken literally, never as mathtext.

    Indicator, scenario and plan names are user text: a ``$`` in one would otherwise start
    matplotlib's mathtext, rendering ``$x^2$`` as maths or failing the whole figure on a lone
    ``$...$`` pair that is not valid TeX. After ``fn`` has drawn, every text artist it created
    (titles, labels, legend entries, annotations) and the tick labels it set by name
    (fixed locators) get ``parse_math=False``. Texts that were on a given Axes before, and
    numeric tick labels (a log axis writes ``$10^{2}$``), are left as matplotlib made them.
    """
    import functools
    import inspect

    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from matplotlib.text import Text
        from matplotlib.ticker import FixedLocator

        given = signature.bind_partial(*args, **kwargs).arguments.get("ax")
        fig_before = getattr(given, "figure", None)
        before = {id(t) for t in fig_before.findobj(Text)} if fig_before is not None else set()
        out = fn(*args, **kwargs)
        axes_list = [a for a in np.ravel(np.asarray(out, dtype=object)) if hasattr(a, "xaxis")]
        for fig in {id(a.figure): a.figure for a in axes_list}.values():
            ticks = {id(t) for a in fig.axes for axis in (a.xaxis, a.yaxis)
                     for t in (*axis.get_ticklabels(which="both"), axis.offsetText)}
            for t in fig.findobj(Text):
                if id(t) not in before and id(t) not in ticks:
                    t.set_parse_math(False)
            for a in fig.axes:
                for axis in (a.xaxis, a.yaxis):
                    if isinstance(axis.get_major_locator(), FixedLocator):  # ticks set by name
                        for t in axis.get_ticklabels():
                            t.set_parse_math(False)
        return out

    return wrapper


def _published_levels(plan: Any, row: Any) -> pd.DataFrame:
    """The published level figures of the row's series (``plan.observations``) on the row's base unit:
    preferred rows, unversioned or of the version the plan uses; values in base units."""
    obs = plan.observations.table
    return obs[(obs["series_id"] == row["series_id"]) & (obs["measure"] == "level") & obs["preferred"]
               & (obs["base_unit"] == row["base_unit"]) & ((obs["version"] == "") | obs["used_by_plan"])]
