"""Write result tables as text tables, CSV, JSON or Excel -- safe to open in a spreadsheet.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@``
(or a tab / carriage return) as a formula. Any text cell that an organisation
name or other user data could fill is therefore written so that it cannot
become a formula: in CSV it is prefixed with a single quote (OWASP's advice),
in Excel it is stored as a string cell (never a formula) with the same
prefix, so that re-saving the workbook as CSV stays safe too.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from .errors import NetmapError

__all__ = ["FORMATS", "GRAPH_FORMATS", "neutralize", "safe_frame", "write_table", "render_table", "to_json_records", "write_xlsx", "write_graph"]

FORMATS = ("table", "csv", "json")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(text: str) -> str:
    """Return ``text`` so that no spreadsheet treats it as a formula.

    >>> neutralize("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize("Acme")
    'Acme'
    """
    if isinstance(text, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell passed through :func:`neutralize`.

    Numeric columns are left alone (a negative number is not a formula);
    tuple/list cells are joined with ``;`` first.
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        out[col] = s.map(_cell_text_safe)
    return out


def _cell_text_safe(v):
    if isinstance(v, (list, tuple, set, frozenset)):
        v = ";".join(str(x) for x in v)
    if isinstance(v, str):
        return neutralize(v)
    return v


def _jsonable(v):
    if isinstance(v, (list, tuple, set, frozenset)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.date().isoformat() if v == v.normalize() else v.isoformat()
    if v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, np.ndarray):
        return [_jsonable(x) for x in v.tolist()]
    return v


def to_json_records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON-ready dicts (NaN becomes null, tuples become lists)."""
    return [{str(k): _jsonable(v) for k, v in rec.items()} for rec in df.to_dict("records")]


def render_table(df: pd.DataFrame, *, float_digits: int = 4, max_rows: int | None = None) -> str:
    """A readable fixed-width text table (no index, floats rounded, lists joined)."""
    if df.empty:
        return "(no rows)"
    shown = df if max_rows is None else df.head(max_rows)
    disp = shown.copy()
    for col in disp.columns:
        s = disp[col]
        if pd.api.types.is_float_dtype(s):
            disp[col] = s.map(lambda x: "" if pd.isna(x) else _fmt_float(x, float_digits))
        elif pd.api.types.is_datetime64_any_dtype(s):
            disp[col] = s.map(lambda x: "" if pd.isna(x) else x.date().isoformat())
        else:
            disp[col] = s.map(lambda x: _fmt_cell(x, float_digits))
    text = disp.to_string(index=False)
    if max_rows is not None and len(df) > max_rows:
        text += f"\n... {len(df) - max_rows} more rows (use --top, --format csv or -o FILE)"
    return text


def _fmt_cell(x, digits: int) -> str:
    if isinstance(x, (list, tuple)):
        return ";".join(map(str, x))
    if x is None or x is pd.NA or x is pd.NaT:
        return ""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    if isinstance(x, (float, np.floating)):
        return "" if math.isnan(x) else _fmt_float(float(x), digits)
    return str(x)


def _fmt_float(x: float, digits: int) -> str:
    if float(x).is_integer() and abs(x) >= 1:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}" if abs(x) < 1e-3 and x != 0 else f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def write_table(
    df: pd.DataFrame,
    fmt: str = "table",
    output: str | Path | IO[str] | None = None,
    *,
    meta: dict | None = None,
    sheet_name: str = "results",
) -> None:
    """Write ``df`` in ``fmt`` (``table``, ``csv``, ``json``, or ``xlsx``) to a path or stream.

    ``fmt`` is inferred from the file suffix when ``output`` is a path ending in
    ``.csv``, ``.json`` or ``.xlsx`` and ``fmt`` is ``table``. ``meta`` (what
    was computed and how) is kept in JSON as ``{"meta": ..., "rows": [...]}``
    and printed above a text table.
    """
    if isinstance(output, (str, Path)):
        suffix = Path(output).suffix.lower().lstrip(".")
        if fmt == "table" and suffix in ("csv", "json", "xlsx"):
            fmt = suffix
    if fmt == "xlsx":
        if output is None or not isinstance(output, (str, Path)):
            raise NetmapError("Excel output needs a file: -o results.xlsx")
        write_xlsx(df, output, sheet_name=sheet_name, meta=meta)
        return
    if fmt == "csv":
        text = safe_frame(df).to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    elif fmt == "json":
        payload = to_json_records(df)
        if meta is not None:
            payload = {"meta": _jsonable(meta), "rows": payload}
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "table":
        head = ""
        if meta:
            head = "\n".join(f"# {k}: {_meta_text(v)}" for k, v in meta.items()) + "\n"
        text = head + render_table(df) + "\n"
    else:
        raise NetmapError(f"unknown format '{fmt}'; use table, csv, json or xlsx")
    _write_text(text, output)


