"""The research database holds no personal or identifying column nor any value of one."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.research.build import build_research_database, research_columns
from pipeline.research.pseudonym import MissingKeyError, load_key
from pipeline.schema import columns_with_disclosure

SECRET_COLUMNS = ["firm_name", "brn", "crn", "representative_name", "address", "phone", "email", "raw_value",
                  "old_value", "new_value", "source_row", "addr_road", "addr_number"]
# Customer and target names stay as columns but keep only OEM-registry names; the value scan
# below proves no census firm's name survives in them.


def _secret_values(settings) -> set[str]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        fy = con.execute("SELECT * FROM firm_year").df()
        ident = con.execute("SELECT * FROM firm_year_identity").df()
    cols = columns_with_disclosure("personal", settings.columns_path) + columns_with_disclosure("identifying", settings.columns_path)
    values = {str(v) for c in cols for v in fy[c].dropna()}
    values |= {str(v) for v in fy["record_id"]} | {str(v) for v in ident["firm_id"]}
    values |= {f"010-{5000 + i:04d}-{1000 + i:04d}" for i in range(40)}  # phones typed into main_products
    values |= {str(v) for v in fy["addr_road"]}
    return values


def test_research_file_has_no_identifying_column_or_value(census_settings):
    result = build_research_database(census_settings)
    secrets = _secret_values(census_settings)
    assert result.tables["firm_year"] > 0 and "quarantine" not in result.tables
    with duckdb.connect(str(result.path), read_only=True) as con:
        relations = research_columns(con)
        assert {"firm_year", "v_firms_by_complex_sector_year", "v_size_class_year", "label_tier", "firm_panel",
                "firm_year_firm", "ksic"} <= set(relations)
        for name, columns in relations.items():
            assert not set(columns) & set(SECRET_COLUMNS), name
            for column in columns:
                values = con.execute(f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{name}"').fetchall()
                for (value,) in values:
                    if value is None:
                        continue
                    leaked = [s for s in secrets if s in value]
                    assert not leaked, f"{name}.{column} holds {leaked[:1]}"


def test_research_rows_stay_joinable_and_useful(census_settings):
    result = build_research_database(census_settings)
    with duckdb.connect(str(result.path), read_only=True) as con:
        areas = con.execute("SELECT DISTINCT addr_sido, addr_sigungu, addr_emd FROM firm_year").fetchall()
        assert areas == [("경기도", "시흥시", "정왕동")]  # location down to the dong, nothing below
        # a firm present in both years keeps one pseudonym, so the panel view links the years
        continuing = con.execute("SELECT count(*) FROM firm_panel WHERE prev_year = census_year - 1").fetchall()[0][0]
        assert continuing == 35
        joined = con.execute("SELECT count(*) FROM firm_year f JOIN supplier_tier t USING (record_id)").fetchall()[0][0]
        assert joined == result.tables["firm_year"]
        customers = {r[0] for r in con.execute("SELECT DISTINCT customer_1_name FROM firm_year").fetchall()}
        assert customers == {"현대자동차", "기아"}  # OEM names stay: they identify no respondent
        products = con.execute("SELECT main_products FROM firm_year LIMIT 1").fetchall()[0][0]
        assert products.startswith("금형 부품") and "[삭제]" in products


def test_pseudonyms_depend_on_the_key(census_settings, monkeypatch, tmp_path):
    first = build_research_database(census_settings, target=tmp_path / "a.duckdb")
    monkeypatch.setenv("CENSUS_PSEUDONYM_KEY", "another-key-0123456789abcdef")
    second = build_research_database(census_settings, target=tmp_path / "b.duckdb")
    ids = []
    for path in (first.path, second.path):
        with duckdb.connect(str(path), read_only=True) as con:
            ids.append({r[0] for r in con.execute("SELECT firm_id FROM firm_year_identity").fetchall()})
    assert len(ids[0]) == 40 and not ids[0] & ids[1]


def test_missing_key_is_a_clear_error(census_settings, monkeypatch):
    monkeypatch.delenv("CENSUS_PSEUDONYM_KEY")
    with pytest.raises(MissingKeyError, match="CENSUS_PSEUDONYM_KEY"):
        load_key(census_settings)
