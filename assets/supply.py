"""Supply links and supplier tiers per census year, and firm identities across years."""

import dagster as dg
import pandas as pd

from assets.partitions import census_year_partitions
from assets.resources import CensusSettings
from pipeline.identity.checks import firms_with_two_brns
from pipeline.identity.firms import firm_identity as link_firms
from pipeline.identity.reviews import load_reviews
from pipeline.storage import read_table, table_years, write_table, write_year
from pipeline.supply.links import supply_links
from pipeline.supply.setup import supply_setup
from pipeline.supply.summary import resolved_share, tier_coverage, tier_distribution, unresolved_reasons
from pipeline.supply.tiers import supplier_tiers


def _curated_year(settings, context: dg.AssetExecutionContext) -> tuple[int, pd.DataFrame]:
    year = int(context.partition_key)
    firm_year = read_table(settings, "firm_year", year)
    if firm_year.empty:
        raise dg.Failure(description=f"{year}: firm_year가 없습니다 / no curated firm_year for this year", allow_retries=False)
    return year, firm_year


@dg.asset(
    partitions_def=census_year_partitions, group_name="supply", kinds={"duckdb", "parquet"}, pool="census_duckdb",
    deps=["firm_year"],
    check_specs=[dg.AssetCheckSpec("customers_resolved", asset="supply_link",
                                   description="Share of named customers resolved to a census firm, OEM or registry supplier")],
)
def supply_link(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> dg.MaterializeResult:
    """One row per firm-year and named customer, resolved to an OEM, a registry supplier or a
    census firm of the same year (exact, alias or fuzzy), or unresolved with a reason."""
    settings = census_settings.load()
    year, firm_year = _curated_year(settings, context)
    setup = supply_setup(settings)
    cfg = setup.linkage
    links = supply_links(firm_year, setup.registry, cfg["supply"], setup.rules)
    write_year(settings, year, {"supply_link": links})
    share = resolved_share(links)
    minimum = float(cfg.get("checks", {}).get("min_resolved_share", 0.6))
    methods = {str(k): int(v) for k, v in links["match_method"].value_counts().items()}
    return dg.MaterializeResult(
        metadata={"dagster/row_count": len(links), "resolved_share": round(share, 4),
                  "match_methods": dg.MetadataValue.json(methods),
                  "unresolved_reasons": dg.MetadataValue.json(unresolved_reasons(links))},
        check_results=[dg.AssetCheckResult(
            check_name="customers_resolved", passed=share >= minimum, severity=dg.AssetCheckSeverity.WARN,
            metadata={"resolved_share": round(share, 4), "minimum": minimum, "customers": len(links)},
        )],
    )


@dg.asset(
    partitions_def=census_year_partitions, group_name="supply", kinds={"duckdb", "parquet"}, pool="census_duckdb",
    deps=["firm_year", supply_link],
    check_specs=[dg.AssetCheckSpec("tier_coverage", asset="supplier_tier",
                                   description="Share of firm-years with a final tier (inferred or reported)")],
)
def supplier_tier(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> dg.MaterializeResult:
    """Per firm-year: inferred tier per chain, main chain by share, self-reported tier, final
    tier and its source, and a conflict flag."""
    settings = census_settings.load()
    year, firm_year = _curated_year(settings, context)
    links = read_table(settings, "supply_link", year)
    setup = supply_setup(settings)
    chains = setup.chains
    tiers = supplier_tiers(firm_year, links, chains, setup.tier_values)
    write_year(settings, year, {"supplier_tier": tiers})
    coverage = tier_coverage(tiers)
    minimum = float(setup.linkage.get("checks", {}).get("min_tier_coverage", 0.5))
    return dg.MaterializeResult(
        metadata={"dagster/row_count": len(tiers),
                  "tier_distribution": dg.MetadataValue.json(tier_distribution(tiers, chains)),
                  "tier_source": dg.MetadataValue.json({str(k): int(v) for k, v in tiers["tier_source"].value_counts().items()}),
                  "conflicts": int(tiers["tier_conflict"].sum())},
        check_results=[dg.AssetCheckResult(
            check_name="tier_coverage", passed=coverage >= minimum, severity=dg.AssetCheckSeverity.WARN,
            metadata={"coverage": round(coverage, 4), "minimum": minimum},
        )],
    )


@dg.asset(
    group_name="supply", kinds={"duckdb", "parquet"}, pool="census_duckdb",
    deps=[dg.AssetDep("firm_year", partition_mapping=dg.AllPartitionMapping())],
    check_specs=[dg.AssetCheckSpec("one_brn_per_firm", asset="firm_identity", blocking=True,
                                   description="No firm_id points at two different valid 사업자등록번호")],
)
def firm_identity(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> dg.MaterializeResult:
    """One firm_id per firm across all loaded census years: tables `firm`,
    `firm_year_identity` (record_id -> firm_id, method, score) and `identity_review` (uncertain
    links for an analyst, decided in config/identity_reviews.csv)."""
    settings = census_settings.load()
    years = table_years(settings, "firm_year")
    firm_year = read_table(settings, "firm_year")
    setup = supply_setup(settings)
    out = link_firms(firm_year, setup.linkage["identity"], load_reviews(setup.reviews_path), setup.rules, setup.sido_of)
    conflicts = firms_with_two_brns(out["firm_year_identity"], firm_year)
    if not conflicts:
        # A firm_id over two BRNs must not reach the panel views: keep the previous identities.
        for name in ("firm_year_identity", "firm", "identity_review"):
            write_table(settings, name, out[name])
    ident = out["firm_year_identity"]
    methods = {str(k): int(v) for k, v in ident["link_method"].value_counts().items()}
    return dg.MaterializeResult(
        metadata={"census_years": dg.MetadataValue.json(years), "records": len(ident), "firms": len(out["firm"]),
                  "link_methods": dg.MetadataValue.json(methods),
                  "uncertain_links": len(out["identity_review"]),
                  "uncertain_links_linked": int(out["identity_review"]["linked"].sum())},
        check_results=[dg.AssetCheckResult(
            check_name="one_brn_per_firm", passed=not conflicts, severity=dg.AssetCheckSeverity.ERROR,
            metadata={"firms_with_two_brns": len(conflicts), "sample_firm_ids": dg.MetadataValue.json(conflicts[:10])},
        )],
    )


defs = dg.Definitions(assets=[supply_link, supplier_tier, firm_identity], asset_checks=[])
