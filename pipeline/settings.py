"""Agency settings from config/settings.yaml, with paths resolved against the project root.

Paths never depend on the current directory: they are resolved from the settings file's
project root (or CENSUS_ROOT), so the CLI, Dagster and the tests agree on where data lives.
Every other config file, and the GX suites, are found through the same root
(`config_path`, `expectations_dir`): an agency's root is the only place its configuration
comes from.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from pipeline.config.check import check_config_files
from pipeline.config.errors import config_label
from pipeline.config.files import check, read_config, read_yaml
from pipeline.config.settings_file import (
    Agency,
    Census,
    Classification,
    Ksic,
    Load,
    Paths,
    Research,
    SettingsFile,
    Storage,
)
from pipeline.config.store_url import LOCAL_PROTOCOLS, store_protocol

# The checkout: the template make_project copies and the default project when neither
# CENSUS_ROOT nor CENSUS_SETTINGS is set. Nothing reads configuration from it directly.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    root: Path
    raw: dict[str, Any]
    source: Path | None = None  # the settings file, for messages
    model: SettingsFile = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        label = config_label(self.source) if self.source else "config/settings.yaml"
        object.__setattr__(self, "model", check(SettingsFile, self.raw, label))

    # Typed sections of settings.yaml (defaults included).
    @property
    def agency(self) -> Agency:
        return self.model.agency

    @property
    def paths(self) -> Paths:
        return self.model.paths

    @property
    def census(self) -> Census:
        return self.model.census

    @property
    def storage(self) -> Storage:
        return self.model.storage

    @property
    def load(self) -> Load:
        return self.model.load

    @property
    def ksic(self) -> Ksic:
        return self.model.ksic

    @property
    def classification(self) -> Classification:
        return self.model.classification

    @property
    def research(self) -> Research:
        return self.model.research

    def section(self, name: str) -> dict[str, Any]:
        """A section as a plain dict, defaults included (for code not yet on the typed sections)."""
        return getattr(self.model, name).model_dump()

    def with_section(self, name: str, **values: Any) -> Settings:
        """These settings with some keys of one section changed (checked like the file)."""
        raw = copy.deepcopy(self.raw)
        raw[name] = {**(raw.get(name) or {}), **values}
        return Settings(root=self.root, raw=raw, source=self.source)

    # Where every config file is found: under this root only.
    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    def config_path(self, name: str) -> Path:
        """A file of the agency's config folder, e.g. config_path("company_aliases.yaml")."""
        return self.config_dir / name

    @property
    def columns_path(self) -> Path:
        """config/canonical_columns.yaml: the columns of a census row after loading."""
        return self.config_path("canonical_columns.yaml")

    @property
    def layouts_dir(self) -> Path:
        return self.config_dir / "layouts"

    @property
    def taxonomies_dir(self) -> Path:
        return self.config_dir / "taxonomies"

    @property
    def expectations_dir(self) -> Path:
        """The GX suites (expectations/<suite>.json) of this agency."""
        return self.root / "expectations"

    # The other config files, parsed and checked.
    @property
    def validation(self):
        """config/validation.yaml as a ValidationConfig (rules parsed)."""
        from pipeline.validation.rules import load_config

        return load_config(self.config_path("validation.yaml"))

    @cached_property
    def reports(self):
        from pipeline.config.reports_file import ReportsFile

        return read_config(self.config_path("reports.yaml"), ReportsFile)

    @cached_property
    def linkage(self):
        from pipeline.config.linkage_file import LinkageFile

        return read_config(self.config_path("linkage.yaml"), LinkageFile)

    @cached_property
    def disclosure(self):
        from pipeline.config.disclosure_file import DisclosureFile

        return read_config(self.config_path("disclosure.yaml"), DisclosureFile)

    def path(self, key: str) -> Path:
        value = Path(getattr(self.paths, key))
        return value if value.is_absolute() else (self.root / value).resolve()

    @property
    def raw_dir(self) -> Path:
        return self.path("raw_dir")

    @property
    def curated_dir(self) -> Path:
        return self.path("curated_dir")

    @property
    def reference_dir(self) -> Path:
        return self.path("reference_dir")

    @property
    def corrections_dir(self) -> Path:
        return self.path("corrections_dir")

    @property
    def model_cache_dir(self) -> Path:
        """Where trained models are cached: derived from the reference files and config alone
        (the cache key says which), so every project on the machine shares them and a new
        project does not train again. CENSUS_CACHE_DIR, else the user's cache folder."""
        configured = os.environ.get("CENSUS_CACHE_DIR", "").strip()
        if configured:
            return Path(configured).expanduser()
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
        return Path(base) / "census-pipeline"

    @property
    def duckdb_path(self) -> Path:
        return self.curated_dir / "census.duckdb"

    @property
    def parquet_url(self) -> str | None:
        """The curated Parquet store's fsspec URL when it is not a local folder (object storage,
        pipeline/storage/object_store.py), else None."""
        value = self.storage.parquet_store
        protocol = store_protocol(value) if value else None
        return value.rstrip("/") if protocol not in (None, *LOCAL_PROTOCOLS) else None

    @property
    def parquet_dir(self) -> Path:
        """The curated Parquet store's local folder: <curated_dir>/parquet unless
        storage.parquet_store names another. A store at a URL has no local folder."""
        value = self.storage.parquet_store
        if not value:
            return self.curated_dir / "parquet"
        protocol = store_protocol(value)
        if protocol in LOCAL_PROTOCOLS:
            return Path(value.split("://", 1)[1])
        if protocol is not None:
            raise ValueError(f"저장소가 로컬 폴더가 아닙니다 / the curated store is not a local folder: {value}")
        path = Path(value)
        return path if path.is_absolute() else (self.root / path).resolve()

    @property
    def reports_dir(self) -> Path:
        return self.curated_dir / "reports"

    @cached_property
    def _year_re(self) -> re.Pattern[str]:
        return re.compile(self.census.year_pattern)

    def year_of_file(self, path: Path) -> int | None:
        """The census year named in a raw file's name, or None if it names none."""
        found = self._year_re.findall(path.name)
        return int(found[0]) if len(set(found)) == 1 else None

    def raw_files(self) -> dict[int, Path]:
        """Census files in raw_dir by year. Two files naming the same year is an error the
        analyst must resolve, so it raises rather than picking one."""
        suffixes = {s.lower() for s in self.census.file_suffixes}
        by_year: dict[int, list[Path]] = {}
        if self.raw_dir.is_dir():
            for path in sorted(self.raw_dir.iterdir()):
                if path.is_file() and path.suffix.lower() in suffixes and not path.name.startswith(("~$", ".")):
                    year = self.year_of_file(path)
                    if year is not None:
                        by_year.setdefault(year, []).append(path)
        duplicated = {y: p for y, p in by_year.items() if len(p) > 1}
        if duplicated:
            listing = "; ".join(f"{y}: {', '.join(x.name for x in p)}" for y, p in duplicated.items())
            raise ValueError(f"연도별 원본 파일은 하나여야 합니다 / one raw file per year expected: {listing}")
        return {y: p[0] for y, p in by_year.items()}

    def reference_date(self, year: int) -> date:
        return date.fromisoformat(self.census.reference_date.format(year=year))

    def ksic_revision_for_year(self, year: int) -> int:
        """The KSIC revision in force on the census reference date."""
        ref = self.reference_date(year)
        in_force = [r for r in self.census.ksic_revisions if r.effective <= ref]
        if not in_force:
            raise ValueError(f"no KSIC revision in force on {ref}")
        return max(in_force, key=lambda r: r.effective).revision


