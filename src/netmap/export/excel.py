"""Excel workbooks: one formatted sheet per table and an ``about`` sheet -- safe from formula injection.

Text cells are stored as string cells (never formulas) and prefixed like CSV
cells (see :func:`netmap.export.safety.neutralize`), so a workbook re-saved as
CSV stays safe too. Control characters, which a workbook cannot hold (a path
typed on the command line may), are written as ``<U+001B>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..values import plain
from .files import atomic_path
from .safety import neutralize, show_controls

__all__ = ["write_xlsx", "write_workbook", "sheet_names"]

_MAX_WIDTH = 60
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "results", meta: dict | None = None) -> None:
    """Write ``df`` as one formatted sheet, with ``meta`` on a second sheet ``about``.

    Bold, filled header row, frozen below the header, autofilter over the data,
    column widths fitted to the content (capped at 60 characters).
    """
    write_workbook({sheet_name: df}, path, meta=meta)


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path, *, meta: dict | None = None) -> None:
    """Write each table as a formatted sheet of one workbook, ``meta`` on a last sheet ``about``.

    Sheet names are the table names made valid for Excel (at most 31
    characters, no ``[]:*?/\\``, unique).
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in zip(sheet_names(list(tables)), tables.values()):
        _sheet(wb.create_sheet(name), df)
    if meta:
        _about(wb.create_sheet("about" if "about" not in tables else "about netmap"), meta)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def sheet_names(names: list[str]) -> list[str]:
    """Valid, unique Excel sheet names for ``names``.

    >>> sheet_names(["a/b", "x" * 40, "x" * 40])
    ['a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx 2']
    """
    out: list[str] = []
    for n in names:
        base = _BAD_SHEET_CHARS.sub("_", str(n)).strip("'")[:31] or "sheet"
        name, k = base, 2
        while name.casefold() in (o.casefold() for o in out):
            suffix = f" {k}"
            name, k = base[: 31 - len(suffix)] + suffix, k + 1
        out.append(name)
    return out


def _sheet(ws, df: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    cols = [str(c) for c in df.columns]
    ws.append([_text(c) for c in cols])
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="305496")
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=False)
        cell.data_type = "s"
    widths = [len(c) for c in cols]
    for r, rec in enumerate(df.itertuples(index=False, name=None), start=2):
        for c, v in enumerate(rec, start=1):
            v = _cell(v)
            cell = ws.cell(row=r, column=c)
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            widths[c - 1] = max(widths[c - 1], min(_MAX_WIDTH, len(str(v)) if v is not None else 0))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(_MAX_WIDTH, w + 2))
    ws.freeze_panes = "A2"
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(df) + 1)}"


def _about(ws, meta: dict) -> None:
    from openpyxl.styles import Font

    ws.append(["key", "value"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for k, v in meta.items():
        ws.append([_text(str(k)), _text(meta_text(v))])
        for cell in ws[ws.max_row]:
            cell.data_type = "s"
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 80


def meta_text(v) -> str:
    """One ``meta`` value as text: lists joined with ``, ``, dicts as JSON."""
    if isinstance(v, dict):
        return json.dumps(plain(v), ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, plain(v)))
    return str(plain(v))


def _cell(v):
    """A cell value: lists joined with ``;``, text neutralised, dates native, missing and NaN empty."""
    if isinstance(v, dict):
        return _text(json.dumps(plain(v), ensure_ascii=False))
    if isinstance(v, (list, tuple, set, frozenset)):
        v = ";".join(str(x) for x in plain(v))
    if isinstance(v, str):
        return _text(v)
    return plain(v, dates="native")


def _text(s: str) -> str:
    """A text cell: never a formula, control characters visible."""
    return neutralize(show_controls(s))
