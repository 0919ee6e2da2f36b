"""The yearly reports and the schedules of the scheduled refreshes."""


import dagster as dg

from assets.automation import REPORT_AFTER_DATA
from assets.jobs import ALL_YEARS_JOB
from assets.resources import CensusSettings
from pipeline.reports.yearly import build_yearly_report
from pipeline.storage import table_years

REPORTS_JOB = "census_reports"

def build(years: dg.PartitionsDefinition) -> list:
    @dg.asset(partitions_def=years, group_name="outputs", kinds={"excel", "html"},
              deps=["census_database", "firm_year"], automation_condition=REPORT_AFTER_DATA)
    def yearly_report(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> dg.MaterializeResult:
        """연도별 기업실태조사 결과: the Excel workbook and the HTML page of a census year, in
        data/curated/reports/<year>/, with every table under disclosure control."""
        files = build_yearly_report(census_settings.load(), int(context.partition_key))
        return dg.MaterializeResult(metadata={
            "excel": dg.MetadataValue.path(str(files.excel)), "html": dg.MetadataValue.path(str(files.html)),
            "public_excel": dg.MetadataValue.path(str(files.public_excel)), "public_html": dg.MetadataValue.path(str(files.public_html)),
            "hidden_firm_share": float(files.hidden_firm_share),
            "tables": files.tables, "suppressed_cells": files.suppressed_cells, "primary_suppressed_cells": files.primary_cells})

    return [yearly_report]


def schedules(config: dict, years: dg.PartitionsDefinition) -> list:
    """The research database and identities once a year (after the census season); every year's
    report once a month (corrections and late deliveries reach them; March is the publication)."""
    tz = config.get("timezone", "Asia/Seoul")
    reports = dg.define_asset_job(REPORTS_JOB, selection=dg.AssetSelection.assets("yearly_report"), partitions_def=years,
                                  description="Write the yearly report of a census year.")

    @dg.schedule(name="yearly_research_database", cron_schedule=config.get("yearly_cron", "0 6 1 3 *"), execution_timezone=tz,
                 job_name=ALL_YEARS_JOB, default_status=dg.DefaultScheduleStatus.RUNNING)
    def yearly_research_database(context: dg.ScheduleEvaluationContext):
        return dg.RunRequest(run_key=f"yearly-{context.scheduled_execution_time:%Y%m%d}")

    @dg.schedule(name="monthly_reports", cron_schedule=config.get("monthly_cron", "0 6 1 * *"), execution_timezone=tz,
                 job=reports, default_status=dg.DefaultScheduleStatus.RUNNING)
    def monthly_reports(context: dg.ScheduleEvaluationContext, census_settings: CensusSettings):
        loaded = table_years(census_settings.load(), "firm_year")
        if not loaded:
            return dg.SkipReason("적재된 조사연도가 없습니다 / no census year loaded yet")
        when = f"{context.scheduled_execution_time:%Y%m%d}"
        return [dg.RunRequest(partition_key=str(y), run_key=f"monthly-{when}-{y}") for y in loaded]

    return [reports, yearly_research_database, monthly_reports]
