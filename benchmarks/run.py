"""Run netmap's benchmarks and print one table of figures.

Every ``benchmarks/bench_*.py`` module defines ``run(quick: bool) -> list[dict]``;
each row has at least ``benchmark``, ``case``, ``seconds``, ``peak_mb`` and,
where a baseline was measured side by side in the same run, ``baseline_s`` and
``ratio`` (baseline seconds / netmap seconds), plus ``target`` and ``ok``.

    python -m benchmarks.run                 # everything
    python -m benchmarks.run io centrality   # only bench_io.py and bench_centrality.py
    python -m benchmarks.run report          # netmap report end to end, per section, growth exponent
    python -m benchmarks.run scenarios       # 50 disruption scenarios at 1M ties (target <= 60 s)
    python -m benchmarks.run --quick         # small sizes, for a smoke test
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from pathlib import Path

from .common import table

HERE = Path(__file__).resolve().parent
COLUMNS = ["benchmark", "case", "seconds", "peak_mb", "baseline", "baseline_s", "ratio", "target", "ok", "note"]


def discover() -> list[str]:
    return sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Run netmap's benchmarks.")
    ap.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(discover())})")
    ap.add_argument("--quick", action="store_true", help="small sizes only (a smoke test)")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = ap.parse_args(argv)
    names = args.names or discover()
    unknown = [n for n in names if n not in discover()]
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; have {', '.join(discover())}")
    print(f"# netmap benchmarks  {time.strftime('%Y-%m-%d %H:%M')}  python {platform.python_version()}  "
          f"{platform.machine()}  cores={__import__('os').cpu_count()}")
    rows: list[dict] = []
    for name in names:
        mod = importlib.import_module(f"benchmarks.bench_{name}")
        t = time.perf_counter()
        got = mod.run(quick=args.quick)
        for r in got:
            r.setdefault("benchmark", name)
        rows.extend(got)
        print(f"# {name}: {len(got)} cases in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    print(table(rows, COLUMNS))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))
    return 0 if all(r.get("ok") in (None, True, "yes", "") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
