"""The report page: an executive summary first, then one section per question, each built by one
small function from an :class:`~xiangxi_econ.analysis.Analysis` (its results are read, never
recomputed). Every word comes from :mod:`xiangxi_econ.i18n`.

Every text reaches the page through one function, :func:`xiangxi_econ._format.esc`: plan text
(names, units, sources, notes, titles, region) is data, never markup. The builders return
:class:`~xiangxi_econ._format.Html` for the markup they make, and :func:`table` and the headline
table pass every cell through ``esc``, so a cell function that returns plain text (a value with
its unit) is escaped there.

>>> fmt_rate(0.0664), fmt_pp(1.0, "en"), fmt_ratio(1.054211), fmt_value(542.8223, "亿元")
('6.6%', '+1.00 pp', '1.05', '542.8亿元')
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any, Callable, Iterable

import pandas as pd

from .._format import PP_COLUMNS, RATE_COLUMNS, RATIO_COLUMNS, TONES, Html, esc, fmt_quantity, fmt_ratio, num
from .._format import fmt_rate as _fmt_rate
from ..i18n import (
    COLUMN_HELP,
    break_kind,
    display_name,
    finding_text,
    finding_unit,
    header,
    label,
    series_name,
    text,
    volatility_source,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis import Analysis

#: Decimals of a growth rate or share in percent on the page (6.6%; the workbook keeps two).
RATE_DECIMALS = 1


def fmt_rate(value: Any, digits: int = RATE_DECIMALS) -> str:
    """A fraction as a percentage with one decimal on the page: 0.0664 -> '6.6%'; '' when missing."""
    return _fmt_rate(value, digits)

#: Series of the headline targets, in the order the summary table shows them (then every binding target).
HEADLINE_SERIES = ("gdp", "tourism_arrivals", "tourism_revenue", "urbanisation_rate", "rd_intensity",
                   "disposable_income_per_capita")

#: Code columns drawn as coloured badges.
BADGE_COLUMNS = frozenset({"verdict", "status", "severity"})
#: Tables longer than this are collapsed in ``<details>``.
COLLAPSE_ROWS = 12

#: Width of the page's content [CSS px]: the body's 1,200 px less 24 px padding each side.
PAGE_PX = 1152
#: Gap between two charts of a row [CSS px].
GAP_PX = 10
#: Width a chart is shown at, two to a row, and across the page [CSS px] (at a viewport of 1,248 px or more).
HALF_PX = (PAGE_PX - GAP_PX) // 2
WIDE_PX = PAGE_PX


class ChartPng(bytes):
    """A chart's PNG with what it takes to know its type size on the page: the smallest font size of
    its texts ``smallest_pt`` [pt] and the resolution it was written at ``dpi`` [dots per inch]. Shown
    ``w`` CSS px wide from an image ``W`` px wide, its smallest text measures
    ``smallest_pt * dpi / 72 * w / W`` CSS px."""

    smallest_pt: float
    dpi: float

    def __new__(cls, data: bytes, smallest_pt: float = float("nan"), dpi: float = float("nan")) -> "ChartPng":
        obj = super().__new__(cls, data)
        obj.smallest_pt, obj.dpi = float(smallest_pt), float(dpi)
        return obj


# ---------------------------------------------------------------------------- formatting
def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt_pp(value: Any, lang: str) -> str:
    """Percentage points with a sign: 1.0 -> '+1.00 pp' ('+1.00个百分点' in Chinese)."""
    if _missing(value):
        return ""
    sep = " " if lang == "en" else ""
    return f"{float(value):+.2f}{sep}{text('pp', lang)}"


def fmt_value(value: Any, unit: Any = "") -> str:
    """A value with its unit, its decimals by the unit (:func:`~xiangxi_econ._format.fmt_quantity`):
    889.5亿元, 55.24%, 26,500元."""
    return fmt_quantity(value, unit)


def fmt_target(value: Any, unit: Any, bound: Any, lang: str) -> str:
    """A target with its bound: 'at least 1.2亿人次' / '1.2亿人次以上'."""
    shown = fmt_value(value, unit)
    word = label(bound, lang) if isinstance(bound, str) and bound not in ("", "exact") else ""
    if not word or not shown:
        return shown
    return f"{shown}{word}" if lang == "zh" else f"{word} {shown}"


def _pace(rate: Any, pp: Any, lang: str) -> str:
    """One pace cell: a growth rate in % or a change in pp, whichever the row has."""
    return fmt_rate(rate) if not _missing(rate) else fmt_pp(pp, lang)


def badge(code: Any, lang: str) -> Html:
    """A coloured badge for a verdict, status or severity code."""
    if _missing(code) or code == "":
        return Html("")
    return Html(f"<span class='b {esc(TONES.get(str(code), 'na'))}'>{esc(label(str(code), lang))}</span>")


def prob_badge(p: Any) -> Html:
    """Probability as a badge: green from 80%, amber from 50%, red below."""
    if _missing(p):
        return Html("")
    tone = "good" if p >= 0.8 else "warn" if p >= 0.5 else "bad"
    return Html(f"<span class='b {tone}'>{esc(f'{float(p) * 100:.0f}%')}</span>")


# ---------------------------------------------------------------------------- building blocks
#: How a display column is made from a row: (header key, numeric, cell function). A cell function
#: returns plain text (escaped by :func:`table`) or :class:`Html` it built from escaped parts.
Cell = Callable[[Any, str], str]


def _name_cell(row: Any, lang: str) -> Html:
    ident = getattr(row, "indicator_id", "")
    return Html(f"{esc(row.name)}<br><code>{esc(ident)}</code>") if ident else esc(row.name)


def _column(key: str) -> tuple[str, bool, Cell]:
    """Header key, numeric?, and cell builder of a display column key."""
    special: dict[str, tuple[str, bool, Cell]] = {
        "name": ("name", False, _name_cell),
        "base_value": ("base_value", True, lambda r, lang: fmt_value(r.base_value, r.unit)),
        "target_value": ("target_value", True, lambda r, lang: fmt_target(r.target_value, r.unit, r.bound, lang)),
        "latest_value": ("latest_value", True, lambda r, lang: fmt_value(r.latest_value, r.unit)),
        "outcome_value": ("outcome_value", True, lambda r, lang: fmt_value(r.outcome_value, r.unit)),
        "required": ("required", True, lambda r, lang: _pace(r.required_rate, r.required_pace_pp, lang)),
        "historical": ("historical", True, lambda r, lang: _pace(r.historical_rate, r.historical_pace_pp, lang)),
        "achieved": ("achieved", True, lambda r, lang: _pace(r.achieved_rate, r.achieved_pace_pp, lang)),
        "probability": ("probability", True, lambda r, lang: prob_badge(r.probability)),
        "probability_as_of": ("probability", True, lambda r, lang: prob_badge(r.probability_as_of)),
        "q05": ("q05", True, lambda r, lang: fmt_value(r.q05, r.unit)),
        "q50": ("q50", True, lambda r, lang: fmt_value(r.q50, r.unit)),
        "q95": ("q95", True, lambda r, lang: fmt_value(r.q95, r.unit)),
        "spread": ("spread_source", False, lambda r, lang: r.spread),
        "attribute": ("attribute", False, lambda r, lang: esc(label(r.attribute, lang)) if r.attribute else ""),
        "met": ("met", False, lambda r, lang: badge("met" if r.met is True else "not_met" if r.met is False
                                                    else None, lang)),
        "outcome_method": ("outcome_method", False, lambda r, lang: esc(label(r.outcome_method, lang))),
        "caveat": ("caveat", False, _caveat_cell),
        "source": ("source", False, lambda r, lang: cite(r.source)),
    }
    if key in special:
        return special[key]
    if key in BADGE_COLUMNS:
        return key, False, lambda r, lang: badge(getattr(r, key), lang)
    if key in RATE_COLUMNS:
        return key, True, lambda r, lang: fmt_rate(getattr(r, key))
    if key in PP_COLUMNS:
        return key, True, lambda r, lang: fmt_pp(getattr(r, key), lang)
    if key in RATIO_COLUMNS:
        return key, True, lambda r, lang: fmt_ratio(getattr(r, key))
    return key, False, lambda r, lang: _plain(getattr(r, key))


#: A caveat longer than this [characters; a Chinese character counts two] is folded under its first words.
CAVEAT_SHOWN = 60


def _caveat_cell(r: Any, lang: str) -> Html:
    """The caveat of an evaluated target and, for a derived outcome, its formula, in ``lang``; a long
    one folded under its first words (it prints open)."""
    zh = lang == "zh"
    parts = [getattr(r, "caveat_zh" if zh else "caveat", ""), getattr(r, "outcome_formula_zh" if zh else
                                                                      "outcome_formula", ""),
             getattr(r, "stated_rate_note_zh" if zh else "stated_rate_note", "")]
    whole = ("；" if zh else "; ").join(str(p) for p in parts if isinstance(p, str) and p)
    return folded(whole, CAVEAT_SHOWN)


def folded(whole: str, width: int) -> Html:
    """``whole`` as is when short, else a closed ``<details>`` whose summary is its first words
    (``width`` columns, cut at a word) and whose body is the whole text."""
    from .._format import fit

    head = fit(whole, width).rstrip()
    if head == whole:
        return esc(whole)
    return Html(f"<details class='cell'><summary>{esc(head)}</summary>{esc(whole)}</details>")


def fill(key: str, lang: str, markup: dict[str, Html], **fields: Any) -> Html:
    """The text ``key`` in ``lang`` with ``fields`` as text (escaped) and ``markup`` fields as the
    markup given (already escaped: a ``<code>`` id, a ``<cite>`` reference)."""
    holders = {k: f"@@{k}@@" for k in markup}
    out = str(esc(text(key, lang, **fields, **holders)))
    for k, value in markup.items():
        out = out.replace(holders[k], str(esc(value)))
    return Html(out)


def code(value: Any) -> Html:
    """An identifier (a method, module or column id) as ``<code>``."""
    return Html(f"<code>{esc(value)}</code>")


def cite(value: Any) -> Html:
    """A citation (a source, a published reference) as ``<cite>``."""
    return Html(f"<cite>{esc(value)}</cite>") if not _missing(value) and str(value) else Html("")


_ID_TOKEN = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:[._][A-Za-z0-9]+)+\b")


def ids_as_code(value: Any) -> Html:
    """``value`` escaped, with every identifier in it (a token with an underscore, such as
    ``xiangxi_econ.probability.reference_shares`` or ``target_models``) set as ``<code>``."""
    escaped = str(esc(value))
    return Html(_ID_TOKEN.sub(lambda m: f"<code>{m.group(0)}</code>" if "_" in m.group(0) else m.group(0),
                              escaped))


def _plain(value: Any) -> Html:
    if isinstance(value, float) and not _missing(value):
        return esc(num(value))
    return esc(value)


#: Extra display headers (not frame columns): combined pace columns.
_PACE_HEADERS = {"required": ("required pace a year", "所需年均速度"),
                 "historical": ("historical pace a year", "历史年均速度"),
                 "achieved": ("achieved pace a year", "实际年均速度")}


def col_header(key: str, lang: str) -> str:
    """Human header of a display column (units in the header where they are fixed)."""
    if key in _PACE_HEADERS:
        en, zh = _PACE_HEADERS[key]
        return zh if lang == "zh" else en
    return header(key, lang)


def table(frame: pd.DataFrame, columns: Iterable[str], lang: str, cls: str = "",
          headers: dict[str, str] | None = None) -> Html:
    """An HTML table of ``frame``'s rows in display ``columns``: human headers (``headers`` overriding
    some), formatted numbers right-aligned, codes as badges; every cell passes through
    :func:`~xiangxi_econ._format.esc`."""
    specs = [(key, *_column(key)) for key in columns]
    given = headers or {}
    head = "".join(f"<th{' class=n' if numeric else ''}>{esc(given.get(key) or col_header(h, lang))}</th>"
                   for key, h, numeric, _f in specs)
    rows = []
    for row in frame.itertuples(index=False):
        cells = "".join(f"<td{' class=n' if numeric else ''}>{esc(cell(row, lang))}</td>"
                        for _key, _h, numeric, cell in specs)
        rows.append(f"<tr>{cells}</tr>")
    return Html(f"<table class='t {esc(cls)}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def fold(inner: Html, n_rows: int, lang: str, label_key: str = "show_table") -> Html:
    """``inner`` as is for short tables, inside a closed ``<details>`` for long ones."""
    if n_rows <= COLLAPSE_ROWS:
        return esc(inner)
    return Html(f"<details><summary>{esc(text(label_key, lang, n=n_rows))}</summary>{esc(inner)}</details>")


def img(png: bytes, alt: str, wide: bool = False) -> Html:
    """A chart embedded as base64 PNG, with alt text (and, for a :class:`ChartPng`, its smallest font
    size [pt] and resolution [dpi] as ``data-font-pt`` and ``data-dpi``)."""
    data = base64.b64encode(png).decode("ascii")
    sizes = ""
    if isinstance(png, ChartPng) and png.smallest_pt == png.smallest_pt:
        sizes = f" data-font-pt='{esc(f'{png.smallest_pt:g}')}' data-dpi='{esc(f'{png.dpi:g}')}'"
    return Html(f"<figure{' class=wide' if wide else ''}><img alt='{esc(alt)}'{sizes} "
                f"src='data:image/png;base64,{data}'></figure>")


def chart_alt(name: str, names: dict[str, str], lang: str) -> str:
    """Alt text of a chart from its file name (``outcome_gdp``, ``fan_gdp``, ``pace_rate`` ...)."""
    for prefix in ("outcome_", "fan_", "outlook_"):
        if name.startswith(prefix):
            ident = name[len(prefix):]
            return text(f"alt_{prefix[:-1]}", lang, name=names.get(ident, ident))
    return text(f"alt_{name}", lang)


def charts_grid(charts: dict[str, bytes], keys: Iterable[str], names: dict[str, str], lang: str,
                cls: str = "") -> Html:
    """Charts side by side (a grid that wraps), '' when none of ``keys`` was drawn; ``cls='two'``
    for two charts a row."""
    figs = [img(charts[k], chart_alt(k, names, lang)) for k in keys if k in charts]
    return Html(f"<div class='charts {esc(cls)}'>{''.join(figs)}</div>" if figs else "")


def _names(an: Analysis, lang: str) -> dict[str, str]:
    """indicator_id (and series_id) -> name in ``lang``."""
    ind = an.plan.indicators
    shown = [display_name(e, z, k, u, lang) for e, z, k, u in
             zip(ind["name_en"], ind["name_zh"], ind["kind"], ind["unit"], strict=True)]
    out = dict(zip(ind["series_id"], shown, strict=True)) if "series_id" in ind else {}
    out.update(zip(ind["indicator_id"], shown, strict=True))
    return {k: str(v) for k, v in out.items() if not _missing(v)}


def join(parts: Iterable[Any]) -> Html:
    """Fragments one after another, each through :func:`~xiangxi_econ._format.esc` (markup kept,
    text escaped)."""
    return Html("".join(esc(p) for p in parts))


def _section(ident: str, title: str, body: Html) -> Html:
    return Html(f"<section id='{esc(ident)}'><h2>{esc(title)}</h2>{esc(body)}</section>")


# ---------------------------------------------------------------------------- executive summary
def headline_frame(an: Analysis, lang: str) -> pd.DataFrame:
    """The headline targets: the six headline series and every binding target, one row per target
    (rows flagged ``stated_twice`` left out), joined to their outcome and probability."""
    a = an.assessment.to_frame(lang)
    pick = a["series_id"].isin(HEADLINE_SERIES) | (a["attribute"] == "binding")
    a = a[pick & ~a["stated_twice"].eq(True)]
    order = {s: i for i, s in enumerate(HEADLINE_SERIES)}
    a = a.assign(_order=a["series_id"].map(order).fillna(len(order))).sort_values("_order", kind="stable")
    e = an.evaluation.to_frame(lang)
    keep = [c for c in ("indicator_id", "latest_year", "latest_value", "completion", "status", "achieved_rate",
                        "achieved_pace_pp") if c in e.columns]
    out = a.drop(columns=["_order"]).merge(e[keep], on="indicator_id", how="left") if len(e) else a.assign(
        latest_year=pd.NA, latest_value=float("nan"), completion=float("nan"), status=None)
    sim = an.simulation.table
    prob = sim.set_index("indicator_id")["probability"] if "probability" in sim.columns else pd.Series(dtype=float)
    return out.assign(probability=out["indicator_id"].map(prob)).reset_index(drop=True)


def short_name(name: Any) -> str:
    """A Chinese indicator name without its trailing unit in parentheses: '森林覆盖率（%）' -> '森林覆盖率'
    (the unit is printed with every value)."""
    text_ = str(name)
    if text_.endswith("）") and "（" in text_:
        return text_[:text_.rindex("（")]
    return text_


def _outcome_cell(row: Any, year: int, lang: str) -> Html:
    if _missing(row.latest_value):
        return Html(f"<span class='muted'>{esc(text('no_outcome', lang))}</span>")
    other = "" if int(row.latest_year) == year else f" ({int(row.latest_year)})"
    return esc(fmt_value(row.latest_value, row.unit) + other)


def _headline_cells(r: Any, years: tuple[int, int], lang: str) -> list[str]:
    """The cells of a headline row: plain text or :class:`Html` (escaped by the table)."""
    tag = f" <span class='tag'>{esc(label('binding', lang))}</span>" if r.attribute == "binding" else ""
    name = short_name(r.name) if lang == "zh" else r.name
    when = "" if int(r.target_year) == years[0] else f" ({int(r.target_year)})"
    return [Html(f"{esc(name)}{tag}"), fmt_target(r.target_value, r.unit, r.bound, lang) + when,
            _outcome_cell(r, years[1], lang), fmt_rate(r.completion, 1), badge(r.status, lang),
            badge(r.verdict, lang), prob_badge(r.probability)]


#: Columns of the headline table right-aligned (numbers).
_HEADLINE_NUMERIC = (1, 2, 3, 6)


def headline_table(frame: pd.DataFrame, lang: str, as_of: int | None = None) -> Html:
    """The compact summary table: target, outcome, distance covered, status, ex-ante verdict,
    probability as of ``as_of`` (default: the base year of the targets); a column with nothing in it (no
    outcomes, no simulation) is left out."""
    numeric = frame[frame["target_value"].notna()]
    target_year = int(numeric["target_year"].mode().iloc[0]) if len(numeric) else 0
    base = int(numeric["base_year"].mode().iloc[0]) if len(numeric) and "base_year" in numeric else None
    as_of = base if as_of is None else as_of
    outcome_year = int(numeric["latest_year"].max()) if numeric["latest_year"].notna().any() else target_year
    heads = [header("name", lang), text("target_in", lang, year=target_year),
             text("outcome_in", lang, year=outcome_year), header("completion", lang), header("status", lang),
             header("ex_ante", lang), text("probability_as_of_base" if as_of == base else "probability_as_of", lang,
                                           year=as_of)]
    cells = [_headline_cells(r, (target_year, outcome_year), lang) for r in numeric.itertuples(index=False)]
    empty = {2: numeric["latest_value"].isna().all()}
    keep = [j for j in range(len(heads)) if not empty.get(j) and any(row[j] for row in cells)]

    def tr(values: list[str], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}{' class=n' if j in _HEADLINE_NUMERIC else ''}>{esc(values[j])}</{tag}>"
                                for j in keep) + "</tr>"

    head = tr(heads, "th")
    out = (f"<table class='t headline'><thead>{head}</thead><tbody>{''.join(tr(c, 'td') for c in cells)}</tbody>"
           "</table>")
    without = frame[frame["target_value"].isna()]
    if len(without):
        sep = "、" if lang == "zh" else ", "
        names = sep.join(map(str, without["name"]))
        out += f"<p class='note'>{esc(text('binding_without_number', lang, n=len(without), names=names))}</p>"
    return Html(out)


def _judged(an: Analysis) -> pd.DataFrame:
    t = an.evaluation.table
    return t[~t["stated_twice"].eq(True)] if len(t) and "stated_twice" in t else t


def finding_tally(an: Analysis, lang: str) -> str | None:
    """How many targets with an outcome were met, missed, not comparable."""
    t = _judged(an)
    if not len(t):
        return None
    met = int(t["status"].isin(("met", "exceeded")).sum())
    missed = int((t["status"] == "not_met").sum())
    broken = int((t["status"] == "not_comparable").sum())
    k = len(t) - met - missed - broken  # mid-term words: ahead, in line, lagging, within the ceiling ...
    rest = text("f_tally_rest", lang, k=k) if k else ""
    return text("f_tally", lang, n=len(t), year=int(t["latest_year"].max()), met=met, missed=missed,
                broken=broken, rest=rest)


def finding_growth(an: Analysis, lang: str) -> str | None:
    """GDP (else the first growth target with an outcome): how far, how fast against the pace required."""
    t = _judged(an)
    if not len(t):
        return None
    t = t[t["achieved_rate"].notna() & t["required_rate"].notna()]
    if not len(t):
        return None
    gdp = t[t["series_id"] == "gdp"]
    r = (gdp if len(gdp) else t).iloc[0]
    name = _shown_name(r, lang)
    return text("f_growth", lang, name=name, value=fmt_value(r["latest_value"], r["unit"]), year=int(r["latest_year"]),
                share=fmt_rate(r["completion"], 1), base=num(r["base_value"]),
                target=fmt_value(r["target_value"], r["unit"]), achieved=fmt_rate(r["achieved_rate"]),
                required=fmt_rate(r["required_rate"]))


def finding_foresight(an: Analysis, lang: str) -> str | None:
    """Targets the ex-ante assessment called on track that were missed."""
    t = _judged(an)
    if not len(t):
        return None
    a = an.assessment.table.set_index("indicator_id")
    # a verdict resting on a pace across a statistical break is not counted (there is none: not_comparable)
    missed = t[(t["status"] == "not_met") & t["indicator_id"].map(a["verdict"]).isin(
        ("on_track", "significant_progress", "already_met"))]
    if not len(missed):
        return None
    sep = "、" if lang == "zh" else ", "
    return text("f_foresight", lang, n=len(missed), names=sep.join(_shown_name(r, lang) for _, r in missed.iterrows()))


def _shown_name(r: Any, lang: str) -> str:
    """A row's display name (:func:`~xiangxi_econ.i18n.display_name`) in a sentence: in Chinese
    without the trailing unit, which the sentence gives with each value."""
    name = display_name(r.get("name_en"), r.get("name_zh"), r.get("kind", ""), r.get("unit", ""), lang)
    return short_name(name) if lang == "zh" else name


def _finding_number(value: float, unit: str, lang: str = "en") -> str:
    unit = finding_unit(unit, lang)
    shown = num(round(float(value), 2))
    return f"{shown}{unit}" if unit.startswith("%") or not unit.isascii() else f"{shown} {unit}"


def finding_contradiction(an: Analysis, lang: str) -> str | None:
    """The first high-severity contradiction, with its numbers."""
    found = [f for f in an.consistency.findings if f.severity == "high"] or list(an.consistency.findings)
    if not found:
        return None
    f = found[0]
    explanation = finding_text(f.check, lang) or f.explanation.split(". ")[0] + "."
    return text("f_contradiction", lang, explanation=explanation, stated=_finding_number(f.stated_value, f.unit, lang),
                implied=_finding_number(f.implied_value, f.unit, lang))


def finding_record(an: Analysis, lang: str) -> str | None:
    """The previous plan against this one: targets met and median pace delivered."""
    table_ = an.comparison.table
    rows = table_[table_["group"] == "all"] if len(table_) else table_
    if len(rows) < 2:
        return None
    prev, this = rows.iloc[0], rows.iloc[-1]
    return text("f_record", lang, prev=prev["plan"], met_prev=int(prev["met"]), n_prev=int(prev["judged"]),
                share_prev=fmt_rate(prev["share_met"], 0), med_prev=fmt_ratio(prev["median_delivery"]),
                this=this["plan"], met=int(this["met"]), n=int(this["judged"]), share=fmt_rate(this["share_met"], 0),
                med=fmt_ratio(this["median_delivery"]))


def finding_probability(an: Analysis, lang: str) -> str | None:
    """Without outcomes: the simulated chance of the GDP (else first) target."""
    sim = an.simulation.to_frame(lang)
    if not len(sim) or "probability" not in sim.columns:
        return None
    gdp = sim[sim["indicator_id"] == "gdp"]
    r = (gdp if len(gdp) else sim).iloc[0]
    return text("f_probability", lang, name=r["name"], p=fmt_rate(r["probability"], 0))


def finding_verdicts(an: Analysis, lang: str) -> str | None:
    """The ex-ante verdicts counted, most frequent first."""
    verdicts = an.assessment.table["verdict"]
    verdicts = verdicts[verdicts != "not_assessable"]
    if not len(verdicts):
        return None
    sep = "，" if lang == "zh" else ", "
    counts = sep.join(f"{label(code, lang)} {n}" for code, n in verdicts.value_counts().items())
    return text("f_verdicts", lang, n=len(verdicts), counts=counts)


def key_findings(an: Analysis, lang: str) -> list[str]:
    """Three to five sentences computed from the results, most important first."""
    makers = (finding_tally, finding_growth, finding_foresight, finding_contradiction, finding_record,
              finding_probability, finding_verdicts)
    out = [s for s in (make(an, lang) for make in makers) if s]
    return out[:5]


def summary_html(an: Analysis, lang: str) -> Html:
    """The first screen: headline table, then the key findings."""
    items = join(Html(f"<li>{esc(s)}</li>") for s in key_findings(an, lang))
    findings = Html(f"<h3>{esc(text('key_findings', lang))}</h3><ol class='findings'>{items}</ol>" if items else "")
    return Html(f"<section id='summary'><h2 class='first'>{esc(text('headline_targets', lang))}</h2>"
                f"{esc(headline_table(headline_frame(an, lang), lang, as_of_year(an)))}{esc(findings)}</section>")


# ---------------------------------------------------------------------------- sections
def outcome_section(an: Analysis, charts: dict[str, bytes], lang: str) -> Html | None:
    """Outcome of the plan: observed paths, the evaluation table, targets without an outcome."""
    e = an.evaluation.to_frame(lang)
    if not len(e):
        return None
    names = _names(an, lang)
    e = e[~e["stated_twice"].eq(True)]
    body = [Html(f"<p>{esc(an.evaluation.summary(lang).splitlines()[0])}</p>"),
            charts_grid(charts, sorted(k for k in charts if k.startswith("outcome_")), names, lang),
            table(e, ["name", "base_value", "target_value", "latest_year", "latest_value", "outcome_method",
                      "completion", "achieved", "required", "delivery_ratio", "status", "attribute", "caveat"], lang)]
    missing = an.evaluation.missing
    if len(missing):
        m = missing.assign(name=missing[f"name_{lang}"])
        if lang == "zh" and "reason_zh" in m.columns:
            m = m.assign(reason=m["reason_zh"])
        inner = table(m, ["name", "attribute", "reason"], lang)
        body.append(Html(f"<details><summary>{esc(text('not_evaluated', lang, n=len(m)))}</summary>{esc(inner)}"
                         "</details>"))
    return _section("outcome", text("sec_outcome", lang, period=an.plan.periods.plan_label), join(body))


def _feasibility_intro(an: Analysis, lang: str) -> Html:
    """What was assessed, in a sentence, and the verdicts as a small table (code badge, count), most
    frequent first; a target stated twice counts once."""
    lines = an.assessment.summary(lang).split("\n\n")[0].splitlines()
    t = an.assessment.table
    once = t[~t["stated_twice"].astype(bool)] if "stated_twice" in t.columns else t
    counts = once["verdict"].astype(str).value_counts()
    rows = join(Html(f"<tr><td>{esc(badge(code, lang))}</td><td class=n>{esc(int(n))}</td></tr>")
                for code, n in counts.items())
    table_ = (f"<table class='t counts'><thead><tr><th>{esc(header('verdict', lang))}</th>"
              f"<th class=n>{esc(text('n_targets', lang))}</th></tr></thead><tbody>{esc(rows)}</tbody></table>")
    return Html(f"<p>{esc(lines[0] if lines else '')}</p>{table_}")


def feasibility_section(an: Analysis, charts: dict[str, bytes], lang: str) -> Html:
    """Feasibility: required against historical pace and the ex-ante verdicts."""
    a = an.assessment.to_frame(lang)
    body = [_feasibility_intro(an, lang), charts_grid(charts, ("pace_rate", "pace_pp"), {}, lang, "two"),
            fold(table(a, ["name", "base_value", "target_value", "required", "historical", "ratio", "verdict",
                           "attribute", "source"], lang), len(a), lang)]
    return _section("feasibility", text("sec_feasibility", lang), join(body))


def _finding_card(f: Any, i: int, names: dict[str, str], lang: str) -> Html:
    who = ("、" if lang == "zh" else ", ").join(names.get(x, x) for x in f.indicators)
    short = finding_text(f.check, lang)
    explained_zh = str(getattr(f, "explanation_zh", "") or "")
    if lang == "zh" and explained_zh:
        words = f"<p>{esc(explained_zh)}</p>"
    elif lang == "zh":
        words = (f"<p>{esc(short)}{esc(header('stated', lang))}{esc(_finding_number(f.stated_value, f.unit, lang))}，"
                 f"{esc(header('implied', lang))}{esc(_finding_number(f.implied_value, f.unit, lang))}。</p>")
    else:
        words = f"<p>{esc(f.explanation)}</p>"
    return Html(f"<div class='finding {esc(f.severity)}'><b>{esc(i)}. {esc(badge(f.severity, lang))} "
                f"{esc(label(f.kind, lang))} · {esc(who)}</b>{esc(Html(words))}"
                f"<p class='arith'>{esc(_arithmetic(f, lang))}</p></div>")


def _arithmetic(f: Any, lang: str) -> str:
    """The arithmetic line of a finding: the checker's own formula text (its Chinese where the finding
    carries one), else in Chinese the stated and implied numbers and their difference."""
    if lang != "zh":
        return f"{text('arithmetic', lang)}: {f.stated} → {f.implied}"
    if getattr(f, "stated_zh", "") and getattr(f, "implied_zh", ""):
        return f"{text('arithmetic', lang)}：{f.stated_zh} → {f.implied_zh}"
    diff = float(f.implied_value) - float(f.stated_value)
    return text("arithmetic_numbers", lang, stated=_finding_number(f.stated_value, f.unit, lang),
                implied=_finding_number(f.implied_value, f.unit, lang),
                difference=_finding_number(diff, f.unit, lang))


def contradictions_section(an: Analysis, charts: dict[str, bytes], lang: str) -> Html:
    """Contradictions between targets: high severity shown, the others collapsed by severity."""
    findings = list(an.consistency.findings)
    names = _names(an, lang)
    if not findings:
        none = Html(f"<p>{esc(text('no_contradictions', lang))}</p>")
        return _section("contradictions", text("sec_contradictions", lang), none)
    body = [charts_grid(charts, ("tourism",), names, lang)]
    numbered = list(enumerate(findings, 1))
    body += [_finding_card(f, i, names, lang) for i, f in numbered if f.severity == "high"]
    for level in ("medium", "low"):
        cards = [_finding_card(f, i, names, lang) for i, f in numbered if f.severity == level]
        if cards:
            title = text("show_more_findings", lang, n=len(cards), severity=label(level, lang))
            body.append(Html(f"<details><summary>{esc(title)}</summary>{join(cards)}</details>"))
    return _section("contradictions", text("sec_contradictions", lang), join(body))


def scenarios_section(an: Analysis, charts: dict[str, bytes], lang: str) -> Html | None:
    """Scenarios and the simulated probability of meeting each target."""
    s = an.simulation.to_frame(lang)
    if not len(s) and "target_paths" not in charts:
        return None
    names = _names(an, lang)
    body: list[Html] = []
    if "target_paths" in charts:
        body.append(img(charts["target_paths"], chart_alt("target_paths", names, lang), wide=True))
    body.append(charts_grid(charts, sorted(k for k in charts if k.startswith("fan_")), names, lang))
    if len(s):
        year = as_of_year(an)
        body.append(Html(f"<p class='note'>{esc(text('probability_as_of_note', lang, year=year))}</p>"))
        s = s.assign(probability_as_of=s["probability"], spread=[spread_text(r, lang) for r in s.itertuples()])
        cols = ["name", "target_value", "q05", "q50", "q95", "probability_as_of", "spread"]
        shown = table(s, cols, lang, headers={"probability_as_of": text("probability_as_of", lang, year=year)})
        body.append(fold(shown, len(s), lang))
    outlook = sorted(k for k in charts if k.startswith("outlook_"))
    if outlook:
        latest = an.latest_year
        grid = charts_grid(charts, outlook, names, lang)
        years = {"start": latest, "end": latest + 5}
        body.append(Html(f"<details><summary><b>{esc(text('outlook_title', lang, **years))}</b> "
                         f"{esc(text('show_charts', lang, n=len(outlook)))}</summary>"
                         f"<p>{esc(text('outlook_text', lang, **years))}</p>{esc(grid)}</details>"))
    return _section("scenarios", text("sec_scenarios", lang), join(body))


def as_of_year(an: Analysis) -> int:
    """The year the probabilities were made as of: the simulation's ``as_of_year``, else the rows'
    ``origin_year`` (one year), else the plan's base year."""
    settings = getattr(an.simulation, "settings", {}) or {}
    given = settings.get("as_of_year")
    if given not in (None, ""):
        return int(given)
    t = an.simulation.table
    if "origin_year" in t.columns and t["origin_year"].notna().any():
        years = t["origin_year"].dropna().astype(int).unique()
        if len(years) == 1:
            return int(years[0])
    return int(an.plan.periods.base_year)


