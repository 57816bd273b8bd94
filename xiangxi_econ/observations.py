"""Pick one observation per series and year from a plan's history.

A quantity is often printed more than once (GDP 2020: 725.11 in 专栏2, 725.11 in 专栏1's outcome
column, 725.1 in chapter 1). The analysis needs one value per series and year; this module picks it
by a fixed, documented preference — the 14th-plan table first, then the 13th-plan table, then the
chapters — and keeps the source of the value it picked, so the choice is visible in every result.
"""

from __future__ import annotations

import numpy as np
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


def default_base_year(indicators: pd.DataFrame) -> int:
    """The plan's usual base year: the most common ``base_year`` of its target rows outside the
    previous plan's review table (2020 for a 14th plan); 2020 when no row states one."""
    rows = indicators[indicators["target_value"].notna() & (indicators["origin"] != "table_13th")]
    years = rows["base_year"].dropna()
    if years.empty:
        return 2020
    return int(years.astype(int).mode().min())


def default_target_year(indicators: pd.DataFrame) -> int:
    """The plan's usual target year: the most common ``target_year`` of its numeric targets outside
    the previous plan's review table (2025 for a 14th plan); 2025 when no row states one."""
    rows = indicators[indicators["target_value"].notna() & (indicators["origin"] != "table_13th")]
    years = rows["target_year"].dropna()
    if years.empty:
        return 2025
    return int(years.astype(int).mode().min())


def resolve_baselines(targets: pd.DataFrame, plan) -> pd.DataFrame:
    """Fill missing baselines from the history: same series and base unit, in the row's base year
    or, when the row has none, the plan's usual base year (:func:`default_base_year`).

    Adds ``base_source`` (``"this row"`` or the source of the history value), and for five-year
    totals ``base_flow`` — the series' annual flow in the base year, which the cumulative (累计法)
    solver starts from — with ``base_flow_source``.
    """
    t = targets.copy()
    t["base_year"] = t["base_year"].fillna(default_base_year(plan.indicators))
    t["base_source"] = np.where(t["base_value"].notna(), "this row", "")
    levels = preferred_levels(plan.history)
    lookup = levels.rename(columns={"year": "base_year", "value_base_units": "_hist_base",
                                    "source": "_hist_source"})[
        ["series_id", "base_year", "base_unit", "_hist_base", "_hist_source"]]
    lookup["base_year"] = lookup["base_year"].astype("Int64")
    t = t.merge(lookup, on=["series_id", "base_year", "base_unit"], how="left")
    fill = t["base_value"].isna() & t["_hist_base"].notna() & (t["kind"] != "cumulative")
    t.loc[fill, "base_value"] = t.loc[fill, "_hist_base"] / t.loc[fill, "scale"]
    t.loc[fill, "base_source"] = t.loc[fill, "_hist_source"]
    # five-year totals start from the base-year annual flow of the same series
    t["base_flow"] = np.where(t["kind"] == "cumulative", t["_hist_base"] / t["scale"], np.nan)
    t["base_flow_source"] = np.where((t["kind"] == "cumulative") & t["_hist_base"].notna(),
                                     t["_hist_source"].fillna(""), "")
    return t.drop(columns=["_hist_base", "_hist_source"])
