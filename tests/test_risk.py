"""Risk that travels upstream: the risk column is validated, country risks fill it, and the effective risk
equals a hand computation of max(own, 0.6 own + 0.4 upstream), cycles included."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from netmap import ValidationError, read_network
from netmap.analysis.dependency import dependency_report
from netmap.analysis.portfolio import portfolio
from netmap.analysis.risk import effective_risk, with_country_risk
from netmap.cli import cli
from netmap.io.scenario_files import read_country_risk


def write(folder, orgs, ties):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organizations.csv").write_text(
        "id,name,roles,focal,country,risk\n" + "".join(",".join(o) + "\n" for o in orgs), encoding="utf-8")
    (folder / "relationships.csv").write_text(
        "source,target,type,value,category\n" + "".join(",".join(map(str, t)) + "\n" for t in ties), encoding="utf-8")
    return folder


ORGS = [("F", "Focal", "firm", "true", "DE", "0.1"), ("A", "Alpha", "supplier", "", "FR", "0.2"),
        ("B", "Beta", "supplier", "", "CN", "0.9"), ("C", "Gamma", "supplier", "", "CN", "0.5")]
TIES = [("A", "F", "SUPPLIES", 300, "x"), ("B", "F", "SUPPLIES", 100, "y"), ("C", "A", "SUPPLIES", 10, "z")]


def test_effective_risk_equals_hand_computation(tmp_path):
    t = effective_risk(read_network(write(tmp_path / "n", ORGS, TIES))).table.set_index("id")
    # C and B have no supplier: their own risk. A: max(0.2, 0.6*0.2 + 0.4*0.5) = 0.32.
    # F: upstream = (300*0.32 + 100*0.9) / 400 = 0.465; max(0.1, 0.06 + 0.4*0.465) = 0.246.
    assert t["effective_risk"].to_dict() == pytest.approx({"B": 0.9, "C": 0.5, "A": 0.32, "F": 0.246})
    assert t.loc["F", "upstream_risk"] == pytest.approx(0.465)
    assert t.loc["F", "top_supplier"] == "A"  # 0.75*0.32 = 0.24 > 0.25*0.9 = 0.225
    assert t.index.tolist() == ["B", "C", "A", "F"]  # by effective risk
    assert t.loc["B", "level"] == "high" and t.loc["F", "level"] == "low"


def test_cycle_reaches_the_fixed_point(tmp_path):
    orgs = [("F", "Focal", "firm", "true", "DE", ""), ("A", "Alpha", "supplier", "", "FR", "0.9"),
            ("C", "Gamma", "supplier", "", "CN", "0")]
    ties = [("A", "F", "SUPPLIES", 1, "x"), ("C", "A", "SUPPLIES", 1, "z"), ("A", "C", "SUPPLIES", 1, "z")]
    t = effective_risk(read_network(write(tmp_path / "n", orgs, ties))).table.set_index("id")
    # A: max(0.9, 0.54 + 0.4 e(C)); C: max(0, 0.4 e(A)). With e(A) = 0.9: e(C) = 0.36 and
    # 0.54 + 0.4*0.36 = 0.684 < 0.9, so e(A) = 0.9 holds: the fixed point. F (unknown own risk, as 0): 0.4*0.9.
    assert t["effective_risk"].to_dict() == pytest.approx({"A": 0.9, "C": 0.36, "F": 0.36}, abs=1e-12)
    assert "unknown" not in t.loc["F", "reason"]  # F has a supplier: its reason names it
    assert "counted as 0" in effective_risk(read_network(write(tmp_path / "m", orgs[:1] + orgs[1:],
                                                               []))).table.set_index("id").loc["F", "reason"]


def test_risk_column_is_validated(tmp_path):
    orgs = [("F", "Focal", "firm", "true", "DE", "1.5"), ("A", "Alpha", "supplier", "", "FR", "high")]
    with pytest.raises(ValidationError) as e:
        read_network(write(tmp_path / "n", orgs, [("A", "F", "SUPPLIES", 1, "x")]))
    assert [str(p) for p in e.value.problems] == [
        "organizations.csv, row 3, column 'risk': 'high' is not a number",
        "organizations.csv, row 2, column 'risk': 1.5 is out of range; it must be between 0 and 1",
    ]


def test_country_risk_fills_only_missing_risks(tmp_path):
    orgs = [("F", "Focal", "firm", "true", "DE", ""), ("A", "Alpha", "supplier", "", "France", ""),
            ("B", "Beta", "supplier", "", "CN", "0.05")]
    net = read_network(write(tmp_path / "n", orgs, [("A", "F", "SUPPLIES", 1, "x"), ("B", "F", "SUPPLIES", 1, "y")]))
    f = tmp_path / "risk.csv"
    f.write_text("country,risk\nFRA,0.7\nChina,0.9\n", encoding="utf-8")
    risk = read_country_risk(f)
    assert risk == {"FR": 0.7, "CN": 0.9}
    got = with_country_risk(net, risk).nodes.set_index("id")["risk"]
    assert got["A"] == 0.7 and got["B"] == 0.05 and got.isna()["F"]  # B's own risk wins; DE is not listed
    f.write_text("country,risk\nAtlantis,0.5\nFR,2\nfr,0.1\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        read_country_risk(f)
    assert [str(p) for p in e.value.problems] == [
        "risk.csv, row 2, column 'country': 'Atlantis' is not an ISO 3166 country code or English country name",
        "risk.csv, row 3, column 'risk': 2 is out of range; it must be between 0 and 1",
        "risk.csv, row 4, column 'country': country 'fr' is already on row 3",
    ]


def test_dependency_and_portfolio_show_high_risk(tmp_path):
    net = read_network(write(tmp_path / "n", ORGS, TIES))
    rank = dependency_report(net).ranking.set_index("id")
    assert rank.loc["B", "effective_risk"] == pytest.approx(0.9) and rank.loc["B", "risk_level"] == "high"
    assert "high disruption risk 0.90" in rank.loc["B", "reason"]
    assert "high disruption risk" not in rank.loc["A", "reason"]
    cats = portfolio(net).table.set_index("category")
    assert "high-risk supplier (effective disruption risk from 0.5): B Beta (0.90)" in cats.loc["y", "reason"]
    assert "high-risk" not in cats.loc["x", "reason"]


def test_cli_country_risk(tmp_path):
    folder = write(tmp_path / "n", [o[:5] + ("",) for o in ORGS], TIES)
    f = tmp_path / "risk.csv"
    f.write_text("country,risk\nCN,0.8\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["dependency", str(folder), "--section", "ranking", "--format", "csv",
                                   "--country-risk", str(f)])
    assert out.exit_code == 0, out.output
    head, *rows = out.stdout.splitlines()
    assert "effective_risk" in head.split(",")
    without = CliRunner().invoke(cli, ["dependency", str(folder), "--section", "ranking", "--format", "csv"])
    assert "effective_risk" not in without.stdout.splitlines()[0].split(",")  # no risk recorded: no column


def test_map_tooltip_shows_own_and_effective_risk(tmp_path):
    from netmap.render.map import map_data

    d = map_data(read_network(write(tmp_path / "n", ORGS, TIES)), all_ties=True)
    lines = {n["id"]: dict(map(tuple, n["nm"]["metrics"])) for n in d.nodes}
    assert lines["F"]["risk (own / with suppliers)"] == "0.10 / 0.25"  # 0.246, hand-computed above
    assert lines["B"]["risk (own / with suppliers)"] == "0.90 / 0.90"
    plain = map_data(read_network("sample_data/tiny"), all_ties=True)
    assert all("risk (own / with suppliers)" not in dict(map(tuple, n["nm"]["metrics"])) for n in plain.nodes)
