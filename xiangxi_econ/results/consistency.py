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
Identities as in :mod:`xiangxi_econ.maths.identities`; the exchange rate default is the 2020 annual
average, 6.8976 CNY per USD (National Bureau of Statistics of China, *Statistical Communiqué on
the 2020 National Economic and Social Development*, 2021-02-28).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._display import ResultBase, charts
from ..data.plan import Plan
from ..i18n import display_name, label, series_name, summary_text
from ..maths.growth import cumulative_total, project, required_rate
from ..maths.identities import IDENTITIES, numerator_rate_for_ratio, ratio_after, ratio_rate
from ..maths.prices import implied_deflator_rate, nominal_rate
from ..rules import meaning as _rules
from ..rules.historical import HistoricalPace, historical_pace, price_trend, series_info
from ..schema import ORIGIN_ROLES, row_roles
from .models.ratios import CNY_PER_USD_2020

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
    stated_zh, implied_zh, explanation_zh : str
        ``stated``, ``implied`` and ``explanation`` in Chinese ('' where a caller gave none).
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
    stated_zh: str = ""
    implied_zh: str = ""
    explanation_zh: str = ""

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
                "difference", "unit", "explanation", "stated_zh", "implied_zh", "explanation_zh"]
        rows = [{**f.__dict__, "indicators": ", ".join(f.indicators)} for f in self.findings]
        return pd.DataFrame(rows, columns=cols)

    def _plot(self, ax=None, lang: str | None = None):
        """Implied against stated value of each finding (:func:`~xiangxi_econ.face.plotting.plot_findings`)."""
        plot_findings = charts().plot_findings

        return plot_findings(self.to_frame(), ax=ax, lang=self._lang(lang))

    def _summary(self, lang: str = "en") -> str:
        zh = lang == "zh"
        names = {summary_text("cons_exchange_rate", "en"): summary_text("cons_exchange_rate", lang)}
        assumptions = summary_text("comma_sep", lang).join(f"{names.get(k, k) if zh else k} = {v}"
                                                           for k, v in self.assumptions.items())
        lines = [summary_text("cons_head", lang, n=len(self.findings)),
                 summary_text("cons_assumptions", lang, assumptions=assumptions) if assumptions else
                 summary_text("cons_no_assumptions", lang), ""]
        for i, f in enumerate(self.findings, 1):
            lines.append(summary_text("cons_finding", lang, i=i, check=f.check,
                                      severity=label(f.severity, lang) if zh else f.severity,
                                      kind=label(f.kind, lang) if zh else f.kind,
                                      indicators=summary_text("enum_sep", lang).join(f.indicators)))
            lines.append(summary_text("cons_stated", lang, stated=f.stated_zh or f.stated if zh else f.stated))
            lines.append(summary_text("cons_implied", lang, implied=f.implied_zh or f.implied if zh else f.implied))
            lines.append(f"   {f.explanation_zh or f.explanation if zh else f.explanation}")
        if not self.findings:
            lines.append(summary_text("cons_none", lang))
        return "\n".join(lines)


# ---------------------------------------------------------------------------- helpers

def _both(key: str, **fields: object) -> tuple[str, str]:
    """The words of ``key`` in English and Chinese (:data:`xiangxi_econ.i18n.SUMMARY_TEXT`), fields filled."""
    return summary_text(key, "en", **fields), summary_text(key, "zh", **fields)


def _series_words(ctx: dict, series: str, lang: str) -> str:
    """A series as the words name it: its id in English; in Chinese the plan's name for it
    (:func:`~xiangxi_econ.rules.historical.series_info`), else :func:`~xiangxi_econ.i18n.series_name`."""
    if lang == "en":
        return str(series)
    return ctx.get("series_zh", {}).get(series) or series_name(str(series), lang)


def _bound_zh(bound: str) -> str:
    """A bound as printed after a Chinese number (以上, 以内, 左右; nothing for an exact target)."""
    return label(bound, "zh") if bound in ("at_least", "at_most", "about") else ""


def _fmt(v: float, digits: int = 2) -> str:
    return f"{v:,.{digits}f}".rstrip("0").rstrip(".") if np.isfinite(v) else "n/a"


