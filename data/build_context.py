"""Build the package's national and provincial context from our own compilation of published figures.

Run from the project root::

    python data/build_context.py

It reads ``data/context_sources.csv`` (China and Hunan annual figures, each with the public text it
was read in and the clause that prints it) and writes, deterministically and in UTF-8,
``xiangxi_econ/data/context.csv``: one row per (region, series, year, vintage), every value in the
series' canonical unit. Running it twice gives the same bytes.

Every rule is a table or a function in this file:

- :data:`SERIES` — the series ids, their canonical unit, price basis and kind;
- :data:`UNIT_SCALE` — the units printed in the quotes and the factor to the canonical unit
  (5.53 万亿元 becomes 55300 亿元, with a ``converted:`` note);
- :data:`VINTAGES` — which release of a figure a row is (first release, initial revision, final);
- :data:`GLUED_PREFIX` — the one row whose quote has a footnote marker run into the number.

Validation (any failure stops the build with the 1-based row, the column and the value):
known region, series, unit and vintage; the unit converts to the series' canonical unit; the price
basis matches the series; the year is 2000-2025; the value is a plain decimal number and appears in
the quote as a number (not inside a longer one); no empty cell in a required column; one row per key.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES_CSV = ROOT / "data" / "context_sources.csv"
OUT_CSV = ROOT / "xiangxi_econ" / "data" / "context.csv"

REGIONS = ("china", "hunan")

#: series id -> (canonical unit, price basis, kind). ``level``: a stock or annual flow;
#: ``growth_pct``: a growth rate over the previous year in percent; ``share``: percent of a whole.
SERIES: dict[str, tuple[str, str, str]] = {
    "gdp_nominal": ("亿元", "current", "level"),
    "gdp_real_growth": ("%", "comparable", "growth_pct"),
    "cpi_inflation": ("%", "na", "growth_pct"),
    "disposable_income": ("元", "current", "level"),
    "disposable_income_urban": ("元", "current", "level"),
    "disposable_income_rural": ("元", "current", "level"),
    "disposable_income_growth": ("%", "current", "growth_pct"),
    "disposable_income_urban_growth": ("%", "current", "growth_pct"),
    "disposable_income_rural_growth": ("%", "current", "growth_pct"),
    "urbanisation_rate": ("%", "na", "share"),
    "total_population": ("万人", "na", "level"),
    "urban_population": ("万人", "na", "level"),
    "rural_population": ("万人", "na", "level"),
    "domestic_tourism_trips": ("亿人次", "na", "level"),
    "domestic_tourism_spending": ("亿元", "current", "level"),
}

#: unit as printed in the quote -> (canonical unit, factor). "亿" alone is used for trips (48.91亿 出游人次).
UNIT_SCALE: dict[str, tuple[str, int]] = {
    "亿元": ("亿元", 1),
    "万亿元": ("亿元", 10000),
    "元": ("元", 1),
    "%": ("%", 1),
    "万人": ("万人", 1),
    "亿人次": ("亿人次", 1),
    "亿": ("亿人次", 1),
}

#: Releases of a figure, in the order they are published. GDP: 初步核算 (first release, January/
#: February after the year), 初步核实 (initial revision, a year later), 最终核实 (final, two years later),
#: and ``census_revision``: the level revised onto the basis of a later economic (or population) census,
#: e.g. 2004 GDP after the 1st national economic census. Other series are first releases unless a row
#: says otherwise.
VINTAGES = ("first_release", "initial_revision", "final", "census_revision")

#: (region, series, year) -> text run into the front of the number in the quote by the PDF's text
#: layer: the Hunan 2024 bulletin's "地区生产总值2 53231.0" reads "253231.0" (footnote marker 2).
GLUED_PREFIX: dict[tuple[str, str, int], str] = {("hunan", "gdp_nominal", 2024): "2"}

SOURCE_COLUMNS = ("region", "series", "year", "value", "unit", "price_basis", "vintage", "source", "quote", "note")
REQUIRED = SOURCE_COLUMNS[:-1]
OUT_COLUMNS = SOURCE_COLUMNS
KEY = ("region", "series", "year", "vintage")
YEARS = (2000, 2025)

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class ContextSourceError(ValueError):
    """A row of the compilation breaks a rule: names the file, the 1-based row (header = 1), the column."""

    def __init__(self, path: Path, row: int, column: str, message: str) -> None:
        super().__init__(f"{path.name}, row {row}, column '{column}': {message}")


def fmt(value: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros beyond the printed precision."""
    text = format(value, "f")
    return text


