"""Observed annual data and the statistical breaks of its series.

The plan says where Xiangxi should be in 2025; this module says where it has been. The embedded
dataset (``data/observations.csv``) holds published figures for Xiangxi 2007-2025, each with its
source, the quoted clause, a source grade (A official full text ... C third-party commentary), a
status (``final``, ``preliminary`` for a 预计 estimate, ``lower_bound`` for "超过") and a segment
number. ``data/breaks.csv`` lists the statistical breaks (economic-census revisions, changes of
definition or method, census re-bases of population): a growth rate or trend may only be computed
within one segment, and :func:`check_no_break` refuses one that spans a break.

Both files are derived from a graded compilation of published statistics by
``data/build_observations.py`` (repository root); ``xiangxi_econ/data/README.md`` documents every
column and every break.

>>> from xiangxi_econ.data.observed import load_observations, segment_window
>>> obs = load_observations()
>>> float(obs.series("gdp")[2025])
889.5
>>> segment_window(obs, "gdp", 2015, 2025)
(2019, 2025)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from types import SimpleNamespace

import numpy as np
import pandas as pd

from .._display import ResultBase, fit
from ..exceptions import PlanFileError, StatisticalBreakError, UnknownIndicatorError
from ..maths.figures import same_figure, same_figures
from ..schema import BREAK_COLUMNS, GRADES, OBSERVATION_COLUMN_NAMES, OBSERVATION_COLUMNS
from .observations import _source_rank
from .plan_io import _IDENT, PathLike, UnitRegistry, _data_path, _error, _read_records, default_units

__all__ = [
    "Observations",
    "load_observations",
    "read_observations",
    "empty_observations",
    "read_breaks",
    "assign_segments",
    "check_no_break",
    "segment_window",
    "combine_with_plan_history",
    "same_figure",
    "same_figures",
]

#: Key of one observation: a series, a year, a measure and a version (e.g. 2015 GDP incl./excl.
#: relocated tobacco production). One row per key is ``preferred``.
KEY = ["series_id", "year", "measure", "version"]

#: Known reasons why a figure printed in the plan differs from the published one, used in the
#: ``conflict`` text of :func:`combine_with_plan_history` (shared data README, traps 1 and 4).
KNOWN_DISAGREEMENTS = {
    ("tourism_arrivals", 2020): "the plan's figure looks like 2019, before the 2020 collapse in visits",
    ("tourism_revenue", 2020): "the plan's figure looks like 2019; published figures from 2020 on are "
                               "游客总花费 (total visitor spending), a new definition",
    ("gdp", 2015): "the plan's figure matches neither published version; it is nearest the version "
                   "including relocated cigarette production (511.9-512), probably a later revision",
}

_MONEY_BASES = ("CNY", "USD")


# --------------------------------------------------------------------------- reading files

def _bool_column(values: pd.Series, default: bool) -> pd.Series:
    return values.map({"true": True, "false": False}).fillna(default).astype(bool)


def _check_record(path: PathLike, rec: dict, units: UnitRegistry) -> None:
    """Row checks beyond one cell; fills the documented defaults."""
    if not _IDENT.match(rec["series_id"]):
        raise _error(path, rec, "series_id", f"'{rec['series_id']}' is not a valid identifier; expected ASCII "
                                             "letters, digits and underscores, starting with a letter")
    if rec["unit"] not in units:
        raise _error(path, rec, "unit", f"unknown unit '{rec['unit']}'; expected a unit listed in units.csv "
                                        "(pass units=... to add your own)")
    if rec["version"] is not None and not _IDENT.match(rec["version"]):
        raise _error(path, rec, "version", f"'{rec['version']}' is not a valid version label; expected ASCII "
                                           "letters, digits and underscores, or an empty cell")
    rec["measure"] = rec["measure"] or "level"
    rec["status"] = rec["status"] or "final"
    base = units.base_unit(rec["unit"])
    if rec["price_basis"] is None:
        rec["price_basis"] = "current" if base.startswith(_MONEY_BASES) and rec["measure"] == "level" else "na"
    value = rec["value"]
    if rec["measure"] == "level" and base == "percent" and not 0 <= value <= 100:
        raise _error(path, rec, "value", f"share {value:g} is outside 0-100; expected a percentage as printed "
                                         "(55 for 55%); a growth rate needs measure 'growth_pct'")
    if rec["measure"] == "level" and base != "percent" and value <= 0:
        what = "zero" if value == 0 else "negative"
        raise _error(path, rec, "value", f"{what} level {value:g} {rec['unit']}; expected a positive level "
                                         "(growth rates are taken from levels; a fall is a 'growth_pct' row)")
    if rec["measure"] == "growth_pct" and value <= -100:
        raise _error(path, rec, "value", f"growth of {value:g}% is a fall of 100% or more; expected a value above "
                                         "-100 (percent over the previous year, as printed)")


def _check_keys(path: PathLike, records: list[dict], units: UnitRegistry) -> list[dict]:
    """One figure per key; returns the records with identical duplicates collapsed.

    The key is :data:`KEY` (``series_id, year, measure, version``). Rows with ``preferred =
    false`` are other sources of the key, kept for provenance and never used as the figure. Among
    the preferred rows (``preferred`` true or empty) of one key:

    * rows that give the same figure (:func:`same_figure` in base units) are collapsed: a row that
      repeats the first in every column is dropped, one that differs in its source, quote or grade is
      kept as ``preferred = false`` (it confirms the figure);
    * rows that give different figures are an error naming both rows: row order must not decide
      which figure is used.

    Every key needs one preferred row.
    """
    groups: dict[tuple, list[dict]] = {}
    for rec in records:
        key = (rec["series_id"], rec["year"], rec["measure"], rec["version"] or "")
        groups.setdefault(key, []).append(rec)
    dropped: set[int] = set()
    scale = units.table["scale"]
    for key, recs in groups.items():
        preferred = [r for r in recs if r["preferred"] != "false"]
        if not preferred:
            raise PlanFileError(path, f"no preferred row for {key[0]} {key[1]} {key[2]}; expected exactly one row "
                                      "with preferred = true per series_id, year, measure and version",
                                row=recs[0]["_row"], column="preferred")
        first = preferred[0]
        for rec in preferred[1:]:
            if not same_figure(rec["value"], float(scale[rec["unit"]]), first["value"], float(scale[first["unit"]])):
                version = f", version {key[3]}" if key[3] else ""
                raise _error(path, rec, "value",
                             f"conflicting duplicate observation of {key[0]} {key[1]} ({key[2]}{version}): "
                             f"{first['value']:g} {first['unit']} on row {first['_row']} and {rec['value']:g} "
                             f"{rec['unit']} on row {rec['_row']}; expected one figure per series_id, year, "
                             "measure and version (mark the other source preferred = false, give it another "
                             "version label, or delete it)")
            if all(rec[k] == first[k] for k in rec if k not in ("_row", "preferred")):
                dropped.add(id(rec))
            else:
                rec["preferred"] = "false"
    return [rec for rec in records if id(rec) not in dropped]


def _observation_frame(records: list[dict], units: UnitRegistry, origin: str) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(OBSERVATION_COLUMN_NAMES))
    for col in ("series_id", "measure", "unit", "price_basis", "status", "grade", "version", "source", "quote",
                "note"):
        frame[col] = frame[col].fillna("").astype(str)
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    frame["used_by_plan"] = _bool_column(frame["used_by_plan"], False)
    frame["preferred"] = _bool_column(frame["preferred"], True)
    frame["base_unit"] = frame["unit"].map(units.table["base_unit"]).astype(str)
    frame["value_base_units"] = frame["value"] * frame["unit"].map(units.table["scale"]).astype("float64")
    frame["origin"] = origin
    return frame


def _read_observation_table(path: PathLike, units: UnitRegistry, origin: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The checked table of an observations file and the 1-based file row of each of its rows."""
    records = _read_records(path, OBSERVATION_COLUMNS, nonempty="observation")
    for rec in records:
        _check_record(path, rec, units)
    records = _check_keys(path, records, units)
    rows = np.array([rec["_row"] for rec in records], dtype="int64")
    return _observation_frame(records, units, origin), rows


