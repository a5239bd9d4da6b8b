"""Neo4j store over Bolt: load a Network into Neo4j, read it back, write results back.

This is the one module that uses the ``neo4j`` driver. The graph model:

* ``(:Organization {id, name, roles, focal, country, region, industry,
  capabilities, markets, revenue, employees, clv, satisfaction, row})`` with
  one extra label per role (``:Firm``, ``:Supplier``, ``:Distributor``,
  ``:ResearchPartner``, ``:Customer``);
* one relationship per tie, typed by the tie type (``SUPPLIES``,
  ``SELLS_THROUGH``, ``SELLS_TO``, ``COLLABORATES_WITH``, ``PARTNERS_WITH``),
  in the input direction, keyed by (source, target, type, ``category``) and
  carrying ``value``, ``trust``, ``communication``, ``commitment``,
  ``mutual_benefit``, ``since``, ``until``, ``exclusive`` and ``row``;
* ``(:Organization)-[:HAS_CAPABILITY]->(:Capability {name})`` and
  ``(:Organization)-[:SERVES_MARKET]->(:Market {name})``;
* analysis results written back as ``netmap_<name>`` properties.

Every statement comes from ``cypher/*.cypher`` (see :mod:`netmap.store.cypher`);
every value is a parameter.
"""

from __future__ import annotations

import datetime as _dt
import logging
import math
import re
import socket
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from ..errors import NetmapError, StoreError
from ..network import Network
from ..schema import DEFAULT_STRENGTH, QUALITIES, ROLE_LABELS, ROLES, TIE_TYPES
from .cypher import statement, text

__all__ = [
    "Neo4jSettings",
    "ServerProfile",
    "LoadReport",
    "NEO4J_PROFILE",
    "TEST_SERVER_PROFILE",
    "LINKS",
    "load_network",
    "read_network",
    "write_properties",
    "detect_server",
    "packed_size",
    "cypher_text_size",
]

# The driver logs retries and server notices; leave them to the application's
# logging configuration instead of Python's last-resort stderr handler.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: Attribute -> (node label, relationship type) of the linked nodes.
LINKS: dict[str, tuple[str, str]] = {
    "capabilities": ("Capability", "HAS_CAPABILITY"),
    "markets": ("Market", "SERVES_MARKET"),
}
_LINK_WORD = {"capabilities": "capability", "markets": "market"}

#: Order of the values in an organisation row (see cypher/merge_organizations.cypher).
ORG_KEYS = ("id", "name", "roles", "focal", "country", "region", "industry", "capabilities",
            "markets", "revenue", "employees", "clv", "satisfaction", "row")
#: Order of the values in a tie row (see cypher/merge_ties.cypher).
TIE_KEYS = ("source", "target", "category", "value", *QUALITIES, "since", "until", "exclusive", "row")

