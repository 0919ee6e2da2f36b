"""Report charts as inline SVG built by hand: one panel per charted measure (firms, employees,
revenue ...), each sorted by its own value unless the breakdown is ordinal (size bands, tiers,
years). Text stays text, in the Korean font the HTML page embeds (report.html.j2's
"ReportKorean", whose subset is made from the page's characters, chart labels included), so a
chart costs string formatting instead of a matplotlib figure laid out and drawn as glyph paths
(most of a report's time at 10,000 firms)."""

from __future__ import annotations

from html import escape

import numpy as np

from pipeline.disclosure.tabulate import TOTAL_LABEL
from pipeline.reports.tables import PublishedTable, is_number

COLOR = "#2f5d8a"
INK, AXIS = "#222222", "#444444"
FONT = "ReportKorean, 'Malgun Gothic', '맑은 고딕', NanumGothic, sans-serif"  # as the page's body
TITLE_SIZE, PANEL_TITLE_SIZE, LABEL_SIZE = 14.0, 12.5, 10.0  # px (the former 10.5, 9.5, 7.5 pt)
ROW, BAR = 24.0, 17.0  # height of a category and of its bar
PAD, GAP = 10.0, 28.0  # around the figure, between panels
# A chart is drawn at most as wide as the page's column (report.html.j2: 1100px less padding),
# so the browser does not shrink its text; bar plots share what the category labels leave.
MAX_WIDTH = 1060.0
BAR_AREA = (130.0, 240.0)  # narrowest and widest plot of a bar panel
LINE_PANEL = (200.0, 330.0)

# Advance widths of NanumGothic in em (its Hangul are all 0.94 em; ASCII as in its hmtx, letters
# rounded up): enough to lay labels out without loading the font's metrics. Rounded up, so a
# label never reaches past the space kept for it.
_NARROW = {" ": 0.28, ",": 0.31, ".": 0.31, "-": 0.37, "(": 0.37, ")": 0.37, ":": 0.31, "·": 0.3, "~": 0.66, "%": 1.09}


def text_width(text: str, size: float) -> float:
    """Width of `text` at font size `size` (px) in the report font, rounded up."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += _NARROW[ch]
        elif ch.isdigit():
            em += 0.61
        elif ord(ch) >= 0x1100:
            em += 0.94
        else:
            em += 0.8
    return em * size


def _panel_data(table: PublishedTable, column: str) -> tuple[list[str], list[float], list[object]] | None:
    body = table.frame[np.array([str(i) != TOTAL_LABEL for i in table.frame.index], dtype=bool)][column]
    if sum(is_number(v) for v in body) < 2:
        return None  # nothing to compare once the suppressed cells are left out
    items = list(body.items())
    if table.chart_sort == "value":  # largest first; hidden and empty cells last
        items.sort(key=lambda kv: (not is_number(kv[1]), -(kv[1] if is_number(kv[1]) else 0)))
    return [str(k) for k, _ in items], [float(v) if is_number(v) else 0.0 for _, v in items], [v for _, v in items]


def _value_label(raw: object) -> str:
    return f"{raw:,.0f}" if is_number(raw) else str(raw)  # a hidden or empty cell shows its mark


def _text(x: float, y: float, text: str, size: float, anchor: str = "start", weight: str = "", baseline: str = "") -> str:
    extra = (f' font-weight="{weight}"' if weight else "") + (f' dominant-baseline="{baseline}"' if baseline else "")
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _label_width(labels: list[str]) -> float:
    return max(text_width(s, LABEL_SIZE) for s in labels) + 8


def _bar_panel(x0: float, y0: float, area: float, column: str, labels: list[str], numbers: list[float],
               raw: list[object]) -> tuple[list[str], float]:
    """Horizontal bars, the first category at the top; (elements, panel width). The scale leaves
    room for every value label right of its bar, inside the panel's plot of width `area`."""
    label_w = _label_width(labels)
    values_w = [text_width(_value_label(r), LABEL_SIZE) + 4 for r in raw]
    axis = x0 + label_w
    # from zero; the largest bar as long as it can be with its label still inside the plot
    scale = min((area - w) / v for v, w in zip(numbers, values_w, strict=True) if v > 0) if max(numbers) > 0 else 0.0
    top = y0 + PANEL_TITLE_SIZE + 10
    out = [_text(axis + area / 2, y0 + PANEL_TITLE_SIZE, column, PANEL_TITLE_SIZE, "middle")]
    for i, (label, value, r) in enumerate(zip(labels, numbers, raw, strict=True)):
        mid = top + i * ROW + ROW / 2
        length = max(value, 0.0) * scale
        if length > 0:
            out.append(f'<rect x="{axis:.1f}" y="{mid - BAR / 2:.1f}" width="{length:.1f}" height="{BAR:g}" fill="{COLOR}"/>')
        out.append(_text(axis - 6, mid, label, LABEL_SIZE, "end", baseline="central"))
        out.append(_text(axis + length + 3, mid, _value_label(r), LABEL_SIZE, baseline="central"))
    bottom = top + len(labels) * ROW
    out.append(f'<line x1="{axis:.1f}" y1="{top:.1f}" x2="{axis:.1f}" y2="{bottom:.1f}" stroke="{AXIS}" stroke-width="0.8"/>')
    return out, label_w + area