def read_breaks(path: PathLike) -> pd.DataFrame:
    """Read and validate a breaks file (columns of :data:`xiangxi_econ.schema.BREAK_COLUMNS`).

    Parameters
    ----------
    path : str or path-like
        UTF-8 CSV: ``series_id, year, kind, description_en, description_zh, source``; ``year`` is
        the first year of the new segment [calendar year].

    Returns
    -------
    pandas.DataFrame
        One row per break, sorted by series and year.

    Raises
    ------
    PlanFileError
        Naming the file, the 1-based row, the column, the value and what was expected.
    """
    records = _read_records(path, BREAK_COLUMNS)
    seen: dict[tuple, int] = {}
    for rec in records:
        if not _IDENT.match(rec["series_id"]):
            raise _error(path, rec, "series_id", f"'{rec['series_id']}' is not a valid identifier")
        key = (rec["series_id"], rec["year"])
        if key in seen:
            raise _error(path, rec, "year", f"a second break of {key[0]} in {key[1]} (first on row {seen[key]}); "
                                            "expected one row per series and year")
        seen[key] = rec["_row"]
    return _break_frame(records)


def _break_frame(records: list[dict]) -> pd.DataFrame:
    names = [c.name for c in BREAK_COLUMNS]
    frame = pd.DataFrame.from_records(records, columns=names)
    for col in names:
        if col == "year":
            frame[col] = frame[col].astype("int64")
        elif col == "size":
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
        else:
            frame[col] = frame[col].fillna("").astype(str)
    return frame.sort_values(["series_id", "year"], kind="stable").reset_index(drop=True)


