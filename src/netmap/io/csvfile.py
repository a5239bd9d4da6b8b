"""Reading one CSV file: UTF-8 (with or without BOM), every cell as text, rows numbered as an editor shows them."""

from __future__ import annotations

import csv as _csv
import io as _io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from .table import MAX_CELL, RawTable, column_names, header_problems

__all__ = ["read_csv_table", "record_rows"]

_EMPTY = "the file is empty; it needs a header row and at least one row of data"
_CR_ONLY = ("the lines end in a carriage return alone (an old Mac format); save it as 'CSV UTF-8' in Excel, "
            "or convert it: tr '\\r' '\\n' < '{label}' > converted.csv")
#: A file of nothing but whitespace and byte-order marks.
_BLANK = re.compile(rb"[ \t\r\n\xef\xbb\xbf]*")
#: Every byte but the C0 controls (line feed and carriage return excepted) and DEL.
_NOT_CONTROL = bytes(b for b in range(256) if (b >= 32 or b in (10, 13)) and b != 127)


def read_csv_table(file: Path) -> RawTable:
    """Read ``file`` with every cell as a stripped string.

    Blank lines are skipped, but rows keep the number an editor or a
    spreadsheet shows (blank lines counted). Problems that stop the file from
    being read (encoding, a ragged row, a duplicate column, a cell over the
    spreadsheet limit) come back in ``problems`` with ``frame`` None.
    """
    label = file.name
    try:
        data = file.read_bytes()
    except OSError as e:
        raise DataError(f"{file}: cannot be read ({e.strerror or e})") from e
    encoding = _encoding_problem(label, data)
    if encoding is not None:
        return RawTable(label, None, [encoding])
    if _BLANK.fullmatch(data):
        return RawTable(label, None, [Problem(label, None, None, _EMPTY)])
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    del data
    lines = _Lines(body)
    rows = lines.record_rows()
    header_line = int(rows[0]) if len(rows) else 1
    too_long = _overlong_line(label, body, lines)
    if too_long is not None:
        return RawTable(label, None, [too_long])
    if b"\r" in body and b"\n" not in body:
        return RawTable(label, None, [Problem(label, None, None, _CR_ONLY.format(label=label))])
    try:
        header = next((r for r in _csv.reader(_text_lines(body)) if r), [])
    except _csv.Error as e:
        why = ("a carriage return stands inside a column name outside quotes; delete it" if "new-line" in str(e)
               else str(e))
        return RawTable(label, None, [Problem(label, header_line, None, f"the header row is not valid CSV: {why}")])
    dups = header_problems(label, header, header_line)
    if dups:
        return RawTable(label, None, dups)
    try:
        # Arrow's parser is the fast path; any trouble goes to pandas' C parser, whose messages name the line
        df = _read_arrow(body, header)
    except Exception:  # noqa: BLE001 - fall back to the C parser for a precise message
        try:
            text = body.decode("utf-8")
            df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, engine="c")
        except pd.errors.EmptyDataError:
            return RawTable(label, None, [Problem(label, None, None, _EMPTY)])
        except pd.errors.ParserError as e:
            return RawTable(label, None, [_parser_problem(label, e)])
        df = _clean(df, header)
    data_rows = rows[1:]
    if len(data_rows) != len(df):  # the parser read the records differently: fall back to plain numbering
        data_rows = np.arange(header_line + 1, header_line + 1 + len(df))
    return RawTable(label, df, rows=np.asarray(data_rows, dtype=np.int64), header_row=header_line,
                    may_hold_controls=lines.may_hold_controls(), may_be_overlong=lines.longest > MAX_CELL)


