"""Panel-estimated reference classes (data/build_reference_classes.py, probability.ratio_models) and
the classes' spread sources.

References: hand arithmetic on tiny synthetic panels for the build's rule; the shipped JSON rebuilt
byte for byte from the shared panel (skipped when the shared data are absent); properties of the
ratio model (scaling GDP never moves a ratio; values after the information year never move it).
"""

from __future__ import annotations

import importlib.util
import json
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.probability import calibration
from xiangxi_econ.probability.ratio_models import class_vintage, ratio_marginal
from xiangxi_econ.probability.series_classes import CLASSES, SERIES_CLASS, spread_source

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def _build_module():
    path = ROOT / "data" / "build_reference_classes.py"
    spec = importlib.util.spec_from_file_location("build_reference_classes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_build_rule_on_a_tiny_panel_by_hand():
    """Two series rising exactly 1 a year from 1990: pace p = 1 everywhere and next-five-year change
    d = 1, so persistence sum(p d) / sum(p^2) = 1 and every error x_{o+h} - x_o - h * 1 * 1 = 0."""
    mod = _build_module()
    years = list(range(1990, 2006))
    w = pd.DataFrame([[float(y - 1990) for y in years], [float(y - 1980) for y in years]], columns=years)
    est = mod.estimate([w] * 20, 2005)
    assert est["persistence"] == pytest.approx(1.0)
    assert est["class_pace"] == pytest.approx(1.0)
    assert est["spread_h"][0] == pytest.approx(0.0, abs=1e-12)


def test_build_sees_no_outcome_after_its_vintage():
    """Changing every value after 2003 leaves vintage 2003 unchanged (and moves vintage 2005)."""
    mod = _build_module()
    rng = np.random.default_rng(1)
    years = list(range(1990, 2006))
    w = pd.DataFrame(rng.normal(0, 1, (40, len(years))).cumsum(axis=1), columns=years)
    v = w.copy()
    v.loc[:, [y for y in years if y > 2003]] += 5.0
    assert mod.estimate([w], 2003) == mod.estimate([v], 2003)
    assert mod.estimate([w], 2005) != mod.estimate([v], 2005)


@pytest.mark.skipif(not (SHARED / "prefecture_gdp_panel_1990_2018.csv").exists(), reason="shared data absent")
def test_build_reproduces_the_shipped_json_byte_for_byte(tmp_path):
    mod = _build_module()
    data = mod.build(SHARED / "prefecture_gdp_panel_1990_2018.csv")
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    shipped = (ROOT / "xiangxi_econ" / "data" / "reference_classes.json").read_text(encoding="utf-8")
    assert text == shipped


def test_forecasts_before_the_earliest_vintage_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="at the earliest"):
        class_vintage("ratio", 1990)
    v, est = class_vintage("ratio", 2020)
    assert v == 2018 and est["n_h"][4] > 1000


def test_a_ratio_never_grows_with_gdp():
    """Property: multiplying the region's GDP (every year) and China's growth by any factor leaves
    the forecast of water use per 10,000 yuan of GDP unchanged: the ratio is forecast on its own scale."""
    import dataclasses

    plan = xe.load_plan()
    rows = xe.targets_table(plan)
    ind = plan.indicators.set_index("indicator_id")
    pick = rows[rows["series_id"].isin(["water_use_per_10k_gdp", "rd_intensity"])].head(3)
    pick = pick.assign(base_unit=pick["indicator_id"].map(ind["base_unit"]),
                       scale=pick["indicator_id"].map(ind["scale"]))
    a = calibration.target_forecasts(plan, pick, 2015 if (pick["base_year"] == 2015).all() else None)
    h = plan.history.copy()
    for factor in (0.5, 3.0):
        g = h["series_id"].isin(["gdp"])
        h2 = h.copy()
        h2.loc[g, "value"] = pd.to_numeric(h2.loc[g, "value"], errors="coerce") * factor
        if "value_base_units" in h2.columns:
            h2.loc[g, "value_base_units"] = pd.to_numeric(h2.loc[g, "value_base_units"], errors="coerce") * factor
        obs = plan.observations
        t = obs.table.copy()
        t.loc[t["series_id"] == "gdp", ["value", "value_base_units"]] *= factor
        p2 = dataclasses.replace(plan, history=h2, observations=type(obs)(t, obs.breaks, obs.units))
        b = calibration.target_forecasts(p2, pick, 2015 if (pick["base_year"] == 2015).all() else None)
        for col in ("probability", "q05", "q50", "q95"):
            assert np.array_equal(a[col].to_numpy(float), b[col].to_numpy(float), equal_nan=True)
    assert (a["series_class"] == "ratio").all()


