"""NetworKit glue: a NetworKit graph from a sparse matrix, its seed, and a one-thread block.

NetworKit's random choices use its global generator: every kernel that draws
calls :func:`seed` first. Its parallel Louvain is not reproducible even when
seeded, and its parallel exact betweenness sums the threads' partial scores
in a changing order, so those kernels run inside :class:`one_thread`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["to_networkit", "seed", "one_thread"]


def to_networkit(a, directed: bool, *, weighted: bool = False, transpose: bool = False):
    """A NetworKit graph from a sparse matrix over node positions.

    Undirected graphs use the upper triangle of ``a`` (which must be
    symmetric); ``transpose=True`` reverses every arc; unweighted graphs
    ignore the values.

    >>> from scipy import sparse
    >>> g = to_networkit(sparse.csr_array(np.array([[0, 1], [1, 0]])), directed=False)
    >>> g.numberOfNodes(), g.numberOfEdges()
    (2, 1)
    """
    from scipy import sparse  # imported where used: the command line starts faster
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


def seed(value: int) -> None:
    """Seed NetworKit's global generator (the same for every thread)."""
    import networkit as nk

    nk.setSeed(int(value), False)


class one_thread:
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
