"""The 912 labelled addresses of the real Seongnam register (tests/places/address_labels_seongnam.csv)
parse to the 시도, 시군구 and 읍면동 they state, at least 99.5 % of them (issue 14.6)."""

import importlib.util
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
LABELS = REPO / "tests" / "places" / "address_labels_seongnam.csv"


def _bench():
    spec = importlib.util.spec_from_file_location("address_accuracy", REPO / "bench" / "address_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_register_addresses_parse_right():
    labels = pd.read_csv(LABELS, dtype=str, keep_default_na=False)
    assert len(labels) >= 200 and set(labels["form"]) == {"road", "jibun"}
    result = _bench().accuracy(labels)
    assert result["all_ok"].mean() >= 0.995, result.loc[~result["all_ok"], ["address", "got_emd", "emd"]].head().to_string()
    # A road address without a 참고항목 names no 동: none is invented.
    road = result[result["form"] == "road"]
    assert (road["got_emd"] == "").all()
