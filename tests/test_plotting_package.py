"""The plotting package as a design: the public names of the former single module, no Chinese words
outside :mod:`xiangxi_econ.i18n`, every chart word found there, and charts that draw the paths they
are handed instead of computing their own.

Numbers asserted come from the plan text: disposable income per head 11455元 (2015) and 18154元
(2020), target 26500元 (专栏2 序号12); urbanisation 41.1% (2015) and 50% (2020), target 55%.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.face import plotting
from xiangxi_econ.i18n import CHART_TEXT

PACKAGE = Path(plotting.__file__).resolve().parent

#: Public names of ``xiangxi_econ.face.plotting`` when it was one module (``dir()`` of that module without
#: leading underscores, standard-library and typing imports left out), taken before the split, less
#: the three it re-exported from elsewhere (check_lang, display_name, IDENTITIES).
FORMER_PUBLIC = {
    "BOUND_SYMBOLS", "SCENARIO_COLOURS", "SEVERITY_COLOURS", "VERDICT_COLOURS", "label_text", "plot_calibration",
    "plot_components", "plot_fan", "plot_findings",
    "plot_forecast", "plot_outcome_path", "plot_pace_comparison", "plot_plan_comparison", "plot_probabilities",
    "plot_progress", "plot_scenario_paths", "plot_target_grid", "plot_target_path", "plot_tourism_decomposition",
    "png_bytes", "report_style", "save", "unit_label",
}
#: Names of the former module imported from it elsewhere (tests) although private.
FORMER_PRIVATE_USED = {"_with_gaps", "_plain_text"}
#: What the former module imported from the standard library and typing (not part of its surface).
STDLIB_NAMES = {"Any", "Iterable", "Path", "Sequence", "TYPE_CHECKING", "annotations", "math", "np", "pd", "re",
                "textwrap"}

# CJK ideographs (with extension A and compatibility forms), CJK symbols and punctuation (、。「」),
# and full-width forms (，（）：％)
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


# ---------------------------------------------------------------------------- public names

def test_public_names_are_those_of_the_former_module():
    submodules = {name for name, value in vars(plotting).items() if getattr(value, "__name__", "").startswith(
        "xiangxi_econ.face.plotting.") and type(value).__name__ == "module"}
    public = {n for n in dir(plotting) if not n.startswith("_")} - submodules - STDLIB_NAMES
    assert public == FORMER_PUBLIC  # no check_lang, display_name or IDENTITIES: xe.plot offers charts
    for name in FORMER_PRIVATE_USED:
        assert callable(getattr(plotting, name))
    assert set(plotting.__all__) <= FORMER_PUBLIC


def test_every_chart_function_is_importable_from_the_package_and_through_xe_plot():
    for name in (n for n in FORMER_PUBLIC if n.startswith("plot_")):
        assert getattr(xe.plot, name) is getattr(plotting, name)
        assert getattr(plotting, name).__module__.startswith("xiangxi_econ.face.plotting.")


# ---------------------------------------------------------------------------- words in i18n

def _literals_outside_docstrings(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant in ``source`` that is not a docstring; the parts of an
    f-string count, so do the values of keyword arguments and defaults."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def _cjk_literals(source: str) -> list[tuple[int, str]]:
    return [(line, text) for line, text in _literals_outside_docstrings(source) if _CJK.search(text)]


def test_the_cjk_check_finds_what_it_looks_for():
    # the check itself, on made-up sources: a label pair and an f-string part are found, a docstring is not
    source = 'def f(x):\n    """年份 in the docs."""\n    return label_text("year", "年份", x) + f"{x}年"\n'
    assert sorted(text for _, text in _cjk_literals(source)) == ["年", "年份"]
    assert _cjk_literals('x = "（"\n') and _cjk_literals('x = "，"\n')  # full-width punctuation counts
    assert not _cjk_literals('"""模块说明"""\nx = "year"\n')


#: Chinese literals that are not words: the pattern that finds a unit in full-width brackets at the end
#: of a name (地区生产总值（亿元）), so the title can drop it.
PATTERNS_NOT_WORDS = {("_labels.py", "（([^（）]*)）$")}


def test_no_module_of_the_package_holds_a_chinese_literal():
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 8  # the package, not a single file
    found = {(path.name, text) for path in modules for _, text in _cjk_literals(path.read_text(encoding="utf-8"))}
    assert found - PATTERNS_NOT_WORDS == set()


def _keys_asked() -> set[str]:
    """Constant first arguments of ``_t(...)`` and ``_pair(...)`` calls in the package's sources."""
    keys = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_t", "_pair")
                    and node.args and isinstance(node.args[0], ast.Constant)):
                keys.add(node.args[0].value)
    return keys


