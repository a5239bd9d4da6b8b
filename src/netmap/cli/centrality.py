"""``netmap centrality``, ``netmap brokerage`` and ``netmap communities``: who is central, who brokers, which clusters."""

from __future__ import annotations

import functools

import click
import pandas as pd

from .. import progress
from ..analysis.brokerage import BROKERAGE_SORTS, brokerage
from ..analysis.centrality import METRICS, centrality
from ..analysis.communities import communities
from ..dates import iso_day
from ..errors import ArgumentError
from ..result import Result
from ..schema import ROLES
from ..view import active_network
from . import cli
from .options import emit_result, network_from_options, network_options, output_options, write_back

WEIGHTS = ("value", "strength", "none")


def _weight_option(func):
    return click.option(
        "--weight", type=click.Choice(WEIGHTS), default="value", show_default=True,
        help="Tie weight: annual value (parallel ties summed, missing values 0), relationship "
        "strength, or none (every tie counts 1).",
    )(func)


def _dated(func):
    """``--as-of`` / ``--all-ties``: which ties count (default: those active today)."""

    @click.option("--as-of", metavar="YYYY-MM-DD", help="Use the ties active on this date [default: today].")
    @click.option("--all-ties", is_flag=True, help="Use every tie of the data, whatever its dates.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def _load(network_source, as_of, all_ties):
    net = network_from_options(network_source)
    if all_ties:
        return net, "all ties in the data"
    day = iso_day(as_of)
    return active_network(net, day), f"active on {day}"


def _first(ties: str, result: Result) -> Result:
    """``result`` with which ties were used first in its meta."""
    result.meta = {"ties_used": ties, **result.meta}
    return result


def _role_option(func):
    return click.option("--role", "roles", multiple=True, type=click.Choice(ROLES),
                        help="Only show organisations with this role (repeatable).")(func)


def _top_option(func):
    return click.option("--top", type=click.IntRange(min=1), metavar="N", help="Show only the first N rows.")(func)


@cli.command("centrality")
@network_options
@click.option("--directed/--undirected", default=True, show_default=True,
              help="Follow ties downstream (symmetric ties both ways) or read every tie both ways "
              "(PageRank, betweenness, closeness).")
@_weight_option
@click.option("--damping", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.85,
              show_default=True, help="PageRank damping factor.")
@click.option("--betweenness", type=click.Choice(["auto", "exact", "sampled"]),
              default="auto", show_default=True,
              help="Exact betweenness and closeness, or estimated from sampled sources; auto is exact up "
              "to 5,000 organisations.")
@click.option("--samples", type=click.IntRange(min=1), default=256, show_default=True,
              help="Source organisations sampled for estimated betweenness and closeness.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed of the sampling.")
@_role_option
@_top_option
@click.option("--sort", type=click.Choice(METRICS),
              help="Metric to sort by (largest first) [default: the first of --metrics, pagerank when all are "
              "computed].")
@click.option("--metrics", metavar="M,...",
              help="Compute only these of pagerank, upstream_pagerank, betweenness, closeness, eigenvector "
              "(default: all; degrees are always shown). Leaving out closeness and betweenness is much faster "
              "on large networks.")
@_dated
@output_options()
def centrality_cmd(network_source, directed, weight, damping, betweenness, samples, seed, roles, top,
                   sort, metrics, as_of, all_ties, fmt, output):
    """Who is most central: degree, total tie value, PageRank downstream (who the flow of goods
    leads to) and upstream (whom supply comes from), betweenness, closeness and eigenvector
    centrality of every organisation, each with its rank in the network.

    Scores and ranks are computed on the whole network; --role and --top only
    choose the rows shown.

    \b
    Example:
        netmap centrality sample_data --top 10
        netmap centrality sample_data --role supplier --sort betweenness --format csv -o suppliers.csv
        netmap centrality sample_data --undirected --weight none
        netmap centrality sample_data --sort upstream_pagerank --top 10
        netmap centrality big_data --metrics pagerank,eigenvector --top 100
    """
    net, ties = _load(network_source, as_of, all_ties)
    with progress.step("Centrality"):
        res = centrality(net, directed=directed, weight=weight, damping=damping, betweenness=betweenness,
                         samples=samples, seed=seed, roles=list(roles) or None, top=top, sort=sort, metrics=metrics)
    emit_result(_first(ties, res), fmt, output)
    if network_source.get("write_back"):
        # every organisation gets its scores, not only the rows shown
        full = res.table if (top is None and not roles) else centrality(
            net, directed=directed, weight=weight, damping=damping, betweenness=betweenness,
            samples=samples, seed=seed, metrics=metrics).table
        write_back(network_source, full, [m for m in ("degree", "weighted_degree", "pagerank", "upstream_pagerank",
                                                      "betweenness", "closeness", "eigenvector") if m in full.columns])


@cli.command("brokerage")
@network_options
@click.option("--id", "ids", multiple=True, metavar="ID", help="Only these organisations (repeatable).")
@_weight_option
@_role_option
@_top_option
@click.option("--sort", type=click.Choice(BROKERAGE_SORTS), default="constraint", show_default=True,
              help="Sort by constraint (lowest first: the best brokers) or by effective size, efficiency "
              "or degree (largest first).")
@_dated
@output_options()
def brokerage_cmd(network_source, ids, weight, roles, top, sort, as_of, all_ties, fmt, output):
    """Which organisations bridge otherwise separate groups: Burt's constraint (low = broker),
    effective size and efficiency of each organisation, on the undirected view, with the
    partner each depends on most.

    \b
    Example:
        netmap brokerage sample_data --top 10
        netmap brokerage sample_data/tiny --id F1 --id S3 --weight none
    """
    net, ties = _load(network_source, as_of, all_ties)
    with progress.step("Brokerage"):
        res = brokerage(net, list(ids) or None, weight=weight, roles=list(roles) or None, top=top, sort=sort)
    emit_result(_first(ties, res), fmt, output)
    if network_source.get("write_back"):
        full = res.table if (top is None and not roles) else brokerage(net, list(ids) or None, weight=weight).table
        write_back(network_source, full, ["constraint", "effective_size", "efficiency"])


@cli.command("communities")
@network_options
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the orders Louvain's runs visit the organisations in (same seed, same result).")
@click.option("--runs", type=click.IntRange(min=1), metavar="N",
              help="Louvain runs to try, keeping the best modularity [default: 20, fewer above 12,500 connected "
              "pairs, 1 from 250,000].")
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="Above 1: more, smaller communities; below 1: fewer, larger ones.")
@_weight_option
@click.option("--members", is_flag=True, help="List every organisation with its community instead of the summary.")
@click.option("--community", type=click.IntRange(min=1), metavar="N",
              help="With --members: only the members of community N.")
