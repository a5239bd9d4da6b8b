"""Report section: the findings, in plain words, for a reader who reads nothing else.

The findings come from the results the other sections have already computed
(the report's :class:`~netmap.render.sections.base.ReportContext` cache): no
analysis runs twice, and a section that is not in the report gives no finding.
Each finding says what, with its numbers, why, where the section is, and which
map shows it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from ...values import fmt_number
from ..assets import cut, esc
from ..charts import percent
from ..style import LABEL_CHARS
from .base import ReportContext, Section

__all__ = ["MAP_LINKS", "Finding", "findings", "findings_section", "introducer", "map_link", "plain_drivers"]

#: The maps a finding may point to: file -> link text.
MAP_LINKS = {
    "map-risks.html": "risk map",
    "map-opportunities.html": "map of whom to approach",
    "map.html": "network map",
    "geo.html": "world map",
}

#: Most findings on the page.
MAX_FINDINGS = 8


@dataclass(frozen=True)
class Finding:
    """One finding: ``text`` and ``why`` are HTML (escaped); ``section`` is the key of its section."""

    title: str
    text: str
    why: str
    section: str
    map: str = ""


def map_link(href: str) -> str:
    """The link from a finding to the map file ``href`` (the report drops it when that map is not written)."""
    return f'<span class="maplink"> · <a href="{esc(href)}">{esc(MAP_LINKS[href])}</a></span>'


def findings(ctx: ReportContext) -> list[Finding]:
    """The findings of the report described by ``ctx``, most urgent first (at most :data:`MAX_FINDINGS`)."""
    out: list[Finding] = []
    for make in (_single_source, _costliest_loss, _customers_at_risk, _trust_gaps, _introductions, _access_gap,
                 _changes):
        found = make(ctx)
        if found is not None:
            out.append(found)
    return out[:MAX_FINDINGS]


def findings_section(ctx: ReportContext) -> Section:
    """The findings as the report's first section (built after the others, from their results)."""
    found = findings(ctx)
    if not found:
        html = '<p class="empty">No finding: the sections below found no concentration, loss or opportunity.</p>'
    else:
        items = []
        for f in found:
            links = f'<a href="#{esc(f.section)}">details</a>' + (map_link(f.map) if f.map else "")
            items.append(f'<article class="finding"><h3>{esc(f.title)}</h3><p>{f.text}</p>'
                         f'<p class="why"><span>Why:</span> {f.why}</p><p class="go">{links}</p></article>')
        html = '<div class="findings">' + "".join(items) + "</div>"
    return Section("findings", "", html, {},
                   lead="What the analyses below found, most urgent first, each with its reason, the section "
                        "with the details and the map that shows it.")


