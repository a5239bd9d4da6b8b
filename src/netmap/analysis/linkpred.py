"""Strength-weighted link prediction and brokerage gain around one organisation.

The measures score a pair (focal organisation ``f``, candidate ``c``) that is
not yet tied. They read the network as undirected (a business tie is a
relationship whichever way goods flow), with parallel ties between two
organisations merged into one pair whose strength ``w`` is the strongest tie
(the best channel, as in :meth:`netmap.Network.pairs`). For an organisation
``z``, ``k(z)`` is its number of partners and ``s(z)`` the sum of its tie
strengths; ``Γ(z)`` is the set of its partners.

Every introduction path ``f - z - c`` through a shared partner ``z`` counts
``w(f,z) * w(z,c)`` instead of 1 (an introduction needs both ties, so
a weak tie on either side weakens it):

* common neighbours   ``CN  = Σ_z w(f,z) w(z,c)``
* Adamic–Adar         ``AA  = Σ_z w(f,z) w(z,c) / log k(z)``
* resource allocation ``RA  = Σ_z w(f,z) w(z,c) / k(z)``
* Jaccard (weighted, Ruzicka) ``J = Σ_z min(w(f,z), w(c,z)) / Σ_z max(w(f,z), w(c,z))``
  (the sums of ``J`` run over ``Γ(f) ∪ Γ(c)``, a missing tie counting 0).

With every strength 1 they are exactly the unweighted measures of networkx
(``common_neighbors``, ``adamic_adar_index``, ``resource_allocation_index``,
``jaccard_coefficient``). The hub penalties ``log k(z)`` and ``k(z)`` count
partners, not strength, so that a shared partner with many weak ties is still
a busy hub (and a shared partner always has ``k(z) >= 2``).

Brokerage gain is how much a new tie ``f - c`` of strength ``ω`` would lower
the focal organisation's Burt constraint, computed on the same weighted,
undirected graph (the definition of :func:`networkx.constraint`):
``C(f) = Σ_{j∈Γ(f)} (p_fj + Σ_{q∈Γ(f)} p_fq p_qj)²`` with ``p_xy = w(x,y) / s(x)``.
All candidates are scored at once from sparse products over the focal
organisation's partners' ties; no loop visits a neighbourhood in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import number
from ..engine.adjacency import weighted_csr
from ..engine.reach import bfs_levels
from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view
from .common import canonical

__all__ = [
    "StrengthGraph",
    "strength_graph",
    "graph_from_ties",
    "hops_from",
    "EgoScores",
    "ego_scores",
    "link_scores",
]


@dataclass(frozen=True)
class StrengthGraph:
    """The undirected, strength-weighted view of a network used for link prediction.

    Attributes
    ----------
    ids : ndarray of str
        Organisation ids, in id order (:func:`strength_graph`); a position is
        an index into them.
    adjacency : scipy.sparse.csr_array
        Symmetric ``n x n`` matrix; entry ``(u, v)`` is the strongest tie
        between ``u`` and ``v`` (0 where none). Rows have sorted indices.
    degree : ndarray of int
        ``k``: number of partners of each organisation.
    strength : ndarray of float
        ``s``: sum of the strengths of each organisation's ties.
    """

    ids: np.ndarray
    adjacency: object
    degree: np.ndarray
    strength: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)

    def position(self, org_id: str) -> int:
        """The position of organisation ``org_id``."""
        return int(np.flatnonzero(self.ids == org_id)[0])

    def partners(self, u: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions of ``u``'s partners and the strengths of those ties."""
        a = self.adjacency
        lo, hi = a.indptr[u], a.indptr[u + 1]
        return a.indices[lo:hi], a.data[lo:hi]


def strength_graph(network: Network) -> StrengthGraph:
    """Build the :class:`StrengthGraph` of ``network`` (all of its ties, whatever their dates).

    Parallel ties between the same two organisations (several types or
    categories, either direction) become one pair with the strongest tie's
    strength. The organisations are in id order, so that no score depends
    on the row order of the input files. Filter the network first
    (``network.active(date)``) to use only current ties.

    Examples
    --------
    >>> from netmap import read_network
    >>> g = strength_graph(read_network("sample_data/tiny"))
    >>> int(g.degree[g.position("F1")]), g.ids[:3].tolist()
    (7, ['C1', 'C2', 'D1'])
    """
    c = canonical(network)
    u, v = c.endpoints()
    return graph_from_ties(c.ids, u, v, network.edges["strength"].to_numpy(dtype=float))


