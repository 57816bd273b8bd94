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


# ---------------------------------------------------------------------------- hostile plan folder
#: Script payloads of the OWASP XSS filter-evasion cheat sheet's main shapes: an element with an
#: event handler, a script element, a break out of a double- or single-quoted attribute, and a
#: ``javascript:`` link. Each sets ``window.__xss`` to its number and opens a dialog if it runs.
XSS_PAYLOADS = (
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "<script>window.__xss=2;alert(2)</script>",
    '"><svg onload="window.__xss=3;alert(3)">',
    "'><svg onload='window.__xss=4;alert(4)'>",
    '<a href="javascript:window.__xss=5;alert(5)">link</a>',
)

_EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example_prefecture.csv"


def _payload(i: int) -> str:
    return XSS_PAYLOADS[i % len(XSS_PAYLOADS)]


def _read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _hostile_plan_folder(folder: Path) -> Path:
    """A valid plan folder (``data/example_prefecture.csv`` and its history, the README's "Bring
    your own plan") whose every free-text field holds a payload of :data:`XSS_PAYLOADS`: indicator
    names, sources, notes, quotes and stated changes; every unit but ``%`` is a new unit of
    ``units.csv`` ending in a payload; ``observations.csv`` (outcomes, so the latest-value cells are
    filled) and ``breaks.csv`` carry payloads in source, quote, note and description; ``meta.json``
    in title, issuer, date and region."""
    import json

    folder.mkdir(parents=True)
    rows = _read_rows(_EXAMPLE)
    head = rows[0]
    registry = xe.load_plan().units
    units: dict[str, str] = {}  # printed unit -> hostile unit
    for k, row in enumerate(rows[1:]):
        for col in ("name_zh", "name_en", "source", "note", "stated_change"):
            row[head.index(col)] = f"{row[head.index(col)]} {_payload(k)}"
        unit = row[head.index("unit")]
        if unit != "%":  # a % unit must stay '%' (shares and growth measures)
            row[head.index("unit")] = units.setdefault(unit, f"{unit}{_payload(k + 1)}")
    _write_csv(folder / "indicators.csv", head, rows[1:])
    _write_csv(folder / "units.csv", ["unit", "unit_en", "base_unit", "scale"],
               [[new, f"{registry.table.at[old, 'unit_en']} {_payload(i + 2)}", registry.base_unit(old),
                 repr(registry.scale(old))] for i, (old, new) in enumerate(units.items())])
    history = _read_rows(_EXAMPLE.with_name("example_prefecture_history.csv"))
    hh = history[0]
    for k, row in enumerate(history[1:]):
        row[hh.index("source")] += f" {_payload(k)}"
        row[hh.index("quote")] += f" {_payload(k + 3)}"
        row[hh.index("unit")] = units.get(row[hh.index("unit")], row[hh.index("unit")])
    _write_csv(folder / "history.csv", hh, history[1:])
    _write_csv(folder / "observations.csv", ["series_id", "year", "value", "unit", "source", "quote", "note"],
               [["gdp", 2023, 500, units["亿元"], f"S {_payload(0)}", f"Q {_payload(1)}", f"N {_payload(2)}"],
                ["gdp", 2025, 580, units["亿元"], f"S {_payload(3)}", f"Q {_payload(4)}", f"N {_payload(0)}"],
                ["urbanisation_rate", 2025, 49, "%", f"S {_payload(1)}", f"Q {_payload(2)}", f"N {_payload(3)}"],
                ["tourism_arrivals", 2025, 4000, units["万人次"], f"S {_payload(2)}", f"Q {_payload(3)}",
                 f"N {_payload(4)}"]])
    _write_csv(folder / "breaks.csv", ["series_id", "year", "kind", "description_en", "description_zh", "source"],
               [["tourism_arrivals", 2022, "method", f"D {_payload(0)}", f"DZ {_payload(1)}", f"B {_payload(2)}"]])
    meta = {"title": f"T {_payload(0)}", "title_en": f"TE {_payload(1)}", "issuer": f"I {_payload(2)}",
            "date": f"D {_payload(3)}", "region": f"R {_payload(4)}", "region_zh": f"RZ {_payload(0)}"}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def hostile_plan_folder() -> Callable[[Path], Path]:
    """``hostile_plan_folder(folder)``: write a valid plan folder whose every text field holds a
    script payload (:data:`XSS_PAYLOADS`) at ``folder`` and return it."""
    return _hostile_plan_folder


@pytest.fixture(scope="session")
def xss_payloads() -> tuple[str, ...]:
    """The script payloads of :func:`hostile_plan_folder` (:data:`XSS_PAYLOADS`)."""
    return XSS_PAYLOADS
