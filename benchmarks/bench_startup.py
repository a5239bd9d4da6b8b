"""Start-up: ``netmap --help``, ``netmap --version`` and ``import netmap`` in fresh processes.

Target (issue 16): ``netmap --help`` and ``netmap --version`` in at most 0.2 s.
Each case starts a new interpreter, the way a person's shell does, and the
figure is the median of several starts (wall clock; CPU, user + system, in the
note). The baselines, measured side by side in the same run: an interpreter
that only imports click (the floor of any click command line), and one that
imports pandas (what every start cost while the command line imported it).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from .common import ROOT

#: Starts per case; the median is reported.
STARTS = 7

CASES = (
    ("netmap --help", ["-c", "from netmap.cli import main; main()", "--help"]),
    ("netmap --version", ["-c", "from netmap.cli import main; main()", "--version"]),
    ("import netmap", ["-c", "import netmap"]),
)
BASELINES = {
    "click": ("python -c 'import click'", ["-c", "import click"]),
    "pandas": ("python -c 'import pandas'", ["-c", "import pandas"]),
}


def start(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak MB of one fresh ``python ARGS``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)} failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(args: list[str], starts: int = STARTS) -> dict:
    """Median wall and CPU seconds and peak MB over ``starts`` fresh processes."""
    runs = [start(args) for _ in range(starts)]
    return {"seconds": statistics.median(r[0] for r in runs), "cpu": statistics.median(r[1] for r in runs),
            "peak_mb": max(r[2] for r in runs), "starts": starts}


def run(quick: bool = False) -> list[dict]:
    starts = 5 if quick else STARTS
    rows = []
    for key in ("click", "pandas"):
        label, args = BASELINES[key]
        got = measure(args, starts)
        rows.append({"case": f"baseline: {label}", "seconds": got["seconds"], "peak_mb": got["peak_mb"],
                     "note": f"median of {starts} starts; cpu {got['cpu']:.3f} s"})
    floor = rows[0]["seconds"]
    for label, args in CASES:
        got = measure(args, starts)
        row = {"case": f"{label} (fresh process)", "seconds": got["seconds"], "peak_mb": got["peak_mb"],
               "baseline": BASELINES["click"][0], "baseline_s": floor, "ratio": floor / got["seconds"],
               "note": f"median of {starts} starts; cpu {got['cpu']:.3f} s"}
        if label.startswith("netmap"):
            row["target"] = "<= 0.2 s"
            row["ok"] = got["seconds"] <= 0.2
        rows.append(row)
    return rows
