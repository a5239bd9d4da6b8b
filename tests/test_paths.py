"""Resource-access paths: hand-derived paths, the tiny network, and brute force over all simple paths."""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netmap
from netmap import Network
from netmap.analysis.paths import access_table, best_paths, gatekeepers
from netmap.cli import cli
from netmap.errors import NetmapError, NodeNotFound

DAY = "2024-06-30"


def make(ties, orgs=None, caps=None, markets=None):
    """A Network from (source, target, type, strength, value[, since, until]) tuples."""
    ids = orgs or sorted({t[0] for t in ties} | {t[1] for t in ties})
    caps = caps or {}
    markets = markets or {}
    nodes = pd.DataFrame({
        "id": ids, "name": [f"Org {i}" for i in ids], "roles": ["firm"] * len(ids),
        "focal": [i == ids[0] for i in ids],
        "capabilities": [tuple(caps.get(i, ())) for i in ids],
        "markets": [tuple(markets.get(i, ())) for i in ids],
    })
    rows = []
    for t in ties:
        s, d, typ, strength, value = t[:5]
        since, until = (t[5], t[6]) if len(t) > 5 else (None, None)
        rows.append({"source": s, "target": d, "type": typ, "trust": strength,
                     "value": np.nan if value is None else value, "since": since, "until": until})
    return Network(nodes, pd.DataFrame(rows, columns=["source", "target", "type", "trust", "value", "since", "until"]))


P = "PARTNERS_WITH"
S = "SUPPLIES"


# --------------------------------------------------------------- hand-derived
@pytest.fixture
def diamond():
    # A - B (0.9), B - D (0.5)      -> product 0.45, 2 hops
    # A - C (0.6), C - D (0.8)      -> product 0.48, 2 hops   (best by strength)
    # A - D (0.4)                    -> product 0.40, 1 hop   (best by hops)
    # values: A-B 100, B-D 100 (bottleneck 100); A-C 50, C-D 500 (50); A-D 10 (10)
    return make([("A", "B", P, 0.9, 100), ("B", "D", P, 0.5, 100), ("A", "C", P, 0.6, 50),
                 ("C", "D", P, 0.8, 500), ("A", "D", P, 0.4, 10)])


def test_strength_order_by_hand(diamond):
    df = best_paths(diamond, "A", to="D", k=5, as_of=DAY).table
    assert df["path"].tolist() == ["A > C > D", "A > B > D", "A > D"]
    assert df["score"].tolist() == pytest.approx([0.6 * 0.8, 0.9 * 0.5, 0.4])
    assert df["hops"].tolist() == [2, 2, 1]
    # weakest tie of A > C > D is A-C at 0.6; the first intermediary is C
    assert df.loc[0, "weakest_tie"] == "A - C PARTNERS_WITH"
    assert df.loc[0, "weakest_strength"] == pytest.approx(0.6)
    assert df.loc[0, "first_intermediary"] == "C"
    assert df.loc[2, "first_intermediary"] == ""  # a direct partner needs no introduction
    assert df.loc[0, "nodes"] == ("A", "C", "D")


def test_hops_and_value_order_by_hand(diamond):
    hops = best_paths(diamond, "A", to="D", k=3, by="hops", as_of=DAY).table
    # 1 hop first; then the two 2-hop paths by ids: (A,B,D) < (A,C,D)
    assert hops["path"].tolist() == ["A > D", "A > B > D", "A > C > D"]
    assert hops["score"].tolist() == [1, 2, 2]
    value = best_paths(diamond, "A", to="D", k=3, by="value", as_of=DAY).table
    # bottlenecks: A-B-D min(100, 100)=100; A-C-D min(50, 500)=50; A-D 10
    assert value["path"].tolist() == ["A > B > D", "A > C > D", "A > D"]
    assert value["score"].tolist() == [100, 50, 10]
    assert value.loc[1, "weakest_tie"] == "A - C PARTNERS_WITH"


def test_equal_scores_tie_break():
    # two paths of product 0.25 and 2 hops each: A-B-D and A-C-D, plus a 3-hop path of
    # product 0.5*0.5*1.0 = 0.25 via C-E-D: equal score, more hops -> last.
    net = make([("A", "C", P, 0.5, None), ("C", "D", P, 0.5, None), ("A", "B", P, 0.5, None),
                ("B", "D", P, 0.5, None), ("C", "E", P, 0.5, None), ("E", "D", P, 1.0, None)])
    df = best_paths(net, "A", to="D", k=3, as_of=DAY).table
    assert df["score"].tolist() == pytest.approx([0.25, 0.25, 0.25])
    assert df["path"].tolist() == ["A > B > D", "A > C > D", "A > C > E > D"]
    # k=1 keeps the first in that order, whatever the input order
    assert best_paths(net, "A", to="D", k=1, as_of=DAY).table["path"].tolist() == ["A > B > D"]


