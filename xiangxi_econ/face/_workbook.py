"""Excel workbooks: tables as formatted sheets (openpyxl), behind :func:`xiangxi_econ.face.export.write_excel`
and every result's ``to_excel``.

Each sheet has a bold, frozen header row with an autofilter and sensible column widths; number
formats and colours come from :mod:`xiangxi_econ._format`. Every text cell is stored as text, so a
name such as ``=SUM(A1)`` is never a formula, and the workbook is written to a temporary file
renamed into place (see :mod:`xiangxi_econ._safe_io`). openpyxl is imported only when a workbook
is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from .._format import CODE_COLUMNS, FILLS, TONES, excel_number_format


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join(c for c in name if c not in '[]:*?/\\')[:31] or "sheet"
    out, k = clean, 1
    while out in used:
        k += 1
        out = f"{clean[:28]}_{k}"
    used.add(out)
    return out


def _style_sheet(ws, frame: pd.DataFrame) -> None:
    """Bold frozen header, autofilter, number formats, verdict colours, column widths."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if len(frame.columns):
        ws.auto_filter.ref = ws.dimensions
    for j, col in enumerate(frame.columns, start=1):
        fmt = excel_number_format(str(col), frame[col])
        code = next((c for c in CODE_COLUMNS if str(col) in (c, f"{c}_label")), None)
        codes = frame[code] if code and code in frame.columns else None
        for i, (cell,) in enumerate(ws.iter_rows(min_row=2, min_col=j, max_col=j)):
            if fmt:
                cell.number_format = fmt
            if codes is not None and isinstance(codes.iloc[i], str) and codes.iloc[i] in TONES:
                cell.fill = PatternFill("solid", fgColor=FILLS[TONES[codes.iloc[i]]])
        width = max([len(str(ws.cell(1, j).value))] + [len(str(v)) for v in frame[col].head(200)]) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 60)


def write_excel(sheets: Mapping[str, pd.DataFrame], path: str | Path,
                headers: Mapping[str, Mapping[str, str]] | None = None) -> Path:
    """Write DataFrames to an .xlsx workbook, one formatted sheet each.

    Every sheet has a bold, frozen header row with an autofilter; rates and probabilities are
    percentages (6.64%), paces in percentage points are signed (+1.00 pp), ratios have two decimals,
    other computed numbers are rounded for display (the cell keeps the full value); verdict and
    status cells are coloured (green, amber, red, grey).

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        Sheet name (cut to Excel's 31 characters) -> table, in workbook order.
    path : str or path-like
        Output file; replaced if it exists (atomically: a failure half-way leaves the old file
        whole); a symbolic link is refused.
    headers : mapping, optional
        Sheet name -> {column key: header to write}; formats still follow the column key. Sheets
        not named keep their column keys as headers.

    Text cells (and headers) are stored as text: a value such as ``=SUM(A1)`` or ``#N/A`` is shown
    as written, never evaluated; characters a workbook cannot hold (control characters) become
    U+FFFD.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ReportError
        When ``path`` is a symbolic link or its folder cannot be written.
    """
    from .._safe_io import atomic_write

    return atomic_write(Path(path), workbook(sheets, headers).save)


def workbook(sheets: Mapping[str, pd.DataFrame], headers: Mapping[str, Mapping[str, str]] | None = None) -> Any:
    """The workbook :func:`write_excel` writes, not yet saved (an ``openpyxl.Workbook``; its
    ``save(fh)`` writes it to a file opened for bytes).

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        As for :func:`write_excel`.
    headers : mapping, optional
        As for :func:`write_excel`.

    Returns
    -------
    openpyxl.Workbook
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, frame in sheets.items():
        ws = wb.create_sheet(_sheet_name(str(name), used))
        frame = frame.reset_index(drop=True)
        shown = (headers or {}).get(str(name), {})
        _append(ws, [_cell(str(shown.get(str(c), c))) for c in frame.columns])
        for record in frame.itertuples(index=False):
            _append(ws, [_cell(v) for v in record])
        _style_sheet(ws, frame)
    return wb


def _append(ws, values: list) -> None:
    """Append a row, every ``str`` stored as a text cell (openpyxl would make ``=…`` a formula and
    ``#N/A`` an error value)."""
    ws.append(values)
    row = ws.max_row
    for j, value in enumerate(values, start=1):
        if isinstance(value, str):
            ws.cell(row, j).data_type = "s"


def _cell(value):
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value
