"""`census run` as an agency runs it, and the Dagster path against the function path.

    .venv/bin/python bench/census_run_benchmark.py --firms 10000          # agency size, 3 years
    .venv/bin/python bench/census_run_benchmark.py --dagster-vs-function 1000000 --repeat 3

Agency size (table-contract issue targets): a generated 3-year census of N firms in a scratch
project; `census run` end to end (loads, all-years tables and databases, reports) <= 10 s, an
unchanged rerun <= 2 s, and then what opening the UI would start: a tick of the raw-file sensor
and an evaluation of the automation conditions, 0 runs. Every run is printed, not only the best.

Dagster path vs function path (1M firms, one year, the load_benchmark workbook): the census_load
job and the census database through Dagster in-process, against pipeline.load + pipeline.yearly
(the same functions, no Dagster) building the same curated tables and database; target <= 1.2x.
Each measurement runs in a fresh subprocess (peak memory belongs to it alone).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CENSUS = REPO / ".venv" / "bin" / "census"


def _project(root: Path) -> Path:
    from pipeline.settings import load_settings, make_project

    return make_project(root, load_settings().reference_dir)


def _env(project: Path, home: Path) -> dict:
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    return {**os.environ, "CENSUS_SETTINGS": str(project), "DAGSTER_HOME": str(home), "PYTHONWARNINGS": "ignore"}


def _timed(args: list[str], env: dict) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return took, proc.stdout


def runs_on_ui_open(settings_path: Path, home: Path) -> int:
    """Runs the daemon would start now: one tick of the raw-file sensor and one evaluation of the
    automation conditions (a first evaluation, as after opening the UI on this instance)."""
    code = f"""
import warnings; warnings.filterwarnings("ignore")
import dagster as dg
from assets.definitions import build_definitions
from assets.sensors import raw_file_sensor
from pipeline.settings import load_settings
settings = load_settings({str(settings_path)!r})
defs = build_definitions(settings)
instance = dg.DagsterInstance.get()
sensor = raw_file_sensor(dg.build_sensor_context(instance=instance, resources=defs.resources))
auto = dg.evaluate_automation_conditions(defs=defs, instance=instance)
print("RUNS", len(sensor.run_requests or []), auto.total_requested)
"""
    env = _env(settings_path, home)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=REPO)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RUNS ")), None)
    if line is None:
        raise RuntimeError(out.stderr[-2000:])
    return int(line.split()[1]) + int(line.split()[2])


def step_times(home: Path) -> list[str]:
    """Wall time of each run and step of the instance at `home`, oldest run first."""
    code = """
import warnings; warnings.filterwarnings("ignore")
import dagster as dg
instance = dg.DagsterInstance.get()
for record in reversed(instance.get_run_records()):
    run = record.dagster_run
    steps = sorted(instance.get_run_step_stats(run.run_id), key=lambda s: s.start_time or 0)
    took = (record.end_time or 0) - (record.start_time or 0)
    print(f"STEP {run.job_name} {run.tags.get('dagster/partition', '')}: {took:.1f} s = "
          + ", ".join(f"{s.step_key} {(s.end_time or 0) - (s.start_time or 0):.1f}" for s in steps))
