"""Wire encoding: a Network as the rows netmap sends over Bolt, and batches sized by their encoded bytes.

An organisation travels as one list of values in :data:`ORG_KEYS` order and
a tie as one list in :data:`TIE_KEYS` order (the ``cypher/merge_*.cypher``
statements read them by position). :func:`sized_batches` cuts a list of rows
into statements whose Bolt message (:func:`packed_size`) and, where the server
writes parameters out as text, whose Cypher text (:func:`cypher_text_size`)
stay within the :class:`~netmap.store.settings.ServerProfile`'s limits.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..dates import to_date
from ..errors import ArgumentError, StoreError
from ..network import Network
from ..schema import QUALITIES, ROLE_LABELS, ROLES
from ..values import is_missing, plain
from .settings import ServerProfile

__all__ = [
    "LINKS",
    "ORG_KEYS",
    "TIE_KEYS",
    "MESSAGE_OVERHEAD",
    "Batch",
    "packed_size",
    "cypher_text_size",
    "row_sizes",
    "sized_batches",
    "org_rows",
    "tie_rows",
    "tie_wire",
    "compact",
    "number",
    "text",
    "text_list",
    "day",
    "property_value",
]

#: Attribute -> (node label, relationship type) of the linked nodes.
LINKS: dict[str, tuple[str, str]] = {
    "capabilities": ("Capability", "HAS_CAPABILITY"),
    "markets": ("Market", "SERVES_MARKET"),
}
#: Order of the values in an organisation row (see cypher/merge_organizations.cypher).
ORG_KEYS = ("id", "name", "roles", "focal", "country", "region", "industry", "capabilities",
            "markets", "revenue", "employees", "clv", "satisfaction", "risk", "row")
#: Order of the values in a tie row (see cypher/merge_ties.cypher).
TIE_KEYS = ("source", "target", "category", "value", *QUALITIES, "since", "until", "exclusive", "row")
#: Bytes of a RUN message besides the query text and the rows.
MESSAGE_OVERHEAD = 64


@dataclass
class Batch:
    """One statement of a load: its query, parameters, encoded size (bytes), number of rows, and what it does."""

    query: str
    params: dict
    size: int
    rows: int
    doing: str


def packed_size(value) -> int:
    """Bytes that ``value`` takes in a Bolt message (PackStream), as the driver encodes it.

    Examples
    --------
    >>> packed_size(["S1", "F1", 0.5, None, True])
    18
    """
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, int):
        if -16 <= value < 128:
            return 1
        if -128 <= value < 128:
            return 2
        if -32768 <= value < 32768:
            return 3
        if -(2 ** 31) <= value < 2 ** 31:
            return 5
        return 9
    if isinstance(value, float):
        return 9
    if isinstance(value, str):
        n = len(value.encode("utf-8"))
        return n + _header(n)
    if isinstance(value, (list, tuple)):
        return _header(len(value)) + sum(packed_size(v) for v in value)
    if isinstance(value, dict):
        return _header(len(value)) + sum(packed_size(k) + packed_size(v) for k, v in value.items())
    if isinstance(value, _dt.date):
        return 2 + packed_size(value.toordinal())
    return 64


def cypher_text_size(value) -> int:
    """Characters that ``value`` takes when written out as a Cypher literal (an upper bound).

    Floats count as the longer of ``%f`` and ``repr`` forms.

    Examples
    --------
    >>> cypher_text_size(["S1", 0.5, None])
    23
    """
    if value is None:
        return 4
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(str(value))
    if isinstance(value, float):
        return max(len(f"{value:f}"), len(repr(value))) + 1
    if isinstance(value, str):
        return len(value.encode("utf-8")) + 2 + value.count("'") + value.count('"') + value.count("\\")
    if isinstance(value, (list, tuple)):
        return 2 + sum(cypher_text_size(v) for v in value) + 2 * max(len(value) - 1, 0)
    if isinstance(value, dict):
        return 2 + sum(len(str(k)) + 2 + cypher_text_size(v) for k, v in value.items()) + 2 * max(len(value) - 1, 0)
    return 40


def row_sizes(row) -> tuple[int, int]:
    """(:func:`packed_size`, :func:`cypher_text_size`) of one row, with a fast path for flat rows of scalars.

    Examples
    --------
    >>> row_sizes(["S1", "F1", 0.5, None, True])
    (18, 36)
    """
    if not isinstance(row, list):
        return packed_size(row), cypher_text_size(row)
    p = _header(len(row))
    t = 2 + 2 * max(len(row) - 1, 0)
    for v in row:
        if v is None:
            p += 1
            t += 4
        elif v.__class__ is str:
            n = len(v) if v.isascii() else len(v.encode("utf-8"))
            p += n + _header(n)
            t += n + 2 + v.count("'") + v.count('"') + v.count("\\")
        elif v.__class__ is float:
            p += 9
            t += max(len(f"{v:f}"), len(repr(v))) + 1
        elif v.__class__ is int:
            p += 1 if -16 <= v < 128 else packed_size(v)
            t += len(str(v))
        elif v.__class__ is bool:
            p += 1
            t += 5
        else:
            p += packed_size(v)
            t += cypher_text_size(v)
    return p, t


def sized_batches(rows: list, query: str, profile: ServerProfile, doing: str) -> Iterator[tuple[list, int]]:
    """Split ``rows``, in order, so that each message (query, rows, overhead) fits the profile's limits.

    Yields ``(batch, encoded message size in bytes)``.

    Raises
    ------
    StoreError
        One row alone is larger than the server accepts in one message
        (raised before any batch is yielded only if it is the first row).

    Examples
    --------
    >>> small = ServerProfile("tiny server", message_bytes=200, max_rows=2)
    >>> [len(b) for b, _ in sized_batches([["a"]] * 5, "RETURN 1", small, "testing")]
    [2, 2, 1]
    """
    qlen = len(query.encode("utf-8"))
    budget = profile.message_bytes - qlen - MESSAGE_OVERHEAD
    tbudget = (profile.text_bytes - qlen - MESSAGE_OVERHEAD) if profile.text_bytes else None
    cur: list = []
    size = tsize = 5
    for r in rows:
        s, t = row_sizes(r)
        t = t + 2 if tbudget is not None else 0
        if s + 5 > budget or (tbudget is not None and t + 5 > tbudget):
            what = r[0] if isinstance(r, list) and r else r
            raise StoreError(
                f"one row ({what!r}, {s:,} bytes) is larger than {profile.describe()} accepts in one message "
                f"({profile.message_bytes:,} bytes) while {doing}; shorten its text fields"
            )
        if cur and (size + s > budget or len(cur) >= profile.max_rows
                    or (tbudget is not None and tsize + t > tbudget)):
            yield cur, size + qlen + MESSAGE_OVERHEAD
            cur, size, tsize = [], 5, 5
        cur.append(r)
        size += s
        tsize += t
    if cur:
        yield cur, size + qlen + MESSAGE_OVERHEAD


# ---------------------------------------------------------------- a Network as rows
def org_rows(network: Network) -> dict[str, tuple[tuple[str, ...], list]]:
    """``{id: (role labels, row)}`` of every organisation, in input order; a row is in :data:`ORG_KEYS` order.

    The ``row`` value is the organisation's row number in organizations.csv
    (the header is row 1).
    """
    n = network.nodes
    out: dict[str, tuple[tuple[str, ...], list]] = {}
    cols = {c: n[c].tolist() for c in ORG_KEYS if c != "row"}
    for i in range(len(n)):
        roles = tuple(cols["roles"][i])
        row = [
            str(cols["id"][i]), text(cols["name"][i]), text_list(roles), bool(cols["focal"][i]),
            text(cols["country"][i]), text(cols["region"][i]), text(cols["industry"][i]),
            text_list(cols["capabilities"][i]), text_list(cols["markets"][i]),
            number(cols["revenue"][i]), number(cols["employees"][i]), number(cols["clv"][i]),
            number(cols["satisfaction"][i]), number(cols["risk"][i]), i + 2,
        ]
        out[row[0]] = (tuple(ROLE_LABELS[r] for r in ROLES if r in roles), row)
    return out


def tie_rows(network: Network, native_dates: bool) -> dict[tuple[str, str, str, str], list]:
    """``{(source, target, type, category): row}`` of every tie, in input order; a row is in :data:`TIE_KEYS` order.

    ``since``/``until`` are :class:`datetime.date` objects when
    ``native_dates``, else ``YYYY-MM-DD`` strings.
    """
    e = network.edges
    cats = [str(c or "") for c in e["category"].tolist()]
    cols = [
        [str(x) for x in e["source"].tolist()], [str(x) for x in e["target"].tolist()], cats,
        _number_column(e["value"]), *(_number_column(e[q]) for q in QUALITIES),
        _day_column(e["since"], native_dates), _day_column(e["until"], native_dates),
        [bool(x) for x in e["exclusive"].tolist()], [int(x) for x in e["row"].tolist()],
    ]
    types = [str(x) for x in e["type"].tolist()]
    return dict(zip(zip(cols[0], cols[1], types, cats), map(list, zip(*cols))))


def compact(row: list) -> list:
    """The row as sent: whole-number floats as integers (the statements store them with ``toFloat``).

    Examples
    --------
    >>> compact(["O1", 131795.0, 0.5, None])
    ['O1', 131795, 0.5, None]
    """
    return [int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53 else v for v in row]


def tie_wire(rows: list) -> tuple[list, list]:
    """Tie rows as sent, split by how their qualities travel.

    Returns (rows whose four qualities are exact whole hundredths, sent as
    integers and divided by 100.0 in Cypher; the other rows, their qualities
    as they are). ``n / 100.0`` is correctly rounded in Python, Neo4j and
    FalkorDB alike, so ``round(v * 100) / 100 == v`` means ``v`` is stored
    exactly; "48" takes 2 characters of a message instead of the 9 of
    "0.480000". A whole-number ``value`` travels as an integer (``toFloat``
    stores it as a float).

    Examples
    --------
    >>> tie_wire([["S1", "F1", "", 5.0, 0.48, None, 1.0, 0.07, None, None, False, 2]])
    ([['S1', 'F1', '', 5, 48, None, 100, 7, None, None, False, 2]], [])
    """
    hundredths, as_is = [], []
    big = 2 ** 53
    for r in rows:
        v = r[3]
        if v.__class__ is float and v.is_integer() and -big < v < big:
            v = int(v)
        q = []
        for x in r[4:8]:
            if x is None:
                q.append(None)
                continue
            if not (x.__class__ in (int, float) and -1e9 < x < 1e9):
                break
            n = round(x * 100)
            if n / 100 != x:
                break
            q.append(n)
        else:
            hundredths.append([r[0], r[1], r[2], v, *q, *r[8:]])
            continue
        as_is.append(compact(r))
    return hundredths, as_is


# ---------------------------------------------------------------- single values, both ways
def number(x) -> float | None:
    """``x`` as a float; ``None`` for missing values and anything that is not a number.

    >>> number("2.5"), number(float("nan")), number("n/a")
    (2.5, None, None)
    """
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def text(x) -> str | None:
    """``x`` as text; ``None`` for missing values and empty text (Neo4j then holds no property).

    >>> text(""), text(float("nan")), text(7)
    (None, None, '7')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    s = str(x)
    return s if s else None


