"""The trend page: one offline HTML file of inline SVG line charts, one per figure, over the snapshots."""

from __future__ import annotations

import math
from pathlib import Path

from ..export.files import write_text_file
from ..result import Result
from ..values import fmt_number
from .assets import esc
from .charts import html_table

__all__ = ["PALETTE", "line_chart", "trend_html", "write_trend_html"]

#: Line colours (Tableau 10), in order.
PALETTE = ["#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F",
           "#BAB0AC"]

#: Figures of the table ``trend`` drawn, each with a title for people.
FIGURES = [
    ("organisations", "Organisations"),
    ("ties", "Active ties"),
    ("total_value", "Total value of active ties"),
    ("focal_partners", "Partners of the focal organisation"),
    ("focal_pagerank_rank", "The focal organisation's PageRank rank (1 = most central)"),
    ("focal_constraint", "The focal organisation's Burt constraint (lower = more brokerage)"),
    ("sales_top1_share", "Largest buyer's share of the focal's sales"),
]


def line_chart(labels: list[str], series: dict[str, list], *, title: str = "", width: int = 640,
               height: int = 220, marks: list[tuple[float, str]] | None = None) -> str:
    """Lines over the snapshots as inline SVG (every text escaped); a point per value with its value on hover.

    ``series`` maps a name to one value per label (NaN: no point). ``marks``
    draws horizontal reference lines (value, caption), e.g. the HHI of 2,500.
    """
    vals = [float(v) for vs in series.values() for v in vs if v is not None and not _nan(v)]
    vals += [m for m, _ in (marks or [])]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    lo = min(lo, 0.0) if lo >= 0 else lo
    if hi == lo:
        hi = lo + 1.0
    ticks = [lo + (hi - lo) * frac for frac in (0.0, 0.5, 1.0)]
    # room for the longest value label on the left and half the last date label on the right
    left = max(14 + int(6.5 * max(len(fmt_number(v)) for v in ticks)), 10 + int(3.5 * len(str(labels[0])) if labels else 0))
    right = 170 if len(series) > 1 else 10 + int(3.5 * max((len(str(x)) for x in labels), default=0))
    top, bottom = 28, 36
    n = len(labels)
    w, h = width - left - right, height - top - bottom

    def x(i):
        return left + (w * i / (n - 1) if n > 1 else w / 2)

    def y(v):
        return top + h - h * (float(v) - lo) / (hi - lo)

    parts = [(f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
              f'xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>'),
             f'<text x="{left}" y="16" font-size="13" font-weight="bold">{esc(title)}</text>']
    for v in ticks:
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="11" text-anchor="end">{esc(fmt_number(v))}</text>')
    for i, lab in enumerate(labels):
        parts.append(f'<text x="{x(i):.1f}" y="{top + h + 18}" font-size="11" text-anchor="middle">{esc(lab)}</text>')
    for v, caption in marks or []:
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#999" '
                     f'stroke-dasharray="4 3"/><text x="{left + w - 4}" y="{y(v) - 4:.1f}" font-size="10" '
                     f'text-anchor="end" fill="#666">{esc(caption)}</text>')
    for k, (name, vs) in enumerate(series.items()):
        color = PALETTE[k % len(PALETTE)]
        pts = [(x(i), y(v), v) for i, v in enumerate(vs) if v is not None and not _nan(v)]
        if len(pts) > 1:
            d = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in pts)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{d}"/>')
        for (px, py, v), lab in zip(pts, [labels[i] for i, v in enumerate(vs) if v is not None and not _nan(v)]):
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{color}">'
                         f'<title>{esc(name)}, {esc(lab)}: {esc(fmt_number(v))}</title></circle>')
        if len(series) > 1:
            ly = top + 14 * k
            parts.append(f'<rect x="{left + w + 12}" y="{ly}" width="10" height="10" fill="{color}"/>'
                         f'<text x="{left + w + 26}" y="{ly + 9}" font-size="11">{esc(str(name)[:24])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _nan(v) -> bool:
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return True


def trend_html(result: Result, title: str | None = None) -> str:
    """The page for the result of :func:`netmap.trend`."""
    t = result["trend"]
    cats = result["categories"]
    labels = [str(s) for s in t["snapshot"]]
    focal = result.meta.get("focal", "")
    name = result.meta.get("focal_name", "")
    title = title or f"Trend of {focal} {name} over {len(t)} snapshots".replace("  ", " ")
    charts = [line_chart(labels, {label: t[col].tolist()}, title=label) for col, label in FIGURES]
    if len(cats):
        order = {s: i for i, s in enumerate(labels)}
        hhi = {}
        for cat, g in cats.groupby("category", sort=True):
            vals = [float("nan")] * len(labels)
            for s, v in zip(g["snapshot"], g["hhi"]):
                vals[order[str(s)]] = v
            hhi[cat] = vals
        names = sorted(hhi, key=lambda c: (-max((v for v in hhi[c] if not _nan(v)), default=0), c))
        for start in range(0, len(names), len(PALETTE)):
            chunk = {c: hhi[c] for c in names[start:start + len(PALETTE)]}
            charts.append(line_chart(labels, chunk, title="HHI per input category (0-10,000)",
                                     marks=[(2500.0, "highly concentrated")], height=260))
    table = html_table(t.drop(columns=["as_of"]))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>body{{font-family:system-ui,sans-serif;margin:1.5em;color:#222}}"
            ".chart{max-width:100%;height:auto;display:block;margin:1em 0}table{border-collapse:collapse;"
            "font-size:13px}td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left}</style></head><body>"
            f"<h1>{esc(title)}</h1><p>Each point is one snapshot, read on its date; the table below holds the "
            "figures and what changed since the previous snapshot.</p>"
            + "".join(charts) + f'<h2>Figures per snapshot</h2><div style="overflow-x:auto">{table}</div>'
            "</body></html>")


def write_trend_html(result: Result, path: str | Path, title: str | None = None) -> Path:
    """Write :func:`trend_html` to ``path`` (atomically) and return the path."""
    write_text_file(path, trend_html(result, title))
    return Path(path)
