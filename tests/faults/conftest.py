"""Fixtures of the fault tests (see faults_helpers.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.faults.faults_helpers import SHARED_REFERENCE, YEAR, run_census


@pytest.fixture(scope="session")
def loaded_template(tmp_path_factory) -> Path:
    """A project with one census year loaded by a real `census run` (made once)."""
    from census_sample import sample_command
    from pipeline.settings import make_project

    root = tmp_path_factory.mktemp("fault_template") / "project"
    make_project(root, SHARED_REFERENCE)
    raw = root / "data" / "raw"
    for year, path in sample_command(100, 20241231, raw).items():
        if year != YEAR:
            path.unlink()
    home = root / ".dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    result = run_census(root, "run")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def fault_project(loaded_template, tmp_path) -> Path:
    """A fresh copy of the loaded project for one test."""
    root = tmp_path / "project"
    shutil.copytree(loaded_template, root, symlinks=True)
    return root


