"""Properties of the generated census a user of the sample would notice."""

import numpy as np
import pandas as pd
import pytest

from census_sample import generate

YEARS = (2022, 2023, 2024)


@pytest.fixture(scope="module")
def pop():
    return generate(3000, 11, YEARS)


def test_same_seed_same_census_other_seed_other_census(pop):
    again = generate(3000, 11, YEARS)
    for year in YEARS:
        pd.testing.assert_frame_equal(pop.rows[year], again.rows[year])
    other = generate(3000, 12, YEARS)
    assert not pop.rows[2022]["firm_name"].equals(other.rows[2022]["firm_name"])


def test_small_census_works():
    small = generate(100, 3, YEARS)
    assert all(len(small.rows[y]) > 50 for y in YEARS)


def test_size_and_industry_look_like_a_siheung_census(pop):
    rows = pop.rows[2023]
    clean = rows[rows["defect"].isna()]
    assert 8 <= clean["employees_total"].median() <= 15
    assert (clean["employees_total"] >= 300).mean() < 0.01
    divisions = clean["ksic_code"].str.slice(0, 2)
    assert divisions.between("20", "30").mean() > 0.8
    assert {"25", "29", "26", "30", "22"} <= set(divisions.value_counts().index[:7])
    revenue = clean["revenue_mil_krw"]
    assert revenue.mean() > 1.5 * revenue.median()  # right-skewed (lognormal)


def test_panel_has_births_closures_and_stable_firms(pop):
    firms = pop.firms
    assert firms["closure_year"].notna().sum() > 0
    assert (firms["birth_year"] >= 2023).sum() > 0
    in_all = set.intersection(*(set(pop.rows[y]["true_firm_id"]) for y in YEARS))
    assert len(in_all) > 0.8 * len(pop.rows[2022]["true_firm_id"].unique())
    for year in YEARS:
        ids = pop.rows[year]["true_firm_id"]
        alive = firms.set_index("true_firm_id").loc[ids.unique()]
        assert (alive["birth_year"] <= year).all()
        assert (alive["closure_year"].isna() | (alive["closure_year"] > year)).all()


def test_2024_code_is_the_11th_revision_counterpart_of_the_2023_code(pop):
    def codes(year):
        r = pop.rows[year]
        r = r[r["defect"].isna()].drop_duplicates("true_firm_id")
        return r.set_index("true_firm_id")[["ksic_code", "ksic10", "ksic11"]]
    c23, c24 = codes(2023), codes(2024)
    both = c23.join(c24, lsuffix="_23", rsuffix="_24", how="inner")
    assert (both["ksic_code_23"] == both["ksic10_23"]).all()
    assert (both["ksic_code_24"] == both["ksic11_23"]).all()
    assert (both["ksic_code_23"] != both["ksic_code_24"]).any()  # e.g. 금형 29294 -> 29293


def test_homonyms_sit_in_different_dongs(pop):
    firms = pop.firms[pop.firms["homonym"]]
    groups = firms.groupby("name_core")["dong"].nunique()
    assert len(groups) >= 2 and (groups >= 2).all()


def test_true_tier_is_the_shortest_reported_distance(pop):
    tiers = pop.tiers
    cust = pop.customers
    for year in YEARS:
        t = tiers[tiers["census_year"] == year].set_index(["true_firm_id", "chain"])["true_tier"]
        c = cust[cust["census_year"] == year]
        # Tier 1 exactly for firms naming an OEM of that chain.
        tier1 = set(t[t == 1].index.get_level_values(0))
        named_oem = set(c.loc[c["kind"] == "oem", "true_firm_id"])
        nameless = set(pop.rows[year].loc[pop.rows[year]["defect"] == "no_firm_name", "true_firm_id"])
        assert tier1 == named_oem - nameless
        # No census customer is more than one step closer than its supplier.
        # A row with no firm name reports nobody's customers.
        nameless = pop.rows[year].loc[pop.rows[year]["defect"] == "no_firm_name", "true_firm_id"]
        edges = c[c["target_firm_id"].notna() & ~c["true_firm_id"].isin(nameless)]
        for chain in ("automotive", "electronics"):
            tc = t.xs(chain, level="chain")
            sup = edges["true_firm_id"].map(tc)
            custt = edges["target_firm_id"].astype("int64").map(tc)
            ok = custt.notna()
            assert (sup[ok] <= custt[ok] + 1).all()
    levels = pop.tiers.groupby("true_tier").size()
    assert levels.loc[3:].sum() > levels.loc[1:2].sum()  # mostly 3차 and deeper


def test_customer_names_follow_renames(pop):
    def names(year):
        r = pop.rows[year]
        return set(pd.concat([r[f"customer_{i}_name"] for i in (1, 2, 3)]).dropna())
    assert "쌍용자동차" in names(2022) and "KG모빌리티" not in names(2022)
    assert "KG모빌리티" in names(2024)


def test_each_defect_appears_every_year(pop):
    for year in YEARS:
        found = set(pop.rows[year]["defect"].dropna())
        expected = {"bad_brn_checksum", "negative_employees", "employee_sum_mismatch", "unknown_ksic",
                    "duplicate_row", "export_exceeds_revenue", "shares_over_100", "future_founded_date",
                    "no_firm_name", "brn_missing", "brn_masked"}
        assert expected <= found
        assert ("old_revision_ksic" in found) == (year == 2024)
        r = pop.rows[year]
        d = r["defect"]
        assert (r.loc[d == "negative_employees", "employees_total"] < 0).all()
        bad = r[d == "export_exceeds_revenue"]
        assert (bad["export_mil_krw"] > bad["revenue_mil_krw"]).all()
        over = r[d == "shares_over_100"][[f"customer_{i}_share_pct" for i in (1, 2, 3)]].sum(axis=1)
        assert (over > 100).all()
        ok = r[d.isna()]
        assert (ok[[f"customer_{i}_share_pct" for i in (1, 2, 3)]].sum(axis=1) <= 100).all()
        assert (ok["employees_male"] + ok["employees_female"] == ok["employees_total"]).all()
        assert (pd.to_datetime(ok["founded_date"]) <= pd.Timestamp(f"{year}-12-31")).all()
        dup = r.index[d == "duplicate_row"]
        assert (r.loc[dup, "true_firm_id"].to_numpy() == r.loc[dup - 1, "true_firm_id"].to_numpy()).all()
        assert np.all(r.loc[d == "no_firm_name", "firm_name"].isna())