def assign_segments(series_id: pd.Series, year: pd.Series, breaks: pd.DataFrame) -> pd.Series:
    """Segment number of each observation: the number of breaks of its series at or before its year.

    Parameters
    ----------
    series_id : pandas.Series of str
    year : pandas.Series of int
        [calendar year]
    breaks : pandas.DataFrame
        Columns ``series_id`` and ``year`` (first year of the new segment).

    Returns
    -------
    pandas.Series of int
        0 before the first break of the series, 1 from its first break on, and so on.

    Examples
    --------
    >>> b = pd.DataFrame({"series_id": ["gdp"], "year": [2019]})
    >>> assign_segments(pd.Series(["gdp", "gdp", "cpi"]), pd.Series([2018, 2019, 2019]), b).tolist()
    [0, 1, 0]
    """
    years = breaks.groupby("series_id")["year"].apply(lambda s: np.sort(s.to_numpy())).to_dict()
    out = [int(np.searchsorted(years[s], y, side="right")) if s in years else 0
           for s, y in zip(series_id, year, strict=True)]
    return pd.Series(out, index=series_id.index, dtype="int64")


def _units(units: UnitRegistry | pd.DataFrame | None) -> UnitRegistry:
    if units is None:
        return default_units()
    if isinstance(units, UnitRegistry):
        return units
    return default_units().extended(units, "units")


@functools.lru_cache(maxsize=1)
def _embedded() -> tuple[pd.DataFrame, pd.DataFrame]:
    units = default_units()
    with resources.as_file(_data_path("observations.csv")) as obs_path, \
            resources.as_file(_data_path("breaks.csv")) as breaks_path:
        breaks = read_breaks(breaks_path)
        table = _read_observation_table(obs_path, units, "embedded")[0]
    return table, breaks


def load_observations() -> "Observations":
    """The embedded observed data of Xiangxi (2007-2025) and its breaks.

    Returns
    -------
    Observations
        A fresh copy each call (the files are read once per session).

    Examples
    --------
    >>> obs = load_observations()
    >>> float(obs.series("urbanisation_rate")[2025])
    55.24
    """
    table, breaks = _embedded()
    return Observations._build(table.copy(), breaks.copy())


def empty_observations(units: UnitRegistry | None = None) -> "Observations":
    """Observations with no rows and no breaks (a user's plan without an observations file)."""
    return Observations._build(_observation_frame([], units or default_units(), "user"), _break_frame([]), units)


