"""The three flows of a focal organisation's network -- supply, downstream, network -- as integer arrays.

Dependency and what-if analyses share one :class:`FlowModel` per focal
organisation and date (see :func:`flow_model`):

* **supply** -- ``SUPPLIES`` ties upstream of the focal organisation. A
  supplier keeps working while at least one of its recorded suppliers keeps
  working; a supplier with no recorded supplier of its own (or one in a ring
  of suppliers that nothing feeds from outside) sources independently (its
  *origin* flag); what the focal itself supplies to its suppliers is not
  followed.
* **downstream** -- ``SUPPLIES``, ``SELLS_THROUGH`` and ``SELLS_TO`` ties
  followed from the focal organisation the way goods flow.
* **network** -- every tie, read both ways.

The model also holds the focal's own ties (spend per tier-1 supplier and
input category, value per partner), who counts as a customer, and who holds
which capability and market. Its dominator trees (:attr:`FlowModel.supply_dominance`,
:attr:`FlowModel.network_dominance`) say what each organisation's loss alone
costs.
"""

from __future__ import annotations

import datetime as _dt
import math
from functools import cached_property

import numpy as np
import pandas as pd

from ..engine.adjacency import csr
from ..engine.condensation import source_nodes
from ..engine.dominators import dominating_path, dominators, subtree_sums, undirected_structure
from ..engine.incidence import incidence
from ..engine.reach import bfs_levels, reach
from ..network import Network
from ..view import FocalView, focal_view

__all__ = ["FlowModel", "flow_model", "NO_CATEGORY", "DOWNSTREAM_TYPES"]

#: The category of a tie that records none.
NO_CATEGORY = "(uncategorised)"
#: Tie types followed downstream from the focal organisation.
DOWNSTREAM_TYPES = ("SUPPLIES", "SELLS_THROUGH", "SELLS_TO")


def flow_model(network: Network | FocalView, focal: str | None = None,
               as_of: _dt.date | str | None = None) -> "FlowModel":
    """The :class:`FlowModel` of ``focal``'s network on ``as_of`` (built once per :class:`~netmap.view.FocalView`).

    Parameters
    ----------
    network : Network or FocalView
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)
        Only ties active on this date are followed.

    Examples
    --------
    >>> from netmap import read_network
    >>> m = flow_model(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> sorted(m.categories), int(m.tier1.sum())
    (['chips', 'steel'], 3)
    """
    view = focal_view(network, focal, as_of)
    return view.cached("flows", lambda: FlowModel(view))


