"""Greedy clustering of scored pairs into firms, under hard constraints.

Pairs are applied strongest first: analyst confirmations, then equal valid BRNs, then scores at or
above `match_threshold` (highest first), then, if `link_review_band`, scores in the review band.
Two clusters merge only if
- they share no census year (a firm has one row per year),
- they do not carry two different valid BRNs (a firm_id never points at two BRNs),
- no analyst 'split' separates a record of one from a record of the other.
Because the best pairs go first, a record with two candidate predecessors joins the better one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

METHOD_ORDER = ["analyst", "brn", "probabilistic", "probabilistic_review"]


def pair_in(frame: pd.DataFrame, pairs: set[tuple[str, str]]) -> np.ndarray:
    """Whether each (record_id_a, record_id_b) row is one of `pairs` (empty frames included)."""
    if frame.empty:
        return np.zeros(0, dtype=bool)
    return pd.MultiIndex.from_frame(frame[["record_id_a", "record_id_b"]]).isin(list(pairs))


def _ordered_links(scored: pd.DataFrame, reviews: pd.DataFrame, config: dict) -> pd.DataFrame:
    s = scored.copy()
    s["method"] = None
    s.loc[s["brn_relation"] == "same", "method"] = "brn"
    undecided = s["method"].isna() & (s["brn_relation"] != "different")
    s.loc[undecided & (s["score"] >= config["match_threshold"]), "method"] = "probabilistic"
    if config.get("link_review_band", True):
        band = undecided & (s["score"] < config["match_threshold"]) & (s["score"] >= config["review_threshold"])
        s.loc[band, "method"] = "probabilistic_review"
    confirm = reviews[reviews["decision"] == "confirm"][["record_id_a", "record_id_b"]]
    confirmed = confirm.merge(s[["record_id_a", "record_id_b", "score"]], how="left", on=["record_id_a", "record_id_b"])
    confirmed["method"] = "analyst"
    split = set(map(tuple, reviews.loc[reviews["decision"] == "split", ["record_id_a", "record_id_b"]].to_numpy()))
    s = s[s["method"].notna().to_numpy() & ~pair_in(s, split)]
    links = pd.concat([confirmed, s[["record_id_a", "record_id_b", "score", "method"]]], ignore_index=True)
    links["rank"] = links["method"].map({m: i for i, m in enumerate(METHOD_ORDER)})
    # Ties broken by record ids so that reruns give the same clusters.
    return links.sort_values(["rank", "score", "record_id_a", "record_id_b"], ascending=[True, False, True, True],
                             na_position="first", kind="mergesort")


def cluster(records: pd.DataFrame, scored: pd.DataFrame, reviews: pd.DataFrame, config: dict) -> pd.DataFrame:
    """records: record_id, census_year, brn_valid. Returns per record: record_id, cluster (the
    smallest record_id of its cluster), link_method, link_score, linked_to."""
    # Plain lists (iterating pandas' Arrow-backed columns value by value is slow), and per cluster
    # root its years as bits of an int and its one valid BRN (or None): tens of thousands of
    # small sets kept the garbage collector busy for half of the clustering.
    ids = records["record_id"].tolist()
    parent = {r: r for r in ids}
    year_codes, _ = pd.factorize(records["census_year"], use_na_sentinel=False)  # a missing year is a value too
    years = {r: 1 << int(c) for r, c in zip(ids, year_codes.tolist(), strict=True)}
    # A record has at most one valid BRN and a merge never joins two, so a root has at most one.
    brns = {r: (b if isinstance(b, str) else None) for r, b in zip(ids, records["brn_valid"].tolist(), strict=True)}
    splits = reviews.loc[reviews["decision"] == "split", ["record_id_a", "record_id_b"]].to_numpy().tolist()
    members = {r: {r} for r in ids} if splits else {}
    attach: dict[str, tuple[str, float, str]] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links = _ordered_links(scored, reviews, config)
    for a, b, method, link_score in zip(links["record_id_a"].tolist(), links["record_id_b"].tolist(),
                                        links["method"].tolist(), links["score"].tolist(), strict=True):
        if a not in parent or b not in parent:
            continue  # a review naming a record that is no longer loaded
        ra, rb = find(a), find(b)
        if ra == rb or years[ra] & years[rb]:
            continue
        brn_a, brn_b = brns[ra], brns[rb]
        if brn_a is not None and brn_b is not None and brn_a != brn_b:
            continue
        if splits and any((x in members[ra] and y in members[rb]) or (x in members[rb] and y in members[ra]) for x, y in splits):
            continue
        root, other = (ra, rb) if ra < rb else (rb, ra)
        parent[other] = root
        years[root] |= years.pop(other)
        brns[root] = brn_a if brn_a is not None else brn_b
        del brns[other]
        if splits:
            members[root] |= members.pop(other)
        score = float(link_score) if pd.notna(link_score) else float("nan")
        # The later record of the pair is attached to the earlier one (a is the earlier year).
        attach.setdefault(b, (method, score, a))
        attach.setdefault(a, (method, score, b))

    rows = []
    for r in ids:
        method, score, to = attach.get(r, ("none", float("nan"), None))
        rows.append((r, find(r), method, score, to))
    return pd.DataFrame(rows, columns=["record_id", "cluster", "link_method", "link_score", "linked_to"])
