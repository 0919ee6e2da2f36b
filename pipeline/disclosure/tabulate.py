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


class _Cells:
    """The cells of one grouping (keys x firm) of the rows, shared by every measure tabulated
    on it: which firm-in-cell each row adds to, and which cell each firm-in-cell is.

    Keys are integer codes ordered like their labels, folded with the firm into one integer."""

    def __init__(self, keys: list[np.ndarray], firms: np.ndarray, by_firm: np.ndarray):
        """`by_firm`: the rows in firm order (a stable argsort of `firms`), shared by every
        grouping of a table: each grouping then sorts only its few cells (a radix sort)."""
        self.sizes = [int(k.max()) + 1 if len(k) else 1 for k in keys]
        cell = np.zeros(len(firms), dtype=np.int64)
        for k, size in zip(keys, self.sizes, strict=True):
            cell = cell * size + k
        self.n_firm_codes = int(firms.max()) + 1 if len(firms) else 1
        self.combined = cell * self.n_firm_codes + firms
        # rows ordered by (cell, firm), i.e. by `combined`: what np.unique would sort, found as
        # a stable sort of the cells over the firm order
        cells_by_firm = cell[by_firm]
        if len(cell) and int(cell.max()) < 2**16:
            cells_by_firm = cells_by_firm.astype(np.uint16)
        order = by_firm[np.argsort(cells_by_firm, kind="stable")]
        ordered = self.combined[order]
        new_pair = np.ones(len(ordered), dtype=bool)
        new_pair[1:] = ordered[1:] != ordered[:-1]
        pairs = ordered[new_pair]
        self.inverse = np.empty(len(ordered), dtype=np.int64)  # firm-in-cell of each row
        self.inverse[order] = np.cumsum(new_pair) - 1
        self.n_pairs = len(pairs)
        self.firm_cell = pairs // self.n_firm_codes  # sorted, as the pairs are
        new_cell = np.ones(len(self.firm_cell), dtype=bool)
        new_cell[1:] = self.firm_cell[1:] != self.firm_cell[:-1]
        self.cells, self.firm_index = self.firm_cell[new_cell], np.cumsum(new_cell) - 1
        self.n_firms = np.bincount(self.firm_index, minlength=len(self.cells))

    def codes(self) -> list[np.ndarray]:
        """Each key's code of every cell."""
        arrays, rest = [], self.cells
        for size in reversed(self.sizes):
            arrays.append(rest % size)
            rest = rest // size
        return arrays[::-1]


def _cell_stats(cells: _Cells, values: np.ndarray | None, n: int, exact: bool = False) -> dict[str, np.ndarray]:
    """{value, n_firms, top_sum} per non-empty cell, in the order of their codes. A firm's
    contributions in a cell are summed first, since the dominance rule is about respondents,
    not rows.

    `exact`: every value and partial sum is a whole number a float holds exactly, so any order
    of addition gives the same float and numpy may add. Otherwise pandas adds each group in
    row order (compensated), as grouping by the labels and the firm did: same floats."""
    if values is None:
        firm_values = np.ones(cells.n_pairs)
        value = np.bincount(cells.firm_index, weights=firm_values, minlength=len(cells.cells))
    elif exact:
        firm_values = np.bincount(cells.inverse, weights=values, minlength=cells.n_pairs)
        value = np.bincount(cells.firm_index, weights=firm_values, minlength=len(cells.cells))
    else:
        firm_values = pd.Series(values, dtype="float64").groupby(cells.combined, sort=True).sum().to_numpy()
        value = pd.Series(firm_values).groupby(cells.firm_cell, sort=True).sum().to_numpy()
    if values is None:  # every firm counts 1: its n largest sum to min(firms, n), a whole number, exact
        top_sum = np.minimum(cells.n_firms, max(n, 0)).astype("float64")
    else:
        top_sum = _top_sums(cells.firm_index, firm_values, len(cells.cells), n)
    return {"value": value, "n_firms": cells.n_firms.astype("float64"), "top_sum": top_sum}


