"""``netmap exposure`` (where supply and sales sit, tier by tier) and ``netmap geomap`` (the geographic map)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import progress
from ..export import visible
from . import cli
from .options import emit_result, guard_output, network_from_options, network_options, output_options

_SHOWN = {
    "supply": ["tier", "country", "region", "name", "value", "share", "organisations", "reason"],
    "sales": ["tier", "country", "region", "name", "value", "share", "organisations", "reason"],
    "concentration": ["category", "tier", "countries", "regions", "hhi", "level", "top", "top_share"],
    "places": ["country", "region", "name", "organisations", "partners", "focal"],
    "flows": ["source", "target", "value", "ties"],
}
SECTIONS = ("supply", "sales", "concentration", "places", "flows")


def warn_countries(net) -> None:
    """Print, on stderr, a warning per organisation whose country names no ISO 3166 country."""
    from ..countries import country_warnings

    warnings = country_warnings(net)
    for w in warnings[:20]:
        click.echo(visible(f"Warning: {w}"), err=True)
    if len(warnings) > 20:
        click.echo(f"Warning: {len(warnings) - 20} more organisations name no known country", err=True)


@cli.command("exposure")
@network_options
@click.option("--focal", metavar="ID", help="The focal organisation (default: the one marked focal in the data).")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Only ties active on this date count (YYYY-MM-DD; default: today).")
@click.option("--by", type=click.Choice(["country", "region"]), default="country", show_default=True,
              help="Group by country (ISO code) or region.")
@click.option("--tiers", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many tiers to trace the spend and the sales through.")
@click.option("--section", type=click.Choice(["all", *SECTIONS]), default="all", show_default=True,
              help="Which table to output; CSV needs one (JSON, Excel and text hold all).")
@click.option("--top", type=click.IntRange(min=0), default=15, show_default=True,
              help="Rows per table in the text layout (0: all).")
@output_options()
def exposure_cmd(network_source, focal, as_of, by, tiers, section, top, fmt, output):
    """Where the focal organisation's supply and sales sit, by country or region, tier by tier.

    Tier 1 is the focal's own spend per supplier, in the supplier's country;
    each further tier spreads every supplier's share over its own suppliers in
    proportion to their tie values (a supplier with none keeps it). Sales are
    traced downstream the same way. Also the concentration (HHI) of each
    input category by country, organisations per country, and the value
    flowing between countries.

    \b
    Example:
        netmap exposure sample_data/tiny --tiers 2
        netmap exposure sample_data --by region --section supply
    """
    from ..analysis.exposure import exposure
    from ..export import format_for

    if section == "all" and format_for(fmt, output) == "csv":
        raise click.UsageError(f"CSV holds one table: choose it with --section ({', '.join(SECTIONS)}), "
                               "or use --format json or an .xlsx file for all of them")
    net = network_from_options(network_source)
    if by == "country":
        warn_countries(net)
    with progress.step("Exposure by geography"):
        res = exposure(net, focal, by=by, tiers=tiers, as_of=as_of)
    emit_result(res, fmt, output, section=None if section == "all" else section, top=top, shown=_SHOWN,
                heading=f"Exposure of {res.meta['focal']} {net.name(res.meta['focal'])} by {by} "
                        f"(ties active on {res.meta['as_of']})")


@cli.command("geomap")
@network_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("geo.html"),
              show_default=True, help="HTML file to write.")
@click.option("--focal", metavar="ID", help="The focal organisation (default: the one marked focal in the data).")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Only ties active on this date count (YYYY-MM-DD; default: today).")
@click.option("--measure", type=click.Choice(["spend", "sales", "organisations"]), default="spend",
              show_default=True, help="What shades the countries: supply spend traced to --tiers, sales to "
                                      "direct customers and channels, or organisations in the network.")
@click.option("--tiers", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many tiers the spend is traced through.")
def geomap_cmd(network_source, output, focal, as_of, measure, tiers):
    """Draw where the network lives on a world map that works offline.

    Countries are shaded by supply spend (traced through the tiers), sales or
    number of organisations; arcs show the value of ties between countries;
    the focal organisation's country is marked. Hover a country or an arc
    for its figures; Download PNG saves the picture. Country shapes: Natural
    Earth 1:110m, shipped with netmap.

    \b
    Example:
        netmap geomap sample_data -o geo.html
        netmap geomap sample_data --measure sales -o sales.html
    """
    from ..render.geomap import write_geomap

    net = network_from_options(network_source)
    guard_output(output)
    warn_countries(net)
    with progress.step("Geographic map"):
        data = write_geomap(net, output, focal, measure=measure, tiers=tiers, as_of=as_of)
    drawn = sum(1 for c in data["countries"] if c[measure] > 0)
    click.echo(visible(f"Wrote {output}: {drawn} countries shaded, {len(data['flows'])} arcs"), err=True)
