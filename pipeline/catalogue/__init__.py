"""The documented schema in a database: label tables, views, COMMENTs from the table registry
(pipeline/tables), and the data dictionary (docs/data_dictionary.md) generated from them."""

from pipeline.catalogue.comments import document
from pipeline.catalogue.dictionary import data_dictionary

__all__ = ["data_dictionary", "document"]
