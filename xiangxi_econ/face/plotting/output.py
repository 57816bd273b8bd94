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


#: Type size of report charts [pt]. A chart is drawn at the width it is shown (96 px an inch, as CSS
#: counts), so 1 pt is 96/72 = 1.33 CSS px: matplotlib's "small" (0.833 x 10.5 = 8.75 pt, legends
#: and notes, the smallest size the charts use) is 11.7 px, ticks 14 px, titles ("large") 16.8 px.
REPORT_FONT_PT = 10.5
#: CSS pixels per inch (the CSS reference pixel).
CSS_PX_PER_INCH = 96.0
#: Resolution of report PNGs [dots per inch]: 1.5 image pixels per CSS pixel, sharp on a high-density screen.
REPORT_DPI = 144.0


def report_style() -> Any:
    """A context in which charts are drawn for the report page: type :data:`REPORT_FONT_PT` (see
    :func:`report_png`, which draws each chart at the width it is shown).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> with report_style():
    ...     pass
    """
    import matplotlib

    return matplotlib.rc_context({"font.size": REPORT_FONT_PT})


def visible_texts(fig: Any) -> list[Any]:
    """Every text artist of ``fig`` that is drawn: visible, non-empty, on a visible parent axes or legend."""
    from matplotlib.text import Text

    out = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        out.append(t)
    return out


def smallest_text_pt(fig_or_ax: Any) -> float:
    """The smallest font size among the visible texts of a chart [pt] (``nan`` without text)."""
    sizes = [float(t.get_fontsize()) for t in visible_texts(_figure_of(fig_or_ax))]
    return min(sizes) if sizes else float("nan")


def _lines_fitting(text: str, width_px: float, measure: Any) -> str:
    """``text`` wrapped so that each line measures at most ``width_px`` (words kept whole; text
    without spaces, such as Chinese, broken between characters)."""
    out = []
    for line in text.split("\n"):
        if measure(line) <= width_px:
            out.append(line)
            continue
        spaced = " " in line.strip()
        parts = line.split(" ") if spaced else list(line)
        sep = " " if spaced else ""
        current = ""
        for part in parts:
            trial = f"{current}{sep}{part}" if current else part
            if current and measure(trial) > width_px:
                out.append(current)
                current = part
            else:
                current = trial
        out.append(current)
    return "\n".join(out)


def wrap_titles(fig: Any) -> None:
    """Wrap every axes title of ``fig`` to the width of its column of the figure, so that no title
    is cut at the figure's edge (\"...as % of GD\")."""
    renderer = fig.canvas.get_renderer()
    width_px = fig.get_figwidth() * fig.dpi
    for ax in fig.axes:
        spec = ax.get_subplotspec() if hasattr(ax, "get_subplotspec") else None
        columns = spec.get_gridspec().ncols if spec is not None else 1
        room = 0.94 * width_px / columns
        for title in (ax.title, ax._left_title, ax._right_title):
            text = title.get_text()
            if not text:
                continue

            def measure(line: str, t: Any = title) -> float:
                t.set_text(line)
                return float(t.get_window_extent(renderer).width)

            wrapped = _lines_fitting(text, room, measure)
            title.set_text(wrapped)


def report_png(fig_or_ax: Any, width_px: float) -> tuple[bytes, float]:
    """A chart drawn at the width it is shown on the page: the figure is set to ``width_px`` CSS px
    (``width_px / 96`` inches, height in proportion), its titles wrapped to fit, and written at
    :data:`REPORT_DPI`. Returns the PNG and the smallest font size of its texts [pt].

    Shown ``width_px`` wide, a text of ``s`` pt measures ``s * 96 / 72`` CSS px.
    """
    fig = _figure_of(fig_or_ax)
    w, h = fig.get_size_inches()
    inches = float(width_px) / CSS_PX_PER_INCH
    fig.set_size_inches(inches, h * inches / w)
    wrap_titles(fig)
    smallest = smallest_text_pt(fig)
    return png_bytes(fig, dpi=REPORT_DPI), smallest


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
