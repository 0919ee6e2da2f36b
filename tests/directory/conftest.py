"""Firm rows shaped like firm_year for the directory tests: real product words (some in the HS
glossary, most not), official KSIC titles read from the reference files, consent answers in the
spellings questionnaires use, and distinctive personal values so a leak is found by a substring
search."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

YEAR = 2024

# name, own English name, consent answer, KSIC-11 subclass, main products, complex, road
PUBLISHED = [
    ("(주)한빛커넥터", None, "동의", "26222", "커넥터, 센서", "시화국가산업단지", "공단1대로"),
    ("대성정밀 주식회사", "Daesung Precision Co., Ltd.", "Y", "29142", "기어, 감속기", "반월국가산업단지", "산단로"),
    ("세원프레스", None, "예", "29229", "서보프레스, 기계식 프레스", "시화국가산업단지", "옥구천서로362번길"),
    ("(유)동아도금", None, "동의함", "25922", "크롬 도금 / 아연도금", "시화국가산업단지", "공단2대로"),
    ("미래전자(주)", None, "O", "26222", "PCB 어셈블리, 커넥터", "시화MTV", "거북섬중앙로"),
    ("성진오토텍", None, "공개", "30320", "자동차 내장재, 차체 부품", "반월국가산업단지", "해안로"),
    ("한국기계상사", None, "동의", "46531", "공작기계 유통", None, "정왕천로"),
    ("우리금형 주식회사", None, "1", "29229", "프레스 금형 (문의 010-5123-4567), 연락처 010-5123-4567", "시화국가산업단지", "공단3대로"),
]
WITHHELD = [
    ("(주)비밀커넥터", None, "미동의", "26222", "커넥터", "시화국가산업단지", "공단1대로"),
    ("숨은기어", None, None, "29142", "기어", "반월국가산업단지", "산단로"),
    ("비공개프레스", None, "동의 예정", "29229", "서보프레스", "시화국가산업단지", "공단2대로"),
    ("감춘정공 주식회사", None, "N", "30320", "차체 부품", "시화국가산업단지", "해안로"),
]
# Filler firms so the directory has a few dozen rows: alternately published and withheld.
_FILLER_NAMES = ["가람", "나래", "다온", "라온", "마루", "바다", "사랑", "아라", "자람", "차오", "카라", "타래",
                 "파랑", "하늘", "고은", "노을", "단비", "루리", "미르", "보람", "새봄", "온새", "윤슬", "지음"]
_FILLER_PRODUCTS = ["사출 금형", "와이어링 하네스", "방열판", "산업용 밸브", "유압실린더", "알루미늄 압출재"]
_FILLER_CODES = ["29142", "26222", "25922", "30320", "29229", "25922"]


def _firms() -> list[tuple]:
    rows = [(*f, True) for f in PUBLISHED] + [(*f, False) for f in WITHHELD]
    for i, stem in enumerate(_FILLER_NAMES):
        published = i % 2 == 0
        rows.append((f"{stem}산업", None, "동의" if published else "비동의", _FILLER_CODES[i % 6], _FILLER_PRODUCTS[i % 6],
                     "시화국가산업단지" if i % 3 else "반월국가산업단지", "공단1대로", published))
    return rows


def withheld_names() -> list[str]:
    return [f[0] for f in _firms() if not f[-1]]


def published_names() -> list[str]:
    return [f[0] for f in _firms() if f[-1]]


def firm_year_frame(ksic: pd.DataFrame, year: int = YEAR) -> pd.DataFrame:
    """The rows; `ksic` is the official KSIC-11 table (pipeline.ksic.reference) for the titles."""
    names = ksic.set_index("code")[["name_ko", "name_en", "parent"]]
    rows = []
    for i, (name, name_en, consent, code, products, complex_name, road, _published) in enumerate(_firms()):
        division = code[:2]
        section = names.loc[division, "parent"]
        rows.append({
            "record_id": f"{year}-{i + 3:07d}", "census_year": year, "source_row": i + 3,
            "firm_name": name, "firm_name_en": name_en, "publication_consent": consent,
            "brn": f"{6090000000 + i * 7919:010d}", "crn": f"{1101110000000 + i * 104729:013d}",
            "representative_name": f"제갈대표{chr(0xAC00 + i * 3)}",
            "phone": f"031-7{i:03d}-{5000 + i:04d}", "email": f"owner{i:03d}@secretmail{i:03d}.kr",
            "directory_contact": f"sales{i:03d}@export-desk.example" if i % 2 == 0 else None,
            "address": f"경기도 시흥시 {road} {200 + i}, {i % 5 + 1}층 (정왕동)",
            "addr_sido": "경기도", "addr_sigungu": "시흥시", "addr_emd": "정왕동", "addr_road": road, "addr_number": str(200 + i),
            "complex_name_raw": complex_name, "complex_name": complex_name,
            "complex_type": "국가" if complex_name and "국가" in complex_name else None,
            "ksic_code": code, "main_products": products,
            "employees_total": 10 + i, "revenue_mil_krw": 1000.0 + 37 * i, "export_mil_krw": 3.0 * i,
            "customer_1_name": "현대자동차", "self_reported_tier": "2차",
            "ksic_rep_section": section, "ksic_rep_section_ko": names.loc[section, "name_ko"], "ksic_rep_section_en": names.loc[section, "name_en"],
            "ksic_rep_division": division, "ksic_rep_division_ko": names.loc[division, "name_ko"], "ksic_rep_division_en": names.loc[division, "name_en"],
            "ksic_rep_subclass": code, "ksic_rep_subclass_ko": names.loc[code, "name_ko"], "ksic_rep_subclass_en": names.loc[code, "name_en"],
        })
    return pd.DataFrame(rows)


@pytest.fixture
def ksic11(project) -> pd.DataFrame:
    from pipeline.ksic.reference import load_reference

    k = load_reference(project).ksic
    return k[k["revision"] == 11]


@pytest.fixture
def firm_year(ksic11) -> pd.DataFrame:
    return firm_year_frame(ksic11)


def write_curated_year(settings, frame: pd.DataFrame, year: int = YEAR) -> Path:
    """The frame as the curated firm_year partition of `year` (the storage layout read_table reads)."""
    path = settings.parquet_dir / "firm_year" / f"census_year={year}" / "data.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.drop(columns=["census_year"]).to_parquet(path, index=False)
    return path
