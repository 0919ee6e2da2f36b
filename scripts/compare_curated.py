"""Compare every curated table that an earlier version of the pipeline builds from a sample with
the tables this checkout builds from the same files.

    .venv/bin/python scripts/compare_curated.py --old 1e2d019

Both versions run `census run` on the old version's shipped sample (data/raw at --old) in
scratch projects, each with its own Dagster home; then, table by table, the script prints the
columns only one side has, the columns whose type changed, and whether the rows (all shared
columns, order aside) are the same. Intended renames are mapped first (the KSIC columns lost the
revision in their names); anything else that differs is printed for a person to judge.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
PY = REPO / ".venv" / "bin" / "python"


def run(cmd: list[str], cwd: Path, env: dict) -> None:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


def build(code: Path, raw: Path, work: Path) -> Path:
    """census run of the code at `code` on the files in `raw`; returns the census.duckdb."""
    project = work / "project"
    env = {**os.environ, "PYTHONPATH": str(code), "DAGSTER_HOME": str(work / "dagster_home"), "PYTHONWARNINGS": "ignore"}
    (work / "dagster_home").mkdir(parents=True)
    shutil.copyfile(code / ".dagster_home" / "dagster.yaml", work / "dagster_home" / "dagster.yaml")
    run([str(PY), "-c", "import sys; from pathlib import Path; from pipeline.settings import make_project; "
                        f"print(make_project(Path({str(project)!r}), Path({str(REPO.parent / 'shared' / 'reference')!r})))"], code, env)
    for f in raw.iterdir():
        if f.is_file():
            shutil.copyfile(f, project / "data" / "raw" / f.name)
    env["CENSUS_SETTINGS"] = str(project / "config" / "settings.yaml")
    env["CENSUS_PSEUDONYM_KEY"] = "compare-key-0123456789"
    run([str(PY), "-c", "from census_cli.main import app; app()", "run"], code, env)
    return project / "data" / "curated" / "census.duckdb"


def renames() -> dict[str, str]:
    from pipeline.settings import load_settings
    from pipeline.tables.registry import table_registry

    return table_registry(load_settings()).legacy_names


def compare(old_db: Path, new_db: Path) -> int:
    names = renames()
    differences = 0
    with duckdb.connect(str(old_db), read_only=True) as old, duckdb.connect(str(new_db), read_only=True) as new:
        tables = lambda con: {r[0] for r in con.execute(  # noqa: E731
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = 'main'").fetchall()}
        old_tables, new_tables = tables(old), tables(new)
        print(f"tables only before: {sorted(old_tables - new_tables)}")
        print(f"tables only now:    {sorted(t for t in new_tables - old_tables if not t.startswith('_'))}")
        for table in sorted(old_tables & new_tables):
            before = {r[0]: r[1] for r in old.execute(f'DESCRIBE "{table}"').fetchall()}
            now = {r[0]: r[1] for r in new.execute(f'DESCRIBE "{table}"').fetchall()}
            mapped = {names.get(c, c): c for c in before}
            shared = sorted(set(mapped) & set(now))
            gone = sorted(mapped[c] for c in set(mapped) - set(now))
            added = sorted(set(now) - set(mapped))
            types = [f"{c} {before[mapped[c]]}->{now[c]}" for c in shared if before[mapped[c]] != now[c]]
            # Types may differ: values are compared as text, a timestamp that became a date as a date.
            cast = lambda c, t="VARCHAR": f'CAST(CAST("{c}" AS {t}) AS VARCHAR)'  # noqa: E731
            q_old = ", ".join(f'{cast(mapped[c], "DATE" if now[c] == "DATE" else "VARCHAR")} AS "{c}"' for c in shared)
            q_new = ", ".join(f'{cast(c)} AS "{c}"' for c in shared)
            rows_old = sorted(old.execute(f'SELECT {q_old} FROM "{table}"').fetchall(), key=repr)
            rows_new = sorted(new.execute(f'SELECT {q_new} FROM "{table}"').fetchall(), key=repr)
            same = rows_old == rows_new
            differences += not same
            renamed = sorted(c for c in shared if mapped[c] != c)
            print(f"\n{table}: {len(rows_old)} -> {len(rows_new)} rows; {len(shared)} shared columns: "
                  f"{'rows identical' if same else 'ROWS DIFFER'}")
            if renamed:
                print(f"  renamed: {', '.join(f'{mapped[c]} -> {c}' for c in renamed)}")
            if gone:
                print(f"  columns only before: {', '.join(gone)}")
            if added:
                print(f"  columns only now: {', '.join(added)}")
            if types:
                print(f"  types: {', '.join(types)}")
            if not same:
                for c in shared:
                    a = sorted((r[shared.index(c)] or "") for r in rows_old)
                    b = sorted((r[shared.index(c)] or "") for r in rows_new)
                    if a != b:
                        print(f"  values differ in {c}")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True, help="git revision of the earlier version")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        subprocess.run(["git", "worktree", "add", "--detach", str(d / "old"), args.old], cwd=REPO, check=True, capture_output=True)
        try:
            raw = d / "raw"
            raw.mkdir()
            for f in (d / "old" / "data" / "raw").glob("20*"):
                shutil.copyfile(f, raw / f.name)
            old_db = build(d / "old", raw, d / "before")
            new_db = build(REPO, raw, d / "now")
            sys.exit(1 if compare(old_db, new_db) else 0)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(d / "old")], cwd=REPO, capture_output=True)


if __name__ == "__main__":
    main()
