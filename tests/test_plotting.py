"""Charts: artists, labels (unit and price basis), both font branches, no warnings, light import.

Every test runs with warnings turned into errors (``pytestmark`` below) and most draw the figure
(``canvas.draw()``), which is when matplotlib warns about glyphs missing from a font. The
Chinese-label branch is exercised without a real CJK font by standing matplotlib's own
"Last Resort" font in for it: it maps every code point to a glyph, so drawing Chinese with it
emits no missing-glyph warning, exactly as a real CJK font would. Where a real CJK font is
installed, one more test draws every chart with it.

Numbers asserted come from the plan text: GDP 517 (2015, 专栏1 序号1) and 725.11 (2020, 专栏2 序号1),
target 1000; tourism 2020 revenue 461亿元 (第一章 第一节: 总收入超过461亿元), 2025 targets 1.2亿人次,
1200元 and 1000亿元 (第二章), so 1.2 × 10^8 × 1200 CNY = 1.44 × 10^11 CNY = 1440亿元.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.collections import PathCollection, PolyCollection

import xiangxi_econ as xe
from xiangxi_econ.exceptions import CJKFontMissingWarning
from xiangxi_econ.face import _fonts, plotting
from xiangxi_econ.rules.verdicts import LABELS

pytestmark = pytest.mark.filterwarnings("error")

REPO = Path(__file__).resolve().parents[1]
STAND_IN = "Last Resort High-Efficiency"
HAS_STAND_IN = any(f.name == STAND_IN for f in font_manager.fontManager.ttflist)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def assessment(plan):
    return xe.assess(plan).to_frame()


@pytest.fixture
def no_cjk(monkeypatch):
    """The machine has no CJK font."""
    monkeypatch.setattr(_fonts, "cjk_font", lambda: None)


@pytest.fixture
def cjk(monkeypatch):
    """A CJK-capable font is installed (matplotlib's glyph-complete Last Resort font stands in)."""
    if not HAS_STAND_IN:
        pytest.skip(f"matplotlib {matplotlib.__version__} ships no '{STAND_IN}' font to stand in for a CJK font")
    monkeypatch.setattr(_fonts, "cjk_font", lambda: STAND_IN)
    return STAND_IN


@pytest.fixture(params=["no_cjk", "cjk"])
def font_branch(request):
    """Both branches: ``(name, font)``, font ``None`` when no CJK font is installed."""
    return request.param, request.getfixturevalue(request.param)


def scenario_frame(indicator_id="gdp", unit="亿元", price_basis="current", base=725.11, rates=None):
    """Two compound paths from ``base``: 'plan' and 'trend' [unit per year], years 2020..2035."""
    rates = rates or {"plan": 0.066, "trend": 0.05}
    rows = []
    for name, g in rates.items():
        for year in range(2020, 2036):
            rows.append({"scenario": name, "indicator_id": indicator_id, "series_id": indicator_id, "year": year,
                         "value": base * (1 + g) ** (year - 2020), "unit": unit, "price_basis": price_basis})
    return pd.DataFrame(rows)


@dataclass
class FakeSimulation:
    fan: pd.DataFrame
    table: pd.DataFrame


QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def fake_simulation(indicator_id="gdp", base=725.11, target=1000.0, probability=0.47, bound="exact"):
    """Fan: value(year, q) = base × (1 + 0.066 + 0.02 (q - 0.5))^(year - 2020); 2020 equals the base."""
    rows = [{"indicator_id": indicator_id, "year": y, "quantile": q,
             "value": base * (1 + 0.066 + 0.02 * (q - 0.5)) ** (y - 2020)}
            for y in range(2020, 2026) for q in QUANTILES]
    table = pd.DataFrame([{"indicator_id": indicator_id, "target_value": target, "bound": bound,
                           "probability": probability}])
    return FakeSimulation(pd.DataFrame(rows), table)


def draw(ax_or_axes):
    """Render the figure (this is when missing glyphs warn) and return it."""
    ax = np.asarray(ax_or_axes, dtype=object).flat[0]
    ax.figure.canvas.draw()
    return ax.figure


def legend_texts(ax):
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def star_markers(ax):
    return [line for line in ax.lines if line.get_marker() == "*"]


def families(text):
    return list(text.get_fontproperties().get_family())


# ---------------------------------------------------------------------------- light import

def test_importing_plotting_does_not_import_matplotlib():
    code = ("import sys, xiangxi_econ.face.plotting, xiangxi_econ.face._fonts; "
            "print('matplotlib' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
                         env=env)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------- fonts and labels

def test_label_text_english_whatever_the_fonts(font_branch):
    assert plotting.label_text("year", "年份", "en") == "year"


def test_label_text_chinese_only_with_a_cjk_font(no_cjk):
    assert _fonts.label_text("year", "年份", "zh") == "year"
    assert _fonts.font_family("zh") is None
    assert _fonts.text_kw("zh") == {}


def test_label_text_chinese_with_a_cjk_font(cjk):
    assert _fonts.label_text("year", "年份", "zh") == "年份"
    assert _fonts.font_family("zh") == [cjk, "sans-serif"]
    assert _fonts.text_kw("zh") == {"fontfamily": [cjk, "sans-serif"]}
    assert _fonts.text_kw("en") == {}


def test_label_text_rejects_other_languages():
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh'; got 'fr'"):
        _fonts.label_text("year", "年份", "fr")


def _entry(name, fname):
    return font_manager.FontEntry(fname=fname, name=name)


@pytest.mark.skipif(not HAS_STAND_IN, reason="needs matplotlib's Last Resort font")
def test_cjk_font_picks_a_listed_family_only_if_it_has_the_glyphs(monkeypatch):
    dejavu = next(f.fname for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans")
    last_resort = next(f.fname for f in font_manager.fontManager.ttflist if f.name == STAND_IN)
    fake = [_entry("DejaVu Sans", dejavu), _entry("WenQuanYi Zen Hei", dejavu),  # a name without the glyphs
            _entry("SimHei", last_resort), _entry(STAND_IN, last_resort)]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fake)
    # only the listed fonts: no packaged font (the zh extra) and no font file outside the list
    monkeypatch.setattr(_fonts, "_packaged_font_files", lambda: [])
    monkeypatch.setattr(_fonts, "_system_font_files", lambda: [])
    _fonts.cjk_font.cache_clear()
    try:
        assert _fonts.cjk_font() == "SimHei"
        monkeypatch.setattr(font_manager.fontManager, "ttflist", fake[:2] + fake[3:])
        _fonts.cjk_font.cache_clear()
        with pytest.warns(CJKFontMissingWarning):  # none found now says how to install one
            assert _fonts.cjk_font() is None  # Last Resort is not named like a CJK font: never chosen
    finally:
        monkeypatch.undo()
        _fonts.cjk_font.cache_clear()


def test_cjk_font_on_this_machine_is_installed_and_has_glyphs():
    name = _fonts.cjk_font()
    if name is None:
        return
    paths = [f.fname for f in font_manager.fontManager.ttflist if f.name == name]
    assert paths and any(_fonts._has_glyphs(p) for p in paths)


def test_unit_label():
    assert plotting.unit_label("亿元", "100 million CNY", "current") == "100 million CNY, current prices"
    assert plotting.unit_label("亿元", "100 million CNY", "comparable") == "100 million CNY, comparable prices"
    assert plotting.unit_label("%", "percent", "na") == "%"
    assert plotting.unit_label("%", "percent", "current", per_year=True) == "% a year, current prices"


def test_unit_label_chinese(cjk):
    assert plotting.unit_label("亿元", "100 million CNY", "current", "zh") == "亿元，现价"
    assert plotting.unit_label("亿人次", "100 million person-visits", "na", "zh") == "亿人次"


# ---------------------------------------------------------------------------- target path

def test_target_path_artists(plan):
    frame = scenario_frame()
    ax = plotting.plot_target_path(plan, "gdp", frame)
    draw(ax)
    # history points, two scenario lines, the target star
    assert len(ax.lines) == 4
    history = ax.lines[0]
    assert history.get_label() == "history" and history.get_linestyle() == "None"
    assert list(history.get_xdata()) == [2015, 2020]
    np.testing.assert_allclose(history.get_ydata(), [517.0, 725.11], rtol=0, atol=1e-9)
    plan_line = ax.lines[1]
    np.testing.assert_allclose(plan_line.get_ydata(), frame.loc[frame["scenario"] == "plan", "value"], rtol=1e-12)
    [star] = star_markers(ax)
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (2025, 1000.0)
    assert legend_texts(ax) == ["history", "plan", "trend", "target 2025: 1000"]
    assert ax.get_ylabel() == "100 million CNY, current prices"
    assert ax.get_xlabel() == "year"
    assert ax.get_title() == "Gross regional product"


def test_target_path_without_scenarios_new_figure_and_given_axes(plan):
    ax = plotting.plot_target_path(plan, "gdp")
    assert len(ax.lines) == 2 and len(star_markers(ax)) == 1
    fig, own = plt.subplots()
    assert plotting.plot_target_path(plan, "gdp", ax=own) is own
    assert own.figure is fig


def test_target_path_converts_units_and_shows_the_bound(plan):
    # tourism_arrivals_ch2 is in 亿人次; the 2020 level is printed as 5490万人次 = 0.549亿人次;
    # the scenario comes in 万人次 and is divided by 10^4.
    frame = scenario_frame("tourism_arrivals_ch2", unit="万人次", price_basis="na", base=5490.0,
                           rates={"plan": 0.17})
    ax = plotting.plot_target_path(plan, "tourism_arrivals_ch2", frame)
    draw(ax)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.549], atol=1e-12)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), frame["value"] / 1e4, rtol=1e-12)
    assert "target 2025: ≥ 1.2" in legend_texts(ax)
    assert ax.get_ylabel() == "100 million person-visits"  # not a money amount: no price basis


