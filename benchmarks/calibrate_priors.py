"""Calibrate the forecaster's priors on rolling-origin vintages of Chinese prefecture nominal GDP.

Run from the project root::

    python benchmarks/calibrate_priors.py            # writes xiangxi_econ/data/forecast_priors.json
    python benchmarks/calibrate_priors.py --check    # re-derives and compares, writes nothing

Reads ``../shared/data/prefecture_gdp_panel_1990_2018.csv`` (not shipped). The panel stops at 2018
on purpose: every vintage used here has its outcome in 2018 or earlier, and nothing is tuned on
later years.

Screening (decided here, documented in the JSON):

* missing values are empty cells, never zero; non-positive levels would be dropped (there are none);
* a value whose log change from the previous year exceeds 0.5 in size (a factor of 1.65 up or 0.61
  down, more than ten robust standard deviations of any year since 1997) is a unit slip or a
  boundary change: the value is set to missing, which removes every window that spans it;
* economic-census revisions (2004, 2008, 2013, 2018) are NOT screened beyond that rule. Their level
  jumps are part of what a forecast of published figures faces — the withheld outcomes will contain
  the 2019 revision of the 4th census — so removing them would make the intervals too narrow. The
  script prints how many census-year steps lie more than 0.25 from the year's median and are kept.

Vintages: origin o, past window of k = 5 years (o-5..o), outcome the average log growth o..o+h for
h = 1..5, origins 2000..2018-h. The 1990s are left out (most unit slips and boundary changes, and a
different inflation regime); the first past window starts in 1995.

Estimated (see :mod:`xiangxi_econ.probability.forecasting` for the equations): per horizon the within-vintage
slope beta_h, the common drift delta_h and its standard error, the common-shock variance (variance
across vintages of the change in the cross-sectional mean growth), the idiosyncratic variances with
and without peers; then v_a/h + v_p + v_t*h fitted to each variance by non-negative least squares;
the reliability of a 5-year average among cities; for shares the damping of the pp pace, from the
secondary and tertiary shares of the same panel.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xiangxi_econ.probability.priors import ForecastPriors, reliability_from_panel, variance_h  # noqa: E402

PANEL_NAME = "prefecture_gdp_panel_1990_2018.csv"
PANEL_PATH = ROOT.parent / "shared" / "data" / PANEL_NAME
OUT_PATH = ROOT / "xiangxi_econ" / "data" / "forecast_priors.json"
#: Earlier vintages of the priors, for forecasts made before 2018: each uses only outcomes up to its
#: year, so a backtest "as of 2015" never sees what happened after 2015.
VINTAGE_OUTCOME_YEARS = (2015,)


def vintage_path(last_outcome_year: int) -> Path:
    """Where the priors estimated on outcomes up to ``last_outcome_year`` are written."""
    return OUT_PATH.with_name(f"forecast_priors_{last_outcome_year}.json")
SCRIPT = "benchmarks/calibrate_priors.py"

WINDOW_YEARS = 5
HORIZONS = (1, 2, 3, 4, 5)
FIRST_ORIGIN_YEAR = 2000
LAST_OUTCOME_YEAR = 2018
MAX_ABS_LOG_STEP = 0.5
CENSUS_YEARS = (2004, 2008, 2013, 2018)
MAX_ABS_PP_STEP = 10.0
DRIFT_IN_CENTRE = False
"""Whether the estimated common drift moves the centre. It does not: it rests on about three
independent vintages (h=5), is within one standard error of zero on the full sample and changed sign
between 2000-2008 (+0.036) and 2009-2013 origins; the common growth rate is treated as a random walk
and the drift's uncertainty stays in the spread (``drift_se``)."""
VOLATILITY_SLOW_PP = 0.3
"""Class default annual step sd of slow indicators (life expectancy, schooling years, forest cover,
urbanisation) [pp per year]: an assumption, about a third of the sector-share median."""
VOLATILITY_FAST_PP = 3.0
"""Class default annual step sd of noisy shares (good-air days) [pp per year]: an assumption."""


def read_panel(path: Path = PANEL_PATH) -> pd.DataFrame:
    """The panel as a long ``region, year, value`` frame of GDP [100 million CNY, current prices]
    plus the two sector shares [percent]."""
    raw = pd.read_csv(path, dtype={"city_code": str})
    return raw.rename(columns={"city_code": "region", "gdp_100m_cny": "value"})[
        ["region", "year", "value", "secondary_share_pct", "tertiary_share_pct"]]


