"""Remove what identifies a respondent from free-text answers before researchers see them:
contact details and registration numbers written with any punctuation (a BRN typed as
134.81.54846, 134 81 54846 or in full-width digits), and the names of the year's firms and
representatives (a respondent who writes "시흥정밀 납품용 금형" names a census firm)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
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
# Up to this many substrings the texts' substrings are listed (an exact test per name);
# beyond it a name is kept when each of its two-character pieces is in the texts.
_SUBSTRING_BUDGET = 5_000_000


def _substrings(texts: list[str], longest: int) -> set[str]:
    return {t[i:j] for t in texts for i in range(len(t)) for j in range(i + 1, min(len(t), i + longest) + 1)}


def _pairs(texts: list[str]) -> set[str]:
    return {t[i:i + 2] for t in texts for i in range(len(t) - 1)}


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

    def _probes(self) -> list[tuple[str, str | None, bool]]:
        """Per name: the text to look for (lower-cased for names with ASCII letters; None when
        the name has other cased characters) and whether it is lower-cased; worked out once."""
        if self._probe_list is None:
            out = []
            for word in self._words:
                if _CASELESS.fullmatch(word):
                    out.append((word, word, False))
                elif _ASCII_LETTERS.fullmatch(word):
                    out.append((word, word.lower(), True))
                else:
                    out.append((word, None, False))
            self._probe_list = out
        return self._probe_list

    def for_texts(self, texts: Iterable[str]) -> NameScrubber:
        """A scrubber that changes `texts` exactly as this one does, with only the names that can
        occur in them. A name that occurs nowhere in the texts never matches, and dropping it
        changes no match elsewhere (at each position the trie picks the first matching name in
        a fixed order), so its pattern is small: a census's free text repeats a few hundred
        answers, while the names are tens of thousands."""
        texts = [t for t in texts if isinstance(t, str)]
        # Names with ASCII letters are looked for in lower-cased text only when the texts hold no
        # other cased character (the few that match an ASCII letter case-blind, like the Kelvin
        # sign, are not ASCII); else they are kept.
        folded = [t.lower() for t in texts] if all(_ASCII_LETTERS.fullmatch(t) for t in texts) else None
        longest = max((len(w) for w in self._words), default=0)
        if sum(len(t) * min(len(t), longest) for t in texts) <= _SUBSTRING_BUDGET:
            present, present_folded = _substrings(texts, longest), _substrings(folded or [], longest)

            def can_occur(probe: str, lowered: bool) -> bool:
                return probe in (present_folded if lowered else present)
        else:
            pairs, pairs_folded = _pairs(texts), _pairs(folded or [])

            def can_occur(probe: str, lowered: bool) -> bool:
                seen = pairs_folded if lowered else pairs
                return all(probe[i:i + 2] in seen for i in range(len(probe) - 1))
        kept = [word for word, probe, lowered in self._probes()
                if probe is None or (lowered and folded is None) or can_occur(probe, lowered)]
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
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    text = np.fromiter((isinstance(v, str) for v in uniques), bool, len(uniques))
    identifiers_gone = [scrub_text(v) for v in uniques[text]]
    names_gone = scrubber.for_texts(identifiers_gone)
    cleaned = uniques.copy()
    cleaned[text] = [names_gone(v) for v in identifiers_gone]
    # Rows holding text take their value's cleaned text; anything else stays as it is.
    out = series.to_numpy(dtype=object).copy()
    rows = np.flatnonzero(codes >= 0)
    rows = rows[text[codes[rows]]]
    out[rows] = cleaned[codes[rows]]
    return pd.Series(out, index=series.index, dtype="object")
