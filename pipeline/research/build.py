"""Build data/curated/research.duckdb from the internal database: only the tables the
catalogue marks `research: true`, only their public columns, identifiers replaced by keyed
pseudonyms (joins by record_id and firm_id still work), customer names kept only when they
name a firm of the OEM registry (a local customer is often another census firm), free text
scrubbed of contact details.
The address is left out; the classified location (addr_sido, addr_sigungu, addr_emd) stays.

Fail closed: a column the catalogue does not describe is dropped, so a column someone adds
later never reaches researchers until it has a disclosure decision.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.catalogue.comments import apply_comments, relation_columns
from pipeline.catalogue.entries import column_doc, research_tables
from pipeline.research.pseudonym import key_for_build, pseudonym
from pipeline.research.registry_names import registered_only, registry_names
from pipeline.research.scrub import scrub_text
from pipeline.settings import Settings
from pipeline.storage.duckdb_file import SQL_DIR, existing_relations, run_sql_file

log = logging.getLogger(__name__)


@dataclass
class ResearchBuild:
    path: Path
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows
    dropped: dict[str, list[str]] = field(default_factory=dict)  # table -> column names left out


def research_path(settings: Settings) -> Path:
    return settings.curated_dir / "research.duckdb"


def _kind(column: str) -> str:
    """Pseudonym namespace: every *record_id column shares one (so joins work), likewise firm_id."""
    return "record" if column.endswith("record_id") else "firm" if column.endswith("firm_id") else column


def deidentify(table: str, frame: pd.DataFrame, key: bytes, length: int, config_dir: Path,
               registry: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The research version of one table's frame, and the names of the columns left out; what
    each column may show is the agency catalogue's (`config_dir`: settings.config_dir)."""
    out = pd.DataFrame(index=frame.index)
    dropped = []
    for column in frame.columns:
        doc = column_doc(table, column, config_dir)
        level = doc.disclosure if doc else None
        if level == "registry" and registry is not None:
            out[column] = registered_only(frame[column], registry)
        elif level == "key":
            out[column] = frame[column].map(lambda v, c=column: pseudonym(v, key, _kind(c), length)).astype("object")
        elif level == "public":
            series = frame[column]
            out[column] = series.map(scrub_text) if series.dtype == object or pd.api.types.is_string_dtype(series) else series
        else:
            dropped.append(column)
    return out, dropped


def _create_stage_views(con: duckdb.DuckDBPyConnection) -> None:
    """The views of pipeline/sql/ over the research tables. They only see what the research
    tables hold, so they cannot leak; a view that needs a column researchers do not get is left
    out (logged by name)."""
    existing = existing_relations(con)
    for sql_file in sorted(SQL_DIR.glob("*.sql")):
        try:
            run_sql_file(con, sql_file, existing)
        except duckdb.Error as e:
            log.warning("research database: views of %s left out: %s", sql_file.name, type(e).__name__)


def _read(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    return con.execute(f'SELECT * FROM "{table}"').df()


def build_research_database(settings: Settings, source: Path | None = None, target: Path | None = None,
                            key: bytes | None = None) -> ResearchBuild:
    """Write the research database next to the internal one (or to `target`), atomically:
    researchers holding the old file open keep a consistent copy until they reopen."""
    source = source or settings.duckdb_path
    target = target or research_path(settings)
    key = key or key_for_build(settings)
    length = settings.research.pseudonym_length
    result = ResearchBuild(path=target)
    registry = registry_names(settings.config_dir)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with duckdb.connect(str(source), read_only=True) as src, duckdb.connect(str(tmp)) as dst:
        present = existing_relations(src)
        for table in research_tables(settings.config_dir):
            if table not in present:
                continue
            frame = _read(src, table)
            clean, dropped = deidentify(table, frame, key, length, settings.config_dir, registry)
            dst.register("_frame", clean)
            dst.execute(f'CREATE TABLE "{table}" AS SELECT * FROM _frame')
            dst.unregister("_frame")
            result.tables[table] = len(clean)
            result.dropped[table] = dropped
        _create_stage_views(dst)
        missing = apply_comments(dst, settings.config_dir)
        if missing:
            log.warning("research database: %d columns without a description: %s", len(missing), missing[:10])
        dst.execute("CHECKPOINT")
    os.replace(tmp, target)
    log.info("research database %s: %s", target, result.tables)
    return result


def research_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every relation of a (research) database and its column names."""
    return {name: [c for c, _ in relation_columns(con, name)] for name in sorted(existing_relations(con))}
