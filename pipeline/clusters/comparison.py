"""Do mini-cluster members grow faster than comparable non-members? Exact matching on strata.

Method (docs/growth.md): in a census year, every census firm is put in a stratum of sector
(KSIC division), size band and industrial complex. In each stratum holding at least one member
and one non-member, the members' mean outcome (e.g. 3-year revenue growth) is compared with
the non-members' mean; the strata differences are averaged with the number of members as
weights (the average effect on members, ATT). Members in a stratum without non-members are
left out and counted. The standard error treats strata as independent samples (a within-stratum
variance of a group of one is replaced by that group's variance over all strata).

Limits: matching on three observed traits does not remove selection (firms that join a cluster
may be the ones that were going to grow); the outcome window may start before the firm joined;
growth needs three years of data, so young firms drop out; small strata make the estimate
noisy. The figure describes a difference, not the effect of the programme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SIZE_BANDS = ((1, 9, "1-9"), (10, 49, "10-49"), (50, 299, "50-299"), (300, None, "300+"))
SUMMARY_COLUMNS = ["census_year", "outcome", "members", "members_with_outcome", "members_matched", "members_unmatched",
                   "controls_used", "strata_used", "member_mean", "control_mean", "difference", "se", "ci_low", "ci_high"]
STRATA_COLUMNS = ["members", "controls", "member_mean", "control_mean", "difference"]


def size_band(employees: pd.Series) -> pd.Series:
    """Employee bands 1-9 / 10-49 / 50-299 / 300+ (None for a missing or non-positive count)."""
    e = pd.to_numeric(employees, errors="coerce")
    out = pd.Series(None, index=e.index, dtype=object)
    for low, high, label in SIZE_BANDS:
        out[(e >= low) & ((e <= high) if high else True)] = label
    return out


def matched_comparison(firms: pd.DataFrame, member_keys: set, year: int, outcome: str = "revenue_cagr_3y",
                       strata: tuple[str, ...] = ("sector", "size_band", "complex"), key: str = "firm_id",
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary, strata table). `firms`: one row per census firm-year with key, census_year, the
    strata columns and the outcome. `member_keys`: the keys of member firms that year.

    summary (one row, SUMMARY_COLUMNS): members in the census that year, those with an outcome,
    those matched (their stratum has non-members with an outcome) and not, the non-members used,
    strata used, the matched members' mean, the weighted mean of their controls, the difference
    (ATT), its standard error and 95 % interval. The strata table has one row per stratum used
    (STRATA_COLUMNS); it describes cells, not firms, but cells of one or two firms need the
    disclosure rules before publication."""
    f = firms[firms["census_year"] == year].drop_duplicates(key)
    f = f.assign(_member=f[key].isin(member_keys))
    members = int(f["_member"].sum())
    f = f.dropna(subset=[outcome, *strata])
    g = f.groupby([*strata, "_member"])[outcome].agg(["size", "mean", "var"]).unstack("_member")
    both = g[("size", True)].notna() & g[("size", False)].notna() if (("size", True) in g and ("size", False) in g) else pd.Series(False, index=g.index)
    used = g[both]
    summary = dict.fromkeys(SUMMARY_COLUMNS, np.nan)
    summary.update(census_year=year, outcome=outcome, members=members, members_with_outcome=int(f["_member"].sum()),
                   members_matched=0, members_unmatched=int(f["_member"].sum()), controls_used=0, strata_used=0)
    table = pd.DataFrame(columns=STRATA_COLUMNS)
    if len(used):
        n_t, n_c = used[("size", True)], used[("size", False)]
        m_t, m_c = used[("mean", True)], used[("mean", False)]
        pooled_t = f.loc[f["_member"], outcome].var()
        pooled_c = f.loc[~f["_member"], outcome].var()
        v_t = used[("var", True)].where(n_t >= 2, pooled_t)
        v_c = used[("var", False)].where(n_c >= 2, pooled_c)
        w = n_t / n_t.sum()
        diff = float((w * (m_t - m_c)).sum())
        se = float(np.sqrt((w ** 2 * (v_t / n_t + v_c / n_c)).sum()))
        summary.update(members_matched=int(n_t.sum()), members_unmatched=int(f["_member"].sum() - n_t.sum()),
                       controls_used=int(n_c.sum()), strata_used=int(len(used)), member_mean=float((w * m_t).sum()),
                       control_mean=float((w * m_c).sum()), difference=diff, se=se, ci_low=diff - 1.96 * se, ci_high=diff + 1.96 * se)
        table = pd.DataFrame({"members": n_t.astype(int), "controls": n_c.astype(int), "member_mean": m_t,
                              "control_mean": m_c, "difference": m_t - m_c}).reset_index()
    return pd.DataFrame([summary])[SUMMARY_COLUMNS], table
