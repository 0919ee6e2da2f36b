"""Firm identities across all loaded census years."""


import dagster as dg
import pandas as pd

from assets.automation import AFTER_INPUTS
from assets.metadata import managed
from assets.resources import CensusSettings
from pipeline.identity.checks import firms_with_two_brns
from pipeline.identity.firms import firm_identity as link_firms
from pipeline.identity.reviews import load_reviews
from pipeline.supply.setup import supply_setup

ALL_YEARS = dg.AssetDep("firm_year", partition_mapping=dg.AllPartitionMapping())
# The firm_year columns linkage compares (pipeline.identity.features) and the name of the firm
# table, read by an input manager of their own: every year's other hundred-odd columns are not read.
LINKAGE_COLUMNS = "firm_year_linkage_columns"
FIRM_YEAR_COLUMNS = ["record_id", "census_year", "brn", "firm_name", "founded_date", "representative_name", "address",
                     "ksic_code", "addr_emd", "addr_road", "addr_number"]


def build() -> list:
    @dg.multi_asset(
        specs=managed([dg.AssetSpec("firm", deps=[ALL_YEARS], automation_condition=AFTER_INPUTS, description="One row per firm across years."),
               dg.AssetSpec("firm_year_identity", deps=[ALL_YEARS], automation_condition=AFTER_INPUTS, description="record_id -> firm_id, link method and score."),
               dg.AssetSpec("identity_review", deps=[ALL_YEARS], automation_condition=AFTER_INPUTS, description="Uncertain links for an analyst (decided in config/identity_reviews.csv).")]),
        ins={"firm_year": dg.AssetIn(input_manager_key=LINKAGE_COLUMNS)},
        check_specs=[dg.AssetCheckSpec("one_brn_per_firm", asset="firm_year_identity", blocking=True,
                                       description="No firm_id points at two different valid 사업자등록번호")],
        group_name="identity", can_subset=False,
    )
    def firm_identity(context: dg.AssetExecutionContext, census_settings: CensusSettings, firm_year: pd.DataFrame):
        settings = census_settings.load()
        setup = supply_setup(settings)
        out = link_firms(firm_year, setup.linkage["identity"], load_reviews(setup.reviews_path), setup.rules, setup.sido_of)
        conflicts = firms_with_two_brns(out["firm_year_identity"], firm_year)
        if conflicts:
            # A firm_id over two BRNs must not reach the panel views: the previous identities stay.
            raise dg.Failure(description=f"같은 기업ID에 사업자등록번호가 둘 / firm ids over two BRNs: {conflicts[:10]}",
                             metadata={"firms_with_two_brns": len(conflicts)}, allow_retries=False)
        ident = out["firm_year_identity"]
        methods = {str(k): int(v) for k, v in ident["link_method"].value_counts().items()}
        yield dg.Output(out["firm"], output_name="firm", metadata={"firms": len(out["firm"])})
        yield dg.Output(ident, output_name="firm_year_identity", metadata={
            "census_years": dg.MetadataValue.json(sorted(int(y) for y in firm_year["census_year"].dropna().unique())),
            "link_methods": dg.MetadataValue.json(methods)})
        yield dg.Output(out["identity_review"], output_name="identity_review", metadata={
            "uncertain_links": len(out["identity_review"]),
            "uncertain_links_linked": int(out["identity_review"]["linked"].sum()) if len(out["identity_review"]) else 0})
        yield dg.AssetCheckResult(check_name="one_brn_per_firm", asset_key="firm_year_identity", passed=True,
                                  metadata={"firms_with_two_brns": 0})

    return [firm_identity]
