"""Benchmark of the yearly load against the fastest raw read and the naive baseline.

    .venv/bin/python bench/load_benchmark.py                 # 10k, 100k and 1M firms
    .venv/bin/python bench/load_benchmark.py --firms 10000   # one size
    .venv/bin/python bench/load_benchmark.py --naive-max 100000   # skip the slow baseline above 100k
    .venv/bin/python bench/load_benchmark.py --repeat 3           # medians of 3 raw/full pairs

For each size it generates (once; cached in bench/cache/) a 2024-layout workbook and measures,
each in a fresh subprocess so that peak memory (max RSS) belongs to that measurement alone:
  raw read     fastexcel -> Arrow of the whole sheet, eagerly (the fastest reader on the file)
  full load    the pipeline's own stages, the same functions the Dagster assets call,
               with the time of each phase
  naive        pandas.read_excel(engine="openpyxl") then DataFrame.to_parquet
and prints a table with the targets: full load <= 2x raw read, >= 10x faster than naive,
peak memory < 4 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / "cache"
SEED = 7


def workbook(n_firms: int) -> Path:
    import census_sample

    path = CACHE / f"2024_bench_{n_firms}.xlsx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        census_sample.write_delivery(path, n_firms=n_firms, seed=SEED, year=2024)
        print(f"  generated {path.name} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return path


def measure_raw(path: Path) -> dict:
    import fastexcel

    t = time.perf_counter()
    # eager: straight to a RecordBatch, about 5 s faster at 1M than load_sheet(...).to_arrow().
    table = fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string", eager=True)
    return {"seconds": time.perf_counter() - t, "rows": table.num_rows}


def measure_naive(path: Path) -> dict:
    import pandas as pd

    t = time.perf_counter()
    df = pd.read_excel(path, engine="openpyxl")
    with tempfile.TemporaryDirectory() as d:
        df.astype(str).to_parquet(Path(d) / "naive.parquet")
    return {"seconds": time.perf_counter() - t, "rows": len(df)}


def measure_full(path: Path) -> dict:
    """The yearly load phase by phase into a scratch project."""
    sys.path.insert(0, str(HERE))
    from phases import run_phases

    return run_phases(path, 2024)


MEASURES = {"raw": measure_raw, "naive": measure_naive, "full": measure_full}


def child(kind: str, path: str) -> None:
    result = MEASURES[kind](Path(path))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def run_child(kind: str, path: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True, cwd=HERE.parent)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{kind} measurement failed:\n{proc.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, action="append", help="sizes (default 10k, 100k, 1M)")
    parser.add_argument("--naive-max", type=int, default=10**7, help="skip the naive baseline above this size")
    parser.add_argument("--repeat", type=int, default=1, help="raw read and full load this many times each (medians)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sizes = args.firms or [10_000, 100_000, 1_000_000]
    rows = []
    for n in sizes:
        path = workbook(n)
        print(f"{n:>9,} firms  {path.stat().st_size / 1e6:7.1f} MB", file=sys.stderr)
        # Raw and full alternate, so that each pair runs under the same load of the machine
        # (shared cores vary by 20% from one minute to the next); medians are reported.
        pairs = [(run_child("raw", path), run_child("full", path)) for _ in range(args.repeat)]
        naive = run_child("naive", path) if n <= args.naive_max else None
        rows.append((n, pairs, naive))

    print()
    print(f"{'firms':>9} {'raw read s':>10} {'full load s':>11} {'x raw':>6} {'naive s':>8} {'naive/full':>10} {'peak full MB':>12} {'peak raw MB':>11}  phases (s)")
    for n, pairs, naive in rows:
        raw_s = statistics.median(r["seconds"] for r, _ in pairs)
        full = sorted((f for _, f in pairs), key=lambda f: f["seconds"])[len(pairs) // 2]
        naive_s = f"{naive['seconds']:8.1f}" if naive else f"{'-':>8}"
        speedup = f"{naive['seconds'] / full['seconds']:10.1f}" if naive else f"{'-':>10}"
        phases = ", ".join(f"{k} {v:.2f}" for k, v in full["phases"].items())
        peak_full, peak_raw = max(f["peak_rss_mb"] for _, f in pairs), max(r["peak_rss_mb"] for r, _ in pairs)
        print(f"{n:>9,} {raw_s:10.2f} {full['seconds']:11.2f} {full['seconds'] / raw_s:6.2f} {naive_s} {speedup} {peak_full:12.0f} {peak_raw:11.0f}  {phases}")
        if len(pairs) > 1:
            runs = ", ".join(f"{f['seconds']:.1f}/{r['seconds']:.1f}={f['seconds'] / r['seconds']:.2f}" for r, f in pairs)
            print(f"{'':>9}   each run, full/raw: {runs}")
    print("\ntargets at 1M firms: full load <= 2.0x raw read; naive/full >= 10; peak memory < 4096 MB")


if __name__ == "__main__":
    main()
