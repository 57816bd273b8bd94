"""The house: layers as folders, arrows one way (the contracts in ``.importlinter``, also run by CI).

The contracts are checked here with import-linter itself (imports inside functions count), so a
change that reaches up a floor or closes a loop fails the suite, not only CI's last step.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xiangxi_econ"


def test_import_contracts_hold():
    pytest.importorskip("importlinter")
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / ".importlinter")) == 0


def _package_imports(path: Path) -> set[str]:
    """Absolute names of the package modules a file imports (inside functions too)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - (node.level - 1)])
            out.add(".".join(base + ([node.module] if node.module else [])))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("xiangxi_econ"):
            out.add(node.module or "")
    return out


def test_the_plotting_package_imports_no_result_or_probability_module():
    """The Face draws what it is handed: no chart module imports a computing floor."""
    computing = ("xiangxi_econ.results", "xiangxi_econ.probability", "xiangxi_econ.analysis",
                 "xiangxi_econ.rules.targets", "xiangxi_econ.rules.meaning", "xiangxi_econ.maths.growth")
    for path in (PACKAGE / "face" / "plotting").glob("*.py"):
        bad = {m for m in _package_imports(path) if m.startswith(computing)}
        assert bad == set(), path.name


def test_the_folders_are_the_floors():
    """A reader who opens the package sees the layers of ARCHITECTURE.md."""
    floors = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"maths", "data", "rules", "results", "probability", "face"} <= floors


def test_a_probe_module_reaching_up_breaks_the_contract(tmp_path):
    """The contract can fail: a copy of the package where Maths imports a result is refused."""
    pytest.importorskip("importlinter")
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "xiangxi_econ"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.csv", "*.json", "__pycache__"))
    (copy / "maths" / "probe.py").write_text("from ..results import assessment  # noqa\n", encoding="utf-8")
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    out = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports; "
                          "raise SystemExit(lint_imports(config_filename='.importlinter'))"],
                         cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)})
    assert out.returncode != 0 and "xiangxi_econ.maths.probe" in out.stdout
