"""A directory entry per consenting firm: every public field rendered in every language, each
string with its source."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from pipeline.directory import LANGUAGES
from pipeline.directory.config import DirectoryConfig
from pipeline.directory.firm_names import firm_name
from pipeline.directory.glossary import GlossaryEntry
from pipeline.directory.memory import TranslationMemory
from pipeline.directory.places import address, complex_label
from pipeline.directory.products import product_terms, translate_product
from pipeline.directory.sectors import activity_label, sector_key, sector_label
from pipeline.directory.text import Rendered


@dataclass
class FirmEntry:
    slug: str
    name: dict[str, Rendered]
    sector: dict[str, Rendered | None]
    sector_key: str | None
    activity: dict[str, Rendered | None]
    products_ko: list[str]
    products: dict[str, list[Rendered]]
    complex: dict[str, Rendered | None]
    complex_key: str | None
    address: dict[str, Rendered | None]
    contact: str | None
    # Korean sector context for the translator's workbook (subclass title, code).
    activity_ko: str | None = None
    activity_code: str | None = None
    extra: dict = field(default_factory=dict)


def _slug(latin_name: str, taken: set[str]) -> str:
    """File name of the firm page from its Latin name (never a registration number or record id)."""
    base = unicodedata.normalize("NFKD", latin_name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:60] or "firm"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _value(row: dict, column: str) -> str | None:
    v = row.get(column)
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or not str(v).strip() else str(v).strip()


def build_entries(public: pd.DataFrame, config: DirectoryConfig, glossary: dict[str, GlossaryEntry],
                  memories: dict[str, TranslationMemory], subclass_titles: dict[str, str]) -> list[FirmEntry]:
    entries = []
    taken: set[str] = set()
    for row in public.to_dict("records"):
        names = {lang: firm_name(row["firm_name"], _value(row, "firm_name_en"), lang, config) for lang in LANGUAGES}
        terms = product_terms(row.get("main_products"))
        entries.append(FirmEntry(
            slug=_slug(names["en"].text, taken),
            name=names,
            sector={lang: sector_label(row, lang, config) for lang in LANGUAGES},
            sector_key=sector_key(row),
            activity={lang: activity_label(row, lang, subclass_titles, memories.get(lang)) for lang in LANGUAGES},
            products_ko=terms,
            products={lang: [translate_product(t, lang, glossary, memories.get(lang)) for t in terms] for lang in LANGUAGES},
            complex={lang: complex_label(row.get("complex_name"), lang, config) for lang in LANGUAGES},
            complex_key=_value(row, "complex_name"),
            address={lang: address(row, lang) for lang in LANGUAGES},
            contact=_value(row, "directory_contact"),
            activity_ko=_value(row, "ksic_rep_subclass_ko"),
            activity_code=_value(row, "ksic_rep_subclass"),
        ))
    return entries
