"""Every validation problem of the data contract: a malformed file, and the file/row/column reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import netmap
from netmap.cli import cli
from netmap.errors import DataError, ValidationError

ORGS = """id,name,roles,focal,revenue,satisfaction
A,Alpha,firm,true,100,
B,Beta,supplier,,50,
C,Gamma,customer,,,7
"""
RELS = """source,target,type,value,trust,since,until
B,A,SUPPLIES,10,0.5,2020-01-01,
A,C,SELLS_TO,20,0.9,,
"""


def make(tmp_path: Path, orgs: str = ORGS, rels: str = RELS) -> Path:
    d = tmp_path / "net"
    d.mkdir(exist_ok=True)
    (d / "organizations.csv").write_text(orgs, encoding="utf-8")
    (d / "relationships.csv").write_text(rels, encoding="utf-8")
    return d


def problems(path) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in netmap.validate_directory(path)]


def only_problem(path):
    ps = netmap.validate_directory(path)
    assert len(ps) == 1, [str(p) for p in ps]
    return ps[0]


def test_valid_directory_has_no_problems(tmp_path):
    assert problems(make(tmp_path)) == []
    net = netmap.read_network(make(tmp_path))
    assert (net.n_nodes, net.n_edges) == (3, 2)


# ---------------------------------------------------------------- organisations
@pytest.mark.parametrize("missing", ["id", "name", "roles"])
def test_missing_required_organisation_column(tmp_path, missing):
    lines = ORGS.splitlines()
    header = lines[0].split(",")
    k = header.index(missing)
    text = "\n".join(",".join(c for i, c in enumerate(l.split(",")) if i != k) for l in lines) + "\n"
    p = only_problem(make(tmp_path, orgs=text))
    assert (p.file, p.row, p.column) == ("organizations.csv", 1, missing)
    assert "missing" in p.message


@pytest.mark.parametrize("missing", ["source", "target", "type"])
def test_missing_required_relationship_column(tmp_path, missing):
    lines = RELS.splitlines()
    k = lines[0].split(",").index(missing)
    text = "\n".join(",".join(c for i, c in enumerate(l.split(",")) if i != k) for l in lines) + "\n"
    p = only_problem(make(tmp_path, rels=text))
    assert (p.file, p.row, p.column) == ("relationships.csv", 1, missing)


def test_empty_id(tmp_path):
    orgs = ORGS + ",Nameless,firm,,,\n"
    p = only_problem(make(tmp_path, orgs=orgs))
    # header row 1, A=2, B=3, C=4, the new row is 5
    assert (p.file, p.row, p.column) == ("organizations.csv", 5, "id")
    assert "empty" in p.message


def test_duplicate_id_names_the_first_row(tmp_path):
    orgs = ORGS + "B,Beta again,supplier,,,\n"
    p = only_problem(make(tmp_path, orgs=orgs))
    assert (p.file, p.row, p.column) == ("organizations.csv", 5, "id")
    assert "'B'" in p.message and "row 3" in p.message


def test_unknown_role(tmp_path):
    orgs = ORGS.replace("B,Beta,supplier", "B,Beta,supplier;vendor")
    p = only_problem(make(tmp_path, orgs=orgs))
    assert (p.file, p.row, p.column) == ("organizations.csv", 3, "roles")
    assert "'vendor'" in p.message and "research_partner" in p.message


def test_empty_roles(tmp_path):
    orgs = ORGS.replace("C,Gamma,customer", "C,Gamma,")
    p = only_problem(make(tmp_path, orgs=orgs))
    assert (p.file, p.row, p.column) == ("organizations.csv", 4, "roles")


def test_roles_are_case_insensitive_and_trimmed(tmp_path):
    orgs = ORGS.replace("B,Beta,supplier", 'B,Beta," Supplier ; Distributor "')
    net = netmap.read_network(make(tmp_path, orgs=orgs))
    assert net.node("B")["roles"] == ("supplier", "distributor")


@pytest.mark.parametrize(
    "cell,column,fragment",
    [
        ("lots", "revenue", "not a number"),
        ("-5", "revenue", "out of range"),
    ],
)
def test_bad_organisation_numbers(tmp_path, cell, column, fragment):
    orgs = ORGS.replace("B,Beta,supplier,,50,", f"B,Beta,supplier,,{cell},")
    p = only_problem(make(tmp_path, orgs=orgs))
    assert (p.file, p.row, p.column) == ("organizations.csv", 3, column)
    assert fragment in p.message


@pytest.mark.parametrize("cell", ["11", "-0.5"])
def test_satisfaction_outside_0_to_10(tmp_path, cell):
    orgs = ORGS.replace("C,Gamma,customer,,,7", f"C,Gamma,customer,,,{cell}")
    p = only_problem(make(tmp_path, orgs=orgs))
    assert (p.file, p.row, p.column) == ("organizations.csv", 4, "satisfaction")
    assert "between 0 and 10" in p.message


def test_bad_boolean(tmp_path):
    orgs = ORGS.replace("A,Alpha,firm,true", "A,Alpha,firm,maybe")
    p = only_problem(make(tmp_path, orgs=orgs))
    assert (p.file, p.row, p.column) == ("organizations.csv", 2, "focal")


# ---------------------------------------------------------------- relationships
def test_unknown_relationship_type(tmp_path):
    rels = RELS.replace("A,C,SELLS_TO", "A,C,BUYS_FROM")
    p = only_problem(make(tmp_path, rels=rels))
    assert (p.file, p.row, p.column) == ("relationships.csv", 3, "type")
    assert "'BUYS_FROM'" in p.message and "SUPPLIES" in p.message


def test_relationship_type_is_case_insensitive(tmp_path):
    net = netmap.read_network(make(tmp_path, rels=RELS.replace("SELLS_TO", "sells_to")))
    assert net.edges["type"].tolist() == ["SUPPLIES", "SELLS_TO"]


@pytest.mark.parametrize("column,line", [("source", "Z,A,SUPPLIES,1,,,"), ("target", "B,Z,SUPPLIES,1,,,")])
def test_endpoint_that_is_not_an_organisation(tmp_path, column, line):
    p = only_problem(make(tmp_path, rels=RELS + line + "\n"))
    assert (p.file, p.row, p.column) == ("relationships.csv", 4, column)
    assert "'Z'" in p.message and "organizations.csv" in p.message


def test_empty_endpoint(tmp_path):
    p = only_problem(make(tmp_path, rels=RELS + ",A,SUPPLIES,1,,,\n"))
    assert (p.file, p.row, p.column) == ("relationships.csv", 4, "source")


def test_self_tie(tmp_path):
    p = only_problem(make(tmp_path, rels=RELS + "A,A,PARTNERS_WITH,,,,\n"))
    assert (p.file, p.row, p.column) == ("relationships.csv", 4, "target")
    assert "itself" in p.message


@pytest.mark.parametrize(
    "cell,column,fragment",
    [
        ("ten", "value", "not a number"),
        ("-1", "value", "out of range"),
        ("1.5", "trust", "between 0 and 1"),
        ("-0.1", "trust", "between 0 and 1"),
        ("high", "trust", "not a number"),
    ],
)
def test_bad_relationship_numbers(tmp_path, cell, column, fragment):
    if column == "value":
        rels = RELS.replace("A,C,SELLS_TO,20,0.9", f"A,C,SELLS_TO,{cell},0.9")
    else:
        rels = RELS.replace("A,C,SELLS_TO,20,0.9", f"A,C,SELLS_TO,20,{cell}")
    p = only_problem(make(tmp_path, rels=rels))
    assert (p.file, p.row, p.column) == ("relationships.csv", 3, column)
    assert fragment in p.message


@pytest.mark.parametrize("cell", ["31/12/2020", "2020-13-01", "yesterday", "2024-02-30", "2023-02-29", "2023-04-31T00:00:00"])
def test_bad_date(tmp_path, cell):
    rels = RELS.replace("B,A,SUPPLIES,10,0.5,2020-01-01,", f"B,A,SUPPLIES,10,0.5,{cell},")
    p = only_problem(make(tmp_path, rels=rels))
    assert (p.file, p.row, p.column) == ("relationships.csv", 2, "since")
    assert "YYYY-MM-DD" in p.message


def test_since_after_until(tmp_path):
    rels = RELS.replace("B,A,SUPPLIES,10,0.5,2020-01-01,", "B,A,SUPPLIES,10,0.5,2020-01-01,2019-06-30")
    p = only_problem(make(tmp_path, rels=rels))
    assert (p.file, p.row, p.column) == ("relationships.csv", 2, "until")
    assert "before" in p.message


def test_same_tie_twice(tmp_path):
    p = only_problem(make(tmp_path, rels=RELS + "B,A,supplies,99,,,\n"))
    assert (p.file, p.row, p.column) == ("relationships.csv", 4, "source")
    assert "row 2" in p.message


def test_symmetric_tie_listed_both_ways_is_a_duplicate(tmp_path):
    rels = RELS + "A,B,PARTNERS_WITH,,,,\nB,A,PARTNERS_WITH,,,,\n"
    p = only_problem(make(tmp_path, rels=rels))
    assert (p.row, p.column) == (5, "source")
    assert "row 4" in p.message


def test_same_pair_in_two_categories_is_not_a_duplicate(tmp_path):
    rels = "source,target,type,value,category\nB,A,SUPPLIES,1,steel\nB,A,SUPPLIES,2,copper\n"
    assert problems(make(tmp_path, rels=rels)) == []


# ---------------------------------------------------------------- whole files
def test_file_that_is_not_utf8(tmp_path):
    d = make(tmp_path)
    (d / "organizations.csv").write_bytes(ORGS.replace("Gamma", "Gämma").encode("latin-1"))
    p = only_problem(d)
    # the bad byte is on the 4th line of the file (C,Gämma,...)
    assert (p.file, p.row, p.column) == ("organizations.csv", 4, None)
    assert "UTF-8" in p.message


def test_utf8_with_bom_is_fine(tmp_path):
    d = make(tmp_path)
    (d / "organizations.csv").write_bytes(b"\xef\xbb\xbf" + ORGS.encode("utf-8"))
    assert problems(d) == []


@pytest.mark.parametrize("content", ["", "\n\n", "   "])
def test_empty_file(tmp_path, content):
    d = make(tmp_path)
    (d / "relationships.csv").write_text(content)
    p = only_problem(d)
    assert (p.file, p.row, p.column) == ("relationships.csv", None, None)
    assert "empty" in p.message


def test_header_only_organisations(tmp_path):
    d = make(tmp_path, orgs="id,name,roles\n", rels="source,target,type\n")
    p = only_problem(d)
    assert p.file == "organizations.csv" and "no organisations" in p.message


def test_ragged_row(tmp_path):
    p = only_problem(make(tmp_path, rels=RELS + "A,B,PARTNERS_WITH,,,,,,extra\n"))
    assert (p.file, p.row) == ("relationships.csv", 4)
    assert "fields" in p.message


def test_all_problems_of_a_file_at_once(tmp_path):
    orgs = ORGS + "B,Dup,supplier,,,\nD,Delta,wizard,,x,\n"
    rels = RELS + "Q,A,SUPPLIES,,,,\nA,C,SELLS_TO,1,2,,\n"
    got = problems(make(tmp_path, orgs=orgs, rels=rels))
    assert ("organizations.csv", 5, "id") in got
    assert ("organizations.csv", 6, "roles") in got
    assert ("organizations.csv", 6, "revenue") in got
    assert ("relationships.csv", 4, "source") in got
    assert ("relationships.csv", 5, "trust") in got
    assert ("relationships.csv", 5, "source") in got  # duplicate of row 3
    assert len(got) == 6


def test_read_network_raises_with_every_problem(tmp_path):
    with pytest.raises(ValidationError) as exc:
        netmap.read_network(make(tmp_path, rels=RELS + "A,A,SUPPLIES,,,,\nB,Z,SUPPLIES,,,,\n"))
    assert sorted((p.row, p.column) for p in exc.value.problems) == [(4, "target"), (5, "target")]


def test_missing_directory_and_files(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        netmap.read_network(tmp_path / "nope")
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "organizations.csv").write_text(ORGS)
    with pytest.raises(DataError, match="relationships.csv"):
        netmap.read_network(tmp_path / "only")


# ---------------------------------------------------------------- workbooks
def _workbook(path: Path, orgs: str, rels: str) -> Path:
    from openpyxl import Workbook
    import csv, io

    wb = Workbook()
    wb.remove(wb.active)
    for name, text in (("organizations", orgs), ("relationships", rels)):
        ws = wb.create_sheet(name)
        for row in csv.reader(io.StringIO(text)):
            ws.append([_num(x) for x in row])
    wb.save(path)
    return path


def _num(x: str):
    try:
        return float(x) if "." in x else int(x)
    except ValueError:
        return x or None


def test_workbook_reads_like_csv(tmp_path):
    book = _workbook(tmp_path / "net.xlsx", ORGS, RELS)
    a = netmap.read_network(book)
    b = netmap.read_network(make(tmp_path))
    assert a.nodes[["id", "name", "roles", "revenue"]].equals(b.nodes[["id", "name", "roles", "revenue"]])
    assert a.edges[["source", "target", "type", "value", "trust", "since"]].equals(
        b.edges[["source", "target", "type", "value", "trust", "since"]]
    )


def test_workbook_in_a_directory_and_its_problems_name_the_sheet(tmp_path):
    d = tmp_path / "book"
    d.mkdir()
    _workbook(d / "network.xlsx", ORGS, RELS.replace("0.9", "1.9"))
    p = only_problem(d)
    assert (p.file, p.row, p.column) == ("network.xlsx (sheet relationships)", 3, "trust")


def test_workbook_without_a_sheet(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "organizations"
    wb.save(tmp_path / "x.xlsx")
    ps = netmap.validate_directory(tmp_path / "x.xlsx")
    assert any("no sheet 'relationships'" in p.message for p in ps)


# ---------------------------------------------------------------- CLI
def test_cli_validate_lists_problems_and_exits_1(tmp_path):
    d = make(tmp_path, rels=RELS + "A,A,SUPPLIES,,,,\n")
    res = CliRunner().invoke(cli, ["validate", str(d), "--format", "csv"])
    assert res.exit_code == 1
    assert "relationships.csv,4,target," in res.output
    assert "Traceback" not in res.output


def test_cli_validate_ok(tmp_path):
    res = CliRunner().invoke(cli, ["validate", str(make(tmp_path))])
    assert res.exit_code == 0, res.output
    assert "3 organisations and 2 ties" in res.output


def test_every_command_refuses_invalid_input(tmp_path):
    d = make(tmp_path, orgs=ORGS.replace("supplier", "vendor"))
    res = CliRunner().invoke(cli, ["summary", str(d)])
    assert res.exit_code == 1
    assert "organizations.csv, row 3, column 'roles'" in res.output
    assert "Traceback" not in res.output


def test_cli_missing_directory_is_one_sentence(tmp_path):
    res = CliRunner().invoke(cli, ["summary", str(tmp_path / "missing")])
    assert res.exit_code == 1
    assert res.output.startswith("Error: ") and "no such file or directory" in res.output
