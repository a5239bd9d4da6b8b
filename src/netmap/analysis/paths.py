"""Resource-access paths: how the focal organisation reaches an organisation, capability or market, and through whom.

Three questions, one engine (:mod:`netmap.engine.paths`):

* :func:`best_paths` -- the k best loopless paths from the focal organisation
  to one organisation, or to any holder of a capability or market (Yen's
  algorithm over a sparse graph).
* :func:`access_table` -- every holder of a capability or market, ranked by
  its best path, with the partner who can introduce us (one single-source
  search for all holders).
* :func:`best_access` -- for many capabilities and markets at once, the
  best holder of each and the holder counts (one search for them all).
* :func:`gatekeepers` -- the intermediaries on most of those best paths.

Ranking criteria (``by``)
-------------------------
``"strength"`` (default)
    The most reliable path: the largest product of tie strengths, found as a
    shortest path on ``-log(strength)`` (a tie of strength 0 counts as 1e-6
    for the ranking; its product is still reported as 0).
``"hops"``
    The fewest ties.
``"value"``
    The path whose weakest tie carries the most business: the largest
    *bottleneck* of annual tie values (a widest path). A chain of
    introductions is only as good as its thinnest commercial relationship;
    a sum of values would favour long detours and is NP-hard to maximise
    over simple paths. Ties without a value count as 0.

Equal scores (to 9 decimals for strength) are ordered by fewer hops, then by
the ids of the organisations along the path, compared position by position
as text. The order is total, so results are deterministic.

Ties are channels both ways by default (an introduction works either way);
``directed=True`` follows the flow direction (symmetric ties still both ways).
Ties not active on ``as_of`` (default today) are left out.

Parallel ties: between two organisations with several ties usable in one
direction, one tie stands for the step -- the best for the criterion
(highest strength; for ``value`` the highest value), then the strongest,
then a tie read along the flow before a symmetric one before one read
against the flow, then the type's name -- and its type and strength are
reported. The step's *value* is the pair's business: the sum of the values
of all those ties, not the chosen tie's value alone (``min_value`` and the
``value`` criterion use it). The choice never depends on the row order of
the input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import choice, whole_number
from ..engine import paths as engine
from ..engine.adjacency import csr
from ..engine.reach import bfs_levels
from ..errors import ArgumentError
from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view
from .tiegraph import TieGraph

__all__ = ["best_paths", "access_table", "best_access", "gatekeepers", "CRITERIA"]

#: Ranking criteria accepted by ``by``.
CRITERIA = tuple(engine.CRITERIA)

PATH_COLUMNS = [
    "rank", "target", "target_name", "hops", "score", "strength", "min_value",
    "first_intermediary", "first_intermediary_name", "weakest_tie", "weakest_strength",
    "path", "path_names", "tie_types", "tie_strengths", "nodes",
]
ACCESS_COLUMNS = [
    "rank", "id", "name", "reachable", "hops", "score", "strength", "min_value",
    "first_intermediary", "first_intermediary_name", "weakest_tie", "weakest_strength",
    "path", "path_names", "reason",
]
BEST_ACCESS_COLUMNS = [
    "kind", "item", "holders", "reachable", "best_holder", "best_holder_name", "hops", "score", "strength",
    "min_value", "first_intermediary", "first_intermediary_name", "path", "path_names", "reason",
]
GATEKEEPER_COLUMNS = [
    "rank", "id", "name", "roles", "paths", "share", "introducer_for", "holders", "holder_names",
]
_DESCRIBED = ["hops", "score", "strength", "min_value", "first_intermediary", "first_intermediary_name",
              "weakest_tie", "weakest_strength", "path", "path_names"]


def best_paths(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    to: str | None = None,
    capability: str | None = None,
    market: str | None = None,
    k: int = 3,
    by: str = "strength",
    max_hops: int | None = None,
    directed: bool = False,
    as_of=None,
) -> Result:
    """The k best loopless paths from the focal organisation to a target.

    The target is one organisation (``to``) or any organisation holding a
    capability and/or serving a market (then the k best paths to any holder).

    Parameters
    ----------
    network : Network or FocalView
    focal : str, optional
        Where the paths start; default the organisation marked focal.
    to : str, optional
        Id of the organisation to reach.
    capability, market : str, optional
        Reach any holder instead (case-insensitive; both narrows to holders of both).
    k : int (default=3)
        Number of paths.
    by : {"strength", "hops", "value"} (default="strength")
        Ranking criterion; see the module notes.
    max_hops : int, optional
        Longest path allowed, in ties.
    directed : bool (default=False)
        Follow the flow direction of directed ties.
    as_of : date or str, optional
        Use the ties active on this date (default today).

    Returns
    -------
    Result
        Main table ``paths``, one row per path, best first: ``rank``;
        ``target``, ``target_name`` (the organisation the path ends at);
        ``hops``; ``score`` (strength product, hop count or bottleneck value,
        per ``by``); ``strength`` (product of tie strengths); ``min_value``
        (the smallest business along the path: per step, the summed value
        of the pair's parallel ties, a tie without value counting 0);
        ``first_intermediary``, ``first_intermediary_name`` (the partner who
        can introduce us; empty for a direct tie); ``weakest_tie``
        (``"A - B TYPE"``) and ``weakest_strength`` (the weakest tie by the
        criterion: lowest strength, or lowest value for ``value``); ``path``
        and ``path_names`` (ids and names joined by ``" > "``); ``tie_types``
        (each tie's type, ``(upstream)`` when it is read against the flow);
        ``tie_strengths``; ``nodes`` (tuple of ids). ``meta`` records the
        choices. No row when no path exists (``meta["note"]`` says why).

    Raises
    ------
    NetmapError
        Unknown ids, capability or market; target equal to the focal
        organisation; bad ``k``, ``by`` or ``max_hops``.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> df = best_paths(net, "F1", to="T1", k=2, as_of="2024-06-30").table
    >>> df["path"].tolist(), df["hops"].tolist()
    (['F1 > S1 > T1', 'F1 > S2 > T1'], [2, 2])
    >>> round(float(df["score"].iloc[0]), 4)  # 0.85 * 0.7
    0.595
    """
    by = choice(by, "by", CRITERIA, what="ranking")
    k = whole_number(k, "k")
    max_hops = whole_number(max_hops, "max_hops", optional=True)
    view = focal_view(network, focal, as_of)
    targets, what = _targets(view.network, view.focal, to, capability, market)
    ties = _ties(view, by, directed)
    pos = view.network.index
    tgt = pos[to] if to is not None else [pos[x] for x in targets]
    found = engine.k_best_paths(ties.graph, view.position, tgt, k, ties.criterion, max_hops)
    rows = [{"rank": i, **ties.describe(nodes)} for i, nodes in enumerate(found, start=1)]
    df = _types(pd.DataFrame(rows, columns=PATH_COLUMNS))
    meta = _meta(view, what, by, max_hops, directed)
    meta.update({"k": k, "paths_found": len(df)})
    if df.empty:
        meta["note"] = _no_path_reason(view, targets, max_hops, directed)
    return Result({"paths": df}, meta)


def access_table(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    capability: str | None = None,
    market: str | None = None,
    by: str = "strength",
    max_hops: int | None = None,
    directed: bool = False,
    as_of=None,
) -> Result:
    """Every organisation holding a capability or serving a market, ranked by its best path.

    One single-source search from the focal organisation finds the best path
    to every holder (the same path :func:`best_paths` ranks first).

    Parameters
    ----------
    network, focal, by, max_hops, directed, as_of
        As in :func:`best_paths`.
    capability, market : str
        What to reach (at least one; both narrows to holders of both).

    Returns
    -------
    Result
        Main table ``access``, one row per holder (the focal organisation
        excluded): reachable holders first, best path first (ties: fewer
        hops, then path ids), then unreachable ones by id. Columns: ``rank``,
        ``id``, ``name``, ``reachable``, ``hops``, ``score``, ``strength``,
        ``min_value``, ``first_intermediary``, ``first_intermediary_name``
        (whom to ask for an introduction; empty for a direct partner),
        ``weakest_tie``, ``weakest_strength``, ``path``, ``path_names`` (as
        in :func:`best_paths`), ``reason`` (``direct partner``, ``introduced
        by NAME (ID)`` or why it cannot be reached). ``meta`` records the
        choices and whether the focal organisation holds it itself.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> df = access_table(net, "F1", capability="steel", as_of="2024-06-30").table
    >>> df["id"].tolist(), df["reason"].tolist()
    (['S1', 'S2'], ['direct partner', 'direct partner'])
    """
    by = choice(by, "by", CRITERIA, what="ranking")
    max_hops = whole_number(max_hops, "max_hops", optional=True)
    view = focal_view(network, focal, as_of)
    holders, what = _holders(view.network, capability, market)
    focal_holds = view.focal in holders
    holders = [h for h in holders if h != view.focal]
    ties = _ties(view, by, directed)
    pos = view.network.index
    paths = engine.best_paths_from(ties.graph, view.position, [pos[h] for h in holders], ties.criterion, max_hops)
    rows = []
    for h, p in zip(holders, paths):
        if p is None:
            rows.append({"id": h, "name": view.full.name(h), "reachable": False, "_key": None})
            continue
        d = ties.describe(p)
        first = d["first_intermediary"]
        reason = "direct partner" if not first else f"introduced by {d['first_intermediary_name']} ({first})"
        rows.append({"id": h, "name": d["target_name"], "reachable": True, "_key": ties.criterion.key(ties.graph, p),
                     **{c: d[c] for c in _DESCRIBED}, "reason": reason})
    unreachable = [r["id"] for r in rows if not r["reachable"]]
    if unreachable:
        why = _unreachable_reasons(view, unreachable, max_hops, directed)
        for r in rows:
            if not r["reachable"]:
                r["reason"] = why[r["id"]]
    reach = sorted((r for r in rows if r["reachable"]), key=lambda r: r["_key"])
    rest = sorted((r for r in rows if not r["reachable"]), key=lambda r: r["id"])
    ordered = reach + rest
    for i, r in enumerate(ordered, start=1):
        r["rank"] = i
        r.pop("_key")
    df = _types(pd.DataFrame(ordered, columns=ACCESS_COLUMNS))
    df["reachable"] = df["reachable"].astype(bool)
    meta = _meta(view, what, by, max_hops, directed)
    meta.update({"holders": len(holders), "reachable": len(reach), "focal_also_holds": focal_holds})
    return Result({"access": df}, meta)


def best_access(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    capabilities=(),
    markets=(),
    by: str = "strength",
    max_hops: int | None = None,
    directed: bool = False,
    as_of=None,
) -> Result:
    """The best-reached holder of each of many capabilities and markets, from one search.

    For each item, the row :func:`access_table` ranks first (the same
    holder, path and introducer, ties between equally good holders broken
    the same way) and how many organisations hold it and can be reached.
    One single-source search from the focal organisation serves every item,
    and only the best path of each item is described, so asking for many
    items costs about as much as asking for one.

    Parameters
    ----------
    network, focal, by, max_hops, directed, as_of
        As in :func:`best_paths`.
    capabilities, markets : str or iterable of str
        What to reach (case-insensitive), each on its own (at least one item).

    Returns
    -------
    Result
        Main table ``access``, one row per item, capabilities first, in the
        order given: ``kind`` (``capability`` or ``market``), ``item``,
        ``holders`` (organisations holding it, the focal one excluded),
        ``reachable`` (how many of them a path reaches), ``best_holder``,
        ``best_holder_name``, ``hops``, ``score``, ``strength``,
        ``min_value``, ``first_intermediary``, ``first_intermediary_name``,
        ``path``, ``path_names`` (as in :func:`access_table`, for the best
        holder; empty when none is reachable) and ``reason`` (``direct
        partner``, ``introduced by NAME (ID)``, or why no holder can be
        reached: the reason of the first unreachable holder by id).

    Raises
    ------
    NetmapError
        Unknown capability or market (with close names), no item, bad
        ``by`` or ``max_hops``.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> df = best_access(net, "F1", capabilities=["steel"], markets=["JP"], as_of="2024-06-30").table
    >>> df[["item", "holders", "reachable", "best_holder", "reason"]].values.tolist()
    [['steel', 2, 2, 'S1', 'direct partner'], ['JP', 2, 2, 'D2', 'direct partner']]
    """
    by = choice(by, "by", CRITERIA, what="ranking")
    max_hops = whole_number(max_hops, "max_hops", optional=True)
    view = focal_view(network, focal, as_of)
    items = [("capability", x) for x in _item_list(capabilities, "capabilities")]
    items += [("market", x) for x in _item_list(markets, "markets")]
    if not items:
        raise ArgumentError("say what to reach: one or more capabilities or markets", param="capabilities")
    net, s = view.network, view.position
    holders = []
    for col, kind in (("capabilities", "capability"), ("markets", "market")):
        wanted = [x for k, x in items if k == kind]
        if wanted:
            found = _holder_positions(net, col, wanted)
            for x, pos in zip(wanted, found):
                if not len(pos):
                    net.holders(**{kind: x})  # raises, naming close items
            holders += [pos[pos != s] for pos in found]
    ties = _ties(view, by, directed)
    best, reachable = engine.best_to_sets(ties.graph, s, holders, ties.criterion, max_hops)
    ids = view.network.ids
    rows, no_path = [], {}
    for (kind, item), pos, b, n_reach in zip(items, holders, best, reachable):
        row = {"kind": kind, "item": item, "holders": len(pos), "reachable": n_reach}
        if b is None:
            first = min((ids[p] for p in pos), default=None)
            no_path[len(rows)] = first
            row["reason"] = "" if first else "the focal organisation is the only holder"
        else:
            d = ties.describe(b)
            row.update({"best_holder": d["target"], "best_holder_name": d["target_name"],
                        **{c: d[c] for c in _DESCRIBED}})
            first = d["first_intermediary"]
            row["reason"] = "direct partner" if not first else f"introduced by {d['first_intermediary_name']} ({first})"
        rows.append(row)
    if no_path:
        why = _unreachable_reasons(view, sorted({x for x in no_path.values() if x}), max_hops, directed)
        for i, x in no_path.items():
            if x:
                rows[i]["reason"] = why[x]
    df = _types(pd.DataFrame(rows, columns=BEST_ACCESS_COLUMNS))
    for c in ("holders", "reachable"):
        df[c] = df[c].astype(np.int64)
    df["hops"] = df["hops"].astype("Int64")
    n_cap = sum(k == "capability" for k, _ in items)
    meta = _meta(view, f"{n_cap} capabilities and {len(items) - n_cap} markets", by, max_hops, directed)
    meta["items_reachable"] = int(sum(b is not None for b in best))
    return Result({"access": df}, meta)


def gatekeepers(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    capability: str | None = None,
    market: str | None = None,
    by: str = "strength",
    max_hops: int | None = None,
    directed: bool = False,
    as_of=None,
) -> Result:
    """The intermediaries that sit on most of the best paths to a capability or market.

    Takes the best path to every reachable holder (see :func:`access_table`)
    and counts, for each organisation strictly between the focal
    organisation and the holder, how many of those paths it carries. These
    are the relationships to protect: losing one reroutes (or cuts) the
    access to the holders it gates.

    Parameters
    ----------
    As in :func:`access_table`.

    Returns
    -------
    Result
        Main table ``gatekeepers``, one row per intermediary, most paths
        first (ties: more introductions, then id): ``rank``, ``id``,
        ``name``, ``roles``; ``paths`` (best paths through it); ``share``
        (``paths`` / reachable holders); ``introducer_for`` (paths on which
        it is the first intermediary, the partner who makes the
        introduction); ``holders`` and ``holder_names`` (the holders it
        gates, ``;``-joined, in access order). ``meta`` records the choices
        and the number of holders.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> df = gatekeepers(net, "F1", market="JP", as_of="2024-06-30").table
    >>> df[["id", "paths", "share", "holders"]].values.tolist()  # D2 gates C2, one of the 2 JP holders
    [['D2', 1, 0.5, 'C2']]
    """
    view = focal_view(network, focal, as_of)
    acc = access_table(view, capability=capability, market=market, by=by, max_hops=max_hops, directed=directed)
    reach = acc.table[acc.table["reachable"]]
    count: dict[str, int] = {}
    first: dict[str, int] = {}
    gated: dict[str, list[str]] = {}
    for path, holder in zip(reach["path"], reach["id"]):
        for j, x in enumerate(path.split(" > ")[1:-1]):
            count[x] = count.get(x, 0) + 1
            gated.setdefault(x, []).append(holder)
            if j == 0:
                first[x] = first.get(x, 0) + 1
    n = len(reach)
    net = view.full  # the names are cached on the caller's network
    rows = []
    for i, x in enumerate(sorted(count, key=lambda x: (-count[x], -first.get(x, 0), x)), start=1):
        node = net.node(x)
        rows.append({
            "rank": i, "id": x, "name": node["name"], "roles": ";".join(node["roles"]),
            "paths": count[x], "share": count[x] / n, "introducer_for": first.get(x, 0),
            "holders": ";".join(gated[x]), "holder_names": ";".join(net.name(h) for h in gated[x]),
        })
    df = pd.DataFrame(rows, columns=GATEKEEPER_COLUMNS)
    for c in ("rank", "paths", "introducer_for"):
        df[c] = df[c].astype(np.int64)
    df["share"] = df["share"].astype(float)
    meta = dict(acc.meta)
    meta["direct_partners_among_holders"] = int((reach["hops"] == 1).sum())
    return Result({"gatekeepers": df}, meta)


# ------------------------------------------------------------ targets
def _holders(network: Network, capability, market) -> tuple[list[str], str]:
    if capability is None and market is None:
        raise ArgumentError("say what to reach: a capability or a market", param="capability")
    holders = network.holders(capability=capability, market=market)
    parts = []
    if capability is not None:
        parts.append(f"capability '{capability}'")
    if market is not None:
        parts.append(f"market '{market}'")
    if not holders:
        raise ArgumentError(f"no organisation has both {' and '.join(parts)}", param="market")
    return holders, " and ".join(parts)


def _targets(network: Network, focal: str, to, capability, market) -> tuple[list[str], str]:
    if to is not None:
        if capability is not None or market is not None:
            raise ArgumentError("give either a target organisation or a capability/market, not both", param="to")
        network.check_ids([to], "target organisation", param="to")
        if to == focal:
            raise ArgumentError(f"the target '{to}' is the focal organisation itself; choose another target",
                                param="to")
        return [to], f"organisation {to}"
    if capability is None and market is None:
        raise ArgumentError("say what to reach: a target organisation, a capability or a market", param="to")
    holders, what = _holders(network, capability, market)
    others = [h for h in holders if h != focal]
    if not others:
        raise ArgumentError(f"the focal organisation '{focal}' is the only holder of {what}; nothing to reach",
                            param="capability" if capability is not None else "market")
    return others, what


# ------------------------------------------------------------------ ties
def _ties(view: FocalView, by: str, directed: bool) -> TieGraph:
    """The path graph of the view's ties for ``by``, built once per view."""
    return view.cached(("paths.ties", by, bool(directed)), lambda: TieGraph(view.network, engine.CRITERIA[by], directed))


# ------------------------------------------------------------ many items
def _item_list(items, param: str) -> list[str]:
    if items is None:
        return []
    if isinstance(items, str):
        items = [items]
    out = []
    for x in items:
        if not isinstance(x, str) or not x.strip():
            raise ArgumentError(f"each of {param} must be a non-empty text, not {x!r}", param=param)
        out.append(x)
    return out


def _holder_positions(net: Network, col: str, wanted: list[str]) -> list[np.ndarray]:
    """Positions of the organisations listing each wanted item in ``col`` (case-insensitive), ascending."""
    lists = net.nodes[col].tolist()
    lens = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = pd.Series([x for xs in lists for x in xs], dtype=object).str.casefold()
    codes, uniq = pd.factorize(flat)
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), lens)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniq) + 1))
    code_of = {x: i for i, x in enumerate(uniq)}
    out = []
    for w in wanted:
        c = code_of.get(w.strip().casefold())
        out.append(np.zeros(0, dtype=np.int64) if c is None else np.unique(owner[order[bounds[c]:bounds[c + 1]]]))
    return out


