"""`census validate FILE`: what the loader would make of a file, without writing anything."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipeline.load import stage_year_file
from pipeline.read import DeliveryError
from pipeline.settings import load_settings


def validate_file(path: Path, year: int | None, console: Console, err: Console) -> int:
    settings = load_settings()
    year = year or settings.year_of_file(path)
    if year is None:
        err.print(f"[red]{path.name}: 파일 이름에 연도가 없습니다. --year 로 알려 주세요 / the file name has no year; pass --year[/red]")
        return 2
    try:
        staged = stage_year_file(path, year, settings)
    except DeliveryError as e:
        err.print(f"[red]✗ {e}[/red]")
        return 1
    report = validation_report(staged, settings)
    console.print(f"[bold]{path.name}[/bold]  {year}년  format={staged.format}  sheet={staged.source_sheet}  layout={staged.layout}")
    console.print(f"읽은 행 rows read {staged.raw_rows}  (빈 행 blank {staged.blank_rows})")
    if staged.ignored_headers:
        console.print(f"양식에 없는 열 (무시) / columns not in the layout (ignored): {', '.join(staged.ignored_headers)}")
    console.print(report)
    return 0


def validation_report(staged, settings):
    """The table of problems found; the validation stage extends this with its rules."""
    table = Table(title="격리 / quarantined rows", show_lines=False)
    for col in ("row", "column", "rule", "value", "message"):
        table.add_column(col)
    for r in staged.quarantine.sort_values("source_row").itertuples():
        table.add_row(str(r.source_row), r.column, r.rule, str(r.raw_value or ""), r.message_ko)
    return table
