"""Target paths: where each target's series would go at the pace the plan requires, and at the
pace of its history window (the ex-ante trend), year by year from the base year to the target year.

The charts draw these frames; they never project (ARCHITECTURE: the Face computes nothing). Shares
and rates move by a constant change, :math:`x_t = x_b + p\\,(t - b)` [pp a year]; other targets grow
at a constant rate, :math:`x_t = x_b (1 + g)^{t - b}` [fraction a year], with :math:`p, g` the
required pace (plan path) or the history-window pace (trend), as :func:`xiangxi_econ.rules.meaning.projected`
computes them.

>>> import xiangxi_econ as xe
>>> p = target_paths(xe.targets_table(xe.load_plan()), "urbanisation_rate")
>>> p["plan_path"].round(6).tolist()       # 50% in 2020 to 55% in 2025: 1 pp a year
[50.0, 51.0, 52.0, 53.0, 54.0, 55.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..rules import meaning as _rules
from ..schema import PP_KINDS

__all__ = ["target_paths"]


def target_paths(targets: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The plan path and the ex-ante trend path of one target, base year to target year.

    Parameters
    ----------
    targets : pandas.DataFrame
        The plan's targets table (:func:`xiangxi_econ.rules.targets.targets_table`, e.g.
        ``evaluation.targets``): ``indicator_id, base_year, target_year, kind, base_value,
        required_rate, required_pace_pp, historical_rate, historical_pace_pp``.
    indicator_id : str
        The target.

    Returns
    -------
    pandas.DataFrame
        ``year, plan_path, trend_path`` [the target's unit]; ``trend_path`` is NaN where the history
        window gives no pace.

    Raises
    ------
    KeyError
        When ``indicator_id`` is not a row of ``targets`` (the message names it).
    """
    rows = targets[targets["indicator_id"] == indicator_id]
    if rows.empty:
        raise KeyError(f"indicator_id {indicator_id!r} is not in the targets table")
    t = rows.iloc[0]
    base_year, target_year = int(t["base_year"]), int(t["target_year"])
    years = np.arange(base_year, target_year + 1)
    kind = np.full(len(years), "share" if t["kind"] in PP_KINDS else "level")
    steps = years - base_year
    base = float(t["base_value"])
    plan_path = _rules.projected(kind, base, t["required_rate"], t["required_pace_pp"], steps)
    hist = t["historical_pace_pp"] if kind[0] == "share" else t["historical_rate"]
    trend = (_rules.projected(kind, base, t["historical_rate"], t["historical_pace_pp"], steps) if pd.notna(hist)
             else np.full(len(years), np.nan))
    return pd.DataFrame({"year": years, "plan_path": np.asarray(plan_path, float),
                         "trend_path": np.asarray(trend, float)})
