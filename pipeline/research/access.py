"""Researchers' access to research.duckdb: read-only, and locked so a query cannot reach any
other file (ATTACH of the internal database, read_csv of raw files, COPY TO)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from pipeline.research.build import research_path
from pipeline.settings import Settings

EXPORT_SUFFIXES = {".csv", ".parquet", ".xlsx"}


def connect_research(settings: Settings, path: Path | None = None) -> duckdb.DuckDBPyConnection:
    path = path or research_path(settings)
    if not path.is_file():
        raise FileNotFoundError(
            f"연구용 데이터베이스가 없습니다: {path}. `census research build`로 만드세요. / "
            f"No research database at {path}; build it with `census research build`."
        )
    # lock_configuration: the query itself cannot switch external access back on.
    return duckdb.connect(str(path), read_only=True,
                          config={"enable_external_access": False, "lock_configuration": True})


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def export_frame(frame: pd.DataFrame, out: Path) -> Path:
    """Write a result by the file suffix: .csv (UTF-8 with BOM, so Excel shows Korean),
    .parquet or .xlsx."""
    suffix = out.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ValueError(f"지원하지 않는 형식입니다 / unsupported output type {suffix!r}: use {sorted(EXPORT_SUFFIXES)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(out, index=False, encoding="utf-8-sig")
    elif suffix == ".parquet":
        frame.to_parquet(out, index=False)
    else:
        naive = frame.copy()
        for c in naive.select_dtypes(include=["datetimetz"]).columns:  # Excel has no time zones
            naive[c] = naive[c].dt.tz_localize(None)
        naive.to_excel(out, index=False, sheet_name="결과")
    return out
