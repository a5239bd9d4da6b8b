"""Dates: the one parser for ``as_of`` and every other date a user gives.

Analyses take ``as_of`` as a :class:`datetime.date`, a ``datetime``, a pandas
``Timestamp`` or an ISO string (``YYYY-MM-DD``); ``None`` means today.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from .errors import ArgumentError

__all__ = ["to_date", "iso_day", "to_timestamp", "today", "parse_date_column"]


def today() -> _dt.date:
    """Today's date (the default ``as_of``)."""
    return _dt.date.today()


def to_date(value, name: str = "as_of") -> _dt.date:
    """``value`` as a calendar date; ``None`` is today.

    >>> to_date("2024-02-29")
    datetime.date(2024, 2, 29)
    >>> to_date("2023-02-29")
    Traceback (most recent call last):
    ...
    netmap.errors.ArgumentError: as_of '2023-02-29' is not a date; write it as YYYY-MM-DD
    """
    if value is None:
        return today()
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            raise ArgumentError(f"{name} is missing; write it as YYYY-MM-DD", param=name)
        return value.date()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return _dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ArgumentError(f"{name} '{value}' is not a date; write it as YYYY-MM-DD", param=name) from None


def iso_day(value, name: str = "as_of") -> str:
    """``value`` as ``YYYY-MM-DD`` (``None`` is today).

    >>> iso_day("2024-06-30")
    '2024-06-30'
    """
    return to_date(value, name).isoformat()


def to_timestamp(value, name: str = "as_of") -> pd.Timestamp:
    """``value`` as a midnight pandas ``Timestamp``, for comparing with date columns."""
    return pd.Timestamp(to_date(value, name))


def parse_date_column(s: pd.Series) -> pd.Series:
    """Dates (``datetime64[s]``, years 1 to 9999) of a column of text cells; NaT for empty cells and cells that are not dates.

    Cells are ``YYYY-MM-DD``; a full ISO timestamp as a spreadsheet writes it
    (``2024-01-31T00:00:00``) is read as its day.

    >>> parse_date_column(pd.Series(["2024-01-31", "", "2024-02-30", "2024-03-01T00:00:00"])).tolist()
    [Timestamp('2024-01-31 00:00:00'), NaT, NaT, Timestamp('2024-03-01 00:00:00')]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s, type=pa.string())
    d = pc.strptime(arr, format="%Y-%m-%d", unit="s", error_is_null=True)
    out = pd.Series(d.to_numpy(zero_copy_only=False), index=s.index).astype("datetime64[s]")
    # strptime accepts trailing text; keep only exact YYYY-MM-DD cells
    exact = pc.fill_null(pc.match_substring_regex(arr, r"^\d{4}-\d{2}-\d{2}$"), False)
    # and it rolls impossible days over (2023-02-29 -> 2023-03-01): the day must read back unchanged
    typed_day = pc.cast(pc.if_else(exact, pc.utf8_slice_codeunits(arr, 8, 10), pa.scalar("0")), pa.int64())
    same_day = pc.fill_null(pc.equal(pc.day(d), typed_day), False)
    ok = pc.and_(exact, same_day).to_numpy(zero_copy_only=False).astype(bool)
    out[~ok] = pd.NaT
    retry = ((s != "") & out.isna()).to_numpy()
    if retry.any():
        d2 = pd.to_datetime(s[retry], format="ISO8601", errors="coerce")
        out.loc[retry] = d2.dt.normalize().astype(out.dtype)
    return out
