r"""Reference classes by kind of series: what a plan target's forecast borrows, and from which data.

One job: name the reference class of each series a plan targets, and hold what the class knows —
which national (common) factor it moves with, how much of a region's own deviation persists, how
wide its idiosyncratic error is, and what data that was estimated on. The distributions themselves
are built in :mod:`xiangxi_econ.probability.target_models`; no number of one class is used for another without
the class saying so in :attr:`SeriesClass.estimated_on`.

Classes
-------
``gdp``
    Nominal GDP and its sectors' value added. Common factor: China's nominal GDP log growth
    (embedded context, :mod:`xiangxi_econ.data.context`). Persistence and idiosyncratic spread: the city
    panel of prefecture nominal GDP (1990–2018), by vintage — a forecast as of year *t* uses the
    estimates whose outcomes all fall in *t* or before (:func:`gdp_priors`).
``income``
    Per-capita disposable income (all, urban, rural): smooth. Common factor: China's per-capita
    disposable income where the context has it, else China's nominal GDP (said in the result).
``tourism``
    Tourism arrivals and revenue: volatile. Common factor: China's domestic tourism spending where
    the context has enough of it, else nominal GDP.
``fiscal``, ``retail``, ``level``
    Local fiscal revenue, retail sales, other money or count levels. Common factor: nominal GDP.
``trending_share``
    Shares that rise steadily (urbanisation): the logit of the share moves linearly in time (the
    urban–rural growth difference method of the UN *World Urbanization Prospects*), pace from the
    series' own history within a statistical segment.
``ratio``
    Ratios of two parts and intensities (R&D intensity, water use or energy per unit of GDP, trade
    dependence, a sector's or fiscal revenue's share of GDP): the log of the ratio on its own scale
    (:mod:`xiangxi_econ.probability.ratio_models`), persistence and spread estimated on the city
    panel's sector shares of GDP by vintage — never a level growing with GDP.
``slow_share``
    Bounded shares that move slowly (forest cover, water quality: *stock* shares; pension coverage,
    internet penetration: *coverage* shares rising to a ceiling): the logit of the share (near 100%
    the logit is the log of the uncovered complement, so a 96% share cannot be forecast to fall for
    want of pace), its own pace within its segment, else the class pace — China's own figure of the
    series over its last five years up to the forecast year (CNNIC, forest inventories), else the
    median of China's figures of the same sub-kind (a proxy, said so). Step spread: an assumption by
    sub-kind (stock 0.02, coverage 0.06 logit a year) pooled with the series' own changes, those of
    previous segments included (:func:`~xiangxi_econ.probability.ratio_models._slow_rule`). The city
    panel's tertiary share is **not** used: it moves an order of magnitude faster than forest cover.
``slow_quantity``
    Slow quantities measured in years (schooling years, life expectancy): own pace within the segment
    on the log scale, else China's figure (life expectancy, censuses) or, lacking one, China's life
    expectancy as a proxy; step spread 0.005 log points a year (an assumption: no panel exists).
``noisy_share``
    Shares that move up and down year to year around a level (days of good air quality): no
    trend; centre the mean of the series' last values.
``share``
    Sector shares and other shares and rates: pp, persistence and spread estimated on the secondary
    and tertiary shares of the city panel by vintage (:mod:`xiangxi_econ.probability.ratio_models`).

For every class without a panel of its own (income, tourism, fiscal, retail, level) the persistence
of a region's deviation from the national factor is **borrowed from the GDP panel and says so**;
the spread is the series' own deviation volatility pooled with the class default
(:attr:`SeriesClass.annual_sd`) with :data:`PSEUDO_OBS` pseudo-observations, plus a persistent
component :attr:`SeriesClass.drift_sd`. Those class defaults are stated assumptions, not estimates.

References
----------
United Nations (2019), *World Urbanization Prospects: the 2018 Revision, Methodology* (urban–rural
growth difference). Efron, B. and Morris, C. (1975), JASA 70 (pooling with a class).
Stock, J. H. and Watson, M. W. (2016), *Handbook of Macroeconomics* 2A (common factors).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CLASSES", "OWN_SCALE", "PSEUDO_OBS", "SERIES_CLASS", "SeriesClass", "series_class", "spread_source"]

PSEUDO_OBS = 2.0
"""Weight of a class default spread, in annual observations of the series' own volatility."""


@dataclass(frozen=True)
class SeriesClass:
    """A reference class for one kind of series.

    Attributes
    ----------
    name : str
    kind : {'level', 'trending_share', 'slow_share', 'noisy_share', 'share'}
        The model family (:mod:`xiangxi_econ.probability.target_models`).
    factor : str or None
        Context series of the national (common) factor (levels only), with ``fallback_factor`` when
        the context holds too little of it as of the forecast year.
    annual_sd : float
        Class default spread of the series' annual deviation from the factor [log points per year]
        or of its annual step [pp per year].
    drift_sd : float
        Persistent deviation uncertainty added to the average growth [log points per year] (levels).
    estimated_on : str
        What the class's numbers come from, in plain words (shown in results and the report).
    description_zh : str
        The same, in Chinese.
    spread_source : str
        Where the spread comes from: ``estimated on <what, n>`` or ``assumed: <value>`` (a row's own
        ``spread_source`` says the vintage and n).
    """

    name: str
    kind: str
    factor: str | None
    annual_sd: float
    drift_sd: float
    estimated_on: str
    description_zh: str
    fallback_factor: str = "gdp_nominal"
    spread_source: str = ""