def test_unreachable_target_gives_no_row_and_says_why():
    net = make([("A", "B", P, 0.5, None), ("C", "D", P, 0.5, None)])
    res = best_paths(net, "A", to="D", as_of=DAY)
    assert res.table.empty
    assert "not connected" in res.meta["note"]


def test_direct_partner_target(diamond):
    df = best_paths(diamond, "A", to="B", k=1, as_of=DAY).table
    assert df["path"].tolist() == ["A > B"]
    assert df.loc[0, "hops"] == 1 and df.loc[0, "score"] == pytest.approx(0.9)
    acc = access_table(make([("A", "B", P, 0.9, None)], caps={"B": ["x"]}), "A", capability="x", as_of=DAY).table
    assert acc.loc[0, "reason"] == "direct partner"


def test_max_hops_cut_off(diamond):
    df = best_paths(diamond, "A", to="D", k=3, max_hops=1, as_of=DAY).table
    assert df["path"].tolist() == ["A > D"]
    # a longer, stronger path is not taken within the limit
    net = make([("A", "B", P, 1.0, None), ("B", "C", P, 1.0, None), ("C", "D", P, 1.0, None),
                ("A", "E", P, 0.1, None), ("E", "D", P, 0.1, None)])
    assert best_paths(net, "A", to="D", k=1, as_of=DAY).table["path"].tolist() == ["A > B > C > D"]
    assert best_paths(net, "A", to="D", k=1, max_hops=2, as_of=DAY).table["path"].tolist() == ["A > E > D"]
    assert best_paths(net, "A", to="D", max_hops=1, as_of=DAY).table.empty
    acc = access_table(make([("A", "B", P, 1.0, None), ("B", "C", P, 1.0, None)], caps={"C": ["x"]}),
                       "A", capability="x", max_hops=1, as_of=DAY).table
    assert not acc.loc[0, "reachable"]
    assert acc.loc[0, "reason"] == "no path within 1 hops (the shortest has 2)"


def test_inactive_ties_left_out():
    # the strong path A-B-C ended in 2020; only the weak direct tie remains in 2024
    net = make([("A", "B", P, 1.0, None, None, "2020-12-31"), ("B", "C", P, 1.0, None),
                ("A", "C", P, 0.2, None), ("A", "D", P, 0.9, None, "2030-01-01", None)])
    assert best_paths(net, "A", to="C", k=3, as_of=DAY).table["path"].tolist() == ["A > C"]
    assert best_paths(net, "A", to="C", k=1, as_of="2019-01-01").table["path"].tolist() == ["A > B > C"]
    # a tie that starts in the future is not a channel yet
    res = best_paths(net, "A", to="D", as_of=DAY)
    assert res.table.empty and "only through ended or future ties" in res.meta["note"]
    assert res.meta["inactive_ties_left_out"] == 2


def test_directed_vs_undirected():
    # X supplies A, A supplies Y; B partners (symmetric) with A
    net = make([("X", "A", S, 0.8, None), ("A", "Y", S, 0.8, None), ("B", "A", P, 0.5, None)],
               orgs=["A", "B", "X", "Y"])
    assert best_paths(net, "A", to="X", as_of=DAY).table["tie_types"].tolist() == ["SUPPLIES (upstream)"]
    d = best_paths(net, "A", to="X", directed=True, as_of=DAY)
    assert d.table.empty and "flow direction" in d.meta["note"]
    assert best_paths(net, "A", to="Y", directed=True, as_of=DAY).table["path"].tolist() == ["A > Y"]
    # symmetric ties are read both ways even when directed
    assert best_paths(net, "A", to="B", directed=True, as_of=DAY).table["path"].tolist() == ["A > B"]
    assert best_paths(net, "X", to="Y", directed=True, as_of=DAY).table["path"].tolist() == ["X > A > Y"]


def test_parallel_ties_use_the_best_and_report_its_type():
    net = make([("A", "B", S, 0.3, 900), ("A", "B", P, 0.7, 5)])
    df = best_paths(net, "A", to="B", as_of=DAY).table
    assert df.loc[0, "tie_types"] == "PARTNERS_WITH" and df.loc[0, "score"] == pytest.approx(0.7)
    # the step carries the pair's business: 900 + 5, whichever tie stands for it
    assert df.loc[0, "min_value"] == 905
    dv = best_paths(net, "A", to="B", by="value", as_of=DAY).table
    assert dv.loc[0, "tie_types"] == "SUPPLIES" and dv.loc[0, "score"] == 905


