"""The canonical column catalogue (config/canonical_columns.yaml of the agency's root; callers
pass its path, e.g. settings.config_path("canonical_columns.yaml"))."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.config.columns_file import ColumnsFile
from pipeline.config.files import cached_by_file, read_config

CATALOGUE_FILE = "canonical_columns.yaml"  # its name in the config folder
COLUMN_TYPES = {"text", "id", "code", "integer", "number", "date", "tier"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    disclosure: str
    label_ko: str
    label_en: str


@cached_by_file
def _load(path: Path) -> ColumnsFile:
    return read_config(Path(path), ColumnsFile)


def _columns(specs) -> dict[str, Column]:
    return {name: Column(name=name, **spec.model_dump()) for name, spec in specs.items()}


def canonical_columns(path: Path) -> dict[str, Column]:
    """Firm columns a layout can map to, in catalogue order."""
    return _columns(_load(path).columns)


def provenance_columns(path: Path) -> dict[str, Column]:
    return _columns(_load(path).provenance)


def all_columns(path: Path) -> dict[str, Column]:
    return {**provenance_columns(path), **canonical_columns(path)}


def columns_with_disclosure(level: str, path: Path) -> list[str]:
    return [c.name for c in all_columns(path).values() if c.disclosure == level]


def tier_spellings(path: Path) -> dict[str, str]:
    """Map of a normalised spelling (no spaces, lower case) to the canonical tier value."""
    out: dict[str, str] = {}
    for canonical, spellings in _load(path).tier_values.items():
        for s in [canonical, *spellings]:
            out["".join(str(s).split()).lower()] = canonical
    return out
