"""Tests of xiangxi_econ.maths.growth.

Where the numbers come from (STYLE.md): hand computations from the plan with the clause
cited, pyam's own published test values, round trips, and a slow plain-Python oracle
(``_slow_*`` below). Tolerances are stated at each call; anything looser than 1e-9 is
explained where it is used. Randomness is seeded; hypothesis is derandomised and keeps
no example database.
"""

from __future__ import annotations

import math
import pathlib
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangxi_econ.maths.growth import (
    CumulativeRateResult,
    PercentLikeRateWarning,
    SolverConvergenceWarning,
    cagr,
    cumulative_total,
    growth_rates,
    pace_pp,
    project,
    project_path,
    project_pp,
    required_rate,
    required_rate_cumulative,
)

HYP = settings(derandomize=True, database=None, deadline=None, max_examples=150)
SEED = 20210414  # the plan's print date


# --------------------------------------------------------------------------------------
# Slow reference implementations: plain Python loops and the math module only.
# --------------------------------------------------------------------------------------

def _slow_cagr(start: float, end: float, years: float) -> float:
    if math.isnan(start) or math.isnan(end):
        return math.nan
    return math.pow(end / start, 1.0 / years) - 1.0


def _slow_growth_rates(rows: list[list[float]], years: list[float]) -> list[list[float]]:
    out = []
    for row in rows:
        rates = []
        for k in range(len(years) - 1):
            rates.append(math.pow(row[k + 1] / row[k], 1.0 / (years[k + 1] - years[k])) - 1.0)
        out.append(rates)
    return out


def _slow_cumulative_total(base_flow: float, rate: float, years: int) -> float:
    total = 0.0
    for t in range(1, years + 1):
        total += base_flow * (1.0 + rate) ** t
    return total


def _slow_required_rate_cumulative(base_flow: float, total: float, years: int) -> float:
    """Plain bisection on the sum of flows, 200 halvings of [-0.999, 20]."""
    lo, hi = -0.999, 20.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _slow_cumulative_total(base_flow, mid, years) < total:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    """Seeded 50 x 12 wide panel (rows = series, columns = uneven years)."""
    rng = np.random.default_rng(SEED)
    years = [2000, 2001, 2003, 2005, 2008, 2010, 2011, 2012, 2015, 2016, 2018, 2020]
    steps = rng.normal(0.06, 0.08, size=(50, len(years) - 1))
    levels = np.exp(np.log(rng.uniform(1, 5000, size=(50, 1))) + np.cumsum(
        np.hstack([np.zeros((50, 1)), steps * np.diff(years)]), axis=1))
    return pd.DataFrame(levels, index=[f"s{i:02d}" for i in range(50)], columns=years)


# --------------------------------------------------------------------------------------
# Reference values from the plan (清单: 专栏1 = 13th-plan review, 专栏2 = 14th-plan table).
# --------------------------------------------------------------------------------------

def test_gdp_14th_plan_required_nominal_rate():
    # 专栏2 序号1 地区生产总值: 725.11 (2020) -> 1000 亿元 (2025), current prices.
    # By hand: 1000 / 725.11 = 1.379101; ln 1.379101 = 0.321432; / 5 = 0.0642864;
    # exp(0.0642864) = 1.066398  ->  6.640% a year (nominal; prints as 6.64%).
    # Tolerance 1e-4: the check is against the rounded printed figure 6.64%.
    assert required_rate(725.11, 1000.0, 5) == pytest.approx(0.0664, abs=1e-4)
    # and to the hand computation's 6 digits of the growth factor
    assert 1 + required_rate(725.11, 1000.0, 5) == pytest.approx(1.066398, abs=1e-6)


def test_gdp_13th_plan_realised_nominal_vs_reported_real():
    # 专栏1 序号1: 517 (2015) -> 725.11 亿元 (2020) current prices; reported 年均增速 6% (real).
    # By hand: 725.11 / 517 = 1.402534; ln = 0.338280; / 5 = 0.0676561;
    # exp(0.0676561) = 1.069997  ->  7.0% a year nominal, one point above the real 6%.
    # Tolerance 1e-4 against the rounded 7.0%.
    g = cagr(517.0, 725.11, 5)
    assert g == pytest.approx(0.070, abs=1e-4)
    assert g - 0.06 == pytest.approx(0.01, abs=1e-4)


