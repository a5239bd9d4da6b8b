"""Seeded node positions computed in Python, for maps too large for in-browser physics.

Pivot MDS (Brandes & Pich, "Eigensolver methods for progressive
multidimensional scaling of large data", Graph Drawing 2006) per connected
component, leaves fanned out around their one neighbour, components packed in
rows, largest first. Linear in ties times pivots: 50,000 organisations take
about a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine.adjacency import csr_both_ways
from ..network import Network

__all__ = ["layout", "undirected_adjacency"]


def undirected_adjacency(network: Network):
    """Symmetric 0/1 ``scipy.sparse.csr_array`` over node positions: 1 where two organisations share any tie.

    Built by the engine's one adjacency builder (sorted, no duplicates, no self-ties).

    >>> from netmap import read_network
    >>> np.diff(undirected_adjacency(read_network("sample_data/tiny")).indptr).tolist()[:3]
    [7, 2, 3]
    """
    from scipy import sparse

    n = network.n_nodes
    indptr, indices = csr_both_ways(n, *network.endpoints())
    return sparse.csr_array((np.ones(len(indices)), indices, indptr), shape=(n, n))


def layout(network: Network, *, seed: int = 0, pivots: int = 50, spacing: float = 40.0) -> pd.DataFrame:
    """Two-dimensional positions of every organisation.

    Parameters
    ----------
    network : Network
    seed : int (default=0)
        Seeds the small jitter that separates organisations with identical
        distances to every pivot; the same seed gives the same layout.
    pivots : int (default=50)
        Pivot organisations per component (more: slower, closer to full MDS).
    spacing : float (default=40.0)
        Typical distance between neighbouring organisations, in map units
        (pixels at zoom 1).

    Returns
    -------
    DataFrame
        ``id``, ``x``, ``y`` (floats), one row per organisation in the order
        of ``network.nodes``.

    Notes
    -----
    Ties are read as undirected and unweighted: the layout shows who is
    connected to whom, not flow. Isolated organisations and pairs are placed
    in a grid below the connected ones.

    Examples
    --------
    >>> from netmap import read_network
    >>> pos = layout(read_network("sample_data/tiny"))
    >>> list(pos.columns), len(pos)
    (['id', 'x', 'y'], 10)
    """
    from scipy.sparse.csgraph import connected_components

    n = network.n_nodes
    if n == 0:
        return pd.DataFrame({"id": [], "x": [], "y": []})
    rng = np.random.default_rng(seed)
    adj = undirected_adjacency(network)
    n_comp, labels = connected_components(adj, directed=False)
    xy = np.zeros((n, 2))
    order = np.argsort(-np.bincount(labels, minlength=n_comp), kind="stable")
    boxes = []  # (component nodes, local coordinates)
    for c in order:
        members = np.flatnonzero(labels == c)
        if len(members) <= 2:
            boxes.append((members, None))
            continue
        sub = adj[members][:, members]
        boxes.append((members, _component_layout(sub, rng, pivots, spacing)))
    _pack(boxes, xy, spacing)
    return pd.DataFrame({"id": network.ids, "x": np.round(xy[:, 0], 2), "y": np.round(xy[:, 1], 2)})


def _component_layout(adj, rng, pivots: int, spacing: float) -> np.ndarray:
    """Pivot MDS of one connected component, leaves fanned around their neighbour."""
    from scipy.sparse.csgraph import shortest_path

    n = adj.shape[0]
    deg = np.diff(adj.indptr)
    k = min(pivots, n)
    # max-min pivot choice, starting at the best-connected organisation (deterministic)
    chosen = [int(np.argmax(deg))]
    dist = shortest_path(adj, method="D", unweighted=True, indices=[chosen[0]])
    mind = dist[0].copy()
    rows = [dist[0]]
    while len(chosen) < k:
        nxt = int(np.argmax(mind))
        if mind[nxt] == 0:
            break
        chosen.append(nxt)
        d = shortest_path(adj, method="D", unweighted=True, indices=[nxt])[0]
        rows.append(d)
        mind = np.minimum(mind, d)
    D = np.vstack(rows).T  # n x k distances
    if D.shape[1] >= 2:
        C = D ** 2
        C = C - C.mean(axis=0, keepdims=True)
        C = C - C.mean(axis=1, keepdims=True)
        C *= -0.5
        w, v = np.linalg.eigh(C.T @ C)
        top = np.argsort(w)[::-1][:2]
        pos = C @ v[:, top]
        if pos.shape[1] < 2:
            pos = np.column_stack([pos, np.zeros(n)])
        # a stable sign, so the picture does not flip between runs or platforms
        for j in range(2):
            if pos[np.argmax(np.abs(pos[:, j])), j] < 0:
                pos[:, j] = -pos[:, j]
    else:
        pos = np.zeros((n, 2))
    # scale: ties about `spacing` long, and at least `spacing`^2 of room per organisation
    leaves = np.flatnonzero(deg == 1) if n > 2 else np.zeros(0, dtype=np.int64)
    inner = np.setdiff1d(np.arange(n), leaves) if len(leaves) < n else np.arange(n)
    coo = adj.tocoo()
    lengths = np.hypot(*(pos[coo.row] - pos[coo.col]).T)
    med = np.median(lengths[lengths > 0]) if np.any(lengths > 0) else 1.0
    lo, hi = np.percentile(pos[inner], [2, 98], axis=0)
    box = max(float(np.prod(np.maximum(hi - lo, med))), 1e-9)
    scale = max(spacing / med, float(np.sqrt(len(inner) * spacing**2 / box)))
    pos *= scale
    # fan leaves out around their only neighbour on a sunflower spiral (even density)
    if len(leaves) and len(leaves) < n:
        parent = adj.indices[adj.indptr[leaves]]
        order = np.lexsort((leaves, parent))
        leaves, parent = leaves[order], parent[order]
        start = np.r_[0, np.flatnonzero(np.diff(parent)) + 1]
        counts = np.diff(np.r_[start, len(parent)])
        rank = np.arange(len(leaves)) - np.repeat(start, counts)
        angle = rank * (np.pi * (3.0 - np.sqrt(5.0))) + parent * 0.7
        radius = spacing * (0.9 + 0.5 * np.sqrt(rank))
        pos[leaves, 0] = pos[parent, 0] + radius * np.cos(angle)
        pos[leaves, 1] = pos[parent, 1] + radius * np.sin(angle)
    # separate organisations that landed on the same spot
    pos += rng.normal(scale=spacing * 0.15, size=pos.shape)
    return pos - pos.min(axis=0)


def _pack(boxes, xy: np.ndarray, spacing: float) -> None:
    """Place component layouts in rows (largest first), small ones in a grid below."""
    big = [(m, p) for m, p in boxes if p is not None]
    small = [m for m, p in boxes if p is None]
    total_area = sum(float(np.ptp(p[:, 0]) + spacing) * float(np.ptp(p[:, 1]) + spacing) for _, p in big)
    widest = max((float(np.ptp(p[:, 0])) for _, p in big), default=0.0)
    row_width = max(widest, np.sqrt(total_area) * 1.2, spacing * 10)
    x0 = y0 = row_h = 0.0
    gap = spacing * 2
    for members, p in big:
        w, h = float(np.ptp(p[:, 0])), float(np.ptp(p[:, 1]))
        if x0 > 0 and x0 + w > row_width:
            x0, y0, row_h = 0.0, y0 + row_h + gap, 0.0
        xy[members] = p + [x0, y0]
        x0 += w + gap
        row_h = max(row_h, h)
    y0 += row_h + gap if big else 0.0
    if small:
        flat = np.concatenate(small)
        cols = max(1, int(row_width // spacing))
        i = np.arange(len(flat))
        xy[flat, 0] = (i % cols) * spacing
        xy[flat, 1] = y0 + (i // cols) * spacing
    xy -= xy.mean(axis=0)