def test_parallel_ties_of_equal_strength_prefer_the_flow_and_sum_the_pair():
    # F SUPPLIES A (value 10) and F PARTNERS_WITH A (no value), both of strength 0.5
    supplies, partners = ("F", "A", S, 0.5, 10), ("F", "A", P, 0.5, None)
    for ties in ([supplies, partners], [partners, supplies]):
        net = make(ties, orgs=["F", "A"])
        df = best_paths(net, "F", to="A", as_of=DAY).table
        # read from F, the SUPPLIES tie runs along the flow: it beats the symmetric tie
        assert df.loc[0, "tie_types"] == "SUPPLIES" and df.loc[0, "min_value"] == 10
        # read from A, SUPPLIES would run against the flow: the symmetric tie stands for the pair,
        # whose business is still 10
        back = best_paths(net, "A", to="F", as_of=DAY).table
        assert back.loc[0, "tie_types"] == "PARTNERS_WITH" and back.loc[0, "min_value"] == 10
    # two PARTNERS_WITH ties of one pair, in either row order: the same step, worth 250 + 0
    one, other = ("F", "A", P, 0.5, 250), ("A", "F", P, 0.5, None)
    for ties in ([one, other], [other, one]):
        df = best_paths(make(ties, orgs=["F", "A"]), "F", to="A", as_of=DAY).table
        assert df.loc[0, "min_value"] == 250 and df.loc[0, "tie_types"] == "PARTNERS_WITH"


def test_directed_paths_sum_only_the_ties_they_can_use():
    # F SUPPLIES A (10) and A SUPPLIES F (7): both ways 17; following the flow from F only the 10
    net = make([("F", "A", S, 0.5, 10), ("A", "F", S, 0.9, 7)], orgs=["F", "A"])
    df = best_paths(net, "F", to="A", as_of=DAY).table
    assert df.loc[0, "min_value"] == 17 and df.loc[0, "tie_types"] == "SUPPLIES (upstream)"  # the stronger tie
    d = best_paths(net, "F", to="A", directed=True, as_of=DAY).table
    assert d.loc[0, "min_value"] == 10 and d.loc[0, "tie_types"] == "SUPPLIES"
    assert d.loc[0, "score"] == pytest.approx(0.5)


# -------------------------------------------------------------- tiny network
def test_tiny_paths_to_ore_mining(tiny):
    # strengths (mean of the qualities): S1-F1 0.85, T1-S1 0.70, S2-F1 0.55, T1-S2 0.50,
    # S3-F1 0.70, S2-S3 0.50 (default), F1-R1 0.75, R1-S3 0.50
    df = best_paths(tiny, "F1", to="T1", k=5, as_of=DAY).table
    assert df["path"].tolist() == ["F1 > S1 > T1", "F1 > S2 > T1", "F1 > S3 > S2 > T1", "F1 > R1 > S3 > S2 > T1"]
    assert df["score"].tolist() == pytest.approx([0.85 * 0.70, 0.55 * 0.50, 0.70 * 0.5 * 0.5, 0.75 * 0.5 * 0.5 * 0.5])
    assert df.loc[0, "path_names"] == "Acme Manufacturing > Steelco > Ore Mining"


def test_tiny_access_and_gatekeepers(tiny):
    # market JP: D2 (F1 -> D2, 0.60) and C2 (F1 -> D2 -> C2, 0.60*0.55 = 0.33). The D1 -> C2
    # tie ended in 2020; in 2019 C2 is reached via D1: 0.85*0.50 = 0.425 > 0.33.
    acc = access_table(tiny, "F1", market="JP", as_of=DAY).table
    assert acc["id"].tolist() == ["D2", "C2"]
    assert acc["score"].tolist() == pytest.approx([0.60, 0.33])
    assert acc.loc[1, "first_intermediary"] == "D2"
    assert acc.loc[1, "reason"] == "introduced by AsiaChannel (D2)"
    old = access_table(tiny, "F1", market="JP", as_of="2019-06-30").table
    assert old["id"].tolist() == ["C2", "D2"]
    assert old.loc[0, "path"] == "F1 > D1 > C2"
    gk = gatekeepers(tiny, "F1", market="JP", as_of=DAY).table
    assert gk["id"].tolist() == ["D2"] and gk.loc[0, "holders"] == "C2" and gk.loc[0, "share"] == 0.5
    # from T1 every JP holder is reached through S1 and F1
    gk = gatekeepers(tiny, "T1", market="JP", as_of=DAY).table
    assert gk["id"].tolist()[:2] == ["S1", "F1"]
    assert gk.loc[0, "introducer_for"] == 2 and gk.loc[1, "paths"] == 2


def test_access_unreachable_listed_last_with_reason(tiny):
    acc = access_table(tiny, "C2", market="DE", directed=True, as_of=DAY).table
    assert not acc["reachable"].any()
    assert acc["reason"].str.contains("flow direction").all()
    # downstream from F1, steel is only reached through the symmetric research and alliance
    # ties F1 - R1 - S3 - S2; S1 only supplies F1 (against the flow)
    acc = access_table(tiny, "F1", capability="steel", directed=True, as_of=DAY).table
    assert acc["id"].tolist() == ["S2", "S1"] and acc["reachable"].tolist() == [True, False]
    assert acc.loc[0, "path"] == "F1 > R1 > S3 > S2" and acc.loc[0, "first_intermediary"] == "R1"
    assert "flow direction" in acc.loc[1, "reason"] and acc.loc[1, "rank"] == 2


