"""A throw-away project per test module, with the test layouts of this folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SHARED_REFERENCE

HERE = Path(__file__).parent
REGISTER = SHARED_REFERENCE / "registers" / "seongnam_factory_registry_2023.csv"


def make(root: Path, layouts: tuple[str, ...] = (), drop_shipped: bool = False):
    from pipeline.settings import load_settings, make_project

    settings = load_settings(make_project(root, SHARED_REFERENCE))
    if drop_shipped:
        # The shipped Seongnam layout would also match the variant's headers.
        (settings.layouts_dir / "seongnam_factory_registry.yaml").unlink()
    for name in layouts:
        shutil.copy(HERE / name, settings.layouts_dir / name)
    return load_settings(settings.source)


def write_csv(path: Path, rows: list[dict]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return pd.read_csv(REGISTER, dtype=str, keep_default_na=False)
