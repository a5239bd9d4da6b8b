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
    a = float_matrix(a)
    n = a.shape[0]
    egos = np.arange(n) if egos is None else np.asarray(egos, dtype=np.int64)
    if n == 0 or len(egos) == 0 or a.nnz == 0:
        return _empty(len(egos))
    deg = np.diff(a.indptr)
    # a few egos: their own sparse products cost less than listing every triangle of the graph
    two_hop = int(np.sum(deg[a.indices[_rows_entries(a, egos)]])) if len(egos) < n // 4 else None
    loops = bool(np.any(a.indices == np.repeat(np.arange(n), deg)))  # a tie to itself is no triangle side
    if loops or (two_hop is not None and two_hop <= batch_nnz):
        return _burt_products(a, egos, batch_nnz=batch_nnz)
    return _burt_triangles(a, egos, batch_nnz=batch_nnz)


def _empty(k: int):
    return np.full(k, np.nan), np.full(k, np.nan), np.full(k, -1, dtype=np.int64), np.full(k, np.nan)


def _rows_entries(a, rows: np.ndarray) -> np.ndarray:
    """Indices of the stored entries of ``rows`` of CSR ``a``."""
    starts, stops = a.indptr[rows], a.indptr[rows + 1]
    lens = stops - starts
    return np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens) + np.arange(int(lens.sum()))


def _shares(a):
    """Row sums, row maxima and their inverses (0 where the row sums or maxima are 0)."""
    n = a.shape[0]
    strength = np.asarray(a.sum(axis=1)).ravel()
    deg = np.diff(a.indptr)
    rowmax = np.zeros(n)
    nz = deg > 0
    rowmax[nz] = np.maximum.reduceat(a.data, a.indptr[:-1][nz]) if a.nnz else 0.0
    inv_s = np.divide(1.0, strength, out=np.zeros(n), where=strength > 0)
    inv_max = np.divide(1.0, rowmax, out=np.zeros(n), where=rowmax > 0)
    return strength, deg, inv_s, inv_max


