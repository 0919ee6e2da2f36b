"""The classification step runs in Dagster on a throw-away project: reference tables written,
classified rows with their checks and metadata, and the 3-year revenue history read from the
declared input."""

import dagster as dg
import pandas as pd

from assets.definitions import build_definitions
from pipeline import storage
from tests.classify.conftest import read_input
from tests.tables import complete_table


def _materialize(project, frame, history: pd.DataFrame | None = None):
    """The validated rows of 2025 (and, optionally, the revenue of earlier years) as the
    validation step leaves them, then the reference tables and the classification step."""
    frame = frame.assign(census_year=2025)
    delivery = pd.DataFrame([{"census_year": 2025, "source_file": "2025_test.xlsx", "source_sheet": "s", "sha256": "0" * 64,
                              "format": "xlsx", "layout": "test", "ksic_revision": 11, "rows_read": len(frame), "blank_rows": 0,
                              "ignored_headers": ""}])
    storage.write_year(project, 2025, {
        "validated_firm_year": complete_table(project, "validated_firm_year", frame),
        "staged_delivery": complete_table(project, "staged_delivery", delivery),
        "quarantine": complete_table(project, "quarantine", pd.DataFrame()),
        "validation_flag": complete_table(project, "validation_flag", pd.DataFrame()),
        "change_log": complete_table(project, "change_log", pd.DataFrame())})
    for year, rows in (history.groupby("census_year") if history is not None else []):
        storage.write_year(project, int(year), {"firm_revenue": complete_table(project, "firm_revenue", rows)})
    defs = build_definitions(project)
    assets = list(defs.assets)
    resources = defs.resources
    instance = dg.DagsterInstance.ephemeral()
    assert dg.materialize(assets, selection=["ksic", "ksic_concordance", "industrial_complex"], instance=instance,
                          resources=resources).success
    return dg.materialize(assets, selection=["firm_year", "firm_year_ksic_secondary", "load_log"], partition_key="2025", instance=instance,
                          resources=resources, raise_on_error=False)


def test_reference_tables_and_classified_year(project):
    frame = read_input("complexes")
    result = _materialize(project, frame)
    assert result.success
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert checks["every_firm_has_section"].passed and checks["unclassified_share_below_threshold"].passed
    meta = result.asset_materializations_for_node("census_year")[0].metadata
    assert meta["per_complex"].value == {"시화국가산업단지": 3, "반월국가산업단지": 2, "아산국가산업단지 포승지구": 1,
                                         "매화일반산업단지": 1, "남동국가산업단지": 1, "(none)": 4}
    assert meta["per_section"].value == {"C": 12}
    classified = storage.read_table(project, "firm_year", 2025)
    assert len(classified) == len(frame) and classified["ksic_target_revision"].eq(11).all()
    ksic = storage.read_table(project, "ksic")
    assert ksic[ksic.revision == 11].groupby("level").size().to_dict() == {
        "class": 501, "division": 77, "group": 234, "section": 21, "subclass": 1205}


def test_the_size_class_averages_the_declared_revenue_history(project):
    frame = read_input("complexes").head(1).assign(brn="1348672683", revenue_mil_krw=100.0)
    history = pd.DataFrame({"census_year": [2023, 2024], "brn": "1348672683", "revenue_mil_krw": [400.0, 700.0]})
    assert _materialize(project, frame, history).success
    row = storage.read_table(project, "firm_year", 2025).iloc[0]
    assert row["revenue_basis_mil_krw"] == 400.0 and row["revenue_basis"] != "single_year"


def test_unclassified_share_blocks(project):
    frame = read_input("ksic_revisions")  # 3 of 17 rows have no usable code: 17.6% > 5%
    result = _materialize(project, frame)
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert not checks["unclassified_share_below_threshold"].passed
    assert checks["unclassified_share_below_threshold"].metadata["unclassified_share"].value == round(3 / 17, 4)
    assert checks["every_firm_has_section"].metadata["rows_without_section"].value == 3
