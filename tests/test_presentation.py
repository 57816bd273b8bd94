"""What the reader sees (issue 17, presentation): user text in charts, display names that match the
unit, sources, chart sizing, the reference class, words in Chinese.

References used below: the plan's 专栏2 序号1 prints the GDP row as 地区生产总值增长（%） with the values
725.11 (2020) and 1000 (2025) in 亿元, a level; 序号… prints 居民人均可支配收入增长（元） with values in 元.
"""

from __future__ import annotations

import dataclasses

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.text import Text

import xiangxi_econ as xe
from xiangxi_econ.face import plotting
from xiangxi_econ.i18n import display_name, localise


def _renamed(plan, indicator_id, name_en, name_zh=None):
    ind = plan.indicators.copy()
    row = ind["indicator_id"] == indicator_id
    ind.loc[row, "name_en"] = name_en
    ind.loc[row, "name_zh"] = name_zh if name_zh is not None else name_en
    return dataclasses.replace(plan, indicators=ind)


# ---------------------------------------------------------------------------- 1. $ in user text

#: "$\frac{" is not valid TeX: parsed as mathtext it makes savefig raise ValueError; "$x^2$" would
#: silently render as x².
DOLLAR_NAMES = ("Spending in $ per $x^2$ visitor", r"Cost $\frac{ of $ things")


@pytest.mark.parametrize("name", DOLLAR_NAMES)
def test_dollar_in_an_indicator_name_is_drawn_literally(plan, name):
    p = _renamed(plan, "gdp", name)
    ax = plotting.plot_target_path(p, "gdp")
    plotting.png_bytes(ax)  # raised ValueError (mathtext parse) before the fix
    titles = [t for t in ax.figure.findobj(Text) if t.get_text() == name]
    assert titles, "the name is on the chart as given"
    # drawn as plain text: matplotlib's own decision whether to parse it as maths
    assert all(t._preprocess_math(t.get_text()) == (name, False) for t in titles)


def test_dollar_in_names_on_bar_ticks_legend_and_grid(plan):
    name = DOLLAR_NAMES[1]
    p = _renamed(plan, "urbanisation_rate", name)
    a = xe.assess(p).to_frame()
    for ax in (plotting.plot_pace_comparison(a, measure="pp"),
               plotting.plot_target_grid(p, ["gdp", "urbanisation_rate"])[1]):
        plotting.png_bytes(ax)
    scen = xe.scenarios(plan).to_frame()
    scen = scen.assign(scenario=scen["scenario"].replace({"plan": "$\\frac{ plan"}))
    ax = plotting.plot_target_path(plan, "gdp", scenarios=scen)
    plotting.png_bytes(ax)


def test_numeric_mathtext_of_a_log_axis_still_renders():
    import pandas as pd

    frame = pd.DataFrame({"component": ["a", "b"], "value": [10.0, 1000.0], "unit": ["元", "元"]})
    ax = plotting.plot_components(frame, "components")
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    # LogFormatterSciNotation writes $\mathdefault{10^{2}}$; it must still be parsed as maths
    assert labels and all(t._preprocess_math(t.get_text())[1] for t in ax.get_xticklabels() if t.get_text())


# ---------------------------------------------------------------------------- 2. display names

def test_display_name_of_a_level_printed_under_a_growth_heading():
    gdp = ("Gross regional product", "地区生产总值增长（%）", "level", "亿元")
    assert display_name(*gdp, "zh") == "地区生产总值（亿元）"
    assert display_name("Per-capita disposable income", "居民人均可支配收入增长（元）", "level", "元", "zh") == \
        "居民人均可支配收入（元）"
    # a growth target keeps its printed name; other names are untouched
    rd = ("R&D growth", "全社会研发经费投入增长（%）", "growth", "%")
    assert display_name(*rd, "zh") == "全社会研发经费投入增长（%）"
    assert display_name("Forest coverage", "森林覆盖率（%）", "share", "%", "zh") == "森林覆盖率（%）"
    assert display_name(*gdp, "en") == "Gross regional product"


def test_tables_show_the_display_name_and_the_catalogue_keeps_the_printed_one(plan):
    a = xe.assess(plan).to_frame("zh").set_index("indicator_id")
    assert a.at["gdp", "name"] == "地区生产总值（亿元）"
    assert a.at["gdp", "name_zh"] == "地区生产总值增长（%）"  # the printed name, as in the plan
    assert plan.indicator("gdp")["name_zh"] == "地区生产总值增长（%）"
    assert a.at["disposable_income_per_capita", "name"] == "居民人均可支配收入（元）"
    assert localise(plan.indicators, "zh").set_index("indicator_id").at["gdp", "name"] == "地区生产总值（亿元）"


def test_charts_title_the_level_without_growth(plan):
    from xiangxi_econ.face import _fonts

    ax = plotting.plot_target_path(plan, "gdp", lang="zh")
    if _fonts.effective_lang("zh") == "zh":
        assert ax.get_title() == "地区生产总值"  # the unit is on the axis: 亿元，现价
        assert "亿元" in ax.get_ylabel()


