"""Classification of firm-years: KSIC sector and conversions, thematic industries, firm size and
industrial complex. Entry points: classify_firm_years(frame, settings) and classify_year (also the
secondary KSIC codes and the autocoder's review list)."""

import importlib

__all__ = ["ClassifiedYear", "classify_firm_years", "classify_year", "classification_columns"]


def __getattr__(name: str):
    # Loaded on first use: the package's light modules (themes, sizes, complexes) are read by the
    # table registry and the sensors, which should not pay for the autocoder's libraries.
    if name in __all__:
        return getattr(importlib.import_module("pipeline.classify.classify"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
