"""Summary figures of the tiny network, computed by hand from sample_data/tiny/*.csv."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import netmap
from netmap.cli import cli


def test_tiny_overview(tiny):
    s = netmap.summarize(tiny)
    assert s.metric("organisations") == 10
    assert s.metric("ties") == 14
    # every tie joins a different pair of organisations: 14 distinct pairs
    assert s.metric("connected_pairs") == 14
    assert s.metric("focal_organisations") == 1
    # everything hangs together: F1-{S1,S2,S3,D1,D2,C1,R1}, T1-S1, C2-D2
    assert s.metric("components") == 1
    assert s.metric("largest_component") == 10
    assert s.metric("isolated_organisations") == 0
    # 14 pairs out of 10*9/2 = 45
    assert s.metric("density") == pytest.approx(14 / 45)
    # 400k+100k+250k+150k+50k + 600k+200k + 500k+150k+100k+80k + 50k+20k
    assert s.metric("total_value") == pytest.approx(2_650_000)


def test_tiny_roles(tiny):
    roles = dict(zip(*netmap.summarize(tiny).roles[["role", "organisations"]].T.values))
    assert roles == {"firm": 1, "supplier": 4, "distributor": 2, "research_partner": 1, "customer": 2}


def test_tiny_tie_types(tiny):
    t = netmap.summarize(tiny).tie_types.set_index("type")
    assert t["ties"].to_dict() == {
        "SUPPLIES": 5, "SELLS_THROUGH": 2, "SELLS_TO": 4, "COLLABORATES_WITH": 2, "PARTNERS_WITH": 1,
    }
    assert t["total_value"].to_dict() == {
        "SUPPLIES": 950_000.0,          # 400k + 100k + 250k + 150k + 50k
        "SELLS_THROUGH": 800_000.0,     # 600k + 200k
        "SELLS_TO": 830_000.0,          # 500k + 150k + 100k + 80k
        "COLLABORATES_WITH": 70_000.0,  # 50k + 20k
        "PARTNERS_WITH": 0.0,           # S2-S3 has no value
    }
    assert t.loc["PARTNERS_WITH", "ties_with_value"] == 0


def test_tiny_categories(tiny):
    c = netmap.summarize(tiny).categories.set_index("category")
    assert c["total_value"].to_dict() == {
        "(none)": 850_000.0,   # SELLS_TO ties (830k) + R1-S3 (20k) + S2-S3 (no value)
        "widgets": 800_000.0,
        "steel": 500_000.0,
        "chips": 250_000.0,
        "ore": 200_000.0,
        "R&D": 50_000.0,
    }
    assert c.loc["(none)", "ties"] == 6
    # largest first
    assert list(c.index[:2]) == ["(none)", "widgets"]


def test_tiny_focal(tiny):
    f = netmap.summarize(tiny).focal
    assert f.to_dict("records") == [
        {"id": "F1", "name": "Acme Manufacturing", "roles": "firm", "direct_partners": 7}
    ]


def test_components_and_isolates_counted(tmp_path):
    d = tmp_path / "n"
    d.mkdir()
    (d / "organizations.csv").write_text("id,name,roles\nA,A,firm\nB,B,supplier\nC,C,customer\nD,D,customer\nE,E,firm\n")
    (d / "relationships.csv").write_text("source,target,type\nB,A,SUPPLIES\nC,D,PARTNERS_WITH\n")
    s = netmap.summarize(netmap.read_network(d))
    # {A,B}, {C,D}, {E}
    assert (s.metric("components"), s.metric("largest_component"), s.metric("isolated_organisations")) == (3, 2, 1)
    assert s.metric("density") == pytest.approx(2 / 10)


def test_cli_summary_json(tiny_dir):
    res = CliRunner().invoke(cli, ["summary", str(tiny_dir), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)["sections"]
    overview = {r["metric"]: r["value"] for r in data["overview"]}
    assert overview["ties"] == 14
    assert overview["density"] == pytest.approx(14 / 45)
    assert {r["type"]: r["ties"] for r in data["tie_types"]}["SELLS_TO"] == 4


def test_cli_summary_csv_to_file(tiny_dir, tmp_path):
    out = tmp_path / "s.csv"
    res = CliRunner().invoke(cli, ["summary", str(tiny_dir), "--format", "csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert "overview,organisations,10," in text
    assert "tie_type,SUPPLIES,5,950000.0" in text


def test_sample_data_meets_the_contract(sample):
    s = netmap.summarize(sample)
    assert s.metric("organisations") >= 300 and s.metric("ties") >= 1000
    assert (s.roles["organisations"] > 0).all()
    assert (s.tie_types["ties"] > 0).all()
    assert sample.focal_ids == ["ORG-0001"]


def test_cli_summary_output_file_follows_its_suffix(tiny_dir, tmp_path):
    """-o s.csv writes CSV (not the text layout), -o s.xlsx one workbook with a sheet per table."""
    import openpyxl

    out = tmp_path / "s.csv"
    res = CliRunner().invoke(cli, ["summary", str(tiny_dir), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text().splitlines()[0] == "section,item,count,value"
    book = tmp_path / "s.xlsx"
    res = CliRunner().invoke(cli, ["summary", str(tiny_dir), "-o", str(book)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["overview", "roles", "tie_types", "categories", "focal", "about"]
    rows = {r[0]: r[1] for r in wb["overview"].iter_rows(min_row=2, values_only=True)}
    assert rows["ties"] == 14
