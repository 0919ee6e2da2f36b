"""Thematic taxonomies: every listed code exists, typos fail loudly, the active region decides
which strategic industries apply, and unresolved codes are unknown rather than False."""

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.classify import classify_firm_years
from pipeline.classify.themes import TaxonomyError, check_codes, load_taxonomies, theme_columns
from pipeline.ksic.reference import load_reference
from pipeline.settings import Settings


def _frame(codes, revision=11, year=2025):
    n = len(codes)
    return pd.DataFrame({"record_id": [str(i) for i in range(n)], "census_year": pd.array([year] * n, dtype="Int64"),
                         "ksic_revision": pd.array([revision] * n, dtype="Int64"), "ksic_code": pd.array(codes, dtype="str")})


def test_every_taxonomy_code_exists_in_its_revision(settings):
    for region in ("시흥", "평택"):
        check_codes(load_taxonomies(settings.config_dir / "taxonomies", region), load_reference(settings))


def test_a_code_missing_from_ksic_fails(settings, tmp_path):
    spec = yaml.safe_load((settings.config_dir / "taxonomies/root_industries.yaml").read_text(encoding="utf-8"))
    spec["categories"]["mould"]["codes"] = ["29294"]  # the KSIC-10 금형 code in a KSIC-11 list
    (tmp_path / "root.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"mould: \['29294'\] not in KSIC-11"):
        check_codes(load_taxonomies(Path(tmp_path), "시흥"), load_reference(settings))


def test_the_active_region_chooses_its_strategic_industries(settings):
    codes = ["26111", "21211", "20121"]  # memory ICs, 생물 의약품, 수소
    siheung = classify_firm_years(_frame(codes), settings)
    assert siheung["strategic_bio"].tolist() == [False, True, False]
    assert "strategic_semiconductor" not in siheung
    raw = copy.deepcopy(settings.raw)
    raw["agency"]["region_ko"] = "평택"
    pyeongtaek = classify_firm_years(_frame(codes), Settings(root=settings.root, raw=raw))
    assert pyeongtaek["strategic_semiconductor"].tolist() == [True, False, False]
    assert pyeongtaek["strategic_hydrogen"].tolist() == [False, False, True]
    assert pyeongtaek["is_strategic"].tolist() == [True, False, True]
    assert "strategic_bio" not in pyeongtaek


def test_services_and_unresolved_codes(settings):
    out = classify_firm_years(_frame(["62010", "70111", "47111", "25922"]), settings)
    assert out["kis_category"].tolist()[:3] == ["high_tech_kis", "high_tech_kis", "lkis"]
    assert pd.isna(out["kis_category"].iloc[3]) and out["tech_intensity"].iloc[3] == "medium_low"
    # KSIC-10 20121 splits into 수소 20121 / 20122: 평택's hydrogen flag cannot be decided.
    frame = theme_columns({11: pd.Series(["2012", "20122"], dtype="str"), 10: pd.Series(["20121", "20121"], dtype="str")},
                          tuple({**t, "categories": {"hydrogen": {"codes": ["20121"]}}} for t in
                                load_taxonomies(settings.config_dir / "taxonomies", "평택") if t["key"] == "regional_strategic"))
    assert frame["strategic_hydrogen"].tolist()[1] is False
    assert frame["strategic_hydrogen"].isna().tolist() == [True, False]
