"""The report section "What changed": new risks, lost partners, weaker ties and opportunities realised since an earlier snapshot."""

from __future__ import annotations


from ...values import fmt_number
from ..charts import html_table, percent
from .base import ReportContext, Section

__all__ = ["changes_section", "compare_result"]


def compare_result(ctx: ReportContext):
    """The comparison of ``ctx.before`` with the report's network, computed once per report (key ``changes``).

    The earlier snapshot is read on the date its name stands for
    (``2024-06-30``, ``2024``; see :func:`netmap.history.snapshot_date`),
    else today; the report's network on the report's date.
    """
    from ...analysis.compare import compare_networks

    def compute():
        return compare_networks(ctx.before, ctx.network, focal=ctx.focal, before_as_of=ctx.before_as_of,
                                after_as_of=ctx.as_of, top=ctx.top)

    return ctx.cached("changes", compute)


def changes_section(ctx: ReportContext) -> Section | None:
    """What changed since the earlier snapshot (``None`` when the report compares none)."""
    if ctx.before is None:
        return None
    r = compare_result(ctx)
    m = r.meta
    dep, health, opp = r["dependency"], r["health"], r["opportunities"]
    risky = dep[dep["flags"].str.contains("new single source|now highly concentrated|top supplier changed")]
    lost = health[health["kind"] != "strength fell"]
    weaker = health[health["kind"] == "strength fell"]
    lead = (f"Since {m['before_as_of']}: {len(risky)} input categor{'y' if len(risky) == 1 else 'ies'} became "
            f"riskier, {len(lost)} partner{'s' if len(lost) != 1 else ''} lost, {len(weaker)} relationship"
            f"{'s' if len(weaker) != 1 else ''} weakened, and {m.get('realised', 0)} of the earlier shortlist became "
            "partners.")
    html = html_table(r.table, {"item": "what", "before": f"on {m['before_as_of']}", "after": f"on {m['after_as_of']}",
                                 "change": "change", "reason": "in words"}, label="What changed, in numbers")
    html += "<h3>New risks in our supply</h3>"
    if risky.empty:
        html += '<p class="empty">No input category became single-sourced or highly concentrated, and no top ' \
                'supplier changed.</p>'
    else:
        html += html_table(risky, {"category": "category", "flags": "what changed", "hhi_before": "HHI before",
                                   "hhi_after": "HHI now", "top_name_after": "largest supplier now",
                                   "reason": "why"}, label="New risks in our supply", limits={"reason": 160})
    html += "<h3>Partners and customers lost, relationships weakened</h3>"
    if health.empty:
        html += (f'<p class="empty">No partner lost and no relationship weakened by {fmt_number(m["drop"])} or more '
                 "in strength.</p>")
    else:
        html += html_table(health, {"kind": "what", "name": "partner", "strength_change": "strength change",
                                    "clv": "customer lifetime value", "reason": "why"}, max_rows=ctx.top,
                           label="Partners lost and weaker relationships", limits={"reason": 160})
    html += "<h3>Opportunities realised</h3>"
    if opp.empty:
        html += '<p class="empty">The earlier snapshot shortlisted no one.</p>'
    else:
        html += (f"<p>{m['realised']} of the {m['shortlist']} organisations the earlier shortlist ranked first became "
                 f"partners: precision {percent(m['precision_at_k'], 0)}, against "
                 f"{percent(m['random_precision_at_k'], 0)} for a shortlist drawn at random.</p>")
        done = opp[opp["realised"]]
        if len(done):
            html += html_table(done, {"rank": "earlier rank", "name": "organisation", "reason": "now"},
                               label="Opportunities realised")
    tables = {f"changes_{k}": v for k, v in r.tables.items()}
    return Section("changes", "What changed", html, tables, lead=lead, meta=dict(m))