_MESSAGE_OVERHEAD = 64  # bytes of a RUN message besides the query text and the rows


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach a Neo4j database.

    Parameters
    ----------
    uri : str
        Bolt URI, e.g. ``neo4j://localhost:7687`` (``neo4j+s://`` for Aura).
    user : str, optional (default="neo4j")
    password : str
        Never shown: it is left out of ``repr`` and of every message.
    database : str or None, optional (default=None)
        ``None`` for the server's default database.
    timeout : float, optional (default=15)
        Seconds to wait for a connection, and for how long the driver retries
        transient failures before netmap reports the server as lost.
    """

    uri: str
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None
    timeout: float = 15.0


@dataclass(frozen=True)
class ServerProfile:
    """What the server supports, and how large netmap makes each message.

    ``constraints``: ``CREATE CONSTRAINT`` is available (else an index is
    created); ``native_dates``: ``since``/``until`` are stored as Neo4j dates
    (else as ISO ``YYYY-MM-DD`` strings); ``message_bytes`` (encoded Bolt
    message) and ``max_rows`` bound one batch, and ``text_bytes``, where set,
    bounds the query plus its parameters written out as Cypher text.
    ``tx_rows`` bounds one write transaction: it runs as many batches (one
    message each) as fit, so the cost of a commit is shared by thousands of
    rows while a retry still repeats little.
    """

    product: str
    version: str = ""
    edition: str = ""
    constraints: bool = True
    native_dates: bool = True
    message_bytes: int = 1_000_000
    max_rows: int = 5_000
    text_bytes: int | None = None
    tx_rows: int = 20_000

    def describe(self) -> str:
        bits = " ".join(b for b in (self.product, self.version, self.edition and f"({self.edition})") if b)
        return bits


#: Neo4j 5: constraints, native dates, batches of up to 5,000 rows (1 MB).
NEO4J_PROFILE = ServerProfile("Neo4j")
#: A Bolt server without Neo4j's dbms procedures and constraints, such as
#: FalkorDB's Bolt endpoint used in netmap's tests. It writes the parameters
#: out as Cypher text in front of the query, and a query plus parameters
#: longer than about 4,000 characters crashes it; netmap keeps both the
#: encoded message (3,000 bytes) and that text (3,600 characters) below it.
TEST_SERVER_PROFILE = ServerProfile(
    "Bolt server without constraints (test server)", constraints=False, native_dates=False,
    message_bytes=3_000, max_rows=10_000, text_bytes=3_600, tx_rows=1_000,
)


@dataclass
class LoadReport:
    """What :func:`load_network` did.

    ``table`` has one row per kind of thing (organisations, ties, ties of each
    type, capabilities and their links, markets and their links) with the
    columns ``item``, ``in_files``, ``in_database`` (after the load, checked),
    ``added``, ``updated``, ``unchanged``, ``not_in_files`` (in the database
    before the load but not in the files) and ``deleted`` (removed by
    ``prune`` or because they were stale links or duplicates).
    """

    server: str
    schema: str
    table: pd.DataFrame
    not_in_files: dict[str, list[str]]
    batches: int
    largest_message: int
    seconds: float
    pruned: bool

    def changed(self) -> bool:
        t = self.table
        return bool((t[["added", "updated", "deleted"]].to_numpy().sum()) > 0)

    def sentence(self) -> str:
        t = self.table.set_index("item")
        o, r = t.loc["organisations"], t.loc["ties"]
        parts = [f"Neo4j now holds {int(o['in_database']):,} organisations and {int(r['in_database']):,} ties"]
        parts.append(f"added {int(o['added']):,} organisations and {int(r['added']):,} ties")
        parts.append(f"updated {int(o['updated']):,} organisations and {int(r['updated']):,} ties")
        stale_o, stale_r = int(o["not_in_files"]), int(r["not_in_files"])
        if stale_o or stale_r:
            if self.pruned:
                parts.append(f"deleted {stale_o:,} organisations and {stale_r:,} ties that are no longer in the files")
            else:
                parts.append(f"{stale_o:,} organisations and {stale_r:,} ties in Neo4j are not in the files "
                             "(kept; --prune deletes them)")
        return "; ".join(parts) + "."


# ---------------------------------------------------------------- public API
def load_network(
    network: Network,
    settings: Neo4jSettings,
    *,
    prune: bool = False,
    profile: ServerProfile | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> LoadReport:
    """Load ``network`` into Neo4j: idempotent, batched, checked.

    Creates the schema first (uniqueness constraints on ``:Organization(id)``,
    ``:Capability(name)``, ``:Market(name)`` on Neo4j; indexes on servers
    without constraints), compares the database with the network, and writes
    only what is missing or different, in batched ``UNWIND ... MERGE``
    statements inside managed write transactions (the driver retries
    transient errors). At the end it counts what the database holds and
    raises :class:`StoreError` unless it is exactly what the network holds
    (plus, without ``prune``, what was there before and is not in the files).

    Parameters
    ----------
    network : Network
    settings : Neo4jSettings
    prune : bool, optional (default=False)
        Delete organisations and ties that are in the database but no longer
        in the network. Without it they are kept and reported.
    profile : ServerProfile, optional
        Override what :func:`detect_server` finds (statement choice and
        batch sizes).
    progress : callable, optional
        Called with the number of rows written after each batch.
    on_total : callable, optional
        Called once with the number of rows that will be written.

    Returns
    -------
    LoadReport

    Raises
    ------
    StoreError
        Server unreachable, login refused, unknown database, connection lost
        during the load, or a count that does not match.
    """
    started = time.perf_counter()
    with _open(settings, profile) as st:
        schema = _ensure_schema(st)
        plan = _plan(network, _snapshot(st), st.profile, prune)
        if on_total is not None:
            on_total(plan.total_rows())
        _execute(st, plan, progress)
        deleted_orphans = {attr: _delete_orphans(st, attr) for attr in LINKS}
        counts = _count(st)
    table = _check(plan, counts, deleted_orphans)
    return LoadReport(
        server=st.profile.describe(),
        schema=schema,
        table=table,
        not_in_files={"organisations": sorted(plan.stale_orgs), "ties": [" ".join(k) for k in sorted(plan.stale_ties)]},
        batches=st.batches,
        largest_message=st.largest_message,
        seconds=time.perf_counter() - started,
        pruned=prune,
    )


def read_network(
    settings: Neo4jSettings,
    *,
    strength_weights: Mapping[str, float] | None = None,
    default_strength: float = DEFAULT_STRENGTH,
) -> Network:
    """Read the network held in Neo4j into a :class:`Network`.

    Reads every ``:Organization`` node and every relationship between two of
    them whose type is a tie type; capability and market nodes are not
    needed (the organisation's ``capabilities``/``markets`` lists are read,
    so their order is kept). Organisations and ties come back in their input
    order (the ``row`` property), so every analysis gives the same result as
    on the data directory that was loaded. Tie strength is derived from the
    qualities with ``strength_weights`` and ``default_strength``, as when
    reading files.

    Raises
    ------
    StoreError
        Server problems (see :func:`load_network`), or a database that holds
        no organisations or organisations without an ``id``.
    """
    with _open(settings) as st:
        orgs = st.read(text("read_organizations"), doing="reading organisations")
        ties = st.read(text("read_ties"), doing="reading ties", types=list(TIE_TYPES))
    where = _where(settings)
    if not orgs:
        raise StoreError(
            f"{where} holds no :Organization nodes; load a data directory first: netmap load DIR --neo4j"
        )
    nodes = _nodes_frame(orgs, where)
    edges = _edges_frame(ties)
    label = settings.uri + (f" database {settings.database}" if settings.database else "")
    return Network(nodes, edges, source=f"Neo4j {label}", strength_weights=strength_weights,
                   default_strength=default_strength)


def write_properties(
    settings: Neo4jSettings,
    table: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    key: str = "id",
    prefix: str = "netmap_",
) -> int:
    """Store columns of ``table`` as properties of the matching ``:Organization`` nodes.

    Parameters
    ----------
    table : DataFrame
        One row per organisation; ``key`` holds the organisation id.
    columns : mapping
        ``{column: property}``; each value is written as ``<prefix><property>``
        (e.g. ``pagerank`` -> ``netmap_pagerank``). Missing values (NaN)
        remove the property.
    key : str, optional (default="id")
    prefix : str, optional (default="netmap_")

    Returns
    -------
    int
        The number of organisations updated (ids not in the database are
        skipped).

    Raises
    ------
    NetmapError
        A column that is not in the table, a property name that is not a
        plain identifier, or several rows for one organisation.
    """
    if key not in table.columns:
        raise NetmapError(f"the results have no '{key}' column to match organisations by")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise NetmapError(f"the results have no column {', '.join(repr(m) for m in missing)} to write back")
    props = {}
    for col, prop in columns.items():
        name = prop if prop.startswith(prefix) else prefix + prop
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise NetmapError(f"'{prop}' cannot be a Neo4j property name; use letters, digits and _")
        props[col] = name
    ids = table[key].astype(str)
    dup = ids[ids.duplicated()]
    if len(dup):
        raise NetmapError(
            f"the results list organisation '{dup.iloc[0]}' more than once; write back one row per organisation"
        )
    cols = {c: table[c].tolist() for c in props}
    rows = [[i, {props[c]: _plain(cols[c][n]) for c in props}] for n, i in enumerate(ids.tolist())]
    with _open(settings) as st:
        q = text("write_properties")
        return sum(st.write_batches(q, rows, doing="writing results back", count="n"))


def detect_server(settings: Neo4jSettings) -> ServerProfile:
    """Ask the server what it is: Neo4j (with version and edition) or a server without constraints."""
    with _open(settings) as st:
        return st.profile


def packed_size(value) -> int:
    """Bytes that ``value`` takes in a Bolt message (PackStream), as the driver encodes it.

    Examples
    --------
    >>> packed_size(["S1", "F1", 0.5, None, True])
    18
    """
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, int):
        if -16 <= value < 128:
            return 1
        if -128 <= value < 128:
            return 2
        if -32768 <= value < 32768:
            return 3
        if -(2 ** 31) <= value < 2 ** 31:
            return 5
        return 9
    if isinstance(value, float):
        return 9
    if isinstance(value, str):
        n = len(value.encode("utf-8"))
        return n + _header(n)
    if isinstance(value, (list, tuple)):
        return _header(len(value)) + sum(packed_size(v) for v in value)
    if isinstance(value, dict):
        return _header(len(value)) + sum(packed_size(k) + packed_size(v) for k, v in value.items())
    if isinstance(value, _dt.date):
        return 2 + packed_size(value.toordinal())
    return 64


def cypher_text_size(value) -> int:
    """Characters that ``value`` takes when written out as a Cypher literal (an upper bound).

    Floats count as the longer of ``%f`` and ``repr`` forms.

    Examples
    --------
    >>> cypher_text_size(["S1", 0.5, None])
    23
    """
    if value is None:
        return 4
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(str(value))
    if isinstance(value, float):
        return max(len(f"{value:f}"), len(repr(value))) + 1
    if isinstance(value, str):
        return len(value.encode("utf-8")) + 2 + value.count("'") + value.count('"') + value.count("\\")
    if isinstance(value, (list, tuple)):
        return 2 + sum(cypher_text_size(v) for v in value) + 2 * max(len(value) - 1, 0)
    if isinstance(value, dict):
        return 2 + sum(len(str(k)) + 2 + cypher_text_size(v) for k, v in value.items()) + 2 * max(len(value) - 1, 0)
    return 40


def _row_sizes(row) -> tuple[int, int]:
    """(packed bytes, Cypher text characters) of one row; a fast path for flat rows of scalars."""
    if not isinstance(row, list):
        return packed_size(row), cypher_text_size(row)
    p = _header(len(row))
    t = 2 + 2 * max(len(row) - 1, 0)
    for v in row:
        if v is None:
            p += 1
            t += 4
        elif v.__class__ is str:
            n = len(v) if v.isascii() else len(v.encode("utf-8"))
            p += n + _header(n)
            t += n + 2 + v.count("'") + v.count('"') + v.count("\\")
        elif v.__class__ is float:
            p += 9
            t += max(len(f"{v:f}"), len(repr(v))) + 1
        elif v.__class__ is int:
            p += 1 if -16 <= v < 128 else packed_size(v)
            t += len(str(v))
        elif v.__class__ is bool:
            p += 1
            t += 5
        else:
            p += packed_size(v)
            t += cypher_text_size(v)
    return p, t


def _header(n: int) -> int:
    return 1 if n < 16 else 2 if n < 256 else 3 if n < 65536 else 5


# ---------------------------------------------------------------- connection
class _Store:
    """One driver and one session, with netmap's error messages and batch accounting."""

    def __init__(self, settings: Neo4jSettings, profile: ServerProfile | None) -> None:
        self.settings = settings
        self.batches = 0
        self.largest_message = 0
        self.driver = _driver(settings)
        self.session = None
        try:
            self._verify()
            self.session = self.driver.session(database=settings.database or None, fetch_size=10_000)
            self.detected = self._detect()
            self.profile = profile or self.detected
        except BaseException:
            self.close()
            raise

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
                    raise _translate(e, self.settings, "connecting") from e
            except AuthError as e:
                raise _translate(e, self.settings, "connecting") from e
            except Neo4jError as e:
                raise StoreError(
                    f"{_where(self.settings)} refused to log in user '{self.settings.user}' "
                    f"({_reason(e)}); check NEO4J_USERNAME and NEO4J_PASSWORD "
                    "(or --neo4j-user and --neo4j-password)"
                ) from e
            except (ValueError, OSError) as e:
                raise _translate(e, self.settings, "connecting") from e

    def _detect(self) -> ServerProfile:
        from neo4j.exceptions import ClientError, DatabaseError

        try:
            recs = self.session.execute_read(_fetch, text("server_components"), {})
        except (ClientError, DatabaseError) as e:
            code = e.code or ""
            if "Security" in code or "DatabaseNotFound" in code or "Database.DatabaseUnavailable" in code:
                raise _translate(e, self.settings, "connecting") from e
            return TEST_SERVER_PROFILE
        except Exception as e:  # noqa: BLE001 - every driver failure becomes one sentence
            raise _translate(e, self.settings, "connecting") from e
        if not recs:
            return TEST_SERVER_PROFILE
        r = recs[0]
        versions = r.get("versions") or [""]
        return replace(NEO4J_PROFILE, product=str(r.get("name") or "Neo4j").replace(" Kernel", ""),
                       version=str(versions[0]), edition=str(r.get("edition") or ""))

    # -- reads and writes, each a managed transaction
    def read(self, query: str, *, doing: str, **params) -> list[dict]:
        try:
            return self.session.execute_read(_fetch, query, params)
        except Exception as e:  # noqa: BLE001
            raise _translate(e, self.settings, doing) from e

    def write(self, query: str, *, doing: str, size: int | None = None, **params) -> list[dict]:
        self._account(query, params, size)
        try:
            return self.session.execute_write(_fetch, query, params)
        except Exception as e:  # noqa: BLE001
            raise _translate(e, self.settings, doing) from e

    def write_many(self, units: list[_Unit]) -> None:
        """Run ``units`` (one statement each) inside one managed write transaction.

        The driver retries the whole transaction on transient errors; a
        failure names what the statement that was running was doing.
        """
        now = [units[0].doing]

        def work(tx) -> None:
            for u in units:
                now[0] = u.doing
                tx.run(u.query, u.params).consume()

        for u in units:
            self.batches += 1
            self.largest_message = max(self.largest_message, u.size)
        try:
            self.session.execute_write(work)
        except Exception as e:  # noqa: BLE001
            raise _translate(e, self.settings, now[0]) from e

    def write_batches(self, query: str, rows: list, *, doing: str, param: str = "rows",
                      progress: Callable[[int], None] | None = None, count: str | None = None) -> Iterator[int]:
        """Write ``rows`` in batches that fit the server's message size; yield per-batch counts."""
        for batch, size in _sized_batches(rows, query, self.profile, doing):
            recs = self.write(query, doing=doing, size=size, **{param: batch})
            if progress is not None:
                progress(len(batch))
            yield int(recs[0][count]) if count and recs else len(batch)

    def _account(self, query: str, params: dict, size: int | None = None) -> None:
        if size is None:
            size = len(query.encode("utf-8")) + _MESSAGE_OVERHEAD + packed_size(params)
        self.batches += 1
        self.largest_message = max(self.largest_message, size)

    def close(self) -> None:
        try:
            if self.session is not None:
                self.session.close()
        except Exception:  # noqa: BLE001 - closing a lost connection must not hide the real error
            pass
        detected = getattr(self, "detected", None)
        quirky = detected is None or detected is TEST_SERVER_PROFILE
        if quirky:
            _drop_connections(self.driver)
        try:
            self.driver.close()
        except Exception:  # noqa: BLE001
            pass
        if quirky:
            _nudge(self.settings.uri)


