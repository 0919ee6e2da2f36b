"""The OEM and anchor-supplier registry (config/oem_registry.yaml) as a lookup frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.config import read_config
from pipeline.config.files import cached_by_file
from pipeline.config.linkage_file import LinkageFile
from pipeline.config.names_file import RegistryFile
from pipeline.names import NameRules, canonical_key

REGISTRY_COLUMNS = ["key", "name", "chain", "role", "tier"]


@cached_by_file
def _registry_file(path: Path) -> RegistryFile:
    return read_config(Path(path), RegistryFile)


def load_registry(path: Path, rules: NameRules) -> pd.DataFrame:
    """One row per (matching key, registry entry): key, name, chain, role ('oem' | 'supplier'),
    tier (0 for an OEM). Every alias of an entry gives a row, so a customer name resolves by key.

    Raises ValueError when one key points at two entries of different tiers or chains: the
    registry must be unambiguous, and a silent pick would misplace whole chains. `rules`: the
    agency's name rules (load_name_rules of its company_aliases.yaml).
    """
    rows = []
    for chain, spec in _registry_file(path).chains.items():
        for role, entries in (("oem", spec.oems), ("supplier", spec.suppliers)):
            for entry in entries:
                tier = 0 if role == "oem" else int(entry.tier)
                for spelling in [entry.name, *entry.aliases]:
                    key = canonical_key(spelling, rules)
                    if key:
                        rows.append({"key": key, "name": entry.name, "chain": chain, "role": role, "tier": tier})
    frame = pd.DataFrame(rows, columns=REGISTRY_COLUMNS).drop_duplicates().reset_index(drop=True)
    clashes = frame.groupby("key")["name"].nunique()
    if (clashes > 1).any():
        raise ValueError(f"registry keys naming two entries: {sorted(clashes[clashes > 1].index)}")
    return frame


def registry_chains(path: Path) -> list[str]:
    """Chains in config order (the order breaks ties when choosing a firm's main chain)."""
    return list(_registry_file(path).chains)


def load_linkage_config(path: Path) -> dict:
    """config/linkage.yaml, checked, as a dict with every default filled in."""
    return read_config(Path(path), LinkageFile).model_dump()
