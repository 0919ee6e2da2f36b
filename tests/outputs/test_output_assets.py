"""The Dagster side of the outputs: assets materialise with useful metadata, the schedules request
what they say, and the refresh after a load is declarative automation."""

from __future__ import annotations

import shutil
from datetime import datetime

import dagster as dg
import pytest

from assets.definitions import build_definitions
from assets.outputs import REPORTS_JOB
from pipeline import storage
from tests.tables import complete_table


@pytest.fixture
def loaded_project(project, monkeypatch, census_db_template):
    monkeypatch.setenv("CENSUS_PSEUDONYM_KEY", "test-key-0123456789abcdef")
    shutil.copyfile(census_db_template, project.duckdb_path)
    return project


def test_jobs_and_schedules_are_defined(project):
    defs = build_definitions(project)
    repo = defs.get_repository_def()
    assert {"census_load", "census_reclassify", "census_all_years", REPORTS_JOB} <= {j.name for j in repo.get_all_jobs()}
    assert {"yearly_research_database", "monthly_reports"} <= {s.name for s in repo.schedule_defs}
    # No hand-written chain of run-status sensors: the refresh after a load is automation, and its
    # sensor is on from the start (a daemon-only service has nobody to switch it on in the UI).
    assert {s.name for s in repo.sensor_defs} == {"raw_file_sensor", "census_automation"}
    assert repo.get_sensor_def("census_automation").default_status == dg.DefaultSensorStatus.RUNNING


def test_assets_materialise_with_paths_and_suppression_counts(loaded_project):
    defs = build_definitions(loaded_project)
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(list(defs.assets), selection=["yearly_report"], partition_key="2024", resources=defs.resources,
                            instance=instance)
    meta = result.asset_materializations_for_node("yearly_report")[0].metadata
    assert meta["suppressed_cells"].value > 0
    assert (loaded_project.reports_dir / "2024").is_dir()
    assert meta["excel"].value.endswith(".xlsx") and meta["html"].value.endswith(".html")
    result = dg.materialize(list(defs.assets), selection=["research_database"], resources=defs.resources, instance=instance)
    meta = result.asset_materializations_for_node("research_database")[0].metadata
    assert meta["tables"].value["firm_year"] == 75 and meta["columns_left_out"].value["firm_year"] >= 7


def test_monthly_schedule_requests_every_loaded_year(project):
    defs = build_definitions(project)
    schedule = defs.resolve_schedule_def("monthly_reports")
    with dg.build_schedule_context(scheduled_execution_time=datetime(2026, 12, 1), resources=defs.resources) as context:
        assert isinstance(schedule(context), dg.SkipReason)  # nothing loaded yet
        for year in (2022, 2023, 2024):
            storage.write_year(project, year, {"firm_year": complete_table(project, "firm_year", _one_firm(year))})
        requests = schedule(context)
    assert sorted(r.partition_key for r in requests) == ["2022", "2023", "2024"]
    assert len({r.run_key for r in requests}) == 3


def _one_firm(year: int):
    import pandas as pd

    return pd.DataFrame({"record_id": [f"{year}-0000002"], "census_year": [year], "firm_name": ["가"]})