class FlowModel:
    """The supply, downstream and network flows of one focal organisation's network on one date.

    Parameters
    ----------
    view : FocalView
        The focal organisation and the ties active on the date.

    Attributes
    ----------
    net : Network
        The ties active on :attr:`as_of`.
    focal, as_of : str
    n, f : int
        Number of organisations; the focal organisation's position.
    ids, names : ndarray
        Id and name per position.
    rank : ndarray of int
        Each position's place in id order (ties are broken and sums added in
        this order, so no result depends on the row order of the input).
    und, down, sup : CSR adjacency lists
        The network flow (every tie, both ways), the downstream flow and the
        supply flow among the organisations upstream of the focal.
    sup_rev, sup_rev_all : CSR
        Supply arcs reversed: among the upstream organisations, and over all ``SUPPLIES`` ties.
    sup_u, sup_v : ndarray
        The supply flow's arcs.
    upstream, origins : ndarray of bool
        Organisations upstream of the focal, and those of them that source independently.
    focal_ties : DataFrame
        The focal's ties: ``pos`` (the partner), ``type``, ``direction``,
        ``category``, ``value`` (missing as 0), ``raw_value``; by partner id,
        then type, direction, category.
    total_value : float
        Value of all the focal's ties.
    direct_value, spend : ndarray
        Per organisation: value of its ties with the focal; the focal's spend with it.
    tier1 : ndarray of bool
        Organisations with a ``SUPPLIES`` tie into the focal.
    categories : dict of str to ndarray
        Input category -> positions of its tier-1 suppliers.
    category_value : dict of str to float
        The focal's spend per input category.
    customer : ndarray of bool
        Customers: the customer role, ``SELLS_TO`` buyers, organisations the focal supplies.
    clv : ndarray
        Customer lifetime value (missing as 0).
    cap_items, cap_matrix, mkt_items, mkt_matrix
        Capabilities and markets held, as item names and sparse incidence matrices.
    """

    def __init__(self, view: FocalView) -> None:
        net = view.network
        self.net = net
        self.focal = view.focal
        self.as_of = view.as_of
        n = self.n = net.n_nodes
        self.f = f = net.index[self.focal]
        e = net.edges
        u, v = net.endpoints()
        u = np.asarray(u, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        types = e["type"]  # compared as Arrow strings; Python objects only for the focal's own ties
        val = e["value"].fillna(0.0).to_numpy(dtype=float)
        sym = e["symmetric"].to_numpy(dtype=bool)
        self.ids = np.asarray(net.ids, dtype=object)
        self.names = net.nodes["name"].to_numpy(dtype=object)
        # each organisation's place in id order: every tie-break and every sum follows it, never the row
        # order of the input
        self.rank = np.empty(n, dtype=np.int64)
        self.rank[np.argsort(self.ids.astype(str), kind="stable")] = np.arange(n)

        # network flow: every tie, both ways
        self.und = csr(n, np.concatenate([u, v]), np.concatenate([v, u]))
        # downstream flow
        dmask = types.isin(DOWNSTREAM_TYPES).to_numpy(dtype=bool)
        self.down = csr(n, u[dmask], v[dmask])
        # supply flow: SUPPLIES ties among the organisations upstream of the focal
        smask = (types == "SUPPLIES").to_numpy(dtype=bool)
        su, sv = u[smask], v[smask]
        self.sup_rev_all = csr(n, sv, su)
        up = reach(self.sup_rev_all, np.array([f]))
        up[f] = False
        self.upstream = up
        keep = up[su] & up[sv]
        self.sup_u, self.sup_v = su[keep], sv[keep]
        self.sup = csr(n, self.sup_u, self.sup_v)
        self.sup_rev = csr(n, self.sup_v, self.sup_u)
        self.origins = source_nodes(n, self.sup_u, self.sup_v, among=up)

        # the focal's own ties
        fmask = (u == f) | (v == f)
        fpos = np.flatnonzero(fmask)
        other = np.where(u == f, v, u)
        ft = pd.DataFrame(
            {
                "pos": other[fmask],
                "type": types.iloc[fpos].to_numpy(),
                "direction": np.where(sym[fmask], "both", np.where(u[fmask] == f, "out", "in")),
                "category": e["category"].iloc[fpos].to_numpy(),
                "value": val[fmask],
                "raw_value": e["value"].to_numpy(dtype=float)[fmask],
            }
        )
        ft = ft[ft["pos"] != f]
        ft = ft.assign(_r=self.rank[ft["pos"].to_numpy(dtype=np.int64)]).sort_values(
            ["_r", "type", "direction", "category", "value"], kind="stable")
        ft = self.focal_ties = ft.drop(columns="_r").reset_index(drop=True)
        self.total_value = math.fsum(ft["value"].tolist())
        self.direct_value = np.bincount(ft["pos"].to_numpy(dtype=np.int64),
                                        weights=ft["value"].to_numpy(), minlength=n)
        spend_rows = ft[(ft["type"] == "SUPPLIES") & (ft["direction"] == "in")]
        self.spend = np.bincount(spend_rows["pos"].to_numpy(dtype=np.int64),
                                 weights=spend_rows["value"].to_numpy(), minlength=n)
        self.tier1 = np.zeros(n, dtype=bool)
        self.tier1[spend_rows["pos"].to_numpy(dtype=np.int64)] = True
        cats = spend_rows["category"].where(spend_rows["category"] != "", NO_CATEGORY)
        self.categories: dict[str, np.ndarray] = {  # each category's suppliers in id order
            c: pd.unique(g.to_numpy(dtype=np.int64))
            for c, g in spend_rows["pos"].groupby(cats.to_numpy(), sort=True)
        }
        self.category_value = spend_rows.groupby(cats.to_numpy(), sort=True)["value"].sum().to_dict()

        # customers
        codes, kinds = pd.factorize(net.nodes["roles"])  # few distinct role lists: test each once
        cust = np.array(["customer" in rs for rs in kinds], dtype=bool)[codes] if len(kinds) else np.zeros(n, bool)
        cust[v[(types == "SELLS_TO").to_numpy(dtype=bool)]] = True
        cust[ft.loc[(ft["type"] == "SUPPLIES") & (ft["direction"] == "out"), "pos"].to_numpy(dtype=np.int64)] = True
        cust[f] = False
        self.customer = cust
        self.clv = net.nodes["clv"].fillna(0.0).to_numpy(dtype=float)

    # capabilities and markets as sparse incidence (organisation x item), built when first asked
    @cached_property
    def capability_incidence(self) -> tuple[list[str], object]:
        """Capability names and the sparse (organisation x capability) 0/1 matrix."""
        return incidence(self.net.nodes["capabilities"])

    @cached_property
    def market_incidence(self) -> tuple[list[str], object]:
        """Market names and the sparse (organisation x market) 0/1 matrix."""
        return incidence(self.net.nodes["markets"])

    cap_items = property(lambda self: self.capability_incidence[0])
    cap_matrix = property(lambda self: self.capability_incidence[1])
    mkt_items = property(lambda self: self.market_incidence[0])
    mkt_matrix = property(lambda self: self.market_incidence[1])

    def meta(self) -> dict:
        """The focal organisation, the date and the definitions of the three flows."""
        return {
            "focal": self.focal,
            "as_of": self.as_of,
            "ties": "only ties active on as_of",
            "supply": "SUPPLIES ties upstream of the focal; a supplier stays supplied while any recorded "
                      "supplier of it does (one with no recorded supplier sources independently)",
            "input_category_lost": "no tier-1 supplier of the category is left supplied",
            "suppliers_cut_off": "suppliers of any tier upstream of the focal left without supply (not removed "
                                 "themselves); tier1_suppliers_cut_off counts those supplying the focal directly",
            "customers": "reached from the focal along SUPPLIES/SELLS_THROUGH/SELLS_TO ties; customer role, "
                         "SELLS_TO buyers and organisations the focal supplies",
            "capabilities_markets_organisations": "reached from the focal along any tie, either direction; "
                                                  "the focal's own are never lost",
            "value_at_risk": "value of the focal's ties with removed organisations plus its spend with "
                             "tier-1 suppliers left without supply (missing values count as 0)",
        }

    # ------------------------------------------------------------ reachability
    @cached_property
    def reach_und(self) -> np.ndarray:
        """Organisations connected to the focal by any chain of ties."""
        return reach(self.und, np.array([self.f]))

    @cached_property
    def reach_down(self) -> np.ndarray:
        """Organisations reached downstream from the focal."""
        return reach(self.down, np.array([self.f]))

    @cached_property
    def hops_und(self) -> np.ndarray:
        """Ties between the focal and each organisation, either direction (-1 if not connected)."""
        return bfs_levels(self.und, self.f)

    @cached_property
    def tier(self) -> np.ndarray:
        """Hops upstream along SUPPLIES from the focal (0 for the focal, -1 if not upstream)."""
        return bfs_levels(self.sup_rev_all, self.f)

    def spend_in_category(self, s: int, category: str) -> float:
        """The focal's spend with supplier ``s`` (a position) in input ``category``."""
        ft = self.focal_ties
        c = ft["category"].where(ft["category"] != "", NO_CATEGORY)
        m = (ft["pos"] == s) & (ft["type"] == "SUPPLIES") & (ft["direction"] == "in") & (c == category)
        return float(ft.loc[m, "value"].sum())

    # ------------------------------------------------------------- dominance
    @cached_property
    def supply_dominance(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, list[str]]]:
        """Per organisation, if it alone failed: tier-1 suppliers cut off, suppliers of any tier cut off,
        the spend with the tier-1s cut off, categories lost.

        From the dominator tree of the supply flow, rooted at a virtual
        organisation that feeds every independent source.
        """
        n = self.n
        root = n
        origins = np.flatnonzero(self.origins)
        sup_ext = csr(n + 1, np.concatenate([self.sup_u, np.full(len(origins), root)]),
                      np.concatenate([self.sup_v, origins]))
        s_idom, s_order = dominators(sup_ext, root, n + 1)
        t1 = np.append(self.tier1.astype(float), 0.0)
        sp = np.append(self.spend, 0.0)
        t1_sub, sp_sub, all_sub = subtree_sums(s_idom, s_order, [t1, sp, np.append(self.upstream, False)],
                                               rank=np.append(self.rank, n))
        t1_cut = np.rint(t1_sub[:n] - t1[:n]).astype(np.int64)
        sup_cut = np.rint(all_sub[:n] - self.upstream).astype(np.int64)
        sp_cut = sp_sub[:n] - sp[:n]
        cat_lost: dict[int, list[str]] = {}
        for cat, sups in self.categories.items():
            for x in dominating_path(s_idom, sups, root):
                cat_lost.setdefault(x, []).append(cat)
        return t1_cut, sup_cut, sp_cut, cat_lost

    @cached_property
    def network_dominance(self):
        """The network flow's DFS structure, and per organisation what its loss alone cuts off.

        ``(structure, organisations_cut_off, {x: capabilities lost}, {x: markets lost})``.
        """
        und = undirected_structure(self.und, self.f, self.n)
        cap_lost = self._item_loss(self.cap_items, self.cap_matrix, und.idom, self.f)
        mkt_lost = self._item_loss(self.mkt_items, self.mkt_matrix, und.idom, self.f)
        org_cut = subtree_sums(und.idom, und.order, [np.ones(self.n)])[0] - 1.0
        return und, np.rint(org_cut).astype(np.int64), cap_lost, mkt_lost

    def _item_loss(self, items, matrix, idom, root) -> dict[int, list[str]]:
        """``{x: [items lost when x alone is removed]}`` from the network dominator tree."""
        out: dict[int, list[str]] = {}
        if not len(items):
            return out
        own = set(np.flatnonzero(np.asarray(matrix[[root]].sum(axis=0)).ravel() > 0).tolist())
        csc = matrix.tocsc()
        for j in range(len(items)):
            if j in own:
                continue
            holders = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
            holders = holders[self.reach_und[holders]]
            if not len(holders):
                continue
            for x in dominating_path(idom, holders, root):
                out.setdefault(x, []).append(items[j])
        return out
