"""Supply and sales concentration: each partner's share of the focal organisation's spend and sales, and the HHI.

* :func:`supply_concentration` / :func:`supply_categories` -- per input
  category (the ``category`` of ``SUPPLIES`` ties into the focal): each
  supplier's share of spend and the Herfindahl-Hirschman index.
* :func:`sales_concentration` / :func:`sales_channels` -- share of the
  focal's sales value per customer and per distributor.

Only ties active on a date (default: today) count. Every function returns a
:class:`~netmap.result.Result` whose ``reason`` column says why a row is
there and whose ``meta`` records the definitions used.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view
from .flows import NO_CATEGORY

__all__ = [
    "supply_concentration",
    "supply_categories",
    "sales_concentration",
    "sales_channels",
    "hhi",
    "concentration_level",
    "HIGHLY_CONCENTRATED",
    "MODERATELY_CONCENTRATED",
    "TITLES",
]

#: HHI at or above which a category or channel is highly concentrated.
HIGHLY_CONCENTRATED = 2500.0
#: HHI at or above which it is moderately concentrated.
MODERATELY_CONCENTRATED = 1500.0
#: A heading per table.
TITLES = {
    "categories": "Input categories: supply concentration",
    "supply": "Suppliers' share per input category",
    "channels": "Sales concentration per channel",
    "sales": "Customers' and distributors' share of sales",
}


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


# ------------------------------------------------------------ public functions
def supply_concentration(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
) -> Result:
    """Each supplier's share of the focal organisation's spend, per input category.

    Parameters
    ----------
    network : Network or FocalView
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)
        Only ties active on this date count.

    Returns
    -------
    Result
        ``result.table`` (the table ``"supply"``) has one row per (category,
        supplier): ``category`` (the tie's category, ``(uncategorised)`` when
        empty), ``supplier`` (id), ``name``, ``value`` (summed over the
        supplier's ties in the category; NaN when none records a value),
        ``share`` of the category's spend, ``suppliers_in_category``, ``hhi``
        of the category (0-10,000), ``single_source``,
        ``highly_concentrated`` (HHI >= 2,500), ``exclusive`` (any of its ties
        in the category is exclusive), ``basis`` (``value``, or ``count`` when
        no tie of the category records a value and the suppliers share
        equally), ``reason``. Most concentrated categories first, then by
        share.

    Notes
    -----
    Shares are of the value of active ``SUPPLIES`` ties into the focal. In a
    category where some ties lack a value, those count as 0 (the reason says
    so); where none has a value, each supplier gets an equal share.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = supply_concentration(read_network("sample_data/tiny"), "F1", as_of="2024-06-30").table
    >>> df[["category", "supplier", "share", "hhi"]].to_dict("records")[:2]
    [{'category': 'chips', 'supplier': 'S3', 'share': 1.0, 'hhi': 10000.0}, {'category': 'steel', 'supplier': 'S1', 'share': 0.8, 'hhi': 6800.0}]
    """
    view = focal_view(network, focal, as_of)
    rows, _ = view.cached("supply_tables", lambda: _supply_tables(view.network, view.focal))
    return Result({"supply": rows}, _meta(view), titles={"supply": TITLES["supply"]})


def supply_categories(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
) -> Result:
    """One row per input category of the focal organisation: how concentrated its supply is.

    Parameters are those of :func:`supply_concentration`.

    Returns
    -------
    Result
        ``result.table`` (the table ``"categories"``): ``category``,
        ``suppliers``, ``total_value``, ``hhi``, ``level`` (single source /
        highly / moderately / unconcentrated), ``top_supplier``,
        ``top_name``, ``top_share``, ``single_source``,
        ``highly_concentrated``, ``exclusive_suppliers`` (count),
        ``other_known_suppliers`` (organisations in the network that supply
        this category to someone else but not to the focal: alternatives to
        approach), ``basis``, ``reason``. Highest HHI first.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = supply_categories(read_network("sample_data/tiny"), "F1", as_of="2024-06-30").table
    >>> df[["category", "suppliers", "hhi", "level"]].to_dict("records")
    [{'category': 'chips', 'suppliers': 1, 'hhi': 10000.0, 'level': 'single source'}, {'category': 'steel', 'suppliers': 2, 'hhi': 6800.0, 'level': 'highly concentrated'}]
    """
    view = focal_view(network, focal, as_of)
    _, cats = view.cached("supply_tables", lambda: _supply_tables(view.network, view.focal))
    return Result({"categories": cats}, _meta(view), titles={"categories": TITLES["categories"]})


def sales_concentration(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
) -> Result:
    """Each customer's and each distributor's share of the focal organisation's sales value.

    Sales are the focal's outgoing active ties: ``SELLS_TO`` and ``SUPPLIES``
    (channel ``customer``: it sells to or supplies them directly) and
    ``SELLS_THROUGH`` (channel ``distributor``).

    Parameters are those of :func:`supply_concentration`.

    Returns
    -------
    Result
        ``result.table`` (the table ``"sales"``) has one row per (channel,
        partner): ``channel``, ``id``, ``name``, ``tie_types``, ``value``,
        ``share`` (of the channel), ``sales_share`` (of all the focal's
        sales), ``rank`` and ``cumulative_share`` within the channel,
        ``exclusive``, ``reason``. ``result["channels"]`` is the table of
        :func:`sales_channels` (top-1, top-5 share and HHI per channel and
        overall).

    Examples
    --------
    >>> from netmap import read_network
    >>> df = sales_concentration(read_network("sample_data/tiny"), "F1", as_of="2024-06-30").table
    >>> df[["channel", "id", "share"]].to_dict("records")
    [{'channel': 'distributor', 'id': 'D1', 'share': 0.75}, {'channel': 'distributor', 'id': 'D2', 'share': 0.25}, {'channel': 'customer', 'id': 'C1', 'share': 1.0}]
    """
    view = focal_view(network, focal, as_of)
    rows, summary = view.cached("sales_tables", lambda: _sales_tables(view.network, view.focal))
    return Result({"sales": rows, "channels": summary}, _meta(view, sales=True),
                  titles={"sales": TITLES["sales"], "channels": TITLES["channels"]})


def sales_channels(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
) -> Result:
    """Concentration of the focal organisation's sales per channel and overall.

    Parameters are those of :func:`supply_concentration`.

    Returns
    -------
    Result
        ``result.table`` (the table ``"channels"``) has one row per channel
        (``customer``, ``distributor``, ``all``): ``partners``,
        ``total_value``, ``top1_id``, ``top1_name``, ``top1_share``,
        ``top5_share`` (share of the five largest), ``hhi``, ``level``,
        ``basis``, ``reason``. In ``all`` a partner reached through both
        channels counts once, with both values summed.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = sales_channels(read_network("sample_data/tiny"), "F1", as_of="2024-06-30").table
    >>> df[["channel", "top1_share", "hhi"]].to_dict("records")
    [{'channel': 'customer', 'top1_share': 1.0, 'hhi': 10000.0}, {'channel': 'distributor', 'top1_share': 0.75, 'hhi': 6250.0}, {'channel': 'all', 'top1_share': 0.6666666666666666, 'hhi': 5061.728395}]
    """
    view = focal_view(network, focal, as_of)
    _, summary = view.cached("sales_tables", lambda: _sales_tables(view.network, view.focal))
    return Result({"channels": summary}, _meta(view, sales=True), titles={"channels": TITLES["channels"]})


# ------------------------------------------------------------------ helpers
_SUPPLY_COLUMNS = ["category", "supplier", "name", "value", "share", "suppliers_in_category", "hhi",
                   "single_source", "highly_concentrated", "exclusive", "basis", "reason"]
_CATEGORY_COLUMNS = ["category", "suppliers", "total_value", "hhi", "level", "top_supplier", "top_name",
                     "top_share", "single_source", "highly_concentrated", "exclusive_suppliers",
                     "other_known_suppliers", "basis", "reason"]
_SALES_COLUMNS = ["channel", "id", "name", "tie_types", "value", "share", "sales_share", "rank",
                  "cumulative_share", "exclusive", "reason"]
_CHANNEL_COLUMNS = ["channel", "partners", "total_value", "top1_id", "top1_name", "top1_share", "top5_share",
                    "hhi", "level", "basis", "reason"]
_CHANNEL_OF = {"SELLS_TO": "customer", "SUPPLIES": "customer", "SELLS_THROUGH": "distributor"}


def _meta(view: FocalView, sales: bool = False) -> dict:
    meta = {
        "focal": view.focal,
        "as_of": view.as_of,
        "ties": "only ties active on as_of",
        "share": "of the value of the focal's ties in the category or channel (missing values count as 0; "
                 "equal shares when no tie records a value)",
        "hhi": "sum of squared percentage shares, 0-10,000; highly concentrated from 2,500, moderately from 1,500",
    }
    if sales:
        meta["channels"] = "customer = SELLS_TO and SUPPLIES ties from the focal; distributor = SELLS_THROUGH ties"
    return meta


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
    # sums are added in an order fixed by the data, not by the row order of the input
    d = d.sort_values(["category", "supplier", "value", "exclusive"], kind="stable")
    g = d.groupby(["category", "supplier"], sort=True)
    per = g.agg(value=("value", lambda s: s.sum(min_count=1)), known=("value", "count"), ties=("value", "size"),
                exclusive=("exclusive", "any")).reset_index()
    names = net.names
    # alternatives: suppliers of the same category to anyone else
    others = e.loc[((e["type"] == "SUPPLIES") & (e["target"] != focal)).to_numpy(), ["category", "source"]]
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


def _sales_tables(net: Network, focal: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    e = net.edges
    out = e[(e["source"] == focal) & (e["target"] != focal) & e["type"].isin(list(_CHANNEL_OF))]
    names = net.names
    d = pd.DataFrame({
        "channel": out["type"].map(_CHANNEL_OF).to_numpy(), "id": out["target"].to_numpy(),
        "type": out["type"].to_numpy(), "value": out["value"].to_numpy(dtype=float),
        "exclusive": out["exclusive"].to_numpy(dtype=bool),
    })
    d = d.sort_values(["channel", "id", "type", "value", "exclusive"], kind="stable")  # sums in a fixed order
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

