"""Sharpness and scores of the plan engine on Xiangxi (a script that prints figures, not a test).

Run from the project root: ``PYTHONPATH=. python benchmarks/bench_xiangxi_forecasts.py``.

Prints issue 21's targets beside each figure (embedded plan as of 2020):

* no target with a trend-engine probability (rows without a reference-class forecast are listed
  with their reason instead);
* R&D intensity's 2025 90% band narrower than 1.0 pp; schooling years' narrower than 1.0 year; bank
  deposits' q95/q05 <= 2.0; every row's spread source;
* the plan backtest (:func:`xiangxi_econ.backtest`): the 13th plan's Brier <= 0.20 with n >= 16, and
  the pooled Brier below the trend baseline's on the rows both can judge;
* the 2030 urbanisation outlook as of 2025 from the 2020-2025 pace (median within 58.5-62), and forest
  cover's 2030 outlook band as of 2025 (one value after its method break).
With n this small the scores are indicative only.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import xiangxi_econ as xe


def widths(plan: xe.Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    sim = xe.simulate(plan, n_draws=8192, as_of_year=2020)
    t = sim.table.set_index("indicator_id")
    ev = xe.evaluate_progress(plan).table.set_index("indicator_id")
    rows = []
    for ident, r in t.iterrows():
        rows.append({"target": ident, "class": r["series_class"], "engine": r["probability_model"],
                     "q05": r["q05"], "q50": r["q50"], "q95": r["q95"], "q95-q05": r["q95"] - r["q05"],
                     "q95/q05": r["q95"] / r["q05"], "outcome": ev["latest_value"].get(ident, np.nan),
                     "P(met)": r["probability"], "spread_source": str(r["spread_source"])[:60]})
    return pd.DataFrame(rows), sim.skipped


def main() -> None:
    plan = xe.load_plan()
    t0 = time.perf_counter()
    w, skipped = widths(plan)
    print(f"== Xiangxi as of 2020, forecasts of 2025 ({time.perf_counter() - t0:.1f} s)")
    print(w.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    trend = int((w["engine"] == "trend, default spread").sum())
    print(f"\nTargets with a trend-engine probability: {trend} (goal 0)")
    w = w.set_index("target")
    checks = [("R&D intensity 2025 90% band [pp]", w.loc["rd_intensity", "q95-q05"], "< 1.0", lambda v: v < 1.0),
              ("schooling years 2025 90% band [years]", w.loc["schooling_years_working_age", "q95-q05"], "< 1.0",
               lambda v: v < 1.0),
              ("deposits 2025 q95/q05", w.loc["deposits_balance", "q95/q05"], "<= 2.0", lambda v: v <= 2.0)]
    for name, v, goal, ok in checks:
        print(f"  {name:40} {v:8.3f}  goal {goal}: {'met' if ok(v) else 'NOT met'}")
    growth = skipped[skipped["indicator_id"].isin(["rd_expenditure_growth", "trade_total_growth"])]
    for r in growth.itertuples():
        print(f"  not forecast: {r.indicator_id}: {r.reason}")
    t0 = time.perf_counter()
    bt = xe.backtest(plan)
    print(f"\n== Plan backtest ({time.perf_counter() - t0:.1f} s); goals: 13th plan Brier <= 0.20 with n >= 16, "
          "pooled below the trend baseline on the rows both judge")
    s = bt.scores()
    cols = ["plan", "n", "brier_model", "n_trend", "brier_trend", "n_verdict", "brier_verdict", "n_rw_median",
            "brier_rw_median", "coverage50", "coverage90"]
    print(s[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    s13 = s[s["plan"] == "2015-2020"].iloc[0]
    print(f"13th plan: Brier {s13['brier_model']:.3f} on n = {int(s13['n'])}: "
          f"{'met' if s13['brier_model'] <= 0.20 and s13['n'] >= 16 else 'NOT met'}")
    table = bt.table
    both = table[table["scored"] & table["p_trend"].notna()]
    if len(both):
        y = both["met"].to_numpy(float)
        be, bt_ = np.mean((both["probability"] - y) ** 2), np.mean((both["p_trend"] - y) ** 2)
        print(f"On the {len(both)} rows both have: Brier engine {be:.3f}, trend {bt_:.3f}: "
              f"{'met' if be < bt_ else 'NOT met'}")
    print(f"Not scored: {int((~table['scored']).sum())} rows, each with its reason (bt.to_frame()['reason']).")
    sim = xe.simulate(plan, n_draws=8192, as_of_year=2025, end_year=2030)
    o = sim.outlook.set_index("indicator_id").loc["urbanisation_rate"]
    print(f"\n== Outlook as of 2025: urbanisation {int(o['from_year'])} {o['from_value']:.2f} -> 2030 median "
          f"{o['q50']:.2f} (50% {o['q25']:.2f}-{o['q75']:.2f}, 90% {o['q05']:.2f}-{o['q95']:.2f}); goal median in "
          f"58.5-62: {'met' if 58.5 <= o['q50'] <= 62 else 'NOT met'}")
    f = sim.outlook.set_index("indicator_id").loc["forest_cover"]
    print(f"  forest cover {int(f['from_year'])} {f['from_value']:.2f} (one value after its method break) -> 2030 "
          f"median {f['q50']:.2f} (90% {f['q05']:.2f}-{f['q95']:.2f}): a stock share moving well under 1 pp a year")


if __name__ == "__main__":
    main()
