"""``netmap opportunities`` (whom to approach next, and a backtest) and ``netmap markets``."""

from __future__ import annotations

import click

from ..analysis.backtest import backtest
from ..analysis.candidates import COMPONENTS
from ..analysis.markets import market_expansion
from ..analysis.opportunities import opportunities
from ..export import format_for
from ..result import Result
from . import cli
from .options import emit_result, network_from_options, network_options, output_options, parse_weights, write_back

#: Columns of the shortlist in the text layout (files hold every column).
SHORTLIST_COLUMNS = [
    "rank", "id", "name", "roles", "hops", "shared_partners", "score", "adamic_adar",
    "fit", "novelty", "brokerage_gain", "drivers", "introducers",
]
#: Longest explanation shown in the text layout (files keep the whole text).
TEXT_WIDTH = 90


@cli.command("opportunities")
@network_options
@click.option("--focal", metavar="ID", help="Focal organisation (default: the one marked focal in the data).")
@click.option("--role", "roles", multiple=True, metavar="ROLE",
              help="Only candidates with this role (repeat or comma-separate for several).")
@click.option("--market", "markets", multiple=True, metavar="MARKET",
              help="Market you are looking for; scored by fit (repeatable).")
@click.option("--capability", "capabilities", multiple=True, metavar="CAP",
              help="Capability you are looking for; scored by fit (repeatable).")
@click.option("--top", type=click.IntRange(min=1), default=50, show_default=True, help="Rows in the shortlist.")
@click.option("--all", "all_rows", is_flag=True, help="Every candidate instead of the top N.")
@click.option("--max-hops", type=click.IntRange(min=2), default=3, show_default=True,
              help="Farthest candidates, in ties from the focal organisation (2 = partners' partners).")
@click.option("--weights", metavar="C=W,...",
              help=f"Weights of the score components ({', '.join(COMPONENTS)}), e.g. fit=4,novelty=0.")
@click.option("--min-fit", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Drop candidates with a lower fit (1 = must list every requested market and capability).")
@click.option("--new-tie-strength", "new_strength", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Strength assumed for the new tie in brokerage gain [default: median of the focal's ties].")
@click.option("--as-of", metavar="YYYY-MM-DD", help="Use the ties active on this date [default: today].")
@click.option("--backtest", "run_backtest", is_flag=True,
              help="Instead of a shortlist: hide a share of ties and report how well the ranking finds them.")
@click.option("--hide", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.1, show_default=True,
              help="Backtest: share of ties hidden.")
@click.option("--seed", type=int, default=0, show_default=True, help="Backtest: random seed.")
@click.option("-k", "--k", "k", type=click.IntRange(min=1), default=50, show_default=True,
              help="Backtest: shortlist length for precision@k.")
@click.option("--sources", type=click.IntRange(min=1), default=50, show_default=True,
              help="Backtest: organisations evaluated (the focal one first).")
@output_options()
def opportunities_cmd(network_source, focal, roles, markets, capabilities, top, all_rows, max_hops, weights,
                      min_fit, new_strength, as_of, run_backtest, hide, seed, k, sources, fmt, output):
    """Shortlist the organisations to approach next: partners' partners (within --max-hops ties)
    not yet tied to the focal organisation, scored by strength-weighted link prediction
    (common neighbours, Adamic-Adar, resource allocation, Jaccard), fit to --market/--capability,
    novelty (capabilities and markets you do not reach yet) and brokerage gain (how much the tie
    would lower your Burt constraint). Every row names the introducers with their tie strengths,
    what the candidate adds, and which scores drove its rank.

    The terminal shows the main columns; --format csv/json/xlsx or -o FILE (.csv, .json, .xlsx) has all.

    With --neo4j --write-back, the shortlisted organisations get netmap_opportunity_score and
    netmap_opportunity_rank (for this focal organisation).

    With --backtest, hides a seeded random share of ties, ranks on the rest and reports AUC and
    precision@k next to what a random ranking would get (an Excel file also gets the hidden ties).

    \b
    Example:
        netmap opportunities sample_data --top 10
        netmap opportunities sample_data --role distributor --market BR -o shortlist.xlsx
        netmap opportunities sample_data --backtest --hide 0.1 --seed 0
    """
    w = parse_weights(weights, "--weights", "fit=3")
    if run_backtest and network_source.get("write_back"):
        raise click.UsageError("--write-back stores a shortlist's scores; it does not apply to --backtest")
    net = network_from_options(network_source)
    if run_backtest:
        result = backtest(net, focal, hide=hide, seed=seed, k=k, sources=sources, roles=roles or None,
                          markets=markets or None, capabilities=capabilities or None, max_hops=max_hops,
                          weights=w, as_of=as_of, new_strength=new_strength)
        emit_result(result, fmt, output, section=None if format_for(fmt, output) == "xlsx" else "summary")
        return
    result = opportunities(net, focal, roles=roles or None, markets=markets or None,
                           capabilities=capabilities or None, top=None if all_rows else top, max_hops=max_hops,
                           weights=w, as_of=as_of, new_strength=new_strength, min_fit=min_fit)
    emit_result(_for_text(result, fmt, output), fmt, output, shown={"shortlist": SHORTLIST_COLUMNS})
    write_back(network_source, result.table, {"score": "opportunity_score", "rank": "opportunity_rank"})


@cli.command("markets")
@network_options
@click.option("--focal", metavar="ID", help="Focal organisation (default: the one marked focal in the data).")
@click.option("--presence", type=click.Choice(["partners", "own"]), default="partners", show_default=True,
              help="Where you count as present: your and your direct partners' markets, or only your own.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the first N markets.")
@click.option("--as-of", metavar="YYYY-MM-DD", help="Use the ties active on this date [default: today].")
@output_options()
def markets_cmd(network_source, focal, presence, top, as_of, fmt, output):
    """Markets to expand into: where the focal organisation has no presence but its partners'
    partners do, with the distributors who serve them, via whom, and how strong that path is.

    \b
    Example:
        netmap markets sample_data
        netmap markets sample_data --presence own -o markets.xlsx
    """
    if network_source.get("write_back"):
        raise click.UsageError("netmap markets reports markets, not organisations; --write-back does not apply")
    net = network_from_options(network_source)
    result = market_expansion(net, focal, presence=presence, as_of=as_of, top=top)
    emit_result(_for_text(result, fmt, output), fmt, output)


def _for_text(result: Result, fmt: str, output) -> Result:
    """In the text layout, long explanations are cut to :data:`TEXT_WIDTH`; files keep the whole text."""
    if format_for(fmt, output) != "table":
        return result
    cut = {}
    for name, df in result.tables.items():
        df = df.copy()
        for col in ("introducers", "drivers", "distributor_list", "via", "others", "partners_there"):
            if col in df.columns:
                df[col] = df[col].map(
                    lambda s: s if not isinstance(s, str) or len(s) <= TEXT_WIDTH else s[: TEXT_WIDTH - 3] + "...")
        cut[name] = df
    return Result(cut, result.meta, result.titles, result.main)
