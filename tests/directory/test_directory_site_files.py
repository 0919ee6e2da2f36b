"""The files of the site: self-contained (no outside resource), one page per firm and language with
links between the languages, exports partner platforms can load, a coverage table that adds up."""

from __future__ import annotations

import json
import re

import pandas as pd

from pipeline.directory import LANGUAGES, SOURCES
from pipeline.directory.build import build_directory_from_frame

from .conftest import published_names


def test_site_is_self_contained_and_pages_link_their_languages(project, firm_year, tmp_path):
    result = build_directory_from_frame(firm_year, project, 2024, tmp_path / "site")
    root = result.path
    for path in root.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(src|href)=\"(https?:)?//|url\((https?:)?//|@import", text), path
    fonts = (root / "assets" / "fonts.css").read_text(encoding="utf-8")
    assert fonts.count("@font-face") == 2 and "base64," in fonts and "unicode-range:U+1100" in fonts
    slugs = sorted(p.stem for p in (root / "en" / "firms").glob("*.html"))
    assert len(slugs) == len(published_names())
    for lang in LANGUAGES:
        assert sorted(p.stem for p in (root / lang / "firms").glob("*.html")) == slugs
        page = (root / lang / "firms" / f"{slugs[0]}.html").read_text(encoding="utf-8")
        for other in LANGUAGES:
            assert f'href="../../{other}/firms/{slugs[0]}.html"' in page
        index_js = (root / lang / "index.js").read_text(encoding="utf-8")
        assert index_js == f"window.DIRECTORY_INDEX = {(root / lang / 'index.json').read_text(encoding='utf-8')};\n"
    assert (root / "index.html").read_text(encoding="utf-8").count('/index.html" lang=') == 4


def test_exports_hold_every_language_and_the_source_of_each_string(project, firm_year, tmp_path):
    result = build_directory_from_frame(firm_year, project, 2024, tmp_path / "site")
    csv = pd.read_csv(result.path / "exports" / "directory_2024.csv", dtype=str, encoding="utf-8-sig")
    assert len(csv) == len(published_names())
    assert {f"{field}_{lang}" for field in ("name", "sector", "products", "complex", "address") for lang in LANGUAGES} <= set(csv.columns)
    row = csv[csv["name_ko"] == "세원프레스"].iloc[0]
    assert (row["name_en"], row["products_vi"]) == ("Sewon Press", "Máy ép Servo; Máy ép cơ khí")
    data = json.loads((result.path / "exports" / "directory_2024.json").read_text(encoding="utf-8"))
    assert data["census_year"] == 2024 and len(data["firms"]) == len(published_names())
    firm = next(f for f in data["firms"] if f["name"]["ko"]["text"] == "세원프레스")
    assert firm["products"]["en"][0] == {"text": "Servo-presses", "source": "glossary"}
    assert firm["sector"]["zh"] == {"text": "其他机械和设备制造业", "source": "label"}
    assert all(s["source"] in SOURCES for f in data["firms"] for ps in f["products"].values() for s in ps)


def test_coverage_counts_every_string_once(project, firm_year, tmp_path):
    result = build_directory_from_frame(firm_year, project, 2024, tmp_path / "site")
    cov = result.coverage
    assert set(cov["lang"]) == set(LANGUAGES)
    assert (cov[list(SOURCES)].sum(axis=1) == cov["total"]).all()
    names = cov[cov["field"] == "name"].set_index("lang")
    assert (names["total"] == len(published_names())).all()
    assert names.loc["en", "own"] == 1 and names.loc["en", "romanised"] == len(published_names()) - 1
    products = cov[cov["field"] == "products"].set_index("lang")
    assert products.loc["ko", "original"] == products.loc["ko", "total"]
    assert products.loc["en", "glossary"] == 6 and products.loc["zh", "glossary"] == 0  # no Chinese HS table exists
