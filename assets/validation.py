"""Validation of a staged year: GX suites and the identifier/content rules decide which rows are
quarantined and which are flagged; the checks are declared on the step and evaluated in it, so a
million-row year is not read once per check; the blocking ones stop classification when too many
rows fail (pipeline/validation/bridge.py)."""


import json

import dagster as dg

from assets.metadata import managed
from assets.resources import CensusSettings
from pipeline.load import staged_from_tables
from pipeline.settings import load_settings
from pipeline.validation import ValidationConfigError, reconcile, validate_year
from pipeline.validation.bridge import (
    CheckVerdict,
    corrections_verdict,
    reconciliation_verdict,
    suite_verdict,
    verdict_thresholds,
)
from pipeline.validation.corrections import CorrectionPlan
from pipeline.validation.report import format_summary, write_validation_report
from pipeline.validation.run import CUSTOM_RULES

ASSET = "validated_firm_year"
STAGED = ["staged_firm_year", "staged_quarantine", "staged_change_log", "staged_delivery", "correction_edit", "correction_issue"]


def _check_specs() -> list[dg.AssetCheckSpec]:
    # Check specs are fixed when the definitions load: the suites named by the agency root the
    # code location starts with (CENSUS_ROOT / CENSUS_SETTINGS).
    suites = load_settings().validation.suites
    checks = [
        (suites["staged"], True, f"GX suite expectations/{suites['staged']}.json on the staged rows"),
        (CUSTOM_RULES, True, "Identifier checksums, KSIC revision, tolerances and duplicates (config/validation.yaml)"),
        (suites["curated"], True, f"GX suite expectations/{suites['curated']}.json on the curated rows"),
        ("reconciliation", True, "Raw rows = curated + quarantined rows"),
        ("corrections", False, "Every row of data/corrections/<year>.csv was applied"),
    ]
    return [dg.AssetCheckSpec(name, asset=ASSET, blocking=blocking, description=desc) for name, blocking, desc in checks]


def _to_result(verdict: CheckVerdict, year: int) -> dg.AssetCheckResult:
    metadata = {"census_year": year}
    for key, value in verdict.metadata.items():
        metadata[key] = dg.MetadataValue.json(json.loads(json.dumps(value, default=str))) if isinstance(value, (dict, list)) else value
    return dg.AssetCheckResult(check_name=verdict.name, asset_key=ASSET, passed=verdict.passed, description=verdict.description,
                               severity=dg.AssetCheckSeverity.ERROR if verdict.blocking else dg.AssetCheckSeverity.WARN,
                               metadata=metadata)


def build(years: dg.PartitionsDefinition, code_version: str) -> list:
    @dg.multi_asset(
        specs=managed([dg.AssetSpec(ASSET, deps=STAGED, description="The year's rows that passed validation (corrections applied), before classification."),
               dg.AssetSpec("firm_revenue", deps=STAGED, description="Revenue per business number of the validated rows: the next years' size-class history."),
               dg.AssetSpec("quarantine", deps=STAGED, description="Why raw rows with errors were not loaded (one row per failure)."),
               dg.AssetSpec("validation_flag", deps=STAGED, description="Warnings of rows that stay curated."),
               dg.AssetSpec("change_log", deps=STAGED, description="Every value the pipeline changed: cleaning and corrections.")]),
        ins={"staged_firm_year": dg.AssetIn(), "staged_quarantine": dg.AssetIn(), "staged_change_log": dg.AssetIn(),
             "staged_delivery": dg.AssetIn(), "correction_edit": dg.AssetIn(), "correction_issue": dg.AssetIn()},
        check_specs=_check_specs(), partitions_def=years, group_name="census_load", code_version=code_version,
        can_subset=False,
    )
    def census_validation(context: dg.AssetExecutionContext, census_settings: CensusSettings, staged_firm_year,
                          staged_quarantine, staged_change_log, staged_delivery, correction_edit, correction_issue):
        """The edit step's corrections applied, GX suites and identifier/content rules run: rows
        failing an error rule go to quarantine, warnings to validation_flag; the analyst's report
        is written."""
        settings = census_settings.load()
        year = int(context.partition_key)
        staged = staged_from_tables(staged_firm_year, staged_quarantine, staged_change_log, staged_delivery)
        config = settings.validation
        try:
            validated = validate_year(staged, settings, config=config, corrections=CorrectionPlan(correction_edit, correction_issue))
        except ValidationConfigError as e:  # a broken suite or rule file: stop with its own message
            raise dg.Failure(description=str(e), allow_retries=False) from None
        rec = reconcile(staged, validated)
        paths = write_validation_report(validated, settings, rec)
        context.log.info(format_summary(validated, rec))
        s = validated.summary
        yield dg.Output(validated.frame, output_name=ASSET, metadata={
            "rows_curated": s["curated_rows"], "rows_quarantined": s["quarantined_rows"], "rows_flagged": s["flagged_rows"],
            "corrections_applied": s["corrections_applied"], "report_html": dg.MetadataValue.path(str(paths["html"])),
            "report_xlsx": dg.MetadataValue.path(str(paths["xlsx"]))})
        yield dg.Output(validated.frame[["census_year", "brn", "revenue_mil_krw"]].dropna(subset=["brn"]), output_name="firm_revenue")
        yield dg.Output(validated.quarantine, output_name="quarantine")
        yield dg.Output(validated.flags, output_name="validation_flag")
        yield dg.Output(validated.change_log, output_name="change_log")
        # A check passes while the error share stays at or under pass_error_share (the rows are
        # quarantined all the same), warns up to blocking_error_share, and blocks above it.
        limits = verdict_thresholds(config)
        for outcome in validated.outcomes.values():
            yield _to_result(suite_verdict(outcome, limits.blocking_error_share, pass_error_share=limits.pass_error_share,
                                           year=year), year)
        yield _to_result(reconciliation_verdict(rec, year=year), year)
        yield _to_result(corrections_verdict(validated, year=year), year)

    return [census_validation]
