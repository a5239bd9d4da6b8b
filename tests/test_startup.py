"""Start-up: the command line and ``import netmap`` load no pandas; the lazy command list says what the commands say."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner
import pytest

import netmap
from netmap.cli import COMMANDS, LazyGroup, cli

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "scipy", "networkx", "igraph")

#: Runs ARGS through the console script's entry point and reports, on stderr, which heavy
#: modules were loaded after importing the CLI and after the command.
PROBE = """
import json, sys
from netmap.cli import main
heavy = lambda: [m for m in {heavy!r} if m in sys.modules]
after_import = heavy()
sys.argv = ["netmap", *{args!r}]
try:
    main()
except SystemExit:
    pass
print("@@" + json.dumps([after_import, heavy()]), file=sys.stderr)
"""


def _python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)


@pytest.mark.parametrize("args,says", [
    (["--help"], "Usage: netmap [OPTIONS] COMMAND [ARGS]..."),
    (["-h"], "Commands:"),
    (["--version"], f"netmap, version {netmap.__version__}"),
])
def test_the_command_line_starts_without_pandas(args, says):
    proc = _python(PROBE.format(heavy=HEAVY, args=args))
    assert says in proc.stdout, proc.stdout + proc.stderr
    line = [x for x in proc.stderr.splitlines() if x.startswith("@@")]
    assert line, proc.stderr
    after_import, after_command = json.loads(line[0][2:])
    assert after_import == [] and after_command == [], proc.stderr


def test_import_netmap_loads_no_pandas_until_a_name_is_used():
    proc = _python(
        "import sys, netmap\n"
        "print('before', 'pandas' in sys.modules)\n"
        "from netmap import read_network, NodeNotFound\n"
        "net = read_network('sample_data/tiny')\n"
        "print('after', 'pandas' in sys.modules, net.n_edges, issubclass(NodeNotFound, netmap.NetmapError))\n"
    )
    assert proc.stdout.split("\n")[:2] == ["before False", "after True 14 True"], proc.stderr


def test_every_exported_name_resolves_and_is_listed():
    for name in netmap.__all__:
        value = getattr(netmap, name)
        assert value is not None, name
        if name != "__version__":
            assert getattr(value, "__name__", name) == name, name
    assert set(netmap.__all__) <= set(dir(netmap))
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        netmap.no_such_name  # noqa: B018


def test_the_table_of_commands_matches_the_commands():
    """Each line of COMMANDS names the command's function and the first sentence of its help."""
    every = cli.commands  # imports every command's module
    assert sorted(every) == sorted(COMMANDS), "a module defines a command that COMMANDS in netmap/cli/__init__.py lacks"
    for name, (target, sentence) in COMMANDS.items():
        module, _, attr = target.partition(":")
        assert getattr(importlib.import_module(f"netmap.cli.{module}"), attr) is every[name], name
        assert sentence == every[name].get_short_help_str(10**6), (
            f"the help of `netmap {name}` now starts {every[name].get_short_help_str(10**6)!r}; put that in COMMANDS")


def _listing(group: click.Group, width: int) -> str:
    ctx = click.Context(group, info_name="netmap", terminal_width=width, max_content_width=width)
    formatter = ctx.make_formatter()
    group.format_commands(ctx, formatter)
    return formatter.getvalue()


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_the_list_of_commands_reads_as_with_every_command_imported(width):
    fresh = LazyGroup(name="netmap", lazy_commands=COMMANDS)  # lists from COMMANDS alone
    imported = click.Group(name="netmap", commands=dict(cli.commands))  # click's own listing
    got = _listing(fresh, width)
    assert got == _listing(imported, width)
    assert [line.split()[0] for line in got.splitlines()[1:]] == sorted(COMMANDS)


def test_a_lazy_group_imports_a_command_when_it_runs():
    group = LazyGroup(name="demo", lazy_commands={"validate": ("validate:validate", "Check DATA.")})
    result = CliRunner().invoke(group, ["validate", str(ROOT / "sample_data" / "tiny")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK:")
    unknown = CliRunner().invoke(group, ["valdate"])
    assert unknown.exit_code == 2 and "Did you mean 'validate'?" in unknown.output
