"""The report page: findings first, plain words, a layout that holds from 360 px to print.

The first tests read the HTML; those marked ``browser`` open it in headless
Chromium (see tests/test_browser.py for how to enable them).
"""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from hostile import LONG_NAME

import netmap
from netmap.render.charts import bar_chart, html_table, percent
from netmap.render.report import map_note, write_report

AS_OF = "2025-06-30"
TINY_AS_OF = "2024-06-30"


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_report")
    rep = write_report(netmap.read_network("sample_data"), out, as_of=AS_OF)
    return rep, rep.path.read_text(encoding="utf-8")


def _single_source_by_hand(as_of: str):
    """From relationships.csv alone: the focal's active SUPPLIES ties in, per category; the single-source
    categories with their supplier and their share of the focal's supply spend, largest first."""
    orgs = pd.read_csv("sample_data/organizations.csv", dtype=str, keep_default_na=False)
    focal = orgs.loc[orgs["focal"].str.lower() == "true", "id"].item()
    rel = pd.read_csv("sample_data/relationships.csv", keep_default_na=False, dtype=str)
    rel["value"] = pd.to_numeric(rel["value"].replace("", "0"))
    active = (rel["since"].fillna("") <= as_of) & ((rel["until"] == "") | (rel["until"] >= as_of))
    sup = rel[active & (rel["type"].str.upper() == "SUPPLIES") & (rel["target"] == focal) & (rel["category"] != "")]
    spend = sup["value"].sum()
    per = sup.groupby("category").agg(suppliers=("source", "nunique"), value=("value", "sum"),
                                      supplier=("source", "first"))
    single = per[per["suppliers"] == 1].sort_values("value", ascending=False)
    names = dict(zip(orgs["id"], orgs["name"]))
    return [(cat, names[r.supplier], r.value / spend) for cat, r in single.iterrows()]


def _section(html: str, key: str) -> str:
    start = html.index(f'<section id="{key}">')
    return html[start:html.index("</section>", start)]


def test_findings_name_the_top_single_source_category_before_the_summary(sample_report):
    _, html = sample_report
    single = _single_source_by_hand(AS_OF)
    assert single, "the sample data has a single-source category"
    cat, supplier, share = single[0]
    findings = _section(html, "findings")
    assert cat in findings and supplier in findings
    # its share of the focal's supply spend, as a percentage with one decimal
    assert f"{100 * share:.1f}".rstrip("0").rstrip(".") + "\u00a0%" in findings
    # a leader reads the findings first: before the network summary, and before everything else
    assert html.index('<section id="findings">') < html.index('<section id="summary">')
    assert html.index('<section id="findings">') == min(html.index(f'<section id="{k}">')
                                                         for k in re.findall(r'<section id="(\w+)">', html))


def test_every_finding_has_a_reason_a_section_and_a_map(sample_report):
    rep, html = sample_report
    findings = _section(html, "findings")
    items = re.findall(r'<article class="finding">(.*?)</article>', findings, flags=re.DOTALL)
    assert 5 <= len(items) <= 8
    for item in items:
        assert re.search(r'<p class="why"><span>Why:</span> \S', item), item
        anchor = re.search(r'href="#(\w+)"', item).group(1)
        assert f'<section id="{anchor}">' in html
        assert re.search(r'href="map(-risks|-opportunities)?\.html"', item), item
    # the costliest loss: the what-if row with the largest value at risk, with its share of our tie value
    wi = pd.read_csv(rep.path.parent / "tables" / "what_if.csv")
    worst = wi.sort_values(["value_at_risk", "rank"], ascending=[False, True]).iloc[0]
    assert f"Losing <strong>{worst['name']}</strong> would put {worst['value_at_risk']:,.0f} (" in findings
    assert percent(worst["value_at_risk_share"]) in findings
    # the three best introductions: the top three of the shortlist, each with its first introducer
    opp = pd.read_csv(rep.path.parent / "tables" / "opportunities.csv")
    intro = next(i for i in items if "The best introductions" in i)
    for name, via in zip(opp["name"].head(3), opp["introducers"].head(3)):
        assert f"<strong>{name}</strong> through <strong>{via.split(' (ORG-')[0]}</strong>" in intro


def test_without_maps_the_findings_do_not_link_to_them(tiny, tmp_path):
    rep = write_report(tiny, tmp_path / "r", as_of=TINY_AS_OF, maps=False)
    html = rep.path.read_text(encoding="utf-8")
    assert "chips" in _section(html, "findings")  # S3 is the single source of chips
    assert ".html" not in _section(html, "findings")


