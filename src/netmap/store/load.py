"""Load a Network into Neo4j: idempotent, batched ``UNWIND ... MERGE``, checked by counting afterwards.

The graph model:

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
  ``(:Organization)-[:SERVES_MARKET]->(:Market {name})``.

Every statement comes from ``cypher/*.cypher``; every value is a parameter.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ..errors import StoreError
from ..network import Network
from ..result import Result
from ..schema import TIE_TYPES
from .codec import LINKS, Batch, compact, sized_batches, tie_wire
from .connection import Connection, open_connection, reason
from .cypher import statement, text
from .plan import Plan, plan, snapshot
from .settings import Neo4jSettings, ServerProfile

__all__ = ["LoadReport", "load_into_neo4j"]

_LINK_WORD = {"capabilities": "capability", "markets": "market"}
_COLUMNS = ["item", "in_files", "in_database", "added", "updated", "unchanged", "not_in_files", "deleted"]


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

    Creates the schema first (uniqueness constraints on ``:Organization(id)``,
    ``:Capability(name)``, ``:Market(name)`` on Neo4j; indexes on servers
    without constraints), compares the database with the network, and writes
    only what is missing or different, in batched ``UNWIND ... MERGE``
    statements inside managed write transactions (the driver retries
    transient errors). At the end it counts what the database holds and
    raises :class:`~netmap.errors.StoreError` unless it is exactly what the
    network holds (plus, without ``prune``, what was there before and is not
    in the network).

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
        Server unreachable, login refused, unknown database, connection lost
        during the load, a row too large for the server, or a count that
        does not match.
    """
    started = time.perf_counter()
    with open_connection(settings, profile) as conn:
        schema = _ensure_schema(conn)
        todo = plan(network, snapshot(conn), conn.profile, prune)
        if on_total is not None:
            on_total(todo.total_rows())
        _execute(conn, todo, progress)
        deleted_orphans = {attr: _delete_orphans(conn, attr) for attr in LINKS}
        counts = _count(conn)
    table = _check(todo, counts, deleted_orphans)
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


def _execute(conn: Connection, todo: Plan, progress: Callable[[int], None] | None) -> None:
    """Write the plan.

    Every batch is cut (and checked against the server's limits) before the
    first write. Consecutive batches then share one managed write
    transaction, up to ``profile.tx_rows`` rows: the limit on message size is
    per message, not per transaction, so the commit is paid once per
    thousands of rows. ``progress`` hears of a transaction's rows once it has
    been committed.
    """
    batches: list[Batch] = []
    profile = conn.profile

    def add(query: str, rows: list, doing: str, param: str = "r", **extra) -> None:
        for batch, size in sized_batches(rows, query, profile, doing):
            batches.append(Batch(query, {param: batch, **extra}, size, len(batch), doing))

    def ties(name: str, t: str, rows: list, doing: str) -> None:
        if not rows:
            return
        query = statement(name, type=t)
        hundredths, as_is = tie_wire(rows)
        add(query, hundredths, doing, d=100.0)
        add(query, as_is, doing, d=1.0)

    for t in TIE_TYPES:  # duplicates and pruned ties first, so that MERGE recreates exactly one
        add(statement("delete_ties", type=t), todo.tie_delete.get(t, []), f"deleting {t} ties")
    if todo.prune:
        add(text("delete_organizations"), sorted(todo.stale_orgs), "deleting organisations", "ids")
    for labels in sorted(todo.org_groups):
        add(statement("merge_organizations", labels=["Organization", *labels]),
            [compact(r) for r in todo.org_groups[labels]], "loading organisations")
    for label in sorted(todo.remove_labels):
        add(statement("remove_label", label=label), todo.remove_labels[label], "updating role labels", "ids")
    for attr, (label, rel) in LINKS.items():
        add(statement("delete_links", label=label, rel=rel), todo.link_delete[attr], f"updating {attr}")
        add(statement("merge_links", label=label, rel=rel), todo.link_add[attr], f"loading {attr}")
    for t in TIE_TYPES:
        ties("merge_ties", t, todo.tie_groups.get(t, []), f"updating {t} ties")
        ties("create_ties", t, todo.tie_new.get(t, []), f"loading {t} ties")

    i = 0
    while i < len(batches):
        j, n = i + 1, batches[i].rows
        while j < len(batches) and n + batches[j].rows <= profile.tx_rows:
            n += batches[j].rows
            j += 1
        conn.write_many(batches[i:j])
        if progress is not None:
            progress(n)
        i = j


