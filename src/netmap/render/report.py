"""The one-command report: a self-contained HTML page for a focal organisation, with its maps and tables beside it.

``write_report(network, outdir)`` writes::

    outdir/report.html                 the report (inline CSS and SVG charts, no script, no network)
    outdir/map.html                    the network map (see :mod:`netmap.render.map`)
    outdir/map-opportunities.html      the map with the top opportunities highlighted
    outdir/tables/<table>.csv          every table of the report, in full, spreadsheet-safe
    outdir/tables/report.xlsx          the same tables in one workbook, a sheet each, and an "about" sheet

Each section comes from the analysis function that answers its question; a
section whose analysis is not installed is left out and listed in
:attr:`Report.missing`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import progress
from ..checks import whole_number
from ..dates import to_date
from ..errors import ArgumentError
from ..export import building_directory, write_table, write_text_file, write_workbook
from ..network import Network
from .assets import cut, esc, esc_cut, fill, template
from .map import write_map
from .background import beside
from .sections import BUILDERS, ReportContext, Section
from .sections.findings import MAP_LINKS, map_link
from .sections.geography import GEO_MAP, write_geo_map
from .style import NAME_CHARS

__all__ = ["SECTIONS", "Report", "ReportContext", "Section", "map_note", "render_report", "report_sections",
           "write_report"]

#: Sections built after all the others, because they read the others' results (shown where SECTIONS puts them).
LATE = ("findings",)

#: The workbook beside the report's CSV tables (in ``tables/``): every table a sheet, the choices on "about".
WORKBOOK = "report.xlsx"
#: The report's network maps: file, link text, progress step, highlight, the analysis module it needs.
REPORT_MAPS = (
    ("map.html", "Network map", "Map of the network", None, None),
    ("map-opportunities.html", "Map: whom to approach next", "Map: whom to approach next", "opportunities",
     "opportunities"),
    ("map-risks.html", "Map: dependency risks", "Map: dependency risks", "risks", "dependency"),
)
#: Most rows per sheet of the report's workbook; longer tables keep their first (best-ranked) rows there,
#: and every row in their CSV. A reader works down the best-ranked rows of a sheet, and each cell costs
#: the writer about 7 microseconds: 2,000 rows keep the workbook to about 2 s at any network size.
WORKBOOK_MAX_ROWS = 2_000

#: Report sections in page order: (key, title, analysis module it needs).
SECTIONS = (
    ("findings", "Findings", "summary"),  # first on the page, built last: it reads the other sections' results
    ("changes", "What changed", "compare"),  # only with an earlier snapshot (write_report's before)
    ("summary", "Network summary", "summary"),
    ("central", "Top central partners", "centrality"),
    ("brokers", "Brokers", "brokerage"),
    ("risks", "Dependency risks", "dependency"),
    ("whatif", "What if a partner fails?", "whatif"),
    ("access", "Reaching capabilities and markets we lack", "paths"),
    ("opportunities", "Whom to approach next", "opportunities"),
    ("portfolio", "Relationship portfolio", "portfolio"),
    ("geography", "Where our network lives", "exposure"),
)


@dataclass
class Report:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    path : Path
        ``report.html``.
    files : list of Path
        Every file written (report, maps, tables).
    sections : list of str
        Keys of the sections included, in page order.
    missing : list of str
        Titles of sections left out because their analysis is not installed.
    """

    path: Path
    files: list
    sections: list
    missing: list
    focal: str


def _has(module: str) -> bool:
    return importlib.util.find_spec(f"netmap.analysis.{module}") is not None


def report_sections(network: Network, focal: str | None = None, *, top: int = 10, as_of=None) -> tuple[list[Section], list[str]]:
    """Compute every section of the report for ``focal`` (default: the organisation marked focal).

    Returns the sections (in page order) and the titles of those left out
    because their analysis module is not installed.
    """
    focal = network.resolve_focal(focal)
    top = whole_number(top, "top")
    return build_sections(ReportContext(network, focal, top, as_of))


def build_sections(ctx: ReportContext) -> tuple[list[Section], list[str]]:
    """The sections of the report described by ``ctx`` (page order), and the titles left out."""
    out, missing = [], []
    for key, title, module in sorted(SECTIONS, key=lambda s: s[0] in LATE):
        if not _has(module):
            missing.append(title)
            continue
        with progress.step(title):
            sec = BUILDERS[key](ctx)
        if sec is None:  # a section with nothing to say in this report (e.g. "What changed" without before)
            continue
        sec.key, sec.title = key, title
        out.append(sec)
    order = [k for k, _, _ in SECTIONS]
    return sorted(out, key=lambda s: order.index(s.key)), missing


