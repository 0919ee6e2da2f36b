"""The classification assets run in Dagster on a throw-away project: reference tables written and
queryable, classified rows with their checks and metadata."""

from types import SimpleNamespace

import dagster as dg
import duckdb
import pandas as pd

from assets.classification import classified_firm_year, defs, ksic_reference
from assets.partitions import census_year_partitions
from assets.resources import CensusSettings
from pipeline import storage
from pipeline.schema import all_columns
from tests.classify.conftest import read_input


def _materialize(project, frame):
    @dg.asset(partitions_def=census_year_partitions, name="validated_census_rows")
    def upstream():  # stands in for the validation stage: its value has .frame
        return SimpleNamespace(frame=frame)

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("census_year", ["2025"])
    resources = {"census_settings": CensusSettings(settings_path=str(project.root / "config/settings.yaml"))}
    assert dg.materialize([ksic_reference], instance=instance, resources=resources).success
    return dg.materialize([upstream, classified_firm_year], partition_key="2025", instance=instance, resources=resources,
                          raise_on_error=False)


def test_definitions_load():
    # validated_census_rows comes from the validation area's Definitions; a spec stands in for it.
    upstream = dg.AssetSpec("validated_census_rows", partitions_def=census_year_partitions)
    merged = dg.Definitions.merge(defs, dg.Definitions(assets=[upstream], resources={"census_settings": CensusSettings()}))
    names = {k.to_user_string() for k in merged.resolve_asset_graph().get_all_asset_keys()}
    assert {"ksic_reference", "classified_firm_year"} <= names


def test_reference_tables_and_classified_year(project):
    frame = read_input("complexes")
    result = _materialize(project, frame)
    assert result.success
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert checks["every_firm_has_section"].passed and checks["unclassified_share_below_threshold"].passed
    meta = result.asset_materializations_for_node("classified_firm_year")[0].metadata
    assert meta["per_complex"].value == {"시화국가산업단지": 3, "반월국가산업단지": 2, "아산국가산업단지 포승지구": 1,
                                         "매화일반산업단지": 1, "남동국가산업단지": 1, "(none)": 4}
    assert meta["per_section"].value == {"C": 12}
    classified = result.output_for_node("classified_firm_year")
    assert len(classified) == len(frame) and "ksic_section" in classified

    # The reference tables are in DuckDB, and the classified rows join to them. A curated year
    # has every canonical column (unmapped ones empty); other areas' views need them.
    dtypes = {"integer": "Int64", "number": "float64", "date": "datetime64[ns]"}
    for name, column in all_columns(project.columns_path).items():
        if name not in classified:
            classified[name] = pd.Series(None, index=classified.index, dtype=dtypes.get(column.type, "str"))
    storage.write_year(project, 2025, {"firm_year": classified})
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        per_level = dict(con.execute("SELECT level, count(*) FROM ksic WHERE revision = 11 GROUP BY level").fetchall())
        themes = con.execute("SELECT count(*) FROM firm_year_theme WHERE theme = 'root_mould'").fetchone()[0]
        complexes = con.execute("SELECT count(*) FROM industrial_complex WHERE name = '시화국가산업단지'").fetchone()[0]
    assert per_level == {"section": 21, "division": 77, "group": 234, "class": 501, "subclass": 1205}
    assert themes == 12 and complexes == 1


def test_unclassified_share_blocks(project):
    frame = read_input("ksic_revisions")  # 3 of 17 rows have no usable code: 17.6% > 5%
    result = _materialize(project, frame)
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert not checks["unclassified_share_below_threshold"].passed
    assert checks["unclassified_share_below_threshold"].metadata["unclassified_share"].value == round(3 / 17, 4)
    assert checks["every_firm_has_section"].metadata["rows_without_section"].value == 3
    assert pd.isna(result.output_for_node("classified_firm_year")["ksic_section"]).sum() == 3
