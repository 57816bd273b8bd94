"""Mid-term and end-of-period evaluation, the way Chinese plan evaluations are done.

Given observed values for some years after the base year, each target is judged by comparing
the share of the target distance completed with the share of the period elapsed (时序进度,
:math:`n/H` after :math:`n` of :math:`H` plan years; "时间过半、任务过半"):

* level, count, share and rate targets: completion :math:`c = (x_t - x_b)/(x^* - x_b)` (shares in
  percentage points); pace still required for the remaining years :math:`(x^*/x_t)^{1/(T-t)} - 1`
  (geometric kinds) or :math:`(x^* - x_t)/(T-t)` pp a year;
* average-growth targets (``kind='growth'``; observed values are annual growth rates in percent):
  :math:`c = (\\prod_i (1+g_i) - 1)/((1+g^*)^H - 1)` and the catch-up rate
  :math:`((1+g^*)^H / \\prod_i (1+g_i))^{1/(H-n)} - 1`;
* five-year totals (observed values are the annual flows): :math:`c = \\sum_i f_i / x^*` and the
  average flow still required.

Status words follow national mid-term reviews: 提前实现 (``met_early``, the target is already
reached), 快于预期 (``ahead``, :math:`c \\ge 1.1\\,n/H`), 基本符合预期 (``in_line``,
:math:`0.9\\,n/H \\le c < 1.1\\,n/H`), 滞后 (``lagging``, :math:`c < 0.9\\,n/H`). The ±10% band
around the time share is this library's convention (the reviews publish the words, not cut-offs).
At the end of the period the status is ``met`` or ``not_met``. A ceiling on something allowed to
grow (an "at most" quota or cap above the baseline) has no completion to compare with the time
elapsed: it is ``within_ceiling`` (未超上限) or ``breached`` (已超上限) until the end. Average-growth
and five-year-total targets need every year from the base year on; a gap is an error.

References
----------
National Development and Reform Commission, mid-term evaluation reports of the 13th Five-Year
Plan outline (verdict words and the time-elapsed share); UN ESCAP, *Asia and the Pacific SDG
Progress Report*, Current Status Index (completion against time elapsed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from . import targets as _targets
from ._display import ResultBase, fit
from .i18n import label
from .plan import Plan
from .schema import PP_KINDS
from .verdicts import lower_is_better

BAND = 0.10
"""Half-width of the 'broadly in line' band around the time-elapsed share (relative)."""

#: Status codes of :func:`evaluate_progress`; labels in :data:`xiangxi_econ.i18n.LABELS`.
STATUSES = ("met_early", "ahead", "in_line", "lagging", "met", "not_met", "within_ceiling", "breached",
            "not_assessable")

_COLUMNS = ["indicator_id", "name_en", "name_zh", "kind", "unit", "base_year", "base_value", "target_year",
            "target_value", "bound", "attribute", "latest_year", "latest_value", "time_share", "completion",
            "remaining_rate", "remaining_pace_pp", "remaining_flow", "status"]


def _observed_frame(observed, plan: Plan) -> pd.DataFrame:
    """Normalise observations to columns indicator_id, year, value."""
    if isinstance(observed, Mapping):
        rows = [(ident, int(year), value) for ident, series in observed.items() for year, value in series.items()]
        frame = pd.DataFrame(rows, columns=["indicator_id", "year", "value"])
    elif isinstance(observed, pd.DataFrame):
        missing = {"indicator_id", "year", "value"} - set(observed.columns)
        if missing:
            raise ValueError(f"observed: missing column(s) {sorted(missing)}; expected indicator_id, year, value")
        frame = observed[["indicator_id", "year", "value"]].copy()
    else:
        raise TypeError("observed must be a DataFrame (indicator_id, year, value) or a dict "
                        "{indicator_id: {year: value}}")
    known = set(plan.indicators["indicator_id"])
    unknown = sorted(set(frame["indicator_id"]) - known)
    if unknown:
        raise ValueError(f"observed: unknown indicator_id(s) {', '.join(map(str, unknown))}")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["year"] = frame["year"].astype(int)
    return frame


def _empty_record(row: Any) -> dict:
    return {"indicator_id": row.indicator_id, "name_en": row.name_en, "name_zh": row.name_zh, "kind": row.kind,
            "unit": row.unit, "base_year": row.base_year, "base_value": row.base_value,
            "target_year": row.target_year, "target_value": row.target_value, "bound": row.bound,
            "attribute": row.attribute, "latest_year": np.nan, "latest_value": np.nan, "time_share": np.nan,
            "completion": np.nan, "remaining_rate": np.nan, "remaining_pace_pp": np.nan,
            "remaining_flow": np.nan, "status": "not_assessable"}


def _check_every_year(row: Any, years: pd.Series, latest_year: int) -> None:
    """Average-growth and five-year-total targets need every year from the base year on."""
    missing = sorted(set(range(int(row.base_year) + 1, latest_year + 1)) - set(years.astype(int)))
    if missing:
        what = "growth" if row.kind == "growth" else "five-year total"
        raise ValueError(f"observed[{row.indicator_id!r}]: a {what} target needs every year from "
                         f"{int(row.base_year) + 1} to {latest_year}; missing {', '.join(map(str, missing))}")


def _ceiling(row: Any, values: np.ndarray, left: int, rec: dict) -> None:
    """A ceiling on something allowed to grow: within it or breached, no completion share."""
    target = row.target_value
    value = values.sum() if row.kind == "cumulative" else values[-1]
    rec.update(latest_value=value, completion=value / target if target else np.nan)
    if row.kind == "cumulative" and left > 0:
        rec["remaining_flow"] = (target - value) / left
    breached = value > target + 1e-9
    if left == 0:
        rec["status"] = "not_met" if breached else "met"
    else:
        rec["status"] = "breached" if breached else "within_ceiling"


def _completion(row: Any, values: np.ndarray, left: int, lower_better: bool, rec: dict) -> tuple[float, bool]:
    """Completion share and whether the target is met, by kind; fills the pace still required."""
    target, horizon = row.target_value, float(row.target_year - row.base_year)
    if row.kind == "growth":
        factor = float(np.prod(1 + values / 100))
        required = (1 + target / 100) ** horizon
        rec["latest_value"] = factor
        if left > 0:
            rec["remaining_rate"] = (required / factor) ** (1 / left) - 1
        return (factor - 1) / (required - 1), bool(factor >= required) if left == 0 else False
    if row.kind == "cumulative":
        done = float(values.sum())
        rec["latest_value"] = done
        if left > 0:
            rec["remaining_flow"] = (target - done) / left
        return done / target, bool(done <= target if lower_better else done >= target)
    x_t, base = float(values[-1]), row.base_value
    rec["latest_value"] = x_t
    if left > 0:
        if row.kind in PP_KINDS:
            rec["remaining_pace_pp"] = (target - x_t) / left
        elif x_t > 0:
            rec["remaining_rate"] = (target / x_t) ** (1 / left) - 1
    completion = (x_t - base) / (target - base) if target != base and not pd.isna(base) else np.nan
    return completion, bool(x_t <= target if lower_better else x_t >= target)


def _status(completion: float, met: bool, share: float, left: int, band: float) -> str:
    """时序进度 status words from completion against the time-elapsed share."""
    if left == 0:
        return "met" if met else "not_met"
    if met:
        return "met_early"
    if pd.isna(completion):
        return "not_assessable"
    if completion >= share * (1 + band):
        return "ahead"
    if completion >= share * (1 - band):
        return "in_line"
    return "lagging"


def _evaluate_row(row: Any, mine: pd.DataFrame, band: float) -> dict:
    """Evaluate one target against its observations after the base year."""
    rec = _empty_record(row)
    if mine.empty or pd.isna(row.target_value):
        return rec
    latest_year = int(mine["year"].iloc[-1])
    n = latest_year - row.base_year
    left = int(row.target_year - latest_year)
    values = mine["value"].to_numpy(float)
    if row.kind in ("growth", "cumulative"):
        _check_every_year(row, mine["year"], latest_year)
    share = n / float(row.target_year - row.base_year)
    rec.update(latest_year=latest_year, time_share=share)
    # a ceiling on something allowed to grow (a quota, a cap above the baseline): staying under it
    # is the whole test, so there is no 'completion' to compare with the time elapsed
    if row.bound == "at_most" and (row.kind == "cumulative" or pd.isna(row.base_value)
                                   or row.base_value <= row.target_value):
        _ceiling(row, values, left, rec)
        return rec
    lower_better = bool(lower_is_better([row.bound], [row.direction])[0])
    completion, met = _completion(row, values, left, lower_better, rec)
    rec["completion"] = completion
    rec["status"] = _status(completion, met, share, left, band)
    return rec


@dataclass(frozen=True, repr=False)
class ProgressEvaluation(ResultBase):
    """Result of :func:`evaluate_progress`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per evaluated target: ``latest_year``, ``latest_value`` [unit; for growth targets
        the cumulated growth factor], ``time_share`` (n/H), ``completion``,
        ``completion_vs_time`` (completion / time share), ``remaining_rate`` [fraction per year]
        or ``remaining_pace_pp`` [pp per year] or ``remaining_flow`` [unit per year], ``status``,
        ``status_zh``.
    """

    table: pd.DataFrame

    def _frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _plot(self, ax=None, lang: str | None = None):
        """Completion against time elapsed (:func:`~xiangxi_econ.plotting.plot_progress`)."""
        from .plotting import plot_progress

        return plot_progress(self.to_frame(), ax=ax, lang=self._lang(lang))

    def _summary(self, lang: str = "en") -> str:
        t = self.table
        lines = [f"Progress evaluation: {len(t)} targets", ""]
        lines.append(f"{'indicator':38} {'as of':>5} {'time':>6} {'done':>7}  status")
        for r in t.itertuples():
            done = "" if pd.isna(r.completion) else f"{r.completion:.0%}"
            lines.append(f"{fit(r.name_en, 38)} {r.latest_year:>5} {r.time_share:>6.0%} {done:>7}  "
                         f"{label(r.status, 'en')} ({label(r.status, 'zh')})")
        return "\n".join(lines)


def evaluate_progress(plan: Plan, observed, band: float = BAND) -> ProgressEvaluation:
    """Completion of each target against the share of the plan period elapsed.

    Parameters
    ----------
    plan : Plan
    observed : DataFrame or dict
        Values observed after the base year: a DataFrame with columns ``indicator_id``, ``year``,
        ``value`` or a dict ``{indicator_id: {year: value}}``. Values are in the indicator's unit;
        for ``growth`` targets they are annual growth rates in percent; for ``cumulative`` targets,
        the annual flows.
    band : float
        Relative half-width of the 'in line' band around the time share [fraction].

    Returns
    -------
    ProgressEvaluation

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> ev = xe.evaluate_progress(xe.load_plan(), {"urbanisation_rate": {2023: 52.0}})
    >>> row = ev.to_frame().iloc[0]
    >>> float(round(row["completion"], 2)), float(round(row["time_share"], 2)), row["status"]
    (0.4, 0.6, 'lagging')
    """
    obs = _observed_frame(observed, plan)
    targets = plan.indicators[plan.indicators["indicator_id"].isin(obs["indicator_id"])].reset_index(drop=True)
    targets = _targets.resolve_baselines(targets, plan)
    records = []
    for row in targets.itertuples():
        mine = obs[(obs["indicator_id"] == row.indicator_id) & (obs["year"] > row.base_year)
                   & (obs["year"] <= row.target_year)].sort_values("year")
        records.append(_evaluate_row(row, mine, band))
    table = pd.DataFrame.from_records(records, columns=_COLUMNS)
    table["completion_vs_time"] = table["completion"] / table["time_share"]
    table["status_zh"] = [label(s, "zh") for s in table["status"]]
    return ProgressEvaluation(table)
