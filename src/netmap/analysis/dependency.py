"""Partner dependency: supply and sales concentration, hidden tier-n suppliers, structural criticality.

How dependent is a focal organisation on single partners, and what does it
lose if one fails? Every function takes the ties active on a date (default:
today) and returns a ranked DataFrame whose ``reason`` column says why a row
is there; ``attrs["meta"]`` records the definitions and options used.

* :func:`supply_concentration` / :func:`supply_categories` -- per input
  category (the ``category`` of ``SUPPLIES`` ties into the focal): each
  supplier's share of spend and the Herfindahl-Hirschman index.
* :func:`sales_concentration` / :func:`sales_channels` -- share of the
  focal's sales value per customer and per distributor.
* :func:`hidden_concentration` -- organisations further upstream on which
  several tier-1 suppliers depend.
* :func:`structural_criticality` -- articulation points and bridges of the
  focal's network.
* :func:`what_if` and :func:`dependency_ranking` (from
  :mod:`netmap.analysis.whatif`) -- what the focal loses when partners fail.
* :func:`dependency_report` -- all of the above at once.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import NetmapError
from ..network import Network
from .whatif import (
    NO_CATEGORY,
    WhatIfResult,
    _day,
    _Model,
    _model,
    _neighbours,
    _popcount,
    dependency_ranking,
    what_if,
)

__all__ = [
    "supply_concentration",
    "supply_categories",
    "sales_concentration",
    "sales_channels",
    "hidden_concentration",
    "structural_criticality",
    "what_if",
    "WhatIfResult",
    "dependency_ranking",
    "dependency_report",
    "DependencyReport",
    "hhi",
    "concentration_level",
    "HIGHLY_CONCENTRATED",
    "MODERATELY_CONCENTRATED",
]

#: HHI at or above which a category or channel is highly concentrated.
HIGHLY_CONCENTRATED = 2500.0
#: HHI at or above which it is moderately concentrated.
MODERATELY_CONCENTRATED = 1500.0


def hhi(shares) -> float:
    """Herfindahl-Hirschman index of market shares in [0, 1], on the 0-10,000 scale.

    The sum of the squared shares in percent.

    >>> hhi([0.8, 0.2])
    6800.0
    >>> hhi([0.25] * 4)
    2500.0
    """
    s = np.asarray(list(shares), dtype=float) * 100.0
    return float(np.round((s * s).sum(), 6))


def concentration_level(index: float, partners: int, single: str = "single source") -> str:
    """Words for an HHI: ``single`` (one partner), highly, moderately or un-concentrated.

    The bands follow the US merger guidelines of 2010 (1,500 and 2,500),
    with "highly concentrated" from 2,500 inclusive.

    >>> concentration_level(6800, 2), concentration_level(10000, 1), concentration_level(1200, 9)
    ('highly concentrated', 'single source', 'unconcentrated')
    """
    if partners == 1:
        return single
    if index >= HIGHLY_CONCENTRATED:
        return "highly concentrated"
    if index >= MODERATELY_CONCENTRATED:
        return "moderately concentrated"
    return "unconcentrated"


# ------------------------------------------------------------------ supply
_SUPPLY_COLUMNS = ["category", "supplier", "name", "value", "share", "suppliers_in_category", "hhi",
                   "single_source", "highly_concentrated", "exclusive", "basis", "reason"]
_CATEGORY_COLUMNS = ["category", "suppliers", "total_value", "hhi", "level", "top_supplier", "top_name",
                     "top_share", "single_source", "highly_concentrated", "exclusive_suppliers",
                     "other_known_suppliers", "basis", "reason"]


def supply_concentration(
    network: Network,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
) -> pd.DataFrame:
    """Each supplier's share of the focal organisation's spend, per input category.

    Parameters
    ----------
    network : Network
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)
        Only ties active on this date count.

    Returns
    -------
    DataFrame
        One row per (category, supplier): ``category`` (the tie's category,
        ``(uncategorised)`` when empty), ``supplier`` (id), ``name``,
        ``value`` (summed over the supplier's ties in the category; NaN when
        none records a value), ``share`` of the category's spend,
        ``suppliers_in_category``, ``hhi`` of the category (0-10,000),
        ``single_source``, ``highly_concentrated`` (HHI >= 2,500),
        ``exclusive`` (any of its ties in the category is exclusive),
        ``basis`` (``value``, or ``count`` when no tie of the category records
        a value and the suppliers share equally), ``reason``. Most
        concentrated categories first, then by share.

    Notes
    -----
    Shares are of the value of active ``SUPPLIES`` ties into the focal. In a
    category where some ties lack a value, those count as 0 (the reason says
    so); where none has a value, each supplier gets an equal share.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = supply_concentration(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> df[["category", "supplier", "share", "hhi"]].to_dict("records")[:2]
    [{'category': 'chips', 'supplier': 'S3', 'share': 1.0, 'hhi': 10000.0}, {'category': 'steel', 'supplier': 'S1', 'share': 0.8, 'hhi': 6800.0}]
    """
    net, focal, day = _prepare(network, focal, as_of)
    rows, _ = _supply_tables(net, focal)
    rows.attrs["meta"] = _concentration_meta(focal, day)
    return rows


def supply_categories(
    network: Network,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
) -> pd.DataFrame:
    """One row per input category of the focal organisation: how concentrated its supply is.

    Returns
    -------
    DataFrame
        ``category``, ``suppliers``, ``total_value``, ``hhi``, ``level``
        (single source / highly / moderately / unconcentrated),
        ``top_supplier``, ``top_name``, ``top_share``, ``single_source``,
        ``highly_concentrated``, ``exclusive_suppliers`` (count),
        ``other_known_suppliers`` (organisations in the network that supply
        this category to someone else but not to the focal: alternatives to
        approach), ``basis``, ``reason``. Highest HHI first.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = supply_categories(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> df[["category", "suppliers", "hhi", "level"]].to_dict("records")
    [{'category': 'chips', 'suppliers': 1, 'hhi': 10000.0, 'level': 'single source'}, {'category': 'steel', 'suppliers': 2, 'hhi': 6800.0, 'level': 'highly concentrated'}]
    """
    net, focal, day = _prepare(network, focal, as_of)
    _, cats = _supply_tables(net, focal)
    cats.attrs["meta"] = _concentration_meta(focal, day)
    return cats


def _prepare(network: Network, focal, as_of):
    focal = network.resolve_focal(focal)
    day = _day(as_of)
    return network.active(day), focal, day


def _concentration_meta(focal: str, day: str) -> dict:
    return {
        "focal": focal,
        "as_of": day,
        "ties": "only ties active on as_of",
        "share": "of the value of the focal's ties in the category or channel (missing values count as 0; "
                 "equal shares when no tie records a value)",
        "hhi": "sum of squared percentage shares, 0-10,000; highly concentrated from 2,500, moderately from 1,500",
    }


def _supply_tables(net: Network, focal: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    e = net.edges
    into = e[(e["type"] == "SUPPLIES") & (e["target"] == focal) & (e["source"] != focal)]
    if into.empty:
        return pd.DataFrame(columns=_SUPPLY_COLUMNS), pd.DataFrame(columns=_CATEGORY_COLUMNS)
    cat = into["category"].where(into["category"] != "", NO_CATEGORY)
    d = pd.DataFrame({
        "category": cat.to_numpy(), "supplier": into["source"].to_numpy(),
        "value": into["value"].to_numpy(dtype=float), "exclusive": into["exclusive"].to_numpy(dtype=bool),
    })
    g = d.groupby(["category", "supplier"], sort=True)
    per = g.agg(value=("value", lambda s: s.sum(min_count=1)), known=("value", "count"), ties=("value", "size"),
                exclusive=("exclusive", "any")).reset_index()
    names = net.names
    # alternatives: suppliers of the same category to anyone else
    others = e[(e["type"] == "SUPPLIES") & (e["target"] != focal)]
    ocat = others["category"].where(others["category"] != "", NO_CATEGORY)
    alt = pd.DataFrame({"category": ocat.to_numpy(), "supplier": others["source"].to_numpy()})
    alt = alt[alt["supplier"] != focal].drop_duplicates()

    rows, cats = [], []
    for c, grp in per.groupby("category", sort=True):
        shares, basis = _shares(grp["value"].to_numpy(dtype=float))
        k = len(grp)
        index = hhi(shares)
        level = concentration_level(index, k)
        total = float(np.nansum(grp["value"].to_numpy(dtype=float)))
        known_sups = set(grp["supplier"])
        n_alt = int((~alt.loc[alt["category"] == c, "supplier"].isin(known_sups)).sum())
        for (sup, val, known, ties, exc), sh in zip(
            grp[["supplier", "value", "known", "ties", "exclusive"]].itertuples(index=False, name=None), shares
        ):
            if k == 1:
                why = f"only supplier of {c} (single source)"
            else:
                why = f"{sh:.1%} of {c} spend" + (f" ({val:,.0f} of {total:,.0f})" if basis == "value" else
                                                  " (equal share: no tie records a value)")
                why += f"; {k} suppliers, HHI {index:,.0f}: {level}"
            if basis == "value" and known < ties:
                why += "; a tie without a recorded value counted as 0"
            if exc:
                why += "; exclusive tie"
            if k == 1 and n_alt:
                why += f"; {n_alt} other organisation(s) in the network supply {c}"
            rows.append({"category": c, "supplier": sup, "name": names.get(sup, sup), "value": val,
                         "share": float(sh), "suppliers_in_category": k, "hhi": index, "single_source": k == 1,
                         "highly_concentrated": index >= HIGHLY_CONCENTRATED, "exclusive": bool(exc),
                         "basis": basis, "reason": why})
        top = int(np.argmax(shares))  # first maximal share; rows are in id order
        top_id = grp["supplier"].iloc[top]
        n_exc = int(grp["exclusive"].sum())
        why = f"{level}: {k} supplier(s), HHI {index:,.0f}; {top_id} {names.get(top_id, top_id)} has {shares[top]:.1%}"
        if n_exc:
            why += f"; {n_exc} exclusive tie(s)"
        n_unknown = int((grp["known"] == 0).sum())
        if basis == "value" and n_unknown:
            why += f"; {n_unknown} supplier(s) without a recorded value counted as 0"
        elif basis == "count":
            why += "; no recorded values: equal shares"
        why += (f"; {n_alt} other organisation(s) in the network supply {c}" if n_alt else
                f"; no other organisation in the network supplies {c}")
        cats.append({"category": c, "suppliers": k, "total_value": total, "hhi": index, "level": level,
                     "top_supplier": top_id, "top_name": names.get(top_id, top_id), "top_share": float(shares[top]),
                     "single_source": k == 1, "highly_concentrated": index >= HIGHLY_CONCENTRATED,
                     "exclusive_suppliers": n_exc, "other_known_suppliers": n_alt, "basis": basis, "reason": why})
    cats_df = pd.DataFrame(cats, columns=_CATEGORY_COLUMNS)
    cats_df = cats_df.sort_values(["hhi", "total_value", "category"], ascending=[False, False, True],
                                  kind="stable").reset_index(drop=True)
    order = {c: i for i, c in enumerate(cats_df["category"])}
    rows_df = pd.DataFrame(rows, columns=_SUPPLY_COLUMNS)
    rows_df = rows_df.assign(_o=rows_df["category"].map(order)).sort_values(
        ["_o", "share", "supplier"], ascending=[True, False, True], kind="stable"
    ).drop(columns="_o").reset_index(drop=True)
    return rows_df, cats_df


def _shares(values: np.ndarray) -> tuple[np.ndarray, str]:
    """Shares of ``values`` (NaN counted as 0); equal shares when no value is known or all are 0."""
    known = ~np.isnan(values)
    v = np.where(known, values, 0.0)
    total = v.sum()
    if not known.any() or total <= 0:
        return np.full(len(values), 1.0 / len(values)), "count"
    return v / total, "value"


# ------------------------------------------------------------------- sales
_SALES_COLUMNS = ["channel", "id", "name", "tie_types", "value", "share", "sales_share", "rank",
                  "cumulative_share", "exclusive", "reason"]
_CHANNEL_COLUMNS = ["channel", "partners", "total_value", "top1_id", "top1_name", "top1_share", "top5_share",
                    "hhi", "level", "basis", "reason"]
_CHANNEL_OF = {"SELLS_TO": "customer", "SUPPLIES": "customer", "SELLS_THROUGH": "distributor"}


def sales_concentration(
    network: Network,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
) -> pd.DataFrame:
    """Each customer's and each distributor's share of the focal organisation's sales value.

    Sales are the focal's outgoing active ties: ``SELLS_TO`` and ``SUPPLIES``
    (channel ``customer``: it sells to or supplies them directly) and
    ``SELLS_THROUGH`` (channel ``distributor``).

    Returns
    -------
    DataFrame
        One row per (channel, partner): ``channel``, ``id``, ``name``,
        ``tie_types``, ``value``, ``share`` (of the channel),
        ``sales_share`` (of all the focal's sales), ``rank`` and
        ``cumulative_share`` within the channel, ``exclusive``, ``reason``.
        ``attrs["summary"]`` holds :func:`sales_channels` (top-1, top-5 share
        and HHI per channel and overall).

    Examples
    --------
    >>> from netmap import read_network
    >>> df = sales_concentration(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> df[["channel", "id", "share"]].to_dict("records")
    [{'channel': 'distributor', 'id': 'D1', 'share': 0.75}, {'channel': 'distributor', 'id': 'D2', 'share': 0.25}, {'channel': 'customer', 'id': 'C1', 'share': 1.0}]
    """
    net, focal, day = _prepare(network, focal, as_of)
    rows, summary = _sales_tables(net, focal)
    rows.attrs["meta"] = _concentration_meta(focal, day) | {
        "channels": "customer = SELLS_TO and SUPPLIES ties from the focal; distributor = SELLS_THROUGH ties",
    }
    rows.attrs["summary"] = summary
    return rows


def sales_channels(
    network: Network,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
) -> pd.DataFrame:
    """Concentration of the focal organisation's sales per channel and overall.

    Returns
    -------
    DataFrame
        One row per channel (``customer``, ``distributor``, ``all``):
        ``partners``, ``total_value``, ``top1_id``, ``top1_name``,
        ``top1_share``, ``top5_share`` (share of the five largest),
        ``hhi``, ``level``, ``basis``, ``reason``. In ``all`` a partner
        reached through both channels counts once, with both values summed.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = sales_channels(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> df[["channel", "top1_share", "hhi"]].to_dict("records")
    [{'channel': 'customer', 'top1_share': 1.0, 'hhi': 10000.0}, {'channel': 'distributor', 'top1_share': 0.75, 'hhi': 6250.0}, {'channel': 'all', 'top1_share': 0.6666666666666666, 'hhi': 5061.728395}]
    """
    net, focal, day = _prepare(network, focal, as_of)
    _, summary = _sales_tables(net, focal)
    summary.attrs["meta"] = _concentration_meta(focal, day)
    return summary


def _sales_tables(net: Network, focal: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    e = net.edges
    out = e[(e["source"] == focal) & (e["target"] != focal) & e["type"].isin(list(_CHANNEL_OF))]
    names = net.names
    d = pd.DataFrame({
        "channel": out["type"].map(_CHANNEL_OF).to_numpy(), "id": out["target"].to_numpy(),
        "type": out["type"].to_numpy(), "value": out["value"].to_numpy(dtype=float),
        "exclusive": out["exclusive"].to_numpy(dtype=bool),
    })
    per = d.groupby(["channel", "id"], sort=True).agg(
        value=("value", lambda s: s.sum(min_count=1)), tie_types=("type", lambda s: ";".join(sorted(set(s)))),
        exclusive=("exclusive", "any"),
    ).reset_index()
    all_known = float(np.nansum(per["value"].to_numpy(dtype=float)))
    rows, summary = [], []
    for ch in ("customer", "distributor", "all"):
        if ch == "all":
            grp = per.groupby("id", sort=True).agg(value=("value", lambda s: s.sum(min_count=1))).reset_index()
        else:
            grp = per[per["channel"] == ch].reset_index(drop=True)
        if grp.empty:
            summary.append({"channel": ch, "partners": 0, "total_value": 0.0, "top1_id": "", "top1_name": "",
                            "top1_share": np.nan, "top5_share": np.nan, "hhi": np.nan, "level": "no sales",
                            "basis": "", "reason": f"no {ch} sales ties" if ch != "all" else "no sales ties"})
            continue
        shares, basis = _shares(grp["value"].to_numpy(dtype=float))
        order = np.lexsort((grp["id"].to_numpy(), -shares))
        grp = grp.iloc[order].reset_index(drop=True)
        shares = shares[order]
        k = len(grp)
        index = hhi(shares)
        level = concentration_level(index, k, "single partner" if ch == "all" else f"single {ch}")
        total = float(np.nansum(grp["value"].to_numpy(dtype=float)))
        cum = np.cumsum(shares)
        top1_id = grp["id"].iloc[0]
        summary.append({
            "channel": ch, "partners": k, "total_value": total, "top1_id": top1_id,
            "top1_name": names.get(top1_id, top1_id), "top1_share": float(shares[0]),
            "top5_share": float(cum[min(4, k - 1)]), "hhi": index, "level": level, "basis": basis,
            "reason": (f"{level}: {k} {'partner' if ch == 'all' else ch}(s), HHI {index:,.0f}; "
                       f"largest {top1_id} {names.get(top1_id, top1_id)} {shares[0]:.1%}, top 5 {cum[min(4, k - 1)]:.1%}"),
        })
        if ch == "all":
            continue
        for i, r in enumerate(grp.itertuples(index=False)):
            sales_share = (float(r.value) / all_known if all_known > 0 and not np.isnan(r.value) else np.nan)
            why = f"{shares[i]:.1%} of {ch} sales" + (f" ({r.value:,.0f})" if basis == "value" and not np.isnan(r.value) else "")
            why += f", rank {i + 1} of {k}"
            if not np.isnan(sales_share):
                why += f"; {sales_share:.1%} of all sales"
            if k == 1:
                why += f"; your only {ch}"
            if r.exclusive:
                why += "; exclusive tie"
            rows.append({"channel": ch, "id": r.id, "name": names.get(r.id, r.id), "tie_types": r.tie_types,
                         "value": r.value, "share": float(shares[i]), "sales_share": sales_share, "rank": i + 1,
                         "cumulative_share": float(cum[i]), "exclusive": bool(r.exclusive), "reason": why})
    rows_df = pd.DataFrame(rows, columns=_SALES_COLUMNS)
    if len(rows_df):
        first = {"distributor": 0, "customer": 1}
        # the channel with more sales first
        tot = rows_df.groupby("channel")["value"].sum()
        order = sorted(tot.index, key=lambda c: (-tot[c], first[c]))
        rows_df["_o"] = rows_df["channel"].map({c: i for i, c in enumerate(order)})
        rows_df = rows_df.sort_values(["_o", "rank"], kind="stable").drop(columns="_o").reset_index(drop=True)
    return rows_df, pd.DataFrame(summary, columns=_CHANNEL_COLUMNS)


# ------------------------------------------------------------ hidden tier-n
_HIDDEN_COLUMNS = ["id", "name", "tier", "tier1_count", "tier1_share", "tier1_ids", "spend_through", "spend_share",
                   "categories_through", "tier1_cut_off", "categories_lost", "reason"]


def hidden_concentration(
    network: Network,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
    min_tier1: int = 2,
    max_ids: int = 25,
) -> pd.DataFrame:
    """Organisations upstream on which several of the focal organisation's tier-1 suppliers depend.

    Tier 1 are the organisations with an active ``SUPPLIES`` tie into the
    focal; tier *n* those *n* ``SUPPLIES`` hops upstream (the shortest
    chain). A tier-1 supplier *depends on* an organisation when a chain of
    ``SUPPLIES`` ties leads from that organisation to it.

    Parameters
    ----------
    network : Network
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)
        Only ties active on this date count.
    min_tier1 : int (default=2)
        Report organisations on which at least this many tier-1 suppliers depend.
    max_ids : int (default=25)
        How many dependent tier-1 ids to list per row (those with the most
        spend first); ``tier1_count`` always counts all of them.

    Returns
    -------
    DataFrame
        ``id``, ``name``, ``tier`` (1 when it also supplies the focal
        directly), ``tier1_count`` (other tier-1 suppliers depending on it),
        ``tier1_share`` (of all tier-1 suppliers), ``tier1_ids``,
        ``spend_through``, ``spend_share`` (of the focal's spend),
        ``categories_through`` (input categories in which every tier-1
        supplier depends on it, or is it), ``tier1_cut_off`` and
        ``categories_lost`` (what its failure alone would cut off: see
        :func:`what_if`), ``reason``. Most tier-1s first, then most spend.

    Notes
    -----
    ``spend_through`` attributes to an upstream organisation the focal's
    whole spend with every tier-1 supplier that depends on it: the spend
    exposed if it fails, an upper bound (the data do not say how much of a
    tier-1's output needs its input). Dependencies are found for all
    suppliers at once by propagating bitsets of tier-1 suppliers through the
    condensation of the supply graph.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = hidden_concentration(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> df[["id", "tier", "tier1_count", "tier1_ids", "spend_through", "categories_through"]].to_dict("records")
    [{'id': 'T1', 'tier': 2, 'tier1_count': 2, 'tier1_ids': 'S1;S2', 'spend_through': 500000.0, 'categories_through': 'steel'}]
    """
    if int(min_tier1) < 1:
        raise NetmapError(f"min_tier1 must be at least 1, not {min_tier1}")
    if int(max_ids) < 0:
        raise NetmapError(f"max_ids must be 0 or more, not {max_ids}")
    model = _model(network, focal, as_of)
    df = _hidden(model, int(min_tier1), int(max_ids))
    df.attrs["meta"] = {
        "focal": model.focal, "as_of": model.as_of, "ties": "only ties active on as_of",
        "tier": "tier-1 = SUPPLIES tie into the focal; tier-n = n SUPPLIES hops upstream (shortest chain)",
        "depends_on": "a chain of SUPPLIES ties leads from the organisation to the tier-1 supplier",
        "spend_through": "the focal's whole spend with every dependent tier-1 supplier (an upper bound)",
        "min_tier1": int(min_tier1), "max_ids": int(max_ids),
    }
    return df


def _hidden(model: _Model, min_tier1: int, max_ids: int) -> pd.DataFrame:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = model.n
    ids, names = model.ids, model.names
    t1 = np.flatnonzero(model.tier1)
    if len(t1) < min_tier1 or not len(model.sup_u):
        return pd.DataFrame(columns=_HIDDEN_COLUMNS)
    # bit i <-> tier-1 supplier t1[i], most spend first
    t1 = t1[np.lexsort((ids[t1].astype(str), -model.spend[t1]))]
    nt = len(t1)
    words = (nt + 63) // 64
    bit_word = np.arange(nt) // 64
    bit_mask = np.left_shift(np.uint64(1), (np.arange(nt) % 64).astype(np.uint64))
    su, sv = model.sup_u, model.sup_v
    m = csr_matrix((np.ones(len(su)), (su, sv)), shape=(n, n))
    ncomp, lab = connected_components(m, directed=True, connection="strong")
    lab = lab.astype(np.int64)
    size = np.bincount(lab, minlength=ncomp)
    own = np.zeros((ncomp, words), dtype=np.uint64)
    np.bitwise_or.at(own, (lab[t1], bit_word), bit_mask)
    ext = lab[su] != lab[sv]
    ca, cb = lab[su[ext]], lab[sv[ext]]
    key = np.unique(ca * ncomp + cb)
    ca, cb = key // ncomp, key % ncomp
    succ_ptr = np.zeros(ncomp + 1, dtype=np.int64)
    np.cumsum(np.bincount(ca, minlength=ncomp), out=succ_ptr[1:])
    succ = (succ_ptr, cb)
    o = np.argsort(cb, kind="stable")
    pred_ptr = np.zeros(ncomp + 1, dtype=np.int64)
    np.cumsum(np.bincount(cb, minlength=ncomp), out=pred_ptr[1:])
    pred = (pred_ptr, ca[o])
    # R[c]: tier-1 suppliers reachable from group c along at least one tie
    reach = np.zeros((ncomp, words), dtype=np.uint64)
    cyc = size > 1
    reach[cyc] = own[cyc]
    outdeg = np.bincount(ca, minlength=ncomp)
    in_up = np.zeros(ncomp, dtype=bool)
    in_up[lab[np.flatnonzero(model.upstream)]] = True
    frontier = np.flatnonzero((outdeg == 0) & in_up)
    while len(frontier):
        cnt = succ_ptr[frontier + 1] - succ_ptr[frontier]
        has = frontier[cnt > 0]
        if len(has):
            dst = _neighbours(succ, has)
            vals = own[dst] | reach[dst]
            starts = np.concatenate([[0], np.cumsum(cnt[cnt > 0])[:-1]])
            reach[has] |= np.bitwise_or.reduceat(vals, starts, axis=0)
        p = _neighbours(pred, frontier)
        if not len(p):
            break
        np.subtract.at(outdeg, p, 1)
        p = np.unique(p)
        frontier = p[outdeg[p] == 0]
    up = np.flatnonzero(model.upstream)
    bits = reach[lab[up]]
    # an organisation does not depend on itself
    self_i = np.full(n, -1, dtype=np.int64)
    self_i[t1] = np.arange(nt)
    si = self_i[up]
    is_t1 = si >= 0
    selfbits = np.zeros_like(bits)
    selfbits[np.flatnonzero(is_t1), bit_word[si[is_t1]]] = bit_mask[si[is_t1]]
    bits &= ~selfbits
    count = _popcount(bits)
    keep = count >= min_tier1
    up, bits, selfbits, count = up[keep], bits[keep], selfbits[keep], count[keep]
    if not len(up):
        return pd.DataFrame(columns=_HIDDEN_COLUMNS)
    spend_t1 = model.spend[t1]
    total_spend = float(model.spend.sum())
    # categories whose every tier-1 supplier depends on the organisation (or is it)
    cover = bits | selfbits
    cat_through = [[] for _ in range(len(up))]
    for cat, sups in model.categories.items():
        mask = np.zeros(words, dtype=np.uint64)
        np.bitwise_or.at(mask, bit_word[self_i[sups]], bit_mask[self_i[sups]])
        full = ((cover & mask) == mask).all(axis=1)
        for i in np.flatnonzero(full):
            cat_through[i].append(cat)
    t1_cut, _sp_cut, cat_lost = model.supply_dominance
    tier = model.tier
    rows = []
    chunk = 4096
    for a in range(0, len(up), chunk):
        b = min(len(up), a + chunk)
        unpacked = np.unpackbits(bits[a:b].view(np.uint8), axis=1, bitorder="little")[:, :nt].astype(bool)
        spend_thr = unpacked @ spend_t1
        for j in range(b - a):
            i = a + j
            x = int(up[i])
            dep = np.flatnonzero(unpacked[j])
            shown = dep[:max_ids]
            lost = sorted(cat_lost.get(x, []))
            through = sorted(cat_through[i])
            c = int(count[i])
            names_shown = ", ".join(f"{ids[t1[k]]} {names[t1[k]]}" for k in shown[:5])
            more = f" and {c - min(5, len(shown))} more" if c > min(5, len(shown)) else ""
            share = float(spend_thr[j]) / total_spend if total_spend > 0 else 0.0
            why = (f"{c} of your {nt} tier-1 suppliers depend on it ({names_shown}{more}), "
                   f"carrying {spend_thr[j]:,.0f} ({share:.1%}) of your spend")
            if tier[x] == 1:
                why += "; it also supplies you directly"
            if through:
                why += f"; every supplier of {', '.join(through)} depends on it"
            if t1_cut[x]:
                why += f"; if it failed, {int(t1_cut[x])} tier-1 supplier(s) would be left without supply"
            if lost:
                why += f" and {', '.join(lost)} would be lost"
            rows.append({
                "id": ids[x], "name": names[x], "tier": int(tier[x]), "tier1_count": c, "tier1_share": c / nt,
                "tier1_ids": ";".join(str(ids[t1[k]]) for k in shown), "spend_through": float(spend_thr[j]),
                "spend_share": share, "categories_through": ";".join(through),
                "tier1_cut_off": int(t1_cut[x]), "categories_lost": ";".join(lost), "reason": why,
            })
    df = pd.DataFrame(rows, columns=_HIDDEN_COLUMNS)
    return df.sort_values(["tier1_count", "spend_through", "id"], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)


# ------------------------------------------------------- structural criticality
_CRITICAL_COLUMNS = ["id", "name", "roles", "direct_partner", "hops", "articulation_point", "organisations_cut_off",
                     "cut_off_ids", "capabilities_lost", "lost_capabilities", "markets_lost", "lost_markets",
                     "bridges", "bridge_ties", "reason"]


def structural_criticality(
    network: Network,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
    max_ids: int = 10,
) -> pd.DataFrame:
    """Organisations whose loss cuts the focal organisation off from part of its network.

    The focal's network is every organisation connected to it by a chain of
    active ties of any type, read in either direction. An organisation is an
    *articulation point* of it when removing it disconnects the network; the
    focal then loses the part on the far side: organisations, and the
    capabilities and markets nobody left in reach holds. A *bridge* is a
    relationship (all ties between two organisations) whose end would split
    the network.

    Parameters
    ----------
    network : Network
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)
        Only ties active on this date count.
    max_ids : int (default=10)
        How many cut-off organisation ids to list per row.

    Returns
    -------
    DataFrame
        One row per organisation other than the focal that is an
        articulation point or an end of a bridge: ``id``, ``name``,
        ``roles``, ``direct_partner``, ``hops`` (ties from the focal),
        ``articulation_point``, ``organisations_cut_off`` (count),
        ``cut_off_ids`` (closest first), ``capabilities_lost``,
        ``lost_capabilities``, ``markets_lost``, ``lost_markets``,
        ``bridges`` (count), ``bridge_ties`` (``A-B`` pairs), ``reason``.
        Largest loss first.

    Notes
    -----
    One depth-first search with Hopcroft-Tarjan lowpoints gives the
    articulation points, the bridges and the dominator tree from the focal
    (the organisations cut off by removing ``x`` are exactly those ``x``
    dominates), so the whole table costs about one graph traversal.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = structural_criticality(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> df[["id", "articulation_point", "organisations_cut_off", "lost_markets", "bridge_ties"]].to_dict("records")[0]
    {'id': 'D2', 'articulation_point': True, 'organisations_cut_off': 1, 'lost_markets': 'JP', 'bridge_ties': 'D2-C2;F1-D2'}
    """
    if int(max_ids) < 0:
        raise NetmapError(f"max_ids must be 0 or more, not {max_ids}")
    model = _model(network, focal, as_of)
    df = _critical(model, int(max_ids))
    df.attrs["meta"] = {
        "focal": model.focal, "as_of": model.as_of, "ties": "only ties active on as_of",
        "network": "organisations connected to the focal by any chain of ties, either direction",
        "articulation_point": "removing it disconnects part of the focal's network",
        "bridge": "a relationship (all ties between two organisations) whose end splits the network",
    }
    return df


def _critical(model: _Model, max_ids: int) -> pd.DataFrame:
    und, org_cut, cap_lost, mkt_lost = model.network_dominance
    f, n = model.f, model.n
    ids, names = model.ids, model.names
    order = und.order
    pre, low, parent = und.pre, und.low, und.parent
    nonroot = order[1:]
    par = parent[nonroot]
    # bridges: tree edges p - v with low[v] > pre[p]
    is_bridge = low[nonroot] > pre[par]
    b_child, b_par = nonroot[is_bridge], par[is_bridge]
    n_bridges = np.bincount(np.concatenate([b_child, b_par]), minlength=n)
    bridge_text: dict[int, list[str]] = {}
    for c, p in zip(b_child.tolist(), b_par.tolist()):
        t = f"{ids[p]}-{ids[c]}"
        bridge_text.setdefault(c, []).append(t)
        bridge_text.setdefault(p, []).append(t)
    art = org_cut > 0
    cand = np.flatnonzero((art | (n_bridges > 0)) & (und.pre >= 0))
    cand = cand[cand != f]
    if not len(cand):
        return pd.DataFrame(columns=_CRITICAL_COLUMNS)
    # dominator-tree children, for listing what is cut off (closest first)
    idom = und.idom
    reached = order[1:]
    kids_order = reached[np.argsort(idom[reached], kind="stable")]
    kid_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(idom[reached], minlength=n), out=kid_ptr[1:])
    kids = (kid_ptr, kids_order)
    hops = model.hops_und
    direct = np.zeros(n, dtype=bool)
    direct[model.und[1][model.und[0][f]:model.und[0][f + 1]]] = True
    roles = model.net.nodes["roles"]
    rows = []
    for x in cand.tolist():
        listed: list[int] = []
        if art[x] and max_ids:
            frontier = np.array([x], dtype=np.int64)
            while len(frontier) and len(listed) < max_ids:
                frontier = _neighbours(kids, frontier)
                frontier = frontier[np.lexsort((ids[frontier].astype(str), hops[frontier]))]
                listed.extend(frontier[: max_ids - len(listed)].tolist())
        caps = sorted(cap_lost.get(x, []))
        mkts = sorted(mkt_lost.get(x, []))
        bt = sorted(bridge_text.get(x, []))
        k = int(org_cut[x])
        if k:
            shown = ", ".join(f"{ids[o]} {names[o]}" for o in listed[:3])
            why = f"its loss cuts you off from {k} organisation(s) ({shown}{' ...' if k > 3 else ''})"
            if caps:
                why += f"; capabilities {', '.join(caps[:8])}{' ...' if len(caps) > 8 else ''}"
            if mkts:
                why += f"; markets {', '.join(mkts[:8])}{' ...' if len(mkts) > 8 else ''}"
        else:
            p = int(parent[x])
            why = f"linked to the rest of your network only through its relationship with {ids[p]} {names[p]}"
            if caps or mkts:
                why += "; its loss takes " + ", ".join(caps + mkts) + " out of reach"
        if bt:
            why += f"; bridge(s): {', '.join(bt[:5])}{' ...' if len(bt) > 5 else ''}"
        rows.append({
            "id": ids[x], "name": names[x], "roles": ";".join(roles.iat[x]), "direct_partner": bool(direct[x]),
            "hops": int(hops[x]), "articulation_point": bool(art[x]), "organisations_cut_off": k,
            "cut_off_ids": ";".join(str(ids[o]) for o in listed), "capabilities_lost": len(caps),
            "lost_capabilities": ";".join(caps), "markets_lost": len(mkts), "lost_markets": ";".join(mkts),
            "bridges": int(n_bridges[x]), "bridge_ties": ";".join(bt), "reason": why,
        })
    df = pd.DataFrame(rows, columns=_CRITICAL_COLUMNS)
    df["_lost"] = df["capabilities_lost"] + df["markets_lost"]
    df = df.sort_values(["organisations_cut_off", "_lost", "direct_partner", "hops", "id"],
                        ascending=[False, False, False, True, True], kind="stable")
    return df.drop(columns="_lost").reset_index(drop=True)


# ------------------------------------------------------------------ report
@dataclass
class DependencyReport:
    """Everything :func:`dependency_report` computes for one focal organisation.

    Attributes
    ----------
    focal, as_of : str
    categories : DataFrame  (:func:`supply_categories`)
    supply : DataFrame      (:func:`supply_concentration`)
    channels : DataFrame    (:func:`sales_channels`)
    sales : DataFrame       (:func:`sales_concentration`)
    hidden : DataFrame      (:func:`hidden_concentration`)
    critical : DataFrame    (:func:`structural_criticality`)
    ranking : DataFrame     (:func:`dependency_ranking`)
    meta : dict
    """

    focal: str
    as_of: str
    categories: pd.DataFrame
    supply: pd.DataFrame
    channels: pd.DataFrame
    sales: pd.DataFrame
    hidden: pd.DataFrame
    critical: pd.DataFrame
    ranking: pd.DataFrame
    meta: dict = field(default_factory=dict)

    #: Section names in reading order.
    SECTIONS = ("categories", "supply", "channels", "sales", "hidden", "critical", "ranking")
    TITLES = {
        "categories": "Input categories: supply concentration",
        "supply": "Suppliers' share per input category",
        "channels": "Sales concentration per channel",
        "sales": "Customers' and distributors' share of sales",
        "hidden": "Hidden upstream concentration (tier 2+)",
        "critical": "Structural criticality: articulation points and bridges",
        "ranking": "Partners ranked by what their loss would cost",
    }

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {s: getattr(self, s) for s in self.SECTIONS}

    def node_table(self, ids=None) -> pd.DataFrame:
        """One row per organisation, with the figures worth storing on it (e.g. as Neo4j properties).

        Parameters
        ----------
        ids : iterable of str, optional
            Organisations to include (e.g. every id of the network, so that
            figures stored by an earlier run are cleared); by default those
            that appear in any table.

        Returns
        -------
        DataFrame
            ``id``, ``dependency_rank``, ``value_at_risk``, ``single_source``
            (sole supplier of an input category), ``hidden_tier1_count``,
            ``articulation_point``, ``organisations_cut_off``; NaN where an
            organisation has no such figure, False for the flags.
        """
        parts = []
        r = self.ranking
        if len(r):
            parts.append(pd.DataFrame({"id": r["id"], "dependency_rank": r["rank"].astype(float),
                                       "value_at_risk": r["value_at_risk"]}))
        s = self.supply
        if len(s):
            ss = s.groupby("supplier")["single_source"].any()
            parts.append(pd.DataFrame({"id": ss.index, "single_source": ss.to_numpy(dtype=bool)}))
        h = self.hidden
        if len(h):
            parts.append(pd.DataFrame({"id": h["id"], "hidden_tier1_count": h["tier1_count"].astype(float)}))
        c = self.critical
        if len(c):
            parts.append(pd.DataFrame({"id": c["id"], "articulation_point": c["articulation_point"].astype(bool),
                                       "organisations_cut_off": c["organisations_cut_off"].astype(float)}))
        cols = ["id", "dependency_rank", "value_at_risk", "single_source", "hidden_tier1_count",
                "articulation_point", "organisations_cut_off"]
        if ids is not None:
            parts.insert(0, pd.DataFrame({"id": pd.Series(list(ids), dtype=object)}))
        if not parts:
            return pd.DataFrame(columns=cols)
        out = parts[0]
        for p in parts[1:]:
            out = out.merge(p, on="id", how="outer")
        for col in cols:
            if col not in out.columns:
                out[col] = np.nan
        for col in ("single_source", "articulation_point"):
            out[col] = out[col].astype("boolean").fillna(False).astype(bool)
        return out[cols].sort_values("id", kind="stable").reset_index(drop=True)


def dependency_report(
    network: Network,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
    min_tier1: int = 2,
    by: str = "impact",
) -> DependencyReport:
    """All dependency tables for one focal organisation, sharing one model of its network.

    Parameters are those of the individual functions; see
    :class:`DependencyReport` for the tables.

    Examples
    --------
    >>> from netmap import read_network
    >>> rep = dependency_report(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> rep.ranking["id"].iloc[0], rep.hidden["id"].iloc[0]
    ('S3', 'T1')
    """
    if int(min_tier1) < 1:
        raise NetmapError(f"min_tier1 must be at least 1, not {min_tier1}")
    model = _model(network, focal, as_of)
    net, f, day = model.net, model.focal, model.as_of
    supply, categories = _supply_tables(net, f)
    sales, channels = _sales_tables(net, f)
    hidden = _hidden(model, int(min_tier1), 25)
    critical = _critical(model, 10)
    ranking = model.ranking(by)
    meta = dict(ranking.attrs.get("meta", {})) | {
        "hhi": _concentration_meta(f, day)["hhi"],
        "share": _concentration_meta(f, day)["share"],
        "tier": "tier-1 = SUPPLIES tie into the focal; tier-n = n SUPPLIES hops upstream",
        "spend_through": "the focal's whole spend with every dependent tier-1 supplier (an upper bound)",
        "min_tier1": int(min_tier1),
    }
    rep = DependencyReport(f, day, categories, supply, channels, sales, hidden, critical, ranking, meta)
    for df in rep.tables.values():
        df.attrs["meta"] = dict(meta)
    return rep

