"""Package-level behaviour: light import, console script and ``python -m``."""

from __future__ import annotations

import subprocess
import sys

import pytest

import xiangxi_econ as xe
from xiangxi_econ.face.cli import main


def test_import_does_not_load_heavy_modules():
    code = ("import sys, xiangxi_econ; "
            "heavy = [m for m in ('matplotlib', 'statsmodels', 'scipy.optimize', 'pandas') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_load_plan_does_not_load_plotting_or_statsmodels():
    code = ("import sys, xiangxi_econ as xe; xe.load_plan(); "
            "print(','.join(m for m in ('matplotlib', 'statsmodels') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        xe.nope  # noqa: B018


def test_python_dash_m_runs_summary():
    out = subprocess.run([sys.executable, "-m", "xiangxi_econ", "summary"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "indicator rows" in out.stdout


def test_cli_source(capsys):
    assert main(["source", "gdp"]) == 0
    assert "专栏2 序号1" in capsys.readouterr().out


def test_cli_bad_plan_is_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator_id,name_zh\n", encoding="utf-8")
    assert main(["summary", "--plan", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing column" in err and "Traceback" not in err


def test_cli_unknown_indicator(capsys):
    assert main(["source", "gdpp"]) == 2
    assert "did you mean" in capsys.readouterr().err


def test_plan_displays_its_summary():
    plan = xe.load_plan()
    assert repr(plan).startswith("<Plan: Plan: ") and "\n" not in repr(plan) and str(plan) == plan.summary()
    assert "<table" in plan._repr_html_()


def test_no_public_name_is_shadowed_by_a_submodule():
    """Importing a submodule sets it as an attribute of the package; a public function with the same
    name as its module (xe.forecast vs xiangxi_econ.forecast) would then turn into the module."""
    import importlib
    import pkgutil
    import types

    import xiangxi_econ as xe

    for mod in pkgutil.iter_modules(xe.__path__):
        if mod.name != "__main__":  # running it would run the command line
            importlib.import_module(f"xiangxi_econ.{mod.name}")
    namespaces = {"growth", "prices", "models", "plot", "io"}  # modules on purpose: xe.growth.cagr
    shadowed = [name for name in xe.__all__
                if name not in namespaces and isinstance(getattr(xe, name), types.ModuleType)]
    assert not shadowed
    assert all(isinstance(getattr(xe, name), types.ModuleType) for name in namespaces)


def test_public_surface_is_the_verbs_and_namespaces_and_old_names_warn():
    """About twenty verbs at the top, the rest in namespaces; a former top-level name still works for
    one release and says where it went."""
    import warnings

    import xiangxi_econ as xe

    verbs = {n for n in xe.__all__ if n[0].islower() and n not in {"growth", "prices", "models", "plot", "io"}
             and not n.startswith("__")}
    # the 21 verbs of the 14th plan's work, and the 4 of the 15th: start a plan, gate it, the outside
    # view of a growth target, the province beside the prefecture
    assert verbs == {"analyse", "assess", "backtest", "build_plan", "build_report", "check_consistency",
                     "compare_plans", "evaluate_progress", "forecast", "historical_pace", "load_observations",
                     "load_plan", "read_observations", "read_plan", "scenarios", "simulate", "targets_table",
                     "to_iamc", "track_record", "validate_plan", "write_excel",
                     "new_plan", "check", "outside_view", "province_beside"}
    with pytest.warns(DeprecationWarning, match=r"xe\.growth\.cagr"):
        old = xe.cagr
    assert old is xe.growth.cagr
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xe.plot.plot_fan and xe.io.to_iamc and xe.models.TourismModel and xe.prices.real_rate
