"""Coarsen an address to 시도 시군구 동 (읍·면), dropping everything below the dong: road,
building number, lot number, floor, unit, building name."""

from __future__ import annotations

import re

_ADMIN_SUFFIXES = ("특별시", "광역시", "특별자치시", "특별자치도", "도", "시", "군", "구")
# Short forms contractors type for the 시도 (경기 시흥시 ...).
_SIDO_SHORT = {"서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남",
               "전북", "전남", "경북", "경남", "제주"}
_DONG = re.compile(r"^[가-힣0-9.]+(동|가|읍|면)$")
_ROAD = re.compile(r"(로|길)\d*(번길)?$")


def address_area(address: object) -> str | None:
    """'경기도 시흥시 정왕천로 123, 2층 (정왕동)' -> '경기도 시흥시 정왕동';
    '경기도 안산시 단원구 원시동 12-3' -> '경기도 안산시 단원구 원시동'. The dong of a road
    address is its 참고항목 in parentheses; without one only the 시군구 is kept."""
    if not isinstance(address, str) or not address.strip():
        return None
    text = re.sub(r"\s+", " ", address.strip())
    main, _, ref = text.partition("(")
    tokens = main.replace(",", " ").split()
    admin: list[str] = []
    for tok in tokens[:3]:
        if (tok in _SIDO_SHORT and not admin) or tok.endswith(_ADMIN_SUFFIXES) and not re.search(r"\d", tok) and not _ROAD.search(tok):
            admin.append(tok)
        else:
            break
    rest = tokens[len(admin):]
    dong = None
    if rest and _DONG.match(rest[0]) and not re.fullmatch(r"\d.*", rest[0]):
        dong = rest[0]
    elif ref:
        first = ref.split(")")[0].split(",")[0].strip()
        dong = first if _DONG.match(first) else None
    if not admin:
        return None
    return " ".join(admin + ([dong] if dong else []))