def read_observations(path: PathLike, units: UnitRegistry | pd.DataFrame | None = None,
                      breaks: PathLike | pd.DataFrame | None = None) -> "Observations":
    """Read a user's observations file in the format of the embedded ``observations.csv``.

    Parameters
    ----------
    path : str or path-like
        UTF-8 CSV. Required columns ``series_id, year, value, unit, source``; optional ``measure``
        (default ``level``), ``price_basis`` (default ``current`` for a money level, else ``na``),
        ``status`` (default ``final``), ``grade`` (default empty), ``version``, ``used_by_plan``,
        ``quote``, ``note``, ``preferred``. Each (series_id, year, measure, version) has one figure:
        rows repeating it (another source) are collapsed, rows with ``preferred = false`` are other
        sources kept for provenance, and two preferred rows with different figures are an error
        naming both rows. A level must be positive (in 0-100 for a ``%`` unit); a growth rate above
        -100.
    units : UnitRegistry or pandas.DataFrame, optional
        The unit registry, or extra units (columns ``unit, unit_en, base_unit, scale``) added to
        the shipped one.
    breaks : str, path-like or pandas.DataFrame, optional
        Breaks of the series (columns as ``breaks.csv``); defaults to the embedded breaks.

    Returns
    -------
    Observations
        With ``origin = "user"``; segments computed from ``breaks``.

    Raises
    ------
    PlanFileError
        One error naming the file, the 1-based row (the header is row 1), the column, the value and
        what was expected. The file is never modified.
    """
    return _read_observations(path, units, breaks)[0]


def _read_observations(path: PathLike, units: UnitRegistry | pd.DataFrame | None = None,
                       breaks: PathLike | pd.DataFrame | None = None) -> tuple["Observations", pd.DataFrame]:
    """:func:`read_observations` and its table before sorting, with the file row of each row
    (column ``_row``), for the cross-file checks of :mod:`xiangxi_econ.data.validation`."""
    registry = _units(units)
    table, rows = _read_observation_table(path, registry, "user")
    if breaks is None:
        brk = _embedded()[1].copy()
    elif isinstance(breaks, pd.DataFrame):
        brk = breaks.copy()
    else:
        brk = read_breaks(breaks)
    return Observations._build(table, brk, registry), table.assign(_row=rows)


# --------------------------------------------------------------------------- the result object

