"""The canonical column catalogue (config/canonical_columns.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.settings import PACKAGE_ROOT

CATALOGUE = PACKAGE_ROOT / "config" / "canonical_columns.yaml"
COLUMN_TYPES = {"text", "id", "code", "integer", "number", "date", "tier"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    disclosure: str
    label_ko: str
    label_en: str


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def canonical_columns(path: Path = CATALOGUE) -> dict[str, Column]:
    """Firm columns a layout can map to, in catalogue order."""
    return {name: Column(name=name, **spec) for name, spec in _load(path)["columns"].items()}


def provenance_columns(path: Path = CATALOGUE) -> dict[str, Column]:
    return {name: Column(name=name, **spec) for name, spec in _load(path)["provenance"].items()}


def all_columns(path: Path = CATALOGUE) -> dict[str, Column]:
    return {**provenance_columns(path), **canonical_columns(path)}


def columns_with_disclosure(level: str, path: Path = CATALOGUE) -> list[str]:
    return [c.name for c in all_columns(path).values() if c.disclosure == level]


def tier_spellings(path: Path = CATALOGUE) -> dict[str, str]:
    """Map of a normalised spelling (no spaces, lower case) to the canonical tier value."""
    out: dict[str, str] = {}
    for canonical, spellings in _load(path)["tier_values"].items():
        for s in [canonical, *spellings]:
            out["".join(str(s).split()).lower()] = canonical
    return out
