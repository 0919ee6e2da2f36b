"""Apply the disclosure rules to a tabulation and mark the suppressed cells for publication."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.disclosure.primary import primary_mask
from pipeline.disclosure.rules import DisclosureRules
from pipeline.disclosure.secondary import complementary_suppression, margin_equations
from pipeline.disclosure.tabulate import Tabulation


@dataclass(frozen=True)
class ProtectedTable:
    """`published` holds numbers, the suppression mark or the empty mark; `suppressed` and
    `primary` are boolean frames of the same shape."""

    published: pd.DataFrame
    suppressed: pd.DataFrame
    primary: pd.DataFrame
    tabulation: Tabulation

    @property
    def n_primary(self) -> int:
        return int(self.primary.to_numpy().sum())

    @property
    def n_suppressed(self) -> int:
        return int(self.suppressed.to_numpy().sum())


def protect(tab: Tabulation, rules: DisclosureRules, forced: pd.DataFrame | None = None) -> ProtectedTable:
    """`forced`: cells (True) that must be hidden because a linked table hides the same cell
    (e.g. a margin shared with another published table); they are protected like primaries."""
    values = tab.value.to_numpy()
    shape = values.shape
    primary = primary_mask(tab, rules)
    must = primary | (forced.reindex_like(tab.value).fillna(False).to_numpy(dtype=bool) if forced is not None else False)
    empty = tab.n_firms.to_numpy() == 0
    eqs = margin_equations(shape[0], shape[1], tab.has_columns)
    final = complementary_suppression(
        eqs, must.ravel(), values.ravel(), empty.ravel(), rules.prefer_nonempty, rules.max_rounds
    ).reshape(shape)
    published = values.astype(object)  # marks set on the array: a masked frame assignment costs ~10x more
    published[empty] = rules.empty_symbol
    published[final] = rules.symbol
    frame = lambda a: pd.DataFrame(a, index=tab.value.index, columns=tab.value.columns)  # noqa: E731
    return ProtectedTable(frame(published), frame(final), frame(primary), tab)
