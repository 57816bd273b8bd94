"""Outcomes the published record implies, where it does not print them: through identities and bounds.

The end-of-plan evaluation should answer wherever the record can. Three ways from published figures
to an outcome, each carried with its formula and inputs in English and Chinese:

* **identity** — a target whose series is the result or a part of an identity in
  :data:`xiangxi_econ.maths.identities.IDENTITIES`, with every other series published for the same year:
  spending per visitor = tourism revenue / arrivals; a share of GDP = level / GDP × 100 (high-tech
  value added, trade in yuan, fiscal revenue). Where two identities read the same target
  (fiscal revenue share: 一般公共预算收入 / GDP and 税收收入 / GDP), each reading is kept;
* **bound** — a part cannot exceed its whole (:data:`xiangxi_econ.maths.identities.PART_OF`:
  manufacturing ≤ industry ≤ secondary sector): the published whole is an upper bound of the part,
  so a target above it is missed with certainty;
* **stated rate** — a target printed with an average annual growth rate (GDP 7%, real) is judged on
  the published annual rates of the same price basis, :math:`(\\prod_i (1+g_i/100))^{1/n} - 1`;
  a year without a published rate is bridged by what it would have had to be to meet the target,
  set against the fastest year on record.

References
----------
UN Statistics Division (2022), *SDG Progress Chart technical note*; any national-accounts text on
ratios of levels (OECD 2001, *Measuring Productivity*, ch. 2).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..i18n import series_name, summary_text
from ..maths.identities import IDENTITIES, PART_OF, Identity
from ..rules import meaning as _rules

__all__ = ["DERIVED_COLUMNS", "identity_outcomes", "bound_outcomes", "stated_rate_outcomes", "published_level"]

DERIVED_COLUMNS = ["indicator_id", "year", "value", "source", "grade", "origin", "method", "formula", "formula_zh",
                   "reading"]
"""Columns of the derived outcome frames; ``method`` is ``identity`` or ``bound``."""

_GRADES = ("A", "A-", "B+", "B", "C", "")


def published_level(obs: Any, series_id: str, year: int, unit: str) -> tuple[float, str, str]:
    """The preferred published level of ``series_id`` in ``year`` in ``unit``, with its source and grade;
    NaN when there is none or it is in another unit family."""
    t = obs.table
    rows = t[(t["series_id"] == series_id) & (t["year"] == year) & (t["measure"] == "level") & t["preferred"]
             & ((t["version"] == "") | t["used_by_plan"])]
    units = obs.units
    if rows.empty or unit not in units or rows["base_unit"].iloc[0] != units.base_unit(unit):
        return np.nan, "", ""
    r = rows.iloc[0]
    return float(r["value_base_units"]) / float(units.scale(unit)), str(r["source"]), str(r["grade"])


def _weakest(grades: list[str]) -> str:
    return max(grades, key=lambda g: _GRADES.index(g) if g in _GRADES else len(_GRADES))


def _years(obs: Any, series: tuple[str, ...], first: int, last: int) -> list[int]:
    """Years in [first, last] where every series has a published level, latest first."""
    t = obs.table[(obs.table["measure"] == "level") & obs.table["preferred"]]
    sets = [set(t.loc[t["series_id"] == s, "year"].astype(int)) for s in series]
    common = set.intersection(*sets) if sets else set()
    return sorted((y for y in common if first <= y <= last), reverse=True)


def _fmt(v: float) -> str:
    return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"


def _by_identity(obs: Any, row: Any, identity: Identity, year: int) -> dict | None:
    """The target's value in ``year`` through ``identity``, or None when an input is missing."""
    unit_of = dict(identity.units)
    unit_of[row.series_id] = row.unit
    inputs = [s for s in identity.series if s != row.series_id]
    values: dict[str, float] = {}
    sources: list[str] = []
    grades: list[str] = []
    for s in inputs:
        v, src, grade = published_level(obs, s, year, unit_of[s])
        if np.isnan(v):
            return None
        values[s], sources, grades = v, sources + [src], grades + [grade]
    if row.series_id == identity.result:
        value = identity.evaluate(values, obs.units, value_units=unit_of, result_unit=row.unit)
    else:
        value = identity.solve(row.series_id, values, obs.units, value_units=unit_of, part_unit=row.unit)
    formula, formula_zh = (summary_text(
        "derived_identity", lang, description=description, value=_fmt(float(value)), unit=row.unit, year=year,
        inputs=summary_text("comma_sep", lang).join(
            summary_text("derived_input", lang, series=s if lang == "en" else series_name(s, lang),
                         value=_fmt(values[s]), unit=unit_of[s]) for s in inputs))
        for lang, description in (("en", identity.description),
                                  ("zh", identity.description_zh or identity.name)))
    return {"indicator_id": row.indicator_id, "year": year, "value": float(value),
            "source": "; ".join(dict.fromkeys(sources)), "grade": _weakest(grades), "origin": "derived",
            "method": "identity", "formula": formula, "formula_zh": formula_zh, "reading": identity.name}


