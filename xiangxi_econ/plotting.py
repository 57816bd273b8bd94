"""Charts of a plan's targets: paths, paces, simulated fans and the tourism arithmetic.

This is the only module of :mod:`xiangxi_econ` that uses matplotlib, and it imports it inside
each function: ``import xiangxi_econ.plotting`` does not load matplotlib.

Every chart function

* takes ``ax=None`` and draws on a new figure when no Axes is given;
* returns the Axes it drew on (:func:`plot_target_grid` returns an array of Axes);
* labels its value axis with the unit and, for money amounts, the price basis
  (``"100 million CNY, current prices"``; ``"亿元，现价"``);
* takes ``lang="en"`` or ``lang="zh"``. Chinese labels are drawn with an installed CJK font
  (:func:`xiangxi_econ._fonts.cjk_font`), set on each text and never in the global ``rcParams``;
  with no such font installed, ``lang="zh"`` draws English labels, with no missing glyphs and no
  warnings;
* draws with any backend, including the headless ``Agg``.

Colours come from the Okabe-Ito palette, distinguishable with the common forms of colour
blindness; lines also differ in dash pattern so that charts survive greyscale printing.

References
----------
Okabe, M. and Ito, K. (2008). *Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people*. https://jfly.uni-koeln.de/color/

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import xiangxi_econ as xe
>>> from xiangxi_econ import plotting
>>> ax = plotting.plot_tourism_decomposition(xe.load_plan())
>>> [round(float(p.get_height()), 6) for p in ax.patches]
[461.0, 1000.0, 1440.0]
>>> plotting.save(ax, "tourism.png")  # doctest: +SKIP
>>> import matplotlib.pyplot as plt
>>> plt.close("all")
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import _fonts
from ._fonts import label_text
from .i18n import check_lang, display_name
from .identities import IDENTITIES

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .plan import Plan

__all__ = [
    "BOUND_SYMBOLS",
    "SCENARIO_COLOURS",
    "VERDICT_COLOURS",
    "label_text",
    "plot_fan",
    "plot_pace_comparison",
    "plot_target_grid",
    "plot_target_path",
    "plot_tourism_decomposition",
    "save",
    "unit_label",
]

#: Okabe-Ito colours by verdict code: blue/green for on track, orange for "acceleration needed",
#: vermillion for limited progress, reddish purple for movement away, grey for no verdict.
VERDICT_COLOURS: dict[str, str] = {
    "already_met": "#009E73",
    "on_track": "#0072B2",
    "significant_progress": "#0072B2",
    "fair_progress": "#E69F00",
    "moderate_progress": "#E69F00",
    "limited_progress": "#D55E00",
    "insufficient_progress": "#D55E00",
    "stagnation_or_regression": "#D55E00",
    "deterioration": "#CC79A7",
    "moving_away": "#CC79A7",
    "no_history": "#999999",
    "not_comparable": "#999999",
    "not_assessable": "#999999",
    # outcome and progress words share the scale: reached in green-blue, missed in vermilion
    "met": "#009E73",
    "met_early": "#009E73",
    "exceeded": "#009E73",
    "ahead": "#0072B2",
    "in_line": "#56B4E9",
    "within_ceiling": "#0072B2",
    "lagging": "#E69F00",
    "not_met": "#D55E00",
    "breached": "#D55E00",
    "no_outcome": "#999999",
}
_UNKNOWN_VERDICT_COLOUR = "#000000"

#: Colours of consistency findings by severity.
SEVERITY_COLOURS: dict[str, str] = {"high": "#D55E00", "medium": "#E69F00", "low": "#999999"}

#: Okabe-Ito colours for scenario lines, in order of first appearance in the scenario frame.
SCENARIO_COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                                     "#D55E00", "#F0E442", "#000000")
_SCENARIO_DASHES: tuple[str, ...] = ("-", "--", "-.", ":")

_HISTORY_COLOUR = "#000000"
_TARGET_COLOUR = "#D55E00"
_TARGET_MARKER = "*"
_FAN_COLOUR = "#0072B2"

#: Symbol shown before a target value for each ``bound`` code.
BOUND_SYMBOLS: dict[str, str] = {"at_least": "≥ ", "at_most": "≤ ", "about": "≈ ", "exact": ""}

_PRICE_BASIS_TEXT: dict[str, tuple[str, str]] = {
    "current": ("current prices", "现价"),
    "comparable": ("comparable prices", "可比价"),
}

#: Chinese names of the scenarios the library itself produces; other names are shown as given.
_SCENARIO_NAMES_ZH: dict[str, str] = {"plan": "规划路径", "trend": "趋势外推", "baseline": "基准"}

_QUANTILE_TOL = 1e-9
_SUFFIX = re.compile(r"（([^（）]*)）$")


# ---------------------------------------------------------------------------- helpers

def _pyplot() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _fig, new = _pyplot().subplots(figsize=figsize, layout="constrained")
    return new


def _fmt(value: float) -> str:
    """A number as printed in plan tables: up to 6 significant digits, no trailing zeros."""
    return f"{value:.6g}"


def _short_name_zh(name_zh: str, unit: str, units: Iterable[str] = ()) -> str:
    """``name_zh`` without a trailing unit in full-width brackets (地区生产总值（亿元） → 地区生产总值);
    the axis label carries the unit. Give it the display name (:func:`xiangxi_econ.i18n.display_name`),
    so a level row printed under a growth heading is not titled "growth"."""
    match = _SUFFIX.search(name_zh)
    if match and (match.group(1) in (unit, "%") or match.group(1) in set(units)):
        name_zh = name_zh[: match.start()]
    return name_zh


def _indicator_name(row: Any, lang: str, units: Iterable[str] = ()) -> str:
    """Name of an indicator row (plan row or simulation table row) for a chart of its level."""
    name_en = str(row.get("name_en", "") or row.get("indicator_id", ""))
    kind, unit = str(row.get("kind", "")), str(row.get("unit", ""))
    name_zh = display_name(name_en, str(row.get("name_zh", "") or name_en), kind, unit, "zh")
    return label_text(name_en, _short_name_zh(name_zh, unit, units), lang)


def _basis_text(price_basis: Any, lang: str) -> str:
    en, zh = _PRICE_BASIS_TEXT.get(str(price_basis), ("", ""))
    return label_text(en, zh, lang)


def unit_label(unit: str, unit_en: str, price_basis: str = "na", lang: str = "en",
               per_year: bool = False) -> str:
    """Axis label for a value in ``unit``, with the price basis of money amounts.

    Parameters
    ----------
    unit : str
        Unit as printed (``亿元``, ``%``).
    unit_en : str
        English name of the unit (``100 million CNY``).
    price_basis : {'current', 'comparable', 'na'}
        Price basis; ``'na'`` (not a money amount) adds nothing.
    lang : {'en', 'zh'}
        Language.
    per_year : bool
        Whether the value is a rate per year (growth targets).

    Returns
    -------
    str
        For example ``'100 million CNY, current prices'`` or ``'亿元，现价'``.

    Examples
    --------
    >>> unit_label("亿元", "100 million CNY", "current")
    '100 million CNY, current prices'
    >>> unit_label("%", "percent", "comparable", per_year=True)
    '% a year, comparable prices'
    """
    en = "%" if unit == "%" else (unit_en or unit)
    zh = unit
    if per_year:
        en, zh = f"{en} a year", f"{zh}/年"
    basis_en, basis_zh = _PRICE_BASIS_TEXT.get(str(price_basis), ("", ""))
    if basis_en:
        en, zh = f"{en}, {basis_en}", f"{zh}，{basis_zh}"
    return label_text(en, zh, lang)


def _legend(ax: Axes, lang: str, size: float | str | None = None, **kwargs: Any) -> Any:
    prop = _fonts.font_properties(lang, size)
    if prop is not None:
        kwargs["prop"] = prop
    return ax.legend(**kwargs)


def _target_label(target_year: Any, target_value: float, bound: Any, lang: str) -> str:
    symbol = BOUND_SYMBOLS.get(str(bound), "")
    year = "" if _missing(target_year) else str(int(target_year))
    value = f"{symbol}{_fmt(float(target_value))}"
    if year:
        return label_text(f"target {year}: {value}", f"{year}年目标：{value}", lang)
    return label_text(f"target: {value}", f"目标：{value}", lang)


def _missing(value: Any) -> bool:
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
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}; it has {list(frame.columns)}")


def _integer_years(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def _compatible_basis(a: Any, b: Any) -> bool:
    """False only when both are money price bases and they differ (current vs comparable)."""
    money = ("current", "comparable")
    return not (a in money and b in money and a != b)


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


# ---------------------------------------------------------------------------- target paths

def _history_points(plan: Plan, row: pd.Series) -> pd.DataFrame:
    """Level observations of the row's series in the row's unit [unit of ``row``]."""
    from .observations import preferred_levels

    history = plan.series(str(row["series_id"]))
    levels = preferred_levels(history)
    keep = (levels["base_unit"] == row["base_unit"]) & levels["price_basis"].map(
        lambda b: _compatible_basis(b, row["price_basis"]))
    levels = levels[keep & levels["value_base_units"].notna()].sort_values("year")
    return pd.DataFrame({"year": levels["year"].astype(int).to_numpy(),
                         "value": (levels["value_base_units"] / float(row["scale"])).to_numpy()})


def _scenario_styles(frame: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    if frame is None or "scenario" not in frame.columns:
        return {}
    names = list(dict.fromkeys(frame["scenario"].astype(str)))
    return {name: (SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)], _SCENARIO_DASHES[i % len(_SCENARIO_DASHES)])
            for i, name in enumerate(names)}


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
                     lang: str = "en") -> Axes:
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

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    History points are the level observations of the indicator's ``series_id`` (one per year,
    preferred source first as in :func:`xiangxi_econ.observations.preferred_levels`) on the
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
    return _draw_target_path(plan, indicator_id, scenarios, ax, lang)


def _draw_target_path(plan: Plan, indicator_id: str, scenarios: Any, ax: Axes | None, lang: str,
                      styles: dict[str, tuple[str, str]] | None = None,
                      legend_size: float | str | None = None) -> Axes:
    """:func:`plot_target_path` with scenario styles fixed across panels and a legend font size."""
    check_lang(lang)
    row = plan.indicator(indicator_id)
    ax = _new_axes(ax, (7.0, 4.5))
    kw = _fonts.text_kw(lang)
    units = plan.units.table.index

    history = _history_points(plan, row)
    if len(history):
        ax.plot(history["year"], history["value"], marker="o", linestyle="none", color=_HISTORY_COLOUR,
                zorder=4, label=label_text("history", "历史值", lang))

    frame = _maybe_frame(scenarios, "scenarios")
    if frame is not None:
        styles = styles if styles is not None else _scenario_styles(frame)
        for name, path in _scenario_paths(plan, row, frame):
            colour, dash = styles.get(name, (SCENARIO_COLOURS[0], "-"))
            shown = label_text(name, _SCENARIO_NAMES_ZH.get(name, name), lang)
            ax.plot(path["year"], path["value"], color=colour, linestyle=dash, linewidth=1.8, zorder=3,
                    label=shown)

    has_target = not _missing(row["target_value"]) and row["kind"] != "qualitative"
    if has_target and row["kind"] == "cumulative":
        span = f"{int(row['base_year']) + 1}–{int(row['target_year'])}" if not _missing(row["base_year"]) else ""
        value = f"{BOUND_SYMBOLS.get(str(row['bound']), '')}{_fmt(float(row['target_value']))}"
        note = label_text(f"target: {span} total {value} ({row['unit_en']})",
                          f"目标：{span}年累计{value}{row['unit']}", lang)
        ax.text(0.02, 0.96, note, transform=ax.transAxes, va="top", ha="left", fontsize="small",
                color=_TARGET_COLOUR, **kw)
    elif has_target and not _missing(row["target_year"]):
        ax.plot([int(row["target_year"])], [float(row["target_value"])], marker=_TARGET_MARKER, markersize=15,
                linestyle="none", color=_TARGET_COLOUR, markeredgecolor="black", markeredgewidth=0.6, zorder=5,
                label=_target_label(row["target_year"], row["target_value"], row["bound"], lang))

    ax.set_title(_indicator_name(row, lang, units), **kw)
    ax.set_xlabel(label_text("year", "年份", lang), **kw)
    ax.set_ylabel(unit_label(str(row["unit"]), str(row["unit_en"]), str(row["price_basis"]), lang,
                             per_year=row["kind"] in ("growth", "cumulative")), **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        _legend(ax, lang, size=legend_size, loc="best")
    return ax


@_plain_text
def plot_target_grid(plan: Plan, indicator_ids: Sequence[str], scenarios: Any = None, ncols: int = 2,
                     lang: str = "en") -> np.ndarray:
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
    _fig, grid = _pyplot().subplots(nrows, ncols, figsize=(4.8 * ncols, 3.6 * nrows), squeeze=False,
                                    layout="constrained")
    flat = grid.ravel()
    styles = _scenario_styles(_maybe_frame(scenarios, "scenarios"))
    for ax, indicator_id in zip(flat, ids, strict=False):
        _draw_target_path(plan, indicator_id, scenarios, ax, lang, styles=styles, legend_size="small")
    for ax in flat[len(ids):]:
        ax.remove()
    return np.array(flat[: len(ids)], dtype=object)


# ---------------------------------------------------------------------------- pace comparison

def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


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
    columns_of = {"rate": ("required_rate", "historical_rate", 100.0),
                  "pp": ("required_pace_pp", "historical_pace_pp", 1.0)}
    if measure not in columns_of:
        raise ValueError(f"measure must be 'rate' (growth, % a year) or 'pp' (percentage points a year); "
                         f"got {measure!r}")
    from matplotlib.lines import Line2D

    from .verdicts import label as verdict_label

    frame = _as_frame(assessment_frame, "assessment_frame")
    req_col, hist_col, factor = columns_of[measure]
    if columns is not None:
        req_col, hist_col = columns
    _require_columns(frame, ["indicator_id", req_col, hist_col], "assessment_frame")
    rows = frame[frame[req_col].notna() & frame[hist_col].notna()]
    if {"series_id", "target_year", "target_value"} <= set(rows.columns):
        # a target the plan states twice (table and chapter) is drawn once
        rows = rows.drop_duplicates(["series_id", "target_year", "target_value"])
    rows = rows.reset_index(drop=True)
    n = len(rows)
    ax = _new_axes(ax, (10.0, max(3.0, 0.5 * n + 1.5)))
    kw = _fonts.text_kw(lang)
    eff = _fonts.effective_lang(lang)

    verdicts = rows["verdict"].astype(str) if "verdict" in rows.columns else pd.Series([""] * n, dtype=str)
    colours = [VERDICT_COLOURS.get(v, _UNKNOWN_VERDICT_COLOUR) for v in verdicts]
    required = rows[req_col].astype(float).to_numpy() * factor
    historical = rows[hist_col].astype(float).to_numpy() * factor
    y = np.arange(n)[::-1].astype(float)

    if n:
        ax.hlines(y, np.minimum(required, historical), np.maximum(required, historical), color="#BBBBBB",
                  linewidth=2.5, zorder=1)
        ax.scatter(historical, y, s=70, c=colours, marker="o", edgecolors="black", linewidths=0.5, zorder=3)
        ax.scatter(required, y, s=80, facecolors="none", edgecolors=colours, marker="D", linewidths=2, zorder=4)
    else:
        ax.text(0.5, 0.5, label_text("no target has both a required and a historical pace",
                                     "没有同时具备所需速度和历史速度的目标", lang),
                transform=ax.transAxes, ha="center", va="center", **kw)
    ax.axvline(0.0, color="#666666", linewidth=0.8, zorder=0)

    names = []
    bases = []
    for _, r in rows.iterrows():
        name_en = str(r.get("name_en", r["indicator_id"]))
        name_zh = _short_name_zh(str(r.get("name_zh", name_en)), str(r.get("unit", "")))
        basis = str(r.get("price_basis", "na"))
        if basis in _PRICE_BASIS_TEXT:
            bases.append(basis)
            name_en += f" ({_PRICE_BASIS_TEXT[basis][0]})"
            name_zh += f"（{_PRICE_BASIS_TEXT[basis][1]}）"
        names.append(label_text(_wrap(name_en, 38), name_zh, lang))
    ax.set_yticks(y, names, **kw)
    ax.set_ylim(-0.7, max(n, 1) - 0.3)

    if measure == "rate":
        basis_set = sorted(set(bases))
        if len(basis_set) == 1:
            b_en, b_zh = _PRICE_BASIS_TEXT[basis_set[0]]
            xl = label_text(f"average annual growth, % a year (money amounts at {b_en})",
                            f"年均增速（%/年，货币量按{b_zh}）", lang)
        else:
            xl = label_text("average annual growth, % a year (price basis as in each row)",
                            "年均增速（%/年，价格口径见各行）", lang)
        heading = label_text("Growth targets: required vs historical pace", "增长类目标：所需速度与历史速度", lang)
    else:
        xl = label_text("change, percentage points a year", "年均变化（百分点/年）", lang)
        heading = label_text("Shares and rates: required vs historical pace", "比重与比率类目标：所需速度与历史速度",
                             lang)
    if title is not None:
        heading = label_text(title[0], title[1], lang)
    ax.set_xlabel(xl, **kw)
    ax.set_title(heading, **kw)
    ax.grid(True, axis="x", alpha=0.3)

    (req_en, req_zh), (hist_en, hist_zh) = labels or (("required pace", "所需速度"), ("historical pace", "历史速度"))
    handles = [Line2D([], [], marker="D", linestyle="none", markerfacecolor="white", markeredgecolor="black",
                      markeredgewidth=1.5, label=label_text(req_en, req_zh, lang)),
               Line2D([], [], marker="o", linestyle="none", color="black",
                      label=label_text(hist_en, hist_zh, lang))]
    for code in dict.fromkeys(verdicts):
        handles.append(Line2D([], [], marker="o", linestyle="none", markersize=9,
                              color=VERDICT_COLOURS.get(code, _UNKNOWN_VERDICT_COLOUR),
                              label=verdict_label(code, eff) if code else label_text("no verdict", "无结论", lang)))
    _legend(ax, lang, size="small", handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
            borderaxespad=0.0)
    return ax


# ---------------------------------------------------------------------------- simulation fan

def _quantile(table: pd.DataFrame, q: float, indicator_id: str) -> pd.Series:
    cols = [c for c in table.columns if abs(float(c) - q) <= _QUANTILE_TOL]
    if not cols:
        raise ValueError(f"simulation.fan has no quantile {q} for '{indicator_id}'; it has "
                         f"{sorted(float(c) for c in table.columns)} (need 0.05, 0.25, 0.5, 0.75, 0.95)")
    return table[cols[0]]


def _observed_points(ax: Axes, plan: Plan, row: pd.Series, after_year: int, lang: str,
                     history_years: int = 10) -> None:
    """The published figures (``plan.observations``, in the row's unit): those of the ``history_years``
    up to ``after_year`` (the fan's first year) as a thin line into the fan, later ones (outcomes the
    forecast did not see) as dots on top."""
    obs = plan.observations.table
    mine = obs[(obs["series_id"] == row["series_id"]) & (obs["measure"] == "level") & obs["preferred"]
               & (obs["base_unit"] == row["base_unit"]) & (obs["year"] >= after_year - history_years)
               & ((obs["version"] == "") | obs["used_by_plan"])].sort_values("year")
    mine = mine.drop_duplicates("year", keep="first")
    before, after = mine[mine["year"] <= after_year], mine[mine["year"] > after_year]
    if len(before):
        from .windows import segment

        breaks = plan.observations.breaks
        b = breaks.loc[breaks["series_id"] == row["series_id"], "year"].astype(int).to_numpy()
        yrs = before["year"].astype(int).to_numpy()
        vals = (before["value_base_units"] / float(row["scale"])).to_numpy(float)
        seg = segment(yrs, b)
        ax.plot(yrs, vals, "o", color="0.35", markersize=3.5, zorder=4,
                label=label_text("published, up to the forecast", "公布数（预测起点及以前）", lang))
        # lines only between consecutive years on one statistical basis: no line across a gap or a break
        joined = (np.diff(yrs) == 1) & (seg[1:] == seg[:-1])
        for k in np.flatnonzero(joined):
            ax.plot(yrs[k:k + 2], vals[k:k + 2], "-", color="0.35", linewidth=1.2, zorder=4)
        for year in b[(b > yrs.min()) & (b <= after_year)]:
            ax.axvline(year - 0.5, color="0.5", linestyle=":", linewidth=1)
            ax.annotate(label_text(f"break {year}", f"{year}年口径变化", lang), (year - 0.5, 0.0),
                        xycoords=("data", "axes fraction"), xytext=(3, 4), textcoords="offset points",
                        fontsize="small", color="0.4", **_fonts.text_kw(lang))
    if len(after):
        ax.plot(after["year"], after["value_base_units"] / float(row["scale"]), "o", color="black", markersize=5,
                zorder=6, label=label_text("observed (published)", "实际（公布数）", lang))


def _fan_title(name: str, p_text: str, start: int, target_year: int, decided: bool, lang: str) -> str:
    """The fan's title: the probability, or for a target decided before the fan starts, an outlook."""
    if decided and target_year <= start:
        return label_text(f"{name}\noutlook from {start} (the {target_year} target is decided)",
                          f"{name}\n{start}年起展望（{target_year}年目标已见分晓）", lang)
    return label_text(f"{name}\nprobability of meeting the target: {p_text}", f"{name}\n实现目标的概率：{p_text}", lang)


@_plain_text
def plot_fan(simulation: Any, indicator_id: str, plan: Plan | None = None, ax: Axes | None = None,
             lang: str = "en") -> Axes:
    """Fan chart of simulated paths: quantile bands, median and target, with the probability.

    Parameters
    ----------
    simulation : object
        A simulation result with ``fan`` (long DataFrame: ``indicator_id, year, quantile, value``
        with quantiles 0.05, 0.25, 0.5, 0.75 and 0.95 at least [value in the indicator's unit]) and
        ``table`` (``indicator_id, target_value, bound, probability`` [probability as a fraction]).
    indicator_id : str
        The indicator to draw.
    plan : Plan, optional
        Gives the indicator's name, unit, price basis and target year. Without it, ``simulation.plan``
        is used if present, else the ``name_en, name_zh, kind, unit, price_basis`` columns of
        ``simulation.table`` (or of the fan) where present.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when ``None``.
    lang : {'en', 'zh'}
        Label language.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Bands: 5th to 95th percentile (light) and 25th to 75th (darker); the line is the median.
    The target is a star at the target year (from the plan, else ``target_year`` in the table,
    else the last simulated year), labelled with its bound. The title gives the simulated
    probability of meeting the target, ``simulation.table['probability']``. With a plan, the
    outcomes published after the fan's first year (``plan.observations``) are drawn on top.
    """
    check_lang(lang)
    plan = plan if plan is not None else getattr(simulation, "plan", None)
    fan = getattr(simulation, "fan", None)
    if not isinstance(fan, pd.DataFrame):
        raise TypeError("simulation must have a .fan DataFrame (indicator_id, year, quantile, value)")
    _require_columns(fan, ["indicator_id", "year", "quantile", "value"], "simulation.fan")
    rows = fan[fan["indicator_id"] == indicator_id]
    if rows.empty:
        known = ", ".join(map(str, dict.fromkeys(fan["indicator_id"])))
        raise KeyError(f"simulation.fan has no indicator '{indicator_id}'; it has {known}")
    wide = rows.pivot_table(index="year", columns="quantile", values="value", aggfunc="first").sort_index()
    years = wide.index.astype(int).to_numpy()
    q05, q25, q50, q75, q95 = (_quantile(wide, q, indicator_id).to_numpy(dtype=float)
                               for q in (0.05, 0.25, 0.5, 0.75, 0.95))

    ax = _new_axes(ax, (7.0, 4.5))
    kw = _fonts.text_kw(lang)
    ax.fill_between(years, q05, q95, color=_FAN_COLOUR, alpha=0.18, linewidth=0,
                    label=label_text("5th–95th percentile", "5%–95%分位区间", lang))
    ax.fill_between(years, q25, q75, color=_FAN_COLOUR, alpha=0.38, linewidth=0,
                    label=label_text("25th–75th percentile", "25%–75%分位区间", lang))
    ax.plot(years, q50, color=_FAN_COLOUR, linewidth=2, label=label_text("median", "中位数", lang))

    row = plan.indicator(indicator_id) if plan is not None else None
    table = getattr(simulation, "table", None)
    target = None
    if isinstance(table, pd.DataFrame) and "indicator_id" in table.columns:
        hits = table[table["indicator_id"] == indicator_id]
        if len(hits):
            target = hits.iloc[0]
    target_value: Any = target.get("target_value") if target is not None else None
    bound: Any = target.get("bound") if target is not None else None
    if _missing(target_value) and row is not None:
        target_value, bound = row["target_value"], row["bound"]
    if row is not None and not _missing(row["target_year"]):
        target_year = int(row["target_year"])
    elif target is not None and not _missing(target.get("target_year")):
        target_year = int(target["target_year"])
    else:
        target_year = int(years.max())
    if not _missing(target_value):
        ax.plot([target_year], [float(target_value)], marker=_TARGET_MARKER, markersize=15, linestyle="none",
                color=_TARGET_COLOUR, markeredgecolor="black", markeredgewidth=0.6, zorder=5,
                label=_target_label(target_year, float(target_value), bound, lang))

    probability: Any = target.get("probability") if target is not None else None
    p_text = label_text("n/a", "无", lang) if _missing(probability) else f"{float(probability):.0%}"
    if row is not None and plan is not None:
        _observed_points(ax, plan, row, int(years.min()), lang)

    # name, unit and price basis: from the plan, else the simulation table, else the fan
    meta = row if row is not None else target if target is not None else rows.iloc[0]
    unit = str(meta.get("unit", "") or "")
    if row is not None and plan is not None:
        units = plan.units
        unit_en = str(row["unit_en"])
    else:
        from .plan_io import default_units

        units = default_units()
        unit_en = units.table.at[unit, "unit_en"] if unit in units else unit
    name = _indicator_name(meta, lang, units.table.index) if "name_en" in meta.index else indicator_id
    if unit:
        ylabel = unit_label(unit, str(unit_en), str(meta.get("price_basis", "na")), lang,
                            per_year=str(meta.get("kind", "")) == "growth")
    else:
        ylabel = label_text("value, in the indicator's unit (pass plan= for units)",
                            "数值（指标单位；传入plan以显示单位）", lang)
    ax.set_title(_fan_title(name, p_text, int(years.min()), target_year, target is None, lang), **kw)
    ax.set_xlabel(label_text("year", "年份", lang), **kw)
    ax.set_ylabel(ylabel, **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    _legend(ax, lang, size="small", loc="upper left")
    return ax


# ---------------------------------------------------------------------------- tourism arithmetic

def _target_row(plan: Plan, series_id: str, year: int) -> pd.Series:
    ind = plan.indicators
    hits = ind[(ind["series_id"] == series_id) & (ind["target_year"] == year) & ind["target_value"].notna()]
    if hits.empty:
        raise ValueError(f"plan has no numeric {year} target for series '{series_id}'")
    return hits.iloc[0]


@_plain_text
def plot_tourism_decomposition(plan: Plan, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Tourism revenue: the base-year level, the target, and arrivals × spending per visitor.

    The Xiangxi plan sets three 2025 tourism targets: arrivals (``tourism_arrivals``, 1.2亿人次), spending
    per visitor (``tourism_spending_per_visitor``, 1200元) and revenue (``tourism_revenue``,
    1000亿元). Revenue is arrivals times spending per visitor, so the first two imply a revenue of

    .. math:: 1.2 \\times 10^8 \\times 1200\\ \\text{CNY} = 1.44 \\times 10^{11}\\ \\text{CNY}
              = 1440\\ \\text{亿元},

    44% above the revenue target. The chart shows three bars [亿元, current prices]: the 2020
    revenue (461亿元, chapter 1 section 1), the revenue target, and the product, with the
    arithmetic and the gaps written on the chart.

    Parameters
    ----------
    plan : Plan
        The plan; the rows are found by ``series_id`` with the plan's target year, the base-year
        levels by :meth:`Plan.find_level`. The product is the declared identity
        (:data:`xiangxi_econ.identities.IDENTITIES`), shown in the revenue target's unit.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when ``None``.
    lang : {'en', 'zh'}
        Label language.

    Returns
    -------
    matplotlib.axes.Axes
        Its ``patches`` are the three bars, in the order above.

    Raises
    ------
    ValueError
        If a target or the base-year revenue is missing, or revenue and spending are on different price
        bases.
    """
    check_lang(lang)
    year, base_year = plan.periods.target_year, plan.periods.base_year
    identity = IDENTITIES["tourism_revenue"]
    arrivals = _target_row(plan, "tourism_arrivals", year)
    spending = _target_row(plan, "tourism_spending_per_visitor", year)
    revenue = _target_row(plan, "tourism_revenue", year)
    if not _compatible_basis(revenue["price_basis"], spending["price_basis"]):
        raise ValueError(f"tourism revenue is at {revenue['price_basis']} prices but spending per visitor at "
                         f"{spending['price_basis']} prices; they cannot be compared")
    revenue_base = plan.find_level("tourism_revenue", base_year)
    if revenue_base is None:
        raise ValueError(f"plan.history has no {base_year} level of series 'tourism_revenue'")

    scale = float(revenue["scale"])  # base units (CNY) per unit shown (亿元)
    implied = identity.evaluate(
        {"tourism_arrivals": arrivals["target_value"], "tourism_spending_per_visitor": spending["target_value"]},
        plan.units,
        value_units={"tourism_arrivals": arrivals["unit"], "tourism_spending_per_visitor": spending["unit"]},
        result_unit=revenue["unit"])
    target = float(revenue["target_value"])
    start = revenue_base.in_scale(scale)
    heights = [start, target, implied]

    ax = _new_axes(ax, (8.5, 5.5))
    kw = _fonts.text_kw(lang)
    bound = BOUND_SYMBOLS.get(str(revenue["bound"]), "")
    unit_en, unit_zh = str(revenue["unit_en"]), str(revenue["unit"])
    labels = [label_text(f"{base_year} revenue\n(outcome)", f"{base_year}年旅游收入\n（实际）", lang),
              label_text(f"{year} revenue target\n({bound}{_fmt(target)})",
                         f"{year}年旅游收入目标\n（{bound}{_fmt(target)}）",
                         lang),
              label_text(f"{year} arrivals target ×\nspending-per-visitor target",
                         f"{year}年接待人次目标 ×\n人均消费目标",
                         lang)]
    x = np.arange(3.0)
    bars = ax.bar(x, heights, width=0.6, color=["#999999", "#0072B2", "#E69F00"], edgecolor="black",
                  linewidth=0.6, zorder=2)
    ax.set_xticks(x, labels, **kw)
    for bar, value, prefix in zip(bars, heights, ["", bound, ""], strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, value, f"{prefix}{value:,.0f}", ha="center", va="bottom",
                fontsize="medium", fontweight="bold", zorder=4)

    box = {"boxstyle": "round", "facecolor": "white", "alpha": 0.92, "edgecolor": "#666666"}
    # the arithmetic, inside the third bar
    a_en = f"{_fmt(round(float(arrivals['target_value']) * float(arrivals['scale']) / 1e6, 1))} million visits"
    s_en = f"{float(spending['target_value']):,.0f} {spending['unit_en']}"
    arith = label_text(
        f"{a_en}\n× {s_en} per visit\n= {implied:,.0f} × {unit_en}",
        f"{_fmt(float(arrivals['target_value']))}{arrivals['unit']}\n× {_fmt(float(spending['target_value']))}"
        f"{spending['unit']}/人次\n= {_fmt(implied)}{unit_zh}", lang)
    ax.text(x[2], implied * 0.5, arith, ha="center", va="center", fontsize="small", zorder=5, bbox=box, **kw)

    # 2020 revenue as arrivals × implied spending, where the 2020 arrivals are known
    arrivals_0 = plan.find_level("tourism_arrivals", base_year)
    if arrivals_0 is not None and arrivals_0.value > 0:
        spend_0 = identity.solve("tourism_spending_per_visitor", {
            "tourism_revenue": revenue_base.value, "tourism_arrivals": arrivals_0.value}, plan.units,
            value_units={"tourism_revenue": revenue_base.unit, "tourism_arrivals": arrivals_0.unit}, part_unit="元")
        visits = arrivals_0.value_base_units
        note = label_text(f"{visits / 1e6:,.1f} million visits\n× {spend_0:,.0f} CNY per visit\n(implied)",
                          f"{_fmt(visits / 1e4)}万人次\n× {spend_0:,.0f}元/人次\n（推算）", lang)
        ax.text(x[0], start * 0.5, note, ha="center", va="center", fontsize="small", zorder=5, bbox=box, **kw)

    # gaps: 2020 → target, and target → product
    horizon = year - base_year
    needed = (target / start) ** (1.0 / horizon) - 1.0
    ax.annotate("", xy=(0.5, target), xytext=(0.5, start),
                arrowprops={"arrowstyle": "->", "color": "#0072B2", "linewidth": 1.5}, zorder=3)
    ax.text(0.5, (start + target) / 2,
            label_text(f"+{target - start:,.0f}\nneeds {needed:.1%}\na year",
                       f"+{_fmt(round(target - start, 6))}\n需年均\n增长{needed:.1%}", lang),
            ha="center", va="center", fontsize="small", color="#0072B2", zorder=5,
            bbox={**box, "edgecolor": "#0072B2"}, **kw)
    excess = implied - target
    ax.hlines(target, x[1] + 0.3, x[2] + 0.3, colors="#0072B2", linestyles=":", linewidth=1.2, zorder=3)
    ax.annotate("", xy=(1.5, implied), xytext=(1.5, target),
                arrowprops={"arrowstyle": "->", "color": "#D55E00", "linewidth": 1.5}, zorder=3)
    ax.text(1.5, (target + implied) / 2,
            label_text(f"gap +{excess:,.0f}\n{excess / target:.0%} above\nrevenue target",
                       f"差额 +{_fmt(round(excess, 6))}\n高于收入\n目标{excess / target:.0%}", lang),
            ha="center", va="center", fontsize="small", color="#D55E00", zorder=5,
            bbox={**box, "edgecolor": "#D55E00"}, **kw)

    ax.set_ylabel(unit_label(unit_zh, unit_en, str(revenue["price_basis"]), lang), **kw)
    ax.set_title(label_text(f"Tourism {year}: revenue target vs arrivals × spending targets",
                            f"{year}年旅游目标：收入目标与人次×人均消费", lang), **kw)
    ax.set_ylim(0, implied * 1.12)
    ax.set_xlim(-0.5, 2.5)
    ax.grid(True, axis="y", alpha=0.3, zorder=0)
    return ax


# ---------------------------------------------------------------------------- result charts

def _row_names(rows: pd.DataFrame, lang: str, width: int = 38) -> list[str]:
    names = []
    for _, r in rows.iterrows():
        name_en = str(r.get("name_en", r.get("indicator_id", "")))
        unit = str(r.get("unit", ""))
        name_zh = display_name(name_en, str(r.get("name_zh", name_en)), str(r.get("kind", "")), unit, "zh")
        names.append(label_text(_wrap(name_en, width), _short_name_zh(name_zh, unit), lang))
    return names


def _bar_rows(obj: Any, what: str, columns: Sequence[str], ax: Axes | None, per_row: float) -> tuple[
        pd.DataFrame, Axes, np.ndarray]:
    """Rows of a result table for a horizontal bar chart: the frame checked, the axes, the bar positions."""
    frame = _as_frame(obj, what)
    _require_columns(frame, columns, what)
    rows = frame[frame[columns[1]].notna()].reset_index(drop=True)
    ax = _new_axes(ax, (9.0, max(3.0, per_row * len(rows) + 1.5)))
    return rows, ax, np.arange(len(rows))[::-1].astype(float)


def _bar_axes(ax: Axes, y: np.ndarray, names: list[str], xlabel: tuple[str, str], title: tuple[str, str] | None,
              lang: str) -> None:
    kw = _fonts.text_kw(lang)
    ax.set_yticks(y, names, **kw)
    ax.set_xlabel(label_text(*xlabel, lang), **kw)
    if title is not None:
        ax.set_title(label_text(*title, lang), **kw)
    ax.grid(True, axis="x", alpha=0.3)


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
    colours = [VERDICT_COLOURS.get(str(v), _UNKNOWN_VERDICT_COLOUR) for v in rows["status"]]
    ax.barh(y, rows["completion"].to_numpy(float) * 100, color=colours, edgecolor="black", linewidth=0.5,
            height=0.6, zorder=2)
    ax.scatter(rows["time_share"].to_numpy(float) * 100, y, marker="|", s=300, color="black", zorder=3,
               label=label_text("time elapsed", "时序进度", lang))
    ax.axvline(100.0, color="#666666", linewidth=0.8, zorder=1)
    _bar_axes(ax, y, _row_names(rows, lang), ("share of the distance to the target covered, %", "目标完成进度（%）"),
              ("Progress against time elapsed", "完成进度与时序进度"), lang)
    _legend(ax, lang, size="small", loc="lower right")
    return ax


@_plain_text
def plot_findings(consistency_frame: Any, ax: Axes | None = None, lang: str = "en") -> Axes:
    """How far each contradiction's implied value is from the stated one, in percent of the stated.

    Parameters
    ----------
    consistency_frame : pandas.DataFrame or ConsistencyReport
        Columns ``check, severity, stated_value, implied_value``.
    ax : matplotlib.axes.Axes, optional
    lang : {'en', 'zh'}

    Returns
    -------
    matplotlib.axes.Axes
        One bar per finding with both numbers: ``100 (implied / stated - 1)``, coloured by severity.
    """
    check_lang(lang)
    rows, ax, y = _bar_rows(consistency_frame, "consistency_frame",
                            ["check", "stated_value", "implied_value", "severity"], ax, 0.4)
    keep = rows["implied_value"].notna().to_numpy() & (rows["stated_value"] != 0).to_numpy()
    rows = rows[keep].reset_index(drop=True)
    y = np.arange(len(rows))[::-1].astype(float)
    gap = (rows["implied_value"].to_numpy(float) / rows["stated_value"].to_numpy(float) - 1) * 100
    ax.barh(y, gap, color=[SEVERITY_COLOURS.get(str(v), "#000000") for v in rows["severity"]],
            edgecolor="black", linewidth=0.5, height=0.6, zorder=2)
    ax.axvline(0.0, color="#666666", linewidth=0.8)
    names = [f"{i + 1}. {c}" for i, c in enumerate(rows["check"].astype(str))]
    _bar_axes(ax, y, names, ("implied value against the stated one, % difference", "推算值与规划值之差（%）"),
              ("Where the plan's numbers contradict each other", "规划目标之间的矛盾"), lang)
    return ax


def _name_of(indicator_id: str, frame: pd.DataFrame, plan: Plan | None, lang: str) -> str:
    """The display name of ``indicator_id``: from ``plan``, else the frame's ``name_en``/``name_zh``
    columns, else the embedded plan's catalogue where it knows the id, else the id itself."""
    if plan is not None and (plan.indicators["indicator_id"] == indicator_id).any():
        row = plan.indicator(indicator_id)
        return _indicator_name(row, lang, plan.units.table.index)
    rows = frame[frame["indicator_id"] == indicator_id]
    if "name_en" in rows.columns and len(rows):
        return _indicator_name(rows.iloc[0], lang)
    from .plan import load_plan

    embedded = load_plan()
    if (embedded.indicators["indicator_id"] == indicator_id).any():
        return _indicator_name(embedded.indicator(indicator_id), lang, embedded.units.table.index)
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
        from .exceptions import UnknownIndicatorError

        raise UnknownIndicatorError(indicator_id, frame["indicator_id"].unique(), "indicator")
    ax = _new_axes(ax, (7.5, 4.5))
    kw = _fonts.text_kw(lang)
    for name, (colour, dash) in _scenario_styles(rows).items():
        path = rows[rows["scenario"] == name].sort_values("year")
        ax.plot(path["year"], path["value"], color=colour, linestyle=dash, linewidth=2,
                label=label_text(name, _SCENARIO_NAMES_ZH.get(name, name), lang))
    from .plan_io import default_units

    unit = str(rows["unit"].iloc[0])
    table = default_units().table
    unit_en = str(table.at[unit, "unit_en"]) if unit in table.index else unit
    basis = str(rows["price_basis"].iloc[0]) if "price_basis" in rows.columns else "na"
    ax.set_ylabel(unit_label(unit, unit_en, basis, lang), **kw)
    ax.set_title(_name_of(indicator_id, frame, plan, lang), **kw)
    ax.set_xlabel(label_text("year", "年份", lang), **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    _legend(ax, lang, size="small")
    return ax


@_plain_text
def plot_components(frame: pd.DataFrame, title: str, ax: Axes | None = None) -> Axes:
    """A structural model's base-year components as labelled horizontal bars (each in its own unit).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``component, value, unit`` (a model's ``to_frame()``).
    title : str
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require_columns(frame, ["component", "value", "unit"], "frame")
    ax = _new_axes(ax, (7.0, max(2.5, 0.45 * len(frame) + 1.2)))
    kw = _fonts.text_kw("zh")
    units = [str(u) for u in frame["unit"]]
    if _fonts.effective_lang("zh") != "zh":  # no CJK font: the units' English names
        from .plan_io import default_units

        table = default_units().table
        units = [str(table.at[u, "unit_en"]) if u in table.index else u for u in units]
    y = np.arange(len(frame))[::-1].astype(float)
    ax.barh(y, frame["value"].to_numpy(float), color="#0072B2", height=0.6)
    for yy, v, unit in zip(y, frame["value"], units, strict=True):
        ax.text(float(v), yy, f" {_fmt(float(v))} {unit}", va="center", fontsize="small", **kw)
    ax.set_yticks(y, frame["component"].astype(str).tolist())
    ax.set_xscale("log")
    ax.set_title(title.replace("×", "x"), **kw)
    return ax


@_plain_text
def plot_probabilities(simulation_frame: Any, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Probability of meeting each simulated target, one bar a target.

    Parameters
    ----------
    simulation_frame : pandas.DataFrame or Simulation
        Columns ``indicator_id, name_en, name_zh, probability``.
    ax : matplotlib.axes.Axes, optional
    lang : {'en', 'zh'}

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    rows, ax, y = _bar_rows(simulation_frame, "simulation_frame", ["indicator_id", "probability"], ax, 0.4)
    ax.barh(y, rows["probability"].to_numpy(float) * 100, color="#0072B2", height=0.6, zorder=2)
    ax.axvline(50.0, color="#666666", linewidth=0.8, linestyle=":")
    ax.set_xlim(0, 100)
    _bar_axes(ax, y, _row_names(rows, lang), ("probability of meeting the target, %", "实现目标的概率（%）"), None,
              lang)
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
    ax.bar(x - 0.18, met, width=0.36, color="#009E73", label=label_text("targets met, %", "达到目标的比例（%）", lang))
    ax.bar(x + 0.18, delivery, width=0.36, color="#0072B2",
           label=label_text("median pace delivered, % of required", "实际速度占所需速度的中位数（%）", lang))
    for xi, m, d in zip(x, met, delivery, strict=True):
        ax.text(xi - 0.18, m, f"{m:.0f}%", ha="center", va="bottom", fontsize="small")
        if np.isfinite(d):
            ax.text(xi + 0.18, d, f"{d:.0f}%", ha="center", va="bottom", fontsize="small")
    ax.axhline(100.0, color="#666666", linewidth=0.8, linestyle=":")
    # the number judged goes under the plan's name, so the value axis starts at 0
    ticks = [label_text(f"{p}\n{n} targets judged", f"{p}\n评估{n}个目标", lang)
             for p, n in zip(rows["plan"].astype(str), rows["judged"], strict=True)]
    ax.set_xticks(x, ticks, **kw)
    top = float(np.nanmax(np.r_[met, delivery, 100.0]))
    ax.set_ylim(0.0, top * 1.3)  # room above the tallest bar for its label and the legend
    ax.set_ylabel("%")
    ax.set_title(label_text("How each plan did against its own targets", "各规划期目标完成情况", lang), **kw)
    _legend(ax, lang, size="small", loc="upper right")
    return ax


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


@_plain_text
def plot_outcome_path(plan: Plan, indicator_id: str, ax: Axes | None = None, lang: str = "en",
                      targets: pd.DataFrame | None = None) -> Axes:
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
    targets : pandas.DataFrame, optional
        The plan's :func:`~xiangxi_econ.targets.targets_table`, if already computed.

    Returns
    -------
    matplotlib.axes.Axes
        Lines (``ax.lines``): observed, plan path, trend; the target as a star; a dashed vertical
        line at each break of the series.
    """
    from . import targets as _targets

    check_lang(lang)
    row = plan.indicator(indicator_id)
    table = (_targets.targets_table(plan) if targets is None else targets).set_index("indicator_id")
    t = table.loc[indicator_id]
    base_year, target_year = int(t["base_year"]), int(t["target_year"])
    years = np.arange(base_year, target_year + 1)
    pp = t["kind"] in ("share", "rate")
    base, target = float(t["base_value"]), float(t["target_value"])
    ax = _new_axes(ax, (7.0, 4.5))
    kw = _fonts.text_kw(lang)
    obs = plan.observations.table
    mine = obs[(obs["series_id"] == row["series_id"]) & (obs["measure"] == "level") & obs["preferred"]
               & (obs["base_unit"] == row["base_unit"]) & ((obs["version"] == "") | obs["used_by_plan"])]
    mine = mine[mine["year"] >= plan.periods.history_start_year].sort_values("year")
    for k, (_, seg) in enumerate(mine.groupby("segment", sort=True)):  # no line across a break
        years_seen, values = _with_gaps(seg["year"].to_numpy(int), (seg["value_base_units"] / float(row["scale"]))
                                        .to_numpy(float))
        ax.plot(years_seen, values, marker="o", color="black", linewidth=2,
                label=label_text("observed (published)", "实际（公布数）", lang) if k == 0 else None, zorder=4)
    steps = years - base_year
    plan_path = base + t["required_pace_pp"] * steps if pp else base * (1 + t["required_rate"]) ** steps
    ax.plot(years, plan_path, color="#0072B2", linestyle="--", linewidth=1.8,
            label=label_text("plan path (required pace)", "规划路径（所需速度）", lang))
    hist = t["historical_pace_pp"] if pp else t["historical_rate"]
    if pd.notna(hist):
        trend = base + hist * steps if pp else base * (1 + hist) ** steps
        ax.plot(years, trend, color="#E69F00", linestyle="-.", linewidth=1.8,
                label=label_text(f"trend of {plan.periods.history_label} (ex ante)",
                                 f"{plan.periods.history_label}年趋势（事前）", lang))
    ax.plot([target_year], [target], marker=_TARGET_MARKER, markersize=15, linestyle="none", color=_TARGET_COLOUR,
            markeredgecolor="black", label=_target_label(target_year, target, t["bound"], lang), zorder=5)
    breaks = plan.observations.breaks
    shown = breaks[(breaks["series_id"] == row["series_id"]) & (breaks["year"] > plan.periods.history_start_year)]
    for b in shown.itertuples():
        ax.axvline(b.year - 0.5, color="#CC79A7", linestyle=":", linewidth=1.5)
        ax.text(b.year - 0.45, ax.get_ylim()[1], label_text(f"break: {b.kind}", "统计口径变化", lang),
                rotation=90, va="top", ha="left", fontsize="x-small", color="#CC79A7", **kw)
    ax.set_title(_indicator_name(row, lang, plan.units.table.index), **kw)
    ax.set_ylabel(unit_label(str(row["unit"]), str(row["unit_en"]), str(row["price_basis"]), lang), **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    _legend(ax, lang, size="small", loc="best")
    return ax


@_plain_text
def plot_forecast(fc: Any, ax: Axes | None = None, observed: pd.Series | None = None, lang: str = "en",
                  unit: str | None = None) -> Axes:
    """Fan of a :class:`~xiangxi_econ.forecasting.Forecast`: the history it was made from, the 5–95%
    and 25–75% bands of the path, the median, and what was observed afterwards.

    Parameters
    ----------
    fc : Forecast
    ax : matplotlib.axes.Axes, optional
    observed : pandas.Series, optional
        The series by integer year [series unit]: years up to ``fc.origin_year`` are drawn as the
        history line (broken where a year is missing), later years as dots. Default:
        ``fc.history`` where the forecast carries one, else no history.
    lang : {'en', 'zh'}
    unit : str, optional
        The series unit for the value axis (``亿元``, ``%``); default ``fc.unit`` where present.

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    ax = _new_axes(ax, (7.0, 4.5))
    kw = _fonts.text_kw(lang)
    pq = fc.path_quantiles((0.05, 0.25, 0.5, 0.75, 0.95))
    years = pq.index.to_numpy()
    observed = observed if observed is not None else getattr(fc, "history", None)
    unit = unit if unit is not None else getattr(fc, "unit", None)
    if observed is not None:
        obs = pd.Series(observed).dropna()
        obs.index = obs.index.astype(int)
        past = obs[obs.index <= int(fc.origin_year)]
        later = obs[obs.index > int(fc.origin_year)]
        if len(past):
            hist_years, hist_values = _with_gaps(past.index.to_numpy(), past.to_numpy(float))
            ax.plot(hist_years, hist_values, marker="o", markersize=3.5, color=_HISTORY_COLOUR, linewidth=1.5,
                    zorder=5, label=label_text("history", "历史值", lang))
        if len(later):
            ax.plot(later.index.to_numpy(), later.to_numpy(float), "o", color=_TARGET_COLOUR, markersize=5,
                    markeredgecolor="black", zorder=6, label=label_text("observed afterwards", "此后实际值", lang))
    ax.fill_between(years, pq[0.05], pq[0.95], color=_FAN_COLOUR, alpha=0.18, linewidth=0,
                    label=label_text("5th–95th percentile", "5%–95%分位区间", lang))
    ax.fill_between(years, pq[0.25], pq[0.75], color=_FAN_COLOUR, alpha=0.38, linewidth=0,
                    label=label_text("25th–75th percentile", "25%–75%分位区间", lang))
    ax.plot(years, pq[0.5], color=_FAN_COLOUR, linewidth=2, label=label_text("median", "中位数", lang))
    ax.set_title(label_text(f"{fc.name or 'series'}: forecast for {fc.to_year} as of {fc.as_of_year}",
                            f"{fc.name or '序列'}：{fc.as_of_year}年对{fc.to_year}年的预测", lang), **kw)
    ax.set_xlabel(label_text("year", "年份", lang), **kw)
    if unit:
        from .plan_io import default_units

        table = default_units().table
        unit_en = str(table.at[unit, "unit_en"]) if unit in table.index else str(unit)
        ax.set_ylabel(unit_label(str(unit), unit_en, "na", lang), **kw)
    else:
        ax.set_ylabel(label_text("value, in the series' unit (pass unit= to name it)",
                                 "数值（序列单位；传入unit以显示单位）", lang), **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    _legend(ax, lang, size="small", loc="upper left")
    return ax


@_plain_text
def plot_calibration(backtest_frame: Any, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Reliability of ex-ante probabilities: each target's probability of being met against whether it
    was met, beside the same for the trend-continued baseline; the diagonal is perfect calibration.

    Parameters
    ----------
    backtest_frame : pandas.DataFrame or Backtest
        Scored rows with ``probability``, ``p_trend``, ``met`` (1/0), ``name_en``/``name_zh``.
    ax : matplotlib.axes.Axes, optional
    lang : {'en', 'zh'}

    Returns
    -------
    matplotlib.axes.Axes
        Points (``ax.collections``): calibrated forecasts (filled) and trend baseline (open), one per
        target, at (probability, outcome 0/1 jittered by the row order).
    """
    check_lang(lang)
    frame = _as_frame(backtest_frame, "backtest_frame")
    _require_columns(frame, ["probability", "p_trend", "met"], "backtest_frame")
    ax = _new_axes(ax, (6.5, 4.5))
    kw = _fonts.text_kw(lang)
    n = len(frame)
    jitter = (np.arange(n) - (n - 1) / 2) * (0.06 / max(n, 1))
    met = frame["met"].to_numpy(float)
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=1)
    ax.scatter(frame["probability"].to_numpy(float), met + jitter, s=60, color="#0072B2", zorder=3,
               label=label_text("engine (reference classes)", "参照类预测", lang))
    ax.scatter(frame["p_trend"].to_numpy(float), met - jitter, s=60, facecolors="none", edgecolors="#E69F00",
               linewidths=1.5, zorder=3, label=label_text("trend continued", "趋势延续", lang))
    y = np.clip(met, 0, 1)
    brier = float(np.mean((frame["probability"].to_numpy(float) - y) ** 2)) if n else float("nan")
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.25, 1.25)
    ax.set_yticks([0, 1], [label_text("missed", "未达到", lang), label_text("met", "达到", lang)], **kw)
    ax.set_xlabel(label_text("ex-ante probability of meeting the target", "事前实现概率", lang), **kw)
    ax.set_title(label_text(f"Probabilities against outcomes ({n} targets, Brier {brier:.3f})",
                            f"事前概率与实际结果（{n}个目标，Brier {brier:.3f}）", lang), **kw)
    ax.grid(True, axis="x", alpha=0.3)
    _legend(ax, lang, size="small", loc="center right")
    return ax


# ---------------------------------------------------------------------------- saving

def _figure_of(obj: Any) -> Figure:
    if hasattr(obj, "savefig"):
        return obj
    if isinstance(obj, np.ndarray) and obj.size:
        obj = obj.flat[0]
    fig = getattr(obj, "figure", None)
    if fig is None or not hasattr(fig, "savefig"):
        raise TypeError(f"fig_or_ax must be a matplotlib Figure, Axes or array of Axes; got {type(obj).__name__}")
    return fig


def save(fig_or_ax: Any, path: str | Path, dpi: float = 150) -> Path:
    """Save the figure of a chart.

    Parameters
    ----------
    fig_or_ax : Figure, Axes or array of Axes
        What a chart function returned, or its figure.
    path : str or path-like
        Output file; the format follows the suffix (``.png``, ``.pdf``, ``.svg``).
    dpi : float
        Resolution of raster formats [dots per inch].

    Returns
    -------
    pathlib.Path
        The file written.
    """
    fig = _figure_of(fig_or_ax)
    out = Path(path)
    if not out.parent.exists():
        raise FileNotFoundError(f"path: folder {str(out.parent)!r} does not exist")
    fig.savefig(out, dpi=dpi, bbox_inches="tight")
    return out


def report_style() -> Any:
    """A context in which charts are drawn for a page that shows them two to a row: type 12 pt
    instead of matplotlib's 10 pt, so ticks and legends stay legible at about 600 px wide.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> with report_style():
    ...     pass
    """
    import matplotlib

    return matplotlib.rc_context({"font.size": 12.0})


def png_bytes(fig_or_ax: Any, dpi: float = 130, close: bool = True) -> bytes:
    """The figure of a chart as PNG bytes (e.g. to embed in an HTML page), closing it by default.

    Parameters
    ----------
    fig_or_ax : Figure, Axes or array of Axes
    dpi : float
        Resolution [dots per inch].
    close : bool
        Close the figure afterwards, so batch jobs do not accumulate open figures.
    """
    import io

    fig = _figure_of(fig_or_ax)
    buf = io.BytesIO()
    # a constrained-layout figure already fits its labels and outside legends; a tight bounding box
    # would draw the whole figure a second time only to measure it
    tight = None if fig.get_layout_engine() is not None else "tight"
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches=tight)
    if close:
        _pyplot().close(fig)
    return buf.getvalue()
