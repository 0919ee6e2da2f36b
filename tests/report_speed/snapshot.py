"""What a reader of the yearly report sees, as plain JSON: every table's cells and marks, the
suppression counts, the section list, both editions' workbook cells and HTML text, and a
fingerprint of every chart and map. Used to prove that speeding the report up changed nothing."""

from __future__ import annotations

import hashlib
import re
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from pipeline.reports.tables import YearlyReport
from pipeline.reports.yearly import ReportFiles

SVG = re.compile(r"<svg.*?</svg>", re.S)
FONT = re.compile(r"base64,[A-Za-z0-9+/=]+")
TAG = re.compile(r"<[^>]+>")


def _today(text: str) -> str:
    return text.replace(date.today().isoformat(), "<today>")  # 작성일: the day the report is built


def _cell(value: object) -> object:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value if isinstance(value, int) or value != int(value) else int(value)
    return _today(str(value))


def _digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()[:16]


def report_tables(report: YearlyReport) -> dict:
    """The assembled internal edition: per table its cells (as published), marks and counts."""
    return {
        "sections": [t.key for t in report.tables],
        "summary": [[k, _cell(v)] for k, v in report.summary if k != "작성일"],
        "notes": report.notes,
        "tables": {t.key: {
            "title": [t.title_ko, t.title_en], "sheet": t.sheet,
            "index": [str(i) for i in t.frame.index], "columns": [str(c) for c in t.frame.columns],
            "cells": [[_cell(v) for v in row] for row in t.frame.itertuples(index=False)],
            "formats": t.number_formats, "n_primary": t.n_primary, "n_suppressed": t.n_suppressed, "n_cells": t.n_cells,
            "hidden_firms": t.hidden_firms, "total_firms": t.total_firms, "collapsed": t.collapsed,
            "chart_columns": t.chart_columns, "chart_kind": t.chart_kind, "chart_sort": t.chart_sort, "note": t.note_ko,
        } for t in report.tables},
    }


def workbook(path: Path) -> dict:
    wb = load_workbook(path)
    sheets = {ws.title: [[_cell(c.value) for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    with zipfile.ZipFile(path) as z:
        names = sorted(z.namelist())
        charts = [n for n in names if n.startswith("xl/charts/chart")]
        media = {n: _digest(z.read(n)) for n in names if n.startswith("xl/media/")}
    return {"sheets": list(sheets), "states": [ws.sheet_state for ws in wb.worksheets], "cells": sheets,
            "native_charts": len(charts), "media": media}


def html(path: Path) -> dict:
    text = _today(path.read_text(encoding="utf-8"))
    svgs = SVG.findall(text)
    fonts = FONT.findall(text)
    visible = TAG.sub(" ", SVG.sub(" [svg] ", FONT.sub("base64,[font]", text)))
    return {"svg": [_digest(s) for s in svgs], "fonts": [_digest(f) for f in fonts],
            "text": " ".join(visible.split())}


def report_files(files: ReportFiles) -> dict:
    return {
        "suppressed_cells": files.suppressed_cells, "primary_cells": files.primary_cells, "tables": files.tables,
        "hidden_firm_share": round(files.hidden_firm_share, 12), "skipped_sections": list(files.skipped_sections),
        "names": [p.name for p in (files.excel, files.html, files.public_excel, files.public_html) if p is not None],
        "internal_xlsx": workbook(files.excel), "public_xlsx": workbook(files.public_excel),
        "internal_html": html(files.html), "public_html": html(files.public_html),
    }
