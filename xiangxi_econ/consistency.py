r"""Where a plan's own targets contradict each other.

A plan's numbers are tied by identities; :func:`check_consistency` works through them and reports
every pair or group of stated values that cannot all hold (or hold only under an assumption the
plan does not state), with the arithmetic shown: the stated values, what the identity implies, the
difference and a plain-language explanation.

Checks (each skips silently when the plan lacks the series it needs):

``duplicate_target``
    The same quantity given two different targets for the same year.
``baseline_conflict``
    The same quantity printed with incompatible values for the same year, after allowing for
    rounding to the printed precision and for qualifiers (以上, 以下, 超过, 多, 左右).
``rate_vs_levels``
    A printed average growth rate or cumulative change that does not carry the printed baseline to
    the printed target. When the rate is real and the levels are current prices (GDP) the gap is an
    implied price change, compared with the one of 2015-2020.
``tourism_identity``
    revenue = arrivals × spending per visitor.
``rd_intensity_identity``
    R&D intensity = R&D spending / GDP, against the R&D growth target and the GDP path.
``productivity_identity``
    GDP = labour productivity × employment.
``manufacturing_within_secondary``
    manufacturing value added is part of the secondary sector.
``trade_dependence_identity``
    trade dependence = trade [USD] × exchange rate / GDP, against the trade growth target.
``share_of_gdp_baseline``
    a printed share of GDP against the printed level of its numerator (local fiscal revenue,
    digital economy).
``reported_rate_vs_levels``
    a reported 2015-2020 average growth rate against the rate of the printed 2015 and 2020 levels
    (same price basis).
``cumulative_vs_levels``
    a printed 2016-2020 total against the sum of annual flows between the printed levels.

Kinds of finding: ``incompatible`` (cannot all hold), ``inconsistent`` (hold only under an
unstated assumption, e.g. falling prices), ``implausible`` (hold only with a break in trend far
beyond the historical record), ``duplicate_conflict`` and ``baseline_conflict``.

References
----------
Identities as in :mod:`xiangxi_econ.identities`; the exchange rate default is the 2020 annual
average, 6.8976 CNY per USD (National Bureau of Statistics of China, *Statistical Communiqué on
the 2020 National Economic and Social Development*, 2021-02-28).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import rules as _rules
from ._display import ResultBase
from .growth import required_rate
from .historical import HistoricalPace, historical_pace, price_trend
from .identities import IDENTITIES, numerator_rate_for_ratio, ratio_after, ratio_rate
from .models.ratios import CNY_PER_USD_2020
from .plan import Plan
from .prices import implied_deflator_rate

#: 2020 average exchange rate [CNY per USD], NBS 2020 statistical communiqué (defined with the models).
DEFAULT_EXCHANGE_RATE = CNY_PER_USD_2020

#: Series whose printed growth rates are at comparable prices (real), per NBS practice.
REAL_RATE_SERIES = ("gdp", "industrial_va_above_scale", "labour_productivity")

KINDS = ("incompatible", "inconsistent", "implausible", "duplicate_conflict", "baseline_conflict")
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Finding:
    """One contradiction, with its arithmetic.

    Attributes
    ----------
    check : str
        Name of the check that found it.
    kind : str
        ``incompatible``, ``inconsistent``, ``implausible``, ``duplicate_conflict`` or
        ``baseline_conflict``.
    severity : str
        ``high``, ``medium`` or ``low``.
    indicators : tuple of str
        The indicator ids (or series ids) involved.
    stated : str
        The stated values with their sources.
    implied : str
        What the identity implies.
    stated_value, implied_value, difference : float
        The headline number compared, in ``unit``; ``difference = stated - implied``.
    unit : str
    explanation : str
        Plain-language reading.
    """

    check: str
    kind: str
    severity: str
    indicators: tuple[str, ...]
    stated: str
    implied: str
    stated_value: float
    implied_value: float
    unit: str
    explanation: str
    difference: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "difference", self.stated_value - self.implied_value)


@dataclass(frozen=True, repr=False)
class ConsistencyReport(ResultBase):
    """Result of :func:`check_consistency`: a list of :class:`Finding`."""

    findings: tuple[Finding, ...]
    assumptions: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.findings)

    def _frame(self) -> pd.DataFrame:
        """One row per finding (columns as :class:`Finding`; ``indicators`` joined by commas)."""
        cols = ["check", "kind", "severity", "indicators", "stated", "implied", "stated_value", "implied_value",
                "difference", "unit", "explanation"]
        rows = [{**f.__dict__, "indicators": ", ".join(f.indicators)} for f in self.findings]
        return pd.DataFrame(rows, columns=cols)

    def _plot(self, ax=None, lang: str | None = None):
        """Implied against stated value of each finding (:func:`~xiangxi_econ.plotting.plot_findings`)."""
        from .plotting import plot_findings

        return plot_findings(self.to_frame(), ax=ax, lang=self._lang(lang))

    def _summary(self, lang: str = "en") -> str:
        assumptions = ", ".join(f"{k} = {v}" for k, v in self.assumptions.items())
        lines = [f"Consistency report: {len(self.findings)} contradictions between the plan's own numbers",
                 f"Assumptions: {assumptions}" if assumptions else "Assumptions: none", ""]
        for i, f in enumerate(self.findings, 1):
            lines.append(f"{i}. [{f.severity}] {f.kind} ({f.check}): {', '.join(f.indicators)}")
            lines.append(f"   stated:  {f.stated}")
            lines.append(f"   implied: {f.implied}")
            lines.append(f"   {f.explanation}")
        if not self.findings:
            lines.append("No contradictions found.")
        return "\n".join(lines)


# ---------------------------------------------------------------------------- helpers

def _fmt(v: float, digits: int = 2) -> str:
    return f"{v:,.{digits}f}".rstrip("0").rstrip(".") if np.isfinite(v) else "n/a"


def _targets(plan: Plan, series: str, year: int | None = None) -> pd.DataFrame:
    """Numeric targets of ``series`` for ``year`` (default: the plan's usual target year)."""
    ind = plan.indicators
    year = plan.periods.target_year if year is None else year
    rows = ind[(ind["series_id"] == series) & (ind["target_year"] == year) & ind["target_value"].notna()
               & (ind["origin"] != "table_13th") & (ind["kind"] != "qualitative")]
    order = rows["origin"].map({"table_14th": 0, "text": 1})
    return rows.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o")


def _target(plan: Plan, series: str, year: int | None = None, kind: str | None = None):
    rows = _targets(plan, series, year)
    if kind is not None:
        rows = rows[rows["kind"] == kind]
    return None if rows.empty else rows.iloc[0]


def _level(levels: pd.DataFrame, series: str, year: int, base_unit: str | None = None):
    rows = levels[(levels["series_id"] == series) & (levels["year"] == year)]
    if base_unit is not None:
        rows = rows[rows["base_unit"] == base_unit]
    return None if rows.empty else rows.iloc[0]


def _in_base(row) -> float:
    """Target value of an indicator row in base units."""
    return float(row["target_value"]) * float(row["scale"])


def _src(row) -> str:
    return str(row["source"])


_QUALIFIER_AFTER = re.compile(r"^[^\d]{0,3}?(以上|以下|以内|左右|多)")


def _interval(value: float, text: str, quote: str) -> tuple[float, float]:
    """Interval a printed value stands for: rounding to the printed precision, widened by a
    qualifier printed next to the number (以上 / 超过 / 多: at least; 以下 / 以内: at most)."""
    printed = f"{value:g}"
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    half = 0.5 * 10 ** (-decimals)
    lo, hi = value - half, value + half
    context = text or quote
    pos = context.find(printed)
    if pos >= 0:
        after = context[pos + len(printed): pos + len(printed) + 6]
        before = context[max(0, pos - 3): pos]
        m = _QUALIFIER_AFTER.match(after)
        word = m.group(1) if m else ""
        if word in ("以上", "多") or "超过" in before:
            hi = np.inf
        elif word in ("以下", "以内"):
            lo = -np.inf
        elif word == "左右":
            lo, hi = value * 0.95, value * 1.05
    return lo, hi


# ---------------------------------------------------------------------------- checks

def _duplicate_targets(plan: Plan, ctx: dict) -> list[Finding]:
    ind = plan.indicators
    rows = ind[ind["target_value"].notna() & (ind["origin"] != "table_13th") & (ind["kind"] != "qualitative")]
    out = []
    for (series, year), group in rows.groupby(["series_id", "target_year"], sort=True):
        if len(group) < 2:
            continue
        base_units = group["base_unit"].unique()
        if len(base_units) > 1:
            continue
        values = group["target_value"] * group["scale"]
        if np.allclose(values, values.iloc[0], rtol=1e-9, atol=0):
            continue
        hi_row, lo_row = group.loc[values.idxmax()], group.loc[values.idxmin()]
        bounds = set(group["bound"])
        compatible = bounds <= {"at_most"} or bounds <= {"at_least"}
        severity = "medium" if compatible else "high"
        reading = (f"both are {'ceilings' if bounds <= {'at_most'} else 'floors'}, so the stricter one governs and "
                   "the other is redundant" if compatible else
                   "they cannot both be the plan's target; the document never says which one stands")
        out.append(Finding(
            "duplicate_target", "duplicate_conflict", severity, tuple(group["indicator_id"]),
            "; ".join(f"{_fmt(r.target_value)}{r.unit} ({r.bound}, {r.source})" for r in group.itertuples()),
            f"one target for {series} in {int(year)}", float(hi_row["target_value"]), float(lo_row["target_value"]),
            str(hi_row["unit"]),
            f"The plan states two different {int(year)} targets for the same quantity: {reading}."))
    return out


def _baseline_conflicts(plan: Plan, ctx: dict) -> list[Finding]:
    hist = plan.history[plan.history["measure"] == "level"]
    out = []
    for (series, year, _), group in hist.groupby(["series_id", "year", "base_unit"], sort=True):
        if len(group) < 2:
            continue
        scale = group["value_base_units"] / group["value"]
        intervals = [_interval(v, t, q)
                     for v, t, q in zip(group["value"], group["value_text"], group["quote"], strict=True)]
        lo = max(a * s for (a, _), s in zip(intervals, scale, strict=True))
        hi = min(b * s for (_, b), s in zip(intervals, scale, strict=True))
        if lo <= hi * (1 + 1e-12):
            continue
        unit = group["unit"].iloc[0]
        stated = "; ".join(f"{(r.value_text or _fmt(r.value, 4))} ({r.source})" for r in group.itertuples())
        vmax, vmin = group["value_base_units"].max(), group["value_base_units"].min()
        s0 = float(scale.iloc[0])
        out.append(Finding(
            "baseline_conflict", "baseline_conflict", "medium", (str(series),),
            stated, f"one {int(year)} value", vmax / s0, vmin / s0, unit,
            f"The plan prints {series} for {int(year)} with values that cannot all be true at once, even allowing "
            "for rounding and for qualifiers such as 以上; targets measured from one of them inherit the doubt."))
    return out


def _rate_vs_levels(plan: Plan, ctx: dict) -> list[Finding]:
    ind = plan.indicators
    rows = ind[ind["base_value"].notna() & ind["target_value"].notna() & ind["stated_change_value"].notna()
               & ind["kind"].isin(["level", "count", "share", "rate"])]
    out = []
    hist_deflator = ctx["historical_deflator"]
    for r in rows.itertuples():
        years = float(r.target_year - r.base_year)
        if r.stated_change_type == "annual_growth_pct" and r.base_value > 0 and r.target_value > 0:
            implied = float(required_rate(r.base_value, r.target_value, years)) * 100
            stated = float(r.stated_change_value)
            at_stated = r.base_value * (1 + stated / 100) ** years
            lo, hi = _interval(r.target_value, "", f"{r.target_value:g}")
            if lo <= at_stated <= hi or abs(implied - stated) < 0.05:
                continue
            real = r.series_id in REAL_RATE_SERIES and r.price_basis == "current"
            previous = r.origin == "table_13th"
            if real:
                deflator = implied_deflator_rate(implied / 100, stated / 100)
                hist = hist_deflator
                text = (f"The {stated:g}% rate is real (comparable prices) and the levels are current prices, so the "
                        f"pair implies prices {'falling' if deflator < 0 else 'rising'} {abs(deflator):.2%} a year")
                if hist is not None and not np.isnan(hist):
                    at_hist = r.base_value * ((1 + stated / 100) * (1 + hist)) ** years
                    text += (f"; in {ctx['start']}-{ctx['base']} they {price_trend(hist, 2, about=False)}, "
                             f"at which {stated:g}% "
                             "real growth gives "
                             f"{_fmt(at_hist)}{r.unit} in {r.target_year}, not {_fmt(r.target_value)}")
                kind = "inconsistent"
                severity = "low" if previous else ("high" if r.series_id == "gdp" else "medium")
                implied_txt = (f"{implied:.2f}% a year nominal from the levels; implied price change "
                               f"{deflator:+.2%} a year")
            else:
                text = (f"At the printed {stated:g}% a year, {_fmt(r.base_value)} becomes {_fmt(at_stated)}{r.unit} "
                        f"by {r.target_year}, not the printed {_fmt(r.target_value)}")
                kind = "inconsistent"
                severity = "low"
                implied_txt = f"{implied:.2f}% a year from the printed levels"
            out.append(Finding("rate_vs_levels", kind, severity, (r.indicator_id,),
                               f"{_fmt(r.base_value)} -> {_fmt(r.target_value)}{r.unit}, {r.stated_change} "
                               f"({r.source})",
                               implied_txt, stated, implied, "% a year", text + "."))
        elif r.stated_change_type in ("cumulative_pp", "cumulative_level"):
            implied = float(r.target_value - r.base_value)
            stated = float(r.stated_change_value)
            if abs(implied - stated) <= 1e-6 + 0.5 * 10 ** -_decimals(stated):
                continue
            out.append(Finding("rate_vs_levels", "inconsistent", "low", (r.indicator_id,),
                               f"{_fmt(r.base_value)} -> {_fmt(r.target_value)}{r.unit}, {r.stated_change} "
                               f"({r.source})",
                               f"a change of {_fmt(implied, 4)}", stated, implied, r.unit,
                               "The printed cumulative change does not match the printed baseline and target."))
    return out


def _decimals(v: float) -> int:
    s = f"{v:g}"
    return len(s.split(".")[1]) if "." in s else 0


def _tourism(plan: Plan, ctx: dict) -> list[Finding]:
    arrivals, spending, revenue = (_target(plan, s) for s in
                                   ("tourism_arrivals", "tourism_spending_per_visitor", "tourism_revenue"))
    if arrivals is None or spending is None or revenue is None:
        return []
    identity = IDENTITIES["tourism_revenue"]
    scale = float(revenue["scale"])
    implied = identity.evaluate(
        {"tourism_arrivals": arrivals["target_value"], "tourism_spending_per_visitor": spending["target_value"]},
        plan.units,
        value_units={"tourism_arrivals": arrivals["unit"], "tourism_spending_per_visitor": spending["unit"]},
        result_unit=revenue["unit"]) * scale  # in base units (CNY)
    stated = _in_base(revenue)
    if abs(implied - stated) <= 1e-9 * stated:
        return []
    levels = ctx["levels"]
    a0, r0 = _level(levels, "tourism_arrivals", ctx["base"]), _level(levels, "tourism_revenue", ctx["base"])
    extra = ""
    if a0 is not None and r0 is not None:
        spend0 = identity.solve("tourism_spending_per_visitor", {"tourism_revenue": r0["value"],
                                "tourism_arrivals": a0["value"]}, plan.units,
                                value_units={"tourism_revenue": r0["unit"], "tourism_arrivals": a0["unit"]})
        spend_implied = identity.solve("tourism_spending_per_visitor", {
            "tourism_revenue": revenue["target_value"], "tourism_arrivals": arrivals["target_value"]}, plan.units,
            value_units={"tourism_revenue": revenue["unit"], "tourism_arrivals": arrivals["unit"]})
        extra = (f" Put the other way, the revenue and arrival targets imply spending of {spend_implied:,.0f}元 per "
                 f"visitor, against {spend0:,.0f}元 in {ctx['base']} ({_fmt(r0['value'])}{r0['unit']} / "
                 f"{_fmt(a0['value'])}{a0['unit']}) and the {_fmt(spending['target_value'])}元 target.")
    both_floors = {arrivals["bound"], spending["bound"]} <= {"at_least"} and revenue["bound"] == "at_least"
    reading = ("All three are floors, so they can all be exceeded, but they cannot all be the plan's central "
               "expectation: meeting the arrival and spending targets gives revenue of at least "
               f"{implied / scale:,.0f}{revenue['unit']}, {implied / stated - 1:.0%} above the revenue target."
               if both_floors else
               f"Arrivals × spending gives {implied / scale:,.0f}{revenue['unit']}, "
               f"not {_fmt(revenue['target_value'])}.")
    return [Finding(
        "tourism_identity", "incompatible", "high",
        (arrivals["indicator_id"], spending["indicator_id"], revenue["indicator_id"]),
        f"arrivals {_fmt(arrivals['target_value'])}{arrivals['unit']} ({_src(arrivals)}); spending "
        f"{_fmt(spending['target_value'])}{spending['unit']} per visitor ({_src(spending)}); revenue "
        f"{_fmt(revenue['target_value'])}{revenue['unit']} ({_src(revenue)})",
        f"revenue = arrivals × spending = {implied / scale:,.0f}{revenue['unit']}",
        stated / scale, implied / scale, str(revenue["unit"]), reading + extra)]


def _gdp_path(plan: Plan, ctx: dict):
    """(GDP target row, nominal rate from its base to its target level, years), or None."""
    gdp = _target(plan, "gdp", kind="level")
    if gdp is None or pd.isna(gdp["base_value"]):
        return None
    years = float(gdp["target_year"] - gdp["base_year"])
    return gdp, float(required_rate(gdp["base_value"], gdp["target_value"], years)), years


def _rd_intensity(plan: Plan, ctx: dict) -> list[Finding]:
    intensity = _target(plan, "rd_intensity")
    growth = _target(plan, "rd_expenditure", kind="growth")
    path = _gdp_path(plan, ctx)
    base = _level(ctx["levels"], "rd_intensity", ctx["base"])
    if intensity is None or growth is None or path is None or base is None:
        return []
    gdp, gdp_rate, years = path
    rd_rate = float(growth["target_value"]) / 100
    s0 = float(base["value"])
    implied = ratio_after(s0, years, rd_rate, gdp_rate)
    target = float(intensity["target_value"])
    if _rules.meets(implied, target, intensity["bound"], intensity["direction"]):
        return []
    needed = numerator_rate_for_ratio(s0, target, years, gdp_rate)
    return [Finding(
        "rd_intensity_identity", "incompatible", "high",
        (intensity["indicator_id"], growth["indicator_id"], gdp["indicator_id"]),
        f"R&D intensity {_fmt(target)}% by {int(intensity['target_year'])} ({_src(intensity)}); R&D spending "
        f"+{rd_rate:.0%} a year ({_src(growth)}); GDP {_fmt(gdp['base_value'])} -> {_fmt(gdp['target_value'])}"
        f"{gdp['unit']} ({_src(gdp)}); {ctx['base']} intensity {_fmt(s0)}% ({base['source']})",
        f"intensity = {_fmt(s0)}% × (1.{rd_rate * 100:02.0f} / {1 + gdp_rate:.4f})^{years:g} = {implied:.2f}%",
        target, implied, "% of GDP",
        f"R&D spending growing {rd_rate:.0%} a year while nominal GDP grows {gdp_rate:.2%} (the path to "
        f"{_fmt(gdp['target_value'])}{gdp['unit']}) lifts R&D intensity only to {implied:.2f}%; reaching "
        f"{_fmt(target)}% needs R&D spending to grow {needed:.1%} a year.")]


def _productivity(plan: Plan, ctx: dict) -> list[Finding]:
    prod = _target(plan, "labour_productivity", kind="level")
    path = _gdp_path(plan, ctx)
    if prod is None or path is None or pd.isna(prod["base_value"]):
        return []
    gdp, gdp_rate, years = path
    emp0 = gdp["base_value"] * gdp["scale"] / (prod["base_value"] * prod["scale"])
    emp1 = gdp["target_value"] * gdp["scale"] / (prod["target_value"] * prod["scale"])
    emp_rate = float(_rules.pace(["level"], [emp0], [emp1], [years])[0][0])
    stated_prod, stated_gdp = prod["stated_change_value"], gdp["stated_change_value"]
    if pd.isna(stated_prod) or pd.isna(stated_gdp):
        return []
    rates_emp = ratio_rate(stated_gdp / 100, stated_prod / 100)
    if abs(emp_rate - rates_emp) < 0.001:
        return []
    return [Finding(
        "productivity_identity", "inconsistent", "medium", (prod["indicator_id"], gdp["indicator_id"]),
        f"labour productivity {_fmt(prod['base_value'])} -> {_fmt(prod['target_value'])}{prod['unit']} at "
        f"{prod['stated_change']} ({_src(prod)}); GDP {_fmt(gdp['base_value'])} -> {_fmt(gdp['target_value'])}"
        f"{gdp['unit']} at {gdp['stated_change']} ({_src(gdp)})",
        f"employment = GDP / productivity: {emp0 / 1e4:,.1f}万人 in {int(gdp['base_year'])}, {emp1 / 1e4:,.1f}万人 "
        f"in {int(gdp['target_year'])} ({emp_rate:+.2%} a year)",
        rates_emp * 100, emp_rate * 100, "% a year (employment)",
        f"The two printed rates ({_fmt(stated_gdp)}% and {_fmt(stated_prod)}%) imply employment growing "
        f"{rates_emp:+.2%} a year, but the two level targets imply {emp_rate:+.2%} a year: the productivity level "
        f"was carried forward at its rate, the GDP level was not (see the GDP price-basis finding).")]


def _manufacturing(plan: Plan, ctx: dict) -> list[Finding]:
    levels = ctx["levels"]
    b, a = ctx["base"], ctx["start"]
    sec0, sec_start = _level(levels, "secondary_sector_share", b), _level(levels, "secondary_sector_share", a)
    man0 = _level(levels, "manufacturing_va_share", b)
    targets = _targets(plan, "manufacturing_va_share")
    if sec0 is None or man0 is None or targets.empty:
        return []
    out = []
    other = float(sec0["value"] - man0["value"])
    trend = np.nan if sec_start is None else (sec0["value"] - sec_start["value"]) / 5
    for r in targets.itertuples():
        implied_secondary = r.target_value + other
        rise = implied_secondary - sec0["value"]
        years = float(r.target_year - b)
        if rise <= 0:
            continue
        severity = "high" if r.target_value > sec0["value"] else "medium"
        trend_txt = "" if np.isnan(trend) else f" after moving {trend:+.2f} pp a year in {a}-{b}"
        out.append(Finding(
            "manufacturing_within_secondary", "implausible", severity, (r.indicator_id, "secondary_sector_share"),
            f"manufacturing share {_fmt(r.target_value)}% by {r.target_year} ({r.source}); {b}: manufacturing "
            f"{_fmt(man0['value'])}% ({man0['source']}), secondary sector {_fmt(sec0['value'])}% ({sec0['source']})",
            f"secondary share {_fmt(implied_secondary)}% if the rest of industry and construction keeps its "
            f"{_fmt(other)}% of GDP", float(sec0["value"]), implied_secondary, "% of GDP",
            f"Manufacturing is part of the secondary sector. A {_fmt(r.target_value)}% manufacturing share needs the "
            f"secondary sector to gain {rise:.1f} pp in {years:g} years ({rise / years:+.2f} pp a year){trend_txt}"
            + (f"; it exceeds the whole secondary sector's {b} share of {_fmt(sec0['value'])}%."
               if r.target_value > sec0["value"] else ".")))
    return out


def _trade(plan: Plan, ctx: dict) -> list[Finding]:
    dependence = _target(plan, "trade_dependence")
    growth = _target(plan, "trade_total_usd", kind="growth")
    path = _gdp_path(plan, ctx)
    trade0 = _level(ctx["levels"], "trade_total_usd", ctx["base"])
    fx = ctx["exchange_rate"]
    if dependence is None or path is None or trade0 is None:
        return []
    gdp, gdp_rate, years = path
    out = []
    share0 = trade0["value_base_units"] * fx / (gdp["base_value"] * gdp["scale"]) * 100
    if not pd.isna(dependence["base_value"]) and abs(share0 - dependence["base_value"]) > 0.05:
        out.append(Finding(
            "trade_dependence_identity", "baseline_conflict", "low", (dependence["indicator_id"], "trade_total_usd"),
            f"trade dependence {_fmt(dependence['base_value'])}% in {ctx['base']} ({_src(dependence)}); trade "
            f"{_fmt(trade0['value'])}{trade0['unit']} ({trade0['source']}); GDP {_fmt(gdp['base_value'])}{gdp['unit']}",
            f"{_fmt(trade0['value'])}{trade0['unit']} × {fx} / {_fmt(gdp['base_value'])}{gdp['unit']} = {share0:.2f}%",
            float(dependence["base_value"]), share0, "% of GDP",
            f"At the exchange rate of {fx} CNY per USD the printed trade and GDP give a dependence of "
            f"{share0:.2f}%, not {_fmt(dependence['base_value'])}% (a different exchange rate or definition may be "
            "behind it)."))
    if growth is not None:
        g = float(growth["target_value"]) / 100
        implied = trade0["value_base_units"] * (1 + g) ** years * fx / (gdp["target_value"] * gdp["scale"]) * 100
        target = float(dependence["target_value"])
        floor = growth["bound"] == "at_least"
        if (implied > target + 0.005) if floor else abs(implied - target) > 0.005:
            out.append(Finding(
                "trade_dependence_identity", "incompatible", "medium",
                (dependence["indicator_id"], growth["indicator_id"], gdp["indicator_id"]),
                f"trade dependence {_fmt(target)}% by {int(dependence['target_year'])} ({_src(dependence)}); trade "
                f"growth {growth['stated_change'] or _fmt(growth['target_value']) + '%'} ({_src(growth)}); GDP "
                f"{_fmt(gdp['target_value'])}{gdp['unit']} ({_src(gdp)})",
                f"{_fmt(trade0['value'])}{trade0['unit']} × {1 + g:g}^{years:g} × {fx} / {_fmt(gdp['target_value'])}"
                f"{gdp['unit']} = {implied:.2f}%", target, implied, "% of GDP",
                f"Trade growing at least {g:.0%} a year reaches "
                f"{trade0['value'] * (1 + g) ** years:.2f}{trade0['unit']} by "
                f"{int(dependence['target_year'])}, which against GDP of {_fmt(gdp['target_value'])}{gdp['unit']} is a "
                f"dependence of at least {implied:.2f}% at a constant exchange rate — above the {_fmt(target)}% target "
                "(an exchange rate below about "
                f"{fx * target / implied:.2f} CNY per USD would reconcile them)."))
    return out


def _share_baselines(plan: Plan, ctx: dict) -> list[Finding]:
    pairs = (("local_fiscal_revenue_gdp_share", "local_fiscal_revenue",
              "local fiscal revenue (地方财政收入) and local general public budget revenue (地方一般公共预算收入) "
              "may be defined differently"),
             ("digital_economy_core_share", "digital_economy_scale",
              "the 'scale' of the digital economy may be a different measure from core-industry value added"))
    levels = ctx["levels"]
    path = _gdp_path(plan, ctx)
    if path is None:
        return []
    gdp = path[0]
    out = []
    for share_series, level_series, caveat in pairs:
        share = _target(plan, share_series)
        level = _level(levels, level_series, int(gdp["base_year"]), "CNY")
        if share is None or level is None or pd.isna(share["base_value"]):
            continue
        implied = level["value_base_units"] / (gdp["base_value"] * gdp["scale"]) * 100
        stated = float(share["base_value"])
        if abs(implied - stated) <= max(0.05, 0.02 * stated):
            continue
        out.append(Finding(
            "share_of_gdp_baseline", "baseline_conflict", "medium", (share["indicator_id"], level["series_id"]),
            f"{share['name_en']} {_fmt(stated)}% in {int(share['base_year'])} ({_src(share)}); "
            f"{level_series} {_fmt(level['value'])}{level['unit']} ({level['source']}); GDP "
            f"{_fmt(gdp['base_value'])}{gdp['unit']}",
            f"{_fmt(level['value'])} / {_fmt(gdp['base_value'])} = {implied:.2f}% of GDP", stated, implied, "% of GDP",
            f"The printed level gives {implied:.2f}% of GDP, the printed share {_fmt(stated)}%; {caveat}, but the plan "
            "does not say so."))
    return out


def _reported_history(plan: Plan, ctx: dict) -> list[Finding]:
    """Reported rates of the five years to the base year that the plan's own levels contradict (same
    price basis)."""
    hp = ctx["historical_pace"]
    rows = hp[hp["flag"] & ~((hp["reported_basis"] == "comparable") & (hp["levels_basis"] == "current"))
              & hp["reported_change"].isna()]
    out = []
    for r in rows.itertuples():
        if r.moves_in_pp:
            continue
        out.append(Finding(
            "reported_rate_vs_levels", "inconsistent", "low", (r.series_id,),
            f"{_fmt(r.start_value)} ({ctx['start']}, {r.start_source}) -> {_fmt(r.end_value)}{r.unit} "
            f"({ctx['base']}, {r.end_source}); "
            f"reported {r.reported_rate:.1%} a year ({r.reported_source})",
            f"{r.computed_rate:.2%} a year from the printed levels", r.reported_rate * 100, r.computed_rate * 100,
            "% a year",
            f"The plan reports {r.reported_rate:.1%} a year for {ctx['start']}-{ctx['base']} but its own levels grow "
            f"{r.computed_rate:.2%} a "
            "year on the same price basis; the required-versus-historical comparison uses the levels, and the reported "
            "rate is shown beside it."))
    return out


def _cumulative_vs_levels(plan: Plan, ctx: dict) -> list[Finding]:
    """A printed five-year total to the base year against the sum of annual flows implied by the levels
    at both ends."""
    hist = plan.history
    a0, b = ctx["start"], ctx["base"]
    totals = hist[(hist["measure"] == "cumulative_total") & (hist["start_year"] == a0 + 1) & (hist["year"] == b)]
    levels = ctx["levels"]
    out = []
    for r in totals.itertuples():
        lo = _level(levels, r.series_id, a0, r.base_unit)
        hi = _level(levels, r.series_id, b, r.base_unit)
        if lo is None or hi is None or lo["value_base_units"] <= 0 or hi["value_base_units"] <= 0:
            continue
        n = b - a0
        g = float(_rules.pace(["level"], [lo["value_base_units"]], [hi["value_base_units"]], [n])[0][0])
        implied = lo["value_base_units"] * sum((1 + g) ** t for t in range(1, n + 1)) / (r.value_base_units / r.value)
        if abs(implied / r.value - 1) <= 0.03:
            continue
        out.append(Finding(
            "cumulative_vs_levels", "inconsistent", "low", (r.series_id,),
            f"{a0 + 1}-{b} total {_fmt(r.value)}{r.unit} ({r.source}); levels {_fmt(lo['value'])} ({a0}, "
            f"{lo['source']}) and {_fmt(hi['value'])}{hi['unit']} ({b}, {hi['source']})",
            f"sum of annual flows growing {g:.2%} a year between the two levels = {_fmt(implied)}{r.unit}",
            float(r.value), implied, str(r.unit),
            f"A steady path between the printed {a0} and {b} levels adds up to {_fmt(implied)}{r.unit} over "
            f"{a0 + 1}-{b}, {r.value / implied - 1:+.0%} off the printed total; the levels, the total or both rest on "
            "different definitions."))
    return out


CHECKS = (
    _duplicate_targets, _baseline_conflicts, _rate_vs_levels, _tourism, _rd_intensity, _productivity,
    _manufacturing, _trade, _share_baselines, _reported_history, _cumulative_vs_levels,
)


def check_consistency(plan: Plan, exchange_rate: float = DEFAULT_EXCHANGE_RATE,
                      historical: HistoricalPace | None = None) -> ConsistencyReport:
    """Find where the plan's own numbers contradict each other.

    Parameters
    ----------
    plan : Plan
    exchange_rate : float
        CNY per USD used to put USD amounts (trade) beside GDP [CNY/USD]; default 6.8976, the 2020
        annual average (NBS 2020 statistical communiqué).
    historical : HistoricalPace, optional
        The plan's :func:`~xiangxi_econ.historical_pace` over its history window, if already computed.

    Returns
    -------
    ConsistencyReport
        Findings sorted by severity; ``to_frame()``, ``summary()`` and a notebook display.

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> report = xe.check_consistency(xe.load_plan())
    >>> frame = report.to_frame()
    >>> float(frame.loc[frame["check"] == "tourism_identity", "implied_value"].iloc[0])
    1440.0
    """
    if not (np.isfinite(exchange_rate) and exchange_rate > 0):
        raise ValueError(f"exchange_rate must be a positive number of CNY per USD; got {exchange_rate!r}")
    base, start = plan.periods.base_year, plan.periods.history_start_year
    hp = (historical if historical is not None else historical_pace(plan)).table.set_index("series_id")
    deflator: float = np.nan
    if "gdp" in hp.index and hp.loc["gdp", "reported_basis"] == "comparable":
        deflator = float(implied_deflator_rate(hp.loc["gdp", "computed_rate"], hp.loc["gdp", "reported_rate"]))
    ctx = {"levels": plan.levels, "exchange_rate": exchange_rate, "base": base, "start": start,
           "historical_deflator": deflator, "historical_pace": hp.reset_index()}
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(plan, ctx))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], KINDS.index(f.kind)))
    return ConsistencyReport(tuple(findings), {"exchange_rate (CNY per USD)": exchange_rate})
