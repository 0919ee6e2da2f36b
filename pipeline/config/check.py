"""Check every config file of an agency root against its model at once, so a typo anywhere stops
a run before it starts (one line naming the file and the key) instead of midway through it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from pipeline.config.autocode_file import AutocodeConfig
from pipeline.config.classification_files import AddressFile, ComplexesFile, FirmSizeFile, TaxonomyFile
from pipeline.config.columns_file import ColumnsFile
from pipeline.config.disclosure_file import DisclosureFile
from pipeline.config.files import read_config
from pipeline.config.linkage_file import LinkageFile
from pipeline.config.names_file import AliasesFile, RegistryFile
from pipeline.config.reports_file import ReportsFile
from pipeline.config.validation_file import ValidationFile

# File of the config folder -> its model. Layouts are checked by pipeline.layouts when read.
MODELS: dict[str, type[BaseModel]] = {
    "validation.yaml": ValidationFile,
    "reports.yaml": ReportsFile,
    "disclosure.yaml": DisclosureFile,
    "linkage.yaml": LinkageFile,
    "oem_registry.yaml": RegistryFile,
    "company_aliases.yaml": AliasesFile,
    "canonical_columns.yaml": ColumnsFile,
    "classification/firm_size.yaml": FirmSizeFile,
    "classification/address.yaml": AddressFile,
    "classification/complexes.yaml": ComplexesFile,
    "classification/autocode.yaml": AutocodeConfig,
}
TAXONOMY_FOLDER = "taxonomies"


def config_files(config_dir: Path) -> list[tuple[Path, type[BaseModel]]]:
    """Every checked file of `config_dir` with its model (each taxonomy file too)."""
    files = [(config_dir / name, model) for name, model in MODELS.items()]
    files += [(p, TaxonomyFile) for p in sorted((config_dir / TAXONOMY_FOLDER).glob("*.yaml"))]
    return files


def check_config_files(config_dir: Path) -> None:
    """ConfigError (one line) for the first file that is missing or does not fit its model.
    Re-reads only when a file changed (cached on the files' modification times)."""
    files = config_files(Path(config_dir))
    stamps = tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p, _ in files)
    _check(str(config_dir), stamps)


@lru_cache(maxsize=8)
def _check(config_dir: str, _stamps: tuple[tuple[str, int], ...]) -> None:
    for path, model in config_files(Path(config_dir)):
        read_config(path, model)
