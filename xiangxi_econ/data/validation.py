"""One validation contract for every way data arrive.

Indicators, history, observations (in a plan folder or given by argument) and a user's values
(``evaluate_progress(plan, {"gdp": {2025: 900}})``) pass the same checks, so that a plan that
reads is a plan the analysis can run on:

* **cells** (:mod:`xiangxi_econ.data.plan_io`): numbers finite, years plausible, units known;
* **bounds**: a level in a ``%`` unit lies in 0-100 (a share of an indicator too); any other level
  is positive, for growth rates are taken from levels (a zero base level of a ``level``, ``count``
  or ``cumulative`` indicator is refused); a growth rate is above -100%;
* **one figure per key**: two rows of one series, year and measure that give different figures are
  an error naming both rows (see :func:`xiangxi_econ.data.observed.read_observations` and
  :func:`xiangxi_econ.data.plan_io.read_history` for the keys); rows repeating a figure are collapsed;
* **unit slips**, across files: a share written as a fraction (0.565 where the series' other
  figures are about 50) and a level :data:`UNIT_SLIP_FACTOR` or more times off the series' other
  figures (GDP written in 元 under 亿元: 72511000000 where the plan's baseline is 725.11), or larger
  than any plausible figure of its base unit (:data:`MAGNITUDE_LIMITS`), are errors saying what
  was expected ("did you mean 725.11?");
* **unknown series**: a history or observations ``series_id`` that no indicator uses is kept with
  an :class:`~xiangxi_econ.exceptions.UnknownSeriesWarning` suggesting the closest ids
  (``gpd``: did you mean ``gdp``?).

Errors are :class:`~xiangxi_econ.exceptions.PlanFileError` (a file: path, 1-based row with the
header as row 1, column, value and what was expected) or
:class:`~xiangxi_econ.exceptions.UserValueError` (a value given by argument). The checks are
vectorised: a 100,000-row history validates in seconds.

>>> import xiangxi_econ as xe
>>> check_plan(xe.load_plan())
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import PlanFileError, UnknownSeriesWarning, UserValueError, did_you_mean
from ..schema import GEOMETRIC_KINDS, PP_KINDS
from .plan_io import PathLike, UnitRegistry, _read_history, _read_indicators, default_units, read_meta, read_units

__all__ = [
    "UNIT_SLIP_FACTOR",
    "FRACTION_FACTOR",
    "MAGNITUDE_LIMITS",
    "PlanFiles",
    "read_plan_files",
    "check_plan",
    "read_plan_observations",
    "check_user_values",
    "record_history",
]

#: A level this many times (or more) above or below the other figures of its series is taken for
#: a unit slip (元 for 万元 is 10,000; 元 for 亿元 is 10^8).
UNIT_SLIP_FACTOR = 1000.0

#: A value of at most 1 in a ``%`` unit is taken for a fraction when the series' other figures
#: (those above 1.5) are this many times larger or more: 0.565 beside 55.2.
FRACTION_FACTOR = 30.0

#: Largest plausible level in a base unit, with the reason [base units].
MAGNITUDE_LIMITS: dict[str, tuple[float, str]] = {
    "CNY": (1e15, "more than seven times China's GDP (about 1.3e14 元 a year)"),
    "USD": (1e14, "more than the world's GDP (about 1e14 USD a year)"),
    "person": (1.5e10, "more than the world's population"),
    "person_visit": (1e11, "more than ten times China's domestic trips in a year"),
}

#: Kinds of indicator whose base and target values are levels of their series.
_LEVEL_KINDS = ("level", "count", "share", "rate")


# --------------------------------------------------------------------------- plan files

@dataclass
class PlanFiles:
    """The checked contents of a plan folder (or file), before they become a :class:`~xiangxi_econ.Plan`.

    Attributes
    ----------
    indicators : pandas.DataFrame
    history : pandas.DataFrame or None
    meta : dict
        ``meta.json`` (or the ``meta`` argument) over a default title: the file's or folder's name.
    units : UnitRegistry
    observations : Observations or None
    paths : dict of str to str
        The files read, by role (``indicators``, ``history``, ``units``, ``observations``, ``meta``).
    """

    indicators: pd.DataFrame
    history: pd.DataFrame | None
    meta: dict
    units: UnitRegistry
    observations: Any = None
    paths: dict[str, str] = field(default_factory=dict)


def _resolve(path: PathLike, history: PathLike | None, units: Any, meta: dict | None,
             observations: PathLike | None) -> tuple[Path, Any, Any, dict | None, Any, str, dict[str, str]]:
    p = Path(path)
    default_title = p.stem
    paths: dict[str, str] = {}
    if p.is_dir():
        folder = p
        default_title = folder.name or folder.resolve().name
        p = folder / "indicators.csv"
        if not p.exists():
            raise PlanFileError(folder, "folder has no indicators.csv; expected indicators.csv "
                                        "(and optionally history.csv, units.csv, observations.csv, meta.json)")
        if history is None and (folder / "history.csv").exists():
            history = folder / "history.csv"
        if units is None and (folder / "units.csv").exists():
            units = folder / "units.csv"
        if observations is None and (folder / "observations.csv").exists():
            observations = folder / "observations.csv"
        if meta is None and (folder / "meta.json").exists():
            paths["meta"] = str(folder / "meta.json")
            meta = read_meta(folder / "meta.json")
    elif history is None and p.with_name(f"{p.stem}_history.csv").is_file():
        history = p.with_name(f"{p.stem}_history.csv")  # plan.csv beside plan_history.csv
    return p, history, units, meta, observations, default_title or p.resolve().parent.name, paths


def read_plan_files(path: PathLike, history: PathLike | None = None, units: PathLike | pd.DataFrame | None = None,
                    meta: dict | None = None, observations: PathLike | None = None) -> PlanFiles:
    """Read and check every file of a plan: each file on its own, then all of them together.

    The arguments are those of :func:`xiangxi_econ.read_plan`, which calls this function; a
    folder's ``history.csv``, ``units.csv``, ``observations.csv`` (with its ``breaks.csv``) and
    ``meta.json`` are read by default, and observations found in a folder get the same checks as
    observations given by argument.

    Returns
    -------
    PlanFiles

    Raises
    ------
    PlanFileError
        The first problem, naming the file, the 1-based row, the column, the value and what was
        expected.

    Warns
    -----
    UnknownSeriesWarning
        History or observation rows whose ``series_id`` no indicator uses.
    """
    p, history, units, meta, observations, default_title, paths = _resolve(path, history, units, meta, observations)
    registry = _registry(units, paths)
    paths["indicators"] = str(p)
    if history is not None:
        paths["history"] = str(history)
    return _read_checked(str(p), None, None if history is None else str(history), None, registry, observations,
                         {"title": default_title, **(meta or {})}, paths)


def _registry(units: Any, paths: dict[str, str]) -> UnitRegistry:
    registry = default_units()
    if isinstance(units, UnitRegistry):
        return units
    if isinstance(units, pd.DataFrame):
        return registry.extended(units, "units")
    if units is not None:
        paths["units"] = str(units)
        return read_units(units, registry)
    return registry


def read_plan_frames(indicators: pd.DataFrame, history: pd.DataFrame | None = None, units: Any = None,
                     meta: dict | None = None, observations: Any = None) -> PlanFiles:
    """Check DataFrames as :func:`read_plan_files` checks files: the frames are read as the CSV a
    spreadsheet would save (row 2 is the first row), named ``indicators`` and ``history`` in errors.

    Parameters
    ----------
    indicators : pandas.DataFrame
        The columns of ``indicators.csv`` (at least ``indicator_id, name_zh, name_en, kind, unit,
        base_year, base_value, target_year, target_value, source``).
    history : pandas.DataFrame, optional
        The columns of ``history.csv``.
    units : UnitRegistry, DataFrame or path, optional
        Extra units.
    meta : dict, optional
    observations : Observations or path, optional
        Published figures (an :class:`~xiangxi_econ.data.observed.Observations` is taken as it is; a path is read
        and checked like a folder's ``observations.csv``).

    Returns
    -------
    PlanFiles

    Raises
    ------
    PlanFileError
        As for files, naming ``indicators`` or ``history``, the row, the column and the value.
    """
    from .plan_io import frame_text

    paths: dict[str, str] = {"indicators": "indicators"}
    registry = _registry(units, paths)
    ind_text = frame_text(indicators, "indicators")
    hist_text = None if history is None else frame_text(history, "history")
    if history is not None:
        paths["history"] = "history"
    return _read_checked("indicators", ind_text, None if history is None else "history", hist_text, registry,
                         observations, {"title": "plan", **(meta or {})}, paths)


def _read_checked(ind_name: str, ind_text: str | None, hist_name: str | None, hist_text: str | None,
                  registry: UnitRegistry, observations: Any, meta: dict, paths: dict[str, str]) -> PlanFiles:
    """Read indicators and history (files, or CSV text of frames), the observations, and check them together."""
    from .observed import Observations, _break_frame, _read_observations

    indicators, ind_rows = _read_indicators(ind_name, registry, text=ind_text)
    hist = hist_rows = None
    if hist_name is not None:
        hist, hist_rows = _read_history(hist_name, registry, text=hist_text)
    observed = obs_table = None
    obs_name = "observations"
    if isinstance(observations, Observations):
        observed = observations
    elif observations is not None:
        obs_name = paths["observations"] = str(observations)
        breaks = Path(observations).with_name("breaks.csv")
        # a user's observations without a breaks.csv have no breaks: never the embedded Xiangxi ones
        observed, obs_table = _read_observations(observations, registry,
                                                 breaks if breaks.exists() else _break_frame([]))
    elif hist is None:
        observed, meta, hist = _embedded_history(indicators, meta)
    parts = [_indicator_part(indicators, ind_rows, ind_name)]
    if hist is not None and hist_rows is not None:
        parts.append(_part(hist[hist["measure"] == "level"], hist_rows[(hist["measure"] == "level").to_numpy()],
                           str(hist_name), "history"))
    if obs_table is not None:
        level = obs_table[obs_table["measure"] == "level"]
        parts.append(_part(level, level["_row"].to_numpy(), obs_name, "observations"))
    _check_levels(parts, indicators, registry)
    check_known_fractions(indicators, ind_rows, ind_name, registry)
    known = set(indicators["series_id"]) | set(indicators["indicator_id"])
    if hist is not None:
        _warn_unknown(hist["series_id"], known, str(hist_name), "history")
    if obs_table is not None:
        _warn_unknown(obs_table["series_id"], known, obs_name, "observation")
    return PlanFiles(indicators, hist, meta, registry, observed, paths)


def record_history(observations: pd.DataFrame, series_ids: Any = None, up_to_year: int | None = None) -> pd.DataFrame:
    """Published levels as ``history.csv`` rows: what the historical pace and the scenarios read.

    Parameters
    ----------
    observations : pandas.DataFrame
        An observations table (``Observations.table``).
    series_ids : iterable of str, optional
        Only these series.
    up_to_year : int, optional
        Only years at or before it [calendar year].

    Returns
    -------
    pandas.DataFrame
        Columns of ``history.csv``: one ``level`` row per series and year (the preferred figure, the
        version the plan used where two versions exist), with source and clause.
    """
    obs = observations
    keep = (obs["measure"] == "level") & obs["preferred"] & ((obs["version"] == "") | obs["used_by_plan"])
    if series_ids is not None:
        keep &= obs["series_id"].isin(set(series_ids))
    if up_to_year is not None:
        keep &= obs["year"] <= up_to_year
    rows = obs[keep].sort_values(["series_id", "year", "used_by_plan"], ascending=[True, True, False], kind="stable")
    rows = rows.drop_duplicates(["series_id", "year"])
    return pd.DataFrame({"series_id": rows["series_id"].to_numpy(), "year": pd.array(rows["year"], dtype="Int64"),
                         "start_year": pd.array([pd.NA] * len(rows), dtype="Int64"), "measure": "level",
                         "value": rows["value"].to_numpy(float), "value_text": "", "unit": rows["unit"].to_numpy(),
                         "price_basis": rows["price_basis"].to_numpy(), "source": rows["source"].to_numpy(),
                         "quote": rows["quote"].fillna("").to_numpy()})


def _other_region(indicators: pd.DataFrame, embedded: Any) -> set[str]:
    """Series whose baseline differs from the record's published figure for the same year (beyond the
    rounding of the printed digits, :func:`~xiangxi_econ.maths.figures.same_figure`): the plan is of another
    region or basis, and the record is no history of it."""
    from ..maths.figures import same_figure

    obs = embedded.table
    pub = obs[(obs["measure"] == "level") & obs["preferred"] & ((obs["version"] == "") | obs["used_by_plan"])]
    pub = pub.drop_duplicates(["series_id", "year", "base_unit"]).set_index(["series_id", "year", "base_unit"])
    other = set()
    rows = indicators[indicators["base_value"].notna() & indicators["base_year"].notna()]
    for r in rows.itertuples():
        key = (r.series_id, int(r.base_year), r.base_unit)
        if key in pub.index:
            p = pub.loc[key]
            if not same_figure(float(r.base_value), float(r.scale), float(p["value"]),
                               float(p["value_base_units"]) / float(p["value"]) if p["value"] else 1.0):
                other.add(str(r.series_id))
    return other


def _embedded_history(indicators: pd.DataFrame, meta: dict) -> tuple[Any, dict, pd.DataFrame | None]:
    """A plan with targets only (no history, no observations) whose series ids the embedded Xiangxi record
    knows takes that record's figures and breaks for those series — as observations, and its published
    levels up to the plan's base year as history (what the historical pace reads) — and says so (one
    warning and ``meta['history_note']``); with no known id it has neither."""
    from .observed import Observations, load_observations

    embedded = load_observations()
    ids = sorted(set(indicators["series_id"]) & set(embedded.table["series_id"]) - _other_region(indicators, embedded))
    if not ids:
        return None, meta, None
    base = indicators["base_year"].dropna()
    history = record_history(embedded.table, ids, int(base.max()) if len(base) else None)
    table = embedded.table[embedded.table["series_id"].isin(ids)].reset_index(drop=True)
    breaks = embedded.breaks[embedded.breaks["series_id"].isin(ids)].reset_index(drop=True)
    note = (f"no history or observations given: the published Xiangxi record (2007-2025) and its statistical "
            f"breaks are used as the history of {len(ids)} series whose ids it knows ({', '.join(ids[:8])}"
            f"{', ...' if len(ids) > 8 else ''}); give observations.csv (and breaks.csv) for another region")
    warnings.warn(note, UserWarning, stacklevel=5)  # the caller of read_plan or build_plan
    return Observations._build(table, breaks, embedded.units), {**meta, "history_note": note}, history


def check_plan(plan: Any) -> None:
    """Run the cross-file checks on a built :class:`~xiangxi_econ.Plan` (e.g. from :func:`build_plan`).

    The plan's indicators, its explicit history rows and its user observations are checked as
    :func:`read_plan_files` checks files; rows are numbered as in a file written from the frames
    (header = row 1), and the "files" are named ``plan.indicators``, ``plan.history`` and
    ``plan.observations``.

    Raises
    ------
    PlanFileError
        For the first level out of range (a share outside 0-100, a zero or negative level: frames
        given to :func:`~xiangxi_econ.build_plan` skip the file checks), or the first unit slip.
    """
    ind = plan.indicators.reset_index(drop=True)
    parts = [_indicator_part(ind, np.arange(len(ind)) + 2, "plan.indicators")]
    hist = plan.history.reset_index(drop=True)
    explicit = hist[(hist["indicator_id"].fillna("") == "") & (hist["measure"] == "level")]
    parts.append(_part(explicit, explicit.index.to_numpy() + 2, "plan.history", "history"))
    obs = plan.observations.table.reset_index(drop=True)
    mine = obs[(obs["origin"] == "user") & (obs["measure"] == "level")]
    parts.append(_part(mine, mine.index.to_numpy() + 2, "plan.observations", "observations"))
    _check_levels(parts, ind, plan.units)


def read_plan_observations(path: PathLike, plan: Any, breaks: PathLike | pd.DataFrame | None = None) -> Any:
    """Read a file of observations for ``plan`` with the checks a plan folder's ``observations.csv`` gets.

    For observations given by argument (``xiangxi-econ evaluate --observations FILE``,
    ``xe.evaluate_progress(plan, observed)``): the file is read in the plan's units (so a unit the
    plan's ``units.csv`` adds is known), then its levels are checked against the plan's indicators and
    explicit history as in :func:`read_plan_files` (a share written as a fraction, a level in the
    wrong unit), and series ids that no indicator uses are warned about with a suggestion.

    Parameters
    ----------
    path : str or path-like
        UTF-8 CSV in the format of ``observations.csv`` (see :func:`~xiangxi_econ.read_observations`).
    plan : Plan
    breaks : str, path-like or pandas.DataFrame, optional
        Breaks of the series; default: a ``breaks.csv`` beside the file, else the plan's own breaks.

    Returns
    -------
    Observations
        With ``origin = "user"``.

    Raises
    ------
    PlanFileError
        Naming the file, the 1-based row (header = row 1), the column, the value and what was
        expected; a figure it is compared with is named as ``plan.indicators`` or ``plan.history``
        with its row in a file written from those frames.

    Warns
    -----
    UnknownSeriesWarning
        Rows whose ``series_id`` no indicator of the plan uses.
    """
    from .observed import _read_observations

    if breaks is None:
        beside = Path(path).with_name("breaks.csv")
        breaks = beside if beside.is_file() else plan.observations.breaks
    observed, table = _read_observations(path, plan.units, breaks)
    ind = plan.indicators.reset_index(drop=True)
    hist = plan.history.reset_index(drop=True)
    explicit = hist[(hist["indicator_id"].fillna("") == "") & (hist["measure"] == "level")]
    level = table[table["measure"] == "level"]
    _check_levels([_indicator_part(ind, np.arange(len(ind)) + 2, "plan.indicators"),
                   _part(explicit, explicit.index.to_numpy() + 2, "plan.history", "history"),
                   _part(level, level["_row"].to_numpy(), str(path), "observations")], ind, plan.units)
    _warn_unknown(table["series_id"], set(ind["series_id"]) | set(ind["indicator_id"]), str(path), "observation")
    return observed


# --------------------------------------------------------------------------- long table of levels

def _part(frame: pd.DataFrame, rows: np.ndarray, path: str, origin: str, column: str = "value",
          value: str = "value", year: str = "year") -> pd.DataFrame:
    return pd.DataFrame({
        "series_id": frame["series_id"].astype(str).to_numpy(),
        "year": frame[year].to_numpy(),
        "value": frame[value].astype("float64").to_numpy(),
        "unit": frame["unit"].astype(str).to_numpy(),
        "file": path,
        "row": np.asarray(rows, dtype="int64"),
        "column": column,
        "origin": origin,
    })


def _indicator_part(indicators: pd.DataFrame, rows: np.ndarray, path: str) -> pd.DataFrame:
    level = indicators["kind"].isin(_LEVEL_KINDS).to_numpy()
    ind = indicators[level]
    r = np.asarray(rows)[level]
    parts = []
    for col, year in (("base_value", "base_year"), ("target_value", "target_year")):
        has = ind[col].notna().to_numpy()
        parts.append(_part(ind[has], r[has], path, "indicators", column=col, value=col, year=year)
                     .assign(row_kind=ind.loc[has, "kind"].astype(str).to_numpy()))
    return pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")


def _kinds(indicators: pd.DataFrame) -> pd.Series:
    """The kind of each series (the first level-like indicator of it)."""
    ind = indicators[indicators["kind"].isin(_LEVEL_KINDS)]
    return ind.drop_duplicates("series_id").set_index("series_id")["kind"]


def _check_levels(parts: list[pd.DataFrame], indicators: pd.DataFrame, units: UnitRegistry) -> None:
    """Magnitude, fraction and unit-slip checks over every level figure of the plan."""
    long = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if long is None:
        return
    long["order"] = np.arange(len(long))
    long["base_unit"] = long["unit"].map(units.table["base_unit"]).astype(str)
    long["scale"] = long["unit"].map(units.table["scale"]).astype("float64")
    long["vb"] = long["value"] * long["scale"]
    long["kind"] = long["series_id"].map(_kinds(indicators)).fillna("")
    bad = ~np.isfinite(long["value"].to_numpy())
    if bad.any():
        r = long[bad].iloc[0]
        raise PlanFileError(r["file"], f"'{r['value']}' is not a finite number; expected a number",
                            row=int(r["row"]), column=str(r["column"]), value=str(r["value"]))
    huge = ~np.isfinite(long["vb"].to_numpy(float))
    if huge.any():
        r = long[huge].iloc[0]
        raise PlanFileError(r["file"], f"{r['value']:g} {r['unit']} of {r['series_id']} is too large to compute "
                                       f"with (it overflows in base units); expected a value in {r['unit']}",
                            row=int(r["row"]), column=str(r["column"]), value=f"{r['value']:g}")
    percent = long["base_unit"] == "percent"
    _check_bounds(long, percent.to_numpy())
    _check_fractions(long[percent])
    _check_slips(long[~percent & (long["vb"] > 0)], units)
    _check_magnitude(long)


def check_known_fractions(indicators: pd.DataFrame, rows: np.ndarray, path: str, units: UnitRegistry) -> None:
    """A share or rate of a series the embedded record knows, written as a fraction with no other figure
    to compare it with (urbanisation 0.45 -> 0.50): refused when the record's published figures of that
    series are :data:`FRACTION_FACTOR` or more times larger (urbanisation is about 50, never 0.5).

    Parameters
    ----------
    indicators : pandas.DataFrame
        The plan's indicators (``series_id, kind, unit, base_value, target_value``).
    rows : numpy.ndarray
        1-based file row of each indicator (header = row 1).
    path : str
        The file named in the error.
    units : UnitRegistry

    Raises
    ------
    PlanFileError
        Naming the row, the column and the value, with the record's typical figure and "did you mean".
    """
    from .observed import load_observations

    pp = indicators["kind"].isin(PP_KINDS).to_numpy() & (indicators["unit"].map(units.table["base_unit"]) == "percent"
                                                        ).to_numpy()
    if not pp.any():
        return
    obs = load_observations().table
    ref = obs[(obs["measure"] == "level") & (obs["base_unit"] == "percent")].groupby("series_id")["value"].median()
    ind = indicators[pp]
    r_rows = np.asarray(rows)[pp]
    typical = ind["series_id"].map(ref).to_numpy(float)
    for col in ("base_value", "target_value"):
        v = ind[col].to_numpy(float)
        with np.errstate(invalid="ignore"):
            bad = (v > 0) & (v <= 1) & (typical >= FRACTION_FACTOR * v)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            sid = ind["series_id"].iloc[i]
            raise PlanFileError(path, f"{v[i]:g}% of {sid} looks like a fraction: the published figures of {sid} are "
                                      f"about {typical[i]:.4g}%; expected a percentage as printed (55 for 55%) — did "
                                      f"you mean {v[i] * 100:.6g}?", row=int(r_rows[i]), column=col, value=f"{v[i]:g}")


def _check_bounds(long: pd.DataFrame, percent: np.ndarray) -> None:
    """The ranges plan_io checks file by file, over frames that did not come from files (``check_plan``
    on :func:`~xiangxi_econ.build_plan`): an indicator's share in 0-100 and a level or count base value
    positive (its target >= 0); a history or observed level in a ``%`` unit in 0-100, any other positive."""
    row_kind = long["row_kind"].fillna("").to_numpy(str) if "row_kind" in long else np.full(len(long), "")
    v = long["value"].to_numpy(float)
    from_file = long["origin"].to_numpy(str) != "indicators"
    base = long["column"].to_numpy(str) == "base_value"
    share = np.where(from_file, percent, row_kind == "share")
    geometric = np.isin(row_kind, GEOMETRIC_KINDS)
    positive = np.where(from_file, ~percent, geometric & base)
    bad_share = share & ~((v >= 0) & (v <= 100))
    bad_level = (positive & (v <= 0)) | (~from_file & geometric & ~base & (v < 0))
    bad = bad_share | bad_level
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[np.argmin(long["order"].to_numpy()[bad])])
    r = long.iloc[i]
    if bad_share[i]:
        message = (f"share {r['value']:g} of {r['series_id']} is outside 0-100; expected a percentage as printed "
                   "(55 for 55%)")
    else:
        what = "zero" if r["value"] == 0 else "negative"
        message = (f"{what} level {r['value']:g} {r['unit']} of {r['series_id']}; expected a positive level (growth "
                   "rates are taken from levels, and from zero or below they are undefined)")
    raise PlanFileError(r["file"], message, row=int(r["row"]), column=str(r["column"]), value=f"{r['value']:g}")


def _check_magnitude(long: pd.DataFrame) -> None:
    limit = long["base_unit"].map({k: v[0] for k, v in MAGNITUDE_LIMITS.items()}).astype("float64")
    bad = (long["vb"].abs() > limit).to_numpy()
    if bad.any():
        r = long[bad].iloc[0]
        why = MAGNITUDE_LIMITS[r["base_unit"]][1]
        raise PlanFileError(r["file"], f"{r['value']:g} {r['unit']} of {r['series_id']} is {why}; expected a value "
                                       f"in {r['unit']} — a value written in a smaller unit?",
                            row=int(r["row"]), column=str(r["column"]), value=f"{r['value']:g}")


def _check_fractions(long: pd.DataFrame) -> None:
    if long.empty:
        return
    big = long["value"].where(long["value"] > 1.5)
    ref = big.groupby(long["series_id"]).transform("median")
    v = long["value"]
    bad = ((v > 0) & (v <= 1) & (ref >= FRACTION_FACTOR * v)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[np.argmin(long["order"].to_numpy()[bad])])
        r, ref_r = long.iloc[i], float(ref.iloc[i])
        raise PlanFileError(
            r["file"],
            f"{r['value']:g}{r['unit']} of {r['series_id']} looks like a fraction: its other figures are about "
            f"{ref_r:.4g}{r['unit']}; expected a percentage as printed (55 for 55%) — did you mean "
            f"{r['value'] * 100:.6g}?",
            row=int(r["row"]), column=str(r["column"]), value=f"{r['value']:g}")


def _check_slips(long: pd.DataFrame, units: UnitRegistry) -> None:
    """Levels UNIT_SLIP_FACTOR or more times off the other figures of their series (in one base unit)."""
    if long.empty:
        return
    lg = np.log10(long["vb"])
    key = [long["series_id"], long["base_unit"]]
    n = lg.groupby(key).transform("size")
    total = lg.groupby(key).transform("sum")
    med = lg.groupby(key).transform("median")
    ref_all = np.where(n == 2, total - lg, med)  # of two figures, each is judged against the other
    # the plan's baseline anchors figures of other files (its target where it states no baseline)
    base_anchor = lg.where(long["column"] == "base_value").groupby(key).transform("median")
    anchor = base_anchor.fillna(lg.where(long["origin"] == "indicators").groupby(key).transform("median"))
    use_anchor = (long["origin"] != "indicators") & anchor.notna()
    ref = np.where(use_anchor, anchor, ref_all)
    off = lg - ref
    bad = ((n >= 2) & (np.abs(off) >= math.log10(UNIT_SLIP_FACTOR) - 1e-9)).to_numpy()
    if not bad.any():
        return
    # a figure beyond any plausible magnitude is the slip; otherwise the first in file order
    limit = long["base_unit"].map({u: v[0] for u, v in MAGNITUDE_LIMITS.items()}).astype("float64")
    priority = np.where((long["vb"] > limit).to_numpy(), 0, 1) * (len(long) + 1) + long["order"].to_numpy()
    i = int(np.flatnonzero(bad)[np.argmin(priority[bad])])
    r = long.iloc[i]
    k = int(round(float(off.iloc[i])))
    ref_value = 10.0 ** float(ref[i]) / float(r["scale"])
    if abs(k) > 15:  # no unit differs from another by more than 10^15: say the order, not a conversion
        raise PlanFileError(
            r["file"], f"{r['value']:g} {r['unit']} is about 10^{k} times the other figures of {r['series_id']} "
                       f"(about {ref_value:.6g} {r['unit']}); expected a value in {r['unit']} of the same order",
            row=int(r["row"]), column=str(r["column"]), value=f"{r['value']:g}")
    times = f"about {10 ** k:,.0f} times" if k > 0 else f"about 1/{10 ** -k:,.0f} of"
    if use_anchor.iloc[i]:
        what = "baseline" if pd.notna(base_anchor.iloc[i]) else "target"
        against = f"the plan's {what} for {r['series_id']} ({ref_value:.6g} {r['unit']})"
    elif n.iloc[i] == 2:
        same = (long["series_id"] == r["series_id"]) & (long["base_unit"] == r["base_unit"])
        other = long[same & (long["order"] != r["order"])].iloc[0]
        where = "" if other["file"] == r["file"] else f"{other['file']}, "
        against = (f"the other figure of {r['series_id']} ({other['value']:g} {other['unit']}, {where}row "
                   f"{other['row']}, column '{other['column']}'; if that one is the slip, correct it instead)")
    else:
        against = f"the other figures of {r['series_id']} (median {ref_value:.6g} {r['unit']})"
    meant = float(r["value"]) / 10 ** k
    table = units.table
    same_base = table[(table["base_unit"] == r["base_unit"])
                      & np.isclose(table["scale"].astype(float), float(r["scale"]) / 10 ** k, rtol=1e-9)]
    hint = f" (a value in {same_base.index[0]} written under {r['unit']}?)" if len(same_base) else ""
    raise PlanFileError(
        r["file"],
        f"{r['value']:g} {r['unit']} is {times} {against}; expected a value in {r['unit']}{hint} — did you mean "
        f"{meant:.6g}?",
        row=int(r["row"]), column=str(r["column"]), value=f"{r['value']:g}")


def _warn_unknown(series: pd.Series, known: set[str], path: str, what: str) -> None:
    stray = series[~series.isin(known)]
    if stray.empty:
        return
    ids = sorted(set(stray))
    named = ", ".join(f"{i} (did you mean {did_you_mean(i, known, n=3)[len('; did you mean '):-1]}?)"
                      if did_you_mean(i, known) else i for i in ids[:20])
    more = f" and {len(ids) - 20} more" if len(ids) > 20 else ""
    warnings.warn(f"{path}: {len(stray)} {what} row(s) with a series_id that matches no indicator of the plan "
                  f"({named}{more}); they are kept but no target uses them", UnknownSeriesWarning, stacklevel=4)


# --------------------------------------------------------------------------- validate

# --------------------------------------------------------------------------- user values

def _plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def _where(ident: Any, year: Any) -> str:
    return f"observed[{_plain(ident)!r}][{_plain(year)!r}]"


def check_user_values(user: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Check a user's values (``evaluate_progress(plan, observed)``) against the targets they are for.

    Parameters
    ----------
    user : pandas.DataFrame
        Columns ``indicator_id, year, value`` as given (other columns are kept); values in each
        indicator's unit: a percentage as printed for shares and rates, annual growth in percent
        for growth targets, annual flows for five-year totals.
    targets : pandas.DataFrame
        The numeric targets with resolved baselines (``targets.resolve_baselines``): columns
        ``indicator_id, kind, unit, base_year, base_value, target_year``.

    Returns
    -------
    pandas.DataFrame
        ``user`` with ``year`` as int and ``value`` as float, one row per indicator and year
        (rows repeating a value are collapsed), in the given order.

    Raises
    ------
    UserValueError
        Naming the value as ``observed['gdp'][2025]``, the value and what was expected, for: a value
        that is not a finite number (NaN would replace the published figure); a year that is not a
        whole number or lies outside the target's period; a share outside 0-100; a share or rate
        given as a fraction (0.53 where the baseline is 50); a level, count or five-year flow that is
        negative (a level or count that is zero); a growth rate of -100 or below; a level
        :data:`UNIT_SLIP_FACTOR` or more times off the baseline (did you mean ...?); two different
        values for one indicator and year.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator_id": ["gdp"], "kind": ["level"], "unit": ["亿元"], "base_year": [2020],
    ...                   "base_value": [725.11], "target_year": [2025]})
    >>> check_user_values(pd.DataFrame({"indicator_id": ["gdp"], "year": [2025], "value": [900]}), t)["value"].tolist()
    [900.0]
    """
    frame = user.copy()
    if frame.empty:
        return frame.assign(year=frame["year"].astype("int64"), value=frame["value"].astype("float64"))
    info = targets.drop_duplicates("indicator_id").set_index("indicator_id")
    values = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    years = pd.to_numeric(frame["year"], errors="coerce").astype("float64")
    for i in np.flatnonzero(~np.isfinite(values.to_numpy())):
        ident, year, given = frame["indicator_id"].iloc[i], frame["year"].iloc[i], frame["value"].iloc[i]
        unit = f" in {info.at[ident, 'unit']}" if ident in info.index else ""
        raise UserValueError(_where(ident, year), given, f"not a finite number; expected a number{unit} "
                             "(leave the year out to keep the published figure)")
    for i in np.flatnonzero(~(np.isfinite(years.to_numpy()) & (years.to_numpy() == np.round(years.to_numpy())))):
        raise UserValueError(_where(frame["indicator_id"].iloc[i], frame["year"].iloc[i]), frame["value"].iloc[i],
                             "the year is not a whole number; expected a calendar year such as 2025")
    frame["value"] = values
    frame["year"] = years.astype("int64")
    joined = frame.join(info[["kind", "unit", "base_year", "base_value", "target_year"]], on="indicator_id")
    for r in joined.itertuples():
        if pd.isna(r.kind):
            continue
        _check_one_user_value(r)
    return _collapse_user(frame)


