"""Which statistical breaks lie between two values: one rule for every series and every consumer.

A break of a series dated year :math:`Y` (``plan.observations.breaks``) says that figures for years
:math:`\\ge Y` are on a new statistical basis (a census re-base, a new definition or method). Two
values of the series are comparable when they lie on the same basis.

The convention, used by the historical pace, the end-of-plan evaluation, the backtest and the
charts alike:

* a value for year :math:`y` is on the basis of segment :math:`s(y) = \\#\\{Y \\le y\\}`;
* **a value printed before a break dated in its own year** — a plan's baseline for its base year,
  printed before the re-base of that year was published — is on the old basis,
  :math:`s(y) - 1`. The plan's own figure for year :math:`Y` is taken to be such a figure when it
  differs from the figure published for :math:`Y` on the new basis, or when no figure for
  :math:`Y` was published on the new basis at all (``printed_before``);
* a break lies between two values when their segments differ.

So a window from a plan's 2015 level to its 2020 baseline spans no 2020 census re-base (both were
printed on the old basis), while the same baseline against a 2025 published outcome does.

References
----------
UN Statistics Division (2022), *SDG Progress Chart technical note* (comparable series only);
Eurostat (2023), *SDG monitoring report*, Annex II (breaks in series are flagged, rates are not
computed across them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["BreakWindow", "DEFAULT_BREAK_SIZE", "break_window", "breaks_in_windows", "segment", "series_segments"]


def segment(years: np.ndarray, break_years: np.ndarray, printed_before: np.ndarray | bool = False) -> np.ndarray:
    """Segment of each value: the number of breaks dated at or before its year, minus one for a value
    printed before a break dated in its own year.

    Parameters
    ----------
    years : array of int
        Years of the values [calendar year].
    break_years : array of int
        The series' break years [calendar year].
    printed_before : bool or array of bool
        Whether each value was printed on the basis in force before a break of its own year.

    Examples
    --------
    >>> segment(np.array([2015, 2020, 2025]), np.array([2020]), np.array([False, True, False])).tolist()
    [0, 0, 1]
    """
    years = np.asarray(years, dtype=int)
    b = np.sort(np.asarray(break_years, dtype=int))
    seg = np.searchsorted(b, years, side="right")
    own = np.isin(years, b) & np.asarray(printed_before, dtype=bool)
    return np.asarray(seg - own.astype(int), dtype=int)


@dataclass(frozen=True)
class BreakWindow:
    """Two values of one series and the breaks between them.

    Attributes
    ----------
    series_id : str
    start_year, end_year : int
        Years of the two values [calendar year].
    start_printed_before, end_printed_before : bool
        Whether that value was printed before a break dated in its own year (old basis).
    breaks : pandas.DataFrame
        The breaks between the two values (``series_id, year, kind, description_en, description_zh,
        source``); empty when the values are comparable.
    """

    series_id: str
    start_year: int
    end_year: int
    start_printed_before: bool
    end_printed_before: bool
    breaks: pd.DataFrame

    @property
    def crosses(self) -> bool:
        """Whether a break lies between the two values."""
        return len(self.breaks) > 0

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of the breaks between the values (``census_revision``, ``rebase``, ``definition``,
        ``method``, ``revision``)."""
        return tuple(str(k) for k in self.breaks["kind"])

    def describe(self, lang: str = "en") -> str:
        """The breaks in words, '' when there is none."""
        from ..i18n import break_kind

        col = "description_zh" if lang == "zh" else "description_en"
        sep = "；" if lang == "zh" else "; "
        word = "{kind}（{year}年）：{text}" if lang == "zh" else "{kind} in {year}: {text}"
        return sep.join(word.format(kind=break_kind(str(b.kind), lang), year=b.year, text=getattr(b, col))
                        for b in self.breaks.itertuples())


