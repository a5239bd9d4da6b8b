"""Communities: the clusters a network falls into (Louvain), with a summary of each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import number, whole_number
from ..engine.centrality import pagerank
from ..engine.community import louvain_runs, modularity
from ..errors import NodeNotFound
from ..network import Network
from ..result import Result
from ..values import fmt_number
from .common import canonical, resolve_weight

__all__ = ["CommunityResult", "communities", "MAX_RUNS", "RUN_BUDGET"]

#: How many members, roles and countries the summary names per community.
TOP_MEMBERS = 3
TOP_LABELS = 3
#: Most Louvain runs tried by default (each in another seeded order; the best modularity is kept).
MAX_RUNS = 20
#: Default number of runs: this many connected pairs' worth of work, between 1 and :data:`MAX_RUNS` runs.
RUN_BUDGET = 250_000


@dataclass(repr=False)
class CommunityResult(Result):
    """The result of :func:`communities`: the tables ``"summary"`` (the main one) and ``"members"``.

    Attributes
    ----------
    summary : DataFrame
        One row per community: ``community``, ``size``, ``share`` (of the
        organisations with ties), ``dominant_roles`` and ``countries`` (the most common,
        with counts, e.g. ``supplier 12; customer 5``), ``top_members``
        (names of the highest-PageRank members), ``focal`` (ids of focal
        organisations in it), ``internal_ties``, ``external_ties`` (ties with
        one end outside), ``internal_value``, ``external_value`` (total value
        of those ties; missing values count 0) and ``internal_share``
        (internal value / all value touching the community; NaN without value).
    members : DataFrame
        One row per organisation with a tie: ``id``, ``name``, ``roles``, ``country``,
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
        The choices made: algorithm, runs, seed, resolution, weight, view,
        counts (``without_ties``: organisations with no tie, in no community).
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
        """The community number of one organisation (NodeNotFound when it has no tie or is unknown)."""
        m = self.members
        row = m.loc[m["id"] == org_id, "community"]
        if row.empty:
            raise NodeNotFound(f"organisation '{org_id}' is in no community: it has no tie or is not in the "
                               "network", param="org_id")
        return int(row.iloc[0])