def _targets(plan: Plan, series: str, year: int | None = None) -> pd.DataFrame:
    """Numeric targets of ``series`` for ``year`` (default: the plan's usual target year)."""
    ind = plan.indicators
    year = plan.periods.target_year if year is None else year
    rows = ind[(ind["series_id"] == series) & (ind["target_year"] == year) & ind["target_value"].notna()
               & (row_roles(ind["origin"]) != "previous") & (ind["kind"] != "qualitative")]
    order = row_roles(rows["origin"]).map({"outline_table": 0, "chapter_table": 1})
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
    rows = ind[ind["target_value"].notna() & (row_roles(ind["origin"]) != "previous") & (ind["kind"] != "qualitative")]
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
        reading = _both(("cons_both_ceilings" if bounds <= {"at_most"} else "cons_both_floors") if compatible else
                        "cons_cannot_both")
        stated = tuple(summary_text("list_sep", lang).join(
            summary_text("cons_value_source", lang, value=_fmt(r.target_value), unit=r.unit, source=r.source,
                         bound=_bound_zh(r.bound) if lang == "zh" else r.bound) for r in group.itertuples())
            for lang in ("en", "zh"))
        implied = tuple(summary_text("cons_one_target", lang, series=_series_words(ctx, series, lang),
                                     year=int(year)) for lang in ("en", "zh"))
        text = tuple(summary_text("cons_duplicate", lang, year=int(year), reading=reading[i])
                     for i, lang in enumerate(("en", "zh")))
        out.append(Finding(
            "duplicate_target", "duplicate_conflict", severity, tuple(group["indicator_id"]),
            stated[0], implied[0], float(hi_row["target_value"]), float(lo_row["target_value"]),
            str(hi_row["unit"]), text[0], stated_zh=stated[1], implied_zh=implied[1], explanation_zh=text[1]))
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
        stated = tuple(summary_text("list_sep", lang).join(
            summary_text("cons_printed_source", lang, value=r.value_text or _fmt(r.value, 4), source=r.source)
            for r in group.itertuples()) for lang in ("en", "zh"))
        vmax, vmin = group["value_base_units"].max(), group["value_base_units"].min()
        s0 = float(scale.iloc[0])
        implied = _both("cons_one_value", year=int(year))
        text = tuple(summary_text("cons_baseline_conflict", lang, year=int(year),
                                  series=_series_words(ctx, series, lang)) for lang in ("en", "zh"))
        out.append(Finding(
            "baseline_conflict", "baseline_conflict", "medium", (str(series),),
            stated[0], implied[0], vmax / s0, vmin / s0, unit, text[0],
            stated_zh=stated[1], implied_zh=implied[1], explanation_zh=text[1]))
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
            at_stated = float(project(r.base_value, stated / 100, years))
            lo, hi = _interval(r.target_value, "", f"{r.target_value:g}")
            if lo <= at_stated <= hi or abs(implied - stated) < 0.05:
                continue
            real = r.series_id in REAL_RATE_SERIES and r.price_basis == "current"
            previous = ORIGIN_ROLES.get(r.origin, "") == "previous"
            fields = {"stated": stated, "implied": implied, "base": _fmt(r.base_value), "year": r.target_year,
                      "target": _fmt(r.target_value), "unit": r.unit}
            if real:
                deflator = implied_deflator_rate(implied / 100, stated / 100)
                hist = hist_deflator
                text = tuple(summary_text("cons_real_text", lang, size=abs(deflator), **fields, direction=summary_text(
                    "cons_falling" if deflator < 0 else "cons_rising", lang)) for lang in ("en", "zh"))
                if hist is not None and not np.isnan(hist):
                    at_hist = float(project(r.base_value, nominal_rate(stated / 100, hist), years))
                    text = tuple(t + summary_text("cons_real_history", lang, start=ctx["start"], **{
                        **fields, "base": ctx["base"]}, trend=price_trend(hist, 2, about=False, lang=lang),
                        at_hist=_fmt(at_hist)) for t, lang in zip(text, ("en", "zh"), strict=True))
                kind = "inconsistent"
                severity = "low" if previous else ("high" if r.series_id == "gdp" else "medium")
                implied_txt = _both("cons_real_implied", implied=implied, deflator=deflator)
            else:
                text = _both("cons_rate_text", at_stated=_fmt(at_stated), **fields)
                kind = "inconsistent"
                severity = "low"
                implied_txt = _both("cons_rate_implied", implied=implied)
            words = _both("cons_levels_rate", base=_fmt(r.base_value), target=_fmt(r.target_value), unit=r.unit,
                          change=r.stated_change, source=r.source)
            end = _both("cons_full_stop")
            out.append(Finding("rate_vs_levels", kind, severity, (r.indicator_id,), words[0],
                               implied_txt[0], stated, implied, "% a year", text[0] + end[0], stated_zh=words[1],
                               implied_zh=implied_txt[1], explanation_zh=text[1] + end[1]))
        elif r.stated_change_type in ("cumulative_pp", "cumulative_level"):
            implied = float(r.target_value - r.base_value)
            stated = float(r.stated_change_value)
            if abs(implied - stated) <= 1e-6 + 0.5 * 10 ** -_decimals(stated):
                continue
            words = _both("cons_levels_rate", base=_fmt(r.base_value), target=_fmt(r.target_value), unit=r.unit,
                          change=r.stated_change, source=r.source)
            implied_txt = _both("cons_change_implied", change=_fmt(implied, 4))
            text = _both("cons_change_text")
            out.append(Finding("rate_vs_levels", "inconsistent", "low", (r.indicator_id,), words[0],
                               implied_txt[0], stated, implied, r.unit, text[0],
                               stated_zh=words[1], implied_zh=implied_txt[1], explanation_zh=text[1]))
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
    extra = ("", "")
    if a0 is not None and r0 is not None:
        spend0 = identity.solve("tourism_spending_per_visitor", {"tourism_revenue": r0["value"],
                                "tourism_arrivals": a0["value"]}, plan.units,
                                value_units={"tourism_revenue": r0["unit"], "tourism_arrivals": a0["unit"]})
        spend_implied = identity.solve("tourism_spending_per_visitor", {
            "tourism_revenue": revenue["target_value"], "tourism_arrivals": arrivals["target_value"]}, plan.units,
            value_units={"tourism_revenue": revenue["unit"], "tourism_arrivals": arrivals["unit"]})
        extra = _both("cons_tourism_other_way", spend_implied=spend_implied, spend0=spend0, base=ctx["base"],
                      revenue0=_fmt(r0["value"]), revenue0_unit=r0["unit"], arrivals0=_fmt(a0["value"]),
                      arrivals0_unit=a0["unit"], spending=_fmt(spending["target_value"]))
    both_floors = {arrivals["bound"], spending["bound"]} <= {"at_least"} and revenue["bound"] == "at_least"
    reading = _both("cons_tourism_floors" if both_floors else "cons_tourism_product", implied=implied / scale,
                    unit=revenue["unit"], above=implied / stated - 1, target=_fmt(revenue["target_value"]))
    words = _both("cons_tourism_stated", arrivals=_fmt(arrivals["target_value"]), arrivals_unit=arrivals["unit"],
                  arrivals_source=_src(arrivals), spending=_fmt(spending["target_value"]),
                  spending_unit=spending["unit"], spending_source=_src(spending),
                  revenue=_fmt(revenue["target_value"]), revenue_unit=revenue["unit"], revenue_source=_src(revenue))
    implied_txt = _both("cons_tourism_implied", implied=implied / scale, unit=revenue["unit"])
    return [Finding(
        "tourism_identity", "incompatible", "high",
        (arrivals["indicator_id"], spending["indicator_id"], revenue["indicator_id"]), words[0], implied_txt[0],
        stated / scale, implied / scale, str(revenue["unit"]), reading[0] + extra[0],
        stated_zh=words[1], implied_zh=implied_txt[1], explanation_zh=reading[1] + extra[1])]


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
    fields = {"target": _fmt(target), "year": int(intensity["target_year"]), "source": _src(intensity),
              "rd_rate": rd_rate, "growth_source": _src(growth), "gdp_base": _fmt(gdp["base_value"]),
              "gdp_target": _fmt(gdp["target_value"]), "gdp_unit": gdp["unit"], "gdp_source": _src(gdp),
              "base": ctx["base"], "s0": _fmt(s0), "base_source": base["source"], "rd_pct": rd_rate * 100,
              "gdp_factor": 1 + gdp_rate, "years": years, "implied": implied, "gdp_rate": gdp_rate, "needed": needed}
    words, implied_txt, text = (_both(k, **fields) for k in ("cons_rd_stated", "cons_rd_implied", "cons_rd_text"))
    return [Finding(
        "rd_intensity_identity", "incompatible", "high",
        (intensity["indicator_id"], growth["indicator_id"], gdp["indicator_id"]), words[0], implied_txt[0],
        target, implied, "% of GDP", text[0], stated_zh=words[1], implied_zh=implied_txt[1], explanation_zh=text[1])]


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
    fields = {"prod_base": _fmt(prod["base_value"]), "prod_target": _fmt(prod["target_value"]),
              "prod_unit": prod["unit"], "prod_change": prod["stated_change"], "prod_source": _src(prod),
              "gdp_base": _fmt(gdp["base_value"]), "gdp_target": _fmt(gdp["target_value"]), "gdp_unit": gdp["unit"],
              "gdp_change": gdp["stated_change"], "gdp_source": _src(gdp), "emp0": emp0 / 1e4, "emp1": emp1 / 1e4,
              "year0": int(gdp["base_year"]), "year1": int(gdp["target_year"]), "rate": emp_rate,
              "gdp_rate": _fmt(stated_gdp), "prod_rate": _fmt(stated_prod), "rates_emp": rates_emp,
              "emp_rate": emp_rate}
    words, implied_txt, text = (_both(k, **fields) for k in ("cons_prod_stated", "cons_prod_implied",
                                                              "cons_prod_text"))
    return [Finding(
        "productivity_identity", "inconsistent", "medium", (prod["indicator_id"], gdp["indicator_id"]),
        words[0], implied_txt[0], rates_emp * 100, emp_rate * 100, "% a year (employment)", text[0],
        stated_zh=words[1], implied_zh=implied_txt[1], explanation_zh=text[1])]


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
        fields = {"target": _fmt(r.target_value), "year": r.target_year, "source": r.source, "base": b,
                  "man0": _fmt(man0["value"]), "man0_source": man0["source"], "sec0": _fmt(sec0["value"]),
                  "sec0_source": sec0["source"], "implied": _fmt(implied_secondary), "other": _fmt(other),
                  "rise": rise, "years": years, "pace": rise / years, "trend": trend, "start": a}
        keys = ["cons_manu_text"] + ([] if np.isnan(trend) else ["cons_manu_trend"]) + \
            (["cons_manu_exceeds"] if r.target_value > sec0["value"] else ["cons_full_stop"])
        text = tuple("".join(summary_text(k, lang, **fields) for k in keys) for lang in ("en", "zh"))
        words, implied_txt = _both("cons_manu_stated", **fields), _both("cons_manu_implied", **fields)
        out.append(Finding(
            "manufacturing_within_secondary", "implausible", severity, (r.indicator_id, "secondary_sector_share"),
            words[0], implied_txt[0], float(sec0["value"]), implied_secondary, "% of GDP", text[0],
            stated_zh=words[1], implied_zh=implied_txt[1], explanation_zh=text[1]))
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
        fields = {"dependence": _fmt(dependence["base_value"]), "base": ctx["base"], "source": _src(dependence),
                  "trade": _fmt(trade0["value"]), "trade_unit": trade0["unit"], "trade_source": trade0["source"],
                  "gdp": _fmt(gdp["base_value"]), "gdp_unit": gdp["unit"], "fx": fx, "share": share0}
        words, text = _both("cons_trade_base_stated", **fields), _both("cons_trade_base_text", **fields)
        arithmetic = f"{_fmt(trade0['value'])}{trade0['unit']} × {fx} / {_fmt(gdp['base_value'])}{gdp['unit']} = " \
                     f"{share0:.2f}%"
        out.append(Finding(
            "trade_dependence_identity", "baseline_conflict", "low", (dependence["indicator_id"], "trade_total_usd"),
            words[0], arithmetic, float(dependence["base_value"]), share0, "% of GDP", text[0],
            stated_zh=words[1], implied_zh=arithmetic, explanation_zh=text[1]))
    if growth is not None:
        g = float(growth["target_value"]) / 100
        implied = float(project(trade0["value_base_units"], g, years)) * fx / (gdp["target_value"] * gdp["scale"]) * 100
        target = float(dependence["target_value"])
        floor = growth["bound"] == "at_least"
        if (implied > target + 0.005) if floor else abs(implied - target) > 0.005:
            fields = {"target": _fmt(target), "year": int(dependence["target_year"]), "source": _src(dependence),
                      "growth": growth["stated_change"] or _fmt(growth["target_value"]) + "%",
                      "growth_source": _src(growth), "gdp": _fmt(gdp["target_value"]), "gdp_unit": gdp["unit"],
                      "gdp_source": _src(gdp), "rate": g, "reached": float(project(trade0["value"], g, years)),
                      "trade_unit": trade0["unit"], "implied": implied, "fx_needed": fx * target / implied}
            words, text = _both("cons_trade_stated", **fields), _both("cons_trade_text", **fields)
            arithmetic = (f"{_fmt(trade0['value'])}{trade0['unit']} × {1 + g:g}^{years:g} × {fx} / "
                          f"{_fmt(gdp['target_value'])}{gdp['unit']} = {implied:.2f}%")
            out.append(Finding(
                "trade_dependence_identity", "incompatible", "medium",
                (dependence["indicator_id"], growth["indicator_id"], gdp["indicator_id"]),
                words[0], arithmetic, target, implied, "% of GDP", text[0],
                stated_zh=words[1], implied_zh=arithmetic, explanation_zh=text[1]))
    return out