def test_gdp_13th_plan_target_needed_about_9_1_percent():
    # 专栏1 序号1: 2020 target 800 亿元 from 517 (2015), printed 年均增速 10% (a real rate).
    # By hand: 800 / 517 = 1.547389; ln = 0.436569; / 5 = 0.0873138; exp = 1.091239
    # -> 9.12% a year nominal. Tolerance 1e-3 against the brief's "about 9.1%".
    assert required_rate(517.0, 800.0, 5) == pytest.approx(0.091, abs=1e-3)
    assert 1 + required_rate(517.0, 800.0, 5) == pytest.approx(1.091239, abs=1e-6)


def test_urbanisation_paces_in_percentage_points():
    # 专栏2 序号8 常住人口城镇化率: 50% (2020) -> 55% (2025), 累计提高5个百分点:
    # (55 - 50) / 5 = 1.0 pp a year.
    assert pace_pp(50.0, 55.0, 5) == pytest.approx(1.0, abs=1e-12)
    # 专栏1 序号8: 41.1 (2015) -> 50 (2020 actual): (50 - 41.1) / 5 = 8.9 / 5 = 1.78 pp a year.
    assert pace_pp(41.1, 50.0, 5) == pytest.approx(1.78, abs=1e-12)
    # the 2020 pace carried forward reaches the 55% target: 50 + 1.78 * 5 = 58.9
    assert project_pp(50.0, 1.78, 5) == pytest.approx(58.9, abs=1e-12)


def test_tourism_revenue_required_rate():
    # 第一章 第一节: tourism 总收入超过461亿元 (2020); 第二章 第三节: 收入突破1000亿元 (2025).
    # By hand: 1000 / 461 = 2.169197; ln = 0.774357; / 5 = 0.1548714; exp = 1.167508
    # -> 16.75%, "about 16.8%". Tolerance 1e-3 against the rounded 16.8%.
    assert required_rate(461.0, 1000.0, 5) == pytest.approx(0.168, abs=1e-3)
    assert 1 + required_rate(461.0, 1000.0, 5) == pytest.approx(1.167508, abs=1e-6)


def test_pyam_published_growth_rate_values():
    # pyam tests/test_feature_growth_rate.py: Primary Energy 1 (2005) -> 6 (2010) gives
    # 0.430969 and 2 -> 7 gives 0.284735 (printed to 6 decimals, so tolerance 5e-7).
    frame = pd.DataFrame([[1.0, 6.0], [2.0, 7.0]], index=["scen_a", "scen_b"], columns=[2005, 2010])
    out = growth_rates(frame)
    assert list(out.columns) == [2005]
    np.testing.assert_allclose(out[2005].to_numpy(), [0.430969, 0.284735], atol=5e-7)


