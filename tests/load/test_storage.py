"""A year is replaced as a whole; an interrupted write leaves the previous good state."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from pipeline import storage
from pipeline.storage import duckdb_file
from pipeline.storage import parquet as parquet_store


@pytest.fixture(autouse=True)
def bare_database(monkeypatch, tmp_path):
    """These tables are synthetic (two columns), so the views and comments written for the real
    firm_year are not built over them."""
    monkeypatch.setattr(duckdb_file, "after_rebuild_hooks", lambda: [])
    monkeypatch.setattr(duckdb_file, "SQL_DIR", tmp_path / "no_views")


def _year(n: int, year: int, tag: str) -> pd.DataFrame:
    return pd.DataFrame({"record_id": [f"{year}-{i:07d}" for i in range(n)], "firm_name": [f"{tag}{i}" for i in range(n)]})


def _names(settings, year):
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT firm_name FROM firm_year WHERE census_year = ? ORDER BY 1", [year]).fetchall()]


def test_years_are_replaced_independently(project):
    storage.write_year(project, 2022, {"firm_year": _year(2, 2022, "a")})
    storage.write_year(project, 2023, {"firm_year": _year(3, 2023, "b")})
    storage.write_year(project, 2022, {"firm_year": _year(1, 2022, "c")})
    assert _names(project, 2022) == ["c0"]
    assert _names(project, 2023) == ["b0", "b1", "b2"]
    assert storage.read_table(project, "firm_year", 2023)["census_year"].tolist() == [2023] * 3


def test_failure_while_writing_keeps_the_previous_state(project, monkeypatch):
    storage.write_year(project, 2022, {"firm_year": _year(2, 2022, "good"), "quarantine": _year(1, 2022, "q")})

    def broken_write(df, path):
        if "quarantine" in str(path):
            raise OSError("disk full")
        return original(df, path)

    original = parquet_store._write_parquet
    monkeypatch.setattr(parquet_store, "_write_parquet", broken_write)
    with pytest.raises(OSError):
        storage.write_year(project, 2022, {"firm_year": _year(5, 2022, "bad"), "quarantine": _year(5, 2022, "bad")})
    monkeypatch.setattr(parquet_store, "_write_parquet", original)
    assert _names(project, 2022) == ["good0", "good1"]
    assert storage.read_table(project, "firm_year", 2022)["firm_name"].tolist() == ["good0", "good1"]
    # The half-written files are cleared by the next writer and never become visible.
    storage.write_year(project, 2023, {"firm_year": _year(1, 2023, "x")})
    assert not list(project.parquet_dir.glob("*/.*new-*"))
    assert _names(project, 2022) == ["good0", "good1"]


def test_a_decided_swap_interrupted_by_a_crash_is_rolled_forward(project, monkeypatch):
    storage.write_year(project, 2022, {"firm_year": _year(1, 2022, "old")})

    def crash(settings, changed=None):
        raise KeyboardInterrupt  # the process dies after the journal is written

    real_rebuild = parquet_store.rebuild_duckdb
    monkeypatch.setattr(parquet_store, "rebuild_duckdb", crash)
    with pytest.raises(KeyboardInterrupt):
        storage.write_year(project, 2022, {"firm_year": _year(2, 2022, "new")})
    monkeypatch.setattr(parquet_store, "rebuild_duckdb", real_rebuild)
    assert _names(project, 2022) == ["old0"]  # readers still see the last complete database
    storage.write_year(project, 2024, {"firm_year": _year(1, 2024, "z")})
    assert _names(project, 2022) == ["new0", "new1"]
    assert not list((project.parquet_dir / "_journal").glob("*.json"))


def test_readers_keep_reading_while_a_writer_replaces_the_database(project):
    storage.write_year(project, 2022, {"firm_year": _year(2, 2022, "a")})
    reader = storage.connect_readonly(project)
    storage.write_year(project, 2022, {"firm_year": _year(3, 2022, "b")})  # must not be blocked by the reader
    assert reader.execute("SELECT count(*) FROM firm_year").fetchall() == [(2,)]
    reader.close()
    assert _names(project, 2022) == ["b0", "b1", "b2"]


def test_writing_the_same_rows_again_touches_nothing(project):
    storage.write_year(project, 2022, {"firm_year": _year(2, 2022, "a")})
    before = project.duckdb_path.stat().st_mtime_ns
    partition = project.parquet_dir / "firm_year" / "census_year=2022" / "data.parquet"
    parquet_before = partition.stat().st_mtime_ns
    storage.write_year(project, 2022, {"firm_year": _year(2, 2022, "a")})
    assert project.duckdb_path.stat().st_mtime_ns == before
    assert partition.stat().st_mtime_ns == parquet_before


def _contents(settings) -> dict[str, list]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}


def test_reloading_only_the_changed_tables_gives_the_database_a_full_rebuild_gives(project):
    storage.write_year(project, 2022, {"firm_year": _year(2, 2022, "a"), "quarantine": _year(1, 2022, "q")})
    storage.write_table(project, "load_log", pd.DataFrame({"census_year": [2022], "status": ["loaded"]}))
    storage.write_year(project, 2023, {"firm_year": _year(3, 2023, "b")})
    storage.write_year(project, 2022, {"firm_year": _year(1, 2022, "c"), "quarantine": _year(2, 2022, "r")})
    storage.write_table(project, "load_log", pd.DataFrame({"census_year": [2022, 2023], "status": ["loaded", "loaded"]}))
    incremental = _contents(project)
    assert _names(project, 2022) == ["c0"] and len(incremental["load_log"]) == 2 and len(incremental["quarantine"]) == 2
    duckdb_file.rebuild_duckdb(project)
    assert _contents(project) == incremental


def test_a_table_whose_parquet_is_gone_leaves_the_database(project):
    storage.write_year(project, 2022, {"firm_year": _year(2, 2022, "a")})
    storage.write_table(project, "scratch", pd.DataFrame({"x": [1]}))
    shutil.rmtree(project.parquet_dir / "scratch")
    storage.write_year(project, 2023, {"firm_year": _year(1, 2023, "b")})
    assert set(_contents(project)) == {"firm_year"}


def test_an_unreadable_database_file_is_built_afresh(project):
    storage.write_year(project, 2022, {"firm_year": _year(2, 2022, "a")})
    project.duckdb_path.write_bytes(b"not a database")
    storage.write_year(project, 2023, {"firm_year": _year(1, 2023, "b")})
    assert _names(project, 2022) == ["a0", "a1"] and _names(project, 2023) == ["b0"]
