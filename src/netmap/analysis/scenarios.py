"""Named disruption scenarios compared side by side: one what-if per scenario, ranked by what it costs.

Each scenario is a set of selectors (see :mod:`netmap.analysis.selectors`):
organisations by id, country, region, role, capability or industry fail,
and ties of a category fail. Every row gives exactly the figures of
:func:`netmap.what_if` with the same selectors; the flows are built once and
shared by all scenarios.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from ..network import Network
from ..result import Result
from ..view import FocalView
from .flows import flow_model
from .selectors import SELECTORS, Scenario, failed_ties, scenario
from .whatif import RANKING_ORDER, run_scenario

__all__ = ["scenario_table", "SCENARIO_COLUMNS"]

#: Columns of :func:`scenario_table`.
SCENARIO_COLUMNS = ["rank", "scenario", "selectors", "organisations_removed", "ties_failed",
                    "input_categories_lost", "lost_categories", "value_at_risk", "value_at_risk_share",
                    "customers_lost", "customer_clv_lost", "capabilities_lost", "lost_capabilities",
                    "markets_lost", "lost_markets", "organisations_cut_off", "suppliers_cut_off",
                    "tier1_suppliers_cut_off", "removed", "reason"]
TITLE = "Disruption scenarios ranked by what they cost"


def scenario_table(
    network: Network | FocalView,
    focal: str | None,
    scenarios,
    *,
    as_of: _dt.date | str | None = None,
) -> Result:
    """One row per named scenario: what the focal organisation loses, ranked most severe first.

    Parameters
    ----------
    network : Network or FocalView
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    scenarios : iterable of Scenario or dict
        Each a :class:`~netmap.analysis.selectors.Scenario` or a dict with
        ``name`` and selector keys (``remove``, ``country``, ``region``,
        ``role``, ``capability``, ``category``, ``industry``), as
        :func:`netmap.io.scenario_files.read_scenarios` returns.
    as_of : date or str, optional (default=today)

    Returns
    -------
    Result
        The table ``"scenarios"``: ``rank``, ``scenario`` (its name),
        ``selectors`` (in words), ``organisations_removed``, ``ties_failed``,
        ``input_categories_lost``, ``lost_categories``, ``value_at_risk``,
        ``value_at_risk_share``, ``customers_lost``, ``customer_clv_lost``,
        ``capabilities_lost``, ``lost_capabilities``, ``markets_lost``,
        ``lost_markets``, ``organisations_cut_off``, ``suppliers_cut_off``,
        ``tier1_suppliers_cut_off``, ``removed`` (ids), ``reason``. Ranked
        like the dependency ranking (input categories lost, then value at
        risk, customers, capabilities, markets, organisations cut off), then
        by name.

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> t = scenario_table(net, "F1", [{"name": "Asia", "region": "Asia"}, {"name": "no steel",
    ...                    "category": "steel"}], as_of="2024-06-30").table
    >>> t[["scenario", "input_categories_lost", "value_at_risk"]].to_dict("records")
    [{'scenario': 'no steel', 'input_categories_lost': 1, 'value_at_risk': 500000.0}, {'scenario': 'Asia', 'input_categories_lost': 1, 'value_at_risk': 450000.0}]
    """
    model = flow_model(network, focal, as_of)
    rows = []
    for k, sc in enumerate(scenarios):
        if isinstance(sc, dict):
            sc = scenario(sc.get("remove"), **{s: sc.get(s) for s in SELECTORS[1:]},
                          name=str(sc.get("name") or f"scenario {k + 1}"))
        elif not isinstance(sc, Scenario):
            raise TypeError(f"a scenario is a Scenario or a dict, not {type(sc).__name__}")
        res = run_scenario(model, sc)
        s = res.summary.iloc[0]
        inputs, caps, mkts = res.inputs, res.capabilities, res.markets
        ties_failed = failed_ties(model, sc.category)
        rows.append({
            "scenario": sc.name or f"scenario {k + 1}", "selectors": sc.describe(),
            "organisations_removed": len(res.removed), "ties_failed": ties_failed,
            "input_categories_lost": int(s["input_categories_lost"]),
            "lost_categories": ";".join(inputs.loc[inputs["lost"], "category"].tolist()) if len(inputs) else "",
            "value_at_risk": float(s["value_at_risk"]), "value_at_risk_share": float(s["value_at_risk_share"]),
            "customers_lost": int(s["customers_lost"]), "customer_clv_lost": float(s["customer_clv_lost"]),
            "capabilities_lost": int(s["capabilities_lost"]),
            "lost_capabilities": ";".join(map(str, caps["capability"].tolist())),
            "markets_lost": int(s["markets_lost"]), "lost_markets": ";".join(map(str, mkts["market"].tolist())),
            "organisations_cut_off": int(s["organisations_cut_off"]),
            "suppliers_cut_off": int(s["suppliers_cut_off"]),
            "tier1_suppliers_cut_off": int(s["tier1_suppliers_cut_off"]),
            "removed": s["removed"],
            "reason": f"{len(res.removed)} organisation(s) fail" + (f", {ties_failed} tie(s) fail" if ties_failed
                                                                     else "") + ": " + s["reason"],
        })
    df = pd.DataFrame(rows, columns=SCENARIO_COLUMNS[1:])
    if len(df):
        df = df.sort_values(list(RANKING_ORDER) + ["scenario"], ascending=[False] * len(RANKING_ORDER) + [True],
                            kind="stable").reset_index(drop=True)
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    meta = model.meta() | {"scenarios": len(df), "ranked_by": ", ".join(RANKING_ORDER),
                           "selectors": "organisations matching any selector fail with all their ties; "
                                        "category makes the ties of that category fail; the focal "
                                        "organisation is never removed"}
    return Result({"scenarios": df}, meta, titles={"scenarios": TITLE})
