"""Yearly load: raw file -> staged rows -> curated firm_year."""

import dagster as dg

from assets.metadata import preview
from assets.partitions import census_year_partitions
from assets.resources import CensusSettings
from pipeline.load import append_load_log, raw_file_for_year, read_year_file
from pipeline.read import DeliveryError, RawTable
from pipeline.stage import StagedYear, stage


def _fail(settings, year: int, error: DeliveryError, sha256: str | None = None) -> dg.Failure:
    append_load_log(settings, census_year=year, source_file=error.file, sha256=sha256, status="failed", message=str(error))
    return dg.Failure(description=str(error), metadata={"file": error.file, "problem_ko": error.message_ko, "problem_en": error.message_en}, allow_retries=False)


@dg.asset(partitions_def=census_year_partitions, group_name="census_load", kinds={"excel"})
def raw_census_file(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> RawTable:
    """The contractor's delivery for the year, read and mapped to canonical columns (as text)."""
    settings = census_settings.load()
    year = int(context.partition_key)
    try:
        path = raw_file_for_year(settings, year)
        raw = read_year_file(path, settings)
    except DeliveryError as e:
        raise _fail(settings, year, e) from None
    context.add_output_metadata({
        "file": raw.path.name, "sha256": raw.sha256, "format": raw.format, "sheet": raw.sheet,
        "layout": raw.layout.name, "layout_match": float(round(raw.match.score, 3)),
        "header_rows": str(raw.header_row_numbers), "rows_read": len(raw.cells), "blank_rows": raw.blank_rows,
        "ignored_columns": ", ".join(raw.ignored_headers) or "-",
    })
    return raw


@dg.asset(partitions_def=census_year_partitions, group_name="census_load", kinds={"pandas"})
def staged_census_rows(context: dg.AssetExecutionContext, census_settings: CensusSettings, raw_census_file: RawTable) -> StagedYear:
    """Rows cleaned into canonical types; every altered value is in the change log; rows that
    are not a firm at all (total rows, no identifier) are quarantined."""
    settings = census_settings.load()
    year = int(context.partition_key)
    revision = raw_census_file.layout.ksic_revision or settings.ksic_revision_for_year(year)
    try:
        staged = stage(raw_census_file, year, revision, settings.columns_path)
    except DeliveryError as e:
        raise _fail(settings, year, e, raw_census_file.sha256) from None
    context.add_output_metadata({
        "rows_read": staged.raw_rows, "rows_staged": len(staged.frame), "rows_quarantined": staged.quarantined_rows,
        "values_changed": len(staged.change_log), "ksic_revision": revision, "preview": preview(staged.frame, settings),
    })
    return staged
