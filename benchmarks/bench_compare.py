"""Change over time: compare two 1M-tie snapshots, and a trend over ten 100k-tie snapshots.

Targets (issue 13): compare two 1,000,000-tie snapshots in at most 30 s and
4 GB; trend over ten 100,000-tie snapshots in at most 30 s.

The later snapshot is a seeded perturbation of :mod:`benchmarks.synth`'s
network (:func:`perturb`): 2 % of the ties ended, 2 % added (a tie moved to
another target), a tenth re-rated (qualities drift), a fifth with another
value, 1 % of the organisations renamed. Cases, each in a fresh process, the
networks built in an untimed setup:

* ``compare`` -- :func:`netmap.analysis.compare.compare_networks`, every section.
* ``trend``   -- :func:`netmap.analysis.trend.trend_table` over ten snapshots
  (each a perturbation of the one before).

    python -m benchmarks.run compare          # the targets
    python -m benchmarks.run compare --quick  # small sizes
"""

from __future__ import annotations

from .common import run_case

TARGET_S = 30.0
TARGET_MB = 4096.0


def perturb(net, seed: int):
    """A later snapshot of ``net``: seeded churn of ties, qualities, values and names."""
    import numpy as np

    from netmap.network import Network

    rng = np.random.default_rng(seed)
    e = net.edges.copy()
    n = len(e)
    ended = rng.random(n) < 0.02
    moved = ~ended & (rng.random(n) < 0.02)
    ids = net.nodes["id"].to_numpy()
    new = e[moved].copy()
    new["target"] = ids[rng.integers(0, len(ids), size=len(new))]
    new = new[new["target"].to_numpy() != new["source"].to_numpy()]
    e = e[~ended]
    rerate = rng.random(len(e)) < 0.1
    for q in ("trust", "communication", "commitment", "mutual_benefit"):
        v = e[q].to_numpy(dtype=float).copy()
        v[rerate] = np.clip(v[rerate] + rng.normal(0, 0.1, rerate.sum()), 0, 1)
        e[q] = v
    val = e["value"].to_numpy(dtype=float).copy()
    revalue = rng.random(len(e)) < 0.2
    val[revalue] *= rng.uniform(0.8, 1.2, revalue.sum())
    e["value"] = val
    import pandas as pd

    edges = pd.concat([e, new], ignore_index=True)
    edges["strength"] = np.nan
    nodes = net.nodes.copy()
    rename = rng.random(len(nodes)) < 0.01
    nodes.loc[rename, "name"] = nodes.loc[rename, "name"] + " (renamed)"
    return Network(nodes, edges, source=f"{net.source}, perturbed (seed {seed})")


def _pair(n_ties: int, **_):
    from benchmarks.synth import network

    before = network(n_ties)
    return before, perturb(before, 1)


def compare(pair, n_ties: int):
    import time

    from netmap.analysis.compare import compare_networks

    before, after = pair
    cpu = time.process_time()
    r = compare_networks(before, after, focal="F0")
    return {"cpu_s": round(time.process_time() - cpu, 1), **{k: len(v) for k, v in r.tables.items()}}


compare.setup = _pair


def _history(n_ties: int, snapshots: int = 10, **_):
    from benchmarks.synth import network

    nets = [network(n_ties)]
    for i in range(1, snapshots):
        nets.append(perturb(nets[-1], i))
    return nets


def trend(nets, n_ties: int, snapshots: int = 10):
    import time

    from netmap.analysis.trend import trend_table

    cpu = time.process_time()
    t = trend_table([(f"s{i}", n, None) for i, n in enumerate(nets)], "F0").table
    return {"cpu_s": round(time.process_time() - cpu, 1), "rows": len(t), "ties_last": int(t["ties"].iloc[-1])}


trend.setup = _history


def run(quick: bool) -> list[dict]:
    big = 50_000 if quick else 1_000_000
    small = 10_000 if quick else 100_000
    rows = []
    c = run_case("benchmarks.bench_compare:compare", n_ties=big)
    rows.append({
        "case": f"compare two {big:,}-tie snapshots, every section", "seconds": c["seconds"],
        "peak_mb": c["peak_mb"], "baseline": "", "baseline_s": None, "ratio": None,
        "target": f"<= {TARGET_S:.0f} s, <= {TARGET_MB / 1024:.0f} GB",
        "ok": c["seconds"] <= TARGET_S and c["peak_mb"] <= TARGET_MB,
        "note": f"CPU {c['result']['cpu_s']} s; setup peak {c['setup_peak_mb']:.0f} MB; rows "
                + ", ".join(f"{k} {v}" for k, v in c["result"].items() if k != "cpu_s"),
    })
    t = run_case("benchmarks.bench_compare:trend", n_ties=small, snapshots=10)
    rows.append({
        "case": f"trend over ten {small:,}-tie snapshots", "seconds": t["seconds"], "peak_mb": t["peak_mb"],
        "baseline": "", "baseline_s": None, "ratio": None, "target": f"<= {TARGET_S:.0f} s",
        "ok": t["seconds"] <= TARGET_S, "note": f"CPU {t['result']['cpu_s']} s; setup peak {t['setup_peak_mb']:.0f} MB",
    })
    return rows
