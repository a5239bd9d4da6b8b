"""netmap compare: two hand-built snapshots with known differences, checked by hand and with pandas."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import netmap
from netmap.analysis.compare import tie_identity
from netmap.cli import cli
from netmap.errors import ArgumentError, ValidationError

ORG_COLS = ["id", "name", "roles", "focal", "clv"]
TIE_COLS = ["source", "target", "type", "value", "category", "trust", "communication", "commitment",
            "mutual_benefit"]

BEFORE_ORGS = [
    ("F", "Focal Works", "firm", "true", ""),
    ("S1", "Steel One", "supplier", "", ""),
    ("S2", "Steel Two", "supplier", "", ""),
    ("C1", "Customer One", "customer", "", "1000"),
    ("C2", "Customer Two", "customer", "", "500"),
    ("D1", "Distrib", "distributor", "", ""),
    ("P", "Peer", "firm", "", ""),
    ("X", "Ex Parts", "supplier", "", ""),
    ("Y", "Why Lab", "research_partner", "", ""),
]
BEFORE_TIES = [
    ("S1", "F", "SUPPLIES", "800", "steel", "0.8", "0.8", "0.8", "0.8"),
    ("S2", "F", "SUPPLIES", "200", "steel", "", "", "", ""),
    ("S1", "F", "SUPPLIES", "500", "chips", "", "", "", ""),
    ("F", "C1", "SELLS_TO", "300", "drives", "0.9", "0.9", "0.9", "0.9"),
    ("F", "C2", "SELLS_TO", "100", "drives", "", "", "", ""),
    ("F", "D1", "SELLS_THROUGH", "400", "drives", "", "", "", ""),
    ("F", "P", "PARTNERS_WITH", "", "", "0.7", "", "", ""),
    ("X", "P", "SUPPLIES", "50", "parts", "", "", "", ""),
    ("P", "Y", "COLLABORATES_WITH", "", "", "", "", "", ""),
]
AFTER_ORGS = [
    ("F", "Focal Works", "firm", "true", ""),
    ("S1", "Steel One Renamed", "supplier", "", ""),
    ("S2", "Steel Two", "supplier", "", ""),
    ("C1", "Customer One", "customer", "", "1000"),
    ("D1", "Distrib", "distributor", "", ""),
    ("P", "Peer", "firm", "", ""),
    ("X", "Ex Parts", "supplier", "", ""),
    ("Y", "Why Lab", "research_partner", "", ""),
    ("N", "New Chips", "supplier", "", ""),
]
AFTER_TIES = [
    ("S1", "F", "SUPPLIES", "900", "steel", "0.8", "0.8", "0.8", "0.8"),
    ("S1", "F", "SUPPLIES", "500", "Chips", "", "", "", ""),
    ("N", "F", "SUPPLIES", "500", "Chips", "", "", "", ""),
    ("F", "C1", "SELLS_TO", "300", "drives", "0.6", "0.6", "0.6", "0.6"),
    ("F", "D1", "SELLS_THROUGH", "400", "drives", "", "", "", ""),
    ("P", "F", "PARTNERS_WITH", "", "", "0.7", "", "", ""),
    ("X", "P", "SUPPLIES", "50", "parts", "", "", "", ""),
    ("P", "Y", "COLLABORATES_WITH", "", "", "", "", "", ""),
    ("X", "F", "SUPPLIES", "70", "parts", "", "", "", ""),
]


def _write(folder: Path, orgs, ties, *, shuffle_seed: int | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    o = pd.DataFrame(orgs, columns=ORG_COLS)
    t = pd.DataFrame(ties, columns=TIE_COLS)
    if shuffle_seed is not None:
        o = o.sample(frac=1, random_state=shuffle_seed)
        t = t.sample(frac=1, random_state=shuffle_seed)
    o.to_csv(folder / "organizations.csv", index=False)
    t.to_csv(folder / "relationships.csv", index=False)
    return folder


@pytest.fixture
def snaps(tmp_path):
    return (_write(tmp_path / "2024-06-30", BEFORE_ORGS, BEFORE_TIES),
            _write(tmp_path / "2025-06-30", AFTER_ORGS, AFTER_TIES))


def test_organisations_added_removed_and_renamed(snaps):
    r = netmap.compare(*snaps, sections=["organisations"])
    o = r["organisations"].set_index("id")
    assert o["change"].to_dict() == {"N": "added", "C2": "removed", "S1": "renamed"}
    assert o.at["S1", "name_before"] == "Steel One" and o.at["S1", "name"] == "Steel One Renamed"
    assert o.at["C2", "roles_before"] == "customer" and o.at["N", "roles_after"] == "supplier"


def test_ties_matched_by_the_duplicate_rule_identity(snaps):
    t = netmap.compare(*snaps, sections=["ties"])["ties"]
    got = {(r.source, r.target, r.type, r.category.casefold()): r.change for r in t.itertuples()}
    assert got == {
        ("N", "F", "SUPPLIES", "chips"): "added",
        ("X", "F", "SUPPLIES", "parts"): "added",
        ("S2", "F", "SUPPLIES", "steel"): "ended",
        ("F", "C2", "SELLS_TO", "drives"): "ended",
        ("S1", "F", "SUPPLIES", "steel"): "changed",
        ("F", "C1", "SELLS_TO", "drives"): "changed",
    }  # P-F PARTNERS_WITH written the other way round and "Chips" vs "chips" are the same ties
    steel = t[(t["source"] == "S1") & (t["category"] == "steel")].iloc[0]
    assert steel["value_change"] == 100 and steel["value_change_pct"] == pytest.approx(100 / 800)
    c1 = t[t["target"] == "C1"].iloc[0]
    assert c1["strength_change"] == pytest.approx(-0.3)
    for q in ("trust", "communication", "commitment", "mutual_benefit"):
        assert c1[f"{q}_change"] == pytest.approx(-0.3)
    ended = t[t["source"] == "S2"].iloc[0]
    assert ended["value_change"] == -200 and np.isnan(ended["value_after"])


def test_symmetric_tie_identity_in_either_order():
    e = pd.DataFrame({"source": ["P", "F"], "target": ["F", "P"], "type": ["PARTNERS_WITH", "PARTNERS_WITH"],
                      "category": ["x", "X"]})
    k = tie_identity(e)
    assert k.iloc[0].tolist() == k.iloc[1].tolist() == ["F", "P", "PARTNERS_WITH", "x"]
    d = pd.DataFrame({"source": ["P", "F"], "target": ["F", "P"], "type": ["SUPPLIES", "SUPPLIES"],
                      "category": ["", ""]})
    assert tie_identity(d).iloc[0].tolist() != tie_identity(d).iloc[1].tolist()


def _pandas_concentration(ties) -> pd.DataFrame:
    t = pd.DataFrame(ties, columns=TIE_COLS)
    t = t[(t["type"] == "SUPPLIES") & (t["target"] == "F")].copy()
    t["value"] = t["value"].astype(float)
    t["category"] = t["category"].str.casefold()
    g = t.groupby(["category", "source"])["value"].sum().reset_index()
    g["share"] = g["value"] / g.groupby("category")["value"].transform("sum")
    out = g.groupby("category").agg(hhi=("share", lambda s: float(((s * 100) ** 2).sum())),
                                     suppliers=("source", "count"), top_share=("share", "max"))
    return out


def test_dependency_before_and_after_equal_pandas(snaps):
    d = netmap.compare(*snaps, sections=["dependency"])["dependency"]
    d["key"] = d["category"].str.casefold()
    d = d.set_index("key")
    for side, ties in (("before", BEFORE_TIES), ("after", AFTER_TIES)):
        ref = _pandas_concentration(ties)
        for cat, row in ref.iterrows():
            assert d.at[cat, f"hhi_{side}"] == pytest.approx(row["hhi"])
            assert d.at[cat, f"suppliers_{side}"] == row["suppliers"]
            assert d.at[cat, f"top_share_{side}"] == pytest.approx(row["top_share"])
    assert d.at["steel", "hhi_before"] == pytest.approx(6800) and d.at["steel", "hhi_after"] == pytest.approx(10000)
    assert "new single source" in d.at["steel", "flags"]
    assert d.at["chips", "hhi_after"] == pytest.approx(5000) and d.at["chips", "flags"] == ""
    assert d.at["parts", "flags"] == "new category"


def test_sales_concentration_before_and_after(snaps):
    s = netmap.compare(*snaps, sections=["sales"])["sales"].set_index("channel")
    # customers: C1 300 + C2 100 before (shares .75/.25 -> HHI 6,250), C1 alone after
    assert s.at["customer", "hhi_before"] == pytest.approx(6250)
    assert s.at["customer", "hhi_after"] == pytest.approx(10000)
    assert s.at["customer", "top1_share_before"] == pytest.approx(0.75)


def test_relationship_health(snaps):
    h = netmap.compare(*snaps, sections=["health"], drop=0.2)["health"]
    assert h[["kind", "id"]].values.tolist() == [["customer lost", "C2"], ["strength fell", "C1"],
                                                 ["partner lost", "S2"]]
    assert h.loc[h["id"] == "C2", "clv"].iloc[0] == 500
    assert h.loc[h["id"] == "C1", "strength_change"].iloc[0] == pytest.approx(-0.3)
    # a drop threshold above the fall leaves the weakened tie out
    h2 = netmap.compare(*snaps, sections=["health"], drop=0.35)["health"]
    assert "strength fell" not in set(h2["kind"])


def test_opportunities_realised_precision_by_hand(snaps):
    r = netmap.compare(*snaps, sections=["opportunities"], k=5)
    o = r["opportunities"]
    # before, F's partners are S1, S2, C1, C2, D1, P; within reach and not tied: X and Y (via P)
    assert sorted(o["id"]) == ["X", "Y"]
    assert o.set_index("id")["realised"].to_dict() == {"X": True, "Y": False}
    assert r.meta["precision_at_k"] == pytest.approx(1 / 2)
    # a random shortlist of 2 from the non-partners {X, Y} (the whole universe) also finds X
    assert r.meta["random_precision_at_k"] == pytest.approx(1 / 2)
    assert r.meta["expected_random_precision"] == pytest.approx(1 / 2)


def test_compare_a_with_itself_reports_no_change(snaps):
    r = netmap.compare(snaps[1], snaps[1])
    for name in ("organisations", "ties", "centrality", "communities", "health"):
        assert r[name].empty, name
    assert (r["dependency"]["flags"] == "").all()
    assert (r["dependency"]["hhi_change"] == 0).all()
    s = r.table.dropna(subset=["before"])
    assert (s["change"] == 0).all()


def test_row_order_changes_nothing(snaps, tmp_path):
    a = netmap.compare(*snaps)
    b = netmap.compare(_write(tmp_path / "s1" / "2024-06-30", BEFORE_ORGS, BEFORE_TIES, shuffle_seed=3),
                       _write(tmp_path / "s2" / "2025-06-30", AFTER_ORGS, AFTER_TIES, shuffle_seed=7))
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False, obj=name)


def test_one_data_set_on_two_dates():
    r = netmap.compare("sample_data/tiny", before_as_of="2020-06-30", after_as_of="2024-06-30",
                       sections=["ties"])
    # tiny: D1 -> C2 ended 2020-12-31; S2 -> F1 and F1 - R1 start after mid-2020
    t = r["ties"]
    assert t[["source", "target", "change"]].values.tolist() == [
        ["S2", "F1", "added"], ["F1", "R1", "added"], ["D1", "C2", "ended"]]
    with pytest.raises(ArgumentError, match="both dates"):
        netmap.compare("sample_data/tiny")


def test_focal_must_agree(snaps, tmp_path):
    other = [(i, n, r, "true" if i == "P" else "", c) for i, n, r, f, c in AFTER_ORGS]
    after = _write(tmp_path / "other", other, AFTER_TIES)
    with pytest.raises(ArgumentError, match="different focal") as e:
        netmap.compare(snaps[0], after)
    assert e.value.param == "focal"
    assert netmap.compare(snaps[0], after, focal="F", sections=["ties"]).meta["focal"] == "F"


def test_bad_snapshot_names_which(snaps, tmp_path):
    bad = _write(tmp_path / "bad", AFTER_ORGS, AFTER_TIES + [("F", "Q", "SUPPLIES", "1", "", "", "", "", "")])
    with pytest.raises(ValidationError) as e:
        netmap.compare(snaps[0], bad)
    assert any(f"(snapshot after, {bad})" in p.file and p.column == "target" for p in e.value.problems)


def test_compare_cli(snaps, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["compare", str(snaps[0]), str(snaps[1])])
    assert res.exit_code == 0, res.output
    assert "new single source" in res.output and "Steel One Renamed" in res.output
    out = tmp_path / "ties.csv"
    res = runner.invoke(cli, ["compare", str(snaps[0]), str(snaps[1]), "--section", "ties", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert len(pd.read_csv(out)) == 6
    res = runner.invoke(cli, ["compare", str(snaps[0]), str(snaps[1]), "--format", "csv"])
    assert res.exit_code == 2 and "--section" in res.output
    res = runner.invoke(cli, ["compare", str(snaps[0])])
    assert res.exit_code == 2 and "--from and --to" in res.output
    res = runner.invoke(cli, ["compare", str(snaps[0]), str(snaps[1]), "--format", "json"])
    assert res.exit_code == 0
    assert set(json.loads(res.output)["sections"]) >= {"summary", "ties", "dependency", "health"}


def test_change_map_colours(snaps):
    from netmap.render.changes import CHANGE_COLORS
    from netmap.render.map import map_data

    before, after = netmap.read_network(snaps[0]), netmap.read_network(snaps[1])
    m = map_data(after, compare=before)
    nodes = {n["id"]: n for n in m.nodes}
    assert "C2" in nodes  # removed since: drawn from the earlier snapshot
    green, red, amber = CHANGE_COLORS["added"], CHANGE_COLORS["ended"], CHANGE_COLORS["weakened"]
    assert green in json.dumps(nodes["N"]["color"]) and red in json.dumps(nodes["C2"]["color"])
    assert nodes["N"]["nm"]["hl"] and not nodes["P"]["nm"]["hl"]
    edges = {(e["from"], e["to"], e["nm"]["category"].casefold()): e["color"]["color"] for e in m.edges}
    assert edges[("N", "F", "chips")] == green and edges[("X", "F", "parts")] == green
    assert edges[("S2", "F", "steel")] == red and edges[("F", "C2", "drives")] == red
    assert edges[("F", "C1", "drives")] == amber
    assert edges[("S1", "F", "steel")] not in (green, red, amber)  # value changed, strength did not fall
    assert m.legend["highlight"] == "changes" and [c for c, _ in m.legend["highlight_items"]] == [green, red, amber]
    assert len(m.edges) == len(AFTER_TIES) + 2  # plus the two ended ties
    with pytest.raises(ArgumentError, match="own colours"):
        map_data(after, compare=before, highlight="risks")


def test_map_and_report_cli_compare(snaps, tmp_path):
    runner = CliRunner()
    out = tmp_path / "changes.html"
    res = runner.invoke(cli, ["map", str(snaps[1]), "--compare", str(snaps[0]), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "green: added since the earlier snapshot" in out.read_text(encoding="utf-8")


def test_report_what_changed(tmp_path):
    from netmap.render.report import write_report

    h = Path("sample_data/history")
    now, before = netmap.read_network(h / "2025-06-30"), netmap.read_network(h / "2024-06-30")
    rep = write_report(now, tmp_path / "r", as_of="2025-06-30", maps=False, before=before)
    page = rep.path.read_text(encoding="utf-8")
    assert 'id="changes"' in page and "new single source" in page and "Vega Conveyor Systems" in page
    health = pd.read_csv(tmp_path / "r" / "tables" / "changes_health.csv")
    assert set(health.loc[health["kind"] == "customer lost", "id"]) == {"ORG-9002", "ORG-9003", "ORG-9004"}
    plain = write_report(now, tmp_path / "p", as_of="2025-06-30", maps=False)
    assert "changes" not in plain.sections


def test_a_tie_listed_twice_in_a_built_network_counts_once_whatever_the_order():
    from netmap.analysis.compare import tie_changes
    from netmap.network import Network

    nodes = pd.DataFrame({"id": ["A", "B"], "name": ["A", "B"], "roles": [("supplier",), ("firm",)]})
    e1 = pd.DataFrame({"source": ["A", "A"], "target": ["B", "B"], "type": ["SUPPLIES"] * 2,
                       "category": ["x", "X"], "value": [5.0, 3.0]})
    e2 = pd.DataFrame({"source": ["A"], "target": ["B"], "type": ["SUPPLIES"], "category": ["x"], "value": [3.0]})
    t1 = tie_changes(Network(nodes, e1), Network(nodes, e2))
    t2 = tie_changes(Network(nodes, e1.iloc[::-1]), Network(nodes, e2))
    assert t1.empty and t2.empty  # the smaller value of the twice-listed tie is kept, in either order
