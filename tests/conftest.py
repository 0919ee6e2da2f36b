"""Shared fixtures: a throw-away project (config copied from the repository, its own data/ and
Dagster home) so that tests never touch the checkout's data/curated."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_REFERENCE = (REPO.parent / "shared" / "reference").resolve()
# The checkout's own config, for tests of the shipped files themselves (the pipeline reads an
# agency's config only through its Settings).
SHIPPED_CONFIG = REPO / "config"
SHIPPED_EXPECTATIONS = REPO / "expectations"


def pytest_configure(config):
    """Trained models are cached per machine (settings.model_cache_dir); a test run keeps its own
    folder, shared by its projects and the commands they start, and leaves the user's alone."""
    if "CENSUS_CACHE_DIR" not in os.environ:
        os.environ["CENSUS_CACHE_DIR"] = tempfile.mkdtemp(prefix="census-test-cache-")
    # The CLI's consoles are created at import and keep the width they saw then; without this a
    # message's wrapping depended on which test imported census_cli first (seen under xdist).
    os.environ.setdefault("COLUMNS", "200")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Settings of a fresh project in tmp_path (CENSUS_SETTINGS points at it)."""
    from pipeline.settings import load_settings, make_project

    settings_path = make_project(tmp_path / "project", SHARED_REFERENCE)
    monkeypatch.setenv("CENSUS_SETTINGS", str(settings_path))
    return load_settings(settings_path)
