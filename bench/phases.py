"""The yearly load as the Dagster assets run it, phase by phase, timed, into a scratch project."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from pipeline.collector import collector_tuned_for_a_run
from pipeline.load import read_year_file
from pipeline.settings import load_settings, make_project
from pipeline.stage import stage
from pipeline.yearly import curate_year


def scratch_settings(root: Path):
    return load_settings(make_project(root, load_settings().reference_dir))


def run_phases(path: Path, year: int) -> dict:
    phases: dict[str, float] = {}
    # The collector as `census run` sets it for each of its runs (pipeline/collector.py): a
    # process tactic, not Dagster's overhead, so both paths of the comparison have it.
    with collector_tuned_for_a_run(), tempfile.TemporaryDirectory() as d:
        settings = scratch_settings(Path(d))
        start = t = time.perf_counter()
        raw = read_year_file(path, settings)
        phases["read"] = time.perf_counter() - t
        t = time.perf_counter()
        # As in the Dagster run, each step holds only its own inputs: the raw table is let go
        # after staging, and the staged rows are handed to curate_year, which lets them go
        # once validated.
        staged = [stage(raw, year, raw.layout.ksic_revision or settings.ksic_revision_for_year(year), settings.columns_path)]
        del raw
        phases["stage"] = time.perf_counter() - t
        rows = staged[0].raw_rows
        curate_year(staged.pop(), settings, timings=phases)
        total = time.perf_counter() - start
    return {"seconds": total, "rows": rows, "phases": phases}
