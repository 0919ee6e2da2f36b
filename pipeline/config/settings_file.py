"""config/settings.yaml: the agency's settings, one model per section, with the defaults the
code relies on when a section or key is left out."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from pipeline.config.base import Strict
from pipeline.config.store_url import check_store_location


class Agency(Strict):
    name_ko: str = ""
    name_en: str = ""
    # Selects the region of per-region taxonomies (regional_strategic.yaml); none: no categories.
    region_ko: str | None = None


class Paths(Strict):
    """Relative to the project root (the folder holding config/), or absolute."""

    raw_dir: str = "data/raw"
    curated_dir: str = "data/curated"
    corrections_dir: str = "data/corrections"
    reference_dir: str = "../shared/reference"


class RevisionInForce(Strict):
    revision: int
    effective: date


class Census(Strict):
    year_pattern: str = r"(?<!\d)(20\d\d)(?!\d)"
    file_suffixes: list[str] = Field(default_factory=lambda: [".xlsx", ".xlsm", ".xls", ".csv", ".html", ".htm"])
    reference_date: str = "{year}-12-31"
    # The first census year of the yearly partitions (assets/partitions.py).
    first_year: int = 2015
    ksic_revisions: list[RevisionInForce]


class Storage(Strict):
    duckdb_memory_limit: str = "1GB"
    # Where the curated Parquet files live: empty for <curated_dir>/parquet; a folder (relative
    # to the project root, or absolute); or an fsspec URL (s3://bucket/prefix, memory://...).
    parquet_store: str | None = None

    _check_store = field_validator("parquet_store")(check_store_location)


class Load(Strict):
    min_layout_match: float = 0.6
    header_scan_rows: int = 30
    # MB of sheet XML from which an xlsx sheet is parsed in two halves; None or 0: always one read.
    parallel_read_min_mb: float | None = None
    # Ceilings checked from the zip directory and the sheet's declared range before anything is
    # parsed (a zip bomb is refused before memory runs out); a million firms is ~1,100 MB, ~30M cells.
    max_inflated_mb: int = 2048
    max_sheet_cells: int = 80_000_000


class Hierarchy(Strict):
    file: str
    sheet: str
    header_rows: int = 3


class KsicRevisionFiles(Strict):
    names: str
    hierarchy: Hierarchy
    expected_counts: dict[str, int] = Field(default_factory=dict)


class Concordance(Strict):
    file: str
    sheet: str
    from_revision: int
    to_revision: int
    header_rows: int
    from_code: int
    to_code: int
    note: int


class Ksic(Strict):
    target_revision: int = 11
    comparison_revision: int = 10
    revisions: dict[int, KsicRevisionFiles] = Field(default_factory=dict)
    concordances: list[Concordance] = Field(default_factory=list)


class SheetFile(Strict):
    file: str
    sheet: str


class Classification(Strict):
    max_unclassified_share: float = 0.05
    kicox_complexes: SheetFile


class KAnonymity(Strict):
    """The k-anonymity report of the research database: firm-years whose combination of
    quasi-identifiers (columns of the research firm_year, after generalisation) is shared by
    fewer than k firm-years of the same census year are counted as at risk."""

    k: int = Field(default=3, ge=2)
    quasi_identifiers: list[str] = Field(
        default_factory=lambda: ["founded_year", "addr_sigungu", "addr_emd", "ksic_division", "employee_band"], min_length=1)


class Research(Strict):
    pseudonym_key_file: str = ".secrets/pseudonym.key"
    pseudonym_length: int = Field(default=20, ge=8, le=64)
    # A key file is created only for a project whose research database was never built; a key
    # lost later stops the build (a new key would change every pseudonym).
    create_key_if_missing: bool = False
    # Shortest firm or representative name removed from free text (shorter ones are common words).
    min_scrubbed_name_chars: int = Field(default=2, ge=2)
    k_anonymity: KAnonymity = Field(default_factory=KAnonymity)


class SettingsFile(Strict):
    agency: Agency = Field(default_factory=Agency)
    paths: Paths = Field(default_factory=Paths)
    census: Census
    storage: Storage = Field(default_factory=Storage)
    load: Load = Field(default_factory=Load)
    ksic: Ksic = Field(default_factory=Ksic)
    classification: Classification
    research: Research = Field(default_factory=Research)