def identity_outcomes(plan: Any, targets: pd.DataFrame, have: set[str]) -> pd.DataFrame:
    """Outcomes through identities for the targets in ``targets`` without a published outcome (``have``
    lists those with one): the latest year after the base year where every input is published.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DERIVED_COLUMNS`; a target read by two identities has two rows (``reading``).
    """
    obs = plan.observations
    out = []
    for row in targets.itertuples():
        if row.indicator_id in have or row.kind not in ("level", "share", "rate", "count"):
            continue
        for identity in IDENTITIES.values():
            if identity.form == "sum" or row.series_id not in identity.series:
                continue
            inputs = tuple(s for s in identity.series if s != row.series_id)
            for year in _years(obs, inputs, int(row.base_year) + 1, int(row.target_year)):
                rec = _by_identity(obs, row, identity, year)
                if rec is not None:
                    out.append(rec)
                    break
    return pd.DataFrame(out, columns=DERIVED_COLUMNS)


def base_reading(plan: Any, row: Any, reading: str) -> float:
    """The plan's base year through the identity ``reading`` (to check which definition the plan's
    baseline uses); NaN when an input is missing."""
    identity = IDENTITIES[reading]
    rec = _by_identity(plan.observations, row, identity, int(row.base_year))
    return np.nan if rec is None else float(rec["value"])


def bound_outcomes(plan: Any, targets: pd.DataFrame, have: set[str]) -> pd.DataFrame:
    """Upper bounds of shares that are part of a published whole (:data:`PART_OF`), in the target
    year or the latest year before it: ``value`` is the bound, ``method`` is ``bound``."""
    obs = plan.observations
    out = []
    for row in targets.itertuples():
        if row.indicator_id in have or row.series_id not in PART_OF:
            continue
        chain, whole = [row.series_id], PART_OF[row.series_id]
        while whole:
            chain.append(whole)
            years = _years(obs, (whole,), int(row.base_year) + 1, int(row.target_year))
            if years:
                v, src, grade = published_level(obs, whole, years[0], row.unit)
                words = {lang: " ≤ ".join(series_name(c, lang) if lang == "zh" else c for c in chain)
                         for lang in ("en", "zh")}
                formula = {lang: summary_text("derived_bound", lang, chain=words[lang], value=_fmt(v), unit=row.unit,
                                              year=years[0]) for lang in ("en", "zh")}
                out.append({"indicator_id": row.indicator_id, "year": years[0], "value": v, "source": src,
                            "grade": grade, "origin": "derived", "method": "bound",
                            "formula": formula["en"], "formula_zh": formula["zh"], "reading": whole})
                break
            whole = PART_OF.get(whole, "")
    return pd.DataFrame(out, columns=DERIVED_COLUMNS)


STATED_RATE_COLUMNS = ["indicator_id", "stated_rate", "stated_rate_basis", "achieved_stated_rate",
                       "stated_rate_status", "stated_rate_note", "stated_rate_note_zh"]


