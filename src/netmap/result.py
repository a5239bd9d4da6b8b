"""The one shape every analysis returns: named tables, the main one first, and the choices made.

The command line writes a :class:`Result` with one table writer
(:func:`netmap.export.write_result`), the HTML report renders its tables, and
a Python user reads ``result.table`` (the main table), ``result["name"]`` (any
named table) and ``result.meta`` (what was computed, and how).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Result"]


@dataclass
class Result:
    """Tables of one analysis and the choices behind them.

    Parameters
    ----------
    tables : dict of str to DataFrame
        The named tables, in reading order. ``main`` names the main table
        (default: the first).
    meta : dict
        The focal organisation, the date, the options used and the
        definitions behind each column; written to the ``about`` sheet of
        Excel files and to ``meta`` in JSON.
    titles : dict of str to str, optional
        A heading per table for people (default: the table's name).
    main : str, optional
        Which table :attr:`table` returns.

    Examples
    --------
    >>> r = Result({"ranking": pd.DataFrame({"id": ["A"]}), "notes": pd.DataFrame()}, {"focal": "F"})
    >>> r.table["id"].tolist(), list(r), r.meta["focal"]
    (['A'], ['ranking', 'notes'], 'F')
    """

    tables: dict[str, pd.DataFrame]
    meta: dict = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    main: str | None = None

    def __post_init__(self) -> None:
        if not self.tables:
            raise ValueError("a Result needs at least one table")
        if self.main is None:
            self.main = next(iter(self.tables))
        elif self.main not in self.tables:
            raise KeyError(f"main table '{self.main}' is not one of {', '.join(self.tables)}")

    @property
    def table(self) -> pd.DataFrame:
        """The main table."""
        return self.tables[self.main]

    def __getitem__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"no table '{name}'; this result has {', '.join(self.tables)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def title(self, name: str) -> str:
        """The heading of table ``name`` for people."""
        return self.titles.get(name) or name.replace("_", " ").capitalize()

    def with_meta(self, extra: Mapping) -> "Result":
        """The same tables with ``extra`` added to :attr:`meta` (a new object; this one is unchanged)."""
        import copy

        out = copy.copy(self)
        out.meta = dict(self.meta) | dict(extra)
        return out

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}: {len(v):,} rows" for k, v in self.tables.items())
        return f"<{type(self).__name__} {sizes}>"
