"""Horizontal bar charts of result tables: the rows to draw, their axes and labels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import _fonts
from ._base import _as_frame, _new_axes, _require_columns
from ._labels import _t

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes


def _bar_rows(obj: Any, what: str, columns: Sequence[str], ax: Axes | None, per_row: float) -> tuple[
        pd.DataFrame, Axes, np.ndarray]:
    """Rows of a result table for a horizontal bar chart: the frame checked (rows where
    ``columns[1]`` is known), the axes (``per_row`` inches a row), the bar positions, top first."""
    frame = _as_frame(obj, what)
    _require_columns(frame, columns, what)
    rows = frame[frame[columns[1]].notna()].reset_index(drop=True)
    ax = _new_axes(ax, (9.0, max(3.0, per_row * len(rows) + 1.5)))
    return rows, ax, np.arange(len(rows))[::-1].astype(float)


def _bar_axes(ax: Axes, y: np.ndarray, names: list[str], xlabel: str, title: str | None, lang: str) -> None:
    """Row names on the bars, the value-axis label and the title (chart-text keys), a vertical grid."""
    kw = _fonts.text_kw(lang)
    ax.set_yticks(y, names, **kw)
    ax.set_xlabel(_t(xlabel, lang), **kw)
    if title is not None:
        ax.set_title(_t(title, lang), **kw)
    ax.grid(True, axis="x", alpha=0.3)
