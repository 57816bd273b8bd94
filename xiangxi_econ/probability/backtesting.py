"""How the library's ex-ante probabilities scored against what happened: the plan backtest.

One job: score the engine's probabilities (:func:`~xiangxi_econ.probability.calibration.target_forecasts`) for
every target of both plans whose outcome is published — the previous plan as of its base year
(outcomes printed in its review table, 专栏1) and this plan as of its base year (outcomes from the
end-of-plan evaluation, :func:`~xiangxi_econ.evaluate_progress`, derived outcomes included). Each
forecast uses only values and estimates known in its information year (priors and reference classes
by vintage). A statistical break excludes a row only when it could flip the outcome: a change of
definition or method whose size (measured, or :data:`~xiangxi_econ.rules.windows.DEFAULT_BREAK_SIZE`)
reaches the distance between outcome and target; a census re-base or vintage revision is scored
with its caveat. Scores (Gneiting & Raftery 2007):

* Brier score :math:`\\frac1n\\sum (p_i - y_i)^2` for the event "target met";
* log score :math:`-\\frac1n\\sum [y_i\\ln p_i + (1-y_i)\\ln(1-p_i)]` (p clipped to [0.001, 0.999]);
* coverage of the central 50% and 90% intervals of the outcome;
* pinball loss averaged over quantiles 0.05..0.95, in percent of the target (unit-free).

Baselines beside it: the trend continued (the five-year pace before the base year, the old default
spreads), the UN growth-ratio verdict read as a probability (on track or already met 1, fair
progress 0.5, otherwise 0), and the random-walk-median rule (drift the median of the series' own
comparable annual changes in the five years before the base year, spread the dispersion of those
changes grown with the square root of the horizon). With a dozen rows per plan the scores are
indicative only: a Brier difference of 0.05 is within the noise of n = 10.

References
----------
Gneiting, T. and Raftery, A. (2007), "Strictly proper scoring rules, prediction, and estimation",
JASA 102; Brier, G. (1950), Monthly Weather Review 78.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._display import ResultBase, charts, fit
from ..data.plan import Plan
from ..rules import meaning as _rules
from ..rules import targets as _targets
from ..rules.verdicts import lower_is_better
from ..rules.windows import DEFAULT_BREAK_SIZE
from .calibration import QUANTILES, series_segments, target_forecasts, target_history

__all__ = ["Backtest", "backtest", "brier_score", "log_score"]

def brier_score(p: Any, y: Any) -> float:
    """Brier score :math:`\\frac1n\\sum_i (p_i - y_i)^2` of probabilities ``p`` for events ``y`` (1/0)
    (Brier 1950); NaN for no rows.

    >>> brier_score([0.5, 1.0], [1, 1])
    0.125
    """
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean((p - y) ** 2)) if p.size else float("nan")


def log_score(p: Any, y: Any, clip: float = 0.001) -> float:
    """Log score :math:`-\\frac1n\\sum_i [y_i\\ln p_i + (1-y_i)\\ln(1-p_i)]` with ``p`` clipped to
    [clip, 1 - clip] (Gneiting & Raftery 2007); NaN for no rows."""
    p = np.clip(np.asarray(p, dtype=float), clip, 1 - clip)
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))) if p.size else float("nan")


#: Kinds whose targets are scored (a level or a share at the target year).
SCORED_KINDS = ("level", "count", "share", "rate")


def _usable_history(plan: Plan, row: Any, info_year: int) -> tuple[pd.Series, str]:
    return target_history(plan, row, info_year), ""


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
            for col, key in (("probability", "model"), ("p_trend", "trend"), ("p_verdict", "verdict"),
                             ("p_rw_median", "rw_median")):
                p = g[col].to_numpy(float)
                ok = np.isfinite(p)
                row[f"brier_{key}"] = brier_score(p[ok], y[ok])
                row[f"log_{key}"] = log_score(p[ok], y[ok])
                row[f"n_{key}"] = int(ok.sum())
            row.update(coverage50=float(g["in50"].mean()) if len(g) else np.nan,
                       coverage90=float(g["in90"].mean()) if len(g) else np.nan,
                       pinball_pct=float(g["pinball_pct"].mean()) if len(g) else np.nan,
                       pinball_pct_trend=float(g["pinball_pct_trend"].mean()) if len(g) else np.nan)
            rows.append(row)
        return pd.DataFrame(rows)

    def _frame(self) -> pd.DataFrame:
        return self.table.drop(columns=["marginal"], errors="ignore").copy()

    def _summary(self, lang: str = "en") -> str:
        s = self.scores().set_index("plan")
        zh = lang == "zh"
        pooled = s.loc["all"] if "all" in s.index else None
        brier = "" if pooled is None else f", Brier {pooled.brier_model:.3f} (trend {pooled.brier_trend:.3f})"
        title = "事前概率与实际结果（回测）" if zh else "Ex-ante probabilities against outcomes (backtest)"
        n_note = (f"样本少（n = {int(pooled.n)}）：分数仅供参考" if zh else
                  f"few rows (n = {int(pooled.n)}): the scores are indicative only") if pooled is not None else ""
        lines = [title + brier, n_note, ""]
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
        plot_calibration = charts().plot_calibration

        scored = self.table[self.table["scored"]]
        brier = brier_score(scored["probability"], np.clip(scored["met"].to_numpy(float), 0, 1))
        return plot_calibration(scored, ax=ax, lang=self._lang(lang), brier=brier)


def _previous_plan_rows(plan: Plan, record: Any) -> pd.DataFrame:
    """The previous plan's review rows as targets, with their printed outcomes (``record``: the track record)."""
    rec = getattr(record, "table", record)
    ind = plan.indicators.set_index("indicator_id")
    rows = rec.assign(base_unit=rec["indicator_id"].map(ind["base_unit"]), scale=rec["indicator_id"].map(ind["scale"]),
                      outcome=rec["outcome_value"], origin="previous")
    return rows[rows["excluded"] == ""]


