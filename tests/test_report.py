"""The one-command report: files, sections, figures checked by hand, escaping, links, exports."""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import netmap
from netmap.cli import cli
from netmap.render import report as report_mod
from netmap.errors import NetmapError
from netmap.render.map import map_data
from netmap.render.report import SECTIONS, report_sections, write_report
from netmap.render.style import RISK_COLOR

AS_OF = "2024-06-30"
from hostile import XSS_IMG


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def tiny_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    rep = write_report(netmap.read_network("sample_data/tiny"), out, as_of=AS_OF)
    return out, rep


def test_report_writes_page_maps_and_tables(tiny_report):
    out, rep = tiny_report
    assert rep.path == out / "report.html" and rep.focal == "F1"
    for name in ("report.html", "map.html"):
        assert (out / name).stat().st_size > 0
    assert all(p.exists() for p in rep.files)
    # "What changed" only when the report compares with an earlier snapshot
    installed = [k for k, _, mod in SECTIONS if report_mod._has(mod) and k != "changes"]
    assert rep.sections == installed
    page = _parse(rep.path)
    ids = {v for k, v in page.attrs if k == "id"}
    assert set(rep.sections) <= ids


def test_every_link_is_local_and_exists(tiny_report):
    out, rep = tiny_report
    hrefs = [v for k, v in _parse(rep.path).attrs if k == "href"]
    assert hrefs
    for h in hrefs:
        if h.startswith("#"):
            continue
        assert "://" not in h and not h.startswith("/"), h
        assert (out / h).exists(), h
    assert "map.html" in hrefs


def test_report_has_no_script_and_no_external_resource(tiny_report):
    _, rep = tiny_report
    page = _parse(rep.path)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert not [k for k, _ in page.attrs if k in ("src",) or k.startswith("on")]
    assert "svg" in page.tags  # charts are inline SVG


def test_summary_figures_by_hand(tiny_report):
    out, _ = tiny_report
    ov = pd.read_csv(out / "tables" / "summary_overview.csv")
    fig = dict(zip(ov["metric"], ov["value"]))
    # 10 organisations, 14 ties, one component; total value = sum of the value column
    assert float(fig["organisations"]) == 10 and float(fig["ties"]) == 14 and float(fig["components"]) == 1
    rel = pd.read_csv("sample_data/tiny/relationships.csv")
    assert float(fig["total_value"]) == pytest.approx(rel["value"].sum())
    html = (out / "report.html").read_text(encoding="utf-8")
    # F1's partners: S1, S2, S3, D1, D2, C1, R1
    assert '<div class="big">7</div><div>direct partners of Acme Manufacturing</div>' in html
    assert '<div class="big">10</div><div>organisations</div>' in html


def test_access_section_by_hand(tiny_report):
    out, rep = tiny_report
    acc = pd.read_csv(out / "tables" / "access.csv", keep_default_na=False)
    # F1 lists assembly and design, market DE; the others list steel, alloys, chips, ore, logistics,
    # AI, materials science and markets FR, JP
    assert sorted(acc.loc[acc["kind"] == "capability", "item"]) == sorted(
        ["steel", "alloys", "chips", "ore", "logistics", "AI", "materials science"])
    assert sorted(acc.loc[acc["kind"] == "market", "item"]) == ["FR", "JP"]
    steel = acc[acc["item"] == "steel"].iloc[0]
    # S1 supplies F1 directly: strength = mean(0.9, 0.8, 0.9, 0.8) = 0.85 beats S2's mean(0.6, 0.5) = 0.55
    assert steel["best_holder"] == "S1" and int(steel["hops"]) == 1
    assert float(steel["strength"]) == pytest.approx(0.85)
    ore = acc[acc["item"] == "ore"].iloc[0]
    # T1 holds ore: F1 -S1 (0.85) - T1 (mean .8 .6 .7 .7 = 0.7) = 0.595
    assert ore["best_holder"] == "T1" and float(ore["strength"]) == pytest.approx(0.595)
    assert ore["introducer"] == "Steelco"
    jp = acc[acc["item"] == "JP"].iloc[0]
    # on 2024-06-30 D1-C2 has ended: JP via D2 directly (D2 lists JP), strength 0.6
    assert jp["best_holder"] == "D2" and float(jp["strength"]) == pytest.approx(0.6)


def test_risk_section_by_hand(tiny_report):
    out, rep = tiny_report
    cats = pd.read_csv(out / "tables" / "supply_categories.csv")
    hhi = dict(zip(cats["category"], cats["hhi"]))
    # chips: S3 alone -> 10,000; steel: S1 400k, S2 100k -> 80^2 + 20^2 = 6,800
    assert hhi == {"chips": pytest.approx(10_000), "steel": pytest.approx(6_800)}


