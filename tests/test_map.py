"""The interactive map: data, sizes, styles, ego networks, reduction, layout, highlights, escaping, offline."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hostile import XSS_IMG, XSS_SCRIPT

import netmap
from netmap.cli import cli
from netmap.errors import NetmapError, NodeNotFound
from netmap.network import Network
from netmap.render.layout import layout
from netmap.render.map import map_data, node_metrics, render_map, write_map
from netmap.render.style import (
    FADED,
    OPPORTUNITY_COLOR,
    PATH_COLOR,
    ROLE_COLORS,
    TIE_STYLES,
)
from netmap.values import fmt_number


def _embedded(html: str) -> dict:
    """The JSON payload of a map page, parsed the way the browser parses it."""
    m = re.search(r'<script type="application/json" id="netmap-data">(.*?)</script>', html, re.DOTALL)
    assert m, "no data element"
    return json.loads(m.group(1))


def _by_id(data) -> dict:
    return {n["id"]: n for n in data.nodes}


# ------------------------------------------------------------ basic content
def test_tiny_map_holds_every_organisation_and_tie(tiny):
    m = map_data(tiny, size="degree", all_ties=True)
    # sample_data/tiny: 10 organisation rows, 14 relationship rows
    assert m.n_nodes == 10 and m.n_edges == 14
    assert {n["id"] for n in m.nodes} == set(tiny.ids)
    assert sorted((e["from"], e["to"]) for e in m.edges) == sorted(zip(tiny.edges["source"], tiny.edges["target"]))
    assert m.notes == []  # nothing reduced or highlighted
    assert m.options["physics"]["enabled"] is True  # small map: browser physics


def test_only_active_ties_are_drawn_by_default(tiny):
    # D1-C2 ran 2018-01-01 .. 2020-12-31: ended before today
    m = map_data(tiny, size="degree")
    assert m.n_edges == 13 and ("D1", "C2") not in {(e["from"], e["to"]) for e in m.edges}
    assert any("1 of 14 ties" in s for s in m.notes)
    # on 2019-06-30 S2-F1 (from 2021), F1-D2 (from 2020) and F1-R1 (from 2022) had not started; D1-C2 ran
    m = map_data(tiny, size="degree", as_of="2019-06-30")
    drawn = {(e["from"], e["to"]) for e in m.edges}
    assert m.n_edges == 11 and ("D1", "C2") in drawn and ("S2", "F1") not in drawn
    with pytest.raises(NetmapError, match="not a date"):
        map_data(tiny, size="degree", as_of="someday")


def test_degree_and_value_metrics_by_hand_and_networkx(tiny):
    met = node_metrics(tiny, "degree").set_index("id")
    g = nx.Graph()
    g.add_nodes_from(tiny.ids)
    g.add_edges_from(zip(tiny.edges["source"], tiny.edges["target"]))
    assert met["degree"].to_dict() == dict(g.degree())
    # F1: S1, S2, S3, D1, D2, C1, R1 -> 7 partners
    assert met.loc["F1", "degree"] == 7
    # F1's ties: 400k + 100k + 250k + 600k + 200k + 100k + 50k = 1.7M
    assert met.loc["F1", "value"] == pytest.approx(1_700_000)
    # S2-S3 PARTNERS_WITH has no value; S3: 250k (F1) + 20k (R1) = 270k
    assert met.loc["S3", "value"] == pytest.approx(270_000)


def test_node_size_grows_with_the_metric_and_colour_follows_the_first_role(tiny):
    m = map_data(tiny, size="degree", all_ties=True)
    nodes = _by_id(m)
    met = node_metrics(tiny, "degree").set_index("id")["degree"]
    # size = 8 + 32 * sqrt(degree / max degree); the focal diamond is 1.3x larger
    for oid, n in nodes.items():
        expect = 8 + 32 * math.sqrt(met[oid] / 7)
        if oid == "F1":
            expect *= 1.3
            assert n["shape"] == "diamond"
        assert n["size"] == pytest.approx(expect, abs=0.01)
        first_role = tiny.node(oid)["roles"][0]
        assert n["color"]["background"] == ROLE_COLORS[first_role]
    assert [c[0] for c in m.legend["colors"]] == ["firm", "supplier", "distributor", "research partner", "customer"]


def test_edge_width_by_value_and_style_by_type(tiny):
    m = map_data(tiny, size="degree", all_ties=True)
    e = {(x["from"], x["to"], x["nm"]["type"]): x for x in m.edges}
    # largest value 600k (F1 -> D1) gets the widest line: 1 + 7 * sqrt(1) = 8
    assert e[("F1", "D1", "SELLS_THROUGH")]["width"] == pytest.approx(8.0)
    # 150k: 1 + 7 * sqrt(150/600) = 4.5
    assert e[("T1", "S1", "SUPPLIES")]["width"] == pytest.approx(4.5)
    # no value: thin
    assert e[("S2", "S3", "PARTNERS_WITH")]["width"] == pytest.approx(1.0)
    for x in m.edges:
        style = TIE_STYLES[x["nm"]["type"]]
        assert x.get("dashes", False) == style["dashes"]
        assert x["color"]["color"] == style["color"]
        # arrows are on for all ties in the options and switched off on symmetric ones
        assert (x.get("arrows") == "") == (x["nm"]["type"] in ("COLLABORATES_WITH", "PARTNERS_WITH"))
    assert m.options["edges"]["arrows"]["to"]["enabled"] is True
    # the five tie types have five different dash patterns
    assert len({json.dumps(s["dashes"]) for s in TIE_STYLES.values()}) == 5


def test_size_by_pagerank_follows_networkx_pagerank(tiny):
    # the default size: PageRank over the directed ties weighted by value (networkx as the reference)
    pr = nx.pagerank(tiny.to_networkx(directed=True), weight="value")
    m = map_data(tiny, all_ties=True)
    assert m.meta["size"] == "pagerank"
    top = max(pr.values())
    for n in m.nodes:
        expect = (8 + 32 * math.sqrt(pr[n["id"]] / top)) * (1.3 if n["id"] == "F1" else 1.0)
        assert n["size"] == pytest.approx(expect, abs=0.01)
        assert n["nm"]["metrics"][0][0] == "PageRank"
        assert float(n["nm"]["metrics"][0][1]) == pytest.approx(pr[n["id"]], abs=6e-4)


def test_community_colouring_matches_the_partition(tiny):
    from netmap.analysis.communities import communities

    part = communities(tiny, seed=0).members.set_index("id")["community"]
    m = map_data(tiny, size="degree", color="community", all_ties=True)
    colour = {n["id"]: n["color"]["background"] for n in m.nodes}
    for a in tiny.ids:
        for b in tiny.ids:
            assert (colour[a] == colour[b]) == (part[a] == part[b])


def test_country_colouring_gives_each_country_one_colour(tiny):
    m = map_data(tiny, size="degree", all_ties=True, color="country")
    by_country = {}
    for n in m.nodes:
        by_country.setdefault(n["nm"]["country"], set()).add(n["color"]["background"])
    assert all(len(c) == 1 for c in by_country.values())
    assert len({next(iter(c)) for c in by_country.values()}) == len(by_country)  # 6 countries, 6 colours
    # legend: most frequent first -- DE has 3 organisations (F1, S1, R1)
    assert m.legend["colors"][0][0] == "DE (3)"


# ------------------------------------------------------------- ego network
@pytest.mark.parametrize("focal,depth", [("F1", 1), ("F1", 2), ("T1", 1), ("T1", 2), ("C2", 3)])
def test_ego_network_matches_networkx(tiny, focal, depth):
    g = nx.Graph()
    g.add_nodes_from(tiny.ids)
    g.add_edges_from(zip(tiny.edges["source"], tiny.edges["target"]))
    want = set(nx.ego_graph(g, focal, radius=depth).nodes)
    m = map_data(tiny, size="degree", all_ties=True, focal=focal, depth=depth)
    assert {n["id"] for n in m.nodes} == want
    ties = [(s, t) for s, t in zip(tiny.edges["source"], tiny.edges["target"]) if s in want and t in want]
    assert m.n_edges == len(ties)
    assert any("Ego network" in s for s in m.notes)


def test_ego_network_of_f1_by_hand(tiny):
    m = map_data(tiny, size="degree", all_ties=True, focal="F1", depth=1)
    # F1 and its 7 partners; T1 and C2 are two ties away
    assert {n["id"] for n in m.nodes} == {"F1", "S1", "S2", "S3", "D1", "D2", "C1", "R1"}
    # 14 ties minus T1-S1, T1-S2, D2-C2, D1-C2 = 10
    assert m.n_edges == 10


# --------------------------------------------------------------- reduction
def test_large_maps_are_reduced_to_the_largest_and_say_so(tiny):
    m = map_data(tiny, size="degree", all_ties=True, max_nodes=4)
    # degrees: F1 7; D1, S2, S3 3 each; the rest 2 or 1 -> F1 plus D1, S2, S3 (ids break the tie)
    assert {n["id"] for n in m.nodes} == {"F1", "D1", "S2", "S3"}
    # ties among them: S2-F1, S3-F1, F1-D1, S2-S3
    assert m.n_edges == 4
    assert any(s.startswith("Reduced for the browser: showing 4 of 10 organisations, chosen by") for s in m.notes)
    assert m.total_nodes == 10 and m.total_edges == 14


def test_reduction_keeps_the_focal_even_when_small(tiny):
    m = map_data(tiny, size="degree", all_ties=True, focal="C2", max_nodes=2)
    ids = {n["id"] for n in m.nodes}
    # C2's partners (from the CSV): D2 (2 partners) and D1 (3 partners) -> its largest partner D1 is kept
    g = nx.Graph(list(pd.read_csv("sample_data/tiny/relationships.csv")[["source", "target"]].itertuples(index=False)))
    best = max(g["C2"], key=lambda k: (g.degree(k), k))
    assert best == "D1"
    assert ids == {"C2", best}
    assert m.meta["organisations_shown"] == 2 and m.meta["organisations_total"] == 10
    assert "the focal organisation" in m.meta["chosen_by"] and "partners" in m.meta["chosen_by"]


def _two_sided(n_sup: int = 300, n_cust: int = 300) -> Network:
    """A focal firm F with one distributor D; suppliers feed F (high downstream PageRank flows to F and D),
    customers buy from D; every supplier also supplies the next one, so suppliers carry the larger PageRank
    only at the head of the chain."""
    sup = [f"S{i:03d}" for i in range(n_sup)]
    cust = [f"C{i:03d}" for i in range(n_cust)]
    nodes = pd.DataFrame({"id": ["F", "D", *sup, *cust], "name": ["F", "D", *sup, *cust],
                          "roles": ["firm", "distributor", *["supplier"] * n_sup, *["customer"] * n_cust],
                          "focal": [True] + [False] * (1 + n_sup + n_cust)})
    rows = [("F", "D", "SELLS_THROUGH", 1.0)]
    rows += [(s, "F", "SUPPLIES", 1.0) for s in sup[:5]]
    rows += [(a, b, "SUPPLIES", 1.0) for a, b in zip(sup, sup[1:])]
    rows += [("D", c, "SELLS_TO", 1.0) for c in cust]
    rows += [(c, d, "PARTNERS_WITH", 1.0) for c, d in zip(cust, cust[1:])]
    edges = pd.DataFrame(rows, columns=["source", "target", "type", "value"])
    return Network(nodes, edges)


def test_reduction_keeps_each_role_in_proportion():
    net = _two_sided()
    m = map_data(net, size="pagerank", all_ties=True, max_nodes=100, physics_max_nodes=0)
    roles = pd.Series([n["nm"]["roles"][0] for n in m.nodes]).value_counts()
    # focal F and its 6 partners (D, S000..S004) take 4 + ... ; the other ~93 places split 300:300 between
    # suppliers and customers (plus the one firm and distributor kept already)
    assert m.n_nodes == 100
    assert "F" in {n["id"] for n in m.nodes}
    assert abs(roles["supplier"] - roles["customer"]) <= 6, roles.to_dict()
    # the plain "largest by PageRank" rule would keep customers only (PageRank flows downstream to them)
    pr = nx.pagerank(net.to_networkx(directed=True), weight="value")
    top = sorted(pr, key=lambda k: (-pr[k], k))[:100]
    assert sum(t.startswith("S") for t in top) < 20
    assert m.meta["chosen_by"] and "role" in m.meta["chosen_by"]
    assert f"showing 100 of {net.n_nodes} organisations, chosen by" in render_map(m)


def test_ego_map_shows_whole_network_figures():
    net = netmap.read_network("sample_data")
    focal = net.focal_ids[0]
    full = map_data(net, focal=focal, as_of="2024-06-30")
    ego = map_data(net, focal=focal, depth=1, as_of="2024-06-30")
    from netmap.analysis.centrality import centrality
    pr = centrality(net.active("2024-06-30")).table.set_index("id")["pagerank"]
    fm = {n["id"]: dict(n["nm"]["metrics"]) for n in full.nodes}
    checked = 0
    for n in ego.nodes:
        got = dict(n["nm"]["metrics"])
        assert got == fm[n["id"]], n["id"]  # the same figures as on the whole map
        assert got["PageRank"] == fmt_number(pr[n["id"]])  # as the report shows it
        checked += 1
    assert checked == ego.n_nodes > 5
    assert any("figures are those of the whole network" in s for s in ego.notes)


def test_risk_highlights_are_ranked_and_capped():
    from netmap.analysis.dependency import dependency_report

    net = netmap.read_network("sample_data")
    focal = net.focal_ids[0]
    m = map_data(net, size="degree", highlight="risks", as_of="2024-06-30")
    rep = dependency_report(net, focal, as_of="2024-06-30")
    listed = [i for i, _, _ in m.listed]
    assert listed and len(listed) <= 25
    # most severe first: the ranked partners appear in the dependency ranking's order
    ranked = [i for i in rep.ranking["id"] if i in listed]
    assert listed[: len(ranked)] == ranked
    total = len(listed) + m.meta["highlighted_more"]
    assert m.meta["highlighted_more"] == total - 25 if total > 25 else m.meta["highlighted_more"] == 0
    red = [n["id"] for n in m.nodes if n["nm"]["notes"]]
    assert set(red) == set(listed)


def test_report_cache_is_used_instead_of_recomputing(monkeypatch):
    net = netmap.read_network("sample_data")
    focal = net.focal_ids[0]
    from netmap.analysis.centrality import centrality
    from netmap.analysis.dependency import dependency_report

    active = net.active("2024-06-30")
    cache = {"centrality": centrality(active, sort="pagerank"),
             "dependency": dependency_report(net, focal, as_of="2024-06-30")}
    import netmap.analysis.centrality as c_mod
    import netmap.analysis.dependency as d_mod

    def boom(*a, **k):
        raise AssertionError("recomputed")

    monkeypatch.setattr(c_mod, "centrality", boom)
    monkeypatch.setattr(d_mod, "dependency_report", boom)
    m = map_data(net, highlight="risks", as_of="2024-06-30", cache=cache)
    pr = cache["centrality"].table.set_index("id")["pagerank"]
    node = _by_id(m)[focal]
    assert dict(node["nm"]["metrics"])["PageRank"] == fmt_number(pr[focal])


def test_labels_only_for_focal_highlighted_and_largest():
    net = netmap.read_network("sample_data")
    m = map_data(net, size="degree", highlight="risks", as_of="2024-06-30")
    always = [n for n in m.nodes if n["nm"]["label"]]
    hl = {i for i, _, _ in m.listed} | {net.focal_ids[0]}
    assert hl <= {n["id"] for n in always}
    assert len(always) <= 12 + len(hl) < m.n_nodes / 4
    # the others are drawn only when zoomed in
    assert all(n["scaling"]["label"]["drawThreshold"] == 20 for n in m.nodes if not n["nm"]["label"])
    # degrees from the CSV: the 12 organisations with most partners are labelled
    rel = pd.read_csv("sample_data/relationships.csv")
    deg = {n["id"]: dict(n["nm"]["metrics"])["partners"] for n in m.nodes}
    top = sorted(deg, key=lambda k: (-int(deg[k]), k))[:12]
    assert set(top) <= {n["id"] for n in always}
    assert len(rel) > 0


def test_no_dashes_above_the_tie_threshold(tiny):
    from netmap.render.style import DASH_MAX_EDGES

    small = map_data(tiny, size="degree", all_ties=True)
    assert any("dashes" in e for e in small.edges)
    net = netmap.read_network("sample_data")
    big = map_data(net, size="degree", all_ties=True)
    assert big.n_edges > DASH_MAX_EDGES
    assert not any("dashes" in e for e in big.edges)
    assert all(t[3] == [] for t in big.legend["ties"])


def test_focal_and_highlighted_are_drawn_last(tiny):
    m = map_data(tiny, size="degree", all_ties=True, highlight="risks")
    order = [n["nm"]["id"] for n in _embedded(render_map(m))["nodes"]]
    assert order[-1] == "F1"
    marked = {n["id"] for n in m.nodes if n["nm"]["hl"]}
    assert set(order[-len(marked):]) == marked


# ------------------------------------------------------------------ layout
def test_python_layout_above_the_physics_threshold(tiny):
    m = map_data(tiny, size="degree", all_ties=True, physics_max_nodes=5)
    assert m.options["physics"]["enabled"] is False
    xy = [(n["x"], n["y"]) for n in m.nodes]
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in xy)
    assert len(set(xy)) == len(xy)
    assert any("positions computed in advance" in s for s in m.notes)


def test_layout_is_seeded(tiny):
    a, b, c = layout(tiny, seed=1), layout(tiny, seed=1), layout(tiny, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a[["x", "y"]].to_numpy(), c[["x", "y"]].to_numpy())


def _net_from_edges(edges: list[tuple[str, str]], n_ids: list[str]) -> Network:
    nodes = pd.DataFrame({"id": n_ids, "name": n_ids, "roles": [("firm",)] * len(n_ids)})
    e = pd.DataFrame({"source": [s for s, _ in edges], "target": [t for _, t in edges], "type": "PARTNERS_WITH"})
    return Network(nodes, e)


def test_layout_of_a_path_keeps_its_order():
    # a path a0 - a1 - ... - a29: MDS puts it on a line, so the main axis ranks the nodes in order
    ids = [f"a{i}" for i in range(30)]
    net = _net_from_edges(list(zip(ids, ids[1:])), ids)
    pos = layout(net, seed=0)
    xy = pos[["x", "y"]].to_numpy()
    centred = xy - xy.mean(axis=0)
    axis = np.linalg.svd(centred, full_matrices=False)[2][0]
    proj = centred @ axis
    rho = pd.Series(proj).rank().corr(pd.Series(np.arange(30)).astype(float))
    assert abs(rho) > 0.95


def test_layout_keeps_two_communities_apart():
    # two 8-cliques joined by one tie: each node is closer to its own clique's centre
    a = [f"a{i}" for i in range(8)]
    b = [f"b{i}" for i in range(8)]
    edges = [(x, y) for grp in (a, b) for i, x in enumerate(grp) for y in grp[i + 1:]] + [("a0", "b0")]
    pos = layout(_net_from_edges(edges, a + b), seed=0).set_index("id")
    ca, cb = pos.loc[a].mean().to_numpy(), pos.loc[b].mean().to_numpy()
    for grp, own, other in ((a, ca, cb), (b, cb, ca)):
        for x in grp:
            p = pos.loc[x].to_numpy()
            assert np.linalg.norm(p - own) < np.linalg.norm(p - other)


def test_layout_places_isolated_organisations_apart():
    ids = ["a", "b", "c", "x", "y"]
    pos = layout(_net_from_edges([("a", "b"), ("b", "c")], ids), seed=0)
    xy = pos[["x", "y"]].to_numpy()
    d = np.linalg.norm(xy[:, None] - xy[None], axis=2)[np.triu_indices(5, 1)]
    assert d.min() > 10  # every pair at least a quarter of the 40-unit spacing apart


# -------------------------------------------------------------- highlights
def _strongest_path(net: Network, s: str, t: str) -> list[str]:
    """Max product of strengths over active ties = shortest path on -log(strength) (networkx)."""
    act = net.active()
    g = nx.Graph()
    for a, b, w in zip(act.edges["source"], act.edges["target"], act.edges["strength"]):
        c = -math.log(max(w, 1e-6))
        if not g.has_edge(a, b) or g[a][b]["w"] > c:
            g.add_edge(a, b, w=c)
    return nx.dijkstra_path(g, s, t, weight="w")


@pytest.mark.parametrize("target", ["C2", "T1", "R1"])
def test_path_highlight_is_the_strongest_path(tiny, target):
    m = map_data(tiny, size="degree", all_ties=True, path_to=target)
    want = _strongest_path(tiny, "F1", target)
    lit = {n["id"] for n in m.nodes if n["color"]["border"] == PATH_COLOR}
    assert lit == set(want)
    lit_edges = {frozenset((e["from"], e["to"])) for e in m.edges if e["color"]["color"] == PATH_COLOR}
    assert lit_edges == {frozenset(p) for p in zip(want, want[1:])}
    others = [n for n in m.nodes if n["id"] not in want]
    assert all(n["color"]["background"] == FADED for n in others)


def test_path_to_c2_by_hand(tiny):
    # D1-C2 ended in 2020; F1 -D2 (0.6) - C2 (0.55): strength 0.33
    m = map_data(tiny, size="degree", all_ties=True, path_to="C2")
    assert any("0.330" in s and "AsiaChannel" in s for s in m.notes)


def test_opportunities_highlight_adds_dashed_suggested_ties(tiny):
    from netmap.analysis.opportunities import opportunities

    want = opportunities(tiny, "F1", top=10).table["id"].tolist()
    m = map_data(tiny, size="degree", all_ties=True, highlight="opportunities")
    extra = [e for e in m.edges if e["nm"]["type"] == "SUGGESTED"]
    assert sorted(e["to"] for e in extra) == sorted(want)
    assert all(e["from"] == "F1" and e["dashes"] and e["color"]["color"] == OPPORTUNITY_COLOR for e in extra)
    assert m.n_edges == 14 + len(want)
    # T1 and C2 are not tied to F1 (hand check of the candidates' meaning)
    assert not set(want) & set(tiny.neighbors("F1"))


# -------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "kwargs,err",
    [
        ({"color": "blue"}, NetmapError),
        ({"size": "revenue"}, NetmapError),
        ({"highlight": "everything"}, NetmapError),
        ({"highlight": "path"}, NetmapError),
        ({"depth": 0}, NetmapError),
        ({"focal": "NOPE"}, NodeNotFound),
        ({"path_to": "NOPE"}, NodeNotFound),
        ({"path_to": "F1"}, NetmapError),
        ({"max_nodes": 0}, NetmapError),
    ],
)
def test_bad_options_raise_one_clear_error(tiny, kwargs, err):
    with pytest.raises(err):
        map_data(tiny, **{"size": "degree", **kwargs})


def test_no_focal_for_an_ego_network_says_what_to_do(tiny, tmp_path):
    """The library names the parameter in plain words; the command line adds the option to use."""
    nodes = tiny.nodes.assign(focal=False)
    net = Network(nodes, tiny.edges)
    with pytest.raises(NetmapError, match="no focal organisation") as err:
        map_data(net, size="degree", all_ties=True, depth=1)
    assert err.value.param == "focal" and "--" not in str(err.value)
    data = tmp_path / "nofocal"
    data.mkdir()
    net.nodes.assign(roles=net.nodes["roles"].map(";".join), capabilities="", markets="").to_csv(
        data / "organizations.csv", index=False)
    net.edges[["source", "target", "type", "value", "category"]].to_csv(data / "relationships.csv", index=False)
    res = CliRunner().invoke(cli, ["map", str(data), "--depth", "1", "--all-ties", "-o", str(tmp_path / "m.html")])
    assert res.exit_code == 1
    assert "no focal organisation" in res.output and "(option --focal ID)" in res.output


# ---------------------------------------------------------- safety, offline
class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.attrs = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_names_are_escaped_and_round_trip(evil_dir, tiny, tmp_path):
    net = netmap.read_network(evil_dir)
    out = tmp_path / "map.html"
    write_map(net, out, size="degree", all_ties=True)
    html = out.read_text(encoding="utf-8")
    assert XSS_IMG not in html and "<script>alert(1)" not in html and "<svg onload" not in html
    p = _Tags()
    p.feed(html)
    clean = _Tags()
    clean.feed(render_map(map_data(tiny, size="degree", all_ties=True)))
    # the hostile names add no element: the page has exactly the structure of the clean one
    assert p.tags == clean.tags
    assert "img" not in p.tags and "svg" not in p.tags
    # exactly our three script elements: data, vis-network, the page's own code
    assert p.tags.count("script") == 3
    assert not any(k.startswith("on") for k, _ in p.attrs)
    data = _embedded(html)
    names = {n["nm"]["id"]: n["nm"]["name"] for n in data["nodes"]}
    assert names["S1"] == XSS_IMG and names["T1"] == XSS_SCRIPT


def test_title_is_escaped(tiny):
    html = render_map(map_data(tiny, size="degree", all_ties=True, title="<b>x</b> & co"))
    assert "<title>&lt;b&gt;x&lt;/b&gt; &amp; co</title>" in html


def test_page_is_self_contained(tiny, tmp_path):
    out = tmp_path / "m.html"
    write_map(tiny, out, size="degree", all_ties=True)
    html = out.read_text(encoding="utf-8")
    p = _Tags()
    p.feed(html)
    assert "link" not in p.tags and "iframe" not in p.tags
    for k, v in p.attrs:
        if k in ("src", "href", "action", "data"):
            raise AssertionError(f"external reference {k}={v}")
    assert "@import" not in html
    assert "vis.Network" in html and "Almende" in html  # vis-network inline, with its licence notice
    assert "default-src 'none'" in html  # the page itself forbids network loads


# --------------------------------------------------------------------- CLI
def test_cli_map_writes_the_file(tiny_dir, tmp_path):
    out = tmp_path / "m.html"
    res = CliRunner().invoke(cli, ["map", str(tiny_dir), "-o", str(out), "--size", "degree", "--focal", "F1",
                                   "--depth", "1"])
    assert res.exit_code == 0, res.output
    assert "Ego network" in res.output and "8 organisations and 10 ties" in res.output
    assert len(_embedded(out.read_text(encoding="utf-8"))["nodes"]) == 8


@pytest.mark.parametrize(
    "args,code",
    [
        (["--focal", "NOPE"], 1),
        (["--highlight", "path"], 1),
        (["--color", "blue"], 2),
        (["--depth", "0"], 2),
        (["--max-nodes", "-3"], 2),
    ],
)
def test_cli_map_errors(tiny_dir, tmp_path, args, code):
    res = CliRunner().invoke(cli, ["map", str(tiny_dir), "-o", str(tmp_path / "m.html"), "--size", "degree", *args])
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    if code == 1:
        assert res.output.startswith("Error: ") and res.output.count("\n") == 1


# ------------------------------------------------------------ JSON in script
from hypothesis import given, settings
from hypothesis import strategies as st

from netmap.render.assets import script_json


@settings(max_examples=200, derandomize=True)
@given(st.text())
def test_script_json_round_trips_and_cannot_close_the_script(text):
    out = script_json({"name": text, "list": [text]})
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"name": text, "list": [text]}


# ------------------------------------------------- hostile values in every field
from hostile import (
    ESCAPE,
    HOSTILE_CATEGORIES,
    HOSTILE_IDS,
    HTML_PROBES,
    LONG_NAME,
    PLACEHOLDERS,
    RAW_CONTROL,
    hostile_copy,
)

from netmap.render.assets import vis_network_css, vis_network_js
from netmap.render.style import LABEL_CHARS, NAME_CHARS
from netmap.values import show_bidi

HOSTILE_TITLE = "<script>alert(7)</script> {{DATA}} %TITLE% ${x} \u202eeltit " + ESCAPE


@pytest.fixture
def everywhere(tiny_dir, tmp_path):
    """The tiny network with hostile ids, names, categories, markets, industry... in a hostile directory."""
    return hostile_copy(tiny_dir, tmp_path)


@pytest.mark.parametrize("highlight", [None, "opportunities", "risks"])
def test_hostile_values_in_every_field_stay_text(everywhere, tiny, tmp_path, highlight):
    out = tmp_path / "map.html"
    res = CliRunner().invoke(cli, ["map", str(everywhere), "--all-ties", "--size", "degree", "-o", str(out),
                                   "--title", HOSTILE_TITLE, *(["--highlight", highlight] if highlight else [])])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    for probe in HTML_PROBES + ("<script>alert(7)",):
        assert probe not in html, probe
    # no bidi or control character reaches the page (but vis-network's own code); they show as marks
    ours = html.replace(vis_network_js(), "").replace(vis_network_css(), "")
    assert len(ours) < len(html) / 2 and not RAW_CONTROL.search(ours.replace("\n", ""))
    # the page has the structure of a clean one: no element, attribute or script added by a value
    p, clean = _Tags(), _Tags()
    p.feed(html)
    clean.feed(render_map(map_data(tiny, size="degree", all_ties=True, title="x",
                                   highlight=highlight, as_of="2024-06-30" if highlight else None)))
    assert p.tags == clean.tags and p.tags.count("script") == 3
    assert [k for k, _ in p.attrs] == [k for k, _ in clean.attrs]
    # the title is escaped text, its placeholders are not filled, the escape sequence shows as marks
    title = ("&lt;script&gt;alert(7)&lt;/script&gt; {{DATA}} %TITLE% ${x} [U+202E]eltit "
             "&lt;U+001B&gt;]0;pwned&lt;U+0007&gt;&lt;U+001B&gt;[2J&lt;U+001B&gt;[31m")
    assert f"<title>{title}</title>" in html and f"<h1>{title}</h1>" in html
    # every value reaches the page's data as it was, placeholders and markup included (bidi made visible)
    data = _embedded(html)
    ids = {n["nm"]["id"] for n in data["nodes"]}
    assert {show_bidi(i) for i in HOSTILE_IDS.values()} <= ids
    # vis-network gets its own node ids: an organisation id never becomes a key of its plain objects
    assert {n["id"] for n in data["nodes"]} == {"o:" + i for i in ids}
    names = {n["nm"]["id"]: n["nm"]["name"] for n in data["nodes"]}
    assert names["F1"] == LONG_NAME and names[HOSTILE_IDS["S3"]] == PLACEHOLDERS
    by_id = {n["nm"]["id"]: n["nm"] for n in data["nodes"]}
    assert by_id["F1"]["industry"] == "<iframe src=javascript:alert(4)>" and by_id["F1"]["markets"] == ["DE", "=DE"]
    assert by_id["@D1"]["markets"] == ["DE", "FR", "<svg onload=alert(5)>"]
    assert by_id["__proto__"]["markets"] == ["{{TITLE}}", "JP[U+202E]"] and by_id["S2"]["industry"] == "{{TITLE}}"
    cats = {e["nm"]["category"] for e in data["edges"] if "category" in e["nm"]}
    assert set(HOSTILE_CATEGORIES.values()) - {"R\u202e&D"} <= cats and "R[U+202E]&D" in cats
    assert {(e["from"], e["to"]) for e in data["edges"]} <= {("o:" + a, "o:" + b) for a in ids for b in ids}


def test_over_long_names_are_cut_for_display_and_whole_in_the_tooltip(everywhere):
    net = netmap.read_network(everywhere)
    m = map_data(net, size="degree", all_ties=True, highlight="opportunities")
    nodes = _by_id(m)
    # the 5,000-character name: a 40-character label on the canvas, whole in the tooltip data
    assert len(LONG_NAME) == 5000
    assert nodes["F1"]["label"] == LONG_NAME[: LABEL_CHARS - 1] + "\u2026"
    assert nodes["F1"]["nm"]["name"] == LONG_NAME
    assert all(len(n["label"]) <= LABEL_CHARS for n in m.nodes)
    # short names are not touched
    assert nodes[HOSTILE_IDS["S1"]]["label"] == net.name(HOSTILE_IDS["S1"])
    # the title, the legend and the notes name it cut to NAME_CHARS characters
    assert m.title == "Network map of " + LONG_NAME[: NAME_CHARS - 1] + "\u2026"
    assert m.legend["focal"] == LONG_NAME[: NAME_CHARS - 1] + "\u2026"
    assert m.notes and all(LONG_NAME not in s and len(s) < 1000 for s in m.notes)
    reasons = [r for n in m.nodes for r in n["nm"]["notes"]] + [r for e in m.edges for r in e["nm"].get("notes", [])]
    assert reasons and all(len(r) <= 400 for r in reasons)
    assert any("Megacorpooo" in r for r in reasons)  # the introductions name the focal organisation, cut


def test_canonical_order_keeps_the_network(tiny):
    from netmap.render.map import in_canonical_order

    shuffled = Network(tiny.nodes.sample(frac=1, random_state=3), tiny.edges.sample(frac=1, random_state=4),
                       source=tiny.source)
    c = in_canonical_order(shuffled)
    assert c.ids == sorted(tiny.ids)
    keys = list(zip(c.edges["source"], c.edges["target"], c.edges["type"], c.edges["category"]))
    assert keys == sorted(keys) and len(keys) == 14
    pd.testing.assert_frame_equal(c.edges.sort_values("row").reset_index(drop=True),
                                  tiny.edges.sort_values("row").reset_index(drop=True))
    assert in_canonical_order(c) is c  # already in order: the same network
    # the same page from both orders
    a = map_data(shuffled, size="degree", all_ties=True, physics_max_nodes=0)
    b = map_data(tiny, size="degree", all_ties=True, physics_max_nodes=0)
    assert render_map(a) == render_map(b)


def test_report_maps_reuse_the_reports_analyses(tiny, tmp_path, monkeypatch):
    import netmap.analysis.centrality as c_mod
    import netmap.analysis.dependency as d_mod
    import netmap.analysis.opportunities as o_mod
    from netmap.render.report import write_report

    calls = {"centrality": 0, "dependency": 0, "opportunities": 0}

    def counting(mod, name):
        real = getattr(mod, name)

        def f(*a, **k):
            calls[name.split("_")[0]] += 1
            return real(*a, **k)

        monkeypatch.setattr(mod, name, f)

    counting(c_mod, "centrality")
    counting(d_mod, "dependency_report")
    counting(o_mod, "opportunities")
    rep = write_report(tiny, tmp_path / "r", as_of="2024-06-30")
    assert {"map.html", "map-risks.html", "map-opportunities.html"} <= {p.name for p in rep.files}
    # each analysis ran once for the whole report, its three maps included
    assert calls == {"centrality": 1, "dependency": 1, "opportunities": 1}
    html = (tmp_path / "r" / "map-risks.html").read_text()
    assert 'href="report.html"' in html


def test_cli_country_risk_sets_the_risk_tooltip_line(tiny_dir, tmp_path):
    # country risks TW 0.55, AU 0.9, PL 0.4; effective = max(own, 0.6 own + 0.4 upstream), upstream the
    # spend-weighted mean of the suppliers' effective risks. By hand: T1 0.9; S2 max(0.4, 0.24 + 0.36) = 0.60;
    # S1 (DE: none) 0.4 * 0.9 = 0.36; S3 0.55; F1 (DE: none) 0.4 * (400k*0.36 + 100k*0.6 + 250k*0.55) / 750k
    # = 0.4 * 0.455333 = 0.182.
    f = tmp_path / "country_risk.csv"
    f.write_text("country,risk\nTW,0.55\nAU,0.9\nPL,0.4\n", encoding="utf-8")
    line = "risk (own / with suppliers)"
    got = {}
    for key, extra in (("without", []), ("with", ["--country-risk", str(f)])):
        out = tmp_path / f"{key}.html"
        res = CliRunner().invoke(cli, ["map", str(tiny_dir), "--all-ties", "-o", str(out), *extra])
        assert res.exit_code == 0, res.output
        nodes = _embedded(out.read_text(encoding="utf-8"))["nodes"]
        got[key] = {n["id"].split(":", 1)[-1]: dict(map(tuple, n["nm"]["metrics"])) for n in nodes}
    assert all(line not in m for m in got["without"].values())
    risk = {k: m[line] for k, m in got["with"].items()}
    assert {k: risk[k] for k in ("T1", "S2", "S1", "S3", "F1", "C1")} == {
        "T1": "0.90 / 0.90", "S2": "0.40 / 0.60", "S1": "unknown / 0.36", "S3": "0.55 / 0.55",
        "F1": "unknown / 0.18", "C1": "unknown / 0.00"}
