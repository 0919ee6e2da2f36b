"""Assembling a census year's curated tables and checking that no raw row was lost."""

from __future__ import annotations

import pandas as pd


def curated_tables(curated: pd.DataFrame, quarantine: pd.DataFrame, flags: pd.DataFrame, change_log: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The year's tables as storage.write_year takes them, under their table names."""
    return {"firm_year": curated, "quarantine": quarantine, "validation_flag": flags, "change_log": change_log}


def reconcile_counts(raw_rows: int, tables: dict[str, pd.DataFrame]) -> dict:
    """Raw data rows = curated rows + quarantined rows (a row with several failures counts once,
    and no row may be both curated and quarantined)."""
    curated_ids = pd.Index(tables["firm_year"]["record_id"]).unique()
    quarantine = tables["quarantine"]
    quarantined_ids = pd.Index(quarantine["record_id"]).unique() if len(quarantine) else pd.Index([], dtype="str")
    both = curated_ids.intersection(quarantined_ids)
    out = {"raw": int(raw_rows), "curated": len(curated_ids), "quarantined": len(quarantined_ids), "in_both": len(both)}
    out["balanced"] = not len(both) and out["curated"] + out["quarantined"] == out["raw"] and len(tables["firm_year"]) == len(curated_ids)
    return out
