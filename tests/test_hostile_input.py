"""Hostile input: a plan folder whose text fields are script payloads gives a report page where
every payload is shown as text and none is markup; the IAMC reader refuses files that are not
UTF-8 CSV with the readers' error contract."""

from __future__ import annotations

import os
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

import xiangxi_econ as xe
from xiangxi_econ.exceptions import PlanFileError
from xiangxi_econ.face import report

#: Charts take seconds to draw and are not what these tests are about; their names carry the
#: indicator names into the alt text (``_report_html.chart_alt``).
FAKE_CHARTS = ("outcome_gdp", "outcome_tourism_arrivals_ch2", "fan_gdp", "outlook_gdp", "pace_rate", "pace_pp",
               "target_paths", "tourism", "plan_comparison")
PNG = b"\x89PNG\r\n\x1a\n fake"


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text as a reader sees it (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._code = 0  # inside <script> or <style>: not text a reader sees

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._code += tag in ("script", "style")

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._code -= tag in ("script", "style") and self._code > 0

    def handle_data(self, data):
        if not self._code:
            self.text.append(data)


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory, hostile_plan_folder, xss_payloads):
    """report.html of the hostile plan folder in English and Chinese, the English one with a hostile
    --title and --region as well."""
    tmp = tmp_path_factory.mktemp("hostile")
    plan = xe.read_plan(hostile_plan_folder(tmp / "plan"))
    pages = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report, "_charts", lambda *a, **k: dict.fromkeys(FAKE_CHARTS, PNG))
        for lang, extra in (("en", {}), ("zh", {}),
                            ("en-title", {"title": xss_payloads[1], "region": xss_payloads[3]})):
            out = tmp / lang
            xe.build_report(out, plan=plan, lang=lang[:2], n_draws=500, **extra)
            pages[lang] = (out / "report.html").read_text(encoding="utf-8")
    return pages


@pytest.mark.parametrize("which", ["en", "zh", "en-title"])
def test_no_payload_reaches_the_page_as_markup(hostile_pages, which, xss_payloads):
    """The raw page holds no payload as written; parsed, it has the page's own one script, no event
    handler attribute, no javascript: address, no svg, and every image is an embedded PNG."""
    page = hostile_pages[which]
    for payload in xss_payloads:
        assert payload not in page, payload
    parsed = _Page()
    parsed.feed(page)
    names = [tag for tag, _ in parsed.tags]
    assert names.count("script") == 1 and "svg" not in names
    handlers = [(tag, a) for tag, attrs in parsed.tags for a in attrs if a.lower().startswith("on")]
    assert handlers == []
    addresses = [v for _, attrs in parsed.tags for k, v in attrs.items() if k in ("href", "src")]
    assert all(v and (v.startswith("#") or v.startswith("data:image/png;base64,")) for v in addresses), addresses
    assert all(attrs.get("src", "").startswith("data:image/png;base64,") for tag, attrs in parsed.tags
               if tag == "img")


def test_every_payload_is_shown_as_written(hostile_pages, xss_payloads):
    """The payloads did reach the page: a reader sees them as text, the units in the base, target
    and latest-value cells included (gdp 400 in 2020, at least 560 in 2025, 580 published for 2025:
    data/example_prefecture.csv and the folder's observations.csv)."""
    parsed = _Page()
    parsed.feed(hostile_pages["en"])
    text = "".join(parsed.text)
    unit = "亿元" + xss_payloads[1]  # the hostile 亿元 of units.csv (conftest: the unit of row k gets payload k + 1)
    for cell in (f"400{unit}", f"at least 560{unit}", f"580{unit}"):
        assert cell in text, cell
    for payload in xss_payloads:
        assert payload in text, payload
    parsed = _Page()
    parsed.feed(hostile_pages["en-title"])
    assert xss_payloads[3] in "".join(parsed.text)  # --region shown under the title
    title = [t for t, _ in parsed.tags].index("title")
    assert xss_payloads[1] in "".join(parsed.text[:title + 2])


def test_the_alt_text_of_a_chart_is_escaped(hostile_pages, xss_payloads):
    """The alt text names the indicator (``alt_outcome``: 'Observed path of {name} ...'), payload and all."""
    parsed = _Page()
    parsed.feed(hostile_pages["en"])
    alts = [attrs.get("alt") or "" for tag, attrs in parsed.tags if tag == "img"]
    assert any(xss_payloads[0] in alt for alt in alts), alts


def test_notebook_tables_escape_their_cells(tmp_path, hostile_plan_folder, xss_payloads):
    """A result's ``_repr_html_`` (Jupyter) shows a payload in a cell as text."""
    plan = xe.read_plan(hostile_plan_folder(tmp_path / "plan"))
    shown = xe.assess(plan)._repr_html_()
    for payload in xss_payloads:
        assert payload not in shown
    parsed = _Page()
    parsed.feed(shown)
    assert [t for t, _ in parsed.tags if t in ("script", "svg", "img", "a")] == []
    assert xss_payloads[0] in "".join(parsed.text)


