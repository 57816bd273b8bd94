"""Build the trending-share reference class (prefecture urbanisation, 2010 and 2020 censuses).

Run from the project root::

    python data/build_reference_shares.py

It reads ``data/reference_shares_sources.csv`` (resident and urban population of China's
prefecture-level units in the 2010 and 2020 population censuses, an extract of a public compilation,
see :data:`UPSTREAM`) and writes, deterministically and in UTF-8,
``xiangxi_econ/data/reference_shares.json``, which :mod:`xiangxi_econ.probability.reference_shares` loads.
Running it twice gives the same bytes. ``--extract-from PATH`` first re-creates the extract from the
upstream file ``data/census/census_city_2010-2020_v1.csv`` of that compilation (the extract keeps 7
of its 23 columns, so it stays small and needs no boundary polygons).

Model: the urban-rural growth difference (URGD) of the United Nations method
-----------------------------------------------------------------------------
With the urban share :math:`u` in percent, the UN method (United Nations 1974, Manual VIII; United
Nations 1980; National Research Council 2003, appendix D) works on the logit
:math:`x = \\ln(u / (100 - u))`, which equals the log of the urban/rural ratio, so its change per year
is the URGD :math:`r = d x / d t` [per year]. A constant URGD moves :math:`x` linearly in time: the
share follows a logistic curve and its pace in percentage points slows as it nears 100.

For every prefecture :math:`i` the build measures the decade URGD

.. math:: r_i = \\frac{x_{i,2020} - x_{i,2010}}{10}

and fits, by ordinary least squares, the class norm (the UN's "hypothetical URGD", a linear function of
the level of urbanisation):

.. math:: r_i = a + b\\,u_{i,2010} + e_i, \\qquad s = \\sqrt{\\textstyle\\sum e_i^2 / (n - 2)}.

:math:`s` [per year] is the spread of a prefecture's own decade URGD around the norm for its level.
A forecast that continues the norm for :math:`h` years misses the logit by :math:`h\\,e_i`, so its
sd is :math:`h s` (the URGD method's linearity in time: a 5-year error is half a 10-year one). Only one
decade per prefecture is available, so the persistence of a prefecture's own deviation from the norm
cannot be measured here; the loader combines the two with the UN's convergence assumption (see
:func:`xiangxi_econ.probability.reference_shares.trending_share_forecast`), and the spread stays that of a
forecaster who knew only the level (conservative for a region whose own pace is well measured).

The build also records, as a cross-check, the root mean square 10-year error in percentage points of
the norm-only forecast across the prefectures, and, as a diagnostic, the OLS fit of the pace in pp
per year on the 2010 level (the "pace ~ a + b level" form).

Screening (each excluded prefecture is counted under its reason in the output):

- ``not_prefecture_level``: ``city_code`` not ending in ``00`` (county-level units directly under a
  province, e.g. Hainan's counties, Hubei's 仙桃, Xinjiang's corps cities);
- ``missing_count``: a population or urban population absent in either census;
- ``parts_do_not_sum``: urban + rural differs from the total by more than 0.5% in a census (the
  compilers adjusted the 2010 total to 2020 boundaries but not its urban/rural split, e.g. 资阳);
- ``share_at_bound``: a share at or beyond 0.5% or 99.5% (the logit is unbounded there; 深圳 is 100%).

References
----------
United Nations (1974), *Manual VIII: Methods for Projections of Urban and Rural Population*,
Population Studies 55, New York. United Nations (1980), *Patterns of Urban and Rural Population Growth*,
Population Studies 68, New York. National Research Council (2003), *Cities Transformed: Demographic
Change and Its Implications in the Developing World*, Washington DC: National Academies Press,
appendix D "United Nations estimates and projections". Bocquier, P. (2005), "World Urbanization
Prospects: an alternative to the UN model of projection compatible with the mobility transition
theory", *Demographic Research* 12(9), 197-236, doi:10.4054/DemRes.2005.12.9. Dong, L., Du, R. and
Liu, Y. (2022), "Mapping evolving population geography in China", working paper, SSRN 4049338 (the
census compilation).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EXTRACT_CSV = ROOT / "data" / "reference_shares_sources.csv"
OUT_JSON = ROOT / "xiangxi_econ" / "data" / "reference_shares.json"
BUILD_COMMAND = "python data/build_reference_shares.py"

#: Where the extract comes from.
UPSTREAM: dict[str, str] = {
    "repository": "leiii/census",
    "path": "data/census/census_city_2010-2020_v1.csv",
    "commit": "6951cc46e58bad3e1f50bc1b73a838aefcd1d437",
    "url": "https://github.com/leiii/census/blob/6951cc46e58bad3e1f50bc1b73a838aefcd1d437/"
           "data/census/census_city_2010-2020_v1.csv",
    "sha256": "cef8ba063a7cda6f6eed99cd71cfa18aeed2ef09bc517a514810df874e99913a",
    "licence": "MIT (Copyright (c) 2022 Lei Dong)",
    "citation": "Dong, L., Du, R. and Liu, Y. (2022), Mapping evolving population geography in China, "
                "SSRN working paper 4049338",
    "what": "resident population and its urban/rural split in the 2010 (6th) and 2020 (7th) population "
            "censuses, 2010 on 2020 boundaries, by prefecture-level city; 2010 from the 6th census "
            "yearbook, 2020 from local census bulletins",
}

#: Columns kept in the extract, in this order.
EXTRACT_COLUMNS = ("city", "city_code", "province", "popu_2010", "popu_urban_2010", "popu_rural_2010",
                   "popu_2020", "popu_urban_2020", "popu_rural_2020")
COUNT_COLUMNS = EXTRACT_COLUMNS[3:]
YEARS = (2010, 2020)
#: Largest relative gap |urban + rural - total| / total accepted in a census.
PARTS_TOLERANCE = 0.005
#: Shares at or beyond these bounds [%] are left out (the logit is unbounded at 0 and 100).
SHARE_BOUNDS = (0.5, 99.5)
HORIZONS = (5, 10)
#: Level at which the spreads are also stated in pp [%] (where u(100 - u) is largest: the widest).
REFERENCE_LEVEL = 50.0


def fail(message: str) -> None:
    """Stop the build with a message (exit status 1)."""
    raise SystemExit(f"build_reference_shares: {message}")


def logit_pct(u: Any) -> np.ndarray:
    """:math:`\\ln(u / (100 - u))` of a share in percent [1]."""
    u = np.asarray(u, dtype=float)
    return np.log(u / (100.0 - u))


def extract(upstream: Path) -> pd.DataFrame:
    """The extract's columns of the upstream city table, sorted by ``city_code``."""
    if not upstream.is_file():
        fail(f"upstream file {upstream} not found (expected {UPSTREAM['path']} of {UPSTREAM['repository']})")
    table = pd.read_csv(upstream, encoding="utf-8-sig", usecols=lambda c: c in EXTRACT_COLUMNS)
    missing = [c for c in EXTRACT_COLUMNS if c not in table.columns]
    if missing:
        fail(f"{upstream}: columns {missing} missing; expected {list(EXTRACT_COLUMNS)}")
    return table.loc[:, list(EXTRACT_COLUMNS)].sort_values("city_code", kind="stable")


