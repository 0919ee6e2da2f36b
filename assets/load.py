"""A census year from its delivered file to staged rows: the raw file as an observable source
(its data version is the file's sha256) and the staging step with its three tables."""


import dagster as dg

from assets.metadata import managed, preview
from assets.resources import CensusSettings
from pipeline.load import delivery_row, raw_file_for_year, record_failed_load, stage_year_file
from pipeline.read import DeliveryError
from pipeline.read.delivery import file_sha256

RAW = dg.AssetKey("raw_census_file")


def _failure(settings, year: int, error: DeliveryError, sha256: str | None = None) -> dg.Failure:
    record_failed_load(settings, year, error.file, str(error), sha256)
    return dg.Failure(description=str(error), metadata={"file": error.file, "problem_ko": error.message_ko,
                                                       "problem_en": error.message_en}, allow_retries=False)


def build(years: dg.PartitionsDefinition, code_version: str) -> list:
    @dg.observable_source_asset(name="raw_census_file", partitions_def=years, group_name="census_load",
                                description="The contractor's delivery of each census year in data/raw/; its data version is the file's sha256.")
    def raw_census_file(census_settings: CensusSettings) -> dg.DataVersionsByPartition:
        settings = census_settings.load()
        return dg.DataVersionsByPartition({str(y): file_sha256(p) for y, p in settings.raw_files().items()})

    @dg.multi_asset(
        specs=managed([dg.AssetSpec("staged_firm_year", deps=[RAW], description="The delivery's rows cleaned into canonical types (every altered value in staged_change_log)."),
               dg.AssetSpec("staged_quarantine", deps=[RAW], description="Rows that are not a firm at all (total rows, no identifier)."),
               dg.AssetSpec("staged_change_log", deps=[RAW], description="Values changed while cleaning."),
               dg.AssetSpec("staged_delivery", deps=[RAW], description="What the reader found in the file: layout, sheet, rows read, blank rows.")]),
        partitions_def=years, group_name="census_load", code_version=code_version, can_subset=False,
    )
    def census_staging(context: dg.AssetExecutionContext, census_settings: CensusSettings):
        settings = census_settings.load()
        year = int(context.partition_key)
        try:
            staged = stage_year_file(raw_file_for_year(settings, year), year, settings)
        except DeliveryError as e:
            raise _failure(settings, year, e) from None
        yield dg.Output(staged.frame, output_name="staged_firm_year",
                        metadata={"preview": preview(staged.frame, settings), "rows_read": staged.raw_rows})
        yield dg.Output(staged.quarantine, output_name="staged_quarantine")
        yield dg.Output(staged.change_log, output_name="staged_change_log", metadata={"values_changed": len(staged.change_log)})
        yield dg.Output(delivery_row(staged), output_name="staged_delivery",
                        metadata={"file": staged.source_file, "sha256": staged.sha256, "layout": staged.layout,
                                  "format": staged.format, "blank_rows": staged.blank_rows})

    return [raw_census_file, census_staging]
