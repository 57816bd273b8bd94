"""The targets table: every numeric target of a plan with its resolved baseline, the pace it
requires and the pace achieved before the base year, on one price basis. Computed once per
analysis and consumed by the assessment, track record, progress evaluation, scenarios, simulation
and charts.

For a target :math:`x^*` in year :math:`T` with baseline :math:`x_b` in year :math:`b`
(horizon :math:`H = T - b` [years]):

* level and count indicators: required rate :math:`g_r = (x^*/x_b)^{1/H} - 1` [fraction per year],
  historical rate :math:`g_a` over the history window :math:`[b - H_{plan}, b]` from the printed
  levels (NBS level method, 水平法), or the reported average growth when no levels exist, on the
  target's price basis;
* shares and rates: required and historical pace in percentage points a year,
  :math:`(x^* - x_b)/H` [pp per year];
* five-year totals (累计法): the annual growth :math:`g` solving
  :math:`\\sum_{t=1}^{H} f_b (1+g)^t = x^*` from the base-year flow :math:`f_b`;
* average-growth targets: the target rate itself, against the historical rate.

Then the growth ratio :math:`CR = g_a/g_r`, the projection at the historical pace
:math:`\\hat x_T = x_b (1+g_a)^H` (or :math:`x_b + H p_a`) and the share of the required distance
it covers :math:`P = (\\hat x_T - x_b)/(x^* - x_b)`.

References
----------
UN Statistics Division (2022), *SDG Progress Chart technical note*; National Bureau of Statistics
of China, average growth by the level method (水平法) and the cumulative method (累计法).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.observed import same_figures
from ..data.plan import Plan
from ..maths.prices import nominal_rate
from ..schema import PP_KINDS, row_roles
from . import meaning as _rules
from .historical import HistoricalPace, historical_pace
from .verdicts import growth_ratio

__all__ = ["TARGET_COLUMNS", "target_counts", "resolve_baselines", "targets_table", "required_pace",
           "numeric_target_rows", "stated_twice", "baseline_conflicts"]

TARGET_COLUMNS = [
    "indicator_id", "series_id", "name_en", "name_zh", "kind", "unit", "price_basis", "base_year", "base_value",
    "base_source", "base_flow", "target_year", "target_value", "bound", "direction", "years", "required_rate",
    "historical_rate", "required_pace_pp", "historical_pace_pp", "historical_basis", "historical_from",
    "history_window", "reported_rate", "reported_basis", "ratio", "projected_value", "covered_share", "attribute",
    "source", "quote",
    "origin", "history_other_basis", "history_break", "history_base_note", "baseline_conflict", "exclude_reason",
    "stated_twice",
    "target_note", "reason"]
"""Columns of :func:`targets_table`."""


#: Chinese words for a multiple of the previous plan's total (翻一番: double).
MULTIPLE_WORDS = {"翻一番": 2.0, "翻两番": 4.0, "翻番": 2.0}


def derived_targets(plan: Plan) -> pd.DataFrame:
    """Targets stated as a multiple of the previous period's total (较“十三五”翻一番), made numeric:
    ``target_value`` = multiple × the total of the same series over the period ending in the base
    year (``plan.history``, measure ``cumulative_total``), with ``target_note`` saying how."""
    ind = plan.indicators
    rows = ind[ind["stated_change_type"] == "multiple_of_previous_total"].copy()
    hist = plan.history[plan.history["measure"] == "cumulative_total"]
    values, notes = [], []
    for r in rows.itertuples():
        word = next((w for w in MULTIPLE_WORDS if w in str(r.stated_change)), "")
        prev = hist[(hist["series_id"] == r.series_id) & (hist["year"] == r.base_year)]
        if not word or prev.empty:
            values.append(np.nan)
            notes.append("")
            continue
        p = prev.iloc[0]
        total = float(p["value_base_units"]) / float(r.scale)
        values.append(MULTIPLE_WORDS[word] * total)
        notes.append(f"derived: {word} = {MULTIPLE_WORDS[word]:g} × the previous total {p['value']:g}{p['unit']} "
                     f"({p['source']})")
    return rows.assign(target_value=values, target_note=notes)


def numeric_target_rows(plan: Plan) -> pd.DataFrame:
    """The plan's own numeric targets (not the previous plan's review rows), in file order, with the
    targets a plan states as a multiple of the previous total made numeric (:func:`derived_targets`)."""
    ind = plan.indicators.assign(target_note="")
    derived = derived_targets(plan)
    if len(derived):
        ind.loc[derived.index, "target_value"] = derived["target_value"]
        ind.loc[derived.index, "target_note"] = derived["target_note"]
    keep = ind["target_value"].notna() & (row_roles(ind["origin"]) != "previous") & (ind["kind"] != "qualitative")
    return ind[keep].reset_index(drop=True)


def stated_twice(table: pd.DataFrame) -> pd.Series:
    """True for every row after the first that states the same target (series, year and value) —
    the plan prints some targets both in its table and in a chapter; they are counted once."""
    key = table[["series_id", "target_year", "target_value"]].astype(str).agg("|".join, axis=1)
    return key.duplicated(keep="first")


def baseline_conflicts(targets: pd.DataFrame, plan: Plan) -> list[str]:
    """For each target, the other values the plan prints for its series in its base year (in its unit),
    when they differ from the baseline used; '' otherwise. One rule picks the baseline (专栏2, then
    专栏1, then the chapters: :func:`xiangxi_econ.data.observations.preferred_levels`); this says what it
    passed over.

    A figure differs when it is not the same printed number (:func:`~xiangxi_econ.data.observed.same_figures`:
    equal in base units within a relative 1e-6 or within the rounding of the printed digits). Each
    other figure is named once, as printed, with its source, in the order of ``plan.history``. One
    merge of the targets with the history on series, base year and base unit: linear in the number
    of targets and history rows (10^5 targets take seconds, where a scan of the history per target
    took hours).

    Parameters
    ----------
    targets : pandas.DataFrame
        Columns ``series_id, base_year, base_unit, base_value, scale`` [base_value in the row's unit;
        scale in base units per unit].
    plan : Plan

    Returns
    -------
    list of str
        One text per row of ``targets``, in order.
    """
    hist = plan.history[plan.history["measure"] == "level"]
    left = pd.DataFrame({
        "_pos": np.arange(len(targets)),
        "series_id": targets["series_id"].astype(str).to_numpy(),
        "_year": pd.to_numeric(targets["base_year"], errors="coerce").astype("float64").to_numpy(),
        "base_unit": targets["base_unit"].astype(str).to_numpy(),
        "_base": targets["base_value"].astype("float64").to_numpy(),
        "_scale": targets["scale"].astype("float64").to_numpy(),
    })
    left = left[left["_base"].notna() & left["_year"].notna()]
    right = pd.DataFrame({
        "_order": np.arange(len(hist)),
        "series_id": hist["series_id"].astype(str).to_numpy(),
        "_year": pd.to_numeric(hist["year"], errors="coerce").astype("float64").to_numpy(),
        "base_unit": hist["base_unit"].astype(str).to_numpy(),
        "_value": hist["value"].astype("float64").to_numpy(),
        "_hscale": hist["unit"].map(plan.units.table["scale"]).astype("float64").to_numpy(),
        "_text": hist["value_text"].fillna("").astype(str).to_numpy(),
        "_source": hist["source"].fillna("").astype(str).to_numpy(),
    })
    right = right[right["_year"].notna()]
    pairs = left.merge(right, on=["series_id", "_year", "base_unit"], how="inner")
    pairs = pairs[~same_figures(pairs["_base"], pairs["_scale"], pairs["_value"], pairs["_hscale"])]
    out = np.full(len(targets), "", dtype=object)
    if pairs.empty:
        return out.tolist()
    printed = np.where(pairs["_text"] != "", pairs["_text"], [f"{v:g}" for v in pairs["_value"]])
    pairs = pairs.assign(_named=pd.Series(printed, index=pairs.index) + " (" + pairs["_source"] + ")")
    pairs = pairs.sort_values(["_pos", "_order"], kind="stable").drop_duplicates(["_pos", "_named"])
    named = pairs.groupby("_pos", sort=True)["_named"].agg(", ".join)
    out[named.index.to_numpy()] = ("also printed for the base year: " + named).to_numpy()
    return out.tolist()


def resolve_baselines(targets: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Fill missing baselines from the history: same series and base unit, in the row's base year
    or, when the row has none, the plan's base year (:attr:`Plan.periods`).

    Adds ``base_source`` (``"this row"`` or the source of the history value), and for five-year
    totals ``base_flow`` — the series' annual flow in the base year, which the cumulative (累计法)
    solver starts from [unit of the row].
    """
    t = targets.copy()
    t["base_year"] = t["base_year"].fillna(plan.periods.base_year)
    t["base_source"] = np.where(t["base_value"].notna(), "this row", "")
    lookup = plan.levels.rename(columns={"year": "base_year", "value_base_units": "_hist_base",
                                         "source": "_hist_source"})[
        ["series_id", "base_year", "base_unit", "_hist_base", "_hist_source"]]
    lookup["base_year"] = lookup["base_year"].astype("Int64")
    lookup["_hist_base"] = lookup["_hist_base"].astype(float)  # also when the plan has no levels at all
    t = t.merge(lookup, on=["series_id", "base_year", "base_unit"], how="left")
    fill = t["base_value"].isna() & t["_hist_base"].notna() & (t["kind"] != "cumulative")
    t.loc[fill, "base_value"] = t.loc[fill, "_hist_base"] / t.loc[fill, "scale"]
    t.loc[fill, "base_source"] = t.loc[fill, "_hist_source"]
    t["base_flow"] = np.where(t["kind"] == "cumulative", t["_hist_base"] / t["scale"], np.nan)
    t["base_flow_source"] = np.where((t["kind"] == "cumulative") & t["_hist_base"].notna(),
                                     t["_hist_source"].fillna(""), "")
    return t.drop(columns=["_hist_base", "_hist_source"])