# ---------------------------------------------------------------------------- IAMC files at the door
#: A valid IAMC file in long layout (the columns of face/iamc.py IAMC_COLUMNS), with a Chinese unit so
#: that its GBK and UTF-16 encodings differ from UTF-8.
IAMC_TEXT = ("model,scenario,region,variable,unit,year,value\n"
             "xiangxi_econ,plan,Xiangxi,gdp,亿元,2025,1000\n")

READERS = pytest.mark.parametrize("reader", [xe.io.read_iamc, xe.io.scenarios_from_iamc],
                                  ids=["read_iamc", "scenarios_from_iamc"])


def _refused(reader, path: Path, *fragments: str) -> PlanFileError:
    """The reader raises the readers' PlanFileError (a ValueError) naming the file and what was expected."""
    with pytest.raises(PlanFileError) as info:
        reader(path)
    message = str(info.value)
    assert str(path) in message and info.value.path == str(path)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return info.value


def test_a_valid_iamc_file_still_reads_and_a_bom_is_allowed(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_bytes(IAMC_TEXT.encode("utf-8-sig"))  # Excel's "CSV UTF-8" starts with a byte-order mark
    frame = xe.io.read_iamc(path)
    assert frame[["variable", "unit", "year", "value"]].values.tolist() == [["gdp", "亿元", 2025, 1000.0]]


@READERS
def test_an_empty_iamc_file(tmp_path, reader):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    _refused(reader, path, "file is empty", "expected a header row")


@READERS
def test_a_gbk_iamc_file(tmp_path, reader):
    path = tmp_path / "gbk.csv"
    path.write_bytes(IAMC_TEXT.encode("gbk"))
    err = _refused(reader, path, "not UTF-8", "expected a UTF-8 encoded CSV", "GB18030")
    assert err.row == 2  # the first GBK byte is in 亿元 on line 2


@READERS
def test_a_utf16_iamc_file(tmp_path, reader):
    path = tmp_path / "utf16.csv"
    path.write_bytes(IAMC_TEXT.encode("utf-16"))
    _refused(reader, path, "not UTF-8", "byte 0xff at offset 0", "expected a UTF-8 encoded CSV")


@READERS
def test_an_xlsx_given_as_iamc(tmp_path, reader):
    from openpyxl import Workbook

    path = tmp_path / "scenarios.xlsx"
    wb = Workbook()
    wb.active.append(["model", "scenario", "region", "variable", "unit", "year", "value"])
    wb.save(path)
    _refused(reader, path, "Excel", "not a CSV file", "CSV UTF-8")


@READERS
def test_a_folder_given_as_iamc(tmp_path, reader):
    _refused(reader, tmp_path, "is a folder", "expected a UTF-8 encoded CSV")


@READERS
def test_a_missing_iamc_file(tmp_path, reader):
    _refused(reader, tmp_path / "missing.csv", "file not found")


@READERS
@pytest.mark.skipif(not os.path.exists("/dev/urandom"), reason="no /dev/urandom")
def test_dev_urandom_given_as_iamc(reader):
    """A device that never ends: refused before it is opened."""
    _refused(reader, Path("/dev/urandom"), "not a regular file", "expected a UTF-8 encoded CSV")


@READERS
@pytest.mark.skipif(sys.platform == "win32", reason="mkfifo is POSIX")
def test_a_fifo_given_as_iamc_is_refused_without_hanging(tmp_path, reader):
    """Opening a FIFO blocks until a writer comes: the reader must refuse it before opening it. Run
    in a thread, so that a reader that does block fails the test instead of hanging the suite."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException | object] = []

    def read() -> None:
        try:
            outcome.append(reader(fifo))
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(timeout=20)
    try:
        assert not worker.is_alive(), "read_iamc blocked on a FIFO"
    finally:
        if worker.is_alive():  # let the blocked open() return (a writer that closes at once)
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert len(outcome) == 1 and isinstance(outcome[0], PlanFileError), outcome
    assert str(fifo) in str(outcome[0]) and "not a regular file" in str(outcome[0])


@READERS
def test_a_malformed_iamc_csv(tmp_path, reader):
    path = tmp_path / "bad.csv"
    path.write_text('model,scenario,region,variable,unit,year,value\nm,"s,r,v,u,2025,1\n', encoding="utf-8")
    _refused(reader, path, "malformed CSV", "expected IAMC data")


@READERS
def test_an_iamc_file_without_its_columns_names_the_file(tmp_path, reader):
    path = tmp_path / "cols.csv"
    path.write_text("model,scenario\nm,s\n", encoding="utf-8")
    err = _refused(reader, path, "missing IAMC column(s) region, variable, unit")
    assert err.row == 1


def test_read_iamc_refuses_what_is_not_a_path():
    with pytest.raises(TypeError, match="expected a DataFrame or the path of a CSV file; got int"):
        xe.io.read_iamc(42)
