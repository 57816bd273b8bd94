"""Historical pace: the rate over the plan's history window (2015-2020 for the embedded plan)
computed from the printed levels beside the rate the plan reports, with large discrepancies
flagged and explained.

For a level indicator the computed rate is the compound annual growth rate
:math:`g = (x_e/x_s)^{1/n} - 1` over the :math:`n = e - s` years of the window (the NBS level
method, 水平法); for shares and rates the pace is in percentage points a year,
:math:`(x_e - x_s)/n`. The plan reports average
growth rates at comparable prices for GDP and industrial value added (real) and at current prices
for the rest; comparing a real reported rate with a rate computed from current-price levels
measures the price rise, not an error, and is explained as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._display import ResultBase, charts, fit
from .._format import fit_right
from ..data.observations import level_pairs, preferred_growth
from ..data.plan import Plan
from ..i18n import SUMMARY_TEXT, break_kind, display_name, summary_text
from ..maths.growth import cagr, pace_pp
from ..maths.prices import implied_deflator_rate
from ..schema import PP_KINDS, row_roles
from . import meaning as _rules

#: A gap between computed and reported rates above this many percentage points a year is flagged.
DISCREPANCY_THRESHOLD_PP = 0.5


def series_info(indicators: pd.DataFrame) -> pd.DataFrame:
    """Name, kind and unit of each series, taken from its most authoritative row
    (专栏2, then 专栏1, then the chapters)."""
    order = row_roles(indicators["origin"]).map({"outline_table": 0, "previous": 1, "chapter_table": 2}).fillna(3)
    ranked = indicators.assign(_rank=order, _pp=indicators["kind"].isin(PP_KINDS))
    ranked = ranked.sort_values(["series_id", "_rank"], kind="stable")
    info = ranked.drop_duplicates("series_id")[["series_id", "name_en", "name_zh", "kind", "unit"]]
    pp_any = ranked.groupby("series_id")["_pp"].any().rename("moves_in_pp")
    return info.merge(pp_any, on="series_id").reset_index(drop=True)


def break_notes(plan: Plan, series_ids: pd.Series, start_year: int, end_year: int, lang: str = "en") -> list[str]:
    """For each series, the statistical breaks (``plan.observations.breaks``) a rate from
    ``start_year`` to ``end_year`` spans — a break strictly inside the window — in words in ``lang``;
    '' where there is none."""
    breaks = plan.observations.breaks
    # a break in the end year itself is left out: the plan's own figure for its base year was
    # printed on the old basis when the new one came later (urbanisation, tourism 2020)
    inside = breaks[(breaks["year"] > start_year) & (breaks["year"] < end_year)]
    zh = lang == "zh"
    words = pd.Series([summary_text("hist_spans_break", lang, year=y, description=d,
                                    kind=break_kind(str(k), lang) if zh else str(k).replace("_", " "))
                       for k, y, d in zip(inside["kind"], inside["year"], _descriptions(inside, lang), strict=True)],
                      index=inside.index, dtype=object)
    by_series = words.groupby(inside["series_id"], sort=False).agg(summary_text("list_sep", lang).join)
    found = pd.Series(list(series_ids), dtype=object).map(by_series)
    return ["" if pd.isna(v) else str(v) for v in found]


def _descriptions(breaks: pd.DataFrame, lang: str) -> list[str]:
    """What changed at each break in ``lang`` (``description_zh``), the English where none is given."""
    en = breaks["description_en"].fillna("").astype(str)
    if lang != "zh" or "description_zh" not in breaks:
        return en.tolist()
    zh = breaks["description_zh"].fillna("").astype(str)
    return [z or e for z, e in zip(zh, en, strict=True)]


def price_trend(rate: float, digits: int = 1, about: bool = True, lang: str = "en") -> str:
    """Prices moving at ``rate`` [fraction per year] in words in ``lang``: "rose about 0.9% a year",
    "fell about 0.8% a year" (never "rose -0.8%").

    >>> price_trend(-0.008), price_trend(0.0094, 2, about=False), price_trend(0.0094, lang="zh")
    ('fell about 0.8% a year', 'rose 0.94% a year', '每年约上涨0.9%')
    """
    key = "hist_price_fell" if rate < 0 else "hist_price_rose"
    return summary_text(key, lang, about=summary_text("hist_price_about", lang) if about else "",
                        pct=abs(rate) * 100, digits=digits)


def _explain(row, lang: str = "en") -> str:
    """Why computed and reported rates of a flagged row differ, in ``lang``; '' for a row not flagged."""
    if not row.flag:
        return ""
    if row.reported_basis == "comparable" and row.levels_basis == "current":
        deflator = implied_deflator_rate(row.computed_rate, row.reported_rate)
        return summary_text("hist_real_vs_current", lang, trend=price_trend(float(deflator), lang=lang))
    return summary_text("hist_shares_mismatch" if row.moves_in_pp else "hist_levels_mismatch", lang)


def _reported_rates(history: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Reported average annual growth over ``start``-``end`` as a fraction per year.

    An average annual rate is taken as printed; where the plan only prints the growth over the
    whole period (e.g. tourist arrivals "比2015年增长62.3%"), it is annualised geometrically,
    :math:`(1 + G)^{1/n} - 1`.
    """
    years = end - start
    avg = preferred_growth(history, "avg_annual_growth_pct")
    avg = avg[(avg["start_year"] == start) & (avg["year"] == end)].assign(
        reported_rate=lambda d: d["value"] / 100, reported_as=summary_text("hist_reported_avg", "en"))
    total = preferred_growth(history, "total_growth_pct")
    total = total[(total["start_year"] == start) & (total["year"] == end)]
    total = total[~total["series_id"].isin(avg["series_id"])].assign(
        reported_rate=lambda d: _rules.annualise(1 + d["value"].to_numpy(float) / 100, years),
        reported_as=lambda d: [summary_text("hist_reported_total", "en", value=v, years=years) for v in d["value"]])
    change = preferred_growth(history, "avg_annual_change")
    change = change[(change["start_year"] == start) & (change["year"] == end)].assign(
        reported_rate=np.nan, reported_change=lambda d: d["value"],
        reported_as=summary_text("hist_reported_change", "en"))
    both = pd.concat([avg, total, change], ignore_index=True)
    if "reported_change" not in both:
        both["reported_change"] = np.nan
    return both.rename(columns={"price_basis": "reported_basis", "source": "reported_source"})[
        ["series_id", "reported_rate", "reported_change", "reported_basis", "reported_as", "reported_source"]]


