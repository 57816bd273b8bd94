"""Paths of indicators over the years: history, scenario paths and the target of one indicator, a
grid of them, and the paths of one indicator under every scenario of a scenario frame.

The scenario paths are drawn from the frame they are handed (:func:`xiangxi_econ.scenarios`); no
path is projected here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...i18n import check_lang
from .. import _fonts
from ._base import (
    _as_frame,
    _compatible_basis,
    _integer_years,
    _legend,
    _maybe_frame,
    _missing,
    _new_axes,
    _plain_text,
    _pyplot,
    _require_columns,
)
from ._labels import _fmt, _indicator_name, _scenario_name, _t, _target_label, unit_label
from ._style import BOUND_SYMBOLS, HISTORY_COLOUR, SCENARIO_COLOURS, TARGET_COLOUR, TARGET_MARKER, scenario_styles

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes

    from ...data.plan import Plan


def _history_points(plan: Plan, row: pd.Series) -> pd.DataFrame:
    """Level observations of the row's series in the row's unit [unit of ``row``]."""
    from ...data.observations import preferred_levels

    history = plan.series(str(row["series_id"]))
    levels = preferred_levels(history)
    keep = (levels["base_unit"] == row["base_unit"]) & levels["price_basis"].map(
        lambda b: _compatible_basis(b, row["price_basis"]))
    levels = levels[keep & levels["value_base_units"].notna()].sort_values("year")
    return pd.DataFrame({"year": levels["year"].astype(int).to_numpy(),
                         "value": (levels["value_base_units"] / float(row["scale"])).to_numpy()})


def _draw_published(ax: Axes, plan: Plan, row: pd.Series, lang: str) -> bool:
    """Every published level of the row's series since the history window starts (the outcomes after
    the base year included), one line per statistical segment with each break marked; False when the
    plan has no published figures of it (then the plan's own history points are drawn)."""
    from ._base import _published_levels
    from .outcomes import _draw_observed

    observations = getattr(plan, "observations", None)
    if observations is None or not len(getattr(observations, "table", ())):
        return False
    mine = _published_levels(plan, row)
    if not (mine["year"] >= plan.periods.history_start_year).any():
        return False
    _draw_observed(ax, plan, row, lang)
    return True


def _scenario_paths(plan: Plan, row: pd.Series, frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """One (scenario, year/value frame in the row's unit) per scenario of the row's indicator."""
    _require_columns(frame, ["scenario", "indicator_id", "year", "value"], "scenarios")
    rows = frame[frame["indicator_id"] == row["indicator_id"]]
    paths = []
    for name, group in rows.groupby("scenario", sort=False):
        group = group.sort_values("year")
        values = group["value"].astype(float).to_numpy()
        if "unit" in group.columns:
            unit = str(group["unit"].iloc[0])
            if unit not in ("", row["unit"]):
                if unit not in plan.units or plan.units.base_unit(unit) != row["base_unit"]:
                    raise ValueError(f"scenarios: scenario '{name}' of '{row['indicator_id']}' is in unit "
                                     f"'{unit}', which cannot be converted to the indicator's unit '{row['unit']}'")
                values = values * plan.units.scale(unit) / float(row["scale"])
        if "price_basis" in group.columns:
            basis = str(group["price_basis"].iloc[0])
            if not _compatible_basis(basis, row["price_basis"]):
                raise ValueError(f"scenarios: scenario '{name}' of '{row['indicator_id']}' is at {basis} prices "
                                 f"but the target is at {row['price_basis']} prices; convert it first "
                                 "(xiangxi_econ.inflate / deflate)")
        paths.append((str(name), pd.DataFrame({"year": group["year"].astype(int).to_numpy(), "value": values})))
    return paths


@_plain_text
def plot_target_path(plan: Plan, indicator_id: str, scenarios: Any = None, ax: Axes | None = None,
                     lang: str = "en", published: bool = False) -> Axes:
    """History, scenario paths and the target of one indicator.

    Parameters
    ----------
    plan : Plan
        The plan (``xe.load_plan()``).
    indicator_id : str
        The indicator to draw.
    scenarios : pandas.DataFrame or object with ``to_frame()``, optional
        Long scenario frame with columns ``scenario, indicator_id, year, value`` and optionally
        ``unit`` and ``price_basis`` (one row per scenario, indicator and year). Values in another
        unit of the same base unit are converted [indicator's unit]; a scenario on another price
        basis than the target raises ``ValueError``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when ``None``.
    lang : {'en', 'zh'}
        Label language; ``'zh'`` falls back to English when no CJK font is installed.
    published : bool
        Draw every published level of the series since the history window starts (``plan.observations``,
        the outcomes after the base year included), one line per statistical segment with each break
        marked, instead of the plan's history points (used where the plan has published figures).

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    History points are the level observations of the indicator's ``series_id`` (one per year,
    preferred source first as in :func:`xiangxi_econ.data.observations.preferred_levels`) on the
    target's base unit and price basis, converted to the indicator's unit:
    ``value_base_units / scale`` [indicator's unit]. The target is a star at ``target_year`` whose
    legend label carries the bound (``≥``, ``≤``, ``≈``). A five-year total (kind ``cumulative``)
    is not on the scale of the annual flows, so it is stated in a note instead of a marker.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import xiangxi_econ as xe
    >>> ax = plot_target_path(xe.load_plan(), "gdp")
    >>> ax.get_ylabel()
    '100 million CNY, current prices'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    return _draw_target_path(plan, indicator_id, scenarios, ax, lang, published=published)


def _draw_target(ax: Axes, row: pd.Series, lang: str) -> None:
    """The target of ``row``: a star at its year, or for a five-year total a note in the corner."""
    if _missing(row["target_value"]) or row["kind"] == "qualitative":
        return
    if row["kind"] == "cumulative":
        span = f"{int(row['base_year']) + 1}–{int(row['target_year'])}" if not _missing(row["base_year"]) else ""
        value = f"{BOUND_SYMBOLS.get(str(row['bound']), '')}{_fmt(float(row['target_value']))}"
        note = _t("target_total", lang, span=span, value=value, unit_en=row["unit_en"], unit=row["unit"])
        ax.text(0.02, 0.96, note, transform=ax.transAxes, va="top", ha="left", fontsize="small",
                color=TARGET_COLOUR, **_fonts.text_kw(lang))
    elif not _missing(row["target_year"]):
        ax.plot([int(row["target_year"])], [float(row["target_value"])], marker=TARGET_MARKER, markersize=15,
                linestyle="none", color=TARGET_COLOUR, markeredgecolor="black", markeredgewidth=0.6, zorder=5,
                label=_target_label(row["target_year"], row["target_value"], row["bound"], lang))


def _draw_target_path(plan: Plan, indicator_id: str, scenarios: Any, ax: Axes | None, lang: str,
                      styles: dict[str, tuple[str, str]] | None = None,
                      legend_size: float | str | None = None, published: bool = False) -> Axes:
    """:func:`plot_target_path` with scenario styles fixed across panels and a legend font size."""
    check_lang(lang)
    row = plan.indicator(indicator_id)
    ax = _new_axes(ax, (7.0, 4.5))
    kw = _fonts.text_kw(lang)
    units = plan.units.table.index

    published = published and _draw_published(ax, plan, row, lang)
    if not published:
        history = _history_points(plan, row)
        if len(history):
            ax.plot(history["year"], history["value"], marker="o", linestyle="none", color=HISTORY_COLOUR,
                    zorder=4, label=_t("history", lang))

    frame = _maybe_frame(scenarios, "scenarios")
    if frame is not None:
        styles = styles if styles is not None else scenario_styles(frame)
        for name, path in _scenario_paths(plan, row, frame):
            colour, dash = styles.get(name, (SCENARIO_COLOURS[0], "-"))
            ax.plot(path["year"], path["value"], color=colour, linestyle=dash, linewidth=1.8, zorder=3,
                    label=_scenario_name(name, lang))

    _draw_target(ax, row, lang)
    if published:
        from .outcomes import _draw_breaks

        _draw_breaks(ax, plan, row, lang)

    ax.set_title(_indicator_name(row, lang, units), **kw)
    ax.set_xlabel(_t("year", lang), **kw)
    ax.set_ylabel(unit_label(str(row["unit"]), str(row["unit_en"]), str(row["price_basis"]), lang,
                             per_year=row["kind"] in ("growth", "cumulative")), **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        _legend(ax, lang, size=legend_size, loc="best")
    return ax


@_plain_text
def plot_target_grid(plan: Plan, indicator_ids: Sequence[str], scenarios: Any = None, ncols: int = 2,
                     lang: str = "en", published: bool = False) -> np.ndarray:
    """:func:`plot_target_path` for several indicators, on one figure.

    Parameters
    ----------
    plan : Plan
        The plan.
    indicator_ids : sequence of str
        Indicators, drawn left to right, top to bottom.
    scenarios : pandas.DataFrame or object with ``to_frame()``, optional
        Scenario frame as in :func:`plot_target_path`; a scenario keeps its colour in every panel.
    ncols : int
        Panels per row [count].
    lang : {'en', 'zh'}
        Label language.
    published : bool
        Every published year in each panel, as in :func:`plot_target_path`.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        One-dimensional, ``axes[i]`` showing ``indicator_ids[i]``; unused grid cells are removed.
    """
    check_lang(lang)
    ids = [indicator_ids] if isinstance(indicator_ids, str) else list(indicator_ids)
    if not ids:
        raise ValueError("indicator_ids is empty; give at least one indicator id")
    if int(ncols) < 1:
        raise ValueError(f"ncols must be a positive number of panels per row; got {ncols!r}")
    ncols = min(int(ncols), len(ids))
    nrows = math.ceil(len(ids) / ncols)
    _fig, grid = _pyplot().subplots(nrows, ncols, figsize=(4.8 * ncols, 3.0 * nrows), squeeze=False,
                                    layout="constrained")
    flat = grid.ravel()
    styles = scenario_styles(_maybe_frame(scenarios, "scenarios"))
    for ax, indicator_id in zip(flat, ids, strict=False):
        _draw_target_path(plan, indicator_id, scenarios, ax, lang, styles=styles, legend_size="small",
                          published=published)
    for ax in flat[len(ids):]:
        ax.remove()
    return np.array(flat[: len(ids)], dtype=object)


def _name_of(indicator_id: str, frame: pd.DataFrame, plan: Plan | None, lang: str) -> str:
    """The display name of ``indicator_id``: from ``plan``, else the frame's ``name_en``/``name_zh``
    columns, else the id itself (the chart reads no plan it was not handed)."""
    if plan is not None and (plan.indicators["indicator_id"] == indicator_id).any():
        row = plan.indicator(indicator_id)
        return _indicator_name(row, lang, plan.units.table.index)
    rows = frame[frame["indicator_id"] == indicator_id]
    if "name_en" in rows.columns and len(rows):
        return _indicator_name(rows.iloc[0], lang)
    return indicator_id


@_plain_text
def plot_scenario_paths(scenario_frame: Any, indicator_id: str, ax: Axes | None = None, lang: str = "en",
                        plan: Plan | None = None) -> Axes:
    """Paths of one indicator under every scenario of a scenario frame, titled with its name.

    Parameters
    ----------
    scenario_frame : pandas.DataFrame or ScenarioSet
        Long format ``scenario, indicator_id, year, value, unit``.
    indicator_id : str
    ax : matplotlib.axes.Axes, optional
    lang : {'en', 'zh'}
    plan : Plan, optional
        Gives the indicator's name for the title; without it the frame's ``name_en``/``name_zh``
        columns, else the embedded plan's name of the id, else the id.

    Returns
    -------
    matplotlib.axes.Axes
        One line per scenario (``ax.lines``), in the unit of the indicator.
    """
    check_lang(lang)
    frame = _as_frame(scenario_frame, "scenario_frame")
    _require_columns(frame, ["scenario", "indicator_id", "year", "value", "unit"], "scenario_frame")
    rows = frame[frame["indicator_id"] == indicator_id]
    if rows.empty:
        from ...exceptions import UnknownIndicatorError

        raise UnknownIndicatorError(indicator_id, frame["indicator_id"].unique(), "indicator")
    ax = _new_axes(ax, (7.5, 4.5))
    kw = _fonts.text_kw(lang)
    for name, (colour, dash) in scenario_styles(rows).items():
        path = rows[rows["scenario"] == name].sort_values("year")
        ax.plot(path["year"], path["value"], color=colour, linestyle=dash, linewidth=2,
                label=_scenario_name(name, lang))
    from ...data.plan_io import default_units

    unit = str(rows["unit"].iloc[0])
    table = default_units().table
    unit_en = str(table.at[unit, "unit_en"]) if unit in table.index else unit
    basis = str(rows["price_basis"].iloc[0]) if "price_basis" in rows.columns else "na"
    ax.set_ylabel(unit_label(unit, unit_en, basis, lang), **kw)
    ax.set_title(_name_of(indicator_id, frame, plan, lang), **kw)
    ax.set_xlabel(_t("year", lang), **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    _legend(ax, lang, size="small")
    return ax
