"""Column contract of a plan file.

A plan is two tables: *indicators* (one row per indicator or target the plan states) and
*history* (one row per observation). This module is the single place where their columns,
types and allowed values are declared; :mod:`xiangxi_econ.data.plan_io` validates files against it
and ``xiangxi_econ/data/README.md`` documents it for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = ("level", "share", "rate", "count", "cumulative", "growth", "qualitative")
"""How an indicator's number behaves (see the data README)."""

PP_KINDS = ("share", "rate")
"""Kinds that move in percentage points rather than by compound growth."""

GEOMETRIC_KINDS = ("level", "count", "cumulative")
"""Kinds whose values must be non-negative and that grow geometrically."""

#: Roles of a plan's rows, whatever the plan's number: the previous plan's review table, this plan's
#: main-indicator (outline) table, and the chapters' text.
ROLES = ("previous", "outline_table", "chapter_table")
#: The embedded 14th plan's names for those roles (its ``origin`` column), kept in its data and in files
#: written for it; a plan of any number may use either.
ORIGIN_ROLES = {"table_13th": "previous", "table_14th": "outline_table", "text": "chapter_table",
                **{r: r for r in ROLES}}
ORIGINS = ("table_13th", "table_14th", "text", *ROLES)


def row_roles(origin: Any) -> Any:
    """The generic role of each row from its ``origin`` (a pandas Series): ``previous``,
    ``outline_table`` or ``chapter_table`` ('' where the origin is unknown or empty).

    >>> import pandas as pd
    >>> row_roles(pd.Series(["table_13th", "outline_table", ""])).tolist()
    ['previous', 'outline_table', '']
    """
    return origin.map(ORIGIN_ROLES).fillna("")
PRICE_BASES = ("current", "comparable", "na")
BOUNDS = ("at_least", "at_most", "about", "exact")
DIRECTIONS = ("increase", "decrease", "maintain")
ATTRIBUTES = ("binding", "anticipatory")
STATED_CHANGE_TYPES = ("annual_growth_pct", "cumulative_pp", "cumulative_level", "cumulative_total",
                       "multiple_of_previous_total")
MEASURES = ("level", "avg_annual_growth_pct", "avg_annual_change", "total_growth_pct", "cumulative_total")


@dataclass(frozen=True)
class Column:
    """One column of a plan file.

    Parameters
    ----------
    name : str
        Header name.
    dtype : {"str", "int", "float"}
        Type of a non-empty cell.
    required : bool
        Whether the header must be present.
    allowed : tuple of str, optional
        Allowed values of a non-empty cell.
    nonempty : bool
        Whether every cell must be filled.
    """

    name: str
    dtype: str = "str"
    required: bool = False
    allowed: tuple[str, ...] | None = None
    nonempty: bool = False
    expected: str = ""

    def describe(self) -> str:
        """Say in words what a valid cell of this column looks like."""
        if self.expected:
            return self.expected
        if self.allowed:
            return "one of " + ", ".join(self.allowed)
        return {"int": "an integer", "float": "a number", "str": "text"}[self.dtype]


INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("indicator_id", required=True, nonempty=True,
           expected="an ASCII identifier of letters, digits and underscores, starting with a letter"),
    Column("series_id", expected="an ASCII identifier of letters, digits and underscores"),
    Column("origin", allowed=ORIGINS),
    Column("row_no"),
    Column("category_zh"),
    Column("name_zh", required=True, nonempty=True),
    Column("name_en", required=True, nonempty=True),
    Column("kind", required=True, nonempty=True, allowed=KINDS),
    Column("unit", required=True, nonempty=True, expected="a unit listed in units.csv"),
    Column("price_basis", allowed=PRICE_BASES),
    Column("base_year", "int", required=True, expected="a year such as 2020"),
    Column("base_value", "float", required=True),
    Column("target_year", "int", required=True, expected="a year after base_year"),
    Column("target_value", "float", required=True),
    Column("target_text"),
    Column("bound", allowed=BOUNDS),
    Column("direction", allowed=DIRECTIONS),
    Column("attribute", allowed=ATTRIBUTES),
    Column("stated_change"),
    Column("stated_change_value", "float"),
    Column("stated_change_type", allowed=STATED_CHANGE_TYPES),
    Column("source", required=True, nonempty=True),
    Column("quote"),
    Column("note"),
    Column("exclude_reason"),
)

