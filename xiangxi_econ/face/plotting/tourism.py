"""Tourism revenue against arrivals × spending per visitor: the arithmetic of three targets, drawn.

The product and the implied base-year spending come from the declared identity
(:data:`xiangxi_econ.maths.identities.IDENTITIES`), the pace the revenue target needs from
:func:`xiangxi_econ.maths.growth.required_rate`; this module computes no formula of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...i18n import check_lang
from ...maths.identities import IDENTITIES
from .. import _fonts
from ._base import _compatible_basis, _new_axes, _plain_text
from ._labels import _fmt, _t, unit_label
from ._style import BOUND_SYMBOLS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes

    from ...data.plan import Plan

_BOX = {"boxstyle": "round", "facecolor": "white", "alpha": 0.92, "edgecolor": "#666666"}


def _target_row(plan: Plan, series_id: str, year: int) -> pd.Series:
    """The plan's row with a numeric ``year`` target for ``series_id``; ValueError naming both if none."""
    ind = plan.indicators
    hits = ind[(ind["series_id"] == series_id) & (ind["target_year"] == year) & ind["target_value"].notna()]
    if hits.empty:
        raise ValueError(f"plan has no numeric {year} target for series '{series_id}'")
    return hits.iloc[0]


def _base_year_note(ax: Axes, plan: Plan, x0: float, start: float, revenue_base: Any, spending: pd.Series,
                    lang: str) -> None:
    """Inside the first bar: the base-year revenue as arrivals × implied spending per visit, where the
    base-year arrivals are known (spending solved from the identity, in the spending target's unit)."""
    base_year = plan.periods.base_year
    arrivals_0 = plan.find_level("tourism_arrivals", base_year)
    if arrivals_0 is None or arrivals_0.value <= 0:
        return
    spend_0 = IDENTITIES["tourism_revenue"].solve(
        "tourism_spending_per_visitor",
        {"tourism_revenue": revenue_base.value, "tourism_arrivals": arrivals_0.value}, plan.units,
        value_units={"tourism_revenue": revenue_base.unit, "tourism_arrivals": arrivals_0.unit},
        part_unit=str(spending["unit"]))
    visits = arrivals_0.value_base_units  # person-visits
    note = _t("tourism_base_implied", lang, visits_million=f"{visits / 1e6:,.1f}", visits_wan=_fmt(visits / 1e4),
              spending=f"{spend_0:,.0f}", spending_unit=spending["unit"], spending_unit_en=spending["unit_en"])
    ax.text(x0, start * 0.5, note, ha="center", va="center", fontsize="small", zorder=5, bbox=_BOX,
            **_fonts.text_kw(lang))


def _gap_notes(ax: Axes, x: np.ndarray, start: float, target: float, implied: float, needed: float,
               lang: str) -> None:
    """The arrows and texts of the two gaps: base year to target (with the pace it needs, handed in
    from the targets table; none shown when it is NaN), and target to the product of the other two."""
    kw = _fonts.text_kw(lang)
    ax.annotate("", xy=(0.5, target), xytext=(0.5, start),
                arrowprops={"arrowstyle": "->", "color": "#0072B2", "linewidth": 1.5}, zorder=3)
    ax.text(0.5, (start + target) / 2,
            _t("tourism_gap_to_target" if np.isfinite(needed) else "tourism_gap_only", lang,
               gap_en=f"{target - start:,.0f}", gap=_fmt(round(target - start, 6)), rate=f"{needed:.1%}"),
            ha="center", va="center", fontsize="small", color="#0072B2", zorder=5,
            bbox={**_BOX, "edgecolor": "#0072B2"}, **kw)
    excess = implied - target
    ax.hlines(target, x[1] + 0.3, x[2] + 0.3, colors="#0072B2", linestyles=":", linewidth=1.2, zorder=3)
    ax.annotate("", xy=(1.5, implied), xytext=(1.5, target),
                arrowprops={"arrowstyle": "->", "color": "#D55E00", "linewidth": 1.5}, zorder=3)
    ax.text(1.5, (target + implied) / 2,
            _t("tourism_excess", lang, excess_en=f"{excess:,.0f}", excess=_fmt(round(excess, 6)),
               share=f"{excess / target:.0%}"),
            ha="center", va="center", fontsize="small", color="#D55E00", zorder=5,
            bbox={**_BOX, "edgecolor": "#D55E00"}, **kw)


