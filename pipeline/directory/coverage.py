"""How much of the directory is translated: strings per language and source."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from pipeline.directory import LANGUAGES, SOURCES
from pipeline.directory.entries import FirmEntry

FIELDS = ("name", "sector", "activity", "products", "complex", "address")


def coverage_table(entries: list[FirmEntry]) -> pd.DataFrame:
    """One row per (language, field) with a count per source, plus `total` and `translated_pct`
    (share of strings not marked untranslated)."""
    rows = []
    for lang in LANGUAGES:
        for name in FIELDS:
            counts: Counter = Counter()
            for entry in entries:
                values = getattr(entry, name)[lang]
                for value in values if isinstance(values, list) else [values]:
                    if value is not None:
                        counts[value.source] += 1
            total = sum(counts.values())
            row = {"lang": lang, "field": name, **{s: counts.get(s, 0) for s in SOURCES}, "total": total}
            row["translated_pct"] = round(100.0 * (total - counts.get("untranslated", 0)) / total, 1) if total else None
            rows.append(row)
    return pd.DataFrame(rows)
