"""The report workbook: one sheet per published table with frozen headers, number formats,
column widths fitted to Korean text, and a native Excel chart; a summary, a data-quality sheet
and the notes (일러두기) with the suppression mark explained."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from pipeline.reports.tables import QUALITY_TITLES, PublishedTable, YearlyReport

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
THIN = Side(style="thin", color="808080")
FIRST_DATA_ROW = 5  # rows 1-2 titles, 4 header


def _width(value: object) -> int:
    text = f"{value:,.0f}" if isinstance(value, float) else str(value)
    return sum(2 if ord(ch) > 0x1100 else 1 for ch in text)


def _write_frame(ws, frame: pd.DataFrame, top: int, index_label: str, formats: dict[str, str] | None = None) -> int:
    """Header at row `top`, data below; returns the last row written."""
    headers = [index_label, *map(str, frame.columns)]
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=top, column=c, value=h)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=THIN)
    r = top
    for r, (label, row) in enumerate(frame.iterrows(), start=top + 1):
        ws.cell(row=r, column=1, value=str(label))
        for c, (col, value) in enumerate(row.items(), start=2):
            value = None if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else value
            if isinstance(value, pd.Timestamp):  # Excel has no time zones
                value = value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
            cell = ws.cell(row=r, column=c, value=value.item() if hasattr(value, "item") else value)
            if isinstance(value, str) and len(value) == 1:  # the suppression and empty marks sit with the numbers
                cell.alignment = Alignment(horizontal="right")
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, (int, float)) and formats and str(col) in formats:
                cell.number_format = formats[str(col)]
        if str(label) == "계":
            for c in range(1, len(headers) + 1):
                ws.cell(row=r, column=c).font = BOLD
                ws.cell(row=r, column=c).border = Border(top=THIN)
    for c, h in enumerate(headers, start=1):
        values = [h] + ([str(x) for x in frame.index] if c == 1 else list(frame.iloc[:, c - 2]))
        width = max(_width(v) for v in values) + 2
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, min(width, 40))
    return r


def _chart(ws, table: PublishedTable, last_row: int):
    if not table.chart_column or table.chart_column not in table.frame.columns:
        return
    col = list(table.frame.columns).index(table.chart_column) + 2
    body_last = last_row - 1 if str(table.frame.index[-1]) == "계" else last_row
    if body_last < FIRST_DATA_ROW:
        return
    chart = LineChart() if table.chart_kind == "line" else BarChart()
    if table.chart_kind != "line":
        chart.type = "bar"  # horizontal bars keep long Korean category names readable
        chart.x_axis.scaling.orientation = "maxMin"  # categories top-down in table order
        chart.y_axis.crosses = "max"  # keeps the value axis at the bottom once categories are reversed
    chart.y_axis.scaling.min = 0  # bars and trends from zero do not exaggerate differences
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes in Excel otherwise
    chart.title = table.chart_column
    chart.legend = None
    data = Reference(ws, min_col=col, min_row=FIRST_DATA_ROW - 1, max_row=body_last)
    cats = Reference(ws, min_col=1, min_row=FIRST_DATA_ROW, max_row=body_last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height, chart.width = 7.5 + 0.4 * (body_last - FIRST_DATA_ROW), 16
    ws.add_chart(chart, f"{get_column_letter(len(table.frame.columns) + 3)}{FIRST_DATA_ROW - 1}")


def _print_setup(ws):
    """Landscape, one page wide, so a printed or PDF sheet keeps its table and chart together."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _table_sheet(wb: Workbook, table: PublishedTable, note: str):
    ws = wb.create_sheet(table.sheet[:31])  # Excel limits sheet names to 31 characters
    _print_setup(ws)
    ws["A1"], ws["A1"].font = table.title_ko, TITLE_FONT
    ws["A2"] = table.title_en
    last = _write_frame(ws, table.frame, FIRST_DATA_ROW - 1, "구분", table.number_formats)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2)
    notes = [n for n in (table.note_ko, note) if n]
    for i, text in enumerate(notes):
        ws.cell(row=last + 2 + i, column=1, value=text).font = Font(italic=True, size=9)
    _chart(ws, table, last)


def write_workbook(report: YearlyReport, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "요약"
    _print_setup(ws)
    ws["A1"], ws["A1"].font = report.title_ko, Font(bold=True, size=16)
    ws["A2"] = report.title_en
    summary = pd.DataFrame({"값": [v for _, v in report.summary]}, index=[k for k, _ in report.summary])
    last = _write_frame(ws, summary, 4, "항목", {"값": "#,##0"})
    ws.freeze_panes = "A5"
    for i, text in enumerate(report.notes):
        ws.cell(row=last + 2 + i, column=1, value=text).font = Font(italic=True, size=9)
    for table in report.tables:
        _table_sheet(wb, table, report.notes[0])
    qs = wb.create_sheet("데이터 품질")
    _print_setup(qs)
    qs["A1"], qs["A1"].font = "데이터 품질 요약 (적재 결과)", TITLE_FONT
    qs["A2"] = "Data quality of the load: load log, quarantined rows and warnings by rule (counts only)"
    row = 4
    for key, frame in report.quality.items():
        qs.cell(row=row, column=1, value=QUALITY_TITLES.get(key, key)).font = BOLD
        if frame.empty:
            qs.cell(row=row + 1, column=1, value="해당 없음 / none")
            row += 3
            continue
        body = frame.reset_index(drop=True)
        body.index = body.index + 1
        row = _write_frame(qs, body, row + 1, "#", {c: "#,##0" for c in body.columns}) + 2
    qs.freeze_panes = "A4"
    ns = wb.create_sheet("일러두기")
    _print_setup(ns)
    ns["A1"], ns["A1"].font = "일러두기 / Notes", TITLE_FONT
    for i, text in enumerate(report.notes, start=3):
        ns.cell(row=i, column=1, value=text).alignment = Alignment(wrap_text=True, vertical="top")
    ns.column_dimensions["A"].width = 100
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return path
