"""The map page in a real browser (headless Chromium): click-to-focus, legend, lists, search, pictures, print, phones.

Every expected figure is computed here from the CSV files (pandas, networkx)
or from the analyses, not read from the page. Needs Chromium and Playwright
(see tests/test_browser.py).
"""

from __future__ import annotations

import base64
import struct
from itertools import pairwise
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from test_browser import Visit, browser  # noqa: F401  (the fixture is used by name)

import netmap
from netmap.render.map import write_map
from netmap.render.style import ROLE_COLORS
from netmap.values import fmt_number

pytestmark = pytest.mark.browser

SAMPLE = "sample_data"


@pytest.fixture(scope="module")
def sample():
    return netmap.read_network(SAMPLE)


@pytest.fixture(scope="module")
def rel():
    return pd.read_csv(f"{SAMPLE}/relationships.csv")


@pytest.fixture(scope="module")
def orgs():
    return pd.read_csv(f"{SAMPLE}/organizations.csv")


@pytest.fixture(scope="module")
def sample_map(sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("map") / "map.html"
    data = write_map(sample, out, all_ties=True, report="report.html")
    return out, data


def _visible(p) -> int:
    return p.evaluate("netmap.nodes.get({filter: n => !n.hidden}).length")


def _click_org(v: Visit, oid: str) -> None:
    """Bring ``oid`` to the middle (search), then click it with the mouse."""
    p = v.page
    p.evaluate("id => netmap.find(id)", oid)
    xy = p.evaluate("id => netmap.network.canvasToDOM(netmap.network.getPosition(netmap.visId(id)))", oid)
    assert p.evaluate("xy => netmap.network.getNodeAt(xy)", xy) == "o:" + oid  # nothing drawn above it
    box = p.locator("#graph").bounding_box()
    p.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])


def _hops(rel: pd.DataFrame, oid: str, k: int) -> set:
    g = nx.Graph(list(rel[["source", "target"]].itertuples(index=False, name=None)))
    return set(nx.single_source_shortest_path_length(g, oid, cutoff=k))


def _name_id(orgs: pd.DataFrame, part: str) -> str:
    return orgs.loc[orgs["name"].str.contains(part, regex=False), "id"].iloc[0]


# ----------------------------------------------------------- click to focus
def test_clicking_an_organisation_focuses_its_neighbourhood(browser, sample_map, rel, orgs):  # noqa: F811
    path, data = sample_map
    oid = _name_id(orgs, "Lumen Trading")
    v = Visit(browser, path)
    try:
        p = v.page
        assert _visible(p) == data.n_nodes
        _click_org(v, oid)
        want = _hops(rel, oid, 1)
        assert len(want) == 1 + rel.loc[(rel.source == oid) | (rel.target == oid)].apply(
            lambda r: r.target if r.source == oid else r.source, axis=1).nunique()
        shown = set(p.evaluate("netmap.nodes.get({filter: n => !n.hidden}).map(n => n.nm.id)"))
        assert shown == want
        assert "Back to the whole map" in p.locator("#focus-bar").inner_text()
        # two ties around it, chosen in the page
        p.check("input[name=click][value='2']")
        _click_org(v, oid)
        assert _visible(p) == len(_hops(rel, oid, 2)) > len(want)
        # the way back
        p.click("#focus-bar button")
        assert _visible(p) == data.n_nodes
        assert p.locator("#focus-bar").is_hidden()
        assert v.errors == []
    finally:
        v.close()


def test_legend_entries_toggle_their_group(browser, sample_map, orgs):  # noqa: F811
    path, data = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        first = orgs["roles"].str.split(";").map(lambda rs: next(r for r in ROLE_COLORS if r in rs))
        customers = int((first == "customer").sum())
        p.locator("#legend .lg", has_text="customer").first.click()
        assert _visible(p) == data.n_nodes - customers
        assert p.locator("#legend .lg", has_text="customer").first.get_attribute("aria-pressed") == "false"
        p.locator("#legend .lg", has_text="customer").first.click()
        assert _visible(p) == data.n_nodes
        # a tie type in the legend hides those ties
        sells_to = int((rel_types := pd.read_csv(f"{SAMPLE}/relationships.csv")["type"].str.upper()).eq("SELLS_TO").sum())
        assert sells_to > 0 and len(rel_types) == data.n_edges
        p.locator("#legend .lg", has_text="sells to").first.click()
        assert p.evaluate("netmap.edges.get({filter: e => !e.hidden}).length") == data.n_edges - sells_to
    finally:
        v.close()


