"""A reported complex name -> the KICOX complexes it can mean.

Respondents and registers write the same complex many ways: with the type word (창원국가산업단지
vs 창원일반산업단지: two complexes), with the old type name 지방 for 일반 (화성향남지방산업단지), with
the city in front (시흥매화일반산업단지 for 매화 in 시흥, 부산명지녹산국가산업단지), as parent and
sub-complex (반월특수(시화), 아산(포승지구)) or by a parent name that KICOX splits into several
(구미국가산업단지: 1단지, 2-4단지 ...). `resolve` tries the readings from the most literal to the
loosest and stops at the first that names something; the type word written decides between
same-named complexes of different types. A name that fits several complexes equally is returned
with all of them (the caller reports it ambiguous); nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

_MARKERS = re.compile(r"\(\s*[①-⑳](?:\s*\+\s*[①-⑳])*\s*\)|[①-⑳]|▷")
_ANNOTATION = re.compile(r"\[[^\]]*\]|\(구[\s:][^)]*\)")
_PAREN = re.compile(r"\(([^()]*)\)")
_PUNCT = re.compile(r"[\s·ㆍ.,()\[\]{}\-_/]+")
# Type words as they are written on their own at the end of a name ("아산국가", "개정지방").
_BARE = {"국가": "국가", "일반": "일반", "지방": "일반", "농공": "농공", "도시첨단": "도시첨단"}


def squeeze(text: str) -> str:
    return _PUNCT.sub("", _MARKERS.sub("", text)).upper()


@dataclass(frozen=True)
class NameIndex:
    keys: dict[str, set[str]]  # match key -> canonical names (pipeline.classify.complexes)
    suffixes: tuple[str, ...]  # endings stripped before matching, longest first
    type_of_suffix: dict[str, str]  # ending -> the complex type it states
    type_of: dict[str, str]  # canonical name -> type
    family: dict[str, set[str]]  # stem of a KICOX name (구미국가(1단지) -> 구미) -> names
    top: dict[str, str]  # canonical name -> the name of its top-level parent (itself if none)
    region: dict[str, set[str]]  # 시도 or 시군구 word (시흥, 시흥시, 경기) -> names located there
    # KICOX names that carry their own region in front (경기화성바이오밸리), keyed without it.
    unprefixed: dict[str, set[str]]
    # KICOX names keyed without their parenthesised labels (진위3(kdb Utoplex) -> 진위3).
    unlabelled: dict[str, set[str]]


def name_index(catalogue: pd.DataFrame, keys: dict[str, set[str]], cfg: dict) -> NameIndex:
    type_words = {str(k): str(v) for k, v in (cfg.get("type_words") or {}).items()}
    suffixes = tuple(sorted(set(cfg["name_suffixes"]) | set(type_words), key=len, reverse=True))
    names = catalogue["name"].tolist()
    by_kicox = {(r.sido, r.kicox_name): r.name for r in catalogue.itertuples(index=False)}
    parent_of = {r.name: by_kicox.get((r.sido, r.parent)) for r in catalogue.itertuples(index=False)
                 if isinstance(r.parent, str)}
    top = {}
    for name in names:
        seen, current = {name}, name
        while parent_of.get(current) and parent_of[current] not in seen and parent_of[current] != current:
            current = parent_of[current]
            seen.add(current)
        top[name] = current
    family: dict[str, set[str]] = {}
    for r in catalogue.itertuples(index=False):
        stem = _stem(r.kicox_name, suffixes)
        if stem:
            family.setdefault(stem, set()).add(r.name)
    region: dict[str, set[str]] = {}
    unprefixed: dict[str, set[str]] = {}
    unlabelled: dict[str, set[str]] = {}
    for r in catalogue.itertuples(index=False):
        if "(" in r.kicox_name:
            plain, _ = strip_type(squeeze(_PAREN.sub("", _ANNOTATION.sub("", _MARKERS.sub("", r.kicox_name)))), suffixes, {})
            for word in _BARE:  # 구미국가(1단지) -> 구미 as well as 구미국가
                if plain.endswith(word) and len(plain) > len(word) + 1:
                    unlabelled.setdefault(plain[: -len(word)], set()).add(r.name)
            if plain:
                unlabelled.setdefault(plain, set()).add(r.name)
        words = _region_words(r.sido, r.sigungu)
        for word in words:
            region.setdefault(word, set()).add(r.name)
        key, _ = strip_type(squeeze(_ANNOTATION.sub("", r.kicox_name)), suffixes, {})
        for _ in range(2):  # 경기화성바이오밸리 -> 화성바이오밸리 -> 바이오밸리
            word = next((w for w in sorted(words, key=len, reverse=True) if key.startswith(w) and len(key) - len(w) >= 2), None)
            if word is None:
                break
            key = key[len(word):]
            unprefixed.setdefault(key, set()).add(r.name)
    return NameIndex(keys, suffixes, type_words, dict(zip(catalogue.name, catalogue.type, strict=True)), family, top, region, unprefixed, unlabelled)


def _stem(kicox_name: str, suffixes: tuple[str, ...]) -> str | None:
    """구미국가(1단지)[재생사업지구] -> 구미; 구미(확장단지) -> 구미; 안성제1 -> 안성; 진위2 -> 진위;
    광주첨단과학(1단계) -> 광주첨단과학."""
    base = _PAREN.sub("", _ANNOTATION.sub("", _MARKERS.sub("", kicox_name)))
    key, _ = strip_type(squeeze(base), suffixes, {})
    for word in sorted(_BARE, key=len, reverse=True):
        if key.endswith(word) and len(key) > len(word) + 1:
            key = key[: -len(word)]
            break
    numbered = re.fullmatch(r"(.{2,}?)제?\d+", key)
    return (numbered.group(1) if numbered else key) or None


def _region_words(sido: object, sigungu: object) -> set[str]:
    words = set()
    if isinstance(sido, str) and sido.strip():
        words.add(squeeze(sido))
    if isinstance(sigungu, str):
        for part in sigungu.split():
            words.add(squeeze(part))
            if len(part) >= 3 and part[-1] in "시군구":
                words.add(squeeze(part[:-1]))
    return words


def strip_type(key: str, suffixes: tuple[str, ...], type_of_suffix: dict[str, str]) -> tuple[str, str | None]:
    """The key without its ending (국가산업단지, 지방산단, 공단 ...) and the type the ending states."""
    for suffix in suffixes:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)], type_of_suffix.get(suffix)
    return key, None


def strip_variants(key: str, suffixes: tuple[str, ...], type_of_suffix: dict[str, str]) -> tuple[list[str], str | None]:
    """Every key the name can have without one of its endings, least stripped first
    (은하전문농공단지 -> 은하전문농공, 은하전문, 은하), and the type the longest typed ending states."""
    keys, stated = [], None
    for suffix in suffixes:  # longest first
        if key.endswith(suffix) and len(key) > len(suffix):
            keys.append(key[: -len(suffix)])
            stated = stated or type_of_suffix.get(suffix)
    keys = sorted(set(keys), key=len, reverse=True) or [key]
    return keys, stated


def resolve(text: object, index: NameIndex) -> set[str]:
    """The canonical names `text` can mean (empty if none)."""
    if not isinstance(text, str) or not text.strip():
        return set()
    whole = _resolve_plain(squeeze(_ANNOTATION.sub("", text)), index)
    if whole:
        return whole
    inner = [m for m in _PAREN.findall(text) if m.strip()]
    outer = _PAREN.sub("", text)
    if inner:
        # 반월특수(시화), 한국수출산업(주안), 아산(포승지구): the part in parentheses is the sub-complex.
        parents = _resolve_plain(squeeze(outer), index)
        under = {n for n, t in index.top.items() if t in {index.top.get(p, p) for p in parents}}
        for part in inner:
            found = _resolve_plain(squeeze(part), index)
            if found:
                return (found & under) or found
        return parents
    return set()


def _resolve_plain(key: str, index: NameIndex) -> set[str]:
    """Exact readings first (the least stripped key first), then loose ones (the most stripped
    first); each also without a region in front."""
    keys, stated = strip_variants(key, index.suffixes, index.type_of_suffix)
    for loose, order in ((False, keys), (True, keys[::-1])):
        for k in order:
            found = _readings(k, stated, index, loose, None, 0)
            if found:
                return found
    return set()


def _readings(key: str, stated: str | None, index: NameIndex, loose: bool, within: set[str] | None, depth: int) -> set[str]:
    """Exact: the name as a known key, the parent's KICOX spelling (아산 + 국가), a KICOX name
    with its region in front or without its labels. Loose: the family of sub-complexes (구미 ->
    구미국가(1단지), (2-4단지) ...). Then the same without a region in front of the name, among the
    complexes of that region (시흥매화 -> 매화 in 시흥)."""
    if loose:
        readings = [_family(key, index)]
    else:
        readings = [index.keys.get(key, set())]
        if stated:  # "아산국가산업단지": KICOX lists the parent as "아산국가"
            readings += [index.keys.get(key + word, set()) for word, kind in _BARE.items() if kind == stated]
        readings += [index.unprefixed.get(key, set()), {index.top.get(n, n) for n in index.unlabelled.get(key, set())}]
    for found in readings:
        if within is not None:
            found = found & within
        # A type written that none of them has means another complex (안성일반산업단지 is not
        # 안성농공단지): not a match.
        typed = {n for n in found if index.type_of.get(n) == stated} if stated else found
        if typed:
            return typed
    if depth < 2:
        # What is left after the region must still say something: two letters, or one with a
        # type written (울주 신일반산업단지).
        shortest = 1 if stated else 2
        for word in sorted((w for w in index.region if key.startswith(w) and len(key) - len(w) >= shortest), key=len, reverse=True):
            place = index.region[word] if within is None else index.region[word] & within
            found = _readings(key[len(word):], stated, index, loose, place, depth + 1)
            if found:
                return found
    return set()


def _family(key: str, index: NameIndex) -> set[str]:
    """Complexes KICOX splits out of one name (구미 -> 구미국가(1단지), 구미국가(2-4단지) ...), rolled
    up to their top-level parents: one parent is the answer, several are the candidates."""
    members = index.family.get(key, set())
    return {index.top.get(n, n) for n in members}