def _this_plan_rows(plan: Plan, targets: pd.DataFrame, evaluation: Any) -> pd.DataFrame:
    """The plan's own targets with their published outcomes (``evaluation``: the progress evaluation)."""
    ev = getattr(evaluation, "table", evaluation)
    ev = ev.set_index("indicator_id")
    rows = targets[~targets["stated_twice"]].copy()
    rows["outcome"] = rows["indicator_id"].map(ev["latest_value"])
    rows["outcome_year"] = rows["indicator_id"].map(ev["latest_year"])
    rows["outcome_status"] = rows["indicator_id"].map(ev["status"])
    if "outcome_method" in ev.columns:
        rows["outcome_method"] = rows["indicator_id"].map(ev["outcome_method"]).astype(object).fillna("").astype(str)
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
        additive = bool(_rules.moves_additively([r.kind], [r.base_unit])[0])
        rate, pp = _rules.pace(["share" if additive else "level"], [h.iloc[0]], [h.iloc[-1]], [span])
        out[i] = pp[0] if additive else rate[0]
    return out


def _baselines(plan: Plan, rows: pd.DataFrame) -> pd.DataFrame:
    """P(met) and pinball loss of the trend-continued baseline (the trend engine's distributions,
    :func:`~xiangxi_econ.probability.montecarlo.trend_targets`), and the UN verdict as a probability."""
    from ..rules.verdicts import classify, growth_ratio
    from .montecarlo import trend_targets

    pace = _trend_pace(plan, rows)
    qs = np.array(QUANTILES)
    target = rows["target_value"].to_numpy(float)
    outcome = rows["outcome"].to_numpy(float)
    years = (rows["target_year"] - rows["base_year"]).to_numpy(float)
    base = rows["base_value"].to_numpy(float)
    additive = _rules.moves_additively(rows["kind"].to_numpy(str), rows["base_unit"].to_numpy(object))
    ok = np.isfinite(pace) & np.isfinite(base) & (years > 0) & (additive | (base > 0))
    p_trend = np.full(len(rows), np.nan)
    qv = np.full((len(rows), len(qs)), np.nan)
    if ok.any():
        ts = trend_targets(rows["indicator_id"].to_numpy()[ok], additive[ok], base[ok], pace[ok], years[ok],
                           target[ok], lower_is_better(rows["bound"], rows["direction"])[ok])
        p_trend[ok] = ts.probability()
        qv[ok] = ts.quantiles(qs)
    err = outcome[:, None] - qv
    pinball = np.maximum(qs * err, (qs - 1) * err).mean(axis=1) / np.abs(target) * 100
    req_rate, req_pp = _targets.required_pace(rows["kind"].to_numpy(str), base, target, years)
    required = np.where(additive, _rules.pace(np.where(additive, "share", "level"), base, target, years)[1], req_rate)
    verdict = classify(growth_ratio(pace, required, rows["direction"]))
    met_at_base = _rules.meets(base, target, rows["bound"], rows["direction"])
    # no pace, no verdict: the UN rule gives no probability there (a 0 would score it as a confident "missed")
    p_verdict = np.select([(verdict == "on_track") | met_at_base, verdict == "fair_progress", verdict == ""],
                          [1.0, 0.5, np.nan], 0.0)
    return pd.DataFrame({"p_trend": p_trend, "pinball_pct_trend": pinball, "p_verdict": p_verdict,
                         "trend_pace": pace})


