"""`census directory --year Y`: the year's curated rows -> the consenting firms' public fields ->
translated entries -> the static site, with the coverage of translated strings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.directory import LANGUAGES
from pipeline.directory.config import DirectoryConfig, load_directory_config
from pipeline.directory.coverage import coverage_table
from pipeline.directory.entries import FirmEntry, build_entries
from pipeline.directory.glossary import load_product_glossary
from pipeline.directory.memory import load_memory
from pipeline.directory.public import CONSENT_COLUMN, public_records, unknown_consent_answers
from pipeline.directory.sectors import load_subclass_titles
from pipeline.directory.site import write_site
from pipeline.settings import Settings


class NoCuratedYearError(ValueError):
    """The year has no curated firm_year rows (not loaded yet)."""


@dataclass(frozen=True)
class DirectoryResult:
    path: Path
    year: int
    firms_in_year: int
    firms_published: int
    pages: int
    coverage: pd.DataFrame
    unknown_consent: list[str]
    system_font_chars: dict[str, int]
    consent_column: bool  # False: the year's layout maps no consent question, so nobody is published


def directory_config(settings: Settings) -> DirectoryConfig:
    return load_directory_config(settings.config_dir / "directory")


def default_output(settings: Settings, year: int) -> Path:
    """data/curated/directory/YEAR, beside the reports (ignored by git like everything written)."""
    return settings.curated_dir / "directory" / str(year)


def directory_entries(firm_year: pd.DataFrame, settings: Settings, config: DirectoryConfig) -> list[FirmEntry]:
    """Entries of the consenting firms of a firm_year frame (one census year)."""
    public = public_records(firm_year, config.consent)
    glossary = load_product_glossary(settings.reference_dir)
    memories = {lang: load_memory(config.memory_dir, lang) for lang in LANGUAGES if lang != "ko"}
    return build_entries(public, config, glossary, memories, load_subclass_titles(settings.reference_dir))


def build_directory_from_frame(firm_year: pd.DataFrame, settings: Settings, year: int, out: Path | None = None) -> DirectoryResult:
    config = directory_config(settings)
    entries = directory_entries(firm_year, settings, config)
    site = write_site(entries, config, out or default_output(settings, year), year, settings.raw.get("agency", {}))
    unknown = unknown_consent_answers(firm_year[CONSENT_COLUMN], config.consent) if CONSENT_COLUMN in firm_year else []
    return DirectoryResult(site.path, year, len(firm_year), len(entries), site.pages, coverage_table(entries), unknown,
                           site.system_font_chars, CONSENT_COLUMN in firm_year)


def build_directory(settings: Settings, year: int, out: Path | None = None) -> DirectoryResult:
    """The directory of `year` from the curated firm_year table."""
    from pipeline.storage import read_table

    firm_year = read_table(settings, "firm_year", year)
    if firm_year.empty:
        raise NoCuratedYearError(f"{year}년 자료가 없습니다 / no curated firm_year rows for {year} (census run --year {year})")
    return build_directory_from_frame(firm_year, settings, year, out)
