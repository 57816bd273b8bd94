"""Track record: how the previous plan's targets fared, beside what the new plan asks.

The previous plan's review table (专栏1 of the embedded plan) gives, for each indicator, the value
:math:`x_s` in the previous base year :math:`s`, the target :math:`x^*_e` and the outcome :math:`x_e`
in its target year :math:`e` (2015, 2020 and 2020 for the embedded 14th plan). For every row this
module computes the pace the previous plan required, :math:`(x^*_e/x_s)^{1/n}-1` with
:math:`n = e - s` (or :math:`(x^*_e-x_s)/n` percentage points for shares and rates; the cumulative
method for five-year totals, with the base-year annual flow as base), the pace achieved on the same
formula with the outcome, their ratio, and whether the target was met. Where the indicator
continues into the new plan, the new required pace stands beside the old record: a first check of
how far a new target can be trusted.

References
----------
National Bureau of Statistics of China, average annual growth by the level method (水平法) and the
cumulative method (累计法); UN Statistics Division (2022), *SDG Progress Chart technical note*
(ratio of actual to required growth).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._display import ResultBase, charts, fit
from .._format import fit_right
from ..data.plan import Plan
from ..i18n import SUMMARY_TEXT, label, summary_text
from ..rules import meaning as _rules
from ..rules import targets as _targets
from ..rules.verdicts import growth_ratio, meets
from ..rules.windows import break_window
from ..schema import PP_KINDS, row_roles

_TOL = 1e-9


def _outcomes(plan: Plan, rows: pd.DataFrame) -> pd.DataFrame:
    """The outcome in the target year printed in the same table row (level, or five-year total)."""
    hist = plan.history[(plan.history["indicator_id"] == "")
                        & plan.history["measure"].isin(["level", "cumulative_total"])]
    hist = hist[["series_id", "source", "year", "measure", "value", "value_text"]].rename(
        columns={"year": "target_year"})
    merged = rows[["indicator_id", "series_id", "source", "kind", "target_year"]].merge(
        hist, on=["series_id", "source", "target_year"], how="left")
    want = np.where(merged["kind"] == "cumulative", "cumulative_total", "level")
    merged = merged[merged["measure"].isna() | (merged["measure"] == want)]
    merged = merged.drop_duplicates("indicator_id")
    return rows[["indicator_id"]].merge(merged[["indicator_id", "value", "value_text"]], on="indicator_id",
                                        how="left").rename(columns={"value": "outcome_value",
                                                                    "value_text": "outcome_text"})


def _preferred_outcomes(plan: Plan, out: pd.DataFrame) -> pd.DataFrame:
    """The outcome of each row as the plan's preferred figure for its series and target year
    (:meth:`Plan.find_level`, the one rule that picks a value): where the review table's own outcome
    differs from the figure the plan takes as its new baseline (forest cover: 专栏1 "72%以上" against
    专栏2's 2020 base 70.24), the preferred figure is used and ``outcome_note`` (``outcome_note_zh``)
    says so."""
    values, notes, notes_zh = out["outcome_value"].to_numpy(float).copy(), [], []
    for i, r in enumerate(out.itertuples()):
        lv = plan.find_level(r.series_id, int(r.target_year))
        note = note_zh = ""
        if lv is not None and r.kind in PP_KINDS and not pd.isna(r.outcome_value) and \
                lv.unit == r.unit and abs(lv.value - r.outcome_value) > 1e-9:
            printed = r.outcome_text if isinstance(r.outcome_text, str) and r.outcome_text else f"{r.outcome_value:g}"
            note, note_zh = (summary_text("record_outcome_note", lang, printed=printed, year=int(r.target_year),
                                          value=lv.value, source=lv.source) for lang in ("en", "zh"))
            values[i] = lv.value
        notes.append(note)
        notes_zh.append(note_zh)
    return out.assign(outcome_value=values, outcome_note=notes, outcome_note_zh=notes_zh)


def _printed_rates(plan: Plan, out: pd.DataFrame) -> pd.DataFrame:
    """The average growth each row states (``stated_change``, percent a year) and the achieved average
    growth the plan prints for the same period (history ``avg_annual_growth_pct``), as fractions, and
    whether a statistical break cuts the level window."""
    hist = plan.history[plan.history["measure"] == "avg_annual_growth_pct"]
    ind = plan.indicators.set_index("indicator_id")
    stated, achieved, cut = [], [], []
    breaks = plan.observations.breaks
    for r in out.itertuples():
        row = ind.loc[r.indicator_id]
        ok = row["stated_change_type"] == "annual_growth_pct" and not pd.isna(row["stated_change_value"])
        stated.append(float(row["stated_change_value"]) / 100 if ok else np.nan)
        mine = hist[(hist["series_id"] == r.series_id) & (hist["year"] == r.target_year)
                    & (hist["start_year"] == r.base_year) & (hist["source"] == r.source)]
        achieved.append(float(mine["value"].iloc[0]) / 100 if ok and len(mine) else np.nan)
        cut.append(break_window(breaks, r.series_id, int(r.base_year), int(r.target_year)).crosses)
    return pd.DataFrame({"stated": stated, "achieved": achieved, "cut": cut})


@dataclass(frozen=True, repr=False)
class TrackRecord(ResultBase):
    """Result of :func:`track_record`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per row of the previous plan's review table (专栏1): ``base_value`` (for five-year
        totals, the base-year annual flow), ``target_value``, ``outcome_value`` (in ``unit``),
        ``required_rate``/``achieved_rate`` [fraction per year] or
        ``required_pace_pp``/``achieved_pace_pp`` [pp per year], ``ratio`` (achieved / required),
        ``met`` (the outcome against the target, honouring "at most" bounds), and for indicators that
        continue, ``new_indicator_id``,
        ``new_required_rate``/``new_required_pace_pp`` and ``new_vs_achieved`` (new required pace /
        pace achieved over the previous plan period).
    """

    table: pd.DataFrame

    def _frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _plot(self, ax=None, lang: str | None = None):
        """Required against achieved pace of the previous plan, coloured met / missed."""
        plot_pace_comparison = charts().plot_pace_comparison

        frame = self.to_frame()
        frame["verdict"] = ["met" if m is True else "not_met" if m is False else "" for m in frame["met"]]
        return plot_pace_comparison(frame, ax=ax, lang=self._lang(lang), columns=("required_rate", "achieved_rate"),
                                    labels=(SUMMARY_TEXT["record_required_pace"], SUMMARY_TEXT["record_achieved_pace"]),
                                    title=SUMMARY_TEXT["record_plot_title"])

    def _summary(self, lang: str = "en") -> str:
        t = self.table
        judged = t["met"].notna()
        met = int(t.loc[judged, "met"].astype(bool).sum())
        lines = [summary_text("record_head", lang, n=len(t), judged=int(judged.sum()), met=met), ""]
        col = {c: summary_text(f"record_col_{c}", lang) for c in ("indicator", "required", "achieved", "ratio", "met",
                                                                  "new")}
        lines.append(f"{fit(col['indicator'], 38)} {fit_right(col['required'], 9)} {fit_right(col['achieved'], 9)} "
                     f"{fit_right(col['ratio'], 6)} {fit_right(col['met'], 5)} {fit_right(col['new'], 9)}")
        yes, no = summary_text("record_yes", lang), summary_text("record_no", lang)
        for r in t.itertuples():
            pp = r.kind in PP_KINDS
            fmt = (lambda v: "" if pd.isna(v) else f"{v:+.2f}pp") if pp else \
                (lambda v: "" if pd.isna(v) else f"{v * 100:.2f}%")
            req = fmt(r.required_pace_pp if pp else r.required_rate)
            ach = fmt(r.achieved_pace_pp if pp else r.achieved_rate)
            new = fmt(r.new_required_pace_pp if pp else r.new_required_rate)
            ratio = "" if pd.isna(r.ratio) else f"{r.ratio:.2f}"
            met_s = "" if pd.isna(r.met) else (yes if r.met else no)
            lines.append(f"{fit(r.name_zh if lang == 'zh' else r.name_en, 38)} {req:>9} {ach:>9} {ratio:>6} "
                         f"{fit_right(met_s, 5)} {new:>9}")
        return "\n".join(lines)


def track_record(plan: Plan, targets: pd.DataFrame | None = None) -> TrackRecord:
    """The previous plan's required and achieved paces, beside the new plan's requirement.

    Parameters
    ----------
    plan : Plan
        A plan whose indicators include rows of the previous plan's review table (origin ``previous``;
        ``table_13th`` in the embedded plan);
        without them the record is empty.
    targets : pandas.DataFrame, optional
        The plan's :func:`~xiangxi_econ.rules.targets.targets_table`, if already computed.

    Returns
    -------
    TrackRecord

    See Also
    --------
    evaluate_progress : the same judgement for the plan itself, from observed outcomes.
    compare_plans : the previous plan and this one side by side.

    Examples
    --------
    专栏1 序号1: GDP 517 (2015) to a target of 800 (2020), reached 725.11:

    >>> import xiangxi_econ as xe
    >>> tr = xe.track_record(xe.load_plan()).to_frame().set_index("indicator_id")
    >>> float(round(tr.loc["t13_gdp", "required_rate"], 4))   # (800/517)**(1/5) - 1
    0.0912
    >>> bool(tr.loc["t13_gdp", "met"])
    False
    """
    ind = plan.indicators
    rows = ind[row_roles(ind["origin"]) == "previous"].reset_index(drop=True)
    # five-year totals start from the base-year annual flow, kept in the history as a level
    flows = _targets.resolve_baselines(rows, plan)["base_flow"].to_numpy(float)
    rows = rows.assign(base_value=np.where(rows["kind"] == "cumulative", flows, rows["base_value"]))
    out = rows[["indicator_id", "series_id", "row_no", "name_en", "name_zh", "kind", "unit", "price_basis",
                "base_year", "base_value", "target_year", "target_value", "target_text", "bound", "direction",
                "stated_change", "source"]]
    out = out.merge(_outcomes(plan, rows), on="indicator_id", how="left")
    out = _preferred_outcomes(plan, out)
    years = (out["target_year"].astype(float) - out["base_year"].astype(float)).to_numpy()
    kind = out["kind"].to_numpy(str)
    base = out["base_value"].to_numpy(float)
    target = out["target_value"].to_numpy(float)
    outcome = out["outcome_value"].to_numpy(float)
    req_rate, req_pp = _targets.required_pace(kind, base, target, years)
    ach_rate, ach_pp = _targets.required_pace(kind, base, outcome, years)
    pp = np.isin(kind, PP_KINDS)
    ratio = growth_ratio(np.where(pp, ach_pp, ach_rate), np.where(pp, req_pp, req_rate), out["direction"])
    met = meets(outcome, target, out["bound"], out["direction"], _TOL).astype(object)
    excluded = rows["exclude_reason"].fillna("").astype(str).to_numpy() if "exclude_reason" in rows else \
        np.full(len(rows), "")
    rates = _printed_rates(plan, out)
    by_rate = np.isnan(outcome) & rates["achieved"].notna().to_numpy() & rates["stated"].notna().to_numpy()
    met[by_rate] = _rules.meets(rates["achieved"], rates["stated"], out["bound"], out["direction"])[by_rate]
    # a level window cut by a break (GDP 2015-2020 and the 2019 census revision): the printed rates
    # at comparable prices bridge it; the delivery ratio is theirs
    bridge = by_rate | (rates["cut"].to_numpy(bool) & rates["achieved"].notna().to_numpy()
                        & rates["stated"].notna().to_numpy())
    ratio = np.where(bridge, growth_ratio(rates["achieved"], rates["stated"], out["direction"]), ratio)
    met[(np.isnan(outcome) & ~by_rate) | np.isnan(target) | (excluded != "")] = None
    ratio = np.where(excluded != "", np.nan, ratio)
    out = out.assign(required_rate=req_rate, achieved_rate=ach_rate, required_pace_pp=req_pp,
                     achieved_pace_pp=ach_pp, ratio=ratio, met=met, excluded=excluded,
                     stated_rate=rates["stated"].to_numpy(float),
                     achieved_printed_rate=rates["achieved"].to_numpy(float),
                     judged_on=np.where(by_rate, "printed rates", np.where(bridge, "level; ratio on printed rates",
                                                                           "level")))

    new = _targets.targets_table(plan) if targets is None else targets
    new = new.assign(_rank=new["indicator_id"].map(
        lambda i: 0 if (row_roles(ind.loc[ind["indicator_id"] == i, "origin"]) == "outline_table").any() else 1))
    new = new.sort_values(["series_id", "_rank"], kind="stable").drop_duplicates("series_id")
    new = new[["series_id", "indicator_id", "required_rate", "required_pace_pp", "kind"]].rename(
        columns={"indicator_id": "new_indicator_id", "required_rate": "new_required_rate",
                 "required_pace_pp": "new_required_pace_pp", "kind": "new_kind"})
    out = out.merge(new, on="series_id", how="left")
    same_measure = out["new_kind"].isin(PP_KINDS) == out["kind"].isin(PP_KINDS)
    with np.errstate(divide="ignore", invalid="ignore"):
        new_vs = np.where(out["kind"].isin(PP_KINDS), out["new_required_pace_pp"] / out["achieved_pace_pp"],
                          out["new_required_rate"] / out["achieved_rate"])
    new_vs = np.where(same_measure & np.isfinite(new_vs), new_vs, np.nan)
    out["new_vs_achieved"] = new_vs
    out["new_indicator_id"] = out["new_indicator_id"].fillna("")
    return TrackRecord(out.drop(columns=["new_kind"]).reset_index(drop=True))


# --------------------------------------------------------------------------- two plans side by side

@dataclass(frozen=True, repr=False)
class PlanComparison(ResultBase):
    """How the previous plan and this plan did against their own targets, side by side.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per plan and group (``all``, ``binding``, ``anticipatory``, ``unspecified``):
        ``plan`` (its period), ``group``, ``judged`` (targets with a comparable outcome, each counted
        once), ``met`` (met or exceeded), ``share_met`` [fraction], ``median_delivery`` (median of
        achieved / required pace over targets with both) [ratio].
    targets : pandas.DataFrame
        The per-target rows the table summarises: ``plan, indicator_id, name_en, name_zh, attribute,
        met, delivery_ratio``.
    """

    table: pd.DataFrame
    targets: pd.DataFrame

    def _frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _summary(self, lang: str = "en") -> str:
        lines = [summary_text("compare_head", lang), ""]
        head = tuple(summary_text(f"compare_col_{c}", lang) for c in ("plan", "group", "judged", "met", "share",
                                                                        "delivery"))
        lines.append(f"{fit(head[0], 12)} {fit(head[1], 14)} {fit_right(head[2], 7)} {fit_right(head[3], 5)} "
                     f"{fit_right(head[4], 7)} {fit_right(head[5], 9)}")
        for r in self.table.itertuples():
            share = "" if pd.isna(r.share_met) else f"{r.share_met:.0%}"
            med = "" if pd.isna(r.median_delivery) else f"{r.median_delivery:.2f}"
            group = label(r.group, lang) if r.group in ("binding", "anticipatory") else \
                summary_text(f"compare_group_{r.group}", lang)
            lines.append(f"{r.plan:12} {fit(group, 14)} {r.judged:>7} {r.met:>5} {share:>7} {med:>9}")
        lines += ["", summary_text("compare_delivery_note", lang)]
        return "\n".join(lines)

    def _plot(self, ax=None, lang: str | None = None):
        """Share of targets met and median delivery, one bar pair per plan."""
        plot_plan_comparison = charts().plot_plan_comparison

        return plot_plan_comparison(self.table, ax=ax, lang=self._lang(lang))


def _groups(rows: pd.DataFrame, plan_label: str) -> list[dict]:
    out = []
    attribute = rows["attribute"].replace("", "unspecified")
    for group in ("all", "binding", "anticipatory", "unspecified"):
        g = rows if group == "all" else rows[attribute == group]
        if group != "all" and g.empty:
            continue
        ratios = g["delivery_ratio"].astype(float)
        ratios = ratios[np.isfinite(ratios)]
        met = int(g["met"].astype(bool).sum())
        out.append({"plan": plan_label, "group": group, "judged": len(g), "met": met,
                    "share_met": met / len(g) if len(g) else np.nan,
                    "median_delivery": float(np.median(ratios)) if len(ratios) else np.nan})
    return out


def compare_plans(plan: Plan, evaluation: Any = None, record: TrackRecord | None = None) -> PlanComparison:
    """The previous plan (its review table, 专栏1) and this plan (its published outcomes) side by side.

    Parameters
    ----------
    plan : Plan
    evaluation : ProgressEvaluation, optional
        :func:`~xiangxi_econ.evaluate_progress` of the plan, if already computed.
    record : TrackRecord, optional
        :func:`track_record` of the plan, if already computed.

    Returns
    -------
    PlanComparison
        Targets met and the median share of the required pace delivered, for all targets and by
        attribute (binding 约束性 / anticipatory 预期性). A target is judged when it has a numeric
        target and a comparable outcome; rows excluded from judgement, twice-stated targets and
        targets across a statistical break are left out.

    Examples
    --------
    Of the 14th plan's targets the 2025 record can judge (published, derived through identities and
    bounds; spending per visitor, derived across the 2020 tourism-revenue definition break, is not
    comparable), urbanisation and trade dependence were met:

    >>> import xiangxi_econ as xe
    >>> cmp = xe.compare_plans(xe.load_plan()).to_frame()
    >>> cmp.loc[(cmp["plan"] == "2020-2025") & (cmp["group"] == "all"), ["judged", "met"]].values.tolist()
    [[10, 2]]
    """
    from .progress import evaluate_progress

    record = record if record is not None else track_record(plan)
    evaluation = evaluation if evaluation is not None else evaluate_progress(plan)
    periods = plan.periods
    prev = record.table[record.table["met"].notna()]
    prev = prev.assign(delivery_ratio=prev["ratio"], attribute="")
    ev = evaluation.table
    ev = ev[~ev["stated_twice"] & ev["status"].isin(("met", "exceeded", "not_met"))]
    ev = ev.assign(met=ev["status"].isin(("met", "exceeded")))
    cols = ["indicator_id", "name_en", "name_zh", "attribute", "met", "delivery_ratio"]
    prev_label = f"{int(prev['base_year'].min())}-{int(prev['target_year'].max())}" if len(prev) else \
        summary_text("compare_previous", "en")
    this_label = periods.plan_label
    rows = _groups(prev, prev_label) if len(prev) else []
    rows += _groups(ev, this_label)
    targets = pd.concat([prev[cols].assign(plan=prev_label), ev[cols].assign(plan=this_label)], ignore_index=True)
    return PlanComparison(pd.DataFrame(rows), targets[["plan", *cols]])