def test_target_path_rejects_other_price_basis_and_unconvertible_units(plan):
    with pytest.raises(ValueError, match="scenario 'plan' of 'gdp' is at comparable prices"):
        plotting.plot_target_path(plan, "gdp", scenario_frame(price_basis="comparable"))
    with pytest.raises(ValueError, match="unit '万人次'.*cannot be converted"):
        plotting.plot_target_path(plan, "gdp", scenario_frame(unit="万人次"))
    with pytest.raises(ValueError, match="lacks column"):
        plotting.plot_target_path(plan, "gdp", scenario_frame().drop(columns="scenario"))
    with pytest.raises(KeyError, match="no indicator 'gpd'"):
        plotting.plot_target_path(plan, "gpd")


def test_target_path_five_year_total_is_a_note_not_a_marker(plan):
    ax = plotting.plot_target_path(plan, "fixed_asset_investment_total_2021_2025")
    draw(ax)
    assert star_markers(ax) == []
    notes = [t.get_text() for t in ax.texts]
    assert notes == ["target: 2021–2025 total ≥ 3000 (100 million CNY)"]
    assert ax.get_ylabel() == "100 million CNY a year, current prices"


def test_target_path_languages(plan, font_branch):
    branch, font = font_branch
    ax = plotting.plot_target_path(plan, "gdp", scenario_frame(), lang="zh")
    draw(ax)
    if branch == "no_cjk":
        assert ax.get_title() == "Gross regional product"
        assert ax.get_ylabel() == "100 million CNY, current prices"
        assert legend_texts(ax) == ["history", "plan", "trend", "target 2025: 1000"]
        assert STAND_IN not in families(ax.title)
    else:
        assert ax.get_title() == "地区生产总值"  # printed 地区生产总值增长（%）: unit and 增长 dropped
        assert ax.get_ylabel() == "亿元，现价"
        assert ax.get_xlabel() == "年份"
        assert legend_texts(ax) == ["历史值", "规划路径", "趋势外推", "2025年目标：1000"]
        assert families(ax.title)[0] == font
        assert families(ax.yaxis.label)[0] == font
        assert all(families(t)[0] == font for t in ax.get_legend().get_texts())


