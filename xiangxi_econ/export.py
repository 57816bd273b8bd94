"""Excel export: tables as formatted sheets (openpyxl).

Each sheet has a bold, frozen header row and sensible column widths; columns holding fractions
(rates per year, probabilities, shares of a distance) are formatted as percentages so 0.0664 shows
as 6.64%, while values printed in percent by the plan (55 for 55%) stay plain numbers.
openpyxl (a runtime dependency) is imported only when a workbook is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import pandas as pd

#: Columns that hold fractions and are shown as percentages.
PERCENT_COLUMNS = frozenset({
    "required_rate", "historical_rate", "reported_rate", "computed_rate", "achieved_rate", "new_required_rate",
    "covered_share", "probability", "probability_reference", "probability_change", "mc_se", "time_share",
    "completion", "remaining_rate", "centre_rate", "reference_centre_rate",
})


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join(c for c in name if c not in '[]:*?/\\')[:31] or "sheet"
    out, k = clean, 1
    while out in used:
        k += 1
        out = f"{clean[:28]}_{k}"
    used.add(out)
    return out


def write_excel(sheets: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write DataFrames to an .xlsx workbook, one formatted sheet each.

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        Sheet name (cut to Excel's 31 characters) -> table.
    path : str or path-like
        Output file; overwritten if it exists.

    Returns
    -------
    pathlib.Path
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, frame in sheets.items():
        ws = wb.create_sheet(_sheet_name(str(name), used))
        frame = frame.reset_index(drop=True)
        ws.append([str(c) for c in frame.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for record in frame.itertuples(index=False):
            ws.append([_cell(v) for v in record])
        for j, col in enumerate(frame.columns, start=1):
            letter = get_column_letter(j)
            if col in PERCENT_COLUMNS:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = "0.00%"
            width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)]) + 2
            ws.column_dimensions[letter].width = min(max(width, 8), 60)
        ws.freeze_panes = "A2"
    wb.save(path)
    return path


def _cell(value):
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value
