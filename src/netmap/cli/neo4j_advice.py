"""The command line's advice on Neo4j failures: which environment variable or option sets the setting at fault.

The store's messages name the setting in plain words and set ``param``
(``uri``, ``user``, ``password``, ``database``, ``timeout``, or ``marker``
for a load marker in the way); the commands read those settings from
NEO4J_URI ... or the ``--neo4j-*`` options and NETMAP_NEO4J_TIMEOUT, and
clear a marker with ``netmap load --clear-marker``, so the advice is added
here, where they are known.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import StoreError

__all__ = ["ADVICE", "neo4j_advice"]

#: Store parameter -> what to check on the command line.
ADVICE: dict[str, str] = {
    "uri": "the URI is set by NEO4J_URI or --neo4j-uri",
    "user": "the user is set by NEO4J_USERNAME or --neo4j-user",
    "password": "they are set by NEO4J_USERNAME and NEO4J_PASSWORD (or --neo4j-user and --neo4j-password)",
    "database": "the database is set by NEO4J_DATABASE or --neo4j-database",
    "timeout": "netmap waits that long for each answer; NETMAP_NEO4J_TIMEOUT sets it (seconds, 15 by default)",
    "marker": "netmap load --neo4j --clear-marker (with the same Neo4j settings) clears it",
}


@contextmanager
def neo4j_advice() -> Iterator[None]:
    """Add the command line's advice to a :class:`~netmap.errors.StoreError` raised in the block.

    Examples
    --------
    >>> with neo4j_advice():
    ...     raise StoreError("cannot reach a Neo4j server at bolt://h:7687", param="uri")
    Traceback (most recent call last):
    ...
    netmap.errors.StoreError: cannot reach a Neo4j server at bolt://h:7687; the URI is set by NEO4J_URI or --neo4j-uri
    """
    try:
        yield
    except StoreError as e:
        advice = ADVICE.get(e.param or "")
        if advice is None:
            raise
        raise StoreError(f"{e}; {advice}", param=e.param) from e