_BORROWED = ("persistence of the deviation from China's growth borrowed from the prefecture GDP panel "
             "(no panel of this series is embedded); spread: the series' own deviations pooled with a class "
             "default of {sd} log points a year (an assumption)")
_BORROWED_ZH = ("偏离全国增速的持续性借用地级市GDP面板（未内置本类面板）；"
                "离散度：本序列自身偏离与类别默认值{sd}（假设）合并")

CLASSES: dict[str, SeriesClass] = {c.name: c for c in (
    SeriesClass("gdp", "level", "gdp_nominal", 0.03, 0.0,
                "China's nominal GDP growth as the common factor; persistence and idiosyncratic spread estimated on "
                "300 prefecture-level cities' nominal GDP 1990-2018 by vintage (outcomes up to the forecast year)",
                "共同因子为全国名义GDP增速；持续性与个体离散度按年份版本由300个地级市1990-2018年名义GDP估计（只用预测年及以前的结果）"),
    SeriesClass("income", "level", "disposable_income_growth", 0.012, 0.005,
                "China's per-capita disposable income growth as the common factor where the context holds enough years "
                "of it, else nominal GDP (each row's note says which); " + _BORROWED.format(sd=0.012),
                "共同因子为全国居民人均可支配收入增速（内置数据年份不足时改用名义GDP，各行注释说明）；"
                + _BORROWED_ZH.format(sd=0.012)),
    SeriesClass("tourism", "level", "domestic_tourism_spending", 0.08, 0.03,
                "China's domestic tourism spending growth as the common factor where the context holds enough years "
                "of it, else nominal GDP (each row's note says which); " + _BORROWED.format(sd=0.08),
                "共同因子为全国国内旅游收入增速（内置数据年份不足时改用名义GDP，各行注释说明）；"
                + _BORROWED_ZH.format(sd=0.08)),
    SeriesClass("fiscal", "level", "gdp_nominal", 0.06, 0.02,
                "China's nominal GDP growth as the common factor; " + _BORROWED.format(sd=0.06),
                "共同因子为全国名义GDP增速；" + _BORROWED_ZH.format(sd=0.06)),
    SeriesClass("retail", "level", "gdp_nominal", 0.03, 0.01,
                "China's nominal GDP growth as the common factor; " + _BORROWED.format(sd=0.03),
                "共同因子为全国名义GDP增速；" + _BORROWED_ZH.format(sd=0.03)),
    SeriesClass("level", "level", "gdp_nominal", 0.05, 0.02,
                "no reference class of its own: China's nominal GDP growth as the common factor; "
                + _BORROWED.format(sd=0.05),
                "无专门参照类：共同因子为全国名义GDP增速；" + _BORROWED_ZH.format(sd=0.05)),
    SeriesClass("trending_share", "trending_share", None, 0.3, 0.0,
                "as of 2020 or later: the logit of the share moves from the series' own pace toward the norm of 314 "
                "prefectures' 2010-2020 census urbanisation, with their error spread (probability.reference_shares); "
                "earlier: the logit at the series' own pace (UN urban-rural growth difference), step spread its own "
                "pooled with 0.3 pp a year (an assumption)",
                "2020年及以后：份额的logit由本序列自身速度向314个地级市2010—2020年普查城镇化率的常模收敛，离散度取其误差"
                "（xiangxi_econ.probability.reference_shares）；此前：logit按本序列自身速度变化（联合国城乡增长差法），步长离散度与"
                "0.3个百分点/年（假设）合并"),
    SeriesClass("ratio", "ratio", None, 0.0, 0.0,
                "a ratio of two parts on its own (log) scale: persistence of its pace and error spread estimated on "
                "the 300-city panel's sector shares of GDP by vintage (outcomes up to the forecast year)",
                "两部分之比，按自身（对数）尺度预测：速度持续性与误差离散度按年份版本由300个地级市面板的产业占比估计",
                spread_source="estimated on the city panel's sector shares of GDP (log scale)"),
    SeriesClass("slow_share", "slow_share", None, 0.0, 0.0,
                "logit of the share: its own pace within its segment, else China's figure of the series over its "
                "last five years (or of its sub-kind, a stated proxy); step spread assumed by sub-kind (stock 0.02, "
                "coverage 0.06 logit a year) "
                "pooled with the series' own changes, previous segments included (no panel exists)",
                "份额的logit：统计口径内自身速度，否则取全国同一指标近五年速度（或同类指标，注明为代理）；步长离散度按子类假设"
                "（存量0.02、覆盖率0.06 logit/年），与本序列自身变化（含此前口径）合并（无面板数据）",
                spread_source="assumed: stock 0.02 / coverage 0.06 logit a year, pooled with the series' own changes"),
    SeriesClass("slow_quantity", "slow_quantity", None, 0.005, 0.0,
                "slow quantity in years: own pace within its segment on the log scale, else China's figure (life "
                "expectancy, censuses; a stated proxy for others); step spread 0.005 log points a year (an assumption: "
                "no panel of it exists)",
                "以年计的缓变量：统计口径内自身速度（对数尺度），否则取全国数值（人均预期寿命，普查；其他指标注明为代理）；"
                "步长离散度每年0.005（假设：无面板数据）",
                spread_source="assumed: 0.005 log points a year"),
    SeriesClass("noisy_share", "noisy_share", None, 3.0, 0.0,
                "no trend: centre the mean of the last values in the segment, spread their own year-to-year "
                "dispersion pooled with 3 pp (an assumption)",
                "无趋势：中心为统计口径内最近数值的均值，离散度与3个百分点（假设）合并"),
    SeriesClass("share", "share", None, 1.58, 0.0,
                "pp: persistence of its own pace within its segment and error spread estimated on the secondary and "
                "tertiary shares of the 300-city panel by vintage",
                "百分点：统计口径内自身速度的持续性与误差离散度按年份版本由300个地级市面板二、三产业占比估计",
                spread_source="estimated on the city panel's sector shares (pp)"),
)}

