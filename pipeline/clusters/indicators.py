"""Cluster-year indicators: who is in each mini-cluster and how its member firms are doing.
No firm is named: a row is a cluster and a year. Small clusters still need the disclosure rules
(pipeline.disclosure) before a table is published."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.clusters.linking import LINK_BRN, LINK_NAME

CLUSTER_YEAR_COLUMNS = [
    "cluster_name", "census_year", "members", "firms", "universities", "institutes", "agencies", "firms_linked",
    "employees_total", "revenue_mil_krw", "export_share", "rnd_intensity", "revenue_cagr_3y_median",
    "employment_cagr_3y_median", "firms_with_growth",
]


def cluster_year_indicators(linked: pd.DataFrame, indicators: pd.DataFrame, key: str = "firm_id") -> pd.DataFrame:
    """One row per cluster and census year (CLUSTER_YEAR_COLUMNS): member counts by role, firm
    rows linked to the census, and over linked firms the total employees and revenue, export
    share and R&D intensity (totals over totals), and the median 3-year revenue and employment
    growth with the number of firms it rests on."""
    roles = linked.pivot_table(index=["cluster_name", "census_year"], columns="role", values="member_name",
                               aggfunc="count", fill_value=0)
    roles = roles.reindex(columns=["firm", "university", "institute", "agency"], fill_value=0)
    out = pd.DataFrame({"members": roles.sum(axis=1), "firms": roles["firm"], "universities": roles["university"],
                        "institutes": roles["institute"], "agencies": roles["agency"]})
    firms = linked[linked["link_method"].isin([LINK_BRN, LINK_NAME])].drop_duplicates(["cluster_name", "census_year", key])
    out["firms_linked"] = firms.groupby(["cluster_name", "census_year"]).size()
    cols = ["revenue_mil_krw", "employees_total", "export_share", "rnd_intensity", "revenue_cagr_3y", "employment_cagr_3y"]
    joined = firms[["cluster_name", "census_year", key]].merge(indicators[[key, "census_year", *cols]], on=[key, "census_year"], how="left")
    joined["export"] = joined["export_share"] * joined["revenue_mil_krw"]
    joined["rnd"] = joined["rnd_intensity"] * joined["revenue_mil_krw"]
    g = joined.groupby(["cluster_name", "census_year"])
    out["employees_total"] = g["employees_total"].sum(min_count=1)
    out["revenue_mil_krw"] = g["revenue_mil_krw"].sum(min_count=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        revenue_with_export = g.apply(lambda d: d.loc[d["export"].notna(), "revenue_mil_krw"].sum(), include_groups=False)
        revenue_with_rnd = g.apply(lambda d: d.loc[d["rnd"].notna(), "revenue_mil_krw"].sum(), include_groups=False)
        out["export_share"] = g["export"].sum(min_count=1) / revenue_with_export.replace(0, np.nan)
        out["rnd_intensity"] = g["rnd"].sum(min_count=1) / revenue_with_rnd.replace(0, np.nan)
    out["revenue_cagr_3y_median"] = g["revenue_cagr_3y"].median()
    out["employment_cagr_3y_median"] = g["employment_cagr_3y"].median()
    out["firms_with_growth"] = g["revenue_cagr_3y"].count()
    out = out.reset_index()
    out["firms_linked"] = out["firms_linked"].fillna(0).astype(int)
    out["firms_with_growth"] = out["firms_with_growth"].fillna(0).astype(int)
    return out[CLUSTER_YEAR_COLUMNS].sort_values(["census_year", "cluster_name"], ignore_index=True)
