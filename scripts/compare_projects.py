"""Compares the curated tables of two projects (the Celery-worker run and `census run` of the same
deliveries in scripts/service_test.sh): exit 0 when every table holds the same rows, load times
aside. Usage: compare_curated.py SETTINGS_A SETTINGS_B"""

import sys

from pipeline.settings import load_settings
from pipeline.storage import read_table

TABLES = ("firm_year", "firm_revenue", "quarantine", "validation_flag", "supply_link", "firm", "firm_year_identity")


def main(path_a: str, path_b: str) -> int:
    a_settings, b_settings = load_settings(path_a), load_settings(path_b)
    differ = []
    for table in TABLES:
        a, b = read_table(a_settings, table, None), read_table(b_settings, table, None)
        # When the load finished is the only thing that may differ.
        cols = sorted(c for c in a.columns if not str(a[c].dtype).startswith("datetime"))
        a, b = (f[cols].sort_values(cols).reset_index(drop=True) for f in (a, b))
        # An empty table on both sides would compare equal and prove nothing.
        same = len(a) > 0 and list(a.columns) == list(b.columns) and a.equals(b)
        print(f"  {table}: {len(a)} / {len(b)} rows: {'identical' if same else 'DIFFERENT'}")
        if not same:
            differ.append(table)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
