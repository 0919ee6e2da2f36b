"""The analysts' corrections of a year as an edit step of their own, before validation: the
corrections file (data/corrections/<year>.csv) matched to the staged rows by record_id. Its two
small tables say what will change and what cannot be applied; validation applies the edits. The
step reads three columns of the staged rows, so a large year is not handed over twice."""

import dagster as dg

from assets.metadata import managed
from assets.resources import CensusSettings
from pipeline.validation.run import correction_plan

SOURCES = ["staged_firm_year", "staged_quarantine"]
# The input manager that reads only the staged rows' identifying columns (assets/definitions.py).
TARGETS = "correction_targets"


def build(years: dg.PartitionsDefinition, code_version: str) -> list:
    @dg.multi_asset(
        specs=managed([dg.AssetSpec("correction_edit", deps=SOURCES, description="One edit per row and column from data/corrections/<year>.csv, by record_id."),
                       dg.AssetSpec("correction_issue", deps=SOURCES, description="Corrections that cannot be applied (unmatched row, unknown column, bad value), with why.")]),
        ins={"staged_firm_year": dg.AssetIn(input_manager_key=TARGETS), "staged_quarantine": dg.AssetIn()},
        partitions_def=years, group_name="census_load", code_version=code_version, can_subset=False,
    )
    def census_corrections(context: dg.AssetExecutionContext, census_settings: CensusSettings, staged_firm_year,
                           staged_quarantine):
        plan = correction_plan(staged_firm_year, staged_quarantine, int(context.partition_key), census_settings.load())
        yield dg.Output(plan.edits, output_name="correction_edit", metadata={"edits": len(plan.edits)})
        yield dg.Output(plan.issues, output_name="correction_issue", metadata={"not_applied": len(plan.issues)})

    return [census_corrections]