def test_every_chart_word_is_in_i18n_in_both_languages():
    asked = _keys_asked()
    assert asked, "the package takes its words by key"
    assert asked - set(CHART_TEXT) == set()
    # a key is used where the package names it, in a _t/_pair call or handed on (a bar chart's axis label)
    used = {text for path in PACKAGE.glob("*.py") for _, text in _literals_outside_docstrings(path.read_text(
        encoding="utf-8")) if text in CHART_TEXT}
    # keys built at run time: basis.<code> and scenario.<name>
    prefixed = {k for k in CHART_TEXT if k.startswith(("basis.", "scenario."))}
    assert set(CHART_TEXT) - used - prefixed == set(), "a word nothing draws"
    for key, (en, zh) in CHART_TEXT.items():
        assert en and zh, key
        assert not _CJK.search(en), f"{key}: Chinese in the English text"
        assert _CJK.search(zh), f"{key}: no Chinese in the Chinese text"
        for text in (en, zh):  # every placeholder is a plain name a chart fills
            names = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
            assert all(re.fullmatch(r"[a-z_]+", f) for f in names), (key, names)


def test_scenario_names_of_the_library_are_translated_and_others_kept(plan, monkeypatch):
    from xiangxi_econ.face import _fonts
    from xiangxi_econ.face.plotting._labels import _scenario_name

    monkeypatch.setattr(_fonts, "cjk_font", lambda: "Stand-in CJK")
    assert _scenario_name("plan", "zh") == "规划路径"
    assert _scenario_name("trend", "en") == "trend"
    assert _scenario_name("high growth", "zh") == "high growth"


# ---------------------------------------------------------------------------- draws what it is handed

def _line(ax, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    [line] = [ln for ln in ax.lines if str(ln.get_label()).startswith(prefix)]
    return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)


def test_outcome_paths_match_the_plan_arithmetic_by_hand(plan):
    years = np.arange(2020, 2026)
    ev = xe.evaluate_progress(plan)  # the evaluation hands the chart its targets table and paths
    ax = ev.plot(indicator_id="disposable_income_per_capita")
    x, y = _line(ax, "plan path")
    assert x.tolist() == years.tolist()
    # 18154元 (2020) to 26500元 (2025) at a constant rate: 18154 (26500/18154)^((t-2020)/5)
    np.testing.assert_allclose(y, 18154 * (26500 / 18154) ** ((years - 2020) / 5), rtol=1e-12)
    # ex-ante trend: the 2015-2020 rate, (18154/11455)^(1/5) - 1, continued from 18154
    _, trend = _line(ax, "trend of")
    np.testing.assert_allclose(trend, 18154 * (18154 / 11455) ** ((years - 2020) / 5), rtol=1e-12)

    ax = ev.plot(indicator_id="urbanisation_rate")
    _, y = _line(ax, "plan path")
    np.testing.assert_allclose(y, 50 + 1.0 * (years - 2020), rtol=1e-12)  # (55 - 50) / 5 pp a year
    _, trend = _line(ax, "trend of")
    np.testing.assert_allclose(trend, 50 + (50 - 41.1) / 5 * (years - 2020), rtol=1e-12)  # 1.78 pp a year


def test_outcome_path_draws_the_targets_table_it_is_handed(plan, monkeypatch):
    import xiangxi_econ.rules.targets as targets
    from xiangxi_econ.results.paths import target_paths

    def refuse(*args, **kwargs):
        raise AssertionError("the chart recomputed the targets table it was handed")

    monkeypatch.setattr(targets, "targets_table", refuse)
    # a made-up row: 100 growing 10% a year to 121 in two years, no history window
    table = pd.DataFrame({"indicator_id": ["disposable_income_per_capita"], "kind": ["level"], "base_year": [2020],
                          "target_year": [2022], "base_value": [100.0], "target_value": [121.0],
                          "bound": ["at_least"], "required_rate": [0.1], "required_pace_pp": [np.nan],
                          "historical_rate": [np.nan], "historical_pace_pp": [np.nan]})
    ax = plotting.plot_outcome_path(plan, "disposable_income_per_capita", targets=table,
                                    paths=target_paths(table, "disposable_income_per_capita"))
    x, y = _line(ax, "plan path")
    assert x.tolist() == [2020, 2021, 2022]
    np.testing.assert_allclose(y, [100.0, 110.0, 121.0], rtol=1e-12)  # 100, 100 × 1.1, 100 × 1.1²
    assert not [ln for ln in ax.lines if str(ln.get_label()).startswith("trend of")]  # no pace, no trend


def test_tourism_gap_text_gives_the_pace_the_revenue_target_needs(plan):
    # 461亿元 (2020) to 1000亿元 (2025): (1000/461)^(1/5) - 1 = 16.75% a year, printed to one decimal
    ax = plotting.plot_tourism_decomposition(plan, targets=xe.targets_table(plan))
    texts = " ".join(t.get_text() for t in ax.texts).replace("\n", " ")
    assert "needs 16.8% a year" in texts  # (1000/461)^0.2 - 1 = 0.16752...


def test_outcome_path_without_paths_draws_only_what_happened(plan):
    """Handed no paths, the chart projects nothing: the observed path and the target only."""
    ax = plotting.plot_outcome_path(plan, "disposable_income_per_capita", targets=xe.targets_table(plan))
    labels = [str(ln.get_label()) for ln in ax.lines]
    assert not [lb for lb in labels if lb.startswith(("plan path", "trend of"))]
    with pytest.raises(ValueError, match="targets table"):
        plotting.plot_outcome_path(plan, "disposable_income_per_capita")
