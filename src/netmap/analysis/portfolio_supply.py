"""Supply portfolio (Kraljic 1983): each input category of the focal organisation by profit impact and supply risk.

Profit impact is the category's share of the focal's supply spend; supply
risk is high when any of four signals holds (a single supplier, HHI at least
2,500, a hidden upstream concentration, an exclusive tie carrying at least
half the category's spend). The two make Kraljic's four quadrants, each with
its textbook action.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..engine.bitsets import bit_of, member_mask, popcount
from ..engine.condensation import reachable_sets
from ..values import fmt_number
from ..view import FocalView
from .concentration import HIGHLY_CONCENTRATED, supply_categories, supply_concentration
from .flows import FlowModel, flow_model
from .relationships import QUALITY_LABELS, joined_per
from .risk import HIGH_RISK, high_risk_suppliers

__all__ = ["supply_portfolio", "hidden_behind", "QUADRANTS", "EXCLUSIVE_SHARE", "CATEGORY_COLUMNS",
           "SUPPLIER_COLUMNS", "AT_LEAST"]

#: Kraljic's quadrants, most critical first, with the textbook action for each.
QUADRANTS = {
    "strategic": "partner closely and develop a second source",
    "bottleneck": "secure supply and look for substitutes",
    "leverage": "tender and negotiate",
    "non-critical": "simplify and automate",
}
#: An exclusive tie carrying at least this share of a category's spend is a supply risk.
EXCLUSIVE_SHARE = 0.5
#: Shares are compared with thresholds to within this, so that 100,000 of 1,000,000 is 10 % whatever the rounding.
AT_LEAST = 1e-9

CATEGORY_COLUMNS = ["category", "quadrant", "action", "spend", "impact_share", "high_impact", "supply_risk",
                    "risk_signals", "suppliers", "hhi", "single_supplier", "highly_concentrated", "hidden_upstream",
                    "hidden_behind", "suppliers_behind", "exclusive_share", "top_supplier", "top_name", "top_share",
                    "basis", "reason"]
SUPPLIER_COLUMNS = ["id", "name", "quadrant", "categories", "quadrants", "spend", "spend_share", "category_share",
                    "strength", "weakest_quality", "weakest_value", "exclusive", "reason"]


def supply_portfolio(view: FocalView, impact_threshold: float,
                     relations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Kraljic table per input category and the supplier table.

    ``relations`` is the focal's relationship per partner
    (:func:`~netmap.analysis.relationships.direct_relationships`). Columns
    are :data:`CATEGORY_COLUMNS` and :data:`SUPPLIER_COLUMNS`; the most
    critical quadrant first, then by spend.
    """
    cats = supply_categories(view).table
    if cats.empty:
        return pd.DataFrame(columns=CATEGORY_COLUMNS), pd.DataFrame(columns=SUPPLIER_COLUMNS)
    shares = supply_concentration(view).table
    cats = cats.sort_values("category", kind="stable").reset_index(drop=True)
    spend = cats["total_value"].to_numpy(dtype=float)
    total = math.fsum(spend.tolist())
    if total > 0:
        impact, basis = spend / total, "spend"
    else:
        impact, basis = np.full(len(cats), 1.0 / len(cats)), "count"
    hidden = hidden_behind(flow_model(view))
    risky = high_risk_suppliers(view, shares)
    excl = shares[shares["exclusive"].astype(bool)]  # the largest exclusive tie of each category
    excl = excl.sort_values(["category", "share", "supplier"], ascending=[True, False, True], kind="stable")
    excl = excl.drop_duplicates("category").set_index("category")
    rows = []
    for c, imp in zip(cats.itertuples(index=False), impact):
        high_impact = bool(imp >= impact_threshold - AT_LEAST)
        single = c.suppliers == 1
        concentrated = (not single) and c.hhi >= HIGHLY_CONCENTRATED
        behind = hidden.get(c.category)
        ex = excl.loc[c.category] if c.category in excl.index else None
        signals = []
        if single:
            signals.append(f"a single supplier ({c.top_supplier} {c.top_name})")
        if concentrated:
            signals.append(f"HHI {c.hhi:,.0f} (highly concentrated from {HIGHLY_CONCENTRATED:,.0f})")
        if behind is not None:
            signals.append(f"hidden upstream concentration: {behind[0]} {behind[1]} (tier {behind[2]}) is behind "
                           f"{behind[3]} of its {c.suppliers} suppliers")
        if c.category in risky:
            signals.append(f"high-risk supplier{'s' if len(risky[c.category]) > 1 else ''} (effective disruption "
                           f"risk from {HIGH_RISK}): {', '.join(risky[c.category])}")
        if ex is not None and ex["share"] >= EXCLUSIVE_SHARE - AT_LEAST:
            signals.append(f"an exclusive tie with {ex['supplier']} {ex['name']} carries {ex['share']:.1%} of its "
                           "spend")
        quadrant = _quadrant(high_impact, bool(signals))
        spent = (f"{imp:.1%} of our supply spend ({fmt_number(c.total_value)})" if basis == "spend" else
                 f"{imp:.1%} of our input categories (no tie records a spend: every category counts equally)")
        why = (f"{spent}: {'high' if high_impact else 'low'} profit impact (high from {impact_threshold:.1%}); "
               + (f"supply risk high: {'; '.join(signals)}" if signals else
                  f"supply risk low: {c.suppliers} suppliers, HHI {c.hhi:,.0f}, no hidden upstream concentration, "
                  f"no exclusive tie with half the spend")
               + f" -> {quadrant}: {QUADRANTS[quadrant]}")
        rows.append({
            "category": c.category, "quadrant": quadrant, "action": QUADRANTS[quadrant], "spend": c.total_value,
            "impact_share": float(imp), "high_impact": high_impact, "supply_risk": "high" if signals else "low",
            "risk_signals": len(signals), "suppliers": int(c.suppliers), "hhi": c.hhi, "single_supplier": single,
            "highly_concentrated": concentrated, "hidden_upstream": behind is not None,
            "hidden_behind": "" if behind is None else behind[0],
            "suppliers_behind": 0 if behind is None else behind[3],
            "exclusive_share": float(ex["share"]) if ex is not None else 0.0, "top_supplier": c.top_supplier,
            "top_name": c.top_name, "top_share": c.top_share, "basis": basis, "reason": why,
        })
    table = pd.DataFrame(rows, columns=CATEGORY_COLUMNS)
    order = {q: i for i, q in enumerate(QUADRANTS)}
    table = table.assign(_q=table["quadrant"].map(order)).sort_values(
        ["_q", "impact_share", "category"], ascending=[True, False, True], kind="stable").drop(columns="_q")
    return table.reset_index(drop=True), _suppliers(shares, table, total, relations)


