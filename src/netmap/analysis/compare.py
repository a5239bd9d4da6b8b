"""What changed between two snapshots of a network: organisations, ties, the focal's dependency and position.

:func:`compare_networks` matches two snapshots -- organisations by ``id``;
ties by the identity of the duplicate rule (source, target, type and category
ignoring case; symmetric types in either order) -- and returns one table per
section (see :data:`SECTIONS`). The focal organisation's sections (dependency,
sales, centrality, communities, opportunities) are in
:mod:`netmap.analysis.compare_focal`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import choices, number, whole_number
from ..errors import ArgumentError
from ..network import Network
from ..result import Result
from ..schema import QUALITIES, SYMMETRIC_TYPES
from ..values import fmt_number
from ..view import FocalView, focal_view
from . import compare_focal
from .compare_focal import focal_partners

__all__ = ["compare_networks", "tie_identity", "tie_changes", "organisation_changes", "relationship_health",
           "SECTIONS", "TITLES", "Snapshot"]

#: The sections of a comparison, in reading order.
SECTIONS = ("summary", "organisations", "ties", "dependency", "sales", "centrality", "communities",
            "opportunities", "health")
#: A heading per section.
TITLES = {
    "summary": "What changed, in numbers",
    "organisations": "Organisations added, removed or renamed",
    "ties": "Ties added, ended or changed",
    "dependency": "The focal organisation's supply concentration per input category, before and after",
    "sales": "Sales concentration per channel, before and after",
    "centrality": "Risers and fallers in PageRank, betweenness and brokerage; new brokers",
    "communities": "Organisations that moved to another community",
    "opportunities": "Opportunities realised: the earlier shortlist and which candidates became partners",
    "health": "Relationship health: weaker ties, partners and customers lost",
}
#: The columns that make a tie's identity (``category_key`` is the category case-folded).
KEY = ["source_key", "target_key", "type", "category_key"]
_TOL = 1e-9


@dataclass
class Snapshot:
    """One side of a comparison: its focal view and a label for people (``before`` / ``after``)."""

    view: FocalView
    label: str

    @property
    def network(self) -> Network:
        """The ties active on the snapshot's date (every organisation kept)."""
        return self.view.network