def screen_panel(panel: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Drop unit slips and boundary jumps (|annual log change| > 0.5): the value after the jump
    becomes missing. Returns the screened long frame (``region, year, value``) and a report."""
    wide = panel.pivot(index="region", columns="year", values="value").astype(float)
    wide = wide.where(wide > 0)
    logs = np.log(wide)
    step = logs.diff(axis=1)
    bad = step.abs() > MAX_ABS_LOG_STEP
    dev = step.sub(step.median(axis=0), axis=1).abs()
    census = {int(y): int((dev[y] > 0.25).sum()) for y in CENSUS_YEARS if y in dev.columns}
    screened = wide.mask(bad)
    long = screened.stack().rename("value").reset_index()
    report = {
        "rule": f"value set missing when |log change from previous year| > {MAX_ABS_LOG_STEP}; "
                "census-revision years kept (their jumps are part of forecast error)",
        "values_dropped": int(bad.sum().sum()),
        "values_dropped_from_2000": int(bad.loc[:, bad.columns >= 2000].sum().sum()),
        "census_year_steps_over_0.25_from_median_kept": census,
        "values_missing_in_source": int(wide.isna().sum().sum()),
    }
    return long, report


def vintages(wide_log: pd.DataFrame, horizon: int, window: int, origins: list[int]) -> pd.DataFrame:
    """Rows ``origin_year, region, g_past, g_fut`` [log points per year] for regions with values in
    every year origin-window..origin+horizon."""
    rows = []
    for o in origins:
        block = wide_log.loc[:, o - window:o + horizon].dropna()
        g_past = (block[o] - block[o - window]) / window
        g_fut = (block[o + horizon] - block[o]) / horizon
        rows.append(pd.DataFrame({"origin_year": o, "region": block.index, "g_past": g_past.to_numpy(),
                                  "g_fut": g_fut.to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def _horizon_stats(v: pd.DataFrame, horizon: int) -> dict:
    grp = v.groupby("origin_year")
    x = v.g_past - grp.g_past.transform("mean")
    y = v.g_fut - grp.g_fut.transform("mean")
    beta = float((x * y).sum() / (x * x).sum())
    n, n_v = len(v), v.origin_year.nunique()
    resid = y - beta * x
    var_peers = float((resid**2).sum() / (n - n_v - 1))
    change = v.g_fut - v.g_past
    change_dm = change - grp.g_fut.transform("mean") + grp.g_past.transform("mean")
    var_alone = float((change_dm**2).sum() / (n - n_v))
    common = grp.g_fut.mean() - grp.g_past.mean()
    n_eff = max(n_v / horizon, 1.0)
    return {"beta": beta, "drift": float(common.mean()), "var_common": float(common.var(ddof=1)),
            "drift_se": float(common.std(ddof=1) / np.sqrt(n_eff)), "var_idio_peers": var_peers,
            "var_idio_alone": var_alone, "n_vintages": int(n_v), "n_rows": int(n),
            "origins": [int(o) for o in sorted(v.origin_year.unique())]}


def fit_variance(h: np.ndarray, var: np.ndarray) -> list[float]:
    """Non-negative least squares fit of ``var(h) = v_a/h + v_p + v_t h``."""
    from scipy.optimize import nnls

    design = np.column_stack([1.0 / h, np.ones_like(h), h])
    coefs, _ = nnls(design, var)
    return [float(c) for c in coefs]


def share_damping(panel: pd.DataFrame, origins: list[int], window: int, horizon: int) -> dict:
    """Pooled slope through the origin of the future average pp change on the past one (secondary
    and tertiary shares; vintages with an annual step over 10 pp dropped) and the median spread of
    annual pp steps [pp per year]."""
    num, den, sds = 0.0, 0.0, []
    for column in ("secondary_share_pct", "tertiary_share_pct"):
        wide = panel.pivot(index="region", columns="year", values=column).astype(float)
        wide = wide.mask(wide.diff(axis=1).abs() > MAX_ABS_PP_STEP)
        for o in origins:
            block = wide.loc[:, o - window:o + horizon].dropna()
            past = (block[o] - block[o - window]) / window
            fut = (block[o + horizon] - block[o]) / horizon
            num += float((past * fut).sum())
            den += float((past * past).sum())
            sds.append(block.loc[:, o - window:o].diff(axis=1).std(axis=1, ddof=1).to_numpy())
    return {"damping": num / den, "median_step_sd_pp": float(np.nanmedian(np.concatenate(sds)))}


def estimate_priors(panel: pd.DataFrame, last_outcome_year: int = LAST_OUTCOME_YEAR,
                    first_origin_year: int = FIRST_ORIGIN_YEAR, window: int = WINDOW_YEARS,
                    drift_in_centre: bool = DRIFT_IN_CENTRE) -> dict:
    """All the numbers of ``forecast_priors.json`` from the panel (long frame of :func:`read_panel`),
    using only vintages whose outcomes fall in ``last_outcome_year`` or earlier."""
    long, report = screen_panel(panel)
    wide_log = np.log(long.pivot(index="region", columns="year", values="value"))
    per_h = {}
    for h in HORIZONS:
        origins = list(range(first_origin_year, last_outcome_year - h + 1))
        per_h[h] = _horizon_stats(vintages(wide_log, h, window, origins), h)
    hs = np.asarray(HORIZONS, dtype=float)
    ref_origins = per_h[max(HORIZONS)]["origins"]
    rel = [reliability_from_panel(wide_log.loc[:, o - window:o].dropna().to_numpy())[0] for o in ref_origins]
    share = share_damping(panel, ref_origins, window, max(HORIZONS))
    level = {
        "beta": [per_h[h]["beta"] for h in HORIZONS],
        "reliability_ref": float(np.median(rel)),
        "drift": [per_h[h]["drift"] for h in HORIZONS],
        "drift_se": [per_h[h]["drift_se"] for h in HORIZONS],
        "drift_in_centre": drift_in_centre,
    }
    for key in ("var_common", "var_idio_peers", "var_idio_alone"):
        raw = np.asarray([per_h[h][key] for h in HORIZONS])
        level[key] = dict(zip(("annual", "persistent", "trend"), fit_variance(hs, raw), strict=True))
        level[key + "_by_horizon"] = [float(v) for v in raw]
    return {
        "window_years": window,
        "horizons": list(HORIZONS),
        "level": level,
        "share": {"damping": {"slow": 1.0, "medium": share["damping"], "fast": share["damping"]},
                  "volatility_pp": {"slow": VOLATILITY_SLOW_PP, "medium": share["median_step_sd_pp"],
                                    "fast": VOLATILITY_FAST_PP}},
        "provenance": {
            "script": SCRIPT,
            "panel": PANEL_NAME,
            "panel_sha256": hashlib.sha256(PANEL_PATH.read_bytes()).hexdigest() if PANEL_PATH.exists() else "",
            "series": "gdp_100m_cny (nominal GDP, current prices) of prefecture-level cities",
            "origins": f"{first_origin_year}-{last_outcome_year - 1} (outcome year origin+h <= {last_outcome_year})",
            "last_outcome_year": last_outcome_year,
            "vintages_per_horizon": {str(h): {"n_vintages": per_h[h]["n_vintages"], "n_rows": per_h[h]["n_rows"]}
                                     for h in HORIZONS},
            "screening": report,
            "share_source": "medium and fast damping and the medium step sd from secondary_share_pct and "
                            "tertiary_share_pct (same origins as h=5, steps over 10 pp dropped); slow damping 1 "
                            "and the slow and fast step sd are assumptions",
        },
    }


def to_json(priors: dict) -> str:
    """Deterministic text: sorted keys, no dates."""
    return json.dumps(priors, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def describe(priors: dict) -> str:
    """What was estimated, as printed by the script."""
    lv = priors["level"]
    fp = ForecastPriors.from_dict(priors)
    lines = [f"Priors from {priors['provenance']['panel']}, origins {priors['provenance']['origins']}",
             f"screening: {priors['provenance']['screening']}",
             " h  beta   drift    se(drift)  sd_common  sd_idio_peers  sd_idio_alone  sd_total_alone"]
    for i, h in enumerate(priors["horizons"]):
        vc, vp, va = (lv[k + "_by_horizon"][i] for k in ("var_common", "var_idio_peers", "var_idio_alone"))
        tot = np.sqrt(variance_h(fp.var_common, h) + variance_h(fp.var_idio_alone, h) + fp.drift_se[i] ** 2)
        lines.append(f"{h:2d} {lv['beta'][i]:6.3f} {lv['drift'][i]:8.4f} {lv['drift_se'][i]:9.4f}"
                     f" {np.sqrt(vc):10.4f} {np.sqrt(vp):14.4f} {np.sqrt(va):14.4f} {tot:14.4f}")
    for key in ("var_common", "var_idio_peers", "var_idio_alone"):
        c = lv[key]
        lines.append(f"{key}: v_a={c['annual']:.3g} v_p={c['persistent']:.3g} v_t={c['trend']:.3g}")
    lines.append(f"reliability of a {priors['window_years']}-year average among cities: {lv['reliability_ref']:.3f}")
    sh = priors["share"]
    lines.append(f"shares: damping {sh['damping']}; annual step sd {sh['volatility_pp']} [pp per year]")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = parser.parse_args(argv)
    if not PANEL_PATH.exists():
        print(f"panel not found: ../shared/data/{PANEL_NAME}")
        return 1
    panel = read_panel()
    outputs = [(OUT_PATH, estimate_priors(panel))]
    outputs += [(vintage_path(y), estimate_priors(panel, last_outcome_year=y)) for y in VINTAGE_OUTCOME_YEARS]
    status = 0
    for path, priors in outputs:
        print(describe(priors))
        text = to_json(priors)
        if args.check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            print(f"{path.name}: " + ("committed file is up to date" if same else "committed file differs"))
            status |= 0 if same else 1
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
