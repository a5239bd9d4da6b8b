"""Shared fixtures: the hand-checkable tiny network and helpers to write malformed data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import netmap

# The Bolt test server (FalkorDB) or NETMAP_TEST_NEO4J_URI: fixtures bolt, bolt_settings, bolt_server.
pytest_plugins = ["bolt_server"]

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "sample_data" / "tiny"
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="session")
def tiny_dir() -> Path:
    """The tiny network's data directory (read-only; copy it before changing it)."""
    return TINY


@pytest.fixture(scope="session")
def tiny() -> netmap.Network:
    """The tiny network (10 organisations, 14 ties) -- see sample_data/README.md."""
    return netmap.read_network(TINY)


@pytest.fixture(scope="session")
def sample() -> netmap.Network:
    """The sample network in sample_data/."""
    return netmap.read_network(SAMPLE)


@pytest.fixture
def evil_dir(tiny_copy) -> Path:
    """A copy of the tiny network with hostile names and properties (see tests/hostile.py)."""
    from hostile import make_hostile

    return make_hostile(tiny_copy)


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A writable copy of the tiny network's directory."""
    dst = tmp_path / "tiny"
    shutil.copytree(TINY, dst)
    return dst