_SERIES_ID = Column("series_id", required=True, nonempty=True,
                    expected="an ASCII identifier of letters, digits and underscores")
_YEAR = Column("year", "int", required=True, nonempty=True, expected="a year such as 2020")
_SOURCE = Column("source", required=True, nonempty=True)
_VALUE = Column("value", "float", required=True, nonempty=True)
_UNIT = Column("unit", required=True, nonempty=True, expected="a unit listed in units.csv")
_PRICE_BASIS = Column("price_basis", allowed=PRICE_BASES)

HISTORY_COLUMNS: tuple[Column, ...] = (
    _SERIES_ID,
    _YEAR,
    Column("start_year", "int", expected="a year before year"),
    Column("measure", required=True, nonempty=True, allowed=MEASURES),
    _VALUE,
    Column("value_text"),
    _UNIT,
    _PRICE_BASIS,
    _SOURCE,
    Column("quote"),
)

INDICATOR_COLUMN_NAMES = tuple(c.name for c in INDICATOR_COLUMNS)
HISTORY_COLUMN_NAMES = tuple(c.name for c in HISTORY_COLUMNS)


# --------------------------------------------------------------------------- observed data
# Published annual observations (``data/observations.csv``) and the statistical breaks of their
# series (``data/breaks.csv``); read by :mod:`xiangxi_econ.data.observed`.

OBSERVATION_MEASURES = ("level", "growth_pct")
"""``level``: a value in a year; ``growth_pct``: a reported annual growth rate in percent over the
previous year (real, at comparable prices, for GDP and value added: "增长4.2%")."""

STATUSES = ("final", "preliminary", "lower_bound")
"""``preliminary``: an estimate (预计) published before the year's accounts were closed;
``lower_bound``: the source says "more than" (超过) the value."""

GRADES = ("A", "A-", "B+", "B", "C")
"""Source grades, best first (see the data README); grade D rows are never used."""

BREAK_KINDS = ("census_revision", "definition", "method", "rebase", "revision")
"""Why a series breaks: an economic-census revision of levels, a change of what is counted, a change
of measurement method, or a re-base of population figures on a population census."""

BOOLEAN_TEXT = ("true", "false")

OBSERVATION_COLUMNS: tuple[Column, ...] = (
    _SERIES_ID,
    _YEAR,
    Column("measure", allowed=OBSERVATION_MEASURES),
    _VALUE,
    _UNIT,
    _PRICE_BASIS,
    Column("status", allowed=STATUSES),
    Column("grade", allowed=GRADES),
    Column("version", expected="an ASCII identifier such as incl_relocated_tobacco, or empty"),
    Column("used_by_plan", allowed=BOOLEAN_TEXT),
    Column("preferred", allowed=BOOLEAN_TEXT),
    Column("segment", "int", expected="a whole number (derived from the breaks; recomputed on reading)"),
    _SOURCE,
    Column("quote"),
    Column("note"),
)

BREAK_COLUMNS: tuple[Column, ...] = (
    _SERIES_ID,
    Column("year", "int", required=True, nonempty=True,
           expected="the first year of the new segment, such as 2019"),
    Column("kind", required=True, nonempty=True, allowed=BREAK_KINDS),
    Column("description_en", required=True, nonempty=True),
    Column("description_zh"),
    _SOURCE,
    Column("size", "float", expected="the relative change of the level at the break where it was measured in an "
                                     "overlap year (both bases published for one year), such as 0.17; empty if "
                                     "not measured"),
)

OBSERVATION_COLUMN_NAMES = tuple(c.name for c in OBSERVATION_COLUMNS)
BREAK_COLUMN_NAMES = tuple(c.name for c in BREAK_COLUMNS)
