"""The map of firms and employees by 읍면동, as a tile-free schematic (grid cartogram).

No 행정동/법정동 boundary file can ship with the project or be fetched here (KOSTAT SGIS
boundaries are KOGL type 1 but come only from sgis.kostat.go.kr, which the project cannot
reach), so each 읍면동 is one equal square, grouped by 시군구, shaded by its number of firms.
The squares take the published (disclosure-controlled) table: an area whose cells are hidden
is grey and shows the suppression mark, never its numbers."""

from __future__ import annotations

import io
import math
from functools import lru_cache

from pipeline.disclosure.rules import DisclosureRules
from pipeline.disclosure.tabulate import TOTAL_LABEL
from pipeline.reports.config import Dimension, Measure
from pipeline.reports.fonts import korean_font_path
from pipeline.reports.tables import PublishedTable, is_number

HIDDEN = "#d9d9d9"


@lru_cache(maxsize=1)
def font_family() -> str:
    """Registers the Korean font with matplotlib once per process (addfont appends every time)."""
    from matplotlib import font_manager

    path = korean_font_path()
    font_manager.fontManager.addfont(str(path))
    font_manager.fontManager.addfont(str(korean_font_path("Bold")))  # the 시군구 headings
    return font_manager.FontProperties(fname=str(path)).get_name()


def _shade(value: float, top: float) -> str:
    """Light to dark blue by the share of the largest published area (square root: a few big
    areas do not wash out the rest)."""
    t = math.sqrt(value / top) if top else 0.0
    lo, hi = (0xdc, 0xe6, 0xf1), (0x1f, 0x4e, 0x79)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(lo, hi, strict=True))


def _layout(labels: list[str], group_of) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for label in labels:
        groups.setdefault(group_of(label), []).append(label)
    return list(groups.items())


def draw_cartogram(table: PublishedTable, dim: Dimension, measures: list[Measure], rules: DisclosureRules) -> tuple[str, bytes]:
    """(SVG text for the HTML, PNG bytes for the workbook)."""
    # matplotlib is imported here, not with the module: loading the code location (and every
    # report module) does not pay for it, only a report with a map does.
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    frame = table.frame.drop(index=TOTAL_LABEL, errors="ignore")
    firms_col, emp_col = measures[0].label_ko, (measures[1].label_ko if len(measures) > 1 else None)
    split = len(dim.source_columns) > 1

    def group_of(label: str) -> str:
        if label == dim.missing_label or label in table.collapsed.values() or " " not in label or not split:
            return "기타"
        return label.rsplit(" ", 1)[0]  # the 시군구 (with its 구: "안산시 단원구")

    groups = _layout(list(map(str, frame.index)), group_of)
    numbers = [v for v in frame[firms_col] if is_number(v)]
    top = max(numbers) if numbers else 0
    tile, gap = 1.0, 0.08
    blocks = []
    x = 0.0
    for name, members in groups:
        ncol = max(1, math.ceil(math.sqrt(len(members))))
        nrow = math.ceil(len(members) / ncol)
        blocks.append((name, members, x, ncol, nrow))
        x += ncol * tile + 0.6
    width = max(x - 0.6, 1.0)
    height = max(b[4] for b in blocks) * tile + 0.7
    rc = {"font.family": font_family(), "svg.fonttype": "path"}
    with mpl.rc_context(rc):
        fig = Figure(figsize=(min(1.0 + width * 1.5, 11), 0.8 + height * 1.3))
        ax = fig.subplots()
        for name, members, x0, ncol, _ in blocks:
            ax.text(x0, height - 0.15, name, fontsize=10, fontweight="bold", va="top")
            for i, label in enumerate(members):
                col, row = i % ncol, i // ncol
                left, bottom = x0 + col * tile, height - 0.55 - (row + 1) * tile
                firms = frame.at[label, firms_col]
                emp = frame.at[label, emp_col] if emp_col else None
                shown = is_number(firms)
                fill = _shade(float(firms), top) if shown else HIDDEN
                ax.add_patch(Rectangle((left + gap / 2, bottom + gap / 2), tile - gap, tile - gap, facecolor=fill, edgecolor="white"))
                dark = shown and top and math.sqrt(float(firms) / top) > 0.55
                color = "white" if dark else "#222222"
                short = label.rsplit(" ", 1)[1] if split and " " in label and group_of(label) != "기타" else label
                ax.text(left + tile / 2, bottom + tile * 0.68, short, ha="center", va="center", fontsize=8.5, color=color)
                lines = [f"기업 {firms:,}" if shown else f"기업 {firms}"]
                if emp_col:
                    lines.append(f"종사자 {emp:,}" if is_number(emp) else f"종사자 {emp}")
                ax.text(left + tile / 2, bottom + tile * 0.33, "\n".join(lines), ha="center", va="center", fontsize=7.5,
                        color=color, linespacing=1.3)
        ax.set_xlim(-0.1, width + 0.1)
        ax.set_ylim(0, height)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(f"{dim.label_ko}별 기업 수·종사자 수 (도식 지도: 면적·위치는 실제와 다름)", fontsize=10)
        fig.text(0.01, 0.01, f"회색 = 비공개({rules.symbol}). 색이 진할수록 기업이 많음.", fontsize=7.5, color="#555555")
        fig.tight_layout()
        svg, png = io.StringIO(), io.BytesIO()
        fig.savefig(svg, format="svg")
        fig.savefig(png, format="png", dpi=150)
    text = svg.getvalue()
    return text[text.index("<svg"):], png.getvalue()


def attach_map(table: PublishedTable, dim: Dimension, measures: list[Measure], rules: DisclosureRules) -> None:
    """Draws the map of a published 읍면동 table onto it (no chart panels: the map is the chart)."""
    table.picture_svg, table.picture_png = draw_cartogram(table, dim, measures, rules)
    table.chart_columns = []
    table.title_ko = f"{dim.label_ko}별 기업 분포 (도식 지도)"
    table.title_en = f"Firms and employees by {dim.label_en} (schematic map)"
    table.note_ko = ("경계 자료 없이 읍면동마다 같은 크기의 칸으로 그린 도식 지도입니다(시군구별 묶음). "
                     "비공개 기준을 통과하지 못한 지역은 회색(X)으로 표시하고 수치를 싣지 않습니다.")
