"""Bad input never crashes classification: it yields empty classification values with a reason."""

import pandas as pd

from pipeline.classify import classify_firm_years
from pipeline.classify.address import parse_address, sido_aliases


def test_empty_frame_gets_every_column(settings):
    full = classify_firm_years(pd.DataFrame({"record_id": pd.array(["x"], dtype="str"), "census_year": pd.array([2025], dtype="Int64"),
                                             "ksic_revision": pd.array([11], dtype="Int64"), "ksic_code": pd.array(["29293"], dtype="str")}), settings)
    empty = classify_firm_years(full.iloc[:0][["record_id", "census_year", "ksic_revision", "ksic_code"]], settings)
    assert len(empty) == 0 and list(empty.columns) == list(full.columns)


def test_garbage_values_and_missing_columns(settings):
    frame = pd.DataFrame({
        "record_id": ["a", "b", "c", "d"],
        "census_year": pd.array([2025, 2025, None, 2025], dtype="Int64"),
        "ksic_revision": pd.array([11, None, 11, 7], dtype="Int64"),
        "ksic_code": pd.array(["제조", "29293", "29293", "29293"], dtype="str"),
        "address": pd.array(["???", "123", None, "경기도"], dtype="str"),
        "revenue_mil_krw": [float("nan"), -5.0, 100.0, 1e12],
    })
    out = classify_firm_years(frame, settings)
    assert out["ksic_issue"].tolist()[:2] == ["missing", "missing"]     # unreadable code; no revision
    assert out["size_rule"].tolist()[2] == "no_table_in_force"           # no census year, no reference date
    assert out["ksic_issue"].iloc[3] == "unsupported_revision"           # a revision without reference tables
    assert out["complex_source"].tolist() == ["none"] * 4
    assert out["addr_sido"].tolist()[3] == "경기도"


def test_address_without_numbers_or_parts(settings):
    sido = sido_aliases(settings.config_dir / "classification/address.yaml")
    assert parse_address("경기도 시흥시", sido)["addr_sigungu"] == "시흥시"
    assert parse_address("  ", sido)["addr_form"] is None
    assert parse_address("(정왕동)", sido)["addr_dong"] is None
