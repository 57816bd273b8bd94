"""One display mixin: ``str()``, ``repr()`` and Jupyter's ``_repr_html_`` all come from
``summary()`` and ``to_frame()``, so every result object looks the same everywhere
(the pattern of linearmodels' ``shared/base.py``)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd


class DisplayMixin:
    """Give a result object text and HTML displays built from ``summary()``/``to_frame()``."""

    _html_max_rows = 60

    def summary(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_excel(self, path) -> "Path":
        """Write :meth:`to_frame` to an .xlsx file as one formatted sheet (needs openpyxl).

        Fractions (rates per year, probabilities) are formatted as percentages; the header row is
        bold and frozen. Returns the path written.
        """
        from .export import write_excel

        return write_excel({type(self).__name__: self.to_frame()}, path)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        head, _, _ = self.summary().partition("\n\n")
        frame = self.to_frame()
        table = frame.head(self._html_max_rows).to_html(index=False, na_rep="", border=0,
                                                         float_format=num)
        more = ""
        if len(frame) > self._html_max_rows:
            more = f"<p>… {len(frame) - self._html_max_rows} more rows; use <code>.to_frame()</code>.</p>"
        return f"<pre>{html.escape(head)}</pre>{table}{more}"


def fit(text: str, width: int) -> str:
    """``text`` cut and padded to ``width`` terminal columns (CJK characters take two)."""
    import unicodedata

    out, used = [], 0
    for ch in str(text):
        w = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def num(value: float) -> str:
    """A number for plain-text tables: enough digits for printed plan values (725.11 stays 725.11;
    26500 shows as 26,500); only values below 0.01 in size use four significant digits (1e-05)."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    v = float(value)
    if abs(v) >= 1000:
        return f"{v:,.0f}" if abs(v - round(v)) < 0.005 else f"{v:,.2f}"
    if 0 < abs(v) < 0.01:
        return f"{v:.4g}"
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"