def test_target_path_with_the_real_scenario_frame(plan):
    scenarios = getattr(xe, "scenarios", None)
    if scenarios is None:
        pytest.skip("xiangxi_econ.scenarios is not available yet")
    s = scenarios(plan, "plan", "trend")
    ax = plotting.plot_target_path(plan, "gdp", s)
    draw(ax)
    assert legend_texts(ax) == ["history", "plan", "trend", "target 2025: 1000"]
    plan_line = ax.lines[1]
    # the plan path passes through the target: 725.11 → 1000 by 2025 (专栏2 序号1)
    assert plan_line.get_ydata()[list(plan_line.get_xdata()).index(2025)] == pytest.approx(1000.0, rel=1e-12)


# ---------------------------------------------------------------------------- grid

def test_target_grid(plan):
    ids = ["gdp", "tourism_revenue_ch2", "urbanisation_rate", "tourism_arrivals_ch2"]
    frame = pd.concat([scenario_frame(), scenario_frame("urbanisation_rate", "%", "na", 50.0, {"trend": 0.03})])
    axes = plotting.plot_target_grid(plan, ids, frame, ncols=3)
    draw(axes)
    assert isinstance(axes, np.ndarray) and axes.shape == (4,)
    fig = axes[0].figure
    assert len(fig.axes) == 4  # the unused fifth and sixth cells are removed
    assert [ax.get_title() for ax in axes] == ["Gross regional product", "Tourism revenue",
                                               "Urbanisation rate of resident population", "Tourist arrivals"]
    assert axes[2].get_ylabel() == "%"
    # 'trend' keeps its colour from panel to panel
    trend_gdp = next(line for line in axes[0].lines if line.get_label() == "trend")
    trend_urb = next(line for line in axes[2].lines if line.get_label() == "trend")
    assert trend_gdp.get_color() == trend_urb.get_color()
    assert all(len(star_markers(ax)) == 1 for ax in axes)


