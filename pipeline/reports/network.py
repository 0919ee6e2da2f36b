"""The report's picture of the firm–cluster–customer network (pipeline/clusters/network.py),
aggregated: mini-clusters (left) sized by their member firms, the value chains of their members'
customers (right: 자동차, 전자 … the OEM chain a firm mainly supplies, supplier_tier.main_chain)
sized by member firms, and a line per cluster and chain as thick as the firms linking them.

Individual firms are never drawn: the full graph's firm and customer nodes would name or single
out firms, so the picture draws the published (disclosure-controlled) cluster × chain table
only. A hidden cell is a dashed grey line marked with the suppression mark, a hidden total a
grey circle; an empty cell no line. Drawn by hand like the map: SVG for the HTML, the same
layout rasterised with Pillow for the workbook."""

from __future__ import annotations

import math

from pipeline.disclosure.rules import DisclosureRules
from pipeline.disclosure.tabulate import TOTAL_LABEL
from pipeline.reports.cartogram import HIDDEN
from pipeline.reports.charts import text_width
from pipeline.reports.drawing import INK, Circle, Line, Text, png, svg
from pipeline.reports.tables import PublishedTable, is_number

CLUSTER_COLOR, CHAIN_COLOR, LINK_COLOR, MUTED = "#2f5d8a", "#d9822b", "#7f9fbf", "#555555"
PAD, ROW, SPAN = 16.0, 56.0, 320.0  # margin, height per node, horizontal distance between the two columns
R_MIN, R_MAX, W_MIN, W_MAX = 5.0, 18.0, 1.2, 7.0  # circle radius and line width ranges (px)
TITLE_SIZE, LABEL_SIZE, VALUE_SIZE, NOTE_SIZE = 13.0, 11.5, 10.0, 9.5


def _count(value: object) -> str:
    return f"{value:,}" if is_number(value) else str(value)


def _radius(value: object, top: float) -> float:
    return R_MIN + (R_MAX - R_MIN) * math.sqrt(float(value) / top) if is_number(value) and top else R_MIN


def _drawing(table: PublishedTable, title: str, rules: DisclosureRules, cluster_label: str, chain_label: str):
    frame = table.frame
    clusters = [str(i) for i in frame.index if str(i) != TOTAL_LABEL]
    chains = [str(c) for c in frame.columns if str(c) != TOTAL_LABEL]
    cluster_n = {c: frame.at[c, TOTAL_LABEL] for c in clusters}
    chain_n = {h: frame.at[TOTAL_LABEL, h] for h in chains}
    top = max([float(v) for v in [*cluster_n.values(), *chain_n.values()] if is_number(v)] or [0.0])
    cells = [frame.at[c, h] for c in clusters for h in chains]
    top_cell = max([float(v) for v in cells if is_number(v)] or [0.0])

    left_labels = [f"{c} ({_count(cluster_n[c])})" for c in clusters]
    right_labels = [f"{h} ({_count(chain_n[h])})" for h in chains]
    left_w = max(text_width(s, LABEL_SIZE) for s in left_labels)
    x_left = PAD + left_w + 8 + R_MAX
    x_right = x_left + SPAN
    body_top = PAD + TITLE_SIZE + 24
    rows = max(len(clusters), len(chains))
    height_body = rows * ROW

    def ys(n: int) -> list[float]:  # centred in the body
        start = body_top + (height_body - n * ROW) / 2 + ROW / 2
        return [start + i * ROW for i in range(n)]

    yc, yh = dict(zip(clusters, ys(len(clusters)), strict=True)), dict(zip(chains, ys(len(chains)), strict=True))
    rc = {c: _radius(cluster_n[c], top) for c in clusters}
    rh = {h: _radius(chain_n[h], top) for h in chains}
    lines: list[Line] = []
    marks: list[Text] = []
    for c in clusters:
        for j, h in enumerate(chains):
            v = frame.at[c, h]
            x1, y1, x2, y2 = x_left + rc[c], yc[c], x_right - rh[h], yh[h]
            if is_number(v) and v > 0:
                width = W_MIN + (W_MAX - W_MIN) * (float(v) / top_cell) if top_cell else W_MIN
                lines.append(Line(x1, y1, x2, y2, width, LINK_COLOR))
            elif v == rules.symbol:
                lines.append(Line(x1, y1, x2, y2, 1.2, HIDDEN, dashed=True))
            else:
                continue  # no firm: no line
            # each chain's labels in a column of their own along the lines: a cluster's labels never
            # share a column, and one chain's labels are at least ROW * 0.4 apart
            t = 0.2 + 0.4 * j / (len(chains) - 1) if len(chains) > 1 else 0.3
            marks.append(Text(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t, _count(v), VALUE_SIZE, "middle",
                               color=INK, halo=True))
    items: list = [Text(0, 0, "", 0)]  # the title's place, filled once the width is known
    items += lines
    for c, label in zip(clusters, left_labels, strict=True):
        items.append(Circle(x_left, yc[c], rc[c], CLUSTER_COLOR if is_number(cluster_n[c]) else HIDDEN))
        items.append(Text(x_left - rc[c] - 6, yc[c], label, LABEL_SIZE, "end"))
    for h, label in zip(chains, right_labels, strict=True):
        items.append(Circle(x_right, yh[h], rh[h], CHAIN_COLOR if is_number(chain_n[h]) else HIDDEN))
        items.append(Text(x_right + rh[h] + 6, yh[h], label, LABEL_SIZE))
    items += marks
    right_w = max(text_width(s, LABEL_SIZE) for s in right_labels)
    note_y = body_top + height_body + 10
    notes = [f"왼쪽: {cluster_label}(괄호: 회원 기업 수) · 오른쪽: 회원 기업의 {chain_label}(괄호: 기업 수)",
             f"선 굵기와 숫자: 해당 {cluster_label}·{chain_label}의 기업 수 · 점선({rules.symbol}): 비공개 · 회색 원: 비공개"]
    width = max(x_right + R_MAX + 6 + right_w + PAD, text_width(title, TITLE_SIZE) + 2 * PAD,
                *(text_width(n, NOTE_SIZE) + 2 * PAD for n in notes))
    items[0] = Text(width / 2, PAD + TITLE_SIZE / 2 + 2, title, TITLE_SIZE, "middle", bold=True)
    for k, n in enumerate(notes):
        items.append(Text(PAD, note_y + k * (NOTE_SIZE + 5), n, NOTE_SIZE, color=MUTED))
    return width, note_y + len(notes) * (NOTE_SIZE + 5) + PAD, items


def attach_network(table: PublishedTable, rules: DisclosureRules, cluster_label: str, chain_label: str) -> None:
    """Draws the published cluster × chain table onto it (SVG for the page, PNG for the workbook)
    with a caption saying what the picture shows."""
    title = f"{cluster_label}와 회원 기업의 {chain_label} (기업 수)"
    width, height, items = _drawing(table, title, rules, cluster_label, chain_label)
    table.picture_svg, table.picture_png = svg(width, height, items, title), png(width, height, items)
    table.picture_caption = (f"그림: {cluster_label}(왼쪽)와 회원 기업이 주로 납품하는 {chain_label}(오른쪽, 주 거래처가 속한 "
                             "OEM 사슬)를 잇는 연결망을 집계한 것. 원 크기는 기업 수, 선 굵기와 숫자는 해당 클러스터 회원 "
                             "중 그 가치사슬에 납품하는 기업 수. 개별 기업과 거래처는 그리지 않으며, 비공개 기준에 걸린 "
                             f"값은 점선·회색과 {rules.symbol}로 표시함.")
