"""Company-name normalisation for matching customers and firms across spellings and years.

The key drops what varies between respondents but does not change which firm is meant: legal-form
marks ((주), ㈜, 주식회사 before or after the name, Co., Ltd., Inc.), bracketed notes such as a
plant name, spaces, punctuation, full-width letters and case. An alias table then maps known
renames and abbreviations (쌍용자동차 -> KG모빌리티) to one canonical key. The raw name is always
kept beside the key; the key is only for comparison.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.config import read_config
from pipeline.config.files import cached_by_file
from pipeline.config.names_file import AliasesFile

_PUNCT = re.compile(r"[\s\.,\-_&·'\"/\\:;!?~*+=#@|`]+")
_BRACKETED = re.compile(r"[\(\[\{<]([^\(\)\[\]\{\}<>]*)[\)\]\}>]")


@dataclass(frozen=True)
class NameRules:
    bracketed_forms: frozenset[str]
    words: tuple[str, ...]
    latin: tuple[str, ...]
    aliases: dict[str, str]  # normalised alias -> canonical display name


@cached_by_file
def load_name_rules(path: Path) -> NameRules:
    """Legal forms and aliases from the agency's config/company_aliases.yaml."""
    raw = read_config(Path(path), AliasesFile)
    forms = raw.legal_forms
    # Longest first so "유한책임회사" is removed before "유한회사" could leave "책임".
    words = tuple(sorted((_fold(w) for w in forms.words), key=len, reverse=True))
    latin = tuple(sorted((_fold(w) for w in forms.latin), key=len, reverse=True))
    rules = NameRules(frozenset(_fold(b) for b in forms.bracketed), words, latin, {})
    # Spelling key -> the canonical name's key, worked out once here (normalise_name does not
    # read the aliases, so `rules` without them gives the same keys).
    aliases: dict[str, str] = {}
    for canonical, spellings in raw.aliases.items():
        target = normalise_name(str(canonical), rules)
        for spelling in [canonical, *(spellings or [])]:
            key = normalise_name(str(spelling), rules)
            if key:
                aliases[key] = target
    return NameRules(rules.bracketed_forms, words, latin, aliases)


def _fold(text: str) -> str:
    # NFKC turns ㈜ into (주), full-width （주） and ＡＢＣ into ASCII forms.
    return unicodedata.normalize("NFKC", text).strip().lower()


def _strip_latin_forms(text: str, latin: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for form in latin:
            stripped = text.rstrip(" ,.")
            if stripped.endswith(form) and len(stripped) > len(form):
                before = stripped[: -len(form)]
                # Only a whole word: "inc" must not eat the end of "zinc".
                if form[0].isalpha() and before[-1:].isalpha() and before[-1:].isascii():
                    continue
                text, changed = before, True
    return text


def normalise_name(name: object, rules: NameRules) -> str:
    """The matching key of a company name; "" for a missing or empty name.

    Bracketed legal forms go wherever they are; other bracketed text (a plant or branch
    note) goes too unless it is the whole name. Bare legal-form words go at either end.
    `rules`: load_name_rules of the agency's company_aliases.yaml.
    """
    if name is None or not isinstance(name, str):
        return ""
    return _normalised(name, rules.bracketed_forms, rules.words, rules.latin)


# The same names recur across years, customers and steps (a firm's name in identity, supply and
# the cluster network); the key depends only on the name and the legal forms, so it is worked out
# once per process for the names seen last. Bounded: a million-firm year does not keep them all.
@lru_cache(maxsize=1 << 18)
def _normalised(name: str, bracketed_forms: frozenset[str], words: tuple[str, ...], latin: tuple[str, ...]) -> str:
    text = _fold(name)
    # ㈜ written without one bracket: "주)대성", "(주대성" are common keying slips.
    text = re.sub(r"^\(?주\)|\(주\)?$", " ", text)

    without = _BRACKETED.sub(" ", text)
    if _PUNCT.sub("", without):
        text = without
    else:
        # The whole name is bracketed, e.g. "(주)" alone or "(SEC)": keep the text, drop the
        # legal forms.
        text = _BRACKETED.sub(
            lambda m: " " if m.group(1).strip() in bracketed_forms else " " + m.group(1) + " ", text
        )
    text = _strip_latin_forms(text.strip(), latin)
    for word in words:
        text = text.strip()
        if text.startswith(word) and len(text) > len(word):
            text = text[len(word):]
        if text.endswith(word) and len(text) > len(word):
            text = text[: -len(word)]
    return _PUNCT.sub("", text)


def canonical_key(name: object, rules: NameRules) -> str:
    """The normalised key after resolving aliases: 쌍용자동차(주) and KGM both give the key of
    KG모빌리티."""
    key = normalise_name(name, rules)
    return rules.aliases.get(key, key)
