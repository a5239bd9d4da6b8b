"""The one table writer: every command's ``--format`` and ``-o`` go through :func:`write_result`.

Formats: a readable text layout (``table``), ``csv``, ``json`` and ``xlsx``;
the format follows the output file's suffix when none is chosen. CSV and Excel
are safe to open in a spreadsheet (see :mod:`netmap.export.safety`).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

import pandas as pd

from ..errors import ArgumentError
from ..result import Result
from ..values import fmt_number, is_missing, plain
from .excel import meta_text, write_workbook
from .files import write_text_file
from .safety import safe_frame, visible

__all__ = ["FORMATS", "FILE_FORMATS", "write_result", "write_table", "render_table", "render_result",
           "to_json_records", "format_for"]

#: Formats of ``--format``.
FORMATS = ("table", "csv", "json", "xlsx")
#: Formats chosen by an output file's suffix.
FILE_FORMATS = ("csv", "json", "xlsx")
#: Longest text cell (a name, a reason) shown in the text layout; files keep the whole text.
TEXT_WIDTH = 110
#: Longest heading or ``# key: value`` line of the text layout (JSON and Excel keep the whole meta).
LINE_WIDTH = 300

#: Characters JSON may hold as they are but a terminal acts on (C1 controls, DEL, bidi controls):
#: written as ``\u`` escapes, which read back as the same text.
_JSON_ESCAPED = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def format_for(fmt: str, output) -> str:
    """The format to write: ``fmt``, or the output file's suffix when ``fmt`` is ``table``.

    >>> format_for("table", "ranking.csv"), format_for("json", None)
    ('csv', 'json')
    """
    if fmt == "table" and isinstance(output, (str, Path)):
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix in FILE_FORMATS:
            return suffix
    if fmt not in FORMATS:
        raise ArgumentError(f"unknown format '{fmt}'; use {', '.join(FORMATS)}", param="fmt")
    return fmt


def write_result(
    result: Result,
    fmt: str = "table",
    output: str | Path | IO[str] | None = None,
    *,
    section: str | None = None,
    top: int | None = None,
    heading: str | None = None,
    shown: Mapping[str, list[str] | None] | None = None,
    skip_empty: bool = False,
    records: Iterable[str] = (),
) -> str:
    """Write ``result`` as the user asked; returns the format written.

    Parameters
    ----------
    result : Result
    fmt : "table", "csv", "json" or "xlsx" (default="table")
        ``table`` with an output file ending ``.csv``, ``.json`` or ``.xlsx``
        writes that format.
    output : path, text stream or None
        ``None`` writes to standard output (Excel needs a file).
    section : str, optional
        Write only this table of the result.
    top : int, optional
        Rows per table in the text layout (files always hold every row).
    heading : str, optional
        A line above the text layout (default: ``meta`` as ``# key: value`` lines
        for a one-table result).
    shown : dict, optional
        Columns shown per table in the text layout (every column goes to files).
    skip_empty : bool (default=False)
        Leave empty tables out of the text layout.
    records : iterable of str, optional
        One-row tables (a summary) shown in the text layout as one
        ``column  value`` line per column instead of one wide row.

    Notes
    -----
    One table (a one-table result, or ``section``): CSV holds its rows, JSON
    ``{"meta": ..., "rows": [...]}``, Excel one sheet and an ``about`` sheet.
    Several tables: JSON ``{"meta": ..., "sections": {name: rows}}``, Excel
    one workbook with a sheet per table, the text layout a titled block per
    table; CSV holds one table, so it needs ``section``.
    """
    fmt = format_for(fmt, output)
    tables = result.tables
    if section is not None:
        if section not in tables:
            raise ArgumentError(f"unknown section '{section}'; use one of {', '.join(tables)}", param="section")
        tables = {section: tables[section]}
    meta = result.meta
    if fmt == "xlsx":
        if output is None or not isinstance(output, (str, Path)):
            raise ArgumentError("Excel output needs a file name ending .xlsx", param="output")
        write_workbook(tables, output, meta=meta)
        return fmt
    if fmt == "csv":
        if len(tables) > 1:
            raise ArgumentError(
                f"CSV holds one table: choose the section ({', '.join(tables)}), or write JSON or Excel "
                "to keep them all", param="section")
        (df,) = tables.values()
        text = safe_frame(df).to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    elif fmt == "json":
        if len(tables) == 1:
            (df,) = tables.values()
            payload = {"meta": plain(meta), "rows": to_json_records(df)}
        else:
            payload = {"meta": plain(meta), "sections": {k: to_json_records(v) for k, v in tables.items()}}
        text = json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"
        text = _JSON_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    else:
        text = render_result(result, tables, top=top, heading=heading, shown=shown, skip_empty=skip_empty,
                             records=records)
    _write_text(text, output)
    return fmt


def render_result(result: Result, tables: Mapping[str, pd.DataFrame] | None = None, *, top: int | None = None,
                  heading: str | None = None, shown=None, skip_empty: bool = False,
                  records: Iterable[str] = ()) -> str:
    """The text layout of ``result``: a heading, then one titled block per table."""
    tables = result.tables if tables is None else tables
    shown = shown or {}
    blocks = []
    if heading is not None:
        blocks.append("\n".join(_line(h) for h in heading.split("\n")))
    elif result.meta and len(tables) == 1:
        blocks.append("\n".join(_line(f"# {k}: {meta_text(v)}") for k, v in result.meta.items()))
    single = len(tables) == 1 and heading is None
    for name, df in tables.items():
        if df.empty and skip_empty:
            continue
        cols = [c for c in (shown.get(name) or df.columns) if c in df.columns]
        if name in records and len(df) == 1:
            body = _render_record(df[cols] if cols else df)
        else:
            body = _render_block(df[cols] if cols else df, top)
        if single:
            blocks.append(body)
        else:
            title = visible(result.title(name))
            blocks.append(f"{title}\n{'-' * len(title)}\n{body}")
    return ("\n\n" if not single else "\n").join(b for b in blocks if b) + "\n"


def _render_block(df: pd.DataFrame, top: int | None) -> str:
    if df.empty:
        return "(none)"
    df = df.copy()
    if "hhi" in df.columns and pd.api.types.is_numeric_dtype(df["hhi"]):  # whole points read best
        df["hhi"] = df["hhi"].astype(float).round(0)
    return render_table(df, max_rows=top or None)


def _render_record(df: pd.DataFrame) -> str:
    """A one-row table as ``name  value`` lines (shares as percentages)."""
    row = df.iloc[0]
    width = max(len(visible(str(c))) for c in row.index)
    lines = []
    for c, v in row.items():
        if str(c).endswith("_share") and isinstance(v, (int, float)) and not is_missing(v):
            text = f"{float(v):.1%}"
        else:
            text = _cell(v, 4)
        lines.append(f"{visible(str(c)).ljust(width)}  {text}")
    return "\n".join(lines)


def write_table(df: pd.DataFrame, fmt: str = "table", output: str | Path | IO[str] | None = None, *,
                meta: dict | None = None, sheet_name: str = "results") -> str:
    """Write one table: ``write_result(Result({sheet_name: df}, meta), fmt, output)``."""
    return write_result(Result({sheet_name: df}, meta or {}), fmt, output)


def to_json_records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON-ready dicts (NaN becomes null, tuples become lists, dates ISO text)."""
    return [{str(k): plain(v) for k, v in rec.items()} for rec in df.to_dict("records")]


