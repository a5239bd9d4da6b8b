"""Progress on stderr for the steps that take a while: each step's name with its elapsed time, a bar for long loops.

The library is silent by default; the ``netmap`` command turns progress on
(unless ``--quiet`` or ``NETMAP_QUIET=1``), and even then it shows only when
stderr is a terminal, so logs, pipes and tests see nothing. Nothing is ever
written to stdout, which holds the command's result.

>>> from netmap import progress
>>> with progress.step("Reading relationships.csv (12 MB)"):
...     pass                      # silent: progress is off unless turned on
>>> with progress.bar("Loading ties", total=3) as b:
...     for _ in range(3):
...         b.advance()
>>> progress.is_on()
False
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Bar", "bar", "disable", "elapsed", "enable", "is_on", "showing", "step"]

#: Seconds between two redraws of a bar (a loop of a million small steps stays cheap).
REDRAW_EVERY = 0.1
#: Width of a bar, in characters.
BAR_WIDTH = 24


class _State:
    on = False
    stream = None  # None: sys.stderr at the time of writing (click's test runner swaps it)
    depth = 0  # steps open now; nested steps are indented
    open_line = None  # the step or bar whose line is on the terminal without its end yet


_state = _State()


def enable(stream=None) -> None:
    """Show progress on ``stream`` (default: stderr) when it is a terminal."""
    _state.on, _state.stream = True, stream


def disable() -> None:
    """Show no progress (the default)."""
    if _state.open_line is not None:
        _write("\n")
    _state.on, _state.stream, _state.depth, _state.open_line = False, None, 0, None


def is_on() -> bool:
    """True when progress is turned on and its stream is a terminal."""
    if not _state.on:
        return False
    out = _out()
    try:
        return bool(out is not None and out.isatty())
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


@contextmanager
def showing(stream=None) -> Iterator[None]:
    """Turn progress on for the ``with`` block, then back to what it was."""
    before = (_state.on, _state.stream)
    enable(stream)
    try:
        yield
    finally:
        disable()
        _state.on, _state.stream = before


@contextmanager
def step(label: str) -> Iterator[None]:
    """Show ``label ...`` while the block runs, then the seconds it took.

    On a terminal this reads ``Dependency risks ... 2.4 s``; a step that
    encloses other steps shows its time on a line of its own once they end.
    """
    if not is_on():
        yield
        return
    label = _clean(label)
    _begin_line()
    indent = "  " * _state.depth
    _write(f"{indent}{label} ...")
    token = object()
    _state.open_line, _state.depth = token, _state.depth + 1
    start = time.perf_counter()
    ok = False
    try:
        yield
        ok = True
    finally:
        _state.depth -= 1
        took = elapsed(time.perf_counter() - start)
        end = took if ok else f"stopped after {took}"
        if _state.open_line is token:
            _write(f" {end}\n")
        else:
            _begin_line()
            _write(f"{indent}{label}: {end}\n")
        _state.open_line = None


class Bar:
    """A bar for a loop of known length; :meth:`advance` after each piece of work."""

    def __init__(self, label: str, total: int, unit: str = ""):
        self.label, self.total, self.unit = label, max(int(total), 0), unit
        self.done = 0
        self._start = self._drawn = time.perf_counter()
        self._shown = False

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more pieces done, redrawing at most every :data:`REDRAW_EVERY` seconds."""
        self.done += n
        now = time.perf_counter()
        if now - self._drawn >= REDRAW_EVERY:
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float, end: str = "") -> None:
        if not is_on():
            return
        if not self._shown:
            _begin_line()
            self._shown = True
        part = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = round(part * BAR_WIDTH)
        unit = f" {self.unit}" if self.unit else ""
        text = (f"{'  ' * _state.depth}{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                f"{part:4.0%}  {self.done:,}/{self.total:,}{unit}  {elapsed(now - self._start)}{end}")
        _write("\r\x1b[K" + text)
        _state.open_line = None if end else self

    def _finish(self, ok: bool) -> None:
        if self._shown or ok:
            self._draw(time.perf_counter(), end="\n" if ok else " stopped\n")


@contextmanager
def bar(label: str, total: int, unit: str = "") -> Iterator[Bar]:
    """A :class:`Bar` for the ``with`` block: ``Loading ties [######......]  25%  2,500/10,000 ties  1.2 s``."""
    b = Bar(_clean(label) if is_on() else label, total, unit)
    ok = False
    try:
        yield b
        ok = True
    finally:
        if is_on():
            b._finish(ok)


def elapsed(seconds: float) -> str:
    """Seconds as a person reads them.

    >>> elapsed(0.04), elapsed(2.345), elapsed(125)
    ('0.0 s', '2.3 s', '2 min 05 s')
    """
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s"


def _out():
    return _state.stream if _state.stream is not None else sys.stderr


def _begin_line() -> None:
    """End an unfinished line (a step whose work prints steps of its own) before writing a new one."""
    if _state.open_line is not None:
        _write("\n")
        _state.open_line = None


def _write(text: str) -> None:
    out = _out()
    try:
        out.write(text)
        out.flush()
    except (OSError, ValueError):  # the terminal went away: progress is never worth an error
        pass


def _clean(label: str) -> str:
    """A label as it may be shown on a terminal (a file name can hold escape sequences)."""
    from .export.safety import visible

    return visible(str(label))
