"""Product glossary from the HS nomenclature, read in place from the reference folder:

- hsk_codes.csv (Korea Customs Service): Korean 품목명 and English name of each HSK 10-digit line;
- HS_PBI_VN.xlsx (Vietnam's AHTN-based tariff): Vietnamese and English of each line.

Korean -> English is the HSK line itself. Korean -> Vietnamese goes through the 6-digit HS code
both share: a Vietnamese line is taken only when its English text is the same as the HSK line's
English (so a broader heading is never passed off as the translation of a narrower product).
"기타" ("other") lines and fragments that only make sense under their heading ("자전거용",
"발포성의 것", "그 밖의 …") are skipped, and so is a Korean word whose HSK lines give different
English names (실린더: rolling cylinders, engine cylinders …): such words go to the translator."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import pandas as pd

HSK_FILE = Path("glossary") / "hsk_codes.csv"
VN_FILE = Path("glossary") / "HS_PBI_VN.xlsx"


class GlossaryError(ValueError):
    """A glossary file is missing or not in the published shape."""


@dataclass(frozen=True)
class GlossaryEntry:
    en: str
    vi: str | None
    hs10: str


def term_key(text: str) -> str:
    """Key a product word is looked up by: NFKC, no spaces, lower case (판 스프링 = 판스프링)."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


_FRAGMENT = re.compile(r"(용|것)$|^(그밖의|기타)")


def _english_key(text: str) -> str:
    text = re.sub(r"^[\s\-–]+", "", str(text)).rstrip(" :;.")
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _hs_code(value: object) -> str | None:
    """HSCode comes as a number (leading zero lost): 101.0 -> 0101, 10130.0 -> 010130."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    digits = str(int(float(value)))
    width = {3: 4, 4: 4, 5: 6, 6: 6, 7: 8, 8: 8}.get(len(digits))
    return digits.zfill(width) if width else None


def _vietnamese_by_hs6(path: Path) -> dict[str, dict[str, str]]:
    """hs6 -> {English key -> Vietnamese text} over the 6- and 8-digit lines."""
    try:
        # calamine (fastexcel): about 0.3 s for the 16,798 rows against openpyxl's 7 s
        sheet = fastexcel.read_excel(str(path)).load_sheet_by_name("Tariff", dtypes="string").to_pandas()
    except (OSError, ValueError, fastexcel.FastExcelError) as exc:
        raise GlossaryError(f"{path.name}: 읽을 수 없습니다 / cannot read: {exc}") from None
    needed = {"HSCode", "Description_VN", "Description_EN"}
    if not needed <= set(sheet.columns):
        raise GlossaryError(f"{path.name}: 열이 없습니다 / missing columns {sorted(needed - set(sheet.columns))}")
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for code, vn, en in sheet[["HSCode", "Description_VN", "Description_EN"]].itertuples(index=False):
        hs = _hs_code(code)
        if not hs or len(hs) < 6 or not isinstance(vn, str) or not isinstance(en, str):
            continue
        vn_text = re.sub(r"^[\s\-–]+", "", vn).rstrip(" :;")
        if vn_text:
            out[hs[:6]].setdefault(_english_key(en), vn_text)
    return out


def load_product_glossary(reference_dir: Path) -> dict[str, GlossaryEntry]:
    """Korean product word key -> English (and Vietnamese where the join finds it)."""
    hsk_path = Path(reference_dir) / HSK_FILE
    vn_path = Path(reference_dir) / VN_FILE
    for path in (hsk_path, vn_path):
        if not path.is_file():
            raise GlossaryError(f"용어집 원본이 없습니다 / glossary source missing: {path}")
    hsk = pd.read_csv(hsk_path, dtype=str, encoding="utf-8-sig")
    needed = {"hs10", "hs6", "품목명", "영문품목명"}
    if not needed <= set(hsk.columns):
        raise GlossaryError(f"{hsk_path.name}: 열이 없습니다 / missing columns {sorted(needed - set(hsk.columns))}")
    vietnamese = _vietnamese_by_hs6(vn_path)
    candidates: dict[str, Counter] = defaultdict(Counter)
    lines: dict[tuple[str, str], str] = {}
    for hs10, hs6, ko, en in hsk[["hs10", "hs6", "품목명", "영문품목명"]].itertuples(index=False):
        if not isinstance(ko, str) or not isinstance(en, str) or ko.strip() in ("기타", "") or en.strip().lower() == "other":
            continue
        key = term_key(ko)
        if _FRAGMENT.search(key):
            continue
        candidates[key][en.strip()] += 1
        lines.setdefault((key, en.strip()), f"{hs10}|{hs6}")
    glossary = {}
    for key, english in candidates.items():
        if len({_english_key(e) for e in english}) > 1:
            continue  # ambiguous without the firm's context
        en = english.most_common(1)[0][0]
        hs10, hs6 = lines[(key, en)].split("|")
        glossary[key] = GlossaryEntry(en=en, vi=vietnamese.get(hs6, {}).get(_english_key(en)), hs10=hs10)
    return glossary
