"""Conventions every command follows: help with an example, exit codes, README coverage, formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli import cli
from netmap.export import neutralize, write_table

README = Path(__file__).resolve().parents[1] / "README.md"
COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    res = CliRunner().invoke(cli, [name, "--help"])
    assert res.exit_code == 0, res.output
    assert "Example" in res.output, f"netmap {name} --help has no example"
    assert f"netmap {name}" in res.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented_in_the_readme(name):
    text = README.read_text(encoding="utf-8")
    assert re.search(rf"netmap {name}\b", text), f"README does not show `netmap {name}`"


def test_usage_error_exits_2(tiny_dir):
    res = CliRunner().invoke(cli, ["summary", str(tiny_dir), "--format", "yaml"])
    assert res.exit_code == 2
    res = CliRunner().invoke(cli, ["no-such-command"])
    assert res.exit_code == 2


def test_internal_error_says_how_to_report(monkeypatch, tiny_dir):
    import netmap.cli.summary as mod

    def boom(_):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(mod, "summarize", boom)
    monkeypatch.delenv("NETMAP_DEBUG", raising=False)
    res = CliRunner().invoke(cli, ["summary", str(tiny_dir)])
    assert res.exit_code == 3
    assert "internal error" in res.output and "report" in res.output
    assert "Traceback" not in res.output


def test_version():
    res = CliRunner().invoke(cli, ["--version"])
    assert res.exit_code == 0 and "netmap" in res.output


def test_csv_and_xlsx_exports_cannot_become_formulas(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    evil = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "plain"]
    df = pd.DataFrame({"name": evil, "value": [1.5, -2, 3, 4, 5, 6]})
    write_table(df, "csv", tmp_path / "a.csv")
    text = (tmp_path / "a.csv").read_text()
    for line in text.splitlines()[1:]:
        first = line.lstrip('"')[0]
        assert first not in "=+-@\t", line
    assert ",-2.0" in text or ",-2" in text  # numbers stay numbers
    write_table(df, "xlsx", tmp_path / "a.xlsx")
    ws = load_workbook(tmp_path / "a.xlsx").active
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
    assert ws["A2"].value == "'" + evil[0]
    assert ws["B3"].value == -2
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:B7"
    assert neutralize("Acme") == "Acme"


# ------------------------------------------- hostile paths, ids and values on a terminal
import json
import shutil

import pandas as pd
from hostile import (
    BIDI,
    ESCAPE,
    HOSTILE_IDS,
    LONG_NAME,
    PLACEHOLDERS,
    RAW_CONTROL,
    hostile_copy,
    hostile_path,
)

from netmap.export.tables import LINE_WIDTH, TEXT_WIDTH

AS_OF = ["--as-of", "2024-06-30"]
SHOWN_ESCAPE = "<U+001B>]0;pwned<U+0007><U+001B>[2J<U+001B>[31m"


def _terminal(args):
    """Run netmap as on a terminal: escape sequences are not stripped from what it prints."""
    return CliRunner().invoke(cli, [str(a) for a in args], color=True)


def _safe(text: str) -> bool:
    return not RAW_CONTROL.search(text.replace("\n", ""))


@pytest.fixture
def everywhere(tiny_dir, tmp_path):
    return hostile_copy(tiny_dir, tmp_path)


def test_the_data_directory_path_is_printed_safely(everywhere, tmp_path):
    for cmd in (["validate"], ["summary"]):
        res = _terminal([cmd[0], everywhere])
        assert res.exit_code == 0, res.output
        assert _safe(res.output), res.output
        assert f"[U+202E]atad {SHOWN_ESCAPE}end" in res.output
    # a directory with a problem: the problem list and the closing line
    bad = hostile_path(tmp_path / "bad")
    shutil.copytree(everywhere, bad)
    (bad / "relationships.csv").write_text("source,target,type\nF1,nobody,SUPPLIES\n", encoding="utf-8")
    res = _terminal(["validate", bad])
    assert res.exit_code == 1 and "nobody" in res.output
    assert _safe(res.output) and f"{SHOWN_ESCAPE}end." in res.output


@pytest.mark.parametrize("command", [
    ["map", "--all-ties", "--size", "degree"], ["report", "--no-maps"], ["export"],
])
def test_output_paths_are_printed_safely(everywhere, tmp_path, command):
    suffix = {"map": ".html", "export": ".graphml", "report": ""}[command[0]]
    out = tmp_path / f"out \u202etuo {ESCAPE}{suffix}"
    res = _terminal([command[0], everywhere, *command[1:], *AS_OF, "-o", out])
    assert res.exit_code == 0, res.output
    assert _safe(res.output), res.output
    assert f"out [U+202E]tuo {SHOWN_ESCAPE}" in res.output


@pytest.mark.parametrize("args", [
    ["dependency", "--focal", "X" + ESCAPE], ["paths", "--to", "X" + ESCAPE],
    ["summary", "-o", "s " + ESCAPE + ".json"], ["summary", "(a tie to an unknown organisation)"],
], ids=["focal", "to", "output", "data-with-a-problem"])
def test_ids_and_paths_typed_on_the_command_line_are_printed_safely(everywhere, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    if args[-1].startswith("(a tie"):
        (everywhere / "relationships.csv").write_text("source,target,type\nF1,nobody,SUPPLIES\n", encoding="utf-8")
        args = args[:-1]
    res = _terminal([args[0], everywhere, *args[1:]])
    assert SHOWN_ESCAPE in res.output
    assert _safe(res.output), res.output


RUNS = [
    ["summary"], ["centrality", *AS_OF], ["brokerage", *AS_OF], ["communities", *AS_OF, "--members"],
    ["dependency", *AS_OF], ["whatif", *AS_OF, "--remove", HOSTILE_IDS["D2"]],
    ["paths", *AS_OF, "--to", HOSTILE_IDS["T1"]], ["access", *AS_OF, "--capability", "=ore"],
    ["gatekeepers", *AS_OF, "--market", "{{TITLE}}"], ["opportunities", *AS_OF], ["markets", *AS_OF],
]


@pytest.mark.parametrize("args", RUNS, ids=[r[0] for r in RUNS])
def test_terminal_tables_of_hostile_values_are_safe_and_fit(everywhere, args):
    res = _terminal([args[0], everywhere, *args[1:]])
    assert res.exit_code == 0, res.output
    assert _safe(res.output), res.output[:2000]
    # the 5,000-character name shows cut: never more than a cell's or a line's width of it
    assert LONG_NAME[: min(TEXT_WIDTH, LINE_WIDTH) - 3] in res.output
    assert LONG_NAME[:LINE_WIDTH] not in res.output
    assert max(len(line) for line in res.output.splitlines()) < 40 * TEXT_WIDTH


@pytest.mark.parametrize("args", RUNS, ids=[r[0] for r in RUNS])
def test_json_of_hostile_values_is_exact_and_safe_on_a_terminal(everywhere, args):
    res = _terminal([args[0], everywhere, *args[1:], "--format", "json"])
    assert res.exit_code == 0, res.output
    assert _safe(res.stdout)  # bidi controls written as \u202e: the same text once parsed
    data = json.loads(res.stdout)
    strings = set()

    def walk(o):
        if isinstance(o, dict):
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
        elif isinstance(o, str):
            strings.add(o)

    walk(data)
    if args[0] not in ("summary", "markets", "gatekeepers", "whatif"):
        assert LONG_NAME in strings or any(LONG_NAME in s for s in strings)
    if args[0] in ("centrality", "brokerage", "communities"):
        assert BIDI in strings and PLACEHOLDERS in strings and HOSTILE_IDS["R1"] in strings


def _cells(path):
    """Every header and cell of a CSV file, or every cell of every sheet of a workbook."""
    if path.suffix == ".csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        return [str(c) for c in df.columns] + [v for col in df.columns for v in df[col]]
    from openpyxl import load_workbook

    out = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path.name, cell.value)
                out.append(cell.value)
    return out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("args", [
    ["centrality", *AS_OF], ["communities", *AS_OF, "--members"], ["opportunities", *AS_OF],
    ["paths", *AS_OF, "--to", HOSTILE_IDS["T1"]], ["access", *AS_OF, "--capability", "=ore"],
    ["dependency", *AS_OF, "--section", "ranking"], ["dependency", *AS_OF, "--section", "supply"],
    ["whatif", *AS_OF, "--remove", HOSTILE_IDS["S3"], "--section", "inputs"], ["validate"],
], ids=lambda a: "-".join(x for x in a if not x.startswith(("-", "2"))) if isinstance(a, list) else a)
def test_files_of_hostile_values_are_safe_from_formulas_in_every_column(everywhere, tmp_path, args, suffix):
    if args[0] == "validate":  # a problem list that quotes hostile cells
        (everywhere / "relationships.csv").write_text(
            'source,target,type,value\n=F1,+x,@SUPPLIES,-5\n"-1+1",F1,SUPPLIES,=1+1\n', encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    res = CliRunner().invoke(cli, [args[0], str(everywhere), *args[1:], "-o", str(out)])
    assert res.exit_code == (1 if args[0] == "validate" else 0), res.output
    cells = [c for c in _cells(out) if isinstance(c, str)]
    assert cells
    for c in cells:
        assert not c.startswith(("=", "+", "@", "\t", "\r")), c
        if c.startswith("-"):
            float(c)  # a number, not a formula
    assert any(c.startswith(("'=", "'+", "'@", "'-")) for c in cells)  # hostile values reached the file


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_graph_files_keep_hostile_values_exactly(everywhere, tmp_path, suffix):
    import networkx as nx

    out = tmp_path / f"g{suffix}"
    res = CliRunner().invoke(cli, ["export", str(everywhere), "-o", str(out)])
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(out) if suffix == ".graphml" else nx.read_gexf(out)
    orgs = pd.read_csv(everywhere / "organizations.csv", dtype=str, keep_default_na=False)
    assert set(g.nodes) == set(orgs["id"])
    for rec in orgs.to_dict("records"):
        attrs = g.nodes[rec["id"]]
        for col in ("name", "industry", "country", "markets", "capabilities"):
            assert attrs.get(col, "") == rec[col], (rec["id"], col)
    ties = pd.read_csv(everywhere / "relationships.csv", dtype=str, keep_default_na=False)
    cats = sorted(d.get("category", "") for _, _, d in g.edges(data=True))
    assert cats == sorted(ties["category"])
