"""Classifying each distinct input once. A census of a million firms has a few hundred KSIC
codes and a few dozen complex spellings: the per-code work runs on those, and the results are
laid back onto every row."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from pipeline.frames import take_rows


def on_distinct(inputs: pd.DataFrame, compute: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    """compute(distinct rows of `inputs`, indexed 0..k-1) -> frame with one row per distinct
    row, returned expanded to `inputs`' rows and index. Missing values count as a value."""
    if inputs.empty:
        return compute(inputs.reset_index(drop=True)).set_axis(inputs.index)
    group = inputs.groupby(list(inputs.columns), dropna=False, sort=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1]  # first row of each group, groups numbered 0..k-1
    distinct = inputs.iloc[first].reset_index(drop=True)
    # Laying the results back onto a million rows copies every value (long KSIC labels among them).
    expanded = take_rows(compute(distinct), group)
    expanded.index = inputs.index
    return expanded
