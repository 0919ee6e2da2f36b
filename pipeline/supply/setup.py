"""The supply and identity stages' configuration, read from the agency's config folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.identity.reviews import REVIEWS_FILE
from pipeline.names import NameRules, load_name_rules
from pipeline.settings import Settings
from pipeline.supply.registry import load_linkage_config, load_registry, registry_chains


@dataclass(frozen=True)
class SupplySetup:
    rules: NameRules
    registry: pd.DataFrame
    chains: list[str]
    linkage: dict
    reviews_path: Path


def supply_setup(settings: Settings) -> SupplySetup:
    """From settings.config_dir (CENSUS_ROOT or the settings file's project), not necessarily the package's."""
    config = settings.config_dir
    rules = load_name_rules(config / "company_aliases.yaml")
    return SupplySetup(
        rules=rules,
        registry=load_registry(config / "oem_registry.yaml", rules),
        chains=registry_chains(config / "oem_registry.yaml"),
        linkage=load_linkage_config(config / "linkage.yaml"),
        reviews_path=config / REVIEWS_FILE.name,
    )