# ----------------------------------------------------------------- helpers
def _name(value) -> str:
    """An organisation's (or category's) name for a sentence: escaped, cut, the whole text on hover."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if len(text) <= LABEL_CHARS:
        return f"<strong>{esc(text)}</strong>"
    return f'<strong title="{esc(text)}">{esc(cut(text, LABEL_CHARS))}</strong>'


def _reason(value, limit: int = 240) -> str:
    return esc(cut(value, limit))


def _some(names: list[str], total: int) -> str:
    """``names`` (already HTML) joined in words, with how many more there are."""
    more = total - len(names)
    shown = ", ".join(names)
    return shown + (f" and {more:,} more" if more > 0 else "")


def _table(res, name: str | None = None):
    if res is None:
        return None
    try:
        return res[name] if name else res.table
    except (KeyError, AttributeError):
        return None


# ----------------------------------------------------------------- the findings
def _single_source(ctx: ReportContext) -> Finding | None:
    cats = _table(ctx.cache.get("dependency"), "categories")
    if cats is None or cats.empty:
        return None
    spend = float(cats["total_value"].fillna(0).sum())
    single = cats[cats["single_source"].astype(bool)]
    high = cats[cats["highly_concentrated"].astype(bool) & ~cats["single_source"].astype(bool)]
    if single.empty and high.empty:
        return None
    worst = single if not single.empty else high
    worst = worst.assign(_v=worst["total_value"].fillna(0)).sort_values(["_v", "category"], ascending=[False, True],
                                                                        kind="stable")
    parts = []
    for r in worst.head(3).itertuples():
        share = f", {percent(r.total_value / spend)} of our supply spend" if spend > 0 else ""
        parts.append(f"{_name(r.category)} (from {_name(r.top_name)}{share})")
    if not single.empty:
        title = (f"{len(single):,} input categor{'y comes' if len(single) == 1 else 'ies come'} from a single "
                 "supplier")
        text = f"Single source: {_some(parts, len(single))}."
        if len(high):
            text += f" {len(high):,} more categor{'y is' if len(high) == 1 else 'ies are'} highly concentrated."
        w = worst.iloc[0]
        alt = int(w.get("other_known_suppliers", 0) or 0)
        why = ("one supplier holds the whole category (HHI 10,000, the most concentrated there is): if it fails, "
               "no other supplier of ours delivers it; "
               + (f"{alt:,} other organisation{'s' if alt != 1 else ''} in the network suppl"
                  f"{'y' if alt != 1 else 'ies'} {_name(w['category'])} and could become a second source"
                  if alt else f"no other organisation in the network supplies {_name(w['category'])}"))
    else:
        title = f"{len(high):,} input categor{'y is' if len(high) == 1 else 'ies are'} highly concentrated"
        text = f"Few suppliers carry most of the spend: {_some(parts, len(high))}."
        why = _reason(worst.iloc[0]["reason"])
    return Finding(title, text, why, "risks", "map-risks.html")


def _costliest_loss(ctx: ReportContext) -> Finding | None:
    rank = _table(ctx.cache.get("what_if"))
    if rank is None:
        rank = _table(ctx.cache.get("dependency"), "ranking")
    if rank is None or rank.empty or "value_at_risk" not in rank.columns:
        return None
    r = rank.assign(_v=rank["value_at_risk"].fillna(0)).sort_values(["_v", "rank"], ascending=[False, True],
                                                                   kind="stable").iloc[0]
    if not r["_v"] > 0:
        return None
    share = r.get("value_at_risk_share")
    share = f" ({percent(share)} of the value of our ties)" if share is not None and not pd.isna(share) else ""
    text = (f"Losing {_name(r['name'])} would put {esc(fmt_number(r['value_at_risk']))}{share} at risk, more than "
            "any other partner.")
    lost = []
    for col, one, many in (("input_categories_lost", "input category", "input categories"),
                           ("customers_lost", "customer", "customers"),
                           ("capabilities_lost", "capability", "capabilities"), ("markets_lost", "market", "markets")):
        n = int(r.get(col, 0) or 0)
        if n:
            lost.append(f"{n:,} {one if n == 1 else many}")
    if lost:
        text += f" We would also lose {', '.join(lost)}."
    first = rank.iloc[0]
    if first["id"] != r["id"] and int(first.get("input_categories_lost", 0) or 0):
        text += (f" The partner whose loss hurts supply most is {_name(first['name'])}: "
                 f"{int(first['input_categories_lost']):,} input categor"
                 f"{'y' if int(first['input_categories_lost']) == 1 else 'ies'} left without a supplier.")
    return Finding(f"The costliest partner to lose: {cut(r['name'], LABEL_CHARS)}", text, _reason(r["reason"]),
                   "whatif", "map-risks.html")


def _customers_at_risk(ctx: ReportContext) -> Finding | None:
    segs = _table(ctx.cache.get("portfolio"), "customer_segments")
    custs = _table(ctx.cache.get("portfolio"), "customers")
    if segs is None or segs.empty:
        return None
    total = float(segs["value"].fillna(0).sum())
    at_risk = float(segs["value_at_risk"].fillna(0).sum())
    n_risk = int(segs["customers_at_risk"].fillna(0).sum())
    weak = segs[segs["segment"] == "at_risk"]
    if n_risk == 0 and (weak.empty or int(weak["customers"].iloc[0]) == 0):
        return None
    text = ""
    if not weak.empty and int(weak["customers"].iloc[0]):
        w = weak.iloc[0]
        text += (f"{int(w['customers']):,} high-value customer{'s have' if int(w['customers']) != 1 else ' has'} a "
                 f"weak relationship with us, worth {esc(fmt_number(w['value']))}"
                 + (f" ({percent(w['value'] / total)} of customer value)" if total > 0 else "") + ". ")
    text += (f"{n_risk:,} customer{'s show' if n_risk != 1 else ' shows'} a retention-risk signal; together they "
             f"are worth {esc(fmt_number(at_risk))}" + (f", {percent(at_risk / total)} of customer value" if total > 0
                                                         else "") + ".")
    why = "weak trust or commitment, low satisfaction, a tie about to end, one distributor or a small share of wallet"
    if custs is not None and not custs.empty and "retention_risk" in custs.columns:
        worst = custs.assign(_r=custs["retention_risk"].fillna(0)).sort_values(
            ["_r", "id"], ascending=[False, True], kind="stable").iloc[0]
        if worst["_r"] > 0:
            why = f"the most at risk, {_name(worst['name'])}: {_reason(worst['reason'], 200)}"
    return Finding("Customers we could lose", text, why, "portfolio", "map.html")


def _trust_gaps(ctx: ReportContext) -> Finding | None:
    partners = _table(ctx.cache.get("portfolio"), "partners")
    if partners is None or partners.empty or "commitment_trust_gap" not in partners.columns:
        return None
    gap = partners[partners["commitment_trust_gap"].astype(bool)]
    if gap.empty:
        return None
    gap = gap.assign(_v=gap["value"].fillna(0)).sort_values(["_v", "id"], ascending=[False, True], kind="stable")
    names = [_name(n) for n in gap["name"].head(3)]
    one = len(gap) == 1
    text = (f"{len(gap):,} of our {len(partners):,} direct partners {'talks' if one else 'talk'} well with us and "
            f"{'gains' if one else 'gain'} from the tie, but trust or commitment is low: {_some(names, len(gap))}.")
    why = ("good communication and mutual benefit (0.7 or more) with trust or commitment below 0.5: the partner "
           "works with us but does not commit, the gap to close first (after Morgan and Hunt)")
    return Finding("Relationships with a commitment-trust gap", text, why, "portfolio", "map.html")


_INTRO = re.compile(r"^(.+?): \d+\.\d+(?: to us|, )")
_ID_SUFFIX = re.compile(r"\s\(([^()]*)\)$")


def introducer(text) -> str:
    """The first (best) introducer named in the shortlist's ``introducers`` text, without its id."""
    m = _INTRO.match(str(text or ""))
    if not m:
        return ""
    who = m.group(1)
    return _ID_SUFFIX.sub("", who) if " then " not in who else " then ".join(
        _ID_SUFFIX.sub("", w) for w in who.split(" then "))


