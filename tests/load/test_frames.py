"""Dropping rows out of a large frame (totals, blank rows, rows in error) keeps every other row,
in order, with its values and types."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from pipeline.frames import rows_where


@pytest.fixture
def frame() -> pd.DataFrame:
    n = 2_000
    rng = np.random.default_rng(11)
    return pd.DataFrame({
        "firm_name": pd.array([None if i % 97 == 0 else f"(주)업체{i}" for i in range(n)], dtype="str"),
        "employees_total": pd.array([None if i % 89 == 0 else i % 300 for i in range(n)], dtype="Int64"),
        "revenue_mil_krw": rng.random(n) * 1e4,
        "is_sme": pd.array([i % 3 == 0 for i in range(n)], dtype="boolean"),
        "founded_date": pd.to_datetime("2000-01-01") + pd.to_timedelta(np.arange(n), unit="D"),
        "source_row": np.arange(5, n + 5),
    }, index=pd.RangeIndex(7, n + 7))


@pytest.mark.parametrize("dropped", [0, 3, 200, 1_999, 2_000])
def test_the_kept_rows_are_those_of_a_boolean_mask(frame, dropped):
    keep = np.ones(len(frame), dtype=bool)
    keep[np.random.default_rng(dropped).choice(len(frame), dropped, replace=False)] = False
    pdt.assert_frame_equal(rows_where(frame, keep), frame[keep].reset_index(drop=True))


def test_columns_of_the_same_name_keep_their_own_values(frame):
    doubled = pd.concat([frame[["firm_name"]], frame[["source_row"]].rename(columns={"source_row": "firm_name"})], axis=1)
    keep = np.arange(len(doubled)) % 7 != 0  # 286 runs: the column-by-column path
    kept = rows_where(doubled, keep)
    assert list(kept.columns) == ["firm_name", "firm_name"]
    assert kept.iloc[:, 1].tolist() == frame["source_row"][keep].tolist()
    assert kept.iloc[:, 0].tolist() == frame["firm_name"][keep].tolist()
