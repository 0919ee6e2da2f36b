"""Per-table Parquet files, replaced atomically (see the package docstring).

Every write goes through the table registry (pipeline/tables): the frame becomes the Arrow table
its entry describes, or the write stops with a SchemaError before anything is replaced.
The store is a local folder (renames and a journal, below) or, when settings.storage.parquet_store
is an fsspec URL, an object store (new data files and one manifest: object_store.py). Readers go
through table_years, table_files and read_table, which serve both.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from pipeline.read.delivery import file_sha256
from pipeline.settings import Settings
from pipeline.storage import object_store as objects
from pipeline.storage.migrate import migrate_store
from pipeline.storage.writer_lock import writer_lock
from pipeline.tables.conform import to_arrow
from pipeline.tables.registry import table_registry
from pipeline.tables.spec import PARTITION

# Several row groups per large table: DuckDB loads a file's row groups in parallel (one group is
# one thread), and readers can skip groups by their statistics.
ROW_GROUP_ROWS = 131_072


class StoreReadError(OSError):
    """A Parquet file of the curated store cannot be read (damaged, truncated)."""


def table_file(settings: Settings, name: str, year: int | None) -> Path:
    base = settings.parquet_dir / name
    return (base / f"{PARTITION}={year}" / "data.parquet") if year is not None else base / "data.parquet"


def _write_arrow(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP_ROWS)


def stage_table(settings: Settings, name: str, data: pd.DataFrame | pa.Table, year: int | None, token: str,
                scratch: Path | None = None) -> dict:
    """Write the new content of one table (a year's partition, or the whole table), conformed to
    the registry, beside the current one (or into `scratch`, for a writer that stages without
    the lock and commits later with commit_staged); returns its swap for commit()."""
    spec = table_registry(settings).table(name)
    if spec.partitioned != (year is not None):
        raise ValueError(f"{name}: {'a census year is needed' if spec.partitioned else 'not partitioned by census year'}")
    arrow = to_arrow(spec, data)
    if settings.parquet_url is not None:
        if scratch is None:
            raise ValueError(f"{name}: an object store is written from a local scratch folder")
        swap = {"table": name, "year": year, "scratch": str(scratch / f"{name}-{year if year is not None else 'all'}.parquet")}
        _write_arrow(arrow, Path(swap["scratch"]))
        return swap
    final_file = table_file(settings, name, year)
    if year is not None:
        final = final_file.parent
        new = final.with_name(f".{final.name}.new-{token}")
        swap = {"new": str(new), "final": str(final), "old": str(final.with_name(f".{final.name}.old-{token}")),
                "new_file": str(new / "data.parquet"), "final_file": str(final_file)}
    else:
        new = final_file.with_name(f".data.parquet.new-{token}")
        swap = {"new": str(new), "final": str(final_file), "old": str(final_file.with_name(f".data.parquet.old-{token}")),
                "new_file": str(new), "final_file": str(final_file)}
    if scratch is not None:
        swap["scratch"] = str(scratch / f"{name}-{year if year is not None else 'all'}.parquet")
    _write_arrow(arrow, Path(swap.get("scratch") or swap["new_file"]))
    return swap


def commit_staged(settings: Settings, swaps: list[dict], token: str) -> list[str]:
    """Commit swaps whose files were staged in a scratch folder: under the writer lock, move them
    beside their tables and swap them in as one change (see write_tables)."""
    with writer_lock(settings.curated_dir):
        roll_forward(settings)
        store = objects.object_store(settings)
        if store is not None:
            return objects.commit(store, swaps)
        for swap in swaps:
            Path(swap["new_file"]).parent.mkdir(parents=True, exist_ok=True)
            os.replace(swap.pop("scratch"), swap["new_file"])
        return commit(settings, swaps, token)


def write_tables(settings: Settings, tables: dict[str, pd.DataFrame | pa.Table], year: int | None = None) -> list[str]:
    """Replace `year`'s partition of each table (or whole all-years tables) as one change: all of
    them or, after a crash, none until the next writer rolls the change forward. Returns the
    tables whose content changed."""
    token = uuid.uuid4().hex[:12]
    store = objects.object_store(settings)
    if store is not None:
        # Staged on the local disk (conformed, so a refused frame stops the write before any
        # upload), then uploaded and committed under the lock.
        settings.curated_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".staging-", dir=settings.curated_dir) as scratch:
            swaps = [stage_table(settings, name, data, year, token, Path(scratch)) for name, data in tables.items()]
            return commit_staged(settings, swaps, token)
    with writer_lock(settings.curated_dir):
        roll_forward(settings)
        swaps = [stage_table(settings, name, data, year, token) for name, data in tables.items()]
        return commit(settings, swaps, token)


def write_year(settings: Settings, year: int, tables: dict[str, pd.DataFrame | pa.Table]) -> list[str]:
    return write_tables(settings, tables, year)


def write_table(settings: Settings, name: str, data: pd.DataFrame | pa.Table) -> list[str]:
    return write_tables(settings, {name: data})


def _journal_dir(settings: Settings) -> Path:
    return settings.parquet_dir / "_journal"


def _same_content(a: Path, b: Path) -> bool:
    """Parquet written by the same pyarrow from the same rows is byte-identical."""
    if not (a.exists() and b.exists()) or a.stat().st_size != b.stat().st_size:
        return False
    return file_sha256(a) == file_sha256(b)


def commit(settings: Settings, swaps: list[dict], token: str) -> list[str]:
    """Swap staged files in (the caller holds the writer lock). A table whose new content equals
    the stored one is left alone, so that rerunning an unchanged load changes nothing, not even
    file times."""
    changed = []
    for swap in swaps:
        if _same_content(Path(swap["new_file"]), Path(swap["final_file"])):
            _remove(Path(swap["new"]))
        else:
            changed.append(swap)
    if not changed:
        return []
    journal = _journal_dir(settings) / f"{token}.json"
    journal.parent.mkdir(parents=True, exist_ok=True)
    tmp = journal.with_suffix(".tmp")
    tmp.write_text(json.dumps(changed))
    os.replace(tmp, journal)  # from here on the change is decided; a crash is rolled forward
    _apply(changed)
    for swap in changed:
        _remove(Path(swap["old"]))
    journal.unlink()
    return sorted({Path(swap["final"]).relative_to(settings.parquet_dir).parts[0] for swap in changed})


def _apply(swaps: list[dict]) -> None:
    for swap in swaps:
        new, final, old = Path(swap["new"]), Path(swap["final"]), Path(swap["old"])
        if not new.exists():
            continue  # already swapped before an interruption
        if final.exists():
            os.replace(final, old)
        os.replace(new, final)


def roll_forward(settings: Settings) -> bool:
    """Finish swaps that an interrupted writer had decided on; drop its unfinished files. True if
    a change was rolled forward (the query databases are then behind the Parquet files). An
    object store has no decided-but-unapplied change; its dead writers' files are swept."""
    store = objects.object_store(settings)
    if store is not None:
        objects.sweep(store)
        return False
    journal_dir = _journal_dir(settings)
    pending = sorted(journal_dir.glob("*.json")) if journal_dir.exists() else []
    for journal in pending:
        swaps = json.loads(journal.read_text())
        _apply(swaps)
        for swap in swaps:
            _remove(Path(swap["old"]))
        journal.unlink()
    # Files written by a writer that died before its journal was complete are not part of any state.
    if settings.parquet_dir.exists():
        for leftover in [*settings.parquet_dir.glob("*/.*.new-*"), *settings.parquet_dir.glob("*/.*.old-*"), *journal_dir.glob("*.tmp")]:
            _remove(leftover)
    migrate_store(settings, stage_table, commit)
    return bool(pending)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()


def unfinished_journals(settings: Settings) -> list[Path]:
    """Journals of changes a writer decided and did not finish (the next writer rolls them
    forward); an object store commits with one write and has none."""
    if settings.parquet_url is not None:
        return []
    journal = _journal_dir(settings)
    return sorted(journal.glob("*.json")) if journal.is_dir() else []


def table_years(settings: Settings, name: str) -> list[int]:
    store = objects.object_store(settings)
    if store is not None:
        return [y for y in objects.table_entries(objects.read_manifest(store), name) if y is not None]
    base = settings.parquet_dir / name
    if not base.exists():
        return []
    return sorted(int(p.name.split("=", 1)[1]) for p in base.glob(f"{PARTITION}=*") if (p / "data.parquet").exists())


def table_files(settings: Settings, name: str) -> list[Path | str]:
    """The Parquet files that hold a table now (one per year, or one): paths, or the URLs of an
    object store (DuckDB reads them once given the filesystem: query_database.register_store)."""
    store = objects.object_store(settings)
    if store is not None:
        return [store.uri(f) for f in objects.table_entries(objects.read_manifest(store), name).values()]
    single = table_file(settings, name, None)
    if single.exists():
        return [single]
    return [table_file(settings, name, y) for y in table_years(settings, name)]


def pandas_type(arrow_type: pa.DataType):
    """The pandas dtype every step works with: nullable integers and booleans stay nullable."""
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None


def tables_fingerprint(settings: Settings, names: list[str]) -> list[str]:
    """Lines that change whenever the tables' files do (the query databases record them); an
    object store's from one reading of its manifest, so one state, not a mix of two."""
    store = objects.object_store(settings)
    if store is not None:
        manifest = objects.read_manifest(store)
        return [line for name in names for line in objects.fingerprint(manifest, name)]
    lines = []
    for name in names:
        for path in table_files(settings, name):
            stat = path.stat()
            lines.append(f"{path.relative_to(settings.parquet_dir)}:{stat.st_size}:{stat.st_mtime_ns}")
    return lines


def _stored_files(settings: Settings, name: str) -> dict[int | None, tuple[str | Path, pafs.FileSystem | None]]:
    """Where a table's files are, by census year (None: one all-years file), with the Arrow
    filesystem that reads them (None: the local disk)."""
    store = objects.object_store(settings)
    if store is not None:
        entries = objects.table_entries(objects.read_manifest(store), name)  # one snapshot for the whole read
        return {y: (store.path(f), store.arrow_filesystem) for y, f in entries.items()}
    single = table_file(settings, name, None)
    if single.exists():
        return {None: (single, None)}
    return {y: (table_file(settings, name, y), None) for y in table_years(settings, name)}


def _read_parquet(path: Path | str, columns: list[str] | None = None, filters: list[tuple] | None = None,
                  filesystem: pafs.FileSystem | None = None) -> pd.DataFrame:
    """A Parquet file as a frame in the dtypes the steps use (text str, integer Int64, bool
    boolean, date datetime64[ns]). Categorical text (the KSIC names) is stored dictionary-encoded
    and read back as plain text, as DuckDB gives it: years with different sets of names then
    concatenate as text, not as object columns."""
    try:
        table = pq.read_table(path, columns=columns, filters=filters, filesystem=filesystem)
    except (OSError, pa.ArrowException) as e:
        # A damaged or half-copied file: whatever reads it stops, naming the file and the repair.
        raise StoreReadError(
            f"{path}: 저장된 표를 읽을 수 없습니다. 원본에서 다시 만드세요: census run --rebuild / "
            f"a stored table cannot be read ({str(e).splitlines()[0]}); rebuild it from the deliveries: census run --rebuild"
        ) from None
    for i, f in enumerate(table.schema):
        if pa.types.is_dictionary(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(f.type.value_type))
    frame = table.to_pandas(types_mapper=pandas_type, date_as_object=False)
    for f in table.schema:
        if pa.types.is_date32(f.type):
            frame[f.name] = frame[f.name].astype("datetime64[ns]")
    return frame


def read_table(settings: Settings, name: str, year: int | list[int] | None = None, columns: list[str] | None = None,
               filters: list[tuple] | None = None) -> pd.DataFrame:
    """A table from Parquet (all years, some, or one), census_year included; empty (with the
    registered columns when the table is registered) if never written. `filters`: rows to read,
    as pyarrow takes them ([("rule", "=", "ksic:multiple_codes")])."""
    stored = _stored_files(settings, name)
    if None in stored:
        path, filesystem = stored[None]
        df = _read_parquet(path, columns, filters, filesystem)
        if year is not None and PARTITION in df:
            wanted = [year] if isinstance(year, int) else list(year)
            df = df[df[PARTITION].isin(wanted)].reset_index(drop=True)
        return df
    years = sorted(stored) if year is None else ([year] if isinstance(year, int) else list(year))
    frames = []
    for y in years:
        if y in stored:
            path, filesystem = stored[y]
            df = _read_parquet(path, [c for c in columns if c != PARTITION] if columns else None, filters, filesystem)
            df.insert(0, PARTITION, pd.array([y] * len(df), dtype="Int64"))
            frames.append(df)
    if frames:
        return pd.concat(frames, ignore_index=True)
    return _empty(settings, name, columns)


def _empty(settings: Settings, name: str, columns: list[str] | None) -> pd.DataFrame:
    registry = table_registry(settings)
    if name not in registry.tables:
        return pd.DataFrame()
    spec = registry.table(name)
    schema = pa.schema([pa.field(c.name, c.arrow_type) for c in spec.columns if not columns or c.name in columns])
    frame = schema.empty_table().to_pandas(types_mapper=pandas_type, date_as_object=False)
    return frame.astype({f.name: "datetime64[ns]" for f in schema if pa.types.is_date32(f.type)})
