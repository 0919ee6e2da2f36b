"""The views of both databases (internal and research): the SQL files of pipeline/sql/ and the
views generated from the registry. One runner creates them all; a view whose tables or columns
a database lacks (the research database drops some columns, an empty project has no identities
yet) is left out of that database and logged, never failing the build."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from pipeline.tables.registry import TableRegistry

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
log = logging.getLogger(__name__)


def required_tables(sql: str) -> list[str]:
    """The tables a view file names in its `-- requires: a, b` line (none if it has none)."""
    for line in sql.splitlines():
        if line.startswith("-- requires:"):
            return [t.strip() for t in line.split(":", 1)[1].split(",") if t.strip()]
    return []


def _relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                       "AND table_catalog = current_database()").fetchall()
    return {r[0] for r in rows}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' "
                       "AND table_catalog = current_database() AND table_name = ?", [table]).fetchall()
    return {r[0] for r in rows}


def _run(con: duckdb.DuckDBPyConnection, name: str, sql: str) -> bool:
    try:
        con.execute(sql)
    except (duckdb.BinderException, duckdb.CatalogException) as e:
        log.info("view %s left out of this database: %s", name, str(e).splitlines()[0])
        return False
    return True


def theme_view_sql(flags: list[str]) -> str | None:
    """firm_year_theme: one row per firm-year and theme it belongs to (GROUP BY theme answers
    "how many 뿌리 firms per complex"); the columns are the taxonomies' flag columns."""
    if not flags:
        return None
    columns = ", ".join(f'"{c}"' for c in flags)
    return (f"CREATE OR REPLACE VIEW firm_year_theme AS SELECT census_year, record_id, theme FROM "
            f"(UNPIVOT (SELECT census_year, record_id, {columns} FROM firm_year) ON {columns} INTO NAME theme VALUE member) "
            f"WHERE member")


def legacy_view_sql(registry: TableRegistry, present: set[str]) -> str | None:
    """firm_year_legacy: firm_year under the column names of the previous release (ksic11_section
    for ksic_section ...), kept for one release so researchers' queries keep working."""
    renames = [(old, new) for old, new in registry.legacy_names.items() if new in present]
    if not renames:
        return None
    extra = ", ".join(f'"{new}" AS "{old}"' for old, new in renames)
    return f"CREATE OR REPLACE VIEW firm_year_legacy AS SELECT *, {extra} FROM firm_year"


def create_views(con: duckdb.DuckDBPyConnection, registry: TableRegistry, theme_flags: list[str]) -> list[str]:
    made = []
    present = _relations(con)
    for path in sorted(SQL_DIR.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        if set(required_tables(sql)) <= present and _run(con, path.stem, sql):
            made.append(path.stem)
    if "firm_year" in present:
        columns = _columns(con, "firm_year")
        for name, sql in (("firm_year_theme", theme_view_sql([c for c in theme_flags if c in columns])),
                          ("firm_year_legacy", legacy_view_sql(registry, columns))):
            if sql and _run(con, name, sql):
                made.append(name)
    return made
