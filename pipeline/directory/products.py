"""Product words of a firm and their translations: translation memory first (a translator's
reviewed choice wins), then the HS glossary (English; Vietnamese where the HS join found it),
else untranslated (the Korean word is shown, marked)."""

from __future__ import annotations

import re

from pipeline.directory.glossary import GlossaryEntry, term_key
from pipeline.directory.memory import TranslationMemory
from pipeline.directory.text import Rendered
from pipeline.research.scrub import REPLACEMENT, scrub_text

_SEPARATORS = re.compile(r"[,/;·、\n]+|\s및\s")
_BRACKETS = re.compile(r"\([^()]*\)")


def product_terms(main_products: object) -> list[str]:
    """The product words of a main_products answer, in order, without duplicates. Contact details
    respondents type into it ("금형 (문의 010-…)") are removed with the bracket holding them."""
    if not isinstance(main_products, str):
        return []
    text = scrub_text(main_products)
    text = _BRACKETS.sub(lambda m: "" if REPLACEMENT in m.group(0) or "문의" in m.group(0) else m.group(0), text)
    terms: list[str] = []
    seen = set()
    for piece in _SEPARATORS.split(text):
        piece = " ".join(piece.split()).strip(" -:")
        if not piece or REPLACEMENT in piece or term_key(piece) in seen:
            continue
        seen.add(term_key(piece))
        terms.append(piece)
    return terms


def translate_product(term: str, lang: str, glossary: dict[str, GlossaryEntry], memory: TranslationMemory | None) -> Rendered:
    if lang == "ko":
        return Rendered(term, "original")
    remembered = memory.get("product", term) if memory else None
    if remembered:
        return Rendered(remembered, "memory")
    entry = glossary.get(term_key(term))
    if entry is not None:
        text = entry.en if lang == "en" else entry.vi if lang == "vi" else None
        if text:
            return Rendered(text, "glossary")
    return Rendered(term, "untranslated", shown_lang="ko")
