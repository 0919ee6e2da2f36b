"""A full disk under data/curated/: `census run` fails with a Korean/English message and no
traceback, and the curated state stays whole: nothing half-written, no temporary file left, the
old census.duckdb intact. The disk is a small tmpfs mounted over the curated folder in the
child's own mount namespace (the old state copied onto it first), sized to what is there, so
the run runs out of space part-way."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess

import pytest

from tests.faults.faults_helpers import (
    PYTHON,
    census_script,
    checksums,
    failed_cleanly,
    run_in_own_mounts,
    settings_of,
)

# What the child prints after the run, from inside its namespace (the tmpfs goes with it).
_REPORT = ("import hashlib, json, pathlib, sys; import pyarrow.parquet as pq; c = pathlib.Path(sys.argv[1]); "
           "print('CHECKSUMS ' + json.dumps({str(p.relative_to(c)): hashlib.sha256(p.read_bytes()).hexdigest() "
           "for p in sorted(c.rglob('*')) if p.is_file() and p.name not in ('.writer.lock', '.filler')})); "
           "log = pq.read_table(c / 'parquet' / 'load_log' / 'census_year=2024' / 'data.parquet').to_pylist(); "
           "print('LOADLOG ' + json.dumps([[r['status'], r['message'], r['rows_curated']] for r in log]))")
# Written by the attempt on purpose: load_log records it, and the delivery's validation report is
# what the analyst reads next.
RECORDS_OF_THE_ATTEMPT = {"parquet/load_log/census_year=2024/data.parquet", "reports/validation/validation_2024.xlsx",
                          "reports/validation/validation_2024.html"}
PAGE = 4096
FILLER = ".filler"


def _tmpfs_mount_possible(folder) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{folder}'"], capture_output=True)
    return probe.returncode == 0


def _used_kib(folder) -> int:
    """About the room the files take on a tmpfs (whole pages, a page per folder)."""
    pages = sum(-(-p.stat().st_size // PAGE) if p.is_file() else 1 for p in folder.rglob("*"))
    return (pages + 1) * PAGE // 1024


def _printed(stdout: str, prefix: str) -> str:
    return next(x for x in stdout.splitlines() if x.startswith(prefix))[len(prefix):]


def _run_on_a_full_disk(root, tmp_path, room_kib: int, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    curated = settings_of(root).curated_dir
    saved = tmp_path / "saved"
    c = shlex.quote(str(curated))
    script = (f"cp -a {c} {shlex.quote(str(saved))} && "
              f"mount -t tmpfs -o size={_used_kib(curated) + 1024}k tmpfs {c} && "
              f"cp -a {shlex.quote(str(saved))}/. {c}/ && "
              # Fill what is left, then give back exactly the room asked for.
              f"{{ dd if=/dev/zero of={c}/{FILLER} bs=4k 2>/dev/null; true; }} && "
              f"truncate -s -{room_kib}K {c}/{FILLER} && {{ {PYTHON} -c {shlex.quote(census_script(*args))}; code=$?; "
              f"{PYTHON} -c {shlex.quote(_REPORT)} {c}; exit $code; }}")
    result = run_in_own_mounts(root, script, timeout=300)
    output = failed_cleanly(result)
    said = " ".join(output.split())  # the console wraps long lines
    assert "디스크 공간이 부족합니다" in said and "No space left on device" in said, output
    return result, output


@pytest.fixture
def small_disk_possible(tmp_path):
    if not _tmpfs_mount_possible(tmp_path):
        pytest.skip("no private tmpfs mount on this machine (needs unshare -m and mount): the full-disk case is not run")


def test_a_new_year_on_a_full_disk_fails_and_leaves_the_loaded_year_as_it_was(fault_project, tmp_path, small_disk_possible):
    """No room at all: the new year's first file fails; nothing of it reaches the curated tables."""
    from census_sample import sample_command

    raw = fault_project / "data" / "raw"
    for year, path in sample_command(100, 20241231, tmp_path / "sample").items():
        if year == 2023:
            shutil.copyfile(path, raw / path.name)
    before = checksums(settings_of(fault_project).curated_dir)
    result, output = _run_on_a_full_disk(fault_project, tmp_path, 0, "run")
    assert "✗ 2023" in output
    after = json.loads(_printed(result.stdout, "CHECKSUMS "))
    # The loaded year and the old database, byte for byte; of 2023 at most its load_log entry
    # and the validation report, never a curated table; no temporary file or journal.
    assert {k: v for k, v in after.items() if k in before} == before
    assert all("census_year=2023" not in k or k.startswith("parquet/load_log/") for k in after), sorted(after)
    assert not {k for k in after if k not in before} - {"parquet/load_log/census_year=2023/data.parquet",
                                                          "reports/validation/validation_2023.xlsx",
                                                          "reports/validation/validation_2023.html"}


def test_a_database_build_on_a_full_disk_keeps_the_old_database(fault_project, tmp_path, small_disk_possible):
    """A rebuild of the loaded year: its files are written again (the same bytes), and the query
    database build runs out of room: the old census.duckdb stays whole, no temporary file left."""
    before = checksums(settings_of(fault_project).curated_dir)
    result, _ = _run_on_a_full_disk(fault_project, tmp_path, 0, "run", "--rebuild")
    after = json.loads(_printed(result.stdout, "CHECKSUMS "))
    assert set(after) == set(before)  # no temporary file, journal or half-written year left
    assert {k: v for k, v in after.items() if k not in RECORDS_OF_THE_ATTEMPT} == \
        {k: v for k, v in before.items() if k not in RECORDS_OF_THE_ATTEMPT}
    log = json.loads(_printed(result.stdout, "LOADLOG "))
    assert log[0][0] == "loaded" and log[0][2] > 0  # the good load is still on record
