"""Centrality kernels over sparse matrices: PageRank, betweenness, closeness, eigenvector.

Every kernel takes a ``scipy.sparse`` adjacency matrix over node positions
(``a[i, j]`` the weight of the arc i -> j) and returns a numpy array in the
same order. NetworKit (MIT) computes the all-pairs shortest-path kernels
(Brandes betweenness, exact and sampled; exact closeness); numpy/scipy (BSD)
PageRank (sparse power iteration), eigenvector centrality (Lanczos) and
closeness estimated from sampled sources.
"""

from __future__ import annotations

import numpy as np

from . import nk
from .adjacency import float_matrix

__all__ = ["pagerank", "betweenness", "closeness", "eigenvector"]


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

    Examples
    --------
    >>> from scipy import sparse
    >>> a = sparse.csr_array(np.array([[0, 1], [1, 0]]))
    >>> pagerank(a).round(3).tolist()
    [0.5, 0.5]
    """
    from scipy import sparse  # imported where used: the command line starts faster
    a = float_matrix(a)
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

    ``samples=None`` computes it exactly (O(n m)) on one thread: NetworKit's
    parallel exact version adds the threads' partial scores in an order that
    changes from run to run, so the last digits did too (four different
    values in six runs on the sample data). An integer estimates it from that
    many source nodes drawn with NetworKit's generator seeded with ``seed``
    (Geisberger, Sanders and Schultes' unbiased estimator), on NetworKit's
    threads (repeated runs gave identical scores).
    Normalised like networkx: divided by ``(n-1)(n-2)`` for directed graphs and
    ``(n-1)(n-2)/2`` for undirected ones.

    >>> from scipy import sparse
    >>> chain = sparse.csr_array(np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]]))
    >>> betweenness(chain, directed=True).tolist()
    [0.0, 0.5, 0.0]
    """
    import networkit

    a = float_matrix(a)
    n = a.shape[0]
    if n < 3:
        return np.zeros(n)
    g = nk.to_networkit(a, directed)
    if samples is None:
        with nk.one_thread():
            algo = networkit.centrality.Betweenness(g, normalized=True)
            algo.run()
            return np.asarray(algo.scores(), dtype=float)
    nk.seed(seed)
    # the sources are drawn before the parallel part; repeated runs gave identical scores
    algo = networkit.centrality.EstimateBetweenness(g, int(samples), True, True)
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

    >>> from scipy import sparse
    >>> chain = sparse.csr_array(np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]]))
    >>> closeness(chain, directed=True).round(4).tolist()
    [0.0, 0.5, 0.6667]
    """
    import networkit
    from scipy.sparse.csgraph import shortest_path

    a = float_matrix(a)
    n = a.shape[0]
    if n < 2:
        return np.zeros(n)
    if sources is None:
        # NetworKit measures distances *from* v; on the reversed graph that is *to* v
        g = nk.to_networkit(a, directed, transpose=directed)
        algo = networkit.centrality.Closeness(g, True, networkit.centrality.ClosenessVariant.GENERALIZED)
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

    >>> from scipy import sparse
    >>> star = sparse.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]]))
    >>> eigenvector(star).round(4).tolist()
    [0.7071, 0.5, 0.5]
    """
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    a = float_matrix(a)
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
