"""One result base: ``str()``, ``repr()`` and Jupyter's ``_repr_html_`` all come from
``summary()`` and ``to_frame()``, so every result object looks the same everywhere
(the pattern of linearmodels' ``shared/base.py``); language through :mod:`xiangxi_econ.i18n`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ._format import esc, fit, html_table, num
from .i18n import check_lang, header, localise

__all__ = ["ResultBase", "charts", "fit", "num"]


def charts() -> Any:
    """The plotting layer, :mod:`xiangxi_econ.face.plotting`, imported on first use.

    The one door from a result to its chart (the statsmodels pattern): results reach the plotting
    layer through it, and the plotting layer never calls results back. It loads matplotlib, so it
    is imported here, inside the function, never at package import.
    """
    from .face import plotting

    return plotting


class ResultBase:
    """The one base of every result object.

    A subclass implements ``_frame()`` (its tidy table, column keys in English snake_case) and
    ``_summary(lang)`` (plain reproducible text), and ``_plot(ax, **kwargs)`` where it has a chart.
    The base gives them all the same surface:

    * ``summary(lang=None)`` and ``str()``: the plain-text summary;
    * ``to_frame(lang=None)``: the table with ``name`` and ``*_label`` columns in ``lang``
      (:func:`xiangxi_econ.i18n.localise`); column keys never change with the language;
    * a one-line ``repr`` (the summary's first line), and Jupyter's ``_repr_html_`` (summary head and
      the table with human headers in ``lang``);
    * ``to_excel(path, lang=None)``; ``plot(ax=None, **kwargs)`` returning the matplotlib Axes.

    ``lang`` defaults to the object's own ``lang`` attribute, else English.
    """

    _html_max_rows = 60

    # ------------------------------------------------------------------ to implement
    def _frame(self) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def _summary(self, lang: str) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _plot(self, ax: Any = None) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no chart")

    # ------------------------------------------------------------------ surface
    def _lang(self, lang: str | None) -> str:
        return check_lang(lang or getattr(self, "lang", None) or "en")

    def summary(self, lang: str | None = None) -> str:
        """Plain-text summary in ``lang`` (``'en'`` or ``'zh'``)."""
        return self._summary(self._lang(lang))

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        """The result as a tidy table; ``name`` and ``*_label`` columns in ``lang``."""
        return localise(self._frame(), self._lang(lang))

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the result's chart on ``ax`` (a new figure when None); returns the Axes."""
        return self._plot(ax=ax, **kwargs)

    def to_excel(self, path: Any, lang: str | None = None) -> Path:
        """Write :meth:`to_frame` to an .xlsx file as one formatted sheet (needs openpyxl).

        Fractions (rates per year, probabilities) are formatted as percentages; the header row is
        bold and frozen. Returns the path written.
        """
        from .face._workbook import write_excel

        return write_excel({type(self).__name__: self.to_frame(lang)}, path)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        head = self.summary().split("\n", 1)[0].strip()
        return f"<{type(self).__name__}: {head}>"

    def _repr_html_(self) -> str:
        lang = self._lang(None)
        head, _, _ = self.summary().partition("\n\n")
        frame = self.to_frame()
        shown = frame.head(self._html_max_rows).rename(columns=lambda c: header(str(c), lang))
        table = html_table(shown)
        more = ""
        if len(frame) > self._html_max_rows:
            more = f"<p>… {len(frame) - self._html_max_rows} more rows; use <code>.to_frame()</code>.</p>"
        return f"<pre>{esc(head)}</pre>{table}{more}"