def _check_one_user_value(r: Any) -> None:
    where, v, kind, unit = _where(r.indicator_id, r.year), float(r.value), r.kind, r.unit
    if pd.notna(r.base_year) and pd.notna(r.target_year) and not int(r.base_year) < r.year <= int(r.target_year):
        raise UserValueError(where, v, f"year {r.year} is outside the plan period {int(r.base_year) + 1}-"
                                       f"{int(r.target_year)} of this target; expected a year in it")
    base = float(r.base_value) if pd.notna(r.base_value) else math.nan
    if kind in PP_KINDS:
        if 0 < abs(v) <= 1 and abs(base) >= FRACTION_FACTOR * abs(v):
            raise UserValueError(where, v, f"looks like a fraction; expected a percentage as printed (the baseline "
                                           f"is {base:g}{unit}) — did you mean {v * 100:.6g}?")
        if kind == "share" and not 0 <= v <= 100:
            raise UserValueError(where, v, f"a share of {v:g}{unit} is outside 0-100; expected a percentage as "
                                           "printed (55 for 55%)")
    elif kind == "growth":
        if v <= -100:
            raise UserValueError(where, v, "annual growth of -100% or less; expected a growth rate in percent "
                                           "above -100")
    elif kind in GEOMETRIC_KINDS:
        if v < 0 or (v == 0 and kind != "cumulative"):
            what = "zero" if v == 0 else "negative"
            raise UserValueError(where, v, f"{what} {kind} value; expected a positive value in {unit}")
        if base > 0 and v > 0 and max(v / base, base / v) >= UNIT_SLIP_FACTOR and kind != "cumulative":
            k = int(round(math.log10(v / base)))
            times = f"about {10 ** k:,.0f} times" if k > 0 else f"about 1/{10 ** -k:,.0f} of"
            raise UserValueError(where, v, f"{times} the baseline {base:g} {unit}; expected a value in {unit} — "
                                           f"did you mean {v / 10 ** k:.6g}?")


def _collapse_user(frame: pd.DataFrame) -> pd.DataFrame:
    key = ["indicator_id", "year"]
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return frame
    for _, group in frame[dup].groupby(key, sort=False):
        values = group["value"].to_numpy()
        if not np.allclose(values, values[0], rtol=1e-12, atol=0):
            ident, year = group["indicator_id"].iloc[0], int(group["year"].iloc[0])
            raise UserValueError(_where(ident, year), float(values[1]),
                                 f"a second value for {ident} {year} (the first is {values[0]:g}, at position "
                                 f"{frame.index.get_loc(group.index[0])}); expected one value per indicator and year")
    return frame.drop_duplicates(key, keep="first")
