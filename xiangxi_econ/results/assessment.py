"""Target-feasibility assessment: the pace each target requires against the pace achieved.

For every numeric target :math:`x^*` in year :math:`T` with baseline :math:`x_b` in year :math:`b`
(horizon :math:`H = T - b`):

* level and count indicators: required rate :math:`g_r = (x^*/x_b)^{1/H} - 1`, historical rate
  :math:`g_a` (2015-2020 compound rate from the printed levels, or the reported average growth when
  no levels exist, on the target's price basis);
* shares and rates: required and historical pace in percentage points a year,
  :math:`(x^* - x_b)/H`;
* five-year totals (累计法): the annual growth :math:`g` solving
  :math:`\\sum_{t=1}^{H} f_b (1+g)^t = x^*` from the base-year flow :math:`f_b`;
* average-growth targets: the target rate itself, against the reported historical rate.

Then the growth ratio :math:`CR = g_a/g_r`, the projection at the historical pace
:math:`\\hat x_T = x_b (1+g_a)^H` (or :math:`x_b + H p_a`), the share of the required distance it
covers :math:`P = (\\hat x_T - x_b)/(x^* - x_b)`, and a verdict by the chosen published method
(:mod:`xiangxi_econ.rules.verdicts`).

References
----------
UN Statistics Division (2022), *SDG Progress Chart technical note*; Eurostat (2023), *SDG
monitoring report*, Annex II; National Bureau of Statistics of China, average growth by the level
method (水平法) and the cumulative method (累计法).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._display import ResultBase, charts, fit
from .._format import fit_right
from ..data.plan import Plan
from ..i18n import check_lang, summary_text
from ..rules import targets as _targets
from ..rules.verdicts import DEFAULT_METHOD, classify, get_method, label, lower_is_better, meets
from ..schema import PP_KINDS, row_roles

#: Tolerance when deciding that a baseline already equals a target [in the indicator's unit].
_MET_TOLERANCE = 1e-9


def _text_map(keys: pd.Series, mapping: pd.Series) -> np.ndarray:
    """``keys.map(mapping)`` as strings, empty where there is no match."""
    mapped = keys.map(mapping).astype(object)
    return np.array(["" if pd.isna(v) else str(v) for v in mapped], dtype=str)


def _already_met(t: pd.DataFrame) -> np.ndarray:
    """Baseline already satisfies the target (floors and falling targets; see :func:`verdicts.meets`)."""
    return meets(t["base_value"], t["target_value"], t["bound"], t["direction"], _MET_TOLERANCE)


@dataclass(frozen=True, repr=False)
class Assessment(ResultBase):
    """Result of :func:`assess`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per target; see :meth:`to_frame` for the columns.
    method : str
        Verdict method used (``unsd2020``, ``eurostat`` or ``unsd2023``).
    inflation : float or None
        Inflation assumption [fraction per year] used to put real rates on a current-price basis.
    """

    table: pd.DataFrame
    method: str = DEFAULT_METHOD
    inflation: float | None = None
    lang: str = "en"
    not_assessable: pd.DataFrame = field(default_factory=pd.DataFrame)

    def _frame(self) -> pd.DataFrame:
        """Tidy table, one row per target (``to_frame(lang)`` adds ``name`` and ``verdict_label``).

        Columns include ``indicator_id``, ``name`` (in ``lang``), ``kind``, ``unit``,
        ``price_basis``, ``base_year``, ``base_value``, ``target_year``, ``target_value``,
        ``years``, ``required_rate`` and ``historical_rate`` [fraction per year; level, count,
        cumulative and growth indicators], ``required_pace_pp`` and ``historical_pace_pp``
        [percentage points per year; shares and rates], ``historical_basis``,
        ``historical_from``, ``ratio``, ``projected_value`` [unit], ``covered_share``,
        ``verdict``, ``verdict_label``, ``attribute``, ``source``, ``quote`` and ``reason``.
        Qualitative targets follow with verdict ``not_assessable`` and the reason.
        """
        return pd.concat([self.table, self.not_assessable], ignore_index=True)

    def _plot(self, ax=None, measure: str = "rate", lang: str | None = None):
        """Required against historical pace (:func:`~xiangxi_econ.face.plotting.plot_pace_comparison`)."""
        plot_pace_comparison = charts().plot_pace_comparison

        return plot_pace_comparison(self.to_frame(), measure=measure, ax=ax, lang=self._lang(lang))

    def _summary(self, lang: str = "en") -> str:
        spec = get_method(self.method)
        t = self.table
        once = t[~t["stated_twice"].astype(bool)]  # a target printed twice is counted once
        counts = once["verdict"].value_counts()
        no_base = int((once["verdict"] == "not_assessable").sum())
        twice = len(t) - len(once)
        verdicts = summary_text("comma_sep", lang).join(f"{label(k, lang)} {v}" for k, v in counts.items())
        inflation = (summary_text("assess_inflation_none", lang) if self.inflation is None
                     else summary_text("assess_inflation_rate", lang, rate=self.inflation))
        col = {c: summary_text(f"assess_col_{c}", lang) for c in ("indicator", "required", "historical", "ratio",
                                                                  "verdict")}
        lines = [summary_text("assess_head", lang, n=len(once), no_base=no_base, twice=twice,
                              without=len(self.not_assessable)),
                 summary_text("assess_method", lang, name=spec.name, reference=spec.reference),
                 summary_text("assess_inflation", lang, inflation=inflation),
                 summary_text("assess_verdicts", lang, verdicts=verdicts), "",
                 f"{fit(col['indicator'], 40)} {fit_right(col['required'], 10)} {fit_right(col['historical'], 11)} "
                 f"{fit_right(col['ratio'], 7)}  {col['verdict']}"]
        for r in t.itertuples():
            name = getattr(r, f"name_{lang}") + (" (2)" if r.stated_twice else "")
            pp = r.kind in PP_KINDS
            req, hist = (r.required_pace_pp, r.historical_pace_pp) if pp else (r.required_rate, r.historical_rate)
            fmt = (lambda v: f"{v:+.2f}pp") if pp else (lambda v: f"{v * 100:.2f}%")
            req_s = "" if pd.isna(req) else fmt(req)
            hist_s = "" if pd.isna(hist) else fmt(hist)
            ratio_s = "" if pd.isna(r.ratio) else f"{r.ratio:.2f}"
            lines.append(f"{fit(name, 40)} {req_s:>10} {hist_s:>11} {ratio_s:>7}  {label(r.verdict, lang)}")
        return "\n".join(lines)


def assess(plan: Plan, method: str = DEFAULT_METHOD, inflation: float | None = None,
           start_year: int | None = None, lang: str = "en", targets: pd.DataFrame | None = None) -> Assessment:
    """Assess every numeric target of the plan against its historical pace.

    Parameters
    ----------
    plan : Plan
        From :func:`~xiangxi_econ.load_plan` or :func:`~xiangxi_econ.read_plan`.
    method : {"unsd2020", "eurostat", "unsd2023"}
        Verdict method (default ``unsd2020``, the UN SDG Progress Chart growth ratio).
    inflation : float, optional
        Assumed annual inflation [fraction per year] that turns a real (comparable-price) reported
        rate into a current-price rate, :math:`(1+r)(1+\\pi)-1`. Without it, a target whose only
        history is a rate on another price basis gets ``not_comparable``.
    start_year : int, optional
        First year of the historical period [year]; default the plan's history window
        (``plan.periods.history_start_year``, 2015 for the Xiangxi plan). The period ends at each
        target's base year.
    lang : {"en", "zh"}
        Language of names and verdict labels in displays.
    targets : pandas.DataFrame, optional
        A :func:`~xiangxi_econ.rules.targets.targets_table` already computed (``inflation`` and
        ``start_year`` are then ignored); :func:`~xiangxi_econ.analyse` passes its own.

    Returns
    -------
    Assessment

    See Also
    --------
    analyse : one analysis of a plan, computing the targets table once for every result.
    targets_table : the required and historical pace without verdicts.

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> a = xe.assess(xe.load_plan()).to_frame().set_index("indicator_id")
    >>> float(round(a.loc["gdp", "required_rate"], 4))   # (1000/725.11)**(1/5) - 1
    0.0664
    >>> a.loc["urbanisation_rate", ["required_pace_pp", "historical_pace_pp"]].round(2).tolist()
    [1.0, 1.78]
    """
    get_method(method)
    check_lang(lang)
    t = _targets.targets_table(plan, inflation, start_year) if targets is None else targets
    verdict, reasons = _verdicts(t, method)
    out = t.assign(verdict=verdict.astype(str), verdict_method=method, reason=reasons.astype(str))
    out = out[_COLUMNS]
    ind = plan.indicators
    qualitative = ind[(ind["kind"] == "qualitative") & (row_roles(ind["origin"]) != "previous")
                      & ((ind["target_text"] != "") | ind["target_value"].notna())]
    qual = qualitative.assign(verdict="not_assessable", verdict_method=method,
                              reason=[summary_text("assess_no_number", "en", text=x)
                                      for x in qualitative["target_text"]])
    qual = qual.reindex(columns=_COLUMNS)
    return Assessment(out.reset_index(drop=True), method, inflation, lang, qual.reset_index(drop=True))


_COLUMNS = ["indicator_id", "series_id", "name_en", "name_zh", "kind", "unit", "price_basis", "base_year",
            "base_value", "base_source", "base_flow", "target_year", "target_value", "bound", "direction", "years",
            "required_rate", "historical_rate", "required_pace_pp", "historical_pace_pp", "historical_basis",
            "historical_from", "reported_rate", "reported_basis", "ratio", "projected_value", "covered_share",
            "verdict", "verdict_method", "attribute", "source", "quote", "stated_twice", "history_break",
            "history_base_note", "baseline_conflict", "reason"]


def _verdicts(t: pd.DataFrame, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Verdict code and reason for every row of a targets table, by ``method``."""
    spec = get_method(method)
    kind = t["kind"].to_numpy(str)
    pp = np.isin(kind, PP_KINDS)
    cumulative, growth = kind == "cumulative", kind == "growth"
    ratio = t["ratio"].to_numpy(float)
    covered = t["covered_share"].to_numpy(float)
    measure = ratio if spec.measure == "ratio" else np.where(np.isnan(covered), ratio, covered)
    # (growth and cumulative targets have no level projection: unsd2023 falls back to the ratio)
    verdict = classify(measure, method).astype(object)
    reasons = t["reason"].to_numpy(object).copy()
    met = _already_met(t) & ~(cumulative | growth)
    verdict[met] = "already_met"
    required = np.where(pp, t["required_pace_pp"], t["required_rate"]).astype(float)
    historical = np.where(pp, t["historical_pace_pp"], t["historical_rate"]).astype(float)
    has_hist = ~np.isnan(historical)
    # a target that needs no movement (or movement the wrong way) has no meaningful ratio: it is on
    # track when the historical pace is at least as good as the required one, off track otherwise
    lower = lower_is_better(t["bound"], t["direction"])
    no_effort = ~met & ~np.isnan(required) & has_hist & np.where(lower, required >= 0, required <= 0)
    good = np.where(lower, historical <= required, historical >= required)
    verdict[no_effort & good] = spec.categories[0]
    verdict[no_effort & ~good] = spec.categories[-1]
    reasons[no_effort] = [summary_text("assess_needs_pp", "en", pace=v) if p else
                          summary_text("assess_reached_anyway", "en", rate=v)
                          for p, v in zip(pp[no_effort], required[no_effort], strict=True)]
    base = t["base_value"].to_numpy(float)
    no_base = np.isnan(base) & ~(cumulative | growth)
    other = t["history_other_basis"].to_numpy(bool)
    verdict[(verdict == "") & other] = "not_comparable"
    verdict[(verdict == "") & ~has_hist] = "no_history"
    verdict[(verdict == "") & ~met] = "not_assessable"
    reasons[no_base & (reasons == "")] = summary_text("assess_no_baseline", "en")
    reasons[cumulative & np.isnan(t["base_flow"].to_numpy(float))] = summary_text("assess_no_base_flow", "en")
    no_hist = (verdict == "no_history") & (reasons == "")
    reasons[no_hist] = [summary_text("assess_no_observations", "en", window=w)
                        for w in t["history_window"].to_numpy(object)[no_hist]]
    verdict[no_base & ~met] = "not_assessable"
    reasons[(verdict == "not_assessable") & (reasons == "")] = summary_text("assess_no_pace", "en")
    broke = t["history_break"].fillna("").astype(str).to_numpy()
    flagged = broke != ""
    # a pace across a statistical break mixes two bases: shown, but no verdict rests on it
    verdict[flagged & (verdict != "already_met")] = "not_comparable"
    sep = summary_text("list_sep", "en")
    reasons[flagged] = [sep.join(filter(None, [r, summary_text("assess_across_break", "en", breaks=b)]))
                        for r, b in zip(reasons[flagged], broke[flagged], strict=True)]
    # a pace measured from an abnormal base year (far below its own trend) stands, with its caveat
    base_note = t["history_base_note"].fillna("").astype(str).to_numpy() if "history_base_note" in t else \
        np.full(len(t), "")
    noted = base_note != ""
    reasons[noted] = [sep.join(filter(None, [r, b])) for r, b in zip(reasons[noted], base_note[noted], strict=True)]
    conflict = t["baseline_conflict"].fillna("").astype(str).to_numpy()
    has = conflict != ""
    reasons[has] = [sep.join(filter(None, [r, summary_text("assess_baseline_conflict", "en", conflict=c)]))
                    for r, c in zip(reasons[has], conflict[has], strict=True)]
    excluded = t["exclude_reason"].fillna("").astype(str).to_numpy() != ""
    verdict[excluded] = "not_assessable"
    reasons[excluded] = t["exclude_reason"].to_numpy(object)[excluded]
    return verdict, reasons
