"""A starter layout for a file no layout fits: each header compared with the canonical columns'
labels (config/canonical_columns.yaml) and with the headers existing layouts map, the best
guesses written as a layout file for the analyst to confirm (`census layout new FILE`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from rapidfuzz.fuzz import ratio

from pipeline.layout_schema import first_problem
from pipeline.layouts import Layout, LayoutError, normalise_header
from pipeline.schema import Column

# Below this similarity a header is left unmapped: a wrong guess costs the analyst more than a
# blank line does.
MIN_SIMILARITY = 0.7
# A second header resembling a column already taken becomes its fallback only when it resembles
# it this much (정제도로명주소 / 정제지번주소 for address).
FALLBACK_SIMILARITY = 0.9
# Money units as headers state them: "매출액(천원)", "수출액 (백만원)".
_UNIT_WORDS = [("백만원", "mil_krw"), ("천원", "thousand_krw"), ("억원", "hundred_mil_krw"), ("원", "krw")]


class GuessConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    synonyms: dict[str, list[str]]


def load_synonyms(path: Path, catalogue: dict[str, Column]) -> dict[str, list[str]]:
    """config/layout_guess.yaml: canonical column -> words sources use for it."""
    file = f"config/{path.name}"
    try:
        with open(path, encoding="utf-8") as f:
            parsed = GuessConfig.model_validate(yaml.safe_load(f))
    except yaml.YAMLError as e:
        raise LayoutError(file, "YAML 형식 오류", f"not valid YAML: {getattr(e, 'problem', e)}") from None
    except ValidationError as e:
        key, ko, en = first_problem(e)
        raise LayoutError(file, f"{key}: {ko}", f"{key}: {en}") from None
    unknown = sorted(set(parsed.synonyms) - set(catalogue))
    if unknown:
        raise LayoutError(file, f"synonyms.{unknown[0]}: 표준 열 이름이 아닙니다", f"synonyms.{unknown[0]}: not a canonical column")
    return parsed.synonyms


@dataclass(frozen=True)
class Guess:
    position: int
    header: str
    canonical: str
    score: float  # 0..1 similarity of the header with `evidence`
    evidence: str  # what it resembled: "표준 이름 업체명 / label" or "양식 <name>: 기업명"
    role: str = "headers"  # or "fallback": a second column for the same canonical column


# Parenthesised units and qualifiers that say nothing about which column it is: "종업원수(명) 남"
# is the label "종업원수(남)", "매출액(천원)" the label "매출액(백만원)", "협력단계" the label
# "협력단계(응답)".
_NOISE = re.compile(r"\((?:명|원|천원|백만원|억원|%|개|사|개사|㎡|m2|응답|원자료)\)")


def compact(text: str) -> str:
    """A header or label without units, qualifiers, parentheses and spacing."""
    return normalise_header(_NOISE.sub("", unicodedata.normalize("NFKC", str(text or "")))).replace("(", "").replace(")", "")


def similarity(header: str, candidate: str) -> float:
    """1 for the same header (spacing, case, width, units and parentheses aside); a candidate of
    two or more letters inside the header ("주소" in "정제도로명주소"), or a header of three or
    more inside the candidate, at least 0.75; else the edit-distance ratio."""
    a, b = compact(header), compact(candidate)
    if not a or not b:
        return 0.0
    if a == b or normalise_header(header) == normalise_header(candidate):
        return 1.0
    score = ratio(a, b) / 100
    if len(b) >= 2 and b in a:
        score = max(score, 0.75 + 0.25 * len(b) / len(a))
    elif len(a) >= 3 and a in b:
        score = max(score, 0.75 + 0.25 * len(a) / len(b))
    return score


def candidates(catalogue: dict[str, Column], layouts: list[Layout], synonyms: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(canonical column, text to compare with, where the text comes from)."""
    out = []
    for name, col in catalogue.items():
        out += [(name, col.label_ko, f"표준 이름 {col.label_ko} / label"), (name, name, "표준 열 / canonical name")]
        out += [(name, word, f"흔한 이름 {word} / common word") for word in synonyms.get(name, [])]
    for layout in layouts:
        for spec in layout.columns:
            for header in spec.all_headers():
                out.append((spec.canonical, header, f"양식 {layout.name}: {header}"))
    return out