def stated_rate_outcomes(plan: Any, rows: pd.DataFrame, as_of_year: int | None = None) -> pd.DataFrame:
    """Judge the average annual growth a target prints beside its level (``stated_change_type`` =
    ``annual_growth_pct``: GDP 7%, real) on the published annual rates of the same price basis.

    Every year from the base year to the target year (or ``as_of_year``) needs a rate; a single
    missing year is bridged: the rate it would have needed to meet the target,
    :math:`(1+g^*)^H / \\prod_{i \\ne m}(1+g_i) - 1`, is set against the fastest year published for
    the series — above it, the target is missed with that caveat.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STATED_RATE_COLUMNS`; ``achieved_stated_rate`` [fraction per year],
        ``stated_rate_status`` ``met``/``not_met``/``in_progress``/'' (not judged, ``stated_rate_note``
        says why).
    """
    obs = plan.observations.table
    out = []
    for r in rows.itertuples():
        if getattr(r, "stated_change_type", "") != "annual_growth_pct" or pd.isna(r.stated_change_value) \
                or r.kind == "growth":
            continue
        basis = _stated_basis(r, r.price_basis)
        g_star = float(r.stated_change_value)
        end = int(r.target_year) if as_of_year is None else min(int(as_of_year), int(r.target_year))
        years = list(range(int(r.base_year) + 1, end + 1))
        mine = obs[(obs["series_id"] == r.series_id) & (obs["measure"] == "growth_pct") & obs["preferred"]
                   & (obs["price_basis"] == basis) & ((obs["version"] == "") | obs["used_by_plan"])]
        rates = mine.drop_duplicates("year").set_index("year")["value"]
        have = [y for y in years if y in rates.index]
        missing = [y for y in years if y not in rates.index]
        rec = {"indicator_id": r.indicator_id, "stated_rate": g_star / 100, "stated_rate_basis": basis,
               "achieved_stated_rate": np.nan, "stated_rate_status": "", "stated_rate_note": "",
               "stated_rate_note_zh": ""}
        shown = {lang: summary_text("enum_sep", lang).join(
            summary_text("derived_rate_year", lang, year=y, rate=rates[y]) for y in have) for lang in ("en", "zh")}
        horizon = int(r.target_year) - int(r.base_year)
        if not missing:
            factor = _rules.cumulated_factor(rates[have].to_numpy())
            rec["achieved_stated_rate"] = float(_rules.annualise(factor, len(have)))
            done = end == int(r.target_year)
            met = bool(_rules.meets(rec["achieved_stated_rate"], g_star / 100, r.bound, r.direction)) if done else None
            rec["stated_rate_status"] = ("met" if met else "not_met") if done else "in_progress"
            key, fields = "derived_rates", {"achieved": rec["achieved_stated_rate"]}
        elif len(missing) == 1 and end == int(r.target_year) and len(rates):
            needed = _rules.cumulated_factor([g_star] * horizon) / _rules.cumulated_factor(rates[have].to_numpy()) - 1
            fastest = float(rates.max())
            if needed * 100 > fastest:
                rec["stated_rate_status"] = "not_met"
            key, fields = "derived_rates_bridged", {"missing": missing[0], "needed": needed, "stated": g_star,
                                                    "fastest": fastest, "fastest_year": int(rates.idxmax())}
        else:
            key, fields = "derived_rates_missing", {}
        years_missing = {lang: summary_text("enum_sep", lang).join(map(str, missing)) for lang in ("en", "zh")}
        for lang, column in (("en", "stated_rate_note"), ("zh", "stated_rate_note_zh")):
            rec[column] = summary_text(key, lang, basis=basis, rates=shown[lang], years=years_missing[lang], **fields)
        out.append(rec)
    return pd.DataFrame(out, columns=STATED_RATE_COLUMNS)


def _stated_basis(row: Any, default: str) -> str:
    """The price basis of a printed growth rate: the note of the row says 'real' for GDP and value
    added (NBS practice: their growth rates are at comparable prices); money flows otherwise nominal."""
    note = str(getattr(row, "note", "") or "")
    if "real" in note or "comparable" in note:
        return "comparable"
    return default


#: A series printed in one currency whose twin in the other currency is what the bulletins print now.
CURRENCY_TWINS = {"trade_total_usd": "trade_total_cny"}


