"""A string of the directory together with where it came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    text: str
    # original | own | official | label | glossary | memory | romanised | untranslated
    source: str
    # The language the text is really in, when it is a fallback (untranslated: "ko" or "en").
    shown_lang: str | None = None

    @property
    def is_fallback(self) -> bool:
        return self.source == "untranslated"
