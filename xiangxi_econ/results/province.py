"""The province beside the prefecture: the pace each prefecture target needs against the province's ask.

A prefecture's five-year plan is written under its province's. The province's headline targets for
the 15th plan (2026-2030) are embedded with their quotes in ``data/province_targets.csv``: Hunan's
2026 government work report asks GDP growth of 5-5.5% a year (real), urbanisation 67.5% by 2030
(from 63% in 2025), life expectancy above 80 (from 79), residents' income growth not below GDP
growth and rural income growth above urban. For each ask, :func:`province_beside` puts the pace the
prefecture's own target needs (:func:`xiangxi_econ.rules.targets.targets_table`, the target's price
basis) beside the province's pace:

* a growth range :math:`[g_{lo}, g_{hi}]` (GDP): the prefecture's required rate :math:`g_r`; a nominal
  rate (a GDP level target at current prices) is set beside the real ask only with an ``inflation``
  assumption, :math:`(1+g_r)/(1+\\pi) - 1` (:func:`xiangxi_econ.maths.prices.real_rate`);
* a level :math:`x^*` from :math:`x_b` (urbanisation, life expectancy): the province's pace
  :math:`(x^* - x_b)/H` (pp or years a year) against the prefecture's, by the same rule
  (:func:`xiangxi_econ.rules.meaning.pace`);
* a relative ask (income growth :math:`\\ge` GDP growth, rural :math:`>` urban): the prefecture's
  required rates of the two series, on one price basis.

``compared`` is ``above`` (the prefecture asks more of itself than the province's pace), ``within``,
``below`` or ``not_comparable`` (no target, or nominal beside real without ``inflation``).

References
----------
湖南省人民政府, 《2026年湖南省政府工作报告》 (2026-02-03), section 二 "十五五"时期主要目标任务;
National Bureau of Statistics of China: GDP growth at comparable prices, levels at current prices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from .._display import ResultBase, fit
from ..data.plan import Plan
from ..exceptions import UserValueError
from ..i18n import label, series_name, summary_text
from ..maths.prices import real_rate
from ..rules import meaning as _rules
from ..rules import targets as _targets

__all__ = ["ProvinceBeside", "province_beside", "province_targets", "PROVINCE_COLUMNS"]

PROVINCE_COLUMNS = ["series_id", "name_en", "name_zh", "ask", "province_low", "province_high", "pace_unit",
                    "indicator_id", "prefecture_pace", "prefecture_basis", "compared", "note", "note_zh", "quote",
                    "source", "grade"]
"""Columns of :attr:`ProvinceBeside.table`: ``province_low`` / ``province_high`` and ``prefecture_pace`` in
``pace_unit`` (``rate`` [fraction per year], ``pp`` [points a year], ``years`` [years a year])."""


def province_targets() -> pd.DataFrame:
    """The embedded provincial headline targets, one row per ask, with quote, source and grade.

    Columns: ``province, province_zh, plan, series_id, ask`` (``growth_range``, ``level``, ``relative``),
    ``base_year, base_value, base_unit, base_quote, target_year, low, high, unit, price_basis, bound,
    relative_to, quote, note, source, grade``. Growth in percent a year; levels in ``unit``.
    """
    path = resources.files("xiangxi_econ").joinpath("data").joinpath("province_targets.csv")
    with resources.as_file(path) as p:
        frame = pd.read_csv(p, dtype={"relative_to": str, "price_basis": str, "unit": str}, keep_default_na=False)
    for col in ("base_year", "base_value", "target_year", "low", "high"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame


def _first_target(targets: pd.DataFrame, series_id: str) -> Any:
    """The plan's target row for ``series_id`` with a required pace: the first table row, else None."""
    mine = targets[(targets["series_id"] == series_id) & targets["target_value"].notna()]
    mine = mine[mine["kind"] != "growth"] if (mine["kind"] != "growth").any() else mine
    return None if mine.empty else mine.iloc[0]


