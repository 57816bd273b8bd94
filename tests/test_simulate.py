"""Monte Carlo probabilities against closed forms (tolerance: 4 Monte Carlo standard errors),
reproducibility with a seed, independence of chunking, estimated and asymmetric spreads."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import xiangxi_econ as xe
from xiangxi_econ.probability import montecarlo

N = 200_000


@pytest.fixture(scope="module")
def plan():
    return xe.load_plan()


@pytest.fixture(scope="module")
def sim(plan):
    return xe.simulate(plan, n_draws=N, seed=7, calibrated=False)  # the trend engine against closed forms


def row(sim, ident):
    return sim.to_frame().set_index("indicator_id").loc[ident]


def tol(p, n=N):
    return 4 * math.sqrt(max(p * (1 - p), 1e-4) / n)


def test_gdp_probability_matches_lognormal_closed_form(sim):
    """Log growth ~ N(ln(1+g_a), 0.03²) iid for 5 years, g_a = (725.11/517)**0.2 - 1 (专栏1 序号1):
    P(725.11 exp(sum) >= 1000) = 1 - Φ((ln(1000/725.11) - 5 ln(1+g_a)) / (0.03 √5))."""
    g = (725.11 / 517) ** 0.2 - 1
    p = 1 - norm.cdf((math.log(1000 / 725.11) - 5 * math.log1p(g)) / (0.03 * math.sqrt(5)))
    r = row(sim, "gdp")
    assert r["probability"] == pytest.approx(p, abs=tol(p))
    # median of the 2025 value: 725.11 (1+g)^5
    assert r["q50"] == pytest.approx(725.11 * (1 + g) ** 5, rel=0.002)


def test_urbanisation_probability_matches_normal_closed_form(sim):
    """pp steps ~ N(1.78, σ²), σ = 0.5 × 1.78 + 0.1 = 0.99: P(50 + sum >= 55) = Φ((8.9 - 5)/(0.99 √5))."""
    p = norm.cdf((8.9 - 5) / (0.99 * math.sqrt(5)))
    assert row(sim, "urbanisation_rate")["probability"] == pytest.approx(p, abs=tol(p))




def test_caps_use_the_lower_tail(tmp_path, write_csv):
    """Synthetic caps. Unemployment-like rate 7.0 (2015) -> 6.0 (2020), at most 5.5 by 2025: pp pace
    -0.2, spread 0.5 × 0.2 + 0.1 = 0.2 pp: P(6 - 1 + N(0, 5 × 0.04) <= 5.5) = Φ(0.5 / √0.2).
    A level cap already met at the baseline (100 <= 120) but growing (80 -> 100 since 2015):
    P(100 exp(N(5 ln 1.25^0.2, 5 × 0.03²)) <= 120) = Φ((ln 1.2 - ln 1.25) / (0.03 √5))."""
    write_csv(tmp_path / "indicators.csv",
           ["indicator_id", "name_zh", "name_en", "kind", "unit", "base_year", "base_value", "target_year",
            "target_value", "bound", "source"],
           [["u", "失业率", "Unemployment", "rate", "%", "2020", "6.0", "2025", "5.5", "at_most", "t"],
            ["land", "建设用地", "Land", "level", "万亩", "2020", "100", "2025", "120", "at_most", "t"]])
    write_csv(tmp_path / "history.csv", ["series_id", "year", "measure", "value", "unit", "source"],
           [["u", "2015", "level", "7.0", "%", "y"], ["land", "2015", "level", "80", "万亩", "y"]])
    plan = xe.read_plan(tmp_path)
    sim = xe.simulate(plan, n_draws=N, seed=2, calibrated=False).to_frame().set_index("indicator_id")
    p_u = norm.cdf(0.5 / math.sqrt(0.2))
    assert sim.loc["u", "probability"] == pytest.approx(p_u, abs=tol(p_u))
    p_land = norm.cdf((math.log(1.2) - math.log(1.25)) / (0.03 * math.sqrt(5)))
    assert sim.loc["land", "probability"] == pytest.approx(p_land, abs=tol(p_land))


def test_same_seed_same_result_and_chunking(plan):
    a = xe.simulate(plan, n_draws=30_000, seed=3, chunk_size=8192)
    b = xe.simulate(plan, n_draws=30_000, seed=3, chunk_size=100_000)
    c = xe.simulate(plan, n_draws=30_000, seed=4)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    pd.testing.assert_frame_equal(a.fan, b.fan)
    # the probability is exact (seed-free); the Monte Carlo check moves with the seed
    assert a.to_frame()["probability"].equals(c.to_frame()["probability"])
    assert not a.to_frame()["probability_mc"].equals(c.to_frame()["probability_mc"])


def test_user_volatility(plan):
    """σ = 0 makes the outcome certain: GDP trend 1017 >= 1000."""
    sim = xe.simulate(plan, n_draws=5_000, seed=1, volatility={"gdp": 0.0})
    r = row(sim, "gdp")
    assert r["probability"] == 1.0 and r["volatility_source"] == "user"


def test_two_piece_normal_mean():
    """Bank of England split normal with mode 0: mean √(2/π)(σ2 - σ1), P(x < 0) = σ1 / (σ1 + σ2) = 0.2
    (Britton, Fisher & Whitley 1998); checked on the engine's quantile grid (101 midpoints)."""
    grid = montecarlo._two_piece_quantiles(0.01, 0.04)
    assert grid.mean() == pytest.approx(math.sqrt(2 / math.pi) * 0.03, abs=4e-4)
    assert (grid < 0).mean() == pytest.approx(0.2, abs=0.01)
    assert np.all(np.diff(grid) > 0)


