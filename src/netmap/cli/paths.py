"""``netmap paths``, ``netmap access`` and ``netmap gatekeepers``: how the focal organisation reaches what it lacks."""

from __future__ import annotations

import functools

import click

from ..analysis.paths import CRITERIA, access_table, best_paths, gatekeepers
from . import cli
from ..result import Result
from .options import emit_result, network_from_options, network_options, output_options, write_back


def path_options(func):
    """Options shared by the three commands: focal organisation, ranking, hop limit, direction, date."""

    @click.option("--focal", metavar="ID", help="Organisation the paths start from (default: the one marked focal).")
    @click.option("--by", type=click.Choice(CRITERIA), default="strength", show_default=True,
                  help="Rank paths by tie strength (most reliable: highest product of strengths), "
                  "hop count (fewest ties) or value (highest smallest tie value).")
    @click.option("--max-hops", type=click.IntRange(min=1), metavar="N", help="Longest path allowed, in ties.")
    @click.option("--directed", is_flag=True,
                  help="Follow the flow direction of ties (default: ties work as channels both ways).")
    @click.option("--as-of", metavar="DATE", help="Use the ties active on this date, YYYY-MM-DD (default: today).")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def _target_options(func):
    func = click.option("--market", metavar="M", help="Reach an organisation serving this market.")(func)
    func = click.option("--capability", metavar="X", help="Reach an organisation holding this capability.")(func)
    return func


def _need_target(capability, market, to=None, with_to=False):
    if to is not None and (capability is not None or market is not None):
        raise click.UsageError("give either --to ID or --capability/--market, not both")
    if to is None and capability is None and market is None:
        what = "--to ID, --capability X or --market M" if with_to else "--capability X or --market M"
        raise click.UsageError(f"say what to reach: {what}")


@cli.command()
@network_options
@click.option("--to", "to", metavar="ID", help="Organisation to reach.")
@_target_options
@click.option("-k", "k", type=click.IntRange(min=1), default=3, show_default=True, help="Number of paths.")
@path_options
@output_options()
def paths(network_source, to, capability, market, k, focal, by, max_hops, directed, as_of, fmt, output):
    """The k best paths from the focal organisation to an organisation, a capability or a market.

    Each path lists its organisations, each tie's type and strength, its
    score, hops and weakest tie. Ties work both ways unless --directed;
    ended ties are left out.

    \b
    Example:
        netmap paths sample_data/tiny --focal F1 --to T1
        netmap paths sample_data --capability "control software" -k 5 --by hops
        netmap paths sample_data --market JP --max-hops 3 -o paths.xlsx
    """
    _need_target(capability, market, to, with_to=True)
    if network_source.get("write_back"):
        raise click.UsageError("paths are not per organisation; use --write-back with `netmap access` or "
                               "`netmap gatekeepers`")
    net = network_from_options(network_source)
    res = best_paths(net, focal, to=to, capability=capability, market=market, k=k, by=by,
                     max_hops=max_hops, directed=directed, as_of=as_of)
    emit_result(Result({"paths": res.table.drop(columns=["nodes"])}, res.meta), fmt, output)
    if res.table.empty:
        click.echo(res.meta["note"], err=True)


@cli.command()
@network_options
@_target_options
@path_options
@output_options()
def access(network_source, capability, market, focal, by, max_hops, directed, as_of, fmt, output):
    """Every organisation holding a capability or serving a market, ranked by its best path.

    Shows who can introduce us (the first intermediary), hops, the weakest
    tie, and why the holders that cannot be reached are out of reach.
    `netmap gatekeepers` lists the partners these paths depend on. With
    --neo4j --write-back, each holder gets netmap_access_score, _hops,
    _introducer and _reachable (overwritten by the next run).

    \b
    Example:
        netmap access sample_data/tiny --focal F1 --market JP
        netmap access sample_data --capability inverters --directed -o access.csv
    """
    _need_target(capability, market)
    net = network_from_options(network_source)
    res = access_table(net, focal, capability=capability, market=market, by=by,
                       max_hops=max_hops, directed=directed, as_of=as_of)
    emit_result(res, fmt, output)
    write_back(network_source, res.table, {"score": "access_score", "hops": "access_hops",
                                    "first_intermediary": "access_introducer", "reachable": "access_reachable"})


@cli.command(name="gatekeepers")
@network_options
@_target_options
@path_options
@output_options()
def gatekeepers_command(network_source, capability, market, focal, by, max_hops, directed, as_of, fmt, output):
    """The intermediaries on most of the best paths to a capability or market.

    These are the relationships to protect: each row counts the holders
    whose best path (as in `netmap access`) runs through the organisation,
    how often it is the one who introduces us, and which holders it gates.
    With --neo4j --write-back, each gatekeeper gets netmap_gatekeeper_paths
    and netmap_gatekeeper_share.

    \b
    Example:
        netmap gatekeepers sample_data/tiny --focal T1 --market JP
        netmap gatekeepers sample_data --capability inverters --format csv
    """
    _need_target(capability, market)
    net = network_from_options(network_source)
    res = gatekeepers(net, focal, capability=capability, market=market, by=by,
                      max_hops=max_hops, directed=directed, as_of=as_of)
    emit_result(res, fmt, output)
    write_back(network_source, res.table, {"paths": "gatekeeper_paths", "share": "gatekeeper_share"})
