"""The province beside the prefecture: Hunan's 15th-plan asks against the pace prefecture targets need.

Expected values are hand computations from the plan's table (专栏2) and the quotes of the 2026 Hunan
government work report stored in ``data/province_targets.csv``; tolerances 1e-9 unless stated."""

from __future__ import annotations

import pytest

import xiangxi_econ as xe
from xiangxi_econ.exceptions import UserValueError
from xiangxi_econ.results.province import province_beside, province_targets


def test_embedded_asks_carry_their_quotes():
    """Each figure appears in its own quote (the report text), with source and grade."""
    t = province_targets().set_index("series_id")
    assert "5%—5.5%" in t.loc["gdp", "quote"] and (t.loc["gdp", "low"], t.loc["gdp", "high"]) == (5.0, 5.5)
    assert "67.5%" in t.loc["urbanisation_rate", "quote"] and "63%" in t.loc["urbanisation_rate", "base_quote"]
    assert "80岁以上" in t.loc["life_expectancy", "quote"] and "79岁" in t.loc["life_expectancy", "base_quote"]
    assert "居民收入增速不低于经济增速" in t.loc["disposable_income_per_capita", "quote"]
    assert "农村居民收入增速高于城镇居民收入增速" in t.loc["rural_disposable_income_per_capita", "quote"]
    assert t["source"].str.contains("2026年湖南省政府工作报告").all() and (t["grade"] == "A").all()


def test_paces_beside_the_provinces_ask(plan):
    """Urbanisation: province (67.5 - 63)/5 = 0.9 pp a year, prefecture (55 - 50)/5 = 1.0 -> above.
    Life expectancy: province (80 - 79)/5 = 0.2 years a year, prefecture (77.8 - 76.6)/5 = 0.24 -> above.
    Income: (26500/18152)**0.2 - 1 against GDP (1000/725.11)**0.2 - 1 on one basis (current) -> within."""
    t = province_beside(plan).to_frame().set_index("series_id")
    assert t.loc["urbanisation_rate", "province_low"] == pytest.approx(0.9, rel=1e-9)
    assert t.loc["urbanisation_rate", "prefecture_pace"] == pytest.approx(1.0, rel=1e-9)
    assert t.loc["urbanisation_rate", "compared"] == "above"
    assert t.loc["life_expectancy", "province_low"] == pytest.approx(0.2, rel=1e-9)
    assert t.loc["life_expectancy", "prefecture_pace"] == pytest.approx(1.2 / 5, rel=1e-9)
    inc = plan.indicators.set_index("indicator_id").loc["disposable_income_per_capita"]
    income = (inc["target_value"] / inc["base_value"]) ** 0.2 - 1
    assert t.loc["disposable_income_per_capita", "prefecture_pace"] == pytest.approx(income, rel=1e-9)
    assert t.loc["disposable_income_per_capita", "province_low"] == pytest.approx((1000 / 725.11) ** 0.2 - 1, rel=1e-9)
    assert t.loc["disposable_income_per_capita", "compared"] == ("within" if income >= (1000 / 725.11) ** 0.2 - 1
                                                                 else "below")


def test_nominal_gdp_is_not_set_beside_real_growth_without_inflation(plan):
    """GDP 725.11 -> 1000 at current prices needs 6.64% a year nominal; the province asks 5-5.5% real.
    Without inflation: not comparable, with the reason; with 1% a year: 1.0664/1.01 - 1 = 5.58% -> above."""
    t = province_beside(plan).to_frame().set_index("series_id")
    assert t.loc["gdp", "compared"] == "not_comparable" and "nominal" in t.loc["gdp", "note"]
    r = province_beside(plan, inflation=0.01).to_frame().set_index("series_id").loc["gdp"]
    assert r["prefecture_pace"] == pytest.approx((1000 / 725.11) ** 0.2 / 1.01 - 1, rel=1e-9)
    assert r["compared"] == "above"


def test_summary_in_both_languages(plan):
    pb = province_beside(plan)
    assert "Hunan" in pb.summary() and "0.90pp" in pb.summary()
    zh = pb.summary(lang="zh")
    assert "湖南省" in zh and "高于省级要求" in zh and "不可比" in zh


@pytest.mark.parametrize("bad", [float("nan"), "1%", 1.5, True])
def test_bad_inflation_is_named(plan, bad):
    with pytest.raises(UserValueError, match="inflation"):
        province_beside(plan, inflation=bad)


def test_a_fifteenth_plan_beside_the_province(tmp_path):
    """A small 15th plan (based 2025): urbanisation 55.24 -> 60 needs 0.952 pp a year, more than the
    province's 0.9 (above); income 24783 -> 34000 needs (34000/24783)**0.2 - 1 = 6.53% a year."""
    (tmp_path / "indicators.csv").write_text(
        "indicator_id,name_zh,name_en,kind,unit,price_basis,base_year,base_value,target_year,target_value,bound,"
        "attribute,source\n"
        "urbanisation_rate,常住人口城镇化率,Urbanisation rate,share,%,na,2025,55.24,2030,60,at_least,anticipatory,t\n"
        "disposable_income_per_capita,居民人均可支配收入,Per-capita disposable income,level,元,current,2025,24783,"
        "2030,34000,at_least,anticipatory,t\n", encoding="utf-8")
    plan = xe.read_plan(tmp_path / "indicators.csv")
    t = province_beside(plan).to_frame().set_index("series_id")
    assert t.loc["urbanisation_rate", "prefecture_pace"] == pytest.approx((60 - 55.24) / 5, rel=1e-9)
    assert t.loc["urbanisation_rate", "compared"] == "above"
    assert t.loc["disposable_income_per_capita", "prefecture_pace"] == pytest.approx((34000 / 24783) ** 0.2 - 1,
                                                                                    rel=1e-9)
    assert t.loc["gdp", "indicator_id"] == "" and t.loc["gdp", "compared"] == "not_comparable"