def _line_panel(x0: float, y0: float, width: float, height: float, column: str, labels: list[str],
                numbers: list[float], raw: list[object]) -> list[str]:
    """Points joined in the table's order, from zero (small changes are not exaggerated), each
    with its value above it; category names under the axis."""
    top = y0 + PANEL_TITLE_SIZE + 8 + LABEL_SIZE + 8  # room for the highest point's label
    base = y0 + height - LABEL_SIZE - 8
    step = width / len(labels)
    peak = max(numbers) or 1.0
    xs = [x0 + step * (i + 0.5) for i in range(len(labels))]
    ys = [base - (max(v, 0.0) / peak) * (base - top) for v in numbers]
    out = [_text(x0 + width / 2, y0 + PANEL_TITLE_SIZE, column, PANEL_TITLE_SIZE, "middle"),
           f'<line x1="{x0:.1f}" y1="{base:.1f}" x2="{x0 + width:.1f}" y2="{base:.1f}" stroke="{AXIS}" stroke-width="0.8"/>',
           '<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>'.format(
               COLOR, " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True)))]
    for x, y, label, r in zip(xs, ys, labels, raw, strict=True):
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOR}"/>')
        out.append(_text(x, y - 8, _value_label(r), LABEL_SIZE, "middle"))
        out.append(_text(x, base + LABEL_SIZE + 4, label, LABEL_SIZE, "middle"))
    return out


def chart_svg(table: PublishedTable) -> str | None:
    """An SVG of the table's chart columns by category (total row left out); suppressed
    categories are drawn empty with the mark as their value label."""
    panels = [(c, d) for c in table.chart_columns if c in table.frame.columns and (d := _panel_data(table, c))]
    if not panels:
        return None
    y0 = PAD + TITLE_SIZE + 16
    body: list[str] = []
    x = PAD
    if table.chart_kind == "line":
        height = PANEL_TITLE_SIZE + 8 + LABEL_SIZE + 6 + 150 + LABEL_SIZE + 8
        width = min(max((MAX_WIDTH - 2 * PAD - GAP * (len(panels) - 1)) / len(panels), LINE_PANEL[0]), LINE_PANEL[1])
        for column, (labels, numbers, raw) in panels:
            body += _line_panel(x, y0, width, height, column, labels, numbers, raw)
            x += width + GAP
    else:
        n = max(len(d[0]) for _, d in panels)
        height = PANEL_TITLE_SIZE + 10 + n * ROW
        free = MAX_WIDTH - 2 * PAD - GAP * (len(panels) - 1) - sum(_label_width(d[0]) for _, d in panels)
        area = min(max(free / len(panels), BAR_AREA[0]), BAR_AREA[1])
        for column, (labels, numbers, raw) in panels:
            elements, panel_w = _bar_panel(x, y0, area, column, labels, numbers, raw)
            body += elements
            x += panel_w + GAP
    width = max(x - GAP + PAD, text_width(table.title_ko, TITLE_SIZE) + 2 * PAD)
    total_h = y0 + height + PAD
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{total_h:.0f}" '
            f'viewBox="0 0 {width:.0f} {total_h:.0f}" role="img" aria-label="{escape(table.title_ko)}" '
            f'font-family="{escape(FONT)}" fill="{INK}">')
    title = _text(width / 2, PAD + TITLE_SIZE, table.title_ko, TITLE_SIZE, "middle", weight="bold")
    return "\n".join([head, f"<title>{escape(table.title_ko)}</title>", title, *body, "</svg>"])
