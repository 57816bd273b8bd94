"""Calibrated probabilities for a plan's targets, and how they score against what happened.

:func:`target_forecasts` turns each numeric target into a forecast problem: the target's series, as
it was known in ``as_of_year`` (the plan's own printed levels for the years it prints, published
figures for the others, all in the target's unit, in the last statistical segment before
``as_of_year`` — never across a break), forecast to the target year with
:func:`~xiangxi_econ.forecasting.forecast` (calibrated deceleration and common shocks, see there). Money
amounts, visits and other levels use the level model; shares and rates, and slow quantities measured
in years (life expectancy, years of schooling), move in units (pp or years) with the slow-class spread.

:func:`backtest` scores the library's own ex-ante probabilities against outcomes: the previous plan
as of its base year (outcomes printed in its review table, 专栏1) and this plan as of its base year
(outcomes published after it, ``plan.observations``, for the target year itself). Each forecast uses
the priors calibrated on
outcomes up to its information year (:func:`~xiangxi_econ.forecasting.priors_as_of`: the 13th plan's,
made in 2015, never sees 2016-2018). Rows whose forecast history or outcome crosses a statistical break
are left out of the scores, with the reason. Scores (Gneiting & Raftery 2007):

* Brier score :math:`\\frac1n\\sum (p_i - y_i)^2` for the event "target met";
* log score :math:`-\\frac1n\\sum [y_i\\ln p_i + (1-y_i)\\ln(1-p_i)]` (p clipped to [0.001, 0.999]);
* coverage of the central 50% and 90% intervals of the outcome;
* pinball loss averaged over quantiles 0.05..0.95, in percent of the target (unit-free).

Two naive baselines stand beside them: the trend continued (the history-window pace to the target
year, the old default spread of 0.03 log points a year) and the UN growth-ratio verdict read as a
probability (on track or already met 1, fair progress 0.5, otherwise 0).

References
----------
Gneiting, T. and Raftery, A. (2007), "Strictly proper scoring rules, prediction, and estimation",
JASA 102; Brier, G. (1950), "Verification of forecasts expressed in terms of probability", Monthly
Weather Review 78.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import rules as _rules
from . import targets as _targets
from ._display import ResultBase, fit
from .plan import Plan
from .schema import PP_KINDS
from .verdicts import lower_is_better

#: Series whose shares move slowly (a class default spread of the forecast's ``"slow"`` class).
SLOW_SERIES = frozenset({"forest_cover", "life_expectancy", "schooling_years_working_age", "rd_intensity",
                         "air_quality_good_days_ratio", "surface_water_class3_share", "pension_insurance_coverage"})
#: Base units measured additively (not compounded): ages and durations.
ADDITIVE_BASE_UNITS = frozenset({"year"})
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Headline series scored by :func:`backtest` (their targets in either plan).
HEADLINE_SERIES = ("gdp", "disposable_income_per_capita", "tourism_arrivals", "tourism_revenue", "urbanisation_rate",
                   "fiscal_revenue_total", "retail_sales", "rd_intensity")


def target_history(plan: Plan, row: Any, as_of_year: int, segment_only: bool = True) -> pd.Series:
    """The target's series as known in ``as_of_year``, in the target's unit.

    The plan's own printed levels win for the years it prints (what the plan saw); published figures
    fill the other years. With ``segment_only`` only years from the last break of the series at or
    before ``as_of_year`` on are kept.
    """
    lv = plan.levels
    own = lv[(lv["series_id"] == row.series_id) & (lv["base_unit"] == row.base_unit)]
    own = pd.Series(own["value_base_units"].to_numpy(float) / row.scale, index=own["year"].astype(int).to_numpy())
    obs = plan.observations.table
    pub = obs[(obs["series_id"] == row.series_id) & (obs["measure"] == "level") & (obs["base_unit"] == row.base_unit)
              & obs["preferred"] & ((obs["version"] == "") | obs["used_by_plan"])]
    pub = pd.Series(pub["value_base_units"].to_numpy(float) / row.scale, index=pub["year"].astype(int).to_numpy())
    series = pd.concat([own, pub[~pub.index.isin(own.index)]]).sort_index()
    series = series[~series.index.duplicated()]
    series = series[series.index <= as_of_year]
    breaks = plan.observations.breaks
    mine = breaks[(breaks["series_id"] == row.series_id) & (breaks["year"] <= as_of_year)]
    if segment_only and len(mine):
        series = series[series.index >= int(mine["year"].max())]
    return series


def _usable_history(plan: Plan, row: Any, info_year: int) -> tuple[pd.Series, str]:
    """The history to forecast from and a note: the last statistical segment when it holds two values,
    else the whole history up to ``info_year`` with a note naming the break it spans."""
    history = target_history(plan, row, info_year)
    if len(history) >= 2:
        return history, ""
    whole = target_history(plan, row, info_year, segment_only=False)
    breaks = plan.observations.breaks
    mine = breaks[(breaks["series_id"] == row.series_id) & (breaks["year"] <= info_year)
                  & (breaks["year"] > (whole.index.min() if len(whole) else info_year))]
    note = "; ".join(f"history spans a {b.kind.replace('_', ' ')} in {b.year} (flagged: too few values after it)"
                     for b in mine.itertuples())
    return whole, note


def _model_kind(row: Any) -> tuple[str, dict]:
    if row.kind in PP_KINDS:
        return "share", {"volatility": "slow" if row.series_id in SLOW_SERIES else "medium"}
    if row.base_unit in ADDITIVE_BASE_UNITS:
        return "rate", {"volatility": "slow", "limits": (0.0, 150.0)}
    return "level", {}


def target_forecasts(plan: Plan, rows: pd.DataFrame, as_of_year: int | None = None, n_draws: int = 20_000,
                     seed: int = 0) -> pd.DataFrame:
    """A calibrated forecast of every target row that has at least two values in one segment.

    Parameters
    ----------
    plan : Plan
    rows : pandas.DataFrame
        Target rows (``indicator_id, series_id, kind, unit, base_unit, scale, target_year,
        target_value, bound, direction``), e.g. from :func:`~xiangxi_econ.targets.targets_table`.
    as_of_year : int, optional
        Information year [year]; default each row's ``base_year``.
    n_draws : int
        Draws per forecast [1].
    seed : int

    Returns
    -------
    pandas.DataFrame
        ``indicator_id, probability, q05 .. q95, model, years_used, history_note`` (a break the history
        spans, when the last segment is too short), ``forecast`` (the
        :class:`~xiangxi_econ.forecasting.Forecast` object) and ``reason`` where no forecast was made.
    """
    from .forecasting import forecast, load_priors

    out = []
    for k, row in enumerate(rows.itertuples()):
        rec: dict[str, Any] = {"indicator_id": row.indicator_id, "probability": np.nan, "model": "",
                               "years_used": "", "forecast": None, "reason": "", "history_note": "",
                               **{f"q{int(q * 100):02d}": np.nan for q in QUANTILES}}
        out.append(rec)
        info_year = int(row.base_year) if as_of_year is None else int(as_of_year)
        if row.kind not in ("level", "count", "share", "rate") or pd.isna(row.target_value):
            rec["reason"] = f"a {row.kind} target has no level to forecast"
            continue
        history, note = _usable_history(plan, row, info_year)
        rec["history_note"] = note
        if len(history) < 2 or history.index.max() >= int(row.target_year):
            rec["reason"] = (f"fewer than two values of {row.series_id} up to {info_year} in one statistical "
                             "segment")
            continue
        kind, extra = _model_kind(row)
        try:
            fc = forecast(history, int(row.target_year), as_of_year=info_year, kind=kind, n_draws=n_draws,
                          seed=seed + k, priors=load_priors(as_of_year=info_year), **extra)
        except ValueError as exc:
            rec["reason"] = str(exc)
            continue
        lower = bool(lower_is_better([row.bound], [row.direction])[0])
        q = fc.quantiles(QUANTILES)
        rec.update(probability=fc.probability(float(row.target_value), "at_most" if lower else "at_least"),
                   model=fc.model, years_used=",".join(map(str, fc.years_used)), forecast=fc,
                   **{f"q{int(qq * 100):02d}": float(v) for qq, v in q.items()})
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- the backtest

@dataclass(frozen=True, repr=False)
class Backtest(ResultBase):
    """Ex-ante probabilities and intervals of a plan's headline targets against their outcomes.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per target: ``plan`` (period), ``as_of_year``, ``indicator_id``, ``name_en``,
        ``name_zh``, ``target_value``, ``outcome``, ``met`` (1/0), ``probability`` (calibrated
        forecast), ``q05 .. q95`` [target unit], ``in50``, ``in90``, ``pinball_pct``,
        ``p_trend`` (trend continued, spread 0.03), ``p_verdict`` (UN verdict as a probability),
        ``scored`` and ``reason`` (why a row is not scored).
    """

    table: pd.DataFrame

    def scores(self) -> pd.DataFrame:
        """Brier score, log score, coverage of the 50% and 90% intervals, pinball loss [% of target],
        for the calibrated forecast and the two baselines, per plan and pooled."""
        t = self.table[self.table["scored"]]
        rows = []
        for name, g in [*t.groupby("plan", sort=True), ("all", t)]:
            y = g["met"].to_numpy(float)
            row = {"plan": name, "n": len(g)}
            for col, key in (("probability", "model"), ("p_trend", "trend"), ("p_verdict", "verdict")):
                p = g[col].to_numpy(float)
                row[f"brier_{key}"] = float(np.mean((p - y) ** 2)) if len(g) else np.nan
                pc = np.clip(p, 0.001, 0.999)
                row[f"log_{key}"] = float(-np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))) if len(g) else np.nan
            row.update(coverage50=float(g["in50"].mean()) if len(g) else np.nan,
                       coverage90=float(g["in90"].mean()) if len(g) else np.nan,
                       pinball_pct=float(g["pinball_pct"].mean()) if len(g) else np.nan,
                       pinball_pct_trend=float(g["pinball_pct_trend"].mean()) if len(g) else np.nan)
            rows.append(row)
        return pd.DataFrame(rows)

    def _frame(self) -> pd.DataFrame:
        return self.table.drop(columns=["forecast"], errors="ignore").copy()

    def _summary(self, lang: str = "en") -> str:
        s = self.scores().set_index("plan")
        zh = lang == "zh"
        pooled = s.loc["all"] if "all" in s.index else None
        brier = "" if pooled is None else f", Brier {pooled.brier_model:.3f} (trend {pooled.brier_trend:.3f})"
        title = "事前概率与实际结果（回测）" if zh else "Ex-ante probabilities against outcomes (backtest)"
        lines = [title + brier, ""]
        lines.append(f"{'plan':10} {'n':>3} {'Brier':>7} {'trend':>7} {'verdict':>8} {'cov50':>6} {'cov90':>6}")
        for name, r in s.iterrows():
            lines.append(f"{name:10} {int(r.n):>3} {r.brier_model:7.3f} {r.brier_trend:7.3f} {r.brier_verdict:8.3f} "
                         f"{r.coverage50:6.0%} {r.coverage90:6.0%}")
        lines += ["", f"{fit('indicator', 34)} {'as of':>5} {'P(met)':>7} {'met':>4}  90% interval / outcome"]
        for r in self.table.itertuples():
            name = r.name_zh if zh else r.name_en
            if not r.scored:
                lines.append(f"{fit(name, 34)} {r.as_of_year:>5}  not scored: {r.reason}")
                continue
            lines.append(f"{fit(name, 34)} {r.as_of_year:>5} {r.probability:7.0%} {int(r.met):>4}  "
                         f"[{r.q05:,.4g}, {r.q95:,.4g}] / {r.outcome:,.4g}")
        return "\n".join(lines)

    def _plot(self, ax: Any = None, lang: str | None = None) -> Any:
        """Reliability of the probabilities and the PIT of the outcomes."""
        from .plotting import plot_calibration

        return plot_calibration(self.table[self.table["scored"]], ax=ax, lang=self._lang(lang))


def _previous_plan_rows(plan: Plan) -> pd.DataFrame:
    """The previous plan's review rows as targets, with their printed outcomes."""
    from .record import track_record

    rec = track_record(plan).table
    ind = plan.indicators.set_index("indicator_id")
    rows = rec.assign(base_unit=rec["indicator_id"].map(ind["base_unit"]), scale=rec["indicator_id"].map(ind["scale"]),
                      outcome=rec["outcome_value"], origin="table_13th")
    return rows[rows["excluded"] == ""]


