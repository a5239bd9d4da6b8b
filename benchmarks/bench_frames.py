"""Frame budget of the maps in headless Chromium, side by side with plain pyvis on the same network.

Cases (the netmap map and the plain pyvis page of the same organisations and
ties, opened in the same browser one after the other):

* ``sample_data`` (349 organisations, 1,085 ties; physics layout in the
  browser, then still);
* a generated network of 5,000 organisations and 25,000 ties (positions
  computed in Python, physics off).

Each page is laid out and fitted, then zoomed in steps from the fitted view
to about four times closer and back with the mouse wheel over the map (40
wheel steps, one frame each), as a person zooms. The page times each frame it
draws (from vis-network's ``beforeDrawing`` to its ``afterDrawing`` event,
the canvas read back one pixel so that the drawing has really happened). The
figure is the median milliseconds per frame. Then the view is dragged from
an empty corner (40 mouse moves, one frame each), reported the same way
without a target. Targets
(the maps issue): at most 33 ms on ``sample_data`` (30 frames a second) and
150 ms at 5,000 organisations.

The plain pyvis page is pyvis' own ``from_nx`` + ``generate_html`` output
with the same vis-network inlined (its template loads it from a CDN, which
headless Chromium here cannot reach), labels only, pyvis' default options.

    python -m benchmarks.run frames
    python -m benchmarks.bench_frames        # the same, printed
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("NETMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
OUT = Path(tempfile.gettempdir()) / "netmap-bench-frames"
TARGETS_MS = {"sample_data": 33.0, "5,000 organisations": 150.0}
FRAMES = 40

#: Runs in the page: resolves once two more frames have been drawn.
TWO_FRAMES_JS = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

#: Runs in the page: time every frame vis-network draws from now on.
TIMER_JS = """(global) => {
  const net = global === 'netmap' ? window.netmap.network : window.network;
  net.fit({animation: false});
  net.setOptions({physics: {enabled: false}});
  const ctx = document.querySelector('canvas').getContext('2d');
  window.__frames = []; let t = 0;
  net.on('beforeDrawing', () => { t = performance.now(); });
  net.on('afterDrawing', () => { ctx.getImageData(0, 0, 1, 1); window.__frames.push(performance.now() - t); });
}"""


def _pyvis_page(net, path: Path) -> None:
    """Plain pyvis on the same network, vis-network inlined (no CDN)."""
    from pyvis.network import Network as PyvisNetwork

    from netmap.render.assets import vis_network_css, vis_network_js

    g = net.to_networkx(directed=True)
    for _, d in g.nodes(data=True):
        name = d["name"]
        d.clear()
        d["label"] = name
    for _, _, d in g.edges(data=True):
        d.clear()
    pv = PyvisNetwork(directed=True, cdn_resources="remote", height="800px", width="100%")
    pv.from_nx(g)
    if net.n_nodes > 1000:  # pyvis' own advice for large graphs: no physics
        pv.toggle_physics(False)
    html = pv.generate_html()
    html = re.sub(r'<script[^>]*src="[^"]*vis-network[^"]*"[^>]*>\s*</script>',
                  lambda _: "<script>" + vis_network_js() + "</script>", html)
    html = re.sub(r'<link[^>]*href="[^"]*vis-network[^"]*"[^>]*/?>',
                  lambda _: "<style>" + vis_network_css() + "</style>", html)
    html = re.sub(r'<(script|link)[^>]*(src|href)="https?://[^"]*"[^>]*>(\s*</script>)?', "", html)
    path.write_text(html, encoding="utf-8")


def _networks(quick: bool):
    import netmap

    from .synth import network

    root = Path(__file__).resolve().parents[1]
    yield "sample_data", netmap.read_network(root / "sample_data")
    yield "5,000 organisations", network(5 * (1000 if quick else 5000), 1000 if quick else 5000)


def frames(page, path: Path, which: str) -> list[float]:
    page.goto(path.resolve().as_uri())
    if which == "netmap":
        page.wait_for_function("window.netmap && window.netmap.readyAt", timeout=300_000, polling=100)
    else:  # pyvis: wait for its stabilisation (or the first drawing when physics is off)
        page.wait_for_function("window.network && window.network.body && "
                               "(!window.network.physics.options.enabled || window.network.physics.ready !== false)",
                               timeout=300_000, polling=100)
        page.wait_for_timeout(300)
        for _ in range(600):
            if page.evaluate("!window.network.physics.options.enabled || window.network.physics.stabilized !== false"):
                break
            page.wait_for_timeout(100)
    page.evaluate(TIMER_JS, which)
    page.wait_for_timeout(200)
    box = page.locator("canvas").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.evaluate("window.__frames = []")
    for i in range(FRAMES):
        page.mouse.wheel(0, -120 if i < FRAMES // 2 else 120)
        page.evaluate(TWO_FRAMES_JS)
    return page.evaluate("window.__frames")


def pan_frames(page) -> list[float]:
    """After :func:`frames`: drag the view from an empty corner, one frame per mouse move."""
    page.wait_for_timeout(400)  # the zoom has stopped
    box = page.locator("canvas").first.bounding_box()
    x, y = box["x"] + 4, box["y"] + 4
    page.evaluate("window.__frames = []")
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, FRAMES + 1):
        page.mouse.move(x + 8 * i, y + 5 * i)
        page.evaluate(TWO_FRAMES_JS)
    page.mouse.up()
    return page.evaluate("window.__frames")


def _p90(xs: list[float]) -> float:
    return sorted(xs)[int(0.9 * (len(xs) - 1))] if xs else float("nan")


def _row(case: str, got: dict, target: float | None) -> dict:
    """One result row: the medians of netmap's and plain pyvis' frame times, side by side."""
    ms, base = statistics.median(got["netmap"]), statistics.median(got["pyvis"])
    return {
        "case": case, "seconds": ms / 1000, "baseline": "plain pyvis, same network", "baseline_s": base / 1000,
        "ratio": base / ms if ms else None,
        "target": f"<= {target:.0f} ms" if target else "", "ok": (ms <= target) if target else None,
        "note": f"netmap {ms:.1f} ms ({len(got['netmap'])} frames, p90 {_p90(got['netmap']):.1f}), "
                f"pyvis {base:.1f} ms ({len(got['pyvis'])} frames, p90 {_p90(got['pyvis']):.1f})",
    }


def run(quick: bool) -> list[dict]:
    if not Path(CHROMIUM).exists():
        return [{"case": "zoom frames", "note": "skipped: no Chromium (set NETMAP_CHROMIUM)"}]
    from playwright.sync_api import sync_playwright

    from netmap.render.map import write_map

    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        for label, net in _networks(quick):
            mine, plain = OUT / f"netmap_{net.n_nodes}.html", OUT / f"pyvis_{net.n_nodes}.html"
            write_map(net, mine, all_ties=True)
            _pyvis_page(net, plain)
            got, pan = {}, {}
            for which, path in (("netmap", mine), ("pyvis", plain)):
                page = b.new_page(viewport={"width": 1280, "height": 800})
                got[which] = frames(page, path, which)
                pan[which] = pan_frames(page)
                page.close()
            target = TARGETS_MS.get(label if not quick or label == "sample_data" else "", None)
            rows.append(_row(f"zoom, median ms per frame, {label} ({net.n_nodes:,} organisations, {net.n_edges:,} ties)",
                             got, target))
            rows.append(_row(f"pan, median ms per frame, {label}", pan, None))
        b.close()
    return rows


if __name__ == "__main__":
    import sys

    from .common import table

    print(table(run("--quick" in sys.argv), ["case", "seconds", "baseline_s", "ratio", "target", "ok", "note"]))
