"""The vectorised tabulation gives the same floats as the per-cell computation it replaced, on
random data with ties, negatives, zero cells, one-firm cells and firms with several rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.disclosure.tabulate import tabulate


def _per_cell_top_sum(frame: pd.DataFrame, keys: list[str], measure: str | None, n: int) -> pd.Series:
    """The former implementation: a Python sort per cell."""
    work = frame[keys + ["firm_key"]].copy()
    work["_v"] = frame[measure].astype("float64").fillna(0.0) if measure else 1.0
    per_firm = work.groupby(keys + ["firm_key"], dropna=False, observed=True)["_v"].sum().reset_index()
    if not measure:
        per_firm["_v"] = 1.0
    return per_firm.groupby(keys, dropna=False, observed=True)["_v"].apply(
        lambda s: float(np.sort(np.abs(s.to_numpy()))[::-1][:n].sum()))


def _random_frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    size = 3000
    revenue = rng.lognormal(6, 2, size) * rng.choice([1, -1, 0], size, p=[0.9, 0.05, 0.05])
    revenue[rng.random(size) < 0.05] = np.nan
    revenue[:40] = 1234.5  # ties
    return pd.DataFrame({
        "firm_key": rng.integers(0, 1800, size),  # some firms have several rows in a cell
        "sector": rng.choice(["C", "G", "M", None], size, p=[0.6, 0.2, 0.19, 0.01]),
        "complex": rng.choice([f"단지{i}" for i in range(40)] + [None], size),  # many small cells
        "revenue": revenue.round(rng.integers(0, 3)),
    })


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("n", [1, 2, 3, 9])
def test_top_sums_equal_the_per_cell_sort(seed, n):
    frame = _random_frame(seed)
    tab = tabulate(frame, "complex", "sector", "revenue", dominance_n=n)
    expected = _per_cell_top_sum(frame.fillna({"complex": "미상", "sector": "미상"}), ["complex", "sector"], "revenue", n)
    for (r, c), v in expected.items():
        assert tab.top_sum.at[r, c] == v, (r, c)  # exact float equality: the dominance rule compares floats
    one_way = tabulate(frame, "complex", None, "revenue", dominance_n=n)
    expected = _per_cell_top_sum(frame.fillna({"complex": "미상"}), ["complex"], "revenue", n)
    for r, v in expected.items():
        assert one_way.top_sum.iat[list(one_way.top_sum.index).index(r), 0] == v, r
