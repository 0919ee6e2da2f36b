"""A published figure never depends on the order in which work ran: the 3-year revenue history of
the size class is a declared input, so loading 2024, 2023, 2022 gives the same curated tables,
byte for byte, as loading 2022, 2023, 2024. And the automation starts from what is loaded:
evaluating the Dagster automation after a load requests nothing until something changes, and a
reloaded year asks for the classification of the years after it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions
from assets.jobs import ALL_YEARS_JOB, CENSUS_LOAD_JOB, RECLASSIFY_JOB
from census_sample import ROSTER_DIR, write_sample
from pipeline.freshness import years_to_reclassify
from pipeline.settings import load_settings, make_project
from pipeline.storage import table_files, table_years
from tests.conftest import SHARED_REFERENCE

CURATED = ["firm_year", "quarantine", "validation_flag", "change_log", "supply_link", "supplier_tier",
           "firm", "firm_year_identity", "identity_review", "growth_stage", "programme_screening",
           "cluster_member", "cluster_year", "cluster_comparison", "firm_year_difficulty", "difficulty_review"]
YEARS = (2022, 2023, 2024)


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    write_sample(folder, 150, 7, YEARS)
    return folder


def _project(root: Path, deliveries: Path):
    settings = load_settings(make_project(root, SHARED_REFERENCE))
    for year in YEARS:
        src = next(deliveries.glob(f"{year}_*"))
        (settings.raw_dir / src.name).write_bytes(src.read_bytes())
    shutil.copytree(deliveries / ROSTER_DIR, settings.raw_dir / ROSTER_DIR)
    return settings


def _load_in_order(settings, order, instance):
    """What `census run --year Y` does for each year in turn (reports aside)."""
    defs = build_definitions(settings)
    for year in order:
        assert defs.resolve_job_def(CENSUS_LOAD_JOB).execute_in_process(partition_key=str(year), instance=instance).success
        for later in years_to_reclassify([year], table_years(settings, "firm_year")):
            assert defs.resolve_job_def(RECLASSIFY_JOB).execute_in_process(partition_key=str(later), instance=instance).success
    assert defs.resolve_job_def(ALL_YEARS_JOB).execute_in_process(instance=instance).success
    return defs


def _digests(settings) -> dict[str, str]:
    return {str(p.relative_to(settings.parquet_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
            for table in CURATED for p in table_files(settings, table)}


def test_the_order_of_the_loads_does_not_change_a_table(tmp_path, deliveries):
    forward = _project(tmp_path / "forward", deliveries)
    backward = _project(tmp_path / "backward", deliveries)
    _load_in_order(forward, YEARS, dg.DagsterInstance.ephemeral())
    _load_in_order(backward, tuple(reversed(YEARS)), dg.DagsterInstance.ephemeral())
    ahead = _digests(forward)
    assert len(ahead) == 6 * len(YEARS) + 10
    assert _digests(backward) == ahead
    # The history is really used: some 2024 firms are sized on a 3-year average.
    import pandas as pd

    basis = pd.read_parquet(forward.parquet_dir / "firm_year" / "census_year=2024" / "data.parquet", columns=["revenue_basis"])
    assert (basis["revenue_basis"] != "single_year").any()


def _evaluate(defs, instance, cursor=None):
    """The daemon's evaluation, in a thread of its own: it runs an event loop, and a browser test
    earlier in the session may have left one running in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(dg.evaluate_automation_conditions, defs=defs, instance=instance, cursor=cursor).result()


def test_automation_requests_nothing_after_a_load_and_reclassifies_after_a_reload(tmp_path, deliveries):
    settings = _project(tmp_path / "auto", deliveries)
    with dg.instance_for_test() as instance:
        defs = build_definitions(settings)
        # The daemon ran once on the empty project (the UI was open before the first load) ...
        first = _evaluate(defs, instance)
        assert first.total_requested == 0
        _load_in_order(settings, YEARS, instance)
        # ... and opening the UI after the loads starts no run: everything it would refresh was
        # refreshed by the same loads.
        after = _evaluate(defs, instance, first.cursor)
        requested = {(k.asset_key.to_user_string(), k.partition_key) for r in after.results for k in r.true_subset.expensively_compute_asset_partitions()}
        assert not {(a, p) for a, p in requested if a in ("firm_year", "census_database")}, requested
        # A corrected 2023 is loaded again: the years whose revenue history it is are due for
        # classification, the yearly automation says so.
        assert defs.resolve_job_def(CENSUS_LOAD_JOB).execute_in_process(partition_key="2023", instance=instance).success
        again = _evaluate(defs, instance, after.cursor)
        requested = {(k.asset_key.to_user_string(), k.partition_key) for r in again.results for k in r.true_subset.expensively_compute_asset_partitions()}
        assert ("firm_year", "2024") in requested and ("census_database", None) in requested
