"""Figures about links and tiers for checks and run metadata (no firm names, no personal data)."""

from __future__ import annotations

import pandas as pd


def resolved_share(links: pd.DataFrame) -> float:
    """Share of named customers resolved to an OEM, a registry supplier or a census firm."""
    return float((links["target_kind"] != "unresolved").mean()) if len(links) else 1.0


def unresolved_reasons(links: pd.DataFrame) -> dict[str, int]:
    reasons = links.loc[links["target_kind"] == "unresolved", "unresolved_reason"]
    return {str(k): int(v) for k, v in reasons.value_counts().items()}


def tier_distribution(tiers: pd.DataFrame, chains: list[str]) -> dict[str, dict[str, int]]:
    """Per chain, firm-years by inferred tier in that chain (4 and deeper pooled as "4+")."""
    out = {}
    for chain in chains:
        col = tiers.get(f"tier_{chain}")
        if col is None:
            continue
        labels = col.dropna().astype(int).clip(upper=4).map(lambda t: "4+" if t >= 4 else str(t))
        out[chain] = {k: int(v) for k, v in labels.value_counts().sort_index().items()}
    return out


def tier_coverage(tiers: pd.DataFrame) -> float:
    """Share of firm-years with a final tier (inferred or reported)."""
    return float(tiers["final_tier"].notna().mean()) if len(tiers) else 1.0