def read_extract(path: Path = EXTRACT_CSV) -> pd.DataFrame:
    """The extract, checked: every column present, counts non-negative numbers or empty (a few 2010
    counts carry decimals: the compilers' apportionment across a boundary change), codes unique."""
    if not path.is_file():
        fail(f"input {path} not found: it is the extract of {UPSTREAM['path']} in the public repository "
             f"{UPSTREAM['repository']} ({UPSTREAM['url']}); re-create it with "
             f"'{BUILD_COMMAND} --extract-from <that file>'")
    table = pd.read_csv(path, encoding="utf-8", dtype={"city": str, "province": str})
    missing = [c for c in EXTRACT_COLUMNS if c not in table.columns]
    if missing:
        fail(f"{path}: columns {missing} missing; expected {list(EXTRACT_COLUMNS)}")
    for col in ("city_code", *COUNT_COLUMNS):
        values = pd.to_numeric(table[col], errors="coerce")
        bad = (values.isna() & table[col].notna()) | (values < 0)
        if col == "city_code":
            bad |= values.notna() & (values % 1 != 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            fail(f"{path}, row {i + 2}, column '{col}': {table[col].iloc[i]!r} is not a non-negative number")
        table[col] = values
    if table["city_code"].isna().any():
        i = int(np.flatnonzero(table["city_code"].isna().to_numpy())[0])
        fail(f"{path}, row {i + 2}, column 'city_code': empty")
    dup = table["city_code"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        fail(f"{path}, row {i + 2}, column 'city_code': {int(table['city_code'].iloc[i])} appears twice")
    return table


def screen(table: pd.DataFrame) -> pd.DataFrame:
    """Urban shares [%] in 2010 and 2020 and the reason a row is left out (empty when kept).

    Reasons, first that applies: ``not_prefecture_level``, ``missing_count``, ``parts_do_not_sum``,
    ``share_at_bound`` (see the module docstring).
    """
    out = table.loc[:, ["city", "city_code", "province"]].copy()
    reason = pd.Series("", index=table.index, dtype=object)
    shares = {}
    for year in YEARS:
        total = table[f"popu_{year}"].astype(float)
        urban = table[f"popu_urban_{year}"].astype(float)
        rural = table[f"popu_rural_{year}"].astype(float)
        shares[year] = 100.0 * urban / total
        out[f"u{year}"] = shares[year]
        gap = ((urban + rural - total).abs() / total).to_numpy()
        reason = reason.mask((reason == "") & (np.nan_to_num(gap, nan=0.0) > PARTS_TOLERANCE), "parts_do_not_sum")
    counts_missing = table.loc[:, [f"popu_{y}" for y in YEARS] + [f"popu_urban_{y}" for y in YEARS]].isna().any(axis=1)
    lo, hi = SHARE_BOUNDS
    at_bound = pd.concat([(s <= lo) | (s >= hi) for s in shares.values()], axis=1).any(axis=1)
    # precedence: not prefecture-level, then missing, then parts, then bounds
    reason = reason.mask(counts_missing, "missing_count")
    reason = reason.mask(table["city_code"].astype(int) % 100 != 0, "not_prefecture_level")
    reason = reason.mask((reason == "") & at_bound, "share_at_bound")
    out["exclude_reason"] = reason
    return out


def fit_urgd_norm(u_start: Any, u_end: Any, years: float) -> dict[str, float]:
    """OLS of the decade URGD on the starting level.

    Parameters
    ----------
    u_start, u_end : array_like
        Urban share at the start and the end of the period, strictly between 0 and 100 [%].
    years : float
        Length of the period [years].

    Returns
    -------
    dict
        ``intercept`` :math:`a` [per year], ``slope`` :math:`b` [per year per pp], their standard
        errors ``intercept_se`` and ``slope_se``, ``residual_sd`` :math:`s` [per year] (n - 2 degrees
        of freedom), ``n``, ``mean_urgd`` [per year] and ``r_squared`` [1].

    Notes
    -----
    :math:`r_i = (x_{i,end} - x_{i,start}) / years`, :math:`x = \\ln(u/(100-u))`, fitted as
    :math:`r_i = a + b u_{i,start} + e_i` by least squares (``numpy.linalg.lstsq``).
    """
    u0 = np.asarray(u_start, dtype=float)
    u1 = np.asarray(u_end, dtype=float)
    if u0.shape != u1.shape or u0.ndim != 1 or u0.size < 3:
        raise ValueError("u_start and u_end: need two 1-d arrays of the same length >= 3, "
                         f"got {u0.shape} and {u1.shape}")
    for name, u in (("u_start", u0), ("u_end", u1)):
        if not np.all((u > 0) & (u < 100)):
            raise ValueError(f"{name}: every share must lie strictly between 0 and 100 [%]")
    if not years > 0:
        raise ValueError(f"years: expected a positive period length, got {years!r}")
    r = (logit_pct(u1) - logit_pct(u0)) / years
    design = np.column_stack([np.ones_like(u0), u0])
    coef, *_ = np.linalg.lstsq(design, r, rcond=None)
    resid = r - design @ coef
    n = u0.size
    sigma2 = float(resid @ resid) / (n - 2)
    cov = sigma2 * np.linalg.inv(design.T @ design)
    return {
        "intercept": float(coef[0]),
        "slope": float(coef[1]),
        "intercept_se": float(np.sqrt(cov[0, 0])),
        "slope_se": float(np.sqrt(cov[1, 1])),
        "residual_sd": float(np.sqrt(sigma2)),
        "n": int(n),
        "mean_urgd": float(r.mean()),
        "r_squared": float(1.0 - (resid @ resid) / ((r - r.mean()) @ (r - r.mean()))),
    }


def fit_pace_pp(u_start: Any, u_end: Any, years: float) -> dict[str, float]:
    """Diagnostic OLS of the pace [pp per year] on the starting level [%]: ``intercept`` [pp per year],
    ``slope`` [pp per year per pp], ``residual_sd`` [pp per year] (n - 2 degrees of freedom)."""
    u0 = np.asarray(u_start, dtype=float)
    pace = (np.asarray(u_end, dtype=float) - u0) / years
    design = np.column_stack([np.ones_like(u0), u0])
    coef, *_ = np.linalg.lstsq(design, pace, rcond=None)
    resid = pace - design @ coef
    return {"intercept": float(coef[0]), "slope": float(coef[1]),
            "residual_sd": float(np.sqrt(resid @ resid / (u0.size - 2)))}


def norm_only_rmse_pp(u_start: Any, u_end: Any, years: float, fit: dict[str, float]) -> float:
    """Root mean square error [pp] of the level after ``years`` forecast by the norm alone,
    :math:`100 / (1 + e^{-(x_0 + years (a + b u_0))})`, in the sample the norm was fitted on."""
    u0 = np.asarray(u_start, dtype=float)
    x = logit_pct(u0) + years * (fit["intercept"] + fit["slope"] * u0)
    centre = 100.0 / (1.0 + np.exp(-x))
    err = np.asarray(u_end, dtype=float) - centre
    return float(np.sqrt(np.mean(err ** 2)))


def build(table: pd.DataFrame) -> dict[str, Any]:
    """The reference class as the JSON-ready dict written to ``reference_shares.json``."""
    screened = screen(table)
    kept = screened.loc[screened["exclude_reason"] == ""]
    if len(kept) < 30:
        fail(f"only {len(kept)} prefectures pass the screening; expected about 300")
    span = float(YEARS[1] - YEARS[0])
    fit = fit_urgd_norm(kept["u2010"], kept["u2020"], span)
    s = fit["residual_sd"]
    quarter = REFERENCE_LEVEL * (100.0 - REFERENCE_LEVEL) / 100.0
    excluded = screened.loc[screened["exclude_reason"] != "", "exclude_reason"].value_counts()
    return {
        "model": "urgd_convergence",
        "formula": ("x = ln(u/(100-u)); own URGD r0 = pace_now*100/(u0*(100-u0)); norm rn = a + b*u0; "
                    "x_h = x0 + W(h)*r0 + (h - W(h))*rn with W(h) = h - h^2/(2T) for h <= T, T/2 beyond; "
                    "centre = 100/(1+exp(-x_h)); sd_logit = s*h; sd_pp = sd_logit*centre*(100-centre)/100"),
        "parameters": {
            "norm_intercept_per_year": fit["intercept"],
            "norm_intercept_se": fit["intercept_se"],
            "norm_slope_per_year_per_pp": fit["slope"],
            "norm_slope_se": fit["slope_se"],
            "residual_sd_logit_per_year": s,
            "r_squared": fit["r_squared"],
            "mean_urgd_per_year": fit["mean_urgd"],
            "convergence_years": 25.0,
            "convergence_source": ("United Nations method (World Urbanization Prospects): a country's observed "
                                   "URGD converges linearly to the hypothetical URGD for its level over 25 years; "
                                   "an assumption, not estimated here (one decade per prefecture)"),
        },
        "spreads": {
            "horizons_years": list(HORIZONS),
            "sd_logit": [s * h for h in HORIZONS],
            "reference_level_pct": REFERENCE_LEVEL,
            "sd_pp_at_reference_level": [s * h * quarter for h in HORIZONS],
            "how": ("10-year: the residual sd of the decade URGD times 10 (a decade-on-decade fit gives "
                    "10-year errors directly); 5-year: times 5, the URGD method's assumption that the logit "
                    "moves linearly in time so its error grows in proportion to the horizon; pp by the delta "
                    "method at the centre, d u / d x = u (100 - u) / 100"),
        },
        "check": {
            "rmse_pp_10y_norm_only_in_sample": norm_only_rmse_pp(kept["u2010"], kept["u2020"], span, fit),
        },
        "diagnostics": {
            "pace_pp_on_level_2010": fit_pace_pp(kept["u2010"], kept["u2020"], span),
        },
        "n_prefectures": int(fit["n"]),
        "n_rows_in_extract": int(len(table)),
        "excluded": {str(k): int(v) for k, v in sorted(excluded.items())},
        "data_years": list(YEARS),
        "latest_outcome_year": YEARS[1],
        "source": dict(UPSTREAM),
        "extract": "data/reference_shares_sources.csv",
        "build_command": BUILD_COMMAND,
        "references": [
            "United Nations (1974), Manual VIII: Methods for Projections of Urban and Rural Population, "
            "Population Studies 55",
            "United Nations (1980), Patterns of Urban and Rural Population Growth, Population Studies 68",
            "National Research Council (2003), Cities Transformed, appendix D",
            "Bocquier, P. (2005), Demographic Research 12(9), 197-236, doi:10.4054/DemRes.2005.12.9",
        ],
    }


def render(obj: dict[str, Any]) -> str:
    """Deterministic JSON text (sorted keys, one space indent, trailing newline)."""
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extract-from", type=Path, default=None,
                        help=f"re-create {EXTRACT_CSV.relative_to(ROOT)} from the upstream {UPSTREAM['path']}")
    args = parser.parse_args(argv)
    if args.extract_from is not None:
        buf = io.StringIO()
        extract(args.extract_from).to_csv(buf, index=False, lineterminator="\n", float_format="%.15g")
        EXTRACT_CSV.write_text(buf.getvalue(), encoding="utf-8")
        print(f"wrote {EXTRACT_CSV.relative_to(ROOT)}")
    obj = build(read_extract(EXTRACT_CSV))
    OUT_JSON.write_text(render(obj), encoding="utf-8")
    p = obj["parameters"]
    print(f"wrote {OUT_JSON.relative_to(ROOT)}: n = {obj['n_prefectures']}, "
          f"norm URGD = {p['norm_intercept_per_year']:.5f} + {p['norm_slope_per_year_per_pp']:.6f} u, "
          f"s = {p['residual_sd_logit_per_year']:.5f} per year")
    return 0


if __name__ == "__main__":
    sys.exit(main())
