"""The report: ``netmap report DATA -o DIR`` end to end, and what each of its sections costs.

Targets (issue "The report at a million ties"): at most 10 s at 100,000 ties;
at most 60 s and 4 GB at 1,000,000 ties (2 cores). Each end-to-end case runs
``netmap report`` in a fresh process: importing netmap, reading and
validating the CSV files, building the Network, every section, the maps, the
CSV tables and the workbook. Its peak memory is the process's peak resident
set. Beside it, in the same run, reading and validating the same files alone
(the construction the report includes), and, in one more process, each
section builder timed on its own (CPU and wall seconds, in the report's
order, sharing one :class:`~netmap.render.sections.base.ReportContext` as the
report does, so an analysis is paid by the first section that asks for it).
The growth exponent is the slope of log(seconds) against log(ties) fitted
over the sizes measured (1 = linear).

    python -m benchmarks.run report           # 10k, 100k and 1M ties
    python -m benchmarks.run report --quick   # 10k ties
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from .common import run_case
from .synth import cached_dir

TARGETS_S = {100_000: 10.0, 1_000_000: 60.0}
TARGET_MB = {1_000_000: 4096.0}


def cli_report(path: str, out: str) -> dict:
    """``netmap report PATH -o OUT``, imports included; the files written."""
    import time

    cpu = time.process_time()
    from netmap.cli import cli

    cli.main(["report", path, "-o", out], standalone_mode=False)  # stderr is not a terminal: no progress lines
    files = [p for p in Path(out).rglob("*") if p.is_file()]
    return {"files": len(files), "mb_written": sum(p.stat().st_size for p in files) / 2**20,
            "cpu_s": time.process_time() - cpu}


def read_only(path: str) -> dict:
    """Reading and validating the same files, imports included."""
    import netmap

    net = netmap.read_network(path)
    return {"organisations": net.n_nodes, "ties": net.n_edges}


def sections(path: str) -> dict:
    """Each section builder on its own, in the report's order: {title: [wall s, CPU s]}."""
    import time

    import netmap
    from netmap.render.report import LATE, SECTIONS
    from netmap.render.sections import BUILDERS, ReportContext

    net = netmap.read_network(path)
    ctx = ReportContext(net, net.resolve_focal(None), 10, None)
    out = {}
    for key, title, _ in sorted(SECTIONS, key=lambda s: s[0] in LATE):
        w, c = time.perf_counter(), time.process_time()
        BUILDERS[key](ctx)
        out[title] = [time.perf_counter() - w, time.process_time() - c]
    return out


def growth(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) against log(ties)."""
    pts = [(math.log(n), math.log(s)) for n, s in points if s > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def run(quick: bool = False) -> list[dict]:
    sizes = [10_000] if quick else [10_000, 100_000, 1_000_000]
    rows, points = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = str(cached_dir(n))
            base = run_case("benchmarks.bench_report:read_only", path=path)
            got = run_case("benchmarks.bench_report:cli_report", path=path, out=str(Path(tmp) / f"r{n}"))
            points.append((n, got["seconds"]))
            target = TARGETS_S.get(n)
            limit_mb = TARGET_MB.get(n)
            ok = None
            if target is not None:
                ok = got["seconds"] <= target and (limit_mb is None or got["peak_mb"] <= limit_mb)
            res = got["result"]
            rows.append({
                "case": f"report, {n:,} ties, end to end from CSV",
                "seconds": got["seconds"], "peak_mb": got["peak_mb"],
                "baseline": "read + validate alone", "baseline_s": base["seconds"],
                "ratio": base["seconds"] / got["seconds"],
                "target": (f"<= {target:.0f} s" + (f", <= {limit_mb / 1024:.0f} GB" if limit_mb else "")) if target else "",
                "ok": ok,
                "note": f"CPU {res['cpu_s']:.1f} s; process {got['wall']:.1f} s with interpreter start; {res['files']} files, "
                        f"{res['mb_written']:.1f} MB written",
            })
            per = run_case("benchmarks.bench_report:sections", path=path)["result"]
            for title, (wall, cpu) in per.items():
                rows.append({"case": f"  section '{title}', {n:,} ties", "seconds": wall,
                             "note": f"CPU {cpu:.2f} s"})
    slope = growth(points)
    if slope is not None:
        rows.append({"case": f"report growth exponent over {', '.join(f'{n:,}' for n, _ in points)} ties",
                     "seconds": None, "note": f"slope of log(seconds) vs log(ties): {slope:.2f} (1 = linear)"})
    return rows