def spread_text(r: Any, lang: str) -> str:
    """Where a row's spread comes from: its reference class and what the spread was estimated on (or
    that it is assumed), from the row's ``spread_source``; the trend engine's ``volatility_source``
    for a row without one."""
    from ..i18n import CLASS_NAMES

    source = getattr(r, "spread_source", "")
    if not isinstance(source, str) or not source:
        old = getattr(r, "volatility_source", "")
        return volatility_source(old, lang) if isinstance(old, str) and old else ""
    code = getattr(r, "series_class", "")
    cls = CLASS_NAMES.get(str(code), ("", ""))[1 if lang == "zh" else 0] if isinstance(code, str) else ""
    if lang != "zh":
        return f"{cls}: {source}" if cls else source
    import re

    n = re.search(r"\bn=([\d,]+)", source)
    n_text = f"（n={n.group(1)}）" if n else ""
    key = "spread_assumed_zh" if source.startswith("assumed") else "spread_estimated_zh"
    return text(key, lang, cls=cls or "—", n=n_text)


def record_section(an: Analysis, charts: dict[str, bytes], lang: str) -> Html | None:
    """Track record: the two plans side by side, then the previous plan's targets."""
    comp, rec = an.comparison.table, an.track_record.to_frame(lang)
    if len(comp):
        comp = comp[comp["judged"] > 0]
    if not len(comp) and not len(rec):
        return None
    body = [charts_grid(charts, ("plan_comparison",), {}, lang)]
    if len(comp):
        c = comp.assign(group=[label(g, lang) for g in comp["group"]], met_count=comp["met"])
        body.append(table(c, ["plan", "group", "judged", "met_count", "share_met", "median_delivery"], lang))
    if len(rec):
        body.append(fold(table(rec, ["name", "base_value", "target_value", "outcome_value", "required", "achieved",
                                     "ratio", "met"], lang), len(rec), lang))
    return _section("record", text("sec_record", lang), join(body))


