"""Report section "Where our network lives": supply and sales by country, tier by tier, on a world map."""

from __future__ import annotations

from ...values import fmt_number
from ..assets import esc
from ..charts import bar_chart, html_table, method_note
from .base import ReportContext, Section
from .findings import map_link

__all__ = ["GEO_MAP", "geography_section", "write_geo_map"]

#: Tiers the report traces the spend through.
TIERS = 3
#: The file of the report's interactive geographic map.
GEO_MAP = "geo.html"


def _exposure(ctx: ReportContext):
    from ...analysis.exposure import exposure

    return ctx.cached("exposure", lambda: exposure(ctx.view, tiers=TIERS))


def write_geo_map(ctx: ReportContext, path) -> dict:
    """Write the interactive geographic map of the report's focal organisation to ``path`` (the section's exposure)."""
    from ..geomap import write_geomap

    return write_geomap(ctx.view, path, exposure_result=_exposure(ctx))


def geography_section(ctx: ReportContext) -> Section:
    from ..geomap import geomap_data, static_svg

    ex = _exposure(ctx)
    sup, sal, conc = ex["supply"], ex["sales"], ex["concentration"]
    deepest = int(sup["tier"].max()) if len(sup) else 1
    t1, tn = sup[sup["tier"] == 1], sup[sup["tier"] == deepest]
    html = ""
    lead = ""
    if len(t1):
        top1, topn = t1.iloc[0], tn.iloc[0]
        lead = (f"{top1['share']:.0%} of our supply spend goes to suppliers in {top1['name']}; traced "
                f"{deepest} tiers upstream, {topn['share']:.0%} of it comes from {topn['name']}.")
        data = geomap_data(ctx.view, exposure_result=ex)
        html += static_svg(data, key="spend", label=f"supply spend traced to tier {deepest}")
        html += ('<p class="more">Darker = more of our spend traced there; our country is outlined in red. '
                 f'Hover a country for its figures; arcs show the flows between countries.{map_link(GEO_MAP)}</p>')
        for title, part in (("Supply spend by country, tier 1", t1), (f"Traced to tier {deepest}", tn)):
            part = part.head(ctx.top)
            html += f"<h3>{esc(title)}</h3>" + bar_chart(
                part["name"].tolist(), part["value"].tolist(),
                value_text=[f"{fmt_number(v)} ({s:.0%})" for v, s in zip(part["value"], part["share"])])
    else:
        html += "<p>No supply spend is recorded on the focal organisation's own ties.</p>"
    s1 = sal[sal["tier"] == 1] if len(sal) else sal
    if len(s1):
        html += "<h3>Sales by country (our direct customers and channels)</h3>" + bar_chart(
            s1["name"].head(ctx.top).tolist(), s1["value"].head(ctx.top).tolist(),
            value_text=[f"{fmt_number(v)} ({s:.0%})" for v, s in zip(s1["value"].head(ctx.top), s1["share"])])
    hot = conc[conc["hhi"] >= 2500] if len(conc) else conc
    if len(hot):
        html += "<h3>Inputs concentrated in one or few countries</h3>" + html_table(
            hot, {"category": "input", "tier": "tier", "countries": "countries", "top": "top country",
                  "top_share": "its share", "reason": "why"}, max_rows=ctx.top, percent_columns=("top_share",))
    html += method_note(
        "Tier 1 is our own spend per supplier, placed in the supplier's country",
        "Each further tier spreads a supplier's share over its own suppliers in proportion to their tie values "
        "(a supplier with no recorded supplier keeps its share)",
        "Concentration is the HHI of the spend by country, highly concentrated from 2,500")
    tables = {"exposure_supply": sup, "exposure_sales": sal, "exposure_concentration": conc,
              "exposure_flows": ex["flows"]}
    return Section("geography", "Where our network lives", html, tables, lead=lead, meta=dict(ex.meta))
