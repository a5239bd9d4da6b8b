"""Cell values: the one converter from pandas/numpy values to plain Python, and the one number formatter.

Every writer (JSON, Excel, GraphML, HTML, text tables) converts through
:func:`plain` and formats numbers with :func:`fmt_number`, so a value reads
the same everywhere.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

import numpy as np
import pandas as pd

__all__ = ["plain", "joined", "fmt_number", "is_missing", "show_bidi", "BIDI_CONTROLS"]


#: Unicode bidirectional controls: they reorder the text around them ("Acme \u202eexe.gpj" reads
#: "Acme jpg.exe"), so every page and terminal table shows them as visible marks instead.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def show_bidi(text):
    """``text`` with bidirectional controls written as ``[U+202E]`` so that they show instead of acting.

    >>> show_bidi("Acme \u202eexe.gpj\u202c Ltd")
    'Acme [U+202E]exe.gpj[U+202C] Ltd'
    """
    if not isinstance(text, str) or not BIDI_CONTROLS.search(text):
        return text
    return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def is_missing(v) -> bool:
    """True for ``None``, NaN, NaT and ``pd.NA``.

    >>> is_missing(float("nan")), is_missing(0), is_missing(pd.NaT)
    (True, False, True)
    """
    if v is None or v is pd.NaT or v is pd.NA:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(v)
    if isinstance(v, pd.Timestamp):
        return pd.isna(v)
    return False


def plain(v, *, dates: str = "iso"):
    """``v`` as plain Python: numpy scalars to ``int``/``float``/``bool``, NaN and infinity to ``None``,
    tuples, lists, sets and arrays to lists, dicts converted recursively.

    ``dates="iso"`` writes dates as ``YYYY-MM-DD`` (with the time only when it is
    not midnight); ``dates="native"`` returns :class:`datetime.date` /
    ``datetime`` objects.

    >>> plain({"a": np.int64(2), "b": (np.float64("nan"), 1.5), "c": pd.Timestamp("2024-01-31")})
    {'a': 2, 'b': [None, 1.5], 'c': '2024-01-31'}
    """
    t = type(v)
    if t is str or t is int or t is bool or v is None:  # the common cases first: maps hold millions
        return v
    if t is float:
        return None if v != v or v in _INFINITE else v
    if t is dict:
        return {k if type(k) is str else str(k): plain(x, dates=dates) for k, x in v.items()}
    if t is list or t is tuple:
        return [plain(x, dates=dates) for x in v]
    return _plain_other(v, dates)


_INFINITE = (math.inf, -math.inf)


def _plain_other(v, dates: str):
    if isinstance(v, dict):
        return {str(k): plain(x, dates=dates) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=str) if isinstance(v, (set, frozenset)) else v
        return [plain(x, dates=dates) for x in items]
    if isinstance(v, np.ndarray):
        return [plain(x, dates=dates) for x in v.tolist()]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (pd.Timestamp, np.datetime64)):
        if pd.isna(v):
            return None
        v = pd.Timestamp(v)
        if dates == "native":
            return v.date() if v == v.normalize() else v.to_pydatetime()
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v if dates == "native" else v.isoformat()
    if v is pd.NaT or v is pd.NA:
        return None
    return v


def joined(v, sep: str = ";"):
    """Lists, tuples and sets as one ``sep``-joined string; anything else as :func:`plain`.

    >>> joined(("supplier", "customer"))
    'supplier;customer'
    """
    if isinstance(v, (list, tuple, set, frozenset, np.ndarray)):
        return sep.join(str(x) for x in plain(v))
    return plain(v)


def fmt_number(x, digits: int = 3) -> str:
    """A readable number: thousands separators, a few significant decimals, empty for missing.

    >>> fmt_number(1234567.0), fmt_number(0.123456), fmt_number(0.00001234), fmt_number(None)
    ('1,234,567', '0.123', '1.23e-05', '')
    >>> fmt_number(80.3, 0), fmt_number(120.5, 0), fmt_number(2.50, 2)
    ('80', '120', '2.5')
    """
    if x is None:
        return ""
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(f):
        return ""
    if math.isinf(f):
        return "infinite" if f > 0 else "-infinite"
    if (f.is_integer() and abs(f) >= 1) or abs(f) >= 1000:
        return f"{f:,.0f}"
    if f != 0 and abs(f) < 10 ** (-digits):
        return f"{f:.{digits}g}"
    text = f"{f:,.{digits}f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) or "0"