@dataclass(frozen=True, repr=False)
class Observations(ResultBase):
    """Observed annual data with provenance, grades and statistical breaks.

    Attributes
    ----------
    table : pandas.DataFrame
        Long table, one row per published figure: the columns of ``observations.csv`` (see the data
        README) plus ``base_unit``, ``value_base_units`` [base units, e.g. CNY] and ``origin``
        (``embedded`` or ``user``). ``segment`` is recomputed from ``breaks``.
    breaks : pandas.DataFrame
        One row per break: ``series_id, year`` (first year of the new segment), ``kind``,
        ``description_en``, ``description_zh``, ``source``.
    units : UnitRegistry
    """

    table: pd.DataFrame
    breaks: pd.DataFrame
    units: UnitRegistry = field(default_factory=default_units)

    @classmethod
    def _build(cls, table: pd.DataFrame, breaks: pd.DataFrame, units: UnitRegistry | None = None) -> "Observations":
        table = table.copy()
        table["segment"] = assign_segments(table["series_id"], table["year"], breaks)
        order = table.sort_values(["series_id", "measure", "year", "version"], kind="stable").index
        return cls(table.loc[order].reset_index(drop=True), breaks.reset_index(drop=True), units or default_units())

    # ------------------------------------------------------------------ lookup
    def series_ids(self) -> list[str]:
        """Series with at least one observation, sorted."""
        return sorted(self.table["series_id"].unique())

    def _rows(self, series_id: str) -> pd.DataFrame:
        rows = self.table[self.table["series_id"] == series_id]
        if rows.empty:
            raise UnknownIndicatorError(series_id, self.series_ids(), what="series")
        return rows

    def _default_version(self, rows: pd.DataFrame, version: str | None) -> pd.DataFrame:
        if version is None:
            return rows[(rows["version"] == "") | rows["used_by_plan"]]
        rows = rows[rows["version"].isin(["", version])]
        versioned_years = set(rows.loc[rows["version"] == version, "year"])
        return rows[(rows["version"] == version) | ~rows["year"].isin(versioned_years)]

    def series(self, series_id: str, measure: str = "level", preferred_only: bool = True,
               version: str | None = None) -> pd.Series:
        """Values of one series indexed by year.

        Parameters
        ----------
        series_id : str
            A series of the table (``gdp``, ``urbanisation_rate`` ...).
        measure : {"level", "growth_pct"}
            Levels, or reported annual growth rates [percent per year].
        preferred_only : bool
            One value per year (the preferred row); ``False`` returns every published figure.
        version : str, optional
            A version label (``excl_relocated_tobacco``): its rows replace the default ones in the
            years where it exists. By default the unlabelled rows plus the versions the plan uses.

        Returns
        -------
        pandas.Series
            Values in the series' unit (its most common unit; other units are converted), named
            ``series_id``; ``attrs`` holds ``unit``, ``measure`` and ``status`` (year -> status).

        Raises
        ------
        UnknownIndicatorError
            For an id with no observation.
        """
        rows = self._rows(series_id)
        rows = self._default_version(rows[rows["measure"] == measure], version)
        if preferred_only:
            rows = rows[rows["preferred"]]
        rows = rows.sort_values("year", kind="stable")
        unit = _main_unit(rows)
        values = rows["value_base_units"] / (self.units.scale(unit) if unit else 1.0)
        out = pd.Series(values.to_numpy(), index=pd.Index(rows["year"].to_numpy(), name="year"), name=series_id)
        out.attrs.update(unit=unit, measure=measure, status=dict(zip(rows["year"], rows["status"], strict=True)))
        return out

    def latest(self, series_id: str, up_to_year: int | None = None, measure: str = "level") -> pd.Series:
        """The most recent preferred observation (a table row) at or before ``up_to_year``.

        Parameters
        ----------
        series_id : str
        up_to_year : int, optional
            [calendar year]; default: no limit.
        measure : {"level", "growth_pct"}

        Returns
        -------
        pandas.Series
            The row: ``year``, ``value``, ``unit``, ``status``, ``grade``, ``source`` ...

        Raises
        ------
        UnknownIndicatorError
            For an unknown id; ``LookupError`` when nothing is observed by ``up_to_year``.
        """
        rows = self._default_version(self._rows(series_id), None)
        rows = rows[(rows["measure"] == measure) & rows["preferred"]]
        if up_to_year is not None:
            rows = rows[rows["year"] <= up_to_year]
        if rows.empty:
            raise LookupError(f"no {measure} observation of '{series_id}'"
                              + (f" up to {up_to_year}" if up_to_year is not None else ""))
        return rows.sort_values("year", kind="stable").iloc[-1].copy()

    def _check_known(self, series_id: str) -> None:
        known = set(self.table["series_id"]) | set(self.breaks["series_id"])
        if series_id not in known:
            raise UnknownIndicatorError(series_id, known, what="series")

    def series_breaks(self, series_id: str) -> pd.DataFrame:
        """The breaks of one series, by year."""
        self._check_known(series_id)
        return self.breaks[self.breaks["series_id"] == series_id].sort_values("year").reset_index(drop=True)

    def segment_of(self, series_id: str, year: int) -> int:
        """Segment number of ``year`` [calendar year] in ``series_id`` (0 before its first break)."""
        self._check_known(series_id)
        return int(assign_segments(pd.Series([series_id]), pd.Series([year]), self.breaks).iloc[0])

    def breaks_between(self, series_id: str, start_year: int, end_year: int) -> pd.DataFrame:
        """Breaks a rate from ``start_year`` to ``end_year`` [calendar years] would span.

        A break in year *y* starts a new segment, so it lies between the two years when
        ``start_year < y <= end_year``.
        """
        b = self.series_breaks(series_id)
        return b[(b["year"] > start_year) & (b["year"] <= end_year)].reset_index(drop=True)

    # ------------------------------------------------------------------ combining
    def merged(self, other: "Observations") -> "Observations":
        """These observations with ``other``'s rows added; ``other`` wins on the same key.

        Rows of ``self`` whose (series_id, year, measure, version) appears in ``other`` are
        dropped; ``other``'s rows are marked ``origin = "user"`` and preferred. Breaks are the union
        of both; segments are recomputed.

        Parameters
        ----------
        other : Observations
            Typically :func:`read_observations` of a user's file.

        Returns
        -------
        Observations
        """
        theirs = other.table.assign(origin="user", preferred=True)
        keys = pd.MultiIndex.from_frame(theirs[KEY])
        mine = self.table[~pd.MultiIndex.from_frame(self.table[KEY]).isin(keys)]
        table = pd.concat([mine, theirs], ignore_index=True)
        breaks = pd.concat([self.breaks, other.breaks], ignore_index=True)
        breaks = breaks.drop_duplicates(["series_id", "year"], keep="last")
        units = self.units.extended(other.units.table.reset_index(drop=True))
        return Observations._build(table, breaks, units)

    # ------------------------------------------------------------------ display
    def _frame(self) -> pd.DataFrame:
        """The long table (a copy)."""
        return self.table.copy()

    def _span(self) -> str:
        if self.table.empty:
            return "no years"
        return f"{self.table['year'].min()}-{self.table['year'].max()}"

    def _summary(self, lang: str = "en") -> str:
        """Plain-text overview: counts by series and grade, and the breaks (no timestamps)."""
        t = self.table
        lines = [f"Observed annual data: {len(t)} rows, {t['series_id'].nunique()} series, {self._span()}, "
                 f"{int(t['preferred'].sum())} preferred rows"]
        lines.append("rows by grade:  " + _counts(t["grade"].replace("", "ungraded"), list(GRADES) + ["ungraded"]))
        lines.append("rows by status: " + _counts(t["status"], ["final", "preliminary", "lower_bound"]))
        lines.append("rows by origin: " + _counts(t["origin"], ["embedded", "user"]))
        lines.append("")
        lines.append(fit("series", 36) + "rows  years      grades")
        for sid, rows in t.groupby("series_id", sort=True):
            years = f"{rows['year'].min()}-{rows['year'].max()}"
            lines.append(fit(sid, 36) + f"{len(rows):>4}  {years:<10} " + _counts(rows["grade"].replace("", "-"),
                                                                                   list(GRADES) + ["-"]))
        lines.append("")
        lines.append(f"{len(self.breaks)} statistical breaks (rates may only be computed within one segment):")
        for b in self.breaks.itertuples():
            lines.append(f"  {b.series_id} {b.year} {b.kind}: {b.description_en}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        t = self.table
        return (f"<Observations: {len(t)} rows, {t['series_id'].nunique()} series, {self._span()}, "
                f"{len(self.breaks)} breaks>")


def _counts(values: pd.Series, order: list[str]) -> str:
    counts = values.value_counts()
    return ", ".join(f"{k} {int(counts[k])}" for k in order if k in counts) or "none"


def _main_unit(rows: pd.DataFrame) -> str:
    """The most common unit of ``rows``; ties go to the unit of the latest row."""
    if rows.empty:
        return ""
    counts = rows["unit"].value_counts()
    best = counts[counts == counts.max()].index
    latest = rows.sort_values("year", kind="stable")["unit"]
    return str([u for u in latest if u in best][-1])


# --------------------------------------------------------------------------- breaks

def check_no_break(obs: Observations, series_id: str, start_year: int, end_year: int, *,
                   allow: bool = False) -> pd.DataFrame:
    """Refuse a rate or trend of ``series_id`` from ``start_year`` to ``end_year`` that spans a break.

    Parameters
    ----------
    obs : Observations
    series_id : str
    start_year, end_year : int
        The period [calendar years].
    allow : bool
        Return the breaks found instead of raising.

    Returns
    -------
    pandas.DataFrame
        The breaks in the period (empty when there is none).

    Raises
    ------
    StatisticalBreakError
        Naming the series, each break year, its kind and description, and the window in one segment
        that can be used instead (:func:`segment_window`).
    UnknownIndicatorError
        For a series with neither observations nor breaks.

    Examples
    --------
    >>> obs = load_observations()
    >>> check_no_break(obs, "gdp", 2019, 2025).empty
    True
    """
    found = obs.breaks_between(series_id, start_year, end_year)
    if found.empty or allow:
        return found
    what = "; ".join(f"{b.year} ({b.kind}: {b.description_en})" for b in found.itertuples())
    lo, hi = segment_window(obs, series_id, start_year, end_year)
    seg = obs.segment_of(series_id, hi)
    last_before = int(found["year"].min()) - 1
    before = f", or {start_year}-{last_before} before it" if last_before > start_year else ""
    raise StatisticalBreakError(
        f"{series_id}: {start_year}-{end_year} spans a statistical break in {what}. A rate across it mixes "
        f"two statistical bases; use {lo}-{hi} (segment {seg}){before}, or pass allow=True to get the "
        "breaks back instead of this error")


def segment_window(obs: Observations, series_id: str, start_year: int, end_year: int) -> tuple[int, int]:
    """The longest window ending at ``end_year`` that lies in one segment of ``series_id``.

    Parameters
    ----------
    obs : Observations
    series_id : str
    start_year, end_year : int
        [calendar years], ``start_year <= end_year``.

    Returns
    -------
    tuple of int
        ``(first, end_year)`` with ``first`` the later of ``start_year`` and the last break year in
        the period — "use the segment after the break".

    Examples
    --------
    >>> segment_window(load_observations(), "forest_cover", 2016, 2025)
    (2024, 2025)
    """
    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}; expected start_year <= end_year")
    found = obs.breaks_between(series_id, start_year, end_year)
    first = int(found["year"].max()) if len(found) else int(start_year)
    return first, int(end_year)


