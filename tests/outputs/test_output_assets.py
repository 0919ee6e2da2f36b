"""The Dagster side of the outputs: assets materialise with useful metadata, the schedules
request what they say."""

from __future__ import annotations

import shutil
from datetime import datetime

import dagster as dg
import pytest

from assets.jobs import CENSUS_LOAD_JOB
from assets.outputs import (
    defs,
    monthly_reports_schedule,
    requests_after_load,
    research_database,
    yearly_report,
)
from assets.partitions import census_year_partitions
from assets.resources import CensusSettings


@pytest.fixture
def loaded_project(project, monkeypatch, census_db_template):
    monkeypatch.setenv("CENSUS_PSEUDONYM_KEY", "test-key-0123456789abcdef")
    shutil.copyfile(census_db_template, project.duckdb_path)
    return project


def test_definitions_merge_with_the_code_location():
    from assets.definitions import defs as main

    repo = dg.Definitions.merge(main, defs).get_repository_def()
    assert {"census_research", "census_reports"} <= {j.name for j in repo.get_all_jobs()}
    assert {"yearly_research_database", "monthly_reports"} <= {s.name for s in repo.schedule_defs}
    assert "outputs_after_load" in {s.name for s in repo.sensor_defs}


def test_assets_materialise_with_paths_and_suppression_counts(loaded_project):
    resources = {"census_settings": CensusSettings(settings_path=str(loaded_project.config_dir / "settings.yaml"))}
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(census_year_partitions.name, ["2023", "2024"])
    result = dg.materialize([yearly_report], partition_key="2024", resources=resources, instance=instance)
    meta = result.asset_materializations_for_node("yearly_report")[0].metadata
    assert meta["suppressed_cells"].value > 0
    assert (loaded_project.reports_dir / "2024").is_dir()
    assert meta["excel"].value.endswith(".xlsx") and meta["html"].value.endswith(".html")
    result = dg.materialize([research_database], resources=resources, instance=instance)
    meta = result.asset_materializations_for_node("research_database")[0].metadata
    assert meta["tables"].value["firm_year"] == 75 and meta["columns_left_out"].value["firm_year"] >= 7


def test_monthly_schedule_requests_every_loaded_year(tmp_path):
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        context = dg.build_schedule_context(instance=instance, scheduled_execution_time=datetime(2026, 12, 1))
        assert isinstance(monthly_reports_schedule(context), dg.SkipReason)  # nothing loaded yet
        instance.add_dynamic_partitions(census_year_partitions.name, ["2022", "2023", "2024"])
        requests = monthly_reports_schedule(context)
    assert sorted(r.partition_key for r in requests) == ["2022", "2023", "2024"]
    assert len({r.run_key for r in requests}) == 3


def test_a_successful_load_refreshes_the_research_database_then_its_report():
    first = requests_after_load(CENSUS_LOAD_JOB, "r1", {"dagster/partition": "2024"}, enabled=True)
    assert [(r.job_name, r.partition_key) for r in first] == [("census_research", None)]
    second = requests_after_load("census_research", "r2", first[0].tags, enabled=True)
    assert [(r.job_name, r.partition_key) for r in second] == [("census_reports", "2024")]
    # a scheduled research run (no year) and any other job ask for nothing
    assert isinstance(requests_after_load("census_research", "r3", {}, enabled=True), dg.SkipReason)
    assert isinstance(requests_after_load("census_reports", "r4", {}, enabled=True), dg.SkipReason)
    assert isinstance(requests_after_load(CENSUS_LOAD_JOB, "r5", {"dagster/partition": "2024"}, enabled=False), dg.SkipReason)
