"""Scenarios: paths checked against hand computations from the plan's baselines."""

from __future__ import annotations

import numpy as np
import pytest

import xiangxi_econ as xe


@pytest.fixture(scope="module")
def plan():
    return xe.load_plan()


def value(s, scenario, indicator, year):
    f = s.to_frame()
    row = f[(f["scenario"] == scenario) & (f["indicator_id"] == indicator) & (f["year"] == year)]
    assert len(row) == 1, (scenario, indicator, year)
    return float(row["value"].iloc[0])


#: GDP's trend pace as of 2020 on one statistical basis: the 2019 economic-census revision (breaks.csv)
#: puts 2015-2018 on the old basis, so the pace is 2019 (705.7136亿元, CSMAR city table, observations.csv)
#: to 2020 (725.11, 专栏2 序号1), not 517 -> 725.11 across the revision (7.0% a year).
G_GDP = 725.11 / 705.7136 - 1


def test_plan_path_reaches_targets_and_trend_continues_history(plan):
    """Plan: GDP 725.11 -> 1000 by 2025 (专栏2 序号1). Trend: 725.11 × (1 + g)**5 with g the 2019-2020
    pace on the census-revised basis (never 725.11**2/517, a pace across the 2019 revision)."""
    s = xe.scenarios(plan, "plan", "trend", end_year=2035)
    assert value(s, "plan", "gdp", 2025) == pytest.approx(1000.0, rel=1e-12)
    assert value(s, "trend", "gdp", 2025) == pytest.approx(725.11 * (1 + G_GDP) ** 5, rel=1e-12)
    # urbanisation: plan 55 by 2025; trend 50 + 5 × 1.78 = 58.9; to 2035 the trend path reaches 76.7
    assert value(s, "plan", "urbanisation_rate", 2025) == pytest.approx(55.0)
    assert value(s, "trend", "urbanisation_rate", 2035) == pytest.approx(50 + 15 * 1.78)
    # after its target year the plan path moves at the trend pace, not the required pace compounded on
    assert value(s, "plan", "gdp", 2035) == pytest.approx(1000 * (1 + G_GDP) ** 10, rel=1e-12)
    # by default paths stop at the plan's target year
    assert xe.scenarios(plan, "plan").frame["year"].max() == 2025


def test_tourism_identity_carried(plan):
    """Plan: arrivals 1.2亿 × spending 1200元 = 1440亿元 (the contradiction, visible in the path);
    2020: 0.549亿 × 839.7元 = 461亿元."""
    s = xe.scenarios(plan, "plan")
    assert value(s, "plan", "tourism_revenue_identity", 2025) == pytest.approx(1440.0, rel=1e-9)
    assert value(s, "plan", "tourism_revenue_identity", 2020) == pytest.approx(461.0, rel=1e-9)
    assert value(s, "plan", "tourism_spending_per_visitor", 2020) == pytest.approx(461e8 / 5490e4, rel=1e-12)


def test_gdp_carries_sector_structure(plan):
    s = xe.scenarios(plan, "trend", end_year=2030)
    f = s.to_frame()
    y = f[(f["scenario"] == "trend") & (f["year"] == 2030)].set_index("indicator_id")["value"]
    shares = y[["primary_sector_share", "secondary_sector_share", "tertiary_sector_share"]]
    assert shares.sum() == pytest.approx(100.0, abs=1e-9)
    va = y[["primary_sector_va", "secondary_sector_va", "tertiary_sector_va"]]
    assert va.sum() == pytest.approx(y["gdp"], rel=1e-12)
    # 2020 shares are the printed 15.4 : 28.2 : 56.4
    y20 = f[(f["scenario"] == "trend") & (f["year"] == 2020)].set_index("indicator_id")["value"]
    assert y20[["primary_sector_share", "secondary_sector_share", "tertiary_sector_share"]].tolist() == \
        pytest.approx([15.4, 28.2, 56.4])


def test_adjust_and_shock(plan):
    """'Growth one point lower': GDP 725.11 × (1 + g - 0.01)**5. A 2022 fall of 10%: the trend
    factor for 2022 replaced by 0.9."""
    g = G_GDP
    slow = xe.Scenario("slow", adjust=-0.01)
    shock = xe.Scenario("shock", shocks=(xe.Shock(2022, -0.10, ("gdp",)),))
    s = xe.scenarios(plan, slow, shock)
    assert value(s, "slow", "gdp", 2025) == pytest.approx(725.11 * (1 + g - 0.01) ** 5, rel=1e-12)
    assert value(s, "shock", "gdp", 2025) == pytest.approx(725.11 * (1 + g) ** 4 * 0.9, rel=1e-12)
    assert value(s, "shock", "gdp", 2021) == pytest.approx(725.11 * (1 + g), rel=1e-12)
    # physical quantities are not adjusted unless named
    assert value(s, "slow", "life_expectancy", 2025) == pytest.approx(value(s, "shock", "life_expectancy", 2025))


