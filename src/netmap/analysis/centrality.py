"""Centrality: who is most central and best connected -- degree, value, PageRank (downstream and upstream), betweenness, closeness, eigenvector."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import choice, choices, number, whole_number
from ..engine import centrality as kernels
from ..errors import ArgumentError
from ..network import Network
from ..result import Result
from .common import canonical, rank_desc, resolve_weight, role_list

__all__ = ["centrality", "METRICS", "OPTIONAL_METRICS", "EXACT_BETWEENNESS_MAX"]

#: Score columns of :func:`centrality`, each with a ``rank_<metric>`` column.
METRICS = (
    "in_degree", "out_degree", "degree", "weighted_degree",
    "pagerank", "upstream_pagerank", "betweenness", "closeness", "eigenvector",
)
#: Metrics that can be left out with ``metrics=`` (the degree columns are always computed).
OPTIONAL_METRICS = ("pagerank", "upstream_pagerank", "betweenness", "closeness", "eigenvector")
#: ``betweenness="auto"`` computes exact betweenness up to this many organisations.
EXACT_BETWEENNESS_MAX = 5_000


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
    sort: str | None = None,
    metrics=None,
) -> Result:
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
        Seed of every random choice (a whole number >= 0); equal seeds give
        equal results.
    roles : str or iterable of str, optional
        Keep only organisations with any of these roles (scores and ranks are
        computed on the whole network first).
    top : int, optional
        Keep the first ``top`` rows after sorting.
    sort : str, optional
        Metric to sort by, largest first (ties broken by id); default: the
        first of ``metrics`` (``pagerank`` when all are computed, ``degree``
        when none is).
    metrics : iterable of str, optional
        Which of ``pagerank``, ``upstream_pagerank``, ``betweenness``,
        ``closeness`` and ``eigenvector`` to compute (all when None); the
        degree columns are always there. Leaving out closeness and
        betweenness saves most of the time on large networks.

    Returns
    -------
    Result
        ``result.table`` (the table ``"centrality"``) has one row per organisation:

        ``id``, ``name``, ``roles`` (``;``-joined);
        ``in_degree`` / ``out_degree``: distinct organisations with a tie to /
        from it (symmetric ties count both ways); ``degree``: distinct
        partners in either direction; ``weighted_degree``: total value of
        its ties (each tie once, missing values 0);
        ``pagerank`` (sums to 1); ``upstream_pagerank`` (PageRank with every
        tie reversed, from buyer to supplier: high for the sources much of
        the network's supply comes from, directly or through others; equal to
        ``pagerank`` on the undirected view); ``betweenness`` (share of shortest paths
        between other organisations that pass through it, normalised as in
        networkx); ``closeness`` (Wasserman-Faust, by number of ties; on the
        directed view distances *to* it); ``eigenvector`` (undirected view,
        unit norm); and ``rank_<metric>`` for each (1 = highest; equal
        scores share the best rank) over the whole network. Every score is
        computed on the organisations in id order, so it does not depend on
        the row order of the input files.

        ``result.meta`` records the choices: directed, weight, damping,
        betweenness (exact or sampled with how many sources), seed, filters.

    Raises
    ------
    ArgumentError
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
    >>> df = centrality(read_network("sample_data/tiny"), top=3).table
    >>> df["id"].tolist(), df["degree"].tolist()
    (['F1', 'C1', 'D1'], [7, 2, 3])
    """
    betweenness = choice(betweenness, "betweenness", ("auto", "exact", "sampled"), what="betweenness mode")
    damping = number(damping, "damping", low=0, high=1, low_open=True, high_open=True)
    samples = whole_number(samples, "samples")
    seed = whole_number(seed, "seed", minimum=0)
    top = whole_number(top, "top", optional=True)
    asked = list(dict.fromkeys(choices(metrics, "metrics", OPTIONAL_METRICS, what="metric"))) \
        if metrics is not None else list(OPTIONAL_METRICS)
    wanted = set(asked)
    shown = [m for m in METRICS if m not in OPTIONAL_METRICS or m in wanted]
    if sort is None:
        sort = asked[0] if asked else "degree"
    if sort in METRICS and sort not in shown:
        raise ArgumentError(f"cannot sort by '{sort}': it is not computed; add it to metrics or sort by one of "
                            f"{', '.join(shown)}", param="sort")
    sort = choice(sort, "sort", shown, what="sort metric")
    roles = role_list(roles)
    weight, weight_note = resolve_weight(network, weight)

    # every kernel runs on organisations in id order: no score depends on the row order of the input
    c = canonical(network)
    n = c.n
    dir_pairs = c.pairs(directed=True)
    und_pairs = c.pairs(directed=False)
    in_deg = np.bincount(dir_pairs["v"], minlength=n)
    out_deg = np.bincount(dir_pairs["u"], minlength=n)
    uu, uv = und_pairs["u"], und_pairs["v"]
    deg = np.bincount(uu, minlength=n) + np.bincount(uv, minlength=n)
    val = und_pairs["value"]
    wdeg = np.bincount(uu, weights=val, minlength=n) + np.bincount(uv, weights=val, minlength=n)

    view = c.adjacency(directed=directed, weight=weight)
    pr = kernels.pagerank(view, damping) if "pagerank" in wanted else None
    up = None
    if "upstream_pagerank" in wanted:
        up = kernels.pagerank(view.T.tocsr(), damping) if directed else (pr if pr is not None
                                                                          else kernels.pagerank(view, damping))
    eig = kernels.eigenvector(c.adjacency(directed=False, weight=weight)) if "eigenvector" in wanted else None

    mode = betweenness
    if mode == "auto":
        mode = "exact" if n <= EXACT_BETWEENNESS_MAX else "sampled"
    k = min(samples, n)
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

    nodes = c.nodes
    df = pd.DataFrame(
        {
            "id": nodes["id"].to_numpy(),
            "name": nodes["name"].to_numpy(),
            "roles": nodes["roles"].map(";".join).to_numpy(),
            "in_degree": in_deg.astype(np.int64),
            "out_degree": out_deg.astype(np.int64),
            "degree": deg.astype(np.int64),
            "weighted_degree": wdeg,
            **{m: np.full(n, np.nan) if x is None else x
               for m, x in (("pagerank", pr), ("upstream_pagerank", up), ("betweenness", btw),
                            ("closeness", clo), ("eigenvector", eig))},
        }
    )
    df = df[[col for col in df.columns if col not in METRICS or col in shown]].copy()
    for m in shown:
        df[f"rank_{m}"] = rank_desc(df[m])
    if roles:
        df = df[c.role_mask(roles)]
    df = df.sort_values([sort, "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    if top is not None:
        df = df.head(top).reset_index(drop=True)
    meta = {
        "organisations": n,
        "ties": network.n_edges,
        "directed": bool(directed),
        "view": "directed (ties downstream, symmetric ties both ways)" if directed else "undirected",
        "upstream": ("upstream_pagerank follows every tie against its direction, from buyer to supplier"
                     if directed else "undirected view: upstream_pagerank equals pagerank")
        if "upstream_pagerank" in wanted else "not computed",
        "weight": weight_note,
        "damping": damping,
        "metrics": ", ".join(shown),
        "betweenness": how if ("betweenness" in wanted or "closeness" in wanted) else "not computed",
        "betweenness_sampled": mode == "sampled",
        "betweenness_sources": n if mode == "exact" else k,
        "distances": "hops (each tie is one step)",
        "eigenvector": "undirected view",
        "seed": int(seed),
        "sort": sort,
        "roles": ", ".join(roles) if roles else "all",
        "top": top if top is not None else "all",
    }
    return Result({"centrality": df}, meta, titles={"centrality": "Centrality"})
