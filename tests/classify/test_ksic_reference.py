"""Import of the official KSIC files: counts as published, parents, concordance relations, and a
clear failure when the files do not give the classification the settings expect."""

import copy
import time

import pytest

from pipeline.ksic import reference
from pipeline.ksic.reference import KsicReferenceError, load_reference
from pipeline.ksic.xlsx import normalise_code
from pipeline.settings import Settings


def test_counts_per_level_as_published(settings):
    ksic = load_reference(settings).ksic
    counts = ksic.groupby(["revision", "level"]).size().to_dict()
    assert [counts[(10, lv)] for lv in reference.LEVELS] == [21, 77, 232, 495, 1196]
    assert [counts[(11, lv)] for lv in reference.LEVELS] == [21, 77, 234, 501, 1205]


def test_every_code_has_its_parent_and_names(settings):
    ksic = load_reference(settings).ksic
    known = set(zip(ksic.revision, ksic.code, strict=True))
    children = ksic[ksic.level != "section"]
    assert all((r, p) in known for r, p in zip(children.revision, children.parent, strict=True))
    row = ksic[(ksic.revision == 11) & (ksic.code == "01110")].iloc[0]
    assert (row.parent, row.name_ko) == ("0111", "곡물 및 기타 식량작물 재배업")
    section = ksic[(ksic.revision == 10) & (ksic.code == "A")].iloc[0]
    # The section row "A 농업, 임업 및 어업(01~03)" loses its range; its English name is the next row.
    assert (section.name_ko, section.name_en) == ("농업, 임업 및 어업", "Agriculture, forestry and fishing")
    assert ksic[(ksic.revision == 10) & (ksic.code == "01")].parent.item() == "A"


def test_concordance_relations(settings):
    conc = load_reference(settings).concordance
    ten_to_eleven = conc[(conc.from_revision == 10) & (conc.to_revision == 11)]
    gas = ten_to_eleven[ten_to_eleven.from_code == "20121"]
    assert set(gas.to_code) == {"20121", "20122"} and set(gas.relation) == {"split"}
    assert ten_to_eleven[ten_to_eleven.from_code == "29294"][["to_code", "relation"]].values.tolist() == [["29293", "1:1"]]
    assert ten_to_eleven[ten_to_eleven.from_code == "20112"].relation.item() == "renamed"
    # The 9<->10 sheets keep blank from-cells on continuation rows: they belong to the row above.
    nine = conc[(conc.from_revision == 10) & (conc.to_revision == 9) & (conc.from_code == "01110")]
    assert set(nine.to_code) == {"01110", "01140"}


def test_codes_stored_as_numbers_get_their_zeros_back():
    assert normalise_code(1110) == "01110"
    assert normalise_code("1110.0") == "01110"
    assert normalise_code("73100") == "73100"
    assert normalise_code(" ") is None


def test_wrong_counts_fail_with_a_clear_message(settings):
    raw = copy.deepcopy(settings.raw)
    raw["ksic"]["revisions"][11]["expected_counts"]["subclass"] = 1204
    with pytest.raises(KsicReferenceError, match=r"KSIC-11 .*subclass: 1205 codes, expected 1204"):
        load_reference(Settings(root=settings.root, raw=raw))


def test_missing_file_fails_with_its_name(settings):
    raw = copy.deepcopy(settings.raw)
    raw["ksic"]["revisions"][10]["names"] = "ksic/KSIC_10th_missing.xlsx"
    with pytest.raises(FileNotFoundError, match="KSIC_10th_missing.xlsx"):
        load_reference(Settings(root=settings.root, raw=raw))


def test_import_is_fast_and_cached(settings):
    reference._load_cached.cache_clear()
    start = time.perf_counter()
    first = load_reference(settings)
    cold = time.perf_counter() - start
    assert cold < 5, f"reading all KSIC files took {cold:.1f}s"
    assert load_reference(settings) is first