def _required(row: Any) -> tuple[float, str]:
    """The pace a target needs and its unit: a compound rate for levels, points or years a year otherwise."""
    if row is None:
        return np.nan, ""
    if row["kind"] == "growth":
        return float(row["target_value"]) / 100, "rate"
    if str(row["unit"]) in ("岁", "years", "年"):
        _, pp = _rules.pace(["rate"], [row["base_value"]], [row["target_value"]], [row["years"]])
        return float(pp[0]), "years"
    if row["kind"] in _rules.GEOMETRIC:
        return float(row["required_rate"]), "rate"
    return float(row["required_pace_pp"]), "pp"


def _compare(pace: float, low: float, high: float) -> str:
    if np.isnan(pace) or np.isnan(low):
        return "not_comparable"
    if pace > high + 1e-12:
        return "above"
    return "within" if pace >= low - 1e-12 else "below"


def _row(ask: Any, targets: pd.DataFrame, inflation: float | None) -> dict:
    """One provincial ask beside the prefecture's target."""
    mine = _first_target(targets, ask.series_id)
    pace, pace_unit = _required(mine)
    rec: dict[str, Any] = {"series_id": ask.series_id, "name_en": ask.series_id,
                           "name_zh": series_name(ask.series_id, "zh"), "ask": ask.ask,
                           "province_low": np.nan, "province_high": np.nan, "pace_unit": pace_unit,
                           "indicator_id": "" if mine is None else str(mine["indicator_id"]),
                           "prefecture_pace": pace,
                           "prefecture_basis": "" if mine is None else str(mine["price_basis"]),
                           "compared": "not_comparable", "note": "", "note_zh": "", "quote": ask.quote,
                           "source": ask.source, "grade": ask.grade}
    if mine is not None:
        rec["name_en"], rec["name_zh"] = str(mine["name_en"]), str(mine["name_zh"])
    notes: list[str] = []
    if ask.ask == "growth_range":
        rec.update(province_low=ask.low / 100, province_high=ask.high / 100, pace_unit="rate")
        nominal = mine is not None and rec["prefecture_basis"] == "current" and ask.price_basis == "comparable"
        if nominal and inflation is None:
            notes.append("province_nominal_real")
            pace = np.nan
        elif nominal:
            pace = float(real_rate(pace, inflation))
            rec["prefecture_basis"] = "comparable"
            notes.append("province_real_from_nominal")
        rec["prefecture_pace"] = pace
    elif ask.ask == "level":
        years = float(ask.target_year - ask.base_year)
        _, pp = _rules.pace(["rate"], [ask.base_value], [ask.low], [years])
        rec.update(province_low=float(pp[0]), province_high=float(pp[0]),
                   pace_unit="years" if ask.unit in ("岁", "years") else "pp")
        if mine is not None and rec["pace_unit"] != pace_unit:
            rec["prefecture_pace"] = pace = np.nan
    else:   # relative: the prefecture's own rate of the series it is compared with
        other = _first_target(targets, ask.relative_to)
        other_pace, other_unit = _required(other)
        same_basis = other is not None and mine is not None and other["price_basis"] == mine["price_basis"]
        if same_basis and other_unit == pace_unit == "rate":
            strict = 1e-12 if ask.bound == "above" else 0.0
            rec.update(province_low=other_pace + strict, province_high=np.inf)
        notes.append("province_relative")
    rec["compared"] = _compare(float(rec["prefecture_pace"]), float(rec["province_low"]), float(rec["province_high"]))
    fields = {"inflation": inflation if inflation is not None else np.nan, "what": ask.note}
    rec["note"] = "; ".join(summary_text(k, "en", **fields) for k in notes)
    rec["note_zh"] = "；".join(summary_text(k, "zh", **{**fields, "what": ask.quote.split("，")[-1]}) for k in notes)
    return rec


