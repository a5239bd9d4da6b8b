"""Exposure by geography on a hand-built three-tier network, computed by hand; country names read as ISO codes."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

import netmap
from netmap import ArgumentError, read_network
from netmap.analysis.exposure import exposure
from netmap.cli import cli
from netmap.countries import country_code, country_warnings

ORGS = [  # id, name, roles, focal, country (written in several ways), region
    ("F", "Focal Works", "firm", "true", "Germany", "Europe"),
    ("A", "Alpha", "supplier", "", "FR", "Europe"),
    ("B", "Beta", "supplier", "", "CHN", "Asia"),
    ("C", "Gamma", "supplier", "", "cn", "Asia"),
    ("D", "Delta", "supplier", "", "United States", "Americas"),
    ("E", "Epsilon", "supplier", "", "JP", "Asia"),
    ("K", "Kappa", "customer", "", "GB", "Europe"),
    ("L", "Lambda", "distributor", "", "NL", "Europe"),
    ("M", "Mu", "customer", "", "BE", "Europe"),
    ("N", "Nu", "customer", "", "Narnia", "Europe"),
]
TIES = [  # source, target, type, value, category
    ("A", "F", "SUPPLIES", 600, "x"),
    ("B", "F", "SUPPLIES", 400, "y"),
    ("C", "A", "SUPPLIES", 30, "x-part"),
    ("D", "A", "SUPPLIES", 10, "x-part"),
    ("E", "C", "SUPPLIES", 5, "raw"),
    ("F", "A", "SUPPLIES", 99, "tooling"),  # the focal supplying its supplier: not followed
    ("F", "K", "SELLS_TO", 1000, ""),
    ("F", "L", "SELLS_THROUGH", 500, ""),
    ("L", "M", "SELLS_TO", 200, ""),
    ("L", "N", "SELLS_TO", 300, ""),
]


def write(folder, orgs=ORGS, ties=TIES, seed=None):
    folder.mkdir(parents=True, exist_ok=True)
    orgs, ties = list(orgs), list(ties)
    if seed is not None:
        random.Random(seed).shuffle(orgs)
        random.Random(seed + 1).shuffle(ties)
    (folder / "organizations.csv").write_text(
        "id,name,roles,focal,country,region\n" + "".join(",".join(o) + "\n" for o in orgs), encoding="utf-8")
    (folder / "relationships.csv").write_text(
        "source,target,type,value,category\n" + "".join(",".join(map(str, t)) + "\n" for t in ties), encoding="utf-8")
    return folder


@pytest.fixture
def three_tier(tmp_path):
    return read_network(write(tmp_path / "net"))


def _by_tier(df, key="country"):
    return {t: dict(zip(g[key], g["value"])) for t, g in df.groupby("tier")}


def test_supply_spread_tier_by_tier_equals_hand_computation(three_tier):
    r = exposure(three_tier, tiers=3)
    # tier 1: A (FR) 600, B (CN) 400.
    # tier 2: A's 600 spread over its suppliers C (30) and D (10): C 450, D 150; B has no supplier: keeps 400.
    # tier 3: C's 450 goes to its only supplier E (JP); D and B keep theirs. F->A is not followed.
    assert _by_tier(r["supply"]) == {
        1: {"FR": 600.0, "CN": 400.0},
        2: {"CN": 450.0 + 400.0, "US": 150.0},
        3: {"JP": 450.0, "CN": 400.0, "US": 150.0},
    }
    sup = r["supply"]
    assert sup.loc[sup["tier"] == 2, "share"].tolist() == [0.85, 0.15]
    assert sup.loc[(sup["tier"] == 2) & (sup["country"] == "CN"), "organisations"].item() == 2  # B and C
    assert "Beta" in sup.loc[(sup["tier"] == 2) & (sup["country"] == "CN"), "reason"].item()


def test_sales_spread_downstream(three_tier):
    r = exposure(three_tier, tiers=2)
    # tier 1: K (GB) 1000, L (NL) 500, and A (FR) 99: the focal supplies A, so A buys from it.
    # tier 2: L's 500 over M (200) and N (300); K and A have no buyer of their own: they keep theirs
    assert _by_tier(r["sales"]) == {1: {"GB": 1000.0, "NL": 500.0, "FR": 99.0},
                                    2: {"GB": 1000.0, "BE": 200.0, "Narnia": 300.0, "FR": 99.0}}


def test_hhi_by_country_per_input(three_tier):
    c = exposure(three_tier, tiers=3)["concentration"].set_index(["category", "tier"])
    assert c.loc[("x", 1), "hhi"] == 10_000.0 and c.loc[("x", 1), "level"] == "one country only"
    assert c.loc[("x", 3), "hhi"] == pytest.approx(75.0 ** 2 + 25.0 ** 2)  # x: JP 450/600, US 150/600
    assert c.loc[("y", 3), "hhi"] == 10_000.0
    assert c.loc[("(all inputs)", 3), "hhi"] == pytest.approx(45.0 ** 2 + 40.0 ** 2 + 15.0 ** 2)
    assert c.loc[("(all inputs)", 1), "top"] == "FR" and c.loc[("(all inputs)", 1), "top_share"] == 0.6


def test_by_region_and_places_and_flows(three_tier):
    r = exposure(three_tier, by="region", tiers=2)
    assert _by_tier(r["supply"], "region") == {1: {"Europe": 600.0, "Asia": 400.0},
                                               2: {"Asia": 850.0, "Americas": 150.0}}
    p = exposure(three_tier)["places"].set_index("country")
    assert p.loc["CN", "organisations"] == 2 and p.loc["DE", "focal"]
    f = exposure(three_tier)["flows"]
    # directed value between countries: DE->GB 1000 (F->K), FR->DE 600 + DE->FR 99, ...
    assert f.set_index(["source", "target"]).loc[("DE", "GB"), "value"] == 1000.0
    assert f.set_index(["source", "target"]).loc[("DE", "FR"), "value"] == 99.0


def test_row_order_does_not_change_exposure(tmp_path):
    a = exposure(read_network(write(tmp_path / "a")), tiers=3)
    b = exposure(read_network(write(tmp_path / "b", seed=7)), tiers=3)
    for name in a:
        assert a[name].equals(b[name]), name


def test_countries_read_as_iso_codes_and_unknown_ones_warn(three_tier, tmp_path):
    assert [country_code(x) for x in ("Germany", "DEU", "de", "Taiwan", "UK", "")] == ["DE", "DE", "DE", "TW", "GB",
                                                                                        None]
    w = country_warnings(three_tier)
    assert w == ["organizations row 11, column country: 'Narnia' (organisation N) is not an ISO 3166 country code "
                 "or English country name; it is kept as written and drawn on no map"]
    out = CliRunner().invoke(cli, ["exposure", str(tmp_path / "net"), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert "Warning: organizations row 11, column country: 'Narnia'" in out.stderr
    assert json.loads(out.stdout)["meta"]["focal_place"] == "DE"  # the warning stays off stdout


def test_arguments_checked(three_tier):
    with pytest.raises(ArgumentError, match="tiers must be a whole number of at least 1"):
        exposure(three_tier, tiers=0)
    with pytest.raises(ArgumentError, match="unknown grouping 'city'"):
        exposure(three_tier, by="city")
    assert netmap.exposure is exposure


def test_cli_exposure_csv_needs_a_section(tmp_path):
    folder = write(tmp_path / "net")
    run = CliRunner().invoke
    bad = run(cli, ["exposure", str(folder), "--format", "csv"])
    assert bad.exit_code == 2 and "--section" in bad.output
    ok = run(cli, ["exposure", str(folder), "--section", "supply", "--tiers", "2", "--format", "json"])
    rows = json.loads(ok.stdout)["rows"]
    assert [(r["tier"], r["country"], r["value"]) for r in rows] == [
        (1, "FR", 600.0), (1, "CN", 400.0), (2, "CN", 850.0), (2, "US", 150.0)]
