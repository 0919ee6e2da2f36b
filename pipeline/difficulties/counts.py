"""Counts of firms reporting each difficulty, by any grouping (cluster, complex, sector, size).
Rows are groups and categories, never firms; small cells still go through pipeline.disclosure
before publication."""

from __future__ import annotations

import pandas as pd

COUNT_COLUMNS = ["census_year", "category", "firms", "respondents", "share"]


def difficulty_counts(classified: pd.DataFrame, groups: pd.DataFrame, by: list[str], key: str = "firm_id") -> pd.DataFrame:
    """by columns, census_year, category, firms (firms naming the category, by item or text),
    respondents (firms in the group that answered anything), share (firms / respondents).
    `groups`: key, census_year and the `by` columns (a firm in two clusters counts in both)."""
    data = classified[classified["answered"]].merge(groups[[key, "census_year", *by]], on=[key, "census_year"], how="inner")
    data = data.drop_duplicates([key, "census_year", *by])
    respondents = data.groupby([*by, "census_year"]).size().rename("respondents")
    long = data.assign(category=data["categories"].str.split(";")).explode("category")
    long = long[long["category"].fillna("") != ""]
    firms = long.groupby([*by, "census_year", "category"])[key].nunique().rename("firms").reset_index()
    out = firms.merge(respondents.reset_index(), on=[*by, "census_year"], how="left")
    out["share"] = out["firms"] / out["respondents"]
    return out[[*by, *COUNT_COLUMNS]].sort_values([*by, "census_year", "firms"], ascending=[*[True] * len(by), True, False], ignore_index=True)
