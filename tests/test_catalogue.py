"""The embedded catalogue against the plan text itself.

Reference: the full Chinese text of the plan, read from ``../shared/plan/`` beside the project
(or the file named by ``XIANGXI_PLAN_TEXT``). Tests that need the text skip when it is absent;
the rest check the catalogue's shape against values read by hand from the plan.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import xiangxi_econ as xe

PLAN_FILE = "xiangxi_14th_fyp_outline.zh.txt"


def _plan_text_path() -> Path | None:
    env = os.environ.get("XIANGXI_PLAN_TEXT")
    candidates = [Path(env)] if env else []
    root = Path(__file__).resolve().parents[1]
    candidates.append(root.parent / "shared" / "plan" / PLAN_FILE)
    for c in candidates:
        if c.is_file():
            return c
    return None


TEXT_PATH = _plan_text_path()
needs_text = pytest.mark.skipif(TEXT_PATH is None, reason="plan text not available beside the project")


@pytest.fixture(scope="module")
def plan():
    return xe.load_plan()


@pytest.fixture(scope="module")
def text() -> str:
    return TEXT_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lines(text) -> list[str]:
    return text.splitlines()


NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers_in(s: str) -> list[float]:
    return [float(m) for m in NUMBER.findall(s)]


def appears(value: float, quote: str) -> bool:
    return any(abs(abs(value) - n) < 1e-9 for n in numbers_in(quote))


def table_cells(lines: list[str], start: int, stop: int) -> list[str]:
    """Non-empty stripped cells of the table between two line indices."""
    return [ln.strip() for ln in lines[start:stop] if ln.strip()]


def table_span(lines, title_prefix, end_marker):
    start = next(i for i, ln in enumerate(lines) if ln.startswith(title_prefix))
    stop = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(end_marker))
    return start, stop


# --------------------------------------------------------------------------- size and shape

def test_catalogue_size(plan):
    ind = plan.indicators
    assert len(ind) > 200
    assert (ind["origin"] == "text").sum() > 100
    assert ind["indicator_id"].is_unique


def test_every_row_has_provenance(plan):
    ind = plan.indicators
    assert (ind["source"] != "").all()
    assert (ind["quote"] != "").all()
    assert (ind["name_en"] != "").all() and (ind["name_zh"] != "").all()


# --------------------------------------------------------------------------- quotes vs text

@needs_text
def test_text_quotes_are_verbatim(plan, text):
    rows = plan.indicators[plan.indicators["origin"] == "text"]
    missing = [r.indicator_id for r in rows.itertuples() if r.quote not in text]
    assert not missing, f"quotes not found verbatim in the plan text: {missing}"


@needs_text
@pytest.mark.parametrize("origin,title,end", [
    ("table_13th", "专栏1", "第二节"),
    ("table_14th", "专栏2", "第三章"),
])
def test_table_quotes_are_consecutive_cells(plan, lines, origin, title, end):
    start, stop = table_span(lines, title, end)
    cells = table_cells(lines, start, stop)
    joined = "\n".join(cells)
    bad = []
    for r in plan.indicators[plan.indicators["origin"] == origin].itertuples():
        row_cells = [c.strip() for c in r.quote.split(" | ")]
        if ("\n" + "\n".join(row_cells) + "\n") not in ("\n" + joined + "\n"):
            bad.append(r.indicator_id)
    assert not bad, f"table quotes whose cells are not consecutive cells of {title}: {bad}"


@needs_text
def test_history_quotes_are_in_text(plan, text, lines):
    hist = plan.history[plan.history["indicator_id"] == ""]
    cells = "\n".join(ln.strip() for ln in lines if ln.strip())
    bad = []
    for r in hist.itertuples():
        if " | " in r.quote:
            ok = "\n".join(c.strip() for c in r.quote.split(" | ")) in cells
        else:
            ok = r.quote in text
        if not ok:
            bad.append((r.series_id, r.year, r.measure))
    assert not bad


def test_every_number_appears_in_its_quote(plan):
    bad = []
    for r in plan.indicators.itertuples():
        for col in ("base_value", "target_value", "stated_change_value"):
            value = getattr(r, col)
            if pd.notna(value) and not appears(value, r.quote):
                bad.append((r.indicator_id, col, value))
    assert not bad, f"numbers missing from their quoted clause: {bad}"


def test_every_history_number_appears_in_its_quote(plan):
    hist = plan.history
    bad = [(r.series_id, r.year, r.value) for r in hist.itertuples() if not appears(r.value, r.quote)]
    assert not bad


# --------------------------------------------------------------------------- the two tables

@needs_text
def test_table_14th_rows_and_attributes(plan, lines):
    """Reference: the attribute cell (约束性/预期性) that ends each numbered row of 专栏2,
    read straight from the text independent of the catalogue."""
    start, stop = table_span(lines, "专栏2", "第三章")
    cells = table_cells(lines, start, stop)
    expected = {}
    current = None
    for c in cells:
        if re.fullmatch(r"\d{1,2}", c) and current is None:
            current = c
        elif c in ("约束性", "预期性") and current is not None:
            expected[current] = "binding" if c == "约束性" else "anticipatory"
            current = None
    assert len(expected) == 26
    rows = plan.indicators[plan.indicators["origin"] == "table_14th"]
    got = dict(zip(rows["row_no"], rows["attribute"], strict=True))
    assert got == expected


def test_table_14th_binding_rows_by_hand(plan):
    """By hand from 专栏2: rows 13, 14 and 19-26 are 约束性 (binding), the rest 预期性."""
    rows = plan.indicators[plan.indicators["origin"] == "table_14th"]
    binding = sorted(int(n) for n in rows.loc[rows["attribute"] == "binding", "row_no"])
    assert binding == [13, 14, 19, 20, 21, 22, 23, 24, 25, 26]


def test_table_13th_rows(plan):
    """By hand from 专栏1: rows 1-29, with sub-rows 26b (森林蓄积量), 27b (PM2.5) and the four
    pollutants under row 29."""
    rows = plan.indicators[plan.indicators["origin"] == "table_13th"]
    expected = {str(i) for i in range(1, 30)} - {"29"} | {"26b", "27b", "29a", "29b", "29c", "29d"}
    assert set(rows["row_no"]) == expected
    assert len(rows) == 34
    assert (rows["base_year"].dropna() == 2015).all()
    assert (rows["target_year"].dropna() == 2020).all()


# --------------------------------------------------------------------------- key numbers by hand

@pytest.mark.parametrize("series,value,unit,year", [
    # 第二章 第三节: 接待游客人数突破1.2亿人次、收入突破1000亿元
    ("tourism_arrivals", 1.2, "亿人次", 2025),
    ("tourism_revenue", 1000, "亿元", 2025),
    # 第四章 第二节: 游客人均消费水平达到1200元以上
    ("tourism_spending_per_visitor", 1200, "元", 2025),
    # 第九章 第五节: 全社会研发投入强度达到2%
    ("rd_intensity", 2, "%", 2025),
    # 第八章 第二节: 城镇化率达到55%; 专栏2 序号8 the same
    ("urbanisation_rate", 55, "%", 2025),
    # 第五章 引言: 制造业增加值占GDP比重达到20%
    ("manufacturing_va_share", 20, "%", 2025),
    # 专栏2 序号3: 30%
    ("manufacturing_va_share", 30, "%", 2025),
    # 专栏2 序号23 and 第二章 第三节: 73%以上
    ("forest_cover", 73, "%", 2025),
    # 第七章 第四节: 存款余额达到1800亿元、贷款余额达到1600亿元
    ("deposits_balance", 1800, "亿元", 2025),
    ("loans_balance", 1600, "亿元", 2025),
])
def test_key_targets_present(plan, series, value, unit, year):
    rows = plan.indicators[(plan.indicators["series_id"] == series) & (plan.indicators["target_year"] == year)]
    hits = rows[np.isclose(rows["target_value"], value) & (rows["unit"] == unit)]
    assert len(hits) >= 1, rows[["indicator_id", "target_value", "unit"]]


@pytest.mark.parametrize("series,value,unit", [
    # 第一章 第一节: 接待游客超过5490万人次，总收入超过461亿元
    ("tourism_arrivals", 5490, "万人次"),
    ("tourism_revenue", 461, "亿元"),
    # 第一章 第一节: 全州R＆D投入强度达1.2%
    ("rd_intensity", 1.2, "%"),
    # 专栏2 序号1: 725.11
    ("gdp", 725.11, "亿元"),
    # 第一章 第一节: 存贷款余额达1305.9亿元、1081.8亿元
    ("deposits_balance", 1305.9, "亿元"),
    ("loans_balance", 1081.8, "亿元"),
])
def test_key_2020_levels_in_history(plan, series, value, unit):
    obs = plan.series(series)
    obs = obs[(obs["measure"] == "level") & (obs["year"] == 2020) & (obs["unit"] == unit)]
    assert np.isclose(obs["value"], value).any()


def test_sector_structure_2015_and_2020(plan):
    """第一章 第一节: 三次产业结构由2015年的13.8﹕31.5﹕54.7调整为2020年的15.4﹕28.2﹕56.4."""
    expected = {2015: (13.8, 31.5, 54.7), 2020: (15.4, 28.2, 56.4)}
    for year, shares in expected.items():
        got = []
        for series in ("primary_sector_share", "secondary_sector_share", "tertiary_sector_share"):
            obs = plan.series(series)
            obs = obs[(obs["measure"] == "level") & (obs["year"] == year)]
            got.append(float(obs["value"].iloc[0]))
        assert np.allclose(got, shares)
        assert abs(sum(got) - 100) < 1e-9


def test_gdp_row_keeps_price_bases_apart(plan):
    """专栏2 序号1: levels 725.11 -> 1000 亿元 are current prices; the printed 7% is real."""
    gdp = plan.indicator("gdp")
    assert gdp["price_basis"] == "current"
    assert gdp["stated_change_value"] == 7
    assert "real" in gdp["note"].lower() or "comparable" in gdp["note"].lower()


def test_both_manufacturing_targets_kept_with_own_sources(plan):
    rows = plan.indicators[plan.indicators["series_id"] == "manufacturing_va_share"]
    targets = rows.dropna(subset=["target_value"])
    assert set(targets["target_value"]) >= {20.0, 30.0}
    assert targets["source"].nunique() == len(targets)


def test_qualitative_targets_kept(plan):
    rows = plan.indicators[plan.indicators["kind"] == "qualitative"]
    assert rows["target_text"].str.contains("完成省下达任务").any()


def test_source_lookup(plan):
    ref = plan.source("gdp")
    assert ref.source == "专栏2 序号1"
    assert "725.11" in ref.quote and "1000" in ref.quote
    with pytest.raises(KeyError, match="did you mean"):
        plan.source("gdpp")