def _verdict_rules(an: Analysis, lang: str) -> Html:
    from ..rules.verdicts import METHODS

    spec = METHODS[an.method]
    measure = text(f"measure_{spec.measure}", lang)
    rules = [text("cutoff_row", lang, verdict=label(cat, lang), measure=measure, cut=f"{cut:g}")
             for cat, cut in zip(spec.categories[:-1], spec.cutoffs, strict=True)]
    rules.append(text("cutoff_last", lang, verdict=label(spec.categories[-1], lang), cut=f"{spec.cutoffs[-1]:g}"))
    items = join(Html(f"<li>{esc(r)}</li>") for r in rules)
    method = fill("verdict_method", lang, {"method": code(spec.name), "reference": cite(spec.reference)},
                  measure=measure)
    return Html(f"<h3>{esc(text('verdict_method_title', lang))}</h3>"
                f"<p>{esc(method)}"
                f"</p><ul>{items}</ul><p>{esc(text('verdict_other', lang))}</p>")


def _columns_help(lang: str) -> Html:
    rows = join(Html(f"<dt>{esc(col_header(key, lang))}</dt><dd>{esc(zh if lang == 'zh' else en)}</dd>")
                for key, (en, zh) in COLUMN_HELP.items())
    return Html(f"<h3>{esc(text('columns_title', lang))}</h3><dl class='cols'>{rows}</dl>")


