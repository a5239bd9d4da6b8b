"""The load marker: one ``:NetmapLoad`` node that says a load is writing to the database.

A load puts the marker in before it reads what the database holds and takes
it out when the database holds exactly what the files hold. While a marker
is there, another load, a read (:func:`~netmap.store.read_from_neo4j`) and a
write-back (:func:`~netmap.store.write_scores`) refuse, naming who started
the load and when. A load that fails after it began writing leaves its
marker: the database holds only part of the network, and reads keep
refusing until a load completes (it takes over a marker whose process is
provably gone: the same computer, a process that no longer runs) or
someone clears the marker (:func:`clear_load_marker`).

The marker is taken with one ``MERGE`` on a fixed key, which a uniqueness
constraint makes safe against a concurrent load on Neo4j (servers without
constraints, such as the Bolt test server, run writes one at a time).
"""

from __future__ import annotations

import datetime as _dt
import getpass
import logging
import os
import socket
import threading
import uuid
from dataclasses import asdict, dataclass

from ..errors import StoreError
from .connection import Connection, open_connection
from .cypher import statement, text
from .settings import Neo4jSettings

__all__ = ["LoadMarker", "take", "release", "refuse_if_marked", "markers", "load_marker", "clear_load_marker"]

logger = logging.getLogger("netmap.store")

#: The key of the one marker a database holds.
LOCK = "load"

_ACTIVE: set[str] = set()          # tokens of the loads running in this process
_ACTIVE_LOCK = threading.Lock()


@dataclass(frozen=True)
class LoadMarker:
    """Who started a load, where and when.

    Attributes
    ----------
    token : str
        Tells this load's marker from any other.
    host, pid, user : str, int, str
        The computer, process and user that started the load.
    started : str
        When, as ``YYYY-MM-DD HH:MM:SS UTC``.
    source : str
        What was being loaded (the data directory).

    Examples
    --------
    >>> m = LoadMarker("t1", "laptop-7", 4242, "ana", "2025-03-01 09:30:00 UTC", "sample_data")
    >>> m.who()
    'started 2025-03-01 09:30:00 UTC by ana on laptop-7 (process 4242, loading sample_data)'
    """

    token: str
    host: str
    pid: int
    user: str
    started: str
    source: str = ""

    def who(self) -> str:
        """When, by whom, where and what, in words."""
        what = f", loading {self.source}" if self.source else ""
        return f"started {self.started} by {self.user} on {self.host} (process {self.pid}{what})"

    def gone(self) -> bool:
        """True when the load's process provably no longer runs: this computer, and no such process (or
        this process, with no load running in it)."""
        if self.host != socket.gethostname():
            return False
        if self.pid == os.getpid():
            with _ACTIVE_LOCK:
                return self.token not in _ACTIVE
        return not _running(self.pid)

    def state(self) -> str:
        """What netmap can tell about the load: still running, or gone."""
        if self.gone():
            return f"did not finish (process {self.pid} no longer runs on this computer)"
        return "is still running, or stopped before it finished"


def take(conn: Connection, source: str = "") -> LoadMarker:
    """Put this load's marker into the database; raises :class:`~netmap.errors.StoreError` if another load holds it.

    A marker left by a load whose process is gone (:meth:`LoadMarker.gone`)
    is taken over, with a warning on the ``netmap.store`` logger.
    """
    if conn.profile.constraints:
        try:
            conn.write(statement("schema_constraint", label="NetmapLoad", key="lock"), doing="creating the schema")
        except StoreError as e:
            if e.param is not None or "Security" in str(getattr(e.__cause__, "code", "")):
                raise
            # a server that refuses CREATE CONSTRAINT: the MERGE below still finds an existing marker
    me = LoadMarker(uuid.uuid4().hex, socket.gethostname(), os.getpid(), _user(),
                    _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"), str(source))
    for attempt in (1, 2):
        recs = conn.write(text("marker_take"), doing="marking the database as being loaded", lock=LOCK, m=asdict(me))
        held = _marker(recs[0])
        if held.token == me.token:
            with _ACTIVE_LOCK:
                _ACTIVE.add(me.token)
            return me
        if attempt == 1 and held.gone():
            logger.warning("%s holds the marker of a netmap load %s, which %s; this load takes its place",
                           conn.settings.location(), held.who(), held.state())
            conn.write(text("marker_release"), doing="removing the marker of a load that did not finish",
                       token=held.token)
            continue
        raise StoreError(
            f"{conn.settings.location()} is being loaded by another netmap load, {held.who()}, which "
            f"{held.state()}; wait for it to finish, or, if no load is running, clear its marker",
            param="marker",
        )
    raise AssertionError("unreachable")  # pragma: no cover


def release(conn: Connection | None, marker: LoadMarker, *, remove: bool = True) -> None:
    """The load of ``marker`` has ended; with ``remove``, take its marker out of the database through ``conn``."""
    with _ACTIVE_LOCK:
        _ACTIVE.discard(marker.token)
    if remove and conn is not None:
        conn.write(text("marker_release"), doing="removing the load marker", token=marker.token)


def markers(conn: Connection) -> list[LoadMarker]:
    """The load markers the database holds (none unless a load is running or did not finish)."""
    return [_marker(r) for r in conn.read(text("marker_read"), doing="looking for a running load")]


def refuse_if_marked(conn: Connection, doing: str) -> None:
    """Raise :class:`~netmap.errors.StoreError` when a load marker is in the database; ``doing``: what was refused.

    ``doing`` completes "netmap does not ..." (e.g. "read it").
    """
    held = markers(conn)
    if held:
        m = held[0]
        raise StoreError(
            f"{conn.settings.location()} holds the marker of a netmap load {m.who()}, which {m.state()}: "
            f"the database may hold only part of that load, so netmap does not {doing}; wait for the load "
            "to finish, or, if no load is running, load the data again (that completes it) or clear the marker",
            param="marker",
        )


def load_marker(settings: Neo4jSettings) -> LoadMarker | None:
    """The marker of the load that is running in the database, or that did not finish; ``None`` when there is none.

    Raises
    ------
    StoreError
        Server problems.
    """
    with open_connection(settings) as conn:
        held = markers(conn)
    return held[0] if held else None


def clear_load_marker(settings: Neo4jSettings) -> list[LoadMarker]:
    """Remove every load marker from the database, and return what was removed.

    For a load that did not finish and cannot be completed from its own
    computer. Clear a marker only when no load is running: a load that is
    still running then shares the database with the next one.

    Raises
    ------
    StoreError
        Server problems.
    """
    with open_connection(settings) as conn:
        held = markers(conn)
        for m in held:
            conn.write(text("marker_release"), doing="clearing the load marker", token=m.token)
    return held


def _marker(rec: dict) -> LoadMarker:
    return LoadMarker(str(rec.get("token") or ""), str(rec.get("host") or "?"), int(rec.get("pid") or 0),
                      str(rec.get("user") or "?"), str(rec.get("started") or "?"), str(rec.get("source") or ""))


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "?"


def _running(pid: int) -> bool:
    """True unless ``pid`` provably does not run on this computer."""
    if os.name == "nt" or pid <= 0:
        return True  # no harmless way to ask on Windows: assume it runs
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
