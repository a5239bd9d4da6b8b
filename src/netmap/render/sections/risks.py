"""Report sections about what we depend on: concentration, hidden upstream concentration, what-if."""

from __future__ import annotations

from ...values import fmt_number
from ..charts import bar_chart, html_table, method_note, percent
from .base import ReportContext, Section

__all__ = ['risks_section', 'whatif_section']

#: What the dependency columns mean, in words (the tooltip of their headers).
RISK_WORDS = {
    "hhi": "Herfindahl-Hirschman index: the sum of the squared percentage shares of the suppliers, from near 0 "
           "(many small suppliers) to 10,000 (a single source); above 2,500 highly concentrated",
    "top_share": "the largest supplier's share of our spend in the category",
    "top1_share": "the largest partner's share of the channel's sales",
    "top5_share": "the five largest partners' share of the channel's sales",
    "other_known_suppliers": "other organisations in the network that supply this category to someone",
    "spend_share": "our spend with the tier-1 suppliers that depend on it, as a share of all our supply spend (an "
                   "upper bound)",
    "value_at_risk_share": "the value at risk as a share of the value of all our ties",
    "direct_partner": "whether we have a tie with it ourselves",
}


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
                           max_rows=top, percent_columns=("top_share",), notes=RISK_WORDS, limits={"reason": 160},
                           label="Supply concentration per input category")
    html += "<h3>Sales concentration</h3>" + html_table(
        rep.channels, {"channel": "channel", "partners": "partners", "top1_name": "largest", "top1_share": "its share",
                       "top5_share": "top-5 share", "hhi": "HHI", "level": "level"},
        percent_columns=("top1_share", "top5_share"), notes=RISK_WORDS, label="Sales concentration")
    html += "<h3>Hidden upstream concentration</h3>" + html_table(
        rep.hidden, {"name": "organisation", "tier": "tier", "tier1_count": "tier-1 suppliers depending on it",
                     "spend_share": "share of our spend through them", "categories_through": "categories",
                     "reason": "why"}, max_rows=top, percent_columns=("spend_share",), notes=RISK_WORDS,
        limits={"reason": 160, "categories_through": 80},
        label="Hidden upstream concentration")
    html += "<h3>Structurally critical organisations</h3>" + html_table(
        rep.critical, {"name": "organisation", "direct_partner": "our partner", "hops": "ties away",
                       "organisations_cut_off": "organisations cut off", "lost_capabilities": "capabilities lost",
                       "lost_markets": "markets lost", "reason": "why"}, max_rows=top, notes=RISK_WORDS,
        limits={"reason": 160},
        label="Structurally critical organisations")
    html += method_note(f"Shares are of the value of our ties in the category or channel ({rep.meta['share']})"
                        if rep.meta.get("share") else "",
                        f"Tiers: {rep.meta['tier']}" if rep.meta.get("tier") else "",
                        f"Ties active on {rep.meta['as_of']}" if rep.meta.get("as_of") else "")
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
        html += bar_chart(shown["name"], shown["value_at_risk"], color="#D7301F", title="Value at risk if the partner fails",
                          value_text=[fmt_number(v) + (f" ({percent(p)})" if "value_at_risk_share" in shown.columns
                                                       else "")
                                      for v, p in zip(shown["value_at_risk"],
                                                      shown.get("value_at_risk_share", shown["value_at_risk"]))])
    html += html_table(shown, {"rank": "#", "name": "partner", "ties": "ties with us",
                               "input_categories_lost": "inputs lost", "lost_categories": "which",
                               "customers_lost": "customers lost", "capabilities_lost": "capabilities lost",
                               "markets_lost": "markets lost", "value_at_risk": "value at risk",
                               "value_at_risk_share": "share of our tie value", "reason": "why"},
                       percent_columns=("value_at_risk_share",), notes=RISK_WORDS, label="What if a partner fails?",
                       limits={"reason": 160, "lost_categories": 80})
    html += method_note(f"Value at risk: {res.meta['value_at_risk']}" if res.meta.get("value_at_risk") else "",
                        f"Ranked by {res.meta['ranked_by'].replace('_', ' ')}" if res.meta.get("ranked_by") else "")
    return Section("whatif", "", html, {"what_if": df}, meta=res.meta,
                   lead="Each direct partner removed in turn: the input categories, customers, capabilities and "
                        "markets we would lose, and the tie value at risk, worst first.")
