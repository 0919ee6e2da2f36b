"""The complex config is checked against the KICOX list, so a renamed complex or a misspelt
candidate is noticed instead of silently creating a complex of its own."""

from pathlib import Path

import pytest
import yaml

from pipeline.classify.complexes import (
    ComplexConfigError,
    address_rules,
    check_address_rules,
    complex_catalogue,
    read_kicox,
)


def _kicox(settings):
    k = settings.section("classification")["kicox_complexes"]
    return settings.reference_dir / k["file"], k["sheet"]


def test_kicox_list_read_as_published(settings):
    kicox = read_kicox(*_kicox(settings))
    siwha = kicox[kicox.kicox_name == "시화"].iloc[0]
    # "\xa0\xa0 시화 ①" is a sub-complex of "반월특수지역 (① + ② + ③ + ④)".
    assert (siwha.type, siwha.sigungu, siwha.parent) == ("국가", "시흥시", "반월특수지역")
    assert not kicox.kicox_name.str.contains("[①-⑳\u00a0]").any()
    assert set(kicox.type) == {"국가", "일반", "도시첨단", "농공"}


def test_alias_entry_must_match_one_kicox_row(settings, tmp_path):
    cfg = yaml.safe_load((settings.config_dir / "classification/complexes.yaml").read_text(encoding="utf-8"))
    cfg["complexes"][0]["kicox"] = "시화2"
    path = tmp_path / "complexes.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ComplexConfigError, match=r"시화국가산업단지: 0 KICOX rows for '시화2' in 시흥시"):
        complex_catalogue(*_kicox(settings), Path(path))


def test_address_candidates_must_be_known_complexes(settings, tmp_path):
    catalogue, _, _ = complex_catalogue(*_kicox(settings), settings.config_dir / "classification/complexes.yaml")
    check_address_rules(address_rules(settings.config_dir / "classification/complex_by_address.csv"), catalogue)
    path = tmp_path / "by_address.csv"
    path.write_text("sido,sigungu,dong,road,candidates,note\n경기도,시흥시,정왕동,,시화공단,typo\n", encoding="utf-8")
    with pytest.raises(ComplexConfigError, match="시화공단"):
        check_address_rules(address_rules(Path(path)), catalogue)
