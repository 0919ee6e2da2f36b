"""A layout's column rules applied to the rows under a header: the canonical columns as text.

Most columns are one source column taken as it is (no per-value work, a million rows cost
nothing). The rest is vectorised pandas: first non-empty of several columns (`fallback`), the
sum of several columns (`sum_of`), source codes mapped to census values (`values`), and
constants. The result is text, like every other read column: typing, units and the change log
are the staging step's work."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean import NUMBER, STR, null_where, text_array, to_str

# What a count or amount cell may carry around its digits ("1,234", "12 명"); as pipeline.clean.
_NUMBER_NOISE = r"[,\s원명개사%]"
_NUMBER = NUMBER


def layout_cells(body: pd.DataFrame, match) -> pd.DataFrame:
    """Canonical columns of `body` (the grid rows under the header, positional columns) as
    `match` (a pipeline.layouts.LayoutMatch) reads them; columns the file lacks are left out."""
    out: dict[str, pd.Series] = {}
    for spec in match.layout.columns:
        used = match.sources.get(spec.canonical)
        if used is None:
            continue
        if spec.kind == "constant":
            values = pd.Series(np.full(len(body), spec.constant, dtype=object), index=body.index, dtype=STR)
        elif spec.kind == "sum":
            values = summed([_column(body, p) for p in used])
        else:
            values = first_non_empty([_column(body, p) for p in used])
        if spec.values:
            values = mapped(values, dict(spec.values))
        out[spec.canonical] = values
    return pd.DataFrame(out, index=body.index)


def _column(body: pd.DataFrame, position: int) -> pd.Series:
    if position >= body.shape[1]:  # a header cell with no data under it anywhere in the sheet
        return pd.Series([None] * len(body), index=body.index, dtype=object)
    return body.iloc[:, position]


def _series(arr: pa.Array, index: pd.Index) -> pd.Series:
    """Arrow text as a str Series on `index` (placed by position, not aligned by label)."""
    return pd.Series(to_str(arr, pd.RangeIndex(len(arr))).array, index=index)


def _text(values: pd.Series) -> pa.Array:
    """The column as Arrow text with cells of only white space as missing."""
    arr = text_array(values.astype(object) if values.dtype != STR else values)
    return null_where(pc.equal(pc.utf8_trim_whitespace(arr), ""), arr)


def first_non_empty(columns: list[pd.Series]) -> pd.Series:
    """Row by row, the first of `columns` that holds more than white space."""
    if len(columns) == 1:
        return columns[0]
    return _series(pc.coalesce(*[_text(c) for c in columns]), columns[0].index)


def summed(columns: list[pd.Series]) -> pd.Series:
    """The sum of `columns` as text; empty where every one is empty. A row where a cell is
    neither empty nor a number keeps the cells joined with '+' ("12+가나"), so that staging
    reports the value it cannot read instead of a wrong total."""
    index = columns[0].index
    numbers, unreadable = [], np.zeros(len(index), dtype=bool)
    for col in columns:
        # Counts repeat: each distinct cell is read once and the values laid back on the rows.
        encoded = pc.dictionary_encode(_text(col))
        squeezed = pc.replace_substring_regex(encoded.dictionary, _NUMBER_NOISE, "")
        squeezed = null_where(pc.is_in(squeezed, value_set=pa.array(["", "-"], type=pa.large_string())), squeezed)
        readable = pc.fill_null(pc.match_substring_regex(squeezed, _NUMBER), False)
        value = pc.cast(null_where(pc.invert(readable), squeezed), pa.float64()).to_numpy(zero_copy_only=False)
        bad = pc.is_valid(squeezed).to_numpy(zero_copy_only=False) & ~readable.to_numpy(zero_copy_only=False)
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        known = codes >= 0
        number = np.full(len(codes), np.nan)
        number[known] = value[codes[known]]
        unreadable[known] |= bad[codes[known]]
        numbers.append(number)
    stacked = np.vstack(numbers)
    present = ~np.isnan(stacked).all(axis=0)
    total = np.where(present, np.nansum(stacked, axis=0), np.nan)
    whole = present & (total == np.round(total))
    as_int = pc.cast(pa.array(np.where(whole, total, 0).astype(np.int64)), pa.large_string())
    as_float = pc.cast(pa.array(total, from_pandas=True), pa.large_string())  # NaN -> missing
    text = pc.if_else(pa.array(whole), as_int, as_float)
    if unreadable.any():  # rare: the raw cells, for staging to report
        rows = np.flatnonzero(unreadable)
        raw = [[("" if pd.isna(v) else str(v)) for v in col.iloc[rows]] for col in columns]
        joined = pa.array(["+".join(parts) for parts in zip(*raw, strict=True)], type=pa.large_string())
        text = pc.replace_with_mask(text, pa.array(unreadable), joined)
    return _series(text, index)


def mapped(values: pd.Series, value_map: dict[str, str]) -> pd.Series:
    """Values found in `value_map` (compared without surrounding spaces) replaced; others kept."""
    arr = _text(values)
    keys = pa.array(list(value_map), type=pa.large_string())
    new = pc.take(pa.array(list(value_map.values()), type=pa.large_string()), pc.index_in(pc.utf8_trim_whitespace(arr), value_set=keys))
    return _series(pc.coalesce(new, arr), values.index)