def test_downside_skew_lowers_probability(plan):
    sym = row(xe.simulate(plan, n_draws=50_000, seed=2, calibrated=False), "gdp")["probability"]
    skewed = row(xe.simulate(plan, n_draws=50_000, seed=2, skew={"gdp": (0.05, 0.02)}), "gdp")
    assert skewed["probability"] < sym
    assert "two-piece" in skewed["volatility_source"]


def test_history_estimated_with_statsmodels(plan):
    """Annual log differences alternating 0.07 / 0.09: mean 0.08, MLE spread 0.01."""
    years = np.arange(2010, 2021)
    steps = np.where(np.arange(len(years) - 1) % 2 == 0, 0.07, 0.09)
    values = pd.Series(500 * np.exp(np.concatenate([[0], np.cumsum(steps)])), index=years)
    sim = xe.simulate(plan, n_draws=2_000, seed=1, history={"gdp": values})
    r = row(sim, "gdp")
    assert "ARIMA" in r["volatility_source"]
    assert r["sigma"] == pytest.approx(0.01, abs=2e-4)
    assert r["centre_rate"] == pytest.approx(math.expm1(0.08), abs=1e-4)  # the centre the draws used
    t = sim.to_frame().set_index("indicator_id")
    assert t.loc["gdp", "q50"] == pytest.approx(725.11 * math.exp(5 * 0.08), rel=0.01)


def test_reference_class_centre_by_hand(plan):
    """The 13th plan's delivery ratio for growth rates, from 专栏1's printed 2015 value, 2020 target
    and 2020 outcome: ratio = ((outcome/base)^(1/5) - 1) / ((target/base)^(1/5) - 1) over the ten
    level rows with a finite ratio, where a break cuts the level window (GDP and the 2019 census, retail
    sales' revised vintage) or the level is not printed (规模工业增加值) the printed rates instead: 6/10,
    7.5/12, 5.6/12; the reference run centres GDP growth at median × required."""
    rows = [(78.4, 120, 133.6), (370.9, 900, 450.1), (1.2, 2.8, 1.65),
            (0.9, 3.2, 1.4), (11455, 15000, 18154), (9, 10.5, 10.5), (75, 76, 76.6), (207.4, 110, 121)]
    ratios = [((o / b) ** 0.2 - 1) / ((t / b) ** 0.2 - 1) for b, t, o in rows] + [6 / 10, 7.5 / 12, 5.6 / 12]
    rho = float(np.median(ratios))
    sim = xe.simulate(plan, n_draws=20_000, seed=5, reference_class=True)
    assert sim.settings["rate median delivery ratio"] == pytest.approx(rho, abs=5e-4)
    gdp = sim.to_frame().set_index("indicator_id").loc["gdp"]
    assert gdp["reference_centre_rate"] == pytest.approx(rho * ((1000 / 725.11) ** 0.2 - 1), rel=1e-9)
    assert gdp["probability_reference"] < gdp["probability"]  # the old plan delivered less than asked


