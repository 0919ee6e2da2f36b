"""Address to the road and industrial complex in each language. Korean as curated; other
languages romanised the way road signs write them (Gongdan 2-daero, Siheung-si, Gyeonggi-do),
with the complex type from the label files (시화국가산업단지 -> Sihwa National Industrial Complex)."""

from __future__ import annotations

import re

from pipeline.directory.config import DirectoryConfig
from pipeline.directory.romanise import romanise_name, romanise_word
from pipeline.directory.text import Rendered

# Administrative units: the suffix is written after a hyphen (시흥시 -> Siheung-si).
_METRO = {"특별시": "", "광역시": "", "특별자치시": "", "특별자치도": "-do"}
_UNITS = {"도": "do", "시": "si", "군": "gun", "구": "gu", "읍": "eup", "면": "myeon", "동": "dong"}
_ROAD = re.compile(r"^(?P<name>[가-힣]+?)(?P<num>\d+)?(?P<kind>대로|로|길)(?:(?P<n2>\d+)(?P<kind2>번길|길))?$")
_ROAD_KINDS = {"대로": "daero", "로": "ro", "길": "gil", "번길": "beon-gil"}


def romanise_area(name: str) -> str:
    for suffix, latin in _METRO.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            return romanise_word(name[: -len(suffix)]) + latin
    if len(name) > 1 and name[-1] in _UNITS:
        return f"{romanise_word(name[:-1])}-{_UNITS[name[-1]]}"
    return romanise_word(name)


def romanise_road(road: str) -> str:
    m = _ROAD.match(road.replace(" ", ""))
    if not m:
        return romanise_word(road) if re.fullmatch(r"[가-힣]+", road) else road
    out = romanise_word(m["name"])
    out += f" {m['num']}-{_ROAD_KINDS[m['kind']]}" if m["num"] else f"-{_ROAD_KINDS[m['kind']]}"
    if m["n2"]:
        out += f" {m['n2']}{'beon-gil' if m['kind2'] == '번길' else '-gil'}"
    return out


def _parts(row: dict) -> list[str]:
    return [str(row[c]).strip() for c in ("addr_sido", "addr_sigungu", "addr_road") if row.get(c) and str(row[c]).strip() not in ("", "nan")]


def address(row: dict, lang: str) -> Rendered | None:
    """Sido, sigungu and road name; never the building number."""
    parts = _parts(row)
    if not parts:
        return None
    if lang == "ko":
        return Rendered(" ".join(parts), "original")
    latin = []
    for i, part in enumerate(parts):
        is_road = i == len(parts) - 1 and row.get("addr_road")
        latin.append(romanise_road(part) if is_road else " ".join(romanise_area(w) for w in part.split()))
    return Rendered(", ".join(reversed(latin)), "romanised")


def complex_label(name: object, lang: str, config: DirectoryConfig) -> Rendered | None:
    if name is None or not str(name).strip() or str(name) == "nan":
        return None
    name = str(name).strip()
    if lang == "ko":
        return Rendered(name, "original")
    types = config.labels[lang].complex_types
    kind = next((k for k in sorted(types, key=len, reverse=True) if name.endswith(k) and len(name) > len(k)), None)
    if kind is None:  # 시화MTV: the Hangul romanised, the Latin kept
        return Rendered(romanise_name(name, {}), "romanised")
    base = romanise_word(name[: -len(kind)])
    label = types[kind]
    return Rendered(f"{label} {base}" if lang == "vi" else f"{base} {label}", "romanised")
