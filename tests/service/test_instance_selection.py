"""Which Dagster instance the census CLI uses: embedded SQLite by default, the PostgreSQL service
instance with CENSUS_INSTANCE=postgres, and a clear one-line message when that is misconfigured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_the_shipped_service_instance_file_passes_dagsters_own_schema(monkeypatch):
    from dagster._core.instance.config import dagster_instance_config

    for name, value in POSTGRES_ENV.items():
        monkeypatch.setenv(name, value)
    config, _ = dagster_instance_config(str(REPO / "deploy" / "instance" / "postgres"))
    assert set(config["storage"]) == {"postgres"}
    assert config["storage"]["postgres"]["postgres_db"]["scheme"] == "postgresql+psycopg2"
    # The same one-writer limits as the embedded instance: DuckDB allows one writing process.
    embedded, _ = dagster_instance_config(str(REPO / ".dagster_home"))
    assert config["concurrency"] == embedded["concurrency"]
