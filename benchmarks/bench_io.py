"""Reading and validating a data directory: netmap.read_network vs a plain pandas read.

Target (issue 2): 1,000,000 ties from CSV with validation in under 15 s and 2 GB.
The baseline is ``pandas.read_csv`` of the same two files with no validation at
all, measured side by side in the same run, so the ratio shows what validation
and the Network model cost on top of parsing.
"""

from __future__ import annotations

from .common import run_case
from .synth import cached_dir


def read_netmap(path: str) -> dict:
    import netmap

    net = netmap.read_network(path)
    return {"organisations": net.n_nodes, "ties": net.n_edges}


def read_pandas(path: str) -> dict:
    import pandas as pd

    nodes = pd.read_csv(f"{path}/organizations.csv")
    edges = pd.read_csv(f"{path}/relationships.csv")
    return {"organisations": len(nodes), "ties": len(edges)}


def run(quick: bool = False) -> list[dict]:
    sizes = [10_000] if quick else [10_000, 100_000, 1_000_000]
    rows = []
    for n in sizes:
        path = str(cached_dir(n))
        base = run_case("benchmarks.bench_io:read_pandas", path=path)
        got = run_case("benchmarks.bench_io:read_netmap", path=path)
        row = {
            "case": f"read+validate {n:,} ties ({got['result']['organisations']:,} orgs) from CSV",
            "seconds": got["seconds"],
            "peak_mb": got["peak_mb"],
            "baseline": "pandas.read_csv, no validation",
            "baseline_s": base["seconds"],
            "ratio": base["seconds"] / got["seconds"],
        }
        if n == 1_000_000:
            row["target"] = "< 15 s, < 2,048 MB"
            row["ok"] = got["seconds"] < 15 and got["peak_mb"] < 2048
        rows.append(row)
    return rows
