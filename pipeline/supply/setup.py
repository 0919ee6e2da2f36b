"""The supply and identity stages' configuration, read from the agency's config folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.classify.address import sido_aliases
from pipeline.identity.reviews import REVIEWS_FILE_NAME
from pipeline.names import NameRules, load_name_rules
from pipeline.schema import tier_spellings
from pipeline.settings import Settings
from pipeline.supply.registry import load_linkage_config, load_registry, registry_chains


@dataclass(frozen=True)
class SupplySetup:
    rules: NameRules
    registry: pd.DataFrame
    chains: list[str]
    linkage: dict
    reviews_path: Path
    tier_values: frozenset[str]  # canonical self-reported tiers
    sido_of: dict[str, str]  # 시도 spelling -> official name, for identity's address comparison


def supply_setup(settings: Settings) -> SupplySetup:
    """From settings.config_dir (CENSUS_ROOT or the settings file's project), never the package's."""
    rules = load_name_rules(settings.config_path("company_aliases.yaml"))
    registry = settings.config_path("oem_registry.yaml")
    return SupplySetup(
        rules=rules,
        registry=load_registry(registry, rules),
        chains=registry_chains(registry),
        linkage=load_linkage_config(settings.config_path("linkage.yaml")),
        reviews_path=settings.config_path(REVIEWS_FILE_NAME),
        tier_values=frozenset(tier_spellings(settings.columns_path).values()),
        sido_of=sido_aliases(settings.config_path("classification/address.yaml")),
    )
