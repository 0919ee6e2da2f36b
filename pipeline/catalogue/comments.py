"""Write the catalogue's descriptions into the database as COMMENT ON TABLE/VIEW/COLUMN."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.catalogue.entries import column_doc, table_doc
from pipeline.catalogue.views import create_label_tables, create_views


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'TABLE' | 'VIEW') of the user relations in the main schema, by name."""
    rows = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name"
    ).fetchall()
    return [(name, "VIEW" if kind == "VIEW" else "TABLE") for name, kind in rows]


def relation_columns(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_catalog = current_database() AND table_name = ? ORDER BY ordinal_position",
        [name],
    ).fetchall()


def undescribed(con: duckdb.DuckDBPyConnection, config_dir: Path) -> list[tuple[str, str]]:
    """(relation, column) pairs no catalogue describes (column "" for the relation itself)."""
    missing = []
    for name, _ in relations(con):
        if not table_doc(name, config_dir):
            missing.append((name, ""))
        missing += [(name, c) for c, _ in relation_columns(con, name) if not column_doc(name, c, config_dir)]
    return missing


def apply_comments(con: duckdb.DuckDBPyConnection, config_dir: Path) -> list[tuple[str, str]]:
    """Create the label tables and views, then comment every table, view and column the
    catalogues describe ("한국어 / English"). Returns the (relation, column) pairs nothing
    describes (column "" for a relation), so a caller can warn; the data-dictionary test
    requires it to be empty. The catalogues are the agency's (`config_dir`: settings.config_dir)."""
    create_label_tables(con, config_dir)
    create_views(con)
    missing: list[tuple[str, str]] = []
    for name, kind in relations(con):
        doc = table_doc(name, config_dir)
        if doc:
            con.execute(f'COMMENT ON {kind} "{name}" IS {_quote(f"{doc.label_ko} / {doc.label_en}")}')
        else:
            missing.append((name, ""))
        for column, _ in relation_columns(con, name):
            cdoc = column_doc(name, column, config_dir)
            if cdoc:
                con.execute(f'COMMENT ON COLUMN "{name}"."{column}" IS {_quote(f"{cdoc.label_ko} / {cdoc.label_en}")}')
            else:
                missing.append((name, column))
    return missing
