"""The pace each target requires against the pace achieved, one row a target (a dumbbell chart).

The paces are columns of the assessment it is handed (:func:`xiangxi_econ.assess`); nothing is
computed here but the change of scale from a fraction to percent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...i18n import check_lang
from .. import _fonts
from .._fonts import label_text
from ._base import _as_frame, _legend, _new_axes, _plain_text, _require_columns, _wrap
from ._labels import _BASES, _basis_text, _pair, _short_name_zh, _t
from ._style import UNKNOWN_VERDICT_COLOUR, VERDICT_COLOURS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes

#: measure -> (required column, historical column, factor to the axis unit)
_COLUMNS_OF: dict[str, tuple[str, str, float]] = {"rate": ("required_rate", "historical_rate", 100.0),
                                                  "pp": ("required_pace_pp", "historical_pace_pp", 1.0)}


def _pace_rows(frame: pd.DataFrame, req_col: str, hist_col: str) -> pd.DataFrame:
    """Rows with both numbers, a target the plan states twice (table and chapter) once."""
    _require_columns(frame, ["indicator_id", req_col, hist_col], "assessment_frame")
    rows = frame[frame[req_col].notna() & frame[hist_col].notna()]
    if {"series_id", "target_year", "target_value"} <= set(rows.columns):
        rows = rows.drop_duplicates(["series_id", "target_year", "target_value"])
    return rows.reset_index(drop=True)


def _row_labels(rows: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """Row names (money amounts with their price basis) and the price bases of the money rows."""
    names, bases = [], []
    for _, r in rows.iterrows():
        name_en = str(r.get("name_en", r["indicator_id"]))
        name_zh = _short_name_zh(str(r.get("name_zh", name_en)), str(r.get("unit", "")))
        basis = str(r.get("price_basis", "na"))
        if basis in _BASES:
            bases.append(basis)
            basis_en, basis_zh = _pair(f"basis.{basis}")
            name_en = _pair("name_with_basis", name=name_en, basis=basis_en)[0]
            name_zh = _pair("name_with_basis", name=name_zh, basis=basis_zh)[1]
        names.append(label_text(_wrap(name_en, 38), name_zh, lang))
    return names, bases


def _axis_words(measure: str, bases: list[str], lang: str) -> tuple[str, str]:
    """The value-axis label and the title of a pace chart."""
    if measure == "pp":
        return _t("pace_axis_pp", lang), _t("pace_title_pp", lang)
    basis_set = sorted(set(bases))
    if len(basis_set) == 1:
        xl = _t("pace_axis_rate_one_basis", lang, basis=_basis_text(basis_set[0], lang))
    else:
        xl = _t("pace_axis_rate_mixed", lang)
    return xl, _t("pace_title_rate", lang)


@_plain_text
def plot_pace_comparison(assessment_frame: Any, measure: str = "rate", ax: Axes | None = None,
                         lang: str = "en", columns: tuple[str, str] | None = None,
                         labels: tuple[tuple[str, str], tuple[str, str]] | None = None,
                         title: tuple[str, str] | None = None) -> Axes:
    """Dumbbell chart of the pace each target requires against the pace achieved.

    Parameters
    ----------
    assessment_frame : pandas.DataFrame or Assessment
        ``xe.assess(plan).to_frame()`` (or the assessment itself): columns ``indicator_id,
        name_en, name_zh, price_basis, verdict`` and, for ``measure='rate'``, ``required_rate,
        historical_rate`` [fraction a year] or, for ``measure='pp'``, ``required_pace_pp,
        historical_pace_pp`` [percentage points a year].
    measure : {'rate', 'pp'}
        Growth rates (level, count, cumulative and growth targets), drawn in percent a year; or
        paces of shares and rates in percentage points a year.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when ``None``.
    lang : {'en', 'zh'}
        Label language.
    columns : (str, str), optional
        The two columns to draw instead of the required and historical pace (same units).
    labels : ((en, zh), (en, zh)), optional
        Legend labels of the two markers.
    title : (en, zh), optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    One row per indicator that has both numbers, in the frame's order. The required pace is an
    open diamond, the historical pace a filled circle, both in the colour of the row's verdict
    (:data:`VERDICT_COLOURS`); the legend names the verdicts shown. Rows that lack either number
    are left out. Money amounts carry their price basis in the row label.
    """
    check_lang(lang)
    if measure not in _COLUMNS_OF:
        raise ValueError(f"measure must be 'rate' (growth, % a year) or 'pp' (percentage points a year); "
                         f"got {measure!r}")
    from matplotlib.lines import Line2D

    from ...rules.verdicts import label as verdict_label

    frame = _as_frame(assessment_frame, "assessment_frame")
    req_col, hist_col, factor = _COLUMNS_OF[measure]
    if columns is not None:
        req_col, hist_col = columns
    rows = _pace_rows(frame, req_col, hist_col)
    n = len(rows)
    ax = _new_axes(ax, (10.0, max(3.0, 0.5 * n + 1.5)))
    kw = _fonts.text_kw(lang)

    verdicts = rows["verdict"].astype(str) if "verdict" in rows.columns else pd.Series([""] * n, dtype=str)
    colours = [VERDICT_COLOURS.get(v, UNKNOWN_VERDICT_COLOUR) for v in verdicts]
    required = rows[req_col].astype(float).to_numpy() * factor
    historical = rows[hist_col].astype(float).to_numpy() * factor
    y = np.arange(n)[::-1].astype(float)

    if n:
        ax.hlines(y, np.minimum(required, historical), np.maximum(required, historical), color="#BBBBBB",
                  linewidth=2.5, zorder=1)
        ax.scatter(historical, y, s=70, c=colours, marker="o", edgecolors="black", linewidths=0.5, zorder=3)
        ax.scatter(required, y, s=80, facecolors="none", edgecolors=colours, marker="D", linewidths=2, zorder=4)
    else:
        ax.text(0.5, 0.5, _t("pace_none", lang), transform=ax.transAxes, ha="center", va="center", **kw)
    ax.axvline(0.0, color="#666666", linewidth=0.8, zorder=0)

    names, bases = _row_labels(rows, lang)
    ax.set_yticks(y, names, **kw)
    ax.set_ylim(-0.7, max(n, 1) - 0.3)

    xl, heading = _axis_words(measure, bases, lang)
    if title is not None:
        heading = label_text(title[0], title[1], lang)
    ax.set_xlabel(xl, **kw)
    ax.set_title(heading, **kw)
    ax.grid(True, axis="x", alpha=0.3)

    (req_en, req_zh), (hist_en, hist_zh) = labels or (_pair("required_pace"), _pair("historical_pace"))
    handles = [Line2D([], [], marker="D", linestyle="none", markerfacecolor="white", markeredgecolor="black",
                      markeredgewidth=1.5, label=label_text(req_en, req_zh, lang)),
               Line2D([], [], marker="o", linestyle="none", color="black",
                      label=label_text(hist_en, hist_zh, lang))]
    eff = _fonts.effective_lang(lang)
    for code in dict.fromkeys(verdicts):
        handles.append(Line2D([], [], marker="o", linestyle="none", markersize=9,
                              color=VERDICT_COLOURS.get(code, UNKNOWN_VERDICT_COLOUR),
                              label=verdict_label(code, eff) if code else _t("no_verdict", lang)))
    _legend(ax, lang, size="small", handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
            borderaxespad=0.0)
    return ax
