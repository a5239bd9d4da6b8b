"""Pieces every score table shares: the tie-weight choice, competition ranks and the role filter."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import choice, choices
from ..network import Network
from ..schema import ROLES

__all__ = ["WEIGHTS", "resolve_weight", "rank_desc", "role_list", "role_mask"]

#: Tie weights an analysis can use; ``None`` counts every connected pair 1.
WEIGHTS = ("value", "strength", None)


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
