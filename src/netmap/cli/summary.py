"""``netmap summary``: counts, components, density and value of a network."""

from __future__ import annotations

import json

import click

from ..analysis.summary import summarize
from ..export import render_table
from . import cli
from .options import emit, load_network, network_options, output_options


@cli.command()
@network_options
@output_options()
def summary(network_source, fmt, output):
    """Summarise a network: organisations by role, ties by type, focal organisations,
    components, density and total value by tie type and category.

    \b
    Example:
        netmap summary sample_data
        netmap summary sample_data --format json -o summary.json
    """
    net = load_network(network_source)
    s = summarize(net)
    if fmt == "json":
        text = json.dumps(s.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
            click.echo(f"Wrote summary to {output}", err=True)
        else:
            click.echo(text, nl=False)
        return
    if fmt == "csv":
        emit(s.to_long(), "csv", output)
        return
    parts = [f"Network: {net.source}"]
    for title, df in (
        ("Overview", s.overview),
        ("Organisations by role", s.roles),
        ("Ties by type", s.tie_types),
        ("Tie value by category", s.categories),
        ("Focal organisations", s.focal),
    ):
        parts.append(f"\n{title}\n{'-' * len(title)}\n{render_table(df)}")
    text = "\n".join(parts) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote summary to {output}", err=True)
    else:
        click.echo(text, nl=False)
