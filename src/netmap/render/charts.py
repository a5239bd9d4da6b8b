"""Small inline SVG charts and HTML tables for the report; every text is escaped."""

from __future__ import annotations

import math

import pandas as pd

from ..values import fmt_number
from .assets import cut, esc
from .style import NAME_CHARS, TEXT_CHARS

__all__ = ["bar_chart", "html_table", "method_note", "percent", "scatter_chart"]

#: Width of one character of the charts' 12 px labels, in pixels: generous, so that a label never runs into
#: its bar (capitals and wide letters included).
CHAR_PX = 7.2

#: Columns of the report's tables that hold a name or a short label: cut to
#: :data:`~netmap.render.style.NAME_CHARS` characters, the whole text on hover.
NAME_COLUMNS = ("name", "top_name", "top1_name", "best_holder_name", "top_contact_name", "introducer", "item",
                "category", "market")


def percent(share, digits: int = 1) -> str:
    """A share (0-1) as a percentage for people: ``percent(0.3412)`` is ``'34.1 %'``; empty when missing.

    >>> percent(0.3412), percent(1.0), percent(0.0571), percent(0.803, 0), percent(None)
    ('34.1\xa0%', '100\xa0%', '5.7\xa0%', '80\xa0%', '')
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return ""
    value = 100 * float(share)
    text = f"{round(value):,}" if digits == 0 else fmt_number(value, digits)  # fmt_number strips 80 to "8" at 0
    return f"{text}\u00a0%" if text else ""


def bar_chart(
    labels,
    values,
    *,
    color: str | list = "#4E79A7",
    max_value: float | None = None,
    value_text=None,
    marks: list[tuple[float, str]] | None = None,
    width: int = 640,
    label_width: int | None = None,
    value_width: int | None = None,
    title: str = "",
) -> str:
    """A horizontal bar chart as inline SVG.

    ``marks`` draws vertical reference lines (value, caption), e.g. the HHI
    thresholds. The label column (``label_width``) and the room right of the
    bars for the value texts (``value_width``) are sized from the texts, so
    nothing is clipped: a label longer than the label column (at most 40 % of
    the chart) is cut with an ellipsis, the full text in the bar's tooltip.
    """
    labels = [str(x) for x in labels]
    values = [0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]
    texts = [str(t) for t in value_text] if value_text is not None else [fmt_number(v) for v in values]
    colors = color if isinstance(color, list) else [color] * len(values)
    top = max([max_value or 0.0, *values, *(m[0] for m in (marks or []))]) or 1.0
    if value_width is None:
        value_width = int(min(width * 0.4, 12 + CHAR_PX * max((len(t) for t in texts), default=0)))
    if label_width is None:
        label_width = int(min(width * 0.4, 14 + CHAR_PX * max((len(x) for x in labels), default=0)))
    fits = max(4, int((label_width - 10) / CHAR_PX))
    row_h, pad_top = 22, 18 if marks else 4
    h = pad_top + row_h * len(values) + 4
    plot_w = max(40, width - label_width - value_width)
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{h}" viewBox="0 0 {width} {h}">'
        f'<title>{esc(title)}</title>'
    ]
    for i, (lab, v, t, c) in enumerate(zip(labels, values, texts, colors)):
        y = pad_top + i * row_h
        short = cut(lab, fits)
        w = max(0.0, plot_w * v / top)
        tw = max(0, int((width - label_width - w - 8) / CHAR_PX))  # room for the value text right of the bar
        parts.append(
            f'<g><title>{esc(lab)}: {esc(t)}</title>'
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12">{esc(short)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{esc(c)}" rx="2"></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + 15}" font-size="12" fill="#333">{esc(cut(t, tw))}</text></g>'
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
               numeric_digits: int = 3, percent_columns=(), notes: dict[str, str] | None = None,
               label: str = "", limits: dict[str, int] | None = None) -> str:
    """An escaped HTML table of ``df``; ``columns`` maps column -> header (and picks the order).

    The table sits in a box that scrolls sideways on its own (never the page)
    and takes the keyboard focus, so it can be scrolled with the arrow keys;
    ``label`` names it for screen readers. ``percent_columns`` are shares
    (0-1) shown as percentages; ``notes`` gives a header a tooltip that says
    what the column means; ``limits`` cuts the text of a column to that many
    characters (the whole text on hover). Booleans show as "yes"/"no". A name (the columns
    of :data:`NAME_COLUMNS`) longer than
    :data:`~netmap.render.style.NAME_CHARS` characters, or another text
    longer than :data:`~netmap.render.style.TEXT_CHARS`, is cut, with the
    whole text in the cell's tooltip (``title``). Only the page is
    formatted: the exported tables keep the exact values.
    """
    if columns is None:
        columns = {c: c for c in df.columns}
    cols = [c for c in columns if c in df.columns]
    if df.empty:
        return '<p class="empty">No rows.</p>'
    notes = notes or {}
    shown = df if max_rows is None else df.head(max_rows)
    head = "".join(
        f'<th title="{esc(notes[c])}" class="note">{esc(columns[c])}</th>' if c in notes else f"<th>{esc(columns[c])}</th>"
        for c in cols)
    limits = [(limits or {}).get(c, NAME_CHARS if c in NAME_COLUMNS else TEXT_CHARS) for c in cols]
    pct = [c in percent_columns for c in cols]
    names = [c in NAME_COLUMNS for c in cols]
    rows = []
    for rec in shown[cols].itertuples(index=False, name=None):
        cells = []
        for v, limit, is_pct, is_name in zip(rec, limits, pct, names):
            if isinstance(v, (list, tuple)):
                text, cls = "; ".join(map(str, v)), ""
            elif isinstance(v, str):
                text, cls = v, ' class="nm"' if is_name else ""
            elif is_pct:
                text, cls = percent(v), ' class="num"'
            else:
                text, cls = fmt_number(v, numeric_digits), ' class="num"'
            if len(text) > limit:
                cls += f' title="{esc(text)}"'
                text = cut(text, limit)
            cells.append(f"<td{cls}>{esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if max_rows is not None and len(df) > max_rows:
        more = f'<p class="more">{len(df) - max_rows:,} more rows in the exported table.</p>'
    name = label or "Table of " + ", ".join(columns[c] or c for c in cols[:3])
    return (f'<div class="tw" tabindex="0" role="region" aria-label="{esc(name)}"><table><thead><tr>{head}</tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table></div>{more}')


def method_note(*sentences: str) -> str:
    """How a section's figures were computed, as a footnote in words (escaped); empty without a sentence."""
    text = " ".join(s.strip().rstrip(".") + "." for s in sentences if s and s.strip())
    return f'<p class="method"><strong>How:</strong> {esc(text)}</p>' if text else ""


