"""``netmap summary``: counts, components, density and value of a network."""

from __future__ import annotations

import click

from ..analysis.summary import NetworkSummary, summarize
from ..export import format_for
from ..result import Result
from . import cli
from .options import emit_result, network_from_options, network_options, output_options


@cli.command()
@network_options
@click.option("--section", type=click.Choice(list(NetworkSummary.TITLES)),
              help="Only this table (CSV without --section holds every figure as one long table).")
@output_options()
def summary(network_source, section, fmt, output):
    """Summarise a network: organisations by role, ties by type, focal organisations,
    components, density and total value by tie type and category.

    \b
    Example:
        netmap summary sample_data
        netmap summary sample_data --format json -o summary.json
    """
    net = network_from_options(network_source)
    s = summarize(net)
    if format_for(fmt, output) == "csv" and section is None:
        s = Result({"summary": s.to_long()}, s.meta)
    emit_result(s, fmt, output, section=section, heading=f"Network: {net.source}")
