"""Hidden upstream concentration: organisations further up the supply chain on which several tier-1 suppliers depend."""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np
import pandas as pd

from ..checks import whole_number
from ..engine.bitsets import bit_of, member_mask, popcount, unpack
from ..engine.condensation import reachable_sets
from ..network import Network
from ..result import Result
from ..view import FocalView
from .flows import FlowModel, flow_model

__all__ = ["hidden_concentration", "TITLE"]

#: The heading of the table.
TITLE = "Hidden upstream concentration (tier 2+)"

_HIDDEN_COLUMNS = ["id", "name", "tier", "tier1_count", "tier1_share", "tier1_ids", "spend_through", "spend_share",
                   "categories_through", "tier1_cut_off", "categories_lost", "reason"]


def hidden_concentration(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
    min_tier1: int = 2,
    max_ids: int = 25,
) -> Result:
    """Organisations upstream on which several of the focal organisation's tier-1 suppliers depend.

    Tier 1 are the organisations with an active ``SUPPLIES`` tie into the
    focal; tier *n* those *n* ``SUPPLIES`` hops upstream (the shortest
    chain). A tier-1 supplier *depends on* an organisation when a chain of
    ``SUPPLIES`` ties leads from that organisation to it.

    Parameters
    ----------
    network : Network or FocalView
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
    Result
        ``result.table`` (the table ``"hidden"``): ``id``, ``name``, ``tier``
        (1 when it also supplies the focal directly), ``tier1_count`` (other
        tier-1 suppliers depending on it), ``tier1_share`` (of all tier-1
        suppliers), ``tier1_ids``, ``spend_through``, ``spend_share`` (of the
        focal's spend), ``categories_through`` (input categories in which
        every tier-1 supplier other than itself depends on it -- at least
        one does; a category it alone supplies is a visible single source,
        not counted here), ``tier1_cut_off`` and
        ``categories_lost`` (what its failure alone would cut off: see
        :func:`~netmap.analysis.whatif.what_if`), ``reason``. Most tier-1s
        first, then most spend.

    Raises
    ------
    ArgumentError
        When ``min_tier1`` is below 1 or ``max_ids`` below 0.

    Notes
    -----
    ``spend_through`` attributes to an upstream organisation the focal's
    whole spend with every tier-1 supplier that depends on it: the spend
    exposed if it fails, an upper bound (the data do not say how much of a
    tier-1's output needs its input). Dependencies are found for all
    suppliers at once by propagating bitsets of tier-1 suppliers through the
    condensation of the supply graph (:func:`netmap.engine.condensation.reachable_sets`).

    Examples
    --------
    >>> from netmap import read_network
    >>> df = hidden_concentration(read_network("sample_data/tiny"), "F1", as_of="2024-06-30").table
    >>> df[["id", "tier", "tier1_count", "tier1_ids", "spend_through", "categories_through"]].to_dict("records")
    [{'id': 'T1', 'tier': 2, 'tier1_count': 2, 'tier1_ids': 'S1;S2', 'spend_through': 500000.0, 'categories_through': 'steel'}]
    """
    min_tier1 = whole_number(min_tier1, "min_tier1", minimum=1)
    max_ids = whole_number(max_ids, "max_ids", minimum=0)
    model = flow_model(network, focal, as_of)
    meta = {
        "focal": model.focal, "as_of": model.as_of, "ties": "only ties active on as_of",
        "tier": "tier-1 = SUPPLIES tie into the focal; tier-n = n SUPPLIES hops upstream (shortest chain)",
        "depends_on": "a chain of SUPPLIES ties leads from the organisation to the tier-1 supplier",
        "spend_through": "the focal's whole spend with every dependent tier-1 supplier (an upper bound)",
        "min_tier1": min_tier1, "max_ids": max_ids,
    }
    return Result({"hidden": _hidden(model, min_tier1, max_ids)}, meta, titles={"hidden": TITLE})


