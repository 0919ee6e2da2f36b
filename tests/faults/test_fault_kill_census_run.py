"""kill -9 of a real `census run` at the read and in the middle of the Parquet commit, then a
rerun: the store is whole again, the journal rolled forward, the databases rebuilt."""

from __future__ import annotations

from pipeline.storage import read_table
from pipeline.storage.query_database import built_state, parquet_state
from tests.faults.faults_helpers import (
    KILL,
    assert_consistent,
    census_in_process,
    census_process,
    checksums,
    leftovers,
    run_census,
    settings_of,
)

KILL_AT_READ = f"""
import pipeline.load as load
def read_year_file(*args, **kwargs):
    {KILL}
load.read_year_file = read_year_file
"""

# Commit the firm_year change halfway: the journal is written, the first swap is applied, then
# the process dies (the others are still staged beside their tables).
KILL_MID_COMMIT = f"""
import os
import pipeline.storage.parquet as parquet
apply = parquet._apply
def half_apply(swaps):
    if any("/firm_year/" in s["final"] + "/" for s in swaps) and len(swaps) > 1:
        apply(swaps[:1])
        {KILL}
    apply(swaps)
parquet._apply = half_apply
"""


def test_kill_during_the_read_changes_nothing_and_the_next_run_does_not_hang(fault_project):
    settings = settings_of(fault_project)
    before = checksums(settings.parquet_dir)
    killed = run_census(fault_project, "run", "--rebuild", patch=KILL_AT_READ)
    assert killed.returncode == -9
    assert checksums(settings.parquet_dir) == before  # nothing was decided, nothing changed
    # The dead run still looks "started" to Dagster: later runs must neither wait for it nor fail.
    # Two of them at once: they serialise on the writer lock (the second may fail, clearly).
    runs = [census_process(fault_project, "run", "--rebuild") for _ in range(2)]
    outcomes = [(p.wait(timeout=240), p.stdout.read() + p.stderr.read()) for p in runs]
    assert 0 in [rc for rc, _ in outcomes], outcomes
    for rc, output in outcomes:
        assert "Traceback" not in output, output
        assert rc == 0 or "✗" in output, output
    assert_consistent(settings)


def test_kill_in_the_middle_of_the_parquet_commit_is_rolled_forward_and_the_database_rebuilt(fault_project, monkeypatch):
    settings = settings_of(fault_project)
    rows_before = len(read_table(settings, "firm_year"))
    # A new delivery for the year: 30 fewer firms (the last data rows removed).
    files = settings.raw_files()
    import pandas as pd

    path = files[2024]
    frame = pd.read_excel(path, dtype=str)
    frame.iloc[:-30].to_excel(path, index=False)
    killed = run_census(fault_project, "run", patch=KILL_MID_COMMIT)
    assert killed.returncode == -9
    assert list((settings.parquet_dir / "_journal").glob("*.json")), "the commit died after its journal"
    assert built_state(settings.duckdb_path) != parquet_state(settings) or leftovers(settings)
    status = census_in_process(fault_project, monkeypatch, "status")
    assert "behind" in status.output and "unfinished" in status.output, status.output

    rerun = run_census(fault_project, "run", timeout=150)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert_consistent(settings)
    # The run ends with where things are and how many rows carry a warning.
    lines = rerun.stdout.splitlines()
    for kind, path in (("validation report", "validation_2024.xlsx"), ("yearly report", "2024_기업실태조사_결과.html"),
                       ("database", "research.duckdb")):
        assert any(kind in line and line.endswith(path) for line in lines), (kind, rerun.stdout)
    flagged = int(read_table(settings, "load_log", 2024).sort_values("loaded_at").iloc[-1]["rows_flagged"])
    assert f"flagged rows: 2024 {flagged:,}" in rerun.stdout
    assert len(read_table(settings, "firm_year")) < rows_before  # the new delivery is what is served
    status = census_in_process(fault_project, monkeypatch, "status")
    assert "behind" not in status.output and status.output.count("in step") == 2, status.output