@contextmanager
def _open(settings: Neo4jSettings, profile: ServerProfile | None = None) -> Iterator[_Store]:
    st = _Store(settings, profile)
    try:
        yield st
    finally:
        st.close()


def _driver(settings: Neo4jSettings):
    from neo4j import GraphDatabase

    t = float(settings.timeout)
    scheme = urlsplit(settings.uri).scheme.lower() if "://" in settings.uri else ""
    try:
        if scheme not in _BOLT_SCHEMES:
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
            f"'{settings.uri}' is not a Bolt URI netmap can use ({_reason(e)}); write it as "
            "neo4j://HOST:7687 or bolt://HOST:7687 (neo4j+s:// for Aura)"
        ) from e


_BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


def _fetch(tx, query: str, params: dict) -> list[dict]:
    result = tx.run(query, params)
    keys = result.keys()
    return [dict(zip(keys, rec)) for rec in result]


_HANDSHAKE = b"\x60\x60\xb0\x17" + b"\x00\x04\x04\x05" + b"\x00\x00\x00\x04" + b"\x00\x00\x00\x03" + b"\x00" * 4


def _nudge(uri: str, tries: int = 4) -> None:
    """Make sure the next connection to a FalkorDB Bolt endpoint gets an answer.

    That server leaves the first handshake after a client's goodbye
    unanswered. Each try opens a connection and sends a Bolt handshake; an
    unanswered one has used up that turn, an answered one shows the way is
    clear (and a bare handshake leaves nothing behind).
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


def _drop_connections(driver) -> None:
    """Close the driver's idle connections without a Bolt goodbye.

    Used only with servers other than Neo4j: FalkorDB's Bolt endpoint stops
    answering the next handshake after a goodbye. Neo4j connections always
    get the normal close.
    """
    pool = getattr(driver, "_pool", None)
    for conns in list(getattr(pool, "connections", {}).values()):
        for conn in list(conns):
            try:
                conn.kill()
            except Exception:  # noqa: BLE001 - best effort; driver.close() follows
                pass


def _port_open(address) -> bool:
    try:
        with socket.create_connection(address, timeout=0.5):
            return True
    except OSError:
        return False


def _where(settings: Neo4jSettings) -> str:
    return f"the Neo4j server at {settings.uri}" + (f" (database '{settings.database}')" if settings.database else "")


def _reason(e: BaseException) -> str:
    msg = getattr(e, "message", None) or str(e) or type(e).__name__
    return msg.strip().splitlines()[0][:200]


def _translate(e: BaseException, settings: Neo4jSettings, doing: str) -> NetmapError:
    """One clear sentence for a driver failure; never includes the password."""
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
    where = _where(settings)
    code = getattr(e, "code", None) or ""
    if isinstance(e, AuthError) or "Security.Unauthorized" in code or "AuthenticationRateLimit" in code:
        return StoreError(
            f"{where} rejected the user name or password of user '{settings.user}'; check NEO4J_USERNAME "
            "and NEO4J_PASSWORD (or --neo4j-user and --neo4j-password)"
        )
    if "Security.Forbidden" in code:
        return StoreError(f"user '{settings.user}' is not allowed to do this on {where} while {doing}; "
                          "ask the database administrator for write access")
    if "DatabaseNotFound" in code:
        return StoreError(
            f"the Neo4j server at {settings.uri} has no database '{settings.database}'; check NEO4J_DATABASE "
            "(or --neo4j-database), or leave it unset for the server's default database"
        )
    if isinstance(e, (ServiceUnavailable, SessionExpired, IncompleteCommit, ConnectionError)):
        if doing == "connecting":
            return StoreError(
                f"cannot reach a Neo4j server at {settings.uri}: nothing answered or the connection was refused; "
                "check that the server is running and that NEO4J_URI (or --neo4j-uri) names the right host and port"
            )
        return StoreError(
            f"lost the connection to {where} while {doing} (the server stopped answering); "
            "start it again and re-run the same command: loading is idempotent and writes only what is missing"
        )
    if isinstance(e, (ConfigurationError, ValueError)):
        return StoreError(f"cannot use the Neo4j settings for {settings.uri}: {_reason(e)}")
    if isinstance(e, Neo4jError):
        return StoreError(f"{where} failed while {doing}: {_reason(e)}")
    if isinstance(e, OSError):
        return StoreError(f"cannot talk to {where} while {doing}: {_reason(e)}")
    raise e


# ---------------------------------------------------------------- batching
def _batches(rows: list, query: str, profile: ServerProfile, doing: str) -> Iterator[list]:
    """Split ``rows`` so that each message (query, rows, overhead) fits the profile's budget."""
    for batch, _ in _sized_batches(rows, query, profile, doing):
        yield batch