@_plain_text
def plot_tourism_decomposition(plan: Plan, ax: Axes | None = None, lang: str = "en",
                               targets: pd.DataFrame | None = None) -> Axes:
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
        (:data:`xiangxi_econ.maths.identities.IDENTITIES`), shown in the revenue target's unit.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when ``None``.
    lang : {'en', 'zh'}
        Label language.
    targets : pandas.DataFrame, optional
        The plan's targets table (:func:`xiangxi_econ.targets_table`): the revenue target's
        ``required_rate`` is written on the gap arrow (without it, the gap alone).

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
    arrivals = _target_row(plan, "tourism_arrivals", year)
    spending = _target_row(plan, "tourism_spending_per_visitor", year)
    revenue = _target_row(plan, "tourism_revenue", year)
    if not _compatible_basis(revenue["price_basis"], spending["price_basis"]):
        raise ValueError(f"tourism revenue is at {revenue['price_basis']} prices but spending per visitor at "
                         f"{spending['price_basis']} prices; they cannot be compared")
    revenue_base = plan.find_level("tourism_revenue", base_year)
    if revenue_base is None:
        raise ValueError(f"plan.history has no {base_year} level of series 'tourism_revenue'")

    implied = IDENTITIES["tourism_revenue"].evaluate(
        {"tourism_arrivals": arrivals["target_value"], "tourism_spending_per_visitor": spending["target_value"]},
        plan.units,
        value_units={"tourism_arrivals": arrivals["unit"], "tourism_spending_per_visitor": spending["unit"]},
        result_unit=revenue["unit"])
    target = float(revenue["target_value"])
    start = revenue_base.in_scale(float(revenue["scale"]))  # in the revenue target's unit
    heights = [start, target, implied]

    ax = _new_axes(ax, (8.5, 5.5))
    kw = _fonts.text_kw(lang)
    bound = BOUND_SYMBOLS.get(str(revenue["bound"]), "")
    unit_en, unit_zh = str(revenue["unit_en"]), str(revenue["unit"])
    labels = [_t("tourism_base_bar", lang, year=base_year),
              _t("tourism_target_bar", lang, year=year, value=f"{bound}{_fmt(target)}"),
              _t("tourism_product_bar", lang, year=year)]
    x = np.arange(3.0)
    bars = ax.bar(x, heights, width=0.6, color=["#999999", "#0072B2", "#E69F00"], edgecolor="black",
                  linewidth=0.6, zorder=2)
    ax.set_xticks(x, labels, **kw)
    for bar, value, prefix in zip(bars, heights, ["", bound, ""], strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, value, f"{prefix}{value:,.0f}", ha="center", va="bottom",
                fontsize="medium", fontweight="bold", zorder=4)

    # the arithmetic, inside the third bar
    arith = _t("tourism_arithmetic", lang,
               visits_million=_fmt(round(float(arrivals["target_value"]) * float(arrivals["scale"]) / 1e6, 1)),
               spending_en=f"{float(spending['target_value']):,.0f}", spending_unit_en=spending["unit_en"],
               implied_en=f"{implied:,.0f}", unit_en=unit_en,
               arrivals=_fmt(float(arrivals["target_value"])), arrivals_unit=arrivals["unit"],
               spending=_fmt(float(spending["target_value"])), spending_unit=spending["unit"],
               implied=_fmt(implied), unit=unit_zh)
    ax.text(x[2], implied * 0.5, arith, ha="center", va="center", fontsize="small", zorder=5, bbox=_BOX, **kw)

    _base_year_note(ax, plan, x[0], start, revenue_base, spending, lang)
    needed = np.nan
    if targets is not None:
        rows = targets[(targets["indicator_id"] == revenue["indicator_id"])]
        if len(rows) and "required_rate" in rows.columns:
            needed = float(rows["required_rate"].iloc[0])
    _gap_notes(ax, x, start, target, implied, needed, lang)

    ax.set_ylabel(unit_label(unit_zh, unit_en, str(revenue["price_basis"]), lang), **kw)
    ax.set_title(_t("tourism_title", lang, year=year), **kw)
    ax.set_ylim(0, implied * 1.12)
    ax.set_xlim(-0.5, 2.5)
    ax.grid(True, axis="y", alpha=0.3, zorder=0)
    return ax
