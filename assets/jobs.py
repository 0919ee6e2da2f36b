"""The jobs `census run` and the sensor start: a year's load, the reclassification of the years
whose revenue history a load changed, and the all-years refresh."""

import dagster as dg

CENSUS_LOAD_JOB = "census_load"
RECLASSIFY_JOB = "census_reclassify"
ALL_YEARS_JOB = "census_all_years"

YEARLY_GROUPS = ("census_load", "supply")


def census_jobs(years: dg.PartitionsDefinition) -> list:
    yearly = dg.AssetSelection.groups(*YEARLY_GROUPS)
    return [
        dg.define_asset_job(CENSUS_LOAD_JOB, selection=yearly, partitions_def=years,
                            description="Load one census year: read, stage, validate, classify; supply links and tiers."),
        dg.define_asset_job(RECLASSIFY_JOB, selection=dg.AssetSelection.assets("firm_year", "firm_year_ksic_secondary", "load_log") | dg.AssetSelection.groups("supply"),
                            partitions_def=years,
                            description="Classify a loaded year again (its revenue history changed), without reading its file."),
        dg.define_asset_job(ALL_YEARS_JOB, selection=dg.AssetSelection.groups("reference", "identity", "growth", "clusters", "difficulties", "databases", "status"),
                            description="The all-years tables and both databases: reference tables, identities, growth stages and screening, mini-clusters and their network, 애로사항, census.duckdb, research.duckdb, and the load status of every year."),
    ]
