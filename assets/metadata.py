"""Metadata helpers shared by the asset modules."""

import dagster as dg
import pandas as pd

from pipeline.schema import columns_with_disclosure
from pipeline.settings import Settings


def preview(frame: pd.DataFrame, settings: Settings, rows: int = 5) -> dg.MetadataValue:
    """A few rows for the UI, never with personal data (as the agency's column catalogue marks it)."""
    personal = set(columns_with_disclosure("personal", settings.columns_path))
    shown = frame.drop(columns=[c for c in frame.columns if c in personal]).head(rows)
    return dg.MetadataValue.md(shown.to_markdown(index=False) if len(shown) else "(no rows)")


def counts(series: pd.Series) -> dg.MetadataValue:
    return dg.MetadataValue.json({str(k): int(v) for k, v in series.value_counts(dropna=False).items()})


def managed(specs: list[dg.AssetSpec]) -> list[dg.AssetSpec]:
    """Specs whose tables the IO manager writes (a spec alone declares an asset the step
    materialises itself, with no value to store)."""
    return [spec.with_io_manager_key("io_manager") for spec in specs]
