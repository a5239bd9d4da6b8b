"""Relationship quality with every direct partner: the four qualities, strength, the weakest quality,
the commitment-trust gap and who depends on whom.

The four qualities of a business relationship -- trust, communication,
commitment and mutual benefit -- come from Morgan & Hunt's commitment-trust
theory (1994): commitment and trust are the key mediating variables, and
communication and shared benefits build them. A relationship with good
communication and mutual benefit but low trust or commitment shows goodwill
that is not (yet) turning into commitment: the *commitment-trust gap*.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..network import relationship_strength
from ..schema import QUALITIES
from ..values import fmt_number
from ..view import FocalView
from .concentration import supply_concentration

__all__ = ["direct_ties", "direct_relationships", "relationship_table", "partner_relationships", "quality_text",
           "joined_per", "QUALITY_LABELS", "NO_DATA", "GAP_HIGH", "GAP_LOW", "PARTNER_COLUMNS"]

#: How each quality reads in a sentence.
QUALITY_LABELS = {"trust": "trust", "communication": "communication", "commitment": "commitment",
                  "mutual_benefit": "mutual benefit"}
#: What a relationship without any recorded quality is called (it is not judged weak).
NO_DATA = "no relationship data"
#: Communication and mutual benefit at least this high ...
GAP_HIGH = 0.7
#: ... while trust or commitment is below this: the commitment-trust gap.
GAP_LOW = 0.5
#: Two dependence shares within this factor of each other are mutual.
MUTUAL_FACTOR = 1.5
#: Both dependence shares below this: little dependence either way.
LOW_DEPENDENCE = 0.10

PARTNER_COLUMNS = ["id", "name", "roles", "tie_types", "ties", "value", *QUALITIES, "strength", "weakest_quality",
                   "weakest_value", "commitment_trust_gap", "revenue", "our_spend", "their_dependence",
                   "our_dependence", "dependence", "reason"]


def direct_ties(view: FocalView) -> pd.DataFrame:
    """The focal organisation's active ties, one row each, in an order fixed by the data (built once per view).

    Columns: ``partner`` (the other organisation's id), ``type``,
    ``direction`` (``out``, ``in`` or ``both`` for symmetric types),
    ``category``, ``value``, the four qualities, ``until``, ``exclusive``.
    """

    def build() -> pd.DataFrame:
        net = view.network
        u, v = net.endpoints()
        here = view.position
        hit = np.flatnonzero(((u == here) | (v == here)) & (u != v))
        d = net.edges.iloc[hit][["source", "target", "type", "category", "value", *QUALITIES, "until", "exclusive",
                                 "symmetric"]]
        out = u[hit] == here
        d = d.assign(partner=np.where(out, d["target"], d["source"]),
                     direction=np.where(d["symmetric"], "both", np.where(out, "out", "in")))
        d = d.sort_values(["partner", "type", "direction", "category"], kind="stable")
        return d[["partner", "type", "direction", "category", "value", *QUALITIES, "until", "exclusive"]
                 ].reset_index(drop=True)

    return view.cached("portfolio_direct_ties", build)


def direct_relationships(view: FocalView) -> pd.DataFrame:
    """:func:`relationship_table` of the focal organisation's :func:`direct_ties`, keyed by partner id (built once
    per view; copy it before changing it)."""
    net = view.network
    return view.cached("portfolio_relationships", lambda: relationship_table(
        direct_ties(view), "partner", net.strength_weights, net.default_strength))


def relationship_table(ties: pd.DataFrame, key: str, weights, default: float) -> pd.DataFrame:
    """One relationship per ``key``: the mean of each quality over its ties that record it, and what follows.

    Parameters
    ----------
    ties : DataFrame
        Ties with the four quality columns and ``key``, in an order fixed by
        the data (the means then never depend on the input's row order).
    key : str
        The column naming whose relationship a tie belongs to.
    weights, default
        The network's strength weights and default strength
        (:func:`~netmap.network.relationship_strength`).

    Returns
    -------
    DataFrame
        Indexed by ``key`` (sorted): ``ties``, the four qualities (NaN where
        no tie records it), ``strength`` (the weighted mean of the qualities,
        as for a single tie; NaN when none is recorded), ``weakest_quality``
        (the lowest recorded quality; :data:`NO_DATA` when none) and
        ``weakest_value``.

    Examples
    --------
    >>> t = pd.DataFrame({"p": ["A", "A", "B"], "trust": [0.2, 0.4, None], "communication": [0.9, None, None],
    ...                   "commitment": [0.5, 0.5, None], "mutual_benefit": [None, None, None]})
    >>> r = relationship_table(t, "p", None, 0.5)
    >>> a = r.loc["A"]  # trust (0.2 + 0.4) / 2; strength (0.3 + 0.9 + 0.5) / 3
    >>> f"{a['trust']:.2f} {a['strength']:.4f} {a['weakest_quality']}"
    '0.30 0.5667 trust'
    >>> r.loc["B", "weakest_quality"], bool(np.isnan(r.loc["B", "strength"]))
    ('no relationship data', True)
    """
    g = ties.groupby(key, sort=True)
    rel = g[list(QUALITIES)].mean()
    rel.insert(0, "ties", g.size().astype(np.int64))
    recorded = rel[list(QUALITIES)].notna()
    has = recorded.any(axis=1).to_numpy()
    strength = relationship_strength(rel, weights, default).to_numpy(dtype=float)
    rel["strength"] = np.where(has, strength, np.nan)
    q = rel[list(QUALITIES)].to_numpy(dtype=float)
    filled = np.where(np.isnan(q), np.inf, q)
    low = np.argmin(filled, axis=1)  # the first of equal lows, in the order of QUALITIES
    rel["weakest_quality"] = np.where(has, np.array(QUALITIES, dtype=object)[low], NO_DATA)
    rel["weakest_value"] = np.where(has, filled[np.arange(len(rel)), low], np.nan)
    return rel


def partner_relationships(view: FocalView) -> pd.DataFrame:
    """The relationship with every direct partner of the focal organisation (any role, any tie type).

    Columns are :data:`PARTNER_COLUMNS`: ``tie_types``, ``ties`` and
    ``value`` of the partner's active ties with the focal; the four
    qualities, ``strength``, ``weakest_quality`` and ``weakest_value`` of
    :func:`relationship_table`; ``commitment_trust_gap`` (communication and
    mutual benefit at least :data:`GAP_HIGH` while trust or commitment is
    below :data:`GAP_LOW`); where the partner's ``revenue`` is known and the
    focal buys from it: ``our_spend``, ``their_dependence`` (our spend as a
    share of their revenue), ``our_dependence`` (their largest share of one
    of our input categories' spend) and ``dependence`` in words; ``reason``.
    Weakest relationships first (no relationship data last), then by value.
    """
    ties = direct_ties(view)
    if ties.empty:
        return pd.DataFrame(columns=PARTNER_COLUMNS)
    net = view.network
    rel = direct_relationships(view).copy()
    g = ties.groupby("partner", sort=True)
    rel["tie_types"] = joined_per(ties["partner"], ties["type"], unique=True).reindex(rel.index)
    rel["value"] = g["value"].sum(min_count=1)
    supplies = ties[(ties["type"] == "SUPPLIES") & (ties["direction"] == "in")]
    rel["our_spend"] = supplies.groupby("partner", sort=True)["value"].sum(min_count=1).reindex(rel.index)
    shares = supply_concentration(view).table
    rel["our_dependence"] = (shares.groupby("supplier")["share"].max().reindex(rel.index)
                             if len(shares) else np.nan)
    nodes = net.nodes.set_index("id")
    rel["name"] = nodes["name"].reindex(rel.index)
    rel["roles"] = nodes["roles"].reindex(rel.index).map(lambda r: ";".join(r) if isinstance(r, tuple) else "")
    revenue = nodes["revenue"].reindex(rel.index).to_numpy(dtype=float)
    spend = rel["our_spend"].to_numpy(dtype=float)
    ok = (revenue > 0) & (spend > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel["their_dependence"] = np.where(ok, spend / np.where(ok, revenue, 1.0), np.nan)
    rel["revenue"] = revenue
    rel["commitment_trust_gap"] = _gap(rel)
    rel["dependence"] = [_dependence(t, o) for t, o in zip(rel["their_dependence"], rel["our_dependence"])]
    rel["reason"] = [_partner_reason(r) for r in rel.reset_index().itertuples(index=False)]
    rel = rel.reset_index().rename(columns={"partner": "id"})
    rel["_s"] = rel["strength"].fillna(np.inf)
    rel["_v"] = -rel["value"].fillna(0.0)
    rel = rel.sort_values(["_s", "_v", "id"], kind="stable")
    return rel[PARTNER_COLUMNS].reset_index(drop=True)


def joined_per(keys, values, *, unique: bool = False, sep: str = ";") -> pd.Series:
    """``values`` joined per key, in the order given (``unique``: each value once, sorted), as a Series by key.

    >>> joined_per(["b", "a", "b"], ["y", "x", "w"], unique=True).to_dict()
    {'a': 'x', 'b': 'w;y'}
    """
    out: dict = {}
    for k, v in zip(keys, values):
        out.setdefault(k, []).append(v)
    if unique:
        out = {k: sorted(set(v)) for k, v in out.items()}
    return pd.Series({k: sep.join(map(str, v)) for k, v in sorted(out.items())}, dtype=object)


def quality_text(row) -> str:
    """``trust 0.3, communication 0.8, ...`` for the qualities a relationship records."""
    parts = [f"{QUALITY_LABELS[q]} {fmt_number(getattr(row, q), 2)}" for q in QUALITIES
             if not pd.isna(getattr(row, q))]
    return ", ".join(parts)


def _gap(rel: pd.DataFrame) -> np.ndarray:
    good = (rel["communication"] >= GAP_HIGH) & (rel["mutual_benefit"] >= GAP_HIGH)
    low = (rel["trust"] < GAP_LOW) | (rel["commitment"] < GAP_LOW)
    return (good & low).to_numpy(dtype=bool)


def _dependence(theirs: float, ours: float) -> str:
    if pd.isna(theirs) or pd.isna(ours):
        return ""
    if theirs < LOW_DEPENDENCE and ours < LOW_DEPENDENCE:
        return "little either way"
    if max(theirs, ours) <= MUTUAL_FACTOR * min(theirs, ours):
        return "mutual"
    return "they depend more on us" if theirs > ours else "we depend more on them"


def _partner_reason(r) -> str:
    if pd.isna(r.strength):
        why = (f"{NO_DATA}: none of its {r.ties} tie(s) with us records trust, communication, commitment or "
               "mutual benefit")
    else:
        why = f"{quality_text(r)} (strength {fmt_number(r.strength, 2)}); weakest: {QUALITY_LABELS[r.weakest_quality]}"
    if r.commitment_trust_gap:
        why += (f"; commitment-trust gap: communication and mutual benefit at least {GAP_HIGH} but trust or "
                f"commitment below {GAP_LOW} -- goodwill that is not turning into commitment")
    if r.dependence:
        why += (f"; we buy {fmt_number(r.our_spend)} from them, {r.their_dependence:.1%} of their revenue, and they "
                f"hold up to {r.our_dependence:.1%} of an input category's spend: {r.dependence}")
    return why
