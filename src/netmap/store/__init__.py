"""Stores of a Network besides the data directory: Neo4j over Bolt.

Load a network into Neo4j, read it back, and write analysis scores onto its
nodes::

    from netmap.store import Neo4jSettings, load_into_neo4j, read_from_neo4j, write_scores

    s = Neo4jSettings("neo4j://localhost:7687", "neo4j", "password")
    report = load_into_neo4j(netmap.read_network("sample_data"), s)   # report.table, report.sentence()
    net = read_from_neo4j(s)
    write_scores(s, scores, {"pagerank": "pagerank"})                  # -> netmap_pagerank
    clear_load_marker(s)       # only when a load died and left its marker (see netmap.store.marker)

One concept per module: :mod:`~netmap.store.settings` (where to connect,
what the server supports), :mod:`~netmap.store.connection` (driver, session,
what the server is, error messages), :mod:`~netmap.store.codec` (rows on the
wire, batch sizes), :mod:`~netmap.store.plan` and :mod:`~netmap.store.load`
(loading), :mod:`~netmap.store.check` (the end-of-load check),
:mod:`~netmap.store.marker` (the marker a load leaves while it writes),
:mod:`~netmap.store.read`, :mod:`~netmap.store.writeback`,
:mod:`~netmap.store.cypher` (the statements),
:mod:`~netmap.store.watchdog` (every wait bounded) and
:mod:`~netmap.store.falkordb` (everything particular to FalkorDB's Bolt
endpoint).
"""

from .codec import LINKS, cypher_text_size, packed_size
from .connection import detect_server
from .falkordb import FALKORDB_PROFILE
from .load import LoadReport, load_into_neo4j
from .marker import LoadMarker, clear_load_marker, load_marker
from .read import read_from_neo4j
from .settings import NEO4J_PROFILE, Neo4jSettings, ServerProfile
from .writeback import write_scores

__all__ = [
    "Neo4jSettings",
    "ServerProfile",
    "NEO4J_PROFILE",
    "FALKORDB_PROFILE",
    "LoadReport",
    "LINKS",
    "load_into_neo4j",
    "read_from_neo4j",
    "write_scores",
    "LoadMarker",
    "load_marker",
    "clear_load_marker",
    "detect_server",
    "packed_size",
    "cypher_text_size",
]
