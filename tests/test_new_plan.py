"""A plan started in one step (issue 22): the latest published record as baselines, targets to fill.

Expected baselines come from the shipped ``observations.csv`` read here with the csv module (not through
the library): for each series, the preferred level of the latest year at or before the base year."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.data.new_plan import PLAN_FILES, baseline_table
from xiangxi_econ.exceptions import UserValueError

OBS = Path(xe.__file__).resolve().parent / "data" / "observations.csv"


def published_latest(base_year: int) -> dict[str, tuple[int, float]]:
    """series_id -> (year, value) of the latest preferred level at or before ``base_year`` (the version
    the plan used where a figure has two versions)."""
    best: dict[str, tuple[int, float]] = {}
    with open(OBS, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["measure"] != "level" or r["preferred"] != "true" or int(r["year"]) > base_year:
                continue
            if r["version"] and r["used_by_plan"] != "true":
                continue
            year = int(r["year"])
            if r["series_id"] not in best or year > best[r["series_id"]][0]:
                best[r["series_id"]] = (year, float(r["value"]))
    return best


@pytest.mark.parametrize("base_year", [2025, 2022])
def test_baselines_are_the_latest_published_figures(base_year):
    table = baseline_table(base_year).set_index("series_id")
    latest = published_latest(base_year)
    compared = 0
    for sid, (year, value) in latest.items():
        if year < 2020:  # the previous plan prints 2020 figures of its own; a later year wins
            continue
        row = table.loc[sid]
        assert (int(row["base_year"]), float(row["base_value"])) == (year, pytest.approx(value, rel=1e-12)), sid
        assert row["base_grade"] != "" and row["source"] != ""
        compared += 1
    assert compared >= (20 if base_year == 2025 else 10)
    assert table["target_value"].isna().all() and (table["target_year"] == base_year + 5).all()
    # hand checks from the 2025 bulletin: GDP 889.5亿元, urbanisation 55.24%, tourism revenue 729亿元
    if base_year == 2025:
        hand = table.loc[["gdp", "urbanisation_rate", "tourism_revenue"], "base_value"].tolist()
        assert hand == [889.5, 55.24, 729.0]
        assert table.loc["gdp", "unit"] == "亿元" and table.loc["urbanisation_rate", "kind"] == "share"


def test_round_trip_folder_read_assessed_simulated(tmp_path):
    """Written, read back without a warning, targets filled, assessed and simulated."""
    folder = tmp_path / "myplan"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan = xe.new_plan(2025, folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(PLAN_FILES)
    assert json.loads((folder / "meta.json").read_text(encoding="utf-8"))["region"] == "Xiangxi"
    assert plan.level("gdp", 2025).value == 889.5
    # the embedded observations and breaks came along: GDP's 2019 census revision is there
    assert 2019 in plan.observations.breaks.loc[plan.observations.breaks["series_id"] == "gdp", "year"].tolist()
    frame = pd.read_csv(folder / "indicators.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for ident, target, bound in (("gdp", "1190", "at_least"), ("urbanisation_rate", "60", "about")):
        frame.loc[frame["indicator_id"] == ident, ["target_value", "bound"]] = [target, bound]
    frame.to_csv(folder / "indicators.csv", index=False, encoding="utf-8-sig")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        filled = xe.read_plan(folder)
        assert filled.periods.base_year == 2025 and filled.periods.target_year == 2030
        a = xe.assess(filled).to_frame().set_index("indicator_id")
        # required pace by hand: (1190 / 889.5) ** (1/5) - 1 = 5.99% a year
        assert a.loc["gdp", "required_rate"] == pytest.approx((1190 / 889.5) ** 0.2 - 1, rel=1e-9)
        assert a.loc["urbanisation_rate", "required_pace_pp"] == pytest.approx((60 - 55.24) / 5, rel=1e-9)
        sim = xe.simulate(filled, n_draws=4096, as_of_year=2025)
    assert set(sim.table["indicator_id"]) == {"gdp", "urbanisation_rate"}
    assert ((sim.table["probability"] >= 0) & (sim.table["probability"] <= 1)).all()


def test_in_memory_plan_has_the_same_baselines():
    plan = xe.new_plan(2025)
    assert plan.level("urbanisation_rate", 2025).value == 55.24
    assert plan.indicator("tourism_revenue")["base_value"] == 729.0


def test_an_existing_plan_is_not_overwritten(tmp_path):
    xe.new_plan(2025, tmp_path / "p")
    (tmp_path / "p" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="indicators.csv"):
        xe.new_plan(2025, tmp_path / "p")
    xe.new_plan(2024, tmp_path / "p", force=True)
    assert (tmp_path / "p" / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("kwargs", [dict(base_year=1800), dict(base_year="2025"), dict(base_year=2025.5),
                                    dict(base_year=2025, target_year=2020)])
def test_bad_years_are_named(kwargs):
    with pytest.raises(UserValueError, match="year"):
        xe.new_plan(**kwargs)


def test_command_line(tmp_path):
    run = [sys.executable, "-W", "error", "-m", "xiangxi_econ", "new-plan", "--base-year", "2025", "--out",
           str(tmp_path / "p")]
    first = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert first.stderr == "" and "check --plan" in first.stdout
    again = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "already holds" in again.stderr and "Traceback" not in again.stderr
    empty = subprocess.run([*run[:-1], ""], capture_output=True, text=True, timeout=300)
    assert empty.returncode == 2 and "--out" in empty.stderr


def _fill(folder: Path, targets: dict[str, tuple[str, str, str]]) -> None:
    ind = pd.read_csv(folder / "indicators.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for ident, (value, bound, attribute) in targets.items():
        row = ind["indicator_id"] == ident
        ind.loc[row, ["target_value", "bound", "attribute", "target_year"]] = [value, bound, attribute, "2030"]
    ind.to_csv(folder / "indicators.csv", index=False, encoding="utf-8-sig")


def test_targets_whose_latest_figure_is_older_than_the_window_get_a_window_of_their_own(tmp_path):
    """Good-air days were last published for 2020, GDP for 2025: in a plan based in 2025 the first gets
    the history window 2015-2020 (the plan's five years, ending at its own base year), the second
    2020-2025; GDP's pace from the published levels 725.1 (2020, the provincial release) and 889.5
    (2025, the bulletin): (889.5 / 725.1) ** (1 / 5) - 1 = 4.17% a year (by hand, rel 1e-9)."""
    folder = tmp_path / "plan15"
    xe.new_plan(2025, folder)
    _fill(folder, {"gdp": ("1190", "at_least", "anticipatory"),
                   "air_quality_good_days_ratio": ("93", "at_least", "binding")})
    plan = xe.read_plan(folder)
    t = xe.targets_table(plan).set_index("indicator_id")
    assert t.loc["air_quality_good_days_ratio", "history_window"] == "2015-2020"
    assert t.loc["gdp", "history_window"] == "2020-2025"
    assert t.loc["gdp", "historical_rate"] == pytest.approx((889.5 / 725.1) ** 0.2 - 1, rel=1e-9)
    assert plan.periods.base_year == 2025  # declared by new_plan in meta.json, although one target is based in 2020
    assert set(xe.assess(plan).to_frame()["indicator_id"]) == {"gdp", "air_quality_good_days_ratio"}


def test_a_pace_from_an_abnormal_base_year_carries_its_note_into_assess(tmp_path):
    """Tourism revenue 388.8亿元 in 2020 (the COVID trough) to 729 in 2025: 13.4% a year, far above
    its trend; the verdict stands and says the base was abnormal."""
    folder = tmp_path / "plan15"
    xe.new_plan(2025, folder)
    _fill(folder, {"tourism_revenue": ("1100", "at_least", "anticipatory")})
    row = xe.assess(xe.read_plan(folder)).to_frame().set_index("indicator_id").loc["tourism_revenue"]
    assert row["historical_rate"] == pytest.approx((729 / 388.8) ** 0.2 - 1, rel=1e-9)
    assert "abnormal base" in row["reason"] and "2020" in row["reason"]
