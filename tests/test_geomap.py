"""The geographic map: shapes from the shipped Natural Earth file; in Chromium it draws every country, shows
tooltips, exports a PNG, stays offline and shows hostile names as text."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import XSS_SCRIPT, XSS_SVG

import netmap
from netmap.cli import cli
from netmap.render.geomap import country_shapes, geomap_data, write_geomap

DATA = Path(netmap.__file__).resolve().parent / "render" / "data"
CHROMIUM = os.environ.get("NETMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _expected_countries() -> int:
    """Geometries of the shipped TopoJSON with an ISO numeric id (or Kosovo), less Antarctica -- read here directly."""
    topo = json.loads((DATA / "countries-110m.json").read_text(encoding="utf-8"))
    geoms = topo["objects"]["countries"]["geometries"]
    ids = {g.get("id") for g in geoms if g.get("id") and g.get("arcs") and g.get("id") != "010"}
    return len(ids) + any(g.get("properties", {}).get("name") == "Kosovo" for g in geoms)


def test_shapes_cover_the_shipped_countries():
    shapes = country_shapes()
    assert len(shapes) == _expected_countries()
    assert {"DE", "CN", "US", "BR", "AU", "TW", "XK"} <= set(shapes)
    # equirectangular: Germany's centre lies near 10 E, 51 N
    de = shapes["DE"]
    assert abs(de["cx"] / (960 / 360) - 180 - 10.3) < 3 and abs(84 - de["cy"] / (960 / 360) - 51.2) < 3
    assert (DATA / "README.md").exists()


def test_data_shades_by_measure(tiny):
    d = geomap_data(tiny, "F1", as_of="2024-06-30", tiers=2)
    c = {x["code"]: x for x in d["countries"]}
    # F1 buys 400,000 from S1 (DE), 250,000 from S3 (TW), 100,000 from S2 (PL); tier 2 puts steel in AU (T1)
    assert (c["DE"]["spend1"], c["TW"]["spend1"], c["PL"]["spend1"]) == (400_000.0, 250_000.0, 100_000.0)
    assert c["AU"]["spend"] == 500_000.0 and c["TW"]["spend"] == 250_000.0
    assert c["FR"]["sales"] == 700_000.0 and c["DE"]["organisations"] == 3
    assert d["focal_country"] == "DE"
    assert {(f["source"], f["target"]) for f in d["flows"]} >= {("TW", "DE"), ("DE", "FR"), ("AU", "DE")}


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright and Chromium (see tests/test_browser.py)")
    if not Path(CHROMIUM).exists():
        pytest.skip("browser tests need Chromium: apt-get install chromium, or set NETMAP_CHROMIUM")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _visit(browser, path: Path):
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    seen = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.resolve().as_uri())
    for _ in range(100):
        if page.evaluate("window.geomap && window.geomap.readyAt > 0"):
            break
        page.wait_for_timeout(50)
    return page, seen


def _hover(page, code: str) -> str:
    x, y = page.evaluate(f"""(() => {{ const r = document.querySelector('path.country[data-code="{code}"]')
        .getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
    page.mouse.move(x, y)
    page.wait_for_timeout(50)
    return page.evaluate("document.getElementById('tip').textContent")


@pytest.mark.browser
def test_geomap_draws_countries_tooltips_offline(browser, tmp_path):
    out = tmp_path / "geo.html"
    r = CliRunner().invoke(cli, ["geomap", "sample_data/tiny", "--as-of", "2024-06-30", "-o", str(out)])
    assert r.exit_code == 0, r.output
    page, seen = _visit(browser, out)
    try:
        assert seen["errors"] == []
        assert [u for u in seen["requests"] if not u.startswith(("file://", "data:", "about:"))] == []
        assert page.evaluate("document.querySelectorAll('path.country').length") == _expected_countries()
        assert page.evaluate("document.querySelectorAll('path.flow').length") == 6  # the tiny network's 6 pairs
        assert page.evaluate("document.querySelectorAll('path.country.focal').length") == 1
        fills = page.evaluate("[...document.querySelectorAll('path.country')].map(p => p.getAttribute('fill'))")
        assert len(set(fills)) >= 3  # shaded countries and the grey of those with none
        tip = _hover(page, "AU")
        assert tip.startswith("Australia (AU)") and "traced to tier 3: 500,000" in tip
        assert page.evaluate("getComputedStyle(document.getElementById('tip')).display") == "block"
        page.evaluate("new Promise(done => window.geomap.toPNG(done))")
        shot = page.evaluate("window.geomap.lastExport")
        assert shot["type"] == "png" and shot["width"] == 1920 and shot["bytes"] > 10_000
    finally:
        page.close()


@pytest.mark.browser
def test_geomap_shows_hostile_names_as_text(browser, evil_dir, tmp_path):
    out = tmp_path / "geo.html"
    write_geomap(netmap.read_network(evil_dir), out, "F1", as_of="2024-06-30", tiers=2)
    page, seen = _visit(browser, out)
    try:
        assert seen["errors"] == [] and seen["dialogs"] == []
        tip = _hover(page, "AU")  # T1, named XSS_SCRIPT, holds the steel spend at tier 2
        assert XSS_SCRIPT in tip
        assert XSS_SVG in page.evaluate("document.getElementById('legend').textContent")  # D1's country, unplaced
        assert page.evaluate("document.querySelectorAll('img, iframe, svg svg').length") == 0
        assert page.evaluate("document.scripts.length") == 2  # the data and the page's own script
    finally:
        page.close()


@pytest.mark.browser
def test_report_writes_and_links_the_geographic_map(browser, tiny, tmp_path):
    from html.parser import HTMLParser

    from netmap.render.report import write_report

    rep = write_report(tiny, tmp_path / "r", as_of="2024-06-30")
    geo = tmp_path / "r" / "geo.html"
    assert geo in rep.files and geo.is_file()

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.section, self.found = None, []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "section":
                self.section = a.get("id")
            if tag == "a" and a.get("href") == "geo.html":
                self.found.append(self.section)

    p = Links()
    p.feed((tmp_path / "r" / "report.html").read_text(encoding="utf-8"))
    # once in "Where our network lives", once in the maps list (outside every section)
    assert "geography" in p.found and len(p.found) >= 2
    page, seen = _visit(browser, geo)
    try:
        assert seen["errors"] == []
        assert [u for u in seen["requests"] if not u.startswith(("file://", "data:", "about:"))] == []
        assert page.evaluate("document.querySelectorAll('path.country').length") == _expected_countries()
        # the same tiny network as the geomap command: 6 country pairs, AU holds the steel spend at tier 3
        assert page.evaluate("document.querySelectorAll('path.flow').length") == 6
        tip = _hover(page, "AU")
        assert tip.startswith("Australia (AU)") and "traced to tier 3: 500,000" in tip
    finally:
        page.close()
    # without maps, neither the file nor a link to it
    bare = write_report(tiny, tmp_path / "bare", as_of="2024-06-30", maps=False)
    assert not (tmp_path / "bare" / "geo.html").exists() and all(f.name != "geo.html" for f in bare.files)
    assert 'href="geo.html"' not in (tmp_path / "bare" / "report.html").read_text(encoding="utf-8")
