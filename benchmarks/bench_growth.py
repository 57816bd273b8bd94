"""Benchmark of xiangxi_econ.maths.growth against pyam (a script that prints figures, not a test).

1. Growth rates between consecutive years on a 333-region x 30-indicator x 11-year
   panel with uneven year gaps: :func:`xiangxi_econ.maths.growth.growth_rates` (one numpy
   expression) against pyam's ``IamDataFrame.compute.growth_rate`` (a Python function
   per series through ``groupby.apply``). The two results must agree to 1e-12.
2. :func:`xiangxi_econ.maths.growth.required_rate` over 10**6 rows (goal: < 0.2 s).
3. :func:`xiangxi_econ.maths.growth.required_rate_cumulative` over 10**6 rows, vectorised
   Newton against scipy's brentq element by element (timed on a subset, extrapolated).

Run from the repository root, in any environment with numpy, pandas and scipy (pyam is
optional; without it the script says so and prints only its own timings)::

    pip install ".[bench]"   # optional: pyam for the comparison
    PYTHONPATH=. python benchmarks/bench_growth.py

Timings are the best of several runs (``time.perf_counter``); data are seeded.
"""

from __future__ import annotations

import logging
import platform
import sys
import time
import warnings

import numpy as np
import pandas as pd

from xiangxi_econ.maths.growth import growth_rates, required_rate, required_rate_cumulative

SEED = 20210414
N_REGIONS, N_INDICATORS = 333, 30
YEARS = [2000, 2005, 2010, 2012, 2014, 2015, 2016, 2017, 2018, 2019, 2020]  # uneven gaps
GOAL_REQUIRED_RATE_S = 0.2


def best_of(func, repeat: int) -> tuple[float, object]:
    """Best wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def make_panel() -> pd.DataFrame:
    """Wide panel: rows (region, variable), columns = years, positive levels."""
    rng = np.random.default_rng(SEED)
    regions = [f"region_{i:03d}" for i in range(N_REGIONS)]
    variables = [f"indicator_{j:02d}" for j in range(N_INDICATORS)]
    index = pd.MultiIndex.from_product([regions, variables], names=["region", "variable"])
    n = len(index)
    gaps = np.diff(YEARS)
    log_growth = rng.normal(0.05, 0.06, size=(n, len(gaps))) * gaps
    start = np.log(rng.uniform(1.0, 1e4, size=(n, 1)))
    levels = np.exp(np.hstack([start, start + np.cumsum(log_growth, axis=1)]))
    return pd.DataFrame(levels, index=index, columns=YEARS)


def bench_growth_rates(panel: pd.DataFrame) -> None:
    n_series = len(panel)
    print(f"Growth rates between consecutive years: {N_REGIONS} regions x {N_INDICATORS} "
          f"indicators x {len(YEARS)} years = {n_series:,} series, {panel.size:,} values")
    print(f"  years: {YEARS}")
    t_ours, ours = best_of(lambda: growth_rates(panel), repeat=7)
    print(f"  xiangxi_econ.growth_rates:         {t_ours * 1e3:10.2f} ms (best of 7)")

    try:
        logging.getLogger("pyam").setLevel(logging.ERROR)
        with warnings.catch_warnings():  # pyam's optional dependencies warn on import
            warnings.simplefilter("ignore")
            import pyam
    except Exception as exc:  # ImportError, or a broken optional dependency
        print(f"  pyam is not importable ({type(exc).__name__}: {exc}); "
              f"printing only xiangxi_econ timings")
        return

    long = panel.reset_index()
    long.insert(0, "model", "bench")
    long.insert(1, "scenario", "baseline")
    long.insert(4, "unit", "CNY")
    iam = pyam.IamDataFrame(long)
    mapping = {v: f"{v}|growth" for v in panel.index.get_level_values("variable").unique()}
    t_pyam, result = best_of(lambda: iam.compute.growth_rate(mapping), repeat=2)
    print(f"  pyam {pyam.__version__} compute.growth_rate: {t_pyam * 1e3:10.2f} ms (best of 2)")
    print(f"  speed-up: {t_pyam / t_ours:,.0f}x")

    theirs = result.timeseries().droplevel(["model", "scenario", "unit"])
    theirs = theirs.rename(index={v: k for k, v in mapping.items()}, level="variable")
    theirs.columns = [int(c) for c in theirs.columns]
    theirs = theirs.reorder_levels(["region", "variable"]).reindex(ours.index)[list(ours.columns)]
    diff = np.abs(theirs.to_numpy() - ours.to_numpy())
    ok = bool(np.isfinite(diff).all() and diff.max() <= 1e-12)
    print(f"  agreement: max |difference| = {diff.max():.3g} over {diff.size:,} rates "
          f"-> {'OK (<= 1e-12)' if ok else 'MISMATCH (> 1e-12)'}")
    if not ok:
        sys.exit(1)


def bench_required_rate() -> None:
    n = 10**6
    rng = np.random.default_rng(SEED)
    base = rng.uniform(1.0, 1e4, size=n)
    target = base * rng.uniform(0.8, 3.0, size=n)
    years = 5
    t, rate = best_of(lambda: required_rate(base, target, years), repeat=7)
    verdict = "meets" if t < GOAL_REQUIRED_RATE_S else "MISSES"
    print(f"required_rate over {n:,} rows: {t * 1e3:.1f} ms (best of 7; "
          f"{verdict} the < {GOAL_REQUIRED_RATE_S * 1e3:.0f} ms goal)")
    check = np.abs(base * (1 + rate) ** years / target - 1).max()
    print(f"  round trip base*(1+rate)**5 vs target: max relative error {check:.2g}")


def bench_required_rate_cumulative() -> None:
    n = 10**6
    rng = np.random.default_rng(SEED + 1)
    flow = rng.uniform(1.0, 1e3, size=n)
    total = flow * rng.uniform(3.0, 12.0, size=n)
    t_newton, res = best_of(lambda: required_rate_cumulative(flow, total, 5), repeat=3)
    print(f"required_rate_cumulative over {n:,} rows (years = 5), vectorised Newton: "
          f"{t_newton * 1e3:.0f} ms (best of 3); converged {int(res.converged.sum()):,}/{n:,}, "
          f"iterations max {int(res.iterations.max())}")
    m = 10**4
    t_brentq, ref = best_of(
        lambda: required_rate_cumulative(flow[:m], total[:m], 5, method="brentq"), repeat=1
    )
    per = t_brentq / m
    diff = np.abs(ref.rate - res.rate[:m]).max()
    print(f"  scipy brentq, one call per row: {per * 1e6:.1f} us/row on {m:,} rows -> "
          f"~{per * n:.0f} s for {n:,} ({per * n / t_newton:,.0f}x slower); "
          f"max |Newton - brentq| = {diff:.2g}")


def main() -> None:
    print(f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"{platform.machine()}")
    bench_growth_rates(make_panel())
    print()
    bench_required_rate()
    print()
    bench_required_rate_cumulative()


if __name__ == "__main__":
    main()
