"""Fonts embedded in the directory, so it renders the same offline and from file://:

- Hangul: NanumGothic (koreanize-matplotlib ships it; pipeline/reports/fonts.py subsets it), limited
  by unicode-range to Hangul so its Korean-style hanja never stand in for Chinese characters;
- Latin with Vietnamese diacritics: DejaVu Sans, which matplotlib ships (NanumGothic lacks ơ, ư, ạ …).

No CJK font that covers simplified Chinese ships in a package here, so Chinese characters are drawn
by the reader's system font through a font stack (every Chinese-locale system has one of them);
`missing_glyphs` counts the characters of a page that fall to that stack."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from pipeline.reports.fonts import korean_font_path, subset_file_base64, subset_font_base64

HANGUL_RANGE = "U+1100-11FF, U+3130-318F, U+AC00-D7A3"
SYSTEM_CJK_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
                    '"Hiragino Sans GB", "WenQuanYi Micro Hei", sans-serif')
FONT_STACK = f'"DirLatin", "DirHangul", {SYSTEM_CJK_STACK}'


def _is_hangul(ch: str) -> bool:
    o = ord(ch)
    return 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F or 0xAC00 <= o <= 0xD7A3


@lru_cache(maxsize=1)
def latin_font_path() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed; it ships the DejaVu Sans font the directory embeds")
    path = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    if not path.is_file():
        raise RuntimeError(f"font file missing: {path}")
    return path


@lru_cache(maxsize=4)
def _cmap(path: Path) -> frozenset[int]:
    return frozenset(TTFont(str(path)).getBestCmap())


def _subset_latin_base64(chars: set[str]) -> str:
    # FontForge timestamps: no use in a browser, and fontTools cannot subset them.
    return subset_file_base64(latin_font_path(), frozenset(chars), ("FFTM",))


def font_css(chars: set[str]) -> str:
    """@font-face rules holding the glyphs of `chars` (Hangul and Latin subsets, base64)."""
    chars = {c for c in chars if not c.isspace()}
    hangul = "".join(sorted(c for c in chars if _is_hangul(c)))
    latin = {c for c in chars if not _is_hangul(c) and ord(c) in _cmap(latin_font_path())}
    latin |= {chr(c) for c in range(0x20, 0x7F)}
    return (
        f'@font-face{{font-family:"DirHangul";src:url(data:font/ttf;base64,{subset_font_base64(hangul)}) format("truetype");'
        f"unicode-range:{HANGUL_RANGE};}}\n"
        f'@font-face{{font-family:"DirLatin";src:url(data:font/ttf;base64,{_subset_latin_base64(latin)}) format("truetype");}}\n'
    )


def missing_glyphs(chars: set[str]) -> set[str]:
    """Characters neither embedded font draws (left to the system font stack)."""
    latin = _cmap(latin_font_path())
    korean = _cmap(korean_font_path())
    return {c for c in chars if not c.isspace() and ord(c) not in latin and not (_is_hangul(c) and ord(c) in korean)}
