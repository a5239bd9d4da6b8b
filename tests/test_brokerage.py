"""Brokerage: Burt's constraint and effective size by hand on the tiny network, vs networkx and igraph."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import sparse

from netmap.analysis.brokerage import brokerage, burt_constraint
from netmap.cli import cli
from netmap.engine.brokerage import burt
from netmap.errors import ArgumentError, NodeNotFound
from netmap.network import Network

TYPES = ["SUPPLIES", "SELLS_THROUGH", "SELLS_TO", "COLLABORATES_WITH", "PARTNERS_WITH"]


def random_network(seed, n=40, m=120, missing=0.15):
    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    ids = [f"N{i}" for i in range(n)]
    values = np.round(rng.lognormal(3, 1, len(src)))
    values[rng.random(len(src)) < missing] = np.nan
    nodes = pd.DataFrame({"id": ids, "name": ids, "roles": list(rng.choice(["firm", "supplier", "customer"], n))})
    edges = pd.DataFrame({"source": [ids[i] for i in src], "target": [ids[i] for i in dst],
                          "type": list(rng.choice(TYPES, len(src))), "value": values})
    return Network(nodes, edges)


# ------------------------------------------------------------ by hand
def test_tiny_unweighted_by_hand(tiny):
    df = burt_constraint(tiny, ["F1", "T1"], weight=None).table.set_index("id")
    # F1 has 7 partners (S1 S2 S3 D1 D2 C1 R1), p = 1/7 each. Ties among them: S2-S3, R1-S3, D1-C1.
    # Partner degrees: S2 3, S3 3, D1 3, C1 2, R1 2.  (p_ij + sum_q p_iq p_qj)^2 per partner j:
    #   S1, D2: (1/7)^2 = 36/1764 each
    #   S2 (via S3): (1/7 + 1/7*1/3)^2 = (4/21)^2 = 64/1764;  C1 (via D1), R1 (via S3): 64/1764 each
    #   S3 (via S2 and R1): (1/7 + 1/21 + 1/14)^2 = (11/42)^2 = 121/1764
    #   D1 (via C1): (1/7 + 1/14)^2 = (3/14)^2 = 81/1764
    # sum = (72 + 192 + 121 + 81) / 1764 = 466/1764
    assert df.loc["F1", "constraint"] == pytest.approx(466 / 1764)
    # effective size: 7 partners - 2 * 3 ties among them / 7 = 43/7; efficiency 43/49
    assert df.loc["F1", "effective_size"] == pytest.approx(43 / 7)
    assert df.loc["F1", "efficiency"] == pytest.approx(43 / 49)
    assert df.loc["F1", "top_contact"] == "S3"
    assert df.loc["F1", "top_contact_share"] == pytest.approx(121 / 466)
    # T1: partners S1 and S2, not tied to each other: 2 * (1/2)^2 = 0.5; effective size 2
    assert df.loc["T1", ["constraint", "effective_size", "efficiency"]].tolist() == pytest.approx([0.5, 2, 1])


def test_tiny_weighted_by_hand(tiny):
    df = burt_constraint(tiny, ["T1"], weight="value").table.set_index("id")
    # T1 supplies S1 150,000 and S2 50,000: p = 0.75, 0.25, no tie between them
    # constraint 0.75^2 + 0.25^2 = 0.625; effective size 2 (no redundancy)
    assert df.loc["T1", "constraint"] == pytest.approx(0.625)
    assert df.loc["T1", "effective_size"] == pytest.approx(2.0)
    assert df.loc["T1", "top_contact"] == "S1"
    assert df.loc["T1", "top_contact_share"] == pytest.approx(0.5625 / 0.625)


# ------------------------------------------------------------ vs networkx / igraph
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("weight", ["value", "strength", None])
def test_against_networkx(seed, weight):
    net = random_network(seed)
    df = burt_constraint(net, weight=weight).table.set_index("id")
    g = net.to_networkx(directed=False)
    # networkx's node-by-node definition (with nodes given), where a tie of weight 0 is still a tie
    c = nx.constraint(g, nodes=list(g), weight=weight)
    e = nx.effective_size(g, nodes=list(g), weight=weight)
    strength = {i: g.degree(i, weight=weight) for i in g}
    for i in net.ids:
        if strength[i] == 0:  # no tie, or only ties without a value: undefined here
            assert np.isnan(df.loc[i, "constraint"]) and np.isnan(df.loc[i, "effective_size"])
            continue
        assert df.loc[i, "constraint"] == pytest.approx(c[i], abs=1e-12)
        assert df.loc[i, "effective_size"] == pytest.approx(e[i], abs=1e-12)
        assert df.loc[i, "degree"] == g.degree(i)


@pytest.mark.parametrize("seed", range(3))
def test_constraint_against_igraph(seed):
    ig = pytest.importorskip("igraph")
    net = random_network(seed + 20, n=50, m=150, missing=0.0)
    p = net.pairs(directed=False)
    g = ig.Graph(n=net.n_nodes, edges=list(zip(p["u"], p["v"])), directed=False)
    g.es["w"] = p["value"].tolist()
    ref = np.array(g.constraint(weights="w"))
    got = burt_constraint(net, weight="value").table.set_index("id").loc[net.ids, "constraint"].to_numpy()
    has = ~np.isnan(got)
    np.testing.assert_allclose(got[has], ref[has], atol=1e-12)


def test_batches_give_the_same_result():
    net = random_network(3, n=80, m=400)
    a = net.adjacency(directed=False, weight="value")
    whole = burt(a)
    tiny_batches = burt(a, batch_nnz=1)
    for x, y in zip(whole, tiny_batches):
        np.testing.assert_array_equal(x, y)
    # a chosen subset, in a chosen order, equals the same rows of the whole
    egos = np.array([5, 2, 70])
    sub = burt(a, egos)
    np.testing.assert_allclose(sub[0], whole[0][egos])
    np.testing.assert_allclose(sub[1], whole[1][egos])


def test_kernel_on_explicit_matrix():
    # triangle 0-1-2 plus pendant 3 on 0, unweighted.
    # node 0: partners 1, 2, 3 (p = 1/3); 1-2 tied; deg(1) = deg(2) = 2
    #   j=1: (1/3 + 1/3 * 1/2)^2 = 1/4, j=2 likewise 1/4, j=3: (1/3)^2 = 1/9 -> 11/18
    #   effective size 3 - 2*1/3 = 7/3
    r = [0, 1, 0, 2, 1, 2, 0, 3]
    c = [1, 0, 2, 0, 2, 1, 3, 0]
    a = sparse.csr_array((np.ones(8), (r, c)), shape=(4, 4))
    cons, eff, top, share = burt(a, np.array([0, 3]))
    assert cons == pytest.approx([11 / 18, 1.0])
    assert eff == pytest.approx([7 / 3, 1.0])
    assert top.tolist() == [1, 0]


# ------------------------------------------------------------ table, filters, errors
def test_brokerage_table(tiny):
    res = brokerage(tiny, weight=None)
    df = res.table
    assert df["constraint"].is_monotonic_increasing
    assert df.iloc[0]["id"] == "F1" and df.iloc[0]["rank_constraint"] == 1
    assert df.iloc[0]["top_contact_name"] == "ChipFab"
    assert {"id", "name", "roles", "degree", "constraint", "effective_size", "efficiency",
            "rank_constraint", "rank_effective_size", "rank_efficiency"} <= set(df.columns)
    sup = brokerage(tiny, roles="supplier", sort="effective_size", top=2).table
    assert len(sup) == 2 and all("supplier" in r for r in sup["roles"])
    assert sup["effective_size"].is_monotonic_decreasing
    assert res.meta["view"] == "undirected" and list(res) == ["brokerage"]


def test_isolated_organisation_is_nan_and_last():
    nodes = pd.DataFrame({"id": ["A", "B", "C", "Z"], "name": list("ABCZ"), "roles": ["firm"] * 4})
    edges = pd.DataFrame({"source": ["A", "A"], "target": ["B", "C"], "type": ["SUPPLIES"] * 2})
    df = brokerage(Network(nodes, edges), weight=None).table
    assert df.iloc[-1]["id"] == "Z" and np.isnan(df.iloc[-1]["constraint"])
    assert df.iloc[-1]["rank_constraint"] == 4


def test_unknown_id_and_bad_options(tiny):
    with pytest.raises(NodeNotFound, match="'XX'"):
        brokerage(tiny, ["F1", "XX"])
    for kwargs in ({"sort": "fame"}, {"weight": "price"}, {"top": 0}, {"roles": "pirate"}):
        with pytest.raises(ArgumentError) as e:
            brokerage(tiny, **kwargs)
        assert e.value.param == next(iter(kwargs)) and "--" not in str(e.value)


def test_cli_brokerage(tiny_dir):
    r = CliRunner().invoke(cli, ["brokerage", str(tiny_dir), "--all-ties", "--id", "T1", "--id", "F1",
                                 "--weight", "none", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    rows = {row["id"]: row for row in out["rows"]}
    assert rows["T1"]["constraint"] == pytest.approx(0.5)
    assert rows["F1"]["constraint"] == pytest.approx(466 / 1764)
    assert out["meta"]["weight"].startswith("none")
    r = CliRunner().invoke(cli, ["brokerage", str(tiny_dir), "--id", "NOPE"])
    assert r.exit_code == 1 and "NOPE" in r.output and "Traceback" not in r.output


def test_hub_with_many_partners_is_fast_and_exact():
    # a hub tied to n partners that form a ring: every triangle is hub - i - i+1. By hand (unweighted):
    # hub: p = 1/n to each partner, each partner shares two partners with it (p = 1/3 on their side):
    #   (1/n + 2 * 1/n * 1/3)^2 * n = 25 / (9n)
    # ring node: p = 1/3 to the hub and its two ring neighbours;
    #   hub term (1/3 + 2 * 1/3 * 1/3)^2 = 25/81, each neighbour (1/3 + 1/3 * 1/n)^2
    # effective size: hub n - 2n/n = n - 2; ring node 3 - 2*2/3 = 5/3
    # Sums over each ego's two-step products cost n^2 here (the hub is every ring node's partner);
    # the triangles are only n.
    import time

    n = 40_000
    u = np.concatenate([np.full(n, n), np.arange(n)])
    v = np.concatenate([np.arange(n), (np.arange(n) + 1) % n])
    a = sparse.coo_array((np.ones(2 * n), (u, v)), shape=(n + 1, n + 1)).tocsr()
    a = a + a.T
    t = time.process_time()
    cons, eff, top, share = burt(a)
    assert time.process_time() - t < 5.0
    assert cons[n] == pytest.approx(25 / (9 * n), rel=1e-12)
    assert cons[:n] == pytest.approx(np.full(n, 25 / 81 + 2 * (1 / 3 + 1 / (3 * n)) ** 2), rel=1e-12)
    assert eff[n] == pytest.approx(n - 2) and eff[:n] == pytest.approx(np.full(n, 5 / 3))
    assert top[:n].tolist() == [n] * n and top[n] == 0  # the hub; equal terms: the lowest position
    assert share[n] == pytest.approx(1 / n)


def test_triangles_and_products_agree_with_a_tie_to_itself():
    # the engine takes any symmetric matrix: with a diagonal entry it keeps the sums of the two-step products
    rng = np.random.default_rng(5)
    m = (rng.random((30, 30)) < 0.2) * rng.integers(1, 9, (30, 30))
    m = np.triu(m, 1)
    a = sparse.csr_array((m + m.T).astype(float))
    whole = burt(a)
    looped = a.tolil()
    looped[3, 3] = 0.0  # an explicit zero on the diagonal: a tie to itself of weight 0
    got = burt(looped.tocsr())
    for x, y in zip(whole, got):
        np.testing.assert_allclose(x, y, rtol=1e-12)