def break_window(breaks: pd.DataFrame, series_id: str, start_year: int, end_year: int,
                 start_printed_before: bool = False, end_printed_before: bool = False) -> BreakWindow:
    """The :class:`BreakWindow` of ``series_id`` from ``start_year`` to ``end_year``.

    Parameters
    ----------
    breaks : pandas.DataFrame
        ``plan.observations.breaks`` (``series_id, year`` = first year of the new basis, ...).
    series_id : str
    start_year, end_year : int
        [calendar years], in either order.
    start_printed_before, end_printed_before : bool
        See :func:`segment`.

    Examples
    --------
    >>> b = pd.DataFrame({"series_id": ["u"], "year": [2020], "kind": ["rebase"], "description_en": ["census"],
    ...                   "description_zh": ["普查"], "source": ["census communiqué"]})
    >>> break_window(b, "u", 2015, 2020, end_printed_before=True).crosses
    False
    >>> break_window(b, "u", 2020, 2025, start_printed_before=True).describe()
    'population-census re-base in 2020: census'
    """
    mine = breaks[breaks["series_id"] == series_id].sort_values("year")
    years = mine["year"].to_numpy(int)
    s0, s1 = segment(np.array([start_year, end_year]), years,
                     np.array([start_printed_before, end_printed_before]))
    lo, hi = min(s0, s1), max(s0, s1)
    # the breaks numbered lo+1 .. hi (1-based in year order) separate the two segments
    between = mine.iloc[lo:hi].reset_index(drop=True)
    return BreakWindow(series_id, int(start_year), int(end_year), bool(start_printed_before),
                       bool(end_printed_before), between)


def breaks_in_windows(breaks: pd.DataFrame, series_ids: pd.Series | np.ndarray, start_years: np.ndarray,
                      end_years: np.ndarray, start_printed_before: np.ndarray | bool = False,
                      end_printed_before: np.ndarray | bool = False) -> list[BreakWindow]:
    """:func:`break_window` for many windows at once (one per row)."""
    n = len(series_ids)
    sp = np.broadcast_to(np.asarray(start_printed_before, dtype=bool), (n,))
    ep = np.broadcast_to(np.asarray(end_printed_before, dtype=bool), (n,))
    return [break_window(breaks, str(s), int(a), int(b), bool(p), bool(q))
            for s, a, b, p, q in zip(series_ids, start_years, end_years, sp, ep, strict=True)]


DEFAULT_BREAK_SIZE = 0.25
"""Largest plausible effect of a change of definition or method on a level [fraction], used where the
break's size was not measured in an overlap year (``breaks.size``). The largest level shift at a
break measured in the embedded record is the 2019 economic-census revision of GDP, 605.05 to 705.71亿元
(+16.6% in one year, growth included); 25% allows a change of definition half as large again.
A verdict whose margin is smaller than this could be flipped by the break: ``not_comparable``."""


def _own_and_published(plan: Any, row: Any) -> tuple[pd.Series, pd.Series]:
    lv = plan.levels
    own = lv[(lv["series_id"] == row.series_id) & (lv["base_unit"] == row.base_unit)]
    own = pd.Series(own["value_base_units"].to_numpy(float) / row.scale, index=own["year"].astype(int).to_numpy())
    obs = plan.observations.table
    pub = obs[(obs["series_id"] == row.series_id) & (obs["measure"] == "level") & (obs["base_unit"] == row.base_unit)
              & obs["preferred"] & ((obs["version"] == "") | obs["used_by_plan"])]
    pub = pd.Series(pub["value_base_units"].to_numpy(float) / row.scale, index=pub["year"].astype(int).to_numpy())
    return own[~own.index.duplicated()].sort_index(), pub[~pub.index.duplicated()].sort_index()


def series_segments(plan: Any, row: Any, as_of_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Years, values and statistical segments of the target's series up to ``as_of_year``.

    A plan's own figure for a break year that differs from the one published on the new basis, or
    that has no published counterpart, was printed on the old basis (:mod:`xiangxi_econ.rules.windows`).
    """
    own, pub = _own_and_published(plan, row)
    series = pd.concat([own, pub[~pub.index.isin(own.index)]]).sort_index()
    series = series[series.index <= as_of_year]
    breaks = plan.observations.breaks
    b = breaks.loc[breaks["series_id"] == row.series_id, "year"].astype(int).to_numpy()
    years = np.asarray(series.index, dtype=int)
    printed_before = np.array([y in own.index and np.isin(y, b) and (y not in pub.index or
                               not np.isclose(own[y], pub[y], rtol=1e-6)) for y in years], dtype=bool)
    return years, series.to_numpy(float), segment(years, b, printed_before)
