"""Comparison features of a firm-year record for linkage across census years.

Personal data (대표자명) is used here for linkage only; it never leaves this module's frames
into outputs (see pipeline.identity.scoring, which returns comparison levels, not values).
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from pipeline.identifiers import MASKED, VALID, brn_status, normalise_number
from pipeline.names import NameRules, canonical_key, load_name_rules

# The 법정동/읍/면 of a Korean address: a word ending in 동, 가, 읍 or 면, standing alone or in the
# 참고항목 brackets of a road-name address ("(정왕동)"). Used only when classification has not
# added a dong column.
_DONG = re.compile(r"(?:^|[\s(,])([가-힣]{1,6}\d{0,2}(?:동|읍|면|가))(?=$|[\s),\d])")
_ROAD = re.compile(r"([가-힣A-Za-z0-9]+(?:대로|로|길))\s*(\d+(?:-\d+)?)")
# Columns pipeline.classify adds (addr_emd: the 읍·면, else the 법정동); parsed here if absent.
DONG_COLUMNS = ("addr_emd", "addr_dong", "address_dong", "emd")


def address_dong(address: object) -> object:
    """The last dong/읍/면 word of an address ("정왕동"), or NaN."""
    if not isinstance(address, str):
        return float("nan")
    found = _DONG.findall(unicodedata.normalize("NFKC", address))
    # Road names also end in 가 rarely; the last match is the 참고항목 or the 지번 dong.
    return found[-1] if found else float("nan")


def address_road(address: object) -> object:
    """Road name and building number ("공단대로 237"), or NaN."""
    if not isinstance(address, str):
        return float("nan")
    m = _ROAD.search(unicodedata.normalize("NFKC", address))
    return f"{m.group(1)} {m.group(2)}" if m else float("nan")


def _compact(value: object) -> object:
    if not isinstance(value, str):
        return float("nan")
    text = re.sub(r"[\s,.\-()]+", "", unicodedata.normalize("NFKC", value)).lower()
    return text or float("nan")


def _road(fy: pd.DataFrame, col) -> pd.Series:
    if "addr_road" in fy.columns and "addr_number" in fy.columns:
        road = fy["addr_road"].astype(object) + " " + fy["addr_number"].astype(object)
        return road.where(fy["addr_road"].notna() & fy["addr_number"].notna()).astype(object)
    return col("address").map(address_road)


def record_features(firm_year: pd.DataFrame, rules: NameRules | None = None) -> pd.DataFrame:
    """One row per record: record_id, census_year, name_key, brn_valid (the number when its
    check digit holds), brn_shown (digits with '*' for hidden ones, for masked numbers), founded,
    rep (no spaces), address_key, road, dong, ksic."""
    rules = rules or load_name_rules()
    fy = firm_year.reset_index(drop=True)
    col = lambda name: fy[name] if name in fy.columns else pd.Series(float("nan"), index=fy.index)  # noqa: E731
    brn = col("brn")
    status = brn_status(brn) if len(fy) else pd.Series(dtype=object)
    number = normalise_number(brn.astype("string")) if len(fy) else pd.Series(dtype="string")
    dong_col = next((c for c in DONG_COLUMNS if c in fy.columns), None)
    dong = fy[dong_col] if dong_col else fy["address"].map(address_dong) if "address" in fy else col("address")
    founded = pd.to_datetime(col("founded_date"), errors="coerce")
    out = pd.DataFrame({
        "record_id": fy["record_id"].astype(str),
        "census_year": pd.to_numeric(fy["census_year"], errors="coerce").astype("Int64"),
        "name_key": col("firm_name").map(lambda v: canonical_key(v, rules) or float("nan")),
        "brn_valid": number.where(status == VALID).astype(object),
        "brn_shown": number.where(status == MASKED).astype(object),
        "founded": founded,
        "rep": col("representative_name").map(_compact),
        "address_key": col("address").map(_compact),
        "road": _road(fy, col),
        "dong": dong.astype(object),
        "ksic": col("ksic_code").map(lambda v: v if isinstance(v, str) and v.strip() else float("nan")),
    })
    return out
