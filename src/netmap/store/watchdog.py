"""Bounded waits: every call into the driver runs under a :class:`Watchdog` that gives up on a silent server.

The neo4j driver bounds the time to connect but not the wait for an answer:
a server that stops answering (paused, swapped out, a network that drops
packets) leaves a read blocked for ever. :meth:`Watchdog.call` runs each
call in a worker thread and waits for it in the caller's thread; when
nothing has happened for ``seconds`` (no statement started, no record
arrived), it closes the connections' sockets, which ends the blocked read,
and raises :class:`Stalled` at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["Stalled", "Watchdog", "kill_connections"]


class Stalled(Exception):
    """The server sent nothing for :attr:`seconds` seconds."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s")
        self.seconds = seconds


class Watchdog:
    """Runs calls in a worker thread and gives up when nothing happens for ``seconds``.

    Parameters
    ----------
    seconds : float
        The longest silence accepted.
    on_stall : callable
        Called (with no arguments) when a call is given up; it should close
        the sockets so that the worker thread ends.

    Attributes
    ----------
    stalled : bool
        A call was given up; every later call raises :class:`Stalled` at once.

    Examples
    --------
    >>> dog = Watchdog(0.2, on_stall=lambda: None)
    >>> dog.call(sum, [1, 2])
    3
    >>> dog.call(time.sleep, 5)
    Traceback (most recent call last):
    ...
    netmap.store.watchdog.Stalled: no answer within 0.2 s
    """

    def __init__(self, seconds: float, on_stall: Callable[[], None]) -> None:
        self.seconds = float(seconds)
        self.stalled = False
        self._on_stall = on_stall
        self._last = time.monotonic()

    def tick(self) -> None:
        """Something happened: a statement starts, or records arrived."""
        self._last = time.monotonic()

    def call(self, fn: Callable, *args, **kwargs):
        """``fn(*args, **kwargs)``, or :class:`Stalled` after ``seconds`` without a :meth:`tick`."""
        if self.stalled:
            raise Stalled(self.seconds)
        box: dict = {}
        done = threading.Event()

        def run() -> None:
            try:
                box["value"] = fn(*args, **kwargs)
            except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
                box["error"] = e
            finally:
                done.set()

        self.tick()
        worker = threading.Thread(target=run, name="netmap-neo4j", daemon=True)
        worker.start()
        step = min(0.1, self.seconds / 4)
        try:
            while not done.wait(step):
                if time.monotonic() - self._last > self.seconds:
                    raise Stalled(self.seconds)
        except BaseException:
            # given up (or interrupted): the worker must not keep the connection busy
            self.stalled = True
            self._on_stall()
            raise
        if "error" in box:
            raise box["error"]
        return box["value"]


def kill_connections(driver) -> None:
    """Close the sockets of every connection of ``driver`` at once: no goodbye, nothing flushed.

    A thread blocked reading from one of them gets an error at once. Never
    raises (best effort on the driver's pool).
    """
    pool = getattr(driver, "_pool", None)
    try:
        groups = list(getattr(pool, "connections", {}).values())
    except Exception:  # noqa: BLE001 - the pool changed while it was read
        return
    for conns in groups:
        for conn in list(conns):
            try:
                conn.kill()
            except Exception:  # noqa: BLE001
                pass
