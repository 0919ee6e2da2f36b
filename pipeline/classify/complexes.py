"""Industrial complex (산업단지) of a firm: the reported name normalised against the KICOX list and
config/classification/complexes.yaml, else derived from the address where the address decides it
(config/classification/complex_by_address.csv), else flagged ambiguous with the candidates.

complex_source: reported | address | ambiguous | none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipeline.classify.complex_names import name_index, resolve
from pipeline.config import ConfigError, config_label, read_yaml
from pipeline.config.classification_files import ComplexesFile
from pipeline.config.files import check
from pipeline.ksic.xlsx import clean_cells, load_raw_sheet

# ①② mark sub-complexes; ▷ marks a sub-sub-complex (▷구미4(산업)).
_MARKERS = re.compile(r"\(\s*[①-⑳](?:\s*\+\s*[①-⑳])*\s*\)|[①-⑳]|▷")
# Annotations KICOX prints inside a 단지명: "남동[재생사업지구]", "서탄(구 유창)", "신암(구:신암농공)".
_ANNOTATION = re.compile(r"\[[^\]]*\]|\(구[\s:][^)]*\)")
_PUNCT = re.compile(r"[\s·ㆍ.,()\[\]{}\-_/]+")


class ComplexConfigError(ConfigError):
    """The alias file names a complex that the KICOX list does not have (or has twice)."""


@lru_cache(maxsize=4)
def read_kicox(path: Path, sheet: str) -> pd.DataFrame:
    """The KICOX complex list as published: title rows, then a 2-row header whose first row has
    유형/시도/시군/단지명; sub-complexes indented with NBSP under their parent (marked ①②…).
    Returns type, sido, sigungu, kicox_name, parent, status."""
    raw = load_raw_sheet(path, sheet)
    cells = clean_cells(raw)
    header = next((i for i, row in cells.iterrows() if row[0] == "유형" and row[3] == "단지명"), None)
    if header is None:
        raise ComplexConfigError(f"{Path(path).name}/{sheet}: header row with 유형 … 단지명 not found")
    # Cleaning trims the NBSP indent that marks a sub-complex, so it is read from the raw cells.
    indented = [isinstance(v, str) and v.startswith("\u00a0") for v in raw.iloc[header + 2:, 3]]
    rows, parent = [], None
    for (kind, sido, sigungu, name, status), sub in zip(cells.iloc[header + 2:, :5].itertuples(index=False), indented, strict=True):
        if not isinstance(name, str):
            continue
        clean = _MARKERS.sub("", name).strip()
        if not sub:
            parent = clean
        rows.append({"type": kind, "sido": sido, "sigungu": sigungu, "kicox_name": clean,
                     "parent": parent if sub else None, "status": status})
    return pd.DataFrame(rows)


# The type word KICOX writes at the end of some names ("아산국가", "동탄도시첨단", "개정지방").
_TYPE_WORDS = {"국가": ("국가",), "일반": ("일반", "지방"), "농공": ("농공",), "도시첨단": ("도시첨단",)}


def canonical_name(base: str, kind: str, type_suffix: dict[str, str]) -> str:
    """단지명 + the ending of its 유형, the type word not doubled: 시화 -> 시화국가산업단지, 아산국가 ->
    아산국가산업단지 (not 아산국가국가산업단지), 구미국가(1단지) -> 구미국가산업단지(1단지)."""
    if base.endswith(("산업단지", "단지")):
        return base
    words = _TYPE_WORDS.get(kind, ())
    for word in words:
        if base.endswith(word) and len(base) > len(word) + 1:
            base = base[: -len(word)].rstrip()
    head, paren, rest = base.partition("(")
    for word in words:
        if head.endswith(word) and len(head) > len(word) + 1:
            head = head[: -len(word)].rstrip()
    return head.rstrip() + type_suffix.get(kind, "") + (paren + rest if paren else "")


def match_key(name: object, suffixes: list[str]) -> str | None:
    if not isinstance(name, str):
        return None
    key = _PUNCT.sub("", _MARKERS.sub("", name)).upper()
    for suffix in sorted(suffixes, key=len, reverse=True):
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return key or None


@lru_cache(maxsize=4)
def complex_catalogue(kicox_path: Path, sheet: str, config_path: Path) -> tuple[pd.DataFrame, dict[str, set[str]], dict]:
    """(catalogue of complexes with canonical names, match key -> canonical names, config)."""
    cfg = read_yaml(config_path)
    try:
        check(ComplexesFile, cfg, config_label(config_path))
    except ConfigError as e:
        raise ComplexConfigError(str(e)) from None
    kicox = read_kicox(kicox_path, sheet).copy()
    base = kicox.kicox_name.str.replace(_ANNOTATION, "", regex=True).str.strip()
    kicox["name"] = [canonical_name(n, t, cfg["type_suffix"]) for n, t in zip(base, kicox.type, strict=True)]
    # The same complex is printed once under its parent and once on its own (서울디지털 ①): keep one.
    kicox = kicox.drop_duplicates(["type", "sido", "sigungu", "kicox_name"]).reset_index(drop=True)
    keys: dict[str, set[str]] = {}
    problems = []
    for entry in cfg["complexes"]:
        hit = kicox.index[(kicox.kicox_name == entry["kicox"]) & (kicox.sigungu == entry["sigungu"])]
        if len(hit) != 1:
            problems.append(f"{entry['name']}: {len(hit)} KICOX rows for {entry['kicox']!r} in {entry['sigungu']}")
            continue
        kicox.loc[hit, "name"] = entry["name"]
        for alias in [entry["name"], entry["kicox"], *entry.get("aliases", [])]:
            keys.setdefault(match_key(alias, cfg["name_suffixes"]), set()).add(entry["name"])
    if problems:
        raise ComplexConfigError("complexes.yaml 검증 실패 / does not match the KICOX list: " + "; ".join(problems))
    aliased = {k for k in keys}
    for name, kicox_name in zip(kicox.name, kicox.kicox_name, strict=True):
        for key in {match_key(name, cfg["name_suffixes"]), match_key(kicox_name, cfg["name_suffixes"])}:
            if key and key not in aliased:
                keys.setdefault(key, set()).add(name)
    return kicox, keys, cfg


@lru_cache(maxsize=4)
def address_rules(path: Path) -> dict[tuple[str, str, str], list[str]]:
    """(시군구, 'road'|'dong', value) -> candidate complexes, from the CSV an analyst edits."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    out: dict[tuple[str, str, str], set[str]] = {}
    for row in table.itertuples(index=False):
        for column in ("road", "dong"):
            value = getattr(row, column).strip()
            if value:
                out.setdefault((row.sigungu.strip(), column, value), set()).update(c.strip() for c in row.candidates.split("|") if c.strip())
    return {k: sorted(v) for k, v in out.items()}