def _sized_batches(rows: list, query: str, profile: ServerProfile, doing: str) -> Iterator[tuple[list, int]]:
    """:func:`_batches` with the encoded size of each message."""
    qlen = len(query.encode("utf-8"))
    budget = profile.message_bytes - qlen - _MESSAGE_OVERHEAD
    tbudget = (profile.text_bytes - qlen - _MESSAGE_OVERHEAD) if profile.text_bytes else None
    cur: list = []
    size = tsize = 5
    for r in rows:
        s, t = _row_sizes(r)
        t = t + 2 if tbudget is not None else 0
        if s + 5 > budget or (tbudget is not None and t + 5 > tbudget):
            what = r[0] if isinstance(r, list) and r else r
            raise StoreError(
                f"one row ({what!r}, {s:,} bytes) is larger than {profile.describe()} accepts in one message "
                f"({profile.message_bytes:,} bytes) while {doing}; shorten its text fields"
            )
        if cur and (size + s > budget or len(cur) >= profile.max_rows
                    or (tbudget is not None and tsize + t > tbudget)):
            yield cur, size + qlen + _MESSAGE_OVERHEAD
            cur, size, tsize = [], 5, 5
        cur.append(r)
        size += s
        tsize += t
    if cur:
        yield cur, size + qlen + _MESSAGE_OVERHEAD


