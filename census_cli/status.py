"""`census status`: what is loaded, what is due, and whether the databases are in step with the
Parquet files. Read-only: it takes no lock and writes nothing, so it can run beside a load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.freshness import year_states
from pipeline.load import last_good_load
from pipeline.settings import Settings, load_settings
from pipeline.storage.parquet import unfinished_journals
from pipeline.storage.query_database import built_at, built_state, parquet_state

REASONS = {"new": "새 파일 / new file", "changed_file": "파일 변경 / file changed",
           "changed_config": "설정 변경 / config changed", "unchanged": "최신 / up to date"}


@dataclass(frozen=True)
class DatabaseStatus:
    name: str
    path: Path
    exists: bool
    in_step: bool
    built_at: object


def database_status(settings: Settings) -> list[DatabaseStatus]:
    """census.duckdb and research.duckdb against the Parquet files as they are now. An
    unfinished journal (a writer that died after deciding a change) also counts as behind:
    the next writer rolls it forward, and the databases must be rebuilt after it."""
    from pipeline.research.build import research_path

    current = parquet_state(settings)
    pending = bool(unfinished_journals(settings))
    out = []
    for path in (settings.duckdb_path, research_path(settings)):
        out.append(DatabaseStatus(path.name, path, path.is_file(), not pending and built_state(path) == current, built_at(path)))
    return out


def status_command() -> None:
    """적재한 연도, 다시 적재할 연도, DB가 Parquet와 맞는지 보여줍니다 / loaded years, due years, databases in step."""
    console, err = Console(), Console(stderr=True)
    settings = load_settings()
    try:
        files = settings.raw_files()
    except ValueError as e:
        err.print(escape(str(e)), style="red")
        raise typer.Exit(1) from None
    states = {s.year: s for s in year_states(settings)}
    years = sorted(set(files) | set(_logged_years(settings)))
    table = Table(title="연도별 적재 상태 / census years", title_justify="left")
    for header in ("연도 / year", "파일 / file", "sha256", "마지막 적재 / last good load", "읽음 / read", "적재 / curated",
                   "격리 / quarantined", "경고 / flagged", "상태 / state"):
        table.add_column(header, overflow="fold")
    for year in years:
        last = last_good_load(settings, year)
        state = states.get(year)
        file = escape(files[year].name) if year in files else "[red]없음 / missing[/red]"
        due = ("[yellow]적재 필요 / due: " + REASONS[state.reason] + "[/yellow]") if state and state.due \
            else ("[green]" + REASONS["unchanged"] + "[/green]") if state else "[red]파일 없음 / no file[/red]"
        counts = [_count(last, c) for c in ("rows_read", "rows_curated", "rows_quarantined", "rows_flagged")]
        table.add_row(str(year), file, (state.sha256[:12] if state else ""),
                      str(last["loaded_at"])[:19] if last else "-", *counts, due)
    if years:
        console.print(table)
    else:
        console.print(f"적재할 파일도 적재한 연도도 없습니다 / no census files in {escape(str(settings.raw_dir))} and nothing loaded")
    pending = unfinished_journals(settings)
    if pending:
        console.print(f"[yellow]미완료 쓰기 {len(pending)}건: 다음 `census run`이 마무리합니다 / {len(pending)} unfinished "
                      "write(s): the next `census run` rolls them forward[/yellow]")
    behind = False
    for db in database_status(settings):
        if not db.exists:
            line, behind = "[yellow]없음 / missing[/yellow]", True
        elif db.in_step:
            line = f"[green]Parquet와 일치 / in step with the Parquet files[/green] (built {str(db.built_at)[:19]})"
        else:
            line, behind = "[red]Parquet보다 뒤처짐 / behind the Parquet files[/red]", True
        console.print(f"{db.name}: {line}  {escape(str(db.path))}")
    if behind:
        console.print("`census run` 이 DB를 다시 만듭니다 / `census run` rebuilds the databases")


def _show_version(value: bool) -> None:
    if value:
        from pipeline import __version__

        Console().print(f"census {__version__}", markup=False)
        raise typer.Exit(0)


def version_option(version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                         help="버전을 보여줍니다 / show the version")] = False) -> None:
    """시흥 기업실태조사 파이프라인 / firm-census pipeline"""


def _logged_years(settings: Settings) -> list[int]:
    from pipeline.storage import table_years

    return table_years(settings, "load_log")


def _count(last: dict | None, column: str) -> str:
    value = last.get(column) if last else None
    return "-" if value is None or pd.isna(value) else f"{int(value):,}"
