"""Options shared by every command, defined once: the network source, output format and file."""

from __future__ import annotations

import functools
from pathlib import Path

import click
import pandas as pd

from ..errors import NetmapError
from ..export import write_table
from ..network import Network

__all__ = ["network_options", "output_options", "load_network", "emit", "parse_weights"]


def parse_weights(text: str | None) -> dict[str, float] | None:
    """Parse ``trust=2,commitment=1`` into a dict; ``None`` for equal weights."""
    if not text:
        return None
    out: dict[str, float] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise click.BadParameter(f"'{part}' should look like trust=2", param_hint="--strength-weights")
        k, v = part.split("=", 1)
        try:
            out[k.strip().lower()] = float(v)
        except ValueError:
            raise click.BadParameter(f"'{v}' is not a number", param_hint="--strength-weights") from None
    return out


def network_options(func):
    """Add the network source: a DATA directory (or .xlsx workbook) and strength settings.

    The decorated command receives ``network_source`` (a dict) and calls
    :func:`load_network` with it.
    """

    @click.argument("data", type=click.Path(path_type=Path), required=False, metavar="DATA")
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
    def wrapper(*args, data, strength_weights, default_strength, **kwargs):
        source = {
            "data": data,
            "strength_weights": parse_weights(strength_weights),
            "default_strength": default_strength,
        }
        for key in list(kwargs):
            if key.startswith("neo4j_") or key == "neo4j":
                source[key] = kwargs.pop(key)
        return func(*args, network_source=source, **kwargs)

    return wrapper


def load_network(source: dict) -> Network:
    """Read the network named by the options of :func:`network_options`."""
    from ..io.reader import read_network

    data = source.get("data")
    if data is None:
        raise click.UsageError("give the data directory (or .xlsx workbook) to read, e.g. netmap summary sample_data")
    return read_network(
        data,
        strength_weights=source.get("strength_weights"),
        default_strength=source.get("default_strength", 0.5),
    )


def output_options(formats=("table", "csv", "json"), default="table"):
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


def emit(df: pd.DataFrame, fmt: str, output: Path | None, meta: dict | None = None, sheet_name: str = "results") -> None:
    """Write a result table the way the user asked, and say where a file went."""
    write_table(df, fmt, output, meta=meta, sheet_name=sheet_name)
    if output is not None:
        click.echo(f"Wrote {len(df):,} rows to {output}", err=True)


def fail(message: str) -> None:
    raise NetmapError(message)