# ---------------------------------------------------------------- schema
def _ensure_schema(st: _Store) -> str:
    from neo4j.exceptions import Neo4jError

    keys = (("Organization", "id"), ("Capability", "name"), ("Market", "name"))
    note = ""
    if st.profile.constraints:
        try:
            for label, key in keys:
                st.write(statement("schema_constraint", label=label, key=key), doing="creating the schema")
            return "uniqueness constraints on :Organization(id), :Capability(name), :Market(name)"
        except StoreError as e:
            cause = e.__cause__
            code = getattr(cause, "code", "") or ""
            if not isinstance(cause, Neo4jError) or "Security" in code:
                raise
            if "Schema" in code and "AlreadyExists" not in code:
                raise StoreError(
                    f"cannot create the uniqueness constraint on {_where(st.settings)}: {_reason(cause)}; "
                    "remove duplicate organisation ids or conflicting indexes, then load again"
                ) from cause
            note = " (the server refused CREATE CONSTRAINT)"
    try:
        existing = {(r["label"], tuple(r["properties"])) for r in st.read(text("list_indexes"), doing="listing indexes")}
    except StoreError:
        existing = set()
    for label, key in keys:
        if (label, (key,)) not in existing:
            st.write(statement("schema_index", label=label, key=key), doing="creating the schema")
    return "indexes on :Organization(id), :Capability(name), :Market(name)" + note


# ---------------------------------------------------------------- encoding
def _num(x):
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _text(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    s = str(x)
    return s if s else None


def _list(xs):
    xs = [str(x) for x in (xs or ())]
    return xs or None


def _date(x, native: bool):
    if x is None or x is pd.NaT or (isinstance(x, float) and math.isnan(x)):
        return None
    if hasattr(x, "to_native"):  # neo4j.time.Date / DateTime
        x = x.to_native()
    if isinstance(x, str):
        try:
            x = _dt.date.fromisoformat(x[:10])
        except ValueError:
            return x
    if isinstance(x, (pd.Timestamp, np.datetime64)):
        x = pd.Timestamp(x)
        if pd.isna(x):
            return None
        x = x.date()
    if isinstance(x, _dt.datetime):
        x = x.date()
    return x if native else x.isoformat()


def _org_rows(network: Network) -> dict[str, tuple[tuple[str, ...], list]]:
    """``{id: (role labels, row)}`` in input order."""
    n = network.nodes
    out: dict[str, tuple[tuple[str, ...], list]] = {}
    cols = {c: n[c].tolist() for c in ORG_KEYS if c != "row"}
    for i in range(len(n)):
        roles = tuple(cols["roles"][i])
        row = [
            str(cols["id"][i]), _text(cols["name"][i]), _list(roles), bool(cols["focal"][i]),
            _text(cols["country"][i]), _text(cols["region"][i]), _text(cols["industry"][i]),
            _list(cols["capabilities"][i]), _list(cols["markets"][i]),
            _num(cols["revenue"][i]), _num(cols["employees"][i]), _num(cols["clv"][i]),
            _num(cols["satisfaction"][i]), i + 2,
        ]
        out[row[0]] = (tuple(ROLE_LABELS[r] for r in ROLES if r in roles), row)
    return out


def _tie_rows(network: Network, native_dates: bool) -> dict[tuple[str, str, str, str], list]:
    """``{(source, target, type, category): row}`` in input order."""
    e = network.edges
    cats = [str(c or "") for c in e["category"].tolist()]
    cols = [
        [str(x) for x in e["source"].tolist()], [str(x) for x in e["target"].tolist()], cats,
        _num_column(e["value"]), *(_num_column(e[q]) for q in QUALITIES),
        _date_column(e["since"], native_dates), _date_column(e["until"], native_dates),
        [bool(x) for x in e["exclusive"].tolist()], [int(x) for x in e["row"].tolist()],
    ]
    types = [str(x) for x in e["type"].tolist()]
    return dict(zip(zip(cols[0], cols[1], types, cats), map(list, zip(*cols))))


def _num_column(s: pd.Series) -> list:
    """:func:`_num` of every value (NaN -> None), vectorised for numeric columns."""
    if s.dtype.kind not in "fiub":
        return [_num(x) for x in s.tolist()]
    return [None if v != v else v for v in s.to_numpy(dtype=float).tolist()]


def _date_column(s: pd.Series, native: bool) -> list:
    """:func:`_date` of every value, vectorised for datetime columns."""
    if s.dtype.kind != "M" or getattr(s.dtype, "tz", None) is not None:
        return [_date(x, native) for x in s.tolist()]
    days = s.to_numpy().astype("datetime64[D]")
    if native:
        return days.astype(object).tolist()
    return [None if v == "NaT" else v for v in days.astype(str).tolist()]


def _compact(row: list) -> list:
    """The row as sent: whole-number floats as integers (the statements store them with toFloat)."""
    return [int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53 else v for v in row]


def _tie_wire(rows: list) -> tuple[list, list]:
    """Tie rows as sent, split by how their qualities travel.

    Returns (rows whose four qualities are exact whole hundredths, sent as
    integers and divided by 100.0 in Cypher; the other rows, their qualities
    as they are). ``n / 100.0`` is correctly rounded in Python, Neo4j and
    the test server alike, so ``round(v * 100) / 100 == v`` means ``v`` is
    stored exactly; "48" takes 2 characters of a message instead of the 9 of
    "0.480000". A whole-number ``value`` travels as an integer
    (``toFloat`` stores it as a float).
    """
    hundredths, plain = [], []
    big = 2 ** 53
    for r in rows:
        v = r[3]
        if v.__class__ is float and v.is_integer() and -big < v < big:
            v = int(v)
        q = []
        for x in r[4:8]:
            if x is None:
                q.append(None)
                continue
            if not (x.__class__ in (int, float) and -1e9 < x < 1e9):
                break
            n = round(x * 100)
            if n / 100 != x:
                break
            q.append(n)
        else:
            hundredths.append([r[0], r[1], r[2], v, *q, *r[8:]])
            continue
        plain.append(_compact(r))
    return hundredths, plain


def _plain(v):
    """A value the driver can send as a property: numbers, text, booleans, lists of text; NaN -> None."""
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(float(v)) else float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, (tuple, list, set, frozenset, np.ndarray)):
        return [str(x) for x in v]
    if v is pd.NaT:
        return None
    if isinstance(v, (pd.Timestamp, _dt.date)):
        return v.isoformat()[:10] if isinstance(v, pd.Timestamp) else v.isoformat()
    return str(v)


