"""The supply and identity assets run in Dagster on a throw-away project and write their tables."""

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from assets.resources import CensusSettings
from assets.supply import defs, firm_identity, supplier_tier, supply_link
from pipeline import storage
from pipeline.schema import all_columns

GOLDEN = Path(__file__).parent / "golden"


def test_assets_materialise_with_checks(project, monkeypatch):
    # The catalogue's views read classification columns this small frame does not have; they are
    # another stage's concern, so the rebuild here runs only pipeline/sql (ours among them).
    monkeypatch.setattr("pipeline.storage.duckdb_file.after_rebuild_hooks", lambda: [])
    firm_year = pd.read_csv(GOLDEN / "network_input.csv", dtype={"record_id": str})
    # A curated year has every canonical column (unmapped ones empty) and the classification's
    # columns; the panel views read some of them.
    for col in [*all_columns(project.columns_path), "complex_name", "ksic_target_code", "ksic_division", "ksic_target_relation"]:
        if col not in firm_year.columns:
            firm_year[col] = pd.Series(pd.NA, index=firm_year.index, dtype="string")
    storage.write_year(project, 2024, {"firm_year": firm_year})
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("census_year", ["2024"])
    resources = {"census_settings": CensusSettings(settings_path=str(project.root / "config/settings.yaml"))}

    result = dg.materialize([supply_link, supplier_tier], partition_key="2024", instance=instance, resources=resources)
    assert result.success
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    # 16 of 19 customers resolve: above the 0.6 floor of config/linkage.yaml.
    assert checks["customers_resolved"].passed
    assert checks["customers_resolved"].metadata["resolved_share"].value == round(16 / 19, 4)
    tier_meta = result.asset_materializations_for_node("supplier_tier")[0].metadata
    assert tier_meta["conflicts"].value == 1
    assert tier_meta["tier_distribution"].value["electronics"] == {"1": 3}

    ident = dg.materialize([firm_identity], instance=instance, resources=resources)
    assert ident.success
    assert ident.get_asset_check_evaluations()[0].passed
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        n = con.execute("SELECT count(DISTINCT firm_id) FROM firm_year_firm").fetchone()[0]
        conflicts = con.execute("SELECT count(*) FROM firm_tier_panel WHERE tier_conflict").fetchone()[0]
    assert (n, conflicts) == (14, 1)


def test_definitions_load():
    assert {a.key.to_user_string() for a in defs.assets} == {"supply_link", "supplier_tier", "firm_identity"}
