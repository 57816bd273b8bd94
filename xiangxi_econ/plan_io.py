"""Read and validate plan files.

A plan file is a UTF-8 CSV whose columns are declared in :mod:`xiangxi_econ.schema`. Reading
never modifies the file. Any problem raises :class:`PlanFileError` naming the file, the 1-based
row (the header is row 1), the column, the bad value and what was expected.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Union

import pandas as pd

from .exceptions import PlanFileError
from .schema import (
    GEOMETRIC_KINDS,
    HISTORY_COLUMNS,
    INDICATOR_COLUMNS,
    Column,
)

PathLike = Union[str, "os.PathLike[str]"]

_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_YEAR_RANGE = (1900, 2200)


@dataclass(frozen=True)
class UnitRegistry:
    """Units a plan file may use, with their base unit and scale.

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``unit``, ``unit_en``, ``base_unit``, ``scale``; indexed by ``unit``.
    """

    table: pd.DataFrame

    def __contains__(self, unit: str) -> bool:
        return unit in self.table.index

    def scale(self, unit: str) -> float:
        """Factor from ``unit`` to its base unit [base units per unit]."""
        return float(self.table.at[unit, "scale"])

    def base_unit(self, unit: str) -> str:
        """The base unit of ``unit``."""
        return str(self.table.at[unit, "base_unit"])

    def extended(self, extra: pd.DataFrame) -> "UnitRegistry":
        """A registry with ``extra`` rows added (same columns)."""
        missing = {"unit", "unit_en", "base_unit", "scale"} - set(extra.columns)
        if missing:
            raise ValueError(f"units: missing column(s) {sorted(missing)}; expected unit, unit_en, base_unit, scale")
        extra = extra.set_index("unit", drop=False)
        return UnitRegistry(pd.concat([self.table, extra[~extra.index.isin(self.table.index)]]))


def _data_path(name: str):
    return resources.files("xiangxi_econ").joinpath("data").joinpath(name)


def default_units() -> UnitRegistry:
    """The unit registry shipped with the package (``data/units.csv``)."""
    with _data_path("units.csv").open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype={"unit": str, "unit_en": str, "base_unit": str, "scale": float},
                            keep_default_na=False)
    return UnitRegistry(table.set_index("unit", drop=False))


# --------------------------------------------------------------------------- reading text

def _read_text(path: PathLike) -> str:
    p = Path(path)
    if not p.exists():
        raise PlanFileError(path, "file not found")
    if p.is_dir():
        raise PlanFileError(path, "is a folder; expected a CSV file")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        raise PlanFileError(
            path,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "expected a UTF-8 encoded CSV — re-save the file as UTF-8 (a file saved as GBK/GB18030 "
            "can be converted with iconv -f GB18030 -t UTF-8)",
            row=row,
        ) from None
    if not text.strip():
        raise PlanFileError(path, "file is empty; expected a header row and at least one data row")
    return text


def _records(path: PathLike, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (1-based row number, cells) pairs; the header is row 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for cells in reader:
            line = reader.line_num
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if not any(c.strip() for c in cells):
                continue
            rows.append((line, cells))
    except csv.Error as exc:
        raise PlanFileError(path, f"malformed CSV ({exc})", row=reader.line_num) from None
    assert header is not None
    return header, rows


def _check_header(path: PathLike, header: list[str], columns: Iterable[Column]) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise PlanFileError(path, f"column '{name}' appears twice in the header", row=1, column=name)
        seen.add(name)
    missing = [c.name for c in columns if c.required and c.name not in seen]
    if missing:
        raise PlanFileError(
            path,
            f"missing column(s) {', '.join(missing)}; expected a header with at least "
            + ", ".join(c.name for c in columns if c.required),
            row=1,
        )


def _parse_cell(path: PathLike, row: int, col: Column, text: str):
    """Parse one cell; empty cells become None."""
    value = text.strip()
    if value == "":
        if col.nonempty:
            raise PlanFileError(path, f"empty cell; expected {col.describe()}", row=row, column=col.name, value="")
        return None
    if col.dtype == "str":
        if col.allowed and value not in col.allowed:
            raise PlanFileError(path, f"unknown value '{value}'; expected {col.describe()}",
                                row=row, column=col.name, value=value)
        return value
    hint = ""
    if value.endswith("%"):
        hint = " (percentages are stored as printed without the % sign: 55 for 55%)"
    if not _NUMBER.match(value):
        raise PlanFileError(path, f"'{value}' is not a number; expected {col.describe()}{hint}",
                            row=row, column=col.name, value=value)
    number = float(value)
    if not math.isfinite(number):
        raise PlanFileError(path, f"'{value}' is not a finite number", row=row, column=col.name, value=value)
    if col.dtype == "int":
        if not number.is_integer():
            raise PlanFileError(path, f"'{value}' is not a whole number; expected {col.describe()}",
                                row=row, column=col.name, value=value)
        number = int(number)
        if col.name.endswith("year") and not (_YEAR_RANGE[0] <= number <= _YEAR_RANGE[1]):
            raise PlanFileError(path, f"'{value}' is not a plausible year; expected {col.describe()}",
                                row=row, column=col.name, value=value)
    return number


def _parse_rows(path: PathLike, columns: tuple[Column, ...], header: list[str],
                rows: list[tuple[int, list[str]]]) -> list[dict]:
    index = {name: i for i, name in enumerate(header)}
    parsed = []
    for line, cells in rows:
        if len(cells) != len(header):
            raise PlanFileError(path, f"has {len(cells)} cells but the header has {len(header)}", row=line)
        record: dict = {"_row": line}
        for col in columns:
            if col.name in index:
                record[col.name] = _parse_cell(path, line, col, cells[index[col.name]])
            else:
                record[col.name] = None
        for name in header:
            if name not in record:
                record[name] = cells[index[name]]
        parsed.append(record)
    return parsed


def _read_records(path: PathLike, columns: tuple[Column, ...], *, nonempty: str | None = None) -> list[dict]:
    """The parsed rows of a plan-format CSV: text, header checked against ``columns``, cells parsed.
    With ``nonempty`` (what one row holds: "indicator"), a file with a header but no rows is refused."""
    text = _read_text(path)
    header, rows = _records(path, text)
    _check_header(path, header, columns)
    if nonempty and not rows:
        raise PlanFileError(path, f"has a header but no data rows; expected at least one {nonempty}")
    return _parse_rows(path, columns, header, rows)


def _error(path, rec, column, message):
    value = rec.get(column)
    return PlanFileError(path, message, row=rec["_row"], column=column,
                         value=None if value is None else str(value))


# --------------------------------------------------------------------------- indicators

def _check_indicator(path: PathLike, rec: dict, units: UnitRegistry) -> None:
    for col in ("indicator_id", "series_id"):
        ident = rec.get(col)
        if ident is not None and not _IDENT.match(ident):
            raise _error(path, rec, col, f"'{ident}' is not a valid identifier; expected ASCII letters, digits and "
                                         "underscores, starting with a letter")
    if rec["unit"] not in units:
        raise _error(path, rec, "unit", f"unknown unit '{rec['unit']}'; expected a unit listed in units.csv "
                                        "(pass units=... to read_plan to add your own)")
    kind = rec["kind"]
    numeric = kind != "qualitative"
    if rec["base_value"] is not None and rec["base_year"] is None:
        raise _error(path, rec, "base_year",
                     "base_value is given but base_year is empty; expected the year of base_value")
    if rec["target_value"] is not None and rec["target_year"] is None:
        raise _error(path, rec, "target_year",
                     "target_value is given but target_year is empty; expected the year of the target")
    if rec["base_year"] is not None and rec["target_year"] is not None and rec["target_year"] <= rec["base_year"]:
        raise _error(path, rec, "target_year",
                     f"target year {rec['target_year']} is not after base year {rec['base_year']}; "
                     "expected target_year > base_year")
    derived = rec.get("stated_change_type") == "multiple_of_previous_total"
    if numeric and rec["base_value"] is None and rec["target_value"] is None and not derived:
        raise _error(path, rec, "target_value",
                     f"a '{kind}' row needs base_value or target_value; expected a number "
                     "(use kind 'qualitative' for a target without a number)")
    for col in ("base_value", "target_value"):
        value = rec[col]
        if value is None:
            continue
        if kind in GEOMETRIC_KINDS and value < 0:
            raise _error(path, rec, col, f"negative value {value:g} for a '{kind}' indicator; expected a value >= 0")
        if kind == "share" and not 0 <= value <= 100:
            raise _error(path, rec, col, f"share {value:g} is outside 0-100; expected a percentage as printed "
                                         "(55 for 55%)")


def _fill_indicator_defaults(rec: dict, units: UnitRegistry) -> None:
    if rec["series_id"] is None:
        rec["series_id"] = rec["indicator_id"]
    if rec["price_basis"] is None:
        base = units.base_unit(rec["unit"])
        rec["price_basis"] = "current" if base.startswith(("CNY", "USD")) else "na"
    if rec["bound"] is None and rec["target_value"] is not None:
        rec["bound"] = "exact"
    if rec["direction"] is None and rec["target_value"] is not None and rec["base_value"] is not None:
        diff = rec["target_value"] - rec["base_value"]
        rec["direction"] = "increase" if diff > 0 else "decrease" if diff < 0 else "maintain"


def _indicator_frame(records: list[dict], units: UnitRegistry) -> pd.DataFrame:
    names = [c.name for c in INDICATOR_COLUMNS]
    extra = [k for k in records[0] if k not in names and k != "_row"] if records else []
    frame = pd.DataFrame.from_records(records, columns=names + extra)
    for col in INDICATOR_COLUMNS:
        if col.dtype == "int":
            frame[col.name] = pd.array(frame[col.name], dtype="Int64")
        elif col.dtype == "float":
            frame[col.name] = pd.to_numeric(frame[col.name], errors="raise").astype("float64")
        else:
            frame[col.name] = frame[col.name].fillna("").astype(str)
    table = units.table
    frame["unit_en"] = frame["unit"].map(table["unit_en"])
    frame["base_unit"] = frame["unit"].map(table["base_unit"])
    frame["scale"] = frame["unit"].map(table["scale"]).astype("float64")
    return frame.reset_index(drop=True)


def read_indicators(path: PathLike, units: UnitRegistry | None = None) -> pd.DataFrame:
    """Read and validate an indicators file.

    Parameters
    ----------
    path : str or path-like
        UTF-8 CSV with the columns of :data:`xiangxi_econ.schema.INDICATOR_COLUMNS`.
    units : UnitRegistry, optional
        Allowed units; defaults to the package's ``units.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, the file's columns plus ``unit_en``, ``base_unit`` and ``scale``.

    Raises
    ------
    PlanFileError
        Naming the file, the 1-based row, the column, the value and what was expected.
    """
    units = units or default_units()
    records = _read_records(path, INDICATOR_COLUMNS, nonempty="indicator")
    seen: dict[str, int] = {}
    for rec in records:
        _check_indicator(path, rec, units)
        ident = rec["indicator_id"]
        if ident in seen:
            raise _error(path, rec, "indicator_id",
                         f"duplicate indicator_id '{ident}' (first used on row {seen[ident]}); expected unique ids")
        seen[ident] = rec["_row"]
        _fill_indicator_defaults(rec, units)
    return _indicator_frame(records, units)


# --------------------------------------------------------------------------- history

def read_history(path: PathLike, units: UnitRegistry | None = None) -> pd.DataFrame:
    """Read and validate a history file (columns of :data:`xiangxi_econ.schema.HISTORY_COLUMNS`).

    Raises
    ------
    PlanFileError
        Naming the file, the 1-based row, the column, the value and what was expected.
    """
    units = units or default_units()
    records = _read_records(path, HISTORY_COLUMNS)
    for rec in records:
        if not _IDENT.match(rec["series_id"]):
            raise _error(path, rec, "series_id", f"'{rec['series_id']}' is not a valid identifier")
        if rec["unit"] not in units:
            raise _error(path, rec, "unit", f"unknown unit '{rec['unit']}'; expected a unit listed in units.csv")
        if rec["measure"] != "level" and rec["start_year"] is None:
            raise _error(path, rec, "start_year",
                         f"a '{rec['measure']}' observation needs the first year of its period; expected a year")
        if rec["start_year"] is not None and rec["start_year"] >= rec["year"]:
            raise _error(path, rec, "start_year",
                         f"start year {rec['start_year']} is not before year {rec['year']}; expected start_year < year")
        if rec["price_basis"] is None:
            rec["price_basis"] = "na"
    frame = pd.DataFrame.from_records(records, columns=[c.name for c in HISTORY_COLUMNS])
    for col in HISTORY_COLUMNS:
        if col.dtype == "int":
            frame[col.name] = pd.array(frame[col.name], dtype="Int64")
        elif col.dtype == "float":
            frame[col.name] = frame[col.name].astype("float64")
        else:
            frame[col.name] = frame[col.name].fillna("").astype(str)
    return frame
