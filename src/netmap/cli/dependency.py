"""``netmap dependency`` and ``netmap whatif``: how dependent the focal organisation is, and what it loses."""

from __future__ import annotations

import click

from ..analysis.dependency import DependencyReport, dependency_report
from ..analysis.whatif import RANK_BY, WhatIfResult, what_if
from ..export import format_for
from . import cli
from .options import emit_result, network_from_options, network_options, output_options, write_back

#: Columns shown per section in the text layout (every column goes to CSV/JSON/XLSX).
_SHOWN = {
    "categories": ["category", "suppliers", "total_value", "hhi", "level", "top_supplier", "top_share",
                   "other_known_suppliers", "reason"],
    "supply": ["category", "supplier", "name", "value", "share", "hhi", "exclusive", "reason"],
    "channels": ["channel", "partners", "total_value", "top1_id", "top1_share", "top5_share", "hhi", "level"],
    "sales": ["channel", "rank", "id", "name", "value", "share", "sales_share", "reason"],
    "hidden": ["id", "name", "tier", "tier1_count", "spend_through", "spend_share", "categories_through",
               "tier1_cut_off", "reason"],
    "critical": ["id", "name", "direct_partner", "organisations_cut_off", "lost_capabilities", "lost_markets",
                 "bridge_partners", "reason"],
    "ranking": ["rank", "id", "name", "ties", "input_categories_lost", "customers_lost", "capabilities_lost",
                "markets_lost", "organisations_cut_off", "value_at_risk", "reason"],
    "summary": None,
    "inputs": ["category", "suppliers_before", "suppliers_left", "lost", "value_lost", "reason"],
    "suppliers": ["id", "name", "tier", "status", "spend", "reason"],
    "customers": ["id", "name", "clv", "path_before", "reason"],
    "capabilities": ["capability", "holders_before", "reason"],
    "markets": ["market", "holders_before", "reason"],
    "organisations": ["id", "name", "roles", "path_before"],
    "ties": ["partner", "name", "type", "direction", "category", "value", "reason"],
}


def _focal_options(func):
    func = click.option("--as-of", "as_of", metavar="DATE",
                        help="Only ties active on this date count (YYYY-MM-DD; default: today).")(func)
    func = click.option("--focal", metavar="ID",
                        help="The focal organisation (default: the one marked focal in the data).")(func)
    return func


def _section_option(sections, help_text: str):
    return click.option("--section", type=click.Choice(["all", *sections]), default="all", show_default=True,
                        help=help_text)


@cli.command()
@network_options
@_focal_options
@_section_option(DependencyReport.SECTIONS,
                 "Which table to output; CSV needs one (JSON, Excel and text hold all).")
@click.option("--rank-by", type=click.Choice(list(RANK_BY)), default="impact", show_default=True,
              help="Order of the partner ranking: 'impact' = input categories lost, then value at risk, "
                   "customers, capabilities, markets, organisations cut off.")
@click.option("--min-tier1", type=click.IntRange(min=1), default=2, show_default=True,
              help="Hidden concentration: list upstream organisations on which at least this many "
                   "tier-1 suppliers depend.")
@click.option("--top", type=click.IntRange(min=0), default=15, show_default=True,
              help="Rows per table in the text layout (0: all); CSV/JSON/Excel always hold every row.")
@output_options()
def dependency(network_source, focal, as_of, section, rank_by, min_tier1, top, fmt, output):
    """How dependent the focal organisation is on single partners.

    Supply concentration per input category (share of spend, HHI 0-10,000,
    single-source, highly concentrated from 2,500, exclusive ties); sales
    concentration per customer and distributor (top-1, top-5 share, HHI);
    hidden concentration upstream (tier-2+ organisations several tier-1
    suppliers depend on); structural criticality (partners whose loss cuts the
    network apart); and every direct partner ranked by what its loss would
    cost (see `netmap whatif`). Only ties active on --as-of count.

    \b
    Example:
        netmap dependency sample_data/tiny --focal F1
        netmap dependency sample_data --section ranking --format csv -o ranking.csv
        netmap dependency sample_data --section hidden --min-tier1 3
    """
    _one_table_for_csv(section, fmt, output, DependencyReport.SECTIONS)
    net = network_from_options(network_source)
    rep = dependency_report(net, focal, as_of=as_of, min_tier1=min_tier1, by=rank_by)
    write_back(network_source, rep.node_table(net.ids), {
        "dependency_rank": "dependency_rank", "value_at_risk": "value_at_risk",
        "single_source": "single_source", "hidden_tier1_count": "hidden_tier1_count",
        "articulation_point": "articulation_point", "organisations_cut_off": "organisations_cut_off",
    })
    rep = rep.with_meta({"focal_name": net.name(rep.focal), "section": section, "rank_by": rank_by})
    emit_result(rep, fmt, output, section=None if section == "all" else section, top=top, shown=_SHOWN,
                heading=f"Dependency of {rep.focal} {net.name(rep.focal)} (ties active on {rep.as_of})")


@cli.command()
@network_options
@_focal_options
@click.option("--remove", "remove", multiple=True, required=True, metavar="ID",
              help="An organisation that fails; repeat for several.")
@_section_option(WhatIfResult.SECTIONS, "Which table to output; CSV needs one (JSON, Excel and text hold all).")
@click.option("--top", type=click.IntRange(min=0), default=25, show_default=True,
              help="Rows per table in the text layout (0: all).")
@output_options()
def whatif(network_source, focal, as_of, remove, section, top, fmt, output):
    """What the focal organisation loses if partners fail.

    Removes the given organisations with all their ties and reports the input
    categories left with no supplier (suppliers that lose every recorded
    supplier of their own stop too), capabilities and markets no longer in
    reach over any chain of ties, customers no longer reached downstream, and
    the value of the focal's ties at risk.

    \b
    Example:
        netmap whatif sample_data/tiny --focal F1 --remove T1
        netmap whatif sample_data/tiny --remove D2 --remove S3 --format json
    """
    _one_table_for_csv(section, fmt, output, WhatIfResult.SECTIONS)
    net = network_from_options(network_source)
    res = what_if(net, focal, list(remove), as_of=as_of).with_meta({"section": section})
    heading = (f"What if {', '.join(res.removed)} failed: impact on {res.focal} {net.name(res.focal)} "
               f"(ties active on {res.meta['as_of']})")
    emit_result(res, fmt, output, section=None if section == "all" else section, top=top, heading=heading,
                shown=_SHOWN, skip_empty=section == "all", records=("summary",))


def _one_table_for_csv(section: str, fmt: str, output, sections) -> None:
    """CSV holds one table: without --section it is a usage error (before any work is done)."""
    if section == "all" and format_for(fmt, output) == "csv":
        raise click.UsageError(
            f"CSV holds one table: choose it with --section ({', '.join(sections)}), "
            "or use --format json or an .xlsx file for all of them")

