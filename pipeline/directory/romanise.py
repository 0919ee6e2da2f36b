"""Revised Romanization (국어의 로마자 표기법) of names, with the spellings firms use for loanwords
and brands. koroman applies the pronunciation rules (신라 -> silla); brand spellings from
config/directory/brand_spellings.yaml are cut out first so 테크 stays "Tech"."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import koroman

_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")


@lru_cache(maxsize=65536)  # the same syllable runs (시흥, 공단, 산업) recur in thousands of names
def romanise_word(hangul: str) -> str:
    """One run of Hangul syllables, capitalised: 시화 -> Sihwa."""
    latin = koroman.romanize(hangul)
    return latin[:1].upper() + latin[1:]


def romanise_name(text: str, brands: dict[str, str]) -> str:
    """Latin form of a (legal-form-free) name: brand spellings, then RR for the Korean runs in
    between; Latin letters, digits and spaces are kept. 화아테크 -> "Hwaa Tech"."""
    text = unicodedata.normalize("NFKC", text).strip()
    ordered = sorted(brands, key=len, reverse=True)
    parts: list[str] = []
    i = 0
    pending = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            parts.append(_HANGUL_RUN.sub(lambda m: " " + romanise_word(m.group(0)) + " ", pending))
            pending = ""

    while i < len(text):
        brand = next((b for b in ordered if text.startswith(b, i)), None)
        if brand:
            flush()
            parts.append(f" {brands[brand]} ")
            i += len(brand)
        else:
            pending += text[i]
            i += 1
    flush()
    return " ".join("".join(parts).split())
