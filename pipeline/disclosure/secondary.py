"""Complementary (secondary) suppression: hide more cells until no suppressed cell can be
derived from the published cells and totals.

A table with margins is a set of linear equations (each row: cells sum to the row total; each
column: cells sum to the column total). Two steps, repeated to a fixed point:
1. every equation holding a suppressed cell must hold at least two (else subtraction reveals
   it): add the unsuppressed cell with the smallest value in that equation;
2. audit with linear algebra: a suppressed cell is still derivable when its unit vector lies in
   the row space of the equations restricted to suppressed cells, or when the suppressed cells
   of one equation sum to zero (values are non-negative, so each is zero). Such a cell gets
   one more complement in one of its equations.
"""

from __future__ import annotations

import numpy as np

Equation = list[tuple[int, int]]  # (flat cell index, coefficient) with sum(coef * x) == 0


def margin_equations(n_rows: int, n_cols: int, has_columns: bool) -> list[Equation]:
    """Equations of an (n_rows x n_cols) table whose last row (and last column, for two-way
    tables) are totals. Cells are numbered row-major."""
    idx = lambda r, c: r * n_cols + c  # noqa: E731
    eqs: list[Equation] = []
    last_r, last_c = n_rows - 1, n_cols - 1
    for c in range(n_cols):  # each column: body rows sum to the total row
        eqs.append([(idx(r, c), 1) for r in range(last_r)] + [(idx(last_r, c), -1)])
    if has_columns:
        for r in range(n_rows):  # each row: body columns sum to the total column
            eqs.append([(idx(r, c), 1) for c in range(last_c)] + [(idx(r, last_c), -1)])
    return eqs


def derivable_cells(eqs: list[Equation], suppressed: np.ndarray, values: np.ndarray) -> list[int]:
    """Suppressed cells a reader can compute exactly from the published cells."""
    unknown = np.flatnonzero(suppressed)
    if unknown.size == 0:
        return []
    pos = {cell: i for i, cell in enumerate(unknown)}
    rows = []
    found: set[int] = set()
    for eq in eqs:
        hidden = [(cell, coef) for cell, coef in eq if cell in pos]
        if not hidden:
            continue
        row = np.zeros(unknown.size)
        for cell, coef in hidden:
            row[pos[cell]] = coef
        rows.append(row)
        same_sign = len({coef for _, coef in hidden}) == 1
        if same_sign and np.isclose(sum(values[c] for c, _ in hidden), 0.0) and all(values[c] >= 0 for c, _ in hidden):
            found.update(c for c, _ in hidden)
    if not rows:
        return sorted(int(c) for c in unknown)
    a = np.vstack(rows)
    rank = np.linalg.matrix_rank(a)
    for cell, i in pos.items():
        unit = np.zeros(unknown.size)
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.add(int(cell))
    return sorted(int(c) for c in found)


def _cheapest(eq: Equation, suppressed: np.ndarray, values: np.ndarray, empty: np.ndarray, prefer_nonempty: bool):
    candidates = [cell for cell, _ in eq if not suppressed[cell]]
    if not candidates:
        return None
    # Smallest information loss first: non-empty before empty (a reader knows empty cells are 0),
    # then the smallest absolute value, then a stable order.
    return min(candidates, key=lambda c: (bool(empty[c]) and prefer_nonempty, abs(values[c]), c))


def complementary_suppression(
    eqs: list[Equation],
    primary: np.ndarray,
    values: np.ndarray,
    empty: np.ndarray,
    prefer_nonempty: bool = True,
    max_rounds: int = 1000,
) -> np.ndarray:
    """The final suppression pattern (primary cells plus complements), flat boolean array."""
    suppressed = primary.astype(bool).copy()
    for _ in range(max_rounds):
        changed = False
        for eq in eqs:
            if sum(suppressed[cell] for cell, _ in eq) == 1:
                pick = _cheapest(eq, suppressed, values, empty, prefer_nonempty)
                if pick is not None:
                    suppressed[pick] = True
                    changed = True
        if changed:
            continue
        exposed = derivable_cells(eqs, suppressed, values)
        if not exposed:
            return suppressed
        for cell in exposed:
            for eq in (e for e in eqs if any(c == cell for c, _ in e)):
                pick = _cheapest(eq, suppressed, values, empty, prefer_nonempty)
                if pick is not None:
                    suppressed[pick] = True
                    changed = True
                    break
            if changed:
                break
        if not changed:
            # Every equation around the exposed cell is fully hidden yet it is still derivable:
            # nothing more can be done short of hiding the whole table.
            suppressed[:] = suppressed | ~empty
            return suppressed
    raise RuntimeError("complementary suppression did not converge; raise secondary.max_rounds")
