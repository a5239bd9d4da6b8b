"""Input that must never change silently: each case becomes a listed problem (file, row, column) or is read right."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import netmap
from netmap.cli import cli
from netmap.errors import DataError

ORGS = """id,name,roles,focal,revenue
A,Alpha,firm,true,100
B,Beta,supplier,,50
C,Gamma,customer,,
"""
RELS = """source,target,type,value,trust,since,until
B,A,SUPPLIES,10,0.5,2020-01-01,
A,C,SELLS_TO,20,0.9,,
"""


def make(tmp_path: Path, orgs: str = ORGS, rels: str = RELS, *, raw: bytes | None = None) -> Path:
    d = tmp_path / "net"
    d.mkdir(exist_ok=True)
    if raw is not None:
        (d / "organizations.csv").write_bytes(raw)
    else:
        (d / "organizations.csv").write_text(orgs, encoding="utf-8")
    (d / "relationships.csv").write_text(rels, encoding="utf-8")
    return d


def where(path) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in netmap.validate_directory(path)]


# ------------------------------------------------------------------ headers
def test_a_duplicate_column_is_a_problem_not_dropped(tmp_path):
    orgs = ORGS.replace("id,name,roles,focal,revenue", "id,name,roles,focal,revenue,name").replace(
        "\nA,Alpha,firm,true,100", "\nA,Alpha,firm,true,100,Other")
    ps = netmap.validate_directory(make(tmp_path, orgs=orgs))
    assert [(p.file, p.row, p.column) for p in ps] == [("organizations.csv", 1, "name")]
    assert "columns 2 and 6" in ps[0].message


def test_columns_equal_once_case_is_ignored_are_a_problem(tmp_path):
    orgs = "id,name,roles,ID\nA,Alpha,firm,x\n"
    ps = netmap.validate_directory(make(tmp_path, orgs=orgs))
    assert [(p.row, p.column) for p in ps] == [(1, "id")]
    assert "'id' (column 1) and 'ID' (column 4)" in ps[0].message
    res = CliRunner().invoke(cli, ["validate", str(tmp_path / "net")])
    assert res.exit_code == 1 and "Traceback" not in res.output


# ------------------------------------------------------------------ rows
def test_rows_after_blank_lines_are_the_rows_a_spreadsheet_shows(tmp_path):
    # line 6 holds the bad value, after two blank lines
    orgs = "id,name,roles,focal,revenue\nA,Alpha,firm,true,100\n\n\nB,Beta,supplier,,50\nC,Gamma,customer,,lots\n"
    assert where(make(tmp_path, orgs=orgs)) == [("organizations.csv", 6, "revenue")]


def test_a_quoted_line_break_keeps_one_row_per_record(tmp_path):
    orgs = 'id,name,roles,focal,revenue\nA,"Alpha\nGroup",firm,true,100\nB,Beta,supplier,,x\n'
    ps = netmap.validate_directory(make(tmp_path, orgs=orgs))
    ps = [p for p in ps if p.file == "organizations.csv"]
    assert [(p.row, p.column) for p in ps] == [(2, "name"), (3, "revenue")]
    assert "line break (U+000A)" in ps[0].message


def test_duplicate_ids_name_the_first_row_after_blank_lines(tmp_path):
    orgs = "id,name,roles\nA,Alpha,firm\n\nA,Again,supplier\n"
    ps = netmap.validate_directory(make(tmp_path, orgs=orgs, rels="source,target,type\n"))
    dup = [p for p in ps if p.column == "id"]
    assert [(p.row, p.message) for p in dup] == [(4, "id 'A' is used twice; it is already on row 2")]


# ------------------------------------------------------------------ cells
@pytest.mark.parametrize("name,code", [("Ac\x00me", "U+0000"), ("Ac\x1bme", "U+001B"),
                                       ("\x1b]0;owned\x07Acme", "U+001B"), ("Ac\x85me", "U+0085")])
def test_control_characters_are_listed_problems(tmp_path, name, code):
    orgs = ORGS.replace("B,Beta,", f'B,"{name}",')
    ps = netmap.validate_directory(make(tmp_path, orgs=orgs))
    assert [(p.file, p.row, p.column) for p in ps] == [("organizations.csv", 3, "name")]
    assert code in ps[0].message
    assert "\x1b" not in ps[0].message and "\x00" not in ps[0].message and "\x07" not in ps[0].message


def test_a_control_character_in_the_second_byte_range_is_found_too(tmp_path):
    """C1 controls are two bytes in UTF-8 (C2 80 to C2 9F); the fast scan must not miss them."""
    orgs = ORGS.replace("C,Gamma,", "C,Gam\u009bma,")
    assert where(make(tmp_path, orgs=orgs)) == [("organizations.csv", 4, "name")]


def test_control_characters_in_tie_columns_too(tmp_path):
    rels = RELS.replace("B,A,SUPPLIES,10,0.5,2020-01-01,", "B,A,SUPPLIES,10,0.5,2020-01-01,").replace(
        "source,target,type,value,trust,since,until", "source,target,type,value,trust,since,until,category") \
        .replace("2020-01-01,\n", "2020-01-01,,st\x1beel\n").replace("0.9,,\n", "0.9,,,\n")
    assert where(make(tmp_path, rels=rels)) == [("relationships.csv", 2, "category")]


def test_a_cell_over_the_spreadsheet_limit_is_refused(tmp_path):
    orgs = ORGS.replace("B,Beta,", f"B,{'x' * 40_000},")
    ps = netmap.validate_directory(make(tmp_path, orgs=orgs))
    assert [(p.row, p.column) for p in ps] == [(3, "name")]
    assert "40,000 characters" in ps[0].message and "32,767" in ps[0].message


def test_a_huge_row_is_refused_before_parsing(tmp_path):
    orgs = ORGS.replace("B,Beta,", f'B,"{"x" * 2_000_000}",')
    ps = netmap.validate_directory(make(tmp_path, orgs=orgs))
    assert len(ps) == 1 and "32,767" in ps[0].message and "line 3" in ps[0].message


# ------------------------------------------------------------------ encodings
def test_utf16_gets_the_right_conversion_hint(tmp_path):
    d = make(tmp_path, raw=ORGS.encode("utf-16"))
    (p,) = netmap.validate_directory(d)
    assert "UTF-16" in p.message and "iconv -f UTF-16 -t UTF-8" in p.message and "latin1" not in p.message


def test_windows_1252_names_the_line(tmp_path):
    d = make(tmp_path, raw=ORGS.replace("Gamma", "Gämma").encode("cp1252"))
    (p,) = netmap.validate_directory(d)
    assert p.row == 4 and "not UTF-8" in p.message and "iconv -f WINDOWS-1252" in p.message


# ------------------------------------------------------------------ workbooks
def _book(path: Path, orgs_rows, rels_rows=None, edit=None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "organizations"
    for r in orgs_rows:
        ws.append(r)
    rs = wb.create_sheet("relationships")
    for r in rels_rows or [["source", "target", "type", "value"], ["B", "A", "SUPPLIES", 10], ["A", "C", "SELLS_TO", 5]]:
        rs.append(r)
    if edit:
        edit(ws, rs)
    wb.save(path)
    return path


ROWS = [["id", "name", "roles", "focal"], ["A", "Alpha", "firm", "true"], ["B", "Beta", "supplier", None],
        ["C", "Gamma", "customer", None]]


def test_a_workbook_reads(tmp_path):
    net = netmap.read_network(_book(tmp_path / "n.xlsx", ROWS))
    assert (net.n_nodes, net.n_edges) == (3, 2)


def test_formula_without_a_stored_result_is_reported(tmp_path):
    def edit(ws, rs):
        rs["D2"] = "=5*2"

    ps = netmap.validate_directory(_book(tmp_path / "n.xlsx", ROWS, edit=edit))
    assert [(p.file, p.row) for p in ps] == [("n.xlsx (sheet relationships)", 2)]
    assert "formula without a stored result" in ps[0].message and "D2" in ps[0].message


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_their_numbers(tmp_path):
    rows = [["Our partner list, June"], [None], *ROWS]
    rows[4] = ["B", "Beta", "supplier", "maybe"]
    ps = netmap.validate_directory(_book(tmp_path / "n.xlsx", rows))
    assert [(p.row, p.column) for p in ps] == [(5, "focal")]
    net = netmap.read_network(_book(tmp_path / "m.xlsx", [["Our partner list"], *ROWS]))
    assert net.ids == ["A", "B", "C"]


def test_a_value_right_of_the_header_is_reported(tmp_path):
    def edit(ws, rs):
        ws["G3"] = "stray note"

    ps = netmap.validate_directory(_book(tmp_path / "n.xlsx", ROWS, edit=edit))
    assert [(p.row, p.column) for p in ps] == [(3, None)]
    assert "G3" in ps[0].message and "stray note" in ps[0].message


def test_a_styled_cell_far_beyond_the_data_is_harmless(tmp_path):
    from openpyxl.styles import PatternFill

    def edit(ws, rs):
        ws.cell(row=3000, column=120).fill = PatternFill("solid", fgColor="FFFF00")

    net = netmap.read_network(_book(tmp_path / "n.xlsx", ROWS, edit=edit))
    assert net.n_nodes == 3


def test_merged_cells_are_reported(tmp_path):
    rows = [r[:] for r in ROWS]
    rows[3][2] = None

    def edit(ws, rs):
        ws.merge_cells("C3:C4")

    ps = netmap.validate_directory(_book(tmp_path / "n.xlsx", rows, edit=edit))
    merged = [p for p in ps if "merged" in p.message]
    assert [(p.row, "C3:C4" in p.message) for p in merged] == [(3, True)]


def test_a_password_protected_workbook_says_so(tmp_path):
    book = tmp_path / "locked.xlsx"
    book.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(DataError, match="password-protected"):
        netmap.read_network(book)
    res = CliRunner().invoke(cli, ["validate", str(book)])
    assert res.exit_code == 1 and "password-protected" in res.output


def test_csv_files_beside_a_workbook_are_refused_as_ambiguous(tmp_path):
    d = make(tmp_path)
    _book(d / "network.xlsx", ROWS)
    with pytest.raises(DataError) as e:
        netmap.read_network(d)
    assert "organizations.csv" in str(e.value) and "network.xlsx" in str(e.value)


# ------------------------------------------------------------------ display
def test_bidi_controls_show_visibly_in_pages_and_terminal_tables(tmp_path, tiny_dir):
    import shutil

    from hostile import BIDI, make_hostile

    d = make_hostile(Path(shutil.copytree(tiny_dir, tmp_path / "hostile")))
    assert netmap.validate_directory(d) == []  # a bidi control is legal text, shown, not refused
    out = tmp_path / "m.html"
    res = CliRunner().invoke(cli, ["map", str(d), "--all-ties", "--size", "degree", "-o", str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "\u202e" not in page and "Acme [U+202E]exe.gpj[U+202C] Ltd" in page
    res = CliRunner().invoke(cli, ["centrality", str(d), "--as-of", "2024-06-30"])
    assert res.exit_code == 0, res.output
    assert "\u202e" not in res.output and "[U+202E]exe.gpj" in res.output
    assert BIDI not in res.output


# ------------------------------------------------------------------ outputs
@pytest.mark.parametrize("command", [["summary"], ["export"], ["map", "--all-ties", "--size", "degree"]])
def test_an_output_over_an_input_file_is_refused(tmp_path, command):
    d = make(tmp_path)
    before = (d / "organizations.csv").read_bytes()
    res = CliRunner().invoke(cli, [command[0], str(d), *command[1:], "-o", str(d / "organizations.csv")])
    assert res.exit_code == 2, res.output
    assert "never writes over its input" in res.output
    assert (d / "organizations.csv").read_bytes() == before


def test_a_report_into_the_data_directory_is_refused(tmp_path):
    d = make(tmp_path)
    res = CliRunner().invoke(cli, ["report", str(d), "-o", str(d), "--no-maps"])
    assert res.exit_code == 2 and "never writes over its input" in res.output
    res = CliRunner().invoke(cli, ["report", str(d), "-o", str(tmp_path), "--no-maps"])
    assert res.exit_code == 2 and "never writes over its input" in res.output


def test_a_missing_output_folder_is_created(tmp_path):
    d = make(tmp_path)
    out = tmp_path / "new" / "deeper" / "s.json"
    res = CliRunner().invoke(cli, ["summary", str(d), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.exists()


def test_an_unwritable_output_is_a_clear_error_and_the_old_file_survives(tmp_path, monkeypatch):
    import os

    d = make(tmp_path)
    out = tmp_path / "s.csv"
    out.write_text("previous results\n")

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    res = CliRunner().invoke(cli, ["summary", str(d), "-o", str(out)])
    assert res.exit_code == 1, res.output
    assert "cannot write" in res.output and "No space left on device" in res.output and "Traceback" not in res.output
    assert out.read_text() == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net", "s.csv"]  # no partial file left behind


# ------------------------------------------------------------------ dates
FAR = """source,target,type,value,since,until
B,A,SUPPLIES,10,0001-01-01,9999-12-31
A,C,SELLS_TO,20,1677-01-01,2262-04-12
"""


def test_dates_beyond_pandas_nanosecond_range_are_valid_everywhere(tmp_path):
    import openpyxl

    from netmap.export import write_workbook

    d = make(tmp_path, rels=FAR)
    assert netmap.validate_directory(d) == []
    net = netmap.read_network(d)
    assert net.edges["until"].iloc[0] == pd.Timestamp("9999-12-31")
    assert net.active("2026-12-02").n_edges == 2  # both run through today
    assert net.active("2300-01-01").n_edges == 1  # 9999-12-31 is "no end"; the other ended in 2262
    assert net.active("1600-01-01").n_edges == 1  # only the one since year 1 had begun
    assert net.active("0001-01-01").n_edges == 1
    out = tmp_path / "g.graphml"
    res = CliRunner().invoke(cli, ["export", str(d), "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert "9999-12-31" in text and "0001-01-01" in text and "2262-04-12" in text
    write_workbook({"ties": net.edges[["source", "since", "until"]]}, tmp_path / "t.xlsx")
    cells = [r for r in openpyxl.load_workbook(tmp_path / "t.xlsx")["ties"].iter_rows(min_row=2, values_only=True)]
    # Excel holds dates from 1900-03-01 on: earlier ones are written as ISO text
    assert cells[0][2].year == 9999 and isinstance(cells[1][1], str) and cells[1][1].startswith("1677-")
    res = CliRunner().invoke(cli, ["report", str(d), "-o", str(tmp_path / "rep"), "--no-maps", "--as-of", "2026-12-02"])
    assert res.exit_code == 0, res.output


def test_a_failed_report_leaves_the_previous_report_intact(tmp_path, monkeypatch):
    d = make(tmp_path)
    out = tmp_path / "rep"
    res = CliRunner().invoke(cli, ["report", str(d), "-o", str(out), "--no-maps"])
    assert res.exit_code == 0, res.output
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert Path("report.html") in before

    import netmap.render.report as report

    def broken(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "render_report", broken)
    res = CliRunner().invoke(cli, ["report", str(d), "-o", str(out), "--no-maps"])
    assert res.exit_code != 0 and "Traceback" not in res.output
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net", "rep"]  # no partial build left beside it


def test_a_report_never_replaces_a_folder_that_is_not_a_report(tmp_path):
    d = make(tmp_path)
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "plan.txt").write_text("keep me")
    res = CliRunner().invoke(cli, ["report", str(d), "-o", str(mine), "--no-maps"])
    assert res.exit_code == 1 and "is not a netmap report" in res.output
    assert (mine / "plan.txt").read_text() == "keep me"


# ------------------------------------------------------------------ history
OLD = """source,target,type,value,since,until
B,A,SUPPLIES,10,2006-05-02,2012-01-01
A,C,SELLS_TO,20,2008-01-01,2015-09-14
"""


@pytest.mark.parametrize("command", [["dependency"], ["opportunities"], ["centrality"], ["brokerage"],
                                     ["communities"], ["whatif", "--remove", "B"], ["access", "--capability", "x"]])
def test_history_with_no_active_tie_says_so_and_names_the_range(tmp_path, command):
    orgs = ORGS.replace("id,name,roles,focal,revenue", "id,name,roles,focal,revenue,capabilities") \
        .replace("C,Gamma,customer,,", "C,Gamma,customer,,,x").replace("50\n", "50,\n").replace("100\n", "100,\n")
    d = make(tmp_path, orgs=orgs, rels=OLD)
    res = CliRunner().invoke(cli, [command[0], str(d), *command[1:], "--as-of", "2026-12-02"])
    assert res.exit_code == 1, res.output
    assert ("no tie is active on 2026-12-02; the ties run from 2006-05-02 to 2015-09-14" in res.output
            and "e.g. 2015-09-14" in res.output and "--as-of" in res.output), res.output
    res = CliRunner().invoke(cli, [command[0], str(d), *command[1:], "--as-of", "2010-06-30"])
    assert res.exit_code == 0, res.output


def test_history_before_the_first_tie_suggests_its_start(tmp_path):
    from netmap.errors import ArgumentError
    from netmap.view import active_network

    net = netmap.read_network(make(tmp_path, rels=OLD))
    with pytest.raises(ArgumentError, match="e.g. 2006-05-02") as e:
        active_network(net, "2001-01-01")
    assert e.value.param == "as_of"


def test_an_output_onto_a_device_or_pipe_writes_into_it_and_never_replaces_it(tmp_path):
    import os
    import stat
    import threading

    d = make(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, encoding="utf-8").read()))
    reader.start()
    res = CliRunner().invoke(cli, ["summary", str(d), "--format", "csv", "-o", str(fifo)])
    reader.join(timeout=30)
    assert res.exit_code == 0, res.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the pipe, not a regular file
    assert got and got[0].startswith("section,item,count,value")
    res = CliRunner().invoke(cli, ["summary", str(d), "-o", str(tmp_path)])
    assert res.exit_code == 2 and "is a directory" in res.output  # refused before any work
