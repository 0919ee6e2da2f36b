"""What `census run` and `census status` do when things go wrong around them: a read-only
curated folder, Ctrl-C, a copy of another year's file, a database left behind."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

import pytest

from pipeline.storage import table_years
from tests.faults.faults_helpers import (
    PYTHON,
    census_in_process,
    census_script,
    checksums,
    failed_cleanly,
    run_census,
    run_in_own_mounts,
    settings_of,
)


def _read_only_mount_possible(folder) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind '{folder}' '{folder}' && "
                            f"mount -o remount,ro,bind '{folder}' && ! touch '{folder}/.probe'"], capture_output=True)
    return probe.returncode == 0


def test_a_read_only_curated_folder_fails_cleanly_and_keeps_the_old_state(fault_project):
    settings = settings_of(fault_project)
    curated = settings.curated_dir
    if not _read_only_mount_possible(curated):
        pytest.skip("no private read-only bind mount on this machine (needs unshare -m and mount)")
    before = checksums(curated)
    # The folder is read-only for the child process only (its own mount namespace).
    script = (f"mount --bind {shlex.quote(str(curated))} {shlex.quote(str(curated))} && "
              f"mount -o remount,ro,bind {shlex.quote(str(curated))} && "
              f"exec {PYTHON} -c {shlex.quote(census_script('run', '--rebuild'))}")
    output = failed_cleanly(run_in_own_mounts(fault_project, script, timeout=150))
    assert "Read-only file system" in output
    assert checksums(curated) == before


def test_ctrl_c_stops_the_whole_command_with_no_later_step_marked_done(fault_project):
    # Ctrl-C arrives while the year's file is being read (a real SIGINT to the process).
    patch = """
import os, signal
import pipeline.load as load
read = load.read_year_file
def read_year_file(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    return read(*args, **kwargs)
load.read_year_file = read_year_file
"""
    result = run_census(fault_project, "run", "--rebuild", patch=patch)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "interrupted" in output and "Traceback" not in output
    assert "연도 통합" not in output and "보고서 / report" not in output  # nothing after the interrupted step


def test_a_copy_of_another_years_file_is_refused_unless_confirmed(fault_project, monkeypatch):
    settings = settings_of(fault_project)
    shutil.copy(settings.raw_files()[2024], settings.raw_dir / "2025_시흥_기업실태조사.xlsx")
    before = checksums(settings.curated_dir)
    result = census_in_process(fault_project, monkeypatch, "run")
    assert result.exit_code == 1
    assert "byte-identical to the 2024 file" in result.output and "--accept-duplicate" in result.output
    assert checksums(settings.curated_dir) == before and 2025 not in table_years(settings, "load_log")


def test_status_shows_years_and_whether_each_database_is_in_step(fault_project, monkeypatch):
    settings = settings_of(fault_project)
    result = census_in_process(fault_project, monkeypatch, "status")
    assert result.exit_code == 0, result.output
    assert "2024" in result.output and "up to date" in result.output
    assert result.output.count("in step with the Parquet files") == 2
    # A Parquet file newer than the databases (a load the build did not follow): both behind.
    path = next((settings.parquet_dir / "firm_year").rglob("data.parquet"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    result = census_in_process(fault_project, monkeypatch, "status")
    assert result.output.count("behind the Parquet files") == 2 and "`census run` rebuilds" in result.output
    version = census_in_process(fault_project, monkeypatch, "--version")
    assert version.exit_code == 0 and version.output.startswith("census ")
