"""Whom to approach next: partner shortlists, market expansion and a backtest of the ranking.

A *candidate* is an organisation that is not tied to the focal organisation
today but can be reached through its partners within ``max_hops`` ties
(2 = a partner's partner). Each candidate gets separate scores -- the four
strength-weighted link-prediction measures of :mod:`netmap.analysis.linkpred`,
``fit`` to what was asked for, ``novelty`` and ``brokerage_gain`` -- and one
combined ``score``; every row says who can introduce it, what it would add and
which scores put it where it is.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import NetmapError
from ..network import Network
from ..schema import ROLES
from .linkpred import StrengthGraph, ego_scores, graph_from_ties, hops_from, strength_graph

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "opportunities",
    "market_expansion",
    "backtest",
    "Backtest",
]

#: The score components, in the order they are reported.
COMPONENTS: tuple[str, ...] = (
    "common_neighbours",
    "adamic_adar",
    "resource_allocation",
    "jaccard",
    "fit",
    "novelty",
    "brokerage_gain",
)

#: Default weights of the components in the combined score. The four
#: introduction measures together weigh as much as fit; novelty and brokerage
#: gain each half as much.
DEFAULT_WEIGHTS: dict[str, float] = {
    "common_neighbours": 0.5,
    "adamic_adar": 1.0,
    "resource_allocation": 0.5,
    "jaccard": 0.5,
    "fit": 2.5,
    "novelty": 1.25,
    "brokerage_gain": 1.25,
}

MAX_INTRODUCERS = 5

OPPORTUNITY_COLUMNS = [
    "rank", "id", "name", "roles", "country", "hops", "shared_partners",
    "common_neighbours", "adamic_adar", "resource_allocation", "jaccard",
    "fit", "novelty", "brokerage_gain", "score", "path_strength",
    "introducers", "new_capabilities", "new_markets", "drivers",
]


# ---------------------------------------------------------------- public API
def opportunities(
    network: Network,
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
) -> pd.DataFrame:
    """Shortlist the organisations a focal organisation should approach next.

    Parameters
    ----------
    network : Network
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
    DataFrame
        One row per candidate, best first:

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
        Burt constraint if it added a tie to the candidate); ``score``
        (combined, in [0, 1]); ``path_strength`` (product of tie strengths on
        the strongest introduction path); ``introducers`` (shared partners
        with the strength of their tie to the focal organisation and to the
        candidate, or the best 2-step chains for candidates 3 hops away);
        ``new_capabilities``, ``new_markets``; ``drivers`` (the components
        that contribute most to the score, with their share of it).

        ``df.attrs["meta"]`` records the focal organisation, the date, the
        filters, the weights and the number of candidates.

    Raises
    ------
    NodeNotFound
        Unknown focal id.
    NetmapError
        Unknown role, market or capability; bad ``top``, ``max_hops``,
        ``weights`` or ``min_fit``.

    Notes
    -----
    Each component is rescaled to [0, 1] over the candidates (smallest 0,
    largest 1; a component equal for every candidate gets 0) and
    ``score = Σ weight_i · scaled_i / Σ weight_i``. Ties in score are broken
    by id. The network is read as undirected, parallel ties merged with their
    strongest strength.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = opportunities(read_network("sample_data/tiny"), "F1", as_of="2024-01-01")
    >>> df[["rank", "id", "hops", "shared_partners"]].values.tolist()
    [[1, 'T1', 2, 2], [2, 'C2', 2, 1]]
    >>> df.loc[0, "introducers"]
    'Steelco (S1): 0.85 to us, 0.70 to them; Alloy Works (S2): 0.55 to us, 0.50 to them'
    """
    _check_top(top)
    net = network.active(as_of)
    fid = net.resolve_focal(focal)
    crit = _criteria(net, roles, markets, capabilities)
    w = _weights(weights)
    _check_hops(max_hops)
    min_fit = _check_min_fit(min_fit)
    ctx = _Context.build(net)
    fi = int(net.index[fid])
    r = ctx.rank(fi, crit, w, max_hops, new_strength, min_fit)
    shown = r.order if top is None else r.order[:top]
    df = _explain(ctx, r, shown)
    df.attrs["meta"] = {
        "focal": fid,
        "focal_name": str(net.nodes.at[net.index[fid], "name"]),
        "as_of": _day(as_of),
        "max_hops": max_hops,
        "roles": list(crit.roles) or "any",
        "markets": list(crit.market_names) or "none",
        "capabilities": list(crit.capability_names) or "none",
        "min_fit": min_fit,
        "weights": ", ".join(f"{k}={v:g}" for k, v in w.items()),
        "new_tie_strength": round(r.scores.new_strength, 4),
        "constraint_now": None if np.isnan(r.scores.constraint) else round(r.scores.constraint, 6),
        "candidates": int(len(r.order)),
        "shown": int(len(df)),
        "direct_partners": int(len(r.scores.partners)),
        "graph": "undirected; parallel ties merged (strongest strength)",
    }
    return df


def market_expansion(
    network: Network,
    focal: str | None = None,
    *,
    presence: str = "partners",
    as_of=None,
    top: int | None = None,
) -> pd.DataFrame:
    """Markets the focal organisation is absent from but its partners' partners serve.

    Parameters
    ----------
    network : Network
    focal : str, optional
        Id of the focal organisation; default: the one marked focal.
    presence : {"partners", "own"}, optional (default="partners")
        Where the focal organisation counts as present: ``"partners"`` -- in
        its own markets and those of its direct partners (it already reaches
        them); ``"own"`` -- only in the markets it lists itself.
    as_of : date or str, optional
        Use the ties active on this date (default: today).
    top : int or None, optional (default=None)
        Number of markets to return; ``None`` for all.

    Returns
    -------
    DataFrame
        One row per market, most promising first: ``rank``, ``market``;
        ``organisations`` (partners' partners -- 2 ties away -- that list the
        market); ``distributors`` (how many of them are distributors);
        ``path_strength`` (strongest introduction path ``w(f,z)·w(z,x)`` to a
        distributor there, or to any organisation there when no distributor
        is); ``distributor_list`` (each distributor with the partner who can
        introduce it and the strengths of both ties); ``via`` (the partners
        who lead there, with how many of the market's organisations each
        reaches; the first five, most first, then by id); ``others`` (up to
        five other organisations there); ``partners_there`` (direct partners that list the market; only with
        ``presence="own"``). Sorted by distributors, path strength,
        organisations (all descending), then market.

    Examples
    --------
    >>> from netmap import read_network
    >>> tiny = read_network("sample_data/tiny")
    >>> market_expansion(tiny, "F1", presence="own", as_of="2024-01-01")["market"].tolist()
    ['JP']
    """
    if presence not in ("partners", "own"):
        raise NetmapError(f"presence must be 'partners' or 'own', not '{presence}'")
    _check_top(top)
    net = network.active(as_of)
    fid = net.resolve_focal(focal)
    ctx = _Context.build(net)
    g = ctx.graph
    fi = int(net.index[fid])
    hops = hops_from(g, fi, 2)
    es = ego_scores(g, fi)
    partners = es.partners
    present = set(ctx.markets.keys_of(fi))
    if presence == "partners":
        for p in partners:
            present.update(ctx.markets.keys_of(int(p)))
    far = np.flatnonzero(hops == 2)
    sub = ctx.markets.matrix[far].tocoo()
    org = far[sub.row]
    key = np.asarray(ctx.markets.keys, dtype=object)[sub.col]
    pairs = pd.DataFrame({"org": org, "key": key})
    pairs = pairs[~pairs["key"].isin(present)]
    cols = ["rank", "market", "organisations", "distributors", "path_strength",
            "distributor_list", "via", "others", "partners_there"]
    if pairs.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    else:
        is_dist = ctx.role_mask("distributor")
        strength = es.best_introduction
        wf = dict(zip(partners.tolist(), es.partner_strength.tolist()))
        rows = []
        for k, grp in pairs.groupby("key", sort=True):
            members = grp["org"].to_numpy()
            # strongest path first, then id
            members = sorted(members.tolist(), key=lambda x: (-strength[x], g.ids[x]))
            dists = [x for x in members if is_dist[x]]
            others = [x for x in members if not is_dist[x]]
            best = max(strength[x] for x in (dists or members))
            via_count: dict[int, int] = {}
            for x in members:
                nb, _ = g.partners(x)
                for z in np.intersect1d(nb, partners):
                    via_count[int(z)] = via_count.get(int(z), 0) + 1
            via = sorted(via_count.items(), key=lambda t: (-t[1], g.ids[t[0]]))
            there = [int(p) for p in partners if k in ctx.markets.keys_of(int(p))]
            rows.append({
                "market": ctx.markets.display[k],
                "organisations": len(members),
                "distributors": len(dists),
                "path_strength": float(best),
                "distributor_list": "; ".join(
                    _via_text(ctx, x, int(es.best_introducer[x]), wf) for x in dists
                ),
                "via": "; ".join(f"{ctx.label(z)} ({n})" for z, n in via[:MAX_INTRODUCERS])
                + (f"; and {len(via) - MAX_INTRODUCERS} more" if len(via) > MAX_INTRODUCERS else ""),
                "others": "; ".join(ctx.label(x) for x in others[:5])
                + (f"; and {len(others) - 5} more" if len(others) > 5 else ""),
                "partners_there": "; ".join(ctx.label(p) for p in sorted(there, key=lambda p: g.ids[p])),
            })
        out = pd.DataFrame(rows)
        out = out.sort_values(
            ["distributors", "path_strength", "organisations", "market"],
            ascending=[False, False, False, True], kind="stable",
        ).reset_index(drop=True)
        out.insert(0, "rank", np.arange(1, len(out) + 1))
        out = out[cols]
    if top is not None:
        out = out.head(top)
    out.attrs["meta"] = {
        "focal": fid,
        "focal_name": str(net.nodes.at[net.index[fid], "name"]),
        "as_of": _day(as_of),
        "presence": "own markets and direct partners' markets" if presence == "partners" else "own markets only",
        "markets_present": ", ".join(sorted(ctx.markets.display[k] for k in present)) or "none",
        "partners_of_partners": int(len(far)),
    }
    return out


@dataclass
class Backtest:
    """Result of :func:`backtest`.

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
        Every hidden pair (``u``, ``v`` ids, ``u`` first in data order).
    meta : dict
        The settings and counts; also ``summary.attrs["meta"]``.
    """

    summary: pd.DataFrame
    hits: pd.DataFrame
    hidden_pairs: pd.DataFrame
    meta: dict = field(default_factory=dict)


def backtest(
    network: Network,
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
    :func:`opportunities` does, and measures where the hidden ties land.

    Parameters
    ----------
    network : Network
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
        As in :func:`opportunities` (``min_fit`` is 0).

    Returns
    -------
    Backtest

    Notes
    -----
    For an evaluated organisation ``u`` the *positives* are its hidden
    partners and the *negatives* every other organisation not tied to it in
    the reduced network (both restricted to ``roles``). Candidates beyond
    ``max_hops`` rank below every candidate. AUC is the probability that a
    random positive outranks a random negative (ties count half), pooled over
    all evaluated organisations; a random ranking has AUC 0.5. precision@k
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
    if not 0.0 < float(hide) < 1.0:
        raise NetmapError(f"the share of ties to hide must be between 0 and 1 (exclusive), not {hide}")
    if int(k) < 1:
        raise NetmapError(f"k must be at least 1, not {k}")
    if sources is not None and int(sources) < 1:
        raise NetmapError(f"sources must be at least 1, not {sources}")
    net = network.active(as_of)
    fid = net.resolve_focal(focal)
    crit = _criteria(net, roles, markets, capabilities)
    w = _weights(weights)
    _check_hops(max_hops)
    full = _Context.build(net)
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
    train = _Context(graph_from_ties(g.ids, pu[~hidden], pv[~hidden], pw[~hidden]), full.nodes,
                     full.capabilities, full.markets, full.roles)
    hu, hv = pu[hidden], pv[hidden]
    hidden_of: dict[int, list[int]] = {}
    for x, y in zip(hu.tolist(), hv.tolist()):
        hidden_of.setdefault(x, []).append(y)
        hidden_of.setdefault(y, []).append(x)
    fi = int(net.index[fid])
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
            cv = vals[cand]
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
        "as_of": _day(as_of),
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
    summary.attrs["meta"] = meta
    return Backtest(summary=summary, hits=hits, hidden_pairs=hidden_pairs, meta=meta)


# ---------------------------------------------------------------- internals
@dataclass
class _Items:
    """Capabilities or markets as a sparse organisation x item matrix (case-insensitive keys)."""

    matrix: object  # csr_array n x m of 0/1
    keys: list[str]  # casefolded
    display: dict[str, str]  # key -> first spelling seen
    column: pd.Series  # the original tuples

    @classmethod
    def build(cls, column: pd.Series) -> "_Items":
        from scipy import sparse

        lengths = column.map(len).to_numpy(dtype=np.int64)
        flat = list(itertools.chain.from_iterable(column))
        folded = [x.casefold() for x in flat]
        codes, uniques = pd.factorize(pd.Series(folded, dtype=object), sort=True)
        keys = [str(x) for x in uniques]
        display: dict[str, str] = {}
        for f_, x in zip(folded, flat):
            display.setdefault(f_, x)
        rows = np.repeat(np.arange(len(column)), lengths)
        m = sparse.csr_array((np.ones(len(codes)), (rows, codes)), shape=(len(column), len(keys)))
        m.sum_duplicates()
        m.data[:] = 1.0
        return cls(matrix=m, keys=keys, display=display, column=column.reset_index(drop=True))

    def keys_of(self, i: int) -> list[str]:
        a = self.matrix
        return [self.keys[j] for j in a.indices[a.indptr[i]:a.indptr[i + 1]]]

    def code(self, key: str) -> int:
        return self.keys.index(key)


@dataclass
class _Criteria:
    roles: tuple[str, ...] = ()
    market_keys: tuple[str, ...] = ()
    market_names: tuple[str, ...] = ()
    capability_keys: tuple[str, ...] = ()
    capability_names: tuple[str, ...] = ()

    @property
    def any_fit(self) -> bool:
        return bool(self.market_keys or self.capability_keys)

    def role_mask(self, ctx: "_Context") -> np.ndarray:
        mask = np.zeros(ctx.graph.n, dtype=bool)
        for r in self.roles:
            mask |= ctx.role_mask(r)
        return mask


@dataclass
class _Ranking:
    order: np.ndarray  # candidate positions, best first
    score: np.ndarray  # aligned with order
    raw: dict  # component -> values aligned with order
    contrib: dict  # component -> weighted, scaled contribution aligned with order
    hops: np.ndarray  # over all organisations
    scores: object  # EgoScores
    reach_caps: set
    reach_markets: set


class _Context:
    """Everything about a network that does not depend on the focal organisation."""

    def __init__(self, graph: StrengthGraph, nodes: pd.DataFrame, capabilities: _Items, markets: _Items,
                 roles: np.ndarray) -> None:
        self.graph = graph
        self.nodes = nodes
        self.capabilities = capabilities
        self.markets = markets
        self.roles = roles  # n x len(ROLES) bool
        self.id_rank = np.argsort(np.argsort(graph.ids.astype(str), kind="stable"), kind="stable")
        self._names = nodes["name"].to_numpy(dtype=object)

    @classmethod
    def build(cls, net: Network) -> "_Context":
        nodes = net.nodes
        roles = np.zeros((len(nodes), len(ROLES)), dtype=bool)
        for j, role in enumerate(ROLES):
            roles[:, j] = nodes["roles"].map(lambda rs, r=role: r in rs).to_numpy(dtype=bool)
        return cls(strength_graph(net), nodes, _Items.build(nodes["capabilities"]),
                   _Items.build(nodes["markets"]), roles)

    def role_mask(self, role: str) -> np.ndarray:
        return self.roles[:, ROLES.index(role)]

    def label(self, i: int) -> str:
        return f"{self._names[i]} ({self.graph.ids[i]})"

    def rank(self, fi: int, crit: _Criteria, w: dict, max_hops: int, new_strength, min_fit: float) -> _Ranking:
        g = self.graph
        es = ego_scores(g, fi, new_strength)
        hops = hops_from(g, fi, max_hops)
        cand = np.flatnonzero(hops >= 2)
        if crit.roles:
            cand = cand[crit.role_mask(self)[cand]]
        # reach: what the focal organisation and its partners list
        reach_rows = np.concatenate([[fi], es.partners]).astype(np.int64)
        reach = {}
        novelty = np.zeros(len(cand))
        for name, items in (("capabilities", self.capabilities), ("markets", self.markets)):
            held = np.asarray(items.matrix[reach_rows].sum(axis=0)).ravel() > 0
            reach[name] = {items.keys[j] for j in np.flatnonzero(held)}
            if len(cand) and len(items.keys):
                novelty += items.matrix[cand] @ (~held).astype(float)
        fit = np.ones(len(cand))
        dims = []
        for keys, items in ((crit.market_keys, self.markets), (crit.capability_keys, self.capabilities)):
            if keys:
                codes = [items.code(k_) for k_ in keys]
                sub = items.matrix[cand][:, codes] if len(cand) else np.zeros((0, len(codes)))
                dims.append(np.asarray(sub.sum(axis=1)).ravel() / len(codes))
        if dims:
            fit = np.mean(dims, axis=0)
        if min_fit > 0:
            keep = fit >= min_fit - 1e-12
            cand, fit, novelty = cand[keep], fit[keep], novelty[keep]
        raw = {
            "common_neighbours": es.common_neighbours[cand],
            "adamic_adar": es.adamic_adar[cand],
            "resource_allocation": es.resource_allocation[cand],
            "jaccard": es.jaccard[cand],
            "fit": fit,
            "novelty": novelty,
            "brokerage_gain": es.brokerage_gain[cand],
        }
        total = sum(w.values())
        contrib = {}
        score = np.zeros(len(cand))
        for c in COMPONENTS:
            x = raw[c]
            if len(x):
                lo, hi = float(np.min(x)), float(np.max(x))
                scaled = (x - lo) / (hi - lo) if hi - lo > 1e-12 else np.zeros(len(x))
            else:
                scaled = x
            contrib[c] = w[c] * scaled / total
            score = score + contrib[c]
        order_local = np.lexsort((self.id_rank[cand], -np.round(score, 12)))
        return _Ranking(
            order=cand[order_local],
            score=score[order_local],
            raw={c: v[order_local] for c, v in raw.items()},
            contrib={c: v[order_local] for c, v in contrib.items()},
            hops=hops,
            scores=es,
            reach_caps=reach["capabilities"],
            reach_markets=reach["markets"],
        )


def _explain(ctx: _Context, r: _Ranking, shown: np.ndarray) -> pd.DataFrame:
    g = ctx.graph
    es = r.scores
    n_shown = len(shown)
    nodes = ctx.nodes
    wf = dict(zip(es.partners.tolist(), es.partner_strength.tolist()))
    partner_set = set(wf)
    introducers, path_strength, new_caps, new_mkts, drivers = [], [], [], [], []
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
        new_caps.append(tuple(x for x in nodes.at[c, "capabilities"] if x.casefold() not in r.reach_caps))
        new_mkts.append(tuple(x for x in nodes.at[c, "markets"] if x.casefold() not in r.reach_markets))
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


def _via_text(ctx: _Context, x: int, z: int, wf: dict) -> str:
    if z < 0:
        return ctx.label(x)
    a = ctx.graph.adjacency
    wzx = float(a[[z]][:, [x]].toarray()[0, 0])
    return f"{ctx.label(x)} via {ctx.label(z)}: {wf[z]:.2f}, {wzx:.2f}"


def _mann_whitney_u(values: np.ndarray, positive: np.ndarray) -> float:
    """Sum over (positive, negative) pairs of [pos > neg] + 0.5 [pos == neg]."""
    from scipy.stats import rankdata

    fin = np.isfinite(values)
    floor = float(values[fin].min()) - 1.0 if fin.any() else 0.0
    finite = np.where(fin, values, floor)  # unranked candidates tie below every ranked one
    ranks = rankdata(finite, method="average")
    n_pos = int(positive.sum())
    return float(ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0)


def _as_list(x, split_commas: bool = False) -> list[str]:
    """A str or an iterable of str as a list of stripped, non-empty names."""
    if x is None:
        return []
    if isinstance(x, str):
        parts = x.split(",") if split_commas else [x]
        return [p.strip() for p in parts if p.strip()]
    out: list[str] = []
    for item in x:
        out.extend(_as_list(item, split_commas))
    return out


def _criteria(net: Network, roles, markets, capabilities) -> _Criteria:
    role_list = list(dict.fromkeys(r.lower() for r in _as_list(roles, split_commas=True)))
    for r in role_list:
        if r not in ROLES:
            raise NetmapError(f"unknown role '{r}'; use one of {', '.join(ROLES)}")
    out = {}
    for what, given in (("market", markets), ("capability", capabilities)):
        keys, names = [], []
        for item in _as_list(given):
            if what == "market":
                net.holders(market=item)  # raises with close names when nobody lists it
            else:
                net.holders(capability=item)
            k_ = item.casefold()
            if k_ not in keys:
                keys.append(k_)
                names.append(item)
        out[what] = (tuple(keys), tuple(names))
    return _Criteria(tuple(role_list), *out["market"], *out["capability"])


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS)
    for key, val in (weights or {}).items():
        if key not in w:
            raise NetmapError(f"unknown score component '{key}' in weights; use {', '.join(COMPONENTS)}")
        try:
            val = float(val)
        except (TypeError, ValueError):
            raise NetmapError(f"the weight of '{key}' must be a number >= 0, not '{val}'") from None
        if not np.isfinite(val) or val < 0:
            raise NetmapError(f"the weight of '{key}' must be a number >= 0, not {val}")
        w[key] = val
    if sum(w.values()) <= 0:
        raise NetmapError("at least one score weight must be greater than 0")
    return w


def _check_top(top) -> None:
    if top is not None and (not isinstance(top, (int, np.integer)) or isinstance(top, bool) or top < 1):
        raise NetmapError(f"top must be a whole number of at least 1, not {top}")


def _check_hops(max_hops) -> None:
    if not isinstance(max_hops, (int, np.integer)) or isinstance(max_hops, bool) or max_hops < 2:
        raise NetmapError(f"max_hops must be a whole number of at least 2 (a partner's partner), not {max_hops}")


def _check_min_fit(min_fit) -> float:
    try:
        v = float(min_fit)
    except (TypeError, ValueError):
        raise NetmapError(f"min_fit must be a number between 0 and 1, not '{min_fit}'") from None
    if not 0.0 <= v <= 1.0:
        raise NetmapError(f"min_fit must be between 0 and 1, not {min_fit}")
    return v


def _day(as_of) -> str:
    from ..dates import to_timestamp

    return to_timestamp(as_of).date().isoformat()
