"""Least-cost paths where arc costs add up: one spur search to a target, and best paths from one source to many.

"Best" is a total order: least cost (equal within :data:`~netmap.engine.pathgraph.TOL`),
then fewest arcs, then the smallest node ranks read position by position.
Without a hop limit each search is one SciPy Dijkstra plus a walk along the
tight arcs (the arcs on some least-cost path); with one, a Bellman-Ford table
``D[h, v]`` (best cost using at most ``h`` arcs). The driver that turns spur
searches into k best paths is :func:`netmap.engine.paths.k_best_paths`.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .pathgraph import TOL, PathGraph, close, pick

__all__ = ["spur", "best_from", "best_tree", "by_layer", "layer_prefixes", "trace", "toward"]

_LOCAL_MAX = 20_000  # beyond this many nodes on optimal paths, count hops with one vectorised pass


def spur(g: PathGraph, s: int, t: int, blocked: np.ndarray, arcs: np.ndarray, budget: int | None,
         limit: float | None = None) -> list[int] | None:
    """Best path ``s -> t`` whose first arc is one of ``arcs``, avoiding ``blocked`` nodes (``s`` among them).

    ``budget`` caps the number of arcs; a path costing more than ``limit``
    may be missed (the caller does not need it). None when there is no path.

    >>> g = PathGraph(3, np.array([0, 0, 1]), np.array([1, 2, 2]), cost=np.array([1., 3., 1.]),
    ...               value=np.ones(3), rank=np.arange(3))
    >>> spur(g, 0, 2, np.array([True, False, False]), np.array([0, 1]), None)
    [0, 1, 2]
    """
    if budget is None:
        return _spur_dijkstra(g, s, t, blocked, arcs, limit)
    return _spur_layered(g, s, t, blocked, arcs, budget)


def best_from(g: PathGraph, s: int, targets: np.ndarray, max_hops: int | None) -> list:
    """The best path from ``s`` to each of ``targets`` (node lists, None where unreachable).

    >>> g = PathGraph(3, np.array([0, 0, 1]), np.array([1, 2, 2]), cost=np.array([1., 3., 1.]),
    ...               value=np.ones(3), rank=np.arange(3))
    >>> best_from(g, 0, np.array([1, 2]), None), best_from(g, 0, np.array([2]), 1)
    ([[0, 1], [0, 1, 2]], [[0, 2]])
    """
    out: list = [None] * len(targets)
    if max_hops is None:
        h, layer_arcs = _tight_layers(g, s)
        preds = layer_prefixes(g, s, layer_arcs)
        for i, t in enumerate(targets):
            if np.isfinite(h[t]):
                out[i] = trace(preds, s, int(t), int(h[t]))
        return out
    # hop-limited: layered costs from s
    D = _layers(g, s, np.zeros(g.n, dtype=bool), max_hops, reverse=True)
    layer_arcs = []
    for j in range(1, max_hops + 1):
        with np.errstate(invalid="ignore"):
            improved = D[j] < D[j - 1] - TOL * np.maximum(1.0, np.abs(D[j]))
        a = np.flatnonzero(improved[g.dst] & np.isfinite(D[j - 1][g.src]))
        a = a[close(D[j - 1][g.src[a]] + g.w[a], D[j][g.dst[a]])]
        layer_arcs.append(a)
    preds = layer_prefixes(g, s, layer_arcs)
    for i, t in enumerate(targets):
        if np.isfinite(D[max_hops, t]):
            q = int(_min_layer(D, np.array([t]), max_hops)[0])
            out[i] = trace(preds, s, int(t), q)
    return out


def by_layer(arcs: np.ndarray, layer: np.ndarray, depth: int) -> list[np.ndarray]:
    """``arcs`` grouped by ``layer`` (1..depth): the arcs into layer j are item j-1."""
    order = np.argsort(layer, kind="stable")
    arcs, layer = arcs[order], layer[order]
    bounds = np.searchsorted(layer, np.arange(1, depth + 2))
    return [arcs[bounds[j - 1]:bounds[j]] for j in range(1, depth + 1)]


def layer_prefixes(g: PathGraph, s: int, layer_arcs: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Smallest path prefix (by node ranks) per (layer, node) of a layered graph from ``s``.

    ``layer_arcs[j-1]`` are the arcs allowed into layer j (from the nodes of
    layer j-1). Returns, per layer, its sorted nodes and their predecessors,
    for :func:`trace`.
    """
    return [(nodes, pred) for nodes, pred, _, _ in _prefix_layers(g, s, layer_arcs)]


