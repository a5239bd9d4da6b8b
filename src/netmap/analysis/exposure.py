"""Exposure by geography: where the focal organisation's supply comes from, and where its sales go, tier by tier.

**The spreading rule.** Tier 1 is the focal organisation's own ties: its
spend with each supplier (the values of the ``SUPPLIES`` ties into it),
placed in the supplier's country. Each further tier takes every supplier's
share of the spend and spreads it over that supplier's own recorded
suppliers in proportion to the values of their ``SUPPLIES`` ties into it
(equally among them when none of those ties has a value). A supplier with
no recorded supplier keeps its share, in its own country, at every further
tier, so each tier accounts for the whole tier-1 spend. What the focal
itself supplies to its suppliers is not followed. Cycles are harmless: the
spreading runs a fixed number of tiers. Sales are spread the same way
downstream: the focal's ``SUPPLIES``, ``SELLS_THROUGH`` and ``SELLS_TO``
ties out, then each buyer's own downstream ties.

Concentration is the Herfindahl-Hirschman index (0-10,000) of each input
category's spend over countries, at tier 1 and at the deepest tier.
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np
import pandas as pd

from ..checks import choice, whole_number
from ..countries import country_codes, country_name
from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view
from .concentration import concentration_level, hhi
from .flows import DOWNSTREAM_TYPES, NO_CATEGORY

__all__ = ["exposure", "UNKNOWN", "BY"]

#: The place of an organisation that records none.
UNKNOWN = "(unknown)"
#: What exposure can be grouped by.
BY = ("country", "region")
ALL_INPUTS = "(all inputs)"


def exposure(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    by: str = "country",
    tiers: int = 3,
    as_of: _dt.date | str | None = None,
) -> Result:
    """Where the focal organisation's supply spend and sales sit, by country (or region), tier by tier.

    Parameters
    ----------
    network : Network or FocalView
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    by : {"country", "region"} (default="country")
        Countries are read as ISO 3166 codes (alpha-2, alpha-3 or English
        name, shown as alpha-2); a value that names no country is kept as
        written; an empty one is ``(unknown)``.
    tiers : int (default=3)
        How many tiers to spread over (see the module documentation).
    as_of : date or str, optional (default=today)
        Only ties active on this date count.

    Returns
    -------
    Result
        Tables ``supply`` and ``sales`` (``tier``, ``country`` or ``region``,
        ``name``, ``value``, ``share`` of the tier's total,
        ``organisations`` holding some of it at that tier, ``reason``; by
        tier, then value), ``concentration`` (per input category and for
        all inputs, at tier 1 and the deepest tier: ``category``, ``tier``,
        ``countries``, ``hhi``, ``level``, ``top``, ``top_share``,
        ``reason``), ``places`` (organisations and direct partners per
        place) and ``flows`` (value of the directed ties between places:
        ``source``, ``target``, ``value``, ``ties``). ``meta`` states the
        rule and the focal organisation's place.

    Examples
    --------
    >>> from netmap import read_network
    >>> r = exposure(read_network("sample_data/tiny"), "F1", tiers=2, as_of="2024-06-30")
    >>> r["supply"][["tier", "country", "value"]].to_dict("records")[:3]
    [{'tier': 1, 'country': 'DE', 'value': 400000.0}, {'tier': 1, 'country': 'TW', 'value': 250000.0}, {'tier': 1, 'country': 'PL', 'value': 100000.0}]
    """
    by = choice(by, "by", BY, what="grouping")
    tiers = whole_number(tiers, "tiers", minimum=1)
    view = focal_view(network, focal, as_of)
    net = view.network
    n, f = net.n_nodes, view.position
    ids = np.asarray(net.ids, dtype=object)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(ids.astype(str), kind="stable")] = np.arange(n)
    place = _places(net, by)
    e = net.edges
    u, v = (np.asarray(a, dtype=np.int64) for a in net.endpoints())
    typ = e["type"].to_numpy()
    val = e["value"].fillna(0.0).to_numpy(dtype=float)
    cat = e["category"].fillna("").astype(str).to_numpy(dtype=object)
    cat = np.where(cat == "", NO_CATEGORY, cat)

    # supply: ties into the focal start; each supplier's share moves up its own SUPPLIES ties
    s = typ == "SUPPLIES"
    start = s & (v == f) & (u != f)
    cats = sorted(set(cat[start].tolist()))
    m0 = np.zeros((n, 1 + len(cats)))
    np.add.at(m0[:, 0], u[start], val[start])
    for k, c in enumerate(cats, 1):
        sel = start & (cat == c)
        np.add.at(m0[:, k], u[sel], val[sel])
    up = s & (u != f) & (v != f)
    supply_m = _spread(m0, u[up], v[up], val[up], rank, tiers)
    # sales: the focal's downstream ties start; each buyer's share moves down its own downstream ties
    d = np.isin(typ, DOWNSTREAM_TYPES)
    dstart = d & (u == f) & (v != f)
    s0 = np.zeros((n, 1))
    np.add.at(s0[:, 0], v[dstart], val[dstart])
    down = d & (u != f) & (v != f)
    sales_m = _spread(s0, v[down], u[down], val[down], rank, tiers)

    names = net.nodes["name"].to_numpy(dtype=object)
    supply = _tier_table([m[:, 0] for m in supply_m], place, ids, names, rank, by, "spend")
    sales = _tier_table([m[:, 0] for m in sales_m], place, ids, names, rank, by, "sales")
    conc = _concentration(supply_m, cats, place, by)
    places = _places_table(net, place, f, u, v, by)
    flows = _flows(place, u[d], v[d], val[d], by)
    meta = {
        "focal": view.focal, "as_of": view.as_of, "by": by, "tiers": tiers,
        "focal_place": place[f], "ties": "only ties active on as_of",
        "rule": "tier 1 is the focal's own spend (sales) per partner; each further tier spreads every "
                "partner's share over its own recorded suppliers (buyers) in proportion to their tie values "
                "(equally when none has a value); a partner with none keeps its share in its own place",
        "hhi": "Herfindahl-Hirschman index of spend shares by place, 0-10,000; highly concentrated from 2,500",
    }
    titles = {"supply": f"Supply spend by {by}, tier by tier", "sales": f"Sales by {by}, tier by tier",
              "concentration": f"Concentration of each input by {by}", "places": f"Organisations by {by}",
              "flows": f"Value flowing between {by.replace('country', 'countrie')}s"}
    return Result({"supply": supply, "sales": sales, "concentration": conc, "places": places, "flows": flows},
                  meta, titles=titles)


def _places(net: Network, by: str) -> np.ndarray:
    raw = net.nodes[by].fillna("").astype(str).str.strip().to_numpy(dtype=object)
    out = country_codes(raw) if by == "country" else raw
    return np.where(out == "", UNKNOWN, out).astype(object)


def _label(key: str, by: str) -> str:
    return country_name(key) if by == "country" and len(key) == 2 and key.isupper() else key


def _spread(m0: np.ndarray, src, dst, val, rank, tiers: int) -> list[np.ndarray]:
    """``[m_1, ..., m_tiers]``: each tier's share per organisation (rows), moved from ``dst`` to ``src`` ties."""
    from scipy.sparse import csr_matrix

    n = m0.shape[0]
    # canonical order (by receiving, then giving organisation's id) so sums never depend on the input's row order
    order = np.lexsort((rank[src], rank[dst]))
    src, dst, val = src[order], dst[order], val[order]
    total = np.bincount(dst, weights=val, minlength=n)
    count = np.bincount(dst, minlength=n)
    w = np.where(total[dst] > 0, val / np.where(total[dst] > 0, total[dst], 1.0), 1.0 / np.maximum(count[dst], 1))
    t = csr_matrix((w, (src, dst)), shape=(n, n))
    keeps = (count == 0)[:, None]
    out = [m0]
    m = m0
    for _ in range(tiers - 1):
        m = np.asarray(t @ m) + np.where(keeps, m, 0.0)
        out.append(m)
    return out


