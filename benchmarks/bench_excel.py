"""Excel: writing the report's tables (xlsxwriter vs openpyxl) and reading a large workbook (openpyxl vs calamine).

Writing: the tables of ``netmap report`` on the synthetic network (computed
once and cached under ``benchmarks/data/``), written as the report writes
them now (one workbook, xlsxwriter in constant-memory mode) and as it wrote
them before (one openpyxl workbook per table; the previous writer is kept
below as the baseline).

Reading: the synthetic network's two tables written to one workbook, read
back sheet by sheet as netmap reads it (openpyxl, read-only) and with
python-calamine (through pandas' ``engine="calamine"``) when it is installed.

Every case reports wall seconds and CPU seconds (user + system) of the timed
part, measured in a fresh process.
"""

from __future__ import annotations

import os
import pickle
import resource
import tempfile
import time
from pathlib import Path

from .common import run_case
from .synth import cached_dir

DATA = Path(__file__).resolve().parent / "data"


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def report_tables(n: int) -> Path:
    """The report's tables for ``n`` synthetic ties, pickled once (the report's own sections compute them)."""
    path = DATA / f"report_tables_{n}.pkl"
    if not path.exists():
        import netmap
        from netmap.render.report import build_sections
        from netmap.render.sections import ReportContext

        net = netmap.read_network(cached_dir(n))
        sections, _ = build_sections(ReportContext(net, net.resolve_focal(None), 10, None))
        tables = {name: df for s in sections for name, df in s.tables.items()}
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            pickle.dump(tables, f)
    return path


def _load(path: str) -> dict:
    with open(path, "rb") as f:
        return pickle.load(f)


# ------------------------------------------------------------------ writing
def write_xlsxwriter(state, path: str) -> dict:
    """One workbook, a sheet per table (what the report writes)."""
    from netmap.export import write_workbook

    out = Path(tempfile.mkdtemp()) / "report.xlsx"
    c = _cpu()
    write_workbook(state, out, meta={"focal": "F0"})
    return {"cpu_s": _cpu() - c, "rows": sum(len(d) for d in state.values()), "mb": out.stat().st_size / 2**20}


write_xlsxwriter.setup = _load


def write_openpyxl(state, path: str) -> dict:
    """One openpyxl workbook per table (what the report wrote before)."""
    out = Path(tempfile.mkdtemp())
    c = _cpu()
    size = 0
    for name, df in state.items():
        f = out / f"{name}.xlsx"
        _openpyxl_workbook({name[:31]: df}, f, {"focal": "F0"})
        size += f.stat().st_size
    return {"cpu_s": _cpu() - c, "rows": sum(len(d) for d in state.values()), "mb": size / 2**20}


write_openpyxl.setup = _load


def _openpyxl_workbook(tables: dict, path: Path, meta: dict) -> None:
    """The previous writer (openpyxl), cell by cell, as it was before xlsxwriter."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from netmap.export.safety import neutralize, show_controls
    from netmap.values import plain

    def text(s):
        return neutralize(show_controls(s))

    def cell(v):
        if isinstance(v, (list, tuple, set, frozenset)):
            v = ";".join(str(x) for x in plain(v))
        return text(v) if isinstance(v, str) else plain(v, dates="native")

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in tables.items():
        ws = wb.create_sheet(name)
        cols = [str(c) for c in df.columns]
        ws.append([text(c) for c in cols])
        for h in ws[1]:
            h.font, h.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="305496")
            h.alignment, h.data_type = Alignment(vertical="center"), "s"
        widths = [len(c) for c in cols]
        for r, rec in enumerate(df.itertuples(index=False, name=None), start=2):
            for j, v in enumerate(rec, start=1):
                v = cell(v)
                x = ws.cell(row=r, column=j)
                x.value = v
                if isinstance(v, str):
                    x.data_type = "s"
                widths[j - 1] = max(widths[j - 1], min(60, len(str(v)) if v is not None else 0))
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(60, w + 2))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(df) + 1)}"
    about = wb.create_sheet("about")
    for k, v in meta.items():
        about.append([k, str(v)])
    wb.save(path)


# ------------------------------------------------------------------ reading
def data_workbook(n: int) -> Path:
    """The synthetic network's two tables in one workbook, numbers as numbers and text in the shared-strings
    table, as Excel saves a workbook."""
    path = DATA / f"synth_{n}.xlsx"
    if not path.exists():
        import pandas as pd

        d = cached_dir(n)
        with pd.ExcelWriter(path, engine="xlsxwriter") as xw:
            for t in ("organizations", "relationships"):
                pd.read_csv(d / f"{t}.csv", keep_default_na=False, na_values=[""]).to_excel(
                    xw, sheet_name=t, index=False)
    return path


def read_openpyxl(path: str) -> dict:
    """netmap's reader of one sheet (openpyxl, read-only; every check included)."""
    from netmap.io.workbook import read_sheet

    c = _cpu()
    t = read_sheet(Path(path), "relationships", ("source", "target", "type"))
    return {"cpu_s": _cpu() - c, "rows": len(t.frame), "problems": len(t.problems)}


