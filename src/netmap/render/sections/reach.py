"""Report sections about reaching further: capabilities and markets we lack, whom to approach next."""

from __future__ import annotations

import pandas as pd

from ...values import fmt_number
from ..assets import esc
from ..charts import bar_chart, html_table
from .base import ReportContext, Section

__all__ = ['ACCESS_MAX_ITEMS', 'access_section', 'opportunities_section']


#: Most capabilities (and markets) the access section searches paths for; the most widely held first.


ACCESS_MAX_ITEMS = 40


def lacking(net, focal: str, col: str) -> tuple[list[str], int]:
    """Items of ``col`` the focal organisation does not list: the most widely held first (then by name), capped."""
    have = {x.casefold() for x in net.node(focal)[col]}
    counts: dict[str, int] = {}
    for xs in net.nodes[col]:
        for x in set(xs):
            if x.casefold() not in have:
                counts[x] = counts.get(x, 0) + 1
    ranked = sorted(counts, key=lambda x: (-counts[x], x))
    return ranked[:ACCESS_MAX_ITEMS], max(0, len(ranked) - ACCESS_MAX_ITEMS)


def access_section(ctx: ReportContext) -> Section:
    from ...analysis.paths import access_table

    net, focal, top = ctx.network, ctx.focal, ctx.top

    view = ctx.view  # one view: the path graph is built once for every item
    rows = []
    left_out = {}
    for col, kind in (("capabilities", "capability"), ("markets", "market")):
        items, left_out[kind] = lacking(net, focal, col)
        for item in items:
            acc = access_table(view, **{kind: item}).table
            reach = acc[acc["reachable"]]
            base = {"kind": kind, "item": item, "holders": len(acc), "reachable": len(reach)}
            if reach.empty:
                rows.append({**base, "best_holder": "", "best_holder_name": "", "hops": None, "strength": None,
                             "introducer": "", "path": "", "reason": acc["reason"].iloc[0] if len(acc) else ""})
                continue
            b = reach.iloc[0]
            rows.append({**base, "best_holder": b["id"], "best_holder_name": b["name"], "hops": int(b["hops"]),
                         "strength": float(b["strength"]), "introducer": b["first_intermediary_name"] or "(direct partner)",
                         "path": b["path_names"], "reason": b["reason"]})
    cols = ["kind", "item", "holders", "reachable", "best_holder", "best_holder_name", "hops", "strength",
            "introducer", "path", "reason"]
    df = pd.DataFrame(rows, columns=cols)
    df["_s"] = df["strength"].fillna(-1.0)
    df = df.sort_values(["kind", "_s", "hops", "item"], ascending=[True, False, True, True], kind="stable")
    df = df.drop(columns="_s").reset_index(drop=True)
    html = ""
    show = {"item": "", "holders": "holders", "reachable": "reachable", "best_holder_name": "best holder",
            "hops": "ties away", "strength": "path strength", "introducer": "ask", "path": "path"}
    for kind, title in (("capability", "Capabilities we lack"), ("market", "Markets we are not in")):
        part = df[df["kind"] == kind]
        html += f"<h3>{esc(title)} ({len(part) + left_out[kind]:,})</h3>"
        if left_out[kind]:
            html += (f'<p class="more">The {ACCESS_MAX_ITEMS} most widely held are analysed here; for the other '
                     f'{left_out[kind]:,} run <code>netmap access DATA --{esc(kind)} NAME</code>.</p>')
        if part.empty:
            html += '<p class="empty">None: we list every one of them ourselves.</p>'
            continue
        sub = part.head(top)
        html += bar_chart(sub["item"], sub["strength"].fillna(0.0), max_value=1.0,
                          value_text=[("unreachable" if pd.isna(s) else f"{s:.2f} via {i}") for s, i in zip(sub["strength"], sub["introducer"])],
                          color="#6A00A8", title=f"{title}: strength of the best path")
        html += html_table(sub, {"item": kind, **{k: v for k, v in show.items() if k != "item"}})
    return Section("access", "", html, {"access": df},
                   lead="For every capability and market that other organisations list and we do not: the holder we "
                        "reach over the most trusted chain of ties (product of tie strengths), and whom to ask for "
                        "the introduction.")


def opportunities_section(ctx: ReportContext) -> Section:
    from ...analysis.markets import market_expansion
    from ...analysis.opportunities import opportunities

    top = ctx.top

    view = ctx.view  # the shortlist and the markets share one candidate index
    res = ctx.cached("opportunities", lambda: opportunities(view, top=None))
    df = res.table
    shown = df.head(top)
    html = ""
    if not shown.empty:
        html += bar_chart(shown["name"], shown["score"], max_value=1.0,
                          value_text=[fmt_number(v, 2) for v in shown["score"]], color="#1A9850", title="Opportunity score")
    html += html_table(shown, {"rank": "#", "name": "organisation", "roles": "roles", "country": "country",
                               "hops": "ties away", "score": "score", "introducers": "introducers",
                               "drivers": "why", "new_capabilities": "new capabilities", "new_markets": "new markets"})
    mx = ctx.cached("market_expansion", lambda: market_expansion(view)).table
    html += "<h3>Markets our partners' partners open up</h3>"
    html += html_table(mx, {"market": "market", "organisations": "organisations", "distributors": "distributors",
                            "path_strength": "best path strength", "via": "via"}, max_rows=top)
    return Section("opportunities", "", html, {"opportunities": df, "market_expansion": mx}, meta=res.meta,
                   lead="Partners' partners we are not tied to yet, ranked by how well we could be introduced "
                        "(shared partners, tie strengths), fit and what they would add; with the introducers.")