# --------------------------------------------------------------------------- plan vs published

def _short_source(source: str) -> str:
    inner = re.search(r"\(([^()]*)", source)
    text = inner.group(1) if inner else source
    return text.split(";")[0].split(", original URL")[0].strip()[:70]


def _label(row) -> str:
    return f"{float(row.value):.10g}{row.unit}"


_COMBINED_COLUMNS = ["series_id", "year", "value", "unit", "price_basis", "source", "quote", "value_base_units",
                     "base_unit", "origin", "grade", "status", "version", "confirmed_by", "conflict"]


def _plan_levels(plan_history: pd.DataFrame, units: UnitRegistry) -> pd.DataFrame:
    rows = plan_history[plan_history["measure"] == "level"].copy()
    rows["year"] = rows["year"].astype("int64")
    rows["_rank"] = _source_rank(rows["source"])
    rows["_order"] = range(len(rows))
    rows["scale"] = rows["unit"].map(units.table["scale"]).astype("float64")
    rows = rows.sort_values(["series_id", "year", "_rank", "_order"], kind="stable")
    return rows.assign(origin="plan", grade="", status="", version="", confirmed_by="", conflict="")


def _published_levels(obs: Observations) -> pd.DataFrame:
    t = obs.table
    rows = t[(t["measure"] == "level") & t["preferred"]].copy()
    rows["scale"] = rows["unit"].map(obs.units.table["scale"]).astype("float64")
    return rows.assign(origin="published", confirmed_by="", conflict="")