def values_openpyxl(path: str) -> dict:
    """The cell values only, as netmap takes them from openpyxl."""
    from openpyxl import load_workbook

    c = _cpu()
    wb = load_workbook(path, read_only=True, data_only=True)
    values = [tuple(r) for r in wb["relationships"].iter_rows(values_only=True)]
    wb.close()
    return {"cpu_s": _cpu() - c, "rows": len(values)}


def values_calamine(path: str) -> dict:
    """The cell values only, through pandas' calamine engine."""
    import pandas as pd

    c = _cpu()
    df = pd.read_excel(path, sheet_name="relationships", header=None, engine="calamine", dtype=object)
    values = list(df.itertuples(index=False, name=None))
    return {"cpu_s": _cpu() - c, "rows": len(values)}


def read_network_workbook(path: str) -> dict:
    """``read_network`` of the whole workbook (both sheets, validation, the Network)."""
    import netmap

    c = _cpu()
    net = netmap.read_network(path)
    return {"cpu_s": _cpu() - c, "ties": net.n_edges}


def _has_calamine() -> bool:
    import importlib.util

    return importlib.util.find_spec("python_calamine") is not None


def run(quick: bool = False) -> list[dict]:
    n = 10_000 if quick else 100_000
    rows = []
    tables = str(report_tables(n))
    for _ in range(2):
        new = run_case("benchmarks.bench_excel:write_xlsxwriter", path=tables)
        old = run_case("benchmarks.bench_excel:write_openpyxl", path=tables)
        rows.append({
            "case": f"write the report's tables, {new['result']['rows']:,} rows, {n:,} ties: one workbook "
                    f"(xlsxwriter), CPU {new['result']['cpu_s']:.1f} s, {new['result']['mb']:.0f} MB",
            "seconds": new["seconds"], "peak_mb": new["peak_mb"],
            "baseline": f"a workbook per table (openpyxl), CPU {old['result']['cpu_s']:.1f} s, "
                        f"{old['result']['mb']:.0f} MB, {old['peak_mb']:.0f} MB peak",
            "baseline_s": old["seconds"], "ratio": old["seconds"] / new["seconds"],
        })
    book = str(data_workbook(n))
    for _ in range(2):
        a = run_case("benchmarks.bench_excel:values_openpyxl", path=book)
        row = {"case": f"cell values of a {a['result']['rows'] - 1:,}-tie sheet: openpyxl read-only, "
                       f"CPU {a['result']['cpu_s']:.1f} s",
               "seconds": a["seconds"], "peak_mb": a["peak_mb"]}
        if _has_calamine():
            b = run_case("benchmarks.bench_excel:values_calamine", path=book)
            row |= {"baseline": f"pandas engine=calamine, CPU {b['result']['cpu_s']:.1f} s, "
                                f"{b['peak_mb']:.0f} MB peak",
                    "baseline_s": b["seconds"], "ratio": b["seconds"] / a["seconds"]}
        rows.append(row)
    r = run_case("benchmarks.bench_excel:read_openpyxl", path=book)
    rows.append({"case": f"read_sheet (every check) of the {r['result']['rows']:,}-tie sheet, "
                         f"CPU {r['result']['cpu_s']:.1f} s",
                 "seconds": r["seconds"], "peak_mb": r["peak_mb"]})
    r = run_case("benchmarks.bench_excel:read_network_workbook", path=book)
    rows.append({"case": f"read_network of the workbook ({r['result']['ties']:,} ties), "
                         f"CPU {r['result']['cpu_s']:.1f} s",
                 "seconds": r["seconds"], "peak_mb": r["peak_mb"]})
    return rows


if __name__ == "__main__":  # pragma: no cover
    from .common import table

    print(table(run(quick=bool(os.environ.get("QUICK"))),
                ["case", "seconds", "peak_mb", "baseline", "baseline_s", "ratio"]))