def _this_plan_rows(plan: Plan, targets: pd.DataFrame) -> pd.DataFrame:
    from .progress import evaluate_progress

    ev = evaluate_progress(plan, targets=targets).table.set_index("indicator_id")
    rows = targets[~targets["stated_twice"]].copy()
    rows["outcome"] = rows["indicator_id"].map(ev["latest_value"])
    rows["outcome_year"] = rows["indicator_id"].map(ev["latest_year"])
    rows["outcome_status"] = rows["indicator_id"].map(ev["status"])
    ind = plan.indicators.set_index("indicator_id")
    rows["base_unit"] = rows["indicator_id"].map(ind["base_unit"])
    rows["scale"] = rows["indicator_id"].map(ind["scale"])
    return rows


def _trend_pace(plan: Plan, rows: pd.DataFrame) -> np.ndarray:
    """Pace of each target's series over the five years up to its base year, from what was known then
    (the same history the forecast sees): compound rate for levels, pp a year for shares."""
    out = np.full(len(rows), np.nan)
    for i, r in enumerate(rows.itertuples()):
        h, _ = _usable_history(plan, r, int(r.base_year))
        h = h[h.index >= int(r.base_year) - 5]
        if len(h) < 2:
            continue
        span = float(h.index[-1] - h.index[0])
        if r.kind in PP_KINDS or r.base_unit in ADDITIVE_BASE_UNITS:
            out[i] = (h.iloc[-1] - h.iloc[0]) / span
        else:
            out[i] = _rules.pace(["level"], [h.iloc[0]], [h.iloc[-1]], [span])[0][0]
    return out


