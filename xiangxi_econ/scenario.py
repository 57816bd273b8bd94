r"""Named scenarios from the plan's base year (2020 for Xiangxi) to the target year and on to 2035.

A scenario gives each indicator an annual pace — a growth rate for levels and counts, a
percentage-point change for shares and rates — and optional shocks that replace the pace in a given
year. Paths are built for all indicators at once:

.. math::

    x_{i,t} = x_{i,2020} \prod_{s=2021}^{t} (1 + g_{i,s}) \quad\text{(levels)},\qquad
    x_{i,t} = x_{i,2020} + \sum_{s=2021}^{t} p_{i,s} \quad\text{(shares and rates, kept in [0, 100])}

with :math:`g_{i,s}` (or :math:`p_{i,s}`) the scenario's pace, or the shock's value in a shock year.

Built-in bases: ``"plan"`` — every target reached on time (the required pace from
:func:`~xiangxi_econ.assess`), continued at the same pace after the target year; ``"trend"`` — the
pace of the five years before the base year continued (indicators with no history are held at their
base-year value, and listed in
``ScenarioSet.held``). Scenarios carry the plan's identities: ``tourism_revenue_identity`` is
arrivals × spending per visitor beside the revenue target's own path; a default (money) shock makes
revenue take the shock through spending, arrivals being hit only when named; GDP carries its three-sector structure
(shares moving at their 2015-2020 pace, renormalised to 100, sector value added = GDP × share).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ._display import DisplayMixin, fit, num
from .assessment import assess
from .historical import historical_pace
from .observations import default_base_year, preferred_levels
from .plan import Plan
from .schema import PP_KINDS

VISION_YEAR = 2035
SECTORS = ("primary", "secondary", "tertiary")


@dataclass(frozen=True)
class Shock:
    """A year whose pace is replaced, e.g. a pandemic-style fall.

    Parameters
    ----------
    year : int
        The year hit [year].
    rate : float
        The pace in that year: a growth rate for levels [fraction; -0.10 is a 10% fall] and, for
        shares and rates, a change in percentage points [pp].
    indicators : sequence of str, optional
        Indicator ids hit; ``None`` hits every money amount (levels with a price basis). Physical
        quantities (tourist arrivals), shares and rates are hit only when named.
    """

    year: int
    rate: float
    indicators: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.indicators is not None and isinstance(self.indicators, str):
            object.__setattr__(self, "indicators", (self.indicators,))
        if self.indicators is not None:
            object.__setattr__(self, "indicators", tuple(self.indicators))


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
        ``{indicator_id: pace}`` overriding the base [fraction per year for levels and counts; pp per
        year for shares and rates].
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

    def __post_init__(self) -> None:
        if self.base not in ("trend", "plan"):
            raise ValueError(f"Scenario '{self.name}': base must be 'trend' or 'plan'; got {self.base!r}")
        if abs(self.adjust) > 1:
            raise ValueError(f"Scenario '{self.name}': adjust is a fraction per year (-0.01 for one point lower); "
                             f"got {self.adjust!r}")
        object.__setattr__(self, "shocks", tuple(self.shocks))


PLAN = Scenario("plan", base="plan", description="every target reached on time, same pace after the target year")
TREND = Scenario("trend", base="trend", description="the 2015-2020 pace continued")


def _pace_table(plan: Plan, base: int) -> pd.DataFrame:
    """Indicators a scenario can project, with their base-year value and plan/trend paces."""
    table = assess(plan, start=base - 5).table
    keep = table["kind"].isin(("level", "count", "share", "rate")) & table["base_value"].notna() \
        & (table["base_year"] == base)
    t = table[keep].copy()
    pp = t["kind"].isin(PP_KINDS)
    t["plan_pace"] = np.where(pp, t["required_pace_pp"], t["required_rate"])
    trend = np.where(pp, t["historical_pace_pp"], t["historical_rate"])
    t["trend_pace"] = np.where(np.isnan(trend.astype(float)), 0.0, trend)
    t["trend_note"] = np.where(np.isnan(trend.astype(float)), "no history: held at the base-year value", "")
    return t[["indicator_id", "series_id", "name_en", "name_zh", "kind", "unit", "price_basis", "base_value",
              "target_year", "target_value", "bound", "plan_pace", "trend_pace", "trend_note"]].reset_index(drop=True)


def _project(base: np.ndarray, pace: np.ndarray, pp: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Paths (indicators × years) from per-year paces (indicators × years after the base year)."""
    growth = np.cumprod(1 + np.where(pp[:, None], 0.0, pace), axis=1) * base[:, None]
    added = base[:, None] + np.cumsum(np.where(pp[:, None], pace, 0.0), axis=1)
    added = np.clip(added, 0.0, 100.0)
    path = np.where(pp[:, None], added, growth)
    return np.concatenate([base[:, None], path], axis=1)


