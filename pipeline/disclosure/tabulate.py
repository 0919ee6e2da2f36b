"""Cross-tabulate firm-year microdata into a table with margins, keeping what the disclosure
rules need per cell: the number of firms and the sum of the largest contributions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TOTAL_LABEL = "계"


@dataclass(frozen=True)
class Tabulation:
    """Cells of a table, margins included (last row, and last column when there are columns).

    `value`, `n_firms` and `top_sum` share one index and columns. `top_sum` is the sum of the
    `dominance_n` largest firm contributions of the cell (for the dominance rule)."""

    value: pd.DataFrame
    n_firms: pd.DataFrame
    top_sum: pd.DataFrame
    magnitude: bool
    has_columns: bool


def _cell_stats(frame: pd.DataFrame, keys: list[str], firm_key: str, measure: str | None, n: int) -> pd.DataFrame:
    """One row per cell: value, n_firms, top_sum. A firm's contributions in a cell are summed
    first, since the dominance rule is about respondents, not rows."""
    work = frame[keys + [firm_key]].copy()
    work["_v"] = frame[measure].astype("float64").fillna(0.0) if measure else 1.0
    per_firm = work.groupby(keys + [firm_key], dropna=False, observed=True)["_v"].sum().reset_index()
    if not measure:
        per_firm["_v"] = 1.0
    grouped = per_firm.groupby(keys, dropna=False, observed=True)["_v"]
    out = pd.DataFrame({"value": grouped.sum(), "n_firms": grouped.size()})
    out["top_sum"] = grouped.apply(lambda s: float(np.sort(np.abs(s.to_numpy()))[::-1][:n].sum()))
    return out


def tabulate(
    frame: pd.DataFrame,
    rows: str,
    cols: str | None = None,
    measure: str | None = None,
    firm_key: str = "firm_key",
    dominance_n: int = 2,
    row_order: list | None = None,
    col_order: list | None = None,
    missing_label: str = "미상",
    col_missing_label: str = "미상",
) -> Tabulation:
    """Table of `measure` summed (or firms counted when measure is None) by `rows` x `cols`,
    with a total row and, for two-way tables, a total column. Missing classifications are
    shown as `missing_label` (a category of their own, last) so that the margins equal the sum
    of the cells."""
    data = frame[list(dict.fromkeys([rows, *([cols] if cols else []), *([measure] if measure else []), firm_key]))].copy()
    for c, label in [(rows, missing_label)] + ([(cols, col_missing_label)] if cols else []):
        data[c] = data[c].astype("object").where(data[c].notna(), label).astype(str)
    if not cols:
        data["_all"] = TOTAL_LABEL
        cols_ = "_all"
    else:
        cols_ = cols
    inner = _cell_stats(data, [rows, cols_], firm_key, measure, dominance_n)
    row_tot = _cell_stats(data, [rows], firm_key, measure, dominance_n)
    col_tot = _cell_stats(data.assign(_t=TOTAL_LABEL), [cols_], firm_key, measure, dominance_n)
    grand = _cell_stats(data.assign(_t=TOTAL_LABEL), ["_t"], firm_key, measure, dominance_n)

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
    return Tabulation(tables["value"], tables["n_firms"], tables["top_sum"], measure is not None, bool(cols))


def _ordered(found, preferred: list | None, missing: str) -> list:
    found = [str(x) for x in found]
    first = [str(x) for x in preferred or [] if str(x) in found]
    return first + sorted((x for x in found if x not in first), key=lambda x: (x == missing, x))
