"""The curated year: the validated rows classified into firm_year, and the year's load_log row.

The size class of year Y averages revenue over Y-2 .. Y, so this step declares the validated rows
of the two previous years as an input: loading 2023 after 2024 marks 2024 stale, and its rerun
gives the same firm_year as loading the years in order."""


import dagster as dg
import pandas as pd

from assets.automation import LOADED_YEAR_AFTER_INPUTS
from assets.metadata import counts, managed, preview
from assets.partitions import PREVIOUS_TWO_YEARS
from assets.resources import CensusSettings
from pipeline.classify import classify_year
from pipeline.classify.ksic_source import review_path, write_review_file
from pipeline.classify.summary import unclassified, unclassified_message, unclassified_share, value_counts
from pipeline.curate import reconcile_counts
from pipeline.load import last_good_load, load_log_row, with_history

HISTORY_COLUMNS = ["census_year", "brn", "revenue_mil_krw"]
# Of the year's change log (millions of rows at a million firms) classification needs only the
# cells that listed several KSIC codes: read through an input manager that reads just those.
MULTI_CODE_ENTRIES = "multi_code_entries"
MULTI_CODE_COLUMNS = ["census_year", "record_id", "column", "old_value", "rule"]
DEPS = ["validated_firm_year", dg.AssetDep("firm_revenue", partition_mapping=PREVIOUS_TWO_YEARS), "quarantine",
        "validation_flag", "change_log", "staged_delivery", "ksic"]


def _checks() -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec("every_firm_has_section", asset="firm_year",
                          description="Every firm-year has a KSIC section (target revision); failures list the rows"),
        dg.AssetCheckSpec("unclassified_share_below_threshold", asset="firm_year", blocking=True,
                          description="Share of firm-years without a KSIC section is below classification.max_unclassified_share"),
        dg.AssetCheckSpec("rows_reconcile", asset="firm_year", blocking=True,
                          description="Raw rows = curated + quarantined rows, no row in both"),
    ]


