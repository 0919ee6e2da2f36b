"""The load status of every census year in the UI: one asset whose metadata is the table of the
view `load_status` (year x file x rows read / curated / quarantined / flagged x loaded at)."""

import dagster as dg
import pandas as pd

from assets.automation import AFTER_INPUTS
from assets.resources import CensusSettings
from pipeline.load_status import load_status as load_status_rows
from pipeline.tables.registry import table_registry

TYPES = {"integer": "int", "timestamp": "string", "text": "string"}


def status_table(frame: pd.DataFrame, settings) -> dg.MetadataValue:
    """The rows as a Dagster table, each column described as the registry describes it."""
    registry = table_registry(settings)
    columns = []
    for name in frame.columns:
        doc = registry.column_doc("load_status", name)
        columns.append(dg.TableColumn(name, TYPES.get(doc.type if doc else "text", "string"),
                                      description=f"{doc.label_ko} / {doc.label_en}" if doc else None))
    records = [dg.TableRecord({c: _plain(v) for c, v in row.items()}) for row in frame.to_dict("records")]
    return dg.MetadataValue.table(records, schema=dg.TableSchema(columns=columns))


def _plain(value):
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return int(value) if hasattr(value, "__index__") else value


def build() -> list:
    @dg.asset(deps=[dg.AssetDep("load_log", partition_mapping=dg.AllPartitionMapping())], group_name="status",
              automation_condition=AFTER_INPUTS)
    def load_status(context: dg.AssetExecutionContext, census_settings: CensusSettings) -> dg.MaterializeResult:
        """연도별 적재 현황 / per census year, the load in place (file, rows read, curated,
        quarantined, flagged, when) and any failed attempt after it: the view load_status."""
        settings = census_settings.load()
        rows = load_status_rows(settings)
        failed = rows[rows["status"] == "failed"]
        return dg.MaterializeResult(metadata={
            "load_status": status_table(rows, settings),
            "years_loaded": dg.MetadataValue.json(sorted(int(y) for y in rows.loc[rows["status"] != "failed", "census_year"])),
            "years_with_failed_load": dg.MetadataValue.json(sorted(int(y) for y in failed["census_year"]))})

    return [load_status]