def growth_from_levels(plan: Any, row: Any) -> dict | None:
    """An average-growth target judged from levels at both ends when the annual rates are not all
    published: :math:`(x_T/x_b)^{1/H} - 1`, the base level published or, failing that, solved from
    the plan's own base-year figures through an identity (trade = trade dependence × GDP). A series
    in US dollars is judged on its yuan twin (:data:`CURRENCY_TWINS`), and the note says how far the
    yuan would have had to move for the dollar rate to differ.

    Returns
    -------
    dict or None
        ``value`` (the achieved rate, percent per year), ``year``, ``formula``, ``formula_zh``,
        ``source``, ``grade``, ``method`` = ``levels``; None when a level is missing.
    """
    twin = CURRENCY_TWINS.get(row.series_id, row.series_id)
    obs = plan.observations
    unit = next((i.units[twin] for i in IDENTITIES.values() if twin in i.units), "")
    if not unit:
        return None
    end, src, grade = published_level(obs, twin, int(row.target_year), unit)
    base, how = published_level(obs, twin, int(row.base_year), unit)[0], summary_text("derived_published", "en")
    lo = hi = base
    if np.isnan(base):
        base, lo, hi, how = _base_from_plan(plan, twin, int(row.base_year), unit)
    if np.isnan(end) or np.isnan(base):
        return None
    years = int(row.target_year) - int(row.base_year)
    rate = float(_rules.annualise(end / base, years))
    span = [float(_rules.annualise(end / b, years)) for b in (hi, lo)]
    b, t = int(row.base_year), int(row.target_year)
    keys = ["derived_levels"]
    fields: dict[str, Any] = {"series": twin, "base": _fmt(base), "unit": unit, "base_year": b, "how": how,
                              "end": _fmt(end), "end_year": t, "rate": rate, "low": span[0], "high": span[1]}
    if span[0] != span[1]:
        keys.append("derived_levels_rounding")
    if twin != row.series_id:
        g_star = float(row.target_value) / 100
        needed = _rules.cumulated_factor([g_star * 100] * years) / _rules.cumulated_factor([rate * 100] * years) - 1
        keys.append("derived_levels_currency")
        fields.update(needed=needed, target=g_star)
    text, text_zh = ("".join(summary_text(k, lang, **{**fields, "series": series_name(twin, lang) if lang == "zh"
                                                       else twin}) for k in keys) for lang in ("en", "zh"))
    return {"indicator_id": row.indicator_id, "year": int(row.target_year), "value": rate * 100, "source": src,
            "grade": grade, "origin": "derived", "method": "levels", "formula": text, "formula_zh": text_zh,
            "reading": twin}


def _base_from_plan(plan: Any, series_id: str, year: int, unit: str) -> tuple[float, float, float, str]:
    """A base-year level solved from the plan's own figures through an identity, with the range the
    rounding of the printed figures allows (half a unit of the last digit)."""
    levels = plan.levels
    for identity in IDENTITIES.values():
        if identity.form == "sum" or series_id not in identity.parts:
            continue
        others = [s for s in identity.series if s != series_id]
        values, spans = {}, {}
        for s in others:
            mine = levels[(levels["series_id"] == s) & (levels["year"] == year)]
            if mine.empty or identity.units[s] not in plan.units or \
                    plan.units.base_unit(identity.units[s]) != mine["base_unit"].iloc[0]:
                break
            v = float(mine["value_base_units"].iloc[0]) / float(plan.units.scale(identity.units[s]))
            values[s] = v
            spans[s] = 0.5 * 10 ** -_decimals(v)
        else:
            mid = float(identity.solve(series_id, values, plan.units))
            r = identity.result
            low = float(identity.solve(series_id, {**values, r: values[r] - spans[r]}, plan.units))
            high = float(identity.solve(series_id, {**values, r: values[r] + spans[r]}, plan.units))
            shown = ", ".join(f"{s} {values[s]:g}{identity.units[s]}" for s in others)
            return mid, min(low, high), max(low, high), summary_text("derived_from_plan", "en", figures=shown)
    return np.nan, np.nan, np.nan, ""


def _decimals(value: float) -> int:
    text = repr(float(value))
    return len(text.split(".")[1].rstrip("0")) if "." in text and "e" not in text else 0
