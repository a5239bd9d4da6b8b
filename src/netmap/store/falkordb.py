"""FalkorDB's Bolt endpoint: how netmap recognises it and what it does differently there.

FalkorDB speaks Bolt and the common Cypher subset and reports itself as
``Neo4j/5.13.0``, but it has no ``CREATE CONSTRAINT``, no
``dbms.components()`` and no ``date()`` values; it writes the parameters out
as Cypher text in front of the query (unescaped), and a message larger than
about 4 KB crashes it. It also leaves the first handshake after a client's
Bolt goodbye unanswered. netmap therefore

* recognises it by what it reports (:func:`is_falkordb`: the procedures it
  lists are FalkorDB's own), never by a failure alone;
* loads it with :data:`FALKORDB_PROFILE` (indexes instead of constraints,
  dates as ``YYYY-MM-DD`` text, messages below 3,000 bytes and 3,600
  characters of Cypher text);
* closes its connections without a goodbye and makes sure the next
  handshake is answered (:func:`close_driver`).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from .cypher import text
from .settings import ServerProfile

__all__ = ["FALKORDB_PROFILE", "FALKORDB_PROCEDURES", "is_falkordb", "close_driver"]

#: FalkorDB: no constraints, dates as text, each message under 3,000 bytes and
#: its parameters, written out as Cypher, under 3,600 characters; a commit per
#: 1,000 rows.
FALKORDB_PROFILE = ServerProfile(
    "FalkorDB", constraints=False, native_dates=False,
    message_bytes=3_000, max_rows=10_000, text_bytes=3_600, tx_rows=1_000,
)

#: Procedures only FalkorDB (and RedisGraph before it) offers; Neo4j's
#: full-text procedures are called ``db.index.fulltext.*``.
FALKORDB_PROCEDURES: frozenset[str] = frozenset({"db.idx.fulltext.createNodeIndex", "db.idx.fulltext.queryNodes"})

_HANDSHAKE = b"\x60\x60\xb0\x17" + b"\x00\x04\x04\x05" + b"\x00\x00\x00\x04" + b"\x00\x00\x00\x03" + b"\x00" * 4


def is_falkordb(read: Callable[[str], list[dict]]) -> bool:
    """True when the server lists FalkorDB's own procedures.

    Parameters
    ----------
    read : callable
        Runs one read-only statement and returns its records as dicts (it
        raises the driver's exceptions).

    Returns
    -------
    bool
        False when the server refuses the question (Neo4j 5 has no
        ``dbms.procedures()``) or lists other procedures.

    Examples
    --------
    >>> is_falkordb(lambda q: [{"name": "db.idx.fulltext.createNodeIndex"}, {"name": "db.idx.fulltext.queryNodes"}])
    True
    >>> is_falkordb(lambda q: [{"name": "db.index.fulltext.queryNodes"}])
    False
    """
    from neo4j.exceptions import ClientError, DatabaseError

    try:
        names = {str(r.get("name")) for r in read(text("list_procedures"))}
    except (ClientError, DatabaseError):
        return False
    return FALKORDB_PROCEDURES <= names


def close_driver(driver, uri: str) -> None:
    """Close ``driver`` the way FalkorDB needs: its connections dropped without a Bolt goodbye.

    FalkorDB stops answering the next handshake after a goodbye; afterwards
    a bare handshake checks that the next connection gets an answer (and
    uses up the unanswered turn if there is one). Closing a lost connection
    never raises.
    """
    pool = getattr(driver, "_pool", None)
    for conns in list(getattr(pool, "connections", {}).values()):
        for conn in list(conns):
            try:
                conn.kill()
            except Exception:  # noqa: BLE001 - best effort; driver.close() follows
                pass
    try:
        driver.close()
    except Exception:  # noqa: BLE001 - closing a lost connection must not hide the real error
        pass
    _nudge(uri)


def _nudge(uri: str, tries: int = 4) -> None:
    """Make sure the next connection to ``uri`` gets an answer.

    Each try opens a connection and sends a Bolt handshake; an unanswered one
    has used up that turn, an answered one shows the way is clear (and a bare
    handshake leaves nothing behind).
    """
    try:
        parts = urlsplit(uri)
        address = (parts.hostname or "localhost", parts.port or 7687)
    except ValueError:
        return
    for _ in range(tries):
        try:
            with socket.create_connection(address, timeout=0.5) as s:
                s.sendall(_HANDSHAKE)
                if len(s.recv(4)) == 4:
                    return
        except OSError:
            if not _port_open(address):
                return


def _port_open(address) -> bool:
    try:
        with socket.create_connection(address, timeout=0.5):
            return True
    except OSError:
        return False
