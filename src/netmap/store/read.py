"""Read the network held in Neo4j back into a :class:`~netmap.network.Network`."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import StoreError
from ..network import Network
from ..schema import (DATE_COLUMNS, DEFAULT_STRENGTH, EDGE_COLUMNS, NODE_NUMBER_COLUMNS, QUALITIES, ROLE_LABELS, ROLES,
                      SYMMETRIC_TYPES, TIE_TYPES)
from .codec import day, number
from .connection import open_connection
from .cypher import text
from .marker import refuse_if_marked
from .settings import Neo4jSettings

__all__ = ["read_from_neo4j", "duplicate_ties"]

_EDGE_COLUMNS = [*EDGE_COLUMNS, "row"]


def read_from_neo4j(
    settings: Neo4jSettings,
    *,
    strength_weights: Mapping[str, float] | None = None,
    default_strength: float = DEFAULT_STRENGTH,
) -> Network:
    """Read the network held in Neo4j into a :class:`~netmap.network.Network`.

    Reads every ``:Organization`` node and every relationship between two of
    them whose type is a tie type; capability and market nodes are not
    needed (the organisation's ``capabilities``/``markets`` lists are read,
    so their order is kept). Organisations and ties come back in their input
    order (the ``row`` property), so every analysis gives the same result as
    on the data directory that was loaded. Organisations without a ``roles``
    property take their roles from their labels; ties created outside netmap
    are numbered after the others.

    The database must hold what a data directory may: the duplicate-tie rule
    of the files applies (:func:`duplicate_ties`), and a database with a
    load marker (a load running, or one that did not finish, see
    :mod:`~netmap.store.marker`) is not read, before or after the reading.

    Parameters
    ----------
    settings : Neo4jSettings
    strength_weights : mapping, optional
        Weights of the relationship qualities in tie strength (equal by default).
    default_strength : float, optional
        Strength of a tie that records none of the qualities.

    Returns
    -------
    Network

    Raises
    ------
    StoreError
        Server problems (see :func:`~netmap.store.load_into_neo4j`), a load
        running or one that did not finish, or a database that holds no
        organisations, organisations without an ``id`` or several with one
        ``id``, or a tie more than once.
    """
    with open_connection(settings) as conn:
        refuse_if_marked(conn, "read it")
        orgs = conn.read(text("read_organizations"), doing="reading organisations")
        ties = conn.read(text("read_ties"), doing="reading ties", types=list(TIE_TYPES))
        refuse_if_marked(conn, "read it")  # a load that began while netmap was reading
    where = settings.location()
    if not orgs:
        raise StoreError(f"{where} holds no :Organization nodes; load a network into it first")
    nodes = _nodes_frame(orgs, where)
    edges = _edges_frame(ties)
    dups = duplicate_ties(edges)
    if dups:
        shown = "; ".join(dups[:5]) + (f" (and {len(dups) - 5:,} more)" if len(dups) > 5 else "")
        raise StoreError(
            f"{where} holds {len(dups):,} tie{'s' if len(dups) != 1 else ''} more than once: {shown}. In a data directory that is an error "
            "(the same source, target, type and category twice; symmetric types either way round), so netmap "
            "does not read it: load the data directory again (a load keeps one relationship per tie; with "
            "pruning it also deletes ties that are no longer in the files), or delete the extra relationships"
        )
    label = settings.uri + (f" database {settings.database}" if settings.database else "")
    return Network(nodes, edges, source=f"Neo4j {label}", strength_weights=strength_weights,
                   default_strength=default_strength)


def duplicate_ties(edges: pd.DataFrame) -> list[str]:
    """The ties that the files' duplicate rule refuses, each in words with how often it is held.

    The rule of a data directory: the same source, target, type and category
    (compared without case; for symmetric types the two ends in either
    order) is one tie, listed once.

    Examples
    --------
    >>> e = pd.DataFrame({"source": ["S1", "S1", "A", "B", "A"], "target": ["F1", "F1", "B", "A", "B"],
    ...                   "type": ["SUPPLIES", "SUPPLIES", "PARTNERS_WITH", "PARTNERS_WITH", "SUPPLIES"],
    ...                   "category": ["steel", "Steel", "", "", ""]})
    >>> duplicate_ties(e)
    ["S1 SUPPLIES F1, category 'steel' (2 relationships)", 'A PARTNERS_WITH B (2 relationships)']
    """
    if edges.empty:
        return []
    src, tgt = edges["source"].astype(str), edges["target"].astype(str)
    sym = edges["type"].isin(SYMMETRIC_TYPES)
    swap = sym & (src > tgt)
    a, b = src.where(~swap, tgt), tgt.where(~swap, src)
    key = pd.DataFrame({"a": a, "b": b, "t": edges["type"], "c": edges["category"].astype(str).str.casefold()})
    n = key.groupby(["a", "b", "t", "c"], sort=False).size()
    out = []
    for (x, y, t, c), k in n[n > 1].items():
        first = edges.loc[(key["a"] == x) & (key["b"] == y) & (key["t"] == t) & (key["c"] == c)].iloc[0]
        cat = f", category '{first['category']}'" if first["category"] else ""
        out.append(f"{x} {t} {y}{cat} ({k} relationships)")
    return out


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
            "revenue": number(p.get("revenue")), "employees": number(p.get("employees")),
            "clv": number(p.get("clv")), "satisfaction": number(p.get("satisfaction")), "risk": number(p.get("risk")),
            "_row": p.get("row"),
        })
    df = pd.DataFrame(recs)
    df["_row"] = pd.to_numeric(df["_row"], errors="coerce")
    df = df.sort_values(["_row", "id"], na_position="last", kind="mergesort").drop(columns="_row")
    for c in NODE_NUMBER_COLUMNS:
        df[c] = df[c].astype(float)
    return df.reset_index(drop=True)


def _edges_frame(ties: list[dict]) -> pd.DataFrame:
    recs = []
    for r in ties:
        p = r["props"] or {}
        recs.append({
            "source": str(r["source"]), "target": str(r["target"]), "type": str(r["type"]),
            "value": number(p.get("value")),
            "category": "" if p.get("category") is None else str(p.get("category")),
            **{q: number(p.get(q)) for q in QUALITIES},
            "since": day(p.get("since"), True), "until": day(p.get("until"), True),
            "exclusive": bool(p.get("exclusive") or False), "row": p.get("row"),
        })
    if not recs:
        df = pd.DataFrame({c: pd.Series([], dtype=object) for c in _EDGE_COLUMNS})
        df["row"] = df["row"].astype(np.int64)
        return df
    df = pd.DataFrame(recs, columns=_EDGE_COLUMNS)
    row = pd.to_numeric(df["row"], errors="coerce")
    df = df.assign(_row=row).sort_values(["_row", "source", "target", "type", "category"], na_position="last",
                                         kind="mergesort")
    r = df["_row"].to_numpy(dtype=float, copy=True)
    if np.isnan(r).any():  # ties created outside netmap: number them after the others
        top = np.nanmax(r) if (~np.isnan(r)).any() else 1.0
        r[np.isnan(r)] = top + 1 + np.arange(int(np.isnan(r).sum()))
    df["row"] = r.astype(np.int64)
    for c in DATE_COLUMNS:  # days of years 1 to 9999, as the reader gives them; text that is no date: missing
        days = [d if isinstance(d, _dt.date) else None for d in df[c].tolist()]
        df[c] = pd.Series(np.array(days, dtype="datetime64[D]").astype("datetime64[s]"), index=df.index)
    for c in ("value", *QUALITIES):
        df[c] = df[c].astype(float)
    return df.drop(columns="_row").reset_index(drop=True)
