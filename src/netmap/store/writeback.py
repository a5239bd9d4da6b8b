"""Write analysis scores back onto the ``:Organization`` nodes as ``netmap_<name>`` properties."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd

from ..errors import ArgumentError
from .codec import property_value
from .connection import open_connection
from .cypher import statement, text
from .falkordb import binary, survives
from .marker import refuse_if_marked
from .settings import Neo4jSettings, ServerProfile

__all__ = ["write_scores"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def write_scores(
    settings: Neo4jSettings,
    table: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    key: str = "id",
    prefix: str = "netmap_",
    profile: ServerProfile | None = None,
) -> int:
    """Store columns of ``table`` as properties of the matching ``:Organization`` nodes.

    Neo4j Browser and Bloom users then see the scores on the nodes, e.g. to
    size them by ``netmap_pagerank``. Nothing is written while a load marker
    is in the database (a load running, or one that did not finish: the
    scores would not match what it holds).

    Parameters
    ----------
    settings : Neo4jSettings
    table : DataFrame
        One row per organisation; ``key`` holds the organisation id.
    columns : mapping
        ``{column: property}``; each value is written as ``<prefix><property>``
        (e.g. ``pagerank`` -> ``netmap_pagerank``). Missing values (NaN)
        remove the property.
    key : str, optional (default="id")
    prefix : str, optional (default="netmap_")
    profile : ServerProfile, optional
        Use this instead of what :func:`~netmap.store.detect_server` finds
        (batch sizes).

    Returns
    -------
    int
        The number of organisations updated (ids not in the database are
        skipped).

    Raises
    ------
    ArgumentError
        A column that is not in the table, a property name that is not a
        plain identifier, or several rows for one organisation (checked
        before connecting).
    StoreError
        Server problems, or a load running or one that did not finish.
    """
    if key not in table.columns:
        raise ArgumentError(f"the results have no '{key}' column to match organisations by", param="key")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ArgumentError(f"the results have no column {', '.join(repr(m) for m in missing)} to write back",
                            param="columns")
    props = {}
    for col, prop in columns.items():
        name = prop if prop.startswith(prefix) else prefix + prop
        if not _NAME.fullmatch(name):
            raise ArgumentError(f"'{prop}' cannot be a Neo4j property name; use letters, digits and _",
                                param="columns")
        props[col] = name
    ids = table[key].astype(str)
    dup = ids[ids.duplicated()]
    if len(dup):
        raise ArgumentError(
            f"the results list organisation '{dup.iloc[0]}' more than once; write back one row per organisation",
            param="table",
        )
    cols = {c: table[c].tolist() for c in props}
    rows = [[i, {props[c]: property_value(cols[c][n]) for c in props}] for n, i in enumerate(ids.tolist())]
    with open_connection(settings, profile) as conn:
        refuse_if_marked(conn, "write results into it")
        exact: dict[str, list] = {}
        if conn.parameters_as_text:  # numbers six decimals would change are set exactly afterwards
            for oid, values in rows:
                for name, v in list(values.items()):
                    if v.__class__ is float and math.isfinite(v) and not survives(v):
                        exact.setdefault(name, []).append([oid, *binary(v)])
                        values[name] = None
        n = sum(conn.write_batches(text("write_properties"), rows, doing="writing results back", count="n"))
        for name, fixed in exact.items():
            for _ in conn.write_batches(statement("set_organization_number", key=name), fixed, param="r",
                                        doing="writing results back"):
                pass
        return n
