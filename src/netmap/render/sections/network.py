"""Report sections about the whole network: summary, central organisations, brokers."""

from __future__ import annotations

import pandas as pd

from ...values import fmt_number
from ..assets import cut, esc, esc_cut
from ..charts import bar_chart, html_table
from ..style import NAME_CHARS, ROLE_COLORS, TIE_STYLES
from .base import ReportContext, Section

__all__ = ['brokers_section', 'central_section', 'summary_section']


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
        ("density", fmt_number(s.metric("density"), 4)),
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
        + f"<h3>{esc_cut(node['name'], NAME_CHARS)}</h3>" + html_table(own, {"what": "", "value": ""})
        + "<h3>Tie value by category</h3>"
        + html_table(s.categories, {"category": "category", "ties": "ties", "total_value": "total value"}, max_rows=top)
    )
    tables = {"summary_overview": s.overview, "summary_roles": s.roles, "summary_tie_types": s.tie_types,
              "summary_categories": s.categories}
    return Section("summary", "", html, tables, meta=s.meta,
                   lead=f"The network as read from {net.source or 'memory'}, and where {cut(node['name'], NAME_CHARS)} "
                        "stands in it.")


def central_section(ctx: ReportContext) -> Section:
    from ...analysis.centrality import centrality

    net, focal, top = ctx.network, ctx.focal, ctx.top

    # on the ties active on the date, like `netmap centrality` and the maps
    res = ctx.cached("centrality", lambda: centrality(ctx.view.network, sort="pagerank"))
    df = res.table.copy()
    partners = set(net.neighbors(focal))
    df.insert(3, "our_partner", df["id"].map(lambda i: "us" if i == focal else ("yes" if i in partners else "")))
    shown = df[df["id"] != focal].head(top)
    cols = {"name": "organisation", "roles": "roles", "our_partner": "our partner", "degree": "partners",
            "pagerank": "PageRank", "upstream_pagerank": "upstream PageRank", "betweenness": "betweenness",
            "rank_pagerank": "rank"}
    chart = bar_chart(shown["name"], shown["pagerank"], value_text=[fmt_number(v, 4) for v in shown["pagerank"]],
                      color="#0072B2", title="PageRank")
    html = chart + html_table(shown, cols, numeric_digits=4)
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
                          numeric_digits=4))
    mine = df[df["id"] == focal]
    if not mine.empty:
        r = mine.iloc[0]
        html += (f"<p>{esc(net.name(focal))} itself: PageRank rank {int(r['rank_pagerank']):,}, upstream rank "
                 f"{int(r['rank_upstream_pagerank']):,}, betweenness rank {int(r['rank_betweenness']):,} of "
                 f"{len(df):,}.</p>")
    how = ", ".join(f"{k} {v}" for k, v in res.meta.items() if k in ("directed", "weight", "betweenness"))
    return Section("central", "", html, {"centrality": df}, meta=res.meta,
                   lead="The best-connected organisations of the whole network: PageRank (tied to well-connected "
                        "organisations, following the flow of goods, weighted by tie value), upstream PageRank "
                        "(the same against the flow: where the supply comes from) and betweenness (on many "
                        "shortest routes between others)." + (f" ({how})" if how else ""))


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
        html += (f"<p>{esc_cut(net.name(focal), NAME_CHARS)}: constraint {esc(fmt_number(r['constraint'], 3))} (rank "
                 f"{esc(fmt_number(r['rank_constraint']))} of {len(df):,}, 1 = least constrained), effective size "
                 f"{esc(fmt_number(r['effective_size'], 3))}; depends most on "
                 f"{esc_cut(r['top_contact_name'], NAME_CHARS)}.</p>")
    if not shown.empty:
        html += bar_chart(shown["name"], shown["effective_size"], color="#CC79A7",
                          value_text=[fmt_number(v, 1) for v in shown["effective_size"]], title="Effective size")
    html += html_table(shown, cols)
    return Section("brokers", "", html, {"brokerage": df}, meta=res.meta,
                   lead="Organisations that bridge groups which are not otherwise connected (low Burt constraint, "
                        "large effective size): the introducers and gatekeepers of the network.")
