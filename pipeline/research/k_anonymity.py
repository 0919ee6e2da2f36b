"""How many firm-years of the research database a combination of quasi-identifiers (founding
year, 시군구/읍면동, KSIC, size band) singles out: the k-anonymity report of every build."""

from __future__ import annotations

import pandas as pd

from pipeline.tables.spec import PARTITION

COLUMNS = ["census_year", "firm_years", "classes", "firm_years_below_k", "share_below_k", "k", "quasi_identifiers"]


def k_anonymity_report(frame: pd.DataFrame, quasi_identifiers: list[str], k: int) -> pd.DataFrame:
    """Per census year: firm-years, distinct combinations, and the firm-years whose combination
    fewer than k firm-years of that year share (a missing value is a value of its own)."""
    missing = [c for c in quasi_identifiers if c not in frame.columns]
    if missing:
        raise ValueError(f"k-익명성 준식별자가 연구용 firm_year에 없습니다 / quasi-identifiers not in the research "
                         f"firm_year: {', '.join(missing)} (config/settings.yaml research.k_anonymity)")
    rows = []
    for year, group in frame.groupby(PARTITION, sort=True):
        keys = group[quasi_identifiers].astype("string").fillna("\x00missing")
        sizes = keys.assign(_n=1).groupby(quasi_identifiers)["_n"].transform("size")
        below = int((sizes < k).sum()) if len(sizes) else 0
        classes = int(len(keys.drop_duplicates()))
        rows.append({"census_year": int(year), "firm_years": len(group), "classes": classes, "firm_years_below_k": below,
                     "share_below_k": round(below / len(group), 4) if len(group) else 0.0, "k": k,
                     "quasi_identifiers": ", ".join(quasi_identifiers)})
    return pd.DataFrame(rows, columns=COLUMNS)
