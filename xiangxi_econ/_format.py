"""Colour tones and number formats in one place, shared by the terminal summaries, the report page and
the workbook (a leaf module: it imports nothing from the package, so every presentation module can
import it without a cycle).

>>> num(725.11), num(26500.0), num(1e-05), fmt_rate(0.0664), fmt_ratio(1.054211)
('725.11', '26,500', '1e-05', '6.64%', '1.05')
>>> TONES["on_track"], FILLS[TONES["not_met"]]
('good', 'F8D4D4')

Every text that reaches an HTML page (the report, a result's ``_repr_html_`` in Jupyter) goes
through one function, :func:`esc`; markup built from escaped parts is an :class:`Html` string,
which :func:`esc` passes through unchanged.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

# ---------------------------------------------------------------------------- colour tones
#: Badge colour of each verdict or status code.
TONES: dict[str, str] = {
    **dict.fromkeys(("already_met", "on_track", "significant_progress", "met", "exceeded", "met_early", "ahead",
                     "within_ceiling"), "good"),
    **dict.fromkeys(("fair_progress", "moderate_progress", "in_line", "medium"), "warn"),
    **dict.fromkeys(("limited_progress", "deterioration", "insufficient_progress", "moving_away",
                     "stagnation_or_regression", "not_met", "lagging", "breached", "high"), "bad"),
}

#: Fill colour of a verdict or status cell in the workbook, by tone.
FILLS = {"good": "D8F0DD", "warn": "FCE8CC", "bad": "F8D4D4", "na": "E8E8E8"}
CODE_COLUMNS = ("verdict", "status")


def tone(code: Any) -> str:
    """The tone of a verdict, status or severity code: 'good', 'warn', 'bad' or 'na'."""
    return TONES.get(str(code), "na")


# ---------------------------------------------------------------------------- column kinds
#: Columns that hold fractions, shown as percentages (0.0664 -> 6.64%) on the page and in the workbook.
PERCENT_COLUMNS = frozenset({
    "required_rate", "historical_rate", "reported_rate", "computed_rate", "achieved_rate", "new_required_rate",
    "covered_share", "probability", "probability_reference", "probability_change", "mc_se", "time_share",
    "completion", "remaining_rate", "centre_rate", "reference_centre_rate", "share_met",
})
#: The same set under the name the report page uses.
RATE_COLUMNS = PERCENT_COLUMNS
#: Columns in percentage points a year, shown as +1.00 pp.
PP_COLUMNS = frozenset({"required_pace_pp", "historical_pace_pp", "achieved_pace_pp", "new_required_pace_pp",
                        "remaining_pace_pp", "centre_pp", "computed_pace_pp", "discrepancy_pp"})
#: Columns holding ratios, shown with two decimals.
RATIO_COLUMNS = frozenset({"ratio", "delivery_ratio", "median_delivery", "new_vs_achieved", "completion_vs_time"})
#: Values printed in the plan or published (725.11, 55 for 55%): written as they are, General format.
PLAIN_COLUMNS = frozenset({"base_value", "target_value", "latest_value", "outcome_value", "stated_value",
                           "start_value", "end_value", "value", "stated_change_value", "year", "base_year",
                           "target_year", "latest_year", "years"})
#: Excel format of percentage points.
PP_FORMAT = '+0.00" pp";-0.00" pp";0.00" pp"'


# ---------------------------------------------------------------------------- number formats
def excel_number_format(col: str, values: pd.Series) -> str | None:
    """Excel number format of a column: percent, pp, ratio, rounded number, or None (General)."""
    if col in PERCENT_COLUMNS:
        return "0.00%"
    if col in PP_COLUMNS:
        return PP_FORMAT
    if col in RATIO_COLUMNS:
        return "0.00"
    if col in PLAIN_COLUMNS or not pd.api.types.is_float_dtype(values):
        return None
    biggest = values.abs().max()
    return "#,##0.00" if pd.notna(biggest) and biggest >= 1 else "0.0000"


def _columns(ch: str) -> int:
    import unicodedata

    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """``text`` cut and padded to ``width`` terminal columns (CJK characters take two).

    Text that does not fit is cut at the last word boundary that leaves room for an ellipsis
    (``…``), so a name never ends mid-word; text without spaces (Chinese) is cut at a character.

    >>> fit("Urbanisation rate of resident population", 37)
    'Urbanisation rate of resident…       '
    >>> fit("森林覆盖率", 6)
    '森林… '
    """
    text = str(text)
    widths = [_columns(ch) for ch in text]
    if sum(widths) > width:
        used, cut = 0, 0
        for cut, w in enumerate(widths):  # noqa: B007 - cut is the first character that does not fit
            if used + w > width - 1:
                break
            used += w
        head = text[:cut]
        if " " in head and text[cut] != " ":
            head = head[: head.rindex(" ")]
        text = head.rstrip(" ,;:-–(") + "…"
        widths = [_columns(ch) for ch in text]
    return text + " " * (width - sum(widths))


def num(value: float) -> str:
    """A number for plain-text tables: enough digits for printed plan values (725.11 stays 725.11;
    26500 shows as 26,500); only values below 0.01 or from 10^15 in size use four significant digits
    (1e-05, 1e+300); infinities print as ∞.

    >>> num(725.11), num(26500.0), num(float("inf")), num(1e300)
    ('725.11', '26,500', '∞', '1e+300')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    v = float(value)
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if abs(v) >= 1e15:  # beyond any plan's magnitude: scientific, never a 300-digit integer
        return f"{v:.4g}"
    if abs(v) >= 1000:
        return f"{v:,.0f}" if abs(v - round(v)) < 0.005 else f"{v:,.2f}"
    if 0 < abs(v) < 0.01:
        return f"{v:.4g}"
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


