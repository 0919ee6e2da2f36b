"""Remove what identifies a respondent from free-text answers before researchers see them:
contact details and registration numbers written with any punctuation (a BRN typed as
134.81.54846, 134 81 54846 or in full-width digits), and the names of the year's firms and
representatives (a respondent who writes "시흥정밀 납품용 금형" names a census firm)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

REPLACEMENT = "[삭제]"
# Between the digit groups of an identifier people type hyphens, dots, spaces, slashes, middle
# dots, dashes and underscores (any one, or none), in half or full width. \d also matches
# full-width digits.
_SEP = r"[\s.\-‐‑–—―/·_:．－／・＿：]?"
_PATTERNS = [
    re.compile(r"[\w.+-]+\s*(@|＠|\(at\)|\[at\])\s*[\w-]+(\s*\.\s*[\w-]+)+", re.IGNORECASE),  # e-mail
    re.compile(rf"(?<!\d)\(?0\d{{1,2}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}}(?!\d)"),  # phone
    re.compile(rf"(?<!\d)\d{{6}}{_SEP}\d{{7}}(?!\d)"),  # 법인등록번호
    re.compile(rf"(?<!\d)\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{5}}(?!\d)"),  # 사업자등록번호
]


def scrub_text(value: object) -> object:
    """`value` without e-mail addresses, phone numbers and registration numbers."""
    if not isinstance(value, str):
        return value
    for pattern in _PATTERNS:
        value = pattern.sub(REPLACEMENT, value)
    return value


def _trie_pattern(words: list[str]) -> str:
    """One regular expression matching any of `words`, as a trie (an alternation of 100,000
    names would be tried name by name; the trie shares prefixes)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return walk(trie)


class NameScrubber:
    """Removes the given names wherever they occur in a text (longest match first, case-blind)."""

    def __init__(self, names: Iterable[str], min_chars: int = 2):
        words = sorted({n.strip() for n in names if isinstance(n, str) and len(n.strip()) >= min_chars})
        self._pattern = re.compile(_trie_pattern(words), re.IGNORECASE) if words else None

    def __call__(self, value: object) -> object:
        if not isinstance(value, str) or self._pattern is None:
            return value
        return self._pattern.sub(REPLACEMENT, value)


def name_variants(name: object, core: str | None = None) -> list[str]:
    """A firm name as written and as people shorten it: without legal forms in brackets or
    words ((주)시흥정밀 -> 시흥정밀), and without spaces."""
    if not isinstance(name, str) or not name.strip():
        return []
    stripped = re.sub(r"[(\[（]\s*(주|유|합|재|사|株|有)\s*[)\]）]|㈜|주식회사|유한회사|유한책임회사|\(?주\)", " ", name)
    out = {name.strip(), stripped.strip(), re.sub(r"\s+", "", stripped)}
    if core:
        out.add(core)
    return [v for v in out if v]


def scrub_free_text(series: pd.Series, scrubber: NameScrubber) -> pd.Series:
    """Identifiers first (a phone number is not a name), then the names; distinct values once."""
    values = series.dropna().unique()
    cleaned = {v: scrubber(scrub_text(v)) for v in values}
    return series.map(lambda v: cleaned.get(v, v) if isinstance(v, str) else v).astype("object")
