"""From a suite's outcome to what an asset check reports (pure: assets/validation.py wraps it in
dg.AssetCheckResult, so the decision is tested without Dagster).

passed:   no row fails an error-severity rule of the suite.
blocking: more than `blocking_error_share` of the rows fail an error-severity rule; the check is
          then of ERROR severity and, being blocking, stops downstream assets. Below the share the
          failing rows are quarantined and the check fails with WARN severity only.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.validation.suites import SuiteOutcome


@dataclass(frozen=True)
class CheckVerdict:
    name: str
    passed: bool
    blocking: bool
    description: str
    metadata: dict


def suite_verdict(outcome: SuiteOutcome, blocking_error_share: float) -> CheckVerdict:
    rows = outcome.rows
    error_rows = outcome.failed_error_rows
    warning_rows = int(outcome.failures.loc[outcome.failures["severity"] == "warning", "pos"].nunique()) if len(outcome.failures) else 0
    share = error_rows / rows if rows else 0.0
    blocking = share > blocking_error_share
    per_rule = {
        f"{r.rule} ({r.severity}, {r.column})": int(r.failed) for r in outcome.per_rule.itertuples()
    }
    samples = outcome.samples if outcome.samples is not None else outcome.failures.iloc[0:0]
    if blocking:
        description = (f"{error_rows}/{rows} 행({share:.1%})이 오류 규칙을 어겨 허용치 {blocking_error_share:.1%}를 넘습니다 / "
                       f"{share:.1%} of rows fail error rules, above the {blocking_error_share:.1%} limit")
    elif error_rows:
        description = f"{error_rows} 행 격리 / {error_rows} rows quarantined ({share:.2%})"
    else:
        description = "오류 없음 / no error-severity failures"
    return CheckVerdict(
        name=outcome.suite,
        passed=error_rows == 0,
        blocking=blocking,
        description=description,
        metadata={
            "rows": rows, "error_rows": error_rows, "warning_rows": warning_rows,
            "error_share": round(share, 6), "blocking_error_share": blocking_error_share,
            "failures_per_expectation": per_rule,
            "sample_failing_rows": samples.to_dict("records"),
        },
    )


def reconciliation_verdict(rec: dict) -> CheckVerdict:
    return CheckVerdict(
        name="reconciliation",
        passed=bool(rec["ok"]),
        blocking=not rec["ok"],
        description=("원본 = 정제 + 격리 / raw = curated + quarantined" if rec["ok"] else
                     f"행 수 불일치 / rows do not reconcile: {rec}"),
        metadata=dict(rec),
    )


def corrections_verdict(validated) -> CheckVerdict:
    issues = validated.correction_issues
    return CheckVerdict(
        name="corrections",
        passed=issues.empty,
        blocking=False,
        description=(f"정정 {len(validated.corrections_applied)}건 적용 / corrections applied" if issues.empty else
                     f"적용되지 않은 정정 {len(issues)}건 / {len(issues)} corrections not applied"),
        metadata={
            "applied": len(validated.corrections_applied),
            "not_applied": len(issues),
            "issues": issues[["corrections_file", "file_row", "record_id", "column", "rule", "message_en"]].head(20).to_dict("records"),
        },
    )