def in_quote(value_text: str, quote: str, prefix: str = "") -> bool:
    """True when ``value_text`` is printed in ``quote`` as a whole number (no digit or decimal point
    right before or after it), optionally preceded by ``prefix`` (a glued footnote marker)."""
    pattern = r"(?<![\d.])" + re.escape(prefix + value_text) + r"(?![\d])(?!\.\d)"
    return re.search(pattern, quote) is not None


def read_sources(path: Path = SOURCES_CSV) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != SOURCE_COLUMNS:
            raise ContextSourceError(path, 1, ",".join(reader.fieldnames or ()),
                                     f"header must be {','.join(SOURCE_COLUMNS)}")
        return list(reader)


def _check(raw: dict[str, str], row: int, path: Path) -> None:
    for col in REQUIRED:
        if not (raw.get(col) or "").strip():
            raise ContextSourceError(path, row, col, "empty; every row needs it")
    if raw["region"] not in REGIONS:
        raise ContextSourceError(path, row, "region", f"'{raw['region']}' is not one of {', '.join(REGIONS)}")
    if raw["series"] not in SERIES:
        raise ContextSourceError(path, row, "series", f"'{raw['series']}' is not one of {', '.join(SERIES)}")
    if raw["unit"] not in UNIT_SCALE:
        raise ContextSourceError(path, row, "unit", f"'{raw['unit']}' is not one of {', '.join(UNIT_SCALE)}")
    if raw["vintage"] not in VINTAGES:
        raise ContextSourceError(path, row, "vintage", f"'{raw['vintage']}' is not one of {', '.join(VINTAGES)}")
    unit, basis, _ = SERIES[raw["series"]]
    if UNIT_SCALE[raw["unit"]][0] != unit:
        raise ContextSourceError(path, row, "unit", f"'{raw['unit']}' does not convert to {unit}, the unit of "
                                                    f"{raw['series']}")
    if raw["price_basis"] != basis:
        raise ContextSourceError(path, row, "price_basis", f"'{raw['price_basis']}'; {raw['series']} is {basis}")
    if not re.fullmatch(r"\d{4}", raw["year"]) or not YEARS[0] <= int(raw["year"]) <= YEARS[1]:
        raise ContextSourceError(path, row, "year", f"'{raw['year']}' is not a year in {YEARS[0]}-{YEARS[1]}")
    if not _NUMBER.match(raw["value"]):
        raise ContextSourceError(path, row, "value", f"'{raw['value']}' is not a plain decimal number")
    prefix = GLUED_PREFIX.get((raw["region"], raw["series"], int(raw["year"])), "")
    if not in_quote(raw["value"], raw["quote"], prefix):
        raise ContextSourceError(path, row, "value", f"{raw['value']} is not printed in the quote")


def derive(raw_rows: list[dict[str, str]], path: Path = SOURCES_CSV) -> list[dict[str, str]]:
    """Validate the compiled rows and return the output rows (canonical units, sorted)."""
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for i, raw in enumerate(raw_rows, start=2):
        _check(raw, i, path)
        key = tuple(raw[k] for k in KEY)
        if key in seen:
            raise ContextSourceError(path, i, "year", f"second row for {'/'.join(key)} (first at row {seen[key]})")
        seen[key] = i
        canonical, factor = UNIT_SCALE[raw["unit"]]
        try:
            value = Decimal(raw["value"]) * factor
        except InvalidOperation as exc:  # pragma: no cover - the regex above already refuses it
            raise ContextSourceError(path, i, "value", str(exc)) from exc
        notes = [raw["note"].strip()] if raw["note"].strip() else []
        if factor != 1:
            value = value.normalize() if value == value.to_integral() else value
            notes.insert(0, f"converted: {raw['value']} {raw['unit']} × {factor} = {fmt(value)} {canonical}")
        elif raw["unit"] != canonical:
            notes.insert(0, f"unit printed as {raw['unit']}")
        out.append({**raw, "value": fmt(value), "unit": canonical, "note": "; ".join(notes)})
    order = {v: n for n, v in enumerate(VINTAGES)}
    out.sort(key=lambda r: (REGIONS.index(r["region"]), list(SERIES).index(r["series"]), int(r["year"]),
                            order[r["vintage"]]))
    return out


def render(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(OUT_COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main() -> int:
    rows = derive(read_sources())
    OUT_CSV.write_bytes(render(rows).encode("utf-8"))
    print(f"wrote {len(rows)} rows of {len({(r['region'], r['series']) for r in rows})} region-series to "
          f"{OUT_CSV.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