def test_custom_paces_and_shares_stay_bounded(plan):
    s = xe.scenarios(plan, xe.Scenario("fast", paces_pp={"urbanisation_rate": 5.0}), end_year=2035)
    assert value(s, "fast", "urbanisation_rate", 2035) == 100.0


def test_long_format_and_compare(plan):
    s = xe.scenarios(plan, "plan", "trend", end_year=2030)
    f = s.to_frame()
    assert list(f.columns) == ["scenario", "indicator_id", "series_id", "year", "value", "unit", "price_basis",
                               "derived"]
    assert f["year"].min() == 2020 and f["year"].max() == 2030
    wide = s.compare(2025)
    assert {"plan", "trend"} <= set(wide.columns)
    assert "Scenarios:" in s.summary() and "<table" in s._repr_html_()


def test_bad_input(plan):
    with pytest.raises(ValueError, match="base must be"):
        xe.Scenario("x", base="hope")
    with pytest.raises(ValueError, match="adjust is a fraction"):
        xe.Scenario("x", adjust=-1.5)
    with pytest.raises(ValueError, match="no projectable indicator nope"):
        xe.scenarios(plan, xe.Scenario("x", paces={"nope": 0.1}))
    with pytest.raises(ValueError, match="shock year 2040"):
        xe.scenarios(plan, xe.Scenario("x", shocks=(xe.Shock(2040, -0.1),)))
    with pytest.raises(ValueError, match="unique"):
        xe.scenarios(plan, "plan", xe.Scenario("plan"))
    with pytest.raises(ValueError, match="end_year"):
        xe.scenarios(plan, end_year=2020)


def test_default_shock_keeps_the_tourism_identity(plan):
    """A default (money) shock hits revenue and spending, not arrivals: the identity revenue and the
    directly projected revenue fall by the same factor in the shock year (trend paces otherwise)."""
    base = xe.scenarios(plan, "trend")
    hit = xe.scenarios(plan, xe.Scenario("hit", shocks=(xe.Shock(2022, -0.4),)))
    def ratio(ident):
        return value(hit, "hit", ident, 2025) / value(base, "trend", ident, 2025)
    assert ratio("tourism_revenue_identity") == pytest.approx(ratio("tourism_revenue_ch2"), rel=1e-12)
    assert ratio("tourism_arrivals_ch2") == pytest.approx(1.0)
    held = base.held
    assert "labour_productivity" in held and "*" in base.summary()