#: Units whose values print with one decimal: money in 亿元 / 万元 and counts in 亿 / 万 (889.5亿元).
ONE_DECIMAL_UNITS = ("亿元", "万元", "亿美元", "万美元")
#: Units of whole numbers (yuan, people, items): 24,783元.
WHOLE_UNITS = ("元", "人", "个", "家", "所", "张", "户")


def decimals_for(value: float, unit: Any) -> int:
    """Decimals a value prints with, by its unit: 亿元 and 万元 one; shares and rates in % two at
    most (55.24%, 1.82%); yuan and counts of things none; other units by size (two below 100, one
    below 10,000, none above).

    >>> decimals_for(542.8223, "亿元"), decimals_for(1.8212, "%"), decimals_for(24783.4, "元")
    (1, 2, 0)
    """
    u = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    if u in ONE_DECIMAL_UNITS:
        return 1
    if u in ("%", "‰"):
        return 2
    if u in WHOLE_UNITS:
        return 0
    size = abs(float(value))
    return 2 if size < 100 else 1 if size < 10_000 else 0


def fmt_quantity(value: Any, unit: Any = "") -> str:
    """A value with its unit, rounded by :func:`decimals_for` (trailing zeros dropped):
    542.8223亿元 -> '542.8亿元', 1.8212% -> '1.82%', 1368.11亿元 -> '1,368.1亿元'; '' when missing.

    >>> fmt_quantity(542.8223, "亿元"), fmt_quantity(1.8212, "%"), fmt_quantity(1368.11, "亿元")
    ('542.8亿元', '1.82%', '1,368.1亿元')
    >>> fmt_quantity(55.0, "%"), fmt_quantity(0.6467, "亿人次"), fmt_quantity(24783.2, "元")
    ('55%', '0.65亿人次', '24,783元')
    """
    if _missing(value):
        return ""
    v = float(value)
    if math.isinf(v) or abs(v) >= 1e15 or (0 < abs(v) < 0.01):
        shown = num(v)
    else:
        shown = f"{v:,.{decimals_for(v, unit)}f}"
        if "." in shown:
            shown = shown.rstrip("0").rstrip(".")
        shown = "0" if shown == "-0" else shown
    return f"{shown}{'' if _missing(unit) else unit}"


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt_rate(value: Any, digits: int = 2) -> str:
    """A fraction as a percentage: 0.0664 -> '6.64%'; '' when missing."""
    return "" if _missing(value) else f"{float(value) * 100:.{digits}f}%"


