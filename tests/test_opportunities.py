"""Partner shortlists, market expansion, the backtest and the shortlist export.

Scores on the tiny network are worked out by hand (strengths in tests/test_linkpred.py);
the backtest's AUC and precision are recomputed here by brute force.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import netmap
from netmap.analysis.backtest import backtest
from netmap.analysis.candidates import DEFAULT_WEIGHTS
from netmap.analysis.markets import market_expansion
from netmap.analysis.opportunities import opportunities
from netmap.cli import cli
from netmap.errors import ArgumentError, NetmapError, NodeNotFound
from netmap.export import write_result

DAY = "2024-01-01"
MALICIOUS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


def _net(nodes: list[dict], ties: list[tuple]) -> netmap.Network:
    """A small network: ties are (source, target, type, trust)."""
    n = pd.DataFrame(nodes)
    n["roles"] = n["roles"].map(lambda r: tuple(r.split(";")))
    for col in ("capabilities", "markets"):
        if col in n:
            n[col] = n[col].map(lambda r: tuple(x for x in r.split(";") if x))
    e = pd.DataFrame(ties, columns=["source", "target", "type", "trust"])
    return netmap.Network(n, e)


def test_tiny_shortlist_by_hand(tiny):
    res = opportunities(tiny, "F1", as_of=DAY)
    df = res.table.set_index("id")
    # F1 is tied to S1 S2 S3 D1 D2 C1 R1; T1 (via S1, S2) and C2 (via D2) are 2 ties away
    assert df.index.tolist() == ["T1", "C2"]
    assert df["hops"].tolist() == [2, 2]
    assert df["rank"].tolist() == [1, 2]
    assert df.loc["T1", "common_neighbours"] == pytest.approx(0.87)  # .85*.70 + .55*.50
    # novelty: T1 lists 'ore', which neither F1 nor a partner lists; C2 lists JP, which D2 lists
    assert df.loc["T1", "new_capabilities"] == ("ore",)
    assert df.loc["T1", "novelty"] == 1 and df.loc["C2", "novelty"] == 0
    assert df.loc["C2", "new_markets"] == ()
    # no criteria: fit 1 for everyone
    assert df["fit"].tolist() == [1.0, 1.0]
    # two candidates: every component is scaled to 0 (smaller) or 1 (larger). fit is 1 for both, so it
    # ranks nobody and is left out with its weight 2.5: the weights counted sum to 7.5 - 2.5 = 5.
    # T1 leads on CN, AA, RA, Jaccard and novelty: (.5 + 1 + .5 + .5 + 1.25) / 5 = .75
    # C2 leads on brokerage gain only: 1.25 / 5 = .25
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(7.5)
    assert df.loc["T1", "score"] == pytest.approx(0.75)
    assert df.loc["C2", "score"] == pytest.approx(0.25)
    assert res.meta["left_out_of_score"].startswith("fit (equal for every candidate")
    assert df.loc["C2", "drivers"] == "brokerage_gain 100%"
    # novelty 1.25/3.75 = 33%, AA 1/3.75 = 27%, then CN .5/3.75 = 13% (first of the equal ones)
    assert df.loc["T1", "drivers"] == "novelty 33%, adamic_adar 27%, common_neighbours 13%"
    assert df.loc["T1", "introducers"] == (
        "Steelco (S1): 0.85 to us, 0.70 to them; Alloy Works (S2): 0.55 to us, 0.50 to them"
    )
    assert df.loc["C2", "introducers"] == "AsiaChannel (D2): 0.60 to us, 0.55 to them"
    assert df.loc["T1", "path_strength"] == pytest.approx(0.595)
    meta = res.meta
    assert meta["focal"] == "F1" and meta["candidates"] == 2 and meta["as_of"] == DAY


def test_brokerage_gain_column_matches_networkx(tiny):
    df = opportunities(tiny, "F1", as_of=DAY, new_strength=0.5).table.set_index("id")
    g = tiny.active(DAY).to_networkx(directed=False)
    before = nx.constraint(g, ["F1"], weight="strength")["F1"]
    for c in ("T1", "C2"):
        h = g.copy()
        h.add_edge("F1", c, strength=0.5)
        assert df.loc[c, "brokerage_gain"] == pytest.approx(before - nx.constraint(h, ["F1"], weight="strength")["F1"])


def test_focal_defaults_to_marked_one(tiny):
    marked = opportunities(tiny, as_of=DAY)
    assert marked.meta["focal"] == "F1"
    assert marked.table["id"].tolist() == opportunities(tiny, "F1", as_of=DAY).table["id"].tolist()


def test_dates_change_candidates(tiny):
    # 2020-06-01: S2-F1 and F1-R1 not yet active, D1-C2 still active
    df = opportunities(tiny, "F1", as_of="2020-06-01").table.set_index("id")
    assert sorted(df.index) == ["C2", "R1", "S2", "T1"]
    assert df.loc["C2", "shared_partners"] == 2


def test_role_filter_and_fit(tiny):
    assert opportunities(tiny, "F1", as_of=DAY, roles="customer").table["id"].tolist() == ["C2"]
    df = opportunities(tiny, "F1", as_of=DAY, markets=["jp"]).table.set_index("id")  # case-insensitive
    assert df.loc["C2", "fit"] == 1.0 and df.loc["T1", "fit"] == 0.0
    # fit = mean over the two dimensions: C2 has JP (1/1) but not 'ore' (0/1)
    df = opportunities(tiny, "F1", as_of=DAY, markets="JP", capabilities="ore").table.set_index("id")
    assert df.loc["C2", "fit"] == pytest.approx(0.5) and df.loc["T1", "fit"] == pytest.approx(0.5)
    assert opportunities(tiny, "F1", as_of=DAY, markets="JP", min_fit=1).table["id"].tolist() == ["C2"]
    # fit weighs 2.5 of 7.5: with JP requested C2 gets 1.25 + 2.5 = 3.75 -> .5, T1 3.75 -> .5; tie broken by id
    df = opportunities(tiny, "F1", as_of=DAY, markets="JP").table
    assert df["score"].tolist() == pytest.approx([0.5, 0.5])
    assert df["id"].tolist() == ["C2", "T1"]


def test_weights_change_the_ranking(tiny):
    only_brokerage = {k: 0 for k in DEFAULT_WEIGHTS} | {"brokerage_gain": 1}
    df = opportunities(tiny, "F1", as_of=DAY, weights=only_brokerage).table
    assert df["id"].tolist() == ["C2", "T1"]
    assert df["score"].tolist() == pytest.approx([1.0, 0.0])


def test_three_hop_candidate_and_chain():
    # F - A - B - C and F - A2 - B: C is 3 ties away, B 2
    net = _net(
        [{"id": x, "name": f"Org {x}", "roles": r, "focal": x == "F"}
         for x, r in [("F", "firm"), ("A", "supplier"), ("A2", "supplier"), ("B", "supplier"), ("C", "distributor")]],
        [("A", "F", "SUPPLIES", 0.8), ("A2", "F", "SUPPLIES", 0.5), ("B", "A", "SUPPLIES", 0.6),
         ("B", "A2", "SUPPLIES", 0.9), ("C", "B", "PARTNERS_WITH", 0.7)],
    )
    df = opportunities(net).table.set_index("id")
    assert df["hops"].to_dict() == {"B": 2, "C": 3}
    assert df.loc["C", ["common_neighbours", "adamic_adar", "resource_allocation", "jaccard"]].tolist() == [0, 0, 0, 0]
    # best chain to B: A2 (.5 * .9 = .45) beats A (.8 * .6 = .48)? no: .48 > .45, so via A
    assert df.loc["C", "introducers"] == "Org A (A) then Org B (B): 0.80, 0.60, 0.70"
    assert df.loc["C", "path_strength"] == pytest.approx(0.8 * 0.6 * 0.7)
    assert opportunities(net, max_hops=2).table["id"].tolist() == ["B"]


def test_ties_broken_by_id():
    # Z and Y are interchangeable partners-of-partners
    net = _net(
        [{"id": x, "name": x, "roles": "firm", "focal": x == "F"} for x in ["F", "A", "Z", "Y"]],
        [("F", "A", "PARTNERS_WITH", 0.5), ("A", "Z", "PARTNERS_WITH", 0.5), ("A", "Y", "PARTNERS_WITH", 0.5)],
    )
    df = opportunities(net).table
    assert df["id"].tolist() == ["Y", "Z"]
    assert df["score"].tolist() == [0.0, 0.0]
    assert df["drivers"].tolist()[0].startswith("no component")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"roles": "vendor"}, "unknown role 'vendor'"),
        ({"markets": "Mars"}, "no organisation lists market 'Mars'"),
        ({"capabilities": "teleport"}, "no organisation lists capability 'teleport'"),
        ({"top": 0}, "top must be"),
        ({"max_hops": 1}, "max_hops must be"),
        ({"weights": {"charm": 1}}, "unknown score component 'charm'"),
        ({"weights": {"fit": -1}}, "must be a number >= 0"),
        ({"weights": {k: 0 for k in DEFAULT_WEIGHTS}}, "at least one score weight"),
        ({"min_fit": 2}, "min_fit must be a number at least 0 and at most 1"),
        ({"new_strength": 0}, "new_strength must be a number greater than 0"),
        ({"as_of": "yesterday-ish"}, "is not a date"),
    ],
)
def test_bad_options(tiny, kwargs, message):
    with pytest.raises(ArgumentError, match=message) as e:
        opportunities(tiny, "F1", **kwargs)
    # the error names the parameter at fault (the command line adds the option), never an option
    assert e.value.param == next(iter(kwargs)) and "--" not in str(e.value)


def test_unknown_focal(tiny):
    with pytest.raises(NodeNotFound, match="'NOPE'"):
        opportunities(tiny, "NOPE")


# ------------------------------------------------------------ market expansion
def test_market_expansion_tiny(tiny):
    # F1 lists DE; its partners list DE, FR (D1, C1) and JP (D2): present everywhere
    assert market_expansion(tiny, "F1", as_of=DAY).table.empty
    df = market_expansion(tiny, "F1", presence="own", as_of=DAY).table
    # partners' partners: T1 (no markets), C2 (JP) -> only JP; FR's organisations are direct partners
    assert df["market"].tolist() == ["JP"]
    row = df.iloc[0]
    assert row["organisations"] == 1 and row["distributors"] == 0
    assert row["via"] == "AsiaChannel (D2) (1)"
    assert row["others"] == "HomeGoods (C2)"
    assert row["partners_there"] == "AsiaChannel (D2)"
    assert row["path_strength"] == pytest.approx(0.6 * 0.55)


def test_market_expansion_names_distributors():
    net = _net(
        [
            {"id": "F", "name": "Us", "roles": "firm", "focal": True, "markets": "DE"},
            {"id": "P", "name": "Partner", "roles": "firm", "markets": "DE"},
            {"id": "Q", "name": "Other partner", "roles": "supplier", "markets": ""},
            {"id": "D", "name": "Brasil Dist", "roles": "distributor", "markets": "BR;AR"},
            {"id": "C", "name": "Cliente", "roles": "customer", "markets": "BR"},
            {"id": "X", "name": "Far away", "roles": "distributor", "markets": "US"},
        ],
        [("F", "P", "PARTNERS_WITH", 0.8), ("Q", "F", "SUPPLIES", 0.4), ("P", "D", "SELLS_THROUGH", 0.5),
         ("Q", "D", "SUPPLIES", 0.9), ("D", "C", "SELLS_TO", 0.6), ("C", "X", "PARTNERS_WITH", 0.5)],
    )
    df = market_expansion(net).table.set_index("market")
    # D (2 ties away) serves AR and BR; C and X are 3 and 4 ties away
    assert sorted(df.index) == ["AR", "BR"]
    # best path to D: via P .8*.5 = .40, via Q .4*.9 = .36
    assert df.loc["BR", "distributor_list"] == "Brasil Dist (D) via Partner (P): 0.80, 0.50"
    assert df.loc["BR", "path_strength"] == pytest.approx(0.40)
    assert df.loc["BR", "via"] == "Partner (P) (1); Other partner (Q) (1)"  # equal counts: by id
    assert df.loc["BR", "distributors"] == 1


# ------------------------------------------------------------------- backtest
def _pooled_auc_and_precision(net, bt, k, as_of=None):
    """Recompute the backtest's figures: rebuild the reduced network, rank with opportunities()
    for each evaluated organisation, and compare every (hidden, non-partner) pair by brute force."""
    hidden = {frozenset(p) for p in zip(bt.hidden_pairs["u"], bt.hidden_pairs["v"])}
    net = net.active(as_of)  # the backtest works on the ties active on the day
    e = net.edges
    keep = [frozenset((s, t)) not in hidden for s, t in zip(e["source"], e["target"])]
    train = netmap.Network(net.nodes, e[keep])
    greater = pairs = hits = slots = 0.0
    random_hits = 0.0
    for u in dict.fromkeys(bt.hits["source"]):
        ranked = opportunities(train, u, top=None, as_of=as_of).table
        score = dict(zip(ranked["id"], ranked["score"]))
        partners = set(train.neighbors(u))
        universe = [x for x in train.ids if x != u and x not in partners]
        pos = set(bt.hits.loc[bt.hits["source"] == u, "target"])
        neg = [x for x in universe if x not in pos]
        for p in pos:
            for q in neg:
                sp, sq = score.get(p, -math.inf), score.get(q, -math.inf)
                greater += 1.0 if sp > sq else 0.5 if sp == sq else 0.0
                pairs += 1
        top = ranked["id"].tolist()[:k]
        hits += sum(x in pos for x in top)
        slots += len(top)
        random_hits += len(top) * len(pos) / len(universe)
    return greater / pairs, hits / slots, random_hits / slots


def test_backtest_beats_random_on_sample(sample):
    bt = backtest(sample, hide=0.1, seed=7, k=20, sources=12)
    row = bt.summary.set_index("measure").loc["score"]
    auc, precision, random_precision = _pooled_auc_and_precision(sample, bt, 20)
    assert auc > 0.5
    assert row["auc"] == pytest.approx(auc)
    assert row["precision_at_k"] == pytest.approx(precision)
    assert row["random_precision_at_k"] == pytest.approx(random_precision)
    assert row["random_auc"] == 0.5
    assert bt.meta["evaluated_organisations"] == 12
    assert bt.meta["focal_evaluated"] == (sample.focal_ids[0] in set(bt.hits["source"]))
    # 10% of the connected pairs are hidden
    n_pairs = len(sample.active().pairs(directed=False))
    assert bt.meta["hidden_pairs"] == round(0.1 * n_pairs) == len(bt.hidden_pairs)


def test_backtest_tiny_matches_brute_force(tiny):
    bt = backtest(tiny, "F1", hide=0.3, seed=1, k=3, as_of=DAY)
    auc, precision, _ = _pooled_auc_and_precision(tiny, bt, 3, as_of=DAY)
    row = bt.summary.set_index("measure").loc["score"]
    assert row["auc"] == pytest.approx(auc)
    assert row["precision_at_k"] == pytest.approx(precision)


def test_backtest_is_seeded(tiny):
    a = backtest(tiny, "F1", hide=0.3, seed=1, as_of=DAY)
    b = backtest(tiny, "F1", hide=0.3, seed=1, as_of=DAY)
    c = backtest(tiny, "F1", hide=0.3, seed=2, as_of=DAY)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    assert a.hidden_pairs.equals(b.hidden_pairs)
    assert not a.hidden_pairs.equals(c.hidden_pairs)


@pytest.mark.parametrize("kwargs", [{"hide": 0}, {"hide": 1.5}, {"k": 0}, {"sources": 0}])
def test_backtest_bad_options(tiny, kwargs):
    with pytest.raises(NetmapError):
        backtest(tiny, "F1", **kwargs)


# --------------------------------------------------------------------- export
def _malicious_network() -> netmap.Network:
    names = MALICIOUS
    nodes = [{"id": "F", "name": "Us", "roles": "firm", "focal": True, "markets": "DE"},
             {"id": "P", "name": "Partner", "roles": "firm", "markets": "DE"}]
    ties = [("F", "P", "PARTNERS_WITH", 0.8)]
    for i, name in enumerate(names):
        nodes.append({"id": f"X{i}", "name": name, "roles": "distributor", "markets": "=1+1"})
        ties.append(("P", f"X{i}", "SELLS_THROUGH", 0.5))
    return _net(nodes, ties)


def test_xlsx_shortlist_has_no_formulas(tmp_path):
    res = opportunities(_malicious_network())
    df = res.table
    assert sorted(df["name"]) == sorted(MALICIOUS)
    path = tmp_path / "shortlist.xlsx"
    write_result(res, output=path)
    wb = openpyxl.load_workbook(path)
    ws = wb["shortlist"]
    cells = [c for row in ws.iter_rows() for c in row] + [c for row in wb["about"].iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["rank", "id", "name"]
    assert ws.max_row == len(df) + 1  # one row per candidate
    names = [ws.cell(row=r, column=header.index("name") + 1).value for r in range(2, ws.max_row + 1)]
    assert sorted(names) == sorted("'" + n for n in MALICIOUS)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws["A1"].font.bold
    # a data-only load gives the text back, not a computed value
    values = openpyxl.load_workbook(path, data_only=True)["shortlist"]
    assert values.cell(row=2, column=header.index("name") + 1).value.startswith("'")


def test_cli_exports(tmp_path):
    nodes = pd.DataFrame(
        [{"id": "F", "name": "Us", "roles": "firm", "focal": "true", "markets": "DE"},
         {"id": "P", "name": "Partner", "roles": "firm", "markets": "DE"}]
        + [{"id": f"X{i}", "name": n, "roles": "distributor", "markets": "BR"} for i, n in enumerate(MALICIOUS)]
    )
    edges = pd.DataFrame(
        [{"source": "F", "target": "P", "type": "PARTNERS_WITH", "trust": 0.8}]
        + [{"source": "P", "target": f"X{i}", "type": "SELLS_THROUGH", "trust": 0.5} for i in range(len(MALICIOUS))]
    )
    data = tmp_path / "data"
    data.mkdir()
    nodes.to_csv(data / "organizations.csv", index=False)
    edges.to_csv(data / "relationships.csv", index=False)
    runner = CliRunner()
    for suffix in ("xlsx", "csv", "json"):
        out = tmp_path / f"shortlist.{suffix}"
        r = runner.invoke(cli, ["opportunities", str(data), "--role", "distributor", "-o", str(out)])
        assert r.exit_code == 0, r.output
        assert out.exists()
    wb = openpyxl.load_workbook(tmp_path / "shortlist.xlsx")
    assert not [c for row in wb["shortlist"].iter_rows() for c in row if c.data_type == "f"]
    csv = pd.read_csv(tmp_path / "shortlist.csv", dtype=str)
    assert sorted(csv["name"]) == sorted("'" + n for n in MALICIOUS)
    payload = json.loads((tmp_path / "shortlist.json").read_text())
    assert sorted(r["name"] for r in payload["rows"]) == sorted(MALICIOUS)  # JSON keeps the real names
    assert payload["meta"]["roles"] == ["distributor"]
    assert payload["rows"][0]["roles"] == ["distributor"]


# ------------------------------------------------------------------------ CLI
def test_cli_table_and_meta(tiny_dir):
    r = CliRunner().invoke(cli, ["opportunities", str(tiny_dir), "--as-of", DAY])
    assert r.exit_code == 0, r.output
    assert "# focal: F1" in r.output
    lines = r.output.splitlines()
    body = [x for x in lines if x.strip().startswith(("1 ", "2 "))]
    assert "T1" in body[0] and "C2" in body[1]


def test_cli_backtest(tiny_dir):
    r = CliRunner().invoke(cli, ["opportunities", str(tiny_dir), "--as-of", DAY, "--backtest", "--hide", "0.3",
                                 "--seed", "1", "--format", "json"])
    assert r.exit_code == 0, r.output
    payload = json.loads(r.output)
    assert payload["meta"]["seed"] == 1 and payload["meta"]["hide"] == 0.3
    assert payload["rows"][0]["measure"] == "score"
    assert {"auc", "random_auc", "precision_at_k", "random_precision_at_k"} <= set(payload["rows"][0])


def test_backtest_result_and_workbook(tiny_dir, tmp_path):
    bt = backtest(netmap.read_network(tiny_dir), "F1", hide=0.3, seed=1, as_of=DAY)
    # one result shape: the summary is the main table; hits and hidden pairs are named tables
    assert list(bt) == ["summary", "hits", "hidden_pairs"] and bt.table is bt.summary
    assert bt["hits"] is bt.hits and bt["hidden_pairs"] is bt.hidden_pairs
    out = tmp_path / "backtest.xlsx"
    r = CliRunner().invoke(cli, ["opportunities", str(tiny_dir), "--as-of", DAY, "--backtest", "--hide", "0.3",
                                 "--seed", "1", "-o", str(out)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["summary", "hits", "hidden_pairs", "about"]
    assert wb["summary"].max_row == len(bt.summary) + 1 and wb["hits"].max_row == len(bt.hits) + 1
    assert [c.value for c in wb["summary"][1]][:2] == ["measure", "auc"]


def test_cli_markets(tiny_dir):
    r = CliRunner().invoke(cli, ["markets", str(tiny_dir), "--presence", "own", "--as-of", DAY, "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert pd.read_csv(__import__("io").StringIO(r.output))["market"].tolist() == ["JP"]


@pytest.mark.parametrize(
    "args, code, text",
    [
        (["--focal", "NOPE"], 1, "Error: focal organisation 'NOPE' not found"),
        (["--market", "Mars"], 1, "Error: no organisation lists market 'Mars'"),
        (["--weights", "charm=1"], 1, "Error: unknown score component 'charm'"),
        (["--weights", "fit"], 2, "should look like fit=3"),
        (["--top", "0"], 2, "--top"),
        (["--max-hops", "1"], 2, "--max-hops"),
        (["--backtest", "--hide", "1"], 2, "--hide"),
    ],
)
def test_cli_errors(tiny_dir, args, code, text):
    r = CliRunner().invoke(cli, ["opportunities", str(tiny_dir), *args])
    assert r.exit_code == code, r.output
    assert text in r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize("command", ["opportunities", "markets"])
def test_cli_help_has_example(command):
    r = CliRunner().invoke(cli, [command, "--help"])
    assert r.exit_code == 0
    assert "Example:" in r.output and f"netmap {command} sample_data" in r.output


# ------------------------------------------------------- invariants on random networks
@pytest.mark.parametrize("seed", [3, 4, 5])
def test_candidates_and_combined_score_on_random_networks(seed):
    g = nx.gnp_random_graph(40, 0.07, seed=seed)
    rng = np.random.default_rng(seed)
    ids = [f"N{i:02d}" for i in range(40)]
    caps = ["a", "b", "c", "d"]
    nodes = [{"id": x, "name": x, "roles": ["firm", "supplier", "distributor"][i % 3], "focal": i == 0,
              "capabilities": ";".join(rng.choice(caps, size=int(rng.integers(0, 3)), replace=False)),
              "markets": ["DE", "FR", "JP", ""][i % 4]} for i, x in enumerate(ids)]
    ties = [(ids[u], ids[v], "PARTNERS_WITH", float(rng.uniform(0.1, 1))) for u, v in g.edges()]
    net = _net(nodes, ties)
    df = opportunities(net, top=None, markets="JP", capabilities=["a", "b"]).table
    # candidates: exactly the organisations 2 or 3 ties from N00 (networkx BFS)
    dist = nx.single_source_shortest_path_length(nx.relabel_nodes(g, dict(enumerate(ids))), "N00", cutoff=3)
    assert sorted(df["id"]) == sorted(x for x, d in dist.items() if d >= 2)
    assert dict(zip(df["id"], df["hops"])) == {x: d for x, d in dist.items() if d >= 2}
    if df.empty:
        return
    # the combined score recomputed from the reported components (min-max over candidates), with and
    # without criteria: a component equal for every candidate (fit, without criteria) is left out
    for table in (df, opportunities(net, top=None).table):
        spans = {comp: np.ptp(table[comp].to_numpy(dtype=float)) for comp in DEFAULT_WEIGHTS}
        total = sum(w for comp, w in DEFAULT_WEIGHTS.items() if spans[comp] > 1e-12)
        want = np.zeros(len(table))
        for comp, w in DEFAULT_WEIGHTS.items():
            x = table[comp].to_numpy(dtype=float)
            want += w * ((x - x.min()) / spans[comp] if spans[comp] > 1e-12 else 0.0) / total
        assert table["score"].to_numpy() == pytest.approx(want)
        assert table["score"].max() <= 1 + 1e-12
    # ranked by score, then id; ranks 1..n
    keys = list(zip(-df["score"].round(12), df["id"]))
    assert keys == sorted(keys)
    assert df["rank"].tolist() == list(range(1, len(df) + 1))
    # fit: mean of (has JP) and (share of {a, b} held)
    by_id = {r["id"]: r for r in nodes}
    for r in df.itertuples(index=False):
        held = set(filter(None, by_id[r.id]["capabilities"].split(";")))
        want_fit = ((by_id[r.id]["markets"] == "JP") + len(held & {"a", "b"}) / 2) / 2
        assert r.fit == pytest.approx(want_fit)


def test_top_and_all(tiny_dir, tiny):
    assert len(opportunities(tiny, "F1", as_of=DAY, top=1).table) == 1
    assert len(opportunities(tiny, "F1", as_of="2020-06-01", top=None).table) == 4
    r = CliRunner().invoke(cli, ["opportunities", str(tiny_dir), "--as-of", "2020-06-01", "--all", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.output)["rows"]) == 4


@pytest.mark.parametrize("args, text", [
    (["markets", "--neo4j", "--write-back"], "reports markets, not organisations"),
    (["opportunities", "--neo4j", "--write-back", "--backtest"], "does not apply to --backtest"),
])
def test_write_back_refused_where_there_is_nothing_to_store(args, text):
    r = CliRunner().invoke(cli, args, env={"NEO4J_URI": "bolt://localhost:1"})
    assert r.exit_code == 2, r.output
    assert text in r.output


# ------------------------------------------------------------ row order of the input files
@pytest.mark.parametrize("seed", [1, 2])
def test_shortlists_do_not_depend_on_the_row_order_of_the_files(tmp_path, seed):
    from test_centrality import assert_same_result, shuffled_copy

    from netmap.analysis.linkpred import link_scores

    src = Path(__file__).resolve().parents[1] / "sample_data"
    nets = [netmap.read_network(d) for d in (src, shuffled_copy(src, tmp_path / "shuffled", seed))]
    assert nets[0].ids != nets[1].ids  # the rows really moved
    runs = [
        lambda n: opportunities(n, as_of="2024-06-30", top=None),
        lambda n: opportunities(n, "ORG-0003", as_of="2024-06-30", markets="BR", roles="distributor"),
        lambda n: market_expansion(n, as_of="2024-06-30"),
        lambda n: market_expansion(n, "ORG-0108", presence="own", as_of="2024-06-30"),
        lambda n: backtest(n, as_of="2024-06-30", hide=0.2, seed=5, sources=30),
        lambda n: link_scores(n, as_of="2024-06-30"),
    ]
    for run in runs:
        assert_same_result(run(nets[0]), run(nets[1]))


def test_backtest_counts_equal_scores_as_ties():
    # F's partners Z1, Z2, Z3 lead to P with strengths .1, .2, .3 and to Q with .3, .2, .1: P and Q have
    # the same common neighbours (0.6), summed in another order: 0.1 + 0.2 + 0.3 = 0.6000000000000001.
    nodes = [{"id": x, "name": x, "roles": "firm", "focal": x == "F"} for x in ["F", "P", "Q", "Z1", "Z2", "Z3"]]
    ties = [("F", z, "PARTNERS_WITH", 1.0) for z in ("Z1", "Z2", "Z3")]
    ties += [(z, "P", "PARTNERS_WITH", w) for z, w in (("Z1", 0.1), ("Z2", 0.2), ("Z3", 0.3))]
    ties += [(z, "Q", "PARTNERS_WITH", w) for z, w in (("Z1", 0.3), ("Z2", 0.2), ("Z3", 0.1))]
    ties += [("F", "P", "PARTNERS_WITH", 1.0)]
    net = _net(nodes, ties)
    bt = backtest(net, "F", hide=0.1, seed=23, sources=1)
    assert bt.hidden_pairs.values.tolist() == [["F", "P"]]  # the one hidden tie: P is the positive, Q the negative
    assert 0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1  # the premise: the two sums differ in the last digit
    auc = bt.summary.set_index("measure")["auc"]
    # every measure is equal for P and Q: a tie, AUC 0.5, not a win by floating-point noise
    assert auc.tolist() == [0.5] * len(auc)


def test_the_two_constraints_have_two_names(sample):
    # the shortlist's constraint weighs ties by strength, brokerage's by value (its default): two numbers for
    # ORG-0001 (0.0234 and 0.0532), so two names; each equals networkx's constraint with its own weight
    from netmap.analysis.brokerage import brokerage

    net = sample.active("2024-06-30")
    meta = opportunities(net, "ORG-0001", as_of="2024-06-30").meta
    assert "constraint_now" not in meta and "strength" in meta["strength_constraint"]
    g = net.to_networkx(directed=False)
    by_strength = nx.constraint(g, ["ORG-0001"], weight="strength")["ORG-0001"]
    by_value = nx.constraint(g, ["ORG-0001"], weight="value")["ORG-0001"]
    assert meta["strength_constraint_now"] == pytest.approx(by_strength, abs=1e-6)
    b = brokerage(net, ["ORG-0001"])
    assert b.table["constraint"].iloc[0] == pytest.approx(by_value, abs=1e-12)
    assert b.meta["weight"].startswith("value") and abs(by_value - by_strength) > 0.02
