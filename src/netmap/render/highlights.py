"""Highlight modes of a map: dependency risks, the strongest path to one organisation, whom to approach next."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ArgumentError
from ..network import Network
from .assets import cut
from .style import (
    NAME_CHARS,
    OPPORTUNITY_COLOR,
    PATH_COLOR,
    RISK_COLOR,
    RISK_MAX,
    TEXT_CHARS,
)

__all__ = [
    "PORTFOLIO_COLORS",
    "Highlights",
    "highlights",
    "opportunity_highlights",
    "path_highlights",
    "portfolio_highlights",
    "risk_highlights",
]


@dataclass
class Highlights:
    """What a highlight mode marks on the map, and why (each reason is shown in the tooltip)."""

    nodes: dict = field(default_factory=dict)  # id -> (colour, [reasons])
    edges: dict = field(default_factory=dict)  # (source, target) -> colour, either order
    extra: list = field(default_factory=list)  # (source, target, label, reasons) dashed suggestions
    notes: list = field(default_factory=list)
    more: int = 0  # organisations that qualify but were left out by the cap (most severe are kept)

    def node_ids(self) -> set[str]:
        return set(self.nodes) | {t for _, t, _, _ in self.extra} | {s for s, _, _, _ in self.extra}

    def add(self, org_id: str, colour: str, reason: str) -> None:
        c, reasons = self.nodes.get(org_id, (colour, []))
        if reason not in reasons:
            reasons.append(reason)
        self.nodes[org_id] = (c, reasons)


def highlights(network: Network, focal: str, mode: str, path_to: str | None, top: int, as_of,
               cache: dict | None = None) -> Highlights:
    """The organisations and ties to highlight for ``mode`` (risks, path or opportunities), with reasons.

    ``cache`` holds results already computed for ``focal`` on ``as_of`` (the report's: ``dependency``,
    ``opportunities``, ``portfolio``, ``view``); they are used instead of computing them again.
    """
    cache = {} if cache is None else cache
    if mode == "risks":
        return risk_highlights(network, focal, as_of, cache=cache)
    if mode == "path":
        return path_highlights(network, focal, path_to, as_of)
    if mode == "portfolio":
        return portfolio_highlights(network, focal, as_of, cache=cache)
    return opportunity_highlights(network, focal, top, as_of, cache=cache)


def risk_highlights(network: Network, focal: str, as_of, cache: dict | None = None,
                    limit: int = RISK_MAX) -> Highlights:
    """The focal's dependency risks, most severe first, at most ``limit`` of them.

    Severity is the order of the dependency ranking (what losing the partner
    would cost: inputs, customers, capabilities, markets, reach, value);
    single-source suppliers and structurally critical organisations that the
    ranking does not hold follow. ``more`` counts those left out by the cap.
    """
    from ..analysis.dependency import dependency_report

    hl = Highlights()
    rep = (cache or {}).get("dependency")
    if rep is None:
        rep = dependency_report(network, focal, as_of=as_of)
    single = rep.categories[rep.categories["single_source"].astype(bool)]
    crit = rep.critical[rep.critical["articulation_point"].astype(bool)]
    rk = rep.ranking
    # a direct customer always "loses" itself; count only what is lost beyond the partner
    itself = rk["roles"].map(lambda r: "customer" in (r if isinstance(r, (list, tuple)) else str(r).split(";")))
    beyond = rk["customers_lost"] - itself.astype(int)
    losing = rk[(rk["input_categories_lost"] + beyond + rk["capabilities_lost"] + rk["markets_lost"]
                 + rk["organisations_cut_off"]) > 0]
    reasons: dict[str, list] = {}
    for r in losing.itertuples(index=False):  # the ranking's order: most costly loss first
        reasons.setdefault(r.id, []).append(cut(f"critical partner (#{r.rank} of the dependency ranking): "
                                                f"{r.reason}", TEXT_CHARS))
    for r in single.itertuples(index=False):
        reasons.setdefault(r.top_supplier, []).append(cut(f"single source of {r.category}: {r.reason}", TEXT_CHARS))
    for r in crit.itertuples(index=False):
        reasons.setdefault(r.id, []).append(cut(f"structurally critical: {r.reason}", TEXT_CHARS))
    ranked = list(reasons)
    kept = ranked[:limit]
    for oid in kept:
        for why in reasons[oid]:
            hl.add(oid, RISK_COLOR, why)
    kept_set = set(kept)
    for r in single.itertuples(index=False):
        if r.top_supplier in kept_set:
            hl.edges[(r.top_supplier, focal)] = RISK_COLOR
    hl.more = len(ranked) - len(kept)
    hl.notes.append(
        f"Highlighted in red: {len(single)} single-source supplier"
        f"{'s' if len(single) != 1 else ''} of {_name(network, focal)}, {len(crit)} organisation"
        f"{'s' if len(crit) != 1 else ''} whose loss cuts part of its network off, and {len(losing)} partner"
        f"{'s' if len(losing) != 1 else ''} whose loss costs an input, other customers, capabilities, markets or reach "
        f"(ties active on {rep.as_of}; hover for the reason)."
        + (f" The {len(kept)} most severe of these {len(ranked):,} organisations are marked, most severe first in "
           f"the list beside the map; {hl.more:,} more are in the dependency table." if hl.more else "")
    )
    return hl


def path_highlights(network: Network, focal: str, path_to: str, as_of) -> Highlights:
    from ..analysis.paths import best_paths

    hl = Highlights()
    if path_to == focal:
        raise ArgumentError(f"the organisation to reach ({path_to}) is the focal organisation itself; "
                            "choose another organisation", param="path_to")
    res = best_paths(network, focal, to=path_to, k=1, as_of=as_of)
    df = res.table
    if df.empty:
        why = res.meta.get("note", "")
        hl.notes.append(f"No path from {_name(network, focal)} to {_name(network, path_to)}" + (f": {why}" if why else "."))
        hl.add(path_to, PATH_COLOR, "target of the requested path (not reachable)")
        return hl
    r = df.iloc[0]
    nodes = list(r["nodes"])
    for i, oid in enumerate(nodes):
        if i == 0:
            reason = f"start of the strongest path to {_name(network, path_to)}"
        elif i == len(nodes) - 1:
            reason = f"end of the strongest path ({int(r['hops'])} ties, strength {r['strength']:.3f})"
        else:
            reason = f"step {i} of the strongest path to {_name(network, path_to)}"
        hl.add(oid, PATH_COLOR, reason)
    for a, b in zip(nodes, nodes[1:]):
        hl.edges[(a, b)] = PATH_COLOR
    hl.notes.append(
        f"Highlighted: the strongest path from {_name(network, focal)} to {_name(network, path_to)}: "
        f"{cut(r['path_names'], TEXT_CHARS)} ({int(r['hops'])} ties, product of tie strengths {r['strength']:.3f}; "
        f"weakest tie {cut(r['weakest_tie'], TEXT_CHARS)})."
    )
    return hl


def opportunity_highlights(network: Network, focal: str, top: int, as_of, cache: dict | None = None) -> Highlights:
    from ..analysis.opportunities import opportunities
    from ..analysis.paths import best_paths
    from ..view import focal_view

    hl = Highlights()
    cache = {} if cache is None else cache
    view = cache.get("view")
    if view is None:
        view = focal_view(network, focal, as_of)  # one view (and path graph) for the shortlist and every path
    done = cache.get("opportunities")
    df = done.table.head(top) if done is not None else opportunities(view, top=top).table
    if df.empty:
        hl.notes.append(f"No opportunity candidates for {_name(network, focal)} (nobody within 3 ties who is not a partner yet).")
        return hl
    for r in df.itertuples(index=False):
        path = best_paths(view, to=r.id, k=1).table
        nodes = list(path.iloc[0]["nodes"]) if not path.empty else [focal, r.id]
        for a, b in zip(nodes, nodes[1:]):
            hl.edges[(a, b)] = OPPORTUNITY_COLOR
        for mid in nodes[1:-1]:
            hl.add(mid, OPPORTUNITY_COLOR, f"can introduce {_name(network, focal)} to {cut(r.name, NAME_CHARS)}")
        reason = f"opportunity #{r.rank} (score {r.score:.2f}); introducers: {r.introducers}"
        if r.drivers:
            reason += f"; why: {r.drivers}"
        reason = cut(reason, TEXT_CHARS)
        hl.add(r.id, OPPORTUNITY_COLOR, reason)
        via = path.iloc[0]["first_intermediary_name"] if not path.empty else ""
        label = f"#{r.rank}" + (f" via {cut(via, NAME_CHARS)}" if via else "")
        hl.extra.append((focal, r.id, label, [reason]))
    hl.notes.append(
        f"Highlighted: the top {len(df)} organisations {_name(network, focal)} could approach next (green, with "
        "dashed suggested ties labelled with the best introducer) and the introduction paths to them."
    )
    return hl


def _name(network: Network, org_id: str) -> str:
    """An organisation's name as a note or reason shows it: cut to :data:`NAME_CHARS` characters."""
    return cut(network.name(org_id), NAME_CHARS)


