"""The curated store: a year is replaced as a whole, an interrupted write leaves the previous good
state, every write is held to the table registry, and census.duckdb is built from the Parquet
files with the registry's schema."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pipeline import storage
from pipeline.storage import parquet as parquet_store
from pipeline.storage.query_database import built_state, parquet_state
from pipeline.tables.conform import SchemaError


def _log(n: int, year: int, tag: str) -> pd.DataFrame:
    """change_log rows: a registered table with few columns."""
    return pd.DataFrame({"census_year": year, "record_id": [f"{year}-{i:07d}" for i in range(n)], "source_row": range(n),
                         "column": "firm_name", "old_value": [f"{tag}{i}" for i in range(n)], "new_value": None, "rule": tag})


def _values(settings, year):
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT old_value FROM change_log WHERE census_year = ? ORDER BY 1", [year]).fetchall()]


def test_years_are_replaced_independently(project):
    storage.write_year(project, 2022, {"change_log": _log(2, 2022, "a")})
    storage.write_year(project, 2023, {"change_log": _log(3, 2023, "b")})
    storage.write_year(project, 2022, {"change_log": _log(1, 2022, "c")})
    storage.build_query_database(project)
    assert _values(project, 2022) == ["c0"]
    assert _values(project, 2023) == ["b0", "b1", "b2"]
    assert storage.read_table(project, "change_log", 2023)["census_year"].tolist() == [2023] * 3


def test_a_frame_that_is_not_its_registered_table_is_refused(project):
    with pytest.raises(SchemaError, match="change_log.*missing rule"):
        storage.write_year(project, 2022, {"change_log": _log(2, 2022, "a").drop(columns="rule")})
    with pytest.raises(SchemaError, match="not registered surprise"):
        storage.write_year(project, 2022, {"change_log": _log(2, 2022, "a").assign(surprise=1)})
    with pytest.raises(SchemaError, match="supply_link.source_row|supply_link: 키|key"):
        links = pd.DataFrame({"census_year": 2022, "record_id": ["r1", "r1"], "position": [1, 1]})
        storage.write_year(project, 2022, {"supply_link": links.reindex(columns=[
            "census_year", "record_id", "position", "share_pct", "customer_name_raw", "customer_key", "target_kind",
            "target_name", "target_record_id", "target_chain", "target_tier", "match_method", "match_score", "unresolved_reason"])})
    assert not project.parquet_dir.exists() or not list(project.parquet_dir.glob("*/census_year=*"))


def test_an_all_empty_column_is_stored_with_its_registered_type(project):
    storage.write_year(project, 2022, {"change_log": _log(2, 2022, "a")})  # new_value all None
    storage.build_query_database(project)
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'change_log'").fetchall())
    assert types["new_value"] == "VARCHAR" and types["source_row"] == "BIGINT" and types["census_year"] == "BIGINT"


def test_failure_while_writing_keeps_the_previous_state(project, monkeypatch):
    storage.write_year(project, 2022, {"change_log": _log(2, 2022, "good"), "quarantine": pd.DataFrame()
                                       .reindex(columns=storage.read_table(project, "quarantine").columns)})

    def broken_write(table, path):
        if "quarantine" in str(path):
            raise OSError("disk full")
        return original(table, path)

    original = parquet_store._write_arrow
    monkeypatch.setattr(parquet_store, "_write_arrow", broken_write)
    with pytest.raises(OSError):
        storage.write_year(project, 2022, {"change_log": _log(5, 2022, "bad"), "quarantine": storage.read_table(project, "quarantine")})
    monkeypatch.setattr(parquet_store, "_write_arrow", original)
    assert storage.read_table(project, "change_log", 2022)["old_value"].tolist() == ["good0", "good1"]
    # The half-written files are cleared by the next writer and never become visible.
    storage.write_year(project, 2023, {"change_log": _log(1, 2023, "x")})
    assert not list(project.parquet_dir.glob("*/.*new-*"))
    assert storage.read_table(project, "change_log", 2022)["old_value"].tolist() == ["good0", "good1"]


def test_a_decided_swap_interrupted_by_a_crash_is_rolled_forward(project, monkeypatch):
    storage.write_year(project, 2022, {"change_log": _log(1, 2022, "old")})
    storage.build_query_database(project)

    def crash(swaps):
        raise KeyboardInterrupt  # the process dies after the journal is written

    monkeypatch.setattr(parquet_store, "_apply", crash)
    with pytest.raises(KeyboardInterrupt):
        storage.write_year(project, 2022, {"change_log": _log(2, 2022, "new")})
    monkeypatch.undo()
    assert _values(project, 2022) == ["old0"]  # readers still see the last complete database
    # ... which knows it is behind the Parquet files until it is built again.
    storage.write_year(project, 2024, {"change_log": _log(1, 2024, "z")})  # the next writer rolls forward
    assert storage.read_table(project, "change_log", 2022)["old_value"].tolist() == ["new0", "new1"]
    assert built_state(project.duckdb_path) != parquet_state(project)
    storage.build_query_database(project)
    assert _values(project, 2022) == ["new0", "new1"] and built_state(project.duckdb_path) == parquet_state(project)
    assert not list((project.parquet_dir / "_journal").glob("*.json"))


def test_readers_keep_reading_while_the_database_is_rebuilt(project):
    storage.write_year(project, 2022, {"change_log": _log(2, 2022, "a")})
    storage.build_query_database(project)
    reader = storage.connect_readonly(project)
    storage.write_year(project, 2022, {"change_log": _log(3, 2022, "b")})
    storage.build_query_database(project)  # must not be blocked by the reader
    assert reader.execute("SELECT count(*) FROM change_log").fetchall() == [(2,)]
    reader.close()
    assert _values(project, 2022) == ["b0", "b1", "b2"]


def test_writing_the_same_rows_again_touches_nothing(project):
    storage.write_year(project, 2022, {"change_log": _log(2, 2022, "a")})
    partition = project.parquet_dir / "change_log" / "census_year=2022" / "data.parquet"
    before = partition.stat().st_mtime_ns
    assert storage.write_year(project, 2022, {"change_log": _log(2, 2022, "a")}) == []
    assert partition.stat().st_mtime_ns == before


def test_an_empty_project_gets_every_table_and_view(project):
    """A brand-new project is input too: the database has every registered table, empty and
    typed, and the views bind."""
    storage.build_query_database(project)
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM firm_year").fetchone() == (0,)
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"firm_panel", "v_size_class_year", "firm_year_theme", "firm_year_legacy"} <= views


def test_categorical_names_are_read_back_as_text_over_years_with_different_names(project):
    """The KSIC names arrive as categoricals, each year with its own categories."""
    def year(y):
        frame = _log(4, y, "a")
        frame["rule"] = pd.Categorical([f"{y}제조업", f"{y}도매업", None, f"{y}제조업"])
        return frame

    storage.write_year(project, 2022, {"change_log": year(2022)})
    storage.write_year(project, 2023, {"change_log": year(2023)})
    both = storage.read_table(project, "change_log")
    assert both["rule"].dtype == "str"
    assert both["rule"].fillna("-").tolist() == ["2022제조업", "2022도매업", "-", "2022제조업", "2023제조업", "2023도매업", "-", "2023제조업"]


def test_a_damaged_table_file_stops_its_reader_naming_the_file_and_the_repair(project):
    storage.write_year(project, 2022, {"change_log": _log(2, 2022, "a")})
    path = project.parquet_dir / "change_log" / "census_year=2022" / "data.parquet"
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(parquet_store.StoreReadError) as caught:
        storage.read_table(project, "change_log", 2022)
    assert str(path) in str(caught.value) and "census run --rebuild" in str(caught.value)
