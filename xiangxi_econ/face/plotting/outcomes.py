"""What happened: progress against time elapsed, the observed path of a target against the plan path
and the ex-ante trend, and two plans' records side by side.

The baselines and targets come from the targets table handed in
(:func:`xiangxi_econ.rules.targets.targets_table`, e.g. ``evaluation.targets``) and the plan path and
the trend from the paths handed in (:func:`xiangxi_econ.results.paths.target_paths`): the charts draw,
they never project.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...i18n import break_kind, check_lang
from .. import _fonts
from ._bars import _bar_axes, _bar_rows
from ._base import (
    _as_frame,
    _integer_years,
    _legend,
    _new_axes,
    _plain_text,
    _published_levels,
    _require_columns,
    _with_gaps,
)
from ._labels import _indicator_name, _row_names, _t, _target_label, unit_label
from ._style import TARGET_COLOUR, TARGET_MARKER, UNKNOWN_VERDICT_COLOUR, VERDICT_COLOURS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes

    from ...data.plan import Plan


@_plain_text
def plot_progress(evaluation_frame: Any, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Share of the distance covered against the share of time elapsed (时序进度), one bar a target.

    Parameters
    ----------
    evaluation_frame : pandas.DataFrame or ProgressEvaluation
        Columns ``indicator_id, name_en, name_zh, completion, time_share, status`` (fractions).
    ax : matplotlib.axes.Axes, optional
    lang : {'en', 'zh'}

    Returns
    -------
    matplotlib.axes.Axes
        Bars (``ax.patches``) give the completion in percent, in the colour of each status; a black
        tick marks the time elapsed.
    """
    check_lang(lang)
    rows, ax, y = _bar_rows(evaluation_frame, "evaluation_frame",
                            ["indicator_id", "completion", "time_share", "status"], ax, 0.45)
    colours = [VERDICT_COLOURS.get(str(v), UNKNOWN_VERDICT_COLOUR) for v in rows["status"]]
    ax.barh(y, rows["completion"].to_numpy(float) * 100, color=colours, edgecolor="black", linewidth=0.5,
            height=0.6, zorder=2)
    ax.scatter(rows["time_share"].to_numpy(float) * 100, y, marker="|", s=300, color="black", zorder=3,
               label=_t("time_elapsed", lang))
    ax.axvline(100.0, color="#666666", linewidth=0.8, zorder=1)
    _bar_axes(ax, y, _row_names(rows, lang), "progress_axis", "progress_title", lang)
    _legend(ax, lang, size="small", loc="lower right")
    return ax


