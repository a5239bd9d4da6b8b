"""Community kernels over a symmetric sparse matrix: Louvain (NetworKit's PLM, best of seeded runs) and Newman's modularity."""

from __future__ import annotations

import numpy as np

from . import nk
from .adjacency import float_matrix

__all__ = ["louvain", "louvain_runs", "modularity"]


def louvain(a, *, resolution: float = 1.0, seed: int = 0, runs: int = 1, refine: bool = True) -> np.ndarray:
    """Community labels by Louvain (NetworKit's PLM) on a symmetric matrix: the best of ``runs`` runs.

    Louvain's result depends on the order in which it visits the nodes, and
    NetworKit's one-thread PLM always visits them in position order (its
    seed changes nothing). So each run visits the nodes in a different order,
    a permutation drawn from ``numpy.random.default_rng(seed)``, and the
    partition of the highest modularity (at ``resolution``) is kept; equal
    modularity keeps the earlier run. ``refine=True`` adds PLM's second move
    phase after each coarsening, which finds better optima at about twice the
    cost of a run. Deterministic: the same matrix and seed give the same
    labels (PLM runs on one thread; the parallel version gives different
    partitions from run to run even when seeded). Labels are arbitrary
    integers; isolated nodes get their own label.

    >>> from scipy import sparse
    >>> pair_and_one = sparse.csr_array(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]))
    >>> labels = louvain(pair_and_one)
    >>> bool(labels[0] == labels[1]), bool(labels[0] == labels[2])
    (True, False)
    """
    labels, _ = louvain_runs(a, resolution=resolution, seed=seed, runs=runs, refine=refine)
    return labels


def louvain_runs(a, *, resolution: float = 1.0, seed: int = 0, runs: int = 1,
                 refine: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """:func:`louvain`, also returning the modularity (at ``resolution``) of every run, in run order.

    >>> from scipy import sparse
    >>> two_pairs = sparse.csr_array(np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]))
    >>> labels, scores = louvain_runs(two_pairs, runs=3)
    >>> scores.tolist()
    [0.5, 0.5, 0.5]
    """
    from scipy import sparse  # imported where used: the command line starts faster
    import networkit

    a = float_matrix(a)
    n = a.shape[0]
    runs = max(1, int(runs))
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.full(runs, np.nan)
    coo = sparse.triu(a, k=1, format="coo")
    if coo.nnz == 0 or not np.any(coo.data):
        return np.arange(n, dtype=np.int64), np.full(runs, np.nan)
    rng = np.random.default_rng(seed)
    best, best_q, scores = None, -np.inf, np.empty(runs)
    with nk.one_thread():
        for r in range(runs):
            perm = rng.permutation(n)  # perm[i]: the node visited i-th
            place = np.empty(n, dtype=np.int64)
            place[perm] = np.arange(n)
            m = sparse.coo_matrix((coo.data, (place[coo.row], place[coo.col])), shape=(n, n))
            g = networkit.GraphFromCoo(m, n=n, weighted=True, directed=False)
            algo = networkit.community.PLM(g, refine=bool(refine), gamma=float(resolution), par="none")
            algo.run()
            labels = np.asarray(algo.getPartition().getVector(), dtype=np.int64)[place]
            scores[r] = modularity(a, labels, resolution=resolution)
            if best is None or scores[r] > best_q + 1e-12:
                best, best_q = labels, scores[r]
    return best, scores


def modularity(a, labels: np.ndarray, *, resolution: float = 1.0) -> float:
    """Newman's modularity of a partition of a symmetric weighted matrix.

    ``Q = sum_c [ W_c / (2m) - resolution * (k_c / (2m))^2 ]`` where ``W_c``
    sums ``a[i, j]`` over ordered pairs inside community ``c``, ``k_c`` the
    weighted degrees of its members and ``2m = a.sum()``. Same definition as
    networkx's ``modularity``. NaN when the graph has no weight.

    >>> from scipy import sparse
    >>> two_pairs = sparse.csr_array(np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]))
    >>> modularity(two_pairs, np.array([0, 0, 1, 1]))
    0.5
    """
    a = float_matrix(a)
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
