"""Pieces every score table shares: the id order, the tie-weight choice, competition ranks and the role filter."""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from ..checks import choice, choices
from ..network import Network
from ..schema import ROLES

__all__ = ["WEIGHTS", "EQUAL_RELATIVE", "EQUAL_ABSOLUTE", "Canonical", "canonical", "id_order", "equal_levels",
           "resolve_weight", "rank_desc", "role_list", "role_mask"]

#: Tie weights an analysis can use; ``None`` counts every connected pair 1.
WEIGHTS = ("value", "strength", None)
#: Two scores closer than this share of the larger (or than :data:`EQUAL_ABSOLUTE`) are equal:
#: sums of the same terms in another order differ in the last digits.
EQUAL_RELATIVE = 1e-9
#: See :data:`EQUAL_RELATIVE`.
EQUAL_ABSOLUTE = 1e-12


def id_order(network: Network) -> np.ndarray:
    """Row positions of ``network.nodes`` in id order (the canonical order of every kernel).

    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> [net.ids[i] for i in id_order(net)][:3]
    ['C1', 'C2', 'D1']
    """
    return np.argsort(np.asarray(network.ids, dtype=object).astype(str), kind="stable")


class Canonical:
    """A network with its organisations in id order: what the score tables compute on.

    Graph kernels visit organisations in the order of their positions, seeded
    samples draw positions, and a floating-point sum depends on the order of
    its terms. Computing on positions in id order, with parallel ties summed
    in order of value, makes every score independent of the row order of
    the input files. Build it with :func:`canonical` (cached per network).

    Attributes
    ----------
    n : int
        Number of organisations.
    order : ndarray
        ``order[i]``: the row of ``network.nodes`` at canonical position ``i``.
    rank : ndarray
        ``rank[row]``: the canonical position of a row of ``network.nodes``.
    ids : ndarray of str
        The ids in id order.
    """

    def __init__(self, network: Network) -> None:
        self.n = network.n_nodes
        self.order = id_order(network)
        self.rank = np.empty(self.n, dtype=np.int64)
        self.rank[self.order] = np.arange(self.n)
        self.ids = np.asarray(network.ids, dtype=object)[self.order]
        self._nodes_in_input_order = network.nodes
        self._nodes: pd.DataFrame | None = None
        u, v = network.endpoints()
        e = network.edges
        self._u, self._v = self.rank[u], self.rank[v]
        self._value = np.nan_to_num(e["value"].to_numpy(dtype=float), nan=0.0)
        self._strength = e["strength"].to_numpy(dtype=float)
        self._symmetric = e["symmetric"].to_numpy(dtype=bool)
        self._pairs: dict[bool, dict] = {}

    @property
    def nodes(self) -> pd.DataFrame:
        """``network.nodes`` in id order (index ``0..n-1``), made on first use."""
        if self._nodes is None:
            self._nodes = self._nodes_in_input_order.iloc[self.order].reset_index(drop=True)
        return self._nodes

    def endpoints(self) -> tuple[np.ndarray, np.ndarray]:
        """Canonical positions of every tie's source and target (in the network's tie order)."""
        return self._u, self._v

    def pairs(self, directed: bool = True) -> dict:
        """Ties aggregated per pair, as :meth:`Network.pairs` but over canonical positions.

        A dict of arrays sorted by ``u`` then ``v``: ``u``, ``v``, ``value``
        (summed, missing 0, smallest first so that the sum does not depend on
        the tie order), ``strength`` (the maximum), ``ties`` (the count).
        Unordered pairs (``directed=False``) have ``u < v``; directed pairs read
        symmetric ties both ways.
        """
        directed = bool(directed)
        if directed not in self._pairs:
            u, v, value, strength = self._u, self._v, self._value, self._strength
            if directed:
                sym = np.flatnonzero(self._symmetric)
                u, v = np.concatenate([u, v[sym]]), np.concatenate([v, u[sym]])
                value = np.concatenate([value, value[sym]])
                strength = np.concatenate([strength, strength[sym]])
            else:
                u, v = np.minimum(u, v), np.maximum(u, v)
            key = u.astype(np.int64) * max(self.n, 1) + v
            order = np.lexsort((value, key))
            key = key[order]
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
            first = order[starts]
            self._pairs[directed] = {
                "u": u[first].astype(np.int64),
                "v": v[first].astype(np.int64),
                "value": np.add.reduceat(value[order], starts) if len(key) else np.zeros(0),
                "strength": np.maximum.reduceat(strength[order], starts) if len(key) else np.zeros(0),
                "ties": np.diff(np.r_[starts, len(key)]).astype(np.int64),
            }
        return self._pairs[directed]

    def adjacency(self, directed: bool = True, weight: str | None = None):
        """Sparse adjacency matrix over canonical positions, as :meth:`Network.adjacency`."""
        from scipy import sparse

        p = self.pairs(directed)
        u, v = p["u"], p["v"]
        w = np.ones(len(u)) if weight is None else p[weight]
        if not directed:
            u, v, w = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([w, w])
        a = sparse.csr_array((w, (u, v)), shape=(self.n, self.n))
        a.sort_indices()
        return a

    def role_mask(self, roles: list[str]) -> np.ndarray:
        """:func:`role_mask` in canonical order."""
        if not roles:
            return np.ones(self.n, dtype=bool)
        wanted = set(roles)
        return self.nodes["roles"].map(lambda rs: not wanted.isdisjoint(rs)).to_numpy(dtype=bool)


