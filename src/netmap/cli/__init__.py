"""The ``netmap`` command line: one command per question, each a thin wrapper over a library function."""

from __future__ import annotations

import importlib
import os
import sys

import click

from .. import __version__, progress
from ..errors import NetmapError, ValidationError

__all__ = ["COMMANDS", "LazyGroup", "cli", "main"]

#: Every command: name -> ("module:function" under netmap.cli, the first sentence of its help).
#: A command's module is imported only when the command runs (or its own --help is asked for);
#: ``netmap --help`` lists the sentences, so the command line starts without pandas.
#: A new command is one entry here; tests/test_startup.py checks each entry against the command itself.
COMMANDS = {
    "access": ("paths:access", "Every organisation holding a capability or serving a market, ranked by its best path."),
    "brokerage": ("centrality:brokerage_cmd", "Which organisations bridge otherwise separate groups: Burt's "
                  "constraint (low = broker), effective size and efficiency of each organisation, on the "
                  "undirected view, with the partner each depends on most."),
    "centrality": ("centrality:centrality_cmd", "Who is most central: degree, total tie value, PageRank downstream "
                   "(who the flow of goods leads to) and upstream (whom supply comes from), betweenness, closeness "
                   "and eigenvector centrality of every organisation, each with its rank in the network."),
    "communities": ("centrality:communities_cmd", "Which clusters the network falls into (Louvain, best of several "
                    "seeded runs): a summary of each community with its size, dominant roles, countries, top "
                    "members by PageRank and tie value inside vs. across; modularity is reported above the table."),
    "compare": ("compare:compare_cmd", "What changed between two snapshots of the network, or in one data set between two dates."),
    "dependency": ("dependency:dependency", "How dependent the focal organisation is on single partners."),
    "exposure": ("geo:exposure_cmd", "Where the focal organisation's supply and sales sit, by country or region, "
                 "tier by tier."),
    "export": ("export:export_graph", "Write the network as GraphML or GEXF, to open in Gephi, yEd or Cytoscape."),
    "gatekeepers": ("paths:gatekeepers_command", "The intermediaries on most of the best paths to a capability or "
                    "market."),
    "geomap": ("geo:geomap_cmd", "Draw where the network lives on a world map that works offline."),
    "load": ("load:load", "Load a data directory into Neo4j, so it can be explored in Neo4j Browser and Bloom and "
             "analysed with --neo4j."),
    "map": ("render:map_cmd", "Draw the network as an interactive HTML map that works offline: colour by role, "
                              "community or country, size by PageRank, betweenness, total value or degree, line "
                              "width by tie value, line style by tie type; tooltips, search, filters and highlight "
                              "modes; click an organisation to show its neighbourhood; download the view as PNG or "
                              "SVG."),
    "markets": ("opportunities:markets_cmd", "Markets to expand into: where the focal organisation has no presence "
                "but its partners' partners do, with the distributors who serve them, via whom, and how strong "
                "that path is."),
    "opportunities": ("opportunities:opportunities_cmd", "Shortlist the organisations to approach next: partners' "
                      "partners (within --max-hops ties) not yet tied to the focal organisation, scored by "
                      "strength-weighted link prediction (common neighbours, Adamic-Adar, resource allocation, "
                      "Jaccard), fit to --market/--capability, novelty (capabilities and markets you do not reach "
                      "yet) and brokerage gain (how much the tie would lower your Burt constraint)."),
    "paths": ("paths:paths", "The k best paths from the focal organisation to an organisation, a capability or a "
              "market."),
    "portfolio": ("portfolio:portfolio_cmd", "Which relationships to invest in, repair, develop or serve efficiently."),
    "report": ("render:report_cmd", "Write the one-page report for a focal organisation: network summary, central "
               "partners and brokers, dependency risks and what-if losses, best access paths to the capabilities "
               "and markets it lacks, and whom to approach next with the introducers; with the maps and every "
               "table as CSV and Excel beside it."),
    "summary": ("summary:summary", "Summarise a network: organisations by role, ties by type, focal organisations, "
                "components, density and total value by tie type and category."),
    "trend": ("compare:trend_cmd", "One row per snapshot: organisations, ties, total value, the focal's partners, PageRank rank and constraint, sales top-1 share, and each input category's HHI and top supplier."),
    "validate": ("validate:validate", "Check DATA (a directory, or an .xlsx workbook) and list every problem."),
    "whatif": ("dependency:whatif", "What the focal organisation loses if partners fail."),
}

MAX_PROBLEMS_SHOWN = 20


