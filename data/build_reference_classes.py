"""Build the panel-estimated reference classes: ratios of parts, sector shares, per-capita levels.

Run from the project root::

    python data/build_reference_classes.py [--panel PATH]

It reads the prefecture panel ``prefecture_gdp_panel_1990_2018.csv`` of the shared data folder
(``../shared/data`` beside the project, or ``--panel``) and writes, deterministically and in UTF-8,
``xiangxi_econ/data/reference_classes.json`` — derived numbers only, never a copy of the panel —
which :mod:`xiangxi_econ.probability.ratio_models` loads. Running it twice gives the same bytes.

Method (one rule per class, estimated by vintage)
-------------------------------------------------
A vintage :math:`V` (1996–2018) uses outcomes of years :math:`\\le V` only, so a forecast made in
year :math:`V` sees nothing later. For each city :math:`i`, origin :math:`o` and horizon
:math:`h = 1..5` with :math:`o + h \\le V` and :math:`o - 5 \\ge 1990`:

* the series' own recent pace :math:`p_{io} = (x_{io} - x_{i,o-5}) / 5` on the class's scale;
* the pace persistence :math:`\\phi_V = \\mathrm{clip}_{[0,1]}(\\sum p\\,d / \\sum p^2)` with
  :math:`d_{io} = (x_{i,o+5} - x_{io}) / 5` (least squares through the origin, pooled);
* the error of the rule :math:`e_{ioh} = x_{i,o+h} - x_{io} - h\\,\\phi_V p_{io}` and its robust
  spread :math:`s_{V,h} = (q_{0.95}(e) - q_{0.05}(e)) / 3.29` (the normal's 90% range, so the
  panel's few recording errors do not set the width);
* the class pace :math:`\\bar p_V`, the median of :math:`p_{io}` over the vintage's last origin.

Scales and classes

``ratio``
    Log of a ratio of two parts (x = ln share of value added in GDP, secondary and tertiary pooled):
    what an intensity or a ratio to GDP (R&D intensity, water use per unit of GDP, trade dependence)
    borrows — a ratio's forecast lives on its own scale and never grows with GDP.
``share``
    The same sector shares in percentage points (x = share [pp]).
``slow_logit``
    Logit of the tertiary share (x = ln(s / (100 - s))): the class pace a slow share known from one
    printed value takes (not zero).
``per_capita``
    Log per-capita GDP relative to the panel's cross-city median of the same year (x = ln y - median
    ln y), i.e. the region's deviation from the common factor, which the forecast adds back.

References
----------
Gneiting, T. and Raftery, A. (2007), JASA 102 (quantile scoring of the rules); National Bureau of
Statistics city statistical yearbooks (the panel's source, see ``shared/data/README.md``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "xiangxi_econ" / "data" / "reference_classes.json"
PANEL = ROOT.parent / "shared" / "data" / "prefecture_gdp_panel_1990_2018.csv"
VINTAGES = range(1996, 2019)
H = 5
LOOKBACK = 5
Z90 = 3.289707253902945  # q95 - q05 of the standard normal


def _wide(panel: pd.DataFrame, column: str) -> pd.DataFrame:
    return panel.pivot_table(index="city_code", columns="year", values=column, aggfunc="first").sort_index(axis=1)


def scales(panel: pd.DataFrame) -> dict[str, list[pd.DataFrame]]:
    """Each class's wide frames (cities × years) on its own scale."""
    sec, ter = _wide(panel, "secondary_share_pct"), _wide(panel, "tertiary_share_pct")
    ok = lambda w: w.where((w > 0) & (w < 100))  # noqa: E731
    sec, ter = ok(sec), ok(ter)
    pc = np.log(_wide(panel, "gdp_per_capita_cny").where(lambda w: w > 0))
    return {"ratio": [np.log(sec), np.log(ter)], "share": [sec, ter],
            "slow_logit": [np.log(ter / (100 - ter))], "per_capita": [pc - pc.median(axis=0)]}


def estimate(frames: list[pd.DataFrame], vintage: int) -> dict:
    """Persistence, class pace and spread by horizon of one class as of ``vintage``."""
    pace, nxt, errs = [], [], {h: [] for h in range(1, H + 1)}
    origins = [o for o in range(1990 + LOOKBACK, vintage) ]
    for w in frames:
        for o in origins:
            if o - LOOKBACK not in w or o not in w:
                continue
            p = (w[o] - w[o - LOOKBACK]) / LOOKBACK
            if o + H <= vintage:
                d = (w[o + H] - w[o]) / H
                good = p.notna() & d.notna()
                pace.append(p[good].to_numpy())
                nxt.append(d[good].to_numpy())
    p, d = (np.concatenate(pace), np.concatenate(nxt)) if pace else (np.zeros(0), np.zeros(0))
    phi = float(np.clip(np.sum(p * d) / np.sum(p * p), 0.0, 1.0)) if p.size else 1.0
    last = []
    for w in frames:
        for o in origins:
            if o - LOOKBACK not in w or o not in w:
                continue
            p_o = (w[o] - w[o - LOOKBACK]) / LOOKBACK
            if o == vintage - 1 or (o == max(origins)):
                last.append(p_o.dropna().to_numpy())
            for h in range(1, H + 1):
                if o + h <= vintage:
                    e = w[o + h] - w[o] - h * phi * p_o
                    errs[h].append(e.dropna().to_numpy())
    sd, n = [], []
    for h in range(1, H + 1):
        e = np.concatenate(errs[h]) if errs[h] else np.zeros(0)
        n.append(int(e.size))
        sd.append(float((np.quantile(e, 0.95) - np.quantile(e, 0.05)) / Z90) if e.size >= 30 else float("nan"))
    pace_now = np.concatenate(last) if last else np.zeros(0)
    return {"persistence": round(phi, 6), "class_pace": round(float(np.median(pace_now)), 6) if pace_now.size else None,
            "spread_h": [round(s, 6) for s in sd], "n_h": n, "n_pace_pairs": int(p.size)}


def build(panel_path: Path) -> dict:
    panel = pd.read_csv(panel_path)
    frames = scales(panel)
    out: dict = {"provenance": {
        "source": "shared/data/prefecture_gdp_panel_1990_2018.csv (300 prefecture-level cities)",
        "built_by": "data/build_reference_classes.py",
        "rule": "x_{o+h} - x_o = h * persistence * pace_o + e, pace_o = (x_o - x_{o-5}) / 5; spread_h = "
                "(q95 - q05)(e) / 3.29; vintage V uses outcomes <= V",
        "scales": {"ratio": "ln(sector share of GDP), secondary and tertiary pooled",
                   "share": "sector share of GDP [pp], secondary and tertiary pooled",
                   "slow_logit": "logit of the tertiary share",
                   "per_capita": "ln GDP per capita minus the cross-city median of the year"}},
        "vintages": {}}
    for v in VINTAGES:
        out["vintages"][str(v)] = {name: estimate(fr, v) for name, fr in frames.items()}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--panel", type=Path, default=PANEL)
    args = ap.parse_args()
    data = build(args.panel)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data['vintages'])} vintages")


if __name__ == "__main__":
    main()
