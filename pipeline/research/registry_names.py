"""Customer names that may reach researchers: only firms of the OEM registry
(config/oem_registry.yaml: OEMs and large suppliers outside the census, public knowledge).
Any other customer name can be a census firm's own name, which identifies that firm.
Names are matched the way the supply stage matches them (pipeline.names.canonical_key)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.names import NameRules, canonical_key, load_name_rules
from pipeline.supply.registry import load_registry


def registry_names(config_dir: Path) -> tuple[dict[str, str], NameRules]:
    """(matching key -> the registry's name, the name rules that make the keys)."""
    rules = load_name_rules(config_dir / "company_aliases.yaml")
    registry = load_registry(config_dir / "oem_registry.yaml", rules)
    return dict(zip(registry["key"], registry["name"], strict=True)), rules


def registered_only(series: pd.Series, registry: tuple[dict[str, str], NameRules],
                    memo: dict[str, str | None] | None = None) -> pd.Series:
    """The registry name where the value names a registry firm, else missing. `memo` keeps the
    answer of each name for the next column (customer names repeat across five columns)."""
    names, rules = registry
    memo = {} if memo is None else memo

    def lookup(v: object) -> str | None:
        if not isinstance(v, str):
            return None
        if v not in memo:
            memo[v] = names.get(canonical_key(v, rules))
        return memo[v]
    return series.map(lookup).astype("object")
