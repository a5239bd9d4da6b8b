"""A raw input table: every cell as stripped text, each row with the number a spreadsheet shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Problem

__all__ = ["RawTable", "MAX_CELL", "header_problems", "cell_problems", "visible_controls"]

#: The most characters a spreadsheet cell holds (Excel's limit); longer cells are refused.
MAX_CELL = 32_767

#: C0 and C1 control characters and DEL: never part of a name, an id or a list item.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "backspace", 9: "tab", 10: "line break", 13: "carriage return",
                  27: "ESC", 127: "DEL"}


@dataclass
class RawTable:
    """One table as read: ``frame`` holds stripped strings ('' when empty), ``rows`` each row's number.

    ``label`` names the file (and sheet) in messages; ``rows[i]`` is the row
    a spreadsheet or editor shows for ``frame.iloc[i]`` (the header is row 1
    unless something stands above it). ``frame`` is None when the table could
    not be read at all; ``problems`` says why.
    """

    label: str
    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    rows: np.ndarray | None = None
    header_row: int = 1
    #: False when the reader has made sure no cell holds a control character (a fast scan of the raw bytes).
    may_hold_controls: bool = True
    #: False when the reader has made sure no cell is longer than :data:`MAX_CELL`.
    may_be_overlong: bool = True

    def __post_init__(self) -> None:
        if self.frame is not None and self.rows is None:
            self.rows = np.arange(self.header_row + 1, self.header_row + 1 + len(self.frame))


def header_problems(label: str, header: list[str], row: int = 1) -> list[Problem]:
    """Duplicate column names, before and after case-folding and trimming (``name`` twice; ``id`` and ``ID``).

    >>> [p.message for p in header_problems("o.csv", ["id", "name", "ID", "value", "value"])]
    ["columns 'id' (column 1) and 'ID' (column 3) are the same column once case is ignored; rename or delete one", "column 'value' appears twice in the header (columns 4 and 5); rename or delete one"]
    """
    out = []
    first: dict[str, int] = {}
    for i, raw in enumerate(header, start=1):
        key = _column_key(raw)
        if not key:
            continue
        if key in first:
            j = first[key]
            a, b = header[j - 1].strip(), raw.strip()
            if a == b:
                msg = f"column '{b}' appears twice in the header (columns {j} and {i}); rename or delete one"
            else:
                msg = (f"columns '{a}' (column {j}) and '{b}' (column {i}) are the same column once case is "
                       "ignored; rename or delete one")
            out.append(Problem(label, row, key, msg))
        else:
            first[key] = i
    return out


def cell_problems(table: RawTable) -> list[Problem]:
    """Cells longer than :data:`MAX_CELL` and cells holding control characters, each named by row and column."""
    df = table.frame
    out: list[Problem] = []
    if df is None or df.empty:
        return out
    for j, col in enumerate(df.columns):
        s = df.iloc[:, j]  # by position: blank header cells give columns of the same name
        if not (table.may_hold_controls or table.may_be_overlong):
            break
        lengths = s.str.len().to_numpy() if table.may_be_overlong else np.zeros(len(s), dtype=np.int64)
        for i in np.flatnonzero(lengths > MAX_CELL):
            out.append(Problem(table.label, int(table.rows[i]), col,
                               f"the cell holds {int(lengths[i]):,} characters; a cell holds at most "
                               f"{MAX_CELL:,} (as in a spreadsheet)"))
        if not table.may_hold_controls:
            continue
        bad = s.str.contains(_CONTROL, regex=True).to_numpy(dtype=bool) & (lengths <= MAX_CELL)
        for i in np.flatnonzero(bad):
            v = s.iloc[i]
            m = _CONTROL.search(v)
            code = ord(m.group())
            name = _CONTROL_NAMES.get(code, "control character")
            out.append(Problem(table.label, int(table.rows[i]), col,
                               f"'{visible_controls(v[:60])}' holds a {name} (U+{code:04X}) at character "
                               f"{m.start() + 1}; control characters are not allowed in cells: delete it"))
    return out


def visible_controls(text: str) -> str:
    """``text`` with control characters written as ``<U+001B>`` so that they show instead of acting.

    >>> visible_controls("a\\x1b]0;x\\x07b")
    'a<U+001B>]0;x<U+0007>b'
    """
    return _CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def _column_key(name: str) -> str:
    return str(name).strip().lstrip("\ufeff").strip().casefold()


def column_names(header: list[str]) -> list[str]:
    """Header cells as column names: trimmed, BOM dropped, lower case."""
    return [_column_key(h) for h in header]
