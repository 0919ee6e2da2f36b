"""Parquet as the source of truth, DuckDB as the query layer.

Layout under data/curated/parquet/:
    <table>/census_year=YYYY/data.parquet   tables with one partition per census year
    <table>/data.parquet                     tables over all years (load_log, firm, ...)

A year is replaced as a whole: new partitions are written beside the old ones, a journal names
the swaps, the directories are renamed, and the DuckDB file is refreshed into a new file that
replaces the old one with one rename: a copy of the current file in which the year's rows were
loaded from the same Arrow tables while their Parquet was written (duckdb_year), and the other
tables whose Parquet changed are reloaded (every table when there is no usable file, or after a
crash). A crash before the journal leaves the old state; a crash after it is rolled forward by
the next writer, with a full rebuild. Readers that hold the old DuckDB file open keep reading it
undisturbed.
"""

from pipeline.storage.duckdb_file import connect_readonly, rebuild_duckdb
from pipeline.storage.parquet import read_table, table_years, write_table, write_year
from pipeline.storage.writer_lock import writer_lock

__all__ = ["connect_readonly", "rebuild_duckdb", "read_table", "table_years", "write_table", "write_year", "writer_lock"]
