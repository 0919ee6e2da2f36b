"""A small internal census database with the curated tables, made by hand so the output
tests do not depend on the loading stages. Personal and identifying values are distinctive so
a leak is found by a plain substring search."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import storage
from pipeline.schema import canonical_columns
from pipeline.settings import load_settings
from tests.conftest import SHIPPED_CONFIG
from tests.tables import complete_table

SECTIONS = {"C": ("제조업", "Manufacturing"), "G": ("도매 및 소매업", "Wholesale and retail trade"),
            "M": ("전문, 과학 및 기술 서비스업", "Professional, scientific and technical activities")}


def _firm_year(years=(2023, 2024), n_firms=40, seed=7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for year in years:
        for i in range(n_firms):
            if year == years[-1] and i in (0, 1):  # two closures
                continue
            if year == years[0] and i >= n_firms - 3:  # three births
                continue
            section = "C" if i % 3 else ("G" if i % 2 else "M")
            emp = int(rng.integers(3, 60)) if i != 5 else 900
            rows.append({
                "record_id": f"{year}-{i + 2:06d}", "census_year": year, "ksic_revision": 11,
                "source_file": f"기업실태조사_{year}.xlsx", "source_sheet": "Sheet1", "source_row": i + 2,
                "firm_name": f"가나정밀주식회사{i:04d}", "brn": f"{1000000000 + i * 7919:010d}",
                "crn": f"{1100000000000 + i * 104729:013d}", "representative_name": f"홍길{chr(0xAC00 + i)}대표",
                "founded_date": pd.Timestamp(2000 + i % 20, 1 + i % 12, 1),
                "address": f"경기도 시흥시 공단{i % 4 + 1}대로 {100 + i}번길 {i + 3}, {i % 5 + 1}층 (정왕동)",
                "complex_name_raw": "시화" if i % 4 else "반월", "ksic_code": "29294" if section == "C" else "46510",
                "ksic_revision_reported": 10, "size_class_reported": "소기업" if emp < 50 else "중기업",
                "industry_name": "금형" if section == "C" else "도매", "main_products": f"금형 부품 (문의 010-{5000 + i:04d}-{1000 + i:04d})",
                "employees_male": emp - emp // 3, "employees_female": emp // 3, "employees_foreign": emp // 10,
                "employees_total": emp, "revenue_mil_krw": float(emp * 150 + i), "export_mil_krw": float(i * 3),
                "rnd_mil_krw": float(i), "assets_mil_krw": float(emp * 200),
                "customer_1_name": "현대자동차" if i % 2 else "기아", "customer_1_share_pct": 60.0,
                # a local customer that is another census firm: its name must not reach researchers
                "customer_2_name": f"(주)가나정밀주식회사{(i + 1) % n_firms:04d}" if i % 3 == 0 else None,
                "customer_2_share_pct": 20.0 if i % 3 == 0 else None, "customer_3_name": None, "customer_3_share_pct": None,
                "self_reported_tier": ["1차", "2차", "3차", "해당없음"][i % 4],
                "phone": f"031-{4000 + i:04d}-{7000 + i:04d}", "email": f"ceo{i:04d}@ganaprecision{i:04d}.co.kr",
                # classification columns as pipeline/classify names them
                "ksic_target_code": "29294" if section == "C" else "46510", "ksic_target_candidates": None, "ksic_target_unresolved": False,
                "ksic_section": section, "ksic_section_ko": SECTIONS[section][0], "ksic_section_en": SECTIONS[section][1],
                "root_casting": i % 5 == 0, "is_root_industry": i % 5 == 0,
                "size_class": "중기업" if emp >= 50 else "소기업", "employee_band": "50+" if emp >= 50 else "1-49",
                "addr_sido": "경기도", "addr_sigungu": "시흥시", "addr_emd": "정왕동",
                "addr_road": f"공단{i % 4 + 1}대로{100 + i}번길", "addr_number": str(i + 3),
                # 매화 holds two firms only: its cells must be suppressed in the published tables
                "complex_name": "매화일반산업단지" if i in (6, 7) else ("시화국가산업단지" if i % 4 else "반월국가산업단지"),
            })
    frame = pd.DataFrame(rows)
    for c in ("customer_2_name", "customer_3_name", "ksic_target_candidates"):  # typed text, as the stages write them
        frame[c] = frame[c].astype("str")
    for c in ("customer_2_share_pct", "customer_3_share_pct"):
        frame[c] = frame[c].astype("float64")
    order = ["record_id", "census_year", "ksic_revision", "source_file", "source_sheet", "source_row",
             *canonical_columns(SHIPPED_CONFIG / "canonical_columns.yaml"), "ksic_target_code", "ksic_target_candidates", "ksic_target_unresolved", "ksic_section", "ksic_section_ko", "ksic_section_en", "root_casting",
             "is_root_industry", "size_class", "employee_band", "addr_sido", "addr_sigungu", "addr_emd", "addr_road",
             "addr_number", "complex_name"]
    return frame.reindex(columns=order)


def _complete(settings, name: str, frame: pd.DataFrame) -> pd.DataFrame:
    return complete_table(settings, name, frame)


def make_census_db(settings) -> None:
    """The curated tables, written through the store and built into census.duckdb as a load does."""
    fy = _firm_year()
    firm_id = fy["brn"].map(lambda b: f"F{int(b) % 100000:05d}")
    identity = pd.DataFrame({"record_id": fy["record_id"], "census_year": fy["census_year"], "firm_id": firm_id,
                             "link_method": "brn", "link_score": 1.0, "linked_to": None})
    firm = identity.groupby("firm_id").agg(first_year=("census_year", "min"), last_year=("census_year", "max")).reset_index()
    firm = firm.merge(fy.drop_duplicates("brn").assign(firm_id=firm_id)[["firm_id", "brn", "firm_name"]], on="firm_id")
    issues = pd.DataFrame([{
        "census_year": 2024, "source_file": "기업실태조사_2024.xlsx", "source_sheet": "Sheet1", "source_row": 99,
        "record_id": "2024-000099", "column": "phone", "rule": "phone_format", "raw_value": "031-4000-7000",
        "message_ko": "전화번호 형식 오류: 031-4000-7000", "message_en": "bad phone 031-4000-7000", "severity": "error"}])
    links = pd.DataFrame({
        "record_id": fy["record_id"], "census_year": fy["census_year"], "position": 1, "share_pct": 60.0,
        "customer_name_raw": fy["customer_1_name"], "customer_key": fy["customer_1_name"], "target_kind": "oem",
        "target_name": fy["customer_1_name"], "target_record_id": None, "target_chain": "automotive", "target_tier": 0,
        "match_method": "exact", "match_score": 100.0, "unresolved_reason": None})
    tiers = pd.DataFrame({
        "record_id": fy["record_id"], "census_year": fy["census_year"], "tier_automotive": 1, "main_chain": "automotive",
        "main_chain_share_pct": 60.0, "inferred_tier": 1, "inferred_tier_label": "1차",
        "self_reported_tier": fy["self_reported_tier"], "final_tier": fy["self_reported_tier"],
        "tier_source": "reported", "tier_conflict": False})
    load_log = pd.DataFrame([{"census_year": y, "source_file": f"기업실태조사_{y}.xlsx", "status": "loaded",
                              "rows_read": int((fy.census_year == y).sum()) + 1, "rows_curated": int((fy.census_year == y).sum()),
                              "rows_quarantined": 1, "loaded_at": pd.Timestamp("2026-11-01")}
                             for y in (2023, 2024)])
    change_log = pd.DataFrame([{"census_year": 2024, "record_id": "2024-000002", "source_row": 2, "column": "email",
                                "old_value": "CEO0000@GANAPRECISION0000.CO.KR", "new_value": "ceo0000@ganaprecision0000.co.kr", "rule": "lower"}])
    ksic = pd.DataFrame({"revision": [11, 11, 11], "code": ["C", "G", "M"], "level": "section",
                         "name_ko": [v[0] for v in SECTIONS.values()], "name_en": [v[1] for v in SECTIONS.values()]})
    yearly = {"firm_year": fy, "quarantine": issues, "validation_flag": issues.assign(severity="warning"),
              "change_log": change_log, "load_log": load_log, "supply_link": links, "supplier_tier": tiers}
    for year in (2023, 2024):
        storage.write_year(settings, year, {name: _complete(settings, name, frame[frame["census_year"] == year])
                                            for name, frame in yearly.items()})
    for name, frame in {"ksic": ksic, "firm_year_identity": identity, "firm": firm}.items():
        storage.write_table(settings, name, _complete(settings, name, frame))
    storage.build_query_database(settings)


@pytest.fixture(scope="session")
def census_db_template(tmp_path_factory) -> Path:
    """The sample database, built once per test session; tests get copies."""
    settings = template_settings(tmp_path_factory.mktemp("template"))
    make_census_db(settings)
    return settings.duckdb_path


def template_settings(folder: Path):
    """The shipped settings with the curated store in `folder`."""
    base = load_settings()
    return type(base)(root=base.root, raw={**base.raw, "paths": {**base.raw["paths"], "curated_dir": str(folder / "curated")}})


def _sample_settings(tmp_path: Path, template: Path):
    base = load_settings()
    raw = {**base.raw, "paths": {**base.raw["paths"], "curated_dir": str(tmp_path / "curated"), "raw_dir": str(tmp_path / "raw")},
           "research": {**base.section("research"), "pseudonym_key_file": str(tmp_path / "secrets" / "pseudonym.key")}}
    settings = type(base)(root=base.root, raw=raw)
    settings.curated_dir.mkdir(parents=True)
    shutil.copyfile(template, settings.duckdb_path)
    return settings


@pytest.fixture
def census_settings(tmp_path, monkeypatch, census_db_template):
    """Settings whose curated_dir is a fresh temporary folder holding the sample database."""
    monkeypatch.setenv("CENSUS_PSEUDONYM_KEY", "test-key-0123456789abcdef")
    return _sample_settings(tmp_path, census_db_template)


@pytest.fixture(scope="module")
def shared_census_settings(tmp_path_factory, census_db_template):
    """The same, once per test module, for tests that only read."""
    return _sample_settings(tmp_path_factory.mktemp("census"), census_db_template)
