"""Dominators: which nodes every path from a root must pass through.

:func:`dominators` is the semi-NCA algorithm on a directed graph;
:func:`undirected_structure` gets the same tree for an undirected graph from one
depth-first search (articulation points and bridges fall out of its lowpoints).
Graphs are CSR adjacency lists (:mod:`netmap.engine.adjacency`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["dfs_preorder", "dominators", "UndirectedStructure", "undirected_structure", "subtree_sums",
           "dominating_path"]


def dfs_preorder(g, root: int, n: int) -> tuple[list[int], list[int]]:
    """Depth-first preorder from ``root`` and each node's DFS-tree parent (-1 if none)."""
    indptr = g[0].tolist()
    indices = g[1].tolist()
    seen = [False] * n
    parent = [-1] * n
    ptr = indptr[:-1]
    order = [root]
    seen[root] = True
    stack = [root]
    while stack:
        v = stack[-1]
        i = ptr[v]
        end = indptr[v + 1]
        while i < end and seen[indices[i]]:
            i += 1
        if i < end:
            w = indices[i]
            ptr[v] = i + 1
            seen[w] = True
            parent[w] = v
            order.append(w)
            stack.append(w)
        else:
            ptr[v] = end
            stack.pop()
    return order, parent


def dominators(g, root: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Immediate dominators of the nodes reachable from ``root`` (semi-NCA algorithm).

    Returns ``idom`` (node ids; ``idom[root] == root``; -1 for unreachable
    nodes) and the DFS preorder (root first; every node's immediate dominator
    comes before it).
    """
    order, parent = dfs_preorder(g, root, n)
    k = len(order)
    order_a = np.asarray(order, dtype=np.int64)
    pre = np.full(n, -1, dtype=np.int64)
    pre[order_a] = np.arange(k)
    # predecessors in preorder numbers
    indptr, indices = g
    counts = indptr[1:] - indptr[:-1]
    src = np.repeat(np.arange(n), counts)
    ok = (pre[src] >= 0) & (pre[indices] >= 0)
    ps, pt = pre[src[ok]], pre[indices[ok]]
    srt = np.argsort(pt, kind="stable")
    ps, pt = ps[srt], pt[srt]
    pstart = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(np.bincount(pt, minlength=k), out=pstart[1:])
    preds = ps.tolist()
    pstart_l = pstart.tolist()
    par_a = pre[np.maximum(np.asarray(parent, dtype=np.int64)[order_a], 0)]
    par_a[0] = 0
    par = par_a.tolist()
    semi = list(range(k))
    label = list(range(k))
    anc = [-1] * k
    for w in range(k - 1, 0, -1):
        s = semi[w]
        for j in range(pstart_l[w], pstart_l[w + 1]):
            v = preds[j]
            if anc[v] < 0:
                x = v
            else:
                # compress the path from v to its forest root
                if anc[anc[v]] >= 0:
                    stack = []
                    y = v
                    while anc[anc[y]] >= 0:
                        stack.append(y)
                        y = anc[y]
                    while stack:
                        y = stack.pop()
                        a = anc[y]
                        if semi[label[a]] < semi[label[y]]:
                            label[y] = label[a]
                        anc[y] = anc[a]
                x = label[v]
            if semi[x] < s:
                s = semi[x]
        semi[w] = s
        anc[w] = par[w]
    idom = [0] * k
    for w in range(1, k):
        x = par[w]
        s = semi[w]
        while x > s:
            x = idom[x]
        idom[w] = x
    out = np.full(n, -1, dtype=np.int64)
    out[order_a] = order_a[np.asarray(idom, dtype=np.int64)]
    return out, order_a


@dataclass
class UndirectedStructure:
    order: np.ndarray    # DFS preorder (node ids)
    parent: np.ndarray   # DFS-tree parent (node id; root: itself; -1 unreachable)
    pre: np.ndarray      # preorder number (-1 unreachable)
    low: np.ndarray      # lowpoint (preorder number)
    idom: np.ndarray     # immediate dominator from the root (node id)
    size: np.ndarray     # DFS subtree size


def undirected_structure(g, root: int, n: int) -> UndirectedStructure:
    """DFS tree, lowpoints and dominator tree of an undirected graph (symmetric adjacency lists).

    With ``low`` the Hopcroft-Tarjan lowpoint, a tree edge ``p - v`` is a
    bridge when ``low[v] > pre[p]``, and ``p`` separates the subtree of ``v``
    from the root when ``low[v] >= pre[p]``. The immediate dominator of ``v``
    is then ``p`` if ``p`` separates ``v``'s subtree, else ``p``'s own.
    """
    order_l, parent_l = dfs_preorder(g, root, n)
    order = np.asarray(order_l, dtype=np.int64)
    k = len(order)
    pre = np.full(n, -1, dtype=np.int64)
    pre[order] = np.arange(k)
    parent = np.asarray(parent_l, dtype=np.int64)
    parent[root] = root
    indptr, indices = g
    counts = indptr[1:] - indptr[:-1]
    src = np.repeat(np.arange(n), counts)
    # smallest preorder number among each node's neighbours other than its DFS parent
    ok = (pre[src] >= 0) & (indices != parent[src])
    low = pre.copy()
    np.minimum.at(low, src[ok], pre[indices[ok]])
    low_l = low.tolist()
    size = np.zeros(n, dtype=np.int64)
    size[order] = 1
    size_l = size.tolist()
    parent_l2 = parent.tolist()
    for v in order_l[:0:-1]:
        p = parent_l2[v]
        if low_l[v] < low_l[p]:
            low_l[p] = low_l[v]
        size_l[p] += size_l[v]
    low = np.asarray(low_l, dtype=np.int64)
    size = np.asarray(size_l, dtype=np.int64)
    idom = np.full(n, -1, dtype=np.int64)
    idom[root] = root
    idom_l = idom.tolist()
    pre_l = pre.tolist()
    for v in order_l[1:]:
        p = parent_l2[v]
        idom_l[v] = p if low_l[v] >= pre_l[p] else idom_l[p]
    idom = np.asarray(idom_l, dtype=np.int64)
    return UndirectedStructure(order, parent, pre, low, idom, size)


def subtree_sums(idom: np.ndarray, order: np.ndarray, weights: list[np.ndarray],
                 rank: np.ndarray | None = None) -> list[np.ndarray]:
    """Sum of each weight over every node's dominator subtree (itself included).

    ``order`` lists the tree's nodes, each after its immediate dominator.
    With ``rank`` (one number per node) the sums are added in an order fixed
    by the tree and the ranks alone -- deepest first, then by rank -- so that
    non-integer weights give the same sums bit for bit whatever the order of
    the nodes or of ``order``.

    >>> idom, order = np.array([0, 0, 1, 1]), np.array([0, 1, 3, 2])
    >>> [s.tolist() for s in subtree_sums(idom, order, [np.array([1., 2., 4., 8.])])]
    [[15.0, 14.0, 4.0, 8.0]]
    """
    idom_l = idom.tolist()
    out = []
    if rank is None:
        rev = order[:0:-1].tolist()
    else:
        depth = np.zeros(len(idom), dtype=np.int64)
        for v in order[1:].tolist():
            depth[v] = depth[idom_l[v]] + 1
        nodes = np.asarray(order[1:], dtype=np.int64)
        rev = nodes[np.lexsort((np.asarray(rank)[nodes], -depth[nodes]))].tolist()
    for w in weights:
        acc = np.where(idom >= 0, w, 0.0).astype(float).tolist()
        for v in rev:
            acc[idom_l[v]] += acc[v]
        out.append(np.asarray(acc))
    return out


def dominating_path(idom: np.ndarray, nodes: np.ndarray, root: int) -> list[int]:
    """The nodes (root excluded) that dominate every one of ``nodes``, itself included.

    Removing any of them alone makes all of ``nodes`` unreachable. Unreachable
    nodes are ignored; empty when none of ``nodes`` is reachable.
    """
    nodes = [int(x) for x in nodes if idom[x] >= 0]
    if not nodes:
        return []
    # ancestors of the first node, nearest first
    chain = [nodes[0]]
    while chain[-1] != root:
        chain.append(int(idom[chain[-1]]))
    depth_of = {x: i for i, x in enumerate(chain)}
    lo = 0  # index in chain of the current common ancestor
    for x in nodes[1:]:
        y = x
        while y not in depth_of:
            y = int(idom[y])
        lo = max(lo, depth_of[y])
        if chain[lo] == root:
            return []
    return chain[lo:-1]
