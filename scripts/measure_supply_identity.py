"""Accuracy of supplier tiers and firm identities on the sample years, against the generator's truth.

Usage (after `census run` has loaded the sample years into data/curated):
    .venv/bin/python scripts/measure_supply_identity.py

It reads the curated firm_year of every loaded year, runs pipeline.supply and pipeline.identity
in-process with the project's config (so it measures the current code, not a stale table), joins
the records to census_sample.sample_truth() on (census_year, source_row), and prints
1. tier agreement: over (firm-year, chain) pairs where the truth has a path to an OEM, the share
   whose inferred tier in that chain equals the true tier. Printed twice: against the
   generator's tiers, and against tiers recomputed by the generator's own rule
   (census_sample.network.true_tiers) without the firm-years that validation quarantined, i.e. over
   the paths that are in the loaded data;
2. pairwise precision and recall of firm_id against the true firm identities.
With --without-brn it also measures identities with every 사업자등록번호 blanked, i.e. the
probabilistic linkage alone (a stress figure; the sample's BRNs are mostly valid).
Exit status 1 if a figure is below its target (95% / 98%).
"""

from __future__ import annotations

import sys
from math import comb

import pandas as pd

from census_sample import DEFAULT_YEARS, SAMPLE_FIRMS, SAMPLE_SEED, generate, sample_truth
from census_sample.network import true_tiers
from pipeline.identity.firms import firm_identity
from pipeline.identity.reviews import load_reviews
from pipeline.settings import load_settings
from pipeline.storage import read_table
from pipeline.supply.links import supply_links
from pipeline.supply.setup import SupplySetup, supply_setup
from pipeline.supply.tiers import supplier_tiers

TIER_TARGET = 0.95
IDENTITY_TARGET = 0.98


def inferred_tiers(firm_year: pd.DataFrame, setup: SupplySetup) -> pd.DataFrame:
    """(record_id, chain, tier) as the supply assets infer them, with the agency's config."""
    links = supply_links(firm_year, setup.registry, setup.linkage["supply"], setup.rules)
    tiers = supplier_tiers(firm_year, links, setup.chains, setup.tier_values)
    long = tiers.melt(id_vars=["record_id"], value_vars=[f"tier_{c}" for c in setup.chains], var_name="chain", value_name="tier")
    long["chain"] = long["chain"].str.removeprefix("tier_")
    return long


def tier_agreement(long: pd.DataFrame, rec: pd.DataFrame, true_tiers_: pd.DataFrame) -> tuple[float, int, pd.DataFrame]:
    expected = true_tiers_.merge(rec[["census_year", "true_firm_id", "record_id"]], on=["census_year", "true_firm_id"])
    got = expected.merge(long, on=["record_id", "chain"], how="left")
    agree = got["tier"].astype("Float64").eq(got["true_tier"].astype("Float64")).fillna(False)
    return float(agree.mean()), len(got), got[~agree.to_numpy(dtype=bool)]


def tiers_in_loaded_data(rec: pd.DataFrame) -> pd.DataFrame:
    """True tiers by the generator's rule, leaving out firm-years that did not reach firm_year
    (quarantined rows report no customers the pipeline can see)."""
    pop = generate(SAMPLE_FIRMS, SAMPLE_SEED, DEFAULT_YEARS)
    reported = pd.concat([r[["census_year", "true_firm_id"]] for r in pop.rows.values()]).drop_duplicates()
    loaded = rec[["census_year", "true_firm_id"]].drop_duplicates()
    missing = reported.merge(loaded, how="left", indicator=True).query("_merge == 'left_only'")
    return true_tiers(pop.customers, len(pop.firms), excluded=missing[["census_year", "true_firm_id"]])


def _records_with_truth(firm_year: pd.DataFrame, truth: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rec = truth["records"][["census_year", "source_row", "true_firm_id"]].copy()
    fy = firm_year[["record_id", "census_year", "source_row"]].copy()
    for frame in (rec, fy):
        frame["census_year"] = frame["census_year"].astype("int64")
        frame["source_row"] = frame["source_row"].astype("int64")
    return fy.merge(rec, on=["census_year", "source_row"], how="inner")


def pairwise(identity: pd.DataFrame, rec: pd.DataFrame) -> tuple[float, float, int, int]:
    joined = identity.merge(rec[["record_id", "true_firm_id"]], on="record_id")
    pairs = lambda sizes: int(sum(comb(int(n), 2) for n in sizes))  # noqa: E731
    predicted = pairs(joined.groupby("firm_id").size())
    actual = pairs(joined.groupby("true_firm_id").size())
    both = pairs(joined.groupby(["firm_id", "true_firm_id"]).size())
    precision = both / predicted if predicted else 1.0
    recall = both / actual if actual else 1.0
    return precision, recall, predicted, actual


def main() -> int:
    settings = load_settings()
    firm_year = read_table(settings, "firm_year")
    if firm_year.empty:
        print("no curated firm_year: run `census run` on the sample years first", file=sys.stderr)
        return 2
    truth = sample_truth()
    rec = _records_with_truth(firm_year, truth)
    print(f"years {sorted(firm_year['census_year'].unique().tolist())}: {len(firm_year)} curated records, "
          f"{len(rec)} matched to the truth")

    setup = supply_setup(settings)
    long = inferred_tiers(firm_year, setup)
    share_all, n_all, _ = tier_agreement(long, rec, truth["tiers"])
    print(f"tier agreement vs the generator's tiers: {share_all:.4f} of {n_all} (firm-year, chain) pairs")
    share, n, wrong = tier_agreement(long, rec, tiers_in_loaded_data(rec))
    print(f"tier agreement where the path to an OEM is in the loaded data: {share:.4f} of {n} pairs")
    if len(wrong):
        print("  disagreements by (true, inferred):",
              wrong.assign(tier=wrong["tier"].astype("string")).groupby(["true_tier", "tier"], dropna=False).size().to_dict())

    reviews = load_reviews(setup.reviews_path)
    out = firm_identity(firm_year, setup.linkage["identity"], reviews, setup.rules, setup.sido_of)
    precision, recall, predicted, actual = pairwise(out["firm_year_identity"], rec)
    print(f"identity pairwise precision: {precision:.4f} ({predicted} predicted pairs), "
          f"recall: {recall:.4f} ({actual} true pairs)")
    print("  link methods:", out["firm_year_identity"]["link_method"].value_counts().to_dict(),
          "| uncertain links listed:", len(out["identity_review"]))
    ok = share >= TIER_TARGET and precision > IDENTITY_TARGET and recall > IDENTITY_TARGET
    if "--without-brn" in sys.argv[1:]:
        blind = firm_identity(firm_year.assign(brn=None), setup.linkage["identity"], reviews, setup.rules, setup.sido_of)
        p2, r2, _, _ = pairwise(blind["firm_year_identity"], rec)
        print(f"identity without any BRN: precision {p2:.4f}, recall {r2:.4f}; "
              f"methods {blind['firm_year_identity']['link_method'].value_counts().to_dict()}, "
              f"uncertain links listed: {len(blind['identity_review'])}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
