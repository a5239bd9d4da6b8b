"""Network summary: counts by role and tie type, focal organisations, components, density, value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..network import Network
from ..result import Result
from ..schema import ROLES, TIE_TYPES

__all__ = ["NetworkSummary", "summarize"]


class NetworkSummary(Result):
    """The figures of :func:`summarize`: a :class:`~netmap.result.Result` with five tables.

    Tables
    ------
    overview
        ``metric``, ``value`` (int or float): organisations, ties, connected pairs, focal
        organisations, components, largest component, isolated organisations,
        density, total tie value.
    roles
        ``role``, ``organisations`` (an organisation with several roles counts
        once under each), for every role of the data contract.
    tie_types
        ``type``, ``ties``, ``ties_with_value``, ``total_value`` for every tie type.
    categories
        ``category`` (``(none)`` for ties without one), ``ties``, ``total_value``,
        sorted by value, largest first.
    focal
        ``id``, ``name``, ``roles``, ``direct_partners`` of each focal organisation.
    """

    TITLES = {
        "overview": "Overview",
        "roles": "Organisations by role",
        "tie_types": "Ties by type",
        "categories": "Tie value by category",
        "focal": "Focal organisations",
    }

    @property
    def overview(self) -> pd.DataFrame:
        return self["overview"]

    @property
    def roles(self) -> pd.DataFrame:
        return self["roles"]

    @property
    def tie_types(self) -> pd.DataFrame:
        return self["tie_types"]

    @property
    def categories(self) -> pd.DataFrame:
        return self["categories"]

    @property
    def focal(self) -> pd.DataFrame:
        return self["focal"]

    def metric(self, name: str):
        """One figure of the overview by name, e.g. ``summary.metric("density")``."""
        row = self.overview.loc[self.overview["metric"] == name, "value"]
        if row.empty:
            raise KeyError(name)
        return row.iloc[0]

    def to_long(self) -> pd.DataFrame:
        """All tables as one long table: ``section``, ``item``, ``count``, ``value``."""
        rows = []
        for m, v in zip(self.overview["metric"], self.overview["value"]):
            if isinstance(v, (int, np.integer)):
                rows.append(("overview", m, int(v), None))
            else:
                rows.append(("overview", m, None, float(v)))
        for r in self.roles.itertuples(index=False):
            rows.append(("role", r.role, r.organisations, None))
        for r in self.tie_types.itertuples(index=False):
            rows.append(("tie_type", r.type, r.ties, r.total_value))
        for r in self.categories.itertuples(index=False):
            rows.append(("category", r.category, r.ties, r.total_value))
        for r in self.focal.itertuples(index=False):
            rows.append(("focal", r.id, r.direct_partners, None))
        out = pd.DataFrame(rows, columns=["section", "item", "count", "value"])
        out["count"] = out["count"].astype("Int64")
        out["value"] = out["value"].astype(float)
        return out


def summarize(network: Network) -> NetworkSummary:
    """Summarise a network.

    Components are weakly connected components (ties read in either
    direction). Density is the share of organisation pairs that are tied at
    all: ``connected pairs / (n (n - 1) / 2)``, with parallel ties between the
    same two organisations counted once. Missing values count as 0 in totals.

    Examples
    --------
    >>> from netmap import read_network
    >>> s = summarize(read_network("sample_data/tiny"))
    >>> s.metric("organisations"), s.metric("ties"), s.metric("components")
    (10, 14, 1)
    """
    from scipy.sparse.csgraph import connected_components

    n = network.n_nodes
    e = network.edges
    pairs = network.pairs(directed=False)
    n_pairs = len(pairs)
    if n:
        adj = network.adjacency(directed=False)
        n_comp, labels = connected_components(adj, directed=False)
        sizes = np.bincount(labels)
        largest = int(sizes.max())
        deg = np.asarray(adj.sum(axis=1)).ravel()
        isolated = int((deg == 0).sum())
    else:
        n_comp, largest, isolated = 0, 0, 0
    density = (2.0 * n_pairs / (n * (n - 1))) if n > 1 else 0.0
    value = e["value"].fillna(0.0)
    overview = pd.DataFrame(
        {
            "metric": [
                "organisations", "ties", "connected_pairs", "focal_organisations",
                "components", "largest_component", "isolated_organisations",
                "density", "total_value",
            ],
            "value": pd.Series(
                [n, len(e), n_pairs, len(network.focal_ids),
                 int(n_comp), largest, isolated, float(density), float(value.sum())],
                dtype=object,
            ),
        }
    )
    role_counts = {r: 0 for r in ROLES}
    for rs in network.nodes["roles"]:
        for r in rs:
            role_counts[r] = role_counts.get(r, 0) + 1
    roles = pd.DataFrame({"role": list(role_counts), "organisations": list(role_counts.values())})

    grp = e.assign(v=value, has=e["value"].notna()).groupby("type")
    tie_types = pd.DataFrame({"type": list(TIE_TYPES)})
    tie_types["ties"] = tie_types["type"].map(grp.size()).fillna(0).astype(int)
    tie_types["ties_with_value"] = tie_types["type"].map(grp["has"].sum()).fillna(0).astype(int)
    tie_types["total_value"] = tie_types["type"].map(grp["v"].sum()).fillna(0.0).astype(float)

    cat = e["category"].where(e["category"] != "", "(none)")
    cg = pd.DataFrame({"category": cat, "v": value}).groupby("category")
    categories = pd.DataFrame({"ties": cg.size(), "total_value": cg["v"].sum()}).reset_index()
    categories = categories.sort_values(["total_value", "category"], ascending=[False, True], kind="stable")
    categories = categories.reset_index(drop=True)

    focal_rows = []
    for fid in network.focal_ids:
        node = network.node(fid)
        focal_rows.append(
            {
                "id": fid,
                "name": node["name"],
                "roles": ";".join(node["roles"]),
                "direct_partners": len(network.neighbors(fid)),
            }
        )
    focal = pd.DataFrame(focal_rows, columns=["id", "name", "roles", "direct_partners"])
    tables = {"overview": overview, "roles": roles, "tie_types": tie_types, "categories": categories,
              "focal": focal}
    return NetworkSummary(tables, {"source": network.source}, titles=NetworkSummary.TITLES)
