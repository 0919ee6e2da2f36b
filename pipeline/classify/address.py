"""Splitting a Korean address into 시도, 시군구, 읍면동 and road name.

도로명주소: 시도 시군구 [읍·면] 도로명 건물번호[, 상세] [(법정동, 건물명)] — in 동 areas the 법정동
appears only in the parentheses (참고항목).  지번주소: 시도 시군구 [읍·면] 동·리 [산]본번[-부번].
Addresses are parsed token by token; anything unrecognised is left empty rather than guessed.

The 참고항목 is the last parenthesised group, its first part the 법정동; parentheses elsewhere
hold building numbers ("마동(105동)", "(제2동)") and building names may carry their own
parentheses ("(정왕동, (주)대성빌딩)"), so groups are read with their nesting and a 동 is taken
from the 참고항목 first, never from a building number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.classify.distinct import on_distinct
from pipeline.clean import null_where, text_array, to_str
from pipeline.config import read_config
from pipeline.config.classification_files import AddressFile

_ROAD = re.compile(r"^[가-힣A-Za-z0-9·.]+(?:대로|로|길)$")
_ROAD_SUFFIX = re.compile(r"^\d+(?:번)?(?:길|가길)$")           # "공단1대로 28번길" written with a space
_NUMBER = re.compile(r"^(?:지하\s?)?산?\d+(?:-\d+)?(?:번지)?,?$")
_DONG = re.compile(r"^[가-힣0-9·.]+(?:동|가)$")                  # 법정동 (정왕동, 을지로1가)
_RI = re.compile(r"^[가-힣0-9]+리$")
_EUPMYEON = re.compile(r"^[가-힣0-9]+(?:읍|면)$")
_SIGUNGU = re.compile(r"^[가-힣]+(?:시|군|구)$")
_GU = re.compile(r"^[가-힣]+구$")
# A 법정동 named in a note: Hangul first, so "105동" and "A동" (buildings) are not; "제2동" (a
# building, 제 + number) is not either.
_NOTE_DONG = re.compile(r"^(?!제\d)[가-힣][가-힣0-9·.]*(?:동|가)$")
# 가동, 나동 ... 하동: building letters when written outside the 참고항목.
_BUILDING_LETTER = re.compile(r"^[가나다라마바사아자차카타파하]동$")
COLUMNS = ["addr_sido", "addr_sigungu", "addr_eupmyeon", "addr_dong", "addr_ri", "addr_road", "addr_number", "addr_form"]


@lru_cache(maxsize=4)
def sido_aliases(path: Path) -> dict[str, str]:
    cfg = read_config(Path(path), AddressFile).sido
    out = {}
    for official, aliases in cfg.items():
        for name in [official, *aliases]:
            out[name] = official
    return out


def parse_address(address: object, sido_of: dict[str, str]) -> dict[str, str | None]:
    """The parts of one address (see COLUMNS); addr_form is 'road', 'jibun' or None."""
    out = dict.fromkeys(COLUMNS)
    if not isinstance(address, str) or not address.strip():
        return out
    text = address.replace("\u00a0", " ").replace("\u3000", " ").replace("（", "(").replace("）", ")")
    text, groups = split_groups(text)
    # "공단3대로 235,시화단지": a comma ends the building number even without a space.
    text = text.replace(",", ", ")
    # "공단1대로204" -> "공단1대로 204", leaving "을지로1가" and "중앙로123번길" whole.
    text = re.sub(r"(대로|로|길)(\d+(?:-\d+)?)(?=[\s,]|$)", r"\1 \2", text)
    text = re.sub(r"(\d)\s*번지", r"\1", text)
    tokens = [t.strip(",") for t in text.split() if t.strip(",")]
    i = 0
    if i < len(tokens) and tokens[i] in sido_of:
        out["addr_sido"] = sido_of[tokens[i]]
        i += 1
    if i < len(tokens) and _SIGUNGU.match(tokens[i]) and not _DONG.match(tokens[i]):
        sigungu = tokens[i]
        i += 1
        # 일반구 of a 시 (안산시 단원구): the 시군구 is both names.
        if sigungu.endswith("시") and i < len(tokens) and _GU.match(tokens[i]):
            sigungu = f"{sigungu} {tokens[i]}"
            i += 1
        out["addr_sigungu"] = sigungu
    if i < len(tokens) and _EUPMYEON.match(tokens[i]):
        out["addr_eupmyeon"] = tokens[i]
        i += 1
    rest = tokens[i:]
    if rest and _ROAD.match(rest[0]) and not _RI.match(rest[0]):
        road = rest[0]
        if len(rest) > 1 and _ROAD_SUFFIX.match(rest[1]):
            road += rest[1]
            rest = rest[1:]
        out["addr_road"] = road
        out["addr_form"] = "road"
        if len(rest) > 1 and _NUMBER.match(rest[1]):
            out["addr_number"] = rest[1].rstrip(",")
        out["addr_dong"], out["addr_ri"] = note_places(groups)
    elif rest and (_DONG.match(rest[0]) or _RI.match(rest[0])):
        out["addr_dong" if _DONG.match(rest[0]) else "addr_ri"] = rest[0]
        j = 1
        if out["addr_ri"] is None and len(rest) > 1 and _RI.match(rest[1]):
            out["addr_ri"] = rest[1]
            j = 2
        if len(rest) > j and _NUMBER.match(rest[j]):
            out["addr_number"] = rest[j].rstrip(",")
        out["addr_form"] = "jibun"
    return out


def split_groups(text: str) -> tuple[str, list[str]]:
    """The text outside top-level parentheses (each group replaced by a space) and the content of
    each top-level group with its inner parentheses kept; an unclosed group runs to the end."""
    outside: list[str] = []
    groups: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            if depth == 0:
                current = []
                outside.append(" ")
            else:
                current.append(ch)
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append("".join(current))
            else:
                current.append(ch)
        elif depth > 0:
            current.append(ch)
        else:
            outside.append(ch)
    if depth > 0:
        groups.append("".join(current))
    return "".join(outside), groups


def note_places(groups: list[str]) -> tuple[str | None, str | None]:
    """(법정동, 리) named in the parenthesised notes of a road address. The last group is the
    참고항목 ("(정왕동, (주)대성빌딩)"): its first word is taken as it stands; earlier groups are
    building details, from which a 동 is taken only if it cannot be a building ("가동", "제2동",
    "105동" are buildings)."""
    dong = ri = None
    for k, group in enumerate(reversed(groups)):
        inner, _ = split_groups(group)
        for j, part in enumerate(p.strip() for p in inner.split(",")):
            word = part.split()[0] if part.split() else ""
            reference = k == 0 and j == 0
            if dong is None and _NOTE_DONG.match(word) and (reference or not _BUILDING_LETTER.match(word)):
                dong = word
            elif ri is None and _RI.match(word):
                ri = word
        if dong is not None:
            break
    return dong, ri


def road_address_pattern(sido_of: dict[str, str]) -> str:
    """The written form of most addresses in a census, "경기도 안산시 단원구 별망로 180번길 18, 1층
    (성곡동)", as one RE2 pattern whose groups are exactly what parse_address returns for it. It
    accepts nothing parse_address would read differently: single spaces, a known 시도 first, ASCII
    digits, at most one note in parentheses holding one 법정동 or 리; anything else goes the token way."""
    sido = "|".join(re.escape(name) for name in sorted(sido_of, key=len, reverse=True))
    return (
        rf"^(?P<sido>{sido}) "
        r"(?P<sigungu>[가-힣]+시(?: [가-힣]+구)?|[가-힣]+(?:군|구))"
        r"(?: (?P<eupmyeon>[가-힣0-9]+(?:읍|면)))? "
        r"(?P<road>[가-힣A-Za-z0-9·.]+(?:대로|로|길))(?: (?P<suffix>[0-9]+(?:번)?(?:길|가길)))? "
        r"(?P<number>[0-9]+(?:-[0-9]+)?)"
        r"(?:,? [^()]*)?"
        # The 동 of the note as note_places reads it: Hangul first, not 제 + digit.
        r"(?: \((?:(?P<dong>(?:[가-젛젝-힣]|제[가-힣])[가-힣0-9·.]*(?:동|가))|(?P<ri>[가-힣0-9]+리))\))?$"
    )


def parse_addresses(addresses: pd.Series, sido_of: dict[str, str]) -> pd.DataFrame:
    """parse_address for a column: the common road form in one vectorised pattern match, the
    rest address by address. Index and row order are those of `addresses`."""
    parts = pc.extract_regex(text_array(addresses), road_address_pattern(sido_of))
    fast = parts.is_valid()

    def field(name: str) -> pa.Array:  # a group that took no part in the match comes back as ""
        values = parts.field(name)
        return null_where(pc.or_(pc.invert(fast), pc.equal(values, "")), values)

    official = pa.array(list(sido_of.values()), type=pa.large_string())
    columns = {
        "addr_sido": pc.take(official, pc.index_in(field("sido"), value_set=pa.array(list(sido_of), type=pa.large_string()))),
        "addr_sigungu": field("sigungu"),
        "addr_eupmyeon": field("eupmyeon"),
        "addr_dong": field("dong"),
        "addr_ri": field("ri"),
        "addr_road": pc.binary_join_element_wise(field("road"), pc.fill_null(field("suffix"), ""), pa.scalar("", pa.large_string())),
        "addr_number": field("number"),
        "addr_form": null_where(pc.invert(fast), pa.array(np.full(len(fast), "road", dtype=object), type=pa.large_string())),
    }
    # The addresses the pattern does not read are parsed one by one and put in their places;
    # the columns stay Arrow text throughout (as Python objects they took a second to convert).
    slow = np.flatnonzero(~fast.to_numpy(zero_copy_only=False))
    if len(slow):
        parsed = [parse_address(address, sido_of) for address in addresses.iloc[slow]]
        unread = pc.invert(fast)
        for name in COLUMNS:
            columns[name] = pc.replace_with_mask(columns[name], unread, pa.array([p[name] for p in parsed], type=pa.large_string()))
    return pd.DataFrame({name: to_str(columns[name], addresses.index) for name in COLUMNS}, index=addresses.index)


def address_columns(addresses: pd.Series, sido_of: dict[str, str]) -> pd.DataFrame:
    frame = on_distinct(addresses.to_frame("address"), lambda u: parse_addresses(u["address"], sido_of))
    # 읍면동 as one column for tables: the 읍·면 where there is one, else the 법정동.
    frame.insert(3, "addr_emd", frame.addr_eupmyeon.where(frame.addr_eupmyeon.notna(), frame.addr_dong))
    return frame.astype("str")
