"""`census run`: the yearly loads through the same Dagster definitions as the UI, so every run is
in the Dagster run history. What to run is decided before Dagster is even imported
(pipeline.freshness, the decision the sensor takes too): an unchanged project is confirmed in a
second, and only the years a load changed are classified again."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import warnings
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape

from pipeline.freshness import year_states, years_to_reclassify
from pipeline.load import last_good_load
from pipeline.settings import load_settings
from pipeline.storage import table_years

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
            if error is None:
                return "unknown failure"
            return with_system_cause(f"{error.cls_name}: {error.message.strip().splitlines()[0]}")
    return "unknown failure"


# What the machine said, in words the analyst can act on (the original line follows: it names the file).
SYSTEM_CAUSES = {
    "No space left on device": "디스크 공간이 부족합니다. 공간을 확보한 뒤 다시 실행하세요 / the disk is full: free some space and run again",
    "Read-only file system": "읽기 전용 파일 시스템에는 쓸 수 없습니다 / the folder is on a read-only file system",
    "Permission denied": "파일 권한이 없습니다 / permission denied",
}


def with_system_cause(message: str) -> str:
    for marker, explained in SYSTEM_CAUSES.items():
        if marker in message:
            return f"{explained} ({message})"
    return message


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


INTERRUPTED = ("중단됨: 이후 단계는 실행하지 않았습니다. 완료된 쓰기는 유지되고, 미완료 쓰기는 다음 실행이 마무리합니다 / "
               "interrupted: no later step was run; finished writes are kept, an unfinished one is rolled forward by the next run")


class Interrupted(Exception):
    """Ctrl-C (SIGINT) during `census run`: the whole command stops."""


def run_years(years: list[int], console: Console, err: Console, rebuild: bool = False,
              accept_duplicate: bool = False) -> bool:
    """Load the due years (all with `rebuild`), rebuild what depends on them; False on any
    failure, refusal or interrupt (then nothing after the failing step is run or marked ✓)."""
    try:
        with interrupt_watch():
            return _run_years(years, console, err, rebuild, accept_duplicate)
    except (KeyboardInterrupt, Interrupted):
        err.print(f"✗ {INTERRUPTED}", style="red", markup=False, soft_wrap=True)
        return False


_watch: dict[str, int] = {}


@contextmanager
def interrupt_watch():
    """Remember a Ctrl-C even while a Dagster run holds it: in-process execution captures SIGINT
    and finishes the run, so the command itself checks between steps. The wakeup fd receives
    every signal Python handles, whichever Python handler Dagster has installed meanwhile."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    read, write = socket.socketpair()
    read.setblocking(False)
    write.setblocking(False)
    previous = signal.set_wakeup_fd(write.fileno(), warn_on_full_buffer=False)
    _watch["fd"] = read.fileno()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        _watch.pop("fd", None)
        read.close()
        write.close()


def check_interrupt() -> None:
    """Raise Interrupted if SIGINT (or SIGTERM) arrived since the last check."""
    fd = _watch.get("fd")
    if fd is None:
        return
    try:
        data = os.read(fd, 512)
    except (BlockingIOError, InterruptedError):
        return
    if {signal.SIGINT, signal.SIGTERM} & set(data):
        raise Interrupted


def duplicate_deliveries(settings, states) -> dict[int, int]:
    """Due year -> another year whose delivery (in data/raw, or as last loaded) has the same
    bytes: a copy of last year's file is more often a mistake than a census."""
    from pipeline.read.delivery import file_sha256

    raw = {year: file_sha256(path) for year, path in settings.raw_files().items()}
    loaded = {}
    for year in table_years(settings, "load_log"):
        last = last_good_load(settings, year)
        if last and isinstance(last.get("sha256"), str):
            loaded[year] = last["sha256"]
    out = {}
    for s in states:
        same = sorted({y for known in (raw, loaded) for y, sha in known.items() if sha == s.sha256 and y != s.year})
        if same:
            out[s.year] = same[0]
    return out


def databases_behind(settings) -> bool:
    """A database missing, built from another Parquet state, or a journal left unfinished."""
    from census_cli.status import database_status

    return any(not db.in_step for db in database_status(settings))


def _run_years(years: list[int], console: Console, err: Console, rebuild: bool, accept_duplicate: bool) -> bool:
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
    duplicates = duplicate_deliveries(settings, due)
    if duplicates and not accept_duplicate:
        for year, other in sorted(duplicates.items()):
            err.print(f"✗ {year}: {escape(files[year].name)} 은(는) {other}년 파일과 내용이 같습니다. 맞다면 --accept-duplicate 로 "
                      f"적재하세요 / {year}: the delivery is byte-identical to the {other} file; if that is right, load it "
                      "with --accept-duplicate", style="red")
        return False
    behind = databases_behind(settings)
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

    from assets.in_process import census_definitions

    census_definitions(str(settings.config_dir / "settings.yaml"))  # built once, before the warm-up competes
    instance = dg.DagsterInstance.get()
    # Every step of these runs executes in this process: what the later steps load (GX, the
    # reference tables) is loaded on the second core while the first file is read.
    warming = threading.Thread(target=_prepare_quietly, args=(settings,), daemon=True)
    warming.start()
    try:
        return _run_jobs(settings, instance, due, console, err)
    finally:
        # A command that ends while the warm-up is still loading (a load that failed at once)
        # waits for it: at exit Arrow shuts its thread pool down, and a thread still converting
        # a table would wait for that pool for ever (seen as a hang after a full disk).
        warming.join()


