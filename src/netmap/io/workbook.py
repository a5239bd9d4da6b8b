"""Reading one sheet of an .xlsx workbook: every cell as text, and what Excel hides reported plainly.

Reported rather than read wrongly: formulas without a stored result, merged
cells, values to the right of the header; a password-protected workbook is
named as such. Rows above the header (a title) are skipped, and rows keep the
numbers Excel shows.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from .table import RawTable, column_names, header_problems

__all__ = ["read_sheet", "is_encrypted", "column_letter"]

#: How many rows from the top are searched for the header row.
HEADER_SEARCH_ROWS = 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_encrypted(file: Path) -> bool:
    """True for a password-protected workbook (or an old binary .xls): an OLE file, not a zip."""
    try:
        with open(file, "rb") as f:
            return f.read(8) == _OLE_MAGIC
    except OSError:
        return False


def read_sheet(file: Path, sheet: str, required: tuple[str, ...] = ()) -> RawTable:
    """Read sheet ``sheet`` of ``file``; ``required`` columns locate the header row below a title."""
    from openpyxl import load_workbook

    label = f"{file.name} (sheet {sheet})"
    if is_encrypted(file):
        raise DataError(f"{file} is password-protected (encrypted) or an old .xls file; open it in Excel, "
                        "remove the password (File > Info > Protect Workbook) and save it as .xlsx")
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise DataError(f"{file}: cannot be opened as an .xlsx workbook ({type(e).__name__}: {e})") from e
    try:
        names = {n.lower(): n for n in wb.sheetnames}
        if sheet.lower() not in names:
            return RawTable(label, None, [Problem(file.name, None, None,
                                                  f"the workbook has no sheet '{sheet}' (it has {', '.join(wb.sheetnames)})")])
        real_name = names[sheet.lower()]
        values = [tuple(r) for r in wb[real_name].iter_rows(values_only=True)]
    finally:
        wb.close()
    while values and all(c is None or (isinstance(c, str) and not c.strip()) for c in values[-1]):
        values.pop()
    if not values:
        return RawTable(label, None, [Problem(label, None, None,
                                              "the sheet is empty; it needs a header row and at least one row of data")])
    h = _header_index(values, required)
    header = [_cell_text(c) for c in values[h]]
    while header and not header[-1]:
        header.pop()
    header_row = h + 1
    problems = header_problems(label, header, header_row)
    width = len(header)
    body, rows = [], []
    for i, r in enumerate(values[h + 1:], start=header_row + 1):
        cells = [_cell_text(c) for c in r[:width]]
        cells += [""] * (width - len(cells))
        extra = [(j, _cell_text(c)) for j, c in enumerate(r[width:], start=width) if _cell_text(c)]
        for j, v in extra[:1]:
            problems.append(Problem(label, i, None,
                                    f"cell {column_letter(j)}{i} holds '{v[:40]}' right of the last header column; "
                                    "give the column a header, or delete the value"))
        body.append(cells)
        rows.append(i)
    xml = _sheet_xml(file, real_name)
    problems += _formula_problems(file, real_name, label, values, xml)
    problems += _merged_problems(label, xml)
    if problems:
        return RawTable(label, None, problems)
    cols = column_names(header)
    df = pd.DataFrame(body, columns=cols, dtype=str) if body else pd.DataFrame(columns=cols, dtype=str)
    for c in df.columns:
        df[c] = df[c].str.strip()
    return RawTable(label, df, rows=np.asarray(rows, dtype=np.int64), header_row=header_row)


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(27)
    ('A', 'Z', 'AB')
    """
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


def _header_index(values: list[tuple], required: tuple[str, ...]) -> int:
    """The header row: the first row (among the top ones) holding every required column, else the first row."""
    if required:
        want = set(required)
        for i, r in enumerate(values[:HEADER_SEARCH_ROWS]):
            if want <= set(column_names([_cell_text(c) for c in r])):
                return i
    for i, r in enumerate(values):
        if any(_cell_text(c) for c in r):
            return i
    return 0


def _formula_problems(file: Path, sheet: str, label: str, values: list[tuple], xml: bytes | None) -> list[Problem]:
    """Formula cells whose stored result is missing (the workbook was written by a program, not saved by Excel)."""
    if xml is not None and b"<f" not in xml:
        return []
    from openpyxl import load_workbook

    hits = []
    wb = load_workbook(file, read_only=True, data_only=False)
    try:
        for i, (r, shown) in enumerate(zip(wb[sheet].iter_rows(values_only=True), values)):
            for j, c in enumerate(r):
                if isinstance(c, str) and c.startswith("=") and (j >= len(shown) or shown[j] is None):
                    hits.append((i, j, c))
    finally:
        wb.close()
    out = [Problem(label, i + 1, None,
                   f"cell {column_letter(j)}{i + 1} holds a formula without a stored result ({f[:40]}); "
                   "open and save the workbook in Excel, or paste values")
           for i, j, f in hits[:20]]
    if len(hits) > 20:
        out.append(Problem(label, None, None, f"{len(hits) - 20:,} more formula cells have no stored result"))
    return out


_SHEET = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"', re.S)
_REL2 = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"', re.S)
_MERGE = re.compile(rb'<mergeCell\b[^>]*?ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _sheet_xml(file: Path, sheet: str) -> bytes | None:
    """The XML of sheet ``sheet`` (None when the workbook's layout is not the usual one)."""
    try:
        with zipfile.ZipFile(file) as z:
            book = z.read("xl/workbook.xml")
            rels = z.read("xl/_rels/workbook.xml.rels")
            targets = {k: v for k, v in _REL.findall(rels)} | {k: v for v, k in _REL2.findall(rels)}
            rid = next((r for n, r in _SHEET.findall(book) if _xml_text(n) == sheet), None)
            if rid is None or rid not in targets:
                return None
            target = targets[rid].decode()
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            return z.read(path)
    except (KeyError, zipfile.BadZipFile, OSError):
        return None


def _merged_problems(label: str, xml: bytes | None) -> list[Problem]:
    """Merged cells (Excel keeps the value in the first cell only, so the other rows would read empty)."""
    if xml is None:
        return []
    out = []
    for a_col, a_row, b_col, b_row in _MERGE.findall(xml)[:20]:
        ref = f"{a_col.decode()}{a_row.decode()}" + (f":{b_col.decode()}{b_row.decode()}" if b_col else "")
        out.append(Problem(label, int(a_row), None,
                           f"cells {ref} are merged; Excel keeps the value in the first cell only, so the other "
                           "rows would read empty: unmerge them and fill every cell"))
    return out


def _xml_text(b: bytes) -> str:
    import html

    return html.unescape(b.decode("utf-8", "replace"))


def _cell_text(c) -> str:
    if c is None:
        return ""
    if isinstance(c, bool):
        return "true" if c else "false"
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    if isinstance(c, _dt.datetime):
        return c.date().isoformat() if c.time() == _dt.time(0) else c.isoformat()
    if isinstance(c, _dt.date):
        return c.isoformat()
    return str(c).strip()