@dataclass(frozen=True, repr=False)
class HistoricalPace(ResultBase):
    """Pace of every series with data over a window, computed and as reported.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per series: ``start_value``, ``end_value`` (in ``unit``), ``computed_rate``
        [fraction per year], ``computed_pace_pp`` [pp per year, shares and rates only],
        ``levels_basis``, ``reported_rate`` [fraction per year], ``reported_basis``,
        ``discrepancy_pp`` [percentage points per year, computed minus reported], ``flag``,
        ``explanation`` (``explanation_zh``), ``break_note`` (``break_note_zh``; the statistical breaks the
        window spans, from
        ``plan.observations``: a rate across one mixes two statistical bases), ``abnormal_base`` with
        ``base_note`` (``base_note_zh``): the window starts at a level far below its series' trend
        (:func:`abnormal_base`), and the sources of each number.
    start_year, end_year : int
        The period [year].
    """

    table: pd.DataFrame
    start_year: int
    end_year: int

    def _frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _plot(self, ax=None, lang: str | None = None):
        """Rate computed from the levels against the rate the plan reports, % a year."""
        plot_pace_comparison = charts().plot_pace_comparison

        frame = self.to_frame()
        frame.insert(0, "indicator_id", frame["series_id"])
        return plot_pace_comparison(frame, ax=ax, lang=self._lang(lang),
                                    columns=("reported_rate", "computed_rate"),
                                    labels=(SUMMARY_TEXT["hist_plot_reported"], SUMMARY_TEXT["hist_plot_computed"]),
                                    title=tuple(summary_text("hist_plot_title", lang, start=self.start_year,
                                                             end=self.end_year) for lang in ("en", "zh")))

    def _summary(self, lang: str = "en") -> str:
        t = self.table
        zh = lang == "zh"
        lines = [summary_text("hist_head", lang, start=self.start_year, end=self.end_year, n=len(t),
                              flagged=int(t["flag"].sum()), threshold=DISCREPANCY_THRESHOLD_PP), ""]
        col = {c: summary_text(f"hist_col_{c}", lang) for c in ("series", "computed", "reported", "gap", "note")}
        lines.append(f"{fit(col['series'], 36)} {fit_right(col['computed'], 10)} {fit_right(col['reported'], 10)} "
                     f"{fit_right(col['gap'], 8)}  {col['note']}")
        for r in t.itertuples():
            if r.moves_in_pp and not np.isnan(r.computed_pace_pp):
                comp = f"{r.computed_pace_pp:+7.2f}pp"
            else:
                comp = "" if np.isnan(r.computed_rate) else f"{r.computed_rate * 100:9.2f}%"
            rep = "" if np.isnan(r.reported_rate) else f"{r.reported_rate * 100:9.2f}%"
            gap = "" if np.isnan(r.discrepancy_pp) else f"{r.discrepancy_pp:8.2f}"
            name = display_name(r.name_en, r.name_zh, r.kind, r.unit, lang) if zh and isinstance(r.name_zh, str) \
                and r.name_zh else r.series_id
            lines.append(f"{fit(name, 36)} {comp:>10} {rep:>10} {gap:>8}  "
                         f"{r.explanation_zh if zh else r.explanation}")
        return "\n".join(lines)


