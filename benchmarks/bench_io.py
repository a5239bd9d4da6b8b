"""Reading and validating a data directory, and building the Network: netmap.read_network vs a plain pandas read.

Targets: 1,000,000 ties from CSV with validation in under 15 s and 2 GB
(issue 2); the Network built from 1M read ties in at most 4 s (issue 16,
"construction" below). The baseline is ``pandas.read_csv`` of the same two
files with no validation at all, measured side by side in the same run, so
the ratio shows what validation and the Network model cost on top of
parsing. Every case runs in a fresh process; ``seconds`` is the timed part
(imports included), the note gives its CPU seconds (user + system, all threads) -- on a busy
machine the CPU time is the steadier figure.

* ``read_network`` -- reading, validating and building, the whole of
  :func:`netmap.read_network` (what every command does first);
* construction -- ``Network(nodes, edges)`` from tables already read and
  validated (the last step of the above, measured alone).
"""

from __future__ import annotations

import time

from .common import run_case
from .synth import cached_dir

BUILD_TARGET_S = 4.0


def read_netmap(path: str) -> dict:
    c = time.process_time()
    import netmap

    net = netmap.read_network(path)
    return {"organisations": net.n_nodes, "ties": net.n_edges, "cpu": time.process_time() - c}


def read_pandas(path: str) -> dict:
    c = time.process_time()
    import pandas as pd

    nodes = pd.read_csv(f"{path}/organizations.csv")
    edges = pd.read_csv(f"{path}/relationships.csv")
    return {"organisations": len(nodes), "ties": len(edges), "cpu": time.process_time() - c}


def _read_tables(path: str):
    """The validated tables and tie endpoints of ``path`` (the untimed part of :func:`build`)."""
    from pathlib import Path

    from netmap.io.reader import read_table
    from netmap.io.rules import validate_organizations, validated_ties

    nt = read_table(Path(path) / "organizations.csv", None, "organizations")
    nodes, _ = validate_organizations(nt)
    et = read_table(Path(path) / "relationships.csv", None, "relationships")
    edges, _, ends = validated_ties(et, nt.frame["id"], nt.label)
    return nodes, edges, ends


def build(state, path: str) -> dict:
    """``Network(nodes, edges)`` from read and validated tables, as :func:`netmap.read_network` builds it."""
    from netmap.network import Network, normalize_strength_weights

    nodes, edges, ends = state
    c = time.process_time()
    net = Network(nodes, edges, source=path, strength_weights=normalize_strength_weights(None), endpoints=ends)
    return {"organisations": net.n_nodes, "ties": net.n_edges, "cpu": time.process_time() - c}


build.setup = _read_tables


def run(quick: bool = False) -> list[dict]:
    sizes = [10_000] if quick else [10_000, 100_000, 1_000_000]
    rows = []
    for n in sizes:
        path = str(cached_dir(n))
        base = run_case("benchmarks.bench_io:read_pandas", path=path)
        got = run_case("benchmarks.bench_io:read_netmap", path=path)
        made = run_case("benchmarks.bench_io:build", path=path)
        res = got["result"]
        row = {
            "case": f"read+validate+build {n:,} ties ({res['organisations']:,} orgs) from CSV",
            "seconds": got["seconds"],
            "peak_mb": got["peak_mb"],
            "baseline": "pandas.read_csv, no validation",
            "baseline_s": base["seconds"],
            "ratio": base["seconds"] / got["seconds"],
            "note": f"cpu {res['cpu']:.2f} s (baseline cpu {base['result']['cpu']:.2f} s)",
        }
        construction = {
            "case": f"construction: Network from {n:,} read ties",
            "seconds": made["seconds"], "peak_mb": made["peak_mb"],
            "note": f"cpu {made['result']['cpu']:.2f} s",
        }
        if n == 1_000_000:
            row["target"] = "< 15 s, < 2,048 MB"
            row["ok"] = got["seconds"] < 15 and got["peak_mb"] < 2048
            construction["target"] = f"<= {BUILD_TARGET_S:.0f} s"
            construction["ok"] = made["seconds"] <= BUILD_TARGET_S
        rows += [row, construction]
    return rows
