"""Where the Neo4j store connects (:class:`Neo4jSettings`) and what the server supports (:class:`ServerProfile`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["Neo4jSettings", "ServerProfile", "NEO4J_PROFILE", "split_credentials", "redact_uri"]


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach a Neo4j database.

    Parameters
    ----------
    uri : str
        Bolt URI, e.g. ``neo4j://localhost:7687`` (``neo4j+s://`` for Aura).
        A user and password written inside it (``bolt://neo4j:secret@host:7687``)
        are taken out of it: they are used unless ``user`` or ``password`` is
        given, and ``uri`` keeps only the rest, so that no message, log line
        or report shows the password.
    user : str, optional (default="neo4j")
    password : str
        Never shown: it is left out of ``repr`` and of every message.
    database : str or None, optional (default=None)
        ``None`` for the server's default database.
    timeout : float, optional (default=15)
        Seconds netmap waits for the server at any one time: to connect, for
        the answer to each statement, and for how long netmap retries
        transient failures. A server that sends nothing for longer is
        reported as not answering.

    Examples
    --------
    >>> s = Neo4jSettings("neo4j://localhost:7687", password="secret", database="sales")
    >>> "secret" in repr(s)
    False
    >>> s.location()
    "the Neo4j server at neo4j://localhost:7687 (database 'sales')"
    >>> t = Neo4jSettings("bolt://admin:s%40cret@db.example.com:7687")
    >>> t.uri, t.user, t.password == "s@cret", "cret" in repr(t)
    ('bolt://db.example.com:7687', 'admin', True, False)
    """

    uri: str
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None
    timeout: float = 15.0

    def __post_init__(self) -> None:
        uri, user, password = split_credentials(self.uri)
        if uri != self.uri:
            object.__setattr__(self, "uri", uri)
            if user and self.user == "neo4j":
                object.__setattr__(self, "user", user)
            if password is not None and not self.password:
                object.__setattr__(self, "password", password)

    def location(self) -> str:
        """The server and database in words, for messages (never the password)."""
        return f"the Neo4j server at {self.uri}" + (f" (database '{self.database}')" if self.database else "")


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """``(uri without user and password, user, password)`` of a URI; ``None`` for a part it does not hold.

    Examples
    --------
    >>> split_credentials("bolt://neo4j:SECRET@host:7687")
    ('bolt://host:7687', 'neo4j', 'SECRET')
    >>> split_credentials("neo4j+s://abc.databases.neo4j.io")
    ('neo4j+s://abc.databases.neo4j.io', None, None)
    """
    if "@" not in uri:
        return uri, None, None
    try:
        parts = urlsplit(uri)
        netloc = parts.netloc
    except ValueError:
        return redact_uri(uri), None, None
    if "@" not in netloc:
        return redact_uri(uri), None, None
    userinfo, _, hostport = netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return (urlunsplit(parts._replace(netloc=hostport)), unquote(user) or None,
            unquote(password) if colon else None)


def redact_uri(uri: str) -> str:
    """``uri`` with whatever stands before an ``@`` (a user and password) replaced by ``***``.

    For text that may be a malformed URI; :func:`split_credentials` takes a
    well-formed one apart.

    >>> redact_uri("neo4j:SECRET@host:7687"), redact_uri("bolt://u:p@h:1"), redact_uri("bolt://h:1")
    ('***@host:7687', 'bolt://***@h:1', 'bolt://h:1')
    """
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://)?(.*)@", uri, flags=re.S)
    if m is None:
        return uri
    return (m.group(1) or "") + "***@" + uri[m.end():]


@dataclass(frozen=True)
class ServerProfile:
    """What the server supports, and how large netmap makes each message.

    Parameters
    ----------
    product : str
        The server's name, e.g. ``"Neo4j"``.
    version, edition : str, optional
        As the server reports them (empty when it does not).
    constraints : bool, optional (default=True)
        ``CREATE CONSTRAINT`` is available (else an index is created).
    native_dates : bool, optional (default=True)
        ``since``/``until`` are stored as Neo4j dates (else as ISO
        ``YYYY-MM-DD`` strings).
    message_bytes : int, optional (default=1,000,000)
        The largest encoded Bolt message netmap sends.
    max_rows : int, optional (default=5,000)
        The most rows in one statement.
    text_bytes : int or None, optional (default=None)
        Where set, bounds the query plus its parameters written out as Cypher
        text (for servers that do so).
    tx_rows : int, optional (default=20,000)
        The most rows in one write transaction: it runs as many statements (one
        message each) as fit, so the cost of a commit is shared by thousands
        of rows while a retry still repeats little.
    parameters_as_text : bool, optional (default=False)
        The server writes the parameters into the query text: netmap then
        encodes every value so that it arrives unchanged (see
        :mod:`netmap.store.falkordb`).
    transaction_timeout : bool, optional (default=True)
        The server ends a transaction that runs longer than the timeout netmap
        gives it (Neo4j does).

    Examples
    --------
    >>> ServerProfile("Neo4j", "5.20.0", "enterprise").describe()
    'Neo4j 5.20.0 (enterprise)'
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
    parameters_as_text: bool = False
    transaction_timeout: bool = True

    def describe(self) -> str:
        """The product, version and edition in words."""
        return " ".join(b for b in (self.product, self.version, self.edition and f"({self.edition})") if b)


#: Neo4j 5: constraints, native dates, batches of up to 5,000 rows (1 MB).
NEO4J_PROFILE = ServerProfile("Neo4j")
