"""Partner shortlist speed: netmap's sparse scoring against networkx's link-prediction functions.

Cases (each in a fresh process, network built untimed in setup):

* ``shortlist 1M``: the top-50 shortlist (every score and explanation) for the focal
  organisation ``F0`` (2,000 direct partners) of the 1,000,000-tie synthetic network;
  target 20 s.
* side by side on a smaller network: netmap's full shortlist and its four link-prediction
  measures alone, against networkx's ``common_neighbors``, ``adamic_adar_index``,
  ``resource_allocation_index`` and ``jaccard_coefficient`` on the same candidate pairs
  (``F0`` with every organisation 2-3 ties away), networkx's graph prebuilt.
"""

from __future__ import annotations

from .common import run_case

TARGET_S = 20.0


def _network(n_ties: int):
    from .synth import network

    return network(n_ties).active()


def shortlist(net, n_ties: int) -> dict:
    from netmap.analysis.opportunities import opportunities

    res = opportunities(net, "F0", top=50)
    return {"rows": len(res.table), "candidates": res.meta["candidates"]}


shortlist.setup = _network


def netmap_measures(net, n_ties: int) -> dict:
    from netmap.analysis.linkpred import ego_scores, hops_from, strength_graph

    g = strength_graph(net)
    fi = g.position("F0")
    es = ego_scores(g, fi)
    hops = hops_from(g, fi, 3)
    return {"pairs": int((hops >= 2).sum()), "aa_sum": float(es.adamic_adar[hops >= 2].sum())}


netmap_measures.setup = _network


def _nx_setup(n_ties: int):
    import numpy as np

    from netmap.analysis.linkpred import hops_from, strength_graph

    net = _network(n_ties)
    g = net.to_networkx(directed=False)
    sg = strength_graph(net)
    hops = hops_from(sg, sg.position("F0"), 3)
    pairs = [("F0", c) for c in sg.ids[np.flatnonzero(hops >= 2)]]
    return g, pairs


def networkx_measures(state, n_ties: int) -> dict:
    import networkx as nx

    g, pairs = state
    cn = sum(len(list(nx.common_neighbors(g, u, v))) for u, v in pairs)
    aa = sum(p for _, _, p in nx.adamic_adar_index(g, pairs))
    ra = sum(p for _, _, p in nx.resource_allocation_index(g, pairs))
    jc = sum(p for _, _, p in nx.jaccard_coefficient(g, pairs))
    return {"pairs": len(pairs), "cn": cn, "aa_sum": aa, "ra_sum": ra, "jc_sum": jc}


networkx_measures.setup = _nx_setup


def run(quick: bool) -> list[dict]:
    big = 100_000 if quick else 1_000_000
    small = 20_000 if quick else 100_000
    rows = []
    r = run_case("benchmarks.bench_opportunities:shortlist", n_ties=big)
    rows.append({
        "case": f"shortlist top-50, F0 (2,000 partners), {big:,} ties",
        "seconds": r["seconds"], "peak_mb": r["peak_mb"], "target": f"<= {TARGET_S:.0f} s",
        "ok": r["seconds"] <= TARGET_S,
        "note": f"{r['result']['candidates']:,} candidates; {r['setup_peak_mb']:.0f} MB before the timed part",
    })
    base = run_case("benchmarks.bench_opportunities:networkx_measures", n_ties=small)
    for name, label in (("shortlist", "shortlist top-50 (all scores)"), ("netmap_measures", "4 link-prediction measures")):
        m = run_case(f"benchmarks.bench_opportunities:{name}", n_ties=small)
        rows.append({
            "case": f"{label}, F0, {small:,} ties",
            "seconds": m["seconds"], "peak_mb": m["peak_mb"],
            "baseline": "networkx 4 LP functions, same pairs", "baseline_s": base["seconds"],
            "ratio": base["seconds"] / m["seconds"] if m["seconds"] else None,
            "note": f"{base['result']['pairs']:,} pairs; networkx peak {base['peak_mb']:.0f} MB",
        })
    return rows
