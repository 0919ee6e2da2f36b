"""Golden scenarios: small input frames and the classification an analyst expects, column by column.

Each scenarios/<name>_input.csv is a curated frame (only the columns the scenario needs);
<name>_expected.csv lists, per record_id, the classification columns to check."""

import pytest

from pipeline.classify import classify_firm_years
from tests.classify.conftest import SCENARIOS, as_text, read_expected, read_input

NAMES = sorted(p.name.removesuffix("_input.csv") for p in SCENARIOS.glob("*_input.csv"))


@pytest.mark.parametrize("name", NAMES)
def test_scenario(name, settings):
    frame = read_input(name)
    expected = read_expected(name)
    result = classify_firm_years(frame, settings)
    assert list(result["record_id"]) == list(frame["record_id"]), "rows keep their order"
    assert result[frame.columns].equals(frame), "input columns are returned unchanged"
    result = result.set_index("record_id").loc[expected["record_id"]]
    mismatches = []
    for column in expected.columns.drop("record_id"):
        got = as_text(result[column])
        for rid, want, have in zip(expected["record_id"], expected[column], got, strict=True):
            if want != have:
                mismatches.append(f"{rid} {column}: expected {want!r}, got {have!r}")
    assert not mismatches, f"{name}:\n" + "\n".join(mismatches)
