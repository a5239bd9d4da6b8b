"""Candidates for a new tie: who they are around a focal organisation, how each is scored, in what order.

A *candidate* is an organisation that is not tied to the focal organisation
but can be reached through its partners within ``max_hops`` ties (2 = a
partner's partner). Each gets separate scores -- the four strength-weighted
link-prediction measures of :mod:`netmap.analysis.linkpred`, ``fit`` to what
was asked for, ``novelty`` and ``brokerage_gain`` -- and one combined
``score``. The shortlist (:mod:`~netmap.analysis.opportunities`), market
expansion (:mod:`~netmap.analysis.markets`) and the backtest
(:mod:`~netmap.analysis.backtest`) share this machinery.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import choice
from ..errors import ArgumentError
from ..network import Network
from ..schema import ROLES
from ..view import FocalView
from .common import canonical, equal_levels, role_list
from .linkpred import EgoScores, StrengthGraph, ego_scores, hops_from, strength_graph

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "MAX_INTRODUCERS",
    "ItemIndex",
    "Criteria",
    "criteria",
    "score_weights",
    "Ranking",
    "CandidateIndex",
    "candidate_index",
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

#: Introducers (and organisations) named per row before "and N more".
MAX_INTRODUCERS = 5


@dataclass
class ItemIndex:
    """Capabilities or markets as a sparse organisation x item matrix (case-insensitive keys).

    Attributes
    ----------
    matrix : scipy.sparse.csr_array
        ``n x m`` of 0/1: organisation ``i`` lists item ``j``.
    keys : list of str
        The items, casefolded and sorted.
    display : dict
        Key -> the spelling of the first organisation that lists it (in the
        order given: id order in a :class:`CandidateIndex`).
    """

    matrix: object
    keys: list[str]
    display: dict[str, str]

    @classmethod
    def build(cls, column: pd.Series) -> "ItemIndex":
        """From a column of tuples (``nodes["capabilities"]`` or ``nodes["markets"]``).

        >>> idx = ItemIndex.build(pd.Series([("DE", "fr"), (), ("FR",)]))
        >>> idx.keys, idx.keys_of(2), idx.display["fr"]
        (['de', 'fr'], ['fr'], 'fr')
        """
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
        return cls(matrix=m, keys=keys, display=display)

    def keys_of(self, i: int) -> list[str]:
        """The keys organisation ``i`` lists."""
        a = self.matrix
        return [self.keys[j] for j in a.indices[a.indptr[i]:a.indptr[i + 1]]]

    def code(self, key: str) -> int:
        """Column of ``key`` in :attr:`matrix`."""
        return self.keys.index(key)


@dataclass
class Criteria:
    """What the focal organisation asked for: candidate roles (a filter), markets and capabilities (scored by fit)."""

    roles: tuple[str, ...] = ()
    market_keys: tuple[str, ...] = ()
    market_names: tuple[str, ...] = ()
    capability_keys: tuple[str, ...] = ()
    capability_names: tuple[str, ...] = ()

    @property
    def any_fit(self) -> bool:
        """True when a market or capability was asked for."""
        return bool(self.market_keys or self.capability_keys)

    def role_mask(self, index: "CandidateIndex") -> np.ndarray:
        """One bool per organisation: it has one of :attr:`roles`."""
        mask = np.zeros(index.graph.n, dtype=bool)
        for r in self.roles:
            mask |= index.role_mask(r)
        return mask


def criteria(network: Network, roles=None, markets=None, capabilities=None) -> Criteria:
    """Check the roles, markets and capabilities asked for.

    Roles may be one string listing several (``,`` or ``;``); a market or
    capability is matched case-insensitively and must be listed by some
    organisation (the error names close matches).

    >>> from netmap import read_network
    >>> criteria(read_network("sample_data/tiny"), "customer", markets=["jp"]).market_names
    ('jp',)
    """
    roles = role_list(roles)
    out = {}
    for what, given, param in (("market", markets, "markets"), ("capability", capabilities, "capabilities")):
        keys, names = [], []
        for item in _names(given):
            try:
                network.holders(**{what: item})  # raises with close names when nobody lists it
            except ArgumentError as e:
                e.param = param
                raise
            k_ = item.casefold()
            if k_ not in keys:
                keys.append(k_)
                names.append(item)
        out[what] = (tuple(keys), tuple(names))
    return Criteria(tuple(roles), *out["market"], *out["capability"])


def score_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """:data:`DEFAULT_WEIGHTS` with ``weights`` applied: each a number >= 0, at least one above 0.

    >>> score_weights({"fit": 4})["fit"], score_weights(None)["novelty"]
    (4.0, 1.25)
    """
    w = dict(DEFAULT_WEIGHTS)
    for key, val in (weights or {}).items():
        key = choice(key, "weights", COMPONENTS, what="score component")
        try:
            val = float(val)
        except (TypeError, ValueError):
            raise ArgumentError(f"the weight of '{key}' must be a number >= 0, not '{val}'", param="weights") from None
        if not np.isfinite(val) or val < 0:
            raise ArgumentError(f"the weight of '{key}' must be a number >= 0, not {val}", param="weights")
        w[key] = val
    if sum(w.values()) <= 0:
        raise ArgumentError("at least one score weight must be greater than 0", param="weights")
    return w


@dataclass
class Ranking:
    """The ranked candidates of one focal organisation.

    ``order`` holds candidate positions, best first; ``score``, every
    ``raw[component]`` and ``contrib[component]`` (its weighted, rescaled
    share of the score) are aligned with it. ``hops`` covers every
    organisation; ``scores`` are the focal organisation's :class:`EgoScores`;
    ``reach_caps`` and ``reach_markets`` the keys it and its partners list;
    ``constant`` the weighted components that are equal for every candidate
    (left out of the score).
    """

    order: np.ndarray
    score: np.ndarray
    raw: dict
    contrib: dict
    hops: np.ndarray
    scores: EgoScores
    reach_caps: set
    reach_markets: set
    constant: tuple = ()


class CandidateIndex:
    """Everything about a network that does not depend on the focal organisation.

    Attributes
    ----------
    graph : StrengthGraph
        The undirected, strength-weighted view.
    nodes : DataFrame
        The network's organisations, in id order (the positions of :attr:`graph`).
    capabilities, markets : ItemIndex
    roles : ndarray
        ``n x len(ROLES)`` bool: organisation has role.
    id_rank : ndarray
        Each organisation's position in id order (ties in the ranking go by id).
    """

    def __init__(self, graph: StrengthGraph, nodes: pd.DataFrame, capabilities: ItemIndex, markets: ItemIndex,
                 roles: np.ndarray) -> None:
        self.graph = graph
        self.nodes = nodes
        self.capabilities = capabilities
        self.markets = markets
        self.roles = roles
        self.id_rank = np.argsort(np.argsort(graph.ids.astype(str), kind="stable"), kind="stable")
        self._names = nodes["name"].to_numpy(dtype=object)

    @classmethod
    def build(cls, net: Network) -> "CandidateIndex":
        """The index of ``net`` (all of its ties; filter by date first), over its organisations in id order."""
        nodes = canonical(net).nodes
        roles = np.zeros((len(nodes), len(ROLES)), dtype=bool)
        for j, role in enumerate(ROLES):
            roles[:, j] = nodes["roles"].map(lambda rs, r=role: r in rs).to_numpy(dtype=bool)
        return cls(strength_graph(net), nodes, ItemIndex.build(nodes["capabilities"]),
                   ItemIndex.build(nodes["markets"]), roles)

    def with_graph(self, graph: StrengthGraph) -> "CandidateIndex":
        """The same organisations over other ties (the backtest's reduced network)."""
        return CandidateIndex(graph, self.nodes, self.capabilities, self.markets, self.roles)

    def position(self, org_id: str) -> int:
        """The position of organisation ``org_id`` in :attr:`graph` and :attr:`nodes`."""
        return self.graph.position(org_id)

    def role_mask(self, role: str) -> np.ndarray:
        """One bool per organisation: it has ``role``."""
        return self.roles[:, ROLES.index(role)]

    def label(self, i: int) -> str:
        """``name (id)`` of organisation ``i``."""
        return f"{self._names[i]} ({self.graph.ids[i]})"

    def rank(self, fi: int, crit: Criteria, w: dict, max_hops: int, new_strength, min_fit: float) -> Ranking:
        """Find, score and order the candidates of the organisation at position ``fi``.

        Each component is rescaled to [0, 1] over the candidates and
        ``score = Σ w_i · scaled_i / Σ w_i`` over the components that differ
        between candidates (one equal for all, such as ``fit`` when nothing
        was asked for, ranks nobody: it is left out, weight included, so that
        the best candidate can reach 1); equal scores (up to floating-point
        noise) go by id.
        """
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
        # a component equal for every candidate ranks nobody: it is left out of the score and its weight
        varies = {c: len(raw[c]) > 0 and int(equal_levels(raw[c]).max()) > 0 for c in COMPONENTS}
        counted = [c for c in COMPONENTS if varies[c] and w[c] > 0]
        total = sum(w[c] for c in counted)
        contrib = {}
        score = np.zeros(len(cand))
        for c in COMPONENTS:
            x = raw[c]
            if c in counted:
                lo, hi = float(np.min(x)), float(np.max(x))
                contrib[c] = w[c] * (x - lo) / (hi - lo) / total
            else:
                contrib[c] = np.zeros(len(x))
            score = score + contrib[c]
        order_local = np.lexsort((self.id_rank[cand], -equal_levels(score)))
        return Ranking(
            order=cand[order_local],
            score=score[order_local],
            raw={c: v[order_local] for c, v in raw.items()},
            contrib={c: v[order_local] for c, v in contrib.items()},
            hops=hops,
            scores=es,
            reach_caps=reach["capabilities"],
            reach_markets=reach["markets"],
            constant=tuple(c for c in COMPONENTS if w[c] > 0 and not varies[c]),
        )


def candidate_index(view: FocalView) -> CandidateIndex:
    """The :class:`CandidateIndex` of a focal view's network, built once per view and shared by its analyses."""
    return view.cached("candidate_index", lambda: CandidateIndex.build(view.network))


def _names(x: str | Iterable[str] | None) -> list[str]:
    """A market or capability name, or several, as a list of stripped, non-empty names (no comma split)."""
    if x is None:
        return []
    if isinstance(x, str):
        return [x.strip()] if x.strip() else []
    out: list[str] = []
    for item in x:
        out.extend(_names(item))
    return out
