"""Validation of a staged census year: corrections, GX suites, Korean identifier and content rules,
row-level quarantine and flags, reconciliation, and the analysts' report.

Entry point: `validate_year(staged, settings) -> ValidatedYear`. pipeline/ never imports dagster;
assets/validation.py turns the outcomes into asset checks.
"""

from pipeline.validation.checks import KsicCodes
from pipeline.validation.rules import ValidationConfigError, load_config
from pipeline.validation.run import ValidatedYear, reconcile, validate_year
from pipeline.validation.suites import SuiteError, SuiteOutcome, load_suite

__all__ = [
    "KsicCodes", "SuiteError", "SuiteOutcome", "ValidatedYear", "ValidationConfigError",
    "load_config", "load_suite", "reconcile", "validate_year",
]
