"""Disruption scenarios: 50 named what-ifs (countries, roles, tie categories, capabilities, ids) at 1M ties.

Target (issue 17): 50 scenarios for the focal organisation of a
1,000,000-tie network in at most 60 s.

Cases, each in a fresh process (the network is read from
``benchmarks.synth.cached_dir`` in an untimed setup):

* ``scenarios`` -- :func:`netmap.analysis.scenarios.scenario_table` with 50
  scenarios: each of the 15 countries, each of the 5 roles, 15 tie
  categories, 10 capabilities and 5 pairs of the focal's partners.

    python -m benchmarks.run scenarios          # 1M ties
    python -m benchmarks.run scenarios --quick  # 20k ties
"""

from __future__ import annotations

from .common import run_case

TARGET_S = 60.0


def _setup(n_ties: int, **_):
    from benchmarks.synth import cached_dir
    from netmap import read_network

    return read_network(cached_dir(n_ties))


def _scenarios(net) -> list[dict]:
    from benchmarks.synth import COUNTRIES
    from netmap.schema import ROLES

    e = net.edges
    partners = sorted(set(e.loc[e["target"] == "F0", "source"]) | set(e.loc[e["source"] == "F0", "target"]))
    out = [{"name": f"country {c}", "country": c} for c in COUNTRIES]
    out += [{"name": f"role {r}", "role": r} for r in ROLES]
    out += [{"name": f"category cat{c:02d}", "category": f"cat{c:02d}"} for c in range(15)]
    out += [{"name": f"capability cap{c:03d}", "capability": f"cap{c:03d}"} for c in range(10)]
    out += [{"name": f"partners {k}", "remove": partners[2 * k:2 * k + 2]} for k in range(5)]
    return out


def scenarios(net, n_ties: int):
    from netmap.analysis.scenarios import scenario_table

    import time

    sc = _scenarios(net)
    cpu = time.process_time()
    t = scenario_table(net, "F0", sc).table
    return {"scenarios": len(t), "top": str(t["scenario"].iloc[0]), "cpu_s": time.process_time() - cpu,
            "lost_inputs": int(t["input_categories_lost"].sum())}


scenarios.setup = _setup


def run(quick: bool) -> list[dict]:
    n = 20_000 if quick else 1_000_000
    r = run_case("benchmarks.bench_scenarios:scenarios", n_ties=n)
    return [{
        "case": f"50 scenarios for F0, {n:,} ties", "seconds": r["seconds"], "peak_mb": r["peak_mb"],
        "baseline": "", "baseline_s": None, "ratio": None,
        "target": f"<= {TARGET_S:.0f} s", "ok": r["seconds"] <= TARGET_S,
        "note": f"{r['result']['scenarios']} rows, worst: {r['result']['top']}; CPU {r['result']['cpu_s']:.1f} s",
    }]
