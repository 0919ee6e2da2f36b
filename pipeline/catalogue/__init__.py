"""The documented schema: descriptions of tables and columns (config/table_catalogue.yaml and
config/canonical_columns.yaml), label tables, the views for common questions, DuckDB COMMENTs
and the generated data dictionary (docs/data_dictionary.md)."""

from pipeline.catalogue.comments import apply_comments
from pipeline.catalogue.dictionary import data_dictionary

__all__ = ["apply_comments", "data_dictionary"]