# ---------------------------------------------------------------- snapshot and plan
@dataclass
class _Snapshot:
    orgs: dict[str, tuple[set[str], list]]       # id -> (role labels, row as stored)
    org_nodes: int
    ties: dict[tuple[str, str, str, str], list]  # key -> row as stored
    tie_dups: set[tuple[str, str, str, str]]
    links: dict[str, set[tuple[str, str]]]       # attr -> {(id, name)}


def _snapshot(st: _Store) -> _Snapshot:
    native = st.profile.native_dates
    orgs: dict[str, tuple[set[str], list]] = {}
    recs = st.read(text("read_organizations"), doing="reading what the database holds")
    role_labels = set(ROLE_LABELS.values())
    for r in recs:
        if r["id"] is None:
            continue
        p = r["props"] or {}
        row = [
            str(r["id"]), p.get("name"), _list(p.get("roles")), p.get("focal"),
            p.get("country"), p.get("region"), p.get("industry"),
            _list(p.get("capabilities")), _list(p.get("markets")),
            p.get("revenue"), p.get("employees"), p.get("clv"), p.get("satisfaction"), p.get("row"),
        ]
        orgs[str(r["id"])] = (set(r["labels"] or ()) & role_labels, row)
    ties: dict[tuple[str, str, str, str], list] = {}
    seen: Counter = Counter()
    for r in st.read(text("read_ties"), doing="reading what the database holds", types=list(TIE_TYPES)):
        p = r["props"] or {}
        cat = p.get("category")
        cat = "" if cat is None else str(cat)
        key = (str(r["source"]), str(r["target"]), str(r["type"]), cat)
        seen[key] += 1
        ties[key] = [key[0], key[1], cat, p.get("value"), *(p.get(q) for q in QUALITIES),
                     _date(p.get("since"), native), _date(p.get("until"), native), p.get("exclusive"), p.get("row")]
    links = {}
    for attr, (label, rel) in LINKS.items():
        got = st.read(statement("read_links", label=label, rel=rel), doing="reading what the database holds")
        links[attr] = {(str(r["id"]), str(name)) for r in got for name in r["names"]}
    return _Snapshot(orgs, len(recs), ties, {k for k, n in seen.items() if n > 1}, links)


@dataclass
class _Plan:
    files_orgs: dict
    files_ties: dict
    files_links: dict[str, set[tuple[str, str]]]
    org_groups: dict[tuple[str, ...], list]      # role labels -> rows to merge
    org_added: int
    org_updated: int
    remove_labels: dict[str, list[str]]          # label -> ids
    tie_groups: dict[str, list]                  # type -> rows to merge (changed ties)
    tie_new: dict[str, list]                     # type -> rows to create (not in the database)
    tie_added: Counter
    tie_updated: Counter
    tie_delete: dict[str, list]                  # type -> [source, target, category] (duplicates, pruned)
    link_add: dict[str, list]
    link_delete: dict[str, list]
    stale_orgs: set[str]
    stale_ties: set[tuple[str, str, str, str]]
    prune: bool
    snapshot: _Snapshot

    def total_rows(self) -> int:
        return (sum(len(v) for v in self.org_groups.values()) + sum(len(v) for v in self.remove_labels.values())
                + sum(len(v) for v in self.tie_groups.values()) + sum(len(v) for v in self.tie_new.values())
                + sum(len(v) for v in self.tie_delete.values())
                + sum(len(v) for v in self.link_add.values()) + sum(len(v) for v in self.link_delete.values())
                + (len(self.stale_orgs) if self.prune else 0))


def _plan(network: Network, snap: _Snapshot, profile: ServerProfile, prune: bool) -> _Plan:
    forgs = _org_rows(network)
    fties = _tie_rows(network, profile.native_dates)
    org_groups: dict[tuple[str, ...], list] = defaultdict(list)
    remove_labels: dict[str, list[str]] = defaultdict(list)
    added = updated = 0
    for oid, (labels, row) in forgs.items():
        have = snap.orgs.get(oid)
        if have is None:
            added += 1
            org_groups[labels].append(row)
            continue
        have_labels, have_row = have
        if have_row[:-1] != row[:-1] or not set(labels) <= have_labels:
            updated += 1
            org_groups[labels].append(row)
        elif have_row[-1] != row[-1]:  # only its row number in the file moved
            org_groups[labels].append(row)
        for extra in sorted(have_labels - set(labels)):
            remove_labels[extra].append(oid)
    stale_orgs = set(snap.orgs) - set(forgs)

    tie_groups: dict[str, list] = defaultdict(list)
    tie_new: dict[str, list] = defaultdict(list)
    tie_delete: dict[str, list] = defaultdict(list)
    t_added: Counter = Counter()
    t_updated: Counter = Counter()
    for key in sorted(snap.tie_dups):  # several relationships for one key: delete them, merge one again
        tie_delete[key[2]].append([key[0], key[1], key[3]])
    for key, row in fties.items():
        have = snap.ties.get(key)
        if have is None:
            t_added[key[2]] += 1
            tie_new[key[2]].append(row)
        elif have[:-1] != row[:-1] or key in snap.tie_dups:
            t_updated[key[2]] += 1
            tie_groups[key[2]].append(row)
        elif have[-1] != row[-1]:  # only its row number in the file moved
            tie_groups[key[2]].append(row)
    stale_ties = set(snap.ties) - set(fties)
    if prune:
        for key in sorted(stale_ties - snap.tie_dups):
            tie_delete[key[2]].append([key[0], key[1], key[3]])

    files_links = {attr: {(oid, name) for oid, (_, row) in forgs.items()
                          for name in (row[ORG_KEYS.index(attr)] or ())} for attr in LINKS}
    link_add, link_delete = {}, {}
    for attr in LINKS:
        have = snap.links[attr]
        link_add[attr] = [list(x) for x in sorted(files_links[attr] - have)]
        link_delete[attr] = [list(x) for x in sorted(x for x in have - files_links[attr] if x[0] in forgs)]
    return _Plan(forgs, fties, files_links, dict(org_groups), added, updated, dict(remove_labels),
                 dict(tie_groups), dict(tie_new), t_added, t_updated, dict(tie_delete), link_add, link_delete,
                 stale_orgs, stale_ties, prune, snap)