def best_tree(g: PathGraph, s: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The best path from ``s`` to every node at once, as a tree (no hop limit).

    The path to a node is the one :func:`best_from` returns for it, read
    back through ``parent``. ``order`` ranks the paths of equally many arcs
    by their node ranks read position by position (0 first), so among paths
    of equal cost and length the smallest ``order`` is the best.

    Returns
    -------
    hops : int array
        Arcs on the best path; -1 where unreachable (0 at ``s``).
    parent, arc : int array
        The node before each one on its best path and the arc from it; -1 at
        ``s`` and where unreachable.
    order : int array
        Position of each node's path among the paths of the same length; -1
        where unreachable.

    >>> g = PathGraph(4, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]), cost=np.ones(4),
    ...               value=np.ones(4), rank=np.arange(4))
    >>> [x.tolist() for x in best_tree(g, 0)]
    [[0, 1, 1, 2], [-1, 0, 0, 1], [-1, 0, 1, 2], [0, 0, 1, 0]]
    """
    _, layer_arcs = _tight_layers(g, s)
    hops = np.full(g.n, -1, dtype=np.int64)
    parent = np.full(g.n, -1, dtype=np.int64)
    arc = np.full(g.n, -1, dtype=np.int64)
    order = np.full(g.n, -1, dtype=np.int64)
    hops[s], order[s] = 0, 0
    for j, (nodes, pred, into, rho) in enumerate(_prefix_layers(g, s, layer_arcs), start=1):
        hops[nodes], parent[nodes], arc[nodes], order[nodes] = j, pred, into, rho
    return hops, parent, arc, order


def _tight_layers(g: PathGraph, s: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Hops of the best paths from ``s`` (inf where unreachable) and the arcs of those paths by layer."""
    from scipy.sparse.csgraph import dijkstra

    d = dijkstra(g.matrix(False), directed=True, indices=s)
    if g.unit:
        h = d
        tight = np.isfinite(d[g.src]) & (d[g.dst] == d[g.src] + 1)
    else:
        fin = np.flatnonzero(np.isfinite(d[g.src]) & np.isfinite(d[g.dst]))
        tight = np.zeros(len(g.src), dtype=bool)
        tight[fin] = close(d[g.src[fin]] + g.w[fin], d[g.dst[fin]])
        h = dijkstra(g.matrix(False, mask=tight), directed=True, indices=s, unweighted=True)
    hs, hd = h[g.src], h[g.dst]
    cand = np.flatnonzero(tight & np.isfinite(hs) & (hd == hs + 1))
    depth = int(np.max(h[np.isfinite(h)])) if np.isfinite(h).any() else 0
    return h, by_layer(cand, hd[cand], depth)


