"""Every example in the README runs: each ```python block in order, in one namespace, and each
``xiangxi-econ`` line of the command-line section (except ``report``, exercised by test_report)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(kind: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.S)


def test_python_examples_run(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)  # to_excel("assessment.xlsx") writes here
    namespace: dict = {}
    for block in _blocks("python"):
        code = block.replace('xe.read_plan("my_prefecture.csv")', 'xe.load_plan()')
        exec(compile(code, str(README), "exec"), namespace)  # noqa: S102
    assert (tmp_path / "assessment.xlsx").exists()
    assert round(namespace["xe"].models.RDIntensityModel.from_plan(namespace["plan"]).required_rd_rate(
        2.0, gdp_rate=0.0664, years=5), 3) == 0.181


def test_command_line_examples_run(capsys, tmp_path, monkeypatch):
    from xiangxi_econ.face.cli import main

    monkeypatch.chdir(tmp_path)
    lines = [line.split("#")[0].strip() for block in _blocks("bash") for line in block.splitlines()]
    commands = [shlex.split(line)[1:] for line in lines
                if line.startswith("xiangxi-econ ") and "report" not in line and "[" not in line
                and "validate" not in line]
    assert len(commands) >= 5
    for args in commands:
        assert main(args) == 0, args
    readme_plan = README.parent / "data" / "example_prefecture.csv"
    assert main(["validate", str(readme_plan)]) == 0


def test_readme_counts_are_those_of_the_data():
    """The figures the README quotes for the embedded record are counted from the files it names."""
    import re

    import pandas as pd

    text = README.read_text(encoding="utf-8")
    data = README.parent / "xiangxi_econ" / "data"
    observations = pd.read_csv(data / "observations.csv")
    breaks = pd.read_csv(data / "breaks.csv")
    stated = re.search(r"`xiangxi_econ/data/observations.csv`, (\d+) figures for (\d{4})–(\d{4}), and\s+"
                       r"`breaks.csv`, (\d+) statistical breaks", text)
    assert stated is not None
    n_obs, first, last, n_breaks = (int(g) for g in stated.groups())
    assert (n_obs, n_breaks) == (len(observations), len(breaks))
    assert (first, last) == (int(observations["year"].min()), int(observations["year"].max()))
