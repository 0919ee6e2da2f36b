"""The jobs `census run` executes in its own process, as Dagster rebuilds them by name
(dg.execute_job with a reconstructable job).

Why not `execute_in_process`: it keeps every step's output objects in memory until the run ends
(so that a test can ask for them), and the output of a large year's step is the whole year's
frame. At 1M firms that held the staged and the validated year alive through the classification
step, about 1.5 GB more peak memory than the same functions without Dagster. execute_job keeps
nothing: an output lives until the IO manager has written it.
"""

from functools import lru_cache
from pathlib import Path

import dagster as dg

from assets.definitions import build_definitions
from pipeline.collector import collector_tuned_for_a_run
from pipeline.load import config_fingerprint
from pipeline.settings import load_settings


def census_definitions(settings_path: str) -> dg.Definitions:
    """The project's definitions with every step in this process (whatever CENSUS_EXECUTOR says:
    `census run` is one analyst's command, not a deployment's workers). Built once per process
    and config state: the fingerprint is the assets' code version, so an edited config builds anew."""
    return _definitions(settings_path, config_fingerprint(load_settings(Path(settings_path))))


@lru_cache(maxsize=4)
def _definitions(settings_path: str, fingerprint: str) -> dg.Definitions:
    return build_definitions(load_settings(Path(settings_path)), executor=dg.in_process_executor)


def census_job(settings_path: str, job_name: str) -> dg.JobDefinition:
    return census_definitions(settings_path).resolve_job_def(job_name)


def reconstructable_job(settings_path: str, job_name: str):
    return dg.build_reconstructable_job(__name__, census_job.__name__, reconstructable_args=(settings_path, job_name))


def execute(settings_path: str, job_name: str, partition_key: str | None, instance: dg.DagsterInstance,
            run_config: dict | None = None, assets: list[str] | None = None) -> dg.JobExecutionResult:
    """One run of the job (for the partition; of some of its assets), in this process, on this
    (persistent) instance."""
    tags = {"dagster/partition": partition_key} if partition_key is not None else None
    selection = [dg.AssetKey(name) for name in assets] if assets else None
    with collector_tuned_for_a_run():
        return dg.execute_job(reconstructable_job(settings_path, job_name), instance=instance, run_config=run_config,
                              tags=tags, raise_on_error=False, asset_selection=selection)