def test_the_page_speaks_in_words_and_percentages(tiny, tmp_path):
    rep = write_report(tiny, tmp_path / "r", as_of=TINY_AS_OF, maps=False)
    html = rep.path.read_text(encoding="utf-8")
    risks = _section(html, "risks")
    # chips: S3 alone, its share 1 -> "100 %"; steel: S1 400k of 500k -> "80 %"
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", risks)
    assert "100\u00a0%" in cells and "80\u00a0%" in cells
    assert "directed True" not in html and "directed False" not in html
    assert "True" not in re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert re.search(r'<th title="[^"]*shortest routes[^"]*" class="note">betweenness</th>', html)
    assert '<p class="method"><strong>How:</strong> Ties are read directed' in _section(html, "central")
    # the exported tables keep the exact column names and values
    cats = pd.read_csv(tmp_path / "r" / "tables" / "supply_categories.csv")
    assert "top_share" in cats.columns and cats.loc[cats["category"] == "chips", "top_share"].item() == 1.0


def test_tables_scroll_in_their_own_focusable_box():
    df = pd.DataFrame({"name": ["A" * 200], "share": [0.25], "flag": [True]})
    html = html_table(df, {"name": "organisation", "share": "share", "flag": "our partner"},
                      percent_columns=("share",), label="Partners")
    assert html.startswith('<div class="tw" tabindex="0" role="region" aria-label="Partners">')
    # a name is cut at 80 characters, the whole of it in the tooltip; a share as a percentage, a boolean in words
    assert f'title="{"A" * 200}">{"A" * 79}\u2026</td>' in html
    assert ">25\u00a0%</td>" in html and ">yes</td>" in html


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "text":
            self.texts.append((self.stack[-1][1], data))


def test_bar_chart_makes_room_for_its_labels_and_values():
    long = "power semiconductors and other very long category names"
    svg = bar_chart([long, "PCBs"], [10_000, 2_000], value_text=["10,000 (single source)", "2,000 (moderate)"],
                    width=640, title="HHI")
    p = _Texts()
    p.feed(svg)
    labels = [t for a, t in p.texts if a.get("text-anchor") == "end"]
    values = [(float(a["x"]), t) for a, t in p.texts if a.get("text-anchor") is None]
    # the value texts are whole and end inside the chart (7.2 px a character is wider than the 12 px font's)
    assert [t for _, t in values] == ["10,000 (single source)", "2,000 (moderate)"]
    assert all(x + 7.2 * len(t) <= 640 for x, t in values)
    # the label column is at most 40 % of the chart: a longer label is cut, the whole of it in the tooltip
    label_w = float(re.search(r'<rect x="([0-9.]+)"', svg).group(1))
    assert label_w <= 256 and labels[1] == "PCBs"
    assert labels[0].endswith("\u2026") and len(labels[0]) * 7.2 <= label_w
    assert f"<title>{long}: 10,000 (single source)</title>" in svg


def test_the_report_says_when_its_maps_are_reduced(tiny, tmp_path):
    # tiny: 10 organisations; the whole-network map keeps 5 of them
    rep = write_report(tiny, tmp_path / "r", as_of=TINY_AS_OF, max_nodes=5)
    html = rep.path.read_text(encoding="utf-8")
    assert re.search(r'<a href="map.html">Network map</a><span class="mapnote">showing 5 of 10 organisations, '
                     r"chosen by [^<]+</span>", html)
    assert '<p class="reduced">The maps: showing ' in html

    from netmap.render.map import MapData

    whole = MapData([], [], {}, {}, [], meta={"organisations_shown": 10, "organisations_total": 10})
    assert map_note(whole) == ""


# ------------------------------------------------------------------ in Chromium
CHROMIUM = os.environ.get("NETMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HOW = ("browser tests need Chromium and Playwright: install Debian's chromium (apt-get install chromium, "
       "or set NETMAP_CHROMIUM to a Chromium binary) and `pip install playwright`")
