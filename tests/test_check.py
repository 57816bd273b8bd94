"""Feasibility in scripts (issue 22): ``xiangxi-econ check`` exits 0 when every probability is at or above
its threshold, 1 when one is below, 2 on bad input; ``xe.check`` returns the same as a result whose
``ok`` is a bool; ``joint_probability`` names what it could not simulate."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import xiangxi_econ as xe

#: Five 15th-plan targets of issue 22, in the units new-plan writes (亿元, %, 元).
TARGETS = {"gdp": ("1190", "at_least", "anticipatory"), "urbanisation_rate": ("60", "about", "anticipatory"),
           "disposable_income_per_capita": ("34000", "at_least", "anticipatory"),
           "forest_cover": ("60", "at_least", "binding"), "tourism_revenue": ("1100", "at_least", "anticipatory")}


def _cli(*args, timeout=600):
    return subprocess.run([sys.executable, "-W", "error", "-m", "xiangxi_econ", *args], capture_output=True,
                          text=True, timeout=timeout)


def _fill(folder, targets):
    path = folder / "indicators.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for ident, (value, bound, attribute) in targets.items():
        frame.loc[frame["indicator_id"] == ident, ["target_value", "bound", "attribute"]] = [value, bound, attribute]
    frame.to_csv(path, index=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory):
    """The README route: new-plan, five targets filled, nothing else."""
    folder = tmp_path_factory.mktemp("check") / "myplan"
    done = _cli("new-plan", "--base-year", "2025", "--out", str(folder))
    assert done.returncode == 0, done.stderr
    _fill(folder, TARGETS)
    return folder


def test_exit_codes_follow_the_probabilities(plan_dir):
    """0 with thresholds of 0 (nothing can be below), 1 with thresholds of 1 unless every probability is 1;
    no warning either way; the printed probabilities are those of xe.check."""
    result = xe.check(xe.read_plan(plan_dir), n_draws=4096)
    assert isinstance(result.ok, bool) and len(result.table) == 5
    zero = _cli("check", "--plan", str(plan_dir), "--min-probability", "0", "--min-joint", "0", "--draws", "4096")
    assert zero.returncode == 0 and zero.stderr == "", zero.stderr
    for r in result.table.itertuples():
        assert f"{r.probability:.1%}" in zero.stdout and r.indicator_id in zero.stdout
    default = _cli("check", "--plan", str(plan_dir), "--draws", "4096")
    below = (result.table["probability"] < 0.5).any() or float(result.joint) < 0.2
    assert default.returncode == (1 if below else 0) and default.stderr == ""
    assert ("BELOW" in default.stdout) == below


def test_an_impossible_target_fails_the_gate(tmp_path):
    """GDP 889.5 -> 5000亿元 by 2030 needs (5000 / 889.5) ** 0.2 - 1 = 41.3% a year, twice the fastest nominal
    growth in Xiangxi's record (2007-2025): its probability is near 0 and the gate exits 1."""
    folder = tmp_path / "p"
    assert _cli("new-plan", "--base-year", "2025", "--out", str(folder)).returncode == 0
    _fill(folder, {"gdp": ("5000", "at_least", "binding")})
    done = _cli("check", "--plan", str(folder), "--draws", "4096")
    assert done.returncode == 1 and "gdp" in done.stdout.split("BELOW")[1], done.stdout
    result = xe.check(xe.read_plan(folder), n_draws=4096)
    assert result.ok is False and float(result.table.set_index("indicator_id").loc["gdp", "probability"]) < 0.01


@pytest.mark.parametrize("args, fragment", [
    (["--plan", "no_such_folder"], "not found"),
    (["--min-probability", "1.5"], "between 0 and 1"),
    (["--min-joint", "x"], "between 0 and 1"),
])
def test_bad_input_exits_2(tmp_path, args, fragment):
    done = _cli("check", *args)
    assert done.returncode == 2 and fragment in done.stderr and "Traceback" not in done.stderr


def test_a_plan_with_no_target_to_simulate_exits_2(tmp_path):
    folder = tmp_path / "p"
    assert _cli("new-plan", "--base-year", "2025", "--out", str(folder)).returncode == 0
    done = _cli("check", "--plan", str(folder))
    assert done.returncode == 2 and "could be simulated" in done.stderr


def test_thresholds_are_checked_in_python():
    with pytest.raises(ValueError, match="min_probability"):
        xe.check(xe.load_plan(), min_probability=50)


def test_joint_probability_names_what_was_not_simulated():
    """The embedded plan has 5 binding targets; 2 have no pace to simulate (no baseline or history): the
    default joint probability covers the 3 simulated and says so; an id that was not simulated is
    named with its reason instead of a KeyError."""
    sim = xe.simulate(xe.load_plan(), n_draws=4096)
    binding = sim.table.loc[sim.table["attribute"] == "binding", "indicator_id"].tolist()
    joint = sim.joint_probability()
    assert joint.n_simulated == len(binding) == 3 and joint.n_asked == 5
    assert float(joint) == pytest.approx(float(sim.joint_probability(binding)), abs=0)
    assert set(joint.left_out) == {"unemployment_rate_urban_surveyed", "surface_water_class3_share"}
    assert "3 of 5 binding targets" in joint.describe()
    with pytest.raises(ValueError) as info:
        sim.joint_probability(["gdp", "unemployment_rate_urban_surveyed", "nope"])
    message = str(info.value)
    assert "unemployment_rate_urban_surveyed: no baseline or no historical pace" in message
    assert "nope: not a numeric target of the plan" in message and "2 of 3" in message


def test_the_readme_route_new_plan_targets_check(tmp_path):
    """The target of issue 22: README commands only — new-plan, five targets filled, check — in at most three
    commands, exit 0 or 1 as the probabilities say, no warning (``-W error`` and an empty stderr)."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Bring your own plan", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```sh\n(.*?)```", section, flags=re.S)[0]
    commands = [shlex.split(line) for line in block.splitlines() if line.startswith("xiangxi-econ ")]
    assert [c[1] for c in commands] == ["new-plan", "check"] and len(commands) <= 3
    codes = []
    for argv in commands:
        argv = [str(tmp_path / a) if a == "myplan" else a for a in argv[1:]]
        done = _cli(*argv)
        assert done.stderr == "", done.stderr
        codes.append(done.returncode)
        if argv[0] == "new-plan":
            _fill(tmp_path / "myplan", TARGETS)
    result = xe.check(xe.read_plan(tmp_path / "myplan"))
    assert codes == [0, 0 if result.ok else 1]
