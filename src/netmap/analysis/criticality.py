"""Structural criticality: the organisations and relationships whose loss cuts the focal network apart."""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from ..checks import whole_number
from ..engine.adjacency import neighbours
from ..network import Network
from ..result import Result
from ..view import FocalView
from .flows import FlowModel, flow_model

__all__ = ["structural_criticality", "TITLE"]

#: The heading of the table.
TITLE = "Structural criticality: articulation points and bridges"

_CRITICAL_COLUMNS = ["id", "name", "roles", "direct_partner", "hops", "articulation_point", "organisations_cut_off",
                     "cut_off_ids", "capabilities_lost", "lost_capabilities", "markets_lost", "lost_markets",
                     "bridges", "bridge_partners", "bridge_partner_names", "reason"]


def structural_criticality(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
    max_ids: int = 10,
) -> Result:
    """Organisations whose loss cuts the focal organisation off from part of its network.

    The focal's network is every organisation connected to it by a chain of
    active ties of any type, read in either direction. An organisation is an
    *articulation point* of it when removing it disconnects the network; the
    focal then loses the part on the far side: organisations, and the
    capabilities and markets nobody left in reach holds. A *bridge* is a
    relationship (all ties between two organisations) whose end would split
    the network.

    Parameters
    ----------
    network : Network or FocalView
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)
        Only ties active on this date count.
    max_ids : int (default=10)
        How many cut-off organisation ids to list per row.

    Returns
    -------
    Result
        ``result.table`` (the table ``"critical"``) has one row per
        organisation other than the focal that is an articulation point or
        an end of a bridge: ``id``, ``name``,
        ``roles``, ``direct_partner``, ``hops`` (ties from the focal),
        ``articulation_point``, ``organisations_cut_off`` (count),
        ``cut_off_ids`` (closest first), ``capabilities_lost``,
        ``lost_capabilities``, ``markets_lost``, ``lost_markets``,
        ``bridges`` (count), ``bridge_partners`` and
        ``bridge_partner_names`` (the organisations at the other end of its
        bridges, ``;``-joined in id order: each bridge is the pair ``id`` --
        partner, so ids holding ``-`` stay readable), ``reason``. Largest
        loss first.

    Notes
    -----
    One depth-first search with Hopcroft-Tarjan lowpoints gives the
    articulation points, the bridges and the dominator tree from the focal
    (the organisations cut off by removing ``x`` are exactly those ``x``
    dominates), so the whole table costs about one graph traversal.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = structural_criticality(read_network("sample_data/tiny"), "F1", as_of="2024-06-30").table
    >>> df[["id", "articulation_point", "organisations_cut_off", "lost_markets", "bridge_partners"]].to_dict("records")[0]
    {'id': 'D2', 'articulation_point': True, 'organisations_cut_off': 1, 'lost_markets': 'JP', 'bridge_partners': 'C2;F1'}
    """
    max_ids = whole_number(max_ids, "max_ids", minimum=0)
    model = flow_model(network, focal, as_of)
    meta = {
        "focal": model.focal, "as_of": model.as_of, "ties": "only ties active on as_of",
        "network": "organisations connected to the focal by any chain of ties, either direction",
        "articulation_point": "removing it disconnects part of the focal's network",
        "bridge": "a relationship (all ties between two organisations) whose end splits the network",
    }
    return Result({"critical": _critical(model, max_ids)}, meta, titles={"critical": TITLE})