def compare_networks(
    before: Network | FocalView,
    after: Network | FocalView,
    *,
    focal: str | None = None,
    before_as_of=None,
    after_as_of=None,
    drop: float = 0.2,
    k: int = 20,
    top: int = 10,
    seed: int = 0,
    sections=None,
) -> Result:
    """Compare two snapshots of one network (or one network on two dates).

    Parameters
    ----------
    before, after : Network or FocalView
        The earlier and the later snapshot (the same Network twice with two
        dates compares one data set over time).
    focal : str, optional
        The focal organisation; by default the one marked focal, which must
        be the same in both snapshots.
    before_as_of, after_as_of : date or str, optional (default=today)
        The date whose active ties count in each snapshot.
    drop : float (default=0.2)
        A tie of the focal organisation whose strength fell by at least this
        much is listed under ``health``.
    k : int (default=20)
        Length of the earlier shortlist checked under ``opportunities``.
    top : int (default=10)
        Risers, fallers and new brokers listed per measure.
    seed : int (default=0)
        Seed of the random shortlist and of the community detection.
    sections : iterable of str, optional
        Which sections to compute (all by default; ``summary`` is always there).

    Returns
    -------
    Result
        One table per section (:data:`SECTIONS`); the main table is
        ``summary``: ``item``, ``before``, ``after``, ``change``, ``reason``.
        ``organisations``: ``id``, ``change`` (added, removed, renamed, roles
        changed), ``name``, ``name_before``, ``roles_before``, ``roles_after``,
        ``reason``. ``ties``: ``source``, ``target`` (as in the later
        snapshot; the earlier for ended ties), their names, ``type``,
        ``category``, ``change`` (added, ended, changed), ``value_before``,
        ``value_after``, ``value_change`` (an added tie counts from 0, an ended
        one to 0), ``value_change_pct`` (of the earlier value),
        ``strength_before``, ``strength_after``, ``strength_change``,
        ``<quality>_change`` for each quality, ``reason``. The other tables
        are described in :mod:`netmap.analysis.compare_focal` and for
        ``health`` in :func:`relationship_health`.

    Raises
    ------
    ArgumentError
        When the snapshots mark different focal organisations and ``focal``
        is not given; for a bad ``drop``, ``k``, ``top``, ``seed`` or section.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> r = compare_networks(net, net, before_as_of="2020-06-30", after_as_of="2024-06-30",
    ...                      sections=["ties"])
    >>> r["ties"][["source", "target", "change"]].values.tolist()
    [['S2', 'F1', 'added'], ['F1', 'R1', 'added'], ['D1', 'C2', 'ended']]
    """
    drop = number(drop, "drop", low=0, high=1)
    k = whole_number(k, "k")
    top = whole_number(top, "top")
    seed = whole_number(seed, "seed", minimum=0)
    wanted = set(SECTIONS if sections is None else choices(list(sections), "sections", SECTIONS, what="section"))
    wanted.add("summary")
    bnet = before.full if isinstance(before, FocalView) else before
    anet = after.full if isinstance(after, FocalView) else after
    focal = _common_focal(bnet, anet, focal)
    b = Snapshot(focal_view(bnet, focal, before_as_of), "before")
    a = Snapshot(focal_view(anet, focal, after_as_of), "after")
    tables: dict[str, pd.DataFrame] = {}
    ties = tie_changes(b.network, a.network) if wanted & {"ties", "health"} else None
    if "organisations" in wanted:
        tables["organisations"] = organisation_changes(bnet, anet)
    if "ties" in wanted:
        tables["ties"] = ties
    if "dependency" in wanted:
        tables["dependency"] = compare_focal.dependency_changes(b.view, a.view)
    if "sales" in wanted:
        tables["sales"] = compare_focal.sales_changes(b.view, a.view)
    if "centrality" in wanted:
        tables["centrality"] = compare_focal.position_changes(b.network, a.network, top=top)
    if "communities" in wanted:
        tables["communities"] = compare_focal.community_moves(b.network, a.network, seed=seed)
    opp_meta: dict = {}
    if "opportunities" in wanted:
        tables["opportunities"], opp_meta = compare_focal.opportunities_realised(b.view, a.view, k=k, seed=seed)
    if "health" in wanted:
        tables["health"] = relationship_health(b.view, a.view, ties, drop=drop)
    summary = _summary(b, a, tables, opp_meta)
    out = {"summary": summary, **{s: tables[s] for s in SECTIONS if s in tables}}
    meta = {
        "focal": focal,
        "focal_name": a.view.name,
        "before": bnet.source or "(before)",
        "after": anet.source or "(after)",
        "before_as_of": b.view.as_of,
        "after_as_of": a.view.as_of,
        "drop": drop,
        "k": k,
        "top": top,
        "seed": seed,
        "tie_identity": "source, target, type and category (ignoring case); symmetric types in either order",
        "organisation_identity": "id; a changed name is a rename",
        "value_change_pct": "the change as a share of the earlier value (empty when that was 0 or missing)",
        **compare_focal.DEFINITIONS,
        **opp_meta,
    }
    return Result(out, meta, titles={s: TITLES[s] for s in out}, main="summary")


def _common_focal(before: Network, after: Network, focal: str | None) -> str:
    if focal is not None:
        before.resolve_focal(focal)
        return after.resolve_focal(focal)
    fb, fa = before.resolve_focal(None), after.resolve_focal(None)
    if fb != fa:
        raise ArgumentError(f"the snapshots mark different focal organisations ({fb} before, {fa} after); "
                            "name the one to compare", param="focal")
    return fa