def fmt_ratio(value: Any) -> str:
    """A ratio with two decimals: 1.054211 -> '1.05'."""
    return "" if _missing(value) else f"{float(value):.2f}"


#: Fewest previous-plan delivery ratios that make a reference class (``montecarlo._reference_class``
#: falls back to a ratio of 1 with no spread below this, which gives about 50% for every row).
MIN_REFERENCE_ROWS = 3
#: What a reference-class cell says when there is no class (English, Chinese).
NO_REFERENCE_CLASS = ("no reference class", "无参照")


def fmt_reference(probability: Any, class_rows: int, lang: str = "en", digits: int = 1) -> str:
    """A reference-class probability, or "no reference class" (无参照) when the class is too small.

    Parameters
    ----------
    probability : float
        ``probability_reference`` of a simulated target [fraction].
    class_rows : int
        Previous-plan rows behind the class of that target (``settings["rate rows"]`` or
        ``settings["pp rows"]`` of a simulation run with ``reference_class=True``) [count].
    lang : {'en', 'zh'}
    digits : int
        Decimals of the percentage.

    >>> fmt_reference(0.5, 0), fmt_reference(0.4732, 12)
    ('no reference class', '47.3%')
    """
    if int(class_rows) < MIN_REFERENCE_ROWS:
        return NO_REFERENCE_CLASS[1] if lang == "zh" else NO_REFERENCE_CLASS[0]
    return fmt_rate(probability, digits)


# ---------------------------------------------------------------------------- HTML
class Html(str):
    """Markup: a string that is already safe in an HTML page.

    Only the page builders make one, from their own literal tags and parts that went through
    :func:`esc`; :func:`esc` returns an ``Html`` unchanged and escapes every other value, so a
    builder can pass either and text is never inserted raw.
    """

    __slots__ = ()


def esc(value: Any) -> Html:
    """The one way text enters an HTML page: ``value`` as escaped text.

    ``&``, ``<``, ``>``, ``"`` and ``'`` become character references, so the result is inert as
    element content and inside an attribute in either quote; None and NaN give ''. An
    :class:`Html` (markup the page builders made from escaped parts) is returned as it is.

    Parameters
    ----------
    value : object
        Text, a number, None, or :class:`Html`.

    Returns
    -------
    Html

    Examples
    --------
    >>> esc('<img src=x onerror="alert(1)">'), esc(float("nan")), esc(esc("a < b"))
    ('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;', '', 'a &lt; b')
    """
    if isinstance(value, Html):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Html("")
    return Html(html.escape(str(value), quote=True))


def html_table(frame: pd.DataFrame) -> Html:
    """``frame`` as a plain HTML table (no index): every header and cell through :func:`esc`,
    numbers formatted by :func:`num`, missing values empty.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    Html

    Examples
    --------
    >>> html_table(pd.DataFrame({"name": ["<b>"], "value": [26500.0]})).split("<tbody>")[1]
    '<tr><td>&lt;b&gt;</td><td>26,500</td></tr></tbody></table>'
    """
    def cell(value: Any) -> Html:
        if isinstance(value, float) and not _missing(value):
            return esc(num(value))
        return esc("" if _missing(value) else value)

    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False, name=None))
    return Html(f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')


def fit_right(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` terminal columns (a CJK character takes two); text wider
    than that is returned whole.

    >>> fit_right("6.6%", 7), fit_right("达到", 6)
    ('   6.6%', '  达到')
    """
    padded = fit(text, width)
    return padded[len(text):] + text if padded.startswith(text) else text
