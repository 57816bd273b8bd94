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