def check_address_rules(rules: dict, catalogue: pd.DataFrame) -> None:
    """Every candidate in complex_by_address.csv is a canonical complex name (a misspelt name would
    otherwise become a complex of its own)."""
    known = set(catalogue.name)
    unknown = sorted({c for cands in rules.values() for c in cands} - known)
    if unknown:
        raise ComplexConfigError(f"complex_by_address.csv: unknown complexes {unknown} (use the names of complexes.yaml or KICOX)")


def complex_columns(reported: pd.Series, addresses: pd.DataFrame, catalogue: pd.DataFrame,
                    keys: dict[str, set[str]], cfg: dict, rules: dict) -> pd.DataFrame:
    """complex_name, complex_type, complex_source, complex_candidates, complex_reported_unmatched.
    addresses: the addr_* columns of pipeline.classify.address for the same rows."""
    type_of = dict(zip(catalogue.name, catalogue.type, strict=True))
    sigungu_of = {n: set(g.sigungu) for n, g in catalogue.groupby("name")}
    undeveloped = set(catalogue.name[catalogue.status == "미개발"])
    none_keys = {match_key(v, []) for v in cfg.get("not_in_complex", [])}
    index = name_index(catalogue, keys, cfg)
    out = []
    for text, sigungu, dong, road in zip(reported, addresses["addr_sigungu"], addresses["addr_dong"], addresses["addr_road"], strict=True):
        said_none = isinstance(text, str) and match_key(text, []) in none_keys
        candidates = set() if said_none else resolve(text, index)
        if len(candidates) > 1 and isinstance(sigungu, str):
            local = {c for c in candidates if any(s and sigungu.startswith(s) for s in sigungu_of.get(c, ()))}
            candidates = local or candidates
        if len(candidates) > 1:
            # No firm operates in a complex KICOX lists as 미개발 (남동공단: the 국가 complex, not the
            # planned 도시첨단 one of the same name).
            candidates = (candidates - undeveloped) or candidates
        unmatched = isinstance(text, str) and bool(text.strip()) and not said_none and not candidates
        if len(candidates) == 1:
            out.append((next(iter(candidates)), "reported", None, unmatched))
            continue
        if len(candidates) > 1:
            out.append((None, "ambiguous", "|".join(sorted(candidates)), unmatched))
            continue
        from_address = _by_address(rules, sigungu, dong, road)
        if len(from_address) == 1:
            out.append((from_address[0], "address", None, unmatched))
        elif len(from_address) > 1:
            out.append((None, "ambiguous", "|".join(from_address), unmatched))
        else:
            out.append((None, "none", None, unmatched))
    frame = pd.DataFrame(out, index=reported.index, columns=["complex_name", "complex_source", "complex_candidates", "complex_reported_unmatched"])
    frame.insert(1, "complex_type", frame.complex_name.map(type_of))
    frame = frame.astype({c: "str" for c in ["complex_name", "complex_type", "complex_source", "complex_candidates"]})
    frame["complex_reported_unmatched"] = frame.complex_reported_unmatched.astype("boolean")
    return frame


def _by_address(rules: dict, sigungu, dong, road) -> list[str]:
    """Candidates of the most specific matching row: a road row beats a dong row."""
    if not isinstance(sigungu, str):
        return []
    for column, value in (("road", road), ("dong", dong)):
        if isinstance(value, str) and (sigungu, column, value) in rules:
            return rules[(sigungu, column, value)]
    return []
