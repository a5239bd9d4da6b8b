"""``netmap dependency`` and ``netmap whatif``: how dependent the focal organisation is, and what it loses."""

from __future__ import annotations

from pathlib import Path

import click

from .. import progress
from ..analysis.dependency import DependencyReport, dependency_report
from ..analysis.whatif import RANK_BY, WhatIfResult, what_if
from ..export import format_for
from . import cli
from .options import (apply_country_risk, country_risk_option, emit_result, network_from_options, network_options,
                      output_options, write_back)

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
                "markets_lost", "organisations_cut_off", "value_at_risk", "effective_risk", "reason"],
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
@country_risk_option
@output_options()
def dependency(network_source, focal, as_of, section, rank_by, min_tier1, top, country_risk, fmt, output):
    """How dependent the focal organisation is on single partners.

    Supply concentration per input category (share of spend, HHI 0-10,000,
    single-source, highly concentrated from 2,500, exclusive ties); sales
    concentration per customer and distributor (top-1, top-5 share, HHI);
    hidden concentration upstream (tier-2+ organisations several tier-1
    suppliers depend on); structural criticality (partners whose loss cuts the
    network apart); and every direct partner ranked by what its loss would
    cost (see `netmap whatif`). Only ties active on --as-of count. Where
    organisations record a risk (or --country-risk gives one), the ranking
    shows each partner's effective disruption risk, its own combined with its
    suppliers'.

    \b
    Example:
        netmap dependency sample_data/tiny --focal F1
        netmap dependency sample_data --section ranking --format csv -o ranking.csv
        netmap dependency sample_data --section hidden --min-tier1 3
        netmap dependency sample_data --country-risk sample_data/country_risk.csv
    """
    _one_table_for_csv(section, fmt, output, DependencyReport.SECTIONS)
    net = apply_country_risk(network_from_options(network_source), country_risk)
    with progress.step("Dependency risks"):
        rep = dependency_report(net, focal, as_of=as_of, min_tier1=min_tier1, by=rank_by)
    write_back(network_source, rep.node_table(net.ids), {
        "dependency_rank": "dependency_rank", "value_at_risk": "value_at_risk",
        "single_source": "single_source", "hidden_tier1_count": "hidden_tier1_count",
        "articulation_point": "articulation_point", "organisations_cut_off": "organisations_cut_off",
    })
    rep = rep.with_meta({"focal_name": net.name(rep.focal), "section": section, "rank_by": rank_by})
    emit_result(rep, fmt, output, section=None if section == "all" else section, top=top, shown=_SHOWN,
                heading=f"Dependency of {rep.focal} {net.name(rep.focal)} (ties active on {rep.as_of})")


def _selector_options(func):
    for name, what in reversed([
        ("country", "Every organisation of this country fails (ISO code or English name)"),
        ("region", "Every organisation of this region fails"),
        ("role", "Every organisation with this role fails"),
        ("capability", "Every holder of this capability fails"),
        ("category", "Every tie of this category fails (the organisations stay)"),
        ("industry", "Every organisation of this industry fails"),
    ]):
        func = click.option(f"--{name}", name, multiple=True, metavar="TEXT",
                            help=f"{what}; repeat for several.")(func)
    return func


@cli.command()
@network_options
@_focal_options
@click.option("--remove", "remove", multiple=True, metavar="ID",
              help="An organisation that fails; repeat for several.")
@_selector_options
@click.option("--scenarios", "scenarios_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="A CSV file of named scenarios (columns name, remove, country, region, role, capability, "
                   "category, industry; ';' between values): one ranked row per scenario.")
@_section_option(WhatIfResult.SECTIONS, "Which table to output; CSV needs one (JSON, Excel and text hold all).")
@click.option("--top", type=click.IntRange(min=0), default=25, show_default=True,
              help="Rows per table in the text layout (0: all).")
@output_options()
def whatif(network_source, focal, as_of, remove, country, region, role, capability, category, industry,
           scenarios_file, section, top, fmt, output):
    """What the focal organisation loses if partners fail.

    Removes the given organisations with all their ties and reports the input
    categories left with no supplier (suppliers that lose every recorded
    supplier of their own stop too), capabilities and markets no longer in
    reach over any chain of ties, customers no longer reached downstream, and
    the value of the focal's ties at risk. Scenario selectors (--country,
    --region, --role, --capability, --industry) remove every organisation
    they match, --category fails every tie of a category; they combine with
    --remove. The focal organisation is never removed. --scenarios runs one
    what-if per row of a file and ranks them.

    \b
    Example:
        netmap whatif sample_data/tiny --focal F1 --remove T1
        netmap whatif sample_data/tiny --remove D2 --remove S3 --format json
        netmap whatif sample_data/tiny --country JP --category chips
        netmap whatif sample_data --scenarios sample_data/scenarios.csv
    """
    selectors = {"country": country, "region": region, "role": role, "capability": capability,
                 "category": category, "industry": industry}
    if scenarios_file is not None:
        if remove or any(selectors.values()):
            raise click.UsageError("--scenarios runs the scenarios of its file; give the selectors there, "
                                   "not with --remove/--country/... on the command line")
        net = network_from_options(network_source)
        from ..analysis.scenarios import scenario_table
        from ..io.scenario_files import read_scenarios

        rows = read_scenarios(scenarios_file, known_ids=net.ids)
        with progress.step(f"{len(rows)} scenarios"):
            res = scenario_table(net, focal, rows, as_of=as_of)
        emit_result(res, fmt, output, top=top, shown={"scenarios": [
            "rank", "scenario", "input_categories_lost", "value_at_risk", "value_at_risk_share", "customers_lost",
            "capabilities_lost", "markets_lost", "organisations_cut_off", "reason"]},
            heading=f"Scenarios: impact on {res.meta['focal']} {net.name(res.meta['focal'])} "
                    f"(ties active on {res.meta['as_of']})")
        return
    if not remove and not any(selectors.values()):
        raise click.UsageError("say what fails: --remove ID, a selector (--country, --region, --role, "
                               "--capability, --category, --industry) or --scenarios FILE")
    _one_table_for_csv(section, fmt, output, WhatIfResult.SECTIONS)
    net = network_from_options(network_source)
    res = what_if(net, focal, list(remove), as_of=as_of,
                  **{k: list(v) for k, v in selectors.items()}).with_meta({"section": section})
    what = res.meta.get("scenario") or ", ".join(res.removed)
    heading = (f"What if {what} failed: impact on {res.focal} {net.name(res.focal)} "
               f"(ties active on {res.meta['as_of']})")
    emit_result(res, fmt, output, section=None if section == "all" else section, top=top, heading=heading,
                shown=_SHOWN, skip_empty=section == "all", records=("summary",))


def _one_table_for_csv(section: str, fmt: str, output, sections) -> None:
    """CSV holds one table: without --section it is a usage error (before any work is done)."""
    if section == "all" and format_for(fmt, output) == "csv":
        raise click.UsageError(
            f"CSV holds one table: choose it with --section ({', '.join(sections)}), "
            "or use --format json or an .xlsx file for all of them")