def test_opportunities_section_matches_the_analysis(tiny_report):
    out, rep = tiny_report
    from netmap.analysis.opportunities import opportunities

    got = pd.read_csv(out / "tables" / "opportunities.csv")
    want = opportunities(netmap.read_network("sample_data/tiny"), "F1", top=None, as_of=AS_OF).table
    assert got["id"].tolist() == want["id"].tolist()
    # the candidates T1 (via S1, S2) and C2 (via D2) -- see sample_data/tiny
    assert set(got["id"]) == {"T1", "C2"}
    text = " ".join(_parse(out / "report.html").text)
    assert "Steelco" in text  # an introducer is named on the page


def test_central_and_broker_sections_match_the_analyses(tiny_report):
    from netmap.analysis.brokerage import brokerage
    from netmap.analysis.centrality import centrality
    from netmap.view import active_network

    out, rep = tiny_report
    assert {"central", "brokers"} <= set(rep.sections)
    # on the ties active on the report's date, as `netmap centrality --as-of` computes them
    tiny = active_network(netmap.read_network("sample_data/tiny"), AS_OF)
    got = pd.read_csv(out / "tables" / "centrality.csv", keep_default_na=False)
    assert got["id"].tolist() == centrality(tiny, sort="pagerank").table["id"].tolist()
    assert np.allclose(got["pagerank"], centrality(tiny, sort="pagerank").table["pagerank"])
    # F1, the focal firm, is marked "us"; its 7 partners "yes"
    assert (got["our_partner"] == "us").sum() == 1 and (got["our_partner"] == "yes").sum() == 7
    b = pd.read_csv(out / "tables" / "brokerage.csv")
    assert b["id"].tolist() == brokerage(tiny).table["id"].tolist()


def test_missing_analysis_leaves_its_section_out(monkeypatch, tiny):
    real = report_mod._has
    monkeypatch.setattr(report_mod, "_has", lambda m: False if m == "paths" else real(m))
    sections, missing = report_sections(tiny, "F1", as_of=AS_OF)
    assert "access" not in [s.key for s in sections]
    assert "Reaching capabilities and markets we lack" in missing


def test_risk_highlight_by_hand(tiny):
    m = map_data(tiny, size="degree", highlight="risks")
    red = {n["id"] for n in m.nodes if n["color"]["border"] == RISK_COLOR}
    # S3: single source of chips; D2: its loss cuts C2 (and market JP) off; S2: only holder of alloys;
    # R1: only holder of AI and materials science
    assert red == {"S3", "D2", "S2", "R1"}


# ------------------------------------------------------------------ safety
def test_report_escapes_every_name(evil_dir, tmp_path):
    rep = write_report(netmap.read_network(evil_dir), tmp_path / "r", as_of=AS_OF)
    html = rep.path.read_text(encoding="utf-8")
    assert XSS_IMG not in html and "<script>" not in html and "<i>AI</i>" not in html and "<svg onload" not in html
    page = _parse(rep.path)
    assert not {"img", "script", "i", "b"} & set(page.tags)
    assert not [k for k, _ in page.attrs if k.startswith("on")]
    text = "".join(page.text)
    assert XSS_IMG in text  # shown as text (access: S1 is the best steel holder)
    for m in ("map.html", "map-opportunities.html"):
        if (tmp_path / "r" / m).exists():
            assert XSS_IMG not in (tmp_path / "r" / m).read_text(encoding="utf-8")


