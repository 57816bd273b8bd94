"""``targets.baseline_conflicts`` and ``observed.same_figures``, the vectorised forms of a scan that
made ``assess`` quadratic (issue 17: 10^4 indicators took 32 s, 10^5 did not finish).

Reference: the previous row-by-row implementation, kept here as a slow, obvious oracle (one scan of
the history per target, :func:`xiangxi_econ.data.observed.same_figure` per pair), and figures worked by
hand from the rule "same number within the rounding of the printed digits".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.data.observed import same_figure, same_figures
from xiangxi_econ.data.plan import build_plan
from xiangxi_econ.data.plan_io import default_units
from xiangxi_econ.rules.targets import baseline_conflicts, numeric_target_rows, resolve_baselines
from xiangxi_econ.schema import INDICATOR_COLUMNS


def oracle_baseline_conflicts(targets: pd.DataFrame, plan) -> list[str]:
    """The row-by-row implementation this module replaced (minus its division by the printed value)."""
    hist = plan.history[plan.history["measure"] == "level"]
    out = []
    for r in targets.itertuples():
        same = hist[(hist["series_id"] == r.series_id) & (hist["year"] == r.base_year)
                    & (hist["base_unit"] == r.base_unit)]
        others = []
        for h in same.itertuples():
            if pd.notna(r.base_value) and not same_figure(float(r.base_value), float(r.scale), float(h.value),
                                                          plan.units.scale(h.unit)):
                printed = h.value_text or f"{h.value:g}"
                others.append(f"{printed} ({h.source})")
        out.append("also printed for the base year: " + ", ".join(dict.fromkeys(others)) if others else "")
    return out


def _targets(plan) -> pd.DataFrame:
    return resolve_baselines(numeric_target_rows(plan), plan)


def test_embedded_plan_matches_the_row_by_row_oracle():
    plan = xe.load_plan()
    t = _targets(plan)
    got = baseline_conflicts(t, plan)
    assert got == oracle_baseline_conflicts(t, plan)
    # the plan prints GDP 2020 as 725.11 (专栏2) only; at least one target has another figure printed
    assert any(got) and got[list(t["indicator_id"]).index("gdp")] == ""


def _indicators(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows).reindex(columns=[c.name for c in INDICATOR_COLUMNS])
    for col in INDICATOR_COLUMNS:
        if col.dtype == "int":
            frame[col.name] = pd.array(frame[col.name], dtype="Int64")
        elif col.dtype == "float":
            frame[col.name] = frame[col.name].astype("float64")
        else:
            frame[col.name] = frame[col.name].astype(object).fillna("").astype(str)
    frame["series_id"] = frame["series_id"].where(frame["series_id"] != "", frame["indicator_id"])
    units = default_units().table
    frame["unit_en"] = frame["unit"].map(units["unit_en"])
    frame["base_unit"] = frame["unit"].map(units["base_unit"])
    frame["scale"] = frame["unit"].map(units["scale"]).astype("float64")
    return frame


def _history(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["series_id", "year", "value", "value_text", "unit", "source"])
    return frame.assign(start_year=pd.array([None] * len(frame), dtype="Int64"), measure="level",
                        price_basis="na", quote="", year=pd.array(frame["year"], dtype="Int64"))


def _plan():
    ind = _indicators([
        dict(indicator_id="gdp", name_zh="生产总值", name_en="GDP", kind="level", unit="亿元", base_year=2020,
             base_value=400.0, target_year=2025, target_value=560.0, source="row 1"),
        dict(indicator_id="urban", series_id="urbanisation_rate", name_zh="城镇化率", name_en="Urbanisation",
             kind="share", unit="%", base_year=2020, base_value=50.5, target_year=2025, target_value=55.0,
             source="row 2"),
        dict(indicator_id="income", name_zh="收入", name_en="Income", kind="level", unit="元/人", base_year=2020,
             base_value=21000.0, target_year=2025, target_value=30000.0, source="row 3"),
    ])
    hist = _history([
        ("gdp", 2020, 401.0, "", "亿元", "chapter 1"),          # differs: 400 stands for 399.5-400.5
        ("gdp", 2020, 400.2, "", "亿元", "chapter 2"),          # the same figure within 400's rounding
        ("gdp", 2020, 4012000, "4012000", "万元", "chapter 3"),  # 401.2 亿元 differs; printed text kept
        ("gdp", 2020, 401.0, "", "亿元", "chapter 1"),          # a repeat of the first: named once
        ("urbanisation_rate", 2020, 0.0, "", "%", "survey"),   # a zero share: no division by it
        ("urbanisation_rate", 2019, 49.0, "", "%", "survey"),  # another year: not a conflict
        ("income", 2020, 2.1, "", "万元/人", "bulletin"),        # 2.1 万元 = 21000 元: the same figure
    ])
    return build_plan(ind, hist, {"title": "t"})


def test_conflicts_by_hand_and_against_the_oracle():
    plan = _plan()
    t = _targets(plan)
    got = dict(zip(t["indicator_id"], baseline_conflicts(t, plan), strict=True))
    assert got == {
        "gdp": "also printed for the base year: 401 (chapter 1), 4012000 (chapter 3)",
        "urban": "also printed for the base year: 0 (survey)",
        "income": "",
    }
    assert list(got.values()) == oracle_baseline_conflicts(t, plan)


def test_a_zero_share_in_the_base_year_no_longer_crashes_assess():
    """The scan divided value_base_units by the printed value: ZeroDivisionError for a 0% share."""
    a = xe.assess(_plan()).to_frame().set_index("indicator_id")
    assert a.loc["urban", "baseline_conflict"].endswith("0 (survey)")
    # required pace by hand: (55 - 50.5) / 5 = 0.9 pp a year
    assert a.loc["urban", "required_pace_pp"] == pytest.approx(0.9, abs=1e-12)


@pytest.mark.parametrize("a, sa, b, sb", [
    (725.11, 1e8, 725.1, 1e8), (5490, 1e4, 4206.2, 1e4), (1.12, 1e4, 11242, 1), (517, 1e8, 511.9, 1e8),
    (0.0, 1.0, 0.0, 1.0), (0.0, 1.0, 0.4, 1.0), (np.nan, 1.0, 1.0, 1.0), (1e-7, 1.0, 1.00000001e-7, 1.0),
])
def test_same_figures_agrees_with_same_figure(a, sa, b, sb):
    assert bool(same_figures([a], [sa], [b], [sb])[0]) == same_figure(a, sa, b, sb)


def test_same_figures_by_hand():
    # 725.11 and 725.1: 725.1 covers 725.05-725.15 (half a unit of its last digit) -> same;
    # 400 and 400.6: 400 covers 399.5-400.5 -> differ; 0 and 0.4: 0 covers -0.5..0.5 -> same
    got = same_figures([725.11, 400, 0.0], 1.0, [725.1, 400.6, 0.4], 1.0)
    assert got.tolist() == [True, False, True]
