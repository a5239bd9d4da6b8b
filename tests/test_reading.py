"""Reading a data directory into a Network: the checks that run on whole columns at once, and the tie endpoints
the reader hands to the Network."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import netmap
from netmap.errors import ArgumentError
from netmap.network import Network

ORGS = """id,name,roles
A,Alpha,firm
B,Beta,supplier
C,Gamma,customer
D,Delta,research_partner
"""


def make(tmp_path: Path, rels: str, orgs: str = ORGS) -> Path:
    d = tmp_path / "net"
    d.mkdir(exist_ok=True)
    (d / "organizations.csv").write_text(orgs, encoding="utf-8")
    (d / "relationships.csv").write_text(rels, encoding="utf-8")
    return d


def messages(path) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in netmap.validate_directory(path)]


def test_the_same_tie_twice_ignores_the_case_of_the_category_as_casefold_does(tmp_path):
    # 'Straße' and 'STRASSE' are one category once case-folded (ß folds to ss); lower() would keep them apart
    rels = """source,target,type,category
B,A,SUPPLIES,Straße
B,A,SUPPLIES,STRASSE
B,A,SUPPLIES,steel
A,D,PARTNERS_WITH,
D,A,PARTNERS_WITH,
A,B,SUPPLIES,steel
B,A,supplies,Steel
"""
    assert messages(make(tmp_path, rels)) == [
        (3, "source", "the same tie (B SUPPLIES A, category 'STRASSE') is already listed on row 2"),
        (6, "source", "the same tie (A PARTNERS_WITH D) is already listed on row 5"),  # symmetric: either order
        (8, "source", "the same tie (B SUPPLIES A, category 'Steel') is already listed on row 4"),
    ]  # row 7 runs the other way: a different tie


def test_the_same_tie_twice_is_found_beside_an_unknown_organisation(tmp_path):
    rels = """source,target,type
B,A,SUPPLIES
X,A,SUPPLIES
X,A,SUPPLIES
B,A,SUPPLIES
"""
    assert messages(make(tmp_path, rels)) == [
        (3, "source", "'X' is not an organisation id in organizations.csv"),
        (4, "source", "'X' is not an organisation id in organizations.csv"),
        (4, "source", "the same tie (X SUPPLIES A) is already listed on row 3"),
        (5, "source", "the same tie (B SUPPLIES A) is already listed on row 2"),
    ]


def test_a_repeated_bad_cell_is_reported_on_every_row(tmp_path):
    # columns hold few distinct values and are checked once per value: each row still gets its problem
    rels = """source,target,type,since,until
B,A,SUPPLIES,2023-02-29,
A,C,SELLS_TO,2023-02-29,
D,A,COLLABORATES_WITH,2023-03-01,2023-02-28
"""
    assert messages(make(tmp_path, rels)) == [
        (2, "since", "'2023-02-29' is not a date; write dates as YYYY-MM-DD"),
        (3, "since", "'2023-02-29' is not a date; write dates as YYYY-MM-DD"),
        (4, "until", "until 2023-02-28 is before since 2023-03-01"),
    ]
    orgs = ORGS + "E,Epsilon,vendor;supplier\nF,Phi,Vendor\nG,Gamma2,vendor;maker\n"
    assert [m for m in messages(make(tmp_path, "source,target,type\nB,A,SUPPLIES\n", orgs))] == [
        (6, "roles", "unknown role 'vendor'; use firm, supplier, distributor, research_partner, customer"),
        (7, "roles", "unknown role 'vendor'; use firm, supplier, distributor, research_partner, customer"),
        (8, "roles", "unknown roles 'vendor', 'maker'; use firm, supplier, distributor, research_partner, customer"),
    ]


def test_cells_are_trimmed_of_unicode_spaces_and_read_as_text(tmp_path):
    orgs = "id,name,roles,capabilities\n A\u00a0,Alpha ,firm,\" x ; y;x \"\n007,Seven,supplier,\n"
    rels = "source,target,type,value\n007 , A,SUPPLIES, 10 \n"
    net = netmap.read_network(make(tmp_path, rels, orgs))
    assert net.ids == ["A", "007"]  # trimmed; the leading zeros stay: ids are text
    assert net.names == {"A": "Alpha", "007": "Seven"}
    assert net.nodes["capabilities"].tolist() == [("x", "y"), ()]
    assert net.edges[["source", "target", "value"]].values.tolist() == [["007", "A", 10.0]]


def test_read_network_hands_each_ties_endpoints_to_the_network(tmp_path):
    rels = """source,target,type,since,until
