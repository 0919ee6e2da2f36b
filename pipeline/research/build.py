"""Build data/curated/research.duckdb from the internal database: only the tables the
catalogue marks `research: true`, only their public columns, identifiers replaced by keyed
pseudonyms (joins by record_id and firm_id still work), customer names kept only when they
name a firm of the OEM registry (a local customer is often another census firm), free text
scrubbed of contact details and identifiers in any punctuation. What the registry's `research:`
attribute says is applied per column: dates generalised (founded_date -> founded_year), free text
kept only where allowed and scrubbed of the firm and representative names known to the year.
The address is left out; the classified location (addr_sido, addr_sigungu, addr_emd) stays.
Every build reports the k-anonymity of the quasi-identifiers (research.k_anonymity) and records
the Parquet state it was made from (`_build_state`, as census.duckdb), so `census status` and
`census run` see a research database left behind.

Fail closed: a column the catalogue does not describe is dropped, so a column someone adds
later never reaches researchers until it has a disclosure decision.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.catalogue.comments import document, relation_columns
from pipeline.research import generalise
from pipeline.research.k_anonymity import k_anonymity_report
from pipeline.research.pseudonym import Pseudonyms, key_for_build, pseudonym
from pipeline.research.registry_names import registered_only, registry_names
from pipeline.research.scrub import NameScrubber, name_variants, scrub_free_text, scrub_text
from pipeline.settings import Settings
from pipeline.storage.parquet import pandas_type
from pipeline.storage.query_database import (
    built_state,
    clear_private_files,
    discard_database_file,
    existing_relations,
    private_path,
    record_build_state,
)
from pipeline.storage.writer_lock import writer_lock
from pipeline.tables.registry import TableRegistry, table_registry
from pipeline.tables.spec import PARTITION

log = logging.getLogger(__name__)


@dataclass
class ResearchBuild:
    path: Path
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows
    dropped: dict[str, list[str]] = field(default_factory=dict)  # table -> column names left out
    k_anonymity: pd.DataFrame | None = None  # per census year (pipeline.research.k_anonymity)


def research_path(settings: Settings) -> Path:
    return settings.curated_dir / "research.duckdb"


def _kind(column: str) -> str:
    """Pseudonym namespace: every *record_id column shares one (so joins work), likewise firm_id."""
    return "record" if column.endswith("record_id") else "firm" if column.endswith("firm_id") else column


# The columns whose values name the firm or person a free-text answer may repeat.
NAME_COLUMNS = ("firm_name", "firm_name_en", "representative_name")


def deidentify(table: str, frame: pd.DataFrame, key: bytes, length: int, tables: TableRegistry,
               registry: dict[str, str] | None = None,
               names: dict[int | None, NameScrubber] | None = None, pseudonyms: Pseudonyms | None = None,
               registry_memo: dict | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The research version of one table's frame, and the names of the columns left out.
    `names`: per census year (None: all years) the scrubber of the names known to that year.
    `pseudonyms` and `registry_memo` carry what one build has computed from table to table."""
    pseudonyms = pseudonyms or Pseudonyms(key, length)
    registry_memo = {} if registry_memo is None else registry_memo
    out = pd.DataFrame(index=frame.index)
    dropped = []
    for column in frame.columns:
        doc = tables.column_doc(table, column)
        level = doc.disclosure if doc else None
        how = generalise.transform(doc) if doc else None
        if level == "registry" and registry is not None:
            out[column] = per_distinct(frame[column], lambda part: registered_only(part, registry, registry_memo))
        elif level == "key":
            kind = _kind(column)
            out[column] = per_distinct(frame[column], lambda part, k=kind: pd.Series(pseudonyms.many(part, k), dtype=object))
        elif level != "public" or how == "omit":
            dropped.append(column)
        elif how in ("year", "year_month"):
            out[generalise.generalised_name(doc)] = generalise.generalise_date(frame[column], how)
            dropped.append(column)
        elif how == "free_text":
            out[column] = _scrub_names(frame, column, names or {})
        else:
            series = frame[column]
            text = series.dtype == object or pd.api.types.is_string_dtype(series)
            out[column] = _scrubbed(series) if text else series
    return out, dropped


