"""The map of firms and employees by 읍면동, as a tile-free schematic (grid cartogram).

No 행정동/법정동 boundary file can ship with the project or be fetched here (KOSTAT SGIS
boundaries are KOGL type 1 but come only from sgis.kostat.go.kr, which the project cannot
reach), so each 읍면동 is one equal square, grouped by 시군구, shaded by its number of firms.
The squares take the published (disclosure-controlled) table: an area whose cells are hidden
is grey and shows the suppression mark, never its numbers."""

from __future__ import annotations

import math

from pipeline.disclosure.rules import DisclosureRules
from pipeline.disclosure.tabulate import TOTAL_LABEL
from pipeline.reports.charts import text_width
from pipeline.reports.config import Dimension, Measure
from pipeline.reports.drawing import Box, Text, png, svg
from pipeline.reports.tables import PublishedTable, is_number

HIDDEN = "#d9d9d9"


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


# The drawing in px: one tile per area, in blocks by 시군구 side by side.
TILE, TILE_GAP, BLOCK_GAP, PAD = 112.0, 8.0, 48.0, 16.0
TITLE_SIZE, HEAD_SIZE, NAME_SIZE, VALUE_SIZE, NOTE_SIZE = 13.0, 13.0, 11.5, 10.0, 9.5


def _drawing(table: PublishedTable, dim: Dimension, measures: list[Measure], rules: DisclosureRules):
    """(width, height, boxes and texts) of the map: both pictures are drawn from it."""
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
    title = f"{dim.label_ko}별 기업 수·종사자 수 (도식 지도: 면적·위치는 실제와 다름)"
    heads_y = PAD + TITLE_SIZE + 22
    tiles_y = heads_y + HEAD_SIZE + 10
    items: list[Box | Text] = []
    x, rows = PAD, 1
    for name, members in groups:
        ncol = max(1, math.ceil(math.sqrt(len(members))))
        rows = max(rows, math.ceil(len(members) / ncol))
        items.append(Text(x, heads_y, name, HEAD_SIZE, bold=True))
        for i, label in enumerate(members):
            left, upper = x + (i % ncol) * (TILE + TILE_GAP), tiles_y + (i // ncol) * (TILE + TILE_GAP)
            firms = frame.at[label, firms_col]
            emp = frame.at[label, emp_col] if emp_col else None
            shown = is_number(firms)
            items.append(Box(left, upper, TILE, TILE, _shade(float(firms), top) if shown else HIDDEN))
            dark = shown and top and math.sqrt(float(firms) / top) > 0.55
            color = "#ffffff" if dark else "#222222"
            short = label.rsplit(" ", 1)[1] if split and " " in label and group_of(label) != "기타" else label
            lines = [f"기업 {firms:,}" if shown else f"기업 {firms}"]
            if emp_col:
                lines.append(f"종사자 {emp:,}" if is_number(emp) else f"종사자 {emp}")
            mid = left + TILE / 2
            items.append(Text(mid, upper + TILE * 0.32, short, NAME_SIZE, "middle", color=color))
            for k, line in enumerate(lines):
                items.append(Text(mid, upper + TILE * 0.62 + k * (VALUE_SIZE + 4), line, VALUE_SIZE, "middle", color=color))
        x += max(ncol * (TILE + TILE_GAP) - TILE_GAP, text_width(name, HEAD_SIZE)) + BLOCK_GAP
    width = max(x - BLOCK_GAP + PAD, text_width(title, TITLE_SIZE) + 2 * PAD)
    note_y = tiles_y + rows * (TILE + TILE_GAP) + 8
    items.insert(0, Text(width / 2, PAD + TITLE_SIZE / 2 + 2, title, TITLE_SIZE, "middle"))
    items.append(Text(PAD, note_y, f"회색 = 비공개({rules.symbol}). 색이 진할수록 기업이 많음.", NOTE_SIZE, color="#555555"))
    return width, note_y + NOTE_SIZE + PAD, items


def draw_cartogram(table: PublishedTable, dim: Dimension, measures: list[Measure], rules: DisclosureRules) -> tuple[str, bytes]:
    """(SVG text for the HTML, PNG bytes for the workbook), drawn by hand from one layout: the
    SVG's text is text in the page's embedded font, the PNG's is the same font through Pillow."""
    width, height, items = _drawing(table, dim, measures, rules)
    return svg(width, height, items), png(width, height, items)


def attach_map(table: PublishedTable, dim: Dimension, measures: list[Measure], rules: DisclosureRules) -> None:
    """Draws the map of a published 읍면동 table onto it (no chart panels: the map is the chart)."""
    table.picture_svg, table.picture_png = draw_cartogram(table, dim, measures, rules)
    table.chart_columns = []
    table.title_ko = f"{dim.label_ko}별 기업 분포 (도식 지도)"
    table.title_en = f"Firms and employees by {dim.label_en} (schematic map)"
    table.note_ko = ("경계 자료 없이 읍면동마다 같은 크기의 칸으로 그린 도식 지도입니다(시군구별 묶음). "
                     "비공개 기준을 통과하지 못한 지역은 회색(X)으로 표시하고 수치를 싣지 않습니다.")
