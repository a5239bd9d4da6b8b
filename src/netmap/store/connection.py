"""The connection to the server: driver and session, what the server is, and one sentence per failure.

:func:`open_connection` opens a :class:`Connection` (one driver, one
session), asks the server what it is (:func:`identify_server`) and closes it
again; every read and write runs as a managed transaction that the driver
retries on transient errors, and every driver failure becomes a
:class:`~netmap.errors.StoreError` that names the server, what netmap was
doing and what to check, never the password.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from urllib.parse import urlsplit

from ..errors import NetmapError, StoreError
from . import falkordb
from .codec import MESSAGE_OVERHEAD, Batch, packed_size, sized_batches
from .cypher import text
from .settings import NEO4J_PROFILE, Neo4jSettings, ServerProfile

__all__ = ["Connection", "open_connection", "detect_server", "identify_server", "fetch", "translate", "reason",
           "BOLT_SCHEMES"]

logger = logging.getLogger("netmap.store")
# The driver logs retries and server notices; leave them to the application's
# logging configuration instead of Python's last-resort stderr handler.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: URI schemes of the Bolt protocol.
BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})
# Failures of the first question that are the user's to fix, not a sign of another server.
_FATAL_CODES = ("Security", "DatabaseNotFound", "Database.DatabaseUnavailable")


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
    """

    def __init__(self, settings: Neo4jSettings, profile: ServerProfile | None = None) -> None:
        self.settings = settings
        self.batches = 0
        self.largest_message = 0
        self.detected: ServerProfile | None = None
        self.driver = _driver(settings)
        self.session = None
        try:
            self._verify()
            self.session = self.driver.session(database=settings.database or None, fetch_size=10_000)
            self.detected = self._identify()
            self.profile = profile or self.detected
        except BaseException:
            self.close()
            raise

    # -- reads and writes, each a managed transaction
    def read(self, query: str, *, doing: str, **params) -> list[dict]:
        """Records of ``query`` as dicts; ``doing`` says what for, in messages."""
        try:
            return self.session.execute_read(fetch, query, params)
        except Exception as e:  # noqa: BLE001 - every driver failure becomes one sentence
            raise translate(e, self.settings, doing) from e

    def write(self, query: str, *, doing: str, size: int | None = None, **params) -> list[dict]:
        """Run ``query`` in one write transaction and return its records."""
        self._account(len(query.encode("utf-8")) + MESSAGE_OVERHEAD + packed_size(params) if size is None else size)
        try:
            return self.session.execute_write(fetch, query, params)
        except Exception as e:  # noqa: BLE001
            raise translate(e, self.settings, doing) from e

    def write_many(self, batches: list[Batch]) -> None:
        """Run ``batches`` (one statement each) inside one managed write transaction.

        The driver retries the whole transaction on transient errors; a
        failure names what the statement that was running was doing.
        """
        now = [batches[0].doing]

        def work(tx) -> None:
            for b in batches:
                now[0] = b.doing
                tx.run(b.query, b.params).consume()

        for b in batches:
            self._account(b.size)
        try:
            self.session.execute_write(work)
        except Exception as e:  # noqa: BLE001
            raise translate(e, self.settings, now[0]) from e

    def write_batches(self, query: str, rows: list, *, doing: str, param: str = "rows",
                      count: str | None = None) -> Iterator[int]:
        """Write ``rows`` in batches that fit the server's messages, one transaction each.

        Yields the value of the ``count`` column of each batch's result, or
        the batch's number of rows.
        """
        for batch, size in sized_batches(rows, query, self.profile, doing):
            recs = self.write(query, doing=doing, size=size, **{param: batch})
            yield int(recs[0][count]) if count and recs else len(batch)

    def close(self) -> None:
        """Close the session and the driver; never raises."""
        try:
            if self.session is not None:
                self.session.close()
        except Exception:  # noqa: BLE001 - closing a lost connection must not hide the real error
            pass
        if self.detected is None or self.detected is falkordb.FALKORDB_PROFILE:
            # not known to be Neo4j: close the way FalkorDB needs (harmless elsewhere)
            falkordb.close_driver(self.driver, self.settings.uri)
            return
        try:
            self.driver.close()
        except Exception:  # noqa: BLE001
            pass

    def _account(self, size: int) -> None:
        self.batches += 1
        self.largest_message = max(self.largest_message, size)

    def _verify(self) -> None:
        from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

        for attempt in (1, 2):
            try:
                self.driver.verify_connectivity()
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
            except (ValueError, OSError) as e:
                raise translate(e, self.settings, "connecting") from e

    def _identify(self) -> ServerProfile:
        try:
            return identify_server(lambda q: self.session.execute_read(fetch, q, {}), self.settings.location())
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


