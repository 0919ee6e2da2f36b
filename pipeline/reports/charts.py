"""Report charts as inline SVG (matplotlib, text drawn as paths in the Korean font): one panel
per charted measure (firms, employees, revenue ...), each sorted by its own value unless the
breakdown is ordinal (size bands, tiers, years)."""

from __future__ import annotations

import io
from functools import lru_cache

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure  # no pyplot: no global figure state, no GUI backend

from pipeline.disclosure.tabulate import TOTAL_LABEL
from pipeline.reports.fonts import korean_font_path
from pipeline.reports.tables import PublishedTable, is_number

COLOR = "#2f5d8a"


@lru_cache(maxsize=1)
def font_family() -> str:
    """Registers the Korean font with matplotlib once per process (addfont appends every time)."""
    path = korean_font_path()
    font_manager.fontManager.addfont(str(path))
    font_manager.fontManager.addfont(str(korean_font_path("Bold")))  # titles and tile headings
    return font_manager.FontProperties(fname=str(path)).get_name()


def _panel_data(table: PublishedTable, column: str) -> tuple[list[str], list[float], list[object]] | None:
    body = table.frame[table.frame.index.astype(str) != TOTAL_LABEL][column]
    if sum(is_number(v) for v in body) < 2:
        return None  # nothing to compare once the suppressed cells are left out
    items = list(body.items())
    if table.chart_sort == "value":  # largest first; hidden and empty cells last
        items.sort(key=lambda kv: (not is_number(kv[1]), -(kv[1] if is_number(kv[1]) else 0)))
    return [str(k) for k, _ in items], [float(v) if is_number(v) else 0.0 for _, v in items], [v for _, v in items]


def chart_svg(table: PublishedTable) -> str | None:
    """An SVG of the table's chart columns by category (total row left out); suppressed
    categories are drawn empty with the mark as their value label."""
    panels = [(c, d) for c in table.chart_columns if c in table.frame.columns and (d := _panel_data(table, c))]
    if not panels:
        return None
    rc = {"font.family": font_family(), "svg.fonttype": "path", "axes.unicode_minus": False}
    with mpl.rc_context(rc):
        if table.chart_kind == "line":
            fig = Figure(figsize=(3.4 * len(panels), 2.8))
            axes = fig.subplots(1, len(panels), squeeze=False)[0]
            for ax, (column, (labels, numbers, raw)) in zip(axes, panels, strict=True):
                ax.plot(labels, numbers, marker="o", color=COLOR)
                # from zero, so small changes are not exaggerated; headroom for the value labels
                ax.set_ylim(0, max(numbers) * 1.2 or 1)
                for x, v, r in zip(labels, numbers, raw, strict=True):
                    ax.annotate(f"{v:,.0f}" if is_number(r) else str(r), (x, v), textcoords="offset points",
                                xytext=(0, 5), ha="center", fontsize=7.5)
                ax.set_title(column, fontsize=9.5)
                ax.tick_params(labelsize=7.5)
                ax.set_yticks([])
                ax.spines[["top", "right", "left"]].set_visible(False)
        else:
            n = max(len(d[0]) for _, d in panels)
            longest = max(len(label) for _, d in panels for label in d[0])
            fig = Figure(figsize=(min(3.6 * len(panels) + 0.09 * longest * len(panels), 11), 0.9 + 0.3 * n))
            axes = fig.subplots(1, len(panels), squeeze=False)[0]
            for ax, (column, (labels, numbers, raw)) in zip(axes, panels, strict=True):
                bars = ax.barh(labels[::-1], numbers[::-1], color=COLOR)
                top = max(numbers) or 1
                ax.set_xlim(0, top * 1.5)  # room for the value labels: no text over the frame
                for bar, r in zip(bars, raw[::-1], strict=True):
                    text = f"{r:,.0f}" if is_number(r) else str(r)
                    ax.annotate(text, (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                                textcoords="offset points", va="center", fontsize=7.5)
                ax.set_title(column, fontsize=9.5)
                ax.tick_params(labelsize=7.5)
                ax.set_xticks([])
                ax.spines[["top", "right", "bottom"]].set_visible(False)
        fig.suptitle(table.title_ko, fontsize=10.5)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog: the SVG sits inside HTML
