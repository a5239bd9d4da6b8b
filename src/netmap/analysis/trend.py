"""One row per snapshot: how a network and its focal organisation's position develop over time."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import ArgumentError
from ..network import Network
from ..result import Result
from ..view import focal_view
from .brokerage import burt_constraint
from .centrality import centrality
from .concentration import sales_channels, supply_categories

__all__ = ["trend_table", "TREND_COLUMNS", "CATEGORY_COLUMNS"]

#: Columns of the table ``trend``.
TREND_COLUMNS = ["snapshot", "as_of", "organisations", "ties", "total_value", "focal_partners", "focal_pagerank",
                 "focal_pagerank_rank", "focal_constraint", "sales_top1_share", "sales_top1_id",
                 "single_source_categories", "highly_concentrated_categories", "reason"]
#: Columns of the table ``categories``.
CATEGORY_COLUMNS = ["snapshot", "as_of", "category", "suppliers", "spend", "hhi", "level", "top_supplier", "top_name",
                    "top_share"]


def trend_table(snapshots: Sequence[tuple[str, Network, object]], focal: str | None = None) -> Result:
    """Figures of each snapshot, oldest first.

    Parameters
    ----------
    snapshots : sequence of (label, Network, as_of)
        The snapshots in time order; ``as_of`` is the date whose active ties
        count (``None``: today).
    focal : str, optional
        The focal organisation; by default the one marked focal, which must
        be the same in every snapshot.

    Returns
    -------
    Result
        ``trend`` (the main table), one row per snapshot: ``snapshot`` (its
        label), ``as_of``, ``organisations``, ``ties`` (active),
        ``total_value`` (of the active ties), ``focal_partners``
        (organisations with an active tie to or from the focal),
        ``focal_pagerank`` and ``focal_pagerank_rank`` (1 = highest),
        ``focal_constraint`` (Burt's constraint on tie value; lower = more
        brokerage), ``sales_top1_share`` and ``sales_top1_id`` (the largest
        buyer's share of all the focal's sales), ``single_source_categories``,
        ``highly_concentrated_categories`` (HHI >= 2,500), ``reason``.
        ``categories``, one row per (snapshot, input category): ``suppliers``,
        ``spend``, ``hhi``, ``level``, ``top_supplier``, ``top_name``,
        ``top_share`` (as :func:`~netmap.analysis.concentration.supply_categories`).

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> t = trend_table([("2020", net, "2020-06-30"), ("2024", net, "2024-06-30")]).table
    >>> t[["snapshot", "ties", "focal_partners"]].to_dict("records")
    [{'snapshot': '2020', 'ties': 12, 'focal_partners': 5}, {'snapshot': '2024', 'ties': 13, 'focal_partners': 7}]
    """
    if not snapshots:
        raise ArgumentError("give at least one snapshot", param="snapshots")
    if focal is None:
        marked = {label: net.resolve_focal(None) for label, net, _ in snapshots}
        if len(set(marked.values())) > 1:
            listed = ", ".join(f"{f} in {label}" for label, f in marked.items())
            raise ArgumentError(f"the snapshots mark different focal organisations ({listed}); name the one to follow",
                                param="focal")
        focal = next(iter(marked.values()))
    rows, cats = [], []
    for label, net, as_of in snapshots:
        view = focal_view(net, focal, as_of)
        active = view.network
        e = active.edges
        cent = centrality(active, metrics=("pagerank",), sort="pagerank").table
        me = cent[cent["id"] == focal].iloc[0]
        constraint = burt_constraint(active, [focal]).table["constraint"].iloc[0]
        ch = sales_channels(view).table
        all_row = ch[ch["channel"] == "all"]
        c = supply_categories(view).table
        partners = pd.unique(np.concatenate([e.loc[e["source"] == focal, "target"].to_numpy(),
                                             e.loc[e["target"] == focal, "source"].to_numpy()]))
        top1 = float(all_row["top1_share"].iloc[0]) if len(all_row) else np.nan
        row = {
            "snapshot": label, "as_of": view.as_of, "organisations": net.n_nodes, "ties": active.n_edges,
            "total_value": float(np.nansum(e["value"].to_numpy(dtype=float))), "focal_partners": len(partners),
            "focal_pagerank": float(me["pagerank"]), "focal_pagerank_rank": int(me["rank_pagerank"]),
            "focal_constraint": float(constraint), "sales_top1_share": top1,
            "sales_top1_id": all_row["top1_id"].iloc[0] if len(all_row) else "",
            "single_source_categories": int(c["single_source"].sum()),
            "highly_concentrated_categories": int(c["highly_concentrated"].sum()),
        }
        rows.append(row)
        for r in c.itertuples(index=False):
            cats.append({"snapshot": label, "as_of": view.as_of, "category": r.category, "suppliers": r.suppliers,
                         "spend": r.total_value, "hhi": r.hhi, "level": r.level, "top_supplier": r.top_supplier,
                         "top_name": r.top_name, "top_share": r.top_share})
    trend = pd.DataFrame(rows)
    trend["reason"] = _reasons(trend)
    categories = pd.DataFrame(cats, columns=CATEGORY_COLUMNS)
    categories = categories.sort_values(["category"], kind="stable").reset_index(drop=True)
    order = {label: i for i, (label, _, _) in enumerate(snapshots)}
    categories = categories.sort_values(["category", "snapshot"], key=lambda s: s.map(order) if s.name == "snapshot"
                                        else s, kind="stable").reset_index(drop=True)
    meta = {
        "focal": focal,
        "focal_name": snapshots[-1][1].name(focal),
        "snapshots": len(snapshots),
        "ties": "the ties active on each snapshot's date",
        "focal_pagerank_rank": "1 = highest PageRank (downstream, on tie value) in that snapshot",
        "focal_constraint": "Burt's constraint on tie value, undirected: lower = the focal bridges more groups",
        "sales_top1_share": "the largest buyer's share of the focal's sales (customers and distributors together)",
        "hhi": "Herfindahl-Hirschman index, 0-10,000; highly concentrated from 2,500",
    }
    return Result({"trend": trend[TREND_COLUMNS], "categories": categories}, meta,
                  titles={"trend": "One row per snapshot", "categories": "Input categories per snapshot"})


def _reasons(t: pd.DataFrame) -> list[str]:
    out = []
    prev = None
    for r in t.itertuples(index=False):
        if prev is None:
            out.append(f"first snapshot: {r.ties:,} active ties, the focal organisation has {r.focal_partners} "
                       f"partners and ranks {r.focal_pagerank_rank} by PageRank")
        else:
            parts = [f"ties {r.ties - prev.ties:+,}", f"partners {r.focal_partners - prev.focal_partners:+}",
                     f"PageRank rank {prev.focal_pagerank_rank} -> {r.focal_pagerank_rank}"]
            if r.single_source_categories != prev.single_source_categories:
                parts.append(f"single-source categories {prev.single_source_categories} -> "
                             f"{r.single_source_categories}")
            out.append("since the previous snapshot: " + ", ".join(parts))
        prev = r
    return out
