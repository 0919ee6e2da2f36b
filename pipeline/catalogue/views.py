"""Label tables and the views for common questions, created in a database (internal or
research) after its tables are in place."""

from __future__ import annotations

from pathlib import Path

import logging

import duckdb
import pandas as pd

from pipeline.catalogue.entries import TABLE_CATALOGUE, load_catalogue

VIEWS_DIR = Path(__file__).parent / "views"
log = logging.getLogger(__name__)


def existing_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database()"
    ).fetchall()
    return {r[0] for r in rows}


def _required(sql: str) -> list[str]:
    for line in sql.splitlines():
        if line.startswith("-- requires:"):
            return [t.strip() for t in line.split(":", 1)[1].split(",") if t.strip()]
    return []


def create_label_tables(con: duckdb.DuckDBPyConnection, path: Path = TABLE_CATALOGUE) -> list[str]:
    made = []
    for name, spec in load_catalogue(path).get("code_labels", {}).items():
        frame = pd.DataFrame(spec["rows"], columns=["code", "label_ko", "label_en"]).astype(str)
        con.register("_labels", frame)
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _labels')
        con.unregister("_labels")
        made.append(name)
    return made


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create each view whose source tables and columns exist. A view over what is not built
    yet (tiers before the supply stage, sectors before classification) is left out rather than
    failing the rebuild of a load; it appears with the next rebuild that has its inputs."""
    present = existing_relations(con)
    made = []
    for file in sorted(VIEWS_DIR.glob("*.sql")):
        sql = file.read_text(encoding="utf-8")
        if not all(t in present for t in _required(sql)):
            continue
        try:
            con.execute(sql)
        except (duckdb.BinderException, duckdb.CatalogException) as e:
            log.info("view %s left out until its columns exist: %s", file.stem, str(e).splitlines()[0])
            continue
        made.append(file.stem.split("_", 1)[1])
    return made
