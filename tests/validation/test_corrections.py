import pandas as pd

from pipeline.validation import reconcile, validate_year
from pipeline.validation.report import format_summary
from tests.validation.helpers import KSIC, make_staged

ROWS = [
    {},                                                             # row 2: good
    {"brn": "220-88-69974", "employees_total": -4},                 # row 3: error until corrected
    {"brn": "1208200052", "revenue_mil_krw": -1.0, "export_mil_krw": None},  # row 4: error, corrected by record_id
    {"brn": "1168200276"},                                          # row 5
    {"brn": "1168200276", "firm_name": "다른업체", "address": "다른 주소"},  # row 6: duplicate brn
]


def _write(settings, text, encoding="utf-8"):
    path = settings.corrections_dir / "2024.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_corrections_apply_before_validation_and_are_logged(settings):
    _write(settings, "brn,record_id,column,value,reason,who\n"
                     "220-88-69974,,employees_total,10,전화 확인,kim\n"
                     ",2024-0000004,revenue_mil_krw,\"1,200\",재무제표 확인,lee\n"
                     ",2024-0000002,phone,031-000-0000,번호 변경,kim\n")
    staged = make_staged(ROWS)
    validated = validate_year(staged, settings, ksic=KSIC)
    curated = validated.frame.set_index("source_row")
    assert curated.loc[3, "employees_total"] == 10
    assert curated.loc[4, "revenue_mil_krw"] == 1200.0
    assert set(validated.quarantine["source_row"]) == {6}  # only the duplicate is left
    log = validated.change_log.set_index("record_id")
    assert log.loc["2024-0000003", ["column", "old_value", "new_value", "rule"]].tolist() == ["employees_total", "-4", "10", "correction:kim"]
    assert log.loc["2024-0000004", "rule"] == "correction:lee"
    # personal data: the change is logged, the values are not
    assert log.loc["2024-0000002", ["column", "old_value", "new_value"]].tolist() == ["phone", "<개인정보>", "<개인정보>"]
    assert "031-000-0000" not in validated.change_log.to_string()
    assert validated.correction_issues.empty
    assert validated.summary["corrections_applied"] == 3
    assert reconcile(staged, validated)["ok"]
    # the delivery itself is untouched
    assert staged.frame.loc[1, "employees_total"] == -4


def test_bad_rows_are_reported_row_by_row_and_the_rest_applied(settings):
    _write(settings, "brn,record_id,column,value,reason,who\n"
                     "220-88-69974,,employees_total,열명,오타,kim\n"          # 2: not a number
                     "220-88-69974,,employee_count,10,오타,kim\n"            # 3: no such column
                     "999-99-99999,,employees_total,10,폐업,kim\n"           # 4: matches no row
                     "1168200276,,employees_total,10,확인,kim\n"             # 5: two rows have this brn
                     ",2024-0000099,employees_total,10,확인,kim\n"           # 6: no such record
                     ",2024-0000004,revenue_mil_krw,5,,\n"                   # 7: unsigned
                     "1348672683,2024-0000003,employees_total,10,확인,kim\n"  # 8: brn and record disagree
                     ",2024-0000004,revenue_mil_krw,5,확인,park\n"           # 9: good
                     ",,employees_total,10,확인,kim\n")                      # 10: names no row
    validated = validate_year(make_staged(ROWS), settings, ksic=KSIC)
    issues = validated.correction_issues.set_index("file_row")["rule"].to_dict()
    assert issues == {2: "correction_bad_value", 3: "correction_unknown_column", 4: "correction_unmatched",
                      5: "correction_ambiguous", 6: "correction_unmatched", 7: "correction_unsigned",
                      8: "correction_mismatch", 10: "correction_no_target"}
    assert validated.frame.set_index("source_row").loc[4, "revenue_mil_krw"] == 5.0
    assert validated.correction_issues["message_ko"].notna().all() and validated.correction_issues["message_en"].notna().all()
    text = format_summary(validated)
    assert "정정 파일 문제 / corrections not applied: 8" in text
    assert "2024.csv 4행: 사업자등록번호 999-99-99999인 행이 없습니다" in text


def test_same_cell_corrected_twice_reports_the_superseded_row(settings):
    _write(settings, "record_id,column,value,reason,who\n"
                     "2024-0000003,employees_total,9,첫 확인,kim\n"
                     "2024-0000003,employees_total,10,재확인,lee\n")
    validated = validate_year(make_staged(ROWS), settings, ksic=KSIC)
    assert validated.frame.set_index("source_row").loc[3, "employees_total"] == 10
    assert validated.correction_issues[["file_row", "rule"]].values.tolist() == [[2, "correction_superseded"]]


def test_empty_value_clears_and_dates_parse(settings):
    _write(settings, "record_id,column,value,reason,who\n"
                     "2024-0000002,founded_date,1999.03.01,등기부 확인,kim\n"
                     "2024-0000002,customer_1_name,,응답 오류,kim\n")
    validated = validate_year(make_staged(ROWS), settings, ksic=KSIC)
    row = validated.frame.set_index("source_row").loc[2]
    assert row["founded_date"] == pd.Timestamp("1999-03-01")
    assert pd.isna(row["customer_1_name"])


def test_corrections_read_the_notations_deliveries_use(settings):
    # An analyst types values the way the contractor's file writes them; staging reads these,
    # so corrections do too.
    _write(settings, "record_id,column,value,reason,who\n"
                     "2024-0000002,founded_date,1999년 3월 1일,등기부 확인,kim\n"
                     "2024-0000003,employees_total,１２,전화 확인,kim\n"
                     "2024-0000004,revenue_mil_krw,\"1,200원\",재무제표 확인,lee\n")
    validated = validate_year(make_staged(ROWS), settings, ksic=KSIC)
    curated = validated.frame.set_index("source_row")
    assert validated.correction_issues.empty
    assert curated.loc[2, "founded_date"] == pd.Timestamp("1999-03-01")
    assert curated.loc[3, "employees_total"] == 12
    assert curated.loc[4, "revenue_mil_krw"] == 1200.0


def test_cp949_file_from_excel_with_korean_header(settings):
    _write(settings, "사업자등록번호,레코드ID,항목,정정값,사유,작성자\n220-88-69974,,employees_total,10,전화 확인,김철수\n", encoding="cp949")
    validated = validate_year(make_staged(ROWS), settings, ksic=KSIC)
    assert validated.change_log["rule"].tolist() == ["correction:김철수"]


def test_unreadable_or_headerless_file_is_reported_not_a_crash(settings):
    _write(settings, "이건 정정 파일이 아닙니다\n아무거나\n")
    validated = validate_year(make_staged(ROWS), settings, ksic=KSIC)
    assert validated.correction_issues["rule"].tolist() == ["correction_header"]
    assert validated.summary["corrections_applied"] == 0
    (settings.corrections_dir / "2024.csv").write_bytes(b"\x00\xff\xfe\x00garbage\x81")
    validated = validate_year(make_staged(ROWS), settings, ksic=KSIC)
    assert len(validated.correction_issues) == 1
    assert validated.frame["source_row"].tolist() == [2, 5]  # validation still ran: rows 3, 4 and 6 quarantined
