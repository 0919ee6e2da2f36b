"""One census year's tables loaded into the next DuckDB file while their Parquet is written.

The query layer is refreshed from the same Arrow tables that are written to Parquet, in a
second thread beside the Parquet writer: at a million firms that is most of the write step
(DuckDB reading the fresh Parquet back took 7 s after the 4 s of writing it). A table takes
this path only where the result is certainly the one a reload from Parquet gives: its rows for
the year replace those in the current table of the same schema, or it is new and has no other
year. Column types whose mapping could differ between the two routes (null, nested ...) leave
the table to the reload from Parquet, as does any DuckDB error.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.settings import Settings
from pipeline.storage.duckdb_file import PARTITION, configure, next_database_path, relations

# DuckDB scans an Arrow table one record batch per thread, so the rows are handed over in
# batches of its row-group size (122,880 rows).
DUCKDB_ROW_GROUP = 122_880


@dataclass
class StagedDatabase:
    """A copy of census.duckdb not yet swapped in, and the tables already holding the new year."""

    path: Path
    loaded: set[str] = field(default_factory=set)


def _plain(table: pa.Table) -> bool:
    def text(t: pa.DataType) -> bool:
        return pa.types.is_string(t) or pa.types.is_large_string(t)

    def ok(t: pa.DataType) -> bool:
        return (text(t) or pa.types.is_integer(t) and pa.types.is_signed_integer(t)
                or pa.types.is_floating(t) or pa.types.is_boolean(t) or pa.types.is_date32(t)
                or pa.types.is_timestamp(t) and t.tz is None
                # categorical text (the KSIC names): VARCHAR both ways, as its Parquet is read back
                or pa.types.is_dictionary(t) and text(t.value_type))
    return all(ok(f.type) for f in table.schema)


def _schema(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]


def stage_year(settings: Settings, year: int, tables: dict[str, pa.Table], stored_years: dict[str, list[int]]) -> StagedDatabase | None:
    """A copy of the current database (or a new one) with `year`'s rows of each table in
    `tables` loaded where that is certain to equal the reload from Parquet; None on a DuckDB
    error. `stored_years` are the years each table holds in Parquet now."""
    target = settings.duckdb_path
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = StagedDatabase(next_database_path(settings))
    try:
        if target.exists():
            shutil.copyfile(target, staged.path)
        con = duckdb.connect(str(staged.path))
        try:
            configure(con, settings)
            present = relations(con, "BASE TABLE")
            for name, table in tables.items():
                if not _plain(table):
                    continue
                rows = table.append_column(PARTITION, pa.array(np.full(table.num_rows, year, dtype=np.int64)))
                con.register("year_rows", rows.slice(0, 0))
                if name in present and _schema(con, f'"{name}"') == _schema(con, "year_rows"):
                    con.execute(f'DELETE FROM "{name}" WHERE "{PARTITION}" = ?', [year])
                elif name not in present and set(stored_years.get(name, [])) <= {year}:
                    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM year_rows')
                else:
                    con.unregister("year_rows")
                    continue
                # One INSERT of all the rows, on every core even while the Parquet writer runs
                # (at a million firms 8 s for both against 12 s with DuckDB held to one thread
                # meanwhile). Several INSERTs each leave part-filled row groups behind, which
                # closing the file then rewrites: slower, and a file twice the size.
                con.register("year_rows", pa.Table.from_batches(rows.to_batches(max_chunksize=DUCKDB_ROW_GROUP), rows.schema))
                con.execute(f'INSERT INTO "{name}" SELECT * FROM year_rows')
                con.unregister("year_rows")
                staged.loaded.add(name)
        finally:
            con.close()
    except (duckdb.Error, OSError):
        staged.path.unlink(missing_ok=True)
        return None
    return staged
