"""The report workbook: one sheet per published table with frozen headers, filters, number
formats, column widths fitted to Korean text, the source line under the table and native Excel
charts beside it (the map as a picture); a summary with the survey metadata, the data-quality
annex (internal edition only) and the notes (일러두기). Every cell is in the configured Korean
font; every text cell goes through pipeline.cell_safety.neutralise."""

from __future__ import annotations

import io
import math
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from pipeline.cell_safety import neutralise
from pipeline.disclosure.tabulate import TOTAL_LABEL
from pipeline.reports.config import ReportConfig
from pipeline.reports.tables import QUALITY_TITLES, PublishedTable, YearlyReport, is_number

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="808080")
# Shared style objects: a cell copies a style when it is set, so one instance serves every cell
# (building a Font or Border per cell was a good part of writing a workbook).
BOLD = Font(bold=True)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right")
RULE_BELOW, RULE_ABOVE = Border(bottom=THIN), Border(top=THIN)
FIRST_DATA_ROW = 5  # rows 1-2 titles, 4 header
# The quality annex in Korean (the load log's own names are snake_case English).
QUALITY_HEADERS = {
    "loaded_at": "적재 시각", "source_file": "원본 파일", "layout": "레이아웃", "status": "상태", "rows_read": "원본 행",
    "rows_curated": "정제 행", "rows_quarantined": "격리 행", "blank_rows": "빈 행", "message": "메시지", "census_year": "조사연도",
    "rule": "규칙", "column": "항목", "severity": "심각도", "n_entries": "건수", "n_rows": "행 수",
}


def _width(value: object) -> int:
    text = f"{value:,.1f}" if isinstance(value, float) else (f"{value:,}" if isinstance(value, int) else str(value))
    return sum(2 if ord(ch) > 0x1100 else 1 for ch in text)


def _put(ws, row: int, col: int, value, marks: frozenset = frozenset()):
    """One cell: text neutralised (a firm or area name is never a formula), numbers as numbers.
    `marks`: the report's own suppression and empty marks ("X", "-"), written as they are."""
    if isinstance(value, str) and value in marks:
        return ws.cell(row=row, column=col, value=value)
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        value = None
    elif isinstance(value, pd.Timestamp):  # Excel has no time zones
        value = value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    elif hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    return ws.cell(row=row, column=col, value=neutralise(value))


def _write_frame(ws, frame: pd.DataFrame, top: int, index_label: str, formats: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None, auto_filter: bool = True, marks: frozenset = frozenset()) -> int:
    """Header at row `top`, data below; returns the last row written."""
    names = [index_label, *[(headers or {}).get(str(c), str(c)) for c in frame.columns]]
    for c, h in enumerate(names, start=1):
        cell = _put(ws, top, c, h)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = RULE_BELOW
    r = top
    for r, (label, row) in enumerate(frame.iterrows(), start=top + 1):
        _put(ws, r, 1, str(label))
        for c, (col, value) in enumerate(row.items(), start=2):
            cell = _put(ws, r, c, value, marks)
            if isinstance(cell.value, str) and cell.value in marks:  # the suppression and empty marks sit with the numbers
                cell.alignment = RIGHT
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif is_number(cell.value):
                cell.number_format = (formats or {}).get(str(col), "#,##0")
        if str(label) == TOTAL_LABEL:
            for c in range(1, len(names) + 1):
                ws.cell(row=r, column=c).font = BOLD
                ws.cell(row=r, column=c).border = RULE_ABOVE
    for c, h in enumerate(names, start=1):
        values = [str(x) for x in frame.index] if c == 1 else list(frame.iloc[:, c - 2])
        width = max([_width(h) // (2 if c > 1 and _width(h) > 14 else 1)] + [_width(v) for v in values]) + 3
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, min(width, 46))
    ws.row_dimensions[top].height = 30  # two lines of a wrapped header
    body_last = r - 1 if r > top and str(frame.index[-1]) == TOTAL_LABEL else r
    if auto_filter and body_last > top:  # the total row stays out of the filter and out of sorting
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(names))}{body_last}"
    return r


def _note(ws, row: int, text: str, n_cols: int, italic: bool = True) -> int:
    """A note under a table: merged across the table's columns and wrapped, with a row height
    that fits the text, so it neither runs under a chart nor overlaps the next line."""
    cell = _put(ws, row, 1, text)
    cell.font = Font(italic=italic, size=9)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    span = max(n_cols, 4)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    width = sum((ws.column_dimensions[get_column_letter(c)].width or 9) for c in range(1, span + 1))
    lines = max(1, math.ceil(_width(text) / max(width * 0.95, 10)))
    ws.row_dimensions[row].height = 13 * lines + 2
    return row + 1


