"""From a suite's outcome to what an asset check reports (pure: assets/validation.py wraps it in
dg.AssetCheckResult, so the decision is tested without Dagster).

Every normal year quarantines a few rows, so "no failing row" is not what a check should mean.
Three levels, by the share of rows failing an error-severity rule (config/validation.yaml):

PASS:  share <= pass_error_share. The failing rows are quarantined and counted in the metadata;
       the check is green, because this is a normal delivery.
WARN:  pass_error_share < share <= blocking_error_share. Quarantined as well; the check fails
       with WARN severity so the analyst looks at the validation report.
ERROR: share > blocking_error_share. The check fails with ERROR severity and, being blocking,
       stops downstream assets (a broken delivery, not a few bad rows).

Every verdict's metadata carries the census year, so the check history can be read per year.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.validation.rules import ValidationConfig, ValidationConfigError
from pipeline.validation.suites import SuiteOutcome

PASS, WARN, ERROR = "PASS", "WARN", "ERROR"


@dataclass(frozen=True)
class CheckVerdict:
    name: str
    passed: bool
    blocking: bool
    description: str
    metadata: dict

    @property
    def level(self) -> str:
        """PASS, WARN or ERROR: what the check shows (Dagster: passed, or failed with that severity)."""
        return PASS if self.passed else (ERROR if self.blocking else WARN)


@dataclass(frozen=True)
class VerdictThresholds:
    """Error-row shares (0..1) at which a suite's check turns WARN and ERROR."""

    pass_error_share: float
    blocking_error_share: float


def verdict_thresholds(config: ValidationConfig) -> VerdictThresholds:
    """The thresholds of config/validation.yaml; pass_error_share defaults to 0 (any error row
    warns), as before the key existed. A share outside 0..1 or a pass share above the blocking
    one is a configuration error with a one-line message naming the file and key."""
    values = {}
    for key, default in (("pass_error_share", 0.0), ("blocking_error_share", None)):
        raw = config.thresholds.get(key, default)
        if raw is None:
            raise ValidationConfigError(f"{config.path.name}: thresholds.{key} 값이 없습니다 / is not set")
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ValidationConfigError(f"{config.path.name}: thresholds.{key} 는 0~1 사이 비율이어야 합니다 / "
                                        f"must be a share between 0 and 1, got {raw!r}") from None
        if not 0.0 <= value <= 1.0:
            raise ValidationConfigError(f"{config.path.name}: thresholds.{key} 는 0~1 사이 비율이어야 합니다 / "
                                        f"must be a share between 0 and 1, got {raw!r}")
        values[key] = value
    if values["pass_error_share"] > values["blocking_error_share"]:
        raise ValidationConfigError(f"{config.path.name}: thresholds.pass_error_share 가 blocking_error_share 보다 큽니다 / "
                                    "pass_error_share is above blocking_error_share")
    return VerdictThresholds(**values)


def suite_verdict(outcome: SuiteOutcome, blocking_error_share: float, *, pass_error_share: float = 0.0,
                  year: int | None = None) -> CheckVerdict:
    """The check of one suite (or of the custom rules) on one year's rows."""
    rows = outcome.rows
    error_rows = outcome.failed_error_rows
    warning_rows = int(outcome.failures.loc[outcome.failures["severity"] == "warning", "pos"].nunique()) if len(outcome.failures) else 0
    share = error_rows / rows if rows else 0.0
    blocking = share > blocking_error_share
    passed = not blocking and share <= pass_error_share
    per_rule = {
        f"{r.rule} ({r.severity}, {r.column})": int(r.failed) for r in outcome.per_rule.itertuples()
    }
    samples = outcome.samples if outcome.samples is not None else outcome.failures.iloc[0:0]
    if blocking:
        description = (f"{error_rows:,}/{rows:,} 행({share:.1%})이 오류 규칙을 어겨 차단 기준 {blocking_error_share:.1%}를 넘습니다 / "
                       f"{share:.1%} of rows fail error rules, above the {blocking_error_share:.1%} blocking limit")
    elif not passed:
        description = (f"{error_rows:,} 행 격리({share:.2%}), 허용 {pass_error_share:.2%} 초과 / "
                       f"{error_rows:,} rows quarantined ({share:.2%}), above the {pass_error_share:.2%} allowed")
    elif error_rows:
        description = (f"{error_rows:,} 행 격리({share:.2%}), 허용 범위 안 / "
                       f"{error_rows:,} rows quarantined ({share:.2%}), within the {pass_error_share:.2%} allowed")
    else:
        description = "오류 없음 / no error-severity failures"
    return CheckVerdict(
        name=outcome.suite,
        passed=passed,
        blocking=blocking,
        description=description,
        metadata={
            "census_year": year, "rows": rows, "error_rows": error_rows, "warning_rows": warning_rows,
            "error_share": round(share, 6), "pass_error_share": pass_error_share,
            "blocking_error_share": blocking_error_share,
            "failures_per_expectation": per_rule,
            "sample_failing_rows": samples.to_dict("records"),
        },
    )


def reconciliation_verdict(rec: dict, year: int | None = None) -> CheckVerdict:
    return CheckVerdict(
        name="reconciliation",
        passed=bool(rec["ok"]),
        blocking=not rec["ok"],
        description=("원본 = 정제 + 격리 / raw = curated + quarantined" if rec["ok"] else
                     f"행 수 불일치 / rows do not reconcile: {rec}"),
        metadata={"census_year": year, **rec},
    )


def corrections_verdict(validated, year: int | None = None) -> CheckVerdict:
    issues = validated.correction_issues
    return CheckVerdict(
        name="corrections",
        passed=issues.empty,
        blocking=False,
        description=(f"정정 {len(validated.corrections_applied)}건 적용 / corrections applied" if issues.empty else
                     f"적용되지 않은 정정 {len(issues)}건 / {len(issues)} corrections not applied"),
        metadata={
            "census_year": year if year is not None else getattr(validated, "year", None),
            "applied": len(validated.corrections_applied),
            "not_applied": len(issues),
            "issues": issues[["corrections_file", "file_row", "record_id", "column", "rule", "message_en"]].head(20).to_dict("records"),
        },
    )
