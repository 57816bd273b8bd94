"""Build the package's observed-data files from the shared compilation of published statistics.

Run from the project root::

    python data/build_observations.py

It reads ``../shared/data/xiangxi_observations_sources.csv`` (190 published figures for Xiangxi,
2007-2025, each with its source and quoted clause; not shipped) and writes, deterministically and
in UTF-8:

- ``xiangxi_econ/data/observations.csv`` — the figures in the package's vocabulary: series ids of
  the plan catalogue (``indicators.csv``) where one exists, a measure (level / growth_pct), a
  status, a source grade, a version, one preferred row per key, and the segment between breaks;
- ``xiangxi_econ/data/breaks.csv`` — the statistical breaks, curated below (:data:`BREAKS`).

Every choice is a table or a rule in this file:

- :data:`SERIES_MAP` maps each compiled series name to ``(series_id, measure)``;
  :data:`YEAR_OVERRIDES` handles the two rows whose currency changes the series.
- Rows are left out for two reasons, both counted in the printed summary: grade D (a series name
  marked ``[UNRELIABLE]``) and :data:`OUT_OF_SCOPE` (not an annual figure).
- :data:`GRADE_RULES` grade a row from its source text, first match wins (grades of the shared
  data README; sources it does not name are graded here and the reason is written beside the rule).
- Status: ``lower_bound`` when the value is printed as ">x" (超过); ``preliminary`` when the source or
  the compiler's remark says 预计/estimate; otherwise ``final``.
- Versions: 2015 GDP, its growth and secondary value added exist including and excluding the
  relocated cigarette production (:func:`version_of`); ``used_by_plan`` marks the version the plan
  follows.
- Preferred row per (series_id, year, measure, version): final before preliminary before lower
  bound, then the better grade, then the more precise figure (more decimals), then file order.
- Notes: the compiler's bracketed remark at the end of a quote moves to ``note`` (the quote keeps
  the clause as printed); a value that is a conversion of a printed number (English "billion",
  万元 to 亿元, persons to 万人) or a rounding of it gets a note ``converted: <printed> <op> <factor>
  = <value>`` found by :func:`conversion_note`; curated remarks are in :data:`NOTES`.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_CSV = ROOT.parent / "shared" / "data" / "xiangxi_observations_sources.csv"
OUT_DIR = ROOT / "xiangxi_econ" / "data"

if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

# --------------------------------------------------------------------------- mapping

#: compiled series name -> (package series_id, measure). Ids of the plan catalogue where it has the
#: quantity; new ids (marked "new") otherwise, documented in xiangxi_econ/data/README.md.
SERIES_MAP: dict[str, tuple[str, str]] = {
    "gdp": ("gdp", "level"),
    "gdp_real_growth": ("gdp", "growth_pct"),
    "gdp_per_capita": ("gdp_per_capita", "level"),  # new
    "disposable_income_all": ("disposable_income_per_capita", "level"),
    "disposable_income_urban": ("urban_disposable_income_per_capita", "level"),
    "disposable_income_rural": ("rural_disposable_income_per_capita", "level"),
    "primary_va": ("primary_sector_va", "level"),  # new
    "secondary_va": ("secondary_sector_va", "level"),  # new
    "tertiary_va": ("tertiary_sector_va", "level"),  # new
    "primary_share": ("primary_sector_share", "level"),
    "secondary_share": ("secondary_sector_share", "level"),
    "tertiary_share": ("tertiary_sector_share", "level"),
    "industry_share_of_gdp": ("industry_va_share", "level"),  # new: 工业增加值占GDP比重
    "hightech_industry_va": ("high_tech_va", "level"),  # new (the catalogue has high_tech_va_share_gdp)
    "industrial_va_above_scale_growth": ("industrial_va_above_scale", "growth_pct"),
    "manufacturing_va_above_scale_growth": ("manufacturing_va_above_scale", "growth_pct"),  # new
    "manufacturing_va_growth": ("manufacturing_va", "growth_pct"),  # new
    "manufacturing_contribution_to_growth": ("manufacturing_contribution_to_growth", "level"),  # new
    "industrial_park_above_scale_industrial_va": ("industrial_park_va_above_scale", "level"),  # new
    "industrial_enterprise_RD_to_revenue_ratio (proxy, NOT R&D/GDP)": ("industrial_rd_to_revenue_ratio", "level"),
    "fiscal_total_revenue": ("fiscal_revenue_total", "level"),
    "local_fiscal_revenue (地方财政收入)": ("local_fiscal_revenue", "level"),
    # 一般公共预算收入 and 地方财政收入 as the bulletins print them are one series (2024 78.1 × 1.023 = 2025 79.9)
    "general_public_budget_revenue": ("local_fiscal_revenue", "level"),
    "general_public_budget_expenditure": ("general_public_budget_expenditure", "level"),  # new
    "fiscal_sci_tech_expenditure": ("fiscal_sci_tech_expenditure", "level"),  # new
    "fixed_asset_investment": ("fixed_asset_investment", "level"),
    "fixed_asset_investment_growth": ("fixed_asset_investment", "growth_pct"),
    "retail_sales": ("retail_sales", "level"),
    "retail_sales_growth": ("retail_sales", "growth_pct"),
    "imports_exports_total": ("trade_total_usd", "level"),
    "imports_exports_growth": ("trade_total_usd", "growth_pct"),
    "exports": ("exports_usd", "level"),  # new
    "imports": ("imports_usd", "level"),  # new
    "tourism_revenue": ("tourism_revenue", "level"),
    "tourism_revenue_growth": ("tourism_revenue", "growth_pct"),
    "tourist_arrivals": ("tourism_arrivals", "level"),
    "tourist_arrivals_growth": ("tourism_arrivals", "growth_pct"),
    "inbound_tourists": ("inbound_tourism_arrivals", "level"),  # new
    "forest_coverage": ("forest_cover", "level"),
    "urbanization_rate": ("urbanisation_rate", "level"),
    "urban_population": ("urban_population", "level"),
    "resident_population": ("resident_population", "level"),  # new
    "registered_population": ("registered_population", "level"),  # new
    "registered_or_total_population": ("registered_population", "level"),
}

#: (compiled series, year) -> (series_id, measure) where the row's currency differs: the 2025
#: bulletin prints trade in 亿元, not 亿美元, so it is another series.
YEAR_OVERRIDES: dict[tuple[str, int], tuple[str, str]] = {
    ("imports_exports_total", 2025): ("trade_total_cny", "level"),  # new
    ("imports_exports_growth", 2025): ("trade_total_cny", "growth_pct"),
}

#: Growth rates the compilation gives without a price basis: nominal for money flows (NBS practice:
#: only GDP and value-added growth are real); arrivals are not money.
GROWTH_PRICE_BASIS = {"fixed_asset_investment": "current", "retail_sales": "current", "trade_total_usd": "current",
                      "trade_total_cny": "current", "tourism_revenue": "current"}

#: (compiled series, year) -> why the row is not an annual observation of the series.
OUT_OF_SCOPE: dict[tuple[str, int], str] = {
    ("tourism_revenue_H1 (Jan-Jun only)", 2017): "half-year figure, not an annual observation",
    ("tourist_arrivals_H1 (Jan-Jun only)", 2017): "half-year figure, not an annual observation",
    ("fixed_asset_investment_cumulative_2011_2015", 2015): "five-year total 2011-2015, not an annual observation",
    ("forest_coverage", 2024): "qualitative 十四五-period statement (稳定在60%以上); the year is approximate",
}

#: (compiled series, year) -> further figures printed in the same quote, as (series_id, measure, value,
#: unit): the 2025 bulletin's fiscal clause also prints tax revenue (税收收入), a series of its own.
ALSO_IN_QUOTE: dict[tuple[str, int], tuple[tuple[str, str, str, str], ...]] = {
    ("general_public_budget_revenue", 2025): (("tax_revenue", "level", "37.9", "亿元"),),
}

UNRELIABLE = "[UNRELIABLE]"

#: (pattern in the source text, grade, why). First match wins; the default is B.
GRADE_RULES: tuple[tuple[str, str, str], ...] = (
    ("2025年国民经济和社会发展统计公报", "A", "the prefecture's 2025 statistical bulletin, full text"),
    ("2016年湘西州人民政府工作报告", "A", "the 2016 government work report, official site"),
    ("2018年湘西州政府工作报告", "A-", "the 2018 work report seen as a copy"),
    ("省政府新闻办", "A-", "the provincial 十四五 press conference of 2025-11-03, seen as a copy"),
    ("2013年国民经济和社会发展统计公报", "A-", "the 2013 bulletin, seen as a copy"),
    ("2022年国民经济和社会发展统计公报", "A-", "the 2022 bulletin, opening section, seen as a copy"),
    ("CSMAR", "B+", "academic city table (CSMAR CRE_Gdpct), 2017-2021"),
    ("machine-translated", "C", "2021 figures via machine translation"),
    ("third-party article", "C", "third-party commentary"),
    ("travel article", "C", "third-party commentary (2021 tourism)"),
    ("Wikipedia", "C", "not named by the shared README: an encyclopedia infobox, rounded, year unclear"),
    ("test_national_panel.py", "C", "not named by the shared README: a test fixture of another repository "
                                    "whose underlying document is not known"),
)
DEFAULT_GRADE = "B"  # provincial English site and news reposts (and other copies the README does not name)

GRADE_ORDER = ("A", "A-", "B+", "B", "C")
STATUS_ORDER = ("final", "preliminary", "lower_bound")

#: Versions of 2015 figures: including or excluding the relocated cigarette production (shared
#: data README, trap 1). The plan follows the version including it.
VERSIONED = {("gdp", 2015), ("gdp_real_growth", 2015), ("secondary_va", 2015)}
PLAN_VERSION = "incl_relocated_tobacco"

#: (compiled series, year, value as compiled) -> curated remark for ``note``.
NOTES: dict[tuple[str, int, str], str] = {
    ("gdp", 2015, "512"): "the plan prints 517 for 2015 (专栏1 序号1), neither 512 nor 497.2; it is nearest "
                          "this version (+1.0%, against +4.0% for the version excluding tobacco), probably "
                          "a later revision of it",
    ("gdp", 2015, "511.9"): "the 2015 bulletin prints 512 for the same version; the plan prints 517",
    ("gdp", 2015, "497.19"): "provincial ranking of prefecture GDP, excluding the relocated cigarette production",
    ("gdp", 2017, "585"): "January 2018 estimate (预计); the final figure is 575.55",
    ("gdp", 2019, "705.7136"): "after the 4th economic census revision (see breaks.csv); 2018 is 605.05",
    ("tourism_arrivals", 2020, "4206.2"): "the plan's 2020 baseline 5490万人次 does not match; it looks like 2019",
    ("tourism_revenue", 2020, "388.8"): "游客总花费 (total visitor spending); the plan's 2020 baseline 461亿元 "
                                        "does not match and looks like 2019",
    ("disposable_income_rural", 2010, "3173"): "in 2010 the official rural series was 农民人均纯收入 (net income); "
                                               "see breaks.csv",
    ("forest_coverage", 2025, "60.35"): "land-survey method (see breaks.csv); 70.24 in 2016-2018 is the old method",
    ("resident_population", 2025, "236.06"): "re-based on the 2020 population census (see breaks.csv)",
    ("secondary_share", 2025, "20.6"): "29 in 2022: mining collapsed in 2023 (采矿业 -64.9%); a census revision "
                                       "may also contribute (not confirmed, so not listed as a break)",
    ("registered_or_total_population", 2022, "290.2"): "total (户籍) population scale, not resident population",
    ("general_public_budget_revenue", 2023, "79.90"): "identical to the 2025 bulletin figure (79.9): check before use",
}

#: Remarks of the compiler in ``price_basis`` that carry no information beyond the mapped columns.
PLAIN_BASES = {"", "current", "comparable", "current (incl. cigarette)", "current (excl. cigarette)",
               "comparable (incl. cigarette)", "comparable (excl. cigarette)",
               "current (incl. relocated cigarette production)", "current (excl. relocated cigarette production)",
               "current; lower bound (超过)", "lower bound (超过)"}

# --------------------------------------------------------------------------- breaks

_CENSUS4_SOURCE = ("国家统计局《第四次全国经济普查公报》(2019-11-20) and the GDP revision that followed;"
                   " Xiangxi levels "
                   "2018 605.05, 2019 705.71亿元 as compiled in CSMAR CRE_Gdpct from the prefecture's statistical "
                   "bulletins")
_CENSUS7_SOURCE = "国家统计局《第七次全国人口普查公报》(2021-05-11); 湘西自治州2025年国民经济和社会发展统计公报"
_HOUSEHOLD_SURVEY = "国家统计局 城乡一体化住户收支与生活状况调查 (from 2013)"


def _brk(series_id: str, year: int, kind: str, en: str, zh: str, source: str, size: str = "") -> dict[str, str]:
    """One break row; ``source`` names the public source (bulletin, work report, census communiqué)."""
    return {"series_id": series_id, "year": str(year), "kind": kind, "description_en": en, "description_zh": zh,
            "source": source, "size": size}


#: The statistical breaks of the embedded series; ``year`` is the first year on the new basis.
BREAKS: tuple[dict[str, str], ...] = (
    _brk("forest_cover", 2024, "method",
         ("forest cover by the land-survey method (third national land survey): 'stable above 60%' by "
          "2024 and 60.35% in 2025, against 70.24% by the old method (2016-2020); a change of method,"
          " not deforestation. The new method was in use by 2024 at the latest"),
         "森林覆盖率改按国土调查口径：2024年“稳定在60%以上”，2025年60.35%，旧口径2016-2020年为70.24%，"
         "为方法变化而非毁林；新口径最迟2024年已采用",
         ("湘声报 2025-11-03 (湖南“十四五”答卷 湘西州专场): 湘西州森林覆盖率稳定在60%以上; "
         "湘西自治州2025年国民经济和社会发展统计公报 "
          "(60.35%); the "
          "third national land survey (第三次全国国土调查主要数据公报, 2021-08-26)")),
    _brk("gdp", 2019, "census_revision",
         ("GDP levels from 2019 on follow the 4th national economic census (2018) revision: 2018 605.05 "
          "亿元, 2019 705.71 亿元 (+17%) is a revision, not growth"),
         "2019年起数据按第四次全国经济普查修订：2018年605.05亿元、2019年705.71亿元（+17%）为修订而非增长",
         _CENSUS4_SOURCE),
    _brk("gdp_per_capita", 2019, "census_revision",
         "per-capita GDP follows the census-revised GDP from 2019 on (22885 to 26691 元, +17%)",
         "人均地区生产总值随第四次经济普查修订后的GDP自2019年起调整",
         _CENSUS4_SOURCE),
    _brk("gdp_per_capita", 2020, "rebase",
         "per-capita GDP is divided by resident population re-based on the 2020 population census",
         "人均地区生产总值的分母常住人口按2020年第七次人口普查重新核定",
         _CENSUS7_SOURCE),
    _brk("primary_sector_va", 2019, "census_revision",
         "primary value added follows the census-revised GDP from 2019 on (79.83 to 94.86 亿元, +19%)",
         "第一产业增加值自2019年起按第四次经济普查修订",
         _CENSUS4_SOURCE),
    _brk("resident_population", 2020, "rebase",
         ("resident population re-based on the 2020 (7th) population census: 264.95万 (2018) against 236.06万 "
          "(2025) is mostly the re-base, not emigration"),
         "常住人口按2020年第七次全国人口普查重新核定（2018年264.95万人，2025年236.06万人）",
         _CENSUS7_SOURCE),
    _brk("retail_sales", 2018, "revision",
         ("retail sales were revised between vintages: the 2016 work report gives 227亿元 for 2015 and "
          "the 2018 work report 281亿元 for 2017, while the plan (2021) prints 175.9亿元 for 2015 and 243.5亿元 "
          "for 2020; figures published from 2018 on, and the plan's own, are of the revised vintage"),
         ("社会消费品零售总额在不同年份的公布口径间有修订：2016年政府工作报告2015年为227亿元、2018年报告2017年为281亿元，"
          "而规划（2021年）列2015年175.9亿元、2020年243.5亿元；"
          "2018年起公布的数据与规划数据为修订后口径"),
         "2016年湘西州人民政府工作报告 (2015年227亿元); 2018年湘西州人民政府工作报告 (2017年281亿元)"
         "; 规划纲要 专栏1 序号5 (175.9, 243.5)"),
    _brk("rural_disposable_income_per_capita", 2013, "definition",
         ("before the 2013 integrated household survey the rural series was 农民人均纯收入 (net income), not "
          "disposable income"),
         "2013年城乡一体化住户调查改革前农村居民收入指标为农民人均纯收入",
         _HOUSEHOLD_SURVEY + "; 2016年湘西州人民政府工作报告 (2010年农村居民收入3173元, 农民人均纯收入)"),
    _brk("secondary_sector_va", 2019, "census_revision",
         "secondary value added follows the census-revised GDP from 2019 on (171.65 to 198.26 亿元, +16%)",
         "第二产业增加值自2019年起按第四次经济普查修订",
         _CENSUS4_SOURCE),
    _brk("tertiary_sector_va", 2019, "census_revision",
         "tertiary value added follows the census-revised GDP from 2019 on (353.58 to 412.59 亿元, +17%)",
         "第三产业增加值自2019年起按第四次经济普查修订",
         _CENSUS4_SOURCE),
    _brk("tourism_revenue", 2020, "definition",
         ("from 2020 on tourism 'revenue' is published as 游客总花费 (total visitor spending), not the earlier "
          "旅游收入; the plan's 2020 baseline 461亿元 is on the old definition (published 2020: 388.8亿元)"),
         "2020年起旅游收入按游客总花费公布，不再是原旅游收入口径；规划2"
         "020年基数461亿元为旧口径（公布的2020年为388.8亿元）",
         ("湘声报 2025-11-03 (湖南“十四五”答卷 湘西州专场: 旅游总收入 2020年388.8亿元, 2024年691.3亿元)"
          "; 湘西自治州2025年国民经济和社会发展统计公报 "
          "(游客总花费729亿元)")),
    _brk("urban_disposable_income_per_capita", 2013, "definition",
         ("before the 2013 integrated household survey the urban series was 城镇居民人均可支配收入 from the separate "
          "urban survey; from 2013 on it comes from the integrated urban-rural household survey"),
         "2013年城乡一体化住户调查改革前城镇居民收入来自单独的城镇住户调查",
         _HOUSEHOLD_SURVEY + "; 2016年湘西州人民政府工作报告 (2010年12115元, 2015年19267元)"),
    _brk("urban_population", 2020, "rebase",
         "urban resident population re-based on the 2020 population census",
         "城镇常住人口按2020年第七次人口普查重新核定",
         _CENSUS7_SOURCE),
    _brk("urbanisation_rate", 2020, "rebase",
         ("urbanisation rate of the resident population: its denominator was re-based on the 2020 population "
          "census (2025: 130.39万 / 236.06万 = 55.24%)"),
         "常住人口城镇化率的分母按2020年第七次人口普查重新核定",
         _CENSUS7_SOURCE),
)

OBS_COLUMNS = ("series_id", "year", "measure", "value", "unit", "price_basis", "status", "grade", "version",
               "used_by_plan", "preferred", "segment", "source", "quote", "note")
BREAK_COLUMNS = ("series_id", "year", "kind", "description_en", "description_zh", "source", "size")

# --------------------------------------------------------------------------- rules

_TRAILING_REMARK = re.compile(r"\s*\[([^\[\]]*)\]\s*$")
_QUOTE_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(billion|million)?")


def grade_of(source: str) -> str:
    """Grade of a row from its source text (:data:`GRADE_RULES`, default B)."""
    for pattern, grade, _why in GRADE_RULES:
        if pattern in source:
            return grade
    return DEFAULT_GRADE


def status_of(value_text: str, source: str, basis_text: str) -> str:
    """``lower_bound`` for ">x", ``preliminary`` for 预计/estimate, else ``final``."""
    if value_text.startswith(">") or "lower bound" in basis_text:
        return "lower_bound"
    if "预计" in source or "预计" in basis_text or "estimate" in basis_text:
        return "preliminary"
    return "final"


def version_of(series: str, year: int, source: str, basis_text: str) -> str:
    """``incl_relocated_tobacco`` / ``excl_relocated_tobacco`` for the 2015 figures printed both ways.

    Excluded: the compiler says "excl.", or the provincial ranking (新湖南 via 张家界新闻网), which
    ranks prefectures without the relocated production. Included otherwise (the bulletin's headline
    figure and the 2016 work report's 511.9).
    """
    if (series, year) not in VERSIONED:
        return ""
    if "excl" in basis_text or "zjjnews" in source:
        return "excl_relocated_tobacco"
    return "incl_relocated_tobacco"


def price_basis_of(series_id: str, measure: str, basis_text: str, money: bool) -> str:
    """``comparable`` / ``current`` / ``na`` from the compiled text, the measure and the unit."""
    text = basis_text.strip().lower()
    if text.startswith("comparable"):
        return "comparable"
    if measure == "growth_pct":
        return "current" if text.startswith("current") else GROWTH_PRICE_BASIS.get(series_id, "na")
    return "current" if money else "na"


def _decimals(text: str) -> int:
    exponent = Decimal(text).normalize().as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


def fmt(value: Decimal) -> str:
    """Canonical text of a value: no trailing zeros, no exponent (79.90 -> 79.9, 21824.0 -> 21824)."""
    text = format(value.normalize(), "f")
    return text


def quote_numbers(quote: str) -> list[tuple[Decimal, str]]:
    """Numbers printed in a quote (thousands separators removed) with a following English scale word."""
    return [(Decimal(m.group(1).replace(",", "")), m.group(2) or "") for m in _QUOTE_NUMBER.finditer(quote)]


def conversion_note(value: Decimal, unit: str, quote: str) -> str:
    """Empty when ``value`` is printed in ``quote``; else how it follows from a printed number.

    Conversions tried, in order: English "billion" to 亿 (x 10), "million" to 万 (x 100) or to 亿
    (/ 100), a plain number to 万 or from 万元 to 亿元 (/ 10000), and rounding of a printed number
    to the value's decimals. Raises ``ValueError`` when none fits.
    """
    numbers = quote_numbers(quote)
    if any(abs(n) == abs(value) for n, _ in numbers):
        return ""
    places = Decimal(1).scaleb(-_decimals(fmt(value)))
    steps = {"billion": [("×", Decimal(10))], "million": [("×", Decimal(100)), ("÷", Decimal(100))],
             "": [("÷", Decimal(10000)), ("×", Decimal(1))]}
    for number, word in numbers:
        for op, factor in steps[word]:
            result = number * factor if op == "×" else number / factor
            if result.quantize(places) == abs(value):
                printed = f"{number} {word}".strip()
                if factor == 1:
                    return f"converted: {printed} rounded = {fmt(value)} {unit}"
                return f"converted: {printed} {op} {factor} = {fmt(value)} {unit}"
    raise ValueError(f"{value} {unit} is not printed in, nor converted from, the quote {quote[:80]!r}")


# --------------------------------------------------------------------------- derivation

def read_shared(path: Path = SHARED_CSV) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _row(raw: dict[str, str], units) -> dict[str, str]:
    series, year = raw["series"], int(raw["year"])
    series_id, measure = YEAR_OVERRIDES.get((series, year), SERIES_MAP[series])
    value_text = raw["value"].strip()
    value = Decimal(value_text.lstrip(">"))
    basis_text = raw["price_basis"].strip()
    quote, remark = raw["quote"].strip(), ""
    match = _TRAILING_REMARK.search(quote)
    if match:
        quote, remark = quote[: match.start()].strip(), match.group(1).strip()
    money = units.base_unit(raw["unit"]).startswith(("CNY", "USD"))
    notes = [NOTES.get((series, year, value_text.lstrip(">")), ""),
             conversion_note(value, raw["unit"], quote),
             f"compiler's remark: {remark}" if remark else "",
             f"as compiled: {basis_text}" if basis_text not in PLAIN_BASES else ""]
    version = version_of(series, year, raw["source"], basis_text)
    return {"series_id": series_id, "year": str(year), "measure": measure, "value": fmt(value),
            "unit": raw["unit"], "price_basis": price_basis_of(series_id, measure, basis_text, money),
            "status": status_of(value_text, raw["source"], basis_text), "grade": grade_of(raw["source"]),
            "version": version, "used_by_plan": "true" if version == PLAN_VERSION else "false",
            "preferred": "false", "segment": "", "source": raw["source"].strip(), "quote": quote,
            "note": "; ".join(n for n in notes if n)}


def _mark_preferred(rows: list[dict[str, str]]) -> None:
    def rank(i: int) -> tuple:
        r = rows[i]
        return (STATUS_ORDER.index(r["status"]), GRADE_ORDER.index(r["grade"]), -_decimals(r["value"]), i)

    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault((r["series_id"], r["year"], r["measure"], r["version"]), []).append(i)
    for members in groups.values():
        rows[min(members, key=rank)]["preferred"] = "true"


def derive(shared_rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[dict[str, str]], dict]:
    """The observation rows, the break rows and counts of what was left out.

    Returns
    -------
    (observations, breaks, excluded)
        Rows as dicts of text (columns :data:`OBS_COLUMNS`, :data:`BREAK_COLUMNS`), sorted; and
        ``{"grade_D": n, "out_of_scope": {reason: n}}``.
    """
    import pandas as pd

    from xiangxi_econ.data.observed import assign_segments
    from xiangxi_econ.data.plan_io import default_units

    units = default_units()
    rows, grade_d, out_of_scope = [], 0, Counter()
    for raw in shared_rows:
        if UNRELIABLE in raw["series"]:
            grade_d += 1
            continue
        reason = OUT_OF_SCOPE.get((raw["series"], int(raw["year"])))
        if reason:
            out_of_scope[reason] += 1
            continue
        rows.append(_row(raw, units))
        for series_id, measure, value, unit in ALSO_IN_QUOTE.get((raw["series"], int(raw["year"])), ()):
            if value not in rows[-1]["quote"]:
                raise ValueError(f"{value} is not in the quote of {raw['series']} {raw['year']}")
            rows.append({**rows[-1], "series_id": series_id, "measure": measure, "value": value, "unit": unit,
                         "note": f"printed in the same clause as {raw['series']}"})
    _mark_preferred(rows)
    rows.sort(key=lambda r: (r["series_id"], r["measure"], int(r["year"]), r["version"], r["preferred"] != "true"))
    breaks = sorted((dict(b) for b in BREAKS), key=lambda b: (b["series_id"], int(b["year"])))
    frame = pd.DataFrame(rows)
    brk = pd.DataFrame(breaks).astype({"year": int})
    segments = assign_segments(frame["series_id"], frame["year"].astype(int), brk)
    for r, s in zip(rows, segments, strict=True):
        r["segment"] = str(s)
    return rows, breaks, {"grade_D": grade_d, "out_of_scope": dict(out_of_scope)}


def render(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    """CSV text, UTF-8, ``\\n`` line ends, minimal quoting: the exact bytes written."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main() -> int:
    if not SHARED_CSV.exists():
        print(f"shared data not found at {SHARED_CSV}; expected ../shared/data next to the project", file=sys.stderr)
        return 1
    shared = read_shared()
    rows, breaks, excluded = derive(shared)
    for name, text in (("observations.csv", render(rows, OBS_COLUMNS)), ("breaks.csv", render(breaks, BREAK_COLUMNS))):
        (OUT_DIR / name).write_bytes(text.encode("utf-8"))
    grades = Counter(r["grade"] for r in rows)
    print(f"read {len(shared)} compiled rows")
    print(f"excluded {excluded['grade_D']} grade-D row(s) ({UNRELIABLE})")
    for reason, n in sorted(excluded["out_of_scope"].items()):
        print(f"excluded {n} row(s): {reason}")
    print(f"wrote {len(rows)} observations of {len({r['series_id'] for r in rows})} series, "
          f"{sum(r['preferred'] == 'true' for r in rows)} preferred; grades "
          + ", ".join(f"{g} {grades[g]}" for g in GRADE_ORDER))
    print(f"wrote {len(breaks)} breaks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
