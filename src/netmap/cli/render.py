"""``netmap map`` (an interactive HTML map) and ``netmap report`` (the one-command report)."""

from __future__ import annotations

from pathlib import Path

import click

from ..export import visible
from ..render.map import write_map
from ..render.report import write_report
from ..render.style import COLOR_BY, HIGHLIGHTS, MAX_NODES, PHYSICS_MAX_NODES, SIZE_BY
from . import cli
from .options import (apply_country_risk, country_risk_option, earlier_snapshot, guard_output, network_from_options,
                      network_options)


@cli.command("map")
@network_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("map.html"),
              show_default=True, help="HTML file to write.")
@click.option("--color", "color", type=click.Choice(COLOR_BY), default="role", show_default=True,
              help="Node colour.")
@click.option("--size", "size", type=click.Choice(SIZE_BY), default=None,
              help="Node size (area grows with the metric; value = total tie value, degree = partners) "
              "[default: pagerank].")
@click.option("--focal", metavar="ID", help="The organisation the map is about (default: the one marked focal).")
@click.option("--depth", type=click.IntRange(min=1), default=None,
              help="Show only organisations within N ties of the focal organisation (ego network).")
@click.option("--highlight", type=click.Choice(HIGHLIGHTS), default=None,
              help="Highlight dependency risks, the strongest path to --path-to, the top opportunities, or the "
                   "relationship portfolio (suppliers by Kraljic quadrant, customers by segment).")
@click.option("--path-to", metavar="ID", help="Organisation to reach for --highlight path (implies it).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="Opportunity candidates shown with --highlight opportunities.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=MAX_NODES, show_default=True,
              help="Above this many organisations the map keeps the focal organisation, the highlighted ones, "
                   "the focal's partners and the largest by --size within each role in proportion (and says so).")
@click.option("--physics-max", type=click.IntRange(min=0), default=PHYSICS_MAX_NODES, show_default=True,
              help="Up to this many organisations the browser lays the map out (physics); above, Python does.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the layout.")
@click.option("--title", metavar="TEXT", help="Page title.")
@click.option("--as-of", metavar="YYYY-MM-DD", help="Draw the ties active on this date [default: today].")
@click.option("--all-ties", is_flag=True, help="Draw every tie of the data, whatever its dates.")
@click.option("--compare", "compare", type=click.Path(path_type=Path), metavar="BEFORE",
              help="An earlier snapshot (directory or .xlsx): a change map, with organisations and ties added since "
                   "green, ended red, weakened amber.")
@country_risk_option
def map_cmd(network_source, output, color, size, focal, depth, highlight, path_to, top, max_nodes, physics_max,
            seed, title, as_of, all_ties, compare, country_risk):
    """Draw the network as an interactive HTML map that works offline: colour by role, community or
    country, size by PageRank, betweenness, total value or degree, line width by tie value, line style
    by tie type; tooltips, search, filters and highlight modes; click an organisation to show its
    neighbourhood; download the view as PNG or SVG.

    \b
    Example:
        netmap map sample_data -o map.html
        netmap map sample_data --focal ORG-0001 --depth 2 --color country -o ego.html
        netmap map sample_data --highlight opportunities -o next.html
        netmap map sample_data --path-to ORG-0150 -o path.html
        netmap map sample_data --compare sample_data/history/2024-06-30 -o changes.html
    """
    net = apply_country_risk(network_from_options(network_source), country_risk)
    guard_output(output)
    before, before_day = earlier_snapshot(compare, network_source)
    data = write_map(net, output, color=color, size=size, focal=focal, depth=depth, highlight=highlight,
                     path_to=path_to, top=top, max_nodes=max_nodes, physics_max_nodes=physics_max, seed=seed,
                     title=title, as_of=as_of, all_ties=all_ties, compare=before, compare_as_of=before_day)
    for note in data.notes:
        click.echo(visible(note), err=True)
    click.echo(f"Wrote a map of {data.n_nodes:,} organisations and {data.n_edges:,} ties to {visible(str(output))}",
               err=True)


@cli.command("report")
@network_options
@click.option("--focal", metavar="ID", help="The organisation the report is about (default: the one marked focal).")
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path), default=Path("report"),
              show_default=True, help="Directory to write report.html, the maps and the tables to.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="Rows per ranking on the page (the exported tables hold every row).")
@click.option("--as-of", metavar="YYYY-MM-DD", help="Use the ties active on this date [default: today].")
@click.option("--no-maps", is_flag=True, help="Skip the HTML maps.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=MAX_NODES, show_default=True,
              help="Largest map drawn in full (see netmap map --help).")
@click.option("--compare", "compare", type=click.Path(path_type=Path), metavar="BEFORE",
              help="An earlier snapshot (directory or .xlsx): add \"What changed\" since it near the top.")
def report_cmd(network_source, focal, outdir, top, as_of, no_maps, max_nodes, compare):
    """Write the one-page report for a focal organisation: network summary, central partners and
    brokers, dependency risks and what-if losses, best access paths to the capabilities and markets it
    lacks, and whom to approach next with the introducers; with the maps and every table as CSV and
    Excel beside it.

    \b
    Example:
        netmap report sample_data -o report
        netmap report sample_data --focal ORG-0001 --top 15 -o report
        netmap report sample_data --compare sample_data/history/2024-06-30 -o report
    """
    net = network_from_options(network_source)
    guard_output(outdir, directory=True)
    before, _ = earlier_snapshot(compare, network_source)
    rep = write_report(net, outdir, focal, top=top, as_of=as_of, maps=not no_maps, max_nodes=max_nodes,
                       before=before)
    if rep.missing:
        click.echo(f"Not included (analysis not installed): {', '.join(rep.missing)}", err=True)
    click.echo(f"Wrote {visible(str(rep.path))} ({len(rep.files)} files in {visible(str(outdir))}); "
               "open it in a browser.", err=True)
