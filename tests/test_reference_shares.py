"""The trending-share reference class: the loader's refusal, the URGD model's arithmetic, the build.

References used here: hand computations of the UN URGD formula (United Nations 1974, Manual VIII;
National Research Council 2003, appendix D) in plain ``math`` from the parameters stored in the JSON;
statsmodels OLS and ``numpy.polyfit`` for the build's regression.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xiangxi_econ.probability.reference_shares import (
    default_trending_share_class,
    trending_share_class,
    trending_share_forecast,
)

ROOT = Path(__file__).resolve().parents[1]
JSON_PATH = ROOT / "xiangxi_econ" / "data" / "reference_shares.json"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_reference_shares", ROOT / "data" / "build_reference_shares.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _stored() -> dict:
    return json.loads(JSON_PATH.read_text(encoding="utf-8"))


def _hand_centre_sd(u0: float, pace: float, h: float, p: dict) -> tuple[float, float]:
    """The URGD convergence formula written out step by step with the stored parameters."""
    a, b = p["norm_intercept_per_year"], p["norm_slope_per_year_per_pp"]
    t, s = p["convergence_years"], p["residual_sd_logit_per_year"]
    x0 = math.log(u0 / (100 - u0))
    r_own = pace * 100 / (u0 * (100 - u0))          # dx/du = 100 / (u (100 - u))
    r_norm = a + b * u0
    w = h - h * h / (2 * t) if h <= t else t / 2     # integral of max(0, 1 - t'/T) over [0, h]
    x = x0 + w * r_own + (h - w) * r_norm
    centre = 100 / (1 + math.exp(-x))
    return centre, s * h * centre * (100 - centre) / 100


# ----------------------------------------------------------------------------- loader
def test_loader_refuses_an_as_of_year_before_the_latest_outcome():
    """The class uses the 2020 census: a forecast made in 2015 or 2019 must not see it."""
    for year in (2015, 2019):
        with pytest.raises(ValueError,
                           match=rf"as_of_year={year}: .*outcomes up to 2020.*default_trending_share_class"):
            trending_share_class(year)
    cls = trending_share_class(2020)
    assert cls.latest_outcome_year == 2020 and cls.data_years == (2010, 2020)
    with pytest.raises(TypeError, match="as_of_year"):
        trending_share_class("2021")  # type: ignore[arg-type]


def test_class_matches_the_stored_json_and_describes_its_data():
    stored = _stored()
    cls = trending_share_class(2025)
    p = stored["parameters"]
    assert cls.norm_intercept == p["norm_intercept_per_year"]
    assert cls.norm_slope == p["norm_slope_per_year_per_pp"]
    assert cls.residual_sd == p["residual_sd_logit_per_year"]
    assert cls.n_regions == stored["n_prefectures"] > 250
    text = cls.describe()
    assert "314 Chinese prefecture-level units" in text and "2010 and 2020" in text and "leiii/census" in text
    assert str(cls) == text
    with pytest.raises(dataclasses.FrozenInstanceError):
        cls.residual_sd = 0.0  # type: ignore[misc]


# ----------------------------------------------------------------------------- the model
def test_a_steady_one_pp_share_at_fifty_keeps_most_of_its_trend():
    """50% rising 1 pp a year: after 5 years the model keeps well over half of the +5 pp (>= 53.5), and
    the value is the model's formula on the stored parameters (hand arithmetic, rel 1e-12), not a
    constant: with the norm set to zero the same call gives the hand value of the weaker URGD."""
    cls = trending_share_class(2021)
    centre, sd = trending_share_forecast(50.0, 1.0, 5, cls)
    want_c, want_sd = _hand_centre_sd(50.0, 1.0, 5.0, _stored()["parameters"])
    assert float(centre) == pytest.approx(want_c, rel=1e-12)
    assert float(sd) == pytest.approx(want_sd, rel=1e-12)
    assert float(centre) >= 53.5
    # the class norm matters: a zero norm (only the fading own URGD) gives x = (5 - 25/50) * 0.04 = 0.18
    flat = dataclasses.replace(cls, norm_intercept=0.0, norm_slope=0.0)
    flat_centre = float(trending_share_forecast(50.0, 1.0, 5, flat)[0])
    assert flat_centre == pytest.approx(100 / (1 + math.exp(-0.18)), rel=1e-12)


def test_centre_stays_inside_zero_to_hundred_near_ninety_five():
    """A pp-linear extrapolation of 95% at +1 pp a year gives 105 after 10 years; the logistic model
    stays below 100 and still rises."""
    cls = trending_share_class(2021)
    level = np.array([95.0, 97.0, 99.0])
    for pace in (0.2, 0.5, 0.9):
        for h in (5, 10, 30):
            centre, sd = trending_share_forecast(level, pace, h, cls)
            assert np.all(centre < 100.0) and np.all(centre > level)
            assert np.all(np.isfinite(sd)) and np.all(sd >= 0)
    assert 95.0 + 10 * 1.0 > 100.0


def test_hand_computed_centres_within_and_beyond_the_convergence_period():
    """Xiangxi-like origin (41.1% rising 1.78 pp a year): 10 years ahead (h <= T) and 30 years ahead
    (h > T, W = T/2), by hand from the stored parameters, rel 1e-12; broadcasting over horizons."""
    cls = trending_share_class(2021)
    p = _stored()["parameters"]
    centre, sd = trending_share_forecast(41.1, 1.78, np.array([0.0, 10.0, 30.0]), cls)
    assert centre[0] == pytest.approx(41.1, rel=1e-12) and sd[0] == 0.0
    for i, h in ((1, 10.0), (2, 30.0)):
        want_c, want_sd = _hand_centre_sd(41.1, 1.78, h, p)
        assert centre[i] == pytest.approx(want_c, rel=1e-12)
        assert sd[i] == pytest.approx(want_sd, rel=1e-12)


def test_default_is_the_un_constant_urgd_without_a_spread():
    """UN Manual VIII: logit linear in time with the own slope; 40% at +2 pp/yr: r = 200/2400, after
    10 years x = ln(40/60) + 10 r (hand), sd NaN (nothing estimated)."""
    cls = default_trending_share_class()
    centre, sd = trending_share_forecast(40.0, 2.0, 10, cls)
    x = math.log(40 / 60) + 10 * 200 / 2400
    assert float(centre) == pytest.approx(100 / (1 + math.exp(-x)), rel=1e-12)
    assert np.isnan(sd)
    assert "no spread" in cls.describe()


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"level_now": 0.0}, "level_now"),
    ({"level_now": 100.0}, "level_now"),
    ({"pace_now": float("nan")}, "pace_now"),
    ({"horizon": -1.0}, "horizon"),
    ({"level_now": 99.5, "pace_now": 0.6}, "pace_now"),   # would pass 100 within a year
    ({"level_now": 0.4, "pace_now": -0.5}, "pace_now"),
])
def test_bad_inputs_name_the_argument(kwargs, argument):
    args = {"level_now": 50.0, "pace_now": 1.0, "horizon": 5.0} | kwargs
    with pytest.raises(ValueError, match=argument):
        trending_share_forecast(args["level_now"], args["pace_now"], args["horizon"], trending_share_class(2021))


# ----------------------------------------------------------------------------- the build
def test_build_regression_matches_statsmodels_and_polyfit_on_a_tiny_table():
    """Six synthetic prefectures: the decade URGD regressed on the 2010 level. Slope, intercept, their
    standard errors and the residual sd against statsmodels OLS (rel 1e-10) and numpy.polyfit."""
    sm = pytest.importorskip("statsmodels.api")
    build = _build_module()
    u10 = np.array([20.0, 30.0, 42.0, 55.0, 63.0, 80.0])
    u20 = np.array([35.0, 44.0, 55.0, 66.0, 71.0, 85.0])
    fit = build.fit_urgd_norm(u10, u20, 10.0)
    r = (np.log(u20 / (100 - u20)) - np.log(u10 / (100 - u10))) / 10
    ols = sm.OLS(r, sm.add_constant(u10)).fit()
    assert fit["slope"] == pytest.approx(ols.params[1], rel=1e-10)
    assert fit["intercept"] == pytest.approx(ols.params[0], rel=1e-10)
    assert fit["slope_se"] == pytest.approx(ols.bse[1], rel=1e-10)
    assert fit["intercept_se"] == pytest.approx(ols.bse[0], rel=1e-10)
    assert fit["residual_sd"] == pytest.approx(math.sqrt(ols.scale), rel=1e-10)
    assert fit["r_squared"] == pytest.approx(ols.rsquared, rel=1e-10)
    assert fit["slope"] == pytest.approx(np.polyfit(u10, r, 1)[0], rel=1e-10)
    pace = build.fit_pace_pp(u10, u20, 10.0)
    assert pace["slope"] == pytest.approx(np.polyfit(u10, (u20 - u10) / 10, 1)[0], rel=1e-10)
    with pytest.raises(ValueError, match="u_end"):
        build.fit_urgd_norm(u10, np.r_[u20[:-1], 100.0], 10.0)


def test_build_screening_gives_each_exclusion_its_reason():
    build = _build_module()
    rows = [
        # city, code, province, p10, u10, r10, p20, u20, r20
        ("keep", 430100, "x", 100, 40, 60, 100, 55, 45),
        ("county", 469025, "x", 100, 40, 60, 100, 55, 45),
        ("missing", 430200, "x", 100, None, None, 100, 55, 45),
        ("parts", 430300, "x", 100, 40, 70, 100, 55, 45),
        ("bound", 440300, "x", 100, 100, 0, 100, 100, 0),
    ]
    table = pd.DataFrame(rows, columns=list(build.EXTRACT_COLUMNS))
    screened = build.screen(table).set_index("city")
    assert screened["exclude_reason"].to_dict() == {
        "keep": "", "county": "not_prefecture_level", "missing": "missing_count",
        "parts": "parts_do_not_sum", "bound": "share_at_bound"}
    assert screened.loc["keep", "u2010"] == pytest.approx(40.0, rel=1e-12)


def test_build_refuses_an_absent_input_with_its_name(tmp_path):
    build = _build_module()
    missing = tmp_path / "reference_shares_sources.csv"
    with pytest.raises(SystemExit, match=r"reference_shares_sources\.csv not found.*leiii/census"):
        build.read_extract(missing)
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(build.EXTRACT_COLUMNS) + "\nA,430100,P,-5,1,1,1,1,0\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"row 2, column 'popu_2010'"):
        build.read_extract(bad)


def test_build_reproduces_the_shipped_json_byte_for_byte():
    """Round trip: the committed extract rebuilt gives the committed JSON (the build is deterministic)."""
    build = _build_module()
    text = build.render(build.build(build.read_extract(build.EXTRACT_CSV)))
    assert text == JSON_PATH.read_text(encoding="utf-8")