@pytest.mark.parametrize("x2010", (1.0, 27.0, -3.0))
@pytest.mark.parametrize("rates", ([0.05, 1.25], [0.5, -0.5]))
def test_pyam_timeseries_round_trip_uneven_gaps(x2010, rates):
    # pyam test_growth_rate_timeseries: build a path from two rates over 3- and 4-year
    # gaps and recover them; all-negative series are allowed as in pyam (allow_negative).
    x2013 = x2010 * math.pow(1 + rates[0], 3)
    x2017 = x2013 * math.pow(1 + rates[1], 4)
    series = pd.Series([x2010, x2013, x2017], index=[2010, 2013, 2017])
    out = growth_rates(series, allow_negative=x2010 < 0)
    pd.testing.assert_series_equal(out, pd.Series(rates, index=[2010, 2013]), rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------------------
# Slow oracle against the vectorised code (tolerance 1e-12 absolute on rates).
# --------------------------------------------------------------------------------------

def test_growth_rates_match_slow_oracle(panel):
    years = [float(y) for y in panel.columns]
    expected = _slow_growth_rates(panel.to_numpy().tolist(), years)
    out = growth_rates(panel)
    assert out.shape == (50, 11)
    np.testing.assert_allclose(out.to_numpy(), np.array(expected), rtol=0, atol=1e-12)


def test_cagr_and_required_rate_match_slow_oracle(panel):
    start, end = panel[2000], panel[2020]
    expected = [_slow_cagr(s, e, 20.0) for s, e in zip(start, end, strict=True)]
    np.testing.assert_allclose(cagr(start, end, 20).to_numpy(), expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(required_rate(start, end, 20).to_numpy(), expected, rtol=0, atol=1e-12)
    # whole panel against its first column, years as a row vector (broadcast by position)
    gaps = np.asarray(panel.columns[1:], dtype=float) - 2000.0
    wide = cagr(panel[2000].to_numpy()[:, None], panel.iloc[:, 1:].to_numpy(), gaps)
    slow = [[_slow_cagr(r[0], r[k + 1], gaps[k]) for k in range(11)] for r in panel.to_numpy().tolist()]
    np.testing.assert_allclose(wide, slow, rtol=0, atol=1e-12)


def test_cumulative_functions_match_slow_oracle():
    rng = np.random.default_rng(SEED)
    base = rng.uniform(10, 1000, size=200)
    rate = rng.uniform(-0.3, 0.4, size=200)
    years = rng.integers(1, 11, size=200).astype(float)
    slow_total = [_slow_cumulative_total(b, g, int(n)) for b, g, n in zip(base, rate, years, strict=True)]
    # sums of up to 10 positive terms: relative tolerance 1e-12
    np.testing.assert_allclose(cumulative_total(base, rate, years), slow_total, rtol=1e-12, atol=0)
    res = required_rate_cumulative(base, np.array(slow_total), years)
    slow_rate = [_slow_required_rate_cumulative(b, t, int(n)) for b, t, n in zip(base, slow_total, years, strict=True)]
    assert res.converged.all()
    np.testing.assert_allclose(res.rate, slow_rate, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.rate, rate, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------------------
# Round trips and properties.
# --------------------------------------------------------------------------------------

positive = st.floats(min_value=1e-2, max_value=1e6, allow_nan=False, allow_infinity=False)
ratio = st.floats(min_value=0.05, max_value=20.0)
horizon = st.floats(min_value=5.0, max_value=30.0)  # keeps |rate| < 1: no percent warning


@HYP
@given(base=positive, r=ratio, years=horizon)
def test_project_inverts_required_rate(base, r, years):
    target = base * r
    rate = required_rate(base, target, years)
    assert project(base, rate, years) == pytest.approx(target, rel=1e-12)


@HYP
@given(base=positive, rate=st.floats(min_value=-0.5, max_value=0.9), years=horizon)
def test_required_rate_inverts_project(base, rate, years):
    assert required_rate(base, project(base, rate, years), years) == pytest.approx(rate, abs=1e-12)


@HYP
@given(start=positive, end=positive, years=horizon)
def test_cagr_sign_follows_direction(start, end, years):
    g = cagr(start, end, years)
    # end/start may round to exactly 1.0 when the two are within an ulp: then g == 0
    assert np.sign(g) in (np.sign(end - start), 0.0)
    assert -1.0 < g


@HYP
@given(base=st.floats(min_value=0.0, max_value=100.0), pace=st.floats(min_value=-5, max_value=5),
       years=st.integers(min_value=1, max_value=30))
def test_pace_pp_inverts_project_pp(base, pace, years):
    assert pace_pp(base, project_pp(base, pace, years), years) == pytest.approx(pace, abs=1e-9)


@HYP
@given(base_flow=st.floats(min_value=1e-2, max_value=1e4), rate=st.floats(min_value=-0.5, max_value=0.6),
       years=st.integers(min_value=1, max_value=20))
def test_cumulative_solver_recovers_rate(base_flow, rate, years):
    total = _slow_cumulative_total(base_flow, rate, years)
    res = required_rate_cumulative(base_flow, total, years)
    assert res.converged and isinstance(res.iterations, int)
    # the total is built with rounding ~1e-16 relative; dC/dg >= C/(1+g) so 1e-10 is ample
    assert res.rate == pytest.approx(rate, abs=1e-10)
    ref = required_rate_cumulative(base_flow, total, years, method="brentq")
    assert ref.converged and ref.rate == pytest.approx(res.rate, abs=1e-10)


@HYP
@given(rate=st.floats(min_value=-0.9, max_value=0.9), years=st.integers(min_value=1, max_value=40))
def test_cumulative_total_matches_loop(rate, years):
    expected = _slow_cumulative_total(3.5, rate, years)
    assert cumulative_total(3.5, rate, years) == pytest.approx(expected, rel=1e-12)


def test_cumulative_solver_known_values():
    # 100 growing 10%: 110 + 121 = 231 over two years; one year: total/base - 1 exactly
    assert required_rate_cumulative(100.0, 231.0, 2).rate == pytest.approx(0.1, abs=1e-14)
    assert required_rate_cumulative(100.0, 150.0, 1).rate == pytest.approx(0.5, abs=1e-15)
    assert required_rate_cumulative(100.0, 500.0, 5).rate == 0.0
    # five-year total at 8%: 100 * 1.08 * (1.08**5 - 1) / 0.08 = 633.5929...
    total = 100 * 1.08 * (1.08 ** 5 - 1) / 0.08
    assert cumulative_total(100.0, 0.08, 5) == pytest.approx(total, rel=1e-14)
    res = required_rate_cumulative(100.0, total, 5)
    assert res.rate == pytest.approx(0.08, abs=1e-13) and res.iterations <= 8


def test_cumulative_total_rate_zero_limit():
    assert cumulative_total(7.0, 0.0, 5) == 35.0
    assert cumulative_total(7.0, 1e-12, 5) == pytest.approx(35.0, rel=1e-10)
    assert cumulative_total(7.0, -1.0, 5) == 0.0


def test_cumulative_solver_newton_matches_brentq_on_array():
    rng = np.random.default_rng(SEED)
    base = rng.uniform(1, 100, size=300)
    total = base * rng.uniform(0.5, 40, size=300)
    years = rng.integers(1, 15, size=300)
    new = required_rate_cumulative(base, total, years)
    ref = required_rate_cumulative(base, total, years, method="brentq")
    assert new.method == "newton" and ref.method == "brentq"
    assert new.converged.all() and ref.converged.all()
    np.testing.assert_allclose(new.rate, ref.rate, rtol=0, atol=1e-11)  # brentq xtol 1e-12, both sides
    assert new.iterations.max() <= 12


def test_cumulative_solver_nan_not_silent():
    res = required_rate_cumulative(np.array([100.0, np.nan, 100.0]), np.array([231.0, 5.0, np.nan]), 2)
    assert res.rate[0] == pytest.approx(0.1, abs=1e-14)
    assert np.isnan(res.rate[1:]).all()
    assert res.converged.tolist() == [True, False, False]
    assert res.iterations.tolist()[1:] == [0, 0]
    assert res.all_converged  # NaN inputs are not failures
    assert "2 with NaN or infinite input" in str(res)


def test_cumulative_solver_non_convergence_warns_and_keeps_iterate():
    with pytest.warns(SolverConvergenceWarning, match="did not converge"):
        res = required_rate_cumulative(100.0, 1000.0, 5, maxiter=1)
    assert res.converged is False and res.iterations == 1
    assert math.isfinite(res.rate)  # the last iterate, never a silent NaN
    assert not res.all_converged


def test_cumulative_result_display_and_frame():
    s = pd.Series([100.0, 100.0], index=["a", "b"])
    res = required_rate_cumulative(s, pd.Series([231.0, 500.0], index=s.index), 2)
    assert isinstance(res, CumulativeRateResult)
    frame = res.to_frame()
    assert list(frame.columns) == ["rate", "converged", "iterations"]
    assert list(frame.index) == ["a", "b"]
    # one-line repr (the summary's first line), full text from str()
    assert repr(res) == "<CumulativeRateResult: " + str(res).split("\n")[0] + ">" and "2 converged" in str(res)
    assert "<table" in res._repr_html_()


# --------------------------------------------------------------------------------------
# growth_rates: layout, sorting, NaN.
# --------------------------------------------------------------------------------------

def test_growth_rates_unsorted_columns_are_sorted():
    frame = pd.DataFrame([[121.0, 100.0, 110.0]], columns=[2017, 2015, 2016])
    out = growth_rates(frame)
    assert list(out.columns) == [2015, 2016]
    np.testing.assert_allclose(out.to_numpy(), [[0.1, 0.1]], atol=1e-15)


def test_growth_rates_ndarray_with_years_and_string_columns():
    arr = np.array([[100.0, 121.0], [100.0, 81.0]])
    np.testing.assert_allclose(growth_rates(arr, years=[2018, 2020]), [[0.1], [-0.1]], atol=1e-15)
    frame = pd.DataFrame(arr, columns=["2018", "2020"])
    out = growth_rates(frame)
    assert list(out.columns) == ["2018"]


def test_growth_rates_nan_propagates_to_neighbours_only():
    frame = pd.DataFrame([[100.0, np.nan, 121.0, 133.1]], columns=[2015, 2016, 2017, 2018])
    out = growth_rates(frame).to_numpy()[0]
    assert np.isnan(out[:2]).all()
    assert out[2] == pytest.approx(0.1, abs=1e-15)


# --------------------------------------------------------------------------------------
# Bad input: every message names the argument.
# --------------------------------------------------------------------------------------

def test_zero_start_names_argument_and_position():
    msg = r"^start must be positive for a geometric growth rate; got 0 at position 3$"
    with pytest.raises(ValueError, match=msg):
        cagr(np.array([1.0, 2.0, 3.0, 0.0]), 2.0, 5)


def test_negative_end_and_required_rate_names():
    with pytest.raises(ValueError, match="end must be positive.*got -1"):
        cagr(1.0, -1.0, 5)
    with pytest.raises(ValueError, match="base must be positive"):
        required_rate(0.0, 1.0, 5)
    msg = r"target must be positive.*got -2 at position 1 \(index label 'b'\)"
    with pytest.raises(ValueError, match=msg):
        required_rate(pd.Series([1.0, 1.0], index=["a", "b"]), pd.Series([1.0, -2.0], index=["a", "b"]), 5)


def test_zero_in_dataframe_names_row_and_column():
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 0.0]], index=["x", "y"], columns=[2015, 2016])
    msg = r"frame must be positive.*position \(1, 1\) \(row 'y', column 2016\)"
    with pytest.raises(ValueError, match=msg):
        growth_rates(frame)
    with pytest.raises(ValueError, match=r"start must be positive.*\(row 'y', column 2016\)"):
        cagr(frame, 1.0, 1)


