"""Language in one place: the accepted ``lang`` values and one label table (English, Chinese) for
verdicts, progress statuses, outcome words and table headers.

Every result object's ``summary(lang=)`` and ``to_frame(lang=)``, the report and the charts take
their words from here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

LANGS = ("en", "zh")

#: code -> (English, Chinese). Verdicts (:mod:`xiangxi_econ.rules.verdicts`), progress statuses
#: (:mod:`xiangxi_econ.results.progress`) and outcome words share the table.
#: Names of series that enter formulas (identities, bounds) but may not be indicators of a plan.
SERIES_NAMES: dict[str, tuple[str, str]] = {
    "gdp": ("GDP", "地区生产总值"),
    "gdp_per_capita": ("GDP per capita", "人均地区生产总值"),
    "primary_sector_va": ("primary sector value added", "第一产业增加值"),
    "secondary_sector_va": ("secondary sector value added", "第二产业增加值"),
    "tertiary_sector_va": ("tertiary sector value added", "第三产业增加值"),
    "resident_population": ("resident population", "常住人口"),
    "urban_population": ("urban resident population", "城镇常住人口"),
    "retail_sales": ("retail sales of consumer goods", "社会消费品零售总额"),
    "rural_disposable_income_per_capita": ("rural per-capita disposable income", "农村居民人均可支配收入"),
    "urban_disposable_income_per_capita": ("urban per-capita disposable income", "城镇居民人均可支配收入"),
    "tourism_revenue": ("tourism revenue", "旅游收入"),
    "tourism_arrivals": ("tourist arrivals", "接待游客人次"),
    "tourism_spending_per_visitor": ("spending per visitor", "游客人均花费"),
    "rd_expenditure": ("R&D spending", "研发经费支出"),
    "rd_intensity": ("R&D intensity", "研发经费投入强度"),
    "employment": ("employment", "从业人员"),
    "labour_productivity": ("labour productivity", "全员劳动生产率"),
    "local_fiscal_revenue": ("local general public budget revenue", "一般公共预算收入"),
    "local_fiscal_revenue_gdp_share": ("fiscal revenue share of GDP", "地方财政收入占比"),
    "tax_revenue": ("tax revenue", "税收收入"),
    "trade_total_usd": ("imports and exports (USD)", "进出口总额（美元）"),
    "trade_total_cny": ("imports and exports (yuan)", "进出口总额（人民币）"),
    "trade_dependence": ("trade dependence", "外贸依存度"),
    "high_tech_va": ("high-tech value added", "高新技术产业增加值"),
    "high_tech_va_share_gdp": ("high-tech share of GDP", "高新技术产业增加值占比"),
    "primary_sector_share": ("primary sector share", "第一产业占比"),
    "secondary_sector_share": ("secondary sector share", "第二产业占比"),
    "tertiary_sector_share": ("tertiary sector share", "第三产业占比"),
    "industry_va_share": ("industry share", "工业增加值占比"),
    "manufacturing_va_share": ("manufacturing share", "制造业增加值占比"),
}

#: Kinds of statistical break (``breaks.csv``), in words.
BREAK_KINDS: dict[str, tuple[str, str]] = {
    "census_revision": ("economic-census revision", "经济普查修订"),
    "rebase": ("population-census re-base", "人口普查重新核定"),
    "definition": ("change of definition", "统计口径变化"),
    "method": ("change of method", "统计方法变化"),
    "revision": ("vintage revision", "数据修订"),
}


def series_name(series_id: str, lang: str = "en") -> str:
    """A series in words (:data:`SERIES_NAMES`), else its id."""
    pair = SERIES_NAMES.get(series_id)
    return series_id if pair is None else pair[1 if lang == "zh" else 0]


def break_kind(kind: str, lang: str = "en") -> str:
    """A kind of statistical break in words (:data:`BREAK_KINDS`), else the code with spaces."""
    pair = BREAK_KINDS.get(kind)
    return kind.replace("_", " ") if pair is None else pair[1 if lang == "zh" else 0]


#: Names of the reference classes (:mod:`xiangxi_econ.probability.series_classes`).
CLASS_NAMES: dict[str, tuple[str, str]] = {
    "gdp": ("GDP and value added", "地区生产总值与增加值"),
    "income": ("per-capita income", "人均收入"),
    "tourism": ("tourism", "旅游"),
    "fiscal": ("fiscal revenue", "财政收入"),
    "retail": ("retail sales", "社会消费品零售总额"),
    "level": ("other levels (default)", "其他总量（默认）"),
    "trending_share": ("trending shares", "趋势性比重"),
    "slow_share": ("slow shares", "缓变比重"),
    "slow_quantity": ("slow quantities (years)", "缓变量（年）"),
    "ratio": ("ratios and intensities", "比率与强度"),
    "noisy_share": ("noisy shares", "波动性比重"),
    "share": ("other shares (default)", "其他比重（默认）"),
}

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
    "all": ("all targets", "全部目标"),
    "unspecified": ("not marked", "未标注"),
    # consistency findings: severity and kind
    "high": ("high", "高"),
    "medium": ("medium", "中"),
    "low": ("low", "低"),
    "incompatible": ("incompatible", "互不相容"),
    "inconsistent": ("inconsistent", "不一致"),
    "implausible": ("implausible", "难以成立"),
    "duplicate_conflict": ("two different targets", "同一指标两个目标"),
    "baseline_conflict": ("conflicting baselines", "基期数互相矛盾"),
    # how an outcome was obtained (xiangxi_econ.results.derived)
    "published": ("published", "公布数"),
    "user": ("your value", "用户提供"),
    "identity": ("derived by identity", "按恒等式推算"),
    "bound": ("bound (part ≤ whole)", "上限（部分≤整体）"),
    "levels": ("from levels at both ends", "由首末年水平推算"),
}

#: column key -> (English header, Chinese header), units in the header where they are fixed.
COLUMNS: dict[str, tuple[str, str]] = {
    "indicator_id": ("id", "指标代码"),
    "outcome_method": ("how obtained", "取得方式"),
    "caveat": ("caveat", "说明"),
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
    "latest_source": ("source of the outcome", "实际值出处"),
    "remaining_rate": ("growth still needed, % a year", "剩余期所需年均增速（%）"),
    "delivery_ratio": ("achieved / required pace", "实际/所需速度"),
    "baseline_note": ("baseline note", "基期说明"),
    "mc_se": ("Monte Carlo standard error", "模拟标准误"),
    "volatility_source": ("spread assumed", "波动假设"),
    "abnormal_base": ("pace from an abnormal base year", "基期异常"),
    "base_note": ("note on the base year", "基期说明"),
    "base_note_zh": ("note on the base year (Chinese)", "基期说明（中文）"),
    "new_required_rate": ("14th plan required growth, % a year", "“十四五”所需年均增速（%）"),
    "new_required_pace_pp": ("14th plan required pace, pp a year", "“十四五”所需年均变动（百分点）"),
    "plan": ("plan period", "规划期"),
    "group": ("group", "分组"),
    "judged": ("targets judged", "评估目标数"),
    "met_count": ("targets met", "完成目标数"),
    "share_met": ("share met", "完成比例"),
    "median_delivery": ("median achieved / required pace", "实际/所需速度中位数"),
    "year": ("year", "年份"),
    "description": ("what changed", "变化内容"),
    "indicators": ("indicators", "涉及指标"),
    "stated": ("stated in the plan", "规划数"),
    "implied": ("implied", "推算数"),
    # the workbook's other columns
    "name_en": ("name (English)", "英文名称"),
    "name_zh": ("name (Chinese, as printed)", "中文名称（原文）"),
    "direction": ("direction", "方向"),
    "remaining_pace_pp": ("pace still needed, pp a year", "剩余期所需年均变动（百分点）"),
    "remaining_flow": ("flow still needed", "剩余期所需流量"),
    "latest_grade": ("grade of the outcome", "实际值等级"),
    "outcome_formula": ("formula of the outcome", "实际值推算公式"),
    "outcome_formula_zh": ("formula of the outcome (Chinese)", "实际值推算公式（中文）"),
    "readings": ("readings", "各口径数值"),
    "caveat_zh": ("caveat (Chinese)", "说明（中文）"),
    "baseline_note_zh": ("baseline note (Chinese)", "基期说明（中文）"),
    "outcome_note_zh": ("note on the outcome (Chinese)", "实际值说明（中文）"),
    "explanation_zh": ("explanation (Chinese)", "说明（中文）"),
    "break_note_zh": ("statistical break (Chinese)", "口径断点说明（中文）"),
    "stated_zh": ("stated in the plan (Chinese)", "规划数（中文）"),
    "implied_zh": ("implied (Chinese)", "推算数（中文）"),
    "flip_size": ("break size that would change the verdict", "可改变结论的口径变化幅度"),
    "stated_rate": ("growth rate stated in the plan", "规划所述增速"),
    "stated_rate_basis": ("basis of the stated rate", "所述增速口径"),
    "achieved_stated_rate": ("achieved, on the basis of the stated rate", "按所述口径的实际增速"),
    "stated_rate_status": ("status on the stated rate", "按所述增速的状态"),
    "stated_rate_note": ("note on the stated rate", "所述增速说明"),
    "stated_rate_note_zh": ("note on the stated rate (Chinese)", "所述增速说明（中文）"),
    "completion_vs_time": ("distance covered / time elapsed", "完成进度/时序进度"),
    "status_zh": ("status (Chinese)", "状态（中文）"),
    "stated_twice": ("stated twice", "重复列出"),
    "also_stated_as": ("also stated as", "另见"),
    "base_source": ("source of the base value", "基期值出处"),
    "base_flow": ("base-year flow", "基期流量"),
    "historical_basis": ("basis of the historical pace", "历史速度口径"),
    "historical_from": ("historical pace from", "历史速度起始"),
    "reported_rate": ("reported growth, % a year", "所报年均增速（%）"),
    "reported_basis": ("basis of the reported rate", "所报增速口径"),
    "verdict_method": ("verdict method", "评估方法"),
    "quote": ("quote", "原文"),
    "history_break": ("statistical break in the history", "历史数据口径断点"),
    "history_base_note": ("abnormal base year of the history window", "历史窗口基期异常"),
    "baseline_conflict": ("conflicting baselines", "基期数矛盾"),
    "check": ("check", "检查项"),
    "stated_value": ("stated value", "规划数"),
    "implied_value": ("implied value", "推算数"),
    "difference": ("difference", "差额"),
    "row_no": ("row", "序号"),
    "target_text": ("target as printed", "目标原文"),
    "stated_change": ("change as printed", "变化原文"),
    "outcome_text": ("outcome as printed", "实际值原文"),
    "outcome_note": ("note on the outcome", "实际值说明"),
    "excluded": ("excluded", "剔除"),
    "achieved_printed_rate": ("achieved, printed rate", "实际增速（原文）"),
    "judged_on": ("judged on", "评估依据"),
    "new_indicator_id": ("14th-plan indicator", "“十四五”对应指标"),
    "new_vs_achieved": ("14th plan required / achieved", "“十四五”所需/实际"),
    "start_value": ("start value", "起始值"),
    "end_value": ("end value", "终止值"),
    "computed_rate": ("computed growth, % a year", "计算年均增速（%）"),
    "computed_pace_pp": ("computed pace, pp a year", "计算年均变动（百分点）"),
    "computed_change": ("computed change", "计算变化量"),
    "levels_basis": ("basis of the levels", "水平值口径"),
    "reported_change": ("reported change", "所报变化量"),
    "reported_as": ("reported as", "所报形式"),
    "discrepancy_pp": ("discrepancy, pp", "差异（百分点）"),
    "flag": ("flag", "标记"),
    "break_note": ("statistical break", "口径断点说明"),
    "start_source": ("source of the start value", "起始值出处"),
    "end_source": ("source of the end value", "终止值出处"),
    "reported_source": ("source of the reported rate", "所报增速出处"),
    "moves_in_pp": ("moves in pp", "以百分点计"),
    "centre_rate": ("centre growth, % a year", "中心年均增速（%）"),
    "centre_pp": ("centre pace, pp a year", "中心年均变动（百分点）"),
    "spread_unit": ("unit of the spread", "波动单位"),
    "sigma": ("spread", "波动"),
    "sigma_left": ("spread below", "下侧波动"),
    "sigma_right": ("spread above", "上侧波动"),
    "q25": ("25th percentile", "25%分位"),
    "q75": ("75th percentile", "75%分位"),
    "probability_trend": ("probability, trend engine", "实现概率（趋势外推）"),
    "probability_mc": ("probability, Monte Carlo check", "实现概率（蒙特卡洛核对）"),
    "series_class": ("reference class", "参照类"),
    "spread_source": ("where the spread comes from (estimated on / assumed)", "离散度来源（估计依据或假设）"),
    "outlook_year": ("outlook year", "展望年份"),
    "outlook_from_year": ("outlook from (year)", "展望起点年份"),
    "outlook_from_value": ("outlook from (value)", "展望起点数值"),
    "outlook_q05": ("outlook, 5th percentile", "展望5%分位"),
    "outlook_q25": ("outlook, 25th percentile", "展望25%分位"),
    "outlook_q50": ("outlook, median", "展望中位数"),
    "outlook_q75": ("outlook, 75th percentile", "展望75%分位"),
    "outlook_q95": ("outlook, 95th percentile", "展望95%分位"),
    "class_description": ("what the class is estimated on", "参照类的估计依据"),
    "origin_year": ("forecast origin (last value)", "预测起点（最近数值年份）"),
    "probability_model": ("model", "模型"),
    "probability_calibrated": ("probability, calibrated forecaster", "实现概率（校准预测）"),
    "forecast_history": ("history used by the forecast", "预测所用历史数据"),
    "history_note": ("note on the history", "历史数据说明"),
    "scenario": ("scenario", "情景"),
    "value": ("value", "数值"),
    "derived": ("derived", "推算"),
    "probability_reference": ("probability, reference class", "实现概率（参照类）"),
    "probability_change": ("change against the reference class", "与参照类之差"),
    # the report's executive summary
    "outcome": ("outcome", "实际完成"),
    "ex_ante": ("ex-ante verdict", "事前评估"),
    "column": ("column", "列"),
    "meaning": ("meaning", "含义"),
}

#: Consistency check (``Finding.check``) -> one-sentence explanation (English, Chinese). The report
#: shows it above the numbers and the finding's own English arithmetic line.
FINDING_TEXT: dict[str, tuple[str, str]] = {
    "tourism_identity": (
        "Tourism revenue should equal arrivals times spending per visitor; the three targets do not multiply out.",
        "旅游总收入应等于接待人次乘以人均花费，三个目标相乘对不上。"),
    "rd_intensity_identity": (
        "R&D spending growing at its target rate along the GDP target path does not reach the R&D intensity target.",
        "研发经费按目标增速增长、GDP按目标路径增长，研发投入强度达不到目标值。"),
    "trade_dependence_identity": (
        "Trade growing at its target rate against the GDP target gives a different trade-to-GDP ratio from the one "
        "targeted.",
        "进出口总额按目标增速增长、GDP按目标值计算，外贸依存度与目标值不一致。"),
    "productivity_identity": (
        "GDP and labour productivity targets imply an employment path; the printed rates and levels imply different "
        "ones.",
        "GDP与劳动生产率目标隐含就业人数变化，按增速和按水平值推算的结果不同。"),
    "rate_vs_levels": (
        "The printed growth rate and the printed start and end levels do not agree.",
        "规划列出的年均增速与基期值、目标值推算的增速不一致。"),
    "reported_rate_vs_levels": (
        "The growth rate the plan reports for the past five years differs from the growth of its own printed levels.",
        "规划所述过去五年年均增速与其列出的水平值推算的增速不一致。"),
    "cumulative_vs_levels": (
        "A five-year total does not match a steady path between the printed start and end levels.",
        "五年累计目标与基期、目标期水平值之间的平稳路径累计数不一致。"),
    "manufacturing_within_secondary": (
        "Manufacturing is part of the secondary sector; its target share needs an implausible rise of the whole "
        "sector.",
        "制造业属于第二产业，其目标占比要求第二产业占比大幅上升，难以实现。"),
    "duplicate_target": (
        "The plan states two different targets for the same quantity and year.",
        "规划对同一指标、同一年份给出了两个不同的目标值。"),
    "baseline_conflict": (
        "The plan prints different base-year values for the same quantity.",
        "规划对同一指标的基期值给出了互相矛盾的数字。"),
    "share_of_gdp_baseline": (
        "A printed share of GDP does not match the printed level divided by GDP.",
        "规划列出的占GDP比重与水平值除以GDP的结果不一致。"),
}

#: Units of consistency findings (``Finding.unit``) in Chinese; the English is the unit itself.
FINDING_UNITS_ZH: dict[str, str] = {
    "% a year": "%（年均）",
    "% of GDP": "%（占GDP）",
    "% a year (employment)": "%（就业人数年均）",
}

#: Words and sentences of the report (English, Chinese); ``{name}`` fields are filled by :func:`text`.
TEXT: dict[str, tuple[str, str]] = {
    "summary": ("Summary", "摘要"),
    "contents": ("Contents", "目录"),
    "headline_targets": ("Headline targets", "主要目标"),
    "key_findings": ("Key findings", "主要发现"),
    "sec_outcome": ("Outcome of the plan ({period})", "规划实施结果（{period}）"),
    "sec_feasibility": ("Feasibility: required against historical pace", "可行性：所需增速与历史增速"),
    "sec_contradictions": ("Contradictions between targets", "目标之间的矛盾"),
    "sec_scenarios": ("Scenarios and probability of meeting each target", "情景与目标实现概率"),
    "sec_record": ("Track record: two plans", "两个规划期的完成情况"),
    "sec_methods": ("Methods and definitions", "方法与定义"),
    "target_in": ("target {year}", "{year}年目标"),
    "outcome_in": ("outcome {year}", "{year}年实际"),
    "probability_short": ("probability", "实现概率"),
    "probability_as_of": ("ex-ante probability, as of {year}", "事前实现概率（按{year}年信息）"),
    "probability_as_of_base": ("P(met), ex ante as of {year}", "事前实现概率（按{year}年基期信息）"),
    "probability_as_of_note": (
        "Probabilities are ex ante: each is the engine's chance of meeting the target using only what was known "
        "in {year}, the plan's base year, not a judgement after the outcome.",
        "概率均为事前概率：仅用{year}年（规划基期）可得的信息估计实现目标的可能性，并非事后判断。"),
    "spread_estimated_zh": ("{cls}: estimated on a panel{n}", "{cls}：由面板数据估计{n}"),
    "spread_assumed_zh": ("{cls}: assumed{n}", "{cls}：假设值{n}"),
    "engine_shared_of": (
        "The national shock is shared by every target, so joint statements are right: the probability that all "
        "{n} of the {m} binding targets that could be simulated are met together is {joint} (the product of their "
        "probabilities would be {product}){left}.",
        "全国共同冲击由所有目标共享，因此联合概率可信：{m}个约束性目标中可模拟的{n}个同时实现的概率为{joint}"
        "（若各自独立相乘则为{product}）{left}。"),
    "engine_shared_left": ("; not simulated: {names}", "；未模拟：{names}"),
    "of_the_way": ("{share} of the way", "完成进度{share}"),
    "no_outcome": ("not published", "未公布"),
    "none": ("—", "—"),
    "binding_without_number": ("Binding targets without a number ({n}): {names}.",
                               "无具体数值的约束性目标（{n}个）：{names}。"),
    "generated": ("Generated by {tool}; verdict method {method}; simulation {draws} draws, seed {seed}.",
                  "由 {tool} 生成；评估方法 {method}；模拟 {draws} 次，随机种子 {seed}。"),
    "region": ("Region", "地区"),
    "f_tally": ("Of {n} targets with an outcome (latest {year}): {met} met, {missed} missed, {broken} not comparable "
                "with the target{rest}.",
                "{n}个有实际数据的目标中（最新{year}年），{met}个达到，{missed}个未达到，{broken}个口径不可比{rest}。"),
    "f_tally_rest": (", {k} still under way", "，{k}个仍在进行中"),
    "f_growth": ("{name} reached {value} in {year}, {share} of the way from {base} to {target}; it grew {achieved} a "
                 "year against {required} required.",
                 "{name}{year}年达到{value}，完成从{base}到{target}目标进度的{share}；年均增长{achieved}，"
                 "所需年均增速为{required}。"),
    "f_foresight": ("The ex-ante assessment rated {n} of the missed targets on track ({names}): the past pace "
                    "overstated what was delivered.",
                    "事前评估认为进展顺利的目标中有{n}个最终未达到（{names}）：历史增速高估了实际完成情况。"),
    "f_contradiction": ("Biggest contradiction: {explanation} Stated {stated}, implied {implied}.",
                        "最突出的矛盾：{explanation}规划数{stated}，推算数{implied}。"),
    "f_record": ("The previous plan ({prev}) met {met_prev} of {n_prev} targets ({share_prev}, median pace "
                 "delivered {med_prev}); this plan ({this}) met {met} of {n} ({share}, median {med}).",
                 "上一规划期（{prev}）{n_prev}个目标完成{met_prev}个（{share_prev}，速度完成度中位数{med_prev}）；"
                 "本规划期（{this}）{n}个目标完成{met}个（{share}，中位数{med}）。"),
    "f_verdicts": ("Ex-ante verdicts on {n} numeric targets: {counts}.", "{n}个有数值目标的事前评估：{counts}。"),
    "f_probability": ("The simulation gives {name} a {p} chance of reaching its target.",
                      "模拟显示{name}达到目标的概率为{p}。"),
    "n_targets": ("targets", "目标数"),
    # the command line's summary of a report run and of an evaluation
    "cli_plan": ("Plan: {title}", "规划：{title}"),
    "cli_targets": ("Targets: numeric targets {numeric} (and {twice} stated twice, counted once), targets without a "
                    "number {without}, previous plan's review rows {previous}",
                    "目标：数值目标{numeric}个（另有{twice}个重复列出，只计一次），无数值目标{without}个，"
                    "上一规划期回顾{previous}行"),
    "cli_verdicts": ("Verdicts: {counts}", "评估结论：{counts}"),
    "cli_contradictions": ("Contradictions: {n} ({high} high severity)", "目标矛盾：{n}个（其中高严重程度{high}个）"),
    "cli_simulated": ("Simulated: {n} {targets}, {draws} draws (seed {seed})",
                      "模拟：{n}个目标，{draws}次（随机种子{seed}）"),
    "cli_wrote": ("Wrote {n} files to {out} (open {page})", "已写入{n}个文件至{out}（打开{page}）"),
    "cli_removed": ("Removed {n} file(s) of a previous run that this run did not write",
                    "已删除上次运行留下、本次未写入的文件{n}个"),
    "cli_without_outcome": ("Targets without an outcome: {n} (the reasons are in evaluation.missing in Python)",
                            "无实际数据的目标：{n}个（原因见 Python 中的 evaluation.missing）"),
    "check_head": ("Feasibility check of {title}, as of {as_of}: each target at least {min_p}, the joint at least "
                   "{min_joint}",
                   "{title}可行性检查（截至{as_of}年）：各目标概率不低于{min_p}，联合概率不低于{min_joint}"),
    "check_columns": ("target", "目标"),
    "check_probability": ("P(meet)", "实现概率"),
    "check_joint": ("Joint: {joint}", "联合：{joint}"),
    "check_not_simulated": ("Not simulated ({n}): {items}", "未模拟（{n}个）：{items}"),
    "check_ok": ("OK: every probability at or above its threshold", "通过：各概率均不低于阈值"),
    "check_below": ("BELOW: {items}", "低于阈值：{items}"),
    "show_table": ("Show the table ({n} rows)", "展开表格（{n}行）"),
    "show_charts": ("Show the charts ({n})", "展开图表（{n}幅）"),
    "show_more": ("(show)", "（展开）"),
    "show_more_findings": ("{n} {severity}-severity findings", "{n}个{severity}严重程度的发现"),
    "more_charts": ("More charts ({n})", "更多图表（{n}张）"),
    "not_evaluated": ("Targets without an outcome ({n}) and why", "无实际数据的目标（{n}个）及原因"),
    "no_contradictions": ("No contradictions found.", "未发现矛盾。"),
    "arithmetic": ("Arithmetic", "计算过程"),
    "arithmetic_numbers": ("Arithmetic: stated {stated}, implied {implied}, difference {difference}",
                           "计算过程：规划数{stated}，按相关目标推算为{implied}，相差{difference}"),
    "columns_title": ("Columns", "列说明"),
    "verdict_method_title": ("Verdict method and cut-offs", "评估方法与分档标准"),
    "verdict_method": ("Method {method} ({reference}); measure: {measure}.",
                       "方法 {method}（{reference}）；衡量指标：{measure}。"),
    "measure_ratio": ("historical pace / required pace", "历史速度 / 所需速度"),
    "measure_covered_share": ("share of the distance the historical pace covers by the target year",
                              "按历史速度到目标年可完成的距离比例"),
    "cutoff_row": ("{verdict}: {measure} ≥ {cut}", "{verdict}：{measure} ≥ {cut}"),
    "cutoff_last": ("{verdict}: below {cut}", "{verdict}：低于 {cut}"),
    "verdict_other": ("Before any ratio a target whose baseline already meets it is 'target already met'; rows "
                      "without a historical pace, a comparable price basis or a number are marked as such.",
                      "计算比值前，基期已达到的目标记为“已实现”；缺少历史速度、价格口径不可比或无具体数值的目标分别注明。"),
    "spreads_title": ("How the probabilities were computed", "实现概率的计算方法"),
    "engine_counts": ("Engines that computed the probabilities: {counts}.", "计算实现概率所用的模型：{counts}。"),
    "engine_count": ("{engine} for {n} targets", "{engine}{n}个目标"),
    "engine_calibrated": ("reference-class forecasts", "参照类预测"),
    "engine_trend": ("the trend engine with default spreads", "趋势外推模型（默认波动）"),
    "engine_calibrated_method": (
        "Reference-class forecasts (probability.calibration, target_models, engine): each target's series, as "
        "known in {as_of}, is placed in the reference class of its kind; levels move with a national factor "
        "(China's growth from the embedded context, centred and spread by its own past forecast errors) plus the "
        "region's own deviation, pooled with its class; shares follow the class's share model. A statistical "
        "break is bridged by growth rates within each segment; the level grows from the last value.",
        "参照类预测：按{as_of}年可得数据，把每个目标的序列归入同类序列的"
        "参照类；总量指标随全国共同因子（内置的全国增速，中心与离散度取自其自身以往预测误差）及本地区偏离（与同类合并估计）"
        "变动；比重指标采用该类的比重模型。统计口径断点以各口径内的增速衔接，水平从最近数值起算。"),
    "engine_as_of_base": ("the plan's base year", "规划基期"),
    "outlook_title": ("Outlook {start}-{end}, from the latest published figures",
                      "{start}—{end}年展望（自最新公布数起）"),
    "outlook_text": (
        "The plan period is over: the same engine, as of {start}, carries each series from its latest published "
        "value to {end}, with the published history leading into the fan (a statistical break is marked, never "
        "joined).",
        "规划期已结束：同一模型按{start}年可得数据，把各序列从最新公布数推演至{end}年；扇形图左侧为公布的历史数据"
        "（统计口径断点处标出，不相连）。"),
    "backtest_title": ("How such probabilities scored", "此类概率的事后检验"),
    "backtest_plan": ("{plan}: {n} targets, Brier {brier}", "{plan}年：{n}个目标，布里尔分数{brier}"),
    "backtest_pair": (
        " On the {n} targets the trend-continued baseline can also judge: Brier {model} against {trend}.",
        "在趋势外推基准也能评判的{n}个目标上：布里尔分数{model}，基准为{trend}。"),
    "backtest_scores": (
        "The engine's ex-ante probabilities (each plan as of its base year, using only what was known then) "
        "against the published outcomes — {plans} (lower is better; a coin flip scores 0.25).{pair} {unscored} "
        "targets could not be scored (no forecast, or a break that could flip the outcome). With so few targets "
        "the scores are indicative only: one surprise moves them a lot.",
        "按各规划基期可得信息做出的事前概率与公布结果对照——{plans}（越低越好；随机猜测为0.25）。{pair}"
        "另有{unscored}个目标无法评分（无预测，或统计口径断点可能改变结论）。目标数量少，分数仅供参考：一次意外即可"
        "明显改变结果。"),
    "engine_classes": ("Reference classes used: {classes}", "所用参照类：{classes}"),
    "engine_class": ("{name} ({n}): {desc}", "{name}（{n}个）：{desc}"),
    "engine_shared": (
        "The national shock is shared by every target, so joint statements are right: the probability that all "
        "{n} binding targets are met together is {joint} (the product of their probabilities would be {product}).",
        "全国共同冲击由所有目标共享，因此联合概率可信：{n}个约束性目标同时实现的概率为{joint}（若各自独立相乘则为{product}）。"),
    "engine_closed_form": (
        "Probabilities and quantiles are exact (one-dimensional quadrature over the national shock); {draws} joint "
        "draws check them: the largest difference is {diff} (Monte Carlo standard error at most {se}).",
        "概率与分位数为精确计算（对全国共同冲击作一维数值积分）；另以{draws}次联合抽样核对：最大差异{diff}"
        "（蒙特卡洛标准误不超过{se}）。"),
    "spreads": ("{draws} draws, seed {seed}. {spreads}", "模拟 {draws} 次，随机种子 {seed}。{spreads}"),
    "sources_title": ("Data sources and statistical breaks", "数据来源与统计口径断点"),
    "sources": ("Targets and baselines: {document}; each row's source column names the table "
                "and row. Outcomes: published statistical bulletins and yearbooks (the latest_source column). A "
                "statistical break means numbers before and after it are not comparable; rates are not computed "
                "across one.",
                "目标值与基期值：{document}，各行“出处”列注明表格与序号。实际值：统计公报与统计年鉴"
                "（“实际值出处”列）。统计口径断点前后的数据不可比，不跨断点计算增速。"),
    "breaks_none": ("No statistical breaks are recorded for this plan's series.",
                    "本规划的数据序列未记录统计口径断点。"),
    "pp": ("pp", "个百分点"),
    "notes_item": ("item", "项目"),
    "notes_text": ("definition or source", "定义或出处"),
    "alt_outcome": ("Chart: observed {name} against the plan path, with the target",
                    "图表：{name}实际值与规划路径及目标"),
    "alt_outlook": ("Chart: {name} from the latest published figure, five years on",
                    "图表：{name}自最新公布数起五年展望"),
    "alt_fan": ("Chart: simulated range of {name} to the target year, with the target",
                "图表：{name}至目标年的模拟区间与目标"),
    "alt_pace_rate": ("Chart: required against historical growth rate, one bar pair per target",
                      "图表：各目标所需年均增速与历史年均增速对比"),
    "alt_pace_pp": ("Chart: required against historical pace in percentage points a year, one bar pair per target",
                    "图表：各目标所需年均变动与历史年均变动（百分点）对比"),
    "alt_target_paths": ("Chart: plan path and historical-trend path of the headline indicators",
                         "图表：主要指标的规划路径与历史趋势路径"),
    "alt_tourism": ("Chart: tourism revenue against arrivals times spending per visitor",
                    "图表：旅游收入与接待人次乘人均花费的对比"),
    "alt_plan_comparison": ("Chart: share of targets met and median pace delivered, two plans",
                            "图表：两个规划期目标完成比例与速度完成度中位数"),
    "spreads_default": ("Trend engine: spreads are the documented defaults: levels 0.03 log points a year; shares "
                        "and rates 0.5 × |historical pace in pp| + 0.1 pp a year.",
                        "趋势外推模型：波动采用默认假设：水平值每年0.03对数点；比重和比率为0.5×|历史年均变动（百分点）|"
                        "+0.1个百分点。"),
    "probability_method": ("Probability of meeting the target: the share of simulated paths that end on the right "
                           "side of the target in the target year.",
                           "目标实现概率：模拟路径在目标年达到目标的比例。"),
}

#: The simulation's ``volatility_source`` texts in Chinese (the English is the text itself).
VOLATILITY_SOURCES_ZH: dict[str, str] = {
    "default: 0.03 log points": "默认：每年0.03对数点",
    "default: 0.5 × |historical pp pace| + 0.1 pp": "默认：0.5×|历史年均变动（百分点）|+0.1个百分点",
}


def volatility_source(value: object, lang: str = "en") -> str:
    """A ``volatility_source`` text in ``lang``; texts without a translation are shown as they are.

    >>> volatility_source("default: 0.03 log points", "zh")
    '默认：每年0.03对数点'
    """
    shown = "" if value is None else str(value)
    return VOLATILITY_SOURCES_ZH.get(shown, shown) if check_lang(lang) == "zh" else shown


#: What each column shown in the report means (English, Chinese), for the methods section.
COLUMN_HELP: dict[str, tuple[str, str]] = {
    "outcome_method": ("published, derived through an identity (with its formula), an upper bound from the whole a "
                       "share is part of, or an average growth from levels at both ends",
                       "公布数、按恒等式推算（附公式）、按整体推出的上限，或由首末年水平推算的年均增速"),
    "caveat": ("a statistical break between baseline and outcome and how large it would have to be to change the "
               "verdict; how a derived outcome was computed",
               "基期与实际值之间的统计口径变化，以及需多大的变化才能改变结论；推算值的计算方法"),
    "name": ("the indicator as the plan names it; its id below", "规划中的指标名称，下方为指标代码"),
    "target_value": ("the target for the target year, with its bound (at least, at most, about)",
                     "目标年的目标值及约束方向（以上、以内、左右）"),
    "base_value": ("the value the plan gives for its base year", "规划给出的基期值"),
    "latest_value": ("the latest published value and its year", "最新公布值及其年份"),
    "completion": ("(latest - base) / (target - base): share of the distance to the target covered",
                   "（最新值－基期值）/（目标值－基期值），即完成进度"),
    "required": ("required average pace a year from base to target: compound growth in % for levels, change in "
                 "percentage points (pp) for shares and rates",
                 "从基期到目标所需的年均速度：水平值为复合年均增速（%），比重和比率为年均变动（百分点）"),
    "historical": ("average pace a year over the history window before the base year, same measure",
                   "基期前历史窗口的年均速度，口径同上"),
    "achieved": ("average pace a year actually achieved from the base year to the latest year",
                 "从基期到最新年份实际实现的年均速度"),
    "ratio": ("historical (or achieved) pace divided by the required pace; 1.00 means exactly on pace",
              "历史（或实际）速度除以所需速度；1.00表示恰好符合进度"),
    "verdict": ("ex-ante verdict from the ratio and the cut-offs below", "根据比值和下列分档标准得出的事前评估结论"),
    "status": ("outcome: met, exceeded, missed, or not comparable (a statistical break)",
               "实际结果：达到、超额完成、未达到或口径不可比（统计口径断点）"),
    "attribute": ("binding (约束性) or anticipatory (预期性), as the plan marks it", "规划标注的约束性或预期性"),
    "source": ("table and row of the plan the number comes from", "数字在规划中的出处（表格与序号）"),
    "probability": ("probability of meeting the target from the engine, exact (see below)",
                    "由预测模型精确计算的实现目标概率（见下）"),
    "q05": ("5th, 50th and 95th percentile of the simulated target-year value",
            "模拟目标年数值的5%、50%和95%分位数"),
    "volatility_source": ("where the simulation's spread comes from", "模拟波动假设的来源"),
    "outcome_value": ("the previous plan's published outcome", "上一规划期的实际值"),
    "met": ("whether the previous plan's target was met", "上一规划期目标是否完成"),
    "judged": ("targets with a comparable outcome, each counted once", "有可比实际值的目标数（每个目标计一次）"),
    "share_met": ("share of judged targets met or exceeded", "达到或超额完成的目标比例"),
    "median_delivery": ("median over targets of achieved pace / required pace", "各目标实际速度/所需速度的中位数"),
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


def text(key: str, lang: str = "en", **fields: object) -> str:
    """A report word or sentence from :data:`TEXT` in ``lang``, ``{field}`` placeholders filled.

    Examples
    --------
    >>> text("target_in", "zh", year=2025)
    '2025年目标'
    """
    en, zh = TEXT[key]
    return agree((zh if check_lang(lang) == "zh" else en).format(**fields))


_ONE_PLURAL = re.compile(r"(?<![\d.,])\b1 (target|row|value|year|finding|chart|indicator)s\b")


def agree(sentence: str) -> str:
    """English number agreement after the numbers are filled in: "1 targets" becomes "1 target"
    (Chinese nouns do not change).

    >>> agree("1 targets, 11 targets, 2.1 targets")
    '1 target, 11 targets, 2.1 targets'
    """
    return _ONE_PLURAL.sub(r"1 \1", sentence)


#: Workbook sheet names (English key, Chinese name).
SHEET_NAMES_ZH: dict[str, str] = {
    "summary": "摘要", "evaluation": "实施结果", "plan_comparison": "规划期比较", "assessment": "可行性评估",
    "consistency": "目标矛盾", "track_record": "上一规划期", "historical_pace": "历史速度",
    "probabilities": "实现概率", "scenarios": "情景", "notes": "说明",
}


def sheet_name(key: str, lang: str = "en") -> str:
    """The name of a workbook sheet in ``lang`` (the key itself in English)."""
    return SHEET_NAMES_ZH.get(key, key) if check_lang(lang) == "zh" else key


def plural(n: int, noun: str, lang: str = "en") -> str:
    """``noun`` agreeing with ``n`` in English ('1 target', '2 targets'); Chinese nouns do not change.

    >>> plural(1, "target"), plural(2, "target"), plural(0, "target"), plural(3, "目标", "zh")
    ('target', 'targets', 'targets', '目标')
    """
    if check_lang(lang) == "zh" or n == 1:
        return noun
    return f"{noun}es" if noun.endswith(("s", "x", "ch", "sh")) else f"{noun}s"


def shorten(name: str, width: int, ellipsis: str = "…") -> str:
    """``name`` cut to at most ``width`` characters at a word boundary, with an ellipsis.

    A name that fits is returned whole. Otherwise the cut falls after the last whole word that
    fits with the ellipsis; Chinese text (no spaces) is cut at a character.

    >>> shorten("Urbanisation rate of resident population", 37)
    'Urbanisation rate of resident…'
    >>> shorten("Forest coverage rate", 37)
    'Forest coverage rate'
    """
    text_ = str(name)
    if len(text_) <= width:
        return text_
    room = max(width - len(ellipsis), 1)
    head = text_[:room]
    if " " in head and text_[room] != " ":
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:-–(") + ellipsis


def finding_unit(unit: str, lang: str = "en") -> str:
    """A consistency finding's unit in ``lang`` ('% a year' -> '%（年均）' in Chinese)."""
    return FINDING_UNITS_ZH.get(unit, unit) if check_lang(lang) == "zh" else unit


