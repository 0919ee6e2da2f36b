"""The OEM and anchor-supplier registry (config/oem_registry.yaml) as a lookup frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from pipeline.names import NameRules, canonical_key, load_name_rules
from pipeline.settings import PACKAGE_ROOT

REGISTRY_FILE = PACKAGE_ROOT / "config" / "oem_registry.yaml"
LINKAGE_FILE = PACKAGE_ROOT / "config" / "linkage.yaml"

REGISTRY_COLUMNS = ["key", "name", "chain", "role", "tier"]


def load_registry(path: Path = REGISTRY_FILE, rules: NameRules | None = None) -> pd.DataFrame:
    """One row per (matching key, registry entry): key, name, chain, role ('oem' | 'supplier'),
    tier (0 for an OEM). Every alias of an entry gives a row, so a customer name resolves by key.

    Raises ValueError when one key points at two entries of different tiers or chains: the
    registry must be unambiguous, and a silent pick would misplace whole chains.
    """
    rules = rules or load_name_rules()
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    rows = []
    for chain, spec in (raw.get("chains") or {}).items():
        for role, entries in (("oem", spec.get("oems") or []), ("supplier", spec.get("suppliers") or [])):
            for entry in entries:
                tier = 0 if role == "oem" else int(entry["tier"])
                for spelling in [entry["name"], *(entry.get("aliases") or [])]:
                    key = canonical_key(spelling, rules)
                    if key:
                        rows.append({"key": key, "name": entry["name"], "chain": chain, "role": role, "tier": tier})
    frame = pd.DataFrame(rows, columns=REGISTRY_COLUMNS).drop_duplicates().reset_index(drop=True)
    clashes = frame.groupby("key")["name"].nunique()
    if (clashes > 1).any():
        raise ValueError(f"registry keys naming two entries: {sorted(clashes[clashes > 1].index)}")
    return frame


def registry_chains(path: Path = REGISTRY_FILE) -> list[str]:
    """Chains in config order (the order breaks ties when choosing a firm's main chain)."""
    with open(path, encoding="utf-8") as f:
        return list((yaml.safe_load(f) or {}).get("chains", {}))


def load_linkage_config(path: Path = LINKAGE_FILE) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}