def test_several_bad_values_are_counted():
    with pytest.raises(ValueError, match=r"got 0 at position 1 \(and 2 more\)"):
        cagr(np.array([1.0, 0.0, -1.0, 0.0]), 1.0, 1)


@pytest.mark.parametrize("years", [0, -1.0, np.array([5.0, 0.0])])
def test_nonpositive_years_named(years):
    with pytest.raises(ValueError, match="^years must be positive"):
        cagr(1.0, 2.0, years)
    with pytest.raises(ValueError, match="^years must be positive"):
        required_rate(1.0, 2.0, years)
    with pytest.raises(ValueError, match="^years must be positive"):
        pace_pp(1.0, 2.0, years)
    with pytest.raises(ValueError, match="^years must be positive"):
        required_rate_cumulative(1.0, 2.0, years)
    with pytest.raises(ValueError, match="^years must be positive"):
        cumulative_total(1.0, 0.1, years)


def test_projection_years_may_be_zero_not_negative():
    assert project(5.0, 0.1, 0) == 5.0
    assert project_pp(5.0, 1.0, 0) == 5.0
    with pytest.raises(ValueError, match="^years must be zero or positive"):
        project(5.0, 0.1, -1)
    with pytest.raises(ValueError, match="^years must be zero or positive"):
        project_pp(5.0, 0.1, -1)
    with pytest.raises(ValueError, match="^years must be zero or positive"):
        project_path(5.0, 0.1, -1)


