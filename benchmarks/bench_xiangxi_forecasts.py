"""Sharpness and scores of the plan engine on Xiangxi (a script that prints figures, not a test).

Run from the project root: ``PYTHONPATH=. python benchmarks/bench_xiangxi_forecasts.py``.

Prints (issue 16's targets beside each figure):

* the 90% interval width q95/q05 of the 2025 forecasts made as of 2020, with the published outcome
  (goal: GDP <= 2.0, per-capita income <= 1.6; a steadily trending share keeps most of its trend);
* the plan backtest (:func:`xiangxi_econ.backtest`): rows scored per plan (goal: >= 8 for the 13th,
  >= 6 for the 14th) and the Brier score of the engine beside the baselines, each on the rows it has
  a probability for. With n this small the scores are indicative only.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import xiangxi_econ as xe

GOALS = {"gdp": 2.0, "disposable_income_per_capita": 1.6}


def widths(plan: xe.Plan) -> pd.DataFrame:
    sim = xe.simulate(plan, n_draws=8192, as_of_year=2020)
    t = sim.table.set_index("indicator_id")
    ev = xe.evaluate_progress(plan).table.set_index("indicator_id")
    rows = []
    for ident in ("gdp", "disposable_income_per_capita", "urbanisation_rate", "tourism_revenue_ch2",
                  "tourism_arrivals_ch2", "air_quality_good_days_ratio", "life_expectancy"):
        if ident not in t.index:
            continue
        r = t.loc[ident]
        rows.append({"target": ident, "class": r["series_class"], "q05": r["q05"], "q50": r["q50"], "q95": r["q95"],
                     "q95/q05": r["q95"] / r["q05"], "goal": GOALS.get(ident, np.nan),
                     "outcome": ev["latest_value"].get(ident, np.nan), "P(met)": r["probability"]})
    return pd.DataFrame(rows)


def main() -> None:
    plan = xe.load_plan()
    t0 = time.perf_counter()
    w = widths(plan)
    print(f"== Xiangxi as of 2020, forecasts of 2025 ({time.perf_counter() - t0:.1f} s)")
    print(w.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    t0 = time.perf_counter()
    bt = xe.backtest(plan)
    print(f"\n== Plan backtest ({time.perf_counter() - t0:.1f} s); goals: >= 8 rows (13th), >= 6 (14th), "
          "Brier below the trend baseline's")
    s = bt.scores()
    cols = ["plan", "n", "brier_model", "n_trend", "brier_trend", "n_verdict", "brier_verdict", "n_rw_median",
            "brier_rw_median", "coverage50", "coverage90"]
    print(s[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    table = bt.table
    both = table[table["scored"] & table["p_trend"].notna()]
    if len(both):
        y = both["met"].to_numpy(float)
        print(f"\nOn the {len(both)} rows both have: Brier engine "
              f"{np.mean((both['probability'] - y) ** 2):.3f}, trend {np.mean((both['p_trend'] - y) ** 2):.3f}")
    print(f"Not scored: {int((~table['scored']).sum())} rows, each with its reason (bt.to_frame()['reason']).")


if __name__ == "__main__":
    main()
