"""Primary suppression: which cells are sensitive in themselves."""

from __future__ import annotations

import numpy as np

from pipeline.disclosure.rules import DisclosureRules
from pipeline.disclosure.tabulate import Tabulation


def primary_mask(tab: Tabulation, rules: DisclosureRules) -> np.ndarray:
    """True where a cell describes 1..min_firms-1 firms, or (magnitudes only) where its
    dominance_n largest firms exceed dominance_k_pct of the cell total. Empty cells (no firm)
    reveal nobody and are not sensitive."""
    n = tab.n_firms.to_numpy()
    few = (n > 0) & (n < rules.min_firms)
    if not tab.magnitude:
        return few
    total = np.abs(tab.value.to_numpy())
    top = tab.top_sum.to_numpy()
    # abs(): the rule is about how much of the cell one firm's answer explains; a cell that
    # sums to zero from non-zero answers is dominated as well.
    dominated = (n > 0) & (top > rules.dominance_k_pct / 100.0 * total) & (top > 0)
    return few | dominated
