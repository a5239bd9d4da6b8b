"""Load a Network into Neo4j: idempotent, batched ``UNWIND ... MERGE``, checked by counting afterwards.

The graph model:

* ``(:Organization {id, name, roles, focal, country, region, industry,
  capabilities, markets, revenue, employees, clv, satisfaction, risk, row})`` with
  one extra label per role (``:Firm``, ``:Supplier``, ``:Distributor``,
  ``:ResearchPartner``, ``:Customer``);
* one relationship per tie, typed by the tie type (``SUPPLIES``,
  ``SELLS_THROUGH``, ``SELLS_TO``, ``COLLABORATES_WITH``, ``PARTNERS_WITH``),
  in the input direction, keyed by (source, target, type, ``category``) and
  carrying ``value``, ``trust``, ``communication``, ``commitment``,
  ``mutual_benefit``, ``since``, ``until``, ``exclusive`` and ``row``;
* ``(:Organization)-[:HAS_CAPABILITY]->(:Capability {name})`` and
  ``(:Organization)-[:SERVES_MARKET]->(:Market {name})``.

Every statement comes from ``cypher/*.cypher``; every value is a parameter.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import StoreError
from ..network import Network
from ..progress import bar as progress_bar, step as progress_step
from ..result import Result
from ..schema import TIE_TYPES
from . import falkordb, marker
from .check import verify
from .codec import LINKS, ORG_KEYS, TIE_KEYS, Batch, compact, tie_wire
from .connection import Connection, open_connection
from .failures import reason
from .cypher import statement, text
from .plan import Plan, plan, snapshot
from .settings import Neo4jSettings, ServerProfile

__all__ = ["LoadReport", "load_into_neo4j"]

# positions of the numbers in organisation and tie rows, and of each row's key
_ORG_NUMBERS = tuple(ORG_KEYS.index(k) for k in ("revenue", "employees", "clv", "satisfaction", "risk"))
_TIE_NUMBERS = tuple(range(TIE_KEYS.index("value"), TIE_KEYS.index("value") + 5))  # value and the four qualities


@dataclass(repr=False)
class LoadReport(Result):
    """What :func:`load_into_neo4j` did: a :class:`~netmap.result.Result` with one table, ``load``.

    The table has one row per kind of thing (organisations, ties, ties of
    each type, capabilities and their links, markets and their links) with
    the columns ``item``, ``in_files``, ``in_database`` (after the load,
    checked), ``added``, ``updated``, ``unchanged``, ``not_in_files`` (in the
    database before the load but not in the files) and ``deleted`` (removed
    by ``prune`` or because they were stale links or duplicates).
    ``meta`` holds ``server``, ``schema``, ``batches``,
    ``largest_message_bytes``, ``seconds`` and ``prune``;
    ``not_in_files`` lists the organisation ids and ties (``"source target
    type category"``) that the database holds and the network does not.
    """

    not_in_files: dict[str, list[str]] = field(default_factory=dict)

    @property
    def server(self) -> str:
        """The server, as :meth:`ServerProfile.describe` puts it."""
        return self.meta["server"]

    @property
    def schema(self) -> str:
        """The constraints or indexes the load made sure of."""
        return self.meta["schema"]

    @property
    def batches(self) -> int:
        """Statements written."""
        return self.meta["batches"]

    @property
    def largest_message(self) -> int:
        """The largest encoded message sent (bytes)."""
        return self.meta["largest_message_bytes"]

    @property
    def seconds(self) -> float:
        """How long the load took."""
        return self.meta["seconds"]

    @property
    def pruned(self) -> bool:
        """Whether organisations and ties no longer in the files were deleted."""
        return self.meta["prune"]

    def changed(self) -> bool:
        """True when the load added, updated or deleted anything."""
        return bool(self.table[["added", "updated", "deleted"]].to_numpy().sum() > 0)

    def sentence(self) -> str:
        """What the database holds now and what changed, in one sentence."""
        t = self.table.set_index("item")
        o, r = t.loc["organisations"], t.loc["ties"]
        parts = [f"Neo4j now holds {int(o['in_database']):,} organisations and {int(r['in_database']):,} ties",
                 f"added {int(o['added']):,} organisations and {int(r['added']):,} ties",
                 f"updated {int(o['updated']):,} organisations and {int(r['updated']):,} ties"]
        stale_o, stale_r = int(o["not_in_files"]), int(r["not_in_files"])
        if stale_o or stale_r:
            if self.pruned:
                parts.append(f"deleted {stale_o:,} organisations and {stale_r:,} ties that are no longer in the files")
            else:
                parts.append(f"{stale_o:,} organisations and {stale_r:,} ties in Neo4j are not in the files "
                             "(kept: the load did not prune)")
        return "; ".join(parts) + "."


def load_into_neo4j(
    network: Network,
    settings: Neo4jSettings,
    *,
    prune: bool = False,
    profile: ServerProfile | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> LoadReport:
    """Load ``network`` into Neo4j: idempotent, batched, checked.

    Puts the load marker into the database first (:mod:`~netmap.store.marker`:
    another load, a read or a write-back refuses while it is there), creates
    the schema (uniqueness constraints on ``:Organization(id)``,
    ``:Capability(name)``, ``:Market(name)`` on Neo4j; indexes on servers
    without constraints), compares the database with the network, and writes
    only what is missing or different, in batched ``UNWIND ... MERGE``
    statements inside managed write transactions (netmap retries
    transient errors). At the end it reads the database again and raises
    :class:`~netmap.errors.StoreError` unless it holds exactly what the
    network holds, value for value (plus, without ``prune``, what was there
    before and is not in the network); only then is the marker removed. A
    load that fails before writing anything removes its marker; one that
    fails later leaves it, so that reads refuse a half-loaded database until
    a load completes.

    Parameters
    ----------
    network : Network
    settings : Neo4jSettings
    prune : bool, optional (default=False)
        Delete organisations and ties that are in the database but no longer
        in the network. Without it they are kept and reported.
    profile : ServerProfile, optional
        Use this instead of what :func:`~netmap.store.detect_server` finds
        (statement choice and batch sizes).
    progress : callable, optional
        Called with the number of rows written after each transaction.
    on_total : callable, optional
        Called once with the number of rows that will be written.

    Returns
    -------
    LoadReport

    Raises
    ------
    StoreError
        Server unreachable, login refused, unknown database, a server that
        stops answering or is lost during the load, another load running (or
        one that did not finish, see :func:`~netmap.store.clear_load_marker`),
        a value or row the server cannot take, or a database that does not
        hold what the network holds afterwards.
    """
    started = time.perf_counter()
    with open_connection(settings, profile) as conn:
        if conn.parameters_as_text:
            odd = falkordb.uncarried(network)
            if odd:
                raise StoreError(f"{conn.profile.describe()} cannot store some values unchanged (text with a NUL "
                                 f"character, infinite numbers): {', '.join(odd)}; netmap writes nothing: fix them in "
                                 "the data, or load into Neo4j")
        mark = marker.take(conn, network.source)
        writing = [False]
        try:
            schema = _ensure_schema(conn)
            with progress_step("Comparing Neo4j with the network"):
                todo = plan(network, snapshot(conn), conn.profile, prune)
            _execute(conn, todo, on_total, progress, writing)
            deleted_orphans = {attr: _delete_orphans(conn, attr) for attr in LINKS}
            # nothing written: the database is what netmap read at the start, under the marker
            with progress_step("Checking what Neo4j holds now"):
                table = verify(conn, todo, deleted_orphans, reread=writing[0] or any(deleted_orphans.values()))
        except BaseException:
            # if nothing was written, the database is as it was: the marker goes again
            _end(conn, mark, remove=not writing[0])
            raise
        marker.release(conn, mark)
    meta = {"server": conn.profile.describe(), "schema": schema, "batches": conn.batches,
            "largest_message_bytes": conn.largest_message, "seconds": time.perf_counter() - started,
            "prune": prune}
    stale = {"organisations": sorted(todo.stale_orgs), "ties": [" ".join(k) for k in sorted(todo.stale_ties)]}
    return LoadReport({"load": table}, meta, {"load": "What the load did"}, not_in_files=stale)


def _ensure_schema(conn: Connection) -> str:
    """Constraints (or, where the server has none, indexes) on the keys; says which."""
    from neo4j.exceptions import Neo4jError

    keys = (("Organization", "id"), ("Capability", "name"), ("Market", "name"))
    note = ""
    if conn.profile.constraints:
        try:
            for label, key in keys:
                conn.write(statement("schema_constraint", label=label, key=key), doing="creating the schema")
            return "uniqueness constraints on :Organization(id), :Capability(name), :Market(name)"
        except StoreError as e:
            cause = e.__cause__
            code = getattr(cause, "code", "") or ""
            if not isinstance(cause, Neo4jError) or "Security" in code:
                raise
            if "Schema" in code and "AlreadyExists" not in code:
                raise StoreError(
                    f"cannot create the uniqueness constraint on {conn.settings.location()}: {reason(cause)}; "
                    "remove duplicate organisation ids or conflicting indexes, then load again"
                ) from cause
            note = " (the server refused CREATE CONSTRAINT)"
    try:
        existing = {(r["label"], tuple(r["properties"]))
                    for r in conn.read(text("list_indexes"), doing="listing indexes")}
    except StoreError:
        existing = set()
    for label, key in keys:
        if (label, (key,)) not in existing:
            conn.write(statement("schema_index", label=label, key=key), doing="creating the schema")
    return "indexes on :Organization(id), :Capability(name), :Market(name)" + note


def _execute(conn: Connection, todo: Plan, on_total: Callable[[int], None] | None,
             progress: Callable[[int], None] | None, writing: list[bool]) -> None:
    """Write the plan.

    Every batch is cut (and checked against the server's limits) before the
    first write. Consecutive batches then share one managed write
    transaction, up to ``profile.tx_rows`` rows: the limit on message size is
    per message, not per transaction, so the commit is paid once per
    thousands of rows. ``on_total`` hears how many rows will be written,
    ``progress`` of a transaction's rows once it has been committed;
    ``writing[0]`` turns true before the first one starts.
    On a server that writes parameters into the query, numbers it would
    change are left out of the rows and set exactly afterwards.
    """
    batches: list[Batch] = []
    profile = conn.profile
    exact: list[Batch] = []

    def add(query: str, rows: list, doing: str, param: str = "r", **extra) -> None:
        batches.extend(conn.cut(query, rows, doing, param, **extra))

    def numbers(rows: list, slots, key, fix: Callable[[int], str], doing: str) -> list:
        if not conn.parameters_as_text:
            return rows
        rows, fixes = falkordb.exact_numbers(rows, slots, key)
        for slot, fixed in sorted(fixes.items()):
            exact.extend(conn.cut(fix(slot), fixed, doing))
        return rows

    def ties(name: str, t: str, rows: list, doing: str) -> None:
        if not rows:
            return
        query = statement(name, type=t)
        hundredths, as_is = tie_wire(rows)
        fix = lambda slot: statement("set_tie_number", type=t, key=TIE_KEYS[slot])  # noqa: E731
        add(query, numbers(hundredths, _TIE_NUMBERS[:1], (0, 1, 2), fix, doing), doing, d=100.0)
        add(query, numbers(as_is, _TIE_NUMBERS, (0, 1, 2), fix, doing), doing, d=1.0)

    for t in TIE_TYPES:  # duplicates and pruned ties first, so that MERGE recreates exactly one
        add(statement("delete_ties", type=t), todo.tie_delete.get(t, []), f"deleting {t} ties")
    if todo.prune:
        add(text("delete_organizations"), sorted(todo.stale_orgs), "deleting organisations", "ids")
    fix_org = lambda slot: statement("set_organization_number", key=ORG_KEYS[slot])  # noqa: E731
    for labels in sorted(todo.org_groups):
        rows = [compact(r) for r in todo.org_groups[labels]]
        add(statement("merge_organizations", labels=["Organization", *labels]),
            numbers(rows, _ORG_NUMBERS, (0,), fix_org, "loading organisations"), "loading organisations")
    for label in sorted(todo.remove_labels):
        add(statement("remove_label", label=label), todo.remove_labels[label], "updating role labels", "ids")
    for attr, (label, rel) in LINKS.items():
        add(statement("delete_links", label=label, rel=rel), todo.link_delete[attr], f"updating {attr}")
        add(statement("merge_links", label=label, rel=rel), todo.link_add[attr], f"loading {attr}")
    for t in TIE_TYPES:
        ties("merge_ties", t, todo.tie_groups.get(t, []), f"updating {t} ties")
        ties("create_ties", t, todo.tie_new.get(t, []), f"loading {t} ties")
    batches.extend(exact)  # after the rows they complete
    total = sum(b.rows for b in batches)
    if on_total is not None:
        on_total(total)

    i = 0
    with progress_bar("Writing to Neo4j", total, "rows") as shown:
        while i < len(batches):
            j, n = i + 1, batches[i].rows
            while j < len(batches) and n + batches[j].rows <= profile.tx_rows:
                n += batches[j].rows
                j += 1
            writing[0] = True
            conn.write_many(batches[i:j])
            shown.advance(n)
            if progress is not None:
                progress(n)
            i = j


def _end(conn: Connection, mark: marker.LoadMarker, remove: bool) -> None:
    """The load failed: forget its marker, and take it out of the database if nothing was written (best effort)."""
    try:
        marker.release(conn if remove and not conn.watchdog.stalled else None, mark)
    except StoreError:
        pass  # the server is gone: the marker stays, and the next load from here takes its place


def _delete_orphans(conn: Connection, attr: str) -> int:
    label, rel = LINKS[attr]
    recs = conn.write(statement("delete_orphans", label=label, rel=rel), doing=f"tidying {attr}")
    return int(recs[0]["deleted"]) if recs else 0