def _delete_orphans(conn: Connection, attr: str) -> int:
    label, rel = LINKS[attr]
    recs = conn.write(statement("delete_orphans", label=label, rel=rel), doing=f"tidying {attr}")
    return int(recs[0]["deleted"]) if recs else 0


def _count(conn: Connection) -> dict:
    doing = "counting what the database holds"
    o = conn.read(text("count_organizations"), doing=doing)[0]
    ties = {r["type"]: int(r["n"]) for r in conn.read(text("count_ties"), doing=doing, types=list(TIE_TYPES))}
    out = {"org_nodes": int(o["nodes"]), "org_ids": int(o["ids"]), "ties": ties}
    for attr, (label, rel) in LINKS.items():
        n = conn.read(statement("count_named", label=label), doing=doing)[0]
        out[attr] = (int(n["nodes"]), int(n["names"]))
        out[attr + "_links"] = int(conn.read(statement("count_links", label=label, rel=rel), doing=doing)[0]["n"])
    return out


def _check(todo: Plan, counts: dict, deleted_orphans: dict[str, int]) -> pd.DataFrame:
    """The report table; raises StoreError unless the database holds exactly what it should."""
    snap = todo.snapshot
    kept_orgs = set() if todo.prune else todo.stale_orgs
    kept_ties = set() if todo.prune else todo.stale_ties
    rows = []
    problems = []

    n_files = len(todo.files_orgs)
    want = n_files + len(kept_orgs)
    if counts["org_nodes"] != want or counts["org_ids"] != want:
        problems.append(f"{counts['org_nodes']:,} :Organization nodes with {counts['org_ids']:,} distinct ids "
                        f"(expected {want:,})")
    rows.append({"item": "organisations", "in_files": n_files, "in_database": counts["org_nodes"],
                 "added": todo.org_added, "updated": todo.org_updated,
                 "unchanged": n_files - todo.org_added - todo.org_updated,
                 "not_in_files": len(todo.stale_orgs), "deleted": len(todo.stale_orgs) if todo.prune else 0})

    by_type_files = Counter(k[2] for k in todo.files_ties)
    by_type_kept = Counter(k[2] for k in kept_ties)
    by_type_stale = Counter(k[2] for k in todo.stale_ties)
    type_rows = []
    for t in TIE_TYPES:
        want_t = by_type_files[t] + by_type_kept[t]
        got = counts["ties"].get(t, 0)
        if got != want_t:
            problems.append(f"{got:,} {t} relationships (expected {want_t:,})")
        if by_type_files[t] or got or by_type_stale[t]:
            type_rows.append({
                "item": f"ties: {t}", "in_files": by_type_files[t], "in_database": got,
                "added": todo.tie_added[t], "updated": todo.tie_updated[t],
                "unchanged": by_type_files[t] - todo.tie_added[t] - todo.tie_updated[t],
                "not_in_files": by_type_stale[t], "deleted": by_type_stale[t] if todo.prune else 0,
            })
    rows.append({"item": "ties", **{k: sum(r[k] for r in type_rows) for k in _COLUMNS[1:]}})
    rows.extend(type_rows)

    for attr, (label, rel) in LINKS.items():
        files_links = todo.files_links[attr]
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
        pruned_links = len([x for x in snap.links[attr] if x[0] in todo.stale_orgs]) if todo.prune else 0
        rows.append({"item": attr, "in_files": len(names_files), "in_database": nodes,
                     "added": len(names_files - names_before), "updated": 0,
                     "unchanged": len(names_files & names_before),
                     "not_in_files": len(names_before - names_files), "deleted": deleted_orphans[attr]})
        rows.append({"item": f"{_LINK_WORD[attr]} links", "in_files": len(files_links), "in_database": got_links,
                     "added": len(todo.link_add[attr]), "updated": 0,
                     "unchanged": len(files_links) - len(todo.link_add[attr]),
                     "not_in_files": len(snap.links[attr] - files_links),
                     "deleted": len(todo.link_delete[attr]) + pruned_links})
    if problems:
        raise StoreError(
            "after the load the database does not hold what the files hold: " + "; ".join(problems)
            + ". Another client may have written at the same time; run the load again"
        )
    return pd.DataFrame(rows, columns=_COLUMNS)
