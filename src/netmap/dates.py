"""Dates: the one parser for ``as_of`` and every other date a user gives.

Analyses take ``as_of`` as a :class:`datetime.date`, a ``datetime``, a pandas
``Timestamp`` or an ISO string (``YYYY-MM-DD``); ``None`` means today.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from .errors import ArgumentError

__all__ = ["to_date", "iso_day", "to_timestamp", "today"]


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