def render_table(df: pd.DataFrame, *, float_digits: int = 4, max_rows: int | None = None) -> str:
    """A readable fixed-width text table (no index, numbers formatted, lists joined).

    Text longer than :data:`TEXT_WIDTH` characters is cut (ending ``...``);
    control and bidi characters show as ``<U+001B>`` / ``[U+202E]``
    (see :func:`netmap.export.safety.visible`).
    """
    if df.empty:
        return "(no rows)"
    shown = df if max_rows is None else df.head(max_rows)
    disp = pd.DataFrame({visible(str(c)): shown[c].map(lambda x: _cell(x, float_digits)).to_numpy()
                         for c in shown.columns})
    text = disp.to_string(index=False)
    if max_rows is not None and len(df) > max_rows:
        text += f"\n... {len(df) - max_rows} more rows (show more, or write the result to a file)"
    return text


def _cell(x, digits: int) -> str:
    if isinstance(x, (list, tuple)):
        return _text(";".join(map(str, x)))
    if is_missing(x):
        return ""
    if isinstance(x, bool) or type(x).__name__ == "bool_":
        return str(bool(x))
    if isinstance(x, pd.Timestamp):
        return plain(x)
    if isinstance(x, (int, float)) or hasattr(x, "dtype"):
        return fmt_number(x, digits)
    return _text(str(x))


def _text(s: str, width: int = TEXT_WIDTH) -> str:
    """A text cell of the text layout: shown safely, cut to ``width`` characters."""
    s = visible(s)
    return s if len(s) <= width else s[: width - 3] + "..."


def _line(s: str) -> str:
    """A heading or meta line of the text layout: shown safely, cut to :data:`LINE_WIDTH` characters."""
    return _text(s, LINE_WIDTH)


def _write_text(text: str, output) -> None:
    if output is None:
        sys.stdout.write(text)
    elif isinstance(output, (str, Path)):
        write_text_file(output, text)
    else:
        output.write(text)