# ---------------------------------------------------------------------------- 4. charts

def test_plan_comparison_axis_is_sized_to_the_data():
    import pandas as pd

    frame = pd.DataFrame({"plan": ["2015-2020", "2020-2025"], "group": ["all", "all"], "judged": [23, 11],
                          "share_met": [12 / 23, 2 / 11], "median_delivery": [0.74, 0.82]})
    ax = plotting.plot_plan_comparison(frame)
    low, high = ax.get_ylim()
    assert low == 0.0  # was -20, to make room for a text under the bars
    assert 100.0 <= high <= 100.0 * 1.3 + 1e-9  # the tallest thing drawn is the 100% line
    assert "23 targets judged" in ax.get_xticklabels()[0].get_text()


def test_with_gaps_breaks_a_line_at_missing_years():
    years, values = plotting._with_gaps(np.array([2016, 2018, 2019, 2025]), np.array([1.0, 2.0, 3.0, 4.0]))
    assert years.tolist() == [2016, 2017, 2018, 2019, 2020, 2025]
    assert np.isnan(values[[1, 4]]).all() and values[[0, 2, 3, 5]].tolist() == [1.0, 2.0, 3.0, 4.0]


def test_observed_income_is_not_drawn_across_years_without_data(plan):
    ax = plotting.plot_outcome_path(plan, "disposable_income_per_capita", targets=xe.targets_table(plan))
    observed = [ln for ln in ax.lines if ln.get_label().startswith("observed")]
    obs = plan.observations.table
    mine = obs[(obs["series_id"] == "disposable_income_per_capita") & (obs["measure"] == "level") & obs["preferred"]]
    published = sorted(set(mine["year"].astype(int)))
    assert observed
    for ln in observed:
        x, y = np.asarray(ln.get_xdata(), float), np.asarray(ln.get_ydata(), float)
        joined = np.isfinite(y[:-1]) & np.isfinite(y[1:])
        # two finite neighbours on the line are always consecutive years: no segment spans a gap
        assert (np.diff(x)[joined] == 1).all()
        assert set(x[np.isfinite(y)].astype(int)) <= set(published)


def test_scenario_paths_are_titled_with_the_name(plan):
    # the chart reads no plan it was not handed: without one, the id; with the plan, the name
    assert plotting.plot_scenario_paths(xe.scenarios(plan), "gdp").get_title() == "gdp"
    assert plotting.plot_scenario_paths(xe.scenarios(plan), "gdp", plan=plan).get_title() == "Gross regional product"


def test_forecast_plot_shows_history_and_unit():
    import pandas as pd

    # a made-up series: 100 growing 5% a year 2010-2020, 2015 missing
    years = [y for y in range(2010, 2021) if y != 2015]
    series = pd.Series([100 * 1.05 ** (y - 2010) for y in years], index=years, dtype=float)
    series.attrs["start_year"] = 2010
    try:
        fc = xe.forecast(series, to_year=2025, n_draws=2000, seed=1)
    except (TypeError, ValueError) as exc:  # the engine is being rewritten; its input contract may differ
        pytest.skip(f"forecast() did not take a plain series: {exc}")
    ax = plotting.plot_forecast(fc, observed=series, unit="亿元")
    history = [ln for ln in ax.lines if ln.get_label() == "history"]
    assert history, "the history the forecast was made from is drawn"
    x = np.asarray(history[0].get_xdata(), float)
    y = np.asarray(history[0].get_ydata(), float)
    assert np.isnan(y[x == 2015]).all()  # broken at the missing year
    assert ax.get_ylabel() == "100 million CNY"


# ---------------------------------------------------------------------------- 8. no import circle

