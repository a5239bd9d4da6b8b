"""k best loopless paths (Yen's algorithm) and best paths from one source, under a pluggable criterion.

A :class:`Criterion` says what makes a path good: arc costs that add up
(:data:`STRENGTH`: ``-log`` of the arc strengths, so the most reliable path;
:data:`HOPS`: one per arc) or the smallest arc value along the path
(:data:`VALUE`: the widest path). It picks the search that
:func:`k_best_paths` runs from each spur node (:mod:`netmap.engine.shortest`
or :mod:`netmap.engine.widest`) and defines the total order of paths: the
criterion's cost, then fewer arcs, then the node ranks read position by
position, so every result is deterministic.

Graphs are :class:`~netmap.engine.pathgraph.PathGraph` objects over node
positions; paths are lists of positions. Nothing here knows netmap.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import shortest, widest
from .pathgraph import PathGraph

__all__ = ["Criterion", "STRENGTH", "HOPS", "VALUE", "CRITERIA", "MIN_STRENGTH", "k_best_paths", "best_paths_from", "best_tree", "best_to_sets"]

#: A zero-strength arc counts as this strength for the ranking.
MIN_STRENGTH = 1e-6


@dataclass(frozen=True)
class Criterion:
    """What makes one path better than another.

    Attributes
    ----------
    name : str
    combine : {"sum", "min"}
        ``"sum"``: a path costs the sum of its arc costs (least first);
        ``"min"``: a path is worth its smallest arc value (largest first).
    arc_cost : callable
        ``arc_cost(strength, value)`` -> each arc's cost (used by ``"sum"``).
    arc_merit : callable
        ``arc_merit(strength, value)`` -> what makes one arc better than a
        parallel one, larger first (also how the weakest arc of a path is found).
    score : callable
        ``score(strength, value)`` -> a path's score from its arcs' strengths and values.
    decimals : int
        Path costs equal to this many decimals count as equal.
    """

    name: str
    combine: str
    arc_cost: Callable[[np.ndarray, np.ndarray], np.ndarray]
    arc_merit: Callable[[np.ndarray, np.ndarray], np.ndarray]
    score: Callable[[np.ndarray, np.ndarray], float]
    decimals: int = 9

    def key(self, g: PathGraph, nodes) -> tuple:
        """The total order of paths: cost (or minus the bottleneck), then arcs, then node ranks."""
        arcs = g.arcs_of(nodes)
        ranks = tuple(int(g.rank[x]) for x in nodes)
        if self.combine == "min":
            return (-float(np.min(g.value[arcs])), len(arcs), ranks)
        return (round(math.fsum(g.w[arcs]), self.decimals), len(arcs), ranks)

    def spur(self, g: PathGraph, root: list[int], t: int, blocked: np.ndarray, banned, budget: int | None,
             worst: tuple | None = None) -> list[int] | None:
        """Best path from ``root[-1]`` to ``t`` avoiding ``blocked`` nodes and the first steps to ``banned``.

        ``root`` is the fixed start of the path (it caps a bottleneck);
        ``worst`` the key of a path the search need not beat (it may prune),
        ``budget`` the most arcs allowed.
        """
        s = root[-1]
        blocked = blocked.copy()
        blocked[s] = True
        sl = g.row(s)
        vs = g.dst[sl]
        ok = ~blocked[vs]
        if banned:
            ok &= ~np.isin(vs, np.fromiter(banned, dtype=np.int64))
        arcs = np.arange(sl.start, sl.stop)[ok]
        if len(arcs) == 0:
            return None
        if self.combine == "min":
            cap = float(np.min(g.value[g.arcs_of(root)])) if len(root) > 1 else np.inf
            return widest.spur(g, s, t, blocked, arcs, budget, cap)
        limit = None
        if worst is not None:
            # a spur costlier than the worst path still needed can never be among the k best
            kth = worst[0]
            root_cost = math.fsum(g.w[g.arcs_of(root)]) if len(root) > 1 else 0.0
            limit = max(0.0, kth - root_cost) + 1e-6 * max(1.0, kth)
        return shortest.spur(g, s, t, blocked, arcs, budget, limit)

    def best_from(self, g: PathGraph, s: int, targets: np.ndarray, max_hops: int | None) -> list:
        """The best path from ``s`` to each target (None where there is none)."""
        search = widest.best_from if self.combine == "min" else shortest.best_from
        return search(g, s, np.asarray(targets, dtype=np.int64), max_hops)


def _neg_log(strength: np.ndarray, value: np.ndarray) -> np.ndarray:
    return -np.log(np.maximum(strength, MIN_STRENGTH))


def _ones(strength: np.ndarray, value: np.ndarray) -> np.ndarray:
    return np.ones(len(strength))


def _strength(strength: np.ndarray, value: np.ndarray) -> np.ndarray:
    return strength


def _value(strength: np.ndarray, value: np.ndarray) -> np.ndarray:
    return value


#: The most reliable path: the largest product of arc strengths (least sum of ``-log`` strengths).
STRENGTH = Criterion("strength", "sum", _neg_log, _strength, lambda s, v: float(np.prod(s)))
#: The fewest arcs (the strongest of parallel arcs is kept).
HOPS = Criterion("hops", "sum", _ones, _strength, lambda s, v: float(len(s)))
#: The widest path: the largest smallest arc value.
VALUE = Criterion("value", "min", _ones, _value, lambda s, v: float(np.min(v)))

#: The criteria by name.
CRITERIA = {c.name: c for c in (STRENGTH, HOPS, VALUE)}


def k_best_paths(g: PathGraph, s: int, t, k: int, criterion: Criterion,
                 max_hops: int | None = None) -> list[list[int]]:
    """The ``k`` best loopless paths from ``s`` to ``t``, best first (Yen's algorithm).

    Parameters
    ----------
    g : PathGraph
    s : int
        Start node.
    t : int or sequence of int
        End node, or several: then the best paths to any of them (a path
        ends at one target and may pass through others).
    k : int
    criterion : Criterion
    max_hops : int, optional
        The most arcs a path may have.

    Returns
    -------
    list of list of int
        At most ``k`` paths (node positions), in the criterion's order.

    Examples
    --------
    >>> g = PathGraph(4, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]), cost=np.ones(4),
    ...               value=np.array([1., 5., 1., 5.]), rank=np.arange(4))
    >>> k_best_paths(g, 0, 3, 2, HOPS), k_best_paths(g, 0, 3, 1, VALUE), k_best_paths(g, 0, [1, 2], 2, HOPS)
    ([[0, 1, 3], [0, 2, 3]], [[0, 2, 3]], [[0, 1], [0, 2]])
    """
    if not np.isscalar(t):  # several targets: paths to one extra node joined to each of them
        one = criterion.arc_cost(np.ones(1), np.full(1, np.inf))[0]
        h = g.with_sink(t, cost=one)
        found = k_best_paths(h, s, h.n - 1, k, criterion, None if max_hops is None else max_hops + 1)
        return [p[:-1] for p in found]
    blocked = np.zeros(g.n, dtype=bool)
    first = criterion.spur(g, [s], t, blocked, (), max_hops)
    if first is None:
        return []
    found = [first]
    seen = {tuple(first)}
    heap: list = []
    while len(found) < k:
        prev = found[-1]
        for i in range(len(prev) - 1):
            rest = None if max_hops is None else max_hops - i
            if rest is not None and rest < 1:
                continue
            root = prev[: i + 1]
            banned = {p[i + 1] for p in found if len(p) > i + 1 and p[: i + 1] == root}
            blocked[:] = False
            blocked[root] = True
            need = k - len(found)
            worst = heapq.nsmallest(need, heap)[-1][0] if len(heap) >= need else None
            tail = criterion.spur(g, root, t, blocked, banned, rest, worst)
            if tail is None:
                continue
            cand = root[:-1] + tail
            if tuple(cand) in seen:
                continue
            seen.add(tuple(cand))
            heapq.heappush(heap, (criterion.key(g, cand), cand))
        if not heap:
            break
        found.append(heapq.heappop(heap)[1])
    return found


def best_paths_from(g: PathGraph, s: int, targets, criterion: Criterion,
                    max_hops: int | None = None) -> list[list[int] | None]:
    """The best path from ``s`` to each of ``targets`` (the first that :func:`k_best_paths` finds), or None.

    One search from ``s`` serves every target.

    >>> g = PathGraph(4, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]), cost=np.ones(4),
    ...               value=np.array([1., 5., 1., 5.]), rank=np.arange(4))
    >>> best_paths_from(g, 0, [3, 2], HOPS), best_paths_from(g, 3, [0], HOPS)
    ([[0, 1, 3], [0, 2]], [None])
    """
    return criterion.best_from(g, s, targets, max_hops)


def best_tree(g: PathGraph, s: int, criterion: Criterion) -> tuple[np.ndarray, ...] | None:
    """The best paths from ``s`` to every node as one tree, for a criterion whose costs add up (else None).

    The path to each node is the one :func:`best_paths_from` returns; see
    :func:`netmap.engine.shortest.best_tree` for the arrays (``hops``,
    ``parent``, ``arc``, ``order``). A bottleneck criterion has no such tree
    (the best path to a node need not extend the best path to its
    predecessor), so it returns None.

    >>> g = PathGraph(3, np.array([0, 1]), np.array([1, 2]), cost=np.ones(2), value=np.ones(2), rank=np.arange(3))
    >>> best_tree(g, 0, HOPS)[1].tolist(), best_tree(g, 0, VALUE)
    ([-1, 0, 1], None)
    """
    if criterion.combine != "sum":
        return None
    return shortest.best_tree(g, s)


def best_to_sets(g: PathGraph, s: int, sets: list[np.ndarray], criterion: Criterion,
                 max_hops: int | None = None) -> tuple[list[list[int] | None], list[int]]:
    """For each set of targets, the best of the best paths from ``s`` to its members, and how many it reaches.

    The best path of a set is the path of :func:`best_paths_from` that
    ranks first in the criterion's order (:meth:`Criterion.key`) among its
    members' paths. One search from ``s`` serves every set: with a tree
    (:func:`best_tree`) the sets are answered from arrays, comparing exact
    path costs only among the members whose costs come close to the best.

    >>> g = PathGraph(4, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]), cost=np.array([1., 2.5, 1., 0.5]),
    ...               value=np.ones(4), rank=np.arange(4))
    >>> best_to_sets(g, 0, [np.array([3, 2]), np.array([1]), np.array([], dtype=np.int64)], STRENGTH)
    ([[0, 1, 3], [0, 1], None], [2, 1, 0])
    """
    sets = [np.asarray(x, dtype=np.int64) for x in sets]
    tree = best_tree(g, s, criterion) if max_hops is None else None
    if tree is None:  # no tree for this criterion or hop limit: the best path to each member, ranked
        every = np.unique(np.concatenate(sets)) if sets else np.zeros(0, dtype=np.int64)
        found = dict(zip(every.tolist(), best_paths_from(g, s, every, criterion, max_hops)))
        best, reachable = [], []
        for pos in sets:
            paths = [found[p] for p in pos.tolist() if found[p] is not None]
            best.append(min(paths, key=lambda p: criterion.key(g, p)) if paths else None)
            reachable.append(len(paths))
        return best, reachable
    hops, parent, arc, order = tree
    cost = _tree_costs(g.w, hops, parent, arc)
    margin = 4 * 10.0 ** -criterion.decimals  # far above the rounding error of a running sum
    best, reachable = [], []
    for pos in sets:
        pos = np.unique(pos[hops[pos] > 0])
        reachable.append(len(pos))
        if not len(pos):
            best.append(None)
            continue
        m = float(cost[pos].min())
        near = pos[cost[pos] <= m + margin * max(1.0, abs(m))]
        if len(near) > 1:  # the criterion's order: exact cost to its decimals, then arcs, then node ranks
            exact = np.array([round(math.fsum(r), criterion.decimals) for r in _tree_arc_costs(g.w, near, hops, parent, arc)])
            near = near[exact == exact.min()]
            near = near[hops[near] == hops[near].min()]
        best.append(_tree_path(int(near[np.argmin(order[near])]), parent))
    return best, reachable


def _tree_costs(w: np.ndarray, hops: np.ndarray, parent: np.ndarray, arc: np.ndarray) -> np.ndarray:
    """Each node's path cost along the tree, added from the source outwards."""
    cost = np.zeros(len(hops))
    by_hops = np.argsort(hops, kind="stable")
    bounds = np.searchsorted(hops[by_hops], np.arange(1, int(hops.max(initial=0)) + 2))
    for j in range(len(bounds) - 1):
        nodes = by_hops[bounds[j]:bounds[j + 1]]
        cost[nodes] = cost[parent[nodes]] + w[arc[nodes]]
    return cost


def _tree_arc_costs(w, nodes, hops, parent, arc) -> list[list[float]]:
    """The arc costs along each node's tree path (padded with zeros to the longest)."""
    out = np.zeros((len(nodes), int(hops[nodes].max())))
    cur = nodes.copy()
    for j in range(out.shape[1]):
        live = hops[cur] > 0
        out[live, j] = w[arc[cur[live]]]
        cur = np.where(live, parent[cur], cur)
    return out.tolist()


def _tree_path(t: int, parent: np.ndarray) -> list[int]:
    path = [t]
    while parent[path[-1]] >= 0:
        path.append(int(parent[path[-1]]))
    return path[::-1]
