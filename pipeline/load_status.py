"""The load status of every census year, as the view `load_status` of census.duckdb defines it,
read straight from the load_log Parquet files: the Dagster asset and anyone without a current
database see the same rows as a query of the view (one SQL file, pipeline/sql/)."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.settings import Settings
from pipeline.storage.parquet import table_files
from pipeline.storage.query_database import SQL_DIR, create_table, register_store
from pipeline.tables.registry import table_registry

VIEW = "load_status"
VIEW_SQL = SQL_DIR / "60_load_status.sql"
COUNTS = ("rows_read", "rows_curated", "rows_quarantined", "rows_flagged")


def load_status(settings: Settings) -> pd.DataFrame:
    """One row per census year and file: the load in place and a failed attempt after it
    (counts as nullable integers, empty where a failed load read nothing)."""
    spec = table_registry(settings).table("load_log")
    with duckdb.connect() as con:
        register_store(con, settings)
        create_table(con, spec, table_files(settings, "load_log"))
        con.execute(VIEW_SQL.read_text(encoding="utf-8"))
        frame = con.execute(f"SELECT * FROM {VIEW}").df()
    return frame.astype({c: "Int64" for c in (*COUNTS, "census_year")})
