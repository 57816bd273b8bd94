"""The plan object: a plan's indicators and history as tidy DataFrames, with provenance.

>>> import xiangxi_econ as xe
>>> plan = xe.load_plan()
>>> row = plan.indicator("gdp")
>>> float(row["base_value"]), float(row["target_value"]), row["unit"]
(725.11, 1000.0, '亿元')
>>> plan.source("gdp").source
'专栏2 序号1'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from .._display import ResultBase
from ..exceptions import UnknownIndicatorError, UserValueError
from ..i18n import check_lang
from ..periods import PlanPeriods, plan_periods
from .plan_io import PathLike, UnitRegistry, _data_path, default_units, read_history, read_indicators, read_meta

#: Kinds whose base value is a level observation worth carrying into the history.
_LEVEL_KINDS = ("level", "share", "rate", "count")

XIANGXI_META = {
    "title": "湘西州国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要",
    "title_en": "Xiangxi Prefecture 14th Five-Year Plan (2021-2025) outline and 2035 vision",
    "issuer": "湘西自治州人民政府办公室 (General Office of the Xiangxi Prefecture People's Government)",
    "date": "2021-04-14",
    "region": "Xiangxi",
    "region_zh": "湘西土家族苗族自治州",
}


@dataclass(frozen=True)
class SourceRef:
    """Where a number came from.

    Attributes
    ----------
    indicator_id : str
    name_zh, name_en : str
    source : str
        Table and row, or chapter and section.
    quote : str
        The exact clause (for table rows, the row's cells joined by `` | ``).
    note : str
        Ambiguities recorded when the row was catalogued.
    """

    indicator_id: str
    name_zh: str
    name_en: str
    source: str
    quote: str
    note: str = ""

    def __str__(self) -> str:
        lines = [f"{self.indicator_id}: {self.name_en} / {self.name_zh}", f"  source: {self.source}",
                 f"  quote:  {self.quote}"]
        if self.note:
            lines.append(f"  note:   {self.note}")
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):  # IPython
        p.text(str(self))


@dataclass(frozen=True)
class Level:
    """One level observation of a series.

    Attributes
    ----------
    series_id : str
    year : int
        Calendar year [year].
    value : float
        In ``unit`` [unit as printed].
    unit : str
    value_base_units : float
        In ``base_unit`` [base unit].
    base_unit : str
    price_basis : str
        ``current``, ``comparable`` or ``na``.
    source : str
    """

    series_id: str
    year: int
    value: float
    unit: str
    value_base_units: float
    base_unit: str
    price_basis: str
    source: str

    def in_scale(self, scale: float) -> float:
        """The value in a unit of ``scale`` base units (``1e8`` for 亿元) [that unit]."""
        return self.value_base_units / scale


@dataclass(frozen=True, repr=False)
class Plan(ResultBase):
    """A development plan as data.

    Attributes
    ----------
    indicators : pandas.DataFrame
        One row per indicator or target; columns documented in ``xiangxi_econ/data/README.md``,
        plus ``unit_en``, ``base_unit`` and ``scale`` from the unit registry.
    history : pandas.DataFrame
        Long table of observations (``series_id, year, start_year, measure, value, value_text, unit,
        price_basis, source, quote, indicator_id``). It holds the file's explicit observations
        (outcomes, reported growth rates, period totals) and, marked by ``indicator_id``, the base
        values of level, share, rate and count indicators as level observations.
    meta : dict
        ``title``, ``title_en``, ``issuer``, ``date`` of the document.
    units : UnitRegistry
    observations : Observations
        Published annual figures of the plan's series (:mod:`xiangxi_econ.data.observed`): the embedded
        Xiangxi 2007-2025 data for :func:`load_plan`, a folder's ``observations.csv`` for
        :func:`read_plan`, else none.
    """

    indicators: pd.DataFrame
    history: pd.DataFrame
    meta: dict = field(default_factory=dict)
    units: UnitRegistry = field(default_factory=default_units, repr=False)
    observations: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.observations is None:
            from .observed import empty_observations

            object.__setattr__(self, "observations", empty_observations(self.units))

    # ------------------------------------------------------------------ lookup
    def indicator(self, indicator_id: str) -> pd.Series:
        """The row of ``indicator_id``; ``KeyError`` with suggestions if unknown."""
        return self.indicators.loc[self._position(indicator_id)]

    def _position(self, indicator_id: str) -> int:
        hits = self.indicators.index[self.indicators["indicator_id"] == indicator_id]
        if len(hits) == 0:
            series = self.indicators.loc[self.indicators["series_id"] == indicator_id, "indicator_id"].tolist()
            hint = f"; rows of series '{indicator_id}': {', '.join(series)}" if series else ""
            raise UnknownIndicatorError(indicator_id, self.indicators["indicator_id"], "indicator", hint)
        return int(hits[0])

    def source(self, indicator_id: str) -> SourceRef:
        """Where the numbers of ``indicator_id`` came from: section, clause and notes."""
        row = self.indicator(indicator_id)
        return SourceRef(row["indicator_id"], row["name_zh"], row["name_en"], row["source"], row["quote"],
                         row["note"])

    def series(self, series_id: str) -> pd.DataFrame:
        """All history observations of ``series_id``, sorted by measure and year."""
        rows = self.history[self.history["series_id"] == series_id]
        if rows.empty and not (self.indicators["series_id"] == series_id).any():
            raise UnknownIndicatorError(series_id, self.history["series_id"], "series")
        return rows.sort_values(["measure", "year"], kind="stable").reset_index(drop=True)

    @functools.cached_property
    def periods(self) -> PlanPeriods:
        """Base year, target year, history window and vision year: the base year the plan declares
        (``meta["base_year"]``), else derived from its rows."""
        declared = self.meta.get("base_year") if isinstance(self.meta, dict) else None
        if declared in (None, ""):
            return plan_periods(self.indicators)
        if isinstance(declared, bool) or not isinstance(declared, int | str) or not str(declared).isdigit():
            raise UserValueError("meta['base_year']", declared, "expected a calendar year such as 2025")
        return plan_periods(self.indicators, int(declared))

    @functools.cached_property
    def levels(self) -> pd.DataFrame:
        """One level observation per (series, year, base unit), the preferred source first
        (see :func:`xiangxi_econ.data.observations.preferred_levels`)."""
        from .observations import preferred_levels

        return preferred_levels(self.history)

    def find_level(self, series_id: str, year: int, base_unit: str | None = None) -> Level | None:
        """The preferred level of ``series_id`` in ``year`` (in ``base_unit`` when given), or None."""
        lv = self.levels
        rows = lv[(lv["series_id"] == series_id) & (lv["year"] == year)]
        if base_unit is not None:
            rows = rows[rows["base_unit"] == base_unit]
        if rows.empty:
            return None
        r = rows.iloc[0]
        return Level(series_id, int(year), float(r["value"]), str(r["unit"]), float(r["value_base_units"]),
                     str(r["base_unit"]), str(r["price_basis"]), str(r["source"]))

    def level(self, series_id: str, year: int, base_unit: str | None = None) -> Level:
        """The preferred level of ``series_id`` in ``year``; the one home of the base-year lookup.

        Parameters
        ----------
        series_id : str
        year : int
            Calendar year [year].
        base_unit : str, optional
            Only levels in this base unit (``"CNY"``, ``"percent"`` ...).

        Returns
        -------
        Level
            ``value`` in the printed ``unit``, ``value_base_units``, ``price_basis`` and ``source``.

        Raises
        ------
        UnknownIndicatorError
            When the plan has no such level; the message lists the years it has.

        Examples
        --------
        >>> import xiangxi_econ as xe
        >>> lv = xe.load_plan().level("gdp", 2020)
        >>> lv.value, lv.unit, lv.source
        (725.11, '亿元', '专栏2 序号1')
        """
        found = self.find_level(series_id, year, base_unit)
        if found is None:
            lv = self.levels
            years = sorted(int(y) for y in lv.loc[lv["series_id"] == series_id, "year"].unique())
            have = f"; it has levels for {', '.join(map(str, years))}" if years else ""
            unit = f" in {base_unit}" if base_unit else ""
            if not years:  # an unknown series: suggest the closest known ones
                raise UnknownIndicatorError(series_id, lv["series_id"].unique(), "series with levels")
            raise UnknownIndicatorError(f"{series_id}@{year}", (), "level",
                                        f" (no {year} level of series '{series_id}'{unit}{have})")
        return found

    def targets(self, year: int | None = None) -> pd.DataFrame:
        """Rows with a target (numeric or qualitative), optionally for one target year."""
        has_target = self.indicators["target_value"].notna() | (self.indicators["target_text"] != "")
        rows = self.indicators[has_target]
        if year is not None:
            rows = rows[rows["target_year"] == year]
        return rows.reset_index(drop=True)

    def name(self, indicator_id: str, lang: str = "en") -> str:
        """Indicator name in English (``lang='en'``) or Chinese (``lang='zh'``)."""
        check_lang(lang)
        return str(self.indicator(indicator_id)[f"name_{lang}"])

    # ------------------------------------------------------------------ display
    def _frame(self) -> pd.DataFrame:
        """The indicator table (a copy)."""
        return self.indicators.copy()

    def _summary(self, lang: str = "en") -> str:
        """Plain-text overview: document, counts by origin and kind."""
        ind = self.indicators
        title = self.meta.get("title_en") or self.meta.get("title") or "plan"
        lines = [f"Plan: {title}"]
        if self.meta.get("issuer"):
            lines.append(f"Issued by: {self.meta['issuer']}, {self.meta.get('date', '')}".rstrip(", "))
        lines.append(f"{len(ind)} indicator rows, {len(self.history)} history observations")
        if self.meta.get("history_note"):
            lines.append(f"History: {self.meta['history_note']}")
        lines.append("")
        by_origin = ind["origin"].replace("", "unspecified").value_counts().sort_index()
        lines.append("rows by origin: " + ", ".join(f"{k} {v}" for k, v in by_origin.items()))
        by_kind = ind["kind"].value_counts().sort_index()
        lines.append("rows by kind:   " + ", ".join(f"{k} {v}" for k, v in by_kind.items()))
        attr = ind.loc[ind["attribute"] != "", "attribute"].value_counts().sort_index()
        if len(attr):
            lines.append("attributes:     " + ", ".join(f"{k} {v}" for k, v in attr.items()))
        return "\n".join(lines)


# ---------------------------------------------------------------------- construction

def _derived_levels(indicators: pd.DataFrame) -> pd.DataFrame:
    rows = indicators[indicators["kind"].isin(_LEVEL_KINDS) & indicators["base_value"].notna()
                      & indicators["base_year"].notna()]
    return pd.DataFrame({
        "series_id": rows["series_id"],
        "year": rows["base_year"],
        "start_year": pd.array([pd.NA] * len(rows), dtype="Int64"),
        "measure": "level",
        "value": rows["base_value"],
        "value_text": "",
        "unit": rows["unit"],
        "price_basis": rows["price_basis"],
        "source": rows["source"],
        "quote": rows["quote"],
        "indicator_id": rows["indicator_id"],
    })


#: Columns the readers add to an indicators table: a frame with all of them was read and checked already.
_READ_COLUMNS = ("series_id", "unit_en", "base_unit", "scale")


def build_plan(indicators: pd.DataFrame, history: pd.DataFrame | None = None, meta: dict | None = None,
               units: UnitRegistry | pd.DataFrame | None = None, observations: Any = None) -> Plan:
    """A :class:`Plan` from DataFrames: the route for a plan made in pandas.

    A frame with the columns of ``indicators.csv`` (as a user makes it) passes every check
    :func:`read_plan` applies to files — cells, bound and direction, units, unit slips, the embedded
    record as history for a targets-only plan — with rows numbered as in a CSV written from the
    frame (header = row 1, the frame's first row = row 2) and the "files" named ``indicators`` and
    ``history``. A frame already read by :func:`read_plan` or :func:`load_plan` (it carries
    ``unit_en``, ``base_unit`` and ``scale``) is assembled as it is; :func:`~xiangxi_econ.io.check_plan`
    runs the cross-file checks on it.

    Parameters
    ----------
    indicators : pandas.DataFrame
        One row per indicator; columns of ``xiangxi_econ/data/README.md`` (minimum ``indicator_id,
        name_zh, name_en, kind, unit, base_year, base_value, target_year, target_value, source``).
    history : pandas.DataFrame, optional
        Columns of ``history.csv``.
    meta : dict, optional
        ``title``, ``title_en``, ``issuer``, ``date``, ``region``.
    units : UnitRegistry or pandas.DataFrame, optional
        The registry, or extra units (``unit, unit_en, base_unit, scale``).
    observations : Observations or path, optional
        Published figures (see :func:`~xiangxi_econ.read_observations`).

    Returns
    -------
    Plan

    Raises
    ------
    PlanFileError
        Naming ``indicators`` or ``history``, the row, the column, the value and what was expected.

    Examples
    --------
    >>> import pandas as pd, xiangxi_econ as xe
    >>> frame = pd.DataFrame({"indicator_id": ["gdp_2030"], "series_id": ["gdp"], "name_zh": ["地区生产总值"],
    ...                       "name_en": ["GDP"], "kind": ["level"], "unit": ["亿元"], "base_year": [2025],
    ...                       "base_value": [889.5], "target_year": [2030], "target_value": [1190.0],
    ...                       "bound": ["at_least"], "source": ["my plan"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # "the published Xiangxi record is used as the history"
    ...     plan = xe.build_plan(frame)
    >>> plan.indicator("gdp_2030")["direction"], plan.periods.base_year
    ('increase', 2025)
    """
    if not (isinstance(indicators, pd.DataFrame) and all(c in indicators.columns for c in _READ_COLUMNS)
            and isinstance(units, (UnitRegistry, type(None)))):
        from .validation import read_plan_frames

        files = read_plan_frames(indicators, history, units, meta, observations)
        return _assemble(files.indicators, files.history, files.meta, files.units, files.observations)
    return _assemble(indicators, history, meta, units, observations)


def _assemble(indicators: pd.DataFrame, history: pd.DataFrame | None = None, meta: dict | None = None,
              units: UnitRegistry | None = None, observations: Any = None) -> Plan:
    """Assemble a :class:`Plan` from checked frames (see :func:`read_plan`)."""
    units = units or default_units()
    parts = [_derived_levels(indicators)]
    if history is not None and len(history):
        explicit = history.copy()
        explicit["indicator_id"] = ""
        parts.insert(0, explicit)
    combined = pd.concat(parts, ignore_index=True)
    combined["year"] = combined["year"].astype("Int64")
    combined["start_year"] = combined["start_year"].astype("Int64")
    scale = combined["unit"].map(units.table["scale"])
    combined["base_unit"] = combined["unit"].map(units.table["base_unit"])
    combined["value_base_units"] = combined["value"] * scale
    return Plan(indicators.reset_index(drop=True), combined, dict(meta or {}), units, observations)


@functools.lru_cache(maxsize=1)
def _embedded() -> tuple[pd.DataFrame, pd.DataFrame]:
    units = default_units()
    with resources.as_file(_data_path("indicators.csv")) as ind_path, \
            resources.as_file(_data_path("history.csv")) as hist_path:
        return read_indicators(ind_path, units), read_history(hist_path, units)


def load_plan() -> Plan:
    """The embedded Xiangxi 14th Five-Year Plan.

    Returns
    -------
    Plan
        Indicators from both tables (专栏1, 专栏2) and the chapters, and the history.

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> plan = xe.load_plan()
    >>> len(plan.indicators) > 200
    True
    """
    from .observed import load_observations

    indicators, history = _embedded()
    return _assemble(indicators.copy(), history.copy(), XIANGXI_META, observations=load_observations())


def _read_meta(path: Path) -> dict:
    """A plan folder's ``meta.json`` (see :func:`xiangxi_econ.data.plan_io.read_meta`)."""
    return read_meta(path)


def read_plan(path: PathLike, history: PathLike | None = None, units: PathLike | pd.DataFrame | None = None,
              meta: dict | None = None, observations: PathLike | None = None) -> Plan:
    """Read another plan in the same format.

    Parameters
    ----------
    path : str or path-like
        An indicators CSV, or a folder holding ``indicators.csv`` and optionally ``history.csv``
        and ``units.csv`` (extra units).
    history : str or path-like, optional
        A history CSV (columns as in the data README); by default a folder's ``history.csv``, or
        for ``plan.csv`` a ``plan_history.csv`` beside it.
    units : str, path-like or DataFrame, optional
        Extra units (columns ``unit, unit_en, base_unit, scale``) added to the shipped registry.
    meta : dict, optional
        ``title``, ``title_en``, ``issuer``, ``date`` of the document and ``region``; a folder's
        ``meta.json`` (a JSON object with those keys) is read by default. Without a title the
        file or folder name is the title.
    observations : str or path-like, optional
        Published annual figures of the plan's series (the format of ``observations.csv``, see
        :func:`~xiangxi_econ.read_observations`); a folder's ``observations.csv`` is read by default,
        with its ``breaks.csv`` when present.

    Returns
    -------
    Plan

    Raises
    ------
    PlanFileError
        On any invalid content, naming the file, the 1-based row, the column, the value and what
        was expected; the files are checked one by one and together (unit slips, conflicting
        duplicates, levels out of range: :mod:`xiangxi_econ.data.validation`). The files are never
        modified.

    Warns
    -----
    UnknownSeriesWarning
        For history or observation rows whose ``series_id`` no indicator uses.
    """
    from .validation import read_plan_files

    files = read_plan_files(path, history=history, units=units, meta=meta, observations=observations)
    return _assemble(files.indicators, files.history, files.meta, files.units, files.observations)
