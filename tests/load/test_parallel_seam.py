"""The number of threads is the executor's choice (pipeline.parallel): results never depend on it."""

from __future__ import annotations

import pandas as pd

from pipeline import parallel
from pipeline.classify import classify_firm_years
from pipeline.load import stage_year_file
from pipeline.validation import validate_year
from tests.load.fixtures import TEST_LAYOUT, write_titled_xlsx


def _curated(settings, path):
    staged = stage_year_file(path, 2022, settings)
    validated = validate_year(staged, settings)
    return staged.frame, validated.quarantine, classify_firm_years(validated.frame, settings)


def test_one_thread_and_two_give_the_same_tables(project, tmp_path, monkeypatch):
    (project.layouts_dir / "test_contractor.yaml").write_text(TEST_LAYOUT, encoding="utf-8")
    path = write_titled_xlsx(tmp_path / "2022_census.xlsx", clean_firms=30)
    monkeypatch.setenv("CENSUS_THREADS", "1")
    assert parallel.threads() == 1
    one = _curated(project, path)
    monkeypatch.setenv("CENSUS_THREADS", "2")
    assert parallel.threads() == 2
    two = _curated(project, path)
    for a, b in zip(one, two, strict=True):
        pd.testing.assert_frame_equal(a, b)