def scatter_chart(
    x,
    y,
    labels,
    *,
    color: str | list = "#4E79A7",
    tips=None,
    labelled=None,
    x_mark: float | None = None,
    y_mark: float | None = None,
    x_title: str = "",
    y_title: str = "",
    corners: tuple[str, str, str, str] = ("", "", "", ""),
    x_log: bool = False,
    y_max: float | None = None,
    y_ticks=None,
    width: int = 640,
    height: int = 400,
    title: str = "",
) -> str:
    """A quadrant chart as inline SVG: labelled points, dashed threshold lines and a caption per quadrant.

    ``labelled`` (booleans) picks the points that get a visible label, placed
    so that labels do not overlap (every point has a tooltip: its label and
    ``tips``); ``corners`` captions the quadrants top-left, top-right,
    bottom-left, bottom-right; ``x_log`` spreads the x axis logarithmically;
    ``y_ticks`` are the values marked on the y axis. Points with a missing or
    (on a log axis) non-positive coordinate are left out.
    """
    labels = [str(v) for v in labels]
    tips = [str(t) for t in tips] if tips is not None else [""] * len(labels)
    colors = color if isinstance(color, list) else [color] * len(labels)
    shown = list(labelled) if labelled is not None else [True] * len(labels)
    pts = [(float(a), float(b), lab, t, c, s) for a, b, lab, t, c, s in zip(x, y, labels, tips, colors, shown)
           if a is not None and b is not None and not (math.isnan(float(a)) or math.isnan(float(b)))
           and not (x_log and float(a) <= 0)]
    fx = math.log10 if x_log else float
    marked = x_mark is not None and (not x_log or x_mark > 0)
    xs = [fx(p[0]) for p in pts] + ([fx(x_mark)] if marked else [])
    lo = min(xs, default=0.0) if x_log else 0.0
    hi = max(xs, default=1.0)
    if hi <= lo:
        hi = lo + 1.0
    pad = (hi - lo) * 0.05
    lo, hi = (lo - pad if x_log else lo), hi + pad
    top = y_max if y_max is not None else max([p[1] for p in pts] + [y_mark or 0.0, 1e-9]) * 1.1
    left, right, up, down = 56, 16, 16, 44
    pw, ph = width - left - right, height - up - down

    def px(v: float) -> float:
        return left + pw * (fx(v) - lo) / (hi - lo)

    def py(v: float) -> float:
        return up + ph * (1 - v / top)

    parts = [(f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
              f'<title>{esc(title)}</title>'
              f'<rect x="{left}" y="{up}" width="{pw}" height="{ph}" fill="none" stroke="#999"></rect>')]
    for (cx, cy, anchor), caption in zip(((left + 6, up + 14, "start"), (left + pw - 6, up + 14, "end"),
                                          (left + 6, up + ph - 6, "start"), (left + pw - 6, up + ph - 6, "end")),
                                         corners):
        if caption:
            parts.append(f'<text x="{cx}" y="{cy}" font-size="12" fill="#888" text-anchor="{anchor}">'
                         f'{esc(caption)}</text>')
    x_ticks = ([10.0 ** k for k in range(math.ceil(lo), math.floor(hi) + 1)] if x_log else
               [0.0, *([max(p[0] for p in pts)] if pts else [])])
    for v in x_ticks:
        parts.append(f'<text x="{px(v):.1f}" y="{up + ph + 14}" font-size="10" text-anchor="middle" fill="#555">'
                     f'{esc(fmt_number(v))}</text>')
    for v in y_ticks if y_ticks is not None else (0.0, top):
        parts.append(f'<text x="{left - 4}" y="{py(v) + 3:.1f}" font-size="10" text-anchor="end" fill="#555">'
                     f'{esc(fmt_number(v))}</text>')
    if marked:
        xm = px(x_mark)
        parts.append(f'<line x1="{xm:.1f}" x2="{xm:.1f}" y1="{up}" y2="{up + ph}" stroke="#b00020" '
                     f'stroke-dasharray="3 3"></line><text x="{xm:.1f}" y="{up + ph + 26}" font-size="10" '
                     f'text-anchor="middle" fill="#b00020">{esc(fmt_number(x_mark))}</text>')
    if y_mark is not None:
        ym = py(y_mark)
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{ym:.1f}" y2="{ym:.1f}" stroke="#b00020" '
                     f'stroke-dasharray="3 3"></line><text x="{left + pw - 2}" y="{ym - 3:.1f}" font-size="10" '
                     f'text-anchor="end" fill="#b00020">{esc(fmt_number(y_mark))}</text>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{height - 4}" font-size="12" text-anchor="middle">'
                 f'{esc(x_title)}</text><text x="14" y="{up + ph / 2:.1f}" font-size="12" text-anchor="middle" '
                 f'transform="rotate(-90 14 {up + ph / 2:.1f})">{esc(y_title)}</text>')
    placed: list[tuple[float, float, float]] = []  # (x, y, width) of the labels drawn so far
    for a, b, lab, tip, c, show in pts:
        cx, cy = px(a), py(b)
        text = ""
        if show:
            short = cut(lab, 28)
            w = 6.2 * len(short)
            lx, anchor = (cx + 7, "start") if cx + 7 + w <= width else (cx - 7 - w, "end")  # left of it at the edge
            for dy in (0, -12, 12, -24, 24, -36, 36):
                ly = cy + 4 + dy
                if up + 10 <= ly <= up + ph and all(abs(ly - y0) >= 12 or lx >= x0 + w0 or lx + w <= x0
                                                    for x0, y0, w0 in placed):
                    placed.append((lx, ly, w))
                    tx = lx if anchor == "start" else lx + w
                    text = (f'<text x="{tx:.1f}" y="{ly:.1f}" font-size="11" fill="#333" text-anchor="{anchor}">'
                            f'{esc(short)}</text>')
                    break
        parts.append(f'<g><title>{esc(lab)}{": " + esc(tip) if tip else ""}</title>'
                     f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{esc(c)}" fill-opacity="0.8" '
                     f'stroke="#333" stroke-width="0.5"></circle>{text}</g>')
    parts.append("</svg>")
    return "".join(parts)
