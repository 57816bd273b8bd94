"""The words on the charts: every text comes from :data:`xiangxi_econ.i18n.CHART_TEXT` by key
(English and Chinese side by side there), or is user text (indicator, scenario and plan names)
passed through; this module only picks the language and fills the placeholders.

Chinese is drawn only where a CJK font is installed (:func:`xiangxi_econ.face._fonts.label_text`);
without one, ``lang="zh"`` gives the English text, so no glyph is ever missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ...i18n import CHART_TEXT, agree, display_name
from .._fonts import label_text
from ._base import _missing, _wrap
from ._style import BOUND_SYMBOLS

#: A trailing unit in full-width brackets, as in 地区生产总值（亿元）: a pattern that reads names, not a
#: word drawn (the one Chinese literal of the package, allowed by name in tests/test_plotting_package.py).
_SUFFIX = re.compile(r"（([^（）]*)）$")

#: Price-basis codes that have words (money amounts).
_BASES = ("current", "comparable")


def _t(key: str, lang: str, **fields: Any) -> str:
    """The chart text ``key`` of :data:`~xiangxi_econ.i18n.CHART_TEXT` in ``lang`` (English where no
    CJK font can draw Chinese), ``{field}`` placeholders filled with ``fields``.

    >>> _t("target_in_year", "en", year=2025, value="≥ 1000")
    'target 2025: ≥ 1000'
    """
    en, zh = CHART_TEXT[key]
    return agree(label_text(en, zh, lang).format(**fields))


def _pair(key: str, **fields: Any) -> tuple[str, str]:
    """The chart text ``key`` in both languages, placeholders filled: ``(english, chinese)``.

    >>> _pair("name_with_basis", name="GDP", basis="now")
    ('GDP (now)', 'GDP（now）')
    """
    en, zh = CHART_TEXT[key]
    return en.format(**fields), zh.format(**fields)


def _fmt(value: float) -> str:
    """A number as printed in plan tables: up to 6 significant digits, no trailing zeros.

    >>> _fmt(725.11), _fmt(1000.0), _fmt(1440.0000001)
    ('725.11', '1000', '1440')
    """
    return f"{value:.6g}"


def _basis_text(price_basis: Any, lang: str) -> str:
    """Words of a money price basis (``current prices``, 现价); empty for any other code."""
    basis = str(price_basis)
    return _t(f"basis.{basis}", lang) if basis in _BASES else ""


def _scenario_name(name: str, lang: str) -> str:
    """The shown name of a scenario: the library's own (plan, trend, baseline) in ``lang``, any other
    name as given."""
    key = f"scenario.{name}"
    return _t(key, lang) if key in CHART_TEXT else name


def _short_name_zh(name_zh: str, unit: str, units: Iterable[str] = ()) -> str:
    """``name_zh`` without a trailing unit in full-width brackets (地区生产总值（亿元） → 地区生产总值);
    the axis label carries the unit. Give it the display name (:func:`xiangxi_econ.i18n.display_name`),
    so a level row printed under a growth heading is not titled "growth"."""
    match = _SUFFIX.search(name_zh)
    if match and (match.group(1) in (unit, "%") or match.group(1) in set(units)):
        name_zh = name_zh[: match.start()]
    return name_zh


def _indicator_name(row: Any, lang: str, units: Iterable[str] = ()) -> str:
    """Name of an indicator row (plan row or simulation table row) for a chart of its level."""
    name_en = str(row.get("name_en", "") or row.get("indicator_id", ""))
    kind, unit = str(row.get("kind", "")), str(row.get("unit", ""))
    name_zh = display_name(name_en, str(row.get("name_zh", "") or name_en), kind, unit, "zh")
    return label_text(name_en, _short_name_zh(name_zh, unit, units), lang)


def _row_names(rows: pd.DataFrame, lang: str, width: int = 38) -> list[str]:
    """Names of the rows of a result table for the value axis of a bar chart (English wrapped)."""
    names = []
    for _, r in rows.iterrows():
        name_en = str(r.get("name_en", r.get("indicator_id", "")))
        unit = str(r.get("unit", ""))
        name_zh = display_name(name_en, str(r.get("name_zh", name_en)), str(r.get("kind", "")), unit, "zh")
        names.append(label_text(_wrap(name_en, width), _short_name_zh(name_zh, unit), lang))
    return names


def unit_label(unit: str, unit_en: str, price_basis: str = "na", lang: str = "en",
               per_year: bool = False) -> str:
    """Axis label for a value in ``unit``, with the price basis of money amounts.

    Parameters
    ----------
    unit : str
        Unit as printed (``亿元``, ``%``).
    unit_en : str
        English name of the unit (``100 million CNY``).
    price_basis : {'current', 'comparable', 'na'}
        Price basis; ``'na'`` (not a money amount) adds nothing.
    lang : {'en', 'zh'}
        Language.
    per_year : bool
        Whether the value is a rate per year (growth targets).

    Returns
    -------
    str
        For example ``'100 million CNY, current prices'`` or ``'亿元，现价'``.

    Examples
    --------
    >>> unit_label("亿元", "100 million CNY", "current")
    '100 million CNY, current prices'
    >>> unit_label("%", "percent", "comparable", per_year=True)
    '% a year, comparable prices'
    """
    shown = label_text("%" if unit == "%" else (unit_en or unit), unit, lang)
    if per_year:
        shown = _t("per_year", lang, unit=shown)
    basis = _basis_text(price_basis, lang)
    if basis:
        shown = _t("with_basis", lang, unit=shown, basis=basis)
    return shown


def _target_label(target_year: Any, target_value: float, bound: Any, lang: str) -> str:
    """Legend text of a target: ``target 2025: ≥ 1000`` (2025年目标：≥ 1000)."""
    value = f"{BOUND_SYMBOLS.get(str(bound), '')}{_fmt(float(target_value))}"
    if _missing(target_year):
        return _t("target_no_year", lang, value=value)
    return _t("target_in_year", lang, year=int(target_year), value=value)