def _score_rows(rows: pd.DataFrame, fc: pd.DataFrame) -> pd.DataFrame:
    rows = rows.reset_index(drop=True).drop(columns=["reason"], errors="ignore").join(
        fc.drop(columns=["indicator_id", "outcome", "decided"], errors="ignore"))
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


def _unscored_reasons(plan: Plan, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Why a row is left out of the scores, and the caveat of a scored one.

    Left out: no forecast; an outcome the evaluation calls not comparable; a change of definition or
    method between the base and the outcome that could flip it (its size, measured or the default,
    at least the distance :math:`|t/o - 1|` between target and outcome); an outcome from another
    year than the target's. A census re-base or a vintage revision is scored with a caveat naming
    what was re-based (the outcome, when the re-base came after the information year)."""
    reasons = rows["reason"].fillna("").astype(str).to_numpy(object)
    caveats = np.full(len(rows), "", dtype=object)
    breaks = plan.observations.breaks
    for i, r in enumerate(rows.itertuples()):
        if reasons[i]:
            continue
        oy = getattr(r, "outcome_year", np.nan)
        outcome_year = int(oy) if pd.notna(oy) else int(r.target_year)
        mine = breaks[(breaks["series_id"] == r.series_id) & (breaks["year"] > int(r.as_of_year))
                      & (breaks["year"] <= outcome_year)]
        flip = abs(float(r.target_value) / float(r.outcome) - 1) if float(r.outcome) else np.inf
        if getattr(r, "outcome_method", "") == "bound":
            reasons[i] = "the outcome is a bound derived for it (a part cannot exceed its whole), not an outcome"
            continue
        if getattr(r, "outcome_status", "") == "not_comparable":
            reasons[i] = "the evaluation finds the outcome not comparable (a break that could flip it)"
            continue
        blocking = []
        for b in mine.itertuples():
            if b.kind in ("definition", "method"):
                size = float(b.size) if "size" in mine.columns and pd.notna(b.size) else DEFAULT_BREAK_SIZE
                if flip <= size:
                    blocking.append(f"a {b.kind} change in {b.year} of up to {size:.0%} could flip it "
                                    f"(outcome {flip:.0%} from the target)")
                    continue
            what = f"the outcome is on the basis after the {b.kind.replace('_', ' ')} of {b.year}"
            caveats[i] = "; ".join(filter(None, [caveats[i], what]))
        if blocking:
            reasons[i] = "; ".join(blocking)
        elif outcome_year != int(r.target_year):
            reasons[i] = f"the latest outcome is for {outcome_year}, not the target year {int(r.target_year)}"
    return reasons, caveats


def _random_walk_median(plan: Plan, rows: pd.DataFrame) -> pd.DataFrame:
    """P(met) and quantiles of the random-walk-median rule from each row's own history up to its base year."""
    from scipy.stats import norm

    p = np.full(len(rows), np.nan)
    for i, r in enumerate(rows.itertuples()):
        years, values, seg = series_segments(plan, r, int(r.as_of_year))
        keep = years >= int(r.as_of_year) - 5
        y, v, s = years[keep], values[keep], seg[keep]
        additive = bool(_rules.moves_additively([r.kind], [r.base_unit])[0])
        conv = (lambda x: x) if additive else np.log
        if len(y) < 3:
            continue
        same = s[1:] == s[:-1]
        steps = ((conv(v[1:]) - conv(v[:-1])) / np.diff(y))[same]
        if len(steps) < 2:
            continue
        h = int(r.target_year) - int(y[-1])
        centre = conv(v[-1]) + h * float(np.median(steps))
        sd = float(np.std(steps, ddof=1)) * np.sqrt(h)
        if not sd > 0:
            continue
        z = (conv(float(r.target_value)) - centre) / sd
        lower = bool(lower_is_better([r.bound], [r.direction])[0])
        p[i] = norm.cdf(z) if lower else norm.sf(z)
    return pd.DataFrame({"p_rw_median": p})


def backtest(plan: Plan, evaluation: Any, record: Any, n_draws: int | None = None, seed: int = 0,
             series: tuple[str, ...] | None = None, targets: pd.DataFrame | None = None) -> Backtest:
    """Score the library's ex-ante probabilities for both plans' headline targets against outcomes.

    Parameters
    ----------
    plan : Plan
        A plan with a previous-plan review table (its printed outcomes) and/or published outcomes of
        its own targets (``plan.observations``).
    n_draws, seed :
        Ignored: the engine's probabilities are exact (kept for compatibility).
    series : tuple of str, optional
        ``series_id`` of the targets scored (default: every target with a published outcome).
    evaluation, record :
        What happened: :func:`~xiangxi_econ.evaluate_progress` of the plan and
        :func:`~xiangxi_econ.track_record` of its previous plan (results or their tables). The
        probability wing never computes them itself; :func:`xiangxi_econ.backtest` (the core) hands them in.
    targets : pandas.DataFrame, optional
        The plan's targets table, if already computed.

    Returns
    -------
    Backtest
        ``scores()``: Brier and log scores of the calibrated probabilities and the two baselines,
        interval coverage and pinball loss.
    """
    targets = _targets.targets_table(plan) if targets is None else targets
    this = _this_plan_rows(plan, targets, evaluation)
    prev = _previous_plan_rows(plan, record)
    frames = []
    for rows in (prev, this):
        keep = rows["target_value"].notna() & rows["outcome"].notna() & rows["kind"].isin(SCORED_KINDS)
        if series is not None:
            keep &= rows["series_id"].isin(series)
        rows = rows[keep].drop_duplicates(["series_id", "target_year", "target_value"]).reset_index(drop=True)
        if rows.empty:
            continue
        fc = target_forecasts(plan, rows)
        scored = _score_rows(rows, fc)
        period = f"{int(rows['base_year'].min())}-{int(rows['target_year'].max())}"
        scored["plan"] = period
        scored["as_of_year"] = scored["base_year"].astype(int)
        scored["reason"], scored["caveat"] = _unscored_reasons(plan, scored)
        frames.append(pd.concat([scored, _baselines(plan, scored), _random_walk_median(plan, scored)], axis=1))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(table):
        table["scored"] = (table["reason"] == "") & table["probability"].notna()
    cols = ["plan", "as_of_year", "indicator_id", "series_id", "name_en", "name_zh", "kind", "unit", "base_value",
            "target_year", "target_value", "bound", "outcome", "met", "probability", "q05", "q25", "q50", "q75", "q95",
            "in50", "in90", "pinball_pct", "pinball_pct_trend", "p_trend", "p_verdict", "p_rw_median", "trend_pace",
            "model", "series_class", "years_used", "history_note", "scored", "reason", "caveat", "marginal"]
    return Backtest(table.reindex(columns=cols))