def test_infinite_years_rejected():
    with pytest.raises(ValueError, match="^years must be finite"):
        cagr(1.0, 2.0, np.inf)


def test_cumulative_years_must_be_whole():
    with pytest.raises(ValueError, match="^years must be a whole number.*got 2.5"):
        required_rate_cumulative(100.0, 300.0, 2.5)
    with pytest.raises(ValueError, match="^years must be a whole number"):
        cumulative_total(100.0, 0.1, 2.5)
    with pytest.raises(ValueError, match="^years must be a whole number"):
        project_path(100.0, 0.1, 2.5)
    with pytest.raises(TypeError, match="^years must be a single whole number"):
        project_path(100.0, 0.1, [1, 2])


def test_percent_like_rate_warns_with_argument_name():
    with pytest.warns(PercentLikeRateWarning, match="rate looks like a percent: got 7.5") as record:
        project(100.0, 7.5, 5)
    assert record[0].filename == __file__  # points at the caller, not at the library
    with pytest.warns(PercentLikeRateWarning, match=r"rate looks like a percent: got 7.5 at position 1"):
        project(np.array([100.0, 100.0]), np.array([0.075, 7.5]), 5)
    with pytest.warns(PercentLikeRateWarning, match="rate looks like a percent"):
        cumulative_total(100.0, 7.0, 5)
    with pytest.warns(PercentLikeRateWarning, match="rate looks like a percent"):
        project_path(100.0, 7.0, 5)