def _sector_rows(plan: Plan, gdp_path: pd.DataFrame, base: int) -> pd.DataFrame:
    """Three-sector shares (trend pp pace, renormalised) and value added = GDP × share."""
    levels = preferred_levels(plan.history)
    hp = historical_pace(plan, base - 5, base).table.set_index("series_id")["computed_pace_pp"]
    shares0, paces = [], []
    for sector in SECTORS:
        sid = f"{sector}_sector_share"
        row = levels[(levels["series_id"] == sid) & (levels["year"] == base)]
        if row.empty:
            return pd.DataFrame()
        shares0.append(float(row["value"].iloc[0]))
        paces.append(float(hp.get(sid, 0.0)) if not pd.isna(hp.get(sid, np.nan)) else 0.0)
    years = np.sort(gdp_path["year"].unique())
    out = []
    for scenario, g in gdp_path.groupby("scenario", sort=False):
        g = g.set_index("year").loc[years]
        t = (years - base)[None, :]
        raw = np.clip(np.array(shares0)[:, None] + np.array(paces)[:, None] * t, 0, None)
        shares = raw / raw.sum(axis=0, keepdims=True) * 100
        for k, sector in enumerate(SECTORS):
            common = {"scenario": scenario, "year": years, "price_basis": "na"}
            out.append(pd.DataFrame({**common, "indicator_id": f"{sector}_sector_share", "series_id":
                                     f"{sector}_sector_share", "value": shares[k], "unit": "%", "derived": True}))
            out.append(pd.DataFrame({**common, "indicator_id": f"{sector}_sector_va", "series_id": f"{sector}_sector_va",
                                     "value": g["value"].to_numpy() * shares[k] / 100, "unit": g["unit"].iloc[0],
                                     "price_basis": "current", "derived": True}))
    return pd.concat(out, ignore_index=True)


