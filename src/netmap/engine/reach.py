"""Reachability over CSR adjacency lists: who can be reached, in how many hops, along which tree.

Direction is the caller's choice of graph: pass the forward lists for
downstream reach, the reversed lists for upstream, symmetric lists for the
undirected view (see :mod:`netmap.engine.adjacency`).
"""

from __future__ import annotations

import numpy as np

from .adjacency import CSR, n_nodes, neighbours, unique_sorted

__all__ = ["reach", "bfs_levels", "bfs_parents", "tree_path"]


def reach(g: CSR, starts, blocked: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask of the nodes reachable from ``starts`` (themselves included) without entering ``blocked`` ones.

    >>> from netmap.engine.adjacency import csr
    >>> g = csr(4, np.array([0, 1, 2]), np.array([1, 2, 3]))
    >>> reach(g, [0]).tolist()
    [True, True, True, True]
    >>> reach(g, [0], blocked=np.array([False, False, True, False])).tolist()
    [True, True, False, False]
    """
    n = n_nodes(g)
    seen = np.zeros(n, dtype=bool) if blocked is None else blocked.copy()
    starts = np.asarray(starts, dtype=np.int64)
    frontier = unique_sorted(starts[~seen[starts]])
    seen[frontier] = True
    while len(frontier):
        nb = neighbours(g, frontier)
        nb = unique_sorted(nb[~seen[nb]])
        seen[nb] = True
        frontier = nb
    if blocked is not None:
        seen &= ~blocked
    return seen


def bfs_levels(g: CSR, root: int, max_hops: int | None = None) -> np.ndarray:
    """Hops from ``root`` to every node (0 for the root, -1 where unreachable or beyond ``max_hops``).

    >>> from netmap.engine.adjacency import csr
    >>> g = csr(4, np.array([0, 1]), np.array([1, 2]))
    >>> bfs_levels(g, 0).tolist(), bfs_levels(g, 0, max_hops=1).tolist()
    ([0, 1, 2, -1], [0, 1, -1, -1])
    """
    dist = np.full(n_nodes(g), -1, dtype=np.int64)
    dist[root] = 0
    frontier = np.array([root], dtype=np.int64)
    d = 0
    while len(frontier) and (max_hops is None or d < max_hops):
        d += 1
        nb = neighbours(g, frontier)
        nb = unique_sorted(nb[dist[nb] < 0])
        dist[nb] = d
        frontier = nb
    return dist


def bfs_parents(g: CSR, root: int, rank: np.ndarray | None = None) -> np.ndarray:
    """Breadth-first tree parents; ``parent[root] == root``, -1 where unreachable.

    Each node takes, among the nodes of the level before that link to it,
    the one of smallest ``rank`` (default: the smallest position), so the
    tree (and every path read from it) is deterministic; rank the nodes by
    their ids to make it independent of the order of the positions too.

    >>> from netmap.engine.adjacency import csr
    >>> g = csr(4, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]))
    >>> bfs_parents(g, 0).tolist(), bfs_parents(g, 0, rank=np.array([0, 2, 1, 3])).tolist()
    ([0, 0, 0, 1], [0, 0, 0, 2])
    """
    indptr, _ = g
    parent = np.full(n_nodes(g), -1, dtype=np.int64)
    parent[root] = root
    frontier = np.array([root], dtype=np.int64)
    while len(frontier):
        counts = indptr[frontier + 1] - indptr[frontier]
        src = np.repeat(frontier, counts)
        nb = neighbours(g, frontier)
        new = parent[nb] < 0
        src, nb = src[new], nb[new]
        if not len(nb):
            break
        order = np.lexsort((src if rank is None else rank[src], nb))
        nb, src = nb[order], src[order]
        first = np.ones(len(nb), dtype=bool)
        first[1:] = nb[1:] != nb[:-1]
        parent[nb[first]] = src[first]
        frontier = nb[first]
    return parent


def tree_path(parent: np.ndarray, x: int) -> list[int]:
    """The path from the tree's root to ``x`` read from :func:`bfs_parents` (``x`` must be reachable).

    >>> from netmap.engine.adjacency import csr
    >>> tree_path(bfs_parents(csr(3, np.array([0, 1]), np.array([1, 2])), 0), 2)
    [0, 1, 2]
    """
    path = [int(x)]
    while parent[path[-1]] != path[-1]:
        path.append(int(parent[path[-1]]))
    return path[::-1]
