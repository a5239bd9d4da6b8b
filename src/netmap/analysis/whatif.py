"""Disruption what-if: what a focal organisation loses when partners fail, and every partner ranked by it.

Three flows are followed over the ties active on a date (default: today):

* **supply** -- ``SUPPLIES`` ties upstream of the focal organisation. A
  supplier keeps working while at least one of its recorded suppliers keeps
  working; a supplier with no recorded supplier of its own (or one in a ring
  of suppliers that nothing feeds from outside) is taken to source
  independently; what the focal itself supplies to its suppliers is not
  followed. Formally, an organisation upstream of the focal is *supplied*
  when it is reachable, avoiding the removed organisations, from such an
  independent source. An input category is lost when none of the focal's
  direct (tier-1) suppliers of that category is still supplied.
* **downstream** -- ``SUPPLIES``, ``SELLS_THROUGH`` and ``SELLS_TO`` ties
  followed from the focal organisation the way goods flow. A customer is
  lost when no downstream path from the focal reaches it any more.
* **network** -- every tie, read both ways. Organisations, capabilities and
  markets are lost when no chain of ties connects the focal to them (or to
  any holder of them) any more. The focal's own capabilities and markets are
  never lost.

:func:`dependency_ranking` answers "what if this one partner failed?" for
every direct partner at once from the dominator trees of the three flows
(an organisation is lost with ``x`` exactly when ``x`` dominates it), instead
of one graph search per partner; :func:`what_if` runs the graph searches for
any set of removed organisations. Both give the same figures.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..errors import NetmapError
from ..network import Network

__all__ = ["WhatIfResult", "what_if", "dependency_ranking", "RANKING_ORDER", "RANK_BY"]

#: Columns the default ranking sorts by, most severe first (then ``id``).
RANKING_ORDER = (
    "input_categories_lost",
    "value_at_risk",
    "customers_lost",
    "capabilities_lost",
    "markets_lost",
    "organisations_cut_off",
)
RANK_BY = ("impact", "value_at_risk", "input_categories_lost", "customers_lost",
           "capabilities_lost", "markets_lost", "organisations_cut_off")
NO_CATEGORY = "(uncategorised)"
_DOWNSTREAM_TYPES = ("SUPPLIES", "SELLS_THROUGH", "SELLS_TO")


# --------------------------------------------------------------------- results
@dataclass
class WhatIfResult:
    """What the focal organisation loses when ``removed`` organisations fail.

    Attributes
    ----------
    focal : str
    removed : tuple of str
    summary : DataFrame
        One row: ``focal``, ``removed`` (``;``-joined ids),
        ``input_categories_lost``, ``suppliers_cut_off`` (tier-1 suppliers
        left without supply), ``customers_lost``, ``customer_clv_lost``,
        ``capabilities_lost``, ``markets_lost``, ``organisations_cut_off``,
        ``direct_value`` (value of the focal's ties with removed
        organisations), ``value_at_risk`` (``direct_value`` plus the focal's
        spend with tier-1 suppliers cut off), ``value_at_risk_share`` (of the
        value of all the focal's ties), ``reason``.
    inputs : DataFrame
        Input categories whose suppliers are hit, one row each: ``category``,
        ``suppliers_before``, ``suppliers_left``, ``lost`` (no supplier left),
        ``value_before``, ``value_lost`` (spend with the hit suppliers),
        ``hit_suppliers``, ``reason``. Lost categories first.
    suppliers : DataFrame
        Organisations upstream of the focal that are removed or left without
        supply: ``id``, ``name``, ``tier``, ``status`` (``removed`` or
        ``cut off``), ``tier1`` (supplies the focal directly), ``spend``
        (focal's spend with it), ``reason`` (which suppliers it lost).
    customers : DataFrame
        Customers no longer reachable downstream: ``id``, ``name``, ``clv``,
        ``status``, ``path_before`` (a downstream path that was cut),
        ``reason``.
    capabilities, markets : DataFrame
        ``capability`` (or ``market``), ``holders_before`` (count),
        ``former_holders`` (ids of the reachable holders before), ``reason``.
    organisations : DataFrame
        Organisations cut off from the focal's network: ``id``, ``name``,
        ``roles``, ``path_before`` (a chain of ties that was cut), ``reason``.
    ties : DataFrame
        The focal's ties at risk: ``partner``, ``name``, ``type``,
        ``direction`` (``in``/``out``/``both``), ``category``, ``value``,
        ``reason``.
    meta : dict
        The definitions and options used.
    """

    focal: str
    removed: tuple[str, ...]
    summary: pd.DataFrame
    inputs: pd.DataFrame
    suppliers: pd.DataFrame
    customers: pd.DataFrame
    capabilities: pd.DataFrame
    markets: pd.DataFrame
    organisations: pd.DataFrame
    ties: pd.DataFrame
    meta: dict = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, summary first."""
        return {
            "summary": self.summary,
            "inputs": self.inputs,
            "suppliers": self.suppliers,
            "customers": self.customers,
            "capabilities": self.capabilities,
            "markets": self.markets,
            "organisations": self.organisations,
            "ties": self.ties,
        }

    def figure(self, name: str):
        """One figure of the summary row, e.g. ``result.figure("value_at_risk")``."""
        return self.summary[name].iloc[0]


# ------------------------------------------------------------ public functions
def what_if(
    network: Network,
    focal: str | None,
    remove,
    *,
    as_of: _dt.date | str | None = None,
) -> WhatIfResult:
    """What the focal organisation loses when the organisations in ``remove`` fail.

    Parameters
    ----------
    network : Network
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    remove : iterable of str
        Ids of the organisations that fail (disappear with all their ties).
        May be empty (nothing is lost).
    as_of : date or str, optional (default=today)
        Only ties active on this date are followed.

    Returns
    -------
    WhatIfResult
        The summary row and the detail tables (see :class:`WhatIfResult`).

    Raises
    ------
    NodeNotFound
        For an unknown id.
    NetmapError
        When ``remove`` contains the focal organisation.

    Notes
    -----
    See the module documentation for the three flows (supply, downstream,
    network). Value at risk counts the value of the focal's ties with the
    removed organisations (any tie type, either direction) plus the focal's
    spend (``SUPPLIES`` ties into it) with tier-1 suppliers that are left
    without supply; ties without a value count as 0.

    Examples
    --------
    >>> from netmap import read_network
    >>> r = what_if(read_network("sample_data/tiny"), "F1", ["T1"], as_of="2024-06-30")
    >>> r.inputs[["category", "suppliers_left", "lost"]].to_dict("records")
    [{'category': 'steel', 'suppliers_left': 0, 'lost': True}]
    >>> int(r.figure("value_at_risk"))
    500000
    """
    model = _model(network, focal, as_of)
    rem = list(dict.fromkeys(network.check_ids(list(remove), "organisation to remove")))
    if model.focal in rem:
        raise NetmapError(
            f"'{model.focal}' is the focal organisation itself; remove its partners, not the focal organisation"
        )
    return model.what_if(rem)


def dependency_ranking(
    network: Network,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
    by: str = "impact",
) -> pd.DataFrame:
    """Every direct partner of the focal organisation ranked by what its loss would cost.

    Each row gives the figures of ``what_if(network, focal, [partner])``,
    computed for all partners at once.

    Parameters
    ----------
    network : Network
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)
        Only ties active on this date count (and only partners with one).
    by : str (default="impact")
        ``"impact"`` ranks by input categories lost, then value at risk,
        customers lost, capabilities lost, markets lost and organisations cut
        off; or one of those column names to rank by it first (the others
        break ties, then ``id``).

    Returns
    -------
    DataFrame
        ``rank``, ``id``, ``name``, ``roles``, ``ties`` (tie types with the
        focal), ``direct_value``, ``input_categories_lost``,
        ``lost_categories``, ``suppliers_cut_off``, ``customers_lost``,
        ``customer_clv_lost``, ``capabilities_lost``, ``lost_capabilities``,
        ``markets_lost``, ``lost_markets``, ``organisations_cut_off``,
        ``value_at_risk``, ``value_at_risk_share``, ``reason``.
        ``attrs["meta"]`` states the definitions used.

    Examples
    --------
    >>> from netmap import read_network
    >>> r = dependency_ranking(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> r[["id", "input_categories_lost", "value_at_risk"]].head(2).to_dict("records")
    [{'id': 'S3', 'input_categories_lost': 1, 'value_at_risk': 250000.0}, {'id': 'D1', 'input_categories_lost': 0, 'value_at_risk': 600000.0}]
    """
    if by not in RANK_BY:
        raise NetmapError(f"cannot rank by '{by}'; use one of {', '.join(RANK_BY)}")
    model = _model(network, focal, as_of)
    return model.ranking(by)


# ------------------------------------------------------------------ the model
def _model(network: Network, focal: str | None, as_of) -> "_Model":
    focal = network.resolve_focal(focal)
    day = _day(as_of)
    return _Model(network.active(day), focal, day)


def _day(as_of) -> str:
    if as_of is None:
        return _dt.date.today().isoformat()
    if isinstance(as_of, _dt.datetime):
        return as_of.date().isoformat()
    if isinstance(as_of, _dt.date):
        return as_of.isoformat()
    try:
        return _dt.date.fromisoformat(str(as_of).strip()).isoformat()
    except ValueError as e:
        raise NetmapError(f"'{as_of}' is not a date; write it as YYYY-MM-DD") from e


def _meta(model: "_Model") -> dict:
    return {
        "focal": model.focal,
        "as_of": model.as_of,
        "ties": "only ties active on as_of",
        "supply": "SUPPLIES ties upstream of the focal; a supplier stays supplied while any recorded "
                  "supplier of it does (one with no recorded supplier sources independently)",
        "input_category_lost": "no tier-1 supplier of the category is left supplied",
        "customers": "reached from the focal along SUPPLIES/SELLS_THROUGH/SELLS_TO ties; customer role, "
                     "SELLS_TO buyers and organisations the focal supplies",
        "capabilities_markets_organisations": "reached from the focal along any tie, either direction; "
                                              "the focal's own are never lost",
        "value_at_risk": "value of the focal's ties with removed organisations plus its spend with "
                         "tier-1 suppliers left without supply (missing values count as 0)",
    }


class _Model:
    """The three flows of one focal organisation's network, as integer arrays."""

    def __init__(self, net: Network, focal: str, as_of: str) -> None:
        self.net = net
        self.focal = focal
        self.as_of = as_of
        n = self.n = net.n_nodes
        self.f = f = net.index[focal]
        e = net.edges
        u, v = _endpoints(net)
        typ = e["type"].to_numpy()
        val = e["value"].fillna(0.0).to_numpy(dtype=float)
        sym = e["symmetric"].to_numpy(dtype=bool)
        self.ids = np.asarray(net.ids, dtype=object)
        self.names = net.nodes["name"].to_numpy(dtype=object)

        # network flow: every tie, both ways
        self.und = _csr(n, np.concatenate([u, v]), np.concatenate([v, u]))
        # downstream flow
        dmask = np.isin(typ, _DOWNSTREAM_TYPES)
        self.down = _csr(n, u[dmask], v[dmask])
        # supply flow: SUPPLIES ties among the organisations upstream of the focal
        smask = typ == "SUPPLIES"
        su, sv = u[smask], v[smask]
        self.sup_rev_all = _csr(n, sv, su)
        up = _reach(self.sup_rev_all, np.array([f]), None)
        up[f] = False
        self.upstream = up
        keep = up[su] & up[sv]
        self.sup_u, self.sup_v = su[keep], sv[keep]
        self.sup = _csr(n, self.sup_u, self.sup_v)
        self.sup_rev = _csr(n, self.sup_v, self.sup_u)
        self.origins = _origins(n, self.sup_u, self.sup_v, up)

        # the focal's own ties
        fmask = (u == f) | (v == f)
        other = np.where(u == f, v, u)
        self.focal_ties = pd.DataFrame(
            {
                "pos": other[fmask],
                "type": typ[fmask],
                "direction": np.where(sym[fmask], "both", np.where(u[fmask] == f, "out", "in")),
                "category": e["category"].to_numpy()[fmask],
                "value": val[fmask],
                "raw_value": e["value"].to_numpy(dtype=float)[fmask],
            }
        )
        self.focal_ties = self.focal_ties[self.focal_ties["pos"] != f].reset_index(drop=True)
        self.total_value = float(self.focal_ties["value"].sum())
        self.direct_value = np.bincount(self.focal_ties["pos"].to_numpy(dtype=np.int64),
                                        weights=self.focal_ties["value"].to_numpy(), minlength=n)
        ft = self.focal_ties
        spend_rows = ft[(ft["type"] == "SUPPLIES") & (ft["direction"] == "in")]
        self.spend = np.bincount(spend_rows["pos"].to_numpy(dtype=np.int64),
                                 weights=spend_rows["value"].to_numpy(), minlength=n)
        self.tier1 = np.zeros(n, dtype=bool)
        self.tier1[spend_rows["pos"].to_numpy(dtype=np.int64)] = True
        cats = spend_rows["category"].where(spend_rows["category"] != "", NO_CATEGORY)
        self.categories: dict[str, np.ndarray] = {
            c: np.unique(g.to_numpy(dtype=np.int64))
            for c, g in spend_rows["pos"].groupby(cats.to_numpy(), sort=True)
        }
        self.category_value = spend_rows.groupby(cats.to_numpy(), sort=True)["value"].sum().to_dict()

        # customers
        roles = net.nodes["roles"]
        cust = roles.map(lambda rs: "customer" in rs).to_numpy(dtype=bool).copy()
        cust[v[typ == "SELLS_TO"]] = True
        cust[ft.loc[(ft["type"] == "SUPPLIES") & (ft["direction"] == "out"), "pos"].to_numpy(dtype=np.int64)] = True
        cust[f] = False
        self.customer = cust
        self.clv = net.nodes["clv"].fillna(0.0).to_numpy(dtype=float)

        # capabilities and markets as sparse incidence (organisation x item)
        self.cap_items, self.cap_matrix = _incidence(net.nodes["capabilities"])
        self.mkt_items, self.mkt_matrix = _incidence(net.nodes["markets"])

    # ------------------------------------------------------------ reachability
    @cached_property
    def reach_und(self) -> np.ndarray:
        return _reach(self.und, np.array([self.f]), None)

    @cached_property
    def reach_down(self) -> np.ndarray:
        return _reach(self.down, np.array([self.f]), None)

    @cached_property
    def hops_und(self) -> np.ndarray:
        """Ties between the focal and each organisation, either direction (-1 if not connected)."""
        return _bfs_levels(self.und, self.f)

    @cached_property
    def tier(self) -> np.ndarray:
        """Hops upstream along SUPPLIES from the focal (0 for the focal, -1 if not upstream)."""
        return _bfs_levels(self.sup_rev_all, self.f)

    def _items_held(self, matrix, mask: np.ndarray) -> np.ndarray:
        """Boolean per item: held by at least one organisation in ``mask``."""
        rows = np.flatnonzero(mask)
        if not len(rows) or matrix.shape[1] == 0:
            return np.zeros(matrix.shape[1], dtype=bool)
        return np.asarray(matrix[rows].sum(axis=0)).ravel() > 0

    # ----------------------------------------------------------------- what-if
    def what_if(self, remove: list[str]) -> WhatIfResult:
        n, f = self.n, self.f
        blocked = np.zeros(n, dtype=bool)
        pos = np.array([self.net.index[r] for r in remove], dtype=np.int64)
        blocked[pos] = True
        ids, names = self.ids, self.names

        # supply
        supplied_after = _reach(self.sup, np.flatnonzero(self.origins & ~blocked), blocked)
        hit = self.upstream & ~supplied_after  # removed or cut off, upstream of the focal
        cut_sup = hit & ~blocked
        inputs_rows = []
        for cat, sups in self.categories.items():
            hs = sups[hit[sups]]
            if not len(hs):
                continue
            left = int(len(sups) - len(hs))
            lost = left == 0
            vlost = float(sum(self._spend_cat(s, cat) for s in hs))
            parts = [f"{ids[s]} {names[s]} ({'removed' if blocked[s] else 'cut off'})" for s in hs]
            if lost:
                reason = (f"no {cat} supplier left: " if len(sups) > 1 else f"single source of {cat} lost: ") + "; ".join(parts)
            else:
                reason = f"{left} of {len(sups)} {cat} suppliers left; hit: " + "; ".join(parts)
            inputs_rows.append({
                "category": cat, "suppliers_before": int(len(sups)), "suppliers_left": left, "lost": lost,
                "value_before": float(self.category_value.get(cat, 0.0)), "value_lost": vlost,
                "hit_suppliers": ";".join(str(ids[s]) for s in hs), "reason": reason,
            })
        inputs = pd.DataFrame(inputs_rows, columns=["category", "suppliers_before", "suppliers_left", "lost",
                                                     "value_before", "value_lost", "hit_suppliers", "reason"])
        if len(inputs):
            inputs = inputs.sort_values(["lost", "value_lost", "category"], ascending=[False, False, True],
                                        kind="stable").reset_index(drop=True)
        sup_rows = []
        tier = self.tier
        for s in np.flatnonzero(hit):
            if blocked[s]:
                reason = "removed"
            else:
                preds = self.sup_rev[1][self.sup_rev[0][s]:self.sup_rev[0][s + 1]]
                gone = [f"{ids[p]} {names[p]}" for p in preds]
                reason = ("lost every recorded supplier: " if len(gone) > 1 else "lost its only recorded supplier: ") + ", ".join(gone)
            sup_rows.append({"id": ids[s], "name": names[s], "tier": int(tier[s]),
                             "status": "removed" if blocked[s] else "cut off", "tier1": bool(self.tier1[s]),
                             "spend": float(self.spend[s]), "reason": reason})
        suppliers = pd.DataFrame(sup_rows, columns=["id", "name", "tier", "status", "tier1", "spend", "reason"])
        if len(suppliers):
            suppliers = suppliers.sort_values(["tier", "spend", "id"], ascending=[True, False, True],
                                              kind="stable").reset_index(drop=True)

        # downstream
        down_after = _reach(self.down, np.array([f]), blocked)
        lost_c = self.customer & self.reach_down & ~down_after
        cust_rows = []
        if lost_c.any():
            parent = _bfs_parents(self.down, f)
            for c in np.flatnonzero(lost_c):
                path = _path(parent, c)
                if blocked[c]:
                    reason = "removed"
                else:
                    on = [ids[p] for p in path[1:-1] if blocked[p]]
                    reason = ("no downstream path left" +
                              (f"; the path shown ran through {', '.join(on)}" if on else
                               "; every downstream path ran through a removed organisation"))
                cust_rows.append({"id": ids[c], "name": names[c], "clv": float(self.net.nodes["clv"].iat[c]),
                                  "status": "removed" if blocked[c] else "unreachable",
                                  "path_before": " > ".join(str(ids[p]) for p in path), "reason": reason})
        customers = pd.DataFrame(cust_rows, columns=["id", "name", "clv", "status", "path_before", "reason"])
        if len(customers):
            customers = customers.sort_values(["clv", "id"], ascending=[False, True], na_position="last",
                                              kind="stable").reset_index(drop=True)

        # the network: organisations, capabilities, markets
        und_after = _reach(self.und, np.array([f]), blocked)
        lost_o = self.reach_und & ~und_after & ~blocked
        org_rows = []
        parent_u = _bfs_parents(self.und, f) if lost_o.any() else None
        for o in np.flatnonzero(lost_o):
            path = _path(parent_u, o)
            on = [str(ids[p]) for p in path[1:-1] if blocked[p]]
            org_rows.append({"id": ids[o], "name": names[o], "roles": ";".join(self.net.nodes["roles"].iat[o]),
                             "path_before": " - ".join(str(ids[p]) for p in path),
                             "reason": "every chain of ties to it ran through removed organisations"
                                       + (f" (the one shown through {', '.join(on)})" if on else "")})
        organisations = pd.DataFrame(org_rows, columns=["id", "name", "roles", "path_before", "reason"])

        capabilities = self._lost_items(self.cap_items, self.cap_matrix, und_after, blocked, "capability")
        markets = self._lost_items(self.mkt_items, self.mkt_matrix, und_after, blocked, "market")

        # ties at risk
        ft = self.focal_ties
        p = ft["pos"].to_numpy(dtype=np.int64)
        at_removed = blocked[p]
        at_cut = (ft["type"].to_numpy() == "SUPPLIES") & (ft["direction"].to_numpy() == "in") & cut_sup[p]
        risk = ft[at_removed | at_cut].copy()
        risk_reason = np.where(blocked[risk["pos"].to_numpy(dtype=np.int64)], "partner removed",
                               "supplier cut off: it lost its supply")
        ties = pd.DataFrame({
            "partner": ids[risk["pos"].to_numpy(dtype=np.int64)],
            "name": names[risk["pos"].to_numpy(dtype=np.int64)],
            "type": risk["type"].to_numpy(), "direction": risk["direction"].to_numpy(),
            "category": risk["category"].to_numpy(), "value": risk["raw_value"].to_numpy(),
            "reason": risk_reason,
        })
        if len(ties):
            ties = ties.sort_values(["value", "partner"], ascending=[False, True], na_position="last",
                                    kind="stable").reset_index(drop=True)
        direct_value = float(risk.loc[at_removed[at_removed | at_cut], "value"].sum())
        var = float(risk["value"].sum())

        n_inputs = int(inputs["lost"].sum()) if len(inputs) else 0
        summary_row = {
            "focal": self.focal, "removed": ";".join(remove),
            "input_categories_lost": n_inputs,
            "suppliers_cut_off": int((cut_sup & self.tier1).sum()),
            "customers_lost": int(lost_c.sum()),
            "customer_clv_lost": float(self.clv[lost_c].sum()),
            "capabilities_lost": len(capabilities), "markets_lost": len(markets),
            "organisations_cut_off": int(lost_o.sum()),
            "direct_value": direct_value, "value_at_risk": var,
            "value_at_risk_share": var / self.total_value if self.total_value > 0 else 0.0,
        }
        summary_row["reason"] = _impact_reason(
            summary_row,
            inputs.loc[inputs["lost"], "category"].tolist() if len(inputs) else [],
            capabilities["capability"].tolist(), markets["market"].tolist(),
        )
        summary = pd.DataFrame([summary_row])
        meta = _meta(self) | {"removed": list(remove)}
        result = WhatIfResult(self.focal, tuple(remove), summary, inputs, suppliers, customers,
                              capabilities, markets, organisations, ties, meta)
        for df in result.tables.values():
            df.attrs["meta"] = dict(meta)
        return result

    def _spend_cat(self, s: int, cat: str) -> float:
        ft = self.focal_ties
        c = ft["category"].where(ft["category"] != "", NO_CATEGORY)
        m = (ft["pos"] == s) & (ft["type"] == "SUPPLIES") & (ft["direction"] == "in") & (c == cat)
        return float(ft.loc[m, "value"].sum())

    def _lost_items(self, items, matrix, und_after, blocked, what: str) -> pd.DataFrame:
        col = what
        cols = [col, "holders_before", "former_holders", "reason"]
        if not len(items):
            return pd.DataFrame(columns=cols)
        own = self._items_held(matrix, np.eye(1, self.n, self.f, dtype=bool).ravel())
        before = self._items_held(matrix, self.reach_und)
        after = self._items_held(matrix, und_after)
        lost = np.flatnonzero(before & ~after & ~own)
        rows = []
        csc = matrix.tocsc()
        for j in lost:
            holders = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
            holders = holders[self.reach_und[holders]]
            holders = holders[np.argsort(self.ids[holders].astype(str), kind="stable")]
            desc = [f"{self.ids[h]} {self.names[h]} ({'removed' if blocked[h] else 'cut off'})" for h in holders]
            rows.append({col: items[j], "holders_before": len(holders),
                         "former_holders": ";".join(str(self.ids[h]) for h in holders),
                         "reason": "no holder left in your network: " + "; ".join(desc)})
        return pd.DataFrame(rows, columns=cols)

    # ----------------------------------------------------------------- ranking
    def ranking(self, by: str = "impact") -> pd.DataFrame:
        n, f = self.n, self.f
        ids, names = self.ids, self.names
        partners = np.unique(self.und[1][self.und[0][f]:self.und[0][f + 1]])
        partners = partners[partners != f]

        # network flow: dominators from the focal (undirected: lowpoints)
        und, org_cut, cap_lost, mkt_lost = self.network_dominance

        # downstream flow
        d_idom, d_order = _dominators(self.down, f, n)
        cust_w = np.where(self.customer & self.reach_down, 1.0, 0.0)
        clv_w = np.where(self.customer & self.reach_down, self.clv, 0.0)
        cust_lost, clv_lost = _subtree_sums(d_idom, d_order, [cust_w, clv_w])

        # supply flow
        t1_cut, sp_cut, cat_lost = self.supply_dominance

        ft = self.focal_ties
        tie_types = ft.groupby("pos")["type"].agg(lambda s: ";".join(sorted(set(s))))
        rows = []
        for x in partners:
            cats = sorted(cat_lost.get(int(x), []))
            caps = sorted(cap_lost.get(int(x), []))
            mkts = sorted(mkt_lost.get(int(x), []))
            var = float(self.direct_value[x] + sp_cut[x])
            row = {
                "id": ids[x], "name": names[x], "roles": ";".join(self.net.nodes["roles"].iat[x]),
                "ties": tie_types.get(x, ""),
                "direct_value": float(self.direct_value[x]),
                "input_categories_lost": len(cats), "lost_categories": ";".join(cats),
                "suppliers_cut_off": int(t1_cut[x]),
                "customers_lost": int(round(cust_lost[x])), "customer_clv_lost": float(clv_lost[x]),
                "capabilities_lost": len(caps), "lost_capabilities": ";".join(caps),
                "markets_lost": len(mkts), "lost_markets": ";".join(mkts),
                "organisations_cut_off": int(org_cut[x]),
                "value_at_risk": var,
                "value_at_risk_share": var / self.total_value if self.total_value > 0 else 0.0,
            }
            row["reason"] = _impact_reason(row, cats, caps, mkts, single=True,
                                           self_customer=bool(self.customer[x] and self.reach_down[x]))
            rows.append(row)
        cols = ["rank", "id", "name", "roles", "ties", "direct_value", "input_categories_lost", "lost_categories",
                "suppliers_cut_off", "customers_lost", "customer_clv_lost", "capabilities_lost",
                "lost_capabilities", "markets_lost", "lost_markets", "organisations_cut_off",
                "value_at_risk", "value_at_risk_share", "reason"]
        df = pd.DataFrame(rows, columns=[c for c in cols if c != "rank"])
        order = list(RANKING_ORDER)
        if by != "impact":
            order.remove(by)
            order.insert(0, by)
        if len(df):
            df = df.sort_values(order + ["id"], ascending=[False] * len(order) + [True],
                                kind="stable").reset_index(drop=True)
        df.insert(0, "rank", np.arange(1, len(df) + 1))
        df.attrs["meta"] = _meta(self) | {"ranked_by": by if by != "impact" else ", ".join(RANKING_ORDER),
                                          "partners": "organisations with an active tie to the focal"}
        return df

    @cached_property
    def supply_dominance(self) -> tuple[np.ndarray, np.ndarray, dict[int, list[str]]]:
        """Per organisation, if it alone failed: tier-1 suppliers cut off, their spend, categories lost.

        From the dominator tree of the supply flow, rooted at a virtual
        organisation that feeds every independent source.
        """
        n = self.n
        root = n
        origins = np.flatnonzero(self.origins)
        sup_ext = _csr(n + 1, np.concatenate([self.sup_u, np.full(len(origins), root)]),
                       np.concatenate([self.sup_v, origins]))
        s_idom, s_order = _dominators(sup_ext, root, n + 1)
        t1 = np.append(self.tier1.astype(float), 0.0)
        sp = np.append(self.spend, 0.0)
        t1_sub, sp_sub = _subtree_sums(s_idom, s_order, [t1, sp])
        t1_cut = np.rint(t1_sub[:n] - t1[:n]).astype(np.int64)
        sp_cut = sp_sub[:n] - sp[:n]
        cat_lost: dict[int, list[str]] = {}
        for cat, sups in self.categories.items():
            for x in _dominating_path(s_idom, sups, root):
                cat_lost.setdefault(x, []).append(cat)
        return t1_cut, sp_cut, cat_lost

    @cached_property
    def network_dominance(self):
        """The network flow's DFS structure and the capabilities/markets each organisation alone cuts off."""
        und = _undirected_structure(self.und, self.f, self.n)
        cap_lost = self._item_loss(self.cap_items, self.cap_matrix, und.idom, und.order, self.f)
        mkt_lost = self._item_loss(self.mkt_items, self.mkt_matrix, und.idom, und.order, self.f)
        org_cut = _subtree_sums(und.idom, und.order, [np.ones(self.n)])[0] - 1.0
        return und, np.rint(org_cut).astype(np.int64), cap_lost, mkt_lost

    def _item_loss(self, items, matrix, idom, order, root) -> dict[int, list[str]]:
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
            for x in _dominating_path(idom, holders, root):
                out.setdefault(x, []).append(items[j])
        return out


def _impact_reason(row: dict, cats, caps, mkts, single: bool = False, self_customer: bool = False) -> str:
    parts = []
    if cats:
        parts.append(f"no supplier left for {', '.join(cats)}")
    if row.get("suppliers_cut_off"):
        parts.append(f"{row['suppliers_cut_off']} tier-1 supplier(s) left without supply")
    k = int(row.get("customers_lost") or 0)
    if single and self_customer:
        parts.append("a customer itself" + (f", and {k - 1} more customer(s) no longer reached downstream"
                                             if k > 1 else ""))
    elif single and k:
        parts.append(f"{k} customer(s) no longer reached downstream")
    elif k:
        parts.append(f"{k} customer(s) lost (removed or no longer reached downstream)")
    if caps:
        parts.append(f"capabilities lost: {', '.join(caps[:8])}{' ...' if len(caps) > 8 else ''}")
    if mkts:
        parts.append(f"markets lost: {', '.join(mkts[:8])}{' ...' if len(mkts) > 8 else ''}")
    if row.get("organisations_cut_off"):
        parts.append(f"{row['organisations_cut_off']} organisation(s) cut off from your network")
    if row.get("value_at_risk"):
        parts.append(f"{row['value_at_risk']:,.0f} of tie value at risk")
    if not parts:
        return "nothing lost: other partners cover everything it provides" if single else "nothing lost"
    return "; ".join(parts)


# ------------------------------------------------------------ graph kernels
def _endpoints(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Positions of every tie's source and target (one hashing pass over all ids)."""
    n, m = net.n_nodes, net.n_edges
    allids = pd.concat([net.nodes["id"], net.edges["source"], net.edges["target"]], ignore_index=True)
    codes, _ = pd.factorize(allids)
    codes = codes.astype(np.int64)
    if m and codes[n:].max(initial=-1) >= n:  # pragma: no cover - a validated network has no dangling ids
        raise NetmapError("a tie refers to an organisation that is not in the network")
    return codes[n:n + m], codes[n + m:]


def _uniq(a: np.ndarray) -> np.ndarray:
    """Sorted unique values of an integer array (sort-based: faster than hashing here)."""
    if len(a) < 2:
        return a
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))]


