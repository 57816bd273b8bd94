"""Uncertainty: the fan of a simulation, the probability of meeting each target, the fan of a single
forecast, and ex-ante probabilities against outcomes.

The quantiles and probabilities are read from the results handed in (:func:`xiangxi_econ.simulate`,
:func:`xiangxi_econ.forecast`, :func:`xiangxi_econ.backtest`); nothing is simulated here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...i18n import check_lang
from .. import _fonts
from ._bars import _bar_axes, _bar_rows
from ._base import (
    _as_frame,
    _integer_years,
    _legend,
    _missing,
    _new_axes,
    _plain_text,
    _published_levels,
    _require_columns,
    _with_gaps,
)
from ._labels import _indicator_name, _row_names, _t, _target_label, unit_label
from ._style import FAN_COLOUR, HISTORY_COLOUR, TARGET_COLOUR, TARGET_MARKER

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes

    from ...data.plan import Plan

_QUANTILE_TOL = 1e-9
_FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def _quantile(table: pd.DataFrame, q: float, indicator_id: str) -> pd.Series:
    """Column ``q`` of a year × quantile table (matched within 1e-9), or a ValueError naming what it has."""
    cols = [c for c in table.columns if abs(float(c) - q) <= _QUANTILE_TOL]
    if not cols:
        raise ValueError(f"simulation.fan has no quantile {q} for '{indicator_id}'; it has "
                         f"{sorted(float(c) for c in table.columns)} (need 0.05, 0.25, 0.5, 0.75, 0.95)")
    return table[cols[0]]


def _draw_bands(ax: Axes, years: Any, bands: Sequence[Any], lang: str) -> None:
    """The 5–95% and 25–75% bands and the median line of a fan: ``bands`` are the 5, 25, 50, 75 and
    95% quantiles by year."""
    q05, q25, q50, q75, q95 = bands
    ax.fill_between(years, q05, q95, color=FAN_COLOUR, alpha=0.18, linewidth=0, label=_t("band_5_95", lang))
    ax.fill_between(years, q25, q75, color=FAN_COLOUR, alpha=0.38, linewidth=0, label=_t("band_25_75", lang))
    ax.plot(years, q50, color=FAN_COLOUR, linewidth=2, label=_t("median", lang))


def _observed_points(ax: Axes, plan: Plan, row: pd.Series, after_year: int, lang: str,
                     history_years: int = 10) -> None:
    """The published figures (``plan.observations``, in the row's unit): those of the ``history_years``
    up to ``after_year`` (the fan's first year) as a thin line into the fan, later ones (outcomes the
    forecast did not see) as dots on top."""
    mine = _published_levels(plan, row)
    mine = mine[mine["year"] >= after_year - history_years].sort_values("year")
    mine = mine.drop_duplicates("year", keep="first")
    before, after = mine[mine["year"] <= after_year], mine[mine["year"] > after_year]
    if len(before):
        from ...rules.windows import segment

        breaks = plan.observations.breaks
        b = breaks.loc[breaks["series_id"] == row["series_id"], "year"].astype(int).to_numpy()
        yrs = before["year"].astype(int).to_numpy()
        vals = (before["value_base_units"] / float(row["scale"])).to_numpy(float)
        seg = segment(yrs, b)
        ax.plot(yrs, vals, "o", color="0.35", markersize=3.5, zorder=4, label=_t("published_to_forecast", lang))
        # lines only between consecutive years on one statistical basis: no line across a gap or a break
        joined = (np.diff(yrs) == 1) & (seg[1:] == seg[:-1])
        for k in np.flatnonzero(joined):
            ax.plot(yrs[k:k + 2], vals[k:k + 2], "-", color="0.35", linewidth=1.2, zorder=4)
        for year in b[(b > yrs.min()) & (b <= after_year)]:
            ax.axvline(year - 0.5, color="0.5", linestyle=":", linewidth=1)
            ax.annotate(_t("break_in_year", lang, year=year), (year - 0.5, 0.0),
                        xycoords=("data", "axes fraction"), xytext=(3, 4), textcoords="offset points",
                        fontsize="small", color="0.4", **_fonts.text_kw(lang))
    if len(after):
        ax.plot(after["year"], after["value_base_units"] / float(row["scale"]), "o", color="black", markersize=5,
                zorder=6, label=_t("observed_published", lang))


def _fan_title(name: str, p_text: str, start: int, target_year: int, decided: bool, lang: str) -> str:
    """The fan's title: the probability, or for a target decided before the fan starts, an outlook."""
    if decided and target_year <= start:
        return _t("fan_title_decided", lang, name=name, start=start, target_year=target_year)
    return _t("fan_title", lang, name=name, probability=p_text)


def _fan_target(simulation: Any, indicator_id: str, row: pd.Series | None, last_year: int
                ) -> tuple[pd.Series | None, Any, Any, int]:
    """The simulation table's row of ``indicator_id`` (or None), the target value and bound (from the
    table, else the plan row) and the target year (plan row, else table, else ``last_year``)."""
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
        target_year = last_year
    return target, target_value, bound, target_year


def _fan_name_and_unit(meta: pd.Series, plan: Plan | None, indicator_id: str, lang: str) -> tuple[str, str]:
    """Title name and value-axis label of a fan: ``meta`` is the plan's row (then ``plan`` is given),
    else the simulation table's or the fan's row."""
    unit = str(meta.get("unit", "") or "")
    if plan is not None:  # meta is the plan's row
        units = plan.units
        unit_en = str(meta["unit_en"])
    else:
        from ...data.plan_io import default_units

        units = default_units()
        unit_en = units.table.at[unit, "unit_en"] if unit in units else unit
    name = _indicator_name(meta, lang, units.table.index) if "name_en" in meta.index else indicator_id
    if unit:
        ylabel = unit_label(unit, str(unit_en), str(meta.get("price_basis", "na")), lang,
                            per_year=str(meta.get("kind", "")) == "growth")
    else:
        ylabel = _t("value_axis_pass_plan", lang)
    return name, ylabel


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
    bands = tuple(_quantile(wide, q, indicator_id).to_numpy(dtype=float) for q in _FAN_QUANTILES)

    ax = _new_axes(ax, (7.0, 4.5))
    kw = _fonts.text_kw(lang)
    _draw_bands(ax, years, bands, lang)

    row = plan.indicator(indicator_id) if plan is not None else None
    target, target_value, bound, target_year = _fan_target(simulation, indicator_id, row, int(years.max()))
    if not _missing(target_value):
        ax.plot([target_year], [float(target_value)], marker=TARGET_MARKER, markersize=15, linestyle="none",
                color=TARGET_COLOUR, markeredgecolor="black", markeredgewidth=0.6, zorder=5,
                label=_target_label(target_year, float(target_value), bound, lang))

    probability: Any = target.get("probability") if target is not None else None
    p_text = _t("not_available", lang) if _missing(probability) else f"{float(probability):.0%}"
    if row is not None and plan is not None:
        _observed_points(ax, plan, row, int(years.min()), lang)

    # name, unit and price basis: from the plan, else the simulation table, else the fan
    meta = row if row is not None else target if target is not None else rows.iloc[0]
    name, ylabel = _fan_name_and_unit(meta, plan if row is not None else None, indicator_id, lang)
    ax.set_title(_fan_title(name, p_text, int(years.min()), target_year, target is None, lang), **kw)
    ax.set_xlabel(_t("year", lang), **kw)
    ax.set_ylabel(ylabel, **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    _legend(ax, lang, size="small", loc="upper left")
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
    _bar_axes(ax, y, _row_names(rows, lang), "probability_axis", None, lang)
    return ax


@_plain_text
def plot_forecast(fc: Any, ax: Axes | None = None, observed: pd.Series | None = None, lang: str = "en",
                  unit: str | None = None) -> Axes:
    """Fan of a :class:`~xiangxi_econ.probability.forecasting.Forecast`: the history it was made from, the 5–95%
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
    pq = fc.path_quantiles(_FAN_QUANTILES)
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
            ax.plot(hist_years, hist_values, marker="o", markersize=3.5, color=HISTORY_COLOUR, linewidth=1.5,
                    zorder=5, label=_t("history", lang))
        if len(later):
            ax.plot(later.index.to_numpy(), later.to_numpy(float), "o", color=TARGET_COLOUR, markersize=5,
                    markeredgecolor="black", zorder=6, label=_t("observed_afterwards", lang))
    _draw_bands(ax, years, [pq[q] for q in _FAN_QUANTILES], lang)
    ax.set_title(_t("forecast_title", lang, name=fc.name or _t("series", lang), to_year=fc.to_year,
                    as_of_year=fc.as_of_year), **kw)
    ax.set_xlabel(_t("year", lang), **kw)
    if unit:
        from ...data.plan_io import default_units

        table = default_units().table
        unit_en = str(table.at[unit, "unit_en"]) if unit in table.index else str(unit)
        ax.set_ylabel(unit_label(str(unit), unit_en, "na", lang), **kw)
    else:
        ax.set_ylabel(_t("value_axis_pass_unit", lang), **kw)
    _integer_years(ax)
    ax.grid(True, alpha=0.3)
    _legend(ax, lang, size="small", loc="upper left")
    return ax


@_plain_text
def plot_calibration(backtest_frame: Any, ax: Axes | None = None, lang: str = "en", brier: float | None = None) -> Axes:
    """Reliability of ex-ante probabilities: each target's probability of being met against whether it
    was met, beside the same for the trend-continued baseline; the diagonal is perfect calibration.

    Parameters
    ----------
    backtest_frame : pandas.DataFrame or Backtest
        Scored rows with ``probability``, ``p_trend``, ``met`` (1/0), ``name_en``/``name_zh``.
    ax : matplotlib.axes.Axes, optional
    lang : {'en', 'zh'}
    brier : float, optional
        The Brier score of these rows, written in the title (``Backtest.plot`` hands it in; the chart
        computes no score).

    Returns
    -------
    matplotlib.axes.Axes
        Points (``ax.collections``): calibrated forecasts (filled) and trend baseline (open), one per
        target, at (probability, outcome 0/1 jittered by the row order). The title gives the Brier
        score of the drawn probabilities, :math:`\\frac1n\\sum_i (p_i - y_i)^2` (Brier 1950).
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
               label=_t("engine_reference_classes", lang))
    ax.scatter(frame["p_trend"].to_numpy(float), met - jitter, s=60, facecolors="none", edgecolors="#E69F00",
               linewidths=1.5, zorder=3, label=_t("trend_continued", lang))
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.25, 1.25)
    ax.set_yticks([0, 1], [_t("missed", lang), _t("met", lang)], **kw)
    ax.set_xlabel(_t("calibration_axis", lang), **kw)
    ax.set_title(_t("calibration_title", lang, n=n, brier=f"{brier:.3f}") if brier is not None
                 else _t("calibration_title_plain", lang, n=n), **kw)
    ax.grid(True, axis="x", alpha=0.3)
    _legend(ax, lang, size="small", loc="center right")
    return ax
