"""Compares what the all-years steps wrote in two projects (before and after a change to them):
the Parquet files of the all-years tables byte for byte, and every relation of census.duckdb and
research.duckdb: columns, types, COMMENTs and rows (in the order a query without ORDER BY gives,
and sorted). Left aside: the build records (`_build_state`: the build time), and in load_log,
which the yearly load writes, when each year was loaded and the fingerprint of the project's
config (two projects made by two checkouts have two settings files).

    .venv/bin/python scripts/compare_all_years.py PROJECT_A PROJECT_B

Exit status 1 when anything differs.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import duckdb

ALL_YEARS_TABLES = ("firm", "firm_year_identity", "identity_review", "growth_stage", "programme_screening")
DATABASES = ("census.duckdb", "research.duckdb")
SKIPPED = {"_build_state"}
IGNORED_COLUMNS = {"load_log": ("loaded_at", "config_fingerprint")}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare_parquet(a: Path, b: Path) -> list[str]:
    differ = []
    for table in ALL_YEARS_TABLES:
        fa, fb = a / "data/curated/parquet" / table / "data.parquet", b / "data/curated/parquet" / table / "data.parquet"
        if not fa.exists() or not fb.exists():
            same = False
        else:
            same = _sha(fa) == _sha(fb)
        print(f"  parquet {table}: {'byte-identical' if same else 'DIFFERENT'}")
        if not same:
            differ.append(table)
    return differ


def _catalogue(con: duckdb.DuckDBPyConnection) -> tuple[list, list]:
    relations = con.execute("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' "
                            "ORDER BY table_name").fetchall()
    comments = con.execute(
        "SELECT table_name, comment FROM duckdb_tables() UNION ALL SELECT view_name, comment FROM duckdb_views() "
        "WHERE NOT internal UNION ALL SELECT table_name || '.' || column_name, comment FROM duckdb_columns() "
        "ORDER BY 1").fetchall()
    return relations, comments


def compare_database(a: Path, b: Path) -> list[str]:
    differ = []
    with duckdb.connect(str(a), read_only=True) as ca, duckdb.connect(str(b), read_only=True) as cb:
        rel_a, com_a = _catalogue(ca)
        rel_b, com_b = _catalogue(cb)
        if rel_a != rel_b or com_a != com_b:
            print(f"  {a.name}: relations or comments DIFFERENT")
            differ.append(f"{a.name}:catalogue")
        for name, _ in rel_a:
            if name in SKIPPED or (name, _) not in rel_b:
                continue
            cols_a = ca.execute(f'DESCRIBE "{name}"').fetchall()
            cols_b = cb.execute(f'DESCRIBE "{name}"').fetchall()
            ignored = ", ".join(f'"{c}"' for c in IGNORED_COLUMNS.get(name, ()))
            select = f'SELECT * EXCLUDE ({ignored}) FROM "{name}"' if ignored else f'SELECT * FROM "{name}"'
            rows_a = ca.execute(select).fetchall()
            rows_b = cb.execute(select).fetchall()
            same_set = sorted(rows_a, key=repr) == sorted(rows_b, key=repr)
            same_order = rows_a == rows_b
            same = cols_a == cols_b and same_set
            note = "identical" if same and same_order else "same rows, other order" if same else "DIFFERENT"
            print(f"  {a.name} {name}: {len(rows_a)} / {len(rows_b)} rows: {note}")
            if not same:
                differ.append(f"{a.name}:{name}")
    return differ


def main(a: str, b: str) -> int:
    pa, pb = Path(a), Path(b)
    differ = compare_parquet(pa, pb)
    for db in DATABASES:
        differ += compare_database(pa / "data/curated" / db, pb / "data/curated" / db)
    print("no difference" if not differ else f"DIFFERENCES: {differ}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