def _meta_text(v) -> str:
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return str(v)


def _write_text(text: str, output) -> None:
    if output is None:
        sys.stdout.write(text)
    elif isinstance(output, (str, Path)):
        path = Path(output)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as e:
            raise NetmapError(f"cannot write {output}: {e.strerror or e}") from e
    else:
        output.write(text)


def write_xlsx(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "results", meta: dict | None = None) -> None:
    """Write ``df`` as a formatted Excel sheet.

    Bold, filled header row, frozen below the header, autofilter over the data,
    column widths fitted to the content (capped at 60 characters). Text cells
    are string cells, never formulas. ``meta`` goes to a second sheet ``about``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name[:31]
    cols = [str(c) for c in df.columns]
    ws.append(cols)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="305496")
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    widths = [len(c) for c in cols]
    for r, rec in enumerate(df.itertuples(index=False, name=None), start=2):
        for c, v in enumerate(rec, start=1):
            v = _xlsx_value(v)
            cell = ws.cell(row=r, column=c)
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            widths[c - 1] = max(widths[c - 1], min(60, len(str(v)) if v is not None else 0))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(60, w + 2))
    ws.freeze_panes = "A2"
    if len(cols):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(df) + 1)}"
    if meta:
        about = wb.create_sheet("about")
        about.append(["key", "value"])
        for cell in about[1]:
            cell.font = Font(bold=True)
        for k, v in meta.items():
            about.append([neutralize(str(k)), neutralize(_meta_text(v))])
            for cell in about[about.max_row]:
                cell.data_type = "s"
        about.column_dimensions["A"].width = 24
        about.column_dimensions["B"].width = 80
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as e:
        raise NetmapError(f"cannot write {path}: {e.strerror or e}") from e


def _xlsx_value(v):
    if isinstance(v, (list, tuple, set, frozenset)):
        v = ";".join(str(x) for x in v)
    if isinstance(v, str):
        return neutralize(v)
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.to_pydatetime()
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, dict):
        return neutralize(json.dumps(_jsonable(v), ensure_ascii=False))
    return v


GRAPH_FORMATS = ("graphml", "gexf")


def write_graph(network, path: str | Path, fmt: str | None = None) -> tuple[int, int]:
    """Write the network for Gephi, yEd or Cytoscape as GraphML or GEXF.

    One node per organisation with every attribute (lists joined with ``;``),
    one edge per tie (a directed multigraph; symmetric ties are written once
    with ``symmetric=true``). The format follows the file suffix unless
    ``fmt`` is given. Returns the numbers of nodes and edges written.
    """
    import networkx as nx

    path = Path(path)
    fmt = (fmt or path.suffix.lower().lstrip(".")).lower()
    if fmt not in GRAPH_FORMATS:
        raise NetmapError(f"cannot write a graph as '{fmt or path.name}'; use a .graphml or .gexf file")
    g = nx.MultiDiGraph()
    for rec in network.nodes.to_dict("records"):
        g.add_node(rec["id"], **{k: _graph_attr(v) for k, v in rec.items() if k != "id" and _graph_attr(v) is not None})
    for i, rec in enumerate(network.edges.to_dict("records")):
        attrs = {k: _graph_attr(v) for k, v in rec.items() if k not in ("source", "target")}
        g.add_edge(rec["source"], rec["target"], key=i, **{k: v for k, v in attrs.items() if v is not None})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "graphml":
            nx.write_graphml(g, path)
        else:
            nx.write_gexf(g, path)
    except OSError as e:
        raise NetmapError(f"cannot write {path}: {e.strerror or e}") from e
    return g.number_of_nodes(), g.number_of_edges()


def _graph_attr(v):
    if isinstance(v, (list, tuple, set, frozenset)):
        return ";".join(map(str, v))
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) else f
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.date().isoformat()
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    return str(v)