#: How each ``probability_model`` of a simulation table is named in the methods section.
_ENGINE_NAMES = {"calibrated forecast": "engine_calibrated", "trend, default spread": "engine_trend"}


def engine_methods(sim: Any, lang: str, names: dict[str, str] | None = None) -> list[str]:
    """The paragraphs that describe the engine behind the probabilities, from what ran.

    The simulation result describes itself where it can: ``sim.describe(lang)`` (a string, or a
    mapping of paragraph name to text) or ``sim.methods`` (a mapping of paragraph name to text or to
    an ``(en, zh)`` pair). Without either, the text is generated from the result: how many targets
    each engine computed (``probability_model`` of ``sim.table``), and each engine's method in
    :mod:`xiangxi_econ.i18n`.
    """
    from collections.abc import Mapping

    describe = getattr(sim, "describe", None)
    given: Any = describe(lang) if callable(describe) else getattr(sim, "methods", None)
    if isinstance(given, str) and given:
        return [given]
    if isinstance(given, Mapping) and given:
        given = dict(given)
        if "shared" in given:
            given["shared"] = joint_paragraph(sim, lang, names) or given["shared"]
        out = []
        for value in given.values():
            if isinstance(value, tuple) and len(value) == 2:
                value = value[1] if lang == "zh" else value[0]
            if value:
                out.append(str(value))
        if out:
            return out
    table_ = getattr(sim, "table", None)
    models = (table_["probability_model"].astype(str).value_counts(sort=False)
              if isinstance(table_, pd.DataFrame) and "probability_model" in table_.columns else pd.Series(dtype=int))
    sep = "；" if lang == "zh" else "; "
    counts = sep.join(text("engine_count", lang, engine=text(_ENGINE_NAMES[m], lang) if m in _ENGINE_NAMES else m,
                           n=int(n)) for m, n in models.items())
    out = [text("engine_counts", lang, counts=counts)] if counts else []
    settings = getattr(sim, "settings", {}) or {}
    if "calibrated forecast" in models.index:
        out.append(text("engine_calibrated_method", lang,
                        as_of=settings.get("as_of_year") or text("engine_as_of_base", lang)))
    raw = str(settings.get("spreads", ""))
    if not len(models) or "trend, default spread" in models.index:
        default = not raw or raw.startswith(("defaults", "trend engine: levels 0.03"))
        out.append(text("spreads_default", lang) if default or lang == "zh" else raw)
    out.append(text("probability_method", lang))
    return out