def _tier_table(masses, place, ids, names, rank, by: str, what: str) -> pd.DataFrame:
    cols = ["tier", by, "name", "value", "share", "organisations", "reason"]
    rows = []
    for t, m in enumerate(masses, 1):
        total = math.fsum(m.tolist())
        if total <= 0:
            continue
        has = np.flatnonzero(m > 1e-9 * total)
        df = pd.DataFrame({"p": place[has], "pos": has, "m": m[has], "r": rank[has]})
        for key, g in df.groupby("p", sort=True):
            value = math.fsum(g["m"].tolist())
            top = g.sort_values(["m", "r"], ascending=[False, True]).head(3)
            via = ", ".join(f"{ids[p]} {names[p]} ({x / value:.0%})" for p, x in zip(top["pos"], top["m"]))
            rows.append({"tier": t, by: key, "name": _label(key, by), "value": value, "share": value / total,
                         "organisations": len(g),
                         "reason": f"{value / total:.0%} of your {what} at tier {t} is in {_label(key, by)}"
                                   f", through {via}" + (" ..." if len(g) > 3 else "")})
    out = pd.DataFrame(rows, columns=cols)
    if len(out):
        out = out.sort_values(["tier", "value", by], ascending=[True, False, True], kind="stable")
    return out.reset_index(drop=True)


