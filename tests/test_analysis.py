"""The analysis core: plan periods, the targets table computed once, and every public function, the
CLI and the report on a plan based in 2025 (a 15th-plan style file written here by hand).

Reference values are computed by hand in each docstring from the numbers in the files written
below; tolerances are stated at the call site.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import xiangxi_econ as xe
import xiangxi_econ.rules.historical as historical_module
import xiangxi_econ.rules.targets as targets_module
from xiangxi_econ.face.cli import main

# GDP 2020 -> 2025 chosen so that the history-window pace is 5.15% a year:
# 725.11 * 1.0515**5 = 932.07 (rounded to two decimals)
GDP_2020, GDP_2025, GDP_2030 = 725.11, 932.07, 1200.0
URB_2020, URB_2025, URB_2030 = 50.24, 55.24, 60.0




@pytest.fixture(scope="module")
def plan_2025(tmp_path_factory, write_csv) -> xe.Plan:
    folder = tmp_path_factory.mktemp("plan15")
    write_csv(folder / "indicators.csv",
           ["indicator_id", "name_zh", "name_en", "kind", "unit", "price_basis", "base_year", "base_value",
            "target_year", "target_value", "bound", "attribute", "source"],
           [["gdp", "地区生产总值", "GDP", "level", "亿元", "current", "2025", str(GDP_2025), "2030", str(GDP_2030),
             "at_least", "anticipatory", "表1"],
            ["urbanisation_rate", "常住人口城镇化率", "Urbanisation rate", "share", "%", "na", "2025", str(URB_2025),
             "2030", str(URB_2030), "", "anticipatory", "表1"],
            ["tourism_arrivals", "接待游客", "Tourist arrivals", "level", "万人次", "na", "2025", "6000", "2030",
             "8000", "", "", "表1"],
            ["tourism_revenue", "旅游收入", "Tourism revenue", "level", "亿元", "current", "2025", "700", "2030",
             "1000", "", "", "表1"],
            ["vision_gdp", "地区生产总值", "GDP vision", "level", "亿元", "current", "2025", str(GDP_2025), "2035",
             "2000", "", "", "第一章"]])
    write_csv(folder / "history.csv",
           ["series_id", "year", "start_year", "measure", "value", "unit", "price_basis", "source", "quote"],
           [["gdp", "2020", "", "level", str(GDP_2020), "亿元", "current", "y", str(GDP_2020)],
            ["urbanisation_rate", "2020", "", "level", str(URB_2020), "%", "na", "y", str(URB_2020)],
            ["tourism_arrivals", "2020", "", "level", "4206.2", "万人次", "na", "y", "4206.2"],
            ["tourism_revenue", "2020", "", "level", "388.8", "亿元", "current", "y", "388.8"]])
    return xe.read_plan(folder)


# --------------------------------------------------------------------------- periods

def test_periods_of_the_embedded_plan():
    """专栏2 baselines are 2020, targets 2025; 专栏1 starts in 2015; chapter 2 states 2035 goals."""
    p = xe.load_plan().periods
    assert (p.base_year, p.target_year, p.history_start_year, p.vision_year, p.previous_base_year) == \
        (2020, 2025, 2015, 2035, 2015)
    assert p.years == 5 and p.history_label == "2015-2020"


def test_periods_of_a_plan_based_in_2025(plan_2025):
    p = plan_2025.periods
    assert (p.base_year, p.target_year, p.history_start_year, p.vision_year, p.previous_base_year) == \
        (2025, 2030, 2020, 2035, None)


# --------------------------------------------------------------------------- the 2025-based plan

def test_historical_pace_of_a_plan_based_in_2025(plan_2025):
    """GDP: (932.07/725.11)**(1/5) - 1 = 0.05150 (5.15% a year); urbanisation (55.24-50.24)/5 = 1.0 pp."""
    t = xe.assess(plan_2025).to_frame().set_index("indicator_id")
    by_hand = (GDP_2025 / GDP_2020) ** 0.2 - 1
    assert t.loc["gdp", "historical_rate"] == pytest.approx(by_hand, abs=1e-12)
    assert round(t.loc["gdp", "historical_rate"], 4) == 0.0515
    assert t.loc["urbanisation_rate", "historical_pace_pp"] == pytest.approx(1.0, abs=1e-12)
    assert t.loc["gdp", "historical_from"] == "levels 2020-2025"
    # required: (1200/932.07)**0.2 - 1 and (60-55.24)/5 = 0.952 pp
    assert t.loc["gdp", "required_rate"] == pytest.approx((GDP_2030 / GDP_2025) ** 0.2 - 1, abs=1e-12)
    assert t.loc["urbanisation_rate", "required_pace_pp"] == pytest.approx(0.952, abs=1e-12)


def test_every_public_function_on_a_plan_based_in_2025(plan_2025):
    """Scenarios and simulation speak of 2030; the trend path compounds the 2020-2025 pace."""
    s = xe.scenarios(plan_2025, "plan", "trend")
    assert "Values in 2030:" in s.summary() and "2020-2025 pace" in s.summary()
    wide = s.compare().set_index("indicator_id")
    g = (GDP_2025 / GDP_2020) ** 0.2 - 1
    assert wide.loc["gdp", "trend"] == pytest.approx(GDP_2025 * (1 + g) ** 5, rel=1e-12)
    assert s.frame["year"].max() == 2030  # paths stop at the target year unless asked for more
    sim = xe.simulate(plan_2025, n_draws=2_000, seed=0)
    assert "by 2030" in sim.summary().splitlines()[0]
    hp = xe.historical_pace(plan_2025)
    assert (hp.start_year, hp.end_year) == (2020, 2025)
    assert len(xe.track_record(plan_2025).to_frame()) == 0   # no previous-plan table in this file
    report = xe.check_consistency(plan_2025)
    assert isinstance(report.summary(), str)
    ev = xe.evaluate_progress(plan_2025, {"gdp": {2027: 1000.0}})
    row = ev.to_frame().iloc[0]
    # (1000 - 932.07) / (1200 - 932.07) = 0.2535, two of five years gone
    assert row["completion"] == pytest.approx((1000 - GDP_2025) / (GDP_2030 - GDP_2025), abs=1e-12)
    assert row["time_share"] == pytest.approx(0.4)
    assert xe.models.TourismModel.from_plan(plan_2025).year == 2025
    assert xe.targets_table(plan_2025).shape[0] == 5


def test_cli_and_report_on_a_plan_based_in_2025(plan_2025, tmp_path, capsys):
    # the same plan written again as files for the CLI
    plan_dir = tmp_path / "plan15"
    plan_dir.mkdir()
    plan_2025.indicators[["indicator_id", "name_zh", "name_en", "kind", "unit", "price_basis", "base_year",
                          "base_value", "target_year", "target_value", "bound", "attribute", "source"]] \
        .to_csv(plan_dir / "indicators.csv", index=False)
    explicit = plan_2025.history[plan_2025.history["indicator_id"] == ""]
    explicit[["series_id", "year", "start_year", "measure", "value", "unit", "price_basis", "source", "quote"]] \
        .to_csv(plan_dir / "history.csv", index=False)
    for cmd in (["assess"], ["pace"], ["track-record"], ["summary"]):
        assert main([*cmd, "--plan", str(plan_dir)]) == 0, cmd
    out = capsys.readouterr().out
    assert "5.15%" in out
    assert main(["report", "--out", str(tmp_path / "rep"), "--plan", str(plan_dir), "--draws", "2000"]) == 0
    html = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert "2030" in html


# --------------------------------------------------------------------------- computed once

def test_report_computes_the_targets_table_once(monkeypatch, tmp_path):
    """Counting the inner steps: _historical_columns runs once per targets table, level_pairs once
    per history-window pace. The report needs one of each."""
    counts = {"targets": 0, "pace": 0}
    real_rows, real_pairs = targets_module._historical_columns, historical_module.level_pairs

    def rows(*args, **kwargs):
        counts["targets"] += 1
        return real_rows(*args, **kwargs)

    def pairs(*args, **kwargs):
        counts["pace"] += 1
        return real_pairs(*args, **kwargs)

    monkeypatch.setattr(targets_module, "_historical_columns", rows)
    monkeypatch.setattr(historical_module, "level_pairs", pairs)
    xe.build_report(tmp_path / "rep", n_draws=2_000)
    assert counts == {"targets": 1, "pace": 1}


def test_analysis_parts_are_cached():
    an = xe.analyse(n_draws=1_000)
    assert an.assessment is an.assessment and an.targets is an.targets
    assert an.assessment.table["required_rate"].equals(xe.assess(an.plan).table["required_rate"])
    assert "history window 2015-2020" in an.summary()


def test_analysis_bad_input():
    with pytest.raises(ValueError, match="unknown verdict method|method"):
        xe.analyse(method="nope")
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh'"):
        xe.analyse(lang="fr")


# --------------------------------------------------------------------------- guards and names

def test_unknown_ids_raise_one_error_class_with_a_suggestion():
    plan = xe.load_plan()
    with pytest.raises(xe.UnknownIndicatorError, match="did you mean gdp") as info:
        plan.indicator("gpd")
    assert isinstance(info.value, KeyError)
    with pytest.raises(xe.UnknownIndicatorError, match="no 2019 level of series 'gdp'"):
        plan.level("gdp", 2019)


def test_high_level_inputs_are_guarded_like_the_maths():
    """-30 for -30% is refused (a factor 1 + g <= 0 has no growth path); 7 for 7% warns."""
    with pytest.raises(ValueError, match="fraction above -1"):
        xe.Shock(2022, -30)
    with pytest.warns(xe.PercentLikeRateWarning, match="looks like a percent"):
        xe.Scenario("x", paces={"gdp": 7})
    plan = xe.load_plan()
    with pytest.warns(xe.PercentLikeRateWarning, match="looks like a percent"):
        xe.simulate(plan, n_draws=100, volatility={"gdp": 3})
    with pytest.raises(ValueError, match="paces_pp"):
        xe.scenarios(plan, xe.Scenario("x", paces={"urbanisation_rate": 0.5}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = xe.scenarios(plan, xe.Scenario("x", shocks=(xe.Shock(2022, -0.3),)), end_year=2025)
    assert (s.frame.loc[s.frame["indicator_id"] == "gdp", "value"] > 0).all()


def test_level_lookup_is_the_one_used_by_models():
    """专栏2 序号1 prints GDP 2020 = 725.11 亿元; the sector model reads the same lookup."""
    plan = xe.load_plan()
    lv = plan.level("gdp", 2020)
    assert (lv.value, lv.unit, lv.value_base_units) == (725.11, "亿元", pytest.approx(725.11e8, rel=1e-15))
    assert xe.models.SectorStructure.from_plan(plan).gdp == lv.value
    assert np.isclose(xe.models.RDIntensityModel.from_plan(plan).gdp, lv.value, rtol=0, atol=0)


def test_one_count_of_targets_everywhere():
    """The plan's summary, the assessment and the report count the same targets: the plan's own
    numeric targets once each (urbanisation, forest cover, doctors and investment attracted are
    printed twice), targets without a number, and the previous plan's 34 review rows (专栏1)."""
    from xiangxi_econ.rules.targets import target_counts

    plan = xe.load_plan()
    c = target_counts(plan)
    a = xe.assess(plan)
    once = a.table[~a.table["stated_twice"]]
    assert c["numeric"] == len(once) and c["stated_twice"] == len(a.table) - len(once)
    assert c["without_number"] == len(a.not_assessable)
    assert c["previous_plan"] == 34
    assert f"{c['numeric']} numeric targets" in a.summary()  # the plan itself holds data and counts nothing