def _scrubbed(series: pd.Series) -> pd.Series:
    """A public text column without contact details and identifiers. Most columns (codes,
    labels, names of places) have none: such a column is handed on as it came, in its Arrow-backed
    text, rather than as a column of Python objects (DuckDB stores both as the same VARCHAR)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    done = [scrub_text(v) for v in uniques]
    if pd.api.types.is_string_dtype(series) and all(d == v for d, v in zip(done, uniques, strict=True)):
        return series
    values = np.array([*done, None], dtype=object)
    return pd.Series(values[codes], index=series.index, dtype="object")


def per_distinct(series: pd.Series, transform) -> pd.Series:
    """transform applied once per distinct value (codes, names and labels repeat on many rows;
    scrubbing or hashing each row took most of the build), laid back onto the rows."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    # One slot more for the missing values (code -1 takes the last slot, which stays None).
    done = [*transform(pd.Series(uniques, dtype="object")).to_numpy(dtype=object), None]
    return pd.Series(pd.Series(done, dtype="object").to_numpy()[codes], index=series.index, dtype="object")


def _scrub_names(frame: pd.DataFrame, column: str, names: dict[int | None, NameScrubber]) -> pd.Series:
    """A free-text column scrubbed of identifiers and of the names known to each row's year."""
    if PARTITION not in frame.columns or not names or set(names) == {None}:
        # One scrubber for every year: the column is scrubbed in one pass.
        return scrub_free_text(frame[column], names.get(None) or NameScrubber([]))
    parts = [scrub_free_text(group[column], names.get(int(year)) or names.get(None) or NameScrubber([]))
             for year, group in frame.groupby(PARTITION, sort=False)]
    return pd.concat(parts).reindex(frame.index) if parts else frame[column].astype("object")


def known_names(src: duckdb.DuckDBPyConnection, present: set[str], min_chars: int) -> dict[int | None, NameScrubber]:
    """A scrubber of the firm and representative names of every loaded year (key None). One for
    all years, not one per year: firms repeat from year to year, so the pattern is hardly larger,
    it is compiled once instead of once a year, and a name known from another year is removed too."""
    if "firm_year" not in present:
        return {}
    have = {c for c, _ in relation_columns(src, "firm_year")}
    columns = [c for c in NAME_COLUMNS if c in have]
    if not columns or PARTITION not in have:
        return {}
    selected = ", ".join(f'"{c}"' for c in [PARTITION, *columns])
    frame = src.execute(f"SELECT {selected} FROM firm_year").to_arrow_table()
    variants = {v for c in columns for name in frame.column(c).drop_null().unique().to_pylist() for v in name_variants(name)}
    return {None: NameScrubber(variants, min_chars)}


