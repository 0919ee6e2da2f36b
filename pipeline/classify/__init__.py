"""Classification of firm-years: KSIC sector and conversions, thematic industries, firm size and
industrial complex. Entry point: classify_firm_years(frame, settings)."""

from pipeline.classify.classify import classify_firm_years, classification_columns

__all__ = ["classify_firm_years", "classification_columns"]
