"""Multi-code cells of the real Seongnam register ("26410, 26421, 26429"): the representative code
is the listed one whose KSIC name is the row's 업종명 (the register sorts its codes ascending, so
the first is often not it), and the others are kept as secondary codes, each converted."""

from __future__ import annotations

import re

import pytest

from pipeline.classify import classify_year
from pipeline.ksic.autocode.normalise import name_key
from pipeline.load import stage_year_file
from pipeline.validation import validate_year
from tests.ksic_wiring.conftest import REGISTER, make


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    settings = make(tmp_path_factory.mktemp("multi") / "project")
    staged = stage_year_file(REGISTER, 2023, settings)
    validated = validate_year(staged, settings)
    return validated, classify_year(validated.frame, settings, change_log=validated.change_log), settings


def test_no_multi_code_cell_is_reported_missing(year, register):
    validated, _, _ = year
    assert (register["업종코드"].str.contains(",")).sum() == 235
    assert not validated.flags.rule.isin(["ksic_missing", "ksic_not_a_code"]).any()
    assert not validated.quarantine.rule.isin(["ksic_missing", "ksic_not_a_code"]).any()
    # Words that name any code of the cell do not contradict it (the first code alone would give
    # 116 false warnings on this register, e.g. "컴퓨터 제조업 외 1 종" against 26299 of "26299, 26310").
    assert not validated.flags.rule.eq("ksic_text_contradicts").any()


def test_the_representative_code_is_the_one_the_industry_name_names(year):
    _, classified, _ = year
    firm_year = classified.firm_year.set_index("record_id")
    # Source row 49 (record 2023-0000049): "컴퓨터 제조업 외 1 종", "26299, 26310".
    row = firm_year.loc["2023-0000049"]
    assert row["industry_name"] == "컴퓨터 제조업 외 1 종" and row["ksic_code"] == "26310"
    assert row["ksic_subclass_ko"] == "컴퓨터 제조업"
    secondary = classified.secondary[classified.secondary.record_id == "2023-0000049"]
    assert secondary[["position", "code", "revision", "target_code"]].values.tolist() == [[1, "26299", 10, "26299"]]


def test_every_listed_code_is_kept_once(year, register):
    validated, classified, settings = year
    firm_year = classified.firm_year
    cells = dict(zip(validated.frame.record_id, register.set_index(register.index + 2).loc[validated.frame.source_row, "업종코드"], strict=True))
    listed = {r: re.findall(r"\d{5}", c) for r, c in cells.items() if "," in c}
    kept = classified.secondary.groupby("record_id")["code"].apply(list).to_dict()
    by_id = firm_year.set_index("record_id")["ksic_code"]
    for record_id, codes in listed.items():
        assert sorted([by_id[record_id], *kept[record_id]]) == sorted(codes)
    assert len(classified.secondary) == sum(len(c) - 1 for c in listed.values())
    # Where a listed code's KSIC-10 name is the 업종명, that code is the representative one.
    ksic10 = ksic10_names(settings)
    rows = firm_year.set_index("record_id")
    named = [r for r, codes in listed.items() if any(name_key(ksic10.get(c)) == name_key(rows.loc[r, "industry_name"]) for c in codes)]
    assert len(named) > 200
    assert all(name_key(ksic10[rows.loc[r, "ksic_code"]]) == name_key(rows.loc[r, "industry_name"]) for r in named)
    # In most of them the first listed code is not the one the name names.
    assert sum(rows.loc[r, "ksic_code"] != listed[r][0] for r in named) > 50


def ksic10_names(settings) -> dict[str, str]:
    from pipeline.ksic.reference import load_reference

    ksic = load_reference(settings).ksic
    return dict(ksic.loc[ksic.revision == 10, ["code", "name_ko"]].itertuples(index=False))


def test_every_firm_of_the_register_gets_a_sector(year):
    firm_year = year[1].firm_year
    assert firm_year["ksic_section"].notna().all()
    assert set(firm_year["ksic_code_source"]) == {"converted"}
