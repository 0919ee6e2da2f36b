"""Researchers' access to research.duckdb: read-only, and locked so a query cannot reach any
other file (ATTACH of the internal database, read_csv of raw files, COPY TO)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipeline.cell_safety import neutralise
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
    .parquet or .xlsx. In CSV and xlsx every text cell a spreadsheet would run as a formula is
    neutralised (pipeline.cell_safety), and list or struct values are written as their text."""
    suffix = out.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ValueError(f"지원하지 않는 형식입니다 / unsupported output type {suffix!r}: use {sorted(EXPORT_SUFFIXES)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        frame.to_parquet(out, index=False)
        return out
    safe = spreadsheet_safe(frame)
    if suffix == ".csv":
        # CRLF line ends (what Excel writes) also make the writer quote a value holding a bare CR,
        # which would otherwise split its row in two.
        safe.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    else:
        for c in safe.select_dtypes(include=["datetimetz"]).columns:  # Excel has no time zones
            safe[c] = safe[c].dt.tz_localize(None)
        safe.to_excel(out, index=False, sheet_name="결과")
    return out


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns (and column names) are neutralised and whose list, array or
    struct values are text: a spreadsheet cell holds one scalar, and text is never a formula."""
    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for i in range(safe.shape[1]):
        column = safe.iloc[:, i]
        if column.dtype.kind in "iufbmM":
            continue
        values = [_scalar(v) for v in column.to_numpy(dtype=object)]
        safe.isetitem(i, pd.Series([neutralise(v) for v in values], index=safe.index, dtype=object))
    return safe


def _scalar(value):
    """A value a spreadsheet cell can hold: lists, arrays and dicts (DuckDB LIST, STRUCT, MAP)
    as their text."""
    if isinstance(value, np.ndarray):
        return str(value.tolist())
    if isinstance(value, (list, tuple, dict, set)):
        return str(value)
    return value
