"""Benchmark of :func:`xiangxi_econ.build_report` on the embedded plan (a script that prints figures,
not a test).

Prints the wall time of each stage of a report run, in the order the report needs them: import,
each part of the analysis (the analysis object computes its parts lazily, so each is timed on first
access), the charts, the HTML page, the workbook and CSV files, and the whole ``build_report`` call
on a fresh analysis. Goal (issue 17): the whole report in at most 8 s on the embedded plan with the
default 100,000 draws.

Run from the repository root with the package importable::

    PYTHONPATH=. python benchmarks/bench_report.py [--lang zh] [--draws 100000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def _stage(name: str, fn, rows: list):
    start = time.perf_counter()
    value = fn()
    rows.append((name, time.perf_counter() - start))
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", choices=("en", "zh"))
    parser.add_argument("--draws", type=int, default=100_000)
    args = parser.parse_args()
    rows: list = []
    xe = _stage("import xiangxi_econ", lambda: __import__("xiangxi_econ"), rows)
    from xiangxi_econ.face import report
    from xiangxi_econ.face._report_html import notes_sheet, page, summary_sheet

    plan = _stage("load_plan", xe.load_plan, rows)
    an = xe.analyse(plan, lang=args.lang, n_draws=args.draws, seed=0)
    for part in ("historical", "targets", "assessment", "track_record", "consistency", "scenarios",
                 "simulation", "evaluation", "comparison", "outlook", "backtest"):
        _stage(f"analysis.{part}", lambda p=part: getattr(an, p), rows)
    charts = _stage("charts (all PNGs)", lambda: report._charts(an), rows)
    meta = report.report_meta(plan, args.lang)
    _stage("HTML page", lambda: page(an, charts, meta, args.lang), rows)
    _stage("summary + notes sheets", lambda: (summary_sheet(an, args.lang), notes_sheet(an, meta, args.lang)), rows)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = xe.analyse(plan, lang=args.lang, n_draws=args.draws, seed=0)
        start = time.perf_counter()
        report.build_report(Path(tmp) / "rep", analysis=fresh)
        total = time.perf_counter() - start
    width = max(len(n) for n, _ in rows)
    for name, sec in rows:
        print(f"{name:<{width}}  {sec:7.2f} s")
    print(f"{'charts: ' + str(len(charts)) + ' PNGs':<{width}}")
    print(f"{'build_report (fresh analysis, total)':<{width}}  {total:7.2f} s")


if __name__ == "__main__":
    main()
