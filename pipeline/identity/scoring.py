"""Candidate pairs of records from different census years and their Fellegi-Sunter scores.

Each comparison (name, 설립일, 대표자명, address, visible BRN digits, KSIC) falls into a level, and
each level carries a match weight log2(m/u) from config/linkage.yaml (identity.weights); a
missing value on either side weighs 0 (no evidence). The pair's score is the sum. Why our own
scoring and not Splink: see docs/identity.md.

Blocking: a pair is compared only if the two records share all features of one blocking key
(config/linkage.yaml identity.blocking; by default the name key, a valid BRN, the 설립일, or the
대표자명 within the same dong). A firm that changes its name, moves and loses its BRN in the same
year is not found; no data would support that link anyway.
"""

from __future__ import annotations

import unicodedata
from typing import get_args

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.config.linkage_file import BlockingFeature

# The blocking keys when config/linkage.yaml names none (identity.blocking): right for an
# agency's census, where a founding date or a representative in a 동 is shared by few firms.
BLOCKS = (["name_key"], ["brn_valid"], ["founded"], ["rep", "dong"])
# Record features a blocking key may combine (pipeline/identity/features.py), as the linkage
# config admits them.
BLOCKING_FEATURES = get_args(BlockingFeature)
LEVEL_COLUMNS = ["name_level", "founded_level", "rep_level", "address_level", "brn_mask_level", "ksic_level"]


def candidate_pairs(features: pd.DataFrame, blocks=BLOCKS) -> pd.DataFrame:
    """Pairs (record_id_a, record_id_b) with census_year_a < census_year_b sharing a blocking key
    (each key a list of features, all equal)."""
    found = []
    for keys in blocks:
        sub = features.dropna(subset=keys)[["record_id", "census_year", *keys]]
        pairs = sub.merge(sub, on=keys, suffixes=("_a", "_b"))
        pairs = pairs[pairs["census_year_a"] < pairs["census_year_b"]]
        found.append(pairs[["record_id_a", "record_id_b"]])
    pairs = pd.concat(found, ignore_index=True).drop_duplicates() if found else pd.DataFrame()
    return pairs.reset_index(drop=True)


def _jamo_ratios(left: pd.Series, right: pd.Series) -> np.ndarray:
    """fuzz.ratio of the two sides' jamo (NFD) per row; NaN where a side is missing or the two
    are equal (the level is then decided without the ratio). Each distinct value is decomposed
    once and the ratios are computed row by row in rapidfuzz (cpdist: the same scorer)."""
    a, b = left.to_numpy(dtype=object), right.to_numpy(dtype=object)
    out = np.full(len(a), np.nan)
    text = np.fromiter((isinstance(x, str) and isinstance(y, str) for x, y in zip(a, b, strict=True)), bool, len(a))
    rows = np.flatnonzero(text)
    rows = rows[a[rows] != b[rows]]
    if len(rows):
        codes, uniques = pd.factorize(np.concatenate([a[rows], b[rows]]))
        jamo = np.array([unicodedata.normalize("NFD", v) for v in uniques], dtype=object)[codes]
        out[rows] = process.cpdist(list(jamo[: len(rows)]), list(jamo[len(rows):]), scorer=fuzz.ratio, dtype=np.float64)
    return out


def _brn_mask_level(a_valid, a_shown, b_valid, b_shown) -> object:
    """Compare the digits both sides show when at least one BRN is masked."""
    a = a_valid if isinstance(a_valid, str) else a_shown
    b = b_valid if isinstance(b_valid, str) else b_shown
    if not isinstance(a, str) or not isinstance(b, str) or (isinstance(a_valid, str) and isinstance(b_valid, str)):
        return None
    shared = [(x, y) for x, y in zip(a, b, strict=False) if x != "*" and y != "*"]
    if not shared:
        return None
    return "agree" if all(x == y for x, y in shared) else "different"


