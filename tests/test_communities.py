"""Communities: Louvain partitions checked by hand, by networkx's modularity and against networkx's Louvain."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from netmap.analysis.communities import communities
from netmap.cli import cli
from netmap.engine.community import modularity
from netmap.errors import ArgumentError, NodeNotFound
from netmap.network import Network


def network_from_graph(g, value=None, roles=None, countries=None):
    ids = [f"N{i}" for i in sorted(g)]
    n = len(ids)
    nodes = pd.DataFrame({"id": ids, "name": [f"Org {i}" for i in sorted(g)],
                          "roles": roles or ["supplier"] * n, "country": countries or [""] * n})
    e = list(g.edges)
    edges = pd.DataFrame({"source": [f"N{a}" for a, _ in e], "target": [f"N{b}" for _, b in e],
                          "type": ["PARTNERS_WITH"] * len(e),
                          "value": [value(a, b) if value else np.nan for a, b in e]})
    return Network(nodes, edges)


def two_cliques():
    # two 4-cliques {0..3} and {4..7} joined by the tie 3-4
    g = nx.Graph()
    g.add_edges_from((a, b) for a in range(4) for b in range(a + 1, 4))
    g.add_edges_from((a, b) for a in range(4, 8) for b in range(a + 1, 8))
    g.add_edge(3, 4)
    return g


def test_two_cliques_by_hand():
    g = two_cliques()
    net = network_from_graph(g, value=lambda a, b: 10.0 if (a, b) != (3, 4) else 1.0,
                             roles=["supplier"] * 3 + ["firm"] + ["customer"] * 4,
                             countries=["DE"] * 4 + ["FR", "FR", "FR", "JP"])
    res = communities(net, weight=None)
    m = res.members.set_index("id")
    assert m.loc[[f"N{i}" for i in range(4)], "community"].nunique() == 1
    assert m.loc[[f"N{i}" for i in range(4, 8)], "community"].nunique() == 1
    assert m.loc["N0", "community"] != m.loc["N7", "community"]
    # equal sizes: numbered by smallest member id, N0's community first
    assert m.loc["N0", "community"] == 1
    # unweighted modularity: m = 13 ties; each side 6 inside, degree sum 3*4 + 1 = 13
    # Q = 2 * (6/13 - (13/26)^2) = 12/13 - 1/2
    assert res.modularity == pytest.approx(12 / 13 - 0.5)
    s = res.summary.set_index("community")
    assert s["size"].tolist() == [4, 4]
    # tie value: 6 ties of 10 inside each clique, the bridge (value 1) across
    assert s.loc[1, ["internal_ties", "external_ties"]].tolist() == [6, 1]
    assert s.loc[1, ["internal_value", "external_value"]].tolist() == [60.0, 1.0]
    assert s.loc[1, "internal_share"] == pytest.approx(60 / 61)
    assert s.loc[1, "dominant_roles"] == "supplier 3; firm 1"
    assert s.loc[2, "countries"] == "FR 3; JP 1"
    # N3 and N4 have the bridge: 3 partners inside, 1 outside, external value 1
    assert m.loc["N3", ["partners_inside", "partners_outside", "external_value"]].tolist() == [3, 1, 1.0]
    # top members by PageRank: in each clique the bridge end is the most central
    assert s.loc[1, "top_members"].split("; ")[0] == "Org 3"
    assert m.loc["N3", "rank_in_community"] == 1


@pytest.mark.parametrize("seed", range(4))
def test_modularity_matches_networkx_and_louvain(seed):
    g = nx.planted_partition_graph(4, 12, 0.5, 0.04, seed=seed)
    rng = np.random.default_rng(seed)
    vals = {e: float(rng.integers(1, 10)) for e in g.edges}
    net = network_from_graph(g, value=lambda a, b: vals[(a, b)])
    res = communities(net, seed=seed)
    ug = net.to_networkx(directed=False)
    parts = [set(grp["id"]) for _, grp in res.members.groupby("community")]
    # what we report is the modularity of the partition we return
    assert res.modularity == pytest.approx(nx.community.modularity(ug, parts, weight="value"), abs=1e-12)
    # and it is as good as networkx's Louvain on the same graph
    best_nx = max(
        nx.community.modularity(ug, nx.community.louvain_communities(ug, weight="value", seed=s), weight="value")
        for s in range(3)
    )
    assert res.modularity >= best_nx - 0.02


@pytest.mark.parametrize("resolution", [0.5, 2.0])
def test_modularity_kernel_with_resolution(resolution):
    g = nx.gnp_random_graph(40, 0.1, seed=2)
    net = network_from_graph(g)
    a = net.adjacency(directed=False)
    labels = np.arange(40) % 5
    parts = [{f"N{i}" for i in range(40) if labels[i] == c} for c in range(5)]
    ref = nx.community.modularity(net.to_networkx(directed=False), parts, resolution=resolution)
    assert modularity(a, labels, resolution=resolution) == pytest.approx(ref, abs=1e-12)


def test_deterministic_with_seed():
    g = nx.gnp_random_graph(300, 0.02, seed=5)
    net = network_from_graph(g)
    a = communities(net, seed=11, weight=None)
    b = communities(net, seed=11, weight=None)
    pd.testing.assert_frame_equal(a.members, b.members)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    assert a.modularity == b.modularity and a.meta["seed"] == 11


def test_resolution_changes_granularity():
    g = nx.planted_partition_graph(6, 10, 0.6, 0.05, seed=1)
    net = network_from_graph(g)
    coarse = communities(net, resolution=0.2, weight=None)
    fine = communities(net, resolution=3.0, weight=None)
    assert len(coarse.summary) < len(fine.summary)
    assert fine.meta["resolution"] == 3.0 and "modularity_at_resolution" in fine.meta


def test_tiny_and_isolated(tiny):
    res = communities(tiny)
    # one result shape: the summary is the main table, the members a named one
    assert list(res) == ["summary", "members"] and res.table is res.summary and res["members"] is res.members
    with pytest.raises(NodeNotFound):
        res.community_of("NOPE")
    assert res.summary["size"].sum() == 10
    assert res.summary["size"].is_monotonic_decreasing
    assert res.summary.loc[res.summary["focal"] == "F1", "community"].tolist() == [res.community_of("F1")]


def test_organisations_without_ties_are_left_out_and_counted():
    # Z and Y have no tie: they are in no community (not two singleton communities), and the meta says so
    nodes = pd.DataFrame({"id": ["A", "B", "Z", "Y"], "name": ["A", "B", "Z", "Y"], "roles": ["firm"] * 4})
    edges = pd.DataFrame({"source": ["A"], "target": ["B"], "type": ["SUPPLIES"], "value": [5.0]})
    r = communities(Network(nodes, edges))
    assert r.summary["size"].tolist() == [2] and r.summary["share"].tolist() == [1.0]
    assert r.meta["communities"] == 1 and r.meta["singletons"] == 0 and r.meta["without_ties"] == 2
    assert r.meta["left_out"].startswith("2 organisations have no tie and are in no community")
    assert sorted(r.members["id"]) == ["A", "B"]
    with pytest.raises(NodeNotFound, match="no tie"):
        r.community_of("Z")
    # an organisation whose only tie is inactive on the date is left out the same way
    tiny_2024 = Network(
        pd.DataFrame({"id": ["A", "B", "C"], "name": list("ABC"), "roles": ["firm"] * 3}),
        pd.DataFrame({"source": ["A", "B"], "target": ["B", "C"], "type": ["SUPPLIES"] * 2, "value": [1.0, 2.0],
                      "until": [None, "2020-01-01"]})).active("2024-01-01")
    assert communities(tiny_2024).meta["without_ties"] == 1


@pytest.mark.parametrize("resolution", [0, -1, float("nan"), "big"])
def test_bad_resolution(tiny, resolution):
    with pytest.raises(ArgumentError) as e:
        communities(tiny, resolution=resolution)
    assert e.value.param == "resolution"


def test_cli_communities(tiny_dir):
    r = CliRunner().invoke(cli, ["communities", str(tiny_dir), "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert sum(row["size"] for row in out["rows"]) == 10
    assert out["meta"]["seed"] == 0 and "modularity" in out["meta"]
    r = CliRunner().invoke(cli, ["communities", str(tiny_dir), "--members", "--community", "1", "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0].startswith("id,name,roles,country,community")
    r = CliRunner().invoke(cli, ["communities", str(tiny_dir), "--members", "--community", "99"])
    assert r.exit_code == 1 and "no community 99" in r.output
    r = CliRunner().invoke(cli, ["communities", str(tiny_dir), "--resolution", "0"])
    assert r.exit_code == 2


def test_ties_without_value_are_reported():
    # A-B carries a value, C-D does not: under the value weight C and D have no weight at all
    nodes = pd.DataFrame({"id": list("ABCD"), "name": list("ABCD"), "roles": ["firm"] * 4})
    edges = pd.DataFrame({"source": ["A", "C"], "target": ["B", "D"], "type": ["SUPPLIES"] * 2,
                          "value": [5.0, np.nan]})
    net = Network(nodes, edges)
    r = communities(net)
    assert r.meta["weightless"].startswith("2 organisations have ties but none with a positive value")
    assert "--" not in r.meta["weightless"]  # a library message names no command-line option
    assert r.summary["size"].tolist() == [2, 1, 1]
    # counting every tie, C and D are one community
    assert communities(net, weight=None).summary["size"].tolist() == [2, 2]
    assert "weightless" not in communities(net, weight=None).meta


# ------------------------------------------------------------ row order and the seed
TINY_SHUFFLED = ["S2", "C2", "D2", "T1", "F1", "S3", "S1", "R1", "C1", "D1"]


def _reordered(net, ids, edge_order):
    nodes = net.nodes.set_index("id").loc[ids].reset_index()
    return Network(nodes, net.edges.iloc[edge_order].reset_index(drop=True))


def test_row_order_of_the_organisations_does_not_change_the_communities(tiny):
    net = tiny.active("2024-01-01")
    ref = communities(net)
    moved = communities(_reordered(net, TINY_SHUFFLED, np.arange(net.n_edges)[::-1]))
    pd.testing.assert_frame_equal(moved.members, ref.members)
    pd.testing.assert_frame_equal(moved.summary, ref.summary)
    assert moved.modularity == ref.modularity and moved.meta == ref.meta
    parts = sorted(sorted(grp["id"]) for _, grp in ref.members.groupby("community"))
    assert parts == [["C1", "D1"], ["C2", "D2"], ["F1", "R1", "S1", "S2", "S3", "T1"]]
    # the modularity of that partition, by networkx
    ug = net.to_networkx(directed=False)
    assert ref.modularity == pytest.approx(nx.community.modularity(ug, parts, weight="value"), abs=1e-12)
    assert round(ref.modularity, 3) == 0.204


def test_seed_reaches_networkx_best_of_five():
    # a random network where one Louvain run in the organisations' own order is stuck at 0.1807
    g = nx.gnm_random_graph(300, 3000, seed=7)
    net = network_from_graph(g)
    ug = net.to_networkx(directed=False)
    best_nx = max(nx.community.modularity(ug, nx.community.louvain_communities(ug, seed=s)) for s in range(5))
    ours = [communities(net, weight=None, seed=s) for s in range(3)]
    for r in ours:
        parts = [set(grp["id"]) for _, grp in r.members.groupby("community")]
        assert r.modularity == pytest.approx(nx.community.modularity(ug, parts), abs=1e-12)
        assert r.modularity >= best_nx
        assert r.meta["runs"].startswith("best modularity of 20 runs")
    # and the seed matters: different seeds explore different orders
    assert len({round(r.modularity, 9) for r in ours}) > 1


def test_runs_keep_the_best_and_are_checked():
    g = nx.gnm_random_graph(200, 1500, seed=3)
    net = network_from_graph(g)
    one = communities(net, weight=None, runs=1)
    many = communities(net, weight=None, runs=8)
    assert many.modularity >= one.modularity and many.meta["runs"].startswith("best modularity of 8 runs")
    for bad in ({"runs": 0}, {"seed": -1}):
        with pytest.raises(ArgumentError) as e:
            communities(net, **bad)
        assert e.value.param == next(iter(bad))
