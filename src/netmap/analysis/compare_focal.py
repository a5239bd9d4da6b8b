"""What changed for the focal organisation between two snapshots: dependency, sales, position, communities, opportunities.

The sections of :func:`netmap.analysis.compare.compare_networks` that reuse
the analyses of one snapshot (concentration, centrality, brokerage,
communities, opportunities) on both and line their results up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..network import Network
from ..view import FocalView
from .brokerage import brokerage
from .centrality import EXACT_BETWEENNESS_MAX, centrality
from .communities import communities
from .concentration import (
    HIGHLY_CONCENTRATED,
    sales_channels,
    supply_categories,
    supply_concentration,
)
from .opportunities import opportunities

__all__ = ["partners", "focal_partners", "dependency_changes", "sales_changes", "position_changes", "community_moves",
           "opportunities_realised", "DEFINITIONS", "WINDOW", "LARGE_SAMPLES", "BETWEENNESS_MAX_TIES"]

#: Risers and fallers are looked for among the organisations ranked this high in either snapshot.
WINDOW = 100
#: Above :data:`~netmap.analysis.centrality.EXACT_BETWEENNESS_MAX` organisations betweenness is estimated from this
#: many seeded sources per snapshot (the ranks near the top, where risers and fallers are looked for, are stable).
LARGE_SAMPLES = 64
#: Above this many active ties in either snapshot betweenness is left out (``meta`` says so): even sampled it
#: would cost more than every other section together, and few sources make its rank changes noise.
BETWEENNESS_MAX_TIES = 250_000
#: Definitions behind the columns, for ``meta``.
DEFINITIONS = {
    "hhi": "Herfindahl-Hirschman index of the suppliers' shares of the category's spend, 0-10,000; "
           "highly concentrated from 2,500",
    "rank_change": "earlier rank minus later rank: positive = rose (1 = highest PageRank, betweenness, "
                   "or lowest Burt constraint = strongest broker)",
    "risers_and_fallers": f"among the organisations in the top {WINDOW} of either snapshot, in both snapshots; "
                          f"betweenness exact up to {EXACT_BETWEENNESS_MAX:,} organisations, above estimated from "
                          f"{LARGE_SAMPLES} seeded sources, left out above {BETWEENNESS_MAX_TIES:,} ties",
    "new_broker": "among the top brokers (lowest constraint, at least 2 partners) later, not earlier",
    "community_move": "communities matched by largest overlap: an organisation moved when its later community "
                      "is not the one most of its earlier community went to",
    "opportunities_realised": "a candidate of the earlier shortlist that has an active tie with the focal "
                              "organisation in the later snapshot",
}


# ------------------------------------------------------------------ dependency
_DEP_COLUMNS = ["category", "flags", "spend_before", "spend_after", "suppliers_before", "suppliers_after",
                "hhi_before", "hhi_after", "hhi_change", "level_before", "level_after", "single_source_before",
                "single_source_after", "top_supplier_before", "top_name_before", "top_share_before",
                "top_supplier_after", "top_name_after", "top_share_after", "reason"]


def dependency_changes(before: FocalView, after: FocalView) -> pd.DataFrame:
    """The focal's supply concentration per input category before and after, with flags.

    One row per input category of either snapshot: ``category``, ``flags``
    (``new single source``, ``now highly concentrated`` -- HHI rose to 2,500
    or more --, ``top supplier changed`` -- another supplier now holds a larger
    share than the earlier top one --, ``new category``, ``category
    gone``; ``;``-joined), ``spend``, ``suppliers``, ``hhi``, ``level``,
    ``single_source``, ``top_supplier`` (id), ``top_name`` and ``top_share``
    each ``_before`` and ``_after`` (as
    :func:`~netmap.analysis.concentration.supply_categories` computes them),
    ``hhi_change``, ``reason``. Flagged categories first, then by later HHI.
    """
    cols = ["category", "total_value", "suppliers", "hhi", "level", "single_source", "top_supplier", "top_name",
            "top_share"]
    cb = supply_categories(before).table[cols].rename(columns={"total_value": "spend"})
    ca = supply_categories(after).table[cols].rename(columns={"total_value": "spend"})
    # categories match ignoring case, like the ties (the later spelling is shown)
    cb["_k"], ca["_k"] = cb["category"].str.casefold(), ca["category"].str.casefold()
    m = cb.merge(ca, on="_k", how="outer", suffixes=("_before", "_after"))
    m["category"] = m["category_after"].where(m["category_after"].notna(), m["category_before"])
    for c in ("suppliers_before", "suppliers_after"):
        m[c] = m[c].fillna(0).astype(np.int64)
    for c in ("single_source_before", "single_source_after"):
        m[c] = m[c].astype("boolean").fillna(False).astype(bool)
    for c in ("level_before", "level_after", "top_supplier_before", "top_supplier_after", "top_name_before",
              "top_name_after"):
        m[c] = m[c].where(m[c].notna(), "")
    m["hhi_change"] = m["hhi_after"] - m["hhi_before"]
    # the earlier top supplier's later share: a supplier that still holds the largest share (equal shares) stays top
    sa = supply_concentration(after).table
    share_after = {(c.casefold(), s_): v for c, s_, v in zip(sa["category"], sa["supplier"], sa["share"])}
    still_top = [share_after.get((str(c).casefold(), t), -1.0) >= (ts if ts == ts else 2.0) - 1e-12
                 for c, t, ts in zip(m["category"], m["top_supplier_before"], m["top_share_after"])]
    flags, reasons = [], []
    for r, kept_top in zip(m.itertuples(index=False), still_top):
        f = []
        if r.suppliers_before == 0:
            f.append("new category")
        elif r.suppliers_after == 0:
            f.append("category gone")
        if r.single_source_after and not r.single_source_before and r.suppliers_before:
            f.append("new single source")
        if r.hhi_after >= HIGHLY_CONCENTRATED and not r.hhi_before >= HIGHLY_CONCENTRATED and r.suppliers_before:
            f.append("now highly concentrated")
        if r.suppliers_before and r.suppliers_after and r.top_supplier_before != r.top_supplier_after and not kept_top:
            f.append("top supplier changed")
        flags.append("; ".join(f))
        reasons.append(_dep_reason(r, f))
    m["flags"] = flags
    m["reason"] = reasons
    m["_f"] = m["flags"] == ""
    m = m.sort_values(["_f", "hhi_after", "category"], ascending=[True, False, True], na_position="last",
                      kind="stable")
    return m[_DEP_COLUMNS].reset_index(drop=True)


def _dep_reason(r, flags) -> str:
    if not r.suppliers_before:
        return f"new input category: {r.suppliers_after} supplier(s), HHI {_hhi(r.hhi_after)}"
    if not r.suppliers_after:
        return f"no longer bought from anyone (was {r.suppliers_before} supplier(s))"
    text = f"{r.suppliers_before} -> {r.suppliers_after} supplier(s), HHI {_hhi(r.hhi_before)} -> {_hhi(r.hhi_after)}"
    if "top supplier changed" in flags:
        text += f"; top supplier now {r.top_name_after} ({r.top_share_after:.0%}), was {r.top_name_before}"
    else:
        text += f"; {r.top_name_after} holds {r.top_share_before:.0%} -> {r.top_share_after:.0%}"
    return text


def sales_changes(before: FocalView, after: FocalView) -> pd.DataFrame:
    """Sales concentration per channel before and after.

    One row per channel (``customer``, ``distributor``, ``all``):
    ``partners``, ``total_value``, ``top1_id``, ``top1_share``, ``top5_share``,
    ``hhi`` and ``level`` each ``_before`` and ``_after``
    (:func:`~netmap.analysis.concentration.sales_channels`), ``hhi_change``,
    ``reason``.
    """
    cols = ["channel", "partners", "total_value", "top1_id", "top1_name", "top1_share", "top5_share", "hhi", "level"]
    m = sales_channels(before).table[cols].merge(sales_channels(after).table[cols], on="channel", how="outer",
                                                  suffixes=("_before", "_after"))
    m["hhi_change"] = m["hhi_after"] - m["hhi_before"]
    m["reason"] = [
        f"{r.partners_before} -> {r.partners_after} partner(s); largest share "
        f"{_pct(r.top1_share_before)} -> {_pct(r.top1_share_after)}; HHI {_hhi(r.hhi_before)} -> {_hhi(r.hhi_after)}"
        for r in m.itertuples(index=False)]
    order = {"customer": 0, "distributor": 1, "all": 2}
    m["_o"] = m["channel"].map(order).fillna(3)
    m = m.sort_values(["_o", "channel"], kind="stable").drop(columns="_o")
    out_cols = ["channel"] + [f"{c}_{s}" for c in cols[1:] for s in ("before", "after")] + ["hhi_change", "reason"]
    return m[out_cols].reset_index(drop=True)


def _hhi(x) -> str:
    return f"{x:,.0f}" if x == x and x is not None else "none"


def _pct(x) -> str:
    return f"{x:.0%}" if x == x and x is not None else "none"


# ------------------------------------------------------------------ position
_POS_COLUMNS = ["metric", "movement", "id", "name", "rank_before", "rank_after", "rank_change", "score_before",
                "score_after", "reason"]


def position_changes(before: Network, after: Network, *, top: int = 10) -> pd.DataFrame:
    """Risers and fallers in PageRank, betweenness and brokerage; new brokers.

    One row per (metric, organisation): ``metric`` (``pagerank``,
    ``betweenness`` -- left out above :data:`BETWEENNESS_MAX_TIES` active
    ties --, ``brokerage``), ``movement`` (``rose``, ``fell``, ``new
    broker``), ``id``, ``name``, ``rank_before``, ``rank_after``,
    ``rank_change`` (earlier minus later rank: positive = rose),
    ``score_before``, ``score_after`` (for brokerage: Burt's constraint,
    lower = stronger broker), ``reason``. Up to ``top`` risers and ``top``
    fallers per metric among the organisations in the top :data:`WINDOW` of
    either snapshot, largest moves first.
    """
    frames = []
    metrics = ["pagerank"] + (["betweenness"] if max(before.n_edges, after.n_edges) <= BETWEENNESS_MAX_TIES else [])
    cent_b, cent_a = _cent(before, metrics), _cent(after, metrics)
    for metric in metrics:
        rank = f"rank_{metric}"
        frames.append(_moves(metric, cent_b[["id", metric, rank]], cent_a[["id", metric, rank]], metric, rank, top))
    bb = brokerage(before).table[["id", "constraint", "rank_constraint", "degree"]]
    ba = brokerage(after).table[["id", "constraint", "rank_constraint", "degree"]]
    frames.append(_moves("brokerage", bb, ba, "constraint", "rank_constraint", top))
    ok_b = bb[bb["degree"] >= 2].nsmallest(top, ["rank_constraint"], keep="all")
    ok_a = ba[ba["degree"] >= 2].sort_values(["rank_constraint", "id"]).head(top)
    new = ok_a[~ok_a["id"].isin(set(ok_b["id"]))]
    was = bb.set_index("id")
    nb = pd.DataFrame({
        "metric": "brokerage", "movement": "new broker", "id": new["id"].to_numpy(),
        "rank_before": [float(was.at[i, "rank_constraint"]) if i in was.index else np.nan for i in new["id"]],
        "rank_after": new["rank_constraint"].to_numpy(dtype=float),
        "score_before": [float(was.at[i, "constraint"]) if i in was.index else np.nan for i in new["id"]],
        "score_after": new["constraint"].to_numpy(dtype=float),
    })
    nb["rank_change"] = nb["rank_before"] - nb["rank_after"]
    frames.append(nb)
    out = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else \
        pd.DataFrame(columns=_POS_COLUMNS)
    names = {**before.names, **after.names}
    out["name"] = [names.get(i, i) for i in out["id"]]
    out["reason"] = [_pos_reason(r) for r in out.itertuples(index=False)]
    return out[_POS_COLUMNS].reset_index(drop=True)


def _cent(net: Network, metrics) -> pd.DataFrame:
    samples = LARGE_SAMPLES if net.n_nodes > EXACT_BETWEENNESS_MAX else 256
    return centrality(net, metrics=metrics, sort="pagerank", samples=samples).table


def _moves(metric: str, cb: pd.DataFrame, ca: pd.DataFrame, score: str, rank: str, top: int) -> pd.DataFrame:
    m = cb.merge(ca, on="id", suffixes=("_before", "_after"))
    m = m[(m[f"{rank}_before"] <= WINDOW) | (m[f"{rank}_after"] <= WINDOW)]
    m = m[m[f"{score}_before"].notna() | m[f"{score}_after"].notna()]
    change = (m[f"{rank}_before"] - m[f"{rank}_after"]).astype(float)
    df = pd.DataFrame({"metric": metric, "id": m["id"].to_numpy(),
                       "rank_before": m[f"{rank}_before"].to_numpy(dtype=float),
                       "rank_after": m[f"{rank}_after"].to_numpy(dtype=float), "rank_change": change.to_numpy(),
                       "score_before": m[f"{score}_before"].to_numpy(dtype=float),
                       "score_after": m[f"{score}_after"].to_numpy(dtype=float)})
    up = df[df["rank_change"] > 0].sort_values(["rank_change", "rank_after", "id"], ascending=[False, True, True])
    down = df[df["rank_change"] < 0].sort_values(["rank_change", "rank_before", "id"], ascending=[True, True, True])
    up, down = up.head(top).assign(movement="rose"), down.head(top).assign(movement="fell")
    return pd.concat([up, down], ignore_index=True)


def _pos_reason(r) -> str:
    what = {"pagerank": "PageRank", "betweenness": "betweenness", "brokerage": "brokerage (Burt's constraint)"}[r.metric]
    before = f"rank {int(r.rank_before)}" if r.rank_before == r.rank_before else "not ranked"
    if r.movement == "new broker":
        return (f"now among the strongest brokers (rank {int(r.rank_after)}, was {before.replace('rank ', '')}): "
                "it links partners who are not linked to each other")
    verb = "rose" if r.movement == "rose" else "fell"
    return f"{verb} in {what} from {before} to rank {int(r.rank_after)}"


# ------------------------------------------------------------------ communities
_COMM_COLUMNS = ["id", "name", "community_before", "community_after", "expected_community", "reason"]


def community_moves(before: Network, after: Network, *, seed: int = 0) -> pd.DataFrame:
    """Organisations whose community changed, the communities matched by largest overlap.

    Each earlier community is matched to the later community holding most of
    its members (the lower number on equal counts). One row per organisation
    in a community in both snapshots whose later community is not the match
    of its earlier one: ``id``, ``name``, ``community_before`` and
    ``community_after`` (each snapshot's own numbering, 1 = largest),
    ``expected_community`` (the later community its earlier one matched),
    ``reason``.
    """
    mb = communities(before, seed=seed).members[["id", "community"]]
    ma = communities(after, seed=seed).members[["id", "community"]]
    m = mb.merge(ma, on="id", suffixes=("_before", "_after"))
    if not len(m):
        return pd.DataFrame(columns=_COMM_COLUMNS)
    counts = m.groupby(["community_before", "community_after"]).size().reset_index(name="n")
    counts = counts.sort_values(["community_before", "n", "community_after"], ascending=[True, False, True])
    match = counts.drop_duplicates("community_before").set_index("community_before")["community_after"]
    m["expected_community"] = m["community_before"].map(match)
    moved = m[m["community_after"] != m["expected_community"]].sort_values(["community_after", "id"])
    names = after.names
    # the three most central members of each later community (members come sorted by PageRank within one)
    heads = ma[ma.groupby("community").cumcount().to_numpy() < 3]
    top_of: dict = {}
    for c, i in zip(heads["community"].tolist(), heads["id"].tolist()):
        top_of[c] = f"{top_of[c]}, {names.get(i, i)}" if c in top_of else names.get(i, i)
    moved_ids = moved["id"].to_numpy(dtype=object)
    out = pd.DataFrame({
        "id": moved_ids, "name": [names.get(i, i) for i in moved_ids],
        "community_before": moved["community_before"].to_numpy(), "community_after": moved["community_after"].to_numpy(),
        "expected_community": moved["expected_community"].to_numpy(),
    })
    out["reason"] = [f"left the group of its earlier community {b} (now community {e}) for community {a}, "
                     f"with {top_of.get(a, '')}" for b, e, a in zip(out["community_before"],
                                                                    out["expected_community"], out["community_after"])]
    return out[_COMM_COLUMNS]


# ------------------------------------------------------------------ the focal's partners
def partners(net: Network, focal: str) -> dict[str, tuple[str, str, float]]:
    """Partner id -> (tie types, categories, total value) of the focal's active ties."""
    e = net.edges
    mine = e[((e["source"] == focal) | (e["target"] == focal)).to_numpy(dtype=bool)]
    src, tgt = mine["source"].to_numpy(dtype=object), mine["target"].to_numpy(dtype=object)
    other = np.where(src == focal, tgt, src)
    types: dict[str, set] = {}
    cats: dict[str, set] = {}
    value: dict[str, list] = {}
    for p, t, c, v in zip(other.tolist(), mine["type"].tolist(), mine["category"].fillna("").tolist(),
                          mine["value"].to_numpy(dtype=float, na_value=np.nan).tolist()):
        types.setdefault(p, set()).add(t)
        if c:
            cats.setdefault(p, set()).add(c)
        if v == v:
            value.setdefault(p, []).append(v)
    return {p: (";".join(sorted(types[p])), ";".join(sorted(cats.get(p, ()))),
                float(np.sum(sorted(value[p]))) if p in value else np.nan) for p in sorted(types)}


def focal_partners(view: FocalView) -> dict[str, tuple[str, str, float]]:
    """:func:`partners` of a view's focal organisation, computed once per view."""
    return view.cached("compare_partners", lambda: partners(view.network, view.focal))


# ------------------------------------------------------------------ opportunities
_OPP_COLUMNS = ["rank", "id", "name", "score_before", "realised", "tie_after", "reason"]


def opportunities_realised(before: FocalView, after: FocalView, *, k: int = 20, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """Of the earlier top-``k`` shortlist, which candidates became partners of the focal organisation.

    Returns the table (``rank``, ``id``, ``name``, ``score_before``,
    ``realised``, ``tie_after``: the types of its ties with the focal later,
    ``reason``) and figures for ``meta``: ``shortlist`` (its length),
    ``realised``, ``precision_at_k`` (realised / shortlist),
    ``random_precision_at_k`` (the same for a shortlist of as many
    organisations drawn at random, with ``seed``, from those not tied to the
    focal earlier), ``expected_random_precision`` (the share of those that
    became partners: what a random shortlist finds on average).
    """
    focal = after.focal
    short = opportunities(before, top=k).table
    later = _partner_types(after)
    realised = short["id"].isin(set(later)).to_numpy()
    table = pd.DataFrame({"rank": short["rank"].to_numpy(), "id": short["id"].to_numpy(),
                          "name": short["name"].to_numpy(), "score_before": short["score"].to_numpy(dtype=float),
                          "realised": realised, "tie_after": [later.get(i, "") for i in short["id"]]})
    table["reason"] = [f"became a partner ({t.lower().replace('_', ' ')})" if r else "not a partner yet"
                       for r, t in zip(table["realised"], table["tie_after"])]
    earlier = set(_partner_types(before)) | {focal}
    universe = np.array(sorted(set(before.full.ids) - earlier), dtype=object)
    n = len(table)
    rng = np.random.default_rng(seed)
    pick = universe[rng.choice(len(universe), size=min(n, len(universe)), replace=False)] if len(universe) else universe
    hits_random = int(sum(1 for i in pick if i in later))
    positives = int(sum(1 for i in universe if i in later))
    meta = {
        "shortlist": n,
        "realised": int(realised.sum()),
        "precision_at_k": float(realised.sum() / n) if n else float("nan"),
        "random_precision_at_k": hits_random / len(pick) if len(pick) else float("nan"),
        "expected_random_precision": positives / len(universe) if len(universe) else float("nan"),
        "random_shortlist": f"{len(pick)} organisations not tied to the focal earlier, drawn with seed {seed}",
    }
    return table[_OPP_COLUMNS], meta


def _partner_types(view: FocalView) -> dict[str, str]:
    return {p: types for p, (types, _, _) in focal_partners(view).items()}
