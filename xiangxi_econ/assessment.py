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
(:mod:`xiangxi_econ.verdicts`).

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

from . import targets as _targets
from ._display import ResultBase, fit
from .i18n import check_lang
from .plan import Plan
from .schema import PP_KINDS
from .verdicts import DEFAULT_METHOD, classify, get_method, label, lower_is_better, meets

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
        """Required against historical pace (:func:`~xiangxi_econ.plotting.plot_pace_comparison`)."""
        from .plotting import plot_pace_comparison

        return plot_pace_comparison(self.to_frame(), measure=measure, ax=ax, lang=self._lang(lang))

    def _summary(self, lang: str = "en") -> str:
        spec = get_method(self.method)
        t = self.table
        once = t[~t["stated_twice"].astype(bool)]  # a target printed twice is counted once
        counts = once["verdict"].value_counts()
        no_base = int((once["verdict"] == "not_assessable").sum())
        twice = len(t) - len(once)
        verdicts = ", ".join(f"{label(k, lang)} {v}" for k, v in counts.items())
        if lang == "zh":
            inflation = ("无（不混用不变价增速与现价水平）" if self.inflation is None
                         else f"每年{self.inflation:.2%}")
            lines = [f"目标评估：{len(once)}个数值目标（其中{no_base}个无法计算所需增速，多为缺少基期值；另有{twice}个"
                     f"重复列出，只计一次），{len(self.not_assessable)}个无数值目标",
                     f"评估方法：{spec.name} — {spec.reference}", f"通胀假设：{inflation}", f"结论：{verdicts}", "",
                     f"{fit('指标', 40)} {fit('所需增速', 10)} {fit('历史增速', 11)} {fit('比值', 7)}  结论"]
        else:
            inflation = ("none (real and current-price rates are not mixed)" if self.inflation is None
                         else f"{self.inflation:.2%} a year")
            lines = [f"Target assessment: {len(once)} numeric targets ({no_base} with no required pace, mostly for "
                     f"want of a baseline; {twice} more stated twice, counted once), "
                     f"{len(self.not_assessable)} targets without a number",
                     f"Verdict method: {spec.name} — {spec.reference}", f"Inflation assumption: {inflation}",
                     f"Verdicts: {verdicts}", "",
                     f"{'indicator':40} {'required':>10} {'historical':>11} {'ratio':>7}  verdict"]
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
        A :func:`~xiangxi_econ.targets.targets_table` already computed (``inflation`` and
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
    qualitative = ind[(ind["kind"] == "qualitative") & (ind["origin"] != "table_13th")
                      & ((ind["target_text"] != "") | ind["target_value"].notna())]
    qual = qualitative.assign(verdict="not_assessable", verdict_method=method,
                              reason="the target has no number (" + qualitative["target_text"] + ")")
    qual = qual.reindex(columns=_COLUMNS)
    return Assessment(out.reset_index(drop=True), method, inflation, lang, qual.reset_index(drop=True))


_COLUMNS = ["indicator_id", "series_id", "name_en", "name_zh", "kind", "unit", "price_basis", "base_year",
            "base_value", "base_source", "base_flow", "target_year", "target_value", "bound", "direction", "years",
            "required_rate", "historical_rate", "required_pace_pp", "historical_pace_pp", "historical_basis",
            "historical_from", "reported_rate", "reported_basis", "ratio", "projected_value", "covered_share",
            "verdict", "verdict_method", "attribute", "source", "quote", "stated_twice", "history_break",
            "baseline_conflict", "reason"]


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
    reasons[no_effort] = np.where(
        pp[no_effort], [f"the target needs {v:+.2f} pp a year" for v in required[no_effort]],
        [f"the target is reached even if the value changes {v:+.2%} a year" for v in required[no_effort]])
    base = t["base_value"].to_numpy(float)
    no_base = np.isnan(base) & ~(cumulative | growth)
    other = t["history_other_basis"].to_numpy(bool)
    verdict[(verdict == "") & other] = "not_comparable"
    verdict[(verdict == "") & ~has_hist] = "no_history"
    verdict[(verdict == "") & ~met] = "not_assessable"
    reasons[no_base & (reasons == "")] = "no baseline in the plan for this target"
    reasons[cumulative & np.isnan(t["base_flow"].to_numpy(float))] = \
        "no base-year annual flow to start the cumulative solver from"
    no_hist = (verdict == "no_history") & (reasons == "")
    reasons[no_hist] = "no observations of this series for " + t["history_window"].to_numpy(object)[no_hist]
    verdict[no_base & ~met] = "not_assessable"
    reasons[(verdict == "not_assessable") & (reasons == "")] = \
        "no required pace can be computed (a zero or negative level)"
    broke = t["history_break"].fillna("").astype(str).to_numpy()
    flagged = broke != ""
    # a pace across a statistical break mixes two bases: shown, but no verdict rests on it
    verdict[flagged & (verdict != "already_met")] = "not_comparable"
    reasons[flagged] = ["; ".join(filter(None, [r, f"the historical pace {b}: a rate across it mixes two "
                                                   "statistical bases, so no verdict is given (a comparable "
                                                   "reported rate, with inflation= if it is real, is used instead "
                                                   "where there is one)"]))
                        for r, b in zip(reasons[flagged], broke[flagged], strict=True)]
    conflict = t["baseline_conflict"].fillna("").astype(str).to_numpy()
    has = conflict != ""
    reasons[has] = ["; ".join(filter(None, [r, f"baseline conflict: {c}"]))
                    for r, c in zip(reasons[has], conflict[has], strict=True)]
    excluded = t["exclude_reason"].fillna("").astype(str).to_numpy() != ""
    verdict[excluded] = "not_assessable"
    reasons[excluded] = t["exclude_reason"].to_numpy(object)[excluded]
    return verdict, reasons