def _trend_quantiles(rows: pd.DataFrame, pace: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """Quantiles of the trend-continued baseline: the pace from the base value with the old default
    spreads (0.03 log points a year for levels; 0.5 |pace| + 0.1 pp a year for shares)."""
    from scipy.stats import norm

    years = (rows["target_year"] - rows["base_year"]).to_numpy(float)
    base = rows["base_value"].to_numpy(float)
    additive = (rows["kind"].isin(PP_KINDS) | rows["base_unit"].isin(ADDITIVE_BASE_UNITS)).to_numpy()
    z = norm.ppf(qs)[None, :]
    add = base[:, None] + pace[:, None] * years[:, None] + \
        ((0.5 * np.abs(pace) + 0.1) * np.sqrt(years))[:, None] * z
    with np.errstate(invalid="ignore", divide="ignore"):
        mult = base[:, None] * np.exp(years[:, None] * np.log1p(pace)[:, None] + 0.03 * np.sqrt(years)[:, None] * z)
    return np.where(additive[:, None], add, mult)


def _baselines(plan: Plan, rows: pd.DataFrame) -> pd.DataFrame:
    """P(met) and pinball loss of the trend-continued baseline, and the UN verdict as a probability."""
    from scipy.stats import norm

    from .verdicts import classify, growth_ratio

    pace = _trend_pace(plan, rows)
    qs = np.array(QUANTILES)
    qv = _trend_quantiles(rows, pace, qs)
    target = rows["target_value"].to_numpy(float)
    outcome = rows["outcome"].to_numpy(float)
    lower = lower_is_better(rows["bound"], rows["direction"])
    # P(value >= target) from the normal (additive) or log-normal (compound) trend distribution
    years = (rows["target_year"] - rows["base_year"]).to_numpy(float)
    base = rows["base_value"].to_numpy(float)
    additive = (rows["kind"].isin(PP_KINDS) | rows["base_unit"].isin(ADDITIVE_BASE_UNITS)).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        z_add = (target - base - pace * years) / ((0.5 * np.abs(pace) + 0.1) * np.sqrt(years))
        z_mul = (np.log(target / base) - years * np.log1p(pace)) / (0.03 * np.sqrt(years))
    z = np.where(additive, z_add, z_mul)
    p_trend = np.where(lower, norm.cdf(z), norm.sf(z))
    err = outcome[:, None] - qv
    pinball = np.maximum(qs * err, (qs - 1) * err).mean(axis=1) / np.abs(target) * 100
    req_rate, req_pp = _targets.required_pace(rows["kind"].to_numpy(str), base, target, years)
    required = np.where(additive, (target - base) / years, req_rate)
    verdict = classify(growth_ratio(pace, required, rows["direction"]))
    met_at_base = _rules.meets(base, target, rows["bound"], rows["direction"])
    p_verdict = np.select([(verdict == "on_track") | met_at_base, verdict == "fair_progress"], [1.0, 0.5], 0.0)
    return pd.DataFrame({"p_trend": np.where(np.isnan(pace), np.nan, p_trend),
                         "pinball_pct_trend": pinball, "p_verdict": p_verdict, "trend_pace": pace})


def _score_rows(rows: pd.DataFrame, fc: pd.DataFrame) -> pd.DataFrame:
    rows = rows.reset_index(drop=True).drop(columns=["reason"], errors="ignore").join(fc.drop(columns=["indicator_id"]))
    outcome = rows["outcome"].to_numpy(float)
    target = rows["target_value"].to_numpy(float)
    rows["met"] = _rules.meets(outcome, target, rows["bound"], rows["direction"]).astype(float)
    rows["in50"] = (outcome >= rows["q25"]) & (outcome <= rows["q75"])
    rows["in90"] = (outcome >= rows["q05"]) & (outcome <= rows["q95"])
    qs = np.array(QUANTILES)
    qv = rows[[f"q{int(q * 100):02d}" for q in QUANTILES]].to_numpy(float)
    err = outcome[:, None] - qv
    rows["pinball_pct"] = np.maximum(qs * err, (qs - 1) * err).mean(axis=1) / np.abs(target) * 100
    return rows


def _unscored_reasons(plan: Plan, rows: pd.DataFrame) -> np.ndarray:
    """Why a row is left out of the scores: no forecast, a forecast history across a break, an outcome
    on another statistical basis (a break up to the outcome year, or the evaluation's verdict) or
    an outcome from another year than the target's."""
    reasons = rows["reason"].fillna("").astype(str).to_numpy(object)
    for i, r in enumerate(rows.itertuples()):
        if reasons[i]:
            continue
        outcome_year = int(getattr(r, "outcome_year", r.target_year) if pd.notna(getattr(r, "outcome_year", np.nan))
                           else r.target_year)
        found = plan.observations.breaks_between(r.series_id, int(r.base_year), outcome_year) \
            if r.series_id in set(plan.observations.breaks["series_id"]) else pd.DataFrame()
        if str(getattr(r, "history_note", "") or ""):
            reasons[i] = f"the forecast {r.history_note}"
        elif len(found) or getattr(r, "outcome_status", "") == "not_comparable":
            what = "; ".join(f"{b.kind} in {b.year}" for b in found.itertuples()) or "a break in the base year"
            reasons[i] = f"the outcome is on another statistical basis: {what}"
        elif outcome_year != int(r.target_year):
            reasons[i] = f"the latest outcome is for {outcome_year}, not the target year {int(r.target_year)}"
    return reasons


def backtest(plan: Plan, n_draws: int = 20_000, seed: int = 0, series: tuple[str, ...] = HEADLINE_SERIES) -> Backtest:
    """Score the library's ex-ante probabilities for both plans' headline targets against outcomes.

    Parameters
    ----------
    plan : Plan
        A plan with a previous-plan review table (its printed outcomes) and/or published outcomes of
        its own targets (``plan.observations``).
    n_draws : int
        Draws per forecast [1].
    seed : int
    series : tuple of str
        ``series_id`` of the targets scored (default :data:`HEADLINE_SERIES`).

    Returns
    -------
    Backtest
        ``scores()``: Brier and log scores of the calibrated probabilities and the two baselines,
        interval coverage and pinball loss.
    """
    targets = _targets.targets_table(plan)
    this = _this_plan_rows(plan, targets)
    prev = _previous_plan_rows(plan)
    frames = []
    for rows in (prev, this):
        rows = rows[rows["series_id"].isin(series) & rows["target_value"].notna() & rows["outcome"].notna()]
        rows = rows[rows["kind"].isin(("level", "count", "share", "rate"))].reset_index(drop=True)
        if rows.empty:
            continue
        fc = target_forecasts(plan, rows, n_draws=n_draws, seed=seed)
        scored = _score_rows(rows, fc)
        period = f"{int(rows['base_year'].min())}-{int(rows['target_year'].max())}"
        scored["plan"] = period
        scored["as_of_year"] = scored["base_year"].astype(int)
        scored["reason"] = _unscored_reasons(plan, scored)
        frames.append(pd.concat([scored, _baselines(plan, scored)], axis=1))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(table):
        table["scored"] = (table["reason"] == "") & table["probability"].notna()
    cols = ["plan", "as_of_year", "indicator_id", "series_id", "name_en", "name_zh", "kind", "unit", "base_value",
            "target_year", "target_value", "bound", "outcome", "met", "probability", "q05", "q25", "q50", "q75", "q95",
            "in50", "in90", "pinball_pct", "pinball_pct_trend", "p_trend", "p_verdict", "trend_pace", "model",
            "years_used", "history_note",
            "scored", "reason", "forecast"]
    return Backtest(table.reindex(columns=cols))
