"""Classification of firm-years: KSIC sector and conversions, thematic industries, firm size and
industrial complex. Entry points: classify_firm_years(frame, settings) and classify_year (also the
secondary KSIC codes and the autocoder's review list)."""

from pipeline.classify.classify import (
    ClassifiedYear,
    classification_columns,
    classify_firm_years,
    classify_year,
)

__all__ = ["ClassifiedYear", "classify_firm_years", "classify_year", "classification_columns"]