# ------------------------------------------------------------------ organisations
def organisation_changes(before: Network, after: Network) -> pd.DataFrame:
    """Organisations added, removed, renamed or with other roles, matched by id (see :func:`compare_networks`)."""
    cols = ["id", "change", "name", "name_before", "roles_before", "roles_after", "reason"]
    nb = before.nodes[["id", "name", "roles"]]
    na = after.nodes[["id", "name", "roles"]]
    m = nb.merge(na, on="id", how="outer", suffixes=("_before", "_after"), indicator=True)
    rb = m["roles_before"].map(lambda r: ";".join(r) if isinstance(r, tuple) else "")
    ra = m["roles_after"].map(lambda r: ";".join(r) if isinstance(r, tuple) else "")
    both = (m["_merge"] == "both").to_numpy()
    renamed = both & (m["name_before"] != m["name_after"]).to_numpy()
    reroled = both & (rb.map(lambda s: tuple(sorted(s.split(";")))) != ra.map(lambda s: tuple(sorted(s.split(";"))))).to_numpy()
    change = np.select([(m["_merge"] == "right_only").to_numpy(), (m["_merge"] == "left_only").to_numpy(), renamed,
                        reroled], ["added", "removed", "renamed", "roles changed"], "")
    keep = change != ""
    m, rb, ra, change = m[keep], rb[keep], ra[keep], change[keep]
    name = m["name_after"].where(m["name_after"].notna(), m["name_before"])
    reasons = []
    for c, nb_, na_, r0, r1 in zip(change, m["name_before"], m["name_after"], rb, ra):
        if c == "added":
            reasons.append(f"new in the later snapshot, as {r1.replace(';', ', ')}")
        elif c == "removed":
            reasons.append(f"no longer in the data; was {r0.replace(';', ', ')}")
        elif c == "renamed":
            extra = f"; roles {r0} -> {r1}" if sorted(r0.split(";")) != sorted(r1.split(";")) else ""
            reasons.append(f"renamed from '{nb_}' to '{na_}'{extra}")
        else:
            reasons.append(f"roles {r0.replace(';', ', ')} -> {r1.replace(';', ', ')}")
    out = pd.DataFrame({"id": m["id"].to_numpy(), "change": change, "name": name.to_numpy(),
                        "name_before": m["name_before"].where(m["name_before"].notna(), "").to_numpy(),
                        "roles_before": rb.to_numpy(), "roles_after": ra.to_numpy(), "reason": reasons},
                       columns=cols)
    order = {"added": 0, "removed": 1, "renamed": 2, "roles changed": 3}
    out["_o"] = out["change"].map(order)
    return out.sort_values(["_o", "id"], kind="stable").drop(columns="_o").reset_index(drop=True)


# ------------------------------------------------------------------ ties
def tie_identity(edges: pd.DataFrame) -> pd.DataFrame:
    """The identity of each tie: :data:`KEY` columns (endpoints ordered for symmetric types, category case-folded).

    >>> e = pd.DataFrame({"source": ["B", "A"], "target": ["A", "B"], "type": ["PARTNERS_WITH", "SUPPLIES"],
    ...                   "category": ["", "Steel"]})
    >>> tie_identity(e).values.tolist()
    [['A', 'B', 'PARTNERS_WITH', ''], ['A', 'B', 'SUPPLIES', 'steel']]
    """
    s = edges["source"].astype(str).to_numpy(dtype=object)
    t = edges["target"].astype(str).to_numpy(dtype=object)
    sym = edges["type"].isin(SYMMETRIC_TYPES).to_numpy()
    swap = sym & (s > t) if len(s) else np.zeros(0, dtype=bool)
    cat = edges["category"].fillna("").astype(str).str.casefold() if "category" in edges else pd.Series("", index=edges.index)
    return pd.DataFrame({"source_key": np.where(swap, t, s), "target_key": np.where(swap, s, t),
                         "type": edges["type"].astype(str).to_numpy(), "category_key": cat.to_numpy()},
                        index=edges.index)


_TIE_COLUMNS = ["source", "target", "source_name", "target_name", "type", "category", "change", "value_before",
                "value_after", "value_change", "value_change_pct", "strength_before", "strength_after",
                "strength_change", *[f"{q}_change" for q in QUALITIES], "reason"]


