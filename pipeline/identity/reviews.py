"""Analysts' decisions on uncertain links (config/identity_reviews.csv).

One row per reviewed pair: record_id_a, record_id_b, decision ('confirm' links the two records,
'split' keeps them in different firms), analyst, note. A decision overrides the score on every
rerun, so a reviewed pair never has to be reviewed again.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REVIEWS_FILE_NAME = "identity_reviews.csv"  # in the agency's config folder
REVIEW_COLUMNS = ["record_id_a", "record_id_b", "decision", "analyst", "note"]
DECISIONS = {"confirm", "split"}


def load_reviews(path: Path) -> pd.DataFrame:
    """The decisions, with record ids ordered (a < b) and unknown decisions dropped.

    A missing file means no decisions. Rows with a decision other than confirm/split are
    ignored rather than failing the run: they are analysts' notes in progress.
    """
    if not Path(path).exists():
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for col in REVIEW_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    raw = raw[REVIEW_COLUMNS].apply(lambda s: s.str.strip())
    raw["decision"] = raw["decision"].str.lower()
    raw = raw[raw["decision"].isin(DECISIONS) & (raw["record_id_a"] != "") & (raw["record_id_b"] != "")]
    a, b = raw["record_id_a"], raw["record_id_b"]
    raw["record_id_a"], raw["record_id_b"] = a.where(a < b, b), b.where(a < b, a)
    # The last decision on a pair wins (the file is appended to).
    return raw.drop_duplicates(["record_id_a", "record_id_b"], keep="last").reset_index(drop=True)
