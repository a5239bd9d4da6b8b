"""Interactive network maps: one self-contained, offline HTML file per map.

pyvis builds the node and edge records and the vis-network options; netmap
owns the page around them (inline vis-network, legend, search, filters that
never blank the graph, tooltips built as DOM text, highlight modes), because
pyvis's own template pulls scripts from CDNs and renders tooltips as text.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..checks import choice, whole_number
from ..dates import iso_day
from ..errors import ArgumentError
from ..export.files import write_text_file
from ..network import Network
from ..schema import ROLES, TIE_TYPES
from .assets import (
    VIS_LICENSE,
    cut,
    esc,
    fill,
    script_json,
    template,
    vis_network_css,
    vis_network_js,
)
from .highlights import Highlights, highlights
from .reduce import labelled_ids, reduce_network
from .style import (
    COLOR_BY,
    DASH_MAX_EDGES,
    FADED,
    HIGHLIGHTS,
    MAX_NODES,
    NAME_CHARS,
    OPPORTUNITY_COLOR,
    PHYSICS_MAX_NODES,
    ROLE_COLORS,
    SIZE_BY,
    SIZE_LABELS,
    TIE_STYLES,
    TIP_BETWEENNESS_MAX,
)
from .visdata import suggested_edges, vis_edges, vis_nodes, vis_options

__all__ = [
    "COLOR_BY",
    "HIGHLIGHTS",
    "MAX_NODES",
    "PHYSICS_MAX_NODES",
    "ROLE_COLORS",
    "SIZE_BY",
    "TIE_STYLES",
    "MapData",
    "ego_ids",
    "in_canonical_order",
    "map_data",
    "node_metrics",
    "render_map",
    "write_map",
]


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
    meta : dict
        The choices behind the map; ``organisations_shown``,
        ``organisations_total`` and ``chosen_by`` say how it was reduced.
    listed : list
        The highlighted organisations on the map, most severe first:
        ``[id, name, reason]``; the page lists them beside the map.
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
    listed: list = field(default_factory=list)  # [id, name, first reason] of the highlighted, most severe first

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
    cache: dict | None = None,
    report: str | None = None,
    compare: Network | None = None,
    compare_as_of=None,
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
        Their figures (partners, value, PageRank) are those of the whole
        network, as in the report.
    highlight : {"risks", "path", "opportunities", "portfolio"}, optional
        ``risks``: single-source suppliers and structurally critical partners
        of the focal organisation (red). ``path``: the strongest path from the
        focal organisation to ``path_to`` (purple). ``opportunities``: the
        ``top`` partners-of-partners worth approaching, with dashed green edges
        from the focal organisation. Risks are ranked by severity (what the
        loss would cost) and capped at :data:`RISK_MAX`; the page lists the
        highlighted organisations in that order and says how many more there are. ``portfolio``: suppliers coloured by
        Kraljic quadrant and customers by segment (see
        :func:`netmap.analysis.portfolio.portfolio`). Other organisations are
        faded (the page has a switch to unfade them).
    path_to : str, optional
        Target organisation of ``highlight="path"``.
    top : int (default=10)
        How many opportunity candidates to show.
    max_nodes : int (default=5000)
        Above this many organisations the map is reduced: it keeps the
        focal organisation, the highlighted ones and the focal's partners,
        then shares the rest of the room between the roles in proportion to
        their share of the network, the largest by the ``size`` metric
        first within each role (ties broken by id), and says so on the page
        and in ``meta["chosen_by"]``.
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
    cache : dict, optional
        Results already computed for the same focal organisation and date
        (the report's cache): ``centrality`` (of the ties active on the
        date), ``dependency``, ``opportunities``, ``portfolio`` and ``view``
        are used instead of being computed again.
    report : str, optional
        Address of the report the map belongs to; the page links back to it.
    compare, compare_as_of : Network and its date, optional
        An earlier snapshot: a change map (see :mod:`netmap.render.changes`).

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
    day = iso_day(as_of)
    if not all_ties:
        active = network.active(day)
        if active.n_edges < network.n_edges:
            gone = network.n_edges - active.n_edges
            notes.append(
                f"Ties active on {day}: {gone:,} of {network.n_edges:,} ties ended before or start after that "
                "date and are not drawn (draw all ties, or choose another date, to see them)."
            )
        network = active
    changes = None  # a change map: the later network plus what the earlier one lost (render/changes.py)
    if compare is not None:
        from .changes import change_highlights
        network, changes = change_highlights(compare, network, before_as_of=compare_as_of, all_ties=all_ties,
                                             highlight=highlight)
    need_focal = depth is not None or highlight is not None
    if focal is not None or need_focal:
        focal = network.resolve_focal(focal)
    elif len(network.focal_ids) == 1:
        focal = network.focal_ids[0]
    if path_to is not None:
        network.check_ids([path_to])
    # the report's results are for the ties active on its date; with every tie drawn, compute afresh
    cache = {} if (cache is None or all_ties) else cache

    # highlights come from the whole network (dependencies and paths need it)
    hl = (highlights(network, focal, highlight, path_to, top, as_of, cache=cache) if highlight
          else changes if changes is not None else Highlights())
    notes += hl.notes

    # figures of the whole network (an ego map or a reduced map shows the same numbers as the report)
    metrics = node_metrics(network, size, cache=cache)
    net = network
    chosen_by = ""
    if depth is not None:
        ego = ego_ids(network, focal, depth)
        keep = ego | hl.node_ids()
        net = network.subnetwork(keep)
        notes.append(
            f"Ego network of {cut(net.name(focal), NAME_CHARS)}: {net.n_nodes:,} of {total_nodes:,} organisations "
            f"within {depth} tie{'s' if depth != 1 else ''} (in either direction)"
            + (", plus the highlighted ones" if hl.node_ids() - ego else "")
            + ". Sizes and figures are those of the whole network, as in the report."
        )
        chosen_by = f"distance from {cut(net.name(focal), NAME_CHARS)} (within {depth} tie{'s' if depth != 1 else ''})"
    if net.n_nodes > max_nodes:
        net, note, chosen_by = reduce_network(net, metrics, size, max_nodes, focal, hl.node_ids())
        notes.append(note)
    net = in_canonical_order(net)  # the same page whatever the row order of the input files
    metrics = metrics.set_index("id").loc[list(net.ids)].reset_index()

    community = None
    if color == "community":
        community = _communities(net, seed)

    physics = net.n_nodes <= physics_max_nodes
    pos = None
    if not physics:
        from .layout import layout

        if compare is None:  # maps of one report that keep the same organisations share their layout
            key = ("map layout", seed, net.n_edges, tuple(net.ids))
            pos = cache[key] if key in cache else cache.setdefault(key, layout(net, seed=seed))
        else:
            pos = layout(net, seed=seed)
        notes.append(
            f"{net.n_nodes:,} organisations: positions computed in advance (seeded layout), physics off, "
            "so the map is ready at once; drag to pan, scroll to zoom."
        )

    # names looked up on the drawn organisations (a name index of a million-tie network costs a second)
    focal_name = cut(net.name(focal), NAME_CHARS) if focal else None
    labelled = labelled_ids(metrics, size, focal, hl.node_ids())
    nodes, colors = vis_nodes(net, metrics, size, color, community, focal, hl, pos, labelled)
    dashed = net.n_edges <= DASH_MAX_EDGES
    edges = vis_edges(net, hl, big=not physics, dashed=dashed)
    edges += suggested_edges(net, hl)
    options = vis_options(physics, net.n_nodes, len(edges))
    types_drawn = set(net.edges["type"])
    present_types = [t for t in TIE_TYPES if t in types_drawn]
    legend = {
        "color_by": color,
        "colors": colors,
        "size_by": SIZE_LABELS[size],
        "ties": [[t, TIE_STYLES[t]["label"], TIE_STYLES[t]["color"], (TIE_STYLES[t]["dashes"] or []) if dashed else []]
                 for t in present_types],
        "dashed": dashed,
        "highlight": highlight,
        "focal": focal_name,
    }
    if changes is not None:  # the change map's legend (render/changes.py)
        legend.update(highlight="changes", highlight_items=changes.legend)
    if not dashed:
        notes.append(f"{net.n_edges:,} ties: drawn as solid lines (tie types by colour only) so that the map stays "
                     f"quick to zoom and pan; dashes are drawn up to {DASH_MAX_EDGES:,} ties.")
    shown_ids = set(net.ids)
    listed = [[oid, cut(net.name(oid), NAME_CHARS), reasons[0] if reasons else ""]
              for oid, (_, reasons) in hl.nodes.items() if oid in shown_ids]
    meta = {
        "source": network.source,
        "organisations_shown": len(nodes),
        "ties_shown": len(edges),
        "organisations_total": total_nodes,
        "ties_total": total_edges,
        "chosen_by": chosen_by,
        "color": color,
        "size": size,
        "focal": focal,
        "depth": depth,
        "highlight": "changes" if changes is not None else highlight,
        "highlighted": [oid for oid, _, _ in listed],
        "highlighted_more": hl.more,
        "path_to": path_to,
        "layout": "vis-network physics (browser)" if physics else f"Pivot MDS in Python (seed {seed}), physics off",
        "max_nodes": max_nodes,
        "ties": "all ties in the data" if all_ties else f"ties active on {day}",
        "labels": len(labelled),
        "dashed": dashed,
        "report": report,
    }
    if title is None:
        title = f"Network map of {focal_name}" if focal else "Network map"
    return MapData(nodes, edges, options, legend, notes, total_nodes, total_edges, title, meta, listed)


#: Prefix of the node ids the page gives vis-network. vis-network keeps nodes in plain objects keyed by
#: id, and an organisation id such as ``constructor`` or ``__proto__`` (an Object property) breaks it
#: (endless recursion, a node not drawn); the organisation's own id stays in ``nm.id``.
VIS_ID_PREFIX = "o:"


def render_map(data: MapData) -> str:
    """The self-contained HTML page of a map (no external resource of any kind).

    The page's data holds the nodes with ids ``o:<organisation id>``
    (:data:`VIS_ID_PREFIX`) and the organisation id in ``nm.id``.
    """
    # vis-network draws nodes in the order given: the highlighted, then the focal, on top of the rest
    rank = {True: 1, False: 0}
    order = sorted(range(len(data.nodes)), key=lambda i: (rank[bool(data.nodes[i]["nm"]["hl"])]
                                                         + rank[bool(data.nodes[i]["nm"]["focal"])], i))
    payload = {
        "nodes": [{**data.nodes[i], "id": VIS_ID_PREFIX + str(data.nodes[i]["id"])} for i in order],
        "edges": [{**e, "from": VIS_ID_PREFIX + str(e["from"]), "to": VIS_ID_PREFIX + str(e["to"])} for e in data.edges],
        "options": data.options,
        "legend": data.legend,
        "notes": data.notes,
        "roles": list(ROLES),
        "tieTypes": list(TIE_TYPES),
        "faded": FADED,
        "tieColors": {**{t: s["color"] for t, s in TIE_STYLES.items()}, "SUGGESTED": OPPORTUNITY_COLOR},
        "listed": [[VIS_ID_PREFIX + str(i), name, why] for i, name, why in data.listed],
        "listedMore": int(data.meta.get("highlighted_more") or 0),
        "report": data.meta.get("report"),
        "title": data.title,
        "subtitle": "",
    }
    shown = f"{data.n_nodes:,} organisations, {data.n_edges:,} ties"
    if data.n_nodes < data.total_nodes:
        shown = f"showing {data.n_nodes:,} of {data.total_nodes:,} organisations ({data.n_edges:,} of " \
                f"{data.total_edges:,} ties)"
        if data.meta.get("chosen_by"):
            shown += f", chosen by {data.meta['chosen_by']}"
    payload["subtitle"] = shown
    report = data.meta.get("report")
    back = f'<a class="back" href="{esc(report)}">\u2190 Back to the report</a>' if report else ""
    return fill(
        template("map.html"),
        TITLE=esc(data.title),
        SUBTITLE=esc(shown),
        BACK=back,
        VIS_CSS=vis_network_css(),
        VIS_JS=vis_network_js(),
        VIS_LICENSE=esc(VIS_LICENSE),
        DATA=script_json(payload),
    )


def write_map(network: Network, output: str | Path, **options) -> MapData:
    """Build a map with :func:`map_data` and write it to ``output`` (HTML).

    ``options`` are those of :func:`map_data` (``cache`` passes results
    already computed, ``report`` links the page back to its report).
    Returns the :class:`MapData`, whose ``notes`` say what was reduced or
    highlighted.
    """
    data = map_data(network, **options)
    write_text_file(output, render_map(data))
    return data


def in_canonical_order(network: Network) -> Network:
    """``network`` with organisations sorted by id and ties by their identity (source, target, type, category).

    Everything a map shows follows this order: the node and tie records, the
    seeded layouts (vis-network's and Python's), the community colours and the
    highlights. So a map does not change when the rows of the input files are
    reordered.
    """
    nodes, edges = network.nodes, network.edges
    keys = [c for c in ("source", "target", "type", "category", "since", "until", "value", "strength")
            if c in edges.columns]
    node_order = nodes["id"].to_numpy(dtype=str).argsort(kind="stable")
    edge_order = edges.reset_index(drop=True).sort_values(keys, kind="stable", na_position="first").index.to_numpy()
    if (node_order == np.arange(len(nodes))).all() and (np.asarray(edge_order) == np.arange(len(edges))).all():
        return network
    out = Network(nodes.iloc[node_order], edges.iloc[edge_order], source=network.source,
                  default_strength=network.default_strength)
    out.strength_weights = dict(network.strength_weights)  # strengths are kept as derived, not derived again
    return out


# ---------------------------------------------------------------- metrics
def node_metrics(network: Network, size: str = "degree", cache: dict | None = None) -> pd.DataFrame:
    """Per-organisation figures shown on the map.

    Columns: ``id``, ``degree`` (distinct partners, either direction),
    ``value`` (total value of the organisation's ties, missing counted as 0),
    and ``pagerank`` / ``betweenness`` when ``size`` asks for them (from
    :func:`netmap.analysis.centrality.centrality`, or the ``centrality``
    result in ``cache``). Sizing by PageRank shows a sampled betweenness
    estimate (``betweenness_est``) in the tooltips above
    ``PHYSICS_MAX_NODES`` organisations, and none above
    ``TIP_BETWEENNESS_MAX`` (it would cost more than the rest of the map).
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
        out = out.merge(_centrality(network, size, cache), on="id", how="left")
    return out


def _centrality(network: Network, size: str, cache: dict | None = None) -> pd.DataFrame:
    done = (cache or {}).get("centrality")
    if done is not None and (size != "betweenness" or "betweenness" in done.table.columns):
        df = done.table
        cols = [c for c in ("pagerank", "betweenness") if c in df.columns]
        return df[["id", *cols]]
    try:
        from ..analysis.centrality import centrality
    except ImportError as e:  # the centrality analysis is not installed
        raise ArgumentError(f"sizing by {size} needs netmap's centrality analysis; size by degree or value",
                            param="size") from e
    # exact betweenness costs seconds on thousands of organisations; when it only feeds the tooltip,
    # the sampled estimate (256 seeded sources) is enough, and on very large networks none is shown
    n = network.n_nodes
    if size == "betweenness":
        metrics, how = ("pagerank", "betweenness"), "auto"
    elif n <= TIP_BETWEENNESS_MAX:
        metrics, how = ("pagerank", "betweenness"), ("sampled" if n > PHYSICS_MAX_NODES else "auto")
    else:
        metrics, how = ("pagerank",), "auto"
    df = centrality(network, betweenness=how, metrics=metrics).table
    cols = [c for c in ("pagerank", "betweenness") if c in df.columns]
    out = df[["id", *cols]]
    return out.rename(columns={"betweenness": "betweenness_est"}) if how == "sampled" else out


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


def _communities(net: Network, seed: int) -> pd.Series:
    try:
        from ..analysis.communities import communities
    except ImportError as e:
        raise ArgumentError("colouring by community needs netmap's community analysis; colour by role or country",
                            param="color") from e
    res = communities(net, seed=seed)
    return res.members.set_index("id")["community"].reindex(net.ids)