def test_fraction_rate_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        project(100.0, 0.075, 5)
        project(100.0, -1.0, 5)
        project(100.0, 1.0, 5)


def test_rate_below_minus_one_names_argument():
    msg = r"^rate must be >= -1 \[fraction per year\].*got -7.5.*divide it by 100"
    with pytest.raises(ValueError, match=msg):
        project(100.0, -7.5, 5)


def test_mismatched_shapes_name_both_arguments():
    with pytest.raises(ValueError, match=r"^start has shape \(3,\) and end has shape \(4,\)"):
        cagr(np.ones(3), np.ones(4), 5)
    with pytest.raises(ValueError, match=r"^base has shape \(2, 3\) and years has shape \(2,\)"):
        project(np.ones((2, 3)), 0.1, np.ones(2))
    with pytest.raises(ValueError, match=r"^years has 3 values but frame has 2 year columns"):
        growth_rates(np.ones((4, 2)), years=[2015, 2016, 2017])


def test_mismatched_pandas_labels_name_both_arguments():
    a = pd.Series([1.0, 2.0], index=["x", "y"])
    b = pd.Series([1.0, 2.0], index=["y", "x"])
    msg = r"^start and end have different index labels.*end\.reindex\(start\.index\)"
    with pytest.raises(ValueError, match=msg):
        cagr(a, b, 5)
    frame = pd.DataFrame(np.ones((2, 2)), index=["x", "y"], columns=[2015, 2016])
    with pytest.raises(ValueError, match="index of years matches neither"):
        cagr(frame, frame, pd.Series([1.0, 2.0], index=["p", "q"]))
    other = pd.DataFrame(np.ones((2, 2)), index=["x", "y"], columns=[2015, 2017])
    with pytest.raises(ValueError, match="^start and end have different column labels"):
        cagr(frame, other, 1)


