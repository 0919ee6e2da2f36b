"""A year is replaced as a whole; an interrupted write leaves the previous good state."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pyarrow as pa
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

    def broken_write(table, path):
        if "quarantine" in str(path):
            raise OSError("disk full")
        return original(table, path)

    original = parquet_store._write_arrow
    monkeypatch.setattr(parquet_store, "_write_arrow", broken_write)
    with pytest.raises(OSError):
        storage.write_year(project, 2022, {"firm_year": _year(5, 2022, "bad"), "quarantine": _year(5, 2022, "bad")})
    monkeypatch.setattr(parquet_store, "_write_arrow", original)
    # The database copy that took the failed year's rows beside the Parquet writer is gone too.
    assert not list(project.duckdb_path.parent.glob(".*.new-*"))
    assert _names(project, 2022) == ["good0", "good1"]
    assert storage.read_table(project, "firm_year", 2022)["firm_name"].tolist() == ["good0", "good1"]
    # The half-written files are cleared by the next writer and never become visible.
    storage.write_year(project, 2023, {"firm_year": _year(1, 2023, "x")})
    assert not list(project.parquet_dir.glob("*/.*new-*"))
    assert _names(project, 2022) == ["good0", "good1"]


def test_a_decided_swap_interrupted_by_a_crash_is_rolled_forward(project, monkeypatch):
    storage.write_year(project, 2022, {"firm_year": _year(1, 2022, "old")})

    def crash(settings, changed=None, staged=None):
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
    assert not list(project.duckdb_path.parent.glob(".*.new-*"))  # the dead writer's database copy


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


def _typed_year(year: int, n: int, extra: bool = False) -> pd.DataFrame:
    """Columns of every kind firm_year has, missing values included."""
    df = pd.DataFrame({
        "record_id": pd.array([f"{year}-{i:07d}" for i in range(n)], dtype="str"),
        "firm_name": pd.array([None if i % 3 == 0 else f"업체{i}" for i in range(n)], dtype="str"),
        "employees_total": pd.array([None if i % 4 == 0 else i for i in range(n)], dtype="Int64"),
        "revenue_mil_krw": [float(i) / 3 if i % 5 else float("nan") for i in range(n)],
        "founded_date": pd.to_datetime(["2001-02-03" if i % 2 else None for i in range(n)]).astype("datetime64[ns]"),
        "is_manufacturing": [bool(i % 2) for i in range(n)],
        # The KSIC names arrive as categoricals; each year has its own set of categories.
        "section_ko": pd.Categorical([None if i % 7 == 0 else f"{year % 10}{'제조업' if i % 2 else '도매업'}" for i in range(n)]),
    })
    if extra:
        df["new_item"] = pd.array(["x"] * n, dtype="str")
    return df


def _schemas(settings) -> dict[str, list]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        return {t: con.execute(f'DESCRIBE "{t}"').fetchall() for t in ("firm_year", "quarantine")}


def test_the_year_loaded_beside_the_parquet_writer_equals_a_reload_from_parquet(project, monkeypatch):
    # Which tables each write loaded beside the Parquet writer (a write that loads none would
    # equal the reload trivially).
    loaded = []
    stage = parquet_store.stage_year
    monkeypatch.setattr(parquet_store, "stage_year", lambda *a, **k: loaded.append(stage(*a, **k)) or loaded[-1])
    storage.write_year(project, 2022, {"firm_year": _typed_year(2022, 40), "quarantine": _year(0, 2022, "q")})
    storage.write_year(project, 2023, {"firm_year": _typed_year(2023, 30), "quarantine": _year(2, 2023, "q")})
    storage.write_year(project, 2022, {"firm_year": _typed_year(2022, 25), "quarantine": _year(3, 2022, "q")})
    # A year with a column the others lack: the schemas differ, so the table is reloaded.
    storage.write_year(project, 2024, {"firm_year": _typed_year(2024, 10, extra=True), "quarantine": _year(1, 2024, "q")})
    # 2023's text quarantine and 2024's extra firm_year column change a schema: those reload.
    assert [sorted(s.loaded) for s in loaded] == [["firm_year", "quarantine"], ["firm_year"], ["firm_year", "quarantine"], ["quarantine"]]
    incremental, schemas = _contents(project), _schemas(project)
    assert len(incremental["firm_year"]) == 65 and len(incremental["quarantine"]) == 6
    duckdb_file.rebuild_duckdb(project)
    assert _schemas(project) == schemas
    assert _contents(project) == incremental


def test_categorical_names_are_read_back_as_text_over_years_with_different_names(project):
    storage.write_year(project, 2022, {"firm_year": _typed_year(2022, 8)})
    storage.write_year(project, 2023, {"firm_year": _typed_year(2023, 8)})
    both = storage.read_table(project, "firm_year")
    assert both["section_ko"].dtype == "str"
    written = pd.concat([_typed_year(y, 8)["section_ko"].astype("str") for y in (2022, 2023)], ignore_index=True)
    assert both["section_ko"].fillna("(없음)").tolist() == written.fillna("(없음)").tolist()
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        assert con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'firm_year' AND column_name = 'section_ko'").fetchone() == ("VARCHAR",)


def test_plain_tables_take_the_fast_path_and_others_wait_for_parquet(project):
    from pipeline.storage.duckdb_year import stage_year

    storage.write_year(project, 2022, {"firm_year": _typed_year(2022, 5)})
    arrow = {"firm_year": pa.Table.from_pandas(_typed_year(2023, 4), preserve_index=False),
             "quarantine": pa.Table.from_pandas(pd.DataFrame({"rule": [None, None]}), preserve_index=False),  # null-typed
             "supply_link": pa.Table.from_pandas(pd.DataFrame({"x": [1]}), preserve_index=False)}
    staged = stage_year(project, 2023, arrow, {"firm_year": [2022], "quarantine": [], "supply_link": [2021]})
    try:
        # Same schema as the stored table; a null column; a new table with an older year in Parquet.
        assert staged.loaded == {"firm_year"}
    finally:
        staged.path.unlink()