def _introductions(ctx: ReportContext) -> Finding | None:
    df = _table(ctx.cache.get("opportunities"))
    if df is None or df.empty:
        return None
    parts = []
    for r in df.head(3).itertuples():
        who = introducer(r.introducers)
        adds = [*r.new_capabilities, *r.new_markets] if isinstance(r.new_capabilities, tuple) else []
        parts.append(f"{_name(r.name)}" + (f" through {_name(who)}" if who else f" ({int(r.hops)} ties away)")
                     + (f", adding {esc(cut(', '.join(map(str, adds[:3])), 80))}" if adds else ""))
    top = df.iloc[0]
    text = f"The best introductions: {'; '.join(parts)}."
    why = (f"they share the most and strongest partners with us, fit our network and add what we lack "
           f"(top score {esc(fmt_number(top['score'], 2))} of 1; what drives it: {_reason(plain_drivers(top['drivers']), 120)})")
    return Finding("Whom to approach next", text, why, "opportunities", "map-opportunities.html")


#: The opportunity score's components in words.
DRIVER_WORDS = {
    "adamic_adar": "shared partners who have few partners",
    "resource_allocation": "shared partners who have few partners",
    "common_neighbours": "shared partners",
    "jaccard": "overlap of partners",
    "novelty": "new capabilities and markets",
    "fit": "fit",
    "brokerage_gain": "new reach for us",
}


