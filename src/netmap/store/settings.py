"""Where the Neo4j store connects (:class:`Neo4jSettings`) and what the server supports (:class:`ServerProfile`)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Neo4jSettings", "ServerProfile", "NEO4J_PROFILE"]


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

    Examples
    --------
    >>> s = Neo4jSettings("neo4j://localhost:7687", password="secret", database="sales")
    >>> "secret" in repr(s)
    False
    >>> s.location()
    "the Neo4j server at neo4j://localhost:7687 (database 'sales')"
    """

    uri: str
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None
    timeout: float = 15.0

    def location(self) -> str:
        """The server and database in words, for messages (never the password)."""
        return f"the Neo4j server at {self.uri}" + (f" (database '{self.database}')" if self.database else "")


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

    def describe(self) -> str:
        """The product, version and edition in words."""
        return " ".join(b for b in (self.product, self.version, self.edition and f"({self.edition})") if b)


#: Neo4j 5: constraints, native dates, batches of up to 5,000 rows (1 MB).
NEO4J_PROFILE = ServerProfile("Neo4j")
