"""The shipped GDP reference class (``xiangxi_econ/data/reference_gdp.json``): it loads, a forecast
as of t never gets a vintage after t, the centre of a stored vintage by hand, beyond-5-year
extrapolation, and a deterministic build."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from xiangxi_econ.probability.factor import (
    FactorModelError,
    load_reference_gdp,
    predictive_from_reference,
)

ROOT = Path(__file__).resolve().parents[1]
PANEL = ROOT.parent / "shared" / "data" / "prefecture_gdp_panel_1990_2018.csv"


def raw_json() -> dict:
    text = resources.files("xiangxi_econ").joinpath("data").joinpath("reference_gdp.json").read_text("utf-8")
    return json.loads(text)


def build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_reference_gdp", ROOT / "data" / "build_reference_gdp.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_shipped_file_loads_with_its_metadata() -> None:
    data = raw_json()
    assert sorted(int(v) for v in data["vintages"]) == list(range(2008, 2019))
    for key in ("description", "build_command", "benchmark", "first_vintage_reason", "grid_levels"):
        assert data[key]
    ref = load_reference_gdp(2018)
    assert ref.vintage == 2018 and ref.horizons == (1, 2, 3, 4, 5)
    assert ref.resid.shape == (5, ref.window + 1, 41)
    assert np.all(np.diff(ref.resid, axis=-1) >= 0)  # sorted quantile grids
    assert np.all(ref.sigma_common > 0) and max(ref.factor.index) <= 2018


def test_vintage_selection_never_looks_ahead() -> None:
    """Property over every year 2008..2060: the vintage returned is the latest one <= as_of_year."""
    vintages = sorted(int(v) for v in raw_json()["vintages"])
    for t in range(2008, 2061):
        ref = load_reference_gdp(t)
        assert ref.vintage <= t
        assert ref.vintage == max(v for v in vintages if v <= t)
        assert max(ref.factor.index) <= ref.vintage


def test_too_early_a_year_is_refused_with_the_reason() -> None:
    with pytest.raises(FactorModelError, match=r"as_of_year=2005 is before the first vintage 2008.*outcomes"):
        load_reference_gdp(2005)


def test_centre_by_hand_from_the_stored_numbers() -> None:
    """Vintage 2012, a series growing exactly 0.01 above the stored panel factor in 2007..2012: the
    change into the break year 2008 is not history, so five usable steps (2007, 2009-2012), D = 0.01
    and n = 5. By hand, horizon h:
    centre = factor_centre[h] + intercept[h][5] + slope[h][5] * 0.01, numbers read from the JSON.
    With a caller factor of 0.07 and real growth of 0.05 every year and a series growing 0.09, the
    deviation is 0.02 and both rules give 0.07 (nominal: 0.07; real+deflator: 0.05 + 0.02)."""
    rec = raw_json()["vintages"]["2012"]
    fac = {int(k): v for k, v in rec["factor"].items()}
    logs = np.cumsum([0.0] + [fac[y] + 0.01 for y in range(2007, 2013)])
    hist = pd.Series(100 * np.exp(logs), index=range(2006, 2013))
    pred = predictive_from_reference(load_reference_gdp(2012), hist)
    assert pred.n_usable[0] == 5
    for hi in range(5):
        expected = rec["factor_centre"][hi] + rec["intercept"][hi][5] + rec["slope"][hi][5] * 0.01
        assert pred.centre[0, hi] == pytest.approx(expected, abs=1e-12)
    # caller-supplied national factor and real growth
    years = range(2000, 2013)
    g = pd.Series(100 * np.exp(0.09 * np.arange(7)), index=range(2006, 2013))
    p2 = predictive_from_reference(load_reference_gdp(2012), g, factor={y: 0.07 for y in years},
                                   real_factor={y: 0.05 for y in years})
    for hi in range(5):
        assert p2.centre[0, hi] == pytest.approx(0.07 + rec["intercept"][hi][5] + rec["slope"][hi][5] * 0.02,
                                                 abs=1e-12)
    assert np.allclose(p2.sigma_common[0], rec["sigma_common"])
    # a caller centre and spread override the rule
    p3 = predictive_from_reference(load_reference_gdp(2012), g, factor={y: 0.07 for y in years}, centre=0.05,
                                   sigma_common=0.01)
    assert p3.centre[0, 0] == pytest.approx(0.05 + rec["intercept"][0][5] + rec["slope"][0][5] * 0.02, abs=1e-12)
    assert np.all(p3.sigma_common == 0.01)
    if "real+deflator" in rec["centre_rule"]:
        with pytest.raises(FactorModelError, match="real_factor"):
            predictive_from_reference(load_reference_gdp(2012), g, factor={y: 0.07 for y in years})


def test_horizons_beyond_five_use_the_five_year_average_growth() -> None:
    """From 2025 to 2035 (h = 10): same centre and average-growth spread as h = 5, so the 90% width of
    the log level is twice the h = 5 one (span 10 vs 5)."""
    ref = load_reference_gdp(2025)
    years = range(2000, 2026)
    hist = pd.Series(100 * np.exp(0.06 * np.arange(11)), index=range(2015, 2026))
    fac = {y: 0.06 for y in years}
    pred = predictive_from_reference(ref, hist, (5, 10), origin=2025, factor=fac, centre=0.06)
    assert pred.centre[0, 0] == pytest.approx(pred.centre[0, 1], abs=1e-12)
    q = pred.to_log_level(pred.quantiles_growth((0.05, 0.95)))
    w5, w10 = q[0, 0, 1] - q[0, 0, 0], q[0, 1, 1] - q[0, 1, 0]
    assert w10 == pytest.approx(2 * w5, rel=1e-6)  # bisection tolerance


def test_build_is_deterministic_on_a_synthetic_panel() -> None:
    """The pure build function twice on the same small synthetic panel: byte-identical JSON."""
    mod = build_module()
    rng = np.random.default_rng(5)
    years = np.arange(1995, 2019)
    g = 0.08 + rng.normal(0, 0.02, len(years))[None, :] + rng.normal(0, 0.03, (40, len(years)))
    wide = pd.DataFrame(100 * np.exp(np.cumsum(g, axis=1)), index=[f"c{i}" for i in range(40)], columns=years)
    real = pd.DataFrame(g - 0.02, index=wide.index, columns=years)
    kw = dict(vintages=(2010, 2014), break_years=(2008,), min_regions=10)
    a = mod.dumps(mod.build_reference(wide, real, **kw))
    b = mod.dumps(mod.build_reference(wide, real, **kw))
    assert a == b and json.loads(a)["vintages"].keys() == {"2010", "2014"}
    assert mod.round_sig(0.123456789) == 0.123457 and mod.round_sig(1234567.0) == 1234570.0


@pytest.mark.skipif(not PANEL.exists(), reason="city panel ../shared/data not available (not shipped)")
def test_the_shipped_file_matches_a_rebuild_of_one_vintage() -> None:
    mod = build_module()
    import benchmarks.bench_panel_factor as bench

    wide, real = bench.read_panel(PANEL), bench.read_real_growth(PANEL)
    rebuilt = json.loads(mod.dumps(mod.build_reference(wide, real, vintages=(2012,))))["vintages"]["2012"]
    assert rebuilt == raw_json()["vintages"]["2012"]


@pytest.mark.skipif(not PANEL.exists(), reason="city panel ../shared/data not available (not shipped)")
def test_the_shipped_growth_vintages_match_a_rebuild_and_use_outcomes_up_to_2018() -> None:
    """One real-growth vintage rebuilt from the panel equals the shipped one; no vintage after 2018."""
    mod = build_module()
    raw = pd.read_csv(PANEL, dtype={"city_code": str})
    pct = raw.pivot_table(index="city_code", columns="year", values="gdp_real_growth_pct", aggfunc="first")
    rebuilt = json.loads(mod.dumps(mod.build_growth_reference(pct, vintages=(2003,))))["growth_vintages"]["2003"]
    shipped = raw_json()["growth_vintages"]
    assert rebuilt == shipped["2003"]
    assert max(int(v) for v in shipped) <= 2018 and min(int(v) for v in shipped) <= 2000


def test_one_region_alone_is_the_panel_path_across_a_known_common_shock() -> None:
    """A synthetic panel (200 regions, 1990-2016) whose common growth falls by 0.10 in 2009 and again
    in 2015 (after the vintage): (1) as of the vintage (2012), one region forecast alone from the stored
    vintage gives the panel path's quantiles to 1e-12 (the panel fit's own predictive for that region);
    (2) as of 2016, a national series running 0.02 below the panel's median growth (its offset) that
    carries the 2015 shock, spliced onto the vintage's factor, gives the same forecast as the panel's
    own factor through 2016 (1e-9), while the raw national series would shift the region's deviation
    by the offset: the splice is what keeps one region on the panel's scale."""
    from xiangxi_econ.probability.factor import fit_factor_model, reference_from_model, splice_factor

    rng = np.random.default_rng(21)
    years = np.arange(1990, 2017)
    f = 0.09 + rng.normal(0, 0.01, len(years))
    f[years == 2009] -= 0.10
    f[years == 2015] -= 0.10
    g = f[None, :] + rng.normal(0, 0.01, 200)[:, None] + rng.normal(0, 0.03, (200, len(years)))
    wide = pd.DataFrame(100 * np.exp(np.cumsum(g, axis=1)), index=[f"c{i:03d}" for i in range(200)], columns=years)
    model = fit_factor_model(wide, 2012, break_years=())
    ref = reference_from_model(model)
    one = wide.loc["c017"]
    probs = (0.05, 0.25, 0.5, 0.75, 0.95)
    panel_q = model.quantiles(wide.loc[:, :2012], (1, 3, 5), probs, log=True)[list(wide.index).index("c017")]
    alone = predictive_from_reference(ref, one[one.index <= 2012], (1, 3, 5), break_years=())
    np.testing.assert_allclose(alone.to_log_level(alone.quantiles_growth(probs))[0], panel_q, rtol=0, atol=1e-12)
    # after the vintage: the panel's own factor through 2016 against China-like national growth with an offset
    own_factor = np.log(wide).diff(axis=1).median(axis=0).dropna()
    national = own_factor - 0.02
    spliced = splice_factor(ref.factor, national, ref.vintage)
    np.testing.assert_allclose(spliced.loc[2013:2016].to_numpy(), own_factor.loc[2013:2016].to_numpy(), atol=1e-12)
    kw = dict(origin=2016, break_years=())
    a = predictive_from_reference(ref, one, (1, 2), factor=spliced, **kw)
    b = predictive_from_reference(ref, one, (1, 2), factor=own_factor, **kw)
    raw = predictive_from_reference(ref, one, (1, 2), factor=pd.concat([ref.factor, national.loc[2013:]]), **kw)
    np.testing.assert_allclose(a.centre, b.centre, atol=1e-9)
    assert np.all(np.abs(raw.centre - b.centre) > 1e-3)  # without the splice the region moves
