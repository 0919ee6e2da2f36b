"""Category collapsing before primary suppression: merge small categories of a breakdown so
that a key number is published rather than hidden as the complement of a tiny cell.

Example (the sample): 중견기업 has 2 firms. Hidden on its own, it forces a complement, and the
cheapest one is 중기업 (316 firms), so only 소기업 would be published. Merged as "중기업 이상"
(318 firms) nothing is sensitive and every row is published."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from pipeline.disclosure.primary import primary_mask
from pipeline.disclosure.rules import Collapse, DisclosureRules
from pipeline.disclosure.tabulate import TOTAL_LABEL, tabulate_measures


def map_distinct(column: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """`fn` of every value, called once per distinct value (a breakdown has tens of categories
    for thousands of rows); a missing value stays None. Object dtype, same index."""
    codes, uniques = pd.factorize(column.astype("object"))
    mapped = np.empty(len(uniques) + 1, dtype=object)  # filled, not np.array(list): a value may be a tuple
    mapped[:-1] = [fn(u) for u in uniques]
    return pd.Series(mapped[codes], index=column.index, dtype=object)  # code -1 (missing) picks the None


def relabel(column: pd.Series, mapping: dict) -> pd.Series:
    """Categories renamed by `mapping` (others as they are; missing stays None)."""
    return map_distinct(column, lambda v: mapping.get(v, v))


def sensitive_categories(frame: pd.DataFrame, column: str, measures: list[str | None], rules: DisclosureRules,
                         firm_key: str = "firm_key") -> set[str]:
    """Categories of `column` that fail a primary rule for any of `measures` (None = count)."""
    found: set[str] = set()
    for tab in tabulate_measures(frame, column, None, measures, firm_key=firm_key, dominance_n=rules.dominance_n):
        mask = primary_mask(tab, rules)[:, 0]
        found |= {str(c) for c, bad in zip(tab.value.index, mask, strict=True) if bad and c != TOTAL_LABEL}
    return found


def choose_collapse(frame: pd.DataFrame, column: str, measures: list[str | None], rules: DisclosureRules,
                    spec: Collapse | None, firm_key: str = "firm_key") -> dict[str, str]:
    """{category: published category} for the categories to merge (empty: publish as they are).

    Groupings are tried in order; a grouping applies when one of its members is sensitive on its
    own and the merged category is not. Then the categories still sensitive are pooled under
    `pool_small_as` if there are at least two of them and the pool is not sensitive."""
    if spec is None or frame.empty:
        return {}
    mapping: dict[str, str] = {}

    def relabelled(extra: dict[str, str]) -> pd.DataFrame:
        m = {**mapping, **extra}
        return frame.assign(**{column: relabel(frame[column], m)})

    present = {str(v) for v in frame[column].dropna().unique()}  # the distinct values only, as text
    sensitive = sensitive_categories(frame, column, measures, rules, firm_key)
    for group in spec.groups:
        members = [m for m in group.members if m in present and m not in mapping]
        if not members or not (set(members) & sensitive):
            continue
        trial = {m: group.label for m in members}
        if group.label not in sensitive_categories(relabelled(trial), column, measures, rules, firm_key):
            mapping.update(trial)
            sensitive = sensitive_categories(relabelled({}), column, measures, rules, firm_key)
    if spec.pool_small_as:
        small = sorted(c for c in sensitive if c in present or c in mapping.values())
        if len(small) >= 2:
            sources = {orig: spec.pool_small_as for orig in present if mapping.get(orig, orig) in small}
            trial = {**{k: spec.pool_small_as for k, v in mapping.items() if v in small}, **sources}
            if spec.pool_small_as not in sensitive_categories(relabelled(trial), column, measures, rules, firm_key):
                mapping.update(trial)
    return mapping
