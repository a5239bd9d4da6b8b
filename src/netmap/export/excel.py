"""Excel workbooks: one formatted sheet per table and an ``about`` sheet -- safe from formula injection.

Written with xlsxwriter in its constant-memory mode: rows go to disk as they
are written, so a table of a million rows needs no more memory than a small
one. Text cells are always written as text (never a formula, a link or a
number, whatever they hold) and prefixed like CSV cells (see
:func:`netmap.export.safety.neutralize`), so a workbook re-saved as CSV stays
safe too. Control characters, which a workbook cannot hold (a path typed on
the command line may), are written as ``<U+001B>``.

A sheet holds at most 1,048,576 rows, the header included. A longer table is
continued on further sheets named ``name (2)``, ``name (3)``, ... each with
the header, and the ``about`` sheet says which sheets hold it: no row is lost.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from ..values import plain
from .files import atomic_path
from .safety import CONTROL_CHARACTERS, FORMULA_START, neutralize, show_controls

__all__ = ["write_xlsx", "write_workbook", "sheet_names", "meta_text", "MAX_ROWS"]

#: Data rows per sheet: Excel's 1,048,576 rows less the header row.
MAX_ROWS = 1_048_575
_MAX_WIDTH = 60
_NUMBER_WIDTH = 14
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_OPTIONS = {
    "constant_memory": True,
    # text stays text: never turned into a formula, a link or a number
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
    "remove_timezone": True,
    "default_date_format": "yyyy-mm-dd",
    "use_zip64": True,  # a sheet of a million long rows can pass the 2 GiB of a plain zip entry
}


def write_xlsx(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "results", meta: dict | None = None) -> None:
    """Write ``df`` as one formatted sheet, with ``meta`` on a second sheet ``about``.

    Bold, filled header row, frozen below the header, autofilter over the data,
    column widths fitted to the content (capped at 60 characters).
    """
    write_workbook({sheet_name: df}, path, meta=meta)


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path, *, meta: dict | None = None) -> None:
    """Write each table as a formatted sheet of one workbook, ``meta`` on a last sheet ``about``.

    Sheet names are the table names made valid for Excel (at most 31
    characters, no ``[]:*?/\\``, unique). A table longer than :data:`MAX_ROWS`
    rows continues on sheets ``name (2)``, ``name (3)``, ...; the ``about``
    sheet lists them.

    Cells: text as text (neutralised, see :mod:`netmap.export.safety`), lists
    joined with ``;``, dicts as JSON, numbers as numbers, infinity as the text
    ``inf``, booleans as TRUE/FALSE, dates as dates (``yyyy-mm-dd``), missing
    values and NaN as empty cells.

    >>> import tempfile, pathlib, openpyxl
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> write_workbook({"ranking": pd.DataFrame({"name": ["=1+1"], "score": [0.5]})}, f, meta={"top": 10})
    >>> wb = openpyxl.load_workbook(f)
    >>> wb.sheetnames, [c.value for c in wb["ranking"][2]], wb["ranking"].freeze_panes
    (['ranking', 'about'], ["'=1+1", 0.5], 'A2')
    """
    import xlsxwriter

    parts: list[tuple[str, pd.DataFrame]] = []  # (table name, rows of one sheet)
    spread: dict[str, int] = {}
    for name, df in tables.items():
        n = max(1, math.ceil(len(df) / MAX_ROWS))
        spread[name] = n
        parts += [(name if k == 0 else f"{name} ({k + 1})", df.iloc[k * MAX_ROWS:(k + 1) * MAX_ROWS])
                  for k in range(n)]
    about = dict(meta or {})
    names = sheet_names([p for p, _ in parts] + (["about"] if about or any(n > 1 for n in spread.values()) else []))
    start = 0
    for name, n in spread.items():
        if n > 1:
            about[f"sheets of {name}"] = (f"{len(tables[name]):,} rows, more than a sheet holds: "
                                          + ", ".join(names[start:start + n]))
        start += n
    from xlsxwriter.exceptions import FileCreateError

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), _OPTIONS)
        header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#305496", "valign": "vcenter"})
        writers = _writers(wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}))
        for sheet, (_, df) in zip(names, parts):
            _sheet(wb.add_worksheet(sheet), df, header, writers)
        if len(names) > len(parts):
            _about(wb.add_worksheet(names[-1]), about, wb.add_format({"bold": True}))
        try:
            wb.close()
        except FileCreateError as e:  # a full disk, a read-only folder: the OSError inside, named by atomic_path
            raise (e.args[0] if e.args and isinstance(e.args[0], OSError) else OSError(str(e))) from e


def sheet_names(names: list[str]) -> list[str]:
    """Valid, unique Excel sheet names for ``names``.

    >>> sheet_names(["a/b", "x" * 40, "x" * 40])
    ['a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx 2']
    """
    out: list[str] = []
    seen: set[str] = set()
    for n in names:
        base = _BAD_SHEET_CHARS.sub("_", show_controls(str(n))).strip("'")[:31] or "sheet"
        name, k = base, 2
        while name.casefold() in seen:
            suffix = f" {k}"
            name, k = base[: 31 - len(suffix)] + suffix, k + 1
        out.append(name)
        seen.add(name.casefold())
    return out


def meta_text(v) -> str:
    """One ``meta`` value as text: lists joined with ``, ``, dicts as JSON."""
    if isinstance(v, dict):
        return json.dumps(plain(v), ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, plain(v)))
    return str(plain(v))


def _sheet(ws, df: pd.DataFrame, header_format, writers: dict) -> None:
    cols = [str(c) for c in df.columns]
    columns = [_column(df.iloc[:, j]) for j in range(len(cols))]
    for j, (c, (values, kind)) in enumerate(zip(cols, columns)):
        ws.set_column(j, j, max(8, min(_MAX_WIDTH, max(len(c), _width(values, kind)) + 2)))
    for j, c in enumerate(cols):
        _put_text(ws, 0, j, _text(c), header_format)
    ws.freeze_panes(1, 0)
    if cols:
        ws.autofilter(0, 0, max(1, len(df)), len(cols) - 1)
    direct = {"number": ws.write_number, "bool": ws.write_boolean, "text": ws.write_string}
    cells = [(j, values, direct.get(kind) or partial(writers[kind], ws)) for j, (values, kind) in enumerate(columns)]
    for r in range(len(df)):
        row = r + 1
        for j, values, put in cells:
            v = values[r]
            if v is not None:
                put(row, j, v)


def _about(ws, meta: dict, bold) -> None:
    ws.write_string(0, 0, "key", bold)
    ws.write_string(0, 1, "value", bold)
    for i, (k, v) in enumerate(meta.items(), start=1):
        _put_text(ws, i, 0, _text(str(k)))
        _put_text(ws, i, 1, _text(meta_text(v)))
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 80)


def _column(s: pd.Series) -> tuple[list, str]:
    """The cells of one column as Python values (``None`` for an empty cell) and how to write them."""
    if pd.api.types.is_bool_dtype(s) and not s.hasnans:
        return s.astype(bool).tolist(), "bool"
    if pd.api.types.is_integer_dtype(s) and not s.hasnans:
        return s.tolist(), "number"
    if pd.api.types.is_float_dtype(s):
        a = s.to_numpy(dtype=float, na_value=np.nan)
        values = a.tolist()
        if not np.isfinite(a).all():
            values = [None if v != v else v for v in values]
            if np.isinf(a).any():
                return values, "any"
        return values, "number"
    if pd.api.types.is_datetime64_any_dtype(s):
        return [None if v is pd.NaT else plain(v, dates="native") for v in s.tolist()], "date"
    if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):
        return _text_column(s)
    return [_cell(v) for v in s.tolist()], "any"


def _text_column(s: pd.Series) -> tuple[list, str]:
    """A column of text (and missing values) made safe column-wise: only the cells that start like a formula
    or hold a control character are rewritten one by one."""
    values = s.tolist()
    missing = (s.isna() | (s == "")).to_numpy(dtype=bool)
    odd = (s.str.startswith(FORMULA_START, na=False) | s.str.contains(CONTROL_CHARACTERS.pattern, regex=True, na=False))
    for i in np.flatnonzero(odd.to_numpy(dtype=bool) & ~missing):
        values[i] = _text(values[i])
    for i in np.flatnonzero(missing):
        values[i] = None
    rich = s.str.startswith("<r>", na=False) & s.str.endswith("</r>", na=False)
    return values, ("any" if rich.any() else "text")  # "any" writes rich-looking text in fragments


def _cell(v):
    """A cell value: lists joined with ``;``, text neutralised, dates native, missing and NaN empty."""
    t = type(v)
    if t is str:
        return _text(v) if v else None
    if t is float:
        return None if v != v else v  # infinity is written as text by the writer
    if isinstance(v, dict):
        return _text(json.dumps(plain(v), ensure_ascii=False))
    if isinstance(v, (list, tuple, set, frozenset, np.ndarray)):
        return _text(";".join(str(x) for x in plain(v)))
    if isinstance(v, np.floating):
        return None if np.isnan(v) else float(v)
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    v = plain(v, dates="native")
    return _text(v) if isinstance(v, str) else v


def _text(s: str) -> str:
    """A text cell: never a formula, control characters visible."""
    return neutralize(show_controls(s))


def _put_text(ws, row: int, col: int, s: str, cell_format=None) -> None:
    if s.startswith("<r>") and s.endswith("</r>"):
        # xlsxwriter's constant-memory mode copies such text into the sheet's XML unescaped (as rich
        # text); written as three plain fragments it is escaped and reads back as the same text
        ws.write_rich_string(row, col, s[:1], s[1:2], s[2:], *([cell_format] if cell_format else []))
    else:
        ws.write_string(row, col, s, cell_format)


def _writers(moment) -> dict:
    """Cell writers of the column kinds that need more than one xlsxwriter method (numbers and booleans
    use ``write_number`` and ``write_boolean`` directly); ``moment`` is the format of a date with a time."""
    def put_date(ws, row, col, v):
        if isinstance(v, _dt.datetime):
            if v.replace(tzinfo=None) < _FIRST_DATE:
                _put_text(ws, row, col, v.isoformat())
            else:
                ws.write_datetime(row, col, v, moment)
        elif v < _FIRST_DATE.date():
            _put_text(ws, row, col, v.isoformat())  # Excel has no dates before 1900 (and a wrong 29 Feb 1900)
        else:
            ws.write_datetime(row, col, v)

    def put_any(ws, row, col, v):
        t = type(v)
        if t is str:
            _put_text(ws, row, col, v)
        elif t is bool:
            ws.write_boolean(row, col, v)
        elif t is int or t is float:
            if math.isinf(v):
                _put_text(ws, row, col, _text("inf" if v > 0 else "-inf"))
            else:
                ws.write_number(row, col, v)
        elif isinstance(v, _dt.date):
            put_date(ws, row, col, v)
        else:
            _put_text(ws, row, col, _text(str(v)))

    return {"date": put_date, "any": put_any}


_FIRST_DATE = _dt.datetime(1900, 3, 1)


def _width(values: list, kind: str) -> int:
    """Characters of the widest cell (numbers from the first thousand rows, capped)."""
    if kind == "date":
        return 10
    if kind in ("number", "bool"):
        return min(_NUMBER_WIDTH, max((len(str(v)) for v in values[:1000] if v is not None), default=0))
    best = 0
    for v in values:
        if v is not None:
            n = len(v) if type(v) is str else min(_NUMBER_WIDTH, len(str(v)))
            if n > best:
                best = n
                if best >= _MAX_WIDTH:
                    break
    return best