def _int_keys(before: pd.DataFrame, after: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One int64 per tie identity, equal across the two edge tables exactly where the identities are equal."""
    n_b = len(before)
    both = pd.concat([before[["source", "target", "type", "category"]], after[["source", "target", "type",
                                                                               "category"]]], ignore_index=True)
    ids, _ = pd.factorize(pd.concat([both["source"], both["target"]], ignore_index=True))
    s, t = ids[: len(both)].astype(np.int64), ids[len(both):].astype(np.int64)
    sym = both["type"].isin(SYMMETRIC_TYPES).to_numpy()
    # symmetric ties: the endpoints in id order (codes of ids are not in id order, so compare the ids)
    src_txt, tgt_txt = both["source"].to_numpy(dtype=object), both["target"].to_numpy(dtype=object)
    swap = np.zeros(len(both), dtype=bool)
    if sym.any():
        swap[sym] = src_txt[sym] > tgt_txt[sym]
    a, b = np.where(swap, t, s), np.where(swap, s, t)
    types, _ = pd.factorize(both["type"])
    cats, uniq = pd.factorize(both["category"].fillna("").astype(str))
    folded, _ = pd.factorize(pd.Index(uniq).str.casefold())
    cat = folded[cats] if len(folded) else cats
    key = np.zeros(len(both), dtype=np.int64)
    size = 1
    for part in (a, b, types, cat):  # mixed radix, renumbered before it could overflow
        part = np.asarray(part, dtype=np.int64)
        radix = int(part.max(initial=0)) + 1
        if size * radix >= 2**62:
            key, _ = pd.factorize(key)
            key = key.astype(np.int64)
            size = int(key.max(initial=0)) + 1
        key, size = key * radix + part, size * radix
    return key[:n_b], key[n_b:]


def _first_per_key(key: np.ndarray, e: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys and, per key, the row kept (a tie listed twice: the smallest value, then strength)."""
    order = np.argsort(key, kind="stable")
    k = key[order]
    if len(k) and (k[1:] == k[:-1]).any():  # some tie listed twice (a network built by hand): choose by figures
        v = e["value"].to_numpy(dtype=float, na_value=np.nan)
        st = e["strength"].to_numpy(dtype=float, na_value=np.nan)
        order = np.lexsort((st, v, key))
        k = key[order]
    first = np.ones(len(k), dtype=bool)
    first[1:] = k[1:] != k[:-1]
    return k[first], order[first]


def tie_changes(before: Network, after: Network) -> pd.DataFrame:
    """Ties added, ended and changed between two networks (see :func:`compare_networks` for the columns)."""
    eb, ea = before.edges, after.edges
    kb, ka = _int_keys(eb, ea)
    ub, rb = _first_per_key(kb, eb)
    ua, ra = _first_per_key(ka, ea)
    _, ib, ia = np.intersect1d(ub, ua, assume_unique=True, return_indices=True)
    ended_rows = rb[~np.isin(ub, ua, assume_unique=True)]
    added_rows = ra[~np.isin(ua, ub, assume_unique=True)]
    mb, ma = rb[ib], ra[ia]

    def col(e, c, rows):
        return e[c].to_numpy(dtype=float, na_value=np.nan)[rows] if c in e else np.full(len(rows), np.nan)

    differs = np.zeros(len(mb), dtype=bool)
    for c in ("value", "strength", *QUALITIES):
        x, y = col(eb, c, mb), col(ea, c, ma)
        differs |= (np.isnan(x) != np.isnan(y)) | (np.abs(np.nan_to_num(x) - np.nan_to_num(y)) > _TOL)
    mb, ma = mb[differs], ma[differs]
    n_add, n_end, n_chg = len(added_rows), len(ended_rows), len(mb)
    nan_a, nan_e = np.full(n_add, np.nan), np.full(n_end, np.nan)

    def pair(c):
        before_vals = np.concatenate([nan_a, col(eb, c, ended_rows), col(eb, c, mb)])
        after_vals = np.concatenate([col(ea, c, added_rows), nan_e, col(ea, c, ma)])
        return before_vals, after_vals

    def text(c):
        return np.concatenate([ea[c].take(added_rows).to_numpy(dtype=object),
                               eb[c].take(ended_rows).to_numpy(dtype=object), ea[c].take(ma).to_numpy(dtype=object)])

    change = np.array(["added"] * n_add + ["ended"] * n_end + ["changed"] * n_chg, dtype=object)
    vb, va = pair("value")
    added, ended = change == "added", change == "ended"
    value_change = np.where(added, va, np.where(ended, -vb, va - vb))
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(~added & ~ended & (vb > 0), (va - vb) / np.where(vb > 0, vb, 1.0), np.nan)
    sb, sa = pair("strength")
    src, tgt = text("source"), text("target")
    cat = pd.Series(text("category")).fillna("").to_numpy(dtype=object)
    names = {**before.names, **after.names} if len(change) else {}
    out = pd.DataFrame({
        "source": src, "target": tgt,
        "source_name": [names.get(x, x) for x in src], "target_name": [names.get(x, x) for x in tgt],
        "type": text("type"), "category": cat, "change": change,
        "value_before": vb, "value_after": va, "value_change": value_change, "value_change_pct": pct,
        "strength_before": sb, "strength_after": sa, "strength_change": sa - sb,
        **{f"{q}_change": np.subtract(*pair(q)[::-1]) for q in QUALITIES},
    })
    out["reason"] = _tie_reasons(out)
    out["_o"] = pd.Series(change).map({"added": 0, "ended": 1, "changed": 2}).to_numpy()
    out["_v"] = -np.abs(np.nan_to_num(value_change))
    out = out.sort_values(["_o", "_v", "source", "target", "type", "category"], kind="stable")
    return out.drop(columns=["_o", "_v"]).reset_index(drop=True)[_TIE_COLUMNS]


def _tie_reasons(out: pd.DataFrame) -> list[str]:
    cols = ["source_name", "type", "target_name", "category", "change", "value_before", "value_after",
            "value_change_pct", "strength_before", "strength_after", "strength_change",
            *[f"{q}_change" for q in QUALITIES]]
    return [_tie_reason(*row) for row in zip(*(out[c].tolist() for c in cols))]


def _money(x: float) -> str:
    """:func:`~netmap.values.fmt_number` of an amount, quick for whole amounts (most tie values)."""
    return f"{x:,.0f}" if x == x and (x >= 1000 or x.is_integer()) and x < 1e300 else fmt_number(x)


_VERBS = {}


def _tie_reason(sname, typ, tname, category, change, vb, va, pct, sb, sa, ds, *dq) -> str:
    verb = _VERBS.get(typ) or _VERBS.setdefault(typ, typ.lower().replace("_", " "))
    what = f"{sname} {verb} {tname} ({category})" if category else f"{sname} {verb} {tname}"
    if change == "added":
        return f"new tie: {what}, worth {_money(va)} a year" if va == va else f"new tie: {what}"
    if change == "ended":
        return f"tie ended: {what}, was worth {_money(vb)} a year" if vb == vb else f"tie ended: {what}"
    parts = []
    if (vb == vb) != (va == va) or (vb == vb and abs(va - vb) > _TOL):
        p = f" ({pct:+.0%})" if pct == pct else ""
        parts.append(f"value {_money(vb) or 'none'} -> {_money(va) or 'none'}{p}")
    if abs(ds) > _TOL:
        moved = [f"{q.replace('_', ' ')} {d:+.2f}" for q, d in zip(QUALITIES, dq) if d == d and abs(d) > _TOL]
        parts.append(f"strength {sb:.2f} -> {sa:.2f}" + (f" ({', '.join(moved)})" if moved else ""))
    return f"{what}: " + ("; ".join(parts) if parts else "qualities recorded differently")


# ------------------------------------------------------------------ relationship health
_HEALTH_COLUMNS = ["kind", "id", "name", "roles", "type", "category", "strength_before", "strength_after",
                   "strength_change", "value_before", "clv", "reason"]


def relationship_health(before: FocalView, after: FocalView, ties: pd.DataFrame | None = None, *,
                        drop: float = 0.2) -> pd.DataFrame:
    """The focal organisation's weaker ties, lost partners and lost customers.

    Returns one row per finding: ``kind`` (``strength fell``: a tie of the
    focal in both snapshots whose strength fell by at least ``drop``;
    ``customer lost``: a partner with the role customer that has no active
    tie with the focal any more, with its ``clv``; ``partner lost``: any other
    such partner), ``id`` and ``name`` of the partner, ``roles``, ``type`` and
    ``category`` of the tie, ``strength_before`` / ``_after`` / ``_change``,
    ``value_before`` (of the tie; for a lost partner, of all its ties with
    the focal), ``clv``, ``reason``.
    """
    focal = after.focal
    if ties is None:
        ties = tie_changes(before.network, after.network)
    rows = []
    mine = ties[(ties["change"] == "changed") & ((ties["source"] == focal) | (ties["target"] == focal))
                & (ties["strength_change"] <= -drop + _TOL)]
    nodes_b = before.full.nodes.set_index("id")
    nodes_a = after.full.nodes.set_index("id")
    for r in mine.itertuples(index=False):
        pid = r.target if r.source == focal else r.source
        pname = r.target_name if r.source == focal else r.source_name
        roles = nodes_a.at[pid, "roles"] if pid in nodes_a.index else ()
        rows.append({"kind": "strength fell", "id": pid, "name": pname, "roles": ";".join(roles), "type": r.type,
                     "category": r.category, "strength_before": r.strength_before,
                     "strength_after": r.strength_after, "strength_change": r.strength_change,
                     "value_before": r.value_before, "clv": np.nan,
                     "reason": f"the relationship weakened: {r.reason.split(': ', 1)[-1]}"})
    pb, pa = focal_partners(before), focal_partners(after)
    for pid in sorted(set(pb) - set(pa)):
        roles = nodes_b.at[pid, "roles"] if pid in nodes_b.index else ()
        customer = "customer" in roles
        clv = float(nodes_b.at[pid, "clv"]) if customer and "clv" in nodes_b.columns else np.nan
        gone = "" if pid in nodes_a.index else " (no longer in the data)"
        types, cats, value = pb[pid]
        worth = f", ties worth {fmt_number(value)} a year" if value == value else ""
        clv_text = f", customer lifetime value {fmt_number(clv)}" if clv == clv else ""
        rows.append({"kind": "customer lost" if customer else "partner lost", "id": pid,
                     "name": nodes_b.at[pid, "name"] if pid in nodes_b.index else pid, "roles": ";".join(roles),
                     "type": types, "category": cats, "strength_before": np.nan, "strength_after": np.nan,
                     "strength_change": np.nan, "value_before": value, "clv": clv,
                     "reason": f"no active tie with the focal organisation any more{gone}{worth}{clv_text}"})
    out = pd.DataFrame(rows, columns=_HEALTH_COLUMNS)
    if len(out):
        out["_o"] = out["kind"].map({"customer lost": 0, "strength fell": 1, "partner lost": 2})
        out["_v"] = np.where(out["kind"] == "strength fell", out["strength_change"],
                             -np.nan_to_num(out["clv"].to_numpy(dtype=float)) - np.nan_to_num(out["value_before"].to_numpy(dtype=float)))
        out = out.sort_values(["_o", "_v", "id", "type", "category"], kind="stable").drop(columns=["_o", "_v"])
    return out.reset_index(drop=True)


# ------------------------------------------------------------------ summary
def _summary(b: Snapshot, a: Snapshot, tables: dict, opp_meta: dict) -> pd.DataFrame:
    nb, na = b.network, a.network
    rows = [
        ("organisations", b.view.full.n_nodes, a.view.full.n_nodes, _counts(tables.get("organisations"), "change")),
        ("active ties", nb.n_edges, na.n_edges, _counts(tables.get("ties"), "change")),
        ("total value of active ties", _total(nb), _total(na), "the annual value of all active ties"),
        ("partners of the focal organisation", len(focal_partners(b.view)), len(focal_partners(a.view)),
         "organisations with an active tie to or from the focal organisation"),
    ]
    dep = tables.get("dependency")
    if dep is not None and len(dep):
        rows.append(("single-source input categories", int(dep["single_source_before"].sum()),
                     int(dep["single_source_after"].sum()), _flagged(dep, "new single source")))
        rows.append(("highly concentrated input categories", int((dep["hhi_before"] >= 2500).sum()),
                     int((dep["hhi_after"] >= 2500).sum()), _flagged(dep, "now highly concentrated")))
    if "precision_at_k" in opp_meta:
        rows.append(("opportunities realised", np.nan, opp_meta["realised"],
                     (f"{opp_meta['realised']} of the earlier top {opp_meta['shortlist']} became partners "
                      f"(precision {opp_meta['precision_at_k']:.0%}; a random shortlist: "
                      f"{opp_meta['random_precision_at_k']:.0%})")))
    h = tables.get("health")
    if h is not None:
        lost = h[h["kind"] == "customer lost"]
        rows.append(("relationships that weakened", np.nan, int((h["kind"] == "strength fell").sum()),
                     "ties of the focal organisation whose strength fell by at least the drop"))
        rows.append(("customers lost", np.nan, len(lost),
                     f"lifetime value {fmt_number(float(lost['clv'].sum()))}" if len(lost) else "none"))
    out = pd.DataFrame(rows, columns=["item", "before", "after", "reason"])
    out["before"] = pd.to_numeric(out["before"])
    out["after"] = pd.to_numeric(out["after"])
    out.insert(3, "change", out["after"] - out["before"])
    return out


def _total(net: Network) -> float:
    return float(np.nansum(net.edges["value"].to_numpy(dtype=float)))


def _counts(df, col) -> str:
    if df is None:
        return ""
    if not len(df):
        return "no change"
    c = df[col].value_counts()
    return ", ".join(f"{int(c[k])} {k}" for k in sorted(c.index, key=lambda x: (-c[x], x)))


def _flagged(dep: pd.DataFrame, flag: str) -> str:
    hit = dep.loc[dep["flags"].str.contains(flag, regex=False), "category"].tolist()
    return f"{flag}: {', '.join(hit)}" if hit else "none"
