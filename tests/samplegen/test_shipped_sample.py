"""The files in data/raw/ are exactly what the generator makes with the documented seed, and
the truth points at the right rows of them."""

import time

import pytest

from census_sample import DEFAULT_YEARS, SAMPLE_FIRMS, SAMPLE_SEED, file_name, sample_truth, write_sample

from .conftest import RAW, read_cells


@pytest.mark.slow
def test_shipped_files_equal_a_fresh_generation(tmp_path, shipped):
    fresh = write_sample(tmp_path, SAMPLE_FIRMS, SAMPLE_SEED, DEFAULT_YEARS)
    for year, path in fresh.items():
        assert path.name == file_name(year) and (RAW / path.name).exists()
        assert read_cells(path) == shipped[year], f"{path.name} differs from a regeneration"


def test_sample_truth_is_fast_and_complete():
    start = time.perf_counter()
    truth = sample_truth()
    assert time.perf_counter() - start < 5
    assert set(truth) == {"records", "tiers", "firms", "trends", "figures", "difficulties", "members", "roster_records"}
    records = truth["records"]
    assert list(records.columns) == ["census_year", "source_row", "true_firm_id", "defect"]
    assert set(records["census_year"]) == set(DEFAULT_YEARS)
    for year in DEFAULT_YEARS:
        assert 3000 <= (records["census_year"] == year).sum() <= 4000
    assert records["defect"].isna().mean() > 0.95
    tiers = truth["tiers"]
    assert set(tiers["chain"]) == {"automotive", "electronics"} and tiers["true_tier"].min() == 1
    firms = truth["firms"]
    assert {"true_firm_id", "birth_year", "closure_year"} <= set(firms.columns)
    assert firms["true_firm_id"].is_unique and set(records["true_firm_id"]) <= set(firms["true_firm_id"])


def test_records_point_at_the_firm_rows_of_the_shipped_files(shipped):
    records = sample_truth()["records"]
    for year, cells in shipped.items():
        rec = records[records["census_year"] == year].sort_values("source_row")
        rows = set(rec["source_row"])
        first = int(rec["source_row"].min())
        data = {i + 1 for i, r in enumerate(cells) if i + 1 >= first and any(c is not None for c in r)}
        # Every non-empty row below the header is a record, except the trailing 합계 row.
        assert data - rows == {len(cells)} and cells[-1][0] == "합계"
        assert rows <= data
        by_row = dict(zip(rec["source_row"], rec["defect"], strict=True))
        for row, defect in by_row.items():
            values = cells[row - 1]
            if defect == "no_firm_name":
                assert values[1] is None
            elif defect == "duplicate_row":
                assert values[1:] == cells[row - 2][1:]
            else:
                assert values[1] is not None
        # The serial number (연번) counts the firm rows in order.
        assert [int(cells[r - 1][0]) for r in sorted(rows)] == list(range(1, len(rows) + 1))
