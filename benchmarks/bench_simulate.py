"""Benchmark of xiangxi_econ.simulate (a script that prints figures, not a test).

10**6 draws x 5 years x every simulated indicator of the embedded plan, timed against a
hand-written numpy baseline doing the same arithmetic (normal log-growth and pp steps, cumulated
paths, five-year totals, the share of draws meeting each target) in the same chunks. Goal: within
2x of the baseline, peak memory under 2 GB. Peak memory is the process's maximum resident set size
after each run (``resource.getrusage``), measured in a fresh subprocess per run.

Run from the repository root with the package importable::

    PYTHONPATH=. python benchmarks/bench_simulate.py
"""

from __future__ import annotations

import json
import subprocess
import sys

N_DRAWS = 1_000_000
CHUNK = 131_072

_CHILD = r"""
import json, resource, sys, time
import numpy as np
import xiangxi_econ as xe
from xiangxi_econ import montecarlo
from xiangxi_econ.schema import PP_KINDS

which, n_draws, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
plan = xe.load_plan()
t, _ = montecarlo._targets(plan, None)
t = t.reset_index(drop=True)
spreads = montecarlo._spreads(t, None, None, None)
if which == "library":
    start = time.perf_counter()
    sim = xe.simulate(plan, n_draws=n_draws, seed=0, chunk_size=chunk, fan_draws=20_000)
    elapsed = time.perf_counter() - start
    n_ind = len(sim.table)
else:
    # the same arithmetic written directly: one generator, normal steps, cumulated, compared
    pp = t["kind"].isin(PP_KINDS).to_numpy()
    cum = (t["kind"] == "cumulative").to_numpy()
    growth = (t["kind"] == "growth").to_numpy()
    mu, sigma = spreads["mu"].to_numpy(), spreads["sigma"].to_numpy()
    x0 = t["start"].to_numpy(float)
    target = t["target_value"].to_numpy(float)
    lower = (t["bound"].eq("at_most") | t["direction"].eq("decrease")).to_numpy()
    years = 5
    start = time.perf_counter()
    rng = np.random.default_rng(0)
    hits = np.zeros(len(t))
    finals = np.empty((n_draws, len(t)))
    done = 0
    while done < n_draws:
        n = min(chunk, n_draws - done)
        steps = mu[None, :, None] + sigma[None, :, None] * rng.standard_normal((n, len(t), years))
        s = np.cumsum(steps, axis=2)
        paths = np.where(pp[None, :, None], np.clip(x0[None, :, None] + s, 0, 100), x0[None, :, None] * np.exp(s))
        last = paths[:, :, -1].copy()
        last[:, cum] = paths[:, cum, :].sum(axis=2)
        last[:, growth] = (last[:, growth] ** (1 / years) - 1) * 100
        finals[done:done + n] = last
        hits += np.where(lower[None, :], last <= target, last >= target).sum(axis=0)
        done += n
    p = hits / n_draws
    q = np.quantile(finals, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    elapsed = time.perf_counter() - start
    n_ind = len(t)
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "indicators": n_ind}))
"""


def run(which: str) -> dict:
    best = None
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", _CHILD, which, str(N_DRAWS), str(CHUNK)],
                             capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    return best


def main() -> None:
    import platform

    import numpy as np

    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    lib = run("library")
    base = run("baseline")
    print(f"{N_DRAWS:,} draws x 5 years x {lib['indicators']} simulated indicators, chunks of {CHUNK:,}")
    print(f"  xe.simulate:           {lib['seconds']:.2f} s (best of 3), peak RSS {lib['peak_mb']:.0f} MB")
    print(f"  hand-written numpy:    {base['seconds']:.2f} s (best of 3), peak RSS {base['peak_mb']:.0f} MB")
    ratio = lib["seconds"] / base["seconds"]
    print(f"  ratio library/baseline: {ratio:.2f} (goal <= 2); peak memory goal < 2048 MB: "
          f"{'met' if lib['peak_mb'] < 2048 else 'NOT met'}")
    print("  (the library's run also builds the assessment it starts from, fan-chart quantiles and the table;")
    print("   the baseline times only the draws and the comparison)")


if __name__ == "__main__":
    main()