def communities(
    network: Network,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    weight: str | None = "value",
    runs: int | None = None,
) -> CommunityResult:
    """Find communities with Louvain (NetworKit's PLM, best of several seeded runs) and summarise them.

    Parameters
    ----------
    network : Network
    seed : int (default=0)
        Seed of the orders in which Louvain's runs visit the organisations
        (a whole number >= 0); equal seeds give equal partitions.
    resolution : float (default=1.0)
        Modularity resolution (gamma): above 1 gives more, smaller
        communities; below 1 fewer, larger ones. Must be > 0.
    weight : "value", "strength" or None (default="value")
        Tie weight on the undirected view (parallel ties aggregated as in
        :meth:`Network.pairs`; ties without a value count 0). When no tie has
        a positive weight every tie counts 1 and ``meta`` says so.
    runs : int, optional
        How many Louvain runs to try, each visiting the organisations in
        another seeded order; the partition of the highest modularity (at
        ``resolution``) is kept. Default: as many as :data:`RUN_BUDGET`
        (250,000) connected pairs' worth of work allows, between 1 and
        :data:`MAX_RUNS` (20): 20 runs up to 12,500 pairs, 2 at 100,000,
        one from 250,000 on.

    Returns
    -------
    CommunityResult
        A :class:`~netmap.result.Result` with the tables ``"summary"`` and
        ``"members"`` (also ``.summary`` and ``.members``), ``.modularity``
        and ``.meta``.
        Communities are numbered 1, 2, ... by size (largest first; equal
        sizes by their smallest member id). Organisations without any tie
        are in no community: they are left out of both tables and
        ``meta["without_ties"]`` counts them. The partition does not depend
        on the row order of the input files (Louvain runs on the
        organisations in id order).

    Examples
    --------
    >>> from netmap import read_network
    >>> r = communities(read_network("sample_data/tiny"))
    >>> len(r.members), int(r.summary["size"].sum()), round(r.modularity, 3) > 0
    (10, 10, True)
    """
    resolution = number(resolution, "resolution", low=0, low_open=True)
    seed = whole_number(seed, "seed", minimum=0)
    runs = whole_number(runs, "runs", optional=True)
    weight, note = resolve_weight(network, weight)
    # everything runs on the organisations in id order: nothing depends on the row order of the input
    c = canonical(network)
    und = c.pairs(directed=False)
    u, v, val = und["u"], und["v"], und["value"]
    tied = np.zeros(c.n, dtype=bool)
    tied[u] = True
    tied[v] = True
    keep = np.flatnonzero(tied)  # canonical positions of the organisations in communities
    n = len(keep)
    at = np.full(c.n, -1, dtype=np.int64)
    at[keep] = np.arange(n)
    if runs is None:
        runs = int(min(MAX_RUNS, max(1, RUN_BUDGET // max(len(u), 1))))
    sym = c.adjacency(directed=False, weight=weight)[keep][:, keep]
    raw, scores = louvain_runs(sym, resolution=resolution, seed=seed, runs=runs)
    pr_all = pagerank(c.adjacency(directed=True, weight=weight), 0.85) if c.n else np.zeros(0)
    pr = pr_all[keep]
    ids = c.ids[keep]
    labels = _renumber(raw, ids)
    q = modularity(sym, labels) if n else float("nan")
    q_res = modularity(sym, labels, resolution=resolution) if n else float("nan")

    # ---- members (each connected pair once; value summed over its ties, missing 0)
    pu, pv = at[u], at[v]
    same = labels[pu] == labels[pv] if len(pu) else np.zeros(0, dtype=bool)

    def per_node(mask, weights=None):
        w = None if weights is None else weights[mask]
        return (np.bincount(pu[mask], weights=w, minlength=n) + np.bincount(pv[mask], weights=w, minlength=n))

    sizes = np.bincount(labels, minlength=labels.max() + 1 if n else 1)
    nodes = c.nodes.iloc[keep]
    members = pd.DataFrame(
        {
            "id": ids,
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

    # ---- summary (ties counted one by one, value summed per pair; missing values count 0)
    k = int(labels.max()) + 1 if n else 0
    ties = und["ties"]
    lu, lv = labels[pu] if len(pu) else pu, labels[pv] if len(pv) else pv
    inside = lu == lv
    int_ties = np.bincount(lu[inside], weights=ties[inside], minlength=k).astype(np.int64)
    int_val = np.bincount(lu[inside], weights=val[inside], minlength=k)
    cross = ~inside
    ext_ties = (np.bincount(lu[cross], weights=ties[cross], minlength=k)
                + np.bincount(lv[cross], weights=ties[cross], minlength=k)).astype(np.int64)
    ext_val = (np.bincount(lu[cross], weights=val[cross], minlength=k)
               + np.bincount(lv[cross], weights=val[cross], minlength=k))
    rows = []
    focal = set(network.focal_ids)
    for com, grp in members.groupby("community", sort=True):
        role_counts: dict[str, int] = {}
        for rs in grp["roles"]:
            for r in rs.split(";"):
                if r:
                    role_counts[r] = role_counts.get(r, 0) + 1
        countries = grp["country"].where(grp["country"] != "", "(unknown)").value_counts()
        total = int_val[com] + ext_val[com]
        rows.append(
            {
                "community": int(com),
                "size": len(grp),
                "share": len(grp) / n,
                "dominant_roles": _counted(role_counts),
                "countries": _counted(countries.to_dict()),
                "top_members": "; ".join(grp["name"].head(TOP_MEMBERS)),
                "focal": ";".join(sorted(focal.intersection(grp["id"]))),
                "internal_ties": int(int_ties[com]),
                "external_ties": int(ext_ties[com]),
                "internal_value": float(int_val[com]),
                "external_value": float(ext_val[com]),
                "internal_share": float(int_val[com] / total) if total > 0 else float("nan"),
            }
        )
    summary = pd.DataFrame(rows, columns=[
        "community", "size", "share", "dominant_roles", "countries", "top_members", "focal",
        "internal_ties", "external_ties", "internal_value", "external_value", "internal_share",
    ])
    untied = c.n - n
    finite = scores[np.isfinite(scores)]
    spread = ""
    if runs > 1 and len(finite):
        lo, hi = fmt_number(finite.min(), 4), fmt_number(finite.max(), 4)
        spread = f" (every run {hi})" if lo == hi else f" (the runs reached {lo} to {hi})"
    meta = {
        "algorithm": "Louvain with refinement (NetworKit PLM, one thread)",
        "runs": (f"best modularity of {runs} run{'s' if runs != 1 else ''}, each visiting the organisations "
                 f"in another order drawn from the seed{spread}"),
        "view": "undirected",
        "weight": note,
        "resolution": resolution,
        "seed": int(seed),
        "communities": k - 1 if n else 0,
        "singletons": int((sizes[1:] == 1).sum()) if n else 0,
        "without_ties": int(untied),
        "modularity": round(q, 6) if np.isfinite(q) else None,
        "top_members_by": "PageRank (directed, damping 0.85, same weight)",
    }
    if untied:
        meta["left_out"] = (f"{untied:,} organisation{'s have' if untied != 1 else ' has'} no tie and "
                            f"{'are' if untied != 1 else 'is'} in no community"
                            + (f"; shares are of the {n:,} organisations with ties" if n else ""))
    if weight is not None and n:
        weightless = int((np.asarray(sym.sum(axis=1)).ravel() <= 0).sum())
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