def test_risk_list_is_ordered_by_severity_and_flies_to_an_organisation(browser, sample, tmp_path):  # noqa: F811
    out = tmp_path / "risks.html"
    data = write_map(sample, out, highlight="risks", as_of="2024-06-30")
    v = Visit(browser, out)
    try:
        p = v.page
        names = p.evaluate("Array.from(document.querySelectorAll('#listed li')).map(li => li.querySelector('.pick').firstChild.textContent)")
        assert names == [n for _, n, _ in data.listed] and names
        p.locator("#listed .pick").nth(1).click()
        v.wait_for(f"netmap.selected()[0] === {data.listed[1][0]!r}", 5)
        assert data.listed[1][1] in p.evaluate("document.getElementById('details').textContent")
    finally:
        v.close()


def test_the_map_links_back_to_its_report(browser, sample_map):  # noqa: F811
    path, _ = sample_map
    v = Visit(browser, path)
    try:
        assert v.page.locator("a.back").get_attribute("href") == "report.html"
    finally:
        v.close()


# ------------------------------------------------------------------ search
def test_enter_runs_one_search_and_fit_after_search_fits(browser, sample_map, orgs):  # noqa: F811
    path, _ = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        p.click("#fit")
        fitted = p.evaluate("netmap.network.getScale()")
        name = orgs.loc[orgs["id"] == _name_id(orgs, "Lumen Trading"), "name"].iloc[0]
        p.fill("#search", name)
        p.press("#search", "Enter")
        assert p.evaluate("netmap.searches") == 1
        assert p.evaluate("netmap.network.getScale()") > fitted * 1.5
        p.click("#fit")  # one click is enough right after a search
        assert p.evaluate("netmap.network.getScale()") == pytest.approx(fitted, rel=0.02)
    finally:
        v.close()


def test_several_matches_offer_a_choice(browser, sample_map, orgs):  # noqa: F811
    path, _ = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        want = orgs[orgs["name"].str.lower().str.contains("trading")]
        assert len(want) > 1
        p.fill("#search", "Trading")
        p.press("#search", "Enter")
        assert p.evaluate("netmap.selected()") == []  # nothing picked silently
        assert f"{len(want)} organisations match" in p.locator("#search-msg").inner_text()
        picks = p.locator("#matches .pick")
        assert picks.count() == min(len(want), 50)
        label = picks.nth(2).inner_text()
        picks.nth(2).click()
        chosen = p.evaluate("netmap.selected()")
        assert len(chosen) == 1 and chosen[0] in set(want["id"]) and f"({chosen[0]})" in label
    finally:
        v.close()


def test_failed_search_clears_the_details(browser, sample_map, orgs):  # noqa: F811
    path, _ = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        oid = _name_id(orgs, "Lumen Trading")
        p.fill("#search", oid)
        p.press("#search", "Enter")
        assert oid in p.evaluate("document.getElementById('details').textContent")
        p.fill("#search", "no such organisation anywhere")
        p.press("#search", "Enter")
        assert p.evaluate("document.getElementById('details').textContent") == ""
        assert p.evaluate("netmap.selected()") == []
        assert "No organisation" in p.locator("#search-msg").inner_text()
    finally:
        v.close()


def test_searching_a_filtered_out_organisation_says_so(browser, sample_map, orgs):  # noqa: F811
    path, data = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        cust = orgs[orgs["roles"] == "customer"].iloc[0]
        p.locator("#f-roles input[value='customer']").uncheck()
        hidden_now = data.n_nodes - _visible(p)
        assert hidden_now == int((orgs["roles"] == "customer").sum())
        p.fill("#search", cust["id"])
        p.press("#search", "Enter")
        assert "hidden by the filters" in p.locator("#search-msg").inner_text()
        assert p.locator("#f-roles input[value='customer']").is_checked() is False  # filters kept
        assert data.n_nodes - _visible(p) == hidden_now
        p.locator("#search-msg button").click()  # the offered way to show it
        assert p.evaluate("netmap.selected()") == [cust["id"]] and _visible(p) == data.n_nodes
    finally:
        v.close()


