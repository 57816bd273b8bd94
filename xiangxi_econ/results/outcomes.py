"""Outcomes of a plan's targets: the observed values of each target's series after its base year.

The published figures (``plan.observations``, :mod:`xiangxi_econ.data.observed`) are matched to the
plan's numeric targets by ``series_id`` and converted to each target's unit through the unit
registry (1.2亿人次 and 12000万人次 are the same target). A figure is used only when it is on the
target's price basis and measure (a level for level, share and rate targets; an annual growth rate
for average-growth targets). A user's values — a dict ``{indicator_id: {year: value}}``, a DataFrame
``indicator_id, year, value`` or an :class:`~xiangxi_econ.data.observed.Observations` — are merged on top
and win on the same indicator and year.

Every target without a usable outcome is listed with the reason: no published figure, a figure on
another price basis or in another unit family, a five-year total without every annual flow.

User values are checked the way a reviewer would: a year outside the plan period, a share given as
a fraction (0.53 for 53%) or a level more than a thousand times off its baseline (yuan given for
亿元) raises ``ValueError`` naming the indicator, the value and what was expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..data.observed import Observations, same_figure
from ..data.plan import Plan
from ..data.validation import check_user_values
from ..exceptions import UnknownIndicatorError, UserValueError
from ..i18n import SUMMARY_TEXT, summary_text
from ..rules import targets as _targets
from . import derived as _derive

#: Known reasons why the published record has no outcome for a series (shared data README, trap 8).
#: series id -> (English, Chinese) reason, from :data:`xiangxi_econ.i18n.SUMMARY_TEXT`.
NOT_PUBLISHED = {s: SUMMARY_TEXT[f"outcomes_{s}_unpublished"] for s in ("rd_intensity", "rd_expenditure")}

OUTCOME_COLUMNS = ["indicator_id", "year", "value", "source", "grade", "origin", "method", "formula", "formula_zh",
                   "reading"]
"""Columns of the outcomes frame: ``method`` is ``published``, ``user``, ``identity``, ``bound`` or
``levels`` (see :mod:`xiangxi_econ.results.derived`); ``formula`` says how a derived value was obtained."""


def _user_frame(observed: Any, plan: Plan) -> pd.DataFrame:
    """A user's values as ``indicator_id, year, value, source, grade, origin``."""
    if observed is None:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    if isinstance(observed, Observations):
        return _from_observations(observed, plan, origin="user")
    if isinstance(observed, Mapping):
        for ident, series in observed.items():
            if not isinstance(series, Mapping):
                raise UserValueError(f"observed[{ident!r}]", series, "expected a dict {year: value}, e.g. "
                                     f"{{{ident!r}: {{2025: 889.5}}}}")
        rows = [(ident, year, value) for ident, series in observed.items() for year, value in series.items()]
        frame = pd.DataFrame(rows, columns=["indicator_id", "year", "value"])
    elif isinstance(observed, pd.DataFrame):
        missing = {"indicator_id", "year", "value"} - set(observed.columns)
        if missing:
            raise ValueError(f"observed: missing column(s) {sorted(missing)}; expected indicator_id, year, value")
        frame = observed[["indicator_id", "year", "value"]].copy()
    else:
        raise TypeError("observed must be a DataFrame (indicator_id, year, value), a dict "
                        "{indicator_id: {year: value}} or an Observations object")
    known = plan.indicators["indicator_id"]
    for ident in frame["indicator_id"]:
        if ident not in set(known):
            raise UnknownIndicatorError(str(ident), known, "indicator")
    return frame.assign(source="user", grade="", origin="user", method="user", formula="", formula_zh="", reading="")


def _from_observations(obs: Observations, plan: Plan, origin: str) -> pd.DataFrame:
    """Published figures matched to every numeric target by series, measure, unit family and price basis."""
    rows = _targets.numeric_target_rows(plan)
    table = obs.table[obs.table["preferred"] & ((obs.table["version"] == "") | obs.table["used_by_plan"])]
    out = []
    for row in rows.itertuples():
        measure = "growth_pct" if row.kind == "growth" else "level"
        mine = table[(table["series_id"] == row.series_id) & (table["measure"] == measure)]
        if measure == "level":
            mine = mine[mine["base_unit"] == row.base_unit]
            money = {"current", "comparable"}
            mine = mine[~(mine["price_basis"].isin(money) & (row.price_basis in money)
                          & (mine["price_basis"] != row.price_basis))]
            value = mine["value_base_units"] / float(row.scale)
        else:
            value = mine["value"]
        out.append(pd.DataFrame({"indicator_id": row.indicator_id, "year": mine["year"].astype(int),
                                 "value": value.astype(float), "source": mine["source"], "grade": mine["grade"],
                                 "origin": origin, "method": "published" if origin != "user" else "user",
                                 "formula": "", "formula_zh": "", "reading": ""}))
    if not out:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    return pd.concat(out, ignore_index=True)


def _merge(published: pd.DataFrame, user: pd.DataFrame) -> pd.DataFrame:
    both = pd.concat([published, user], ignore_index=True)
    both["_user"] = both["origin"] == "user"
    both = both.sort_values(["indicator_id", "year", "_user"], kind="stable")
    return both.drop_duplicates(["indicator_id", "year"], keep="last").drop(columns="_user")


