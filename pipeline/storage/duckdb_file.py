"""The DuckDB query layer, refreshed into a fresh file that replaces the old one in a single
rename: tables are (re)loaded from Parquet here, except the year's rows that
pipeline.storage.duckdb_year loaded from Arrow beforehand."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipeline.settings import Settings

if TYPE_CHECKING:  # duckdb_year builds on this module
    from pipeline.storage.duckdb_year import StagedDatabase

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
PARTITION = "census_year"  # the hive partition column of the per-year tables


def next_database_path(settings: Settings) -> Path:
    """A new file beside census.duckdb for the next state, swapped in by one rename."""
    target = settings.duckdb_path
    return target.with_name(f".{target.name}.new-{uuid.uuid4().hex[:12]}")


def unswapped_databases(settings: Settings) -> list[Path]:
    """Next-state files a writer left without swapping them in (it died or failed)."""
    target = settings.duckdb_path
    return sorted(target.parent.glob(f".{target.name}.new-*")) if target.parent.exists() else []


def _tables(parquet_dir: Path) -> dict[str, str]:
    """Table name -> the read_parquet(...) expression for it."""
    out = {}
    if not parquet_dir.exists():
        return out
    for table_dir in sorted(p for p in parquet_dir.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        if (table_dir / "data.parquet").exists():
            out[table_dir.name] = f"read_parquet('{table_dir / 'data.parquet'}')"
        elif any(table_dir.glob(f"{PARTITION}=*/data.parquet")):
            glob = table_dir / f"{PARTITION}=*" / "data.parquet"
            out[table_dir.name] = f"read_parquet('{glob}', hive_partitioning = true, union_by_name = true)"
    return out


def rebuild_duckdb(settings: Settings, changed: set[str] | None = None, staged: StagedDatabase | None = None) -> Path:
    """Build census.duckdb from the Parquet tables, run pipeline/sql/*.sql (views) and the
    comment hooks, and swap the new file in.

    With `changed` (the tables whose Parquet was just replaced), the new file starts as a copy
    of the current one and only those tables are reloaded: a load_log entry or one table of
    several no longer reloads every table of every year. Without it, or if the current file
    cannot be used, every table is loaded afresh.

    `staged` is a copy already holding the new year of some
    changed tables: it is finished (the other changed tables, views, comments) and swapped in."""
    target = settings.duckdb_path
    target.parent.mkdir(parents=True, exist_ok=True)
    sources = _tables(settings.parquet_dir)
    if staged is not None:
        try:
            _fill(staged.path, settings, sources, reload=set(changed or sources) - staged.loaded)
        except duckdb.Error:
            staged.path.unlink(missing_ok=True)
        else:
            os.replace(staged.path, target)
            return target
    tmp = next_database_path(settings)
    if changed is not None and target.exists():
        try:
            shutil.copyfile(target, tmp)
            _fill(tmp, settings, sources, reload=set(changed))
        except duckdb.Error:  # an unreadable or older-format file: start from nothing
            tmp.unlink(missing_ok=True)
            _fill(tmp, settings, sources, reload=None)
    else:
        _fill(tmp, settings, sources, reload=None)
    os.replace(tmp, target)
    return target


def _fill(path: Path, settings: Settings, sources: dict[str, str], reload: set[str] | None) -> None:
    """Load into the database at `path` the tables in `reload` (all if None) and those it lacks,
    drop what is not a Parquet table any more, then views and comments."""
    con = duckdb.connect(str(path))
    try:
        configure(con, settings)
        for view in relations(con, "VIEW"):
            con.execute(f'DROP VIEW "{view}"')  # views and label tables are made anew below
        present = relations(con, "BASE TABLE")
        for stale in present - set(sources):
            con.execute(f'DROP TABLE "{stale}"')
        for name, source in sources.items():
            if reload is None or name in reload or name not in present:
                # Identifiers come from our own directory names; file paths are not user SQL.
                con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM {source}')
        run_sql_dir(con)
        for hook in after_rebuild_hooks():
            hook(con, settings)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        path.unlink(missing_ok=True)
        raise
    con.close()


def configure(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Settings of a connection that writes the database."""
    # DuckDB takes up to 80% of RAM by default; the load's own frames are alive meanwhile.
    # Beyond the limit it spills to a temporary folder beside the database.
    con.execute("SET memory_limit = ?", [settings.storage.duckdb_memory_limit])
    # Tables are sets: without keeping the files' row order, row groups load on every core.
    con.execute("SET preserve_insertion_order = false")


def relations(con: duckdb.DuckDBPyConnection, kind: str) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database() AND table_type = ?", [kind]).fetchall()
    return {r[0] for r in rows}


def required_tables(sql: str) -> list[str]:
    """The tables a view file names in its `-- requires: a, b` line (none if it has none)."""
    for line in sql.splitlines():
        if line.startswith("-- requires:"):
            return [t.strip() for t in line.split(":", 1)[1].split(",") if t.strip()]
    return []


def existing_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database()"
    ).fetchall()
    return {r[0] for r in rows}


def run_sql_file(con: duckdb.DuckDBPyConnection, path: Path, existing_tables: set[str]) -> bool:
    """Run a view file unless a table it requires is not built yet (e.g. before the first
    identity run); True if it ran."""
    text = path.read_text(encoding="utf-8")
    if not set(required_tables(text)) <= existing_tables:
        return False
    con.execute(text)
    return True


def run_sql_dir(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> None:
    """Every view file of `directory` (default pipeline/sql/) in name order."""
    existing = existing_relations(con)
    for sql_file in sorted((directory or SQL_DIR).glob("*.sql")):
        run_sql_file(con, sql_file, existing)


def after_rebuild_hooks() -> list:
    """Functions (con, settings) run on every rebuilt database: table and column comments."""
    from pipeline.catalog_hooks import HOOKS

    return list(HOOKS)


def connect_readonly(settings: Settings, path: Path | None = None) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path or settings.duckdb_path), read_only=True)
