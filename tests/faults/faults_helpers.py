"""Helpers of the fault tests. Faults made by killing real processes: a loaded one-year project (built once per session by a
real `census run`) is copied for each test; a child process runs `census` or a storage function
with a small patch that kills it with SIGKILL at a chosen point (the patch only decides *when*;
the kill is a real kill -9 of a real process, nothing is cleaned up by the dying process)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
SHARED_REFERENCE = (REPO.parent / "shared" / "reference").resolve()
PYTHON = sys.executable
YEAR = 2024

# Kill this process now, as the OOM killer or `kill -9` would: no finally block, no atexit.
KILL = "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"


def fault_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CENSUS_ROOT", "CENSUS_PSEUDONYM_KEY")}
    env.update(CENSUS_SETTINGS=str(root / "config" / "settings.yaml"), DAGSTER_HOME=str(root / ".dagster_home"),
               PYTHONPATH=str(REPO), COLUMNS="200", PYTHONWARNINGS="ignore")
    return env


def run_python(root: Path, code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`code` in a child Python process on the project at `root`."""
    script = "from pipeline.settings import load_settings\nsettings = load_settings()\n" + textwrap.dedent(code)
    return subprocess.run([PYTHON, "-c", script], env=fault_env(root), capture_output=True, text=True, timeout=timeout)


def _census_script(args: tuple[str, ...], patch: str) -> str:
    return textwrap.dedent(patch) + f"\nimport sys\nfrom census_cli.main import app\nsys.argv = ['census', *{list(args)!r}]\napp()\n"


def run_census(root: Path, *args: str, patch: str = "", timeout: float = 180) -> subprocess.CompletedProcess:
    """`census ARGS` in a child process; `patch` runs first (it arranges the fault)."""
    return subprocess.run([PYTHON, "-c", _census_script(args, patch)], env=fault_env(root), capture_output=True,
                          text=True, timeout=timeout)


def census_script(*args: str) -> str:
    """The Python program that runs `census ARGS` (for a child started by a shell script)."""
    return _census_script(args, "")


def run_in_own_mounts(root: Path, script: str, timeout: float) -> subprocess.CompletedProcess:
    """`script` (sh) in a mount namespace of its own: what it mounts is seen by it alone."""
    return subprocess.run(["unshare", "-m", "sh", "-c", script], env=fault_env(root), capture_output=True, text=True,
                          timeout=timeout)


def failed_cleanly(result: subprocess.CompletedProcess) -> str:
    """The output of a `census run` that must have failed with a message: exit 1, no traceback,
    and no all-years step or report marked done."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "✓ 연도 통합" not in output and "✓ 보고서" not in output
    return output


def census_process(root: Path, *args: str) -> subprocess.Popen:
    """`census ARGS` started in the background (output to temporary files, so no pipe fills up)."""
    out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([PYTHON, "-c", _census_script(args, "")], env=fault_env(root), stdout=out, stderr=err, text=True)
    proc.stdout, proc.stderr = _Rewound(out), _Rewound(err)
    return proc


class _Rewound:
    """A temporary output file, read from its start once the process has ended."""

    def __init__(self, handle):
        self._handle = handle

    def read(self) -> str:
        self._handle.seek(0)
        return self._handle.read()


def census_in_process(root: Path, monkeypatch, *args: str):
    """`census ARGS` in this process (for commands that start no Dagster run)."""
    from typer.testing import CliRunner

    from census_cli.main import app

    monkeypatch.setenv("CENSUS_SETTINGS", str(root / "config" / "settings.yaml"))
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner().invoke(app, list(args))


def settings_of(root: Path):
    from pipeline.settings import load_settings

    return load_settings(root / "config" / "settings.yaml")


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder` (the writer lock file aside: it is never data)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".writer.lock"}


def leftovers(settings) -> list[Path]:
    """Temporary files and journals a dead writer left behind."""
    parquet = settings.parquet_dir
    found = [*parquet.glob("*/.*.new-*"), *parquet.glob("*/.*.old-*"), *parquet.glob("_journal/*")]
    found += list(settings.curated_dir.glob(".*.duckdb.new-*"))
    return found


def assert_consistent(settings, loads: bool = True) -> None:
    """What must hold after any fault and a rerun: no temporary file or journal left, no
    half-written year, census.duckdb opens and serves exactly the Parquet rows, load_log has
    integer counts that add up for every good load. `loads`: the years were written by real
    loads (not by a test writing a table directly), so load_log must match the rows."""
    from pipeline.storage import read_table, table_years
    from pipeline.storage.query_database import built_state, parquet_state

    assert leftovers(settings) == []
    parquet_rows = len(read_table(settings, "firm_year"))
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM firm_year").fetchone()[0] == parquet_rows
    assert built_state(settings.duckdb_path) == parquet_state(settings)
    log = read_table(settings, "load_log")
    assert str(log["rows_read"].dtype) == "Int64"
    good = log[log["status"].isin(["loaded", "reclassified"])]
    assert (good["rows_read"] == good["rows_curated"] + good["rows_quarantined"]).all()
    for year in table_years(settings, "firm_year") if loads else []:
        last = good[good["census_year"] == year].sort_values("loaded_at").iloc[-1]
        assert len(read_table(settings, "firm_year", year)) == last["rows_curated"]
        # the staged and validated hand-overs of the year belong to the same load
        assert len(read_table(settings, "validated_firm_year", year)) == last["rows_curated"]
