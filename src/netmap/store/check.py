"""The end of a load: read the database again and compare it, content and counts, with what the files hold.

:func:`verify` reads every organisation, tie and link back
(:func:`~netmap.store.plan.snapshot`) and compares each value with the
files', so that a value the server changed (a name cut short, a number
rounded, text read with escapes) fails the load as surely as a missing or
doubled tie; the counts of capability and market nodes and links come from
Cypher ``count()``. It returns the load report's table.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ..errors import StoreError
from ..schema import TIE_TYPES
from .codec import LINKS, ORG_KEYS, TIE_KEYS
from .connection import Connection
from .cypher import statement
from .plan import Plan, Snapshot, snapshot

__all__ = ["verify", "COLUMNS"]

#: Columns of the load report.
COLUMNS = ["item", "in_files", "in_database", "added", "updated", "unchanged", "not_in_files", "deleted"]
_LINK_WORD = {"capabilities": "capability", "markets": "market"}
_SHOWN = 3


def verify(conn: Connection, todo: Plan, deleted_orphans: dict[str, int], *, reread: bool = True) -> pd.DataFrame:
    """The load report's table, once the database is found to hold exactly what it should.

    Without ``reread`` (a load that wrote nothing) what the database held
    at the start of the load is compared instead of reading it again.

    Raises
    ------
    StoreError
        Anything missing, extra, doubled or different, with the first items
        named.
    """
    after = snapshot(conn) if reread else todo.snapshot
    counts = _count(conn)
    problems = _content(todo, after)
    table = _table(todo, after, counts, deleted_orphans, problems)
    if problems:
        raise StoreError(
            "after the load the database does not hold what the files hold: " + "; ".join(problems)
            + ". Another client may have written at the same time; run the load again"
        )
    return table


def _count(conn: Connection) -> dict:
    doing = "counting what the database holds"
    out = {}
    for attr, (label, rel) in LINKS.items():
        n = conn.read(statement("count_named", label=label), doing=doing)[0]
        out[attr] = (int(n["nodes"]), int(n["names"]))
        out[attr + "_links"] = int(conn.read(statement("count_links", label=label, rel=rel), doing=doing)[0]["n"])
    return out


def _content(todo: Plan, after: Snapshot) -> list[str]:
    """Organisations and ties of the files that the database holds with other values (or other role labels)."""
    problems = []
    orgs = []
    for oid, (labels, row) in todo.files_orgs.items():
        have = after.orgs.get(oid)
        if have is None:
            continue  # counted below
        fields = [ORG_KEYS[i] for i, (a, b) in enumerate(zip(have[1], row)) if a != b]
        if have[0] != set(labels):
            fields.append("role labels")
        if fields:
            orgs.append(f"{oid!r} ({', '.join(fields)})")
    if orgs:
        problems.append(f"{_n(len(orgs), 'organisation')} other values than in the files: "
                        + ", ".join(orgs[:_SHOWN]) + (" ..." if len(orgs) > _SHOWN else ""))
    ties = []
    for key, row in todo.files_ties.items():
        have = after.ties.get(key)
        if have is None or key in after.tie_dups:
            continue  # counted below
        fields = [TIE_KEYS[i] for i, (a, b) in enumerate(zip(have, row)) if a != b]
        if fields:
            ties.append(f"{key[0]} {key[2]} {key[1]}" + (f" '{key[3]}'" if key[3] else "") + f" ({', '.join(fields)})")
    if ties:
        problems.append(f"{_n(len(ties), 'tie')} other values than in the files: "
                        + ", ".join(ties[:_SHOWN]) + (" ..." if len(ties) > _SHOWN else ""))
    return problems


def _table(todo: Plan, after: Snapshot, counts: dict, deleted_orphans: dict[str, int],
           problems: list[str]) -> pd.DataFrame:
    """The report table; adds to ``problems`` every count that is not what it should be."""
    snap = todo.snapshot
    kept_orgs = set() if todo.prune else todo.stale_orgs
    kept_ties = set() if todo.prune else todo.stale_ties
    rows = []

    n_files = len(todo.files_orgs)
    want = n_files + len(kept_orgs)
    missing = [o for o in todo.files_orgs if o not in after.orgs]
    if after.org_nodes != want or len(after.orgs) != want or missing:
        problems.append(f"{after.org_nodes:,} :Organization nodes with {len(after.orgs):,} distinct ids "
                        f"(expected {want:,})" + (f", without {', '.join(map(repr, missing[:_SHOWN]))}"
                                                  if missing else ""))
    rows.append({"item": "organisations", "in_files": n_files, "in_database": after.org_nodes,
                 "added": todo.org_added, "updated": todo.org_updated,
                 "unchanged": n_files - todo.org_added - todo.org_updated,
                 "not_in_files": len(todo.stale_orgs), "deleted": len(todo.stale_orgs) if todo.prune else 0})

    by_type_files = Counter(k[2] for k in todo.files_ties)
    by_type_kept = Counter(k[2] for k in kept_ties)
    by_type_stale = Counter(k[2] for k in todo.stale_ties)
    type_rows = []
    for t in TIE_TYPES:
        want_t = by_type_files[t] + by_type_kept[t]
        got = after.tie_counts.get(t, 0)
        lost = [k for k in todo.files_ties if k[2] == t and k not in after.ties] if got != want_t else []
        if got != want_t:
            problems.append(f"{got:,} {t} relationships (expected {want_t:,})"
                            + (f", without {', '.join(' '.join(k[:2]) for k in lost[:_SHOWN])}" if lost else ""))
        if by_type_files[t] or got or by_type_stale[t]:
            type_rows.append({
                "item": f"ties: {t}", "in_files": by_type_files[t], "in_database": got,
                "added": todo.tie_added[t], "updated": todo.tie_updated[t],
                "unchanged": by_type_files[t] - todo.tie_added[t] - todo.tie_updated[t],
                "not_in_files": by_type_stale[t], "deleted": by_type_stale[t] if todo.prune else 0,
            })
    dups = sorted(after.tie_dups)
    if dups:
        problems.append(f"{len(dups):,} tie{'s' if len(dups) != 1 else ''} held more than once: "
                        + ", ".join(f"{k[0]} {k[2]} {k[1]}" for k in dups[:_SHOWN]))
    rows.append({"item": "ties", **{k: sum(r[k] for r in type_rows) for k in COLUMNS[1:]}})
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
        if got_links != len(want_links) or after.links[attr] != want_links:
            odd = sorted(after.links[attr] ^ want_links)
            problems.append(f"{got_links:,} {rel} relationships (expected {len(want_links):,})"
                            + (f", differing at {', '.join(f'{o} {n!r}' for o, n in odd[:_SHOWN])}" if odd else ""))
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
    return pd.DataFrame(rows, columns=COLUMNS)


def _n(k: int, word: str) -> str:
    """``"1 tie holds"``, ``"2 ties hold"``."""
    return f"{k:,} {word} holds" if k == 1 else f"{k:,} {word}s hold"