def _package_imports(module: str) -> set[str]:
    import ast
    from pathlib import Path

    source = (Path(xe.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    return {n.module or "" for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom) and n.level > 0}


def test_formats_live_in_a_leaf_and_the_display_export_report_circle_is_closed():
    assert _package_imports("_format") == set()  # a leaf: nothing from the package
    assert "face.export" not in _package_imports("_display")  # was _display -> export -> _report_html -> _display
    assert "_report_html" not in _package_imports("face/export") | _package_imports("face/_workbook")
    from xiangxi_econ import _display, _format
    from xiangxi_econ.face import _report_html, export

    assert _display.num is _format.num and export.FILLS is _format.FILLS and _report_html.TONES is _format.TONES


# ---------------------------------------------------------------------------- methods from what ran

class _FakeSim:
    def __init__(self, models, describe=None):
        import pandas as pd

        self.table = pd.DataFrame({"probability_model": models})
        self.settings = {"spreads": "trend engine: levels 0.03 log points a year; shares and rates 0.5 × |pp pace| "
                                    "+ 0.1 pp unless overridden"}
        if describe is not None:
            self.describe = describe


def test_methods_text_comes_from_the_result_that_ran():
    from xiangxi_econ.face._report_html import engine_methods

    own = _FakeSim(["calibrated forecast"], describe=lambda lang: {"engine": f"new engine in {lang}"})
    assert engine_methods(own, "zh") == ["new engine in zh"]
    # without a description: generated from the table (3 calibrated, 2 trend, counted by hand)
    sim = _FakeSim(["calibrated forecast"] * 3 + ["trend, default spread"] * 2)
    en = " ".join(engine_methods(sim, "en"))
    assert "reference-class forecasts for 3 targets" in en and "the trend engine with default spreads for 2" in en
    zh = "".join(engine_methods(sim, "zh"))
    assert "参照类预测3个目标" in zh and "趋势外推模型（默认波动）2个目标" in zh
    assert not any(w in zh for w in ("trend engine", "log points", "calibrated", "reference"))  # no English
    only_calibrated = " ".join(engine_methods(_FakeSim(["calibrated forecast"] * 4), "en"))
    assert "0.03 log points" not in only_calibrated  # the trend engine's spreads only when it ran


def test_methods_of_the_real_simulation_describe_what_ran(plan):
    """The simulation's own description names each reference class it used with what it was estimated
    on, and the joint probability of the binding targets computed by the engine."""
    import xiangxi_econ as xe
    from xiangxi_econ.face._report_html import engine_methods

    sim = xe.simulate(plan, n_draws=8192)
    en = " ".join(engine_methods(sim, "en"))
    assert "300 prefecture-level cities" in en and "314 prefectures" in en
    binding = list(sim.table.loc[sim.table["attribute"] == "binding", "indicator_id"])
    assert f"{sim.joint_probability(binding):.1%}" in en
    zh = "".join(engine_methods(sim, "zh"))
    assert "参照类" in zh and "联合概率" in zh


# ---------------------------------------------------------------------------- 6, 7, 9: words

def test_no_reference_class_is_said_not_shown_as_fifty_percent():
    from xiangxi_econ._format import fmt_reference

    # the reference class needs at least 3 previous-plan delivery ratios (montecarlo._reference_class)
    assert fmt_reference(0.5, class_rows=0, lang="en") == "no reference class"
    assert fmt_reference(0.5, class_rows=2, lang="zh") == "无参照"
    assert fmt_reference(0.473, class_rows=12, lang="en") == "47.3%"


def test_plural_and_word_boundary_cut():
    from xiangxi_econ._display import fit
    from xiangxi_econ.i18n import plural, shorten

    assert f"1 {plural(1, 'target')}" == "1 target" and f"17 {plural(17, 'target')}" == "17 targets"
    cut = fit("Urbanisation rate of resident population", 37)
    assert len(cut) == 37 and cut.rstrip() == "Urbanisation rate of resident…"  # was '...resident populat'
    assert shorten("Urbanisation rate of resident population", 36) == "Urbanisation rate of resident…"
    assert fit("Forest coverage rate", 25) == "Forest coverage rate     "


def test_seed_must_be_a_whole_number_from_zero(capsys):
    from xiangxi_econ.face.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["report", "--out", "unused", "--seed", "-1"])
    assert exc.value.code == 2
    assert "--seed" in capsys.readouterr().err


def test_iamc_region_is_the_plans(plan):
    assert set(xe.to_iamc(plan)["region"]) == {"Xiangxi"}  # meta.json of the embedded plan: region Xiangxi
    scen = xe.scenarios(plan)
    assert set(xe.to_iamc(scen, plan=plan)["region"]) == {"Xiangxi"}


def test_cli_summary_of_a_chinese_report_is_chinese(tmp_path):
    from xiangxi_econ.face.report import build_report

    result = build_report(tmp_path / "zh", lang="zh", n_draws=2000, seed=1)
    for english in ("Plan:", "Verdicts:", "Targets:", "Contradictions:", "Simulated:", "Wrote"):
        assert english not in result.summary
    assert "评估结论：" in result.summary
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "zh" / "assessment.xlsx")
    assert wb.sheetnames[0] == "摘要" and wb.sheetnames[-1] == "说明"
    for ws in wb.worksheets:  # every sheet's header row in Chinese, not only two
        heads = [str(c.value) for c in ws[1] if c.value is not None]
        assert not [h for h in heads if h.isascii() and h not in ("id", "q05", "q50", "q95")], ws.title
    page = (tmp_path / "zh" / "report.html").read_text(encoding="utf-8")
    assert "地区生产总值增长2025年" not in page  # the finding names the level, not "growth"
    assert "计算过程: " not in page and "trend engine" not in page and "default: 0.03" not in page
    assert "<pre" not in page.split("id='feasibility'")[1].split("</section>")[0]  # no text dump
    assert "trap 5" not in page and "README" not in page  # the breaks table cites public sources
