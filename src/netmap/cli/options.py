"""Options shared by every command, defined once: the network source, output format and file."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import click
import pandas as pd

from ..export import FORMATS, write_result
from ..export.safety import visible
from ..network import Network
from ..result import Result

__all__ = ["network_options", "neo4j_connection_options", "output_options", "network_from_options", "emit_result",
           "guard_output", "parse_weights", "neo4j_settings", "write_back", "country_risk_option",
           "apply_country_risk"]


def parse_weights(text: str | None, option: str = "--strength-weights", example: str = "trust=2") -> dict[str, float] | None:
    """Parse ``name=weight,...`` (e.g. ``trust=2,commitment=1``) into a dict; ``None`` when empty.

    ``option`` and ``example`` shape the usage error for a malformed part.
    """
    if not text:
        return None
    out: dict[str, float] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise click.BadParameter(f"'{part}' should look like {example}", param_hint=option)
        k, v = part.split("=", 1)
        try:
            out[k.strip().lower()] = float(v)
        except ValueError:
            raise click.BadParameter(f"'{v.strip()}' is not a number", param_hint=option) from None
    return out


def neo4j_connection_options(func):
    """Add ``--neo4j-uri``, ``--neo4j-user``, ``--neo4j-password`` and ``--neo4j-database``.

    Each defaults to Neo4j's own environment variable (NEO4J_URI,
    NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE); the command receives
    ``neo4j_uri``, ``neo4j_user``, ``neo4j_password`` and ``neo4j_database``.
    """
    for opt in reversed((
        click.option("--neo4j-uri", envvar="NEO4J_URI", metavar="URI", show_envvar=True,
                     help="Bolt URI of the Neo4j server, e.g. neo4j://localhost:7687."),
        click.option("--neo4j-user", envvar="NEO4J_USERNAME", metavar="USER", show_envvar=True,
                     help="Neo4j user name (default neo4j)."),
        click.option("--neo4j-password", envvar="NEO4J_PASSWORD", metavar="PASSWORD", show_envvar=False,
                     help="Neo4j password; prompted for when missing (env: NEO4J_PASSWORD)."),
        click.option("--neo4j-database", envvar="NEO4J_DATABASE", metavar="NAME", show_envvar=True,
                     help="Neo4j database (default: the server's default database)."),
    )):
        func = opt(func)
    return func


def network_options(func):
    """Add the network source: a DATA directory (or .xlsx workbook), or a Neo4j database.

    Options: ``--neo4j`` (read from Neo4j instead of DATA) with ``--neo4j-uri``,
    ``--neo4j-user``, ``--neo4j-password``, ``--neo4j-database`` (defaulting to
    the environment variables NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD,
    NEO4J_DATABASE), ``--write-back`` (store results on the Neo4j nodes) and
    the tie-strength settings. The decorated command receives
    ``network_source`` (a dict) and calls :func:`network_from_options` with it.
    """

    @click.argument("data", type=click.Path(path_type=Path), required=False, metavar="DATA")
    @click.option("--neo4j", "neo4j", is_flag=True,
                  help="Read the network from Neo4j (settings below) instead of a data directory.")
    @neo4j_connection_options
    @click.option("--write-back", is_flag=True,
                  help="Also store the results as netmap_* properties on the Neo4j nodes (needs --neo4j).")
    @click.option(
        "--strength-weights",
        metavar="Q=W,...",
        help="Weights of the relationship qualities in tie strength, e.g. trust=2,communication=1 "
        "(equal by default).",
    )
    @click.option(
        "--default-strength",
        type=click.FloatRange(0, 1),
        default=0.5,
        show_default=True,
        help="Strength of a tie that records none of the four qualities.",
    )
    @functools.wraps(func)
    def wrapper(*args, data, neo4j, neo4j_uri, neo4j_user, neo4j_password, neo4j_database,
                write_back, strength_weights, default_strength, **kwargs):
        if neo4j and data is not None:
            raise click.UsageError("give either DATA or --neo4j, not both")
        if write_back and not neo4j:
            raise click.UsageError("--write-back stores results in Neo4j; add --neo4j (and its settings)")
        source = {
            "data": data,
            "neo4j": neo4j,
            "neo4j_uri": neo4j_uri,
            "neo4j_user": neo4j_user,
            "neo4j_password": neo4j_password,
            "neo4j_database": neo4j_database,
            "write_back": write_back,
            "strength_weights": parse_weights(strength_weights),
            "default_strength": default_strength,
        }
        return func(*args, network_source=source, **kwargs)

    return wrapper


def neo4j_settings(source: dict):
    """Connection settings from the options; prompts for a missing password (never echoed).

    A password written inside the URI (``bolt://user:password@host:7687``)
    counts as given; the settings keep the URI without it.
    """
    from ..store import Neo4jSettings
    from ..store.settings import split_credentials

    uri = source.get("neo4j_uri")
    if not uri:
        raise click.UsageError("no Neo4j server given: set NEO4J_URI or pass --neo4j-uri, e.g. neo4j://localhost:7687")
    password = source.get("neo4j_password")
    _, uri_user, uri_password = split_credentials(uri)
    if password is None and uri_password is not None:
        password = ""  # the URI's password is used (Neo4jSettings takes it out of the URI)
    if password is None:
        if not _can_prompt():
            raise click.UsageError("no Neo4j password given: set NEO4J_PASSWORD or pass --neo4j-password "
                                   "(or run in a terminal to be asked for it)")
        password = click.prompt("Neo4j password", hide_input=True, err=True)
        source["neo4j_password"] = password
    timeout = os.environ.get("NETMAP_NEO4J_TIMEOUT")
    try:
        seconds = float(timeout) if timeout else 15.0
        if not 0 < seconds < float("inf"):
            raise ValueError
    except ValueError:
        raise click.UsageError(f"NETMAP_NEO4J_TIMEOUT must be a number of seconds > 0, not '{timeout}'") from None
    return Neo4jSettings(
        uri=uri,
        user=source.get("neo4j_user") or uri_user or "neo4j",
        password=password,
        database=source.get("neo4j_database") or None,
        timeout=seconds,
    )


def _can_prompt() -> bool:
    """True when a person can type the password (stdin is a terminal)."""
    import sys

    return bool(sys.stdin and sys.stdin.isatty())


def network_from_options(source: dict) -> Network:
    """Read the network named by the options of :func:`network_options` (a data directory or Neo4j)."""
    if source.get("neo4j"):
        from ..store import read_from_neo4j
        from .neo4j_advice import neo4j_advice

        settings = neo4j_settings(source)
        with neo4j_advice():
            return read_from_neo4j(
                settings,
                strength_weights=source.get("strength_weights"),
                default_strength=source.get("default_strength", 0.5),
            )
    from ..io.reader import locate_tables, read_network

    data = source.get("data")
    if data is None:
        raise click.UsageError("give the data directory (or .xlsx workbook) to read, or --neo4j")
    _remember_inputs(data, [f for f, _ in locate_tables(data).values()])
    return read_network(
        data,
        strength_weights=source.get("strength_weights"),
        default_strength=source.get("default_strength", 0.5),
    )


def write_back(source: dict, table: pd.DataFrame, columns: dict[str, str] | list[str], *, key: str = "id") -> None:
    """Store ``columns`` of ``table`` as ``netmap_<name>`` node properties when ``--write-back`` was given.

    ``columns`` is a list of column names or ``{column: property name}``;
    ``key`` is the column holding organisation ids. Does nothing without
    ``--write-back``.
    """
    if not source.get("write_back"):
        return
    from ..store import write_scores
    from .neo4j_advice import neo4j_advice

    mapping = dict(columns) if isinstance(columns, dict) else {c: c for c in columns}
    settings = neo4j_settings(source)
    with neo4j_advice():
        n = write_scores(settings, table, mapping, key=key)
    click.echo(f"Wrote {', '.join('netmap_' + p for p in mapping.values())} on {n:,} organisations in Neo4j", err=True)


def country_risk_option(func):
    """``--country-risk FILE``: a CSV of ``country,risk`` that sets the risk of organisations recording none."""
    return click.option("--country-risk", "country_risk", type=click.Path(dir_okay=False, path_type=Path),
                        metavar="FILE", help="CSV with columns country, risk (0-1): the risk of every organisation "
                        "of that country that records none itself.")(func)


def apply_country_risk(net: Network, path: Path | None) -> Network:
    """``net`` with the country risks of ``path`` filled in (``net`` itself when no file is given)."""
    if path is None:
        return net
    from ..analysis.risk import with_country_risk
    from ..io.scenario_files import read_country_risk

    return with_country_risk(net, read_country_risk(path))


def output_options(formats=FORMATS, default="table"):
    """Add ``--format`` and ``-o/--output`` to a command with a tabular result."""

    def decorator(func):
        @click.option(
            "--format",
            "fmt",
            type=click.Choice(list(formats)),
            default=default,
            show_default=True,
            help="Output format (a file name ending .csv/.json/.xlsx picks it too).",
        )
        @click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to this file instead of the terminal.",
        )
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return func(*args, **kwargs)

        return wrapper

    return decorator


def _remember_inputs(data: Path, files: list[Path]) -> None:
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().meta["netmap.inputs"] = (Path(data).resolve(), {Path(f).resolve() for f in files})


def guard_output(output: Path | None, *, directory: bool = False) -> None:
    """Refuse an output that would overwrite the command's own input (a file, or the data directory).

    A file output may not be an input file; a directory output (the report)
    may not be the data directory nor hold an input file.
    """
    if output is None:
        return
    ctx = click.get_current_context(silent=True)
    data, files = (ctx.find_root().meta.get("netmap.inputs") if ctx else None) or (None, set())
    target = Path(output).resolve()
    if not directory:
        if target in files:
            raise click.UsageError(f"{visible(str(output))} is the input file {visible(target.name)} of this command; netmap never "
                                   "writes over its input: choose another output file")
        return
    if data is not None and (target == data or target in data.parents or any(target in f.parents for f in files)):
        raise click.UsageError(f"{visible(str(output))} holds this command's input data; netmap never writes over its input: "
                               "choose another output directory")


def emit_result(result: Result, fmt: str, output: Path | None, **options) -> None:
    """Write ``result`` the way the user asked (:func:`netmap.export.write_result`) and say where a file went.

    ``options`` are those of :func:`~netmap.export.write_result` (``section``,
    ``top``, ``heading``, ``shown``, ``skip_empty``).
    """
    guard_output(output)
    write_result(result, fmt, output, **options)
    if output is not None:
        section = options.get("section")
        tables = [result[section]] if section else list(result.tables.values())
        rows = sum(len(t) for t in tables)
        what = f"{rows:,} rows" + (f" in {len(tables)} tables" if len(tables) > 1 else "")
        click.echo(f"Wrote {what} to {visible(str(output))}", err=True)


def earlier_snapshot(path, source: dict):
    """The earlier snapshot of ``--compare`` (read like DATA) and the date its name stands for (else None)."""
    if path is None:
        return None, None
    from ..history import read_snapshot, snapshot_date

    net = read_snapshot(path, "compared", strength_weights=source.get("strength_weights"),
                        default_strength=source.get("default_strength", 0.5))
    return net, snapshot_date(Path(path).name)
