"""The supply and identity assets run in Dagster on a throw-away project and write their tables."""

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from assets.definitions import build_definitions
from pipeline import storage
from tests.tables import complete_table

GOLDEN = Path(__file__).parent / "golden"


def test_assets_materialise_with_checks(project):
    firm_year = pd.read_csv(GOLDEN / "network_input.csv", dtype={"record_id": str, "brn": str})
    storage.write_year(project, 2024, {"firm_year": complete_table(project, "firm_year", firm_year.assign(census_year=2024))})
    instance = dg.DagsterInstance.ephemeral()
    defs = build_definitions(project)
    assets = list(defs.assets)
    resources = defs.resources

    result = dg.materialize(assets, selection=["supply_link", "supplier_tier"], partition_key="2024", instance=instance,
                            resources=resources)
    assert result.success
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    # 16 of 19 customers resolve: above the 0.6 floor of config/linkage.yaml.
    assert checks["customers_resolved"].passed
    assert checks["customers_resolved"].metadata["resolved_share"].value == round(16 / 19, 4)
    tier_meta = next(m for m in result.asset_materializations_for_node("supply") if m.asset_key.path == ["supplier_tier"]).metadata
    assert tier_meta["conflicts"].value == 1
    assert tier_meta["tier_distribution"].value["electronics"] == {"1": 3}

    ident = dg.materialize(assets, selection=["firm", "firm_year_identity", "identity_review", "census_database"],
                           instance=instance, resources=resources)
    assert ident.success
    assert ident.get_asset_check_evaluations()[0].passed
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        n = con.execute("SELECT count(DISTINCT firm_id) FROM firm_year_firm").fetchone()[0]
        conflicts = con.execute("SELECT count(*) FROM firm_tier_panel WHERE tier_conflict").fetchone()[0]
    assert (n, conflicts) == (14, 1)
