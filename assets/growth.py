"""Growth stages and support-programme screening of every firm-year (pipeline/growth), over the
firm panel: firms are followed across years by their firm_id."""

import dagster as dg
import pandas as pd

from assets.automation import AFTER_INPUTS
from assets.metadata import managed
from assets.resources import CensusSettings
from pipeline.growth import assign_stages, load_programmes, load_stage_rules, panel_indicators, screen
from pipeline.storage import read_table

ALL_YEARS = dg.AssetDep("firm_year", partition_mapping=dg.AllPartitionMapping())
PANEL_COLUMNS = ["record_id", "census_year", "revenue_mil_krw", "employees_total", "export_mil_krw", "rnd_mil_krw",
                 "employees_regular"]


def build() -> list:
    @dg.multi_asset(
        specs=managed([dg.AssetSpec("growth_stage", deps=[ALL_YEARS, "firm_year_identity"], automation_condition=AFTER_INPUTS,
                                    description="잠재·예비·중핵기업 of each firm-year, with the rule that decided."),
                       dg.AssetSpec("programme_screening", deps=[ALL_YEARS, "firm_year_identity"], automation_condition=AFTER_INPUTS,
                                    description="Each firm-year against each support programme: eligible, not, or cannot tell, and why.")]),
        ins={"firm_year_identity": dg.AssetIn()},
        group_name="growth", can_subset=False,
    )
    def growth(census_settings: CensusSettings, firm_year_identity: pd.DataFrame):
        settings = census_settings.load()
        # The declared dependency on every year of firm_year, read here for the few panel columns
        # only (all 130 columns of every year would be the whole census in memory).
        firm_year = read_table(settings, "firm_year", columns=PANEL_COLUMNS)
        panel = firm_year.merge(firm_year_identity[["record_id", "firm_id"]], on="record_id")
        indicators = panel_indicators(panel, "firm_id")
        stages = assign_stages(indicators, load_stage_rules(settings.config_path("growth/stages.yaml")), "firm_id")
        screened = screen(indicators, load_programmes(settings.config_path("growth/programmes.yaml")), "firm_id")
        yield dg.Output(stages, output_name="growth_stage", metadata={"stages": _counts(stages, ["census_year", "stage"])})
        yield dg.Output(screened, output_name="programme_screening",
                        metadata={"results": _counts(screened, ["census_year", "programme", "result"])})

    return [growth]


def _counts(frame: pd.DataFrame, by: list[str]) -> dg.MetadataValue:
    return dg.MetadataValue.json({" ".join(map(str, k)): int(v) for k, v in frame.groupby(by).size().items()})
