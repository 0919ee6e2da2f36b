"""The yearly load through the Dagster definitions, as `census run`, the sensor and the UI run it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.definitions import build_definitions
from assets.jobs import ALL_YEARS_JOB, CENSUS_LOAD_JOB
from assets.resources import CensusSettings
from assets.sensors import raw_file_sensor
from census_cli.running import failure_message
from pipeline.storage import read_table
from pipeline.tables.registry import table_registry
from tests.load.fixtures import TEST_LAYOUT, write_titled_xlsx

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(project):
    (project.config_dir / "layouts" / "test_contractor.yaml").write_text(TEST_LAYOUT, encoding="utf-8")
    return project


def _run(defs, job: str, year: int | None, instance):
    return defs.resolve_job_def(job).execute_in_process(partition_key=str(year) if year else None, instance=instance,
                                                        raise_on_error=False)


def test_every_registered_table_is_an_asset(project):
    defs = build_definitions(project)
    keys = {k.to_user_string() for k in defs.resolve_all_asset_keys()}
    assert set(table_registry(project).tables) <= keys
    assert {"raw_census_file", "census_database", "research_database", "yearly_report"} <= keys
    assert defs.resolve_sensor_def("raw_file_sensor") is not None


def test_no_private_dagster_api_anywhere():
    """`dagster._...` changes without notice between releases; the project uses the public API only."""
    found = subprocess.run(["git", "grep", "-n", "-E", r"(from|import) dagster\._", "--", "*.py"], cwd=REPO,
                           capture_output=True, text=True).stdout
    assert found == ""


def test_load_then_failed_reload_keeps_the_year(settings):
    defs = build_definitions(settings)
    instance = dg.DagsterInstance.ephemeral()
    # One firm of 23 breaks an error rule (negative employees): under the blocking share.
    path = write_titled_xlsx(settings.raw_dir / "2022_시흥_기업실태조사.xlsx", clean_firms=20)
    assert _run(defs, CENSUS_LOAD_JOB, 2022, instance).success
    assert _run(defs, ALL_YEARS_JOB, None, instance).success
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM firm_year WHERE census_year = 2022").fetchall() == [(22,)]
        assert con.execute("SELECT source_row, rule FROM quarantine ORDER BY 1").fetchall() == [(8, "employees_male_negative"), (29, "total_row")]
        assert con.execute("SELECT status, rows_read, rows_curated, rows_quarantined FROM load_log").fetchall() == [("loaded", 24, 22, 2)]
        # Classified on the way: every curated firm has a size band.
        assert con.execute("SELECT count(*) FROM firm_year WHERE employee_band IS NULL").fetchall() == [(0,)]

    # A broken redelivery fails with a message naming the file; the curated year stays as it
    # was and the failure is in the year's load_log, with integer counts.
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = _run(defs, CENSUS_LOAD_JOB, 2022, instance)
    assert not result.success
    assert path.name in failure_message(result) and "손상" in failure_message(result)
    assert len(read_table(settings, "firm_year", 2022)) == 22
    log = read_table(settings, "load_log", 2022).sort_values("loaded_at")
    assert log["status"].tolist() == ["loaded", "failed"] and str(log["rows_read"].dtype) == "Int64"


def test_sensor_requests_only_years_that_differ_from_their_last_good_load(settings):
    defs = build_definitions(settings)
    instance = dg.DagsterInstance.ephemeral()
    resources = {"census_settings": CensusSettings()}
    path = write_titled_xlsx(settings.raw_dir / "2022_시흥_기업실태조사.xlsx", clean_firms=20)
    first = raw_file_sensor(dg.build_sensor_context(instance=instance, resources=resources))
    assert [r.partition_key for r in first.run_requests] == ["2022"]
    assert _run(defs, CENSUS_LOAD_JOB, 2022, instance).success
    # Once loaded, a sensor with no cursor at all (the UI opened on a project `census run` loaded)
    # requests nothing.
    assert raw_file_sensor(dg.build_sensor_context(instance=instance, resources=resources)).run_requests == []
    write_titled_xlsx(path, title="2022년 시흥시 기업실태조사 (수정본)", clean_firms=20)
    changed = raw_file_sensor(dg.build_sensor_context(instance=instance, resources=resources))
    assert [(r.partition_key, r.tags["census/reason"]) for r in changed.run_requests] == [("2022", "changed_file")]


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
    runs = len(instance.get_runs())
    database = settings.duckdb_path.stat().st_mtime_ns
    console = Console(record=True, width=200)
    assert run_years([2022], console, err)
    assert UNCHANGED in console.export_text()
    assert len(instance.get_runs()) == runs and settings.duckdb_path.stat().st_mtime_ns == database


def test_census_run_fails_before_anything_for_a_year_without_a_file(settings, tmp_path, monkeypatch):
    from rich.console import Console

    from census_cli.running import run_years

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    write_titled_xlsx(settings.raw_dir / "2022_시흥_기업실태조사.xlsx")
    err = Console(record=True, width=200)
    assert not run_years([2030], Console(record=True), err)
    assert "2030" in err.export_text()
    assert not settings.parquet_dir.exists() and len(dg.DagsterInstance.get().get_runs()) == 0


def test_corrections_are_an_edit_step_of_their_own_before_validation(settings):
    """data/corrections/<year>.csv is matched to the staged rows by the census_corrections step
    (tables correction_edit and correction_issue); validation applies the edits: the corrected
    value reaches firm_year, the change log names the analyst, a fix for a row that is not there
    is reported and applied nowhere."""
    defs = build_definitions(settings)
    instance = dg.DagsterInstance.ephemeral()
    write_titled_xlsx(settings.raw_dir / "2022_시흥_기업실태조사.xlsx", clean_firms=20)
    assert _run(defs, CENSUS_LOAD_JOB, 2022, instance).success
    staged = read_table(settings, "staged_firm_year", [2022], columns=["record_id", "employees_total"])
    target = staged.record_id.iloc[3]
    settings.corrections_dir.mkdir(parents=True, exist_ok=True)
    (settings.corrections_dir / "2022.csv").write_text(
        "brn,record_id,column,value,reason,who\n"
        f",{target},employees_total,777,전화 확인,kim\n"
        ",2022-9999999,employees_total,5,없는 행,lee\n", encoding="utf-8")
    defs = build_definitions(settings)  # the corrections folder is part of the code version
    result = _run(defs, CENSUS_LOAD_JOB, 2022, instance)
    assert result.success
    step_keys = {e.step_key for e in result.all_events if e.step_key}
    assert "census_corrections" in step_keys
    edits = read_table(settings, "correction_edit", [2022])
    assert edits[["record_id", "column", "value", "who"]].values.tolist() == [[target, "employees_total", "777", "kim"]]
    issues = read_table(settings, "correction_issue", [2022])
    assert issues[["file_row", "rule"]].values.tolist() == [[3, "correction_unmatched"]]
    firm_year = read_table(settings, "firm_year", [2022], columns=["record_id", "employees_total"])
    assert firm_year.set_index("record_id").employees_total[target] == 777
    log = read_table(settings, "change_log", [2022])
    assert log[log.rule == "correction:kim"][["record_id", "new_value"]].values.tolist() == [[target, "777"]]
