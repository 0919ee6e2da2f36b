"""Translation: names, sectors and products in each language, each string with its source; the
real HS glossary and KSIC titles as golden values; config typos fail with one line."""

from __future__ import annotations

import shutil

import pytest

from pipeline.directory import SOURCES
from pipeline.directory.build import directory_config, directory_entries
from pipeline.directory.config import DirectoryConfigError, load_directory_config
from pipeline.directory.firm_names import firm_name
from pipeline.directory.glossary import load_product_glossary, term_key
from pipeline.directory.places import address, complex_label
from pipeline.directory.products import product_terms


@pytest.fixture
def config(project):
    return directory_config(project)


@pytest.mark.parametrize(("name", "own", "expected"), [
    ("(주)화아테크", None, ("Hwaa Tech Co., Ltd.", "Hwaa Tech 有限公司", "Công ty TNHH Hwaa Tech", "romanised")),
    ("㈜현대오토텍", None, ("Hyundai Autotech Co., Ltd.", "Hyundai Autotech 有限公司", "Công ty TNHH Hyundai Autotech", "romanised")),
    ("신라정밀 주식회사", None, ("Sillajeongmil Co., Ltd.", "Sillajeongmil 有限公司", "Công ty TNHH Sillajeongmil", "romanised")),
    ("(유)동아도금", None, ("Dongadogeum Ltd.", "Dongadogeum 有限公司", "Công ty TNHH Dongadogeum", "romanised")),
    ("대성정밀 주식회사", "Daesung Precision Co., Ltd.",
     ("Daesung Precision Co., Ltd.", "Daesung Precision 有限公司", "Công ty TNHH Daesung Precision", "own")),
])
def test_firm_names_per_language(config, name, own, expected):
    rendered = [firm_name(name, own, lang, config) for lang in ("en", "zh", "vi")]
    assert tuple(r.text for r in rendered) == expected[:3]
    assert {r.source for r in rendered} == {expected[3]}
    assert firm_name(name, own, "ko", config).text == name.replace("㈜", "(주)")


def test_hs_glossary_from_the_real_files(project):
    glossary = load_product_glossary(project.reference_dir)
    assert glossary[term_key("커넥터")].en == "Connector"
    assert glossary[term_key("서보프레스")].vi == "Máy ép Servo"  # joined on HS 8462.63 through the English text
    assert glossary[term_key("기계식 프레스")].vi == "Máy ép cơ khí"
    assert term_key("기타") not in glossary and term_key("자전거용") not in glossary  # "other" and heading fragments
    assert glossary[term_key("커넥터")].vi is None  # no Vietnamese line with the same English: not guessed


def test_places_are_romanised_to_the_road(config):
    row = {"addr_sido": "경기도", "addr_sigungu": "시흥시", "addr_road": "옥구천서로362번길", "addr_number": "77"}
    assert address(row, "en").text == "Okgucheonseo-ro 362beon-gil, Siheung-si, Gyeonggi-do"
    assert address(row, "ko").text == "경기도 시흥시 옥구천서로362번길"
    assert complex_label("시화국가산업단지", "en", config).text == "Sihwa National Industrial Complex"
    assert complex_label("시화국가산업단지", "vi", config).text == "Khu công nghiệp quốc gia Sihwa"


def test_product_words_of_a_free_text_answer():
    assert product_terms("크롬 도금 / 아연도금, 크롬도금") == ["크롬 도금", "아연도금"]
    assert product_terms("프레스 금형 (문의 010-5123-4567), 연락처 010-5123-4567") == ["프레스 금형"]


def test_every_string_records_its_source(project, config, firm_year):
    entries = directory_entries(firm_year, project, config)
    by_name = {e.name["ko"].text: e for e in entries}
    sewon, trader = by_name["세원프레스"], by_name["한국기계상사"]
    # official KSIC titles in English, the label files in Chinese and Vietnamese
    assert (sewon.activity["en"].text, sewon.activity["en"].source) == ("Manufacture of other forming machinery and machine tools", "official")
    assert (sewon.sector["zh"].text, sewon.sector["zh"].source) == ("其他机械和设备制造业", "label")
    assert (sewon.sector["vi"].text, sewon.sector["vi"].source) == ("Sản xuất máy móc và thiết bị khác", "label")
    # a subclass nobody translated into Chinese yet: shown in English, marked
    assert sewon.activity["zh"].source == "untranslated" and sewon.activity["zh"].shown_lang == "en"
    # wholesale is outside the manufacturing divisions of the label file: its section label
    assert (trader.sector["zh"].text, trader.sector["zh"].source) == ("批发和零售业", "label")
    assert [(p.text, p.source) for p in sewon.products["vi"]] == [("Máy ép Servo", "glossary"), ("Máy ép cơ khí", "glossary")]
    assert [(p.text, p.source) for p in by_name["(주)한빛커넥터"].products["en"]] == [("Connector", "glossary"), ("Sensors", "glossary")]
    assert [(p.text, p.source, p.shown_lang) for p in trader.products["zh"]] == [("공작기계 유통", "untranslated", "ko")]
    for e in entries:
        for field in (e.name, e.sector, e.activity, e.complex, e.address):
            assert all(r is None or r.source in SOURCES for r in field.values())
        assert all(p.source in SOURCES for ps in e.products.values() for p in ps)


def test_a_config_typo_names_the_file_and_key(project, tmp_path):
    folder = tmp_path / "directory"
    shutil.copytree(project.config_dir / "directory", folder)
    legal = folder / "legal_forms.yaml"
    legal.write_text(legal.read_text(encoding="utf-8").replace("TNHH\", position: before", "TNHH\", positon: before", 1), encoding="utf-8")
    with pytest.raises(DirectoryConfigError, match=r"legal_forms.yaml: .*'forms\.stock_company\.vi\.positon' — Extra inputs"):
        load_directory_config(folder)
    shutil.copytree(project.config_dir / "directory", tmp_path / "d2")
    (tmp_path / "d2" / "labels" / "zh.yaml").unlink()
    with pytest.raises(DirectoryConfigError, match="zh.yaml"):
        load_directory_config(tmp_path / "d2")
