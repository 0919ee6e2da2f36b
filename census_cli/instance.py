"""Which Dagster instance the CLI uses: the embedded SQLite one in .dagster_home/ (one analyst,
the default) or the service instance on PostgreSQL in deploy/instance/postgres/ (an agency
server where the webserver, the daemon and workers share the run history). Chosen with
CENSUS_INSTANCE; an explicit DAGSTER_HOME always wins. Imports nothing of dagster, because
DAGSTER_HOME has to be set before dagster is imported."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pipeline.config import ConfigError

INSTANCES = {"embedded": Path(".dagster_home"), "postgres": Path("deploy/instance/postgres")}
# What deploy/instance/postgres/dagster.yaml reads from the environment.
POSTGRES_VARIABLES = ("CENSUS_PG_HOST", "CENSUS_PG_PORT", "CENSUS_PG_USER", "CENSUS_PG_PASSWORD", "CENSUS_PG_DB",
                      "CENSUS_DAGSTER_STORAGE", "CENSUS_DAGSTER_LOGS")


def dagster_home(root: Path, env: Mapping[str, str]) -> Path:
    """The DAGSTER_HOME folder for the instance `env` selects (CENSUS_INSTANCE, default
    embedded); ConfigError names the unknown instance or the missing connection variables."""
    if env.get("DAGSTER_HOME"):
        return Path(env["DAGSTER_HOME"])
    name = env.get("CENSUS_INSTANCE", "").strip() or "embedded"
    if name not in INSTANCES:
        raise ConfigError(f"CENSUS_INSTANCE={name!r}: 알 수 없는 인스턴스 / unknown instance "
                          f"(embedded | postgres)")
    if name == "postgres":
        missing = [v for v in POSTGRES_VARIABLES if not env.get(v)]
        if missing:
            raise ConfigError("CENSUS_INSTANCE=postgres: 환경 변수가 없습니다 / environment variables not set: "
                              + ", ".join(missing) + " (deploy/census.env.example)")
    return root / INSTANCES[name]
