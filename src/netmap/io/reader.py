"""Read and validate a data directory (CSV files or one .xlsx workbook) into a Network."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from pathlib import Path

from .. import progress
from ..errors import DataError, Problem, ValidationError
from ..network import Network, normalize_strength_weights
from ..schema import DEFAULT_STRENGTH, EDGE_COLUMNS, NODE_COLUMNS, ORGANIZATIONS, RELATIONSHIPS
from .csvfile import read_csv_table
from .rules import validate_organizations, validated_ties
from .table import RawTable
from .workbook import read_sheet

__all__ = ["read_network", "validate_directory", "locate_tables", "read_table"]

#: Files from this size (bytes) up show their reading, checking and building as progress steps.
BIG_FILE = 4_000_000
#: Networks from this many ties up show their construction as a progress step.
BIG_NETWORK = 100_000


# ------------------------------------------------------------------ locating
def locate_tables(path: str | Path) -> dict[str, tuple[Path, str | None]]:
    """Find the organisations and relationships tables under ``path``.

    ``path`` is a data directory or an ``.xlsx`` workbook. Returns
    ``{table: (file, sheet)}`` with ``sheet`` None for CSV files. Each table is
    ``<table>.csv`` in the directory, else a sheet of that name in the one
    ``.xlsx`` workbook there.
    """
    p = Path(path)
    if not p.exists():
        raise DataError(f"{path}: no such file or directory; give the folder that holds organizations.csv and relationships.csv")
    if p.is_file():
        if p.suffix.lower() != ".xlsx":
            raise DataError(
                f"{path} is a file; give the data directory that holds organizations.csv and "
                "relationships.csv, or an .xlsx workbook with sheets of those names"
            )
        return {t: (p, t) for t in (ORGANIZATIONS, RELATIONSHIPS)}
    books = sorted(x for x in p.iterdir() if x.suffix.lower() == ".xlsx" and not x.name.startswith("~$"))
    csvs = [c for c in (_find_case_insensitive(p, f"{t}.csv") for t in (ORGANIZATIONS, RELATIONSHIPS)) if c]
    if csvs and books:
        raise DataError(
            f"{path} holds both CSV files ({', '.join(c.name for c in csvs)}) and a workbook "
            f"({', '.join(b.name for b in books)}); netmap would not know which to read: keep one of them "
            "in the directory, or give the workbook itself"
        )
    found: dict[str, tuple[Path, str | None]] = {}
    for table in (ORGANIZATIONS, RELATIONSHIPS):
        csv = _find_case_insensitive(p, f"{table}.csv")
        if csv is not None:
            found[table] = (csv, None)
        elif len(books) == 1:
            found[table] = (books[0], table)
        elif len(books) > 1:
            raise DataError(
                f"{path} has no {table}.csv and {len(books)} workbooks "
                f"({', '.join(b.name for b in books)}); keep one workbook per data directory"
            )
        else:
            raise DataError(
                f"{path} has no {table}.csv (nor an .xlsx workbook with a '{table}' sheet); "
                "see the data contract (docs/data.md)"
            )
    return found


def _find_case_insensitive(folder: Path, name: str) -> Path | None:
    exact = folder / name
    if exact.is_file():
        return exact
    for x in folder.iterdir():
        if x.name.lower() == name and x.is_file():
            return x
    return None


def read_table(file: Path, sheet: str | None, table: str) -> RawTable:
    """Read one table with every cell as a stripped string ('' when empty), rows numbered as shown."""
    if sheet is None:
        return read_csv_table(file)
    required = tuple(c for c, (req, _) in (NODE_COLUMNS if table == ORGANIZATIONS else EDGE_COLUMNS).items() if req)
    return read_sheet(file, sheet, required)


def _read_and_validate(path):
    tables = locate_tables(path)
    nfile, nsheet = tables[ORGANIZATIONS]
    efile, esheet = tables[RELATIONSHIPS]
    with _big_step(nfile, _reading(nfile, nsheet)):
        nt = read_table(nfile, nsheet, ORGANIZATIONS)
    with _big_step(nfile, f"Checking {ORGANIZATIONS}"):
        nodes, problems = validate_organizations(nt)
    known = None
    if nt.frame is not None and "id" in nt.frame.columns:
        known = nt.frame["id"]
    with _big_step(efile, _reading(efile, esheet)):
        et = read_table(efile, esheet, RELATIONSHIPS)
    with _big_step(efile, f"Checking {RELATIONSHIPS}"):
        edges, eprob, ends = validated_ties(et, known, nt.label)
    return nodes, edges, problems + eprob, str(path), ends


def _reading(file: Path, sheet: str | None) -> str:
    mb = _size(file) / 1e6
    size = f"{mb:,.1f} MB" if mb < 10 else f"{mb:,.0f} MB"
    return f"Reading {file.name} ({size})" if sheet is None else f"Reading the sheet {sheet} of {file.name} ({size})"


def _big_step(file: Path, label: str):
    """A progress step for work on a big file; work on a small one is quick and stays silent."""
    return progress.step(label) if progress.is_on() and _size(file) >= BIG_FILE else nullcontext()


def _size(file: Path) -> int:
    try:
        return Path(file).stat().st_size
    except OSError:
        return 0


def validate_directory(path: str | Path) -> list[Problem]:
    """Every problem in a data directory, as :class:`Problem` objects (empty when valid).

    Raises :class:`DataError` only when the tables cannot be found or opened.
    """
    return _read_and_validate(path)[2]


def read_network(
    path: str | Path,
    *,
    strength_weights: Mapping[str, float] | None = None,
    default_strength: float = DEFAULT_STRENGTH,
) -> Network:
    """Read and validate a data directory into a :class:`Network`.

    Parameters
    ----------
    path : str or Path
        A folder holding ``organizations.csv`` and ``relationships.csv`` (or an
        ``.xlsx`` workbook with sheets of those names), or the workbook itself.
    strength_weights : mapping, optional
        Weight of each relationship quality in the derived tie strength
        (``trust``, ``communication``, ``commitment``, ``mutual_benefit``);
        equal by default.
    default_strength : float, optional (default=0.5)
        Strength of a tie that records none of the qualities.

    Raises
    ------
    ValidationError
        When the data breaks the contract; ``.problems`` lists every problem.
    DataError
        When the files cannot be found or opened.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> net.n_nodes, net.n_edges
    (10, 14)
    """
    weights = normalize_strength_weights(strength_weights)
    nodes, edges, problems, source, ends = _read_and_validate(path)
    if problems:
        raise ValidationError(problems, source)
    with progress.step("Building the network") if progress.is_on() and len(edges) >= BIG_NETWORK else nullcontext():
        return Network(nodes, edges, source=source, strength_weights=weights, default_strength=default_strength,
                       endpoints=ends)
