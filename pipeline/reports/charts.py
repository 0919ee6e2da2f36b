"""Report charts as inline SVG (matplotlib, text drawn as paths in the Korean font)."""

from __future__ import annotations

import io
from functools import lru_cache

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure  # no pyplot: no global figure state, no GUI backend

from pipeline.reports.fonts import korean_font_path
from pipeline.reports.tables import PublishedTable

COLOR = "#2f5d8a"


@lru_cache(maxsize=1)
def _font_family() -> str:
    """Registers the Korean font with matplotlib once per process (addfont appends every time)."""
    path = korean_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def chart_svg(table: PublishedTable) -> str | None:
    """An SVG chart of the table's chart column by category (total row left out); suppressed
    categories are drawn as empty with the mark as their value label."""
    if not table.chart_column:
        return None
    body = table.frame[table.frame.index.astype(str) != "계"][table.chart_column]
    if body.empty:
        return None
    if sum(isinstance(v, (int, float)) for v in body) < 2:
        return None  # nothing to compare once the suppressed cells are left out
    labels = [str(i) for i in body.index]
    numbers = [float(v) if isinstance(v, (int, float)) else 0.0 for v in body]
    rc = {"font.family": _font_family(), "svg.fonttype": "path", "axes.unicode_minus": False}
    with mpl.rc_context(rc):
        if table.chart_kind == "line":
            fig = Figure(figsize=(7, 3.2))
            ax = fig.subplots()
            ax.plot(labels, numbers, marker="o", color=COLOR)
            # from zero, so small changes are not exaggerated; headroom for the value labels
            ax.set_ylim(0, max(numbers) * 1.15 or 1)
            for x, v, raw in zip(labels, numbers, body, strict=True):
                ax.annotate(f"{v:,.0f}" if isinstance(raw, (int, float)) else str(raw), (x, v),
                            textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
        else:
            fig = Figure(figsize=(7, 0.9 + 0.38 * len(labels)))
            ax = fig.subplots()
            bars = ax.barh(labels[::-1], numbers[::-1], color=COLOR)
            for bar, raw in zip(bars, list(body)[::-1], strict=True):
                text = f"{raw:,.0f}" if isinstance(raw, (int, float)) else str(raw)
                ax.annotate(text, (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                            textcoords="offset points", va="center", fontsize=8)
        ax.set_title(f"{table.chart_column} — {table.title_ko}", fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog: the SVG sits inside HTML