def test_access_matches_best_path(sample):
    acc = access_table(sample, capability=sample.capabilities[0]).table
    for r in acc[acc["reachable"]].head(5).itertuples():
        one = best_paths(sample, to=r.id, k=1).table
        assert one.loc[0, "path"] == r.path


def test_focal_holding_it_is_excluded_and_noted(tiny):
    with pytest.raises(NetmapError, match="only holder"):
        best_paths(tiny, "F1", capability="design")
    acc = access_table(tiny, "D1", market="DE", as_of=DAY)
    assert acc.meta["focal_also_holds"] is True
    assert "D1" not in acc.table["id"].tolist() and acc.table["id"].tolist() == ["F1"]


# ------------------------------------------------------------------- errors
def test_errors(tiny):
    with pytest.raises(NodeNotFound, match="'ZZ'"):
        best_paths(tiny, "F1", to="ZZ")
    with pytest.raises(NodeNotFound):
        best_paths(tiny, "nobody", to="S1")
    with pytest.raises(NetmapError, match="focal organisation itself"):
        best_paths(tiny, "F1", to="F1")
    with pytest.raises(NetmapError, match="did you mean 'steel'"):
        access_table(tiny, "F1", capability="steal")
    with pytest.raises(NetmapError, match="unknown ranking"):
        best_paths(tiny, "F1", to="S1", by="cost")
    with pytest.raises(NetmapError, match="k must be"):
        best_paths(tiny, "F1", to="S1", k=0)
    with pytest.raises(NetmapError, match="max_hops"):
        access_table(tiny, "F1", capability="steel", max_hops=0)
    with pytest.raises(NetmapError, match="either"):
        best_paths(tiny, "F1", to="S1", capability="steel")
    with pytest.raises(NetmapError, match="say what to reach"):
        best_paths(tiny, "F1")
    with pytest.raises(NetmapError, match="not a date"):
        best_paths(tiny, "F1", to="S1", as_of="soon")
    # library messages name the parameter, never a command-line flag
    for call, param in ((lambda: best_paths(tiny, "F1", to="F1"), "to"),
                        (lambda: best_paths(tiny, "F1", to="S1", by="cost"), "by"),
                        (lambda: best_paths(tiny, "F1", to="S1", k=0), "k"),
                        (lambda: access_table(tiny, "F1", capability="steel", max_hops=0), "max_hops"),
                        (lambda: best_paths(tiny, "F1", to="ZZ"), "to")):
        with pytest.raises(NetmapError) as info:
            call()
        assert info.value.param == param and "--" not in str(info.value)


# -------------------------------------------------------- brute force (property)
def _brute(net: Network, s: str, t_set, by: str, directed: bool, max_hops):
    """Every simple path, scored and ordered by the documented key (networkx enumeration)."""
    g = nx.DiGraph()
    g.add_nodes_from(net.ids)
    for r in net.edges.itertuples():
        val = 0.0 if math.isnan(r.value) else r.value
        pairs = [(r.source, r.target)]
        if not directed or r.symmetric:
            pairs.append((r.target, r.source))
        for a, b in pairs:
            if a == b:
                continue
            old = g.get_edge_data(a, b)
            # the step's strength is its best tie's; its value is the pair's business, every usable tie summed
            best = (val, r.strength) if by == "value" else (r.strength,)
            if old is None:
                g.add_edge(a, b, k=best, s=r.strength, v=val)
            else:
                old["v"] += val
                if best > old["k"]:
                    old["k"], old["s"] = best, r.strength
    out = []
    for t in t_set:
        for p in nx.all_simple_paths(g, s, t, cutoff=max_hops):
            es = [g.edges[a, b] for a, b in zip(p[:-1], p[1:])]
            hops = len(es)
            if by == "strength":
                cost = round(math.fsum(-math.log(max(e["s"], 1e-6)) for e in es), 9)
                key = (cost, hops, tuple(p))
                score = math.prod(e["s"] for e in es)
            elif by == "hops":
                key, score = (hops, tuple(p)), hops
            else:
                score = min(e["v"] for e in es)
                key = (-score, hops, tuple(p))
            out.append((key, score, " > ".join(p)))
    out.sort()
    return out


_IDS = ["k", "b", "q", "a", "m", "c", "z"]


@st.composite
def random_networks(draw):
    n = draw(st.integers(3, 7))
    ids = _IDS[:n]
    pairs = [(a, b) for a in ids for b in ids if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=2, max_size=14))
    ties = []
    for a, b in chosen:
        ties.append((a, b, draw(st.sampled_from([S, P, "SELLS_TO"])),
                     draw(st.sampled_from([0.0, 0.25, 0.5, 0.8, 1.0])),
                     draw(st.sampled_from([None, 0, 10, 20, 30]))))
    caps = {i: ["x"] for i in ids[1:] if draw(st.booleans())}
    if not caps:
        caps = {ids[-1]: ["x"]}
    return make(ties, orgs=ids, caps=caps)


