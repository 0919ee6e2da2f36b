"""Fixtures of the classification tests: one throw-away project for the whole session (the
official reference files are read in place from ../shared/reference)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.settings import make_project
from tests.conftest import SHARED_REFERENCE

SCENARIOS = Path(__file__).parent / "scenarios"
# Column dtypes of the curated frame (docs/architecture.md) for the scenario inputs.
TYPES = {"census_year": "Int64", "ksic_revision": "Int64", "employees_total": "Int64", "revenue_mil_krw": "float64",
         "assets_mil_krw": "float64"}


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    from pipeline.settings import load_settings

    return load_settings(make_project(tmp_path_factory.mktemp("classify") / "project", SHARED_REFERENCE))


def read_input(name: str) -> pd.DataFrame:
    frame = pd.read_csv(SCENARIOS / f"{name}_input.csv", dtype=str, keep_default_na=False)
    frame = frame.replace("", None)
    for column, dtype in TYPES.items():
        if column in frame:
            frame[column] = pd.to_numeric(frame[column]).astype(dtype)
    for column in frame.columns.difference(list(TYPES)):
        frame[column] = frame[column].astype("str")
    return frame


def read_expected(name: str) -> pd.DataFrame:
    return pd.read_csv(SCENARIOS / f"{name}_expected.csv", dtype=str, keep_default_na=False)


def as_text(series: pd.Series) -> list[str]:
    """Values as the expected CSV writes them: empty for missing, True/False, 12.5 / 1500.0 as is."""
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else str(v) for v in series.astype(object)]
