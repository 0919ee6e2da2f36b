"""A layout's column rules applied to the rows under a header: the canonical columns as text.

Most columns are one source column taken as it is (no per-value work, a million rows cost
nothing). The rest is vectorised pandas: first non-empty of several columns (`fallback`), the
sum of several columns (`sum_of`), source codes mapped to census values (`values`), and
constants. The result is text, like every other read column: typing, units and the change log
are the staging step's work."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.clean import STR

# What a count or amount cell may carry around its digits ("1,234", "12 명"); as pipeline.clean.
_NUMBER_NOISE = r"[,\s원명개사%]"


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


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype(str).str.strip() == "")


def first_non_empty(columns: list[pd.Series]) -> pd.Series:
    """Row by row, the first of `columns` that holds more than white space."""
    result = columns[0]
    for other in columns[1:]:
        blank = _blank(result)
        if not blank.any():
            break
        result = result.astype(object).where(~blank, other.astype(object))
    return result


def summed(columns: list[pd.Series]) -> pd.Series:
    """The sum of `columns` as text; empty where every one is empty. A row where a cell is
    neither empty nor a number keeps the cells joined with '+' ("12+가나"), so that staging
    reports the value it cannot read instead of a wrong total."""
    parsed, unreadable = [], np.zeros(len(columns[0]), dtype=bool)
    for col in columns:
        text = col.astype(object).where(~_blank(col), None)
        squeezed = text.astype("string").str.replace(_NUMBER_NOISE, "", regex=True).replace({"-": None, "": None})
        number = pd.to_numeric(squeezed, errors="coerce")
        unreadable |= (squeezed.notna() & number.isna()).to_numpy()
        parsed.append(number.astype("float64"))
    total = pd.concat(parsed, axis=1).sum(axis=1, min_count=1)
    whole = total.notna() & (total == total.round())
    text = pd.Series(None, index=total.index, dtype=object)
    text[whole] = total[whole].astype("int64").astype(str)
    text[total.notna() & ~whole] = total[total.notna() & ~whole].astype(str)
    if unreadable.any():
        raw = pd.concat([c.astype(object).where(~_blank(c), "") for c in columns], axis=1)
        text[unreadable] = raw[unreadable].astype(str).agg("+".join, axis=1)
    return text.astype(STR)


def mapped(values: pd.Series, value_map: dict[str, str]) -> pd.Series:
    """Values found in `value_map` (compared without surrounding spaces) replaced; others kept."""
    key = values.astype("string").str.strip()
    new = key.map(value_map)
    return values.astype(object).where(new.isna(), new.astype(object))
