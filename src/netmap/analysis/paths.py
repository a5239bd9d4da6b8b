"""Resource-access paths: how the focal organisation reaches an organisation, capability or market, and through whom.

Three questions, one engine:

* :func:`best_paths` -- the k best loopless paths from the focal organisation
  to one organisation, or to any holder of a capability or market (Yen's
  algorithm over a sparse graph; each spur search is one single-target
  Dijkstra in SciPy, or a hop-layered search when ``max_hops`` is given).
* :func:`access_table` -- every holder of a capability or market, ranked by
  its best path, with the partner who can introduce us (one single-source
  search for all holders).
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
Ties not active on ``as_of`` (default today) are left out. Between two
organisations with several ties, the best tie for the criterion is used
(highest strength; for ``value`` the highest value) and its type reported.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pandas as pd

from ..errors import NetmapError
from ..dates import to_timestamp
from ..network import Network

__all__ = ["best_paths", "access_table", "gatekeepers", "CRITERIA"]

#: Ranking criteria accepted by ``by``.
CRITERIA = ("strength", "hops", "value")

_MIN_STRENGTH = 1e-6  # a zero-strength tie counts as this for the ranking
_DECIMALS = 9  # strength scores equal to this many decimals of -log count as equal
_TOL = 1e-9

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
GATEKEEPER_COLUMNS = [
    "rank", "id", "name", "roles", "paths", "share", "introducer_for", "holders", "holder_names",
]


# --------------------------------------------------------------------- public
def best_paths(
    network: Network,
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
) -> pd.DataFrame:
    """The k best loopless paths from the focal organisation to a target.

    The target is one organisation (``to``) or any organisation holding a
    capability and/or serving a market (then the k best paths to any holder).

    Parameters
    ----------
    network : Network
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
    DataFrame
        One row per path, best first: ``rank``; ``target``, ``target_name``
        (the organisation the path ends at); ``hops``; ``score`` (strength
        product, hop count or bottleneck value, per ``by``); ``strength``
        (product of tie strengths); ``min_value`` (smallest tie value on the
        path, 0 where a tie has none); ``first_intermediary``,
        ``first_intermediary_name`` (the partner who can introduce us; empty
        for a direct tie); ``weakest_tie`` (``"A - B TYPE"``) and
        ``weakest_strength`` (the weakest tie by the criterion: lowest
        strength, or lowest value for ``value``); ``path`` and ``path_names``
        (ids and names joined by ``" > "``); ``tie_types`` (each tie's type,
        ``(upstream)`` when it is read against the flow); ``tie_strengths``;
        ``nodes`` (tuple of ids). ``df.attrs["meta"]`` records the choices.
        No row when no path exists (the meta says why).

    Raises
    ------
    NetmapError
        Unknown ids, capability or market; target equal to the focal
        organisation; bad ``k``, ``by`` or ``max_hops``.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> df = best_paths(net, "F1", to="T1", k=2, as_of="2024-06-30")
    >>> df["path"].tolist(), df["hops"].tolist()
    (['F1 > S1 > T1', 'F1 > S2 > T1'], [2, 2])
    >>> round(float(df["score"].iloc[0]), 4)  # 0.85 * 0.7
    0.595
    """
    _check_by(by)
    k = _check_int(k, "k")
    max_hops = None if max_hops is None else _check_int(max_hops, "max_hops")
    focal = network.resolve_focal(focal)
    targets, what = _targets(network, focal, to, capability, market)
    day = to_timestamp(as_of)
    g = _Graph(network.active(day), by, directed, sinks=targets if to is None else None)
    src = g.pos[focal]
    if to is not None:
        tgt, budget = g.pos[to], max_hops
    else:
        tgt, budget = g.sink, None if max_hops is None else max_hops + 1
    found = _yen(g, src, tgt, k, budget)
    rows = []
    for i, nodes in enumerate(found, start=1):
        if to is None:
            nodes = nodes[:-1]
        rows.append({"rank": i, **_describe(g, nodes)})
    df = pd.DataFrame(rows, columns=PATH_COLUMNS)
    df = _types(df)
    meta = _meta(network, g, focal, what, by, max_hops, directed, day)
    meta.update({"k": k, "paths_found": len(df)})
    if df.empty:
        meta["note"] = _no_path_reason(network, g, focal, targets, by, max_hops, directed, day)
    df.attrs["meta"] = meta
    return df


def access_table(
    network: Network,
    focal: str | None = None,
    *,
    capability: str | None = None,
    market: str | None = None,
    by: str = "strength",
    max_hops: int | None = None,
    directed: bool = False,
    as_of=None,
) -> pd.DataFrame:
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
    DataFrame
        One row per holder (the focal organisation excluded): reachable
        holders first, best path first (ties: fewer hops, then path ids),
        then unreachable ones by id. Columns: ``rank``, ``id``, ``name``,
        ``reachable``, ``hops``, ``score``, ``strength``, ``min_value``,
        ``first_intermediary``, ``first_intermediary_name`` (whom to ask for
        an introduction; empty for a direct partner), ``weakest_tie``,
        ``weakest_strength``, ``path``, ``path_names`` (as in
        :func:`best_paths`), ``reason`` (``direct partner``, ``introduced by
        NAME (ID)`` or why it cannot be reached). ``df.attrs["meta"]``
        records the choices and whether the focal organisation holds it itself.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> df = access_table(net, "F1", capability="steel", as_of="2024-06-30")
    >>> df["id"].tolist(), df["reason"].tolist()
    (['S1', 'S2'], ['direct partner', 'direct partner'])
    """
    _check_by(by)
    max_hops = None if max_hops is None else _check_int(max_hops, "max_hops")
    focal = network.resolve_focal(focal)
    holders, what = _holders(network, capability, market)
    focal_holds = focal in holders
    holders = [h for h in holders if h != focal]
    day = to_timestamp(as_of)
    g = _Graph(network.active(day), by, directed)
    src = g.pos[focal]
    hpos = np.array([g.pos[h] for h in holders], dtype=np.int64)
    paths = _single_source(g, src, hpos, max_hops)
    rows = []
    for h, p in zip(holders, paths):
        if p is None:
            rows.append({"id": h, "name": network.name(h), "reachable": False, "_key": None})
            continue
        d = _describe(g, p)
        first = d["first_intermediary"]
        reason = "direct partner" if not first else f"introduced by {d['first_intermediary_name']} ({first})"
        rows.append({
            "id": h, "name": d["target_name"], "reachable": True, "_key": g.key(p),
            **{c: d[c] for c in ("hops", "score", "strength", "min_value", "first_intermediary",
                                 "first_intermediary_name", "weakest_tie", "weakest_strength",
                                 "path", "path_names")},
            "reason": reason,
        })
    unreachable = [r["id"] for r in rows if not r["reachable"]]
    if unreachable:
        why = _unreachable_reasons(network, g, focal, unreachable, max_hops, directed, day)
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
    meta = _meta(network, g, focal, what, by, max_hops, directed, day)
    meta.update({"holders": len(holders), "reachable": len(reach), "focal_also_holds": focal_holds})
    df.attrs["meta"] = meta
    return df


