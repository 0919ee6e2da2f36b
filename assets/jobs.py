import dagster as dg

from assets.partitions import census_year_partitions

CENSUS_LOAD_JOB = "census_load"
CENSUS_REFRESH_JOB = "census_refresh"
OUTPUT_GROUP = "outputs"


def census_jobs(asset_defs: list[dg.AssetsDefinition]) -> list:
    """census_load: every asset partitioned by census year, from the raw file to the year's
    curated and derived tables (reports excepted: they need the all-years identities).
    census_refresh: the all-years assets (KSIC reference, identities, research database)."""
    yearly = [k for a in asset_defs for k in a.keys if a.partitions_def == census_year_partitions and a.group_names_by_key[k] != OUTPUT_GROUP]
    overall = [k for a in asset_defs for k in a.keys if a.partitions_def is None]
    jobs = [dg.define_asset_job(CENSUS_LOAD_JOB, selection=dg.AssetSelection.assets(*yearly), partitions_def=census_year_partitions,
                                description="Load one census year: read, stage, validate, classify, write; supply links and tiers.")]
    if overall:
        jobs.append(dg.define_asset_job(CENSUS_REFRESH_JOB, selection=dg.AssetSelection.assets(*overall),
                                        description="Rebuild the all-years tables: KSIC reference, firm identities, research database."))
    return jobs
