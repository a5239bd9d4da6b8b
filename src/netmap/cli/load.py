"""``netmap load``: put a data directory into Neo4j (idempotent, batched, checked)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from ..io.reader import read_network
from ..store import clear_load_marker, load_into_neo4j
from . import cli
from .neo4j_advice import neo4j_advice
from .options import emit_result, neo4j_connection_options, neo4j_settings, output_options


@cli.command()
@click.argument("data", type=click.Path(path_type=Path), required=False, metavar="DATA")
@click.option("--neo4j", "neo4j", is_flag=True, help="Load into Neo4j (the settings below). Required.")
@neo4j_connection_options
@click.option("--prune", is_flag=True,
              help="Also delete from Neo4j the organisations and ties that are no longer in DATA "
              "(by default they are kept and reported).")
@click.option("--clear-marker", is_flag=True,
              help="Remove the marker of a load that did not finish (netmap names it when it refuses), "
              "then load DATA if given. Only when no load is running.")
@output_options()
def load(data, neo4j, neo4j_uri, neo4j_user, neo4j_password, neo4j_database, prune, clear_marker, fmt, output):
    """Load a data directory into Neo4j, so it can be explored in Neo4j Browser
    and Bloom and analysed with --neo4j.

    Organisations become :Organization nodes with one label per role
    (:Supplier, :Distributor, ...), ties typed relationships with their
    properties, capabilities and markets :Capability and :Market nodes.
    Loading again writes only what changed; the table shows what was added,
    updated and what Neo4j holds that the files no longer do, and the load
    fails unless Neo4j ends up holding exactly what the files hold, value
    for value. While a load runs, its marker in the database makes other
    loads, --neo4j reads and --write-back refuse; a load that fails after
    it began writing leaves the marker until a load completes or
    --clear-marker removes it.

    \b
    Example:
        export NEO4J_URI=neo4j://localhost:7687 NEO4J_USERNAME=neo4j
        netmap load sample_data --neo4j
        netmap centrality --neo4j --write-back
    """
    if not neo4j:
        raise click.UsageError("netmap load puts DATA into Neo4j; add --neo4j (and its settings or NEO4J_URI)")
    if data is None and not clear_marker:
        raise click.UsageError("give the data directory (or .xlsx workbook) to load")
    network = read_network(data) if data is not None else None
    settings = neo4j_settings({"neo4j_uri": neo4j_uri, "neo4j_user": neo4j_user,
                               "neo4j_password": neo4j_password, "neo4j_database": neo4j_database})
    if clear_marker:
        with neo4j_advice():
            cleared = clear_load_marker(settings)
        for m in cleared:
            click.echo(f"Cleared the marker of a netmap load {m.who()} from {settings.location()}", err=True)
        if not cleared:
            click.echo(f"{settings.location()[0].upper()}{settings.location()[1:]} holds no load marker", err=True)
        if network is None:
            return
    with neo4j_advice():
        report = load_into_neo4j(network, settings, prune=prune)  # its progress shows on a terminal
    meta = {"command": "load", "data": str(data), "neo4j_uri": settings.uri, "neo4j_user": settings.user,
            "neo4j_database": settings.database or "(server default)", **report.meta,
            "seconds": round(report.seconds, 2)}
    emit_result(replace(report, meta=meta), fmt, output)
    click.echo(report.sentence(), err=True)
    stale = report.not_in_files["organisations"]
    if stale and not prune:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5:,} more" if len(stale) > 5 else "")
        click.echo(f"In Neo4j but not in {data}: {shown}; --prune deletes them", err=True)
    elif report.not_in_files["ties"] and not prune:
        click.echo(f"--prune deletes the ties that are no longer in {data}", err=True)