def _read_arrow(body: bytes, header: list[str]) -> pd.DataFrame:
    """Every cell as stripped text, parsed by Arrow with the options pandas' ``engine="pyarrow"`` uses.

    The columns stay Arrow strings (pandas' ``str`` dtype), trimmed as
    ``Series.str.strip`` trims; no cell passes through a Python object.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    table = pcsv.read_csv(
        pa.py_buffer(body),
        read_options=pcsv.ReadOptions(encoding="utf-8", autogenerate_column_names=False),
        parse_options=pcsv.ParseOptions(delimiter=",", quote_char='"', ignore_empty_lines=True),
        convert_options=pcsv.ConvertOptions(null_values=[], strings_can_be_null=False,
                                            quoted_strings_can_be_null=False,
                                            default_column_type=pa.large_string()),
    )
    columns = table.column_names
    names = column_names(header) if len(header) == len(columns) else column_names(columns)
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    cols = [pd.Series(pd.array(pc.utf8_trim_whitespace(table.column(i)), dtype=dtype), copy=False)
            for i in range(len(columns))]
    df = pd.concat(cols, axis=1, ignore_index=True) if cols else pd.DataFrame(index=range(table.num_rows))
    df.columns = names
    return df


def _text_lines(body: bytes):
    """The decoded lines of ``body`` one by one (split after each line feed), for reading just its header."""
    pos, n = 0, len(body)
    while pos < n:
        end = body.find(b"\n", pos)
        end = n if end < 0 else end + 1
        yield body[pos:end].decode("utf-8")
        pos = end


class _Lines:
    """Where the line breaks and quotes of a CSV file's bytes are: found once, used by every check."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.arr = np.frombuffer(data, dtype=np.uint8)
        self.nl = np.flatnonzero(self.arr == 10)
        self.quotes = np.flatnonzero(self.arr == 34) if b'"' in data else np.empty(0, dtype=np.int64)
        self.bounds = np.concatenate(([-1], self.nl, [len(self.arr)]))
        #: Bytes of each physical line (without its line break), and the longest.
        self.gaps = np.diff(self.bounds) - 1
        self.longest = int(self.gaps.max()) if len(self.arr) else 0

    def record_rows(self) -> np.ndarray:
        """See :func:`record_rows`."""
        arr, nl = self.arr, self.nl
        # a newline outside quotes ends a record
        nl_end = nl[np.searchsorted(self.quotes, nl) % 2 == 0] if len(self.quotes) else nl
        starts = np.concatenate(([0], nl_end + 1))
        ends = np.concatenate((nl_end, [len(arr)]))
        length = ends - starts
        cr_only = (length == 1) & (arr[np.minimum(starts, max(len(arr) - 1, 0))] == 13) if len(arr) else length > 0
        blank = (length == 0) | cr_only
        return np.arange(1, len(starts) + 1)[~blank]

    def may_hold_controls(self) -> bool:
        """Whether any cell may hold a control character.

        Line breaks count only inside quotes (where a cell can hold them); the
        C1 controls are the UTF-8 pairs C2 80 to C2 9F.
        """
        arr = self.arr
        if self.data.translate(None, _NOT_CONTROL):  # what is left are the control bytes
            return True
        if b"\xc2" in self.data:
            lead = np.flatnonzero(arr[:-1] == 0xC2)
            if ((arr[lead + 1] >= 0x80) & (arr[lead + 1] <= 0x9F)).any():
                return True
        return bool(len(self.quotes) and len(self.nl) and (np.searchsorted(self.quotes, self.nl) % 2).any())


def record_rows(data: bytes) -> np.ndarray:
    """The row a spreadsheet shows for each non-blank CSV record (1-based; blank lines are rows too).

    A record whose quoted cell spans several lines is one row, as in a
    spreadsheet (pandas' parser messages count the same way).

    >>> record_rows(b'id,name\\n\\nA,"two\\nlines"\\n\\r\\nB,b\\n').tolist()
    [1, 3, 5]
    """
    return _Lines(data).record_rows()


def _encoding_problem(label: str, data: bytes) -> Problem | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) >= 4 and data[1:4:2] == b"\x00\x00" and b"\x00" not in data[0:1]):
        return Problem(label, None, None,
                       "the file is UTF-16 (as Excel writes 'Unicode Text'); save it as 'CSV UTF-8' in Excel, "
                       f"or convert it: iconv -f UTF-16 -t UTF-8 '{label}' > converted.csv")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        bad = data[e.start:e.start + 1].hex().upper()
        return Problem(label, line, None,
                       f"the file is not UTF-8 (byte 0x{bad} cannot be decoded); save it as 'CSV UTF-8' in "
                       f"Excel, or convert it from the encoding it has, e.g. iconv -f WINDOWS-1252 -t UTF-8 "
                       f"'{label}' > converted.csv")
    return None


def _overlong_line(label: str, data: bytes, lines: _Lines) -> Problem | None:
    """A record far longer than any row of valid cells could be: refused before parsing costs gigabytes."""
    if len(data) <= MAX_CELL:
        return None
    bounds, gaps = lines.bounds, lines.gaps
    header_end = int(bounds[1]) if len(bounds) > 2 else len(data)
    columns = data[:header_end].count(b",") + 1
    limit = (MAX_CELL * 4 + 3) * columns  # UTF-8 takes up to 4 bytes a character; quotes and comma
    worst = int(np.argmax(gaps))
    if gaps[worst] <= limit:
        return None
    return Problem(label, None, None,
                   f"line {worst + 1} is {int(gaps[worst]):,} bytes long; a cell holds at most {MAX_CELL:,} characters "
                   "(as in a spreadsheet): check for a missing closing quote or a pasted document")


def _parser_problem(label: str, e: Exception) -> Problem:
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
    if m:
        return Problem(label, int(m.group(2)), None,
                       f"the row has {m.group(3)} fields but the header has {m.group(1)}; "
                       "check for an unquoted comma or a missing quote")
    return Problem(label, None, None, f"the file is not valid CSV: {e}")


def _clean(df: pd.DataFrame, header: list[str]) -> pd.DataFrame:
    df = df.copy()
    names = column_names(header) if len(header) == len(df.columns) else column_names([str(c) for c in df.columns])
    df.columns = names
    for j in range(len(names)):  # by position: blank header cells give columns of the same name
        df.isetitem(j, df.iloc[:, j].astype(str).str.strip())
    return df
