"""Resource-access paths: k best paths and the access table on large synthetic networks, networkx side by side.

Cases (each in a fresh process; building the synthetic network is untimed setup):

* ``paths k=3``: :func:`netmap.analysis.paths.best_paths` from ``F0`` to the
  last organisation, k=3, by strength and by hops -- target 5 s at 1M ties --
  and by value (widest paths; no target).
  The timed part includes building netmap's graph from the Network.
* ``networkx shortest_simple_paths``: the first 3 paths of
  ``nx.shortest_simple_paths`` on ``-log(strength)`` between the same two
  organisations, on a smaller network, with netmap on the same network for
  the ratio: once with the networkx graph built from the Network inside the
  timed part (as netmap's own graph is), once with it built in untimed setup.
* ``access wide``: :func:`access_table` for capability ``wide`` (1,000 holders)
  from ``F0`` -- target 20 s at 1M ties; networkx baseline: one
  ``single_source_dijkstra`` plus reading off the holders' paths, on the
  smaller network (again with and without its graph build).
"""

from __future__ import annotations

import math

from .common import run_case

FULL, SMALL = 1_000_000, 100_000
QUICK_FULL, QUICK_SMALL = 50_000, 20_000


def _target(n_ties: int) -> str:
    return f"O{max(50, n_ties // 5) - 1}"


# ------------------------------------------------------------------ cases
def _network(n_ties: int, **_):
    from benchmarks.synth import network

    return network(n_ties)


def netmap_paths(net, n_ties: int, by: str = "strength"):
    from netmap.analysis.paths import best_paths

    df = best_paths(net, "F0", to=_target(n_ties), k=3, by=by).table
    return {"paths": len(df), "hops": df["hops"].tolist(), "scores": [round(x, 6) for x in df["score"]]}


netmap_paths.setup = _network


def _to_nx(net):
    """networkx graph of the active ties, the strongest tie per pair, cost -log(strength)."""
    import networkx as nx

    net = net.active()
    g = nx.Graph()
    for s, t, w in zip(net.edges["source"], net.edges["target"], net.edges["strength"]):
        if s == t:
            continue
        c = -math.log(max(float(w), 1e-6))
        if not g.has_edge(s, t) or g[s][t]["cost"] > c:
            g.add_edge(s, t, cost=c)
    return g, net.holders(capability="wide")


def _nx_graph(n_ties: int, **_):
    return _to_nx(_network(n_ties))


def _nx_paths(g, n_ties):
    from itertools import islice

    import networkx as nx

    paths = list(islice(nx.shortest_simple_paths(g, "F0", _target(n_ties), weight="cost"), 3))
    return {"paths": len(paths), "hops": [len(p) - 1 for p in paths],
            "scores": [round(math.exp(-nx.path_weight(g, p, "cost")), 6) for p in paths]}


def networkx_paths(state, n_ties: int, by: str = "strength"):
    """Search only: the networkx graph is built in setup."""
    return _nx_paths(state[0], n_ties)


networkx_paths.setup = _nx_graph


def networkx_paths_built(net, n_ties: int, by: str = "strength"):
    """Graph build from the Network included, as in netmap's timed part."""
    return _nx_paths(_to_nx(net)[0], n_ties)


networkx_paths_built.setup = _network


def netmap_access(net, n_ties: int):
    from netmap.analysis.paths import access_table

    df = access_table(net, "F0", capability="wide").table
    return {"holders": len(df), "reachable": int(df["reachable"].sum())}


netmap_access.setup = _network


def _nx_access(g, holders):
    import networkx as nx

    dist, paths = nx.single_source_dijkstra(g, "F0", weight="cost")
    got = [(dist[h], paths[h]) for h in holders if h in dist and h != "F0"]
    return {"holders": len([h for h in holders if h != "F0"]), "reachable": len(got)}


def networkx_access(state, n_ties: int):
    return _nx_access(*state)


networkx_access.setup = _nx_graph


def networkx_access_built(net, n_ties: int):
    return _nx_access(*_to_nx(net))


networkx_access_built.setup = _network


# ------------------------------------------------------------------- run
def _row(case, r, target=None, baseline=None, note=""):
    note = f"{note}; setup peak {r['setup_peak_mb']:,.0f} MB" if note else f"setup peak {r['setup_peak_mb']:,.0f} MB"
    row = {"case": case, "seconds": r["seconds"], "peak_mb": r["peak_mb"], "target": target, "note": note}
    if target is not None:
        row["ok"] = r["seconds"] <= target
    if baseline is not None:
        row["baseline"] = baseline[0]
        row["baseline_s"] = baseline[1]["seconds"]
        row["ratio"] = baseline[1]["seconds"] / r["seconds"] if r["seconds"] > 0 else None
    return row


def run(quick: bool = False) -> list[dict]:
    full, small = (QUICK_FULL, QUICK_SMALL) if quick else (FULL, SMALL)
    rows = []
    t = f"{full:,} ties"
    for by, target in (("strength", 5.0), ("hops", 5.0), ("value", None)):
        r = run_case("benchmarks.bench_paths:netmap_paths", n_ties=full, by=by)
        rows.append(_row(f"paths k=3 by {by}, {t}", r, target=None if quick else target,
                         note=f"F0 -> {_target(full)}: hops {r['result']['hops']}"))
    r = run_case("benchmarks.bench_paths:netmap_access", n_ties=full)
    rows.append(_row(f"access wide (1,000 holders), {t}", r, target=None if quick else 20.0,
                     note=f"{r['result']['reachable']} of {r['result']['holders']} reachable"))
    s = f"{small:,} ties"
    mine = run_case("benchmarks.bench_paths:netmap_paths", n_ties=small, by="strength")
    built = run_case("benchmarks.bench_paths:networkx_paths_built", n_ties=small, by="strength")
    base = run_case("benchmarks.bench_paths:networkx_paths", n_ties=small, by="strength")
    same = mine["result"]["scores"] == base["result"]["scores"]
    rows.append(_row(f"paths k=3 by strength, {s}", mine, baseline=("networkx, graph build timed", built),
                     note=f"same scores as networkx: {same}"))
    rows.append(_row(f"paths k=3 by strength, {s}", mine, baseline=("networkx, search only", base),
                     note="networkx graph built in untimed setup"))
    mine = run_case("benchmarks.bench_paths:netmap_access", n_ties=small)
    built = run_case("benchmarks.bench_paths:networkx_access_built", n_ties=small)
    base = run_case("benchmarks.bench_paths:networkx_access", n_ties=small)
    rows.append(_row(f"access wide, {s}", mine, baseline=("networkx, graph build timed", built),
                     note=f"reachable {mine['result']['reachable']} vs {base['result']['reachable']}"))
    rows.append(_row(f"access wide, {s}", mine, baseline=("networkx, search only", base),
                     note="networkx graph built in untimed setup"))
    return rows
