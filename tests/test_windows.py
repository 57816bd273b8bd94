"""Break windows and statistical segments (xiangxi_econ.rules.windows): the one home of "is there a
break between these two values". Expected values are read off the made-up break table by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xiangxi_econ.rules.windows import DEFAULT_BREAK_SIZE, break_window, breaks_in_windows, segment

BREAKS = pd.DataFrame({"series_id": ["u", "u", "f"], "year": [2010, 2020, 2024],
                       "kind": ["census_revision", "rebase", "method"],
                       "description_en": ["census 2010", "census 2020", "land survey"],
                       "description_zh": ["六普", "七普", "国土调查"], "source": ["a", "b", "c"]})


def test_segments_count_the_breaks_at_or_before_each_year():
    """Breaks 2010 and 2020: 2009 is in segment 0, 2010-2019 in 1, 2020 on in 2; a 2020 value printed
    before the 2020 re-base stays in segment 1."""
    years = np.array([2009, 2010, 2019, 2020, 2020, 2025])
    printed_before = np.array([False, False, False, False, True, False])
    assert segment(years, np.array([2020, 2010]), printed_before).tolist() == [0, 1, 1, 2, 1, 2]


def test_a_window_without_a_break_does_not_cross():
    w = break_window(BREAKS, "u", 2011, 2019)
    assert not w.crosses and w.kinds == () and w.describe() == "" and w.describe("zh") == ""


def test_a_window_across_breaks_names_them_in_both_languages():
    w = break_window(BREAKS, "u", 2005, 2025)
    assert w.crosses and w.kinds == ("census_revision", "rebase")
    assert "census 2010" in w.describe("en") and "census 2020" in w.describe("en")
    assert "六普" in w.describe("zh") and "七普" in w.describe("zh") and "census" not in w.describe("zh")
    assert "；" in w.describe("zh") and "; " in w.describe("en")  # each language its own separator


@pytest.mark.parametrize("start, end, crosses", [(2019, 2020, True), (2020, 2021, False), (2023, 2024, True),
                                                 (2024, 2025, False)])
def test_the_break_year_is_the_first_year_of_the_new_basis(start, end, crosses):
    """A break dated 2020 lies between 2019 and 2020, not between 2020 and 2021 (the window's edges)."""
    series = "u" if start < 2022 else "f"
    assert break_window(BREAKS, series, start, end).crosses is crosses


def test_breaks_of_another_series_do_not_count():
    assert not break_window(BREAKS, "f", 2005, 2023).crosses


def test_breaks_in_windows_agrees_with_one_window_at_a_time():
    ids = np.array(["u", "u", "f"])
    starts, ends = np.array([2011, 2005, 2020]), np.array([2019, 2025, 2025])
    out = breaks_in_windows(BREAKS, ids, starts, ends)
    assert [w.crosses for w in out] == [False, True, True]  # by hand from the table above


def test_the_default_break_size_is_a_quarter():
    """The library's rule for an unmeasured change of definition: up to 25% on a level."""
    assert DEFAULT_BREAK_SIZE == 0.25