def test_scenarios_start_at_the_plans_base_year(tmp_path):
    """A plan based in 2025 (GDP 500 -> 700 by 2030; 400 in 2020): paths start in 2025; the trend
    path continues (500/400)**(1/5) a year, reaching 500 × 1.25 = 625 in 2030."""
    import csv

    with open(tmp_path / "indicators.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["indicator_id", "name_zh", "name_en", "kind", "unit", "base_year", "base_value", "target_year",
                    "target_value", "source"])
        w.writerow(["gdp", "地区生产总值", "GDP", "level", "亿元", "2025", "500", "2030", "700", "t1"])
    with open(tmp_path / "history.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["series_id", "year", "measure", "value", "unit", "source"])
        w.writerow(["gdp", "2020", "level", "400", "亿元", "y"])
    s = xe.scenarios(xe.read_plan(tmp_path), "plan", "trend", end_year=2035)
    assert s.to_frame()["year"].min() == 2025
    assert value(s, "plan", "gdp", 2030) == pytest.approx(700.0)
    assert value(s, "trend", "gdp", 2030) == pytest.approx(625.0)


def test_an_outlook_starts_from_the_latest_observation():
    """As of 2025 to 2035: GDP restarts at the published 889.5 and continues its own 2020-2025 pace,
    889.5 x (889.5 / 725.11)^(10/5); tourism revenue continues 2021-2025 on the visitor-spending basis
    (after the 2020 change of definition), 729 x (729 / 528)^(10/4) — not the 2015-2020 pace from 2020."""
    import xiangxi_econ as xe

    plan = xe.load_plan()
    s = xe.scenarios(plan, "trend", end_year=2035, as_of_year=2025)
    w = s.compare(2035).set_index("indicator_id")["trend"]
    assert w["gdp"] == pytest.approx(889.5 * (889.5 / 725.11) ** 2, rel=1e-9)
    assert w["tourism_revenue_ch2"] == pytest.approx(729 * (729 / 528) ** 2.5, rel=1e-9)
    start = s.to_frame().query("year == 2025 and indicator_id == 'gdp'")["value"].iloc[0]
    assert start == pytest.approx(889.5, rel=1e-12)
    assert "2021-2025" in s.notes["tourism_revenue_ch2"]
    with pytest.raises(ValueError, match="as_of_year"):
        xe.scenarios(plan, "trend", end_year=2030, as_of_year=2031)


@pytest.mark.parametrize("make, message", [
    (lambda: xe.Scenario("x", adjust=float("nan")), "adjust must be a finite number"),
    (lambda: xe.Scenario("x", paces_pp={"urbanisation_rate": float("inf")}), "finite number of pp"),
    (lambda: xe.Shock(2022.5, rate=-0.1), "whole calendar year"),
])
def test_bad_scenario_input_is_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_whole_float_year_is_accepted():
    assert xe.Shock(2022.0, rate=-0.1).year == 2022


# --------------------------------------------------------------------------- one statistical basis

def _crosses(plan, series_id, start, end):
    """Oracle, by hand from breaks.csv and the plan's own figures: a break dated Y lies between the values
    of ``start`` and ``end`` when start < Y < end, or Y == end and the end value is not the plan's own
    figure printed before that break (the plan's 2020 baseline of a series re-based in 2020 is on the
    old basis: rules/windows' convention, stated in its module docstring)."""
    b = plan.observations.breaks
    years = b.loc[b["series_id"] == series_id, "year"].astype(int).tolist()
    obs = plan.observations.table
    pub = obs[(obs["series_id"] == series_id) & (obs["measure"] == "level") & obs["preferred"]]
    own = plan.levels[plan.levels["series_id"] == series_id]
    for y in years:
        if start < y < end:
            return True
        if y == start and start != end:
            own_v = own.loc[own["year"] == y, "value"]
            pub_v = pub.loc[pub["year"] == y, "value"]
            printed_before = len(own_v) and (pub_v.empty or abs(float(own_v.iloc[0]) - float(pub_v.iloc[0])) > 1e-6)
            if printed_before:  # the start is on the old basis, the end on the new one
                return True
        if y == end:
            own_v = own.loc[own["year"] == y, "value"]
            pub_v = pub.loc[pub["year"] == y, "value"]
            printed_before = len(own_v) and (pub_v.empty or abs(float(own_v.iloc[0]) - float(pub_v.iloc[0])) > 1e-6)
            if not printed_before:
                return True
    return False


def _assert_no_row_crosses_a_break(plan, s, base):
    """Every trend path moves at a pace taken between two values of one segment, and its first step
    equals that pace (levels: compound; shares and rates: pp)."""
    basis = s.basis.set_index("indicator_id")
    f = s.frame[(s.frame["scenario"] == "trend") & ~s.frame["derived"]]
    checked = 0
    for ident, rows in f.groupby("indicator_id"):
        b = basis.loc[ident]
        if int(b["trend_from"]) < 0:
            assert ident in s.held, ident  # no pace at all: held flat, never projected
            assert rows["value"].nunique() == 1
            continue
        assert not _crosses(plan, b["series_id"], int(b["trend_from"]), int(b["trend_to"])), (ident, b.to_dict())
        r = rows.set_index("year")["value"]
        kind = plan.indicator(ident)["kind"]
        step = r.loc[base + 1] - r.loc[base] if kind in ("share", "rate") else r.loc[base + 1] / r.loc[base] - 1
        if kind in ("share", "rate") and not 0 < r.loc[base + 1] < 100:
            continue  # clipped at a bound
        assert step == pytest.approx(float(b["trend_pace"]), rel=1e-9, abs=1e-12)
        checked += 1
    for ident in s.no_trend:
        assert ident not in set(f["indicator_id"])
    return checked


def test_no_scenario_row_crosses_a_break_in_the_embedded_plan(plan):
    """Property over every projectable indicator of the embedded plan, from the base year and from 2025."""
    s = xe.scenarios(plan, "trend", end_year=2030)
    assert _assert_no_row_crosses_a_break(plan, s, 2020) >= 8
    # GDP: 2015-2020 spans the 2019 census revision, so its pace is 2019-2020 (one basis)
    gdp = s.basis.set_index("indicator_id").loc["gdp"]
    assert (int(gdp["trend_from"]), int(gdp["trend_to"])) == (2019, 2020)
    later = xe.scenarios(plan, "trend", end_year=2030, as_of_year=2025)
    for ident, b in later.basis.set_index("indicator_id").iterrows():
        if int(b["trend_from"]) >= 0:
            assert not _crosses(plan, b["series_id"], int(b["trend_from"]), int(b["trend_to"])), ident


def test_forest_cover_trend_never_falls_below_its_latest_published_value(plan):
    """Forest cover: 70.24% (old method, 2020) and 60.35% (2025, land-survey method; break 2024). The trend
    from 2025 starts at 60.35 and moves at the pace of one basis — (70.24 - 70.2) / 5 = 0.008 pp a year
    (专栏1 2015 and 专栏2 2020) — never the 70.24 -> 60.35 change of method (-2 pp a year)."""
    s = xe.scenarios(plan, "trend", end_year=2030, as_of_year=2025)
    f = s.frame[(s.frame["series_id"] == "forest_cover") & (s.frame["scenario"] == "trend")]
    assert f["value"].min() >= 60.35 - 1e-9
    last = f[f["year"] == 2030]["value"]
    assert last.to_numpy() == pytest.approx([60.35 + 5 * 0.008] * len(last), abs=1e-9)


def _synthetic(folder, rng):
    """A plan based in 2025: 'a' a level with a break inside its history (pace from the later segment),
    'b' a share whose two values straddle a break (no trend path), 'c' a level with no break."""
    folder.mkdir()
    brk_a = int(rng.integers(2021, 2024))
    (folder / "indicators.csv").write_text(
        "indicator_id,name_zh,name_en,kind,unit,base_year,base_value,target_year,target_value,bound,source\n"
        f"a,甲,A,level,亿元,2025,{100 * (1 + rng.random()):.2f},2030,300,at_least,t\n"
        f"b,乙,B,share,%,2025,{40 + 10 * rng.random():.2f},2030,60,at_least,t\n"
        f"c,丙,C,level,亿元,2025,{50 + 10 * rng.random():.2f},2030,90,at_least,t\n", encoding="utf-8")
    obs = ["series_id,year,value,unit,source"]
    for y in range(2018, 2025):
        obs.append(f"a,{y},{80 + 3 * (y - 2018) + 10 * rng.random():.2f},亿元,s")
        obs.append(f"c,{y},{30 + 2 * (y - 2018) + 5 * rng.random():.2f},亿元,s")
    obs.append(f"b,2020,{30 + 10 * rng.random():.2f},%,s")
    (folder / "observations.csv").write_text("\n".join(obs) + "\n", encoding="utf-8")
    (folder / "breaks.csv").write_text(
        "series_id,year,kind,description_en,source\n"
        f"a,{brk_a},method,new method,s\n"
        "b,2023,definition,new definition,s\n", encoding="utf-8")
    return brk_a


@pytest.mark.parametrize("seed", range(4))
def test_no_scenario_row_crosses_a_break_in_a_synthetic_plan(tmp_path, seed):
    rng = np.random.default_rng(seed)
    brk_a = _synthetic(tmp_path / "p", rng)
    p = xe.read_plan(tmp_path / "p")
    s = xe.scenarios(p, "plan", "trend", end_year=2035)
    assert _assert_no_row_crosses_a_break(p, s, 2025) == 2
    b = s.basis.set_index("indicator_id")
    assert int(b.loc["a", "trend_from"]) >= brk_a  # the pace of 'a' starts on the new basis
    assert "b" in s.no_trend and "cross" in s.no_trend["b"]
    # the plan scenario reaches the target, then has no trend to continue at for 'b'
    plan_b = s.frame[(s.frame["scenario"] == "plan") & (s.frame["indicator_id"] == "b")]
    assert plan_b["year"].max() == 2030 and plan_b.set_index("year").loc[2030, "value"] == pytest.approx(60.0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(as_of_year=2100, end_year=2110), "after the plan's latest figure"),
    (dict(end_year=10 ** 6), "at most 50 years"),
    (dict(end_year=2030.5), "whole calendar year"),
    (dict(as_of_year=float("nan"), end_year=2030), "whole calendar year"),
])
def test_scenario_years_are_checked(plan, kwargs, message):
    with pytest.raises(ValueError, match=message):
        xe.scenarios(plan, "trend", **kwargs)


def test_adjust_indicators_must_name_projectable_indicators(plan):
    with pytest.raises(ValueError, match="adjust_indicators names 'nope'"):
        xe.scenarios(plan, xe.Scenario("x", adjust=-0.01, adjust_indicators=("nope",)))
