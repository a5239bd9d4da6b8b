"""``netmap export``: the network as GraphML or GEXF for Gephi, yEd or Cytoscape."""

from __future__ import annotations

from pathlib import Path

import click

from ..export import visible, write_graph
from . import cli
from .options import guard_output, network_from_options, network_options


@cli.command("export")
@network_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write: .graphml or .gexf.")
@click.option("--as-of", metavar="YYYY-MM-DD", help="Only ties active on this date (default: all ties).")
def export_graph(network_source, output, as_of):
    """Write the network as GraphML or GEXF, to open in Gephi, yEd or Cytoscape.

    Every organisation and tie with all its columns (and the derived tie
    strength); symmetric ties once, marked symmetric=true.

    \b
    Example:
        netmap export sample_data -o network.graphml
        netmap export sample_data -o network.gexf --as-of 2024-01-01
    """
    net = network_from_options(network_source)
    guard_output(output)
    if as_of:
        net = net.active(as_of)
    n, m = write_graph(net, output)
    click.echo(f"Wrote {n:,} organisations and {m:,} ties to {visible(str(output))}", err=True)
