"""``netmap portfolio``: which relationships to invest in, repair, develop or serve efficiently."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ..analysis.portfolio import TABLES, VIEWS, portfolio
from ..export import format_for
from ..result import Result
from . import cli
from .options import (apply_country_risk, country_risk_option, earlier_snapshot, emit_result, network_from_options,
                      network_options, output_options, write_back)

#: Columns shown per table in the text layout (every column goes to CSV/JSON/XLSX).
_SHOWN = {
    "supply_categories": ["category", "quadrant", "spend", "impact_share", "supply_risk", "suppliers", "hhi",
                          "reason"],
    "suppliers": ["id", "name", "quadrant", "categories", "spend", "spend_share", "strength", "weakest_quality"],
    "customers": ["rank", "id", "name", "segment", "value", "value_basis", "satisfaction", "strength",
                  "risk_signals", "retention_risk", "reason"],
    "customer_segments": ["segment", "customers", "value", "customers_at_risk", "value_at_risk", "action"],
    "partners": ["id", "name", "roles", "strength", "weakest_quality", "commitment_trust_gap", "dependence",
                 "reason"],
}


@cli.command("portfolio")
@network_options
@click.option("--focal", metavar="ID", help="The focal organisation (default: the one marked focal in the data).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Use the ties active on this date [default: today].")
@click.option("--view", type=click.Choice(list(VIEWS)), default="all", show_default=True,
              help="Suppliers (Kraljic matrix per input category), customers (value x relationship), partners "
                   "(relationship quality of every direct partner), or all.")
@click.option("--section", type=click.Choice(["all", *TABLES]), default="all", show_default=True,
              help="Which table to output; CSV needs one when the view has several (JSON, Excel and text hold all).")
@click.option("--impact-threshold", type=click.FloatRange(0, 100), default=10.0, show_default=True, metavar="PCT",
              help="A category's profit impact is high from this percentage of the supply spend.")
@click.option("--value-threshold", type=click.FloatRange(min=0), default=None, metavar="VALUE",
              help="A customer's value is high from this value [default: the median of the customers].")
@click.option("--strength-threshold", type=click.FloatRange(0, 1), default=0.6, show_default=True,
              help="A relationship is strong from this strength.")
@click.option("--top", type=click.IntRange(min=0), default=15, show_default=True,
              help="Rows per table in the text layout (0: all); CSV/JSON/Excel always hold every row.")
@click.option("--compare", "compare", type=click.Path(path_type=Path), metavar="BEFORE",
              help="An earlier snapshot (a data directory or workbook): adds each customer's value then and the "
                   "retention-risk signal 'value fell by 10 % or more'.")
@click.option("--compare-as-of", "compare_as_of", metavar="YYYY-MM-DD",
              help="Use the ties of BEFORE active on this date [default: the date its name stands for, e.g. "
                   "history/2024-06-30, else --as-of].")
@country_risk_option
@output_options()
def portfolio_cmd(network_source, focal, as_of, view, section, impact_threshold, value_threshold, strength_threshold,
                  top, compare, compare_as_of, country_risk, fmt, output):
    """Which relationships to invest in, repair, develop or serve efficiently.

    Suppliers: every input category in Kraljic's matrix -- profit impact (share
    of the supply spend) x supply risk (a single supplier, HHI from 2,500, an
    organisation upstream behind two or more of its suppliers, an exclusive
    tie with half its spend, a tier-1 supplier whose effective disruption
    risk is high when organisations record a risk or --country-risk gives
    one) -- as strategic, leverage, bottleneck or non-critical, with the
    textbook action. Customers: value (CLV, else annual
    sales) x relationship strength as core, at risk, develop or serve, ranked
    by retention risk (low satisfaction, low trust or commitment, a tie ending
    within 90 days, one distributor only, a low share of wallet, value fallen
    by 10 % or more since the snapshot given with --compare), with the value
    at risk per segment. Partners: the four relationship qualities, the
    weakest, the commitment-trust gap and who depends on whom.

    With --neo4j --write-back, every organisation gets netmap_portfolio_quadrant
    (suppliers), netmap_portfolio_segment and netmap_retention_risk (customers)
    and netmap_relationship_strength (direct partners), as the view holds them.

    \b
    Example:
        netmap portfolio sample_data
        netmap portfolio sample_data/tiny --focal F1 --as-of 2024-06-30 --view suppliers
        netmap portfolio sample_data --view customers --section customers --format csv -o customers.csv
        netmap portfolio sample_data --view customers --strength-threshold 0.7 --value-threshold 500000
        netmap portfolio sample_data --view suppliers --country-risk sample_data/country_risk.csv
        netmap portfolio sample_data --view customers --compare sample_data/history/2024-06-30
    """
    tables = VIEWS[view]
    if section != "all" and section not in tables:
        raise click.UsageError(f"the {view} view has no table {section}; its tables: {', '.join(tables)}")
    if section == "all" and len(tables) > 1 and format_for(fmt, output) == "csv":
        raise click.UsageError(f"CSV holds one table: choose it with --section ({', '.join(tables)}), "
                               "or use --format json or an .xlsx file for all of them")
    net = apply_country_risk(network_from_options(network_source), country_risk)
    before, before_day = earlier_snapshot(compare, network_source)
    res = portfolio(net, focal, as_of=as_of, view=view, impact_threshold=impact_threshold / 100.0,
                    value_threshold=value_threshold, strength_threshold=strength_threshold, before=before,
                    before_as_of=compare_as_of or before_day)
    table, columns = _node_table(res, net.ids)
    write_back(network_source, table, columns)
    res = res.with_meta({"section": section})
    heading = (f"Relationship portfolio of {res.meta['focal']} {res.meta['focal_name']} "
               f"(ties active on {res.meta['as_of']})")
    emit_result(res, fmt, output, section=None if section == "all" else section, top=top, shown=_SHOWN,
                heading=heading)


def _node_table(res: Result, ids) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per organisation (every id, so that values of an earlier run are cleared) and the columns to store."""
    out = pd.DataFrame({"id": pd.Series(list(ids), dtype=object)}).set_index("id")
    columns = {}
    for table, column, name in (("suppliers", "quadrant", "portfolio_quadrant"),
                                ("customers", "segment", "portfolio_segment"),
                                ("customers", "retention_risk", "retention_risk"),
                                ("partners", "strength", "relationship_strength")):
        if table in res.tables:
            out[name] = res[table].set_index("id")[column].reindex(out.index)
            columns[name] = name
    return out.reset_index(), columns