def historical_pace(plan: Plan, start_year: int | None = None, end_year: int | None = None) -> HistoricalPace:
    """Rates of every series between ``start_year`` and ``end_year``: from levels and as reported.

    Parameters
    ----------
    plan : Plan
    start_year, end_year : int, optional
        First and last year [year]; default the plan's history window
        (``plan.periods.history_start_year`` to ``plan.periods.base_year``).

    Returns
    -------
    HistoricalPace

    See Also
    --------
    check_consistency : flags reported rates that disagree with the printed levels.

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> hp = xe.historical_pace(xe.load_plan()).to_frame().set_index("series_id")
    >>> float(round(hp.loc["gdp", "computed_rate"], 4)), float(hp.loc["gdp", "reported_rate"])
    (0.07, 0.06)
    """
    start = plan.periods.history_start_year if start_year is None else int(start_year)
    end = plan.periods.base_year if end_year is None else int(end_year)
    if end <= start:
        raise ValueError(f"end_year must be after start_year; got {start}-{end}")
    years = end - start
    pairs = level_pairs(plan.history, start, end)
    pairs = pairs.rename(columns={"value_start": "start_value", "value_end": "end_value",
                                  "unit_start": "start_unit", "unit_end": "unit",
                                  "price_basis_end": "levels_basis", "source_start": "start_source",
                                  "source_end": "end_source"})
    # express both ends in the end year's printed unit
    scale_end = pairs["end_value_base"] / pairs["end_value"]
    pairs["start_value"] = pairs["start_value_base"] / scale_end
    positive = (pairs["start_value"] > 0) & (pairs["end_value"] > 0)
    pairs["computed_rate"] = np.nan
    if positive.any():
        pairs.loc[positive, "computed_rate"] = cagr(pairs.loc[positive, "start_value"].to_numpy(),
                                                    pairs.loc[positive, "end_value"].to_numpy(), years)
    reported = _reported_rates(plan.history, start, end)
    table = pairs[["series_id", "start_value", "start_value_base", "end_value", "unit", "levels_basis", "computed_rate",
                   "start_source", "end_source"]].merge(reported, on="series_id", how="outer")
    table = table.merge(series_info(plan.indicators), on="series_id", how="left", suffixes=("", "_series"))
    table["unit"] = table["unit"].fillna(table["unit_series"])
    table["moves_in_pp"] = table["moves_in_pp"].fillna(False).astype(bool)
    table["computed_pace_pp"] = np.where(table["moves_in_pp"],
                                         pace_pp(table["start_value"].to_numpy(float),
                                                 table["end_value"].to_numpy(float), years), np.nan)
    table["computed_change"] = (table["end_value"] - table["start_value"]) / years
    by_change = table["reported_change"].notna()
    # a reported change in the series' own unit is compared with the computed change per year
    table["discrepancy_pp"] = np.where(by_change, table["computed_change"] - table["reported_change"],
                                       (table["computed_rate"] - table["reported_rate"]) * 100)
    table["flag"] = table["discrepancy_pp"].abs() > DISCREPANCY_THRESHOLD_PP
    for col in ("levels_basis", "reported_basis", "reported_as", "start_source", "end_source", "reported_source"):
        table[col] = table[col].fillna("")
    table["explanation"] = [_explain(r) for r in table.itertuples()]
    table["explanation_zh"] = [_explain(r, "zh") for r in table.itertuples()]
    table["break_note"] = break_notes(plan, table["series_id"], start, end)
    table["break_note_zh"] = break_notes(plan, table["series_id"], start, end, "zh")
    # a pace from a trough (tourism in 2020) overstates the trend: flagged with the size of the dip
    ab = abnormal_base(plan, table["series_id"], start, table["start_value_base"].to_numpy(float))
    table["abnormal_base"] = ab["abnormal"].to_numpy(bool)
    table["base_note"] = ab["note"].to_numpy(object)
    table["base_note_zh"] = ab["note_zh"].to_numpy(object)
    cols = ["series_id", "name_en", "name_zh", "kind", "unit", "start_value", "end_value", "computed_rate",
            "computed_pace_pp", "computed_change", "levels_basis", "reported_rate", "reported_change", "reported_basis",
            "reported_as", "discrepancy_pp", "flag",
            "explanation", "explanation_zh", "break_note", "break_note_zh",
            "abnormal_base", "base_note", "base_note_zh",
            "start_source", "end_source", "reported_source", "moves_in_pp"]
    table = table[cols].sort_values("series_id", kind="stable").reset_index(drop=True)
    return HistoricalPace(table, start, end)