def score_pairs(pairs: pd.DataFrame, features: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Pairs with their comparison levels, `score` (sum of weights) and `brn_relation`
    ('same' | 'different' | None when a side has no valid BRN)."""
    f = features.set_index("record_id")
    a = f.loc[pairs["record_id_a"]].reset_index(drop=True).add_suffix("_a")
    b = f.loc[pairs["record_id_b"]].reset_index(drop=True).add_suffix("_b")
    p = pd.concat([pairs.reset_index(drop=True)[["record_id_a", "record_id_b"]], a, b], axis=1)
    w = config["weights"]

    name_ratio = _jamo_ratios(p["name_key_a"], p["name_key_b"])
    p["name_level"] = np.select(
        [p["name_key_a"].isna() | p["name_key_b"].isna(), p["name_key_a"] == p["name_key_b"],
         name_ratio >= config["name_close"], name_ratio >= config["name_similar"]],
        [None, "exact", "close", "similar"], "different")

    fa, fb = p["founded_a"], p["founded_b"]
    p["founded_level"] = np.select(
        [fa.isna() | fb.isna(), fa == fb, (fa.dt.year == fb.dt.year) & (fa.dt.month == fb.dt.month)],
        [None, "exact", "year_month"], "different")

    rep_ratio = _jamo_ratios(p["rep_a"], p["rep_b"])
    p["rep_level"] = np.select(
        [p["rep_a"].isna() | p["rep_b"].isna(), p["rep_a"] == p["rep_b"], rep_ratio >= config["rep_close"]],
        [None, "exact", "close"], "different")

    no_address = p["address_key_a"].isna() | p["address_key_b"].isna()
    p["address_level"] = np.select(
        [no_address & (p["dong_a"].isna() | p["dong_b"].isna()), p["address_key_a"] == p["address_key_b"],
         p["road_a"].notna() & (p["road_a"] == p["road_b"]), p["dong_a"].notna() & (p["dong_a"] == p["dong_b"])],
        [None, "exact", "same_road", "same_dong"], "different")

    # Only pairs where both sides show digits and not both are valid can have a level.
    valid_a, valid_b = p["brn_valid_a"].notna(), p["brn_valid_b"].notna()
    shown = (valid_a | p["brn_shown_a"].notna()) & (valid_b | p["brn_shown_b"].notna()) & ~(valid_a & valid_b)
    mask_level = np.full(len(p), None, dtype=object)
    rows = np.flatnonzero(shown.to_numpy())
    columns = [p[c].to_numpy(dtype=object)[rows] for c in ("brn_valid_a", "brn_shown_a", "brn_valid_b", "brn_shown_b")]
    mask_level[rows] = [_brn_mask_level(*v) for v in zip(*columns, strict=True)]
    p["brn_mask_level"] = mask_level

    ka, kb = p["ksic_a"].astype(object), p["ksic_b"].astype(object)
    ka2 = ka.map(lambda v: v[:2] if isinstance(v, str) else None)
    kb2 = kb.map(lambda v: v[:2] if isinstance(v, str) else None)
    p["ksic_level"] = np.select(
        [ka.isna() | kb.isna(), ka == kb, ka2 == kb2], [None, "same_class", "same_division"], "different")

    weight_of = {"name_level": "name", "founded_level": "founded", "rep_level": "rep", "address_level": "address",
                 "brn_mask_level": "brn_mask", "ksic_level": "ksic"}
    score = np.zeros(len(p))
    for col, key in weight_of.items():
        p[col] = p[col].astype(object).where(p[col].notna() & (p[col] != "None"), None)
        levels = p[col].to_numpy(dtype=object)
        weights = {lvl: float(w[key][lvl]) for lvl in pd.unique(levels[p[col].notna().to_numpy()])}
        score += np.array([0.0 if lvl is None else weights[lvl] for lvl in levels], dtype=float)
    p["score"] = score.round(2)
    both = p["brn_valid_a"].notna() & p["brn_valid_b"].notna()
    p["brn_relation"] = np.select([~both, p["brn_valid_a"] == p["brn_valid_b"]], [None, "same"], "different")
    p["brn_relation"] = p["brn_relation"].astype(object).where(both, None)
    p["census_year_a"] = p["census_year_a"].astype("Int64")
    p["census_year_b"] = p["census_year_b"].astype("Int64")
    return p[["record_id_a", "record_id_b", "census_year_a", "census_year_b", *LEVEL_COLUMNS, "score", "brn_relation"]]
