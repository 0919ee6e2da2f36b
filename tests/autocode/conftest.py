"""The autocoder trained once per test session from the real reference folder (into a temporary
cache: trained models derived from the official files are never committed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
REFERENCE = (REPO.parent / "shared" / "reference").resolve()
CONFIG = REPO / "config" / "classification" / "autocode.yaml"
REGISTER = REFERENCE / "registers" / "seongnam_factory_registry_2023.csv"


@pytest.fixture(scope="session")
def autocode_config():
    from pipeline.ksic.autocode import load_autocode_config

    return load_autocode_config(CONFIG)


@pytest.fixture(scope="session")
def autocode_model(autocode_config, tmp_path_factory):
    from pipeline.ksic.autocode import AutocodeModel

    return AutocodeModel.load_or_train(REFERENCE, tmp_path_factory.mktemp("autocode-cache"), autocode_config)


@pytest.fixture(scope="session")
def register():
    return pd.read_csv(REGISTER, dtype=str, encoding="utf-8")
