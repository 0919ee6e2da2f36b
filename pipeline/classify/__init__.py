"""Classification of firm-years: KSIC sector and conversions, thematic industries, firm size and
industrial complex. Entry point: classify_firm_years(frame, settings)."""

from pipeline.classify.classify import classification_columns, classify_firm_years

__all__ = ["classify_firm_years", "classification_columns"]