def _read(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """The table as DuckDB's .df() gives it (integers and booleans nullable only where a value
    is missing, an all-missing text column as objects, dates as datetime64[us]), read through
    Arrow: .df() builds every text value as a Python object and took seconds for firm_year."""
    arrow = con.execute(f'SELECT * FROM "{table}"').to_arrow_table()
    frame = arrow.to_pandas(types_mapper=pandas_type, date_as_object=False)
    for arrow_field in arrow.schema:
        column = arrow.column(arrow_field.name)
        if pa.types.is_integer(arrow_field.type) and not column.null_count:
            frame[arrow_field.name] = frame[arrow_field.name].astype("int64")
        elif pa.types.is_boolean(arrow_field.type) and not column.null_count:
            frame[arrow_field.name] = frame[arrow_field.name].astype("bool")
        elif pa.types.is_date(arrow_field.type):
            frame[arrow_field.name] = frame[arrow_field.name].astype("datetime64[us]")
        elif pa.types.is_string(arrow_field.type) or pa.types.is_large_string(arrow_field.type):
            if column.null_count == len(column):
                frame[arrow_field.name] = pd.Series([None] * len(column), index=frame.index, dtype="object")
    return frame


def _as_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame as Arrow, which DuckDB takes in the same types as the frame (text objects as
    VARCHAR, nullable integers as BIGINT, an all-missing column as NULL) without visiting each
    Python object; a column Arrow cannot type (mixed objects) leaves the frame as it is."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame


def build_research_database(settings: Settings, source: Path | None = None, target: Path | None = None,
                            key: bytes | None = None) -> ResearchBuild:
    """Write the research database next to the internal one (or to `target`), atomically and
    under the one writer lock: it is made in a private file and swapped in by one rename, so two
    builds never share a file and researchers holding the old file keep a consistent copy."""
    source = source or settings.duckdb_path
    target = target or research_path(settings)
    if not source.is_file():
        raise FileNotFoundError(f"DB가 없습니다 / no database at {source}: run `census run` first")
    key = key or key_for_build(settings, target)
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
                names = known_names(src, present, settings.research.min_scrubbed_name_chars)
                pseudonyms, registry_memo = Pseudonyms(key, length), {}
                for spec in tables.research_tables:
                    if spec.name not in present:
                        continue
                    frame = _read(src, spec.name)
                    clean, dropped = deidentify(spec.name, frame, key, length, tables, registry, names, pseudonyms, registry_memo)
                    dst.register("_frame", _as_arrow(clean))
                    dst.execute(f'CREATE TABLE "{spec.name}" AS SELECT * FROM _frame')
                    dst.unregister("_frame")
                    result.tables[spec.name] = len(clean)
                    result.dropped[spec.name] = dropped
                    if spec.name == "firm_year":
                        anonymity = settings.research.k_anonymity
                        result.k_anonymity = k_anonymity_report(clean, anonymity.quasi_identifiers, anonymity.k)
                # The views only see what the research tables hold, so they cannot leak; a view
                # that needs a column researchers do not get is left out.
                missing = document(dst, tables, settings)
                missing = _describe_generalised(dst, tables, missing)
                if missing:
                    log.warning("research database: %d columns without a description: %s", len(missing), missing[:10])
                if result.k_anonymity is not None:
                    _write_k_anonymity(dst, result.k_anonymity)
                record_build_state(dst, built_state(source))
                _record_key_check(dst, key)
                dst.execute("CHECKPOINT")
            os.replace(tmp, target)
        finally:
            discard_database_file(tmp)
    log.info("research database %s: %s", target, result.tables)
    return result


def _describe_generalised(con: duckdb.DuckDBPyConnection, tables: TableRegistry,
                          missing: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """COMMENTs on the generalised columns (founded_year, ...); returns what is still undescribed."""
    generalised = {}
    for spec in tables.research_tables:
        for column in spec.columns:
            if column.disclosure == "public" and generalise.transform(column) in ("year", "year_month"):
                generalised[generalise.generalised_name(column)] = generalise.comment(column)
    left = []
    for relation, column in missing:
        if column in generalised:  # in the table and in the views that select it
            ko, en = generalised[column]
            text = f"{ko} / {en}".replace("'", "''")
            con.execute(f'COMMENT ON COLUMN "{relation}"."{column}" IS \'{text}\'')
        else:
            left.append((relation, column))
    return left


K_TABLE = "_k_anonymity"


def _write_k_anonymity(con: duckdb.DuckDBPyConnection, report: pd.DataFrame) -> None:
    con.register("_report", report)
    con.execute(f'CREATE TABLE "{K_TABLE}" AS SELECT * FROM _report')
    con.unregister("_report")
    con.execute(f"COMMENT ON TABLE \"{K_TABLE}\" IS 'k-익명성 보고 (준식별자 조합이 k개 미만인 기업-연도) / "
                "k-anonymity report: firm-years whose quasi-identifier combination fewer than k share'")


KEY_TABLE = "_pseudonym_key"


def _record_key_check(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """A check value of the key (an HMAC of a fixed text, not the key): tells whether a later
    build used the same key, i.e. whether pseudonyms still link across releases."""
    con.execute(f'CREATE TABLE "{KEY_TABLE}" AS SELECT ? AS key_check', [key_check(key)])


def key_check(key: bytes) -> str:
    return pseudonym("key-check", key, "check", 16)


def research_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every relation of a (research) database and its column names."""
    return {name: [c for c, _ in relation_columns(con, name)] for name in sorted(existing_relations(con))}
