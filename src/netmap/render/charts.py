"""Small inline SVG charts and HTML tables for the report; every text is escaped."""

from __future__ import annotations

import math

import pandas as pd

from ..values import fmt_number
from .assets import esc

__all__ = ["bar_chart", "html_table"]


def bar_chart(
    labels,
    values,
    *,
    color: str | list = "#4E79A7",
    max_value: float | None = None,
    value_text=None,
    marks: list[tuple[float, str]] | None = None,
    width: int = 640,
    label_width: int = 230,
    title: str = "",
) -> str:
    """A horizontal bar chart as inline SVG.

    ``marks`` draws vertical reference lines (value, caption), e.g. the HHI
    thresholds. Labels longer than the label column are cut, with the full
    text in the bar's tooltip.
    """
    labels = [str(x) for x in labels]
    values = [0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]
    texts = list(value_text) if value_text is not None else [fmt_number(v) for v in values]
    colors = color if isinstance(color, list) else [color] * len(values)
    top = max([max_value or 0.0, *values, *(m[0] for m in (marks or []))]) or 1.0
    row_h, pad_top = 22, 18 if marks else 4
    h = pad_top + row_h * len(values) + 4
    plot_w = width - label_width - 80
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{h}" viewBox="0 0 {width} {h}">'
        f'<title>{esc(title)}</title>'
    ]
    for i, (lab, v, t, c) in enumerate(zip(labels, values, texts, colors)):
        y = pad_top + i * row_h
        short = lab if len(lab) <= 34 else lab[:33] + "\u2026"
        w = max(0.0, plot_w * v / top)
        parts.append(
            f'<g><title>{esc(lab)}: {esc(t)}</title>'
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12">{esc(short)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{esc(c)}" rx="2"></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + 15}" font-size="12" fill="#333">{esc(t)}</text></g>'
        )
    for value, caption in marks or []:
        x = label_width + plot_w * value / top
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="12" y2="{h}" stroke="#b00020" stroke-dasharray="3 3"></line>'
            f'<text x="{x:.1f}" y="10" font-size="10" text-anchor="middle" fill="#b00020">{esc(caption)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def html_table(df: pd.DataFrame, columns: dict[str, str] | None = None, *, max_rows: int | None = None,
               numeric_digits: int = 3) -> str:
    """An escaped HTML table of ``df``; ``columns`` maps column -> header (and picks the order)."""
    if columns is None:
        columns = {c: c for c in df.columns}
    cols = [c for c in columns if c in df.columns]
    if df.empty:
        return '<p class="empty">No rows.</p>'
    shown = df if max_rows is None else df.head(max_rows)
    head = "".join(f"<th>{esc(columns[c])}</th>" for c in cols)
    rows = []
    for rec in shown[cols].itertuples(index=False, name=None):
        cells = []
        for v in rec:
            if isinstance(v, (list, tuple)):
                text, cls = "; ".join(map(str, v)), ""
            elif isinstance(v, str):
                text, cls = v, ""
            else:
                text, cls = fmt_number(v, numeric_digits), ' class="num"'
            cells.append(f"<td{cls}>{esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if max_rows is not None and len(df) > max_rows:
        more = f'<p class="more">{len(df) - max_rows:,} more rows in the exported table.</p>'
    return f'<div class="tw"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>{more}'
