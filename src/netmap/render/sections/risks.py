"""Report sections about what we depend on: concentration, hidden upstream concentration, what-if."""

from __future__ import annotations

from ..charts import bar_chart, html_table
from .base import ReportContext, Section

__all__ = ['risks_section', 'whatif_section']


def risks_section(ctx: ReportContext) -> Section:
    from ...analysis.dependency import dependency_report

    top = ctx.top

    rep = ctx.cached("dependency", lambda: dependency_report(ctx.view))
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


def whatif_section(ctx: ReportContext) -> Section:
    from ...analysis.whatif import dependency_ranking

    top = ctx.top

    res = ctx.cached("what_if", lambda: dependency_ranking(ctx.view))
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