def test_fan_quantiles_are_ordered(sim):
    fan = sim.fan[sim.fan["indicator_id"] == "gdp"].pivot(index="year", columns="quantile", values="value")
    assert (fan.diff(axis=1).iloc[:, 1:] >= 0).all().all()
    assert fan.loc[2020].nunique() == 1 and fan.loc[2020].iloc[0] == pytest.approx(725.11)


def test_bad_input(plan):
    with pytest.raises(ValueError, match="n_draws"):
        xe.simulate(plan, n_draws=0)
    with pytest.raises(ValueError, match="volatility: unknown"):
        xe.simulate(plan, n_draws=10, volatility={"nope": 0.1})
    with pytest.raises(ValueError, match="non-negative"):
        xe.simulate(plan, n_draws=10, volatility={"gdp": -1})
    with pytest.raises(ValueError, match="at least 6"):
        xe.simulate(plan, n_draws=10, history={"gdp": pd.Series([1.0, 2.0], index=[2019, 2020])})


def test_display(sim):
    assert "Probability of meeting" in sim.summary()
    assert "<table" in sim._repr_html_()


def test_progress_callback(plan):
    seen = []
    xe.simulate(plan, n_draws=20_000, seed=1, chunk_size=8192, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (20_000, 20_000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize("kwargs, message", [
    ({"n_draws": 10 ** 8}, "cap of 50,000,000.*MiB"),
    ({"n_draws": 0}, "n_draws must be a positive integer"),
    ({"seed": None}, "seed must be a non-negative integer"),
    ({"as_of_year": 1990}, "as_of_year=1990.*see the future"),
    ({"end_year": 2100}, "at most 50"),
    ({"chunk_size": 10 ** 9}, "chunk_size"),
])
def test_resources_and_years_are_capped_with_a_clear_error(plan, kwargs, message):
    with pytest.raises(ValueError, match=message):
        xe.simulate(plan, **kwargs)


def test_infinite_and_huge_values_print():
    from xiangxi_econ._display import num

    assert (num(float("inf")), num(float("-inf")), num(1e300)) == ("∞", "-∞", "1e+300")


def test_build_report_draws_is_deprecated(tmp_path):
    """draws= still works and warns; the folder check then stops the run early (a dangling link where
    report.html goes is refused), so no report is built here."""
    out = tmp_path / "rep"
    out.mkdir()
    (out / "report.html").symlink_to(tmp_path / "nowhere.html")
    with pytest.warns(DeprecationWarning, match="n_draws"), pytest.raises(xe.ReportError, match="link"):
        xe.build_report(out, draws=500)


# ---------------------------------------------------------------------------- as-of, outlook, bad input
def _perturbed(plan, as_of: int, factor: float = 1.37):
    """The plan with every value of a year after ``as_of`` multiplied by ``factor`` (history, the
    indicators' baselines of later base years, published observations), nothing else touched."""
    import dataclasses

    h = plan.history.copy()
    late = h["year"].astype(float) > as_of
    for col in ("value", "value_base_units"):
        if col in h.columns:
            h.loc[late, col] = pd.to_numeric(h.loc[late, col], errors="coerce") * factor
    ind = plan.indicators.copy()
    later_base = ind["base_year"].astype(float) > as_of
    ind.loc[later_base, "base_value"] = ind.loc[later_base, "base_value"] * factor
    obs = plan.observations
    t = obs.table.copy()
    late = t["year"] > as_of
    t.loc[late, "value"] = t.loc[late, "value"] * factor
    t.loc[late, "value_base_units"] = t.loc[late, "value_base_units"] * factor
    return dataclasses.replace(plan, history=h, indicators=ind, observations=type(obs)(t, obs.breaks, obs.units))


def _all_output(sim) -> list[pd.DataFrame]:
    return [sim.to_frame(), sim.skipped, sim.fan, sim.outlook]


@pytest.mark.parametrize("as_of", [2015, 2018, 2020, 2022])
def test_no_value_after_the_information_year_moves_any_output_column(plan, as_of):
    """Leakage, over the whole simulate output (every column of the table, the decided/skipped rows,
    the fans and the outlook): multiplying every value of a year after ``as_of`` by 1.37 changes
    nothing. Expected: exact equality (the same computation on the same known values)."""
    kwargs = dict(n_draws=8192, seed=3, as_of_year=as_of, end_year=as_of + 8)
    a = xe.simulate(plan, **kwargs)
    b = xe.simulate(_perturbed(plan, as_of), **kwargs)
    assert len(a.table) > 0 or as_of == 2015
    for x, y in zip(_all_output(a), _all_output(b), strict=True):
        pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True), check_exact=True)