@dataclass
class _Unit:
    """One statement of a load: a query, its parameters, its encoded size and its number of rows."""

    query: str
    params: dict
    size: int
    rows: int
    doing: str


def _execute(st: _Store, plan: _Plan, progress: Callable[[int], None] | None) -> None:
    """Write the plan.

    Every batch is cut (and checked against the server's limits) before the
    first write. Consecutive batches then share one managed write
    transaction, up to ``profile.tx_rows`` rows: the limit on message size is
    per message, not per transaction, so the commit is paid once per
    thousands of rows. ``progress`` hears of a transaction's rows once it has
    been committed.
    """
    units: list[_Unit] = []
    profile = st.profile

    def add(query: str, rows: list, doing: str, param: str = "r", **extra) -> None:
        for batch, size in _sized_batches(rows, query, profile, doing):
            units.append(_Unit(query, {param: batch, **extra}, size, len(batch), doing))

    def ties(name: str, t: str, rows: list, doing: str) -> None:
        if not rows:
            return
        query = statement(name, type=t)
        hundredths, plain = _tie_wire(rows)
        add(query, hundredths, doing, d=100.0)
        add(query, plain, doing, d=1.0)

    for t in TIE_TYPES:  # duplicates and pruned ties first, so that MERGE recreates exactly one
        add(statement("delete_ties", type=t), plan.tie_delete.get(t, []), f"deleting {t} ties")
    if plan.prune:
        add(text("delete_organizations"), sorted(plan.stale_orgs), "deleting organisations", "ids")
    for labels in sorted(plan.org_groups):
        add(statement("merge_organizations", labels=["Organization", *labels]),
            [_compact(r) for r in plan.org_groups[labels]], "loading organisations")
    for label in sorted(plan.remove_labels):
        add(statement("remove_label", label=label), plan.remove_labels[label], "updating role labels", "ids")
    for attr, (label, rel) in LINKS.items():
        add(statement("delete_links", label=label, rel=rel), plan.link_delete[attr], f"updating {attr}")
        add(statement("merge_links", label=label, rel=rel), plan.link_add[attr], f"loading {attr}")
    for t in TIE_TYPES:
        ties("merge_ties", t, plan.tie_groups.get(t, []), f"updating {t} ties")
        ties("create_ties", t, plan.tie_new.get(t, []), f"loading {t} ties")

    i = 0
    while i < len(units):
        j, n = i + 1, units[i].rows
        while j < len(units) and n + units[j].rows <= profile.tx_rows:
            n += units[j].rows
            j += 1
        st.write_many(units[i:j])
        if progress is not None:
            progress(n)
        i = j


def _delete_orphans(st: _Store, attr: str) -> int:
    label, rel = LINKS[attr]
    recs = st.write(statement("delete_orphans", label=label, rel=rel), doing=f"tidying {attr}")
    return int(recs[0]["deleted"]) if recs else 0


def _count(st: _Store) -> dict:
    doing = "counting what the database holds"
    o = st.read(text("count_organizations"), doing=doing)[0]
    ties = {r["type"]: int(r["n"]) for r in st.read(text("count_ties"), doing=doing, types=list(TIE_TYPES))}
    out = {"org_nodes": int(o["nodes"]), "org_ids": int(o["ids"]), "ties": ties}
    for attr, (label, rel) in LINKS.items():
        n = st.read(statement("count_named", label=label), doing=doing)[0]
        out[attr] = (int(n["nodes"]), int(n["names"]))
        out[attr + "_links"] = int(st.read(statement("count_links", label=label, rel=rel), doing=doing)[0]["n"])
    return out