def graph_from_ties(ids, u, v, w) -> StrengthGraph:
    """Build a :class:`StrengthGraph` over ``ids`` from tie end positions ``u``, ``v`` and strengths ``w``.

    Self-ties and negative positions are ignored; parallel ties (either
    direction) keep the strongest.
    """
    from scipy import sparse

    ids = np.asarray(ids, dtype=object)
    n = len(ids)
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    w = np.asarray(w, dtype=float)
    keep = (u >= 0) & (v >= 0)
    u, v, w = u[keep], v[keep], w[keep]
    indptr, indices, data = weighted_csr(n, np.concatenate([u, v]), np.concatenate([v, u]),
                                         np.concatenate([w, w]), combine="max")
    a = sparse.csr_array((data, indices, indptr), shape=(n, n))
    degree = np.diff(indptr)
    # each pair once (lo < hi, in pair order), summed from both ends
    row = np.repeat(np.arange(n), degree)
    upper = indices > row
    lo, hi, w = row[upper], indices[upper], data[upper]
    strength = np.bincount(np.concatenate([lo, hi]), weights=np.concatenate([w, w]), minlength=n)
    return StrengthGraph(ids=ids, adjacency=a, degree=degree, strength=strength)


def hops_from(graph: StrengthGraph, source: int, max_hops: int) -> np.ndarray:
    """Number of ties on a shortest path from ``source`` to every organisation.

    Breadth-first search on the undirected graph, stopped after ``max_hops``;
    ``-1`` for organisations farther away (or unreachable), ``0`` for ``source``.
    """
    a = graph.adjacency
    return bfs_levels((a.indptr, a.indices), int(source), max_hops)


@dataclass(frozen=True)
class EgoScores:
    """Scores of every organisation as a partner for one focal organisation.

    All arrays have one entry per organisation (position as in
    :attr:`StrengthGraph.ids`); entries for the focal organisation itself and
    its current partners are computed but meaningless as candidates.

    Attributes
    ----------
    focal : int
        Position of the focal organisation.
    partners, partner_strength : ndarray
        The focal organisation's partners and tie strengths.
    shared_partners : ndarray of int
        Number of partners shared with the focal organisation.
    common_neighbours, adamic_adar, resource_allocation, jaccard : ndarray of float
        The weighted measures of the module docstring.
    best_introduction : ndarray of float
        ``max_z w(f,z) w(z,c)``: the strongest introduction path (0 if none).
    best_introducer : ndarray of int
        Position of the shared partner on that path (-1 if none).
    constraint : float
        Burt constraint of the focal organisation now (NaN without partners).
    constraint_after : ndarray of float
        Its constraint if it added a tie of strength ``new_strength`` to the
        organisation.
    brokerage_gain : ndarray of float
        ``constraint - constraint_after``.
    new_strength : float
        Assumed strength ``ω`` of the new tie.
    """

    focal: int
    partners: np.ndarray
    partner_strength: np.ndarray
    shared_partners: np.ndarray
    common_neighbours: np.ndarray
    adamic_adar: np.ndarray
    resource_allocation: np.ndarray
    jaccard: np.ndarray
    best_introduction: np.ndarray
    best_introducer: np.ndarray
    constraint: float
    constraint_after: np.ndarray
    brokerage_gain: np.ndarray
    new_strength: float


