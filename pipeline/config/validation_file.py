"""config/validation.yaml: thresholds, corporate BRN type codes, the suites run per table and
the custom rules."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from pipeline.config.base import Strict


class Thresholds(Strict):
    employees_sum_tolerance: float = 0
    customer_share_sum_tolerance: float = 0.5
    min_founded_date: date = date(1900, 1, 1)
    blocking_error_share: float = Field(default=0.05, ge=0, le=1)
    # At or under this share of failing rows a check passes (the rows are still quarantined).
    pass_error_share: float = Field(default=0.01, ge=0, le=1)
    sample_rows: int = Field(default=5, ge=0)


class SuiteNames(Strict):
    """The GX suite (a file expectations/<name>.json) run on each table."""

    staged: str
    curated: str


class RuleSpec(Strict):
    column: str
    severity: Literal["error", "warning"]
    message_ko: str
    message_en: str


class ValidationFile(Strict):
    thresholds: Thresholds = Field(default_factory=Thresholds)
    corporate_brn_type_codes: list[str] = Field(default_factory=list)
    suites: SuiteNames
    rules: dict[str, RuleSpec] = Field(default_factory=dict)
