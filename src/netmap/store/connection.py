"""The connection to the server: driver and session, what the server is, and one sentence per failure.

:func:`open_connection` opens a :class:`Connection` (one driver, one
session), asks the server what it is (:func:`identify_server`) and closes it
again; every read and write runs as a managed transaction, tried again on
transient errors, under a :class:`~netmap.store.watchdog.Watchdog`
that gives up when the server sends nothing for ``settings.timeout``
seconds, with every value encoded as the server needs it
(:meth:`Connection.encode`); every driver failure becomes a
:class:`~netmap.errors.StoreError` that names the server, what netmap was
doing and what to check, never the password (:mod:`~netmap.store.failures`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from urllib.parse import urlsplit

from ..errors import StoreError
from . import falkordb
from .codec import MESSAGE_OVERHEAD, Batch, packed_size, sized_batches
from .cypher import text
from .failures import reason, retryable, translate
from .settings import NEO4J_PROFILE, Neo4jSettings, ServerProfile
from .watchdog import Stalled, Watchdog, kill_connections

__all__ = ["Connection", "open_connection", "detect_server", "identify_server", "fetch", "BOLT_SCHEMES"]

logger = logging.getLogger("netmap.store")
# The driver logs retries and server notices; leave them to the application's
# logging configuration instead of Python's last-resort stderr handler.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: URI schemes of the Bolt protocol.
BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})
# Failures of the first question that are the user's to fix, not a sign of another server.
_FATAL_CODES = ("Security", "DatabaseNotFound", "Database.DatabaseUnavailable")
#: Seconds before the first retry of a transaction that failed transiently (then doubling).
RETRY_DELAY = 0.5
#: On Neo4j a write transaction is ended by the server after this many times
#: ``settings.timeout`` (a transaction netmap has given up on ends there too).
TRANSACTION_TIMEOUT_FACTOR = 10


class Connection:
    """One driver and one session, with netmap's error messages and batch accounting.

    Parameters
    ----------
    settings : Neo4jSettings
    profile : ServerProfile, optional
        Used for statements and batch sizes instead of what the server is
        found to be (:attr:`detected`).

    Attributes
    ----------
    profile : ServerProfile
        The profile in use.
    detected : ServerProfile or None
        What :func:`identify_server` found (``None`` until it has answered).
    batches, largest_message : int
        Statements written so far, and the largest encoded message (bytes).
    watchdog : Watchdog
        Bounds every wait for the server to ``settings.timeout`` seconds.
    """

    def __init__(self, settings: Neo4jSettings, profile: ServerProfile | None = None) -> None:
        self.settings = settings
        self.batches = 0
        self.largest_message = 0
        self.detected: ServerProfile | None = None
        self.driver = _driver(settings)
        self.session = None
        self.watchdog = Watchdog(settings.timeout, lambda: kill_connections(self.driver))
        self._encoder: falkordb.Encoder | None = None
        try:
            self._verify()
            self.session = self.driver.session(database=settings.database or None, fetch_size=10_000)
            self.detected = self._identify()
            self.profile = profile or self.detected
            if self.detected.parameters_as_text or self.profile.parameters_as_text:
                self._encoder = falkordb.Encoder(self._text_encoder(), settings.location())
        except BaseException:
            self.close()
            raise

    @property
    def parameters_as_text(self) -> bool:
        """True when values are encoded for a server that writes them into the query (see :meth:`encode`)."""
        return self._encoder is not None

    def encode(self, value):
        """``value`` (a row, a list of rows, a parameter map) as this server needs it to store it unchanged.

        Unchanged for Neo4j; for a server that writes parameters into the
        query, see :class:`~netmap.store.falkordb.Encoder` (raises
        :class:`~netmap.errors.StoreError` for a value it cannot carry).
        """
        return value if self._encoder is None else self._encoder(value)

    # -- reads and writes, each a managed transaction under the watchdog
    def read(self, query: str, *, doing: str, **params) -> list[dict]:
        """Records of ``query`` as dicts; ``doing`` says what for, in messages."""
        return self._call(doing, self.session.execute_read, fetch, query, self.encode(params),
                          tick=self.watchdog.tick)

    def write(self, query: str, *, doing: str, size: int | None = None, **params) -> list[dict]:
        """Run ``query`` in one write transaction and return its records (``size``: its encoded bytes)."""
        params = self.encode(params)
        self._account(len(query.encode("utf-8")) + MESSAGE_OVERHEAD + packed_size(params) if size is None else size)
        work = self._timed(lambda tx: fetch(tx, query, params, tick=self.watchdog.tick))
        return self._call(doing, self.session.execute_write, work)

    def cut(self, query: str, rows: list, doing: str, param: str = "r", **extra) -> list[Batch]:
        """``rows``, encoded, cut into statements of ``query`` that fit the server's messages (nothing is sent).

        ``extra`` are further parameters of every statement.
        """
        rows, extra = self.encode(rows), self.encode(extra)
        return [Batch(query, {param: b, **extra}, size, len(b), doing)
                for b, size in sized_batches(rows, query, self.profile, doing)]

    def write_many(self, batches: list[Batch]) -> None:
        """Run ``batches`` (one statement each, made by :meth:`cut`) inside one managed write transaction.

        The whole transaction is tried again on transient errors (see
        :meth:`_call`); a failure names what the statement that was running
        was doing.
        """
        now = [batches[0].doing]

        def work(tx) -> None:
            for b in batches:
                now[0] = b.doing
                self.watchdog.tick()
                tx.run(b.query, b.params).consume()

        for b in batches:
            self._account(b.size)
        self._call(lambda: now[0], self.session.execute_write, self._timed(work))

    def write_batches(self, query: str, rows: list, *, doing: str, param: str = "rows",
                      count: str | None = None) -> Iterator[int]:
        """Write ``rows`` in batches that fit the server's messages, one transaction each.

        Yields the value of the ``count`` column of each batch's result, or
        the batch's number of rows.
        """
        for b in self.cut(query, rows, doing, param):
            self._account(b.size)
            work = self._timed(lambda tx, b=b: fetch(tx, b.query, b.params, tick=self.watchdog.tick))
            recs = self._call(doing, self.session.execute_write, work)
            yield int(recs[0][count]) if count and recs else b.rows

    def close(self) -> None:
        """Close the session and the driver; never raises, never waits on a server that stopped answering."""
        if self.watchdog.stalled:
            # a worker thread may still hold the session: leave it, drop the sockets, and give the
            # driver a moment to close (it may wait on a handshake the server never answers)
            closer = threading.Thread(target=falkordb.close_driver, args=(self.driver, self.settings.uri),
                                      kwargs={"nudge": False}, name="netmap-neo4j-close", daemon=True)
            closer.start()
            closer.join(1.0)
            return
        try:
            if self.session is not None:
                self.session.close()
        except Exception:  # noqa: BLE001 - closing a lost connection must not hide the real error
            pass
        if self.detected is None or self.detected.parameters_as_text:
            # not known to be Neo4j: close the way FalkorDB needs (harmless elsewhere)
            falkordb.close_driver(self.driver, self.settings.uri)
            return
        try:
            self.driver.close()
        except Exception:  # noqa: BLE001
            pass

    def _call(self, doing, fn, *args, **kwargs):
        """``fn(*args, **kwargs)`` under the watchdog, retried on transient failures for up to ``timeout`` seconds.

        A failure becomes a StoreError saying what netmap was ``doing`` (text,
        or a callable that says it once the call has failed). The retries are
        netmap's, not the driver's, so that waiting between them is never
        taken for a server that stopped answering.
        """
        give_up, delay = None, RETRY_DELAY
        while True:
            try:
                return self.watchdog.call(fn, *args, **kwargs)
            except Exception as e:  # noqa: BLE001 - every driver failure becomes one sentence
                if retryable(e) and not self.watchdog.stalled:
                    now = time.monotonic()
                    give_up = give_up or now + float(self.settings.timeout)
                    if now < give_up:
                        logger.info("%s failed (%s); trying again in %.1f s", self.settings.location(), reason(e),
                                    delay)
                        time.sleep(min(delay, give_up - now))
                        delay *= 2
                        continue
                raise translate(e, self.settings, doing() if callable(doing) else doing) from e

    def _timed(self, work):
        """``work`` with a server-side transaction timeout where the server keeps one (Neo4j)."""
        if self.detected is None or not self.detected.transaction_timeout:
            return work
        from neo4j import unit_of_work

        return unit_of_work(timeout=TRANSACTION_TIMEOUT_FACTOR * float(self.settings.timeout))(work)

    def _text_encoder(self):
        def echo(value):
            recs = self._call("checking that text arrives unchanged", self.session.execute_read, fetch,
                              text("echo"), {"v": value})
            return recs[0]["v"] if recs else None

        return falkordb.text_encoder(echo, self.settings.location())

    def _account(self, size: int) -> None:
        self.batches += 1
        self.largest_message = max(self.largest_message, size)

    def _verify(self) -> None:
        from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

        for attempt in (1, 2):
            try:
                self.watchdog.call(self.driver.verify_connectivity)
                return
            except ServiceUnavailable as e:
                # a server may drop the first handshake after another client's
                # goodbye; one more try tells that apart from a dead server
                if attempt == 2:
                    raise translate(e, self.settings, "connecting") from e
            except AuthError as e:
                raise translate(e, self.settings, "connecting") from e
            except Neo4jError as e:
                raise StoreError(
                    f"{self.settings.location()} refused to log in user '{self.settings.user}' ({reason(e)}); "
                    "check the user name and password",
                    param="password",
                ) from e
            except (ValueError, OSError, Stalled) as e:
                raise translate(e, self.settings, "connecting") from e

    def _identify(self) -> ServerProfile:
        try:
            return identify_server(lambda q: self.watchdog.call(self.session.execute_read, fetch, q, {}),
                                   self.settings.location())
        except Exception as e:  # noqa: BLE001
            raise translate(e, self.settings, "connecting") from e


@contextmanager
def open_connection(settings: Neo4jSettings, profile: ServerProfile | None = None) -> Iterator[Connection]:
    """A :class:`Connection` for the ``with`` block, closed after it.

    Raises
    ------
    StoreError
        The server cannot be reached, refuses the login, or has no such database.
    """
    conn = Connection(settings, profile)
    try:
        yield conn
    finally:
        conn.close()


def detect_server(settings: Neo4jSettings) -> ServerProfile:
    """Ask the server what it is: Neo4j (with version and edition), FalkorDB, or unidentified.

    See :func:`identify_server` for how the answer is reached.
    """
    with open_connection(settings) as conn:
        return conn.detected


def identify_server(read: Callable[[str], list[dict]], where: str = "the server") -> ServerProfile:
    """What the server is, from what it answers.

    1. ``dbms.components()`` answers: Neo4j (or a server that reports itself
       the same way), with its name, version and edition.
    2. Otherwise, the server lists FalkorDB's own procedures
       (:func:`netmap.store.falkordb.is_falkordb`): FalkorDB's profile.
    3. Otherwise (a Neo4j whose ``dbms.components()`` failed, or a server
       netmap does not know), Neo4j's profile, with a warning on the
       ``netmap.store`` logger: Neo4j's large batches and constraints suit a
       real Neo4j, and a server that refuses ``CREATE CONSTRAINT`` gets
       indexes instead.

    Parameters
    ----------
    read : callable
        Runs one read-only statement and returns its records as dicts (it
        raises the driver's exceptions).
    where : str, optional
        The server in words, for the warning.

    Raises
    ------
    neo4j.exceptions.Neo4jError
        A refused login or an unknown database: the first question failed
        for a reason that is the user's to fix.

    Examples
    --------
    >>> identify_server(lambda q: [{"name": "Neo4j Kernel", "versions": ["5.20.0"], "edition": "community"}]).describe()
    'Neo4j 5.20.0 (community)'
    """
    from neo4j.exceptions import ClientError, DatabaseError

    try:
        recs = read(text("server_components"))
    except (ClientError, DatabaseError) as e:
        if any(c in (e.code or "") for c in _FATAL_CODES):
            raise
        why = f"dbms.components() failed: {reason(e)}"
    else:
        if recs:
            r = recs[0]
            versions = r.get("versions") or [""]
            return replace(NEO4J_PROFILE, product=str(r.get("name") or "Neo4j").replace(" Kernel", ""),
                           version=str(versions[0]), edition=str(r.get("edition") or ""))
        why = "dbms.components() returned nothing"
    if falkordb.is_falkordb(read):
        return falkordb.FALKORDB_PROFILE
    logger.warning(
        "%s did not say what server it is (%s) and is not FalkorDB; netmap treats it as Neo4j "
        "(uniqueness constraints, native dates, batches of up to %s rows)", where, why, f"{NEO4J_PROFILE.max_rows:,}"
    )
    return replace(NEO4J_PROFILE, product="Bolt server (not identified; Neo4j settings)")


def fetch(tx, query: str, params: dict, tick: Callable[[], None] | None = None) -> list[dict]:
    """The records of ``query`` in transaction ``tx``, as dicts (the unit of work of every read).

    ``tick`` is called as records arrive (every 1,000), to show the
    watchdog that the server is answering.
    """
    result = tx.run(query, params)
    keys = result.keys()
    if tick is None:
        return [dict(zip(keys, rec)) for rec in result]
    out = []
    for i, rec in enumerate(result):
        if not i % 1000:
            tick()
        out.append(dict(zip(keys, rec)))
    return out


def _driver(settings: Neo4jSettings):
    from neo4j import GraphDatabase

    t = float(settings.timeout)
    scheme = urlsplit(settings.uri).scheme.lower() if "://" in settings.uri else ""
    try:
        if scheme not in BOLT_SCHEMES:
            raise ValueError(f"the scheme is '{scheme or 'missing'}'")
        return GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            connection_timeout=t,
            connection_acquisition_timeout=2 * t,
            # netmap retries transactions itself (Connection._call): the driver tries twice at once
            max_transaction_retry_time=0,
            initial_retry_delay=0,
            user_agent="netmap",
        )
    except Exception as e:  # noqa: BLE001 - a malformed URI, an unknown scheme
        raise StoreError(
            f"'{settings.uri}' is not a Bolt URI netmap can use ({reason(e)}); write it as "
            "neo4j://HOST:7687 or bolt://HOST:7687 (neo4j+s:// for Aura)", param="uri"
        ) from e
