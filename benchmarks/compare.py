"""Every command end to end, this checkout beside an earlier revision: is a change slower anywhere?

Each command runs from CSV to output in a fresh process, for both code
bases in turn (alternating, ``--repeat`` times each, the best time kept), on
one synthetic network; the ratio is the revision's seconds over this
checkout's (above 1: faster now). Seconds are CPU seconds (user + system)
of the whole process, which a busy machine disturbs far less than wall-clock
time; wall-clock seconds are shown beside them. The revision is checked out with
``git worktree`` into a temporary folder and run with the same interpreter,
so only the code differs.

    python -m benchmarks.compare d37b1c2                 # 100,000 ties
    python -m benchmarks.compare d37b1c2 --ties 20000 --repeat 3
    python -m benchmarks.compare d37b1c2 --now main      # two revisions, neither the working tree
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import ROOT, table
from .synth import cached_dir

#: The commands compared, as arguments after ``netmap``; DATA and OUT are filled in.
COMMANDS: list[list[str]] = [
    ["validate", "DATA"],
    ["summary", "DATA", "-o", "OUT/summary.json"],
    ["centrality", "DATA", "--format", "csv", "-o", "OUT/centrality.csv"],
    ["brokerage", "DATA", "--top", "100", "--format", "csv", "-o", "OUT/brokerage.csv"],
    ["communities", "DATA", "--format", "csv", "-o", "OUT/communities.csv"],
    ["dependency", "DATA", "--section", "ranking", "--format", "csv", "-o", "OUT/ranking.csv"],
    ["whatif", "DATA", "--remove", "O1", "--format", "json", "-o", "OUT/whatif.json"],
    ["paths", "DATA", "--market", "M05", "-k", "3", "--format", "csv", "-o", "OUT/paths.csv"],
    ["access", "DATA", "--market", "M05", "--format", "csv", "-o", "OUT/access.csv"],
    ["gatekeepers", "DATA", "--market", "M05", "--format", "csv", "-o", "OUT/gatekeepers.csv"],
    ["opportunities", "DATA", "--format", "csv", "-o", "OUT/opportunities.csv"],
    ["markets", "DATA", "--format", "csv", "-o", "OUT/markets.csv"],
    ["map", "DATA", "-o", "OUT/map.html"],
    ["report", "DATA", "-o", "OUT/report"],
]
_RUN = "import sys; from netmap.cli import main; sys.argv[0] = 'netmap'; main()"


def run_command(src: Path, args: list[str], data: Path, out: Path) -> tuple[float, float]:
    """CPU and wall-clock seconds of ``netmap ARGS`` with the code under ``src``, in a fresh process."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    argv = [a.replace("DATA", str(data)).replace("OUT", str(out)) for a in args]
    env = dict(os.environ, PYTHONPATH=str(src))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _RUN, *argv], env=env, capture_output=True, text=True,
                          cwd=out, timeout=3600)
    sec = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"netmap {' '.join(argv)} failed with the code in {src}:\n{proc.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, sec


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("revision", help="the git revision to compare with, e.g. a commit or tag")
    ap.add_argument("--ties", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only", nargs="*", help="only these commands")
    ap.add_argument("--now", help="compare this revision instead of the working tree")
    args = ap.parse_args(argv)
    data = cached_dir(args.ties)
    work = Path(tempfile.mkdtemp(prefix="netmap-compare-"))
    base = work / "base"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.revision],
                   check=True, capture_output=True)
    now = ROOT / "src"
    if args.now:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(work / "now"), args.now],
                       check=True, capture_output=True)
        now = work / "now" / "src"
    rows = []
    try:
        for cmd in COMMANDS:
            if args.only and cmd[0] not in args.only:
                continue
            best = {"now": (float("inf"), 0.0), "base": (float("inf"), 0.0)}
            for _ in range(args.repeat):
                for name, src in (("base", base / "src"), ("now", now)):
                    best[name] = min(best[name], run_command(src, cmd, data, work / f"out-{name}"))
            rows.append({"command": cmd[0], "cpu_s": best["now"][0], "baseline_cpu_s": best["base"][0],
                         "ratio": best["base"][0] / best["now"][0], "wall_s": best["now"][1],
                         "baseline_wall_s": best["base"][1]})
            print(f"# {cmd[0]}: {best['now'][0]:.2f} CPU s now, {best['base'][0]:.2f} at {args.revision}",
                  file=sys.stderr)
    finally:
        for tree in (base, work / "now"):
            if tree.exists():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                               check=False, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    print(f"# netmap {args.now or 'now'} vs {args.revision}: {args.ties:,} ties, best of {args.repeat}, fresh process per run")
    print(table(rows, ["command", "cpu_s", "baseline_cpu_s", "ratio", "wall_s", "baseline_wall_s"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
