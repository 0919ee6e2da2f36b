"""애로사항 (difficulties firms report) classified into a configurable taxonomy (issue 19)."""

from pipeline.difficulties.classify import (
           NONE,
           classification_rate,
           classify_answers,
           classify_items,
           classify_text,
           unclassified_texts,
)
from pipeline.difficulties.counts import difficulty_counts
from pipeline.difficulties.taxonomy import Taxonomy, TaxonomyError, load_taxonomy

__all__ = ["NONE", "Taxonomy", "TaxonomyError", "classification_rate", "classify_answers", "classify_items", "classify_text",
           "difficulty_counts", "load_taxonomy", "unclassified_texts"]
