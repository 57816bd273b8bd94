"""Build ``xiangxi_econ/data/reference_targets.json``: the outside view of a growth target.

Run from the project root: ``python data/build_reference_targets.py``. Reads
``../shared/data/city_growth_targets_2003_2008.csv`` (1,454 annual real GDP growth targets of 307
Chinese prefecture-level cities with the growth achieved; Li, Liu, Weng and Zhou 2019, "Target
setting in tournaments: theory and evidence from China", Economic Journal 129) and the cities' real
growth of the year before each target from ``../shared/data/prefecture_gdp_panel_1990_2018.csv``
(``gdp_real_growth_pct``). Neither file is shipped: the output holds only counts, per bin of the gap
(target minus last year's growth, bins ``GAP_EDGES_PP`` of
:mod:`xiangxi_econ.probability.outside_view`) and target year, of targets and of targets met.
Deterministic: sorted keys, no timestamps.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xiangxi_econ.probability.outside_view import (  # noqa: E402
    CITATION,
    GAP_EDGES_PP,
    reference_table,
    target_rows,
)

SHARED = ROOT.parent / "shared" / "data"
TARGETS_PATH = SHARED / "city_growth_targets_2003_2008.csv"
PANEL_PATH = SHARED / "prefecture_gdp_panel_1990_2018.csv"
OUT_PATH = ROOT / "xiangxi_econ" / "data" / "reference_targets.json"
LAST_YEAR = 2008


def read_inputs(targets_path: Path = TARGETS_PATH, panel_path: Path = PANEL_PATH) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets as read, and the panel's real growth as a long ``region, year, value`` frame [%]."""
    targets = pd.read_csv(targets_path, dtype={"city_code": int, "year": int})
    panel = pd.read_csv(panel_path, usecols=["city_code", "year", "gdp_real_growth_pct"])
    growth = (panel.rename(columns={"city_code": "region", "gdp_real_growth_pct": "value"})
              .dropna(subset=["value"]).loc[:, ["region", "year", "value"]].reset_index(drop=True))
    return targets, growth


def build(targets: pd.DataFrame, growth: pd.DataFrame) -> dict[str, Any]:
    """Pure: the JSON content from the two frames."""
    rows = target_rows(targets, growth)
    table = reference_table(rows, GAP_EDGES_PP, LAST_YEAR)
    n_all = int((rows["year"] <= LAST_YEAR).sum())
    n_counted = int(table["n"].sum())
    by_year = rows.loc[rows["year"] <= LAST_YEAR].groupby("year")["met"].agg(["size", "sum"])
    return {
        "description": (
            "Outside view of an annual real GDP growth target: counts of Chinese prefecture-level city targets "
            "and of targets met (real growth >= target, comparable prices), by bin of the gap = target minus "
            "the city's real growth of the year before [pp] and by target year. Bins are left-closed "
            "[e_k, e_k+1) with open ends; edges chosen from the deciles of the gaps, rounded, never from "
            "the outcomes. Targets whose city has no growth for the year before are not counted."),
        "citation": CITATION,
        "sources": {
            "targets": "city_growth_targets_2003_2008.csv (compilation of Li, Liu, Weng and Zhou 2019, from the "
                       "public replication package; 1,454 targets of 307 cities, 2003-2008)",
            "last_year_growth": "prefecture_gdp_panel_1990_2018.csv, gdp_real_growth_pct (China City Statistical "
                                "Yearbooks, compiled in a public research teaching panel)",
        },
        "build_command": "python data/build_reference_targets.py",
        "withheld": "targets of 2009-2012 are withheld on purpose (out-of-sample scoring); none is used",
        "gap_edges_pp": [float(e) for e in GAP_EDGES_PP],
        "years": sorted(int(y) for y in table["year"].unique()),
        "n_targets": n_all,
        "n_counted": n_counted,
        "n_without_last_year_growth": n_all - n_counted,
        "met_by_year_all_targets": {str(int(y)): [int(r["size"]), int(r["sum"])] for y, r in by_year.iterrows()},
        "counts_columns": ["bin", "year", "n", "n_met"],
        "counts": [[int(b), int(y), int(n), int(m)] for b, y, n, m in
                   table.loc[:, ["bin", "year", "n", "n_met"]].itertuples(index=False)],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def main() -> int:
    missing = [p for p in (TARGETS_PATH, PANEL_PATH) if not p.exists()]
    if missing:
        names = ", ".join(str(p.relative_to(ROOT.parent)) for p in missing)
        print(f"build_reference_targets: missing {names} beside the project (../shared/data/); nothing written",
              file=sys.stderr)
        return 1
    data = build(*read_inputs())
    OUT_PATH.write_text(dumps(data), encoding="utf-8")
    print(f"wrote {OUT_PATH.relative_to(ROOT)}: {data['n_counted']} of {data['n_targets']} targets in "
          f"{len(data['counts'])} bin-year cells")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
