"""Noticing new or changed census files in data/raw/.

The decision is pipeline.freshness's, the same `census run` takes: a year is requested only
when its file, the config or the suites differ from its last good load. So the first tick after
`census run` (or after opening the UI) requests nothing, whatever the sensor's cursor says."""

import dagster as dg

from assets.jobs import CENSUS_LOAD_JOB
from assets.load import RAW
from assets.resources import CensusSettings
from pipeline.freshness import year_states
from pipeline.load import config_fingerprint


@dg.sensor(job_name=CENSUS_LOAD_JOB, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_file_sensor(context: dg.SensorEvaluationContext, census_settings: CensusSettings) -> dg.SensorResult:
    """Requests the load of a year whose file is new or changed (or whose config changed), and
    records the file's sha256 as the data version of raw_census_file."""
    settings = census_settings.load()
    try:
        states = year_states(settings)
    except ValueError as e:  # two files for one year: the analyst has to choose
        return dg.SensorResult(skip_reason=str(e))
    fingerprint = config_fingerprint(settings)
    due = [s for s in states if s.due]
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"{s.year}-{s.sha256[:16]}-{fingerprint}", partition_key=str(s.year),
                                    tags={"census/file": s.path.name, "census/reason": s.reason}) for s in due],
        asset_events=[dg.AssetObservation(RAW, partition=str(s.year), tags={"dagster/data_version": s.sha256}) for s in due],
        skip_reason=None if due else "변경 없음 / every year is loaded and unchanged",
    )


# Dagster's own default_automation_condition_sensor starts STOPPED: under `dagster-daemon` a year
# the raw-file sensor loaded would never reach census.duckdb, the identities or its report until
# someone switched it on in the UI. This one evaluates the same automation conditions (identity,
# databases, reports) and is on from the start.
census_automation = dg.AutomationConditionSensorDefinition(
    "census_automation", target=dg.AssetSelection.all(), default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Refreshes identities, the databases and the reports after a load (the assets' automation conditions).")
