"""kill -9 of a real process inside the storage functions: during the DuckDB build, during the
research build, and two writers at the same time. The database in place is always complete, and
the next writer cleans what the dead one left."""

from __future__ import annotations

import subprocess
import time

import duckdb

from pipeline.research.build import build_research_database, research_path
from pipeline.storage import build_query_database, read_table
from pipeline.storage.query_database import built_state, parquet_state
from tests.faults.faults_helpers import (
    KILL,
    PYTHON,
    assert_consistent,
    checksums,
    fault_env,
    leftovers,
    run_census,
    run_python,
    settings_of,
)

# The year's firm_year without its last `n` rows, written as a change of the year.
DROP_ROWS = """
from pipeline.storage import read_table, write_year
frame = read_table(settings, "firm_year", 2024)
write_year(settings, 2024, {{"firm_year": frame.iloc[:-{n}]}})
"""


def _tables(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()}


def test_kill_during_the_duckdb_build_leaves_the_old_database_whole_and_behind(fault_project):
    settings = settings_of(fault_project)
    before = _tables(settings.duckdb_path)
    killed = run_python(fault_project, DROP_ROWS.format(n=10) + f"""
import pipeline.storage.query_database as qd
create, made = qd.create_table, []
def create_table(con, spec, files):
    made.append(spec.name)
    if len(made) == 4:
        {KILL}
    create(con, spec, files)
qd.create_table = create_table
qd.build_query_database(settings)
""")
    assert killed.returncode == -9, killed.stderr
    assert _tables(settings.duckdb_path) == before  # the old database, complete, still in place
    assert built_state(settings.duckdb_path) != parquet_state(settings)  # and it says it is behind
    assert leftovers(settings)  # the dead builder's private file
    # No year is due (the delivery did not change), but the databases are behind: the next
    # `census run` rebuilds them before it reports success.
    rerun = run_census(fault_project, "run", timeout=150)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "unchanged" in rerun.stdout and "✓ 연도 통합" in rerun.stdout
    assert_consistent(settings, loads=False)
    assert built_state(research_path(settings)) == parquet_state(settings)
    assert _tables(settings.duckdb_path)["firm_year"] == before["firm_year"] - 10


def test_kill_during_the_research_build_keeps_the_old_research_database(fault_project):
    settings = settings_of(fault_project)
    target = research_path(settings)
    before = _tables(target)
    killed = run_python(fault_project, f"""
import pipeline.research.build as rb
deidentify, calls = rb.deidentify, []
def dying(*args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        {KILL}
    return deidentify(*args, **kwargs)
rb.deidentify = dying
rb.build_research_database(settings)
""")
    assert killed.returncode == -9, killed.stderr
    assert _tables(target) == before
    assert list(settings.curated_dir.glob(".research.duckdb.new-*"))
    build_research_database(settings)
    assert leftovers(settings) == []
    assert built_state(target) == parquet_state(settings)


def test_two_writers_at_once_serialise_and_never_mix(fault_project):
    """Two processes replace the same year at the same time, each holding the lock for a while:
    the second waits for the first, and the result is one writer's content, whole."""
    settings = settings_of(fault_project)
    rows = len(read_table(settings, "firm_year", 2024))
    slow = """
import time
import pipeline.storage.parquet as parquet
apply = parquet._apply
def slow_apply(swaps):
    time.sleep(1.5)
    apply(swaps)
parquet._apply = slow_apply
"""
    script = "from pipeline.settings import load_settings\nsettings = load_settings()\n"
    start = time.monotonic()
    procs = [subprocess.Popen([PYTHON, "-c", script + slow + DROP_ROWS.format(n=n)], env=fault_env(fault_project),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in (5, 7)]
    outcomes = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    took = time.monotonic() - start
    assert [o[2] for o in outcomes] == [0, 0], outcomes
    assert took >= 3.0  # the two commits (1.5 s each, under the lock) did not overlap
    assert len(read_table(settings, "firm_year", 2024)) in (rows - 5, rows - 7)
    assert leftovers(settings) == []
    build_query_database(settings)
    assert_consistent(settings, loads=False)


def test_a_reader_holding_the_database_open_keeps_its_view_through_a_load(fault_project):
    settings = settings_of(fault_project)
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as reader:
        before = reader.execute("SELECT count(*), sum(employees_total) FROM firm_year").fetchone()
        changed = run_python(fault_project, DROP_ROWS.format(n=20) + "\nfrom pipeline.storage import build_query_database\n"
                             "build_query_database(settings)\n")
        assert changed.returncode == 0, changed.stderr
        assert reader.execute("SELECT count(*), sum(employees_total) FROM firm_year").fetchone() == before
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as fresh:
        assert fresh.execute("SELECT count(*) FROM firm_year").fetchone()[0] == before[0] - 20


def test_kill_while_the_new_parquet_files_are_written_leaves_the_old_year(fault_project):
    """Before the journal nothing is decided: the year stays as it was, whole, and the next
    writer removes the half-written files."""
    settings = settings_of(fault_project)
    before = checksums(settings.parquet_dir)
    killed = run_python(fault_project, f"""
import pipeline.storage.parquet as parquet
from pipeline.storage import read_table, write_year
write, written = parquet._write_arrow, []
def dying_write(table, path):
    written.append(path)
    if len(written) == 2:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"PAR1 half a file")
        {KILL}
    write(table, path)
parquet._write_arrow = dying_write
write_year(settings, 2024, {{"firm_year": read_table(settings, "firm_year", 2024).iloc[:-3],
                            "load_log": read_table(settings, "load_log", 2024)}})
""")
    assert killed.returncode == -9, killed.stderr
    assert leftovers(settings)
    assert {k: v for k, v in checksums(settings.parquet_dir).items() if ".new-" not in k} == before
    build_query_database(settings)  # the next writer
    assert checksums(settings.parquet_dir) == before
    assert_consistent(settings)
