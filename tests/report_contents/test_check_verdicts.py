"""Check verdicts that mean something: a normal year's few quarantined rows pass, more warn, a
broken delivery blocks; every verdict names its year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.validation.bridge import (
    ERROR,
    PASS,
    WARN,
    corrections_verdict,
    reconciliation_verdict,
    suite_verdict,
    verdict_thresholds,
)
from pipeline.validation.rules import ValidationConfig, ValidationConfigError, load_config
from pipeline.validation.suites import SuiteOutcome
from tests.conftest import SHIPPED_CONFIG


def _outcome(rows: int, error_rows: int, warning_rows: int = 0) -> SuiteOutcome:
    failures = pd.DataFrame(
        [{"pos": i, "rule": "brn_malformed", "column": "brn", "severity": "error"} for i in range(error_rows)]
        + [{"pos": rows - 1 - i, "rule": "brn_checksum", "column": "brn", "severity": "warning"} for i in range(warning_rows)],
        columns=["pos", "rule", "column", "severity"])
    per_rule = pd.DataFrame([{"rule": "brn_malformed", "column": "brn", "severity": "error", "failed": error_rows}])
    return SuiteOutcome(suite="census_rules", rows=rows, per_rule=per_rule, failures=failures)


@pytest.mark.parametrize(("error_rows", "level"), [(0, PASS), (5, PASS), (10, PASS), (11, WARN), (50, WARN), (51, ERROR)])
def test_levels_follow_the_error_share(error_rows, level):
    v = suite_verdict(_outcome(1000, error_rows), 0.05, pass_error_share=0.01, year=2024)
    assert v.level == level
    assert v.blocking == (level == ERROR)
    assert v.metadata["error_rows"] == error_rows and v.metadata["rows"] == 1000
    assert v.metadata["census_year"] == 2024


def test_a_normal_year_passes_with_its_quarantine_counted():
    v = suite_verdict(_outcome(3618, 12, warning_rows=40), 0.05, pass_error_share=0.01, year=2024)
    assert v.passed and v.metadata["warning_rows"] == 40 and v.metadata["error_share"] == pytest.approx(12 / 3618, abs=1e-6)
    assert "12 행 격리" in v.description and "허용 범위 안" in v.description


def test_without_a_pass_share_any_error_row_warns_as_before():
    assert suite_verdict(_outcome(100, 1), 0.05).level == WARN
    assert suite_verdict(_outcome(100, 0), 0.05).level == PASS


def test_every_verdict_carries_the_year():
    rec = reconciliation_verdict({"ok": True, "raw": 10, "curated": 9, "quarantined": 1, "difference": 0}, year=2023)
    assert rec.metadata["census_year"] == 2023 and rec.level == PASS

    class Validated:
        year = 2022
        corrections_applied = pd.DataFrame({"x": [1]})
        correction_issues = pd.DataFrame(columns=["corrections_file", "file_row", "record_id", "column", "rule", "message_en"])

    assert corrections_verdict(Validated()).metadata["census_year"] == 2022


def test_project_thresholds_are_read_and_checked():
    t = verdict_thresholds(load_config(SHIPPED_CONFIG / "validation.yaml"))
    assert 0 < t.pass_error_share <= t.blocking_error_share
    bad = ValidationConfig({"pass_error_share": 0.2, "blocking_error_share": 0.05}, frozenset(), {}, {}, Path("validation.yaml"))
    with pytest.raises(ValidationConfigError, match="validation.yaml: thresholds.pass_error_share"):
        verdict_thresholds(bad)
    typo = ValidationConfig({"pass_error_share": "1%", "blocking_error_share": 0.05}, frozenset(), {}, {}, Path("validation.yaml"))
    with pytest.raises(ValidationConfigError, match="must be a share"):
        verdict_thresholds(typo)