def _share_baselines(plan: Plan, ctx: dict) -> list[Finding]:
    pairs = (("local_fiscal_revenue_gdp_share", "local_fiscal_revenue", "cons_share_fiscal"),
             ("digital_economy_core_share", "digital_economy_scale", "cons_share_digital"))
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
        words, implied_txt, text = (tuple(summary_text(
            key, lang, name=share[f"name_{lang}"], stated=_fmt(stated), year=int(share["base_year"]),
            source=_src(share), level_series=_series_words(ctx, level_series, lang),
            level=_fmt(level["value"]), level_unit=level["unit"], level_source=level["source"],
            gdp=_fmt(gdp["base_value"]), gdp_unit=gdp["unit"], implied=implied,
            caveat=summary_text(caveat, lang)) for lang in ("en", "zh"))
            for key in ("cons_share_stated", "cons_share_implied", "cons_share_text"))
        out.append(Finding(
            "share_of_gdp_baseline", "baseline_conflict", "medium", (share["indicator_id"], level["series_id"]),
            words[0], implied_txt[0], stated, implied, "% of GDP", text[0],
            stated_zh=words[1], implied_zh=implied_txt[1], explanation_zh=text[1]))
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
        fields = {"start_value": _fmt(r.start_value), "start": ctx["start"], "start_source": r.start_source,
                  "end_value": _fmt(r.end_value), "unit": r.unit, "base": ctx["base"], "end_source": r.end_source,
                  "reported": r.reported_rate, "reported_source": r.reported_source, "computed": r.computed_rate}
        words, implied_txt, text = (_both(k, **fields) for k in ("cons_history_stated", "cons_history_implied",
                                                                  "cons_history_text"))
        out.append(Finding(
            "reported_rate_vs_levels", "inconsistent", "low", (r.series_id,), words[0], implied_txt[0],
            r.reported_rate * 100, r.computed_rate * 100, "% a year", text[0],
            stated_zh=words[1], implied_zh=implied_txt[1], explanation_zh=text[1]))
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
        implied = float(cumulative_total(lo["value_base_units"], g, n)) / (r.value_base_units / r.value)
        if abs(implied / r.value - 1) <= 0.03:
            continue
        fields = {"first": a0 + 1, "base": b, "total": _fmt(r.value), "unit": r.unit, "source": r.source,
                  "low": _fmt(lo["value"]), "start": a0, "low_source": lo["source"], "high": _fmt(hi["value"]),
                  "high_unit": hi["unit"], "high_source": hi["source"], "rate": g, "implied": _fmt(implied),
                  "off": r.value / implied - 1}
        words, implied_txt, text = (_both(k, **fields) for k in ("cons_cumulative_stated", "cons_cumulative_implied",
                                                                  "cons_cumulative_text"))
        out.append(Finding(
            "cumulative_vs_levels", "inconsistent", "low", (r.series_id,), words[0], implied_txt[0],
            float(r.value), implied, str(r.unit), text[0],
            stated_zh=words[1], implied_zh=implied_txt[1], explanation_zh=text[1]))
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
           "historical_deflator": deflator, "historical_pace": hp.reset_index(),
           "series_zh": {r.series_id: display_name(r.name_en, r.name_zh, r.kind, r.unit, "zh")
                         for r in series_info(plan.indicators).itertuples()
                         if isinstance(r.name_zh, str) and r.name_zh}}
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(plan, ctx))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], KINDS.index(f.kind)))
    return ConsistencyReport(tuple(findings), {summary_text("cons_exchange_rate", "en"): exchange_rate})
