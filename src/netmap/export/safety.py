"""Formula-injection safety for every file a spreadsheet may open.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@``
(or a tab / carriage return) as a formula. Any text cell that an organisation
name or other user data could fill is therefore written so that it cannot
become a formula: prefixed with a single quote (OWASP's advice).
"""

from __future__ import annotations

import pandas as pd

from ..values import plain

__all__ = ["neutralize", "safe_frame"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(text):
    """Return ``text`` so that no spreadsheet treats it as a formula (non-text passes unchanged).

    >>> neutralize("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize("Acme")
    'Acme'
    """
    if isinstance(text, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell passed through :func:`neutralize`.

    Numeric columns are left alone (a negative number is not a formula);
    tuple/list cells are joined with ``;`` first. Column names are neutralised too.
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        out[col] = s.map(_cell_text_safe)
    out.columns = [neutralize(str(c)) for c in out.columns]
    return out


def _cell_text_safe(v):
    if isinstance(v, (list, tuple, set, frozenset)):
        v = ";".join(str(x) for x in plain(v))
    return neutralize(v)