def _csr(n: int, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adjacency lists (indptr, indices) of the arcs u -> v: sorted, no duplicates, no self-loops."""
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    keep = u != v
    u, v = u[keep], v[keep]
    if len(u):
        key = _uniq(u * n + v)
        u, v = key // n, key % n
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(u, minlength=n), out=indptr[1:])
    return indptr, v


def _neighbours(g, frontier: np.ndarray) -> np.ndarray:
    indptr, indices = g
    starts = indptr[frontier]
    counts = indptr[frontier + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offs = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return indices[offs + np.arange(total)]


def _reach(g, starts: np.ndarray, blocked: np.ndarray | None) -> np.ndarray:
    """Boolean mask of the nodes reachable from ``starts`` without entering ``blocked`` ones."""
    n = len(g[0]) - 1
    seen = np.zeros(n, dtype=bool) if blocked is None else blocked.copy()
    starts = np.asarray(starts, dtype=np.int64)
    frontier = _uniq(starts[~seen[starts]])
    seen[frontier] = True
    while len(frontier):
        nb = _neighbours(g, frontier)
        nb = _uniq(nb[~seen[nb]])
        seen[nb] = True
        frontier = nb
    if blocked is not None:
        seen &= ~blocked
    return seen


def _popcount(words: np.ndarray) -> np.ndarray:
    """Set bits per row of a 2-D uint64 array."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words).sum(axis=1).astype(np.int64)
    return np.unpackbits(np.ascontiguousarray(words).view(np.uint8), axis=1).sum(axis=1).astype(np.int64)


def _bfs_levels(g, root: int) -> np.ndarray:
    n = len(g[0]) - 1
    dist = np.full(n, -1, dtype=np.int64)
    dist[root] = 0
    frontier = np.array([root], dtype=np.int64)
    d = 0
    while len(frontier):
        d += 1
        nb = _neighbours(g, frontier)
        nb = _uniq(nb[dist[nb] < 0])
        dist[nb] = d
        frontier = nb
    return dist


def _bfs_parents(g, root: int) -> np.ndarray:
    """BFS tree parents (smallest-position parent at each level, so paths are deterministic)."""
    indptr, indices = g
    n = len(indptr) - 1
    parent = np.full(n, -1, dtype=np.int64)
    parent[root] = root
    frontier = np.array([root], dtype=np.int64)
    while len(frontier):
        counts = indptr[frontier + 1] - indptr[frontier]
        src = np.repeat(frontier, counts)
        nb = _neighbours(g, frontier)
        new = parent[nb] < 0
        src, nb = src[new], nb[new]
        if not len(nb):
            break
        order = np.lexsort((src, nb))
        nb, src = nb[order], src[order]
        first = np.ones(len(nb), dtype=bool)
        first[1:] = nb[1:] != nb[:-1]
        parent[nb[first]] = src[first]
        frontier = nb[first]
    return parent


def _path(parent: np.ndarray, x: int) -> list[int]:
    path = [int(x)]
    while parent[path[-1]] != path[-1]:
        path.append(int(parent[path[-1]]))
    return path[::-1]


def _origins(n: int, su: np.ndarray, sv: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Organisations upstream of the focal that source independently.

    Those in a strongly connected group of suppliers that no supplier outside
    the group feeds (a single organisation without recorded suppliers is such
    a group).
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    if not len(su):
        return up.copy()
    m = csr_matrix((np.ones(len(su)), (su, sv)), shape=(n, n))
    _, lab = connected_components(m, directed=True, connection="strong")
    fed = np.zeros(lab.max() + 1, dtype=bool)
    ext = lab[su] != lab[sv]
    fed[lab[sv[ext]]] = True
    return up & ~fed[lab]


def _dfs(g, root: int, n: int) -> tuple[list[int], list[int]]:
    """Depth-first preorder from ``root`` and each node's DFS-tree parent (-1 if none)."""
    indptr = g[0].tolist()
    indices = g[1].tolist()
    seen = [False] * n
    parent = [-1] * n
    ptr = indptr[:-1]
    order = [root]
    seen[root] = True
    stack = [root]
    while stack:
        v = stack[-1]
        i = ptr[v]
        end = indptr[v + 1]
        while i < end and seen[indices[i]]:
            i += 1
        if i < end:
            w = indices[i]
            ptr[v] = i + 1
            seen[w] = True
            parent[w] = v
            order.append(w)
            stack.append(w)
        else:
            ptr[v] = end
            stack.pop()
    return order, parent


def _dominators(g, root: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Immediate dominators of the nodes reachable from ``root`` (semi-NCA algorithm).

    Returns ``idom`` (node ids; ``idom[root] == root``; -1 for unreachable
    nodes) and the DFS preorder (root first; every node's immediate dominator
    comes before it).
    """
    order, parent = _dfs(g, root, n)
    k = len(order)
    order_a = np.asarray(order, dtype=np.int64)
    pre = np.full(n, -1, dtype=np.int64)
    pre[order_a] = np.arange(k)
    # predecessors in preorder numbers
    indptr, indices = g
    counts = indptr[1:] - indptr[:-1]
    src = np.repeat(np.arange(n), counts)
    ok = (pre[src] >= 0) & (pre[indices] >= 0)
    ps, pt = pre[src[ok]], pre[indices[ok]]
    srt = np.argsort(pt, kind="stable")
    ps, pt = ps[srt], pt[srt]
    pstart = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(np.bincount(pt, minlength=k), out=pstart[1:])
    preds = ps.tolist()
    pstart_l = pstart.tolist()
    par_a = pre[np.maximum(np.asarray(parent, dtype=np.int64)[order_a], 0)]
    par_a[0] = 0
    par = par_a.tolist()
    semi = list(range(k))
    label = list(range(k))
    anc = [-1] * k
    for w in range(k - 1, 0, -1):
        s = semi[w]
        for j in range(pstart_l[w], pstart_l[w + 1]):
            v = preds[j]
            if anc[v] < 0:
                x = v
            else:
                # compress the path from v to its forest root
                if anc[anc[v]] >= 0:
                    stack = []
                    y = v
                    while anc[anc[y]] >= 0:
                        stack.append(y)
                        y = anc[y]
                    while stack:
                        y = stack.pop()
                        a = anc[y]
                        if semi[label[a]] < semi[label[y]]:
                            label[y] = label[a]
                        anc[y] = anc[a]
                x = label[v]
            if semi[x] < s:
                s = semi[x]
        semi[w] = s
        anc[w] = par[w]
    idom = [0] * k
    for w in range(1, k):
        x = par[w]
        s = semi[w]
        while x > s:
            x = idom[x]
        idom[w] = x
    out = np.full(n, -1, dtype=np.int64)
    out[order_a] = order_a[np.asarray(idom, dtype=np.int64)]
    return out, order_a


@dataclass
class _Undirected:
    order: np.ndarray    # DFS preorder (node ids)
    parent: np.ndarray   # DFS-tree parent (node id; root: itself; -1 unreachable)
    pre: np.ndarray      # preorder number (-1 unreachable)
    low: np.ndarray      # lowpoint (preorder number)
    idom: np.ndarray     # immediate dominator from the root (node id)
    size: np.ndarray     # DFS subtree size


def _undirected_structure(g, root: int, n: int) -> _Undirected:
    """DFS tree, lowpoints and dominator tree of an undirected graph (symmetric adjacency lists).

    With ``low`` the Hopcroft-Tarjan lowpoint, a tree edge ``p - v`` is a
    bridge when ``low[v] > pre[p]``, and ``p`` separates the subtree of ``v``
    from the root when ``low[v] >= pre[p]``. The immediate dominator of ``v``
    is then ``p`` if ``p`` separates ``v``'s subtree, else ``p``'s own.
    """
    order_l, parent_l = _dfs(g, root, n)
    order = np.asarray(order_l, dtype=np.int64)
    k = len(order)
    pre = np.full(n, -1, dtype=np.int64)
    pre[order] = np.arange(k)
    parent = np.asarray(parent_l, dtype=np.int64)
    parent[root] = root
    indptr, indices = g
    counts = indptr[1:] - indptr[:-1]
    src = np.repeat(np.arange(n), counts)
    # smallest preorder number among each node's neighbours other than its DFS parent
    ok = (pre[src] >= 0) & (indices != parent[src])
    low = pre.copy()
    np.minimum.at(low, src[ok], pre[indices[ok]])
    low_l = low.tolist()
    size = np.zeros(n, dtype=np.int64)
    size[order] = 1
    size_l = size.tolist()
    parent_l2 = parent.tolist()
    for v in order_l[:0:-1]:
        p = parent_l2[v]
        if low_l[v] < low_l[p]:
            low_l[p] = low_l[v]
        size_l[p] += size_l[v]
    low = np.asarray(low_l, dtype=np.int64)
    size = np.asarray(size_l, dtype=np.int64)
    idom = np.full(n, -1, dtype=np.int64)
    idom[root] = root
    idom_l = idom.tolist()
    pre_l = pre.tolist()
    for v in order_l[1:]:
        p = parent_l2[v]
        idom_l[v] = p if low_l[v] >= pre_l[p] else idom_l[p]
    idom = np.asarray(idom_l, dtype=np.int64)
    return _Undirected(order, parent, pre, low, idom, size)


def _subtree_sums(idom: np.ndarray, order: np.ndarray, weights: list[np.ndarray]) -> list[np.ndarray]:
    """Sum of each weight over every node's dominator subtree (itself included)."""
    idom_l = idom.tolist()
    out = []
    rev = order[:0:-1].tolist()
    for w in weights:
        acc = np.where(idom >= 0, w, 0.0).astype(float).tolist()
        for v in rev:
            acc[idom_l[v]] += acc[v]
        out.append(np.asarray(acc))
    return out


def _dominating_path(idom: np.ndarray, nodes: np.ndarray, root: int) -> list[int]:
    """The nodes (root excluded) that dominate every one of ``nodes``, itself included.

    Removing any of them alone makes all of ``nodes`` unreachable. Unreachable
    nodes are ignored; empty when none of ``nodes`` is reachable.
    """
    nodes = [int(x) for x in nodes if idom[x] >= 0]
    if not nodes:
        return []
    # ancestors of the first node, nearest first
    chain = [nodes[0]]
    while chain[-1] != root:
        chain.append(int(idom[chain[-1]]))
    depth_of = {x: i for i, x in enumerate(chain)}
    lo = 0  # index in chain of the current common ancestor
    for x in nodes[1:]:
        y = x
        while y not in depth_of:
            y = int(idom[y])
        lo = max(lo, depth_of[y])
        if chain[lo] == root:
            return []
    return chain[lo:-1]


def _incidence(col: pd.Series):
    """Sorted item names and a sparse (organisation x item) 0/1 matrix from tuple cells."""
    from scipy.sparse import csr_matrix

    lengths = col.map(len).to_numpy(dtype=np.int64)
    flat = [x for t in col for x in t]
    n = len(col)
    if not flat:
        return [], csr_matrix((n, 0))
    items, codes = np.unique(np.asarray(flat, dtype=object).astype(str), return_inverse=True)
    rows = np.repeat(np.arange(n), lengths)
    m = csr_matrix((np.ones(len(flat)), (rows, codes)), shape=(n, len(items)))
    m.sum_duplicates()
    m.data[:] = 1.0
    return items.tolist(), m
