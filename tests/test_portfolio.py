"""Relationship portfolio: Kraljic quadrants, customer segments and retention risk, relationship quality.

Every expected figure is worked out by hand in the test from the network it
builds, or (hidden upstream concentration) computed independently with
networkx on the sample network.
"""

from __future__ import annotations

import json
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from test_paths import assert_same_result, shuffled_copy

import netmap
from netmap import Network
from netmap.analysis.portfolio import TABLES, VIEWS, portfolio
from netmap.analysis.relationships import NO_DATA
from netmap.cli import cli
from netmap.errors import ArgumentError, NodeNotFound

DAY = "2024-06-30"
Q4 = ("trust", "communication", "commitment", "mutual_benefit")


def build(ties, orgs=None, focal="F"):
    """A Network from tie dicts (source, target, type, value, category, qualities as ``q=(t, c, m, b)``,
    until, exclusive) and ``orgs`` = {id: {roles, clv, satisfaction, revenue}}."""
    orgs = orgs or {}
    ids = sorted({t["source"] for t in ties} | {t["target"] for t in ties} | set(orgs) | {focal})
    nodes = pd.DataFrame({
        "id": ids, "name": [f"Org {i}" for i in ids],
        "roles": [tuple(orgs.get(i, {}).get("roles", ("firm",))) for i in ids],
        "focal": [i == focal for i in ids],
        **{col: [orgs.get(i, {}).get(col, np.nan) for i in ids] for col in ("clv", "satisfaction", "revenue")},
    })
    rows = []
    for t in ties:
        q = t.get("q", (None,) * 4)
        rows.append({"source": t["source"], "target": t["target"], "type": t["type"], "value": t.get("value"),
                     "category": t.get("category", ""), **dict(zip(Q4, q)),
                     "until": t.get("until"), "exclusive": t.get("exclusive", False)})
    return Network(nodes, pd.DataFrame(rows))


def sup(source, value, category, target="F", **kw):
    return {"source": source, "target": target, "type": "SUPPLIES", "value": value, "category": category, **kw}


def sells(source, target, value, category="drives", **kw):
    return {"source": source, "target": target, "type": "SELLS_TO", "value": value, "category": category, **kw}


# ------------------------------------------------------------------ supply portfolio (Kraljic)
def kraljic_network(d_each=18_000, a_value=500_000):
    """Four input categories. Spend: A 500,000 from one supplier; B 5 x 70,000 (HHI 5 x 20^2 = 2,000);
    C 60,000 from one supplier; D 5 x 18,000 (HHI 2,000). Total 1,000,000."""
    ties = [sup("SA", a_value, "A"), sup("SC", 60_000, "C")]
    ties += [sup(f"SB{i}", 70_000, "B") for i in range(1, 6)]
    ties += [sup(f"SD{i}", d_each, "D") for i in range(1, 6)]
    return build(ties)


def test_each_category_lands_in_its_own_quadrant():
    r = portfolio(kraljic_network(), "F", as_of=DAY, view="suppliers")
    assert list(r) == ["supply_categories", "suppliers"]
    cats = r["supply_categories"].set_index("category")
    # impact: A 50 %, B 35 % (high, >= 10 %); C 6 %, D 9 % (low). Risk: A and C single supplier; B and D five
    # equal suppliers, HHI 2,000 < 2,500, nothing upstream, no exclusive tie: low.
    assert cats["impact_share"].to_dict() == pytest.approx({"A": 0.5, "B": 0.35, "C": 0.06, "D": 0.09})
    assert cats["quadrant"].to_dict() == {"A": "strategic", "B": "leverage", "C": "bottleneck", "D": "non-critical"}
    assert cats["action"].to_dict() == {
        "A": "partner closely and develop a second source", "B": "tender and negotiate",
        "C": "secure supply and look for substitutes", "D": "simplify and automate"}
    assert cats["hhi"].to_dict() == pytest.approx({"A": 10_000, "B": 2_000, "C": 10_000, "D": 2_000})
    assert cats["risk_signals"].to_dict() == {"A": 1, "B": 0, "C": 1, "D": 0}
    assert "a single supplier (SA Org SA)" in cats.loc["A", "reason"]
    assert "supply risk low" in cats.loc["D", "reason"]
    # most critical quadrant first
    assert r.table["category"].tolist() == ["A", "C", "B", "D"]
    s = r["suppliers"].set_index("id")
    assert s.loc["SA", "quadrant"] == "strategic" and s.loc["SB3", "quadrant"] == "leverage"
    assert s.loc["SA", "spend_share"] == pytest.approx(0.5)
    assert s.loc["SD1", "category_share"] == pytest.approx(0.2)
    assert s.loc["SD1", "spend"] == 18_000


