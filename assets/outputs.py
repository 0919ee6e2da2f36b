"""Outputs: the de-identified research database and the yearly reports, their jobs, the
schedules and the refresh after every successful load."""

import dagster as dg

from assets.jobs import CENSUS_LOAD_JOB
from assets.partitions import census_year_partitions
from assets.resources import CensusSettings
from pipeline.reports.yearly import build_yearly_report
from pipeline.research.build import build_research_database
from pipeline.settings import load_settings

RESEARCH_JOB = "census_research"
REPORTS_JOB = "census_reports"
ALL_YEARS = dg.AssetDep("firm_year", partition_mapping=dg.AllPartitionMapping())


@dg.asset(group_name="outputs", kinds={"duckdb"}, deps=[ALL_YEARS, "firm_identity"])
def research_database(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> dg.MaterializeResult:
    """data/curated/research.duckdb: de-identified tables (keyed pseudonyms, no personal or
    identifying columns) and the documented views, for researchers to open read-only."""
    result = build_research_database(census_settings.load())
    dropped = {t: len(c) for t, c in result.dropped.items()}
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(result.path)),
        "tables": dg.MetadataValue.json(result.tables),
        "columns_left_out": dg.MetadataValue.json(dropped),
    })


@dg.asset(group_name="outputs", kinds={"excel", "html"}, partitions_def=census_year_partitions,
          deps=["firm_year", "supplier_tier"])
def yearly_report(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> dg.MaterializeResult:
    """연도별 기업실태조사 결과: the Excel workbook and the HTML page of a census year, in
    data/curated/reports/<year>/, with every table under disclosure control."""
    files = build_yearly_report(census_settings.load(), int(context.partition_key))
    return dg.MaterializeResult(metadata={
        "excel": dg.MetadataValue.path(str(files.excel)),
        "html": dg.MetadataValue.path(str(files.html)),
        "tables": files.tables,
        "suppressed_cells": files.suppressed_cells,
        "primary_suppressed_cells": files.primary_cells,
    })


# The firm identities come first: the research database and the reports' entries and exits
# are only as current as they are.
research_job = dg.define_asset_job(
    RESEARCH_JOB, selection=dg.AssetSelection.assets("firm_identity", research_database),
    description="Rebuild the firm identities and the de-identified research database.")
reports_job = dg.define_asset_job(REPORTS_JOB, selection=[yearly_report], partitions_def=census_year_partitions,
                                  description="Write the yearly report of a census year.")


def _schedule_config() -> dict:
    # Schedules are fixed when the definitions load: the agency root the code location starts
    # with (CENSUS_ROOT / CENSUS_SETTINGS), defaults filled in by the reports model.
    return load_settings().reports.schedule.model_dump()


def _schedules(config: dict) -> list:
    """A schedule runs one job: the research database once a year (after the census season);
    every year's report once a month (so corrections and late deliveries reach them; the March
    run is the yearly publication)."""
    tz = config.get("timezone", "Asia/Seoul")

    @dg.schedule(name="yearly_research_database", cron_schedule=config.get("yearly_cron", "0 6 1 3 *"),
                 execution_timezone=tz, job=research_job, default_status=dg.DefaultScheduleStatus.RUNNING)
    def yearly_research_database(context: dg.ScheduleEvaluationContext):
        return dg.RunRequest(run_key=f"yearly-{context.scheduled_execution_time:%Y%m%d}")

    @dg.schedule(name="monthly_reports", cron_schedule=config.get("monthly_cron", "0 6 1 * *"), execution_timezone=tz,
                 job=reports_job, default_status=dg.DefaultScheduleStatus.RUNNING)
    def monthly_reports(context: dg.ScheduleEvaluationContext):
        years = sorted(context.instance.get_dynamic_partitions(census_year_partitions.name))
        if not years:
            return dg.SkipReason("적재된 조사연도가 없습니다 / no census year loaded yet")
        when = f"{context.scheduled_execution_time:%Y%m%d}"
        return [dg.RunRequest(partition_key=y, run_key=f"monthly-{when}-{y}") for y in years]

    return [yearly_research_database, monthly_reports]


SCHEDULE_CONFIG = _schedule_config()
SCHEDULES = _schedules(SCHEDULE_CONFIG)
monthly_reports_schedule = next(s for s in SCHEDULES if s.name == "monthly_reports")


REFRESH_YEAR_TAG = "census/refresh_year"


def requests_after_load(job_name: str, run_id: str, tags: dict, enabled: bool) -> list[dg.RunRequest] | dg.SkipReason:
    """What a successful run asks for next. A census load: the identities and research
    database (tagged with the year); that run, once done: the year's report, which then sees
    the new identities. Nothing after any other run."""
    if not enabled:
        return dg.SkipReason("schedule.refresh_after_load is off in config/reports.yaml")
    if job_name == CENSUS_LOAD_JOB:
        year = tags.get("dagster/partition", "")
        return [dg.RunRequest(job_name=RESEARCH_JOB, run_key=f"after-{run_id}", tags={REFRESH_YEAR_TAG: year} if year else {})]
    if job_name == RESEARCH_JOB and tags.get(REFRESH_YEAR_TAG):
        year = tags[REFRESH_YEAR_TAG]
        return [dg.RunRequest(job_name=REPORTS_JOB, partition_key=year, run_key=f"after-{run_id}")]
    return dg.SkipReason(f"{job_name}: nothing to refresh after it")


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, name="outputs_after_load",
                      request_jobs=[research_job, reports_job], default_status=dg.DefaultSensorStatus.RUNNING)
def outputs_after_load(context: dg.RunStatusSensorContext):
    """After a census year loads (the raw-file sensor's runs): identities and research database,
    then the year's report."""
    run = context.dagster_run
    return requests_after_load(run.job_name, run.run_id, dict(run.tags), SCHEDULE_CONFIG.get("refresh_after_load", True))


defs = dg.Definitions(
    assets=[research_database, yearly_report],
    jobs=[research_job, reports_job],
    schedules=SCHEDULES,
    sensors=[outputs_after_load],
)
