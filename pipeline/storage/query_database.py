"""census.duckdb, built once per run from the Parquet files (the source of truth).

The database is made in a fresh private file and swapped in with one rename, under the writer
lock: readers holding the old file open keep reading it undisturbed, and the file in place is
always a complete database. Every table is created from its registry entry (types, column
order, COMMENTs), so an empty project still gets every table and view, and the database records
which Parquet state it was built from (`_build_state`): `census status` and the load compare it
with the files to tell whether the database is behind.

The database itself is a local file (DuckDB writes to a disk); the Parquet files it is built from
may be in an object store, which DuckDB reads through the store's fsspec filesystem.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import duckdb

from pipeline.catalogue.comments import document
from pipeline.settings import Settings
from pipeline.storage.object_store import object_store
from pipeline.storage.parquet import roll_forward, table_files, tables_fingerprint
from pipeline.storage.writer_lock import writer_lock
from pipeline.tables.registry import TableRegistry, table_registry
from pipeline.tables.spec import TableSpec

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
REGISTRY_FILES = sorted((Path(__file__).resolve().parent.parent / "tables").glob("*.yaml"))
STATE_TABLE = "_build_state"


def parquet_state(settings: Settings, registry: TableRegistry | None = None) -> str:
    """A fingerprint of what the query database is built from: the Parquet files (names, sizes,
    times), the table registry and the view SQL (a new table or view makes it behind too)."""
    registry = registry or table_registry(settings)
    h = hashlib.sha256()
    for path in sorted([*REGISTRY_FILES, *SQL_DIR.glob("*.sql")]):
        h.update(path.read_bytes())
    for line in tables_fingerprint(settings, [spec.name for spec in registry.query_tables]):
        h.update(f"{line}\n".encode())
    return h.hexdigest()[:20]


def register_store(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Let the connection read the curated store's files when they are in an object store."""
    store = object_store(settings)
    if store is not None:
        con.register_filesystem(store.fs)


def _build_record(path: Path, column: str):
    """One field of a database file's build record (None if the file is missing, unreadable or
    has no record)."""
    if not path.is_file():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(f'SELECT "{column}" FROM "{STATE_TABLE}"').fetchone()[0]
    except (duckdb.Error, TypeError):
        return None


def built_state(path: Path) -> str | None:
    """The Parquet state a database file was built from."""
    return _build_record(path, "state")


def record_build_state(con: duckdb.DuckDBPyConnection, state: str | None) -> None:
    """Write `_build_state` into a database being built: the Parquet state it holds. Both
    databases carry it (research.duckdb the state of the census.duckdb it was made from), so a
    database left behind by a crash or a failed build stays visibly behind until rebuilt."""
    con.execute(f'CREATE TABLE "{STATE_TABLE}" AS SELECT CAST(? AS VARCHAR) AS state, now() AS built_at', [state])
    con.execute(f"COMMENT ON TABLE \"{STATE_TABLE}\" IS '빌드 상태 / the Parquet state this database was built from'")
    con.execute(f"COMMENT ON COLUMN \"{STATE_TABLE}\".state IS 'Parquet 지문 / fingerprint of the Parquet files (census status compares it)'")
    con.execute(f"COMMENT ON COLUMN \"{STATE_TABLE}\".built_at IS '빌드 시각 / when the database was built'")


def built_at(path: Path):
    """When a database file was built."""
    return _build_record(path, "built_at")


def in_step(settings: Settings, paths: list[Path], registry: TableRegistry | None = None) -> dict[Path, bool]:
    """Whether each database was built from the Parquet files as they are now."""
    current = parquet_state(settings, registry)
    return {path: built_state(path) == current for path in paths}


def private_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.new-{uuid.uuid4().hex[:12]}")


def discard_database_file(path: Path) -> None:
    """A database file and its write-ahead log, if they exist."""
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)


def clear_private_files(target: Path) -> None:
    """Files a builder that died left beside the database (the caller holds the writer lock)."""
    for leftover in target.parent.glob(f".{target.name}.new-*") if target.parent.exists() else []:
        discard_database_file(leftover)


def build_query_database(settings: Settings) -> Path:
    """Build census.duckdb from the Parquet files and swap it in."""
    registry = table_registry(settings)
    target = settings.duckdb_path
    target.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(settings.curated_dir):
        roll_forward(settings)
        clear_private_files(target)
        tmp = private_path(target)
        try:
            with duckdb.connect(str(tmp)) as con:
                configure(con, settings)
                register_store(con, settings)
                for spec in registry.query_tables:
                    create_table(con, spec, table_files(settings, spec.name))
                document(con, registry, settings)
                record_build_state(con, parquet_state(settings, registry))
                con.execute("CHECKPOINT")
            os.replace(tmp, target)
        finally:
            discard_database_file(tmp)
    return target


def create_table(con: duckdb.DuckDBPyConnection, spec: TableSpec, files: list[Path | str]) -> None:
    """The table as its registry entry says, filled from its Parquet files (none: empty)."""
    columns = ", ".join(f'"{c.name}" {c.duckdb_type}' for c in spec.columns)
    con.execute(f'CREATE TABLE "{spec.name}" ({columns})')
    if not files:
        return
    stored = ", ".join(f'"{c.name}"' for c in spec.columns)
    source = f"read_parquet(?, hive_partitioning = {'true' if spec.partitioned else 'false'}, union_by_name = true)"
    # Identifiers come from the registry, file paths are bound parameters.
    con.execute(f'INSERT INTO "{spec.name}" SELECT {stored} FROM {source}', [[str(f) for f in files]])


def configure(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Settings of a connection that writes a database."""
    # DuckDB takes up to 80% of RAM by default; beyond the limit it spills beside the database.
    con.execute("SET memory_limit = ?", [settings.storage.duckdb_memory_limit])
    # Tables are sets: without keeping the files' row order, row groups load on every core.
    con.execute("SET preserve_insertion_order = false")


def existing_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database()"
    ).fetchall()
    return {r[0] for r in rows}


def connect_readonly(settings: Settings, path: Path | None = None) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path or settings.duckdb_path), read_only=True)
