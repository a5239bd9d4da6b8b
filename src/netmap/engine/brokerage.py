"""Burt's constraint and effective size (structural holes) of many egos at once, by batched sparse products."""

from __future__ import annotations

import numpy as np

from .adjacency import float_matrix

__all__ = ["burt"]


def burt(a, egos: np.ndarray | None = None, *, batch_nnz: int = 4_000_000) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Burt's constraint and effective size of ``egos`` in a symmetric weighted matrix.

    With ``w`` the (symmetric) tie weights, ``p_ij = w_ij / sum_k w_ik`` the
    share of i's ties that go to j and ``m_jq = w_jq / max_k w_jk``:

    * constraint ``c_i = sum_{j in N(i)} (p_ij + sum_q p_iq p_qj)^2``
    * effective size ``e_i = sum_{j in N(i)} (1 - sum_q p_iq m_jq)``

    (Burt 1992; the definitions of networkx's ``constraint`` and
    ``effective_size``, where a tie of weight 0 is still a tie.) Both are
    computed with sparse products for a batch of egos at a time, restricted to
    the ego's own ties. Egos without ties, or whose ties all weigh 0, get NaN.

    Parameters
    ----------
    a : sparse matrix (n x n), symmetric; its pattern defines the ties.
    egos : int array or None
        Positions to compute; all nodes when None.
    batch_nnz : int
        Rough bound on the entries of one batch's products (memory).

    Returns
    -------
    constraint, effective_size : ndarray (len(egos),)
    top_contact : int ndarray (len(egos),)
        Position of the contact j with the largest term of the constraint
        (-1 where undefined; the lowest position among equal terms).
    top_share : ndarray (len(egos),)
        That term as a share of the ego's constraint.

    Examples
    --------
    A star: the hub's three partners are not tied to each other.

    >>> from scipy import sparse
    >>> star = sparse.csr_array(np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]]))
    >>> constraint, effective_size, top, share = burt(star, np.array([0, 1]))
    >>> constraint.round(4).tolist(), effective_size.tolist(), top.tolist()
    ([0.3333, 1.0], [3.0, 1.0], [1, 0])
    """
    from scipy import sparse  # imported where used: the command line starts faster
    a = float_matrix(a)
    n = a.shape[0]
    egos = np.arange(n) if egos is None else np.asarray(egos, dtype=np.int64)
    cons = np.full(len(egos), np.nan)
    eff = np.full(len(egos), np.nan)
    top = np.full(len(egos), -1, dtype=np.int64)
    share = np.full(len(egos), np.nan)
    if n == 0 or len(egos) == 0:
        return cons, eff, top, share
    strength = np.asarray(a.sum(axis=1)).ravel()
    deg = np.diff(a.indptr)
    rowmax = np.zeros(n)
    nz = deg > 0
    rowmax[nz] = np.maximum.reduceat(a.data, a.indptr[:-1][nz]) if a.nnz else 0.0
    inv_s = np.divide(1.0, strength, out=np.zeros(n), where=strength > 0)
    inv_max = np.divide(1.0, rowmax, out=np.zeros(n), where=rowmax > 0)
    # scale the stored entries directly so that ties of weight 0 stay in the pattern
    row_of_entry = np.repeat(np.arange(n), deg)
    p = a.copy()
    p.data = a.data * inv_s[row_of_entry]  # p[i, j] = w_ij / s_i
    m_t = a.copy()
    m_t.data = a.data * inv_max[a.indices]  # m_t[q, j] = w_qj / max_j = m_jq (w symmetric)
    # cost of one ego's product row ~ sum of its neighbours' degrees
    cost = np.asarray(sparse.csr_array((np.ones(a.nnz), a.indices, a.indptr), shape=a.shape) @ deg).ravel()
    valid = (deg[egos] > 0) & (strength[egos] > 0)
    todo = np.flatnonzero(valid)
    start = 0
    while start < len(todo):
        acc, stop = 0.0, start
        while stop < len(todo) and (stop == start or acc + cost[egos[todo[stop]]] <= batch_nnz):
            acc += cost[egos[todo[stop]]]
            stop += 1
        pos = todo[start:stop]
        rows = egos[pos]
        r = p[rows]  # batch x n, pattern = the egos' ties
        r.sort_indices()
        pat = r.copy()
        pat.data = np.ones_like(pat.data)
        indirect = (r @ p).multiply(pat).tocsr()  # sum_q p_iq p_qj on the egos' ties
        redund = (r @ m_t).multiply(pat).tocsr()  # sum_q p_iq m_jq on the egos' ties
        direct = r
        # align the masked products to r's pattern (they share it or are sparser)
        ind_full = _on_pattern(indirect, r)
        red_full = _on_pattern(redund, r)
        local = (direct.data + ind_full) ** 2
        row_of = np.repeat(np.arange(len(rows)), np.diff(r.indptr))
        cons[pos] = np.bincount(row_of, weights=local, minlength=len(rows))
        eff[pos] = np.bincount(row_of, weights=1.0 - red_full, minlength=len(rows))
        # the contact with the largest local constraint: sort by (row, -local, column)
        order = np.lexsort((r.indices, -local, row_of))
        first = order[np.r_[0, np.flatnonzero(np.diff(row_of[order])) + 1]] if len(order) else order
        top[pos[row_of[first]]] = r.indices[first]
        with np.errstate(invalid="ignore", divide="ignore"):
            share[pos[row_of[first]]] = local[first] / cons[pos[row_of[first]]]
        start = stop
    return cons, eff, top, share


def _on_pattern(x, pattern) -> np.ndarray:
    """Values of ``x`` at each stored entry of ``pattern`` (0 where ``x`` has none)."""
    n_cols = pattern.shape[1]
    prow = np.repeat(np.arange(pattern.shape[0]), np.diff(pattern.indptr))
    xrow = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    pkey = prow.astype(np.int64) * n_cols + pattern.indices
    xkey = xrow.astype(np.int64) * n_cols + x.indices
    order = np.argsort(xkey, kind="stable")
    xkey, xval = xkey[order], x.data[order]
    loc = np.searchsorted(xkey, pkey)
    loc_c = np.minimum(loc, max(len(xkey) - 1, 0))
    hit = (loc < len(xkey)) & (xkey[loc_c] == pkey) if len(xkey) else np.zeros(len(pkey), dtype=bool)
    out = np.zeros(len(pkey))
    out[hit] = xval[loc_c[hit]]
    return out