def required_pace(kind: np.ndarray, start: np.ndarray, end: np.ndarray, years: np.ndarray) -> tuple[np.ndarray,
                                                                                                   np.ndarray]:
    """The pace that takes ``start`` to ``end`` in ``years``, by kind (:func:`xiangxi_econ.rules.meaning.pace`,
    the one home of "pace by kind")."""
    return _rules.pace(kind, start, end, years)


def window_starts(base_years: np.ndarray, start_year: int, length: int | None) -> np.ndarray:
    """First year of each target's history window: ``start_year``, or for a target whose baseline is
    older than that (a series last published before the window starts, e.g. a 2020 figure in a plan
    based in 2025) the window of the same ``length`` ending at its own base year [year].

    >>> window_starts(np.array([2025, 2020]), 2020, 5).tolist()
    [2020, 2015]
    """
    base_years = np.asarray(base_years, dtype=int)
    if length is None:
        bad = base_years[base_years <= start_year]
        if len(bad):
            raise ValueError(f"start_year must be before the targets' base year {int(bad.min())}; "
                             f"got start_year={start_year}")
        return np.full(len(base_years), start_year)
    return np.where(base_years > start_year, start_year, base_years - length)


def _historical_columns(t: pd.DataFrame, plan: Plan, starts: np.ndarray,
                        historical: HistoricalPace | None) -> dict[str, np.ndarray]:
    """Computed and reported historical rates for each target, window ``starts`` to its base year."""
    base_year = t["base_year"].to_numpy(int)
    text_cols = ("levels_basis", "reported_basis", "break_note", "base_note")
    cols = ("computed_rate", "computed_pace_pp", "reported_rate") + text_cols
    out = {c: np.full(len(t), "" if c in text_cols else np.nan, dtype=object) for c in cols}
    for start_year, end in sorted({(int(s), int(e)) for s, e in zip(starts, base_year, strict=True)}):
        same = historical is not None and historical.start_year == start_year and historical.end_year == end
        hp = (historical if same else historical_pace(plan, start_year=start_year, end_year=int(end)))
        table = hp.table.set_index("series_id")  # type: ignore[union-attr]
        rows = (base_year == end) & (starts == start_year)
        for c in cols:
            mapped = t.loc[rows, "series_id"].map(table[c])
            if c in text_cols:
                out[c][rows] = ["" if pd.isna(v) else str(v) for v in mapped]
            else:
                out[c][rows] = mapped.to_numpy(float)
    return {c: v.astype(str) if c in text_cols else v.astype(float) for c, v in out.items()}


