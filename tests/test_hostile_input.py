"""Hostile input: a plan folder whose text fields are script payloads gives a report page where
every payload is shown as text and none is markup; the IAMC reader refuses files that are not
UTF-8 CSV with the readers' error contract."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

import xiangxi_econ as xe
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