def target_outcomes(plan: Plan, observed: Any = None, as_of_year: int | None = None) -> tuple[pd.DataFrame,
                                                                                            pd.DataFrame]:
    """Observed values of every numeric target after its base year.

    Parameters
    ----------
    plan : Plan
    observed : dict, DataFrame or Observations, optional
        A user's values merged on top of ``plan.observations`` (see the module docstring); values in
        each indicator's unit (annual growth in percent for growth targets, annual flows for
        five-year totals).
    as_of_year : int, optional
        Use values up to this year only [year]; default: up to each target's year.

    Returns
    -------
    outcomes : pandas.DataFrame
        ``indicator_id, year, value, source, grade, origin``, sorted by indicator and year.
    missing : pandas.DataFrame
        ``indicator_id, reason, reason_zh`` for numeric targets with no usable outcome.
    """
    targets = _targets.resolve_baselines(_targets.numeric_target_rows(plan), plan)
    user = _user_frame(observed, plan)
    user = check_user_values(user, targets)
    outcomes = _merge(_from_observations(plan.observations, plan, "published"), user)
    period = targets.set_index("indicator_id")[["base_year", "target_year"]]
    period = period[~period.index.duplicated()]
    joined = outcomes.join(period, on="indicator_id")
    keep = (joined["year"] > joined["base_year"]) & (joined["year"] <= joined["target_year"])
    if as_of_year is not None:
        keep &= joined["year"] <= int(as_of_year)
    outcomes = outcomes[keep.to_numpy()].sort_values(["indicator_id", "year"]).reset_index(drop=True)
    outcomes = pd.concat([outcomes, _derived(plan, targets, set(outcomes["indicator_id"]), as_of_year)],
                         ignore_index=True)
    have = set(outcomes["indicator_id"])
    missing = [(r.indicator_id, *_missing_reason(plan, r)) for r in targets.itertuples()
               if r.indicator_id not in have]
    return outcomes, pd.DataFrame(missing, columns=["indicator_id", "reason", "reason_zh"])


def _derived(plan: Plan, targets: pd.DataFrame, have: set[str], as_of_year: int | None) -> pd.DataFrame:
    """What the record implies for targets it does not print (:mod:`xiangxi_econ.results.derived`)."""
    parts = [_derive.identity_outcomes(plan, targets, have), _derive.bound_outcomes(plan, targets, have)]
    growth = [rec for r in targets.itertuples() if r.kind == "growth" and r.indicator_id not in have
              for rec in [_derive.growth_from_levels(plan, r)] if rec is not None]
    parts.append(pd.DataFrame(growth, columns=_derive.DERIVED_COLUMNS))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else \
        pd.DataFrame(columns=OUTCOME_COLUMNS)
    if as_of_year is not None and len(out):
        out = out[out["year"] <= int(as_of_year)]
    return out[OUTCOME_COLUMNS].sort_values(["indicator_id", "year"], kind="stable").reset_index(drop=True)


def _missing_reason(plan: Plan, row: Any) -> tuple[str, str]:
    """Why a target has no usable outcome, in English and Chinese."""
    if row.series_id in NOT_PUBLISHED:
        return NOT_PUBLISHED[row.series_id]
    obs = plan.observations.table
    mine = obs[obs["series_id"] == row.series_id]
    fields: dict[str, Any] = {"series": row.series_id}
    if mine.empty:
        key = "outcomes_no_figure"
    elif mine[mine["year"] > row.base_year].empty:
        key, fields["year"] = "outcomes_figures_end", int(mine["year"].max())
    elif row.kind == "cumulative":
        key = "outcomes_total_needs_flows"
    else:
        key, fields["unit"] = "outcomes_other_units", row.unit
        fields["units"] = ", ".join(sorted(set(mine.loc[mine["year"] > row.base_year, "unit"])))
    return summary_text(key, "en", **fields), summary_text(key, "zh", **fields)


def baseline_notes(plan: Plan, targets: pd.DataFrame, lang: str = "en") -> pd.Series:
    """Where the plan's baseline differs from the published figure for the base year: a note in ``lang``,
    else ''."""
    obs = plan.observations.table
    notes = []
    for r in targets.itertuples():
        base_unit = plan.units.base_unit(r.unit)
        pub = obs[(obs["series_id"] == r.series_id) & (obs["year"] == r.base_year) & (obs["measure"] == "level")
                  & (obs["base_unit"] == base_unit) & obs["preferred"]]
        if pub.empty or pd.isna(r.base_value):
            notes.append("")
            continue
        p = pub.iloc[0]
        scale = float(plan.units.scale(r.unit))
        if same_figure(float(r.base_value), scale, float(p["value"]), float(plan.units.scale(p["unit"]))):
            notes.append("")
        else:
            notes.append(summary_text("outcomes_baseline_differs", lang, year=int(r.base_year), base=r.base_value,
                                      unit=r.unit, published=p["value"], published_unit=p["unit"],
                                      note=str(p["note"]) or summary_text("outcomes_see_sources", lang)))
    return pd.Series(notes, index=targets.index, dtype=object)
