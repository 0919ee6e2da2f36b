"""Parquet as the source of truth, DuckDB as the query layer.

Layout under data/curated/parquet/ (or the folder storage.parquet_store names):
    <table>/census_year=YYYY/data.parquet   tables with one partition per census year
    <table>/data.parquet                     tables over all years (firm, ksic, ...)

Every write is conformed to the table registry (pipeline/tables). A write replaces a year's
partitions of several tables as one change: new files beside the old ones, a journal naming the
swaps, then the renames; a crash before the journal leaves the old state, a crash after it is
rolled forward by the next writer. census.duckdb is built once per run from the Parquet files
(query_database), into a private file swapped in by one rename, so readers holding the old file
keep reading it and the file in place is always complete.

When storage.parquet_store is an fsspec URL (object storage) the same tables are written as new
immutable files made current by one manifest write (object_store.py: an object store has no
rename); census.duckdb stays a local file, built from the store's files.
"""

from pipeline.storage.parquet import (
           read_table,
           table_files,
           table_years,
           write_table,
           write_tables,
           write_year,
)
from pipeline.storage.query_database import build_query_database, connect_readonly
from pipeline.storage.writer_lock import writer_lock

__all__ = ["build_query_database", "connect_readonly", "read_table", "table_files", "table_years", "write_table",
           "write_tables", "write_year", "writer_lock"]
