"""The yearly load through the Dagster definitions, as `census run` and the UI execute it."""

from __future__ import annotations

import os

import dagster as dg
import duckdb
import pytest

from assets.definitions import defs
from assets.jobs import CENSUS_LOAD_JOB
from assets.partitions import census_year_partitions
from assets.sensors import raw_file_sensor
from census_cli.running import failure_message
from tests.load.fixtures import TEST_LAYOUT, write_titled_xlsx


@pytest.fixture
def settings(project):
    (project.config_dir / "layouts" / "test_contractor.yaml").write_text(TEST_LAYOUT, encoding="utf-8")
    return project


def _run(year: int, instance):
    if str(year) not in instance.get_dynamic_partitions(census_year_partitions.name):
        instance.add_dynamic_partitions(census_year_partitions.name, [str(year)])
    return defs.resolve_job_def(CENSUS_LOAD_JOB).execute_in_process(partition_key=str(year), instance=instance, raise_on_error=False)


def test_definitions_load():
    assert {"raw_census_file", "staged_census_rows", "firm_year"} <= {k.to_user_string() for k in defs.resolve_all_asset_keys()}
    assert defs.resolve_sensor_def("raw_file_sensor") is not None


def test_load_rerun_and_failed_reload(settings):
    instance = dg.DagsterInstance.ephemeral()
    # One firm of 23 breaks an error rule (negative employees): under the blocking share.
    path = write_titled_xlsx(settings.raw_dir / "2022_시흥_기업실태조사.xlsx", clean_firms=20)
    assert _run(2022, instance).success
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM firm_year WHERE census_year = 2022").fetchall() == [(22,)]
        assert con.execute("SELECT source_row, rule FROM quarantine ORDER BY 1").fetchall() == [(8, "employees_male_negative"), (29, "total_row")]
        assert con.execute("SELECT status, rows_read, rows_curated, rows_quarantined FROM load_log").fetchall() == [("loaded", 24, 22, 2)]
        # Classified on the way: every curated firm has a KSIC-derived column and a size band.
        assert con.execute("SELECT count(*) FROM firm_year WHERE employee_band IS NULL").fetchall() == [(0,)]

    # An unchanged file changes nothing, not even the database file.
    before = os.stat(settings.duckdb_path).st_mtime_ns
    assert _run(2022, instance).success
    assert os.stat(settings.duckdb_path).st_mtime_ns == before

    # A broken redelivery fails with a message naming the file; the curated year stays as it was.
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = _run(2022, instance)
    assert not result.success
    assert path.name in failure_message(result) and "손상" in failure_message(result)
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM firm_year WHERE census_year = 2022").fetchall() == [(22,)]
        assert con.execute("SELECT status FROM load_log ORDER BY loaded_at").fetchall() == [("loaded",), ("failed",)]


def test_sensor_requests_new_and_changed_files_only(settings):
    instance = dg.DagsterInstance.ephemeral()
    path = write_titled_xlsx(settings.raw_dir / "2022_시흥_기업실태조사.xlsx")
    from assets.resources import CensusSettings

    first = raw_file_sensor(dg.build_sensor_context(instance=instance, resources={"census_settings": CensusSettings()}))
    assert [r.partition_key for r in first.run_requests] == ["2022"]
    assert first.dynamic_partitions_requests[0].partition_keys == ["2022"]
    again = raw_file_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor, resources={"census_settings": CensusSettings()}))
    assert again.run_requests == []
    write_titled_xlsx(path, title="2022년 시흥시 기업실태조사 (수정본)")
    changed = raw_file_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor, resources={"census_settings": CensusSettings()}))
    assert [r.partition_key for r in changed.run_requests] == ["2022"]


def test_census_run_does_not_reload_an_unchanged_file(settings, tmp_path, monkeypatch):
    from rich.console import Console

    from census_cli.running import UNCHANGED, run_years

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    write_titled_xlsx(settings.raw_dir / "2022_시흥_기업실태조사.xlsx", clean_firms=20)
    console, err = Console(record=True, width=200), Console(record=True, width=200)
    assert run_years([2022], console, err)
    assert "적재 22" in console.export_text()
    instance = dg.DagsterInstance.get()
    loads = len(instance.get_runs(filters=dg.RunsFilter(job_name=CENSUS_LOAD_JOB)))
    console = Console(record=True, width=200)
    assert run_years([2022], console, err)
    assert UNCHANGED in console.export_text()
    assert len(instance.get_runs(filters=dg.RunsFilter(job_name=CENSUS_LOAD_JOB))) == loads
