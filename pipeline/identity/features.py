"""Comparison features of a firm-year record for linkage across census years.

Personal data (대표자명) is used here for linkage only; it never leaves this module's frames
into outputs (see pipeline.identity.scoring, which returns comparison levels, not values).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from pipeline.classify.address import address_columns
from pipeline.identifiers import MASKED, VALID, brn_status, normalise_number
from pipeline.names import NameRules, canonical_key


def address_parts(fy: pd.DataFrame, sido_of: dict[str, str]) -> pd.DataFrame:
    """addr_emd (the 읍·면, else the 법정동), addr_road and addr_number: the columns the
    classification stage adds to firm_year, parsed the same way here when they are absent."""
    wanted = ["addr_emd", "addr_road", "addr_number"]
    if set(wanted) <= set(fy.columns):
        return fy[wanted]
    address = fy["address"] if "address" in fy.columns else pd.Series(None, index=fy.index, dtype="str")
    return address_columns(address, sido_of)[wanted]


def _compact(value: object) -> object:
    if not isinstance(value, str):
        return float("nan")
    text = re.sub(r"[\s,.\-()]+", "", unicodedata.normalize("NFKC", value)).lower()
    return text or float("nan")


def per_value(series: pd.Series, fn) -> pd.Series:
    """series.map(fn), with fn called once per distinct value (names, addresses and codes repeat
    from year to year) and once for the missing values, which fn must treat alike."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    done = np.array([*(fn(v) for v in uniques), fn(float("nan"))], dtype=object)
    return pd.Series(done[codes], index=series.index)


def record_features(firm_year: pd.DataFrame, rules: NameRules, sido_of: dict[str, str]) -> pd.DataFrame:
    """One row per record: record_id, census_year, name_key, brn_valid (the number when its
    check digit holds), brn_shown (digits with '*' for hidden ones, for masked numbers), founded,
    rep (no spaces), address_key, road, dong, ksic. `sido_of`: the 시도 aliases (sido_aliases)."""
    fy = firm_year.reset_index(drop=True)
    col = lambda name: fy[name] if name in fy.columns else pd.Series(float("nan"), index=fy.index)  # noqa: E731
    brn = col("brn")
    status = brn_status(brn) if len(fy) else pd.Series(dtype=object)
    number = normalise_number(brn.astype("string")) if len(fy) else pd.Series(dtype="string")
    parts = address_parts(fy, sido_of)
    road = (parts["addr_road"].astype(object) + " " + parts["addr_number"].astype(object)).where(
        parts["addr_road"].notna() & parts["addr_number"].notna())
    founded = pd.to_datetime(col("founded_date"), errors="coerce")
    out = pd.DataFrame({
        "record_id": fy["record_id"].astype(str),
        "census_year": pd.to_numeric(fy["census_year"], errors="coerce").astype("Int64"),
        "name_key": per_value(col("firm_name"), lambda v: canonical_key(v, rules) or float("nan")),
        "brn_valid": number.where(status == VALID).astype(object),
        "brn_shown": number.where(status == MASKED).astype(object),
        "founded": founded,
        "rep": per_value(col("representative_name"), _compact),
        "address_key": per_value(col("address"), _compact),
        "road": road.astype(object),
        "dong": parts["addr_emd"].astype(object),
        "ksic": per_value(col("ksic_code"), lambda v: v if isinstance(v, str) and v.strip() else float("nan")),
    })
    return out
