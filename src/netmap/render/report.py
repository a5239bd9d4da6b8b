"""The one-command report: a self-contained HTML page for a focal organisation, with its maps and tables beside it.

``write_report(network, outdir)`` writes::

    outdir/report.html                 the report (inline CSS and SVG charts, no script, no network)
    outdir/map.html                    the network map (see :mod:`netmap.render.map`)
    outdir/map-opportunities.html      the map with the top opportunities highlighted
    outdir/tables/<section>.csv|.xlsx  every table of the report, in full, spreadsheet-safe

Each section comes from the analysis function that answers its question; a
section whose analysis is not installed is left out and listed in
:attr:`Report.missing`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..checks import whole_number
from ..dates import to_date
from ..errors import ArgumentError
from ..export import building_directory, write_table, write_text_file
from ..network import Network
from ..values import fmt_number
from .assets import cut, esc, esc_cut, fill, template
from .charts import bar_chart, html_table
from .map import write_map
from .style import NAME_CHARS, ROLE_COLORS, TIE_STYLES

__all__ = ["Report", "Section", "report_sections", "render_report", "write_report", "SECTIONS"]

#: Report sections in page order: (key, title, analysis module it needs).
SECTIONS = (
    ("summary", "Network summary", "summary"),
    ("central", "Top central partners", "centrality"),
    ("brokers", "Brokers", "brokerage"),
    ("risks", "Dependency risks", "dependency"),
    ("whatif", "What if a partner fails?", "whatif"),
    ("access", "Reaching capabilities and markets we lack", "paths"),
    ("opportunities", "Whom to approach next", "opportunities"),
    ("portfolio", "Relationship portfolio", "portfolio"),
)


@dataclass
class Section:
    """One part of the report: its HTML and the tables behind it (exported in full)."""

    key: str
    title: str
    html: str
    tables: dict = field(default_factory=dict)
    lead: str = ""
    meta: dict = field(default_factory=dict)  # the choices behind the tables (the analysis' Result meta)


@dataclass
class Report:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    path : Path
        ``report.html``.
    files : list of Path
        Every file written (report, maps, tables).
    sections : list of str
        Keys of the sections included, in page order.
    missing : list of str
        Titles of sections left out because their analysis is not installed.
    """

    path: Path
    files: list
    sections: list
    missing: list
    focal: str


def _has(module: str) -> bool:
    return importlib.util.find_spec(f"netmap.analysis.{module}") is not None


def report_sections(network: Network, focal: str | None = None, *, top: int = 10, as_of=None) -> tuple[list[Section], list[str]]:
    """Compute every section of the report for ``focal`` (default: the organisation marked focal).

    Returns the sections (in page order) and the titles of those left out
    because their analysis module is not installed.
    """
    focal = network.resolve_focal(focal)
    top = whole_number(top, "top")
    builders = {
        "summary": _summary,
        "central": _central,
        "brokers": _brokers,
        "risks": _risks,
        "whatif": _whatif,
        "access": _access,
        "opportunities": _opportunities,
        "portfolio": _portfolio,
    }
    out, missing = [], []
    for key, title, module in SECTIONS:
        if not _has(module):
            missing.append(title)
            continue
        sec = builders[key](network, focal, top, as_of)
        sec.key, sec.title = key, title
        out.append(sec)
    return out, missing