def render_report(network: Network, focal: str, sections: list[Section], links: dict[str, str],
                  *, generated: str = "", map_notes: dict[str, str] | None = None) -> str:
    """The report page: the findings first, then the sections, a contents list, links to the maps and tables.

    ``map_notes`` says, per map file, what the map leaves out (a reduced map:
    "showing N of M organisations, chosen by ..."); it is shown beside the
    map's link. A finding's link to a map that was not written is left out.
    """
    map_notes = map_notes or {}
    nav = "".join(f'<li><a href="#{esc(s.key)}">{esc(s.title)}</a></li>' for s in sections)
    written = set(links.values())
    body = []
    for s in sections:
        files = "".join(
            f'<a href="{esc(links[name + ".csv"])}">{esc(name)}.csv</a> '
            for name in s.tables if name + ".csv" in links
        )
        if files and WORKBOOK in links:
            files += f'<a href="{esc(links[WORKBOOK])}">{WORKBOOK}</a> (every table, a sheet each)'
        html = s.html
        for href in MAP_LINKS:
            if href not in written:
                html = html.replace(map_link(href), "")
        body.append(
            f'<section id="{esc(s.key)}"><h2>{esc(s.title)}</h2>'
            + (f'<p class="lead">{esc(s.lead)}</p>' if s.lead else "")
            + html
            + (f'<p class="files">Full tables: {files}</p>' if files else "")
            + "</section>"
        )
    maps = "".join(
        f'<li><a href="{esc(href)}">{esc(label)}</a>'
        + (f'<span class="mapnote">{esc(map_notes[href])}</span>' if map_notes.get(href) else "") + "</li>"
        for label, href in links.items() if href.endswith(".html") and not label.endswith((".csv", ".xlsx"))
    )
    reduced = next((n for n in map_notes.values() if n), "")
    node = network.node(focal)
    return fill(
        template("report.html"),
        TITLE=esc(f"Network report: {cut(node['name'], NAME_CHARS)}"),
        FULL_TITLE=esc(f"Network report: {node['name']}"),
        FOCAL=f"{esc_cut(node['name'], NAME_CHARS)} ({esc_cut(focal, NAME_CHARS)})",
        SOURCE=esc(network.source or "(in memory)"),
        GENERATED=esc(generated),
        REDUCED=f'<p class="reduced">The maps: {esc(reduced)}</p>' if reduced else "",
        NAV=nav,
        MAPS=f"<h2>Maps</h2><ul>{maps}</ul>" if maps else "",
        BODY="".join(body),
    )


def map_note(data) -> str:
    """What a map leaves out, for the report: "showing N of M organisations, chosen by ..." (empty when whole).

    Reads the map's :class:`~netmap.render.map.MapData`: its ``meta``
    (``organisations_shown``, ``organisations_total`` and, where the map
    says it, ``chosen_by``) and otherwise its note on the reduction.
    """
    meta = getattr(data, "meta", None) or {}
    shown, total = meta.get("organisations_shown"), meta.get("organisations_total")
    if shown is None or total is None or shown >= total:
        return ""
    how = meta.get("chosen_by") or meta.get("reduction") or ""
    if not how:
        note = next((n for n in data.notes if "of" in n and "organisations" in n and "Reduced" in n), "")
        how = note.split(" are shown, ", 1)[1].split(", with the ", 1)[0] if " are shown, " in note else ""
    return f"showing {shown:,} of {total:,} organisations" + (f", chosen by {how}" if how else "") + "."


