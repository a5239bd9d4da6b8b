"""``netmap dependency`` and ``netmap whatif``: how dependent the focal organisation is, and what it loses."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

from ..analysis.dependency import DependencyReport, dependency_report, what_if
from ..analysis.whatif import RANK_BY
from ..errors import NetmapError
from ..export import render_table, to_json_records
from . import cli
from .options import emit, load_network, network_options, output_options, write_back

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
                 "bridge_ties", "reason"],
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
_WHATIF_TITLES = {
    "inputs": "Input categories hit",
    "suppliers": "Suppliers removed or left without supply",
    "customers": "Customers no longer reached downstream",
    "capabilities": "Capabilities no longer in reach",
    "markets": "Markets no longer in reach",
    "organisations": "Organisations cut off from your network",
    "ties": "Your ties at risk",
}
_REASON_WIDTH = 110


def _focal_options(func):
    func = click.option("--as-of", "as_of", metavar="DATE",
                        help="Only ties active on this date count (YYYY-MM-DD; default: today).")(func)
    func = click.option("--focal", metavar="ID",
                        help="The focal organisation (default: the one marked focal in the data).")(func)
    return func


@cli.command()
@network_options
@_focal_options
@click.option("--section", type=click.Choice(["all", *DependencyReport.SECTIONS]), default="all",
              show_default=True,
              help="Which table to output; CSV and Excel need one (JSON and text can hold all).")
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
    net = load_network(network_source)
    rep = dependency_report(net, focal, as_of=as_of, min_tier1=min_tier1, by=rank_by)
    write_back(network_source, rep.node_table(net.ids), {
        "dependency_rank": "dependency_rank", "value_at_risk": "value_at_risk",
        "single_source": "single_source", "hidden_tier1_count": "hidden_tier1_count",
        "articulation_point": "articulation_point", "organisations_cut_off": "organisations_cut_off",
    })
    meta = dict(rep.meta) | {"focal_name": net.name(rep.focal), "section": section, "rank_by": rank_by}
    _output(rep.tables, DependencyReport.TITLES, section, fmt, output, meta, top,
            heading=f"Dependency of {rep.focal} {net.name(rep.focal)} (ties active on {rep.as_of})")


@cli.command()
@network_options
@_focal_options
@click.option("--remove", "remove", multiple=True, required=True, metavar="ID",
              help="An organisation that fails; repeat for several.")
@click.option("--section", type=click.Choice(["all", "summary", *_WHATIF_TITLES]), default="all",
              show_default=True, help="Which table to output; CSV and Excel need one.")
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
    net = load_network(network_source)
    res = what_if(net, focal, list(remove), as_of=as_of)
    tables = res.tables
    titles = {"summary": "Summary"} | _WHATIF_TITLES
    heading = (f"What if {', '.join(res.removed)} failed: impact on {res.focal} {net.name(res.focal)} "
               f"(ties active on {res.meta['as_of']})")
    _output(tables, titles, section, fmt, output, dict(res.meta) | {"section": section}, top, heading=heading,
            skip_empty=True)


def _output(tables: dict[str, pd.DataFrame], titles: dict[str, str], section: str, fmt: str,
            output: Path | None, meta: dict, top: int, heading: str, skip_empty: bool = False) -> None:
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if fmt == "table" and suffix in ("csv", "json", "xlsx"):
        fmt = suffix
    if section != "all":
        df = tables[section]
        if fmt == "table":
            _write_text(heading + "\n\n" + _block(section, titles[section], df, top, skip_empty=False) + "\n",
                        output)
            return
        emit(df, fmt, output, meta=meta, sheet_name=section)
        return
    if fmt in ("csv", "xlsx"):
        raise click.UsageError(
            f"{fmt.upper()} holds one table: choose it with --section ({', '.join(tables)}), "
            "or use --format json for all of them"
        )
    if fmt == "json":
        payload = {"meta": meta, "sections": {k: to_json_records(v) for k, v in tables.items()}}
        text = json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"
        _write_text(text, output)
        return
    blocks = [heading]
    for name, df in tables.items():
        blocks.append(_block(name, titles[name], df, top, skip_empty))
    _write_text("\n\n".join(b for b in blocks if b) + "\n", output)


def _block(name: str, title: str, df: pd.DataFrame, top: int, skip_empty: bool) -> str:
    head = f"{title}\n{'-' * len(title)}\n"
    if df.empty:
        return "" if skip_empty else head + "(none)"
    if name == "summary":
        row = df.iloc[0]
        width = max(len(c) for c in df.columns)
        lines = []
        for c in df.columns:
            v = row[c]
            if isinstance(v, float):
                v = f"{v:.1%}" if c.endswith("_share") else f"{v:,.0f}"
            lines.append(f"{c.ljust(width)}  {v}")
        return head + "\n".join(lines)
    cols = [c for c in (_SHOWN.get(name) or df.columns) if c in df.columns]
    shown = df[cols].copy()
    if "hhi" in shown.columns:  # whole points read best; CSV/JSON keep the exact index
        shown["hhi"] = shown["hhi"].astype(float).round(0)
    if "reason" in shown.columns:
        shown["reason"] = shown["reason"].map(
            lambda s: s if len(s) <= _REASON_WIDTH else s[: _REASON_WIDTH - 3] + "...")
    return head + render_table(shown, max_rows=top or None)


def _write_text(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise NetmapError(f"cannot write {output}: {e.strerror or e}") from e
    click.echo(f"Wrote {output}", err=True)
