"""Summaries of a classified frame for asset metadata and checks (no Dagster here)."""

from __future__ import annotations

import pandas as pd


def value_counts(series: pd.Series, missing: str = "(none)") -> dict[str, int]:
    return {str(k): int(v) for k, v in series.fillna(missing).value_counts().items()}


def unclassified(frame: pd.DataFrame, section_column: str) -> pd.DataFrame:
    """Rows whose firm-year has no KSIC section in the target revision, with the reason."""
    missing = frame[section_column].isna()
    return frame.loc[missing, [c for c in ("record_id", "source_row", "ksic_revision", "ksic_code", "ksic_issue") if c in frame]]


def unclassified_share(frame: pd.DataFrame, section_column: str) -> float:
    return float(frame[section_column].isna().mean()) if len(frame) else 0.0


UNCLASSIFIED_CHECK = "unclassified_share_below_threshold"


def unclassified_message(share: float, limit: float) -> str:
    """The Korean/English description of the unclassified-share check (census run and census validate)."""
    return (f"KSIC 대분류 없는 비율 {share:.1%} (허용 {limit:.1%}) / "
            f"share without a KSIC section {share:.1%} (threshold {limit:.1%})")