def test_impact_exactly_at_the_threshold_is_high():
    # D: 5 x 20,000 = 100,000 of 490,000 + 350,000 + 60,000 + 100,000 = 1,000,000: exactly 10 %
    cats = portfolio(kraljic_network(d_each=20_000, a_value=490_000), "F", as_of=DAY).table.set_index("category")
    assert cats.loc["D", "impact_share"] == 0.1
    assert cats.loc["D", "high_impact"] and cats.loc["D", "quadrant"] == "leverage"
    # and with a threshold just above it, low
    cats = portfolio(kraljic_network(d_each=20_000, a_value=490_000), "F", as_of=DAY,
                     impact_threshold=0.1000001).table.set_index("category")
    assert cats.loc["D", "quadrant"] == "non-critical"
    # 9 % of the spend with the threshold at 9 %: high
    cats = portfolio(kraljic_network(), "F", as_of=DAY, impact_threshold=0.09).table.set_index("category")
    assert cats.loc["D", "quadrant"] == "leverage"


def test_hidden_upstream_and_exclusive_ties_are_supply_risks():
    ties = [sup(f"SE{i}", 20_000, "E") for i in range(1, 6)]  # HHI 2,000: low on its own
    ties += [sup("T", 5_000, "inputs", "SE1"), sup("T", 5_000, "inputs", "SE2"),  # T behind SE1 and SE2
             sup("U", 1_000, "ore", "T"), sup("U", 1_000, "ore", "SE3")]  # U behind SE1, SE2 (via T) and SE3
    ties += [sup("SX1", 50_000, "X", exclusive=True), sup("SX2", 50_000, "X")]  # exclusive with exactly 50 %
    ties += [sup("SY1", 30_000, "Y", exclusive=True), sup("SY2", 35_000, "Y"), sup("SY3", 35_000, "Y")]  # 30 %
    cats = portfolio(build(ties), "F", as_of=DAY, view="suppliers").table.set_index("category")
    e = cats.loc["E"]
    assert e["hhi"] == pytest.approx(2_000) and e["supply_risk"] == "high" and e["risk_signals"] == 1
    assert e["hidden_upstream"] and e["hidden_behind"] == "U" and e["suppliers_behind"] == 3
    assert "U Org U (tier 2) is behind 3 of its 5 suppliers" in e["reason"]  # tier: the shortest chain, via SE3
    x = cats.loc["X"]
    assert x["exclusive_share"] == 0.5 and x["risk_signals"] == 2  # HHI 5,000 and the exclusive tie
    assert "an exclusive tie with SX1 Org SX1 carries 50.0% of its spend" in x["reason"]
    y = cats.loc["Y"]  # HHI 30^2 + 2 x 35^2 = 3,350; the exclusive tie has only 30 %: not a signal of its own
    assert y["exclusive_share"] == pytest.approx(0.3) and y["risk_signals"] == 1 and "exclusive" not in y["reason"]


def test_hidden_upstream_matches_networkx_on_the_sample(sample):
    cats = portfolio(sample, as_of=DAY, view="suppliers").table
    act = sample.active(DAY).edges
    s = act[act["type"] == "SUPPLIES"]
    focal = sample.focal_ids[0]
    g = nx.DiGraph(list(zip(s["source"], s["target"])))
    g.remove_node(focal)  # what the focal supplies onwards is not followed
    into = s[s["target"] == focal]
    checked = 0
    for cat, grp in into.groupby(into["category"].replace("", "(uncategorised)")):
        sups = sorted(set(grp["source"]))
        anc = {x: nx.ancestors(g, x) if x in g else set() for x in sups}
        counts = {}
        for x in set().union(*anc.values()):
            counts[x] = sum(1 for y in sups if y != x and x in anc[y])
        best = max(counts.values(), default=0)
        row = cats[cats["category"] == cat].iloc[0]
        assert row["hidden_upstream"] == (best >= 2), cat
        if best >= 2:
            assert row["suppliers_behind"] == best and counts[row["hidden_behind"]] == best, cat
            checked += 1
    assert checked >= 3  # the sample's shared tier-2 suppliers