"""
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "DAGSTER_HOME": str(home), "PYTHONWARNINGS": "ignore"},
                         capture_output=True, text=True, cwd=REPO)
    return [line[5:] for line in out.stdout.splitlines() if line.startswith("STEP ")]


def agency(firms: int, repeat: int) -> None:
    from census_sample import write_sample

    print(f"census run on a generated {firms:,}-firm census (3 years), {repeat} time(s)")
    for i in range(repeat):
        with tempfile.TemporaryDirectory() as d:
            settings_path = _project(Path(d) / "project")
            raw = settings_path.parent.parent / "data" / "raw"
            write_sample(raw, firms, 20241231)
            env = _env(settings_path, Path(d) / "dagster_home")
            first, out = _timed([str(CENSUS), "run"], env)
            steps = step_times(Path(d) / "dagster_home")
            again, _ = _timed([str(CENSUS), "run"], env)
            ui = runs_on_ui_open(settings_path, Path(d) / "dagster_home")
            rows = [line.strip() for line in out.splitlines() if "읽은 행" in line]
            # One year alone, in a project of its own (what a new agency's first load is).
            one_path = _project(Path(d) / "one")
            year_file = next(raw.glob("2024_*"))
            shutil.copyfile(year_file, one_path.parent.parent / "data" / "raw" / year_file.name)
            one, _ = _timed([str(CENSUS), "run"], _env(one_path, Path(d) / "dagster_home_one"))
            print(f"  run {i + 1}: census run (3 years) {first:6.1f} s   unchanged rerun {again:5.2f} s   "
                  f"runs on opening the UI {ui}   census run (one year, 2024 alone) {one:6.1f} s")
            for r in rows:
                print(f"         {r}")
            for line in steps:
                print(f"         {line}")
    print("  targets: census run <= 10 s; unchanged rerun <= 2 s; 0 runs on opening the UI")


def _function_path(path: Path, root: Path) -> dict:
    sys.path.insert(0, str(HERE))
    from phases import run_phases

    return run_phases(path, 2024)


def _dagster_path(path: Path, root: Path) -> dict:
    import warnings

    warnings.filterwarnings("ignore")
    import dagster as dg

    from assets import in_process
    from assets.jobs import ALL_YEARS_JOB, CENSUS_LOAD_JOB
    from pipeline.settings import load_settings

    settings = load_settings(_project(root / "project"))
    shutil.copyfile(path, settings.raw_dir / "2024_bench.xlsx")
    settings_path = str(settings.config_dir / "settings.yaml")
    # What `census run` executes: the jobs rebuilt by name, every step in this process, on a
    # persistent instance (assets/in_process.py).
    in_process.census_definitions(settings_path)
    home = root / "dagster_home"
    home.mkdir()
    shutil.copyfile(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")  # census run's instance settings
    instance = dg.DagsterInstance.from_config(str(home))
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    t = time.perf_counter()
    # The same work as the function path: the year's load up to firm_year (supply links, which
    # the census_load job also runs, are not part of the function path).
    assert in_process.execute(settings_path, CENSUS_LOAD_JOB, "2024", instance, quiet, LOAD_UP_TO_FIRM_YEAR).success
    load = time.perf_counter() - t
    assert in_process.execute(settings_path, ALL_YEARS_JOB, None, instance, quiet, ["census_database"]).success
    return {"seconds": time.perf_counter() - t, "phases": {"load to firm_year": load, "database": time.perf_counter() - t - load}}


LOAD_UP_TO_FIRM_YEAR = ["staged_firm_year", "staged_quarantine", "staged_change_log", "staged_delivery", "correction_edit",
                        "correction_issue", "validated_firm_year",
                        "firm_revenue", "quarantine", "validation_flag", "change_log", "firm_year", "firm_year_ksic_secondary",
                        "load_log"]


PATHS = {"function": _function_path, "dagster": _dagster_path}


def child(kind: str, path: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        result = PATHS[kind](Path(path), Path(d))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def run_child(kind: str, path: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True, cwd=REPO)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{kind} path failed:\n{proc.stderr[-3000:]}")


def dagster_vs_function(firms: int, repeat: int) -> None:
    sys.path.insert(0, str(HERE))
    from load_benchmark import workbook

    path = workbook(firms)
    print(f"one year of {firms:,} firms ({path.stat().st_size / 1e6:.0f} MB): function path vs Dagster path, {repeat} pair(s)")
    pairs = [(run_child("function", path), run_child("dagster", path)) for _ in range(repeat)]
    for i, (f, d) in enumerate(pairs, 1):
        print(f"  pair {i}: function {f['seconds']:6.1f} s (peak {f['peak_rss_mb']:.0f} MB)   dagster {d['seconds']:6.1f} s "
              f"(peak {d['peak_rss_mb']:.0f} MB)   ratio {d['seconds'] / f['seconds']:.2f}")
        print(f"          function phases: {', '.join(f'{k} {v:.1f}' for k, v in f['phases'].items())}")
        print(f"          dagster phases:  {', '.join(f'{k} {v:.1f}' for k, v in d['phases'].items())}")
    ratio = statistics.median(d["seconds"] / f["seconds"] for f, d in pairs)
    print(f"  median ratio {ratio:.2f}; target <= 1.2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, help="agency-size census run benchmark with this many firms")
    parser.add_argument("--dagster-vs-function", type=int, metavar="FIRMS", help="Dagster path against the function path")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
    elif args.dagster_vs_function:
        dagster_vs_function(args.dagster_vs_function, args.repeat)
    else:
        agency(args.firms or 10_000, args.repeat)


if __name__ == "__main__":
    main()
