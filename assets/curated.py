"""The curated year: firm_year and its accounting tables, written as one atomic replacement."""

import dagster as dg
import pandas as pd

from assets.metadata import counts, preview
from assets.partitions import census_year_partitions
from assets.resources import CensusSettings
from pipeline.curate import curated_tables, reconcile_counts
from pipeline.load import append_load_log, is_unchanged
from pipeline.stage import StagedYear
from pipeline.storage import write_year
from pipeline.validation import ValidatedYear


@dg.asset(partitions_def=census_year_partitions, group_name="census_load", kinds={"duckdb", "parquet"}, pool="census_duckdb")
def firm_year(
    context: dg.AssetExecutionContext,
    census_settings: CensusSettings,
    staged_census_rows: StagedYear,
    validated_census_rows: ValidatedYear,
    classified_firm_year: pd.DataFrame,
) -> dg.MaterializeResult:
    """One row per firm and census year, validated and classified: the curated table researchers
    query. Written together with the year's quarantine, validation_flag and change_log."""
    settings = census_settings.load()
    staged = staged_census_rows
    year = staged.year
    if is_unchanged(settings, year, staged.sha256):
        context.log.info(f"{staged.source_file}: unchanged since the last good load; nothing written")
        return dg.MaterializeResult(metadata={"status": "unchanged", "sha256": staged.sha256})
    v = validated_census_rows
    tables = curated_tables(classified_firm_year, v.quarantine, v.flags, v.change_log)
    check = reconcile_counts(staged.raw_rows, tables)
    if not check["balanced"]:
        # Never publish a year that lost rows: the previous good state stays in place.
        raise dg.Failure(description=f"{staged.source_file}: 행 수가 맞지 않습니다 / row counts do not reconcile: {check}", allow_retries=False)
    write_year(settings, year, tables)
    append_load_log(
        settings, census_year=year, source_file=staged.source_file, sha256=staged.sha256, layout=staged.layout,
        status="loaded", message="", rows_read=staged.raw_rows, rows_curated=check["curated"],
        rows_quarantined=check["quarantined"], blank_rows=staged.blank_rows,
    )
    fy = tables["firm_year"]
    return dg.MaterializeResult(metadata={
        "status": "loaded", "file": staged.source_file, "sha256": staged.sha256, "layout": staged.layout,
        "rows_read": check["raw"], "rows_curated": check["curated"], "rows_quarantined": check["quarantined"],
        "rows_flagged": int(v.flags["record_id"].nunique()) if len(v.flags) else 0,
        "quarantine_rules": counts(tables["quarantine"]["rule"]) if len(tables["quarantine"]) else dg.MetadataValue.json({}),
        "preview": preview(fy, settings), "dagster/row_count": len(fy),
    })