@_plain_text
def plot_plan_comparison(comparison_frame: Any, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Share of targets met and median delivery (achieved / required pace) of two plans, side by side.

    Parameters
    ----------
    comparison_frame : pandas.DataFrame or PlanComparison
        ``plan, group, judged, met, share_met, median_delivery`` (:func:`~xiangxi_econ.compare_plans`).
    ax : matplotlib.axes.Axes, optional
    lang : {'en', 'zh'}

    Returns
    -------
    matplotlib.axes.Axes
        Two bars per plan (group ``all``), in percent: targets met, median delivery.
    """
    check_lang(lang)
    frame = _as_frame(comparison_frame, "comparison_frame")
    _require_columns(frame, ["plan", "group", "judged", "share_met", "median_delivery"], "comparison_frame")
    rows = frame[frame["group"] == "all"].reset_index(drop=True)
    ax = _new_axes(ax, (7.0, 4.0))
    kw = _fonts.text_kw(lang)
    x = np.arange(len(rows), dtype=float)
    met = rows["share_met"].to_numpy(float) * 100
    delivery = rows["median_delivery"].to_numpy(float) * 100
    ax.bar(x - 0.18, met, width=0.36, color="#009E73", label=_t("targets_met_pct", lang))
    ax.bar(x + 0.18, delivery, width=0.36, color="#0072B2", label=_t("median_delivery_pct", lang))
    for xi, m, d in zip(x, met, delivery, strict=True):
        ax.text(xi - 0.18, m, f"{m:.0f}%", ha="center", va="bottom", fontsize="small")
        if np.isfinite(d):
            ax.text(xi + 0.18, d, f"{d:.0f}%", ha="center", va="bottom", fontsize="small")
    ax.axhline(100.0, color="#666666", linewidth=0.8, linestyle=":")
    # the number judged goes under the plan's name, so the value axis starts at 0
    ticks = [_t("plan_targets_judged", lang, plan=p, n=n)
             for p, n in zip(rows["plan"].astype(str), rows["judged"], strict=True)]
    ax.set_xticks(x, ticks, **kw)
    top = float(np.nanmax(np.r_[met, delivery, 100.0]))
    ax.set_ylim(0.0, top * 1.3)  # room above the tallest bar for its label and the legend
    ax.set_ylabel("%")
    ax.set_title(_t("plan_comparison_title", lang), **kw)
    _legend(ax, lang, size="small", loc="upper right")
    return ax


def _draw_observed(ax: Axes, plan: Plan, row: pd.Series, lang: str) -> None:
    """The published levels of the row's series since the history window starts, one line per
    statistical segment and broken at missing years: no line across a break or a gap."""
    mine = _published_levels(plan, row)
    mine = mine[mine["year"] >= plan.periods.history_start_year].sort_values("year")
    for k, (_, seg) in enumerate(mine.groupby("segment", sort=True)):
        years_seen, values = _with_gaps(seg["year"].to_numpy(int), (seg["value_base_units"] / float(row["scale"]))
                                        .to_numpy(float))
        ax.plot(years_seen, values, marker="o", color="black", linewidth=2,
                label=_t("observed_published", lang) if k == 0 else None, zorder=4)


def _draw_breaks(ax: Axes, plan: Plan, row: pd.Series, lang: str) -> None:
    """A dotted vertical line, labelled, before each break of the row's series after the history start."""
    breaks = plan.observations.breaks
    shown = breaks[(breaks["series_id"] == row["series_id"]) & (breaks["year"] > plan.periods.history_start_year)]
    kw = _fonts.text_kw(lang)
    for b in shown.itertuples():
        ax.axvline(b.year - 0.5, color="#CC79A7", linestyle=":", linewidth=1.5)
        ax.text(b.year - 0.45, ax.get_ylim()[1], _t("break_of_kind", lang, kind=break_kind(str(b.kind), lang)),
                rotation=90, va="top", ha="left", fontsize="small", color="#CC79A7", **kw)


@_plain_text
def plot_outcome_path(plan: Plan, indicator_id: str, ax: Axes | None = None, lang: str = "en",
                      targets: pd.DataFrame | None = None, paths: pd.DataFrame | None = None) -> Axes:
    """What happened against what was planned: the observed path of a target's series, the plan path
    (baseline to target at the required pace) and the ex-ante trend (the history-window pace from the
    baseline), with statistical breaks marked.

    Parameters
    ----------
    plan : Plan
        With ``plan.observations`` (the embedded ones for :func:`~xiangxi_econ.load_plan`).
    indicator_id : str
        A level, count, share or rate target.
    ax : matplotlib.axes.Axes, optional
    lang : {'en', 'zh'}
    targets : pandas.DataFrame
        The plan's targets table (``target_year, target_value, bound`` by ``indicator_id``), as
        computed for the evaluation (``evaluation.targets``; :func:`xiangxi_econ.targets_table`).
    paths : pandas.DataFrame, optional
        ``year, plan_path, trend_path`` of the target
        (:func:`xiangxi_econ.results.paths.target_paths`); without it only the observed path and the
        target are drawn. ``xe.evaluate_progress(plan).plot(indicator_id=...)`` hands both in.

    Returns
    -------
    matplotlib.axes.Axes
        Lines (``ax.lines``): observed, plan path, trend; the target as a star; a dashed vertical
        line at each break of the series.

    Notes
    -----
    Both paths start at the baseline :math:`x_b` in the base year :math:`b`. Shares and rates move
    by a constant change, :math:`x_t = x_b + p\\,(t - b)` [pp a year]; other targets grow at a
    constant rate, :math:`x_t = x_b (1 + g)^{t - b}` [fraction a year], with :math:`p, g` the
    required pace (plan path) or the history-window pace (trend), as
    :func:`xiangxi_econ.rules.meaning.projected` computes them.
    """
    check_lang(lang)
    row = plan.indicator(indicator_id)
    if targets is None or not (targets["indicator_id"] == indicator_id).any():
        raise ValueError(f"plot_outcome_path needs the targets table with a row for {indicator_id!r} (targets=, "
                         "e.g. evaluation.targets or xe.targets_table(plan)); or draw from the evaluation: "
                         "xe.evaluate_progress(plan).plot(indicator_id=...)")
    t = targets.set_index("indicator_id").loc[indicator_id]
    if isinstance(t, pd.DataFrame):
        t = t.iloc[0]
    target_year = int(t["target_year"])
    target = float(t["target_value"])
    ax = _new_axes(ax, (7.0, 4.5))
    kw = _fonts.text_kw(lang)
    _draw_observed(ax, plan, row, lang)
    if paths is not None:
        ax.plot(paths["year"], paths["plan_path"], color="#0072B2", linestyle="--", linewidth=1.8,
                label=_t("plan_path", lang))
        if paths["trend_path"].notna().any():
            ax.plot(paths["year"], paths["trend_path"], color="#E69F00", linestyle="-.", linewidth=1.8,
                    label=_t("trend_ex_ante", lang, period=plan.periods.history_label))
    ax.plot([target_year], [target], marker=TARGET_MARKER, markersize=15, linestyle="none", color=TARGET_COLOUR,
            markeredgecolor="black", label=_target_label(target_year, target, t["bound"], lang), zorder=5)
    _draw_breaks(ax, plan, row, lang)
    ax.set_title(_indicator_name(row, lang, plan.units.table.index), **kw)
    ax.set_ylabel(unit_label(str(row["unit"]), str(row["unit_en"]), str(row["price_basis"]), lang), **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    _legend(ax, lang, size="small", loc="best")
    return ax
