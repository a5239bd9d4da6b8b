"""Relationship portfolio: which relationships to invest in, repair, develop or serve efficiently.

:func:`portfolio` puts the focal organisation's relationships into the
portfolio matrices purchasing and key-account managers decide with:

* **suppliers** -- Kraljic's purchasing portfolio (1983), per input category:
  profit impact x supply risk (:mod:`netmap.analysis.portfolio_supply`);
* **customers** -- a customer portfolio, value x relationship strength, with
  retention-risk signals and the value at risk per segment
  (:mod:`netmap.analysis.portfolio_customers`);
* **partners** -- the quality of every direct relationship, the
  commitment-trust gap (Morgan & Hunt 1994) and who depends on whom
  (:mod:`netmap.analysis.relationships`).
"""

from __future__ import annotations

import datetime as _dt

from ..checks import choice, number
from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view
from .portfolio_customers import (
    ENDING_DAYS,
    FALLING,
    QUALITY_LOW,
    SATISFACTION_LOW,
    SEGMENTS,
    WALLET_LOW,
    customer_portfolio,
)
from .portfolio_supply import EXCLUSIVE_SHARE, QUADRANTS, supply_portfolio
from .relationships import (
    GAP_HIGH,
    GAP_LOW,
    direct_relationships,
    partner_relationships,
)

__all__ = ["portfolio", "VIEWS", "TABLES", "TITLES"]

#: The tables of each view, in reading order.
VIEWS = {
    "suppliers": ("supply_categories", "suppliers"),
    "customers": ("customers", "customer_segments"),
    "partners": ("partners",),
}
VIEWS["all"] = tuple(t for v in list(VIEWS.values()) for t in v)
#: Every table a portfolio can hold.
TABLES = VIEWS["all"]
#: A heading per table.
TITLES = {
    "supply_categories": "Supply portfolio (Kraljic): input categories by profit impact and supply risk",
    "suppliers": "Suppliers by their categories' quadrant",
    "customers": "Customer portfolio: value x relationship strength, by retention risk",
    "customer_segments": "Customer segments: value and value at risk",
    "partners": "Relationship quality with every direct partner",
}


def portfolio(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
    view: str = "all",
    impact_threshold: float = 0.10,
    value_threshold: float | None = None,
    strength_threshold: float = 0.6,
    before: Network | FocalView | None = None,
    before_as_of: _dt.date | str | None = None,
) -> Result:
    """The focal organisation's relationship portfolio: suppliers, customers and partners.

    Parameters
    ----------
    network : Network or FocalView
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)
        Only ties active on this date count.
    view : {"all", "suppliers", "customers", "partners"} (default="all")
        Which tables to compute (see :data:`VIEWS`).
    impact_threshold : float (default=0.10)
        A category's profit impact is high when its share of the focal's
        supply spend is at least this (0-1).
    value_threshold : float, optional
        A customer's value is high from this value; default the median of
        the focal's customers.
    strength_threshold : float (default=0.6)
        A relationship is strong when its strength is at least this (0-1).
    before : Network or FocalView, optional
        An earlier snapshot of the network: each customer's value then
        (``value_before``, ``value_change``) and the retention-risk signal
        "value falling" (down by at least 10 %, CLV against CLV, else sales
        against sales).
    before_as_of : date or str, optional
        The date whose active ties count in ``before`` (default: ``as_of``).

    Returns
    -------
    Result
        Tables, as the view asks:

        * ``supply_categories`` -- per input category: ``quadrant``
          (``strategic``, ``leverage``, ``bottleneck``, ``non-critical``),
          ``action``, ``spend``, ``impact_share``, ``high_impact``,
          ``supply_risk`` (``high``/``low``), ``risk_signals`` (how many of:
          ``single_supplier``, ``highly_concentrated`` (HHI >= 2,500),
          ``hidden_upstream`` (an organisation upstream, ``hidden_behind``,
          behind ``suppliers_behind`` >= 2 of its suppliers), an exclusive tie with
          ``exclusive_share`` >= 50 %), ``suppliers``, ``hhi``, the largest
          supplier, ``basis``, ``reason``;
        * ``suppliers`` -- per supplier: ``categories``, ``quadrant`` (the
          most critical of its categories'), ``quadrants``, ``spend``,
          ``spend_share`` (of all supply spend), ``category_share`` (its
          largest share of one category), ``strength``,
          ``weakest_quality``, ``exclusive``, ``reason``;
        * ``customers`` -- per customer, highest retention risk first:
          ``segment`` (``core``, ``at_risk``, ``develop``, ``serve``, or
          ``no relationship data``), ``action``, ``value`` (``clv`` where
          given, else ``sales_value``), ``value_basis``, ``high_value``,
          ``satisfaction``, the four qualities, ``strength``, ``strong``,
          ``weakest_quality``, ``relationship_basis``, ``channel``,
          ``distributors``, ``share_of_wallet``, ``ending``,
          ``value_before`` and ``value_change`` (with ``before``),
          ``risk_signals``, ``retention_risk``, ``reason``;
        * ``customer_segments`` -- per segment: ``customers``, ``value``,
          ``customers_at_risk``, ``value_at_risk`` (of the customers with
          any retention-risk signal), ``share_at_risk``;
        * ``partners`` -- every direct partner: the four qualities,
          ``strength``, ``weakest_quality``, ``commitment_trust_gap``,
          ``their_dependence`` / ``our_dependence`` / ``dependence``,
          ``reason``.

        ``meta`` holds the thresholds and every definition.

    Raises
    ------
    ArgumentError
        For an unknown view, a threshold out of range or a bad ``as_of``.
    NodeNotFound
        For an unknown focal organisation.

    Examples
    --------
    >>> from netmap import read_network
    >>> r = portfolio(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> r["supply_categories"][["category", "quadrant", "supply_risk"]].values.tolist()
    [['steel', 'strategic', 'high'], ['chips', 'strategic', 'high']]
    >>> r["customers"][["id", "segment", "value_basis", "risk_signals"]].values.tolist()
    [['C2', 'serve', 'clv', 1], ['C1', 'core', 'clv', 0]]
    """
    view = choice(view, "view", tuple(VIEWS), what="view")
    impact_threshold = number(impact_threshold, "impact_threshold", low=0, high=1)
    value_threshold = number(value_threshold, "value_threshold", low=0, optional=True)
    strength_threshold = number(strength_threshold, "strength_threshold", low=0, high=1)
    fv = focal_view(network, focal, as_of)
    tables: dict = {}
    meta = {"focal": fv.focal, "focal_name": fv.network.nodes["name"].iat[fv.position], "as_of": fv.as_of,
            "ties": "only ties active on as_of", "view": view}
    relations = direct_relationships(fv)
    if view in ("all", "suppliers"):
        tables["supply_categories"], tables["suppliers"] = supply_portfolio(fv, impact_threshold, relations)
        meta |= _supply_meta(impact_threshold)
    if view in ("all", "customers"):
        earlier = None
        if before is not None:
            earlier = focal_view(before, fv.focal, before_as_of if before_as_of is not None else fv.as_of)
            meta["before_as_of"] = earlier.as_of
        tables["customers"], tables["customer_segments"], used = customer_portfolio(
            fv, value_threshold, strength_threshold, earlier)
        meta |= _customer_meta(value_threshold, used, strength_threshold, earlier is not None)
    if view in ("all", "partners"):
        tables["partners"] = partner_relationships(fv)
        meta |= _partner_meta()
    meta["relationship"] = ("the mean of each quality over the ties with the partner that record it; strength is "
                            "their weighted mean, as for one tie (the network's strength weights); a relationship "
                            "that records no quality is 'no relationship data', never judged weak")
    return Result(tables, meta, titles={k: TITLES[k] for k in tables})


