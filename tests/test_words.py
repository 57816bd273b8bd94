"""Every user-facing word of the result summaries comes from :data:`xiangxi_econ.i18n.SUMMARY_TEXT`,
and the Chinese ones are Chinese (issue 17: "every user-facing word in i18n, the zh report and
workbook fully Chinese, the arithmetic lines included").

What counts as English here: a run of four or more ASCII letters. Three kinds of run are allowed in
Chinese text, each for a stated reason:

* ids — indicator, series and consistency-check ids (snake_case, or the plan's own ids such as
  ``gdp``): they are what a user types to look a row up, so they stay as they are;
* units — the plan's unit registry (none of its units has four ASCII letters today, but a user's
  plan may);
* the verdict method's name and citation (``unsd2020 — UN Statistics Division, SDG Progress Chart
  technical notes ...``): a proper name and a bibliographic reference, which are not translated.

Hand references in the value tests are written out beside them.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pandas as pd
import pytest

import xiangxi_econ as xe
from xiangxi_econ.i18n import SUMMARY_TEXT, summary_text
from xiangxi_econ.rules.verdicts import get_method

PACKAGE = Path(xe.__file__).parent
CONVERTED = ("results/progress", "results/record", "results/assessment", "rules/historical", "results/outcomes",
             "results/consistency", "results/derived")
ENGLISH_RUN = re.compile(r"[A-Za-z0-9_&.]*[A-Za-z]{4,}[A-Za-z0-9_&.]*")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

#: Chinese qualifiers that ``consistency._interval`` reads in the plan's printed numbers ("5.3%以内"):
#: the grammar of the input, never shown to a user, so they stay in the parser.
PARSED_QUALIFIERS = {"以上", "以下", "以内", "左右", "多", "超过", r"^[^\d]{0,3}?(以上|以下|以内|左右|多)"}


@pytest.fixture(scope="module")
def plan():
    return xe.load_plan()


@pytest.fixture(scope="module")
def results(plan):
    return {"evaluate_progress": xe.evaluate_progress(plan), "track_record": xe.track_record(plan),
            "assess": xe.assess(plan), "historical_pace": xe.historical_pace(plan),
            "check_consistency": xe.check_consistency(plan), "compare_plans": xe.compare_plans(plan)}


@pytest.fixture(scope="module")
def allowed(plan, results):
    """Ids and units of the plan: the runs of ASCII letters that Chinese text may carry."""
    ind = plan.indicators
    checks = {f.check for f in results["check_consistency"].findings}
    return set(ind["indicator_id"]) | set(ind["series_id"]) | checks | set(ind["unit"].astype(str))


def english_runs(text: str, allowed: set[str]) -> list[str]:
    """Runs of four or more ASCII letters in ``text`` that are neither snake_case ids nor ``allowed``."""
    return [t for t in ENGLISH_RUN.findall(text) if "_" not in t and t not in allowed]


def without_citation(text: str, method: str) -> str:
    spec = get_method(method)
    return text.replace(spec.reference, "").replace(spec.name, "")


def test_the_checker_sees_english(results, allowed):
    """The check below can fail: the English summaries are full of runs it reports."""
    assert len(english_runs(results["assess"].summary("en"), allowed)) > 20
    assert english_runs("目标评估：on track", allowed) == ["track"]
    assert english_runs("推算数：tourism_identity、gdp", allowed | {"gdp"}) == []


@pytest.mark.parametrize("name", ["evaluate_progress", "track_record", "assess", "historical_pace",
                                  "check_consistency", "compare_plans"])
def test_chinese_summaries_have_no_english_words(results, allowed, name):
    result = results[name]
    text = result.summary("zh")
    if name == "assess":
        text = without_citation(text, result.method)
    assert CJK.search(text), "the zh summary should be Chinese"
    assert english_runs(text, allowed) == []


def test_midterm_summary_with_a_users_value_is_chinese(plan, allowed):
    """A mid-term review takes other paths (statuses under way, pace still needed)."""
    mid = xe.evaluate_progress(plan, {"urbanisation_rate": {2023: 52.0}}, as_of_year=2023)
    assert english_runs(mid.summary("zh"), allowed) == []


def test_chinese_columns_have_no_english_words(results, allowed):
    ev, tr, hp = results["evaluate_progress"], results["track_record"], results["historical_pace"]
    cr = pd.DataFrame([f.__dict__ for f in results["check_consistency"].findings])
    columns = [(ev.table, ["caveat_zh", "outcome_formula_zh", "stated_rate_note_zh", "baseline_note_zh"]),
               (ev.missing, ["reason_zh"]), (tr.table, ["outcome_note_zh"]),
               (hp.table, ["explanation_zh", "break_note_zh"]), (cr, ["stated_zh", "implied_zh", "explanation_zh"])]
    found = {(col, run) for frame, cols in columns for col in cols for cell in frame[col]
             for run in english_runs(str(cell), allowed)}
    assert found == set()
    # every finding has its Chinese, and the columns are not all empty
    assert (cr["explanation_zh"] != "").all() and (cr["stated_zh"] != "").all()
    assert (hp.table["explanation_zh"] != "").sum() == (hp.table["explanation"] != "").sum() > 0


def test_templates_agree_on_their_fields_and_chinese_ones_are_chinese():
    fields = string.Formatter()
    for key, (en, zh) in SUMMARY_TEXT.items():
        names_en = {f for _, f, _, _ in fields.parse(en) if f}
        names_zh = {f for _, f, _, _ in fields.parse(zh) if f}
        # a Chinese sentence may leave out an English-only aside (a data note, a series id), never add one
        assert names_zh <= names_en, key
        words = re.sub(r"\{[^}]*\}", "", zh)
        assert [t for t in ENGLISH_RUN.findall(words)] == [], key


def test_every_key_the_modules_use_exists():
    used = set()
    for mod in CONVERTED:
        used |= set(re.findall(r'summary_text\(\s*"([a-z0-9_]+)"', (PACKAGE / f"{mod}.py").read_text("utf-8")))
        used |= set(re.findall(r'SUMMARY_TEXT\["([a-z0-9_]+)"\]', (PACKAGE / f"{mod}.py").read_text("utf-8")))
    assert len(used) > 50
    assert used - set(SUMMARY_TEXT) == set()


def _literals(path: Path) -> list[tuple[int, str]]:
    """String constants of a module outside docstrings (module, class, function and attribute docstrings)."""
    tree = ast.parse(path.read_text("utf-8"))
    docs = {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs]


@pytest.mark.parametrize("mod", CONVERTED)
def test_converted_modules_hold_no_chinese_literals(mod):
    found = [(line, value) for line, value in _literals(PACKAGE / f"{mod}.py")
             if CJK.search(value) and value not in PARSED_QUALIFIERS]
    assert found == []


def test_the_source_scan_can_fail(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('"""模块说明"""\n# 注释\nx = "未达到" if True else "missed"\n', "utf-8")
    assert [v for _, v in _literals(probe) if CJK.search(v)] == ["未达到"]


# ---------------------------------------------------------------------------- values in the words

def test_english_words_are_unchanged(results):
    """Strings other tests and users rely on, written out by hand."""
    assert summary_text("progress_twice", "en", n=4) == "; 4 stated twice in the plan, counted once"
    hp = results["historical_pace"].table.set_index("series_id")
    # GDP 2015-2020: levels 517 -> 725.11 (current prices) grow (725.11/517)**(1/5) - 1 = 7.00% a year; the
    # plan reports 6% real; the implied price rise 1.0700/1.06 - 1 = 0.94% a year, shown to one decimal
    assert hp.loc["gdp", "explanation"] == ("the reported rate is real (comparable prices) while the levels are "
                                            "current prices; the gap implies prices rose about 0.9% a year")
    assert hp.loc["gdp", "explanation_zh"] == ("公布增速按可比价（实际增速）计算，而水平值为现价；"
                                               "两者之差意味着价格每年约上涨0.9%")


def test_chinese_arithmetic_of_the_tourism_finding(results):
    """Arrivals 1.2亿人次 × 1,200元 per visitor = 1.44e11 元 = 1,440亿元 (第二章 第三节, 第四章 第二节),
    44% above the 1,000亿元 revenue target."""
    f = next(f for f in results["check_consistency"].findings if f.check == "tourism_identity")
    assert f.implied_zh == "旅游收入 = 接待人次 × 人均花费 = 1,440亿元"
    assert "比收入目标高44%" in f.explanation_zh
    assert f.implied == "revenue = arrivals × spending = 1,440亿元"


def test_track_record_in_chinese(results):
    """专栏1 序号1: GDP 517 (2015) to a target of 800 (2020): (800/517)**(1/5) - 1 = 9.12% a year required;
    the outcome 725.11 is below 800, so not met (否)."""
    text = results["track_record"].summary("zh")
    assert text.startswith("上一规划期完成情况：")
    gdp = next(line for line in text.splitlines() if line.startswith("地区生产总值"))
    assert "9.12%" in gdp and gdp.split()[-2] == "否"


def test_one_target_is_singular(tmp_path):
    """English number agreement after the numbers are filled: a plan with one judged target says
    "1 target", in the evaluation summary and in the report words."""
    from xiangxi_econ.i18n import agree, summary_text, text

    assert agree("1 targets; 21 targets; 0.1 targets") == "1 target; 21 targets; 0.1 targets"
    assert "1 target with an outcome" in summary_text("progress_head", "en", n=1, words="met 1", missing=0, note="")
    assert "for 1 target" in text("engine_count", "en", engine="the trend engine", n=1)
