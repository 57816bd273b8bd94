"""Colours, dash patterns and marker symbols of the charts (no words, no numbers computed).

Colours come from the Okabe-Ito palette, distinguishable with the common forms of colour
blindness; lines also differ in dash pattern so that charts survive greyscale printing.

References
----------
Okabe, M. and Ito, K. (2008). *Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people*. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import pandas as pd

#: Okabe-Ito colours by verdict code: blue/green for on track, orange for "acceleration needed",
#: vermillion for limited progress, reddish purple for movement away, grey for no verdict.
VERDICT_COLOURS: dict[str, str] = {
    "already_met": "#009E73",
    "on_track": "#0072B2",
    "significant_progress": "#0072B2",
    "fair_progress": "#E69F00",
    "moderate_progress": "#E69F00",
    "limited_progress": "#D55E00",
    "insufficient_progress": "#D55E00",
    "stagnation_or_regression": "#D55E00",
    "deterioration": "#CC79A7",
    "moving_away": "#CC79A7",
    "no_history": "#999999",
    "not_comparable": "#999999",
    "not_assessable": "#999999",
    # outcome and progress words share the scale: reached in green-blue, missed in vermilion
    "met": "#009E73",
    "met_early": "#009E73",
    "exceeded": "#009E73",
    "ahead": "#0072B2",
    "in_line": "#56B4E9",
    "within_ceiling": "#0072B2",
    "lagging": "#E69F00",
    "not_met": "#D55E00",
    "breached": "#D55E00",
    "no_outcome": "#999999",
}
UNKNOWN_VERDICT_COLOUR = "#000000"

#: Colours of consistency findings by severity.
SEVERITY_COLOURS: dict[str, str] = {"high": "#D55E00", "medium": "#E69F00", "low": "#999999"}

#: Okabe-Ito colours for scenario lines, in order of first appearance in the scenario frame.
SCENARIO_COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                                     "#D55E00", "#F0E442", "#000000")
SCENARIO_DASHES: tuple[str, ...] = ("-", "--", "-.", ":")

HISTORY_COLOUR = "#000000"
TARGET_COLOUR = "#D55E00"
TARGET_MARKER = "*"
FAN_COLOUR = "#0072B2"

#: Symbol shown before a target value for each ``bound`` code.
BOUND_SYMBOLS: dict[str, str] = {"at_least": "≥ ", "at_most": "≤ ", "about": "≈ ", "exact": ""}


def scenario_styles(frame: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    """(colour, dash) of each scenario of a long scenario frame, in order of first appearance.

    >>> scenario_styles(pd.DataFrame({"scenario": ["plan", "trend", "plan"]}))
    {'plan': ('#0072B2', '-'), 'trend': ('#E69F00', '--')}
    """
    if frame is None or "scenario" not in frame.columns:
        return {}
    names = list(dict.fromkeys(frame["scenario"].astype(str)))
    return {name: (SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)], SCENARIO_DASHES[i % len(SCENARIO_DASHES)])
            for i, name in enumerate(names)}
