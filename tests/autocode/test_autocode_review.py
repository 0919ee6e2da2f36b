"""The review file round trip: abstained rows out to CSV/xlsx, the analyst's codes back in."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.ksic.autocode import ReviewFileError, autocode, read_confirmations, review_list, write_review
from pipeline.ksic.autocode.review import REVIEW_COLUMNS


@pytest.fixture
def review(autocode_model, autocode_config, register):
    rows = register.head(60).reset_index(drop=True)
    ids = pd.Series([f"2023-{i:05d}" for i in range(len(rows))])
    coded = autocode(autocode_model, None, rows["생산품정보"], autocode_config)
    return review_list(ids, pd.Series([None] * len(rows)), rows["생산품정보"], coded), rows


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_analyst_confirmations_come_back_as_record_codes(review, autocode_model, tmp_path, suffix):
    table, rows = review
    assert len(table) > 3 and table.suggestions.str.len().gt(0).all()
    path = write_review(tmp_path / f"review{suffix}", table)
    back = pd.read_csv(path, dtype=str, keep_default_na=False) if suffix == ".csv" else pd.read_excel(path, dtype=str).fillna("")
    assert list(back.columns) == REVIEW_COLUMNS
    # No personal data: the register's phone numbers never reach the file.
    text = back.to_csv(index=False)
    assert not any(phone in text for phone in rows["전화번호"].dropna() if phone.strip())

    back.loc[0, "confirmed_code"] = "C14300"      # the letter form an analyst copies from a KSIC book
    back.loc[1, "confirmed_code"] = "26410"
    back.loc[2, "confirmed_code"] = "99999"       # not a KSIC-11 subclass
    if suffix == ".csv":
        back.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        back.to_excel(path, index=False)
    confirmed, issues = read_confirmations(path, set(autocode_model.classes))
    assert dict(zip(confirmed.record_id, confirmed.code, strict=True)) == {back.record_id[0]: "14300", back.record_id[1]: "26410"}
    assert issues.record_id.tolist() == [back.record_id[2]]
    assert issues.file_row.tolist() == [4]
    assert "KSIC-11" in issues.message_ko.iloc[0] and "KSIC-11" in issues.message_en.iloc[0]


def test_cp949_file_with_korean_headers_and_conflicting_rows(tmp_path, autocode_model):
    path = tmp_path / "review.csv"
    pd.DataFrame({"레코드ID": ["a", "a", "b", ""], "확정코드": ["15211", "14300", "", "15211"]}).to_csv(
        path, index=False, encoding="cp949")
    confirmed, issues = read_confirmations(path, set(autocode_model.classes))
    assert confirmed.to_dict("list") == {"record_id": ["a"], "code": ["15211"]}
    assert issues.message_en.tolist() == ["contradicts row 2", "record_id is empty"]


def test_unreadable_review_files_are_one_line_errors(tmp_path, autocode_model):
    with pytest.raises(ReviewFileError, match="file not found"):
        read_confirmations(tmp_path / "missing.csv", set())
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,code\n1,15211\n", encoding="utf-8")
    with pytest.raises(ReviewFileError, match="missing columns"):
        read_confirmations(wrong, set(autocode_model.classes))