_CANONICAL: weakref.WeakKeyDictionary[Network, Canonical] = weakref.WeakKeyDictionary()


def canonical(network: Network) -> Canonical:
    """The :class:`Canonical` view of ``network``, built once per network object.

    >>> from netmap import read_network
    >>> c = canonical(read_network("sample_data/tiny"))
    >>> c.ids[:3].tolist(), int(c.pairs(directed=False)["ties"].sum())
    (['C1', 'C2', 'D1'], 14)
    """
    try:
        return _CANONICAL[network]
    except (KeyError, TypeError):
        pass
    c = Canonical(network)
    try:
        _CANONICAL[network] = c
    except TypeError:  # pragma: no cover - a network that cannot be weakly referenced is not cached
        pass
    return c


def equal_levels(values) -> np.ndarray:
    """Dense levels of ``values`` (0 = smallest) where numbers that differ only by floating-point noise are equal.

    Sorted, a value starts a new level when it exceeds the previous one by
    more than :data:`EQUAL_RELATIVE` of its size and more than
    :data:`EQUAL_ABSOLUTE`. ``-inf`` and ``inf`` are levels of their own; NaN
    is not allowed. Compare and rank the levels instead of the values.

    >>> equal_levels([0.27906250000000005, 0.2790625, 0.3, float("-inf")]).tolist()
    [1, 1, 2, 0]
    """
    x = np.asarray(values, dtype=float)
    out = np.zeros(len(x), dtype=np.int64)
    if len(x) < 2:
        return out
    order = np.argsort(x, kind="stable")
    v = x[order]
    finite = np.isfinite(v[1:]) & np.isfinite(v[:-1])
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.diff(v)
        scale = np.maximum(np.abs(v[1:]), np.abs(v[:-1]))
        close = gap <= np.maximum(EQUAL_RELATIVE * scale, EQUAL_ABSOLUTE)
    new = np.where(finite, ~close, v[1:] != v[:-1])  # an infinity is only equal to itself
    out[order] = np.concatenate([[0], np.cumsum(new)])
    return out


def resolve_weight(network: Network, weight: str | None) -> tuple[str | None, str]:
    """Check a tie-weight choice; fall back to unweighted when no tie carries that weight.

    ``"none"`` and ``"unweighted"`` (any case) mean ``None``. Returns the
    weight to use and a sentence for ``meta``.

    >>> from netmap import read_network
    >>> resolve_weight(read_network("sample_data/tiny"), "Value")
    ('value', 'value (parallel ties summed; ties without a value count 0)')
    """
    if isinstance(weight, str) and weight.strip().lower() in ("none", "unweighted", ""):
        weight = None
    weight = choice(weight, "weight", WEIGHTS, what="weight")
    if weight is None:
        return None, "none (every connected pair counts 1)"
    col = network.edges[weight].to_numpy(dtype=float)
    if network.n_edges and not np.nansum(col) > 0:
        return None, f"none (no tie has a positive {weight}, so every connected pair counts 1)"
    if weight == "value":
        return "value", "value (parallel ties summed; ties without a value count 0)"
    return "strength", "strength (the strongest of parallel ties)"


def rank_desc(s: pd.Series) -> np.ndarray:
    """Competition ranks, 1 = largest; equal values share the best rank; NaN ranks last.

    >>> rank_desc(pd.Series([0.5, 0.9, 0.5, float("nan")])).tolist()
    [2, 1, 2, 4]
    """
    r = s.rank(ascending=False, method="min", na_option="bottom")
    return r.fillna(len(s)).to_numpy(dtype=np.int64)


def role_list(roles) -> list[str]:
    """Checked roles, without repeats: ``None`` -> ``[]``; a string may list several (``,`` or ``;``).

    >>> role_list("Supplier; customer, supplier"), role_list(["firm,customer"])
    (['supplier', 'customer'], ['firm', 'customer'])
    """
    if roles is not None and not isinstance(roles, str):
        roles = ",".join(str(r) for r in roles)
    return list(dict.fromkeys(choices(roles, "roles", ROLES, what="role")))


def role_mask(network: Network, roles: list[str]) -> np.ndarray:
    """One bool per organisation: True where it has any of ``roles`` (all True when ``roles`` is empty).

    >>> from netmap import read_network
    >>> int(role_mask(read_network("sample_data/tiny"), ["supplier"]).sum())
    4
    """
    if not roles:
        return np.ones(network.n_nodes, dtype=bool)
    wanted = set(roles)
    return network.nodes["roles"].map(lambda rs: not wanted.isdisjoint(rs)).to_numpy(dtype=bool)
