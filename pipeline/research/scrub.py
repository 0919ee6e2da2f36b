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


# Characters that no other character matches case-blind (Hangul, digits, ASCII punctuation and
# the space): a name of these alone occurs in a text only as itself.
_CASELESS = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f0-9 !-/:-@\[-`{-~]*")
_ASCII_LETTERS = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f0-9 !-~]*")
# Above this many character comparisons the exact occurrence test is skipped (the pair filter
# alone keeps every name that can occur).
_EXACT_TEST_BUDGET = 50_000_000


class NameScrubber:
    """Removes the given names wherever they occur in a text (longest match first, case-blind)."""

    def __init__(self, names: Iterable[str], min_chars: int = 2):
        self._words = sorted({n.strip() for n in names if isinstance(n, str) and len(n.strip()) >= min_chars})
        self._pattern: re.Pattern | None = None
        self._compiled = False
        self._probe_list: list | None = None

    def _compile(self) -> re.Pattern | None:
        # Compiled when first used: the pattern of every name of a census takes seconds.
        if not self._compiled:
            self._pattern = re.compile(_trie_pattern(self._words), re.IGNORECASE) if self._words else None
            self._compiled = True
        return self._pattern

    def __call__(self, value: object) -> object:
        if not isinstance(value, str) or self._compile() is None:
            return value
        return self._pattern.sub(REPLACEMENT, value)

    def _probes(self) -> list[tuple[str, bool, str | None, frozenset]]:
        """Per name: whether it is caseless, the text to look for (lower-cased for ASCII
        letters; None when neither) and its two-character pieces; worked out once."""
        if self._probe_list is None:
            out = []
            for word in self._words:
                caseless = bool(_CASELESS.fullmatch(word))
                probe = word if caseless else word.lower() if _ASCII_LETTERS.fullmatch(word) else None
                out.append((word, caseless, probe, frozenset(probe[i:i + 2] for i in range(len(probe) - 1)) if probe else frozenset()))
            self._probe_list = out
        return self._probe_list

    def for_texts(self, texts: Iterable[str]) -> NameScrubber:
        """A scrubber that changes `texts` exactly as this one does, with only the names that can
        occur in them. A name that occurs nowhere in the texts never matches, and dropping it
        changes no match elsewhere (at each position the trie picks the first matching name in
        a fixed order), so its pattern is small: a census's free text repeats a few hundred
        answers, while the names are tens of thousands."""
        texts = [t for t in texts if isinstance(t, str)]
        joined = "\x00".join(texts)
        # Names of ASCII letters too are tested on lower-cased text only when the texts hold no
        # other cased character (the few that match an ASCII letter case-blind, like the Kelvin
        # sign, are not ASCII).
        folded = joined.lower() if all(_ASCII_LETTERS.fullmatch(t) for t in texts) else None
        pairs = {joined[i:i + 2] for i in range(len(joined) - 1)}
        folded_pairs = {folded[i:i + 2] for i in range(len(folded) - 1)} if folded is not None else set()
        exact = len(joined) * len(self._words) <= _EXACT_TEST_BUDGET
        kept = []
        for word, caseless, probe, probe_pairs in self._probes():
            if caseless:
                text, seen = joined, pairs
            elif folded is not None and probe is not None:
                text, seen = folded, folded_pairs
            else:
                kept.append(word)
                continue
            if seen.issuperset(probe_pairs) and (not exact or probe in text):
                kept.append(word)
        out = NameScrubber([])
        out._words = kept
        return out


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
    identifiers_gone = {v: scrub_text(v) for v in values}
    names_gone = scrubber.for_texts(identifiers_gone.values())
    cleaned = {v: names_gone(text) for v, text in identifiers_gone.items()}
    return series.map(lambda v: cleaned.get(v, v) if isinstance(v, str) else v).astype("object")
