"""Disclosure control: primary rules, complementary suppression, and an attack on the totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.disclosure.protect import protect
from pipeline.disclosure.rules import load_rules
from pipeline.disclosure.secondary import derivable_cells, margin_equations
from pipeline.disclosure.tabulate import TOTAL_LABEL, tabulate
from tests.conftest import SHIPPED_CONFIG

RULES = load_rules(path=SHIPPED_CONFIG / "disclosure.yaml")


def _firms(spec: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"firm_key": f"f{i}", "complex": c, "sector": s, "revenue": v} for i, (c, s, v) in enumerate(spec)]
    )


def _recover(published: pd.DataFrame) -> dict[tuple[int, int], float]:
    """The attacker: treat every suppressed cell as unknown, write the row and column sum
    equations with the published numbers, and return each unknown that the system fixes."""
    values = published.to_numpy()
    n_r, n_c = values.shape
    unknown = [(r, c) for r in range(n_r) for c in range(n_c) if values[r, c] == RULES.symbol]
    num = lambda v: 0.0 if v == RULES.empty_symbol else float(v)  # noqa: E731
    lines = [[(r, c) for r in range(n_r - 1)] + [(n_r - 1, c)] for c in range(n_c)]
    lines += [[(r, c) for c in range(n_c - 1)] + [(r, n_c - 1)] for r in range(n_r)]
    a_rows, b = [], []
    for line in lines:
        coef = {cell: (-1.0 if cell == line[-1] else 1.0) for cell in line}
        row = [coef.get(u, 0.0) for u in unknown]
        if any(row):
            a_rows.append(row)
            b.append(-sum(k * num(values[cell]) for cell, k in coef.items() if cell not in unknown))
    a, b = np.array(a_rows), np.array(b)
    solution, *_ = np.linalg.lstsq(a, b, rcond=None)
    null = np.linalg.svd(a)[2][np.linalg.matrix_rank(a):]  # directions the system leaves free
    return {u: solution[i] for i, u in enumerate(unknown) if np.allclose(null[:, i], 0.0)}


def _cross_table():
    # 단지A x 업종C has one firm (count rule), 단지B x 업종D has a dominant firm.
    spec = [("A", "C", 50.0)]
    spec += [("A", "D", v) for v in (10, 12, 14)]
    spec += [("A", "E", v) for v in (20, 21, 22, 23)]
    spec += [("B", "C", v) for v in (30, 31, 32)]
    spec += [("B", "D", v) for v in (900, 5, 5, 5)]
    spec += [("B", "E", v) for v in (40, 41, 42)]
    spec += [("C", "C", v) for v in (7, 8, 9)]
    spec += [("C", "D", v) for v in (11, 12, 13)]
    spec += [("C", "E", v) for v in (15, 16, 17)]
    return _firms(spec)


def test_single_firm_and_dominated_cells_are_suppressed_and_marked():
    tab = tabulate(_cross_table(), "complex", "sector", "revenue")
    out = protect(tab, RULES)
    assert out.published.loc["A", "C"] == RULES.symbol  # one firm
    assert out.published.loc["B", "D"] == RULES.symbol  # 905 of 915 from the two largest
    assert out.primary.loc["A", "C"] and out.primary.loc["B", "D"]
    assert not out.primary.loc["C", "E"]
    # every row and column holding a suppression holds at least two
    s = out.suppressed.to_numpy()
    for line in list(s) + list(s.T):
        assert line.sum() != 1


def test_suppressed_values_cannot_be_recovered_from_published_totals():
    out = protect(tabulate(_cross_table(), "complex", "sector", "revenue"), RULES)
    assert out.n_suppressed >= 4
    assert _recover(out.published) == {}


def test_attack_succeeds_without_complementary_suppression():
    # The attacker is real: with only the primary cells hidden it recovers them exactly.
    tab = tabulate(_cross_table(), "complex", "sector", "revenue")
    out = protect(tab, RULES)
    naive = tab.value.astype("object").copy()
    naive[out.primary] = RULES.symbol
    recovered = _recover(naive)
    assert recovered[(0, 0)] == pytest.approx(50.0)


def test_counts_table_and_margins():
    frame = _cross_table()
    out = protect(tabulate(frame, "complex", "sector"), RULES)
    assert out.published.loc[TOTAL_LABEL, TOTAL_LABEL] == len(frame)
    assert out.published.loc["A", "C"] == RULES.symbol
    assert _recover(out.published) == {}


def test_rank_audit_finds_patterns_the_two_per_line_rule_misses():
    # A 3x3 body with margins. Hiding the rectangle (0,0),(0,1),(1,0),(1,1) leaves one free
    # direction, so nothing is derivable.
    eqs = margin_equations(4, 4, True)
    hidden = np.zeros(16, dtype=bool)
    hidden[[0, 1, 4, 5]] = True
    assert derivable_cells(eqs, hidden, np.arange(16, dtype=float) + 1) == []
    # Hiding a whole row (cells and total) satisfies "two per line", yet each column equation
    # still fixes its one hidden cell: only the audit catches this.
    hidden = np.zeros(16, dtype=bool)
    hidden[[0, 1, 2, 3]] = True
    assert set(derivable_cells(eqs, hidden, np.arange(16, dtype=float) + 1)) == {0, 1, 2, 3}


def test_one_way_table_hides_a_second_cell_against_the_total():
    frame = _firms([("A", "C", 5.0)] + [("A", "D", v) for v in (1, 2, 3)] + [("A", "E", v) for v in (4, 5, 6, 7)])
    out = protect(tabulate(frame, "sector", None, "revenue"), RULES)
    col = out.published.iloc[:, 0]
    assert col["C"] == RULES.symbol and (col == RULES.symbol).sum() == 2
    assert col["D"] == RULES.symbol  # the smallest complement (6 < 22)
    assert col[TOTAL_LABEL] == pytest.approx(33.0)


def test_zero_valued_hidden_cells_are_not_left_revealed():
    # two single-firm cells in one column whose values are both 0: their sum 0 reveals both.
    frame = _firms(
        [("A", "C", 0.0), ("B", "C", 0.0)] + [("C", "C", v) for v in (3, 4, 5)]
        + [(x, "D", v) for x in "ABC" for v in (6, 7, 8)]
    )
    out = protect(tabulate(frame, "complex", "sector", "revenue"), RULES)
    assert out.suppressed.to_numpy().sum() >= 3
    assert out.published.loc["C", "C"] == RULES.symbol or out.published.loc[TOTAL_LABEL, "C"] == RULES.symbol