@settings(max_examples=100, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=random_networks(), by=st.sampled_from(["strength", "hops", "value"]), directed=st.booleans(),
       max_hops=st.sampled_from([None, 1, 2, 3]), k=st.integers(1, 6))
def test_k_best_match_brute_force(net, by, directed, max_hops, k):
    s, t = net.ids[0], net.ids[-1]
    got = best_paths(net, s, to=t, k=k, by=by, directed=directed, max_hops=max_hops, as_of=DAY).table
    want = _brute(net, s, [t], by, directed, max_hops)[:k]
    assert got["score"].tolist() == pytest.approx([w[1] for w in want])
    assert got["path"].tolist() == [w[2] for w in want]
    # paths to any holder of capability x (the focal organisation excluded)
    holders = [h for h in net.holders(capability="x") if h != s]
    got = best_paths(net, s, capability="x", k=k, by=by, directed=directed, max_hops=max_hops, as_of=DAY).table
    want = _brute(net, s, holders, by, directed, max_hops)[:k]
    assert got["path"].tolist() == [w[2] for w in want]
    # the access table's path to each holder is the brute-force best one
    acc = access_table(net, s, capability="x", by=by, directed=directed, max_hops=max_hops, as_of=DAY).table
    best_keys = {}
    for r in acc.itertuples():
        best = _brute(net, s, [r.id], by, directed, max_hops)
        if best:
            assert r.reachable and r.path == best[0][2] and r.score == pytest.approx(best[0][1])
            best_keys[r.id] = best[0][0]
        else:
            assert not r.reachable and r.path == ""
    # reachable holders ranked by their best path's key, unreachable ones last by id
    assert acc["id"].tolist() == sorted(best_keys, key=best_keys.get) + sorted(set(acc["id"]) - set(best_keys))
    # gatekeepers: organisations strictly inside those best paths, counted
    gk = gatekeepers(net, s, capability="x", by=by, directed=directed, max_hops=max_hops, as_of=DAY).table
    counts: dict[str, int] = {}
    for h in best_keys:
        for x in best_keys[h][-1][1:-1]:
            counts[x] = counts.get(x, 0) + 1
    assert dict(zip(gk["id"], gk["paths"])) == counts


# ------------------------------------------------- row order of the input (property)
def shuffled(net: Network, seed: int) -> Network:
    """The same network with the rows of both tables in a seeded random order."""
    rng = np.random.default_rng(seed)
    nodes = net.nodes.iloc[rng.permutation(net.n_nodes)].reset_index(drop=True)
    edges = net.edges.iloc[rng.permutation(net.n_edges)].reset_index(drop=True)
    return Network(nodes, edges)


def assert_same_result(a, b):
    """Same tables (ids, numbers bit for bit, order) and the same choices in the meta."""
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)
    assert a.meta == b.meta


@st.composite
def networks_with_twins(draw):
    """Random networks where some ties have a twin: another tie of the pair, as strong, with another value."""
    net = draw(random_networks())
    e = net.edges
    twins = draw(st.lists(st.integers(0, len(e) - 1), min_size=1, max_size=4))
    ties = [(r.source, r.target, r.type, r.strength, None if math.isnan(r.value) else r.value)
            for r in e.itertuples()]
    for i in twins:
        a, b, _, strength, _ = ties[i]
        a, b = (b, a) if draw(st.booleans()) else (a, b)
        ties.append((a, b, draw(st.sampled_from([S, P, "SELLS_TO"])), strength, draw(st.sampled_from([None, 5, 40]))))
    return make(ties, orgs=net.ids, caps={i: list(c) for i, c in zip(net.ids, net.nodes["capabilities"])})


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks_with_twins(), by=st.sampled_from(["strength", "hops", "value"]), directed=st.booleans(),
       max_hops=st.sampled_from([None, 2]), seed=st.integers(0, 2**32 - 1))
def test_row_order_of_the_input_changes_nothing(net, by, directed, max_hops, seed):
    other = shuffled(net, seed)
    s, t = net.ids[0], net.ids[-1]
    kw = {"by": by, "directed": directed, "max_hops": max_hops, "as_of": DAY}
    for f in (lambda n: best_paths(n, s, to=t, k=4, **kw), lambda n: best_paths(n, s, capability="x", k=4, **kw),
              lambda n: access_table(n, s, capability="x", **kw), lambda n: gatekeepers(n, s, capability="x", **kw)):
        assert_same_result(f(net), f(other))