def _prefix_layers(g: PathGraph, s: int, layer_arcs: list[np.ndarray]) -> list[tuple]:
    """Per layer: its sorted nodes, their predecessors, the arcs from them, and each node's prefix order."""
    empty = np.zeros(0, dtype=np.int64)
    prev_nodes = np.array([s], dtype=np.int64)
    prev_rho = np.array([0], dtype=np.int64)
    layers = []
    for a in layer_arcs:
        if len(a) == 0 or len(prev_nodes) == 0:
            layers.append((empty, empty, empty, empty))
            prev_nodes = empty
            continue
        a = np.asarray(a, dtype=np.int64)
        su, dv = g.src[a], g.dst[a]
        loc = np.minimum(np.searchsorted(prev_nodes, su), len(prev_nodes) - 1)
        valid = prev_nodes[loc] == su
        su, dv, loc, a = su[valid], dv[valid], loc[valid], a[valid]
        rho = prev_rho[loc]
        o = np.lexsort((rho, dv))
        dv, su, rho, a = dv[o], su[o], rho[o], a[o]
        firstm = np.ones(len(dv), dtype=bool)
        firstm[1:] = dv[1:] != dv[:-1]
        nodes, pred, prho, into = dv[firstm], su[firstm], rho[firstm], a[firstm]
        # rank the new layer by (predecessor's rank, own rank)
        order = np.lexsort((g.rank[nodes], prho))
        new_rho = np.empty(len(nodes), dtype=np.int64)
        new_rho[order] = np.arange(len(nodes))
        layers.append((nodes, pred, into, new_rho))
        prev_nodes, prev_rho = nodes, new_rho
    return layers


def trace(preds, s: int, t: int, q: int) -> list[int] | None:
    """The path ``s -> t`` of ``q`` arcs read back from :func:`layer_prefixes` (None if there is none)."""
    path = [t]
    u = t
    for j in range(q, 0, -1):
        nodes, pred = preds[j - 1]
        i = int(np.searchsorted(nodes, u))
        if i >= len(nodes) or nodes[i] != u:
            return None
        u = int(pred[i])
        path.append(u)
    if u != s:
        return None
    return path[::-1]


def toward(g: PathGraph, layer_arcs: list[np.ndarray], targets: np.ndarray) -> list[np.ndarray]:
    """Keep only the layered arcs that lead to ``targets`` (walking the layers backwards)."""
    keep: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(layer_arcs)
    reach = np.unique(targets)
    for j in range(len(layer_arcs), 0, -1):
        a = layer_arcs[j - 1]
        a = a[np.isin(g.dst[a], reach)]
        keep[j - 1] = a
        reach = np.union1d(reach, g.src[a])
    return keep


# ------------------------------------------------------------ spur searches
def _spur_dijkstra(g, s, t, blocked, arcs, limit=None):
    d = _dist_to(g, t, blocked, limit)
    c = g.w[arcs] + d[g.dst[arcs]]
    if not np.isfinite(c).any():
        return None
    vs = g.dst[arcs[close(c, np.min(c))]]
    h = d if g.unit else _tight_hops(g, vs, t, d)
    u = pick(vs, h[vs], g.rank[vs])
    path = [s, u]
    while u != t:
        sl = g.row(u)
        vs = g.dst[sl]
        ok = np.isfinite(d[vs]) & close(g.w[sl] + d[vs], d[u]) & (h[vs] == h[u] - 1)
        vs = vs[ok]
        u = pick(vs, g.rank[vs])
        path.append(u)
    return path


def _dist_to(g: PathGraph, t: int, blocked: np.ndarray, limit: float | None = None) -> np.ndarray:
    """Cost from every node to t avoiding blocked nodes (one SciPy Dijkstra on the reverse graph).

    Nodes farther than ``limit`` get infinity.
    """
    from scipy.sparse.csgraph import dijkstra

    r = g.reverse_matrix()
    rows = np.flatnonzero(blocked)
    saved = [r.data[g.rindptr[x]:g.rindptr[x + 1]].copy() for x in rows]
    for x in rows:
        r.data[g.rindptr[x]:g.rindptr[x + 1]] = np.inf
    try:
        kw = {} if limit is None else {"limit": float(limit)}
        d = dijkstra(r, directed=True, indices=t, **kw)
    finally:
        for x, old in zip(rows, saved):
            r.data[g.rindptr[x]:g.rindptr[x + 1]] = old
    d[blocked] = np.inf
    return d


