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

from pipeline.catalogue.comments import document, relation_columns
from pipeline.research.pseudonym import key_for_build, pseudonym
from pipeline.research.registry_names import registered_only, registry_names
from pipeline.research.scrub import scrub_text
from pipeline.settings import Settings
from pipeline.storage.query_database import clear_private_files, existing_relations, private_path
from pipeline.storage.writer_lock import writer_lock
from pipeline.tables.registry import TableRegistry, table_registry

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


def deidentify(table: str, frame: pd.DataFrame, key: bytes, length: int, tables: TableRegistry,
               registry: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The research version of one table's frame, and the names of the columns left out."""
    out = pd.DataFrame(index=frame.index)
    dropped = []
    for column in frame.columns:
        doc = tables.column_doc(table, column)
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


def _read(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    return con.execute(f'SELECT * FROM "{table}"').df()


def build_research_database(settings: Settings, source: Path | None = None, target: Path | None = None,
                            key: bytes | None = None) -> ResearchBuild:
    """Write the research database next to the internal one (or to `target`), atomically and
    under the one writer lock: it is made in a private file and swapped in by one rename, so two
    builds never share a file and researchers holding the old file keep a consistent copy."""
    source = source or settings.duckdb_path
    target = target or research_path(settings)
    if not source.is_file():
        raise FileNotFoundError(f"DB가 없습니다 / no database at {source}: run `census run` first")
    key = key or key_for_build(settings)
    length = settings.research.pseudonym_length
    tables = table_registry(settings)
    result = ResearchBuild(path=target)
    registry = registry_names(settings.config_dir)
    with writer_lock(settings.curated_dir):
        clear_private_files(target)
        tmp = private_path(target)
        try:
            with duckdb.connect(str(source), read_only=True) as src, duckdb.connect(str(tmp)) as dst:
                present = existing_relations(src)
                for spec in tables.research_tables:
                    if spec.name not in present:
                        continue
                    frame = _read(src, spec.name)
                    clean, dropped = deidentify(spec.name, frame, key, length, tables, registry)
                    dst.register("_frame", clean)
                    dst.execute(f'CREATE TABLE "{spec.name}" AS SELECT * FROM _frame')
                    dst.unregister("_frame")
                    result.tables[spec.name] = len(clean)
                    result.dropped[spec.name] = dropped
                # The views only see what the research tables hold, so they cannot leak; a view
                # that needs a column researchers do not get is left out.
                missing = document(dst, tables, settings)
                if missing:
                    log.warning("research database: %d columns without a description: %s", len(missing), missing[:10])
                dst.execute("CHECKPOINT")
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
    log.info("research database %s: %s", target, result.tables)
    return result


def research_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every relation of a (research) database and its column names."""
    return {name: [c for c, _ in relation_columns(con, name)] for name in sorted(existing_relations(con))}
