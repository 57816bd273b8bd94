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
At the end of the period (终期评估) the status is ``met`` (达到), ``exceeded`` (超额完成: past the
target in the desired direction by more than :data:`EXCEEDED_MARGIN` of the distance from the
baseline — this library's convention) or ``not_met`` (未达到). A ceiling on something allowed to
grow (an "at most" quota or cap above the baseline) has no completion to compare with the time
elapsed: it is ``within_ceiling`` (未超上限) or ``breached`` (已超上限) until the end. Average-growth
and five-year-total targets need every year from the base year on; a gap is an error.

Beside the completion stand the pace achieved from the base year to the latest outcome (compound
growth of levels, pp a year of shares), the pace the target required and the pace of the history
window before the plan, all on the target's price basis (:func:`~xiangxi_econ.rules.targets.targets_table`),
and their ratio. A target whose series breaks between the base year and the outcome (a change of
statistical method or definition, :mod:`xiangxi_econ.data.observed`) is ``not_comparable`` with the
reason, never "missed". Targets without an outcome are listed in ``ProgressEvaluation.missing``.

References
----------
National Development and Reform Commission, mid-term evaluation reports of the 13th Five-Year
Plan outline (verdict words and the time-elapsed share); UN ESCAP, *Asia and the Pacific SDG
Progress Report*, Current Status Index (completion against time elapsed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._display import ResultBase, charts, fit
from .._format import fit_right
from ..data.plan import Plan
from ..exceptions import UserValueError
from ..i18n import label, series_name, summary_text
from ..rules import meaning as _rules
from ..rules import targets as _targets
from ..rules.historical import abnormal_base
from ..rules.verdicts import growth_ratio
from ..rules.windows import DEFAULT_BREAK_SIZE, break_window
from ..schema import PP_KINDS
from .outcomes import baseline_notes, target_outcomes

#: Break kinds that revise how a quantity is measured (a census re-base, a revised vintage): the
#: target-year figure is the official value of the targeted quantity, so a verdict on the level stands;
#: only comparisons with the baseline (completion, pace) cross the break, and say so.
REVISIONS = ("census_revision", "rebase", "revision")



BAND = 0.10
"""Half-width of the 'broadly in line' band around the time-elapsed share (relative)."""

EXCEEDED_MARGIN = 0.05
"""Share of the distance from baseline to target by which an outcome must pass the target to count
as exceeded (超额完成) rather than met (达到); this library's convention."""

#: Status codes of :func:`evaluate_progress`; labels in :data:`xiangxi_econ.i18n.LABELS`.
STATUSES = ("met_early", "ahead", "in_line", "lagging", "met", "exceeded", "not_met", "within_ceiling",
            "breached", "not_comparable", "not_assessable")

_COLUMNS = ["indicator_id", "series_id", "name_en", "name_zh", "kind", "unit", "price_basis", "base_year",
            "base_value", "target_year", "target_value", "bound", "direction", "attribute", "latest_year",
            "latest_value", "time_share", "completion", "remaining_rate", "remaining_pace_pp", "remaining_flow",
            "status"]


def _empty_record(row: Any) -> dict:
    return {"indicator_id": row.indicator_id, "series_id": row.series_id, "name_en": row.name_en,
            "name_zh": row.name_zh, "kind": row.kind, "unit": row.unit, "price_basis": row.price_basis,
            "base_year": row.base_year, "base_value": row.base_value, "target_year": row.target_year,
            "target_value": row.target_value, "bound": row.bound, "direction": row.direction,
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
    breached = not bool(_rules.meets(value, target, "at_most", row.direction))
    if left == 0:
        rec["status"] = "not_met" if breached else "met"
    else:
        rec["status"] = "breached" if breached else "within_ceiling"


def _completion(row: Any, values: np.ndarray, left: int, rec: dict) -> tuple[float, bool]:
    """Completion share and whether the target is met, by kind (:mod:`xiangxi_econ.rules.meaning`); fills the
    pace still required."""
    target, horizon = row.target_value, int(row.target_year - row.base_year)
    if row.kind == "growth":
        factor = _rules.cumulated_factor(values)
        required = _rules.cumulated_factor([target] * horizon)
        rec["latest_value"] = factor
        if left > 0:
            rec["remaining_rate"] = float(_rules.annualise(required / factor, left))
        achieved = float(_rules.annualise(factor, len(values)))
        met = bool(_rules.meets(achieved, target / 100, row.bound, row.direction))
        return (factor - 1) / (required - 1), met if left == 0 else False
    if row.kind == "cumulative":
        done = float(values.sum())
        rec["latest_value"] = done
        if left > 0:
            rec["remaining_flow"] = (target - done) / left
        return done / target, bool(_rules.meets(done, target, row.bound, row.direction))
    x_t, base = float(values[-1]), row.base_value
    rec["latest_value"] = x_t
    if left > 0:
        rate, pp = _rules.remaining_pace([row.kind], [x_t], [target], [left])
        rec["remaining_rate"], rec["remaining_pace_pp"] = float(rate[0]), float(pp[0])
    completion = float(_rules.completion([row.kind], [base], [x_t], [target])[0])
    return completion, bool(_rules.meets(x_t, target, row.bound, row.direction))


def _status(completion: float, met: bool, share: float, left: int, band: float) -> str:
    """时序进度 status words from completion against the time-elapsed share."""
    if left == 0:
        if met and not pd.isna(completion) and completion > 1 + EXCEEDED_MARGIN:
            return "exceeded"
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
    if row.kind in ("growth", "cumulative") and not mine["method"].isin(("levels",)).any():
        _check_every_year(row, mine["year"], latest_year)
    share = n / float(row.target_year - row.base_year)
    rec.update(latest_year=latest_year, time_share=share)
    method = str(mine["method"].iloc[-1]) if "method" in mine else "published"
    if method in ("bound", "levels"):
        return _from_derived(row, float(values[-1]), method, left, rec)
    # a ceiling on something allowed to grow (a quota, a cap above the baseline): staying under it
    # is the whole test, so there is no 'completion' to compare with the time elapsed
    if _rules.is_ceiling([row.kind], [row.bound], [row.base_value], [row.target_value])[0]:
        _ceiling(row, values, left, rec)
        return rec
    completion, met = _completion(row, values, left, rec)
    rec["completion"] = completion
    rec["status"] = _status(completion, met, share, left, band)
    return rec


def _from_derived(row: Any, value: float, method: str, left: int, rec: dict) -> dict:
    """A bound (the published whole a share is part of) or an average growth from levels at both ends."""
    rec["latest_value"] = value
    if method == "levels":   # the achieved average rate [percent per year]
        met = bool(_rules.meets(value, row.target_value, row.bound, row.direction))
        rec["status"] = ("met" if met else "not_met") if left == 0 else "not_assessable"
        return rec
    # an upper bound: a target above it cannot have been reached, whatever the part's true value
    above = _rules.bound_side([row.bound], [row.direction])[0] > 0 and row.target_value > value
    rec["status"] = "not_met" if above else "not_assessable"
    return rec


@dataclass(frozen=True, repr=False)
class ProgressEvaluation(ResultBase):
    """Result of :func:`evaluate_progress`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per target with an outcome: ``latest_year``, ``latest_value`` [unit; for growth
        targets the cumulated growth factor], ``latest_source``, ``latest_grade``, ``time_share``
        (n/H), ``completion`` (share of the distance covered, 水平法), ``completion_vs_time``,
        ``remaining_rate`` [fraction per year] or ``remaining_pace_pp`` [pp per year] or
        ``remaining_flow`` [unit per year], ``achieved_rate`` / ``achieved_pace_pp`` (from the base
        year), ``required_rate`` / ``required_pace_pp``, ``historical_rate`` /
        ``historical_pace_pp`` (the history window), ``delivery_ratio`` (achieved / required),
        ``status``, ``status_zh``, ``reason`` (why not comparable), ``baseline_note`` / ``baseline_note_zh`` (the
        plan's baseline against the published figure), ``attribute`` (binding 约束性 / anticipatory 预期性).
    missing : pandas.DataFrame
        Numeric targets without an outcome: ``indicator_id, reason, name_en, name_zh, attribute``.
    as_of_year : int or None
        The review year asked for [year].
    """

    table: pd.DataFrame
    missing: pd.DataFrame = field(default_factory=pd.DataFrame)
    as_of_year: int | None = None
    plan: Any = field(default=None, compare=False)
    targets: Any = field(default=None, compare=False)

    def _frame(self) -> pd.DataFrame:
        """One row per target: a target the plan states twice appears once, its other statement in
        ``also_stated_as``."""
        shown = self.table
        return shown[~shown["stated_twice"].astype(bool)].reset_index(drop=True)

    def _plot(self, ax=None, indicator_id: str | None = None, lang: str | None = None):
        """Completion against time elapsed (:func:`~xiangxi_econ.face.plotting.plot_progress`), or with
        ``indicator_id`` the observed path against the plan path and the ex-ante trend
        (:func:`~xiangxi_econ.face.plotting.plot_outcome_path`)."""
        plotting = charts()
        plot_outcome_path, plot_progress = plotting.plot_outcome_path, plotting.plot_progress

        if indicator_id is not None:
            if self.plan is None:
                raise ValueError("this evaluation carries no plan; use xe.plot.plot_outcome_path(plan, indicator_id)")
            from .paths import target_paths

            return plot_outcome_path(self.plan, indicator_id, ax=ax, lang=self._lang(lang), targets=self.targets,
                                     paths=target_paths(self.targets, indicator_id))
        return plot_progress(self.to_frame(), ax=ax, lang=self._lang(lang))

    def counts(self) -> pd.DataFrame:
        """Targets by status, binding (约束性) and the rest, each target counted once."""
        t = self.table[~self.table["stated_twice"]]
        t = t.assign(binding=t["attribute"] == "binding")
        return t.pivot_table(index="status", columns="binding", values="indicator_id", aggfunc="count",
                             fill_value=0).rename(columns={True: "binding", False: "other"})

    def _summary(self, lang: str = "en") -> str:
        t = self.table[~self.table["stated_twice"]]
        zh = lang == "zh"
        counts = t["status"].value_counts()
        words = summary_text("comma_sep", lang).join(f"{label(k, lang)} {v}" for k, v in counts.items())
        restated = self.missing["stated_twice"].astype(bool) if "stated_twice" in self.missing else None
        n_missing = len(self.missing) if restated is None else int((~restated).sum())
        twice = len(self.table) - len(t) + len(self.missing) - n_missing
        note = summary_text("progress_twice", lang, n=twice) if twice else ""
        head = summary_text("progress_head", lang, n=len(t), words=words, missing=n_missing, note=note)
        lines = [head, ""]
        col = {c: summary_text(f"progress_col_{c}", lang) for c in ("indicator", "as_of", "time", "done", "status")}
        lines.append(f"{fit(col['indicator'], 38)} {fit_right(col['as_of'], 5)} {fit_right(col['time'], 6)} "
                     f"{fit_right(col['done'], 7)}  {col['status']}")
        order = t.assign(_b=t["attribute"] != "binding").sort_values("_b", kind="stable")
        for r in order.itertuples():
            done = "" if pd.isna(r.completion) else f"{r.completion:.0%}"
            mark = "*" if r.attribute == "binding" else " "
            name = r.name_zh if zh else r.name_en
            lines.append(f"{fit(name, 37)}{mark} {r.latest_year:>5} {r.time_share:>6.0%} {done:>7}  "
                         f"{label(r.status, lang)}")
        if (t["attribute"] == "binding").any():
            lines.append("* " + summary_text("progress_binding", lang))
        return "\n".join(lines)


def evaluate_progress(plan: Plan, observed: Any = None, band: float = BAND,
                      as_of_year: int | None = None, targets: pd.DataFrame | None = None,
                      break_size: float = DEFAULT_BREAK_SIZE) -> ProgressEvaluation:
    """Completion of each target against the share of the plan period elapsed; at the end of the
    period, whether it was met (终期评估).

    Parameters
    ----------
    plan : Plan
    observed : DataFrame, dict or Observations, optional
        A user's outcomes merged on top of the plan's published ones (``plan.observations``): a
        DataFrame ``indicator_id, year, value``, a dict ``{indicator_id: {year: value}}`` or
        :func:`~xiangxi_econ.read_observations` of a file. Values in the indicator's unit; for
        ``growth`` targets annual growth rates in percent; for ``cumulative`` targets the annual flows.
    band : float
        Relative half-width of the 'in line' band around the time share [fraction].
    as_of_year : int, optional
        Judge with the outcomes up to this year (a mid-term review) [year]; default: all.
    targets : pandas.DataFrame, optional
        The plan's :func:`~xiangxi_econ.rules.targets.targets_table`, if already computed.

    Returns
    -------
    ProgressEvaluation
        ``table``: one row per target with an outcome; ``missing``: the others with the reason.

    Raises
    ------
    ValueError
        For a user's value in a year outside the target's plan period, a share given as a fraction
        or a level a thousand times off its baseline (a unit slip).

    Examples
    --------
    End of the 14th plan with the 2025 bulletin: GDP 889.5亿元 against 1000, (889.5 - 725.11) /
    (1000 - 725.11) = 59.8% of the distance; urbanisation 55.24% against 55%:

    >>> import xiangxi_econ as xe
    >>> ev = xe.evaluate_progress(xe.load_plan()).to_frame().set_index("indicator_id")
    >>> ev.loc["gdp", "status"], round(float(ev.loc["gdp", "completion"]), 3)
    ('not_met', 0.598)
    >>> ev.loc["urbanisation_rate", "status"]
    'met'

    A mid-term review with one value of one's own:

    >>> mid = xe.evaluate_progress(xe.load_plan(), {"urbanisation_rate": {2023: 52.0}}, as_of_year=2023)
    >>> row = mid.to_frame().set_index("indicator_id").loc["urbanisation_rate"]
    >>> float(round(row["completion"], 2)), float(round(row["time_share"], 2)), row["status"]
    (0.4, 0.6, 'lagging')
    """
    as_of_year = _as_of(as_of_year)
    if not isinstance(band, (int, float, np.integer, np.floating)) or not np.isfinite(band) or not 0 <= band < 1:
        raise UserValueError("band", band, "expected a relative half-width between 0 and 1 (0.10 for ±10%)")
    targets_table = _targets.targets_table(plan) if targets is None else targets
    outcomes, missing = target_outcomes(plan, observed, as_of_year)
    rows = _targets.resolve_baselines(_targets.numeric_target_rows(plan), plan)
    rows = rows[rows["indicator_id"].isin(outcomes["indicator_id"])].reset_index(drop=True)
    by_id = dict(tuple(outcomes.groupby("indicator_id", sort=False)))
    records = []
    for row in rows.itertuples():
        mine, readings = _one_reading(by_id[row.indicator_id])
        if row.kind in ("growth", "cumulative") and not mine["origin"].isin(("user", "derived")).any():
            years = set(mine["year"].astype(int))
            if set(range(int(row.base_year) + 1, int(mine["year"].max()) + 1)) - years:
                missing.loc[len(missing)] = (row.indicator_id, summary_text("progress_missing_gaps", "en"),
                                             summary_text("progress_missing_gaps", "zh"))
                continue
        rec = _evaluate_row(row, mine, band)
        last = mine.iloc[-1]
        rec.update(latest_source=str(last["source"]), latest_grade=str(last["grade"]),
                   outcome_method=str(last["method"]), outcome_formula=str(last["formula"]),
                   outcome_formula_zh=str(last["formula_zh"]), readings=readings)
        records.append(rec)
    extra = ["latest_source", "latest_grade", "outcome_method", "outcome_formula", "outcome_formula_zh", "readings"]
    table = pd.DataFrame.from_records(records, columns=[*_COLUMNS, *extra])
    table = _with_paces(table, targets_table)
    # an upper bound is not the outcome: no pace or completion is computed from it
    bounded = (table["outcome_method"] == "bound").to_numpy(bool)
    table.loc[bounded, ["achieved_rate", "achieved_pace_pp", "delivery_ratio", "completion"]] = np.nan
    table["baseline_note"] = baseline_notes(plan, table).to_numpy() if len(table) else []
    table["baseline_note_zh"] = baseline_notes(plan, table, "zh").to_numpy() if len(table) else []
    table = _with_breaks(plan, table, break_size)
    table = _with_abnormal_base(plan, table)
    table = _with_readings(plan, table)
    table = _with_stated_rates(plan, table, as_of_year)
    table["completion_vs_time"] = table["completion"] / table["time_share"]
    table["status_zh"] = [label(s, "zh") for s in table["status"]]
    table["stated_twice"] = _targets.stated_twice(table).to_numpy(bool) if len(table) else np.zeros(0, bool)
    table["also_stated_as"] = _also_stated(table, plan)
    ind = plan.indicators.set_index("indicator_id")
    twice_ids = targets_table.loc[targets_table["stated_twice"].astype(bool), "indicator_id"] \
        if "stated_twice" in targets_table else pd.Series(dtype=object)
    missing = missing.assign(name_en=missing["indicator_id"].map(ind["name_en"]),
                             name_zh=missing["indicator_id"].map(ind["name_zh"]),
                             attribute=missing["indicator_id"].map(ind["attribute"]),
                             stated_twice=missing["indicator_id"].isin(twice_ids))
    return ProgressEvaluation(table, missing.reset_index(drop=True), as_of_year, plan, targets_table)


def _as_of(as_of_year: Any) -> int | None:
    """``as_of_year`` as a whole year, or a :class:`~xiangxi_econ.exceptions.UserValueError` naming it."""
    if as_of_year is None:
        return None
    if isinstance(as_of_year, bool) or not isinstance(as_of_year, (int, float, np.integer, np.floating)) \
            or not np.isfinite(as_of_year) or float(as_of_year) != int(as_of_year) or not 1900 <= as_of_year <= 2200:
        raise UserValueError("as_of_year", as_of_year, "expected a whole calendar year such as 2023, or None "
                             "for every published outcome")
    return int(as_of_year)


def _with_abnormal_base(plan: Plan, table: pd.DataFrame) -> pd.DataFrame:
    """Flag a pace achieved from an abnormal base year (:func:`xiangxi_econ.rules.historical.abnormal_base`):
    ``base_note`` / ``base_note_zh``, also appended to the caveat. Only where a pace is shown and the
    baseline is the published trough itself (the plan's own figure on another basis is not)."""
    if not len(table):
        return table.assign(abnormal_base=[], base_note=[], base_note_zh=[])
    scale = np.array([float(plan.units.scale(u)) if u in plan.units else np.nan for u in table["unit"]])
    ab = abnormal_base(plan, table["series_id"], table["base_year"].astype(int),
                       table["base_value"].to_numpy(float) * scale)
    shown = table["achieved_rate"].notna().to_numpy(bool) | table["achieved_pace_pp"].notna().to_numpy(bool)
    flag = ab["abnormal"].to_numpy(bool) & shown
    out = table.assign(abnormal_base=flag, base_note=np.where(flag, ab["note"], ""),
                       base_note_zh=np.where(flag, ab["note_zh"], ""))
    for col, note in (("caveat", "base_note"), ("caveat_zh", "base_note_zh")):
        sep = summary_text("list_sep", "zh" if col.endswith("zh") else "en")
        out[col] = [f"{c}{sep}{n}" if c and n else c or n for c, n in zip(out[col], out[note], strict=True)]
    return out


def _one_reading(mine: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The outcomes of one target with one value per year: where two identities read it (a fiscal
    revenue share from 一般公共预算收入 or from 税收收入), the first reading is kept and every reading
    is listed (``reading value``)."""
    mine = mine.sort_values("year", kind="stable")
    derived = mine[mine["method"] == "identity"]
    if derived["reading"].nunique() <= 1:
        return mine.drop_duplicates("year", keep="first"), ""
    last = derived[derived["year"] == derived["year"].max()]
    readings = "; ".join(f"{r.reading}: {r.value:.4g}" for r in last.itertuples())
    return mine.drop_duplicates("year", keep="first"), readings


def _also_stated(table: pd.DataFrame, plan: Plan) -> list[str]:
    """For the first row of a target the plan states twice, the other rows' ids and sources."""
    if not len(table):
        return []
    src = plan.indicators.set_index("indicator_id")["source"]
    key = table[["series_id", "target_year", "target_value"]].astype(str).agg("|".join, axis=1)
    out = []
    for i, k in enumerate(key):
        if table["stated_twice"].iloc[i]:
            out.append("")
            continue
        others = table.loc[(key == k) & table["stated_twice"], "indicator_id"]
        out.append(", ".join(f"{o} ({src.get(o, '')})" for o in others))
    return out


def _with_paces(table: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Pace achieved from the base year to the latest outcome beside the required and historical pace."""
    t = targets.set_index("indicator_id")
    kind = table["kind"].to_numpy(str)
    years = (table["latest_year"] - table["base_year"]).to_numpy(float)
    latest = table["latest_value"].to_numpy(float)
    rate, pace = _rules.pace(np.where(kind == "cumulative", "", kind), table["base_value"], latest, years)
    growth = kind == "growth"
    from_levels = table["outcome_method"].to_numpy(str) == "levels"   # already an achieved rate [%]
    rate[growth] = np.where(from_levels[growth], latest[growth] / 100, _rules.annualise(latest[growth], years[growth]))
    pp = np.isin(kind, PP_KINDS)
    ids = table["indicator_id"]
    out = table.assign(
        achieved_rate=np.where(pp, np.nan, rate), achieved_pace_pp=pace,
        required_rate=ids.map(t["required_rate"]).to_numpy(float),
        required_pace_pp=ids.map(t["required_pace_pp"]).to_numpy(float),
        historical_rate=ids.map(t["historical_rate"]).to_numpy(float),
        historical_pace_pp=ids.map(t["historical_pace_pp"]).to_numpy(float))
    achieved = np.where(pp, out["achieved_pace_pp"], out["achieved_rate"]).astype(float)
    required = np.where(pp, out["required_pace_pp"], out["required_rate"]).astype(float)
    out["delivery_ratio"] = growth_ratio(achieved, required, out["direction"])
    return out


def _flip_size(value: float, target: float) -> float:
    """The relative change of the outcome that would flip its verdict: :math:`x^*/x - 1`."""
    return target / value - 1 if value and not pd.isna(value) else np.nan


def _with_breaks(plan: Plan, table: pd.DataFrame, break_size: float = DEFAULT_BREAK_SIZE) -> pd.DataFrame:
    """One rule for a break between the base year and the outcome (:mod:`xiangxi_econ.rules.windows`).

    * revisions of measurement (:data:`REVISIONS`): the verdict stands; completion and pace are
      computed with the caveat that they cross the break, and the caveat says how far the re-base
      moved the base-year figure (the published base-year figure on the new basis against the plan's
      baseline) or that the record does not say;
    * changes of definition or method: no completion or pace across the break, at mid-term or at the
      end alike; a mid-term status (ahead, in line, lagging) rests on the completion, so it becomes
      ``not_comparable`` too. A decided verdict (met, missed, met early, within or over a ceiling)
      stands when the outcome misses (or meets) the target by more than the break could plausibly
      change it (``breaks.size`` where measured, else ``break_size``), with the size that would flip
      it; otherwise ``not_comparable``.

    A derived outcome carries the breaks of its input series (tourism revenue for spending per
    visitor): an input's base-year figure printed by the plan on the old basis (it differs from the
    published one) puts the target on the old basis.
    """
    breaks = plan.observations.breaks
    inputs = _input_series(table)
    caveat, caveat_zh, flip, broken = [], [], [], []
    for i, r in enumerate(table.itertuples()):
        windows = [break_window(breaks, s, int(r.base_year), int(r.latest_year),
                                start_printed_before=_printed_before(plan, s, int(r.base_year), r))
                   for s in inputs[i]]
        found = [w for w in windows if w.crosses]
        en = summary_text("list_sep", "en").join(w.describe("en") for w in found)
        zh = summary_text("list_sep", "zh").join(w.describe("zh") for w in found)
        kinds = {k for w in found for k in w.kinds}
        size = max([b for w in found for b in w.breaks["size"].dropna()] + [np.nan]) if found and \
            "size" in breaks else np.nan
        plausible = break_size if pd.isna(size) else abs(float(size))
        f = _flip_size(r.latest_value, r.target_value) if r.outcome_method != "levels" else np.nan
        definitional = bool(kinds - set(REVISIONS))
        decided = r.status in DECIDED
        could_flip = definitional and decided and not (abs(f) > plausible if not pd.isna(f) else False) \
            and r.outcome_method != "bound"
        flip.append(f if definitional and decided else np.nan)
        broken.append(definitional and (could_flip or not decided) and r.outcome_method != "bound")
        if not found:
            caveat.append("")
            caveat_zh.append("")
            continue
        key = "progress_break_" + ("could_flip" if could_flip else "midterm" if definitional and not decided
                                   else "definitional" if definitional else "revision")
        fields = {"margin": abs(f), "flip": f, "plausible": plausible}
        derived = [s for s in inputs[i] if s != r.series_id]
        for lang, words, out in (("en", en, caveat), ("zh", zh, caveat_zh)):
            text_ = summary_text(key, lang, breaks=words, **fields)
            if not definitional:
                text_ += _rebase_moved(plan, r, lang)
            if derived:
                text_ = summary_text("progress_input_breaks", lang, inputs=summary_text("comma_sep", lang).join(
                    derived if lang == "en" else [series_name(s, "zh") for s in derived])) + text_
            out.append(text_)
    out = table.assign(caveat=caveat, caveat_zh=caveat_zh, flip_size=np.asarray(flip, dtype=float))
    out["reason"] = np.where(broken, out["caveat"], "")
    across = ["completion", "achieved_rate", "achieved_pace_pp", "delivery_ratio", "remaining_rate",
              "remaining_pace_pp", "remaining_flow"]
    # no completion or pace wherever a change of definition or method lies between base and outcome
    definitional_rows = np.array([bool(set(k) - set(REVISIONS)) for k in _kinds_between(plan, table, inputs)],
                                 dtype=bool) if len(table) else np.zeros(0, bool)
    out.loc[definitional_rows, across] = np.nan
    out.loc[np.asarray(broken, dtype=bool), "status"] = "not_comparable"
    return out


#: Statuses that state a verdict on the level itself rather than on the completion share.
DECIDED = ("met", "exceeded", "not_met", "breached", "within_ceiling", "met_early")


def _kinds_between(plan: Plan, table: pd.DataFrame, inputs: list[list[str]]) -> list[tuple[str, ...]]:
    """The kinds of the breaks between each row's base year and outcome, over its input series."""
    breaks = plan.observations.breaks
    return [tuple(k for s in inputs[i] for k in break_window(
        breaks, s, int(r.base_year), int(r.latest_year),
        start_printed_before=_printed_before(plan, s, int(r.base_year), r)).kinds)
        for i, r in enumerate(table.itertuples())]


def _rebase_moved(plan: Plan, r: Any, lang: str) -> str:
    """How far a re-base moved the base-year figure: the published figure for the base year on the
    new basis against the plan's baseline (pp for shares and rates, % for levels), or that the record
    holds no such figure."""
    from .derived import published_level

    year = int(r.base_year)
    published = published_level(plan.observations, r.series_id, year, r.unit)[0] if not pd.isna(r.base_value) \
        else np.nan
    if pd.isna(published) or pd.isna(r.base_value):
        return summary_text("progress_rebase_unknown", lang, year=year)
    if r.kind in PP_KINDS:
        moved = summary_text("progress_moved_pp", lang, moved=published - r.base_value)
    else:
        moved = f"{published / r.base_value - 1:+.1%}"
    return summary_text("progress_rebase_moved", lang, year=year, published=published, unit=r.unit,
                        base=float(r.base_value), moved=moved)


def _input_series(table: pd.DataFrame) -> list[list[str]]:
    """The series a target's outcome rests on: its own, or the inputs of the identity that derived it."""
    from ..maths.identities import IDENTITIES

    out = []
    for r in table.itertuples():
        identity = IDENTITIES.get(str(r.outcome_method == "identity" and _reading_of(r) or ""))
        out.append([s for s in identity.series if s != r.series_id] if identity is not None else [r.series_id])
    return out


def _reading_of(r: Any) -> str:
    text_ = str(r.outcome_formula)
    from ..maths.identities import IDENTITIES

    return next((name for name, i in IDENTITIES.items() if text_.startswith(i.description)), "")


def _printed_before(plan: Plan, series_id: str, year: int, row: Any) -> bool:
    """Whether the plan's figure of ``series_id`` for ``year`` was printed before a break of that year
    (:mod:`xiangxi_econ.rules.windows`): it differs from the published figure, or none was published.

    For the target's own series the baseline note says whether it differs; for an input of the
    identity that derived the outcome, the plan's own level of that series for ``year`` is compared with
    the published one (spending per visitor rests on the plan's 2020 tourism revenue, 461亿元 on the
    old definition against 388.8亿元 published)."""
    obs = plan.observations.table
    published = obs[(obs["series_id"] == series_id) & (obs["year"] == year) & (obs["measure"] == "level")
                    & obs["preferred"]]
    if published.empty:
        return True
    if series_id == row.series_id:
        return bool(row.baseline_note)
    levels = plan.levels
    own = levels[(levels["series_id"] == series_id) & (levels["year"] == year)
                 & (levels["base_unit"] == published["base_unit"].iloc[0])]
    if own.empty:
        return False
    return not bool(np.isclose(float(own["value_base_units"].iloc[0]),
                               float(published["value_base_units"].iloc[0]), rtol=0.005))


def _with_readings(plan: Plan, table: pd.DataFrame) -> pd.DataFrame:
    """Targets read by more than one identity: when the readings disagree on the verdict, or none
    reproduces the plan's baseline, the plan used another definition: ``not_comparable`` with every
    reading."""
    from ..maths.identities import IDENTITIES
    from .derived import base_reading

    out = table.copy()
    for i, r in enumerate(out.itertuples()):
        if not r.readings:
            continue
        pairs = [p.split(": ") for p in r.readings.split("; ")]
        values = {name: float(v) for name, v in pairs}
        verdicts = {name: bool(_rules.meets(v, r.target_value, r.bound, r.direction)) for name, v in values.items()}
        bases = {name: base_reading(plan, r, name) for name in values}
        shown, shown_zh = (summary_text("list_sep", lang).join(
            _reading_words(IDENTITIES[n].description_zh if lang == "zh" else IDENTITIES[n].description,
                           v, r.unit, r.latest_year, bases[n], lang) for n, v in values.items())
            for lang in ("en", "zh"))
        matches = [n for n, b in bases.items() if not np.isnan(b) and abs(b / r.base_value - 1) < 0.05] \
            if not pd.isna(r.base_value) else list(values)
        if len(set(verdicts.values())) > 1 or not matches:
            idx = out.index[i]
            out.loc[idx, "status"] = "not_comparable"
            out.loc[idx, "reason"] = summary_text("progress_readings_disagree", "en", base=r.base_value, unit=r.unit,
                                                  readings=shown)
            out.loc[idx, "caveat"] = out.loc[idx, "reason"]
            out.loc[idx, "caveat_zh"] = summary_text("progress_readings_disagree", "zh", base=r.base_value,
                                                     unit=r.unit, readings=shown_zh)
            out.loc[idx, ["completion", "achieved_pace_pp", "delivery_ratio", "remaining_pace_pp"]] = np.nan
    return out


def _reading_words(description: str, value: float, unit: str, year: Any, base: float, lang: str) -> str:
    """One identity's reading of a target in ``lang``, with its base-year value where there is one."""
    words = summary_text("progress_reading", lang, description=description, value=value, unit=unit, year=year)
    return words if np.isnan(base) else summary_text("progress_reading_base", lang, reading=words, base=base)


def _with_stated_rates(plan: Plan, table: pd.DataFrame, as_of_year: int | None) -> pd.DataFrame:
    """The average growth printed beside a level target, judged on published rates
    (:func:`xiangxi_econ.results.derived.stated_rate_outcomes`)."""
    from .derived import STATED_RATE_COLUMNS, stated_rate_outcomes

    rows = plan.indicators[plan.indicators["indicator_id"].isin(table["indicator_id"])]
    rates = stated_rate_outcomes(plan, rows, as_of_year)
    if not len(table):
        return table.assign(**{c: [] for c in STATED_RATE_COLUMNS[1:]})
    return table.merge(rates, on="indicator_id", how="left").fillna(
        {c: "" for c in ("stated_rate_basis", "stated_rate_status", "stated_rate_note", "stated_rate_note_zh")})
