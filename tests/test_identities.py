"""Declared identities (``xiangxi_econ.maths.identities.IDENTITIES``) and their growth arithmetic.

Hand references: the plan's 2025 tourism targets 1.2亿人次 × 1200元 = 1.44 × 10^11 CNY = 1440亿元
(第二章 第三节); 2020 revenue 461亿元 over 5490万人次 = 839.71元 per visit (第一章 第一节);
R&D intensity 1.2% of 725.11亿元 = 8.70132亿元 (专栏1 序号10, 专栏2 序号1); productivity 3.7万元/人
with GDP 725.11亿元 means 725.11e8 / 3.7e4 = 1,959,757 workers = 195.98万人 (专栏2 序号2).
"""

from __future__ import annotations

import numpy as np
import pytest

import xiangxi_econ as xe
from xiangxi_econ.data.plan_io import default_units
from xiangxi_econ.maths.identities import IDENTITIES, product_rate, ratio_after, ratio_rate

U = default_units()  # the package's unit registry: the identities take units as an argument


def test_tourism_product_in_printed_units():
    t = IDENTITIES["tourism_revenue"]
    assert t.evaluate({"tourism_arrivals": 12000, "tourism_spending_per_visitor": 1200}, U) == pytest.approx(1440.0,
                                                                                                        rel=1e-15)
    # the same with arrivals in 亿人次 as the target row prints them
    got = t.evaluate({"tourism_arrivals": 1.2, "tourism_spending_per_visitor": 1200}, U,
                     value_units={"tourism_arrivals": "亿人次"})
    assert got == pytest.approx(1440.0, rel=1e-15)
    assert t.solve("tourism_spending_per_visitor", {"tourism_revenue": 461, "tourism_arrivals": 5490}, U) == \
        pytest.approx(461e8 / 5490e4, rel=1e-15)


def test_ratio_identities_in_percent_and_per_person():
    rd = IDENTITIES["rd_intensity"]
    assert rd.evaluate({"rd_expenditure": 8.70132, "gdp": 725.11}, U) == pytest.approx(1.2, rel=1e-12)
    assert rd.solve("rd_expenditure", {"rd_intensity": 1.2, "gdp": 725.11}, U) == pytest.approx(8.70132, rel=1e-12)
    assert rd.solve("gdp", {"rd_intensity": 1.2, "rd_expenditure": 8.70132}, U) == pytest.approx(725.11, rel=1e-12)
    lp = IDENTITIES["labour_productivity"]
    assert lp.solve("employment", {"labour_productivity": 3.7, "gdp": 725.11}, U) == \
        pytest.approx(725.11e8 / 3.7e4 / 1e4, rel=1e-12)


def test_usd_over_cny_needs_an_exchange_rate():
    """Trade 1.65亿美元 at 6.8976 CNY/USD over GDP 725.11亿元 = 1.5696% (专栏1 序号6, NBS 2020 rate)."""
    td = IDENTITIES["trade_dependence"]
    with pytest.raises(ValueError, match="exchange_rate"):
        td.evaluate({"trade_total_usd": 1.65, "gdp": 725.11}, U)
    got = td.evaluate({"trade_total_usd": 1.65, "gdp": 725.11}, U, exchange_rate=6.8976)
    assert got == pytest.approx(100 * 1.65 * 6.8976 / 725.11, rel=1e-12)


def test_sector_shares_add_up():
    s = IDENTITIES["sector_shares"]
    assert s.evaluate({"primary_sector_share": 15.4, "secondary_sector_share": 28.2,
                       "tertiary_sector_share": 56.4}, U) == pytest.approx(100.0, abs=1e-12)
    with pytest.raises(ValueError, match="cannot be solved"):
        s.solve("primary_sector_share", {}, U)


def test_vectorised_evaluation():
    t = IDENTITIES["tourism_revenue"]
    out = t.evaluate({"tourism_arrivals": np.array([5490.0, 12000.0]), "tourism_spending_per_visitor": 1000.0}, U)
    assert out.tolist() == pytest.approx([549.0, 1200.0], rel=1e-15)


def test_every_identity_series_is_in_the_documented_vocabulary():
    """The data README lists each identity's series ids, so that a user's plan can use them."""
    from pathlib import Path

    readme = (Path(xe.__file__).parent / "data" / "README.md").read_text(encoding="utf-8")
    for identity in IDENTITIES.values():
        for sid in identity.series:
            assert f"`{sid}`" in readme, sid


def test_growth_of_products_and_ratios():
    """(1.1)(1.05) - 1 = 15.5%; 1.1 / 1.05 - 1 = 4.7619%; 1.2% growing 12% against 6.64% for 5 years:
    1.2 × (1.12/1.0664)**5 = 1.5333 (专栏2 序号9 against the GDP path)."""
    assert product_rate(0.10, 0.05) == pytest.approx(0.155, abs=1e-15)
    assert ratio_rate(0.10, 0.05) == pytest.approx(1.1 / 1.05 - 1, abs=1e-15)
    assert ratio_after(1.2, 5, 0.12, 0.0664) == pytest.approx(1.2 * (1.12 / 1.0664) ** 5, rel=1e-14)


def test_models_use_the_declared_identity():
    plan = xe.load_plan()
    m = xe.models.TourismModel.from_plan(plan)
    assert m.revenue == pytest.approx(IDENTITIES["tourism_revenue"].evaluate(
        {"tourism_arrivals": m.arrivals, "tourism_spending_per_visitor": m.spending}, U), rel=1e-15)
    assert isinstance(xe.models.RDIntensityModel.from_plan(plan), xe.models.ShareOfGDPModel)
