"""Classification assets: the KSIC reference tables and the classified firm-years of a census year.

The lead's firm_year asset writes classified_firm_year; this module writes only the reference
tables (ksic, ksic_concordance, industrial_complex)."""

import dagster as dg
import pandas as pd

from assets.partitions import census_year_partitions
from assets.resources import CensusSettings
from pipeline.classify import classify_firm_years
from pipeline.classify.complexes import complex_catalogue
from pipeline.classify.summary import unclassified, unclassified_share, value_counts
from pipeline.ksic.reference import load_reference
from pipeline.storage import write_table
from pipeline.yearly import revenue_history


@dg.asset(group_name="classification", kinds={"duckdb", "parquet"}, pool="census_duckdb")
def ksic_reference(census_settings: CensusSettings) -> dg.MaterializeResult:
    """KSIC codes of every configured revision (`ksic`), the official 연계표 (`ksic_concordance`) and
    the KICOX complex list with canonical names (`industrial_complex`), imported from the files
    named in config/settings.yaml and validated before they are written."""
    settings = census_settings.load()
    ref = load_reference(settings)
    kicox = settings.classification.kicox_complexes
    complexes, _, _ = complex_catalogue(settings.reference_dir / kicox.file, kicox.sheet,
                                        settings.config_path("classification/complexes.yaml"))
    write_table(settings, "ksic", ref.ksic)
    write_table(settings, "ksic_concordance", ref.concordance)
    write_table(settings, "industrial_complex", complexes)
    per_level = {f"{r}/{lv}": int(n) for (r, lv), n in ref.ksic.groupby(["revision", "level"]).size().items()}
    relations = {f"{a}->{b} {rel}": int(n) for (a, b, rel), n in ref.concordance.groupby(["from_revision", "to_revision", "relation"]).size().items()}
    return dg.MaterializeResult(metadata={"codes_per_level": dg.MetadataValue.json(per_level),
                                          "concordance_relations": dg.MetadataValue.json(relations),
                                          "complexes": len(complexes), "dagster/row_count": len(ref.ksic)})


@dg.asset(
    partitions_def=census_year_partitions, group_name="classification", deps=[ksic_reference],
    check_specs=[
        dg.AssetCheckSpec("every_firm_has_section", asset="classified_firm_year",
                          description="Every firm-year has a KSIC section (11th revision); failures list the rows"),
        dg.AssetCheckSpec("unclassified_share_below_threshold", asset="classified_firm_year", blocking=True,
                          description="Share of firm-years without a KSIC section is below classification.max_unclassified_share"),
    ],
)
def classified_firm_year(
    context: dg.AssetExecutionContext, census_settings: CensusSettings, validated_census_rows
):  # returns MaterializeResult(value=DataFrame); an annotation would make Dagster type the check outputs
    """The curated rows of the year with KSIC sector (reported and converted codes, hierarchy),
    thematic industries, firm size and industrial complex appended."""
    settings = census_settings.load()
    year = int(context.partition_key)
    frame = validated_census_rows.frame
    classified = classify_firm_years(frame, settings, history=revenue_history(settings, year))
    target = settings.ksic.target_revision
    section = f"ksic{target}_section"
    missing = unclassified(classified, section)
    share = unclassified_share(classified, section)
    limit = settings.classification.max_unclassified_share
    return dg.MaterializeResult(
        value=classified,
        metadata={
            "dagster/row_count": len(classified),
            "per_section": dg.MetadataValue.json(value_counts(classified[section])),
            "per_size_class": dg.MetadataValue.json(value_counts(classified["size_class"])),
            "per_complex": dg.MetadataValue.json(value_counts(classified["complex_name"])),
            "complex_source": dg.MetadataValue.json(value_counts(classified["complex_source"])),
            "ksic_conversion": dg.MetadataValue.json(value_counts(classified[f"ksic{target}_relation"])),
            "revenue_basis": dg.MetadataValue.json(value_counts(classified["revenue_basis"])),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="every_firm_has_section", passed=missing.empty, severity=dg.AssetCheckSeverity.WARN,
                metadata={"rows_without_section": len(missing), "reasons": dg.MetadataValue.json(value_counts(missing.get("ksic_issue", pd.Series(dtype=str)))),
                          "sample": dg.MetadataValue.json(missing.head(20).astype(str).to_dict("records"))},
            ),
            dg.AssetCheckResult(
                check_name="unclassified_share_below_threshold", passed=share <= limit,
                metadata={"unclassified_share": round(share, 4), "threshold": limit},
            ),
        ],
    )


defs = dg.Definitions(assets=[ksic_reference, classified_firm_year])