def _hidden(model: FlowModel, min_tier1: int, max_ids: int) -> pd.DataFrame:
    n = model.n
    ids, names = model.ids, model.names
    t1 = np.flatnonzero(model.tier1)
    if len(t1) < min_tier1 or not len(model.sup_u):
        return pd.DataFrame(columns=_HIDDEN_COLUMNS)
    # member i <-> tier-1 supplier t1[i], most spend first
    t1 = t1[np.lexsort((ids[t1].astype(str), -model.spend[t1]))]
    nt = len(t1)
    up = np.flatnonzero(model.upstream)
    bits = reachable_sets(n, model.sup_u, model.sup_v, t1, up)
    # an organisation does not depend on itself
    self_i = np.full(n, -1, dtype=np.int64)
    self_i[t1] = np.arange(nt)
    si = self_i[up]
    is_t1 = si >= 0
    word, mask = bit_of(si[is_t1])
    selfbits = np.zeros_like(bits)
    selfbits[np.flatnonzero(is_t1), word] = mask
    bits &= ~selfbits
    count = popcount(bits)
    keep = count >= min_tier1
    up, bits, selfbits, count = up[keep], bits[keep], selfbits[keep], count[keep]
    if not len(up):
        return pd.DataFrame(columns=_HIDDEN_COLUMNS)
    spend_t1 = model.spend[t1]
    total_spend = math.fsum(model.spend.tolist())
    # categories whose every tier-1 supplier other than the organisation depends on it (at least one does):
    # a category it alone supplies is a plain single source, not a hidden one
    cover = bits | selfbits
    cat_through = [[] for _ in range(len(up))]
    cat_also_own: list[set] = [set() for _ in range(len(up))]
    for cat, sups in model.categories.items():
        need = member_mask(self_i[sups], nt)
        ok = ((cover & need) == need).all(axis=1) & ((bits & need) != 0).any(axis=1)
        own = ((selfbits & need) != 0).any(axis=1)
        for i in np.flatnonzero(ok):
            cat_through[i].append(cat)
            if own[i]:
                cat_also_own[i].add(cat)
    t1_cut, _sup_cut, _sp_cut, cat_lost = model.supply_dominance
    tier = model.tier
    rows = []
    chunk = 4096
    t1_ids = [str(x) for x in ids[t1].tolist()]  # plain lists: numpy scalar indexing per row is slow
    t1_labels = [f"{i} {m}" for i, m in zip(ids[t1].tolist(), names[t1].tolist())]
    for a in range(0, len(up), chunk):
        b = min(len(up), a + chunk)
        unpacked = unpack(bits[a:b], nt)
        spend_thr = unpacked @ spend_t1
        for j in range(b - a):
            i = a + j
            x = int(up[i])
            shown = np.flatnonzero(unpacked[j])[:max_ids].tolist()
            lost = sorted(cat_lost.get(x, []))
            through = sorted(cat_through[i])
            c = int(count[i])
            names_shown = ", ".join(t1_labels[k] for k in shown[:5])
            more = f" and {c - min(5, len(shown))} more" if c > min(5, len(shown)) else ""
            share = float(spend_thr[j]) / total_spend if total_spend > 0 else 0.0
            why = (f"{c} of your {nt} tier-1 suppliers depend on it ({names_shown}{more}), "
                   f"carrying {spend_thr[j]:,.0f} ({share:.1%}) of your spend")
            if tier[x] == 1:
                why += "; it also supplies you directly"
            hidden = [c for c in through if c not in cat_also_own[i]]
            also = [c for c in through if c in cat_also_own[i]]
            if hidden:
                why += f"; every supplier of {', '.join(hidden)} depends on it"
            if also:
                why += f"; it supplies {', '.join(also)} itself and every other supplier of it depends on it"
            if t1_cut[x]:
                why += f"; if it failed, {int(t1_cut[x])} tier-1 supplier(s) would be left without supply"
            if lost:
                why += f" and {', '.join(lost)} would be lost"
            rows.append({
                "id": ids[x], "name": names[x], "tier": int(tier[x]), "tier1_count": c, "tier1_share": c / nt,
                "tier1_ids": ";".join(t1_ids[k] for k in shown), "spend_through": float(spend_thr[j]),
                "spend_share": share, "categories_through": ";".join(through),
                "tier1_cut_off": int(t1_cut[x]), "categories_lost": ";".join(lost), "reason": why,
            })
    df = pd.DataFrame(rows, columns=_HIDDEN_COLUMNS)
    return df.sort_values(["tier1_count", "spend_through", "id"], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)
