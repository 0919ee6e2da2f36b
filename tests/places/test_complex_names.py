"""Issue 14.5: reported industrial-complex names as registers write them. The type word decides
between same-named complexes (지방 is the old 일반); a city in front is normalised; parent names
reach their KICOX sub-complexes, resolved to the parent or honestly ambiguous."""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.classify.complex_names import name_index, resolve
from pipeline.classify.complexes import complex_catalogue, complex_columns

REPO = Path(__file__).resolve().parents[2]
KICOX = (REPO.parent / "shared" / "reference" / "kicox" / "kicox_complexes_2025Q3.xlsx").resolve()


@pytest.fixture(scope="module")
def catalogue():
    if not KICOX.exists():
        pytest.skip("../shared/reference/kicox is not beside the checkout")
    return complex_catalogue(KICOX, "전국산업단지현황", REPO / "config" / "classification" / "complexes.yaml")


@pytest.fixture(scope="module")
def index(catalogue):
    return name_index(*catalogue)


@pytest.mark.parametrize("reported, expected", [
    # The type word written chooses: 창원 has a 국가 and an 일반 complex.
    ("창원국가산업단지", {"창원국가산업단지"}),
    ("창원일반산업단지", {"창원일반산업단지"}),
    ("창원 국가산단", {"창원국가산업단지"}),
    ("창원산단", {"창원국가산업단지", "창원일반산업단지"}),          # no type written: both
    ("창원지방산업단지", {"창원일반산업단지"}),                       # 지방 = the old 일반
    ("군산국가산업단지", {"군산국가산업단지"}),
    ("안성일반산업단지", {f"안성제{i}일반산업단지" for i in range(1, 6)}),  # never 안성농공단지 (another type)
    # A city or region in front.
    ("시흥매화일반산업단지", {"매화일반산업단지"}),
    ("부산명지녹산국가산업단지", {"명지·녹산국가산업단지"}),
    ("서울마곡", {"마곡일반산업단지"}),
    ("화성바이오밸리일반산업단지", {"경기화성바이오밸리일반산업단지"}),  # KICOX writes the region in front
    # Parents and sub-complexes.
    ("구미국가산업단지", {"구미국가산업단지(1단지)", "구미국가산업단지(2-4단지)"}),
    ("아산국가산업단지", {"아산국가산업단지"}),
    ("반월특수(시화)", {"시화국가산업단지"}),
    ("한국수출산업(주안)", {"주안국가산업단지"}),
    ("아산(포승지구)", {"아산국가산업단지 포승지구"}),
    ("반월특수지역", {"반월특수지역국가산업단지"}),
    # 전문농공단지, written short.
    ("송악전문단지", {"송악농공단지"}),
    ("은하전문농공단지", {"은하전문농공단지"}),
    # Nothing is invented.
    ("지방산업단지", set()),
    ("우리동네단지", set()),
])
def test_reported_names(index, reported, expected):
    assert resolve(reported, index) == expected


def test_canonical_names_do_not_double_the_type(catalogue):
    names = set(catalogue[0]["name"])
    assert {"아산국가산업단지", "동탄도시첨단산업단지", "구미국가산업단지(1단지)"} <= names
    assert not any("국가국가" in n or "도시첨단도시첨단" in n for n in names)


def test_complex_columns_report_type_choice_and_ambiguity(catalogue):
    cat, keys, cfg = catalogue
    reported = pd.Series(["창원국가산업단지", "구미국가산업단지", "시흥매화일반산업단지", "창원산단"])
    addresses = pd.DataFrame({"addr_sigungu": [None, None, "시흥시", None], "addr_dong": None, "addr_road": None})
    out = complex_columns(reported, addresses, cat, keys, cfg, {})
    assert out["complex_name"].tolist()[0] == "창원국가산업단지" and out["complex_type"].tolist()[0] == "국가"
    assert out["complex_source"].tolist() == ["reported", "ambiguous", "reported", "ambiguous"]
    assert out["complex_candidates"].tolist()[1] == "구미국가산업단지(1단지)|구미국가산업단지(2-4단지)"
    assert out["complex_name"].tolist()[2] == "매화일반산업단지"
    assert not out["complex_reported_unmatched"].any()


def test_names_found_in_public_sources_resolve(index):
    """The real names of tests/places/complex_names_real.csv (bench/complex_names.py prints the share)."""
    real = pd.read_csv(REPO / "tests" / "places" / "complex_names_real.csv", dtype=str, keep_default_na=False)
    wrong = []
    for r in real.itertuples(index=False):
        expected = {n for n in r.expected.split("|") if n}
        found = resolve(r.reported, index)
        if found != expected and not (expected and found <= {index.top.get(n, n) for n in expected} | expected):
            wrong.append((r.reported, sorted(found), sorted(expected)))
    assert len(wrong) <= 0.05 * len(real), wrong
