"""The rules of the data contract, applied to raw tables: every problem with file, row and column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..dates import parse_date_column
from ..errors import Problem
from ..schema import EDGE_COLUMNS, NODE_COLUMNS, QUALITIES, ROLES, SYMMETRIC_TYPES, TIE_TYPES
from .table import RawTable, cell_problems

__all__ = ["Checker", "validate_organizations", "validate_relationships"]

_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


class Checker:
    """Collects the problems of one table, each with the row number a spreadsheet shows.

    Starts with the problems of single cells (control characters, over-long cells).
    """

    def __init__(self, table: RawTable):
        self.label = table.label
        self.df = table.frame
        self.problems: list[Problem] = cell_problems(table)
        self.rows = table.rows

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
            return pd.Series(pd.NaT, index=self.df.index, dtype="datetime64[s]")
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


def validate_organizations(t: RawTable) -> tuple[pd.DataFrame | None, list[Problem]]:
    if t.frame is None:
        return None, t.problems
    df = t.frame
    c = Checker(t)
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
            first.setdefault(v, int(c.rows[i]))
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


def validate_relationships(t: RawTable, known_ids, org_label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    if t.frame is None:
        return None, t.problems
    df = t.frame
    c = Checker(t)
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
    quals = {q: c.number(q, 0, 1) for q in QUALITIES}
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
            first_row.setdefault(k, int(c.rows[i]))
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