#: Colours of the relationship portfolio: Kraljic quadrants of suppliers, segments of customers.
PORTFOLIO_COLORS = {
    "strategic": "#D55E00", "bottleneck": "#E69F00", "leverage": "#0072B2", "non-critical": "#999999",
    "at_risk": "#D55E00", "core": "#009E73", "develop": "#56B4E9", "serve": "#999999",
    "no relationship data": "#CCCCCC",
}
_COLOR_WORDS = {"#D55E00": "red-orange", "#E69F00": "orange", "#0072B2": "blue", "#999999": "grey",
                "#009E73": "green", "#56B4E9": "light blue", "#CCCCCC": "light grey"}


def portfolio_highlights(network: Network, focal: str, as_of, cache: dict | None = None) -> Highlights:
    """Suppliers coloured by their Kraljic quadrant and customers by their segment, each with the reason."""
    from ..analysis.portfolio import portfolio

    hl = Highlights()
    res = (cache or {}).get("portfolio")
    if res is None:
        res = portfolio(network, focal, as_of=as_of)
    for r in res["suppliers"].itertuples(index=False):
        colour = PORTFOLIO_COLORS[r.quadrant]
        hl.add(r.id, colour, cut(f"supplier, {r.quadrant}: {r.reason}", TEXT_CHARS))
        hl.edges[(r.id, focal)] = colour
    customers = res["customers"]
    for r in customers.itertuples(index=False):
        colour = PORTFOLIO_COLORS[r.segment]
        hl.add(r.id, colour, cut(f"customer, {r.segment} (retention-risk rank {r.rank}): {r.reason}", TEXT_CHARS))
        if r.channel.startswith("direct"):
            hl.edges[(focal, r.id)] = colour
    quads = res["suppliers"]["quadrant"].value_counts()
    segs = customers["segment"].value_counts()

    def key(counts) -> str:
        return ", ".join(f"{k} {counts[k]} ({_COLOR_WORDS[c]})" for k, c in PORTFOLIO_COLORS.items() if k in counts)

    hl.notes.append(
        f"Highlighted: the relationship portfolio of {_name(network, focal)} (ties active on {res.meta['as_of']}): "
        f"suppliers by the Kraljic quadrant of their categories -- {key(quads) or 'none'}; customers by segment -- "
        f"{key(segs) or 'none'}. Hover for the reason."
    )
    return hl
