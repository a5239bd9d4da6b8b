"""Centrality: who is most central and best connected -- degree, value, PageRank, betweenness, closeness, eigenvector."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import NetmapError
from ..network import Network
from ..schema import ROLES

__all__ = ["centrality", "METRICS", "OPTIONAL_METRICS", "EXACT_BETWEENNESS_MAX", "resolve_weight", "rank_desc"]

#: Score columns of :func:`centrality`, each with a ``rank_<metric>`` column.
METRICS = (
    "in_degree", "out_degree", "degree", "weighted_degree",
    "pagerank", "betweenness", "closeness", "eigenvector",
)
#: Metrics that can be left out with ``metrics=`` (the degree columns are always computed).
OPTIONAL_METRICS = ("pagerank", "betweenness", "closeness", "eigenvector")
#: ``betweenness="auto"`` computes exact betweenness up to this many organisations.
EXACT_BETWEENNESS_MAX = 5_000
_WEIGHTS = ("value", "strength", None)


def centrality(
    network: Network,
    *,
    directed: bool = True,
    weight: str | None = "value",
    damping: float = 0.85,
    betweenness: str = "auto",
    samples: int = 256,
    seed: int = 0,
    roles=None,
    top: int | None = None,
    sort: str = "pagerank",
    metrics=None,
) -> pd.DataFrame:
    """Centrality of every organisation, with ranks.

    Parameters
    ----------
    network : Network
    directed : bool (default=True)
        Read ties in their direction (downstream, the way goods flow;
        symmetric ties both ways) for PageRank, betweenness and closeness.
        ``False`` reads every tie both ways.
    weight : "value", "strength" or None (default="value")
        Tie weight for PageRank and eigenvector centrality: the annual value
        (parallel ties summed, ties without a value count 0), the derived
        relationship strength (the best of parallel ties), or None (every
        connected pair counts 1). When no tie has a positive weight the
        unweighted view is used and ``meta`` says so.
    damping : float (default=0.85)
        PageRank's damping factor, in (0, 1).
    betweenness : "auto", "exact" or "sampled" (default="auto")
        ``auto`` is exact up to :data:`EXACT_BETWEENNESS_MAX` organisations
        and sampled above. Sampled betweenness and closeness are estimated
        from ``samples`` source organisations drawn with ``seed``.
    samples : int (default=256)
        Number of sampled sources (at most the number of organisations).
    seed : int (default=0)
        Seed of every random choice; equal seeds give equal results.
    roles : str or iterable of str, optional
        Keep only organisations with any of these roles (scores and ranks are
        computed on the whole network first).
    top : int, optional
        Keep the first ``top`` rows after sorting.
    sort : str (default="pagerank")
        Metric to sort by, largest first (ties broken by id).
    metrics : iterable of str, optional
        Which of ``pagerank``, ``betweenness``, ``closeness`` and
        ``eigenvector`` to compute (all when None); the degree columns are
        always there. Leaving out closeness and betweenness saves most of the
        time on large networks.

    Returns
    -------
    DataFrame
        One row per organisation:

        ``id``, ``name``, ``roles`` (``;``-joined);
        ``in_degree`` / ``out_degree``: distinct organisations with a tie to /
        from it (symmetric ties count both ways); ``degree``: distinct
        partners in either direction; ``weighted_degree``: total value of
        its ties (each tie once, missing values 0);
        ``pagerank`` (sums to 1); ``betweenness`` (share of shortest paths
        between other organisations that pass through it, normalised as in
        networkx); ``closeness`` (Wasserman-Faust, by number of ties; on the
        directed view distances *to* it); ``eigenvector`` (undirected view,
        unit norm); and ``rank_<metric>`` for each (1 = highest; equal
        scores share the best rank) over the whole network.

        ``df.attrs["meta"]`` records the choices: directed, weight, damping,
        betweenness (exact or sampled with how many sources), seed, filters.

    Raises
    ------
    NetmapError
        For an unknown weight, sort metric, role or betweenness mode, or
        out-of-range damping, samples or top.

    Notes
    -----
    Betweenness and closeness count hops (every tie is one step): tie value is
    an amount, not a distance. Eigenvector centrality is always computed on
    the undirected view, because on a supply chain, which has few directed
    cycles, the directed version is zero almost everywhere.

    Examples
    --------
    >>> from netmap import read_network
    >>> df = centrality(read_network("sample_data/tiny"), top=3)
    >>> df["id"].tolist(), df["degree"].tolist()
    (['F1', 'C1', 'D1'], [7, 2, 3])
    """
    from ..engine import kernels

    if betweenness not in ("auto", "exact", "sampled"):
        raise NetmapError(f"betweenness must be 'auto', 'exact' or 'sampled', not '{betweenness}'")
    if not 0.0 < float(damping) < 1.0:
        raise NetmapError(f"damping must be between 0 and 1 (exclusive), not {damping}")
    if int(samples) < 1:
        raise NetmapError(f"samples must be at least 1, not {samples}")
    if top is not None and int(top) < 1:
        raise NetmapError(f"top must be at least 1, not {top}")
    wanted = _metrics(metrics)
    shown = [m for m in METRICS if m not in OPTIONAL_METRICS or m in wanted]
    if sort not in shown:
        raise NetmapError(f"cannot sort by '{sort}'; use one of {', '.join(shown)}")
    role_list = _roles(roles)
    weight, weight_note = resolve_weight(network, weight)

    n = network.n_nodes
    dir_pairs = network.pairs(directed=True)
    und_pairs = network.pairs(directed=False)
    in_deg = np.bincount(dir_pairs["v"].to_numpy(dtype=np.int64), minlength=n)
    out_deg = np.bincount(dir_pairs["u"].to_numpy(dtype=np.int64), minlength=n)
    uu, uv = und_pairs["u"].to_numpy(dtype=np.int64), und_pairs["v"].to_numpy(dtype=np.int64)
    deg = np.bincount(uu, minlength=n) + np.bincount(uv, minlength=n)
    val = und_pairs["value"].to_numpy(dtype=float)
    wdeg = np.bincount(uu, weights=val, minlength=n) + np.bincount(uv, weights=val, minlength=n)

    view = network.adjacency(directed=directed, weight=weight)
    pr = kernels.pagerank(view, damping) if "pagerank" in wanted else None
    eig = kernels.eigenvector(network.adjacency(directed=False, weight=weight)) if "eigenvector" in wanted else None

    mode = betweenness
    if mode == "auto":
        mode = "exact" if n <= EXACT_BETWEENNESS_MAX else "sampled"
    k = min(int(samples), n)
    if mode == "sampled" and k >= n:
        mode = "exact"
    btw = clo = None
    if mode == "exact":
        if "betweenness" in wanted:
            btw = kernels.betweenness(view, directed)
        if "closeness" in wanted:
            clo = kernels.closeness(view, directed)
        how = "exact (all organisations as sources)"
    else:
        if "betweenness" in wanted:
            btw = kernels.betweenness(view, directed, samples=k, seed=seed)
        if "closeness" in wanted:
            src = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
            clo = kernels.closeness(view, directed, sources=src)
        how = f"sampled: estimated from {k:,} of {n:,} source organisations (seed {seed})"

    df = pd.DataFrame(
        {
            "id": network.nodes["id"].to_numpy(),
            "name": network.nodes["name"].to_numpy(),
            "roles": network.nodes["roles"].map(";".join).to_numpy(),
            "in_degree": in_deg.astype(np.int64),
            "out_degree": out_deg.astype(np.int64),
            "degree": deg.astype(np.int64),
            "weighted_degree": wdeg,
            **{m: np.full(n, np.nan) if x is None else x
               for m, x in (("pagerank", pr), ("betweenness", btw), ("closeness", clo), ("eigenvector", eig))},
        }
    )
    df = df[[c for c in df.columns if c not in METRICS or c in shown]].copy()
    for m in shown:
        df[f"rank_{m}"] = rank_desc(df[m])
    if role_list:
        keep = network.nodes["roles"].map(lambda rs: any(r in rs for r in role_list)).to_numpy(dtype=bool)
        df = df[keep]
    df = df.sort_values([sort, "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    if top is not None:
        df = df.head(int(top)).reset_index(drop=True)
    df.attrs["meta"] = {
        "organisations": n,
        "ties": network.n_edges,
        "directed": bool(directed),
        "view": "directed (ties downstream, symmetric ties both ways)" if directed else "undirected",
        "weight": weight_note,
        "damping": float(damping),
        "metrics": ", ".join(shown),
        "betweenness": how if ("betweenness" in wanted or "closeness" in wanted) else "not computed",
        "betweenness_sampled": mode == "sampled",
        "betweenness_sources": n if mode == "exact" else k,
        "distances": "hops (each tie is one step)",
        "eigenvector": "undirected view",
        "seed": int(seed),
        "sort": sort,
        "roles": ", ".join(role_list) if role_list else "all",
        "top": int(top) if top is not None else "all",
    }
    return df


def resolve_weight(network: Network, weight: str | None) -> tuple[str | None, str]:
    """Check a tie-weight choice; fall back to unweighted when no tie carries that weight.

    Returns the weight to use and a sentence for ``meta``.
    """
    if isinstance(weight, str) and weight.lower() in ("none", "unweighted", ""):
        weight = None
    if weight not in _WEIGHTS:
        raise NetmapError(f"unknown weight '{weight}'; use value, strength or none")
    if weight is None:
        return None, "none (every connected pair counts 1)"
    col = network.edges[weight].to_numpy(dtype=float)
    if network.n_edges and not np.nansum(col) > 0:
        return None, f"none (no tie has a positive {weight}, so every connected pair counts 1)"
    if weight == "value":
        return "value", "value (parallel ties summed; ties without a value count 0)"
    return "strength", "strength (the strongest of parallel ties)"


def rank_desc(s: pd.Series) -> np.ndarray:
    """Competition ranks, 1 = largest; equal values share the best rank; NaN ranks last."""
    r = s.rank(ascending=False, method="min", na_option="bottom")
    return r.fillna(len(s)).to_numpy(dtype=np.int64)


def _metrics(metrics) -> set[str]:
    if metrics is None:
        return set(OPTIONAL_METRICS)
    if isinstance(metrics, str):
        metrics = metrics.replace(";", ",").split(",")
    out = set()
    for m in metrics:
        m = str(m).strip().lower()
        if not m:
            continue
        if m not in OPTIONAL_METRICS:
            raise NetmapError(f"unknown metric '{m}'; choose from {', '.join(OPTIONAL_METRICS)}")
        out.add(m)
    return out


def _roles(roles) -> list[str]:
    if roles is None:
        return []
    if isinstance(roles, str):
        roles = [r for r in roles.replace(",", ";").split(";")]
    out = []
    for r in roles:
        r = str(r).strip().lower()
        if not r:
            continue
        if r not in ROLES:
            raise NetmapError(f"unknown role '{r}'; use one of {', '.join(ROLES)}")
        out.append(r)
    return out