def shuffled_copy(src: Path, dst: Path, seed: int | None, cents: bool = False) -> Path:
    """A copy of a data directory with the rows of both files in a seeded random order (``None``: as they are).

    ``cents`` first gives every value and clv cents (the same in every copy), so that sums are not exact.
    """
    rng = random.Random(seed)
    dst.mkdir(parents=True)
    for name in ("organizations.csv", "relationships.csv"):
        with open(src / name, newline="", encoding="utf-8-sig") as f:
            head, *rows = list(csv.reader(f))
        for col in ("value", "clv") if cents else ():
            if col in head:
                j = head.index(col)
                for i, r in enumerate(rows):
                    if r[j]:
                        r[j] = f"{float(r[j]) * 1.013 + (i % 97) / 100 + 0.37:.2f}"
        if seed is not None:
            rng.shuffle(rows)
        with open(dst / name, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([head, *rows])
    return dst


def _path_results(net, focal, day, to, items):
    out = [best_paths(net, focal, to=to, k=4, as_of=day)]
    for kind, item in items:
        for by, directed in (("strength", False), ("hops", False), ("value", False), ("strength", True)):
            kw = {kind: item, "by": by, "directed": directed, "as_of": day}
            out += [best_paths(net, focal, k=4, **kw), access_table(net, focal, **kw), gatekeepers(net, focal, **kw)]
    return out


@pytest.mark.parametrize("data, focal, day, to, items", [
    ("tiny", "F1", DAY, "T1", [("capability", "steel"), ("capability", "ore"), ("market", "JP")]),
    ("sample", None, "2026-11-26", "ORG-0048", [("capability", "control software"), ("capability", "inverters"),
                                                ("market", "JP")]),
])
def test_shuffled_data_files_give_the_same_paths(tmp_path, tiny_dir, data, focal, day, to, items):
    src = tiny_dir if data == "tiny" else tiny_dir.parent
    want = _path_results(netmap.read_network(shuffled_copy(src, tmp_path / "base", None, True)), focal, day, to, items)
    for seed in range(2):
        net = netmap.read_network(shuffled_copy(src, tmp_path / str(seed), seed, True))
        for a, b in zip(want, _path_results(net, focal, day, to, items)):
            assert_same_result(a, b)


# ------------------------------------------------------------------- engine
def _random_arcs(seed: int, n: int = 30, m: int = 110):
    rng = np.random.default_rng(seed)
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    strength, value = rng.uniform(0.05, 1.0, m), rng.integers(1, 40, m).astype(float)
    return n, u, v, strength, value


@pytest.mark.parametrize("seed", range(4))
def test_engine_k_best_paths_match_networkx_shortest_simple_paths(seed):
    # the engine alone, on arrays: Yen's driver with the STRENGTH criterion against networkx's
    # shortest_simple_paths on the same -log(strength) costs (random costs: no equal paths)
    from itertools import islice

    from netmap.engine.paths import STRENGTH, k_best_paths
    from netmap.engine.pathgraph import PathGraph, best_arcs

    n, u, v, strength, value = _random_arcs(seed)
    src, dst, idx = best_arcs(n, u, v, lambda i: [-strength[i], i])
    cost = STRENGTH.arc_cost(strength[idx], value[idx])
    g = PathGraph(n, src, dst, cost=cost, value=value[idx], rank=np.arange(n))
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    for a, b, c in zip(src.tolist(), dst.tolist(), cost.tolist()):
        G.add_edge(a, b, cost=c)
    for a, b in zip(u.tolist(), v.tolist()):  # best_arcs kept the strongest of parallel arcs
        if a != b:
            assert G[a][b]["cost"] == pytest.approx(-math.log(max(strength[(u == a) & (v == b)])))
    s = int(np.argmax(np.bincount(src, minlength=n)))
    targets = [t for t in range(n) if t != s and nx.has_path(G, s, t)][-3:]
    assert targets
    for t in targets:
        want = list(islice(nx.shortest_simple_paths(G, s, t, weight="cost"), 8))
        assert k_best_paths(g, s, t, 8, STRENGTH) == want


@pytest.mark.parametrize("seed", range(4))
def test_engine_best_paths_from_match_k_best_first(seed):
    # one single-source search gives, per target, the path Yen's driver ranks first (every criterion)
    from netmap.engine.paths import CRITERIA, best_paths_from, k_best_paths
    from netmap.engine.pathgraph import PathGraph, best_arcs

    n, u, v, strength, value = _random_arcs(seed, m=70)
    for crit in CRITERIA.values():
        merit = crit.arc_merit(strength, value)
        src, dst, idx = best_arcs(n, u, v, lambda i: [-merit[i], i])
        g = PathGraph(n, src, dst, cost=crit.arc_cost(strength[idx], value[idx]), value=value[idx],
                      rank=np.arange(n)[::-1].copy())
        s = int(np.argmax(np.bincount(src, minlength=n)))
        targets = np.array([t for t in range(n) if t != s])
        for max_hops in (None, 2):
            got = best_paths_from(g, s, targets, crit, max_hops)
            want = [(k_best_paths(g, s, int(t), 1, crit, max_hops) or [None])[0] for t in targets]
            assert got == want and sum(p is not None for p in got) >= 3


# ---------------------------------------------------------------------- CLI
def test_cli_paths_access_gatekeepers(tiny_dir):
    runner = CliRunner()
    r = runner.invoke(cli, ["paths", str(tiny_dir), "--focal", "F1", "--to", "T1", "-k", "2",
                            "--as-of", DAY, "--format", "csv"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("rank,target") and "F1 > S1 > T1" in lines[1] and "F1 > S2 > T1" in lines[2]
    r = runner.invoke(cli, ["access", str(tiny_dir), "--capability", "logistics", "--as-of", DAY])
    assert r.exit_code == 0, r.output
    assert "# by: strength" in r.output and "direct partner" in r.output
    r = runner.invoke(cli, ["gatekeepers", str(tiny_dir), "--focal", "T1", "--market", "JP",
                            "--as-of", DAY, "--format", "json"])
    assert r.exit_code == 0, r.output
    import json

    payload = json.loads(r.output)
    assert payload["rows"][0]["id"] == "S1" and payload["meta"]["by"] == "strength"


def test_cli_errors(tiny_dir):
    runner = CliRunner()
    r = runner.invoke(cli, ["paths", str(tiny_dir), "--to", "NOPE"])
    assert r.exit_code == 1 and "Error: target organisation 'NOPE' not found" in r.output
    r = runner.invoke(cli, ["access", str(tiny_dir), "--capability", "steal"])
    assert r.exit_code == 1 and "did you mean 'steel'" in r.output
    r = runner.invoke(cli, ["paths", str(tiny_dir), "--to", "T1", "-k", "0"])
    assert r.exit_code == 2
    r = runner.invoke(cli, ["paths", str(tiny_dir), "--to", "T1", "--by", "cost"])
    assert r.exit_code == 2
    r = runner.invoke(cli, ["access", str(tiny_dir)])
    assert r.exit_code == 2
    r = runner.invoke(cli, ["paths", str(tiny_dir), "--to", "T1", "--market", "JP"])
    assert r.exit_code == 2 and "not both" in r.output
    r = runner.invoke(cli, ["paths", "--neo4j", "--write-back", "--to", "T1"])
    assert r.exit_code == 2 and "netmap access" in r.output
    r = runner.invoke(cli, ["paths", str(tiny_dir), "--to", "F1"])
    assert r.exit_code == 1 and "focal organisation itself" in r.output


def test_vectorised_hop_count_gives_the_same_paths(monkeypatch, tiny):
    # the local tight-arc search falls back to one vectorised pass on large optimal-path sets
    import netmap.engine.shortest as shortest_mod

    want = best_paths(tiny, "F1", to="T1", k=4, as_of=DAY).table["path"].tolist()
    monkeypatch.setattr(shortest_mod, "_LOCAL_MAX", 0)
    assert best_paths(tiny, "F1", to="T1", k=4, as_of=DAY).table["path"].tolist() == want
    net = make([("A", "C", P, 0.5, None), ("C", "D", P, 0.5, None), ("A", "B", P, 0.5, None),
                ("B", "D", P, 0.5, None), ("C", "E", P, 0.5, None), ("E", "D", P, 1.0, None)])
    assert best_paths(net, "A", to="D", k=3, as_of=DAY).table["path"].tolist() == [
        "A > B > D", "A > C > D", "A > C > E > D"]


@pytest.mark.bolt
def test_cli_write_back_to_neo4j(bolt, tiny):
    from bolt_server import driver

    from netmap.store import load_into_neo4j

    load_into_neo4j(tiny, bolt)
    conn = ["--neo4j", "--neo4j-uri", bolt.uri, "--neo4j-user", bolt.user, "--neo4j-password", bolt.password]
    if bolt.database:
        conn += ["--neo4j-database", bolt.database]
    runner = CliRunner()
    r = runner.invoke(cli, ["access", *conn, "--write-back", "--focal", "F1", "--market", "JP", "--as-of", DAY])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["gatekeepers", *conn, "--write-back", "--focal", "F1", "--market", "JP", "--as-of", DAY])
    assert r.exit_code == 0, r.output
    with driver(bolt) as d, d.session(database=bolt.database) as s:
        got = s.run("MATCH (o:Organization) WHERE o.id IN ['C2', 'D2'] RETURN o.id AS id, "
                    "o.netmap_access_hops AS h, o.netmap_access_introducer AS via, "
                    "o.netmap_gatekeeper_paths AS g ORDER BY id").data()
    # C2 is reached through D2 (2 hops); D2 is a direct partner and gates C2's path
    assert got == [{"id": "C2", "h": 2, "via": "D2", "g": None}, {"id": "D2", "h": 1, "via": "", "g": 1}]


# ------------------------------------------------------------ best_access: many items, one search
def _best_rows_by_access_table(view, kind, items, **kw):
    """What access_table's first reachable row says for each item (the slow, one-item-at-a-time answer)."""
    out = []
    for item in items:
        acc = access_table(view, **{kind: item}, **kw).table
        reach = acc[acc["reachable"]]
        row = {"holders": len(acc), "reachable": len(reach)}
        if reach.empty:
            row.update({"best_holder": "", "hops": None, "strength": None, "first_intermediary": "",
                        "path": "", "reason": acc["reason"].iloc[0] if len(acc) else ""})
        else:
            b = reach.iloc[0]
            row.update({"best_holder": b["id"], "hops": int(b["hops"]), "strength": float(b["strength"]),
                        "first_intermediary": b["first_intermediary"], "path": b["path"], "reason": b["reason"]})
        out.append(row)
    return out


def _best_rows(df):
    return [{"holders": int(r["holders"]), "reachable": int(r["reachable"]), "best_holder": r["best_holder"],
             "hops": None if pd.isna(r["hops"]) else int(r["hops"]),
             "strength": None if pd.isna(r["strength"]) else float(r["strength"]),
             "first_intermediary": r["first_intermediary"], "path": r["path"], "reason": r["reason"]}
            for _, r in df.iterrows()]


def _all_items(net):
    caps = sorted({x for xs in net.nodes["capabilities"] for x in xs})
    markets = sorted({x for xs in net.nodes["markets"] for x in xs})
    return caps, markets


@pytest.mark.parametrize("kw", [{}, {"by": "hops"}, {"by": "value"}, {"directed": True}, {"max_hops": 2}])
def test_best_access_equals_access_table_on_sample(sample, kw):
    view = netmap.focal_view(sample, None, DAY)
    caps, markets = _all_items(sample)
    caps = [c for c in caps if sample.holders(capability=c) != [view.focal]]
    markets = [m for m in markets if sample.holders(market=m) != [view.focal]]
    df = netmap.best_access(view, capabilities=caps, markets=markets, **kw).table
    assert df["item"].tolist() == caps + markets
    assert df["kind"].tolist() == ["capability"] * len(caps) + ["market"] * len(markets)
    want = _best_rows_by_access_table(view, "capability", caps, **kw) + _best_rows_by_access_table(view, "market", markets, **kw)
    assert _best_rows(df) == want


def _synth_network(n_ties, n_orgs=None):
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "synth.py"
    spec = importlib.util.spec_from_file_location("_netmap_bench_synth", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.network(n_ties, n_orgs)


@pytest.mark.parametrize("by", ["strength", "hops"])
def test_best_access_equals_access_table_on_synthetic(by):
    net = _synth_network(2000)
    view = netmap.focal_view(net, None, DAY)
    caps, markets = _all_items(net)
    caps, markets = caps[:25], markets[:15]
    df = netmap.best_access(view, capabilities=caps, markets=markets, by=by).table
    want = _best_rows_by_access_table(view, "capability", caps, by=by) + \
        _best_rows_by_access_table(view, "market", markets, by=by)
    assert _best_rows(df) == want
    assert (df["reachable"] > 0).sum() > 10  # the comparison covers real paths


def test_best_access_breaks_ties_as_access_table():
    # the holders X and Y are both 2 ties of strength 0.5 away (0.25); the ids along the paths decide:
    # A > B > Y comes before A > C > X (and A > C > Y); Z, one tie of 0.2, loses on strength
    ties = [("A", "C", P, 0.5, 1), ("A", "B", P, 0.5, 1), ("C", "X", P, 0.5, 1), ("B", "Y", P, 0.5, 1),
            ("C", "Y", P, 0.5, 1), ("A", "Z", P, 0.2, 1)]
    net = make(ties, caps={"X": ["k"], "Y": ["k"], "Z": ["k"]})
    df = netmap.best_access(net, "A", capabilities=["k", "K"], as_of=DAY).table
    assert df["best_holder"].tolist() == ["Y", "Y"] and df["path"].tolist() == ["A > B > Y"] * 2
    assert df["strength"].tolist() == pytest.approx([0.25, 0.25])
    assert df["path"].iloc[0] == access_table(net, "A", capability="k", as_of=DAY).table["path"].iloc[0]
    by_hops = netmap.best_access(net, "A", capabilities="k", by="hops", as_of=DAY).table
    assert by_hops["best_holder"].tolist() == ["Z"] and by_hops["hops"].tolist() == [1]


def test_best_access_unreachable_and_errors():
    net = make([("A", "B", P, 0.5, 1), ("C", "D", P, 0.5, 1)], caps={"D": ["far"], "C": ["far"], "A": ["own"]})
    df = netmap.best_access(net, "A", capabilities=["far", "own"], as_of=DAY).table
    assert df["reachable"].tolist() == [0, 0] and df["holders"].tolist() == [2, 0]
    assert df["reason"].tolist() == ["not connected to the focal organisation", "the focal organisation is the only holder"]
    assert df["hops"].isna().all() and df["best_holder"].tolist() == ["", ""]
    with pytest.raises(NetmapError, match="no organisation lists capability 'fra'; did you mean 'far'"):
        netmap.best_access(net, "A", capabilities=["fra"], as_of=DAY)
    with pytest.raises(NetmapError, match="say what to reach"):
        netmap.best_access(net, "A", as_of=DAY)
