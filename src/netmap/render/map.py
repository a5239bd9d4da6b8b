"""Interactive network maps: one self-contained, offline HTML file per map.

pyvis builds the node and edge records and the vis-network options; netmap
owns the page around them (inline vis-network, legend, search, filters that
never blank the graph, tooltips built as DOM text, highlight modes), because
pyvis's own template pulls scripts from CDNs and renders tooltips as text.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..checks import choice, whole_number
from ..dates import iso_day
from ..errors import ArgumentError, NetmapError
from ..export.files import write_text_file
from ..values import fmt_number
from ..network import Network
from ..schema import ROLES, SYMMETRIC_TYPES, TIE_TYPES
from .assets import VIS_LICENSE, esc, fill, script_json, template, vis_network_css, vis_network_js

__all__ = [
    "MapData",
    "map_data",
    "render_map",
    "write_map",
    "node_metrics",
    "ego_ids",
    "COLOR_BY",
    "SIZE_BY",
    "HIGHLIGHTS",
    "ROLE_COLORS",
    "TIE_STYLES",
    "PHYSICS_MAX_NODES",
    "MAX_NODES",
]

COLOR_BY = ("role", "community", "country")
SIZE_BY = ("pagerank", "betweenness", "value", "degree")
HIGHLIGHTS = ("risks", "path", "opportunities")

#: Maps with at most this many organisations are laid out by vis-network's physics in the browser.
PHYSICS_MAX_NODES = 1000
#: Maps with more organisations than this are reduced (see ``reduce``) before drawing.
MAX_NODES = 5000

#: Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
ROLE_COLORS = {
    "firm": "#0072B2",
    "supplier": "#E69F00",
    "distributor": "#009E73",
    "research_partner": "#CC79A7",
    "customer": "#56B4E9",
}
#: Colours for countries and communities, most frequent first; the rest are grey.
CATEGORICAL = [
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948",
    "#B07AA1", "#FF9DA7", "#9C755F", "#8CD17D", "#499894", "#D37295",
]
OTHER_COLOR = "#BAB0AC"
FADED = "rgba(200,200,200,0.35)"
#: Per tie type: colour, dash pattern (vis-network ``dashes``; ``False`` solid), arrow.
TIE_STYLES = {
    "SUPPLIES": {"color": "#8C6D31", "dashes": False, "label": "supplies (goods flow →)"},
    "SELLS_THROUGH": {"color": "#3A7DC9", "dashes": [10, 6], "label": "sells through (distributor)"},
    "SELLS_TO": {"color": "#2A9D8F", "dashes": [3, 5], "label": "sells to (customer)"},
    "COLLABORATES_WITH": {"color": "#9467BD", "dashes": [12, 4, 3, 4], "label": "collaborates with (research)"},
    "PARTNERS_WITH": {"color": "#6C757D", "dashes": [6, 3], "label": "partners with (alliance)"},
}
RISK_COLOR = "#D7301F"
PATH_COLOR = "#6A00A8"
OPPORTUNITY_COLOR = "#1A9850"
SIZE_LABELS = {"pagerank": "PageRank", "betweenness": "betweenness", "value": "total tie value", "degree": "partners (degree)"}


@dataclass
class MapData:
    """Everything a map shows, before it becomes HTML.

    Attributes
    ----------
    nodes, edges : list of dict
        vis-network records (built with pyvis): ``id``, ``label``, ``size``,
        ``color``, ``x``/``y`` when laid out in Python, and ``nm`` (the facts
        shown in the tooltip and used by the filters).
    options : dict
        vis-network options.
    legend : dict
        ``colors`` ([label, colour] pairs), ``color_by``, ``size_by``,
        ``ties`` (tie types present), ``highlight``.
    notes : list of str
        What the map shows and what was left out (reduction, highlights),
        one sentence each; shown at the top of the page.
    total_nodes, total_edges : int
        Size of the network before the ego network or reduction.
    """

    nodes: list
    edges: list
    options: dict
    legend: dict
    notes: list = field(default_factory=list)
    total_nodes: int = 0
    total_edges: int = 0
    title: str = "netmap"
    meta: dict = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        return len(self.edges)


def map_data(
    network: Network,
    *,
    color: str = "role",
    size: str | None = None,
    focal: str | None = None,
    depth: int | None = None,
    highlight: str | None = None,
    path_to: str | None = None,
    top: int = 10,
    max_nodes: int = MAX_NODES,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    seed: int = 0,
    title: str | None = None,
    as_of=None,
    all_ties: bool = False,
) -> MapData:
    """Build the nodes, edges, options and legend of a map.

    Parameters
    ----------
    network : Network
    color : {"role", "community", "country"} (default="role")
        Node colour. An organisation with several roles takes the colour of
        its first role in the order firm, supplier, distributor,
        research_partner, customer. Countries and communities get a colour
        each for the 12 largest, grey for the rest.
    size : {"pagerank", "betweenness", "value", "degree"}, optional
        Default ``"pagerank"`` (``"degree"`` where netmap's centrality
        analysis is not installed). Node size, proportional to the square root of the metric (so area
        tracks the metric). ``value`` is the total value of an
        organisation's ties, ``degree`` its number of distinct partners.
    focal : str, optional
        The organisation the map is about (default: the one marked focal,
        if exactly one is). Drawn as a diamond; the subject of ``depth`` and
        ``highlight``.
    depth : int, optional
        Show only the ego network: organisations within ``depth`` ties of
        the focal organisation (in either direction), and the ties among them.
    highlight : {"risks", "path", "opportunities"}, optional
        ``risks``: single-source suppliers and structurally critical partners
        of the focal organisation (red). ``path``: the strongest path from the
        focal organisation to ``path_to`` (purple). ``opportunities``: the
        ``top`` partners-of-partners worth approaching, with dashed green edges
        from the focal organisation. Other organisations are faded (the page
        has a switch to unfade them).
    path_to : str, optional
        Target organisation of ``highlight="path"``.
    top : int (default=10)
        How many opportunity candidates to show.
    max_nodes : int (default=5000)
        Above this many organisations the map is reduced: it keeps the
        focal and highlighted organisations and then the largest by the
        ``size`` metric (ties broken by id), and says so on the page.
    physics_max_nodes : int (default=1000)
        Up to this many organisations vis-network's physics lays the map out
        in the browser; above it positions are computed in Python
        (:func:`netmap.render.layout.layout`, seeded) and physics is off, so
        the map is interactive at once.
    seed : int (default=0)
        Seed of the Python layout (and of community detection).
    title : str, optional
        Page title (default "Network map of <focal name>").
    as_of : date or str, optional
        Draw the ties active on this date (default today), as the analyses
        do; the page says how many ended or future ties were left out.
    all_ties : bool (default=False)
        Draw every tie of the data, whatever its dates.

    Returns
    -------
    MapData

    Raises
    ------
    NetmapError
        Unknown colour/size/highlight option, ``path`` without ``path_to``, a
        missing focal organisation where one is needed.
    NodeNotFound
        Unknown ``focal`` or ``path_to`` id.

    Examples
    --------
    >>> from netmap import read_network
    >>> m = map_data(read_network("sample_data/tiny"), size="degree", all_ties=True)
    >>> m.n_nodes, m.n_edges
    (10, 14)
    """
    if size is None:
        size = "pagerank" if importlib.util.find_spec("netmap.analysis.centrality") else "degree"
    color = choice(color, "color", COLOR_BY)
    size = choice(size, "size", SIZE_BY)
    if highlight is not None:
        highlight = choice(highlight, "highlight", HIGHLIGHTS)
    if highlight == "path" and not path_to:
        raise ArgumentError("highlighting a path needs the organisation to reach (path_to)", param="path_to")
    if path_to and highlight not in (None, "path"):
        raise ArgumentError(f"an organisation to reach (path_to) goes with the 'path' highlight, not '{highlight}'",
                            param="path_to")
    if path_to and highlight is None:
        highlight = "path"
    depth = whole_number(depth, "depth", optional=True)
    max_nodes = whole_number(max_nodes, "max_nodes")
    top = whole_number(top, "top")

    total_nodes, total_edges = network.n_nodes, network.n_edges
    notes: list[str] = []
    if not all_ties:
        day = iso_day(as_of)
        active = network.active(day)
        if active.n_edges < network.n_edges:
            gone = network.n_edges - active.n_edges
            notes.append(
                f"Ties active on {day}: {gone:,} of {network.n_edges:,} ties ended before or start after that "
                "date and are not drawn (draw all ties, or choose another date, to see them)."
            )
        network = active
    need_focal = depth is not None or highlight is not None
    if focal is not None or need_focal:
        focal = network.resolve_focal(focal)
    elif len(network.focal_ids) == 1:
        focal = network.focal_ids[0]
    if path_to is not None:
        network.check_ids([path_to])

    # highlights come from the whole network (dependencies and paths need it)
    hl = _highlights(network, focal, highlight, path_to, top, as_of) if highlight else _Highlights()
    notes += hl.notes

    net = network
    if depth is not None:
        keep = ego_ids(network, focal, depth)
        keep |= hl.node_ids()
        net = network.subnetwork([i for i in network.ids if i in keep])
        notes.append(
            f"Ego network of {network.name(focal)}: {net.n_nodes:,} of {total_nodes:,} organisations "
            f"within {depth} tie{'s' if depth != 1 else ''} (in either direction)"
            + (", plus the highlighted ones" if hl.node_ids() - ego_ids(network, focal, depth) else "") + "."
        )

    metrics = node_metrics(net, size)
    if net.n_nodes > max_nodes:
        net, metrics, note = _reduce(net, metrics, size, max_nodes, {focal} if focal else set(), hl.node_ids())
        notes.append(note)

    community = None
    if color == "community":
        community = _communities(net, seed)

    physics = net.n_nodes <= physics_max_nodes
    pos = None
    if not physics:
        from .layout import layout

        pos = layout(net, seed=seed)
        notes.append(
            f"{net.n_nodes:,} organisations: positions computed in advance (seeded layout), physics off, "
            "so the map is ready at once; drag to pan, scroll to zoom."
        )

    nodes, colors = _nodes(net, metrics, size, color, community, focal, hl, pos)
    edges = _edges(net, hl, big=not physics)
    edges += _extra_edges(net, hl)
    options = _options(physics, net.n_nodes, len(edges))
    present_types = [t for t in TIE_TYPES if t in set(net.edges["type"])]
    legend = {
        "color_by": color,
        "colors": colors,
        "size_by": SIZE_LABELS[size],
        "ties": [[t, TIE_STYLES[t]["label"], TIE_STYLES[t]["color"], TIE_STYLES[t]["dashes"] or []] for t in present_types],
        "highlight": highlight,
        "focal": network.name(focal) if focal else None,
    }
    meta = {
        "source": network.source,
        "organisations_shown": len(nodes),
        "ties_shown": len(edges),
        "organisations_total": total_nodes,
        "ties_total": total_edges,
        "color": color,
        "size": size,
        "focal": focal,
        "depth": depth,
        "highlight": highlight,
        "path_to": path_to,
        "layout": "vis-network physics (browser)" if physics else f"Pivot MDS in Python (seed {seed}), physics off",
        "max_nodes": max_nodes,
        "ties": "all ties in the data" if all_ties else "ties active on the date",
    }
    if title is None:
        title = f"Network map of {network.name(focal)}" if focal else "Network map"
    return MapData(nodes, edges, options, legend, notes, total_nodes, total_edges, title, meta)


def render_map(data: MapData) -> str:
    """The self-contained HTML page of a map (no external resource of any kind)."""
    payload = {
        "nodes": data.nodes,
        "edges": data.edges,
        "options": data.options,
        "legend": data.legend,
        "notes": data.notes,
        "roles": list(ROLES),
        "tieTypes": list(TIE_TYPES),
        "faded": FADED,
        "tieColors": {**{t: s["color"] for t, s in TIE_STYLES.items()}, "SUGGESTED": OPPORTUNITY_COLOR},
    }
    shown = f"{data.n_nodes:,} organisations, {data.n_edges:,} ties"
    if data.n_nodes < data.total_nodes:
        shown += f" (of {data.total_nodes:,} organisations, {data.total_edges:,} ties)"
    return fill(
        template("map.html"),
        TITLE=esc(data.title),
        SUBTITLE=esc(shown),
        VIS_CSS=vis_network_css(),
        VIS_JS=vis_network_js(),
        VIS_LICENSE=esc(VIS_LICENSE),
        DATA=script_json(payload),
    )


def write_map(network: Network, output: str | Path, **options) -> MapData:
    """Build a map with :func:`map_data` and write it to ``output`` (HTML).

    Returns the :class:`MapData`, whose ``notes`` say what was reduced or
    highlighted.
    """
    data = map_data(network, **options)
    write_text_file(output, render_map(data))
    return data


# ---------------------------------------------------------------- metrics
def node_metrics(network: Network, size: str = "degree") -> pd.DataFrame:
    """Per-organisation figures shown on the map.

    Columns: ``id``, ``degree`` (distinct partners, either direction),
    ``value`` (total value of the organisation's ties, missing counted as 0),
    and ``pagerank`` / ``betweenness`` when ``size`` asks for them (from
    :func:`netmap.analysis.centrality.centrality`). Above
    ``PHYSICS_MAX_NODES`` organisations, sizing by PageRank shows a sampled
    betweenness estimate (``betweenness_est``) in the tooltips.
    """
    n = network.n_nodes
    from .layout import undirected_adjacency

    degree = np.diff(undirected_adjacency(network).indptr) if n else np.zeros(0, dtype=int)
    e = network.edges
    val = np.zeros(n)
    if len(e):
        v = e["value"].fillna(0.0).to_numpy(dtype=float)
        src, tgt = network.endpoints()
        np.add.at(val, src, v)
        np.add.at(val, tgt, v)
    out = pd.DataFrame({"id": network.ids, "degree": degree.astype(int), "value": val})
    if size in ("pagerank", "betweenness") and n:
        out = out.merge(_centrality(network, size), on="id", how="left")
    return out


def _centrality(network: Network, size: str) -> pd.DataFrame:
    try:
        from ..analysis.centrality import centrality
    except ImportError as e:  # the centrality analysis is not installed
        raise ArgumentError(f"sizing by {size} needs netmap's centrality analysis; size by degree or value",
                            param="size") from e
    # exact betweenness costs seconds on thousands of organisations; when it only feeds the tooltip,
    # the sampled estimate (256 seeded sources) is enough
    sampled = size != "betweenness" and network.n_nodes > PHYSICS_MAX_NODES
    df = centrality(network, betweenness="sampled" if sampled else "auto").table
    cols = [c for c in ("pagerank", "betweenness") if c in df.columns]
    out = df[["id", *cols]]
    return out.rename(columns={"betweenness": "betweenness_est"}) if sampled else out


def ego_ids(network: Network, focal: str, depth: int) -> set[str]:
    """Ids within ``depth`` ties of ``focal``, ties read in either direction (``focal`` included)."""
    from .layout import undirected_adjacency

    network.check_ids([focal])
    adj = undirected_adjacency(network)
    start = network.index[focal]
    seen = {start}
    frontier = [start]
    indptr, indices = adj.indptr, adj.indices
    for _ in range(depth):
        nxt = []
        for u in frontier:
            for w in indices[indptr[u]:indptr[u + 1]]:
                w = int(w)
                if w not in seen:
                    seen.add(w)
                    nxt.append(w)
        frontier = nxt
        if not frontier:
            break
    ids = network.ids
    return {ids[i] for i in seen}


def _reduce(net, metrics, size, max_nodes, must, highlighted):
    score = metrics[size].fillna(0.0).to_numpy(dtype=float)
    ids = np.asarray(net.ids, dtype=object)
    forced = [i for i in net.ids if i in must or i in highlighted]
    order = np.lexsort((ids, -score))  # largest first, id breaks ties
    keep = list(dict.fromkeys(forced))
    room = max(0, max_nodes - len(keep))
    chosen = set(keep)
    for i in order:
        if room == 0:
            break
        if ids[i] not in chosen:
            chosen.add(ids[i])
            room -= 1
    sub = net.subnetwork([i for i in net.ids if i in chosen])
    m = metrics.set_index("id").loc[sub.ids].reset_index()
    note = (
        f"Reduced for the browser: {sub.n_nodes:,} of {net.n_nodes:,} organisations are shown, "
        f"the largest by {SIZE_LABELS[size]}"
        + (" plus the focal and highlighted ones" if forced else "")
        + f", with the {sub.n_edges:,} ties among them. For the rest, draw one organisation's neighbourhood "
        "(a focal organisation and a depth) or allow more organisations."
    )
    return sub, m, note


def _communities(net: Network, seed: int) -> pd.Series:
    try:
        from ..analysis.communities import communities
    except ImportError as e:
        raise ArgumentError("colouring by community needs netmap's community analysis; colour by role or country",
                            param="color") from e
    res = communities(net, seed=seed)
    return res.members.set_index("id")["community"].reindex(net.ids)


# ------------------------------------------------------------- highlights
@dataclass
class _Highlights:
    nodes: dict = field(default_factory=dict)  # id -> (colour, [reasons])
    edges: dict = field(default_factory=dict)  # (source, target) -> colour, either order
    extra: list = field(default_factory=list)  # (source, target, label, reasons) dashed suggestions
    notes: list = field(default_factory=list)

    def node_ids(self) -> set[str]:
        return set(self.nodes) | {t for _, t, _, _ in self.extra} | {s for s, _, _, _ in self.extra}

    def add(self, org_id: str, colour: str, reason: str) -> None:
        c, reasons = self.nodes.get(org_id, (colour, []))
        if reason not in reasons:
            reasons.append(reason)
        self.nodes[org_id] = (c, reasons)


def _highlights(network: Network, focal: str, mode: str, path_to: str | None, top: int, as_of) -> _Highlights:
    if mode == "risks":
        return _risk_highlights(network, focal, as_of)
    if mode == "path":
        return _path_highlights(network, focal, path_to, as_of)
    return _opportunity_highlights(network, focal, top, as_of)


def _risk_highlights(network: Network, focal: str, as_of) -> _Highlights:
    from ..analysis.dependency import dependency_report

    hl = _Highlights()
    rep = dependency_report(network, focal, as_of=as_of)
    single = rep.categories[rep.categories["single_source"].astype(bool)]
    for r in single.itertuples(index=False):
        hl.add(r.top_supplier, RISK_COLOR, f"single source of {r.category}: {r.reason}")
        hl.edges[(r.top_supplier, focal)] = RISK_COLOR
    crit = rep.critical[rep.critical["articulation_point"].astype(bool)]
    for r in crit.itertuples(index=False):
        hl.add(r.id, RISK_COLOR, f"structurally critical: {r.reason}")
    rk = rep.ranking
    # a direct customer always "loses" itself; count only what is lost beyond the partner
    itself = rk["roles"].map(lambda r: "customer" in (r if isinstance(r, (list, tuple)) else str(r).split(";")))
    beyond = rk["customers_lost"] - itself.astype(int)
    losing = rk[(rk["input_categories_lost"] + beyond + rk["capabilities_lost"] + rk["markets_lost"]
                 + rk["organisations_cut_off"]) > 0]
    for r in losing.itertuples(index=False):
        hl.add(r.id, RISK_COLOR, f"critical partner: {r.reason}")
    hl.notes.append(
        f"Highlighted in red: {len(single)} single-source supplier"
        f"{'s' if len(single) != 1 else ''} of {network.name(focal)}, {len(crit)} organisation"
        f"{'s' if len(crit) != 1 else ''} whose loss cuts part of its network off, and {len(losing)} partner"
        f"{'s' if len(losing) != 1 else ''} whose loss costs an input, other customers, capabilities, markets or reach "
        f"(ties active on {rep.as_of}; hover for the reason)."
    )
    return hl


def _path_highlights(network: Network, focal: str, path_to: str, as_of) -> _Highlights:
    from ..analysis.paths import best_paths

    hl = _Highlights()
    if path_to == focal:
        raise ArgumentError(f"the organisation to reach ({path_to}) is the focal organisation itself; "
                            "choose another organisation", param="path_to")
    res = best_paths(network, focal, to=path_to, k=1, as_of=as_of)
    df = res.table
    if df.empty:
        why = res.meta.get("note", "")
        hl.notes.append(f"No path from {network.name(focal)} to {network.name(path_to)}" + (f": {why}" if why else "."))
        hl.add(path_to, PATH_COLOR, "target of the requested path (not reachable)")
        return hl
    r = df.iloc[0]
    nodes = list(r["nodes"])
    for i, oid in enumerate(nodes):
        if i == 0:
            reason = f"start of the strongest path to {network.name(path_to)}"
        elif i == len(nodes) - 1:
            reason = f"end of the strongest path ({int(r['hops'])} ties, strength {r['strength']:.3f})"
        else:
            reason = f"step {i} of the strongest path to {network.name(path_to)}"
        hl.add(oid, PATH_COLOR, reason)
    for a, b in zip(nodes, nodes[1:]):
        hl.edges[(a, b)] = PATH_COLOR
    hl.notes.append(
        f"Highlighted: the strongest path from {network.name(focal)} to {network.name(path_to)}: "
        f"{r['path_names']} ({int(r['hops'])} ties, product of tie strengths {r['strength']:.3f}; "
        f"weakest tie {r['weakest_tie']})."
    )
    return hl


def _opportunity_highlights(network: Network, focal: str, top: int, as_of) -> _Highlights:
    from ..analysis.opportunities import opportunities
    from ..analysis.paths import best_paths
    from ..view import focal_view

    hl = _Highlights()
    view = focal_view(network, focal, as_of)  # one view (and path graph) for the shortlist and every path
    df = opportunities(view, top=top).table
    if df.empty:
        hl.notes.append(f"No opportunity candidates for {network.name(focal)} (nobody within 3 ties who is not a partner yet).")
        return hl
    for r in df.itertuples(index=False):
        path = best_paths(view, to=r.id, k=1).table
        nodes = list(path.iloc[0]["nodes"]) if not path.empty else [focal, r.id]
        for a, b in zip(nodes, nodes[1:]):
            hl.edges[(a, b)] = OPPORTUNITY_COLOR
        for mid in nodes[1:-1]:
            hl.add(mid, OPPORTUNITY_COLOR, f"can introduce {network.name(focal)} to {r.name}")
        reason = f"opportunity #{r.rank} (score {r.score:.2f}); introducers: {r.introducers}"
        if r.drivers:
            reason += f"; why: {r.drivers}"
        hl.add(r.id, OPPORTUNITY_COLOR, reason)
        via = path.iloc[0]["first_intermediary_name"] if not path.empty else ""
        label = f"#{r.rank}" + (f" via {via}" if via else "")
        hl.extra.append((focal, r.id, label, [reason]))
    hl.notes.append(
        f"Highlighted: the top {len(df)} organisations {network.name(focal)} could approach next (green, with "
        "dashed suggested ties labelled with the best introducer) and the introduction paths to them."
    )
    return hl


# --------------------------------------------------------- nodes and edges
def _palette(values: pd.Series, none_label: str) -> tuple[dict, list]:
    counts = values.fillna(none_label).astype(str).replace("", none_label).value_counts()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    colors = {}
    legend = []
    for i, (k, c) in enumerate(ranked):
        col = CATEGORICAL[i] if i < len(CATEGORICAL) and k != none_label else OTHER_COLOR
        colors[k] = col
        if i < len(CATEGORICAL) and k != none_label:
            legend.append([f"{k} ({c:,})", col])
    if len(ranked) > len(CATEGORICAL) or none_label in colors:
        rest = sum(c for k, c in ranked if colors[k] == OTHER_COLOR)
        if rest:
            legend.append([f"other / none ({rest:,})", OTHER_COLOR])
    return colors, legend


def _nodes(net, metrics, size, color, community, focal, hl: _Highlights, pos):
    from pyvis.node import Node

    nd = net.nodes
    n = len(nd)
    score = metrics[size].fillna(0.0).to_numpy(dtype=float) if n else np.zeros(0)
    top = float(score.max()) if n and score.max() > 0 else 1.0
    sizes = 8.0 + 32.0 * np.sqrt(np.clip(score, 0, None) / top)
    first_role = [next((r for r in ROLES if r in rs), "") for rs in nd["roles"]]
    if color == "role":
        present = [r for r in ROLES if r in set(first_role)]
        colors = [[r.replace("_", " "), ROLE_COLORS[r]] for r in present]
        fill_color = [ROLE_COLORS.get(r, OTHER_COLOR) for r in first_role]
    elif color == "country":
        cmap, colors = _palette(nd["country"], "(none)")
        fill_color = [cmap[c if c else "(none)"] for c in nd["country"].astype(str)]
    else:
        labels = community.map(lambda c: "" if pd.isna(c) else f"community {int(c)}").reset_index(drop=True)
        cmap, colors = _palette(labels, "(none)")
        fill_color = [cmap[c if c else "(none)"] for c in labels]
    mcols = [c for c in ("pagerank", "betweenness", "betweenness_est", "degree", "value") if c in metrics.columns]
    mvals = {c: metrics[c].to_numpy() for c in mcols}
    mlabel = {"pagerank": "PageRank", "betweenness": "betweenness", "betweenness_est": "betweenness (estimate)",
              "degree": "partners", "value": "total tie value"}
    faded_mode = bool(hl.nodes) or bool(hl.extra)
    hl_ids = hl.node_ids()
    out = []
    px = pos["x"].to_numpy() if pos is not None else None
    py = pos["y"].to_numpy() if pos is not None else None
    recs = nd.to_dict("records")
    for i, rec in enumerate(recs):
        oid = rec["id"]
        base = fill_color[i]
        is_focal = oid == focal
        border = base
        width = 1
        reasons = []
        if oid in hl.nodes:
            border, reasons = hl.nodes[oid][0], hl.nodes[oid][1]
            width = 4
        if is_focal:
            width = max(width, 3)
            border = "#222222" if oid not in hl.nodes else border
        shown = base if (not faded_mode or oid in hl_ids or is_focal) else FADED
        opts = {
            "size": round(float(sizes[i]) * (1.3 if is_focal else 1.0), 2),
            "color": {
                "background": shown,
                "border": border if shown != FADED else FADED,
                "highlight": {"background": base, "border": "#000000"},
                "hover": {"background": base, "border": "#000000"},
            },
            "borderWidth": width,
            "nm": {
                "name": rec["name"],
                "id": oid,
                "roles": list(rec["roles"]),
                "country": rec["country"],
                "industry": rec["industry"],
                "capabilities": list(rec["capabilities"]),
                "markets": list(rec["markets"]),
                "metrics": [[mlabel[c], fmt_number(mvals[c][i])] for c in mcols],
                "notes": reasons,
                "focal": is_focal,
                "base": base,
                "border": border,
                "hl": oid in hl_ids or is_focal,
            },
        }
        if pos is not None:
            opts["x"] = float(px[i])
            opts["y"] = float(py[i])
        node = Node(oid, "diamond" if is_focal else "dot", label=str(rec["name"]), **opts)
        out.append(node.options)
    return out, colors


def _edges(net: Network, hl: _Highlights, big: bool) -> list:
    from pyvis.edge import Edge

    e = net.edges
    if e.empty:
        return []
    v = e["value"].to_numpy(dtype=float)
    vmax = np.nanmax(v) if np.isfinite(v).any() else 0.0
    widths = np.where(np.isfinite(v) & (vmax > 0), 1.0 + 7.0 * np.sqrt(np.nan_to_num(v) / (vmax or 1.0)), 1.0)
    faded_mode = bool(hl.nodes) or bool(hl.extra)
    out = []
    cols = ["source", "target", "type", "value", "category", "strength", "since", "until", "exclusive"]
    for i, (s, t, typ, val, cat, strength, since, until, excl) in enumerate(e[cols].itertuples(index=False, name=None)):
        style = TIE_STYLES.get(typ, {"color": "#999999", "dashes": False})
        hc = hl.edges.get((s, t)) or hl.edges.get((t, s))
        colour = hc or (FADED if faded_mode else style["color"])
        info = {
            "type": typ,
            "value": fmt_number(val),
            "category": cat,
            "strength": fmt_number(round(float(strength), 3)),
            "since": "" if pd.isna(since) else since.date().isoformat(),
            "until": "" if pd.isna(until) else until.date().isoformat(),
            "exclusive": bool(excl),
            "hl": bool(hc),
        }
        opts = {
            "id": f"t{i}",
            "width": round(float(widths[i]) * (1.6 if hc else 1.0), 2),
            "color": {"color": colour},
            "nm": info,
        }
        if style["dashes"]:
            opts["dashes"] = style["dashes"]
        if typ in SYMMETRIC_TYPES:
            opts["arrows"] = ""  # arrows are on for every tie (options); symmetric ties have none
        edge = Edge(s, t, directed=False, **opts)
        out.append(edge.options)
    return out


def _extra_edges(net: Network, hl: _Highlights) -> list:
    from pyvis.edge import Edge

    out = []
    present = set(net.ids)
    for i, (s, t, label, reasons) in enumerate(hl.extra):
        if s not in present or t not in present:
            continue
        edge = Edge(
            s, t, directed=True,
            id=f"x{i}", width=2.5, dashes=[4, 4], label=label,
            color={"color": OPPORTUNITY_COLOR},
            font={"size": 11, "color": OPPORTUNITY_COLOR, "strokeWidth": 3, "align": "top"},
            nm={"type": "SUGGESTED", "notes": reasons, "hl": True},
        )
        out.append(edge.options)
    return out


def _options(physics: bool, n_nodes: int, n_edges: int) -> dict:
    import json

    from pyvis.network import Network as PyvisNetwork

    pv = PyvisNetwork(directed=True, cdn_resources="remote")
    pv.toggle_physics(physics)
    if physics:
        pv.barnes_hut(gravity=-6000, central_gravity=0.3, spring_length=120, spring_strength=0.02, damping=0.3, overlap=0.2)
        pv.set_edge_smooth("continuous")
    else:
        pv.options.edges.smooth.enabled = False
    big = n_nodes > 2000 or n_edges > 8000
    pv.toggle_hide_edges_on_drag(big)
    opts = json.loads(pv.options.to_json())
    opts.pop("configure", None)
    opts["physics"]["stabilization"] = {"enabled": physics, "iterations": 300 if n_nodes <= 300 else 150, "fit": True}
    opts["physics"]["minVelocity"] = 1.0
    opts["interaction"].update({"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                                "multiselect": True, "hideEdgesOnZoom": big})
    opts["nodes"] = {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                     "scaling": {"label": {"enabled": True, "drawThreshold": 9 if big else 6}}}
    opts["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    opts["edges"]["color"] = {"inherit": False, "highlight": "#000000", "hover": "#000000"}
    opts["edges"]["selectionWidth"] = 2
    opts["layout"] = {"randomSeed": 7, "improvedLayout": physics and n_nodes <= 300}
    return opts
