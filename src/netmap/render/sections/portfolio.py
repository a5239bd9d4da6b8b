"""Report section: the relationship portfolio (Kraljic supply portfolio, customer segments, relationship quality)."""

from __future__ import annotations

from ...values import fmt_number
from ..charts import html_table, method_note
from .base import ReportContext, Section

__all__ = ['portfolio_section']

#: What the portfolio columns mean, in words (the tooltip of their headers).
PORTFOLIO_WORDS = {
    "impact_share": "the category's share of our supply spend (profit impact; high from 10 %)",
    "supply_risk": "high when one of four signals holds (see How, below)",
    "strength": "relationship strength, 0 to 1: the weighted mean of trust, communication, commitment and mutual "
                "benefit",
    "retention_risk": "the sum over the warning signals present (low satisfaction, low trust or commitment, a tie "
                      "about to end, one distributor, a small share of wallet); 0 = none",
    "share_at_risk": "the share of the segment's value held by customers with a retention-risk signal",
    "commitment_trust_gap": "good communication and mutual benefit, but low trust or commitment",
    "dependence": "who depends on whom: our spend as a share of their revenue against their share of our inputs",
}


def portfolio_section(ctx: ReportContext) -> Section:
    from ...analysis.portfolio import portfolio
    from ..charts import scatter_chart
    from ..highlights import PORTFOLIO_COLORS

    top = ctx.top

    res = ctx.cached("portfolio", lambda: portfolio(ctx.view, before=ctx.before, before_as_of=ctx.before_as_of))
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
                                  "supply_risk": "supply risk", "action": "action", "reason": "why"}, max_rows=top,
                           percent_columns=("impact_share",), notes=PORTFOLIO_WORDS, label="Supply portfolio",
                           limits={"reason": 200})
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
                                  "share_at_risk": "share at risk", "action": "action"},
                           percent_columns=("share_at_risk",), notes=PORTFOLIO_WORDS, label="Customer segments")
        html += html_table(custs, {"rank": "#", "name": "customer", "segment": "segment", "value": "value",
                                   "strength": "strength", "satisfaction": "satisfaction",
                                   "retention_risk": "retention risk", "reason": "why"}, max_rows=top,
                           notes=PORTFOLIO_WORDS, label="Customers", limits={"reason": 200})
    gap = partners[partners["commitment_trust_gap"].astype(bool)]
    html += (f"<h3>Relationship quality: the weakest of {len(partners):,} direct partners</h3>"
             + (f"<p>{len(gap):,} with a commitment-trust gap: good communication and mutual benefit, low trust or "
                "commitment.</p>" if len(gap) else "")
             + html_table(partners, {"name": "partner", "roles": "roles", "strength": "strength",
                                     "weakest_quality": "weakest", "commitment_trust_gap": "commitment-trust gap",
                                     "dependence": "dependence", "reason": "why"}, max_rows=top,
                                        notes=PORTFOLIO_WORDS, label="Relationship quality", limits={"reason": 200}))
    html += method_note("Relationship strength is the weighted mean of trust, communication, commitment and mutual "
                        "benefit, 0 to 1",
                        f"A customer's value is high from {fmt_number(res.meta['value_threshold'])} (the median) and a "
                        f"relationship strong from {fmt_number(res.meta['strength_threshold'], 2)}"
                        if "value_threshold" in res.meta and "strength_threshold" in res.meta else "",
                        "Supply risk counts four signals: a single supplier, HHI of 2,500 or more, one organisation "
                        "upstream behind two or more of the category's suppliers, and an exclusive tie carrying "
                        "half the spend or more")
    tables = {f"portfolio_{k}": v for k, v in res.tables.items()}
    return Section("portfolio", "", html, tables, meta=res.meta,
                   lead="Which relationships to invest in, repair, develop or serve efficiently: the input "
                        "categories in Kraljic's purchasing portfolio (profit impact x supply risk), the customers "
                        "by value and relationship strength with their retention risk, and the quality of every "
                        "direct relationship (trust, communication, commitment, mutual benefit).")
