"""The research database as a researcher queries it: every code column has a label table that
holds every code, NULL means "unknown or not applicable" in the tables and the views alike, and
manufacturing can be read by KSIC division (중분류)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pipeline import storage
from pipeline.classify.size import employee_band
from pipeline.config import read_config
from pipeline.config.classification_files import FirmSizeFile
from pipeline.research.build import build_research_database
from pipeline.tables.registry import table_registry
from tests.tables import complete_table

DIVISIONS = {"29": ("기타 기계 및 장비 제조업", "Manufacture of other machinery and equipment"),
             "25": ("금속가공제품 제조업; 기계 및 가구 제외", "Manufacture of fabricated metal products")}
# firm i: section, division, employees, complex (None = outside any complex), chain, tier
FIRMS = [("C", "29", 3, "시화국가산업단지", "automotive", "1차"), ("C", "29", 12, "시화국가산업단지", "automotive", "2차"),
         ("C", "29", 45, None, "electronics", "2차"), ("C", "25", 7, "반월국가산업단지", "automotive", "3차"),
         ("C", "25", 150, None, None, None), ("C", "25", 320, "시화국가산업단지", "electronics", "1차"),
         ("G", None, 4, None, None, "해당없음"), ("M", None, 22, "시화국가산업단지", None, None)]


def _frames(settings, year: int) -> dict[str, pd.DataFrame]:
    bands = [b.model_dump() for b in read_config(settings.config_path("classification/firm_size.yaml"), FirmSizeFile).employee_bands]
    rows = []
    for i, (section, division, emp, complex_name, _, tier) in enumerate(FIRMS):
        rows.append({"record_id": f"{year}-{i + 2:06d}", "census_year": year, "brn": f"{2000000000 + i:010d}",
                     "firm_name": f"연구검증상사{i:03d}", "ksic_section": section, "ksic_division": division,
                     "ksic_division_ko": DIVISIONS[division][0] if division else None,
                     "ksic_division_en": DIVISIONS[division][1] if division else None,
                     "employees_total": emp + (year - 2023), "revenue_mil_krw": float(emp * 100), "export_mil_krw": float(emp),
                     "rnd_mil_krw": float(i), "complex_name": complex_name, "complex_type": "국가" if complex_name else None,
                     "complex_source": "reported" if complex_name else "none", "self_reported_tier": tier,
                     "size_class": "소기업" if emp < 50 else "중기업", "revenue_basis": "single_year",
                     "ksic_code_source": "reported", "addr_form": "road", "addr_sigungu": "시흥시"})
    fy = pd.DataFrame(rows)
    fy["employee_band"] = employee_band(fy["employees_total"], bands)
    tiers = pd.DataFrame({"record_id": fy["record_id"], "census_year": year, "main_chain": [f[4] for f in FIRMS],
                          "final_tier": [f[5] for f in FIRMS], "self_reported_tier": [f[5] for f in FIRMS],
                          "tier_source": ["reported" if f[5] else "none" for f in FIRMS]})
    identity = pd.DataFrame({"record_id": fy["record_id"], "census_year": year, "firm_id": [f"F{i:04d}" for i in range(len(FIRMS))],
                             "link_method": "brn" if year > 2023 else "none"})
    log = pd.DataFrame([{"census_year": year, "status": "loaded", "source_file": f"{year}.xlsx", "rows_read": len(FIRMS),
                         "rows_curated": len(FIRMS), "loaded_at": pd.Timestamp(f"{year + 1}-03-01")}])
    for frame in (fy, tiers):
        for column in [c for c in frame.columns if frame[c].dtype == object]:
            frame[column] = frame[column].astype("str")
    return {"firm_year": fy, "supplier_tier": tiers, "firm_year_identity": identity, "load_log": log}


@pytest.fixture(scope="module")
def research(tmp_path_factory):
    from tests.outputs.conftest import template_settings

    settings = template_settings(tmp_path_factory.mktemp("codes"))
    mp = pytest.MonkeyPatch()
    mp.setenv("CENSUS_PSEUDONYM_KEY", "test-key-0123456789abcdef")
    try:
        frames = {year: _frames(settings, year) for year in (2023, 2024)}
        for year, yearly in frames.items():
            storage.write_year(settings, year, {n: complete_table(settings, n, f) for n, f in yearly.items() if n != "firm_year_identity"})
        # firm_year_identity is one all-years table
        identity = pd.concat([yearly["firm_year_identity"] for yearly in frames.values()], ignore_index=True)
        storage.write_table(settings, "firm_year_identity", complete_table(settings, "firm_year_identity", identity))
        storage.build_query_database(settings)
        path = build_research_database(settings).path
    finally:
        mp.undo()
    con = duckdb.connect(str(path), read_only=True)
    yield settings, con
    con.close()


def _labelled_columns(con, registry) -> list[tuple[str, str, str]]:
    rows = con.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' "
                       "AND table_name NOT LIKE 'label\\_%' ESCAPE '\\' AND table_name NOT LIKE '\\_%' ESCAPE '\\'").fetchall()
    out = []
    for relation, column in rows:
        doc = registry.column_doc(relation, column)
        if doc and doc.labels:
            out.append((relation, column, doc.labels))
    return out


def test_every_code_column_has_a_label_table_that_holds_its_codes(research):
    settings, con = research
    labelled = _labelled_columns(con, table_registry(settings))
    columns = {(r, c) for r, c, _ in labelled}
    assert {("supplier_tier", "main_chain"), ("firm_year", "employee_band"), ("supplier_tier", "final_tier"),
            ("firm_year", "complex_type"), ("firm_year_identity", "link_method"), ("load_log", "status"),
            ("v_tiers_per_chain", "main_chain"), ("firm_year", "size_class")} <= columns
    for relation, column, label in labelled:
        unknown = con.execute(f'SELECT DISTINCT "{column}" FROM "{relation}" WHERE "{column}" IS NOT NULL '
                              f'AND "{column}" NOT IN (SELECT code FROM "{label}")').fetchall()
        assert unknown == [], f"{relation}.{column}: codes missing from {label}"
    comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'supplier_tier' AND column_name = 'main_chain'").fetchone()[0]
    assert "label_value_chain" in comment


def test_a_researcher_reads_chains_and_bands_in_words(research):
    _, con = research
    chains = con.execute("SELECT l.label_ko, count(*) FROM supplier_tier t LEFT JOIN label_value_chain l ON l.code = t.main_chain "
                         "WHERE census_year = 2024 GROUP BY ALL ORDER BY ALL").fetchall()
    assert chains == [("자동차", 3), ("전자·반도체·배터리", 2), (None, 3)]
    bands = con.execute("SELECT l.label_ko, count(*) FROM firm_year f JOIN label_employee_band l ON l.code = f.employee_band "
                        "WHERE census_year = 2024 GROUP BY ALL ORDER BY min(f.employees_total)").fetchall()
    assert bands == [("1~4명", 1), ("5~9명", 2), ("10~19명", 1), ("20~49명", 2), ("100~299명", 1), ("300명 이상", 1)]


def test_null_means_outside_any_complex_in_the_table_and_the_views(research):
    _, con = research
    outside = con.execute("SELECT count(*) FROM firm_year WHERE census_year = 2024 AND complex_name IS NULL").fetchone()[0]
    in_view = con.execute("SELECT sum(n_firms) FROM v_firms_by_complex_sector_year WHERE census_year = 2024 "
                          "AND complex_name IS NULL").fetchone()[0]
    assert outside == in_view == 3
    no_chain = con.execute("SELECT sum(n_firms) FROM v_tiers_per_chain WHERE census_year = 2024 AND main_chain IS NULL").fetchone()[0]
    assert no_chain == 3
    # no view turns NULL into a word of its own
    views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall()]
    for view in views:
        for column, dtype in con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [view]).fetchall():
            if dtype == "VARCHAR":
                words = con.execute(f'SELECT count(*) FROM "{view}" WHERE "{column}" IN (\'미상\', \'단지 외\')').fetchone()[0]
                assert words == 0, f"{view}.{column}"


def test_manufacturing_by_division_with_integer_sums(research):
    _, con = research
    rows = con.execute("SELECT ksic_division, ksic_division_ko, n_firms, employees_total, export_mil_krw "
                       "FROM v_manufacturing_division_year WHERE census_year = 2024").fetchall()
    assert rows == [("25", "금속가공제품 제조업; 기계 및 가구 제외", 3, 480, 477.0),
                    ("29", "기타 기계 및 장비 제조업", 3, 63, 60.0)]
    # integer sums reach a researcher's pandas frame as integers, not 63.0
    frame = con.execute("SELECT employees_total FROM v_manufacturing_division_year").df()
    assert str(frame["employees_total"].dtype) == "int64"
    assert con.execute("SELECT employees_total FROM v_size_class_year WHERE census_year = 2024 AND size_class = '소기업'").df()["employees_total"].dtype == "int64"