@_top_option
@_dated
@output_options()
def communities_cmd(network_source, seed, runs, resolution, weight, members, community, top, as_of, all_ties, fmt,
                    output):
    """Which clusters the network falls into (Louvain, best of several seeded runs): a summary of
    each community with its size, dominant roles, countries, top members by PageRank and tie
    value inside vs. across; modularity is reported above the table. Organisations without a
    tie are in no community (the output says how many).

    \b
    Example:
        netmap communities sample_data
        netmap communities sample_data --members --community 1
        netmap communities sample_data --resolution 2 --format json -o communities.json
    """
    if community is not None and not members:
        raise click.UsageError("--community N lists members; add --members")
    net, ties = _load(network_source, as_of, all_ties)
    with progress.step("Communities"):
        res = communities(net, seed=seed, resolution=resolution, weight=weight, runs=runs)
    name = "members" if members else "summary"
    table = res[name]
    if community is not None:
        if community > len(res.summary):
            raise ArgumentError(f"there is no community {community}: the network has {len(res.summary)} "
                                f"communities, numbered 1 to {len(res.summary)}", param="community")
        table = table[table["community"] == community].reset_index(drop=True)
    if top is not None:
        table = table.head(top).reset_index(drop=True)
    emit_result(_first(ties, Result({name: table}, res.meta, res.titles)), fmt, output)
    if network_source.get("write_back"):
        # organisations in no community lose an earlier run's community
        untied = sorted(set(net.ids) - set(res.members["id"]))
        everyone = pd.DataFrame({"id": res.members["id"].tolist() + untied,
                                 "community": pd.Series(res.members["community"].tolist() + [None] * len(untied),
                                                        dtype=object)})
        write_back(network_source, everyone, ["community"])
