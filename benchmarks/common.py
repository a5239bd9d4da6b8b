"""Measuring helpers shared by every benchmark: time and peak memory of one case in a fresh process.

Each case runs in its own Python process, so its peak resident memory
(``ru_maxrss``) is its own, and a baseline and a candidate measured side by
side in one run see the same machine state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import importlib, json, resource, sys, time
mod, fn = sys.argv[1].split(":")
kwargs = json.loads(sys.argv[2])
f = getattr(importlib.import_module(mod), fn)
setup = getattr(f, "setup", None)
state = setup(**kwargs) if setup else None
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
result = f(state, **kwargs) if setup else f(**kwargs)
sec = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("@@RESULT@@" + json.dumps({"seconds": sec, "peak_mb": peak / 1024, "setup_peak_mb": base / 1024,
                                 "result": result if isinstance(result, (dict, list, str, int, float, type(None))) else str(result)}))
"""


def run_case(target: str, timeout: float = 1800, **kwargs) -> dict:
    """Run ``module:function(**kwargs)`` in a fresh interpreter; return seconds and peak MB.

    If the function has a ``setup`` attribute (a callable taking the same
    kwargs), it runs first and untimed, and its return value is passed as the
    first argument. ``peak_mb`` is the whole process's peak resident memory
    (interpreter and imports included); ``setup_peak_mb`` the peak before the
    timed part.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, target, json.dumps(kwargs)],
        capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT,
    )
    wall = time.perf_counter() - t
    for line in proc.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            out = json.loads(line[len("@@RESULT@@"):])
            out["wall"] = wall
            return out
    raise RuntimeError(f"benchmark case {target} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


def table(rows: list[dict], columns: list[str]) -> str:
    """A fixed-width text table of result rows."""
    def fmt(v):
        if isinstance(v, float):
            return f"{v:,.3f}" if abs(v) < 1000 else f"{v:,.0f}"
        return "" if v is None else str(v)

    cells = [[fmt(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(x[i]) for x in cells)) if cells else len(c) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(x.ljust(w) for x, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)