# ------------------------------------------------------------------ customer portfolio
def customer_network(extra_ties=(), extra_orgs=None):
    """K1: CLV 400,000, all qualities 0.8. K2: CLV 300,000, trust 0.3, communication 0.8, commitment 0.5,
    mutual benefit 0.6 (strength 0.55), satisfaction 5. K3: CLV 100,000, all 0.6 (strength exactly 0.6).
    K4: no CLV, sells 50,000 a year, all 0.5."""
    orgs = {"K1": {"roles": ["customer"], "clv": 400_000, "satisfaction": 9},
            "K2": {"roles": ["customer"], "clv": 300_000, "satisfaction": 5},
            "K3": {"roles": ["customer"], "clv": 100_000, "satisfaction": 7},
            "K4": {"roles": ["customer"]}, **(extra_orgs or {})}
    ties = [sells("F", "K1", 90_000, q=(0.8,) * 4), sells("F", "K2", 80_000, q=(0.3, 0.8, 0.5, 0.6)),
            sells("F", "K3", 30_000, q=(0.6,) * 4), sells("F", "K4", 50_000, q=(0.5,) * 4), *extra_ties]
    return build(ties, orgs)


def test_each_customer_lands_in_its_own_segment():
    r = portfolio(customer_network(), "F", as_of=DAY, view="customers")
    c = r["customers"].set_index("id")
    # values 400,000, 300,000, 100,000 and 50,000 (K4: no CLV, its sales): median 200,000
    assert r.meta["value_threshold"] == 200_000
    assert c["value"].to_dict() == {"K1": 400_000, "K2": 300_000, "K3": 100_000, "K4": 50_000}
    assert c.loc["K4", "value_basis"] == "sales" and c.loc["K1", "value_basis"] == "clv"
    assert c["strength"].to_dict() == pytest.approx({"K1": 0.8, "K2": 0.55, "K3": 0.6, "K4": 0.5})
    assert c["segment"].to_dict() == {"K1": "core", "K2": "at_risk", "K3": "develop", "K4": "serve"}
    assert c.loc["K3", "strong"]  # exactly 0.6 is strong
    assert c.loc["K2", "weakest_quality"] == "trust"
    # K2: satisfaction 5 < 6 -> 0.5 + 0.5 * 1/6; trust 0.3 < 0.4 -> 0.5 + 0.5 * 0.1/0.4
    assert c.loc["K2", "risk_signals"] == 2
    assert c.loc["K2", "retention_risk"] == pytest.approx(0.5 + 0.5 / 6 + 0.5 + 0.125, abs=1e-6)
    assert c.loc["K2", "reason"].startswith("retention risk: satisfaction 5 below 6; trust 0.3 below 0.4")
    assert (c.drop("K2")["risk_signals"] == 0).all()
    # the riskiest first, then by value
    assert r.table["id"].tolist() == ["K2", "K1", "K3", "K4"] and r.table["rank"].tolist() == [1, 2, 3, 4]
    seg = r["customer_segments"].set_index("segment")
    assert seg["customers"].to_dict() == {"core": 1, "at_risk": 1, "develop": 1, "serve": 1}
    assert seg["value_at_risk"].to_dict() == {"core": 0, "at_risk": 300_000, "develop": 0, "serve": 0}
    assert seg.loc["at_risk", "action"] == "repair now"


def test_strength_just_below_the_threshold_is_weak_and_thresholds_can_be_set():
    c = portfolio(customer_network(), "F", as_of=DAY, strength_threshold=0.6000001)["customers"].set_index("id")
    assert c.loc["K3", "segment"] == "serve"
    c = portfolio(customer_network(), "F", as_of=DAY, strength_threshold=0.55)["customers"].set_index("id")
    assert c.loc["K2", "segment"] == "core"
    # an absolute value threshold: only K1 (400,000) is high
    r = portfolio(customer_network(), "F", as_of=DAY, view="customers", value_threshold=350_000)
    c = r.table.set_index("id")
    assert c["segment"].to_dict() == {"K1": "core", "K2": "serve", "K3": "develop", "K4": "serve"}
    assert r.meta["value_threshold"] == 350_000 and r.meta["value_threshold_from"] == "given"