def gatekeepers(
    network: Network,
    focal: str | None = None,
    *,
    capability: str | None = None,
    market: str | None = None,
    by: str = "strength",
    max_hops: int | None = None,
    directed: bool = False,
    as_of=None,
) -> pd.DataFrame:
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
    DataFrame
        One row per intermediary, most paths first (ties: more introductions,
        then id): ``rank``, ``id``, ``name``, ``roles``; ``paths`` (best paths
        through it); ``share`` (``paths`` / reachable holders);
        ``introducer_for`` (paths on which it is the first intermediary, the
        partner who makes the introduction); ``holders`` and ``holder_names``
        (the holders it gates, ``;``-joined, in access order).
        ``df.attrs["meta"]`` records the choices and the number of holders.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> df = gatekeepers(net, "F1", market="JP", as_of="2024-06-30")
    >>> df[["id", "paths", "share", "holders"]].values.tolist()  # D2 gates C2, one of the 2 JP holders
    [['D2', 1, 0.5, 'C2']]
    """
    acc = access_table(network, focal, capability=capability, market=market, by=by,
                       max_hops=max_hops, directed=directed, as_of=as_of)
    reach = acc[acc["reachable"]]
    count: dict[str, int] = {}
    first: dict[str, int] = {}
    gated: dict[str, list[str]] = {}
    for path, holder in zip(reach["path"], reach["id"]):
        inner = path.split(" > ")[1:-1]
        for j, x in enumerate(inner):
            count[x] = count.get(x, 0) + 1
            gated.setdefault(x, []).append(holder)
            if j == 0:
                first[x] = first.get(x, 0) + 1
    n = len(reach)
    ids = sorted(count, key=lambda x: (-count[x], -first.get(x, 0), x))
    rows = []
    for i, x in enumerate(ids, start=1):
        node = network.node(x)
        rows.append({
            "rank": i, "id": x, "name": node["name"], "roles": ";".join(node["roles"]),
            "paths": count[x], "share": count[x] / n, "introducer_for": first.get(x, 0),
            "holders": ";".join(gated[x]), "holder_names": ";".join(network.name(h) for h in gated[x]),
        })
    df = pd.DataFrame(rows, columns=GATEKEEPER_COLUMNS)
    for c in ("rank", "paths", "introducer_for"):
        df[c] = df[c].astype(np.int64)
    df["share"] = df["share"].astype(float)
    meta = dict(acc.attrs["meta"])
    meta["direct_partners_among_holders"] = int((reach["hops"] == 1).sum())
    df.attrs["meta"] = meta
    return df


# ------------------------------------------------------------ input checks
def _check_by(by: str) -> None:
    if by not in CRITERIA:
        raise NetmapError(f"unknown ranking '{by}'; use one of {', '.join(CRITERIA)}")


def _check_int(x, name: str) -> int:
    try:
        v = int(x)
    except (TypeError, ValueError):
        raise NetmapError(f"{name} must be a whole number of at least 1, not '{x}'") from None
    if v != x or v < 1:
        raise NetmapError(f"{name} must be a whole number of at least 1, not {x}")
    return v


def _holders(network: Network, capability, market) -> tuple[list[str], str]:
    if capability is None and market is None:
        raise NetmapError("say what to reach: a capability or a market")
    holders = network.holders(capability=capability, market=market)
    parts = []
    if capability is not None:
        parts.append(f"capability '{capability}'")
    if market is not None:
        parts.append(f"market '{market}'")
    if not holders:
        raise NetmapError(f"no organisation has both {' and '.join(parts)}")
    return holders, " and ".join(parts)


def _targets(network: Network, focal: str, to, capability, market) -> tuple[list[str], str]:
    if to is not None:
        if capability is not None or market is not None:
            raise NetmapError("give either a target organisation or a capability/market, not both")
        network.check_ids([to], "target organisation")
        if to == focal:
            raise NetmapError(f"the target '{to}' is the focal organisation itself; choose another target")
        return [to], f"organisation {to}"
    if capability is None and market is None:
        raise NetmapError("say what to reach: a target organisation, a capability or a market")
    holders, what = _holders(network, capability, market)
    others = [h for h in holders if h != focal]
    if not others:
        raise NetmapError(f"the focal organisation '{focal}' is the only holder of {what}; nothing to reach")
    return others, what


# ------------------------------------------------------------------- graph
class _Graph:
    """Best tie per ordered pair of organisations, as forward and reverse CSR arrays.

    ``sinks``: organisations joined to one extra node (position ``n``) by
    free arcs, so that "paths to any holder" become paths to that node.
    """

    def __init__(self, net: Network, by: str, directed: bool, sinks: list[str] | None = None):
        self.net = net
        self.by = by
        self.ids = net.ids
        self.pos = net.index
        n0 = net.n_nodes
        e = net.edges
        u, v = net.endpoints()
        strength = e["strength"].to_numpy(dtype=float)
        value = np.nan_to_num(e["value"].to_numpy(dtype=float), nan=0.0)
        sym = e["symmetric"].to_numpy(dtype=bool)
        tcode, self.type_names = _type_codes(e["type"])
        eidx = np.arange(len(e), dtype=np.int64)
        back = np.ones(len(e), dtype=bool) if not directed else sym
        au = np.concatenate([u, v[back]])
        av = np.concatenate([v, u[back]])
        up = np.concatenate([np.zeros(len(e), dtype=bool), ~sym[back]])
        pick = np.concatenate([eidx, eidx[back]])
        keep = au != av
        au, av, up, pick = au[keep], av[keep], up[keep], pick[keep]
        pk = au * max(n0, 1) + av
        order = _sort_order(pk)
        pk, pick, up = pk[order], pick[order], up[order]
        if len(pk) and np.any(pk[1:] == pk[:-1]):
            # parallel ties: keep the best one per ordered pair (criterion, along the flow, type, input order)
            keys = [-strength[pick], up.astype(float), tcode[pick].astype(float), pick.astype(float)]
            if by == "value":
                keys.insert(0, -value[pick])
            sel = _group_best(pk, keys)
            pk, pick, up = pk[sel], pick[sel], up[sel]
        src, dst = pk // max(n0, 1), pk % max(n0, 1)
        self.edge = pick
        self.up = up
        self.strength = strength[pick]
        self.value = value[pick]
        self.tcode = tcode[pick]
        n = n0
        self.sink = None
        if sinks is not None:
            self.sink = n0
            n = n0 + 1
            spos = np.sort(np.array([self.pos[x] for x in sinks], dtype=np.int64))
            src = np.concatenate([src, spos])
            dst = np.concatenate([dst, np.full(len(spos), n0, dtype=np.int64)])
            m = len(spos)
            self.edge = np.concatenate([self.edge, np.full(m, -1)])
            self.up = np.concatenate([self.up, np.zeros(m, dtype=bool)])
            self.strength = np.concatenate([self.strength, np.ones(m)])
            self.value = np.concatenate([self.value, np.full(m, np.inf)])
            self.tcode = np.concatenate([self.tcode, np.zeros(m, dtype=np.int64)])
            o = np.lexsort((dst, src))
            src, dst = src[o], dst[o]
            for a in ("edge", "up", "strength", "value", "tcode"):
                setattr(self, a, getattr(self, a)[o])
        self.n = n
        self.src, self.dst = src, dst
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))]).astype(np.int64)
        if by == "strength":
            w = -np.log(np.maximum(self.strength, _MIN_STRENGTH))
        else:
            w = np.ones(len(src))
        if self.sink is not None and by == "strength":
            w[dst == self.sink] = 0.0  # the step to the virtual target is free (and counts as one hop for all paths)
        self.w = w
        # without a virtual target, undirected arcs come in pairs with equal costs: the reverse
        # graph is the graph itself
        self.symmetric = not directed and self.sink is None
        self.rindptr = self.indptr if self.symmetric else np.concatenate(
            [[0], np.cumsum(np.bincount(dst, minlength=n))]).astype(np.int64)
        # rank of each id as text, for tie-breaks (the sink sorts last)
        order_ids = np.argsort(np.array(self.ids + ([""] if self.sink is not None else []), dtype=str),
                               kind="stable")
        rank = np.empty(n, dtype=np.int64)
        rank[order_ids] = np.arange(n)
        if self.sink is not None:
            rank[self.sink] = n
        self.rank = rank
        nz = np.flatnonzero(np.diff(self.indptr) > 0)
        self.nz_rows, self.nz_starts = nz, self.indptr[nz]
        rnz = np.flatnonzero(np.diff(self.rindptr) > 0)
        self.rnz_rows, self.rnz_starts = rnz, self.rindptr[rnz]

    def by_value(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Arc ids by value, highest first; their values; the distinct values, highest first."""
        if getattr(self, "_by_value", None) is None:
            order = np.argsort(-self.value, kind="stable")
            vdesc = self.value[order]
            distinct = np.unique(vdesc)[::-1]
            self._by_value = (order, vdesc, distinct)
        return self._by_value

    @property
    def rorder(self) -> np.ndarray:
        """Arc ids in (head, tail) order: the reverse graph's CSR order."""
        if getattr(self, "_rorder", None) is None:
            self._rorder = _sort_order(self.dst)  # arc ids break ties, so tails come in order
        return self._rorder

    # -- helpers
    def name(self, p: int) -> str:
        return str(self.net.nodes["name"].iat[p])

    def row(self, u: int) -> slice:
        return slice(self.indptr[u], self.indptr[u + 1])

    def arc(self, u: int, v: int) -> int:
        lo, hi = self.indptr[u], self.indptr[u + 1]
        j = lo + int(np.searchsorted(self.dst[lo:hi], v))
        return j

    def arcs_of(self, nodes) -> list[int]:
        return [self.arc(a, b) for a, b in zip(nodes[:-1], nodes[1:])]

    def key(self, nodes) -> tuple:
        """Total order of paths: score, then hops, then the ids along the path."""
        arcs = self.arcs_of(nodes)
        ranks = tuple(int(self.rank[x]) for x in nodes)
        if self.by == "strength":
            return (round(math.fsum(self.w[arcs]), _DECIMALS), len(arcs), ranks)
        if self.by == "hops":
            return (len(arcs), ranks)
        return (-float(np.min(self.value[arcs])), len(arcs), ranks)

    def reverse_matrix(self):
        """The reverse graph's CSR matrix of arc costs, built once (callers restore what they change)."""
        if getattr(self, "_reverse", None) is None:
            m = self.matrix(not self.symmetric)
            m.data = m.data.copy()  # blocked rows are blanked in place; never touch the arc costs
            self._reverse = m
        return self._reverse

    def matrix(self, reverse: bool, weights=None, mask=None):
        """CSR matrix of the (optionally masked) arcs, forward or reverse."""
        from scipy import sparse

        w = self.w if weights is None else weights
        if mask is None:
            if reverse:
                return sparse.csr_array((w[self.rorder], self.src[self.rorder], self.rindptr), shape=(self.n, self.n))
            return sparse.csr_array((w, self.dst, self.indptr), shape=(self.n, self.n))
        if reverse:
            o = self.rorder[mask[self.rorder]]
            rows, cols = self.dst[o], self.src[o]
        else:
            o = np.flatnonzero(mask)
            rows, cols = self.src[o], self.dst[o]
        ptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=self.n))])
        return sparse.csr_array((np.ones(len(o)) if weights is None else w[o], cols, ptr), shape=(self.n, self.n))


