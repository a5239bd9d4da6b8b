"""The rules of the data contract, applied to raw tables: every problem with file, row and column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..dates import parse_date_column
from ..errors import Problem
from ..schema import EDGE_COLUMNS, NODE_COLUMNS, QUALITIES, ROLES, SYMMETRIC_TYPES, TIE_TYPES
from .table import RawTable, cell_problems

__all__ = ["Checker", "validate_organizations", "validate_relationships", "validated_ties"]

_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}
#: pandas' ``str`` dtype, as the reader gives it: Arrow strings.
_STR = pd.StringDtype("pyarrow", na_value=np.nan)


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
        # a column holds few distinct dates: parse each once
        codes, uniques = pd.factorize(s, use_na_sentinel=False)
        d = pd.Series(parse_date_column(pd.Series(uniques)).to_numpy()[codes], index=s.index)
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


def _arrow(s):
    """A text column as an Arrow string array (no copy when it already is one)."""
    import pyarrow as pa

    arr = pa.array(s, from_pandas=True)
    if not pa.types.is_large_string(arr.type) and not pa.types.is_string(arr.type):
        arr = pa.array(pd.Series(s, dtype=object).astype(str), type=pa.large_string())
    return arr


def _index_in(s: pd.Series, value_set) -> np.ndarray:
    """Position in ``value_set`` of each cell of ``s`` (its first occurrence); -1 where absent."""
    import pyarrow.compute as pc

    pos = pc.index_in(_arrow(s), value_set=value_set)
    return pos.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _text(s: pd.Series):
    """A text column for the validated table, kept as pandas' ``str`` strings (no Python objects)."""
    return s.astype(_STR).array


def _casefold_codes(s: pd.Series) -> np.ndarray:
    """Integer codes that are equal exactly where the cells are equal once case-folded (``str.casefold``)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    folded = pd.Series([u.casefold() if isinstance(u, str) else u for u in uniques], dtype=object)
    fcodes, _ = pd.factorize(folded, use_na_sentinel=False)
    return fcodes[codes] if len(fcodes) else codes


def _duplicate_ties(src, tgt, codes, sym, types, category) -> tuple[np.ndarray, np.ndarray]:
    """Rows repeating an earlier tie (same endpoints, either order when symmetric; type; category ignoring case).

    Returns the mask of repeats and, for every row, the position of the first row with its key.
    """
    if len(codes) == 2 and (codes["source"] >= 0).all() and (codes["target"] >= 0).all():
        a, b = codes["source"], codes["target"]
    else:  # some endpoint is unknown: number the ids among the ties themselves
        both, _ = pd.factorize(pd.concat([src, tgt], ignore_index=True), use_na_sentinel=False)
        a, b = both[: len(src)].astype(np.int64), both[len(src):].astype(np.int64)
    lo, hi = np.where(sym, np.minimum(a, b), a), np.where(sym, np.maximum(a, b), b)
    t, _ = pd.factorize(types, use_na_sentinel=False)
    key = np.zeros(len(lo), dtype=np.int64)
    size = 1
    for part in (lo, hi, t, _casefold_codes(category)):  # one number per distinct key (mixed radix)
        part = np.asarray(part, dtype=np.int64)
        radix = int(part.max(initial=0)) + 1
        if size * radix >= 2**62:  # too many digits: renumber what we have first
            key, _ = pd.factorize(key)
            size = int(key.max(initial=0)) + 1
        key, size = key * radix + part, size * radix
    key, _ = pd.factorize(key)  # codes in order of first appearance
    seen = np.maximum.accumulate(np.concatenate(([-1], key[:-1]))) if len(key) else key
    dup = key <= seen
    return dup, np.flatnonzero(~dup)[key]


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

    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    parts = np.empty(len(uniques), dtype=object)
    for i, u in enumerate(uniques):  # each distinct cell once
        parts[i] = split(u)
    return pd.Series(parts[codes], index=s.index, dtype=object)


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
    # few distinct role lists: check each once
    codes, kinds = pd.factorize(roles, use_na_sentinel=False)
    valid = set(ROLES)
    unknown = [[r for r in rs if r not in valid] for rs in kinds]
    c.add(np.array([len(rs) == 0 for rs in kinds], dtype=bool)[codes], "roles",
          f"roles is empty; give one or more of {', '.join(ROLES)}, separated by ';'")
    c.add(np.array([len(u) > 0 for u in unknown], dtype=bool)[codes], "roles",
          lambda v, i: f"unknown role{'s' if len(unknown[codes[i]]) > 1 else ''} "
          f"{', '.join(repr(r) for r in unknown[codes[i]])}; use {', '.join(ROLES)}")
    focal = c.boolean("focal")
    nums = {
        "revenue": c.number("revenue", 0, None),
        "employees": c.number("employees", 0, None),
        "clv": c.number("clv", 0, None),
        "satisfaction": c.number("satisfaction", 0, 10),
        "risk": c.number("risk", 0, 1),
    }
    if c.problems:
        return None, c.problems
    out = pd.DataFrame(
        {
            "id": _text(ids),
            "name": _text(df["name"]),
            "roles": roles.to_numpy(),
            "focal": focal.to_numpy(dtype=bool),
            "country": _text(df["country"]) if "country" in df else "",
            "region": _text(df["region"]) if "region" in df else "",
            "industry": _text(df["industry"]) if "industry" in df else "",
            "capabilities": _split_list(df["capabilities"]).to_numpy() if "capabilities" in df else [()] * len(df),
            "markets": _split_list(df["markets"]).to_numpy() if "markets" in df else [()] * len(df),
            **{k: v.to_numpy() for k, v in nums.items()},
        }
    )
    return out, []


def validate_relationships(t: RawTable, known_ids, org_label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The validated ties of ``t`` (None when any problem) and every problem, each with file, row and column."""
    edges, problems, _ = validated_ties(t, known_ids, org_label)
    return edges, problems