def finding_text(check: str, lang: str = "en") -> str:
    """One-sentence explanation of a consistency check (``Finding.check``) in ``lang``; '' if unknown."""
    en, zh = FINDING_TEXT.get(check, ("", ""))
    return zh if check_lang(lang) == "zh" else en


def header(column: str, lang: str = "en") -> str:
    """Human header of a table column in ``lang`` (the key itself when the table has none)."""
    en, zh = COLUMNS.get(column, (column.replace("_", " "), column))
    return zh if check_lang(lang) == "zh" else en


#: Kinds of target whose row is a level (a value in its unit), not a growth rate.
LEVEL_KINDS = frozenset({"level", "count", "share", "rate"})
_GROWTH_WORDS_ZH = ("年均增长", "增长", "增速")


def display_name(name_en: Any, name_zh: Any, kind: Any = "", unit: Any = "", lang: str = "en") -> str:
    """The name of an indicator as shown in tables and charts: the printed name, except where it
    contradicts the row's unit.

    The plan's table (专栏2) prints some level rows under a growth heading, e.g. 地区生产总值增长（%）
    for the GDP row whose values are levels in 亿元. The catalogue keeps the printed name
    (``name_zh``); the name shown drops the growth word and names the unit of the values:
    地区生产总值（亿元）. Every other name is shown as printed.

    Parameters
    ----------
    name_en, name_zh : str
        The indicator's English and printed Chinese name.
    kind : str
        The target kind (``level``, ``count``, ``share``, ``rate``, ``growth``, ``cumulative`` ...).
    unit : str
        The unit of the row's values (``亿元``).
    lang : {'en', 'zh'}

    Returns
    -------
    str

    Examples
    --------
    >>> display_name("Gross regional product", "地区生产总值增长（%）", "level", "亿元", "zh")
    '地区生产总值（亿元）'
    >>> display_name("Forest coverage", "森林覆盖率（%）", "share", "%", "zh")
    '森林覆盖率（%）'
    >>> display_name("Growth of R&D expenditure", "全社会研发经费投入增长（%）", "growth", "%", "zh")
    '全社会研发经费投入增长（%）'
    """
    en = "" if _blank(name_en) else str(name_en)
    zh = en if _blank(name_zh) else str(name_zh)
    if check_lang(lang) == "en":
        return en or zh
    if str(kind) not in LEVEL_KINDS:
        return zh
    stem, bracket = zh, ""
    if stem.endswith("）") and "（" in stem:
        cut = stem.rindex("（")
        stem, bracket = stem[:cut], stem[cut + 1:-1]
    word = next((w for w in _GROWTH_WORDS_ZH if stem.endswith(w) and len(stem) > len(w)), None)
    if word is None:
        return zh
    shown_unit = "" if _blank(unit) else str(unit)
    stem = stem[: -len(word)]
    return f"{stem}（{shown_unit or bracket}）" if (shown_unit or bracket) else stem


