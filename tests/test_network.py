"""The Network model: derived strength, symmetric ties, graph views, filters."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netmap
from netmap.errors import NetmapError, NodeNotFound


def test_strength_is_the_mean_of_present_qualities(tiny):
    s = tiny.edges.set_index(["source", "target"])["strength"]
    assert s[("S1", "F1")] == pytest.approx((0.9 + 0.8 + 0.9 + 0.8) / 4)  # 0.85
    assert s[("S2", "F1")] == pytest.approx((0.6 + 0.5) / 2)  # only trust and communication
    assert s[("R1", "S3")] == pytest.approx((0.4 + 0.6) / 2)
    # S2-S3 records no quality: the documented default
    assert s[("S2", "S3")] == pytest.approx(0.5)


def test_strength_weights_and_default_are_configurable(tiny_dir):
    net = netmap.read_network(tiny_dir, strength_weights={"trust": 3, "communication": 1}, default_strength=0.2)
    s = net.edges.set_index(["source", "target"])["strength"]
    # (3*0.9 + 0.8 + 0.9 + 0.8) / (3+1+1+1)
    assert s[("S1", "F1")] == pytest.approx((2.7 + 0.8 + 0.9 + 0.8) / 6)
    # (3*0.6 + 0.5) / 4
    assert s[("S2", "F1")] == pytest.approx(2.3 / 4)
    assert s[("S2", "S3")] == pytest.approx(0.2)


def test_bad_strength_settings():
    with pytest.raises(NetmapError, match="unknown relationship quality 'loyalty'"):
        netmap.relationship_strength(pd.DataFrame({"trust": [1.0]}), {"loyalty": 1})
    with pytest.raises(NetmapError, match=">= 0"):
        netmap.relationship_strength(pd.DataFrame({"trust": [1.0]}), {"trust": -1})
    with pytest.raises(NetmapError, match="between 0 and 1"):
        netmap.relationship_strength(pd.DataFrame({"trust": [1.0]}), None, default=2)


def test_symmetric_ties_are_stored_once_and_read_both_ways(tiny):
    assert len(tiny.edges) == 14
    assert tiny.edges["symmetric"].sum() == 3
    g = tiny.to_networkx(directed=True)
    # 11 directed ties + 3 symmetric ties read both ways
    assert g.number_of_edges() == 11 + 2 * 3
    assert g.has_edge("R1", "F1") and g.has_edge("F1", "R1")
    assert g.has_edge("S1", "F1") and not g.has_edge("F1", "S1")
    assert tiny.neighbors("S3", "out") == ["F1", "R1", "S2"]
    assert tiny.neighbors("S3", "in") == ["R1", "S2"]
    assert tiny.neighbors("F1", "in") == ["R1", "S1", "S2", "S3"]


def test_parallel_ties_are_aggregated_in_pairs(tmp_path):
    d = tmp_path / "n"
    d.mkdir()
    (d / "organizations.csv").write_text("id,name,roles\nA,A,firm\nB,B,supplier\n")
    (d / "relationships.csv").write_text(
        "source,target,type,value,category,trust\n"
        "B,A,SUPPLIES,10,steel,0.2\nB,A,SUPPLIES,5,copper,0.9\nA,B,PARTNERS_WITH,,,\n"
    )
    net = netmap.read_network(d)
    p = net.pairs(directed=False)
    assert len(p) == 1
    row = p.iloc[0]
    assert (row["value"], row["strength"], row["ties"], row["types"]) == (15.0, 0.9, 3, "PARTNERS_WITH;SUPPLIES")
    g = net.to_networkx(directed=True)
    assert g["B"]["A"]["value"] == 15.0 and g["A"]["B"]["types"] == "PARTNERS_WITH"
    mg = net.to_networkx(directed=True, multigraph=True)
    assert mg.number_of_edges() == 4  # two supplies, the alliance both ways


def test_adjacency_matches_networkx(sample):
    a = sample.adjacency(directed=False, weight="value").toarray()
    g = sample.to_networkx(directed=False)
    b = nx.to_numpy_array(g, nodelist=sample.ids, weight="value")
    assert np.allclose(a, b)


def test_active_drops_ended_and_future_ties(tiny):
    # D1-C2 ended on 2020-12-31; F1-R1 starts 2022-01-01
    assert len(tiny.active("2021-06-01").edges) == 12
    on_2020 = tiny.active("2020-06-01")
    pairs = set(zip(on_2020.edges["source"], on_2020.edges["target"]))
    assert ("D1", "C2") in pairs and ("S2", "F1") not in pairs and ("F1", "R1") not in pairs
    assert len(tiny.active("2030-01-01").edges) == 13
    with pytest.raises(NetmapError, match="not a date"):
        tiny.active("soon")


def test_focal_resolution(tiny):
    assert tiny.resolve_focal() == "F1"
    assert tiny.resolve_focal("D1") == "D1"
    with pytest.raises(NodeNotFound, match="'X9'"):
        tiny.resolve_focal("X9")


def test_roles_capabilities_markets(tiny):
    assert tiny.with_role("supplier") == ["S1", "S2", "S3", "T1"]
    assert tiny.holders(capability="steel") == ["S1", "S2"]
    assert tiny.holders(capability="STEEL") == ["S1", "S2"]
    assert tiny.holders(market="JP") == ["D2", "C2"]
    with pytest.raises(NetmapError, match="did you mean 'steel'"):
        tiny.holders(capability="steal")


def test_subnetwork_and_without(tiny):
    sub = tiny.without(["F1"])
    assert sub.n_nodes == 9
    assert not ((sub.edges["source"] == "F1") | (sub.edges["target"] == "F1")).any()
    # ties not touching F1: T1-S1, T1-S2, D1-C1, D2-C2, R1-S3, S2-S3, D1-C2
    assert sub.n_edges == 7
