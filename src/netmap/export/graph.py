"""The network as a graph file for Gephi, yEd or Cytoscape: GraphML or GEXF."""

from __future__ import annotations

from pathlib import Path

from ..errors import ArgumentError
from ..values import joined
from .files import atomic_path

__all__ = ["GRAPH_FORMATS", "write_graph"]

GRAPH_FORMATS = ("graphml", "gexf")


def write_graph(network, path: str | Path, fmt: str | None = None) -> tuple[int, int]:
    """Write the network for Gephi, yEd or Cytoscape as GraphML or GEXF.

    One node per organisation with every attribute (lists joined with ``;``),
    one edge per tie (a directed multigraph; symmetric ties are written once
    with ``symmetric=true``). The format follows the file suffix unless
    ``fmt`` is given. Returns the numbers of nodes and edges written.
    """
    import networkx as nx

    path = Path(path)
    fmt = (fmt or path.suffix.lower().lstrip(".")).lower()
    if fmt not in GRAPH_FORMATS:
        raise ArgumentError(f"cannot write a graph as '{fmt or path.name}'; use a .graphml or .gexf file",
                            param="output")
    g = nx.MultiDiGraph()
    for rec in network.nodes.to_dict("records"):
        g.add_node(rec["id"], **{k: _graph_attr(v) for k, v in rec.items() if k != "id" and _graph_attr(v) is not None})
    for i, rec in enumerate(network.edges.to_dict("records")):
        attrs = {k: _graph_attr(v) for k, v in rec.items() if k not in ("source", "target")}
        g.add_edge(rec["source"], rec["target"], key=i, **{k: v for k, v in attrs.items() if v is not None})
    with atomic_path(path) as tmp:
        if fmt == "graphml":
            nx.write_graphml(g, tmp)
        else:
            nx.write_gexf(g, tmp)
    return g.number_of_nodes(), g.number_of_edges()


def _graph_attr(v):
    """A GraphML/GEXF attribute: lists joined with ``;``, dates as ISO text, missing as ``None``."""
    v = joined(v)
    if v is None or isinstance(v, (bool, int, float)):
        return v
    return str(v)
