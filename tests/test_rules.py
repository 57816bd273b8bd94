"""The one set of target rules (xiangxi_econ.rules.meaning) and the places that must use it.

References are computed by hand in each docstring (formula and the plan or bulletin row they use);
tolerances are stated per assertion.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.rules import meaning as rules

PACKAGE = Path(xe.__file__).parent


def test_no_compound_rate_formula_or_met_comparison_typed_outside_the_rules():
    """The compound-rate formula `** (1 / n)` lives in growth.py (and the identities' arithmetic);
    a met comparison `outcome <= target + tol` / `>= target - tol` lives in rules/meaning.py."""
    compound = re.compile(r"\*\* *\(1 */")
    met = re.compile(r"[<>]= *target *[+-] *1e-9")
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("growth.py", "identities.py", "meaning.py"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if ">>>" in line:
                continue
            assert not compound.search(code), f"{path.name}:{n}: compound-rate formula typed inline"
            assert not met.search(code), f"{path.name}:{n}: met comparison typed inline"


def test_required_rate_of_a_count_target():
    """A count grows geometrically: 36 A-level scenic spots to 50 in 5 years needs (50/36)**(1/5) - 1
    = 6.7872% a year (by hand, rel 1e-12); a share moves in pp: (55 - 50)/5 = 1 pp."""
    rate, pp = rules.pace(["count", "share", "rate"], [36, 50, 4.98], [50, 55, 5.5], [5, 5, 5])
    assert rate[0] == pytest.approx((50 / 36) ** 0.2 - 1, rel=1e-12)
    assert np.isnan(rate[1]) and pp[1] == pytest.approx(1.0, rel=1e-12)
    assert pp[2] == pytest.approx(0.104, rel=1e-12)


@pytest.mark.parametrize(("bound", "direction", "value", "target", "met"), [
    ("at_most", "increase", 5.2, 5.3, True),      # a ceiling beaten
    ("at_most", "increase", 5.4, 5.3, False),
    ("exact", "decrease", 110.0, 121.0, True),    # water use per 万元 GDP should fall
    ("exact", "decrease", 121.0, 110.0, False),
    ("at_least", "increase", 55.24, 55.0, True),
    ("exact", "increase", float("nan"), 1.0, False),
])
def test_met_honours_bound_side(bound, direction, value, target, met):
    assert bool(rules.meets(value, target, bound, direction)) is met
    side = rules.bound_side([bound], [direction])[0]
    assert side == (-1 if bound == "at_most" or direction == "decrease" else 1)


def test_probability_of_meeting_counts_the_right_side():
    """Draws 1..10 against 3.5: at least -> 7/10, at most -> 3/10 (by counting)."""
    draws = np.arange(1, 11, dtype=float)[:, None] * np.ones((1, 2))
    p = rules.share_meeting(draws, [3.5, 3.5], ["at_least", "at_most"], ["increase", "increase"])
    assert p.tolist() == [0.7, 0.3]


def test_remaining_pace_and_completion_by_hand():
    """GDP 855.9 in 2024 to 1000 in 2025: 1000/855.9 - 1 = 16.836%; completion (889.5 - 725.11) /
    (1000 - 725.11) = 0.59803 (2025 bulletin, 专栏2 序号1)."""
    rate, _ = rules.remaining_pace(["level"], [855.9], [1000.0], [1])
    assert rate[0] == pytest.approx(1000 / 855.9 - 1, rel=1e-12)
    assert rules.completion(["level"], [725.11], [889.5], [1000.0])[0] == pytest.approx(164.39 / 274.89, rel=1e-12)


def _plan_with(tmp_path, rows: str, history: str = "") -> xe.Plan:
    head = ("indicator_id,series_id,origin,row_no,category_zh,name_zh,name_en,kind,unit,price_basis,base_year,"
            "base_value,target_year,target_value,target_text,bound,direction,attribute,stated_change,"
            "stated_change_value,stated_change_type,source,quote,note\n")
    (tmp_path / "indicators.csv").write_text(head + rows, encoding="utf-8")
    (tmp_path / "history.csv").write_text(
        "series_id,year,start_year,measure,value,value_text,unit,price_basis,source,quote\n" + history,
        encoding="utf-8")
    return xe.read_plan(tmp_path)


USER_ROWS = (
    "unemp,unemployment_rate_urban_surveyed,table_14th,1,x,失业率,Unemployment rate,rate,%,na,2020,5.6,2025,5.5,"
    "5.5%以内,at_most,decrease,anticipatory,,,,t1,q,\n"
    "water,water_use_per_10k_gdp,table_14th,2,x,用水量,Water use per 10k GDP,level,立方米/万元,na,2020,100,2025,"
    "80,,exact,decrease,binding,,,,t2,q,\n"
    "spots,scenic_spots_5a,table_14th,3,x,5A景区,5A scenic spots,count,个,na,2020,2,2025,4,,at_least,increase,"
    "anticipatory,,,,t3,q,\n"
    "urb,urbanisation_rate,table_14th,4,x,城镇化率,Urbanisation rate,share,%,na,2020,50,2025,55,,exact,increase,"
    "anticipatory,,,,t4,q,\n"
)


def test_the_same_rules_on_a_user_plan_with_its_own_outcomes(tmp_path):
    """A made-up plan: unemployment at most 5.5% (outcome 5.2: met, a beaten at-most target), water use
    falling 100 -> 80 (outcome 85: missed, completion (85-100)/(80-100) = 0.75), 5A spots 2 -> 4 (a count;
    outcome 4: met), urbanisation 50 -> 55 (outcome 54: missed, completion 0.8). All by hand."""
    plan = _plan_with(tmp_path, USER_ROWS)
    ev = xe.evaluate_progress(plan, {"unemp": {2025: 5.2}, "water": {2025: 85.0}, "spots": {2025: 4.0},
                                     "urb": {2025: 54.0}})
    t = ev.to_frame().set_index("indicator_id")
    assert t.loc["unemp", "status"] in ("met", "exceeded")   # 5.6 -> 5.2 against 5.5: (5.2-5.6)/(5.5-5.6) = 4
    assert t.loc["water", "status"] == "not_met"
    assert t.loc["water", "completion"] == pytest.approx(0.75, rel=1e-12)
    assert t.loc["spots", "status"] in ("met", "exceeded")
    assert t.loc["urb", "status"] == "not_met" and t.loc["urb", "completion"] == pytest.approx(0.8, rel=1e-12)
    # one step short of the ceiling is breached: 5.6 > 5.5
    worse = xe.evaluate_progress(plan, {"unemp": {2025: 5.6}}).to_frame().set_index("indicator_id")
    assert worse.loc["unemp", "status"] == "not_met"


def test_an_evaluation_without_outcomes_still_displays(tmp_path):
    plan = _plan_with(tmp_path, USER_ROWS)
    ev = xe.evaluate_progress(plan)
    assert len(ev.to_frame()) == 0
    assert "0 targets" in str(ev) and repr(ev) and ev._repr_html_()


def test_falling_and_at_most_targets_in_the_simulation_probability(tmp_path):
    """The simulated probability counts the right side: a falling target whose paths all end below it
    is met with P = 1; the same target read as rising would give 0."""
    draws = np.full((100, 1), 90.0)
    assert rules.share_meeting(draws, [100.0], ["exact"], ["decrease"])[0] == 1.0
    assert rules.share_meeting(draws, [100.0], ["exact"], ["increase"])[0] == 0.0


def test_backtest_met_for_an_at_most_target():
    """The backtest's met flag for an at-most row: 5.2 against 5.5 is met, 5.6 is not."""
    from xiangxi_econ.probability.backtesting import _score_rows

    rows = pd.DataFrame({"outcome": [5.2, 5.6], "target_value": [5.5, 5.5], "bound": ["at_most"] * 2,
                         "direction": ["decrease"] * 2, "reason": ["", ""]})
    fc = pd.DataFrame({"indicator_id": ["a", "b"], "q05": [5.0] * 2, "q25": [5.1] * 2, "q50": [5.3] * 2,
                       "q75": [5.5] * 2, "q95": [5.7] * 2})
    scored = _score_rows(rows, fc)
    assert scored["met"].tolist() == [1.0, 0.0]


def test_at_most_and_falling_targets_in_simulate(tmp_path):
    """simulate on a made-up plan, trend engine: unemployment 6.0 (2015) -> 5.6 (2020), at most 5.5 in
    2025: pace -0.08 pp a year, spread 0.5 x 0.08 + 0.1 = 0.14 pp a year, so
    P = Phi((5.5 - (5.6 - 5 x 0.08)) / (0.14 sqrt 5)); water use 120 -> 100 falling to 80:
    g = (100/120)^(1/5) - 1, P = Phi((ln 0.8 - 5 ln(1+g)) / (0.03 sqrt 5)). Reading either as a floor
    would give 1 - P."""
    from scipy.stats import norm

    history = ("unemployment_rate_urban_surveyed,2015,,level,6.0,,%,na,s,q\n"
               "water_use_per_10k_gdp,2015,,level,120,,立方米/万元,na,s,q\n")
    plan = _plan_with(tmp_path, USER_ROWS, history)
    sim = xe.simulate(plan, n_draws=8192, calibrated=False).to_frame().set_index("indicator_id")
    p_unemp = norm.cdf((5.5 - (5.6 - 5 * 0.08)) / (0.14 * np.sqrt(5)))
    g = (100 / 120) ** 0.2 - 1
    p_water = norm.cdf((np.log(0.8) - 5 * np.log1p(g)) / (0.03 * np.sqrt(5)))
    assert sim.loc["unemp", "probability"] == pytest.approx(p_unemp, abs=1e-6)
    assert sim.loc["water", "probability"] == pytest.approx(p_water, abs=1e-6)
    assert 0.5 < p_unemp < 0.99 and 0.01 < p_water < 0.99  # informative: a flipped side would fail


# ---------------------------------------------------------------------------- boundaries (one-token mutants)

def test_a_zero_end_level_has_no_compound_rate():
    """(0/10)^(1/5) - 1 = -100% is no growth rate of a level: the pace is NaN, as documented
    (kills ``e > 0`` -> ``e >= 0`` in the geometric pace)."""
    rate, _ = rules.pace(["level", "level", "count"], [10.0, 10.0, 36.0], [0.0, -1.0, 50.0], [5, 5, 5])
    assert np.isnan(rate[0]) and np.isnan(rate[1])
    assert rate[2] == pytest.approx((50 / 36) ** 0.2 - 1, rel=1e-12)  # by hand


def test_no_year_left_means_no_remaining_pace():
    """At the target year nothing remains to be paced: NaN for a share too, not (55 - 54)/0 = inf
    (kills ``left > 0`` -> ``left >= 0``)."""
    rate, pp = rules.remaining_pace(["share", "level"], [54.0, 900.0], [55.0, 1000.0], [0, 0])
    assert np.isnan(pp[0]) and np.isnan(rate[1])
    _, pp = rules.remaining_pace(["share"], [54.0], [55.0], [1])
    assert pp[0] == pytest.approx(1.0, abs=1e-12)  # (55 - 54) / 1 by hand


def test_a_ceiling_equal_to_the_baseline_is_a_ceiling():
    """"At most 5" from 5 is a cap at the baseline (stay under it), not a target to fall toward:
    no completion share (kills ``b <= t`` -> ``b < t``); from 6 it is a reduction target."""
    out = rules.is_ceiling(["level", "level", "level"], ["at_most"] * 3, [5.0, 6.0, 4.0], [5.0, 5.0, 5.0])
    assert out.tolist() == [True, False, True]


def test_met_within_the_tolerance_at_its_edge():
    """Within ``tol`` of the target counts as met, the edge included (kills ``>= -tol`` -> ``> -tol``):
    4.5 against "at least 5" with a tolerance of 0.5 is met, 4.4 is not."""
    assert rules.meets([4.5, 4.4], [5.0, 5.0], ["at_least"] * 2, ["increase"] * 2, tol=0.5).tolist() == [True, False]
    assert rules.meets([5.5, 5.6], [5.0, 5.0], ["at_most"] * 2, ["decrease"] * 2, tol=0.5).tolist() == [True, False]


def test_no_compound_rate_from_a_zero_start_or_in_zero_years():
    """A level from 0, or over 0 years, has no compound rate (kills ``s > 0`` / ``n > 0`` -> ``>= 0``);
    a five-year total likewise needs a positive start flow, total and length."""
    rate, _ = rules.pace(["level", "level"], [0.0, 10.0], [10.0, 12.0], [5, 0])
    assert np.isnan(rate).all()
    with np.errstate(all="ignore"):
        rate, _ = rules.pace(["cumulative"] * 3, [0.0, 10.0, 10.0], [50.0, 0.0, 50.0], [5, 5, 0])
    assert np.isnan(rate).all()


def test_projection_by_kind_by_hand():
    """Shares move by pp: 50 + 1.0 × 5 = 55; levels compound: 100 × 1.1² = 121; a rate of -100% or
    less projects nothing (kills ``rate > -1`` -> ``>= -1`` and the sign and operator of the pp line)."""
    out = rules.projected(["share", "level", "level"], [50.0, 100.0, 100.0], [np.nan, 0.1, -1.0],
                          [1.0, np.nan, np.nan], [5, 2, 2])
    assert out[0] == pytest.approx(55.0, abs=1e-12) and out[1] == pytest.approx(121.0, rel=1e-12)
    assert np.isnan(out[2])
    assert rules.projected(["share"], [50.0], [np.nan], [2.0], [3])[0] == pytest.approx(56.0, abs=1e-12)


def test_plan_roles_are_generic_so_a_15th_plan_file_may_name_them_either_way(tmp_path):
    """A 15th plan's review table of the 14th plan is ``previous`` whatever it is called: the same rows
    written with ``table_13th``/``table_14th`` (the embedded plan's names) or with the generic roles
    give the same track record and the same targets."""
    from xiangxi_econ.schema import row_roles

    plan = xe.load_plan()
    generic = plan.indicators.assign(origin=row_roles(plan.indicators["origin"]))
    assert set(generic["origin"]) <= {"previous", "outline_table", "chapter_table"}
    other = xe.build_plan(generic.drop(columns=[c for c in ("base_unit", "scale") if c in generic.columns]),
                          plan.history[plan.history["indicator_id"] == ""].drop(
                              columns=["indicator_id", "base_unit", "value_base_units"]))
    assert other.periods == plan.periods
    a, b = xe.track_record(plan).table, xe.track_record(other).table
    assert len(a) == len(b) == 34 and a["met"].tolist() == b["met"].tolist()
    assert xe.targets_table(other)["indicator_id"].tolist() == xe.targets_table(plan)["indicator_id"].tolist()
