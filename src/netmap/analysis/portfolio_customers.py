"""Customer portfolio: each customer of the focal organisation by value and relationship strength, with retention risk.

A customer portfolio matrix (value to us x strength of the relationship)
puts every customer in one of four segments, each with its action; the
retention-risk signals say which customers may be lost, and the value at
risk is summed per segment.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..schema import QUALITIES
from ..values import fmt_number
from ..view import FocalView
from .portfolio_supply import AT_LEAST
from .relationships import (
    NO_DATA,
    QUALITY_LABELS,
    direct_relationships,
    direct_ties,
    joined_per,
    quality_text,
    relationship_table,
)

__all__ = ["customer_portfolio", "SEGMENTS", "SATISFACTION_LOW", "QUALITY_LOW", "ENDING_DAYS", "WALLET_LOW",
           "CUSTOMER_COLUMNS", "SEGMENT_COLUMNS"]

#: Segments with their action; a customer without any recorded quality is not judged weak.
SEGMENTS = {
    "core": "retain and grow",
    "at_risk": "repair now",
    "develop": "grow share of wallet",
    "serve": "serve efficiently",
    NO_DATA: "record trust, communication, commitment and mutual benefit, then place it",
}
#: Retention-risk signals: satisfaction below this (0-10) ...
SATISFACTION_LOW = 6.0
#: ... trust or commitment below this ...
QUALITY_LOW = 0.4
#: ... a tie ending within this many days ...
ENDING_DAYS = 90
#: ... a share of wallet below this ...
WALLET_LOW = 0.5
#: ... and a value that fell by at least this share since an earlier snapshot.
FALLING = 0.10
#: Tie types by which a seller sells to a customer.
SALES_TYPES = ("SELLS_TO", "SUPPLIES")

CUSTOMER_COLUMNS = ["rank", "id", "name", "segment", "action", "value", "value_basis", "clv", "sales_value",
                    "high_value", "satisfaction", *QUALITIES, "strength", "strong", "weakest_quality",
                    "relationship_basis", "channel", "distributors", "share_of_wallet", "ending", "value_before",
                    "value_change", "risk_signals", "retention_risk", "reason"]
SEGMENT_COLUMNS = ["segment", "action", "customers", "value", "customers_at_risk", "value_at_risk", "share_at_risk",
                   "reason"]


def customer_portfolio(view: FocalView, value_threshold: float | None, strength_threshold: float,
                       before: FocalView | None = None) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """The customer table, the segment table and the value threshold used (the median when none is given).

    Columns are :data:`CUSTOMER_COLUMNS` (highest retention risk first) and
    :data:`SEGMENT_COLUMNS`. ``before``, the focal view of an earlier
    snapshot, adds each customer's value then and the "value falling" signal.
    """
    net, f = view.network, view.focal
    direct = direct_ties(view)
    sold = direct[direct["type"].isin(SALES_TYPES) & (direct["direction"] == "out")]
    dist_value = direct[(direct["type"] == "SELLS_THROUGH") & (direct["direction"] == "out")].groupby(
        "partner", sort=True)["value"].sum(min_count=1)
    via = _ties(net, dist_value.index, ("SELLS_TO",), end=0)
    via = via[via["target"] != f]
    via = via.assign(alloc=via["source"].map(_allocation(net, f, dist_value)).astype(float).fillna(0.0))
    via = via.sort_values(["target", "source", "category"], kind="stable")
    ids = sorted(set(sold["partner"]) | set(via["target"]))
    if not ids:
        return pd.DataFrame(columns=CUSTOMER_COLUMNS), _segments(pd.DataFrame(columns=CUSTOMER_COLUMNS)), np.nan
    c = pd.DataFrame(index=pd.Index(ids, name="id"))
    nodes = net.nodes.set_index("id")
    c["name"] = nodes["name"].reindex(c.index)
    c["clv"] = nodes["clv"].reindex(c.index).astype(float)
    c["satisfaction"] = nodes["satisfaction"].reindex(c.index).astype(float)
    own = sold.groupby("partner", sort=True)["value"].sum(min_count=1).reindex(c.index)
    share = (via["value"] * via["alloc"]).groupby(via["target"], sort=True).sum(min_count=1).reindex(c.index)
    c["sales_value"] = own.add(share, fill_value=0.0)
    c["value"] = c["clv"].where(c["clv"].notna(), c["sales_value"])
    c["value_basis"] = np.where(c["clv"].notna(), "clv", np.where(c["sales_value"].notna(), "sales", "unknown"))
    known = c["value"].dropna().sort_index()
    threshold = float(value_threshold) if value_threshold is not None else (
        float(np.median(known.to_numpy())) if len(known) else np.nan)
    c["high_value"] = (c["value"] >= threshold).to_numpy(dtype=bool)

    # the relationship: our own ties with the customer; for one served only through distributors, theirs
    has_direct = c.index.isin(direct["partner"])
    parts = [direct_relationships(view).reindex(c.index[has_direct])]
    only_via = via[~via["target"].isin(direct["partner"])]
    if len(only_via):
        parts.append(relationship_table(only_via, "target", net.strength_weights, net.default_strength))
    rel = pd.concat(parts).reindex(c.index)
    for col in (*QUALITIES, "strength", "weakest_quality", "weakest_value"):
        c[col] = rel[col]
    c["relationship_basis"] = np.where(has_direct, "our ties", "distributors' ties")
    no_data = c["strength"].isna().to_numpy()
    c["weakest_quality"] = np.where(no_data, NO_DATA, c["weakest_quality"].astype(object))
    c["strong"] = (c["strength"] >= strength_threshold - AT_LEAST).to_numpy(dtype=bool)
    seg = np.where(c["high_value"], np.where(c["strong"], "core", "at_risk"), np.where(c["strong"], "develop", "serve"))
    c["segment"] = np.where(no_data, NO_DATA, seg)
    c["action"] = c["segment"].map(SEGMENTS)

    # channels and retention-risk signals
    dists = joined_per(via["target"], via["source"], unique=True).reindex(c.index)
    c["distributors"] = dists.fillna("")
    n_dist = c["distributors"].map(lambda s: len(s.split(";")) if s else 0)
    sells_direct = c.index.isin(sold["partner"])
    c["channel"] = [("direct" if d else "") + (" + " if d and k else "") + (f"{k} distributor(s)" if k else "")
                    for d, k in zip(sells_direct, n_dist)]
    c["share_of_wallet"] = _share_of_wallet(net, f, sold, via, c.index)
    c["ending"] = _ending(direct, via, c.index, view.as_of)
    c["value_before"], c["value_change"], c["change_basis"] = _value_before(c, before)
    signals = [_signals(r, k, d, view.as_of) for r, k, d in zip(c.itertuples(), n_dist, sells_direct)]
    c["risk_signals"] = [len(s) for s in signals]
    c["retention_risk"] = [round(math.fsum(w for w, _ in s), 6) for s in signals]
    c["reason"] = [_reason(r, s, threshold, strength_threshold) for r, s in zip(c.itertuples(), signals)]
    c = c.reset_index()
    c["_v"] = -c["value"].fillna(-1.0)
    c = c.sort_values(["retention_risk", "_v", "id"], ascending=[False, True, True], kind="stable")
    c["rank"] = np.arange(1, len(c) + 1)
    c["ending"] = c["ending"].map(lambda d: d.date().isoformat() if not pd.isna(d) else "")
    c = c[CUSTOMER_COLUMNS].reset_index(drop=True)
    return c, _segments(c), threshold


def _ties(net, ids, types, end: int) -> pd.DataFrame:
    """The ties of ``types`` whose source (``end=0``) or target (``end=1``) is one of ``ids``."""
    u, v = net.endpoints()
    mark = np.zeros(net.n_nodes, dtype=bool)
    mark[[net.index[i] for i in ids]] = True
    hit = np.flatnonzero(mark[(u, v)[end]])
    rows = net.edges.iloc[hit]
    return rows[rows["type"].isin(types).to_numpy()]


def _allocation(net, f: str, dist_value: pd.Series) -> pd.Series:
    """Per distributor: the focal's share of what it buys (SELLS_THROUGH and SUPPLIES ties into it, by value;
    equal shares among its sellers when none records a value)."""
    into = _ties(net, dist_value.index, ("SELLS_THROUGH", "SUPPLIES"), end=1)
    into = into.sort_values(["target", "source", "type", "category"], kind="stable")
    g = into.groupby("target", sort=True)
    total = g["value"].sum()
    sellers = g["source"].nunique()
    ours = into[into["source"] == f].groupby("target", sort=True)["value"].sum()
    by_value = (ours.reindex(total.index).fillna(0.0) / total.where(total > 0))
    return by_value.where(total > 0, 1.0 / sellers)


def _share_of_wallet(net, f, sold, via, index) -> np.ndarray:
    """Our share of what each customer buys in the categories we sell it, where others' sales to it are recorded."""
    mine = pd.concat([
        pd.DataFrame({"id": sold["partner"], "category": sold["category"], "ours": sold["value"].fillna(0.0),
                      "seller": f}),
        pd.DataFrame({"id": via["target"], "category": via["category"],
                      "ours": via["value"].fillna(0.0) * via["alloc"], "seller": via["source"]}),
    ], ignore_index=True)
    cats = mine[["id", "category"]].drop_duplicates()
    into = _ties(net, index, SALES_TYPES, end=1)
    into = pd.DataFrame({"id": into["target"], "category": into["category"], "seller": into["source"],
                         "value": into["value"].fillna(0.0)}).merge(cats, on=["id", "category"])
    ours_sellers = mine[["id", "seller"]].drop_duplicates().assign(_ours=True)
    into = into.merge(ours_sellers, on=["id", "seller"], how="left")
    others = into[into["_ours"].isna()]
    if others.empty:
        return np.full(len(index), np.nan)
    into = into.sort_values(["id", "category", "seller", "value"], kind="stable")
    mine = mine.sort_values(["id", "category", "seller", "ours"], kind="stable")
    wallet = into.groupby("id", sort=True)["value"].sum()
    ours = mine.groupby("id", sort=True)["ours"].sum()
    competed = set(others["id"])
    sow = (ours.reindex(wallet.index) / wallet.where(wallet > 0)).where(wallet.index.isin(competed))
    return sow.reindex(index).to_numpy(dtype=float)