def _check(plan: _Plan, counts: dict, deleted_orphans: dict[str, int]) -> pd.DataFrame:
    """The report table; raises StoreError unless the database holds exactly what it should."""
    snap = plan.snapshot
    kept_orgs = set() if plan.prune else plan.stale_orgs
    kept_ties = set() if plan.prune else plan.stale_ties
    rows = []
    problems = []

    n_files = len(plan.files_orgs)
    want = n_files + len(kept_orgs)
    if counts["org_nodes"] != want or counts["org_ids"] != want:
        problems.append(f"{counts['org_nodes']:,} :Organization nodes with {counts['org_ids']:,} distinct ids "
                        f"(expected {want:,})")
    rows.append({"item": "organisations", "in_files": n_files, "in_database": counts["org_nodes"],
                 "added": plan.org_added, "updated": plan.org_updated,
                 "unchanged": n_files - plan.org_added - plan.org_updated,
                 "not_in_files": len(plan.stale_orgs), "deleted": len(plan.stale_orgs) if plan.prune else 0})

    by_type_files = Counter(k[2] for k in plan.files_ties)
    by_type_kept = Counter(k[2] for k in kept_ties)
    by_type_stale = Counter(k[2] for k in plan.stale_ties)
    type_rows = []
    for t in TIE_TYPES:
        want_t = by_type_files[t] + by_type_kept[t]
        got = counts["ties"].get(t, 0)
        if got != want_t:
            problems.append(f"{got:,} {t} relationships (expected {want_t:,})")
        if by_type_files[t] or got or by_type_stale[t]:
            type_rows.append({
                "item": f"ties: {t}", "in_files": by_type_files[t], "in_database": got,
                "added": plan.tie_added[t], "updated": plan.tie_updated[t],
                "unchanged": by_type_files[t] - plan.tie_added[t] - plan.tie_updated[t],
                "not_in_files": by_type_stale[t], "deleted": by_type_stale[t] if plan.prune else 0,
            })
    total = {k: sum(r[k] for r in type_rows) for k in ("in_files", "in_database", "added", "updated",
                                                       "unchanged", "not_in_files", "deleted")}
    rows.append({"item": "ties", **total})
    rows.extend(type_rows)

    for attr, (label, rel) in LINKS.items():
        word = _LINK_WORD[attr]
        files_links = plan.files_links[attr]
        kept_links = {x for x in snap.links[attr] if x[0] in kept_orgs}
        want_links = files_links | kept_links
        names_files = {n for _, n in files_links}
        want_names = {n for _, n in want_links}
        nodes, names = counts[attr]
        got_links = counts[attr + "_links"]
        if nodes != len(want_names) or names != len(want_names):
            problems.append(f"{nodes:,} :{label} nodes with {names:,} distinct names (expected {len(want_names):,})")
        if got_links != len(want_links):
            problems.append(f"{got_links:,} {rel} relationships (expected {len(want_links):,})")
        names_before = {n for _, n in snap.links[attr]}
        rows.append({"item": f"{attr}", "in_files": len(names_files), "in_database": nodes,
                     "added": len(names_files - names_before), "updated": 0,
                     "unchanged": len(names_files & names_before),
                     "not_in_files": len(names_before - names_files), "deleted": deleted_orphans[attr]})
        rows.append({"item": f"{word} links", "in_files": len(files_links), "in_database": got_links,
                     "added": len(plan.link_add[attr]), "updated": 0,
                     "unchanged": len(files_links) - len(plan.link_add[attr]),
                     "not_in_files": len(snap.links[attr] - files_links),
                     "deleted": len(plan.link_delete[attr]) + (len([x for x in snap.links[attr] if x[0] in plan.stale_orgs])
                                                                if plan.prune else 0)})
    if problems:
        raise StoreError(
            "after the load the database does not hold what the files hold: " + "; ".join(problems)
            + ". Another client may have written at the same time; run the load again"
        )
    return pd.DataFrame(rows, columns=["item", "in_files", "in_database", "added", "updated", "unchanged",
                                       "not_in_files", "deleted"])


# ---------------------------------------------------------------- reading back
def _nodes_frame(orgs: list[dict], where: str) -> pd.DataFrame:
    missing = sum(1 for r in orgs if r["id"] is None)
    if missing:
        raise StoreError(f"{where} holds {missing:,} :Organization nodes without an id property; "
                         "give each one a unique id, or remove them")
    ids = [str(r["id"]) for r in orgs]
    dup = [k for k, n in Counter(ids).items() if n > 1]
    if dup:
        raise StoreError(f"{where} holds several :Organization nodes with id '{dup[0]}'"
                         + (f" (and {len(dup) - 1} more duplicated ids)" if len(dup) > 1 else "")
                         + "; ids must be unique: merge or remove the duplicates")
    label_role = {v: k for k, v in ROLE_LABELS.items()}
    recs = []
    for r in orgs:
        p = r["props"] or {}
        roles = p.get("roles")
        if not roles:
            roles = [label_role[lab] for lab in ROLE_LABELS.values() if lab in (r["labels"] or ())]
            roles = sorted(roles, key=ROLES.index)
        recs.append({
            "id": str(r["id"]), "name": p.get("name") or str(r["id"]), "roles": tuple(str(x) for x in roles),
            "focal": bool(p.get("focal") or False),
            "country": p.get("country") or "", "region": p.get("region") or "", "industry": p.get("industry") or "",
            "capabilities": tuple(str(x) for x in (p.get("capabilities") or ())),
            "markets": tuple(str(x) for x in (p.get("markets") or ())),
            "revenue": _num(p.get("revenue")), "employees": _num(p.get("employees")),
            "clv": _num(p.get("clv")), "satisfaction": _num(p.get("satisfaction")),
            "_row": p.get("row"),
        })
    df = pd.DataFrame(recs)
    df["_row"] = pd.to_numeric(df["_row"], errors="coerce")
    df = df.sort_values(["_row", "id"], na_position="last", kind="mergesort").drop(columns="_row")
    for c in ("revenue", "employees", "clv", "satisfaction"):
        df[c] = df[c].astype(float)
    return df.reset_index(drop=True)


def _edges_frame(ties: list[dict]) -> pd.DataFrame:
    cols = ["source", "target", "type", "value", "category", *QUALITIES, "since", "until", "exclusive", "row"]
    recs = []
    for r in ties:
        p = r["props"] or {}
        recs.append({
            "source": str(r["source"]), "target": str(r["target"]), "type": str(r["type"]),
            "value": _num(p.get("value")), "category": "" if p.get("category") is None else str(p.get("category")),
            **{q: _num(p.get(q)) for q in QUALITIES},
            "since": _date(p.get("since"), True), "until": _date(p.get("until"), True),
            "exclusive": bool(p.get("exclusive") or False), "row": p.get("row"),
        })
    if not recs:
        df = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
        df["row"] = df["row"].astype(np.int64)
        return df
    df = pd.DataFrame(recs, columns=cols)
    row = pd.to_numeric(df["row"], errors="coerce")
    df = df.assign(_row=row).sort_values(["_row", "source", "target", "type", "category"], na_position="last",
                                         kind="mergesort")
    r = df["_row"].to_numpy(dtype=float)
    if np.isnan(r).any():  # ties created outside netmap: number them after the others
        top = np.nanmax(r) if (~np.isnan(r)).any() else 1.0
        r[np.isnan(r)] = top + 1 + np.arange(int(np.isnan(r).sum()))
    df["row"] = r.astype(np.int64)
    for c in ("since", "until"):
        df[c] = pd.to_datetime(df[c], errors="coerce").astype("datetime64[ns]")
    for c in ("value", *QUALITIES):
        df[c] = df[c].astype(float)
    return df.drop(columns="_row").reset_index(drop=True)
