"""Communities: the clusters a network falls into (Louvain), with a summary of each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import number
from ..engine.centrality import pagerank
from ..engine.community import louvain, modularity
from ..errors import NodeNotFound
from ..network import Network
from ..result import Result
from .common import resolve_weight

__all__ = ["CommunityResult", "communities"]

#: How many members, roles and countries the summary names per community.
TOP_MEMBERS = 3
TOP_LABELS = 3


@dataclass(repr=False)
class CommunityResult(Result):
    """The result of :func:`communities`: the tables ``"summary"`` (the main one) and ``"members"``.

    Attributes
    ----------
    summary : DataFrame
        One row per community: ``community``, ``size``, ``share`` (of all
        organisations), ``dominant_roles`` and ``countries`` (the most common,
        with counts, e.g. ``supplier 12; customer 5``), ``top_members``
        (names of the highest-PageRank members), ``focal`` (ids of focal
        organisations in it), ``internal_ties``, ``external_ties`` (ties with
        one end outside), ``internal_value``, ``external_value`` (total value
        of those ties; missing values count 0) and ``internal_share``
        (internal value / all value touching the community; NaN without value).
    members : DataFrame
        One row per organisation: ``id``, ``name``, ``roles``, ``country``,
        ``community`` (1 = the largest), ``community_size``, ``pagerank``,
        ``rank_in_community`` (by PageRank, 1 = most central),
        ``partners_inside`` / ``partners_outside`` (distinct partners in its
        own / another community), ``internal_value`` / ``external_value``
        (value of its ties to partners inside / outside its community).
        Sorted by community, then PageRank (largest first), then id.
    modularity : float
        Newman modularity (resolution 1) of the partition on the undirected
        view with the chosen weight: the share of tie weight inside
        communities minus the share expected at random.
    meta : dict
        The choices made: algorithm, seed, resolution, weight, view, counts.
    """

    modularity: float = float("nan")

    @property
    def summary(self) -> pd.DataFrame:
        """One row per community (the main table)."""
        return self["summary"]

    @property
    def members(self) -> pd.DataFrame:
        """One row per organisation with its community."""
        return self["members"]

    def community_of(self, org_id: str) -> int:
        """The community number of one organisation."""
        m = self.members
        row = m.loc[m["id"] == org_id, "community"]
        if row.empty:
            raise NodeNotFound(f"organisation '{org_id}' is not in the network", param="org_id")
        return int(row.iloc[0])


def communities(
    network: Network,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    weight: str | None = "value",
) -> CommunityResult:
    """Find communities with Louvain (NetworKit's PLM) and summarise them.

    Parameters
    ----------
    network : Network
    seed : int (default=0)
        Seed of Louvain's random node order; equal seeds give equal partitions.
    resolution : float (default=1.0)
        Modularity resolution (gamma): above 1 gives more, smaller
        communities; below 1 fewer, larger ones. Must be > 0.
    weight : "value", "strength" or None (default="value")
        Tie weight on the undirected view (parallel ties aggregated as in
        :meth:`Network.pairs`; ties without a value count 0). When no tie has
        a positive weight every tie counts 1 and ``meta`` says so.

    Returns
    -------
    CommunityResult
        A :class:`~netmap.result.Result` with the tables ``"summary"`` and
        ``"members"`` (also ``.summary`` and ``.members``), ``.modularity``
        and ``.meta``.
        Communities are numbered 1, 2, ... by size (largest first; equal
        sizes by their smallest member id). Organisations without ties form
        communities of their own.

    Examples
    --------
    >>> from netmap import read_network
    >>> r = communities(read_network("sample_data/tiny"))
    >>> len(r.members), int(r.summary["size"].sum()), round(r.modularity, 3) > 0
    (10, 10, True)
    """
    resolution = number(resolution, "resolution", low=0, low_open=True)
    weight, note = resolve_weight(network, weight)
    n = network.n_nodes
    sym = network.adjacency(directed=False, weight=weight)
    raw = louvain(sym, resolution=resolution, seed=seed)
    pr = pagerank(network.adjacency(directed=True, weight=weight), 0.85) if n else np.zeros(0)
    labels = _renumber(raw, network.nodes["id"].to_numpy(dtype=object))
    q = modularity(sym, labels) if n else float("nan")
    q_res = modularity(sym, labels, resolution=resolution) if n else float("nan")

    # ---- members
    und = network.pairs(directed=False)
    u = und["u"].to_numpy(dtype=np.int64)
    v = und["v"].to_numpy(dtype=np.int64)
    val = und["value"].to_numpy(dtype=float)
    same = labels[u] == labels[v] if len(u) else np.zeros(0, dtype=bool)

    def per_node(mask, weights=None):
        w = None if weights is None else weights[mask]
        return (np.bincount(u[mask], weights=w, minlength=n) + np.bincount(v[mask], weights=w, minlength=n))

    sizes = np.bincount(labels, minlength=labels.max() + 1 if n else 1)
    nodes = network.nodes
    members = pd.DataFrame(
        {
            "id": nodes["id"].to_numpy(),
            "name": nodes["name"].to_numpy(),
            "roles": nodes["roles"].map(";".join).to_numpy(),
            "country": nodes["country"].to_numpy(),
            "community": labels,
            "community_size": sizes[labels] if n else np.zeros(0, dtype=np.int64),
            "pagerank": pr,
            "partners_inside": per_node(same).astype(np.int64),
            "partners_outside": per_node(~same).astype(np.int64),
            "internal_value": per_node(same, val).astype(float),
            "external_value": per_node(~same, val).astype(float),
        }
    )
    members = members.sort_values(["community", "pagerank", "id"], ascending=[True, False, True], kind="stable")
    members.insert(members.columns.get_loc("pagerank") + 1, "rank_in_community",
                   members.groupby("community").cumcount().to_numpy() + 1)
    members = members.reset_index(drop=True)

    # ---- summary (each tie of the input once; value missing counts 0)
    e = network.edges
    es, et = network.endpoints()
    evalue = e["value"].fillna(0.0).to_numpy(dtype=float)
    k = int(labels.max()) + 1 if n else 0
    ls, lt = labels[es], labels[et]
    inside = ls == lt
    int_ties = np.bincount(ls[inside], minlength=k)
    int_val = np.bincount(ls[inside], weights=evalue[inside], minlength=k)
    cross = ~inside
    ext_ties = np.bincount(ls[cross], minlength=k) + np.bincount(lt[cross], minlength=k)
    ext_val = (np.bincount(ls[cross], weights=evalue[cross], minlength=k)
               + np.bincount(lt[cross], weights=evalue[cross], minlength=k))
    rows = []
    focal = set(network.focal_ids)
    for c, grp in members.groupby("community", sort=True):
        role_counts: dict[str, int] = {}
        for rs in grp["roles"]:
            for r in rs.split(";"):
                if r:
                    role_counts[r] = role_counts.get(r, 0) + 1
        countries = grp["country"].where(grp["country"] != "", "(unknown)").value_counts()
        total = int_val[c] + ext_val[c]
        rows.append(
            {
                "community": int(c),
                "size": len(grp),
                "share": len(grp) / n,
                "dominant_roles": _counted(role_counts),
                "countries": _counted(countries.to_dict()),
                "top_members": "; ".join(grp["name"].head(TOP_MEMBERS)),
                "focal": ";".join(sorted(focal.intersection(grp["id"]))),
                "internal_ties": int(int_ties[c]),
                "external_ties": int(ext_ties[c]),
                "internal_value": float(int_val[c]),
                "external_value": float(ext_val[c]),
                "internal_share": float(int_val[c] / total) if total > 0 else float("nan"),
            }
        )
    summary = pd.DataFrame(rows, columns=[
        "community", "size", "share", "dominant_roles", "countries", "top_members", "focal",
        "internal_ties", "external_ties", "internal_value", "external_value", "internal_share",
    ])
    meta = {
        "algorithm": "Louvain (NetworKit PLM, one thread, no refinement)",
        "view": "undirected",
        "weight": note,
        "resolution": resolution,
        "seed": int(seed),
        "communities": int(labels.max()) if n else 0,
        "singletons": int((sizes == 1).sum()) if n else 0,
        "modularity": round(q, 6) if np.isfinite(q) else None,
        "top_members_by": "PageRank (directed, damping 0.85, same weight)",
    }
    if weight is not None and n:
        tied = np.diff(network.adjacency(directed=False).tocsr().indptr) > 0
        weightless = int((tied & (np.asarray(sym.sum(axis=1)).ravel() <= 0)).sum())
        if weightless:
            meta["weightless"] = (
                f"{weightless:,} organisation{'s have' if weightless != 1 else ' has'} ties but none with a "
                f"positive {weight}; they form communities of their own (weight None or 'strength' "
                "counts those ties)"
            )
    if resolution != 1.0:
        meta["modularity_at_resolution"] = round(q_res, 6) if np.isfinite(q_res) else None
    return CommunityResult({"summary": summary, "members": members}, meta,
                           titles={"summary": "Communities", "members": "Members"}, modularity=q)


def _renumber(raw: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Number communities 1.. by size (largest first), equal sizes by smallest member id."""
    if len(raw) == 0:
        return np.zeros(0, dtype=np.int64)
    _, lab = np.unique(raw, return_inverse=True)
    k = lab.max() + 1
    sizes = np.bincount(lab, minlength=k)
    order = np.argsort(ids.astype(str), kind="stable")
    id_rank = np.empty(len(ids), dtype=np.int64)
    id_rank[order] = np.arange(len(ids))
    first = np.full(k, len(ids), dtype=np.int64)
    np.minimum.at(first, lab, id_rank)  # rank of the smallest member id of each community
    key = np.lexsort((first, -sizes))
    new = np.empty(k, dtype=np.int64)
    new[key] = np.arange(1, k + 1)
    return new[lab]


def _counted(counts: dict) -> str:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    shown = "; ".join(f"{k} {v}" for k, v in items[:TOP_LABELS])
    return shown + ("; ..." if len(items) > TOP_LABELS else "")