def _cluster(rows: list) -> list[list]:
    """Group rows (in preference order) whose values are the same figure."""
    clusters: list[list] = []
    for row in rows:
        for cluster in clusters:
            if same_figure(row.value, row.scale, cluster[0].value, cluster[0].scale):
                cluster.append(row)
                break
        else:
            clusters.append([row])
    return clusters


def _describe_published(row) -> str:
    version = f", {row.version.replace('_', ' ')}" if row.version else ""
    return f"{_label(row)} (grade {row.grade}{version}, {_short_source(row.source)})"


def _combine_group(plan_rows: list, published_rows: list) -> list[dict]:
    """One (series, year, base unit): plan figures once each, published figures only where they differ."""
    reps = []
    for cluster in _cluster(plan_rows):
        rep = cluster[0]._asdict()
        also = [f"{_label(r)} ({r.source})" for r in cluster[1:]]
        rep["confirmed_by"] = "; ".join(["also in the plan: " + ", ".join(also)] if also else [])
        rep["_matched"] = False
        reps.append(rep)
    out_published = []
    for pub in published_rows:
        match = next((r for r in reps if same_figure(pub.value, pub.scale, r["value"], r["scale"])), None)
        if match is not None:
            match["confirmed_by"] = "; ".join(filter(None, [match["confirmed_by"],
                                                            "published: " + _describe_published(pub)]))
            match["_matched"] = True
        else:
            out_published.append(pub._asdict())
    if reps and out_published:
        first = reps[0]
        why = KNOWN_DISAGREEMENTS.get((first["series_id"], int(first["year"])), "")
        why = f" — {why}" if why else ""
        head = f"plan prints {_label(SimpleNamespace(**first))} for {first['year']} ({first['source']}); "
        described = [_describe_published(SimpleNamespace(**pub)) for pub in out_published]
        for pub, text in zip(out_published, described, strict=True):
            pub["conflict"] = f"{head}the published figure is {text}{why}"
        plural = "the published figure is " if len(described) == 1 else "the published figures are "
        for rep in reps:
            if not rep["_matched"]:
                rep["conflict"] = f"{head}{plural}{'; '.join(described)}{why}"
    return reps + out_published