def build(years: dg.PartitionsDefinition, code_version: str) -> list:
    @dg.multi_asset(
        specs=managed([dg.AssetSpec("firm_year", automation_condition=LOADED_YEAR_AFTER_INPUTS, deps=DEPS, description="One row per firm and census year, validated and classified: the table researchers query."),
               dg.AssetSpec("firm_year_ksic_secondary", automation_condition=LOADED_YEAR_AFTER_INPUTS, deps=DEPS, description="The other KSIC codes of a cell that listed several, each converted to the target revision."),
               dg.AssetSpec("load_log", automation_condition=LOADED_YEAR_AFTER_INPUTS, deps=DEPS, description="Every load of the year's file: counts, file hash, layout, config fingerprint.")]),
        ins={"validated_firm_year": dg.AssetIn(),
             "revenue_history": dg.AssetIn("firm_revenue"),
             "quarantine": dg.AssetIn(), "validation_flag": dg.AssetIn(), "change_log": dg.AssetIn(input_manager_key=MULTI_CODE_ENTRIES), "staged_delivery": dg.AssetIn(),
             "ksic": dg.AssetIn()},
        check_specs=_checks(), partitions_def=years, group_name="census_load", code_version=code_version,
        can_subset=False,
    )
    def census_year(context: dg.AssetExecutionContext, census_settings: CensusSettings, validated_firm_year: pd.DataFrame,
                    revenue_history: pd.DataFrame, quarantine: pd.DataFrame, validation_flag: pd.DataFrame,
                    change_log: pd.DataFrame, staged_delivery: pd.DataFrame, ksic: pd.DataFrame):
        """KSIC sector (reported and converted codes, hierarchy), thematic industries, firm size
        (3-year average revenue from the declared history) and industrial complex."""
        settings = census_settings.load()
        year = int(context.partition_key)
        history = revenue_history[HISTORY_COLUMNS] if len(revenue_history) else None
        year_classified = classify_year(validated_firm_year, settings, history=history, change_log=change_log)
        classified = year_classified.firm_year
        # Written before the load_log row: the review file is part of the corrections the config
        # fingerprint covers, and an unchanged list is not rewritten (the year stays fresh).
        review_file = write_review_file(review_path(settings.corrections_dir, year), year_classified.review)
        delivery = staged_delivery.iloc[0]
        rec = reconcile_counts(int(delivery["rows_read"]), {"firm_year": classified, "quarantine": quarantine})
        flagged = int(validation_flag["record_id"].nunique()) if len(validation_flag) else 0
        previous = last_good_load(settings, year)
        status = "reclassified" if previous is not None and previous["sha256"] == delivery["sha256"] else "loaded"
        log = load_log_row(settings, year, status, source_file=delivery["source_file"], sha256=delivery["sha256"],
                           layout=delivery["layout"], rows_read=rec["raw"], rows_curated=rec["curated"],
                           rows_quarantined=rec["quarantined"], rows_flagged=flagged, blank_rows=int(delivery["blank_rows"]))
        missing = unclassified(classified, "ksic_section")
        share = unclassified_share(classified, "ksic_section")
        limit = settings.classification.max_unclassified_share
        if not rec["balanced"]:
            # Never publish a year that lost rows: the step fails and the previous good state stays.
            raise dg.Failure(description=f"{delivery['source_file']}: 행 수가 맞지 않습니다 / row counts do not reconcile: {rec}",
                             allow_retries=False)
        yield dg.Output(classified, output_name="firm_year", metadata={
            "status": status, "file": str(delivery["source_file"]), "sha256": str(delivery["sha256"]),
            "rows_read": rec["raw"], "rows_curated": rec["curated"], "rows_quarantined": rec["quarantined"], "rows_flagged": flagged,
            "history_years": dg.MetadataValue.json(sorted(int(y) for y in revenue_history["census_year"].dropna().unique()) if len(revenue_history) else []),
            "quarantine_rules": counts(quarantine["rule"]) if len(quarantine) else dg.MetadataValue.json({}),
            "per_section": dg.MetadataValue.json(value_counts(classified["ksic_section"])),
            "per_size_class": dg.MetadataValue.json(value_counts(classified["size_class"])),
            "per_complex": dg.MetadataValue.json(value_counts(classified["complex_name"])),
            "ksic_conversion": dg.MetadataValue.json(value_counts(classified["ksic_target_relation"])),
            "ksic_code_source": dg.MetadataValue.json(value_counts(classified["ksic_code_source"])),
            "ksic_review_rows": len(year_classified.review), "ksic_review_file": str(review_file or ""),
            "ksic_review_issues": len(year_classified.review_issues),
            "revenue_basis": dg.MetadataValue.json(value_counts(classified["revenue_basis"])),
            "preview": preview(classified, settings)})
        yield dg.Output(year_classified.secondary.assign(census_year=year), output_name="firm_year_ksic_secondary",
                        metadata={"rows": len(year_classified.secondary)})
        yield dg.Output(with_history(settings, year, log), output_name="load_log")
        yield dg.AssetCheckResult(
            check_name="every_firm_has_section", asset_key="firm_year", passed=missing.empty, severity=dg.AssetCheckSeverity.WARN,
            metadata={"census_year": year, "rows_without_section": len(missing),
                      "reasons": dg.MetadataValue.json(value_counts(missing.get("ksic_issue", pd.Series(dtype=str)))),
                      "sample_record_ids": dg.MetadataValue.json(missing["record_id"].head(20).tolist())})
        yield dg.AssetCheckResult(check_name="unclassified_share_below_threshold", asset_key="firm_year", passed=share <= limit,
                                  description=unclassified_message(share, limit),
                                  metadata={"census_year": year, "unclassified_share": round(share, 4), "threshold": limit})
        yield dg.AssetCheckResult(check_name="rows_reconcile", asset_key="firm_year", passed=bool(rec["balanced"]),
                                  metadata={"census_year": year, **{k: (int(v) if not isinstance(v, bool) else v) for k, v in rec.items()}})

    return [census_year]
