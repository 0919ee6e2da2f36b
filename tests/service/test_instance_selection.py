"""Which Dagster instance the census CLI uses: embedded SQLite by default, the PostgreSQL service
instance with CENSUS_INSTANCE=postgres, and a clear one-line message when that is misconfigured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from census_cli.instance import POSTGRES_VARIABLES, dagster_home
from pipeline.config import ConfigError

REPO = Path(__file__).resolve().parents[2]
POSTGRES_ENV = {v: "x" for v in POSTGRES_VARIABLES} | {"CENSUS_PG_PORT": "5432"}


def test_one_analyst_gets_the_embedded_instance_unless_told_otherwise():
    assert dagster_home(REPO, {}) == REPO / ".dagster_home"
    assert dagster_home(REPO, {"CENSUS_INSTANCE": "embedded"}) == REPO / ".dagster_home"
    assert dagster_home(REPO, {"CENSUS_INSTANCE": "postgres", **POSTGRES_ENV}) == REPO / "deploy/instance/postgres"
    # An explicit DAGSTER_HOME (the systemd units, the tests) always wins.
    assert dagster_home(REPO, {"DAGSTER_HOME": "/srv/x", "CENSUS_INSTANCE": "postgres"}) == Path("/srv/x")


def test_postgres_without_its_connection_names_the_missing_variables():
    with pytest.raises(ConfigError, match="CENSUS_PG_HOST.*CENSUS_DAGSTER_LOGS"):
        dagster_home(REPO, {"CENSUS_INSTANCE": "postgres"})
    with pytest.raises(ConfigError, match="'sqlite'.*embedded \\| postgres"):
        dagster_home(REPO, {"CENSUS_INSTANCE": "sqlite"})


def test_the_cli_reports_a_wrong_instance_in_one_line_without_traceback():
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"} | {"CENSUS_INSTANCE": "postgress"}
    proc = subprocess.run([sys.executable, "-c", "from census_cli.main import main; main()", "run"],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert proc.returncode == 2
    assert "unknown instance" in proc.stderr and "Traceback" not in proc.stderr


def test_the_service_instance_file_reads_exactly_the_variables_the_cli_checks():
    """Dagster loading the file against a real server is scripts/service_test.sh; here: every
    connection value comes from a variable the CLI checks, and the run queue matches."""
    service = yaml.safe_load((REPO / "deploy/instance/postgres/dagster.yaml").read_text(encoding="utf-8"))
    embedded = yaml.safe_load((REPO / ".dagster_home/dagster.yaml").read_text(encoding="utf-8"))
    db = service["storage"]["postgres"]["postgres_db"]
    env_names = {v["env"] for v in db.values() if isinstance(v, dict)}
    env_names |= {service[k]["config"]["base_dir"]["env"] for k in ("local_artifact_storage", "compute_logs")}
    assert env_names == set(POSTGRES_VARIABLES)
    assert db["scheme"] == "postgresql+psycopg2"  # SQLAlchemy 2.1 would pick psycopg 3, not installed
    # One run at a time, as the embedded instance (years load in order).
    assert service["run_queue"] == embedded["run_queue"] == {"max_concurrent_runs": 1}
    assert set(service) - {"storage", "local_artifact_storage", "compute_logs"} == set(embedded)
