"""Build ``xiangxi_econ/data/reference_gdp.json``: the GDP reference class by vintage.

Run from the project root: ``python data/build_reference_gdp.py``. Reads the prefecture city panel
``../shared/data/prefecture_gdp_panel_1990_2018.csv`` (nominal GDP and real growth of 300 cities,
1990-2018; not shipped) and fits the common-factor model of :mod:`xiangxi_econ.probability.factor` as of every
vintage v = 2008..2018, each on panel years <= v only, with the settings of
``benchmarks/bench_panel_factor.py`` (break years 2004, 2005, 2008, 2013, 2018 bridged by real
growth, normal common shock, M = 41 residual quantiles at the midpoint levels (k + 1/2)/41: enough
for the 5%..95% quantiles the engine reads, a 2.5x smaller file than 100). The output is
deterministic: sorted keys, floats rounded to 6 significant digits, no timestamps.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xiangxi_econ.probability.factor import (  # noqa: E402
    FactorModelError,
    fit_factor_model,
    growth_levels,
    reference_record,
)

PANEL_PATH = ROOT.parent / "shared" / "data" / "prefecture_gdp_panel_1990_2018.csv"
OUT_PATH = ROOT / "xiangxi_econ" / "data" / "reference_gdp.json"
VINTAGES = tuple(range(2008, 2019))
GROWTH_VINTAGES = tuple(range(1995, 2019))
"""Vintages tried for the real-growth model (the panel's real growth starts in 1995)."""
BREAK_YEARS = (2004, 2005, 2008, 2013, 2018)
GRID_SIZE = 41
SIG_DIGITS = 6


def round_sig(obj: Any, digits: int = SIG_DIGITS) -> Any:
    """Every float in a nested structure rounded to ``digits`` significant digits (ints, str, None kept)."""
    if isinstance(obj, float):
        return float(f"{obj:.{digits}g}") if np.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: round_sig(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [round_sig(v, digits) for v in obj]
    return obj


def build_reference(wide: pd.DataFrame, real: pd.DataFrame | None, vintages: Sequence[int] = VINTAGES,
                    break_years: Sequence[int] = BREAK_YEARS, grid_size: int = GRID_SIZE,
                    **options: Any) -> dict[str, Any]:
    """Pure: the vintage records of the model fitted on ``wide`` (regions x years of levels) and
    ``real`` (regions x years of real log growth) as of each vintage that can be fitted."""
    out: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    for v in vintages:
        try:
            model = fit_factor_model(wide, int(v), real_growth=real, break_years=break_years,
                                     grid_size=grid_size, **options)
        except FactorModelError as exc:
            skipped[str(v)] = str(exc)
            continue
        out[str(v)] = round_sig(reference_record(model))
    return {"vintages": out, "skipped": skipped}


def build_growth_reference(real_pct: pd.DataFrame, vintages: Sequence[int] = GROWTH_VINTAGES,
                           grid_size: int = GRID_SIZE, max_horizon: int = 5, **options: Any) -> dict[str, Any]:
    """Pure: the vintage records of the factor model on the real level index of ``real_pct`` (regions x
    years of annual real growth [%], :func:`growth_levels`), each vintage with the longest horizons
    1..H (H <= ``max_horizon``) that have enough past vintages with outcomes <= it."""
    levels = growth_levels(real_pct)
    out: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    for v in vintages:
        for H in range(max_horizon, 0, -1):
            try:
                model = fit_factor_model(levels, int(v), horizons=range(1, H + 1), break_years=(),
                                         grid_size=grid_size, **options)
            except FactorModelError as exc:
                skipped[str(v)] = str(exc)
                continue
            out[str(v)] = round_sig(reference_record(model))
            skipped.pop(str(v), None)
            break
    return {"growth_vintages": out, "growth_skipped": skipped}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def main() -> int:
    if not PANEL_PATH.exists():
        print(f"build_reference_gdp: the city panel is missing: expected {PANEL_PATH.relative_to(ROOT.parent)} "
              "beside the project (../shared/data/prefecture_gdp_panel_1990_2018.csv); nothing written",
              file=sys.stderr)
        return 1
    import benchmarks.bench_panel_factor as bench

    wide = bench.read_panel(PANEL_PATH)
    real = bench.read_real_growth(PANEL_PATH)
    data = build_reference(wide, real)
    raw = pd.read_csv(PANEL_PATH, dtype={"city_code": str})
    real_pct = raw.pivot_table(index="city_code", columns="year", values="gdp_real_growth_pct", aggfunc="first")
    data.update(build_growth_reference(real_pct))
    first_growth = min(int(k) for k in data["growth_vintages"])
    df = bench.score_rows(wide, real)
    groups = {"all_origins_h5": df[df.h == 5], "all_origins_h1_4": df[df.h < 5],
              "origins_2008_h5": df[(df.h == 5) & (df.origin >= 2008)],
              "origins_2008_h1_4": df[(df.h < 5) & (df.origin >= 2008)]}
    first = min(int(k) for k in data["vintages"])
    data.update({
        "description": (
            "GDP reference class for the common-factor model (probability.factor): per vintage v, the model "
            "fitted as of v on the annual nominal GDP (100 million CNY, current prices) of 300 Chinese "
            "prefecture-level cities 1990-2018 (China City Statistical Yearbooks, compiled in a public research "
            "teaching panel), using panel years <= v only. Screening: a log step beyond 0.5 is a unit slip "
            "(missing); the changes into the break years 2004, 2008, 2013, 2018 (economic censuses) and 2005 "
            "(80 cities' implied deflator off the median by more than 0.1) are bridged by the city's real growth "
            "plus the common deflator. Growth in log points per year; resid grids at levels (k + 1/2)/M, "
            "M = 41; common_dof null = normal common shock."),
        "build_command": "python data/build_reference_gdp.py",
        "panel": "prefecture_gdp_panel_1990_2018.csv (300 cities, 1990-2018)",
        "first_vintage_reason": (
            f"the first vintage is {first}: the parameters of a vintage use only outcomes up to it, the panel "
            "stops in 2018, and vintages before 2008 would rest on the 1990s, whose city-growth dispersion was "
            "three times today's"),
        "first_growth_vintage_reason": (
            f"the first vintage of real GDP growth is {first_growth}: the panel's real growth starts in 1995, and a "
            "vintage needs at least 3 past one-year vintages whose outcomes fall in it, with the recent common "
            "growth known before each"),
        "growth_description": (
            "growth_vintages: the same model on the real level index of the cities' annual real GDP growth "
            "(gdp_real_growth_pct, comparable prices; index = exp(cumulative ln(1 + pct/100))), no break years "
            "(real growth at comparable prices is not moved by a census level revision); each vintage with the "
            "longest horizons 1..H <= 5 that have 3 past vintages; growth in log points per year."),
        "grid_levels": "midpoints (k + 1/2) / 41, k = 0..40",
        "benchmark": {
            "script": "python benchmarks/bench_panel_factor.py",
            "protocol": "rolling origins with outcomes <= 2018, peers = all cities up to the origin, M = 100 "
                        "residual quantiles; "
                        "pinball over quantiles 0.05, 0.25, 0.5, 0.75, 0.95 on log levels",
            **{k: round_sig({key: val for key, val in bench.summarise(g).items()}) for k, g in groups.items()},
        },
    })
    OUT_PATH.write_text(dumps(data), encoding="utf-8")
    print(f"wrote {OUT_PATH.relative_to(ROOT)}: vintages {sorted(data['vintages'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
