"""Which organisations a large map keeps, and which carry a name at every zoom."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..network import Network
from ..schema import ROLES
from .style import LABELS_SHOWN, SIZE_LABELS

__all__ = ["first_roles", "labelled_ids", "reduce_network"]


def reduce_network(net: Network, metrics: pd.DataFrame, size: str, max_nodes: int, focal, highlighted: set):
    """Keep ``max_nodes`` organisations: the focal and highlighted ones, the focal's partners, then each role.

    The focal's partners take up to half of the room left (largest by
    ``size`` first); the rest is shared between the roles (an
    organisation's first role) in proportion to their share of the network
    (largest remainders), the largest by ``size`` first within each role, ids
    breaking ties. Returns the subnetwork, the page's note and the words
    saying how it was chosen.
    """
    m = metrics.set_index("id").reindex(list(net.ids))
    score = m[size].fillna(0.0).to_numpy(dtype=float)
    ids = np.asarray(net.ids, dtype=object)
    order = np.lexsort((ids.astype(str), -score))  # largest first, id breaks ties
    forced = [i for i in highlighted if i in net.index] + ([focal] if focal in net.index else [])
    chosen = set(forced)
    room = max(0, max_nodes - len(chosen))
    words = []
    if focal is not None and focal in net.index:
        words.append("the focal organisation")
    if len(chosen - {focal}):
        words.append("the highlighted ones")
    if focal is not None and focal in net.index and room:
        src, tgt = net.endpoints()
        f = net.index[focal]
        nb = np.unique(np.concatenate([tgt[src == f], src[tgt == f]]))
        nb = nb[nb != f]
        nb = nb[np.lexsort((ids[nb].astype(str), -score[nb]))]
        take = [ids[i] for i in nb if ids[i] not in chosen][: (room + 1) // 2]
        chosen.update(take)
        room -= len(take)
        if take:
            words.append(f"{len(take):,} of its {len(nb):,} partners")
    if room:
        first = first_roles(net.nodes["roles"])
        groups = [r for r in (*ROLES, "") if (first == r).any()]
        share = np.array([(first == r).sum() for r in groups], dtype=float) / len(first)
        quota = np.floor(share * room).astype(int)
        for j in np.argsort(-(share * room - quota), kind="stable")[: room - quota.sum()]:
            quota[j] += 1
        # in ``order``, the organisations not chosen yet; each role takes its first ``quota`` of them
        taken_before = np.zeros(len(ids), dtype=bool)
        taken_before[[net.index[i] for i in chosen]] = True
        free = order[~taken_before[order]]
        role_of = first[free]
        take = np.zeros(len(free), dtype=bool)
        for j, r in enumerate(groups):
            take[np.flatnonzero(role_of == r)[: quota[j]]] = True
        room -= int(take.sum())
        # a role with fewer organisations than its quota leaves room to the others
        take[np.flatnonzero(~take)[:room]] = True
        chosen.update(ids[free[take]].tolist())
        words.append(f"the largest by {SIZE_LABELS[size]} within each role, in proportion to the roles' "
                     "shares of the network")
    sub = net.subnetwork(chosen)
    chosen_by = ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1] if words else "size"
    note = (
        f"Reduced for the browser: showing {sub.n_nodes:,} of {net.n_nodes:,} organisations, chosen by {chosen_by}; "
        f"with the {sub.n_edges:,} ties among them. For the rest, draw one organisation's neighbourhood "
        "(a focal organisation and a depth) or allow more organisations."
    )
    return sub, note, chosen_by


def labelled_ids(metrics: pd.DataFrame, size: str, focal, highlighted: set) -> set:
    """Organisations whose name is drawn at every zoom: the focal, the highlighted and the largest by ``size``."""
    score = metrics[size].fillna(0.0).to_numpy(dtype=float)
    ids = metrics["id"].to_numpy(dtype=object)
    order = np.lexsort((ids.astype(str), -score))
    out = {ids[i] for i in order[:LABELS_SHOWN]}
    out |= set(highlighted) & set(ids)
    if focal is not None:
        out.add(focal)
    return out


def first_roles(roles: pd.Series) -> np.ndarray:
    """Each organisation's first role in the order of ``ROLES`` ("" for none), one look-up per distinct set."""
    codes, uniq = pd.factorize(roles.map(tuple))
    first = np.array([next((r for r in ROLES if r in rs), "") for rs in uniq] + [""], dtype=object)
    return first[codes]
