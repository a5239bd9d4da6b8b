"""netmap trend: one row per snapshot, checked by hand on small snapshots; the dated-directory naming; the page."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner

import netmap
from netmap.cli import cli
from netmap.errors import ArgumentError, DataError
from netmap.history import history_paths, snapshot_date

ORGS = [("F", "Focal", "firm", "true"), ("S1", "Sup One", "supplier", ""), ("S2", "Sup Two", "supplier", ""),
        ("C1", "Cust One", "customer", ""), ("C2", "Cust Two", "customer", ""), ("Z", "Zed", "firm", "")]
COLS = ["source", "target", "type", "value", "category"]
SNAPS = {
    # 2023: steel 600/400 (HHI 5,200), sales C1 300 / C2 100
    "2023": [("S1", "F", "SUPPLIES", 600, "<b>steel</b>"), ("S2", "F", "SUPPLIES", 400, "<b>steel</b>"),
             ("F", "C1", "SELLS_TO", 300, "drives"), ("F", "C2", "SELLS_TO", 100, "drives")],
    # 2024-03 (read on 2024-03-31): S2 lost -> single source; C2 grew; Z-S1 tie added
    "2024-03": [("S1", "F", "SUPPLIES", 900, "<b>steel</b>"), ("F", "C1", "SELLS_TO", 300, "drives"),
                ("F", "C2", "SELLS_TO", 600, "drives"), ("S1", "Z", "SUPPLIES", 50, "<b>steel</b>")],
}


def _write(folder, ties):
    folder.mkdir(parents=True)
    pd.DataFrame(ORGS, columns=["id", "name", "roles", "focal"]).to_csv(folder / "organizations.csv", index=False)
    pd.DataFrame(ties, columns=COLS).to_csv(folder / "relationships.csv", index=False)


@pytest.fixture
def history(tmp_path):
    h = tmp_path / "history"
    for name, ties in SNAPS.items():
        _write(h / name, ties)
    (h / "notes").mkdir()  # not named by date: ignored
    return h


def test_snapshot_names():
    assert snapshot_date("2019") == dt.date(2019, 12, 31)
    assert snapshot_date("2023-02") == dt.date(2023, 2, 28)
    assert snapshot_date("2024-06-30") == dt.date(2024, 6, 30)
    assert snapshot_date("2024-02-30") is None and snapshot_date("latest") is None


def test_history_is_ordered_by_date(history):
    assert [p.name for p in history_paths(history)] == ["2023", "2024-03"]
    with pytest.raises(DataError, match="named by date"):
        history_paths(history / "notes")


def test_trend_rows_by_hand(history):
    r = netmap.trend(history)
    t = r.table.set_index("snapshot")
    assert list(t.index) == ["2023", "2024-03"]
    assert t["as_of"].tolist() == ["2023-12-31", "2024-03-31"]
    assert t["organisations"].tolist() == [6, 6]
    assert t["ties"].tolist() == [4, 4]
    assert t["total_value"].tolist() == [1400, 1850]
    assert t["focal_partners"].tolist() == [4, 3]
    # the largest buyer's share of all sales: 300 / 400, then 600 / 900
    assert t["sales_top1_share"].tolist() == pytest.approx([0.75, 600 / 900])
    assert t["sales_top1_id"].tolist() == ["C1", "C2"]
    assert t["single_source_categories"].tolist() == [0, 1]
    c = r["categories"]
    assert c["hhi"].tolist() == pytest.approx([0.6 ** 2 * 1e4 + 0.4 ** 2 * 1e4, 10000])
    assert c["top_supplier"].tolist() == ["S1", "S1"]


def test_trend_focal_must_agree(history, tmp_path):
    other = tmp_path / "x"
    other.mkdir()
    pd.DataFrame([(i, n, r, "true" if i == "Z" else "") for i, n, r, _ in ORGS],
                 columns=["id", "name", "roles", "focal"]).to_csv(other / "organizations.csv", index=False)
    pd.DataFrame(SNAPS["2023"], columns=COLS).to_csv(other / "relationships.csv", index=False)
    with pytest.raises(ArgumentError, match="different focal"):
        netmap.trend([history / "2023", other])
    assert netmap.trend([history / "2023", other], focal="F").table["focal_partners"].tolist() == [4, 4]


def test_trend_cli_html_and_xlsx(history, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["trend", str(history)])
    assert res.exit_code == 0, res.output
    assert "2024-03" in res.output
    page = tmp_path / "trend.html"
    res = runner.invoke(cli, ["trend", str(history), "-o", str(page)])
    assert res.exit_code == 0, res.output
    text = page.read_text(encoding="utf-8")
    assert "<svg" in text and "<b>steel" not in text and "&lt;b&gt;steel" in text
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")  # offline: nothing fetched
    book = tmp_path / "trend.xlsx"
    res = runner.invoke(cli, ["trend", str(history / "2023"), str(history / "2024-03"), "-o", str(book)])
    assert res.exit_code == 0, res.output
    sheets = pd.read_excel(book, sheet_name=None)
    assert len(sheets["trend"]) == 2 and len(sheets["categories"]) == 2
    res = runner.invoke(cli, ["trend", str(history), "--format", "csv"])
    assert res.exit_code == 2


def test_sample_history_trend():
    t = netmap.trend("sample_data/history").table
    assert t["snapshot"].tolist() == ["2023-06-30", "2024-06-30", "2025-06-30"]
    # the generator's churn: rare-earth magnets becomes single-sourced in the last year
    c = netmap.trend("sample_data/history")["categories"]
    magnets = c[c["category"] == "rare-earth magnets"]
    assert magnets["suppliers"].tolist()[-2:] == [2, 1]