def _tight_hops(g: PathGraph, starts: np.ndarray, t: int, d: np.ndarray) -> np.ndarray:
    """Fewest arcs to t over tight arcs (``w + d[v] == d[u]``), for the nodes reachable from ``starts``.

    Optimal paths from a node are exactly the paths of tight arcs, so this is
    the fewest hops among the cost-optimal paths. Explores only the tight
    arcs reachable from ``starts`` (usually a handful of nodes).
    """
    seen = set(int(x) for x in starts)
    stack = list(seen)
    preds: dict[int, list[int]] = {}
    while stack:
        u = stack.pop()
        if u == t:
            continue
        sl = g.row(u)
        vs = g.dst[sl]
        ok = np.isfinite(d[vs]) & close(g.w[sl] + d[vs], d[u])
        for v in vs[ok].tolist():
            preds.setdefault(v, []).append(u)
            if v not in seen:
                seen.add(v)
                stack.append(v)
        if len(seen) > _LOCAL_MAX:
            return _tight_hops_global(g, t, d)
    h = np.full(g.n, np.inf)
    h[t] = 0
    queue = deque([t])
    while queue:
        x = queue.popleft()
        for u in preds.get(x, ()):
            if h[u] == np.inf:
                h[u] = h[x] + 1
                queue.append(u)
    return h


def _tight_hops_global(g: PathGraph, t: int, d: np.ndarray) -> np.ndarray:
    from scipy.sparse.csgraph import dijkstra

    fin = np.flatnonzero(np.isfinite(d[g.src]) & np.isfinite(d[g.dst]))
    tight = np.zeros(len(g.src), dtype=bool)
    tight[fin] = close(g.w[fin] + d[g.dst[fin]], d[g.src[fin]])
    return dijkstra(g.matrix(True, mask=tight), directed=True, indices=t, unweighted=True)


def _layers(g: PathGraph, t: int, blocked: np.ndarray, depth: int, reverse: bool) -> np.ndarray:
    """D[h, v]: best cost between v and t using at most h arcs (to t, or from t when ``reverse``)."""
    w = np.where(blocked[g.src] | blocked[g.dst], np.inf, g.w)
    D = np.full((depth + 1, g.n), np.inf)
    D[0, t] = 0.0
    if reverse:  # costs from t: relax arcs grouped by their head
        wr, other, rows, starts = w[g.rorder], g.src[g.rorder], g.rnz_rows, g.rnz_starts
    else:  # costs to t: relax arcs grouped by their tail
        wr, other, rows, starts = w, g.dst, g.nz_rows, g.nz_starts
    for h in range(1, depth + 1):
        D[h] = D[h - 1]
        if len(wr):
            cand = wr + D[h - 1][other]
            m = np.minimum.reduceat(cand, starts)
            D[h, rows] = np.minimum(D[h - 1, rows], m)
        D[h, t] = 0.0
        if np.array_equal(D[h], D[h - 1]):
            D[h + 1:] = D[h]
            break
    return D


def _min_layer(D: np.ndarray, vs: np.ndarray, L: int) -> np.ndarray:
    """For each node, the fewest arcs achieving its best cost within L arcs."""
    sub = D[: L + 1][:, vs]
    ok = close(sub, D[L, vs][None, :]) & np.isfinite(sub)
    return np.argmax(ok, axis=0)


def _spur_layered(g, s, t, blocked, arcs, budget):
    D = _layers(g, t, blocked, budget - 1, reverse=False)
    vs = g.dst[arcs]
    c = g.w[arcs] + D[budget - 1, vs]
    if not np.isfinite(c).any():
        return None
    vs = vs[close(c, np.min(c))]
    hv = _min_layer(D, vs, budget - 1)
    u = pick(vs, hv, g.rank[vs])
    q = int(hv[np.flatnonzero(vs == u)[0]])
    path = [s, u]
    while u != t:
        sl = g.row(u)
        vs = g.dst[sl]
        ok = np.isfinite(D[q - 1, vs]) & close(g.w[sl] + D[q - 1, vs], D[q, u])
        vs = vs[ok]
        u = pick(vs, g.rank[vs])
        q -= 1
        path.append(u)
    return path
