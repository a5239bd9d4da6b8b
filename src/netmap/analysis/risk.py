"""Risk that travels upstream: each organisation's effective disruption risk from its own and its suppliers'.

**Own risk** is the ``risk`` column (0-1); where it is empty, a per-country
risk (:func:`with_country_risk`, the command line's ``--country-risk``)
fills it; where neither gives one it counts as 0 (no known risk).

**Effective risk** follows the rule published by the open-source
supply-chain tool suppliershield::

    upstream(x)  = spend-weighted mean of the effective risk of x's suppliers
    effective(x) = max(own(x), 0.6 * own(x) + 0.4 * upstream(x))

The weights are the values of the ``SUPPLIES`` ties into ``x`` (equal when
none has a value); an organisation without suppliers keeps its own risk.
Why this rule: an organisation is never less risky than itself; a supplier
matters in proportion to what is bought from it; upstream risk weighs less
than one's own (buyers hold stock and can switch, so a supplier's trouble
reaches them damped); and the damping keeps long chains from piling up
towards 1, so a tier-5 supplier counts for less than a tier-1 one
(0.4 per tier). Cycles are resolved as the fixed point of the rule, reached by
repeating it from the own risks until no value moves by more than 1e-12
(each round moves values by at most 0.4 times the previous round's change,
so it converges, and always to the same values).
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from ..countries import country_codes
from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view

__all__ = ["effective_risk", "effective_risk_values", "high_risk_suppliers", "with_risk", "risk_levels", "with_country_risk", "has_risk", "OWN_WEIGHT", "HIGH_RISK"]

#: Weight of an organisation's own risk in the blend (the rest is its suppliers').
OWN_WEIGHT = 0.6
#: From this effective risk on, an organisation counts as high-risk.
HIGH_RISK = 0.5


def has_risk(network: Network) -> bool:
    """Whether any organisation records a risk."""
    return "risk" in network.nodes.columns and bool(network.nodes["risk"].notna().any())


def with_country_risk(network: Network, country_risk: dict[str, float]) -> Network:
    """A copy of ``network`` whose organisations without a ``risk`` take their country's.

    ``country_risk`` maps ISO 3166 alpha-2 codes (as
    :func:`netmap.io.scenario_files.read_country_risk` returns) to 0-1.
    """
    nodes = network.nodes.copy()
    own = nodes["risk"].to_numpy(dtype=float) if "risk" in nodes.columns else np.full(len(nodes), np.nan)
    codes = country_codes(nodes["country"].to_numpy(dtype=object)) if "country" in nodes.columns else []
    by_country = np.array([country_risk.get(c, np.nan) for c in codes], dtype=float)
    nodes["risk"] = np.where(np.isnan(own), by_country, own)
    out = Network(nodes, network.edges, source=network.source, default_strength=network.default_strength)
    out.strength_weights = dict(network.strength_weights)
    return out


def _effective(n: int, own: np.ndarray, u: np.ndarray, v: np.ndarray, val: np.ndarray, rank: np.ndarray):
    """Effective risk per organisation (see the module documentation) and the upstream part."""
    from scipy.sparse import csr_matrix

    keep = u != v
    u, v, val = u[keep], v[keep], val[keep]
    order = np.lexsort((rank[u], rank[v]))  # canonical order: sums never depend on the input's row order
    u, v, val = u[order], v[order], val[order]
    total = np.bincount(v, weights=val, minlength=n)
    count = np.bincount(v, minlength=n)
    w = np.where(total[v] > 0, val / np.where(total[v] > 0, total[v], 1.0), 1.0 / np.maximum(count[v], 1))
    t = csr_matrix((w, (v, u)), shape=(n, n))  # row x: weights of x's suppliers
    has = count > 0
    e = own.copy()
    up = np.zeros(n)
    for _ in range(10_000):
        up = t @ e
        nxt = np.where(has, np.maximum(own, OWN_WEIGHT * own + (1 - OWN_WEIGHT) * up), own)
        done = np.max(np.abs(nxt - e), initial=0.0) <= 1e-12
        e = nxt
        if done:
            break
    return e, np.where(has, up, np.nan)


def risk_levels(values) -> np.ndarray:
    """Words for effective risks: ``high`` from 0.5, ``elevated`` from 0.25, ``low`` below; ``""`` if unknown.

    >>> risk_levels([0.6, 0.3, 0.1, float("nan")]).tolist()
    ['high', 'elevated', 'low', '']
    """
    x = np.asarray(values, dtype=float)
    return np.where(np.isnan(x), "", np.where(x >= HIGH_RISK, "high", np.where(x >= 0.25, "elevated", "low")))


def effective_risk(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
) -> Result:
    """Every organisation's own, upstream and effective risk over the ties active on ``as_of``.

    Parameters
    ----------
    network : Network or FocalView
    focal : str or None
        Only names the view (the rule does not depend on it); ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)

    Returns
    -------
    Result
        Table ``risk``: ``id``, ``name``, ``country``, ``risk`` (own, as
        recorded or from the country; empty when unknown), ``upstream_risk``
        (spend-weighted mean of its suppliers' effective risk; empty without
        suppliers), ``effective_risk``, ``level``, ``top_supplier`` (the
        supplier adding most to it), ``reason``; by effective risk, then id.

    Examples
    --------
    >>> import pandas as pd
    >>> from netmap import Network
    >>> nodes = pd.DataFrame({"id": ["F", "A", "B"], "name": ["F", "A", "B"], "roles": ["firm", "supplier",
    ...                       "supplier"], "focal": [True, False, False], "risk": [0.1, 0.2, 0.9]})
    >>> edges = pd.DataFrame({"source": ["A", "B"], "target": ["F", "F"], "type": ["SUPPLIES"] * 2,
    ...                       "value": [300.0, 100.0]})
    >>> t = effective_risk(Network(nodes, edges)).table.set_index("id")
    >>> round(float(t.loc["F", "effective_risk"]), 6)  # max(0.1, 0.6*0.1 + 0.4*(0.75*0.2 + 0.25*0.9))
    0.21
    """
    view = focal_view(network, focal, as_of)
    net = view.network
    n = net.n_nodes
    ids = np.asarray(net.ids, dtype=object)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(ids.astype(str), kind="stable")] = np.arange(n)
    own_raw = net.nodes["risk"].to_numpy(dtype=float) if "risk" in net.nodes.columns else np.full(n, np.nan)
    own = np.nan_to_num(own_raw, nan=0.0)
    e = net.edges
    u, v = (np.asarray(a, dtype=np.int64) for a in net.endpoints())
    s = (e["type"] == "SUPPLIES").to_numpy()
    val = e["value"].fillna(0.0).to_numpy(dtype=float)
    eff, up = _effective(n, own, u[s], v[s], val[s], rank)
    # the supplier adding most: weight x effective risk
    names = net.nodes["name"].to_numpy(dtype=object)
    su, sv, sval = u[s], v[s], val[s]
    top = np.full(n, -1, dtype=np.int64)
    if len(su):
        total = np.bincount(sv, weights=sval, minlength=n)
        count = np.bincount(sv, minlength=n)
        w = np.where(total[sv] > 0, sval / np.where(total[sv] > 0, total[sv], 1.0), 1.0 / np.maximum(count[sv], 1))
        contrib = w * eff[su]
        order = np.lexsort((rank[su], -contrib, sv))
        first = np.concatenate(([True], sv[order][1:] != sv[order][:-1]))
        top[sv[order][first]] = su[order][first]
    country = net.nodes["country"].fillna("").astype(str).to_numpy(dtype=object) if "country" in net.nodes else ""
    reasons = []
    for i in range(n):
        if np.isnan(up[i]):
            r = "no recorded supplier: its own risk" + ("" if not np.isnan(own_raw[i]) else " (unknown, counted as 0)")
        elif eff[i] > own[i] + 1e-12:
            t = top[i]
            r = (f"its suppliers raise it from {own[i]:.2f} to {eff[i]:.2f} (upstream {up[i]:.2f})"
                 + (f"; most from {ids[t]} {names[t]} ({eff[t]:.2f})" if t >= 0 else ""))
        else:
            r = f"its own risk {own[i]:.2f} outweighs its suppliers' ({up[i]:.2f})"
        reasons.append(r)
    df = pd.DataFrame({
        "id": ids, "name": names, "country": country, "risk": own_raw, "upstream_risk": up,
        "effective_risk": eff, "level": risk_levels(eff),
        "top_supplier": [str(ids[t]) if t >= 0 else "" for t in top], "reason": reasons,
    })
    df = df.assign(_r=rank).sort_values(["effective_risk", "_r"], ascending=[False, True], kind="stable")
    df = df.drop(columns="_r").reset_index(drop=True)
    meta = {"focal": view.focal, "as_of": view.as_of,
            "rule": "effective = max(own, 0.6*own + 0.4*upstream); upstream = spend-weighted mean of the "
                    "suppliers' effective risk (suppliershield's rule); unknown own risk counts as 0",
            "high_risk": f"effective risk of {HIGH_RISK} or more"}
    return Result({"risk": df}, meta, titles={"risk": "Effective disruption risk, own and from suppliers"})


def effective_risk_values(network: Network) -> np.ndarray:
    """Effective risk per organisation (in ``network.nodes`` order) over every tie of ``network``.

    The same rule as :func:`effective_risk`, for callers that hold a network
    already restricted to the ties they draw (the maps).
    """
    n = network.n_nodes
    ids = np.asarray(network.ids, dtype=object)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(ids.astype(str), kind="stable")] = np.arange(n)
    own = network.nodes["risk"].to_numpy(dtype=float) if "risk" in network.nodes.columns else np.full(n, np.nan)
    u, v = (np.asarray(a, dtype=np.int64) for a in network.endpoints())
    s = (network.edges["type"] == "SUPPLIES").to_numpy()
    val = network.edges["value"].fillna(0.0).to_numpy(dtype=float)
    return _effective(n, np.nan_to_num(own, nan=0.0), u[s], v[s], val[s], rank)[0]


def high_risk_suppliers(view: FocalView, shares: pd.DataFrame) -> dict[str, list[str]]:
    """``{input category: ["id name (effective risk)", ...]}`` for the tier-1 suppliers at high risk.

    ``shares`` is the supplier table of
    :func:`~netmap.analysis.concentration.supply_concentration` (columns
    ``category``, ``supplier``, ``name``); empty when no organisation records a risk.
    """
    if not has_risk(view.network) or shares.empty:
        return {}
    eff = pd.Series(effective_risk_values(view.network), index=list(view.network.ids))
    out: dict[str, list[str]] = {}
    for c, s, name in zip(shares["category"], shares["supplier"], shares["name"]):
        r = float(eff.get(s, 0.0))
        if r >= HIGH_RISK:
            out.setdefault(c, []).append(f"{s} {name} ({r:.2f})")
    return out


def with_risk(view: FocalView, table: pd.DataFrame, id_column: str = "id") -> pd.DataFrame:
    """``table`` with ``effective_risk`` and ``risk_level`` per organisation, and high risk named in its ``reason``.

    Returned unchanged when no organisation records a risk.
    """
    if not has_risk(view.network) or table.empty:
        return table
    eff = effective_risk(view).table.set_index("id")
    out = table.copy()
    r = out[id_column].map(eff["effective_risk"]).astype(float)
    out["effective_risk"] = r
    out["risk_level"] = risk_levels(r)
    if "reason" in out.columns:
        why = out[id_column].map(eff["reason"])
        high = (r >= HIGH_RISK).to_numpy()
        out.loc[high, "reason"] = [f"{a}; high disruption risk {x:.2f} ({w})"
                                   for a, x, w in zip(out.loc[high, "reason"], r[high], why[high])]
    return out