def render_report(network: Network, focal: str, sections: list[Section], links: dict[str, str],
                  *, generated: str = "") -> str:
    """The report page: sections, a contents list, links to the maps and exported tables."""
    nav = "".join(f'<li><a href="#{esc(s.key)}">{esc(s.title)}</a></li>' for s in sections)
    body = []
    for s in sections:
        files = "".join(
            f'<a href="{esc(links[name + ".csv"])}">{esc(name)}.csv</a> '
            f'<a href="{esc(links[name + ".xlsx"])}">{esc(name)}.xlsx</a> '
            for name in s.tables if name + ".csv" in links
        )
        body.append(
            f'<section id="{esc(s.key)}"><h2>{esc(s.title)}</h2>'
            + (f'<p class="lead">{esc(s.lead)}</p>' if s.lead else "")
            + s.html
            + (f'<p class="files">Full tables: {files}</p>' if files else "")
            + "</section>"
        )
    maps = "".join(
        f'<li><a href="{esc(href)}">{esc(label)}</a></li>'
        for label, href in links.items() if href.endswith(".html") and not label.endswith((".csv", ".xlsx"))
    )
    node = network.node(focal)
    return fill(
        template("report.html"),
        TITLE=esc(f"Network report: {cut(node['name'], NAME_CHARS)}"),
        FOCAL=f"{esc_cut(node['name'], NAME_CHARS)} ({esc_cut(focal, NAME_CHARS)})",
        SOURCE=esc(network.source or "(in memory)"),
        GENERATED=esc(generated),
        NAV=nav,
        MAPS=maps,
        BODY="".join(body),
    )


