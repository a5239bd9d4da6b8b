"""Disruption scenarios: selectors equal the explicit removals they stand for, category failures by hand,
a scenarios file equals its single what-ifs, and its problems are listed with file, row and column."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from test_paths import assert_same_result, shuffled

from netmap import ArgumentError, ValidationError, read_network
from netmap.analysis.scenarios import scenario_table
from netmap.analysis.whatif import what_if
from netmap.cli import cli
from netmap.io.scenario_files import read_scenarios

DAY = "2024-06-30"


def _ids_where(folder, column, test):
    """Ids of the organisations whose ``column`` passes ``test``, read from the CSV with pandas (not netmap)."""
    df = pd.read_csv(f"{folder}/organizations.csv", dtype=str, keep_default_na=False)
    return sorted(df.loc[df[column].map(test), "id"])


def _same_figures(a, b):
    """The same tables, row for row (the meta differs only in how the scenario was named)."""
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


@pytest.mark.parametrize("written", ["CN", "chn", "China"])
def test_country_equals_removing_its_organisations(sample, written):
    cn = _ids_where("sample_data", "country", lambda c: c == "CN")
    assert len(cn) > 5
    by_country = what_if(sample, None, country=written)
    explicit = what_if(sample, None, cn)
    assert list(by_country.removed) == cn
    _same_figures(by_country, explicit)
    assert by_country.figure("input_categories_lost") >= 1  # the scenario costs something (not a vacuous equality)


def test_role_region_capability_industry_equal_explicit_removals(tiny):
    cases = [
        (dict(role="distributor"), ["D1", "D2"]),
        (dict(region="asia"), ["C2", "D2", "S3"]),
        (dict(capability="CHIPS"), ["S3"]),
        (dict(industry="Metals"), ["S1", "S2"]),
        (dict(country="Japan", remove=["T1"]), ["T1", "C2", "D2"]),  # --remove first, then the selected in id order
    ]
    for sel, ids in cases:
        got = what_if(tiny, "F1", as_of=DAY, **sel)
        assert list(got.removed) == ids, sel
        _same_figures(got, what_if(tiny, "F1", ids, as_of=DAY))


def test_focal_is_never_removed_and_the_scenario_says_so(tiny):
    r = what_if(tiny, "F1", as_of=DAY, country="DE")  # F1, S1 and R1 are in Germany
    assert list(r.removed) == ["R1", "S1"]
    assert "F1 matches the scenario but is never removed" in r.figure("reason")
    with pytest.raises(ArgumentError, match="focal organisation itself"):
        what_if(tiny, "F1", ["F1"], as_of=DAY)


def test_category_failure_by_hand(tiny):
    # steel: S1->F1 (400,000) and S2->F1 (100,000) fail; S1 and S2 stay and keep their other ties
    r = what_if(tiny, "F1", as_of=DAY, category="Steel")
    assert list(r.removed) == []
    inp = r.inputs.set_index("category")
    assert bool(inp.loc["steel", "lost"]) and inp.loc["steel", "value_lost"] == 500_000.0
    assert r.figure("value_at_risk") == 500_000.0 and r.figure("direct_value") == 500_000.0
    assert r.figure("suppliers_cut_off") == 0 and r.figure("customers_lost") == 0
    assert sorted(r.ties["partner"]) == ["S1", "S2"]
    # ore: T1->S1 (150,000) and T1->S2 (50,000) fail upstream; S1 and S2 had no other supplier, so both stop,
    # steel is lost and F1's spend with them (500,000) is at risk, though none of F1's own ties fails
    r = what_if(tiny, "F1", as_of=DAY, category="ore")
    assert r.figure("suppliers_cut_off") == 2 and r.figure("tier1_suppliers_cut_off") == 2
    assert r.figure("input_categories_lost") == 1 and r.figure("direct_value") == 0.0
    assert r.figure("value_at_risk") == 500_000.0
    # chips and widgets (F1->D1 600,000 and F1->D2 200,000): the chips input is lost; C1 is still reached by
    # F1's own SELLS_TO tie, C2 only through D2 (D1->C2 ended in 2020): lost, and D2 and C2 are cut off
    r = what_if(tiny, "F1", as_of=DAY, category=["chips", "widgets"])
    assert r.figure("input_categories_lost") == 1 and r.figure("customers_lost") == 1
    assert r.customers["id"].tolist() == ["C2"]
    assert sorted(r.organisations["id"]) == ["C2", "D2"]
    assert r.figure("value_at_risk") == 250_000.0 + 600_000.0 + 200_000.0


def test_scenarios_file_rows_equal_single_what_ifs(tiny, tmp_path):
    f = tmp_path / "scenarios.csv"
    f.write_text("name,remove,country,region,role,capability,category,industry\n"
                 "Asia,,,Asia,,,,\n"
                 "steel and chips,,,,,,steel;chips,\n"
                 "Japan and T1,T1,JP,,,,,\n"
                 "distributors,,,,distributor,,,\n"
                 "nothing big,R1,,,,,,\n", encoding="utf-8")
    rows = read_scenarios(f, known_ids=tiny.ids)
    table = scenario_table(tiny, "F1", rows, as_of=DAY).table
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    assert sorted(table["scenario"]) == sorted(r["name"] for r in rows)
    for row in rows:
        sel = {k: v for k, v in row.items() if k != "name" and v}
        single = what_if(tiny, "F1", as_of=DAY, **sel).summary.iloc[0]
        got = table.set_index("scenario").loc[row["name"]]
        for col in ("input_categories_lost", "value_at_risk", "value_at_risk_share", "customers_lost",
                    "customer_clv_lost", "capabilities_lost", "markets_lost", "organisations_cut_off",
                    "suppliers_cut_off", "removed"):
            assert got[col] == single[col], (row["name"], col)
    # ranked like the dependency ranking: input categories lost first, then value at risk
    key = list(zip(-table["input_categories_lost"], -table["value_at_risk"]))
    assert key == sorted(key)
    assert table.set_index("scenario").loc["steel and chips", "ties_failed"] == 3  # S1, S2 steel; S3 chips


def test_scenario_table_ignores_row_order(tiny):
    rows = [{"name": "asia", "region": "Asia"}, {"name": "steel", "category": "steel"}, {"name": "t1", "remove": "T1"}]
    a = scenario_table(tiny, "F1", rows, as_of=DAY)
    b = scenario_table(shuffled(tiny, 5), "F1", list(reversed(rows)), as_of=DAY)
    assert_same_result(a, b)


def test_scenarios_file_problems_name_file_row_and_column(tiny, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("name,remove,role,category\n"
                 ",S1,,\n"
                 "a,XX,,\n"
                 "a,,wizard,\n"
                 "b,,,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        read_scenarios(f, known_ids=tiny.ids)
    got = [str(p) for p in e.value.problems]
    assert got == [
        "bad.csv, row 2, column 'name': name is empty; every scenario needs a name",
        "bad.csv, row 3, column 'remove': 'XX' is not an organisation id",
        "bad.csv, row 4, column 'name': scenario 'a' is already on row 3",
        "bad.csv, row 4, column 'role': unknown role 'wizard'; use firm, supplier, distributor, research_partner, "
        "customer",
        "bad.csv, row 5: no selector is filled in; give one or more of remove, country, region, role, capability, "
        "category, industry",
    ]
    f.write_text("name,colour\nx,red\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        read_scenarios(f)
    assert [str(p) for p in e.value.problems][0].startswith("bad.csv, row 1, column 'colour': unknown column")


def test_cli_whatif_selectors_and_scenarios(tiny_dir, tmp_path):
    run = CliRunner().invoke
    by = run(cli, ["whatif", str(tiny_dir), "--as-of", DAY, "--region", "Asia", "--format", "json"])
    ex = run(cli, ["whatif", str(tiny_dir), "--as-of", DAY, "--remove", "C2", "--remove", "D2", "--remove", "S3",
                   "--format", "json"])
    assert by.exit_code == 0, by.output
    a, b = json.loads(by.output), json.loads(ex.output)
    assert a["sections"] == b["sections"] and a["sections"]["inputs"]
    none = run(cli, ["whatif", str(tiny_dir)])
    assert none.exit_code == 2 and "say what fails" in none.output
    f = tmp_path / "s.csv"
    f.write_text("name,category\nno steel,steel\n", encoding="utf-8")
    out = run(cli, ["whatif", str(tiny_dir), "--as-of", DAY, "--scenarios", str(f), "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert "no steel" in out.output and "500000" in out.output
    f.write_text("name,category\n,steel\n", encoding="utf-8")
    bad = run(cli, ["whatif", str(tiny_dir), "--scenarios", str(f)])
    assert bad.exit_code == 1 and "s.csv, row 2, column 'name'" in bad.output


def test_selector_values_are_checked(tiny):
    with pytest.raises(ArgumentError, match="unknown role 'wizard'"):
        what_if(tiny, "F1", as_of=DAY, role="wizard")
    r = what_if(tiny, "F1", as_of=DAY, country="Narnia")  # matches nobody: nothing fails
    assert list(r.removed) == [] and r.figure("value_at_risk") == 0.0
    assert np.isfinite(r.figure("value_at_risk_share"))