def test_target_grid_arguments(plan):
    with pytest.raises(ValueError, match="indicator_ids is empty"):
        plotting.plot_target_grid(plan, [])
    with pytest.raises(ValueError, match="ncols must be a positive"):
        plotting.plot_target_grid(plan, ["gdp"], ncols=0)
    assert plotting.plot_target_grid(plan, "gdp").shape == (1,)


# ---------------------------------------------------------------------------- pace comparison

def pace_frame():
    return pd.DataFrame({
        "indicator_id": ["a", "b", "c", "d", "e"],
        "name_en": ["Alpha output", "Beta income", "Gamma share", "Delta visits", "Eps"],
        "name_zh": ["甲产出（亿元）", "乙收入", "丙比重", "丁人次", "戊"],
        "kind": ["level", "level", "share", "level", "level"],
        "unit": ["亿元", "元", "%", "万人次", "个"],
        "price_basis": ["current", "current", "na", "na", "na"],
        "required_rate": [0.066, 0.08, np.nan, 0.17, 0.05],
        "historical_rate": [0.07, 0.03, np.nan, -0.02, np.nan],
        "required_pace_pp": [np.nan, np.nan, 1.0, np.nan, np.nan],
        "historical_pace_pp": [np.nan, np.nan, 1.78, np.nan, np.nan],
        "verdict": ["on_track", "limited_progress", "on_track", "deterioration", "no_history"],
    })


