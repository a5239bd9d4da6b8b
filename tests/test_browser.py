"""Maps and the report in a real browser (headless Chromium): offline, no errors, drawn, XSS-proof.

Enable with Debian's Chromium at /usr/bin/chromium (``apt-get install chromium``)
and ``pip install playwright`` (its own browser download is not needed); set
``NETMAP_CHROMIUM`` to use another Chromium binary.
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hostile import XSS_IMG, XSS_SCRIPT, XSS_SVG

import netmap
from netmap.network import Network
from netmap.render.map import write_map
from netmap.render.report import write_report

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("NETMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
HOW = ("browser tests need Chromium and Playwright: install Debian's chromium (apt-get install chromium, "
       "or set NETMAP_CHROMIUM to a Chromium binary) and `pip install playwright`")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(HOW)
    if not Path(CHROMIUM).exists():
        pytest.skip(HOW)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Visit:
    """One page visit with everything it did recorded."""

    def __init__(self, browser, path: Path, wait_map: bool = True):
        self.browser = browser
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})
        self.errors, self.requests, self.dialogs = [], [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri())
        if wait_map:
            self.wait_for("window.netmap && window.netmap.readyAt", 30)

    def wait_for(self, expression: str, seconds: float) -> None:
        """Poll ``expression`` until it is true (evaluated from outside: the page's CSP forbids eval)."""
        for _ in range(int(seconds * 20)):
            if self.page.evaluate(expression):
                return
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{expression} still false after {seconds} s; page errors: {self.errors}")

    def distinct_colours(self) -> int:
        """Distinct pixel colours of a screenshot, decoded by the browser on a blank page."""
        png = base64.b64encode(self.page.screenshot()).decode()
        probe = self.browser.new_page()
        try:
            return probe.evaluate(
                """async (b64) => {
                    const img = new Image(); img.src = "data:image/png;base64," + b64; await img.decode();
                    const c = document.createElement("canvas"); c.width = img.width; c.height = img.height;
                    const ctx = c.getContext("2d"); ctx.drawImage(img, 0, 0);
                    const d = ctx.getImageData(0, 0, c.width, c.height).data; const seen = new Set();
                    for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
                    return seen.size; }""",
                png,
            )
        finally:
            probe.close()

    def close(self):
        self.page.close()


def _only_local(requests):
    return [u for u in requests if not u.startswith(("file://", "data:", "about:"))]


def test_tiny_map_draws_offline(browser, tmp_path):
    out = tmp_path / "map.html"
    write_map(netmap.read_network("sample_data/tiny"), out, size="degree", all_ties=True)
    v = Visit(browser, out)
    try:
        assert v.errors == []
        assert _only_local(v.requests) == []
        # the counts of sample_data/tiny: 10 organisation rows, 14 relationship rows
        assert v.page.evaluate("[netmap.nodes.length, netmap.edges.length]") == [10, 14]
        assert v.page.evaluate("Object.keys(netmap.network.body.nodes).filter(k => netmap.nodes.get(k)).length") == 10
        assert v.page.evaluate("netmap.visId('F1')") == "o:F1"
        assert v.distinct_colours() > 100  # a blank or single-colour page has a handful
    finally:
        v.close()


def _random_network(n: int, m: int, seed: int = 3) -> Network:
    rng = np.random.default_rng(seed)
    ids = [f"N{i}" for i in range(n)]
    roles = np.array(["firm", "supplier", "distributor", "research_partner", "customer"])[rng.integers(0, 5, n)]
    nodes = pd.DataFrame({"id": ids, "name": [f"Org {i}" for i in range(n)], "roles": roles,
                          "country": np.array(["DE", "FR", "US", "JP"])[rng.integers(0, 4, n)]})
    u = rng.integers(0, n, m)
    v = (u + 1 + rng.zipf(1.6, m) % (n - 1)) % n
    edges = pd.DataFrame({"source": np.array(ids)[u], "target": np.array(ids)[v], "type": "SUPPLIES",
                          "value": rng.integers(1, 100, m).astype(float), "trust": rng.random(m)})
    return Network(nodes, edges.drop_duplicates(["source", "target"]))


def test_python_layout_map_draws_with_physics_off(browser, tmp_path):
    net = _random_network(1500, 4000)
    out = tmp_path / "big.html"
    data = write_map(net, out, size="degree", physics_max_nodes=1000)
    assert data.options["physics"]["enabled"] is False
    v = Visit(browser, out)
    try:
        assert v.errors == [] and _only_local(v.requests) == []
        assert v.page.evaluate("[netmap.nodes.length, netmap.edges.length]") == [net.n_nodes, net.n_edges]
        # positions are the ones computed in Python, not moved by physics
        pos = v.page.evaluate("netmap.network.getPositions([netmap.visId('N0'), netmap.visId('N1')])")
        want = {"o:" + n["id"]: (n["x"], n["y"]) for n in data.nodes if n["id"] in ("N0", "N1")}
        for k, (x, y) in want.items():
            assert pos[k]["x"] == pytest.approx(x, abs=1) and pos[k]["y"] == pytest.approx(y, abs=1)  # vis rounds
        assert v.distinct_colours() > 100
    finally:
        v.close()


@pytest.fixture
def evil_net(evil_dir):
    return netmap.read_network(evil_dir)


def test_xss_probes_do_not_fire_in_the_map(browser, evil_net, tmp_path):
    out = tmp_path / "evil.html"
    write_map(evil_net, out, size="degree", highlight="opportunities")
    v = Visit(browser, out)
    try:
        p = v.page
        # show the details panel and the hover tooltip of each hostile organisation
        for oid in ("S1", "T1", "D1"):
            p.evaluate("id => netmap.find(id)", oid)
            xy = p.evaluate("id => netmap.network.canvasToDOM(netmap.network.getPosition(netmap.visId(id)))", oid)
            box = p.locator("#graph").bounding_box()
            p.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
            p.wait_for_timeout(150)
        assert p.evaluate("netmap.tipShown") is True
        p.wait_for_timeout(300)
        assert v.dialogs == []
        assert p.evaluate("document.querySelectorAll('img').length") == 0
        details = p.evaluate("document.getElementById('details').textContent")
        assert XSS_SVG in details  # D1, shown last, its country as text
        names = p.evaluate("Array.from(document.querySelectorAll('#names option')).map(o => o.value)")
        assert XSS_IMG in names and XSS_SCRIPT in names
        assert v.errors == [] and _only_local(v.requests) == []
    finally:
        v.close()


def test_xss_probes_do_not_fire_in_the_report(browser, evil_net, tmp_path):
    rep = write_report(evil_net, tmp_path / "r", as_of="2024-06-30")
    v = Visit(browser, rep.path, wait_map=False)
    try:
        v.page.wait_for_timeout(300)
        assert v.dialogs == []
        assert v.page.evaluate("document.querySelectorAll('img, script').length") == 0
        assert XSS_IMG in v.page.evaluate("document.body.textContent")
        assert v.errors == [] and _only_local(v.requests) == []
        assert v.distinct_colours() > 50
    finally:
        v.close()
    m = Visit(browser, tmp_path / "r" / "map.html")
    try:
        assert m.dialogs == [] and m.errors == [] and _only_local(m.requests) == []
        assert m.page.evaluate("netmap.nodes.length") == 10
    finally:
        m.close()


def test_filters_never_blank_the_map(browser, tmp_path):
    out = tmp_path / "map.html"
    write_map(netmap.read_network("sample_data/tiny"), out, size="degree", all_ties=True)
    v = Visit(browser, out)
    try:
        p = v.page
        boxes = p.locator("#f-roles input")
        for i in range(boxes.count()):
            boxes.nth(i).click()
        # the last click would have hidden everything: refused, with a message
        assert "not applied" in p.evaluate("document.getElementById('filter-msg').textContent")
        visible = p.evaluate("netmap.nodes.get({filter: n => !n.hidden}).map(n => n.nm.id)")
        # every role but the last one (customer: C1, C2) is off
        assert sorted(visible) == ["C1", "C2"]
        hidden_edges = p.evaluate("netmap.edges.get({filter: e => e.hidden}).length")
        assert hidden_edges == 14  # no tie runs between C1 and C2, so every tie has a hidden end
        p.click("#f-all")
        assert p.evaluate("netmap.nodes.get({filter: n => !n.hidden}).length") == 10
        # tie-type filter hides ties, never organisations
        p.locator("#f-types input").first.click()  # SUPPLIES: 5 ties
        assert p.evaluate("netmap.edges.get({filter: e => e.hidden}).length") == 5
        assert p.evaluate("netmap.nodes.get({filter: n => !n.hidden}).length") == 10
        assert v.errors == []
    finally:
        v.close()


def test_search_selects_and_focuses(browser, tmp_path):
    out = tmp_path / "map.html"
    write_map(netmap.read_network("sample_data/tiny"), out, size="degree", all_ties=True)
    v = Visit(browser, out)
    try:
        p = v.page
        p.fill("#search", "chipfab")
        p.press("#search", "Enter")
        assert p.evaluate("netmap.selected()") == ["S3"]
        assert "ChipFab" in p.evaluate("document.getElementById('details').textContent")
        p.fill("#search", "no such org")
        p.press("#search", "Enter")
        assert "No organisation" in p.evaluate("document.getElementById('search-msg').textContent")
    finally:
        v.close()


# ------------------------------------------------- hostile values in every field
from hostile import HOSTILE_IDS, LONG_NAME, hostile_copy

from netmap.values import show_bidi


@pytest.fixture
def everywhere_net(tiny_dir, tmp_path):
    """Hostile ids (``__proto__``, ``constructor``...), names (one of 5,000 characters), categories, markets."""
    return netmap.read_network(hostile_copy(tiny_dir, tmp_path))


def test_hostile_ids_and_names_work_in_the_map(browser, everywhere_net, tmp_path):
    out = tmp_path / "evil.html"
    write_map(everywhere_net, out, size="degree", highlight="opportunities", as_of="2024-06-30",
              title="<img src=x onerror=alert(8)> {{DATA}}")
    v = Visit(browser, out)
    try:
        p = v.page
        assert p.evaluate("netmap.nodes.length") == 10
        # ids that JavaScript objects already hold are plain keys: found, selected, shown
        for oid in ("__proto__", "constructor", HOSTILE_IDS["S3"], HOSTILE_IDS["T1"]):
            p.evaluate("id => netmap.find(id)", oid)
            assert p.evaluate("netmap.selected()") == [oid]
            assert oid in p.evaluate("document.getElementById('details').textContent")
        # the countries "__proto__" and "constructor" get a filter box each, and every organisation stays shown
        labels = p.evaluate("Array.from(document.querySelectorAll('#f-countries label')).map(l => l.textContent)")
        assert " __proto__ (1)" in labels and " constructor (1)" in labels
        p.click("#f-all")
        assert p.evaluate("netmap.nodes.get({filter: n => !n.hidden}).length") == 10
        p.evaluate("Array.from(document.querySelectorAll('#f-countries input')).find(i => i.value === '__proto__').click()")
        shown = p.evaluate("netmap.nodes.get({filter: n => !n.hidden}).map(n => n.nm.id)")
        assert sorted(shown) == sorted(show_bidi(i) for i in ["F1", "S2", *HOSTILE_IDS.values()] if i != HOSTILE_IDS["S1"])
        assert v.dialogs == [] and v.errors == [] and _only_local(v.requests) == []
        assert p.evaluate("document.title") == "<img src=x onerror=alert(8)> {{DATA}}"
    finally:
        v.close()


def test_an_over_long_name_does_not_break_the_map_layout(browser, everywhere_net, tmp_path):
    out = tmp_path / "long.html"
    write_map(everywhere_net, out, size="degree", focal="F1", depth=1, as_of="2024-06-30")
    v = Visit(browser, out)
    try:
        p = v.page
        assert p.evaluate("document.documentElement.scrollWidth") <= 1200  # no sideways scrolling
        graph = p.locator("#graph").bounding_box()
        assert graph["height"] > 500 and graph["width"] > 700  # the map keeps most of the 1200 x 800 window
        assert p.evaluate("netmap.nodes.get(netmap.visId('F1')).label.length") <= 40
        # hover the focal organisation: the tooltip holds the whole name and stays inside the map
        xy = p.evaluate("netmap.network.canvasToDOM(netmap.network.getPosition(netmap.visId('F1')))")
        p.mouse.move(graph["x"] + xy["x"], graph["y"] + xy["y"])
        v.wait_for("netmap.tipShown === true", 5)
        tip = p.locator(".nm-float").bounding_box()
        assert tip["width"] <= 360 and tip["height"] <= graph["height"]
        assert LONG_NAME in p.evaluate("document.querySelector('.nm-float').textContent")
        p.evaluate("netmap.find('F1')")
        side = p.locator("#side").bounding_box()
        assert side["width"] <= 301 and p.evaluate("document.documentElement.scrollWidth") <= 1200
        assert LONG_NAME in p.evaluate("document.getElementById('details').textContent")
        assert v.errors == []
    finally:
        v.close()


def test_an_over_long_name_does_not_break_the_report_layout(browser, everywhere_net, tmp_path):
    rep = write_report(everywhere_net, tmp_path / "r", as_of="2024-06-30", maps=False)
    v = Visit(browser, rep.path, wait_map=False)
    try:
        p = v.page
        assert p.evaluate("document.documentElement.scrollWidth") <= 1200  # no sideways scrolling
        nav = p.locator("nav").bounding_box()
        main = p.locator("main").bounding_box()
        assert main["x"] > nav["x"] + nav["width"] and main["x"] + main["width"] <= 1200
        assert p.evaluate("document.querySelector('header').offsetHeight") < 300
        assert v.dialogs == [] and v.errors == []
    finally:
        v.close()