def validated_ties(t: RawTable, known_ids, org_label: str):
    """As :func:`validate_relationships`, and the position in ``known_ids`` of each tie's source and target.

    The positions are found anyway to check the ids; handed to
    :class:`~netmap.network.Network` they spare it looking them up again.
    They are None when the ties have problems or no ids are known.
    """
    if t.frame is None:
        return None, t.problems, None
    df = t.frame
    c = Checker(t)
    if not c.columns(EDGE_COLUMNS):
        return None, c.problems, None
    src, tgt = df["source"], df["target"]
    known = None if known_ids is None else _arrow(known_ids)
    codes = {}
    for col, s in (("source", src), ("target", tgt)):
        empty = (s == "").to_numpy()
        c.add(empty, col, f"{col} is empty; give the id of an organisation")
        if known is not None:
            codes[col] = _index_in(s, known)
            c.add(~empty & (codes[col] < 0), col, lambda v, i: f"'{v}' is not an organisation id in {org_label}")
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
    sym = types.isin(SYMMETRIC_TYPES).to_numpy()
    dup, first = _duplicate_ties(src, tgt, codes, sym, types, category)
    if dup.any():
        srcs, tgts, typs = src.to_numpy(), tgt.to_numpy(), types.to_numpy()

        def same_tie(v, i):
            a, b = srcs[i], tgts[i]
            if sym[i] and not a <= b:
                a, b = b, a
            cat = category.iloc[i]
            return (f"the same tie ({a} {typs[i]} {b}" + (f", category '{cat}'" if cat else "")
                    + f") is already listed on row {int(c.rows[first[i]])}")

        c.add(dup, "source", same_tie)
    if c.problems:
        return None, c.problems, None
    out = pd.DataFrame(
        {
            "source": _text(src),
            "target": _text(tgt),
            "type": _text(types),
            "value": value.to_numpy(),
            "category": _text(category),
            **{q: v.to_numpy() for q, v in quals.items()},
            "since": since.to_numpy(),
            "until": until.to_numpy(),
            "exclusive": exclusive.to_numpy(dtype=bool),
            "row": c.rows,
        }
    )
    ends = (codes["source"], codes["target"]) if len(codes) == 2 else None
    return out, [], ends
