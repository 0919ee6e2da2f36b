"""The autocoder trained once per test session from the real reference folder (into a temporary
cache: trained models derived from the official files are never committed)."""

from __future__ import annotations

import json
import shutil
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


DIVISIONS = ("14", "15", "27")


@pytest.fixture
def small_reference(tmp_path):
    """A reference folder of three divisions cut from the real files at test time: training takes a second."""
    ref = tmp_path / "reference"
    (ref / "ksic_text").mkdir(parents=True)
    (ref / "ksic").mkdir()
    src = REFERENCE / "ksic_text"
    keep = lambda code: str(code)[:2] in DIVISIONS  # noqa: E731
    index = [r for r in json.loads((src / "ksic-index.json").read_text(encoding="utf-8")) if keep(r["code"])]
    (ref / "ksic_text" / "ksic-index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    desc = {k: v for k, v in json.loads((src / "ksic-desc.json").read_text(encoding="utf-8")).items() if keep(k)}
    (ref / "ksic_text" / "ksic-desc.json").write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    links = [r for r in json.loads((src / "ksic-oldnew.json").read_text(encoding="utf-8")) if keep(r["new"])]
    (ref / "ksic_text" / "ksic-oldnew.json").write_text(json.dumps(links, ensure_ascii=False), encoding="utf-8")
    shutil.copy(src / "ksic-tree.json", ref / "ksic_text")
    shutil.copy(src / "KSIC_09.csv.gz", ref / "ksic_text")
    shutil.copy(REFERENCE / "ksic" / "KSIC_10th_9th_concordance.xlsx", ref / "ksic")
    return ref
