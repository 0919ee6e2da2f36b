"""Per-row KSIC revisions through staging, validation and classification: codes whose digits exist
in two revisions with different meanings are read in the row's own revision, and a revision
without reference tables is read in none."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.classify import classify_year
from pipeline.load import stage_year_file
from pipeline.validation import validate_year
from tests.ksic_wiring.conftest import make, write_csv

ROWS = [
    # 8th revision 27191 is 절단가공 및 표면처리강재; in the 9th-11th it is 치과용 기기.
    {"회사명": "팔차강재", "주소": "경기도 시흥시 정왕동 1", "대표업종": "27191", "대표업종차수": "8",
     "업종명": "절단가공 및 표면처리강재 제조업", "생산품": ""},
    # An 8th-revision row whose 업종명 is still a subclass name: coded from the name.
    {"회사명": "팔차통신", "주소": "경기도 시흥시 정왕동 2", "대표업종": "32011", "대표업종차수": "8",
     "업종명": "유선 통신장비 제조업", "생산품": ""},
    # 9th 29222 becomes 29223 in the 10th (9->10 연계표), not the 10th's own 29222.
    {"회사명": "구차기계", "주소": "경기도 시흥시 정왕동 3", "대표업종": "29222", "대표업종차수": "9",
     "업종명": "", "생산품": ""},
    # 9th 23122 is split in the 10th.
    {"회사명": "구차유리", "주소": "경기도 시흥시 정왕동 4", "대표업종": "23122", "대표업종차수": "9",
     "업종명": "", "생산품": ""},
    # No revision on the row: the file's (the census year's) revision.
    {"회사명": "십일차전자", "주소": "경기도 시흥시 정왕동 5", "대표업종": "26410", "대표업종차수": "",
     "업종명": "유선 통신장비 제조업", "생산품": ""},
    # A reported code the words strongly contradict (조미료 code, 통신장비 words).
    {"회사명": "모순통신", "주소": "경기도 시흥시 정왕동 6", "대표업종": "10742", "대표업종차수": "10",
     "업종명": "유선 통신장비 제조업", "생산품": "교환기, 통신장비"},
]


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    root = tmp_path_factory.mktemp("revisions")
    settings = make(root / "project", ("revision_register.yaml",))
    path = write_csv(root / "revision_register_2025.csv", ROWS)
    staged = stage_year_file(path, 2025, settings)
    validated = validate_year(staged, settings)
    classified = classify_year(validated.frame, settings, change_log=validated.change_log)
    return validated, classified.firm_year.set_index("firm_name"), classified


def test_every_row_is_curated_and_the_unsupported_revision_is_a_warning(year):
    validated, firm_year, _ = year
    assert len(firm_year) == len(ROWS) and validated.quarantine.empty
    unsupported = validated.flags[validated.flags.rule == "ksic_revision_unsupported"]
    assert sorted(unsupported.raw_value) == ["27191", "32011"]
    assert unsupported.message_ko.str.contains("8차").all() and unsupported.message_en.str.contains("revision 8").all()
    assert not validated.flags.rule.eq("ksic_not_a_code").any()


def test_an_8th_revision_code_is_never_read_as_a_later_revision(year):
    _, firm_year, classified = year
    steel = firm_year.loc["팔차강재"]
    assert steel["ksic_code"] == "27191" and steel["ksic_issue"] == "unsupported_revision"
    assert steel["ksic_subclass"] != "27191" and "치과" not in str(steel["ksic_subclass_ko"])
    assert pd.isna(steel["ksic_rep_subclass"])  # the reported code is read in no revision
    # The words do not determine a subclass confidently: the analyst is asked, with suggestions.
    assert steel["record_id"] in set(classified.review.record_id)
    telecom = firm_year.loc["팔차통신"]
    assert telecom["ksic_subclass"] == "26410" and telecom["ksic_code_source"] == "autocoded_name"


def test_9th_revision_codes_convert_through_the_official_tables(year):
    _, firm_year, _ = year
    machine = firm_year.loc["구차기계"]
    assert machine["ksic_comparison_code"] == "29223" and machine["ksic_code_source"] == "converted"
    glass = firm_year.loc["구차유리"]
    assert glass["ksic_comparison_relation"] == "split" and glass["ksic_comparison_candidates"] == "23112|23119"
    assert glass["ksic_code_confidence"] == pytest.approx(0.5)


def test_a_row_without_its_own_revision_uses_the_files(year):
    row = year[1].loc["십일차전자"]
    assert row["ksic_subclass"] == "26410" and row["ksic_code_source"] in {"reported", "converted"}


def test_a_contradicted_code_is_warned_with_the_suggestion(year):
    validated, firm_year, _ = year
    warned = validated.flags[validated.flags.rule == "ksic_text_contradicts"]
    assert list(warned.record_id) == [firm_year.loc["모순통신", "record_id"]]
    assert "26410" in warned.message_ko.iloc[0] and "26410" in warned.message_en.iloc[0]
    # The reported code stays the firm's code: a warning, not a change.
    row = firm_year.loc["모순통신"]
    assert row["ksic_code"] == "10742" and row["ksic_code_source"] == "converted" and row["ksic_division"] == "10"