def test_the_perturbation_reaches_the_forecasts(plan):
    """The leakage test's perturbation is not a no-op: applied from 2019 on, the as-of-2020 forecasts move."""
    a = xe.simulate(plan, n_draws=8192, as_of_year=2020)
    b = xe.simulate(_perturbed(plan, 2018), n_draws=8192, as_of_year=2020)
    assert not np.allclose(a.table["q50"].to_numpy(float), b.table["q50"].to_numpy(float))


def test_no_trend_fallback_as_of_2018_uses_the_2020_baselines(plan):
    """As of 2018 every simulated row starts at or before 2018 and the growth and total targets, whose
    baselines are the plan's 2020 figures, are left out with the reason."""
    sim = xe.simulate(plan, n_draws=8192, as_of_year=2018)
    assert (sim.table["origin_year"].astype(int) <= 2018).all()
    assert (sim.table["base_year"].astype(int) <= 2018).all()
    sk = sim.skipped.set_index("indicator_id")
    assert "after as_of_year=2018" in sk.loc["fixed_asset_investment_total_2021_2025", "reason"]


def test_a_target_published_by_the_information_year_is_decided_not_forecast(plan):
    """As of 2025 GDP's 2025 outcome 889.5亿元 (2025 bulletin) is published: decided, missed against
    1,000, never a probability; urbanisation 55.24 >= 55 is met."""
    sim = xe.simulate(plan, n_draws=8192, as_of_year=2025, end_year=2030)
    assert "gdp" not in set(sim.table["indicator_id"])
    f = sim.to_frame().set_index("indicator_id")
    assert f.loc["gdp", "status"] == "missed" and f.loc["gdp", "outcome"] == pytest.approx(889.5)
    assert np.isnan(f.loc["gdp", "probability"])
    assert f.loc["urbanisation_rate", "status"] == "met"
    assert "by 2025" not in sim.summary()


def test_2030_outlook_of_urbanisation_takes_the_2020_2025_pace(plan):
    """Urbanisation 50.0 (2020, printed in the census re-base year) to 55.24 (2025): 1.048 pp a year.
    Continued on the logit scale (UN URGD) from 55.24 the slope r = 100 * 1.048 / (55.24 * 44.76)
    = 0.0424 gives 100 / (1 + exp(-(logit(0.5524) + 5 r))) = 60.4 in 2030; the engine's median
    must lie within 58.5-62 (issue 21) and the outlook must start from 55.24 in 2025."""
    sim = xe.simulate(plan, n_draws=8192, as_of_year=2025, end_year=2030)
    o = sim.outlook.set_index("indicator_id").loc["urbanisation_rate"]
    assert int(o["from_year"]) == 2025 and o["from_value"] == pytest.approx(55.24)
    assert 58.5 <= o["q50"] <= 62.0
    assert o["q05"] < o["q25"] < o["q50"] < o["q75"] < o["q95"]
    f = sim.to_frame().set_index("indicator_id")
    assert f.loc["urbanisation_rate", "outlook_q50"] == pytest.approx(o["q50"])
    assert "Outlook to 2030" in sim.summary()


@pytest.mark.parametrize("kwargs, message", [
    ({"end_year": 2019}, "end_year=2019 is not after"),
    ({"volatility": {"gdp": 1e6}}, "above 10.0 log points"),
    ({"volatility": {"gdp": "x"}}, "must be a non-negative number"),
    ({"skew": "x"}, "two non-negative spreads"),
    ({"targets": pd.DataFrame()}, "targets: missing column"),
    ({"as_of_year": float("nan")}, "as_of_year must be an integer year"),
    ({"as_of_year": 2040}, "after the last published value"),
])
def test_bad_arguments_get_a_clear_error(plan, kwargs, message):
    with pytest.raises(ValueError, match=message):
        xe.simulate(plan, n_draws=8192, calibrated=("volatility" not in kwargs and "skew" not in kwargs), **kwargs)


def test_an_information_year_after_the_last_value_says_where_it_starts(plan):
    sim = xe.simulate(plan, n_draws=8192, as_of_year=2027, end_year=2030)
    assert "starts from the latest published value" in sim.summary()