# ------------------------------------------------------------ table and meta
def _types(df: pd.DataFrame) -> pd.DataFrame:
    for c in ("rank", "hops"):
        if c in df.columns:
            df[c] = pd.array(df[c], dtype="Int64") if df[c].isna().any() else df[c].astype(np.int64)
    for c in ("score", "strength", "min_value", "weakest_strength"):
        if c in df.columns:
            df[c] = df[c].astype(float)
    for c in ("first_intermediary", "first_intermediary_name", "weakest_tie", "path", "path_names",
              "tie_types", "tie_strengths", "reason", "target", "target_name", "id", "name", "best_holder",
              "best_holder_name"):
        if c in df.columns:
            col = df[c].astype(object)
            df[c] = col.where(col.notna(), "")
    return df


_SCORE_TEXT = {
    "strength": "product of tie strengths along the path (higher is more reliable)",
    "hops": "number of ties (fewer is better)",
    "value": "smallest annual business along the path, per step the values of the pair's ties summed "
             "(higher is better; a tie without value counts 0)",
}


def _meta(view: FocalView, what: str, by: str, max_hops, directed: bool) -> dict:
    return {
        "focal": f"{view.focal} ({view.full.name(view.focal)})",
        "target": what,
        "by": by,
        "score": _SCORE_TEXT[by],
        "tie_break": "fewer hops, then organisation ids along the path",
        "directed": directed,
        "ties_read": "in the flow direction (symmetric ties both ways)" if directed else "both ways",
        "max_hops": max_hops if max_hops is not None else "none",
        "as_of": view.as_of,
        "active_ties": int(view.network.n_edges),
        "inactive_ties_left_out": int(view.full.n_edges - view.network.n_edges),
    }


