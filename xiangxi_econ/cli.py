"""Command-line interface: ``xiangxi-econ`` (also ``python -m xiangxi_econ``).

Errors in the user's input end with a one-line message on stderr and a non-zero exit code,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence


def _load(args: argparse.Namespace):
    from .plan import load_plan, read_plan

    return read_plan(args.plan) if getattr(args, "plan", None) else load_plan()


def _cmd_summary(args: argparse.Namespace) -> int:
    plan = _load(args)
    print(plan.summary())
    return 0


def _cmd_source(args: argparse.Namespace) -> int:
    plan = _load(args)
    for ident in args.indicator_id:
        print(plan.source(ident))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .plan import read_plan

    plan = read_plan(args.file, history=args.history)
    print(f"{args.file}: valid plan file, {len(plan.indicators)} indicator rows")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="xiangxi-econ",
        description="Check whether a five-year plan's targets are reachable (Xiangxi 14th Five-Year Plan).")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("summary", help="overview of the plan's indicators")
    p.add_argument("--plan", help="a plan CSV (or folder) in the xiangxi_econ format; default: the embedded plan")
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("source", help="where an indicator's numbers came from")
    p.add_argument("indicator_id", nargs="+")
    p.add_argument("--plan", help="a plan CSV (or folder); default: the embedded plan")
    p.set_defaults(func=_cmd_source)

    p = sub.add_parser("validate", help="check a plan file and report the first problem")
    p.add_argument("file")
    p.add_argument("--history", help="a history CSV to check with it")
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
