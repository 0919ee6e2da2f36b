"""The query databases, each built once per run from the Parquet tables: census.duckdb (every
curated and reference table, views, label tables, comments) and the de-identified
research.duckdb built from it."""


import dagster as dg

from assets.automation import AFTER_INPUTS
from assets.io_manager import give_back_memory
from assets.resources import CensusSettings
from pipeline.research.build import build_research_database
from pipeline.storage import build_query_database
from pipeline.tables.registry import TableRegistry


def build(years: dg.PartitionsDefinition, registry: TableRegistry) -> list:
    deps = [dg.AssetDep(t.name, partition_mapping=dg.AllPartitionMapping()) if t.partitioned else dg.AssetDep(t.name)
            for t in registry.query_tables]

    @dg.asset(deps=deps, group_name="databases", kinds={"duckdb"}, automation_condition=AFTER_INPUTS)
    def census_database(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> dg.MaterializeResult:
        """data/curated/census.duckdb: every curated and reference table of the registry (typed,
        commented), the label tables and the views; readers are never blocked."""
        # The step reads no input through the IO manager: the memory of the steps before it (a
        # year's frames, when a run executes in one process) is handed back here, before DuckDB
        # takes its own.
        give_back_memory()
        path = build_query_database(census_settings.load())
        return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path))})

    @dg.asset(deps=[census_database], group_name="databases", kinds={"duckdb"}, automation_condition=AFTER_INPUTS)
    def research_database(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> dg.MaterializeResult:
        """data/curated/research.duckdb: de-identified tables (keyed pseudonyms, no personal or
        identifying columns) and the documented views, for researchers to open read-only."""
        give_back_memory()
        result = build_research_database(census_settings.load())
        return dg.MaterializeResult(metadata={
            "path": dg.MetadataValue.path(str(result.path)), "tables": dg.MetadataValue.json(result.tables),
            "columns_left_out": dg.MetadataValue.json({t: len(c) for t, c in result.dropped.items()}),
            # Firm-years that share their quasi-identifiers with fewer than k others, per year.
            "k_anonymity": dg.MetadataValue.md(result.k_anonymity.to_markdown(index=False)
                                               if result.k_anonymity is not None and len(result.k_anonymity) else "(none)")})

    return [census_database, research_database]