def _critical(model: FlowModel, max_ids: int) -> pd.DataFrame:
    und, org_cut, cap_lost, mkt_lost = model.network_dominance
    f, n = model.f, model.n
    ids, names = model.ids, model.names
    order = und.order
    pre, low, parent = und.pre, und.low, und.parent
    nonroot = order[1:]
    par = parent[nonroot]
    # bridges: tree edges p - v with low[v] > pre[p]
    is_bridge = low[nonroot] > pre[par]
    b_child, b_par = nonroot[is_bridge], par[is_bridge]
    n_bridges = np.bincount(np.concatenate([b_child, b_par]), minlength=n)
    bridge_ends: dict[int, list[int]] = {}  # each organisation's partners across a bridge
    for c, p in zip(b_child.tolist(), b_par.tolist()):
        bridge_ends.setdefault(c, []).append(p)
        bridge_ends.setdefault(p, []).append(c)
    art = org_cut > 0
    cand = np.flatnonzero((art | (n_bridges > 0)) & (und.pre >= 0))
    cand = cand[cand != f]
    if not len(cand):
        return pd.DataFrame(columns=_CRITICAL_COLUMNS)
    # dominator-tree children, for listing what is cut off (closest first)
    idom = und.idom
    reached = order[1:]
    kids_order = reached[np.argsort(idom[reached], kind="stable")]
    kid_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(idom[reached], minlength=n), out=kid_ptr[1:])
    kids = (kid_ptr, kids_order)
    hops = model.hops_und
    direct = np.zeros(n, dtype=bool)
    direct[model.und[1][model.und[0][f]:model.und[0][f + 1]]] = True
    roles = model.net.nodes["roles"]
    rows = []
    for x in cand.tolist():
        listed: list[int] = []
        if art[x] and max_ids:
            frontier = np.array([x], dtype=np.int64)
            while len(frontier) and len(listed) < max_ids:
                frontier = neighbours(kids, frontier)
                frontier = frontier[np.lexsort((ids[frontier].astype(str), hops[frontier]))]
                listed.extend(frontier[: max_ids - len(listed)].tolist())
        caps = sorted(cap_lost.get(x, []))
        mkts = sorted(mkt_lost.get(x, []))
        bt = sorted(bridge_ends.get(x, []), key=lambda o: str(ids[o]))
        k = int(org_cut[x])
        if k:
            shown = ", ".join(f"{ids[o]} {names[o]}" for o in listed[:3])
            why = f"its loss cuts you off from {k} organisation(s) ({shown}{' ...' if k > 3 else ''})"
            if caps:
                why += f"; capabilities {', '.join(caps[:8])}{' ...' if len(caps) > 8 else ''}"
            if mkts:
                why += f"; markets {', '.join(mkts[:8])}{' ...' if len(mkts) > 8 else ''}"
        else:
            p = int(parent[x])
            why = f"linked to the rest of your network only through its relationship with {ids[p]} {names[p]}"
            if caps or mkts:
                why += "; its loss takes " + ", ".join(caps + mkts) + " out of reach"
        if bt:
            shown = ", ".join(f"{ids[o]} {names[o]}" for o in bt[:5])
            why += f"; bridge(s): its relationship with {shown}{' ...' if len(bt) > 5 else ''}"
        rows.append({
            "id": ids[x], "name": names[x], "roles": ";".join(roles.iat[x]), "direct_partner": bool(direct[x]),
            "hops": int(hops[x]), "articulation_point": bool(art[x]), "organisations_cut_off": k,
            "cut_off_ids": ";".join(str(ids[o]) for o in listed), "capabilities_lost": len(caps),
            "lost_capabilities": ";".join(caps), "markets_lost": len(mkts), "lost_markets": ";".join(mkts),
            "bridges": int(n_bridges[x]), "bridge_partners": ";".join(str(ids[o]) for o in bt),
            "bridge_partner_names": ";".join(str(names[o]) for o in bt), "reason": why,
        })
    df = pd.DataFrame(rows, columns=_CRITICAL_COLUMNS)
    df["_lost"] = df["capabilities_lost"] + df["markets_lost"]
    df = df.sort_values(["organisations_cut_off", "_lost", "direct_partner", "hops", "id"],
                        ascending=[False, False, False, True, True], kind="stable")
    return df.drop(columns="_lost").reset_index(drop=True)


