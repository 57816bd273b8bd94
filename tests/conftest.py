"""Fixtures shared by the test modules: the embedded plan, its assessment table and a CSV writer."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

import xiangxi_econ as xe


@pytest.fixture(scope="session")
def plan() -> xe.Plan:
    """The embedded Xiangxi plan (each test gets the same object; tests must not modify it)."""
    return xe.load_plan()


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test left open (only where pyplot is already imported, so tests
    of a light import stay light)."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture(scope="session")
def table(plan):
    """``xe.assess(plan).to_frame()`` indexed by indicator id."""
    return xe.assess(plan).to_frame().set_index("indicator_id")


def _write_csv(path: Path | str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return Path(path)


@pytest.fixture(scope="session")
def write_csv() -> Callable[[Path | str, Sequence[str], Sequence[Sequence[object]]], Path]:
    """``write_csv(path, header, rows)``: a UTF-8 CSV written with the csv module."""
    return _write_csv
