"""Does the shortlist work on this network? Hide a share of the ties and check that the ranking finds them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import number, whole_number
from ..errors import NetmapError
from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view
from .candidates import COMPONENTS, candidate_index, criteria, score_weights
from .common import equal_levels
from .linkpred import graph_from_ties

__all__ = ["backtest", "Backtest"]


@dataclass(repr=False)
class Backtest(Result):
    """The result of :func:`backtest`: the tables ``"summary"`` (the main one), ``"hits"`` and ``"hidden_pairs"``.

    Attributes
    ----------
    summary : DataFrame
        One row per ranking (``score`` and each component): ``measure``,
        ``auc``, ``random_auc`` (0.5), ``precision_at_k``,
        ``random_precision_at_k`` (expected precision of a random shortlist
        of the same length), ``lift`` (precision / random precision),
        ``hits`` (hidden ties found in the shortlists), ``better_than_random``
        (``auc > 0.5`` and ``precision_at_k > random_precision_at_k``).
    hits : DataFrame
        One row per hidden tie of an evaluated organisation: ``source`` (the
        organisation whose shortlist is scored), ``target`` (its hidden
        partner), ``hops`` in the network without the hidden ties (-1: out of
        reach), ``score``, ``rank`` (NaN when not a candidate), ``in_top_k``.
    hidden_pairs : DataFrame
        Every hidden pair (``u``, ``v`` ids, ``u`` the smaller id).
    meta : dict
        The settings and counts.
    """

    @property
    def summary(self) -> pd.DataFrame:
        """One row per ranking measure (the main table)."""
        return self["summary"]

    @property
    def hits(self) -> pd.DataFrame:
        """One row per hidden tie of an evaluated organisation."""
        return self["hits"]

    @property
    def hidden_pairs(self) -> pd.DataFrame:
        """Every hidden pair."""
        return self["hidden_pairs"]


def backtest(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    hide: float = 0.1,
    seed: int = 0,
    k: int = 50,
    sources: int | None = 50,
    roles: str | Iterable[str] | None = None,
    markets: str | Iterable[str] | None = None,
    capabilities: str | Iterable[str] | None = None,
    max_hops: int = 3,
    weights: Mapping[str, float] | None = None,
    as_of=None,
    new_strength: float | None = None,
) -> Backtest:
    """Check on the user's own data that the shortlist ranks real ties better than chance.

    Hides a seeded random share ``hide`` of the connected pairs, ranks the
    candidates of each evaluated organisation on what is left, exactly as
    :func:`~netmap.analysis.opportunities.opportunities` does, and measures where the hidden ties land.

    Parameters
    ----------
    network : Network or FocalView
    focal : str, optional
        Evaluated first (when one of its ties is hidden); default: the one
        marked focal.
    hide : float, optional (default=0.1)
        Share of connected pairs hidden, in (0, 1).
    seed : int, optional (default=0)
        Seed of the random choice of hidden ties and evaluated organisations.
    k : int, optional (default=50)
        Length of the shortlist for precision@k.
    sources : int or None, optional (default=50)
        How many organisations with a hidden tie are evaluated (the focal
        organisation, then a seeded random sample); ``None`` for all.
    roles, markets, capabilities, max_hops, weights, as_of, new_strength
        As in :func:`~netmap.analysis.opportunities.opportunities` (``min_fit`` is 0).

    Returns
    -------
    Backtest
        A :class:`~netmap.result.Result` with the tables ``"summary"``,
        ``"hits"`` and ``"hidden_pairs"`` (also properties of those names).

    Notes
    -----
    For an evaluated organisation ``u`` the *positives* are its hidden
    partners and the *negatives* every other organisation not tied to it in
    the reduced network (both restricted to ``roles``). Candidates beyond
    ``max_hops`` rank below every candidate. AUC is the probability that a
    random positive outranks a random negative (ties count half; scores that
    differ only by floating-point noise, relative 1e-9, are ties), pooled
    over all evaluated organisations; a random ranking has AUC 0.5. precision@k
    is the share of hidden ties among the first ``min(k, candidates)`` of
    each shortlist, pooled; a random shortlist's expected precision is
    ``Σ_u L_u · P_u / U_u / Σ_u L_u`` (``L`` shortlist length, ``P``
    positives, ``U`` positives plus negatives).

    Examples
    --------
    >>> from netmap import read_network
    >>> bt = backtest(read_network("sample_data/tiny"), "F1", hide=0.3, seed=1, as_of="2024-01-01")
    >>> list(bt.summary.columns)[:3]
    ['measure', 'auc', 'random_auc']
    """
    hide = number(hide, "hide", low=0, high=1, low_open=True, high_open=True)
    k = whole_number(k, "k")
    sources = whole_number(sources, "sources", optional=True)
    view = focal_view(network, focal, as_of)
    fid = view.focal
    crit = criteria(view.network, roles, markets, capabilities)
    w = score_weights(weights)
    max_hops = whole_number(max_hops, "max_hops", minimum=2, why=" (a partner's partner)")
    full = candidate_index(view)
    g = full.graph
    a = g.adjacency.tocoo()
    upper = a.row < a.col
    pu, pv, pw = a.row[upper].astype(np.int64), a.col[upper].astype(np.int64), a.data[upper]
    order = np.lexsort((pv, pu))
    pu, pv, pw = pu[order], pv[order], pw[order]
    n_pairs = len(pu)
    if n_pairs < 2:
        raise NetmapError("the network has fewer than 2 connected pairs; nothing to backtest")
    rng = np.random.default_rng(seed)
    n_hide = max(1, int(round(hide * n_pairs)))
    hidden = np.zeros(n_pairs, dtype=bool)
    hidden[rng.choice(n_pairs, size=n_hide, replace=False)] = True
    train = full.with_graph(graph_from_ties(g.ids, pu[~hidden], pv[~hidden], pw[~hidden]))
    hu, hv = pu[hidden], pv[hidden]
    hidden_of: dict[int, list[int]] = {}
    for x, y in zip(hu.tolist(), hv.tolist()):
        hidden_of.setdefault(x, []).append(y)
        hidden_of.setdefault(y, []).append(x)
    fi = full.position(fid)
    others = np.array(sorted(set(hidden_of) - {fi}), dtype=np.int64)
    others = others[rng.permutation(len(others))]
    pool = ([fi] if fi in hidden_of else []) + others.tolist()
    measures = ["score"] + [c for c in COMPONENTS if w[c] > 0 and (c != "fit" or crit.any_fit)]
    role_ok = crit.role_mask(train) if crit.roles else np.ones(g.n, dtype=bool)
    acc = {m: {"u": 0.0, "pairs": 0, "hits": 0, "slots": 0} for m in measures}
    random_hits = 0.0
    total_slots = 0
    hit_rows = []
    evaluated: list[str] = []
    for u in pool:
        if sources is not None and len(evaluated) >= int(sources):
            break
        positives = np.array([y for y in hidden_of[u] if role_ok[y]], dtype=np.int64)
        if not len(positives):
            continue
        r = train.rank(u, crit, w, max_hops, new_strength, 0.0)
        tied = np.zeros(g.n, dtype=bool)
        tied[u] = True
        tied[r.scores.partners] = True
        universe = np.flatnonzero(~tied & role_ok)
        n_univ = len(universe)
        if n_univ <= len(positives):
            continue
        evaluated.append(g.ids[u])
        is_pos = np.zeros(g.n, dtype=bool)
        is_pos[positives] = True
        shortlist_len = min(int(k), len(r.order))
        total_slots += shortlist_len
        random_hits += shortlist_len * len(positives) / n_univ
        rank_of = np.full(g.n, np.nan)
        rank_of[r.order] = np.arange(1, len(r.order) + 1)
        score_all = np.full(g.n, -np.inf)
        score_all[r.order] = r.score
        for y in positives.tolist():
            rk = rank_of[y]
            hit_rows.append({
                "source": g.ids[u], "target": g.ids[y], "hops": int(r.hops[y]),
                "score": float(score_all[y]) if np.isfinite(score_all[y]) else np.nan,
                "rank": rk, "in_top_k": bool(rk <= int(k)) if not np.isnan(rk) else False,
            })
        for m in measures:
            vals = np.full(g.n, -np.inf)
            vals[r.order] = r.score if m == "score" else r.raw[m]
            uv = vals[universe]
            pos_mask = is_pos[universe]
            acc[m]["u"] += _mann_whitney_u(uv, pos_mask)
            acc[m]["pairs"] += int(pos_mask.sum()) * int((~pos_mask).sum())
            # shortlist by this measure among the ranked candidates, ties by id
            cand = r.order
            cv = equal_levels(vals[cand])
            pick = cand[np.lexsort((full.id_rank[cand], -cv))][:shortlist_len]
            acc[m]["hits"] += int(is_pos[pick].sum())
            acc[m]["slots"] += shortlist_len
    rand_p = random_hits / total_slots if total_slots else np.nan
    rows = []
    for m in measures:
        auc = acc[m]["u"] / acc[m]["pairs"] if acc[m]["pairs"] else np.nan
        prec = acc[m]["hits"] / acc[m]["slots"] if acc[m]["slots"] else np.nan
        rows.append({
            "measure": m, "auc": auc, "random_auc": 0.5,
            "precision_at_k": prec, "random_precision_at_k": rand_p,
            "lift": prec / rand_p if rand_p and rand_p > 0 else np.nan,
            "hits": acc[m]["hits"],
            "better_than_random": bool(auc > 0.5 and prec > rand_p) if not np.isnan(auc) else False,
        })
    summary = pd.DataFrame(rows, columns=["measure", "auc", "random_auc", "precision_at_k",
                                          "random_precision_at_k", "lift", "hits", "better_than_random"])
    hits = pd.DataFrame(hit_rows, columns=["source", "target", "hops", "score", "rank", "in_top_k"])
    hidden_pairs = pd.DataFrame({"u": g.ids[hu], "v": g.ids[hv]})
    meta = {
        "focal": fid,
        "as_of": view.as_of,
        "hide": float(hide),
        "seed": int(seed),
        "k": int(k),
        "connected_pairs": int(n_pairs),
        "hidden_pairs": int(n_hide),
        "evaluated_organisations": len(evaluated),
        "focal_evaluated": fid in evaluated,
        "hidden_ties_evaluated": len(hits),
        "max_hops": max_hops,
        "roles": list(crit.roles) or "any",
        "weights": ", ".join(f"{k_}={v:g}" for k_, v in w.items()),
        "random_baseline": "AUC 0.5; precision@k = share of hidden ties among each organisation's non-partners",
    }
    return Backtest({"summary": summary, "hits": hits, "hidden_pairs": hidden_pairs}, meta,
                    titles={"summary": "Backtest", "hits": "Hidden ties", "hidden_pairs": "Hidden pairs"})


def _mann_whitney_u(values: np.ndarray, positive: np.ndarray) -> float:
    """Sum over (positive, negative) pairs of [pos > neg] + 0.5 [pos == neg].

    Scores that differ only by floating-point noise are equal (:func:`~netmap.analysis.common.equal_levels`).
    """
    from scipy.stats import rankdata

    fin = np.isfinite(values)
    floor = float(values[fin].min()) - 1.0 if fin.any() else 0.0
    finite = np.where(fin, values, floor)  # unranked candidates tie below every ranked one
    ranks = rankdata(equal_levels(finite), method="average")
    n_pos = int(positive.sum())
    return float(ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0)