@dataclass(frozen=True, repr=False)
class ProvinceBeside(ResultBase):
    """Result of :func:`province_beside`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per provincial ask, columns :data:`PROVINCE_COLUMNS`.
    province : str
    source : str
        The document the asks are quoted from.
    base_year, target_year : int
        The prefecture plan's period [year].
    """

    table: pd.DataFrame
    province: str = "Hunan"
    province_zh: str = "湖南省"
    source: str = ""
    base_year: int = 0
    target_year: int = 0
    plan: Any = field(default=None, compare=False)

    def _frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _summary(self, lang: str = "en") -> str:
        zh = lang == "zh"
        head = summary_text("province_head", lang, province=self.province_zh if zh else self.province,
                            plan="“十五五”" if zh else "15th-plan",
                            source="2026年政府工作报告" if zh else "2026 government work report",
                            base=self.base_year, end=self.target_year)
        cols = [summary_text(f"province_col_{c}", lang) for c in ("target", "needs", "compare")]
        lines = [head, "", f"{fit('', 34)} {fit(cols[0], 16)} {fit(cols[1], 16)} {cols[2]}"]
        for r in self.table.itertuples():
            name = r.name_zh if zh else r.name_en
            ask = _shown(r.province_low, r.province_high, r.pace_unit, zh)
            needs = "" if np.isnan(r.prefecture_pace) else _shown(r.prefecture_pace, r.prefecture_pace, r.pace_unit, zh)
            word = summary_text(f"province_{r.compared}" if r.compared != "not_comparable" else
                                "province_not_comparable", lang)
            if not r.indicator_id:
                word = summary_text("province_no_match", lang)
            note = r.note_zh if zh else r.note
            lines.append(f"{fit(name, 34)} {fit(ask, 16)} {fit(needs, 16)} {word}" + (f" ({note})" if note else ""))
        return "\n".join(lines)


def _shown(low: float, high: float, unit: str, zh: bool) -> str:
    """A pace or a range of paces in words."""
    if np.isnan(low):
        return ""
    fmt = {"rate": lambda v: f"{v * 100:.1f}%", "pp": lambda v: f"{v:.2f}pp", "years": lambda v: f"{v:.2f}"}
    f = fmt.get(unit, lambda v: f"{v:.3g}")
    if np.isinf(high):
        return f"≥ {f(low)}"
    return f(low) if abs(high - low) < 1e-12 else f"{f(low)}–{f(high)}"


def province_beside(plan: Plan, inflation: float | None = None, targets: pd.DataFrame | None = None,
                    province: pd.DataFrame | None = None) -> ProvinceBeside:
    """The pace each prefecture target needs beside the province's ask for the same quantity.

    Parameters
    ----------
    plan : Plan
        A prefecture plan (the 15th, based in 2025, compares like for like with the province's asks).
    inflation : float, optional
        GDP deflator growth assumed to set a nominal GDP level target beside the province's real growth
        ask [fraction per year]; without it that comparison is ``not_comparable``, with the reason.
    targets : pandas.DataFrame, optional
        The plan's :func:`~xiangxi_econ.rules.targets.targets_table`, if already computed.
    province : pandas.DataFrame, optional
        Provincial asks in the format of :func:`province_targets`; default the embedded Hunan 15th-plan asks.

    Returns
    -------
    ProvinceBeside
        ``to_frame()``, ``summary(lang="en"|"zh")``.

    Examples
    --------
    The province's urbanisation ask, 63% (2025) to 67.5% (2030), is (67.5 - 63) / 5 = 0.9 points a year:

    >>> import xiangxi_econ as xe
    >>> pb = province_beside(xe.load_plan()).to_frame().set_index("series_id")
    >>> round(float(pb.loc["urbanisation_rate", "province_low"]), 2)
    0.9
    """
    if inflation is not None and (isinstance(inflation, bool) or not isinstance(inflation, (int, float, np.floating))
                                  or not np.isfinite(inflation) or not -0.5 < inflation < 0.5):
        raise UserValueError("inflation", inflation, "expected a deflator growth as a fraction per year, e.g. 0.01")
    asks = province_targets() if province is None else province
    table_ = _targets.targets_table(plan) if targets is None else targets
    rows = [_row(a, table_, None if inflation is None else float(inflation)) for a in asks.itertuples()]
    frame = pd.DataFrame(rows, columns=PROVINCE_COLUMNS)
    first = asks.iloc[0] if len(asks) else None
    return ProvinceBeside(frame, province=str(first["province"]) if first is not None else "",
                          province_zh=str(first["province_zh"]) if first is not None else "",
                          source=str(first["source"]) if first is not None else "",
                          base_year=int(plan.periods.base_year), target_year=int(plan.periods.target_year), plan=plan)


_ = label   # words of the status column come from i18n like every other result
