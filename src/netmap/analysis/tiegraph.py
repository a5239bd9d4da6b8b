"""The graph a path search runs on, built from a network's ties: the best tie per ordered pair of organisations.

:class:`TieGraph` turns the ties of a :class:`~netmap.network.Network` into
an engine :class:`~netmap.engine.pathgraph.PathGraph` for one ranking
criterion, keeps what each arc stands for (tie, type, strength, the pair's
business) and describes a path found on it in the words of
:mod:`netmap.analysis.paths`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine import paths as engine
from ..engine.pathgraph import PathGraph, best_arcs, pair_totals
from ..network import Network

__all__ = ["TieGraph", "type_codes"]


class TieGraph:
    """The best tie per ordered pair of organisations as a :class:`PathGraph`, and what each arc stands for."""

    def __init__(self, net: Network, criterion: engine.Criterion, directed: bool):
        self.criterion = criterion
        self.ids = net.ids
        self._names = net.nodes["name"]
        e = net.edges
        u, v = net.endpoints()
        strength = e["strength"].to_numpy(dtype=float)
        value = np.nan_to_num(e["value"].to_numpy(dtype=float), nan=0.0)
        sym = e["symmetric"].to_numpy(dtype=bool)
        tcode, self.type_names = type_codes(e["type"])
        eidx = np.arange(len(e), dtype=np.int64)
        back = np.ones(len(e), dtype=bool) if not directed else sym
        up = np.concatenate([np.zeros(len(e), dtype=bool), ~sym[back]])
        edge = np.concatenate([eidx, eidx[back]])
        # how a tie is read: along the flow (0), symmetric (1), against the flow (2)
        reading = np.where(up, 2, np.where(sym[edge], 1, 0))
        merit = criterion.arc_merit(strength, value)

        def keys(i):
            # parallel ties: the criterion's best, then strongest, along the flow, type; ties equal in all
            # of these show the same, so the input order that decides among them is never visible
            x = edge[i]
            return [-merit[x], -strength[x], reading[i], tcode[x], x]

        au, av = np.concatenate([u, v[back]]), np.concatenate([v, u[back]])
        src, dst, sel = best_arcs(net.n_nodes, au, av, keys)
        self.edge, self.up = edge[sel], up[sel]
        self.strength, self.tcode = strength[self.edge], tcode[self.edge]
        self.value = pair_totals(net.n_nodes, au, av, value[edge], src, dst)  # the pair's business
        rank = np.empty(net.n_nodes, dtype=np.int64)
        rank[np.argsort(np.array(self.ids, dtype=str), kind="stable")] = np.arange(net.n_nodes)
        self.graph = PathGraph(net.n_nodes, src, dst, cost=criterion.arc_cost(self.strength, self.value),
                               value=self.value, rank=rank, symmetric=not directed)

    def describe(self, nodes: list[int]) -> dict:
        """One path's row: target, hops, score, first intermediary, weakest tie, ids and names."""
        arcs = self.graph.arcs_of(nodes)
        ids = [self.ids[x] for x in nodes]
        names = [str(self._names.iat[x]) for x in nodes]
        st, val = self.strength[arcs], self.value[arcs]
        types = [self.type_names[c] + (" (upstream)" if up else "") for c, up in zip(self.tcode[arcs], self.up[arcs])]
        j = int(np.argmin(self.criterion.arc_merit(st, val)))
        hops = len(arcs)
        return {
            "target": ids[-1],
            "target_name": names[-1],
            "hops": hops,
            "score": self.criterion.score(st, val),
            "strength": float(np.prod(st)),
            "min_value": float(val.min()),
            "first_intermediary": ids[1] if hops > 1 else "",
            "first_intermediary_name": names[1] if hops > 1 else "",
            "weakest_tie": f"{ids[j]} - {ids[j + 1]} {self.type_names[self.tcode[arcs[j]]]}",
            "weakest_strength": float(st[j]),
            "path": " > ".join(ids),
            "path_names": " > ".join(names),
            "tie_types": " > ".join(types),
            "tie_strengths": " > ".join(f"{x:.2f}" for x in st),
            "nodes": tuple(ids),
        }


def type_codes(types: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes of the tie types, numbered in alphabetical order of the types present."""
    from ..schema import TIE_TYPES

    codes = np.full(len(types), -1, dtype=np.int64)
    names = []
    for name in sorted(TIE_TYPES):
        m = (types == name).to_numpy(dtype=bool)
        if m.any():
            codes[m] = len(names)
            names.append(name)
    if (codes < 0).any():  # a type outside the vocabulary (not from a validated reader)
        codes, uniq = pd.factorize(types.to_numpy(dtype=object), sort=True)
        names = [str(x) for x in uniq]
    return codes, names or ["PARTNERS_WITH"]
