"""``netmap validate``: check a data directory against the data contract."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ..errors import ValidationError
from ..export import visible
from ..io.reader import read_network
from ..result import Result
from . import cli
from .options import emit_result, output_options


@cli.command()
@click.argument("data", type=click.Path(path_type=Path))
@output_options()
def validate(data, fmt, output):
    """Check DATA (a directory, or an .xlsx workbook) and list every problem.

    Each problem names the file, the row as a spreadsheet shows it (the header
    is row 1), the column, and what is wrong. Exits 1 when there are problems.

    \b
    Example:
        netmap validate sample_data
        netmap validate my_network --format csv -o problems.csv
    """
    try:
        net = read_network(data)
    except ValidationError as e:
        problems = e.problems
    else:
        click.echo(f"OK: {visible(str(data))} holds {net.n_nodes:,} organisations and {net.n_edges:,} ties; "
                   "no problems found.")
        return
    df = pd.DataFrame([p.as_dict() for p in problems], columns=["file", "row", "column", "message"])
    df["row"] = df["row"].astype("Int64")
    emit_result(Result({"problems": df}, {"data": str(data)}), fmt, output)
    n = len(problems)
    click.echo(f"Error: {n} problem{'s' if n != 1 else ''} found in {visible(str(data))}.", err=True)
    raise click.exceptions.Exit(1)