def combine_with_plan_history(plan_history: pd.DataFrame, obs: Observations) -> pd.DataFrame:
    """The plan's own level observations beside the published ones, each figure once.

    Rows of ``plan_history`` with ``measure == "level"`` (origin ``plan``) and the preferred level
    rows of ``obs`` (origin ``published``) are grouped by series, year and base unit. Within a
    group, figures that are the same number (:func:`same_figure`: equal within a relative 1e-6 or
    within the rounding of the printed digits) are kept once — the plan's row, from its preferred
    source (专栏2, then 专栏1, then the chapters) — and ``confirmed_by`` lists the other sources
    printing it. Where the plan and the published figure disagree both rows are kept and
    ``conflict`` says what each prints (and why, where known: :data:`KNOWN_DISAGREEMENTS`).

    Parameters
    ----------
    plan_history : pandas.DataFrame
        ``Plan.history`` (columns ``series_id, year, measure, value, unit, price_basis, source,
        quote``).
    obs : Observations

    Returns
    -------
    pandas.DataFrame
        Columns ``series_id, year, value, unit, price_basis, source, quote, value_base_units``
        [base units], ``base_unit, origin`` (``plan``/``published``), ``grade, status, version,
        confirmed_by, conflict``; sorted by series, year, origin.

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> both = combine_with_plan_history(xe.load_plan().history, load_observations())
    >>> both.query("series_id == 'gdp' and year == 2020")[["value", "origin"]].values.tolist()
    [[725.11, 'plan']]
    """
    plan = _plan_levels(plan_history, obs.units)
    published = _published_levels(obs)
    plan_groups = {k: list(g.itertuples(index=False)) for k, g in plan.groupby(["series_id", "year", "base_unit"])}
    pub_groups = {k: list(g.itertuples(index=False))
                  for k, g in published.groupby(["series_id", "year", "base_unit"])}
    rows: list[dict] = []
    for key in sorted(set(plan_groups) | set(pub_groups)):
        rows.extend(_combine_group(plan_groups.get(key, []), pub_groups.get(key, [])))
    frame = pd.DataFrame.from_records(rows)
    frame = frame.reindex(columns=_COMBINED_COLUMNS)
    for col in ("grade", "status", "version", "confirmed_by", "conflict", "quote", "price_basis"):
        frame[col] = frame[col].fillna("").astype(str)
    frame["year"] = frame["year"].astype("int64")
    frame["_o"] = frame["origin"].map({"plan": 0, "published": 1})
    frame = frame.sort_values(["series_id", "year", "_o"], kind="stable").drop(columns="_o")
    return frame.reset_index(drop=True)
