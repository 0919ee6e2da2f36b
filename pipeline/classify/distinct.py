"""Classifying each distinct input once. A census of a million firms has a few hundred KSIC
codes and a few dozen complex spellings: the per-code work runs on those, and the results are
laid back onto every row."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.clean import STR, text_array, to_str


def on_distinct(inputs: pd.DataFrame, compute: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    """compute(distinct rows of `inputs`, indexed 0..k-1) -> frame with one row per distinct
    row, returned expanded to `inputs`' rows and index. Missing values count as a value."""
    if inputs.empty:
        return compute(inputs.reset_index(drop=True)).set_axis(inputs.index)
    group = inputs.groupby(list(inputs.columns), dropna=False, sort=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1]  # first row of each group, groups numbered 0..k-1
    distinct = inputs.iloc[first].reset_index(drop=True)
    result = compute(distinct)
    # Laying the results back onto a million rows copies every value (long KSIC labels among
    # them). The copies release the GIL, so two columns go at a time.
    indices = pa.array(group.astype(np.int32))
    with ThreadPoolExecutor(max_workers=2) as pool:
        columns = list(pool.map(lambda name: _laid_back(result[name], group, indices), result.columns))
    expanded = pd.concat(columns, axis=1) if columns else result.iloc[group]
    expanded.index = inputs.index
    return expanded


def _laid_back(column: pd.Series, group: np.ndarray, indices: pa.Array) -> pd.Series:
    """`column`'s values at the positions `group` (== `indices`), indexed 0..n-1. Text goes
    through an Arrow dictionary: decoding one copies each value's bytes in one pass, about 25
    times faster than a take row by row (4.8 s of CPU at a million firms)."""
    if column.dtype == STR:
        laid = pa.DictionaryArray.from_arrays(indices, text_array(column)).cast(pa.large_string())
        return to_str(laid, pd.RangeIndex(len(group))).rename(column.name)
    return column.take(group).reset_index(drop=True)