def _historical_rate(t: pd.DataFrame, h: dict[str, np.ndarray], inflation: float | None,
                     period: np.ndarray) -> tuple[np.ndarray, ...]:
    """Historical rate on the target's price basis: from levels, else as reported, else converted
    with ``inflation``; ``reason`` says why there is none."""
    kind = t["kind"].to_numpy(str)
    rated = np.isin(kind, ("level", "count", "cumulative", "growth"))
    basis = t["price_basis"].to_numpy(str)
    rate = np.full(len(t), np.nan)
    source = np.full(len(t), "", dtype=object)
    used_basis = np.full(len(t), "", dtype=object)
    reason = np.full(len(t), "", dtype=object)

    def same_basis(other: np.ndarray) -> np.ndarray:
        return (other == basis) | (other == "na") | (basis == "na")

    # printed levels whose window a statistical break cuts give way to a reported rate when one can be
    # used (on the target's basis, or converted with ``inflation``); otherwise they stay, flagged
    reported_usable = ~np.isnan(h["reported_rate"]) & (same_basis(h["reported_basis"]) | (
        (inflation is not None) & (h["reported_basis"] == "comparable") & (basis == "current")))
    cut = (h["break_note"] != "") & reported_usable
    use_levels = rated & ~np.isnan(h["computed_rate"]) & same_basis(h["levels_basis"]) & ~cut
    rate[use_levels] = h["computed_rate"][use_levels]
    source[use_levels] = "levels " + period[use_levels]
    used_basis[use_levels] = h["levels_basis"][use_levels]
    rest = rated & ~use_levels & ~np.isnan(h["reported_rate"])
    same = rest & same_basis(h["reported_basis"])
    rate[same] = h["reported_rate"][same]
    source[same] = "reported " + period[same]
    used_basis[same] = h["reported_basis"][same]
    other = rest & ~same
    if inflation is not None:
        converted = other & (h["reported_basis"] == "comparable") & (basis == "current")
        rate[converted] = nominal_rate(h["reported_rate"][converted], inflation)
        source[converted] = "reported " + period[converted] + f", real, plus {inflation:.2%} inflation"
        used_basis[converted] = "current"
        other = other & ~converted
    reason[other] = ("only a " + period[other] + " rate on another price basis is available; "
                     "pass inflation= to compare")
    pp = np.isin(kind, PP_KINDS)
    pace = np.where(pp, h["computed_pace_pp"], np.nan)
    source[pp & ~np.isnan(pace)] = "levels " + period[pp & ~np.isnan(pace)]
    return rate, pace, source, used_basis, reason, other


