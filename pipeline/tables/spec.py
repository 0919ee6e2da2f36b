"""What a table is: its columns with type, disclosure and ko/en labels, its key and partitioning.

The column types are the registry's own (text, id, code, tier, integer, number, bool, date,
timestamp); each has one Arrow type it is stored as and one DuckDB type it is queried as, so the
Parquet files, the query database and the research database cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

PARTITION = "census_year"  # the hive partition column of the per-year tables

ARROW_TYPES: dict[str, pa.DataType] = {
    "text": pa.large_string(), "id": pa.large_string(), "code": pa.large_string(), "tier": pa.large_string(),
    "integer": pa.int64(), "number": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
}
DUCKDB_TYPES = {"text": "VARCHAR", "id": "VARCHAR", "code": "VARCHAR", "tier": "VARCHAR", "integer": "BIGINT",
                "number": "DOUBLE", "bool": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP"}
DISCLOSURES = ("public", "identifying", "personal", "key", "registry")
LAYERS = ("staging", "curated", "reference")
# What the research database does with a public column (its `research:` attribute in tables.yaml):
#   year | year_month  a date generalised to its year (INTEGER <name>_year) or month ('YYYY-MM', <name>_month)
#   free_text          respondent-typed text kept, scrubbed of the year's firm and person names and identifiers
#   coded              an answer from a fixed list, kept (scrubbed of identifiers like any text)
#   omit               left out although public
# A date without one is generalised to its year, and a text column of the delivery without one
# is left out (fail closed: a new free-text column reaches researchers only by decision).
RESEARCH_TRANSFORMS = ("year", "year_month", "free_text", "coded", "omit")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    disclosure: str
    label_ko: str
    label_en: str
    labels: str | None = None  # the label table of a code column
    research: str | None = None  # one of RESEARCH_TRANSFORMS, or None: as its disclosure says

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.type]

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class TableSpec:
    name: str
    label_ko: str
    label_en: str
    layer: str
    partitioned: bool
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...] = ()
    research: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def stored_columns(self) -> tuple[ColumnSpec, ...]:
        """Columns of the Parquet file: the partition column lives in the directory name."""
        return tuple(c for c in self.columns if not (self.partitioned and c.name == PARTITION))

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.arrow_type) for c in self.stored_columns])

    @property
    def in_query_database(self) -> bool:
        return self.layer != "staging"


@dataclass(frozen=True)
class ViewSpec:
    name: str
    label_ko: str
    label_en: str
    sources: tuple[str, ...] = ()
    columns: dict[str, ColumnSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class LabelTable:
    name: str
    label_ko: str
    label_en: str
    rows: tuple[tuple[str, str, str], ...]  # (code, label_ko, label_en)
