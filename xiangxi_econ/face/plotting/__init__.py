"""Charts of a plan's targets: paths, paces, simulated fans, outcomes and the tourism arithmetic.

This package only draws: every number on a chart is read from the result it is handed (a plan, an
assessment frame, a targets table, target paths, a scenario frame, a simulation, a forecast, a
backtest); it projects, scores and judges nothing (the import contracts in ``.importlinter`` forbid
it the computing floors). Its words are in :data:`xiangxi_econ.i18n.CHART_TEXT`.

One module, one subject:

* :mod:`~xiangxi_econ.face.plotting.paths` — target paths, the target grid, scenario paths;
* :mod:`~xiangxi_econ.face.plotting.pace` — required against historical pace;
* :mod:`~xiangxi_econ.face.plotting.outcomes` — progress, outcome paths, two plans compared;
* :mod:`~xiangxi_econ.face.plotting.probability` — fans, probabilities, forecasts, calibration;
* :mod:`~xiangxi_econ.face.plotting.findings` and :mod:`~xiangxi_econ.face.plotting.components` —
  contradictions between targets, a structural model's components;
* :mod:`~xiangxi_econ.face.plotting.tourism` — revenue against arrivals × spending;
* :mod:`~xiangxi_econ.face.plotting.output` — saving, PNG bytes, the report's type size;
* private helpers: ``_base`` (axes, frames, the mathtext guard), ``_labels`` (words by key, unit
  labels, names), ``_style`` (colours, dashes, symbols), ``_bars`` (bar charts of result tables).

It is the only part of :mod:`xiangxi_econ` that uses matplotlib, and it imports it inside each
function: ``import xiangxi_econ.face.plotting`` does not load matplotlib.

Every chart function

* takes ``ax=None`` and draws on a new figure when no Axes is given;
* returns the Axes it drew on (:func:`plot_target_grid` returns an array of Axes);
* labels its value axis with the unit and, for money amounts, the price basis
  (``"100 million CNY, current prices"``; ``"亿元，现价"``);
* takes ``lang="en"`` or ``lang="zh"``. Chinese labels are drawn with an installed CJK font
  (:func:`xiangxi_econ.face._fonts.cjk_font`), set on each text and never in the global ``rcParams``;
  with no such font installed, ``lang="zh"`` draws English labels, with no missing glyphs and no
  warnings;
* draws with any backend, including the headless ``Agg``.

Colours come from the Okabe-Ito palette, distinguishable with the common forms of colour
blindness; lines also differ in dash pattern so that charts survive greyscale printing.

References
----------
Okabe, M. and Ito, K. (2008). *Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people*. https://jfly.uni-koeln.de/color/

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import xiangxi_econ as xe
>>> from xiangxi_econ.face import plotting
>>> ax = plotting.plot_tourism_decomposition(xe.load_plan())
>>> [round(float(p.get_height()), 6) for p in ax.patches]
[461.0, 1000.0, 1440.0]
>>> plotting.save(ax, "tourism.png")  # doctest: +SKIP
>>> import matplotlib.pyplot as plt
>>> plt.close("all")
"""

from __future__ import annotations

# check_lang, display_name, IDENTITIES, _plain_text and _with_gaps were in the namespace of the former
# single module and stay importable from here
from .._fonts import label_text
from ._base import _plain_text as _plain_text
from ._base import _with_gaps as _with_gaps
from ._labels import unit_label
from ._style import BOUND_SYMBOLS, SCENARIO_COLOURS, SEVERITY_COLOURS, VERDICT_COLOURS
from .components import plot_components
from .findings import plot_findings
from .outcomes import plot_outcome_path, plot_plan_comparison, plot_progress
from .output import REPORT_DPI as REPORT_DPI
from .output import png_bytes, report_style, save
from .output import report_png as report_png
from .pace import plot_pace_comparison
from .paths import plot_scenario_paths, plot_target_grid, plot_target_path
from .probability import plot_calibration, plot_fan, plot_forecast, plot_probabilities
from .tourism import plot_tourism_decomposition

__all__ = [
    "BOUND_SYMBOLS",
    "SCENARIO_COLOURS",
    "SEVERITY_COLOURS",
    "VERDICT_COLOURS",
    "label_text",
    "plot_calibration",
    "plot_components",
    "plot_fan",
    "plot_findings",
    "plot_forecast",
    "plot_outcome_path",
    "plot_pace_comparison",
    "plot_plan_comparison",
    "plot_probabilities",
    "plot_progress",
    "plot_scenario_paths",
    "plot_target_grid",
    "plot_target_path",
    "plot_tourism_decomposition",
    "png_bytes",
    "report_style",
    "save",
    "unit_label",
]


def __dir__() -> list[str]:
    """The chart functions and their style constants: what ``xe.plot.<tab>`` offers."""
    return list(__all__)
