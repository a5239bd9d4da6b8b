"""Community kernels over a symmetric sparse matrix: Louvain (NetworKit's PLM) and Newman's modularity."""

from __future__ import annotations

import numpy as np

from . import nk
from .adjacency import float_matrix

__all__ = ["louvain", "modularity"]


def louvain(a, *, resolution: float = 1.0, seed: int = 0) -> np.ndarray:
    """Community labels by Louvain (NetworKit's PLM) on a symmetric matrix.

    Deterministic: NetworKit is seeded with ``seed`` and PLM runs on one
    thread (the parallel version gives different partitions from run to run
    even when seeded). Labels are arbitrary integers; isolated nodes get
    their own label.

    >>> from scipy import sparse
    >>> pair_and_one = sparse.csr_array(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]))
    >>> labels = louvain(pair_and_one)
    >>> bool(labels[0] == labels[1]), bool(labels[0] == labels[2])
    (True, False)
    """
    import networkit

    a = float_matrix(a)
    n = a.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    g = nk.to_networkit(a, directed=False, weighted=True)
    if g.numberOfEdges() == 0:
        return np.arange(n, dtype=np.int64)
    with nk.one_thread():
        nk.seed(seed)
        algo = networkit.community.PLM(g, refine=False, gamma=float(resolution), par="none")
        algo.run()
        labels = np.asarray(algo.getPartition().getVector(), dtype=np.int64)
    return labels


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
