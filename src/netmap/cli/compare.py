"""``netmap compare`` (what changed between two snapshots) and ``netmap trend`` (one row per snapshot)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import progress
from ..analysis.compare import SECTIONS
from ..export import format_for, visible
from ..history import compare, history_paths, snapshot_date, trend
from . import cli
from .options import emit_result, guard_output, output_options, parse_weights

#: Columns shown per section in the text layout (every column goes to CSV/JSON/XLSX).
_SHOWN = {
    "summary": ["item", "before", "after", "change", "reason"],
    "organisations": ["id", "change", "name", "roles_before", "roles_after", "reason"],
    "ties": ["change", "source", "target", "type", "category", "value_change", "value_change_pct",
             "strength_change", "reason"],
    "dependency": ["category", "flags", "suppliers_before", "suppliers_after", "hhi_before", "hhi_after",
                   "top_name_after", "top_share_after", "reason"],
    "sales": ["channel", "partners_before", "partners_after", "top1_share_before", "top1_share_after",
              "hhi_before", "hhi_after", "reason"],
    "centrality": ["metric", "movement", "id", "name", "rank_before", "rank_after", "rank_change", "reason"],
    "communities": ["id", "name", "community_before", "community_after", "reason"],
    "opportunities": ["rank", "id", "name", "realised", "reason"],
    "health": ["kind", "id", "name", "strength_change", "value_before", "clv", "reason"],
    "trend": ["snapshot", "organisations", "ties", "total_value", "focal_partners", "focal_pagerank_rank",
              "focal_constraint", "sales_top1_share", "single_source_categories", "reason"],
    "categories": ["snapshot", "category", "suppliers", "hhi", "level", "top_name", "top_share"],
}


def _strength_options(func):
    func = click.option("--default-strength", type=click.FloatRange(0, 1), default=0.5, show_default=True,
                        help="Strength of a tie that records none of the four qualities.")(func)
    func = click.option("--strength-weights", metavar="Q=W,...",
                        help="Weights of the relationship qualities in tie strength, e.g. trust=2 (equal by "
                             "default).")(func)
    return func


@cli.command("compare")
@click.argument("before", type=click.Path(path_type=Path))
@click.argument("after", type=click.Path(path_type=Path), required=False)
@click.option("--from", "date_from", metavar="DATE",
              help="The earlier date (YYYY-MM-DD) [default: the date BEFORE is named after, else today].")
@click.option("--to", "date_to", metavar="DATE",
              help="The later date [default: the date AFTER is named after, else today].")
@click.option("--focal", metavar="ID",
              help="The focal organisation (default: the one marked focal, the same in both snapshots).")
@click.option("--section", type=click.Choice(["all", *SECTIONS]), default="all", show_default=True,
              help="Which table to output; CSV needs one (JSON, Excel and text hold all).")
@click.option("--drop", type=click.FloatRange(0, 1), default=0.2, show_default=True,
              help="Relationship health: list the focal's ties whose strength fell by at least this much.")
@click.option("-k", "k", type=click.IntRange(min=1), default=20, show_default=True,
              help="Opportunities realised: length of the earlier shortlist.")
@click.option("--movers", type=click.IntRange(min=1), default=10, show_default=True,
              help="Risers, fallers and new brokers listed per measure.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the random shortlist and of the communities.")
@click.option("--top", type=click.IntRange(min=0), default=15, show_default=True,
              help="Rows per table in the text layout (0: all); CSV/JSON/Excel always hold every row.")
@_strength_options
@output_options()
def compare_cmd(before, after, date_from, date_to, focal, section, drop, k, movers, seed, top, strength_weights,
                default_strength, fmt, output):
    """What changed between two snapshots of the network, or in one data set between two dates.

    BEFORE and AFTER are data directories or .xlsx workbooks (a name such as
    2024-06-30, 2024-06 or 2024 sets the date whose active ties count); with
    one DATA, --from and --to give the two dates. Sections: organisations
    added, removed and renamed; ties added, ended and changed (value,
    strength and each quality); the focal's supply concentration per input
    category and its sales concentration, before and after, flagging new
    single sources, rises into "highly concentrated" and new top suppliers;
    risers and fallers in PageRank, betweenness and brokerage; community
    moves; which of the earlier shortlist became partners (precision@k beside
    a random shortlist's); weaker relationships, partners and customers lost.

    \b
    Example:
        netmap compare sample_data/history/2024-06-30 sample_data/history/2025-06-30
        netmap compare sample_data/tiny --from 2020-06-30 --to 2024-06-30 --section ties
        netmap compare sample_data/history/2024-06-30 sample_data --section dependency --format csv -o dep.csv
    """
    if after is None and not (date_from and date_to):
        raise click.UsageError("give two snapshots (BEFORE AFTER), or one DATA with --from and --to")
    if section == "all" and format_for(fmt, output) == "csv":
        raise click.UsageError(f"CSV holds one table: choose it with --section ({', '.join(SECTIONS)}), "
                               "or use --format json or an .xlsx file for all of them")
    guard_output(output)
    _guard_inputs(output, [before] + ([after] if after is not None else []))
    with progress.step("Comparing the snapshots"):
        res = compare(before, after, focal=focal, before_as_of=date_from, after_as_of=date_to, drop=drop, k=k,
                      top=movers, seed=seed, strength_weights=parse_weights(strength_weights),
                      default_strength=default_strength)
    res = res.with_meta({"section": section})
    m = res.meta
    heading = (f"What changed for {m['focal']} {m['focal_name']}: {m['before']} ({m['before_as_of']}) -> "
               f"{m['after']} ({m['after_as_of']})")
    emit_result(res, fmt, output, section=None if section == "all" else section, top=top, shown=_SHOWN,
                heading=heading)


@cli.command("trend")
@click.argument("snapshots", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="SNAPSHOT...")
@click.option("--focal", metavar="ID",
              help="The focal organisation (default: the one marked focal, the same in every snapshot).")
@click.option("--section", type=click.Choice(["all", "trend", "categories"]), default="all", show_default=True,
              help="Which table to output; CSV needs one (JSON, Excel and text hold both).")
@click.option("--top", type=click.IntRange(min=0), default=0, show_default=True,
              help="Rows per table in the text layout (0: all).")
@_strength_options
@output_options()
def trend_cmd(snapshots, focal, section, top, strength_weights, default_strength, fmt, output):
    """One row per snapshot: organisations, ties, total value, the focal's partners, PageRank rank and
    constraint, sales top-1 share, and each input category's HHI and top supplier.

    Give the snapshots oldest first, or one directory whose entries are named
    by date: YYYY (read on 31 December), YYYY-MM (the month's last day) or
    YYYY-MM-DD, each a data directory or .xlsx workbook. -o trend.html draws
    the figures as line charts (works offline); -o trend.xlsx writes a
    workbook.

    \b
    Example:
        netmap trend sample_data/history
        netmap trend sample_data/history -o trend.html
        netmap trend sample_data/history/2024-06-30 sample_data/history/2025-06-30 --section categories
    """
    paths = list(snapshots)
    if len(paths) == 1 and paths[0].is_dir() and any(snapshot_date(p.name) for p in paths[0].iterdir()):
        paths = history_paths(paths[0])
    html = output is not None and output.suffix.lower() in (".html", ".htm")
    if not html and section == "all" and format_for(fmt, output) == "csv":
        raise click.UsageError("CSV holds one table: choose it with --section (trend, categories), "
                               "or use --format json or an .xlsx file for both")
    guard_output(output)
    _guard_inputs(output, paths)
    with progress.step(f"Reading and analysing {len(paths)} snapshots"):
        res = trend(paths, focal=focal, strength_weights=parse_weights(strength_weights),
                    default_strength=default_strength)
    if html:
        from ..render.trend import write_trend_html

        write_trend_html(res, output)
        click.echo(f"Wrote line charts of {len(res.table)} snapshots to {visible(str(output))}", err=True)
        return
    emit_result(res.with_meta({"section": section}), fmt, output, section=None if section == "all" else section,
                top=top, shown=_SHOWN, heading=f"Trend of {res.meta['focal']} over {len(res.table)} snapshots")


def _guard_inputs(output: Path | None, inputs: list[Path]) -> None:
    """Refuse an output file that is one of the snapshots' own files."""
    if output is None:
        return
    target = Path(output).resolve()
    for p in inputs:
        p = Path(p).resolve()
        if target == p or (p.is_dir() and target.parent == p and target.stem.lower() in ("organizations",
                                                                                         "relationships")):
            raise click.UsageError(f"{visible(str(output))} is an input of this command; netmap never writes over "
                                   "its input: choose another output file")