def test_missing_clv_falls_back_to_sales_and_missing_qualities_are_no_relationship_data():
    r = portfolio(customer_network([sells("F", "K5", 70_000)], {"K5": {"roles": ["customer"]}}), "F", as_of=DAY,
                  view="all")
    c = r["customers"].set_index("id")
    assert c.loc["K5", "value"] == 70_000 and c.loc["K5", "value_basis"] == "sales"
    assert c.loc["K5", "segment"] == NO_DATA and math.isnan(c.loc["K5", "strength"])
    assert c.loc["K5", "weakest_quality"] == NO_DATA and not c.loc["K5", "strong"]
    assert "not judged weak" in c.loc["K5", "reason"]
    seg = r["customer_segments"].set_index("segment")
    assert seg.loc[NO_DATA, "customers"] == 1 and seg.loc["serve", "customers"] == 1
    p = r["partners"]
    assert p["id"].iloc[-1] == "K5" and p["weakest_quality"].iloc[-1] == NO_DATA  # no data last, not weakest


def test_sales_through_distributors_wallet_and_ending_ties():
    # F sells through D (100,000); G sells through D too (300,000): F's part of what D buys is 1/4.
    ties = [
        {"source": "F", "target": "D", "type": "SELLS_THROUGH", "value": 100_000, "q": (0.9,) * 4},
        {"source": "G", "target": "D", "type": "SELLS_THROUGH", "value": 300_000},
        sells("D", "K6", 80_000, q=(0.7, 0.6, 0.5, 0.8), until="2024-07-30"),  # ends in 30 days
        sells("H", "K6", 120_000),  # a competitor, same category
        sells("F", "K7", 100_000, q=(0.9,) * 4), sells("D", "K7", 40_000),
        sells("H", "K7", 500_000, category="other"),  # another category: not its wallet for us
    ]
    r = portfolio(build(ties, {"K6": {"roles": ["customer"]}, "K7": {"roles": ["customer"]}}), "F", as_of=DAY,
                  view="customers")
    c = r.table.set_index("id")
    assert c.loc["K6", "sales_value"] == pytest.approx(80_000 * 0.25)
    assert c.loc["K7", "sales_value"] == pytest.approx(100_000 + 40_000 * 0.25)
    assert c.loc["K6", "channel"] == "1 distributor(s)" and c.loc["K7", "channel"] == "direct + 1 distributor(s)"
    # K6 is judged on D's tie with it: (0.7 + 0.6 + 0.5 + 0.8) / 4
    assert c.loc["K6", "relationship_basis"] == "distributors' ties"
    assert c.loc["K6", "strength"] == pytest.approx(0.65)
    # share of wallet: 20,000 of 80,000 + 120,000 = 10 %; K7 has no competitor in its category
    assert c.loc["K6", "share_of_wallet"] == pytest.approx(0.1)
    assert math.isnan(c.loc["K7", "share_of_wallet"])
    assert c.loc["K6", "ending"] == "2024-07-30"
    # one distributor 0.5; wallet 0.5 + 0.5 * 0.4/0.5; ending in 30 of 90 days 0.5 + 0.5 * 60/90
    assert c.loc["K6", "risk_signals"] == 3
    assert c.loc["K6", "retention_risk"] == pytest.approx(0.5 + 0.9 + 0.5 + 0.5 * 60 / 90, abs=1e-6)
    assert c.loc["K7", "risk_signals"] == 0


# ------------------------------------------------------------------ partners
def test_relationship_quality_gap_and_dependence():
    orgs = {"S": {"roles": ["supplier"], "revenue": 600_000}, "S2": {"roles": ["supplier"], "revenue": 200_000},
            "P1": {}, "P2": {}}
    ties = [sup("S", 400_000, "steel", q=(0.9, 0.8, 0.9, 0.8)), sup("S2", 100_000, "steel", q=(0.6, 0.5, None, None)),
            {"source": "F", "target": "P1", "type": "PARTNERS_WITH", "q": (0.45, 0.8, 0.9, 0.7)},
            {"source": "P2", "target": "F", "type": "PARTNERS_WITH", "q": (0.45, 0.8, 0.9, 0.69)}]
    p = portfolio(build(ties, orgs), "F", as_of=DAY, view="partners").table.set_index("id")
    # P1: communication 0.8 and mutual benefit 0.7 >= 0.7, trust 0.45 < 0.5; P2's mutual benefit is 0.69
    assert p["commitment_trust_gap"].to_dict() == {"S": False, "S2": False, "P1": True, "P2": False}
    assert p.loc["P1", "weakest_quality"] == "trust" and p.loc["S2", "weakest_quality"] == "communication"
    assert p.loc["S2", "strength"] == pytest.approx(0.55)  # (0.6 + 0.5) / 2
    # S: 400,000 of its 600,000 revenue (0.667) against 80 % of our steel: within a factor of 1.5, mutual
    assert p.loc["S", "their_dependence"] == pytest.approx(400_000 / 600_000)
    assert p.loc["S", "our_dependence"] == pytest.approx(0.8) and p.loc["S", "dependence"] == "mutual"
    # S2: 100,000 of 200,000 = 50 % against 20 % of our steel
    assert p.loc["S2", "dependence"] == "they depend more on us"
    assert p.loc["P1", "dependence"] == ""  # we buy nothing from it
    assert p.index.tolist()[0] == "S2"  # weakest relationship first