def _whole_and_small(values: np.ndarray | None) -> bool:
    """True when the values are whole numbers whose absolute sum stays below 2**53: every
    partial sum is then exact, whatever the order of addition."""
    if values is None:
        return True
    return bool(np.all(np.isfinite(values)) and np.all(values == np.round(values)) and np.abs(values).sum() < 2.0**53)


def _top_sums(cell: np.ndarray, values: np.ndarray, n_cells: int, n: int) -> np.ndarray:
    """Per cell, the sum of its `n` largest absolute firm values, for all cells at once (a
    Python call per cell was most of a report's tabulation time). Added largest first, one
    rank at a time, which is the order numpy sums a sorted slice of fewer than 8 values in, so
    the result is the same float as sorting each cell on its own."""
    magnitude = np.abs(values)
    if 0 < n < 8 and len(cell) and np.all(cell[:-1] <= cell[1:]):
        return _top_sums_grouped(cell, magnitude, n_cells, n)
    # by cell, largest first within a cell: two argsorts (the second stable, a radix sort on the
    # integer cells) are several times faster than lexsort; equal magnitudes may swap, same sums
    by_size = np.argsort(-magnitude)
    order = by_size[np.argsort(cell[by_size], kind="stable")]
    cell, magnitude = cell[order], magnitude[order]
    starts = np.searchsorted(cell, np.arange(n_cells))
    rank = np.arange(len(cell)) - starts[cell]
    top = np.zeros((n_cells, max(n, 0)))
    keep = rank < n
    top[cell[keep], rank[keep]] = magnitude[keep]
    if n >= 8:  # numpy sums 8 or more values pairwise: sum each cell's slice as numpy would
        return np.array([float(np.sort(magnitude[cell == c])[::-1][:n].sum()) for c in range(n_cells)])
    total = np.zeros(n_cells)
    for r in range(n):
        total = total + top[:, r]
    return total


def _top_sums_grouped(cell: np.ndarray, magnitude: np.ndarray, n_cells: int, n: int) -> np.ndarray:
    """_top_sums() when the rows come grouped by cell (as _Cells gives them) and every cell has
    one: the largest value of each cell taken out `n` times (no sort), added in the same order,
    rank by rank, so the same floats."""
    starts = np.searchsorted(cell, np.arange(n_cells))
    counts = np.diff(np.append(starts, len(cell)))
    left, position = magnitude.astype("float64", copy=True), np.arange(len(cell))
    total = np.zeros(n_cells)
    for _ in range(n):
        top = np.maximum.reduceat(left, starts)
        total = total + np.maximum(top, 0.0)  # -1: the cell has no value of this rank, adds 0 as before
        first = np.minimum.reduceat(np.where(left == np.repeat(top, counts), position, len(cell)), starts)
        left[first] = -1.0  # magnitudes are >= 0: taken out
    return total


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
    return tabulate_measures(frame, rows, cols, [measure], firm_key, dominance_n, row_order, col_order, missing_label,
                             col_missing_label)[0]