def hidden_behind(model: FlowModel) -> dict[str, tuple]:
    """Per input category: the upstream organisation behind most of its suppliers, when behind at least two.

    As in :func:`~netmap.analysis.upstream.hidden_concentration`, a supplier
    depends on an organisation when a chain of ``SUPPLIES`` ties leads from
    it to the supplier; an organisation does not count for itself. Returns
    ``{category: (id, name, tier, suppliers behind, suppliers)}``; among
    equals the organisation with the most spend behind it, then the first id.
    """
    t1 = np.flatnonzero(model.tier1)
    t1 = t1[np.argsort(model.rank[t1], kind="stable")]  # members in id order: sums never follow the input's rows
    multi = {c: s for c, s in model.categories.items() if len(s) >= 2}
    if len(t1) < 2 or not multi or not len(model.sup_u):
        return {}
    up = np.flatnonzero(model.upstream)
    bits = reachable_sets(model.n, model.sup_u, model.sup_v, t1, up)
    member = np.full(model.n, -1, dtype=np.int64)
    member[t1] = np.arange(len(t1))
    own = member[up]
    rows = np.flatnonzero(own >= 0)
    word, mask = bit_of(own[rows])
    bits[rows, word] &= ~mask
    sp = model.spend
    out = {}
    for cat, sups in multi.items():
        m = member[sups]
        words = np.unique(m // 64)
        need = member_mask(m, len(t1))[words]
        hit = bits[:, words] & need  # only the words that hold the category's suppliers
        count = popcount(hit)
        best = int(count.max()) if len(count) else 0
        if best < 2:
            continue
        cand = np.flatnonzero(count == best)
        spend_behind = np.zeros(len(cand))
        for s, i in zip(sups, m):  # the spend with the category's suppliers behind each candidate
            w = int(np.searchsorted(words, i // 64))
            spend_behind += np.where(hit[cand, w] & np.uint64(1 << int(i % 64)), sp[s], 0.0)
        pick = cand[np.lexsort((model.rank[up[cand]], -spend_behind))[0]]
        x = int(up[pick])
        out[cat] = (str(model.ids[x]), str(model.names[x]), int(model.tier[x]), best, len(sups))
    return out


def _quadrant(high_impact: bool, high_risk: bool) -> str:
    if high_impact:
        return "strategic" if high_risk else "leverage"
    return "bottleneck" if high_risk else "non-critical"


def _suppliers(shares: pd.DataFrame, cats: pd.DataFrame, total: float, relations: pd.DataFrame) -> pd.DataFrame:
    order = {q: i for i, q in enumerate(QUADRANTS)}
    d = shares.sort_values(["supplier", "category"], kind="stable").reset_index(drop=True)
    d["quadrant"] = d["category"].map(dict(zip(cats["category"], cats["quadrant"])))
    d["_q"] = d["quadrant"].map(order)
    d["part"] = [f"{q} for {c} ({s:.1%} of that category's spend)"
                 for c, q, s in zip(d["category"], d["quadrant"], d["share"])]
    g = d.groupby("supplier", sort=True)
    df = pd.DataFrame({
        "name": g["name"].first(), "_q": g["_q"].min(), "categories": joined_per(d["supplier"], d["category"]),
        "quadrants": joined_per(d["supplier"], d["quadrant"]), "spend": g["value"].sum(),
        "category_share": g["share"].max(), "exclusive": g["exclusive"].any(),
        "why": joined_per(d["supplier"], d["part"], sep="; "),
    })
    df.index.name = "id"
    df["quadrant"] = np.array(list(QUADRANTS), dtype=object)[df["_q"].to_numpy()]
    df["spend_share"] = df["spend"] / total if total > 0 else np.nan
    rel = relations.reindex(df.index)
    df["strength"] = rel["strength"]
    df["weakest_quality"] = rel["weakest_quality"].fillna("")
    df["weakest_value"] = rel["weakest_value"]
    reasons = []
    for r in df.itertuples():
        why = r.why
        if total > 0:
            why += f"; {fmt_number(r.spend)} a year, {r.spend_share:.1%} of our supply spend"
        if not pd.isna(r.strength):
            why += f"; relationship strength {fmt_number(r.strength, 2)}, weakest: {QUALITY_LABELS[r.weakest_quality]}"
        elif r.weakest_quality:
            why += f"; {r.weakest_quality}"
        reasons.append(why)
    df["reason"] = reasons
    df = df.reset_index().assign(_s=lambda x: -x["spend"]).sort_values(["_q", "_s", "id"], kind="stable")
    return df[SUPPLIER_COLUMNS].reset_index(drop=True)