def write_report(
    network: Network,
    outdir: str | Path,
    focal: str | None = None,
    *,
    top: int = 10,
    as_of=None,
    maps: bool = True,
    max_nodes: int = 5000,
    seed: int = 0,
) -> Report:
    """Write the report, its maps and its tables under ``outdir``.

    Parameters
    ----------
    network : Network
    outdir : path
        Directory to write to: a new or empty directory, or a previous
        report, which is replaced whole. The report is built beside it and
        moved into place when complete, so a failed run leaves the previous
        report as it was.
    focal : str, optional
        The organisation the report is about; default the one marked focal.
    top : int (default=10)
        Rows per ranking shown on the page (the exported tables hold all rows).
    as_of : date or str, optional
        Date for the analyses that use the ties active on a date (paths,
        opportunities, what-if); default today.
    maps : bool (default=True)
        Also write ``map.html`` and ``map-opportunities.html``.
    max_nodes : int (default=5000)
        Passed to the maps (see :func:`netmap.render.map.map_data`).
    seed : int (default=0)
        Seed of the map layout.

    Returns
    -------
    Report
    """
    focal = network.resolve_focal(focal)
    day = to_date(as_of)
    final = Path(outdir)
    if final.is_file() or (final.is_dir() and any(final.iterdir()) and not (final / "report.html").is_file()):
        raise ArgumentError(f"{outdir} exists and is not a netmap report; write the report to a new or empty "
                            "directory (a previous report there is replaced whole)", param="outdir")
    sections, missing = report_sections(network, focal, top=top, as_of=as_of)
    with building_directory(final) as out:
        (out / "tables").mkdir()
        links: dict[str, str] = {}
        files: list[str] = []
        size = None
        if maps:
            write_map(network, out / "map.html", focal=focal, size=size, max_nodes=max_nodes, seed=seed,
                      as_of=as_of)
            links["Network map"] = "map.html"
            files.append("map.html")
            if _has("opportunities"):
                write_map(network, out / "map-opportunities.html", focal=focal, size=size,
                          highlight="opportunities", top=top, max_nodes=max_nodes, seed=seed, as_of=as_of)
                links["Map: whom to approach next"] = "map-opportunities.html"
                files.append("map-opportunities.html")
            if _has("dependency"):
                write_map(network, out / "map-risks.html", focal=focal, size=size, highlight="risks",
                          max_nodes=max_nodes, seed=seed, as_of=as_of)
                links["Map: dependency risks"] = "map-risks.html"
                files.append("map-risks.html")
        for s in sections:
            for name, df in s.tables.items():
                meta = {"report_section": s.title, "focal": focal, **s.meta}
                for ext in ("csv", "xlsx"):
                    rel = f"tables/{name}.{ext}"
                    write_table(_flat(df), ext, out / rel, meta=meta if ext == "xlsx" else None,
                                sheet_name=name[:31])
                    links[f"{name}.{ext}"] = rel
                    files.append(rel)
        html = render_report(network, focal, sections, links, generated=f"ties active on {day.isoformat()}")
        write_text_file(out / "report.html", html)
        files.insert(0, "report.html")
    return Report(final / "report.html", [final / f for f in files], [s.key for s in sections], missing, focal)


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].map(lambda v: isinstance(v, (list, tuple))).any():
            out[c] = out[c].map(lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


# ------------------------------------------------------------------ sections
def _summary(net: Network, focal: str, top: int, as_of) -> Section:
    from ..analysis.summary import summarize

    s = summarize(net)
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


def _central(net: Network, focal: str, top: int, as_of) -> Section:
    from ..analysis.centrality import centrality

    res = centrality(net, sort="pagerank")
    df = res.table
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


def _brokers(net: Network, focal: str, top: int, as_of) -> Section:
    from ..analysis.brokerage import brokerage

    res = brokerage(net)
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


def _risks(net: Network, focal: str, top: int, as_of) -> Section:
    from ..analysis.dependency import dependency_report

    rep = dependency_report(net, focal, as_of=as_of)
    cats = rep.categories
    html = "<h3>Supply concentration per input category</h3>"
    if cats.empty:
        html += '<p class="empty">No active SUPPLIES ties into us.</p>'
    else:
        sub = cats.head(max(top, 15))
        html += bar_chart(
            sub["category"], sub["hhi"], max_value=10_000,
            value_text=[f"{h:,.0f} ({lvl})" for h, lvl in zip(sub["hhi"], sub["level"])],
            color=["#D7301F" if h >= 2500 else "#FC8D59" if h >= 1500 else "#91BFDB" for h in sub["hhi"]],
            marks=[(1500, "1,500"), (2500, "2,500")], title="HHI per input category",
        )
        html += html_table(cats, {"category": "category", "suppliers": "suppliers", "hhi": "HHI", "level": "level",
                                  "top_name": "largest supplier", "top_share": "its share",
                                  "other_known_suppliers": "alternatives in the network", "reason": "why"},
                           max_rows=top)
    html += "<h3>Sales concentration</h3>" + html_table(
        rep.channels, {"channel": "channel", "partners": "partners", "top1_name": "largest", "top1_share": "its share",
                       "top5_share": "top-5 share", "hhi": "HHI", "level": "level"})
    html += "<h3>Hidden upstream concentration</h3>" + html_table(
        rep.hidden, {"name": "organisation", "tier": "tier", "tier1_count": "tier-1 suppliers depending on it",
                     "spend_share": "share of our spend through them", "categories_through": "categories",
                     "reason": "why"}, max_rows=top)
    html += "<h3>Structurally critical organisations</h3>" + html_table(
        rep.critical, {"name": "organisation", "direct_partner": "our partner", "hops": "ties away",
                       "organisations_cut_off": "organisations cut off", "lost_capabilities": "capabilities lost",
                       "lost_markets": "markets lost", "reason": "why"}, max_rows=top)
    tables = {"supply_categories": cats, "supply_shares": rep.supply, "sales_channels": rep.channels,
              "sales_shares": rep.sales, "hidden_concentration": rep.hidden, "structural_criticality": rep.critical}
    return Section("risks", "", html, tables, meta=rep.meta,
                   lead="Where we depend on few partners. HHI (Herfindahl-Hirschman index) is the sum of squared "
                        "percentage shares: 10,000 is a single source, above 2,500 highly concentrated, "
                        "1,500-2,500 moderately concentrated.")


def _whatif(net: Network, focal: str, top: int, as_of) -> Section:
    from ..analysis.whatif import dependency_ranking

    res = dependency_ranking(net, focal, as_of=as_of)
    df = res.table
    shown = df.head(top)
    html = ""
    if not shown.empty and "value_at_risk" in shown.columns:
        html += bar_chart(shown["name"], shown["value_at_risk"], color="#D7301F", title="Value at risk if the partner fails")
    html += html_table(shown, {"rank": "#", "name": "partner", "ties": "ties with us",
                               "input_categories_lost": "inputs lost", "lost_categories": "which",
                               "customers_lost": "customers lost", "capabilities_lost": "capabilities lost",
                               "markets_lost": "markets lost", "value_at_risk": "value at risk",
                               "value_at_risk_share": "share of our tie value", "reason": "why"})
    return Section("whatif", "", html, {"what_if": df}, meta=res.meta,
                   lead="Each direct partner removed in turn: the input categories, customers, capabilities and "
                        "markets we would lose, and the tie value at risk, worst first.")


#: Most capabilities (and markets) the access section searches paths for; the most widely held first.
ACCESS_MAX_ITEMS = 40


def _lacking(net: Network, focal: str, col: str) -> tuple[list[str], int]:
    """Items of ``col`` the focal organisation does not list: the most widely held first (then by name), capped."""
    have = {x.casefold() for x in net.node(focal)[col]}
    counts: dict[str, int] = {}
    for xs in net.nodes[col]:
        for x in set(xs):
            if x.casefold() not in have:
                counts[x] = counts.get(x, 0) + 1
    ranked = sorted(counts, key=lambda x: (-counts[x], x))
    return ranked[:ACCESS_MAX_ITEMS], max(0, len(ranked) - ACCESS_MAX_ITEMS)


def _access(net: Network, focal: str, top: int, as_of) -> Section:
    from ..analysis.paths import access_table
    from ..view import focal_view

    view = focal_view(net, focal, as_of)  # one view: the path graph is built once for every item
    rows = []
    left_out = {}
    for col, kind in (("capabilities", "capability"), ("markets", "market")):
        items, left_out[kind] = _lacking(net, focal, col)
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
        html += html_table(sub, {**{"item": kind}, **{k: v for k, v in show.items() if k != "item"}})
    return Section("access", "", html, {"access": df},
                   lead="For every capability and market that other organisations list and we do not: the holder we "
                        "reach over the most trusted chain of ties (product of tie strengths), and whom to ask for "
                        "the introduction.")


def _opportunities(net: Network, focal: str, top: int, as_of) -> Section:
    from ..analysis.markets import market_expansion
    from ..analysis.opportunities import opportunities
    from ..view import focal_view

    view = focal_view(net, focal, as_of)  # the shortlist and the markets share one candidate index
    res = opportunities(view, top=None)
    df = res.table
    shown = df.head(top)
    html = ""
    if not shown.empty:
        html += bar_chart(shown["name"], shown["score"], max_value=1.0,
                          value_text=[fmt_number(v, 2) for v in shown["score"]], color="#1A9850", title="Opportunity score")
    html += html_table(shown, {"rank": "#", "name": "organisation", "roles": "roles", "country": "country",
                               "hops": "ties away", "score": "score", "introducers": "introducers",
                               "drivers": "why", "new_capabilities": "new capabilities", "new_markets": "new markets"})
    mx = market_expansion(view).table
    html += "<h3>Markets our partners' partners open up</h3>"
    html += html_table(mx, {"market": "market", "organisations": "organisations", "distributors": "distributors",
                            "path_strength": "best path strength", "via": "via"}, max_rows=top)
    return Section("opportunities", "", html, {"opportunities": df, "market_expansion": mx}, meta=res.meta,
                   lead="Partners' partners we are not tied to yet, ranked by how well we could be introduced "
                        "(shared partners, tie strengths), fit and what they would add; with the introducers.")




def _portfolio(net: Network, focal: str, top: int, as_of) -> Section:
    from ..analysis.portfolio import portfolio
    from .charts import scatter_chart
    from .highlights import PORTFOLIO_COLORS

    res = portfolio(net, focal, as_of=as_of)
    cats, custs, segs, partners = (res[k] for k in ("supply_categories", "customers", "customer_segments", "partners"))
    html = "<h3>Supply portfolio: profit impact x supply risk (Kraljic)</h3>"
    if cats.empty:
        html += '<p class="empty">No active SUPPLIES ties into us.</p>'
    else:
        html += scatter_chart(
            cats["impact_share"] * 100, cats["risk_signals"], cats["category"],
            color=[PORTFOLIO_COLORS[q] for q in cats["quadrant"]],
            tips=[f"{q}, {r}" for q, r in zip(cats["quadrant"], cats["reason"])],
            x_mark=res.meta["impact_threshold"] * 100, y_mark=0.5, y_max=4.4, y_ticks=range(5),
            x_title="profit impact: % of our supply spend", y_title="supply risk: signals (0-4)",
            corners=("bottleneck", "strategic", "non-critical", "leverage"), title="Supply portfolio")
        html += html_table(cats, {"category": "category", "quadrant": "quadrant", "impact_share": "share of spend",
                                  "supply_risk": "supply risk", "action": "action", "reason": "why"}, max_rows=top)
    html += "<h3>Customer portfolio: value x relationship strength</h3>"
    judged = custs[custs["strength"].notna() & custs["value"].notna()]
    if custs.empty:
        html += '<p class="empty">No customers: we sell to nobody, directly or through distributors.</p>'
    else:
        values = judged["value"][judged["value"] > 0]
        spread = len(values) > 1 and values.max() > 100 * values.min()
        by_value = set(judged.sort_values(["value", "id"], ascending=[False, True], kind="stable")["id"].head(top))
        html += scatter_chart(
            judged["value"], judged["strength"], judged["name"],
            color=[PORTFOLIO_COLORS[s] for s in judged["segment"]],
            tips=[f"{s}, {r}" for s, r in zip(judged["segment"], judged["reason"])],
            labelled=[i in by_value or s == "at_risk" for i, s in zip(judged["id"], judged["segment"])],
            x_mark=res.meta["value_threshold"], y_mark=res.meta["strength_threshold"], y_max=1.0, x_log=spread,
            y_ticks=(0.0, 0.5, 1.0),
            x_title="value (CLV, else annual sales)" + (", log scale" if spread else ""),
            y_title="relationship strength", corners=("develop", "core", "serve", "at risk"),
            title="Customer portfolio")
        if len(judged) < len(custs):
            html += (f'<p class="more">{len(custs) - len(judged):,} customer(s) without relationship data or value '
                     "are not drawn; they are in the tables.</p>")
        html += html_table(segs, {"segment": "segment", "customers": "customers", "value": "value",
                                  "customers_at_risk": "with a retention risk", "value_at_risk": "value at risk",
                                  "action": "action"})
        html += html_table(custs, {"rank": "#", "name": "customer", "segment": "segment", "value": "value",
                                   "strength": "strength", "satisfaction": "satisfaction",
                                   "retention_risk": "retention risk", "reason": "why"}, max_rows=top)
    gap = partners[partners["commitment_trust_gap"].astype(bool)]
    html += (f"<h3>Relationship quality: the weakest of {len(partners):,} direct partners</h3>"
             + (f"<p>{len(gap):,} with a commitment-trust gap: good communication and mutual benefit, low trust or "
                "commitment.</p>" if len(gap) else "")
             + html_table(partners, {"name": "partner", "roles": "roles", "strength": "strength",
                                     "weakest_quality": "weakest", "commitment_trust_gap": "commitment-trust gap",
                                     "dependence": "dependence", "reason": "why"}, max_rows=top))
    tables = {f"portfolio_{k}": v for k, v in res.tables.items()}
    return Section("portfolio", "", html, tables, meta=res.meta,
                   lead="Which relationships to invest in, repair, develop or serve efficiently: the input "
                        "categories in Kraljic's purchasing portfolio (profit impact x supply risk), the customers "
                        "by value and relationship strength with their retention risk, and the quality of every "
                        "direct relationship (trust, communication, commitment, mutual benefit).")