def test_a_ratio_forecast_is_on_its_own_log_scale_by_hand():
    """R&D intensity 1.2% (2020) after 0.8 (2018): own log pace ln(1.2/0.8)/2 = 0.2027, times the 2018
    vintage's persistence phi; 5 years on the centre is 1.2 exp(5 phi 0.2027) and the sd of the log
    value s_5 sqrt(1 + 1/2) with s_5 the vintage's stored h=5 spread."""
    _, est = class_vintage("ratio", 2020)
    m = ratio_marginal([2018, 2020], [0.8, 1.2], [0, 0], "ratio", 2020, 5, limits=(0, np.inf))
    phi, s5 = est["persistence"], est["spread_h"][4]
    assert m.transform == "log"
    assert m.centre[4] * 5 == pytest.approx(5 * phi * np.log(1.5) / 2, rel=1e-12)
    assert np.std(m.resid[4]) * 5 == pytest.approx(s5 * np.sqrt(1.5), rel=0.02)


def test_history_length_changes_the_spread():
    """The same ratio seen over 2 years (k = 2) or 8 (k = 8): the spread factor sqrt(1 + 1/k) makes the
    shorter history wider; one value (no pace) is wider still (sqrt 2) and takes the class pace."""
    short = ratio_marginal([2018, 2020], [1.0, 1.1], [0, 0], "ratio", 2020, 5)
    long = ratio_marginal([2012, 2020], [0.7, 1.1], [0, 0], "ratio", 2020, 5)
    one = ratio_marginal([2020], [1.1], [0], "ratio", 2020, 5)
    assert np.std(one.resid[4]) > np.std(short.resid[4]) > np.std(long.resid[4])
    assert np.std(short.resid[4]) / np.std(long.resid[4]) == pytest.approx(np.sqrt(1.5 / 1.125), rel=0.02)
    _, est = class_vintage("ratio", 2020)
    assert one.centre[0] == pytest.approx(est["persistence"] * est["class_pace"], abs=1e-15)


def test_a_slow_share_from_one_value_takes_its_class_pace_not_zero():
    """Pension coverage known only in 2015 (81.1%): the coverage class's pace (China's internet
    penetration, CNNIC: 34.3% in 2010, 50.3% in 2015, on the logit scale, a stated proxy) moves it;
    the note says so. By hand: (logit 0.503 - logit 0.343) / 5."""
    m = ratio_marginal([2015], [81.1], [0], "slow_share", 2015, 5, series_id="pension_insurance_coverage")
    by_hand = (np.log(50.3 / 49.7) - np.log(34.3 / 65.7)) / 5
    assert m.transform == "logit" and m.centre[0] == pytest.approx(by_hand, rel=1e-12)
    assert m.centre[0] != 0 and "not zero" in m.note and "proxy" in m.details["spread_source"]


def test_the_pace_never_crosses_a_break():
    """A ratio 1.0 (2014), 2.0 (2016, after a break in 2015), 2.2 (2020): the pace is ln(2.2/2.0)/4,
    from the segment after the break only."""
    m = ratio_marginal([2014, 2016, 2020], [1.0, 2.0, 2.2], [0, 1, 1], "ratio", 2020, 5)
    assert m.details["own_pace"] == pytest.approx(np.log(1.1) / 4, rel=1e-12)
    assert m.years_used == (2016, 2020)


