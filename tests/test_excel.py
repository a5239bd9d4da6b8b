"""Excel output: the report's one workbook, formula-injection safety, cell types and the row limit.

Every workbook is read back with openpyxl (and its sheet XML read directly),
not with the writer that made it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from hostile import BIDI, ESCAPE, FORMULAS, HOSTILE_IDS, HOSTILE_NAMES, LONG_NAME, XSS_IMG, XSS_SCRIPT
from openpyxl import load_workbook

import netmap
from netmap.export import excel, write_result, write_workbook
from netmap.render.report import write_report
from netmap.result import Result

AS_OF = "2025-06-30"


def _sheet_xml(path) -> list[bytes]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]


def _column_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _same(cell, text: str) -> bool:
    """An Excel cell read back holds what the CSV cell says."""
    v = cell.value
    if v is None:
        return text == ""
    if isinstance(v, bool):
        return text == str(v)
    if isinstance(v, (int, float)):
        return math.isclose(v, float(text), rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(v, dt.datetime):
        return text.startswith(v.date().isoformat())
    return v == text


# ------------------------------------------------------------ the report's workbook
@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("excel") / "r"
    write_report(netmap.read_network("sample_data"), out, as_of=AS_OF, maps=False)
    return out


def test_report_writes_one_workbook_with_every_table_as_a_sheet(report_dir):
    tables = report_dir / "tables"
    assert [f.name for f in tables.glob("*.xlsx")] == ["report.xlsx"]  # before: one .xlsx per table
    csvs = sorted(tables.glob("*.csv"))
    assert len(csvs) >= 15
    wb = load_workbook(tables / "report.xlsx")
    assert sorted(wb.sheetnames) == sorted([f.stem for f in csvs] + ["about"])
    assert wb.sheetnames[-1] == "about"
    rows_checked = 0
    for f in csvs:
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        ws = wb[f.stem]
        got = list(ws.iter_rows())
        assert [c.value for c in got[0]] == list(df.columns), f.stem
        assert all(c.font.bold for c in got[0])
        assert len(got) - 1 == len(df), f.stem  # the same rows as the CSV
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{_column_letter(len(df.columns))}{max(2, len(df) + 1)}"
        for r, row in enumerate(got[1:]):
            for j, cell in enumerate(row):
                assert _same(cell, df.iat[r, j]), (f.stem, r, df.columns[j], cell.value, df.iat[r, j])
        rows_checked += len(df)
    assert rows_checked > 1000


def test_report_workbook_about_sheet_holds_the_choices(report_dir):
    wb = load_workbook(report_dir / "tables" / "report.xlsx")
    about = {r[0].value: r[1].value for r in wb["about"].iter_rows(min_row=2)}
    assert about["focal"] == "ORG-0001"
    assert about["as_of"] == AS_OF
    assert about["source"] == "sample_data"
    assert about["Top central partners: tables"] == "centrality"
    assert about["Top central partners: damping"] == "0.85"
    assert about["Relationship portfolio: impact_threshold"] == "0.1"


def test_report_page_links_each_csv_and_the_workbook(report_dir):
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert 'href="tables/report.xlsx"' in html
    assert 'href="tables/centrality.csv"' in html
    assert not re.search(r'href="tables/(?!report\.xlsx)[^"]*\.xlsx"', html)


# ------------------------------------------------------------ formula injection
PROBES = [*FORMULAS, *HOSTILE_IDS.values(), *HOSTILE_NAMES.values(), XSS_IMG, XSS_SCRIPT, BIDI,
          "\t=1+1", "\r=1+1", "=1+1", "http://evil.example/x", "0042", "1e5", "TRUE",
          # text that xlsxwriter's constant-memory mode would paste into the XML as rich text
          '<r><t>x</t></r></is><f>HYPERLINK("http://evil","y")</f><is><r><t>z</t></r>', "<r>&amp;</r>",
          "_x0041_", "a" + ESCAPE + "b"]
#: What openpyxl reads for a probe: it leaves OOXML's escape of a literal ``_x0041_`` (which Excel shows
#: as ``_x0041_``) as it is in the file.
READ_AS = {"_x0041_": "_x005F_x0041_"}


def test_hostile_text_stays_text_in_excel(tmp_path):
    df = pd.DataFrame({"=name": PROBES, "n": range(len(PROBES))})
    path = tmp_path / "h.xlsx"
    write_result(Result({"probes": df}, {"source": "=evil()", "note": ESCAPE}), "xlsx", path)
    assert all(b"<f>" not in x and b"<f " not in x for x in _sheet_xml(path))
    wb = load_workbook(path)
    ws = wb["probes"]
    assert ws["A1"].value == "'=name"
    got = [c.value for c in ws["A"][1:]]
    want = [READ_AS.get(p) or netmap.export.neutralize(netmap.export.safety.show_controls(p)) for p in PROBES]
    assert got == want
    for cell in ws["A"]:
        assert cell.data_type in ("s", "inlineStr") and cell.data_type != "f"
        assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    # by hand, a few: the prefix, the escape written visibly, the rest unchanged
    assert got[0] == "'" + FORMULAS[0]
    assert got[PROBES.index("\t=1+1")] == "<U+0009>=1+1"  # the tab written visibly
    assert got[PROBES.index("0042")] == "0042" and got[PROBES.index("TRUE")] == "TRUE"
    assert got[-1] == "a<U+001B>]0;pwned<U+0007><U+001B>[2J<U+001B>[31mb"
    assert [c.value for c in ws["B"][1:]] == list(range(len(PROBES)))
    about = {r[0].value: r[1].value for r in wb["about"].iter_rows(min_row=2)}
    assert about == {"source": "'=evil()", "note": "<U+001B>]0;pwned<U+0007><U+001B>[2J<U+001B>[31m"}


# ------------------------------------------------------------ cells
def test_cell_types(tmp_path):
    df = pd.DataFrame({
        "score": [1.5, np.nan, np.inf, -np.inf],
        "count": [1, 2, 3, 4],
        "ok": [True, False, True, False],
        "maybe": [True, None, False, pd.NA],
        "day": pd.to_datetime(["2024-02-29", None, "9999-12-31", "2024-01-01 10:30"], format="ISO8601"),
        "mixed": [("a", "b"), {"k": 1}, dt.date(1850, 1, 2), np.int64(7)],
        "name": [LONG_NAME, "", None, "x"],
    })
    path = tmp_path / "c.xlsx"
    write_workbook({"t": df}, path)
    ws = load_workbook(path)["t"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [1.5, None, "inf", "'-inf"]  # before: infinity was an empty cell
    assert [r[1] for r in rows] == [1, 2, 3, 4]
    assert [r[2] for r in rows] == [True, False, True, False]
    assert [r[3] for r in rows] == [True, None, False, None]
    assert [r[4] for r in rows] == [dt.datetime(2024, 2, 29), None, dt.datetime(9999, 12, 31),
                                    dt.datetime(2024, 1, 1, 10, 30)]
    assert ws["E2"].number_format == "yyyy-mm-dd" and ws["E5"].number_format == "yyyy-mm-dd hh:mm:ss"
    # lists joined, dicts as JSON, a date Excel cannot hold (before 1 March 1900) as ISO text
    assert [r[5] for r in rows] == ["a;b", '{"k": 1}', "1850-01-02", 7]
    assert [r[6] for r in rows] == [LONG_NAME, None, None, "x"]  # the 5,000-character name whole
    widths = {_column_letter(i): d.width for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)}
    assert 60 <= widths["G"] < 61  # capped at 60 characters (the file adds Excel's padding)
    assert 8 <= widths["B"] < 12


def test_sheet_names_are_valid_and_unique(tmp_path):
    path = tmp_path / "n.xlsx"
    names = ["a/b", "x" * 40, "X" * 40, "q[1]:*?\\", "about", "'quoted'"]
    write_workbook({n: pd.DataFrame({"v": [i]}) for i, n in enumerate(names)}, path, meta={"k": 1})
    wb = load_workbook(path)
    assert wb.sheetnames == ["a_b", "x" * 31, "X" * 29 + " 2", "q_1_____", "about", "quoted", "about 2"]
    assert [wb[s]["A2"].value for s in wb.sheetnames[:-1]] == list(range(6))


def test_empty_table_has_its_header(tmp_path):
    path = tmp_path / "e.xlsx"
    write_workbook({"none": pd.DataFrame(columns=["a", "b"])}, path)
    ws = load_workbook(path)["none"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [["a", "b"]]
    assert ws.freeze_panes == "A2"


# ------------------------------------------------------------ Excel's row limit
def test_long_table_continues_on_further_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 3)
    df = pd.DataFrame({"id": [f"o{i}" for i in range(7)], "v": np.arange(7) * 0.5})
    path = tmp_path / "long.xlsx"
    write_workbook({"ranking": df, "short": df.head(3)}, path, meta={"focal": "F"})
    wb = load_workbook(path)
    assert wb.sheetnames == ["ranking", "ranking (2)", "ranking (3)", "short", "about"]
    back = []
    for name, n in [("ranking", 3), ("ranking (2)", 3), ("ranking (3)", 1)]:
        ws = wb[name]
        rows = [[c.value for c in r] for r in ws.iter_rows()]
        assert rows[0] == ["id", "v"] and len(rows) == n + 1
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:B{n + 1}"
        back += rows[1:]
    assert back == [[f"o{i}", i * 0.5] for i in range(7)]  # no row lost, none twice, in order
    assert wb["short"].max_row == 4
    about = {r[0].value: r[1].value for r in wb["about"].iter_rows(min_row=2)}
    assert about == {"focal": "F",
                     "sheets of ranking": "7 rows, more than a sheet holds: ranking, ranking (2), ranking (3)"}


def test_row_limit_is_excels():
    assert excel.MAX_ROWS + 1 == 2**20  # 1,048,576 rows, the header one of them
