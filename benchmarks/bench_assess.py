"""Time ``assess`` (and reading the files) on synthetic plans of 10^3, 10^4 and 10^5 indicators.

Run from the project root: ``python benchmarks/bench_assess.py [n ...]`` (default ``1000 10000
100000``). Each plan is written as a plan folder (``indicators.csv``, ``history.csv``) in a temporary
folder and read with :func:`xiangxi_econ.read_plan`, so the checks at the door are timed too.

The synthetic plan: ``n`` indicators, one series each, a level in 亿元 (three in four) or a share in %
(one in four), base year 2020 and target 2025; the history gives each series' level in 2015-2020
(six rows per series, ``6 n`` rows), and every tenth series prints a second, different figure for
the base year (a baseline conflict, which ``targets.baseline_conflicts`` reports). Values are drawn
with a fixed seed, so every run times the same plan.

Figures measured on a shared 2-core machine (seconds, wall clock, one run each, so only the order
of magnitude counts; read = ``read_plan``, assess = ``assess`` on the plan read):

==========  ========  =====================  =====================  ============================
indicators  read      assess, row-by-row     assess, merge in       assess, also break_notes
                      baseline_conflicts     baseline_conflicts     vectorised (historical.py)
==========  ========  =====================  =====================  ============================
1,000       0.4-1.6   2.3                    1.6                    0.4
10,000      3.4-5.4   103 (issue 17: 32)     7.1                    1.6
100,000     22        not finished in 17 min 86                     12
==========  ========  =====================  =====================  ============================

What remains after the merge is linear: ``historical.break_notes`` filters the breaks table once per
series (about 1 ms each); grouping the breaks once by series removes it (last column).
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

import xiangxi_econ as xe  # noqa: E402

IND_HEADER = "indicator_id,name_zh,name_en,kind,unit,base_year,base_value,target_year,target_value,bound,source\n"
HIST_HEADER = "series_id,year,start_year,measure,value,value_text,unit,price_basis,source,quote\n"
HISTORY_YEARS = range(2015, 2021)


def write_plan(folder: Path, n: int, seed: int = 20260101) -> None:
    """A synthetic plan folder with ``n`` indicators (see the module docstring)."""
    rng = np.random.default_rng(seed)
    share = np.arange(n) % 4 == 3
    base = np.where(share, rng.uniform(20, 60, n), rng.uniform(50, 5000, n)).round(2)
    growth = rng.uniform(0.02, 0.09, n)  # annual growth of the levels [fraction per year]
    pace = rng.uniform(0.3, 1.5, n)  # annual change of the shares [pp per year]
    target = np.where(share, base + 5 * pace, base * (1 + growth) ** 5).round(2)
    ind = [f"s{i},指标{i},Indicator {i},{'share' if share[i] else 'level'},{'%' if share[i] else '亿元'},2020,"
           f"{base[i]:.2f},2025,{target[i]:.2f},at_least,synthetic" for i in range(n)]
    (folder / "indicators.csv").write_text(IND_HEADER + "\n".join(ind) + "\n", encoding="utf-8")
    hist = []
    for i in range(n):
        unit, basis = ("%", "na") if share[i] else ("亿元", "current")
        for year in HISTORY_YEARS:
            back = 2020 - year
            value = base[i] - back * pace[i] if share[i] else base[i] / (1 + growth[i]) ** back
            if year == 2020 and i % 10 == 0:
                value *= 1.01  # another figure printed for the base year
            hist.append(f"s{i},{year},,level,{value:.2f},,{unit},{basis},synthetic,")
    (folder / "history.csv").write_text(HIST_HEADER + "\n".join(hist) + "\n", encoding="utf-8")


def time_one(n: int) -> tuple[float, float, int]:
    """Seconds to read and to assess a synthetic plan of ``n`` indicators, and its assessed rows."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_plan(folder, n)
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plan = xe.read_plan(folder)
        t1 = time.perf_counter()
        result = xe.assess(plan)
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(result.to_frame())


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1_000, 10_000, 100_000]
    print(f"{'indicators':>10}  {'read [s]':>9}  {'assess [s]':>10}  {'rows':>7}")
    for n in sizes:
        read, assess, rows = time_one(n)
        print(f"{n:>10,}  {read:>9.2f}  {assess:>10.2f}  {rows:>7,}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
