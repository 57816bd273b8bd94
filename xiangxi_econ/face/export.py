"""Excel export: tables as formatted sheets (openpyxl).

Each sheet has a bold, frozen header row with an autofilter and sensible column widths; columns
holding fractions (rates per year, probabilities, shares of a distance) are formatted as
percentages so 0.0664 shows as 6.64%, paces in percentage points as +1.00 pp, while values printed
in percent by the plan (55 for 55%) stay plain numbers; verdicts and statuses are coloured.
Every text cell is stored as text, so a name such as ``=SUM(A1)`` is never a formula, and the
workbook is written to a temporary file renamed into place (see :mod:`xiangxi_econ._safe_io`).
openpyxl (a runtime dependency) is imported only when a workbook is written. The writer lives in
:mod:`xiangxi_econ.face._workbook`, formats and colours in :mod:`xiangxi_econ._format`; this module is
their public face.
"""

from __future__ import annotations

from .._format import (
           CODE_COLUMNS,
           FILLS,
           PERCENT_COLUMNS,
           PLAIN_COLUMNS,
           PP_COLUMNS,
           PP_FORMAT,
           RATIO_COLUMNS,
           excel_number_format,
)
from ._workbook import write_excel

_number_format = excel_number_format

__all__ = ["CODE_COLUMNS", "FILLS", "PERCENT_COLUMNS", "PLAIN_COLUMNS", "PP_COLUMNS", "PP_FORMAT", "RATIO_COLUMNS",
           "write_excel"]
