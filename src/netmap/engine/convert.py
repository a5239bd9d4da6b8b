"""Convert a :class:`~netmap.network.Network` into an engine's graph.

NetworKit (MIT licence) runs the heavy kernels; node ``i`` of the engine graph
is row ``i`` of ``network.nodes``, so results map back by position.
"""

from __future__ import annotations

import numpy as np

from ..network import Network

__all__ = ["to_networkit"]


def to_networkit(network: Network, directed: bool = True, weight: str | None = None):
    """A ``networkit.Graph`` over node positions, parallel ties aggregated.

    Parameters
    ----------
    network : Network
    directed : bool (default=True)
        Directed view (symmetric ties both ways) or undirected view.
    weight : None, "value" or "strength" (default=None)
        Edge weight; aggregated per pair as in :meth:`Network.pairs`.
    """
    import networkit as nk

    p = network.pairs(directed=directed)
    n = network.n_nodes
    u = p["u"].to_numpy(dtype=np.uint64)
    v = p["v"].to_numpy(dtype=np.uint64)
    if weight is None:
        w = np.ones(len(p), dtype=np.float64)
    else:
        w = p[weight].to_numpy(dtype=np.float64)
    from scipy.sparse import coo_matrix

    if len(p) == 0:
        return nk.Graph(n, weighted=weight is not None, directed=directed)
    mat = coo_matrix((w, (u.astype(np.int64), v.astype(np.int64))), shape=(n, n))
    g = nk.GraphFromCoo(mat, n=n, weighted=weight is not None, directed=directed)
    return g
