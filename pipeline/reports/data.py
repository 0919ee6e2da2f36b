"""Read what the yearly report needs from the internal database, without personal data: the
report never selects a personal or identifying column except the firm key used for counting."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from pipeline.catalogue.comments import relation_columns
from pipeline.schema import columns_with_disclosure
from pipeline.storage.query_database import existing_relations


def firm_key_sql(present: set[str]) -> tuple[str, str]:
    """(join clause, key expression): the cross-year firm id when identities are built, else
    the business registration number, else the record (each firm-year its own firm)."""
    if "firm_year_identity" in present:
        return "LEFT JOIN firm_year_identity i USING (record_id)", "coalesce(i.firm_id, f.brn, f.record_id)"
    return "", "coalesce(f.brn, f.record_id)"


def report_frame(con: duckdb.DuckDBPyConnection, year: int, first_year: int, columns: Path,
                 only: set[str] | None = None, firm_tables: list[str] | None = None) -> pd.DataFrame:
    """firm_year rows of first_year..year with `firm_key` and, when tiers exist, final_tier.
    `only`: the columns the report reads (firm_year has over a hundred; converting the others
    to pandas was most of the read). `firm_tables`: tables keyed by firm_id and census_year
    (growth_stage) whose columns are added, when they and the firm ids exist."""
    present = existing_relations(con)
    join, key = firm_key_sql(present)
    hidden = set(columns_with_disclosure("personal", columns) + columns_with_disclosure("identifying", columns))
    cols = [c for c, _ in relation_columns(con, "firm_year") if c not in hidden and (only is None or c in only)]
    select = ", ".join(f'f."{c}"' for c in cols)
    tier = ""
    if "supplier_tier" in present:
        # the tier and value-chain columns the report breaks down by (those not in firm_year)
        extra = [c for c, _ in relation_columns(con, "supplier_tier")
                 if c not in cols and c not in ("record_id", "census_year") and (only is None or c in only)]
        tier = "".join(f', t."{c}"' for c in extra)
        join += " LEFT JOIN supplier_tier t USING (record_id)"
    taken = set(cols) | {"firm_key", "final_tier", "self_reported_tier"}
    for n, table in enumerate(t for t in (firm_tables or []) if t in present and "firm_year_identity" in present):
        extra = [c for c, _ in relation_columns(con, table)
                 if c not in taken and c not in ("firm_id", "census_year") and c not in hidden and (only is None or c in only)]
        if not extra:
            continue
        taken |= set(extra)
        tier += "".join(f', g{n}."{c}"' for c in extra)
        # names from config/reports.yaml, checked to be plain identifiers when it loads
        join += f' LEFT JOIN "{table}" g{n} ON g{n}.firm_id = i.firm_id AND g{n}.census_year = f.census_year'
    sql = (f"SELECT {select}, {key} AS firm_key{tier} FROM firm_year f {join} "
           "WHERE f.census_year BETWEEN ? AND ? ORDER BY f.census_year, f.record_id")
    frame = con.execute(sql, [first_year, year]).df()
    if "final_tier" not in frame.columns:
        frame["final_tier"] = frame.get("self_reported_tier")
    return frame


def screening_frame(con: duckdb.DuckDBPyConnection, year: int, table: str, programme: str, result: str) -> pd.DataFrame:
    """firm_key, programme, result of the year's support-programme screening (empty when the
    table is not built): the firm id is only counted, never shown."""
    if table not in existing_relations(con):
        return pd.DataFrame(columns=["firm_key", "programme", "result"])
    return con.execute(f'SELECT firm_id AS firm_key, "{programme}" AS programme, "{result}" AS result FROM "{table}" '
                       "WHERE census_year = ? AND firm_id IS NOT NULL ORDER BY programme, firm_key", [year]).df()


def cluster_member_frame(con: duckdb.DuckDBPyConnection, year: int, table: str, cluster: str, role: str,
                         firm_role: str) -> pd.DataFrame:
    """firm_key, cluster of the year's mini-cluster member firms linked to a census firm (one row
    per firm and cluster; empty when the roster table is not built). No member names."""
    if table not in existing_relations(con):
        return pd.DataFrame(columns=["firm_key", "cluster"])
    return con.execute(f'SELECT DISTINCT firm_id AS firm_key, "{cluster}" AS cluster FROM "{table}" '
                       f'WHERE census_year = ? AND "{role}" = ? AND firm_id IS NOT NULL AND "{cluster}" IS NOT NULL '
                       "ORDER BY cluster, firm_key", [year, firm_role]).df()


def quality_summary(con: duckdb.DuckDBPyConnection, year: int, log_columns: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The load's data-quality summary: the year's load_log rows, and quarantine and
    validation-flag counts by rule and column (counts only, never raw values)."""
    present = existing_relations(con)
    out: dict[str, pd.DataFrame] = {}
    if "load_log" in present:
        log_cols = [c for c, _ in relation_columns(con, "load_log")]
        where = "WHERE census_year = ?" if "census_year" in log_cols else ""
        shown = [c for c in (log_columns or log_cols) if c in log_cols]
        select = ", ".join(f'"{c}"' for c in shown)  # names from the table itself or our config
        out["load_log"] = con.execute(f"SELECT {select} FROM load_log {where}", [year] if where else []).df()
    for table in ("quarantine", "validation_flag"):
        if table in present:
            out[table] = con.execute(
                f'SELECT rule, "column", severity, count(*) AS n_entries, count(DISTINCT source_row) AS n_rows '
                f"FROM {table} WHERE census_year = ? GROUP BY ALL ORDER BY n_entries DESC, rule", [year]).df()
    for key in ("quarantine", "validation_flag"):
        if key in out:
            out[key]["severity"] = out[key]["severity"].map({"error": "오류", "warning": "경고"}).fillna(out[key]["severity"])
    for frame in out.values():  # years are labels, not quantities: no thousands separator
        for c in [c for c in frame.columns if c.endswith("year")]:
            frame[c] = frame[c].astype(str)
    return out