def write_report(
    network: Network,
    outdir: str | Path,
    focal: str | None = None,
    *,
    top: int = 10,
    as_of=None,
    maps: bool = True,
    max_nodes: int = 5000,
    seed: int = 0,
    before: Network | None = None,
) -> Report:
    """Write the report, its maps and its tables under ``outdir``.

    Parameters
    ----------
    network : Network
    outdir : path
        Directory to write to: a new or empty directory, or a previous
        report, which is replaced whole. The report is built beside it and
        moved into place when complete, so a failed run leaves the previous
        report as it was.
    focal : str, optional
        The organisation the report is about; default the one marked focal.
    top : int (default=10)
        Rows per ranking shown on the page (the exported tables hold all rows).
    as_of : date or str, optional
        Date for the analyses that use the ties active on a date (paths,
        opportunities, what-if); default today.
    maps : bool (default=True)
        Also write ``map.html``, ``map-opportunities.html``, ``map-risks.html``
        and ``geo.html`` (the geographic map).
    max_nodes : int (default=5000)
        Passed to the maps (see :func:`netmap.render.map.map_data`).
    seed : int (default=0)
        Seed of the map layout.
    before : Network, optional
        An earlier snapshot: the report adds "What changed" since it (read on
        the date its directory is named after, else today; see
        :func:`netmap.compare`).

    Returns
    -------
    Report
    """
    focal = network.resolve_focal(focal)
    day = to_date(as_of)
    final = Path(outdir)
    if final.is_file() or (final.is_dir() and any(final.iterdir()) and not (final / "report.html").is_file()):
        raise ArgumentError(f"{outdir} exists and is not a netmap report; write the report to a new or empty "
                            "directory (a previous report there is replaced whole)", param="outdir")
    ctx = ReportContext(network, focal, whole_number(top, "top"), as_of, before=before)
    sections, missing = build_sections(ctx)
    with building_directory(final) as out:
        (out / "tables").mkdir()
        links: dict[str, str] = {}
        files: list[str] = []
        size = None
        notes: dict[str, str] = {}  # per map: what it leaves out
        # the tables are written by a second process while this one draws the maps (two cores, half the wait)
        tables = beside(lambda: _write_tables(out, sections, _workbook_meta(network, focal, day, sections)))
        try:
            if maps:
                for file, label, step, highlight, module in REPORT_MAPS:
                    if module and not _has(module):
                        continue
                    with progress.step(step):
                        notes[file] = map_note(write_map(
                            network, out / file, focal=focal, size=size, highlight=highlight, top=top,
                            max_nodes=max_nodes, seed=seed, as_of=as_of, cache=ctx.cache, report="report.html"))
                    links[label] = file
                    files.append(file)
                if _has("exposure"):
                    with progress.step("Map: where our network lives"):
                        write_geo_map(ctx, out / GEO_MAP)
                    links["Map: where our network lives"] = GEO_MAP
                    files.append(GEO_MAP)
        except BaseException:
            tables.stop()
            raise
        for s in sections:
            for name in s.tables:
                links[f"{name}.csv"] = f"tables/{name}.csv"
                files.append(f"tables/{name}.csv")
        if any(s.tables for s in sections):
            links[WORKBOOK] = f"tables/{WORKBOOK}"
            files.append(f"tables/{WORKBOOK}")
        with progress.step("Tables as CSV and " + WORKBOOK):
            tables.wait()
        html = render_report(network, focal, sections, links, generated=f"ties active on {day.isoformat()}",
                             map_notes=notes)
        write_text_file(out / "report.html", html)
        files.insert(0, "report.html")
    return Report(final / "report.html", [final / f for f in files], [s.key for s in sections], missing, focal)


def _write_tables(out: Path, sections: list[Section], meta: dict) -> None:
    """Every section's tables as ``tables/<name>.csv``, and the workbook of them all."""
    book: dict[str, pd.DataFrame] = {}
    for s in sections:
        for name, df in s.tables.items():
            book[name] = _flat(df)
            write_table(book[name], "csv", out / "tables" / f"{name}.csv")
    if book:
        sheets, cut_rows = _workbook_sheets(book)
        write_workbook(sheets, out / "tables" / WORKBOOK, meta={**meta, **cut_rows})


def _workbook_meta(network: Network, focal: str, day, sections: list[Section]) -> dict:
    """The ``about`` sheet of the report's workbook: the report's choices, then each section's."""
    meta = {"report": "netmap report", "focal": focal, "focal_name": network.node(focal)["name"],
            "as_of": day.isoformat(), "source": network.source or "(in memory)"}
    for s in sections:
        if s.tables:
            meta[f"{s.title}: tables"] = ", ".join(s.tables)
        for k, v in s.meta.items():
            if k not in meta or meta[k] != v:
                meta[f"{s.title}: {k}"] = v
    return meta


def _workbook_sheets(book: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The workbook's sheets: each table's first :data:`WORKBOOK_MAX_ROWS` rows, and a note per shortened table.

    The tables are ranked (best, largest or riskiest first), so the first rows
    are the ones a reader works with; every row stays in the table's CSV.
    """
    sheets, notes = {}, {}
    for name, df in book.items():
        if len(df) > WORKBOOK_MAX_ROWS:
            sheets[name] = df.head(WORKBOOK_MAX_ROWS)
            notes[f"sheet {name}"] = (f"the first {WORKBOOK_MAX_ROWS:,} of {len(df):,} rows; every row is in "
                                      f"tables/{name}.csv")
        else:
            sheets[name] = df
    return sheets, notes


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with list cells joined by ``;`` (only text columns can hold lists)."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype != object:
            continue
        is_list = out[c].map(lambda v: isinstance(v, (list, tuple)))
        if is_list.any():
            out.loc[is_list, c] = out.loc[is_list, c].map(lambda v: ";".join(map(str, v)))
    return out
