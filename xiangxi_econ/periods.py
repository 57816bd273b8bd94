"""The years of a plan: base year, target year, the history window before it, the vision year.

Every module takes its years from :class:`PlanPeriods`, derived from the plan's own rows, so that a
plan based in any year (a 15th plan based in 2025 with 2030 targets) is handled like the embedded
14th plan (based in 2020, targets for 2025, vision 2035).

* base year :math:`b`: the one the plan declares (``meta["base_year"]``, as :func:`xiangxi_econ.new_plan`
  writes it), else the most common ``base_year`` of the plan's own numeric targets (rows outside a
  previous plan's review table), the latest on a tie (a plan whose baselines are each series' latest
  figure has some older ones);
* target year :math:`T`: the most common ``target_year`` of those targets; horizon
  :math:`H = T - b` [years];
* history window :math:`[b - H, b]`: the previous plan period of the same length, over which the
  historical pace is measured (2015-2020 for the 14th plan);
* vision year: the latest target year beyond :math:`T` (2035 for a plan with a 2035 vision), or
  ``None``;
* previous base year: the base year of the previous plan's review rows (role ``previous``;
  ``origin='table_13th'`` in the embedded plan),
  or ``None`` when the plan has no such table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .schema import row_roles

#: Length of a Chinese five-year plan [years], used when a plan states targets but no base year.
PLAN_LENGTH_YEARS = 5


@dataclass(frozen=True)
class PlanPeriods:
    """The calendar years of one plan.

    Attributes
    ----------
    base_year : int
        Year of the baselines [year].
    target_year : int
        Year of the plan's usual targets [year].
    history_start_year : int
        First year of the history window, ``base_year - years`` [year].
    vision_year : int or None
        Latest target year after ``target_year`` (long-range vision) [year].
    previous_base_year : int or None
        Base year of the previous plan's review table [year].
    """

    base_year: int
    target_year: int
    history_start_year: int
    vision_year: int | None = None
    previous_base_year: int | None = None

    @property
    def years(self) -> int:
        """Horizon of the plan, ``target_year - base_year`` [years]."""
        return self.target_year - self.base_year

    @property
    def history_years(self) -> int:
        """Length of the history window [years]."""
        return self.base_year - self.history_start_year

    @property
    def end_year(self) -> int:
        """Last year of long projections: the vision year, else the target year [year]."""
        return self.vision_year if self.vision_year is not None else self.target_year

    @property
    def history_label(self) -> str:
        """``'2015-2020'`` for the embedded plan."""
        return f"{self.history_start_year}-{self.base_year}"

    @property
    def plan_label(self) -> str:
        """``'2020-2025'`` for the embedded plan."""
        return f"{self.base_year}-{self.target_year}"


def _mode(values: pd.Series, latest: bool = False) -> int | None:
    values = values.dropna()
    if values.empty:
        return None
    modes = values.astype(int).mode()
    return int(modes.max() if latest else modes.min())


def plan_periods(indicators: pd.DataFrame, base_year: int | None = None) -> PlanPeriods:
    """Derive the periods of a plan from its indicator rows (``Plan.indicators``), as described in
    the module docstring; returns a :class:`PlanPeriods`.

    Raises
    ------
    ValueError
        When no row states a target year.

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> p = xe.load_plan().periods
    >>> p.base_year, p.target_year, p.history_start_year, p.vision_year, p.previous_base_year
    (2020, 2025, 2015, 2035, 2015)
    """
    own = indicators[row_roles(indicators["origin"]) != "previous"]
    targets = own[own["target_value"].notna()]
    target_year = _mode(targets["target_year"]) or _mode(own["target_year"])
    if base_year is None:
        base_year = _mode(targets["base_year"], latest=True) or _mode(own["base_year"], latest=True)
    if target_year is None:
        if base_year is None:
            raise ValueError("the plan states no target year and no base year; expected target_year on at least "
                             "one row")
        target_year = base_year + PLAN_LENGTH_YEARS
    if base_year is None:
        base_year = target_year - PLAN_LENGTH_YEARS
    later = own.loc[own["target_year"].notna(), "target_year"].astype(int)
    later = later[later > target_year]
    vision = int(later.max()) if len(later) else None
    previous = indicators[row_roles(indicators["origin"]) == "previous"]
    return PlanPeriods(base_year=base_year, target_year=target_year,
                       history_start_year=base_year - (target_year - base_year), vision_year=vision,
                       previous_base_year=_mode(previous["base_year"]))
