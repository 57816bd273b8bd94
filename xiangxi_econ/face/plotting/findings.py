"""Contradictions between a plan's targets: how far each implied value is from the stated one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ...i18n import check_lang
from ._bars import _bar_axes, _bar_rows
from ._base import _plain_text
from ._style import SEVERITY_COLOURS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes


@_plain_text
def plot_findings(consistency_frame: Any, ax: Axes | None = None, lang: str = "en") -> Axes:
    """How far each contradiction's implied value is from the stated one, in percent of the stated.

    Parameters
    ----------
    consistency_frame : pandas.DataFrame or ConsistencyReport
        Columns ``check, severity, stated_value, implied_value``.
    ax : matplotlib.axes.Axes, optional
    lang : {'en', 'zh'}

    Returns
    -------
    matplotlib.axes.Axes
        One bar per finding with both numbers: ``100 (implied / stated - 1)``, coloured by severity.
    """
    check_lang(lang)
    rows, ax, y = _bar_rows(consistency_frame, "consistency_frame",
                            ["check", "stated_value", "implied_value", "severity"], ax, 0.4)
    keep = rows["implied_value"].notna().to_numpy() & (rows["stated_value"] != 0).to_numpy()
    rows = rows[keep].reset_index(drop=True)
    y = np.arange(len(rows))[::-1].astype(float)
    gap = (rows["implied_value"].to_numpy(float) / rows["stated_value"].to_numpy(float) - 1) * 100
    ax.barh(y, gap, color=[SEVERITY_COLOURS.get(str(v), "#000000") for v in rows["severity"]],
            edgecolor="black", linewidth=0.5, height=0.6, zorder=2)
    ax.axvline(0.0, color="#666666", linewidth=0.8)
    names = [f"{i + 1}. {c}" for i, c in enumerate(rows["check"].astype(str))]
    _bar_axes(ax, y, names, "findings_axis", "findings_title", lang)
    return ax
