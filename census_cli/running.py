"""`census run`: the yearly loads through the same Dagster definitions as the UI, so every run
is in the Dagster run history."""

from __future__ import annotations

import warnings

from rich.console import Console

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def failure_message(result) -> str:
    for event in result.all_events:
        if event.is_step_failure:
            data = event.event_specific_data
            if getattr(data, "user_failure_data", None) and data.user_failure_data.description:
                return data.user_failure_data.description
            return data.error.message.strip().splitlines()[0] if data.error else "unknown failure"
    return "unknown failure"


def run_years(years: list[int], console: Console, err: Console) -> bool:
    warnings.filterwarnings("ignore")
    import dagster as dg

    from assets.definitions import defs
    from assets.jobs import CENSUS_LOAD_JOB, CENSUS_REFRESH_JOB
    from assets.partitions import census_year_partitions
    from pipeline.settings import load_settings

    settings = load_settings()
    try:
        files = settings.raw_files()
    except ValueError as e:
        err.print(f"[red]{e}[/red]")
        return False
    years = sorted(years or files)
    if not years:
        err.print(f"[red]{settings.raw_dir}에 적재할 파일이 없습니다 / no census files in {settings.raw_dir}[/red]")
        return False
    instance = dg.DagsterInstance.get()
    known = set(instance.get_dynamic_partitions(census_year_partitions.name))
    instance.add_dynamic_partitions(census_year_partitions.name, [str(y) for y in years if str(y) not in known])
    job = defs.resolve_job_def(CENSUS_LOAD_JOB)
    all_ok = True
    for year in years:
        name = files[year].name if year in files else "?"
        with console.status(f"{year} 적재 중 / loading {name} ..."):
            result = job.execute_in_process(partition_key=str(year), instance=instance, raise_on_error=False, run_config=QUIET)
        if result.success:
            console.print(f"[green]✓[/green] {year}: {name}  (run {result.run_id[:8]})")
            for line in summary_lines(result):
                console.print(f"    {line}")
        else:
            all_ok = False
            err.print(f"[red]✗ {year}: {failure_message(result)}[/red]  (run {result.run_id[:8]})")
    if defs.has_job(CENSUS_REFRESH_JOB) if hasattr(defs, "has_job") else True:
        try:
            refresh = defs.resolve_job_def(CENSUS_REFRESH_JOB)
        except Exception:
            refresh = None
        if refresh is not None:
            with console.status("연도 통합 테이블·보고서 갱신 중 / refreshing all-years tables and reports ..."):
                result = refresh.execute_in_process(instance=instance, raise_on_error=False, run_config=QUIET)
            if result.success:
                console.print(f"[green]✓[/green] 통합 갱신 / refresh  (run {result.run_id[:8]})")
            else:
                all_ok = False
                err.print(f"[red]✗ 통합 갱신 실패 / refresh failed: {failure_message(result)}[/red]")
    console.print(f"DuckDB: {settings.duckdb_path}")
    return all_ok


def summary_lines(result) -> list[str]:
    lines = []
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        md = {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
        if mat.asset_key.to_user_string() == "firm_year":
            if md.get("status") == "unchanged":
                lines.append("변경 없음: 다시 쓰지 않았습니다 / unchanged file: nothing rewritten")
            else:
                lines.append(f"읽은 행 {md.get('rows_read')} = 적재 {md.get('rows_curated')} + 격리 {md.get('rows_quarantined')}  (layout {md.get('layout')})")
    return lines
