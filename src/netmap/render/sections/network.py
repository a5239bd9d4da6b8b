"""Report sections about the whole network: summary, central organisations, brokers."""

from __future__ import annotations

import pandas as pd

from ...values import fmt_number
from ..assets import cut, esc, esc_cut
from ..charts import bar_chart, html_table, method_note, percent
from ..style import NAME_CHARS, ROLE_COLORS, TIE_STYLES
from .base import ReportContext, Section

__all__ = ['brokers_section', 'central_section', 'summary_section']

#: What the centrality and brokerage columns mean, in words (the tooltip of their headers).
METRIC_WORDS = {
    "degree": "how many distinct organisations it has a tie with",
    "pagerank": "its share of the network's attention: high when it is tied to organisations that are themselves "
                "well connected, following the flow of goods and weighted by tie value (all organisations add up "
                "to 100 %)",
    "upstream_pagerank": "the same share with every tie reversed, from buyer to supplier: high for the sources that "
                         "much of the network's supply comes from",
    "betweenness": "the share of shortest routes between other organisations that pass through it: high for "
                   "go-betweens",
    "rank_pagerank": "its place by PageRank (1 = highest)",
    "constraint": "Burt's constraint: how much its partners are tied to each other (0 = its partners are "
                  "strangers to each other and it brokers between them; 1 = one closed group)",
    "effective_size": "how many of its partners are not tied to each other: the number of separate groups it reaches",
    "efficiency": "effective size per partner (100 % = no two of its partners are tied)",
    "top_contact_name": "the partner whose ties constrain it most",
}


def summary_section(ctx: ReportContext) -> Section:
    from ...analysis.summary import summarize

    net, focal, top = ctx.network, ctx.focal, ctx.top

    s = ctx.cached("summary", lambda: summarize(net))
    node = net.node(focal)
    partners = net.neighbors(focal)
    cards = [
        ("organisations", fmt_number(s.metric("organisations"))),
        ("ties", fmt_number(s.metric("ties"))),
        (f"direct partners of {cut(node['name'], NAME_CHARS)}", fmt_number(len(partners))),
        ("components", fmt_number(s.metric("components"))),
        ("of all possible ties exist (density)", percent(s.metric("density"), 2)),
        ("total tie value", fmt_number(s.metric("total_value"))),
    ]
    card_html = '<div class="cards">' + "".join(
        f'<div class="card"><div class="big">{esc(v)}</div><div>{esc(k)}</div></div>' for k, v in cards
    ) + "</div>"
    roles = s.roles[s.roles["organisations"] > 0]
    role_chart = bar_chart(
        [r.replace("_", " ") for r in roles["role"]], roles["organisations"],
        color=[ROLE_COLORS[r] for r in roles["role"]], title="Organisations by role",
    )
    types = s.tie_types[s.tie_types["ties"] > 0]
    type_chart = bar_chart(
        [t.replace("_", " ").lower() for t in types["type"]], types["ties"],
        color=[TIE_STYLES[t]["color"] for t in types["type"]], title="Ties by type",
    )
    own = pd.DataFrame({
        "what": ["roles", "country", "capabilities", "markets"],
        "value": ["; ".join(node["roles"]), node["country"], "; ".join(node["capabilities"]), "; ".join(node["markets"])],
    })
    html = (
        card_html
        + '<div class="two"><div><h3>Organisations by role</h3>' + role_chart + "</div>"
        + "<div><h3>Ties by type</h3>" + type_chart + "</div></div>"
        + f"<h3>{esc_cut(node['name'], NAME_CHARS)}</h3>" + html_table(own, {"what": "", "value": ""}, label="Our own profile")
        + "<h3>Tie value by category</h3>"
        + html_table(s.categories, {"category": "category", "ties": "ties", "total_value": "total value"}, max_rows=top,
                     label="Tie value by category")
    )
    tables = {"summary_overview": s.overview, "summary_roles": s.roles, "summary_tie_types": s.tie_types,
              "summary_categories": s.categories}
    return Section("summary", "", html, tables, meta=s.meta,
                   lead=f"The network as read from {net.source or 'memory'}, and where {cut(node['name'], NAME_CHARS)} "
                        "stands in it.")


#: The centrality metrics the report shows (closeness and eigenvector: ``netmap centrality``).
REPORT_METRICS = ("pagerank", "upstream_pagerank", "betweenness")
#: Above this many organisations the report estimates betweenness from fewer sampled sources
#: (:data:`LARGE_SAMPLES`): each source costs a search of the whole network.
LARGE_NETWORK = 50_000
LARGE_SAMPLES = 32


def report_samples(n_organisations: int) -> int:
    """Sources sampled for the report's betweenness estimate: 256, or 32 on networks above 50,000 organisations.

    >>> report_samples(10_000), report_samples(200_000)
    (256, 32)
    """
    return 256 if n_organisations <= LARGE_NETWORK else LARGE_SAMPLES


