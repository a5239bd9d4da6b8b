"""Weighted link prediction and brokerage gain: by hand on the tiny network, against networkx
on random graphs (all strengths 1), against a brute-force weighted implementation, and the
Burt constraint against networkx.constraint."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netmap
from netmap.analysis.linkpred import ego_scores, hops_from, link_scores, strength_graph

DAY = "2024-01-01"  # D1-C2 ended 2020-12-31; every other tiny tie is active on this day

# Tie strengths of the tiny network (mean of the qualities present):
#   F1-S1 (.9+.8+.9+.8)/4 = .85   F1-S2 (.6+.5)/2 = .55      F1-S3 (.7+.7+.8+.6)/4 = .70
#   F1-D1 (.8+.9+.8+.9)/4 = .85   F1-D2 (.6+.6+.7+.5)/4 = .60  F1-C1 .90   F1-R1 (.8+.7+.6+.9)/4 = .75
#   T1-S1 (.8+.6+.7+.7)/4 = .70   T1-S2 .50   D1-C1 (.7+.8+.6+.7)/4 = .70   D2-C2 (.6+.5+.6+.5)/4 = .55
#   R1-S3 (.4+.6)/2 = .50         S2-S3 default .50
# s(F1) = .85+.55+.70+.85+.60+.90+.75 = 5.20


def _random_network(n: int, p: float, seed: int, strengths=None) -> tuple[netmap.Network, nx.Graph]:
    """A random undirected graph as a Network (mixed tie types, some parallel ties) and as networkx."""
    g = nx.gnp_random_graph(n, p, seed=seed)
    rng = np.random.default_rng(seed)
    ids = [f"N{i:02d}" for i in range(n)]
    nodes = pd.DataFrame({"id": ids, "name": ids, "roles": [("firm",)] * n})
    rows = []
    for u, v in g.edges():
        w = 1.0 if strengths is None else float(strengths(rng))
        a, b = (u, v) if rng.random() < 0.5 else (v, u)  # direction must not matter
        typ = ["SUPPLIES", "SELLS_TO", "PARTNERS_WITH"][int(rng.integers(0, 3))]
        rows.append({"source": ids[a], "target": ids[b], "type": typ, "trust": w})
        g[u][v]["weight"] = w
        if rng.random() < 0.2:  # a weaker parallel tie: the pair keeps the strongest
            rows.append({"source": ids[b], "target": ids[a], "type": "PARTNERS_WITH", "trust": w / 2})
    edges = pd.DataFrame(rows, columns=["source", "target", "type", "trust"])
    return netmap.Network(nodes, edges), nx.relabel_nodes(g, dict(enumerate(ids)))


def test_tiny_measures_by_hand(tiny):
    res = link_scores(tiny, "F1", as_of=DAY)
    assert res.meta["focal"] == "F1" and res.meta["as_of"] == DAY
    df = res.table.set_index("id")
    assert sorted(df.index) == ["C2", "T1"]
    t1, c2 = df.loc["T1"], df.loc["C2"]
    # T1 shares S1 (F1-S1 .85, S1-T1 .70) and S2 (F1-S2 .55, S2-T1 .50)
    assert t1["shared_partners"] == 2
    assert t1["common_neighbours"] == pytest.approx(0.85 * 0.70 + 0.55 * 0.50)  # .595 + .275 = .87
    # k(S1) = 2 (F1, T1), k(S2) = 3 (F1, T1, S3)
    assert t1["adamic_adar"] == pytest.approx(0.595 / math.log(2) + 0.275 / math.log(3))  # 1.10872
    assert t1["resource_allocation"] == pytest.approx(0.595 / 2 + 0.275 / 3)  # .389167
    # Σ min = min(.85,.70) + min(.55,.50) = 1.2; Σ max = s(F1) + s(T1) - Σ min = 5.2 + 1.2 - 1.2
    assert t1["jaccard"] == pytest.approx(1.2 / 5.2)
    # C2 shares D2 only (F1-D2 .60, D2-C2 .55); k(D2) = 2
    assert c2["shared_partners"] == 1
    assert c2["common_neighbours"] == pytest.approx(0.33)
    assert c2["adamic_adar"] == pytest.approx(0.33 / math.log(2))
    assert c2["resource_allocation"] == pytest.approx(0.33 / 2)
    assert c2["jaccard"] == pytest.approx(0.55 / (5.2 + 0.55 - 0.55))
    # ranked by Adamic-Adar
    assert df.index.tolist() == ["T1", "C2"]


def test_tiny_ended_tie_counts_on_its_dates(tiny):
    # on 2020-06-01 D1-C2 is active, S2-F1 (since 2021-06) and F1-R1 (since 2022) are not
    df = link_scores(tiny, "F1", as_of="2020-06-01").table.set_index("id")
    assert sorted(df.index) == ["C2", "R1", "S2", "T1"]
    # C2 now shares D1 (.85, D1-C2 .50) and D2 (.60, .55); k(D1) = 3 (F1, C1, C2), k(D2) = 2
    assert df.loc["C2", "shared_partners"] == 2
    assert df.loc["C2", "adamic_adar"] == pytest.approx(0.85 * 0.5 / math.log(3) + 0.6 * 0.55 / math.log(2))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_unweighted_measures_match_networkx(seed):
    net, g = _random_network(28, 0.15, seed)
    sg = strength_graph(net)
    ids = list(sg.ids)
    for f in ids[:6]:
        es = ego_scores(sg, ids.index(f))
        pairs = [(f, c) for c in ids if c != f and not g.has_edge(f, c)]
        cn = {(u, v): len(list(nx.common_neighbors(g, u, v))) for u, v in pairs}
        aa = {(u, v): p for u, v, p in nx.adamic_adar_index(g, pairs)}
        ra = {(u, v): p for u, v, p in nx.resource_allocation_index(g, pairs)}
        jc = {(u, v): p for u, v, p in nx.jaccard_coefficient(g, pairs)}
        for u, v in pairs:
            i = ids.index(v)
            assert es.shared_partners[i] == cn[(u, v)]
            assert es.common_neighbours[i] == pytest.approx(cn[(u, v)])
            assert es.adamic_adar[i] == pytest.approx(aa[(u, v)])
            assert es.resource_allocation[i] == pytest.approx(ra[(u, v)])
            assert es.jaccard[i] == pytest.approx(jc[(u, v)])


def _brute_weighted(g: nx.Graph, f, c) -> dict:
    """The weighted formulas of netmap.analysis.linkpred, straight from their definitions."""
    w = lambda x, y: g[x][y]["weight"] if g.has_edge(x, y) else 0.0  # noqa: E731
    common = set(g[f]) & set(g[c])
    union = set(g[f]) | set(g[c])
    cn = sum(w(f, z) * w(z, c) for z in common)
    aa = sum(w(f, z) * w(z, c) / math.log(g.degree(z)) for z in common)
    ra = sum(w(f, z) * w(z, c) / g.degree(z) for z in common)
    num = sum(min(w(f, z), w(c, z)) for z in union)
    den = sum(max(w(f, z), w(c, z)) for z in union)
    return {"cn": cn, "aa": aa, "ra": ra, "jac": num / den if den else 0.0}


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_weighted_measures_match_brute_force(seed):
    net, g = _random_network(25, 0.2, seed, strengths=lambda r: round(r.uniform(0.1, 1.0), 2))
    sg = strength_graph(net)
    ids = list(sg.ids)
    for f in ids[:5]:
        es = ego_scores(sg, ids.index(f))
        for c in ids:
            if c == f or g.has_edge(f, c):
                continue
            want = _brute_weighted(g, f, c)
            i = ids.index(c)
            assert es.common_neighbours[i] == pytest.approx(want["cn"])
            assert es.adamic_adar[i] == pytest.approx(want["aa"])
            assert es.resource_allocation[i] == pytest.approx(want["ra"])
            assert es.jaccard[i] == pytest.approx(want["jac"])


def test_parallel_ties_keep_the_strongest():
    nodes = pd.DataFrame({"id": ["A", "B", "C"], "name": ["A", "B", "C"], "roles": [("firm",)] * 3})
    edges = pd.DataFrame({
        "source": ["A", "B", "B"], "target": ["B", "A", "C"],
        "type": ["SUPPLIES", "PARTNERS_WITH", "SELLS_TO"], "trust": [0.2, 0.8, 0.5],
    })
    sg = strength_graph(netmap.Network(nodes, edges))
    # A-B read both ways, merged: max(.2, .8) = .8; B has 2 partners, strength .8 + .5
    assert sg.adjacency[[0]][:, [1]].toarray()[0, 0] == pytest.approx(0.8)
    assert sg.degree.tolist() == [1, 2, 1]
    assert sg.strength.tolist() == pytest.approx([0.8, 1.3, 0.5])
    es = ego_scores(sg, 0)
    assert es.common_neighbours[2] == pytest.approx(0.8 * 0.5)


@pytest.mark.parametrize("seed", [21, 22, 23, 24])
def test_brokerage_gain_matches_networkx_constraint(seed):
    net, g = _random_network(22, 0.2, seed, strengths=lambda r: round(r.uniform(0.1, 1.0), 2))
    sg = strength_graph(net)
    ids = list(sg.ids)
    for f in ids[:4]:
        if g.degree(f) == 0:
            continue
        es = ego_scores(sg, ids.index(f), new_strength=0.6)
        before = nx.constraint(g, [f], weight="weight")[f]
        assert es.constraint == pytest.approx(before)
        for c in ids:
            if c == f or g.has_edge(f, c) or g.degree(c) == 0:
                continue
            h = g.copy()
            h.add_edge(f, c, weight=0.6)
            after = nx.constraint(h, [f], weight="weight")[f]
            assert es.constraint_after[ids.index(c)] == pytest.approx(after)
            assert es.brokerage_gain[ids.index(c)] == pytest.approx(before - after)


def test_tiny_brokerage_gain_against_networkx(tiny):
    net = tiny.active(DAY)
    g = net.to_networkx(directed=False)
    sg = strength_graph(net)
    ids = list(sg.ids)
    # default new-tie strength: median of F1's ties (.55 .60 .70 .75 .85 .85 .90) = .75
    es = ego_scores(sg, ids.index("F1"))
    assert es.new_strength == pytest.approx(0.75)
    before = nx.constraint(g, ["F1"], weight="strength")["F1"]
    for c in ("T1", "C2"):
        h = g.copy()
        h.add_edge("F1", c, strength=0.75)
        want = before - nx.constraint(h, ["F1"], weight="strength")["F1"]
        assert es.brokerage_gain[ids.index(c)] == pytest.approx(want)


@pytest.mark.parametrize("seed", [31, 32])
def test_hops_match_networkx(seed):
    net, g = _random_network(40, 0.06, seed)
    sg = strength_graph(net)
    ids = list(sg.ids)
    for f in ids[:5]:
        want = nx.single_source_shortest_path_length(g, f, cutoff=3)
        got = hops_from(sg, ids.index(f), 3)
        assert {ids[i]: int(d) for i, d in enumerate(got) if d >= 0} == want


def test_focal_without_partners():
    nodes = pd.DataFrame({"id": ["A", "B", "C"], "name": ["A", "B", "C"], "roles": [("firm",)] * 3})
    edges = pd.DataFrame({"source": ["B"], "target": ["C"], "type": ["SUPPLIES"]})
    es = ego_scores(strength_graph(netmap.Network(nodes, edges)), 0)
    assert es.shared_partners.tolist() == [0, 0, 0]
    assert math.isnan(es.constraint)