def targets_table(plan: Plan, inflation: float | None = None, start_year: int | None = None,
                  historical: HistoricalPace | None = None) -> pd.DataFrame:
    """Every numeric target with its baseline, required pace and historical pace on one basis.

    Parameters
    ----------
    plan : Plan
    inflation : float, optional
        Assumed annual inflation [fraction per year] that turns a real (comparable-price) reported
        rate into a current-price rate, :math:`(1+r)(1+\\pi)-1`. Without it, a target whose only
        history is a rate on another price basis has no historical rate (``reason`` says so).
    start_year : int, optional
        First year of the history window [year]; default ``plan.periods.history_start_year``. The
        window ends at each target's base year.
    historical : HistoricalPace, optional
        A :func:`historical_pace` already computed for the window, to be reused.

    Returns
    -------
    pandas.DataFrame
        One row per numeric target, columns :data:`TARGET_COLUMNS`; rates are fractions per
        year, paces pp per year, values in the row's ``unit``.

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> t = xe.targets_table(xe.load_plan()).set_index("indicator_id")
    >>> float(round(t.loc["gdp", "required_rate"], 4))   # (1000/725.11)**(1/5) - 1
    0.0664
    """
    if inflation is not None and not -0.5 < inflation < 1:
        raise ValueError(f"inflation must be a fraction per year (0.02 for 2%); got {inflation!r}")
    # the plan's own window; a target based before it gets a window of the same length ending at its
    # base year (an explicit start_year is taken as given for every target)
    length = None if start_year is not None else max(plan.periods.base_year - plan.periods.history_start_year, 1)
    start_year = plan.periods.history_start_year if start_year is None else int(start_year)
    t = resolve_baselines(numeric_target_rows(plan), plan)
    t["years"] = (t["target_year"] - t["base_year"]).astype(float)
    t["stated_twice"] = stated_twice(t).to_numpy(bool)
    t["baseline_conflict"] = baseline_conflicts(t, plan)
    if "exclude_reason" not in t:
        t["exclude_reason"] = ""
    kind = t["kind"].to_numpy(str)
    base = t["base_value"].to_numpy(float)
    target = t["target_value"].to_numpy(float)
    years = t["years"].to_numpy(float)
    flow = t["base_flow"].to_numpy(float)
    cumulative = kind == "cumulative"
    growth = kind == "growth"
    pp = np.isin(kind, PP_KINDS)

    req_rate, req_pp = required_pace(kind, np.where(cumulative, flow, base), target, years)
    req_rate[growth] = target[growth] / 100

    starts = window_starts(t["base_year"].to_numpy(int), start_year, length)
    h = _historical_columns(t, plan, starts, historical)
    period = np.array([f"{s}-{e}" for s, e in zip(starts, t["base_year"].to_numpy(int), strict=True)], dtype=object)
    hist_rate, hist_pp, hist_from, hist_basis, reasons, other = _historical_rate(t, h, inflation, period)

    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = growth_ratio(np.where(pp, hist_pp, hist_rate), np.where(pp, req_pp, req_rate), t["direction"])
        projected = _rules.projected(kind, base, hist_rate, hist_pp, years)
        covered = (projected - base) / (target - base)
    covered[~np.isfinite(covered)] = np.nan
    out = t.assign(required_rate=np.where(pp, np.nan, req_rate), historical_rate=np.where(pp, np.nan, hist_rate),
                   required_pace_pp=req_pp, historical_pace_pp=hist_pp, historical_basis=hist_basis,
                   historical_from=hist_from, history_window=period, reported_rate=h["reported_rate"],
                   reported_basis=h["reported_basis"],
                   ratio=ratio, projected_value=projected, covered_share=covered, history_other_basis=other,
                   history_break=np.where(np.char.startswith(hist_from.astype(str), "levels"), h["break_note"], ""),
                   history_base_note=np.where(np.char.startswith(hist_from.astype(str), "levels"), h["base_note"], ""),
                   reason=reasons.astype(str))
    return out[TARGET_COLUMNS].reset_index(drop=True)


def target_counts(plan: Plan) -> dict[str, int]:
    """The one count of targets used everywhere (summary, assessment, report).

    ``numeric``: the plan's own numeric targets, each counted once (a target printed both in a
    table and in a chapter counts once); ``stated_twice``: the repeats left out of ``numeric``;
    ``without_number``: the plan's own targets without a number (完成省下达任务 ...);
    ``previous_plan``: rows of the previous plan's review table.
    """
    rows = numeric_target_rows(plan)
    twice = int(stated_twice(rows).sum()) if len(rows) else 0
    ind = plan.indicators
    own = row_roles(ind["origin"]) != "previous"
    qual = own & (ind["kind"] == "qualitative") & ((ind["target_text"] != "") | ind["target_value"].notna())
    return {"numeric": len(rows) - twice, "stated_twice": twice, "without_number": int(qual.sum()),
            "previous_plan": int((~own).sum())}