def central_section(ctx: ReportContext) -> Section:
    from ...analysis.centrality import centrality

    net, focal, top = ctx.network, ctx.focal, ctx.top

    # on the ties active on the date, like `netmap centrality` and the maps; the metrics the page shows
    active = ctx.view.network
    res = ctx.cached("centrality", lambda: centrality(active, sort="pagerank", metrics=REPORT_METRICS,
                                                      samples=report_samples(active.n_nodes)))
    df = res.table.copy()
    partners = set(net.neighbors(focal))
    df.insert(3, "our_partner", df["id"].map(lambda i: "us" if i == focal else ("yes" if i in partners else "")))
    shown = df[df["id"] != focal].head(top)
    cols = {"name": "organisation", "roles": "roles", "our_partner": "our partner", "degree": "partners",
            "pagerank": "PageRank", "upstream_pagerank": "upstream PageRank", "betweenness": "betweenness",
            "rank_pagerank": "rank"}
    chart = bar_chart(shown["name"], shown["pagerank"], value_text=[percent(v, 2) for v in shown["pagerank"]],
                      color="#0072B2", title="PageRank: share of the network's attention")
    share = ("pagerank", "upstream_pagerank", "betweenness")
    html = chart + html_table(shown, cols, numeric_digits=4, percent_columns=share, notes=METRIC_WORDS,
                              label="Top central partners")
    # upstream: the sources much of the supply comes from, directly or through others -- a supplier's
    # supplier ranks low downstream but can be what everything depends on
    up = df[df["id"] != focal].sort_values(["upstream_pagerank", "id"], ascending=[False, True], kind="stable")
    up = up.head(top)
    html += ("<h3>Upstream: where the supply comes from</h3><p>The same PageRank with every tie reversed, "
             "from buyer to supplier: high for the sources that much of the network's supply comes from, "
             "directly or through other suppliers, even when they rank low above.</p>"
             + html_table(up, {"name": "organisation", "roles": "roles", "our_partner": "our partner",
                               "degree": "partners", "upstream_pagerank": "upstream PageRank",
                               "rank_upstream_pagerank": "rank", "rank_pagerank": "PageRank rank"},
                          numeric_digits=4, percent_columns=share, notes=METRIC_WORDS,
                          label="Upstream: where the supply comes from"))
    mine = df[df["id"] == focal]
    if not mine.empty:
        r = mine.iloc[0]
        html += (f"<p>{esc_cut(net.name(focal), NAME_CHARS)} itself: PageRank rank {int(r['rank_pagerank']):,}, "
                 f"upstream rank {int(r['rank_upstream_pagerank']):,}, betweenness rank {int(r['rank_betweenness']):,} of "
                 f"{len(df):,}.</p>")
    how = _how(res.meta)
    if active.n_nodes > LARGE_NETWORK:
        how.append(f"On a network of {active.n_nodes:,} organisations the report estimates betweenness from "
                   f"{LARGE_SAMPLES} sampled organisations, so only its largest values are reliable; "
                   "netmap centrality --samples 256 gives a closer estimate, with closeness and eigenvector "
                   "centrality")
    html += method_note(*how)
    return Section("central", "", html, {"centrality": df}, meta=res.meta,
                   lead="The best-connected organisations of the whole network: PageRank (tied to well-connected "
                        "organisations, following the flow of goods, weighted by tie value), upstream PageRank "
                        "(the same against the flow: where the supply comes from) and betweenness (on many "
                        "shortest routes between others). Hover a column's header for what it means.")


def _how(meta: dict) -> list[str]:
    """The choices behind a centrality or brokerage result, as sentences."""
    out = []
    if meta.get("view"):
        out.append(f"Ties are read {meta['view']}")
    if meta.get("weight"):
        out.append(f"Weighted by tie {meta['weight']}")
    if meta.get("damping") is not None:
        out.append(f"PageRank follows a tie with probability {fmt_number(meta['damping'], 2)} and jumps to any "
                   "organisation otherwise")
    if meta.get("betweenness"):
        out.append(f"Betweenness is {meta['betweenness']}")
    if meta.get("distances"):
        out.append(f"Distances count {meta['distances']}")
    return out


def brokers_section(ctx: ReportContext) -> Section:
    from ...analysis.brokerage import brokerage

    net, focal, top = ctx.network, ctx.focal, ctx.top

    res = ctx.cached("brokerage", lambda: brokerage(ctx.view.network))
    df = res.table  # lowest constraint (the best brokers) first
    shown = df[df["id"] != focal].head(top)
    cols = {"name": "organisation", "roles": "roles", "degree": "partners", "constraint": "constraint",
            "effective_size": "effective size", "efficiency": "efficiency",
            "top_contact_name": "depends most on"}
    html = ""
    mine = df[df["id"] == focal]
    if not mine.empty:
        r = mine.iloc[0]
        html += (f"<p>{esc_cut(net.name(focal), NAME_CHARS)} reaches about "
                 f"{esc(fmt_number(r['effective_size'], 1))} separate groups through its "
                 f"{esc(fmt_number(r['degree']))} partners (effective size) and ranks "
                 f"{esc(fmt_number(r['rank_constraint']))} of {len(df):,} as a broker (1 = the least constrained: "
                 f"its partners know each other least; constraint {esc(fmt_number(r['constraint'], 3))}); the "
                 f"partner whose ties hold it in most is {esc_cut(r['top_contact_name'], NAME_CHARS)}.</p>")
    if not shown.empty:
        html += bar_chart(shown["name"], shown["effective_size"], color="#CC79A7",
                          value_text=[fmt_number(v, 1) for v in shown["effective_size"]], title="Effective size")
    html += html_table(shown, cols, percent_columns=("efficiency",), notes=METRIC_WORDS, label="Brokers")
    html += method_note(*_how(res.meta))
    return Section("brokers", "", html, {"brokerage": df}, meta=res.meta,
                   lead="Organisations that bridge groups which are not otherwise connected (low Burt constraint, "
                        "large effective size): the introducers and gatekeepers of the network.")
