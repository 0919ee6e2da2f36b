"""Label tables, views and COMMENTs of a database, all from the table registry."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.catalogue.views import create_views
from pipeline.tables.registry import TableRegistry, theme_flag_columns


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'TABLE' | 'VIEW') of the user relations in the main schema, by name."""
    rows = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database() AND table_name NOT LIKE '\\_%' ESCAPE '\\' "
        "ORDER BY table_name"
    ).fetchall()
    return [(name, "VIEW" if kind == "VIEW" else "TABLE") for name, kind in rows]


def relation_columns(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_catalog = current_database() AND table_name = ? ORDER BY ordinal_position",
        [name],
    ).fetchall()


def create_label_tables(con: duckdb.DuckDBPyConnection, registry: TableRegistry) -> list[str]:
    """The code tables (code, label_ko, label_en) of the registry and of the taxonomies."""
    for name, table in registry.label_tables.items():
        frame = pd.DataFrame(list(table.rows), columns=["code", "label_ko", "label_en"]).astype(str)
        con.register("_labels", frame)
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _labels')
        con.unregister("_labels")
    return list(registry.label_tables)


def document(con: duckdb.DuckDBPyConnection, registry: TableRegistry, settings) -> list[tuple[str, str]]:
    """Label tables, views, then a COMMENT ("한국어 / English") on every relation and column the
    registry describes. Returns the (relation, column) pairs it does not describe (column "" for
    a relation); the data-dictionary test requires none."""
    create_label_tables(con, registry)
    create_views(con, registry, theme_flag_columns(settings))
    return apply_comments(con, registry)


def apply_comments(con: duckdb.DuckDBPyConnection, registry: TableRegistry) -> list[tuple[str, str]]:
    missing: list[tuple[str, str]] = []
    columns = _columns_by_relation(con)
    statements = []
    for name, kind in relations(con):
        doc = registry.relation_doc(name)
        if doc:
            statements.append(f'COMMENT ON {kind} "{name}" IS {_quote(f"{doc[0]} / {doc[1]}")}')
        else:
            missing.append((name, ""))
        for column in columns.get(name, []):
            cdoc = registry.column_doc(name, column)
            if cdoc:
                codes = f" (코드표 / codes: {cdoc.labels})" if cdoc.labels else ""
                statements.append(f'COMMENT ON COLUMN "{name}"."{column}" IS {_quote(f"{cdoc.label_ko} / {cdoc.label_en}{codes}")}')
            else:
                missing.append((name, column))
    # One transaction: a thousand COMMENTs committed one by one took seconds in a file database.
    con.execute("BEGIN TRANSACTION")
    try:
        for statement in statements:
            con.execute(statement)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return missing


def _columns_by_relation(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every relation's column names in column order (one query instead of one per relation)."""
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_catalog = current_database() ORDER BY table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[str]] = {}
    for name, column in rows:
        out.setdefault(name, []).append(column)
    return out


def undescribed(con: duckdb.DuckDBPyConnection, registry: TableRegistry) -> list[tuple[str, str]]:
    missing = []
    for name, _ in relations(con):
        if not registry.relation_doc(name):
            missing.append((name, ""))
        missing += [(name, c) for c, _ in relation_columns(con, name) if not registry.column_doc(name, c)]
    return missing