def joint_paragraph(sim: Any, lang: str, names: dict[str, str] | None = None) -> str:
    """The joint probability of the binding targets, saying how many of how many
    (``Simulation.joint_probability()``'s default: every binding target, the unsimulated ones named);
    '' when the result cannot say."""
    try:
        joint = sim.joint_probability()
    except (AttributeError, TypeError, ValueError, KeyError):
        return ""
    if not hasattr(joint, "n_asked") or joint.n_simulated < 2 or joint.what != "binding targets":
        return ""
    t = sim.table.set_index("indicator_id")
    product = float(t.loc[list(joint.ids), "probability"].astype(float).prod())
    shown = _names_of_ids(sim, list(joint.left_out), lang, names or {})
    left = text("engine_shared_left", lang, names=shown) if joint.left_out else ""
    return text("engine_shared_of", lang, n=joint.n_simulated, m=joint.n_asked, joint=f"{float(joint):.1%}",
                product=f"{product:.1%}", left=left)


def _names_of_ids(sim: Any, ids: list[str], lang: str, names: dict[str, str]) -> str:
    """Names of indicator ids in ``lang`` from the simulation's tables (the id where none is known)."""
    col = f"name_{lang}"
    known: dict[str, str] = {}
    for frame in (getattr(sim, "skipped", None), getattr(sim, "table", None)):
        if isinstance(frame, pd.DataFrame) and len(frame) and col in frame.columns:
            known.update({str(i): str(n) for i, n in zip(frame["indicator_id"], frame[col], strict=True)
                          if isinstance(n, str) and n})
    known.update(names)
    return ("、" if lang == "zh" else ", ").join(short_name(known.get(i, i)) if lang == "zh" else known.get(i, i)
                                                for i in ids)