def _value_before(c: pd.DataFrame, before: FocalView | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each customer's value in the earlier snapshot, the change as a share, and the basis compared.

    Like is compared with like: CLV when both snapshots give it, else the
    annual sales value when both record sales; otherwise the change is unknown.
    """
    if before is None:
        nan = pd.Series(np.nan, index=c.index)
        return nan, nan.copy(), pd.Series("", index=c.index)
    then, _, _ = customer_portfolio(before, None, 0.0)
    then = then.set_index("id").reindex(c.index)
    both_clv = c["clv"].notna() & then["clv"].notna()
    both_sales = ~both_clv & c["sales_value"].notna() & then["sales_value"].notna()
    old = then["clv"].where(both_clv, then["sales_value"].where(both_sales))
    new = c["clv"].where(both_clv, c["sales_value"].where(both_sales))
    change = ((new - old) / old).where(old > 0)
    basis = pd.Series(np.where(both_clv, "CLV", np.where(both_sales, "sales", "")), index=c.index)
    return old.astype(float), change.astype(float), basis


def _ending(direct, via, index, as_of: str) -> pd.Series:
    """The earliest end date within the next ENDING_DAYS of a tie that serves each customer."""
    day = pd.Timestamp(as_of)
    last = day + pd.Timedelta(days=ENDING_DAYS)
    until = pd.concat([direct[["partner", "until"]].rename(columns={"partner": "id"}),
                       via[["target", "until"]].rename(columns={"target": "id"})], ignore_index=True)
    soon = until[(until["until"] >= day) & (until["until"] <= last)]
    return soon.groupby("id")["until"].min().reindex(index)


def _signals(r, n_dist: int, sells_direct: bool, as_of: str) -> list[tuple[float, str]]:
    """(severity, reason) of each retention-risk signal: 0.5 for the signal, up to 0.5 more for how far it goes."""
    out = []
    if not pd.isna(r.satisfaction) and r.satisfaction < SATISFACTION_LOW:
        out.append((0.5 + 0.5 * (SATISFACTION_LOW - r.satisfaction) / SATISFACTION_LOW,
                    f"satisfaction {fmt_number(r.satisfaction, 1)} below {SATISFACTION_LOW:g}"))
    low = [(q, getattr(r, q)) for q in ("trust", "commitment") if getattr(r, q) < QUALITY_LOW]  # NaN is not low
    if low:
        worst = min(v for _, v in low)
        words = " and ".join(f"{QUALITY_LABELS[q]} {fmt_number(v, 2)}" for q, v in low)
        out.append((0.5 + 0.5 * (QUALITY_LOW - worst) / QUALITY_LOW, f"{words} below {QUALITY_LOW:g}"))
    if not pd.isna(r.ending):
        days = (r.ending - pd.Timestamp(as_of)).days
        out.append((0.5 + 0.5 * (ENDING_DAYS - days) / ENDING_DAYS,
                    f"a tie ends on {r.ending.date().isoformat()}, in {days} days"))
    if not sells_direct and n_dist == 1:
        out.append((0.5, f"reached only through one distributor ({r.distributors})"))
    if not pd.isna(r.share_of_wallet) and r.share_of_wallet < WALLET_LOW:
        out.append((0.5 + 0.5 * (WALLET_LOW - r.share_of_wallet) / WALLET_LOW,
                    f"our share of its wallet is {r.share_of_wallet:.1%} (others' sales to it are recorded)"))
    if not pd.isna(r.value_change) and r.value_change <= -FALLING + AT_LEAST:
        now = r.clv if r.change_basis == "CLV" else r.sales_value
        out.append((0.5 + 0.5 * min(1.0, -r.value_change),
                    f"its {r.change_basis} fell {-r.value_change:.0%} since the earlier snapshot "
                    f"({fmt_number(r.value_before)} to {fmt_number(now)})"))
    return out


def _reason(r, signals, threshold: float, strength_threshold: float) -> str:
    risk = ("retention risk: " + "; ".join(t for _, t in signals) + ". ") if signals else ""
    if r.value_basis == "unknown":
        why = "value unknown (no CLV, no recorded sales): low value"
    else:
        what = "CLV" if r.value_basis == "clv" else "annual sales, no CLV given"
        why = (f"value {fmt_number(r.value)} ({what}): {'high' if r.high_value else 'low'} "
               f"(high from {fmt_number(threshold)})")
    if pd.isna(r.strength):
        why += f"; {NO_DATA} on {r.relationship_basis}: not judged weak"
    else:
        why += (f"; {quality_text(r)} on {r.relationship_basis}: strength {fmt_number(r.strength, 2)}, "
                f"{'strong' if r.strong else 'weak'} (strong from {fmt_number(strength_threshold, 2)})")
    return risk + why + f" -> {r.segment}: {r.action}"


def _segments(c: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for seg, action in SEGMENTS.items():
        part = c[c["segment"] == seg]
        if seg == NO_DATA and part.empty:
            continue
        risky = part[part["risk_signals"] > 0]
        value = math.fsum(part["value"].fillna(0.0).sort_values().tolist())
        at_risk = math.fsum(risky["value"].fillna(0.0).sort_values().tolist())
        rows.append({
            "segment": seg, "action": action, "customers": len(part), "value": value,
            "customers_at_risk": len(risky), "value_at_risk": at_risk,
            "share_at_risk": at_risk / value if value > 0 else np.nan,
            "reason": (f"{len(part)} customer(s) worth {fmt_number(value)}; {len(risky)} with a retention-risk signal, "
                       f"worth {fmt_number(at_risk)}: {action}"),
        })
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)