CHART_DATA_SHEET = "차트자료"


def _chart_data(wb: Workbook, table: PublishedTable, column: str) -> tuple[Reference, Reference] | None:
    """The chart's categories and values on the hidden sheet 차트자료, largest first for a
    value-sorted chart; hidden cells are left out (a bar of 0 would read as "no firms")."""
    body = table.frame[np.array([str(i) != TOTAL_LABEL for i in table.frame.index], dtype=bool)][column]
    items = [(str(k), v) for k, v in body.items() if is_number(v)]
    if len(items) < 2:
        return None
    if table.chart_sort == "value":
        items.sort(key=lambda kv: -kv[1])
    ws = wb[CHART_DATA_SHEET] if CHART_DATA_SHEET in wb.sheetnames else wb.create_sheet(CHART_DATA_SHEET)
    ws.sheet_state = "hidden"
    col = ws.max_column + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
    _put(ws, 1, col, f"{table.sheet} {column}")
    _put(ws, 1, col + 1, column)
    for r, (label, value) in enumerate(items, start=2):
        _put(ws, r, col, label)
        _put(ws, r, col + 1, value).number_format = table.number_formats.get(column, "#,##0")  # the axis shows it
    last = len(items) + 1
    return (Reference(ws, min_col=col, min_row=2, max_row=last), Reference(ws, min_col=col + 1, min_row=1, max_row=last))


def _charts(wb: Workbook, ws, table: PublishedTable, top: int):
    """Native charts below the table and its notes, two side by side: a printed page keeps the
    table readable (charts beside a wide table would shrink it to fit the page width)."""
    charted, row = 0, top
    for column in (c for c in table.chart_columns if c in table.frame.columns):
        refs = _chart_data(wb, table, column)
        if refs is None:
            continue
        cats, data = refs
        chart = LineChart() if table.chart_kind == "line" else BarChart()
        if table.chart_kind != "line":
            chart.type = "bar"  # horizontal bars keep long Korean category names readable
            chart.x_axis.scaling.orientation = "maxMin"  # largest at the top
            chart.y_axis.crosses = "max"  # keeps the value axis at the bottom once categories are reversed
        chart.y_axis.scaling.min = 0  # bars and trends from zero do not exaggerate differences
        chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes in Excel otherwise
        chart.title = column
        chart.legend = None
        chart.plotVisOnly = False  # the data sits on a hidden sheet
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        n = cats.max_row - cats.min_row + 1
        # tall enough that every category name shows (Excel skips labels that do not fit)
        chart.height, chart.width = (max(7.5, 3.0 + 0.7 * n) if table.chart_kind != "line" else 7.5), 14
        ws.add_chart(chart, f"{'A' if charted % 2 == 0 else _column_at(ws, 14.6)}{row}")
        if charted % 2 == 1 or column == table.chart_columns[-1]:
            row += math.ceil(chart.height / 0.5) + 1  # a default row is 0.5 cm
        charted += 1


def _column_at(ws, cm: float) -> str:
    """The letter of the first column starting at least `cm` from the left edge (a chart's
    anchor beside another chart)."""
    x, c = 0.0, 1
    while x < cm and c < 60:
        x += (ws.column_dimensions[get_column_letter(c)].width or 8.43) * 0.19  # one character ~ 1.9 mm
        c += 1
    return get_column_letter(c)


