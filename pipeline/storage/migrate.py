"""Stores written by an earlier release, brought to the registry's layout before the next write.

0.1 kept load_log as one all-years file; it is a per-year table now (a year's load history lives
beside the year). Every other table is rewritten by the reload that the new release's version
(part of the config fingerprint) makes due."""

from __future__ import annotations

import pyarrow.parquet as pq

from pipeline.settings import Settings


def migrate_store(settings: Settings, stage_table, commit) -> list[str]:
    """Migrate what needs it (the caller, the Parquet store, holds the writer lock and passes its
    own stage and commit); returns what was migrated."""
    done = []
    old = settings.parquet_dir / "load_log" / "data.parquet"
    if old.exists():
        log = pq.read_table(old).to_pandas()
        if "rows_flagged" not in log:
            log["rows_flagged"] = None
        swaps = [stage_table(settings, "load_log", rows, int(year), "migrate-01")
                 for year, rows in log.groupby("census_year")]
        commit(settings, swaps, "migrate-01")
        old.unlink()
        done.append("load_log")
    return done