def _run_jobs(settings, instance, due, console: Console, err: Console) -> bool:
    import dagster as dg

    from assets import in_process
    from assets.jobs import ALL_YEARS_JOB, CENSUS_LOAD_JOB, RECLASSIFY_JOB
    from assets.load import RAW
    from assets.outputs import REPORTS_JOB

    outputs: dict[str, list[str]] = {}
    flagged: dict[str, int] = {}
    settings_path = str(settings.config_dir / "settings.yaml")

    def execute(job_name: str, key: str | None, label: str):
        start = time.perf_counter()
        with _elapsed(console, label):
            result = in_process.execute(settings_path, job_name, key, instance, run_config=QUIET)
        took = f"{time.perf_counter() - start:.1f}s"
        if was_interrupted(result):
            err.print(f"✗ {escape(label)}  (run {result.run_id[:8]})", style="red")
            raise Interrupted
        if not result.success:
            check_interrupt()
        if result.success:
            console.print(f"[green]✓[/green] {escape(label)}  ({took}, run {result.run_id[:8]})")
            for line in summary_lines(result):
                console.print(f"    {escape(line)}")
            for kind, path in output_paths(result):
                outputs.setdefault(kind, []).append(path)
            flagged.update(flagged_counts(result, key))
            check_interrupt()  # the step finished; nothing after it runs
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
    for year in years_to_reclassify(loaded, present, failed):
        execute(RECLASSIFY_JOB, str(year), f"{year}: 재분류 / classified again (revenue history changed)")
    if failed:
        err.print(f"연도 통합 테이블과 보고서는 다시 만들지 않았습니다 (실패한 연도: {', '.join(map(str, failed))}) / "
                  "all-years tables and reports not rebuilt while a year failed", style="yellow")
        return False
    ok = execute(ALL_YEARS_JOB, None, "연도 통합 테이블과 DB / all-years tables and databases")
    if ok:
        for year in table_years(settings, "firm_year"):
            ok = execute(REPORTS_JOB, str(year), f"보고서 / report {year}") and ok
    if ok and databases_behind(settings):  # a database the all-years step did not bring in step
        err.print("✗ DB가 Parquet와 맞지 않습니다 (`census status`) / a database is still behind the Parquet files "
                  "(see `census status`)", style="red")
        ok = False
    for line in closing_lines(outputs, flagged):
        console.print(escape(line), soft_wrap=True)
    console.print(f"DuckDB: {escape(str(settings.duckdb_path))}")
    return ok


def _prepare_quietly(settings) -> None:
    from pipeline.warmup import prepare

    try:
        prepare(settings)
    except Exception:  # noqa: BLE001  (only a head start: the step that needs it reports the problem)
        pass


OUTPUT_KINDS = {"report_xlsx": "검증 보고서 / validation report", "report_html": "검증 보고서 / validation report",
                "excel": "연도 보고서 / yearly report", "html": "연도 보고서 / yearly report", "path": "DB / database"}


def output_paths(result) -> list[tuple[str, str]]:
    """(kind, path) of the files a run wrote, from its materializations' path metadata."""
    out = []
    for event in result.get_asset_materialization_events():
        for name, value in event.event_specific_data.materialization.metadata.items():
            if name in OUTPUT_KINDS:
                out.append((OUTPUT_KINDS[name], str(getattr(value, "path", value))))
    return out


def flagged_counts(result, key: str | None) -> dict[str, int]:
    out = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        if mat.asset_key.to_user_string() == "firm_year" and "rows_flagged" in mat.metadata:
            value = getattr(mat.metadata["rows_flagged"], "value", mat.metadata["rows_flagged"])
            if value is not None:
                out[key or "?"] = int(value)
    return out


def closing_lines(outputs: dict[str, list[str]], flagged: dict[str, int]) -> list[str]:
    """What an analyst looks at after a run: where the reports and databases are, how many rows
    carry a warning."""
    lines = []
    for kind in dict.fromkeys(OUTPUT_KINDS.values()):
        for path in dict.fromkeys(outputs.get(kind, [])):
            lines.append(f"{kind}: {path}")
    if flagged:
        per_year = ", ".join(f"{y} {n:,}" for y, n in sorted(flagged.items()))
        lines.append(f"경고 행 / flagged rows: {per_year} (합계 / total {sum(flagged.values()):,})")
    return lines


def was_interrupted(result) -> bool:
    """A run Ctrl-C stopped: Dagster turns SIGINT into a failed step or a failed run."""
    for event in result.all_events:
        data = event.event_specific_data
        error = getattr(data, "error", None)
        while error is not None:
            if error.cls_name in ("DagsterExecutionInterruptedError", "KeyboardInterrupt"):
                return True
            error = error.cause
    return False


class _elapsed:
    """A spinner with the step and its elapsed time while a step runs (nothing when not a terminal)."""

    def __init__(self, console: Console, label: str):
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                  console=console, transient=True)
        self._label = escape(label)

    def __enter__(self):
        if not self._progress.console.is_terminal:
            return self
        self._progress.start()
        self._progress.add_task(self._label, total=None)
        return self

    def __exit__(self, *exc):
        self._progress.stop()
        return False


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
