"""One-token mutation run over the modules that decide what a target means and how a forecast scores.

Each mutant flips one operator in the module's code (``>`` and ``>=``, ``<`` and ``<=``, ``==`` and
``!=``, ``+`` and ``-``, ``*`` and ``/``, ``and`` and ``or``), writes the mutated module over the
original (restored afterwards, whatever happens), and runs that module's tests; a mutant is *killed*
when a test fails. The share killed says how much of the code's arithmetic and boundaries the tests
pin down. A printout, not a timed test:

    PYTHONPATH=. python benchmarks/mutation_run.py                 # every mutant of every module
    PYTHONPATH=. python benchmarks/mutation_run.py --max 25 --seed 0 rules/meaning.py

Survivors are listed with their line, so each can be read: some are equivalent (``x >= 0`` where x
is never 0), the rest are tests to write. Known equivalent mutants: ``rules/verdicts.py`` ``values <
cutoffs[-1]`` (a value at the last cutoff already met the ``>=`` condition before it, and np.select takes
the first), and the two sign checks of ``growth_ratio`` at a required pace of zero (the ratio is already
infinite there, hence NaN).
"""

from __future__ import annotations

import argparse
import ast
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xiangxi_econ"

#: module (relative to the package) -> the tests that speak for it
MODULES = {
    "rules/meaning.py": ["tests/test_rules.py", "tests/test_progress.py", "tests/test_verdicts.py"],
    "rules/verdicts.py": ["tests/test_verdicts.py", "tests/test_assessment.py"],
    "rules/windows.py": ["tests/test_windows.py", "tests/test_observed.py", "tests/test_progress.py"],
    "probability/engine.py": ["tests/test_engine.py", "tests/test_simulate.py"],
    "probability/backtesting.py": ["tests/test_backtest.py"],
}

SWAPS: dict[type, type] = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Eq: ast.NotEq,
                           ast.NotEq: ast.Eq, ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div,
                           ast.Div: ast.Mult, ast.And: ast.Or, ast.Or: ast.And}


def mutants(source: str) -> list[tuple[int, str, str]]:
    """Every one-token mutant of ``source``: (line, description, mutated source)."""
    out = []
    for k in range(len(_sites(ast.parse(source)))):
        tree = ast.parse(source)
        node, i = _sites(tree)[k]
        if i is None:
            old = type(node.op).__name__  # type: ignore[attr-defined]
            node.op = SWAPS[type(node.op)]()  # type: ignore[attr-defined]
            new = type(node.op).__name__  # type: ignore[attr-defined]
        else:
            old = type(node.ops[i]).__name__  # type: ignore[attr-defined]
            node.ops[i] = SWAPS[type(node.ops[i])]()  # type: ignore[attr-defined]
            new = type(node.ops[i]).__name__  # type: ignore[attr-defined]
        out.append((node.lineno, f"{old} -> {new}", ast.unparse(tree)))  # type: ignore[attr-defined]
    return out


def _sites(tree: ast.AST) -> list[tuple[ast.AST, int | None]]:
    sites: list[tuple[ast.AST, int | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sites += [(node, i) for i, op in enumerate(node.ops) if type(op) in SWAPS]
        elif isinstance(node, (ast.BinOp, ast.BoolOp)) and type(node.op) in SWAPS:
            sites.append((node, None))
    return sites


def killed(tests: list[str], timeout: float) -> bool:
    """Whether the tests fail (or hang past ``timeout`` seconds) on the module as it is now on disk."""
    try:
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-n", "0", "-p", "no:cacheprovider",
                              "--no-header", "-o", "addopts=--import-mode=importlib", *tests],
                             cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return True
    return run.returncode != 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES), help="modules relative to xiangxi_econ/")
    parser.add_argument("--max", type=int, default=0, help="mutants per module, sampled (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a hanging mutant counts killed")
    args = parser.parse_args(argv)
    total_killed = total = 0
    for module in args.modules:
        path = PACKAGE / module
        original = path.read_text(encoding="utf-8")
        found = mutants(original)
        if args.max and len(found) > args.max:
            found = random.Random(args.seed).sample(found, args.max)
        survivors = []
        start = time.perf_counter()
        try:
            for line, what, text in found:
                path.write_text(text, encoding="utf-8")
                if not killed(MODULES.get(module, ["tests"]), args.timeout):
                    survivors.append((line, what))
        finally:
            path.write_text(original, encoding="utf-8")
        n_killed = len(found) - len(survivors)
        total_killed += n_killed
        total += len(found)
        print(f"{module}: {n_killed}/{len(found)} killed ({time.perf_counter() - start:.0f} s)")
        for line, what in sorted(survivors):
            print(f"    survived: line {line}: {what}")
    if total:
        print(f"all: {total_killed}/{total} killed = {total_killed / total:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
