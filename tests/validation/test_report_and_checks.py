import re

import dagster as dg
import pytest
from openpyxl import load_workbook

from assets.definitions import build_definitions
from pipeline import storage
from pipeline.load import delivery_row
from pipeline.settings import load_settings, make_project
from pipeline.validation import reconcile, validate_year
from pipeline.validation.bridge import suite_verdict
from pipeline.validation.report import format_summary, write_validation_report
from tests.conftest import SHARED_REFERENCE
from tests.validation.helpers import KSIC, make_staged

PERSONAL = {"representative_name": "홍길동", "phone": "010-9876-5432", "email": "ceo@secret.kr"}
ROWS = [
    {**PERSONAL},
    {**PERSONAL, "brn": "116-82-00278"},                                # row 3: warning
    {**PERSONAL, "brn": "220-88-69974", "employees_total": -1},         # row 4: error (+ a warning)
    {**PERSONAL, "brn": None, "crn": None, "firm_name": "<script>x</script>상사"},  # row 5: warning, HTML-escaped
    {**PERSONAL, "brn": "12345", "crn": None, "firm_name": "오류상사"},  # row 6: error
]


@pytest.fixture
def validated(settings):
    staged = make_staged(ROWS)
    v = validate_year(staged, settings, ksic=KSIC)
    return staged, v


def test_report_files_are_self_contained_and_sorted_for_fixing(settings, validated):
    staged, v = validated
    paths = write_validation_report(v, settings, reconcile(staged, v))
    assert paths["html"].parent == settings.reports_dir / "validation"
    html = paths["html"].read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|@import|url\(|https?://|src=", html, re.I)
    assert "&lt;script&gt;x&lt;/script&gt;상사" in html
    assert "사업자등록번호 검증번호가 맞지 않습니다" in html and "일치" in html
    for value in PERSONAL.values():
        assert value not in html

    wb = load_workbook(paths["xlsx"], read_only=True)
    assert wb.sheetnames == ["요약", "고칠 행", "정정 파일 문제"]
    rows = list(wb["고칠 행"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:5] == ("행 상태", "심각도", "원본행번호", "레코드ID", "업체명")
    # quarantined rows first (4 and 6, every rule they failed, errors before warnings), then the
    # kept rows' warnings, by source row
    assert [r[:3] for r in body] == [("격리", "오류", 4), ("격리", "경고", 4), ("격리", "오류", 6),
                                     ("유지", "경고", 3), ("유지", "경고", 5)]
    assert body[2][4] == "오류상사"
    assert all(r[8] for r in body)  # a Korean reason on every row
    text = " ".join(str(c) for sheet in wb for row in sheet.iter_rows(values_only=True) for c in row)
    for value in PERSONAL.values():
        assert value not in text


def test_summary_text(validated):
    staged, v = validated
    text = format_summary(v, reconcile(staged, v))
    assert "격리 행 quarantined rows           2" in text
    assert "일치 / reconciled" in text
    assert re.search(r"\[오류\] brn_malformed +1", text)
    for value in PERSONAL.values():
        assert value not in text


def test_verdict_blocks_only_above_the_share(validated):
    _, v = validated
    outcome = v.outcomes["census_rules"]  # brn_malformed: 1 of 5 rows = 20%
    low = suite_verdict(outcome, blocking_error_share=0.25)
    high = suite_verdict(outcome, blocking_error_share=0.1)
    assert (low.passed, low.blocking, high.passed, high.blocking) == (False, False, False, True)
    assert high.metadata["failures_per_expectation"]["brn_malformed (error, brn)"] == 1
    samples = {s["rule"]: s for s in high.metadata["sample_failing_rows"]}
    assert samples["brn_malformed"]["record_id"] == "2024-0000006" and samples["brn_malformed"]["source_row"] == 6
    clean = suite_verdict(v.outcomes["firm_year"], 0.0)
    assert clean.passed and not clean.blocking


def _materialize(tmp_path, rows):
    """The staging step's tables as it leaves them, then the validation step."""
    settings_path = make_project(tmp_path / "project", SHARED_REFERENCE)
    settings = load_settings(settings_path)
    staged = make_staged(rows)
    storage.write_year(settings, 2024, {"staged_firm_year": staged.frame, "staged_quarantine": staged.quarantine,
                                        "staged_change_log": staged.change_log, "staged_delivery": delivery_row(staged)})
    defs = build_definitions(settings)
    resources = defs.resources
    result = dg.materialize(list(defs.assets), selection=["validated_firm_year", "firm_revenue", "quarantine", "validation_flag", "change_log"],
                            partition_key="2024", instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, resources=resources)
    return result, settings


def test_asset_checks_in_dagster(tmp_path):
    # 1 error row of 25 (4%) stays under the 5% blocking share: quarantined, not blocking
    rows = [{"brn": None, "crn": None, "firm_name": f"업체{i}"} for i in range(23)] + ROWS[:1] + ROWS[4:]
    result, settings = _materialize(tmp_path, rows)
    assert result.success
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert set(checks) == {"staged_census_rows", "census_rules", "firm_year", "reconciliation", "corrections"}
    assert checks["reconciliation"].passed and checks["firm_year"].passed
    assert not checks["census_rules"].passed and checks["census_rules"].severity == dg.AssetCheckSeverity.WARN
    quarantine = storage.read_table(settings, "quarantine", 2024)
    assert quarantine.loc[quarantine["severity"] == "error", "record_id"].nunique() == 1
    assert len(storage.read_table(settings, "validated_firm_year", 2024)) == 24
    assert (settings.reports_dir / "validation" / "validation_2024.html").is_file()


def test_blocking_check_stops_the_step_when_most_rows_fail(tmp_path):
    result, _ = _materialize(tmp_path, [{"employees_total": -1}, {"brn": "2208869974", "employees_total": -2}])
    assert not result.success
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not checks["staged_census_rows"].passed
    assert checks["staged_census_rows"].severity == dg.AssetCheckSeverity.ERROR
    assert checks["staged_census_rows"].metadata["error_share"].value == 1.0
