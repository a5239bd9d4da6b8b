"""Disruption what-if: what a focal organisation loses when partners fail, and every partner ranked by it.

Three flows are followed over the ties active on a date (default: today);
see :mod:`netmap.analysis.flows` for how each is built:

* **supply** -- an organisation upstream of the focal is *supplied* when it
  is reachable, avoiding the removed organisations, from an independent
  source (a supplier with no recorded supplier, or a ring of suppliers that
  nothing feeds). An input category is lost when none of the focal's direct
  (tier-1) suppliers of that category is still supplied.
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
import math
import weakref

import numpy as np
import pandas as pd

from ..checks import choice
from ..engine.dominators import dominators, subtree_sums
from ..engine.incidence import items_held
from ..engine.reach import bfs_parents, reach, tree_path
from ..errors import ArgumentError
from ..network import Network
from ..result import Result
from ..view import FocalView
from .flows import NO_CATEGORY, FlowModel, flow_model
from .selectors import AfterFlows, Scenario, after_flows, scenario, select

__all__ = ["WhatIfResult", "what_if", "run_scenario", "dependency_ranking", "RANKING_ORDER", "RANK_BY"]

#: Columns the default ranking sorts by, most severe first (then ``id``).
RANKING_ORDER = (
    "input_categories_lost",
    "value_at_risk",
    "customers_lost",
    "capabilities_lost",
    "markets_lost",
    "organisations_cut_off",
)
#: What :func:`dependency_ranking` can rank by.
RANK_BY = ("impact", "value_at_risk", "input_categories_lost", "customers_lost", "capabilities_lost",
           "markets_lost", "organisations_cut_off")
RANKING_TITLE = "Partners ranked by what their loss would cost"

_INPUT_COLUMNS = ["category", "suppliers_before", "suppliers_left", "lost", "value_before", "value_lost",
                  "hit_suppliers", "reason"]
_RANKING_COLUMNS = ["rank", "id", "name", "roles", "ties", "direct_value", "input_categories_lost",
                    "lost_categories", "suppliers_cut_off", "tier1_suppliers_cut_off", "customers_lost",
                    "customer_clv_lost", "capabilities_lost", "lost_capabilities", "markets_lost", "lost_markets",
                    "organisations_cut_off", "value_at_risk", "value_at_risk_share", "reason"]


# --------------------------------------------------------------------- results
class WhatIfResult(Result):
    """What the focal organisation loses when ``removed`` organisations fail.

    A :class:`~netmap.result.Result` whose tables (each also an attribute)
    are, in this order:

    summary
        One row (the main table): ``focal``, ``removed`` (``;``-joined ids),
        ``input_categories_lost``, ``suppliers_cut_off`` (suppliers of any
        tier left without supply: the rows of ``suppliers`` marked ``cut
        off``), ``tier1_suppliers_cut_off`` (those of them that supply the
        focal directly), ``customers_lost``, ``customer_clv_lost``,
        ``capabilities_lost``, ``markets_lost``, ``organisations_cut_off``,
        ``direct_value`` (value of the focal's ties with removed
        organisations), ``value_at_risk`` (``direct_value`` plus the focal's
        spend with tier-1 suppliers cut off), ``value_at_risk_share`` (of the
        value of all the focal's ties), ``reason``.
    inputs
        Input categories whose suppliers are hit, one row each: ``category``,
        ``suppliers_before``, ``suppliers_left``, ``lost`` (no supplier left),
        ``value_before``, ``value_lost`` (spend with the hit suppliers),
        ``hit_suppliers``, ``reason``. Lost categories first.
    suppliers
        Organisations upstream of the focal that are removed or left without
        supply: ``id``, ``name``, ``tier``, ``status`` (``removed`` or
        ``cut off``), ``tier1`` (supplies the focal directly), ``spend``
        (focal's spend with it), ``reason`` (which suppliers it lost).
    customers
        Customers no longer reachable downstream: ``id``, ``name``, ``clv``,
        ``status``, ``path_before`` (a downstream path that was cut),
        ``reason``.
    capabilities, markets
        ``capability`` (or ``market``), ``holders_before`` (count),
        ``former_holders`` (ids of the reachable holders before), ``reason``.
    organisations
        Organisations cut off from the focal's network, closest first (then
        by id): ``id``, ``name``, ``roles``, ``path_before`` (a chain of ties
        that was cut), ``reason``.
    ties
        The focal's ties at risk: ``partner``, ``name``, ``type``,
        ``direction`` (``in``/``out``/``both``), ``category``, ``value``,
        ``reason``.

    ``meta`` holds the focal organisation, the date, the removed ids and the
    definitions used.
    """

    #: Table names in reading order.
    SECTIONS = ("summary", "inputs", "suppliers", "customers", "capabilities", "markets", "organisations", "ties")
    #: A heading per table.
    TITLES = {
        "summary": "Summary",
        "inputs": "Input categories hit",
        "suppliers": "Suppliers removed or left without supply",
        "customers": "Customers no longer reached downstream",
        "capabilities": "Capabilities no longer in reach",
        "markets": "Markets no longer in reach",
        "organisations": "Organisations cut off from your network",
        "ties": "Your ties at risk",
    }

    focal = property(lambda self: self.meta["focal"], doc="The focal organisation's id.")
    removed = property(lambda self: tuple(self.meta["removed"]), doc="The ids of the removed organisations.")
    summary = property(lambda self: self["summary"], doc="The summary row.")
    inputs = property(lambda self: self["inputs"], doc="Input categories hit.")
    suppliers = property(lambda self: self["suppliers"], doc="Suppliers removed or left without supply.")
    customers = property(lambda self: self["customers"], doc="Customers no longer reached downstream.")
    capabilities = property(lambda self: self["capabilities"], doc="Capabilities no longer in reach.")
    markets = property(lambda self: self["markets"], doc="Markets no longer in reach.")
    organisations = property(lambda self: self["organisations"], doc="Organisations cut off.")
    ties = property(lambda self: self["ties"], doc="The focal's ties at risk.")

    def figure(self, name: str):
        """One figure of the summary row, e.g. ``result.figure("value_at_risk")``."""
        return self.summary[name].iloc[0]


# ------------------------------------------------------------ public functions
def what_if(
    network: Network | FocalView,
    focal: str | None,
    remove=(),
    *,
    as_of: _dt.date | str | None = None,
    country=None,
    region=None,
    role=None,
    capability=None,
    category=None,
    industry=None,
) -> WhatIfResult:
    """What the focal organisation loses when the organisations in ``remove`` (or a scenario's) fail.

    Parameters
    ----------
    network : Network or FocalView
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    remove : iterable of str
        Ids of the organisations that fail (disappear with all their ties).
        May be empty (nothing is lost).
    as_of : date or str, optional (default=today)
        Only ties active on this date are followed.
    country, region, role, capability, industry : str or list of str, optional
        Scenario selectors (see :mod:`netmap.analysis.selectors`): every
        organisation of these countries (ISO code or English name), regions,
        roles or industries, or holding these capabilities, fails too. The
        focal organisation is never removed (the summary's reason says so
        when a selector matches it).
    category : str or list of str, optional
        Every tie of these categories fails (the organisations at its ends stay).

    Returns
    -------
    WhatIfResult
        The summary row (the main table) and the detail tables (see
        :class:`WhatIfResult`); ``meta`` states the definitions used.

    Raises
    ------
    NodeNotFound
        For an unknown id.
    ArgumentError
        When ``remove`` contains the focal organisation, or ``as_of`` is not a date.

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
    model = flow_model(network, focal, as_of)
    sc = scenario(remove, country=country, region=region, role=role, capability=capability,
                  category=category, industry=industry)
    return run_scenario(model, sc)


def run_scenario(model: FlowModel, sc: Scenario) -> WhatIfResult:
    """:func:`what_if` for one :class:`~netmap.analysis.selectors.Scenario` on a built :class:`FlowModel`."""
    rem = list(dict.fromkeys(model.net.check_ids(list(sc.remove), "organisation to remove", param="remove")))
    if model.focal in rem:
        raise ArgumentError(f"'{model.focal}' is the focal organisation itself; remove its partners, "
                            "not the focal organisation", param="remove")
    selected, notes = select(model, sc)
    rem = list(dict.fromkeys(rem + selected))
    res = _what_if(model, rem, after_flows(model, sc.category), notes)
    if not sc.is_empty() and (sc != Scenario(remove=sc.remove)):
        res.meta["scenario"] = sc.describe()
    return res


def dependency_ranking(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
    by: str = "impact",
) -> Result:
    """Every direct partner of the focal organisation ranked by what its loss would cost.

    Each row gives the figures of ``what_if(network, focal, [partner])``,
    computed for all partners at once.

    Parameters
    ----------
    network : Network or FocalView
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
    Result
        ``result.table`` (the table ``"ranking"``): ``rank``, ``id``,
        ``name``, ``roles``, ``ties`` (tie types with the focal),
        ``direct_value``, ``input_categories_lost``, ``lost_categories``,
        ``suppliers_cut_off``, ``tier1_suppliers_cut_off``, ``customers_lost``,
        ``customer_clv_lost``, ``capabilities_lost``, ``lost_capabilities``, ``markets_lost``,
        ``lost_markets``, ``organisations_cut_off``, ``value_at_risk``,
        ``value_at_risk_share``, ``reason``. ``result.meta`` states the
        definitions used.

    Raises
    ------
    ArgumentError
        For an unknown ``by``.

    Examples
    --------
    >>> from netmap import read_network
    >>> r = dependency_ranking(read_network("sample_data/tiny"), "F1", as_of="2024-06-30").table
    >>> r[["id", "input_categories_lost", "value_at_risk"]].head(2).to_dict("records")
    [{'id': 'S3', 'input_categories_lost': 1, 'value_at_risk': 250000.0}, {'id': 'D1', 'input_categories_lost': 0, 'value_at_risk': 600000.0}]
    """
    by = choice(by, "by", RANK_BY, what="ranking order")
    model = flow_model(network, focal, as_of)
    df = _ranking_table(model, by)
    meta = model.meta() | {"ranked_by": by if by != "impact" else ", ".join(RANKING_ORDER),
                           "partners": "organisations with an active tie to the focal"}
    return Result({"ranking": df}, meta, titles={"ranking": RANKING_TITLE})


# ----------------------------------------------------------------- what-if
def _what_if(model: FlowModel, remove: list[str], after: AfterFlows | None = None,
             notes: list[str] | None = None) -> WhatIfResult:
    blocked = np.zeros(model.n, dtype=bool)
    blocked[np.array([model.net.index[r] for r in remove], dtype=np.int64)] = True
    inputs, suppliers, cut_sup = _supply_hit(model, blocked, after)
    customers, lost_c = _customers_lost(model, blocked, after)
    und_after = reach(model.und if after is None else after.und, np.array([model.f]), blocked)
    organisations = _organisations_cut_off(model, blocked, und_after)
    capabilities = _lost_items(model, model.cap_items, model.cap_matrix, und_after, blocked, "capability")
    markets = _lost_items(model, model.mkt_items, model.mkt_matrix, und_after, blocked, "market")
    ties, direct_value, var = _ties_at_risk(model, blocked, cut_sup, after)
    row = {
        "focal": model.focal, "removed": ";".join(remove),
        "input_categories_lost": int(inputs["lost"].sum()) if len(inputs) else 0,
        "suppliers_cut_off": int(cut_sup.sum()),
        "tier1_suppliers_cut_off": int((cut_sup & model.tier1).sum()),
        "customers_lost": int(lost_c.sum()),
        "customer_clv_lost": math.fsum(model.clv[lost_c].tolist()),
        "capabilities_lost": len(capabilities), "markets_lost": len(markets),
        "organisations_cut_off": len(organisations),
        "direct_value": direct_value, "value_at_risk": var,
        "value_at_risk_share": var / model.total_value if model.total_value > 0 else 0.0,
    }
    row["reason"] = _impact_reason(
        row, inputs.loc[inputs["lost"], "category"].tolist() if len(inputs) else [],
        capabilities["capability"].tolist(), markets["market"].tolist(),
    )
    if after is not None:
        row["reason"] = f"ties of category {', '.join(sorted(after.categories))} fail; " + row["reason"]
    if notes:
        row["reason"] += "; " + "; ".join(notes)
    tables = {"summary": pd.DataFrame([row]), "inputs": inputs, "suppliers": suppliers, "customers": customers,
              "capabilities": capabilities, "markets": markets, "organisations": organisations, "ties": ties}
    return WhatIfResult(tables, model.meta() | {"removed": list(remove)}, titles=dict(WhatIfResult.TITLES))


def _supply_hit(model: FlowModel, blocked: np.ndarray, after: AfterFlows | None = None):
    """Input categories and upstream suppliers hit; the mask of suppliers cut off (not removed)."""
    ids, names = model.ids, model.names
    supplied_after = reach(model.sup if after is None else after.sup,
                           np.flatnonzero(model.origins & ~blocked), blocked)
    hit = model.upstream & ~supplied_after  # removed or cut off, upstream of the focal
    spend = _category_spend(model)
    rows = []
    for cat, sups in model.categories.items():
        tie_fails = after is not None and cat != NO_CATEGORY and cat.strip().casefold() in after.categories
        hs = sups if tie_fails else sups[hit[sups]]
        if not len(hs):
            continue
        left = int(len(sups) - len(hs))
        parts = [f"{ids[s]} {names[s]} ({'removed' if blocked[s] else 'cut off' if hit[s] else 'tie fails'})"
                 for s in hs]
        if left == 0:
            reason = (f"no {cat} supplier left: " if len(sups) > 1 else f"single source of {cat} lost: ") \
                + "; ".join(parts)
        else:
            reason = f"{left} of {len(sups)} {cat} suppliers left; hit: " + "; ".join(parts)
        rows.append({
            "category": cat, "suppliers_before": int(len(sups)), "suppliers_left": left, "lost": left == 0,
            "value_before": float(model.category_value.get(cat, 0.0)),
            "value_lost": math.fsum(spend.get((int(s), cat), 0.0) for s in hs),
            "hit_suppliers": ";".join(str(ids[s]) for s in hs), "reason": reason,
        })
    inputs = pd.DataFrame(rows, columns=_INPUT_COLUMNS)
    if len(inputs):
        inputs = inputs.sort_values(["lost", "value_lost", "category"], ascending=[False, False, True],
                                    kind="stable").reset_index(drop=True)
    rows = []
    rev_ptr, rev_idx = model.sup_rev
    for s in np.flatnonzero(hit):
        if blocked[s]:
            reason = "removed"
        else:
            lost_from = rev_idx[rev_ptr[s]:rev_ptr[s + 1]]
            gone = [f"{ids[p]} {names[p]}" for p in lost_from[np.argsort(model.rank[lost_from])]]
            reason = ("lost every recorded supplier: " if len(gone) > 1 else "lost its only recorded supplier: ") \
                + ", ".join(gone)
        rows.append({"id": ids[s], "name": names[s], "tier": int(model.tier[s]),
                     "status": "removed" if blocked[s] else "cut off", "tier1": bool(model.tier1[s]),
                     "spend": float(model.spend[s]), "reason": reason})
    suppliers = pd.DataFrame(rows, columns=["id", "name", "tier", "status", "tier1", "spend", "reason"])
    if len(suppliers):
        suppliers = suppliers.sort_values(["tier", "spend", "id"], ascending=[True, False, True],
                                          kind="stable").reset_index(drop=True)
    return inputs, suppliers, hit & ~blocked


#: Per flow model: the BFS trees of the flows before anything fails (shared by every what-if of the model).
_TREES: "weakref.WeakKeyDictionary[FlowModel, dict]" = weakref.WeakKeyDictionary()


def _parents(model: FlowModel, flow: str) -> np.ndarray:
    """The BFS tree (parent per organisation) from the focal along ``flow`` ("down" or "und"), built once per model."""
    trees = _TREES.setdefault(model, {})
    if flow not in trees:
        trees[flow] = bfs_parents(model.down if flow == "down" else model.und, model.f, model.rank)
    return trees[flow]


def _category_spend(model: FlowModel) -> dict:
    """``{(supplier position, input category): the focal's spend}`` (what ``model.spend_in_category`` gives)."""
    ft = model.focal_ties
    rows = ft[(ft["type"] == "SUPPLIES") & (ft["direction"] == "in")]
    parts: dict = {}
    for p, c, v in zip(rows["pos"].tolist(), rows["category"].tolist(), rows["value"].tolist()):
        parts.setdefault((int(p), c or NO_CATEGORY), []).append(v)
    return {k: math.fsum(v) for k, v in parts.items()}


def _customers_lost(model: FlowModel, blocked: np.ndarray, after: AfterFlows | None = None):
    """Customers no longer reached downstream, and their mask."""
    ids, names = model.ids, model.names
    lost = model.customer & model.reach_down & ~reach(model.down if after is None else after.down,
                                                      np.array([model.f]), blocked)
    rows = []
    if lost.any():
        parent = _parents(model, "down")
        clv = model.net.nodes["clv"].to_numpy(dtype=float)
        for c in np.flatnonzero(lost):
            path = tree_path(parent, c)
            if blocked[c]:
                reason = "removed"
            else:
                on = [ids[p] for p in path[1:-1] if blocked[p]]
                reason = "no downstream path left" + (
                    f"; the path shown ran through {', '.join(on)}" if on else
                    "; every downstream path ran through a removed organisation")
            rows.append({"id": ids[c], "name": names[c], "clv": float(clv[c]),
                         "status": "removed" if blocked[c] else "unreachable",
                         "path_before": " > ".join(str(ids[p]) for p in path), "reason": reason})
    customers = pd.DataFrame(rows, columns=["id", "name", "clv", "status", "path_before", "reason"])
    if len(customers):
        customers = customers.sort_values(["clv", "id"], ascending=[False, True], na_position="last",
                                          kind="stable").reset_index(drop=True)
    return customers, lost


def _organisations_cut_off(model: FlowModel, blocked: np.ndarray, und_after: np.ndarray) -> pd.DataFrame:
    ids = model.ids
    lost = model.reach_und & ~und_after & ~blocked
    rows = []
    parent = _parents(model, "und") if lost.any() else None
    roles = model.net.nodes["roles"].to_numpy(dtype=object)
    cut = np.flatnonzero(lost)
    for o in cut[np.lexsort((model.rank[cut], model.hops_und[cut]))]:  # closest first, then by id
        path = tree_path(parent, o)
        on = [str(ids[p]) for p in path[1:-1] if blocked[p]]
        rows.append({"id": ids[o], "name": model.names[o], "roles": ";".join(roles[o]),
                     "path_before": " - ".join(str(ids[p]) for p in path),
                     "reason": "every chain of ties to it ran through removed organisations"
                               + (f" (the one shown through {', '.join(on)})" if on else "")})
    return pd.DataFrame(rows, columns=["id", "name", "roles", "path_before", "reason"])


def _lost_items(model: FlowModel, items, matrix, und_after, blocked, col: str) -> pd.DataFrame:
    """Capabilities (or markets) no holder of which is left in reach."""
    cols = [col, "holders_before", "former_holders", "reason"]
    if not len(items):
        return pd.DataFrame(columns=cols)
    own = items_held(matrix, np.eye(1, model.n, model.f, dtype=bool).ravel())
    before = items_held(matrix, model.reach_und)
    after = items_held(matrix, und_after)
    rows = []
    csc = matrix.tocsc()
    for j in np.flatnonzero(before & ~after & ~own):
        holders = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
        holders = holders[model.reach_und[holders]]
        holders = holders[np.argsort(model.ids[holders].astype(str), kind="stable")]
        desc = [f"{model.ids[h]} {model.names[h]} ({'removed' if blocked[h] else 'cut off'})" for h in holders]
        rows.append({col: items[j], "holders_before": len(holders),
                     "former_holders": ";".join(str(model.ids[h]) for h in holders),
                     "reason": "no holder left in your network: " + "; ".join(desc)})
    return pd.DataFrame(rows, columns=cols)


def _ties_at_risk(model: FlowModel, blocked: np.ndarray, cut_sup: np.ndarray, after: AfterFlows | None = None):
    """The focal's ties with removed organisations or suppliers cut off (or that fail); their direct and total value."""
    ft = model.focal_ties
    p = ft["pos"].to_numpy(dtype=np.int64)
    at_removed = blocked[p]
    if after is not None:  # a failed tie counts like a tie with a removed partner
        at_removed = at_removed | ft["category"].fillna("").astype(str).str.strip().str.casefold().isin(
            after.categories).to_numpy()
    at_cut = (ft["type"].to_numpy() == "SUPPLIES") & (ft["direction"].to_numpy() == "in") & cut_sup[p]
    risk = ft[at_removed | at_cut]
    pos = risk["pos"].to_numpy(dtype=np.int64)
    ties = pd.DataFrame({
        "partner": model.ids[pos], "name": model.names[pos],
        "type": risk["type"].to_numpy(), "direction": risk["direction"].to_numpy(),
        "category": risk["category"].to_numpy(), "value": risk["raw_value"].to_numpy(),
        "reason": np.where(blocked[pos], "partner removed",
                           np.where(at_removed[at_removed | at_cut], "tie fails (its category fails)",
                                    "supplier cut off: it lost its supply")),
    })
    if len(ties):
        ties = ties.sort_values(["value", "partner", "type", "direction", "category"],
                                ascending=[False, True, True, True, True], na_position="last",
                                kind="stable").reset_index(drop=True)
    direct_value = math.fsum(risk.loc[at_removed[at_removed | at_cut], "value"].tolist())
    return ties, direct_value, math.fsum(risk["value"].tolist())


# ----------------------------------------------------------------- ranking
def _ranking_table(model: FlowModel, by: str) -> pd.DataFrame:
    n, f = model.n, model.f
    ids, names = model.ids, model.names
    partners = np.unique(model.und[1][model.und[0][f]:model.und[0][f + 1]])
    partners = partners[partners != f]
    _und, org_cut, cap_lost, mkt_lost = model.network_dominance
    d_idom, d_order = dominators(model.down, f, n)
    in_down = model.customer & model.reach_down
    cust_lost, clv_lost = subtree_sums(d_idom, d_order, [np.where(in_down, 1.0, 0.0),
                                                          np.where(in_down, model.clv, 0.0)], rank=model.rank)
    t1_cut, sup_cut, sp_cut, cat_lost = model.supply_dominance
    tie_types = model.focal_ties.groupby("pos")["type"].agg(lambda s: ";".join(sorted(set(s))))
    rows = []
    for x in partners:
        cats = sorted(cat_lost.get(int(x), []))
        caps = sorted(cap_lost.get(int(x), []))
        mkts = sorted(mkt_lost.get(int(x), []))
        var = float(model.direct_value[x] + sp_cut[x])
        row = {
            "id": ids[x], "name": names[x], "roles": ";".join(model.net.nodes["roles"].iat[x]),
            "ties": tie_types.get(x, ""), "direct_value": float(model.direct_value[x]),
            "input_categories_lost": len(cats), "lost_categories": ";".join(cats),
            "suppliers_cut_off": int(sup_cut[x]), "tier1_suppliers_cut_off": int(t1_cut[x]),
            "customers_lost": int(round(cust_lost[x])), "customer_clv_lost": float(clv_lost[x]),
            "capabilities_lost": len(caps), "lost_capabilities": ";".join(caps),
            "markets_lost": len(mkts), "lost_markets": ";".join(mkts),
            "organisations_cut_off": int(org_cut[x]), "value_at_risk": var,
            "value_at_risk_share": var / model.total_value if model.total_value > 0 else 0.0,
        }
        row["reason"] = _impact_reason(row, cats, caps, mkts, single=True, self_customer=bool(in_down[x]))
        rows.append(row)
    df = pd.DataFrame(rows, columns=_RANKING_COLUMNS[1:])
    order = list(RANKING_ORDER)
    if by != "impact":
        order.remove(by)
        order.insert(0, by)
    if len(df):
        df = df.sort_values(order + ["id"], ascending=[False] * len(order) + [True],
                            kind="stable").reset_index(drop=True)
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return df


def _impact_reason(row: dict, cats, caps, mkts, single: bool = False, self_customer: bool = False) -> str:
    parts = []
    if cats:
        parts.append(f"no supplier left for {', '.join(cats)}")
    if row.get("suppliers_cut_off"):
        t1 = int(row.get("tier1_suppliers_cut_off") or 0)
        parts.append(f"{row['suppliers_cut_off']} supplier(s) left without supply"
                     + (f", {t1} of them tier-1" if t1 else ", none of them tier-1"))
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
