"""Consistency checks of firm identities."""

from __future__ import annotations

import pandas as pd

from pipeline.identifiers import VALID, brn_status, normalise_number


def firms_with_two_brns(identity: pd.DataFrame, firm_year: pd.DataFrame) -> list[str]:
    """firm_ids whose records carry two different valid 사업자등록번호 (must be empty)."""
    fy = firm_year.assign(record_id=firm_year["record_id"].astype(str))
    number = normalise_number(fy["brn"].astype("string")) if "brn" in fy else pd.Series(pd.NA, index=fy.index)
    fy = fy.assign(brn_valid=number.where(brn_status(fy["brn"]) == VALID) if "brn" in fy else number)
    joined = identity.merge(fy[["record_id", "brn_valid"]], on="record_id").dropna(subset=["brn_valid"])
    counts = joined.groupby("firm_id")["brn_valid"].nunique()
    return sorted(counts[counts > 1].index)
