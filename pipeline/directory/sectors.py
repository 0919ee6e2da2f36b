"""Sector labels. Korean and English are official: the firm row's KSIC section and division
titles (from the KSIC 11th revision file the pipeline loads) and, for the 5-digit subclass, the
English title in ksic-desc.json. Chinese and Vietnamese: the label files in config/directory/labels
(sections and manufacturing divisions) and the translation memory for subclasses; what neither
covers is shown in English and marked untranslated."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.directory.config import DirectoryConfig
from pipeline.directory.memory import TranslationMemory
from pipeline.directory.text import Rendered

KSIC_DESC_FILE = Path("ksic_text") / "ksic-desc.json"


def load_subclass_titles(reference_dir: Path) -> dict[str, str]:
    """KSIC-11 subclass code -> official English title."""
    path = Path(reference_dir) / KSIC_DESC_FILE
    if not path.is_file():
        raise FileNotFoundError(f"KSIC 영문명 파일이 없습니다 / KSIC English titles missing: {path}")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {code: entry["e"].strip() for code, entry in data.items() if isinstance(entry, dict) and entry.get("e")}


def _text(value: object) -> str | None:
    return str(value).strip() if value is not None and str(value).strip() and str(value) != "nan" else None


def sector_key(row: dict) -> str | None:
    """The facet a buyer filters by: the KSIC division, else the section."""
    return _text(row.get("ksic_rep_division")) or _text(row.get("ksic_rep_section"))


def sector_label(row: dict, lang: str, config: DirectoryConfig) -> Rendered | None:
    division, section = _text(row.get("ksic_rep_division")), _text(row.get("ksic_rep_section"))
    if lang in ("ko", "en"):
        text = _text(row.get(f"ksic_rep_division_{lang}")) or _text(row.get(f"ksic_rep_section_{lang}"))
        return Rendered(text, "original" if lang == "ko" else "official") if text else None
    labels = config.labels[lang]
    if division and division in labels.divisions:
        return Rendered(labels.divisions[division], "label")
    if section and section in labels.sections:
        return Rendered(labels.sections[section], "label")
    english = _text(row.get("ksic_rep_division_en")) or _text(row.get("ksic_rep_section_en"))
    return Rendered(english, "untranslated", shown_lang="en") if english else None


def activity_label(row: dict, lang: str, titles_en: dict[str, str], memory: TranslationMemory | None) -> Rendered | None:
    """The 5-digit subclass title."""
    code, korean = _text(row.get("ksic_rep_subclass")), _text(row.get("ksic_rep_subclass_ko"))
    english = titles_en.get(code) if code else None
    if lang == "ko":
        return Rendered(korean, "original") if korean else None
    if lang == "en":
        return Rendered(english, "official") if english else (Rendered(korean, "untranslated", "ko") if korean else None)
    remembered = memory.get("sector", korean) if memory and korean else None
    if remembered:
        return Rendered(remembered, "memory")
    if english:
        return Rendered(english, "untranslated", shown_lang="en")
    return Rendered(korean, "untranslated", shown_lang="ko") if korean else None
