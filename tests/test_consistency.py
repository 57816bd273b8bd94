"""check_consistency: each contradiction the plan contains, with numbers computed by hand from the
printed values (clauses cited), and silence on a plan whose numbers agree."""

from __future__ import annotations

import pytest

import xiangxi_econ as xe


@pytest.fixture(scope="module")
def report():
    return xe.check_consistency(xe.load_plan())


@pytest.fixture(scope="module")
def frame(report):
    return report.to_frame()


def one(frame, check, contains=None, exact=None):
    rows = frame[frame["check"] == check]
    if exact:
        rows = rows[rows["indicators"] == exact]
    if contains:
        rows = rows[rows["indicators"].str.contains(contains, regex=False)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_tourism_arrivals_times_spending(frame):
    """第二章 第三节 突破1.2亿人次, 收入突破1000亿元; 第四章 第二节 人均消费1200元以上:
    1.2e8 × 1200 = 1.44e11 元 = 1440亿元 against 1000亿元; 1000亿/1.2亿 = 833.3元 per visitor,
    below 2020's 461亿/5490万 = 839.7元."""
    f = one(frame, "tourism_identity")
    assert f["implied_value"] == pytest.approx(1440.0, abs=1e-9)
    assert f["stated_value"] == pytest.approx(1000.0)
    assert f["difference"] == pytest.approx(-440.0, abs=1e-9)
    assert f["kind"] == "incompatible" and f["severity"] == "high"
    assert "833" in f["explanation"] and "840" in f["explanation"]


def test_manufacturing_share_stated_twice(frame):
    """专栏2 序号3: 30%; 第五章 引言: 20%."""
    f = one(frame, "duplicate_target", "manufacturing")
    assert {f["stated_value"], f["implied_value"]} == {30.0, 20.0}
    assert "专栏2 序号3" in f["stated"] and "第五章" in f["stated"]
    assert f["severity"] == "high"


def test_gdp_real_rate_against_nominal_level(frame):
    """专栏2 序号1: 725.11 -> 1000 at 7% (real). Nominal from levels (1000/725.11)**0.2 - 1 = 6.640%;
    implied deflator 1.06640/1.07 - 1 = -0.336% a year; 2015-2020 deflator
    ((725.11/517)**0.2)/1.06 - 1 = +0.944%; at that deflator 725.11 × (1.07 × 1.00944)**5 = 1065.9."""
    f = one(frame, "rate_vs_levels", exact="gdp")
    assert f["implied_value"] == pytest.approx(6.640, abs=5e-4)
    assert f["stated_value"] == 7
    assert "-0.34%" in f["implied"]
    assert "falling 0.34% a year" in f["explanation"] and "they rose 0.94% a year" in f["explanation"]
    deflator = (725.11 / 517) ** 0.2 / 1.06 - 1
    assert f"{725.11 * (1.07 * (1 + deflator)) ** 5:,.2f}" in f["explanation"]
    assert f["severity"] == "high"


def test_rd_intensity_against_rd_growth(frame):
    """第九章 第五节 研发投入强度达到2%; 专栏2 序号9 R&D growth 12%; GDP nominal 6.64%:
    1.2 × (1.12/1.066397)**5 = 1.533%; needed (2/1.2)**0.2 × 1.066397 - 1 = 18.12%."""
    f = one(frame, "rd_intensity_identity")
    gdp_rate = (1000 / 725.11) ** 0.2
    assert f["implied_value"] == pytest.approx(1.2 * (1.12 / gdp_rate) ** 5, abs=1e-9)
    assert f["stated_value"] == 2
    assert "18.1%" in f["explanation"]


def test_trade_dependence(frame):
    """1.65亿美元 (专栏1 序号6) × 1.1**5 × 6.8976 / 1000亿元 = 1.833% vs 1.72% (专栏2 序号6)."""
    rows = frame[(frame["check"] == "trade_dependence_identity") & (frame["kind"] == "incompatible")]
    assert len(rows) == 1
    assert rows.iloc[0]["implied_value"] == pytest.approx(1.65 * 1.1 ** 5 * 6.8976 / 1000 * 100, abs=1e-9)


def test_productivity_employment(frame):
    """GDP/productivity: 725.11亿/3.7万 = 195.98万人; 1000亿/5.2万 = 192.31万人: -0.38% a year."""
    f = one(frame, "productivity_identity")
    assert f["implied_value"] == pytest.approx(((1000 / 5.2) / (725.11 / 3.7)) ** 0.2 * 100 - 100, abs=1e-9)


def test_forest_cover_baselines(frame):
    """2020 forest cover: 70.24 (专栏2 序号23) vs 72%以上 (专栏1 序号26 outcome)."""
    f = one(frame, "baseline_conflict", "forest_cover")
    assert "72%以上" in f["stated"] and "70.24" in f["stated"]


def test_rounding_and_qualifiers_are_not_conflicts(frame):
    """GDP 725.1 (第一章) vs 725.11 (专栏2) and fiscal revenue 133.55 vs 133.6 differ only by rounding."""
    conflicts = frame[frame["check"] == "baseline_conflict"]["indicators"]
    assert not conflicts.str.contains("gdp").any()
    assert not conflicts.str.contains("fiscal_revenue_total").any()


def test_summary_and_html(report):
    text = report.summary()
    assert text == xe.check_consistency(xe.load_plan()).summary()
    assert "1,440亿元" in text
    assert "<table" in report._repr_html_()
    assert len(report) == len(report.to_frame())


def test_exchange_rate_argument():
    with pytest.raises(ValueError, match="exchange_rate"):
        xe.check_consistency(xe.load_plan(), exchange_rate=-1)




def test_consistent_synthetic_plan_has_empty_report(tmp_path, write_csv):
    """A plan whose numbers obey every identity: tourism 1.2亿 × 1000元 = 1200亿; R&D 1.2% -> 2% with
    R&D growth (2/1.2)**0.2 × GDP factor - 1; GDP 500 -> 500 × 1.07**5 at 7% (real, no deflator
    needed when levels follow the rate); productivity at the same 7%; manufacturing 14 -> 15 within
    a secondary share of 30; trade dependence consistent with 8% trade growth."""
    gdp0, gdp_rate = 500.0, 0.07
    gdp1 = round(gdp0 * (1 + gdp_rate) ** 5, 6)
    rd_growth = round(((2 / 1.2) ** 0.2 * (1 + gdp_rate) - 1) * 100, 6)
    trade0 = 1.0
    dep0 = trade0 * 6.8976 / gdp0 * 100
    dep1 = trade0 * 1.08 ** 5 * 6.8976 / gdp1 * 100
    header = ["indicator_id", "series_id", "origin", "name_zh", "name_en", "kind", "unit", "price_basis",
              "base_year", "base_value", "target_year", "target_value", "bound", "stated_change",
              "stated_change_value", "stated_change_type", "source", "quote"]
    rows = [
        ["gdp", "gdp", "table_14th", "地区生产总值", "GDP", "level", "亿元", "current", "2020", gdp0, "2025", gdp1,
         "exact", "7%", "7", "annual_growth_pct", "t1", "x"],
        ["labour_productivity", "labour_productivity", "table_14th", "劳动生产率", "Productivity", "level",
         "万元/人", "current", "2020", "4", "2025", round(4 * 1.07 ** 5, 6), "exact", "7%", "7", "annual_growth_pct",
         "t2", "x"],
        ["tourism_arrivals", "tourism_arrivals", "text", "游客", "Arrivals", "level", "亿人次", "na", "", "", "2025",
         "1.2", "at_least", "", "", "", "c4", "x"],
        ["tourism_spending_per_visitor", "tourism_spending_per_visitor", "text", "人均消费", "Spending", "level",
         "元", "current", "", "", "2025", "1000", "at_least", "", "", "", "c4", "x"],
        ["tourism_revenue", "tourism_revenue", "text", "旅游收入", "Revenue", "level", "亿元", "current", "", "",
         "2025", "1200", "at_least", "", "", "", "c4", "x"],
        ["rd_intensity_2020", "rd_intensity", "text", "研发强度", "R&D intensity", "rate", "%", "na", "2020", "1.2",
         "", "", "", "", "", "", "c1", "x"],
        ["rd_intensity", "rd_intensity", "text", "研发强度", "R&D intensity", "rate", "%", "na", "", "", "2025", "2",
         "exact", "", "", "", "c9", "x"],
        ["rd_expenditure_growth", "rd_expenditure", "table_14th", "研发经费增长", "R&D growth", "growth", "%",
         "current", "", "", "2025", rd_growth, "exact", "", "", "", "t9", "x"],
        ["secondary_sector_share_2020", "secondary_sector_share", "text", "第二产业比重", "Secondary share", "share",
         "%", "na", "2020", "30", "", "", "", "", "", "", "c1", "x"],
        ["manufacturing_va_share", "manufacturing_va_share", "table_14th", "制造业比重", "Manufacturing share",
         "share", "%", "na", "2020", "15", "2025", "15", "exact", "", "", "", "t3", "x"],
        ["trade_total_usd_2020", "trade_total_usd", "text", "进出口", "Trade", "level", "亿美元", "current", "2020",
         trade0, "", "", "", "", "", "", "c1", "x"],
        ["trade_total_growth", "trade_total_usd", "text", "进出口增长", "Trade growth", "growth", "%", "current", "",
         "", "2025", "8", "exact", "", "", "", "c9", "x"],
        ["trade_dependence", "trade_dependence", "table_14th", "外贸依存度", "Trade dependence", "rate", "%", "na",
         "2020", round(dep0, 6), "2025", round(dep1, 6), "exact", "", "", "", "t6", "x"],
    ]
    write_csv(tmp_path / "indicators.csv", header, rows)
    report = xe.check_consistency(xe.read_plan(tmp_path / "indicators.csv"))
    assert len(report) == 0, report.summary()
    assert "No contradictions found." in report.summary()


def test_reported_history_and_cumulative_checks(frame):
    """专栏1 序号4: investment 370.9 -> 450.1 is (450.1/370.9)**0.2 - 1 = 3.95% a year, reported 6.3%;
    第一章: 2016-2020 total 2213.5 vs 370.9 × sum_{t=1..5} 1.0395^t = 2086.0."""
    f = one(frame, "reported_rate_vs_levels", exact="fixed_asset_investment")
    assert f["implied_value"] == pytest.approx(((450.1 / 370.9) ** 0.2 - 1) * 100, abs=1e-9)
    assert f["stated_value"] == pytest.approx(6.3)
    g = (450.1 / 370.9) ** 0.2 - 1
    c = one(frame, "cumulative_vs_levels", exact="fixed_asset_investment")
    assert c["implied_value"] == pytest.approx(370.9 * sum((1 + g) ** t for t in range(1, 6)), rel=1e-12)
    assert c["stated_value"] == pytest.approx(2213.5)


def test_checks_follow_the_plans_base_year(tmp_path, write_csv):
    """A 15th-plan style file based in 2025: manufacturing 20% of GDP within a 30% secondary
    sector; a 40% manufacturing target by 2030 needs the secondary share at 40 + 10 = 50%."""
    write_csv(tmp_path / "indicators.csv",
           ["indicator_id", "series_id", "name_zh", "name_en", "kind", "unit", "base_year", "base_value",
            "target_year", "target_value", "source"],
           [["manufacturing_va_share", "manufacturing_va_share", "制造业比重", "Manufacturing share", "share", "%",
             "2025", "20", "2030", "40", "t3"],
            ["secondary_sector_share_2025", "secondary_sector_share", "第二产业比重", "Secondary share", "share", "%",
             "2025", "30", "", "", "c1"]])
    report = xe.check_consistency(xe.read_plan(tmp_path / "indicators.csv"))
    f = report.to_frame()
    row = f[f["check"] == "manufacturing_within_secondary"].iloc[0]
    assert row["implied_value"] == pytest.approx(50.0)
    assert "2025: manufacturing" in row["stated"]
