"""애로사항 of every firm-year classified into config/difficulties.yaml (ticked items by label,
free text by keywords), and the texts no rule placed, listed for staff to review."""

import dagster as dg
import pandas as pd

from assets.automation import AFTER_INPUTS
from assets.metadata import managed
from assets.resources import CensusSettings
from pipeline.difficulties import load_taxonomy
from pipeline.difficulties.tables import ANSWER_COLUMNS, difficulty_tables
from pipeline.storage import read_table

DEPS = [dg.AssetDep("firm_year", partition_mapping=dg.AllPartitionMapping()), "firm_year_identity"]


def build() -> list:
    @dg.multi_asset(
        specs=managed([dg.AssetSpec("firm_year_difficulty", deps=DEPS, automation_condition=AFTER_INPUTS,
                                    description="One row per firm-year and difficulty category, with its source (item, keyword, unclassified)."),
                       dg.AssetSpec("difficulty_review", deps=DEPS, automation_condition=AFTER_INPUTS,
                                    description="Texts no rule placed, per year and how often written: to review and extend the keywords (internal).")]),
        ins={"firm_year_identity": dg.AssetIn()},
        group_name="difficulties", can_subset=False,
    )
    def difficulties(census_settings: CensusSettings, firm_year_identity: pd.DataFrame):
        settings = census_settings.load()
        answers = read_table(settings, "firm_year", columns=ANSWER_COLUMNS)
        taxonomy = load_taxonomy(settings.config_path("difficulties.yaml"))
        per_firm_year, review = difficulty_tables(answers, firm_year_identity, taxonomy)
        answered = per_firm_year.drop_duplicates("record_id")
        placed = answered["record_id"].isin(per_firm_year.loc[per_firm_year["source"] != "unclassified", "record_id"])
        yield dg.Output(per_firm_year, output_name="firm_year_difficulty", metadata={
            "firm_years_answering": len(answered),
            "placed_share": round(float(placed.mean()), 4) if len(answered) else None,
            "per_category": dg.MetadataValue.json({str(k): int(v) for k, v in per_firm_year["category"].value_counts().items()}),
            "per_source": dg.MetadataValue.json({str(k): int(v) for k, v in per_firm_year["source"].value_counts().items()})})
        yield dg.Output(review, output_name="difficulty_review", metadata={"texts_to_review": len(review)})

    return [difficulties]
