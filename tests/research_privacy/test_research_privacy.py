"""What researchers get of a firm-year: the founding year, not the date; free text only where the
registry allows it, without the names of the year's firms and representatives nor identifiers
however they are punctuated; a k-anonymity report on the quasi-identifiers; and no silently new
pseudonym key."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
import yaml

from pipeline.research.build import build_research_database, research_path
from pipeline.research.pseudonym import MissingKeyError, key_file
from pipeline.settings import load_settings
from pipeline.storage import build_query_database, write_year
from tests.tables import complete_table

FIRMS = [  # (firm name, 대표자명, 설립일, 읍면동, 중분류, 업종명, 주생산품, 산업단지(응답))
    ("(주)대성정밀", "김영수", "2015-03-17", "정왕동", "29", "대성정밀 금형", "김영수 대표 직접 생산, 문의 134.81.54846", "시화국가산단"),
    ("한빛테크", "박서연", "2015-08-02", "정왕동", "29", "금형", "프레스 금형 (한빛테크 본사: 134 81 54847)", "한빛테크 옆 공장"),
    ("동양기계 주식회사", "이민호", "2015-11-30", "정왕동", "29", "금형", "사출 금형, 담당 010.1234.5678", "시화국가산단"),
    ("새롬전자", "최지우", "2015-01-05", "정왕동", "29", "금형", "금형 부품 ４４４－８１－５４８４８", ""),
    ("우리화학", "정하늘", "1998-06-12", "군자동", "20", "화학", "도료 (동양기계 납품)", "시흥스마트허브"),
]


def _load(settings) -> None:
    rows = pd.DataFrame({
        "record_id": [f"2024-{i:06d}" for i in range(len(FIRMS))],
        "census_year": pd.array([2024] * len(FIRMS), dtype="Int64"),
        "firm_name": [f[0] for f in FIRMS], "representative_name": [f[1] for f in FIRMS],
        "founded_date": pd.to_datetime([f[2] for f in FIRMS]),
        "addr_sigungu": ["시흥시"] * len(FIRMS), "addr_emd": [f[3] for f in FIRMS],
        "ksic_division": [f[4] for f in FIRMS], "employee_band": ["10-49"] * len(FIRMS),
        "industry_name": [f[5] for f in FIRMS], "main_products": [f[6] for f in FIRMS],
        "complex_name_raw": [f[7] or None for f in FIRMS], "publication_consent": ["동의"] * len(FIRMS),
    })
    write_year(settings, 2024, {"firm_year": complete_table(settings, "firm_year", rows)})
    build_query_database(settings)


@pytest.fixture
def private_project(project, monkeypatch):
    monkeypatch.setenv("CENSUS_PSEUDONYM_KEY", "research-privacy-test-key-0123456789")
    _load(project)
    return project


def _research(settings) -> pd.DataFrame:
    with duckdb.connect(str(research_path(settings)), read_only=True) as con:
        return con.execute("SELECT * FROM firm_year ORDER BY founded_year DESC, industry_name").df()


def test_the_founding_date_reaches_researchers_as_its_year_only(private_project):
    build_research_database(private_project)
    frame = _research(private_project)
    assert "founded_date" not in frame.columns
    assert sorted(frame["founded_year"].tolist()) == [1998, 2015, 2015, 2015, 2015]
    with duckdb.connect(str(research_path(private_project)), read_only=True) as con:
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'firm_year' "
                              "AND column_name = 'founded_year'").fetchone()[0]
    assert "연도로 일반화" in comment and "generalised to the year" in comment


def test_free_text_loses_the_years_names_and_identifiers_in_any_punctuation(private_project):
    build_research_database(private_project)
    frame = _research(private_project)
    text = " | ".join(str(v) for c in ("industry_name", "main_products", "complex_name_raw") for v in frame[c].dropna())
    for secret in ("대성정밀", "김영수", "한빛테크", "동양기계", "134.81.54846", "134 81 54847", "010.1234.5678",
                   "４４４－８１－５４８４８"):
        assert secret not in text, f"{secret} reached researchers: {text}"
    assert "[삭제]" in text
    # what is not a name or an identifier stays useful
    assert "프레스 금형" in text and "시화국가산단" in text and "도료" in text
    # a public text column of the delivery the registry says nothing about is left out
    assert "publication_consent" not in frame.columns


def test_k_anonymity_report_counts_firm_years_a_combination_singles_out(private_project):
    result = build_research_database(private_project)
    report = result.k_anonymity.set_index("census_year")
    # four 2015 firms of 정왕동 in 중분류 29 share one combination; the 1998 chemical firm is alone
    assert report.loc[2024, "firm_years"] == 5 and report.loc[2024, "classes"] == 2
    assert report.loc[2024, "firm_years_below_k"] == 1 and report.loc[2024, "k"] == 3
    with duckdb.connect(str(research_path(private_project)), read_only=True) as con:
        assert con.execute("SELECT firm_years_below_k FROM _k_anonymity").fetchone()[0] == 1


def test_k_comes_from_the_settings(private_project):
    path = private_project.source
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["research"]["k_anonymity"] = {"k": 5, "quasi_identifiers": ["founded_year", "addr_emd", "ksic_division"]}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    result = build_research_database(load_settings(path))
    assert result.k_anonymity.iloc[0]["firm_years_below_k"] == 5  # the group of four is below 5 too


def test_a_lost_key_stops_the_build_instead_of_making_a_new_one(project, monkeypatch):
    monkeypatch.delenv("CENSUS_PSEUDONYM_KEY", raising=False)
    assert project.research.create_key_if_missing  # the shipped sample setting
    _load(project)
    first = build_research_database(project)  # a fresh project: the key file is created
    with duckdb.connect(str(first.path), read_only=True) as con:
        ids_before = {r[0] for r in con.execute("SELECT record_id FROM firm_year").fetchall()}
    key_file(project).unlink()  # lost
    with pytest.raises(MissingKeyError, match="census research-key") as err:
        build_research_database(project)
    assert str(key_file(project)) in str(err.value) and "백업" in str(err.value)
    assert not key_file(project).exists()  # no silent new key
    with duckdb.connect(str(first.path), read_only=True) as con:  # the release researchers have is kept
        assert {r[0] for r in con.execute("SELECT record_id FROM firm_year").fetchall()} == ids_before
