"""Strongly connected components: the groups nothing outside feeds, and what every node reaches.

Both work on the condensation of a directed graph given as arc arrays
``u -> v`` over node positions ``0..n-1`` (the graph of its strongly connected
components, which has no cycles).
"""

from __future__ import annotations

import numpy as np

from .adjacency import neighbours
from .bitsets import bit_of, n_words

__all__ = ["components", "source_nodes", "reachable_sets"]


def components(n: int, u: np.ndarray, v: np.ndarray) -> tuple[int, np.ndarray]:
    """Strongly connected components: their number and each node's component label.

    >>> k, lab = components(3, np.array([0, 1]), np.array([1, 0]))
    >>> k, bool(lab[0] == lab[1]), bool(lab[0] == lab[2])
    (2, True, False)
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    m = csr_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    k, lab = connected_components(m, directed=True, connection="strong")
    return int(k), lab.astype(np.int64)


def source_nodes(n: int, u: np.ndarray, v: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """Mask of the nodes whose strongly connected component no arc from outside enters.

    A node without incoming arcs is such a component on its own; so is a ring
    that nothing outside feeds. ``among`` (a boolean mask) restricts the
    answer to those nodes.

    >>> source_nodes(4, np.array([0, 1, 2]), np.array([1, 0, 3])).tolist()
    [True, True, True, False]
    """
    among = np.ones(n, dtype=bool) if among is None else np.asarray(among, dtype=bool)
    if not len(u):
        return among.copy()
    _, lab = components(n, u, v)
    fed = np.zeros(lab.max() + 1, dtype=bool)
    ext = lab[u] != lab[v]
    fed[lab[v[ext]]] = True
    return among & ~fed[lab]


def reachable_sets(n: int, u: np.ndarray, v: np.ndarray, targets: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Which ``targets`` each of ``nodes`` reaches along at least one arc, as bitsets.

    Row ``j`` of the result is a bitset (:mod:`netmap.engine.bitsets`) in
    which member ``i`` is set when a path of one or more arcs leads from
    ``nodes[j]`` to ``targets[i]`` (a node reaches itself only around a
    cycle through other nodes; self-loops are ignored). The sets are propagated once through the condensation, sinks
    first, so the cost is about one pass over the arcs times the words per set.

    >>> from netmap.engine.bitsets import unpack
    >>> rows = reachable_sets(4, np.array([0, 1, 2]), np.array([1, 2, 1]), np.array([1, 3]), np.arange(4))
    >>> unpack(rows, 2).tolist()
    [[True, False], [True, False], [True, False], [False, False]]
    """
    targets = np.asarray(targets, dtype=np.int64)
    words = n_words(len(targets))
    ncomp, lab = components(n, u, v)
    size = np.bincount(lab, minlength=ncomp)
    own = np.zeros((ncomp, words), dtype=np.uint64)
    word, mask = bit_of(np.arange(len(targets)))
    np.bitwise_or.at(own, (lab[targets], word), mask)
    # arcs of the condensation, without repeats; successor and predecessor lists
    ext = lab[u] != lab[v]
    key = np.unique(lab[u[ext]] * ncomp + lab[v[ext]])
    ca, cb = key // ncomp, key % ncomp
    succ_ptr = np.zeros(ncomp + 1, dtype=np.int64)
    np.cumsum(np.bincount(ca, minlength=ncomp), out=succ_ptr[1:])
    succ = (succ_ptr, cb)
    pred_ptr = np.zeros(ncomp + 1, dtype=np.int64)
    np.cumsum(np.bincount(cb, minlength=ncomp), out=pred_ptr[1:])
    pred = (pred_ptr, ca[np.argsort(cb, kind="stable")])
    # a component of several nodes reaches its own members around its cycles
    reach = np.zeros((ncomp, words), dtype=np.uint64)
    cyc = size > 1
    reach[cyc] = own[cyc]
    outdeg = np.bincount(ca, minlength=ncomp)
    frontier = np.flatnonzero((outdeg == 0) & (np.diff(pred_ptr) > 0))
    while len(frontier):
        cnt = succ_ptr[frontier + 1] - succ_ptr[frontier]
        has = frontier[cnt > 0]
        if len(has):
            dst = neighbours(succ, has)
            starts = np.concatenate([[0], np.cumsum(cnt[cnt > 0])[:-1]])
            reach[has] |= np.bitwise_or.reduceat(own[dst] | reach[dst], starts, axis=0)
        p = neighbours(pred, frontier)
        if not len(p):
            break
        np.subtract.at(outdeg, p, 1)
        p = np.unique(p)
        frontier = p[outdeg[p] == 0]
    return reach[lab[np.asarray(nodes, dtype=np.int64)]]