D,A,COLLABORATES_WITH,,
B,A,SUPPLIES,2020-01-01,2020-12-31
A,C,SELLS_TO,,
C,B,PARTNERS_WITH,2021-01-01,
"""
    net = netmap.read_network(make(tmp_path, rels))
    ids = net.ids
    u, v = net.endpoints()
    assert u.tolist() == [ids.index(s) for s in net.edges["source"]] == [3, 1, 0, 2]
    assert v.tolist() == [ids.index(t) for t in net.edges["target"]] == [0, 0, 2, 1]
    assert not u.flags.writeable and not v.flags.writeable
    part = net.active("2022-06-01")  # B-A has ended: the other three ties keep their endpoints
    pu, pv = part.endpoints()
    assert pu.tolist() == [3, 0, 2] and pv.tolist() == [0, 2, 1]
    assert part.index == {"A": 0, "B": 1, "C": 2, "D": 3} and part.name("D") == "Delta"
    # the same network built without the endpoints looks them up and agrees
    again = Network(net.nodes, net.edges)
    assert [a.tolist() for a in again.endpoints()] == [u.tolist(), v.tolist()]


def test_endpoints_given_to_the_network_are_checked(tiny):
    n = tiny.n_edges
    ok = Network(tiny.nodes, tiny.edges, endpoints=tiny.endpoints())
    pd.testing.assert_frame_equal(ok.pairs(), tiny.pairs())
    for bad in ((np.zeros(n - 1, dtype=int), np.zeros(n, dtype=int)),
                (np.zeros(n, dtype=int), np.full(n, tiny.n_nodes)),
                (np.full(n, -1), np.zeros(n, dtype=int))):
        with pytest.raises(ArgumentError, match="endpoints must give a node position for every tie") as e:
            Network(tiny.nodes, tiny.edges, endpoints=bad)
        assert e.value.param == "endpoints"


def test_blank_header_cells_twice_and_a_control_character_are_reported_not_a_crash(tmp_path):
    # two columns without a name (trailing commas in the header) used to break the cell checks
    d = tmp_path / "net"
    d.mkdir()
    (d / "organizations.csv").write_bytes(b"id,name,roles,,\nA,Al\x07pha,firm,x,y\nB,Beta,supplier,,\x1b\n")
    (d / "relationships.csv").write_text("source,target,type\nB,A,SUPPLIES\n", encoding="utf-8")
    assert messages(d) == [
        (2, "name", "'Al<U+0007>pha' holds a BEL (U+0007) at character 3; control characters are not allowed in "
                    "cells: delete it"),
        (3, "", "'<U+001B>' holds a ESC (U+001B) at character 1; control characters are not allowed in cells: "
                "delete it"),
    ]


@pytest.mark.parametrize("content, message", [
    (b"id,name,roles\rA,Alpha,firm\rB,Beta,supplier\r",
     "the lines end in a carriage return alone (an old Mac format); save it as 'CSV UTF-8' in Excel, or convert "
     "it: tr '\\r' '\\n' < 'organizations.csv' > converted.csv"),
    (b"id,na\rme,roles\nA,Alpha,firm\n",
     "the header row is not valid CSV: a carriage return stands inside a column name outside quotes; delete it"),
])
def test_a_file_the_csv_reader_cannot_split_is_one_problem_not_a_crash(tmp_path, content, message):
    d = tmp_path / "net"
    d.mkdir()
    (d / "organizations.csv").write_bytes(content)
    (d / "relationships.csv").write_text("source,target,type\n", encoding="utf-8")
    [p] = netmap.validate_directory(d)
    assert (p.file, p.column, p.message) == ("organizations.csv", None, message)
