"""Supply links and supplier tiers per census year."""


import dagster as dg
import pandas as pd

from assets.automation import LOADED_YEAR_AFTER_INPUTS
from assets.metadata import managed
from assets.resources import CensusSettings
from pipeline.supply.links import supply_links
from pipeline.supply.setup import supply_setup
from pipeline.supply.summary import resolved_share, tier_coverage, tier_distribution, unresolved_reasons
from pipeline.supply.tiers import supplier_tiers


def build(years: dg.PartitionsDefinition, code_version: str) -> list:
    @dg.multi_asset(
        specs=managed([dg.AssetSpec("supply_link", automation_condition=LOADED_YEAR_AFTER_INPUTS, deps=["firm_year"], description="One row per firm-year and named customer, resolved to an OEM, a registry "
                                                      "supplier or a census firm of the same year, or unresolved with a reason."),
               dg.AssetSpec("supplier_tier", automation_condition=LOADED_YEAR_AFTER_INPUTS, deps=["firm_year"], description="Per firm-year: inferred tier per chain, main chain, self-reported and "
                                                        "final tier, and a conflict flag.")]),
        ins={"firm_year": dg.AssetIn()},
        check_specs=[dg.AssetCheckSpec("customers_resolved", asset="supply_link",
                                       description="Share of named customers resolved to a census firm, OEM or registry supplier"),
                     dg.AssetCheckSpec("tier_coverage", asset="supplier_tier",
                                       description="Share of firm-years with a final tier (inferred or reported)")],
        partitions_def=years, group_name="supply", code_version=code_version, can_subset=False,
    )
    def supply(context: dg.AssetExecutionContext, census_settings: CensusSettings, firm_year: pd.DataFrame):
        settings = census_settings.load()
        year = int(context.partition_key)
        setup = supply_setup(settings)
        links = supply_links(firm_year, setup.registry, setup.linkage["supply"], setup.rules)
        tiers = supplier_tiers(firm_year, links, setup.chains, setup.tier_values)
        checks = setup.linkage.get("checks", {})
        share, coverage = resolved_share(links), tier_coverage(tiers)
        methods = {str(k): int(v) for k, v in links["match_method"].value_counts().items()}
        yield dg.Output(links.assign(census_year=year), output_name="supply_link", metadata={
            "resolved_share": round(share, 4), "match_methods": dg.MetadataValue.json(methods),
            "unresolved_reasons": dg.MetadataValue.json(unresolved_reasons(links))})
        yield dg.Output(tiers.assign(census_year=year), output_name="supplier_tier", metadata={
            "tier_distribution": dg.MetadataValue.json(tier_distribution(tiers, setup.chains)),
            "tier_source": dg.MetadataValue.json({str(k): int(v) for k, v in tiers["tier_source"].value_counts().items()}),
            "conflicts": int(tiers["tier_conflict"].sum())})
        minimum = float(checks.get("min_resolved_share", 0.6))
        yield dg.AssetCheckResult(check_name="customers_resolved", asset_key="supply_link", passed=share >= minimum,
                                  severity=dg.AssetCheckSeverity.WARN,
                                  metadata={"census_year": year, "resolved_share": round(share, 4), "minimum": minimum, "customers": len(links)})
        minimum = float(checks.get("min_tier_coverage", 0.5))
        yield dg.AssetCheckResult(check_name="tier_coverage", asset_key="supplier_tier", passed=coverage >= minimum,
                                  severity=dg.AssetCheckSeverity.WARN,
                                  metadata={"census_year": year, "coverage": round(coverage, 4), "minimum": minimum})

    return [supply]
