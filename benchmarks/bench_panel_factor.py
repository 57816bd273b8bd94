"""Rolling-origin scores of the common-factor model (:mod:`xiangxi_econ.probability.factor`) on the city panel.

Run from the project root: ``python benchmarks/bench_panel_factor.py``. Needs
``../shared/data/prefecture_gdp_panel_1990_2018.csv`` (not shipped); prints, asserts nothing.

Protocol (fixed before looking at any score): every origin o with o + h <= 2018 at which both the
model and the baseline can be fitted from data <= o (h = 1..5); peers = every city of the panel up
to the origin; each forecast uses only values of years <= o, and each estimated number only past
vintages with outcomes <= o. Scored: every city with a screened level in o and o + h. Outcomes are
log levels as published (census revisions inside a window stay in the outcome).

Printed per horizon group (h = 5, h = 1..4), for the model and the baseline (random walk whose drift
is the cross-sectional median of the last five years' growth, with the empirical quantiles of that
rule's own past errors): coverage of the central 50% and 90% intervals, median width q95/q05 (ratio
of levels), mean pinball loss over quantiles 0.05, 0.25, 0.5, 0.75, 0.95 on log levels, and the
ratio of the pinball losses. Also by origin period, and the model's chosen factor windows.

Single region (issue 21): on the same forecasts from origins 2008-2017, each city forecast alone by
``xe.forecast(city, series_class="gdp")`` and by the default ``xe.forecast(city)`` (its series named
``gdp`` in 亿元, nothing else: no panel, no real growth, the census break years by default), which
read the shipped vintage <= the origin of ``reference_gdp.json``; printed: coverage, width, pinball,
and its ratio to the panel path's pinball (target <= 1.05; coverage 50% in 0.40-0.70, 90% in
0.85-0.95).

The model is given the panel's real growth (``gdp_real_growth_pct`` as ln(1 + pct/100)): break
years' steps are bridged by real growth plus the common deflator, and the real-plus-deflator centres
join the candidates (see :mod:`xiangxi_econ.probability.factor`).

Panel-specific break year: in this panel the first economic census's level revision shows in the
2005 step (80 cities' implied deflator, nominal minus real growth, is more than 0.1 from the year's
median in 2005; at most 31 in any other year 1996-2018), so 2005 is added to the census years
2004, 2008, 2013, 2018 whose annual changes are not used as history.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xiangxi_econ.probability.factor import (  # noqa: E402
    CENSUS_BREAK_YEARS,
    DEFAULT_QUANTILES,
    FactorModelError,
    fit_factor_model,
    pinball_loss,
    random_walk_median_quantiles,
    screen_levels,
    to_wide,
)

PANEL_PATH = ROOT.parent / "shared" / "data" / "prefecture_gdp_panel_1990_2018.csv"
LAST_OUTCOME_YEAR = 2018
HORIZONS = (1, 2, 3, 4, 5)
BREAK_YEARS = tuple(sorted(set(CENSUS_BREAK_YEARS) | {2005}))
PROBS = DEFAULT_QUANTILES


def read_panel(path: Path = PANEL_PATH) -> pd.DataFrame:
    """Cities x years of nominal GDP [100 million CNY, current prices]."""
    raw = pd.read_csv(path, dtype={"city_code": str})
    return to_wide(raw.rename(columns={"city_code": "region", "gdp_100m_cny": "value"}))


def read_real_growth(path: Path = PANEL_PATH) -> pd.DataFrame:
    """Cities x years of real GDP log growth, ln(1 + pct/100) [log points per year, comparable prices]."""
    raw = pd.read_csv(path, dtype={"city_code": str})
    pct = raw.pivot_table(index="city_code", columns="year", values="gdp_real_growth_pct", aggfunc="first")
    pct.columns = pd.Index([int(c) for c in pct.columns])
    return np.log1p(pct / 100.0)


def score_rows(wide: pd.DataFrame, real: pd.DataFrame | None = None, **model_options: Any) -> pd.DataFrame:
    """One row per (origin, horizon, city) with the model's and the baseline's log quantiles and the outcome."""
    screened = screen_levels(wide)
    logs = np.log(screened)
    rows = []
    for o in range(int(wide.columns.min()), LAST_OUTCOME_YEAR):
        try:
            model = fit_factor_model(wide, o, real_growth=real, **{"break_years": BREAK_YEARS, **model_options})
            base = random_walk_median_quantiles(wide, o, HORIZONS, PROBS)
        except FactorModelError:
            continue
        hist = wide.loc[logs[o].notna(), wide.columns <= o]
        hs = [h for h in HORIZONS if o + h <= LAST_OUTCOME_YEAR]
        q = model.quantiles(hist, hs, PROBS, log=True)
        for hj, h in enumerate(hs):
            y = logs.loc[hist.index, o + h].to_numpy()
            ok = np.isfinite(y) & np.isfinite(base.reindex(hist.index)[(h, PROBS[0])].to_numpy())
            bq = base.reindex(hist.index)[h].to_numpy()
            rows.append(pd.DataFrame({
                "origin": o, "h": h, "city": hist.index[ok], "y": y[ok],
                **{f"m{p}": q[ok, hj, k] for k, p in enumerate(PROBS)},
                **{f"b{p}": bq[ok, k] for k, p in enumerate(PROBS)},
                "L": model.factor_window[h - 1],
                "rule": model.centre_rule[h - 1][:4],
            }))
    return pd.concat(rows, ignore_index=True)


def summarise(df: pd.DataFrame) -> dict[str, float]:
    y = df["y"].to_numpy()
    out: dict[str, float] = {"n": float(len(df)), "origins": float(df["origin"].nunique())}
    for tag in ("m", "b"):
        q = df[[f"{tag}{p}" for p in PROBS]].to_numpy()
        out[f"{tag}_cov50"] = float(np.mean((y >= q[:, 1]) & (y <= q[:, 3])))
        out[f"{tag}_cov90"] = float(np.mean((y >= q[:, 0]) & (y <= q[:, 4])))
        out[f"{tag}_width"] = float(np.median(np.exp(q[:, 4] - q[:, 0])))
        out[f"{tag}_pinball"] = float(pinball_loss(y, q, PROBS).mean())
    out["ratio"] = out["m_pinball"] / out["b_pinball"]
    return out


def print_table(title: str, groups: dict[str, pd.DataFrame]) -> None:
    print(f"\n== {title}")
    print(f"{'group':<16}{'n':>6}{'orig':>5} | {'model cov50':>11}{'cov90':>7}{'q95/q05':>8}{'pinball':>9} | "
          f"{'base cov50':>10}{'cov90':>7}{'q95/q05':>8}{'pinball':>9} | {'ratio':>6}")
    for name, df in groups.items():
        if df.empty:
            continue
        s = summarise(df)
        print(f"{name:<16}{int(s['n']):>6}{int(s['origins']):>5} | {s['m_cov50']:>11.3f}{s['m_cov90']:>7.3f}"
              f"{s['m_width']:>8.2f}{s['m_pinball']:>9.4f} | {s['b_cov50']:>10.3f}{s['b_cov90']:>7.3f}"
              f"{s['b_width']:>8.2f}{s['b_pinball']:>9.4f} | {s['ratio']:>6.3f}")


SINGLE_ORIGINS = tuple(range(2008, LAST_OUTCOME_YEAR))


def single_region_rows(wide: pd.DataFrame, panel_rows: pd.DataFrame, series_class: str | None) -> pd.DataFrame:
    """The same (origin, h, city) forecasts through ``xe.forecast`` on one city at a time (no panel):
    the shipped vintage of ``reference_gdp.json`` (<= the origin), the city's own series named ``gdp`` in
    亿元 with no other information (default census break years). ``series_class=None``: the class is
    inferred (the default path). Returns the panel rows with the single-region quantiles in ``s<p>``."""
    import xiangxi_econ as xe

    out = []
    for o in SINGLE_ORIGINS:
        sub = panel_rows[panel_rows.origin == o]
        hmax = int(sub.h.max())
        for city, rows in sub.groupby("city"):
            s = wide.loc[city, wide.columns <= o].dropna().rename("gdp")
            s.attrs["unit"] = "亿元"
            try:
                fc = xe.forecast(s, o + hmax, as_of_year=o, series_class=series_class, n_draws=1)
            except ValueError:
                continue
            pq = np.log(fc.path_quantiles(PROBS))
            q = pq.reindex([o + int(h) for h in rows.h]).to_numpy()
            r = rows.copy()
            for k, p in enumerate(PROBS):
                r[f"s{p}"] = q[:, k]
            out.append(r)
    return pd.concat(out, ignore_index=True)


def print_single(title: str, df: pd.DataFrame) -> None:
    """Single-region quantiles (``s``) against the panel path (``m``) on the same forecasts."""
    print(f"\n== {title}: one city at a time vs the panel path, origins {SINGLE_ORIGINS[0]}+, outcomes <= 2018")
    print(f"{'group':<8}{'n':>6} | {'single cov50':>12}{'cov90':>7}{'q95/q05':>8}{'pinball':>9} | "
          f"{'panel pinball':>13} | {'ratio':>6} | {'base pinball':>12}")
    for name, g in {"h=5": df[df.h == 5], "h=1..4": df[df.h < 5], "all": df}.items():
        y = g["y"].to_numpy()
        q = g[[f"s{p}" for p in PROBS]].to_numpy()
        m = g[[f"m{p}" for p in PROBS]].to_numpy()
        b = g[[f"b{p}" for p in PROBS]].to_numpy()
        ps, pm, pb = (float(pinball_loss(y, x, PROBS).mean()) for x in (q, m, b))
        print(f"{name:<8}{len(g):>6} | {np.mean((y >= q[:, 1]) & (y <= q[:, 3])):>12.3f}"
              f"{np.mean((y >= q[:, 0]) & (y <= q[:, 4])):>7.3f}{np.median(np.exp(q[:, 4] - q[:, 0])):>8.2f}"
              f"{ps:>9.4f} | {pm:>13.4f} | {ps / pm:>6.3f} | {pb:>12.4f}")


def main() -> int:
    if not PANEL_PATH.exists():
        print("panel not found: ../shared/data/prefecture_gdp_panel_1990_2018.csv")
        return 1
    wide = read_panel()
    real = read_real_growth()
    t0 = time.perf_counter()
    df = score_rows(wide, real)
    dt = time.perf_counter() - t0
    print(f"{len(df)} forecasts from origins {df['origin'].min()}-{df['origin'].max()} in {dt:.1f} s "
          f"(break years {BREAK_YEARS})")
    print_table("all scored origins", {"h=5": df[df.h == 5], "h=1..4": df[df.h < 5],
                                       **{f"h={h}": df[df.h == h] for h in (1, 2, 3, 4)}})
    print_table("origins 2008 onward", {"h=5": df[(df.h == 5) & (df.origin >= 2008)],
                                        "h=1..4": df[(df.h < 5) & (df.origin >= 2008)]})
    t0 = time.perf_counter()
    recent = df[df.origin >= SINGLE_ORIGINS[0]]
    print_single('xe.forecast(city, series_class="gdp")', single_region_rows(wide, recent, "gdp"))
    print_single("xe.forecast(city) (class inferred)", single_region_rows(wide, recent, None))
    print(f"(single-region paths in {time.perf_counter() - t0:.1f} s)")
    for h in HORIZONS:
        sub = df[df.h == h]
        per = pd.DataFrame({o: summarise(g) for o, g in sub.groupby("origin")}).T
        print(f"\nh={h} by origin (chosen centre rule and L):")
        print(pd.concat([per[["n", "m_cov50", "m_cov90", "m_width", "m_pinball", "b_pinball", "ratio"]],
                         sub.groupby("origin")[["rule", "L"]].first()], axis=1).round(3).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