SIZES = ((1440, 900), (390, 844), (360, 740))


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(HOW)
    if not Path(CHROMIUM).exists():
        pytest.skip(HOW)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _open(browser, path: Path, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    seen = {"errors": [], "requests": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.resolve().as_uri())
    return page, seen


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


#: Every SVG text inside its chart: the label and value texts are not clipped.
CLIPPED = """() => Array.from(document.querySelectorAll('svg.chart text')).filter(t => {
    const box = t.getBoundingClientRect(), svg = t.ownerSVGElement.getBoundingClientRect();
    return box.left < svg.left - 0.5 || box.right > svg.right + 0.5; }).map(t => t.textContent)"""


@pytest.mark.browser
@pytest.mark.parametrize("width,height", SIZES)
def test_report_page_in_chromium(browser, sample_report, width, height, tmp_path):
    rep, _ = sample_report
    page, seen = _open(browser, rep.path, width, height)
    try:
        top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", "findings")
        assert top < page.evaluate("document.getElementById('summary').getBoundingClientRect().top")
        assert top < height  # the findings start on the first screen
        assert _fits(page), page.evaluate("document.documentElement.scrollWidth")
        assert page.evaluate(CLIPPED) == []
        page.screenshot(path=str(tmp_path / f"report-{width}.png"))
        assert seen["errors"] == []
        assert [u for u in seen["requests"] if not u.startswith("file://")] == []
    finally:
        page.close()


@pytest.mark.browser
def test_whom_to_approach_next_fits_about_one_screen(browser, sample_report):
    rep, _ = sample_report
    page, _ = _open(browser, rep.path, 1440, 900)
    try:
        # the ten candidates' table: about one screen (it was five)
        h = page.evaluate("document.querySelector('#opportunities .tw').getBoundingClientRect().height")
        assert h <= 900
    finally:
        page.close()


@pytest.mark.browser
def test_wide_tables_scroll_with_the_keyboard(browser, sample_report):
    rep, _ = sample_report
    page, _ = _open(browser, rep.path, 390, 844)
    try:
        box = page.locator("#whatif .tw").first
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # wider than a phone
        box.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(200)
        assert box.evaluate("e => e.scrollLeft") > 0
        assert _fits(page)
    finally:
        page.close()


@pytest.mark.browser
def test_print_hides_the_navigation_and_starts_each_section_on_a_page(browser, sample_report):
    rep, _ = sample_report
    page, _ = _open(browser, rep.path, 1440, 900)
    try:
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
        breaks = page.evaluate("Array.from(document.querySelectorAll('section')).map(s => getComputedStyle(s)"
                               ".breakBefore)")
        assert breaks[0] != "page" and set(breaks[1:]) == {"page"}
        assert page.evaluate("getComputedStyle(document.querySelector('.tw')).overflowX") == "visible"
        page.emulate_media(media="screen")
        assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") != "none"
    finally:
        page.close()


@pytest.fixture
def long_names(tiny_dir, tmp_path):
    """The tiny network where the focal F1 and S3 (the single source of chips) have 5,000-character names."""
    data = Path(shutil.copytree(tiny_dir, tmp_path / "data"))
    orgs = pd.read_csv(data / "organizations.csv", dtype=str, keep_default_na=False)
    orgs.loc[orgs["id"] == "F1", "name"] = LONG_NAME
    orgs.loc[orgs["id"] == "S3", "name"] = "Chipworks " + LONG_NAME
    orgs.to_csv(data / "organizations.csv", index=False)
    return netmap.read_network(data)


@pytest.mark.browser
@pytest.mark.parametrize("width,height", SIZES)
def test_a_5000_character_name_leaves_the_layout_intact(browser, long_names, tmp_path, width, height):
    rep = write_report(long_names, tmp_path / "r", as_of=TINY_AS_OF, maps=False)
    page, seen = _open(browser, rep.path, width, height)
    try:
        assert _fits(page), page.evaluate("document.documentElement.scrollWidth")
        assert page.evaluate("document.querySelector('header').offsetHeight") < 300
        assert page.evaluate(CLIPPED) == []
        # the name is never shown whole (only in tooltips): at most 200 characters of a text that holds it
        assert "o" * 200 not in page.evaluate("document.body.innerText")
        # the findings name S3 cut, its whole name on hover
        title = page.evaluate("document.querySelector('#findings strong[title]').getAttribute('title')")
        assert title in (LONG_NAME, "Chipworks " + LONG_NAME)
        tallest = page.evaluate("Math.max(...Array.from(document.querySelectorAll('.finding'))"
                                ".map(e => e.offsetHeight))")
        assert tallest < 900
        assert seen["errors"] == []
    finally:
        page.close()


def test_a_comparison_of_snapshots_adds_what_changed(tiny):
    import pandas as pd

    from netmap.render.sections import ReportContext
    from netmap.render.sections.findings import findings
    from netmap.result import Result

    ctx = ReportContext(tiny, "F1", 10, TINY_AS_OF)
    assert [f.section for f in findings(ctx)] == []  # nothing computed yet: no finding, and no error
    ctx.cache["changes"] = Result({"changes": pd.DataFrame({"reason": ["S3 <new> supplies chips", "C2 left"]})})
    found = findings(ctx)
    assert [f.title for f in found] == ["What changed"]
    assert found[0].text == "2 changes since the earlier snapshot"
    assert found[0].why == "S3 &lt;new&gt; supplies chips; C2 left"
