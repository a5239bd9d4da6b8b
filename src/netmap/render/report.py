"""The one-command report: a self-contained HTML page for a focal organisation, with its maps and tables beside it.

``write_report(network, outdir)`` writes::

    outdir/report.html                 the report (inline CSS and SVG charts, no script, no network)
    outdir/map.html                    the network map (see :mod:`netmap.render.map`)
    outdir/map-opportunities.html      the map with the top opportunities highlighted
    outdir/tables/<section>.csv|.xlsx  every table of the report, in full, spreadsheet-safe

Each section comes from the analysis function that answers its question; a
section whose analysis is not installed is left out and listed in
:attr:`Report.missing`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..checks import whole_number
from ..dates import to_date
from ..errors import ArgumentError
from ..export import building_directory, write_table, write_text_file
from ..network import Network
from .assets import cut, esc, esc_cut, fill, template
from .map import write_map
from .sections import BUILDERS, ReportContext, Section
from .style import NAME_CHARS

__all__ = ["SECTIONS", "Report", "ReportContext", "Section", "render_report", "report_sections", "write_report"]

#: Report sections in page order: (key, title, analysis module it needs).
SECTIONS = (
    ("summary", "Network summary", "summary"),
    ("central", "Top central partners", "centrality"),
    ("brokers", "Brokers", "brokerage"),
    ("risks", "Dependency risks", "dependency"),
    ("whatif", "What if a partner fails?", "whatif"),
    ("access", "Reaching capabilities and markets we lack", "paths"),
    ("opportunities", "Whom to approach next", "opportunities"),
    ("portfolio", "Relationship portfolio", "portfolio"),
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
    for key, title, module in SECTIONS:
        if not _has(module):
            missing.append(title)
            continue
        sec = BUILDERS[key](ctx)
        sec.key, sec.title = key, title
        out.append(sec)
    return out, missing


def render_report(network: Network, focal: str, sections: list[Section], links: dict[str, str],
                  *, generated: str = "") -> str:
    """The report page: sections, a contents list, links to the maps and exported tables."""
    nav = "".join(f'<li><a href="#{esc(s.key)}">{esc(s.title)}</a></li>' for s in sections)
    body = []
    for s in sections:
        files = "".join(
            f'<a href="{esc(links[name + ".csv"])}">{esc(name)}.csv</a> '
            f'<a href="{esc(links[name + ".xlsx"])}">{esc(name)}.xlsx</a> '
            for name in s.tables if name + ".csv" in links
        )
        body.append(
            f'<section id="{esc(s.key)}"><h2>{esc(s.title)}</h2>'
            + (f'<p class="lead">{esc(s.lead)}</p>' if s.lead else "")
            + s.html
            + (f'<p class="files">Full tables: {files}</p>' if files else "")
            + "</section>"
        )
    maps = "".join(
        f'<li><a href="{esc(href)}">{esc(label)}</a></li>'
        for label, href in links.items() if href.endswith(".html") and not label.endswith((".csv", ".xlsx"))
    )
    node = network.node(focal)
    return fill(
        template("report.html"),
        TITLE=esc(f"Network report: {cut(node['name'], NAME_CHARS)}"),
        FOCAL=f"{esc_cut(node['name'], NAME_CHARS)} ({esc_cut(focal, NAME_CHARS)})",
        SOURCE=esc(network.source or "(in memory)"),
        GENERATED=esc(generated),
        NAV=nav,
        MAPS=maps,
        BODY="".join(body),
    )


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
        Also write ``map.html`` and ``map-opportunities.html``.
    max_nodes : int (default=5000)
        Passed to the maps (see :func:`netmap.render.map.map_data`).
    seed : int (default=0)
        Seed of the map layout.

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
    ctx = ReportContext(network, focal, whole_number(top, "top"), as_of)
    sections, missing = build_sections(ctx)
    with building_directory(final) as out:
        (out / "tables").mkdir()
        links: dict[str, str] = {}
        files: list[str] = []
        size = None
        if maps:
            write_map(network, out / "map.html", focal=focal, size=size, max_nodes=max_nodes, seed=seed,
                      as_of=as_of)
            links["Network map"] = "map.html"
            files.append("map.html")
            if _has("opportunities"):
                write_map(network, out / "map-opportunities.html", focal=focal, size=size,
                          highlight="opportunities", top=top, max_nodes=max_nodes, seed=seed, as_of=as_of)
                links["Map: whom to approach next"] = "map-opportunities.html"
                files.append("map-opportunities.html")
            if _has("dependency"):
                write_map(network, out / "map-risks.html", focal=focal, size=size, highlight="risks",
                          max_nodes=max_nodes, seed=seed, as_of=as_of)
                links["Map: dependency risks"] = "map-risks.html"
                files.append("map-risks.html")
        for s in sections:
            for name, df in s.tables.items():
                meta = {"report_section": s.title, "focal": focal, **s.meta}
                for ext in ("csv", "xlsx"):
                    rel = f"tables/{name}.{ext}"
                    write_table(_flat(df), ext, out / rel, meta=meta if ext == "xlsx" else None,
                                sheet_name=name[:31])
                    links[f"{name}.{ext}"] = rel
                    files.append(rel)
        html = render_report(network, focal, sections, links, generated=f"ties active on {day.isoformat()}")
        write_text_file(out / "report.html", html)
        files.insert(0, "report.html")
    return Report(final / "report.html", [final / f for f in files], [s.key for s in sections], missing, focal)


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].map(lambda v: isinstance(v, (list, tuple))).any():
            out[c] = out[c].map(lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out