def test_exports_are_safe_from_formula_injection(evil_dir, tmp_path):
    from openpyxl import load_workbook

    rep = write_report(netmap.read_network(evil_dir), tmp_path / "r", as_of=AS_OF)
    tables = tmp_path / "r" / "tables"
    seen = 0
    for f in tables.glob("*.csv"):
        with f.open(encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@")), (f.name, cell)
                    seen += "HYPERLINK" in cell
    assert seen  # the hostile name did reach the tables
    for f in tables.glob("*.xlsx"):
        for ws in load_workbook(f).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (f.name, cell.value)
    assert rep.files


# --------------------------------------------------------------------- CLI
def test_cli_report(tiny_dir, tmp_path):
    res = CliRunner().invoke(cli, ["report", str(tiny_dir), "-o", str(tmp_path / "r"), "--as-of", AS_OF, "--top", "3"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "r" / "report.html").exists()
    assert "report.html" in res.output


@pytest.mark.parametrize("args,code", [(["--focal", "NOPE"], 1), (["--as-of", "yesterday-ish"], 1), (["--top", "0"], 2)])
def test_cli_report_errors(tiny_dir, tmp_path, args, code):
    res = CliRunner().invoke(cli, ["report", str(tiny_dir), "-o", str(tmp_path / "r"), *args])
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output


def test_bar_chart_bars_are_proportional_and_escaped():
    from netmap.render.charts import bar_chart

    svg = bar_chart(["a", "<b>"], [1.0, 4.0], width=640, label_width=230, value_width=80)
    widths = [float(w) for w in __import__("re").findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    # plot width = 640 - 230 - 80 = 330; the largest bar fills it, the other is a quarter
    assert widths == [pytest.approx(82.5), pytest.approx(330.0)]
    assert "<b>" not in svg and "&lt;b&gt;" in svg


# ------------------------------------------------- hostile values in every field
from hostile import ESCAPE, HTML_PROBES, LONG_NAME, RAW_CONTROL, hostile_copy

from netmap.render.style import NAME_CHARS, TEXT_CHARS

SHOWN = ("td", "th", "h1", "h2", "h3", "title", "text", "li", "a")
#: Hostile values that start a cell of the report's tables, written with a leading quote: ids (S1, D1,
#: C2), a name (D2), categories (S3-F1, F1-D1), a capability (T1), a market (C2).
MARKED = ("'=cmd", "'@D1", "'+C2", "'-1+1", "'=chips()", "'@widgets", "'=ore", "'+JP")


class _Shown(HTMLParser):
    """The text of each element that shows a value, and every title attribute (a tooltip)."""

    def __init__(self):
        super().__init__()
        self.stack, self.texts, self.titles = [], [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append([tag, ""])
        self.titles += [v for k, v in attrs if k == "title"]

    def handle_endtag(self, tag):
        while self.stack:
            t, text = self.stack.pop()
            if t in SHOWN:
                self.texts.append((t, text))
            if self.stack:
                self.stack[-1][1] += text
            if t == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1] += data


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """The report of the tiny network with hostile values everywhere, read from a hostile directory."""
    base = tmp_path_factory.mktemp("hostile")
    data = hostile_copy(Path("sample_data/tiny"), base)
    out = base / f"report \u202etroper {ESCAPE}"
    res = CliRunner().invoke(cli, ["report", str(data), "-o", str(out), "--as-of", AS_OF])
    return data, out, res


def test_report_of_hostile_values_everywhere_is_written(hostile_report):
    _, _, res = hostile_report
    # before: the data directory's path (with an escape sequence) crashed the Excel about sheet
    assert res.exit_code == 0, res.output
    assert not RAW_CONTROL.search(res.output.replace("\n", ""))
    assert "report [U+202E]troper <U+001B>]0;pwned<U+0007>" in res.output


def test_report_shows_hostile_values_as_text(hostile_report):
    _, out, _ = hostile_report
    html = (out / "report.html").read_text(encoding="utf-8")
    for probe in HTML_PROBES:
        assert probe not in html, probe
    assert not RAW_CONTROL.search(html.replace("\n", ""))
    page = _parse(out / "report.html")
    assert not {"img", "script", "iframe", "i", "b"} & set(page.tags)
    assert not [k for k, _ in page.attrs if k.startswith("on") or k in ("src", "srcdoc")]
    text = "".join(page.text)
    # the data directory's name and the tie categories, with their placeholders, shown as written
    assert "data <svg onload=alert(9)> {{TITLE}} ${x} [U+202E]atad <U+001B>]0;pwned<U+0007>" in text
    assert "{{DATA}}" in text and "=chips()" in text and "<b>steel</b>" in text
    assert "R[U+202E]&D" in text or "[U+202E]" in text
    # the page's own placeholders were each filled once: one title, one header
    assert html.split("</head>")[0].count("<title>") == 1 and page.tags.count("header") == 1
    assert "{{BODY}}" not in html and "{{NAV}}" not in html
    for m in ("map.html", "map-opportunities.html", "map-risks.html"):
        page_m = (out / m).read_text(encoding="utf-8")
        assert not any(p in page_m for p in HTML_PROBES), m


def test_report_cuts_an_over_long_name_and_keeps_it_in_a_tooltip(hostile_report):
    _, out, _ = hostile_report
    p = _Shown()
    p.feed((out / "report.html").read_text(encoding="utf-8"))
    long_ones = [(t, len(s)) for t, s in p.texts if len(s) > TEXT_CHARS + 40]
    assert not long_ones
    assert LONG_NAME in p.titles  # the whole name, in the tooltip of the cut one
    title = [s for t, s in p.texts if t == "title" and s.startswith("Network report")]
    assert title == ["Network report: " + LONG_NAME[: NAME_CHARS - 1] + "\u2026"]
    h1 = [s for t, s in p.texts if t == "h1"]
    assert h1 == title


def test_report_tables_of_hostile_values_are_whole_and_safe(hostile_report):
    from openpyxl import load_workbook

    _, out, _ = hostile_report
    tables = out / "tables"
    seen, whole = set(), 0
    for f in sorted(tables.glob("*.csv")):
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        for col in df.columns:
            for cell in [col, *df[col]]:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (f.name, col, cell)
                if cell.startswith("-"):
                    float(cell)  # only numbers start with a minus
                seen |= {c for c in MARKED if cell.startswith(c)}
                whole += cell == LONG_NAME
    # formulas in ids, names, categories, capabilities and markets reached the tables, written as text
    assert seen == set(MARKED)
    assert whole  # the 5,000-character name, whole
    for f in sorted(tables.glob("*.xlsx")):
        for ws in load_workbook(f).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (f.name, cell.value)
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(("=", "+", "-", "@")), (f.name, cell.value)
                        assert not RAW_CONTROL.search(cell.value.replace("\u202e", "").replace("\u202c", ""))
    about = load_workbook(tables / "report.xlsx")["about"]
    source = {r[0].value: r[1].value for r in about.iter_rows(min_row=2)}["source"]
    assert source.endswith("<U+001B>]0;pwned<U+0007><U+001B>[2J<U+001B>[31mend")


def test_workbook_cap_is_the_documented_one():
    # the docs state the cap; its cost is measured in benchmarks/bench_report.py, not here
    cap = report_mod.WORKBOOK_MAX_ROWS
    doc = " ".join((Path(__file__).parents[1] / "docs" / "report-and-maps.md").read_text(encoding="utf-8").split())
    assert f"A sheet holds at most {cap:,} rows" in doc and f"(its first {cap:,} rows)" in doc


def test_workbook_sheets_keep_the_first_rows_of_long_tables_and_the_csv_keeps_all(tiny, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr(report_mod, "WORKBOOK_MAX_ROWS", 3)
    out = tmp_path / "rep"
    write_report(tiny, out, "F1", as_of=AS_OF, maps=False)
    book = load_workbook(out / "tables" / "report.xlsx", read_only=True)
    about = {r[0]: r[1] for r in book["about"].iter_rows(values_only=True)}
    full = pd.read_csv(out / "tables" / "centrality.csv")
    assert len(full) > 3  # tiny has more organisations than the cap
    rows = list(book["centrality"].iter_rows(values_only=True))
    assert len(rows) == 1 + 3  # header + the first three
    assert [r[0] for r in rows[1:]] == full["id"].head(3).tolist()
    assert about["sheet centrality"] == f"the first 3 of {len(full):,} rows; every row is in tables/centrality.csv"
    roles = pd.read_csv(out / "tables" / "summary_roles.csv")
    assert len(list(book["summary_roles"].iter_rows())) == 1 + min(3, len(roles))


def test_tables_written_beside_the_maps_equal_those_written_in_process(tiny, tmp_path, monkeypatch):
    forked, plain = tmp_path / "forked", tmp_path / "plain"
    write_report(tiny, forked, "F1", as_of=AS_OF, maps=False)
    monkeypatch.setenv("NETMAP_NO_FORK", "1")
    write_report(tiny, plain, "F1", as_of=AS_OF, maps=False)
    names = sorted(p.name for p in (forked / "tables").iterdir())
    assert names == sorted(p.name for p in (plain / "tables").iterdir()) and "report.xlsx" in names
    for n in names:
        if n.endswith(".csv"):
            assert (forked / "tables" / n).read_bytes() == (plain / "tables" / n).read_bytes(), n


@pytest.mark.parametrize("fork", [True, False])
def test_a_failure_while_writing_the_tables_fails_the_report_and_keeps_the_previous_one(tiny, tmp_path, monkeypatch,
                                                                                        fork):
    out = tmp_path / "rep"
    write_report(tiny, out, "F1", as_of=AS_OF, maps=False)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_mod, "write_workbook", full)
    if not fork:
        monkeypatch.setenv("NETMAP_NO_FORK", "1")
    with pytest.raises(NetmapError, match=r"cannot write .*rep: No space left on device; the previous output"):
        write_report(tiny, out, "F1", as_of=AS_OF, maps=False)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]  # nothing half-built left beside it
