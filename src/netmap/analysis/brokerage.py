"""Brokerage (structural holes): Burt's constraint, effective size and efficiency of each organisation."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..checks import choice, whole_number
from ..engine.brokerage import burt
from ..network import Network
from ..result import Result
from .common import canonical, rank_desc, resolve_weight, role_list, role_mask

__all__ = ["brokerage", "burt_constraint", "BROKERAGE_SORTS"]

#: Columns :func:`brokerage` can sort by; constraint sorts ascending (best brokers first).
BROKERAGE_SORTS = ("constraint", "effective_size", "efficiency", "degree")


def burt_constraint(network: Network, ids: Iterable[str] | None = None, weight: str | None = "value") -> Result:
    """Burt's constraint and effective size on the undirected view: the core of :func:`brokerage`.

    Parameters
    ----------
    network : Network
    ids : iterable of str, optional
        Organisations to compute, in the order given (all when None, in id order).
    weight : "value", "strength" or None (default="value")
        Tie weight (parallel ties aggregated as in :meth:`Network.pairs`).
        When no tie has a positive weight every tie counts 1.

    Returns
    -------
    Result
        The table ``"constraint"``: ``id``, ``degree`` (distinct partners), ``constraint``,
        ``effective_size``, ``efficiency`` (effective size / degree),
        ``top_contact`` (id of the partner with the largest term in the
        constraint: the one it depends on most; the smallest id among equal
        terms), ``top_contact_share``
        (that term's share of the constraint). NaN for organisations without
        ties, or whose ties all weigh 0. ``meta`` states the view and the weight.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = burt_constraint(read_network("sample_data/tiny"), ["T1"], weight=None).table
    >>> float(df["constraint"].iloc[0]), float(df["effective_size"].iloc[0])
    (0.5, 2.0)
    """
    weight, note = resolve_weight(network, weight)
    # on organisations in id order: sums and equal-term choices do not depend on the row order of the input
    c = canonical(network)
    if ids is None:
        pos = np.arange(c.n, dtype=np.int64)
    else:
        ids = network.check_ids(ids, param="ids")
        idx = network.index
        pos = c.rank[np.array([idx[i] for i in ids], dtype=np.int64)] if ids else np.zeros(0, dtype=np.int64)
    a = c.adjacency(directed=False, weight=weight)
    und = c.pairs(directed=False)
    deg = np.bincount(und["u"], minlength=c.n) + np.bincount(und["v"], minlength=c.n)
    cons, eff, top, share = burt(a, pos)
    ids_all = c.ids
    d = deg[pos] if len(pos) else np.zeros(0, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        efficiency = np.where(d > 0, eff / np.where(d > 0, d, 1), np.nan)
    df = pd.DataFrame(
        {
            "id": ids_all[pos] if len(pos) else np.array([], dtype=object),
            "degree": d.astype(np.int64),
            "constraint": cons,
            "effective_size": eff,
            "efficiency": efficiency,
            "top_contact": np.where(top >= 0, ids_all[np.maximum(top, 0)] if len(pos) else top, ""),
            "top_contact_share": share,
        }
    )
    return Result({"constraint": df}, {"view": "undirected", "weight": note})


def brokerage(
    network: Network,
    ids: Iterable[str] | None = None,
    *,
    weight: str | None = "value",
    roles=None,
    top: int | None = None,
    sort: str = "constraint",
) -> Result:
    """Which organisations bridge otherwise separate groups (structural holes).

    Ego-level measures on the undirected view (ties read both ways, parallel
    ties aggregated). With ``p_ij`` the share of i's tie weight that goes to
    partner j:

    * **constraint** ``sum_j (p_ij + sum_q p_iq p_qj)^2``: how much an
      organisation's ties lead to partners who are tied to each other. Low
      constraint = a broker between groups that are not otherwise connected;
      high = embedded in one closed group (or dependent on one partner).
    * **effective size**: its number of partners minus their redundancy (how
      much they are tied to each other); for unweighted ties
      ``n - 2t/n`` with ``t`` the ties among its ``n`` partners.
    * **efficiency**: effective size / number of partners, in (0, 1].

    Parameters
    ----------
    network : Network
    ids : iterable of str, optional
        Organisations to report (all when None).
    weight : "value", "strength" or None (default="value")
        Tie weight; see :func:`burt_constraint`.
    roles : str or iterable of str, optional
        Keep only organisations with any of these roles.
    top : int, optional
        Keep the first ``top`` rows after sorting.
    sort : str (default="constraint")
        ``constraint`` (lowest first, the best brokers), ``effective_size``,
        ``efficiency`` or ``degree`` (largest first); ties broken by id.

    Returns
    -------
    Result
        The table ``"brokerage"``: ``id``, ``name``, ``roles``, ``degree``, ``constraint``,
        ``effective_size``, ``efficiency``, ``top_contact`` and
        ``top_contact_name`` (the partner it depends on most: the largest term
        of its constraint), ``top_contact_share`` (that term's share of the
        constraint), and ranks among the organisations reported:
        ``rank_constraint`` (1 = least constrained), ``rank_effective_size``
        and ``rank_efficiency`` (1 = largest). Organisations without ties (or
        whose ties all weigh 0) have NaN measures and rank last.
        ``meta`` states the view, the weight and the filters.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = brokerage(read_network("sample_data/tiny"), weight=None, top=2).table
    >>> df["id"].tolist(), df["constraint"].round(3).tolist()
    (['F1', 'S2'], [0.264, 0.454])
    """
    sort = choice(sort, "sort", BROKERAGE_SORTS, what="sort column")
    top = whole_number(top, "top", optional=True)
    roles = role_list(roles)
    core = burt_constraint(network, ids, weight=weight)
    nodes = network.nodes.set_index("id")
    df = core.table.copy()
    df.insert(1, "name", nodes.loc[df["id"], "name"].to_numpy() if len(df) else [])
    df.insert(2, "roles", nodes.loc[df["id"], "roles"].map(";".join).to_numpy() if len(df) else [])
    top_names = df["top_contact"].map(nodes["name"]).astype(object)
    df.insert(df.columns.get_loc("top_contact") + 1, "top_contact_name", top_names.where(top_names.notna(), ""))
    if roles:
        keep = role_mask(network, roles)[[network.index[i] for i in df["id"]]]
        df = df[keep].reset_index(drop=True)
    df["rank_constraint"] = (
        df["constraint"].rank(ascending=True, method="min", na_option="bottom").fillna(len(df)).astype(np.int64)
    )
    df["rank_effective_size"] = rank_desc(df["effective_size"])
    df["rank_efficiency"] = rank_desc(df["efficiency"])
    asc = sort == "constraint"
    df = df.sort_values([sort, "id"], ascending=[asc, True], na_position="last", kind="stable").reset_index(drop=True)
    if top is not None:
        df = df.head(top).reset_index(drop=True)
    meta = {
        **core.meta,
        "organisations": "all" if ids is None else len(core.table),
        "roles": ", ".join(roles) if roles else "all",
        "sort": sort + (" (lowest first)" if asc else " (largest first)"),
        "top": top if top is not None else "all",
    }
    return Result({"brokerage": df}, meta, titles={"brokerage": "Brokerage"})