def make_project(root: Path, reference_dir: Path) -> Path:
    """A throw-away project at `root` (the repository's config and GX suites copied, its own data
    folders), reading the reference files from `reference_dir`; returns its settings file. Tests
    and the benchmark run in one so they never touch the checkout's data/curated."""
    shutil.copytree(PACKAGE_ROOT / "config", root / "config")
    shutil.copytree(PACKAGE_ROOT / "expectations", root / "expectations")
    settings_path = root / "config" / "settings.yaml"
    raw = yaml.safe_load(settings_path.read_text(encoding="utf-8"))
    raw["paths"]["reference_dir"] = str(Path(reference_dir).resolve())
    settings_path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    for key in ("raw_dir", "curated_dir", "corrections_dir"):
        (root / raw["paths"][key]).mkdir(parents=True, exist_ok=True)
    return settings_path


def load_settings(path: Path | str | None = None) -> Settings:
    """Settings from `path`, else $CENSUS_SETTINGS, else config/settings.yaml of the project
    ($CENSUS_ROOT, else the checkout). Every config file of the root is checked against its model
    here, so a typo anywhere fails now with one line (ConfigError) rather than midway through a run."""
    env_root = os.environ.get("CENSUS_ROOT")
    settings_path = Path(path or os.environ.get("CENSUS_SETTINGS") or (Path(env_root or PACKAGE_ROOT) / "config/settings.yaml"))
    raw = read_yaml(settings_path)
    root = Path(env_root).resolve() if env_root else settings_path.resolve().parent.parent
    settings = Settings(root=root, raw=raw, source=settings_path)
    check_config_files(settings.config_dir)
    return settings