def _concentration(masses, cats, place, by: str) -> pd.DataFrame:
    cols = ["category", "tier", "countries" if by == "country" else "regions", "hhi", "level", "top",
            "top_share", "reason"]
    rows = []
    tiers = sorted({1, len(masses)})
    for k, c in enumerate([ALL_INPUTS, *cats]):
        for t in tiers:
            m = masses[t - 1][:, k]
            total = math.fsum(m.tolist())
            if total <= 0:
                continue
            s = pd.Series(m).groupby(place).sum()
            s = s[s > 1e-9 * total]
            sh = (s / total).sort_index()
            top = sh.sort_values(ascending=False, kind="stable")
            h = hhi(sh.to_numpy())
            level = concentration_level(h, len(sh), single=f"one {by} only")
            rows.append({"category": c, "tier": t, cols[2]: len(sh), "hhi": h, "level": level,
                         "top": top.index[0], "top_share": float(top.iloc[0]),
                         "reason": f"{level}: {float(top.iloc[0]):.0%} of {'all input' if c == ALL_INPUTS else c} spend at tier {t} is in "
                                   f"{_label(top.index[0], by)}" + (f" (HHI {h:,.0f})" if len(sh) > 1 else "")})
    return pd.DataFrame(rows, columns=cols)


def _places_table(net: Network, place, f, u, v, by: str) -> pd.DataFrame:
    partner = np.zeros(len(place), dtype=bool)
    partner[v[u == f]] = True
    partner[u[v == f]] = True
    partner[f] = False
    df = pd.DataFrame({by: place, "partner": partner, "focal": np.arange(len(place)) == f})
    g = df.groupby(by, sort=True).agg(organisations=("partner", "size"), partners=("partner", "sum"),
                                      focal=("focal", "any")).reset_index()
    g.insert(1, "name", [_label(k, by) for k in g[by]])
    g["partners"] = g["partners"].astype(int)
    return g.sort_values(["organisations", by], ascending=[False, True], kind="stable").reset_index(drop=True)


def _flows(place, u, v, val, by: str) -> pd.DataFrame:
    a, b = place[u], place[v]
    keep = (a != b) & (a != UNKNOWN) & (b != UNKNOWN)
    df = pd.DataFrame({"source": a[keep], "target": b[keep], "value": val[keep]})
    g = df.groupby(["source", "target"], sort=True).agg(value=("value", "sum"), ties=("value", "size")).reset_index()
    return g.sort_values(["value", "source", "target"], ascending=[False, True, True], kind="stable").reset_index(
        drop=True)
