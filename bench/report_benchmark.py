"""The yearly report step at agency size: build_yearly_reports of a project's years, timed per
phase (assemble with the map, charts, workbooks, HTML pages), wall and CPU time.

    CENSUS_SETTINGS=/path/to/project/config/settings.yaml \\
        .venv/bin/python bench/report_benchmark.py --years 2022 2023 2024 --repeat 3

Target (table-contract issue): <= 1 s per year at 10,000 firms, so that `census run` of a
3-year project stays near 10 s end to end. The reports are written to a scratch folder, never
into the project. Every run is printed (the machine's cores are shared: compare runs made
minutes apart, and CPU time beside wall time). Each run is a fresh process, so the first year
pays the font subsets and the imports as `census run` does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_RUN = """
import json, sys, time, collections
from pathlib import Path
w0 = time.perf_counter()
import pipeline.reports.yearly as Y
from pipeline.settings import load_settings
imported = time.perf_counter() - w0
spent = collections.Counter()

def timed(name, label):
    f = getattr(Y, name)
    def run(*a, **k):
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            spent[label] += time.perf_counter() - t
    setattr(Y, name, run)

for name, label in [("assemble_report", "assemble"), ("chart_svgs", "charts"), ("write_editions", "workbooks"),
                    ("render_pages", "pages")]:
    timed(name, label)
years, out = json.loads(sys.argv[1]), Path(sys.argv[2])
settings = load_settings()
w, c = time.perf_counter(), time.process_time()
Y.build_yearly_reports(settings, years, {y: out / str(y) for y in years})
print(json.dumps({"import": imported, "wall": time.perf_counter() - w, "cpu": time.process_time() - c, **spent}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, nargs="+", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("CENSUS_SETTINGS"):
        sys.exit("CENSUS_SETTINGS must name the project's settings.yaml")
    n = len(args.years)
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="report_bench_") as out:
            proc = subprocess.run([sys.executable, "-c", _RUN, json.dumps(args.years), out], cwd=REPO,
                                  capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        if proc.returncode != 0:
            sys.exit(f"run {i + 1} failed:\n{proc.stderr[-3000:]}")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        phases = ", ".join(f"{k} {r[k]:.2f}" for k in ("assemble", "charts", "workbooks", "pages") if k in r)
        print(f"run {i + 1}: import {r['import']:.2f} s | {n} years: wall {r['wall']:.2f} s, cpu {r['cpu']:.2f} s "
              f"= {r['wall'] / n:.2f} s/year (target <= 1.00) | {phases}")


if __name__ == "__main__":
    main()