def _tourism_rows(frame: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Revenue = arrivals × spending per visitor, when both components are projected."""
    arrivals = frame[frame["series_id"] == "tourism_arrivals"]
    spending = frame[frame["series_id"] == "tourism_spending_per_visitor"]
    if arrivals.empty or spending.empty:
        return pd.DataFrame()
    a = arrivals.drop_duplicates(["scenario", "year"]).set_index(["scenario", "year"])
    s = spending.drop_duplicates(["scenario", "year"]).set_index(["scenario", "year"])
    scale = plan.units.table["scale"]
    revenue = a["value"] * a["unit"].map(scale) * s["value"] * s["unit"].map(scale) / scale["亿元"]  # -> 亿元
    out = revenue.rename("value").reset_index()
    return out.assign(indicator_id="tourism_revenue_identity", series_id="tourism_revenue", unit="亿元",
                      price_basis="current", derived=True)


def _spending_baseline(plan: Plan, base: int) -> float | None:
    levels = preferred_levels(plan.history)
    a = levels[(levels["series_id"] == "tourism_arrivals") & (levels["year"] == base)]
    r = levels[(levels["series_id"] == "tourism_revenue") & (levels["year"] == base)]
    if a.empty or r.empty:
        return None
    return float(r["value_base_units"].iloc[0] / a["value_base_units"].iloc[0])


@dataclass(frozen=True, repr=False)
class ScenarioSet(DisplayMixin):
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
    """

    frame: pd.DataFrame
    scenarios: tuple[Scenario, ...]
    held: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def compare(self, year: int = 2025) -> pd.DataFrame:
        """Values in ``year``: one row per indicator, one column per scenario, plus the target."""
        rows = self.frame[self.frame["year"] == year]
        wide = rows.pivot_table(index=["indicator_id", "unit"], columns="scenario", values="value", aggfunc="first")
        wide = wide[[s.name for s in self.scenarios if s.name in wide.columns]]
        return wide.reset_index()

    def summary(self) -> str:
        names = ", ".join(f"{s.name} ({s.description or s.base})" for s in self.scenarios)
        cmp = self.compare(2025)
        lines = [f"Scenarios: {names}", f"{self.frame['indicator_id'].nunique()} indicators, years "
                 f"{self.frame['year'].min()}-{self.frame['year'].max()}", "", "Values in 2025:"]
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


def scenarios(plan: Plan, *specs: Scenario | str, end_year: int = VISION_YEAR) -> ScenarioSet:
    """Project the plan's indicators under named scenarios.

    Parameters
    ----------
    plan : Plan
    *specs : Scenario or {"plan", "trend"}
        Scenarios to build; default ``"plan"`` and ``"trend"``.
    end_year : int
        Last year of the paths [year]; default 2035, the plan's vision year.

    Returns
    -------
    ScenarioSet

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> s = xe.scenarios(xe.load_plan(), "plan", "trend", end_year=2025)
    >>> wide = s.compare(2025).set_index("indicator_id")
    >>> round(float(wide.loc["gdp", "plan"]), 2), round(float(wide.loc["gdp", "trend"]), 1)
    (1000.0, 1017.0)
    """
    base = default_base_year(plan.indicators)
    if end_year <= base:
        raise ValueError(f"end_year must be after the plan's base year {base}; got {end_year}")
    specs = specs or ("plan", "trend")
    resolved = tuple(PLAN if s == "plan" else TREND if s == "trend" else s for s in specs)
    for s in resolved:
        if not isinstance(s, Scenario):
            raise TypeError(f"scenarios: expected a Scenario or 'plan'/'trend'; got {s!r}")
    names = [s.name for s in resolved]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique; got {names}")
    table = _pace_table(plan, base)
    spend0 = _spending_baseline(plan, base)
    years = np.arange(base, end_year + 1)
    steps = years[1:]
    ids = table["indicator_id"].to_numpy()
    pp = table["kind"].isin(PP_KINDS).to_numpy()
    frames = []
    for spec in resolved:
        unknown = sorted(set(spec.paces) - set(ids) - {"tourism_spending_per_visitor"})
        if unknown:
            raise ValueError(f"Scenario '{spec.name}': no projectable indicator {', '.join(unknown)} "
                             "(needs a 2020 baseline and a level, count, share or rate kind)")
        pace = table[f"{spec.base}_pace"].to_numpy(float).copy()
        for ident, value in spec.paces.items():
            pace[ids == ident] = value
        money = (~pp) & (table["price_basis"] != "na").to_numpy()
        adjusted = money | pp if spec.adjust_indicators is None else np.isin(ids, spec.adjust_indicators)
        pace = pace + np.where(adjusted, np.where(pp, spec.adjust_pp, spec.adjust), 0.0)
        per_year = np.repeat(pace[:, None], len(steps), axis=1)
        for shock in spec.shocks:
            if not base < shock.year <= end_year:
                raise ValueError(f"Scenario '{spec.name}': shock year {shock.year} outside {base + 1}-{end_year}")
            hit = money if shock.indicators is None else np.isin(ids, shock.indicators)
            if shock.indicators is not None:
                missing = sorted(set(shock.indicators) - set(ids) - {"tourism_spending_per_visitor"})
                if missing:
                    raise ValueError(f"Scenario '{spec.name}': shock names unknown indicator(s) {', '.join(missing)}")
            per_year[hit, shock.year - base - 1] = shock.rate
        paths = _project(table["base_value"].to_numpy(float), per_year, pp, steps - base)
        long = pd.DataFrame({
            "scenario": spec.name,
            "indicator_id": np.repeat(ids, len(years)),
            "series_id": np.repeat(table["series_id"].to_numpy(), len(years)),
            "year": np.tile(years, len(ids)),
            "value": paths.ravel(),
            "unit": np.repeat(table["unit"].to_numpy(), len(years)),
            "price_basis": np.repeat(table["price_basis"].to_numpy(), len(years)),
            "derived": False,
        })
        frames.append(long)
    frame = pd.concat(frames, ignore_index=True)
    # identities: spending per visitor from its 2020 implied value, revenue = arrivals × spending
    if spend0 is not None:
        spend_rows = _spending_paths(plan, resolved, table, spend0, years, frame)
        frame = pd.concat([frame, spend_rows], ignore_index=True)
        frame = pd.concat([frame, _tourism_rows(frame, plan)], ignore_index=True)
    gdp = frame[frame["indicator_id"] == "gdp"]
    if not gdp.empty:
        frame = pd.concat([frame, _sector_rows(plan, gdp, base)], ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    frame["derived"] = frame["derived"].astype(bool)
    held = tuple(table.loc[table["trend_note"] != "", "indicator_id"])
    return ScenarioSet(frame.reset_index(drop=True), resolved, held)


def _spending_paths(plan: Plan, specs: Sequence[Scenario], table: pd.DataFrame, spend0: float,
                    years: np.ndarray, frame: pd.DataFrame) -> pd.DataFrame:
    """Spending per visitor from its implied 2020 value (revenue / arrivals) at each scenario's pace:
    plan — the pace to the spending target; trend — revenue pace over arrivals pace of 2015-2020."""
    ind = plan.indicators
    target = ind[(ind["series_id"] == "tourism_spending_per_visitor") & ind["target_value"].notna()]
    hp_rev = table.loc[table["series_id"] == "tourism_revenue", "trend_pace"]
    hp_arr = table.loc[table["series_id"] == "tourism_arrivals", "trend_pace"]
    trend = (1 + hp_rev.iloc[0]) / (1 + hp_arr.iloc[0]) - 1 if len(hp_rev) and len(hp_arr) else 0.0
    plan_pace = trend
    if not target.empty:
        t = target.iloc[0]
        plan_pace = (t["target_value"] * t["scale"] / spend0) ** (1 / (t["target_year"] - years[0])) - 1
    rows = []
    sid = "tourism_spending_per_visitor"
    for spec in specs:
        adjust = spec.adjust if spec.adjust_indicators is None or sid in spec.adjust_indicators else 0.0
        pace = spec.paces.get(sid, plan_pace if spec.base == "plan" else trend) + adjust
        per_year = np.full(len(years) - 1, pace)
        arrivals = frame[(frame["scenario"] == spec.name) & (frame["series_id"] == "tourism_arrivals")]
        arrivals = arrivals.drop_duplicates("year").set_index("year")["value"]
        for shock in spec.shocks:  # spending is a money amount: hit by default shocks or when named
            if shock.indicators is None or sid in shock.indicators:
                k = shock.year - years[0] - 1
                named_arrivals = shock.indicators is not None and any(
                    i in shock.indicators for i in frame.loc[frame["series_id"] == "tourism_arrivals", "indicator_id"])
                if shock.indicators is None and not named_arrivals and len(arrivals):
                    # revenue = arrivals × spending: let revenue, not spending alone, take the shock
                    g_arr = arrivals.loc[shock.year] / arrivals.loc[shock.year - 1] - 1
                    per_year[k] = (1 + shock.rate) / (1 + g_arr) - 1
                else:
                    per_year[k] = shock.rate
        path = spend0 * np.concatenate([[1.0], np.cumprod(1 + per_year)])
        rows.append(pd.DataFrame({"scenario": spec.name, "indicator_id": sid, "series_id": sid, "year": years,
                                  "value": path, "unit": "元", "price_basis": "current", "derived": True}))
    return pd.concat(rows, ignore_index=True)
