"""Every table an asset: one partition-aware IO manager writes each step's tables to the curated
Parquet store and reads them back for the next step.

An output is conformed to its registry entry and staged in a run's scratch folder; when the last
output of a step is staged, the step's tables are committed together (one journal, one writer
lock), so a year's firm_year, quarantine and change_log are replaced as one change and a step
that fails half-way replaces nothing. Inputs are read as pandas frames in the registry's dtypes;
an input that spans several years (the 3-year revenue history) is read for all of them at once.
"""


import ctypes
import ctypes.util
import gc
import json
import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow as pa

from pipeline.settings import Settings, load_settings
from pipeline.storage.parquet import commit_staged, read_table, stage_table
from pipeline.tables.registry import table_registry


def _year(key: str) -> int:
    return int(key)


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


_LIBC = _libc()
# Rows the steps of this process have written since memory was last handed back: below a few
# hundred thousand there is little to give back, and a full garbage collection of a large heap (a
# long-lived process, a test session) costs more than it saves.
WORTH_GIVING_BACK = 200_000
_rows_written = [0]


def give_back_memory() -> None:
    """Hands the memory of the previous steps' frames back to the system before a step reads its
    inputs, once they wrote WORTH_GIVING_BACK rows: the allocators (Arrow's mimalloc pool, glibc's
    arenas) otherwise keep it, and every step of a run executed in one process would count it
    again towards the peak."""
    if _rows_written[0] < WORTH_GIVING_BACK:
        return
    _rows_written[0] = 0
    gc.collect()
    pa.default_memory_pool().release_unused()
    if _LIBC is not None and hasattr(_LIBC, "malloc_trim"):
        _LIBC.malloc_trim(0)


class TableIOManager(dg.ConfigurableIOManager):
    """Where the agency's settings file is; empty means the project's (or $CENSUS_SETTINGS)."""

    settings_path: str = ""
    # An input manager of this class may read some columns and rows only (pyarrow filters), for
    # a step that needs a sliver of a large table.
    columns: list[str] | None = None
    filters: list[list] | None = None

    def _settings(self) -> Settings:
        return load_settings(Path(self.settings_path) if self.settings_path else None)

    def _scratch(self, settings: Settings, context: dg.OutputContext) -> Path:
        return settings.curated_dir / ".runs" / context.run_id / context.step_key

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame | pa.Table | None) -> None:
        if obj is None:
            return
        settings = self._settings()
        name = context.asset_key.path[-1]
        year = _year(context.partition_key) if context.has_partition_key else None
        scratch = self._scratch(settings, context)
        scratch.mkdir(parents=True, exist_ok=True)
        swap = stage_table(settings, name, obj, year, context.run_id[:12], scratch=scratch)
        (scratch / f"{name}.swap.json").write_text(json.dumps(swap))
        rows = int(obj.num_rows if isinstance(obj, pa.Table) else len(obj))
        _rows_written[0] += rows
        context.add_output_metadata({"dagster/row_count": rows})
        staged = sorted(scratch.glob("*.swap.json"))
        # Check results are outputs of the step too: only the registry's tables are counted.
        registry = table_registry(settings)
        tables = [o for o in context.op_def.output_defs if o.name in registry.tables]
        if len(staged) == len(tables):
            swaps = [json.loads(p.read_text()) for p in staged]
            commit_staged(settings, swaps, f"{context.run_id[:8]}-{abs(hash(context.step_key)) % 10**8}")
            shutil.rmtree(scratch, ignore_errors=True)

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        give_back_memory()  # a no-op until a large step has written its tables
        settings = self._settings()
        name = context.asset_key.path[-1]
        # An input may ask for some columns, and for some rows (pyarrow filters): a step that
        # needs a sliver of a large table does not read all of it.
        metadata = context.definition_metadata or {}
        columns = metadata.get("columns") or self.columns
        wanted = metadata.get("filters") or self.filters
        filters = [tuple(f) for f in wanted] if wanted else None
        if context.has_asset_partitions:
            years = [_year(k) for k in context.asset_partition_keys]
            return read_table(settings, name, years, columns=columns, filters=filters)
        return read_table(settings, name, columns=columns, filters=filters)
