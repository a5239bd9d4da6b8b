"""The ``netmap`` command line: one command per question, each a thin wrapper over a library function."""

from __future__ import annotations

import importlib
import os
import sys

import click

from .. import __version__
from ..errors import NetmapError, ValidationError
from ..export.safety import visible

__all__ = ["cli", "main"]

#: Modules under netmap.cli that define commands; each registers itself on ``cli``.
COMMAND_MODULES = (
    "validate",
    "summary",
    "export",
    "paths",
    "opportunities",
    "render",
    "dependency",
    "load",
    "centrality",
    "portfolio",
)

MAX_PROBLEMS_SHOWN = 20


class NetmapGroup(click.Group):
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


@click.group(cls=NetmapGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="netmap")
def cli():
    """netmap: map and analyse your business network.

    Who is central, where you depend on single partners, how you reach a
    capability or market through trusted partners, and whom to approach next.

    \b
    Example:
        netmap validate sample_data
        netmap report sample_data -o report     # everything, as one HTML report
        netmap dependency sample_data --focal ORG-0001
    """


for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="netmap")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
