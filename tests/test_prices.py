"""Tests of xiangxi_econ.maths.prices: nominal/real conversion and the price-basis guard.

Reference values are hand computations from the plan's GDP rows (clause cited at each
test), tolerances are stated where used, randomness is seeded and hypothesis is
derandomised without an example database.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangxi_econ.maths.growth import PercentLikeRateWarning, project, required_rate
from xiangxi_econ.maths.prices import (
    PRICE_BASES,
    PriceBasisError,
    check_same_basis,
    convert_rate,
    deflate,
    implied_deflator_rate,
    inflate,
    nominal_rate,
    real_rate,
)

HYP = settings(derandomize=True, database=None, deadline=None, max_examples=150)
SEED = 20210414

rates = st.floats(min_value=-0.3, max_value=0.3, allow_nan=False)  # (1.3)**2 - 1 < 1: no percent warning


# --------------------------------------------------------------------------------------
# Reference values from the plan.
# --------------------------------------------------------------------------------------

def test_gdp_level_target_implies_falling_deflator():
    # 专栏2 序号1 地区生产总值: levels 725.11 -> 1000 亿元 are current prices; the printed
    # 年均增速 7% is at comparable prices (NBS convention, METHODS.md "Price basis").
    # By hand: nominal (1000/725.11)**(1/5) = 1.066398; 1.066398 / 1.07 = 0.996633
    # -> deflator growth -0.337% a year, "about -0.34%". Tolerance 1e-4 on the rounded -0.34%.
    nominal = required_rate(725.11, 1000.0, 5)
    implied = implied_deflator_rate(nominal, 0.07)
    assert implied < 0
    assert implied == pytest.approx(-0.0034, abs=1e-4)
    assert 1 + implied == pytest.approx(0.996633, abs=1e-6)
    # and the other way round: 7% real with that deflator is exactly the nominal rate
    assert nominal_rate(0.07, implied) == pytest.approx(nominal, abs=1e-15)


def test_gdp_13th_plan_nominal_7_vs_real_6():
    # 专栏1 序号1: 517 -> 725.11 亿元 (2015-2020, current prices) is 7.0% a year nominal;
    # the printed realised 年均增速 is 6% (comparable prices). By hand:
    # 1.069997 / 1.06 = 1.009431 -> implied deflator +0.94% a year. Tolerance 1e-4.
    nominal = required_rate(517.0, 725.11, 5)
    assert nominal == pytest.approx(0.070, abs=1e-4)
    assert implied_deflator_rate(nominal, 0.06) == pytest.approx(0.0094, abs=1e-4)
    assert real_rate(nominal, implied_deflator_rate(nominal, 0.06)) == pytest.approx(0.06, abs=1e-15)


def test_fisher_relation_by_hand():
    # (1 + 0.07)(1 + 0.02) - 1 = 1.0914 - 1 = 0.0914; 1.0914 / 1.02 - 1 = 0.07
    assert nominal_rate(0.07, 0.02) == pytest.approx(0.0914, abs=1e-15)
    assert real_rate(0.0914, 0.02) == pytest.approx(0.07, abs=1e-15)
    assert implied_deflator_rate(0.0914, 0.07) == pytest.approx(0.02, abs=1e-15)


def test_deflate_inflate_by_hand():
    # 1000 / 1.02**5 = 1000 / 1.1040808 = 905.7308
    assert deflate(1000.0, inflation=0.02, years=5) == pytest.approx(905.7308, abs=1e-4)
    assert inflate(905.7308, inflation=0.02, years=5) == pytest.approx(1000.0, abs=1e-3)
    # deflator index 104 (base 100): 110 / 1.04 = 105.769231
    assert deflate(110.0, deflator=104.0) == pytest.approx(105.769231, abs=1e-6)
    # a base other than 100: index 2.08 with base 2 is the same 4% price rise
    assert deflate(110.0, deflator=2.08, deflator_base=2.0) == pytest.approx(105.769231, abs=1e-6)
    assert deflate(5.0, inflation=0.3, years=0) == 5.0


def test_deflator_series_broadcasts_over_year_columns():
    levels = pd.DataFrame([[100.0, 110.0, 121.0], [10.0, 11.0, 12.1]], index=["gdp", "va"],
                          columns=[2020, 2021, 2022])
    deflator = pd.Series([100.0, 110.0, 121.0], index=[2020, 2021, 2022])
    real = deflate(levels, deflator=deflator)
    assert isinstance(real, pd.DataFrame) and real.index.equals(levels.index)
    assert real.columns.equals(levels.columns)
    np.testing.assert_allclose(real.to_numpy(), [[100.0] * 3, [10.0] * 3], rtol=1e-15)
    np.testing.assert_allclose(inflate(real, deflator=deflator).to_numpy(), levels.to_numpy(), rtol=1e-15)


def test_projecting_nominal_level_with_real_rate_needs_conversion():
    # The workflow the guard protects: GDP level (current prices) and the 7% target (real).
    check_same_basis("current", "current")
    with pytest.raises(PriceBasisError):
        check_same_basis("current", "comparable")
    rate = convert_rate(0.07, "comparable", "current", inflation=0.01)
    # 1.07 * 1.01 = 1.0807; 725.11 * 1.0807**5 = 725.11 * 1.474107 = 1068.88
    assert project(725.11, rate, 5) == pytest.approx(1068.88, abs=1e-2)
    nominal_path_end = inflate(project(725.11, 0.07, 5), inflation=0.01, years=5)
    assert nominal_path_end == pytest.approx(project(725.11, rate, 5), rel=1e-14)


# --------------------------------------------------------------------------------------
# Properties (round trips).
# --------------------------------------------------------------------------------------

@HYP
@given(r=rates, pi=rates)
def test_real_inverts_nominal(r, pi):
    assert real_rate(nominal_rate(r, pi), pi) == pytest.approx(r, abs=1e-12)
    assert implied_deflator_rate(nominal_rate(r, pi), r) == pytest.approx(pi, abs=1e-12)


@HYP
@given(level=st.floats(min_value=1e-3, max_value=1e9), pi=rates, years=st.integers(0, 30))
def test_inflate_inverts_deflate(level, pi, years):
    real = deflate(level, inflation=pi, years=years)
    assert inflate(real, inflation=pi, years=years) == pytest.approx(level, rel=1e-12)


@HYP
@given(r=rates, pi=rates)
def test_convert_rate_round_trip(r, pi):
    nominal = convert_rate(r, "comparable", "current", inflation=pi)
    assert nominal == nominal_rate(r, pi)
    assert convert_rate(nominal, "current", "comparable", inflation=pi) == pytest.approx(r, abs=1e-12)


def test_vectorised_conversions_match_loop():
    rng = np.random.default_rng(SEED)
    r = rng.uniform(-0.2, 0.3, size=(50, 12))
    pi = rng.uniform(-0.05, 0.1, size=12)  # one inflation rate per year column
    expected = [[(1 + r[i, j]) * (1 + pi[j]) - 1 for j in range(12)] for i in range(50)]
    np.testing.assert_allclose(nominal_rate(r, pi), expected, rtol=0, atol=1e-15)
    back = [[(1 + expected[i][j]) / (1 + pi[j]) - 1 for j in range(12)] for i in range(50)]
    np.testing.assert_allclose(real_rate(np.array(expected), pi), back, rtol=0, atol=1e-15)


# --------------------------------------------------------------------------------------
# The price-basis guard.
# --------------------------------------------------------------------------------------

def test_price_basis_error_is_value_error_and_names_both_bases():
    with pytest.raises(ValueError) as info:
        check_same_basis("current", "comparable")
    assert isinstance(info.value, PriceBasisError)
    msg = str(info.value)
    assert "level_basis is 'current'" in msg and "rate_basis is 'comparable'" in msg
    assert "inflation" in msg and "deflator" in msg


@pytest.mark.parametrize("level_basis, rate_basis", [("current", "comparable"), ("comparable", "current")])
def test_assumption_links_nominal_and_real(level_basis, rate_basis):
    assert check_same_basis(level_basis, rate_basis, inflation=0.01) is None
    assert check_same_basis(level_basis, rate_basis, deflator=pd.Series([100.0, 101.0])) is None


@pytest.mark.parametrize("other", ["current", "comparable"])
def test_na_never_mixes_with_a_price_basis(other):
    with pytest.raises(PriceBasisError, match="applies only to money amounts"):
        check_same_basis("na", other, inflation=0.01)
    with pytest.raises(PriceBasisError, match="from_basis is 'na'"):
        convert_rate(0.05, "na", other, inflation=0.01)


def test_same_basis_passes():
    for basis in PRICE_BASES:
        assert check_same_basis(basis, basis) is None
        assert convert_rate(0.05, basis, basis) == 0.05


def test_unknown_basis_named():
    msg = r"^level_basis must be one of 'current', 'comparable', 'na'; got 'real'"
    with pytest.raises(ValueError, match=msg):
        check_same_basis("real", "comparable")
    with pytest.raises(ValueError, match="^rate_basis must be one of"):
        check_same_basis("current", "nominal")
    with pytest.raises(ValueError, match="^to_basis must be one of"):
        convert_rate(0.05, "current", "constant")


def test_convert_rate_without_inflation_raises():
    with pytest.raises(PriceBasisError, match="from_basis is 'comparable'.*to_basis is 'current'"):
        convert_rate(0.07, "comparable", "current")


# --------------------------------------------------------------------------------------
# Bad input.
# --------------------------------------------------------------------------------------

def test_percent_like_rates_warn_naming_argument():
    with pytest.warns(PercentLikeRateWarning, match="^real_rate looks like a percent: got 7") as record:
        nominal_rate(7.0, 0.02)
    assert record[0].filename == __file__
    with pytest.warns(PercentLikeRateWarning, match="^inflation looks like a percent: got 2"):
        nominal_rate(0.07, 2.0)
    with pytest.warns(PercentLikeRateWarning, match="^nominal_rate looks like a percent"):
        real_rate(6.64, 0.02)
    with pytest.warns(PercentLikeRateWarning, match="^inflation looks like a percent") as record:
        deflate(100.0, inflation=2.0, years=1)
    assert record[0].filename == __file__


def test_rates_below_minus_one_and_zero_divisors():
    with pytest.raises(ValueError, match="^inflation must be >= -1"):
        nominal_rate(0.07, -2.0)
    with pytest.raises(ValueError, match=r"^inflation must be > -1 .*1 \+ inflation is a divisor"):
        real_rate(0.07, -1.0)
    with pytest.raises(ValueError, match=r"^real_rate must be > -1"):
        implied_deflator_rate(0.07, -1.0)


def test_deflate_argument_errors():
    with pytest.raises(ValueError, match="exactly one of deflator .* or inflation.*got neither"):
        deflate(100.0)
    with pytest.raises(ValueError, match="got both"):
        deflate(100.0, deflator=101.0, inflation=0.01, years=1)
    with pytest.raises(ValueError, match="^years is required with inflation"):
        inflate(100.0, inflation=0.01)
    with pytest.raises(ValueError, match="^years is only used with inflation"):
        deflate(100.0, deflator=101.0, years=1)
    msg = r"^deflator must be positive for a price index; got 0 at position 1"
    with pytest.raises(ValueError, match=msg):
        deflate(np.array([100.0, 100.0]), deflator=np.array([101.0, 0.0]))
    with pytest.raises(ValueError, match="^deflator_base must be positive"):
        deflate(100.0, deflator=101.0, deflator_base=0.0)
    with pytest.raises(ValueError, match="^years must be zero or positive"):
        deflate(100.0, inflation=0.01, years=-1)


def test_shape_and_label_mismatches_named():
    with pytest.raises(ValueError, match=r"^real_rate has shape \(3,\) and inflation has shape \(2,\)"):
        nominal_rate(np.zeros(3), np.zeros(2))
    a = pd.Series([0.07], index=["gdp"])
    with pytest.raises(ValueError, match="^nominal_rate and real_rate have different index labels"):
        implied_deflator_rate(a, pd.Series([0.07], index=["va"]))


def test_nan_propagates():
    assert math.isnan(nominal_rate(math.nan, 0.02))
    assert math.isnan(real_rate(0.07, math.nan))
    assert math.isnan(deflate(math.nan, inflation=0.02, years=1))
    out = deflate(np.array([100.0, 100.0]), deflator=np.array([np.nan, 110.0]))
    assert np.isnan(out[0]) and out[1] == pytest.approx(100 / 1.1, rel=1e-15)


# --------------------------------------------------------------------------------------
# Shapes.
# --------------------------------------------------------------------------------------

FUNCS = {
    "nominal_rate": lambda x: nominal_rate(x / 100, 0.02),
    "real_rate": lambda x: real_rate(x / 100, 0.02),
    "implied_deflator_rate": lambda x: implied_deflator_rate(x / 100, 0.05),
    "deflate": lambda x: deflate(x, inflation=0.02, years=3),
    "inflate": lambda x: inflate(x, deflator=x * 0 + 105.0),
    "convert_rate": lambda x: convert_rate(x / 100, "current", "comparable", inflation=0.02),
}


@pytest.mark.parametrize("name", FUNCS)
def test_shapes(name):
    func = FUNCS[name]
    assert type(func(2.0)) is float
    arr = func(np.arange(1.0, 7.0).reshape(2, 3))
    assert isinstance(arr, np.ndarray) and arr.shape == (2, 3)
    s = pd.Series([1.0, 2.0], index=["a", "b"])
    out = func(s)
    assert isinstance(out, pd.Series) and out.index.equals(s.index)
    df = pd.DataFrame(np.ones((2, 2)), index=["a", "b"], columns=[2020, 2025])
    out = func(df)
    assert isinstance(out, pd.DataFrame) and out.index.equals(df.index) and out.columns.equals(df.columns)


def test_no_warning_for_ordinary_rates():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nominal_rate(0.07, 0.02)
        deflate(725.11, inflation=-0.0034, years=5)