# -- growth-rate class (issue 21, probability.target_models.growth_marginal); kind "growth": not a level or share
CLASSES["gdp_growth"] = SeriesClass(
    "gdp_growth", "growth", None, 0.0, 0.0,
    "annual real GDP growth [%] forecast as a growth rate: the common-factor model on the real level index of 300 "
    "prefecture-level cities' real growth 1995-2018 by vintage (origins from 1998), or on the peers given",
    "年度实际GDP增速[%]按增速预测：按年份版本由300个地级市1995-2018年实际增速的共同因子模型估计（1998年起），或用给定的同类地区")


#: Reference class of each series the embedded plans target (others: ``level`` or ``share`` by kind).
SERIES_CLASS: dict[str, str] = {
    "gdp": "gdp", "primary_sector_va": "gdp", "secondary_sector_va": "gdp", "tertiary_sector_va": "gdp",
    "industrial_va": "gdp", "gdp_per_capita": "gdp",
    "disposable_income_per_capita": "income", "urban_disposable_income_per_capita": "income",
    "rural_disposable_income_per_capita": "income",
    "tourism_revenue": "tourism", "tourism_arrivals": "tourism",
    "local_fiscal_revenue": "fiscal", "fiscal_revenue_total": "fiscal", "tax_revenue": "fiscal",
    "retail_sales": "retail",
    "urbanisation_rate": "trending_share",
    "forest_cover": "slow_share", "life_expectancy": "slow_quantity", "schooling_years_working_age": "slow_quantity",
    "surface_water_class3_share": "slow_share", "pension_insurance_coverage": "slow_share",
    "internet_penetration": "slow_share",
    # ratios of two parts and intensities: their own scale, never a level growing with GDP
    "rd_intensity": "ratio", "water_use_per_10k_gdp": "ratio", "trade_dependence": "ratio",
    "local_fiscal_revenue_gdp_share": "ratio", "manufacturing_va_share": "ratio", "high_tech_va_share_gdp": "ratio",
    "tourism_va_share_gdp": "ratio", "digital_economy_core_share": "ratio", "energy_per_10k_gdp": "ratio",
    "primary_sector_share": "share", "secondary_sector_share": "share", "tertiary_sector_share": "share",
    "air_quality_good_days_ratio": "noisy_share",
}


#: Classes forecast on their own scale by :mod:`xiangxi_econ.probability.ratio_models`.
OWN_SCALE = frozenset({"ratio", "slow_share", "slow_quantity", "share"})

_LEVEL_SOURCES = {
    "gdp": "estimated on the 300-city GDP panel by vintage",
    "trending_share": "estimated on 314 prefectures' 2010-2020 census urbanisation (as of 2020+), else assumed 0.3 pp",
}


def spread_source(name: str, own_years: float = 0.0) -> str:
    """Where a class's spread comes from: ``estimated on <what>`` or ``assumed: <value>`` (with the
    years of the series' own history pooled in, which change it)."""
    cls = CLASSES[name]
    if cls.spread_source:
        return cls.spread_source
    if name in _LEVEL_SOURCES:
        return _LEVEL_SOURCES[name]
    own = f", pooled with {own_years:g} years of the series' own deviations" if own_years else ""
    return f"assumed: class default {cls.annual_sd} a year (+ {cls.drift_sd} persistent){own}"


def series_class(series_id: str, kind: str) -> SeriesClass:
    """The reference class of ``series_id``; an unlisted series gets ``level`` (levels and counts) or
    ``share`` (shares and rates), whose descriptions say they are defaults."""
    name = SERIES_CLASS.get(series_id)
    if name is None:
        name = "level" if kind in ("level", "count") else "share"
    return CLASSES[name]
