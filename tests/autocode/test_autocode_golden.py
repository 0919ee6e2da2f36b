"""Golden cases from the real Seongnam factory register (2023): what an analyst would check."""

from __future__ import annotations

import pandas as pd

from pipeline.ksic.autocode import autocode, code_levels, contradictions


def _row(register: pd.DataFrame, name: str) -> pd.Series:
    return register[register["업종명"] == name].iloc[0]


def test_register_names_with_counts_of_other_industries_get_their_subclass(autocode_model, autocode_config, register):
    # 업종명 exactly as the register writes it, " 외 N 종" and all; the spacing of an old export too.
    names = pd.Series(["유선 통신장비 제조업 외 4 종", "유선통신장비제조업외4종", "구두류 제조업"])
    assert _row(register, "유선 통신장비 제조업 외 4 종")["업종코드"].startswith("26410")
    out = autocode(autocode_model, names, None, autocode_config)
    assert out.code.tolist() == ["26410", "26410", "15211"]
    assert set(out.source) == {"autocoded_name"}
    assert (out.confidence == autocode_config.name_match_confidence).all()
    assert not out.abstained.any()


def test_ksic10_names_whose_code_changed_in_ksic11_get_the_new_code(autocode_model, autocode_config, register):
    # The register writes KSIC-10: 27400 시계 became 27220, 10742 조미료 became 10832 in KSIC-11.
    assert _row(register, "시계 및 시계부품 제조업")["업종코드"] == "27400"
    assert _row(register, "천연 및 혼합조제 조미료 제조업 외 3 종")["업종코드"].startswith("10742")
    out = autocode(autocode_model, pd.Series(["시계 및 시계부품 제조업", "천연 및 혼합조제 조미료 제조업 외 3 종"]), None, autocode_config)
    assert out.code.tolist() == ["27220", "10832"]
    levels = code_levels(autocode_model, out.code)
    assert levels.iloc[0].tolist() == ["C", "27", "272", "2722"]


def test_multi_code_cell_the_name_names_the_representative_not_the_first_code(autocode_model, autocode_config, register):
    # Cells are sorted ascending: "26295, 26299" for a firm whose 업종명 is 26299's name.
    row = _row(register, "그 외 기타 전자부품 제조업 외 1 종")
    assert row["업종코드"] == "26295, 26299"
    out = autocode(autocode_model, pd.Series([row["업종명"]]), pd.Series([row["생산품정보"]]), autocode_config)
    assert out.code.tolist() == ["26299"]


def test_every_register_name_gets_a_sector(autocode_model, autocode_config, register):
    out = autocode(autocode_model, register["업종명"], None, autocode_config)
    assert out.code.notna().mean() >= 0.96
    # The rest are KSIC-10 names split in KSIC-11: reviewed, but their class is already known.
    sector = out.code.fillna(out.determined_code)
    assert sector.notna().mean() >= 0.99
    assert (sector.str[:2].between("10", "34")).mean() >= 0.99  # a factory register: manufacturing
    battery = autocode(autocode_model, pd.Series(["축전지 제조업 외 9 종"]), None, autocode_config)
    assert battery.determined_code.iloc[0] == "2820"
    assert set(battery.alternatives.iloc[0].replace(";", ":").split(":")[::2]) == {"28202", "28209"}


def test_product_text_alone_codes_clear_products(autocode_model, autocode_config, register):
    products = pd.Series(["손목시계", "자동제어반", "무선마이크, 유선마이크, 스피커", "가죽구두"])
    assert set(products) <= set(register["생산품정보"])
    out = autocode(autocode_model, None, products, autocode_config)
    assert out.alternatives.str.split(":").str[0].tolist() == ["27220", "28123", "26529", "15211"]
    assert set(out.source) == {"autocoded_text"}
    assert out.alternatives.str.count(";").eq(2).all()  # three suggestions with their scores
    # The clearest two are coded without review.
    assert out.code.iloc[:2].tolist() == ["27220", "28123"]


def test_factory_register_sections_keep_products_in_manufacturing(autocode_model, autocode_config):
    # "구두" alone is also 신발 도매 (46420); a factory register says only manufacturing counts.
    products = pd.Series(["구두", "변압기", "양말"])
    everywhere = autocode(autocode_model, None, products, autocode_config)
    assert "46420:" in everywhere.alternatives.iloc[0]
    factories = autocode(autocode_model, None, products, autocode_config, sections=["C"])
    suggested = factories.alternatives.str.split(";").explode().str[:2]
    assert suggested.between("10", "34").all()
    assert factories.alternatives.str.split(":").str[0].iloc[:2].tolist() == ["15211", "28112"]
    assert (factories.confidence.iloc[:2].to_numpy() > everywhere.confidence.iloc[:2].to_numpy()).all()


def test_no_text_is_abstained_without_error(autocode_model, autocode_config):
    out = autocode(autocode_model, pd.Series([None, "", "  "]), pd.Series([None, "", "-"]), autocode_config)
    assert out.abstained.all() and out.code.isna().all() and out.source.isna().all()


def test_abstains_exactly_below_the_threshold(autocode_model, autocode_config, register):
    out = autocode(autocode_model, None, register["생산품정보"], autocode_config)
    assert (out.abstained == (out.confidence < autocode_config.abstain_below)).all()
    assert out.abstained.any() and (~out.abstained).any()
    assert out.code[out.abstained].isna().all()
    # Suggestions stay for the reviewer.
    assert (out.alternatives[out.abstained & (out.confidence > 0)] != "").all()
    # "OMD, TPM" is too little to code; with no threshold the same row is coded.
    omd = pd.Series(["OMD, TPM"])
    assert autocode(autocode_model, None, omd, autocode_config).abstained.iloc[0]
    lenient = autocode_config.model_copy(update={"abstain_below": 0.0})
    assert autocode(autocode_model, None, omd, lenient).code.notna().iloc[0]


def test_each_distinct_text_is_coded_once_and_rows_keep_their_index(autocode_model, autocode_config):
    names = pd.Series(["구두류 제조업"] * 3 + [None], index=[10, 11, 12, 13])
    products = pd.Series([None, None, None, "손목시계"], index=[10, 11, 12, 13])
    out = autocode(autocode_model, names, products, autocode_config)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.code.tolist() == ["15211", "15211", "15211", "27220"]


def test_reported_code_the_name_contradicts_is_flagged_with_the_suggestion(autocode_model, autocode_config):
    reported = pd.Series(["14300", "15211", "15211"])
    names = pd.Series(["구두류 제조업", "구두류 제조업", None])
    products = pd.Series([None, None, "자동제어반"])
    out = contradictions(autocode_model, reported, names, products, autocode_config)
    assert out.contradicted.tolist() == [True, False, True]
    assert out.suggestion.tolist()[0] == "15211" and out.suggestion.tolist()[2] == "28123"
    assert pd.isna(out.suggestion.iloc[1])


def test_names_and_products_pair_by_position_whatever_their_index(autocode_model, autocode_config, register):
    # A filtered register slice (index 3, 4, ...) beside a freshly built series (index 0, 1, ...).
    products = register["생산품정보"].iloc[[2, 4]]
    names = pd.Series([None, None])
    out = autocode(autocode_model, names, products, autocode_config)
    # 자동제어반; 무선마이크, 유선마이크, 스피커
    assert out.alternatives.str.split(":").str[0].tolist() == ["28123", "26529"]
