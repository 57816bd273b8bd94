"""A structural model's base-year components as labelled bars (:mod:`xiangxi_econ.results.models`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import _fonts
from ._base import _new_axes, _plain_text, _require_columns
from ._labels import _fmt

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes


@_plain_text
def plot_components(frame: pd.DataFrame, title: str, ax: Axes | None = None) -> Axes:
    """A structural model's base-year components as labelled horizontal bars (each in its own unit).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``component, value, unit`` (a model's ``to_frame()``).
    title : str
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require_columns(frame, ["component", "value", "unit"], "frame")
    ax = _new_axes(ax, (7.0, max(2.5, 0.45 * len(frame) + 1.2)))
    kw = _fonts.text_kw("zh")
    units = [str(u) for u in frame["unit"]]
    if _fonts.effective_lang("zh") != "zh":  # no CJK font: the units' English names
        from ...data.plan_io import default_units

        table = default_units().table
        units = [str(table.at[u, "unit_en"]) if u in table.index else u for u in units]
    y = np.arange(len(frame))[::-1].astype(float)
    ax.barh(y, frame["value"].to_numpy(float), color="#0072B2", height=0.6)
    for yy, v, unit in zip(y, frame["value"], units, strict=True):
        ax.text(float(v), yy, f" {_fmt(float(v))} {unit}", va="center", fontsize="small", **kw)
    ax.set_yticks(y, frame["component"].astype(str).tolist())
    ax.set_xscale("log")
    ax.set_title(title.replace("×", "x"), **kw)
    return ax