#: A methods paragraph longer than this [characters] is shown folded under its first words.
LONG_PARAGRAPH = 600


def _spreads(an: Analysis, lang: str) -> Html:
    paragraphs = engine_methods(an.simulation, lang, _names(an, lang))
    head = text("spreads", lang, draws=f"{an.n_draws:,}", seed=an.seed, spreads="")
    shown = join(Html(f"<p>{ids_as_code(p)}</p>" if len(p) <= LONG_PARAGRAPH else
                      f"<details><summary>{esc(p[:p.find(':') + 1] if ':' in p[:80] else p[:p.find('：') + 1])} "
                      f"{esc(text('show_more', lang))}</summary><p>{ids_as_code(p)}</p></details>") for p in paragraphs)
    return Html(f"<h3>{esc(text('spreads_title', lang))}</h3><p>{esc(head.strip())}</p>{shown}"
                f"{esc(backtest_paragraph(an, lang))}")


def backtest_paragraph(an: Analysis, lang: str) -> Html:
    """How the engine's ex-ante probabilities scored on the plans' outcomes, with n, beside the trend
    baseline on the rows both have; '' when nothing could be scored."""
    bt = getattr(an, "backtest", None)
    t = getattr(bt, "table", None)
    if bt is None or t is None or not len(t) or not t["scored"].any():
        return Html("")
    s = bt.scores().set_index("plan")
    parts = [text("backtest_plan", lang, plan=p, n=int(r.n), brier=f"{r.brier_model:.3f}")
             for p, r in s.iterrows() if p != "all"]
    from ..probability.backtesting import brier_score

    both = t[t["scored"] & t["p_trend"].notna()]
    pair = (text("backtest_pair", lang, n=len(both), model=f"{brier_score(both['probability'], both['met']):.3f}",
                 trend=f"{brier_score(both['p_trend'], both['met']):.3f}") if len(both) else "")
    sep = "；" if lang == "zh" else "; "
    body = text("backtest_scores", lang, plans=sep.join(parts), pair=pair,
                unscored=int((~t["scored"]).sum()))
    return Html(f"<h3>{esc(text('backtest_title', lang))}</h3><p>{esc(body)}</p>")