def text_list(xs) -> list[str] | None:
    """``xs`` as a list of text; ``None`` when empty.

    >>> text_list(("supplier", "customer")), text_list(())
    (['supplier', 'customer'], None)
    """
    out = [str(x) for x in (xs or ())]
    return out or None


def day(x, native: bool):
    """A date as netmap stores it: a :class:`datetime.date` when ``native``, else ``YYYY-MM-DD``.

    Accepts Neo4j's own dates, Python and pandas dates and ISO text; missing
    values give ``None``, and text that is not a date comes back as it is.

    >>> day("2019-01-01T00:00:00", native=False), day(None, native=True)
    ('2019-01-01', None)
    """
    if x is None:
        return None
    if x.__class__ is str and len(x) == 10:  # the common case: YYYY-MM-DD
        try:
            d = _dt.date.fromisoformat(x)
        except ValueError:
            pass
        else:
            return d if native else d.isoformat()
    if is_missing(x):
        return None
    if hasattr(x, "to_native"):  # neo4j.time.Date / DateTime
        x = x.to_native()
    if isinstance(x, np.datetime64):
        x = pd.Timestamp(x)
    try:
        d = to_date(x, "date")
    except ArgumentError:
        return x
    return d if native else d.isoformat()


def property_value(v):
    """A value the driver can store as a node property: numbers, text, booleans or a list of text.

    Missing values (NaN, NaT, ``None``) become ``None``, which removes the property.

    >>> property_value(np.int64(3)), property_value(float("nan")), property_value(("a", 1))
    (3, None, ['a', '1'])
    """
    v = plain(v)
    if isinstance(v, list):
        return [str(x) for x in v]
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return str(v)


def _number_column(s: pd.Series) -> list:
    """:func:`number` of every value (NaN -> None), vectorised for numeric columns."""
    if s.dtype.kind not in "fiub":
        return [number(x) for x in s.tolist()]
    return [None if v != v else v for v in s.to_numpy(dtype=float).tolist()]


def _day_column(s: pd.Series, native: bool) -> list:
    """:func:`day` of every value, vectorised for datetime columns."""
    if s.dtype.kind != "M" or getattr(s.dtype, "tz", None) is not None:
        return [day(x, native) for x in s.tolist()]
    days = s.to_numpy().astype("datetime64[D]")
    if native:
        return days.astype(object).tolist()
    return [None if v == "NaT" else v for v in days.astype(str).tolist()]


def _header(n: int) -> int:
    return 1 if n < 16 else 2 if n < 256 else 3 if n < 65536 else 5
