"""Language in one place: the accepted ``lang`` values and one label table (English, Chinese) for
verdicts, progress statuses, outcome words and table headers.

Every result object's ``summary(lang=)`` and ``to_frame(lang=)``, the report and the charts take
their words from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

LANGS = ("en", "zh")

#: code -> (English, Chinese). Verdicts (:mod:`xiangxi_econ.verdicts`), progress statuses
#: (:mod:`xiangxi_econ.progress`) and outcome words share the table.
LABELS: dict[str, tuple[str, str]] = {
    # verdict codes
    "already_met": ("target already met", "已实现"),
    "on_track": ("on track", "进展顺利"),
    "fair_progress": ("fair progress, acceleration needed", "需加快推进"),
    "limited_progress": ("limited or no progress", "进展有限"),
    "deterioration": ("deterioration", "倒退"),
    "significant_progress": ("significant progress", "显著进展"),
    "moderate_progress": ("moderate progress", "一定进展"),
    "insufficient_progress": ("insufficient progress", "进展不足"),
    "moving_away": ("moving away from the target", "偏离目标"),
    "stagnation_or_regression": ("stagnation or regression", "停滞或倒退"),
    "no_history": ("no historical pace to compare", "缺少历史数据"),
    "not_comparable": ("not comparable", "口径不可比"),
    "not_assessable": ("not assessable", "无法评估"),
    # progress statuses (时序进度)
    "met_early": ("met early", "提前实现"),
    "ahead": ("faster than expected", "快于预期"),
    "in_line": ("broadly in line with expectations", "基本符合预期"),
    "lagging": ("lagging", "滞后"),
    "met": ("met", "达到"),
    "not_met": ("missed", "未达到"),
    "exceeded": ("exceeded", "超额完成"),
    "within_ceiling": ("within the ceiling so far", "未超上限"),
    "breached": ("ceiling breached", "已超上限"),
    "no_outcome": ("no outcome data", "无实际数据"),
    # attributes and bounds
    "binding": ("binding", "约束性"),
    "anticipatory": ("anticipatory", "预期性"),
    "at_least": ("at least", "以上"),
    "at_most": ("at most", "以内"),
    "about": ("about", "左右"),
    "exact": ("", ""),
}

#: column key -> (English header, Chinese header), units in the header where they are fixed.
COLUMNS: dict[str, tuple[str, str]] = {
    "indicator_id": ("id", "指标代码"),
    "series_id": ("series", "序列"),
    "name": ("indicator", "指标"),
    "kind": ("kind", "类型"),
    "unit": ("unit", "单位"),
    "price_basis": ("price basis", "价格口径"),
    "base_year": ("base year", "基期年份"),
    "base_value": ("base value", "基期值"),
    "target_year": ("target year", "目标年份"),
    "target_value": ("target", "目标值"),
    "bound": ("bound", "约束方向"),
    "years": ("years", "年数"),
    "required_rate": ("required growth, % a year", "所需年均增速（%）"),
    "historical_rate": ("historical growth, % a year", "历史年均增速（%）"),
    "required_pace_pp": ("required pace, pp a year", "所需年均变动（百分点）"),
    "historical_pace_pp": ("historical pace, pp a year", "历史年均变动（百分点）"),
    "ratio": ("historical / required", "历史/所需"),
    "projected_value": ("projected at historical pace", "按历史速度推算值"),
    "covered_share": ("share of distance covered", "完成距离比例"),
    "verdict": ("verdict", "结论"),
    "verdict_label": ("verdict", "结论"),
    "attribute": ("attribute", "属性"),
    "source": ("source", "出处"),
    "reason": ("reason", "原因"),
    "latest_year": ("latest year", "最新年份"),
    "latest_value": ("latest value", "最新值"),
    "outcome_value": ("outcome", "实际值"),
    "achieved_rate": ("achieved growth, % a year", "实际年均增速（%）"),
    "achieved_pace_pp": ("achieved pace, pp a year", "实际年均变动（百分点）"),
    "met": ("met", "是否完成"),
    "status": ("status", "状态"),
    "status_label": ("status", "状态"),
    "time_share": ("time elapsed", "时序进度"),
    "completion": ("distance covered", "完成进度"),
    "probability": ("probability of meeting the target", "实现概率"),
    "q05": ("5th percentile", "5%分位"),
    "q50": ("median", "中位数"),
    "q95": ("95th percentile", "95%分位"),
    "severity": ("severity", "严重程度"),
    "explanation": ("explanation", "说明"),
}


def check_lang(lang: str) -> str:
    """``lang`` itself if it is ``'en'`` or ``'zh'``; ``ValueError`` naming the argument otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'zh'; got {lang!r}")
    return lang


def label(code: str, lang: str = "en") -> str:
    """Plain-language label of a code (verdict, status, attribute, bound) in ``lang``.

    Examples
    --------
    >>> label("on_track", "zh"), label("not_met")
    ('进展顺利', 'missed')
    """
    en, zh = LABELS.get(code, (code, code))
    return zh if check_lang(lang) == "zh" else en


def header(column: str, lang: str = "en") -> str:
    """Human header of a table column in ``lang`` (the key itself when the table has none)."""
    en, zh = COLUMNS.get(column, (column.replace("_", " "), column))
    return zh if check_lang(lang) == "zh" else en


def localise(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of ``frame`` with ``name`` in ``lang`` (from ``name_en``/``name_zh``) and a ``*_label``
    column in ``lang`` beside each code column (``verdict``, ``status``, ``outcome``). Column keys stay
    as they are, so code using them works in either language."""
    check_lang(lang)
    out = frame.copy()
    if f"name_{lang}" in out.columns:
        if "name" in out.columns:
            out["name"] = out[f"name_{lang}"]
        else:
            out.insert(min(1, len(out.columns)), "name", out[f"name_{lang}"])
    for code in ("verdict", "status", "outcome"):
        if code in out.columns:
            out[f"{code}_label"] = [label(str(v), lang) if isinstance(v, str) else "" for v in out[code]]
    return out
