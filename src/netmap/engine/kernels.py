"""Fast graph kernels over sparse matrices: PageRank, betweenness, closeness, eigenvector, Louvain, Burt.

Every kernel takes a ``scipy.sparse`` adjacency matrix over node positions
(row ``i`` is row ``i`` of ``network.nodes``) and returns numpy arrays in the
same order, so the analysis modules map results back by position.

Engines (all permissively licensed, as netmap is MIT):

* NetworKit (MIT) for the all-pairs shortest-path kernels (Brandes
  betweenness, exact and sampled; closeness) and Louvain (PLM).
* numpy/scipy (BSD) for PageRank (sparse power iteration), eigenvector
  centrality (Lanczos, ``eigsh``), closeness estimated from sampled sources,
  modularity and Burt's constraint and effective size (batched sparse
  products), which no permissive engine provides.

NetworKit's random choices use its global generator; every kernel that draws
seeds it with ``networkit.setSeed(seed, useThreadId=False)`` first, and Louvain
runs on one thread because the parallel PLM is not reproducible even when
seeded.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = [
    "pagerank",
    "betweenness",
    "closeness",
    "eigenvector",
    "louvain",
    "modularity",
    "burt",
]


# ------------------------------------------------------------------ helpers
def _csr(a) -> sparse.csr_array:
    a = sparse.csr_array(a, dtype=np.float64)
    a.sum_duplicates()
    return a


def _nk_graph(a, directed: bool, weighted: bool = False, transpose: bool = False):
    """A NetworKit graph from a sparse matrix (undirected: the upper triangle is used)."""
    import networkit as nk

    n = a.shape[0]
    coo = sparse.coo_matrix(a)
    r, c, w = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(np.float64)
    if not directed:
        keep = r < c
        r, c, w = r[keep], c[keep], w[keep]
    if transpose:
        r, c = c, r
    if not weighted:
        w = np.ones(len(r))
    if len(r) == 0:
        return nk.Graph(n, weighted=weighted, directed=directed)
    m = sparse.coo_matrix((w, (r, c)), shape=(n, n))
    return nk.GraphFromCoo(m, n=n, weighted=weighted, directed=directed)


class _single_thread:
    """Run NetworKit on one thread inside the block, restoring the thread count after."""

    def __enter__(self):
        import networkit as nk

        self._threads = nk.getMaxNumberOfThreads()
        nk.setNumberOfThreads(1)
        return self

    def __exit__(self, *exc):
        import networkit as nk

        nk.setNumberOfThreads(self._threads)
        return False


# ------------------------------------------------------------------ kernels
def pagerank(a, damping: float = 0.85, *, tol: float = 1e-10, max_iter: int = 1000) -> np.ndarray:
    """PageRank of every node by sparse power iteration.

    Parameters
    ----------
    a : sparse matrix (n x n)
        ``a[i, j]`` is the weight of the arc i -> j (0 or absent: no arc).
    damping : float (default=0.85)
        Probability of following an arc rather than jumping to a random node.
    tol : float
        Stop when the L1 change of the scores is below ``n * tol``.

    Returns
    -------
    ndarray
        Scores summing to 1. Rows whose weights sum to 0 (no outgoing arc,
        or only arcs of weight 0) are dangling: their score is spread evenly,
        as in networkx's ``pagerank``.
    """
    a = _csr(a)
    n = a.shape[0]
    if n == 0:
        return np.zeros(0)
    out = np.asarray(a.sum(axis=1)).ravel()
    dangling = out <= 0
    inv = np.zeros(n)
    inv[~dangling] = 1.0 / out[~dangling]
    # transition matrix transposed: x_new = damping * (P^T x) + ...
    pt = (sparse.diags_array(inv) @ a).T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = damping * (pt @ last) + (damping * last[dangling].sum() + 1.0 - damping) / n
        if np.abs(x - last).sum() < n * tol:
            break
    return x / x.sum()


def betweenness(a, directed: bool, *, samples: int | None = None, seed: int = 0) -> np.ndarray:
    """Normalised shortest-path betweenness (hops; Brandes).

    ``samples=None`` computes it exactly (O(n m)); an integer estimates it
    from that many source nodes drawn with NetworKit's generator seeded with
    ``seed`` (Geisberger, Sanders and Schultes' unbiased estimator). Both run
    on NetworKit's threads.
    Normalised like networkx: divided by ``(n-1)(n-2)`` for directed graphs and
    ``(n-1)(n-2)/2`` for undirected ones.
    """
    import networkit as nk

    a = _csr(a)
    n = a.shape[0]
    if n < 3:
        return np.zeros(n)
    g = _nk_graph(a, directed)
    if samples is None:
        algo = nk.centrality.Betweenness(g, normalized=True)
    else:
        nk.setSeed(int(seed), False)
        # the sources are drawn before the parallel part; repeated runs gave identical scores
        algo = nk.centrality.EstimateBetweenness(g, int(samples), True, True)
    algo.run()
    return np.asarray(algo.scores(), dtype=float)


def closeness(a, directed: bool, *, sources: np.ndarray | None = None) -> np.ndarray:
    """Closeness by hops, Wasserman and Faust's form for disconnected graphs.

    For node ``v`` with ``r`` nodes that can reach it at total distance ``d``:
    ``(r / (n - 1)) * (r / d)`` (0 when nothing reaches it). On a directed
    graph distances are *to* ``v`` (along the arcs), as in networkx.

    ``sources=None`` computes it exactly (NetworKit, O(n m)). Otherwise only
    breadth-first searches from ``sources`` are run and ``r`` and ``d`` are
    estimated from them (Eppstein and Wang's sampling): ``r/d`` by the mean
    distance from the sources that reach ``v``, ``r`` scaled up from the
    share of sources that reach it.
    """
    import networkit as nk
    from scipy.sparse.csgraph import shortest_path

    a = _csr(a)
    n = a.shape[0]
    if n < 2:
        return np.zeros(n)
    if sources is None:
        # NetworKit measures distances *from* v; on the reversed graph that is *to* v
        g = _nk_graph(a, directed, transpose=directed)
        algo = nk.centrality.Closeness(g, True, nk.centrality.ClosenessVariant.GENERALIZED)
        algo.run()
        return np.asarray(algo.scores(), dtype=float)
    sources = np.asarray(sources, dtype=np.int64)
    pattern = a.copy()
    pattern.data = np.ones_like(pattern.data)
    reach = np.zeros(n)
    total = np.zeros(n)
    used = np.zeros(n)  # sources other than v itself
    for chunk in np.array_split(sources, max(1, len(sources) // 16)):
        if len(chunk) == 0:
            continue
        d = shortest_path(pattern, directed=directed, unweighted=True, indices=chunk)
        ok = np.isfinite(d) & (d > 0)
        reach += ok.sum(axis=0)
        total += np.where(ok, d, 0.0).sum(axis=0)
        used += len(chunk)
        used[chunk] -= 1
    out = np.zeros(n)
    has = (reach > 0) & (used > 0)
    est_r = reach[has] * (n - 1) / used[has]
    out[has] = (est_r / (n - 1)) * (reach[has] / total[has])
    return out


def eigenvector(a) -> np.ndarray:
    """Eigenvector centrality of a symmetric (undirected) weighted matrix.

    The leading eigenvector, non-negative, unit Euclidean norm (as networkx).
    All zeros when the graph has no ties.
    """
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    a = _csr(a)
    n = a.shape[0]
    if n == 0 or a.nnz == 0 or not np.any(a.data):
        return np.zeros(n)
    if n <= 64:
        vals, vecs = np.linalg.eigh(a.toarray())
        x = vecs[:, -1]
    else:
        try:
            vals, vecs = eigsh(a, k=1, which="LA", v0=np.ones(n), tol=1e-12, maxiter=max(2000, 10 * n))
            x = vecs[:, 0]
        except ArpackNoConvergence:  # pragma: no cover - fall back to shifted power iteration
            x = np.ones(n)
            for _ in range(10_000):
                y = x + a @ x
                y /= np.linalg.norm(y)
                if np.abs(y - x).sum() < n * 1e-12:
                    x = y
                    break
                x = y
    x = x if x.sum() >= 0 else -x
    x = np.where(np.abs(x) < 1e-15, 0.0, x)
    x = np.abs(x)
    return x / np.linalg.norm(x)


def louvain(a, *, resolution: float = 1.0, seed: int = 0) -> np.ndarray:
    """Community labels by Louvain (NetworKit's PLM) on a symmetric matrix.

    Deterministic: NetworKit is seeded with ``seed`` and PLM runs on one
    thread (the parallel version gives different partitions from run to run
    even when seeded). Labels are arbitrary integers; isolated nodes get
    their own label.
    """
    import networkit as nk

    a = _csr(a)
    n = a.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    g = _nk_graph(a, directed=False, weighted=True)
    if g.numberOfEdges() == 0:
        return np.arange(n, dtype=np.int64)
    with _single_thread():
        nk.setSeed(int(seed), False)
        algo = nk.community.PLM(g, refine=False, gamma=float(resolution), par="none")
        algo.run()
        labels = np.asarray(algo.getPartition().getVector(), dtype=np.int64)
    return labels


def modularity(a, labels: np.ndarray, *, resolution: float = 1.0) -> float:
    """Newman's modularity of a partition of a symmetric weighted matrix.

    ``Q = sum_c [ W_c / (2m) - resolution * (k_c / (2m))^2 ]`` where ``W_c``
    sums ``a[i, j]`` over ordered pairs inside community ``c``, ``k_c`` the
    weighted degrees of its members and ``2m = a.sum()``. Same definition as
    networkx's ``modularity``. NaN when the graph has no weight.
    """
    a = _csr(a)
    labels = np.asarray(labels)
    two_m = float(a.sum())
    if two_m <= 0:
        return float("nan")
    _, lab = np.unique(labels, return_inverse=True)
    coo = a.tocoo()
    same = lab[coo.row] == lab[coo.col]
    inside = np.bincount(lab[coo.row[same]], weights=coo.data[same], minlength=lab.max() + 1)
    deg = np.asarray(a.sum(axis=1)).ravel()
    k = np.bincount(lab, weights=deg, minlength=lab.max() + 1)
    return float((inside / two_m).sum() - resolution * ((k / two_m) ** 2).sum())


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
    """
    a = _csr(a)
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


def _on_pattern(x: sparse.csr_array, pattern: sparse.csr_array) -> np.ndarray:
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

