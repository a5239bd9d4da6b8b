"""Partner dependency ranking: dominator trees for all partners at once vs one what-if per partner.

Target (issue 4): the full dependency ranking for a focal organisation with
2,000 direct partners in a 1,000,000-tie network in at most 30 s.

Cases, each in a fresh process (network built in an untimed setup):

* ``ranking``  -- :func:`netmap.analysis.dependency.dependency_ranking` for ``F0``.
* ``naive``    -- the same figures by recomputation: the focal's network
  model is built once, then three vectorised graph searches (supply,
  downstream, network; numpy frontier BFS) run per direct partner, with no
  detail tables. Measured side by side with ``ranking`` on the same smaller
  network; ``ratio`` = naive / ranking.
* ``report``   -- every dependency table (:func:`dependency_report`) at 1M ties.

    python -m benchmarks.run dependency          # 1M-tie target + side-by-side at 100k
    python -m benchmarks.run dependency --quick  # small sizes
"""

from __future__ import annotations

from .common import run_case

TARGET_S = 30.0


def _setup(n_ties: int, **_):
    from benchmarks.synth import network

    return network(n_ties)


def ranking(net, n_ties: int):
    from netmap.analysis.whatif import dependency_ranking

    df = dependency_ranking(net, "F0").table
    return {"partners": len(df), "top": str(df["id"].iloc[0]), "lost_inputs": int(df["input_categories_lost"].sum())}


ranking.setup = _setup


def naive(net, n_ties: int):
    """Per partner: three graph searches (supply, downstream, network) with the partner removed.

    Only the figures of the ranking are computed (no detail tables), so this
    is the fastest straightforward recomputation, not a strawman.
    """
    import numpy as np

    from netmap.analysis.flows import flow_model
    from netmap.engine.incidence import items_held
    from netmap.engine.reach import reach

    model = flow_model(net, "F0")
    n, f = model.n, model.f
    partners = np.unique(model.und[1][model.und[0][f]:model.und[0][f + 1]])
    origins = np.flatnonzero(model.origins)
    sups = list(model.categories.values())
    lost_inputs = 0
    for x in partners:
        blocked = np.zeros(n, dtype=bool)
        blocked[x] = True
        supplied = reach(model.sup, origins[origins != x], blocked)
        lost_inputs += sum(1 for s in sups if not supplied[s].any())
        down = reach(model.down, np.array([f]), blocked)
        und = reach(model.und, np.array([f]), blocked)
        _customers = int((model.customer & model.reach_down & ~down).sum())
        _cut = int((model.reach_und & ~und & ~blocked).sum())
        _caps = int((items_held(model.cap_matrix, model.reach_und)
                     & ~items_held(model.cap_matrix, und)).sum())
        _mkts = int((items_held(model.mkt_matrix, model.reach_und)
                     & ~items_held(model.mkt_matrix, und)).sum())
        _var = float(model.direct_value[x] + model.spend[model.upstream & ~supplied & ~blocked].sum())
    return {"partners": int(len(partners)), "lost_inputs": int(lost_inputs)}


naive.setup = _setup


def report(net, n_ties: int):
    from netmap.analysis.dependency import dependency_report

    rep = dependency_report(net, "F0")
    return {name: len(df) for name, df in rep.tables.items()}


report.setup = _setup


def run(quick: bool) -> list[dict]:
    big = 50_000 if quick else 1_000_000
    small = 20_000 if quick else 100_000
    rows = []
    fast_small = run_case("benchmarks.bench_dependency:ranking", n_ties=small)
    slow_small = run_case("benchmarks.bench_dependency:naive", n_ties=small)
    assert fast_small["result"]["partners"] == slow_small["result"]["partners"]
    assert fast_small["result"]["lost_inputs"] == slow_small["result"]["lost_inputs"]
    partners = fast_small["result"]["partners"]
    rows.append({
        "case": f"ranking F0, {small:,} ties ({partners:,} partners)",
        "seconds": fast_small["seconds"], "peak_mb": fast_small["peak_mb"],
        "baseline": "3 BFS per partner", "baseline_s": slow_small["seconds"],
        "ratio": slow_small["seconds"] / fast_small["seconds"] if fast_small["seconds"] > 0 else None,
        "target": "", "ok": True, "note": f"naive peak {slow_small['peak_mb']:.0f} MB; same figures",
    })
    fast_big = run_case("benchmarks.bench_dependency:ranking", n_ties=big)
    rows.append({
        "case": f"ranking F0, {big:,} ties ({fast_big['result']['partners']:,} partners)",
        "seconds": fast_big["seconds"], "peak_mb": fast_big["peak_mb"],
        "baseline": "", "baseline_s": None, "ratio": None,
        "target": f"<= {TARGET_S:.0f} s", "ok": fast_big["seconds"] <= TARGET_S,
        "note": f"setup (building the network) peak {fast_big['setup_peak_mb']:.0f} MB",
    })
    rep = run_case("benchmarks.bench_dependency:report", n_ties=big)
    rows.append({
        "case": f"dependency_report F0, {big:,} ties", "seconds": rep["seconds"], "peak_mb": rep["peak_mb"],
        "baseline": "", "baseline_s": None, "ratio": None, "target": "", "ok": True,
        "note": ", ".join(f"{k} {v}" for k, v in rep["result"].items()),
    })
    return rows