# ------------------------------------------------------------------ the result, arguments, the sample
def test_views_hold_their_tables(tiny):
    for view, tables in VIEWS.items():
        r = portfolio(tiny, "F1", as_of=DAY, view=view)
        assert tuple(r) == tables and r.meta["view"] == view
    assert TABLES == ("supply_categories", "suppliers", "customers", "customer_segments", "partners")


@pytest.mark.parametrize("kwargs,param", [
    ({"view": "vendors"}, "view"), ({"impact_threshold": 1.5}, "impact_threshold"),
    ({"strength_threshold": -0.1}, "strength_threshold"), ({"value_threshold": -1}, "value_threshold"),
    ({"as_of": "2024-02-30"}, "as_of"),
])
def test_bad_arguments_name_the_parameter(tiny, kwargs, param):
    with pytest.raises(ArgumentError) as e:
        portfolio(tiny, "F1", **{"as_of": DAY, **kwargs})
    assert e.value.param == param and "--" not in str(e.value)


def test_unknown_focal(tiny):
    with pytest.raises(NodeNotFound):
        portfolio(tiny, "NOPE", as_of=DAY)


def test_a_focal_without_suppliers_or_customers_gets_empty_tables():
    r = portfolio(build([{"source": "F", "target": "R", "type": "COLLABORATES_WITH", "q": (0.5,) * 4}]), "F",
                  as_of=DAY)
    assert r["supply_categories"].empty and r["suppliers"].empty and r["customers"].empty
    assert len(r["partners"]) == 1


def test_every_quadrant_and_segment_has_members_in_the_sample(sample):
    r = portfolio(sample, as_of=DAY)
    assert set(r["supply_categories"]["quadrant"]) == {"strategic", "leverage", "bottleneck", "non-critical"}
    segs = r["customers"]["segment"].value_counts()
    assert {"core", "at_risk", "develop", "serve"} <= set(segs.index)
    assert r["partners"]["commitment_trust_gap"].any()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_row_order_of_the_input_does_not_matter(tmp_path, seed):
    from conftest import SAMPLE

    base = portfolio(netmap.read_network(shuffled_copy(SAMPLE, tmp_path / "a", None, cents=True)), as_of=DAY)
    other = portfolio(netmap.read_network(shuffled_copy(SAMPLE, tmp_path / "b", seed, cents=True)), as_of=DAY)
    assert_same_result(base, other)


