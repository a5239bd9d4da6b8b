"""Adjacency lists in compressed sparse row (CSR) form: the one builder every kernel shares.

A graph here is a pair ``(indptr, indices)`` over node positions ``0..n-1``:
the out-neighbours of ``u`` are ``indices[indptr[u]:indptr[u + 1]]``, sorted,
without duplicates or self-loops. Arrays only; nothing here knows netmap.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CSR", "csr", "csr_both_ways", "weighted_csr", "float_matrix", "unique_sorted", "neighbours", "n_nodes"]

#: ``(indptr, indices)``: adjacency lists over node positions.
CSR = tuple[np.ndarray, np.ndarray]


def unique_sorted(a: np.ndarray) -> np.ndarray:
    """Sorted unique values of an integer array (sort-based: faster than hashing here).

    >>> unique_sorted(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    if len(a) < 2:
        return a
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))]


def csr(n: int, u: np.ndarray, v: np.ndarray) -> CSR:
    """Adjacency lists of the arcs ``u -> v`` over ``n`` nodes: sorted, no duplicates, no self-loops.

    >>> indptr, indices = csr(3, np.array([0, 0, 1, 0]), np.array([2, 1, 2, 1]))
    >>> indptr.tolist(), indices.tolist()
    ([0, 2, 3, 3], [1, 2, 2])
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    keep = u != v
    u, v = u[keep], v[keep]
    if len(u):
        key = unique_sorted(u * n + v)
        u, v = key // n, key % n
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(u, minlength=n), out=indptr[1:])
    return indptr, v


def csr_both_ways(n: int, u: np.ndarray, v: np.ndarray) -> CSR:
    """Symmetric adjacency lists: every arc ``u -> v`` read both ways."""
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    return csr(n, np.concatenate([u, v]), np.concatenate([v, u]))


def n_nodes(g: CSR) -> int:
    """Number of nodes of a CSR graph."""
    return len(g[0]) - 1


def neighbours(g: CSR, frontier: np.ndarray) -> np.ndarray:
    """Out-neighbours of every node in ``frontier``, concatenated (with repeats).

    >>> g = csr(3, np.array([0, 1]), np.array([1, 2]))
    >>> neighbours(g, np.array([0, 1])).tolist()
    [1, 2]
    """
    indptr, indices = g
    frontier = np.asarray(frontier, dtype=np.int64)
    starts = indptr[frontier]
    counts = indptr[frontier + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offs = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return indices[offs + np.arange(total)]


def weighted_csr(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, *, combine: str = "max"):
    """Adjacency lists of the weighted arcs ``u -> v``, parallel arcs combined: ``(indptr, indices, weights)``.

    Like :func:`csr` (sorted, no duplicates, no self-loops), with the weight of
    each kept arc: the largest of its parallel arcs (``combine="max"``) or their
    sum (``"sum"``).

    >>> indptr, indices, w = weighted_csr(2, np.array([0, 0, 1]), np.array([1, 1, 0]), np.array([.2, .7, .5]))
    >>> indptr.tolist(), indices.tolist(), w.tolist()
    ([0, 1, 2], [1, 0], [0.7, 0.5])
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    w = np.asarray(w, dtype=np.float64)
    keep = u != v
    u, v, w = u[keep], v[keep], w[keep]
    key = u * n + v
    order = np.argsort(key, kind="stable")
    key, w = key[order], w[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    if combine == "max":
        w = np.maximum.reduceat(w, starts) if len(key) else w
    elif combine == "sum":
        w = np.add.reduceat(w, starts) if len(key) else w
    else:
        raise ValueError(f"combine must be 'max' or 'sum', not {combine!r}")
    key = key[starts]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // n, minlength=n), out=indptr[1:])
    return indptr, key % n, w


def float_matrix(a):
    """``a`` as a ``scipy.sparse.csr_array`` of float64 with duplicate entries summed (explicit zeros kept).

    >>> from scipy import sparse
    >>> float_matrix(sparse.coo_array(([1, 2], ([0, 0], [1, 1])), shape=(2, 2))).toarray().tolist()
    [[0.0, 3.0], [0.0, 0.0]]
    """
    from scipy import sparse

    a = sparse.csr_array(a, dtype=np.float64)
    a.sum_duplicates()
    return a
