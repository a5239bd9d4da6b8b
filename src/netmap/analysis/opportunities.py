"""Whom to approach next: a shortlist of the candidates for a new tie, each with who can introduce it and why it ranks there.

Candidates and their scores are those of :mod:`netmap.analysis.candidates`;
this module ranks them for one focal organisation and explains every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..checks import number, whole_number
from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view
from .candidates import (COMPONENTS, MAX_INTRODUCERS, CandidateIndex, Ranking, candidate_index, criteria,
                         score_weights)

__all__ = ["opportunities", "OPPORTUNITY_COLUMNS"]

#: Columns of the shortlist, in order.
OPPORTUNITY_COLUMNS = [
    "rank", "id", "name", "roles", "country", "hops", "shared_partners",
    "common_neighbours", "adamic_adar", "resource_allocation", "jaccard",
    "fit", "novelty", "brokerage_gain", "score", "path_strength",
    "introducers", "new_capabilities", "new_markets", "drivers",
]


def opportunities(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    roles: str | Iterable[str] | None = None,
    markets: str | Iterable[str] | None = None,
    capabilities: str | Iterable[str] | None = None,
    top: int | None = 50,
    max_hops: int = 3,
    weights: Mapping[str, float] | None = None,
    as_of=None,
    new_strength: float | None = None,
    min_fit: float = 0.0,
) -> Result:
    """Shortlist the organisations a focal organisation should approach next.

    Parameters
    ----------
    network : Network or FocalView
    focal : str, optional
        Id of the focal organisation; default: the one marked focal.
    roles : str or list of str, optional
        Keep only candidates with at least one of these roles (a filter).
    markets, capabilities : str or list of str, optional
        What the focal organisation is looking for; scored by ``fit``
        (matched case-insensitively). A name no organisation lists is an error.
    top : int or None, optional (default=50)
        Number of rows to return; ``None`` for every candidate.
    max_hops : int, optional (default=3)
        Farthest candidates considered, in ties from the focal organisation
        (at least 2).
    weights : mapping, optional
        Weights of the components in ``score``; missing ones keep
        :data:`DEFAULT_WEIGHTS`, 0 switches a component off.
    as_of : date or str, optional
        Use the ties active on this date (default: today).
    new_strength : float, optional
        Strength assumed for the new tie in ``brokerage_gain``; default: the
        median strength of the focal organisation's current ties.
    min_fit : float, optional (default=0)
        Drop candidates whose ``fit`` is below this (1 keeps only candidates
        that have every requested market and capability).

    Returns
    -------
    Result
        The table ``"shortlist"``: one row per candidate, best first:

        ``rank``; ``id``, ``name``, ``roles``, ``country``; ``hops`` (ties on
        the shortest path from the focal organisation); ``shared_partners``
        (partners in common); ``common_neighbours``, ``adamic_adar``,
        ``resource_allocation``, ``jaccard`` (strength-weighted, see
        :mod:`netmap.analysis.linkpred`; 0 for candidates 3+ hops away);
        ``fit`` (mean, over the requested dimensions, of the share of the
        requested markets / capabilities the candidate lists; 1 when nothing
        was requested); ``novelty`` (number of capabilities and markets of
        the candidate that neither the focal organisation nor any of its
        partners lists); ``brokerage_gain`` (drop in the focal organisation's
        Burt constraint on tie strength if it added a tie to the candidate);
        ``score`` (combined, in [0, 1]; a candidate best on every counted
        component scores 1); ``path_strength`` (product of tie strengths on
        the strongest introduction path); ``introducers`` (shared partners
        with the strength of their tie to the focal organisation and to the
        candidate, or the best 2-step chains for candidates 3 hops away);
        ``new_capabilities``, ``new_markets``; ``drivers`` (the components
        that contribute most to the score, with their share of it).

        ``meta`` records the focal organisation, the date, the filters, the
        weights and the number of candidates.

    Raises
    ------
    NodeNotFound
        Unknown focal id.
    ArgumentError
        Unknown role, market or capability; bad ``top``, ``max_hops``,
        ``weights``, ``min_fit`` or ``new_strength``.

    Notes
    -----
    Each component is rescaled to [0, 1] over the candidates (smallest 0,
    largest 1) and ``score = Σ weight_i · scaled_i / Σ weight_i`` over the
    components that differ between candidates: one equal for every candidate
    (``fit`` when no market or capability was asked for) ranks nobody, so it
    is left out with its weight and ``meta["left_out_of_score"]`` names it.
    Ties in score (up to floating-point noise) are broken by id. The network
    is read as undirected, parallel ties merged with their strongest
    strength; ``brokerage_gain`` and ``meta["strength_constraint_now"]`` are
    Burt's constraint on that strength-weighted view, not the value-weighted
    constraint of :func:`~netmap.analysis.brokerage.brokerage` (its default).

    Examples
    --------
    >>> from netmap import read_network
    >>> df = opportunities(read_network("sample_data/tiny"), "F1", as_of="2024-01-01").table
    >>> df[["rank", "id", "hops", "shared_partners"]].values.tolist()
    [[1, 'T1', 2, 2], [2, 'C2', 2, 1]]
    >>> df.loc[0, "introducers"]
    'Steelco (S1): 0.85 to us, 0.70 to them; Alloy Works (S2): 0.55 to us, 0.50 to them'
    """
    top = whole_number(top, "top", optional=True)
    view = focal_view(network, focal, as_of)
    crit = criteria(view.network, roles, markets, capabilities)
    w = score_weights(weights)
    max_hops = whole_number(max_hops, "max_hops", minimum=2, why=" (a partner's partner)")
    min_fit = number(min_fit, "min_fit", low=0, high=1)
    ctx = candidate_index(view)
    r = ctx.rank(ctx.position(view.focal), crit, w, max_hops, new_strength, min_fit)
    shown = r.order if top is None else r.order[:top]
    df = _explain(ctx, r, shown)
    meta = {
        "focal": view.focal,
        "focal_name": view.name,
        "as_of": view.as_of,
        "max_hops": max_hops,
        "roles": list(crit.roles) or "any",
        "markets": list(crit.market_names) or "none",
        "capabilities": list(crit.capability_names) or "none",
        "min_fit": min_fit,
        "weights": ", ".join(f"{k}={v:g}" for k, v in w.items()),
        "left_out_of_score": (", ".join(r.constant) + " (equal for every candidate, so not in the score)"
                              if r.constant else "none"),
        "new_tie_strength": round(r.scores.new_strength, 4),
        "strength_constraint_now": None if np.isnan(r.scores.constraint) else round(r.scores.constraint, 6),
        "strength_constraint": ("Burt's constraint with ties weighted by strength, as brokerage_gain uses it; "
                                "netmap brokerage weighs ties by value unless told otherwise"),
        "candidates": int(len(r.order)),
        "shown": int(len(df)),
        "direct_partners": int(len(r.scores.partners)),
        "graph": "undirected; parallel ties merged (strongest strength)",
    }
    return Result({"shortlist": df}, meta, titles={"shortlist": "Whom to approach next"})


def _explain(ctx: CandidateIndex, r: Ranking, shown: np.ndarray) -> pd.DataFrame:
    g = ctx.graph
    es = r.scores
    n_shown = len(shown)
    nodes = ctx.nodes
    wf = dict(zip(es.partners.tolist(), es.partner_strength.tolist()))
    partner_set = set(wf)
    introducers, path_strength, new_caps, new_mkts, drivers = [], [], [], [], []
    # plain lookups by label: a pandas scalar access per candidate costs more than the rest of the row
    caps_of = dict(zip(nodes.index.tolist(), nodes["capabilities"].tolist()))
    mkts_of = dict(zip(nodes.index.tolist(), nodes["markets"].tolist()))
    for row, c in enumerate(shown.tolist()):
        nb, wc = g.partners(c)
        if r.hops[c] == 2:
            shared = [(int(z), wf[int(z)], float(x)) for z, x in zip(nb, wc) if int(z) in partner_set]
            shared.sort(key=lambda t: (-t[1] * t[2], g.ids[t[0]]))
            parts = [f"{ctx.label(z)}: {a:.2f} to us, {b:.2f} to them" for z, a, b in shared[:MAX_INTRODUCERS]]
            if len(shared) > MAX_INTRODUCERS:
                parts.append(f"and {len(shared) - MAX_INTRODUCERS} more")
            introducers.append("; ".join(parts))
            path_strength.append(float(es.best_introduction[c]))
        else:
            chains = []
            for b, wbc in zip(nb.tolist(), wc.tolist()):
                if r.hops[c] == 3 and r.hops[b] == 2 and es.best_introducer[b] >= 0:
                    a = int(es.best_introducer[b])
                    chains.append((es.best_introduction[b] * wbc, a, b, wf[a], es.best_introduction[b] / wf[a], wbc))
            chains.sort(key=lambda t: (-t[0], g.ids[t[2]], g.ids[t[1]]))
            parts = [
                f"{ctx.label(a)} then {ctx.label(b)}: {x:.2f}, {y:.2f}, {z:.2f}"
                for _, a, b, x, y, z in chains[:3]
            ]
            if len(chains) > 3:
                parts.append(f"and {len(chains) - 3} more chains")
            introducers.append("; ".join(parts) if parts else f"{int(r.hops[c])} ties away")
            path_strength.append(float(chains[0][0]) if chains else 0.0)
        new_caps.append(tuple(x for x in caps_of[c] if x.casefold() not in r.reach_caps))
        new_mkts.append(tuple(x for x in mkts_of[c] if x.casefold() not in r.reach_markets))
        contrib = [(comp, float(r.contrib[comp][row])) for comp in COMPONENTS]
        total = sum(v for _, v in contrib)
        if total <= 0:
            drivers.append("no component above the other candidates' minimum")
        else:
            top3 = sorted([t for t in contrib if t[1] > 0], key=lambda t: (-t[1], COMPONENTS.index(t[0])))[:3]
            drivers.append(", ".join(f"{comp} {100 * v / total:.0f}%" for comp, v in top3))
    sel = nodes.iloc[shown] if n_shown else nodes.iloc[[]]
    raw = {c: v[:n_shown] for c, v in r.raw.items()}
    df = pd.DataFrame(
        {
            "rank": np.arange(1, n_shown + 1),
            "id": sel["id"].to_numpy(dtype=object),
            "name": sel["name"].to_numpy(dtype=object),
            "roles": sel["roles"].to_numpy(dtype=object),
            "country": sel["country"].to_numpy(dtype=object),
            "hops": r.hops[shown].astype(np.int64),
            "shared_partners": es.shared_partners[shown].astype(np.int64),
            "common_neighbours": raw["common_neighbours"],
            "adamic_adar": raw["adamic_adar"],
            "resource_allocation": raw["resource_allocation"],
            "jaccard": raw["jaccard"],
            "fit": raw["fit"],
            "novelty": raw["novelty"].astype(np.int64),
            "brokerage_gain": raw["brokerage_gain"],
            "score": r.score[:n_shown],
            "path_strength": np.asarray(path_strength, dtype=float),
            "introducers": np.asarray(introducers, dtype=object),
            "new_capabilities": pd.Series(new_caps, dtype=object).to_numpy(),
            "new_markets": pd.Series(new_mkts, dtype=object).to_numpy(),
            "drivers": np.asarray(drivers, dtype=object),
        },
        columns=OPPORTUNITY_COLUMNS,
    )
    return df