def guess_columns(headers: list[str], catalogue: dict[str, Column], layouts: list[Layout],
                  synonyms: dict[str, list[str]] | None = None) -> list[Guess]:
    """At most one canonical column per header and one header per canonical column (a second
    text header resembling an already taken text column becomes its fallback: 도로명 then 지번),
    best similarity first."""
    scored = []
    options = candidates(catalogue, layouts, synonyms or {})
    for pos, header in enumerate(headers):
        if not header or not header.strip():
            continue
        best: dict[str, tuple[float, str]] = {}
        # A two-row header is joined "parent child" ("주요 납품처 비중1(%)"): the child alone is
        # what tells the columns under one parent apart.
        parts = re.split(r"[\s_]+", header.strip())  # "종업원수(명) 남", "종사자수_남"
        child = parts[-1] if len(parts) > 1 else None
        for canonical, text, evidence in options:
            # The whole header outranks its last word alone: "공개 연락처" is the published contact,
            # not the 연락처 (phone) its last word names.
            s = max(similarity(header, text), 0.99 * similarity(child, text) if child else 0.0)
            if s >= MIN_SIMILARITY and s > best.get(canonical, (0.0, ""))[0]:
                best[canonical] = (s, evidence)
        scored += [(s, pos, header, canonical, evidence) for canonical, (s, evidence) in best.items()]
    scored.sort(key=lambda t: (-t[0], t[1]))
    taken_headers: set[int] = set()
    primary: dict[str, Guess] = {}
    fallbacks: list[Guess] = []
    for s, pos, header, canonical, evidence in scored:
        if pos in taken_headers:
            continue
        if canonical not in primary:
            primary[canonical] = Guess(pos, header, canonical, round(s, 2), evidence)
            taken_headers.add(pos)
        elif (s >= FALLBACK_SIMILARITY and catalogue[canonical].type == "text"
              and not any(f.canonical == canonical for f in fallbacks)):
            fallbacks.append(Guess(pos, header, canonical, round(s, 2), evidence, "fallback"))
            taken_headers.add(pos)
    return sorted([*primary.values(), *fallbacks], key=lambda g: g.position)


def guess_header(sheets: list[list[list[str | None]]], catalogue: dict[str, Column], layouts: list[Layout],
                 synonyms: dict[str, list[str]]) -> tuple[int, int, int, list[str], list[Guess]] | None:
    """(sheet, first row, depth, headers, guesses) of the row (alone or over the row below it)
    whose cells resemble the most canonical columns; title rows above a header resemble none."""
    from pipeline.read.header import header_candidates  # pipeline.read imports pipeline.layouts

    best = None
    for s, i, depth, headers in header_candidates(sheets):
        guesses = guess_columns(headers, catalogue, layouts, synonyms)
        key = (len(guesses), sum(g.score for g in guesses), -depth)
        if best is None or key > best[0]:
            best = (key, s, i, depth, headers, guesses)
    return None if best is None else best[1:]


def unit_of(header: str) -> str | None:
    """The money unit a header states, if it states one."""
    text = normalise_header(header)
    for word, unit in _UNIT_WORDS:
        if word in text:
            return unit
    return None


def starter_layout(name: str, file_name: str, header_row: str, headers: list[str], guesses: list[Guess]) -> str:
    """The text of a layout file: every guess with what it resembled, the headers left unmapped
    as comments, and the lines the analyst must check marked."""
    lines = [
        f"# 초안 / draft: census layout new {file_name} ({header_row}).",
        "# 추정한 대응을 확인·수정한 뒤 census validate 로 검사하세요. 형식: pipeline/layouts.py 맨 위.",
        "# Guessed mappings: check and correct each line, then run census validate. Format: top of pipeline/layouts.py.",
        f"name: {name}",
        f'description: "{file_name}에서 만든 양식 / layout started from {file_name}"',
        "# ksic_revision: 11   # 업종코드의 차수를 알면 적으세요 / the KSIC revision of the codes, if known",
        "columns:",
    ]
    by_canonical: dict[str, list[Guess]] = {}
    for g in guesses:
        by_canonical.setdefault(g.canonical, []).append(g)
    if "firm_name" not in by_canonical:
        lines.append("  # 업체명 열을 찾지 못했습니다: 파일의 업체명 머리글을 적으세요 / no firm-name column found: write its header")
        lines.append("  firm_name: {headers: [업체명]}")
    for canonical, found in by_canonical.items():
        main = [g for g in found if g.role == "headers"]
        extra = [g for g in found if g.role == "fallback"]
        spec = f"headers: [{_quoted(main[0].header)}]"
        if extra:
            spec += f", fallback: [{', '.join(_quoted(g.header) for g in extra)}]"
        note = "; ".join(f"{g.header} ≈ {g.evidence} ({g.score:.2f})" for g in found)
        if canonical.endswith("_mil_krw"):
            unit = unit_of(main[0].header)
            spec += f", unit: {unit or 'mil_krw'}"
            if unit is None:
                note += "; 단위 확인 / check the unit"
        lines.append(f"  {canonical}: {{{spec}}}   # {note}")
    used = {g.position for g in guesses}
    unmapped = [h for i, h in enumerate(headers) if h and i not in used]
    if unmapped:
        lines.append(f"# 대응하지 않은 열 / headers not mapped: {', '.join(unmapped)}")
    return "\n".join(lines) + "\n"


def layout_name(file_stem: str) -> str:
    """A layout name from a file name: words joined by '_', a census year dropped."""
    words = [w for w in re.split(r"[^0-9A-Za-z가-힣]+", file_stem) if w and not re.fullmatch(r"(19|20)\d\d", w)]
    return "_".join(words).lower() or "new_layout"


def _quoted(header: str) -> str:
    return '"' + header.replace("\\", "\\\\").replace('"', '\\"') + '"'
