"""The Definitions of the census code location (`dagster dev`, `dg check defs`), built from the
agency's settings and the table registry: the census-year partitions start at the settings'
first year, and every table of the registry is an asset."""

import os

import dagster as dg

from assets import (
    classification,
    clusters,
    corrections,
    curated,
    databases,
    difficulties,
    growth,
    identity,
    load,
    outputs,
    status,
    supply,
    validation,
)
from assets.executor import census_executor
from assets.io_manager import TableIOManager
from assets.jobs import census_jobs
from assets.partitions import census_years
from assets.resources import CensusSettings
from assets.sensors import census_automation, raw_file_sensor
from pipeline.classify.multi_code import MULTI_CODE_RULE
from pipeline.load import config_fingerprint
from pipeline.settings import Settings, load_settings
from pipeline.tables.registry import table_registry
from pipeline.validation.corrections import TARGET_COLUMNS


def build_definitions(settings: Settings, executor: dg.ExecutorDefinition | None = None) -> dg.Definitions:
    """`executor`: where the steps run; by default the deployment's (CENSUS_EXECUTOR)."""
    years = census_years(settings.census.first_year)
    # The yearly assets' code version: a changed config, suite or correction makes every loaded
    # year stale in the UI, as it makes it due for `census run`.
    version = config_fingerprint(settings)
    schedule_config = settings.reports.schedule.model_dump()
    assets = [*load.build(years, version), *corrections.build(years, version), *validation.build(years, version), *curated.build(years, version),
              *supply.build(years, version), *classification.build(version), *identity.build(), *growth.build(),
              *clusters.build(), *difficulties.build(),
              *databases.build(years, table_registry(settings)), *status.build(), *outputs.build(years)]
    out = outputs.schedules(schedule_config, years)
    path = settings.config_dir / "settings.yaml"
    return dg.Definitions(
        assets=assets,
        jobs=[*census_jobs(years), *[j for j in out if not isinstance(j, dg.ScheduleDefinition)]],
        schedules=[s for s in out if isinstance(s, dg.ScheduleDefinition)],
        sensors=[raw_file_sensor, census_automation],
        executor=executor or census_executor(os.environ),
        # The resources read the same settings file the definitions were built from.
        resources={"census_settings": CensusSettings(settings_path=str(path)), "io_manager": TableIOManager(settings_path=str(path)),
                   curated.MULTI_CODE_ENTRIES: TableIOManager(settings_path=str(path), columns=curated.MULTI_CODE_COLUMNS,
                                                              filters=[["rule", "=", MULTI_CODE_RULE]]),
                   corrections.TARGETS: TableIOManager(settings_path=str(path), columns=TARGET_COLUMNS),
                   identity.LINKAGE_COLUMNS: TableIOManager(settings_path=str(path), columns=identity.FIRM_YEAR_COLUMNS)},
    )


defs = build_definitions(load_settings())
