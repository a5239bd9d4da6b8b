"""Markets to expand into: where the focal organisation is absent but its partners' partners serve, and through whom."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import choice, whole_number
from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view
from .candidates import MAX_INTRODUCERS, CandidateIndex, candidate_index
from .linkpred import ego_scores, hops_from

__all__ = ["market_expansion"]


def market_expansion(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    presence: str = "partners",
    as_of=None,
    top: int | None = None,
) -> Result:
    """Markets the focal organisation is absent from but its partners' partners serve.

    Parameters
    ----------
    network : Network or FocalView
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
    Result
        The table ``"markets"``: one row per market, most promising first: ``rank``, ``market``;
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
        organisations (all descending), then market. ``meta`` names the focal
        organisation, the date and the markets it counts as present in.

    Examples
    --------
    >>> from netmap import read_network
    >>> tiny = read_network("sample_data/tiny")
    >>> market_expansion(tiny, "F1", presence="own", as_of="2024-01-01").table["market"].tolist()
    ['JP']
    """
    presence = choice(presence, "presence", ("partners", "own"))
    top = whole_number(top, "top", optional=True)
    view = focal_view(network, focal, as_of)
    ctx = candidate_index(view)
    g = ctx.graph
    fi = ctx.position(view.focal)
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
    meta = {
        "focal": view.focal,
        "focal_name": view.name,
        "as_of": view.as_of,
        "presence": "own markets and direct partners' markets" if presence == "partners" else "own markets only",
        "markets_present": ", ".join(sorted(ctx.markets.display[k] for k in present)) or "none",
        "partners_of_partners": int(len(far)),
    }
    return Result({"markets": out}, meta, titles={"markets": "Markets to expand into"})


def _via_text(ctx: CandidateIndex, x: int, z: int, wf: dict) -> str:
    if z < 0:
        return ctx.label(x)
    a = ctx.graph.adjacency
    wzx = float(a[[z]][:, [x]].toarray()[0, 0])
    return f"{ctx.label(x)} via {ctx.label(z)}: {wf[z]:.2f}, {wzx:.2f}"
