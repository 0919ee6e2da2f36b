"""Validated census rows of a year, with one asset check per GX suite (plus the custom rules,
reconciliation and corrections). The checks are declared on the asset and evaluated in the same
step, so a million-row year is not reloaded once per check; the blocking ones stop
classification and firm_year when too many rows fail (pipeline/validation/bridge.py)."""

import json

import dagster as dg

from assets.partitions import census_year_partitions
from assets.resources import CensusSettings
from pipeline.settings import load_settings
from pipeline.stage import StagedYear
from pipeline.validation import ValidatedYear, ValidationConfigError, reconcile, validate_year
from pipeline.validation.bridge import (
    CheckVerdict,
    corrections_verdict,
    reconciliation_verdict,
    suite_verdict,
)
from pipeline.validation.report import format_summary, write_validation_report
from pipeline.validation.run import CUSTOM_RULES

ASSET = "validated_census_rows"


def _check_names() -> list[tuple[str, bool, str]]:
    # Check specs are fixed when the definitions load: the suites named by the agency root the
    # code location starts with (CENSUS_ROOT / CENSUS_SETTINGS).
    suites = load_settings().validation.suites
    return [
        (suites["staged"], True, f"GX suite expectations/{suites['staged']}.json on the staged rows"),
        (CUSTOM_RULES, True, "Identifier checksums, KSIC revision, tolerances and duplicates (config/validation.yaml)"),
        (suites["curated"], True, f"GX suite expectations/{suites['curated']}.json on the curated rows"),
        ("reconciliation", True, "Raw rows = curated + quarantined rows"),
        ("corrections", False, "Every row of data/corrections/<year>.csv was applied"),
    ]


def _to_result(verdict: CheckVerdict) -> dg.AssetCheckResult:
    metadata = {}
    for key, value in verdict.metadata.items():
        if isinstance(value, (dict, list)):
            metadata[key] = dg.MetadataValue.json(json.loads(json.dumps(value, default=str)))
        else:
            metadata[key] = value
    return dg.AssetCheckResult(
        check_name=verdict.name,
        passed=verdict.passed,
        severity=dg.AssetCheckSeverity.ERROR if verdict.blocking else dg.AssetCheckSeverity.WARN,
        description=verdict.description,
        metadata=metadata,
    )


@dg.asset(
    partitions_def=census_year_partitions,
    group_name="census_load",
    kinds={"pandas", "great_expectations"},
    check_specs=[dg.AssetCheckSpec(name, asset=ASSET, blocking=blocking, description=desc) for name, blocking, desc in _check_names()],
)
def validated_census_rows(context: dg.AssetExecutionContext, census_settings: CensusSettings, staged_census_rows: StagedYear):
    """Corrections applied, GX suites and identifier/content rules run: rows failing an error rule
    go to quarantine, warnings to validation_flag; the analyst's report is written."""
    settings = census_settings.load()
    config = settings.validation
    try:
        validated: ValidatedYear = validate_year(staged_census_rows, settings, config=config)
    except ValidationConfigError as e:  # a broken suite or rule file: stop with its own message
        raise dg.Failure(description=str(e), allow_retries=False) from None
    rec = reconcile(staged_census_rows, validated)
    paths = write_validation_report(validated, settings, rec)
    context.log.info(format_summary(validated, rec))
    s = validated.summary
    yield dg.Output(validated, metadata={
        "rows_curated": s["curated_rows"], "rows_quarantined": s["quarantined_rows"], "rows_flagged": s["flagged_rows"],
        "corrections_applied": s["corrections_applied"], "report_html": dg.MetadataValue.path(str(paths["html"])),
        "report_xlsx": dg.MetadataValue.path(str(paths["xlsx"])), "dagster/row_count": s["curated_rows"],
    })
    share = float(config.threshold("blocking_error_share"))
    for outcome in validated.outcomes.values():
        yield _to_result(suite_verdict(outcome, share))
    yield _to_result(reconciliation_verdict(rec))
    yield _to_result(corrections_verdict(validated))


defs = dg.Definitions(assets=[validated_census_rows])