def plain_drivers(text) -> str:
    """``drivers`` ("novelty 35%, adamic_adar 24%") in words: "new capabilities and markets 35 %, ...".

    Components that say the same in words are added up.

    >>> plain_drivers("novelty 35%, adamic_adar 24%, resource_allocation 13%")
    'new capabilities and markets 35\xa0%, shared partners who have few partners 37\xa0%'
    """
    out: dict[str, int] = {}
    for part in str(text or "").split(", "):
        m = re.match(r"^(\w+) (\d+)%$", part)
        if m and m.group(1) in DRIVER_WORDS:
            words = DRIVER_WORDS[m.group(1)]
            out[words] = out.get(words, 0) + int(m.group(2))
        elif part:
            out[part] = -1
    return ", ".join(w if n < 0 else f"{w} {n}\u00a0%" for w, n in out.items())


def _access_gap(ctx: ReportContext) -> Finding | None:
    acc = _table(ctx.cache.get("access"))
    if acc is None or acc.empty or "strength" not in acc.columns:
        return None
    from .reach import lacking

    parts, counted = [], []
    for kind, col, words in (("capability", "capabilities", ("capability", "capabilities")),
                             ("market", "markets", ("market", "markets"))):
        part = acc[acc["kind"] == kind]
        if part.empty:
            continue
        n = len(part) + lacking(ctx.network, ctx.focal, col)[1]  # the section analyses the most widely held
        counted.append(f"{n:,} {words[0] if n == 1 else words[1]}")
        reach = part[part["reachable"].astype(float) > 0] if "reachable" in part.columns else part
        reach = reach[reach["strength"].notna()]
        # the gap most widely held that we reach best: most holders first, then the strongest path
        if reach.empty:
            continue
        b = reach.assign(_s=reach["strength"].astype(float), _h=reach["holders"].astype(int)).sort_values(
            ["_h", "_s", "item"], ascending=[False, False, True], kind="stable").iloc[0]
        via = b.get("first_intermediary_name") or ""
        via = via if isinstance(via, str) else ""
        parts.append(f"{words[0]} {_name(b['item'])} ({int(b['holders']):,} holders): best through "
                     + (f"{_name(via)} to " if via else "our partner ")
                     + f"{_name(b['best_holder_name'])}, {int(b['hops']):,} tie{'s' if int(b['hops']) != 1 else ''} "
                       f"away, path strength {percent(b['strength'])}")
    if not parts:
        return None
    text = (f"Others in the network have {' and '.join(counted)} that we lack. The most widely held, and how we reach "
            f"them: {'; '.join(parts)}.")
    why = ("path strength is the product of the strengths of the ties on the way (trust, communication, commitment, "
           "mutual benefit): the most trusted chain of introductions")
    return Finding("Capabilities and markets within reach", text, why, "access", "map.html")


def _changes(ctx: ReportContext) -> Finding | None:
    res = ctx.cache.get("changes")  # present only when the report compares two snapshots
    if res is None:
        return None
    meta = getattr(res, "meta", {}) or {}
    df = _table(res)
    headline = meta.get("headline") or meta.get("summary")
    if not headline and (df is None or df.empty):
        return None
    if not headline:
        headline = f"{len(df):,} change{'s' if len(df) != 1 else ''} since the earlier snapshot"
    why = meta.get("why") or ""
    if not why and df is not None and not df.empty and "reason" in df.columns:
        why = "; ".join(str(x) for x in df["reason"].head(3))
    return Finding("What changed", esc(cut(headline, 300)), _reason(why or "the two snapshots compared"),
                   "changes", "map.html")
