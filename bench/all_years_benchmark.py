"""The all-years steps of `census run` (the census_all_years job), timed step by step on an
existing project, calling the functions the assets call (assets/identity.py, assets/growth.py,
assets/databases.py) and writing their tables as the IO manager does.

    CENSUS_SETTINGS=/tmp/copy/config/settings.yaml .venv/bin/python bench/all_years_benchmark.py [--profile DIR]

It replaces the project's all-years tables and both databases: run it on a copy. With --profile,
each step's cProfile statistics are written to DIR/<step>.prof and the top entries printed.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from assets.growth import PANEL_COLUMNS
from assets.identity import FIRM_YEAR_COLUMNS
from pipeline.growth import assign_stages, load_programmes, load_stage_rules, panel_indicators, screen
from pipeline.identity.checks import firms_with_two_brns
from pipeline.identity.firms import firm_identity
from pipeline.identity.reviews import load_reviews
from pipeline.research.build import build_research_database
from pipeline.settings import load_settings
from pipeline.storage import build_query_database, read_table, write_tables
from pipeline.supply.setup import supply_setup
from pipeline.tables.registry import table_registry


def identity_step(settings) -> None:
    firm_year = read_table(settings, "firm_year", columns=FIRM_YEAR_COLUMNS)
    setup = supply_setup(settings)
    out = firm_identity(firm_year, setup.linkage["identity"], load_reviews(setup.reviews_path), setup.rules, setup.sido_of)
    if firms_with_two_brns(out["firm_year_identity"], firm_year):
        raise SystemExit("firm ids over two BRNs")
    write_tables(settings, out)


def growth_step(settings) -> None:
    identity = read_table(settings, "firm_year_identity")
    firm_year = read_table(settings, "firm_year", columns=PANEL_COLUMNS)
    panel = firm_year.merge(identity[["record_id", "firm_id"]], on="record_id")
    indicators = panel_indicators(panel, "firm_id")
    stages = assign_stages(indicators, load_stage_rules(settings.config_path("growth/stages.yaml")), "firm_id")
    screened = screen(indicators, load_programmes(settings.config_path("growth/programmes.yaml")), "firm_id")
    write_tables(settings, {"growth_stage": stages, "programme_screening": screened})


STEPS = {
    "firm_identity": identity_step,
    "growth": growth_step,
    "census_database": build_query_database,
    "research_database": build_research_database,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", type=Path, help="folder for each step's cProfile statistics")
    parser.add_argument("--top", type=int, default=25, help="profile entries printed per step")
    args = parser.parse_args()
    settings = load_settings()
    total = total_cpu = 0.0
    # The table registry is read once per process (census run has read it before these steps).
    table_registry(settings)
    for name, step in STEPS.items():
        profiler = cProfile.Profile() if args.profile else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.runcall(step, settings)
        else:
            step(settings)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        total += seconds
        total_cpu += cpu
        # CPU time too: on a shared machine the wall clock also counts other processes' turns.
        print(f"{name:18s} {seconds:6.2f} s  (cpu {cpu:5.2f} s)", flush=True)
        if profiler:
            args.profile.mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(args.profile / f"{name}.prof")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    print(f"{'all-years steps':18s} {total:6.2f} s  (cpu {total_cpu:5.2f} s)")


if __name__ == "__main__":
    main()
