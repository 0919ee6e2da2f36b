"""Where a run's steps execute: in the run's own processes (Dagster's default), or on Celery
workers when the deployment sets CENSUS_EXECUTOR=celery (deploy/celery.yaml, the worker units).
A deployment choice like the instance, so it is read from the environment, not from config/."""

from collections.abc import Mapping

import dagster as dg


def census_executor(env: Mapping[str, str]) -> dg.ExecutorDefinition | None:
    name = env.get("CENSUS_EXECUTOR", "").strip() or "default"
    if name == "default":
        return None
    if name != "celery":
        raise dg.DagsterInvariantViolationError(
            f"CENSUS_EXECUTOR={name!r}: 알 수 없는 실행기 / unknown executor (default | celery)")
    from dagster_celery import celery_executor

    # The broker and backend are read when a run starts, from the same variables as the workers'.
    return celery_executor.configured({"broker": {"env": "CENSUS_CELERY_BROKER"},
                                       "backend": {"env": "CENSUS_CELERY_BACKEND"}})