# ----------------------------------------------------- pictures and printing
def _png_size(raw: bytes) -> tuple[int, int]:
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", raw[16:24])


def test_download_png_holds_the_map_and_the_legend(browser, sample_map):  # noqa: F811
    path, data = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        with p.expect_download() as dl:
            p.click("#dl-png")
        raw = Path(dl.value.path()).read_bytes()
        w, h = _png_size(raw)
        canvas = p.evaluate("[document.querySelector('#graph canvas').width, document.querySelector('#graph canvas').height]")
        assert w > canvas[0] and h > canvas[1]  # the map plus a legend beside it and a title above it
        legend_x = p.evaluate("netmap.lastExport.legendX")
        # count the pixels of each role colour in the legend strip, decoded by the browser
        counts = browser.new_page().evaluate(
            """async ([b64, x0, colours]) => {
                const img = new Image(); img.src = "data:image/png;base64," + b64; await img.decode();
                const c = document.createElement("canvas"); c.width = img.width; c.height = img.height;
                const ctx = c.getContext("2d"); ctx.drawImage(img, 0, 0);
                const d = ctx.getImageData(x0, 0, img.width - x0, img.height).data;
                return colours.map(hex => { const v = parseInt(hex.slice(1), 16); let n = 0;
                  for (let i = 0; i < d.length; i += 4) if (((d[i] << 16) | (d[i+1] << 8) | d[i+2]) === v) n++; return n; });
            }""",
            [base64.b64encode(raw).decode(), legend_x, [ROLE_COLORS[r] for r in ("firm", "supplier", "customer")]],
        )
        assert all(n > 50 for n in counts), counts  # each legend swatch is drawn (a 14 px disc)
        with p.expect_download() as dl:
            p.click("#dl-svg")
        svg = Path(dl.value.path()).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and svg.count("<circle") >= data.n_nodes and "Legend" in svg
        assert ROLE_COLORS["customer"] in svg
    finally:
        v.close()


def test_print_hides_the_panels_and_keeps_the_legend(browser, sample_map):  # noqa: F811
    path, data = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        p.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what a browser does before printing
        p.emulate_media(media="print")
        for sel in ("#side", "#search", "#f-roles", "#fit", "#dl-png", "a.back", "#notes", "#legend"):
            assert p.locator(sel).is_hidden(), sel
        assert p.locator("#graph canvas").is_hidden()
        img = p.locator("#print-img")
        v.wait_for("document.getElementById('print-img').naturalWidth > 0", 5)
        box, page_w = img.bounding_box(), p.viewport_size["width"]
        assert box["width"] >= page_w * 0.9  # the picture fills the width (a canvas would be stretched)
        svg = p.evaluate("decodeURIComponent(document.getElementById('print-img').src.split(',')[1])")
        # the legend is printed inside the picture, and the organisations are drawn
        assert "Legend" in svg and all(c in svg for c in (ROLE_COLORS["firm"], ROLE_COLORS["customer"]))
        assert svg.count("<circle") >= data.n_nodes
        p.emulate_media(media="screen")
        p.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert p.locator("#side").is_visible() and p.locator("#print-img").count() == 0
    finally:
        v.close()


# ------------------------------------------------------------ ego map, phones
def test_ego_map_figures_equal_the_whole_networks(browser, sample, tmp_path):  # noqa: F811
    from netmap.analysis.centrality import centrality

    focal = sample.focal_ids[0]
    out = tmp_path / "ego.html"
    write_map(sample, out, focal=focal, depth=1, all_ties=True)
    pr = centrality(sample, sort="pagerank").table.set_index("id")  # what the report's table shows
    v = Visit(browser, out)
    try:
        p = v.page
        some = p.evaluate("netmap.nodes.get().map(n => n.nm.id)")[:5]
        for oid in some:
            p.evaluate("id => netmap.find(id)", oid)
            text = p.evaluate("document.getElementById('details').textContent")
            assert f"PageRank: {fmt_number(pr.loc[oid, 'pagerank'])}" in text
            assert f"partners: {fmt_number(pr.loc[oid, 'degree'])}" in text
        assert "whole network" in p.locator("#notes").inner_text()
    finally:
        v.close()


