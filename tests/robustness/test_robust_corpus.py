"""The bad-input corpus: every delivery an unlucky analyst or an attacker could drop into
data/raw, through the function path a load takes (pipeline.load.stage_year_file, then
pipeline.validation.validate_year). Each case either loads, with rows read = curated +
quarantined and the named rules that explain what was changed, emptied or set aside, or is
refused with a Korean and English message naming the file. Nothing raises anything else.
The files are written by tests/robustness/bad_deliveries.py (no binary is committed)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.load import stage_year_file
from pipeline.read import DeliveryError
from pipeline.settings import load_settings, make_project
from pipeline.validation import reconcile, validate_year
from pipeline.validation.ksic_reference import ksic_codes
from pipeline.validation.rules import load_config
from tests.conftest import SHARED_REFERENCE
from tests.robustness import bad_deliveries as bad


@dataclass(frozen=True)
class Loads:
    """The year loads; these rules appear in the quarantine, the flags or the change log."""

    rules: tuple[str, ...] = ()
    quarantined: int = 0
    check: Callable | None = None  # check(staged, validated) for what the user would notice


@dataclass(frozen=True)
class Refused:
    """The load stops with a DeliveryError whose messages contain these words."""

    ko: str
    en: str


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path], Path]
    outcome: Loads | Refused
    marks: tuple = field(default_factory=tuple)


def first(validated, column):
    return validated.frame.sort_values("source_row")[column].iloc[0]


def flagged(validated, rule: str) -> pd.DataFrame:
    found = validated.flags[validated.flags["rule"] == rule]
    assert len(found), f"no {rule} flag"
    assert found["message_ko"].str.len().gt(0).all() and found["message_en"].str.len().gt(0).all()
    return found


def emptied(column: str, rule: str, count: int = 1):
    """The value is missing in the curated row, which stays, and a warning with the rule says why."""
    def check(staged, validated):
        frame = validated.frame.sort_values("source_row")
        assert frame[column].iloc[:count].isna().all()
        assert len(flagged(validated, rule)) == count
    return check


def value_is(column: str, expected):
    def check(staged, validated):
        assert first(validated, column) == expected, first(validated, column)
    return check


def sample_firm_names(staged, validated):
    """The curated firm names are the sample's, as text normalising gives them (㈜ -> (주))."""
    expected = [" ".join(unicodedata.normalize("NFKC", r[bad.col("사업체명")]).split()) for r in bad.firms()]
    assert list(validated.frame.sort_values("source_row")["firm_name"]) == expected


def no_signed_zero(staged, validated):
    revenue = validated.frame.sort_values("source_row")["revenue_mil_krw"].to_numpy()[:2]
    assert (revenue == 0).all() and not np.signbit(revenue).any()


def merged_filled(staged, validated):
    frame = validated.frame.sort_values("source_row")
    for name, canonical in (("업종명", "industry_name"), ("산업단지명", "complex_name_raw")):
        assert (frame[canonical].iloc[1:5] == bad.MERGED_COLUMNS[name]).all(), canonical
    assert frame["self_reported_tier"].iloc[1:5].notna().all()
    log = validated.change_log[validated.change_log["rule"] == "merged:filled"]
    assert len(log) == 9 and log["old_value"].str.contains(r"[A-Z]+4:[A-Z]+7").all()  # 3 columns x rows 5-7


def totals_from_formulas(staged, validated):
    frame = validated.frame
    assert (frame["employees_total"] == frame["employees_male"] + frame["employees_female"]).all()


def error_cells_logged(staged, validated):
    log = validated.change_log[(validated.change_log["rule"] == "number:unparseable") & (validated.change_log["column"] == "revenue_mil_krw")]
    assert sorted(log["old_value"]) == ["#DIV/0!", "#N/A", "#REF!"]
    assert validated.frame.sort_values("source_row")["revenue_mil_krw"].iloc[:3].isna().all()


def source_file_kept(name: str):
    def check(staged, validated):
        assert staged.source_file == name and (validated.frame["source_file"] == name).all()
    return check


def long_text_kept(staged, validated):
    assert len(first(validated, "main_products")) == 32_767


def only_visible_sheet(staged, validated):
    assert "숨은기업" not in set(validated.frame["firm_name"])
    sample_firm_names(staged, validated)


