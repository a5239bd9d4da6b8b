"""Relationship portfolio: ``netmap portfolio DATA --view all`` end to end, from the CSV files to the JSON written.

Target (issue "Relationship portfolio"): at most 10 s at 1,000,000 ties, in a
fresh process: importing netmap, reading and validating the two CSV files,
the supply, customer and partner portfolios for the focal organisation
``F0`` (about 1,900 active direct partners, see :mod:`benchmarks.synth`) and
writing every table as JSON. Beside it, in the same run, reading and
validating the same files alone (``netmap.read_network``): the difference is
what the portfolio itself costs. The note gives the whole process: its wall
time with the interpreter's start, its CPU seconds (user + system, all
threads; the steadier figure on a busy machine) and, for the command, the
Network construction alone (:mod:`benchmarks.bench_io`).

    python -m benchmarks.run portfolio           # 100k and 1M ties
    python -m benchmarks.run portfolio --quick   # 10k ties
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .common import run_case
from .synth import cached_dir

TARGET_S = 10.0


def cli_all(path: str, out: str) -> dict:
    """``netmap portfolio PATH --view all -o OUT.json``, imports included."""
    from netmap.cli import cli

    cli.main(["portfolio", path, "--view", "all", "-o", out], standalone_mode=False)
    import json

    data = json.loads(Path(out).read_text(encoding="utf-8"))
    return {**{name: len(rows) for name, rows in data["sections"].items()}, "cpu": _process_cpu()}


def read_only(path: str) -> dict:
    """Reading and validating the same files, imports included."""
    import netmap

    net = netmap.read_network(path)
    return {"organisations": net.n_nodes, "ties": net.n_edges, "cpu": _process_cpu()}


def _process_cpu() -> float:
    """CPU seconds of this whole process so far (user + system, every thread; interpreter start included)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(quick: bool = False) -> list[dict]:
    sizes = [10_000] if quick else [100_000, 1_000_000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = str(cached_dir(n))
            base = run_case("benchmarks.bench_portfolio:read_only", path=path)
            got = run_case("benchmarks.bench_portfolio:cli_all", path=path, out=str(Path(tmp) / f"p{n}.json"))
            made = run_case("benchmarks.bench_io:build", path=path)
            res = got["result"]
            row = {
                "case": f"portfolio --view all, {n:,} ties, end to end from CSV",
                "seconds": got["seconds"], "peak_mb": got["peak_mb"],
                "baseline": "read + validate alone", "baseline_s": base["seconds"],
                "ratio": base["seconds"] / got["seconds"],
                "note": (f"process {got['wall']:.1f} s with interpreter start, cpu {res['cpu']:.1f} s (read alone: "
                         f"{base['wall']:.1f} s, cpu {base['result']['cpu']:.1f} s; construction {made['seconds']:.2f} s); "
                         f"{res['supply_categories']} categories, {res['suppliers']} suppliers, "
                         f"{res['customers']:,} customers, {res['partners']:,} partners"),
            }
            if n == 1_000_000:
                row["target"] = f"<= {TARGET_S:.0f} s"
                row["ok"] = got["wall"] <= TARGET_S
            rows.append(row)
    return rows
