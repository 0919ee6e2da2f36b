"""One identity per firm across census years: firm_id per record, the firm table, and the
uncertain links an analyst should look at.

firm_id = "F" + the first 10 hex digits of SHA-1 of the cluster's earliest record_id. It is not
the 사업자등록번호 (which is missing, masked or mistyped in some years and is identifying), and it
is stable across reruns and new census years: adding a year never changes which record of an
existing firm is the earliest. Only an analyst's split or confirm of that firm's first record
changes its id.
"""

from __future__ import annotations

import hashlib
import time

import numpy as np
import pandas as pd

from pipeline.identity.clusters import cluster, pair_in
from pipeline.identity.features import record_features
from pipeline.identity.scoring import BLOCKS, LEVEL_COLUMNS, candidate_pairs, score_pairs
from pipeline.names import NameRules

IDENTITY_COLUMNS = ["record_id", "census_year", "firm_id", "link_method", "link_score", "linked_to"]
FIRM_COLUMNS = ["firm_id", "first_year", "last_year", "n_years", "years", "brn", "firm_name", "latest_record_id"]
REVIEW_LIST_COLUMNS = [
    "record_id_a", "record_id_b", "census_year_a", "census_year_b", "firm_name_a", "firm_name_b",
    *LEVEL_COLUMNS, "score", "linked", "firm_id_a", "firm_id_b", "decision",
]


def firm_id_of(record_id: str) -> str:
    return "F" + hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:10].upper()


def firm_identity(firm_year: pd.DataFrame, config: dict, reviews: pd.DataFrame,
                  rules: NameRules, sido_of: dict[str, str], profile: dict | None = None) -> dict[str, pd.DataFrame]:
    """Link the records of all loaded census years. `config` is the `identity` section of
    config/linkage.yaml; `reviews` comes from pipeline.identity.reviews.load_reviews; `rules` and
    `sido_of` are the agency's name rules and 시도 aliases (pipeline.supply.setup.supply_setup).

    Returns {'firm_year_identity', 'firm', 'identity_review'} (see module doc). No personal
    data is in any of them: the review list shows comparison levels, not 대표자명. `profile`, if
    given, receives each phase's seconds and the number of candidate pairs (bench/linkage_scale.py).
    """
    profile = profile if profile is not None else {}
    t = time.perf_counter()
    all_features = record_features(firm_year, rules, sido_of).drop_duplicates("record_id").reset_index(drop=True)
    features, copies = _split_copies(all_features)
    profile["features"], t = time.perf_counter() - t, time.perf_counter()
    pairs = candidate_pairs(features, config.get("blocking") or BLOCKS)
    profile["candidate pairs"], profile["pairs"], t = time.perf_counter() - t, len(pairs), time.perf_counter()
    scored = score_pairs(pairs, features, config) if len(pairs) else pd.DataFrame(
        columns=["record_id_a", "record_id_b", "census_year_a", "census_year_b", *LEVEL_COLUMNS, "score", "brn_relation"])
    profile["scoring"], t = time.perf_counter() - t, time.perf_counter()
    clusters = cluster(features[["record_id", "census_year", "brn_valid"]], scored, reviews, config)
    profile["clustering"] = time.perf_counter() - t
    clusters = pd.concat([clusters, _attach_copies(copies, clusters)], ignore_index=True)
    codes, roots = pd.factorize(clusters["cluster"], use_na_sentinel=False)
    clusters["firm_id"] = np.array([firm_id_of(r) for r in roots], dtype=object)[codes]
    clusters = clusters.merge(all_features[["record_id", "census_year"]], on="record_id")
    identity = clusters[IDENTITY_COLUMNS].sort_values("record_id").reset_index(drop=True)
    return {
        "firm_year_identity": identity,
        "firm": _firm_table(identity, all_features, firm_year),
        "identity_review": _review_list(scored, identity, firm_year, reviews, config),
    }


