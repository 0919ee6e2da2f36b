"""Golden tests on real data: the 582 firm names and product texts of the Seongnam factory
register (../shared/reference/registers), as respondents and registrars really write them."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.directory.build import directory_config
from pipeline.directory.firm_names import firm_name, split_legal_form
from pipeline.directory.glossary import load_product_glossary, term_key
from pipeline.directory.products import product_terms


@pytest.fixture
def register(project) -> pd.DataFrame:
    return pd.read_csv(project.reference_dir / "registers" / "seongnam_factory_registry_2023.csv", dtype=str)


def test_every_real_name_gets_a_clean_latin_name_per_language(project, register):
    config = directory_config(project)
    names = register["회사명"].dropna()
    assert len(names) == 582
    forms = [split_legal_form(n, config.legal_forms)[1] for n in names]
    assert forms.count("stock_company") == 351 and forms.count("limited_company") == 2
    for lang in ("en", "zh", "vi"):
        latin = [firm_name(n, None, lang, config).text for n in names]
        leftovers = [t for t in latin if "(" in t or any("\uac00" <= ch <= "\ud7a3" for ch in t)]
        assert not leftovers, leftovers[:5]  # no Hangul, no (주), no bracketed plant notes
    golden = {"우운실업(주)성남공장": "Uunsireop Co., Ltd.", "(주)로믹코리아(지점)": "Romik Korea Co., Ltd.",
              "스피나시스템즈(주)": "Seupina Systems Co., Ltd.", "성진테크(주)": "Seongjin Tech Co., Ltd.",
              "성지메디칼": "Seongjimedikal"}
    assert {n: firm_name(n, None, "en", config).text for n in golden} == golden
    assert firm_name("성진테크(주)", None, "vi", config).text == "Công ty TNHH Seongjin Tech"


def test_real_product_texts_split_into_words_and_some_are_in_the_hs_glossary(project, register):
    glossary = load_product_glossary(project.reference_dir)
    terms = [t for text in register["생산품정보"].dropna() for t in product_terms(text)]
    assert len(terms) > 800
    assert all(t.strip() == t and t for t in terms)
    found = {t: glossary[term_key(t)].en for t in terms if term_key(t) in glossary}
    # measured 2026-12: 45 of 843 real product words are HS names; the rest go to the translator
    assert 40 <= sum(term_key(t) in glossary for t in terms) <= 80
    assert found["센서"] == "Sensors"
    assert all(isinstance(v, str) and v for v in found.values())