def _burt_triangles(a, egos: np.ndarray, *, batch_nnz: int):
    """Every tie's indirect and redundant shares from the triangles of the graph, listed once each.

    With ``w`` symmetric, ``sum_q p_iq p_qj = (1/s_i) sum_q w_iq w_qj / s_q`` and
    ``sum_q p_iq m_jq = (1/(s_i max_j)) sum_q w_iq w_jq``, the sums running over
    the common partners ``q`` of ``i`` and ``j``: the third corners of the
    triangles on the tie ``i - j``. Each triangle is found once, from its
    corner of lowest (degree, position), so the work grows with the number of
    triangles rather than with the squares of the hubs' degrees.
    """
    n = a.shape[0]
    strength, deg, inv_s, inv_max = _shares(a)
    a.sort_indices()
    rows = np.repeat(np.arange(n, dtype=np.int64), deg)
    cols = a.indices.astype(np.int64)
    # the undirected ties (i < j) and, for every stored entry, its tie's id
    upper = rows < cols
    tie_key = rows[upper] * n + cols[upper]  # sorted: CSR order within rows
    tie_w = a.data[upper]
    lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
    entry_tie = np.searchsorted(tie_key, lo * n + hi)
    # orient every tie from its corner of lower (degree, position) to the other
    order = np.empty(n, dtype=np.int64)
    order[np.lexsort((np.arange(n), deg))] = np.arange(n)
    out_e = np.flatnonzero(order[rows] < order[cols])  # entries i -> j oriented upwards, in CSR order
    out_rows = rows[out_e]
    out_ptr = np.concatenate([[0], np.cumsum(np.bincount(out_rows, minlength=n))])
    k = np.diff(out_ptr)
    n_tri_ties = len(tie_key)
    found = []  # per batch: the triangles' two upward entries and the third tie
    # pairs of upward entries (x < y) of the same corner u: the ties u - v, u - w of a possible triangle
    pairs_per = k * (k - 1) // 2
    corners = np.flatnonzero(pairs_per > 0)
    start = 0
    while start < len(corners):
        csum = np.cumsum(pairs_per[corners[start:]])
        stop = start + max(1, int(np.searchsorted(csum, batch_nnz, side="right")))
        us = corners[start:stop]
        first, second = _pairs(out_ptr[us], k[us])
        ex, ey = out_e[first], out_e[second]
        v, w = cols[ex], cols[ey]
        key = np.minimum(v, w) * n + np.maximum(v, w)
        at = np.minimum(np.searchsorted(tie_key, key), n_tri_ties - 1)
        hit = tie_key[at] == key
        found.append((ex[hit], ey[hit], at[hit]))
        start = stop
    # one pass over all triangles, whatever the batches: the sums do not depend on them
    ex, ey, at = (np.concatenate([f[i] for f in found]) if found else np.zeros(0, dtype=np.int64) for i in range(3))
    u, v, w = rows[ex], cols[ex], cols[ey]
    wa, wb, wc = a.data[ex], a.data[ey], tie_w[at]  # u - v, u - w, v - w
    tie = np.concatenate([entry_tie[ex], entry_tie[ey], at])
    prod = np.concatenate([wb * wc, wa * wc, wa * wb])
    third = np.concatenate([w, v, u])
    sum_n = np.bincount(tie, weights=prod, minlength=n_tri_ties)  # sum_q w_iq w_jq per tie
    sum_m = np.bincount(tie, weights=prod * inv_s[third], minlength=n_tri_ties)  # sum_q w_iq w_jq / s_q
    # every stored entry i -> j
    p = a.data * inv_s[rows]
    indirect = sum_m[entry_tie] * inv_s[rows]
    redund = sum_n[entry_tie] * inv_s[rows] * inv_max[cols]
    local = (p + indirect) ** 2
    cons_all = np.bincount(rows, weights=local, minlength=n)
    eff_all = np.bincount(rows, weights=1.0 - redund, minlength=n)
    # the contact with the largest local constraint: the first by (row, -local, column)
    o = np.lexsort((cols, -local, rows))
    firsts = o[np.concatenate([[0], np.flatnonzero(np.diff(rows[o])) + 1])]
    top_all = np.full(n, -1, dtype=np.int64)
    top_all[rows[firsts]] = cols[firsts]
    with np.errstate(invalid="ignore", divide="ignore"):
        share_all = np.full(n, np.nan)
        share_all[rows[firsts]] = local[firsts] / cons_all[rows[firsts]]
    cons, eff, top, share = _empty(len(egos))
    valid = (deg[egos] > 0) & (strength[egos] > 0)
    e = egos[valid]
    cons[valid], eff[valid], top[valid], share[valid] = cons_all[e], eff_all[e], top_all[e], share_all[e]
    return cons, eff, top, share


def _pairs(starts: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs ``(x, y)``, ``x < y``, within each range ``starts[i] .. starts[i] + k[i]``."""
    # each entry x pairs with the entries after it in its range
    base = np.repeat(starts, k)
    offs = np.arange(int(k.sum())) - np.repeat(np.concatenate([[0], np.cumsum(k)[:-1]]), k)
    x = base + offs
    after = np.repeat(k, k) - offs - 1
    first = np.repeat(x, after)
    step = np.arange(int(after.sum())) - np.repeat(np.concatenate([[0], np.cumsum(after)[:-1]]), after)
    return first, first + step + 1


def _burt_products(a, egos: np.ndarray, *, batch_nnz: int):
    """The shares of a few egos from their own sparse products (two-step sums restricted to their ties)."""
    from scipy import sparse  # imported where used: the command line starts faster

    n = a.shape[0]
    cons = np.full(len(egos), np.nan)
    eff = np.full(len(egos), np.nan)
    top = np.full(len(egos), -1, dtype=np.int64)
    share = np.full(len(egos), np.nan)
    if n == 0 or len(egos) == 0:
        return cons, eff, top, share
    strength, deg, inv_s, inv_max = _shares(a)
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