# ------------------------------------------------------------------ the command
def test_command_text_csv_json(tiny_dir, tmp_path):
    run = CliRunner().invoke
    res = run(cli, ["portfolio", str(tiny_dir), "--as-of", DAY])
    assert res.exit_code == 0, res.output
    assert "Relationship portfolio of F1 Acme Manufacturing (ties active on 2024-06-30)" in res.output
    assert "Supply portfolio (Kraljic)" in res.output and "Customer segments" in res.output
    res = run(cli, ["portfolio", str(tiny_dir), "--as-of", DAY, "--view", "customers", "--section", "customers",
                    "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0].startswith("rank,id,name,segment,")
    res = run(cli, ["portfolio", str(tiny_dir), "--as-of", DAY, "--view", "partners", "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.startswith("id,name,roles,")  # one table: no --section needed
    res = run(cli, ["portfolio", str(tiny_dir), "--as-of", DAY, "--format", "json", "--impact-threshold", "50"])
    data = json.loads(res.stdout)
    assert data["meta"]["impact_threshold"] == 0.5
    chips = [c for c in data["sections"]["supply_categories"] if c["category"] == "chips"][0]
    assert chips["quadrant"] == "bottleneck"  # 33.3 % < 50 %, single supplier
    out = tmp_path / "p.xlsx"
    res = run(cli, ["portfolio", str(tiny_dir), "--as-of", DAY, "-o", str(out)])
    assert res.exit_code == 0 and out.exists()
    assert set(pd.ExcelFile(out).sheet_names) >= set(TABLES) | {"about"}


@pytest.mark.parametrize("args,needle", [
    (["--format", "csv"], "CSV holds one table"),
    (["--view", "suppliers", "--section", "customers"], "the suppliers view has no table customers"),
    (["--impact-threshold", "120"], "--impact-threshold"),
])
def test_command_usage_errors(tiny_dir, args, needle):
    res = CliRunner().invoke(cli, ["portfolio", str(tiny_dir), "--as-of", DAY, *args])
    assert res.exit_code == 2 and needle in res.output


def test_command_unknown_focal_exits_1(tiny_dir):
    res = CliRunner().invoke(cli, ["portfolio", str(tiny_dir), "--focal", "NOPE"])
    assert res.exit_code == 1 and "NOPE" in res.output


# ------------------------------------------------------------------ report, map, chart
def test_report_section_has_two_quadrant_charts_and_the_tables(tiny):
    from netmap.render.report import report_sections

    sections, _ = report_sections(tiny, "F1", as_of=DAY)
    sec = {s.key: s for s in sections}["portfolio"]
    assert sec.title == "Relationship portfolio"
    assert sec.html.count("<svg") == 2
    # every category and customer is a point with its tooltip
    assert "<title>steel: strategic," in sec.html and "<title>BuildCorp: core," in sec.html
    assert set(sec.tables) == {f"portfolio_{t}" for t in TABLES}
    assert sec.meta["impact_threshold"] == 0.1


def test_map_highlight_colours_quadrants_and_segments(tiny, tiny_dir, tmp_path):
    from netmap.render.highlights import PORTFOLIO_COLORS
    from netmap.render.map import map_data

    m = map_data(tiny, size="degree", highlight="portfolio", as_of=DAY)
    border = {n["id"]: n["color"]["border"] for n in m.nodes}
    # hand-checked above: every supply category of F1 is strategic; C1 core, C2 serve
    assert {border[s] for s in ("S1", "S2", "S3")} == {PORTFOLIO_COLORS["strategic"]}
    assert border["C1"] == PORTFOLIO_COLORS["core"] and border["C2"] == PORTFOLIO_COLORS["serve"]
    assert any("strategic 3 (red-orange)" in note and "core 1 (green)" in note for note in m.notes)
    out = tmp_path / "portfolio.html"
    res = CliRunner().invoke(cli, ["map", str(tiny_dir), "--as-of", DAY, "--highlight", "portfolio", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "BuildCorp" in out.read_text(encoding="utf-8")


def test_scatter_chart_escapes_every_text():
    from netmap.render.charts import scatter_chart

    evil = '<script>alert("x")</script>'
    svg = scatter_chart([1, 100, float("nan")], [0.2, 0.9, 0.5], [evil, "B & C", "left out"], tips=[evil, "", ""],
                        x_mark=10, y_mark=0.6, x_title=evil, y_title="<b>", corners=(evil, "", "", ""),
                        x_log=True, title=evil)
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "B &amp; C" in svg
    assert svg.count("<circle") == 2  # the NaN point is left out


def test_without_recorded_spend_every_category_counts_equally():
    ties = [sup("S1", None, "A"), sup("S2", None, "B"), sup("S3", None, "B"), sup("S4", None, "C"),
            sup("S5", None, "D")]
    cats = portfolio(build(ties), "F", as_of=DAY, view="suppliers").table.set_index("category")
    assert cats["impact_share"].to_dict() == pytest.approx({"A": 0.25, "B": 0.25, "C": 0.25, "D": 0.25})
    assert set(cats["basis"]) == {"count"} and "every category counts equally" in cats.loc["A", "reason"]


def test_hostile_names_stay_text_in_files_and_the_report(evil_dir, tmp_path):
    from hostile import FORMULA, XSS_IMG

    from netmap.render.report import write_report

    out = tmp_path / "p.csv"
    res = CliRunner().invoke(cli, ["portfolio", str(evil_dir), "--as-of", DAY, "--view", "suppliers", "--section",
                                   "suppliers", "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert f"'{FORMULA}".replace('"', '""') in text  # S2's name: written as text, never a formula
    rep = write_report(netmap.read_network(evil_dir), tmp_path / "report", as_of=DAY, maps=False)
    page = rep.path.read_text(encoding="utf-8")
    section = page[page.index('id="portfolio"'):]
    assert XSS_IMG not in section and "&lt;img src=x onerror=alert(1)&gt;" in section


@pytest.mark.bolt
def test_write_back_stores_quadrant_segment_risk_and_strength(bolt, tiny_dir):
    from test_neo4j_store import cli_args, query

    runner = CliRunner()
    assert runner.invoke(cli, ["load", str(tiny_dir), *cli_args(bolt)]).exit_code == 0
    res = runner.invoke(cli, ["portfolio", *cli_args(bolt), "--as-of", DAY, "--write-back"])
    assert res.exit_code == 0, res.output
    got = {r["id"]: r for r in query(bolt, "MATCH (o:Organization) RETURN o.id AS id, o.netmap_portfolio_quadrant "
                                           "AS q, o.netmap_portfolio_segment AS s, o.netmap_retention_risk AS r, "
                                           "o.netmap_relationship_strength AS k")}
    assert got["S3"]["q"] == "strategic" and got["C1"]["s"] == "core" and got["C2"]["s"] == "serve"
    assert got["C2"]["r"] == 0.5 and got["S1"]["k"] == pytest.approx(0.85)
    assert got["T1"]["q"] is None and got["T1"]["k"] is None  # not a direct partner: nothing stored


def test_cli_country_risk_adds_the_high_risk_supplier_signal(tmp_path, tiny_dir):
    # country risks TW 0.55, AU 0.9, PL 0.4; by max(own, 0.6 own + 0.4 upstream), by hand:
    #   T1 (AU, no suppliers) 0.9; S2 (PL) max(0.4, 0.24 + 0.4 * 0.9) = 0.60 -> high (from 0.5);
    #   S1 (DE, none: 0) max(0, 0.4 * 0.9) = 0.36 -> not high; S3 (TW, no suppliers) 0.55 -> high.
    # So steel gains "S2 Alloy Works (0.60)" and chips "S3 ChipFab (0.55)": one more risk signal each.
    f = tmp_path / "country_risk.csv"
    f.write_text("country,risk\nTW,0.55\nAU,0.9\nPL,0.4\n", encoding="utf-8")
    args = ["portfolio", str(tiny_dir), "--focal", "F1", "--as-of", "2024-06-30", "--view", "suppliers",
            "--section", "supply_categories", "--format", "json"]
    runs = {}
    for key, extra in (("without", []), ("with", ["--country-risk", str(f)])):
        out = CliRunner().invoke(cli, args + extra)
        assert out.exit_code == 0, out.output
        runs[key] = pd.DataFrame(json.loads(out.stdout)["rows"]).set_index("category")
    before, after = runs["without"], runs["with"]
    assert not before["reason"].str.contains("high-risk").any()
    assert "high-risk supplier (effective disruption risk from 0.5): S2 Alloy Works (0.60)" in after.loc["steel", "reason"]
    assert "S1" not in after.loc["steel", "reason"].split("high-risk supplier")[1]
    assert "high-risk supplier (effective disruption risk from 0.5): S3 ChipFab (0.55)" in after.loc["chips", "reason"]
    assert (after["risk_signals"] - before["risk_signals"]).to_dict() == {"steel": 1, "chips": 1}


# ------------------------------------------------------------------ value falling (an earlier snapshot)
def _tiny_copy(tmp_path, name, clv=None, sells=None):
    import shutil

    d = tmp_path / name
    shutil.copytree("sample_data/tiny", d)
    orgs = pd.read_csv(d / "organizations.csv", dtype=str, keep_default_na=False)
    for oid, v in (clv or {}).items():
        orgs.loc[orgs["id"] == oid, "clv"] = v
    orgs.to_csv(d / "organizations.csv", index=False)
    rels = pd.read_csv(d / "relationships.csv", dtype=str, keep_default_na=False)
    for (s, t), v in (sells or {}).items():
        rels.loc[(rels["source"] == s) & (rels["target"] == t), "value"] = v
    rels.to_csv(d / "relationships.csv", index=False)
    return d


def test_value_falling_compares_clv_with_clv_and_sales_with_sales(tmp_path):
    import netmap
    from netmap.analysis.portfolio import portfolio

    # now: C1 has CLV 500,000; C2 no CLV and 150,000 of sales through D2 (D2 buys only from us: all of it ours)
    now = netmap.read_network(_tiny_copy(tmp_path, "now", clv={"C2": ""}))
    # before: C1's CLV was 625,000 (-20 %); C2's sales through D2 were 300,000 (-50 %)
    before = netmap.read_network(_tiny_copy(tmp_path, "before", clv={"C1": "625000", "C2": ""},
                                            sells={("D2", "C2"): "300000"}))
    plain = portfolio(now, "F1", as_of=DAY)["customers"].set_index("id")
    got = portfolio(now, "F1", as_of=DAY, before=before)["customers"].set_index("id")
    assert got.loc["C1", "value_before"] == 625_000 and got.loc["C1", "value_change"] == pytest.approx(-0.2)
    assert got.loc["C2", "value_before"] == 300_000 and got.loc["C2", "value_change"] == pytest.approx(-0.5)
    assert "its CLV fell 20% since the earlier snapshot (625,000 to 500,000)" in got.loc["C1", "reason"]
    assert "its sales fell 50% since the earlier snapshot (300,000 to 150,000)" in got.loc["C2", "reason"]
    for c in ("C1", "C2"):
        assert got.loc[c, "risk_signals"] == plain.loc[c, "risk_signals"] + 1
    # severity: 0.5 + 0.5 x the fall
    assert got.loc["C1", "retention_risk"] == pytest.approx(plain.loc["C1", "retention_risk"] + 0.6)
    assert got.loc["C2", "retention_risk"] == pytest.approx(plain.loc["C2", "retention_risk"] + 0.75)
    assert plain["value_before"].isna().all()


def test_value_falling_threshold_is_ten_percent_and_clv_given_once_falls_back_to_sales(tmp_path):
    import netmap
    from netmap.analysis.portfolio import portfolio

    now = netmap.read_network("sample_data/tiny")
    # C1: exactly 10 % down -> the signal; C2: CLV only now -> its sales are compared (150,000 both times)
    before = netmap.read_network(_tiny_copy(tmp_path, "before", clv={"C1": str(500_000 / 0.9), "C2": ""}))
    got = portfolio(now, "F1", as_of=DAY, before=before)["customers"].set_index("id")
    assert got.loc["C1", "value_change"] == pytest.approx(-0.1)
    assert "fell 10%" in got.loc["C1", "reason"]
    assert got.loc["C2", "value_before"] == 150_000 and got.loc["C2", "value_change"] == 0
    assert "fell" not in got.loc["C2", "reason"]
    slight = netmap.read_network(_tiny_copy(tmp_path, "slight", clv={"C1": "550000"}))  # -9.1 %
    got = portfolio(now, "F1", as_of=DAY, before=slight)["customers"].set_index("id")
    assert got.loc["C1", "value_change"] == pytest.approx(500_000 / 550_000 - 1)
    assert "fell" not in got.loc["C1", "reason"]


def test_cli_portfolio_compare_adds_the_value_falling_signal(tmp_path):
    from netmap.cli import cli

    before = _tiny_copy(tmp_path, "before", clv={"C1": "625000"})
    out = tmp_path / "c.csv"
    res = CliRunner().invoke(cli, ["portfolio", "sample_data/tiny", "--as-of", DAY, "--view", "customers",
                                   "--section", "customers", "--compare", str(before), "-o", str(out)])
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out).set_index("id")
    assert got.loc["C1", "value_before"] == 625_000 and got.loc["C1", "value_change"] == pytest.approx(-0.2)
    assert "its CLV fell 20%" in got.loc["C1", "reason"]


def test_report_with_an_earlier_snapshot_shows_value_falling(tmp_path):
    import netmap
    from netmap.render.report import write_report

    before = netmap.read_network(_tiny_copy(tmp_path, "before", clv={"C1": "625000"}))
    write_report(netmap.read_network("sample_data/tiny"), tmp_path / "rep", "F1", as_of=DAY, maps=False,
                 before=before)
    got = pd.read_csv(tmp_path / "rep" / "tables" / "portfolio_customers.csv").set_index("id")
    assert got.loc["C1", "value_change"] == pytest.approx(-0.2)
    assert "its CLV fell 20%" in (tmp_path / "rep" / "report.html").read_text()