class LazyGroup(click.Group):
    """A click group whose commands are imported on first use.

    ``lazy_commands`` maps each name to ``("module:function", short help)``,
    the module relative to this package. Listing the commands (``--help``)
    shows the short help without importing anything; running a command, or
    asking for its own help, imports its module. Reading :attr:`commands`
    imports them all (the reference and the docs tests walk every command).
    """

    def __init__(self, *args, lazy_commands: dict[str, tuple[str, str]] | None = None, **kwargs):
        self.lazy_commands = dict(lazy_commands or {})
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> dict[str, click.Command]:
        for name in self.lazy_commands:
            self._load(name)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self._commands[name] = cmd

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self._commands) | set(self.lazy_commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            self._load(cmd_name)
        return self._commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, as click writes it, from the short help of commands not imported yet."""
        commands = []
        for name in self.list_commands(ctx):
            cmd = self._commands.get(name) or click.Command(name, help=self.lazy_commands[name][1])
            if not cmd.hidden:
                commands.append((name, cmd))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])

    def _load(self, name: str) -> None:
        if name in self._commands:
            return
        target = self.lazy_commands[name][0]
        module_name, _, attr = target.partition(":")
        cmd = getattr(importlib.import_module(f"{__name__}.{module_name}"), attr)
        if not isinstance(cmd, click.Command):
            raise TypeError(f"{target} is not a click command (it is the command {name!r} in COMMANDS)")
        self._commands[name] = cmd


class NetmapGroup(LazyGroup):
    """Turns netmap's exceptions into one clear message and an exit code.

    Exit codes: 0 ok, 1 bad input (data, ids, server), 2 usage error,
    3 internal error (a bug: please report it).
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ValidationError as e:
            report_problems(e)
            ctx.exit(1)
        except NetmapError as e:
            raise click.ClickException(visible(_with_advice(ctx, e))) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt, EOFError):
            raise
        except Exception as e:  # noqa: BLE001 - last line of defence, never a traceback
            if os.environ.get("NETMAP_DEBUG"):
                raise
            click.echo(
                f"Error: netmap hit an internal error ({type(e).__name__}: {e}).\n"
                "This is a bug in netmap, not in your data. Please report it on netmap's issue tracker with the "
                f"command you ran and the output of `netmap --version`; run it again with NETMAP_DEBUG=1 "
                "to include the traceback.",
                err=True,
            )
            ctx.exit(3)


def visible(text) -> str:
    """:func:`netmap.export.safety.visible`, imported when an error is shown (not at start-up)."""
    from ..export.safety import visible as shown

    return shown(text)


def report_problems(e: ValidationError, limit: int | None = MAX_PROBLEMS_SHOWN) -> None:
    shown = e.problems if limit is None else e.problems[:limit]
    for p in shown:
        click.echo(visible(str(p)), err=True)
    rest = len(e.problems) - len(shown)
    hint = f" (and {rest} more)" if rest > 0 else ""
    where = f" {visible(e.source)}" if e.source else ""
    click.echo(
        f"Error: the data has {len(e.problems)} problem{'s' if len(e.problems) != 1 else ''}{hint}; "
        f"fix them and try again (netmap validate{where} lists them all).",
        err=True,
    )


def _with_advice(ctx: click.Context, e: NetmapError) -> str:
    """The library's message, plus the option of the command that sets the parameter at fault."""
    message = str(e)
    param = getattr(e, "param", None)
    if not param:
        return message
    sub = ctx.invoked_subcommand
    cmd = ctx.command.get_command(ctx, sub) if sub and isinstance(ctx.command, click.Group) else None
    for p in getattr(cmd, "params", ()):
        if p.name == param and isinstance(p, click.Option) and p.opts:
            flag = max(p.opts, key=len)
            if flag in message:
                return message
            metavar = "" if p.is_flag else f" {p.make_metavar(ctx) if p.metavar is None else p.metavar}"
            return f"{message} (option {flag}{metavar})"
        if p.name == param and isinstance(p, click.Argument):
            return f"{message} (argument {p.human_readable_name})"
    return message


@click.group(cls=NetmapGroup, lazy_commands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="netmap")
@click.option("-q", "--quiet", is_flag=True, envvar="NETMAP_QUIET",
              help="Show no progress on stderr (also NETMAP_QUIET=1). Progress shows only on a terminal.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool):
    """netmap: map and analyse your business network.

    Who is central, where you depend on single partners, how you reach a
    capability or market through trusted partners, and whom to approach next.

    \b
    Example:
        netmap validate sample_data
        netmap report sample_data -o report     # everything, as one HTML report
        netmap dependency sample_data --focal ORG-0001
    """
    if not quiet:
        progress.enable()
        ctx.call_on_close(progress.disable)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="netmap")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