def fetch(tx, query: str, params: dict) -> list[dict]:
    """The records of ``query`` in transaction ``tx``, as dicts (the unit of work of every read)."""
    result = tx.run(query, params)
    keys = result.keys()
    return [dict(zip(keys, rec)) for rec in result]


def reason(e: BaseException) -> str:
    """The first line of an exception's message (at most 200 characters)."""
    msg = getattr(e, "message", None) or str(e) or type(e).__name__
    return msg.strip().splitlines()[0][:200]


def translate(e: BaseException, settings: Neo4jSettings, doing: str) -> NetmapError:
    """One clear sentence for a driver failure while ``doing``; never includes the password.

    ``param`` of the returned error names the setting to check (``uri``,
    ``password``, ``user``, ``database``) where one is at fault. Errors that
    are not the driver's are raised again unchanged.
    """
    from neo4j.exceptions import (
        AuthError,
        ConfigurationError,
        IncompleteCommit,
        Neo4jError,
        ServiceUnavailable,
        SessionExpired,
    )

    if isinstance(e, NetmapError):
        return e
    where = settings.location()
    code = getattr(e, "code", None) or ""
    if isinstance(e, AuthError) or "Security.Unauthorized" in code or "AuthenticationRateLimit" in code:
        return StoreError(f"{where} rejected the user name or password of user '{settings.user}'; "
                          "check both", param="password")
    if "Security.Forbidden" in code:
        return StoreError(f"user '{settings.user}' is not allowed to do this on {where} while {doing}; "
                          "ask the database administrator for write access", param="user")
    if "DatabaseNotFound" in code:
        return StoreError(f"the Neo4j server at {settings.uri} has no database '{settings.database}'; "
                          "name one it has, or leave the database unset for the server's default database",
                          param="database")
    if isinstance(e, (ServiceUnavailable, SessionExpired, IncompleteCommit, ConnectionError)):
        if doing == "connecting":
            return StoreError(f"cannot reach a Neo4j server at {settings.uri}: nothing answered or the connection "
                              "was refused; check that the server is running and that the URI names the right "
                              "host and port", param="uri")
        return StoreError(f"lost the connection to {where} while {doing} (the server stopped answering); "
                          "start it again and re-run the load: loading is idempotent and writes only what is missing")
    if isinstance(e, (ConfigurationError, ValueError)):
        return StoreError(f"cannot use the Neo4j settings for {settings.uri}: {reason(e)}")
    if isinstance(e, Neo4jError):
        return StoreError(f"{where} failed while {doing}: {reason(e)}")
    if isinstance(e, OSError):
        return StoreError(f"cannot talk to {where} while {doing}: {reason(e)}")
    raise e


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
            max_transaction_retry_time=t,
            user_agent="netmap",
        )
    except Exception as e:  # noqa: BLE001 - a malformed URI, an unknown scheme
        raise StoreError(
            f"'{settings.uri}' is not a Bolt URI netmap can use ({reason(e)}); write it as "
            "neo4j://HOST:7687 or bolt://HOST:7687 (neo4j+s:// for Aura)", param="uri"
        ) from e
