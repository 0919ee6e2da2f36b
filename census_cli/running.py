"""`census run`: the yearly loads through the same Dagster definitions as the UI, so every run
is in the Dagster run history."""

from __future__ import annotations

import warnings

from rich.console import Console

# The CLI prints its own short messages; Dagster's event log (with details) stays in the run history.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
UNCHANGED = "변경 없음: 다시 쓰지 않았습니다 / unchanged file: nothing rewritten"


def failure_message(result) -> str:
    for event in result.all_events:
        if event.is_step_failure:
            data = event.event_specific_data
            if getattr(data, "user_failure_data", None) and data.user_failure_data.description:
                return data.user_failure_data.description
            error = data.error
            while error is not None and error.cause is not None:  # the user code's own exception
                error = error.cause
            return f"{error.cls_name}: {error.message.strip().splitlines()[0]}" if error else "unknown failure"
    return "unknown failure"


def run_years(years: list[int], console: Console, err: Console) -> bool:
    warnings.filterwarnings("ignore")
    import dagster as dg

    from assets.definitions import defs
    from assets.jobs import CENSUS_LOAD_JOB, CENSUS_REFRESH_JOB
    from assets.outputs import REPORTS_JOB
    from assets.partitions import census_year_partitions
    from pipeline.load import is_unchanged
    from pipeline.read.delivery import file_sha256
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
    steps = [(CENSUS_LOAD_JOB, str(y), f"{y}: {files[y].name if y in files else '?'}") for y in years]
    steps.append((CENSUS_REFRESH_JOB, None, "연도 통합 테이블 / all-years tables"))
    steps += [(REPORTS_JOB, str(y), f"보고서 / report {y}") for y in years]
    all_ok = True
    for job_name, key, label in steps:
        if job_name == CENSUS_LOAD_JOB and int(key) in files and is_unchanged(settings, int(key), file_sha256(files[int(key)])):
            # Same file, same config, same suites as the last good load: reading a large
            # workbook again would only confirm that (the asset itself checks this too).
            console.print(f"[green]✓[/green] {label}")
            console.print(f"    {UNCHANGED}")
            continue
        with console.status(f"{label} ..."):
            result = defs.resolve_job_def(job_name).execute_in_process(partition_key=key, instance=instance, raise_on_error=False, run_config=QUIET)
        if result.success:
            console.print(f"[green]✓[/green] {label}  (run {result.run_id[:8]})")
            for line in summary_lines(result):
                console.print(f"    {line}")
        else:
            all_ok = False
            err.print(f"[red]✗ {label}: {failure_message(result)}[/red]  (run {result.run_id[:8]})")
    console.print(f"DuckDB: {settings.duckdb_path}")
    return all_ok


def summary_lines(result) -> list[str]:
    lines = []
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        md = {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
        if mat.asset_key.to_user_string() == "firm_year":
            if md.get("status") == "unchanged":
                lines.append(UNCHANGED)
            else:
                lines.append(f"읽은 행 {md.get('rows_read')} = 적재 {md.get('rows_curated')} + 격리 {md.get('rows_quarantined')}  (layout {md.get('layout')})")
    return lines
