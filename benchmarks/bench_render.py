"""Map rendering: generation time and file size, and time until the map is drawn in headless Chromium.

Cases (each in a fresh process, the synthetic network built untimed in setup;
5 ties per organisation, see :mod:`benchmarks.synth`):

* ``generate N``: ``write_map`` for 500, 5,000 and 50,000 organisations
  (the last is reduced to the 5,000 largest), size by degree; and 5,000
  sized by PageRank (the default, which runs the centrality analysis). Side by side
  for 500 and 5,000: pyvis alone (``from_nx`` + ``write_html``, CDN
  template, no layout, no tooltips), the tool netmap builds on. pyvis is
  skipped at 50,000 (its ``add_node``/``add_edge`` scan lists: quadratic).
* ``draw N``: headless Chromium opens the file from disk; the time is
  ``performance.now()`` at vis-network's first ``afterDrawing`` (and, for
  physics maps, after stabilisation), i.e. from navigation start until the
  map is on screen and interactive, recorded by the page itself
  (``window.netmap.readyAt``). Target: at most 5 s for 5,000.
* ``map end to end, 1M ties``: what ``netmap map`` does, in a fresh
  process: read the generated CSV directory of 1,000,000 ties
  (:func:`benchmarks.synth.cached_dir`) and write the default map (size by
  PageRank, reduced to 5,000 organisations). Target: at most 10 s. CPU
  seconds (user+sys) are reported beside the wall time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .common import run_case

DRAW_TARGET_S = 5.0
CHROMIUM = os.environ.get("NETMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
OUT = Path(tempfile.gettempdir()) / "netmap-bench-render"


def _network(n_orgs: int, **_):
    from .synth import network

    return network(5 * n_orgs, n_orgs)


def generate(net, n_orgs: int, path: str, size: str = "degree") -> dict:
    from netmap.render.map import write_map

    data = write_map(net, path, size=size)
    return {"nodes": data.n_nodes, "edges": data.n_edges, "bytes": Path(path).stat().st_size,
            "reduced": data.n_nodes < net.n_nodes}


generate.setup = _network


def pyvis_alone(net, n_orgs: int, path: str) -> dict:
    from pyvis.network import Network as PyvisNetwork

    g = net.to_networkx(directed=True)
    for _, d in g.nodes(data=True):  # pyvis passes every attribute to vis-network; keep the label only
        name = d["name"]
        d.clear()
        d["label"] = name
    for _, _, d in g.edges(data=True):
        d.clear()
    pv = PyvisNetwork(directed=True, cdn_resources="remote")
    pv.from_nx(g)
    pv.write_html(path)
    return {"bytes": Path(path).stat().st_size}


pyvis_alone.setup = _network


def end_to_end(n_ties: int, path: str) -> dict:
    import os

    import netmap
    from netmap.render.map import write_map

    from .synth import cached_dir

    d = cached_dir(n_ties)
    t0 = os.times()
    c0 = t0.user + t0.system
    net = netmap.read_network(d)
    t1 = os.times()
    data = write_map(net, path)
    t2 = os.times()
    return {"nodes": data.n_nodes, "total": data.total_nodes, "read_cpu": t1.user + t1.system - c0,
            "map_cpu": t2.user + t2.system - (t1.user + t1.system), "cpu": t2.user + t2.system - c0}


END_TO_END_TARGET_S = 10.0


def draw(path: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = b.new_page(viewport={"width": 1280, "height": 800})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("window.netmap && window.netmap.readyAt", timeout=120_000, polling=50)
        drawn = page.evaluate("window.netmap.drawnAt") / 1000.0
        stable = page.evaluate("window.netmap.readyAt") / 1000.0
        timing = page.evaluate("window.netmap.timing")
        b.close()
    return {"drawn_s": drawn, "ready_s": stable, "timing": timing, "errors": errors}


def run(quick: bool) -> list[dict]:
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = [500, 5_000] if quick else [500, 5_000, 50_000]
    rows = []
    for n in sizes:
        path = str(OUT / f"map_{n}.html")
        r = run_case("benchmarks.bench_render:generate", n_orgs=n, path=path)
        res = r["result"]
        row = {
            "case": f"generate map, {n:,} organisations, {5 * n:,} ties",
            "seconds": r["seconds"], "peak_mb": r["peak_mb"],
            "note": f"{res['bytes'] / 1e6:.1f} MB file; {res['nodes']:,} nodes, {res['edges']:,} edges drawn"
                    + ("; reduced to the largest 5,000" if res["reduced"] else ""),
        }
        if n <= 5_000:
            b = run_case("benchmarks.bench_render:pyvis_alone", n_orgs=n, path=str(OUT / f"pyvis_{n}.html"))
            row.update({"baseline": "pyvis from_nx + write_html", "baseline_s": b["seconds"],
                        "ratio": b["seconds"] / r["seconds"] if r["seconds"] else None})
            row["note"] += f"; pyvis file {b['result']['bytes'] / 1e6:.1f} MB (loads vis from a CDN)"
        rows.append(row)
        if n == 5_000:
            pr = run_case("benchmarks.bench_render:generate", n_orgs=n, path=str(OUT / f"map_{n}_pr.html"),
                          size="pagerank")
            rows.append({"case": f"generate map, {n:,} organisations, size by PageRank (centrality)",
                         "seconds": pr["seconds"], "peak_mb": pr["peak_mb"],
                         "note": "the default --size: centrality() with PageRank and betweenness for every organisation"})
        if n <= 5_000 and Path(CHROMIUM).exists():
            d = run_case("benchmarks.bench_render:draw", path=path)
            dr = d["result"]
            t = dr["timing"]
            rows.append({
                "case": f"draw in headless Chromium, {n:,} organisations",
                "seconds": dr["ready_s"], "peak_mb": None,
                "target": f"<= {DRAW_TARGET_S:.0f} s" if n == 5_000 else "",
                "ok": (dr["ready_s"] <= DRAW_TARGET_S) and not dr["errors"] if n == 5_000 else not dr["errors"],
                "note": f"first frame at {dr['drawn_s']:.2f} s; script start {t['visLoaded'] / 1000:.2f} s, "
                        f"network built {t['created'] / 1000:.2f} s"
                        + ("; physics layout in the browser" if n <= 1000 else "; Python layout, physics off"),
            })
    if not quick:
        from .synth import cached_dir

        cached_dir(1_000_000)  # written once, untimed
        r = run_case("benchmarks.bench_render:end_to_end", n_ties=1_000_000, path=str(OUT / "map_1m.html"))
        res = r["result"]
        rows.append({
            "case": "map end to end (read + write_map), 1,000,000 ties",
            "seconds": r["seconds"], "peak_mb": r["peak_mb"],
            "target": f"<= {END_TO_END_TARGET_S:.0f} s", "ok": r["seconds"] <= END_TO_END_TARGET_S,
            "note": f"CPU {res['cpu']:.1f} s (reading {res['read_cpu']:.1f}, map {res['map_cpu']:.1f}); "
                    f"{res['nodes']:,} of {res['total']:,} organisations drawn",
        })
    return rows
