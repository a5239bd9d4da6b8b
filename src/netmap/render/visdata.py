"""The vis-network records of a map: nodes (size, colour, tooltip figures), ties (width, style) and options."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..network import Network
from ..schema import ROLES, SYMMETRIC_TYPES
from ..values import fmt_number
from .assets import cut
from .highlights import Highlights
from .style import (
    CATEGORICAL,
    FADED,
    LABEL_CHARS,
    NAME_CHARS,
    OPPORTUNITY_COLOR,
    OTHER_COLOR,
    ROLE_COLORS,
    TIE_STYLES,
)

__all__ = ["palette", "suggested_edges", "vis_edges", "vis_nodes", "vis_options"]


def palette(values: pd.Series, none_label: str) -> tuple[dict, list]:
    counts = values.fillna(none_label).astype(str).replace("", none_label).value_counts()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    colors = {}
    legend = []
    for i, (k, c) in enumerate(ranked):
        col = CATEGORICAL[i] if i < len(CATEGORICAL) and k != none_label else OTHER_COLOR
        colors[k] = col
        if i < len(CATEGORICAL) and k != none_label:
            legend.append([f"{cut(k, NAME_CHARS)} ({c:,})", col])
    if len(ranked) > len(CATEGORICAL) or none_label in colors:
        rest = sum(c for k, c in ranked if colors[k] == OTHER_COLOR)
        if rest:
            legend.append([f"other / none ({rest:,})", OTHER_COLOR])
    return colors, legend


def vis_nodes(net, metrics, size, color, community, focal, hl: Highlights, pos, labelled=None):
    """Node records; ``labelled`` (ids) keep their name drawn at every zoom, the others only when zoomed in."""
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
        cmap, colors = palette(nd["country"], "(none)")
        fill_color = [cmap[c if c else "(none)"] for c in nd["country"].astype(str)]
    else:
        labels = community.map(lambda c: "" if pd.isna(c) else f"community {int(c)}").reset_index(drop=True)
        cmap, colors = palette(labels, "(none)")
        fill_color = [cmap[c if c else "(none)"] for c in labels]
    # legend entry of each node (the page's legend toggles a group): its position in ``colors``
    group_of = {c: str(j) for j, (_, c) in enumerate(colors)}
    mcols = [c for c in ("pagerank", "betweenness", "betweenness_est", "degree", "value") if c in metrics.columns]
    mlabel = {"pagerank": "PageRank", "betweenness": "betweenness", "betweenness_est": "betweenness (estimate)",
              "degree": "partners", "value": "total tie value"}
    faded_mode = bool(hl.nodes) or bool(hl.extra)
    hl_ids = hl.node_ids()
    risk_line = _risk_lines(net)
    out = []
    px = pos["x"].tolist() if pos is not None else None
    py = pos["y"].tolist() if pos is not None else None
    sizes = sizes.tolist()
    metric_text = [[mlabel[c], text] for c in mcols for text in [_formatted(metrics[c])]]
    columns = zip(nd["id"].tolist(), nd["name"].tolist(), nd["roles"].tolist(), nd["country"].tolist(),
                  nd["industry"].tolist(), nd["capabilities"].tolist(), nd["markets"].tolist())
    for i, (oid, name, roles, country, industry, capabilities, markets) in enumerate(columns):
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
        # the keys in the order pyvis's Node gives them: the options, then id, label and shape
        opts = {
            "size": round(sizes[i] * (1.3 if is_focal else 1.0), 2),
            "color": {
                "background": shown,
                "border": border if shown != FADED else FADED,
                "highlight": {"background": base, "border": "#000000"},
                "hover": {"background": base, "border": "#000000"},
            },
            "borderWidth": width,
            "nm": {
                "name": name,
                "id": oid,
                "roles": list(roles),
                "country": country,
                "industry": industry,
                "capabilities": list(capabilities),
                "markets": list(markets),
                "metrics": [[label, text[i]] for label, text in metric_text] + risk_line(i),
                "notes": reasons,
                "focal": is_focal,
                "base": base,
                "border": border,
                "hl": oid in hl_ids or is_focal,
                "group": group_of.get(base, "other"),
                "label": labelled is None or oid in labelled,
            },
        }
        if labelled is not None and oid not in labelled:
            # drawn only once the name would be at least 20 px high on screen (zoomed in)
            opts["scaling"] = {"label": {"enabled": False, "drawThreshold": 20}}
        if pos is not None:
            opts["x"] = px[i]
            opts["y"] = py[i]
        opts["id"] = oid
        opts["label"] = cut(name, LABEL_CHARS)
        opts["shape"] = "diamond" if is_focal else "dot"
        out.append(opts)
    return out, colors


def _risk_lines(net):
    """Per node position, the tooltip line of its disruption risk (own, and with its suppliers'); none without risk data."""
    from ..analysis.risk import effective_risk_values, has_risk

    if not has_risk(net):
        return lambda i: []
    own, eff = net.nodes["risk"].to_numpy(dtype=float), effective_risk_values(net)
    return lambda i: [["risk (own / with suppliers)",
                       f"{'unknown' if np.isnan(own[i]) else f'{own[i]:.2f}'} / {eff[i]:.2f}"]]


def vis_edges(net: Network, hl: Highlights, big: bool, dashed: bool = True) -> list:
    """Tie records; ``dashed=False`` draws every tie solid (dashes cost most of a frame on large maps)."""
    e = net.edges
    if e.empty:
        return []
    v = e["value"].to_numpy(dtype=float)
    vmax = np.nanmax(v) if np.isfinite(v).any() else 0.0
    widths = np.where(np.isfinite(v) & (vmax > 0), 1.0 + 7.0 * np.sqrt(np.nan_to_num(v) / (vmax or 1.0)), 1.0)
    faded_mode = bool(hl.nodes) or bool(hl.extra)
    out = []
    # each column's text worked out once per distinct value (values, strengths and dates repeat)
    values = _formatted(e["value"])
    strengths = _formatted(e["strength"], lambda x: fmt_number(round(float(x), 3)))
    since = _formatted(e["since"], _day)
    until = _formatted(e["until"], _day)
    columns = zip(e["source"].tolist(), e["target"].tolist(), e["type"].tolist(), e["category"].tolist(),
                  e["exclusive"].tolist(), widths.tolist())
    for i, (s, t, typ, cat, excl, width) in enumerate(columns):
        style = TIE_STYLES.get(typ, {"color": "#999999", "dashes": False})
        hc = (hl.edges.get((s, t)) or hl.edges.get((t, s))) if hl.edges else None
        colour = hc or (FADED if faded_mode else style["color"])
        info = {
            "type": typ,
            "value": values[i],
            "category": cat,
            "strength": strengths[i],
            "since": since[i],
            "until": until[i],
            "exclusive": bool(excl),
            "hl": bool(hc),
        }
        # the keys in the order pyvis's Edge gives them: the options, then from and to
        opts = {
            "id": f"t{i}",
            "width": round(width * (1.6 if hc else 1.0), 2),
            "color": {"color": colour},
            "nm": info,
        }
        if style["dashes"] and dashed:
            opts["dashes"] = style["dashes"]
        if typ in SYMMETRIC_TYPES:
            opts["arrows"] = ""  # arrows are on for every tie (options); symmetric ties have none
        opts["from"] = s
        opts["to"] = t
        out.append(opts)
    return out


def _day(d) -> str:
    return "" if pd.isna(d) else d.date().isoformat()


def _formatted(values: pd.Series, how=fmt_number) -> list:
    """``how`` of each value of a column, worked out once per distinct value (missing values once too)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    missing = values[codes == -1]
    texts = [how(u) for u in uniques] + [how(missing.iloc[0]) if len(missing) else ""]
    out = np.array(texts, dtype=object)[codes]  # code -1 (missing) takes the last text
    if values.dtype.kind == "f":  # 0.0 and -0.0 are one value to factorize but may read differently
        a = values.to_numpy()
        for i in np.flatnonzero((a == 0) & np.signbit(a)):
            out[i] = how(a[i])
    return out.tolist()


def suggested_edges(net: Network, hl: Highlights) -> list:
    out = []
    present = set(net.ids)
    for i, (s, t, label, reasons) in enumerate(hl.extra):
        if s not in present or t not in present:
            continue
        out.append({  # the keys in the order pyvis's Edge gives them
            "id": f"x{i}", "width": 2.5, "dashes": [4, 4], "label": label,
            "color": {"color": OPPORTUNITY_COLOR},
            "font": {"size": 11, "color": OPPORTUNITY_COLOR, "strokeWidth": 3, "align": "top"},
            "nm": {"type": "SUGGESTED", "notes": reasons, "hl": True},
            "from": s, "to": t, "arrows": "to",
        })
    return out


def vis_options(physics: bool, n_nodes: int, n_edges: int) -> dict:
    import json

    # pyvis's option defaults, without importing its Network (networkx, jinja2)
    from pyvis.options import Options

    pv = Options(None)
    pv.physics.enabled = physics
    if physics:
        pv.physics.use_barnes_hut({"gravity": -6000, "central_gravity": 0.3, "spring_length": 120,
                                   "spring_strength": 0.02, "damping": 0.3, "overlap": 0.2})
        pv.edges.smooth.enabled = True
        pv.edges.smooth.type = "continuous"
    else:
        pv.edges.smooth.enabled = False
    big = n_nodes > 2000 or n_edges > 8000
    pv.interaction.hideEdgesOnDrag = big
    opts = json.loads(pv.to_json())
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
