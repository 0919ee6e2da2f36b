"""Classifying each distinct input once. A census of a million firms has a few hundred KSIC
codes and a few dozen complex spellings: the per-code work runs on those, and the results are
laid back onto every row."""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import pandas as pd

from pipeline.frames import take_rows


def on_distinct(inputs: pd.DataFrame, compute: Callable[[pd.DataFrame], pd.DataFrame],
                categorical: Collection[str] = ()) -> pd.DataFrame:
    """compute(distinct rows of `inputs`, indexed 0..k-1) -> frame with one row per distinct
    row, returned expanded to `inputs`' rows and index. Missing values count as a value.

    The text columns named in `categorical` come back as pandas categoricals (same values, a
    missing value stays missing): each row then holds a small code instead of its own copy of
    the text. At a million firms the twenty KSIC label columns were 0.9 GB of copies."""
    if inputs.empty:
        return compute(inputs.reset_index(drop=True)).set_axis(inputs.index)
    group = inputs.groupby(list(inputs.columns), dropna=False, sort=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1]  # first row of each group, groups numbered 0..k-1
    distinct = inputs.iloc[first].reset_index(drop=True)
    results = compute(distinct)
    as_codes = [c for c in results.columns if c in categorical]
    expanded = take_rows(results.drop(columns=as_codes), group)
    if as_codes:
        for c in as_codes:
            expanded[c] = categories_on_rows(results[c], group)
        expanded = expanded[list(results.columns)]
    expanded.index = inputs.index
    return expanded


def categories_on_rows(values: pd.Series, rows: np.ndarray) -> pd.Categorical:
    """values.iloc[rows] as a categorical whose categories are the distinct values, in the
    order they first appear."""
    codes, categories = pd.factorize(values, use_na_sentinel=True)
    return pd.Categorical.from_codes(codes[rows], categories=pd.Index(categories, dtype=values.dtype))