@pytest.mark.parametrize("width,height", [(390, 844), (360, 740)])
def test_phone_width_keeps_the_graph_usable(browser, sample_map, width, height):  # noqa: F811
    path, _ = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        p.set_viewport_size({"width": width, "height": height})
        p.wait_for_timeout(200)
        assert p.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        canvas = p.locator("#graph canvas").bounding_box()
        assert canvas["width"] >= 300 and canvas["height"] >= 300
    finally:
        v.close()


def test_long_name_keeps_the_map_and_lists_intact(browser, tmp_path):  # noqa: F811
    from hostile import LONG_NAME

    nodes = pd.DataFrame({"id": [f"N{i}" for i in range(12)], "name": [LONG_NAME] + [f"Org {i}" for i in range(1, 12)],
                          "roles": ["firm"] + ["supplier"] * 11, "focal": [True] + [False] * 11})
    edges = pd.DataFrame({"source": [f"N{i}" for i in range(1, 12)], "target": "N0", "type": "SUPPLIES",
                          "value": 1.0, "category": [f"c{i}" for i in range(11)]})
    net = netmap.network.Network(nodes, edges)
    out = tmp_path / "long.html"
    data = write_map(net, out, all_ties=True, highlight="risks")
    assert len(LONG_NAME) >= 5000
    v = Visit(browser, out)
    try:
        p = v.page
        assert p.evaluate("document.documentElement.scrollWidth") <= 1200
        # the 12 organisations keep a readable size: the map is not shrunk to a dot by the label
        xs = p.evaluate("Object.values(netmap.network.getPositions()).map(q => netmap.network.canvasToDOM(q).x)")
        assert max(xs) - min(xs) > 150
        assert p.locator("#side").bounding_box()["width"] <= 301
    finally:
        v.close()
    assert data.n_nodes == 12


# ------------------------------------------------ quick frames while the view moves
#: Runs in the page: organisations drawn white and unnamed, so that what is drawn is the ties;
#: after each frame, the 4x4-pixel blocks holding ink, whether the frame took the ties from a
#: picture, and the view it was drawn at.
INK_JS = """() => {
  netmap.nodes.update(netmap.nodes.get().map(n => ({id: n.id, borderWidth: 0,
    color: {background: '#ffffff', border: '#ffffff'}, font: {color: 'rgba(0,0,0,0)', strokeWidth: 0}})));
  const net = netmap.network, cv = document.querySelector('#graph canvas');
  window.__inkFrames = [];
  net.on('afterDrawing', () => {
    const w = cv.width, h = cv.height, d = cv.getContext('2d').getImageData(0, 0, w, h).data, blocks = [];
    for (let by = 0; by < h; by += 4) for (let bx = 0; bx < w; bx += 4) {
      let ink = false;
      for (let y = by; y < Math.min(by + 4, h) && !ink; y++) for (let x = bx; x < Math.min(bx + 4, w); x++) {
        const i = 4 * (y * w + x); if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) { ink = true; break; } }
      if (ink) blocks.push(by * w + bx);
    }
    window.__lastDraw = performance.now();
    window.__inkFrames.push({quick: netmap.quickFrames, pictures: netmap.quickPictures, scale: net.getScale(),
                             at: net.getViewPosition(), blocks: blocks});
  });
}"""


def _two_frames(p) -> None:
    p.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _wheel(p, steps: int, dy: int = -120) -> None:
    box = p.locator("#graph canvas").bounding_box()
    p.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(steps):
        p.mouse.wheel(0, dy)
        _two_frames(p)


def _drag(p, x: float, y: float, dx: float, dy: float, steps: int = 7) -> None:
    """Press at (x, y) on the page and move by (dx, dy) per step, a frame each, then release."""
    p.mouse.move(x, y)
    p.wait_for_timeout(100)
    p.mouse.down()
    p.wait_for_timeout(50)
    for i in range(1, steps + 1):
        p.mouse.move(x + dx * i, y + dy * i)
        _two_frames(p)
    p.mouse.up()