def _document(meta: dict[str, str], lang: str) -> str:
    """The plan document: title, then issuer and date in brackets where known."""
    issuer = meta.get("issuer", "")
    extra = [b for b in (issuer.split(" (")[0] if lang == "zh" else issuer, meta.get("date", "")) if b]
    if not extra:
        return meta.get("title", "")
    return f"{meta.get('title', '')}（{'，'.join(extra)}）" if lang == "zh" else \
        f"{meta.get('title', '')} ({', '.join(extra)})"


def _sources(an: Analysis, meta: dict[str, str], lang: str) -> Html:
    where = text("sources", lang, document=_document(meta, lang))
    out = [Html(f"<h3>{esc(text('sources_title', lang))}</h3><p>{esc(where)}</p>")]
    observations = getattr(an.plan, "observations", None)
    breaks = getattr(observations, "breaks", None)
    if breaks is None or not len(breaks):
        out.append(Html(f"<p>{esc(text('breaks_none', lang))}</p>"))
        return join(out)
    b = breaks.assign(name=[_names(an, lang).get(s) or series_name(s, lang) for s in breaks["series_id"]],
                      description=breaks[f"description_{lang}"],
                      kind=[break_kind(str(k), lang) for k in breaks["kind"]])
    out.append(fold(table(b, ["name", "year", "kind", "description", "source"], lang), len(b), lang))
    return join(out)


def methods_section(an: Analysis, meta: dict[str, str], lang: str) -> Html:
    """Methods and definitions: columns, verdict cut-offs, simulation spreads, sources and breaks."""
    body = join((_columns_help(lang), _verdict_rules(an, lang), _spreads(an, lang), _sources(an, meta, lang)))
    return _section("methods", text("sec_methods", lang), body)


# ---------------------------------------------------------------------------- page
CSS = """
:root{--good:#1a7f37;--warn:#b54708;--bad:#c62828;--na:#6b7280;--line:#e5e7eb}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',
'PingFang SC',sans-serif;margin:0 auto;max-width:@PAGE@px;box-sizing:content-box;padding:0 24px 40px;color:#1f2328}
h1{font-size:1.45em;margin:.7em 0 .1em;line-height:1.25}
h2{font-size:1.2em;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:2px solid #d0d7de}
h2.first{margin-top:.6em}h3{font-size:1em;margin:1em 0 .3em}
.meta{color:#57606a;font-size:.85em;margin:0}
nav{font-size:.9em;margin:.4em 0 0;padding:.4em 0;border-top:1px solid var(--line);border-bottom:1px solid var(--line)}
nav a{display:inline-block;margin-right:1.2em;color:#0969da;text-decoration:none}
table.t{border-collapse:collapse;width:100%;font-size:.84em;margin:.4em 0}
table.t th,table.t td{padding:3px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;
overflow-wrap:break-word}
table.t th{position:sticky;top:0;z-index:1;background:#f3f4f6;font-weight:600;overflow-wrap:normal}
table.t .n{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal;word-break:keep-all}
table.t code{color:#6e7781;font-size:.85em;word-break:break-all}
cite{font-style:normal}
table.headline{font-size:.9em}table.headline td{padding:3px 6px}
table.headline td.n,table.headline th{white-space:nowrap}
.b{display:inline-block;padding:0 .5em;border-radius:.7em;font-size:.85em;color:#fff;background:var(--na);
white-space:nowrap;line-height:1.5}
.b.good{background:var(--good)}.b.warn{background:var(--warn)}.b.bad{background:var(--bad)}
.tag{font-size:.75em;border:1px solid #8c959f;border-radius:3px;padding:0 .3em;color:#57606a;white-space:nowrap}
.muted{color:#8c959f}.note{color:#57606a;font-size:.85em;margin:.3em 0}
ol.findings{margin:.3em 0;padding-left:1.4em}ol.findings li{margin:.2em 0}
table.counts{width:auto;min-width:18em}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:@GAP@px;margin:.4em 0}
.charts.two{grid-template-columns:1fr 1fr}
figure{margin:0}figure img{width:100%;height:auto;display:block}figure.wide{margin:.4em 0}
.finding{margin:.5em 0;padding:.3em .8em;border-left:4px solid var(--bad);background:#fafbfc}
.finding.medium{border-color:var(--warn)}.finding.low{border-color:var(--na)}
.finding p{margin:.25em 0}.arith{color:#57606a;font-size:.85em}
details{margin:.4em 0}summary{cursor:pointer;color:#0969da}
details.cell{margin:0}details.cell summary{color:inherit}
details.cell[open] summary{display:none}
dl.cols{display:grid;grid-template-columns:minmax(160px,260px) 1fr;gap:2px 12px;font-size:.88em}
dl.cols dt{font-weight:600}dl.cols dd{margin:0}
@media print{
 body{max-width:none;padding:0}nav{display:none}
 h2{break-before:page}h2.first{break-before:auto}
 table.t th{position:static}
 details>summary{display:none}details::details-content{content-visibility:visible;display:contents}
 .charts{grid-template-columns:1fr 1fr}figure,tr,.finding{break-inside:avoid}
}
""".replace("@PAGE@", str(PAGE_PX)).replace("@GAP@", str(GAP_PX))