def _type_codes(types: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes of the tie types, numbered in alphabetical order of the types present."""
    from ..schema import TIE_TYPES

    codes = np.full(len(types), -1, dtype=np.int64)
    names = []
    for name in sorted(TIE_TYPES):
        m = (types == name).to_numpy(dtype=bool)
        if m.any():
            codes[m] = len(names)
            names.append(name)
    if (codes < 0).any():  # a type outside the vocabulary (not from a validated reader)
        codes, uniq = pd.factorize(types.to_numpy(dtype=object), sort=True)
        names = [str(x) for x in uniq]
    return codes, names or ["PARTNERS_WITH"]


def _sort_order(keys: np.ndarray) -> np.ndarray:
    """Stable argsort of non-negative int64 ``keys`` (packs the index into the key when it fits)."""
    m = len(keys)
    bits = max(1, int(m).bit_length())
    if m and int(keys.max()) < (1 << (62 - bits)):
        packed = (keys << bits) | np.arange(m, dtype=np.int64)
        packed.sort()
        return packed & ((1 << bits) - 1)
    return np.argsort(keys, kind="stable")


def _group_best(keys_sorted: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
    """Index of the best row (smallest ``keys``, lexicographically) in each run of equal ``keys_sorted``."""
    starts = np.flatnonzero(np.concatenate([[True], keys_sorted[1:] != keys_sorted[:-1]]))
    counts = np.diff(np.append(starts, len(keys_sorted)))
    mask = np.ones(len(keys_sorted), dtype=bool)
    for k in keys:
        kk = np.where(mask, k, np.inf)
        gm = np.minimum.reduceat(kk, starts)
        mask &= kk == np.repeat(gm, counts)
    # the last key (input order) is unique within a pair, so one row per run remains
    return np.flatnonzero(mask)


def _close(a, b) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.abs(a - b) <= _TOL * np.maximum(1.0, np.abs(b))


def _pick(cands: np.ndarray, *keys) -> int:
    """The candidate smallest by ``keys`` (each an array aligned with cands), lexicographically."""
    o = np.lexsort(tuple(reversed(keys)))
    return int(cands[o[0]])


# --------------------------------------------------------------- k best (Yen)
def _yen(g: _Graph, s: int, t: int, k: int, budget: int | None) -> list[list[int]]:
    blocked = np.zeros(g.n, dtype=bool)
    first = _spur(g, s, t, blocked, set(), budget, np.inf)
    if first is None:
        return []
    found = [first]
    seen = {tuple(first)}
    heap: list = []
    while len(found) < k:
        prev = found[-1]
        for i in range(len(prev) - 1):
            root = prev[: i + 1]
            spur_node = prev[i]
            banned = {p[i + 1] for p in found if len(p) > i + 1 and p[: i + 1] == root}
            blocked[:] = False
            blocked[root] = True
            cap = np.inf
            if g.by == "value" and i > 0:
                cap = float(np.min(g.value[g.arcs_of(root)]))
            rest = None if budget is None else budget - i
            if rest is not None and rest < 1:
                continue
            limit = None
            need = k - len(found)
            if g.by != "value" and len(heap) >= need:
                # a spur costlier than the need-th waiting candidate can never be among the k best
                kth = heapq.nsmallest(need, heap)[-1][0][0]
                root_cost = math.fsum(g.w[g.arcs_of(root)]) if i > 0 else 0.0
                limit = max(0.0, kth - root_cost) + 1e-6 * max(1.0, kth)
            tail = _spur(g, spur_node, t, blocked, banned, rest, cap, limit)
            if tail is None:
                continue
            cand = root[:-1] + tail
            tc = tuple(cand)
            if tc in seen:
                continue
            seen.add(tc)
            heapq.heappush(heap, (g.key(cand), cand))
        if not heap:
            break
        found.append(heapq.heappop(heap)[1])
    return found


def _spur(g: _Graph, s: int, t: int, blocked: np.ndarray, banned: set, budget: int | None, cap: float,
          limit: float | None = None):
    """Best path s -> t avoiding ``blocked`` nodes (s included) and the arcs s -> ``banned``.

    "Best" is the total order of :meth:`_Graph.key` restricted to paths
    from s (for ``value``, the bottleneck capped at ``cap``, the root's own).
    """
    blocked = blocked.copy()
    blocked[s] = True
    sl = g.row(s)
    vs = g.dst[sl]
    ok = ~blocked[vs]
    if banned:
        ok &= ~np.isin(vs, np.fromiter(banned, dtype=np.int64))
    arcs = np.arange(sl.start, sl.stop)[ok]
    if len(arcs) == 0:
        return None
    if g.by == "value":
        return _spur_bottleneck(g, s, t, blocked, arcs, budget, cap)
    if budget is None:
        return _spur_additive(g, s, t, blocked, arcs, limit)
    return _spur_layered(g, s, t, blocked, arcs, budget)


def _dist_to(g: _Graph, t: int, blocked: np.ndarray, limit: float | None = None) -> np.ndarray:
    """Cost from every node to t avoiding blocked nodes (one SciPy Dijkstra on the reverse graph).

    Nodes farther than ``limit`` get infinity.
    """
    from scipy.sparse.csgraph import dijkstra

    r = g.reverse_matrix()
    rows = np.flatnonzero(blocked)
    saved = [r.data[g.rindptr[x]:g.rindptr[x + 1]].copy() for x in rows]
    for x in rows:
        r.data[g.rindptr[x]:g.rindptr[x + 1]] = np.inf
    try:
        kw = {} if limit is None else {"limit": float(limit)}
        d = dijkstra(r, directed=True, indices=t, **kw)
    finally:
        for x, old in zip(rows, saved):
            r.data[g.rindptr[x]:g.rindptr[x + 1]] = old
    d[blocked] = np.inf
    return d


_LOCAL_MAX = 20_000  # beyond this many nodes on optimal paths, count hops with one vectorised pass


def _tight_hops(g: _Graph, starts: np.ndarray, t: int, d: np.ndarray) -> np.ndarray:
    """Fewest arcs to t over tight arcs (``w + d[v] == d[u]``), for the nodes reachable from ``starts``.

    Optimal paths from a node are exactly the paths of tight arcs, so this is
    the fewest hops among the cost-optimal paths. Explores only the tight
    arcs reachable from ``starts`` (usually a handful of nodes).
    """
    from collections import deque

    seen = set(int(x) for x in starts)
    stack = list(seen)
    preds: dict[int, list[int]] = {}
    while stack:
        u = stack.pop()
        if u == t:
            continue
        sl = g.row(u)
        vs = g.dst[sl]
        ok = np.isfinite(d[vs]) & _close(g.w[sl] + d[vs], d[u])
        for v in vs[ok].tolist():
            preds.setdefault(v, []).append(u)
            if v not in seen:
                seen.add(v)
                stack.append(v)
        if len(seen) > _LOCAL_MAX:
            return _tight_hops_global(g, t, d)
    h = np.full(g.n, np.inf)
    h[t] = 0
    queue = deque([t])
    while queue:
        x = queue.popleft()
        for u in preds.get(x, ()):
            if h[u] == np.inf:
                h[u] = h[x] + 1
                queue.append(u)
    return h


def _tight_hops_global(g: _Graph, t: int, d: np.ndarray) -> np.ndarray:
    from scipy.sparse.csgraph import dijkstra

    fin = np.flatnonzero(np.isfinite(d[g.src]) & np.isfinite(d[g.dst]))
    tight = np.zeros(len(g.src), dtype=bool)
    tight[fin] = _close(g.w[fin] + d[g.dst[fin]], d[g.src[fin]])
    return dijkstra(g.matrix(True, mask=tight), directed=True, indices=t, unweighted=True)


def _spur_additive(g, s, t, blocked, arcs, limit=None):
    d = _dist_to(g, t, blocked, limit)
    c = g.w[arcs] + d[g.dst[arcs]]
    if not np.isfinite(c).any():
        return None
    best = np.min(c)
    cand = arcs[_close(c, best)]
    vs = g.dst[cand]
    h = d if g.by == "hops" else _tight_hops(g, vs, t, d)
    u = _pick(vs, h[vs], g.rank[vs])
    path = [s, u]
    while u != t:
        sl = g.row(u)
        vs = g.dst[sl]
        okk = np.isfinite(d[vs]) & _close(g.w[sl] + d[vs], d[u]) & (h[vs] == h[u] - 1)
        vs = vs[okk]
        u = _pick(vs, g.rank[vs])
        path.append(u)
    return path


def _layers(g: _Graph, t: int, blocked: np.ndarray, depth: int, reverse: bool) -> np.ndarray:
    """D[h, v]: best cost between v and t using at most h arcs (to t, or from t when ``reverse``)."""
    w = np.where(blocked[g.src] | blocked[g.dst], np.inf, g.w)
    D = np.full((depth + 1, g.n), np.inf)
    D[0, t] = 0.0
    if reverse:  # costs from t: relax arcs grouped by their head
        wr, other, rows, starts = w[g.rorder], g.src[g.rorder], g.rnz_rows, g.rnz_starts
    else:  # costs to t: relax arcs grouped by their tail
        wr, other, rows, starts = w, g.dst, g.nz_rows, g.nz_starts
    for h in range(1, depth + 1):
        D[h] = D[h - 1]
        if len(wr):
            cand = wr + D[h - 1][other]
            m = np.minimum.reduceat(cand, starts)
            D[h, rows] = np.minimum(D[h - 1, rows], m)
        D[h, t] = 0.0
        if np.array_equal(D[h], D[h - 1]):
            D[h + 1:] = D[h]
            break
    return D


def _min_layer(D: np.ndarray, vs: np.ndarray, L: int) -> np.ndarray:
    """For each node, the fewest arcs achieving its best cost within L arcs."""
    sub = D[: L + 1][:, vs]
    ok = _close(sub, D[L, vs][None, :]) & np.isfinite(sub)
    return np.argmax(ok, axis=0)


def _spur_layered(g, s, t, blocked, arcs, budget):
    D = _layers(g, t, blocked, budget - 1, reverse=False)
    vs = g.dst[arcs]
    c = g.w[arcs] + D[budget - 1, vs]
    if not np.isfinite(c).any():
        return None
    best = np.min(c)
    okk = _close(c, best)
    vs = vs[okk]
    hv = _min_layer(D, vs, budget - 1)
    u = _pick(vs, hv, g.rank[vs])
    q = int(hv[np.flatnonzero(vs == u)[0]])
    path = [s, u]
    while u != t:
        sl = g.row(u)
        vs = g.dst[sl]
        target = D[q, u]
        okk = np.isfinite(D[q - 1, vs]) & _close(g.w[sl] + D[q - 1, vs], target)
        vs = vs[okk]
        u = _pick(vs, g.rank[vs])
        q -= 1
        path.append(u)
    return path


def _hop_counts(g: _Graph, root: int, arcs: np.ndarray, reverse: bool, limit=None) -> np.ndarray:
    """Fewest arcs between ``root`` and every node over the arcs ``arcs`` (to root when ``reverse``)."""
    from scipy import sparse
    from scipy.sparse.csgraph import dijkstra

    if len(arcs) > len(g.src) // 8:  # many arcs: a mask over the CSR order needs no sorting
        mask = np.zeros(len(g.src), dtype=bool)
        mask[arcs] = True
        m = g.matrix(reverse, mask=mask)
    else:
        rows, cols = (g.dst[arcs], g.src[arcs]) if reverse else (g.src[arcs], g.dst[arcs])
        m = sparse.csr_array((np.ones(len(arcs)), (rows, cols)), shape=(g.n, g.n))
    kw = {} if limit is None or not np.isfinite(limit) else {"limit": float(limit)}
    return dijkstra(m, directed=True, indices=root, unweighted=True, **kw)


def _spur_bottleneck(g, s, t, blocked, arcs, budget, cap):
    """Widest spur path: the largest threshold at which t is still reachable (binary search).

    Each step is one breadth-first search over the arcs at or above the
    threshold; then the fewest-hops, smallest-ids path at that threshold.
    """
    order, vdesc, distinct = g.by_value()
    vs0 = g.dst[arcs]
    v0 = np.minimum(g.value[arcs], cap)
    lim = np.inf if budget is None else budget - 1
    thetas = distinct[distinct < cap]
    if np.any(distinct >= cap):
        thetas = np.concatenate([[cap], thetas])
    cache: dict[int, tuple] = {}

    def feasible(i):
        if i not in cache:
            theta = thetas[i]
            a = order[: int(np.searchsorted(-vdesc, -theta, side="right"))]
            a = a[~blocked[g.src[a]] & ~blocked[g.dst[a]]]
            h = _hop_counts(g, t, a, reverse=True, limit=lim)
            ok = (v0 >= theta) & np.isfinite(h[vs0]) & (h[vs0] <= lim)
            cache[i] = (h, ok)
        return cache[i][1].any()

    if len(thetas) == 0 or not feasible(len(thetas) - 1):
        return None
    lo, hi = -1, len(thetas) - 1  # thetas[lo] infeasible (-1: above every value), thetas[hi] feasible
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid
    theta = thetas[hi]
    h, ok = cache[hi]
    vs = vs0[ok]
    u = _pick(vs, h[vs], g.rank[vs])
    path = [s, u]
    while u != t:
        sl = g.row(u)
        vs = g.dst[sl]
        okk = ~blocked[vs] & (g.value[sl] >= theta) & (h[vs] == h[u] - 1)
        vs = vs[okk]
        u = _pick(vs, g.rank[vs])
        path.append(u)
    return path


# ----------------------------------------------------- single source (access)
def _single_source(g: _Graph, s: int, targets: np.ndarray, max_hops: int | None) -> list:
    """The best path (by :meth:`_Graph.key`) from s to each target, or None."""
    from scipy.sparse.csgraph import dijkstra

    if g.by == "value":
        return _single_source_value(g, s, targets, max_hops)
    out: list = [None] * len(targets)
    if max_hops is None:
        d = dijkstra(g.matrix(False), directed=True, indices=s)
        if g.by == "hops":
            h = d
            tight = np.isfinite(d[g.src]) & (d[g.dst] == d[g.src] + 1)
        else:
            fin = np.flatnonzero(np.isfinite(d[g.src]) & np.isfinite(d[g.dst]))
            tight = np.zeros(len(g.src), dtype=bool)
            tight[fin] = _close(d[g.src[fin]] + g.w[fin], d[g.dst[fin]])
            h = dijkstra(g.matrix(False, mask=tight), directed=True, indices=s, unweighted=True)
        layer_arcs = []
        hs, hd = h[g.src], h[g.dst]
        cand = np.flatnonzero(tight & np.isfinite(hs) & (hd == hs + 1))
        depth = int(np.max(h[np.isfinite(h)])) if np.isfinite(h).any() else 0
        by_layer = hd[cand]
        order = np.argsort(by_layer, kind="stable")
        cand, by_layer = cand[order], by_layer[order]
        bounds = np.searchsorted(by_layer, np.arange(1, depth + 2))
        for j in range(1, depth + 1):
            layer_arcs.append(cand[bounds[j - 1]:bounds[j]])
        preds = _rank_layers(g, s, layer_arcs)
        for i, t in enumerate(targets):
            if np.isfinite(h[t]):
                out[i] = _trace(preds, s, int(t), int(h[t]))
        return out
    # hop-limited: layered costs from s
    blocked = np.zeros(g.n, dtype=bool)
    D = _layers(g, s, blocked, max_hops, reverse=True)
    layer_arcs = []
    for j in range(1, max_hops + 1):
        with np.errstate(invalid="ignore"):
            improved = D[j] < D[j - 1] - _TOL * np.maximum(1.0, np.abs(D[j]))
        a = np.flatnonzero(improved[g.dst] & np.isfinite(D[j - 1][g.src]))
        a = a[_close(D[j - 1][g.src[a]] + g.w[a], D[j][g.dst[a]])]
        layer_arcs.append(a)
    preds = _rank_layers(g, s, layer_arcs)
    for i, t in enumerate(targets):
        if np.isfinite(D[max_hops, t]):
            q = int(_min_layer(D, np.array([t]), max_hops)[0])
            out[i] = _trace(preds, s, int(t), q)
    return out


def _toward(g: _Graph, layer_arcs: list[np.ndarray], targets: np.ndarray) -> list[np.ndarray]:
    """Keep only the layered arcs that lead to ``targets`` (walking the layers backwards)."""
    keep: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(layer_arcs)
    reach = np.unique(targets)
    for j in range(len(layer_arcs), 0, -1):
        a = layer_arcs[j - 1]
        a = a[np.isin(g.dst[a], reach)]
        keep[j - 1] = a
        reach = np.union1d(reach, g.src[a])
    return keep


def _rank_layers(g: _Graph, s: int, layer_arcs: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Lexicographically smallest path prefix per (layer, node).

    ``layer_arcs[j-1]`` are the arcs allowed into layer j (from states of
    layer j-1). Returns, per layer, the sorted nodes and their predecessor.
    """
    prev_nodes = np.array([s], dtype=np.int64)
    prev_rho = np.array([0], dtype=np.int64)
    preds = []
    for a in layer_arcs:
        if len(a) == 0 or len(prev_nodes) == 0:
            preds.append((np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)))
            prev_nodes = np.zeros(0, dtype=np.int64)
            continue
        su, dv = g.src[a], g.dst[a]
        loc = np.searchsorted(prev_nodes, su)
        loc = np.minimum(loc, len(prev_nodes) - 1)
        valid = prev_nodes[loc] == su
        su, dv, loc = su[valid], dv[valid], loc[valid]
        rho = prev_rho[loc]
        o = np.lexsort((rho, dv))
        dv, su, rho = dv[o], su[o], rho[o]
        firstm = np.ones(len(dv), dtype=bool)
        firstm[1:] = dv[1:] != dv[:-1]
        nodes, pred, prho = dv[firstm], su[firstm], rho[firstm]
        # rank the new layer by (predecessor's rank, own id rank)
        order = np.lexsort((g.rank[nodes], prho))
        new_rho = np.empty(len(nodes), dtype=np.int64)
        new_rho[order] = np.arange(len(nodes))
        preds.append((nodes, pred))
        prev_nodes, prev_rho = nodes, new_rho
    return preds


def _trace(preds, s: int, t: int, q: int) -> list[int] | None:
    path = [t]
    u = t
    for j in range(q, 0, -1):
        nodes, pred = preds[j - 1]
        i = int(np.searchsorted(nodes, u))
        if i >= len(nodes) or nodes[i] != u:
            return None
        u = int(pred[i])
        path.append(u)
    if u != s:
        return None
    return path[::-1]


def _single_source_value(g: _Graph, s: int, targets: np.ndarray, max_hops: int | None) -> list:
    """Widest paths from s: bottleneck by max-min relaxation, then fewest hops and ids per bottleneck."""
    out: list = [None] * len(targets)
    W = np.full(g.n, -np.inf)
    W[s] = np.inf
    vr, other, rows, starts = g.value[g.rorder], g.src[g.rorder], g.rnz_rows, g.rnz_starts
    steps = 0
    while max_hops is None or steps < max_hops:
        steps += 1
        if len(vr) == 0:
            break
        cand = np.minimum(W[other], vr)
        m = np.maximum.reduceat(cand, starts)
        new = W.copy()
        new[rows] = np.maximum(W[rows], m)
        new[s] = np.inf
        if np.array_equal(new, W):
            break
        W = new
    groups: dict[float, list[int]] = {}
    for i, t in enumerate(targets):
        if W[t] > -np.inf:
            groups.setdefault(float(W[t]), []).append(i)
    by_val, vdesc, _ = g.by_value()
    for theta, idx in groups.items():
        usable = by_val[: int(np.searchsorted(-vdesc, -theta, side="right"))]  # the arcs worth >= theta
        h = _hop_counts(g, s, usable, reverse=False, limit=max_hops)
        hs, hd = h[g.src[usable]], h[g.dst[usable]]
        cand = usable[np.isfinite(hs) & (hd == hs + 1)]
        depth = int(max(h[targets[i]] for i in idx))
        by_layer = h[g.dst[cand]]
        order = np.argsort(by_layer, kind="stable")
        cand, by_layer = cand[order], by_layer[order]
        bounds = np.searchsorted(by_layer, np.arange(1, depth + 2))
        layer_arcs = [cand[bounds[j - 1]:bounds[j]] for j in range(1, depth + 1)]
        preds = _rank_layers(g, s, _toward(g, layer_arcs, targets[idx]))
        for i in idx:
            t = int(targets[i])
            out[i] = _trace(preds, s, t, int(h[t]))
    return out


# ---------------------------------------------------------------- describe
def _describe(g: _Graph, nodes: list[int]) -> dict:
    arcs = g.arcs_of(nodes)
    ids = [g.ids[x] for x in nodes]
    names = [g.name(x) for x in nodes]
    st = g.strength[arcs]
    val = g.value[arcs]
    types = [g.type_names[c] + (" (upstream)" if up else "") for c, up in zip(g.tcode[arcs], g.up[arcs])]
    if g.by == "value":
        j = int(np.argmin(val))
        score = float(val.min())
    else:
        j = int(np.argmin(st))
        score = float(np.prod(st)) if g.by == "strength" else float(len(arcs))
    hops = len(arcs)
    return {
        "target": ids[-1],
        "target_name": names[-1],
        "hops": hops,
        "score": score,
        "strength": float(np.prod(st)),
        "min_value": float(val.min()),
        "first_intermediary": ids[1] if hops > 1 else "",
        "first_intermediary_name": names[1] if hops > 1 else "",
        "weakest_tie": f"{ids[j]} - {ids[j + 1]} {g.type_names[g.tcode[arcs[j]]]}",
        "weakest_strength": float(st[j]),
        "path": " > ".join(ids),
        "path_names": " > ".join(names),
        "tie_types": " > ".join(types),
        "tie_strengths": " > ".join(f"{x:.2f}" for x in st),
        "nodes": tuple(ids),
    }


def _types(df: pd.DataFrame) -> pd.DataFrame:
    for c in ("rank", "hops"):
        if c in df.columns:
            df[c] = pd.array(df[c], dtype="Int64") if df[c].isna().any() else df[c].astype(np.int64)
    for c in ("score", "strength", "min_value", "weakest_strength"):
        if c in df.columns:
            df[c] = df[c].astype(float)
    for c in ("first_intermediary", "first_intermediary_name", "weakest_tie", "path", "path_names",
              "tie_types", "tie_strengths", "reason", "target", "target_name", "id", "name"):
        if c in df.columns:
            col = df[c].astype(object)
            df[c] = col.where(col.notna(), "")
    return df


_SCORE_TEXT = {
    "strength": "product of tie strengths along the path (higher is more reliable)",
    "hops": "number of ties (fewer is better)",
    "value": "smallest annual tie value along the path (higher is better; a tie without value counts 0)",
}


def _meta(network, g, focal, what, by, max_hops, directed, day) -> dict:
    return {
        "focal": f"{focal} ({network.name(focal)})",
        "target": what,
        "by": by,
        "score": _SCORE_TEXT[by],
        "tie_break": "fewer hops, then organisation ids along the path",
        "directed": directed,
        "ties_read": "in the flow direction (symmetric ties both ways)" if directed else "both ways",
        "max_hops": max_hops if max_hops is not None else "none",
        "as_of": day.date().isoformat(),
        "active_ties": int(g.net.n_edges),
        "inactive_ties_left_out": int(network.n_edges - g.net.n_edges),
    }


def _reachable(net: Network, s: int, directed: bool) -> np.ndarray:
    """Hop distances from s over all ties of ``net`` (symmetric ties both ways)."""
    from scipy import sparse
    from scipy.sparse.csgraph import dijkstra

    e = net.edges
    u, v = net.endpoints()
    back = e["symmetric"].to_numpy(dtype=bool) if directed else np.ones(len(e), dtype=bool)
    rows, cols = np.concatenate([u, v[back]]), np.concatenate([v, u[back]])
    adj = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(net.n_nodes, net.n_nodes))
    return dijkstra(adj, directed=True, indices=s, unweighted=True)


def _unreachable_reasons(network, g, focal, ids, max_hops, directed, day) -> dict[str, str]:
    s = network.index[focal]
    h_act = _reachable(g.net, s, directed)
    h_und = _reachable(g.net, s, False) if directed else h_act
    h_all = None
    out = {}
    for x in ids:
        p = network.index[x]
        if np.isfinite(h_act[p]):
            out[x] = f"no path within {max_hops} hops (the shortest has {int(h_act[p])})"
        elif directed and np.isfinite(h_und[p]):
            out[x] = "no path following the flow direction (reachable when ties are read both ways)"
        else:
            if h_all is None:
                h_all = _reachable(network, s, False)
            if np.isfinite(h_all[p]):
                out[x] = f"no path through ties active on {day.date().isoformat()} (only through ended or future ties)"
            else:
                out[x] = "not connected to the focal organisation"
    return out


def _no_path_reason(network, g, focal, targets, by, max_hops, directed, day) -> str:
    why = _unreachable_reasons(network, g, focal, targets, max_hops, directed, day)
    if len(targets) == 1:
        return f"no path to {targets[0]}: {why[targets[0]]}"
    return f"no path to any of the {len(targets)} holders"
