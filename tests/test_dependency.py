"""Supply and sales concentration, hidden tier-n concentration, structural criticality, the dependency command."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import netmap
from netmap import Network, NetmapError, NodeNotFound
from netmap.errors import ArgumentError
from netmap.analysis.concentration import (
    concentration_level,
    hhi,
    sales_channels,
    sales_concentration,
    supply_categories,
    supply_concentration,
)
from netmap.analysis.criticality import structural_criticality
from netmap.analysis.dependency import dependency_report
from netmap.analysis.upstream import hidden_concentration
from netmap.analysis.whatif import what_if
from netmap.cli import cli
from netmap.engine.bitsets import unpack
from netmap.engine.condensation import reachable_sets, source_nodes
from test_paths import assert_same_result, shuffled_copy

DAY = "2024-06-30"


def build(ties, orgs=None, focal="F"):
    """A Network from ``(source, target, type, value, category[, exclusive])`` tuples."""
    orgs = orgs or {}
    ids = sorted({t[0] for t in ties} | {t[1] for t in ties} | set(orgs) | {focal})
    nodes = pd.DataFrame({
        "id": ids, "name": [f"Org {i}" for i in ids],
        "roles": [orgs.get(i, {}).get("roles", ("firm",)) for i in ids],
        "focal": [i == focal for i in ids],
        "capabilities": [orgs.get(i, {}).get("capabilities", ()) for i in ids],
        "markets": [orgs.get(i, {}).get("markets", ()) for i in ids],
    })
    edges = pd.DataFrame(
        [{"source": t[0], "target": t[1], "type": t[2], "value": t[3], "category": t[4],
          "exclusive": t[5] if len(t) > 5 else False} for t in ties],
        columns=["source", "target", "type", "value", "category", "exclusive"],
    )
    return Network(nodes, edges)


# ------------------------------------------------------------------ HHI
def test_hhi_by_hand():
    assert hhi([1.0]) == 10_000.0
    assert hhi([0.8, 0.2]) == 6_800.0  # 80^2 + 20^2
    assert hhi([0.5, 0.5]) == 5_000.0
    assert hhi([0.25] * 4) == 2_500.0
    assert hhi([0.1] * 10) == pytest.approx(1_000.0)
    assert concentration_level(2_500.0, 4) == "highly concentrated"  # the threshold is inclusive
    assert concentration_level(2_499.9, 5) == "moderately concentrated"
    assert concentration_level(1_499.0, 9) == "unconcentrated"


# ------------------------------------------------------------ supply, tiny
def test_tiny_supply_concentration(tiny):
    res = supply_concentration(tiny, "F1", as_of=DAY)
    df = res.table
    steel = df[df["category"] == "steel"].set_index("supplier")
    # steel: S1 400,000 and S2 100,000 -> shares 0.8 / 0.2, HHI 80^2 + 20^2 = 6,800
    assert steel["share"].to_dict() == {"S1": 0.8, "S2": 0.2}
    assert steel["value"].to_dict() == {"S1": 400_000.0, "S2": 100_000.0}
    assert set(steel["hhi"]) == {6_800.0}
    assert steel["highly_concentrated"].all() and not steel["single_source"].any()
    assert not steel["exclusive"].any()
    chips = df[df["category"] == "chips"].iloc[0]
    # chips: only S3 (250,000, exclusive tie) -> share 1, HHI 10,000
    assert (chips["supplier"], chips["share"], chips["hhi"]) == ("S3", 1.0, 10_000.0)
    assert bool(chips["single_source"]) and bool(chips["exclusive"])
    assert df["category"].tolist() == ["chips", "steel", "steel"]  # most concentrated first
    assert res.meta["focal"] == "F1" and res.meta["as_of"] == DAY
    assert list(res) == ["supply"] and not df.attrs
    assert "80.0% of steel spend" in steel.loc["S1", "reason"]


def test_tiny_supply_before_second_steel_supplier(tiny):
    # S2 -> F1 starts 2021-06-01: in 2020 steel is single-sourced from S1
    df = supply_concentration(tiny, "F1", as_of="2020-06-30").table
    steel = df[df["category"] == "steel"]
    assert steel["supplier"].tolist() == ["S1"] and bool(steel["single_source"].iloc[0])


def test_tiny_supply_categories(tiny):
    cats = supply_categories(tiny, "F1", as_of=DAY).table.set_index("category")
    assert cats.loc["steel", ["suppliers", "total_value", "hhi", "top_supplier", "top_share"]].tolist() == [
        2, 500_000.0, 6_800.0, "S1", 0.8]
    assert cats.loc["steel", "level"] == "highly concentrated"
    assert cats.loc["chips", "level"] == "single source"
    assert cats.loc["chips", "exclusive_suppliers"] == 1


def test_supply_alternatives_missing_values_and_count_basis():
    net = build([
        ("A", "F", "SUPPLIES", 300, "bolts"), ("B", "F", "SUPPLIES", np.nan, "bolts"),
        ("C", "F", "SUPPLIES", np.nan, "paint", True), ("D", "F", "SUPPLIES", np.nan, "paint"),
        ("E", "F", "SUPPLIES", 10, ""),
        ("X", "Y", "SUPPLIES", 5, "bolts"), ("Z", "Y", "SUPPLIES", 5, "bolts"), ("A", "Y", "SUPPLIES", 5, "bolts"),
    ])
    df = supply_concentration(net, "F").table.set_index(["category", "supplier"])
    # bolts: A 300, B unknown (counted 0) -> 1.0 / 0.0, HHI 10,000 although two suppliers
    assert df.loc[("bolts", "A"), "share"] == 1.0 and df.loc[("bolts", "B"), "share"] == 0.0
    assert "counted as 0" in df.loc[("bolts", "B"), "reason"]
    # paint: no value at all -> equal shares, HHI 50^2 * 2 = 5,000
    assert df.loc[("paint", "C"), "share"] == 0.5 and df.loc[("paint", "C"), "basis"] == "count"
    assert df.loc[("paint", "C"), "hhi"] == 5_000.0 and bool(df.loc[("paint", "C"), "exclusive"])
    assert ("(uncategorised)", "E") in df.index
    cats = supply_categories(net, "F").table.set_index("category")
    # X and Z supply bolts to someone else (A already supplies F): two alternatives
    assert cats.loc["bolts", "other_known_suppliers"] == 2
    assert cats.loc["paint", "other_known_suppliers"] == 0
    assert "without a recorded value" in cats.loc["bolts", "reason"]


def test_supply_moderate_band():
    # shares 0.4, 0.3, 0.2, 0.1 -> HHI 1600 + 900 + 400 + 100 = 3,000 (high); 0.3*3 + 0.1 -> 2,800;
    # ten equal suppliers + ... use 0.3, 0.3, 0.2, 0.2 -> 900+900+400+400 = 2,600; 5 x 0.2 -> 2,000 (moderate)
    net = build([(f"S{i}", "F", "SUPPLIES", 20, "k") for i in range(5)])
    cats = supply_categories(net, "F").table
    assert cats.loc[0, "hhi"] == pytest.approx(2_000.0) and cats.loc[0, "level"] == "moderately concentrated"
    assert not bool(cats.loc[0, "highly_concentrated"])


# ------------------------------------------------------------------- sales
def test_tiny_sales(tiny):
    res = sales_concentration(tiny, "F1", as_of=DAY)
    df = res.table
    # distributors: D1 600,000, D2 200,000 -> 0.75 / 0.25; customers: C1 100,000 -> 1.0
    got = {(r["channel"], r["id"]): r["share"] for r in df.to_dict("records")}
    assert got == {("distributor", "D1"): 0.75, ("distributor", "D2"): 0.25, ("customer", "C1"): 1.0}
    # all sales 900,000: D1 2/3, D2 2/9, C1 1/9
    assert df.set_index("id")["sales_share"].to_dict() == pytest.approx({"D1": 2 / 3, "D2": 2 / 9, "C1": 1 / 9})
    ch = sales_channels(tiny, "F1", as_of=DAY).table.set_index("channel")
    assert ch.loc["distributor", "hhi"] == 6_250.0  # 75^2 + 25^2
    assert ch.loc["customer", "hhi"] == 10_000.0
    # (200/3)^2 + (200/9)^2 + (100/9)^2 = 4444.44 + 493.83 + 123.46
    assert ch.loc["all", "hhi"] == pytest.approx(5_061.728, abs=1e-3)
    assert ch.loc["all", "top1_id"] == "D1" and ch.loc["all", "top1_share"] == pytest.approx(2 / 3)
    assert ch.loc["all", "top5_share"] == pytest.approx(1.0)
    assert list(res) == ["sales", "channels"]
    assert res["channels"].equals(sales_channels(tiny, "F1", as_of=DAY).table)


def test_sales_top5_of_seven_customers():
    vals = [30, 20, 15, 10, 10, 10, 5]  # total 100
    net = build([("F", f"C{i}", "SELLS_TO", v, "") for i, v in enumerate(vals)])
    ch = sales_channels(net, "F").table.set_index("channel")
    assert ch.loc["customer", "top1_share"] == pytest.approx(0.30)
    assert ch.loc["customer", "top5_share"] == pytest.approx(0.85)  # 30+20+15+10+10
    # 900 + 400 + 225 + 100 + 100 + 100 + 25
    assert ch.loc["customer", "hhi"] == pytest.approx(1_850.0)
    assert ch.loc["customer", "level"] == "moderately concentrated"
    assert ch.loc["distributor", "partners"] == 0 and ch.loc["distributor", "level"] == "no sales"
    df = sales_concentration(net, "F").table
    assert df["rank"].tolist() == list(range(1, 8))
    assert df["cumulative_share"].iloc[-1] == pytest.approx(1.0)


# ----------------------------------------------------------- hidden tier-n
def test_tiny_hidden_shared_tier2(tiny):
    df = hidden_concentration(tiny, "F1", as_of=DAY).table
    assert len(df) == 1
    r = df.iloc[0]
    # T1 supplies S1 and S2 (ore); F1 spends 400,000 + 100,000 with them out of 750,000
    assert (r["id"], r["tier"], r["tier1_count"], r["tier1_ids"]) == ("T1", 2, 2, "S1;S2")
    assert r["spend_through"] == 500_000.0 and r["spend_share"] == pytest.approx(500 / 750)
    assert r["categories_through"] == "steel"
    assert r["tier1_cut_off"] == 2 and r["categories_lost"] == "steel"
    assert r["tier1_share"] == pytest.approx(2 / 3)


def test_hidden_chain_and_shared_tier3():
    # A -> B -> S1 -> F, A -> S2 -> F, Q -> S2: A is upstream of both tier-1s (tier 2 via S2)
    net = build([
        ("A", "B", "SUPPLIES", 1, "x"), ("B", "S1", "SUPPLIES", 1, "x"), ("A", "S2", "SUPPLIES", 1, "x"),
        ("Q", "S2", "SUPPLIES", 1, "y"),
        ("S1", "F", "SUPPLIES", 60, "m"), ("S2", "F", "SUPPLIES", 40, "n"),
    ])
    df = hidden_concentration(net, "F").table.set_index("id")
    assert df.index.tolist() == ["A"]  # B and Q each feed one tier-1
    assert df.loc["A", "tier"] == 2 and df.loc["A", "tier1_ids"] == "S1;S2"  # most spend first
    assert df.loc["A", "spend_through"] == 100.0
    # A's failure cuts off S1 (via B) but not S2, which Q also supplies
    assert df.loc["A", "tier1_cut_off"] == 1 and df.loc["A", "categories_lost"] == "m"
    assert df.loc["A", "categories_through"] == "m;n"
    one = hidden_concentration(net, "F", min_tier1=1).table.set_index("id")
    assert set(one.index) == {"A", "B", "Q"}
    assert one.loc["B", "tier"] == 3 - 1 and one.loc["B", "tier1_ids"] == "S1"


def test_hidden_direct_supplier_that_also_feeds_others():
    # S1 supplies F and also S2 and S3: it is tier 1, yet two other tier-1s depend on it
    net = build([("S1", "F", "SUPPLIES", 10, "a"), ("S2", "F", "SUPPLIES", 20, "a"), ("S3", "F", "SUPPLIES", 30, "b"),
                 ("S1", "S2", "SUPPLIES", 1, "r"), ("S1", "S3", "SUPPLIES", 1, "r")])
    df = hidden_concentration(net, "F").table
    assert df["id"].tolist() == ["S1"] and df["tier"].iloc[0] == 1 and df["tier1_count"].iloc[0] == 2
    assert df["tier1_ids"].iloc[0] == "S3;S2"  # by spend: S3 30, S2 20
    assert "supplies you directly" in df["reason"].iloc[0]
    # every supplier of "a" (S1 itself and S2) and of "b" (S3) depends on S1 or is S1
    assert df["categories_through"].iloc[0] == "a;b"


def test_hidden_category_it_alone_supplies_is_not_hidden():
    # X is the only supplier of glue to F, and the only source of S1 and S2, F's steel suppliers
    ties = [("X", "F", "SUPPLIES", 10, "glue"), ("X", "S1", "SUPPLIES", 1, "ore"), ("X", "S2", "SUPPLIES", 1, "ore"),
            ("S1", "F", "SUPPLIES", 60, "steel"), ("S2", "F", "SUPPLIES", 40, "steel")]
    net = build(ties)
    r = hidden_concentration(net, "F").table.set_index("id").loc["X"]
    # glue is a visible single source (X itself), not a hidden concentration
    assert r["categories_through"] == "steel"
    assert "every supplier of steel depends on it" in r["reason"] and "supplier of glue" not in r["reason"]
    assert r["categories_lost"] == "glue;steel"  # its failure still loses both
    # once Y also supplies glue, buying it from X, X holds glue up out of sight as well
    net = build(ties + [("X", "Y", "SUPPLIES", 1, "resin"), ("Y", "F", "SUPPLIES", 5, "glue")])
    r = hidden_concentration(net, "F").table.set_index("id").loc["X"]
    assert r["categories_through"] == "glue;steel"
    assert "it supplies glue itself and every other supplier of it depends on it" in r["reason"]
    assert "every supplier of steel depends on it" in r["reason"]


def random_supply(seed: int) -> Network:
    rng = np.random.default_rng(seed)
    n = 14
    ids = ["F"] + [f"N{i:02d}" for i in range(1, n)]
    ties = []
    for _ in range(rng.integers(5, 30)):
        a, b = rng.choice(n, size=2, replace=False)
        ties.append((ids[a], ids[b], "SUPPLIES", float(rng.integers(1, 50)), "abc"[rng.integers(3)]))
    ties.append((ids[1], "F", "SUPPLIES", 5.0, "a"))
    return build(ties)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_hidden_matches_brute_force(seed):
    net = random_supply(seed)
    e = net.edges
    g = nx.DiGraph()
    g.add_edges_from(zip(e["source"], e["target"]))
    tier1 = set(e.loc[e["target"] == "F", "source"])
    spend = e[e["target"] == "F"].groupby("source")["value"].sum().to_dict()
    up = nx.ancestors(g, "F")
    h = g.subgraph(set(g) - {"F"})
    want = {}
    for u in up:
        dep = {t for t in tier1 if t != u and u in nx.ancestors(h, t)}
        if len(dep) >= 2:
            want[u] = (len(dep), pytest.approx(sum(spend[t] for t in dep)),
                       nx.shortest_path_length(g, u, "F"))
    got = {r["id"]: (r["tier1_count"], r["spend_through"], r["tier"])
           for r in hidden_concentration(net, "F").table.to_dict("records")}
    assert got == want


@settings(max_examples=60, derandomize=True, deadline=None)
@given(seed=st.integers(0, 100_000), n=st.integers(1, 20), m=st.integers(0, 50))
def test_condensation_kernels_match_networkx(seed, n, m):
    """The engine kernels behind hidden concentration and independent sources, against networkx."""
    rng = np.random.default_rng(seed)
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = u != v
    u, v = u[keep], v[keep]
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(u.tolist(), v.tolist()))
    targets = rng.permutation(n)[: rng.integers(1, n + 1)]
    rows = unpack(reachable_sets(n, u, v, targets, np.arange(n)), len(targets))
    on_cycle = {x for c in nx.strongly_connected_components(g) if len(c) > 1 for x in c}
    for x in range(n):
        reached = nx.descendants(g, x) | ({x} & on_cycle)  # around a cycle, a node reaches itself
        assert {int(t) for t, hit in zip(targets, rows[x]) if hit} == reached & set(targets.tolist())
    cond = nx.condensation(g)
    want = {x for c in cond if cond.in_degree(c) == 0 for x in cond.nodes[c]["members"]}
    assert set(np.flatnonzero(source_nodes(n, u, v)).tolist()) == want
    among = rng.random(n) < 0.5
    assert set(np.flatnonzero(source_nodes(n, u, v, among)).tolist()) == want & set(np.flatnonzero(among).tolist())


# ---------------------------------------------------- structural criticality
def test_tiny_criticality(tiny):
    df = structural_criticality(tiny, "F1", as_of=DAY).table.set_index("id")
    # active ties, read both ways: D2 is the only link to C2 (D1 - C2 ended in 2020)
    assert df.index.tolist() == ["D2", "C2"]
    assert bool(df.loc["D2", "articulation_point"]) and df.loc["D2", "organisations_cut_off"] == 1
    assert df.loc["D2", "cut_off_ids"] == "C2" and df.loc["D2", "lost_markets"] == "JP"
    # two columns: the row's organisation and the partners across its bridges
    assert df.loc["D2", "bridge_partners"] == "C2;F1"
    assert df.loc["D2", "bridge_partner_names"] == "HomeGoods;Acme Manufacturing"
    assert df.loc["C2", "bridge_partners"] == "D2"
    assert not bool(df.loc["C2", "articulation_point"]) and df.loc["C2", "bridges"] == 1
    # in mid-2020 D1 - C2 (until 2020-12-31) and F1 - D2 (since 2020-01-01) are both active:
    # the cycle F1-D1-C2-D2 leaves nobody there critical
    old = structural_criticality(tiny, "F1", as_of="2020-06-30").table
    assert not {"D1", "D2", "C2"} & set(old["id"])


def _graph_network(g: nx.Graph, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    types = ["SUPPLIES", "SELLS_TO", "PARTNERS_WITH", "COLLABORATES_WITH", "SELLS_THROUGH"]
    ties = []
    for a, b in g.edges:
        a, b = (a, b) if rng.random() < 0.5 else (b, a)
        ties.append((f"N{a}", f"N{b}", types[rng.integers(len(types))], 1.0, ""))
        if rng.random() < 0.15:  # a parallel tie: still one relationship
            ties.append((f"N{b}", f"N{a}", "PARTNERS_WITH", 1.0, "extra"))
    orgs = {f"N{i}": {"capabilities": (f"c{i % 4}",)} for i in g.nodes}
    return build(ties, orgs, focal="N0")


@settings(max_examples=50, derandomize=True, deadline=None)
@given(seed=st.integers(0, 100_000), n=st.integers(3, 18), p=st.floats(0.08, 0.35))
def test_criticality_matches_networkx(seed, n, p):
    g = nx.gnp_random_graph(n, p, seed=seed)
    if g.degree(0) == 0:
        g.add_edge(0, 1)
    net = _graph_network(g, seed)
    df = structural_criticality(net, "N0").table.set_index("id")
    comp = g.subgraph(nx.node_connected_component(g, 0))
    want_art = {f"N{x}" for x in nx.articulation_points(comp)} - {"N0"}
    assert set(df.index[df["articulation_point"]]) == want_art
    want_bridges = {frozenset((f"N{a}", f"N{b}")) for a, b in nx.bridges(comp)}
    got_bridges = {frozenset((x, p)) for x, ps in zip(df.index, df["bridge_partners"]) for p in ps.split(";") if p}
    assert got_bridges == want_bridges
    assert (df["bridges"] == df["bridge_partners"].map(lambda ps: len(ps.split(";")) if ps else 0)).all()
    for x in df.index:
        k = int(x[1:])
        rest = comp.subgraph([v for v in comp if v != k])
        cut = len(comp) - 1 - len(nx.node_connected_component(rest, 0))
        assert df.loc[x, "organisations_cut_off"] == cut
        caps = {f"c{v % 4}" for v in comp} - {"c0"}
        left = {f"c{v % 4}" for v in nx.node_connected_component(rest, 0)}
        assert df.loc[x, "lost_capabilities"] == ";".join(sorted(caps - left))


# ------------------------------------------------- row order of the input (property)
def _dependency_results(net, focal, day, removals):
    return [dependency_report(net, focal, as_of=day, min_tier1=1),
            *(what_if(net, focal, r, as_of=day) for r in removals)]


@pytest.mark.parametrize("data, focal, day, removals", [
    ("tiny", "F1", DAY, [["T1"], ["S1"], ["D2", "S3"], ["R1"]]),
    ("sample", None, "2026-11-26", [["ORG-0025"], ["ORG-0054", "ORG-0058"], ["ORG-0106"], ["ORG-0132", "ORG-0283"]]),
])
@pytest.mark.parametrize("cents", [False, True])
def test_shuffled_data_files_give_the_same_dependency(tmp_path, tiny_dir, data, focal, day, removals, cents):
    """Every dependency table and every what-if table: same ids, numbers (bit for bit) and order."""
    src = tiny_dir if data == "tiny" else tiny_dir.parent
    want = _dependency_results(netmap.read_network(shuffled_copy(src, tmp_path / "base", None, cents)), focal, day,
                               removals)
    for seed in range(3):
        net = netmap.read_network(shuffled_copy(src, tmp_path / str(seed), seed, cents))
        for a, b in zip(want, _dependency_results(net, focal, day, removals)):
            assert_same_result(a, b)


# ----------------------------------------------------------------- errors
def test_errors(tiny):
    with pytest.raises(NodeNotFound):
        supply_concentration(tiny, "NOPE")
    with pytest.raises(ArgumentError, match="min_tier1 must be a whole number of at least 1, not 0") as e:
        hidden_concentration(tiny, "F1", min_tier1=0)
    assert e.value.param == "min_tier1"
    with pytest.raises(ArgumentError, match="min_tier1") as e:
        dependency_report(tiny, "F1", min_tier1=0)
    assert e.value.param == "min_tier1"
    with pytest.raises(ArgumentError, match="max_ids must be a whole number of at least 0, not -1") as e:
        structural_criticality(tiny, "F1", max_ids=-1)
    assert e.value.param == "max_ids"
    with pytest.raises(NetmapError, match="not a date") as e:
        sales_concentration(tiny, "F1", as_of="31/12/2024")
    assert e.value.param == "as_of"


def test_focal_without_suppliers_or_sales():
    net = build([("F", "P", "PARTNERS_WITH", 1, "")])
    assert supply_concentration(net, "F").table.empty and supply_categories(net, "F").table.empty
    assert sales_concentration(net, "F").table.empty
    assert hidden_concentration(net, "F").table.empty
    rep = dependency_report(net, "F")
    assert rep.ranking["id"].tolist() == ["P"]


def test_report_node_table(tiny):
    rep = dependency_report(tiny, "F1", as_of=DAY)
    t = rep.node_table().set_index("id")
    assert bool(t.loc["S3", "single_source"]) and not bool(t.loc["S1", "single_source"])
    assert t.loc["T1", "hidden_tier1_count"] == 2
    assert bool(t.loc["D2", "articulation_point"])
    assert t.loc["S3", "dependency_rank"] == 1
    full = rep.node_table(tiny.ids).set_index("id")
    assert sorted(full.index) == sorted(tiny.ids)
    assert np.isnan(full.loc["F1", "dependency_rank"]) and not bool(full.loc["F1", "single_source"])


# --------------------------------------------------------------------- CLI
def test_cli_dependency_text(tiny_dir):
    r = CliRunner().invoke(cli, ["dependency", str(tiny_dir), "--focal", "F1", "--as-of", DAY])
    assert r.exit_code == 0, r.output
    for title in ("Input categories: supply concentration", "Hidden upstream concentration",
                  "Structural criticality", "Partners ranked"):
        assert title in r.output
    assert "6,800" in r.output and "T1" in r.output


def test_cli_dependency_sections(tiny_dir, tmp_path):
    r = CliRunner().invoke(cli, ["dependency", str(tiny_dir), "--as-of", DAY, "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert set(data["sections"]) == {"categories", "supply", "channels", "sales", "hidden", "critical", "ranking"}
    assert data["meta"]["focal"] == "F1"
    out = tmp_path / "rank.csv"
    r = CliRunner().invoke(cli, ["dependency", str(tiny_dir), "--as-of", DAY, "--section", "ranking", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert pd.read_csv(out)["id"].tolist()[0] == "S3"
    r = CliRunner().invoke(cli, ["dependency", str(tiny_dir), "--format", "csv"])
    assert r.exit_code == 2 and "--section" in r.output
    r = CliRunner().invoke(cli, ["dependency", str(tiny_dir), "--focal", "NOPE"])
    assert r.exit_code == 1 and r.output.startswith("Error: focal organisation 'NOPE' not found")
    r = CliRunner().invoke(cli, ["dependency", str(tiny_dir), "--section", "nope"])
    assert r.exit_code == 2


def test_cli_csv_is_formula_safe(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    (d / "organizations.csv").write_text(
        "id,name,roles,focal\nF,Us,firm,true\nS,=HYPERLINK(\"http://x\"),supplier,\n", encoding="utf-8")
    (d / "relationships.csv").write_text("source,target,type,value,category\nS,F,SUPPLIES,5,@cmd\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["dependency", str(d), "--section", "supply", "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "'=HYPERLINK" in r.output and "'@cmd" in r.output
    assert "\n=" not in r.output and ",=" not in r.output


def test_cli_rank_by_and_excel(tiny_dir, tmp_path):
    r = CliRunner().invoke(cli, ["dependency", str(tiny_dir), "--as-of", DAY, "--section", "ranking",
                                 "--rank-by", "value_at_risk", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    # by value at risk: D1 600k, S1 400k, S3 250k
    assert [row["id"] for row in data["rows"]][:3] == ["D1", "S1", "S3"]
    assert data["meta"]["rank_by"] == "value_at_risk" and data["meta"]["as_of"] == DAY
    # without --section, Excel holds every section: one workbook, a sheet per table and an "about" sheet
    r = CliRunner().invoke(cli, ["dependency", str(tiny_dir), "--as-of", DAY, "-o", str(tmp_path / "all.xlsx")])
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "all.xlsx")
    assert {"categories", "supply", "channels", "sales", "hidden", "critical", "ranking", "about"} <= set(wb.sheetnames)
    ranking = [[c.value for c in row] for row in wb["ranking"].iter_rows()]
    assert ranking[0][:2] == ["rank", "id"] and [row[1] for row in ranking[1:4]] == ["S3", "D1", "S1"]
    assert [row[0] for row in wb["hidden"].iter_rows(min_row=2, values_only=True)] == ["T1"]
    r = CliRunner().invoke(cli, ["dependency", str(tiny_dir), "--section", "supply", "-o", str(tmp_path / "s.xlsx")])
    assert r.exit_code == 0, r.output
    ws = load_workbook(tmp_path / "s.xlsx")["supply"]
    assert [c.value for c in ws[1]][:3] == ["category", "supplier", "name"]