def _blank(value: Any) -> bool:
    import pandas as pd

    if value is None:
        return True
    try:
        return bool(pd.isna(value)) or str(value) == ""
    except (TypeError, ValueError):
        return False


def localise(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of ``frame`` with ``name`` in ``lang`` (from ``name_en``/``name_zh``) and a ``*_label``
    column in ``lang`` beside each code column (``verdict``, ``status``, ``outcome``). Column keys stay
    as they are, so code using them works in either language."""
    import pandas as pd

    check_lang(lang)
    out = frame.copy()
    if f"name_{lang}" in out.columns:
        names = out[f"name_{lang}"]
        if lang == "zh" and {"kind", "unit"} <= set(out.columns):
            # a level row printed under a growth heading shows a name that matches its unit
            en = out["name_en"] if "name_en" in out.columns else names
            names = pd.Series([display_name(e, z, k, u, lang) for e, z, k, u in
                               zip(en, out["name_zh"], out["kind"], out["unit"], strict=True)],
                              index=out.index, dtype=object)
        if "name" in out.columns:
            out["name"] = names
        else:
            out.insert(min(1, len(out.columns)), "name", names)
    for code in ("verdict", "status", "outcome"):
        if code in out.columns:
            out[f"{code}_label"] = [label(str(v), lang) if isinstance(v, str) else "" for v in out[code]]
    return out


#: Words of the charts (:mod:`xiangxi_econ.face.plotting`): key -> (English, Chinese). ``{field}``
#: placeholders are filled by the chart (numbers already formatted, names already in the chart's
#: language); ``scenario.<name>`` gives the shown name of a scenario the library itself produces,
#: ``basis.<code>`` the words of a price basis. The chart picks the Chinese text only when a CJK
#: font can draw it (:func:`xiangxi_econ.face._fonts.label_text`).
CHART_TEXT: dict[str, tuple[str, str]] = {
    # shared
    "year": ("year", "年份"),
    "history": ("history", "历史值"),
    "median": ("median", "中位数"),
    "band_5_95": ("5th–95th percentile", "5%–95%分位区间"),
    "band_25_75": ("25th–75th percentile", "25%–75%分位区间"),
    "observed_published": ("observed (published)", "实际（公布数）"),
    "target_in_year": ("target {year}: {value}", "{year}年目标：{value}"),
    "target_no_year": ("target: {value}", "目标：{value}"),
    "target_total": ("target: {span} total {value} ({unit_en})", "目标：{span}年累计{value}{unit}"),
    "per_year": ("{unit} a year", "{unit}/年"),
    "with_basis": ("{unit}, {basis}", "{unit}，{basis}"),
    "name_with_basis": ("{name} ({basis})", "{name}（{basis}）"),
    "basis.current": ("current prices", "现价"),
    "basis.comparable": ("comparable prices", "可比价"),
    "scenario.plan": ("plan", "规划路径"),
    "scenario.trend": ("trend", "趋势外推"),
    "scenario.baseline": ("baseline", "基准"),
    # pace comparison
    "pace_none": ("no target has both a required and a historical pace", "没有同时具备所需速度和历史速度的目标"),
    "pace_axis_rate_one_basis": ("average annual growth, % a year (money amounts at {basis})",
                                 "年均增速（%/年，货币量按{basis}）"),
    "pace_axis_rate_mixed": ("average annual growth, % a year (price basis as in each row)",
                             "年均增速（%/年，价格口径见各行）"),
    "pace_title_rate": ("Growth targets: required vs historical pace", "增长类目标：所需速度与历史速度"),
    "pace_axis_pp": ("change, percentage points a year", "年均变化（百分点/年）"),
    "pace_title_pp": ("Shares and rates: required vs historical pace", "比重与比率类目标：所需速度与历史速度"),
    "required_pace": ("required pace", "所需速度"),
    "historical_pace": ("historical pace", "历史速度"),
    "no_verdict": ("no verdict", "无结论"),
    # fans, probabilities, forecasts, calibration
    "published_to_forecast": ("published, up to the forecast", "公布数（预测起点及以前）"),
    "break_in_year": ("break {year}", "{year}年口径变化"),
    "fan_title_decided": ("{name}\noutlook from {start} (the {target_year} target is decided)",
                          "{name}\n{start}年起展望（{target_year}年目标已见分晓）"),
    "fan_title": ("{name}\nprobability of meeting the target: {probability}", "{name}\n实现目标的概率：{probability}"),
    "not_available": ("n/a", "无"),
    "value_axis_pass_plan": ("value, in the indicator's unit (pass plan= for units)",
                             "数值（指标单位；传入plan以显示单位）"),
    "probability_axis": ("probability of meeting the target, %", "实现目标的概率（%）"),
    "series": ("series", "序列"),
    "forecast_title": ("{name}: forecast for {to_year} as of {as_of_year}",
                       "{name}：{as_of_year}年对{to_year}年的预测"),
    "observed_afterwards": ("observed afterwards", "此后实际值"),
    "value_axis_pass_unit": ("value, in the series' unit (pass unit= to name it)",
                             "数值（序列单位；传入unit以显示单位）"),
    "engine_reference_classes": ("engine (reference classes)", "参照类预测"),
    "trend_continued": ("trend continued", "趋势延续"),
    "missed": ("missed", "未达到"),
    "met": ("met", "达到"),
    "calibration_axis": ("ex-ante probability of meeting the target", "事前实现概率"),
    "calibration_title": ("Probabilities against outcomes ({n} targets, Brier {brier})",
                          "事前概率与实际结果（{n}个目标，布里尔分数{brier}）"),
    "calibration_title_plain": ("Probabilities against outcomes ({n} targets)", "事前概率与实际结果（{n}个目标）"),
    # outcomes, progress, plan comparison, findings
    "time_elapsed": ("time elapsed", "时序进度"),
    "progress_axis": ("share of the distance to the target covered, %", "目标完成进度（%）"),
    "progress_title": ("Progress against time elapsed", "完成进度与时序进度"),
    "findings_axis": ("implied value against the stated one, % difference", "推算值与规划值之差（%）"),
    "findings_title": ("Where the plan's numbers contradict each other", "规划目标之间的矛盾"),
    "targets_met_pct": ("targets met, %", "达到目标的比例（%）"),
    "median_delivery_pct": ("median pace delivered, % of required", "实际速度占所需速度的中位数（%）"),
    "plan_targets_judged": ("{plan}\n{n} targets judged", "{plan}\n评估{n}个目标"),
    "plan_comparison_title": ("How each plan did against its own targets", "各规划期目标完成情况"),
    "plan_path": ("plan path (required pace)", "规划路径（所需速度）"),
    "trend_ex_ante": ("trend of {period} (ex ante)", "{period}年趋势（事前）"),
    "break_of_kind": ("break: {kind}", "口径变化：{kind}"),
    # tourism arithmetic
    "tourism_base_bar": ("{year} revenue\n(outcome)", "{year}年旅游收入\n（实际）"),
    "tourism_target_bar": ("{year} revenue target\n({value})", "{year}年旅游收入目标\n（{value}）"),
    "tourism_product_bar": ("{year} arrivals target ×\nspending-per-visitor target",
                            "{year}年接待人次目标 ×\n人均消费目标"),
    "tourism_arithmetic": ("{visits_million} million visits\n× {spending_en} {spending_unit_en} per visit\n"
                           "= {implied_en} × {unit_en}",
                           "{arrivals}{arrivals_unit}\n× {spending}{spending_unit}/人次\n= {implied}{unit}"),
    "tourism_base_implied": ("{visits_million} million visits\n× {spending} {spending_unit_en} per visit\n(implied)",
                             "{visits_wan}万人次\n× {spending}{spending_unit}/人次\n（推算）"),
    "tourism_gap_to_target": ("+{gap_en}\nneeds {rate}\na year", "+{gap}\n需年均\n增长{rate}"),
    "tourism_gap_only": ("+{gap_en}\nto the\ntarget", "+{gap}\n距目标"),
    "tourism_excess": ("gap +{excess_en}\n{share} above\nrevenue target", "差额 +{excess}\n高于收入\n目标{share}"),
    "tourism_title": ("Tourism {year}: revenue target vs arrivals × spending targets",
                      "{year}年旅游目标：收入目标与人次×人均消费"),
}


#: The words of the result summaries, notes, reasons and caveats of :mod:`~xiangxi_econ.results.progress`,
#: :mod:`~xiangxi_econ.results.record`, :mod:`~xiangxi_econ.results.assessment`,
#: :mod:`~xiangxi_econ.rules.historical`, :mod:`~xiangxi_econ.results.outcomes`,
#: :mod:`~xiangxi_econ.results.consistency` and :mod:`~xiangxi_econ.results.derived`
#: (English, Chinese); ``{field}`` placeholders (with their number formats) are filled by
#: :func:`summary_text`. Keys start with the module they serve.
SUMMARY_TEXT: dict[str, tuple[str, str]] = {
    # separators of lists inside a sentence
    "list_sep": ("; ", "；"),
    "comma_sep": (", ", "，"),
    "enum_sep": (", ", "、"),
    # progress: the evaluation's summary
    "progress_head": ("Progress evaluation: {n} targets with an outcome ({words}); {missing} without{note}",
                      "目标完成情况评估：{n}个目标有实际数据（{words}），{missing}个无实际数据{note}"),
    "progress_twice": ("; {n} stated twice in the plan, counted once", "；另有{n}个目标重复列出，只计一次"),
    "progress_col_indicator": ("indicator", "指标"),
    "progress_col_as_of": ("as of", "年份"),
    "progress_col_time": ("time", "时间"),
    "progress_col_done": ("done", "完成"),
    "progress_col_status": ("status", "结论"),
    "progress_binding": ("binding (约束性) target", "约束性指标"),
    # progress: why a target has no outcome, and the caveats of a break or of several readings
    "progress_missing_gaps": ("a growth or five-year-total target needs every year's figure; the published record "
                              "has gaps", "增速或五年累计目标需要逐年数据，公布数据有缺年"),
    "progress_break_could_flip": (
        "the series breaks between the base year and the outcome ({breaks}); outcome and target are on different "
        "statistical bases and the break could account for the {margin:.1%} margin",
        "基期与实际值之间统计口径变化（{breaks}）：口径变化可能抵消{margin:.1%}的差距，不可比"),
    "progress_break_definitional": (
        "{breaks}: the verdict holds unless the change moved the figure by {flip:+.0%} (a change of definition of "
        "up to {plausible:.0%} is taken as plausible); no completion or pace across it",
        "{breaks}：除非口径变化使数值变动{flip:+.0%}，结论成立（口径变化按不超过{plausible:.0%}计）；"
        "不跨口径计算完成度和速度"),
    "progress_break_revision": (
        "the level is judged as published; completion and pace cross a revision ({breaks})",
        "按公布水平判断；完成度与速度跨越了数据修订（{breaks}）"),
    "progress_reading": ("{description} = {value:.2f}{unit} ({year})", "{description}为{value:.2f}{unit}（{year}年）"),
    "progress_reading_base": ("{reading}, base year {base:.2f}", "{reading}，基期{base:.2f}"),
    "progress_readings_disagree": (
        "the plan's baseline {base:g}{unit} matches none of the published readings and they disagree: {readings}",
        "规划基数{base:g}{unit}与公布数据的各种口径均不符，且结论不一：{readings}"),
    # outcomes: why a target has no outcome; the plan's baseline against the published figure
    "outcomes_rd_intensity_unpublished": ("R&D intensity is not published at prefecture level in the sources "
                                          "compiled", "所收集的资料中未见州级研发投入强度数据"),
    "outcomes_rd_expenditure_unpublished": ("R&D spending is not published at prefecture level in the sources "
                                            "compiled", "所收集的资料中未见州级研发经费数据"),
    "outcomes_no_figure": ("no published figure of {series} found", "未找到公布数据"),
    "outcomes_figures_end": ("published figures of {series} end in {year}", "公布数据止于{year}年"),
    "outcomes_total_needs_flows": ("a five-year total needs every year's flow; the published record lacks them",
                                   "五年累计目标需要逐年数据，公布数据不全"),
    "outcomes_other_units": ("published only in another unit family or price basis ({units}) than the target "
                             "({unit})", "公布数据的单位或价格口径（{units}）与目标（{unit}）不同"),
    "outcomes_baseline_differs": ("the plan's {year} baseline {base:g}{unit} differs from the published "
                                  "{published:g}{published_unit} ({note})",
                                  "规划{year}年基期值{base:g}{unit}与公布数{published:g}{published_unit}不同"
                                  "（差异原因见数据出处）"),
    "outcomes_see_sources": ("see the sources", "见数据出处"),
    # derived: how an outcome the record does not print was obtained
    "derived_input": ("{series} {value}{unit}", "{series}{value}{unit}"),
    "derived_identity": ("{description}: {inputs} → {value}{unit} ({year})",
                         "按恒等式推算（{description}）：{inputs} → {value}{unit}（{year}年）"),
    "derived_bound": ("a part cannot exceed its whole: {chain} = {value}{unit} ({year})",
                      "部分不超过整体：{chain} = {value}{unit}（{year}年）"),
    "derived_rates": ("published {basis} growth {rates}: {achieved:.2%} a year",
                      "公布的增速{rates}：年均{achieved:.2%}"),
    "derived_rates_bridged": (
        "published {basis} growth {rates}; {missing} is not published: it would have needed {needed:.1%} to reach "
        "{stated:g}% a year, against the fastest year on record {fastest:g}% ({fastest_year})",
        "公布的增速{rates}；{missing}年未公布：需达到{needed:.1%}才能实现年均{stated:g}%，而有记录以来最快为{fastest:g}%"
        "（{fastest_year}年）"),
    "derived_rates_missing": ("no published annual rate for {years}", "未公布{years}年增速"),
    "derived_rate_year": ("{year} {rate:g}%", "{year}年{rate:g}%"),
    "derived_from_plan": ("from the plan's {figures}", "由规划中的{figures}推算"),
    "derived_published": ("published", "公布数"),
    "derived_levels": ("{series} {base}{unit} ({base_year}, {how}) → {end}{unit} ({end_year}): {rate:.2%} a year",
                       "{series}{base}{unit}（{base_year}年）→ {end}{unit}（{end_year}年）：年均{rate:.2%}"),
    "derived_levels_rounding": (" ({low:.1%} to {high:.1%} within the rounding of the printed base)",
                                "（按基数印刷精度为{low:.1%}至{high:.1%}）"),
    "derived_levels_currency": (
        "; in US dollars the yuan would have had to appreciate {needed:.1%} against the dollar over "
        "{base_year}-{end_year} for {target:.0%} a year",
        "；按美元计，人民币需在{base_year}-{end_year}年间对美元升值{needed:.1%}才能达到年均{target:.0%}"),
    # record: the previous plan's track record and two plans side by side
    "record_head": ("Previous plan's track record: {n} indicators, {judged} with a numeric target and outcome, "
                    "{met} met", "上一规划期完成情况：{n}个指标，其中{judged}个有数值目标和实际值，{met}个达到"),
    "record_col_indicator": ("indicator", "指标"),
    "record_col_required": ("required", "所需速度"),
    "record_col_achieved": ("achieved", "实际速度"),
    "record_col_ratio": ("ratio", "比值"),
    "record_col_met": ("met", "达到"),
    "record_col_new": ("new req.", "新规划所需"),
    "record_yes": ("yes", "是"),
    "record_no": ("no", "否"),
    "record_outcome_note": ("the review table prints {printed}; the plan's own {year} figure is {value:g} ({source}), "
                            "used here",
                            "回顾表印为{printed}；规划本身{year}年数值为{value:g}（{source}），此处采用后者"),
    "record_required_pace": ("required pace", "所需速度"),
    "record_achieved_pace": ("achieved pace", "实际速度"),
    "record_plot_title": ("Previous plan: required and achieved pace", "上一规划：所需速度与实际速度"),
    "compare_head": ("Two plans against their own targets", "两个规划期的目标完成情况"),
    "compare_col_plan": ("plan", "规划期"),
    "compare_col_group": ("group", "分组"),
    "compare_col_judged": ("judged", "评估"),
    "compare_col_met": ("met", "达到"),
    "compare_col_share": ("share", "比例"),
    "compare_col_delivery": ("delivery", "速度完成度"),
    "compare_group_all": ("all", "全部"),
    "compare_group_unspecified": ("unspecified", "未标注"),
    "compare_delivery_note": ("delivery = median of achieved pace / required pace",
                              "速度完成度 = 实际年均速度 / 所需年均速度 的中位数"),
    "compare_previous": ("previous", "上一规划期"),
    # assessment: the feasibility summary and the reasons beside a verdict
    "assess_head": ("Target assessment: {n} numeric targets ({no_base} with no required pace, mostly for want of a "
                    "baseline; {twice} more stated twice, counted once), {without} targets without a number",
                    "目标评估：{n}个数值目标（其中{no_base}个无法计算所需增速，多为缺少基期值；另有{twice}个重复列出，只计一次），"
                    "{without}个无数值目标"),
    "assess_method": ("Verdict method: {name} — {reference}", "评估方法：{name} — {reference}"),
    "assess_inflation": ("Inflation assumption: {inflation}", "通胀假设：{inflation}"),
    "assess_inflation_none": ("none (real and current-price rates are not mixed)", "无（不混用不变价增速与现价水平）"),
    "assess_inflation_rate": ("{rate:.2%} a year", "每年{rate:.2%}"),
    "assess_verdicts": ("Verdicts: {verdicts}", "结论：{verdicts}"),
    "assess_col_indicator": ("indicator", "指标"),
    "assess_col_required": ("required", "所需增速"),
    "assess_col_historical": ("historical", "历史增速"),
    "assess_col_ratio": ("ratio", "比值"),
    "assess_col_verdict": ("verdict", "结论"),
    "assess_needs_pp": ("the target needs {pace:+.2f} pp a year", "目标只需每年变动{pace:+.2f}个百分点"),
    "assess_reached_anyway": ("the target is reached even if the value changes {rate:+.2%} a year",
                              "即使数值每年变动{rate:+.2%}，目标也能实现"),
    "assess_no_baseline": ("no baseline in the plan for this target", "规划未给出该目标的基期值"),
    "assess_no_base_flow": ("no base-year annual flow to start the cumulative solver from",
                            "缺少基期年度流量，无法推算累计目标所需增速"),
    "assess_no_observations": ("no observations of this series for {window}", "该序列在{window}期间无观测值"),
    "assess_no_pace": ("no required pace can be computed (a zero or negative level)",
                       "无法计算所需速度（水平值为零或负）"),
    "assess_across_break": ("the historical pace {breaks}: a rate across it mixes two statistical bases, so no "
                            "verdict is given (a comparable reported rate, with inflation= if it is real, is used "
                            "instead where there is one)",
                            "历史速度跨越统计口径断点（{breaks}）：跨断点的增速混合了两种统计口径，不作结论"
                            "（如有可比的公布增速则改用之，不变价增速需给出通胀假设）"),
    "assess_baseline_conflict": ("baseline conflict: {conflict}", "基期值矛盾：{conflict}"),
    "assess_no_number": ("the target has no number ({text})", "目标无具体数值（{text}）"),
    # historical: the pace over the history window, computed and reported
    "hist_head": ("Historical pace {start}-{end}: {n} series, {flagged} with computed and reported rates more than "
                  "{threshold} pp a year apart",
                  "{start}-{end}年历史速度：{n}个序列，其中{flagged}个计算增速与公布增速每年相差超过{threshold}个百分点"),
    "hist_col_series": ("series", "序列"),
    "hist_col_computed": ("computed", "计算值"),
    "hist_col_reported": ("reported", "公布值"),
    "hist_col_gap": ("gap pp", "差距"),
    "hist_col_note": ("note", "说明"),
    "hist_real_vs_current": ("the reported rate is real (comparable prices) while the levels are current prices; the "
                             "gap implies prices {trend}",
                             "公布增速按可比价（实际增速）计算，而水平值为现价；两者之差意味着价格{trend}"),
    "hist_shares_mismatch": ("the reported figure does not match the compound growth of the printed shares; it may be "
                             "a pace in other units or refer to another definition",
                             "公布数与所列比重的复合增长不符，可能是其他单位的变动速度或另一统计口径"),
    "hist_levels_mismatch": ("levels and reported rate disagree on the same price basis; the printed levels may come "
                             "from different statistical definitions or revisions",
                             "同一价格口径下水平值与公布增速不一致；所列水平值可能来自不同的统计口径或数据修订"),
    "hist_price_rose": ("rose{about} {pct:.{digits}f}% a year", "每年{about}上涨{pct:.{digits}f}%"),
    "hist_price_fell": ("fell{about} {pct:.{digits}f}% a year", "每年{about}下降{pct:.{digits}f}%"),
    "hist_price_about": (" about", "约"),
    "hist_spans_break": ("spans a {kind} in {year}: {description}", "跨越{year}年{kind}：{description}"),
    "hist_reported_avg": ("average annual growth", "年均增速"),
    "hist_reported_total": ("total growth {value:g}% over {years} years, annualised",
                            "{years}年累计增长{value:g}%，折算为年均"),
    "hist_reported_change": ("average annual change", "年均变动"),
    "hist_plot_reported": ("reported rate", "公布增速"),
    "hist_plot_computed": ("computed from the levels", "由水平值计算"),
    "hist_plot_title": ("Pace {start}-{end}: computed and reported", "{start}-{end}年增速：计算值与公布值"),
    # consistency: the report's summary
    "cons_head": ("Consistency report: {n} contradictions between the plan's own numbers",
                  "一致性检查：规划自身数字之间有{n}处矛盾"),
    "cons_assumptions": ("Assumptions: {assumptions}", "假设：{assumptions}"),
    "cons_no_assumptions": ("Assumptions: none", "假设：无"),
    "cons_exchange_rate": ("exchange_rate (CNY per USD)", "汇率（元/美元）"),
    "cons_finding": ("{i}. [{severity}] {kind} ({check}): {indicators}",
                     "{i}. [{severity}] {kind}（{check}）：{indicators}"),
    "cons_stated": ("   stated:  {stated}", "   规划数：{stated}"),
    "cons_implied": ("   implied: {implied}", "   推算数：{implied}"),
    "cons_none": ("No contradictions found.", "未发现矛盾。"),
    "cons_value_source": ("{value}{unit} ({bound}, {source})", "{value}{unit}{bound}（{source}）"),
    "cons_printed_source": ("{value} ({source})", "{value}（{source}）"),
    # consistency: duplicate targets and baseline conflicts
    "cons_one_target": ("one target for {series} in {year}", "{year}年{series}只应有一个目标"),
    "cons_both_ceilings": ("both are ceilings, so the stricter one governs and the other is redundant",
                           "两者都是上限，较严格的一个起作用，另一个多余"),
    "cons_both_floors": ("both are floors, so the stricter one governs and the other is redundant",
                         "两者都是下限，较严格的一个起作用，另一个多余"),
    "cons_cannot_both": ("they cannot both be the plan's target; the document never says which one stands",
                         "两者不可能同时是规划目标，文件也未说明以哪个为准"),
    "cons_duplicate": ("The plan states two different {year} targets for the same quantity: {reading}.",
                       "规划对同一指标给出了两个不同的{year}年目标：{reading}。"),
    "cons_one_value": ("one {year} value", "{year}年只应有一个数值"),
    "cons_baseline_conflict": (
        "The plan prints {series} for {year} with values that cannot all be true at once, even allowing for rounding "
        "and for qualifiers such as 以上; targets measured from one of them inherit the doubt.",
        "规划列出的{year}年{series}数值互相矛盾，即使考虑四舍五入和“以上”等限定词也不可能同时成立；以其中之一为基数的目标同样存疑。"),
    # consistency: a printed rate against the printed levels
    "cons_levels_rate": ("{base} -> {target}{unit}, {change} ({source})",
                         "{base} → {target}{unit}，{change}（{source}）"),
    "cons_real_implied": ("{implied:.2f}% a year nominal from the levels; implied price change {deflator:+.2%} a year",
                          "按水平值计算名义年均增长{implied:.2f}%；隐含价格年均变动{deflator:+.2%}"),
    "cons_real_text": ("The {stated:g}% rate is real (comparable prices) and the levels are current prices, so the "
                       "pair implies prices {direction} {size:.2%} a year",
                       "{stated:g}%为实际增速（可比价），而水平值为现价，二者隐含价格每年{direction}{size:.2%}"),
    "cons_falling": ("falling", "下降"),
    "cons_rising": ("rising", "上涨"),
    "cons_real_history": ("; in {start}-{base} they {trend}, at which {stated:g}% real growth gives {at_hist}{unit} in "
                          "{year}, not {target}",
                          "；{start}-{base}年价格{trend}，按此计算，{stated:g}%的实际增长到{year}年为{at_hist}{unit}，而非{target}"),
    "cons_rate_implied": ("{implied:.2f}% a year from the printed levels", "按所列水平值计算年均{implied:.2f}%"),
    "cons_rate_text": ("At the printed {stated:g}% a year, {base} becomes {at_stated}{unit} by {year}, not the printed "
                       "{target}", "按所列年均{stated:g}%，{base}到{year}年为{at_stated}{unit}，而非所列的{target}"),
    "cons_change_implied": ("a change of {change}", "变动{change}"),
    "cons_change_text": ("The printed cumulative change does not match the printed baseline and target.",
                         "所列累计变动与基期值、目标值不符。"),
    "cons_full_stop": (".", "。"),
    # consistency: tourism revenue = arrivals × spending per visitor
    "cons_tourism_stated": ("arrivals {arrivals}{arrivals_unit} ({arrivals_source}); spending "
                            "{spending}{spending_unit} per visitor ({spending_source}); revenue "
                            "{revenue}{revenue_unit} ({revenue_source})",
                            "接待游客{arrivals}{arrivals_unit}（{arrivals_source}）；游客人均花费{spending}{spending_unit}"
                            "（{spending_source}）；旅游收入{revenue}{revenue_unit}（{revenue_source}）"),
    "cons_tourism_implied": ("revenue = arrivals × spending = {implied:,.0f}{unit}",
                             "旅游收入 = 接待人次 × 人均花费 = {implied:,.0f}{unit}"),
    "cons_tourism_floors": (
        "All three are floors, so they can all be exceeded, but they cannot all be the plan's central expectation: "
        "meeting the arrival and spending targets gives revenue of at least {implied:,.0f}{unit}, {above:.0%} above "
        "the revenue target.",
        "三个目标都是下限，都可以被超过，但不可能都是规划的中心预期：实现接待人次和人均花费目标，旅游收入至少为"
        "{implied:,.0f}{unit}，比收入目标高{above:.0%}。"),
    "cons_tourism_product": ("Arrivals × spending gives {implied:,.0f}{unit}, not {target}.",
                             "接待人次乘人均花费为{implied:,.0f}{unit}，而非{target}。"),
    "cons_tourism_other_way": (
        " Put the other way, the revenue and arrival targets imply spending of {spend_implied:,.0f}元 per visitor, "
        "against {spend0:,.0f}元 in {base} ({revenue0}{revenue0_unit} / {arrivals0}{arrivals0_unit}) and the "
        "{spending}元 target.",
        "反过来看，收入与人次目标隐含游客人均花费{spend_implied:,.0f}元，而{base}年为{spend0:,.0f}元"
        "（{revenue0}{revenue0_unit} / {arrivals0}{arrivals0_unit}），目标为{spending}元。"),
    # consistency: R&D intensity
    "cons_rd_stated": (
        "R&D intensity {target}% by {year} ({source}); R&D spending +{rd_rate:.0%} a year ({growth_source}); GDP "
        "{gdp_base} -> {gdp_target}{gdp_unit} ({gdp_source}); {base} intensity {s0}% ({base_source})",
        "{year}年研发经费投入强度{target}%（{source}）；研发经费年均增长{rd_rate:.0%}（{growth_source}）；地区生产总值"
        "{gdp_base} → {gdp_target}{gdp_unit}（{gdp_source}）；{base}年研发经费投入强度{s0}%（{base_source}）"),
    "cons_rd_implied": ("intensity = {s0}% × (1.{rd_pct:02.0f} / {gdp_factor:.4f})^{years:g} = {implied:.2f}%",
                        "研发经费投入强度 = {s0}% × (1.{rd_pct:02.0f} / {gdp_factor:.4f})^{years:g} = {implied:.2f}%"),
    "cons_rd_text": (
        "R&D spending growing {rd_rate:.0%} a year while nominal GDP grows {gdp_rate:.2%} (the path to "
        "{gdp_target}{gdp_unit}) lifts R&D intensity only to {implied:.2f}%; reaching {target}% needs R&D spending to "
        "grow {needed:.1%} a year.",
        "研发经费年均增长{rd_rate:.0%}、名义地区生产总值年均增长{gdp_rate:.2%}（达到{gdp_target}{gdp_unit}的路径）时，"
        "研发经费投入强度只能升至{implied:.2f}%；要达到{target}%，研发经费需年均增长{needed:.1%}。"),
    # consistency: GDP = labour productivity × employment
    "cons_prod_stated": (
        "labour productivity {prod_base} -> {prod_target}{prod_unit} at {prod_change} ({prod_source}); GDP "
        "{gdp_base} -> {gdp_target}{gdp_unit} at {gdp_change} ({gdp_source})",
        "全员劳动生产率{prod_base} → {prod_target}{prod_unit}，{prod_change}（{prod_source}）；地区生产总值"
        "{gdp_base} → {gdp_target}{gdp_unit}，{gdp_change}（{gdp_source}）"),
    "cons_prod_implied": (
        "employment = GDP / productivity: {emp0:,.1f}万人 in {year0}, {emp1:,.1f}万人 in {year1} ({rate:+.2%} a year)",
        "从业人员 = 地区生产总值 / 劳动生产率：{year0}年{emp0:,.1f}万人，{year1}年{emp1:,.1f}万人（年均{rate:+.2%}）"),
    "cons_prod_text": (
        "The two printed rates ({gdp_rate}% and {prod_rate}%) imply employment growing {rates_emp:+.2%} a year, but "
        "the two level targets imply {emp_rate:+.2%} a year: the productivity level was carried forward at its rate, "
        "the GDP level was not (see the GDP price-basis finding).",
        "两个所列增速（{gdp_rate}%和{prod_rate}%）意味着从业人员年均增长{rates_emp:+.2%}，而两个水平目标意味着年均"
        "{emp_rate:+.2%}：劳动生产率水平按其增速推算，地区生产总值水平则不是（见地区生产总值价格口径的发现）。"),
    # consistency: manufacturing within the secondary sector
    "cons_manu_stated": (
        "manufacturing share {target}% by {year} ({source}); {base}: manufacturing {man0}% ({man0_source}), secondary "
        "sector {sec0}% ({sec0_source})",
        "{year}年制造业增加值占比{target}%（{source}）；{base}年：制造业{man0}%（{man0_source}），第二产业{sec0}%"
        "（{sec0_source}）"),
    "cons_manu_implied": ("secondary share {implied}% if the rest of industry and construction keeps its {other}% of "
                          "GDP", "若其余工业和建筑业保持占地区生产总值{other}%，第二产业占比为{implied}%"),
    "cons_manu_text": (
        "Manufacturing is part of the secondary sector. A {target}% manufacturing share needs the secondary sector to "
        "gain {rise:.1f} pp in {years:g} years ({pace:+.2f} pp a year)",
        "制造业属于第二产业。制造业占比达到{target}%，需要第二产业占比在{years:g}年内提高{rise:.1f}个百分点"
        "（每年{pace:+.2f}个百分点）"),
    "cons_manu_trend": (" after moving {trend:+.2f} pp a year in {start}-{base}",
                        "，而{start}-{base}年每年变动{trend:+.2f}个百分点"),
    "cons_manu_exceeds": ("; it exceeds the whole secondary sector's {base} share of {sec0}%.",
                          "；该目标超过了{base}年整个第二产业{sec0}%的占比。"),
    # consistency: trade dependence
    "cons_trade_base_stated": (
        "trade dependence {dependence}% in {base} ({source}); trade {trade}{trade_unit} ({trade_source}); GDP "
        "{gdp}{gdp_unit}",
        "{base}年外贸依存度{dependence}%（{source}）；进出口总额{trade}{trade_unit}（{trade_source}）；地区生产总值"
        "{gdp}{gdp_unit}"),
    "cons_trade_base_text": (
        "At the exchange rate of {fx} CNY per USD the printed trade and GDP give a dependence of {share:.2f}%, not "
        "{dependence}% (a different exchange rate or definition may be behind it).",
        "按{fx}元/美元的汇率，所列进出口总额和地区生产总值得出的外贸依存度为{share:.2f}%，而非{dependence}%"
        "（可能采用了不同的汇率或统计口径）。"),
    "cons_trade_stated": (
        "trade dependence {target}% by {year} ({source}); trade growth {growth} ({growth_source}); GDP "
        "{gdp}{gdp_unit} ({gdp_source})",
        "{year}年外贸依存度{target}%（{source}）；进出口总额增长目标“{growth}”（{growth_source}）；地区生产总值"
        "{gdp}{gdp_unit}（{gdp_source}）"),
    "cons_trade_text": (
        "Trade growing at least {rate:.0%} a year reaches {reached:.2f}{trade_unit} by {year}, which against GDP of "
        "{gdp}{gdp_unit} is a dependence of at least {implied:.2f}% at a constant exchange rate — above the {target}% "
        "target (an exchange rate below about {fx_needed:.2f} CNY per USD would reconcile them).",
        "进出口总额年均增长至少{rate:.0%}，到{year}年达到{reached:.2f}{trade_unit}，相对于{gdp}{gdp_unit}的地区生产总值，"
        "汇率不变时外贸依存度至少为{implied:.2f}%，高于{target}%的目标（汇率低于约{fx_needed:.2f}元/美元才能使二者一致）。"),
    # consistency: a printed share of GDP against its printed level
    "cons_share_stated": (
        "{name} {stated}% in {year} ({source}); {level_series} {level}{level_unit} ({level_source}); GDP "
        "{gdp}{gdp_unit}",
        "{year}年{name}{stated}%（{source}）；{level_series}{level}{level_unit}（{level_source}）；地区生产总值"
        "{gdp}{gdp_unit}"),
    "cons_share_implied": ("{level} / {gdp} = {implied:.2f}% of GDP",
                           "{level} / {gdp} = {implied:.2f}%（占地区生产总值）"),
    "cons_share_text": ("The printed level gives {implied:.2f}% of GDP, the printed share {stated}%; {caveat}, but the "
                        "plan does not say so.",
                        "按所列水平值计算占地区生产总值{implied:.2f}%，所列比重为{stated}%；{caveat}，但规划未作说明。"),
    "cons_share_fiscal": ("local fiscal revenue (地方财政收入) and local general public budget revenue "
                          "(地方一般公共预算收入) may be defined differently",
                          "地方财政收入与地方一般公共预算收入的口径可能不同"),
    "cons_share_digital": ("the 'scale' of the digital economy may be a different measure from core-industry value "
                           "added", "数字经济“规模”与核心产业增加值可能不是同一指标"),
    # consistency: reported history against the printed levels
    "cons_history_stated": (
        "{start_value} ({start}, {start_source}) -> {end_value}{unit} ({base}, {end_source}); reported {reported:.1%} "
        "a year ({reported_source})",
        "{start_value}（{start}年，{start_source}）→ {end_value}{unit}（{base}年，{end_source}）；公布年均增速"
        "{reported:.1%}（{reported_source}）"),
    "cons_history_implied": ("{computed:.2%} a year from the printed levels", "按所列水平值计算年均{computed:.2%}"),
    "cons_history_text": (
        "The plan reports {reported:.1%} a year for {start}-{base} but its own levels grow {computed:.2%} a year on "
        "the same price basis; the required-versus-historical comparison uses the levels, and the reported rate is "
        "shown beside it.",
        "规划称{start}-{base}年年均增长{reported:.1%}，但按同一价格口径，其自身水平值年均增长{computed:.2%}；"
        "所需速度与历史速度的比较采用水平值，公布增速列于其旁。"),
    "cons_cumulative_stated": (
        "{first}-{base} total {total}{unit} ({source}); levels {low} ({start}, {low_source}) and {high}{high_unit} "
        "({base}, {high_source})",
        "{first}-{base}年累计{total}{unit}（{source}）；水平值{low}（{start}年，{low_source}）和{high}{high_unit}"
        "（{base}年，{high_source}）"),
    "cons_cumulative_implied": ("sum of annual flows growing {rate:.2%} a year between the two levels = "
                                "{implied}{unit}",
                                "两个水平值之间按年均{rate:.2%}增长的年度流量之和 = {implied}{unit}"),
    "cons_cumulative_text": (
        "A steady path between the printed {start} and {base} levels adds up to {implied}{unit} over {first}-{base}, "
        "{off:+.0%} off the printed total; the levels, the total or both rest on different definitions.",
        "在所列{start}年与{base}年水平值之间平稳增长，{first}-{base}年累计为{implied}{unit}，与所列累计数相差{off:+.0%}；"
        "水平值、累计数或两者采用了不同口径。"),
    # ---- the outside view of a growth target (probability/outside_view.py; Li, Liu, Weng and Zhou 2019) ----
    "outside_view_head": (
        "Outside view of a growth target of {target}% against recent growth of {recent}% (gap {gap} pp)",
        "增长目标{target}%、上年增速{recent}%（差距{gap}个百分点）的外部视角"),
    "outside_view_body": (
        "Cities whose target was {bin} pp above last year's growth, {years}: {n_met} of {n} met it "
        "({share:.0%}; 90% interval {lo:.0%}-{hi:.0%}).",
        "{years}年目标比上年增速高{bin}个百分点的城市：{n}个目标中{n_met}个实现（{share:.0%}；90%区间{lo:.0%}-{hi:.0%}）。"),
    "outside_view_none": (
        "No city target of {years} had a gap in {bin} pp: the outside view has nothing to say.",
        "{years}年没有城市目标的差距落在{bin}个百分点内：外部视角无从判断。"),
    "outside_view_year": ("  {year}: {n_met} of {n} met ({share:.0%})",
                          "  {year}年：{n}个中{n_met}个实现（{share:.0%}）"),
    "outside_view_source": ("Source: {citation}.", "来源：{citation}。"),
    "outside_backtest_head": (
        "P(city growth >= its own target) as of the year before, on {n} city targets ({excluded} without last "
        "year's growth left out); Brier score (lower is better):",
        "上年末预测的P(城市增速≥自身目标)，共{n}个城市目标（{excluded}个缺上年增速，未计入）；布赖尔评分（越低越好）："),
    "outside_backtest_row": (
        "  {year}: n = {n}, met {met:.0%}; model {model:.3f}, base rate {base:.3f}, logistic {logit:.3f}; "
        "model / better baseline {ratio:.2f}",
        "  {year}：n = {n}，实现{met:.0%}；模型{model:.3f}，基础比率{base:.3f}，逻辑回归{logit:.3f}；"
        "模型/较优基准 {ratio:.2f}"),
    # ---- end of the outside view ----
    # --- reviews that hold their own rules; the province beside the prefecture (issue 22) ---------------
    "abnormal_base": (
        "abnormal base: in {year} the level ({level:,.4g}{unit}) lay {dip:.0%} below the trend of {first}-{last} "
        "on the same basis (about {trend:,.4g}{unit}); a pace from it overstates the trend",
        "基期异常：{year}年水平（{level:,.4g}{unit}）比同口径{first}-{last}年趋势（约{trend:,.4g}{unit}）低{dip:.0%}，"
        "由此计算的速度高估趋势"),
    "progress_break_midterm": (
        "{breaks}: no completion or pace can be computed across it, so no mid-term status either; a figure "
        "on the plan's basis is needed",
        "{breaks}：不能跨口径计算完成度和速度，因而也不给出中期进度判断；需按规划口径的数据"),
    "progress_rebase_moved": (
        "; the re-base put {year} at {published:,.4g}{unit} rather than the plan's {base:,.4g}{unit} ({moved})",
        "；重新核定后{year}年为{published:,.4g}{unit}，而规划基数为{base:,.4g}{unit}（{moved}）"),
    "progress_rebase_unknown": (
        "; the record holds no {year} figure on the re-based basis, so how far the base moved is not known",
        "；记录中没有{year}年重新核定后的数据，基数变动幅度未知"),
    "progress_input_breaks": (
        "derived from {inputs}; ", "由{inputs}推算；"),
    "province_head": (
        "{province}'s {plan} headline targets ({source}) beside the pace each prefecture target needs, {base}-{end}:",
        "{province}{plan}主要目标（{source}）与州级目标所需速度对照，{base}-{end}年："),
    "province_no_match": ("no prefecture target on this series", "州级规划无此指标目标"),
    "province_nominal_real": (
        "the prefecture's pace is nominal (current prices), the province's real: they differ by the GDP deflator; "
        "pass inflation= to compare",
        "州级速度为名义（现价），省级为实际增速：二者相差GDP平减指数；给出平减指数增速假设后可比较"),
    "progress_moved_pp": ("{moved:+.2f} pp", "{moved:+.2f}个百分点"),
    "province_real_from_nominal": (
        "real pace = nominal pace deflated by {inflation:.1%} a year (assumed)",
        "实际速度 = 名义速度按每年{inflation:.1%}（假设）平减"),
    "province_relative": (
        "relative ask: {what}", "相对要求：{what}"),
    "province_col_target": ("province's ask", "省级要求"),
    "province_col_needs": ("prefecture needs", "州级所需"),
    "province_col_compare": ("compared", "比较"),
    "province_above": ("asks more than the province", "高于省级要求"),
    "province_within": ("within the province's ask", "符合省级要求"),
    "province_below": ("asks less than the province", "低于省级要求"),
    "province_not_comparable": ("not comparable", "不可比"),
}


def summary_text(key: str, lang: str = "en", **fields: object) -> str:
    """A word or sentence of a result summary, note, reason or caveat from :data:`SUMMARY_TEXT` in
    ``lang``, ``{field}`` placeholders filled (numbers formatted by the placeholder's own spec).

    Examples
    --------
    >>> summary_text("progress_twice", "zh", n=4)
    '；另有4个目标重复列出，只计一次'
    >>> summary_text("progress_reading", "en", description="tax / GDP", value=6.25, unit="%", year=2025)
    'tax / GDP = 6.25% (2025)'
    """
    en, zh = SUMMARY_TEXT[key]
    return agree((zh if check_lang(lang) == "zh" else en).format(**fields))