def ego_scores(graph: StrengthGraph, focal: int, new_strength: float | None = None) -> EgoScores:
    """Score every organisation as a new partner of ``focal`` (a position in ``graph``).

    Parameters
    ----------
    graph : StrengthGraph
    focal : int
        Position of the focal organisation.
    new_strength : float, optional (default=None)
        Strength ``ω`` assumed for the new tie in the brokerage gain; by
        default the median strength of the focal organisation's current ties
        (0.5 when it has none).

    Returns
    -------
    EgoScores

    Notes
    -----
    Let ``B`` be the rows of the adjacency matrix for the focal
    organisation's partners ``Γ(f)`` (``k(f)`` rows, as many entries as their
    ties). Each entry ``(z, c)`` of ``B`` is one path ``f - z - c``; every
    measure is a weighted count of these paths per column ``c``
    (``numpy.bincount``), so the cost is the number of ties of the focal
    organisation's partners, not the size of the network.

    With ``a_j = w(f,j) + R_j`` for ``j ∈ Γ(f)`` where
    ``R_x = Σ_{q∈Γ(f)} w(f,q) w(q,x) / s(q)``, the constraint is
    ``C(f) = Σ_j a_j² / s(f)²`` and, after adding ``f - c`` with strength ``ω``,

    ``C'(f) = [Σ_j a_j² + 2ω X_c / (s(c)+ω) + ω² Y_c / (s(c)+ω)² + (ω + R_c)²] / (s(f)+ω)²``

    with ``X_c = Σ_{j∈Γ(f)} a_j w(j,c)`` and ``Y_c = Σ_{j∈Γ(f)} w(j,c)²``.
    """
    n = graph.n
    nbrs, wf = graph.partners(focal)
    k, s = graph.degree, graph.strength
    if new_strength is None:
        new_strength = float(np.median(wf)) if len(wf) else 0.5
    omega = number(new_strength, "new_strength", low=0, high=1, low_open=True)
    zeros = np.zeros(n)
    if not len(nbrs):
        return EgoScores(
            focal, nbrs, wf, np.zeros(n, dtype=np.int64), zeros, zeros.copy(), zeros.copy(), zeros.copy(),
            zeros.copy(), np.full(n, -1, dtype=np.int64), float("nan"), np.full(n, np.nan),
            np.full(n, np.nan), omega,
        )
    b = graph.adjacency[nbrs]
    row_all = np.repeat(np.arange(len(nbrs)), np.diff(b.indptr))
    col_all = b.indices.astype(np.int64)
    w_all = b.data
    row, col, wzc = row_all, col_all, w_all
    wfz = wf[row]
    z = nbrs[row]
    # a path through z back to the focal organisation itself is not an introduction
    valid = col != focal
    row, col, wzc, wfz, z = row[valid], col[valid], wzc[valid], wfz[valid], z[valid]
    path = wfz * wzc
    kz = k[z].astype(float)
    shared = np.bincount(col, minlength=n).astype(np.int64)
    cn = np.bincount(col, weights=path, minlength=n)
    # k(z) >= 2 here: z is tied to f and to c != f
    aa = np.bincount(col, weights=path / np.log(kz), minlength=n)
    ra = np.bincount(col, weights=path / kz, minlength=n)
    mins = np.bincount(col, weights=np.minimum(wfz, wzc), minlength=n)
    s_f = float(s[focal])
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = s_f + s - mins
        jac = np.where(denom > 0, mins / np.where(denom > 0, denom, 1.0), 0.0)
    # strongest introduction path per candidate
    best = np.zeros(n)
    best_by = np.full(n, -1, dtype=np.int64)
    if len(col):
        order = np.lexsort((-z, path, col))  # per column, strongest path last (lowest id position on ties)
        c_sorted = col[order]
        last = np.ones(len(order), dtype=bool)
        last[:-1] = c_sorted[1:] != c_sorted[:-1]
        pick = order[last]
        best[col[pick]] = path[pick]
        best_by[col[pick]] = z[pick]
    # Burt constraint before and after the candidate tie
    r = np.bincount(col_all, weights=wf[row_all] * w_all / s[nbrs][row_all], minlength=n)
    a = wf + r[nbrs]
    sum_a2 = float(np.sum(a * a))
    constraint = sum_a2 / (s_f * s_f)
    x = np.bincount(col_all, weights=a[row_all] * w_all, minlength=n)
    y = np.bincount(col_all, weights=w_all * w_all, minlength=n)
    sc = s + omega
    after = (sum_a2 + 2 * omega * x / sc + omega**2 * y / sc**2 + (omega + r) ** 2) / (s_f + omega) ** 2
    return EgoScores(
        focal=focal, partners=nbrs, partner_strength=wf, shared_partners=shared,
        common_neighbours=cn, adamic_adar=aa, resource_allocation=ra, jaccard=jac,
        best_introduction=best, best_introducer=best_by, constraint=constraint,
        constraint_after=after, brokerage_gain=constraint - after, new_strength=omega,
    )


def link_scores(network: Network | FocalView, focal: str | None = None, *, as_of=None) -> Result:
    """The four weighted link-prediction measures between a focal organisation and every non-partner.

    Parameters
    ----------
    network : Network or FocalView
    focal : str, optional
        Organisation id; default: the one marked focal in the data.
    as_of : date or str, optional
        Use the ties active on this date (default: today).

    Returns
    -------
    Result
        The table ``"link_scores"``: one row per organisation that shares at
        least one partner with the focal organisation and is not tied to it:
        ``id``, ``name``, ``shared_partners``, ``common_neighbours``,
        ``adamic_adar``, ``resource_allocation``, ``jaccard``; sorted by
        Adamic–Adar, then id. ``meta`` names the focal organisation and the date.

    Examples
    --------
    >>> from netmap import read_network
    >>> link_scores(read_network("sample_data/tiny"), "F1", as_of="2024-01-01").table["id"].tolist()
    ['T1', 'C2']
    """
    view = focal_view(network, focal, as_of)
    net = view.network
    g = view.cached("strength_graph", lambda: strength_graph(net))
    fi = g.position(view.focal)
    es = ego_scores(g, fi)
    mask = es.shared_partners > 0
    mask[fi] = False
    mask[es.partners] = False
    idx = np.flatnonzero(mask)
    names = canonical(net).nodes["name"].to_numpy(dtype=object)
    df = pd.DataFrame(
        {
            "id": g.ids[idx],
            "name": names[idx],
            "shared_partners": es.shared_partners[idx],
            "common_neighbours": es.common_neighbours[idx],
            "adamic_adar": es.adamic_adar[idx],
            "resource_allocation": es.resource_allocation[idx],
            "jaccard": es.jaccard[idx],
        }
    )
    df = df.sort_values(["adamic_adar", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    meta = {"focal": view.focal, "focal_name": view.name, "as_of": view.as_of,
            "graph": "undirected; parallel ties merged (strongest strength)"}
    return Result({"link_scores": df}, meta, titles={"link_scores": "Link prediction"})