def test_pace_comparison_rate(font_branch):
    ax = plotting.plot_pace_comparison(pace_frame(), "rate", lang="en")
    draw(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # rows with both rates, top to bottom in frame order; money amounts carry their price basis
    assert labels == ["Alpha output (current prices)", "Beta income (current prices)", "Delta visits"]
    historical, required = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(historical.get_offsets()[:, 0], [7.0, 3.0, -2.0], atol=1e-12)  # % a year
    np.testing.assert_allclose(required.get_offsets()[:, 0], [6.6, 8.0, 17.0], atol=1e-12)
    expected = [plotting.VERDICT_COLOURS[v] for v in ("on_track", "limited_progress", "deterioration")]
    np.testing.assert_allclose(historical.get_facecolors(), [matplotlib.colors.to_rgba(c) for c in expected])
    np.testing.assert_allclose(required.get_edgecolors(), [matplotlib.colors.to_rgba(c) for c in expected])
    assert legend_texts(ax) == ["required pace", "historical pace", "on track", "limited or no progress",
                                "deterioration"]
    assert ax.get_xlabel() == "average annual growth, % a year (money amounts at current prices)"


def test_pace_comparison_pp_and_chinese(cjk):
    ax = plotting.plot_pace_comparison(pace_frame(), "pp", lang="zh")
    draw(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["丙比重"]
    assert ax.get_xlabel() == "年均变化（百分点/年）"
    assert legend_texts(ax) == ["所需速度", "历史速度", "进展顺利"]
    assert families(ax.get_yticklabels()[0])[0] == cjk


def test_pace_comparison_chinese_falls_back_to_english(no_cjk):
    ax = plotting.plot_pace_comparison(pace_frame(), "pp", lang="zh")
    draw(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Gamma share"]
    assert ax.get_xlabel() == "change, percentage points a year"
    assert legend_texts(ax)[-1] == "on track"


def test_pace_comparison_real_assessment(plan, assessment):
    frame = assessment
    for measure, req, hist in (("rate", "required_rate", "historical_rate"),
                               ("pp", "required_pace_pp", "historical_pace_pp")):
        both = frame[frame[req].notna() & frame[hist].notna()]
        # a target stated twice (专栏2 and a chapter, same series, year and value) is drawn once
        expected = len(both.drop_duplicates(["series_id", "target_year", "target_value"]))
        ax = plotting.plot_pace_comparison(xe.assess(plan), measure)
        draw(ax)
        assert len(ax.get_yticklabels()) == expected > 0
        assert len(ax.collections[-1].get_offsets()) == expected


def test_pace_comparison_no_rows_and_bad_measure():
    empty = pace_frame().assign(historical_rate=np.nan)
    ax = plotting.plot_pace_comparison(empty, "rate")
    draw(ax)
    assert [t.get_text() for t in ax.texts] == ["no target has both a required and a historical pace"]
    with pytest.raises(ValueError, match="measure must be 'rate'"):
        plotting.plot_pace_comparison(pace_frame(), "pct")


def test_verdict_palette_covers_every_verdict_and_separates_good_from_bad():
    assert set(LABELS) <= set(plotting.VERDICT_COLOURS)
    colours = plotting.VERDICT_COLOURS
    assert len({colours["on_track"], colours["fair_progress"], colours["limited_progress"],
                colours["deterioration"], colours["already_met"], colours["no_history"]}) == 6


# ---------------------------------------------------------------------------- fan

def test_fan_artists(plan):
    sim = fake_simulation()
    ax = plotting.plot_fan(sim, "gdp", plan=plan)
    draw(ax)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    median = next(line for line in ax.lines if line.get_label() == "median")
    np.testing.assert_allclose(median.get_ydata(), 725.11 * 1.066 ** np.arange(6), rtol=1e-12)
    [star] = star_markers(ax)
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (2025, 1000.0)
    assert ax.get_title() == "Gross regional product\nprobability of meeting the target: 47%"
    assert ax.get_ylabel() == "100 million CNY, current prices"
    # with the plan, the published history leads into the fan and the 2021-2025 outcomes are on top
    assert legend_texts(ax) == ["5th–95th percentile", "25th–75th percentile", "median", "target 2025: 1000",
                                "published, up to the forecast", "observed (published)"]
    # the history is not joined across the 2019 census revision (605.05 in 2018, 705.71 in 2019)
    joined = [line for line in ax.lines if line.get_linestyle() == "-" and len(line.get_xdata()) == 2]
    assert joined and not any(list(line.get_xdata()) == [2018, 2019] for line in joined)
    assert any(list(line.get_xdata()) == [2017, 2018] for line in joined)


def test_fan_without_plan_uses_what_the_simulation_carries():
    sim = fake_simulation(bound="at_least")
    ax = plotting.plot_fan(sim, "gdp")
    assert ax.get_ylabel() == "value, in the indicator's unit (pass plan= for units)"
    assert "target 2025: ≥ 1000" in legend_texts(ax)  # last simulated year
    sim.table = sim.table.assign(name_en="Gross regional product", name_zh="地区生产总值增长（%）", kind="level",
                                 unit="亿元", price_basis="current")
    ax = plotting.plot_fan(sim, "gdp")
    assert ax.get_ylabel() == "100 million CNY, current prices"
    assert ax.get_title().startswith("Gross regional product\n")


def test_fan_errors():
    sim = fake_simulation()
    with pytest.raises(KeyError, match="no indicator 'gpd'; it has gdp"):
        plotting.plot_fan(sim, "gpd")
    sim.fan = sim.fan[sim.fan["quantile"] != 0.25]
    with pytest.raises(ValueError, match="no quantile 0.25"):
        plotting.plot_fan(sim, "gdp")
    with pytest.raises(TypeError, match=".fan DataFrame"):
        plotting.plot_fan(object(), "gdp")


def test_fan_chinese(plan, font_branch):
    branch, _font = font_branch
    ax = plotting.plot_fan(fake_simulation(), "gdp", plan=plan, lang="zh")
    draw(ax)
    if branch == "cjk":
        assert ax.get_title() == "地区生产总值\n实现目标的概率：47%"
        assert ax.get_ylabel() == "亿元，现价"
    else:
        assert ax.get_title() == "Gross regional product\nprobability of meeting the target: 47%"


def test_fan_with_the_real_simulation(plan):
    simulate = getattr(xe, "simulate", None)
    if simulate is None:
        pytest.skip("xiangxi_econ.simulate is not available yet")
    sim = simulate(plan, n_draws=2000, seed=1)
    ax = plotting.plot_fan(sim, "gdp", plan=plan)
    draw(ax)
    median = next(line for line in ax.lines if line.get_label() == "median")
    assert median.get_ydata()[0] == pytest.approx(725.11, rel=1e-12)  # 2020 is the baseline in every draw
    p = float(sim.table.set_index("indicator_id").loc["gdp", "probability"])
    assert ax.get_title().endswith(f"{p:.0%}")


# ---------------------------------------------------------------------------- tourism

def test_tourism_decomposition_bars(plan):
    ax = plotting.plot_tourism_decomposition(plan, targets=xe.targets_table(plan))
    draw(ax)
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([461.0, 1000.0, 1440.0], abs=1e-9)
    assert ax.get_ylabel() == "100 million CNY, current prices"
    texts = "\n".join(t.get_text() for t in ax.texts)
    assert "120 million visits\n× 1,200 CNY per visit\n= 1,440 × 100 million CNY" in texts
    assert "gap +440" in texts and "44% above" in texts
    # 2020 → 2025: +539, (1000/461)^(1/5) - 1 = 16.75% a year
    assert "+539\nneeds 16.8%" in texts
    # 2020 spending per visit implied by 461亿元 / 5490万人次 = 839.7元
    assert "54.9 million visits\n× 840 CNY per visit" in texts


def test_tourism_decomposition_chinese(plan, font_branch):
    branch, font = font_branch
    ax = plotting.plot_tourism_decomposition(plan, lang="zh")
    draw(ax)
    texts = [t.get_text() for t in ax.texts]
    if branch == "cjk":
        assert "1.2亿人次\n× 1200元/人次\n= 1440亿元" in texts
        assert ax.get_ylabel() == "亿元，现价"
        assert families(ax.get_xticklabels()[0])[0] == font
    else:
        assert ax.get_ylabel() == "100 million CNY, current prices"
        assert not any("亿" in t for t in texts)


def test_tourism_decomposition_needs_the_targets(plan):
    indicators = plan.indicators[plan.indicators["series_id"] != "tourism_spending_per_visitor"]
    stripped = xe.build_plan(indicators, plan.history[plan.history["indicator_id"] == ""]
                             .drop(columns=["indicator_id", "base_unit", "value_base_units"]))
    with pytest.raises(ValueError, match="no numeric 2025 target for series 'tourism_spending_per_visitor'"):
        plotting.plot_tourism_decomposition(stripped)


# ---------------------------------------------------------------------------- every chart, both branches

def all_charts(plan, assessment, lang):
    yield plotting.plot_target_path(plan, "gdp", scenario_frame(), lang=lang)
    yield plotting.plot_target_grid(plan, ["gdp", "urbanisation_rate", "fixed_asset_investment_total_2021_2025"],
                                    scenario_frame(), lang=lang)
    yield plotting.plot_pace_comparison(assessment, "rate", lang=lang)
    yield plotting.plot_pace_comparison(assessment, "pp", lang=lang)
    yield plotting.plot_fan(fake_simulation(), "gdp", plan=plan, lang=lang)
    yield plotting.plot_tourism_decomposition(plan, lang=lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_draws_and_saves_without_warnings(plan, assessment, font_branch, lang, tmp_path):
    for i, chart in enumerate(all_charts(plan, assessment, lang)):
        draw(chart)
        out = plotting.save(chart, tmp_path / f"chart{i}.png", dpi=40)
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        plt.close("all")


def test_every_chart_with_the_cjk_font_installed_here(plan, assessment, tmp_path):
    if _fonts.cjk_font() is None:
        pytest.skip("no CJK font installed on this machine; the branch is covered with a stand-in font")
    for i, chart in enumerate(all_charts(plan, assessment, "zh")):
        fig = draw(chart)
        assert any("年" in t.get_text() for ax in fig.axes for t in ax.findobj(matplotlib.text.Text))
        plotting.save(chart, tmp_path / f"zh{i}.png", dpi=40)
        plt.close("all")


def test_save_accepts_figure_axes_and_arrays(plan, tmp_path):
    ax = plotting.plot_target_path(plan, "gdp")
    assert plotting.save(ax.figure, tmp_path / "a.svg").read_text().lstrip().startswith("<?xml")
    assert plotting.save(ax, str(tmp_path / "b.png")) == tmp_path / "b.png"
    with pytest.raises(FileNotFoundError, match="does not exist"):
        plotting.save(ax, tmp_path / "missing" / "c.png")
    with pytest.raises(TypeError, match="fig_or_ax must be"):
        plotting.save("figure", tmp_path / "d.png")


def test_pace_comparison_draws_a_twice_stated_target_once():
    """Urbanisation 55% is stated in 专栏2 and in chapter 8: one row in the chart."""
    import xiangxi_econ as xe

    frame = xe.assess(xe.load_plan()).to_frame()
    ax = plotting.plot_pace_comparison(frame, measure="pp")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sum("Urbanisation rate" in lab for lab in labels) == 1
    plt.close(ax.figure)


# ---------------------------------------------------------------------------- .plot() of every result

@pytest.fixture(scope="module")
def results(plan):
    an = xe.analyse(plan, n_draws=2_000)
    return {
        "analysis": an,
        "assessment": an.assessment,
        "historical": an.historical,
        "track_record": an.track_record,
        "consistency": an.consistency,
        "scenarios": an.scenarios,
        "simulation": an.simulation,
        "progress": xe.evaluate_progress(plan, {"urbanisation_rate": {2023: 52.0}, "gdp": {2023: 850.0}},
                                          as_of_year=2023),
        "sectors": xe.models.SectorStructure.from_plan(plan),
        "rd": xe.models.RDIntensityModel.from_plan(plan),
    }


@pytest.mark.parametrize("name", ["analysis", "assessment", "historical", "track_record", "consistency",
                                  "scenarios", "simulation", "progress", "sectors", "rd"])
def test_every_result_object_plots_on_given_axes(results, name):
    fig, ax = plt.subplots()
    out = results[name].plot(ax=ax)
    assert out is ax and (ax.patches or ax.lines or ax.collections)
    fig.canvas.draw()


def test_progress_chart_draws_completion_by_hand(results):
    """GDP 725.11 -> 850 against 1000: (850 - 725.11)/(1000 - 725.11) = 45.4% of the distance."""
    ax = results["progress"].plot()
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths[-1] == pytest.approx((850 - 725.11) / (1000 - 725.11) * 100, abs=1e-9) or \
        any(w == pytest.approx((850 - 725.11) / (1000 - 725.11) * 100, abs=1e-9) for w in widths)


def test_findings_chart_tourism_gap_by_hand(results):
    """Tourism: 1440 implied against 1000 stated -> +44%."""
    frame = results["consistency"].to_frame()
    ax = results["consistency"].plot()
    rows = frame[frame["stated_value"].notna() & frame["implied_value"].notna() & (frame["stated_value"] != 0)]
    k = list(rows["check"]).index("tourism_identity")
    assert ax.patches[k].get_width() == pytest.approx(44.0, abs=1e-9)


def test_outcome_path_marks_breaks_and_never_draws_across_them(plan):
    """GDP: the 2019 census revision splits the observed line in two (2015-2018, 2019-2025); the
    plan path ends at the target 1000 in 2025; the trend compounds 7.0% a year from 725.11."""
    ev = xe.evaluate_progress(plan)
    ax = ev.plot(indicator_id="gdp")
    observed = [line for line in ax.lines if line.get_color() == "black"]
    assert len(observed) == 2
    assert list(observed[0].get_xdata()) == [2015, 2016, 2017, 2018]
    plan_line = [line for line in ax.lines if line.get_linestyle() == "--"][0]
    assert plan_line.get_ydata()[-1] == pytest.approx(1000.0, rel=1e-12)
    breaks = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert len(breaks) == 1 and breaks[0].get_xdata()[0] == 2018.5
    ax.figure.canvas.draw()


def test_plan_comparison_chart(plan):
    ax = xe.compare_plans(plan).plot()
    assert len(ax.patches) == 4
    ax.figure.canvas.draw()


# ---------------------------------------------------------------------------- finding a CJK font
def _only_dejavu(monkeypatch):
    dejavu = next(f for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [dejavu])


def _system_cjk_file():
    for path in font_manager.findSystemFonts():
        if "notosanscjk" in path.lower().replace("-", "") and _fonts._has_glyphs(path):
            return path
    return None


def test_cjk_font_missing_warns_once_with_the_install_commands(monkeypatch):
    _only_dejavu(monkeypatch)
    monkeypatch.setattr(_fonts, "_packaged_font_files", lambda: [])
    monkeypatch.setattr(_fonts, "_system_font_files", lambda: [])
    _fonts.cjk_font.cache_clear()
    try:
        with pytest.warns(CJKFontMissingWarning) as caught:
            assert _fonts.label_text("year", "年份", "zh") == "year"
            assert _fonts.label_text("year", "年份", "zh") == "year"
        assert len(caught) == 1
        message = str(caught[0].message)
        assert 'pip install "xiangxi_econ[zh]"' in message and "apt-get install fonts-noto-cjk" in message
    finally:
        monkeypatch.undo()
        _fonts.cjk_font.cache_clear()


@pytest.mark.parametrize("where", ["_packaged_font_files", "_system_font_files"])
def test_cjk_font_file_not_in_the_cache_is_registered(monkeypatch, where):
    """A packaged font (the zh extra) or a font installed after matplotlib built its cache: the file
    is registered with addfont and found. Uses this machine's Noto Sans CJK file as that font."""
    path = _system_cjk_file()
    if path is None:
        pytest.skip("no Noto Sans CJK file on this machine to stand in for a packaged or new font")
    _only_dejavu(monkeypatch)
    other = "_system_font_files" if where == "_packaged_font_files" else "_packaged_font_files"
    monkeypatch.setattr(_fonts, where, lambda: [path])
    monkeypatch.setattr(_fonts, other, lambda: [])
    _fonts.cjk_font.cache_clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", CJKFontMissingWarning)
            name = _fonts.cjk_font()
        assert name is not None and "CJK" in name
        assert path in {f.fname for f in font_manager.fontManager.ttflist}
    finally:
        monkeypatch.undo()
        _fonts.cjk_font.cache_clear()


def test_packaged_font_files_are_looked_up_without_importing(monkeypatch, tmp_path):
    package = tmp_path / "fakefonts"
    (package / "fonts").mkdir(parents=True)
    (package / "__init__.py").write_text("raise RuntimeError('imported')\n", encoding="utf-8")
    (package / "fonts" / "X.otf").write_bytes(b"")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(_fonts, "PACKAGED_CJK_FONTS", (("fakefonts", "fonts/X.otf"), ("not_installed_pkg", "a.otf")))
    assert _fonts._packaged_font_files() == [str(package / "fonts" / "X.otf")]


# ---------------------------------------------------------------------------- issue 22: charts at the size shown
def test_report_png_draws_at_the_width_shown_and_records_the_smallest_text():
    """A figure set to 571 CSS px (571 / 96 in) written at 144 dpi is 571 * 144 / 96 = 856.5 px wide
    (matplotlib rounds to 856 or 857); its smallest visible text is the 9 pt label, not the 14 pt title
    nor the invisible 4 pt text."""
    import io

    from PIL import Image

    from xiangxi_econ.face.plotting.output import report_png, smallest_text_pt

    fig, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    ax.set_title("A title", fontsize=14)
    ax.set_xlabel("x", fontsize=9)
    ax.tick_params(labelsize=12)
    ax.text(0.5, 0.5, "hidden", fontsize=4).set_visible(False)
    assert smallest_text_pt(ax) == 9
    png, smallest = report_png(ax, 571)
    assert smallest == 9
    assert Image.open(io.BytesIO(png)).size[0] in (856, 857)


def test_report_png_wraps_a_long_title_instead_of_cutting_it():
    """A title wider than its column is wrapped at words: every word kept, each line within the figure."""
    from xiangxi_econ.face.plotting.output import report_png

    title = "R&D intensity (R&D expenditure as % of GDP) of the whole prefecture, every year"
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    ax.set_title(title, fontsize=14)
    report_png(ax, 300)  # closes the figure after writing
    assert "\n" in ax.get_title() and ax.get_title().replace("\n", " ") == title


def test_target_path_can_show_every_published_year(plan):
    """With published=True, GDP's observed line holds the published levels since 2015 (the history
    window's start) through the 2021-2025 outcomes: 889.5亿元 in 2025 (the 2025 statistical bulletin),
    broken at the 2019 economic-census break (a NaN or a new line, never one line across it)."""
    ax = plotting.plot_target_path(plan, "gdp", lang="en", published=True)
    observed = [ln for ln in ax.lines if ln.get_label() == "observed (published)" or ln.get_marker() == "o"]
    points = [(int(x), float(y)) for ln in observed for x, y in zip(ln.get_xdata(), ln.get_ydata(), strict=True)
              if y == y]
    years = sorted({x for x, _ in points})
    assert years[0] == 2015 and {2021, 2022, 2023, 2024, 2025} <= set(years)
    values = dict(points)
    assert values[2025] == pytest.approx(889.5, abs=1e-9)
    assert all(not (min(ln.get_xdata()) <= 2018 and max(ln.get_xdata()) >= 2019) for ln in observed)
    plt.close(ax.figure)