def _split_copies(features: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows delivered twice in one year are one firm: same name key and the same valid BRN, or,
    where neither has a valid BRN, the same 설립일, 대표자명 and address. The later copies are set
    aside with the record they copy (`copy_of`) and linked to it after clustering, because the
    clustering keeps one record per firm and year."""
    ordered = features.sort_values("record_id")
    key = _copy_key(ordered)
    first = ordered["record_id"].groupby(key).transform("first").reindex(ordered.index)
    is_copy = key.notna() & (ordered["record_id"] != first)
    copies = ordered[is_copy].assign(copy_of=first[is_copy])
    return ordered[~is_copy].sort_index().reset_index(drop=True), copies


def _copy_key(frame: pd.DataFrame) -> pd.Series:
    """'year|name key|BRN' where the BRN is valid, else 'year|name key|설립일|대표자명|address';
    missing where a part is missing. Each part is written as str() writes it."""
    def text(column: str) -> pd.Series:
        series = frame[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            values = series.to_numpy(dtype=object)
            if all(isinstance(v, str) for v in pd.unique(values[series.notna().to_numpy()])):
                return pd.Series(np.where(series.notna().to_numpy(), values, ""), index=frame.index, dtype=object)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        return pd.Series(np.array([*(str(v) for v in uniques), ""], dtype=object)[codes], index=frame.index)

    def joined(columns: list[str]) -> pd.Series:
        parts = [text(c) for c in columns]
        out = parts[0]
        for part in parts[1:]:
            out = out + "|" + part
        return out.where(frame[columns].notna().all(axis=1), None)

    with_brn = frame["brn_valid"].notna()
    key = joined(["census_year", "name_key", "brn_valid"]).where(
        with_brn, joined(["census_year", "name_key", "founded", "rep", "address_key"]))
    return key.astype(object).where(key.notna(), None)


def _attach_copies(copies: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    cluster_of = clusters.set_index("record_id")["cluster"]
    return pd.DataFrame({
        "record_id": copies["record_id"].to_numpy(), "cluster": copies["copy_of"].map(cluster_of).to_numpy(),
        "link_method": "duplicate", "link_score": float("nan"), "linked_to": copies["copy_of"].to_numpy(),
    })


def _names(firm_year: pd.DataFrame) -> pd.Series:
    fy = firm_year.assign(record_id=firm_year["record_id"].astype(str))
    return fy.drop_duplicates("record_id").set_index("record_id")["firm_name"]


def _firm_table(identity: pd.DataFrame, features: pd.DataFrame, firm_year: pd.DataFrame) -> pd.DataFrame:
    """Per firm: its census years (first, last, how many, listed), its latest valid BRN, and the
    name and record id of its latest record (by year, then record id)."""
    names = _names(firm_year)
    f = identity.merge(features[["record_id", "brn_valid"]], on="record_id").sort_values(["firm_id", "census_year", "record_id"])
    if f.empty:
        empty = pd.DataFrame(columns=FIRM_COLUMNS)
        return empty.astype({"first_year": "Int64", "last_year": "Int64", "n_years": "Int64"})
    latest = f.drop_duplicates("firm_id", keep="last").set_index("firm_id")["record_id"]
    firms = latest.index
    brn = f.dropna(subset=["brn_valid"]).drop_duplicates("firm_id", keep="last").set_index("firm_id")["brn_valid"].reindex(firms)
    present = f.dropna(subset=["census_year"])
    all_years = np.sort(present["census_year"].unique().astype(int))
    # Which years each firm has, as a (firms, years) matrix: each distinct pattern is written once.
    has = np.zeros((len(firms), len(all_years)), dtype=bool)
    has[firms.get_indexer(present["firm_id"]), np.searchsorted(all_years, present["census_year"].to_numpy(dtype=int))] = True
    if len(all_years):
        patterns, which = np.unique(has, axis=0, return_inverse=True)
        listed = np.array([",".join(str(y) for y in all_years[p]) for p in patterns], dtype=object)[which.ravel()]
    else:
        listed = np.full(len(firms), "", dtype=object)
    n_years = has.sum(axis=1)
    some = n_years > 0
    first = pd.array(np.full(len(firms), pd.NA), dtype="Int64")
    last = first.copy()
    if len(all_years):
        first[some] = all_years[has.argmax(axis=1)][some]
        last[some] = all_years[len(all_years) - 1 - has[:, ::-1].argmax(axis=1)][some]
    out = pd.DataFrame({
        "firm_id": firms.to_numpy(dtype=object),
        "first_year": first,
        "last_year": last,
        "n_years": pd.array(n_years, dtype="Int64"),
        "years": listed,
        "brn": brn.astype(object).where(brn.notna(), None).to_numpy(dtype=object),
        "firm_name": names.reindex(latest.to_numpy()).astype(object).to_numpy(dtype=object),
        "latest_record_id": latest.to_numpy(dtype=object),
    }, columns=FIRM_COLUMNS)
    return out


def _review_list(scored: pd.DataFrame, identity: pd.DataFrame, firm_year: pd.DataFrame, reviews: pd.DataFrame,
                 config: dict) -> pd.DataFrame:
    """Pairs in the review band that the analyst has not decided, with whether they were linked."""
    band = scored[(scored["score"] >= config["review_threshold"]) & (scored["score"] < config["match_threshold"])
                  & (scored["brn_relation"].isna())]
    decided = set(map(tuple, reviews[["record_id_a", "record_id_b"]].to_numpy()))
    band = band[~pair_in(band, decided)]
    fid = identity.set_index("record_id")["firm_id"]
    name = _names(firm_year)
    out = band.copy()
    out["firm_name_a"] = out["record_id_a"].map(name)
    out["firm_name_b"] = out["record_id_b"].map(name)
    out["firm_id_a"] = out["record_id_a"].map(fid)
    out["firm_id_b"] = out["record_id_b"].map(fid)
    out["linked"] = (out["firm_id_a"] == out["firm_id_b"]).astype(bool)
    out["decision"] = ""
    return out.reindex(columns=REVIEW_LIST_COLUMNS).sort_values("score", ascending=False).reset_index(drop=True)