def _hops_from(net: Network, s: int, directed: bool) -> np.ndarray:
    """Hops from s over all ties of ``net`` (symmetric ties both ways); -1 where unreachable."""
    u, v = net.endpoints()
    back = net.edges["symmetric"].to_numpy(dtype=bool) if directed else np.ones(len(u), dtype=bool)
    return bfs_levels(csr(net.n_nodes, np.concatenate([u, v[back]]), np.concatenate([v, u[back]])), s)


def _unreachable_reasons(view: FocalView, ids: list[str], max_hops, directed: bool) -> dict[str, str]:
    s = view.position
    h_act = _hops_from(view.network, s, directed)
    h_und = _hops_from(view.network, s, False) if directed else h_act
    h_all = None
    out = {}
    for x in ids:
        p = view.network.index[x]
        if h_act[p] >= 0:
            out[x] = f"no path within {max_hops} hops (the shortest has {int(h_act[p])})"
        elif directed and h_und[p] >= 0:
            out[x] = "no path following the flow direction (reachable when ties are read both ways)"
        else:
            if h_all is None:
                h_all = _hops_from(view.full, s, False)
            if h_all[p] >= 0:
                out[x] = f"no path through ties active on {view.as_of} (only through ended or future ties)"
            else:
                out[x] = "not connected to the focal organisation"
    return out


def _no_path_reason(view: FocalView, targets: list[str], max_hops, directed: bool) -> str:
    why = _unreachable_reasons(view, targets, max_hops, directed)
    if len(targets) == 1:
        return f"no path to {targets[0]}: {why[targets[0]]}"
    return f"no path to any of the {len(targets)} holders"
