"""Report sections about reaching further: capabilities and markets we lack, whom to approach next."""

from __future__ import annotations

import pandas as pd

from ...values import fmt_number
from ..assets import esc
from ..charts import bar_chart, html_table, method_note, percent
from .base import ReportContext, Section

__all__ = ['ACCESS_MAX_ITEMS', 'access_section', 'opportunities_section']


#: Most capabilities (and markets) the access section searches paths for; the most widely held first.


ACCESS_MAX_ITEMS = 40

#: What the access and shortlist columns mean, in words (the tooltip of their headers).
ACCESS_WORDS = {
    "holders": "organisations in the network that list it",
    "reachable": "holders we reach over a chain of active ties",
    "hops": "ties between us and them (1 = a direct partner)",
    "strength": "the strength of the most trusted chain of ties to the best holder",
    "introducer": "the first organisation on that chain: whom to ask",
    "score": "how good an introduction looks, 0 to 1: shared partners and their tie strengths, fit, and what they "
             "would add",
    "via": "our partners who reach it (with how many of their partners are there)",
    "path_strength": "the strength of the most trusted chain of ties to the market",
}


def lacking(net, focal: str, col: str) -> tuple[list[str], int]:
    """Items of ``col`` the focal organisation does not list: the most widely held first (then by name), capped."""
    from collections import Counter
    from itertools import chain

    have = {x.casefold() for x in net.node(focal)[col]}
    held = Counter(chain.from_iterable(map(set, net.nodes[col].tolist())))  # organisations listing each item
    counts = {x: k for x, k in held.items() if x.casefold() not in have}
    ranked = sorted(counts, key=lambda x: (-counts[x], x))
    return ranked[:ACCESS_MAX_ITEMS], max(0, len(ranked) - ACCESS_MAX_ITEMS)


def access_section(ctx: ReportContext) -> Section:
    from ...analysis.paths import best_access

    net, focal, top = ctx.network, ctx.focal, ctx.top

    left_out, wanted = {}, {}
    for col, kind in (("capabilities", "capability"), ("markets", "market")):
        wanted[col], left_out[kind] = lacking(net, focal, col)
    # one path search from the focal organisation answers every item: its best holder and the holder counts
    best = ctx.cached("access", lambda: best_access(ctx.view, **wanted)).table if any(wanted.values()) \
        else pd.DataFrame()  # we list every capability and market ourselves
    rows = []
    for b in best.to_dict("records"):
        row = {"kind": b["kind"], "item": b["item"], "holders": b["holders"], "reachable": b["reachable"],
               "best_holder": b["best_holder"], "best_holder_name": b["best_holder_name"], "hops": None,
               "strength": None, "introducer": "", "path": b["path_names"], "reason": b["reason"]}
        if b["reachable"]:
            row.update({"hops": int(b["hops"]), "strength": float(b["strength"]),
                        "introducer": b["first_intermediary_name"] or "(direct partner)"})
        rows.append(row)
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
                          value_text=[("unreachable" if pd.isna(s) else f"{percent(s, 0)} via {i}")
                                      for s, i in zip(sub["strength"], sub["introducer"])],
                          color="#6A00A8", title=f"{title}: strength of the best path")
        html += html_table(sub, {"item": kind, **{k: v for k, v in show.items() if k != "item"}},
                           percent_columns=("strength",), notes=ACCESS_WORDS, label=title,
                           limits={"path": 160})
    html += method_note("Path strength is the product of the strengths of the ties on the way: 100 % is a perfect "
                        "direct tie, and every further tie lowers it",
                        "A tie's strength is the weighted mean of its trust, communication, commitment and mutual "
                        "benefit")
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
        html += html_table(_compact(shown), {"rank": "#", "name": "organisation", "country": "country",
                                             "hops": "ties away", "score": "score", "introduced_by": "introduced by",
                                             "shared_partners": "shared partners", "why": "mainly because",
                                             "adds": "what they add"},
                           notes={**ACCESS_WORDS, "introduced_by": "the shared partner with the strongest ties to "
                                  "us and to them (the full list is in the exported table)",
                                  "shared_partners": "our partners who are also theirs: who could introduce us",
                                  "why": "the largest part of the score (all parts: in the exported table)"},
                           limits={"introduced_by": 60, "why": 90, "adds": 70}, label="Whom to approach next")
    else:
        html += html_table(shown)
    mx = ctx.cached("market_expansion", lambda: market_expansion(view)).table
    html += "<h3>Markets our partners' partners open up</h3>"
    html += html_table(mx, {"market": "market", "organisations": "organisations", "distributors": "distributors",
                            "path_strength": "best path strength", "via": "via"}, max_rows=top,
                            percent_columns=("path_strength",), notes=ACCESS_WORDS, limits={"via": 160},
                            label="Markets our partners' partners open up")
    return Section("opportunities", "", html, {"opportunities": df, "market_expansion": mx}, meta=res.meta,
                   lead="Partners' partners we are not tied to yet, ranked by how well we could be introduced "
                        "(shared partners, tie strengths), fit and what they would add; with the introducers.")


def _compact(shown: pd.DataFrame) -> pd.DataFrame:
    """The shortlist as the page shows it, one or two lines a candidate: the best introducer, the reasons in
    words, what they add (the exported table keeps every column as computed)."""
    from .findings import introducer, plain_drivers

    out = shown[["rank", "name", "country", "hops", "score", "shared_partners"]].copy()
    out["introduced_by"] = [introducer(t) or str(t) for t in shown["introducers"]]
    out["why"] = [plain_drivers(d).split(", ")[0] for d in shown["drivers"]]
    out["adds"] = ["; ".join([*map(str, c), *(f"market {m}" for m in mk)])
                   for c, mk in zip(shown["new_capabilities"], shown["new_markets"])]
    return out