def duplicate_header_ignored(staged, validated):
    sample_firm_names(staged, validated)  # the first 사업체명 column, not the 대표자명 under the second
    assert "사업체명" in staged.ignored_headers


def formula_text_is_data(staged, validated):
    assert first(validated, "firm_name") == '=HYPERLINK("http://x.example/?"&A1,"클릭")'
    assert validated.frame.sort_values("source_row")["firm_name"].iloc[1] == "@SUM(A1:A9)"


def dates(*expected: str):
    def check(staged, validated):
        got = validated.frame.sort_values("source_row")["founded_date"].iloc[: len(expected)]
        assert list(got) == [pd.Timestamp(e) for e in expected]
    return check


def both(*checks):
    def check(staged, validated):
        for c in checks:
            c(staged, validated)
    return check


TOTAL, REVENUE, FOUNDED, NAME = "종사자수_계", "매출액(백만원)", "설립연월일", "사업체명"

CASES = [
    # encodings
    Case("csv_utf8_bom", bad.csv_utf8_bom, Loads(check=sample_firm_names)),
    Case("csv_cp949", bad.csv_cp949, Loads(check=sample_firm_names)),
    Case("csv_utf16", bad.csv_utf16, Loads(check=sample_firm_names)),
    Case("csv_mixed_utf8_cp949", bad.csv_mixed_encodings, Refused("4번째 줄부터 문자 인코딩이 다릅니다", "encoding changes at line 4")),
    Case("html_euc_kr_named_xls", bad.html_euc_kr_as_xls, Loads(check=sample_firm_names)),
    Case("html_cp949_without_charset", bad.html_cp949_without_charset, Loads(check=sample_firm_names)),
    # formats
    Case("legacy_xls", bad.legacy_xls, Loads(check=sample_firm_names)),
    Case("legacy_xls_dates_past_any_calendar", lambda d: bad.legacy_xls(d, dates=[1e10, 2958465.0, 44186.0]),
         Loads(rules=("date:unparseable", "date:out_of_range"), check=lambda s, v: v.frame.sort_values("source_row")["founded_date"].iloc[2] == pd.Timestamp("2020-12-21"))),
    Case("password_protected", bad.password_protected, Refused("암호가 걸린 파일", "password-protected")),
    Case("zero_bytes", bad.zero_bytes, Refused("빈 파일", "the file is empty")),
    Case("truncated_xlsx", bad.truncated_xlsx, Refused("손상", "corrupt")),
    Case("random_bytes", bad.random_bytes, Refused("엑셀 파일도 텍스트(CSV) 파일도 아닙니다", "neither a workbook nor a text")),
    Case("csv_named_xlsx", bad.text_named_xlsx, Loads(check=sample_firm_names)),
    Case("ods_named_xlsx", bad.ods_named_xlsx, Refused("OpenDocument(.ods)", "OpenDocument (.ods)")),
    Case("xlsb", bad.xlsb_workbook, Refused("엑셀 바이너리(.xlsb)", "binary Excel (.xlsb)")),
    Case("zip_bomb_2200mb", bad.zip_bomb, Refused("한도 2,048 MB", "exceeds the limit of 2,048 MB")),
    Case("zip_bomb_lying_size", bad.lying_zip_bomb, Refused("손상", "corrupt")),
    Case("zip_of_20000_parts", bad.many_zip_members, Refused("압축 안의 파일 수(20,000)", "lists 20,000 parts")),
    Case("dimension_past_cell_limit", bad.cells_declared_past_limit, Refused("셀 수(17,179,869,184)", "over the limit of 80,000,000")),
    # structure
    Case("no_header", bad.no_header, Refused("아는 양식(config/layouts)에 맞지 않습니다", "census layout new")),
    Case("header_on_row_25", lambda d: bad.header_on_row(d, 25), Loads(check=sample_firm_names)),
    Case("header_on_row_40", lambda d: bad.header_on_row(d, 40), Refused("아는 양식(config/layouts)에 맞지 않습니다", "census layout new")),
    Case("duplicated_header", bad.duplicated_headers, Loads(check=duplicate_header_ignored)),
    Case("hidden_sheet_before_data", bad.hidden_sheet_first, Loads(check=only_visible_sheet)),
    Case("notes_sheet_then_data", bad.data_on_second_sheet, Loads(check=sample_firm_names)),
    Case("hidden_rows", bad.hidden_rows, Loads(check=sample_firm_names)),
    Case("merged_down_industry_complex_tier", bad.merged_down, Loads(rules=("merged:filled",), check=merged_filled)),
    Case("table_starts_at_column_c", bad.shifted_right, Loads(check=sample_firm_names)),
    Case("formulas_with_cached_values", lambda d: bad.formulas(d, cached=True), Loads(check=totals_from_formulas)),
    Case("formulas_without_cached_values", lambda d: bad.formulas(d, cached=False),
         Loads(rules=("employees_total_missing",), check=lambda s, v: v.frame["employees_total"].isna().all())),
    Case("error_cells_ref_div0_na", bad.error_cells, Loads(rules=("number:unparseable",), check=error_cells_logged)),
    Case("total_and_nameless_rows", bad.total_and_nameless_rows, Loads(rules=("total_row", "no_firm_identifier"), quarantined=2)),
    # values
    Case("integer_1e300_cell", lambda d: bad.values_xlsx(d, "e300", TOTAL, [1e300]),
         Loads(rules=("integer:too_large",), check=emptied("employees_total", "integer:too_large"))),
    Case("integer_9_999e307_text", lambda d: bad.values_csv(d, "e307", TOTAL, ["9.999e307"]),
         Loads(rules=("integer:too_large",), check=emptied("employees_total", "integer:too_large"))),
    Case("integer_2_pow_63", lambda d: bad.values_csv(d, "p63", TOTAL, [str(2**63)]),
         Loads(rules=("integer:too_large",), check=emptied("employees_total", "integer:too_large"))),
    Case("number_1e309_overflows_float", lambda d: bad.values_csv(d, "e309", REVENUE, ["1e309"]),
         Loads(rules=("number:too_large",), check=emptied("revenue_mil_krw", "number:too_large"))),
    Case("nan_and_infinity_text", lambda d: bad.values_csv(d, "naninf", REVENUE, ["NaN", "inf", "-Infinity", "∞"]),
         Loads(rules=("number:not_finite",), check=emptied("revenue_mil_krw", "number:not_finite", count=4))),
    Case("negative_zero", lambda d: bad.values_csv(d, "negzero", REVENUE, ["-0", "-0.0"]), Loads(check=no_signed_zero)),
    Case("date_9999_12_31_unknown", lambda d: bad.values_csv(d, "d9999", FOUNDED, ["9999-12-31"]),
         Loads(rules=("date:out_of_range",), check=emptied("founded_date", "date:out_of_range"))),
    Case("date_9999_12_31_cell", lambda d: bad.values_xlsx(d, "d9999cell", FOUNDED, [datetime(9999, 12, 31)]),
         Loads(rules=("date:out_of_range",), check=emptied("founded_date", "date:out_of_range"))),
    Case("date_2262_04_12_and_1677_09_21", lambda d: bad.values_csv(d, "dbounds", FOUNDED, ["2262-04-12", "1677-09-21"]),
         Loads(rules=("date:out_of_range",), check=emptied("founded_date", "date:out_of_range", count=2))),
    Case("date_0000_00_00", lambda d: bad.values_csv(d, "dzero", FOUNDED, ["0000-00-00"]),
         Loads(rules=("date:impossible",), check=emptied("founded_date", "date:impossible"))),
    Case("date_2023_02_30", lambda d: bad.values_csv(d, "dfeb30", FOUNDED, ["2023-02-30", "2023.13.01"]),
         Loads(rules=("date:impossible",), check=emptied("founded_date", "date:impossible", count=2))),
    Case("excel_1900_leap_day", lambda d: bad.values_csv(d, "leap", FOUNDED, ["1900-02-29", "00060", "00061"]),
         Loads(rules=("date:excel_1900_leap_day",), check=both(emptied("founded_date", "date:excel_1900_leap_day", count=2),
                                                                 lambda s, v: v.frame.sort_values("source_row")["founded_date"].iloc[2] == pd.Timestamp("1900-03-01")))),
    Case("full_width_digits", lambda d: bad.values_csv(d, "fullwidth", TOTAL, ["１２"]),
         Loads(rules=("text:nfkc",), check=value_is("employees_total", 12))),
    Case("arabic_indic_digits", lambda d: bad.csv_file(d / "2024_arabic.csv", [
        r if i else [("١٢" if j == bad.col(TOTAL) else "٢٠١٠-٠١-٠٢" if j == bad.col(FOUNDED) else "۵۰" if j == bad.col(REVENUE) else v)
                     for j, v in enumerate(r)] for i, r in enumerate(bad.firms())]),
         Loads(rules=("digits:ascii",), check=both(value_is("employees_total", 12), dates("2010-01-02"), value_is("revenue_mil_krw", 50.0)))),
    Case("control_characters", lambda d: bad.values_csv(d, "controls", NAME, ["일덕\x07도금", "태안\x1b[31m프레스"]),
         Loads(rules=("text:invisible_removed",), check=lambda s, v: list(v.frame.sort_values("source_row")["firm_name"].iloc[:2]) == ["일덕도금", "태안[31m프레스"])),
    Case("right_to_left_marks", lambda d: bad.values_csv(d, "rtl", NAME, ["\u202e금도덕일", "태안\u200f프레스"]),
         Loads(rules=("text:invisible_removed",), check=lambda s, v: v.frame.sort_values("source_row")["firm_name"].iloc[1] == "태안프레스")),
    Case("cell_of_32767_characters", bad.long_cell, Loads(check=long_text_kept)),
    Case("formula_like_firm_names", lambda d: bad.values_csv(d, "formula_names", NAME, ['=HYPERLINK("http://x.example/?"&A1,"클릭")', "@SUM(A1:A9)"]),
         Loads(check=formula_text_is_data)),
    # names
    Case("name_with_brackets", lambda d: bad.named(d, "2024_[주]시흥.csv"), Loads(check=source_file_kept("2024_[주]시흥.csv"))),
    Case("name_with_quotes", lambda d: bad.named(d, "2024_\"따옴표'.csv"), Loads(check=source_file_kept("2024_\"따옴표'.csv"))),
    Case("name_with_spaces", lambda d: bad.named(d, " 2024 시흥 실태조사 .csv"), Loads(check=source_file_kept(" 2024 시흥 실태조사 .csv"))),
    Case("name_with_newline", lambda d: bad.named(d, "2024_줄\n바꿈.csv"), Loads(check=source_file_kept("2024_줄\n바꿈.csv"))),
    Case("name_with_markup", lambda d: bad.named(d, "2024_[red]빨강[bold].csv"), Loads(check=source_file_kept("2024_[red]빨강[bold].csv"))),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """KSIC codes and the validation config, read once for the corpus."""
    settings = load_settings(make_project(tmp_path_factory.mktemp("reference") / "project", SHARED_REFERENCE))
    return ksic_codes(settings), load_config(settings.config_path("validation.yaml"))


def test_the_corpus_is_large_and_names_are_unique():
    assert len(CASES) >= 40 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_delivery(case: Case, project, reference):
    ksic, config = reference
    path = case.build(project.raw_dir)
    if isinstance(case.outcome, Refused):
        with pytest.raises(DeliveryError) as failure:
            validate_year(stage_year_file(path, 2024, project), project, ksic=ksic, config=config)
        assert failure.value.file == path.name
        assert case.outcome.ko in failure.value.message_ko, failure.value.message_ko
        assert case.outcome.en in failure.value.message_en, failure.value.message_en
        return
    staged = stage_year_file(path, 2024, project)
    validated = validate_year(staged, project, ksic=ksic, config=config)
    counts = reconcile(staged, validated)
    assert counts["ok"], counts
    assert staged.raw_rows == len(validated.frame) + validated.quarantined_rows
    assert validated.quarantined_rows == case.outcome.quarantined
    found = set(validated.quarantine["rule"]) | set(validated.flags["rule"]) | set(validated.change_log["rule"])
    assert set(case.outcome.rules) <= found, sorted(found)
    if case.outcome.check:
        verdict = case.outcome.check(staged, validated)  # asserts inside, or a truth value (numpy's too)
        assert verdict is None or bool(verdict), f"{case.id}: check failed"
