"""Assemble the yearly report from the internal database and write it to
data/curated/reports/<year>/."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.disclosure.rules import DisclosureRules, load_rules
from pipeline.disclosure.tabulate import TOTAL_LABEL
from pipeline.reports.config import load_report_config
from pipeline.reports.data import quality_summary, report_frame
from pipeline.reports.excel import write_workbook
from pipeline.reports.html import write_html
from pipeline.reports.tables import (
    YearlyReport,
    births_closures_table,
    dimension_table,
    linked_tables,
    trend_table,
)
from pipeline.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportFiles:
    year: int
    excel: Path
    html: Path
    suppressed_cells: int
    primary_cells: int
    tables: int


def assemble_report(con: duckdb.DuckDBPyConnection, year: int, config: dict, rules: DisclosureRules, agency: str,
                    columns: Path) -> YearlyReport:
    first = year - int(config.get("trend_years", 5)) + 1
    frame = report_frame(con, year, first, columns)
    this_year = frame[frame["census_year"] == year]
    if this_year.empty:
        raise ValueError(f"{year}년 자료가 없습니다 / no firm_year rows for census year {year}")
    earlier = sorted(int(y) for y in frame["census_year"].unique() if y < year)
    prev = earlier[-1] if earlier else None
    dims = {d["key"]: d for d in config["dimensions"] if d["column"] in frame.columns}
    if not dims:
        wanted = ", ".join(d["column"] for d in config["dimensions"])
        raise ValueError(f"firm_year에 보고서 분류 열이 없습니다 (분류 단계 확인) / firm_year has none of the report's "
                         f"breakdown columns ({wanted}): has the classification stage run?")
    measures = config["measures"]
    cross = config.get("cross")
    linked = {}
    if cross and cross["rows"] in dims and cross["cols"] in dims:
        t_rows, t_cols, t_cross = linked_tables(this_year, dims[cross["rows"]], dims[cross["cols"]], measures, rules, cross["sheet"])
        linked = {cross["rows"]: t_rows, cross["cols"]: t_cols}
    tables = [linked.get(key) or dimension_table(this_year, d, measures, rules) for key, d in dims.items()]
    if linked:
        tables.append(t_cross)
    tables.append(trend_table(frame, measures, rules, rules.symbol))
    first_dim = next(iter(dims.values()))
    tables.append(births_closures_table(this_year, frame[frame["census_year"] == prev], first_dim, rules, year, prev))
    totals = tables[0].frame.loc[TOTAL_LABEL]
    births = tables[-1].frame.loc[TOTAL_LABEL]
    summary = [("조사연도", str(year)), ("조사기관", agency)]
    summary += [(m["label_ko"], totals[m["label_ko"]]) for m in measures]
    summary += [(label, value) for label, value in births.items()]
    summary += [("비공개(X) 셀 수", sum(t.n_suppressed for t in tables))]
    return YearlyReport(
        year=year, title_ko=config["title_ko"].format(year=year), title_en=config["title_en"].format(year=year),
        summary=summary, tables=tables, quality=quality_summary(con, year, config.get("load_log_columns")),
        notes=[rules.note_ko, rules.note_en, "금액 단위: 백만원. '-': 해당 기업 없음. 합계는 비공개 셀을 포함한 전체 값입니다."],
    )


def build_yearly_report(settings: Settings, year: int, out_dir: Path | None = None) -> ReportFiles:
    """Write 연도별 기업실태조사 결과 for `year` as Excel and HTML; returns the paths and the
    suppression counts (for asset metadata)."""
    config = load_report_config(settings)
    rules = load_rules(settings)
    agency = settings.agency.name_ko
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        report = assemble_report(con, year, config, rules, agency, settings.columns_path)
    out_dir = out_dir or settings.reports_dir / str(year)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{year}_기업실태조사_결과"
    excel = write_workbook(report, out_dir / f"{stem}.xlsx")
    html = write_html(report, out_dir / f"{stem}.html")
    log.info("report %s: %d tables, %d cells suppressed", year, len(report.tables), report.suppressed_cells)
    return ReportFiles(year, excel, html, report.suppressed_cells, report.primary_cells, len(report.tables))