def tabulate_measures(
    frame: pd.DataFrame,
    rows: str,
    cols: str | None,
    measures: list[str | None],
    firm_key: str = "firm_key",
    dominance_n: int = 2,
    row_order: list | None = None,
    col_order: list | None = None,
    missing_label: str = "미상",
    col_missing_label: str = "미상",
) -> list[Tabulation]:
    """tabulate() of each of `measures` on the same rows and columns: the categories, firms and
    cells are worked out once (a report tabulates three or four measures per breakdown)."""
    # One sort per key, then integer grouping: codes sorted like the labels. Labels are made
    # from the distinct values only (a column of 10,000 strings is converted ~130 times a report).
    codes, labels = {}, {}
    for c, label in [(rows, missing_label)] + ([(cols, col_missing_label)] if cols else []):
        codes[c], labels[c] = _label_codes(frame[c], label)
    cols_ = cols or "_all"
    if not cols:
        codes[cols_], labels[cols_] = np.zeros(len(frame), dtype=np.int64), np.array([TOTAL_LABEL], dtype=object)
    firms = _firm_codes(frame[firm_key])
    r_labels = _ordered(labels[rows][np.unique(codes[rows])], row_order, missing_label)
    c_labels = _ordered(labels[cols_][np.unique(codes[cols_])], col_order, col_missing_label)
    # The tables filled as arrays (cells, then the total column and row), each cell placed by
    # its key codes: cheaper than unstacking, or indexing by the labels, ~130 times a report.
    r_at, c_at = _positions(labels[rows], r_labels), _positions(labels[cols_], c_labels)
    shape = (len(r_labels) + 1, len(c_labels) + (1 if cols else 0))
    by_firm = np.argsort(firms, kind="stable")
    inner = _Cells([codes[rows], codes[cols_]], firms, by_firm)
    margins = (_Cells([codes[rows]], firms, by_firm), _Cells([codes[cols_]], firms, by_firm)) if cols else None
    grand = _Cells([np.zeros(len(frame), dtype=np.int64)], firms, by_firm)
    inner_r, inner_c = inner.codes()
    (row_r,), (col_c,) = (margins[0].codes(), margins[1].codes()) if margins else ((None,), (None,))
    index = pd.Index([*r_labels, TOTAL_LABEL], name=rows)
    columns = pd.Index([*c_labels, TOTAL_LABEL] if cols else c_labels, name=cols)
    out = []
    for measure in measures:
        values = frame[measure].astype("float64").fillna(0.0).to_numpy() if measure else None
        exact = _whole_and_small(values)
        tables = {stat: np.zeros(shape) for stat in ("value", "n_firms", "top_sum")}
        stats = _cell_stats(inner, values, dominance_n, exact)
        for stat, t in tables.items():
            t[r_at[inner_r], c_at[inner_c]] = stats[stat]
        if margins:  # a one-way table's only column is its total
            row_tot = _cell_stats(margins[0], values, dominance_n, exact)
            col_tot = _cell_stats(margins[1], values, dominance_n, exact)
            for stat, t in tables.items():
                t[r_at[row_r], len(c_labels)] = row_tot[stat]
                t[len(r_labels), c_at[col_c]] = col_tot[stat]
        total = _cell_stats(grand, values, dominance_n, exact)
        for stat, t in tables.items():
            t[len(r_labels), -1] = total[stat][0]
        frames = {stat: pd.DataFrame(t, index=index, columns=columns) for stat, t in tables.items()}
        out.append(Tabulation(frames["value"], frames["n_firms"], frames["top_sum"], measure is not None, bool(cols)))
    return out


def _firm_codes(keys: pd.Series) -> np.ndarray:
    """Integer codes ordered like the firm keys (a missing key is a firm, last). Keys that are
    already small non-negative integers (the report's) serve as their own codes: the same
    groups in the same order, without a sort per table."""
    raw = keys.to_numpy()
    if raw.dtype.kind in "iu" and len(raw) and raw.min() >= 0 and raw.max() < 2**31:
        return raw.astype(np.int64, copy=False)
    return pd.factorize(keys, sort=True, use_na_sentinel=False)[0]


def _label_codes(column: pd.Series, missing: str) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, labels): each value as text, a missing one as `missing`; codes follow the
    labels' sorted order."""
    raw, uniques = pd.factorize(column)  # missing values get -1
    text = [str(u) for u in pd.Series(uniques).astype("object")] + [missing]
    label_codes, labels = pd.factorize(np.array(text, dtype=object), sort=True)
    return label_codes[raw], np.asarray(labels, dtype=object)  # raw -1 picks the last: missing


def _positions(labels: np.ndarray, ordered: list) -> np.ndarray:
    """For each label code, the position of its label in `ordered` (-1 when not shown)."""
    at = {label: i for i, label in enumerate(ordered)}
    return np.array([at.get(str(label), -1) for label in labels], dtype=np.int64)


def _ordered(found, preferred: list | None, missing: str) -> list:
    found = [str(x) for x in found]
    first = [str(x) for x in preferred or [] if str(x) in found]
    return first + sorted((x for x in found if x not in first), key=lambda x: (x == missing, x))
