"""Faults of the Neo4j store: each is one clear sentence and exit 1, never a traceback or a hang,
and the password never appears in the output or the logs."""

from __future__ import annotations

import logging
import signal
import socket
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

import netmap
from bolt_server import driver, external_settings
from netmap.cli import cli
from netmap.errors import StoreError
from netmap import store
from netmap.store import connection

PASSWORD = "pw-Secret-4711"


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(args):
    return CliRunner().invoke(cli, args)


def assert_one_clear_error(res, *phrases):
    out = res.output
    assert res.exit_code == 1, out
    assert "Traceback" not in out and "neo4j.exceptions" not in out
    assert PASSWORD not in out
    errors = [ln for ln in out.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1, out
    for p in phrases:
        assert p in errors[0], errors[0]


@contextmanager
def no_hang(seconds: int):
    """Fail (instead of hanging the suite) if the block takes longer than ``seconds``."""
    def boom(signum, frame):  # pragma: no cover - only when netmap hangs
        raise AssertionError(f"still waiting after {seconds} s: netmap hangs instead of reporting the error")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_unreachable_server_is_one_sentence(tiny_dir, caplog):
    caplog.set_level(logging.DEBUG)
    uri = f"bolt://127.0.0.1:{closed_port()}"
    with no_hang(60):
        res = run_cli(["load", str(tiny_dir), "--neo4j", "--neo4j-uri", uri, "--neo4j-password", PASSWORD])
    assert_one_clear_error(res, "cannot reach a Neo4j server at " + uri, "NEO4J_URI")
    res = run_cli(["summary", "--neo4j", "--neo4j-uri", uri, "--neo4j-password", PASSWORD])
    assert_one_clear_error(res, "cannot reach")
    assert PASSWORD not in caplog.text


def test_a_uri_that_is_not_bolt_is_one_sentence(tiny_dir):
    res = run_cli(["load", str(tiny_dir), "--neo4j", "--neo4j-uri", "http://127.0.0.1:7474",
                   "--neo4j-password", PASSWORD])
    assert_one_clear_error(res, "is not a Bolt URI", "neo4j://HOST:7687")


@pytest.mark.bolt
def test_wrong_password_is_one_sentence_and_never_shown(bolt, tiny_dir, caplog):
    caplog.set_level(logging.DEBUG)
    # the test server refuses every non-empty password; a real Neo4j refuses this one
    res = run_cli(["load", str(tiny_dir), "--neo4j", "--neo4j-uri", bolt.uri, "--neo4j-user", bolt.user,
                   "--neo4j-password", PASSWORD])
    assert_one_clear_error(res, f"user '{bolt.user}'", "NEO4J_PASSWORD")
    assert PASSWORD not in caplog.text
    # the environment variable path as well
    res = CliRunner().invoke(cli, ["summary", "--neo4j"],
                             env={"NEO4J_URI": bolt.uri, "NEO4J_USERNAME": bolt.user, "NEO4J_PASSWORD": PASSWORD})
    assert_one_clear_error(res, "NEO4J_USERNAME and NEO4J_PASSWORD")
    # the server still serves the right credentials afterwards
    assert store.detect_server(bolt) is not None


@pytest.mark.bolt
def test_unknown_database_is_one_sentence(bolt, tiny_dir, monkeypatch):
    name = "no_such_db_4711"
    if external_settings() is None:
        # The test server has a single graph and accepts any database name, so
        # the server's answer is reproduced: Neo4j's DatabaseNotFound failure.
        # The failure is raised where the driver would raise it: inside netmap's first transaction.
        from neo4j.exceptions import Neo4jError

        def not_found(tx, query, params, **kwargs):
            raise Neo4jError._hydrate_neo4j(code="Neo.ClientError.Database.DatabaseNotFound",
                                            message=f"Database does not exist. Database name: '{name}'.")

        monkeypatch.setattr(connection, "fetch", not_found)
    res = run_cli(["load", str(tiny_dir), "--neo4j", "--neo4j-uri", bolt.uri, "--neo4j-user", bolt.user,
                   "--neo4j-password", bolt.password, "--neo4j-database", name])
    assert_one_clear_error(res, f"has no database '{name}'", "NEO4J_DATABASE")


def test_missing_password_without_a_terminal_is_a_usage_error(tiny_dir):
    res = CliRunner().invoke(cli, ["load", str(tiny_dir), "--neo4j", "--neo4j-uri", "bolt://127.0.0.1:1"],
                             env={"NEO4J_PASSWORD": None})
    assert res.exit_code == 2 and "NEO4J_PASSWORD" in res.output


def test_missing_uri_is_a_usage_error(tiny_dir):
    res = CliRunner().invoke(cli, ["load", str(tiny_dir), "--neo4j"], env={"NEO4J_URI": None})
    assert res.exit_code == 2 and "NEO4J_URI" in res.output


def test_password_prompt_hides_the_input(tiny_dir, monkeypatch):
    from netmap.cli import options

    uri = f"bolt://127.0.0.1:{closed_port()}"
    monkeypatch.setattr(options, "_can_prompt", lambda: True)
    res = CliRunner().invoke(cli, ["summary", "--neo4j", "--neo4j-uri", uri], input=PASSWORD + "\n",
                             env={"NEO4J_PASSWORD": None})
    assert "Neo4j password" in res.output
    assert_one_clear_error(res, "cannot reach")


# ------------------------------------------------------------------ the server dies mid-load


def counts(settings) -> tuple[int, int]:
    with driver(settings) as d, d.session() as s:
        n = s.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        r = s.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
    return int(n), int(r)


@pytest.mark.bolt
def test_server_killed_mid_load_then_reload_gives_exact_counts(bolt_server, tmp_path):
    net = netmap.read_network(_synth_dir(tmp_path, 2000, 400))
    s = bolt_server.settings
    written = []

    def kill_halfway(n):
        written.append(n)
        if sum(written) > 2500 and bolt_server.alive():
            bolt_server.save()       # what it holds so far survives the crash
            bolt_server.kill()       # SIGKILL, in the middle of the ties

    with no_hang(60), pytest.raises(StoreError) as err:
        store.load_into_neo4j(net, s, progress=kill_halfway)
    msg = str(err.value)
    assert "lost the connection" in msg and "re-run" in msg
    assert not bolt_server.alive()

    bolt_server.start()              # same directory and ports
    partial_nodes, partial_rels = counts(s)
    partial_ties = partial_rels - _links_present(s)
    # expected, from the data: organisations + distinct capabilities + distinct markets;
    # ties + one link per (organisation, capability) and (organisation, market)
    want_nodes = net.n_nodes + len(net.capabilities) + len(net.markets)
    want_rels = net.n_edges + int(net.nodes["capabilities"].map(len).sum()) + int(net.nodes["markets"].map(len).sum())
    assert 0 < partial_rels < want_rels  # the restart found a half-loaded graph

    report = store.load_into_neo4j(net, s)
    assert counts(s) == (want_nodes, want_rels)
    t = report.table.set_index("item")
    assert t.loc["ties", "added"] == net.n_edges - partial_ties
    with driver(s) as d, d.session() as sess:
        dup = sess.run("MATCH (a:Organization)-[r]->(b:Organization) "
                       "WITH a.id AS s, b.id AS t, type(r) AS ty, r.category AS c, count(*) AS k "
                       "WHERE k > 1 RETURN count(*) AS n").single()["n"]
    assert dup == 0
    back = store.read_from_neo4j(s)
    assert back.n_nodes == net.n_nodes and back.n_edges == net.n_edges


@pytest.mark.bolt
def test_cli_reports_a_server_that_dies_mid_load(bolt_server, tmp_path, monkeypatch):
    data = _synth_dir(tmp_path, 600, 150)
    s = bolt_server.settings
    real_write = connection.Connection.write_many
    calls = []

    def write_then_die(self, batches):
        # the load writes in transactions of many statements; the server dies before the second one
        calls.append(len(batches))
        if len(calls) == 2:
            bolt_server.kill()
        return real_write(self, batches)

    monkeypatch.setattr(connection.Connection, "write_many", write_then_die)
    with no_hang(60):
        res = CliRunner().invoke(cli, ["load", str(data), "--neo4j", "--neo4j-uri", s.uri, "--neo4j-password", ""],
                                 env={"NETMAP_NEO4J_TIMEOUT": "3"})
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    assert "Error: lost the connection to the Neo4j server at " + s.uri in res.output
    assert len(calls) == 2 and calls[0] > 1  # it died mid-load, after a transaction of several statements


def _links_present(settings) -> int:
    with driver(settings) as d, d.session() as s:
        return int(s.run("MATCH (:Organization)-[l]->(x) WHERE x:Capability OR x:Market "
                         "RETURN count(l) AS n").single()["n"])


def _synth_dir(tmp_path, n_ties, n_orgs):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "synth.py"
    spec = importlib.util.spec_from_file_location("_netmap_bench_synth", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.write(tmp_path / "data", n_ties, n_orgs)


# ------------------------------------------------------------------ a password inside the URI


URI_SECRET = "uri-Secret-0815"


def test_a_password_in_the_uri_is_taken_out_of_it():
    s = store.Neo4jSettings(f"bolt://admin:{URI_SECRET}@db.example.com:7687", timeout=3)
    assert (s.uri, s.user, s.password) == ("bolt://db.example.com:7687", "admin", URI_SECRET)
    assert URI_SECRET not in repr(s) and URI_SECRET not in s.location()
    # percent-encoded characters are decoded; a password given separately wins over the URI's
    t = store.Neo4jSettings("neo4j://u:p%40ss%3Aword@h:7687", password="given")
    assert (t.uri, t.user, t.password) == ("neo4j://h:7687", "u", "given")
    assert store.Neo4jSettings("neo4j://u:p%40ss%3Aword@h:7687").password == "p@ss:word"


@pytest.mark.parametrize("uri", [
    "bolt://neo4j:{secret}@127.0.0.1:{port}",      # nothing listens there
    "http://neo4j:{secret}@127.0.0.1:{port}",      # not a Bolt URI
    "neo4j:{secret}@127.0.0.1:{port}",             # no scheme at all
])
def test_a_password_in_the_uri_is_never_shown(uri, tiny_dir, caplog):
    caplog.set_level(logging.DEBUG)
    uri = uri.format(secret=URI_SECRET, port=closed_port())
    with no_hang(60):
        res = CliRunner().invoke(cli, ["load", str(tiny_dir), "--neo4j", "--neo4j-uri", uri,
                                       "--neo4j-password", "another-one"])
    assert res.exit_code == 1, res.output
    assert URI_SECRET not in res.output and URI_SECRET not in caplog.text
    errors = [ln for ln in res.output.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1 and "127.0.0.1" in errors[0], res.output


@pytest.mark.bolt
def test_a_password_in_the_uri_is_used_and_never_shown(bolt, tiny_dir, caplog):
    from urllib.parse import quote, urlsplit

    caplog.set_level(logging.DEBUG)
    host = urlsplit(bolt.uri)
    wrong = f"{host.scheme}://{bolt.user}:{URI_SECRET}@{host.netloc}"
    res = CliRunner().invoke(cli, ["load", str(tiny_dir), "--neo4j", "--neo4j-uri", wrong],
                             env={"NEO4J_PASSWORD": None, "NEO4J_USERNAME": None})
    assert res.exit_code == 1
    assert f"the Neo4j server at {bolt.uri}" in res.output and f"user '{bolt.user}'" in res.output
    assert "NEO4J_PASSWORD" in res.output
    assert URI_SECRET not in res.output and URI_SECRET not in caplog.text
    # the right credentials inside the URI load, and the report names the server without them
    right = f"{host.scheme}://{quote(bolt.user)}:{quote(bolt.password, safe='')}@{host.netloc}"
    res = CliRunner().invoke(cli, ["load", str(tiny_dir), "--neo4j", "--neo4j-uri", right, "--format", "json"],
                             env={"NEO4J_PASSWORD": None, "NEO4J_USERNAME": None})
    assert res.exit_code == 0, res.output
    import json

    meta = json.loads(res.stdout)["meta"]
    assert meta["neo4j_uri"] == bolt.uri and meta["neo4j_user"] == bolt.user
    if bolt.password:  # a real Neo4j: its password is in the URI and never printed or logged
        assert bolt.password not in res.output and bolt.password not in caplog.text


# ------------------------------------------------------------------ a server that stops answering


@pytest.mark.bolt
def test_a_server_that_stops_answering_mid_load_is_reported_within_the_timeout(bolt_server, tmp_path, monkeypatch):
    import os
    import time

    data = _synth_dir(tmp_path, 600, 150)
    s = bolt_server.settings
    real_write = connection.Connection.write_many
    calls, stopped = [], []

    def write_then_freeze(self, batches):
        calls.append(len(batches))
        if len(calls) == 2:
            os.kill(bolt_server.proc.pid, signal.SIGSTOP)   # the process stays, but answers nothing
            stopped.append(time.monotonic())
        return real_write(self, batches)

    monkeypatch.setattr(connection.Connection, "write_many", write_then_freeze)
    try:
        with no_hang(60):
            res = CliRunner().invoke(cli, ["load", str(data), "--neo4j", "--neo4j-uri", s.uri,
                                           "--neo4j-password", ""], env={"NETMAP_NEO4J_TIMEOUT": "5"})
        waited = time.monotonic() - stopped[0]
        assert_stalled(res, "while loading")
        assert 5 <= waited < 5 + 4, waited  # the timeout, plus a margin to close the connection

        # a server that is stopped before netmap connects: bounded too (the handshake, tried twice)
        started = time.monotonic()
        with no_hang(60):
            res = CliRunner().invoke(cli, ["summary", "--neo4j", "--neo4j-uri", s.uri, "--neo4j-password", ""],
                                     env={"NETMAP_NEO4J_TIMEOUT": "3"})
        assert res.exit_code == 1 and "Traceback" not in res.output, res.output
        assert len([ln for ln in res.output.splitlines() if ln.startswith("Error:")]) == 1, res.output
        assert time.monotonic() - started < 2 * 3 + 5  # two handshakes, and closing
    finally:
        os.kill(bolt_server.proc.pid, signal.SIGCONT)
    monkeypatch.undo()
    # once it answers again, a load completes what the frozen one began (its marker is taken over)
    net = netmap.read_network(data)
    report = store.load_into_neo4j(net, s)
    assert store.load_marker(s) is None
    t = report.table.set_index("item")
    assert t.loc["organisations", "in_database"] == net.n_nodes and t.loc["ties", "in_database"] == net.n_edges
    back = store.read_from_neo4j(s)
    assert back.n_nodes == net.n_nodes and back.n_edges == net.n_edges


def assert_stalled(res, doing):
    out = res.output
    assert res.exit_code == 1, out
    assert "Traceback" not in out
    errors = [ln for ln in out.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1, out
    assert "stopped answering " + doing in errors[0] and "nothing came back for 5 seconds" in errors[0], errors[0]
    assert "NETMAP_NEO4J_TIMEOUT" in errors[0]


# ------------------------------------------------------------------ one load at a time


def cli_neo4j(settings):
    return ["--neo4j", "--neo4j-uri", settings.uri, "--neo4j-user", settings.user,
            "--neo4j-password", settings.password] + (["--neo4j-database", settings.database]
                                                       if settings.database else [])


def tie_count(settings) -> int:
    with driver(settings) as d, d.session() as s:
        return int(s.run("MATCH (:Organization)-[r]->(:Organization) WHERE NOT type(r) IN $links "
                         "RETURN count(r) AS n", links=["HAS_CAPABILITY", "SERVES_MARKET"]).single()["n"])


@pytest.mark.bolt
def test_a_load_running_keeps_other_loads_reads_and_write_backs_out(bolt, tmp_path, tiny_dir):
    import os
    import socket as _socket

    import pandas as pd

    data = _synth_dir(tmp_path, 1500, 300)
    net = netmap.read_network(data)
    tiny = netmap.read_network(tiny_dir)
    seen = {}

    def meanwhile(n):
        if seen:
            return
        # the first transaction is written: everything below happens during the load
        with pytest.raises(StoreError) as other:
            store.load_into_neo4j(tiny, bolt)
        seen["load"] = str(other.value)
        with pytest.raises(StoreError) as read:
            store.read_from_neo4j(bolt)
        seen["read"] = str(read.value)
        with pytest.raises(StoreError) as back:
            store.write_scores(bolt, pd.DataFrame({"id": ["F0"], "x": [1.0]}), {"x": "x"})
        seen["write"] = str(back.value)
        seen["summary"] = CliRunner().invoke(cli, ["summary", *cli_neo4j(bolt)])
        seen["marker"] = store.load_marker(bolt)

    report = store.load_into_neo4j(net, bolt, progress=meanwhile)
    me = f"by {seen['marker'].user} on {_socket.gethostname()} (process {os.getpid()}, loading {data})"
    assert seen["marker"].started in seen["load"] and me in seen["load"]
    assert "is being loaded by another netmap load" in seen["load"] and "is still running" in seen["load"]
    for what in ("read", "write"):
        assert "holds the marker of a netmap load started" in seen[what] and me in seen[what], seen[what]
    assert "does not read it" in seen["read"] and "does not write results into it" in seen["write"]
    res = seen["summary"]
    assert res.exit_code == 1 and "holds the marker of a netmap load" in res.output
    assert "netmap load --neo4j --clear-marker" in res.output
    # the refused load wrote nothing: the database holds the one network, once, and no marker
    assert store.load_marker(bolt) is None
    assert report.table.set_index("item").loc["ties", "in_database"] == net.n_edges == tie_count(bolt)
    assert counts(bolt)[0] == net.n_nodes + len(net.capabilities) + len(net.markets)
    from_files = CliRunner().invoke(cli, ["summary", str(data)])
    from_neo4j = CliRunner().invoke(cli, ["summary", *cli_neo4j(bolt)])
    assert from_neo4j.exit_code == 0, from_neo4j.output
    strip = lambda s: [ln for ln in s.splitlines() if not ln.startswith("Network:")]  # noqa: E731
    assert strip(from_neo4j.stdout) == strip(from_files.stdout)


@pytest.mark.bolt
def test_two_load_processes_at_once_never_double_a_tie(bolt, tmp_path):
    import subprocess
    import sys

    data = _synth_dir(tmp_path, 2000, 400)
    net = netmap.read_network(data)
    cmd = [sys.executable, "-c", "from netmap.cli import main; main()", "load", str(data), *cli_neo4j(bolt)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    codes = [p.returncode for p in procs]
    assert 0 in codes, outs
    for code, (_, err) in zip(codes, outs):
        assert code in (0, 1) and "Traceback" not in err, err
        if code == 1:  # the second one waited for nothing and wrote nothing: it names the first
            assert "is being loaded by another netmap load, started" in err and "--clear-marker" in err, err
    assert tie_count(bolt) == net.n_edges
    assert store.load_marker(bolt) is None
    back = store.read_from_neo4j(bolt)
    assert back.n_edges == net.n_edges and back.edges["value"].sum() == pytest.approx(net.edges["value"].sum())


@pytest.mark.bolt
def test_a_marker_left_elsewhere_is_named_and_cleared_on_request(bolt, tiny_dir):
    from bolt_server import wipe

    wipe(bolt)
    assert CliRunner().invoke(cli, ["load", str(tiny_dir), *cli_neo4j(bolt)]).exit_code == 0
    with driver(bolt) as d, d.session() as s:
        s.run("CREATE (:NetmapLoad {lock: $lock, token: $t, host: $h, pid: 4242, user: $u, started: $when, "
              "source: $src})", lock="load", t="elsewhere", h="build-server-9", u="ana",
              when="2025-01-02 03:04:05 UTC", src="exports/2025-01").consume()
    who = "started 2025-01-02 03:04:05 UTC by ana on build-server-9 (process 4242, loading exports/2025-01)"
    res = CliRunner().invoke(cli, ["load", str(tiny_dir), *cli_neo4j(bolt)])
    assert_one_clear_error(res, "is being loaded by another netmap load, " + who,
                           "netmap load --neo4j --clear-marker")
    res = CliRunner().invoke(cli, ["summary", *cli_neo4j(bolt)])
    assert_one_clear_error(res, "holds the marker of a netmap load " + who, "does not read it")
    res = CliRunner().invoke(cli, ["centrality", *cli_neo4j(bolt), "--write-back"])
    assert_one_clear_error(res, "holds the marker of a netmap load " + who)
    cleared = CliRunner().invoke(cli, ["load", "--neo4j", "--clear-marker", *cli_neo4j(bolt)[1:]])
    assert cleared.exit_code == 0, cleared.output
    assert "Cleared the marker of a netmap load " + who in cleared.stderr
    again = CliRunner().invoke(cli, ["load", "--neo4j", "--clear-marker", *cli_neo4j(bolt)[1:]])
    assert again.exit_code == 0 and "holds no load marker" in again.stderr
    assert CliRunner().invoke(cli, ["summary", *cli_neo4j(bolt)]).exit_code == 0


@pytest.mark.bolt
def test_a_marker_whose_process_is_gone_is_taken_over_with_a_warning(bolt, tiny, caplog):
    import socket as _socket
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(gone.stdout)  # a process of this computer that has ended
    with driver(bolt) as d, d.session() as s:
        s.run("CREATE (:NetmapLoad {lock: $lock, token: $t, host: $h, pid: $pid, user: $u, started: $when})",
              lock="load", t="dead", h=_socket.gethostname(), pid=pid, u="ana",
              when="2025-01-02 03:04:05 UTC").consume()
    with pytest.raises(StoreError, match=f"process {pid} no longer runs on this computer"):
        store.read_from_neo4j(bolt)
    caplog.set_level(logging.WARNING, logger="netmap.store")
    store.load_into_neo4j(tiny, bolt)
    assert store.load_marker(bolt) is None
    msgs = [r.getMessage() for r in caplog.records if r.name == "netmap.store"]
    assert any(f"did not finish (process {pid} no longer runs on this computer)" in m
               and "this load takes its place" in m for m in msgs), msgs
    assert store.read_from_neo4j(bolt).n_edges == tiny.n_edges