def _print_setup(ws, one_page: bool = True):
    """Landscape A4; a table sheet prints on one page (table, notes and charts together), a
    long list (the quality annex) one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, (1 if one_page else 0)
    ws.page_margins.left = ws.page_margins.right = 0.4


def _table_sheet(wb: Workbook, table: PublishedTable, report: YearlyReport):
    ws = wb.create_sheet(table.sheet[:31])  # Excel limits sheet names to 31 characters
    _print_setup(ws)
    _put(ws, 1, 1, table.title_ko).font = Font(bold=True, size=14)
    _put(ws, 2, 1, table.title_en).font = Font(size=10, color="666666")
    last = _write_frame(ws, table.frame, FIRST_DATA_ROW - 1, "구분", table.number_formats, marks=frozenset(report.marks))
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2)
    n_cols = len(table.frame.columns) + 1
    row = last + 1
    for text in [report.source_ko, table.note_ko, table.picture_caption, report.notes[0] if report.notes else None]:
        if text:
            row = _note(ws, row, text, n_cols)
    if table.picture_png:
        img = Image(_KeptOpen(table.picture_png))
        scale = min(1.0, 960 / img.width)  # about the width of a landscape A4 page
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        ws.add_image(img, f"A{row + 1}")
    _charts(wb, ws, table, row + 1)


def _apply_font(wb: Workbook, name: str):
    """Every written cell in the report font, keeping its size, weight and colour."""
    fonts: dict[tuple, Font] = {}  # one Font per look: a report has a handful for thousands of cells
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None or cell.has_style:
                    f = cell.font
                    look = (f.size, f.bold, f.italic, f.color)
                    if look not in fonts:
                        # charset 129 (Hangul) lets a viewer without the font pick a Korean substitute
                        fonts[look] = Font(name=name, size=f.size, bold=f.bold, italic=f.italic, color=f.color, charset=129)
                    cell.font = fonts[look]


QUALITY_SHEET = "데이터 품질"


class _KeptOpen(io.BytesIO):
    """The map's PNG for openpyxl, which closes a picture's file when it saves the workbook:
    kept readable, so one workbook can be saved once per edition."""

    def close(self):
        self.seek(0)


def write_workbook(report: YearlyReport, path: Path, config: ReportConfig | None = None) -> Path:
    return _save(_build(report, config), path)


def write_editions(report: YearlyReport, path: Path, public_path: Path, config: ReportConfig | None = None) -> tuple[Path, Path]:
    """The internal workbook and the publication one (공표용) from one build: the publication
    edition is the same workbook without the data-quality annex, removed before its save (a
    workbook's strings are gathered from its sheets when it is saved, so none of the annex's
    text is left in the file)."""
    wb = _build(report, config)
    _save(wb, path)
    if QUALITY_SHEET in wb.sheetnames:
        wb.remove(wb[QUALITY_SHEET])
    return path, _save(wb, public_path)


def _save(wb: Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return path


def _build(report: YearlyReport, config: ReportConfig | None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "요약"
    _print_setup(ws)
    _put(ws, 1, 1, report.title_ko).font = Font(bold=True, size=16)
    _put(ws, 2, 1, report.title_en).font = Font(size=10, color="666666")
    summary = pd.DataFrame({"값": [v for _, v in report.summary]}, index=[k for k, _ in report.summary])
    last = _write_frame(ws, summary, 4, "항목", {"값": "#,##0.#"} , auto_filter=False)
    for r in range(5, last + 1):
        ws.cell(row=r, column=2).alignment = Alignment(horizontal="right")
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width, 22)
    ws.freeze_panes = "A5"
    row = _note(ws, last + 1, report.source_ko, 2)
    contents = [(t.sheet[:31], t.title_ko) for t in report.tables]
    _put(ws, row + 1, 1, "목차 / Contents").font = Font(bold=True)
    for i, (sheet, title) in enumerate(contents, start=row + 2):
        _put(ws, i, 1, sheet)
        _put(ws, i, 2, title)
    for table in report.tables:
        _table_sheet(wb, table, report)
    if report.internal and report.quality:
        _quality_sheet(wb, report)
    ns = wb.create_sheet("일러두기")
    _print_setup(ns)
    _put(ns, 1, 1, "일러두기 / Notes").font = Font(bold=True, size=14)
    ns.column_dimensions["A"].width = 110
    row = 3
    for text in [report.source_ko, report.source_en, *report.notes]:
        row = _note(ns, row, text, 1, italic=False)
    if CHART_DATA_SHEET in wb.sheetnames:  # last, out of the reader's way
        wb.move_sheet(CHART_DATA_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(CHART_DATA_SHEET))
    _apply_font(wb, config.excel_font if config else "맑은 고딕")
    return wb


def _quality_sheet(wb: Workbook, report: YearlyReport):
    qs = wb.create_sheet(QUALITY_SHEET)
    _print_setup(qs, one_page=False)
    _put(qs, 1, 1, "데이터 품질 요약 (적재 결과, 내부용)").font = Font(bold=True, size=14)
    _put(qs, 2, 1, "Data quality of the load: load log, quarantined rows and warnings by rule (counts only; internal)")
    row = 4
    for key, frame in report.quality.items():
        _put(qs, row, 1, QUALITY_TITLES.get(key, key)).font = Font(bold=True)
        if frame.empty:
            _put(qs, row + 1, 1, "해당 없음 / none")
            row += 3
            continue
        body = frame.reset_index(drop=True)
        body.index = body.index + 1
        formats = {c: ("0.0" if "(%)" in str(c) else "#,##0") for c in body.columns}
        row = _write_frame(qs, body, row + 1, "#", formats, QUALITY_HEADERS, auto_filter=False) + 2
    qs.freeze_panes = "A4"
