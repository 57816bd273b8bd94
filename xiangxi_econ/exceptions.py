"""Every exception and warning class of xiangxi_econ, in one place.

Errors speak to the user: they name the file, the 1-based row and column, or the argument, the
value and what was expected. Warning classes are named for what they mean.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from typing import Union

PathLike = Union[str, "os.PathLike[str]"]

__all__ = [
    "PlanFileError",
    "PriceBasisError",
    "ReportError",
    "UnknownIndicatorError",
    "UserValueError",
    "StatisticalBreakError",
    "PercentLikeRateWarning",
    "CJKFontMissingWarning",
    "SolverConvergenceWarning",
    "UnknownSeriesWarning",
    "did_you_mean",
]


class PlanFileError(ValueError):
    """A plan, history or observations file cannot be read.

    Attributes
    ----------
    path : str
        The file.
    row : int or None
        1-based row in the file; the header is row 1.
    column : str or None
        The column name.
    value : str or None
        The offending cell text.
    """

    def __init__(self, path: PathLike, message: str, row: int | None = None,
                 column: str | None = None, value: str | None = None) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.value = value
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


class PriceBasisError(ValueError):
    """A nominal quantity was combined with a real one without an inflation or
    deflator assumption, or a price basis was combined with a non-money quantity."""


class ReportError(ValueError):
    """The report cannot be written where asked (existing files, unwritable folder)."""


class UserValueError(ValueError):
    """A value given by argument (``evaluate_progress(plan, {"gdp": {2025: ...}})``) is unusable.

    Attributes
    ----------
    where : str
        The value's place, as it would be written in Python: ``observed['gdp'][2025]``.
    value : object
        The value given.
    """

    def __init__(self, where: str, value: object, message: str) -> None:
        self.where = where
        self.value = value
        shown = value.item() if hasattr(value, "item") and callable(value.item) else value
        super().__init__(f"{where} = {shown!r}: {message}")


def did_you_mean(ident: str, known: Iterable[str], n: int = 5) -> str:
    """``'; did you mean gdp?'`` for the ids of ``known`` closest to ``ident``, or ``''``.

    Examples
    --------
    >>> did_you_mean("gpd", ["gdp", "population"])
    '; did you mean gdp?'
    """
    close = difflib.get_close_matches(str(ident), sorted(set(map(str, known))), n=n)
    return f"; did you mean {', '.join(close)}?" if close else ""


class UnknownIndicatorError(KeyError):
    """An indicator or series id that the plan (or dataset) does not hold.

    The message suggests the closest known ids.

    Parameters
    ----------
    ident : str
        The id asked for.
    known : iterable of str
        The ids that exist.
    what : str
        What kind of id (``"indicator"``, ``"series"``).
    hint : str, optional
        Extra text replacing the did-you-mean suggestion.
    """

    def __init__(self, ident: str, known: Iterable[str] = (), what: str = "indicator", hint: str = "") -> None:
        self.ident = ident
        if not hint:
            hint = did_you_mean(ident, known)
        self.message = f"no {what} '{ident}' in this plan{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class StatisticalBreakError(ValueError):
    """A growth rate, pace or trend would span a flagged break in a statistical series
    (a census revision, a change of definition or of method)."""


class PercentLikeRateWarning(UserWarning):
    """A rate argument has ``|rate| > 1``: probably a percent (7.5) passed where a
    fraction (0.075) was expected. Rates in xiangxi_econ are fractions per year."""


class CJKFontMissingWarning(UserWarning):
    """A chart was asked for in Chinese but no font that can draw Chinese is installed: it is drawn
    with English labels. Install one with ``pip install "xiangxi_econ[zh]"`` (Noto Sans CJK SC from
    PyPI) or ``apt-get install fonts-noto-cjk``."""


class UnknownSeriesWarning(UserWarning):
    """A history or observations file holds a ``series_id`` that no indicator of the plan uses:
    the rows are kept but no target reads them (often a misspelling: ``gpd`` for ``gdp``)."""


class SolverConvergenceWarning(RuntimeWarning):
    """A root finder stopped at ``maxiter`` before reaching ``xtol``; see the
    ``converged`` field of the result. (Named so as not to shadow statsmodels'
    ``ConvergenceWarning``.)"""
