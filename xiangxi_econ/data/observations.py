"""Pick one observation per series and year from a plan's history.

A quantity is often printed more than once (GDP 2020: 725.11 in 专栏2, 725.11 in 专栏1's outcome
column, 725.1 in chapter 1). The analysis needs one value per series and year; this module picks it
by a fixed, documented preference — the 14th-plan table first, then the 13th-plan table, then the
chapters — and keeps the source of the value it picked, so the choice is visible in every result.
"""

from __future__ import annotations

import pandas as pd

#: Preference of sources when a quantity is printed several times (lower is preferred).
SOURCE_PREFERENCE = (("专栏2", 0), ("专栏1", 1))
_OTHER_SOURCE = 2


def _source_rank(source: pd.Series) -> pd.Series:
    rank = pd.Series(_OTHER_SOURCE, index=source.index)
    for prefix, value in reversed(SOURCE_PREFERENCE):
        rank = rank.mask(source.str.startswith(prefix), value)
    return rank


def preferred_levels(history: pd.DataFrame) -> pd.DataFrame:
    """One level observation per (series, year, base unit).

    Parameters
    ----------
    history : pandas.DataFrame
        ``Plan.history``.

    Returns
    -------
    pandas.DataFrame
        Columns ``series_id, year, base_unit, value_base_units, unit, value, price_basis, source,
        quote``; when several rows qualify, the one from the preferred source (专栏2, then 专栏1,
        then the chapters; ties keep file order) wins.
    """
    levels = history[history["measure"] == "level"].copy()
    levels["_rank"] = _source_rank(levels["source"])
    levels["_order"] = range(len(levels))
    levels = levels.sort_values(["series_id", "year", "base_unit", "_rank", "_order"], kind="stable")
    best = levels.drop_duplicates(["series_id", "year", "base_unit"], keep="first")
    cols = ["series_id", "year", "base_unit", "value_base_units", "unit", "value", "price_basis", "source", "quote"]
    return best[cols].reset_index(drop=True)


def preferred_growth(history: pd.DataFrame, measure: str = "avg_annual_growth_pct") -> pd.DataFrame:
    """One reported growth figure per (series, start year, end year), preferred source first.

    Returns
    -------
    pandas.DataFrame
        Columns ``series_id, start_year, year, value, price_basis, source, quote``; ``value`` in
        percent as printed.
    """
    rows = history[history["measure"] == measure].copy()
    rows["_rank"] = _source_rank(rows["source"])
    rows["_order"] = range(len(rows))
    rows = rows.sort_values(["series_id", "start_year", "year", "_rank", "_order"], kind="stable")
    best = rows.drop_duplicates(["series_id", "start_year", "year"], keep="first")
    return best[["series_id", "start_year", "year", "value", "price_basis", "source", "quote"]].reset_index(drop=True)


def level_pairs(history: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Levels of every series observed in both ``start`` and ``end``, side by side.

    Returns
    -------
    pandas.DataFrame
        One row per (series, base unit): ``start_value_base``, ``end_value_base`` [base units],
        the printed values and units of each end, and their sources.
    """
    best = preferred_levels(history)
    a = best[best["year"] == start]
    b = best[best["year"] == end]
    pairs = a.merge(b, on=["series_id", "base_unit"], suffixes=("_start", "_end"))
    return pairs.rename(columns={"value_base_units_start": "start_value_base",
                                 "value_base_units_end": "end_value_base"}).reset_index(drop=True)
