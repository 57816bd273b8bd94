r"""Named scenarios from the plan's base year to the target year and on to the vision year.

A scenario gives each indicator an annual pace — a growth rate for levels and counts, a
percentage-point change for shares and rates — and optional shocks that replace the pace in a given
year. Paths are built for all indicators at once, from the base year :math:`b`:

.. math::

    x_{i,t} = x_{i,b} \prod_{s=b+1}^{t} (1 + g_{i,s}) \quad\text{(levels)},\qquad
    x_{i,t} = x_{i,b} + \sum_{s=b+1}^{t} p_{i,s} \quad\text{(shares and rates, kept in [0, 100])}

with :math:`g_{i,s}` (or :math:`p_{i,s}`) the scenario's pace, or the shock's value in a shock year.

Built-in bases: ``"plan"`` — every target reached on time (the required pace of the targets
table); after a target's year it moves at the history-window pace, never at the required pace
compounded on (paths stop at the plan's target year unless ``end_year`` asks for more);
``"trend"`` — the pace of the last five years before the base year on one statistical basis
continued: the statistical segments of the forecasts (:func:`xiangxi_econ.rules.windows.series_segments`),
so never a pace across a break (census revision, change of definition or method). Where the latest
basis holds one value the pace of the earlier basis is used, said in ``ScenarioSet.basis``; a series
whose only pace would cross a break gets no trend path (``ScenarioSet.no_trend`` gives the reason);
indicators with no history are held at their base-year value, and listed in ``ScenarioSet.held``.
Scenarios carry the plan's identities (:data:`xiangxi_econ.maths.identities.IDENTITIES`):
``tourism_revenue_identity`` is arrivals × spending per visitor beside the revenue target's own path;
a default (money) shock makes revenue take the shock through spending, arrivals being hit only when
named; GDP carries its three-sector structure (shares moving at their historical pace, renormalised to
100, sector value added = GDP × share).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .._display import ResultBase, charts, fit, num
from ..data.plan import Plan
from ..exceptions import PercentLikeRateWarning
from ..maths.identities import IDENTITIES
from ..rules import meaning as _rules
from ..rules import targets as _targets
from ..rules.historical import HistoricalPace, historical_pace
from ..rules.windows import series_segments
from ..schema import PP_KINDS

_SPENDING = "tourism_spending_per_visitor"
_TOURISM = IDENTITIES["tourism_revenue"]
_SECTORS = IDENTITIES["sector_shares"].parts


def _check_rate(owner: str, name: str, value: float) -> float:
    """A growth rate [fraction per year]: above -1; a value above 1 warns as percent-like."""
    v = float(value)
    if not np.isfinite(v) or v <= -1:
        raise ValueError(f"{owner}: {name} is a growth rate, a fraction above -1 (-0.30 for a 30% fall); got {value!r}")
    if abs(v) > 1:
        warnings.warn(f"{owner}: {name} looks like a percent: got {value!r}; rates are fractions (0.07 for 7%)",
                      PercentLikeRateWarning, stacklevel=4)
    return v


@dataclass(frozen=True)
class Shock:
    """A year whose pace is replaced, e.g. a pandemic-style fall.

    Parameters
    ----------
    year : int
        The year hit [year].
    rate : float, optional
        The growth rate of levels and counts in that year [fraction; -0.10 is a 10% fall; above -1].
    indicators : sequence of str, optional
        Indicator ids hit; ``None`` hits every money amount (levels with a price basis). Physical
        quantities (tourist arrivals), shares and rates are hit only when named.
    change_pp : float, optional
        The change of the named shares and rates in that year [pp]; shares and rates are not hit
        without it.
    """

    year: int
    rate: float | None = None
    indicators: tuple[str, ...] | None = None
    change_pp: float | None = None

    def __post_init__(self) -> None:
        year: object = self.year
        if isinstance(year, float) and year.is_integer():
            object.__setattr__(self, "year", int(year))
        elif isinstance(year, bool) or not isinstance(year, (int, np.integer)):
            raise ValueError(f"Shock: year must be a whole calendar year; got {year!r}")
        if self.change_pp is not None and not np.isfinite(float(self.change_pp)):
            raise ValueError(f"Shock({self.year}): change_pp must be a finite number of pp; got {self.change_pp!r}")
        if self.indicators is not None:
            ids = (self.indicators,) if isinstance(self.indicators, str) else tuple(self.indicators)
            object.__setattr__(self, "indicators", ids)
        if self.rate is None and self.change_pp is None:
            raise ValueError(f"Shock({self.year}): give rate (levels, fraction) and/or change_pp (shares, pp)")
        if self.rate is not None:
            object.__setattr__(self, "rate", _check_rate(f"Shock({self.year})", "rate", self.rate))


@dataclass(frozen=True)
class Scenario:
    """A named set of annual paces.

    Parameters
    ----------
    name : str
        Label used in tables and charts.
    base : {"trend", "plan"}
        Where paces not given explicitly come from.
    paces : mapping, optional
        ``{indicator_id: rate}`` for levels and counts [fraction per year; above -1].
    paces_pp : mapping, optional
        ``{indicator_id: pace}`` for shares and rates [pp per year].
    adjust : float
        Added to the pace of money amounts (levels with a price basis: GDP, income, revenue,
        deposits ...), e.g. ``-0.01`` for "growth one point lower" [fraction per year].
    adjust_pp : float
        Added to the pace of every share and rate [pp per year].
    adjust_indicators : sequence of str, optional
        Apply ``adjust`` / ``adjust_pp`` to these indicators instead of the defaults above.
    shocks : sequence of Shock
    description : str
    """

    name: str
    base: str = "trend"
    paces: Mapping[str, float] = field(default_factory=dict)
    adjust: float = 0.0
    adjust_pp: float = 0.0
    adjust_indicators: tuple[str, ...] | None = None
    shocks: tuple[Shock, ...] = ()
    description: str = ""
    paces_pp: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.base not in ("trend", "plan"):
            raise ValueError(f"Scenario '{self.name}': base must be 'trend' or 'plan'; got {self.base!r}")
        for name in ("adjust", "adjust_pp"):
            if not np.isfinite(float(getattr(self, name))):
                raise ValueError(f"Scenario '{self.name}': {name} must be a finite number; got {getattr(self, name)!r}")
        bad_pp = [k for k, v in self.paces_pp.items() if not np.isfinite(float(v))]
        if bad_pp:
            raise ValueError(f"Scenario '{self.name}': paces_pp[{bad_pp[0]!r}] must be a finite number of pp per year")
        if abs(self.adjust) > 1:
            raise ValueError(f"Scenario '{self.name}': adjust is a fraction per year (-0.01 for one point lower); "
                             f"got {self.adjust!r}")
        paces = {k: _check_rate(f"Scenario '{self.name}'", f"paces[{k!r}]", v) for k, v in self.paces.items()}
        object.__setattr__(self, "paces", paces)
        object.__setattr__(self, "paces_pp", {k: float(v) for k, v in self.paces_pp.items()})
        object.__setattr__(self, "shocks", tuple(self.shocks))


def _builtin(name: str, plan: Plan) -> Scenario:
    periods = plan.periods
    if name == "plan":
        return Scenario("plan", base="plan", description="every target reached on time, the historical pace "
                                                         "after the target year")
    return Scenario("trend", base="trend", description=f"the {periods.history_label} pace continued")


#: Longest horizon of a scenario set [years], as :func:`xiangxi_econ.simulate` (spreads and paces are
#: estimated on five-year windows; a path of centuries says nothing and costs memory).
MAX_HORIZON = 50


def _series_row(plan: Plan, indicator_id: str, series_id: str) -> pd.Series:
    ind = plan.indicators.set_index("indicator_id")
    return pd.Series({"series_id": series_id, "base_unit": ind.at[indicator_id, "base_unit"],
                      "scale": ind.at[indicator_id, "scale"]})


def segment_pace(plan: Plan, indicator_id: str, series_id: str, kind: str, as_of: int,
                 window: int = 5) -> tuple[float, int, int, str]:
    """The trend pace of a series as of ``as_of``, on one statistical basis: the pace over the last
    ``window`` years of the latest statistical segment holding two values
    (:func:`xiangxi_econ.rules.windows.series_segments`, the segments the forecasts use).

    Returns
    -------
    pace : float
        [fraction per year] for levels and counts, [pp per year] for shares and rates; NaN when no
        segment holds two values.
    start_year, end_year : int
        The two values the pace is taken between [year]; -1 when there is none.
    reason : str
        ``""`` for a pace on the latest basis; otherwise what was done, or why there is no pace (its
        only pace would cross a break; no history).
    """
    years, values, seg = series_segments(plan, _series_row(plan, indicator_id, series_id), as_of)
    pp = kind in PP_KINDS
    if not len(years):
        return np.nan, -1, -1, "no history: held at the base-year value"
    for s_ in sorted(set(seg.tolist()), reverse=True):
        inside = seg == s_
        last = int(years[inside][-1])
        use = inside & (years >= last - window)
        if use.sum() >= 2:
            y0, v0, v1 = int(years[use][0]), float(values[use][0]), float(values[use][-1])
            rate, pace_pp = _rules.pace(["share" if pp else "level"], [v0], [v1], [last - y0])
            pace = float(pace_pp[0] if pp else rate[0])
            note = "" if s_ == seg[-1] else (f"pace {y0}-{last} of the earlier statistical basis: the latest basis "
                                             f"holds one value")
            return pace, y0, last, note
    if len(set(seg.tolist())) > 1:
        breaks = plan.observations.breaks
        b = breaks[breaks["series_id"] == series_id]
        which = ", ".join(f"{k} {y}" for k, y in zip(b["kind"], b["year"], strict=True))
        return np.nan, -1, -1, f"no trend path: its only pace would cross a statistical break ({which})"
    return np.nan, -1, -1, "no history: held at the base-year value"


def _pace_table(table: pd.DataFrame, base: int, plan: Plan) -> pd.DataFrame:
    """Indicators a scenario can project, with their base-year value and plan/trend paces; the trend pace
    is taken on one statistical basis (:func:`segment_pace`)."""
    keep = table["kind"].isin(("level", "count", "share", "rate")) & table["base_value"].notna() \
        & (table["base_year"] == base)
    t = table[keep].copy()
    pp = t["kind"].isin(PP_KINDS)
    t["plan_pace"] = np.where(pp, t["required_pace_pp"], t["required_rate"])
    found = [segment_pace(plan, i, s, k, base) for i, s, k in zip(t["indicator_id"], t["series_id"], t["kind"],
                                                                   strict=True)]
    trend = np.array([f[0] for f in found], dtype=float)
    note = np.array([f[3] for f in found], dtype=object)
    held = np.isnan(trend) & np.array([n.startswith("no history") for n in note], dtype=bool)
    t["trend_pace"] = np.where(held, 0.0, trend)
    t["trend_note"] = note
    t["trend_from"] = np.array([f[1] for f in found], dtype=int)
    t["trend_to"] = np.array([f[2] for f in found], dtype=int)
    return t[["indicator_id", "series_id", "name_en", "name_zh", "kind", "unit", "price_basis", "base_value",
              "target_year", "target_value", "bound", "plan_pace", "trend_pace", "trend_note", "trend_from",
              "trend_to"]].reset_index(drop=True)


def _project(base: np.ndarray, pace: np.ndarray, pp: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Paths (indicators × years) from per-year paces (indicators × years after the base year)."""
    growth = np.cumprod(1 + np.where(pp[:, None], 0.0, pace), axis=1) * base[:, None]
    added = base[:, None] + np.cumsum(np.where(pp[:, None], pace, 0.0), axis=1)
    added = np.clip(added, 0.0, 100.0)
    path = np.where(pp[:, None], added, growth)
    return np.concatenate([base[:, None], path], axis=1)


