"""Every table and column is described in Korean and English, in the database and in the
generated docs/data_dictionary.md, which must match the database."""

from __future__ import annotations

import duckdb

from pipeline.catalogue import apply_comments, data_dictionary
from pipeline.settings import PACKAGE_ROOT

DICTIONARY = PACKAGE_ROOT / "docs" / "data_dictionary.md"


def test_every_relation_and_column_is_commented(census_settings):
    with duckdb.connect(str(census_settings.duckdb_path)) as con:
        assert apply_comments(con) == []
        uncommented = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND (comment IS NULL OR comment = '')").fetchall()
        assert uncommented == []
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'firm_year' "
                              "AND column_name = 'representative_name'").fetchall()[0][0]
        assert comment == "대표자명 / Representative's name"
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        assert {"v_firms_by_complex_sector_year", "v_size_class_year", "v_tiers_per_chain", "v_panel_changes"} <= views


def test_data_dictionary_matches_the_database(census_settings):
    with duckdb.connect(str(census_settings.duckdb_path)) as con:
        apply_comments(con)
        expected = data_dictionary(con)
    assert DICTIONARY.read_text(encoding="utf-8") == expected, "run `census docs` to regenerate docs/data_dictionary.md"


def test_views_answer_the_common_questions(census_settings):
    with duckdb.connect(str(census_settings.duckdb_path)) as con:
        apply_comments(con)
        n = con.execute("SELECT sum(n_firms) FROM v_firms_by_complex_sector_year WHERE census_year = 2024").fetchall()[0][0]
        assert n == 38
        status = dict(con.execute("SELECT panel_status, count(*) FROM v_panel_changes WHERE census_year = 2024 GROUP BY 1").fetchall())
        assert status == {"continuing": 35, "new": 3}
        tiers = con.execute("SELECT sum(n_firms) FROM v_tiers_per_chain WHERE census_year = 2023").fetchall()[0][0]
        assert tiers == 37
