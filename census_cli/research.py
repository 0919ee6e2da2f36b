"""Research database, yearly reports and the data dictionary from the command line.
Registered in census_cli/main.py; every command exits non-zero with a Korean and English
message on failure."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()
err = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    # Messages carry file names and SQL text: "[/x]" or "[red]" in them is text, not markup.
    err.print(message, style="red", markup=False)
    return typer.Exit(1)


def cell_text(value) -> str:
    """A result value as the table shows it: missing as empty, lists (DuckDB LIST, numpy
    arrays), structs and maps as their text, and markup characters ("[/x]", "[red]") shown as
    they are."""
    import numpy as np  # loaded already with the result frame; not at CLI start-up

    if isinstance(value, np.ndarray):
        value = value.tolist()
    if value is None or _missing(value):
        return ""
    return escape(str(value))


def _missing(value) -> bool:
    if isinstance(value, (list, tuple, dict, set, str)):
        return False
    try:
        return bool(value != value)  # NaN and NaT differ from themselves
    except (TypeError, ValueError):  # pd.NA: its comparison is NA, which has no truth value
        return str(value) == "<NA>"


def _print_frame(frame, limit: int) -> None:
    table = Table(show_lines=False)
    for c in frame.columns:
        table.add_column(escape(str(c)), justify="right" if frame[c].dtype.kind in "iuf" else "left")
    for row in frame.head(limit).itertuples(index=False):
        table.add_row(*[cell_text(v) for v in row])
    console.print(table)
    if len(frame) > limit:
        console.print(f"… {len(frame):,}행 중 {limit:,}행 표시 / showing {limit:,} of {len(frame):,} rows (--out FILE for all)")


def query(
    sql: Annotated[str, typer.Argument(help="SQL (연구용 DB, 읽기 전용) / SQL on the research database (read-only)")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="결과 파일 .csv/.parquet/.xlsx / write the result to this file")] = None,
    limit: Annotated[int, typer.Option(help="화면에 보일 최대 행 수 / rows shown on screen")] = 50,
) -> None:
    """연구용 DB에 SQL을 실행합니다 / run SQL on the de-identified research database."""
    import duckdb

    from pipeline.research.access import connect_research, export_frame, run_query
    from pipeline.settings import load_settings

    try:
        with connect_research(load_settings()) as con:
            frame = run_query(con, sql)
    except (FileNotFoundError, duckdb.Error) as e:
        raise _fail(str(e)) from None
    if out:
        try:
            export_frame(frame, out)
        except ValueError as e:
            raise _fail(str(e)) from None
        console.print(f"{len(frame):,}행 저장 / rows written: {out}", markup=False)
    else:
        _print_frame(frame, limit)


def shell() -> None:
    """연구용 DB 대화형 SQL (읽기 전용; .tables, .schema 표, .quit) / interactive read-only SQL."""
    import duckdb

    from pipeline.research.access import connect_research
    from pipeline.settings import load_settings

    try:
        con = connect_research(load_settings())
    except FileNotFoundError as e:
        raise _fail(str(e)) from None
    console.print("연구용 DB (읽기 전용). SQL은 ;로 끝냅니다. .tables .schema <표> .quit")
    buffer = ""
    with con:
        while True:
            try:
                line = input("research> " if not buffer else "      ...> ")
            except (EOFError, KeyboardInterrupt):
                console.print()
                return
            stripped = line.strip()
            if not buffer and stripped in (".quit", ".exit"):
                return
            if not buffer and stripped.startswith((".tables", ".schema")):
                _meta(con, stripped)
                continue
            buffer += stripped + "\n"
            if not buffer.rstrip().endswith(";"):
                continue
            sql, buffer = buffer, ""
            try:
                _print_frame(con.execute(sql).df(), 200)
            except duckdb.Error as e:
                err.print(str(e), style="red", markup=False)


def _meta(con, command: str) -> None:
    """.tables: relations with their descriptions; .schema NAME: its columns."""
    if command == ".tables":
        sql, params = ("SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() UNION ALL "
                       "SELECT view_name, 'view', comment FROM duckdb_views() WHERE NOT internal ORDER BY 1"), []
    else:
        sql = "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index"
        params = [command.split(maxsplit=1)[1].strip() if " " in command else ""]
    _print_frame(con.execute(sql, params).df(), 500)


def report(
    year: Annotated[int, typer.Option("--year", "-y", help="조사연도 / census year")],
    out: Annotated[Path | None, typer.Option(help="출력 폴더 (기본 data/curated/reports/<연도>) / output folder")] = None,
) -> None:
    """연도별 기업실태조사 결과 (Excel, HTML)를 만듭니다 / write the yearly report."""
    from pipeline.reports.yearly import build_yearly_report
    from pipeline.settings import load_settings

    try:
        files = build_yearly_report(load_settings(), year, out)
    except (ValueError, FileNotFoundError) as e:
        raise _fail(str(e)) from None
    console.print(f"내부용 / internal:  Excel {files.excel}\n                   HTML  {files.html}\n"
                  f"공표용 / public:    Excel {files.public_excel}\n                   HTML  {files.public_html}\n"
                  f"비공개(X) 셀 / suppressed cells: {files.suppressed_cells}", markup=False)


def research_build() -> None:
    """연구용(가명처리) DB를 만듭니다 / build data/curated/research.duckdb."""
    from pipeline.research.build import build_research_database
    from pipeline.research.pseudonym import MissingKeyError
    from pipeline.settings import load_settings

    try:
        result = build_research_database(load_settings())
    except (MissingKeyError, FileNotFoundError) as e:
        raise _fail(str(e)) from None
    console.print(f"{result.path}: " + ", ".join(f"{t} {n:,}" for t, n in result.tables.items()), markup=False)


def research_key() -> None:
    """가명처리 키 파일을 만듭니다 (이미 있으면 그대로) / create the pseudonym key file if missing."""
    from pipeline.research.pseudonym import create_key_file
    from pipeline.settings import load_settings

    console.print(f"가명처리 키 / pseudonym key: {create_key_file(load_settings())}", markup=False)


def docs(
    out: Annotated[Path | None, typer.Option(help="출력 파일 / output (default docs/data_dictionary.md)")] = None,
) -> None:
    """DB의 데이터 사전을 만듭니다 (읽기 전용) / write the data dictionary of the curated database (read-only)."""
    from pipeline.catalogue import data_dictionary
    from pipeline.catalogue.comments import undescribed
    from pipeline.settings import PACKAGE_ROOT, load_settings
    from pipeline.storage import connect_readonly
    from pipeline.tables.registry import table_registry

    settings = load_settings()
    if not settings.duckdb_path.is_file():
        raise _fail(f"DB가 없습니다 / no database at {settings.duckdb_path}: run `census run` first")
    registry = table_registry(settings)
    # Read-only: a running load may hold the writer lock.
    with connect_readonly(settings) as con:
        text = data_dictionary(con, registry)
        missing = undescribed(con, registry)
    target = out or PACKAGE_ROOT / "docs" / "data_dictionary.md"
    target.write_text(text, encoding="utf-8")
    console.print(f"{target}", markup=False)
    for table, column in missing:
        err.print(f"설명 없음 / undescribed: {table}.{column}", style="yellow", markup=False)