def test_nan_propagates_and_does_not_trigger_positivity():
    out = cagr(np.array([1.0, np.nan, 1.0]), np.array([2.0, 2.0, np.nan]), 1)
    assert out[0] == pytest.approx(1.0) and np.isnan(out[1:]).all()
    assert math.isnan(required_rate(math.nan, 10.0, 5))
    assert math.isnan(project(math.nan, 0.1, 5))
    assert math.isnan(project(1.0, math.nan, 5))
    assert math.isnan(pace_pp(1.0, math.nan, 5))
    assert math.isnan(cagr(1.0, 2.0, math.nan))
    assert math.isnan(cumulative_total(1.0, math.nan, 5))
    # NaN next to a real error: the error is about the real value
    with pytest.raises(ValueError, match="got 0 at position 1"):
        cagr(np.array([np.nan, 0.0]), 1.0, 1)


def test_cumulative_total_cannot_be_bracketed():
    with pytest.raises(ValueError, match=r"^total must be positive .*cannot be bracketed\); got 0"):
        required_rate_cumulative(100.0, 0.0, 5)
    with pytest.raises(ValueError, match=r"^total must be positive .*got -5 at position 1"):
        required_rate_cumulative(100.0, np.array([500.0, -5.0]), 5)
    with pytest.raises(ValueError, match="^base_flow must be positive"):
        required_rate_cumulative(-1.0, 100.0, 5)
    with pytest.raises(ValueError, match="^method must be 'newton' or 'brentq'"):
        required_rate_cumulative(1.0, 100.0, 5, method="secant")


def test_growth_rates_bad_panels():
    with pytest.raises(ValueError, match="at least two years"):
        growth_rates(pd.DataFrame([[1.0]], columns=[2015]))
    with pytest.raises(ValueError, match="^years must not repeat; 2015 appears twice"):
        growth_rates(pd.DataFrame([[1.0, 2.0]], columns=[2015, 2015]))
    with pytest.raises(ValueError, match=r"^frame\.columns must be years"):
        growth_rates(pd.DataFrame([[1.0, 2.0]], columns=["a", "b"]))
    with pytest.raises(ValueError, match="^years is required when frame is an ndarray"):
        growth_rates(np.ones((2, 3)))
    with pytest.raises(ValueError, match="allow_negative=True"):
        growth_rates(pd.DataFrame([[-1.0, -2.0]], columns=[2015, 2016]))
    with pytest.raises(ValueError, match=r"frame row 0 \('r'\) crosses zero"):
        growth_rates(pd.DataFrame([[-1.0, 2.0]], index=["r"], columns=[2015, 2016]), allow_negative=True)
    with pytest.raises(ValueError, match="frame must be non-zero"):
        growth_rates(pd.DataFrame([[0.0, 2.0]], columns=[2015, 2016]), allow_negative=True)


def test_non_numeric_input_named():
    with pytest.raises(TypeError, match="^start must be a number or an array of numbers"):
        cagr("a lot", 2.0, 5)
    with pytest.raises(TypeError, match="^end must hold numbers"):
        cagr(1.0, pd.Series(["x"]), 5)


def test_project_path_rejects_dataframe():
    with pytest.raises(TypeError, match="not a DataFrame; stack it"):
        project_path(pd.DataFrame([[1.0]]), 0.1, 2)


# --------------------------------------------------------------------------------------
# Shapes: scalar -> float, ndarray -> same shape, pandas keeps its labels.
# --------------------------------------------------------------------------------------

FUNCS = {
    "cagr": lambda x: cagr(x, x * 1.5, 5),
    "required_rate": lambda x: required_rate(x, x * 1.5, 5),
    "project": lambda x: project(x, 0.05, 5),
    "pace_pp": lambda x: pace_pp(x, x + 5, 5),
    "project_pp": lambda x: project_pp(x, 1.0, 5),
    "cumulative_total": lambda x: cumulative_total(x, 0.05, 5),
    "required_rate_cumulative": lambda x: required_rate_cumulative(x, x * 6, 5).rate,
}


@pytest.mark.parametrize("name", FUNCS)
def test_scalar_in_float_out(name):
    out = FUNCS[name](2.0)
    assert type(out) is float
    assert type(FUNCS[name](np.float64(2.0))) is float
    assert type(FUNCS[name](np.array(2.0))) is float


