"""netmap's exceptions. Every message names the bad value and says what to do."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "NetmapError",
    "ArgumentError",
    "DataError",
    "Problem",
    "ValidationError",
    "NodeNotFound",
    "StoreError",
]


class NetmapError(Exception):
    """Base class: a problem the user can fix (bad input, bad option, server).

    Messages are written for a Python user as much as for the command line:
    they name the value and the parameter (``top``, ``focal``), never a CLI
    flag. ``param`` names the parameter at fault, when there is one; the
    command line uses it to point at the matching option.
    """

    def __init__(self, message: str = "", *, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


class ArgumentError(NetmapError, ValueError):
    """A parameter has a value the analysis cannot use (``param`` names it)."""


class DataError(NetmapError):
    """A data directory or file cannot be used at all (missing, unreadable)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input file.

    ``row`` is the row number as a spreadsheet shows it (the header is row 1,
    the first organisation or tie is row 2); ``None`` for whole-file problems.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}


class ValidationError(NetmapError):
    """The input breaks the data contract; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        n = len(self.problems)
        files = sorted({p.file for p in self.problems})
        super().__init__(
            f"{n} problem{'s' if n != 1 else ''} in {', '.join(files)}"
            + (f" ({source})" if source else "")
        )


class NodeNotFound(NetmapError, KeyError):
    """An organisation id given by the user is not in the network."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class StoreError(NetmapError):
    """A database store could not be reached or used."""