def test_every_class_says_where_its_spread_comes_from():
    """Each class's spread source is 'estimated on ...' or 'assumed: ...'; every simulated row carries one."""
    for name in CLASSES:
        src = spread_source(name)
        assert src.startswith("estimated on") or src.startswith("assumed"), (name, src)
    sim = xe.simulate(xe.load_plan(), n_draws=8192, as_of_year=2020)
    assert sim.table["spread_source"].str.match(r"^(estimated on|assumed)").all()
    assert (sim.table["probability_model"] != "trend, default spread").all()


def test_a_level_without_history_is_no_wider_than_gdp():
    """Deposits (one value, 2020) get the 'level' class's assumed spread capped at the region's GDP class:
    at every horizon the sd of its average log growth sqrt(s_c^2 + sd_R^2) is at most GDP's (the cap
    matches the sd; GDP's resampled residuals have fatter tails, so its 90% band ratio is compared by
    sd, not by quantiles)."""
    plan = xe.load_plan()
    ind = plan.indicators.set_index("indicator_id")

    def total_sd(ident):
        row = types.SimpleNamespace(series_id=ind.loc[ident, "series_id"], base_unit=ind.loc[ident, "base_unit"],
                                    scale=ind.loc[ident, "scale"], kind="level")
        m = calibration.target_marginal(plan, row, 2020, 5)
        return np.sqrt(m.sigma_common ** 2 + np.var(m.resid, axis=1)), m

    dep, m = total_sd("deposits_balance")
    gdp, _ = total_sd("gdp")
    assert (dep <= gdp * (1 + 1e-9)).all()
    assert "capped" in m.details["spread_source"]


def test_ratio_classes_are_the_intensities():
    for s in ("rd_intensity", "water_use_per_10k_gdp", "trade_dependence"):
        assert SERIES_CLASS[s] == "ratio"


def test_growth_rate_rows_go_through_the_gdp_growth_hook(monkeypatch):
    """A growth-rate target (average real GDP growth >= 5% over 2021-2025) goes to
    ``target_models.growth_marginal`` with GDP's annual rates published up to 2020 (last 2.2% in 2020,
    the 2020 bulletin) and the horizon 5; with a stand-in marginal y ~ N(ln 1.06, 0.01^2) the engine's
    P(100 (e^y - 1) >= 5) is scipy's sf((ln 1.05 - ln 1.06) / 0.01)."""
    from scipy import stats

    from xiangxi_econ.probability import target_models
    from xiangxi_econ.probability.target_models import GRID, Marginal

    seen = {}

    def fake(years, values_pct, as_of_year, horizon):
        seen.update(years=list(years), values=list(values_pct), as_of=as_of_year, horizon=horizon)
        z = stats.norm.ppf((np.arange(GRID) + 0.5) / GRID)
        return Marginal("growth", 1.0, 2020, np.full(horizon, np.log(1.06)), np.zeros(horizon),
                        np.full(horizon, np.inf), np.tile(0.01 * z, (horizon, 1)), (-100.0, np.inf), "gdp_growth",
                        "stand-in", (2020,))

    monkeypatch.setattr(target_models, "growth_marginal", fake, raising=False)
    plan = xe.load_plan()
    ind = plan.indicators.set_index("indicator_id")
    rows = pd.DataFrame([{"indicator_id": "g", "series_id": "gdp", "kind": "growth", "unit": "%",
                          "base_unit": ind.loc["gdp", "base_unit"], "scale": ind.loc["gdp", "scale"],
                          "base_year": 2020, "target_year": 2025, "target_value": 5.0, "bound": "at_least",
                          "direction": "increase"}])
    out = calibration.target_forecasts(plan, rows, 2020)
    assert seen["as_of"] == 2020 and seen["horizon"] == 5 and seen["years"][-1] == 2020
    assert seen["values"][-1] == pytest.approx(2.2)
    ref = stats.norm.sf((np.log(1.05) - np.log(1.06)) / 0.01)
    assert out["probability"].iloc[0] == pytest.approx(ref, abs=2e-3)
