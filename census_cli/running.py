"""`census run`: the yearly loads through the same Dagster definitions as the UI, so every run is
in the Dagster run history. What to run is decided before Dagster is even imported
(pipeline.freshness, the decision the sensor takes too): an unchanged project is confirmed in a
second, and only the years a load changed are classified again."""

from __future__ import annotations

import time
import warnings

from rich.console import Console
from rich.markup import escape

from pipeline.freshness import year_states
from pipeline.settings import load_settings
from pipeline.storage import table_years
from pipeline.storage.query_database import built_state, parquet_state

# The CLI prints its own short messages; Dagster's event log (with details) stays in the run history.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
UNCHANGED = "변경 없음: 다시 쓰지 않았습니다 / unchanged: nothing rewritten"


def failure_message(result) -> str:
    """Why the run failed, in one line: a blocking asset check names itself, its share and its
    threshold (its own ko/en description); otherwise the failed step's own message."""
    failed_checks = failed_blocking_checks(result)
    for event in result.all_events:
        if event.is_step_failure:
            if failed_checks and "blocking asset check" in (getattr(event.event_specific_data.error, "message", "") or ""):
                return "; ".join(failed_checks)
            data = event.event_specific_data
            if getattr(data, "user_failure_data", None) and data.user_failure_data.description:
                return data.user_failure_data.description
            error = data.error
            while error is not None and error.cause is not None:  # the user code's own exception
                error = error.cause
            return f"{error.cls_name}: {error.message.strip().splitlines()[0]}" if error else "unknown failure"
    return "unknown failure"


def failed_blocking_checks(result) -> list[str]:
    """'check (asset): description' of each asset check that failed with ERROR severity."""
    out = []
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.event_specific_data
        if evaluation.passed or getattr(evaluation.severity, "value", str(evaluation.severity)) != "ERROR":
            continue
        what = f"{evaluation.check_name} ({evaluation.asset_key.to_user_string()})"
        out.append(f"{what}: {evaluation.description}" if evaluation.description else what)
    return out


def run_years(years: list[int], console: Console, err: Console, rebuild: bool = False) -> bool:
    settings = load_settings()
    try:
        files = settings.raw_files()
    except ValueError as e:
        err.print(escape(str(e)), style="red")
        return False
    unknown = [y for y in years if y not in files]
    if unknown:
        err.print(escape(f"{settings.raw_dir}에 {', '.join(map(str, unknown))}년 파일이 없습니다 / no file for "
                         f"{', '.join(map(str, unknown))} in {settings.raw_dir}"), style="red")
        return False
    if not files:
        err.print(escape(f"{settings.raw_dir}에 적재할 파일이 없습니다 / no census files in {settings.raw_dir}"), style="red")
        return False
    states = year_states(settings, years or None)
    due = [s for s in states if s.due or rebuild]
    behind = built_state(settings.duckdb_path) != parquet_state(settings)
    for s in states:
        if s not in due:
            console.print(f"[green]✓[/green] {s.year}: {escape(s.path.name)}")
            console.print(f"    {UNCHANGED}")
    if not due and not behind:
        console.print(f"DuckDB: {escape(str(settings.duckdb_path))}")
        return True
    return _execute(settings, due, console, err)


def _execute(settings, due, console: Console, err: Console) -> bool:
    warnings.filterwarnings("ignore")
    import dagster as dg

    from assets.definitions import build_definitions
    from assets.jobs import ALL_YEARS_JOB, CENSUS_LOAD_JOB, RECLASSIFY_JOB
    from assets.load import RAW
    from assets.outputs import REPORTS_JOB

    defs = build_definitions(settings)
    instance = dg.DagsterInstance.get()

    def execute(job_name: str, key: str | None, label: str):
        start = time.perf_counter()
        with console.status(f"{escape(label)} ..."):
            result = defs.resolve_job_def(job_name).execute_in_process(partition_key=key, instance=instance,
                                                                        raise_on_error=False, run_config=QUIET)
        took = f"{time.perf_counter() - start:.1f}s"
        if result.success:
            console.print(f"[green]✓[/green] {escape(label)}  ({took}, run {result.run_id[:8]})")
            for line in summary_lines(result):
                console.print(f"    {escape(line)}")
        else:
            err.print(f"✗ {escape(label)}: {escape(failure_message(result))}  (run {result.run_id[:8]})", style="red")
        return result.success

    loaded, failed = [], []
    for s in due:
        instance.report_runless_asset_event(dg.AssetObservation(RAW, partition=str(s.year), tags={"dagster/data_version": s.sha256}))
        ok = execute(CENSUS_LOAD_JOB, str(s.year), f"{s.year}: {s.path.name}")
        (loaded if ok else failed).append(s.year)
    # The 3-year revenue average of a year reads the two years before it: a year loaded now
    # changes the size class of the next two loaded years, which are classified again.
    present = table_years(settings, "firm_year")
    for year in sorted(y for y in present if y not in loaded and y not in failed and any(0 < y - d <= 2 for d in loaded)):
        execute(RECLASSIFY_JOB, str(year), f"{year}: 재분류 / classified again (revenue history changed)")
    if failed:
        err.print(f"연도 통합 테이블과 보고서는 다시 만들지 않았습니다 (실패한 연도: {', '.join(map(str, failed))}) / "
                  "all-years tables and reports not rebuilt while a year failed", style="yellow")
        return False
    ok = execute(ALL_YEARS_JOB, None, "연도 통합 테이블과 DB / all-years tables and databases")
    if ok:
        for year in table_years(settings, "firm_year"):
            ok = execute(REPORTS_JOB, str(year), f"보고서 / report {year}") and ok
    console.print(f"DuckDB: {escape(str(settings.duckdb_path))}")
    return ok


def summary_lines(result) -> list[str]:
    lines = []
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        if mat.asset_key.to_user_string() != "firm_year":
            continue
        md = {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
        lines.append(f"읽은 행 {md.get('rows_read')} = 적재 {md.get('rows_curated')} + 격리 {md.get('rows_quarantined')}"
                     f"  (경고 {md.get('rows_flagged')}, {md.get('status')})")
    return lines
