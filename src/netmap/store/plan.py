"""What a load has to write: the database as it is (:func:`snapshot`) compared with the network (:func:`plan`).

A load writes only what is missing or different. :func:`snapshot` reads
every organisation, tie and capability/market link the database holds, in
the shape netmap sends them; :func:`plan` sorts the network's rows into
added, updated and unchanged, and lists what is in the database but no
longer in the network.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..network import Network
from ..schema import QUALITIES, ROLE_LABELS, TIE_TYPES
from .codec import LINKS, ORG_KEYS, day, org_rows, text_list, tie_rows
from .connection import Connection
from .cypher import statement, text
from .settings import ServerProfile

__all__ = ["Snapshot", "Plan", "snapshot", "plan"]

TieKey = tuple[str, str, str, str]  # (source, target, type, category)


@dataclass
class Snapshot:
    """What the database holds, as rows in the order netmap sends them.

    ``orgs``: id -> (role labels, row); ``org_nodes``: ``:Organization``
    nodes (with or without an id); ``ties``: key -> row; ``tie_dups``: keys
    held by more than one relationship; ``tie_counts``: relationships per
    tie type (duplicates included); ``links``: attribute ->
    {(organisation id, name)}.
    """

    orgs: dict[str, tuple[set[str], list]]
    org_nodes: int
    ties: dict[TieKey, list]
    tie_dups: set[TieKey]
    links: dict[str, set[tuple[str, str]]]
    tie_counts: Counter


@dataclass
class Plan:
    """The rows a load writes, grouped by statement, and what it found along the way."""

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
    stale_ties: set[TieKey]
    prune: bool
    snapshot: Snapshot


def snapshot(conn: Connection) -> Snapshot:
    """Read what the database holds (organisations, ties, links) through ``conn``."""
    native = conn.profile.native_dates
    doing = "reading what the database holds"
    orgs: dict[str, tuple[set[str], list]] = {}
    recs = conn.read(text("read_organizations"), doing=doing)
    role_labels = set(ROLE_LABELS.values())
    for r in recs:
        if r["id"] is None:
            continue
        p = r["props"] or {}
        row = [
            str(r["id"]), p.get("name"), text_list(p.get("roles")), p.get("focal"),
            p.get("country"), p.get("region"), p.get("industry"),
            text_list(p.get("capabilities")), text_list(p.get("markets")),
            p.get("revenue"), p.get("employees"), p.get("clv"), p.get("satisfaction"),
            p.get("risk"), p.get("row"),
        ]
        orgs[str(r["id"])] = (set(r["labels"] or ()) & role_labels, row)
    ties: dict[TieKey, list] = {}
    seen: Counter = Counter()
    for r in conn.read(text("read_ties"), doing=doing, types=list(TIE_TYPES)):
        p = r["props"] or {}
        cat = p.get("category")
        cat = "" if cat is None else str(cat)
        key = (str(r["source"]), str(r["target"]), str(r["type"]), cat)
        seen[key] += 1
        ties[key] = [key[0], key[1], cat, p.get("value"), *(p.get(q) for q in QUALITIES),
                     day(p.get("since"), native), day(p.get("until"), native), p.get("exclusive"), p.get("row")]
    links = {}
    for attr, (label, rel) in LINKS.items():
        got = conn.read(statement("read_links", label=label, rel=rel), doing=doing)
        links[attr] = {(str(r["id"]), str(name)) for r in got for name in r["names"]}
    per_type: Counter = Counter()
    for key, n in seen.items():
        per_type[key[2]] += n
    return Snapshot(orgs, len(recs), ties, {k for k, n in seen.items() if n > 1}, links, per_type)


def plan(network: Network, snap: Snapshot, profile: ServerProfile, prune: bool) -> Plan:
    """Compare ``network`` with the database's ``snap``: what to merge, create, relabel and delete.

    A row is rewritten when any value differs, or only its row number in the
    file moved (counted neither added nor updated). Duplicated relationships
    are deleted and merged once again; with ``prune``, organisations and ties
    no longer in the network are deleted too.
    """
    forgs = org_rows(network)
    fties = tie_rows(network, profile.native_dates)
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
    return Plan(forgs, fties, files_links, dict(org_groups), added, updated, dict(remove_labels),
                dict(tie_groups), dict(tie_new), t_added, t_updated, dict(tie_delete), link_add, link_delete,
                stale_orgs, stale_ties, prune, snap)
