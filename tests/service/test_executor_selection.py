"""Where steps run: in the run's processes unless the deployment sets CENSUS_EXECUTOR=celery."""

import dagster as dg
import pytest

from assets.executor import census_executor


def test_steps_stay_in_the_run_unless_celery_is_chosen():
    assert census_executor({}) is None
    assert census_executor({"CENSUS_EXECUTOR": "default"}) is None
    celery = census_executor({"CENSUS_EXECUTOR": "celery"})
    assert celery is not None and celery.name == "celery"


def test_an_unknown_executor_is_named_in_the_message():
    with pytest.raises(dg.DagsterInvariantViolationError, match="'kubernetes'.*default \\| celery"):
        census_executor({"CENSUS_EXECUTOR": "kubernetes"})
