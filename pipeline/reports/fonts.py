"""The Korean font of the reports: NanumGothic as shipped by the koreanize-matplotlib package,
subset to the characters a page uses and embedded as base64, so the HTML needs nothing from
outside and stays small."""

from __future__ import annotations

import base64
import importlib.util
import io
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=2)
def korean_font_path(weight: str = "") -> Path:
    """Path of NanumGothic{weight}.ttf. Found without importing koreanize_matplotlib, whose
    import changes matplotlib's global settings."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("koreanize-matplotlib is not installed; it ships the NanumGothic font the reports embed")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / f"NanumGothic{weight}.ttf"
    if not path.is_file():
        raise RuntimeError(f"font file missing: {path}")
    return path


def subset_font_base64(text: str, weight: str = "") -> str:
    """Base64 TrueType holding only the glyphs of `text` (plus ASCII)."""
    # VTT hinting sources: useless in a browser and fontTools cannot subset them.
    return subset_file_base64(korean_font_path(weight), frozenset(text) | {chr(c) for c in range(0x20, 0x7F)},
                              ("TSI0", "TSI1", "TSI2", "TSI3", "TSI5", "TSIV"))


@lru_cache(maxsize=16)
def subset_file_base64(path, chars: frozenset[str], drop_tables: tuple[str, ...]) -> str:
    """Base64 TrueType of the font file at `path` holding only the glyphs of `chars`, without
    the tables named in `drop_tables`. Cached by the set of characters: every year's report (and
    each edition) uses the same characters, so a process writing several reports subsets once."""
    # fontTools.subset is imported here: loading the code location does not pay for it
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # recalcBBoxes off: the glyphs are copied as they are instead of each unpacked and packed
    # again to recompute bounds (most of a subset's time); the header keeps the whole font's
    # bounds, which still hold for the subset.
    font = TTFont(str(path), recalcBBoxes=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.drop_tables += list(drop_tables)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return base64.b64encode(buf.getvalue()).decode("ascii")