def _sector_rows(plan: Plan, gdp_path: pd.DataFrame, base: int, hp: HistoricalPace) -> pd.DataFrame:
    """Three-sector shares (historical pp pace, renormalised) and value added = GDP × share."""
    pace_pp = hp.table.set_index("series_id")["computed_pace_pp"]
    shares0, paces = [], []
    for sid in _SECTORS:
        level = plan.find_level(sid, base)
        if level is None:
            return pd.DataFrame()
        shares0.append(level.value)
        pace = pace_pp.get(sid, np.nan)
        paces.append(0.0 if pd.isna(pace) else float(pace))
    years = np.sort(gdp_path["year"].unique())
    out = []
    for scenario, g in gdp_path.groupby("scenario", sort=False):
        g = g.set_index("year").loc[years]
        t = (years - base)[None, :]
        raw = np.clip(np.array(shares0)[:, None] + np.array(paces)[:, None] * t, 0, None)
        shares = raw / raw.sum(axis=0, keepdims=True) * 100
        for k, sid in enumerate(_SECTORS):
            va = sid.replace("_share", "_va")
            common = {"scenario": scenario, "year": years, "price_basis": "na"}
            out.append(pd.DataFrame({**common, "indicator_id": sid, "series_id": sid, "value": shares[k], "unit": "%",
                                     "derived": True}))
            out.append(pd.DataFrame({**common, "indicator_id": va, "series_id": va,
                                     "value": g["value"].to_numpy() * shares[k] / 100, "unit": g["unit"].iloc[0],
                                     "price_basis": "current", "derived": True}))
    return pd.concat(out, ignore_index=True)


