"""Read and validate plan files.

A plan file is a UTF-8 CSV whose columns are declared in :mod:`xiangxi_econ.schema`. Reading
never modifies the file. Any problem raises :class:`PlanFileError` naming the file, the 1-based
row (the header is row 1), the column, the bad value and what was expected.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Union

import numpy as np
import pandas as pd

from ..exceptions import PlanFileError
from ..maths.figures import same_figure
from ..schema import GEOMETRIC_KINDS, HISTORY_COLUMNS, INDICATOR_COLUMNS, Column

PathLike = Union[str, "os.PathLike[str]"]

_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
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

    def extended(self, extra: pd.DataFrame, path: PathLike = "units",
                 rows: list[int] | None = None) -> "UnitRegistry":
        """A registry with ``extra`` rows added (same columns).

        A unit already in the registry may be listed again only with the same base unit and scale;
        every scale must be a finite positive number.

        Parameters
        ----------
        extra : pandas.DataFrame
            Columns ``unit, unit_en, base_unit, scale``.
        path : str or path-like
            Named in errors (the ``units.csv`` the rows came from).
        rows : list of int, optional
            1-based file row of each row of ``extra``; default: 2, 3, ...

        Raises
        ------
        PlanFileError
            A missing column, a scale that is not a finite positive number, an empty unit or base
            unit, a unit listed twice with different definitions, or a unit of the registry
            redefined (``亿元`` with a scale other than 1e8). ``row`` is the 1-based file row
            (header = row 1) of the offending unit.
        """
        missing = {"unit", "unit_en", "base_unit", "scale"} - set(extra.columns)
        if missing:
            raise PlanFileError(path, f"missing column(s) {', '.join(sorted(missing))}; expected a header with "
                                      "unit, unit_en, base_unit, scale", row=1)
        extra = extra.reset_index(drop=True).copy()
        rows_ = np.asarray(rows if rows is not None else np.arange(len(extra)) + 2)
        for col in ("unit", "base_unit"):
            text = extra[col].fillna("").astype(str).str.strip()
            bad = np.flatnonzero(text == "")
            if len(bad):
                raise PlanFileError(path, f"empty {col}; expected text", row=int(rows_[bad[0]]), column=col, value="")
            extra[col] = text
        scale = pd.to_numeric(extra["scale"], errors="coerce").astype("float64")
        bad = np.flatnonzero(~(np.isfinite(scale.to_numpy()) & (scale.to_numpy() > 0)))
        if len(bad):
            i = int(bad[0])
            raise PlanFileError(path, f"scale '{extra['scale'].iloc[i]}' is not a finite positive number; expected "
                                      "how many base units one unit holds (1e8 for 亿元 in CNY)",
                                row=int(rows_[i]), column="scale", value=str(extra["scale"].iloc[i]))
        extra["scale"] = scale
        seen: dict[str, tuple[int, int]] = {}
        for i, (unit, base, sc) in enumerate(zip(extra["unit"], extra["base_unit"], scale, strict=True)):
            row = int(rows_[i])
            if unit in self.table.index:
                old_base, old_scale = self.base_unit(unit), self.scale(unit)
                if base != old_base or not math.isclose(sc, old_scale, rel_tol=1e-12):
                    raise PlanFileError(path, f"redefines the unit '{unit}' as {sc:g} {base}; it is already "
                                              f"{old_scale:g} {old_base}. Expected a new unit name (or the same "
                                              "definition)", row=row, column="scale", value=f"{sc:g}")
            if unit in seen:
                first_row, first = seen[unit]
                if base != extra["base_unit"].iloc[first] or not math.isclose(sc, scale.iloc[first], rel_tol=1e-12):
                    raise PlanFileError(path, f"unit '{unit}' is defined twice differently (first on row "
                                              f"{first_row}); expected one definition", row=row, column="unit",
                                        value=unit)
            seen.setdefault(unit, (row, i))
        extra = extra.drop_duplicates("unit").set_index("unit", drop=False)
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

#: Largest input file read [bytes]; a plan, history or observations file is far smaller.
MAX_FILE_BYTES = 256 * 1024 * 1024

#: First bytes of spreadsheet workbooks: .xlsx/.ods (a zip archive) and .xls (an OLE2 file).
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

#: How each kind of input file is named in messages.
_WHAT = {"csv": "a UTF-8 encoded CSV", "json": "UTF-8 encoded JSON"}


def _read_bytes(path: PathLike, what: str = "a CSV file") -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES`.

    A pipe, device or socket is refused before it is opened (reading one could block for ever or
    never end), and so is a file too large; an unreadable file raises :class:`PlanFileError`
    naming it, never a bare ``OSError``.
    """
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise PlanFileError(path, "file not found") from None
    except OSError as exc:
        raise PlanFileError(path, f"cannot be read ({exc.strerror or exc}); expected {what}") from None
    if stat.S_ISDIR(info.st_mode):
        raise PlanFileError(path, f"is a folder; expected {what}")
    if not stat.S_ISREG(info.st_mode):
        raise PlanFileError(path, f"is not a regular file (a pipe, device or socket); expected {what}")
    if info.st_size > MAX_FILE_BYTES:
        raise PlanFileError(path, f"is {info.st_size:,} bytes, more than the limit of {MAX_FILE_BYTES:,}; "
                                  f"expected {what}")
    try:
        with open(p, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PlanFileError(path, f"cannot be read ({exc.strerror or exc}); expected {what}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise PlanFileError(path, f"is more than the limit of {MAX_FILE_BYTES:,} bytes; expected {what}")
    return raw


def _read_text(path: PathLike, kind: str = "csv") -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped); ``kind`` is ``"csv"`` or ``"json"``."""
    what = _WHAT[kind]
    raw = _read_bytes(path, what)
    if raw.startswith(_WORKBOOK_MAGIC):
        raise PlanFileError(
            path,
            f"is an Excel (or other spreadsheet) workbook, not {'a CSV file' if kind == 'csv' else 'JSON'}; "
            "open it in Excel and use Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"
            if kind == "csv" else
            f"is a spreadsheet workbook, not JSON; expected {what}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        raise PlanFileError(
            path,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            f"expected {what} — re-save the file as UTF-8 (a file saved as GBK/GB18030 "
            "can be converted with iconv -f GB18030 -t UTF-8)",
            row=row,
        ) from None
    if not text.strip():
        raise PlanFileError(path, "file is empty; expected a header row and at least one data row"
                            if kind == "csv" else f"file is empty; expected {what}")
    return text


def _records(path: PathLike, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (1-based row number, cells) pairs; the header is row 1.

    Empty columns at the right end of the header (what a spreadsheet adds when cells beyond the
    table were once touched) are dropped, with the empty cells under them; a value under an empty
    header cell is an error.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for cells in reader:
            line = reader.line_num
            if header is None:
                header = [c.strip() for c in cells]
                while header and header[-1] == "":
                    header.pop()
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                extra = cells[len(header):]
                if any(c.strip() for c in extra):
                    first = next(i for i, c in enumerate(extra) if c.strip())
                    raise PlanFileError(path, f"has a value in column {len(header) + first + 1}, which has no "
                                              f"header; expected {len(header)} columns",
                                        row=line, value=extra[first].strip())
                cells = cells[: len(header)]
            rows.append((line, cells))
    except csv.Error as exc:
        raise PlanFileError(path, f"malformed CSV ({exc})", row=reader.line_num) from None
    assert header is not None
    return header, rows


def _check_header(path: PathLike, header: list[str], columns: Iterable[Column]) -> None:
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        if name == "":
            raise PlanFileError(path, f"column {i} has no name in the header; expected a column name "
                                      "(or delete the empty column)", row=1)
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
    # Full-width digits, decimal point, signs and per-cent sign (５６．５, －１) are read as their
    # ASCII forms (Unicode NFKC); digits of other scripts are refused like any other text.
    value = unicodedata.normalize("NFKC", value).replace("\u2212", "-").strip()
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


def _read_records(path: PathLike, columns: tuple[Column, ...], *, nonempty: str | None = None,
                  text: str | None = None) -> list[dict]:
    """The parsed rows of a plan-format CSV: text, header checked against ``columns``, cells parsed.
    With ``nonempty`` (what one row holds: "indicator"), a file with a header but no rows is refused.
    ``text`` is the CSV already in hand (a DataFrame written as CSV, :func:`frame_text`); ``path`` then
    only names it in errors."""
    if text is None:
        text = _read_text(path)
    elif not text.strip():
        raise PlanFileError(path, "is empty; expected a header row and at least one data row")
    header, rows = _records(path, text)
    _check_header(path, header, columns)
    if nonempty and not rows:
        raise PlanFileError(path, f"has a header but no data rows; expected at least one {nonempty}")
    return _parse_rows(path, columns, header, rows)


def frame_text(frame: pd.DataFrame, what: str) -> str:
    """A DataFrame as the CSV text a spreadsheet would save, so that it passes the checks a file does
    (row 2 is the frame's first row). Nullable integers print without a decimal point; NaN is empty.

    Raises
    ------
    PlanFileError
        When ``frame`` is not a DataFrame, naming ``what``.
    """
    if not isinstance(frame, pd.DataFrame):
        raise PlanFileError(what, f"is a {type(frame).__name__}; expected a pandas DataFrame with the columns of "
                                  "the file format (see xiangxi_econ/data/README.md)")
    out = frame.reset_index(drop=True).copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            whole = out[col].dropna()
            if col.endswith("year") and len(whole) and (whole == whole.round()).all():
                out[col] = pd.array(out[col], dtype="Int64")
    out.columns = [str(c) for c in out.columns]
    return out.to_csv(index=False)


def _error(path, rec, column, message):
    value = rec.get(column)
    return PlanFileError(path, message, row=rec["_row"], column=column,
                         value=None if value is None else str(value))


# --------------------------------------------------------------------------- units and meta

def read_units(path: PathLike, units: UnitRegistry | None = None) -> UnitRegistry:
    """The registry ``units`` (default: the shipped one) extended by a ``units.csv`` file.

    Parameters
    ----------
    path : str or path-like
        UTF-8 CSV with columns ``unit, unit_en, base_unit, scale`` [base units per unit].
    units : UnitRegistry, optional
        The registry to extend; defaults to :func:`default_units`.

    Raises
    ------
    PlanFileError
        See :meth:`UnitRegistry.extended`; also for a file that is not a readable UTF-8 CSV.
    """
    text = _read_text(path)
    header, rows = _records(path, text)
    _check_header(path, header, ())
    width = len(header)
    for line, cells in rows:
        if len(cells) != width:
            raise PlanFileError(path, f"has {len(cells)} cells but the header has {width}", row=line)
    frame = pd.DataFrame([[c.strip() for c in cells] for _, cells in rows], columns=header, dtype=object)
    return (units or default_units()).extended(frame, path, [line for line, _ in rows])


_MAX_JSON_DEPTH = 64


def _json_depth(text: str) -> int:
    """Deepest nesting of brackets outside strings (a cheap pre-check before :func:`json.loads`)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def read_meta(path: PathLike) -> dict:
    """A plan folder's ``meta.json``: a JSON object (``title, title_en, issuer, date, region``).

    Raises
    ------
    PlanFileError
        For a file that is not a regular UTF-8 file of at most :data:`MAX_FILE_BYTES`, not valid
        JSON, nested more than 64 levels deep, or not a JSON object.
    """
    text = _read_text(path, "json")
    if _json_depth(text) > _MAX_JSON_DEPTH:
        raise PlanFileError(path, f"JSON nested more than {_MAX_JSON_DEPTH} levels deep; expected a flat JSON "
                                  'object such as {"title": "...", "region": "..."}')
    try:
        meta = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise PlanFileError(path, f"not valid JSON ({exc}); expected a JSON object such as "
                                  '{"title": "...", "region": "..."}') from None
    if not isinstance(meta, dict):
        raise PlanFileError(path, 'expected a JSON object such as {"title": "...", "region": "..."}')
    return {str(k): v for k, v in meta.items() if v is not None}


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
    base_unit = units.base_unit(rec["unit"])
    if kind == "share" and base_unit != "percent":
        raise _error(path, rec, "unit", f"a 'share' is a percentage of a whole, but unit '{rec['unit']}' measures "
                                        f"{base_unit}; expected unit '%' (or kind 'level' for an amount)")
    if kind in ("rate", "growth") and base_unit in _AMOUNT_BASE_UNITS:
        raise _error(path, rec, "unit", f"a '{kind}' is a ratio, but unit '{rec['unit']}' measures an amount of "
                                        f"{base_unit}; expected unit '%' (or kind 'level' for an amount)")
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
    _check_bound_direction(path, rec)
    derived = rec.get("stated_change_type") == "multiple_of_previous_total"
    if numeric and rec["base_value"] is None and rec["target_value"] is None and not derived:
        raise _error(path, rec, "target_value",
                     f"a '{kind}' row needs base_value or target_value; expected a number "
                     "(use kind 'qualitative' for a target without a number)")
    _check_indicator_values(path, rec, kind)


#: Base units of amounts (money, people, visits): never the unit of a share, rate or growth target.
_AMOUNT_BASE_UNITS = frozenset({"CNY", "USD", "person", "person_visit"})


def _check_indicator_values(path: PathLike, rec: dict, kind: str) -> None:
    """Signs and ranges of an indicator's base and target values."""
    for col in ("base_value", "target_value"):
        value = rec[col]
        if value is None:
            continue
        if kind == "growth" and value <= -100:
            raise _error(path, rec, col, f"average annual growth of {value:g}% is a fall of 100% or more a year; "
                                         "expected a growth rate in percent above -100 (7 for 7% a year)")
        if kind in GEOMETRIC_KINDS and value < 0:
            raise _error(path, rec, col, f"negative value {value:g} for a '{kind}' indicator; expected a value >= 0")
        if kind in GEOMETRIC_KINDS and col == "base_value" and value == 0:
            raise _error(path, rec, col, f"zero base_value for a '{kind}' indicator; expected a positive level "
                                         "(growth rates are taken from it, and from zero they are undefined); "
                                         "leave the cell empty if the base level was not stated")
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
    implied = BOUND_DIRECTION.get(rec["bound"] or "")
    if rec["direction"] is None and implied is not None:
        rec["direction"] = implied  # the bound says which side is success: "at least 93%" from 95% is not a fall
    elif rec["direction"] is None and rec["target_value"] is not None and rec["base_value"] is not None:
        diff = rec["target_value"] - rec["base_value"]
        rec["direction"] = "increase" if diff > 0 else "decrease" if diff < 0 else "maintain"


#: The desired direction a bound implies: at least → higher is better, at most → lower is better
#: (``about`` and ``exact`` imply none: the direction comes from the file or from base → target).
BOUND_DIRECTION = {"at_least": "increase", "at_most": "decrease"}

#: A direction that contradicts a bound: the bound's side of success is the other way.
_CONTRADICTS = {"at_least": "decrease", "at_most": "increase"}


def _check_bound_direction(path: PathLike, rec: dict) -> None:
    """A ``direction`` that points against the ``bound`` (at least … decrease, at most … increase) is refused:
    which side of the target is success would depend on which column is read."""
    bound, direction = rec.get("bound"), rec.get("direction")
    if bound in _CONTRADICTS and direction == _CONTRADICTS[bound]:
        raise _error(path, rec, "direction",
                     f"direction '{direction}' contradicts bound '{bound}' (bound '{bound}' means "
                     f"{'higher' if bound == 'at_least' else 'lower'} is better); expected direction "
                     f"'{BOUND_DIRECTION[bound]}' or 'maintain', or an empty cell (derived from the bound)")


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
    return _read_indicators(path, units)[0]


def _read_indicators(path: PathLike, units: UnitRegistry | None = None,
                     text: str | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`read_indicators` and the 1-based file row of each indicator (``text``: see :func:`_read_records`)."""
    units = units or default_units()
    records = _read_records(path, INDICATOR_COLUMNS, nonempty="indicator", text=text)
    seen: dict[str, int] = {}
    for rec in records:
        _check_indicator(path, rec, units)
        ident = rec["indicator_id"]
        if ident in seen:
            raise _error(path, rec, "indicator_id",
                         f"duplicate indicator_id '{ident}' (first used on row {seen[ident]}); expected unique ids")
        seen[ident] = rec["_row"]
        _fill_indicator_defaults(rec, units)
    return _indicator_frame(records, units), np.array([rec["_row"] for rec in records], dtype="int64")


# --------------------------------------------------------------------------- history

def read_history(path: PathLike, units: UnitRegistry | None = None) -> pd.DataFrame:
    """Read and validate a history file (columns of :data:`xiangxi_econ.schema.HISTORY_COLUMNS`).

    Besides the cell checks: a level in a unit other than ``%`` must be positive (growth rates
    are taken from levels), a level in ``%`` must lie in 0-100, an average annual growth rate must
    be above -100, a five-year total must not be negative; and two rows of one series, year,
    measure, start year and price basis (in one base unit) must give the same figure (equal
    within the rounding of their printed digits, :func:`~xiangxi_econ.data.observed.same_figure`). Rows
    that repeat a figure (the plan prints it in a table and in a chapter) are kept: each carries
    its own source.

    Raises
    ------
    PlanFileError
        Naming the file, the 1-based row, the column, the value and what was expected; for two
        conflicting rows, both row numbers.
    """
    return _read_history(path, units)[0]


def _check_history_record(path: PathLike, rec: dict, units: UnitRegistry) -> None:
    if not _IDENT.match(rec["series_id"]):
        raise _error(path, rec, "series_id", f"'{rec['series_id']}' is not a valid identifier; expected ASCII "
                                             "letters, digits and underscores, starting with a letter")
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
    value, measure, unit = rec["value"], rec["measure"], rec["unit"]
    percent = units.base_unit(unit) == "percent"
    if measure == "level" and percent and not 0 <= value <= 100:
        raise _error(path, rec, "value", f"share {value:g} is outside 0-100; expected a percentage as printed "
                                         "(55 for 55%); a growth rate needs a growth measure")
    if measure == "level" and not percent and value <= 0:
        what = "zero" if value == 0 else "negative"
        raise _error(path, rec, "value", f"{what} level {value:g} {unit}; expected a positive level (growth rates "
                                         "are taken from levels); leave out a year whose level is unknown")
    if measure in ("avg_annual_growth_pct", "total_growth_pct") and value <= -100:
        raise _error(path, rec, "value", f"growth of {value:g}% is a fall of 100% or more; expected a value "
                                         "above -100 (percent, as printed)")
    if measure == "cumulative_total" and value < 0:
        raise _error(path, rec, "value", f"negative five-year total {value:g} {unit}; expected a value >= 0")


#: Columns that identify one history figure (with the unit's base unit).
HISTORY_KEY = ["series_id", "year", "measure", "start_year", "price_basis"]


def _check_history_keys(path: PathLike, frame: pd.DataFrame, rows: np.ndarray, units: UnitRegistry) -> None:
    """Two rows of one key must print the same figure; the message names both rows."""
    key = frame[HISTORY_KEY].astype(str).assign(base_unit=frame["unit"].map(units.table["base_unit"]))
    dup = key.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    sub = frame[dup].assign(_row=rows[dup], _scale=frame.loc[dup, "unit"].map(units.table["scale"]).astype(float))
    keys = key[dup]
    for _, group in sub.groupby([keys[c] for c in keys.columns], sort=False, dropna=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            if not same_figure(float(first["value"]), float(first["_scale"]), float(other["value"]),
                               float(other["_scale"])):
                start = f" from {first['start_year']}" if pd.notna(first["start_year"]) else ""
                raise PlanFileError(
                    path,
                    f"conflicting duplicate: {first['series_id']} {first['year']} ({first['measure']}{start}, "
                    f"{first['price_basis']}) is {float(first['value']):g} {first['unit']} on row {first['_row']} "
                    f"and {float(other['value']):g} {other['unit']} on row {other['_row']}; expected one figure per "
                    "series_id, year, measure, start_year and price_basis (delete the wrong row; row order must "
                    "not decide the answer)",
                    row=int(other["_row"]), column="value", value=f"{float(other['value']):g}")


def _read_history(path: PathLike, units: UnitRegistry | None = None,
                  text: str | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`read_history` and the 1-based file row of each observation (``text``: see :func:`_read_records`)."""
    units = units or default_units()
    records = _read_records(path, HISTORY_COLUMNS, text=text)
    for rec in records:
        _check_history_record(path, rec, units)
    frame = pd.DataFrame.from_records(records, columns=[c.name for c in HISTORY_COLUMNS])
    for col in HISTORY_COLUMNS:
        if col.dtype == "int":
            frame[col.name] = pd.array(frame[col.name], dtype="Int64")
        elif col.dtype == "float":
            frame[col.name] = frame[col.name].astype("float64")
        else:
            frame[col.name] = frame[col.name].fillna("").astype(str)
    rows = np.array([rec["_row"] for rec in records], dtype="int64")
    _check_history_keys(path, frame, rows, units)
    return frame, rows