#: A published level this far below the trend of its own series on the same statistical basis marks
#: an abnormal year (a trough such as the 2020 COVID year in tourism) [fraction]. Growth from such a
#: base overstates the pace; every pace measured from it is flagged. This library's convention: a tenth below the
#: log-linear trend of its own neighbours; in the embedded record GDP's 2020 level (COVID year) lies about
#: 3% below it and is not flagged, tourism's about 16-21% and is.
ABNORMAL_DIP = 0.10

#: Years on either side of a year whose levels make its trend [years].
ABNORMAL_WINDOW = 5


def _trends(t: np.ndarray, x: np.ndarray, seg: np.ndarray, excluded: np.ndarray) -> np.ndarray:
    """Leave-one-out log-linear trend of each level from the others of its segment within the window,
    leaving out ``excluded`` levels; NaN with fewer than two."""
    out = np.full(len(t), np.nan)
    for k in range(len(t)):
        near = (np.arange(len(t)) != k) & ~excluded & (np.abs(t - t[k]) <= ABNORMAL_WINDOW) & (seg == seg[k])
        if near.sum() >= 2:
            slope, intercept = np.polyfit(t[near].astype(float), np.log(x[near]), 1)
            out[k] = np.exp(intercept + slope * t[k])
    return out


def _abnormal_levels(t: np.ndarray, x: np.ndarray, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Trend, dip and abnormal flag of every level of one series: the deepest dip below
    :data:`ABNORMAL_DIP` is flagged and left out of the others' trends, then the next, until none is left
    (a trough must not drag the trend of the years after it)."""
    excluded = np.zeros(len(t), dtype=bool)
    while True:
        trend = _trends(t, x, seg, excluded)
        with np.errstate(invalid="ignore"):
            dip = x / trend - 1
        open_ = ~excluded & (dip < -ABNORMAL_DIP)
        if not open_.any():
            return trend, dip, excluded
        worst = int(np.nanargmin(np.where(open_, dip, np.nan)))
        excluded[worst] = True
        if excluded.all():
            return trend, dip, excluded


def abnormal_base(plan: Plan, series_ids: Any, years: Any, values: Any = None) -> pd.DataFrame:
    """Whether each (series, year) level lies far below its series' trend: an abnormal base for a pace.

    For each series and year :math:`y`, the preferred published levels of the same series within
    :data:`ABNORMAL_WINDOW` years of :math:`y`, on the same statistical segment
    (:func:`xiangxi_econ.rules.windows.segment`: no break is crossed) and other than :math:`y` itself,
    give a least-squares log-linear trend :math:`\\ln x = a + b t`; the level of :math:`y` is
    abnormal when :math:`x_y / \\hat x_y - 1 < -` :data:`ABNORMAL_DIP`. The deepest dip is flagged
    first and left out of the other years' trends, and so on. At least two other levels are needed,
    else nothing is said. With ``values``, a level that differs from the published one by more than
    2% (a plan's own figure on another basis) is not the published trough and is not flagged.

    Parameters
    ----------
    plan : Plan
    series_ids : array_like of str
    years : array_like of int
        Base year of each pace [calendar year].
    values : array_like of float, optional
        The level each pace starts from [base units of the series, e.g. 元 for 亿元].

    Returns
    -------
    pandas.DataFrame
        ``series_id, year, level, trend`` [base units], ``dip`` (``level / trend - 1`` [fraction]),
        ``abnormal`` (bool), ``note``, ``note_zh``; one row per input, NaN / False / '' where nothing
        can be said.

    References
    ----------
    Eurostat (2023), *SDG monitoring report*, Annex II (breaks and atypical years are flagged, not
    used silently as the start of a trend).

    Examples
    --------
    Tourism revenue fell in 2020 (388.8亿元) far below the trend of 2021-2025 on the same basis:

    >>> import xiangxi_econ as xe
    >>> ab = abnormal_base(xe.load_plan(), ["tourism_revenue", "gdp"], [2020, 2020])
    >>> ab["abnormal"].tolist()
    [True, False]
    """
    from .windows import segment

    ids = [str(s) for s in np.atleast_1d(np.asarray(series_ids, dtype=object))]
    yrs = np.broadcast_to(np.asarray(years, dtype=int), (len(ids),))
    given = None if values is None else np.broadcast_to(np.asarray(values, dtype=float), (len(ids),))
    obs = plan.observations.table
    levels = obs[(obs["measure"] == "level") & obs["preferred"] & ((obs["version"] == "") | obs["used_by_plan"])]
    breaks = plan.observations.breaks
    per_series: dict[str, tuple] = {}
    rows = []
    for i, (s, y) in enumerate(zip(ids, yrs, strict=True)):
        rec = {"series_id": s, "year": int(y), "level": np.nan, "trend": np.nan, "dip": np.nan, "abnormal": False,
               "note": "", "note_zh": ""}
        if s not in per_series:
            mine = levels[levels["series_id"] == s].drop_duplicates("year").sort_values("year")
            mine = mine[mine["base_unit"] == mine["base_unit"].iloc[0]] if len(mine) else mine
            t = mine["year"].to_numpy(int)
            x = mine["value_base_units"].to_numpy(float)
            seg = segment(t, breaks.loc[breaks["series_id"] == s, "year"].to_numpy(int))
            found = _abnormal_levels(t, x, seg) if len(t) and (x > 0).all() else None
            per_series[s] = (mine, t, x, seg, found)
        mine, t, x, seg, found = per_series[s]
        own = np.flatnonzero(t == y)
        if found is None or not len(own) or np.isnan(found[0][own[0]]):
            rows.append(rec)
            continue
        k = own[0]
        level, trend, dip = float(x[k]), float(found[0][k]), float(found[1][k])
        published_base = given is None or np.isnan(given[i]) or abs(given[i] / level - 1) <= 0.02
        rec.update(level=level, trend=trend, dip=dip, abnormal=bool(found[2][k] and published_base))
        if rec["abnormal"]:
            scale = level / float(mine["value"].iloc[k])
            near = (np.abs(t - y) <= ABNORMAL_WINDOW) & (seg == seg[k]) & ~found[2]
            fields = {"year": int(y), "level": level / scale, "trend": trend / scale, "dip": abs(dip),
                      "unit": str(mine["unit"].iloc[k]), "first": int(t[near].min()), "last": int(t[near].max())}
            rec["note"] = summary_text("abnormal_base", "en", **fields)
            rec["note_zh"] = summary_text("abnormal_base", "zh", **fields)
        rows.append(rec)
    return pd.DataFrame(rows, columns=["series_id", "year", "level", "trend", "dip", "abnormal", "note", "note_zh"])
