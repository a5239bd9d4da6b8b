"""The graph a path search runs on: one arc per ordered pair, with a cost, a value and a tie-break rank per node.

A :class:`PathGraph` holds arcs sorted by (tail, head) in compressed sparse
row form, both ways, with the arrays every search of
:mod:`netmap.engine.paths` reads: ``cost`` (added along a path), ``value``
(a path carries its smallest) and ``rank`` (the order of node positions used
to break ties, smaller first). Arrays only; nothing here knows netmap.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["PathGraph", "best_arcs", "pair_totals", "sort_order", "close", "pick", "TOL"]

#: Relative tolerance under which two path costs count as equal.
TOL = 1e-9


class PathGraph:
    """Arcs over node positions ``0..n-1``, sorted by (tail, head), at most one per ordered pair.

    Parameters
    ----------
    n : int
        Number of nodes.
    src, dst : array of int
        Arc tails and heads, sorted by (tail, head), no duplicates or self-loops
        (see :func:`best_arcs`).
    cost : array of float
        Each arc's cost for additive searches (see the criteria of
        :mod:`netmap.engine.paths`).
    value : array of float
        Each arc's value for bottleneck (widest path) searches.
    rank : array of int
        Tie-break order of the nodes: among equally good paths the one whose
        node ranks, read position by position, are smallest wins.
    symmetric : bool (default=False)
        Every arc has its reverse at the same cost, so the reverse graph is
        the graph itself.

    Examples
    --------
    >>> g = PathGraph(3, np.array([0, 1]), np.array([1, 2]), cost=np.ones(2), value=np.ones(2),
    ...               rank=np.arange(3))
    >>> g.arcs_of([0, 1, 2]), g.dst[g.row(0)].tolist()
    ([0, 1], [1])
    """

    def __init__(self, n: int, src: np.ndarray, dst: np.ndarray, *, cost: np.ndarray, value: np.ndarray,
                 rank: np.ndarray, symmetric: bool = False):
        self.n = int(n)
        self.src = np.asarray(src, dtype=np.int64)
        self.dst = np.asarray(dst, dtype=np.int64)
        self.w = np.asarray(cost, dtype=float)
        self.value = np.asarray(value, dtype=float)
        self.rank = np.asarray(rank, dtype=np.int64)
        self.symmetric = symmetric
        self.indptr = _indptr(self.src, self.n)
        self.rindptr = self.indptr if symmetric else _indptr(self.dst, self.n)
        nz = np.flatnonzero(np.diff(self.indptr) > 0)
        self.nz_rows, self.nz_starts = nz, self.indptr[nz]
        rnz = np.flatnonzero(np.diff(self.rindptr) > 0)
        self.rnz_rows, self.rnz_starts = rnz, self.rindptr[rnz]
        #: every arc costs exactly 1: a cost is a hop count
        self.unit = bool(np.all(self.w == 1.0))
        self._rorder = self._by_value = self._reverse = None

    # -------------------------------------------------------------- reading
    def row(self, u: int) -> slice:
        """The arc ids leaving ``u``, as a slice."""
        return slice(self.indptr[u], self.indptr[u + 1])

    def arc(self, u: int, v: int) -> int:
        """The id of the arc ``u -> v`` (which must exist)."""
        lo, hi = self.indptr[u], self.indptr[u + 1]
        return int(lo + np.searchsorted(self.dst[lo:hi], v))

    def arcs_of(self, nodes) -> list[int]:
        """The arc ids along a path given as node positions."""
        return [self.arc(a, b) for a, b in zip(nodes[:-1], nodes[1:])]

    @property
    def rorder(self) -> np.ndarray:
        """Arc ids in (head, tail) order: the reverse graph's CSR order."""
        if self._rorder is None:
            self._rorder = sort_order(self.dst)  # arc ids break ties, so tails come in order
        return self._rorder

    def by_value(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Arc ids by value, highest first; their values; the distinct values, highest first."""
        if self._by_value is None:
            order = np.argsort(-self.value, kind="stable")
            vdesc = self.value[order]
            self._by_value = (order, vdesc, np.unique(vdesc)[::-1])
        return self._by_value

    def matrix(self, reverse: bool, weights=None, mask=None):
        """SciPy CSR matrix of the (optionally masked) arcs, forward or reverse.

        ``weights`` default to the arc costs, or to ones when ``mask`` is given.
        """
        from scipy import sparse

        w = self.w if weights is None else weights
        if mask is None:
            if reverse:
                return sparse.csr_array((w[self.rorder], self.src[self.rorder], self.rindptr), shape=(self.n, self.n))
            return sparse.csr_array((w, self.dst, self.indptr), shape=(self.n, self.n))
        if reverse:
            o = self.rorder[mask[self.rorder]]
            rows, cols = self.dst[o], self.src[o]
        else:
            o = np.flatnonzero(mask)
            rows, cols = self.src[o], self.dst[o]
        return sparse.csr_array((np.ones(len(o)) if weights is None else w[o], cols, _indptr(rows, self.n)),
                                shape=(self.n, self.n))

    def reverse_matrix(self):
        """The reverse graph's CSR matrix of arc costs, built once (callers restore what they change)."""
        if self._reverse is None:
            m = self.matrix(not self.symmetric)
            m.data = m.data.copy()  # blocked rows are blanked in place; never touch the arc costs
            self._reverse = m
        return self._reverse

    # ------------------------------------------------------------- building
    def with_sink(self, targets, cost: float, value: float = np.inf) -> "PathGraph":
        """This graph plus one node (position ``n``, ranked last) with an arc from every target into it.

        Paths to any of ``targets`` become paths to the new node; the new
        arcs have cost ``cost`` and value ``value``.

        >>> g = PathGraph(2, np.array([0]), np.array([1]), cost=np.ones(1), value=np.ones(1), rank=np.arange(2))
        >>> h = g.with_sink([0, 1], cost=0.0)
        >>> h.n, h.src.tolist(), h.dst.tolist(), h.w.tolist()
        (3, [0, 0, 1], [1, 2, 2], [1.0, 0.0, 0.0])
        """
        n0 = self.n
        spos = np.unique(np.asarray(targets, dtype=np.int64))
        at = self.indptr[spos + 1]  # the sink has the largest position: its arc ends each target's row
        src = np.insert(self.src, at, spos)
        dst = np.insert(self.dst, at, n0)
        w = np.insert(self.w, at, cost)
        val = np.insert(self.value, at, value)
        rank = np.append(self.rank, n0 if len(self.rank) == 0 else max(n0, int(self.rank.max()) + 1))
        return PathGraph(n0 + 1, src, dst, cost=w, value=val, rank=rank)


def best_arcs(n: int, u: np.ndarray, v: np.ndarray, keys: Callable[[np.ndarray], list[np.ndarray]]):
    """The best of the arcs ``u -> v`` per ordered pair, self-loops dropped, sorted by (tail, head).

    ``keys(idx)`` returns arrays aligned with ``idx`` (indices into ``u``);
    the arc with the smallest keys, compared lexicographically, wins; the
    last key must be unique within a pair (the input order, say). It is only
    called when some pair has several arcs.

    Returns ``(src, dst, idx)``: the kept arcs and their indices into ``u``.

    >>> u, v = np.array([1, 0, 0, 2]), np.array([0, 1, 1, 2])
    >>> src, dst, idx = best_arcs(3, u, v, lambda i: [-np.array([5., 1., 9., 0.])[i], i])
    >>> src.tolist(), dst.tolist(), idx.tolist()
    ([0, 1], [1, 0], [2, 0])
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    idx = np.flatnonzero(u != v)
    width = max(int(n), 1)
    pk = u[idx] * width + v[idx]
    order = sort_order(pk)
    pk, idx = pk[order], idx[order]
    if len(pk) and np.any(pk[1:] == pk[:-1]):
        sel = _group_best(pk, keys(idx))
        pk, idx = pk[sel], idx[sel]
    return pk // width, pk % width, idx


def pair_totals(n: int, u: np.ndarray, v: np.ndarray, weights: np.ndarray, src: np.ndarray,
                dst: np.ndarray) -> np.ndarray:
    """Sum of ``weights`` over every arc ``u -> v`` of each pair ``(src[i], dst[i])`` (self-loops dropped).

    The weights of a pair are added smallest first, so the totals do not
    depend on the order of the arcs. Pairs without an arc total 0.

    >>> u, v = np.array([1, 0, 0, 2]), np.array([0, 1, 1, 2])
    >>> pair_totals(3, u, v, np.array([5., 1., 9., 7.]), np.array([0, 1, 2]), np.array([1, 0, 0])).tolist()
    [10.0, 5.0, 0.0]
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    w = np.asarray(weights, dtype=float)
    keep = u != v
    width = max(int(n), 1)
    pk, w = u[keep] * width + v[keep], w[keep]
    want = np.asarray(src, dtype=np.int64) * width + np.asarray(dst, dtype=np.int64)
    if not len(pk):
        return np.zeros(len(want))
    order = np.lexsort((w, pk))
    pk, w = pk[order], w[order]
    starts = np.flatnonzero(np.concatenate([[True], pk[1:] != pk[:-1]]))
    keys, sums = pk[starts], np.add.reduceat(w, starts)
    at = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
    return np.where(keys[at] == want, sums[at], 0.0)


def sort_order(keys: np.ndarray) -> np.ndarray:
    """Stable argsort of non-negative int64 ``keys`` (packs the index into the key when it fits).

    >>> sort_order(np.array([3, 1, 3, 0])).tolist()
    [3, 1, 0, 2]
    """
    m = len(keys)
    bits = max(1, int(m).bit_length())
    if m and int(keys.max()) < (1 << (62 - bits)):
        packed = (keys << bits) | np.arange(m, dtype=np.int64)
        packed.sort()
        return packed & ((1 << bits) - 1)
    return np.argsort(keys, kind="stable")


def close(a, b) -> np.ndarray:
    """``a`` equals ``b`` within the relative tolerance :data:`TOL`.

    >>> close(np.array([1.0, 1.1]), 1.0 + 1e-12).tolist()
    [True, False]
    """
    with np.errstate(invalid="ignore"):
        return np.abs(a - b) <= TOL * np.maximum(1.0, np.abs(b))


def pick(cands: np.ndarray, *keys) -> int:
    """The candidate smallest by ``keys`` (each an array aligned with cands), lexicographically.

    >>> pick(np.array([7, 8, 9]), np.array([1, 0, 0]), np.array([0, 2, 1]))
    9
    """
    o = np.lexsort(tuple(reversed(keys)))
    return int(cands[o[0]])


def _indptr(rows: np.ndarray, n: int) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64)


def _group_best(keys_sorted: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
    """Index of the best row (smallest ``keys``, lexicographically) in each run of equal ``keys_sorted``."""
    starts = np.flatnonzero(np.concatenate([[True], keys_sorted[1:] != keys_sorted[:-1]]))
    counts = np.diff(np.append(starts, len(keys_sorted)))
    mask = np.ones(len(keys_sorted), dtype=bool)
    for k in keys:
        kk = np.where(mask, np.asarray(k, dtype=float), np.inf)
        gm = np.minimum.reduceat(kk, starts)
        mask &= kk == np.repeat(gm, counts)
    # the last key is unique within a pair, so one row per run remains
    return np.flatnonzero(mask)
