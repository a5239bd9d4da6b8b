"""Widest (bottleneck) paths: the path whose smallest arc value is largest.

"Best" is a total order: largest bottleneck, then fewest arcs, then the
smallest node ranks read position by position. A spur search is a binary
search over the distinct arc values, each step one breadth-first search over
the arcs worth at least the threshold; the best paths from one source come
from a max-min relaxation and one layered pass per bottleneck value.
"""

from __future__ import annotations

import numpy as np

from .pathgraph import PathGraph, pick
from .shortest import by_layer, layer_prefixes, toward, trace

__all__ = ["spur", "best_from"]


def spur(g: PathGraph, s: int, t: int, blocked: np.ndarray, arcs: np.ndarray, budget: int | None,
         cap: float = np.inf) -> list[int] | None:
    """Widest path ``s -> t`` whose first arc is one of ``arcs``, avoiding ``blocked`` nodes (``s`` among them).

    Arc values count as at most ``cap`` (the bottleneck of the path's fixed
    root); ``budget`` caps the number of arcs. None when there is no path.

    >>> g = PathGraph(3, np.array([0, 0, 1]), np.array([1, 2, 2]), cost=np.ones(3),
    ...               value=np.array([5., 2., 9.]), rank=np.arange(3))
    >>> spur(g, 0, 2, np.array([True, False, False]), np.array([0, 1]), None)
    [0, 1, 2]
    """
    order, vdesc, distinct = g.by_value()
    vs0 = g.dst[arcs]
    v0 = np.minimum(g.value[arcs], cap)
    lim = np.inf if budget is None else budget - 1
    thetas = distinct[distinct < cap]
    if np.any(distinct >= cap):
        thetas = np.concatenate([[cap], thetas])
    cache: dict[int, tuple] = {}

    def feasible(i):
        if i not in cache:
            theta = thetas[i]
            a = order[: int(np.searchsorted(-vdesc, -theta, side="right"))]
            a = a[~blocked[g.src[a]] & ~blocked[g.dst[a]]]
            h = _hop_counts(g, t, a, reverse=True, limit=lim)
            ok = (v0 >= theta) & np.isfinite(h[vs0]) & (h[vs0] <= lim)
            cache[i] = (h, ok)
        return cache[i][1].any()

    if len(thetas) == 0 or not feasible(len(thetas) - 1):
        return None
    lo, hi = -1, len(thetas) - 1  # thetas[lo] infeasible (-1: above every value), thetas[hi] feasible
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid
    theta = thetas[hi]
    h, ok = cache[hi]
    vs = vs0[ok]
    u = pick(vs, h[vs], g.rank[vs])
    path = [s, u]
    while u != t:
        sl = g.row(u)
        vs = g.dst[sl]
        vs = vs[~blocked[vs] & (g.value[sl] >= theta) & (h[vs] == h[u] - 1)]
        u = pick(vs, g.rank[vs])
        path.append(u)
    return path


def best_from(g: PathGraph, s: int, targets: np.ndarray, max_hops: int | None) -> list:
    """The widest path from ``s`` to each of ``targets`` (node lists, None where unreachable).

    >>> g = PathGraph(3, np.array([0, 0, 1]), np.array([1, 2, 2]), cost=np.ones(3),
    ...               value=np.array([5., 2., 9.]), rank=np.arange(3))
    >>> best_from(g, 0, np.array([2]), None), best_from(g, 0, np.array([2]), 1)
    ([[0, 1, 2]], [[0, 2]])
    """
    out: list = [None] * len(targets)
    W = np.full(g.n, -np.inf)
    W[s] = np.inf
    vr, other, rows, starts = g.value[g.rorder], g.src[g.rorder], g.rnz_rows, g.rnz_starts
    steps = 0
    while max_hops is None or steps < max_hops:
        steps += 1
        if len(vr) == 0:
            break
        m = np.maximum.reduceat(np.minimum(W[other], vr), starts)
        new = W.copy()
        new[rows] = np.maximum(W[rows], m)
        new[s] = np.inf
        if np.array_equal(new, W):
            break
        W = new
    groups: dict[float, list[int]] = {}
    for i, t in enumerate(targets):
        if W[t] > -np.inf:
            groups.setdefault(float(W[t]), []).append(i)
    order, vdesc, _ = g.by_value()
    for theta, idx in groups.items():
        usable = order[: int(np.searchsorted(-vdesc, -theta, side="right"))]  # the arcs worth >= theta
        h = _hop_counts(g, s, usable, reverse=False, limit=max_hops)
        hs, hd = h[g.src[usable]], h[g.dst[usable]]
        cand = usable[np.isfinite(hs) & (hd == hs + 1)]
        depth = int(max(h[targets[i]] for i in idx))
        layer_arcs = by_layer(cand, h[g.dst[cand]], depth)
        preds = layer_prefixes(g, s, toward(g, layer_arcs, targets[idx]))
        for i in idx:
            t = int(targets[i])
            out[i] = trace(preds, s, t, int(h[t]))
    return out


def _hop_counts(g: PathGraph, root: int, arcs: np.ndarray, reverse: bool, limit=None) -> np.ndarray:
    """Fewest arcs between ``root`` and every node over the arcs ``arcs`` (to root when ``reverse``)."""
    from scipy import sparse
    from scipy.sparse.csgraph import dijkstra

    if len(arcs) > len(g.src) // 8:  # many arcs: a mask over the CSR order needs no sorting
        mask = np.zeros(len(g.src), dtype=bool)
        mask[arcs] = True
        m = g.matrix(reverse, mask=mask)
    else:
        rows, cols = (g.dst[arcs], g.src[arcs]) if reverse else (g.src[arcs], g.dst[arcs])
        m = sparse.csr_array((np.ones(len(arcs)), (rows, cols)), shape=(g.n, g.n))
    kw = {} if limit is None or not np.isfinite(limit) else {"limit": float(limit)}
    return dijkstra(m, directed=True, indices=root, unweighted=True, **kw)
