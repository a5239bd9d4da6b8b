"""GraphML / GEXF export, read back with networkx."""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from netmap.cli import cli


@pytest.mark.parametrize("suffix,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_round_trip(tiny_dir, tmp_path, suffix, reader):
    out = tmp_path / f"net.{suffix}"
    res = CliRunner().invoke(cli, ["export", str(tiny_dir), "-o", str(out)])
    assert res.exit_code == 0, res.output
    g = reader(out)
    assert g.number_of_nodes() == 10
    assert g.number_of_edges() == 14  # one edge per tie; symmetric ties once
    assert g.nodes["F1"]["name"] == "Acme Manufacturing"
    assert g.nodes["D1"]["markets"] == "DE;FR"
    data = [d for u, v, d in g.edges(data=True) if (u, v) == ("S1", "F1")]
    assert len(data) == 1
    assert float(data[0]["value"]) == 400000.0
    assert float(data[0]["strength"]) == pytest.approx(0.85)  # (0.9+0.8+0.9+0.8)/4


def test_export_as_of_drops_ended_ties(tiny_dir, tmp_path):
    out = tmp_path / "n.graphml"
    res = CliRunner().invoke(cli, ["export", str(tiny_dir), "-o", str(out), "--as-of", "2021-06-01"])
    assert res.exit_code == 0, res.output
    # D1-C2 ended 2020-12-31, F1-R1 starts 2022-01-01
    assert nx.read_graphml(out).number_of_edges() == 12


def test_export_unknown_format(tiny_dir, tmp_path):
    res = CliRunner().invoke(cli, ["export", str(tiny_dir), "-o", str(tmp_path / "n.dot")])
    assert res.exit_code == 1
    assert "use a .graphml or .gexf file" in res.output
