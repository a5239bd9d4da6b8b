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
