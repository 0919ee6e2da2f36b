"""The fast tabulation gives the same tables, float for float, as the former one (kept here as
the reference: a groupby per cell level and a Python sort per cell), on random data with ties,
negatives, fractions, missing categories and values, text firm keys and firms with several rows
in a cell. The disclosure rules compare these floats, so "close" is not enough."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.disclosure.tabulate import TOTAL_LABEL, _ordered, tabulate


def _reference_cell_stats(frame, keys, firm_key, measure, n):
    work = frame[keys + [firm_key]].copy()
    work["_v"] = frame[measure].astype("float64").fillna(0.0) if measure else 1.0
    per_firm = work.groupby(keys + [firm_key], dropna=False, observed=True)["_v"].sum().reset_index()
    if not measure:
        per_firm["_v"] = 1.0
    grouped = per_firm.groupby(keys, dropna=False, observed=True)["_v"]
    out = pd.DataFrame({"value": grouped.sum(), "n_firms": grouped.size()})
    out["top_sum"] = grouped.apply(lambda s: float(np.sort(np.abs(s.to_numpy()))[::-1][:n].sum()))
    return out


def _reference_tabulate(frame, rows, cols=None, measure=None, firm_key="firm_key", dominance_n=2, row_order=None,
                        col_order=None, missing_label="미상", col_missing_label="미상"):
    data = frame[list(dict.fromkeys([rows, *([cols] if cols else []), *([measure] if measure else []), firm_key]))].copy()
    for c, label in [(rows, missing_label)] + ([(cols, col_missing_label)] if cols else []):
        data[c] = data[c].astype("object").where(data[c].notna(), label).astype(str)
    if not cols:
        data["_all"] = TOTAL_LABEL
    cols_ = cols or "_all"
    inner = _reference_cell_stats(data, [rows, cols_], firm_key, measure, dominance_n)
    row_tot = _reference_cell_stats(data, [rows], firm_key, measure, dominance_n)
    col_tot = _reference_cell_stats(data.assign(_t=TOTAL_LABEL), [cols_], firm_key, measure, dominance_n)
    grand = _reference_cell_stats(data.assign(_t=TOTAL_LABEL), ["_t"], firm_key, measure, dominance_n)
    r_labels = _ordered(data[rows].unique(), row_order, missing_label)
    c_labels = _ordered(data[cols_].unique(), col_order, col_missing_label)
    tables = {}
    for stat in ("value", "n_firms", "top_sum"):
        t = inner[stat].unstack(cols_).reindex(index=r_labels, columns=c_labels).fillna(0.0)
        if cols:
            t[TOTAL_LABEL] = row_tot[stat].reindex(r_labels).fillna(0.0)
            bottom = list(col_tot[stat].reindex(c_labels).fillna(0.0)) + [grand[stat].iloc[0]]
        else:
            bottom = [grand[stat].iloc[0]]
        t.loc[TOTAL_LABEL] = bottom
        t.index.name, t.columns.name = rows, cols
        tables[stat] = t.astype("float64")
    return tables


def _random_frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(50, 3000))
    revenue = rng.lognormal(6, 2, size) * rng.choice([1, -1, 0], size, p=[0.9, 0.05, 0.05])
    if seed % 2:
        revenue = revenue.round()  # whole numbers, as most census amounts are
    revenue[rng.random(size) < 0.05] = np.nan
    revenue[:20] = 1234.5  # ties
    keys = rng.integers(0, max(2, size // 2), size)
    return pd.DataFrame({
        "firm_key": keys if seed % 3 else [f"F{k:05d}" for k in keys],
        "sector": rng.choice(["C", "G", "M", None], size, p=[0.6, 0.2, 0.19, 0.01]),
        "complex": rng.choice([f"단지{i}" for i in range(40)] + [None], size),  # many small cells
        "band": rng.choice([1, 2, 3], size),  # not text: shown as "1", "2", "3"
        "revenue": revenue,
    })


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("shape", [("sector", None, None), ("complex", None, "revenue"), ("complex", "sector", None),
                                   ("complex", "sector", "revenue"), ("band", "sector", "revenue")])
def test_tabulation_equals_the_former_one(seed, shape):
    frame = _random_frame(seed)
    for n in (1, 2, 3, 9):
        kw = {"dominance_n": n, "row_order": ["G", "단지3"], "col_order": ["M"], "missing_label": "미상",
              "col_missing_label": "없음"}
        new, old = tabulate(frame, *shape, **kw), _reference_tabulate(frame, *shape, **kw)
        for stat in ("value", "n_firms", "top_sum"):
            pd.testing.assert_frame_equal(getattr(new, stat), old[stat], check_exact=True)
            assert getattr(new, stat).index.dtype == old[stat].index.dtype
