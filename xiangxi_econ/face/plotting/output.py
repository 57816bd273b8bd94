"""Getting a chart out: save it to a file, as PNG bytes, or draw it in the report's type size."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._base import _pyplot

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure


def _figure_of(obj: Any) -> Figure:
    """The figure of a Figure, an Axes or an array of Axes; TypeError naming ``fig_or_ax`` otherwise."""
    if hasattr(obj, "savefig"):
        return obj
    if isinstance(obj, np.ndarray) and obj.size:
        obj = obj.flat[0]
    fig = getattr(obj, "figure", None)
    if fig is None or not hasattr(fig, "savefig"):
        raise TypeError(f"fig_or_ax must be a matplotlib Figure, Axes or array of Axes; got {type(obj).__name__}")
    return fig


def save(fig_or_ax: Any, path: str | Path, dpi: float = 150) -> Path:
    """Save the figure of a chart.

    Parameters
    ----------
    fig_or_ax : Figure, Axes or array of Axes
        What a chart function returned, or its figure.
    path : str or path-like
        Output file; the format follows the suffix (``.png``, ``.pdf``, ``.svg``).
    dpi : float
        Resolution of raster formats [dots per inch].

    Returns
    -------
    pathlib.Path
        The file written.
    """
    fig = _figure_of(fig_or_ax)
    out = Path(path)
    if not out.parent.exists():
        raise FileNotFoundError(f"path: folder {str(out.parent)!r} does not exist")
    fig.savefig(out, dpi=dpi, bbox_inches="tight")
    return out


def report_style() -> Any:
    """A context in which charts are drawn for a page that shows them two to a row: type 12 pt
    instead of matplotlib's 10 pt, so ticks and legends stay legible at about 600 px wide.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> with report_style():
    ...     pass
    """
    import matplotlib

    return matplotlib.rc_context({"font.size": 12.0})


def png_bytes(fig_or_ax: Any, dpi: float = 130, close: bool = True) -> bytes:
    """The figure of a chart as PNG bytes (e.g. to embed in an HTML page), closing it by default.

    Parameters
    ----------
    fig_or_ax : Figure, Axes or array of Axes
    dpi : float
        Resolution [dots per inch].
    close : bool
        Close the figure afterwards, so batch jobs do not accumulate open figures.
    """
    import io

    fig = _figure_of(fig_or_ax)
    buf = io.BytesIO()
    # a constrained-layout figure already fits its labels and outside legends; a tight bounding box
    # would draw the whole figure a second time only to measure it
    tight = None if fig.get_layout_engine() is not None else "tight"
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches=tight)
    if close:
        _pyplot().close(fig)
    return buf.getvalue()