def _move_and_stop(p, move, steps: int):
    """Move the view (``move(p)``: ``steps`` frames), let it stop; the last frame drawn from a picture and the frame after."""
    p.evaluate("window.__inkFrames = []")
    move(p)
    # the view has stopped: vis-network redraws on release, and 250 ms after the last wheel step
    for _ in range(100):
        p.wait_for_timeout(100)
        if p.evaluate("!netmap.network.renderer.zooming && window.__inkFrames.length > 0 && "
                      "window.__inkFrames[window.__inkFrames.length - 1].quick === netmap.quickFrames && "
                      "performance.now() - window.__lastDraw > 300"):
            break
    frames = p.evaluate("window.__inkFrames")
    quick = [f for a, f in pairwise(frames) if f["quick"] > a["quick"]]
    assert len(quick) >= steps // 2  # the move was drawn with the ties taken from a picture...
    assert quick[-1]["quick"] > quick[-1]["pictures"]  # ...which was reused, moved and scaled
    last, crisp = quick[-1], frames[-1]
    assert crisp["quick"] == last["quick"]  # the frame after the view stopped draws every tie itself
    assert crisp["scale"] == pytest.approx(last["scale"])
    assert crisp["at"]["x"] == pytest.approx(last["at"]["x"]) and crisp["at"]["y"] == pytest.approx(last["at"]["y"])
    return set(last["blocks"]), set(crisp["blocks"])


def test_ties_stay_drawn_in_place_while_zooming_and_crisp_when_it_stops(browser, sample_map):  # noqa: F811
    path, _ = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        p.evaluate(INK_JS)
        p.evaluate("netmap.network.setOptions({interaction: {dragNodes: false}})")  # a drag anywhere pans
        p.evaluate("netmap.network.redraw()")
        start = p.evaluate("netmap.network.getScale()")
        box = p.locator("#graph canvas").bounding_box()
        moves = [
            ("zoom in to about 4x", lambda p: _wheel(p, 16, -120), 16),
            # a view and a half to the left: the view leaves the picture and its margin
            ("pan", lambda p: _drag(p, box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2,
                                    -box["width"] * 0.15, 0, steps=10), 10),
            ("zoom out to below the fitted view", lambda p: _wheel(p, 24, 120), 24),
        ]
        for what, move, steps in moves:
            a, b = _move_and_stop(p, move, steps)
            assert len(b) > 500, what  # ties cover much of the view
            # the picture puts the ties where vis-network itself draws them
            assert len(a & b) / len(a | b) >= 0.9, (what, len(a), len(b), len(a & b))
        assert p.evaluate("netmap.network.getScale()") < start / 1.5
        assert v.errors == []
    finally:
        v.close()


def test_panning_uses_the_picture_and_dragging_an_organisation_does_not(browser, sample_map):  # noqa: F811
    path, _ = sample_map
    v = Visit(browser, path)
    try:
        p = v.page
        box = p.locator("#graph canvas").bounding_box()
        # pan from an empty corner
        x, y = box["x"] + 6, box["y"] + 6
        assert p.evaluate("xy => netmap.network.getNodeAt(xy)", {"x": 6, "y": 6}) is None
        before = p.evaluate("netmap.quickFrames")
        _drag(p, x, y, 15, 10)
        assert p.evaluate("netmap.quickFrames") > before
        # drag an organisation: its ties move with it, so every frame draws the ties
        oid = p.evaluate("netmap.nodes.get()[0].id")
        xy = p.evaluate("id => netmap.network.canvasToDOM(netmap.network.getPosition(id))", oid)
        assert p.evaluate("xy => netmap.network.getNodeAt(xy)", xy) == oid
        start = p.evaluate("id => netmap.network.getPosition(id)", oid)
        before = p.evaluate("netmap.quickFrames")
        _drag(p, box["x"] + xy["x"], box["y"] + xy["y"], 12, 8)
        moved = p.evaluate("id => netmap.network.getPosition(id)", oid)
        assert abs(moved["x"] - start["x"]) > 10  # the organisation was dragged...
        assert p.evaluate("netmap.quickFrames") == before  # ...and no frame took its ties from a picture
    finally:
        v.close()
