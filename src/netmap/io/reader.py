"""Read and validate a data directory (CSV files or one .xlsx workbook) into a Network."""

from __future__ import annotations

import io as _io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..dates import parse_date_column
from ..errors import DataError, Problem, ValidationError
from ..network import Network, normalize_strength_weights
from ..schema import (
    DEFAULT_STRENGTH,
    EDGE_COLUMNS,
    NODE_COLUMNS,
    ORGANIZATIONS,
    RELATIONSHIPS,
    ROLES,
    SYMMETRIC_TYPES,
    TIE_TYPES,
)

__all__ = ["read_network", "validate_directory", "locate_tables", "read_table"]

_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


@dataclass
class _Table:
    """A raw table: all cells as stripped strings; ``label`` names it in messages."""

    label: str
    frame: pd.DataFrame | None
    problems: list[Problem]


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
                "see the data contract in the README"
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


# ------------------------------------------------------------------ raw reads
def read_table(file: Path, sheet: str | None, table: str) -> _Table:
    """Read one table with every cell as a stripped string ('' when empty)."""
    if sheet is None:
        return _read_csv(file)
    return _read_sheet(file, sheet)


def _read_csv(file: Path) -> _Table:
    label = file.name
    try:
        data = file.read_bytes()
    except OSError as e:
        raise DataError(f"{file}: cannot be read ({e.strerror or e})") from e
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return _Table(label, None, [Problem(label, None, None, "the file is empty; it needs a header row and at least one row of data")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        bad = data[e.start:e.start + 1].hex().upper()
        return _Table(
            label,
            None,
            [Problem(label, line, None,
                     f"the file is not UTF-8 (byte 0x{bad} cannot be decoded); save it as "
                     "'CSV UTF-8' in Excel, or convert it, e.g. iconv -f latin1 -t utf-8")],
        )
    try:
        # Arrow's parser is the fast path; any trouble goes to pandas' C parser,
        # whose messages name the line
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        df = pd.read_csv(_io.BytesIO(body), dtype=str, keep_default_na=False, engine="pyarrow")
        return _Table(label, _clean(df), [])
    except Exception:  # noqa: BLE001 - fall back to the C parser for a precise message
        pass
    try:
        df = pd.read_csv(
            _io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skipinitialspace=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        return _Table(label, None, [Problem(label, None, None, "the file is empty; it needs a header row and at least one row of data")])
    except pd.errors.ParserError as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if m:
            return _Table(
                label, None,
                [Problem(label, int(m.group(2)), None,
                         f"the row has {m.group(3)} fields but the header has {m.group(1)}; "
                         "check for an unquoted comma or a missing quote")])
        return _Table(label, None, [Problem(label, None, None, f"the file is not valid CSV: {e}")])
    return _Table(label, _clean(df), [])


def _read_sheet(file: Path, sheet: str) -> _Table:
    from openpyxl import load_workbook

    label = f"{file.name} (sheet {sheet})"
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise DataError(f"{file}: cannot be opened as an .xlsx workbook ({type(e).__name__}: {e})") from e
    try:
        names = {n.lower(): n for n in wb.sheetnames}
        if sheet.lower() not in names:
            return _Table(label, None, [Problem(file.name, None, None,
                                                f"the workbook has no sheet '{sheet}' (it has {', '.join(wb.sheetnames)})")])
        ws = wb[names[sheet.lower()]]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(c is None for c in header):
            return _Table(label, None, [Problem(label, None, None, "the sheet is empty; it needs a header row and at least one row of data")])
        width = len(header)
        body = []
        for r in rows:
            cells = [_cell_text(c) for c in r[:width]]
            cells += [""] * (width - len(cells))
            body.append(cells)
    finally:
        wb.close()
    # drop trailing fully empty rows (Excel often keeps formatted blank rows)
    while body and not any(body[-1]):
        body.pop()
    cols = [_cell_text(h) for h in header]
    df = pd.DataFrame(body, columns=cols, dtype=str) if body else pd.DataFrame(columns=cols, dtype=str)
    return _Table(label, _clean(df), [])


def _cell_text(c) -> str:
    import datetime as dt

    if c is None:
        return ""
    if isinstance(c, bool):
        return "true" if c else "false"
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    if isinstance(c, dt.datetime):
        return c.date().isoformat() if c.time() == dt.time(0) else c.isoformat()
    if isinstance(c, dt.date):
        return c.isoformat()
    return str(c)


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df.columns = [str(c).strip().lower().lstrip("\ufeff") for c in df.columns]
    for c in df.columns:
        df[c] = df[c].astype(str).str.strip()
    return df


# ------------------------------------------------------------------ validation
class _Checker:
    def __init__(self, label: str, df: pd.DataFrame):
        self.label = label
        self.df = df
        self.problems: list[Problem] = []
        # spreadsheet row numbers: header is row 1
        self.rows = np.arange(2, len(df) + 2)

    def add(self, mask, column: str, message) -> None:
        """Report ``message`` (str, or callable of the cell value) for rows where ``mask``."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        vals = self.df[column].to_numpy()[idx] if column in self.df.columns else [None] * len(idx)
        for i, v in zip(idx, vals):
            msg = message(v, i) if callable(message) else message
            self.problems.append(Problem(self.label, int(self.rows[i]), column, msg))

    def columns(self, spec: dict[str, tuple[bool, str]]) -> bool:
        cols = list(self.df.columns)
        ok = True
        for name, (required, _) in spec.items():
            if required and name not in cols:
                ok = False
                self.problems.append(Problem(self.label, 1, name,
                                             f"required column '{name}' is missing (the header has: {', '.join(c for c in cols if c) or 'nothing'})"))
        seen = set()
        for c in cols:
            if c in seen and c in spec:
                ok = False
                self.problems.append(Problem(self.label, 1, c, f"column '{c}' appears twice in the header"))
            seen.add(c)
        if len(self.df) == 0 and ok:
            pass
        return ok

    def number(self, column: str, lo: float, hi: float | None) -> pd.Series:
        """Parse a numeric column, reporting non-numbers and out-of-range values."""
        if column not in self.df.columns:
            return pd.Series(np.nan, index=self.df.index)
        s = self.df[column]
        arr = _to_float(s)
        present = (s != "").to_numpy()
        bad = present & ~np.isfinite(arr)
        self.add(bad, column, lambda v, i: f"'{v}' is not a number")
        rng = f"between {lo:g} and {hi:g}" if hi is not None else f"{lo:g} or more"
        with np.errstate(invalid="ignore"):
            out = np.isfinite(arr) & ((arr < lo) | ((arr > hi) if hi is not None else False))
        self.add(out, column, lambda v, i: f"{v} is out of range; it must be {rng}")
        arr = arr.copy()
        arr[bad | out] = np.nan
        return pd.Series(arr, index=self.df.index)

    def boolean(self, column: str) -> pd.Series:
        if column not in self.df.columns:
            return pd.Series(False, index=self.df.index)
        s = self.df[column].str.lower()
        ok = s.isin(_TRUE | _FALSE).to_numpy()
        self.add(~ok, column, lambda v, i: f"'{v}' is not true or false (use true/false, yes/no or 1/0)")
        return s.isin(_TRUE)

    def date(self, column: str) -> pd.Series:
        if column not in self.df.columns:
            return pd.Series(pd.NaT, index=self.df.index, dtype="datetime64[ns]")
        s = self.df[column]
        present = (s != "").to_numpy()
        d = parse_date_column(s)
        bad = present & d.isna().to_numpy()
        self.add(bad, column, lambda v, i: f"'{v}' is not a date; write dates as YYYY-MM-DD")
        return d


def _to_float(s: pd.Series) -> np.ndarray:
    """Floats of a string column: NaN for empty cells and for cells that are not numbers."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s, type=pa.string())
    blank = pc.equal(pc.utf8_length(arr), 0)
    try:
        out = pc.cast(pc.if_else(blank, pa.scalar(None, pa.string()), arr), pa.float64())
        return out.to_numpy(zero_copy_only=False).astype(float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        # some cell is not a number: the slow path finds which
        return pd.to_numeric(s.where(s != "", None), errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _is_in(s: pd.Series, values) -> np.ndarray:
    """``s.isin(values)`` for large value sets, computed by Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s, type=pa.string())
    if isinstance(values, pd.Series):
        vs = pa.array(values, type=pa.string())
    else:
        vs = pa.array(list(values), type=pa.string())
    return pc.is_in(arr, value_set=vs).to_numpy(zero_copy_only=False).astype(bool)


def _split_list(s: pd.Series) -> pd.Series:
    """Split ``a; b;a`` cells into tuples (trimmed, empty parts dropped, first occurrence kept)."""

    def split(x: str) -> tuple[str, ...]:
        if not x:
            return ()
        seen: dict[str, None] = {}
        for p in x.split(";"):
            p = p.strip()
            if p:
                seen.setdefault(p, None)
        return tuple(seen)

    uniq = pd.unique(s.to_numpy(dtype=object))
    lookup = {u: split(u) for u in uniq}
    return pd.Series([lookup[x] for x in s.to_numpy(dtype=object)], index=s.index, dtype=object)


def _validate_nodes(t: _Table) -> tuple[pd.DataFrame | None, list[Problem]]:
    if t.frame is None:
        return None, t.problems
    df = t.frame
    c = _Checker(t.label, df)
    if not c.columns(NODE_COLUMNS):
        return None, c.problems
    if len(df) == 0:
        c.problems.append(Problem(t.label, None, None, "the file has a header but no organisations"))
        return None, c.problems
    ids = df["id"]
    c.add((ids == "").to_numpy(), "id", "id is empty; every organisation needs a unique id")
    nonempty = ids != ""
    dup = (ids.duplicated(keep="first") & nonempty).to_numpy()
    if dup.any():
        first = {}
        for i, v in enumerate(ids.to_numpy()):
            first.setdefault(v, i + 2)
        c.add(dup, "id", lambda v, i: f"id '{v}' is used twice; it is already on row {first[v]}")
    c.add((df["name"] == "").to_numpy(), "name", "name is empty")
    roles = _split_list(df["roles"].str.lower())
    c.add((roles.map(len) == 0).to_numpy(), "roles",
          f"roles is empty; give one or more of {', '.join(ROLES)}, separated by ';'")
    valid = set(ROLES)
    bad_roles = roles.map(lambda rs: [r for r in rs if r not in valid])
    c.add((bad_roles.map(len) > 0).to_numpy(), "roles",
          lambda v, i: f"unknown role{'s' if len(bad_roles.iloc[i]) > 1 else ''} "
          f"{', '.join(repr(r) for r in bad_roles.iloc[i])}; use {', '.join(ROLES)}")
    focal = c.boolean("focal")
    nums = {
        "revenue": c.number("revenue", 0, None),
        "employees": c.number("employees", 0, None),
        "clv": c.number("clv", 0, None),
        "satisfaction": c.number("satisfaction", 0, 10),
    }
    if c.problems:
        return None, c.problems
    out = pd.DataFrame(
        {
            "id": ids.to_numpy(),
            "name": df["name"].to_numpy(),
            "roles": roles.to_numpy(),
            "focal": focal.to_numpy(dtype=bool),
            "country": df["country"].to_numpy() if "country" in df else "",
            "region": df["region"].to_numpy() if "region" in df else "",
            "industry": df["industry"].to_numpy() if "industry" in df else "",
            "capabilities": _split_list(df["capabilities"]).to_numpy() if "capabilities" in df else [()] * len(df),
            "markets": _split_list(df["markets"]).to_numpy() if "markets" in df else [()] * len(df),
            **{k: v.to_numpy() for k, v in nums.items()},
        }
    )
    return out, []


def _validate_edges(t: _Table, known_ids, org_label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    if t.frame is None:
        return None, t.problems
    df = t.frame
    c = _Checker(t.label, df)
    if not c.columns(EDGE_COLUMNS):
        return None, c.problems
    src, tgt = df["source"], df["target"]
    for col, s in (("source", src), ("target", tgt)):
        c.add((s == "").to_numpy(), col, f"{col} is empty; give the id of an organisation")
        if known_ids is not None:
            unknown = (s != "").to_numpy() & ~_is_in(s, known_ids)
            c.add(unknown, col, lambda v, i: f"'{v}' is not an organisation id in {org_label}")
    c.add(((src == tgt) & (src != "")).to_numpy(), "target",
          lambda v, i: f"a tie from '{v}' to itself; source and target must differ")
    types = df["type"].str.upper()
    c.add((~types.isin(TIE_TYPES)).to_numpy(), "type",
          lambda v, i: ("type is empty" if v == "" else f"unknown relationship type '{v}'")
          + f"; use {', '.join(TIE_TYPES)}")
    value = c.number("value", 0, None)
    quals = {q: c.number(q, 0, 1) for q in ("trust", "communication", "commitment", "mutual_benefit")}
    since, until = c.date("since"), c.date("until")
    both = (since.notna() & until.notna()).to_numpy()
    later = np.zeros(len(df), dtype=bool)
    later[both] = (since[both] > until[both]).to_numpy()
    c.add(later, "until", lambda v, i: f"until {v} is before since {df['since'].iloc[i]}")
    exclusive = c.boolean("exclusive")
    category = df["category"] if "category" in df else pd.Series("", index=df.index)
    # the same tie twice: same endpoints (either order for symmetric types), type and category
    sym = types.isin(SYMMETRIC_TYPES)
    a = src.where(~sym | (src <= tgt), tgt)
    b = tgt.where(~sym | (src <= tgt), src)
    key = pd.DataFrame({"a": a, "b": b, "t": types, "c": category.str.casefold()})
    dup = key.duplicated(keep="first").to_numpy()
    if dup.any():
        first_row = {}
        for i, k in enumerate(key.itertuples(index=False, name=None)):
            first_row.setdefault(k, i + 2)
        keys = list(key.itertuples(index=False, name=None))
        c.add(dup, "source", lambda v, i: f"the same tie ({keys[i][0]} {keys[i][2]} {keys[i][1]}"
              + (f", category '{category.iloc[i]}'" if category.iloc[i] else "")
              + f") is already listed on row {first_row[keys[i]]}")
    if c.problems:
        return None, c.problems
    out = pd.DataFrame(
        {
            "source": src.to_numpy(),
            "target": tgt.to_numpy(),
            "type": types.to_numpy(),
            "value": value.to_numpy(),
            "category": category.to_numpy(),
            **{q: v.to_numpy() for q, v in quals.items()},
            "since": since.to_numpy(),
            "until": until.to_numpy(),
            "exclusive": exclusive.to_numpy(dtype=bool),
            "row": c.rows,
        }
    )
    return out, []


def _read_and_validate(path) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[Problem], str]:
    tables = locate_tables(path)
    nfile, nsheet = tables[ORGANIZATIONS]
    efile, esheet = tables[RELATIONSHIPS]
    nt = read_table(nfile, nsheet, ORGANIZATIONS)
    nodes, problems = _validate_nodes(nt)
    known = None
    if nt.frame is not None and "id" in nt.frame.columns:
        known = nt.frame["id"]
    et = read_table(efile, esheet, RELATIONSHIPS)
    edges, eprob = _validate_edges(et, known, nt.label)
    return nodes, edges, problems + eprob, str(path)


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
    nodes, edges, problems, source = _read_and_validate(path)
    if problems:
        raise ValidationError(problems, source)
    return Network(nodes, edges, source=source, strength_weights=weights, default_strength=default_strength)
