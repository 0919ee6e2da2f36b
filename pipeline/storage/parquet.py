"""Per-table Parquet files, replaced atomically (see the package docstring)."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.read.delivery import file_sha256
from pipeline.settings import Settings
from pipeline.storage.duckdb_file import PARTITION, rebuild_duckdb, unswapped_databases
from pipeline.storage.duckdb_year import StagedDatabase, stage_year
from pipeline.storage.writer_lock import writer_lock

# Several row groups per large table: DuckDB loads a file's row groups in parallel (one group is
# one thread), and readers can skip groups by their statistics.
ROW_GROUP_ROWS = 131_072


def _partition_dir(settings: Settings, table: str, year: int) -> Path:
    return settings.parquet_dir / table / f"{PARTITION}={year}"


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    _write_arrow(pa.Table.from_pandas(df, preserve_index=False), path)


def _write_arrow(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP_ROWS)


def write_year(settings: Settings, year: int, tables: dict[str, pd.DataFrame]) -> None:
    """Replace the census_year=`year` partition of each table, then rebuild DuckDB."""
    token = uuid.uuid4().hex[:12]
    with writer_lock(settings.curated_dir):
        roll_forward(settings)
        swaps = []
        for name in tables:
            final = _partition_dir(settings, name, year)
            tmp = final.with_name(f".{final.name}.new-{token}")
            swaps.append({"new": str(tmp), "final": str(final), "old": str(final.with_name(f".{final.name}.old-{token}")),
                          "new_file": str(tmp / "data.parquet"), "final_file": str(final / "data.parquet")})
        # census_year lives in the directory name (hive partitioning), not in the file.
        arrow = {name: pa.Table.from_pandas(df.drop(columns=[PARTITION], errors="ignore"), preserve_index=False)
                 for name, df in tables.items()}
        stored = {name: table_years(settings, name) for name in tables}
        # The next DuckDB file takes the same Arrow tables while they are encoded to Parquet;
        # both release the GIL.
        with ThreadPoolExecutor(max_workers=1) as pool:
            database = pool.submit(stage_year, settings, year, arrow, stored)
            try:
                for table, swap in zip(arrow.values(), swaps, strict=True):
                    _write_arrow(table, Path(swap["new_file"]))
            except BaseException:
                if (unused := database.result()) is not None:
                    unused.path.unlink(missing_ok=True)
                raise
            staged = database.result()
        del arrow
        # The Arrow buffers of the written tables are free now; hand them back before DuckDB
        # takes its own memory for the rest of the refresh.
        pa.default_memory_pool().release_unused()
        _commit(settings, swaps, token, staged)


def write_table(settings: Settings, name: str, df: pd.DataFrame) -> None:
    """Replace an all-years table as a whole, then rebuild DuckDB."""
    token = uuid.uuid4().hex[:12]
    with writer_lock(settings.curated_dir):
        roll_forward(settings)
        final = settings.parquet_dir / name / "data.parquet"
        tmp = final.with_name(f".data.parquet.new-{token}")
        _write_parquet(df, tmp)
        _commit(settings, [{"new": str(tmp), "final": str(final), "old": str(final.with_name(f".data.parquet.old-{token}")),
                            "new_file": str(tmp), "final_file": str(final)}], token)


def _journal_dir(settings: Settings) -> Path:
    return settings.parquet_dir / "_journal"


def _same_content(a: Path, b: Path) -> bool:
    """Parquet written by the same pyarrow from the same rows is byte-identical."""
    if not (a.exists() and b.exists()) or a.stat().st_size != b.stat().st_size:
        return False
    return file_sha256(a) == file_sha256(b)


def _commit(settings: Settings, swaps: list[dict], token: str, staged: StagedDatabase | None = None) -> None:
    # A table whose new content equals the stored one is left alone, so that rerunning an
    # unchanged load changes nothing, not even file times.
    changed = []
    for swap in swaps:
        if _same_content(Path(swap["new_file"]), Path(swap["final_file"])):
            _remove(Path(swap["new"]))
        else:
            changed.append(swap)
    swaps = changed
    if not swaps:
        if staged is not None:
            staged.path.unlink(missing_ok=True)
        return
    journal = _journal_dir(settings) / f"{token}.json"
    journal.parent.mkdir(parents=True, exist_ok=True)
    tmp = journal.with_suffix(".tmp")
    tmp.write_text(json.dumps(swaps))
    os.replace(tmp, journal)  # from here on the change is decided; a crash is rolled forward
    _apply(swaps)
    rebuild_duckdb(settings, changed={Path(swap["final"]).relative_to(settings.parquet_dir).parts[0] for swap in swaps}, staged=staged)
    for swap in swaps:
        _remove(Path(swap["old"]))
    journal.unlink()


def _apply(swaps: list[dict]) -> None:
    for swap in swaps:
        new, final, old = Path(swap["new"]), Path(swap["final"]), Path(swap["old"])
        if not new.exists():
            continue  # already swapped before an interruption
        if final.exists():
            os.replace(final, old)
        os.replace(new, final)


def roll_forward(settings: Settings) -> None:
    """Finish swaps that an interrupted writer had decided on; drop its unfinished files."""
    journal_dir = _journal_dir(settings)
    pending = sorted(journal_dir.glob("*.json")) if journal_dir.exists() else []
    for journal in pending:
        swaps = json.loads(journal.read_text())
        _apply(swaps)
        for swap in swaps:
            _remove(Path(swap["old"]))
        journal.unlink()
    if pending:
        rebuild_duckdb(settings)
    # Files written by a writer that died before its journal was complete are not part of any
    # state, nor is a database copy it had not swapped in.
    if settings.parquet_dir.exists():
        for leftover in settings.parquet_dir.glob("*/.*.new-*"):
            _remove(leftover)
    for leftover in unswapped_databases(settings):
        _remove(leftover)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()


def table_years(settings: Settings, name: str) -> list[int]:
    base = settings.parquet_dir / name
    if not base.exists():
        return []
    return sorted(int(p.name.split("=", 1)[1]) for p in base.glob(f"{PARTITION}=*") if (p / "data.parquet").exists())


def _read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file as a frame. Categorical text (the KSIC names) is stored dictionary-encoded
    and read back as plain text, as DuckDB gives it: years with different sets of names then
    concatenate as text, not as object columns."""
    table = pq.read_table(path)
    for i, f in enumerate(table.schema):
        if pa.types.is_dictionary(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(f.type.value_type))
    return table.to_pandas()


def read_table(settings: Settings, name: str, year: int | None = None) -> pd.DataFrame:
    """A table from Parquet (all years, or one), census_year included; empty if never written."""
    base = settings.parquet_dir / name
    single = base / "data.parquet"
    if single.exists():
        df = _read_parquet(single)
        return df[df[PARTITION] == year].reset_index(drop=True) if year is not None and PARTITION in df else df
    years = [year] if year is not None else table_years(settings, name)
    frames = []
    for y in years:
        path = _partition_dir(settings, name, y) / "data.parquet"
        if path.exists():
            df = _read_parquet(path)
            df.insert(0, PARTITION, y)
            frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
