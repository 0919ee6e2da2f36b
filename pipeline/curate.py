"""Assembling a census year's curated tables and checking that no raw row was lost."""

from __future__ import annotations

import pandas as pd

from pipeline.stage import StagedYear


def curated_tables(staged: StagedYear, curated: pd.DataFrame | None = None, quarantine: pd.DataFrame | None = None,
                   flags: pd.DataFrame | None = None, change_log: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The year's tables as storage.write_year takes them. Later stages (validation,
    classification) pass their own frames; by default the staged ones are used."""
    tables = {
        "firm_year": staged.frame if curated is None else curated,
        "quarantine": staged.quarantine if quarantine is None else quarantine,
        "change_log": staged.change_log if change_log is None else change_log,
    }
    if flags is not None:
        tables["validation_flag"] = flags
    return tables


def reconcile_counts(raw_rows: int, tables: dict[str, pd.DataFrame]) -> dict:
    """Raw data rows = curated rows + quarantined rows (a row with several failures counts once,
    and no row may be both curated and quarantined)."""
    curated_ids = set(tables["firm_year"]["record_id"])
    quarantined_ids = set(tables["quarantine"]["record_id"]) if len(tables["quarantine"]) else set()
    both = curated_ids & quarantined_ids
    out = {"raw": int(raw_rows), "curated": len(curated_ids), "quarantined": len(quarantined_ids), "in_both": len(both)}
    out["balanced"] = not both and out["curated"] + out["quarantined"] == out["raw"] and len(tables["firm_year"]) == len(curated_ids)
    return out
