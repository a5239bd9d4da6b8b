"""Argument checks shared by every analysis: validate once, at the door, with one wording.

Each check returns the value in its canonical form or raises
:class:`~netmap.errors.ArgumentError` naming the parameter, so that the
command line can point at the matching option.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .errors import ArgumentError

__all__ = ["whole_number", "number", "choice", "choices", "text_list"]


def whole_number(value, name: str, *, minimum: int = 1, optional: bool = False, why: str = "") -> int | None:
    """``value`` as an ``int`` of at least ``minimum``; ``None`` passes when ``optional``.

    >>> whole_number(3, "top")
    3
    >>> whole_number(0, "top")
    Traceback (most recent call last):
    ...
    netmap.errors.ArgumentError: top must be a whole number of at least 1, not 0
    """
    if value is None and optional:
        return None
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not ok and isinstance(value, (float, np.floating)) and float(value).is_integer():
        ok, value = True, int(value)
    if not ok or value < minimum:
        shown = f"'{value}'" if isinstance(value, str) else value
        raise ArgumentError(f"{name} must be a whole number of at least {minimum}{why}, not {shown}", param=name)
    return int(value)


def number(value, name: str, *, low: float | None = None, high: float | None = None,
           low_open: bool = False, high_open: bool = False, optional: bool = False) -> float | None:
    """``value`` as a finite ``float`` within the bounds (closed unless ``*_open``).

    >>> number("0.5", "damping", low=0, high=1, low_open=True, high_open=True)
    0.5
    >>> number(1, "damping", low=0, high=1, low_open=True, high_open=True)
    Traceback (most recent call last):
    ...
    netmap.errors.ArgumentError: damping must be a number greater than 0 and less than 1, not 1
    """
    if value is None and optional:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    bad = isinstance(value, bool) or not math.isfinite(v)
    if not bad and low is not None:
        bad = v <= low if low_open else v < low
    if not bad and high is not None:
        bad = v >= high if high_open else v > high
    if bad:
        parts = []
        if low is not None:
            parts.append(f"{'greater than' if low_open else 'at least'} {_num(low)}")
        if high is not None:
            parts.append(f"{'less than' if high_open else 'at most'} {_num(high)}")
        bounds = (" " + " and ".join(parts)) if parts else ""
        shown = f"'{value}'" if isinstance(value, str) else value
        raise ArgumentError(f"{name} must be a number{bounds}, not {shown}", param=name)
    return v


def choice(value, name: str, options: Iterable, *, what: str | None = None):
    """``value`` if it is one of ``options`` (strings compare case-insensitively), else an error listing them.

    >>> choice("Strength", "by", ("strength", "hops"))
    'strength'
    >>> choice("cost", "by", ("strength", "hops"))
    Traceback (most recent call last):
    ...
    netmap.errors.ArgumentError: unknown by 'cost'; use one of strength, hops
    """
    options = tuple(options)
    if value in options:
        return value
    if isinstance(value, str):
        folded = {o.casefold(): o for o in options if isinstance(o, str)}
        if value.strip().casefold() in folded:
            return folded[value.strip().casefold()]
    shown = ", ".join("none" if o is None else str(o) for o in options)
    raise ArgumentError(f"unknown {what or name} '{value}'; use one of {shown}", param=name)


def choices(values, name: str, options: Iterable, *, what: str | None = None) -> list:
    """A list of values each checked by :func:`choice`; accepts one string split at ``,`` or ``;``.

    >>> choices("supplier; customer", "roles", ("supplier", "customer", "firm"), what="role")
    ['supplier', 'customer']
    """
    return [choice(v, name, options, what=what) for v in text_list(values)]


def text_list(values) -> list[str]:
    """``None`` -> ``[]``; a string split at ``,`` or ``;``; any iterable of strings kept; blanks dropped.

    >>> text_list("a, b;c")
    ['a', 'b', 'c']
    """
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    return [str(v).strip() for v in values if str(v).strip()]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
