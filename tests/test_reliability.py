"""Issue 23's reliability cases, one by one: bad input gets a clear error naming the argument, file,
row or column (an error class of :mod:`xiangxi_econ.exceptions`, or ValueError/TypeError with the
argument's name), never a raw traceback from inside pandas, a hang or a wrong number.

Each case is the one the issue measured; the expected words are the argument or file the user typed.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.exceptions import PlanFileError, ReportError, UnknownIndicatorError, UserValueError

IND_HEADER = "indicator_id,name_zh,name_en,kind,unit,base_year,base_value,target_year,target_value,bound,source\n"


@pytest.fixture(scope="module")
def plan():
    return xe.load_plan()


def _plan_file(tmp_path, row: str):
    path = tmp_path / "indicators.csv"
    path.write_text(IND_HEADER + row + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- accepted nonsense, now refused

def test_out_empty_is_refused_not_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ReportError, match="out_dir"):
        xe.build_report("")
    assert list(tmp_path.iterdir()) == []


def test_a_growth_target_below_minus_100_percent_is_refused(tmp_path):
    path = _plan_file(tmp_path, "g,增速,Growth,growth,%,2020,6,2025,-150,at_least,table")
    with pytest.raises(PlanFileError, match=r"row 2.*target_value|target_value.*row 2"):
        xe.read_plan(path)


def test_a_share_in_money_units_is_refused(tmp_path):
    path = _plan_file(tmp_path, "s,占比,A share,share,亿元,2020,30,2025,35,at_least,table")
    with pytest.raises(PlanFileError, match="unit"):
        xe.read_plan(path)


def test_a_share_given_as_a_fraction_is_refused(tmp_path):
    """Urbanisation 0.45 -> 0.50 with no other figure: a fraction where the unit says %."""
    path = _plan_file(tmp_path, "urbanisation_rate,城镇化率,Urbanisation,share,%,2020,0.45,2025,0.50,at_least,table")
    with pytest.raises(PlanFileError, match="0.45|fraction|percent"):
        xe.read_plan(path)


@pytest.mark.parametrize("value", ["1e308", "1e-308"])
def test_extreme_values_give_a_message_not_an_overflow(tmp_path, value):
    path = _plan_file(tmp_path, f"gdp,地区生产总值,GDP,level,亿元,2020,{value},2025,1000,at_least,table")
    with pytest.raises(PlanFileError):
        xe.read_plan(path)


def test_unknown_scenario_indicator_is_refused(plan):
    with pytest.raises((ValueError, KeyError), match="nope"):
        xe.scenarios(plan, xe.Scenario("slow", adjust=-0.01, adjust_indicators=("nope",)))


@pytest.mark.parametrize("kwargs, word", [({"as_of_year": 2100}, "as_of_year"), ({"end_year": 10**6}, "end_year")])
def test_scenarios_beyond_the_record_or_the_horizon_are_refused(plan, kwargs, word):
    with pytest.raises(ValueError, match=word):
        xe.scenarios(plan, "trend", **kwargs)


def test_forecast_thousand_years_ahead_is_refused():
    series = pd.Series([100.0, 110.0, 121.0], index=[2018, 2019, 2020], name="gdp")
    with pytest.raises(ValueError, match="to_year"):
        xe.forecast(series, 3000)


# ---------------------------------------------------------------------------- raw errors, now named

def test_evaluate_progress_with_a_bare_number_names_the_argument(plan):
    with pytest.raises(UserValueError, match="gdp"):
        xe.evaluate_progress(plan, {"gdp": 900})


def test_evaluate_progress_nan_year_names_the_argument(plan):
    with pytest.raises(UserValueError, match="as_of_year"):
        xe.evaluate_progress(plan, as_of_year=math.nan)


def test_forecast_of_an_empty_series_names_it():
    with pytest.raises(ValueError, match="series"):
        xe.forecast(pd.Series([], dtype=float), 2030)


def test_backtest_of_an_unknown_series_names_it(plan):
    with pytest.raises(UnknownIndicatorError, match="nope"):
        xe.backtest(plan, series=("nope",))
