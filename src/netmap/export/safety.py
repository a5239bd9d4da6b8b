"""Safety of what netmap writes: no formulas in spreadsheets, no control characters on a terminal.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@``
(or a tab / carriage return) as a formula. Any text cell that an organisation
name or other user data could fill is therefore written so that it cannot
become a formula: prefixed with a single quote (OWASP's advice).

A terminal acts on control characters (``ESC [2J`` clears the screen,
``ESC ]0;...BEL`` retitles the window) and bidirectional controls reorder the
text around them. The data refuse control characters, but a path or an id
typed on the command line can hold them; every text netmap shows a person
(terminal tables, messages, pages) writes them as visible marks instead:
:func:`visible`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..values import plain, show_bidi

__all__ = ["neutralize", "safe_frame", "visible", "show_controls", "CONTROL_CHARACTERS", "FORMULA_START"]

#: C0 and C1 control characters and DEL, line breaks included.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(text):
    """Return ``text`` so that no spreadsheet treats it as a formula (non-text passes unchanged).

    >>> neutralize("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize("Acme")
    'Acme'
    """
    if isinstance(text, str) and text.startswith(FORMULA_START):
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
        if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):  # text only: column-wise
            risky = np.flatnonzero(s.str.startswith(FORMULA_START, na=False).to_numpy(dtype=bool))
            if len(risky):
                values = s.to_numpy(dtype=object, copy=True)
                values[risky] = ["'" + v for v in values[risky]]
                out[col] = pd.Series(values, index=s.index, dtype=s.dtype, name=s.name)
            continue
        out[col] = s.map(_cell_text_safe)
    out.columns = [neutralize(str(c)) for c in out.columns]
    return out


def _cell_text_safe(v):
    if isinstance(v, (list, tuple, set, frozenset)):
        v = ";".join(str(x) for x in plain(v))
    return neutralize(v)


def show_controls(text, *, keep_newlines: bool = False):
    """``text`` with control characters written as ``<U+001B>`` (non-text passes unchanged).

    >>> show_controls("a\x1b[2Jb\x07")
    'a<U+001B>[2Jb<U+0007>'
    """
    if not isinstance(text, str) or not CONTROL_CHARACTERS.search(text):
        return text
    if keep_newlines:
        return "\n".join(show_controls(line) for line in text.split("\n"))
    return CONTROL_CHARACTERS.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def visible(text, *, keep_newlines: bool = False):
    """``text`` as it may be shown to a person: control characters as ``<U+001B>``, bidi controls as ``[U+202E]``.

    >>> visible("data \u202eatad \x1b]0;x\x07")
    'data [U+202E]atad <U+001B>]0;x<U+0007>'
    """
    return show_bidi(show_controls(text, keep_newlines=keep_newlines))