#: Opens every ``<details>`` before printing (CSS alone cannot in every browser).
PRINT_SCRIPT = ("window.addEventListener('beforeprint',function(){"
                "document.querySelectorAll('details').forEach(function(d){d.open=true;});});")


def head_html(an: Analysis, meta: dict[str, str], lang: str) -> Html:
    """Title, issuer and date, region, and how the report was made."""
    issuer = meta.get("issuer", "")
    bits = [issuer.split(" (")[0] if lang == "zh" else issuer, meta.get("date", "")]
    region = meta.get("region_zh") if lang == "zh" and meta.get("region_zh") else meta.get("region")
    if region:
        bits.append(f"{text('region', lang)}: {region}")
    made = fill("generated", lang, {"tool": code("xiangxi_econ"), "method": code(an.method)},
                draws=f"{an.n_draws:,}", seed=an.seed)
    return Html(f"<header><h1>{esc(meta.get('shown_title', ''))}</h1>"
                f"<p class='meta'>{esc(' · '.join(b for b in bits if b))}</p><p class='meta'>{esc(made)}</p>"
                "</header>")


def toc_html(sections: list[tuple[str, str]], lang: str) -> Html:
    """Table of contents: one link per section present."""
    links = join(Html(f"<a href='#{esc(ident)}'>{esc(title)}</a>") for ident, title in sections)
    return Html(f"<nav aria-label='{esc(text('contents', lang))}'><b>{esc(text('contents', lang))}:</b> {links}"
                "</nav>")


def page(an: Analysis, charts: dict[str, bytes], meta: dict[str, str], lang: str) -> Html:
    """The whole report page.

    Parameters
    ----------
    an : Analysis
        Every number comes from its results.
    charts : dict of str to bytes
        PNG charts by name (``outcome_gdp``, ``pace_rate`` ...).
    meta : dict
        ``shown_title`` (the page title), ``title``, ``issuer``, ``date``, ``region``.
    lang : {"en", "zh"}

    Returns
    -------
    Html
        A self-contained HTML document; every text in it went through
        :func:`~xiangxi_econ._format.esc`.
    """
    built = [("outcome", outcome_section(an, charts, lang)),
             ("feasibility", feasibility_section(an, charts, lang)),
             ("contradictions", contradictions_section(an, charts, lang)),
             ("scenarios", scenarios_section(an, charts, lang)),
             ("record", record_section(an, charts, lang)),
             ("methods", methods_section(an, meta, lang))]
    present = [(ident, html_) for ident, html_ in built if html_]
    titles = {"outcome": text("sec_outcome", lang, period=an.plan.periods.plan_label),
              "feasibility": text("sec_feasibility", lang), "contradictions": text("sec_contradictions", lang),
              "scenarios": text("sec_scenarios", lang), "record": text("sec_record", lang),
              "methods": text("sec_methods", lang)}
    toc = toc_html([(ident, titles[ident]) for ident, _ in present], lang)
    body = join((head_html(an, meta, lang), toc, summary_html(an, lang), *(h for _, h in present)))
    return Html(f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
                f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
                f"<title>{esc(meta.get('shown_title', ''))}</title><style>{CSS}</style></head><body>{body}"
                f"<script>{PRINT_SCRIPT}</script></body></html>")


# ---------------------------------------------------------------------------- workbook sheets
#: Columns of the workbook's summary sheet (keys; headers in the report's language).
SUMMARY_COLUMNS = ("name", "unit", "target_year", "target_value", "bound_label", "latest_year", "latest_value",
                   "completion", "status_label", "verdict_label", "probability", "attribute_label", "indicator_id",
                   "status", "verdict")


def summary_sheet(an: Analysis, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The headline targets as a workbook sheet, and its human headers."""
    frame = headline_frame(an, lang)
    frame = frame.assign(
        name=[short_name(n) if lang == "zh" else n for n in frame["name"]],
        bound_label=[label(b, lang) if isinstance(b, str) else "" for b in frame["bound"]],
        status_label=[label(s, lang) if isinstance(s, str) else "" for s in frame["status"]],
        attribute_label=[label(a, lang) if isinstance(a, str) and a else "" for a in frame["attribute"]])
    heads = {c: header(c.removesuffix("_label"), lang) for c in SUMMARY_COLUMNS}
    heads.update(verdict_label=header("ex_ante", lang), status=f"{header('status', lang)} (code)",
                 verdict=f"{header('ex_ante', lang)} (code)")
    return frame[list(SUMMARY_COLUMNS)], heads


def notes_sheet(an: Analysis, meta: dict[str, str], lang: str) -> pd.DataFrame:
    """Definitions, verdict cut-offs, simulation spreads, sources and statistical breaks, one per row."""
    from ..rules.verdicts import METHODS

    rows = [(col_header(key, lang), zh if lang == "zh" else en) for key, (en, zh) in COLUMN_HELP.items()]
    spec = METHODS[an.method]
    measure = text(f"measure_{spec.measure}", lang)
    rows.append((text("verdict_method_title", lang),
                 text("verdict_method", lang, method=spec.name, reference=spec.reference, measure=measure)))
    rows += [(label(cat, lang), f"{measure} ≥ {cut:g}")
             for cat, cut in zip(spec.categories[:-1], spec.cutoffs, strict=True)]
    rows.append((label(spec.categories[-1], lang), f"{measure} < {spec.cutoffs[-1]:g}"))
    settings = getattr(an.simulation, "settings", {}) or {}
    raw = str(settings.get("spreads", ""))
    spreads = text("spreads_default", lang) if raw.startswith("defaults") or not raw else raw
    rows.append((text("spreads_title", lang),
                 text("spreads", lang, draws=f"{an.n_draws:,}", seed=an.seed, spreads=spreads)))
    rows.append((text("sources_title", lang), text("sources", lang, document=_document(meta, lang))))
    breaks = getattr(getattr(an.plan, "observations", None), "breaks", None)
    if breaks is not None:
        rows += [(f"{b.series_id} {b.year}", getattr(b, f"description_{lang}")) for b in breaks.itertuples()]
    return pd.DataFrame(rows, columns=[text("notes_item", lang),
                                       text("notes_text", lang)])