def _supply_meta(impact_threshold: float) -> dict:
    return {
        "impact_threshold": impact_threshold,
        "profit_impact": "the category's share of the focal's spend on active SUPPLIES ties into it; high from "
                         "impact_threshold (equal shares when no tie records a value)",
        "supply_risk": "high when any holds: a single supplier; HHI >= 2,500; an organisation upstream behind at "
                       "least two of the category's suppliers (a chain of SUPPLIES ties leads from it to each); "
                       f"an exclusive tie carrying >= {EXCLUSIVE_SHARE:.0%} of the category's spend",
        "quadrants": "; ".join(f"{q}: {a}" for q, a in QUADRANTS.items())
                     + " (strategic = high impact, high risk; leverage = high impact, low risk; bottleneck = low "
                       "impact, high risk; non-critical = low, low; after Kraljic 1983)",
        "supplier_quadrant": "the most critical quadrant of the supplier's categories",
    }


def _customer_meta(value_threshold, used: float, strength_threshold: float, compared: bool) -> dict:
    meta = {
        "value_threshold": used,
        "value_threshold_from": "given" if value_threshold is not None else "the median value of the focal's customers",
        "strength_threshold": strength_threshold,
        "customers": "organisations the focal sells to (SELLS_TO, SUPPLIES) and those its distributors (SELLS_THROUGH "
                     "from the focal) sell to",
        "customer_value": "clv where given, else the annual sales value: the focal's own sales ties plus, for each "
                          "of its distributors, the distributor's SELLS_TO value times the focal's share of what the "
                          "distributor buys (its SELLS_THROUGH and SUPPLIES ties in; equal shares among its sellers "
                          "when none records a value)",
        "customer_relationship": "the focal's own ties with the customer; for a customer served only through "
                                 "distributors, the distributors' SELLS_TO ties with it",
        "segments": "; ".join(f"{s}: {a}" for s, a in SEGMENTS.items())
                    + " (core = high value, strong; at_risk = high value, weak; develop = low value, strong; serve = "
                      "low value, weak)",
        "retention_risk": f"the sum over the signals present of 0.5 plus up to 0.5 for how far past its threshold: "
                          f"satisfaction below {SATISFACTION_LOW:g}; trust or commitment below {QUALITY_LOW:g}; a "
                          f"tie ending within {ENDING_DAYS} days; reached only through one distributor (0.5); share "
                          f"of wallet below {WALLET_LOW:.0%}; value fallen by at least {FALLING:.0%} since an "
                          "earlier snapshot (when one is given)",
        "share_of_wallet": "the focal's sales to the customer (direct and its part of distributors' sales) over all "
                           "recorded SELLS_TO and SUPPLIES value into the customer in the same categories; only "
                           "where another seller's tie is recorded",
        "value_at_risk": "per segment, the value of the customers with at least one retention-risk signal",
    }
    if compared:
        meta["value_falling"] = (f"value down by at least {FALLING:.0%} from the earlier snapshot: CLV against CLV "
                                 "where both snapshots give it, else annual sales against annual sales")
    else:
        meta["not_included"] = "value falling between two dates (give an earlier snapshot to compare with)"
    return meta


def _partner_meta() -> dict:
    return {
        "commitment_trust_gap": f"communication and mutual benefit >= {GAP_HIGH} while trust or commitment < "
                                f"{GAP_LOW} (after Morgan & Hunt 1994)",
        "dependence": "their_dependence = the focal's spend with them / their revenue; our_dependence = their "
                      "largest share of one input category's spend; 'mutual' within a factor of 1.5, 'little either "
                      "way' when both are below 10 %",
    }
