"""Command-line interface: ``xiangxi-econ`` (also ``python -m xiangxi_econ``).

Errors in the user's input end with a one-line message on stderr and a non-zero exit code,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from ..i18n import text


def _load(args: argparse.Namespace):
    from ..data.plan import load_plan, read_plan

    return read_plan(args.plan) if getattr(args, "plan", None) else load_plan()


def _cmd_summary(args: argparse.Namespace) -> int:
    plan = _load(args)
    print(plan.summary())
    return 0


def _cmd_assess(args: argparse.Namespace) -> int:
    from ..results.assessment import assess

    return _show(assess(_load(args), method=args.method, inflation=args.inflation, lang=args.lang), args)


def _cmd_report(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")  # a terminal job draws to files, never to a window
    from .report import build_report

    plan = _load(args)
    tty = sys.stderr.isatty()
    last = [-1]

    def progress(done: int, total: int) -> None:
        pct = int(100 * done / total)
        if pct // 10 != last[0] // 10 or done == total:
            end = "\r" if tty and done < total else "\n"
            print(f"simulating: {done:,} / {total:,} draws ({pct}%)", end=end, file=sys.stderr, flush=True)
            last[0] = pct

    result = build_report(args.out, plan=plan, lang=args.lang, n_draws=args.draws, seed=args.seed, force=args.force,
                          progress=progress, title=args.title, region=args.region)
    print(result.summary)
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number; got {text!r}")
    return value


def _seed(text: str) -> int:
    """``--seed``: a whole number from 0 (numpy's generators take no negative seed)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 (a random seed); got {text!r}")
    return value


def _cmd_pace(args: argparse.Namespace) -> int:
    from ..rules.historical import historical_pace

    return _show(historical_pace(_load(args)), args)


def _cmd_track_record(args: argparse.Namespace) -> int:
    from ..results.record import track_record

    return _show(track_record(_load(args)), args)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from ..data.validation import read_plan_observations
    from ..results.progress import evaluate_progress
    from ..results.record import compare_plans

    plan = _load(args)
    observed = read_plan_observations(args.observations, plan) if args.observations else None
    evaluation = evaluate_progress(plan, observed, as_of_year=args.as_of)
    _show(evaluation, args)
    if len(evaluation.missing):
        print()
        restated = evaluation.missing.get("stated_twice")
        n = len(evaluation.missing) if restated is None else int((~restated.astype(bool)).sum())
        print(text("cli_without_outcome", args.lang, n=n))
    if not args.as_of:
        print()
        print(compare_plans(plan, evaluation).summary(args.lang))
    return 0


def _show(result, args: argparse.Namespace) -> int:
    """Print a result's summary and, with ``--csv``, write its full table."""
    print(result.summary(getattr(args, "lang", None)))
    if args.csv:
        _write_csv(result.to_frame(), args.csv)
    return 0


def _write_csv(frame, path: str) -> None:
    """Write ``--csv``: a new file only (never a link, never over an existing file), written
    atomically, its text cells neutralised against spreadsheet formulas."""
    from pathlib import Path

    from .._safe_io import refuse_link, write_csv

    target = Path(path)
    refuse_link(target, "new CSV file")
    if target.exists():
        raise FileExistsError(f"{target} already exists; choose another file name")
    write_csv(frame, target, bom=False)
    print(f"wrote {target}")


def _cmd_source(args: argparse.Namespace) -> int:
    plan = _load(args)
    for ident in args.indicator_id:
        print(plan.source(ident))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..rules.validate import validate_plan

    result = validate_plan(args.file, history=args.history, units=args.units, observations=args.observations)
    print(result.summary())
    return 0


def _cmd_new_plan(args: argparse.Namespace) -> int:
    from ..data.new_plan import new_plan

    if not str(args.out).strip():
        raise ValueError("--out is empty; expected a folder name for the new plan")
    plan = new_plan(args.base_year, args.out, target_year=args.target_year, force=args.force)
    n = len(plan.indicators)
    print(f"wrote {args.out}: indicators.csv ({n} series, each with its latest published value up to "
          f"{args.base_year} as baseline), history.csv, observations.csv, breaks.csv, meta.json")
    print("next: fill target_value, bound (at_least / at_most / about / exact) and attribute (binding / "
          f"anticipatory) of the rows you target in indicators.csv, then: xiangxi-econ check --plan {args.out}")
    return 0


def _probability(text_: str) -> float:
    try:
        value = float(text_)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a probability between 0 and 1; got {text_!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a probability between 0 and 1 (0.5 for 50%); got {text_!r}")
    return value


def _cmd_check(args: argparse.Namespace) -> int:
    from ..feasibility import check

    result = check(_load(args), as_of_year=args.as_of, binding_only=args.binding_only,
                   min_probability=args.min_probability, min_joint=args.min_joint, n_draws=args.draws, seed=args.seed)
    print(result.summary(args.lang))
    if args.csv:
        _write_csv(result.to_frame(), args.csv)
    return 0 if result.ok else 1


_PLAN_HELP = "a plan CSV (or folder); default: the embedded plan"
_CSV_HELP = "also write the full table to this new CSV file"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="xiangxi-econ",
        description="Check whether a five-year plan's targets are reachable (Xiangxi 14th Five-Year Plan).")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("summary", help="overview of the plan's indicators")
    p.add_argument("--plan", help="a plan CSV (or folder) in the xiangxi_econ format; default: the embedded plan")
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("report", help="the whole analysis: report.html, assessment.xlsx, CSV tables and charts")
    p.add_argument("--out", required=True, help="folder to write (created if missing)")
    p.add_argument("--plan", help=_PLAN_HELP)
    p.add_argument("--lang", default="en", choices=["en", "zh"], help="language of names, verdicts and charts")
    p.add_argument("--draws", type=_positive_int, default=100_000, help="Monte Carlo draws (default 100000)")
    p.add_argument("--seed", type=_seed, default=0, help="random seed, a whole number from 0 (default 0)")
    p.add_argument("--force", action="store_true", help="overwrite files in --out that this tool did not create")
    p.add_argument("--title", help="report title (default: the plan's title, from meta.json in a plan folder)")
    p.add_argument("--region", help="region named under the title (default: meta.json's region)")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("assess", help="required vs historical pace and a verdict for every target")
    p.add_argument("--plan", help=_PLAN_HELP)
    p.add_argument("--method", default="unsd2020", choices=["unsd2020", "eurostat", "unsd2023"],
                   help="verdict method (default: unsd2020, the UN SDG Progress Chart growth ratio)")
    p.add_argument("--inflation", type=float, default=None,
                   help="assumed inflation as a fraction per year (0.02) to compare real and current-price rates")
    p.add_argument("--lang", default="en", choices=["en", "zh"], help="language of names and verdicts")
    p.add_argument("--csv", help=_CSV_HELP)
    p.set_defaults(func=_cmd_assess)

    for name, func, help_text in (
            ("pace", _cmd_pace,
             "pace over the history window before the base year: computed from levels and as reported"),
            ("track-record", _cmd_track_record, "the previous plan's targets: required vs achieved pace, met or not")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--plan", help=_PLAN_HELP)
        p.add_argument("--csv", help=_CSV_HELP)
        p.set_defaults(func=func)

    p = sub.add_parser("evaluate", help="end-of-plan (or mid-term) evaluation on published outcomes, and how the "
                                        "previous plan did")
    p.add_argument("--plan", help=_PLAN_HELP)
    p.add_argument("--observations", help="a CSV of your own observed values (format of observations.csv), "
                                          "merged on top of the plan's")
    p.add_argument("--as-of", type=int, default=None, help="judge with outcomes up to this year (a mid-term review)")
    p.add_argument("--lang", default="en", choices=["en", "zh"], help="language of names and verdicts")
    p.add_argument("--csv", help=_CSV_HELP)
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("new-plan", help="start a plan folder: every series' latest published value as its baseline, "
                                        "targets to fill")
    p.add_argument("--base-year", type=int, required=True, help="the plan's base year, e.g. 2025")
    p.add_argument("--out", required=True, help="folder to write (created if missing)")
    p.add_argument("--target-year", type=int, default=None, help="target year (default: base year + 5)")
    p.add_argument("--force", action="store_true", help="overwrite the plan files if the folder holds them")
    p.set_defaults(func=_cmd_new_plan)

    p = sub.add_parser("check", help="each target's probability and the joint one against thresholds; exit 1 when "
                                     "any is below (0 otherwise, 2 on bad input)")
    p.add_argument("--plan", help=_PLAN_HELP)
    p.add_argument("--as-of", type=int, default=None, help="information year of the forecasts (default: base year)")
    p.add_argument("--binding-only", action="store_true", help="check only the binding (约束性) targets")
    p.add_argument("--min-probability", type=_probability, default=0.5,
                   help="smallest acceptable probability of each target (default 0.5)")
    p.add_argument("--min-joint", type=_probability, default=0.2,
                   help="smallest acceptable probability of meeting them together (default 0.2)")
    p.add_argument("--draws", type=_positive_int, default=20_000, help="Monte Carlo draws of the check (default 20000)")
    p.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    p.add_argument("--lang", default="en", choices=["en", "zh"], help="language of names")
    p.add_argument("--csv", help=_CSV_HELP)
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("source", help="where an indicator's numbers came from")
    p.add_argument("indicator_id", nargs="+")
    p.add_argument("--plan", help=_PLAN_HELP)
    p.set_defaults(func=_cmd_source)

    p = sub.add_parser("validate", help="check a plan (file or folder) as the analysis reads it and report the "
                                        "first problem")
    p.add_argument("file", help="a plan CSV or a plan folder (indicators.csv, history.csv, units.csv, "
                                "observations.csv, meta.json)")
    p.add_argument("--history", help="a history CSV to check with it")
    p.add_argument("--observations", help="a CSV of observed values (format of observations.csv) to check with it")
    p.add_argument("--units", help="a units CSV (unit, unit_en, base_unit, scale) adding units")
    p.set_defaults(func=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args = parser.parse_args(["summary", *(argv or [])])
    try:
        return args.func(args)
    except (ValueError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"xiangxi-econ: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