@pytest.mark.parametrize("name", FUNCS)
def test_ndarray_in_same_shape_out(name):
    x = np.arange(1.0, 7.0).reshape(2, 3)
    out = FUNCS[name](x)
    assert isinstance(out, np.ndarray) and out.shape == (2, 3)


@pytest.mark.parametrize("name", FUNCS)
def test_series_keeps_index(name):
    x = pd.Series([1.0, 2.0, 3.0], index=pd.Index(["gdp", "tourism", "retail"], name="series_id"))
    out = FUNCS[name](x)
    assert isinstance(out, pd.Series)
    assert out.index.equals(x.index) and out.index.name == "series_id"


@pytest.mark.parametrize("name", FUNCS)
def test_dataframe_keeps_index_and_columns(name):
    x = pd.DataFrame(np.arange(1.0, 7.0).reshape(3, 2), index=["a", "b", "c"], columns=[2020, 2025])
    out = FUNCS[name](x)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(x.index) and out.columns.equals(x.columns)


def test_series_against_dataframe_rows_and_columns():
    frame = pd.DataFrame([[100.0, 200.0], [300.0, 400.0]], index=["a", "b"], columns=[2020, 2021])
    per_row = pd.Series([0.1, 0.2], index=["a", "b"])        # one rate per series (row)
    per_col = pd.Series([1.0, 2.0], index=[2020, 2021])      # one horizon per column
    np.testing.assert_allclose(project(frame, per_row, 1).to_numpy(), [[110, 220], [360, 480]])
    np.testing.assert_allclose(project(frame, 0.1, per_col).to_numpy(), [[110, 242], [330, 484]])


def test_required_rate_cumulative_fields_keep_shape():
    frame = pd.DataFrame([[100.0, 100.0]], index=["a"], columns=["x", "y"])
    res = required_rate_cumulative(frame, frame * 2.31, 2)
    for field in (res.rate, res.converged, res.iterations):
        assert isinstance(field, pd.DataFrame) and field.columns.equals(frame.columns)
    assert res.converged.dtypes.eq(bool).all()
    assert res.to_frame().shape == (2, 3)


def test_project_path_layouts():
    np.testing.assert_allclose(project_path(100.0, 0.1, 2), [100.0, 110.0, 121.0], rtol=1e-15)
    labelled = project_path(100.0, 0.1, 2, start_year=2020)
    assert isinstance(labelled, pd.Series) and list(labelled.index) == [2020, 2021, 2022]
    arr = project_path(np.ones((2, 3)), np.full((2, 3), 0.1), 4)
    assert arr.shape == (2, 3, 5)
    s = pd.Series([1.0, 2.0], index=["a", "b"])
    frame = project_path(s, pd.Series([0.0, 0.1], index=["a", "b"]), 3, start_year=2020)
    assert list(frame.columns) == [2020, 2021, 2022, 2023] and frame.columns.name == "year"
    assert frame.index.equals(s.index)
    np.testing.assert_allclose(frame.loc["b"].to_numpy(), [2.0, 2.2, 2.42, 2.662], rtol=1e-14)
    offsets = project_path(s, 0.1, 1)
    assert list(offsets.columns) == [0, 1] and offsets.columns.name == "years_ahead"
    # the path's last column equals project(); rows round-trip through growth_rates
    last = project(s, np.array([0.0, 0.1]), 3).to_numpy()
    np.testing.assert_allclose(frame[2023].to_numpy(), last, rtol=1e-15)
    np.testing.assert_allclose(growth_rates(frame).to_numpy(), [[0.0] * 3, [0.1] * 3], atol=1e-14)


# --------------------------------------------------------------------------------------
# Package hygiene.
# --------------------------------------------------------------------------------------

def test_import_is_light():
    code = (
        "import sys, xiangxi_econ.maths.growth, xiangxi_econ.maths.prices; "
        "heavy = [m for m in ('scipy.optimize', 'matplotlib', 'statsmodels') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    root = pathlib.Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == ""
