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

        def not_found(tx, query, params):
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
