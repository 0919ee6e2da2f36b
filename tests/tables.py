"""Frames shaped as the registry's tables, for tests that write a stage's output by hand."""

from __future__ import annotations

import pandas as pd

from pipeline.tables.registry import table_registry

DTYPES = {"integer": "Int64", "number": "float64", "bool": "boolean", "date": "datetime64[ns]", "timestamp": "datetime64[ns]"}


def complete_table(settings, name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every registered column of the table, in registry order; the columns it
    lacks are empty (as for a firm nothing could be said of)."""
    spec = table_registry(settings).table(name)
    out = frame.copy()
    for column in spec.columns:
        if column.name not in out:
            out[column.name] = pd.Series(None, index=out.index, dtype="object").astype(DTYPES.get(column.type, "str"))
    return out[spec.column_names]