def _tourism_rows(frame: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Revenue = arrivals × spending per visitor, when both components are projected."""
    arrivals = frame[frame["series_id"] == "tourism_arrivals"]
    spending = frame[frame["series_id"] == _SPENDING]
    if arrivals.empty or spending.empty:
        return pd.DataFrame()
    a = arrivals.drop_duplicates(["scenario", "year"]).set_index(["scenario", "year"])
    s = spending.drop_duplicates(["scenario", "year"]).set_index(["scenario", "year"])
    s = s.reindex(a.index)
    unit = _TOURISM.units["tourism_revenue"]
    revenue = pd.Series(_TOURISM.evaluate(
        {"tourism_arrivals": a["value"].to_numpy(), _SPENDING: s["value"].to_numpy()}, plan.units,
        value_units={"tourism_arrivals": a["unit"].iloc[0], _SPENDING: s["unit"].iloc[0]}, result_unit=unit),
        index=a.index)
    out = revenue.rename("value").reset_index()
    return out.assign(indicator_id="tourism_revenue_identity", series_id="tourism_revenue", unit=unit,
                      price_basis="current", derived=True)


def _spending_baseline(plan: Plan, base: int) -> float | None:
    """Spending per visit in the base year, revenue / arrivals [元]."""
    a, r = plan.find_level("tourism_arrivals", base), plan.find_level("tourism_revenue", base)
    if a is None or r is None:
        return None
    return float(_TOURISM.solve(_SPENDING, {"tourism_revenue": r.value, "tourism_arrivals": a.value}, plan.units,
                                value_units={"tourism_revenue": r.unit, "tourism_arrivals": a.unit},
                                part_unit=_TOURISM.units[_SPENDING]))


@dataclass(frozen=True, repr=False)
class ScenarioSet(ResultBase):
    """Paths of several scenarios side by side.

    Attributes
    ----------
    frame : pandas.DataFrame
        Long format: ``scenario, indicator_id, series_id, year, value, unit, price_basis, derived``
        (``derived`` marks values computed through an identity rather than projected directly).
    scenarios : tuple of Scenario
    held : tuple of str
        Indicators with no history before the base year, held at their base-year value in trend-based scenarios
        (marked ``*`` in the summary) — flat paths, not projections.
    target_year : int or None
        The plan's target year, the default of :meth:`compare` [year].
    notes : dict
        For a set started at ``as_of_year``: where each indicator restarted and which pace it carries.
    no_trend : dict
        Indicators with no trend path (``indicator_id -> reason``): their only pace would cross a
        statistical break, so trend-based scenarios (and the plan scenario after its target year) leave
        them out rather than carry a pace across it.
    basis : pandas.DataFrame
        ``indicator_id, series_id, trend_from, trend_to, trend_pace, trend_note``: the two years the
        trend pace is taken between (one statistical segment; -1 for none).
    """

    frame: pd.DataFrame
    scenarios: tuple[Scenario, ...]
    held: tuple[str, ...] = ()
    target_year: int | None = None
    notes: dict = field(default_factory=dict)
    no_trend: dict = field(default_factory=dict)
    basis: pd.DataFrame | None = None

    def _frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def compare(self, year: int | None = None) -> pd.DataFrame:
        """Values in ``year`` (default: the plan's target year): one row per indicator, one column per
        scenario."""
        year = self._year(year)
        rows = self.frame[self.frame["year"] == year]
        wide = rows.pivot_table(index=["indicator_id", "unit"], columns="scenario", values="value", aggfunc="first")
        wide = wide[[s.name for s in self.scenarios if s.name in wide.columns]]
        return wide.reset_index()

    def _plot(self, ax=None, indicator_id: str = "gdp", lang: str | None = None):
        """Paths of ``indicator_id`` under every scenario."""
        plot_scenario_paths = charts().plot_scenario_paths

        return plot_scenario_paths(self.frame, indicator_id, ax=ax, lang=self._lang(lang))

    def _year(self, year: int | None) -> int:
        if year is not None:
            return int(year)
        if self.target_year is not None:
            return int(self.target_year)
        return int(self.frame["year"].max())

    def _summary(self, lang: str = "en") -> str:
        names = ", ".join(f"{s.name} ({s.description or s.base})" for s in self.scenarios)
        year = self._year(None)
        cmp = self.compare(year)
        lines = [f"Scenarios: {names}", f"{self.frame['indicator_id'].nunique()} indicators, years "
                 f"{self.frame['year'].min()}-{self.frame['year'].max()}", "", f"Values in {year}:"]
        header = f"{'indicator':40}" + "".join(f"{s.name[:12]:>13}" for s in self.scenarios)
        lines.append(header)
        for r in cmp.itertuples(index=False):
            vals = "".join(f"{num(getattr(r, s.name, np.nan)):>13}" if s.name in cmp.columns else f"{'':>13}"
                           for s in self.scenarios)
            mark = "*" if r.indicator_id in self.held else " "
            lines.append(f"{fit(r.indicator_id, 39)}{mark}{vals}")
        if self.held and any(s.base == "trend" for s in self.scenarios):
            lines.append("")
            lines.append("* no history: held at the base-year value in trend-based scenarios unless a pace is given")
        return "\n".join(lines)


def _resolve(plan: Plan, specs: Sequence[Scenario | str]) -> tuple[Scenario, ...]:
    resolved = []
    for s in specs or ("plan", "trend"):
        if isinstance(s, str) and s in ("plan", "trend"):
            resolved.append(_builtin(s, plan))
        elif isinstance(s, Scenario):
            resolved.append(s)
        else:
            raise TypeError(f"scenarios: expected a Scenario or 'plan'/'trend'; got {s!r}")
    names = [s.name for s in resolved]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique; got {names}")
    return tuple(resolved)


def _paces(spec: Scenario, table: pd.DataFrame) -> np.ndarray:
    """One pace per projectable indicator: base, then named paces, then adjustments."""
    ids = table["indicator_id"].to_numpy()
    pp = table["kind"].isin(PP_KINDS).to_numpy()
    named = {**spec.paces, **spec.paces_pp}
    unknown = sorted(set(named) - set(ids) - {_SPENDING})
    if unknown:
        raise ValueError(f"Scenario '{spec.name}': no projectable indicator {', '.join(unknown)} "
                         "(needs a base-year value and a level, count, share or rate kind)")
    wrong = sorted(i for i in spec.paces if i in set(ids[pp])) + sorted(i for i in spec.paces_pp
                                                                           if i in set(ids[~pp]))
    if wrong:
        raise ValueError(f"Scenario '{spec.name}': {', '.join(wrong)}: shares and rates take paces_pp [pp per year], "
                         "levels and counts take paces [fraction per year]")
    if spec.adjust_indicators is not None:
        named_adjust = (spec.adjust_indicators,) if isinstance(spec.adjust_indicators, str) else spec.adjust_indicators
        stray = sorted(set(named_adjust) - set(ids) - {_SPENDING})
        if stray:
            raise ValueError(f"Scenario '{spec.name}': adjust_indicators names {', '.join(map(repr, stray))}, which is "
                             f"no projectable indicator of the plan; expected ids such as "
                             f"{', '.join(list(ids)[:6])} (a level, count, share or rate with a base-year value)")
    pace = table[f"{spec.base}_pace"].to_numpy(float).copy()
    for ident, value in named.items():
        pace[ids == ident] = value
    money = (~pp) & (table["price_basis"] != "na").to_numpy()
    adjusted = money | pp if spec.adjust_indicators is None else np.isin(ids, spec.adjust_indicators)
    return pace + np.where(adjusted, np.where(pp, spec.adjust_pp, spec.adjust), 0.0)


def _apply_shocks(spec: Scenario, per_year: np.ndarray, table: pd.DataFrame, base: int, end_year: int) -> None:
    ids = table["indicator_id"].to_numpy()
    pp = table["kind"].isin(PP_KINDS).to_numpy()
    money = (~pp) & (table["price_basis"] != "na").to_numpy()
    for shock in spec.shocks:
        if not base < shock.year <= end_year:
            raise ValueError(f"Scenario '{spec.name}': shock year {shock.year} outside {base + 1}-{end_year}")
        if shock.indicators is not None:
            missing = sorted(set(shock.indicators) - set(ids) - {_SPENDING})
            if missing:
                raise ValueError(f"Scenario '{spec.name}': shock names unknown indicator(s) {', '.join(missing)}")
        hit = money if shock.indicators is None else np.isin(ids, shock.indicators)
        column = shock.year - base - 1
        if shock.rate is not None:
            per_year[hit & ~pp, column] = shock.rate
        if shock.change_pp is not None:
            per_year[hit & pp, column] = shock.change_pp


def _restart(plan: Plan, table: pd.DataFrame, base: int, as_of: int) -> pd.DataFrame:
    """Move the table's start to ``as_of``: each indicator from its latest published value at or before
    ``as_of`` (the plan's own figures and ``plan.observations``, one statistical basis), the trend pace
    that of its last five years on that basis (the history-window pace where the latest basis holds one
    value only), the plan pace what the target still requires from there."""
    ind = plan.indicators.set_index("indicator_id")
    t = table.copy()
    pp = t["kind"].isin(PP_KINDS).to_numpy()
    start = t["base_value"].to_numpy(float).copy()
    trend = t["trend_pace"].to_numpy(float).copy()
    notes = t["trend_note"].astype(str).to_numpy(object).copy()
    for k, r in enumerate(t.itertuples()):
        row = pd.Series({"series_id": r.series_id, "base_unit": ind.at[r.indicator_id, "base_unit"],
                         "scale": ind.at[r.indicator_id, "scale"]})
        years, values, seg = series_segments(plan, row, as_of)
        if len(years) and years[-1] > base:
            last, v_last = int(years[-1]), float(values[-1])
            same = (seg == seg[-1]) & (years >= last - 5)
            y0, v0 = int(years[same][0]), float(values[same][0])
            if last > y0:
                kind = "share" if pp[k] else "level"
                rate, pace = _rules.pace([kind], [v0], [v_last], [last - y0])
                trend[k] = float(pace[0] if pp[k] else rate[0])
                notes[k] = f"restarted at {last}; trend pace {y0}-{last}"
                t.loc[k, ["trend_from", "trend_to"]] = (y0, last)
            else:
                notes[k] = f"restarted at {last}; base-year pace on an earlier basis (one value on the latest basis)"
                if np.isnan(trend[k]):
                    notes[k] = f"restarted at {last}; {t['trend_note'].iloc[k]}"
            start[k] = v_last if as_of == last else float(_rules.projected(
                ["share" if pp[k] else "level"], [v_last], [trend[k]], [trend[k]], [as_of - last])[0])
        else:
            start[k] = float(_rules.projected(["share" if pp[k] else "level"], [start[k]], [trend[k]], [trend[k]],
                                              [as_of - base])[0])
            notes[k] = f"no figure after {base}: projected to {as_of} at the history-window pace"
    t["base_value"] = start
    t["trend_pace"] = trend
    t["trend_note"] = notes
    left = t["target_year"].to_numpy(float) - as_of
    rate, pace = _rules.remaining_pace(t["kind"].to_numpy(str), start, t["target_value"].to_numpy(float),
                                       np.where(left > 0, left, np.nan))
    t["plan_pace"] = np.where(left > 0, np.where(pp, pace, rate), trend)
    return t


def scenarios(plan: Plan, *specs: Scenario | str, end_year: int | None = None,
              targets: pd.DataFrame | None = None, historical: HistoricalPace | None = None,
              as_of_year: int | None = None) -> ScenarioSet:
    """Project the plan's indicators under named scenarios.

    Parameters
    ----------
    plan : Plan
    *specs : Scenario or {"plan", "trend"}
        Scenarios to build; default ``"plan"`` and ``"trend"``.
    end_year : int, optional
        Last year of the paths [year]; default the plan's target year. Beyond it, plan-based paths
        continue at the history-window pace (not the required pace compounded).
    targets : pandas.DataFrame, optional
        The plan's :func:`~xiangxi_econ.rules.targets.targets_table`, if already computed.
    historical : HistoricalPace, optional
        The plan's :func:`~xiangxi_econ.historical_pace`, if already computed.
    as_of_year : int, optional
        Start the paths here instead of the plan's base year [year], e.g. 2025 for an outlook to 2035:
        each indicator starts from its latest published value at or before it, the trend is the pace
        of its last five years on one statistical basis, the plan scenario what each target still
        requires (``ScenarioSet.notes`` says which). The identity rows (spending per visitor, sector
        shares) need base-year levels and are left out of a restarted set.

    Returns
    -------
    ScenarioSet

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> s = xe.scenarios(xe.load_plan(), "plan", "trend", end_year=2025)
    >>> wide = s.compare().set_index("indicator_id")
    >>> round(float(wide.loc["gdp", "plan"]), 2), round(float(wide.loc["gdp", "trend"]), 1)
    (1000.0, 830.4)

    The trend is 725.11 × (725.11 / 705.7136)**5: the 2019-2020 pace on the census-revised basis (the
    2019 economic-census revision lies between 2018 and 2019), never the 7.0% of 2015-2020 across it.
    """
    periods = plan.periods
    base = periods.base_year
    end_year = periods.target_year if end_year is None else _whole_year("end_year", end_year)
    if end_year <= base:
        raise ValueError(f"end_year must be after the plan's base year {base}; got {end_year}")
    if as_of_year is not None:
        as_of_year = _whole_year("as_of_year", as_of_year)
        latest = _latest_year(plan)
        if as_of_year > max(latest, base):
            raise ValueError(f"as_of_year={as_of_year} is after the plan's latest figure ({latest}); expected a year "
                             f"from {base} to {max(latest, base)} (paths start from a published value)")
    start = base if as_of_year is None else as_of_year
    if end_year - start > MAX_HORIZON:
        raise ValueError(f"end_year={end_year} is {end_year - start} years after {start}; at most {MAX_HORIZON} years "
                         "are projected")
    resolved = _resolve(plan, specs)
    hp = historical if historical is not None else historical_pace(plan)
    table = _pace_table(_targets.targets_table(plan, historical=hp) if targets is None else targets, base, plan)
    restarted = as_of_year is not None and as_of_year != base
    if as_of_year is not None and restarted:
        if not base < int(as_of_year) < end_year:
            raise ValueError(f"as_of_year must be a year after the base year {base} and before end_year {end_year}; "
                             f"got {as_of_year!r}")
        table = _restart(plan, table, base, int(as_of_year))
        base = int(as_of_year)
    years = np.arange(base, end_year + 1)
    steps = years[1:]
    ids = table["indicator_id"].to_numpy()
    pp = table["kind"].isin(PP_KINDS).to_numpy()
    frames = []
    for spec in resolved:
        per_year = np.repeat(_paces(spec, table)[:, None], len(steps), axis=1)
        if spec.base == "plan":  # after its target year an indicator moves at the historical pace
            after = steps[None, :] > table["target_year"].to_numpy(float)[:, None]
            trend = _paces(replace(spec, base="trend"), table)
            per_year = np.where(after, trend[:, None], per_year)
        _apply_shocks(spec, per_year, table, base, end_year)
        paths = _project(table["base_value"].to_numpy(float), per_year, pp, steps - base)
        frames.append(pd.DataFrame({
            "scenario": spec.name,
            "indicator_id": np.repeat(ids, len(years)),
            "series_id": np.repeat(table["series_id"].to_numpy(), len(years)),
            "year": np.tile(years, len(ids)),
            "value": paths.ravel(),
            "unit": np.repeat(table["unit"].to_numpy(), len(years)),
            "price_basis": np.repeat(table["price_basis"].to_numpy(), len(years)),
            "derived": False,
        }))
    frame = pd.concat(frames, ignore_index=True)
    # identities: spending per visitor from its base-year value, revenue = arrivals × spending
    spend0 = None if restarted else _spending_baseline(plan, base)
    if spend0 is not None:
        frame = pd.concat([frame, _spending_paths(plan, resolved, table, spend0, years, frame)], ignore_index=True)
        frame = pd.concat([frame, _tourism_rows(frame, plan)], ignore_index=True)
    gdp = frame[frame["indicator_id"] == "gdp"]
    if not gdp.empty and not restarted:
        frame = pd.concat([frame, _sector_rows(plan, gdp, base, hp)], ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    frame["derived"] = frame["derived"].astype(bool)
    # no trend path: left out, never a pace across a break (nor a lone base-year point left as a "path")
    frame = frame[frame["value"].notna()]
    size = frame.groupby(["scenario", "indicator_id"])["year"].transform("size")
    frame = frame[(size > 1) | (frame["year"] != base)]
    held = tuple(table.loc[table["trend_note"].str.startswith("no history"), "indicator_id"])
    notes = dict(zip(table["indicator_id"], table["trend_note"], strict=True)) if restarted else {}
    gone = np.isnan(table["trend_pace"].to_numpy(float))
    no_trend = dict(zip(table.loc[gone, "indicator_id"], table.loc[gone, "trend_note"], strict=True))
    basis = table[["indicator_id", "series_id", "trend_from", "trend_to", "trend_pace", "trend_note"]].copy()
    return ScenarioSet(frame.reset_index(drop=True), resolved, held, periods.target_year, notes, no_trend, basis)


def _whole_year(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(float(value)) or not float(value).is_integer():
        raise ValueError(f"{name} must be a whole calendar year such as 2030; got {value!r}")
    return int(value)


def _latest_year(plan: Plan) -> int:
    """The latest year of any level the plan holds (its own figures and its observations) [year]."""
    years = [int(plan.levels["year"].max())] if len(plan.levels) else []
    obs = plan.observations.table
    if len(obs):
        years.append(int(obs["year"].max()))
    return max(years) if years else plan.periods.base_year


def _spending_pace(plan: Plan, table: pd.DataFrame, spend0: float, base: int) -> tuple[float, float]:
    """(plan pace, trend pace) of spending per visit: plan — the pace to the spending target;
    trend — revenue pace over arrivals pace in the history window [fraction per year]."""
    ind = plan.indicators
    target = ind[(ind["series_id"] == _SPENDING) & ind["target_value"].notna()]
    hp_rev = table.loc[table["series_id"] == "tourism_revenue", "trend_pace"]
    hp_arr = table.loc[table["series_id"] == "tourism_arrivals", "trend_pace"]
    trend = (1 + hp_rev.iloc[0]) / (1 + hp_arr.iloc[0]) - 1 if len(hp_rev) and len(hp_arr) else 0.0
    if target.empty:
        return trend, trend
    t = target.iloc[0]
    value = plan.units.scale(t["unit"]) / plan.units.scale(_TOURISM.units[_SPENDING]) * t["target_value"]
    return float(_rules.pace(["level"], [spend0], [value], [t["target_year"] - base])[0][0]), trend


def _spending_paths(plan: Plan, specs: Sequence[Scenario], table: pd.DataFrame, spend0: float,
                    years: np.ndarray, frame: pd.DataFrame) -> pd.DataFrame:
    """Spending per visitor from its base-year value (revenue / arrivals) at each scenario's pace."""
    plan_pace, trend = _spending_pace(plan, table, spend0, int(years[0]))
    arrival_ids = set(frame.loc[frame["series_id"] == "tourism_arrivals", "indicator_id"])
    rows = []
    for spec in specs:
        adjust = spec.adjust if spec.adjust_indicators is None or _SPENDING in spec.adjust_indicators else 0.0
        pace = spec.paces.get(_SPENDING, plan_pace if spec.base == "plan" else trend) + adjust
        per_year = np.full(len(years) - 1, pace)
        arrivals = frame[(frame["scenario"] == spec.name) & (frame["series_id"] == "tourism_arrivals")]
        arrivals = arrivals.drop_duplicates("year").set_index("year")["value"]
        for shock in spec.shocks:  # spending is a money amount: hit by default shocks or when named
            if shock.rate is None or not (shock.indicators is None or _SPENDING in shock.indicators):
                continue
            k = shock.year - years[0] - 1
            per_year[k] = shock.rate
            if shock.indicators is None and not (arrival_ids & set(shock.indicators or ())) and len(arrivals):
                # revenue = arrivals × spending: let revenue, not spending alone, take the shock
                g_arr = arrivals.loc[shock.year] / arrivals.loc[shock.year - 1] - 1
                per_year[k] = (1 + shock.rate) / (1 + g_arr) - 1
        path = spend0 * np.concatenate([[1.0], np.cumprod(1 + per_year)])
        rows.append(pd.DataFrame({"scenario": spec.name, "indicator_id": _SPENDING, "series_id": _SPENDING,
                                  "year": years, "value": path, "unit": _TOURISM.units[_SPENDING],
                                  "price_basis": "current", "derived": True}))
    return pd.concat(rows, ignore_index=True)
